// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd create: an OCI container from a bundle, its process made
 * and waiting, not yet executing the command (runtime-spec "created").
 *
 * The container is made with container_create(), its tree is assembled
 * from outside through the container fd (the root, then the mounts of
 * config.json in order, masked and read-only paths), and its process is
 * forked straight into it.  That process does what only it can (devpts,
 * the terminal, the hostname, rlimits, the bounding set, its identity,
 * its capabilities), says it is ready, then waits on exec.fifo, which
 * start opens.  We exit; the process stays, a child of whoever adopts it
 * (conmon is a subreaper for this).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/close_range.h>
#include <linux/mount.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "oci.h"
#include "process.h"
#include "rootfs.h"

static const char usage_text[] =
	"Usage:\n"
	" " PROG " [global options] create [options] <container-id>\n"
	"\nCreate an OCI container from a bundle; start runs its process.\n"
	"\nOptions:\n"
	" -b, --bundle <dir>          the bundle (default: the current directory)\n"
	"     --pid-file <file>       write the container's process ID to <file>\n"
	"     --console-socket <path> send the terminal's master there (with\n"
	"                             process.terminal)\n"
	"     --preserve-fds <n>      pass file descriptors 3 to 3+n-1 on\n"
	"     --no-pivot              accepted: the root is never pivoted into\n"
	"     --no-new-keyring        accepted: no session keyring is made\n"
	" -h, --help                  display this help\n";

/*
 * A read-only path: a clone of it, made read-only, mounted over it.  From
 * inside, as the kernel lets nobody clone a mount of another namespace;
 * the rest of its flags (nosuid, ...) stay as they are.
 */
static int readonly_path(const char *path)
{
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
	int mfd, err = 0;

	mfd = syscall(SYS_open_tree, AT_FDCWD, path,
		      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (mfd < 0)
		return errno == ENOENT ? 0 : -errno;	/* as runc: nothing to protect */
	if (syscall(SYS_mount_setattr, mfd, "", AT_EMPTY_PATH | AT_RECURSIVE, &ro, sizeof(ro)) ||
	    syscall(SYS_move_mount, mfd, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH))
		err = -errno;
	close(mfd);
	return err;
}

/* Before the identity change: read-only paths, limits, the bounding set, keep-caps. */
int oci_child_extra(void *arg)
{
	struct oci_child *c = arg;
	struct oci_spec *s = c->spec;
	size_t i;
	int cap, err;

	for (i = 0; i < s->readonly_paths.n; i++) {
		err = readonly_path(s->readonly_paths.v[i]);
		if (err) {
			fprintf(stderr, "%s: linux.readonlyPaths: %s: %s\n", PROG,
				s->readonly_paths.v[i], strerror(-err));
			return err;
		}
	}

	if (s->have_umask)
		umask(s->umask);
	for (i = 0; i < s->nr_rlimits; i++)
		if (setrlimit(s->rlimits[i].resource, &s->rlimits[i].limit)) {
			fprintf(stderr, "%s: process.rlimits[%zu]: %s\n", PROG, i, strerror(errno));
			return -errno;
		}
	if (s->have_caps) {
		for (cap = 0; cap <= CAP_LAST_CAP; cap++)
			if (!(s->caps[CAPS_BOUNDING] & (1ULL << cap)) &&
			    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL) {
				fprintf(stderr, "%s: cannot drop capability %d from the bounding set: %s\n",
					PROG, cap, strerror(errno));
				return -errno;
			}
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
			return -errno;
	}
	return 0;
}

/* After it: the capability sets, as asked. */
int oci_set_caps(const struct oci_spec *s)
{
	static const cap_flag_t flags[] = { 0, CAP_EFFECTIVE, CAP_PERMITTED, CAP_INHERITABLE };
	cap_t caps = cap_init();
	cap_value_t v;
	int k, err = 0;

	if (!caps)
		return -ENOMEM;
	for (k = CAPS_EFFECTIVE; k <= CAPS_INHERITABLE; k++)
		for (v = 0; v <= CAP_LAST_CAP; v++)
			if ((s->caps[k] & (1ULL << v)) &&
			    cap_set_flag(caps, flags[k], 1, &v, CAP_SET))
				err = -errno;
	if (!err && cap_set_proc(caps))
		err = -errno;
	cap_free(caps);
	if (err)
		return err;
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	/* The kernel takes an ambient capability only if permitted and inheritable. */
	for (v = 0; v <= CAP_LAST_CAP; v++)
		if ((s->caps[CAPS_AMBIENT] & (1ULL << v)) &&
		    (s->caps[CAPS_PERMITTED] & s->caps[CAPS_INHERITABLE] & (1ULL << v)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, v, 0, 0))
			return -errno;
	return 0;
}

/* PATH lookup as execvpe() will do it, so a missing command fails create. */
static char *find_command(const char *cmd, char **env)
{
	const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	char *copy, *dir, *save = NULL, *full;
	size_t i;

	if (strchr(cmd, '/'))
		return access(cmd, X_OK) ? NULL : xstrdup(cmd);
	for (i = 0; env[i]; i++)
		if (!strncmp(env[i], "PATH=", 5))
			path = env[i] + 5;
	copy = xstrdup(path);
	for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		full = xasprintf("%s/%s", dir, cmd);
		if (!access(full, X_OK)) {
			free(copy);
			return full;
		}
		free(full);
	}
	free(copy);
	return NULL;
}

