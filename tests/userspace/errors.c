// SPDX-License-Identifier: GPL-2.0
/* Bad fds, wrong fd types and bad arguments come back as -errno. */
#include "lib_test.h"

#include <fcntl.h>
#include <signal.h>

int main(void)
{
	struct container_info info;
	int devnull, cfd;

	skip_unless_supported();
	CHECK_ERR(cfd_get_info(-1, &info, sizeof(info)), EBADF);
	CHECK_ERR(cfd_kill(-1, SIGTERM), EBADF);
	CHECK_ERR(cfd_fork(-1, NULL), EBADF);
	devnull = open("/dev/null", O_RDONLY);
	CHECK(devnull >= 0);
	CHECK_ERR(cfd_get_info(devnull, &info, sizeof(info)), ENOTTY);
	CHECK_ERR(cfd_fork(devnull, NULL), EINVAL);
	CHECK_ERR(cfd_pidfd_get_container(devnull), ENOTTY);
	cfd = cfd_create(&(struct cfd_options){ .flags = 0 }, sizeof(struct cfd_options));
	CHECK(cfd >= 0);
	CHECK_ERR(cfd_kill(cfd, 999), EINVAL);
	CHECK_ERR(cfd_kill(cfd, SIGTERM), ESRCH);	/* nobody inside */
	CHECK_ERR(cfd_get_ns(cfd, 0), EINVAL);
	CHECK_ERR(cfd_open_id(CONTAINER_ID_MAX), ENOENT);
	CHECK_ERR(cfd_open_name(""), EINVAL);
	CHECK_ERR(cfd_open_name("no-such-container-here"), ENOENT);
	close(cfd);
	close(devnull);
	return 0;
}
