// SPDX-License-Identifier: GPL-2.0
/*
 * The mount API with container fds in every fd argument: fsopen,
 * fsconfig (every command, 9 and up included: 9 was
 * FSCONFIG_SET_CONTAINER once), fsmount, move_mount (with
 * MOVE_MOUNT_T_CONTAINER_ROOT), open_tree and mount_setattr.
 *
 * All of it happens in the fuzzer's private mount namespace, whose every
 * path is on the scratch tmpfs, or in the containers' own; fspick, which
 * would reach the superblocks of the guest, is left out.  The driver
 * unmounts what piles up on the scratch paths.
 *
 * Two things are not done, because they would make the worker's own root
 * "chrooted" (see sandbox.c): moving a mount onto the worker's root, and
 * making that root shared (a container's copy of it would then pass its
 * mounts on).  The target is looked up first (open_tree without
 * OPEN_TREE_CLONE) and such calls count as "guarded", not as calls.
 */
#include <sys/stat.h>

#include "fuzz.h"

static uint64_t root_mnt_id, root_ino;

/* Remember what our root is; each worker, after it has its root. */
void fz_mount_guard_init(void)
{
	struct statx stx;

	if (!statx(AT_FDCWD, "/", 0, STATX_MNT_ID | STATX_INO, &stx)) {
		root_mnt_id = stx.stx_mnt_id;
		root_ino = stx.stx_ino;
	}
}

/* Is (@dfd, @path) the root of our root mount? */
static bool is_our_root(int dfd, const char *path, unsigned int at_flags)
{
	struct statx stx;
	int fd = syscall(SYS_open_tree, dfd, path, at_flags);
	bool ours;

	if (fd < 0)
		return errno == EMFILE || errno == ENFILE || errno == ENOMEM;
	ours = statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID | STATX_INO, &stx) ||
	       (stx.stx_mnt_id == root_mnt_id && stx.stx_ino == root_ino);
	close(fd);
	if (ours)
		atomic_fetch_add(&fz_sh->guarded, 1);
	return ours;
}

static long call_fsopen(struct fz_thread *t)
{
	unsigned int flags = fz_one_in(&t->rng, 8) ? (unsigned int)fz_interesting64(&t->rng) :
			     fz_one_in(&t->rng, 2) ? FSOPEN_CLOEXEC : 0;
	long ret = fz_ret(syscall(SYS_fsopen, fz_fs_name(t), flags));

	fz_adopt(t, ret, FZ_K_FSCONTEXT, 3);
	return ret;
}

static const char *const keys[] = {
	"source", "size", "mode", "uid", "gid", "nr_inodes", "nr_blocks",
	"huge", "ro", "rw", "silent", "hidepid", "subset", "gid", "newinstance",
	"ptmxmode", "nsdelegate", "name", "noswap", "quota", "inode64",
	"container", "fd", "", "x",
};

static const char *const values[] = {
	"1", "0", "0755", "1m", "100%", "65534", "invisible", "pid", "always",
	"/", "a", "tmpfs", "none", "-1", "18446744073709551616", "",
};

static long call_fsconfig(struct fz_thread *t)
{
	static const unsigned int cmds[] = {
		FSCONFIG_SET_FLAG, FSCONFIG_SET_STRING, FSCONFIG_SET_STRING,
		FSCONFIG_SET_BINARY, FSCONFIG_SET_PATH, FSCONFIG_SET_PATH_EMPTY,
		FSCONFIG_SET_FD, FSCONFIG_SET_FD, FSCONFIG_CMD_CREATE,
		FSCONFIG_CMD_CREATE, FSCONFIG_CMD_RECONFIGURE,
		FSCONFIG_CMD_CREATE_EXCL, FZ_OLD_SET_CONTAINER,
		FZ_OLD_SET_CONTAINER, 10,
	};
	unsigned int cmd = fz_one_in(&t->rng, 16) ? (unsigned int)fz_interesting64(&t->rng) :
			   FZ_PICK(&t->rng, cmds);
	const void *key = NULL, *value = NULL;
	unsigned char blob[256];
	long aux = 0;
	size_t len;

	switch (cmd) {
	case FSCONFIG_SET_FLAG:
		key = fz_string(t, keys, sizeof(keys) / sizeof(keys[0]));
		break;
	case FSCONFIG_SET_STRING:
		key = fz_string(t, keys, sizeof(keys) / sizeof(keys[0]));
		value = fz_string(t, values, sizeof(values) / sizeof(values[0]));
		break;
	case FSCONFIG_SET_BINARY:
		key = fz_string(t, keys, sizeof(keys) / sizeof(keys[0]));
		len = fz_one_in(&t->rng, 4) ? fz_interesting64(&t->rng) : fz_below(&t->rng, 300);
		aux = len;
		for (size_t i = 0; i < sizeof(blob); i++)
			blob[i] = fz_rand64(&t->rng);
		value = fz_ptr_in(t, blob, len < sizeof(blob) ? len : sizeof(blob), len);
		break;
	case FSCONFIG_SET_PATH:
	case FSCONFIG_SET_PATH_EMPTY:
		key = fz_string(t, keys, sizeof(keys) / sizeof(keys[0]));
		value = fz_path(t);
		aux = fz_pick_container(t);
		break;
	case FSCONFIG_SET_FD:
	case FZ_OLD_SET_CONTAINER:
		key = fz_one_in(&t->rng, 2) ? NULL :
		      fz_string(t, keys, sizeof(keys) / sizeof(keys[0]));
		aux = fz_pick_container(t);
		break;
	default:
		if (fz_one_in(&t->rng, 4)) {
			key = fz_string(t, keys, sizeof(keys) / sizeof(keys[0]));
			aux = fz_pick_fd(t, -1);
		}
		break;
	}
	return fz_ret(syscall(SYS_fsconfig, fz_pick_fd(t, FZ_K_FSCONTEXT), cmd,
			      key, value, aux));
}

