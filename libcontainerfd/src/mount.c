// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Building a container's filesystem from outside: superblocks made in the
 * container (CONTAINER_IOC_FSOPEN), mounts moved into its tree, its root
 * given with MOVE_MOUNT_T_CONTAINER_ROOT.  Mount option strings are parsed
 * by libmount, as mount(8) parses them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containerfd.h"

/* The per-mount flags of an option string, as fsmount() attributes. */
static int mount_attrs(const char *vfs_opts, unsigned int *attrs)
{
	static const struct { unsigned long ms; unsigned int attr; } map[] = {
		{ MS_RDONLY, MOUNT_ATTR_RDONLY },
		{ MS_NOSUID, MOUNT_ATTR_NOSUID },
		{ MS_NODEV, MOUNT_ATTR_NODEV },
		{ MS_NOEXEC, MOUNT_ATTR_NOEXEC },
		{ MS_NOATIME, MOUNT_ATTR_NOATIME },
		{ MS_NODIRATIME, MOUNT_ATTR_NODIRATIME },
		{ MS_STRICTATIME, MOUNT_ATTR_STRICTATIME },
	};
	unsigned long flags = 0;
	size_t i;

	*attrs = 0;
	if (!vfs_opts)
		return 0;
	if (mnt_optstr_get_flags(vfs_opts, &flags,
				 mnt_get_builtin_optmap(MNT_LINUX_MAP)))
		return -EINVAL;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (flags & map[i].ms)
			*attrs |= map[i].attr;
	return 0;
}

/* Hand each filesystem option of @fs_opts to fsconfig(). */
static int set_fs_options(int fsfd, char *fs_opts)
{
	char *p = fs_opts, *name, *value;
	size_t namesz, valuesz;
	int rc = 0;

	while (p && (rc = mnt_optstr_next_option(&p, &name, &namesz,
						 &value, &valuesz)) == 0) {
		char *key = strndup(name, namesz);
		char *val = value ? strndup(value, valuesz) : NULL;

		if (!key || (value && !val))
			rc = -ENOMEM;
		else if (val)
			rc = fsconfig(fsfd, FSCONFIG_SET_STRING, key, val, 0);
		else
			rc = fsconfig(fsfd, FSCONFIG_SET_FLAG, key, NULL, 0);
		if (rc == -1)
			rc = -errno;
		free(key);
		free(val);
		if (rc)
			return rc;
	}
	return p && rc < 0 ? -EINVAL : 0;
}

int cfd_fs_mount(int cfd, const char *fstype, const char *options)
{
	char *user = NULL, *vfs = NULL, *fs = NULL;
	unsigned int attrs = 0;
	int fsfd = -1, mfd = -EINVAL, rc;

	if (!fstype || !*fstype)
		return -EINVAL;
	if (options && mnt_split_optstr(options, &user, &vfs, &fs, 1, 0))
		goto out;
	if (mount_attrs(vfs, &attrs))
		goto out;

	if (cfd >= 0) {
		struct container_fsopen fo = {
			.fs_name = (uintptr_t)fstype,
			.flags = FSOPEN_CLOEXEC,
		};

		fsfd = ioctl(cfd, CONTAINER_IOC_FSOPEN, &fo);
	} else {
		fsfd = fsopen(fstype, FSOPEN_CLOEXEC);
	}
	if (fsfd < 0) {
		mfd = -errno;
		goto out;
	}
	/* Name the source after the type, as mount(8) users expect to see. */
	if ((!fs || mnt_optstr_get_option(fs, "source", NULL, NULL) != 0) &&
	    fsconfig(fsfd, FSCONFIG_SET_STRING, "source", fstype, 0)) {
		mfd = -errno;
		goto out;
	}
	rc = set_fs_options(fsfd, fs);
	if (rc) {
		mfd = rc;
		goto out;
	}
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0)) {
		mfd = -errno;
		goto out;
	}
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, attrs);
	if (mfd < 0)
		mfd = -errno;
out:
	if (fsfd >= 0)
		close(fsfd);
	free(user);
	free(vfs);
	free(fs);
	return mfd;
}

/* mkdir -p @path below the container's root, all but the last if !@last. */
static int make_dirs(int cfd, const char *path, int last)
{
	char *copy = strdup(path), *p;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	for (p = copy; *p == '/'; p++)
		;
	while (*p && !rc) {
		char *slash = strchr(p, '/');

		if (!slash && !last)
			break;
		if (slash)
			*slash = '\0';
		if (mkdirat(cfd, copy, 0755) && errno != EEXIST)
			rc = -errno;
		if (!slash)
			break;
		*slash = '/';
		p = slash + 1;
	}
	free(copy);
	return rc;
}

int cfd_mount_at(int cfd, int mfd, const char *path)
{
	struct stat st;
	int rc, fd;

	if (!path || !*path)
		return -EINVAL;
	if (fstat(mfd, &st))
		return -errno;
	/* The mountpoint, made if missing: a directory, or a file for a file. */
	rc = make_dirs(cfd, path, S_ISDIR(st.st_mode));
	if (rc)
		return rc;
	if (!S_ISDIR(st.st_mode)) {
		fd = openat(cfd, path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
		if (fd < 0)
			return -errno;
		close(fd);
	}
	if (move_mount(mfd, "", cfd, path, MOVE_MOUNT_F_EMPTY_PATH))
		return -errno;
	return 0;
}

int cfd_set_root(int cfd, int mfd)
{
	if (move_mount(mfd, "", cfd, "/",
		       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_CONTAINER_ROOT))
		return -errno;
	return 0;
}

/* A detached, recursive copy of @path, with @options' mount flags. */
static int clone_tree(const char *path, const char *options)
{
	char *user = NULL, *vfs = NULL, *fs = NULL;
	struct mount_attr attr = {};
	unsigned int attrs = 0;
	int mfd, rc;

	if (options && mnt_split_optstr(options, &user, &vfs, &fs, 1, 0))
		return -EINVAL;
	rc = mount_attrs(vfs, &attrs);
	free(user);
	free(vfs);
	free(fs);
	if (rc)
		return rc;
	mfd = open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
			AT_RECURSIVE);
	if (mfd < 0)
		return -errno;
	attr.attr_set = attrs;
	if (attrs && mount_setattr(mfd, "", AT_EMPTY_PATH | AT_RECURSIVE,
				   &attr, sizeof(attr))) {
		rc = -errno;
		close(mfd);
		return rc;
	}
	return mfd;
}

int cfd_set_root_dir(int cfd, const char *dir)
{
	int mfd = clone_tree(dir, NULL), rc;

	if (mfd < 0)
		return mfd;
	rc = cfd_set_root(cfd, mfd);
	close(mfd);
	return rc;
}

int cfd_bind(int cfd, const char *src, const char *dst, const char *options)
{
	int mfd = clone_tree(src, options), rc;

	if (mfd < 0)
		return mfd;
	rc = cfd_mount_at(cfd, mfd, dst);
	close(mfd);
	return rc;
}

/* Close-on-exec whether asked or not, as every fd the library makes. */
int cfd_socket(int cfd, int family, int type, int protocol)
{
	struct container_socket cs = {
		.family = family, .type = type | SOCK_CLOEXEC, .protocol = protocol,
	};
	int fd = ioctl(cfd, CONTAINER_IOC_SOCKET, &cs);

	return fd < 0 ? -errno : fd;
}
