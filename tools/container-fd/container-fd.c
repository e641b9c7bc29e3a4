// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd: run, enter, list, inspect and signal kernel containers.
 * Modelled on util-linux's unshare(1), nsenter(1) and lsns(8).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ctype.h>
#include <getopt.h>
#include <libmount.h>
#include <libsmartcols/libsmartcols.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <containerfd.h>

#include "checkpoint.h"

#define PROG "container-fd"
#define VERSION "1.1.0"

static void __attribute__((noreturn)) errtryhelp(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", PROG);
	exit(1);
}

static void __attribute__((noreturn, format(printf, 2, 3))) die(int err, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
	exit(1);
}

static void __attribute__((noreturn)) usage(void)
{
	printf("Usage:\n"
	       " %1$s run [options] -- <command> [<argument>...]\n"
	       " %1$s exec (<id> | --name <name> | --pid <pid>) -- <command> [<argument>...]\n"
	       " %1$s ls [--json] [--output <columns>]\n"
	       " %1$s info <id>\n"
	       " %1$s kill [-s <signal>] <id>\n"
	       " %1$s checkpoint <id> <dir> [--leave-running]\n"
	       " %1$s restore <dir> [--id <id>] [--name <name>] [--detach]\n"
	       "\nRun programs in kernel container objects.\n"
	       "\nOptions for run:\n"
	       " -n, --name <name>        name the container\n"
	       " -N, --ns <list>|all      new namespaces: mnt,uts,ipc,user,pid,net,cgroup,time\n"
	       "                          (default: mnt,uts,ipc,pid,net)\n"
	       " -r, --rootfs <dir>       make <dir> the container's root, in an empty mount\n"
	       "                          namespace, with /proc and a minimal /dev\n"
	       " -m, --mount type=<type>,dst=<path>[,src=<path>][,<options>]\n"
	       "                          mount into the container from outside (repeatable);\n"
	       "                          type=bind binds src; options as for mount(8)\n"
	       " -H, --hostname <name>    set the hostname inside (implies uts)\n"
	       " -k, --kill-on-close      kill everything inside when %1$s exits\n"
	       " -d, --detach             leave it running and print its ID\n"
	       "\nOptions for ls:\n"
	       " -J, --json               JSON output\n"
	       " -o, --output <list>      columns: ID,PARENT,STATE,INIT,MEMBERS,FLAGS,NAME\n"
	       "\nOptions for checkpoint (CRIU dumps it into <dir>, beside a metadata file):\n"
	       "     --leave-running      keep it running after the dump\n"
	       "\nOptions for restore (CRIU restores it, with its ID, into a new container):\n"
	       "     --id <id>            the ID to take instead of the saved one\n"
	       "     --name <name>        the name to give instead of the saved one\n"
	       "     --detach             leave it running and print its ID\n"
	       "\n -h, --help               display this help\n"
	       " -V, --version            display version\n"
	       "\nExit status of run and exec: the command's; 126 if it cannot be\n"
	       "executed, 127 if not found; a signal that killed it is re-raised.\n"
	       "\nFor more details see container-fd(1).\n", PROG);
	exit(0);
}

static uint64_t parse_id(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || !*s || *end || v > CONTAINER_ID_MAX) {
		fprintf(stderr, "%s: invalid container ID '%s'\n", PROG, s);
		errtryhelp();
	}
	return v;
}

static void check_kernel(void)
{
	if (cfd_probe() == -ENOSYS)
		die(0, "this kernel has no container objects (container_create(2) is missing)");
}

