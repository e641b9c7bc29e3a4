// SPDX-License-Identifier: GPL-2.0
/*
 * A container fd as the dirfd of path-walking syscalls: paths resolve from
 * the container's root and cannot leave it, for every *at() syscall and
 * for io_uring.  The container's root is a tmpfs directory here; the host
 * side checks each effect landed inside it.
 */
#include "cfd_util.h"

#include <liburing.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <utime.h>

#include "kselftest_harness.h"

#ifndef __NR_openat2
#define __NR_openat2 437
#endif
#ifndef __NR_faccessat2
#define __NR_faccessat2 439
#endif
#ifndef __NR_open_tree
#define __NR_open_tree 428
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif

/* Read a short file through dirfd @dfd; "" on error (errno set). */
static const char *read_at(int dfd, const char *path)
{
	static char buf[64];
	int fd = openat(dfd, path, O_RDONLY);
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

/* The container: made by a helper chrooted to @root, fd passed back. */
static int container_rooted_at(const char *root)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;
	int sv[2], fd = -1;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;
	pid = fork();
	if (pid == 0) {
		int cfd;

		if (chroot(root) || chdir("/"))
			_exit(1);
		cfd = cfd_create(0, "rooted");
		if (cfd < 0)
			_exit(2);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &cfd, sizeof(int));
		_exit(sendmsg(sv[0], &msg, 0) == 1 ? 0 : 3);
	}
	if (recvmsg(sv[1], &msg, 0) == 1) {
		cmsg = CMSG_FIRSTHDR(&msg);
		if (cmsg && cmsg->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	}
	waitpid(pid, NULL, 0);
	close(sv[0]);
	close(sv[1]);
	return fd;
}

FIXTURE(rooted) {
	char root[64];
	char path[256];
	int cfd;
};

FIXTURE_SETUP(rooted)
{
	static const char *const dirs[] = { "etc", "bin", "proc", "dir", "sub" };
	const char *why = cfd_skip_reason();
	size_t i;

	if (why)
		SKIP(return, "%s", why);
	/* Everything below is on a tmpfs of this test's own. */
	ASSERT_EQ(cfd_private_tmp(), 0);
	strcpy(self->root, "/tmp/cfd-root.XXXXXX");
	ASSERT_NE(mkdtemp(self->root), NULL);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(self->path, sizeof(self->path), "%s/%s", self->root, dirs[i]);
		ASSERT_EQ(mkdir(self->path, 0755), 0);
	}
	snprintf(self->path, sizeof(self->path), "%s/etc/hostname", self->root);
	ASSERT_EQ(cfd_write_file(self->path, "inside", O_CREAT | O_TRUNC), 0);
	snprintf(self->path, sizeof(self->path), "%s/abs", self->root);
	ASSERT_EQ(symlink("/etc/hostname", self->path), 0);
	snprintf(self->path, sizeof(self->path), "%s/up", self->root);
	ASSERT_EQ(symlink("../../../../../etc/hostname", self->path), 0);
	snprintf(self->path, sizeof(self->path), "%s/loop", self->root);
	ASSERT_EQ(symlink("loop", self->path), 0);
	snprintf(self->path, sizeof(self->path), "%s/proc", self->root);
	ASSERT_EQ(mount("proc", self->path, "proc", 0, NULL), 0);
	self->cfd = container_rooted_at(self->root);
	ASSERT_GE(self->cfd, 0);
	/* A file outside the root, for the bind-mount check to look for. */
	ASSERT_EQ(cfd_write_file("/tmp/cfd-hostname-marker", "outside", O_CREAT | O_TRUNC), 0);
}

/* The private /tmp, with the root and its proc, goes with the test. */
FIXTURE_TEARDOWN(rooted)
{
	close(self->cfd);
}

static const char *host(struct __test_metadata *m, char *buf, const char *root,
			const char *rel)
{
	snprintf(buf, 256, "%s/%s", root, rel);
	return buf;
}
#define HOST(rel) host(_metadata, self->path, self->root, rel)

