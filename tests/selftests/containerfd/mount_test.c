// SPDX-License-Identifier: GPL-2.0
/*
 * Mounting into a container from outside: CONTAINER_NEW_EMPTY_FS_NS,
 * move_mount() with a container fd and MOVE_MOUNT_T_CONTAINER_ROOT,
 * CONTAINER_IOC_FSOPEN, the container socket, and who may do each.  The assembly test builds a whole container tree from outside and
 * runs a program in it.
 */
#include "cfd_util.h"

#include <mqueue.h>
#include <net/if.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>

#include "kselftest_harness.h"

/* Give @cfd the detached mount @mfd as its root; 0 or -errno. */
static int give_root(int mfd, int cfd)
{
	if (move_mount(mfd, "", cfd, "/",
		       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_CONTAINER_ROOT))
		return -errno;
	return 0;
}

/* Mount the detached @mfd at @path inside @cfd; 0 or -errno. */
static int mount_in(int mfd, int cfd, const char *path)
{
	if (move_mount(mfd, "", cfd, path, MOVE_MOUNT_F_EMPTY_PATH))
		return -errno;
	return 0;
}

/* An empty container with a tmpfs root; -1 on failure. */
static int empty_with_tmpfs_root(uint64_t flags)
{
	int cfd = cfd_create(CONTAINER_NEW_EMPTY_FS_NS | flags, "assembled");
	int mfd;

	if (cfd < 0)
		return -1;
	mfd = cfd_fs_mount("tmpfs", cfd, NULL, NULL);
	if (mfd < 0 || give_root(mfd, cfd)) {
		close(cfd);
		cfd = -1;
	}
	if (mfd >= 0)
		close(mfd);
	return cfd;
}

/* Run @fn in a child that first drops to CFD_NOBODY; its exit code. */
static int as_nobody(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(cfd_drop_privs(CFD_NOBODY) ? 99 : fn(arg));
	return cfd_wait(pid);
}

TEST(empty_fs_ns_flags)
{
	SKIP_IF_UNSUPPORTED();
	EXPECT_EQ(cfd_create(CONTAINER_NEW_EMPTY_FS_NS | CONTAINER_NEW_FS_NS, "x"), -1);
	EXPECT_EQ(errno, EINVAL);
}

TEST(empty_container_has_nothing_to_run)
{
	struct container_info info;
	struct stat st, ours;
	int cfd;

	SKIP_IF_UNSUPPORTED();
	cfd = cfd_create(CONTAINER_NEW_EMPTY_FS_NS, "empty");
	ASSERT_GE(cfd, 0);

	/* Its own mount namespace, an empty read-only root, nothing below. */
	ASSERT_EQ(cfd_info(cfd, &info), 0);
	ASSERT_EQ(stat("/proc/self/ns/mnt", &ours), 0);
	EXPECT_NE(info.mnt_ns_ino, ours.st_ino);
	ASSERT_EQ(fstatat(cfd, ".", &st, 0), 0);
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_EQ(fstatat(cfd, "..", &st, 0), 0);
	EXPECT_EQ(fstatat(cfd, "etc", &st, 0), -1);
	EXPECT_EQ(errno, ENOENT);
	EXPECT_EQ(mkdirat(cfd, "etc", 0755), -1);
	EXPECT_EQ(errno, EROFS);

	/* No root, no process. */
	EXPECT_EQ(cfd_fork(cfd, 0, NULL), -1);
	EXPECT_EQ(errno, ENOENT);
	close(cfd);
}