static long call_fsmount(struct fz_thread *t)
{
	static const unsigned int attrs[] = {
		0, MOUNT_ATTR_RDONLY, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
		MOUNT_ATTR_NOEXEC, MOUNT_ATTR_NOATIME, MOUNT_ATTR_NOSYMFOLLOW,
		MOUNT_ATTR_IDMAP,
	};
	unsigned int flags = fz_one_in(&t->rng, 8) ? (unsigned int)fz_rand64(&t->rng) :
			     fz_one_in(&t->rng, 2) ? FSMOUNT_CLOEXEC : 0;
	unsigned int attr = fz_one_in(&t->rng, 8) ? (unsigned int)fz_rand64(&t->rng) :
			    FZ_PICK(&t->rng, attrs);
	long ret = fz_ret(syscall(SYS_fsmount, fz_pick_fd(t, FZ_K_FSCONTEXT),
				  flags, attr));

	fz_adopt(t, ret, FZ_K_MOUNT, 2);
	return ret;
}

static long call_move_mount(struct fz_thread *t)
{
	static const unsigned int flag_bits =
		MOVE_MOUNT_F_SYMLINKS | MOVE_MOUNT_F_AUTOMOUNTS |
		MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_SYMLINKS |
		MOVE_MOUNT_T_AUTOMOUNTS | MOVE_MOUNT_T_EMPTY_PATH |
		MOVE_MOUNT_SET_GROUP | MOVE_MOUNT_BENEATH |
		MOVE_MOUNT_T_CONTAINER_ROOT;
	unsigned int flags;
	int from = fz_pick_fd(t, FZ_K_MOUNT);
	int to = fz_pick_container(t);
	const char *from_path = fz_path(t), *to_path = fz_path(t);

	/* The way a root is given, often enough to reach the code behind it. */
	if (fz_one_in(&t->rng, 3)) {
		from_path = "";
		to_path = "/";
		flags = MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_CONTAINER_ROOT;
	} else {
		flags = fz_random_bits(&t->rng, flag_bits);
	}
	if (fz_one_in(&t->rng, 16))
		flags |= 1U << fz_below(&t->rng, 32);
	if (is_our_root(to, to_path,
			(flags & MOVE_MOUNT_T_EMPTY_PATH ? AT_EMPTY_PATH : 0) |
			(flags & MOVE_MOUNT_T_SYMLINKS ? 0 : AT_SYMLINK_NOFOLLOW)))
		return FZ_SKIPPED;
	return fz_ret(syscall(SYS_move_mount, from, from_path, to, to_path, flags));
}

static long call_open_tree(struct fz_thread *t)
{
	static const unsigned int flag_bits =
		OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE |
		AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT;
	unsigned int flags = fz_random_bits(&t->rng, flag_bits);
	long ret;

	if (fz_one_in(&t->rng, 16))
		flags |= 1U << fz_below(&t->rng, 32);
	ret = fz_ret(syscall(SYS_open_tree, fz_pick_container(t), fz_path(t), flags));
	fz_adopt(t, ret, (flags & OPEN_TREE_CLONE) ? FZ_K_MOUNT : FZ_K_OPATH, 3);
	return ret;
}

static long call_mount_setattr(struct fz_thread *t)
{
	static const uint64_t attr_bits =
		MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
		MOUNT_ATTR_NOEXEC | MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME |
		MOUNT_ATTR_IDMAP | MOUNT_ATTR_NOSYMFOLLOW;
	static const uint64_t propagation[] = {
		0, 0, MS_PRIVATE, MS_SHARED, MS_SLAVE, MS_UNBINDABLE, MS_REC,
	};
	struct mount_attr attr = {
		.attr_set = fz_random_bits(&t->rng, attr_bits),
		.attr_clr = fz_one_in(&t->rng, 2) ? fz_random_bits(&t->rng, attr_bits) : 0,
		.propagation = FZ_PICK(&t->rng, propagation),
		.userns_fd = fz_pick_fd(t, FZ_K_NSFS),
	};
	unsigned int flags = fz_random_bits(&t->rng, AT_EMPTY_PATH | AT_RECURSIVE |
					    AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT);
	size_t size = fz_size(t, MOUNT_ATTR_SIZE_VER0);
	int dfd = fz_pick_container(t);
	const char *path = fz_path(t);

	if (fz_one_in(&t->rng, 8))
		attr.attr_set = fz_rand64(&t->rng);
	if ((attr.propagation & MS_SHARED) &&
	    is_our_root(dfd, path, flags & (AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)))
		return FZ_SKIPPED;
	return fz_ret(syscall(SYS_mount_setattr, dfd, path, flags,
			      fz_ptr_in(t, &attr, sizeof(attr), size), size));
}

const struct fz_call fz_mount_calls[] = {
	{ "fsopen",		4, call_fsopen },
	{ "fsconfig",		10, call_fsconfig },
	{ "fsmount",		4, call_fsmount },
	{ "move_mount",		10, call_move_mount },
	{ "open_tree",		6, call_open_tree },
	{ "mount_setattr",	6, call_mount_setattr },
};
const unsigned int fz_nr_mount_calls =
	sizeof(fz_mount_calls) / sizeof(fz_mount_calls[0]);
