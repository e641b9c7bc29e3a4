// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/* Creating a container and starting processes in it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "containerfd.h"

#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ULL
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif

/*
 * The caller's struct may be older (shorter) or newer (longer) than ours:
 * take what both know; a newer one must leave what we do not know zero,
 * as copy_struct_from_user() asks of clone3()'s callers.
 */
int cfd_create(const struct cfd_options *opts, size_t size)
{
	struct cfd_options o = {};
	struct container_args args;
	size_t i;

	if (!opts)
		return -EFAULT;
	if (size < CFD_OPTIONS_SIZE_VER0)
		return -EINVAL;
	for (i = sizeof(o); i < size; i++)
		if (((const unsigned char *)opts)[i])
			return -E2BIG;
	memcpy(&o, opts, size < sizeof(o) ? size : sizeof(o));
	args = (struct container_args) {
		.flags = o.flags,
		.name = (uintptr_t)o.name,
		.set_id = o.set_id,
	};
	return cfd_sys_container_create(&args, sizeof(args));
}

/*
 * fork() into a container: 0 in the child, the child's PID in the parent
 * (and a pidfd in *pidfd when asked).  clone3() without a stack behaves
 * like fork(), so the child continues here.
 */
pid_t cfd_fork(int cfd, int *pidfd)
{
	int fd = -1;
	struct cfd_clone_args args = {
		.flags = CLONE_INTO_CONTAINER | (pidfd ? CLONE_PIDFD : 0),
		.exit_signal = SIGCHLD,
		.container = (unsigned int)cfd,
		.pidfd = (uintptr_t)&fd,
	};
	pid_t pid;

	if (cfd < 0)
		return -EBADF;
	pid = cfd_sys_clone3(&args, sizeof(args));
	if (pid > 0 && pidfd)
		*pidfd = fd;
	return pid;
}

struct cfd_spawnattr {
	int (*setup)(void *arg);
	void *setup_arg;
	sigset_t sigmask;
	int cgroup_fd;
	int pdeathsig;
	int failed_stage;
};

int cfd_spawnattr_new(cfd_spawnattr_t **attr)
{
	cfd_spawnattr_t *a = calloc(1, sizeof(*a));

	if (!a)
		return -ENOMEM;
	sigemptyset(&a->sigmask);
	a->cgroup_fd = -1;
	*attr = a;
	return 0;
}

void cfd_spawnattr_free(cfd_spawnattr_t *attr)
{
	free(attr);
}

int cfd_spawnattr_set_setup(cfd_spawnattr_t *attr, int (*fn)(void *arg), void *arg)
{
	attr->setup = fn;
	attr->setup_arg = arg;
	return 0;
}

int cfd_spawnattr_set_sigmask(cfd_spawnattr_t *attr, const sigset_t *mask)
{
	if (mask)
		attr->sigmask = *mask;
	else
		sigemptyset(&attr->sigmask);
	return 0;
}

int cfd_spawnattr_set_cgroup(cfd_spawnattr_t *attr, int cgroup_fd)
{
	if (cgroup_fd < -1)
		return -EBADF;
	attr->cgroup_fd = cgroup_fd;
	return 0;
}

int cfd_spawnattr_set_pdeathsig(cfd_spawnattr_t *attr, int sig)
{
	if (sig < 0 || sig >= NSIG)
		return -EINVAL;
	attr->pdeathsig = sig;
	return 0;
}

int cfd_spawnattr_get_failed_stage(const cfd_spawnattr_t *attr)
{
	return attr->failed_stage;
}

/* Every disposition back to SIG_DFL; the mask as asked (empty by default). */
static int reset_signals(const sigset_t *mask)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, cur;
	int sig;

	for (sig = 1; sig < NSIG; sig++) {
		/* SIGKILL, SIGSTOP and the C library's own fail: skip them. */
		if (sigaction(sig, NULL, &cur) || cur.sa_handler == SIG_DFL)
			continue;
		sigaction(sig, &dfl, NULL);
	}
	return sigprocmask(SIG_SETMASK, mask, NULL) ? -errno : 0;
}

/*
 * Die with the parent from exec on.  The setting is cleared by any change
 * of credentials, so it is made last; and the parent may have gone before
 * it was made, which its pidfd tells.
 */
static int set_pdeathsig(int sig, int parent_pidfd)
{
	struct pollfd p = { .fd = parent_pidfd, .events = POLLIN };

	if (prctl(PR_SET_PDEATHSIG, sig))
		return -errno;
	if (poll(&p, 1, 0) == 1) {
		raise(sig);
		_exit(128 + sig);
	}
	return 0;
}

