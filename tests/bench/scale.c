// SPDX-License-Identifier: GPL-2.0
/*
 * containerfd at scale, measured (make bench; a non-debug kernel): each
 * figure against what it is measured by, in the same run.  It asserts
 * nothing.
 *
 *  1. 10,000 live containers: creating the last 1,000 vs the first 1,000;
 *     kernel memory per container (slab, from /proc/meminfo), beyond the
 *     namespaces (none are made); reading /proc/containers with them all.
 *  2. The death of a container with 1,000 members: how long until all are
 *     gone, and the longest fork()+wait() on the other CPU meanwhile vs the
 *     longest in a quiet stretch as long (a stall of fork and exit on the
 *     machine shows there).
 *  3. create + start + wait of a container vs clone3(CLONE_NEW*) + wait
 *     with the same namespaces; fork-into vs plain fork().
 */
#include "../selftests/containerfd/cfd_util.h"

#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#define N_LIVE 10000
#define N_MEMBERS 1000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long meminfo_kb(const char *key)
{
	char line[128];
	size_t len = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':')
			v = atol(line + len + 1);
	if (f)
		fclose(f);
	return v;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void live_containers(void)
{
	static int fds[N_LIVE];
	struct rlimit rl = { N_LIVE + 64, N_LIVE + 64 };
	double t0, first = 0, last = 0, t;
	long slab0, slab1;
	char buf[65536];
	int i, fd;

	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		perror("setrlimit");
		return;
	}
	/* Its default (max_threads / 2, as for namespaces) may be lower. */
	cfd_write_file("/proc/sys/user/max_containers", "100000", 0);
	cfd_write_file("/proc/sys/vm/drop_caches", "3", 0);
	slab0 = meminfo_kb("Slab");
	for (i = 0; i < N_LIVE; i++) {
		t0 = now();
		fds[i] = cfd_create(0, "scale");
		t = now() - t0;
		if (fds[i] < 0) {
			perror("container_create");
			exit(1);
		}
		if (i < 1000)
			first += t;
		else if (i >= N_LIVE - 1000)
			last += t;
	}
	slab1 = meminfo_kb("Slab");
	printf("create, first 1,000 of 10,000:  %8.1f us each\n", first / 1000 * 1e6);
	printf("create, last 1,000 of 10,000:   %8.1f us each   ratio %.2f (goal <= 1.20)\n",
	       last / 1000 * 1e6, last / first);
	printf("slab per container, no namespaces: %6ld bytes (goal <= 1024)\n",
	       (slab1 - slab0) * 1024 / N_LIVE);

	t0 = now();
	for (i = 0; i < 10; i++) {
		fd = open("/proc/containers", O_RDONLY | O_CLOEXEC);
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
	printf("read /proc/containers, 10,000 listed: %8.1f ms\n", (now() - t0) / 10 * 1e3);
	for (i = 0; i < N_LIVE; i++)
		close(fds[i]);
}

/* Longest fork()+wait() on CPU 1 over @secs, or until *@stop. */
static double fork_probe(double secs, volatile int *stop)
{
	double end = now() + secs, worst = 0, t;
	pid_t pid;

	pin(1);
	while (now() < end && !*stop) {
		t = now();
		pid = fork();
		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
		t = now() - t;
		if (t > worst)
			worst = t;
	}
	return worst;
}

/* A child probing forks on CPU 1 until *@stop or @secs; its result fd. */
static int start_probe(double secs, volatile int *stop, pid_t *pid)
{
	int p[2];
	double w;

	if (pipe(p))
		return -1;
	*pid = fork();
	if (*pid == 0) {
		w = fork_probe(secs, stop);
		write(p[1], &w, sizeof(w));
		_exit(0);
	}
	close(p[1]);
	return p[0];
}

static double end_probe(int fd, pid_t pid)
{
	double w = -1;

	read(fd, &w, sizeof(w));
	close(fd);
	waitpid(pid, NULL, 0);
	return w;
}

