// SPDX-License-Identifier: GPL-2.0
/*
 * counter LOG [INTERVAL_MS]: the process the checkpoint/restore tests
 * move.  It counts in memory and appends each number to LOG on its own
 * line (opened and closed each time, so that no open file ties it to a
 * size CRIU would check), so the log shows whether a restore skipped or
 * repeated a step: it must read 1, 2, 3, ... with nothing missing and
 * nothing twice.  A page of memory derived from the count is checked at
 * every step: state kept in memory must come back as it was.  With
 * --hold-container it holds an fd of its own container (PIDFD_GET_CONTAINER
 * on itself) and checks at every step that the fd still answers, as its
 * own running container: the CRIU plugin must give it back.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <libgen.h>
#include <linux/container.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned long page[512];

static void fill(unsigned long n)
{
	size_t i;

	for (i = 0; i < sizeof(page) / sizeof(page[0]); i++)
		page[i] = n * 2654435761UL + i;
}

static int intact(unsigned long n)
{
	size_t i;

	for (i = 0; i < sizeof(page) / sizeof(page[0]); i++)
		if (page[i] != n * 2654435761UL + i)
			return 0;
	return 1;
}

/* Its own container, as an fd: the container's ID for itself is 0. */
static int own_container_ok(int cfd)
{
	struct container_info info = {};

	return !ioctl(cfd, CONTAINER_IOC_GET_INFO, &info) &&
	       info.id == CONTAINER_ID_SELF && info.state == CONTAINER_STATE_RUNNING;
}

int main(int argc, char **argv)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	unsigned long n = 0;
	int fd, len, cfd = -1;
	char line[32];

	if (argc > 1 && !strcmp(argv[1], "--hold-container")) {
		int pidfd = syscall(SYS_pidfd_open, getpid(), 0);

		cfd = pidfd < 0 ? -1 : ioctl(pidfd, PIDFD_GET_CONTAINER, 0);
		if (cfd < 0) {
			perror("counter: PIDFD_GET_CONTAINER");
			return 6;
		}
		close(pidfd);
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: counter [--hold-container] LOG [INTERVAL_MS]\n");
		return 2;
	}
	if (argc > 2)
		tick.tv_nsec = atol(argv[2]) * 1000 * 1000;
	/*
	 * The /proc we see is the guest's, not our PID namespace's: CRIU's
	 * parasite then mounts one of its own in our cwd, which must be
	 * writable (the guest's root is not).  The log's directory is.
	 */
	if (chdir(dirname(strdupa(argv[1]))) < 0) {
		perror("counter: chdir");
		return 2;
	}
	/* Nothing of the caller's: CRIU restores a tree with no outside fds. */
	fd = open("/dev/null", O_RDWR);
	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		return 3;
	if (fd > 2)
		close(fd);
	fill(0);
	for (;;) {
		if (!intact(n))
			return 4;
		if (cfd >= 0 && !own_container_ok(cfd))
			return 7;
		n++;
		fill(n);
		len = snprintf(line, sizeof(line), "%lu\n", n);
		fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0 || write(fd, line, len) != len)
			return 5;
		close(fd);
		nanosleep(&tick, NULL);
	}
}
