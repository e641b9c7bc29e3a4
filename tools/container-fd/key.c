// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd key: a container's keyring, and the request_key() upcalls
 * made inside it, served from outside.
 *
 *   container-fd key keyring <container>
 *   container-fd key link <container> <key>...
 *   container-fd key unlink <container> <key>...
 *   container-fd key list [--json] <container>
 *   container-fd key intercept [--type T] [--timeout S] (--queue K | --host | --remove) <container>
 *   container-fd key upcall [options] <container> [-- <program> [<argument>...]]
 *
 * <container> is an ID, or --name N / --pid P before it.  <key> is a
 * serial, @t @p @s @u @us (as keyctl(1) has them) or %<type>:<description>
 * looked up in the caller's keyrings.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <keyutils.h>
#include <libsmartcols/libsmartcols.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <containerfd.h>

#include "key.h"

#define PROG "container-fd"

static void __attribute__((noreturn)) key_usage(FILE *out, int status)
{
	fprintf(out, "Usage:\n"
		" %1$s key keyring <container>\n"
		" %1$s key link <container> <key>...\n"
		" %1$s key unlink <container> <key>...\n"
		" %1$s key list [--json] <container>\n"
		" %1$s key intercept [--type <type>] [--timeout <s>]\n"
		"       (--queue <keyring> | --host | --remove) <container>\n"
		" %1$s key upcall [--type <type>] [--timeout <s>] [--poll] [--count <n>]\n"
		"       <container> [-- <program> [<argument>...]]\n"
		"\nThe keyring of a kernel container, and the request_key() upcalls\n"
		"made inside it, served from outside.\n"
		"\n<container> is an ID, or --name <name> or --pid <pid> given before it.\n"
		"<key> is a serial, @t, @p, @s, @u, @us, or %%<type>:<description>.\n"
		"\nOptions:\n"
		" -n, --name <name>      the container with this name\n"
		" -p, --pid <pid>        the container of this process\n"
		" -t, --type <type>      intercept this key type only (default: every type)\n"
		" -T, --timeout <s>      negate a request unanswered after <s> seconds\n"
		" -q, --queue <keyring>  intercept: link requests into this keyring\n"
		" -H, --host             intercept: let the host's /sbin/request-key serve them\n"
		" -r, --remove           intercept: stop intercepting, negating what waits\n"
		" -P, --poll             upcall: poll the container fd, not key notifications\n"
		" -c, --count <n>        upcall: exit after <n> requests\n"
		" -J, --json             list: JSON output\n"
		" -h, --help             display this help\n"
		"\nupcall runs /sbin/request-key for each request, or <program> with the\n"
		"request's authority assumed, the macros %%k %%t %%d %%c %%u %%g %%p %%i %%T %%P %%S\n"
		"of its arguments expanded, and the same in KEY_* environment variables.\n"
		"\nFor more details see container-fd(1).\n", PROG);
	exit(status);
}

static void __attribute__((noreturn, format(printf, 2, 3))) key_die(int err, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: key: ", PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
	exit(1);
}

static void __attribute__((noreturn)) key_tryhelp(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: key: ", PROG);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s key --help' for more information.\n", PROG);
	exit(1);
}

static long parse_number(const char *s, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || !*s || *end || v < 0 || v > max)
		key_tryhelp(what, s);
	return v;
}

int32_t key_parse(const char *spec)
{
	static const struct { const char *name; int32_t id; } specials[] = {
		{ "@t", KEY_SPEC_THREAD_KEYRING }, { "@p", KEY_SPEC_PROCESS_KEYRING },
		{ "@s", KEY_SPEC_SESSION_KEYRING }, { "@u", KEY_SPEC_USER_KEYRING },
		{ "@us", KEY_SPEC_USER_SESSION_KEYRING },
		{ "@c", KEY_SPEC_CONTAINER_KEYRING },
	};
	char *type, *desc;
	int32_t id;
	size_t i;

	for (i = 0; i < sizeof(specials) / sizeof(specials[0]); i++)
		if (!strcmp(spec, specials[i].name))
			return specials[i].id;
	if (spec[0] == '%') {
		type = strdup(spec + 1);
		if (!type)
			key_die(ENOMEM, "%s", spec);
		desc = strchr(type, ':');
		if (!desc || desc == type || !desc[1])
			key_tryhelp("invalid key '%s' (%%<type>:<description>)", spec);
		*desc++ = '\0';
		id = find_key_by_type_and_desc(type, desc, 0);
		if (id < 0)
			key_die(errno, "key '%s'", spec);
		free(type);
		return id;
	}
	return parse_number(spec, INT32_MAX, "invalid key '%s'");
}

