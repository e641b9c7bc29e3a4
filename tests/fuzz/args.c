// SPDX-License-Identifier: GPL-2.0
/*
 * Argument generators: pointers, sizes, names, paths, flags and commands.
 *
 * Every pointer the kernel may write through comes from here and points
 * into the calling thread's scratch buffer or at memory no write can
 * reach (NULL, a PROT_NONE reservation, a read-only page, kernel and
 * non-canonical addresses).  Nothing here ever returns a pointer into the
 * fuzzer's own bookkeeping, so a call that writes where it was told to
 * cannot corrupt the harness.
 */
#include <sys/mman.h>

#include "fuzz.h"

#define FZ_NONE_SIZE (16 * 4096)

static unsigned char *fz_none;	/* PROT_NONE, never unmapped: faults */
static unsigned char *fz_ro;	/* one read-only page of zeros */

/* Process-wide regions, made once before the first fork. */
void fz_args_init(void)
{
	fz_none = mmap(NULL, FZ_NONE_SIZE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	fz_ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fz_none == MAP_FAILED || fz_ro == MAP_FAILED) {
		perror("cfd-fuzz: mmap");
		exit(2);
	}
}

/* The thread's scratch buffer, with a PROT_NONE page right after it. */
int fz_thread_buffers(struct fz_thread *t)
{
	unsigned char *p = mmap(NULL, FZ_BUF_SIZE + 4096, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	if (mprotect(p + FZ_BUF_SIZE, 4096, PROT_NONE)) {
		munmap(p, FZ_BUF_SIZE + 4096);
		return -1;
	}
	t->buf = p;
	return 0;
}

/* An address that no access from user space can use. */
static void *fz_bad_ptr(struct fz_thread *t)
{
	static const uint64_t kernel[] = {
		0xffffffff81000000ULL,	/* kernel text */
		0xffff888000000000ULL,	/* the direct map */
		0xffffffffff600000ULL,	/* vsyscall page */
		0x0000800000000000ULL,	/* first non-user address */
		0x8000000000000000ULL,	/* non-canonical */
		~0ULL, ~0ULL - 7,
	};

	switch (fz_below(&t->rng, 5)) {
	case 0:
		return (void *)(uintptr_t)fz_below(&t->rng, 8192);	/* NULL page */
	case 1:
	case 2:
		return fz_none + fz_below(&t->rng, FZ_NONE_SIZE);
	default:
		return (void *)(uintptr_t)FZ_PICK(&t->rng, kernel);
	}
}

/* Where the kernel may write @len bytes (or fail to). */
void *fz_ptr_out(struct fz_thread *t, size_t len)
{
	unsigned int dice = fz_below(&t->rng, 100);

	if (dice < 72 && len <= FZ_BUF_SIZE) {
		size_t off = fz_below(&t->rng, FZ_BUF_SIZE - len + 1);

		if (!fz_one_in(&t->rng, 8))
			off &= ~7UL;
		return t->buf + off;
	}
	if (dice < 82 && len)	/* straddles the guard page */
		return t->buf + FZ_BUF_SIZE - 1 - fz_below(&t->rng, len < FZ_BUF_SIZE ? len : FZ_BUF_SIZE);
	if (dice < 87)
		return fz_ro + fz_below(&t->rng, 64);
	if (dice < 90)
		return NULL;
	return fz_bad_ptr(t);
}

/*
 * @len bytes of @data where the kernel will read @size bytes: mostly in
 * the buffer with a zero tail up to @size, sometimes a non-zero tail,
 * sometimes ending at the guard page, sometimes no valid memory at all.
 */
void *fz_ptr_in(struct fz_thread *t, const void *data, size_t len, size_t size)
{
	unsigned int dice = fz_below(&t->rng, 100);
	size_t room, off, tail;
	unsigned char *p;

	if (len > FZ_BUF_SIZE)
		len = FZ_BUF_SIZE;
	if (dice < 3)
		return NULL;
	if (dice < 7)
		return fz_bad_ptr(t);
	if (dice < 9)
		return fz_ro;		/* zeros, readable */
	if (dice < 17) {		/* the data ends at the guard page */
		p = t->buf + FZ_BUF_SIZE - len;
		memcpy(p, data, len);
		return p;
	}
	room = size > len && size < FZ_BUF_SIZE ? size : len;
	off = fz_below(&t->rng, FZ_BUF_SIZE - room + 1);
	if (!fz_one_in(&t->rng, 8))
		off &= ~7UL;
	p = t->buf + off;
	memcpy(p, data, len);
	if (size > len) {
		tail = (size < FZ_BUF_SIZE - off ? size : FZ_BUF_SIZE - off) - len;
		if (fz_one_in(&t->rng, 4)) {
			for (size_t i = 0; i < tail; i++)
				p[len + i] = fz_rand64(&t->rng) | 1;
			if (tail && fz_one_in(&t->rng, 2))	/* one byte only */
				memset(p + len, 0, tail - 1);
		} else {
			memset(p + len, 0, tail);
		}
	}
	return p;
}

/* A size for an extensible struct whose first version is @ver0 bytes. */
size_t fz_size(struct fz_thread *t, size_t ver0)
{
	unsigned int dice = fz_below(&t->rng, 100);

	if (dice < 40)
		return ver0;
	if (dice < 48)
		return 0;
	if (dice < 58)
		return ver0 > 1 ? 1 + fz_below(&t->rng, ver0 - 1) : 1;
	if (dice < 73)
		return ver0 + 8 * (1 + fz_below(&t->rng, 8));
	if (dice < 83)
		return fz_below(&t->rng, 4097);
	if (dice < 88)
		return 4096 + fz_below(&t->rng, 2);
	if (dice < 95)
		return fz_interesting64(&t->rng);
	return fz_rand64(&t->rng);
}

/*
 * The scratch file system (sandbox.c makes it): directories a/b/c, d,
 * w (world-writable), mnt; file f and a/f; fifo; symlinks l-out (climbs
 * out), l-abs (absolute), l-loop (itself), l-dir (to a).
 */
const char *const fz_scratch_dirs[] = {
	"a", "a/b", "a/b/c", "d", "w", "mnt", "n0", "n1", "n2", "a/n0",
	"w/n1", "mnt/n2", "d/n3", "f", "a/f",
};
const unsigned int fz_nr_scratch_dirs = sizeof(fz_scratch_dirs) / sizeof(fz_scratch_dirs[0]);

static const char *const paths[] = {
	"", ".", "..", "/", "a", "a/b", "a/b/c", "/a/b", "f", "a/f", "d", "w",
	"mnt", "mnt/", "l-out", "l-abs", "l-loop", "l-dir", "l-dir/b",
	"a/../..", "../../..", "/../a", "./a//b/", "fifo", "n0", "a/n0",
	"w/n1", "nonexistent", "f/", "l-out/a", "mnt/n2", "/", "a",
};

static const char *const new_names[] = {
	"n0", "n1", "n2", "a/n0", "w/n1", "mnt/n2", "d/n3", "a/b/n4", "n5",
	"l-new", "w/fifo", "a/b/c/n6",
};

/* A string that is not a good one: long, unterminated, or not there. */
static const char *fz_bad_string(struct fz_thread *t)
{
	size_t n;
	char *p;

	switch (fz_below(&t->rng, 6)) {
	case 0:		/* a component longer than NAME_MAX */
		n = 256 + fz_below(&t->rng, 8);
		p = (char *)t->buf + FZ_BUF_SIZE - n - 1;
		memset(p, 'x', n);
		p[n] = 0;
		return p;
	case 1:		/* longer than PATH_MAX */
		n = FZ_BUF_SIZE - 1;
		p = (char *)t->buf;
		for (size_t i = 0; i < n; i++)
			p[i] = i % 2 ? '/' : 'a';
		p[n] = 0;
		return p;
	case 2:		/* no NUL before the guard page */
		n = 1 + fz_below(&t->rng, 300);
		p = (char *)t->buf + FZ_BUF_SIZE - n;
		memset(p, 'a', n);
		return p;
	case 3:		/* random bytes */
		n = 1 + fz_below(&t->rng, 64);
		p = (char *)t->buf + fz_below(&t->rng, FZ_BUF_SIZE - n - 1);
		for (size_t i = 0; i < n; i++)
			p[i] = fz_rand64(&t->rng) | 1;
		p[n] = 0;
		return p;
	default:
		return fz_bad_ptr(t);
	}
}

const char *fz_path(struct fz_thread *t)
{
	if (fz_one_in(&t->rng, 16))
		return fz_bad_string(t);
	return FZ_PICK(&t->rng, paths);
}

const char *fz_new_name(struct fz_thread *t)
{
	if (fz_one_in(&t->rng, 4))
		return fz_path(t);
	return FZ_PICK(&t->rng, new_names);
}

const char *fz_string(struct fz_thread *t, const char *const *list, size_t n)
{
	if (fz_one_in(&t->rng, 12))
		return fz_bad_string(t);
	return list[fz_below(&t->rng, n)];
}

/* A container name: valid ones, one character too many, bad characters. */
const char *fz_container_name(struct fz_thread *t)
{
	static const char *const names[] = {
		"fz", "fz-1", "A.b_c-9", "...", "-", "x",
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789a",	/* 63 */
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789ab",	/* 64 */
		"", "a/b", "a b", "\xff", "tab\there", "new\nline", "..", "%s",
	};

	if (fz_one_in(&t->rng, 4))
		return NULL;
	if (fz_one_in(&t->rng, 8))
		return fz_bad_string(t);
	return FZ_PICK(&t->rng, names);
}

/*
 * File system types.  Left out on purpose: 9p (trans=fd waits for a
 * server), debugfs and tracefs (global state under fixed names), and
 * cgroup2 and cgroup: their superblock is the guest's, and an fs context
 * that has been mounted can reconfigure it (a fuzzed "ro" made the
 * guest's cgroup2 read-only).  The rest get a superblock of their own, or
 * one of the fuzzer's namespaces (sysfs: its network namespace; mqueue:
 * its IPC namespace).
 */
const char *fz_fs_name(struct fz_thread *t)
{
	static const char *const names[] = {
		"tmpfs", "tmpfs", "tmpfs", "ramfs", "proc", "proc", "sysfs",
		"devpts", "mqueue", "ext4", "rootfs", "nsfs", "pidfs",
		"anon_inodefs", "nosuchfs", "", "tmpfs.",
	};

	if (fz_one_in(&t->rng, 10))
		return fz_bad_string(t);
	return FZ_PICK(&t->rng, names);
}

/* container_create() flags: mostly valid sets, some one bit off. */
uint64_t fz_container_flags(struct fz_thread *t)
{
	unsigned int dice = fz_below(&t->rng, 100);
	uint64_t flags = fz_random_bits(&t->rng, FZ_CONTAINER_FLAGS);

	if (dice < 60) {
		if ((flags & CONTAINER_NEW_FS_NS) && !fz_one_in(&t->rng, 8))
			flags &= ~CONTAINER_NEW_EMPTY_FS_NS;
		return flags;
	}
	if (dice < 70)
		return 0;
	if (dice < 80)
		return flags | FZ_OLD_FD_CLOEXEC;
	if (dice < 90)
		return flags | (1ULL << fz_below(&t->rng, 64));
	return fz_interesting64(&t->rng);
}

int fz_signal(struct fz_thread *t)
{
	static const int sigs[] = {
		0, 0, 0, SIGKILL, SIGTERM, SIGSTOP, SIGCONT, SIGUSR1, SIGCHLD,
		SIGSEGV, SIGHUP, SIGINT, SIGWINCH, 34, 64, 65, -1, 1000,
	};

	if (fz_one_in(&t->rng, 6))
		return (int)fz_interesting64(&t->rng);
	return FZ_PICK(&t->rng, sigs);
}

/* An ioctl command with @magic: any direction, number and size. */
unsigned long fz_ioctl_cmd(struct fz_thread *t, unsigned int magic,
			   unsigned int nr_max)
{
	static const unsigned int sizes[] = {
		0, 1, 4, 8, 16, 24, CONTAINER_INFO_SIZE_VER0 - 1,
		CONTAINER_INFO_SIZE_VER0, CONTAINER_INFO_SIZE_VER0 + 8, 256,
		4096, (1 << _IOC_SIZEBITS) - 1,
	};
	unsigned int dir = fz_below(&t->rng, 4);
	unsigned int size = fz_one_in(&t->rng, 4) ?
		fz_below(&t->rng, 1 << _IOC_SIZEBITS) : FZ_PICK(&t->rng, sizes);

	return _IOC(dir, magic, fz_below(&t->rng, nr_max), size);
}

/* One CLONE_NEW* flag, mostly; sometimes two, none, or junk. */
unsigned long fz_ns_type(struct fz_thread *t)
{
	static const unsigned long types[] = {
		CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
		CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP, CLONE_NEWTIME,
	};

	switch (fz_below(&t->rng, 10)) {
	case 0:
		return FZ_PICK(&t->rng, types) | FZ_PICK(&t->rng, types);
	case 1:
		return fz_interesting64(&t->rng);
	default:
		return FZ_PICK(&t->rng, types);
	}
}
