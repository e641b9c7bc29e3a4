// SPDX-License-Identifier: GPL-2.0
/*
 * clone3() with CLONE_INTO_CONTAINER: what the child gets, what is refused,
 * and the combinations with CLONE_PIDFD, CLONE_INTO_CGROUP and set_tid.
 */
#include "cfd_util.h"

#include <limits.h>
#include <poll.h>
#include <sys/stat.h>

#include "kselftest_harness.h"

static uint64_t ns_ino(const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	return stat(path, &st) ? 0 : st.st_ino;
}

TEST(child_gets_the_container)
{
	uint64_t flags = CONTAINER_NEW_PID_NS | CONTAINER_NEW_UTS_NS |
			 CONTAINER_NEW_IPC_NS | CONTAINER_NEW_NET_NS |
			 CONTAINER_NEW_FS_NS | CONTAINER_NEW_CGROUP_NS |
			 CONTAINER_NEW_TIME_NS;
	struct container_info info;
	int cfd, pidfd = -1, sync[2], ret;
	pid_t pid;

	SKIP_IF_UNSUPPORTED();

	cfd = cfd_create(flags, "kid");
	ASSERT_GE(cfd, 0);
	ASSERT_EQ(cfd_info(cfd, &info), 0);

	ASSERT_EQ(cfd_sync_pair(sync), 0);
	pid = cfd_fork(cfd, CLONE_PIDFD, &pidfd);
	ASSERT_GE(pid, 0) TH_LOG("clone3: %s", strerror(errno));
	if (pid == 0) {
		char cwd[PATH_MAX];

		/* init of a new PID namespace, in every namespace asked for. */
		if (getpid() != 1)
			_exit(10);
		if (ns_ino("pid") != info.pid_ns_ino ||
		    ns_ino("uts") != info.uts_ns_ino ||
		    ns_ino("ipc") != info.ipc_ns_ino ||
		    ns_ino("net") != info.net_ns_ino ||
		    ns_ino("mnt") != info.mnt_ns_ino ||
		    ns_ino("cgroup") != info.cgroup_ns_ino ||
		    ns_ino("time") != info.time_ns_ino)
			_exit(11);
		/* Started at the container's root, cwd included. */
		if (!getcwd(cwd, sizeof(cwd)) || strcmp(cwd, "/"))
			_exit(12);
		cfd_sync_post(sync[1]);
		pause();
		_exit(13);
	}
	ASSERT_GE(pidfd, 0);
	close(sync[1]);
	ASSERT_EQ(cfd_info(cfd, &info), 0);
	EXPECT_EQ(info.state, CONTAINER_STATE_RUNNING);
	EXPECT_EQ(info.init_pid, pid);
	EXPECT_EQ(info.nr_members, 1);

	/* Its checks passed, however long they took, and it is still alive. */
	ret = cfd_sync_wait(sync[0], pidfd);
	if (ret != 1)
		kill(pid, SIGKILL);	/* a hung child is not waited for */
	ASSERT_EQ(ret, 1) TH_LOG("child failed check %d", cfd_wait(pid));
	EXPECT_EQ(waitpid(pid, NULL, WNOHANG), 0);
	ASSERT_EQ(syscall(__NR_pidfd_send_signal, pidfd, SIGKILL, NULL, 0), 0);
	EXPECT_EQ(cfd_wait(pid), 128 + SIGKILL);
	close(sync[0]);
	close(pidfd);
	close(cfd);
}

TEST(second_process_and_grandchild_are_members)
{
	struct container_info info;
	int cfd, sync_pipe[2];
	pid_t init, second;

	SKIP_IF_UNSUPPORTED();

	cfd = cfd_create(CONTAINER_NEW_PID_NS, NULL);
	ASSERT_GE(cfd, 0);
	init = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(init, 0);
	if (init == 0) {
		pause();
		_exit(0);
	}
	ASSERT_EQ(pipe(sync_pipe), 0);
	second = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(second, 0);
	if (second == 0) {
		/* Joins the PID namespace: not its init. */
		if (getpid() == 1)
			_exit(1);
		if (fork() == 0) {
			pause();
			_exit(0);
		}
		close(sync_pipe[0]);
		write(sync_pipe[1], "x", 1);
		pause();
		_exit(0);
	}
	close(sync_pipe[1]);
	{
		char c;

		ASSERT_EQ(read(sync_pipe[0], &c, 1), 1);
	}
	ASSERT_EQ(cfd_info(cfd, &info), 0);
	EXPECT_EQ(info.nr_members, 3);
	EXPECT_EQ(info.init_pid, init);

	/*
	 * Killing init takes all three along.  Reap "second" first: a PID
	 * namespace's init finishes exiting only once every process in the
	 * namespace has been reaped, and ours is reaped by us.
	 */
	kill(init, SIGKILL);
	EXPECT_EQ(cfd_wait(second), 128 + SIGKILL);
	EXPECT_EQ(cfd_wait(init), 128 + SIGKILL);
	ASSERT_EQ(cfd_info(cfd, &info), 0);
	EXPECT_EQ(info.state, CONTAINER_STATE_DEAD);
	close(cfd);
}

