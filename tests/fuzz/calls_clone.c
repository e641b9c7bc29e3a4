// SPDX-License-Identifier: GPL-2.0
/*
 * clone3(2) with CLONE_INTO_CONTAINER: every pool fd as the container,
 * the flags a container refuses and those it allows, each struct size,
 * and clone3 with random flags.  Children exit at once (child.c) and are
 * reaped here; CLONE_PARENT children are the driver's to reap, threads
 * nobody's.
 */
#include "fuzz.h"

/* Flags a fork into a container may meet, good and refused alike. */
static const uint64_t extra_flags[] = {
	CLONE_PIDFD, CLONE_PIDFD, CLONE_CLEAR_SIGHAND, CLONE_PARENT_SETTID,
	CLONE_CHILD_SETTID, CLONE_CHILD_CLEARTID, CLONE_VFORK, CLONE_UNTRACED,
	CLONE_SETTLS, CLONE_INTO_CGROUP, CLONE_VM, CLONE_FS, CLONE_FILES,
	CLONE_SIGHAND, CLONE_THREAD, CLONE_PARENT, CLONE_SYSVSEM, CLONE_IO,
	CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWTIME, CLONE_PTRACE,
};

/* exit_signal: only signals nobody minds; the rest are invalid ones. */
static uint64_t exit_signal(struct fz_thread *t)
{
	static const uint64_t sigs[] = { SIGCHLD, SIGCHLD, SIGCHLD, 0, 65, 1000, ~0ULL };

	return FZ_PICK(&t->rng, sigs);
}

static size_t clone_size(struct fz_thread *t)
{
	static const size_t sizes[] = {
		CLONE_ARGS_SIZE_VER3, CLONE_ARGS_SIZE_VER3, CLONE_ARGS_SIZE_VER3,
		CLONE_ARGS_SIZE_VER2, CLONE_ARGS_SIZE_VER0, CLONE_ARGS_SIZE_VER3 + 8,
	};

	return fz_one_in(&t->rng, 4) ? fz_size(t, CLONE_ARGS_SIZE_VER3) :
	       FZ_PICK(&t->rng, sizes);
}

/* Fill the pointer and fd fields, then clone, reap, keep the pidfd. */
static long do_clone(struct fz_thread *t, struct cfd_clone_args *a, size_t size)
{
	static const uint64_t set_tid_sizes[] = { 0, 0, 0, 1, 2, 33 };
	int *pidfd_slot;
	void *p;
	long ret;

	pidfd_slot = fz_ptr_out(t, sizeof(int));
	a->pidfd = (uintptr_t)pidfd_slot;
	a->child_tid = (uintptr_t)fz_ptr_out(t, sizeof(pid_t));
	a->parent_tid = (uintptr_t)fz_ptr_out(t, sizeof(pid_t));
	a->exit_signal = exit_signal(t);
	if (fz_one_in(&t->rng, 4)) {
		a->stack = (uintptr_t)fz_ptr_out(t, 4096);
		a->stack_size = fz_one_in(&t->rng, 4) ? fz_interesting64(&t->rng) : 4096;
	}
	if (fz_one_in(&t->rng, 8)) {
		a->set_tid_size = FZ_PICK(&t->rng, set_tid_sizes);
		a->set_tid = (uintptr_t)fz_ptr_in(t, (pid_t[2]){ 1 + fz_below(&t->rng, 300), 1 },
						  sizeof(pid_t[2]), sizeof(pid_t[2]));
	}
	a->cgroup = fz_pick_fd(t, FZ_K_FILE);
	if (fz_one_in(&t->rng, 16))
		a->tls = fz_rand64(&t->rng);

	p = fz_ptr_in(t, a, sizeof(*a), size);
	ret = fz_clone3_exit(p, size);
	if (ret > 0) {
		if (!(a->flags & (CLONE_THREAD | CLONE_PARENT)))
			fz_reap(ret);
		/* The pidfd is where the kernel wrote it; in the buffer if anywhere. */
		if ((a->flags & CLONE_PIDFD) &&
		    (unsigned char *)pidfd_slot >= t->buf &&
		    (unsigned char *)pidfd_slot <= t->buf + FZ_BUF_SIZE - sizeof(int)) {
			int pidfd;

			memcpy(&pidfd, pidfd_slot, sizeof(pidfd));
			fz_adopt(t, pidfd, FZ_K_PIDFD, 3);
		}
	}
	return ret;
}

static long call_clone3_into(struct fz_thread *t)
{
	struct cfd_clone_args a = { .flags = CLONE_INTO_CONTAINER };

	for (int n = fz_below(&t->rng, 3); n > 0; n--)
		if (fz_one_in(&t->rng, 2))
			a.flags |= FZ_PICK(&t->rng, extra_flags);
	a.container = fz_one_in(&t->rng, 16) ? fz_interesting64(&t->rng) :
		      (uint64_t)(int64_t)fz_pick_container(t);
	return do_clone(t, &a, clone_size(t));
}

static long call_clone3_random(struct fz_thread *t)
{
	struct cfd_clone_args a = { 0 };

	a.flags = fz_one_in(&t->rng, 2) ? fz_rand64(&t->rng) :
		  fz_random_bits(&t->rng, ~0ULL);
	if (fz_one_in(&t->rng, 2))
		a.flags |= CLONE_INTO_CONTAINER;
	/* CSIGNAL bits belong in exit_signal: the kernel refuses them here. */
	if (!fz_one_in(&t->rng, 8))
		a.flags &= ~(uint64_t)CSIGNAL;
	a.container = fz_one_in(&t->rng, 4) ? fz_rand64(&t->rng) :
		      (uint64_t)(int64_t)fz_pick_fd(t, FZ_K_CONTAINER_LIVE);
	return do_clone(t, &a, clone_size(t));
}

const struct fz_call fz_clone_calls[] = {
	{ "clone3_into",	8, call_clone3_into },
	{ "clone3_random",	4, call_clone3_random },
};
const unsigned int fz_nr_clone_calls =
	sizeof(fz_clone_calls) / sizeof(fz_clone_calls[0]);
