/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cfd-fuzz: the containerfd interface fuzzer.  Shared declarations: the
 * interface's header, the numbers Debian 12's headers may lack, raw
 * syscall wrappers, and the structures every part of the fuzzer uses.
 *
 * x86_64 only: children of random clone3() calls exit from a few lines of
 * assembly (child.c) so that they never run the fuzzer's own code.
 */
#ifndef CFD_FUZZ_H
#define CFD_FUZZ_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

/*
 * The interface as the kernel has it now: uapi/linux/container.h, the one
 * source of its numbers and structs, as libcontainerfd installs it
 * (containerfd-uapi.h, which <containerfd.h> includes), and from the
 * library's header only struct cfd_clone_args, clone3()'s arguments with
 * .container, which the distribution's linux/sched.h lacks.  Nothing of
 * the library is linked: the fuzzer makes the calls itself (below).  An
 * older kernel answers an ioctl it lacks with ENOTTY, which the errno
 * table shows.
 */
#include <containerfd.h>

#ifndef __x86_64__
#error "cfd-fuzz runs on x86_64 (child.c exits clone3 children in assembly)"
#endif

/* Values that are junk now: fuzzed as junk, never used as meaning. */
#define FZ_OLD_FD_CLOEXEC	0x200ULL	/* a container_create flag once */
#define FZ_OLD_SET_CONTAINER	9		/* an fsconfig command once */

/* What this fuzzer asks of container_create() when it wants success. */
#define FZ_CONTAINER_NS_FLAGS						\
	(CONTAINER_NEW_FS_NS | CONTAINER_NEW_EMPTY_FS_NS |		\
	 CONTAINER_NEW_CGROUP_NS | CONTAINER_NEW_UTS_NS |		\
	 CONTAINER_NEW_IPC_NS | CONTAINER_NEW_USER_NS |			\
	 CONTAINER_NEW_PID_NS | CONTAINER_NEW_NET_NS | CONTAINER_NEW_TIME_NS)
#define FZ_CONTAINER_FLAGS (FZ_CONTAINER_NS_FLAGS | CONTAINER_KILL_ON_CLOSE)

/* Numbers Debian 12's headers may lack. */
#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ULL
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef MOVE_MOUNT_BENEATH
#define MOVE_MOUNT_BENEATH 0x00000200
#endif
#ifndef FSCONFIG_CMD_CREATE_EXCL
#define FSCONFIG_CMD_CREATE_EXCL 8
#endif
#ifndef MOUNT_ATTR_SIZE_VER0
#define MOUNT_ATTR_SIZE_VER0 32
#endif
#ifndef OPEN_HOW_SIZE_VER0
#define OPEN_HOW_SIZE_VER0 24
#endif
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef RENAME_WHITEOUT
#define RENAME_WHITEOUT (1 << 2)
#endif
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif
#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC 0x19800202
#endif
#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x00001000U
#endif

/* Raw wrappers: the fuzzer calls the kernel, not a library's idea of it. */
static inline int sys_container_create(const void *args, size_t size)
{
	return syscall(__NR_container_create, args, size);
}

static inline long sys_clone3(struct cfd_clone_args *args, size_t size)
{
	return syscall(__NR_clone3, args, size);
}

static inline int sys_pidfd_open(pid_t pid, unsigned int flags)
{
	return syscall(__NR_pidfd_open, pid, flags);
}

static inline int sys_pidfd_getfd(int pidfd, int fd, unsigned int flags)
{
	return syscall(__NR_pidfd_getfd, pidfd, fd, flags);
}

static inline int sys_close_range(unsigned int first, unsigned int last,
				  unsigned int flags)
{
	return syscall(__NR_close_range, first, last, flags);
}

/* A call function's answer when it chose not to make the call. */
#define FZ_SKIPPED LONG_MIN

/* -errno of the last failed call, or @ret. */
static inline long fz_ret(long ret)
{
	return ret < 0 ? -errno : ret;
}

/*
 * File descriptor layout of a worker.  Every number below FZ_FD_TRANSIENT
 * is always open, so a new fd from any call lands at or above it and the
 * fuzzer can tell its own fds from what a call returned.
 */
enum {
	FZ_FD_MAILBOX_TX = 3,	/* datagram socketpair shared by all workers: */
	FZ_FD_MAILBOX_RX = 4,	/* fds sent here are "foreign" to the receiver */
	FZ_FD_LIFELINE_R = 5,	/* sleepers exit when this pipe's writer is gone */
	FZ_FD_LIFELINE_W = 6,
	FZ_FD_NSFS = 7,		/* nsfs fds opened before the pivot: 7..14 */
	FZ_NR_NSFS = 8,
	FZ_FD_POOL = 16,	/* the fd pool: 16..63 */
	FZ_POOL_SLOTS = 48,
	FZ_FD_TRANSIENT = FZ_FD_POOL + FZ_POOL_SLOTS,
};

