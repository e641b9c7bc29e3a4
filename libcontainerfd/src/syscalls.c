// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/* Raw wrappers: one syscall or ioctl each, -errno on failure. */
#include <errno.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "containerfd.h"

#ifndef __NR_clone3
#define __NR_clone3 435
#endif

#define RET(expr) ({ long __r = (expr); __r < 0 ? -errno : __r; })

int cfd_sys_container_create(const struct container_args *args, size_t size)
{
	return RET(syscall(__NR_container_create, args, size));
}

pid_t cfd_sys_clone3(struct clone_args *args, size_t size)
{
	return RET(syscall(__NR_clone3, args, size));
}

int cfd_get_info(int cfd, struct container_info *info)
{
	return RET(ioctl(cfd, CONTAINER_IOC_GET_INFO, info));
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
