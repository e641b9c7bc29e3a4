// SPDX-License-Identifier: GPL-2.0
/*
 * The *at() family and openat2(2) with container fds as every dirfd:
 * paths that climb (.., symlinks out, absolute), flags and sizes mutated.
 *
 * Everything reachable is the scratch tmpfs or a file system the fuzzer
 * made in its own namespaces, with one exception: sysfs shares its nodes
 * with the guest.  Before changing a mode, owner or time, the target is
 * looked up (open_tree without OPEN_TREE_CLONE gives an O_PATH fd, with
 * the same AT_* flags) and the change is made only if it is on a file
 * system of the fuzzer's own (tmpfs, ramfs, proc, devpts, mqueue of its
 * IPC namespace); otherwise it is not made, and counts as "guarded", not
 * as a call.
 * Opens never block: O_NONBLOCK is always set (a FIFO is in the scratch
 * tree).
 */
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include "fuzz.h"

static bool target_is_ours(int dfd, const char *path, unsigned int at_flags)
{
	struct statfs sfs;
	int fd = syscall(SYS_open_tree, dfd, path,
			 at_flags & (AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) ?
			 at_flags & (AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) : 0);
	bool ours;

	if (fd < 0) {
		/* A failed lookup fails the call the same way; a lack of fds does not. */
		if (errno != EMFILE && errno != ENFILE && errno != ENOMEM)
			return true;
		atomic_fetch_add(&fz_sh->guarded, 1);
		return false;
	}
	ours = !fstatfs(fd, &sfs) &&
	       (sfs.f_type == TMPFS_MAGIC || sfs.f_type == RAMFS_MAGIC ||
		sfs.f_type == PROC_SUPER_MAGIC || sfs.f_type == DEVPTS_SUPER_MAGIC ||
		sfs.f_type == MQUEUE_MAGIC);
	close(fd);
	if (!ours)
		atomic_fetch_add(&fz_sh->guarded, 1);
	return ours;
}

static int dirfd_arg(struct fz_thread *t)
{
	return fz_one_in(&t->rng, 10) ? AT_FDCWD : fz_pick_container(t);
}

static unsigned int open_flags(struct fz_thread *t)
{
	static const unsigned int bits =
		O_WRONLY | O_RDWR | O_CREAT | O_EXCL | O_TRUNC | O_APPEND |
		O_DIRECTORY | O_NOFOLLOW | O_PATH | O_TMPFILE | O_NOATIME |
		O_CLOEXEC | O_NOCTTY | O_DIRECT | O_SYNC | O_LARGEFILE;
	unsigned int flags = fz_random_bits(&t->rng, bits);

	if (fz_one_in(&t->rng, 16))
		flags |= 1U << fz_below(&t->rng, 32);
	return flags | O_NONBLOCK;
}

static unsigned int at_flags(struct fz_thread *t, unsigned int bits)
{
	unsigned int flags = fz_random_bits(&t->rng, bits);

	if (fz_one_in(&t->rng, 16))
		flags |= 1U << fz_below(&t->rng, 32);
	return flags;
}

static mode_t any_mode(struct fz_thread *t)
{
	return fz_one_in(&t->rng, 4) ? (mode_t)fz_rand64(&t->rng) :
	       (mode_t)fz_below(&t->rng, 010000);
}

static long call_openat(struct fz_thread *t)
{
	long ret = fz_ret(openat(dirfd_arg(t), fz_path(t), open_flags(t),
				 any_mode(t)));

	fz_adopt(t, ret, FZ_K_FILE, 16);
	return ret;
}

static long call_openat2(struct fz_thread *t)
{
	static const uint64_t resolve_bits =
		RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS |
		RESOLVE_BENEATH | RESOLVE_IN_ROOT | RESOLVE_CACHED;
	struct open_how how = {
		.flags = open_flags(t),
		.mode = (how.flags & (O_CREAT | O_TMPFILE)) ? fz_below(&t->rng, 010000) : 0,
		.resolve = fz_random_bits(&t->rng, resolve_bits),
	};
	size_t size = fz_size(t, OPEN_HOW_SIZE_VER0);
	long ret;

	if (fz_one_in(&t->rng, 8))
		how.mode = fz_rand64(&t->rng);
	if (fz_one_in(&t->rng, 8))
		how.resolve |= 1ULL << fz_below(&t->rng, 64);
	ret = fz_ret(syscall(SYS_openat2, dirfd_arg(t), fz_path(t),
			     fz_ptr_in(t, &how, sizeof(how), size), size));
	fz_adopt(t, ret, FZ_K_FILE, 16);
	return ret;
}

