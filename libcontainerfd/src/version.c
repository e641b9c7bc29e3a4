// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/* The library's own version, which may be newer than a program's headers. */
#include "containerfd.h"

const char *cfd_version(void)
{
	return CFD_VERSION_STRING;
}

int cfd_version_major(void)
{
	return CFD_VERSION_MAJOR;
}

int cfd_version_minor(void)
{
	return CFD_VERSION_MINOR;
}
