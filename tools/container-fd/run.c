// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd run: a new container with a command as its init.  In the
 * foreground the container dies with container-fd (CONTAINER_KILL_ON_CLOSE
 * on the creator fd, which only we hold); SIGTERM, SIGINT, SIGHUP and
 * SIGQUIT are forwarded to init.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "key.h"
#include "process.h"
#include "rootfs.h"

extern char **environ;

static const char usage_text[] =
	"Usage:\n"
	" " PROG " run [options] [--] <command> [<argument>...]\n"
	"\nRun a command as the init of a new container, and wait for it.\n"
	"\nOptions:\n"
	" -n, --name <name>        name the container\n"
	" -N, --ns <list>|all|none new namespaces: mnt,uts,ipc,user,pid,net,cgroup,time\n"
	"                          (default: mnt,uts,ipc,pid,net)\n"
	" -r, --rootfs <dir>       make <dir> the root, in an empty mount namespace,\n"
	"                          with /proc, /dev (pts, shm, the usual nodes and\n"
	"                          links) and a read-only /sys\n"
	" -m, --mount type=<type>,dst=<path>[,src=<path>][,<options>]\n"
	"                          mount into the container from outside (repeatable)\n"
	" -H, --hostname <name>    set the hostname inside (implies uts)\n"
	"     --map-root-user      map ourselves to root in a new user namespace\n"
	"     --map-users <inside>:<outside>:<count>   map user IDs (repeatable)\n"
	"     --map-groups <inside>:<outside>:<count>  map group IDs (repeatable)\n"
	" -K, --key <key>          grant a key to it before it starts (repeatable;\n"
	"                          see " PROG " key --help)\n"
	" -d, --detach             leave it running and print its ID\n"
	" -k, --kill-on-close      kill it when " PROG " exits (the default in the\n"
	"                          foreground)\n"
	PROC_OPTS_HELP
	" -h, --help               display this help\n"
	"\nA new user namespace without a map option maps ourselves to root.\n"
	"\nExit status: the command's; 125 if " PROG " fails, 126 if the command\n"
	"cannot be executed, 127 if it is not found; a signal that killed it is\n"
	"re-raised.\n";

enum { OPT_MAP_ROOT = OPT_PROC_LAST, OPT_MAP_USERS, OPT_MAP_GROUPS };

static void __attribute__((noreturn))
spawn_failed(int err, const cfd_spawnattr_t *attr, const char *cmd)
{
	switch (cfd_spawnattr_get_failed_stage(attr)) {
	case CFD_SPAWN_STAGE_EXEC:
		fprintf(stderr, "%s: failed to execute %s: %s\n", PROG, cmd, strerror(err));
		exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
	case CFD_SPAWN_STAGE_SETUP:
		/* The child said what failed. */
		exit(EXIT_TOOL);
	}
	if (err == ESRCH)
		die(0, "the container is dead");
	if (err == EPERM)
		die(0, "permission denied to start a process in the container");
	die(err, "cannot start %s in the container", cmd);
}

/* Start the process, then wait for it in the foreground or print @id. */
int start_process(int cfd, char **argv, const struct proc_opts *po,
		  struct child_setup *cs, bool whole_container, uint64_t print_id)
{
	struct foreground fg = { .cfd = whole_container ? cfd : -1, .master = -1,
				 .grace = po->grace };
	cfd_spawnattr_t *attr;
	char **env;
	int tty_parent = -1, err;