/* An fd for the container named on the command line, or a clear death. */
static int open_container(const char *id, const char *name, pid_t pid)
{
	int cfd;
	const char *what;
	char buf[64];

	if (name) {
		cfd = cfd_open_name(name);
		snprintf(buf, sizeof(buf), "container '%s'", name);
	} else if (pid) {
		cfd = cfd_open_pid(pid);
		snprintf(buf, sizeof(buf), "container of PID %d", pid);
	} else {
		cfd = cfd_open_id(parse_id(id));
		snprintf(buf, sizeof(buf), "container %s", id);
	}
	what = buf;
	if (cfd >= 0)
		return cfd;
	switch (-cfd) {
	case ENOENT:
		die(0, "%s: no such container (or it is not visible from here)", what);
	case ENOTUNIQ:
		die(0, "%s: more than one container has that name; use its ID", what);
	case EPERM:
	case EACCES:
		die(0, "%s: permission denied", what);
	case ESRCH:
		die(0, "%s: it has no running init to reach it through", what);
	case ENOSYS:
		die(0, "this kernel has no container objects");
	}
	die(-cfd, "%s", what);
	return -1;
}

/* Wait for the command, then leave the way it left. */
static int wait_and_propagate(int pidfd)
{
	int status, err = cfd_wait(pidfd, &status);

	if (err)
		die(-err, "waitid");
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		struct rlimit nocore = { 0, 0 };

		/* Re-raise it, without a core dump of our own. */
		setrlimit(RLIMIT_CORE, &nocore);
		signal(sig, SIG_DFL);
		kill(getpid(), sig);
		return 128 + sig;
	}
	return WEXITSTATUS(status);
}

static void spawn_failed(int err, struct cfd_spawn_attr *attr, const char *cmd)
{
	if (attr->failed_in_setup)
		die(err, "cannot set up the container");
	fprintf(stderr, "%s: failed to execute %s: %s\n", PROG, cmd, strerror(err));
	exit(err == ENOENT ? 127 : 126);
}

static const struct { const char *name; uint64_t flag; } ns_names[] = {
	{ "mnt", CONTAINER_NEW_FS_NS }, { "uts", CONTAINER_NEW_UTS_NS },
	{ "ipc", CONTAINER_NEW_IPC_NS }, { "user", CONTAINER_NEW_USER_NS },
	{ "pid", CONTAINER_NEW_PID_NS }, { "net", CONTAINER_NEW_NET_NS },
	{ "cgroup", CONTAINER_NEW_CGROUP_NS }, { "time", CONTAINER_NEW_TIME_NS },
};

static uint64_t parse_ns_list(const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;
	uint64_t flags = 0;
	size_t i;

	if (!strcmp(list, "all"))
		return CONTAINER_NEW_ALL_NS;
	if (!strcmp(list, "none"))
		return 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++)
			if (!strcmp(tok, ns_names[i].name))
				break;
		if (i == sizeof(ns_names) / sizeof(ns_names[0])) {
			fprintf(stderr, "%s: unknown namespace '%s'\n", PROG, tok);
			errtryhelp();
		}
		flags |= ns_names[i].flag;
	}
	free(copy);
	return flags;
}

struct run_setup {
	const char *hostname;
	int detach;
};

/* In the container's init, before exec: hostname, detaching. */
static int run_setup(void *arg)
{
	struct run_setup *s = arg;

	/* Detached: no terminal, no inherited output pipe held open. */
	if (s->detach) {
		int fd = open("/dev/null", O_RDWR);

		if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			return -errno;
		if (fd > 2)
			close(fd);
		setsid();
	}
	if (s->hostname && sethostname(s->hostname, strlen(s->hostname)))
		return -errno;
	return 0;
}

/* Take the value of @key (or its alias @alt) out of the option string @opts. */
static char *take_option(char **opts, const char *key, const char *alt)
{
	char *value = NULL, *v;
	size_t n;

	if (mnt_optstr_get_option(*opts, key, &v, &n) == 0 ||
	    (alt && mnt_optstr_get_option(*opts, key = alt, &v, &n) == 0)) {
		value = strndup(v ? v : "", v ? n : 0);
		mnt_optstr_remove_option(opts, key);
	}
	return value;
}

