// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd stop: SIGTERM to init; if the container still lives after
 * the grace period, SIGKILL to everything in it.  Returns once it is dead,
 * as the container fd's POLLHUP says.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
	"Usage:\n"
	" " PROG " stop [--time <seconds>] <id>|<name>\n"
	"\nStop a container: SIGTERM to its init, SIGKILL to all of it after\n"
	"the grace period if it still lives.\n"
	"\nOptions:\n"
	" -t, --time <seconds>   the grace period (default 10; 0: SIGKILL at once)\n"
	" -h, --help             display this help\n";

/* Wait up to @ms for the container to die; true if it did. */
static bool wait_dead(int cfd, int ms)
{
	struct pollfd p = { .fd = cfd, .events = POLLIN };
	int n;

	do {
		n = poll(&p, 1, ms);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		die(errno, "poll");
	return n > 0 && (p.revents & (POLLIN | POLLHUP));
}

int cmd_stop(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "time", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int grace = 10;
	struct target t;
	int c, pidfd, err;

	while ((c = getopt_long(argc, argv, "+t:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			grace = parse_u64(optarg, 0, 86400, "--time");
			break;
		case 'h':
			print_usage(usage_text);
		default:
			errtryhelp();
		}
	}
	if (optind != argc - 1)
		usage_error("stop: expected one container");
	open_target(&t, argv[optind], 0, false);
	if (grace) {
		pidfd = open_init_pidfd(&t);
		if (pidfd >= 0) {
			if (syscall(SYS_pidfd_send_signal, pidfd, SIGTERM, NULL, 0) && errno != ESRCH)
				die(errno, "container %s: cannot send SIGTERM", argv[optind]);
			close(pidfd);
		}
		if (wait_dead(t.cfd, grace * 1000)) {
			close_target(&t);
			return 0;
		}
		log_debug("container %s still lives after %u s: SIGKILL", argv[optind], grace);
	}
	err = cfd_kill(t.cfd, SIGKILL);
	if (err && err != -ESRCH)
		die(-err, "container %s: cannot send SIGKILL", argv[optind]);
	/* SIGKILL cannot be blocked; the kernel's work item does the rest. */
	if (!wait_dead(t.cfd, 60 * 1000))
		die(0, "container %s: still alive a minute after SIGKILL", argv[optind]);
	close_target(&t);
	return 0;
}
