// SPDX-License-Identifier: GPL-2.0
/*
 * container_create(2): flags, names, the extensibility checklist, the
 * permission rules, and the info and namespace ioctls of the fd.
 */
#include "cfd_util.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include "kselftest_harness.h"

TEST(extensibility)
{
	struct container_args args = {};
	char big[CONTAINER_ARGS_SIZE_VER0 + 16] = {};
	void *page;
	int fd;

	SKIP_IF_UNSUPPORTED();

	/* NULL: -EFAULT. */
	ASSERT_EQ(sys_container_create(NULL, sizeof(args)), -1);
	ASSERT_EQ(errno, EFAULT);
	/* Short: -EINVAL. */
	ASSERT_EQ(sys_container_create(&args, 0), -1);
	ASSERT_EQ(errno, EINVAL);
	ASSERT_EQ(sys_container_create(&args, CONTAINER_ARGS_SIZE_VER0 - 1), -1);
	ASSERT_EQ(errno, EINVAL);
	/* Larger than a page: -E2BIG. */
	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(page, MAP_FAILED);
	ASSERT_EQ(sys_container_create(page, 4097), -1);
	ASSERT_EQ(errno, E2BIG);
	munmap(page, 8192);
	/* Larger with a zero tail: fine. */
	fd = sys_container_create(big, sizeof(big));
	ASSERT_GE(fd, 0);
	close(fd);
	/* Larger with a non-zero tail: -E2BIG. */
	big[sizeof(big) - 1] = 1;
	ASSERT_EQ(sys_container_create(big, sizeof(big)), -1);
	ASSERT_EQ(errno, E2BIG);
	/* Exactly VER0. */
	fd = sys_container_create(&args, CONTAINER_ARGS_SIZE_VER0);
	ASSERT_GE(fd, 0);
	close(fd);
}

TEST(flags)
{
	struct container_args args = {};
	uint64_t bit;
	int fd;

	SKIP_IF_UNSUPPORTED();

	/* Every bit outside the known flags is refused. */
	for (bit = 1; bit; bit <<= 1) {
		if (bit & (CONTAINER_NEW_ALL_NS | CONTAINER_NEW_EMPTY_FS_NS |
			   CONTAINER_KILL_ON_CLOSE))
			continue;
		args.flags = bit;
		EXPECT_EQ(sys_container_create(&args, sizeof(args)), -1)
			TH_LOG("flag %#llx accepted", (unsigned long long)bit);
		EXPECT_EQ(errno, EINVAL);
	}

	/* Every container fd is close-on-exec, as a pidfd is. */
	fd = cfd_create(0, NULL);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(fd);
}

