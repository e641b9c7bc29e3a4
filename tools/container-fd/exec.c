// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd exec: fork a command straight into a running container (no
 * helper process, no setns) and wait for it.  It dies with container-fd
 * (PR_SET_PDEATHSIG); SIGTERM, SIGINT, SIGHUP and SIGQUIT are forwarded
 * to it.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "oci.h"
#include "process.h"

static const char usage_text[] =
	"Usage:\n"
	" " PROG " exec [options] (<id> | <name> | --name <name> | --pid <pid>) [--] <command> [<argument>...]\n"
	"\nRun a command in a running container, and wait for it.\n"
	"\nOptions:\n"
	" -n, --name <name>        the container of this name\n"
	" -p, --pid <pid>          the container of this process\n"
	" -d, --detach             do not wait; print the command's PID\n"
	"     --process <file>     (OCI) the process object of <file> in the OCI\n"
	"                          container <id>, instead of a command\n"
	"     --console-socket <path>  (OCI) where its terminal's master goes\n"
	PROC_OPTS_HELP
	" -h, --help               display this help\n"
	"\nExit status: the command's; 125 if " PROG " fails, 126 if the command\n"
	"cannot be executed, 127 if it is not found; a signal that killed it is\n"
	"re-raised.\n";

int cmd_exec(int argc, char **argv)
{
	enum { OPT_PROCESS = OPT_PROC_LAST, OPT_CONSOLE, OPT_PRESERVE };
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "pid", required_argument, NULL, 'p' },
		{ "detach", no_argument, NULL, 'd' },
		{ "process", required_argument, NULL, OPT_PROCESS },
		{ "console-socket", required_argument, NULL, OPT_CONSOLE },
		{ "preserve-fds", required_argument, NULL, OPT_PRESERVE },
		PROC_OPTS_LONG,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct proc_opts po = { .grace = 10 };
	struct child_setup cs = {};
	const char *spec = NULL;
	bool by_name = false;
	const char *process = NULL, *console = NULL;
	struct target t;
	pid_t pid = 0;
	int c;

	while ((c = getopt_long(argc, argv, "+n:p:dh" PROC_OPTS_SHORT, opts, NULL)) != -1) {
		if (proc_opts_parse(&po, c, optarg))
			continue;
		switch (c) {
		case 'n':
			spec = optarg;
			by_name = true;
			break;
		case 'p':
			pid = parse_u64(optarg, 1, INT32_MAX, "PID");
			break;
		case 'd':
			po.detach = true;
			break;
		case OPT_PROCESS:
			process = optarg;
			break;
		case OPT_CONSOLE:
			console = optarg;
			break;
		case OPT_PRESERVE:
			/* Inherited fds stay open in the process: nothing to do. */
			parse_u64(optarg, 0, 1000, "--preserve-fds");
			break;
		case 'h':
			print_usage(usage_text);
		default:
			errtryhelp();
		}
	}
	if (process) {
		if (optind != argc - 1)
			usage_error("exec --process: expected one OCI container ID");
		return oci_exec(argv[optind], process, po.detach, po.pid_file, console);
	}
	if (console)
		usage_error("--console-socket goes with --process");
	if (!spec && !pid) {
		if (optind >= argc || !strcmp(argv[optind - 1], "--"))
			usage_error("exec: no container given");
		spec = argv[optind++];
	}
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	if (optind >= argc)
		usage_error("exec: no command given");
	if (po.detach && po.tty)
		usage_error("--detach and --tty exclude each other: nobody would hold the terminal");
	open_target(&t, spec, pid, by_name);
	return start_process(t.cfd, argv + optind, &po, &cs, false, 0);
}
