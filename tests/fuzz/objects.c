// SPDX-License-Identifier: GPL-2.0
/*
 * Making the container fds worth fuzzing with: created, live (a sleeper
 * init runs in it), dead (its init exited), nested (made from inside
 * another container), and empty ones given a root.  Used by the fuzzer's
 * fd pool and by the trinity stage's fd holder.
 *
 * A sleeper is a deliberate long-lived member: it closes every fd but the
 * read end of its worker's lifeline pipe and exits when that pipe's last
 * writer (the worker) is gone, or when it is killed.  Sleepers ignore
 * SIGCHLD, so orphans reparented to one (it may be a PID namespace's
 * init) are reaped at once.
 */
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "fuzz.h"

#define FZ_MAX_SLEEPERS 8

static pthread_mutex_t sleepers_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t sleepers[FZ_MAX_SLEEPERS];
static pid_t newest_sleeper;

int fz_create(uint64_t flags, const char *name)
{
	struct container_args args = {
		.flags = flags,
		.name = (uintptr_t)name,
	};

	return fz_ret(sys_container_create(&args, sizeof(args)));
}

/* Give an empty container a root: a tmpfs made in it, else our own root. */
int fz_give_root(int cfd)
{
	struct container_fsopen fo = {
		.fs_name = (uintptr_t)"tmpfs",
		.flags = FSOPEN_CLOEXEC,
	};
	int fsfd, mfd = -1, ret;

	fsfd = ioctl(cfd, CONTAINER_IOC_FSOPEN, &fo);
	if (fsfd >= 0) {
		if (!syscall(SYS_fsconfig, fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
			mfd = syscall(SYS_fsmount, fsfd, FSMOUNT_CLOEXEC, 0);
		close(fsfd);
	}
	if (mfd < 0)
		mfd = syscall(SYS_open_tree, AT_FDCWD, "/",
			      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (mfd < 0)
		return -errno;
	ret = fz_ret(syscall(SYS_move_mount, mfd, "", cfd, "/",
			     MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_CONTAINER_ROOT));
	close(mfd);
	return ret;
}

static void sleeper_main(void)
{
	char c;

	signal(SIGCHLD, SIG_IGN);
	if (dup2(FZ_FD_LIFELINE_R, 0) < 0)
		_exit(1);
	sys_close_range(1, ~0U, 0);
	for (;;) {
		ssize_t n = read(0, &c, 1);

		if (n == 0 || (n < 0 && errno != EINTR))
			_exit(0);
	}
}

/* Fork a sleeper into @cfd: returns its PID (our child) or -errno. */
static pid_t spawn_sleeper(int cfd)
{
	struct cfd_clone_args args = {
		.flags = CLONE_INTO_CONTAINER,
		.exit_signal = SIGCHLD,
		.container = cfd,
	};
	long pid = sys_clone3(&args, sizeof(args));

	if (pid == 0)
		sleeper_main();
	return pid < 0 ? -errno : pid;
}

/* Reap the sleepers that died; the caller holds sleepers_lock. */
static void reap_dead_sleepers(void)
{
	for (int i = 0; i < FZ_MAX_SLEEPERS; i++)
		if (sleepers[i] > 0 &&
		    waitpid(sleepers[i], NULL, __WALL | WNOHANG) != 0)
			sleepers[i] = 0;
}

/* One of our sleepers, chosen by @r, or 0. */
pid_t fz_sleeper_pid(uint64_t r)
{
	pid_t pid = 0;

	pthread_mutex_lock(&sleepers_lock);
	for (int i = 0; i < FZ_MAX_SLEEPERS && !pid; i++)
		pid = sleepers[(r + i) % FZ_MAX_SLEEPERS];
	pthread_mutex_unlock(&sleepers_lock);
	return pid;
}

/* The sleeper forked last (it may have died since). */
pid_t fz_newest_sleeper(void)
{
	return newest_sleeper;
}

void fz_sleepers_reap(void)
{
	pthread_mutex_lock(&sleepers_lock);
	reap_dead_sleepers();
	pthread_mutex_unlock(&sleepers_lock);
}

void fz_sleepers_kill(void)
{
	pthread_mutex_lock(&sleepers_lock);
	for (int i = 0; i < FZ_MAX_SLEEPERS; i++)
		if (sleepers[i] > 0) {
			kill(sleepers[i], SIGKILL);
			fz_reap(sleepers[i]);
			sleepers[i] = 0;
		}
	pthread_mutex_unlock(&sleepers_lock);
}

/* Keep @pid on the list; make room by killing the oldest. */
static void remember_sleeper(pid_t pid)
{
	static unsigned int next;
	int i;

	pthread_mutex_lock(&sleepers_lock);
	reap_dead_sleepers();
	for (i = 0; i < FZ_MAX_SLEEPERS && sleepers[i] > 0; i++)
		;
	if (i == FZ_MAX_SLEEPERS) {
		i = next++ % FZ_MAX_SLEEPERS;
		kill(sleepers[i], SIGKILL);
		fz_reap(sleepers[i]);
	}
	sleepers[i] = pid;
	newest_sleeper = pid;
	pthread_mutex_unlock(&sleepers_lock);
}

/* Make @cfd live: give it a root if it needs one, fork a sleeper in. */
int fz_make_live(int cfd)
{
	pid_t pid = spawn_sleeper(cfd);

	if (pid == -ENOENT) {		/* empty, no root yet */
		fz_give_root(cfd);
		pid = spawn_sleeper(cfd);
	}
	if (pid < 0)
		return pid;
	remember_sleeper(pid);
	return 0;
}

/* A container whose init has come and gone: an fd, or -errno. */
int fz_make_dead(uint64_t flags)
{
	int cfd = fz_create(flags, NULL);
	int err;

	if (cfd < 0)
		return cfd;
	err = fz_spawn_exiting_into(cfd);
	if (err == -ENOENT && !fz_give_root(cfd))
		err = fz_spawn_exiting_into(cfd);
	if (err) {
		close(cfd);
		return err;
	}
	return cfd;
}

/* In the helper: create the nested container, send it, exit. */
static void nested_helper(int sock, uint64_t flags, bool live)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = "c", .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	int cfd = fz_create(flags, NULL);

	if (cfd < 0)
		_exit(1);
	if (live) {
		struct cfd_clone_args args = {
			.flags = CLONE_INTO_CONTAINER,
			.exit_signal = SIGCHLD,
			.container = cfd,
		};
		long pid = sys_clone3(&args, sizeof(args));

		if (pid < 0 && errno == ENOENT && !fz_give_root(cfd))
			pid = sys_clone3(&args, sizeof(args));
		if (pid == 0)
			sleeper_main();
	}
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &cfd, sizeof(int));
	_exit(sendmsg(sock, &msg, MSG_DONTWAIT) == 1 ? 0 : 1);
}

/*
 * A container made by a helper forked into @parent_cfd, so nested in it;
 * with @live, the helper forks a sleeper into it too (the container is
 * made KILL_ON_CLOSE then, so the sleeper goes when the last fd does).
 * Returns the fd or -errno.
 */
int fz_make_nested(int parent_cfd, uint64_t flags, bool live)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cfd_clone_args args = {
		.flags = CLONE_INTO_CONTAINER,
		.exit_signal = SIGCHLD,
		.container = parent_cfd,
	};
	struct pollfd pfd = { .events = POLLIN };
	struct cmsghdr *cmsg;
	int sv[2], cfd = -EPROTO;
	long pid;

	if (live)
		flags |= CONTAINER_KILL_ON_CLOSE;
	/* SEQPACKET: the helper's exit wakes us even if it sent nothing. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -errno;
	pid = sys_clone3(&args, sizeof(args));
	if (pid == 0) {
		close(sv[0]);
		nested_helper(sv[1], flags, live);
	}
	if (pid < 0) {
		cfd = -errno;
		goto out;
	}
	close(sv[1]);
	sv[1] = -1;
	pfd.fd = sv[0];
	if (poll(&pfd, 1, 10000) == 1 &&
	    recvmsg(sv[0], &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) == 1) {
		cmsg = CMSG_FIRSTHDR(&msg);
		if (cmsg && cmsg->cmsg_type == SCM_RIGHTS)
			memcpy(&cfd, CMSG_DATA(cmsg), sizeof(int));
	}
	fz_reap(pid);
out:
	close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	return cfd;
}
