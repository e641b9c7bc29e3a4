// SPDX-License-Identifier: GPL-2.0
/* cfd_spawn() and cfd_wait(): exit status back, exec errors as -errno. */
#include "lib_test.h"

#include <sys/wait.h>

int main(void)
{
	struct cfd_options o = { .flags = CONTAINER_NEW_PID_NS | CONTAINER_NEW_UTS_NS };
	char *ok[] = { "sh", "-c", "test $$ = 1 && exit 3", NULL };
	char *missing[] = { "/nonexistent/prog", NULL };
	struct cfd_spawn_attr attr = {};
	int cfd, pidfd, status;
	pid_t pid = 0;

	skip_unless_supported();
	cfd = cfd_create(&o);
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

	cfd = cfd_create(&o);
	CHECK(cfd >= 0);
	CHECK_ERR(cfd_spawn(cfd, missing[0], missing, NULL, &attr, NULL), ENOENT);
	CHECK(!attr.failed_in_setup);
	close(cfd);
	return 0;
}