	cs->tty_sock = -1;
	cs->detach = po->detach;
	cs->cwd = po->cwd;
	if (po->user)
		proc_resolve_user(cfd, po->user, cs);
	if (po->tty)
		proc_prepare_tty(cs, &tty_parent);
	env = proc_build_env(po, environ);
	err = cfd_spawnattr_new(&attr);
	if (err)
		die(-err, "cfd_spawnattr_new");
	cfd_spawnattr_set_setup(attr, child_setup_run, cs);
	/* exec's command dies with us; run's init dies by kill-on-close. */
	if (!po->detach && !whole_container)
		cfd_spawnattr_set_pdeathsig(attr, SIGKILL);
	if (!po->detach)
		foreground_block_signals();
	fg.pidfd = cfd_spawn(cfd, argv[0], argv, env, attr, &fg.pid);
	if (fg.pidfd < 0)
		spawn_failed(-fg.pidfd, attr, argv[0]);
	cfd_spawnattr_free(attr);
	if (po->pid_file)
		proc_write_pid_file(po->pid_file, fg.pid);
	if (po->detach) {
		if (whole_container)
			printf("%llu\n", (unsigned long long)print_id);
		else
			printf("%d\n", fg.pid);
		return 0;
	}
	if (tty_parent >= 0) {
		fg.master = proc_receive_tty(tty_parent);
		if (fg.master < 0)
			die(-fg.master, "the container's terminal did not arrive");
		close(tty_parent);
		close(cs->tty_sock);
	}
	exit_like(foreground_wait(&fg));
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "ns", required_argument, NULL, 'N' },
		{ "rootfs", required_argument, NULL, 'r' },
		{ "mount", required_argument, NULL, 'm' },
		{ "hostname", required_argument, NULL, 'H' },
		{ "kill-on-close", no_argument, NULL, 'k' },
		{ "detach", no_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'K' },
		{ "map-root-user", no_argument, NULL, OPT_MAP_ROOT },
		{ "map-users", required_argument, NULL, OPT_MAP_USERS },
		{ "map-groups", required_argument, NULL, OPT_MAP_GROUPS },
		PROC_OPTS_LONG,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cfd_options o = {
		.flags = CONTAINER_NEW_FS_NS | CONTAINER_NEW_UTS_NS |
			 CONTAINER_NEW_IPC_NS | CONTAINER_NEW_PID_NS |
			 CONTAINER_NEW_NET_NS,
	};
	struct proc_opts po = { .grace = 10 };
	struct child_setup cs = {};
	struct id_map map = {};
	struct container_info info;
	struct strv mounts = {}, keys = {};
	const char *rootfs = NULL;
	bool map_root = false, kill_on_close = false;
	int c, cfd, err;
	size_t i;
	struct stat st;

	while ((c = getopt_long(argc, argv, "+n:N:r:m:H:kdK:h" PROC_OPTS_SHORT, opts, NULL)) != -1) {
		if (proc_opts_parse(&po, c, optarg))
			continue;
		switch (c) {
		case 'n':
			o.name = optarg;
			break;
		case 'N':
			o.flags = parse_ns_list(optarg);
			break;
		case 'r':
			rootfs = optarg;
			break;
		case 'm':
			strv_push(&mounts, optarg);
			break;
		case 'H':
			cs.hostname = optarg;
			break;
		case 'k':
			kill_on_close = true;
			break;
		case 'd':
			po.detach = true;
			break;
		case 'K':
			strv_push(&keys, optarg);
			break;
		case OPT_MAP_ROOT:
			map_root = true;
			break;
		case OPT_MAP_USERS:
			id_map_add(&map.uid_map, optarg, "--map-users");
			break;
		case OPT_MAP_GROUPS:
			id_map_add(&map.gid_map, optarg, "--map-groups");
			break;
		case 'h':
			print_usage(usage_text);
		default:
			errtryhelp();
		}
	}
	if (optind >= argc)
		usage_error("run: no command given");
	if (po.detach && kill_on_close)
		usage_error("--detach and --kill-on-close exclude each other");
	if (po.detach && po.tty)
		usage_error("--detach and --tty exclude each other: nobody would hold the terminal");
	if (map_root && (map.uid_map || map.gid_map))
		usage_error("--map-root-user and --map-users/--map-groups exclude each other");
	if (rootfs) {
		if (stat(rootfs, &st) || !S_ISDIR(st.st_mode))
			die(errno ? errno : ENOTDIR, "rootfs '%s'", rootfs);
		/* An empty mount namespace: the root comes from outside. */
		o.flags &= ~CONTAINER_NEW_FS_NS;
		o.flags |= CONTAINER_NEW_EMPTY_FS_NS;
	} else if (mounts.n) {
		/* Mounts go into its own copy, never into ours. */
		o.flags |= CONTAINER_NEW_FS_NS;
	}
	if (cs.hostname)
		o.flags |= CONTAINER_NEW_UTS_NS;
	if (map_root || map.uid_map || map.gid_map)
		o.flags |= CONTAINER_NEW_USER_NS;
	if ((o.flags & CONTAINER_NEW_USER_NS) && !map.uid_map && !map.gid_map)
		id_map_root(&map);
	if (!po.detach)
		o.flags |= CONTAINER_KILL_ON_CLOSE;

	check_kernel();
	cfd = cfd_create(&o, sizeof(o));
	if (cfd < 0) {
		if (cfd == -EINVAL && o.name)
			die(0, "invalid container name '%s' (1-63 of A-Z a-z 0-9 _ . -)", o.name);
		die(-cfd, "cannot create container%s%s", o.name ? " " : "",
		    o.name ? o.name : "");
	}
	id_map_write(cfd, &map);
	if (rootfs)
		mount_rootfs(cfd, rootfs, o.flags);
	for (i = 0; i < mounts.n; i++)
		mount_spec(cfd, mounts.v[i]);
	strv_free(&mounts);
	for (i = 0; i < keys.n; i++)
		key_grant(cfd, keys.v[i]);
	strv_free(&keys);
	if (o.flags & CONTAINER_NEW_NET_NS)
		loopback_up(cfd);
	/*
	 * Root inside, as engines do, when the maps have a root to become:
	 * with --map-users, our own IDs may not be mapped at all.
	 */
	if ((o.flags & CONTAINER_NEW_USER_NS) && !po.user &&
	    id_map_has_root(map.uid_map) && id_map_has_root(map.gid_map)) {
		cs.set_ids = true;
		cs.uid = 0;
		cs.gid = 0;
	}
	/* Its own ptys: --rootfs promises /dev/pts; -t wants it anyway. */
	cs.mount_devpts = rootfs || (po.tty && (o.flags & CONTAINER_NEW_FS_NS));
	err = cfd_get_info(cfd, &info, sizeof(info));
	if (err)
		die(-err, "cannot read the new container's ID");
	return start_process(cfd, argv + optind, &po, &cs, true, info.id);
}