TEST(refused_flags)
{
	static const uint64_t bad[] = {
		CLONE_VM, CLONE_FS, CLONE_FILES, CLONE_SIGHAND | CLONE_VM,
		CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, CLONE_PARENT,
		CLONE_SYSVSEM, CLONE_IO, CLONE_NEWNS, CLONE_NEWUTS,
		CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
		CLONE_NEWCGROUP, CLONE_NEWTIME,
	};
	struct container_info info;
	size_t i;
	int cfd;

	SKIP_IF_UNSUPPORTED();

	cfd = cfd_create(CONTAINER_NEW_UTS_NS, NULL);
	ASSERT_GE(cfd, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct clone_args args = {
			.flags = CLONE_INTO_CONTAINER | bad[i],
			.container = cfd,
			.exit_signal = (bad[i] & CLONE_THREAD) ||
				       (bad[i] & CLONE_PARENT) ? 0 : SIGCHLD,
		};
		pid_t pid = sys_clone3(&args, sizeof(args));

		if (pid == 0)
			_exit(0);
		EXPECT_EQ(pid, -1) TH_LOG("flags %#llx accepted",
					  (unsigned long long)bad[i]);
		EXPECT_EQ(errno, EINVAL);
	}
	/* Nothing got in. */
	ASSERT_EQ(cfd_info(cfd, &info), 0);
	EXPECT_EQ(info.state, CONTAINER_STATE_CREATED);
	close(cfd);
}

TEST(bad_fds_and_sizes)
{
	struct clone_args args = {
		.flags = CLONE_INTO_CONTAINER,
		.exit_signal = SIGCHLD,
	};
	int devnull;

	SKIP_IF_UNSUPPORTED();

	args.container = 999;
	EXPECT_EQ(sys_clone3(&args, sizeof(args)), -1);
	EXPECT_EQ(errno, EBADF);
	devnull = open("/dev/null", O_RDONLY);
	ASSERT_GE(devnull, 0);
	args.container = devnull;
	EXPECT_EQ(sys_clone3(&args, sizeof(args)), -1);
	EXPECT_EQ(errno, EINVAL);
	args.container = (uint64_t)INT_MAX + 1;
	EXPECT_EQ(sys_clone3(&args, sizeof(args)), -1);
	EXPECT_EQ(errno, EINVAL);
	/* The flag needs the field: a VER2 struct cannot carry it. */
	args.container = devnull;
	EXPECT_EQ(sys_clone3(&args, CLONE_ARGS_SIZE_VER2), -1);
	EXPECT_EQ(errno, EINVAL);
	close(devnull);
}

/*
 * A cgroup of the test's own, removed by the fixture's teardown, which
 * runs after a failed ASSERT too.
 */
FIXTURE(cgroup) {
	char path[64];
};

FIXTURE_SETUP(cgroup)
{
	const char *why = cfd_skip_reason();

	if (why)
		SKIP(return, "%s", why);
	if (access("/sys/fs/cgroup/cgroup.procs", F_OK))
		SKIP(return, "no cgroup2 mounted at /sys/fs/cgroup");
	snprintf(self->path, sizeof(self->path), "/sys/fs/cgroup/cfd-test.%d", getpid());
	ASSERT_EQ(mkdir(self->path, 0755), 0);
}

FIXTURE_TEARDOWN(cgroup)
{
	EXPECT_EQ(rmdir(self->path), 0) TH_LOG("%s: %s", self->path, strerror(errno));
}

