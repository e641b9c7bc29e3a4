// SPDX-License-Identifier: GPL-2.0
/*
 * Race create, fork-into, kill and close from several threads for a
 * bounded time.  Afterwards every container must be gone from
 * /proc/containers and the container slab cache must be back to its
 * baseline (freed, not leaked), and the VM runner fails the run on any
 * kernel splat.  CFD_STRESS_SECONDS overrides the default 8 seconds.
 */
#include "cfd_util.h"

#include <pthread.h>
#include <time.h>

#include "kselftest_harness.h"

#define THREADS 4

static volatile int stop;

static int count_containers(void)
{
	char line[256];
	FILE *f = fopen("/proc/containers", "r");
	int n = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

/*
 * Live objects in the container slab cache: shrink it first, so objects
 * sitting free in per-CPU slabs are not counted as in use.  -1 if the
 * kernel has no slab sysfs.
 */
static long slab_objects(void)
{
	char buf[64] = "";
	FILE *f;

	if (cfd_write_file("/sys/kernel/slab/container/shrink", "1", 0))
		return -1;
	f = fopen("/sys/kernel/slab/container/objects", "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] ? atol(buf) : -1;
}

static pid_t spawn(int cfd)
{
	pid_t pid = cfd_fork(cfd, 0, NULL);

	if (pid == 0) {
		/* Some die on their own, some wait to be killed. */
		if (getpid() & 1)
			usleep(1000);
		else
			pause();
		_exit(0);
	}
	return pid;
}

static void *racer(void *arg)
{
	unsigned int seed = (uintptr_t)arg;
	unsigned long rounds = 0;

	while (!stop) {
		uint64_t flags = CONTAINER_NEW_UTS_NS;
		pid_t kids[3];
		int cfd, i, n = 0;

		if (rand_r(&seed) & 1)
			flags |= CONTAINER_NEW_PID_NS;
		if (rand_r(&seed) & 1)
			flags |= CONTAINER_KILL_ON_CLOSE;
		cfd = cfd_create(flags, NULL);
		if (cfd < 0)
			continue;
		for (i = 0; i < 3; i++) {
			kids[n] = spawn(cfd);
			if (kids[n] > 0)
				n++;
		}
		switch (rand_r(&seed) % 3) {
		case 0:
			ioctl(cfd, CONTAINER_IOC_KILL, SIGKILL);
			break;
		case 1:
			if (n)
				kill(kids[0], SIGKILL);
			break;
		}
		close(cfd);
		/*
		 * Whatever survived the close, kill: no stragglers.  Reap the
		 * members before init (kids[0]): a PID namespace init finishes
		 * exiting only once the rest of its namespace is reaped.
		 */
		for (i = 0; i < n; i++)
			kill(kids[i], SIGKILL);
		for (i = n - 1; i >= 0; i--)
			waitpid(kids[i], NULL, 0);
		rounds++;
	}
	return (void *)rounds;
}

TEST(race_create_fork_kill_close)
{
	pthread_t th[THREADS];
	unsigned long total = 0;
	const char *env = getenv("CFD_STRESS_SECONDS");
	int seconds = env ? atoi(env) : 8;
	int before, after = -1, i;
	long slab_before, slab_after = -1;
	void *rounds;

	SKIP_IF_UNSUPPORTED();
	before = count_containers();
	ASSERT_GE(before, 0);
	slab_before = slab_objects();
	ASSERT_GE(slab_before, 0) TH_LOG("no /sys/kernel/slab/container/objects");

	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, racer,
					 (void *)(uintptr_t)(i + 1)), 0);
	sleep(seconds);
	stop = 1;
	for (i = 0; i < THREADS; i++) {
		ASSERT_EQ(pthread_join(th[i], &rounds), 0);
		total += (unsigned long)rounds;
	}
	TH_LOG("%lu containers in %d s", total, seconds);
	EXPECT_GT(total, THREADS);

	/* Freed from a workqueue: give it a moment, then insist. */
	for (i = 0; i < 100; i++) {
		after = count_containers();
		if (after == before)
			break;
		usleep(100000);
	}
	EXPECT_EQ(after, before) TH_LOG("%d containers leaked", after - before);

	/* Objects go back after an RCU grace period: poll, then insist. */
	for (i = 0; i < 100; i++) {
		slab_after = slab_objects();
		if (slab_after == slab_before)
			break;
		usleep(100000);
	}
	EXPECT_EQ(slab_after, slab_before)
		TH_LOG("%ld container objects leaked", slab_after - slab_before);
}

TEST_HARNESS_MAIN
