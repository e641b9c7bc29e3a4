// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd state: a container's state as JSON, with real types.  For
 * an OCI container of the state directory it is the runtime-spec state
 * (what podman and conmon read).
 */
#define _GNU_SOURCE
#include <getopt.h>

#include "oci.h"

static const char usage_text[] =
	"Usage:\n"
	" " PROG " state [--json] <id>|<name>\n"
	"\nPrint a container's state as JSON (the only format; --json says so).\n"
	"An OCI container's (one of the state root, --root) is the runtime-spec\n"
	"state, with runc's additions.\n"
	"\nOptions:\n"
	" -J, --json     JSON output\n"
	" -h, --help     display this help\n";

int cmd_state(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct target t;
	int c;

	while ((c = getopt_long(argc, argv, "+Jh", opts, NULL)) != -1) {
		switch (c) {
		case 'J':
			break;
		case 'h':
			print_usage(usage_text);
		default:
			errtryhelp();
		}
	}
	if (optind != argc - 1)
		usage_error("state: expected one container");
	if (oci_exists(argv[optind])) {
		struct oci_state st;

		if (!oci_state_load(argv[optind], &st))
			die(0, "container %s does not exist", argv[optind]);
		oci_print_state(&st);
		oci_state_free(&st);
		return 0;
	}
	open_target(&t, argv[optind], 0, false);
	print_json(json_container_info(&t.info), true);
	close_target(&t);
	return 0;
}