/* --mount type=<type>,dst=<path>[,src=<path>][,<options>], from outside. */
static void mount_spec(int cfd, const char *spec)
{
	char *opts = strdup(spec), *type, *dst, *src;
	int mfd, rc;

	if (!opts)
		die(ENOMEM, "--mount");
	type = take_option(&opts, "type", NULL);
	dst = take_option(&opts, "dst", "destination");
	src = take_option(&opts, "src", "source");
	if (!type || !*type || !dst || !*dst)
		die(0, "--mount '%s': needs type=<type> and dst=<path>", spec);
	if (!strcmp(type, "bind")) {
		if (!src || !*src)
			die(0, "--mount '%s': type=bind needs src=<path>", spec);
		rc = cfd_bind(cfd, src, dst, *opts ? opts : NULL);
		if (rc < 0)
			die(-rc, "--mount '%s': cannot bind %s to %s", spec, src, dst);
	} else {
		if (src)
			die(0, "--mount '%s': src= is only for type=bind", spec);
		mfd = cfd_fs_mount(cfd, type, *opts ? opts : NULL);
		if (mfd < 0)
			die(-mfd, "--mount '%s': cannot make a %s filesystem", spec, type);
		rc = cfd_mount_at(cfd, mfd, dst);
		if (rc < 0)
			die(-rc, "--mount '%s': cannot mount it on %s", spec, dst);
		close(mfd);
	}
	free(type);
	free(dst);
	free(src);
	free(opts);
}

