// SPDX-License-Identifier: GPL-2.0
/*
 * Ways out of a container, each tried and each refused: membership holds
 * across setns(), fds of outer or sibling containers passed in do not let
 * a member fork into them, a member cannot open a sibling's container, and
 * a process with no capability over a container's user namespace can do
 * nothing with its fd.
 */
#include "cfd_util.h"

#include <sys/socket.h>

#include "kselftest_harness.h"

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	char byte = 'f';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

/* Is the caller still in the container it started in?  A new container
 * it makes is then that one's child: ID 1 seen from inside, level 1. */
static bool still_inside(void)
{
	struct container_info info;
	int probe = cfd_create(0, NULL);
	bool ok;

	if (probe < 0)
		return false;
	ok = !cfd_info(probe, &info) && info.level == 1 &&
	     info.parent_id == CONTAINER_ID_SELF;
	close(probe);
	return ok;
}

TEST(setns_back_to_the_host_keeps_membership)
{
	int host_mnt, host_uts, host_net, cfd, sib;
	pid_t pid;

	SKIP_IF_UNSUPPORTED();

	host_mnt = open("/proc/self/ns/mnt", O_RDONLY);
	host_uts = open("/proc/self/ns/uts", O_RDONLY);
	host_net = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_GE(host_mnt, 0);
	ASSERT_GE(host_uts, 0);
	ASSERT_GE(host_net, 0);
	sib = cfd_create(0, "sib");
	ASSERT_GE(sib, 0);
	cfd = cfd_create(CONTAINER_NEW_FS_NS | CONTAINER_NEW_UTS_NS |
			 CONTAINER_NEW_NET_NS, "jail");
	ASSERT_GE(cfd, 0);

	pid = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		/* A privileged member may re-enter the host's namespaces... */
		if (setns(host_mnt, CLONE_NEWNS) || setns(host_uts, CLONE_NEWUTS) ||
		    setns(host_net, CLONE_NEWNET))
			_exit(1);
		/* ...but it is still a member: the container is not a
		 * namespace, and nothing moves a task out of it. */
		if (!still_inside())
			_exit(2);
		/* And the sibling's fd it inherited gets it nowhere. */
		if (cfd_fork(sib, 0, NULL) != -1 || errno != EPERM)
			_exit(3);
		/* Nor does a new child of its own escape. */
		if (fork() == 0)
			_exit(still_inside() ? 0 : 1);
		_exit(cfd_wait(-1) == 0 ? 0 : 4);
	}
	EXPECT_EQ(cfd_wait(pid), 0);
	close(cfd);
	close(sib);
	close(host_mnt);
	close(host_uts);
	close(host_net);
}

TEST(parent_fd_over_a_socket)
{
	int outer, sv[2];
	pid_t pid;

	SKIP_IF_UNSUPPORTED();

	outer = cfd_create(CONTAINER_NEW_UTS_NS, "outer");
	ASSERT_GE(outer, 0);
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);

	pid = cfd_fork(outer, 0, NULL);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		/* In "outer": make "inner", put a child there, and hand it
		 * outer's fd.  It must not get back out with it. */
		int inner = cfd_create(CONTAINER_NEW_UTS_NS, "inner");
		pid_t kid;

		if (inner < 0)
			_exit(10);
		kid = cfd_fork(inner, 0, NULL);
		if (kid == 0) {
			int got;

			close(outer);
			got = recv_fd(sv[1]);
			if (got < 0)
				_exit(1);
			if (cfd_fork(got, 0, NULL) != -1)
				_exit(2);
			_exit(errno == EPERM ? 0 : 3);
		}
		if (kid < 0 || send_fd(sv[0], outer))
			_exit(11);
		_exit(cfd_wait(kid));
	}
	EXPECT_EQ(cfd_wait(pid), 0);
	close(outer);
	close(sv[0]);
	close(sv[1]);
}

