// SPDX-License-Identifier: GPL-2.0-or-later
/* container-fd info: everything the kernel reports about a container, as text. */
#define _GNU_SOURCE
#include <getopt.h>

#include "cli.h"

static const char usage_text[] =
	"Usage:\n"
	" " PROG " info <id>|<name>\n"
	"\nShow what the kernel reports about a container (as JSON: state).\n"
	"\nOptions:\n"
	" -h, --help     display this help\n";

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct container_info *info;
	struct target t;
	char flags[128];
	int c;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'h')
			print_usage(usage_text);
		errtryhelp();
	}
	if (optind != argc - 1)
		usage_error("info: expected one container");
	open_target(&t, argv[optind], 0, false);
	info = &t.info;
	flags_string(info->flags, flags, sizeof(flags));
	printf("ID:          %llu\n", (unsigned long long)info->id);
	if (info->parent_id == CONTAINER_ID_NONE)
		printf("Parent:      -\n");
	else
		printf("Parent:      %llu\n", (unsigned long long)info->parent_id);
	printf("Name:        %s\n", info->name[0] ? info->name : "-");
	printf("State:       %s\n", cfd_state_name(info->state));
	printf("Init PID:    %d\n", info->init_pid);
	printf("Members:     %u\n", info->nr_members);
	printf("Namespaces:  %s\n", flags);
	printf("Level:       %u\n", info->level);
	if (info->state == CONTAINER_STATE_DEAD)
		printf("Exit status: %d\n", status_to_exit_code(info->exit_status));
	printf("mnt:[%llu] uts:[%llu] ipc:[%llu] user:[%llu] pid:[%llu] net:[%llu] cgroup:[%llu] time:[%llu]\n",
	       (unsigned long long)info->mnt_ns_ino, (unsigned long long)info->uts_ns_ino,
	       (unsigned long long)info->ipc_ns_ino, (unsigned long long)info->user_ns_ino,
	       (unsigned long long)info->pid_ns_ino, (unsigned long long)info->net_ns_ino,
	       (unsigned long long)info->cgroup_ns_ino, (unsigned long long)info->time_ns_ino);
	close_target(&t);
	return 0;
}