static long call_mkdirat(struct fz_thread *t)
{
	return fz_ret(mkdirat(dirfd_arg(t), fz_new_name(t), any_mode(t)));
}

static long call_mknodat(struct fz_thread *t)
{
	/* No device nodes: a FIFO, a file, a socket, a whiteout, or junk. */
	static const mode_t types[] = { S_IFIFO, S_IFREG, S_IFSOCK, 0, S_IFCHR, 0170000 };
	mode_t type = FZ_PICK(&t->rng, types);

	return fz_ret(mknodat(dirfd_arg(t), fz_new_name(t),
			      type | fz_below(&t->rng, 07777), 0));
}

static long call_unlinkat(struct fz_thread *t)
{
	return fz_ret(unlinkat(dirfd_arg(t), fz_new_name(t),
			       at_flags(t, AT_REMOVEDIR)));
}

static long call_renameat2(struct fz_thread *t)
{
	return fz_ret(renameat2(dirfd_arg(t), fz_new_name(t), dirfd_arg(t),
				fz_new_name(t),
				at_flags(t, RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)));
}

static long call_linkat(struct fz_thread *t)
{
	return fz_ret(linkat(dirfd_arg(t), fz_path(t), dirfd_arg(t),
			     fz_new_name(t),
			     at_flags(t, AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)));
}

static long call_symlinkat(struct fz_thread *t)
{
	return fz_ret(symlinkat(fz_path(t), dirfd_arg(t), fz_new_name(t)));
}

static long call_readlinkat(struct fz_thread *t)
{
	size_t len = fz_one_in(&t->rng, 8) ? fz_interesting64(&t->rng) :
		     fz_below(&t->rng, 256);

	return fz_ret(readlinkat(dirfd_arg(t), fz_path(t),
				 fz_ptr_out(t, len < FZ_BUF_SIZE ? len : 64), len));
}

static long call_fchmodat(struct fz_thread *t)
{
	int dfd = dirfd_arg(t);
	const char *path = fz_path(t);
	unsigned int flags = fz_one_in(&t->rng, 2) ? 0 :
			     at_flags(t, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);
	mode_t mode = any_mode(t);

	if (!target_is_ours(dfd, path, flags))
		return FZ_SKIPPED;
	if (!flags && fz_one_in(&t->rng, 2))
		return fz_ret(fchmodat(dfd, path, mode, 0));
	return fz_ret(syscall(__NR_fchmodat2, dfd, path, mode, flags));
}

static long call_fchownat(struct fz_thread *t)
{
	static const uint32_t ids[] = { 0, 65534, 1000, -1, 0x7fffffff };
	int dfd = dirfd_arg(t);
	const char *path = fz_path(t);
	unsigned int flags = at_flags(t, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);

	if (!target_is_ours(dfd, path, flags))
		return FZ_SKIPPED;
	return fz_ret(fchownat(dfd, path, FZ_PICK(&t->rng, ids),
			       FZ_PICK(&t->rng, ids), flags));
}

static long call_utimensat(struct fz_thread *t)
{
	struct timespec ts[2] = {
		{ fz_interesting64(&t->rng), fz_one_in(&t->rng, 2) ? UTIME_NOW : UTIME_OMIT },
		{ 0, fz_interesting64(&t->rng) },
	};
	int dfd = dirfd_arg(t);
	const char *path = fz_one_in(&t->rng, 8) ? NULL : fz_path(t);
	unsigned int flags = at_flags(t, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);

	if (!target_is_ours(dfd, path ? path : "", path ? flags : AT_EMPTY_PATH))
		return FZ_SKIPPED;
	return fz_ret(syscall(SYS_utimensat, dfd, path,
			      fz_one_in(&t->rng, 4) ? NULL :
			      fz_ptr_in(t, ts, sizeof(ts), sizeof(ts)), flags));
}

static long call_faccessat2(struct fz_thread *t)
{
	return fz_ret(syscall(SYS_faccessat2, dirfd_arg(t), fz_path(t),
			      fz_below(&t->rng, 16),
			      at_flags(t, AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)));
}