TEST(sibling_process_is_not_ours)
{
	int a, b;
	pid_t in_b, in_a;

	SKIP_IF_UNSUPPORTED();

	a = cfd_create(0, "a");
	b = cfd_create(0, "b");
	ASSERT_GE(a, 0);
	ASSERT_GE(b, 0);
	in_b = cfd_fork(b, 0, NULL);
	ASSERT_GE(in_b, 0);
	if (in_b == 0) {
		pause();
		_exit(0);
	}
	in_a = cfd_fork(a, 0, NULL);
	ASSERT_GE(in_a, 0);
	if (in_a == 0) {
		int pidfd = sys_pidfd_open(in_b, 0);

		if (pidfd < 0)
			_exit(1);
		if (ioctl(pidfd, PIDFD_GET_CONTAINER, 0) != -1)
			_exit(2);
		_exit(errno == EPERM ? 0 : 3);
	}
	EXPECT_EQ(cfd_wait(in_a), 0);
	kill(in_b, SIGKILL);
	cfd_wait(in_b);
	close(a);
	close(b);
}

/* Holding the fd is not enough: the rights are over the user namespace. */
TEST(fd_without_capability)
{
	int cfd, pidfd;
	pid_t init, pid;

	SKIP_IF_UNSUPPORTED();

	cfd = cfd_create(CONTAINER_NEW_PID_NS | CONTAINER_NEW_UTS_NS, NULL);
	ASSERT_GE(cfd, 0);
	init = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(init, 0);
	if (init == 0) {
		pause();
		_exit(0);
	}
	pidfd = sys_pidfd_open(init, 0);
	ASSERT_GE(pidfd, 0);

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (cfd_drop_privs(CFD_NOBODY))
			_exit(20);
		if (cfd_fork(cfd, 0, NULL) != -1 || errno != EPERM)
			_exit(1);
		if (ioctl(cfd, CONTAINER_IOC_KILL, SIGKILL) != -1 || errno != EPERM)
			_exit(2);
		if (ioctl(cfd, CONTAINER_IOC_GET_NS, CLONE_NEWUTS) != -1 ||
		    errno != EPERM)
			_exit(3);
		if (ioctl(pidfd, PIDFD_GET_CONTAINER, 0) != -1 || errno != EACCES)
			_exit(4);
		/* The owner of a user namespace of its own is no help either:
		 * it has no capability over the container's (the host's). */
		if (cfd_create(CONTAINER_NEW_USER_NS, NULL) < 0)
			_exit(5);
		if (cfd_fork(cfd, 0, NULL) != -1 || errno != EPERM)
			_exit(6);
		_exit(0);
	}
	EXPECT_EQ(cfd_wait(pid), 0);
	EXPECT_EQ(waitpid(init, NULL, WNOHANG), 0);	/* untouched */
	kill(init, SIGKILL);
	cfd_wait(init);
	close(pidfd);
	close(cfd);
}

/* A member that makes itself a deeper user namespace cannot climb back. */
TEST(no_climb_from_a_deeper_user_namespace)
{
	pid_t pid;

	SKIP_IF_UNSUPPORTED();

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		int cfd;
		pid_t child;

		if (cfd_drop_privs(CFD_NOBODY))
			_exit(20);
		int go[2];
		char path[64], c;

		cfd = cfd_create(CONTAINER_NEW_USER_NS, NULL);
		if (cfd < 0 || pipe(go))
			_exit(21);
		child = cfd_fork(cfd, 0, NULL);
		if (child == 0) {
			/* Mapped now (below), so it may nest a user namespace. */
			close(go[1]);
			if (read(go[0], &c, 1) != 1)
				_exit(3);
			if (unshare(CLONE_NEWUSER))
				_exit(1);
			if (cfd_fork(cfd, 0, NULL) != -1 || errno != EPERM)
				_exit(2);
			_exit(0);
		}
		if (child < 0)
			_exit(22);
		/* The owner maps its own uid to root in the container's userns. */
		snprintf(path, sizeof(path), "/proc/%d/uid_map", child);
		if (cfd_write_file(path, "0 65534 1", 0))
			_exit(23);
		snprintf(path, sizeof(path), "/proc/%d/setgroups", child);
		if (cfd_write_file(path, "deny", 0))
			_exit(24);
		snprintf(path, sizeof(path), "/proc/%d/gid_map", child);
		if (cfd_write_file(path, "0 65534 1", 0))
			_exit(25);
		write(go[1], "g", 1);
		_exit(cfd_wait(child));
	}
	EXPECT_EQ(cfd_wait(pid), 0);
}

TEST_HARNESS_MAIN
