// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD for trinity: hands it container fds.
 *
 * trinity fills its "pseudo" fd provider by open()ing the files of its
 * --victims directory, and passes those fds to every syscall argument of
 * type fd.  trinity-fds leaves container fds (and pidfds, nsfs fds, ...)
 * open across the exec and puts a marker file for each in that directory,
 * named "cfd-<what>-<fd>".  Opening a marker gives a duplicate of that fd
 * instead of the file; every other open() is trinity's own.
 *
 * It also makes trinity's own setsockopt() calls succeed without doing
 * anything.  trinity 2023.01 sets random options on each socket it opens
 * at startup, retrying until one succeeds, and its option generator
 * indexes its protocol table with a negative number one time in eight
 * (rnd() % TRINITY_PF_MAX on a signed value): the main process crashes
 * before fuzzing anything.  One attempt per socket keeps that rare, and
 * trinity-fds starts trinity again when it happens.  The fuzzed calls go
 * through syscall(), not through these wrappers.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef int (*open_fn)(const char *, int, ...);

/* The fd a marker names, or -1 when @path is no marker. */
static int marker_fd(const char *path)
{
	const char *base = strrchr(path, '/'), *dash;
	char *end;
	long fd;

	base = base ? base + 1 : path;
	if (strncmp(base, "cfd-", 4))
		return -1;
	dash = strrchr(base, '-');
	fd = strtol(dash + 1, &end, 10);
	if (*end || end == dash + 1 || fd < 0 || fd > 65535)
		return -1;
	return fd;
}

static int open_common(const char *sym, const char *path, int flags, mode_t mode)
{
	open_fn real = (open_fn)dlsym(RTLD_NEXT, sym);
	int fd = path ? marker_fd(path) : -1;

	if (fd >= 0)
		return fcntl(fd, F_DUPFD_CLOEXEC, 3);
	return real(path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return open_common("open", path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return open_common("open64", path, flags, mode);
}

int setsockopt(int fd, int level, int name, const void *value, socklen_t len)
{
	return 0;
}
