// SPDX-License-Identifier: GPL-2.0
/*
 * The structs that cross the library travel with their size: an older
 * (shorter) one is refused below the first published size, a newer
 * (longer) one is taken when its unknown tail is zero and refused with
 * E2BIG when not, and cfd_get_info() fills what the kernel knows of a
 * struct of any size and leaves the rest zero.
 */
#include "lib_test.h"

struct newer_options {
	struct cfd_options o;
	uint64_t future;
};

struct newer_info {
	struct container_info info;
	uint64_t future[8];
};

int main(void)
{
	struct newer_options no = { .o = { .flags = CONTAINER_NEW_UTS_NS, .name = "lib-sized" } };
	struct newer_info ni;
	struct container_info info;
	int cfd;

	skip_unless_supported();
	CHECK_ERR(cfd_create(&no.o, CFD_OPTIONS_SIZE_VER0 - 1), EINVAL);
	CHECK_ERR(cfd_create(NULL, sizeof(no.o)), EFAULT);
	no.future = 1;
	CHECK_ERR(cfd_create(&no.o, sizeof(no)), E2BIG);
	no.future = 0;
	cfd = cfd_create(&no.o, sizeof(no));
	CHECK(cfd >= 0);

	/* A newer caller's info: the kernel's part filled, the tail zero. */
	memset(&ni, 0xa5, sizeof(ni));
	CHECK(cfd_get_info(cfd, &ni.info, sizeof(ni)) == 0);
	CHECK(ni.info.size == CONTAINER_INFO_SIZE_VER0);
	CHECK(!strcmp(ni.info.name, "lib-sized"));
	CHECK(ni.info.flags == CONTAINER_NEW_UTS_NS);
	for (size_t i = 0; i < sizeof(ni.future) / sizeof(ni.future[0]); i++)
		CHECK(ni.future[i] == 0);

	/* The size of this header's struct, and nothing smaller. */
	CHECK(cfd_get_info(cfd, &info, sizeof(info)) == 0);
	CHECK(info.size == sizeof(info));
	CHECK_ERR(cfd_get_info(cfd, &info, CONTAINER_INFO_SIZE_VER0 - 8), EINVAL);
	CHECK_ERR(cfd_get_info(cfd, NULL, sizeof(info)), EINVAL);
	CHECK_ERR(cfd_get_info(cfd, &info, 1 << 14), E2BIG);
	close(cfd);
	return 0;
}
