// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/* Raw wrappers: one syscall or ioctl each, -errno on failure. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "containerfd.h"

#ifndef __NR_clone3
#define __NR_clone3 435
#endif

#define RET(expr) ({ long __r = (expr); __r < 0 ? -errno : __r; })

_Static_assert(sizeof(struct cfd_clone_args) == CLONE_ARGS_SIZE_VER3,
	       "struct cfd_clone_args is struct clone_args with .container");

int cfd_sys_container_create(const struct container_args *args, size_t size)
{
	return RET(syscall(__NR_container_create, args, size));
}

pid_t cfd_sys_clone3(struct cfd_clone_args *args, size_t size)
{
	return RET(syscall(__NR_clone3, args, size));
}

/*
 * CONTAINER_IOC_GET_INFO is extensible through the size in the command:
 * ask with the caller's size.  The kernel fills what both know and says
 * how much in info->size; the rest of a larger struct is left zero.
 */
int cfd_get_info(int cfd, struct container_info *info, size_t size)
{
	if (!info || size < CONTAINER_INFO_SIZE_VER0)
		return -EINVAL;
	if (size > _IOC_SIZEMASK)
		return -E2BIG;
	memset(info, 0, size);
	return RET(ioctl(cfd, _IOC(_IOC_READ, CONTAINER_IOC_MAGIC,
				   _IOC_NR(CONTAINER_IOC_GET_INFO), size), info));
}

int cfd_kill(int cfd, int sig)
{
	return RET(ioctl(cfd, CONTAINER_IOC_KILL, (unsigned long)sig));
}

int cfd_get_ns(int cfd, int nstype)
{
	return RET(ioctl(cfd, CONTAINER_IOC_GET_NS, (unsigned long)nstype));
}

int cfd_pidfd_get_container(int pidfd)
{
	return RET(ioctl(pidfd, PIDFD_GET_CONTAINER, 0));
}
