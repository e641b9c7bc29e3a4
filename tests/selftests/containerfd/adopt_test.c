// SPDX-License-Identifier: GPL-2.0
/*
 * CONTAINER_IOC_ADOPT: a restored, lone process becomes the init of an
 * empty container (CRIU's root task, at libcriu's "setup-namespaces"),
 * then the container takes its namespaces ("post-restore").
 *
 * The target is a "restored task" made the way CRIU makes one: clone3()
 * with new PID, mount and UTS namespaces.  It obeys one-byte commands on a
 * pipe and answers each on another, so every step is ordered by a
 * handshake.  Then each abuse the interface must refuse, with its errno:
 * a container with a member, a second adoption, a task with children or
 * threads, a task of another container, a task outside the caller's PID
 * namespace, an unprivileged caller (plain, and owning the container
 * through its own user namespace), and a race with the task's exit.
 */
#include "cfd_util.h"

#include <linux/capability.h>
#include <pthread.h>
#include <sys/ptrace.h>
#include <sys/stat.h>

#include "kselftest_harness.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

static int adopt(int cfd, int pidfd, unsigned int flags)
{
	struct container_adopt args = { .pidfd = pidfd, .flags = flags };

	return ioctl(cfd, CONTAINER_IOC_ADOPT, &args);
}

#define ADOPT_ALL (CONTAINER_ADOPT_INIT | CONTAINER_ADOPT_NAMESPACES)

/* The process a lone task's 'T' seizes with ptrace(2). */
static pid_t lone_trace_target;

/* A task that obeys commands; see lone_main(). */
struct lone {
	pid_t pid;
	int pidfd;
	int cmd;	/* write end of its command pipe */
	int ack;	/* read end of its answers */
};

static void *lone_thread(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

/*
 * 'f' fork a child that waits; 't' start a thread; 'm' unshare the mount
 * namespace (as CRIU does when it restores mounts); 'p' unshare the PID
 * namespace for children; 'c' fork a child and answer with its exit code
 * (0 if it could run); 'T' trace lone_trace_target; 'q' exit.  EOF: exit.
 * Each answer is one byte.
 */
static int lone_main(int cmd, int ack)
{
	pthread_t th;
	pid_t pid;
	char c, r;

	for (;;) {
		if (read(cmd, &c, 1) != 1)
			_exit(0);
		r = 0;
		switch (c) {
		case 'f':
			pid = fork();
			if (pid == 0) {
				/*
				 * Not a reader of the commands, which are
				 * the lone task's; it lives until its PID
				 * namespace ends with the lone task.
				 */
				close(cmd);
				close(ack);
				for (;;)
					pause();
			}
			r = pid < 0;
			break;
		case 't':
			r = pthread_create(&th, NULL, lone_thread, NULL) != 0;
			break;
		case 'm':
			r = unshare(CLONE_NEWNS) != 0;
			break;
		case 'p':
			r = unshare(CLONE_NEWPID) != 0;
			break;
		case 'c':
			pid = fork();
			if (pid == 0)
				_exit(0);
			r = pid < 0 ? 1 : cfd_wait(pid);
			break;
		case 'T':
			r = ptrace(PTRACE_SEIZE, lone_trace_target, 0, 0) != 0;
			break;
		case 'q':
			_exit(0);
		}
		if (write(ack, &r, 1) != 1)
			_exit(1);
	}
}

/* Start a lone task in new namespaces, as CRIU forks a root task. */
static int lone_start(struct lone *l, uint64_t clone_ns)
{
	struct clone_args args = {
		.flags = CLONE_PIDFD | clone_ns,
		.pidfd = (uintptr_t)&l->pidfd,
		.exit_signal = SIGCHLD,
	};
	int cmd[2], ack[2];

	if (pipe2(cmd, O_CLOEXEC) || pipe2(ack, O_CLOEXEC))
		return -1;
	l->pid = sys_clone3(&args, sizeof(args));
	if (l->pid < 0)
		return -1;
	if (l->pid == 0) {
		close(cmd[1]);
		close(ack[0]);
		_exit(lone_main(cmd[0], ack[1]));
	}
	close(cmd[0]);
	close(ack[1]);
	l->cmd = cmd[1];
	l->ack = ack[0];
	return 0;
}

/* Send @c, wait for the answer: 0 when the task did it. */
static int lone_do(struct lone *l, char c)
{
	char r;

	if (write(l->cmd, &c, 1) != 1 || read(l->ack, &r, 1) != 1)
		return -1;
	return r;
}

static void lone_stop(struct lone *l)
{
	if (l->pid <= 0)
		return;
	close(l->cmd);
	close(l->ack);
	kill(l->pid, SIGKILL);
	cfd_wait(l->pid);
	close(l->pidfd);
	l->pid = 0;
}

/* The inode of /proc/PID/ns/NAME; PID 0 for /proc/self. */
static uint64_t ns_ino(pid_t pid, const char *name)
{
	char path[64];
	struct stat st;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, name);
	else
		snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	return stat(path, &st) ? 0 : st.st_ino;
}

