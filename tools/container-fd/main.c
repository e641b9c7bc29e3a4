// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd: run, enter, list, inspect and signal kernel containers,
 * for people (util-linux style) and for container engines (as an OCI
 * runtime, the way runc and crun are driven).  Global options, then one
 * command of the table in commands.def.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
#define CFD_COMMAND(name, summary) { #name, cmd_##name, summary },
#include "commands.def"
#undef CFD_COMMAND
};
#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void __attribute__((noreturn)) usage(void)
{
	size_t i;

	printf("Usage:\n %s [global options] <command> [options] [arguments]\n"
	       "\nRun programs in kernel container objects.\n"
	       "\nCommands:\n", PROG);
	for (i = 0; i < NR_COMMANDS; i++)
		printf(" %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\nGlobal options (those of OCI runtimes, for container engines):\n"
	       " --root <dir>         state directory of OCI containers (default %s)\n"
	       " --log <file>         also write errors to <file>\n"
	       " --log-format <fmt>   text or json\n"
	       " --debug              say what is done\n"
	       " --cgroup-manager <m> cgroupfs or disabled (as crun takes it)\n"
	       " -h, --help           display this help\n"
	       " -v, -V, --version    display version\n"
	       "\nEach command has --help.  Exit status: 125 when %s itself fails,\n"
	       "126 when the command cannot be executed, 127 when it is not found;\n"
	       "otherwise the command's own.\n"
	       "\nFor more details see container-fd(1).\n", CFD_DEFAULT_ROOT, PROG);
	exit(0);
}

static void __attribute__((noreturn)) version(void)
{
	printf("%s version %s\n", PROG, CFD_VERSION_STRING);
	printf("libcontainerfd: %s\n", cfd_version());
	printf("spec: 1.0.2\n");
	printf("+SECCOMP +JSON\n");
	exit(0);
}

int main(int argc, char **argv)
{
	enum { OPT_ROOT = 256, OPT_LOG, OPT_LOG_FORMAT, OPT_DEBUG, OPT_SYSTEMD_CGROUP,
	       OPT_CGROUP_MANAGER };
	static const struct option opts[] = {
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ "systemd-cgroup", no_argument, NULL, OPT_SYSTEMD_CGROUP },
		{ "cgroup-manager", required_argument, NULL, OPT_CGROUP_MANAGER },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int c;

	cli_atexit_init();
	G.root = CFD_DEFAULT_ROOT;
	/* Global options stop at the command: "+" keeps getopt in order. */
	while ((c = getopt_long(argc, argv, "+hvV", opts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT:
			G.root = optarg;
			break;
		case OPT_LOG:
			G.log = optarg;
			break;
		case OPT_LOG_FORMAT:
			if (!strcmp(optarg, "json"))
				G.log_json = true;
			else if (strcmp(optarg, "text"))
				usage_error("--log-format: '%s' is neither text nor json", optarg);
			break;
		case OPT_DEBUG:
			G.debug = true;
			break;
		case OPT_SYSTEMD_CGROUP:
			die(0, "--systemd-cgroup: not supported; configure the engine for cgroupfs");
		case OPT_CGROUP_MANAGER:
			/* crun's: podman passes it.  We manage cgroups as cgroupfs does. */
			if (strcmp(optarg, "cgroupfs") && strcmp(optarg, "disabled"))
				die(0, "--cgroup-manager %s: not supported (cgroupfs or disabled)", optarg);
			break;
		case 'h':
			usage();
		case 'v':
		case 'V':
			version();
		default:
			errtryhelp();
		}
	}
	if (optind >= argc)
		usage_error("no command given");
	for (i = 0; i < NR_COMMANDS; i++) {
		if (!strcmp(argv[optind], commands[i].name)) {
			argc -= optind;
			argv += optind;
			optind = 0;	/* a fresh getopt for the command */
			return commands[i].fn(argc, argv);
		}
	}
	usage_error("unknown command '%s'", argv[optind]);
}
