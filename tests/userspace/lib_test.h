/* SPDX-License-Identifier: GPL-2.0 */
/* Tiny helpers for the libcontainerfd tests: exit 0 pass, 1 fail, 77 skip. */
#ifndef LIB_TEST_H
#define LIB_TEST_H
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <containerfd.h>

#define T_SKIP 77

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		exit(1);						\
	}								\
} while (0)

/* -errno results are compared as such: the API never returns -1/errno. */
#define CHECK_ERR(expr, err) do {					\
	long __v = (expr);						\
	if (__v != -(err)) {						\
		fprintf(stderr, "%s:%d: %s = %ld, wanted -%s\n",	\
			__FILE__, __LINE__, #expr, __v, #err);		\
		exit(1);						\
	}								\
} while (0)

/*
 * Skip, saying why, where the tests cannot run: a kernel without container
 * objects (only a kernel with them has /proc/containers; the syscall
 * number may be another call elsewhere), or no root.  Where they can run,
 * the library's own probe must agree.
 */
static inline void skip_unless_supported(void)
{
	if (access("/proc/containers", F_OK)) {
		fprintf(stderr, "skip: kernel has no container objects (no /proc/containers)\n");
		exit(T_SKIP);
	}
	if (geteuid() != 0) {
		fprintf(stderr, "skip: needs root\n");
		exit(T_SKIP);
	}
	CHECK(cfd_probe() == 0);
}
#endif
