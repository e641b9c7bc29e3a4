// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Messages, exits, strict number parsing and small helpers shared by the
 * commands.  Every failure of the tool itself exits EXIT_TOOL (125), so
 * that a caller can tell it from the command's own status, as with env(1),
 * timeout(1) and podman.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <stdio_ext.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

struct globals G;

/* With --log, errors also go there, as runc and crun write them for conmon. */
static void log_to_file(const char *msg)
{
	char stamp[64];
	struct timespec ts;
	struct tm tm;
	FILE *f;

	if (!G.log)
		return;
	f = fopen(G.log, "ae");
	if (!f)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	if (G.log_json) {
		struct json_object *o = json_object_new_object();
		char t[96];

		snprintf(t, sizeof(t), "%s.%09ldZ", stamp, ts.tv_nsec);
		json_object_object_add(o, "level", json_object_new_string("error"));
		json_object_object_add(o, "msg", json_object_new_string(msg));
		json_object_object_add(o, "time", json_object_new_string(t));
		fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
	} else {
		fprintf(f, "%s %s: %s\n", stamp, PROG, msg);
	}
	fclose(f);
}

static void vmessage(int err, const char *fmt, va_list ap)
{
	char msg[1024];
	int n;

	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (err && n >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(err));
	fprintf(stderr, "%s: %s\n", PROG, msg);
	log_to_file(msg);
}

void die(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(err, fmt, ap);
	va_end(ap);
	exit(EXIT_TOOL);
}

void warn_msg(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(err, fmt, ap);
	va_end(ap);
}

void errtryhelp(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", PROG);
	exit(EXIT_TOOL);
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(0, fmt, ap);
	va_end(ap);
	errtryhelp();
}

void print_usage(const char *text)
{
	fputs(text, stdout);
	exit(0);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!G.debug)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "%s: debug: ", PROG);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Decimal only, all of it, no sign, no space: "12abc" and "-1" are errors. */
uint64_t parse_u64(const char *s, uint64_t min, uint64_t max, const char *what)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		usage_error("invalid %s '%s'", what, s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		usage_error("invalid %s '%s'", what, s);
	if (v < min || v > max)
		usage_error("%s '%s' out of range (%llu to %llu)", what, s,
			    (unsigned long long)min, (unsigned long long)max);
	return v;
}

int parse_signal(const char *s)
{
	const char *name;
	int sig;

	if (!s || !*s)
		return -1;
	if (*s >= '0' && *s <= '9') {
		char *end;
		long v;

		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || *end || v <= 0 || v >= NSIG)
			return -1;
		return v;
	}
	name = strncasecmp(s, "SIG", 3) ? s : s + 3;
	for (sig = 1; sig < NSIG; sig++)
		if (sigabbrev_np(sig) && !strcasecmp(sigabbrev_np(sig), name))
			return sig;
	return -1;
}

const char *signal_name(int sig)
{
	const char *n = sigabbrev_np(sig);

	return n ? n : "?";
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die(ENOMEM, "malloc");
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die(ENOMEM, "calloc");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die(ENOMEM, "realloc");
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die(ENOMEM, "strdup");
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		die(ENOMEM, "asprintf");
	return s;
}

void strv_push(struct strv *s, const char *str)
{
	s->v = xrealloc(s->v, (s->n + 2) * sizeof(*s->v));
	s->v[s->n++] = xstrdup(str);
	s->v[s->n] = NULL;
}

void strv_free(struct strv *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

int write_file_atomic(const char *path, const char *text)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	size_t len = strlen(text);
	int fd, err = 0;

	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		free(tmp);
		return err;
	}
	if (write(fd, text, len) != (ssize_t)len || fsync(fd))
		err = errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

int write_file_at(int dirfd, const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd, err = 0;

	fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len)
		err = errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/*
 * A raw terminal is given back however we leave; stdout is checked for
 * write errors (a full disk, a closed descriptor) as util-linux's
 * close_stdout() checks it: a lost line of output is a failure.
 */
static struct termios saved_termios;
static int saved_termios_fd = -1;

void register_terminal_restore(int fd, const void *termios)
{
	saved_termios = *(const struct termios *)termios;
	saved_termios_fd = fd;
}

void restore_terminal(void)
{
	if (saved_termios_fd >= 0) {
		tcsetattr(saved_termios_fd, TCSADRAIN, &saved_termios);
		saved_termios_fd = -1;
	}
}

/* util-linux's close_stream(): 0, or EOF with errno (0: unknown cause). */
static int close_stream(FILE *stream)
{
	int some_pending = __fpending(stream) != 0;
	int prev_fail = ferror(stream) != 0;
	int fclose_fail = fclose(stream) != 0;

	if (prev_fail || (fclose_fail && (some_pending || errno != EBADF))) {
		if (!fclose_fail && errno != EPIPE)
			errno = 0;
		return EOF;
	}
	return 0;
}

static void close_stdout(void)
{
	if (close_stream(stdout) != 0 && errno != EPIPE) {
		if (errno)
			fprintf(stderr, "%s: write error: %s\n", PROG, strerror(errno));
		else
			fprintf(stderr, "%s: write error\n", PROG);
		_exit(EXIT_TOOL);
	}
}

static void at_exit(void)
{
	restore_terminal();
	close_stdout();
}

void cli_atexit_init(void)
{
	atexit(at_exit);
}

int status_to_exit_code(int wait_status)
{
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return WEXITSTATUS(wait_status);
}

int exit_like(int wait_status)
{
	sigset_t set;
	int sig;

	if (!WIFSIGNALED(wait_status))
		exit(WEXITSTATUS(wait_status));
	sig = WTERMSIG(wait_status);
	/* What exit() would do, then the signal, default and unblocked. */
	restore_terminal();
	close_stdout();
	setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 });
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}