TEST(names)
{
	char longname[CONTAINER_NAME_MAX + 1];
	struct container_info info;
	int fd;

	SKIP_IF_UNSUPPORTED();

	memset(longname, 'a', sizeof(longname));
	longname[CONTAINER_NAME_MAX] = '\0';
	EXPECT_EQ(cfd_create(0, longname), -1);
	EXPECT_EQ(errno, ENAMETOOLONG);
	longname[CONTAINER_NAME_MAX - 1] = '\0';	/* 63: the longest */
	fd = cfd_create(0, longname);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(cfd_info(fd, &info), 0);
	EXPECT_STREQ(info.name, longname);
	close(fd);

	EXPECT_EQ(cfd_create(0, ""), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(cfd_create(0, "a/b"), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(cfd_create(0, "a b"), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(cfd_create(0, (const char *)8), -1);
	EXPECT_EQ(errno, EFAULT);

	fd = cfd_create(0, "web-1.prod_x");
	ASSERT_GE(fd, 0);
	ASSERT_EQ(cfd_info(fd, &info), 0);
	EXPECT_STREQ(info.name, "web-1.prod_x");
	close(fd);
}

static uint64_t self_ns_ino(const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	if (stat(path, &st))
		return 0;
	return st.st_ino;
}

TEST(namespaces)
{
	static const struct {
		uint64_t flag;
		const char *name;
		size_t off;
	} ns[] = {
		{ CONTAINER_NEW_FS_NS, "mnt", offsetof(struct container_info, mnt_ns_ino) },
		{ CONTAINER_NEW_UTS_NS, "uts", offsetof(struct container_info, uts_ns_ino) },
		{ CONTAINER_NEW_IPC_NS, "ipc", offsetof(struct container_info, ipc_ns_ino) },
		{ CONTAINER_NEW_USER_NS, "user", offsetof(struct container_info, user_ns_ino) },
		{ CONTAINER_NEW_PID_NS, "pid_for_children", offsetof(struct container_info, pid_ns_ino) },
		{ CONTAINER_NEW_NET_NS, "net", offsetof(struct container_info, net_ns_ino) },
		{ CONTAINER_NEW_CGROUP_NS, "cgroup", offsetof(struct container_info, cgroup_ns_ino) },
		{ CONTAINER_NEW_TIME_NS, "time_for_children", offsetof(struct container_info, time_ns_ino) },
	};
	struct container_info info;
	size_t i, j;

	SKIP_IF_UNSUPPORTED();

	/* Each flag makes its namespace new and leaves the others shared. */
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		int fd = cfd_create(ns[i].flag, NULL);

		ASSERT_GE(fd, 0) TH_LOG("%s: %s", ns[i].name, strerror(errno));
		ASSERT_EQ(cfd_info(fd, &info), 0);
		EXPECT_EQ(info.flags, ns[i].flag);
		for (j = 0; j < sizeof(ns) / sizeof(ns[0]); j++) {
			uint64_t ino = *(uint64_t *)((char *)&info + ns[j].off);

			if (i == j) {
				EXPECT_NE(ino, self_ns_ino(ns[j].name))
					TH_LOG("%s not new", ns[j].name);
			} else {
				EXPECT_EQ(ino, self_ns_ino(ns[j].name))
					TH_LOG("%s new with %s", ns[j].name, ns[i].name);
			}
		}
		close(fd);
	}
}

TEST(info_ioctl)
{
	struct {
		struct container_info info;
		char tail[32];
	} big;
	struct container_info info;
	char small[CONTAINER_INFO_SIZE_VER0 - 8];
	int fd, devnull;

	SKIP_IF_UNSUPPORTED();

	fd = cfd_create(CONTAINER_NEW_UTS_NS, "info");
	ASSERT_GE(fd, 0);
	ASSERT_EQ(cfd_info(fd, &info), 0);
	EXPECT_EQ(info.size, CONTAINER_INFO_SIZE_VER0);
	EXPECT_EQ(info.state, CONTAINER_STATE_CREATED);
	EXPECT_GT(info.id, 0);
	EXPECT_EQ(info.parent_id, CONTAINER_ID_SELF);
	EXPECT_EQ(info.level, 1);
	EXPECT_EQ(info.init_pid, 0);
	EXPECT_EQ(info.nr_members, 0);

	/* A newer, larger struct: the kernel fills what it knows. */
	memset(&big, 0xff, sizeof(big));
	ASSERT_EQ(ioctl(fd, _IOR(CONTAINER_IOC_MAGIC, 1, big), &big), 0);
	EXPECT_EQ(big.info.size, CONTAINER_INFO_SIZE_VER0);
	EXPECT_EQ(big.info.id, info.id);
	/* An older, smaller one: -EINVAL. */
	EXPECT_EQ(ioctl(fd, _IOR(CONTAINER_IOC_MAGIC, 1, small), small), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(ioctl(fd, CONTAINER_IOC_GET_INFO, NULL), -1);
	EXPECT_EQ(errno, EFAULT);
	/* Unknown ioctls. */
	EXPECT_EQ(ioctl(fd, _IO(CONTAINER_IOC_MAGIC, 99), 0), -1);
	EXPECT_EQ(errno, ENOTTY);
	/* Not a container fd. */
	devnull = open("/dev/null", O_RDONLY);
	ASSERT_GE(devnull, 0);
	EXPECT_EQ(ioctl(devnull, CONTAINER_IOC_GET_INFO, &info), -1);
	EXPECT_EQ(errno, ENOTTY);
	close(devnull);
	close(fd);
}

TEST(set_id)
{
	struct container_args args = { .set_id = 4242 };
	struct container_info info;
	int fd, fd2;

	SKIP_IF_UNSUPPORTED();

	fd = sys_container_create(&args, sizeof(args));
	ASSERT_GE(fd, 0) TH_LOG("set_id: %s", strerror(errno));
	ASSERT_EQ(cfd_info(fd, &info), 0);
	EXPECT_EQ(info.id, 4242);
	/* Taken while it lives. */
	EXPECT_EQ(sys_container_create(&args, sizeof(args)), -1);
	EXPECT_EQ(errno, EEXIST);
	args.set_id = CONTAINER_ID_MAX + 1;
	EXPECT_EQ(sys_container_create(&args, sizeof(args)), -1);
	EXPECT_EQ(errno, EINVAL);
	close(fd);

	/* Unprivileged: -EPERM, even with a user namespace of its own. */
	if (fork() == 0) {
		args.set_id = 4343;
		args.flags = CONTAINER_NEW_USER_NS;
		if (cfd_drop_privs(CFD_NOBODY))
			_exit(2);
		fd2 = sys_container_create(&args, sizeof(args));
		_exit(fd2 < 0 && errno == EPERM ? 0 : 1);
	}
	EXPECT_EQ(cfd_wait(-1), 0);
}

/* unshare(2) rules: a user namespace makes it unprivileged-safe. */
TEST(unprivileged)
{
	pid_t pid;

	SKIP_IF_UNSUPPORTED();

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		int fd;

		if (cfd_drop_privs(CFD_NOBODY))
			_exit(10);
		fd = cfd_create(0, NULL);
		if (fd >= 0 || errno != EPERM)
			_exit(11);
		fd = cfd_create(CONTAINER_NEW_NET_NS | CONTAINER_NEW_UTS_NS, NULL);
		if (fd >= 0 || errno != EPERM)
			_exit(12);
		fd = cfd_create(CONTAINER_NEW_USER_NS | CONTAINER_NEW_NET_NS |
				CONTAINER_NEW_UTS_NS | CONTAINER_NEW_PID_NS |
				CONTAINER_NEW_FS_NS, "mine");
		if (fd < 0)
			_exit(13);
		_exit(0);
	}
	EXPECT_EQ(cfd_wait(pid), 0);
}

TEST(get_ns)
{
	struct container_info info;
	struct stat st;
	int fd, nsfd;

	SKIP_IF_UNSUPPORTED();

	fd = cfd_create(CONTAINER_NEW_UTS_NS | CONTAINER_NEW_NET_NS, NULL);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(cfd_info(fd, &info), 0);

	nsfd = ioctl(fd, CONTAINER_IOC_GET_NS, CLONE_NEWUTS);
	ASSERT_GE(nsfd, 0);
	ASSERT_EQ(fstat(nsfd, &st), 0);
	EXPECT_EQ(st.st_ino, info.uts_ns_ino);
	EXPECT_EQ(fcntl(nsfd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	/* It is a real nsfs fd: setns() works, and shows the container's. */
	if (fork() == 0) {
		char host[65];

		if (setns(nsfd, CLONE_NEWUTS) || sethostname("inside", 6))
			_exit(1);
		gethostname(host, sizeof(host));
		_exit(strcmp(host, "inside") ? 2 : 0);
	}
	EXPECT_EQ(cfd_wait(-1), 0);
	close(nsfd);

	nsfd = ioctl(fd, CONTAINER_IOC_GET_NS, CLONE_NEWNET);
	ASSERT_GE(nsfd, 0);
	ASSERT_EQ(fstat(nsfd, &st), 0);
	EXPECT_EQ(st.st_ino, info.net_ns_ino);
	close(nsfd);

	EXPECT_EQ(ioctl(fd, CONTAINER_IOC_GET_NS, 0), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(ioctl(fd, CONTAINER_IOC_GET_NS, CLONE_NEWUTS | CLONE_NEWNET), -1);
	EXPECT_EQ(errno, EINVAL);
	close(fd);
}

TEST(fdinfo)
{
	char path[64], buf[512];
	struct container_info info;
	ssize_t n;
	int fd, f;

	SKIP_IF_UNSUPPORTED();

	fd = cfd_create(CONTAINER_NEW_UTS_NS, "shown");
	ASSERT_GE(fd, 0);
	ASSERT_EQ(cfd_info(fd, &info), 0);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = open(path, O_RDONLY);
	ASSERT_GE(f, 0);
	n = read(f, buf, sizeof(buf) - 1);
	ASSERT_GT(n, 0);
	buf[n] = '\0';
	close(f);
	snprintf(path, sizeof(path), "id:\t%llu\n", (unsigned long long)info.id);
	EXPECT_NE(strstr(buf, path), NULL) TH_LOG("%s", buf);
	EXPECT_NE(strstr(buf, "name:\tshown\n"), NULL) TH_LOG("%s", buf);
	EXPECT_NE(strstr(buf, "state:\t0\n"), NULL) TH_LOG("%s", buf);
	close(fd);
}

TEST_HARNESS_MAIN