TEST_F(cgroup, into_cgroup)
{
	char line[256], want[64];
	int cfd, cgfd;
	FILE *f;
	pid_t pid;

	cgfd = open(self->path, O_DIRECTORY | O_RDONLY);
	ASSERT_GE(cgfd, 0);
	cfd = cfd_create(CONTAINER_NEW_UTS_NS, NULL);
	ASSERT_GE(cfd, 0);
	{
		struct clone_args args = {
			.flags = CLONE_INTO_CONTAINER | CLONE_INTO_CGROUP,
			.exit_signal = SIGCHLD,
			.container = cfd,
			.cgroup = cgfd,
		};

		pid = sys_clone3(&args, sizeof(args));
	}
	ASSERT_GE(pid, 0) TH_LOG("clone3: %s", strerror(errno));
	if (pid == 0) {
		snprintf(want, sizeof(want), "0::%s\n", self->path + strlen("/sys/fs/cgroup"));
		f = fopen("/proc/self/cgroup", "r");
		if (!f || !fgets(line, sizeof(line), f))
			_exit(1);
		_exit(strcmp(line, want) ? 2 : 0);
	}
	EXPECT_EQ(cfd_wait(pid), 0);
	close(cfd);
	close(cgfd);
}

TEST(set_tid)
{
	pid_t tids[2] = { 1, 0 };
	int cfd;
	pid_t pid;

	SKIP_IF_UNSUPPORTED();

	cfd = cfd_create(CONTAINER_NEW_PID_NS, NULL);
	ASSERT_GE(cfd, 0);
	/* A PID that is free here: ours plus a margin, picked by probing. */
	for (tids[1] = getpid() + 5000; kill(tids[1], 0) == 0; tids[1]++)
		;
	{
		struct clone_args args = {
			.flags = CLONE_INTO_CONTAINER,
			.exit_signal = SIGCHLD,
			.container = cfd,
			.set_tid = (uintptr_t)tids,
			.set_tid_size = 2,
		};

		pid = sys_clone3(&args, sizeof(args));
	}
	ASSERT_GE(pid, 0) TH_LOG("clone3 set_tid: %s", strerror(errno));
	if (pid == 0)
		_exit(getpid() == 1 ? 0 : 1);
	EXPECT_EQ(pid, tids[1]);
	EXPECT_EQ(cfd_wait(pid), 0);
	close(cfd);
}

static int read_int_file(const char *path, long *val)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%ld", val) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

/* Fork/exec semantics for audit: loginuid and sessionid come along. */
TEST(audit_identity_carries_in)
{
	long sessionid;
	pid_t helper;

	SKIP_IF_UNSUPPORTED();
	if (access("/proc/self/loginuid", F_OK))
		SKIP(return, "no audit (CONFIG_AUDITSYSCALL)");

	helper = fork();
	ASSERT_GE(helper, 0);
	if (helper == 0) {
		int cfd, fd;
		pid_t pid;
		long uid, ses;

		fd = open("/proc/self/loginuid", O_WRONLY);
		if (fd < 0 || write(fd, "4321", 4) != 4)
			_exit(20);
		close(fd);
		if (read_int_file("/proc/self/sessionid", &sessionid))
			_exit(21);
		cfd = cfd_create(CONTAINER_NEW_PID_NS | CONTAINER_NEW_UTS_NS, NULL);
		if (cfd < 0)
			_exit(22);
		pid = cfd_fork(cfd, 0, NULL);
		if (pid == 0) {
			if (read_int_file("/proc/self/loginuid", &uid) || uid != 4321)
				_exit(1);
			if (read_int_file("/proc/self/sessionid", &ses) ||
			    ses != sessionid)
				_exit(2);
			_exit(0);
		}
		_exit(cfd_wait(pid));
	}
	EXPECT_EQ(cfd_wait(helper), 0);
}

TEST(user_namespace_creds)
{
	pid_t pid;

	SKIP_IF_UNSUPPORTED();

	/* An unprivileged owner forks into its own user-namespaced container. */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		int cfd;
		pid_t child;

		if (cfd_drop_privs(CFD_NOBODY))
			_exit(20);
		cfd = cfd_create(CONTAINER_NEW_USER_NS | CONTAINER_NEW_UTS_NS, NULL);
		if (cfd < 0)
			_exit(21);
		child = cfd_fork(cfd, 0, NULL);
		if (child < 0)
			_exit(22);
		if (child == 0) {
			struct container_info info;

			/* Unmapped (overflow) ids, but CAP_SYS_ADMIN in its own
			 * user namespace: sethostname works there. */
			if (cfd_info(cfd, &info) ||
			    ns_ino("user") != info.user_ns_ino)
				_exit(1);
			if (sethostname("mine", 4))
				_exit(2);
			_exit(0);
		}
		_exit(cfd_wait(child));
	}
	EXPECT_EQ(cfd_wait(pid), 0);
}

TEST_HARNESS_MAIN
