// SPDX-License-Identifier: GPL-2.0
/*
 * The iterator over /proc/containers, cfd_open_id(), cfd_open_name() and
 * cfd_open_pid() find one container; an entry struct of another size is
 * filled as far as it goes.
 */
#include "lib_test.h"

#include <signal.h>
#include <sys/wait.h>

/* A caller built against a newer header: a bigger entry, tail zeroed. */
struct bigger_entry {
	struct cfd_entry e;
	uint64_t future[4];
};

int main(void)
{
	struct cfd_options o = { .flags = CONTAINER_NEW_PID_NS, .name = "lib-lookup" };
	char *sleeper[] = { "sleep", "100", NULL };
	struct container_info info, got;
	struct bigger_entry big;
	struct cfd_entry e;
	struct cfd_iter *it;
	int cfd, pidfd, fd, status, r, seen = 0, total = 0;
	pid_t pid;

	skip_unless_supported();
	cfd = cfd_create(&o, sizeof(o));
	CHECK(cfd >= 0);
	pidfd = cfd_spawn(cfd, "sleep", sleeper, NULL, NULL, &pid);
	CHECK(pidfd >= 0);
	CHECK(cfd_get_info(cfd, &info, sizeof(info)) == 0);

	CHECK(cfd_iter_open(&it) == 0);
	while ((r = cfd_iter_next(it, &e, sizeof(e))) == 1) {
		total++;
		if (e.id != info.id)
			continue;
		seen++;
		CHECK(!strcmp(e.name, "lib-lookup"));
		CHECK(e.init_pid == pid);
		CHECK(e.state == CONTAINER_STATE_RUNNING);
		CHECK(e.parent_id == CONTAINER_ID_SELF);
		CHECK(e.flags == CONTAINER_NEW_PID_NS);
		CHECK(e.nr_members == 1);
	}
	CHECK(r == 0);
	/* At the end it stays at the end. */
	CHECK(cfd_iter_next(it, &e, sizeof(e)) == 0);
	CHECK_ERR(cfd_iter_next(it, &e, CFD_ENTRY_SIZE_VER0 - 1), EINVAL);
	cfd_iter_close(it);
	CHECK(seen == 1 && total >= 1);

	/* A larger struct: what the library knows, then zeroes. */
	memset(&big, 0xff, sizeof(big));
	CHECK(cfd_iter_open(&it) == 0);
	do {
		r = cfd_iter_next(it, &big.e, sizeof(big));
	} while (r == 1 && big.e.id != info.id);
	CHECK(r == 1 && !strcmp(big.e.name, "lib-lookup"));
	CHECK(!big.future[0] && !big.future[1] && !big.future[2] && !big.future[3]);
	CHECK(big.e.reserved == 0);
	cfd_iter_close(it);
	cfd_iter_close(NULL);	/* as free(NULL) */
	CHECK_ERR(cfd_iter_open(NULL), EINVAL);

	fd = cfd_open_id(info.id);
	CHECK(fd >= 0);
	CHECK(cfd_get_info(fd, &got, sizeof(got)) == 0 && got.id == info.id);
	close(fd);
	fd = cfd_open_name("lib-lookup");
	CHECK(fd >= 0);
	CHECK(cfd_get_info(fd, &got, sizeof(got)) == 0 && got.id == info.id);
	close(fd);
	fd = cfd_open_pid(pid);
	CHECK(fd >= 0);
	CHECK(cfd_get_info(fd, &got, sizeof(got)) == 0 && got.id == info.id);
	close(fd);
	CHECK_ERR(cfd_open_pid(getpid()), ENOENT);	/* the root has no fd */
	CHECK_ERR(cfd_open_pid(0), EINVAL);
	CHECK_ERR(cfd_open_id(CONTAINER_ID_MAX + 1), ENOENT);

	CHECK(cfd_kill(cfd, SIGKILL) == 0);
	CHECK(cfd_wait(pidfd, &status) == 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	return 0;
}
