// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd exec --process FILE ID: a process of an OCI container,
 * described by a runtime-spec process object, as conmon and podman run
 * it (--detach, --pid-file, --console-socket).  It is forked straight
 * into the container, found through its process's pidfd, and gets what
 * the object asks (user, cwd, env, capabilities, rlimits,
 * noNewPrivileges, a terminal) as create's process does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "oci.h"

static int exec_setup(void *arg)
{
	struct oci_child *c = arg;
	const struct oci_spec *s = c->spec;
	size_t i;
	int err;

	err = child_setup_run(&c->cs);
	if (err)
		return err;
	if (s->have_caps) {
		err = oci_set_caps(s);
		if (err) {
			fprintf(stderr, "%s: process.capabilities: %s\n", PROG, strerror(-err));
			return err;
		}
	}
	if (s->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	/* execvpe() searches our PATH: make it the process's. */
	for (i = 0; i < s->env.n; i++)
		if (!strncmp(s->env.v[i], "PATH=", 5))
			setenv("PATH", s->env.v[i] + 5, 1);
	return 0;
}

int oci_exec(const char *id, const char *process_file, bool detach,
	     const char *pid_file, const char *console)
{
	struct oci_spec spec;
	struct oci_child child = { .spec = &spec, .fifo_fd = -1, .report = -1 };
	struct oci_state st;
	cfd_spawnattr_t *attr;
	int pidfd, cfd, tty_parent = -1, console_sock = -1, err, status;
	pid_t pid;

	if (!oci_state_load(id, &st))
		die(0, "container %s does not exist", id);
	oci_load_process(process_file, &spec);
	if (spec.terminal != !!console)
		die(0, "%s: process.terminal and --console-socket go together", process_file);
	pidfd = oci_pidfd(&st);
	if (pidfd < 0 || oci_status(&st) != OCI_RUNNING)
		die(0, "container %s is not running", id);
	cfd = cfd_pidfd_get_container(pidfd);
	if (cfd < 0)
		die(-cfd, "container %s", id);
	close(pidfd);

	oci_child_prepare(&child, console, &console_sock, &tty_parent);
	err = cfd_spawnattr_new(&attr);
	if (err)
		die(-err, "cfd_spawnattr_new");
	cfd_spawnattr_set_setup(attr, exec_setup, &child);
	pidfd = cfd_spawn(cfd, spec.args.v[0], spec.args.v, spec.env.v, attr, &pid);
	if (pidfd < 0) {
		err = -pidfd;
		if (cfd_spawnattr_get_failed_stage(attr) == CFD_SPAWN_STAGE_EXEC) {
			fprintf(stderr, "%s: cannot execute %s: %s\n", PROG, spec.args.v[0], strerror(err));
			exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
		}
		die(err, "container %s: cannot start the process", id);
	}
	cfd_spawnattr_free(attr);
	if (console) {
		oci_pass_console(console, console_sock, tty_parent);
		close(child.cs.tty_sock);
	}
	if (pid_file)
		proc_write_pid_file(pid_file, pid);
	close(cfd);
	if (detach)
		return 0;
	err = cfd_wait(pidfd, &status);
	if (err)
		die(-err, "waiting for the process");
	exit_like(status);
}