static void __attribute__((noreturn)) child_report(int fd, int stage, int err)
{
	int msg[2] = { stage, err };

	if (write(fd, msg, sizeof(msg)) < 0)
		_exit(EXIT_TOOL);
	_exit(err == ENOENT ? EXIT_NOT_FOUND : stage == 2 ? EXIT_CANNOT_EXEC : EXIT_TOOL);
}

static void __attribute__((noreturn)) oci_child_main(struct oci_child *c)
{
	struct oci_spec *s = c->spec;
	sigset_t none;
	char *file, byte;
	int err;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/*
	 * Only the preserved fds (3 to 3+n-1) and stdio go on to the
	 * command; ours are close-on-exec already.
	 */
	syscall(SYS_close_range, 3 + c->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC);
	err = child_setup_run(&c->cs);
	if (err)
		child_report(c->report, 1, -err);
	if (s->have_caps) {
		err = oci_set_caps(s);
		if (err) {
			fprintf(stderr, "%s: process.capabilities: %s\n", PROG, strerror(-err));
			child_report(c->report, 1, -err);
		}
	}
	if (s->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		child_report(c->report, 1, errno);
	file = find_command(s->args.v[0], s->env.v);
	if (!file) {
		/* runc's words, which engines look for to exit 127. */
		fprintf(stderr, "%s: process.args[0]: exec: \"%s\": executable file not found in $PATH\n",
			PROG, s->args.v[0]);
		child_report(c->report, 2, ENOENT);
	}
	/* Ready: the report pipe closes without a word. */
	close(c->report);
	while (read(c->fifo_fd, &byte, 1) < 0 && errno == EINTR)
		;
	close(c->fifo_fd);
	execve(file, s->args.v, s->env.v);
	fprintf(stderr, "%s: cannot execute %s: %s\n", PROG, file, strerror(errno));
	_exit(errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
}

/* A directory gets an empty read-only tmpfs, anything else /dev/null. */
static void mask_path(int cfd, const char *path)
{
	struct stat st;
	int mfd, rc;

	if (fstatat(cfd, path, &st, AT_SYMLINK_NOFOLLOW))
		return;
	if (S_ISDIR(st.st_mode)) {
		mfd = cfd_fs_mount(cfd, "tmpfs", "ro,nosuid,nodev,noexec,size=0");
		rc = mfd < 0 ? mfd : cfd_mount_at(cfd, mfd, path);
		if (mfd >= 0)
			close(mfd);
	} else {
		mfd = syscall(SYS_open_tree, AT_FDCWD, "/dev/null", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		rc = mfd < 0 ? -errno : cfd_mount_at(cfd, mfd, path);
		if (mfd >= 0)
			close(mfd);
	}
	if (rc < 0)
		die(-rc, "linux.maskedPaths: %s", path);
}

/* Device nodes and links of a /dev the config mounts as a tmpfs. */
static void populate_dev(int cfd)
{
	static const struct { const char *name; int major, minor; } nodes[] = {
		{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
		{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
	};
	static const struct { const char *target, *path; } links[] = {
		{ "/proc/self/fd", "/dev/fd" }, { "/proc/self/fd/0", "/dev/stdin" },
		{ "/proc/self/fd/1", "/dev/stdout" }, { "/proc/self/fd/2", "/dev/stderr" },
		{ "pts/ptmx", "/dev/ptmx" },
	};
	char path[32];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		snprintf(path, sizeof(path), "/dev/%s", nodes[i].name);
		if (!mknodat(cfd, path, S_IFCHR | 0666, makedev(nodes[i].major, nodes[i].minor)))
			continue;
		if (errno == EEXIST)
			continue;
		/* Without CAP_MKNOD over the host (a user namespace): the host's, bound. */
		rc = openat(cfd, path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
		if (rc < 0)
			die(errno, "cannot make %s in the container", path);
		close(rc);
		rc = cfd_bind(cfd, path, path, NULL);
		if (rc < 0)
			die(-rc, "cannot make %s in the container", path);
	}
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlinkat(links[i].target, cfd, links[i].path) && errno != EEXIST)
			die(errno, "cannot make %s in the container", links[i].path);
}

static void do_mounts(int cfd, const struct oci_spec *s, struct child_setup *cs)
{
	size_t i;
	int mfd, rc;

	for (i = 0; i < s->nr_mounts; i++) {
		const struct oci_mount *m = &s->mounts[i];
		const char *opts = *m->options ? m->options : NULL;

		if (!strcmp(m->type, "devpts")) {
			cs->mount_devpts = true;	/* by the process, inside */
			continue;
		}
		if (m->bind) {
			rc = cfd_bind(cfd, m->source, m->destination, opts);
		} else {
			mfd = cfd_fs_mount(cfd, m->type, opts);
			if (mfd < 0 && mfd == -EPERM && !strcmp(m->type, "sysfs"))
				/* A sysfs too revealing for the user namespace: the host's, read-only. */
				rc = cfd_bind(cfd, "/sys", m->destination, "ro,nosuid,nodev,noexec");
			else if (mfd < 0)
				rc = mfd;
			else
				rc = cfd_mount_at(cfd, mfd, m->destination);
			if (mfd >= 0)
				close(mfd);
		}
		if (rc < 0)
			die(-rc, "config.json: mounts[%zu]: %s on %s", i, m->type, m->destination);
		if (!strcmp(m->destination, "/dev") && !strcmp(m->type, "tmpfs"))
			populate_dev(cfd);
	}
}

/*
 * The root: a clone of root.path, read-only if asked before it goes in
 * (the mounts of a container's namespace are out of our reach), and the
 * mount points the config needs made while it is still writable.
 */
static void set_root(int cfd, const struct oci_spec *s)
{
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
	struct mount_attr nodev = { .attr_set = MOUNT_ATTR_NODEV };
	int mfd, err;
	size_t i;

	mfd = syscall(SYS_open_tree, AT_FDCWD, s->root,
		      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (mfd < 0)
		die(errno, "config.json: root.path: %s", s->root);
	/* No device node of the image opens: all of it (see oci_config.c). */
	if (s->deny_devices && syscall(SYS_mount_setattr, mfd, "", AT_EMPTY_PATH | AT_RECURSIVE,
				       &nodev, sizeof(nodev)))
		die(errno, "linux.resources.devices: cannot make the root nodev");
	if (s->root_readonly) {
		for (i = 0; i < s->nr_mounts; i++) {
			const struct oci_mount *m = &s->mounts[i];
			struct stat st;
			int fd;

			/* A file for a file, a directory for the rest. */
			if (m->bind && !stat(m->source, &st) && !S_ISDIR(st.st_mode)) {
				fd = openat(mfd, m->destination + 1, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
				if (fd >= 0)
					close(fd);
				else if (errno != ENOENT && errno != EISDIR)
					die(errno, "config.json: mounts[%zu]: %s", i, m->destination);
			} else if (mkdirat(mfd, m->destination + 1, 0755) && errno != EEXIST &&
				   errno != ENOENT) {
				die(errno, "config.json: mounts[%zu]: %s", i, m->destination);
			}
		}
		/* The root mount itself, as runc makes it read-only. */
		if (syscall(SYS_mount_setattr, mfd, "", AT_EMPTY_PATH, &ro, sizeof(ro)))
			die(errno, "config.json: root.readonly");
	}
	err = cfd_set_root(cfd, mfd);
	if (err < 0)
		die(-err, "config.json: root.path: %s", s->root);
	close(mfd);
}

/* The console socket protocol of runc: the pty's master, SCM_RIGHTS. */
static int oci_connect_console(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		die(ENAMETOOLONG, "--console-socket %s", path);
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)))
		die(errno, "--console-socket %s", path);
	return fd;
}

void oci_child_prepare(struct oci_child *c, const char *console,
		       int *console_sock, int *tty_parent)
{
	const struct oci_spec *spec = c->spec;
	int sv[2];

	c->cs.tty_sock = -1;
	c->cs.cwd = spec->cwd;
	c->cs.set_ids = true;
	c->cs.uid = spec->uid;
	c->cs.gid = spec->gid;
	c->cs.groups = spec->groups;
	c->cs.ngroups = spec->ngroups;
	c->cs.extra = oci_child_extra;
	c->cs.extra_arg = c;
	*console_sock = *tty_parent = -1;
	if (!console)
		return;
	*console_sock = oci_connect_console(console);
	/* The child passes the master to us; we pass it on. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		die(errno, "socketpair");
	*tty_parent = sv[0];
	c->cs.tty_sock = sv[1];
}

void oci_pass_console(const char *console, int console_sock, int tty_parent)
{
	int master = proc_receive_tty(tty_parent);
	int err;

	if (master < 0)
		die(-master, "the process's terminal did not arrive");
	err = proc_send_fd(console_sock, master);
	if (err)
		die(-err, "cannot send the terminal to --console-socket %s", console);
	close(master);
	close(console_sock);
	close(tty_parent);
}

static char *now_rfc3339(void)
{
	struct timespec ts;
	struct tm tm;
	char buf[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	return xasprintf("%s.%09ldZ", buf, ts.tv_nsec);
}

static void remove_state(const char *dir)
{
	char *p = xasprintf("%s/exec.fifo", dir);

	unlink(p);
	free(p);
	p = xasprintf("%s/state.json", dir);
	unlink(p);
	free(p);
	rmdir(dir);
}

static pid_t failed_owner;

/* A create that fails leaves nothing: no process, no state directory. */
static pid_t failed_pid;
static const char *failed_dir;

static void undo_create(void)
{
	if (getpid() != failed_owner)
		return;		/* the child, exiting */
	if (failed_pid > 0)
		kill(failed_pid, SIGKILL);
	if (failed_dir)
		remove_state(failed_dir);
}

int cmd_create(int argc, char **argv)
{
	enum { OPT_PID_FILE = 256, OPT_CONSOLE, OPT_PRESERVE, OPT_NO_PIVOT, OPT_NO_KEYRING };
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "pid-file", required_argument, NULL, OPT_PID_FILE },
		{ "console-socket", required_argument, NULL, OPT_CONSOLE },
		{ "preserve-fds", required_argument, NULL, OPT_PRESERVE },
		{ "no-pivot", no_argument, NULL, OPT_NO_PIVOT },
		{ "no-new-keyring", no_argument, NULL, OPT_NO_KEYRING },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bundle = ".", *pid_file = NULL, *console = NULL;
	struct oci_spec spec;
	struct oci_child child = { .spec = &spec, .fifo_fd = -1 };
	struct oci_state st = {};
	struct cfd_options o = {};
	struct id_map map = {};
	struct container_info info;
	int c, cfd, report[2], msg[2], pidfd = -1, tty_parent = -1, console_sock = -1, err;
	char *fifo;
	ssize_t n;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "+b:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			bundle = optarg;
			break;
		case OPT_PID_FILE:
			pid_file = optarg;
			break;
		case OPT_CONSOLE:
			console = optarg;
			break;
		case OPT_PRESERVE:
			child.preserve_fds = parse_u64(optarg, 0, 1000, "--preserve-fds");
			break;
		case OPT_NO_PIVOT:
		case OPT_NO_KEYRING:
			break;
		case 'h':
			print_usage(usage_text);
		default:
			errtryhelp();
		}
	}
	if (optind != argc - 1)
		usage_error("create: expected one container ID");
	oci_check_id(argv[optind]);
	oci_load_config(bundle, &spec);
	if (spec.terminal && !console)
		die(0, "config.json: process.terminal needs --console-socket");
	if (!spec.terminal && console)
		die(0, "--console-socket without process.terminal in config.json");
	check_kernel();

	/* The state directory first: it is what makes the ID taken. */
	if (mkdir(G.root, 0700) && errno != EEXIST)
		die(errno, "cannot make the state directory %s", G.root);
	st.id = xstrdup(argv[optind]);
	st.dir = oci_dir(st.id);
	if (mkdir(st.dir, 0700))
		die(errno == EEXIST ? 0 : errno, "container %s%s", st.id,
		    errno == EEXIST ? " exists already" : "");
	failed_owner = getpid();
	failed_dir = st.dir;
	atexit(undo_create);
	st.bundle = spec.bundle;
	st.created = now_rfc3339();
	st.annotations = spec.annotations;
	oci_state_save(&st);
	fifo = xasprintf("%s/exec.fifo", st.dir);
	if (mkfifo(fifo, 0600))
		goto fail_errno;
	/* Read-write: the process's read blocks until start writes, not until it opens. */
	child.fifo_fd = open(fifo, O_RDWR | O_CLOEXEC);
	if (child.fifo_fd < 0)
		goto fail_errno;

	o.flags = spec.ns_flags;
	cfd = cfd_create(&o, sizeof(o));
	if (cfd < 0) {
		errno = -cfd;
		goto fail_errno;
	}
	map.uid_map = spec.uid_map;
	map.gid_map = spec.gid_map;
	if (spec.ns_flags & CONTAINER_NEW_USER_NS) {
		if (!map.uid_map && !map.gid_map)
			die(0, "config.json: linux.uidMappings: a user namespace needs mappings");
		id_map_write(cfd, &map);
	}
	set_root(cfd, &spec);
	do_mounts(cfd, &spec, &child.cs);
	for (size_t i = 0; i < spec.masked_paths.n; i++)
		mask_path(cfd, spec.masked_paths.v[i]);
	if (spec.ns_flags & CONTAINER_NEW_NET_NS)
		loopback_up(cfd);

	child.cs.hostname = spec.hostname;
	oci_child_prepare(&child, console, &console_sock, &tty_parent);
	if (pipe2(report, O_CLOEXEC))
		die(errno, "pipe");
	child.report = report[1];

	pid = cfd_fork(cfd, &pidfd);
	if (pid < 0)
		die(-pid, "cannot start the container's process");
	failed_pid = pid;
	if (pid == 0) {
		close(report[0]);
		oci_child_main(&child);
	}
	close(report[1]);
	close(child.fifo_fd);
	if (child.cs.tty_sock >= 0)
		close(child.cs.tty_sock);
	do {
		n = read(report[0], msg, sizeof(msg));
	} while (n < 0 && errno == EINTR);
	if (n == sizeof(msg)) {
		waitpid(pid, NULL, 0);
		exit(msg[1] == ENOENT && msg[0] == 2 ? EXIT_NOT_FOUND : EXIT_TOOL);
	}
	if (console)
		oci_pass_console(console, console_sock, tty_parent);
	if (spec.have_oom_score_adj) {
		char path[64], val[16];

		snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid);
		snprintf(val, sizeof(val), "%d", spec.oom_score_adj);
		err = write_file_at(AT_FDCWD, path, val);
		if (err)
			die(-err, "config.json: process.oomScoreAdj");
	}
	err = cfd_get_info(cfd, &info, sizeof(info));
	if (err)
		die(-err, "cannot read the new container's ID");
	st.pid = pid;
	st.pid_start = proc_start_time(pid);
	st.container_id = info.id;
	oci_state_save(&st);
	if (pid_file)
		proc_write_pid_file(pid_file, pid);
	/* Done: the container stays. */
	failed_pid = 0;
	failed_dir = NULL;
	log_debug("created %s: container %llu, process %d", st.id,
		  (unsigned long long)info.id, pid);
	return 0;

fail_errno:
	die(errno, "cannot create container %s", st.id);
}
