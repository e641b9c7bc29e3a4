// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd audit: audit rules on the container a task is in.
 *
 * The kernel's rule field AUDIT_CONTAINER (linux/audit.h) matches the tasks
 * of a container and of the containers nested in it.  auditctl(8) does not
 * know the field, so the rule is built here with libaudit, its other fields
 * parsed by libaudit as auditctl parses them, and sent with
 * audit_add_rule_data(); `auditctl -l` lists it as "f28=ID".
 *
 * The one entry point is cmd_audit(); the rest of the command line
 * tool is not needed here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <libaudit.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <containerfd.h>

#ifndef AUDIT_CONTAINER
#define AUDIT_CONTAINER 28
#endif
#ifndef AUDIT_FEATURE_BITMAP_CONTAINER
#define AUDIT_FEATURE_BITMAP_CONTAINER 0x00000080
#endif

#define PROG "container-fd"

int cmd_audit(int argc, char **argv);

static void __attribute__((noreturn)) audit_usage(void)
{
	printf("Usage:\n"
	       " %1$s audit add [options] (<id> | --name <name> | --pid <pid> | --host)\n"
	       " %1$s audit delete [options] (<id> | --name <name> | --pid <pid> | --host)\n"
	       " %1$s audit status\n"
	       "\nAdd or delete an audit rule on the container a task is in: it matches\n"
	       "the tasks of that container and of the containers nested in it.\n"
	       "\nOptions:\n"
	       " -l, --list <filter>      exit (default), user or exclude\n"
	       " -a, --action <action>    always (default) or never\n"
	       " -x, --outside            match the tasks that are not in it\n"
	       " -S, --syscall <name>     a system call (repeatable; exit filter;\n"
	       "                          default: all)\n"
	       " -F, --field <f=v>        another field, as auditctl -F takes it\n"
	       "                          (repeatable: path=, perm=, auid=, msgtype= ...)\n"
	       " -k, --key <key>          the key records of the rule carry\n"
	       " -n, --name <name>        the container of that name\n"
	       " -p, --pid <pid>          the container of that process\n"
	       "     --host               the tasks that are in no container\n"
	       " -h, --help               display this help\n"
	       "\nContainer IDs are the host's: rules are added from the host.\n"
	       "\nFor more details see container-fd-audit(1).\n", PROG);
	exit(0);
}

static void __attribute__((noreturn, format(printf, 1, 2))) audit_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: audit: ", PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void __attribute__((noreturn)) audit_tryhelp(const char *why)
{
	fprintf(stderr, "%s: audit: %s\nTry '%s audit --help' for more information.\n",
		PROG, why, PROG);
	exit(1);
}

/* The container's ID as the host sees it: the caller's view, on the host. */
static unsigned int container_host_id(const char *id, const char *name, pid_t pid)
{
	struct container_info info;
	unsigned long long v;
	char *end;
	int cfd, err;

	if (id) {
		errno = 0;
		v = strtoull(id, &end, 10);
		if (errno || !*id || *end || !v || v > CONTAINER_ID_MAX)
			audit_tryhelp("invalid container ID");
		return v;
	}
	cfd = name ? cfd_open_name(name) : cfd_open_pid(pid);
	if (cfd == -ENOSYS)
		audit_die("this kernel has no container objects");
	if (cfd < 0)
		audit_die("%s %s: %s", name ? "container" : "container of PID",
			  name ?: "", strerror(-cfd));
	err = cfd_get_info(cfd, &info, sizeof(info));
	close(cfd);
	if (err)
		audit_die("container info: %s", strerror(-err));
	if (info.id == CONTAINER_ID_SELF)
		audit_die("that is the caller's own container: run this from the host");
	return info.id;
}

/* Does the running kernel know the field?  From its feature bitmap. */
static int kernel_has_field(int fd)
{
	struct audit_reply rep;
	int ret;

	if (audit_request_status(fd) < 0)
		return -errno;
	do {
		ret = audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0);
	} while (ret > 0 && rep.type != AUDIT_GET);
	if (ret <= 0)
		return -EIO;
	return !!(rep.status->feature_bitmap & AUDIT_FEATURE_BITMAP_CONTAINER);
}

static int audit_status(void)
{
	int fd = audit_open(), has;

	if (fd < 0)
		audit_die("cannot talk to the kernel's audit: %s", strerror(errno));
	has = kernel_has_field(fd);
	audit_close(fd);
	if (has < 0)
		audit_die("cannot read the audit status: %s", strerror(-has));
	printf("container rules: %s\n", has ? "supported" : "not supported");
	return has ? 0 : 1;
}

static const char *rule_error(int err)
{
	switch (err) {
	case EEXIST:
		return "the rule exists already";
	case ENOENT:
		return "no such rule";
	case EPERM:
		return "permission denied (CAP_AUDIT_CONTROL, on the host)";
	case EINVAL:
		return "the kernel refused the rule";
	}
	return strerror(err);
}

