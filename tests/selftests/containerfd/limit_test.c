// SPDX-License-Identifier: GPL-2.0
/*
 * Limits: user.max_containers bounds how many containers a user has, side
 * by side and nested alike, and the objects are charged to the creator's
 * memory cgroup.
 */
#include "cfd_util.h"

#include <sys/stat.h>

#include "kselftest_harness.h"

#define MAX_CONTAINERS "/proc/sys/user/max_containers"

/* Read a number from @path: it, or -1. */
static long read_long(const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

static int write_long(const char *path, long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", v);
	return cfd_write_file(path, buf, 0);
}

FIXTURE(limit) {
	long saved;
};

FIXTURE_SETUP(limit)
{
	if (!cfd_supported())
		SKIP(return, "kernel has no container objects");
	self->saved = read_long(MAX_CONTAINERS);
	ASSERT_GT(self->saved, 0) TH_LOG("no %s", MAX_CONTAINERS);
}

FIXTURE_TEARDOWN(limit)
{
	if (self->saved > 0)
		write_long(MAX_CONTAINERS, self->saved);
}

/* As nobody, create containers side by side until refused: how many. */
static int fill_wide(int limit)
{
	int n = 0, fd;

	if (cfd_drop_privs(CFD_NOBODY))
		return -1;
	while (n <= limit + 1) {
		fd = cfd_create(CONTAINER_NEW_USER_NS, "wide");
		if (fd < 0)
			return errno == ENOSPC ? n : -errno;
		n++;	/* kept open: they count while they live */
	}
	return n;
}

/* Map root of @pid's user namespace to our uid and gid, as its owner. */
static int map_to_us(pid_t pid)
{
	char path[64], map[32];

	snprintf(map, sizeof(map), "0 %u 1", getuid());
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	if (cfd_write_file(path, map, 0))
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/setgroups", pid);
	if (cfd_write_file(path, "deny", 0))
		return -1;
	snprintf(map, sizeof(map), "0 %u 1", getgid());
	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	return cfd_write_file(path, map, 0);
}

/*
 * As nobody, nest: each level forks into the container it made (mapped, so
 * that it may make a user namespace in turn), which makes the next.
 * Returns how deep it got before ENOSPC, or 255 on another error.
 */
static int fill_deep(int depth)
{
	int fd, go[2];
	pid_t pid;
	char c;

	fd = cfd_create(CONTAINER_NEW_USER_NS, "deep");
	if (fd < 0)
		return errno == ENOSPC ? depth : 255;
	if (pipe(go))
		return 255;
	pid = cfd_fork(fd, 0, NULL);
	if (pid < 0)
		return 255;
	if (pid == 0) {
		close(go[1]);
		_exit(read(go[0], &c, 1) == 1 ? fill_deep(depth + 1) : 255);
	}
	close(go[0]);
	if (map_to_us(pid) || write(go[1], "m", 1) != 1) {
		kill(pid, SIGKILL);
		cfd_wait(pid);
		return 255;
	}
	return cfd_wait(pid);
}

TEST_F(limit, max_containers_bounds_width)
{
	int p[2], n = -1;
	pid_t pid;

	ASSERT_EQ(write_long(MAX_CONTAINERS, 7), 0);
	ASSERT_EQ(pipe(p), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		n = fill_wide(7);
		write(p[1], &n, sizeof(n));
		_exit(0);
	}
	ASSERT_EQ(read(p[0], &n, sizeof(n)), sizeof(n));
	EXPECT_EQ(n, 7);
	EXPECT_EQ(cfd_wait(pid), 0);
}

TEST_F(limit, max_containers_bounds_depth)
{
	pid_t pid;

	/* Nested ones count against the same user: 5 in all, at any depth. */
	ASSERT_EQ(write_long(MAX_CONTAINERS, 5), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (cfd_drop_privs(CFD_NOBODY))
			_exit(254);
		_exit(fill_deep(0));
	}
	EXPECT_EQ(cfd_wait(pid), 5);
}

/* The limit is per user: nobody at its limit leaves root free to create. */
TEST_F(limit, the_limit_is_per_user)
{
	int held[2], go[2], fd;
	pid_t pid;
	char c;

	ASSERT_EQ(write_long(MAX_CONTAINERS, 1), 0);
	ASSERT_EQ(pipe(held), 0);
	ASSERT_EQ(pipe(go), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (cfd_drop_privs(CFD_NOBODY))
			_exit(20);
		fd = cfd_create(CONTAINER_NEW_USER_NS, "one");
		if (fd < 0)
			_exit(21);
		/* Its second is over the limit. */
		if (cfd_create(CONTAINER_NEW_USER_NS, "two") != -1 || errno != ENOSPC)
			_exit(1);
		write(held[1], "h", 1);
		_exit(read(go[0], &c, 1) == 1 ? 0 : 22);
	}
	ASSERT_EQ(read(held[0], &c, 1), 1);
	/* Root has its own count. */
	fd = cfd_create(0, "roots");
	EXPECT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(write(go[1], "g", 1), 1);
	EXPECT_EQ(cfd_wait(pid), 0);
}

/* The "slab" line of a cgroup's memory.stat, in bytes; -1 if none. */
static long cgroup_slab(const char *stat)
{
	char line[128];
	long v = -1;
	FILE *f = fopen(stat, "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "slab %ld", &v) == 1)
			break;
	fclose(f);
	return v;
}

/*
 * The container object is charged to the creator's memory cgroup: a
 * thousand of them show in the cgroup's slab, by at least their size.
 */
TEST(objects_are_charged_to_the_memory_cgroup)
{
	const char *cg = "/sys/fs/cgroup/cfd-limit";
	long before, after, objsize;
	char path[128], procs[128];
	int p[2], go[2], i, fds[1000];
	pid_t pid;
	char c;

	SKIP_IF_UNSUPPORTED();
	objsize = read_long("/sys/kernel/slab/container/object_size");
	if (objsize <= 0)
		SKIP(return, "no /sys/kernel/slab/container (SLUB sysfs)");
	if (mkdir(cg, 0755) && errno != EEXIST)
		SKIP(return, "no cgroup2 at /sys/fs/cgroup: %s", strerror(errno));
	if (cfd_write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory", 0))
		SKIP(return, "no memory controller");
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
	snprintf(path, sizeof(path), "%s/memory.stat", cg);
	ASSERT_EQ(pipe(p), 0);
	ASSERT_EQ(pipe(go), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		char self_pid[16];

		snprintf(self_pid, sizeof(self_pid), "%d", getpid());
		if (cfd_write_file(procs, self_pid, 0))
			_exit(1);
		write(p[1], "i", 1);	/* in the cgroup: measure */
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		for (i = 0; i < 1000; i++) {
			fds[i] = cfd_create(0, "charged");
			if (fds[i] < 0)
				_exit(3);
		}
		write(p[1], "m", 1);	/* made: measure again */
		read(go[0], &c, 1);
		_exit(0);
	}
	ASSERT_EQ(read(p[0], &c, 1), 1);
	before = cgroup_slab(path);
	ASSERT_GE(before, 0);
	ASSERT_EQ(write(go[1], "g", 1), 1);
	ASSERT_EQ(read(p[0], &c, 1), 1);
	after = cgroup_slab(path);
	ASSERT_EQ(write(go[1], "e", 1), 1);
	EXPECT_EQ(cfd_wait(pid), 0);
	printf("# 1000 containers: cgroup slab %ld -> %ld bytes (object %ld bytes)\n",
	       before, after, objsize);
	EXPECT_GE(after - before, 1000 * objsize);
	rmdir(cg);
}

TEST_HARNESS_MAIN