static long call_newfstatat(struct fz_thread *t)
{
	return fz_ret(syscall(SYS_newfstatat, dirfd_arg(t), fz_path(t),
			      fz_ptr_out(t, sizeof(struct stat)),
			      at_flags(t, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)));
}

static long call_statx(struct fz_thread *t)
{
	return fz_ret(syscall(SYS_statx, dirfd_arg(t), fz_path(t),
			      at_flags(t, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH |
				       AT_NO_AUTOMOUNT | AT_STATX_FORCE_SYNC),
			      (unsigned int)fz_random_bits(&t->rng, ~0ULL),
			      fz_ptr_out(t, 256)));
}

static long call_name_to_handle_at(struct fz_thread *t)
{
	struct file_handle *fh;
	unsigned int bytes = fz_one_in(&t->rng, 4) ? (unsigned int)fz_interesting64(&t->rng) :
			     sizeof(t->handle) - sizeof(*fh);
	void *mount_id = fz_ptr_out(t, sizeof(int));
	long ret;

	/* The handle goes to the buffer, then to t->handle for open_by_handle_at. */
	fh = (struct file_handle *)(t->buf + FZ_BUF_SIZE / 2);
	fh->handle_bytes = bytes;
	ret = fz_ret(syscall(SYS_name_to_handle_at, dirfd_arg(t), fz_path(t),
			     fz_one_in(&t->rng, 8) ? fz_ptr_out(t, 64) : (void *)fh,
			     mount_id,
			     at_flags(t, AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)));
	if (ret == 0 && fh->handle_bytes <= sizeof(t->handle) - sizeof(*fh)) {
		t->handle_len = sizeof(*fh) + fh->handle_bytes;
		memcpy(t->handle, fh, t->handle_len);
	}
	return ret;
}

static long call_open_by_handle_at(struct fz_thread *t)
{
	unsigned char h[sizeof(t->handle)];
	unsigned int len = t->handle_len;
	unsigned int flags = open_flags(t) & ~(O_TRUNC | O_CREAT | O_TMPFILE);
	long ret;

	if (len) {
		memcpy(h, t->handle, len);
		if (fz_one_in(&t->rng, 4))	/* one byte of the handle flipped */
			h[fz_below(&t->rng, len)] ^= 1 << fz_below(&t->rng, 8);
	} else {
		len = sizeof(struct file_handle) + 8;
		for (unsigned int i = 0; i < len; i++)
			h[i] = fz_rand64(&t->rng);
		((struct file_handle *)h)->handle_bytes = 8;
	}
	ret = fz_ret(syscall(SYS_open_by_handle_at, fz_pick_container(t),
			     fz_ptr_in(t, h, len, len), flags));
	fz_adopt(t, ret, FZ_K_FILE, 16);
	return ret;
}

/*
 * execveat() in a vforked child (child.c), so that the worker is never
 * replaced; nothing in the scratch tree is executable, but the walk is the
 * point.
 */
static long call_execveat(struct fz_thread *t)
{
	static char *const argv[] = { "cfd-fuzz-exec", NULL };
	return fz_vfork_syscall(SYS_execveat, dirfd_arg(t), (long)fz_path(t),
				(long)argv, (long)(argv + 1),
				at_flags(t, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW));
}

const struct fz_call fz_at_calls[] = {
	{ "openat",		10, call_openat },
	{ "openat2",		10, call_openat2 },
	{ "mkdirat",		2, call_mkdirat },
	{ "mknodat",		2, call_mknodat },
	{ "unlinkat",		2, call_unlinkat },
	{ "renameat2",		2, call_renameat2 },
	{ "linkat",		2, call_linkat },
	{ "symlinkat",		2, call_symlinkat },
	{ "readlinkat",		2, call_readlinkat },
	{ "fchmodat",		2, call_fchmodat },
	{ "fchownat",		2, call_fchownat },
	{ "utimensat",		2, call_utimensat },
	{ "faccessat2",		2, call_faccessat2 },
	{ "newfstatat",		4, call_newfstatat },
	{ "statx",		4, call_statx },
	{ "name_to_handle_at",	2, call_name_to_handle_at },
	{ "open_by_handle_at",	2, call_open_by_handle_at },
	{ "execveat",		1, call_execveat },
};
const unsigned int fz_nr_at_calls = sizeof(fz_at_calls) / sizeof(fz_at_calls[0]);