static void __attribute__((noreturn))
spawn_child(const char *file, char *const argv[], char *const envp[],
	    const cfd_spawnattr_t *attr, const sigset_t *mask,
	    int parent_pidfd, int errfd)
{
	int msg[2] = { CFD_SPAWN_STAGE_SETUP, 0 };

	msg[1] = -reset_signals(mask);
	if (!msg[1] && attr && attr->setup)
		msg[1] = -attr->setup(attr->setup_arg);
	if (!msg[1] && parent_pidfd >= 0)
		msg[1] = -set_pdeathsig(attr->pdeathsig, parent_pidfd);
	if (!msg[1]) {
		msg[0] = CFD_SPAWN_STAGE_EXEC;
		if (envp)
			execvpe(file, argv, envp);
		else
			execvp(file, argv);
		msg[1] = errno;
	}
	if (write(errfd, msg, sizeof(msg)) < 0)
		_exit(127);
	_exit(msg[1] == ENOENT ? 127 : 126);
}

/*
 * Start FILE (searched in PATH when it has no slash) inside the container.
 * Returns a pidfd; the PID goes to *pid when asked.  A setup or exec
 * failure is reported here, not as the child's exit status: the child
 * writes {stage, errno} to a close-on-exec pipe, which stays empty when
 * exec succeeds.  Every signal is blocked across the clone, so no handler
 * of the caller runs in the child before the child resets them all.
 */
int cfd_spawn(int cfd, const char *file, char *const argv[],
	      char *const envp[], cfd_spawnattr_t *attr, pid_t *pid)
{
	int pipefd[2], pidfd = -1, parent_pidfd = -1, child_err[2] = { 0, 0 };
	struct cfd_clone_args args = {
		.flags = CLONE_INTO_CONTAINER | CLONE_PIDFD | CLONE_CLEAR_SIGHAND,
		.exit_signal = SIGCHLD,
		.container = (unsigned int)cfd,
		.pidfd = (uintptr_t)&pidfd,
	};
	sigset_t all, old, empty;
	ssize_t n;
	pid_t child;

	if (cfd < 0)
		return -EBADF;
	if (!file || !argv)
		return -EINVAL;
	if (attr) {
		attr->failed_stage = CFD_SPAWN_STAGE_NONE;
		if (attr->cgroup_fd >= 0) {
			args.flags |= CLONE_INTO_CGROUP;
			args.cgroup = (unsigned int)attr->cgroup_fd;
		}
		if (attr->pdeathsig) {
			parent_pidfd = syscall(__NR_pidfd_open, getpid(), 0);
			if (parent_pidfd < 0)
				return -errno;
		}
	}
	if (pipe2(pipefd, O_CLOEXEC)) {
		n = -errno;
		if (parent_pidfd >= 0)
			close(parent_pidfd);
		return n;
	}
	sigemptyset(&empty);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	child = cfd_sys_clone3(&args, sizeof(args));
	if (child == 0) {
		close(pipefd[0]);
		spawn_child(file, argv, envp, attr, attr ? &attr->sigmask : &empty,
			    parent_pidfd, pipefd[1]);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (parent_pidfd >= 0)
		close(parent_pidfd);
	close(pipefd[1]);
	if (child < 0) {
		close(pipefd[0]);
		return child;
	}
	do {
		n = read(pipefd[0], child_err, sizeof(child_err));
	} while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n == sizeof(child_err)) {
		/* Reap it: it exits right after writing. */
		while (waitid(P_PIDFD, pidfd, &(siginfo_t){}, WEXITED) && errno == EINTR)
			;
		close(pidfd);
		if (attr)
			attr->failed_stage = child_err[0];
		return child_err[1] ? -child_err[1] : -EIO;
	}
	if (pid)
		*pid = child;
	return pidfd;
}

/* Wait for the process of @pidfd; its wait status goes to *status. */
int cfd_wait(int pidfd, int *status)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	while (waitid(P_PIDFD, pidfd, &info, WEXITED)) {
		if (errno != EINTR)
			return -errno;
	}
	if (status) {
		if (info.si_code == CLD_EXITED)
			*status = (info.si_status & 0xff) << 8;
		else
			*status = (info.si_status & 0x7f) |
				  (info.si_code == CLD_DUMPED ? 0x80 : 0);
	}
	return 0;
}