/* The ID of the container @pidfd's task is in, as we see it. */
static uint64_t container_id_of(int pidfd)
{
	struct container_info info;
	int fd = ioctl(pidfd, PIDFD_GET_CONTAINER, 0);
	uint64_t id;

	if (fd < 0)
		return errno == ENOENT ? CONTAINER_ID_SELF : CONTAINER_ID_NONE;
	id = cfd_info(fd, &info) ? CONTAINER_ID_NONE : info.id;
	close(fd);
	return id;
}

#define RESTORED_NS (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS)

FIXTURE(adopt) {
	int cfd;
	struct lone lone;
};

FIXTURE_SETUP(adopt)
{
	struct container_args args = { .set_id = 0 };

	self->cfd = -1;
	self->lone.pid = 0;
	if (!cfd_supported())
		SKIP(return, "kernel has no container objects");
	if (access("/proc/containers", F_OK))
		SKIP(return, "no /proc/containers");
	self->cfd = sys_container_create(&args, sizeof(args));
	ASSERT_GE(self->cfd, 0) TH_LOG("create: %s", strerror(errno));
	ASSERT_EQ(lone_start(&self->lone, RESTORED_NS), 0);
}

FIXTURE_TEARDOWN(adopt)
{
	lone_stop(&self->lone);
	if (self->cfd >= 0)
		close(self->cfd);
}

/* Both steps at once: a member, init, in the task's namespaces, for good. */
TEST_F(adopt, lone_task_becomes_init)
{
	struct container_info info;
	struct pollfd p = { .fd = self->cfd, .events = POLLIN };
	pid_t pid;

	ASSERT_EQ(adopt(self->cfd, self->lone.pidfd, ADOPT_ALL), 0)
		TH_LOG("adopt: %s", strerror(errno));
	ASSERT_EQ(cfd_info(self->cfd, &info), 0);
	EXPECT_EQ(info.state, CONTAINER_STATE_RUNNING);
	EXPECT_EQ(info.init_pid, self->lone.pid);
	EXPECT_EQ(info.nr_members, 1);
	EXPECT_EQ(container_id_of(self->lone.pidfd), info.id);
	EXPECT_EQ(info.pid_ns_ino, ns_ino(self->lone.pid, "pid"));
	EXPECT_EQ(info.mnt_ns_ino, ns_ino(self->lone.pid, "mnt"));
	EXPECT_EQ(info.uts_ns_ino, ns_ino(self->lone.pid, "uts"));

	/* What it forks is born a member. */
	ASSERT_EQ(lone_do(&self->lone, 'f'), 0);
	ASSERT_EQ(cfd_info(self->cfd, &info), 0);
	EXPECT_EQ(info.nr_members, 2);

	/* Forking in works, into its namespaces. */
	pid = cfd_fork(self->cfd, 0, NULL);
	if (pid == 0)
		_exit(ns_ino(0, "mnt") == info.mnt_ns_ino ? 0 : 1);
	ASSERT_GT(pid, 0) TH_LOG("fork in: %s", strerror(errno));
	EXPECT_EQ(cfd_wait(pid), 0);

	/* Adopted once: again, or its namespaces again, is refused. */
	EXPECT_EQ(adopt(self->cfd, self->lone.pidfd, ADOPT_ALL), -1);
	EXPECT_EQ(errno, EBUSY);
	EXPECT_EQ(adopt(self->cfd, self->lone.pidfd, CONTAINER_ADOPT_NAMESPACES), -1);
	EXPECT_EQ(errno, EBUSY);

	/* Init as init: its death is the container's. */
	ASSERT_EQ(lone_do(&self->lone, 'q'), -1);
	ASSERT_EQ(poll(&p, 1, 10000), 1);
	EXPECT_TRUE(p.revents & POLLHUP);
	ASSERT_EQ(cfd_info(self->cfd, &info), 0);
	EXPECT_EQ(info.state, CONTAINER_STATE_DEAD);
}

