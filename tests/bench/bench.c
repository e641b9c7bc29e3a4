// SPDX-License-Identifier: GPL-2.0
/*
 * containerfd benchmarks, each against the obvious alternative in the
 * same run (run it in the guest: make bench).  Reports time per operation
 * and the ratio; it asserts nothing: performance is measured, not tested.
 *
 *  1. openat() of a file through a container fd vs. through an O_PATH fd
 *     of the same root directory.
 *  2. Starting a process in a running container: clone3 with
 *     CLONE_INTO_CONTAINER vs. the runtime way (crun exec): fork, setns()
 *     into the init's namespaces through a pidfd, fork again for the PID
 *     namespace, and reap both.
 */
#include "../selftests/containerfd/cfd_util.h"

#include <linux/openat2.h>
#include <sys/stat.h>
#include <time.h>

#ifndef __NR_openat2
#define __NR_openat2 437
#endif

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double bench_openat(int dfd, const char *path, int n)
{
	double t = now();
	int i, fd;

	for (i = 0; i < n; i++) {
		fd = openat(dfd, path, O_RDONLY);
		if (fd < 0) {
			perror("openat");
			exit(1);
		}
		close(fd);
	}
	return (now() - t) / n;
}

/* openat2(RESOLVE_IN_ROOT): the confinement a container fd implies. */
static double bench_openat2_in_root(int dfd, const char *path, int n)
{
	struct open_how how = { .flags = O_RDONLY, .resolve = RESOLVE_IN_ROOT };
	double t = now();
	int i, fd;

	for (i = 0; i < n; i++) {
		fd = syscall(__NR_openat2, dfd, path, &how, sizeof(how));
		if (fd < 0) {
			perror("openat2");
			exit(1);
		}
		close(fd);
	}
	return (now() - t) / n;
}

static double bench_fork_into(int cfd, int n)
{
	double t = now();
	int i;

	for (i = 0; i < n; i++) {
		pid_t pid = cfd_fork(cfd, 0, NULL);

		if (pid == 0)
			_exit(0);
		if (pid < 0 || cfd_wait(pid) != 0) {
			perror("fork into");
			exit(1);
		}
	}
	return (now() - t) / n;
}

static double bench_setns_fork(int pidfd, int n)
{
	int flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
		    CLONE_NEWPID;
	double t = now();
	int i;

	for (i = 0; i < n; i++) {
		pid_t helper = fork();

		if (helper == 0) {
			pid_t child;

			if (setns(pidfd, flags))
				_exit(1);
			child = fork();	/* the PID namespace takes effect here */
			if (child == 0)
				_exit(0);
			_exit(cfd_wait(child));
		}
		if (helper < 0 || cfd_wait(helper) != 0) {
			perror("setns + fork");
			exit(1);
		}
	}
	return (now() - t) / n;
}

int main(int argc, char **argv)
{
	int n_open = argc > 1 ? atoi(argv[1]) : 20000;
	int n_fork = argc > 2 ? atoi(argv[2]) : 300;
	char root[] = "/tmp/cfd-bench.XXXXXX", path[128];
	double a, b, c;
	int cfd, opath, pidfd;
	pid_t init;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* each result as it comes */
	if (!cfd_supported()) {
		fprintf(stderr, "skip: kernel has no container objects\n");
		return 77;
	}

	/* 1. openat: the container's root is / here, as is the O_PATH fd's. */
	if (!mkdtemp(root))
		return 1;
	snprintf(path, sizeof(path), "%s/file", root);
	close(open(path, O_CREAT | O_WRONLY, 0644));
	cfd = cfd_create(CONTAINER_NEW_UTS_NS, "bench");
	opath = open("/", O_PATH | O_DIRECTORY);
	if (cfd < 0 || opath < 0)
		return 1;
	bench_openat(opath, path + 1, 1000);	/* warm the dcache */
	a = bench_openat(cfd, path + 1, n_open);
	b = bench_openat(opath, path + 1, n_open);
	c = bench_openat2_in_root(opath, path + 1, n_open);
	printf("openat via container fd:            %8.0f ns/op\n", a * 1e9);
	printf("openat via O_PATH fd:               %8.0f ns/op\n", b * 1e9);
	printf("openat2 RESOLVE_IN_ROOT via O_PATH: %8.0f ns/op\n", c * 1e9);
	printf("ratio container/O_PATH:             %8.3f\n", a / b);
	printf("ratio container/RESOLVE_IN_ROOT:    %8.3f\n", a / c);
	close(cfd);

	/* 2. start a process in a running container. */
	cfd = cfd_create(CONTAINER_NEW_PID_NS | CONTAINER_NEW_UTS_NS |
			 CONTAINER_NEW_IPC_NS | CONTAINER_NEW_NET_NS |
			 CONTAINER_NEW_FS_NS | CONTAINER_KILL_ON_CLOSE, "bench-run");
	if (cfd < 0)
		return 1;
	init = cfd_fork(cfd, 0, NULL);
	if (init == 0) {
		close(cfd);	/* or the last close below would not be last */
		for (;;)
			pause();
	}
	pidfd = sys_pidfd_open(init, 0);
	if (init < 0 || pidfd < 0)
		return 1;
	bench_fork_into(cfd, 20);
	bench_setns_fork(pidfd, 20);
	a = bench_fork_into(cfd, n_fork);
	b = bench_setns_fork(pidfd, n_fork);
	printf("start via CLONE_INTO_CONTAINER: %8.1f us/op\n", a * 1e6);
	printf("start via setns(pidfd)+fork:    %8.1f us/op\n", b * 1e6);
	printf("ratio setns+fork / fork-into:   %8.2f\n", b / a);
	close(cfd);	/* kill on close: init holds no copy of the fd */
	waitpid(init, NULL, 0);
	unlink(path);
	rmdir(root);
	return 0;
}