/* A minimal /dev: a tmpfs with the usual character devices. */
static void mount_dev(int cfd)
{
	static const struct { const char *name; int major, minor; } nodes[] = {
		{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
		{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
	};
	char path[32];
	size_t i;
	int rc;

	mount_spec(cfd, "type=tmpfs,dst=/dev,mode=0755,nosuid,noexec,size=64k");
	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		snprintf(path, sizeof(path), "/dev/%s", nodes[i].name);
		if (!mknodat(cfd, path, S_IFCHR | 0666,
			     makedev(nodes[i].major, nodes[i].minor)))
			continue;
		/* Without CAP_MKNOD over the host (a user namespace): bind. */
		rc = cfd_bind(cfd, path, path, NULL);
		if (rc < 0)
			die(-rc, "cannot make %s in the container", path);
	}
}

/* --rootfs: the container's root, given from outside, with /proc and /dev. */
static void mount_rootfs(int cfd, const char *rootfs, int new_pid_ns)
{
	int rc = cfd_set_root_dir(cfd, rootfs);

	if (rc < 0)
		die(-rc, "cannot make '%s' the container's root", rootfs);
	if (new_pid_ns)
		mount_spec(cfd, "type=proc,dst=/proc,nosuid,nodev,noexec");
	mount_dev(cfd);
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "ns", required_argument, NULL, 'N' },
		{ "rootfs", required_argument, NULL, 'r' },
		{ "mount", required_argument, NULL, 'm' },
		{ "hostname", required_argument, NULL, 'H' },
		{ "kill-on-close", no_argument, NULL, 'k' },
		{ "detach", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cfd_options o = {
		.flags = CONTAINER_NEW_FS_NS | CONTAINER_NEW_UTS_NS |
			 CONTAINER_NEW_IPC_NS | CONTAINER_NEW_PID_NS |
			 CONTAINER_NEW_NET_NS,
	};
	struct run_setup setup = {};
	struct cfd_spawn_attr attr = { .setup = run_setup, .setup_arg = &setup };
	struct container_info info;
	const char **mounts = NULL, *rootfs = NULL;
	int c, cfd, pidfd, detach = 0, nr_mounts = 0, i;
	struct stat st;

	while ((c = getopt_long(argc, argv, "+n:N:r:m:H:kdh", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			o.name = optarg;
			break;
		case 'N':
			o.flags = parse_ns_list(optarg) |
				  (o.flags & CONTAINER_KILL_ON_CLOSE);
			break;
		case 'r':
			rootfs = optarg;
			break;
		case 'm':
			mounts = reallocarray(mounts, nr_mounts + 1, sizeof(*mounts));
			if (!mounts)
				die(ENOMEM, "--mount");
			mounts[nr_mounts++] = optarg;
			break;
		case 'H':
			setup.hostname = optarg;
			break;
		case 'k':
			o.flags |= CONTAINER_KILL_ON_CLOSE;
			break;
		case 'd':
			detach = 1;
			break;
		case 'h':
			usage();
		default:
			errtryhelp();
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "%s: run: no command given\n", PROG);
		errtryhelp();
	}
	if (rootfs) {
		if (stat(rootfs, &st) || !S_ISDIR(st.st_mode))
			die(errno ? errno : ENOTDIR, "rootfs '%s'", rootfs);
		/* An empty mount namespace: the root comes from outside. */
		o.flags &= ~CONTAINER_NEW_FS_NS;
		o.flags |= CONTAINER_NEW_EMPTY_FS_NS;
	} else if (nr_mounts) {
		/* Mounts go into its own copy, never into ours. */
		o.flags |= CONTAINER_NEW_FS_NS;
	}
	if (setup.hostname)
		o.flags |= CONTAINER_NEW_UTS_NS;
	if (detach && (o.flags & CONTAINER_KILL_ON_CLOSE))
		die(0, "--detach and --kill-on-close exclude each other");
	setup.detach = detach;

	check_kernel();
	cfd = cfd_create(&o);
	if (cfd < 0) {
		if (cfd == -EINVAL && o.name)
			die(0, "invalid container name '%s' (1-63 of A-Z a-z 0-9 _ . -)", o.name);
		die(-cfd, "cannot create container%s%s", o.name ? " " : "",
		    o.name ? o.name : "");
	}
	if (rootfs)
		mount_rootfs(cfd, rootfs, !!(o.flags & CONTAINER_NEW_PID_NS));
	for (i = 0; i < nr_mounts; i++)
		mount_spec(cfd, mounts[i]);
	free(mounts);
	pidfd = cfd_spawn(cfd, argv[optind], argv + optind, NULL, &attr, NULL);
	if (pidfd < 0)
		spawn_failed(-pidfd, &attr, argv[optind]);
	if (detach) {
		if (cfd_get_info(cfd, &info) == 0)
			printf("%llu\n", (unsigned long long)info.id);
		return 0;
	}
	return wait_and_propagate(pidfd);
}

static int cmd_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "pid", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cfd_spawn_attr attr = {};
	const char *name = NULL, *id = NULL;
	pid_t pid = 0;
	int c, cfd, pidfd;

	while ((c = getopt_long(argc, argv, "+n:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'p':
			pid = atoi(optarg);
			if (pid <= 0) {
				fprintf(stderr, "%s: invalid PID '%s'\n", PROG, optarg);
				errtryhelp();
			}
			break;
		case 'h':
			usage();
		default:
			errtryhelp();
		}
	}
	if (!name && !pid) {
		if (optind >= argc || !strcmp(argv[optind - 1], "--")) {
			fprintf(stderr, "%s: exec: no container given\n", PROG);
			errtryhelp();
		}
		id = argv[optind++];
		if (optind < argc && !strcmp(argv[optind], "--"))
			optind++;
	}
	if (optind >= argc) {
		fprintf(stderr, "%s: exec: no command given\n", PROG);
		errtryhelp();
	}
	check_kernel();
	cfd = open_container(id, name, pid);
	pidfd = cfd_spawn(cfd, argv[optind], argv + optind, NULL, &attr, NULL);
	if (pidfd == -ESRCH)
		die(0, "the container is dead");
	if (pidfd == -EPERM)
		die(0, "permission denied to enter the container");
	if (pidfd < 0)
		spawn_failed(-pidfd, &attr, argv[optind]);
	close(cfd);
	return wait_and_propagate(pidfd);
}

enum { COL_ID, COL_PARENT, COL_STATE, COL_INIT, COL_MEMBERS, COL_FLAGS, COL_NAME };
static const struct { const char *name; double whint; int flags; } columns[] = {
	[COL_ID]	= { "ID", 5, SCOLS_FL_RIGHT },
	[COL_PARENT]	= { "PARENT", 5, SCOLS_FL_RIGHT },
	[COL_STATE]	= { "STATE", 7, 0 },
	[COL_INIT]	= { "INIT", 5, SCOLS_FL_RIGHT },
	[COL_MEMBERS]	= { "MEMBERS", 5, SCOLS_FL_RIGHT },
	[COL_FLAGS]	= { "FLAGS", 5, 0 },
	[COL_NAME]	= { "NAME", 10, 0 },
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

static void flags_string(uint64_t flags, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++)
		if (flags & ns_names[i].flag)
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "," : "", ns_names[i].name);
	/* An empty mount namespace is what --rootfs makes; not a --ns name. */
	if (flags & CONTAINER_NEW_EMPTY_FS_NS)
		used += snprintf(buf + used, len - used, "%smnt(empty)",
				 used ? "," : "");
	if (flags & CONTAINER_KILL_ON_CLOSE)
		used += snprintf(buf + used, len - used, "%skill-on-close",
				 used ? "," : "");
	if (!used)
		snprintf(buf, len, "-");
}

static void column_data(const struct cfd_entry *e, int col, char *buf, size_t len)
{
	switch (col) {
	case COL_ID:
		snprintf(buf, len, "%llu", (unsigned long long)e->id);
		break;
	case COL_PARENT:
		if (e->parent_id == CONTAINER_ID_NONE)
			snprintf(buf, len, "-");
		else
			snprintf(buf, len, "%llu", (unsigned long long)e->parent_id);
		break;
	case COL_STATE:
		snprintf(buf, len, "%s", cfd_state_name(e->state));
		break;
	case COL_INIT:
		snprintf(buf, len, "%d", e->init_pid);
		break;
	case COL_MEMBERS:
		snprintf(buf, len, "%u", e->nr_members);
		break;
	case COL_FLAGS:
		flags_string(e->flags, buf, len);
		break;
	case COL_NAME:
		snprintf(buf, len, "%s", e->name);
		break;
	}
}

static int parse_columns(const char *list, int *cols)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int n = 0;
	size_t i;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NCOLUMNS; i++)
			if (!strcasecmp(tok, columns[i].name))
				break;
		if (i == NCOLUMNS || n == (int)NCOLUMNS) {
			fprintf(stderr, "%s: unknown column '%s'\n", PROG, tok);
			errtryhelp();
		}
		cols[n++] = i;
	}
	free(copy);
	return n;
}