/* As with CRIU: init first, then the namespaces once it changed them. */
TEST_F(adopt, two_steps)
{
	struct container_info info;
	uint64_t first_mnt;
	int other;
	pid_t pid;

	ASSERT_EQ(adopt(self->cfd, self->lone.pidfd, CONTAINER_ADOPT_INIT), 0)
		TH_LOG("adopt: %s", strerror(errno));
	ASSERT_EQ(cfd_info(self->cfd, &info), 0);
	EXPECT_EQ(info.state, CONTAINER_STATE_RUNNING);
	first_mnt = ns_ino(self->lone.pid, "mnt");

	/* Nothing is forked in before the namespaces are the init's. */
	pid = cfd_fork(self->cfd, 0, NULL);
	if (pid == 0)
		_exit(0);
	EXPECT_EQ(pid, -1);
	EXPECT_EQ(errno, EBUSY);

	/* ...but the init forks members (CRIU restores the tree now). */
	ASSERT_EQ(lone_do(&self->lone, 'f'), 0);
	/* CRIU restores the mounts in a new mount namespace. */
	ASSERT_EQ(lone_do(&self->lone, 'm'), 0);
	ASSERT_NE(ns_ino(self->lone.pid, "mnt"), first_mnt);

	/* Only the init's pidfd names the init: not another process's. */
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	ASSERT_GT(pid, 0);
	other = sys_pidfd_open(pid, 0);
	ASSERT_GE(other, 0);
	EXPECT_EQ(adopt(self->cfd, other, CONTAINER_ADOPT_NAMESPACES), -1);
	EXPECT_EQ(errno, EINVAL);
	kill(pid, SIGKILL);
	cfd_wait(pid);
	close(other);

	ASSERT_EQ(adopt(self->cfd, self->lone.pidfd, CONTAINER_ADOPT_NAMESPACES), 0)
		TH_LOG("namespaces: %s", strerror(errno));
	ASSERT_EQ(cfd_info(self->cfd, &info), 0);
	EXPECT_EQ(info.mnt_ns_ino, ns_ino(self->lone.pid, "mnt"));
	EXPECT_EQ(info.nr_members, 2);

	pid = cfd_fork(self->cfd, 0, NULL);
	if (pid == 0)
		_exit(ns_ino(0, "mnt") == info.mnt_ns_ino ? 0 : 1);
	ASSERT_GT(pid, 0) TH_LOG("fork in: %s", strerror(errno));
	EXPECT_EQ(cfd_wait(pid), 0);

	EXPECT_EQ(adopt(self->cfd, self->lone.pidfd, CONTAINER_ADOPT_NAMESPACES), -1);
	EXPECT_EQ(errno, EBUSY);
	EXPECT_EQ(adopt(self->cfd, self->lone.pidfd, CONTAINER_ADOPT_INIT), -1);
	EXPECT_EQ(errno, EBUSY);
}

/* A container's processes are born in its init's PID namespace. */
TEST_F(adopt, init_with_other_pid_ns_for_children)
{
	struct container_info info;

	ASSERT_EQ(adopt(self->cfd, self->lone.pidfd, CONTAINER_ADOPT_INIT), 0);
	ASSERT_EQ(lone_do(&self->lone, 'p'), 0);
	EXPECT_EQ(adopt(self->cfd, self->lone.pidfd, CONTAINER_ADOPT_NAMESPACES), -1);
	EXPECT_EQ(errno, EINVAL);
	/* Refused, nothing changed: it still waits for its namespaces. */
	ASSERT_EQ(cfd_info(self->cfd, &info), 0);
	EXPECT_NE(info.pid_ns_ino, ns_ino(self->lone.pid, "pid_for_children"));
	EXPECT_EQ(cfd_fork(self->cfd, 0, NULL), -1);
	EXPECT_EQ(errno, EBUSY);
}

TEST_F(adopt, container_not_empty)
{
	struct container_info info;
	int cfd2, member_pidfd = -1;
	pid_t member;

	cfd2 = cfd_create(0, NULL);
	ASSERT_GE(cfd2, 0);
	member = cfd_fork(cfd2, CLONE_PIDFD, &member_pidfd);
	if (member == 0) {
		pause();
		_exit(0);
	}
	ASSERT_GT(member, 0);
	EXPECT_EQ(adopt(cfd2, self->lone.pidfd, ADOPT_ALL), -1);
	EXPECT_EQ(errno, EBUSY);
	EXPECT_EQ(adopt(cfd2, self->lone.pidfd, CONTAINER_ADOPT_INIT), -1);
	EXPECT_EQ(errno, EBUSY);
	/* Its init stays init; the lone task stays where it was. */
	ASSERT_EQ(cfd_info(cfd2, &info), 0);
	EXPECT_EQ(info.init_pid, member);
	EXPECT_EQ(info.nr_members, 1);
	EXPECT_EQ(container_id_of(self->lone.pidfd), CONTAINER_ID_SELF);
	kill(member, SIGKILL);
	cfd_wait(member);
	close(member_pidfd);
	close(cfd2);
}