TEST(root_is_given_once_and_only_to_an_empty_container)
{
	int cfd, full, mfd, pid;

	SKIP_IF_UNSUPPORTED();
	cfd = cfd_create(CONTAINER_NEW_EMPTY_FS_NS, "once");
	ASSERT_GE(cfd, 0);
	mfd = cfd_fs_mount("tmpfs", cfd, NULL, NULL);
	ASSERT_GE(mfd, 0);

	/* The flag needs a container fd as the destination... */
	EXPECT_EQ(move_mount(mfd, "", AT_FDCWD, "/tmp",
			     MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_CONTAINER_ROOT), -1);
	EXPECT_EQ(errno, EINVAL);
	/* ...is not for MOVE_MOUNT_BENEATH... */
	EXPECT_EQ(move_mount(mfd, "", cfd, "/", MOVE_MOUNT_F_EMPTY_PATH |
			     MOVE_MOUNT_T_CONTAINER_ROOT | MOVE_MOUNT_BENEATH), -1);
	EXPECT_EQ(errno, EINVAL);
	/* ...and unknown move_mount flags are still refused. */
	EXPECT_EQ(move_mount(mfd, "", cfd, "/", MOVE_MOUNT_F_EMPTY_PATH | 0x08), -1);
	EXPECT_EQ(errno, EINVAL);

	/* An empty path names the root as "/" does. */
	ASSERT_EQ(move_mount(mfd, "", cfd, "", MOVE_MOUNT_F_EMPTY_PATH |
			     MOVE_MOUNT_T_EMPTY_PATH | MOVE_MOUNT_T_CONTAINER_ROOT), 0);
	close(mfd);
	mfd = cfd_fs_mount("tmpfs", cfd, NULL, NULL);
	ASSERT_GE(mfd, 0);
	EXPECT_EQ(give_root(mfd, cfd), -EBUSY);

	/* The root is writable now, and a process can start. */
	EXPECT_EQ(mkdirat(cfd, "etc", 0755), 0);
	pid = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct stat st;

		_exit(stat("/etc", &st) == 0 && S_ISDIR(st.st_mode) ? 0 : 1);
	}
	EXPECT_EQ(cfd_wait(pid), 0);

	/* A container with a copied mount namespace has a root already. */
	full = cfd_create(CONTAINER_NEW_FS_NS, "full");
	ASSERT_GE(full, 0);
	EXPECT_EQ(give_root(mfd, full), -EINVAL);
	close(full);
	close(mfd);
	close(cfd);
}

TEST(root_target_must_resolve)
{
	int cfd, mfd;

	SKIP_IF_UNSUPPORTED();
	cfd = cfd_create(CONTAINER_NEW_EMPTY_FS_NS, "target");
	ASSERT_GE(cfd, 0);
	mfd = cfd_fs_mount("tmpfs", cfd, NULL, NULL);
	ASSERT_GE(mfd, 0);
	/* The empty root holds nothing: every other path is missing. */
	EXPECT_EQ(move_mount(mfd, "", cfd, "nonexistent",
			     MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_CONTAINER_ROOT), -1);
	EXPECT_EQ(errno, ENOENT);
	EXPECT_EQ(give_root(mfd, cfd), 0);
	close(mfd);
	close(cfd);
}