void key_grant(int cfd, const char *spec)
{
	int32_t key = key_parse(spec);
	int err = cfd_key_link(cfd, key);

	if (err == -EOPNOTSUPP)
		key_die(0, "this kernel has no container keyrings");
	if (err == -EACCES)
		key_die(0, "key '%s': no permission to link it", spec);
	if (err)
		key_die(-err, "cannot grant key '%s'", spec);
}

/* The container named on the command line, from optind on. */
static int key_open(int argc, char **argv, const char *name, pid_t pid)
{
	const char *what = name;
	char buf[32];
	int cfd;

	if (name) {
		cfd = cfd_open_name(name);
	} else if (pid) {
		cfd = cfd_open_pid(pid);
		snprintf(buf, sizeof(buf), "of PID %d", (int)pid);
		what = buf;
	} else {
		if (optind >= argc)
			key_tryhelp("%s", "no container given");
		what = argv[optind++];
		cfd = cfd_open_id(parse_number(what, CONTAINER_ID_MAX,
					       "invalid container ID '%s'"));
	}
	if (cfd == -ENOENT)
		key_die(0, "container %s: no such container (or it is not visible from here)", what);
	if (cfd == -EPERM || cfd == -EACCES)
		key_die(0, "container %s: permission denied", what);
	if (cfd < 0)
		key_die(-cfd, "container %s", what);
	return cfd;
}

/* What a failed KEYCTL_CONTAINER_* says in words. */
static void __attribute__((noreturn)) key_failed(int err, const char *what)
{
	switch (err) {
	case EOPNOTSUPP:
		key_die(0, "this kernel has no container keyrings");
	case EPERM:
		key_die(0, "%s: permission denied (only a manager outside the container may)", what);
	case ESRCH:
		key_die(0, "%s: the container is dead", what);
	}
	key_die(err, "%s", what);
}

static int key_keyring(int cfd)
{
	int32_t keyring = cfd_key_keyring(cfd);

	if (keyring < 0)
		key_failed(-keyring, "keyring");
	printf("%d\n", keyring);
	return 0;
}

static int key_link_all(int cfd, int argc, char **argv, int link)
{
	int err;

	if (optind >= argc)
		key_tryhelp("%s", "no key given");
	for (; optind < argc; optind++) {
		if (link) {
			key_grant(cfd, argv[optind]);
			continue;
		}
		err = cfd_key_unlink(cfd, key_parse(argv[optind]));
		if (err == -ENOENT)
			key_die(0, "key '%s' is not in the container's keyring", argv[optind]);
		if (err)
			key_failed(-err, argv[optind]);
	}
	return 0;
}

int key_describe(int32_t key, char **buf, char *f[5])
{
	char *p;
	int i;

	if (keyctl_describe_alloc(key, buf) < 0)
		return -errno;
	for (p = *buf, i = 0; i < 4; i++) {
		f[i] = p;
		p = strchr(p, ';');
		if (!p) {
			free(*buf);
			return -EINVAL;
		}
		*p++ = '\0';
	}
	f[4] = p;
	return 0;
}

