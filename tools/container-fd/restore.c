// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd restore DIR [--id N] [--name NAME] [--detach]
 *
 * Checks the checkpoint in DIR (containerfd.json: its version and
 * checksum, and every image's size and checksum) before anything is made,
 * creates the container with its ID (set_id), and has CRIU restore the
 * tree into it (libcriu, criu_local_restore_child): at CRIU's
 * "setup-namespaces" callback the restored root task becomes the
 * container's init (CONTAINER_IOC_ADOPT, CONTAINER_ADOPT_INIT), and at
 * "post-restore", once CRIU has restored its mounts and before anything
 * runs, the container takes its namespaces (CONTAINER_ADOPT_NAMESPACES).
 *
 * Any failure leaves no container: until the init is adopted the
 * container is empty and goes with our fd; after, CRIU kills the tree it
 * restored, which is the container's death, and we reap its init.
 */
#define _GNU_SOURCE
#include <criu/criu.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <containerfd.h>

#include "checkpoint.h"
#include "cli.h"

static const char usage_text[] =
	"Usage:\n"
	" " PROG " restore <dir> [--id <id>] [--name <name>] [--detach]\n"
	"\nRestore a container checkpointed into <dir>, with its ID, and wait\n"
	"for its init.\n"
	"\nOptions:\n"
	" -i, --id <id>       take this ID instead of the saved one\n"
	" -n, --name <name>   take this name instead of the saved one\n"
	" -d, --detach        leave it running and print its ID\n"
	" -h, --help          display this help\n";

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif

/* What the libcriu callback works on: it takes no argument of ours. */
static struct {
	int cfd;
	int pidfd;
	pid_t pid;
	const char *failed;	/* the step that failed, for the message */
	int err;
} adopt_state = { .cfd = -1, .pidfd = -1 };

static int adopt(unsigned int flags)
{
	struct container_adopt args = {
		.pidfd = adopt_state.pidfd,
		.flags = flags,
	};

	return ioctl(adopt_state.cfd, CONTAINER_IOC_ADOPT, &args) ? -errno : 0;
}

/* libcriu's notify callback: non-zero makes CRIU abort the restore. */
static int restore_notify(char *action, criu_notify_arg_t na)
{
	int err;

	if (!strcmp(action, "setup-namespaces")) {
		adopt_state.pid = criu_notify_pid(na);
		adopt_state.pidfd = syscall(__NR_pidfd_open, adopt_state.pid, 0);
		if (adopt_state.pidfd < 0) {
			adopt_state.failed = "open the restored init";
			adopt_state.err = errno;
			return -1;
		}
		err = adopt(CONTAINER_ADOPT_INIT);
		if (err) {
			adopt_state.failed = "make the restored init the container's init";
			adopt_state.err = -err;
			return -1;
		}
	} else if (!strcmp(action, "post-restore")) {
		err = adopt(CONTAINER_ADOPT_NAMESPACES);
		if (err) {
			adopt_state.failed = "give the container its init's namespaces";
			adopt_state.err = -err;
			return -1;
		}
	}
	return 0;
}

static uint64_t parse_id(const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || !*s || *end || !v || v > CONTAINER_ID_MAX)
		usage_error("restore: invalid container ID");
	return v;
}