static void big_death(void)
{
	static pid_t members[N_MEMBERS];
	double quiet, during, t0, took;
	int cfd, go[2], i, fd;
	volatile int *stop;
	pid_t init, probe;
	char c;

	stop = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	cfd = cfd_create(CONTAINER_NEW_UTS_NS, "big");
	if (stop == MAP_FAILED || cfd < 0 || pipe(go)) {
		perror("big");
		return;
	}
	init = cfd_fork(cfd, 0, NULL);
	if (init == 0)
		_exit(read(go[0], &c, 1) == 1 ? 0 : 1);
	for (i = 0; i < N_MEMBERS; i++) {
		members[i] = cfd_fork(cfd, 0, NULL);
		if (members[i] == 0) {
			for (;;)
				pause();
		}
	}
	/* A quiet stretch first, as long as a kill is likely to take. */
	*stop = 0;
	fd = start_probe(2.0, stop, &probe);
	quiet = end_probe(fd, probe);

	fd = start_probe(60.0, stop, &probe);
	t0 = now();
	write(go[1], "x", 1);
	waitpid(init, NULL, 0);
	for (i = 0; i < N_MEMBERS; i++)
		waitpid(members[i], NULL, 0);
	took = now() - t0;
	*stop = 1;
	during = end_probe(fd, probe);
	printf("death of a container with %d members: %8.1f ms until all reaped\n",
	       N_MEMBERS, took * 1e3);
	printf("longest fork+wait on the other CPU: %6.2f ms during, %6.2f ms quiet\n",
	       during * 1e3, quiet * 1e3);
	close(cfd);

	/* The same number of plain processes killed as one process group. */
	*stop = 0;
	for (i = 0; i < N_MEMBERS; i++) {
		members[i] = fork();
		if (members[i] == 0) {
			setpgid(0, i ? members[0] : 0);
			for (;;)
				pause();
		}
		setpgid(members[i], members[0]);
	}
	fd = start_probe(60.0, stop, &probe);
	t0 = now();
	kill(-members[0], SIGKILL);
	for (i = 0; i < N_MEMBERS; i++)
		waitpid(members[i], NULL, 0);
	took = now() - t0;
	*stop = 1;
	during = end_probe(fd, probe);
	printf("kill(-pgrp) of %d plain processes:    %8.1f ms until all reaped\n",
	       N_MEMBERS, took * 1e3);
	printf("longest fork+wait on the other CPU: %6.2f ms during\n", during * 1e3);
	munmap((void *)stop, 4096);
}

static double time_container_start(uint64_t flags, int n)
{
	double t0 = now();
	int i, cfd;

	for (i = 0; i < n; i++) {
		pid_t pid;

		cfd = cfd_create(flags, NULL);
		pid = cfd < 0 ? -1 : cfd_fork(cfd, 0, NULL);
		if (pid == 0)
			_exit(0);
		if (pid < 0 || cfd_wait(pid)) {
			perror("container start");
			exit(1);
		}
		close(cfd);
	}
	return (now() - t0) / n;
}

static double time_clone3(uint64_t flags, int n)
{
	struct clone_args args = { .flags = flags, .exit_signal = SIGCHLD };
	double t0 = now();
	int i;

	for (i = 0; i < n; i++) {
		pid_t pid = sys_clone3(&args, sizeof(args));

		if (pid == 0)
			_exit(0);
		if (pid < 0 || cfd_wait(pid)) {
			perror("clone3");
			exit(1);
		}
	}
	return (now() - t0) / n;
}

static double time_fork(int cfd, int n)
{
	double t0 = now();
	int i;

	for (i = 0; i < n; i++) {
		pid_t pid = cfd >= 0 ? cfd_fork(cfd, 0, NULL) : fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0 || cfd_wait(pid)) {
			perror(cfd >= 0 ? "fork into" : "fork");
			exit(1);
		}
	}
	return (now() - t0) / n;
}

int main(int argc, char **argv)
{
	uint64_t cflags = CONTAINER_NEW_PID_NS | CONTAINER_NEW_UTS_NS |
			  CONTAINER_NEW_IPC_NS | CONTAINER_NEW_NET_NS |
			  CONTAINER_NEW_FS_NS;
	uint64_t kflags = CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC |
			  CLONE_NEWNET | CLONE_NEWNS;
	int n = argc > 1 ? atoi(argv[1]) : 200;
	double a, b;
	int cfd;

	if (!cfd_supported()) {
		printf("scale: kernel has no container objects\n");
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc <= 2 || strcmp(argv[2], "quick")) {
		live_containers();
		big_death();
	}

	a = time_container_start(cflags, n);
	b = time_clone3(kflags, n);
	printf("container create+start+wait: %8.1f us; clone3(CLONE_NEW*)+wait: %8.1f us; ratio %.2f (goal <= 1.10)\n",
	       a * 1e6, b * 1e6, a / b);

	/* A running container: an init that stays, members that come and go. */
	cfd = cfd_create(CONTAINER_NEW_UTS_NS | CONTAINER_KILL_ON_CLOSE, "fork");
	if (cfd < 0 || cfd_fork(cfd, 0, NULL) == 0) {
		for (;;)
			pause();
	}
	a = time_fork(cfd, n * 5);
	b = time_fork(-1, n * 5);
	printf("fork-into: %8.1f us; fork(): %8.1f us; ratio %.2f (goal <= 1.20)\n",
	       a * 1e6, b * 1e6, a / b);
	close(cfd);
	return 0;
}