static int cmd_ls(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int cols[NCOLUMNS], ncols = NCOLUMNS, json = 0, c, i, err;
	struct libscols_table *tb;
	struct cfd_entry *v;
	size_t n, k;
	char buf[128];

	for (i = 0; i < (int)NCOLUMNS; i++)
		cols[i] = i;
	while ((c = getopt_long(argc, argv, "Jo:h", opts, NULL)) != -1) {
		switch (c) {
		case 'J':
			json = 1;
			break;
		case 'o':
			ncols = parse_columns(optarg, cols);
			break;
		case 'h':
			usage();
		default:
			errtryhelp();
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: ls: unexpected argument '%s'\n", PROG, argv[optind]);
		errtryhelp();
	}
	check_kernel();
	err = cfd_list(&v, &n);
	if (err)
		die(-err, "cannot read /proc/containers");

	tb = scols_new_table();
	if (!tb)
		die(ENOMEM, "libsmartcols");
	scols_table_enable_json(tb, json);
	scols_table_set_name(tb, "containers");
	for (i = 0; i < ncols; i++) {
		struct libscols_column *cl = scols_table_new_column(tb,
				columns[cols[i]].name, columns[cols[i]].whint,
				columns[cols[i]].flags);

		if (json && (cols[i] == COL_ID || cols[i] == COL_INIT ||
			     cols[i] == COL_MEMBERS))
			scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
	}
	for (k = 0; k < n; k++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		for (i = 0; i < ncols; i++) {
			column_data(&v[k], cols[i], buf, sizeof(buf));
			scols_line_set_data(ln, i, buf);
		}
	}
	scols_print_table(tb);
	scols_unref_table(tb);
	cfd_list_free(v);
	return 0;
}

static int cmd_info(int argc, char **argv)
{
	struct container_info info;
	char flags[128];
	int cfd, err;

	if (argc != 2) {
		fprintf(stderr, "%s: info: expected one container ID\n", PROG);
		errtryhelp();
	}
	check_kernel();
	cfd = open_container(argv[1], NULL, 0);
	err = cfd_get_info(cfd, &info);
	if (err)
		die(-err, "container %s", argv[1]);
	flags_string(info.flags, flags, sizeof(flags));
	printf("ID:          %llu\n", (unsigned long long)info.id);
	if (info.parent_id == CONTAINER_ID_NONE)
		printf("Parent:      -\n");
	else
		printf("Parent:      %llu\n", (unsigned long long)info.parent_id);
	printf("Name:        %s\n", info.name[0] ? info.name : "-");
	printf("State:       %s\n", cfd_state_name(info.state));
	printf("Init PID:    %d\n", info.init_pid);
	printf("Members:     %u\n", info.nr_members);
	printf("Namespaces:  %s\n", flags);
	printf("Level:       %u\n", info.level);
	if (info.state == CONTAINER_STATE_DEAD)
		printf("Exit status: %d\n", info.exit_status);
	printf("mnt:[%llu] uts:[%llu] ipc:[%llu] user:[%llu] pid:[%llu] net:[%llu] cgroup:[%llu] time:[%llu]\n",
	       (unsigned long long)info.mnt_ns_ino, (unsigned long long)info.uts_ns_ino,
	       (unsigned long long)info.ipc_ns_ino, (unsigned long long)info.user_ns_ino,
	       (unsigned long long)info.pid_ns_ino, (unsigned long long)info.net_ns_ino,
	       (unsigned long long)info.cgroup_ns_ino, (unsigned long long)info.time_ns_ino);
	close(cfd);
	return 0;
}

static int cmd_kill(int argc, char **argv)
{
	int c, sig = SIGTERM, cfd, err;

	while ((c = getopt(argc, argv, "+s:h")) != -1) {
		switch (c) {
		case 's':
			sig = isdigit((unsigned char)optarg[0]) ? atoi(optarg) : 0;
			if (!sig) {
				const char *name = strncasecmp(optarg, "SIG", 3) ?
						   optarg : optarg + 3;

				for (sig = 1; sig < NSIG; sig++)
					if (sigabbrev_np(sig) &&
					    !strcasecmp(sigabbrev_np(sig), name))
						break;
			}
			if (sig <= 0 || sig >= NSIG) {
				fprintf(stderr, "%s: unknown signal '%s'\n", PROG, optarg);
				errtryhelp();
			}
			break;
		case 'h':
			usage();
		default:
			errtryhelp();
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s: kill: expected one container ID\n", PROG);
		errtryhelp();
	}
	check_kernel();
	cfd = open_container(argv[optind], NULL, 0);
	err = cfd_kill(cfd, sig);
	if (err == -ESRCH)
		die(0, "container %s: no process to signal", argv[optind]);
	if (err == -EPERM)
		die(0, "container %s: permission denied", argv[optind]);
	if (err)
		die(-err, "container %s", argv[optind]);
	close(cfd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "run", cmd_run }, { "exec", cmd_exec }, { "ls", cmd_ls },
		{ "info", cmd_info }, { "kill", cmd_kill },
		{ "checkpoint", cmd_checkpoint }, { "restore", cmd_restore },
	};
	size_t i;

	if (argc < 2)
		errtryhelp();
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		usage();
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("%s %s\n", PROG, VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s'\n", PROG, argv[1]);
	errtryhelp();
	return 1;
}
