// SPDX-License-Identifier: GPL-2.0
/*
 * cfd_spawn() gives the program a clean signal state whatever the
 * caller's: every disposition default (handled and ignored ones alike)
 * and an empty mask, or the mask set with cfd_spawnattr_set_sigmask().
 */
#include "lib_test.h"

#include <signal.h>
#include <sys/wait.h>

static void handler(int sig __attribute__((unused)))
{
}

/* Re-executed inside: compare our /proc status with what argv says. */
static int child(const char *want_blk)
{
	unsigned long long blk = ~0ULL, ign = ~0ULL, cgt = ~0ULL;
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return 2;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "SigBlk: %llx", &blk);
		sscanf(line, "SigIgn: %llx", &ign);
		sscanf(line, "SigCgt: %llx", &cgt);
	}
	fclose(f);
	if (blk != strtoull(want_blk, NULL, 16) || ign || cgt) {
		fprintf(stderr, "child: SigBlk %llx (wanted %s) SigIgn %llx SigCgt %llx\n",
			blk, want_blk, ign, cgt);
		return 1;
	}
	return 0;
}

static void spawn_and_check(int cfd, const char *self, cfd_spawnattr_t *attr,
			    const char *want_blk)
{
	char *argv[] = { (char *)self, "child", (char *)want_blk, NULL };
	int pidfd, status;

	pidfd = cfd_spawn(cfd, self, argv, NULL, attr, NULL);
	CHECK(pidfd >= 0);
	CHECK(cfd_wait(pidfd, &status) == 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(pidfd);
}

int main(int argc, char **argv)
{
	struct cfd_options o = { .flags = CONTAINER_NEW_UTS_NS };
	struct sigaction sa = { .sa_handler = handler };
	char *sleeper[] = { "sleep", "100", NULL };
	char self[4096], want[20];
	cfd_spawnattr_t *attr;
	sigset_t block, usr2;
	int cfd, init, status;
	ssize_t n;

	if (argc > 2 && !strcmp(argv[1], "child"))
		return child(argv[2]);
	skip_unless_supported();
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	CHECK(n > 0);
	self[n] = '\0';

	/* The caller's state: one ignored, two handled, two blocked. */
	signal(SIGTERM, SIG_IGN);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	CHECK(sigprocmask(SIG_BLOCK, &block, NULL) == 0);

	cfd = cfd_create(&o, sizeof(o));
	CHECK(cfd >= 0);
	init = cfd_spawn(cfd, "sleep", sleeper, NULL, NULL, NULL);
	CHECK(init >= 0);

	spawn_and_check(cfd, self, NULL, "0");
	CHECK(cfd_spawnattr_new(&attr) == 0);
	spawn_and_check(cfd, self, attr, "0");
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	CHECK(cfd_spawnattr_set_sigmask(attr, &usr2) == 0);
	snprintf(want, sizeof(want), "%llx", 1ULL << (SIGUSR2 - 1));
	spawn_and_check(cfd, self, attr, want);
	cfd_spawnattr_free(attr);

	/* And the caller's own state is as it was. */
	CHECK(sigprocmask(SIG_BLOCK, NULL, &block) == 0);
	CHECK(sigismember(&block, SIGINT) && sigismember(&block, SIGHUP));
	CHECK(sigaction(SIGTERM, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN);
	CHECK(sigaction(SIGUSR1, NULL, &sa) == 0 && sa.sa_handler == handler);

	CHECK(cfd_kill(cfd, SIGKILL) == 0);
	CHECK(cfd_wait(init, &status) == 0);
	return 0;
}