/* The whole tree of a container, built from outside, then used inside. */
TEST(outside_in_assembly)
{
	static const char *const host_dirs[] = { "usr", "etc" };
	char root[] = "/tmp/cfd-asm.XXXXXX";
	char path[128];
	int cfd, mfd, pid;
	size_t i;

	SKIP_IF_UNSUPPORTED();
	/* The root is on a tmpfs of this test's own: it goes with the test. */
	ASSERT_EQ(cfd_private_tmp(), 0);
	ASSERT_NE(mkdtemp(root), NULL);
	snprintf(path, sizeof(path), "%s/marker", root);
	ASSERT_EQ(cfd_write_file(path, "assembled", O_CREAT | O_TRUNC), 0);

	cfd = cfd_create(CONTAINER_NEW_EMPTY_FS_NS | CONTAINER_NEW_PID_NS |
			 CONTAINER_NEW_UTS_NS | CONTAINER_NEW_IPC_NS, "asm");
	ASSERT_GE(cfd, 0);

	/* Root: a clone of a host directory. */
	mfd = open_tree(AT_FDCWD, root, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	ASSERT_GE(mfd, 0);
	ASSERT_EQ(give_root(mfd, cfd), 0);
	close(mfd);

	/* The host's /usr and /etc, read-only binds, and the merged-/usr links. */
	for (i = 0; i < sizeof(host_dirs) / sizeof(host_dirs[0]); i++) {
		snprintf(path, sizeof(path), "/%s", host_dirs[i]);
		ASSERT_EQ(mkdirat(cfd, host_dirs[i], 0755), 0);
		mfd = open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | AT_RECURSIVE);
		ASSERT_GE(mfd, 0);
		ASSERT_EQ(mount_in(mfd, cfd, host_dirs[i]), 0);
		close(mfd);
	}
	ASSERT_EQ(symlinkat("usr/bin", cfd, "bin"), 0);
	ASSERT_EQ(symlinkat("usr/lib", cfd, "lib"), 0);
	ASSERT_EQ(symlinkat("usr/lib64", cfd, "lib64"), 0);

	/* /proc of its PID namespace, /dev with a few nodes, /tmp. */
	ASSERT_EQ(mkdirat(cfd, "proc", 0555), 0);
	mfd = cfd_fs_mount("proc", cfd, NULL, NULL);
	ASSERT_GE(mfd, 0);
	ASSERT_EQ(mount_in(mfd, cfd, "proc"), 0);
	close(mfd);
	ASSERT_EQ(mkdirat(cfd, "dev", 0755), 0);
	mfd = cfd_fs_mount("tmpfs", cfd, "mode", "0755");
	ASSERT_GE(mfd, 0);
	ASSERT_EQ(mount_in(mfd, cfd, "dev"), 0);
	close(mfd);
	ASSERT_EQ(mknodat(cfd, "dev/null", S_IFCHR | 0666, makedev(1, 3)), 0);
	ASSERT_EQ(mknodat(cfd, "dev/zero", S_IFCHR | 0666, makedev(1, 5)), 0);
	ASSERT_EQ(mkdirat(cfd, "tmp", 01777), 0);
	mfd = cfd_fs_mount("tmpfs", cfd, NULL, NULL);
	ASSERT_GE(mfd, 0);
	ASSERT_EQ(mount_in(mfd, cfd, "tmp"), 0);
	close(mfd);

	pid = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		char buf[32] = "";
		int fd;

		/* Its root is the assembled one... */
		fd = open("/marker", O_RDONLY);
		if (fd < 0 || read(fd, buf, sizeof(buf) - 1) != 9 ||
		    strcmp(buf, "assembled"))
			_exit(10);
		close(fd);
		/* ...its /proc shows its PID namespace, where it is 1... */
		if (getpid() != 1 || readlink("/proc/self", buf, sizeof(buf)) != 1 ||
		    buf[0] != '1')
			_exit(11);
		/* ...its devices work and /tmp is writable... */
		if (cfd_write_file("/dev/null", "x", 0) ||
		    cfd_write_file("/tmp/x", "x", O_CREAT))
			_exit(12);
		/* ...and a program runs from the bound /usr. */
		execl("/bin/sh", "sh", "-c",
		      "test -c /dev/zero && test \"$(cat /marker)\" = assembled && exit 42",
		      NULL);
		_exit(13);
	}
	EXPECT_EQ(cfd_wait(pid), 42);

	/* Each mount landed in the container's namespace, not ours. */
	snprintf(path, sizeof(path), "%s/proc", root);
	EXPECT_EQ(access(path, F_OK), 0);	/* the directory we made... */
	snprintf(path, sizeof(path), "%s/proc/self", root);
	EXPECT_EQ(access(path, F_OK), -1);	/* ...with no proc on it here */
	close(cfd);
}