TEST_F(rooted, relative_and_absolute_paths_start_at_the_root)
{
	EXPECT_STREQ(read_at(self->cfd, "etc/hostname"), "inside");
	EXPECT_STREQ(read_at(self->cfd, "/etc/hostname"), "inside");
	EXPECT_STREQ(read_at(self->cfd, "./etc/../etc/hostname"), "inside");
}

TEST_F(rooted, dotdot_stays_inside)
{
	struct stat root, got;
	int fd;

	EXPECT_STREQ(read_at(self->cfd, "../../../etc/hostname"), "inside");
	EXPECT_STREQ(read_at(self->cfd, "dir/../../../../etc/hostname"), "inside");
	ASSERT_EQ(stat(self->root, &root), 0);
	fd = openat(self->cfd, "..", O_DIRECTORY | O_RDONLY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(fstat(fd, &got), 0);
	EXPECT_EQ(got.st_ino, root.st_ino);
	close(fd);
}

TEST_F(rooted, symlinks_stay_inside)
{
	EXPECT_STREQ(read_at(self->cfd, "abs"), "inside");
	EXPECT_STREQ(read_at(self->cfd, "up"), "inside");
	EXPECT_EQ(openat(self->cfd, "loop", O_RDONLY), -1);
	EXPECT_EQ(errno, ELOOP);
}

TEST_F(rooted, magic_links_are_refused)
{
	EXPECT_EQ(openat(self->cfd, "proc/self/root/etc/hostname", O_RDONLY), -1);
	EXPECT_EQ(errno, EXDEV);
	EXPECT_EQ(openat(self->cfd, "proc/self/cwd", O_RDONLY), -1);
	EXPECT_EQ(errno, EXDEV);
	EXPECT_EQ(openat(self->cfd, "proc/1/root", O_RDONLY), -1);
	EXPECT_EQ(errno, EXDEV);
}

TEST_F(rooted, bind_mount_pointing_out_is_the_only_door)
{
	/* A mount the manager puts inside is followed: that is its choice.
	 * Without one, nothing outside is reachable (dotdot, symlinks above). */
	struct stat st;

	ASSERT_EQ(mount("/tmp", HOST("sub"), NULL, MS_BIND, NULL), 0);
	EXPECT_EQ(fstatat(self->cfd, "sub/cfd-hostname-marker", &st, 0), 0);
	/* ...but ".." from the bind mount still stops at the root. */
	EXPECT_STREQ(read_at(self->cfd, "sub/../../etc/hostname"), "inside");
	umount2(HOST("sub"), MNT_DETACH);
}

TEST_F(rooted, every_at_syscall)
{
	struct file_handle *fh;
	struct open_how how = { .flags = O_RDONLY };
	struct statx stx;
	struct timespec ts[2] = { { 1000000, 0 }, { 1000000, 0 } };
	struct stat st;
	char link[64];
	int fd, mount_id;

	EXPECT_EQ(mkdirat(self->cfd, "/made", 0700), 0);
	EXPECT_EQ(stat(HOST("made"), &st), 0);
	EXPECT_EQ(mknodat(self->cfd, "fifo", S_IFIFO | 0600, 0), 0);
	EXPECT_EQ(stat(HOST("fifo"), &st), 0);
	EXPECT_TRUE(S_ISFIFO(st.st_mode));
	EXPECT_EQ(symlinkat("/etc/hostname", self->cfd, "ln"), 0);
	EXPECT_EQ(readlinkat(self->cfd, "ln", link, sizeof(link)), 13);
	EXPECT_EQ(linkat(self->cfd, "etc/hostname", self->cfd, "hard", 0), 0);
	EXPECT_EQ(stat(HOST("hard"), &st), 0);
	EXPECT_EQ(st.st_nlink, 2);
	EXPECT_EQ(renameat2(self->cfd, "hard", self->cfd, "/renamed", 0), 0);
	EXPECT_EQ(stat(HOST("renamed"), &st), 0);
	EXPECT_EQ(fchmodat(self->cfd, "renamed", 0600, 0), 0);
	EXPECT_EQ(stat(HOST("renamed"), &st), 0);
	EXPECT_EQ(st.st_mode & 0777, 0600);
	EXPECT_EQ(fchownat(self->cfd, "renamed", 123, 456, 0), 0);
	EXPECT_EQ(stat(HOST("renamed"), &st), 0);
	EXPECT_EQ(st.st_uid, 123);
	EXPECT_EQ(utimensat(self->cfd, "renamed", ts, 0), 0);
	EXPECT_EQ(stat(HOST("renamed"), &st), 0);
	EXPECT_EQ(st.st_mtime, 1000000);
	EXPECT_EQ(statx(self->cfd, "/etc/hostname", 0, STATX_SIZE, &stx), 0);
	EXPECT_EQ(stx.stx_size, 6);
	EXPECT_EQ(syscall(__NR_faccessat2, self->cfd, "/etc/hostname", R_OK, 0), 0);
	EXPECT_EQ(syscall(__NR_faccessat2, self->cfd, "/nonexistent", R_OK, 0), -1);
	EXPECT_EQ(unlinkat(self->cfd, "/renamed", 0), 0);
	EXPECT_NE(stat(HOST("renamed"), &st), 0);
	EXPECT_EQ(unlinkat(self->cfd, "made", AT_REMOVEDIR), 0);
	/* openat2 on top: RESOLVE_IN_ROOT again changes nothing. */
	how.resolve = RESOLVE_IN_ROOT;
	fd = syscall(__NR_openat2, self->cfd, "../etc/hostname", &how, sizeof(how));
	EXPECT_GE(fd, 0);
	close(fd);
	/* name_to_handle_at and open_tree. */
	fh = malloc(sizeof(*fh) + MAX_HANDLE_SZ);
	ASSERT_NE(fh, NULL);
	fh->handle_bytes = MAX_HANDLE_SZ;
	EXPECT_EQ(name_to_handle_at(self->cfd, "/etc/hostname", fh, &mount_id, 0), 0);
	free(fh);
	fd = syscall(__NR_open_tree, self->cfd, "/etc", OPEN_TREE_CLONE);
	EXPECT_GE(fd, 0);
	EXPECT_STREQ(read_at(fd, "hostname"), "inside");
	close(fd);
}

TEST_F(rooted, execveat)
{
	char *argv[] = { "sh", "-c", "exit 9", NULL };
	pid_t pid;

	snprintf(self->path, sizeof(self->path), "cp /bin/busybox %s/bin/busybox", self->root);
	ASSERT_EQ(system(self->path), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		syscall(__NR_execveat, self->cfd, "/bin/busybox", argv, NULL, 0);
		_exit(100 + errno);
	}
	EXPECT_EQ(cfd_wait(pid), 9);
}

TEST_F(rooted, io_uring)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct statx stx;
	struct stat st;
	int ret, fd;

	ret = io_uring_queue_init(8, &ring, 0);
	if (ret == -ENOSYS)
		SKIP(return, "no io_uring");
	ASSERT_EQ(ret, 0);

#define SUBMIT_AND_WAIT(out)						\
	do {								\
		ASSERT_EQ(io_uring_submit(&ring), 1);			\
		ASSERT_EQ(io_uring_wait_cqe(&ring, &cqe), 0);		\
		out = cqe->res;						\
		io_uring_cqe_seen(&ring, cqe);				\
	} while (0)

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_openat(sqe, self->cfd, "../../etc/hostname", O_RDONLY, 0);
	SUBMIT_AND_WAIT(fd);
	ASSERT_GE(fd, 0);
	{
		char buf[16] = {};

		EXPECT_EQ(read(fd, buf, sizeof(buf)), 6);
		EXPECT_STREQ(buf, "inside");
	}
	close(fd);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_statx(sqe, self->cfd, "/abs", 0, STATX_SIZE, &stx);
	SUBMIT_AND_WAIT(ret);
	EXPECT_EQ(ret, 0);
	EXPECT_EQ(stx.stx_size, 6);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_mkdirat(sqe, self->cfd, "/uring-dir", 0755);
	SUBMIT_AND_WAIT(ret);
	EXPECT_EQ(ret, 0);
	EXPECT_EQ(stat(HOST("uring-dir"), &st), 0);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_renameat(sqe, self->cfd, "uring-dir", self->cfd, "/uring-moved", 0);
	SUBMIT_AND_WAIT(ret);
	EXPECT_EQ(ret, 0);
	EXPECT_EQ(stat(HOST("uring-moved"), &st), 0);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_unlinkat(sqe, self->cfd, "../uring-moved", AT_REMOVEDIR);
	SUBMIT_AND_WAIT(ret);
	EXPECT_EQ(ret, 0);
	EXPECT_NE(stat(HOST("uring-moved"), &st), 0);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_openat(sqe, self->cfd, "proc/self/root/etc/hostname", O_RDONLY, 0);
	SUBMIT_AND_WAIT(ret);
	EXPECT_EQ(ret, -EXDEV);
	io_uring_queue_exit(&ring);
}