/* What a pool slot holds. */
enum fz_kind {
	FZ_K_PLACEHOLDER,	/* a dup of /dev/null keeping the number taken */
	FZ_K_CONTAINER,		/* created, nothing forked in yet */
	FZ_K_CONTAINER_LIVE,	/* its init runs */
	FZ_K_CONTAINER_DEAD,	/* its init exited or it was killed */
	FZ_K_CONTAINER_NESTED,	/* made by a process inside another container */
	FZ_K_CONTAINER_FOREIGN,	/* made by another fuzz process, sent to us */
	FZ_K_PIDFD,
	FZ_K_NSFS,
	FZ_K_OPATH,
	FZ_K_FILE,		/* a regular file or directory of the scratch fs */
	FZ_K_SOCKET,
	FZ_K_FSCONTEXT,
	FZ_K_MOUNT,		/* a detached mount (fsmount, open_tree) */
	FZ_K_OTHER,		/* pipe, eventfd, memfd: other anonymous fds */
	FZ_K_NR,
};

static inline bool fz_kind_is_container(int kind)
{
	return kind >= FZ_K_CONTAINER && kind <= FZ_K_CONTAINER_FOREIGN;
}

extern const char *const fz_kind_names[FZ_K_NR];

enum fz_worker_kind {
	FZ_W_ROOT,		/* root in the initial namespaces */
	FZ_W_UNPRIV,		/* uid 65534, no capabilities */
	FZ_W_USERNS,		/* uid 65534 outside, root of its own user namespace */
	FZ_W_CONTAINER,		/* forked into a container, its init */
	FZ_W_NR,
};

extern const char *const fz_worker_kind_names[FZ_W_NR];

#define FZ_MAX_CALLS	48
#define FZ_MAX_WORKERS	32
#define FZ_MAX_THREADS	8
#define FZ_ERRNO_MAX	133		/* EHWPOISON */

struct fz_call_stats {
	_Atomic uint64_t calls;
	_Atomic uint64_t ok;
	_Atomic uint64_t ns;		/* time spent in it, all threads */
	_Atomic uint64_t err[FZ_ERRNO_MAX + 2];	/* last: out of range */
};

struct fz_worker_slot {
	_Atomic int pid;		/* as the driver sees it; 0 when gone */
	_Atomic int kind;
	_Atomic int current[FZ_MAX_THREADS];	/* call in progress, -1 none */
	_Atomic uint64_t calls;
	_Atomic uint64_t stamp[FZ_MAX_THREADS];	/* when that call began */
	_Atomic uint64_t ready;			/* when its pool was full */
};

/*
 * Shared by the driver and every worker (MAP_SHARED, made before the
 * first fork).  Never handed to a syscall: no fuzzed pointer points here.
 */
struct fz_shared {
	_Atomic int stop;
	uint64_t deadline;			/* CLOCK_MONOTONIC, ns */
	uint64_t seed;
	unsigned int threads;			/* per worker process */
	bool crash_test;			/* -F crash: worker 0 faults */
	struct fz_call_stats calls[FZ_MAX_CALLS];
	_Atomic uint64_t made[FZ_K_NR];		/* objects that entered a pool */
	_Atomic uint64_t guarded;		/* attribute changes not made: see calls_at.c */
	_Atomic uint64_t children_killed;	/* fuzz children that did not exit at once */
	_Atomic uint64_t setup_failures;	/* a worker could not set itself up */
	_Atomic uint64_t churn_ns;		/* time spent making pool objects */
	struct fz_worker_slot workers[FZ_MAX_WORKERS];
};

extern struct fz_shared *fz_sh;

/* One fuzzing thread. */
struct fz_rng {
	uint64_t s[4];
};

#define FZ_BUF_SIZE (4 * 4096)

struct fz_thread {
	struct fz_rng rng;
	unsigned int worker;		/* index in fz_sh->workers */
	unsigned int index;		/* thread index in its process */
	unsigned char *buf;		/* FZ_BUF_SIZE bytes, a PROT_NONE page after */
	unsigned char handle[136];	/* last name_to_handle_at() result */
	unsigned int handle_len;
	uint64_t iter;
};

/* rand.c */
void fz_rng_seed(struct fz_rng *r, uint64_t seed);
uint64_t fz_rand64(struct fz_rng *r);
uint64_t fz_below(struct fz_rng *r, uint64_t n);
bool fz_one_in(struct fz_rng *r, unsigned int n);
uint64_t fz_interesting64(struct fz_rng *r);
uint64_t fz_random_bits(struct fz_rng *r, uint64_t mask);
#define FZ_PICK(r, array) ((array)[fz_below((r), sizeof(array) / sizeof((array)[0]))])