static void key_list_line(struct libscols_table *tb, int32_t key)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	char *desc, *f[5], id[16];
	int i;

	if (!ln)
		key_die(ENOMEM, "list");
	snprintf(id, sizeof(id), "%d", key);
	scols_line_set_data(ln, 0, id);
	if (key_describe(key, &desc, f)) {
		/* Gone since the keyring was read, or not ours to see. */
		scols_line_set_data(ln, 1, "?");
		return;
	}
	for (i = 0; i < 5; i++)
		scols_line_set_data(ln, i + 1, f[i]);
	free(desc);
}

static int key_list(int cfd, int json)
{
	static const char *const cols[] = { "KEY", "TYPE", "UID", "GID", "PERM", "DESCRIPTION" };
	struct libscols_table *tb;
	int32_t keyring = cfd_key_keyring(cfd), *keys;
	void *buf;
	int n, i;

	if (keyring < 0)
		key_failed(-keyring, "list");
	n = keyctl_read_alloc(keyring, &buf);
	if (n < 0)
		key_die(errno, "cannot read keyring %d", keyring);
	tb = scols_new_table();
	if (!tb)
		key_die(ENOMEM, "list");
	scols_table_enable_json(tb, json);
	scols_table_set_name(tb, "keys");
	for (i = 0; i < 6; i++)
		if (!scols_table_new_column(tb, cols[i], i == 5 ? 20 : 5,
					    i == 0 || i == 2 || i == 3 ? SCOLS_FL_RIGHT : 0))
			key_die(ENOMEM, "list");
	keys = buf;
	for (i = 0; i < n / (int)sizeof(int32_t); i++)
		key_list_line(tb, keys[i]);
	scols_print_table(tb);
	scols_unref_table(tb);
	free(buf);
	return 0;
}

/* Expand request-key.conf's macros in @arg. */
static char *key_expand(const char *arg, const struct cfd_key_request *req)
{
	char *out = NULL, num[24];
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	const char *s;

	if (!f)
		key_die(ENOMEM, "upcall");
	for (; *arg; arg++) {
		if (*arg != '%' || !arg[1]) {
			fputc(*arg, f);
			continue;
		}
		s = num;
		switch (*++arg) {
		case 'k': snprintf(num, sizeof(num), "%d", req->key); break;
		case 't': s = req->type; break;
		case 'd': s = req->description; break;
		case 'c': s = req->callout; break;
		case 'u': snprintf(num, sizeof(num), "%u", (unsigned int)req->uid); break;
		case 'g': snprintf(num, sizeof(num), "%u", (unsigned int)req->gid); break;
		case 'p': snprintf(num, sizeof(num), "%d", (int)req->pid); break;
		case 'i': snprintf(num, sizeof(num), "%llu", (unsigned long long)req->container_id); break;
		case 'T': snprintf(num, sizeof(num), "%d", req->thread_keyring); break;
		case 'P': snprintf(num, sizeof(num), "%d", req->process_keyring); break;
		case 'S': snprintf(num, sizeof(num), "%d", req->session_keyring); break;
		case '%': s = "%"; break;
		default:
			fputc('%', f);
			num[0] = *arg;
			num[1] = '\0';
		}
		fputs(s, f);
	}
	if (fclose(f))
		key_die(ENOMEM, "upcall");
	return out;
}

static void key_setenv(const char *name, const char *macro,
		       const struct cfd_key_request *req)
{
	char *v = key_expand(macro, req);

	setenv(name, v, 1);
	free(v);
}

