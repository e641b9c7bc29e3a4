// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/* Creating a container and starting processes in it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "containerfd.h"

int cfd_create(const struct cfd_options *opts)
{
	struct container_args args = {
		.flags = opts->flags,
		.name = (uintptr_t)opts->name,
		.set_id = opts->set_id,
	};

	return cfd_sys_container_create(&args, sizeof(args));
}

/*
 * fork_into_container(): returns 0 in the child, the child's PID in the
 * parent (and a pidfd in *pidfd when asked).  clone3() without a stack
 * behaves like fork(), so the child continues here.
 */
pid_t cfd_fork(int cfd, int *pidfd)
{
	int fd = -1;
	struct clone_args args = {
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

/*
 * Start FILE (searched in PATH when it has no slash) inside the container,
 * after attr->setup when given.  Returns a pidfd; the PID goes to *pid
 * when asked.  A setup or exec failure is reported here, not as the
 * child's exit status: the child writes {stage, errno} to a close-on-exec
 * pipe, which stays empty when exec succeeds.
 */
int cfd_spawn(int cfd, const char *file, char *const argv[],
	      char *const envp[], struct cfd_spawn_attr *attr, pid_t *pid)
{
	int pipefd[2], pidfd = -1, child_err[2] = { 0, 0 };
	ssize_t n;
	pid_t child;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	child = cfd_fork(cfd, &pidfd);
	if (child < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return child;
	}
	if (child == 0) {
		int msg[2] = { 1, 0 };

		close(pipefd[0]);
		if (attr && attr->setup) {
			msg[1] = -attr->setup(attr->setup_arg);
			if (msg[1])
				goto fail;
		}
		msg[0] = 0;
		if (envp)
			execvpe(file, argv, envp);
		else
			execvp(file, argv);
		msg[1] = errno;
fail:
		if (write(pipefd[1], msg, sizeof(msg)) < 0)
			_exit(127);
		_exit(msg[1] == ENOENT ? 127 : 126);
	}
	close(pipefd[1]);
	do {
		n = read(pipefd[0], child_err, sizeof(child_err));
	} while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n == sizeof(child_err)) {
		waitpid(child, NULL, 0);
		close(pidfd);
		if (attr)
			attr->failed_in_setup = child_err[0];
		return -child_err[1];
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
