// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd delete: forget a stopped OCI container (its state
 * directory).  With --force a living one is killed first, every process
 * in it (CONTAINER_IOC_KILL), and deleted once its process is gone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "oci.h"

static const char usage_text[] =
	"Usage:\n"
	" " PROG " [global options] delete [--force] <container-id>\n"
	"\nDelete a stopped OCI container.\n"
	"\nOptions:\n"
	" -f, --force    kill it first if it is not stopped\n"
	" -h, --help     display this help\n";

static void remove_file(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);

	if (unlink(p) && errno != ENOENT)
		die(errno, "cannot remove %s", p);
	free(p);
}

int cmd_delete(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct oci_state st;
	bool force = false;
	int c, pidfd, cfd, err;

	while ((c = getopt_long(argc, argv, "+fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			force = true;
			break;
		case 'h':
			print_usage(usage_text);
		default:
			errtryhelp();
		}
	}
	if (optind != argc - 1)
		usage_error("delete: expected one container ID");
	if (!oci_state_load(argv[optind], &st)) {
		if (force)
			return 0;	/* as runc: nothing left to delete */
		die(0, "container %s does not exist", argv[optind]);
	}
	if (oci_status(&st) != OCI_STOPPED) {
		if (!force)
			die(0, "container %s is %s: stop it or use --force", st.id,
			    oci_status_name(oci_status(&st)));
		pidfd = oci_pidfd(&st);
		if (pidfd >= 0) {
			struct pollfd p = { .fd = pidfd, .events = POLLIN };

			/* Everything in it, not just its process. */
			cfd = cfd_pidfd_get_container(pidfd);
			err = cfd >= 0 ? cfd_kill(cfd, SIGKILL) : cfd;
			if (err < 0 && err != -ESRCH)
				die(-err, "container %s: cannot kill it", st.id);
			if (cfd >= 0)
				close(cfd);
			if (poll(&p, 1, 10000) != 1)
				die(0, "container %s: its process did not die", st.id);
			close(pidfd);
		}
	}
	remove_file(st.dir, "exec.fifo");
	remove_file(st.dir, "state.json");
	if (rmdir(st.dir))
		die(errno, "cannot remove %s", st.dir);
	oci_state_free(&st);
	return 0;
}