/* Run the handler for @req and wait for it; negate what it left undone. */
static int key_serve(const struct cfd_key_request *req, char **prog)
{
	static const char *const env[][2] = {
		{ "KEY_ID", "%k" }, { "KEY_TYPE", "%t" }, { "KEY_DESCRIPTION", "%d" },
		{ "KEY_CALLOUT", "%c" }, { "KEY_UID", "%u" }, { "KEY_GID", "%g" },
		{ "KEY_PID", "%p" }, { "KEY_CONTAINER_ID", "%i" },
		{ "KEY_THREAD_KEYRING", "%T" }, { "KEY_PROCESS_KEYRING", "%P" },
		{ "KEY_SESSION_KEYRING", "%S" },
	};
	static char *const request_key[] = {
		"/sbin/request-key", "create", "%k", "%u", "%g", "%T", "%P", "%S", NULL
	};
	char **args = prog ? prog : (char **)request_key, **argv;
	struct cfd_key_request again;
	int i, n, status;
	pid_t pid;

	for (n = 0; args[n]; n++)
		;
	argv = calloc(n + 1, sizeof(*argv));
	if (!argv)
		key_die(ENOMEM, "upcall");
	for (i = 0; i < n; i++)
		argv[i] = key_expand(args[i], req);
	for (i = 0; i < (int)(sizeof(env) / sizeof(env[0])); i++)
		key_setenv(env[i][0], env[i][1], req);

	pid = cfd_key_request_exec(req, argv[0], argv, NULL);
	for (i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
	if (pid < 0) {
		fprintf(stderr, "%s: key: upcall: cannot run %s: %s\n", PROG,
			args[0], strerror(-pid));
		status = -1;
	} else {
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				key_die(errno, "waitpid");
	}
	/* Still waiting: negate it now, as the kernel does after request-key. */
	if (cfd_key_query(req->authkey, &again) == 0) {
		cfd_key_request_free(&again);
		if (keyctl_assume_authority(req->key) > 0) {
			keyctl_negate(req->key, 60, 0);
			keyctl_assume_authority(0);
		}
		return 1;
	}
	return 0;
}

static volatile sig_atomic_t key_stop;

static void key_on_signal(int sig)
{
	(void)sig;
	key_stop = 1;
}

static int key_upcall(int cfd, const char *type, unsigned int timeout,
		      int use_poll, long count, char **prog)
{
	struct sigaction sa = { .sa_handler = key_on_signal };
	struct cfd_key_request req;
	int32_t queue, authkey;
	int wfd = -1, err, left;

	/*
	 * A session keyring of our own holds the queue: what is linked into it
	 * is ours and our handlers' to possess, and no member's.
	 */
	if (keyctl_join_session_keyring(NULL) < 0)
		key_die(errno, "upcall: cannot start a session keyring");
	queue = add_key("keyring", "container-fd.upcall", NULL, 0,
			KEY_SPEC_SESSION_KEYRING);
	if (queue < 0)
		key_die(errno, "upcall: cannot make the queue keyring");
	if (!use_poll) {
		wfd = cfd_key_watch(queue);
		if (wfd == -ENOSYS || wfd == -EOPNOTSUPP || wfd == -EINVAL) {
			fprintf(stderr, "%s: key: upcall: no key notifications; polling\n", PROG);
			use_poll = 1;
		} else if (wfd < 0) {
			key_die(-wfd, "upcall: cannot watch the queue");
		}
	}
	err = cfd_key_intercept(cfd, type, queue, timeout, 0);
	if (err)
		key_failed(-err, "upcall");
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "%s: key: upcall: serving %s requests (queue %d)\n",
		PROG, type ? type : "all", queue);
	fflush(stderr);

	while (!key_stop && count != 0) {
		if (use_poll) {
			err = cfd_key_next_request(cfd, queue, -1, &req);
		} else {
			struct pollfd pfd[2] = {
				{ .fd = wfd, .events = POLLIN },
				{ .fd = cfd, .events = POLLIN },
			};

			if (poll(pfd, 2, -1) < 0) {
				err = -errno;
			} else if (pfd[1].revents & POLLHUP) {
				err = -ESRCH;
			} else {
				authkey = cfd_key_watch_read(wfd, queue);
				/* Notifications were lost: look in the queue itself. */
				if (authkey == -ENOBUFS)
					err = cfd_key_next_request(cfd, queue, 0, &req);
				else if (authkey < 0)
					err = authkey;
				else
					err = cfd_key_query(authkey, &req);
				if (err == -ETIMEDOUT)
					continue;
				/* Answered already, or queried by someone else. */
				if (err == -ENOKEY ||
				    (!err && (req.flags & KEYCTL_CONTAINER_REQUEST_CLAIMED))) {
					if (!err)
						cfd_key_request_free(&req);
					continue;
				}
			}
		}
		if (err == -EINTR)
			continue;
		if (err == -ESRCH)
			break;
		if (err)
			key_die(-err, "upcall");
		fprintf(stderr, "%s: key: upcall: %s '%s' from container %llu, pid %d, uid %u\n",
			PROG, req.type, req.description,
			(unsigned long long)req.container_id, (int)req.pid,
			(unsigned int)req.uid);
		left = key_serve(&req, prog);
		if (left)
			fprintf(stderr, "%s: key: upcall: key %d left unanswered: negated\n",
				PROG, req.key);
		fflush(stderr);
		cfd_key_request_free(&req);
		if (count > 0)
			count--;
	}
	/* Stop intercepting; a dead container has nothing left to stop. */
	err = cfd_key_intercept(cfd, type, 0, 0, 0);
	if (err && err != -ESRCH && err != -ENOENT)
		key_die(-err, "upcall: cannot stop intercepting");
	return 0;
}

