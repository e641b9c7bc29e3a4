// SPDX-License-Identifier: GPL-2.0
/*
 * Container IDs live in ID spaces, like PIDs in PID namespaces: each level
 * of nesting sees itself as 0 and numbers its own descendants from 1.
 * Three levels, each printing its /proc/containers.
 *
 *   nested-ids             (as root)
 */
#define _GNU_SOURCE
#include <linux/container.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(int depth)
{
	char line[256];
	FILE *f = fopen("/proc/containers", "r");

	while (f && fgets(line, sizeof(line), f))
		printf("%*s%s", depth * 4, "", line);
	if (f)
		fclose(f);
}

static int level(int depth)
{
	static const char *const names[] = { "first", "second", "third" };
	struct container_args args = { .flags = CONTAINER_NEW_UTS_NS };
	struct clone_args cl = { .flags = CLONE_INTO_CONTAINER, .exit_signal = SIGCHLD };
	int cfd, status;
	pid_t pid;

	printf("%*slevel %d sees:\n", depth * 4, "", depth);
	show(depth);
	if (depth == 3)
		return 0;
	args.name = (uintptr_t)names[depth];
	cfd = syscall(__NR_container_create, &args, sizeof(args));
	if (cfd < 0) {
		perror("container_create");
		return 1;
	}
	cl.container = cfd;
	pid = syscall(__NR_clone3, &cl, sizeof(cl));
	if (pid < 0) {
		perror("clone3");
		return 1;
	}
	if (pid == 0) {
		fflush(stdout);
		_exit(level(depth + 1));
	}
	fflush(stdout);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	return level(0);
}
