// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd kill: a signal to a container's init (through a pidfd
 * checked to be that container's init), or with --all to every process in
 * it and in the containers nested in it (CONTAINER_IOC_KILL).  The signal
 * is given with -s, or after the container as runc and crun take it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "oci.h"

static const char usage_text[] =
	"Usage:\n"
	" " PROG " kill [-s <signal>] [--all] <id>|<name> [<signal>]\n"
	"\nSend a signal (default SIGTERM) to a container's init.\n"
	"\nOptions:\n"
	" -s, --signal <signal>   a name (TERM, SIGTERM) or a number\n"
	" -a, --all               every process in the container and in those\n"
	"                         nested in it\n"
	" -h, --help              display this help\n"
	"\nThe init of a PID namespace takes from outside only the signals it\n"
	"handles, and SIGKILL; stop sends SIGKILL after a grace period.\n";

static int to_signal(const char *s)
{
	int sig = parse_signal(s);

	if (sig < 0)
		usage_error("unknown signal '%s'", s);
	return sig;
}

/* An OCI container of the state root: its process, checked by start time. */
static int kill_oci(const char *id, int sig, bool all)
{
	struct oci_state st;
	int pidfd, cfd, err;

	if (!oci_state_load(id, &st))
		die(0, "container %s does not exist", id);
	pidfd = oci_pidfd(&st);
	if (pidfd < 0)
		die(0, "container %s is not running", id);
	if (all) {
		cfd = cfd_pidfd_get_container(pidfd);
		err = cfd < 0 ? cfd : cfd_kill(cfd, sig);
		if (cfd >= 0)
			close(cfd);
	} else {
		err = syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) ? -errno : 0;
	}
	if (err == -ESRCH)
		die(0, "container %s is not running", id);
	if (err)
		die(-err, "container %s", id);
	close(pidfd);
	oci_state_free(&st);
	return 0;
}

int cmd_kill(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "signal", required_argument, NULL, 's' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, sig = SIGTERM, pidfd, err;
	bool all = false, sig_given = false;
	struct target t;

	while ((c = getopt_long(argc, argv, "+s:ah", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			sig = to_signal(optarg);
			sig_given = true;
			break;
		case 'a':
			all = true;
			break;
		case 'h':
			print_usage(usage_text);
		default:
			errtryhelp();
		}
	}
	if (optind == argc - 2) {
		if (sig_given)
			usage_error("kill: the signal is given twice");
		sig = to_signal(argv[optind + 1]);
	} else if (optind != argc - 1) {
		usage_error("kill: expected a container, and maybe a signal");
	}
	if (oci_exists(argv[optind]))
		return kill_oci(argv[optind], sig, all);
	open_target(&t, argv[optind], 0, false);
	if (all) {
		err = cfd_kill(t.cfd, sig);
	} else {
		pidfd = open_init_pidfd(&t);
		err = pidfd < 0 ? pidfd : 0;
		if (!err && syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0))
			err = -errno;
		if (pidfd >= 0)
			close(pidfd);
	}
	if (err == -ESRCH)
		die(0, "container %s: no process to signal", argv[optind]);
	if (err == -EPERM)
		die(0, "container %s: permission denied", argv[optind]);
	if (err)
		die(-err, "container %s", argv[optind]);
	close_target(&t);
	return 0;
}
