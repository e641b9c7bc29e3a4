// SPDX-License-Identifier: GPL-2.0
/* cfd_get_ns(): an nsfs fd of the container's UTS namespace works with setns(). */
#include "lib_test.h"

#include <sched.h>
#include <sys/wait.h>

int main(void)
{
	struct cfd_options o = { .flags = CONTAINER_NEW_UTS_NS };
	char *show[] = { "sh", "-c", "test \"$(hostname)\" = from-outside", NULL };
	int cfd, nsfd, pidfd, status;
	pid_t pid;

	skip_unless_supported();
	cfd = cfd_create(&o, sizeof(o));
	CHECK(cfd >= 0);
	nsfd = cfd_get_ns(cfd, CLONE_NEWUTS);
	CHECK(nsfd >= 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(setns(nsfd, CLONE_NEWUTS) || sethostname("from-outside", 12));
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	/* What we set through the fd is what a process inside sees. */
	pidfd = cfd_spawn(cfd, "sh", show, NULL, NULL, NULL);
	CHECK(pidfd >= 0);
	CHECK(cfd_wait(pidfd, &status) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return 0;
}
