// SPDX-License-Identifier: GPL-2.0
/* cfd_list(), cfd_open_id(), cfd_open_name(), cfd_open_pid() find one container. */
#include "lib_test.h"

#include <signal.h>
#include <sys/wait.h>

int main(void)
{
	struct cfd_options o = { .flags = CONTAINER_NEW_PID_NS, .name = "lib-lookup" };
	char *sleeper[] = { "sleep", "100", NULL };
	struct container_info info, got;
	struct cfd_entry *v;
	size_t n, i, seen = 0;
	int cfd, pidfd, fd, status;
	pid_t pid;

	skip_unless_supported();
	cfd = cfd_create(&o);
	CHECK(cfd >= 0);
	pidfd = cfd_spawn(cfd, "sleep", sleeper, NULL, NULL, &pid);
	CHECK(pidfd >= 0);
	CHECK(cfd_get_info(cfd, &info) == 0);

	CHECK(cfd_list(&v, &n) == 0);
	for (i = 0; i < n; i++) {
		if (v[i].id != info.id)
			continue;
		seen++;
		CHECK(!strcmp(v[i].name, "lib-lookup"));
		CHECK(v[i].init_pid == pid);
		CHECK(v[i].state == CONTAINER_STATE_RUNNING);
		CHECK(v[i].parent_id == CONTAINER_ID_SELF);
	}
	cfd_list_free(v);
	CHECK(seen == 1);

	fd = cfd_open_id(info.id);
	CHECK(fd >= 0);
	CHECK(cfd_get_info(fd, &got) == 0 && got.id == info.id);
	close(fd);
	fd = cfd_open_name("lib-lookup");
	CHECK(fd >= 0);
	CHECK(cfd_get_info(fd, &got) == 0 && got.id == info.id);
	close(fd);
	fd = cfd_open_pid(pid);
	CHECK(fd >= 0);
	CHECK(cfd_get_info(fd, &got) == 0 && got.id == info.id);
	close(fd);
	CHECK_ERR(cfd_open_pid(getpid()), ENOENT);	/* the root has no fd */

	CHECK(cfd_kill(cfd, SIGKILL) == 0);
	CHECK(cfd_wait(pidfd, &status) == 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	return 0;
}