int cmd_key(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "pid", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "queue", required_argument, NULL, 'q' },
		{ "host", no_argument, NULL, 'H' },
		{ "remove", no_argument, NULL, 'r' },
		{ "poll", no_argument, NULL, 'P' },
		{ "count", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sub, *name = NULL, *type = NULL;
	int c, cfd, host = 0, remove = 0, use_poll = 0, json = 0, err;
	unsigned int timeout = 0;
	int32_t queue = 0;
	long count = -1;
	pid_t pid = 0;

	if (argc < 2)
		key_tryhelp("%s", "no subcommand given");
	sub = argv[1];
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help"))
		key_usage(stdout, 0);
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "+n:p:t:T:q:HrPc:Jh", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'p':
			pid = parse_number(optarg, INT32_MAX, "invalid PID '%s'");
			break;
		case 't':
			type = optarg;
			break;
		case 'T':
			timeout = parse_number(optarg, KEYCTL_CONTAINER_TIMEOUT_MAX,
					       "invalid timeout '%s' (seconds, at most 3600)");
			break;
		case 'q':
			queue = key_parse(optarg);
			break;
		case 'H':
			host = 1;
			break;
		case 'r':
			remove = 1;
			break;
		case 'P':
			use_poll = 1;
			break;
		case 'c':
			count = parse_number(optarg, INT32_MAX, "invalid count '%s'");
			break;
		case 'J':
			json = 1;
			break;
		case 'h':
			key_usage(stdout, 0);
		default:
			fprintf(stderr, "Try '%s key --help' for more information.\n", PROG);
			exit(1);
		}
	}

	if (strcmp(sub, "keyring") && strcmp(sub, "link") && strcmp(sub, "unlink") &&
	    strcmp(sub, "list") && strcmp(sub, "intercept") && strcmp(sub, "upcall"))
		key_tryhelp("unknown subcommand '%s'", sub);
	cfd = key_open(argc, argv, name, pid);
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;

	if (!strcmp(sub, "keyring"))
		return key_keyring(cfd);
	if (!strcmp(sub, "link") || !strcmp(sub, "unlink"))
		return key_link_all(cfd, argc, argv, !strcmp(sub, "link"));
	if (!strcmp(sub, "list"))
		return key_list(cfd, json);
	if (!strcmp(sub, "intercept")) {
		if (host + remove + !!queue != 1)
			key_tryhelp("%s", "intercept: give one of --queue, --host, --remove");
		err = cfd_key_intercept(cfd, type, queue, timeout,
					host ? KEYCTL_CONTAINER_INTERCEPT_HOST : 0);
		if (err == -ENOENT)
			key_die(0, "intercept: no interception of %s to remove",
				type ? type : "every type");
		if (err == -ENODEV)
			key_die(0, "intercept: no key type '%s'", type);
		if (err)
			key_failed(-err, "intercept");
		return 0;
	}
	return key_upcall(cfd, type, timeout, use_poll, count,
			  optind < argc ? argv + optind : NULL);
}
