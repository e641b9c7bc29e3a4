// SPDX-License-Identifier: GPL-2.0
/* cfd_create() and cfd_get_info(): a name and flags round-trip; errors are -errno. */
#include "lib_test.h"

int main(void)
{
	struct cfd_options o = { .flags = CONTAINER_NEW_UTS_NS, .name = "lib-info" };
	struct container_info info;
	int cfd;

	skip_unless_supported();
	cfd = cfd_create(&o, sizeof(o));
	CHECK(cfd >= 0);
	CHECK(cfd_get_info(cfd, &info, sizeof(info)) == 0);
	CHECK(!strcmp(info.name, "lib-info"));
	CHECK(info.flags == CONTAINER_NEW_UTS_NS);
	CHECK(info.state == CONTAINER_STATE_CREATED);
	CHECK(!strcmp(cfd_state_name(info.state), "created"));
	close(cfd);

	o.name = "no spaces";
	CHECK_ERR(cfd_create(&o, sizeof(o)), EINVAL);
	o.name = NULL;
	o.flags = 1ULL << 40;
	CHECK_ERR(cfd_create(&o, sizeof(o)), EINVAL);
	return 0;
}
