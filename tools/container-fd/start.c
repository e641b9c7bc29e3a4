// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd start: run the process of a created OCI container.  It
 * waits on exec.fifo (see create.c); one byte written there lets it exec.
 * Opening the fifo without blocking fails (ENXIO) if nobody reads it any
 * more: then the process died before start.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include "oci.h"

static const char usage_text[] =
	"Usage:\n"
	" " PROG " [global options] start <container-id>\n"
	"\nStart the process of a created OCI container.\n"
	"\nOptions:\n"
	" -h, --help     display this help\n";

int cmd_start(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct oci_state st;
	enum oci_status s;
	char *fifo;
	int c, fd;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'h')
			print_usage(usage_text);
		errtryhelp();
	}
	if (optind != argc - 1)
		usage_error("start: expected one container ID");
	if (!oci_state_load(argv[optind], &st))
		die(0, "container %s does not exist", argv[optind]);
	s = oci_status(&st);
	if (s != OCI_CREATED)
		die(0, "container %s is %s, not created", st.id, oci_status_name(s));
	fifo = xasprintf("%s/exec.fifo", st.dir);
	fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		die(errno == ENXIO ? 0 : errno, "container %s: %s", st.id,
		    errno == ENXIO ? "its process is gone" : "exec.fifo");
	/* Gone first: whoever looks after our write sees "running". */
	if (unlink(fifo))
		die(errno, "container %s: exec.fifo", st.id);
	if (write(fd, "", 1) != 1)
		die(errno, "container %s: cannot start it", st.id);
	close(fd);
	free(fifo);
	oci_state_free(&st);
	return 0;
}