TEST(mounts_land_in_the_container_namespace_only)
{
	int cfd, mfd;
	struct stat st;

	SKIP_IF_UNSUPPORTED();
	cfd = empty_with_tmpfs_root(0);
	ASSERT_GE(cfd, 0);
	ASSERT_EQ(mkdirat(cfd, "mnt", 0755), 0);
	mfd = cfd_fs_mount("tmpfs", -1, NULL, NULL);
	ASSERT_GE(mfd, 0);
	ASSERT_EQ(mount_in(mfd, cfd, "mnt"), 0);
	ASSERT_EQ(mkdirat(cfd, "mnt/inside-the-mount", 0755), 0);
	EXPECT_EQ(fstatat(cfd, "mnt/inside-the-mount", &st, 0), 0);
	/* An attached mount of ours cannot be moved into the container. */
	EXPECT_EQ(move_mount(AT_FDCWD, "/proc", cfd, "mnt", 0), -1);
	EXPECT_EQ(errno, EINVAL);
	close(mfd);
	close(cfd);
}

TEST(fsopen_ioctl_errors)
{
	struct container_fsopen args = { .fs_name = (uintptr_t)"tmpfs" };
	int cfd, fd;

	SKIP_IF_UNSUPPORTED();
	cfd = cfd_create(CONTAINER_NEW_FS_NS, "fsopen");
	ASSERT_GE(cfd, 0);

	fd = cfd_fsopen(cfd, "tmpfs", FSOPEN_CLOEXEC);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);
	fd = cfd_fsopen(cfd, "tmpfs", 0);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(fcntl(fd, F_GETFD), 0);
	close(fd);

	/* An unknown filesystem, flags, reserved bits, bad pointers. */
	EXPECT_EQ(cfd_fsopen(cfd, "no-such-fs", 0), -1);
	EXPECT_EQ(errno, ENODEV);
	EXPECT_EQ(cfd_fsopen(cfd, "tmpfs", 0x2), -1);
	EXPECT_EQ(errno, EINVAL);
	args.reserved = 1;
	EXPECT_EQ(ioctl(cfd, CONTAINER_IOC_FSOPEN, &args), -1);
	EXPECT_EQ(errno, EINVAL);
	args.reserved = 0;
	EXPECT_EQ(ioctl(cfd, CONTAINER_IOC_FSOPEN, (void *)8), -1);
	EXPECT_EQ(errno, EFAULT);
	args.fs_name = 8;
	EXPECT_EQ(ioctl(cfd, CONTAINER_IOC_FSOPEN, &args), -1);
	EXPECT_EQ(errno, EFAULT);
	/* A filesystem that takes its namespaces from the caller. */
	EXPECT_EQ(cfd_fsopen(cfd, "devpts", 0), -1);
	EXPECT_EQ(errno, EOPNOTSUPP);
	/* Not a container. */
	fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	EXPECT_EQ(cfd_fsopen(fd, "tmpfs", 0), -1);
	EXPECT_EQ(errno, ENOTTY);
	close(fd);
	close(cfd);
}