/* args.c: argument generators */
void fz_args_init(void);
int fz_thread_buffers(struct fz_thread *t);
void *fz_ptr_out(struct fz_thread *t, size_t len);
void *fz_ptr_in(struct fz_thread *t, const void *data, size_t len, size_t size);
size_t fz_size(struct fz_thread *t, size_t ver0);
const char *fz_path(struct fz_thread *t);
const char *fz_new_name(struct fz_thread *t);
const char *fz_container_name(struct fz_thread *t);
const char *fz_fs_name(struct fz_thread *t);
const char *fz_string(struct fz_thread *t, const char *const *list, size_t n);
uint64_t fz_container_flags(struct fz_thread *t);
int fz_signal(struct fz_thread *t);
unsigned long fz_ns_type(struct fz_thread *t);
unsigned long fz_ioctl_cmd(struct fz_thread *t, unsigned int magic, unsigned int nr_max);
extern const char *const fz_scratch_dirs[];
extern const unsigned int fz_nr_scratch_dirs;

/* child.c: children that exit at once */
long fz_clone3_exit(struct cfd_clone_args *args, size_t size);
int fz_reap(pid_t pid);
int fz_spawn_exiting_into(int cfd);
int fz_vfork_syscall(long nr, long a0, long a1, long a2, long a3, long a4);

/* objects.c: the fds worth fuzzing with */
int fz_create(uint64_t flags, const char *name);
int fz_make_live(int cfd);
int fz_make_dead(uint64_t flags);
int fz_make_nested(int parent_cfd, uint64_t flags, bool live);
int fz_give_root(int cfd);
void fz_sleepers_reap(void);
pid_t fz_sleeper_pid(uint64_t r);
pid_t fz_newest_sleeper(void);
void fz_sleepers_kill(void);

/* fdpool.c */
void fz_pool_init(struct fz_thread *t);
int fz_pick_fd(struct fz_thread *t, int prefer);
int fz_pick_container(struct fz_thread *t);
int fz_find_slot(struct fz_thread *t, bool (*match)(int kind, int want), int want);
void fz_adopt(struct fz_thread *t, long fd, int kind, unsigned int keep_in);
void fz_pool_churn(struct fz_thread *t);
int fz_pool_kind_of(int fd);

/* stats.c */
struct fz_call;
void fz_record(unsigned int call, long ret, uint64_t ns);
void fz_print_table(FILE *out, const struct fz_call *calls, unsigned int n,
		    double seconds);
uint64_t fz_total_calls(unsigned int n);
uint64_t fz_now_ns(void);

/* The call tables, one file per interface. */
struct fz_call {
	const char *name;
	unsigned int weight;
	long (*fn)(struct fz_thread *t);
};

extern const struct fz_call fz_create_calls[];
extern const unsigned int fz_nr_create_calls;
extern const struct fz_call fz_clone_calls[];
extern const unsigned int fz_nr_clone_calls;
extern const struct fz_call fz_ioctl_calls[];
extern const unsigned int fz_nr_ioctl_calls;
extern const struct fz_call fz_mount_calls[];
extern const unsigned int fz_nr_mount_calls;
extern const struct fz_call fz_at_calls[];
extern const unsigned int fz_nr_at_calls;

/* The flattened table the driver builds from them. */
extern struct fz_call fz_calls[FZ_MAX_CALLS];
extern unsigned int fz_ncalls;

/* sandbox.c */
struct fz_sandbox {
	int cg_dir;		/* our cgroup, holding the driver's and the workers' */
	int cg_work;		/* the workers' cgroup: killed at the end */
	int cg_root;		/* the cgroup we came from */
	int proc;		/* a detached procfs, for the driver only */
	uint64_t scratch_mnt_id;	/* the root's mount */
	uint64_t root_unmounts;		/* mounts taken off the root */
	char cg_name[64];
	bool have_cgroup;
};
int fz_sandbox_enter(struct fz_sandbox *sb, size_t mem_max, unsigned int pids_max);
int fz_sandbox_tidy(struct fz_sandbox *sb);
int fz_sandbox_kill_workers(struct fz_sandbox *sb);
void fz_sandbox_leave(struct fz_sandbox *sb);
bool fz_sandbox_oom_killed(struct fz_sandbox *sb);
long fz_sandbox_memory_mib(struct fz_sandbox *sb);
int fz_sandbox_mounts(struct fz_sandbox *sb);

/* calls_mount.c */
void fz_mount_guard_init(void);

/* worker.c */
int fz_worker_main(enum fz_worker_kind kind, unsigned int index, int sync_fd);

#endif /* CFD_FUZZ_H */
