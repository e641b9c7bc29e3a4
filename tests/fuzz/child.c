// SPDX-License-Identifier: GPL-2.0
/*
 * Children of fuzzed clone3() calls.  Whatever the flags (CLONE_VM,
 * CLONE_THREAD, a random stack), the child runs no fuzzer code: it
 * returns from the syscall into two instructions that call exit(0)
 * without touching memory, with every signal blocked so that no signal
 * frame is ever pushed on a stack it may share.  Its parent reaps it,
 * killing it if it does not exit at once (it may have been stopped by a
 * CONTAINER_IOC_KILL of its container).
 */
#include <poll.h>
#include <sys/wait.h>
#include <time.h>

#include "fuzz.h"

static long clone3_then_exit(struct cfd_clone_args *args, size_t size)
{
	long ret;

	asm volatile("syscall\n\t"
		     "test %%rax, %%rax\n\t"
		     "jnz 1f\n\t"
		     "mov %[exit], %%eax\n\t"
		     "xor %%edi, %%edi\n\t"
		     "syscall\n\t"
		     "ud2\n"
		     "1:"
		     : "=a"(ret)
		     : "0"((long)__NR_clone3), "D"(args), "S"(size),
		       [exit] "i"(__NR_exit)
		     : "rcx", "r11", "memory");
	return ret;
}

/*
 * clone3() whose child, if any, exits at once.  Returns the child's TID
 * or -errno.
 */
long fz_clone3_exit(struct cfd_clone_args *args, size_t size)
{
	uint64_t all = ~0ULL, old;
	long ret;

	/* The raw call: glibc would leave its own signals unblocked. */
	syscall(__NR_rt_sigprocmask, SIG_SETMASK, &all, &old, sizeof(all));
	ret = clone3_then_exit(args, size);
	syscall(__NR_rt_sigprocmask, SIG_SETMASK, &old, NULL, sizeof(old));
	return ret;
}

/*
 * vfork() (clone3 with CLONE_VM | CLONE_VFORK) a child that makes one
 * syscall, @nr(@a0..@a4), and exits with its errno (0 on success); the
 * child runs on our stack while we wait, touching nothing but registers.
 * Returns the syscall's result as the child saw it: 0 or -errno (-EINTR
 * when the child could not be reaped or was killed), or -errno of the
 * clone.
 */
int fz_vfork_syscall(long nr, long a0, long a1, long a2, long a3, long a4)
{
	struct cfd_clone_args args = {
		.flags = CLONE_VM | CLONE_VFORK,
		.exit_signal = SIGCHLD,
	};
	uint64_t all = ~0ULL, old;
	register long r12 asm("r12") = a0;
	register long r13 asm("r13") = a1;
	register long r14 asm("r14") = nr;
	register long r10 asm("r10") = a3;
	register long r8 asm("r8") = a4;
	long ret;

	syscall(__NR_rt_sigprocmask, SIG_SETMASK, &all, &old, sizeof(all));
	asm volatile("syscall\n\t"
		     "test %%rax, %%rax\n\t"
		     "jnz 1f\n\t"
		     "mov %%r12, %%rdi\n\t"
		     "mov %%r13, %%rsi\n\t"
		     "mov %%r14, %%rax\n\t"
		     "syscall\n\t"
		     "mov %%rax, %%rdi\n\t"
		     "neg %%rdi\n\t"
		     "mov %[exit], %%eax\n\t"
		     "syscall\n\t"
		     "ud2\n"
		     "1:"
		     : "=a"(ret)
		     : "0"((long)__NR_clone3), "D"(&args), "S"(sizeof(args)),
		       "r"(r12), "r"(r13), "r"(r14), "d"(a2), "r"(r10), "r"(r8),
		       [exit] "i"(__NR_exit)
		     : "rcx", "r11", "memory");
	syscall(__NR_rt_sigprocmask, SIG_SETMASK, &old, NULL, sizeof(old));
	if (ret < 0)
		return ret;
	ret = fz_reap(ret);
	if (ret < 0 || !WIFEXITED(ret))
		return -EINTR;
	return -WEXITSTATUS(ret);
}

/*
 * Reap @pid, a child that should be exiting.  It may have been stopped
 * (SIGSTOP through its container) or be slow under TCG: after two seconds
 * it is killed.  Returns its wait status, or -1 when another thread of
 * ours reaped it first or it was not ours to reap.
 */
int fz_reap(pid_t pid)
{
	struct pollfd pfd = { .fd = sys_pidfd_open(pid, 0), .events = POLLIN };
	uint64_t start = fz_now_ns();
	bool killed = false;
	int status;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &status, __WALL | WNOHANG);

		if (r == pid || (r < 0 && errno != EINTR))
			break;
		if (!killed && fz_now_ns() - start > 2000000000ULL) {
			kill(pid, SIGKILL);
			atomic_fetch_add(&fz_sh->children_killed, 1);
			killed = true;
		}
		if (killed && fz_now_ns() - start > 30000000000ULL) {
			r = -1;		/* left to the driver's final sweep */
			break;
		}
		/* The pidfd turns readable when the child exits. */
		if (pfd.fd >= 0)
			poll(&pfd, 1, 100);
		else
			usleep(1000);
	}
	if (pfd.fd >= 0)
		close(pfd.fd);
	return r == pid ? status : -1;
}

/*
 * Fork a child into @cfd that exits at once, and reap it: the first such
 * child is the container's init, so the container is dead afterwards.
 * Returns 0 or -errno.
 */
int fz_spawn_exiting_into(int cfd)
{
	struct cfd_clone_args args = {
		.flags = CLONE_INTO_CONTAINER,
		.exit_signal = SIGCHLD,
		.container = cfd,
	};
	long pid = fz_clone3_exit(&args, sizeof(args));

	if (pid < 0)
		return pid;
	fz_reap(pid);
	return 0;
}
