// SPDX-License-Identifier: GPL-2.0
/*
 * cfd_spawn() and cfd_wait(): exit status back, exec and setup errors as
 * -errno with the stage they failed in.
 */
#include "lib_test.h"

#include <signal.h>
#include <sys/wait.h>

static int failing_setup(void *arg)
{
	return -*(int *)arg;
}

int main(void)
{
	struct cfd_options o = { .flags = CONTAINER_NEW_PID_NS | CONTAINER_NEW_UTS_NS };
	char *ok[] = { "sh", "-c", "test $$ = 1 && exit 3", NULL };
	char *missing[] = { "/nonexistent/prog", NULL };
	char *dir[] = { "/", NULL };
	char *sleeper[] = { "sleep", "100", NULL };
	cfd_spawnattr_t *attr;
	int cfd, pidfd, status, err = EXDEV;
	pid_t pid = 0;

	skip_unless_supported();
	CHECK(cfd_spawnattr_new(&attr) == 0);
	CHECK(cfd_spawnattr_get_failed_stage(attr) == CFD_SPAWN_STAGE_NONE);
	cfd = cfd_create(&o, sizeof(o));
	CHECK(cfd >= 0);
	pidfd = cfd_spawn(cfd, "sh", ok, NULL, NULL, &pid);
	CHECK(pidfd >= 0);
	CHECK(pid > 0);
	CHECK(cfd_wait(pidfd, &status) == 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	close(pidfd);
	/* The container died with its init: nothing more gets in. */
	CHECK_ERR(cfd_spawn(cfd, "sh", ok, NULL, NULL, NULL), ESRCH);
	close(cfd);

	/* A live init, so that failed spawns do not end the container. */
	cfd = cfd_create(&o, sizeof(o));
	CHECK(cfd >= 0);
	pidfd = cfd_spawn(cfd, "sleep", sleeper, NULL, NULL, NULL);
	CHECK(pidfd >= 0);
	CHECK_ERR(cfd_spawn(cfd, missing[0], missing, NULL, attr, NULL), ENOENT);
	CHECK(cfd_spawnattr_get_failed_stage(attr) == CFD_SPAWN_STAGE_EXEC);
	CHECK_ERR(cfd_spawn(cfd, dir[0], dir, NULL, attr, NULL), EACCES);
	CHECK(cfd_spawnattr_get_failed_stage(attr) == CFD_SPAWN_STAGE_EXEC);
	/* A setup failure is told apart from an exec failure. */
	CHECK(cfd_spawnattr_set_setup(attr, failing_setup, &err) == 0);
	CHECK_ERR(cfd_spawn(cfd, "sh", ok, NULL, attr, NULL), EXDEV);
	CHECK(cfd_spawnattr_get_failed_stage(attr) == CFD_SPAWN_STAGE_SETUP);
	CHECK_ERR(cfd_spawn(-1, "sh", ok, NULL, NULL, NULL), EBADF);
	CHECK_ERR(cfd_spawn(cfd, NULL, ok, NULL, NULL, NULL), EINVAL);
	CHECK_ERR(cfd_spawnattr_set_cgroup(attr, -2), EBADF);
	CHECK_ERR(cfd_spawnattr_set_pdeathsig(attr, NSIG), EINVAL);
	/* The failed children were reaped: only init is left to wait for. */
	CHECK(waitpid(-1, NULL, WNOHANG) == 0);
	CHECK(cfd_kill(cfd, SIGKILL) == 0);
	CHECK(cfd_wait(pidfd, &status) == 0 && WIFSIGNALED(status));
	CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
	close(pidfd);
	close(cfd);
	cfd_spawnattr_free(attr);
	return 0;
}