/* A container whose member died: not empty, not CREATED. */
TEST_F(adopt, container_was_used)
{
	int cfd2;
	pid_t member;

	cfd2 = cfd_create(0, NULL);
	ASSERT_GE(cfd2, 0);
	member = cfd_fork(cfd2, 0, NULL);
	if (member == 0)
		_exit(0);
	ASSERT_GT(member, 0);
	ASSERT_EQ(cfd_wait(member), 0);
	EXPECT_EQ(adopt(cfd2, self->lone.pidfd, ADOPT_ALL), -1);
	EXPECT_EQ(errno, ESRCH);
	close(cfd2);
}

TEST_F(adopt, second_adoption)
{
	struct lone other = {};

	ASSERT_EQ(lone_start(&other, RESTORED_NS), 0);
	ASSERT_EQ(adopt(self->cfd, self->lone.pidfd, CONTAINER_ADOPT_INIT), 0);
	EXPECT_EQ(adopt(self->cfd, other.pidfd, CONTAINER_ADOPT_INIT), -1);
	EXPECT_EQ(errno, EBUSY);
	EXPECT_EQ(adopt(self->cfd, other.pidfd, ADOPT_ALL), -1);
	EXPECT_EQ(errno, EBUSY);
	/* Not the init: its namespaces are not taken either. */
	EXPECT_EQ(adopt(self->cfd, other.pidfd, CONTAINER_ADOPT_NAMESPACES), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(container_id_of(other.pidfd), CONTAINER_ID_SELF);
	lone_stop(&other);
}

TEST_F(adopt, task_with_children)
{
	struct container_info info;

	ASSERT_EQ(lone_do(&self->lone, 'f'), 0);
	EXPECT_EQ(adopt(self->cfd, self->lone.pidfd, ADOPT_ALL), -1);
	EXPECT_EQ(errno, EBUSY);
	EXPECT_EQ(adopt(self->cfd, self->lone.pidfd, CONTAINER_ADOPT_INIT), -1);
	EXPECT_EQ(errno, EBUSY);
	ASSERT_EQ(cfd_info(self->cfd, &info), 0);
	EXPECT_EQ(info.state, CONTAINER_STATE_CREATED);
	EXPECT_EQ(container_id_of(self->lone.pidfd), CONTAINER_ID_SELF);
}

TEST_F(adopt, task_with_threads)
{
	struct container_info info;

	ASSERT_EQ(lone_do(&self->lone, 't'), 0);
	EXPECT_EQ(adopt(self->cfd, self->lone.pidfd, CONTAINER_ADOPT_INIT), -1);
	EXPECT_EQ(errno, EBUSY);
	ASSERT_EQ(cfd_info(self->cfd, &info), 0);
	EXPECT_EQ(info.state, CONTAINER_STATE_CREATED);
}

/* Its pidfd must name a process, not a thread; nor ourselves. */
TEST_F(adopt, bad_targets)
{
	struct container_info info;
	int self_pidfd, fd, pipefd[2];

	EXPECT_EQ(adopt(self->cfd, -1, CONTAINER_ADOPT_INIT), -1);
	EXPECT_EQ(errno, EBADF);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(adopt(self->cfd, fd, CONTAINER_ADOPT_INIT), -1);
	EXPECT_EQ(errno, EBADF);
	close(fd);
	EXPECT_EQ(adopt(self->cfd, self->lone.pidfd, 0), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(adopt(self->cfd, self->lone.pidfd, 0x4), -1);
	EXPECT_EQ(errno, EINVAL);
	/* Namespaces of an init it does not have. */
	EXPECT_EQ(adopt(self->cfd, self->lone.pidfd, CONTAINER_ADOPT_NAMESPACES), -1);
	EXPECT_EQ(errno, EINVAL);

	self_pidfd = sys_pidfd_open(getpid(), 0);
	ASSERT_GE(self_pidfd, 0);
	EXPECT_EQ(adopt(self->cfd, self_pidfd, ADOPT_ALL), -1);
	EXPECT_EQ(errno, EINVAL);
	close(self_pidfd);

	/* Not a container fd: the ioctl is not there (a pidfd would say
	 * EINVAL for any argument in 6.12, so ask a pipe). */
	ASSERT_EQ(pipe(pipefd), 0);
	EXPECT_EQ(adopt(pipefd[0], self->lone.pidfd, ADOPT_ALL), -1);
	EXPECT_EQ(errno, ENOTTY);
	close(pipefd[0]);
	close(pipefd[1]);

	ASSERT_EQ(cfd_info(self->cfd, &info), 0);
	EXPECT_EQ(info.state, CONTAINER_STATE_CREATED);
}

/* A thread's pidfd (PIDFD_THREAD) names a thread, not the process. */
static void *report_tid_and_wait(void *arg)
{
	pid_t tid = gettid();

	(void)!write(*(int *)arg, &tid, sizeof(tid));
	for (;;)
		pause();
	return NULL;
}

TEST_F(adopt, thread_pidfd)
{
	pthread_t th;
	int tfd, p[2];
	pid_t tid;

	/* One of our own threads: its pidfd is a thread's. */
	ASSERT_EQ(pipe2(p, O_CLOEXEC), 0);
	ASSERT_EQ(pthread_create(&th, NULL, report_tid_and_wait, &p[1]), 0);
	ASSERT_EQ(read(p[0], &tid, sizeof(tid)), sizeof(tid));
	tfd = sys_pidfd_open(tid, PIDFD_THREAD);
	if (tfd < 0)
		SKIP(return, "no PIDFD_THREAD: %s", strerror(errno));
	EXPECT_EQ(adopt(self->cfd, tfd, CONTAINER_ADOPT_INIT), -1);
	EXPECT_EQ(errno, EINVAL);
	close(tfd);
}

/* A member of a sibling container cannot be moved sideways. */
TEST_F(adopt, task_in_another_container)
{
	int other, pidfd = -1, cmd[2];
	pid_t member;
	char c;

	other = cfd_create(0, NULL);
	ASSERT_GE(other, 0);
	ASSERT_EQ(pipe2(cmd, O_CLOEXEC), 0);
	member = cfd_fork(other, CLONE_PIDFD, &pidfd);
	if (member == 0) {
		close(cmd[1]);
		(void)!read(cmd[0], &c, 1);
		_exit(0);
	}
	ASSERT_GT(member, 0);
	close(cmd[0]);
	/* Its init: alone, no children, no threads; just elsewhere. */
	EXPECT_EQ(adopt(self->cfd, pidfd, ADOPT_ALL), -1);
	EXPECT_EQ(errno, EPERM);
	EXPECT_EQ(adopt(self->cfd, pidfd, CONTAINER_ADOPT_INIT), -1);
	EXPECT_EQ(errno, EPERM);
	close(cmd[1]);
	EXPECT_EQ(cfd_wait(member), 0);
	close(pidfd);
	close(other);
}

/*
 * Nor moved up and sideways: a member of the container we adopt into
 * has nowhere to go, and a member of an outer container cannot be pulled
 * into a container created inside another one.
 */
TEST_F(adopt, task_above_the_container)
{
	int outer, sv[2], go[2], pidfd = -1;
	pid_t member;
	char c = 0;

	outer = cfd_create(0, NULL);
	ASSERT_GE(outer, 0);
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ASSERT_EQ(pipe2(go, O_CLOEXEC), 0);
	member = cfd_fork(outer, CLONE_PIDFD, &pidfd);
	if (member == 0) {
		/* Inside "outer": make a container there and hand it out. */
		int inner = cfd_create(0, NULL);

		close(go[1]);	/* or the read below never sees the end */
		if (inner < 0 || cfd_send_fd(sv[1], inner))
			_exit(1);
		(void)!read(go[0], &c, 1);
		_exit(0);
	}
	ASSERT_GT(member, 0);
	close(go[0]);
	close(sv[1]);
	{
		int inner = cfd_recv_fd(sv[0]);

		ASSERT_GE(inner, 0);
		/* The lone task is in the root container, two levels up. */
		EXPECT_EQ(adopt(inner, self->lone.pidfd, ADOPT_ALL), -1);
		EXPECT_EQ(errno, EPERM);
		EXPECT_EQ(container_id_of(self->lone.pidfd), CONTAINER_ID_SELF);
		close(inner);
	}
	close(go[1]);
	EXPECT_EQ(cfd_wait(member), 0);
	close(sv[0]);
	close(pidfd);
	close(outer);
}

/*
 * A container's init, alone, moved into a container made inside its own:
 * deeper, but its container would be left without its init.
 */
TEST_F(adopt, init_of_its_container)
{
	int outer, sv[2], go[2], pidfd = -1, inner;
	struct container_info info;
	pid_t init;
	char c = 0;

	outer = cfd_create(0, NULL);
	ASSERT_GE(outer, 0);
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ASSERT_EQ(pipe2(go, O_CLOEXEC), 0);
	init = cfd_fork(outer, CLONE_PIDFD, &pidfd);
	if (init == 0) {
		close(go[1]);
		inner = cfd_create(0, NULL);
		if (inner < 0 || cfd_send_fd(sv[1], inner))
			_exit(1);
		close(inner);
		(void)!read(go[0], &c, 1);
		_exit(0);
	}
	ASSERT_GT(init, 0);
	close(go[0]);
	close(sv[1]);
	inner = cfd_recv_fd(sv[0]);
	ASSERT_GE(inner, 0);
	EXPECT_EQ(adopt(inner, pidfd, ADOPT_ALL), -1);
	EXPECT_EQ(errno, EBUSY);
	EXPECT_EQ(adopt(inner, pidfd, CONTAINER_ADOPT_INIT), -1);
	EXPECT_EQ(errno, EBUSY);
	ASSERT_EQ(cfd_info(outer, &info), 0);
	EXPECT_EQ(info.init_pid, init);
	EXPECT_EQ(info.nr_members, 1);
	ASSERT_EQ(cfd_info(inner, &info), 0);
	EXPECT_EQ(info.state, CONTAINER_STATE_CREATED);
	close(inner);
	close(go[1]);
	EXPECT_EQ(cfd_wait(init), 0);
	close(sv[0]);
	close(pidfd);
	close(outer);
}

/* A caller in a new PID namespace, whose target it cannot see. */
TEST_F(adopt, task_outside_callers_pid_ns)
{
	struct clone_args args = {
		.flags = CLONE_NEWPID,
		.exit_signal = SIGCHLD,
	};
	pid_t caller;

	caller = sys_clone3(&args, sizeof(args));
	if (caller == 0) {
		/* PID 1 of its namespace, root, every capability. */
		if (adopt(self->cfd, self->lone.pidfd, ADOPT_ALL) == 0)
			_exit(1);
		_exit(errno == EPERM ? 0 : 2);
	}
	ASSERT_GT(caller, 0);
	EXPECT_EQ(cfd_wait(caller), 0);
	EXPECT_EQ(container_id_of(self->lone.pidfd), CONTAINER_ID_SELF);
}

/* Without privilege: an unprivileged user, holding both fds. */
TEST_F(adopt, unprivileged_caller)
{
	struct lone mine = {};
	pid_t caller;

	/* Its own process, so that ptrace access is not what refuses. */
	caller = fork();
	if (caller == 0) {
		if (cfd_drop_privs(CFD_NOBODY))
			_exit(10);
		if (lone_start(&mine, 0))
			_exit(11);
		if (adopt(self->cfd, mine.pidfd, ADOPT_ALL) == 0)
			_exit(12);
		if (errno != EPERM)
			_exit(13);
		if (adopt(self->cfd, mine.pidfd, CONTAINER_ADOPT_INIT) == 0)
			_exit(14);
		_exit(errno == EPERM ? 0 : 15);
	}
	ASSERT_GT(caller, 0);
	EXPECT_EQ(cfd_wait(caller), 0);
}

/*
 * The owner of a container with its own user namespace has CAP_SYS_ADMIN
 * over it, but not CAP_CHECKPOINT_RESTORE over the ID space it lives in
 * (the root container's, owned by the initial user namespace), so it may
 * not adopt even its own process, as it may not choose an ID.
 */
TEST_F(adopt, owner_without_checkpoint_restore)
{
	struct lone mine = {};
	pid_t caller;

	caller = fork();
	if (caller == 0) {
		struct container_args args = { .set_id = 77 };
		int cfd;

		if (cfd_drop_privs(CFD_NOBODY))
			_exit(10);
		cfd = cfd_create(CONTAINER_NEW_USER_NS, NULL);
		if (cfd < 0)
			_exit(11);
		/* The same check as set_id. */
		args.flags = CONTAINER_NEW_USER_NS;
		if (sys_container_create(&args, sizeof(args)) >= 0 || errno != EPERM)
			_exit(12);
		if (lone_start(&mine, 0))
			_exit(13);
		if (adopt(cfd, mine.pidfd, ADOPT_ALL) == 0)
			_exit(14);
		_exit(errno == EPERM ? 0 : 15);
	}
	ASSERT_GT(caller, 0);
	EXPECT_EQ(cfd_wait(caller), 0);
}

/* root, but denied ptrace access to the task: a dumpable-0 process of
 * another user, from a caller without CAP_SYS_PTRACE. */
TEST_F(adopt, no_ptrace_access)
{
	pid_t caller;

	caller = fork();
	if (caller == 0) {
		struct __user_cap_header_struct h = {
			.version = _LINUX_CAPABILITY_VERSION_3,
		};
		struct __user_cap_data_struct d[2] = {};

		/* Keep CAP_SYS_ADMIN and CAP_CHECKPOINT_RESTORE, drop the rest. */
		d[0].effective = d[0].permitted = 1U << CAP_SYS_ADMIN;
		d[1].effective = d[1].permitted = 1U << (CAP_CHECKPOINT_RESTORE - 32);
		if (prctl(PR_SET_KEEPCAPS, 1) || setresuid(1000, 1000, 1000) ||
		    syscall(SYS_capset, &h, d))
			_exit(10);
		if (adopt(self->cfd, self->lone.pidfd, ADOPT_ALL) == 0)
			_exit(11);
		_exit(errno == EPERM ? 0 : 12);
	}
	ASSERT_GT(caller, 0);
	EXPECT_EQ(cfd_wait(caller), 0);
	EXPECT_EQ(container_id_of(self->lone.pidfd), CONTAINER_ID_SELF);
}

/* A container given a root by move_mount() has one; it adopts nothing. */
TEST_F(adopt, container_with_a_root)
{
	int cfd2, mfd;

	cfd2 = cfd_create(CONTAINER_NEW_EMPTY_FS_NS, NULL);
	ASSERT_GE(cfd2, 0);
	mfd = cfd_fs_mount("tmpfs", cfd2, NULL, NULL);
	ASSERT_GE(mfd, 0);
	ASSERT_EQ(move_mount(mfd, "", cfd2, "/", MOVE_MOUNT_F_EMPTY_PATH |
			     MOVE_MOUNT_T_CONTAINER_ROOT), 0);
	EXPECT_EQ(adopt(cfd2, self->lone.pidfd, ADOPT_ALL), -1);
	EXPECT_EQ(errno, EBUSY);
	close(mfd);
	close(cfd2);
}

/*
 * Between the two steps the container's root is its init's to give: a
 * root given by move_mount() meanwhile would be overwritten by
 * ADOPT_NAMESPACES, its mount leaked.
 */
TEST_F(adopt, no_root_given_while_adopting)
{
	int cfd2, mfd;

	cfd2 = cfd_create(CONTAINER_NEW_EMPTY_FS_NS, NULL);
	ASSERT_GE(cfd2, 0);
	ASSERT_EQ(adopt(cfd2, self->lone.pidfd, CONTAINER_ADOPT_INIT), 0)
		TH_LOG("adopt: %s", strerror(errno));
	mfd = cfd_fs_mount("tmpfs", -1, NULL, NULL);
	ASSERT_GE(mfd, 0);
	EXPECT_EQ(move_mount(mfd, "", cfd2, "/", MOVE_MOUNT_F_EMPTY_PATH |
			     MOVE_MOUNT_T_CONTAINER_ROOT), -1);
	EXPECT_EQ(errno, EBUSY);
	/* The init's own root is what the container takes. */
	EXPECT_EQ(adopt(cfd2, self->lone.pidfd, CONTAINER_ADOPT_NAMESPACES), 0)
		TH_LOG("namespaces: %s", strerror(errno));
	close(mfd);
	close(cfd2);
}

/*
 * A process whose credentials are in another user namespace would make
 * that one the container's owner: refused, the owner never changes.
 */
TEST_F(adopt, init_of_another_user_ns)
{
	struct lone other = {};
	struct container_info info;

	ASSERT_EQ(lone_start(&other, RESTORED_NS | CLONE_NEWUSER), 0);
	EXPECT_EQ(adopt(self->cfd, other.pidfd, ADOPT_ALL), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(adopt(self->cfd, other.pidfd, CONTAINER_ADOPT_INIT), -1);
	EXPECT_EQ(errno, EINVAL);
	ASSERT_EQ(cfd_info(self->cfd, &info), 0);
	EXPECT_EQ(info.state, CONTAINER_STATE_CREATED);
	EXPECT_EQ(container_id_of(other.pidfd), CONTAINER_ID_SELF);
	lone_stop(&other);
}

/*
 * What a fork in may not share, an adopted init may not either: its file
 * table shared with its parent (CLONE_FILES) would let a member reach
 * into a process outside.
 */
TEST_F(adopt, init_sharing_files)
{
	int pidfd = -1;
	struct clone_args args = {
		.flags = CLONE_PIDFD | CLONE_FILES | RESTORED_NS,
		.pidfd = (uintptr_t)&pidfd,
		.exit_signal = SIGCHLD,
	};
	pid_t pid;

	/* Not a lone task: what the test closes, it would close too. */
	pid = sys_clone3(&args, sizeof(args));
	if (pid == 0) {
		for (;;)
			pause();
	}
	ASSERT_GT(pid, 0);
	EXPECT_EQ(adopt(self->cfd, pidfd, ADOPT_ALL), -1);
	EXPECT_EQ(errno, EBUSY);
	EXPECT_EQ(container_id_of(pidfd), CONTAINER_ID_SELF);
	kill(pid, SIGKILL);
	cfd_wait(pid);
	close(pidfd);
}

/* Nor may it keep tracing a process outside. */
TEST_F(adopt, init_tracing_outside)
{
	struct lone other = {};
	pid_t victim;

	victim = fork();
	if (victim == 0) {
		for (;;)
			pause();
	}
	ASSERT_GT(victim, 0);
	lone_trace_target = victim;
	ASSERT_EQ(lone_start(&other, CLONE_NEWUTS), 0);
	ASSERT_EQ(lone_do(&other, 'T'), 0);
	EXPECT_EQ(adopt(self->cfd, other.pidfd, CONTAINER_ADOPT_INIT), -1);
	EXPECT_EQ(errno, EBUSY);
	EXPECT_EQ(container_id_of(other.pidfd), CONTAINER_ID_SELF);
	lone_stop(&other);
	kill(victim, SIGKILL);
	cfd_wait(victim);
}

/*
 * At post-restore the init has its restored threads and children, which
 * share its memory, files and signal handlers inside the container: its
 * namespaces are still taken.
 */
TEST_F(adopt, namespaces_of_a_threaded_init)
{
	ASSERT_EQ(adopt(self->cfd, self->lone.pidfd, CONTAINER_ADOPT_INIT), 0)
		TH_LOG("adopt: %s", strerror(errno));
	ASSERT_EQ(lone_do(&self->lone, 't'), 0);
	ASSERT_EQ(lone_do(&self->lone, 'f'), 0);
	EXPECT_EQ(adopt(self->cfd, self->lone.pidfd, CONTAINER_ADOPT_NAMESPACES), 0)
		TH_LOG("namespaces: %s", strerror(errno));
}

/*
 * Race adoption with the task's exit, many times.  Either it is refused
 * (ESRCH: the exit came first) and the container stays empty, or it is
 * adopted and its exit is the container's death, with its status.  Never
 * anything else: a RUNNING container without a live init, or a member
 * count that does not come back to 0.
 */
TEST(adopt_races_exit)
{
	int rounds = 300, adopted = 0, refused = 0, i;
	/* Inside the harness's 30 s: the debug kernel's rounds are slow. */
	time_t stop = time(NULL) + 25;
	volatile int spin;

	SKIP_IF_UNSUPPORTED();
	for (i = 0; i < rounds && time(NULL) < stop; i++) {
		struct container_info info;
		struct lone l = {};
		struct pollfd p;
		int cfd, ret, err;

		cfd = cfd_create(0, NULL);
		ASSERT_GE(cfd, 0);
		ASSERT_EQ(lone_start(&l, CLONE_NEWPID), 0);
		ASSERT_EQ(write(l.cmd, "q", 1), 1);
		/* A delay that sweeps the exit's window, round after round. */
		for (spin = 0; spin < (i % 60) * 3000; spin++)
			;
		ret = adopt(cfd, l.pidfd, ADOPT_ALL);
		err = errno;
		ASSERT_EQ(cfd_wait(l.pid), 0);
		ASSERT_EQ(cfd_info(cfd, &info), 0);
		if (ret == 0) {
			adopted++;
			p = (struct pollfd){ .fd = cfd, .events = POLLIN };
			ASSERT_EQ(poll(&p, 1, 10000), 1);
			ASSERT_EQ(cfd_info(cfd, &info), 0);
			ASSERT_EQ(info.state, CONTAINER_STATE_DEAD);
			ASSERT_EQ(info.nr_members, 0);
			ASSERT_TRUE(WIFEXITED(info.exit_status));
		} else {
			ASSERT_EQ(err, ESRCH) TH_LOG("round %d: %s", i, strerror(err));
			refused++;
			ASSERT_EQ(info.state, CONTAINER_STATE_CREATED);
			ASSERT_EQ(info.nr_members, 0);
		}
		close(l.cmd);
		close(l.ack);
		close(l.pidfd);
		close(cfd);
	}
	TH_LOG("%d rounds: adopted before its exit %d, refused as exiting %d",
	       i, adopted, refused);
	ksft_print_msg("adopt_races_exit: adopted %d, refused %d of %d\n",
		       adopted, refused, i);
	/* The interleaving this test is for: the exit won at least once. */
	EXPECT_GT(refused, 0);
	EXPECT_GT(adopted, 0);
}

TEST_HARNESS_MAIN