TEST(proc_shows_the_container_pid_namespace)
{
	char buf[256];
	int cfd, mfd, pid, fd;
	ssize_t n;

	SKIP_IF_UNSUPPORTED();
	cfd = cfd_create(CONTAINER_NEW_FS_NS | CONTAINER_NEW_PID_NS, "procns");
	ASSERT_GE(cfd, 0);
	pid = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	mfd = cfd_fs_mount("proc", cfd, NULL, NULL);
	ASSERT_GE(mfd, 0);
	/* Its 1 is our child; we, outside its namespace, have no "self". */
	fd = openat(mfd, "1/status", O_RDONLY);
	ASSERT_GE(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	ASSERT_GT(n, 0);
	buf[n] = '\0';
	close(fd);
	EXPECT_NE(strstr(buf, "\nPid:\t1\n"), NULL);
	EXPECT_EQ(readlinkat(mfd, "self", buf, sizeof(buf)), -1);
	EXPECT_EQ(errno, ENOENT);
	kill(pid, SIGKILL);
	cfd_wait(pid);
	close(mfd);
	close(cfd);
}

TEST(tmpfs_belongs_to_the_container_user_namespace)
{
	int cfd, mfd, plain;

	SKIP_IF_UNSUPPORTED();
	cfd = cfd_create(CONTAINER_NEW_USER_NS | CONTAINER_NEW_FS_NS, "userns");
	ASSERT_GE(cfd, 0);
	mfd = cfd_fs_mount("tmpfs", cfd, NULL, NULL);
	ASSERT_GE(mfd, 0);
	/* Our uid 0 has no mapping in the container's (empty) user namespace. */
	EXPECT_EQ(mkdirat(mfd, "d", 0755), -1);
	EXPECT_EQ(errno, EOVERFLOW);
	plain = cfd_fs_mount("tmpfs", -1, NULL, NULL);
	ASSERT_GE(plain, 0);
	EXPECT_EQ(mkdirat(plain, "d", 0755), 0);
	close(plain);
	close(mfd);
	close(cfd);
}

TEST(mqueue_is_the_container_ipc_namespace)
{
	int cfd, mfd, fd, pid;

	SKIP_IF_UNSUPPORTED();
	cfd = cfd_create(CONTAINER_NEW_FS_NS | CONTAINER_NEW_IPC_NS, "ipc");
	ASSERT_GE(cfd, 0);
	mfd = cfd_fs_mount("mqueue", cfd, NULL, NULL);
	ASSERT_GE(mfd, 0);
	/* A queue made through this mount exists for the container... */
	fd = openat(mfd, "cfd-q", O_CREAT | O_RDWR, 0600);
	ASSERT_GE(fd, 0);
	close(fd);
	pid = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		mqd_t q = mq_open("/cfd-q", O_RDONLY);

		_exit(q == (mqd_t)-1 ? 1 : 0);
	}
	EXPECT_EQ(cfd_wait(pid), 0);
	/* ...and not for us. */
	EXPECT_EQ(mq_open("/cfd-q", O_RDONLY), (mqd_t)-1);
	EXPECT_EQ(errno, ENOENT);
	close(mfd);
	close(cfd);
}

/*
 * A veth pair with one end in the container: its sysfs and its sockets
 * see that end and not the other.
 */
FIXTURE(netns) {
	int cfd;
};