int cmd_restore(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "name", required_argument, NULL, 'n' },
		{ "detach", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cfd_options o = {};
	struct container_info info;
	struct cr_meta meta;
	const char *dir, *name = NULL;
	bool detach = false, id_given = false;
	uint64_t id = 0;
	char *reason;
	criu_opts *co = NULL;	/* criu_local_init_opts() frees what it points to */
	int c, cfd, dirfd, ret, status;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "i:n:dh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			id = parse_id(optarg);
			id_given = true;
			break;
		case 'n':
			name = optarg;
			break;
		case 'd':
			detach = true;
			break;
		case 'h':
			print_usage(usage_text);
		default:
			errtryhelp();
		}
	}
	if (argc - optind != 1)
		usage_error("restore: expected one checkpoint directory");
	dir = argv[optind];

	check_kernel();
	/* Everything is checked before anything is made. */
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		die(errno, "%s", dir);
	if (cr_meta_read(dirfd, dir, &meta) || cr_meta_check_images(dirfd, dir, &meta))
		exit(EXIT_TOOL);	/* cr_meta said why */
	if (detach && (meta.flags & CONTAINER_KILL_ON_CLOSE))
		die(0, "the container was made to die with its creator's file "
		    "(--kill-on-close): restore it without --detach");

	o.flags = meta.flags;
	o.name = name ? name : (meta.name[0] ? meta.name : NULL);
	o.set_id = id_given ? id : meta.id;
	cfd = cfd_create(&o, sizeof(o));
	if (cfd == -EEXIST)
		die(0, "container ID %llu is taken here; choose another with --id",
		    (unsigned long long)o.set_id);
	if (cfd == -EPERM)
		die(0, "permission denied: restoring a container's ID needs "
		    "CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN");
	if (cfd == -EINVAL && name)
		die(0, "invalid container name '%s' (1-63 of A-Z a-z 0-9 _ . -)", name);
	if (cfd < 0)
		die(-cfd, "cannot create container %llu", (unsigned long long)o.set_id);
	adopt_state.cfd = cfd;
	/* Its keys before anything runs in it; they go with it on failure. */
	if (cr_keys_grant(cfd, &meta)) {
		close(cfd);
		exit(EXIT_TOOL);	/* cr_keys said why; the container went */
	}

	setenv("CRIU_LIBS_DIR", CFD_CRIU_PLUGIN_DIR, 0);
	if (criu_local_init_opts(&co))
		die(0, "libcriu: cannot initialise");
	criu_local_set_images_dir_fd(co, dirfd);
	criu_local_set_log_file(co, CR_RESTORE_LOG);
	criu_local_set_log_level(co, 4);
	criu_local_set_notify_cb(co, restore_notify);
	if (meta.flags & CONTAINER_NEW_NET_NS)
		criu_local_set_network_lock(co, CRIU_NETWORK_LOCK_NFTABLES);

	pid = criu_local_restore_child(co);
	criu_local_free_opts(co);
	if (pid < 0 || adopt_state.failed) {
		/*
		 * CRIU kills what it restored; make sure of the init (our
		 * child, so its PID is not reused before we reap it), whose
		 * death takes the rest of the container with it.
		 */
		if (adopt_state.pid > 0)
			kill(adopt_state.pid, SIGKILL);
		while (waitpid(-1, NULL, 0) > 0)
			;
		close(cfd);
		if (adopt_state.failed)
			die(0, "cannot %s: %s; nothing was restored", adopt_state.failed,
			    strerror(adopt_state.err));
		reason = cr_log_reason(dirfd, CR_RESTORE_LOG);
		die(0, "CRIU could not restore %s (%s; see %s/%s); nothing was restored",
		    dir, reason ? reason : strerror(-pid), dir, CR_RESTORE_LOG);
	}
	cr_meta_free(&meta);
	close(dirfd);

	ret = cfd_get_info(cfd, &info, sizeof(info));
	if (ret || info.state != CONTAINER_STATE_RUNNING || info.init_pid != pid) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		die(0, "the restored tree is not in the container (%s)",
		    ret ? strerror(-ret) : cfd_state_name(info.state));
	}
	if (detach) {
		printf("%llu\n", (unsigned long long)info.id);
		return 0;
	}
	/*
	 * Wait for the restored init, then leave the way it left.  The
	 * container's file stays open until then: ours is its creator file,
	 * and a container made --kill-on-close dies when that is released.
	 */
	ret = cfd_wait(adopt_state.pidfd, &status);
	if (ret)
		die(-ret, "waitid");
	exit_like(status);
}
