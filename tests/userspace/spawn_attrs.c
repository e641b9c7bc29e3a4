// SPDX-License-Identifier: GPL-2.0
/*
 * cfd_spawnattr_set_pdeathsig(): the program dies when the thread that
 * spawned it goes (and lives on without it); cfd_spawnattr_set_cgroup():
 * it is born in the cgroup asked for (CLONE_INTO_CGROUP).
 */
#include "lib_test.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/*
 * A manager process spawns the container's init and exits.  Returns the
 * container's state once the manager is gone, waiting up to 20 s for it
 * to die when @pdeathsig is set.
 */
static int spawn_from_manager(int pdeathsig)
{
	struct cfd_options o = { .flags = CONTAINER_NEW_PID_NS };
	char *sleeper[] = { "sleep", "1000", NULL };
	struct pollfd p = { .events = POLLIN };
	struct container_info info;
	int cfd, status;
	pid_t manager;

	cfd = cfd_create(&o, sizeof(o));
	CHECK(cfd >= 0);
	manager = fork();
	CHECK(manager >= 0);
	if (manager == 0) {
		cfd_spawnattr_t *attr;

		if (cfd_spawnattr_new(&attr) ||
		    cfd_spawnattr_set_pdeathsig(attr, pdeathsig) ||
		    cfd_spawn(cfd, "sleep", sleeper, NULL, attr, NULL) < 0)
			_exit(1);
		_exit(0);
	}
	CHECK(waitpid(manager, &status, 0) == manager && status == 0);
	CHECK(cfd_get_info(cfd, &info, sizeof(info)) == 0);
	CHECK(info.state != CONTAINER_STATE_CREATED);
	if (pdeathsig) {
		p.fd = cfd;
		CHECK(poll(&p, 1, 20000) == 1);
		CHECK(cfd_get_info(cfd, &info, sizeof(info)) == 0);
		CHECK(info.state == CONTAINER_STATE_DEAD);
		CHECK(WIFSIGNALED(info.exit_status) &&
		      WTERMSIG(info.exit_status) == pdeathsig);
	}
	if (info.state != CONTAINER_STATE_DEAD)
		CHECK(cfd_kill(cfd, SIGKILL) == 0);
	close(cfd);
	return info.state;
}

static void cgroup_case(void)
{
	struct cfd_options o = { .flags = CONTAINER_NEW_UTS_NS };
	char dir[64], line[128], want[80], *cat[] = { "cat", "/proc/self/cgroup", NULL };
	int cfd, cg, pidfd, out[2], status;
	cfd_spawnattr_t *attr;
	struct statfs sfs;
	ssize_t n;

	if (statfs("/sys/fs/cgroup", &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC) {
		printf("cgroup case skipped: no cgroup2 at /sys/fs/cgroup\n");
		return;
	}
	snprintf(dir, sizeof(dir), "/sys/fs/cgroup/cfd-lib-%d", getpid());
	CHECK(mkdir(dir, 0755) == 0);
	cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(cg >= 0);
	CHECK(pipe(out) == 0);
	cfd = cfd_create(&o, sizeof(o));
	CHECK(cfd >= 0);
	CHECK(cfd_spawnattr_new(&attr) == 0);
	CHECK(cfd_spawnattr_set_cgroup(attr, cg) == 0);
	/* Its stdout is the pipe, for the time of the spawn. */
	int saved = dup(1);
	CHECK(dup2(out[1], 1) == 1);
	pidfd = cfd_spawn(cfd, "cat", cat, NULL, attr, NULL);
	CHECK(dup2(saved, 1) == 1);
	close(saved);
	close(out[1]);
	CHECK(pidfd >= 0);
	n = read(out[0], line, sizeof(line) - 1);
	CHECK(n > 0);
	line[n] = '\0';
	CHECK(cfd_wait(pidfd, &status) == 0 && status == 0);
	snprintf(want, sizeof(want), "0::%s\n", dir + strlen("/sys/fs/cgroup"));
	if (strcmp(line, want)) {
		fprintf(stderr, "cgroup: got %s, wanted %s", line, want);
		exit(1);
	}
	cfd_spawnattr_free(attr);
	close(cfd);
	close(cg);
	CHECK(rmdir(dir) == 0);
}

int main(void)
{
	skip_unless_supported();
	/* Without it, the container outlives its manager... */
	CHECK(spawn_from_manager(0) == CONTAINER_STATE_RUNNING);
	/* ...with it, init gets the signal when the manager goes. */
	CHECK(spawn_from_manager(SIGKILL) == CONTAINER_STATE_DEAD);
	cgroup_case();
	return 0;
}