int cmd_audit(int argc, char **argv)
{
	enum { OPT_HOST = 256 };
	static const struct option opts[] = {
		{ "list", required_argument, NULL, 'l' },
		{ "action", required_argument, NULL, 'a' },
		{ "outside", no_argument, NULL, 'x' },
		{ "syscall", required_argument, NULL, 'S' },
		{ "field", required_argument, NULL, 'F' },
		{ "key", required_argument, NULL, 'k' },
		{ "name", required_argument, NULL, 'n' },
		{ "pid", required_argument, NULL, 'p' },
		{ "host", no_argument, NULL, OPT_HOST },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct audit_rule_data *rule;
	const char *name = NULL, *id = NULL, *verb;
	int c, fd, ret, flags = AUDIT_FILTER_EXIT, action = AUDIT_ALWAYS;
	int outside = 0, host = 0, nsyscalls = 0;
	unsigned int contid;
	pid_t pid = 0;
	char buf[AUDIT_MAX_KEY_LEN + 8];

	if (argc < 2)
		audit_tryhelp("add, delete or status?");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		audit_usage();
	verb = argv[1];
	if (!strcmp(verb, "status") && argc == 2)
		return audit_status();
	if (strcmp(verb, "add") && strcmp(verb, "delete"))
		audit_tryhelp("add, delete or status?");
	argc--;
	argv++;

	set_aumessage_mode(MSG_STDERR, DBG_NO);
	rule = audit_rule_create_data();
	if (!rule)
		audit_die("out of memory");
	/* The list first: libaudit checks each field against it. */
	for (optind = 1; (c = getopt_long(argc, argv, "+l:a:xS:F:k:n:p:h", opts, NULL)) != -1; ) {
		if (c == 'l') {
			flags = audit_name_to_flag(optarg);
			if (flags != AUDIT_FILTER_EXIT && flags != AUDIT_FILTER_USER &&
			    flags != AUDIT_FILTER_EXCLUDE)
				audit_tryhelp("the list is exit, user or exclude");
		}
	}
	for (optind = 1; (c = getopt_long(argc, argv, "+l:a:xS:F:k:n:p:h", opts, NULL)) != -1; ) {
		switch (c) {
		case 'l':
			break;
		case 'a':
			action = audit_name_to_action(optarg);
			if (action != AUDIT_ALWAYS && action != AUDIT_NEVER)
				audit_tryhelp("the action is always or never");
			break;
		case 'x':
			outside = 1;
			break;
		case 'S':
			if (flags != AUDIT_FILTER_EXIT)
				audit_tryhelp("system calls belong to the exit list");
			if (audit_rule_syscallbyname_data(rule, optarg) < 0)
				audit_die("unknown system call '%s'", optarg);
			nsyscalls++;
			break;
		case 'F':
			ret = audit_rule_fieldpair_data(&rule, optarg, flags);
			if (ret < 0) {
				audit_number_to_errmsg(ret, optarg);
				exit(1);
			}
			break;
		case 'k':
			snprintf(buf, sizeof(buf), "key=%s", optarg);
			ret = audit_rule_fieldpair_data(&rule, buf, flags);
			if (ret < 0) {
				audit_number_to_errmsg(ret, buf);
				exit(1);
			}
			break;
		case 'n':
			name = optarg;
			break;
		case 'p':
			pid = atoi(optarg);
			if (pid <= 0)
				audit_tryhelp("invalid PID");
			break;
		case OPT_HOST:
			host = 1;
			break;
		case 'h':
			audit_usage();
		default:
			exit(1);
		}
	}
	if (optind < argc)
		id = argv[optind++];
	if (optind < argc)
		audit_tryhelp("one container only");
	if (!!id + !!name + !!pid + host != 1)
		audit_tryhelp("name one container: <id>, --name, --pid or --host");
	contid = host ? 0 : container_host_id(id, name, pid);

	if (rule->field_count >= AUDIT_MAX_FIELDS)
		audit_die("too many fields");
	rule->fields[rule->field_count] = AUDIT_CONTAINER;
	rule->values[rule->field_count] = contid;
	rule->fieldflags[rule->field_count] = outside ? AUDIT_NOT_EQUAL : AUDIT_EQUAL;
	rule->field_count++;
	/* As auditctl: an exit rule with no system call named takes them all. */
	if (flags == AUDIT_FILTER_EXIT && !nsyscalls)
		audit_rule_syscallbyname_data(rule, "all");

	fd = audit_open();
	if (fd < 0)
		audit_die("cannot talk to the kernel's audit: %s", strerror(errno));
	if (kernel_has_field(fd) == 0)
		audit_die("this kernel has no container rules (AUDIT_FEATURE_BITMAP_CONTAINER)");
	if (!strcmp(verb, "add"))
		ret = audit_add_rule_data(fd, rule, flags, action);
	else
		ret = audit_delete_rule_data(fd, rule, flags, action);
	audit_close(fd);
	audit_rule_free_data(rule);
	if (ret < 0)
		audit_die("%s: %s", verb, rule_error(-ret));
	return 0;
}