FIXTURE_SETUP(netns)
{
	const char *why = cfd_skip_reason();
	char cmd[160];
	int nsfd;

	self->cfd = -1;
	if (why)
		SKIP(return, "%s", why);
	if (system("command -v ip >/dev/null"))
		SKIP(return, "no ip(8) to make a veth pair");
	/*
	 * The pair is made in a network namespace of this test's own, with
	 * a sysfs that shows it: both ends go with the test, however it ends.
	 */
	ASSERT_EQ(unshare(CLONE_NEWNS | CLONE_NEWNET), 0);
	ASSERT_EQ(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	ASSERT_EQ(mount("sysfs", "/sys", "sysfs", 0, NULL), 0);
	self->cfd = cfd_create(CONTAINER_NEW_FS_NS | CONTAINER_NEW_NET_NS, "net");
	ASSERT_GE(self->cfd, 0);
	nsfd = ioctl(self->cfd, CONTAINER_IOC_GET_NS, CLONE_NEWNET);
	ASSERT_GE(nsfd, 0);
	snprintf(cmd, sizeof(cmd),
		 "ip link add cfdv0 type veth peer name cfdv1 && "
		 "ip link set cfdv1 netns /proc/%d/fd/%d", getpid(), nsfd);
	ASSERT_EQ(system(cmd), 0);
	close(nsfd);
}

FIXTURE_TEARDOWN(netns)
{
	if (self->cfd >= 0)
		close(self->cfd);
}

TEST_F(netns, sysfs_shows_the_container_network)
{
	struct stat st;
	int mfd;

	mfd = cfd_fs_mount("sysfs", self->cfd, NULL, NULL);
	ASSERT_GE(mfd, 0);
	EXPECT_EQ(fstatat(mfd, "class/net/cfdv1", &st, 0), 0);
	EXPECT_EQ(fstatat(mfd, "class/net/cfdv0", &st, 0), -1);
	EXPECT_EQ(stat("/sys/class/net/cfdv0", &st), 0);
	close(mfd);
}

TEST_F(netns, socket_is_in_the_container_network)
{
	struct container_socket cs = { .family = AF_INET, .type = SOCK_DGRAM | SOCK_CLOEXEC };
	struct ifreq ifr = {};
	int sfd;

	sfd = ioctl(self->cfd, CONTAINER_IOC_SOCKET, &cs);
	ASSERT_GE(sfd, 0);
	EXPECT_TRUE(fcntl(sfd, F_GETFD) & FD_CLOEXEC);
	strcpy(ifr.ifr_name, "cfdv1");
	EXPECT_EQ(ioctl(sfd, SIOCGIFINDEX, &ifr), 0);
	strcpy(ifr.ifr_name, "cfdv0");
	EXPECT_EQ(ioctl(sfd, SIOCGIFINDEX, &ifr), -1);
	EXPECT_EQ(errno, ENODEV);
	close(sfd);
}

/* An abstract unix socket bound from outside, reachable only inside. */
TEST_F(netns, abstract_socket_is_reachable_only_inside)
{
	struct container_socket cs = { .family = AF_UNIX, .type = SOCK_STREAM };
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int sfd, pid, fd;

	sfd = ioctl(self->cfd, CONTAINER_IOC_SOCKET, &cs);
	ASSERT_GE(sfd, 0);
	memcpy(addr.sun_path, "\0cfd-sock", 9);
	ASSERT_EQ(bind(sfd, (void *)&addr, offsetof(struct sockaddr_un, sun_path) + 9), 0);
	ASSERT_EQ(listen(sfd, 1), 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	EXPECT_EQ(connect(fd, (void *)&addr, offsetof(struct sockaddr_un, sun_path) + 9), -1);
	close(fd);
	pid = cfd_fork(self->cfd, 0, NULL);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		_exit(connect(fd, (void *)&addr,
			      offsetof(struct sockaddr_un, sun_path) + 9) ? 1 : 0);
	}
	EXPECT_EQ(cfd_wait(pid), 0);
	close(sfd);
}

TEST_F(netns, socket_errors)
{
	struct container_socket cs = { .family = AF_INET, .type = SOCK_DGRAM };

	cs.reserved = 1;
	EXPECT_EQ(ioctl(self->cfd, CONTAINER_IOC_SOCKET, &cs), -1);
	EXPECT_EQ(errno, EINVAL);
	cs.reserved = 0;
	cs.type = SOCK_DGRAM | 0x40000000;
	EXPECT_EQ(ioctl(self->cfd, CONTAINER_IOC_SOCKET, &cs), -1);
	EXPECT_EQ(errno, EINVAL);
	cs.type = SOCK_DGRAM;
	cs.family = 12345;
	EXPECT_EQ(ioctl(self->cfd, CONTAINER_IOC_SOCKET, &cs), -1);
	EXPECT_EQ(errno, EAFNOSUPPORT);
	EXPECT_EQ(ioctl(self->cfd, CONTAINER_IOC_SOCKET, NULL), -1);
	EXPECT_EQ(errno, EFAULT);
}

/* Unprivileged: everything below runs as CFD_NOBODY. */

/* Map root in @pid's user namespace to CFD_NOBODY, as its owner may. */
static int write_id_maps(pid_t pid)
{
	static const char *const files[] = { "uid_map", "setgroups", "gid_map" };
	static const char *const lines[] = { "0 65534 1", "deny", "0 65534 1" };
	char path[64];
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", pid, files[i]);
		if (cfd_write_file(path, lines[i], 0))
			return -1;
	}
	return 0;
}

