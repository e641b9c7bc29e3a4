// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd checkpoint ID DIR [--leave-running]
 *
 * Dumps a container's process tree with CRIU (libcriu, criu_local_dump)
 * into DIR and writes beside the images what CRIU does not keep: the
 * container's ID, name and flags (containerfd.json, see cr_meta.c).
 *
 * What can be restored is refused up front, with the reason: the
 * container must have a PID namespace of its own (CRIU calls its client
 * back, so that the tree can be put into a container, only for a tree
 * with namespaces of its own, and the container's init is the root it
 * restores) and no nested containers (CRIU forks their inits from
 * restored processes, and nothing can make those a container's init).
 * When CRIU fails the container runs on untouched and DIR is left as it
 * was found.
 */
#define _GNU_SOURCE
#include <criu/criu.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <containerfd.h>

#include "checkpoint.h"
#include "cli.h"

static const char usage_text[] =
	"Usage:\n"
	" " PROG " checkpoint <id> <dir> [--leave-running]\n"
	"\nDump a container's processes with CRIU into <dir>, a new or empty\n"
	"directory; the container dies, unless --leave-running.\n"
	"\nOptions:\n"
	" -l, --leave-running   keep the container running after the dump\n"
	" -h, --help            display this help\n";

/* Is @dir empty (or absent, then made)?  Its fd; *@made if we made it. */
static int open_empty_dir(const char *dir, bool *made)
{
	struct dirent *de;
	int fd, dfd;
	DIR *d;

	*made = false;
	if (mkdir(dir, 0700) == 0)
		*made = true;
	else if (errno != EEXIST)
		die(errno, "cannot make %s", dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		die(errno, "cannot open %s", dir);
	dfd = dup(fd);
	if (dfd < 0 || !(d = fdopendir(dfd)))
		die(errno, "cannot list %s", dir);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			die(0, "%s is not empty: checkpoint into a new or empty directory", dir);
	closedir(d);
	return fd;
}

/* Leave @dir as it was found: empty (what CRIU wrote goes), or gone. */
static void clean_dir(int dirfd, const char *dir, bool made)
{
	struct dirent *de;
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (d) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				unlinkat(dirfd, de->d_name, 0);
		closedir(d);
	}
	if (made)
		rmdir(dir);
}

/*
 * Refuse what cannot come back, before anything is dumped.  The init's
 * PID in our PID namespace is what CRIU dumps from.
 */
static void check_restorable(uint64_t id, const struct container_info *info)
{
	struct cfd_iter *it;
	struct cfd_entry e;

	if (info->state != CONTAINER_STATE_RUNNING)
		die(0, "container %llu is %s: only a running container can be checkpointed",
		    (unsigned long long)id, cfd_state_name(info->state));
	if (info->init_pid <= 0)
		die(0, "container %llu: its init is not visible from here", (unsigned long long)id);
	if (!(info->flags & CONTAINER_NEW_PID_NS))
		die(0, "container %llu has no PID namespace of its own: CRIU restores a "
		    "container only as the init of a new one (run it with --ns pid,...)",
		    (unsigned long long)id);
	/* The kernel never changes a container's owner (CONTAINER_IOC_ADOPT). */
	if (info->flags & CONTAINER_NEW_USER_NS)
		die(0, "container %llu has a user namespace of its own: CRIU makes the "
		    "restored one itself, and a container's owner never changes; it "
		    "cannot be restored", (unsigned long long)id);
	if (cfd_iter_open(&it) == 0) {
		while (cfd_iter_next(it, &e, sizeof(e)) > 0)
			if (e.parent_id == id)
				die(0, "container %llu has nested containers (%llu): CRIU 3.17 "
				    "forks their inits from restored processes, which nothing "
				    "can make a container's init; they cannot be restored",
				    (unsigned long long)id, (unsigned long long)e.id);
		cfd_iter_close(it);
	}
}

/* Is @id still in /proc/containers? */
static bool id_listed(uint64_t id)
{
	struct cfd_iter *it;
	struct cfd_entry e;
	bool found = false;

	if (cfd_iter_open(&it))
		return false;
	while (!found && cfd_iter_next(it, &e, sizeof(e)) > 0)
		found = e.id == id;
	cfd_iter_close(it);
	return found;
}

/*
 * CRIU killed the tree: wait for the container to die, then, having let
 * go of it, for its ID to be free, so that a restore right after may
 * take it.  Its processes must be reaped by their parent first.
 */
static void wait_gone(int cfd, uint64_t id)
{
	struct pollfd p = { .fd = cfd, .events = POLLIN };
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int i;

	if (poll(&p, 1, 10000) != 1)
		warn_msg(0, "container %llu did not die after the dump", (unsigned long long)id);
	close(cfd);
	for (i = 0; i < 1000 && id_listed(id); i++)
		nanosleep(&tick, NULL);
	if (id_listed(id))
		warn_msg(0, "container %llu is dead but its ID stays taken until its "
			 "processes are reaped", (unsigned long long)id);
}

int cmd_checkpoint(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "leave-running", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct container_info info;
	struct cr_meta meta = {};
	bool leave_running = false, made;
	const char *dir, *idstr;
	criu_opts *co = NULL;	/* criu_local_init_opts() frees what it points to */
	char *end, *reason;
	uint64_t id;
	int c, cfd, dirfd, ret;

	while ((c = getopt_long(argc, argv, "lh", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			leave_running = true;
			break;
		case 'h':
			print_usage(usage_text);
		default:
			errtryhelp();
		}
	}
	if (argc - optind != 2)
		usage_error("checkpoint: expected a container ID and a directory");
	idstr = argv[optind];
	dir = argv[optind + 1];
	errno = 0;
	id = strtoull(idstr, &end, 10);
	if (errno || !*idstr || *end || !id || id > CONTAINER_ID_MAX)
		usage_error("checkpoint: invalid container ID");

	check_kernel();
	cfd = cfd_open_id(id);
	if (cfd == -ENOENT)
		die(0, "container %s: no such container (or it is not visible from here)",
		    idstr);
	if (cfd < 0)
		die(-cfd, "container %s", idstr);
	ret = cfd_get_info(cfd, &info, sizeof(info));
	if (ret)
		die(-ret, "container %s", idstr);
	check_restorable(id, &info);

	/* The keys first: the container and its keyring go with the dump. */
	if (cr_keys_save(cfd, &meta))
		exit(EXIT_TOOL);	/* cr_keys said why; nothing was dumped */

	dirfd = open_empty_dir(dir, &made);
	/* criu runs as our child (swrk): the plugin reads these. */
	setenv("CRIU_LIBS_DIR", CFD_CRIU_PLUGIN_DIR, 0);
	setenv(CR_PLUGIN_ENV_ID, idstr, 1);
	if (criu_local_init_opts(&co))
		die(0, "libcriu: cannot initialise");
	criu_local_set_pid(co, info.init_pid);
	criu_local_set_images_dir_fd(co, dirfd);
	criu_local_set_log_file(co, CR_DUMP_LOG);
	criu_local_set_log_level(co, 4);
	criu_local_set_leave_running(co, leave_running);
	if (info.flags & CONTAINER_NEW_NET_NS)
		criu_local_set_network_lock(co, CRIU_NETWORK_LOCK_NFTABLES);

	ret = criu_local_dump(co);
	criu_local_free_opts(co);
	if (ret < 0) {
		reason = cr_log_reason(dirfd, CR_DUMP_LOG);
		clean_dir(dirfd, dir, made);
		die(0, "CRIU could not dump container %s (%s); it runs on untouched",
		    idstr, reason ? reason : strerror(-ret));
	}

	meta.id = id;
	meta.flags = info.flags;
	memcpy(meta.name, info.name, sizeof(meta.name));
	meta.init_pid = info.init_pid;
	meta.nr_members = info.nr_members;
	if (cr_meta_scan_images(dirfd, dir, &meta) || cr_meta_write(dirfd, dir, &meta)) {
		if (leave_running) {
			clean_dir(dirfd, dir, made);
			die(0, "container %s runs on; nothing was kept", idstr);
		}
		die(0, "container %s was dumped and stopped, but its metadata is missing: "
		    "the images in %s cannot be restored by container-fd", idstr, dir);
	}
	cr_meta_free(&meta);
	close(dirfd);
	if (!leave_running)
		wait_gone(cfd, id);
	else
		close(cfd);
	return 0;
}
