// SPDX-License-Identifier: GPL-2.0
/*
 * The raw interface, start to end: create a container with its own
 * namespaces, fork its init into it with clone3(CLONE_INTO_CONTAINER),
 * read its info, and wait for its death with poll() on the container fd.
 *
 *   container-watch        (as root; prints what it sees and exits 0)
 */
#define _GNU_SOURCE
#include <linux/container.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	struct container_args args = {
		.flags = CONTAINER_NEW_PID_NS | CONTAINER_NEW_UTS_NS |
			 CONTAINER_NEW_IPC_NS | CONTAINER_NEW_NET_NS |
			 CONTAINER_NEW_FS_NS,
		.name = (uintptr_t)"watched",
	};
	struct container_info info = {};
	struct pollfd pfd;
	struct clone_args cl = { .flags = CLONE_INTO_CONTAINER, .exit_signal = SIGCHLD };
	int cfd, go[2];
	pid_t pid;

	/* 1. The container: namespaces made now, no process yet. */
	cfd = syscall(__NR_container_create, &args, sizeof(args));
	if (cfd < 0) {
		perror("container_create");
		return 1;
	}

	/* 2. Its init: a child born inside, PID 1 of the new PID namespace. */
	if (pipe(go)) {
		perror("pipe");
		return 1;
	}
	cl.container = cfd;
	pid = syscall(__NR_clone3, &cl, sizeof(cl));
	if (pid < 0) {
		perror("clone3(CLONE_INTO_CONTAINER)");
		return 1;
	}
	if (pid == 0) {
		char c;

		/* No shell needed: init reports, and leaves when told. */
		sethostname("watched", 7);
		printf("  inside: pid %d\n", getpid());
		fflush(stdout);
		close(go[1]);
		read(go[0], &c, 1);
		_exit(5);
	}
	close(go[0]);

	/* 3. What the kernel says about it, IDs as we see them. */
	if (ioctl(cfd, CONTAINER_IOC_GET_INFO, &info) < 0) {
		perror("CONTAINER_IOC_GET_INFO");
		return 1;
	}
	printf("container %llu '%s': state %u, init pid %d, %u member(s)\n",
	       (unsigned long long)info.id, info.name, info.state,
	       info.init_pid, info.nr_members);

	/* 4. poll() reports POLLHUP once init has gone: let it go. */
	close(go[1]);
	pfd.fd = cfd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 10000) != 1 || !(pfd.revents & POLLHUP)) {
		fprintf(stderr, "no POLLHUP\n");
		return 1;
	}
	ioctl(cfd, CONTAINER_IOC_GET_INFO, &info);
	printf("container %llu is dead; init's exit status %d\n",
	       (unsigned long long)info.id, WEXITSTATUS(info.exit_status));
	waitpid(pid, NULL, 0);
	return info.state == CONTAINER_STATE_DEAD &&
	       WEXITSTATUS(info.exit_status) == 5 ? 0 : 1;
}