static int owner_builds_its_container(void *arg)
{
	int cfd, mfd, pid, ret = 0;

	(void)arg;
	/* An owner of a user-namespaced container mounts into it... */
	cfd = empty_with_tmpfs_root(CONTAINER_NEW_USER_NS | CONTAINER_NEW_PID_NS);
	if (cfd < 0)
		return 10;
	/* ...but not a filesystem that ignores the container's namespaces... */
	if (cfd_fs_mount("debugfs", cfd, NULL, NULL) != -EOPNOTSUPP)
		return 11;
	/* ...nor proc, which no fully visible proc in it allows... */
	if (cfd_fs_mount("proc", cfd, NULL, NULL) != -EPERM)
		return 12;
	/* ...nor anything into its own mount namespace. */
	mfd = cfd_fs_mount("tmpfs", cfd, NULL, NULL);
	if (mfd < 0)
		return 13;
	if (move_mount(mfd, "", AT_FDCWD, "/tmp", MOVE_MOUNT_F_EMPTY_PATH) != -1 ||
	    errno != EPERM)
		return 14;
	/* Without a container, it may not even fsopen(). */
	if (cfd_fs_mount("tmpfs", -1, NULL, NULL) != -EPERM)
		return 15;
	/* A host bind mount is not for it to make. */
	if (open_tree(AT_FDCWD, "/etc", OPEN_TREE_CLONE) != -1 || errno != EPERM)
		return 16;

	/* Map itself in and populate the tree from outside, as root inside. */
	pid = cfd_fork(cfd, 0, NULL);
	if (pid < 0)
		return 17;
	if (pid == 0) {
		pause();
		_exit(0);
	}
	if (write_id_maps(pid))
		ret = 18;
	else if (mkdirat(cfd, "tmp", 0755))
		ret = 19;
	else if (mount_in(mfd, cfd, "tmp"))
		ret = 20;
	else if (mkdirat(cfd, "tmp/made-from-outside", 0755))
		ret = 21;
	if (ret)
		fprintf(stderr, "# step %d: %s\n", ret, strerror(errno));
	kill(pid, SIGKILL);
	cfd_wait(pid);
	close(mfd);
	close(cfd);
	return ret;
}

TEST(unprivileged_owner_mounts_what_it_could_inside)
{
	SKIP_IF_UNSUPPORTED();
	EXPECT_EQ(as_nobody(owner_builds_its_container, NULL), 0);
}

static int stranger_may_not_mount(void *arg)
{
	int cfd = *(int *)arg, mfd;

	if (cfd_fsopen(cfd, "tmpfs", FSOPEN_CLOEXEC) != -1 || errno != EPERM)
		return 11;
	if (fsopen("tmpfs", FSOPEN_CLOEXEC) != -1 || errno != EPERM)
		return 12;
	/* Its own container's tmpfs may not go into somebody else's. */
	mfd = open("/", O_PATH);
	if (move_mount(mfd, "", cfd, "/", MOVE_MOUNT_F_EMPTY_PATH |
		       MOVE_MOUNT_T_CONTAINER_ROOT) != -1 || errno != EPERM)
		return 14;
	if (move_mount(mfd, "", cfd, "tmp", MOVE_MOUNT_F_EMPTY_PATH) != -1 ||
	    errno != EPERM)
		return 15;
	return 0;
}

TEST(stranger_gets_eperm)
{
	int cfd;

	SKIP_IF_UNSUPPORTED();
	cfd = cfd_create(CONTAINER_NEW_EMPTY_FS_NS, "not-yours");
	ASSERT_GE(cfd, 0);
	EXPECT_EQ(as_nobody(stranger_may_not_mount, &cfd), 0);
	close(cfd);
}

TEST_HARNESS_MAIN