TEST_F(rooted, no_walk_without_capability)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (cfd_drop_privs(CFD_NOBODY))
			_exit(20);
		if (openat(self->cfd, "etc/hostname", O_RDONLY) != -1 || errno != EPERM)
			_exit(1);
		if (mkdirat(self->cfd, "x", 0755) != -1 || errno != EPERM)
			_exit(2);
		_exit(0);
	}
	EXPECT_EQ(cfd_wait(pid), 0);
}

/*
 * A walker goes "dir/a/../cfd-hostname-marker" while a renamer moves a/
 * out of the root and back.  Caught mid-walk, ".." from a/ would be /tmp,
 * where the outside marker is; the walk must fail instead (-EAGAIN when
 * a rename ran during the walk, -EXDEV when ".." found itself outside,
 * as RESOLVE_IN_ROOT does), never open it.  Those refusals are the race
 * window being hit: a run that never hit it tested nothing and fails.
 */
TEST_F(rooted, rename_race_does_not_escape)
{
	char inside[256], outside[] = "/tmp/cfd-race-moved";
	int walks, opened = 0, again = 0, xdev = 0, escaped = 0, sync[2];
	time_t start, spent;
	pid_t renamer;

	snprintf(inside, sizeof(inside), "%s/dir/a", self->root);
	ASSERT_EQ(mkdir(inside, 0755), 0);
	ASSERT_EQ(cfd_sync_pair(sync), 0);
	renamer = fork();
	ASSERT_GE(renamer, 0);
	if (renamer == 0) {
		/* Never outlives the test, however the test ends. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() == 1)
			_exit(1);
		for (;;) {
			rename(inside, outside);
			rename(outside, inside);
			if (sync[1] >= 0) {
				cfd_sync_post(sync[1]);
				close(sync[1]);
				sync[1] = -1;
			}
		}
	}
	close(sync[1]);
	ASSERT_EQ(cfd_sync_wait(sync[0], -1), 1);
	/*
	 * Bounded in time, not count (TCG guests are slow): 3 s, or up to
	 * 20 s while the window has not been hit yet.
	 */
	walks = 0;
	start = time(NULL);
	do {
		const char *got = read_at(self->cfd, "dir/a/../cfd-hostname-marker");

		walks++;
		if (!strcmp(got, "outside"))
			escaped++;
		else if (*got)
			opened++;
		else if (errno == EAGAIN)
			again++;
		else if (errno == EXDEV)
			xdev++;
		spent = time(NULL) - start;
	} while (spent < 3 || (!again && !xdev && spent < 20));
	kill(renamer, SIGKILL);
	cfd_wait(renamer);
	close(sync[0]);
	TH_LOG("%d walks: %d refused with EAGAIN, %d with EXDEV, %d escaped",
	       walks, again, xdev, escaped);
	EXPECT_EQ(escaped, 0);
	EXPECT_EQ(opened, 0);
	EXPECT_GT(again + xdev, 0) TH_LOG("no rename ever raced a walk");
}

TEST_HARNESS_MAIN
