// SPDX-License-Identifier: GPL-2.0
/*
 * The 1.1 helpers: an empty container gets a root, a tmpfs with options
 * parsed by libmount, a read-only bind and a socket, all from outside;
 * bad option strings and bad fds come back as -errno.
 */
#include "lib_test.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>

int main(void)
{
	struct cfd_options o = { .flags = CONTAINER_NEW_EMPTY_FS_NS, .name = "lib-mount" };
	struct statvfs vfs;
	struct stat st;
	int cfd, mfd, fd, status;
	pid_t pid;

	skip_unless_supported();
	cfd = cfd_create(&o, sizeof(o));
	CHECK(cfd >= 0);

	CHECK_ERR(cfd_fs_mount(cfd, "tmpfs", "size=1m,bogus-option"), EINVAL);
	CHECK_ERR(cfd_fs_mount(cfd, "no-such-fs", NULL), ENODEV);
	CHECK_ERR(cfd_fs_mount(cfd, "", NULL), EINVAL);
	CHECK_ERR(cfd_set_root_dir(cfd, "/nonexistent"), ENOENT);

	mfd = cfd_fs_mount(cfd, "tmpfs", "size=2m,mode=0755");
	CHECK(mfd >= 0);
	CHECK(cfd_set_root(cfd, mfd) == 0);
	close(mfd);
	CHECK_ERR(cfd_set_root_dir(cfd, "/tmp"), EBUSY);

	/* Options: size= went to the filesystem, ro to the mount. */
	mfd = cfd_fs_mount(cfd, "tmpfs", "ro,nosuid,size=1m");
	CHECK(mfd >= 0);
	CHECK(cfd_mount_at(cfd, mfd, "/deep/er/mnt") == 0);
	close(mfd);
	fd = openat(cfd, "deep/er/mnt", O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	CHECK(fstatvfs(fd, &vfs) == 0);
	CHECK(vfs.f_flag & ST_RDONLY);
	CHECK(vfs.f_flag & ST_NOSUID);
	CHECK(vfs.f_blocks * vfs.f_frsize == 1024 * 1024);
	close(fd);

	/* A read-only bind of a host file, on a file made for it. */
	CHECK(cfd_bind(cfd, "/etc/debian_version", "/etc/debian_version", "ro") == 0);
	CHECK(fstatat(cfd, "etc/debian_version", &st, 0) == 0 && S_ISREG(st.st_mode));
	fd = openat(cfd, "etc/debian_version", O_WRONLY);
	CHECK(fd < 0 && errno == EROFS);

	/* A socket in the container's network (ours here: no new netns). */
	fd = cfd_socket(cfd, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(fd >= 0);
	close(fd);
	CHECK_ERR(cfd_socket(cfd, 12345, SOCK_STREAM, 0), EAFNOSUPPORT);
	CHECK_ERR(cfd_socket(-1, AF_UNIX, SOCK_STREAM, 0), EBADF);

	/* A process forked in sees the tree. */
	pid = cfd_fork(cfd, NULL);
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(access("/deep/er/mnt", F_OK) || access("/etc/debian_version", R_OK));
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(cfd);
	return 0;
}
