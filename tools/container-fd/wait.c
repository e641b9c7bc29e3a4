// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd wait: block until a container dies (POLLHUP on its fd) and
 * print its init's exit code, as podman wait does (128 + N for signal N).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
	"Usage:\n"
	" " PROG " wait <id>|<name>\n"
	"\nWait for a container to die and print its init's exit code\n"
	"(128 + N when signal N killed it).\n"
	"\nOptions:\n"
	" -h, --help     display this help\n";

int cmd_wait(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pollfd p = { .events = POLLIN };
	struct target t;
	int c, err, init;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'h')
			print_usage(usage_text);
		errtryhelp();
	}
	if (optind != argc - 1)
		usage_error("wait: expected one container");
	open_target(&t, argv[optind], 0, false);
	/*
	 * The container is dead when its init exits, or earlier, when it is
	 * killed (stop, kill-on-close): then init's exit, which gives the
	 * status, follows.  Wait for both.
	 */
	init = open_init_pidfd(&t);
	p.fd = t.cfd;
	while (poll(&p, 1, -1) < 0)
		if (errno != EINTR)
			die(errno, "poll");
	if (init >= 0) {
		p.fd = init;
		while (poll(&p, 1, 60 * 1000) < 0)
			if (errno != EINTR)
				die(errno, "poll");
		close(init);
	}
	err = cfd_get_info(t.cfd, &t.info, sizeof(t.info));
	if (err)
		die(-err, "container %s", argv[optind]);
	printf("%d\n", status_to_exit_code(t.info.exit_status));
	close_target(&t);
	return 0;
}
