// SPDX-License-Identifier: GPL-2.0
/* The version macros and calls agree, and the check macro compares right. */
#include "lib_test.h"

int main(void)
{
	char want[32];

	snprintf(want, sizeof(want), "%d.%d.%d", CFD_VERSION_MAJOR,
		 CFD_VERSION_MINOR, CFD_VERSION_PATCH);
	CHECK(!strcmp(want, CFD_VERSION_STRING));
	/* Built and run against the same tree: the library is these headers. */
	CHECK(!strcmp(cfd_version(), CFD_VERSION_STRING));
	CHECK(cfd_version_major() == CFD_VERSION_MAJOR);
	CHECK(cfd_version_minor() == CFD_VERSION_MINOR);
	CHECK(CFD_VERSION_AT_LEAST(2, 0));
	CHECK(CFD_VERSION_AT_LEAST(1, 99));
	CHECK(CFD_VERSION_AT_LEAST(CFD_VERSION_MAJOR, CFD_VERSION_MINOR));
	CHECK(!CFD_VERSION_AT_LEAST(CFD_VERSION_MAJOR, CFD_VERSION_MINOR + 1));
	CHECK(!CFD_VERSION_AT_LEAST(CFD_VERSION_MAJOR + 1, 0));
	return 0;
}
