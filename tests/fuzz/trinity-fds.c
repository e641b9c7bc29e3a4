// SPDX-License-Identifier: GPL-2.0
/*
 * trinity-fds: run trinity with container fds to fuzz.
 *
 *   trinity-fds [-t SECONDS] [-u UID] VICTIM_DIR -- trinity ARGS...
 *
 * As root, makes two containers owned by the initial user namespace (so
 * that trinity, unprivileged, meets the permission checks), then drops to
 * UID (default 65534) and makes, as that user, containers it owns
 * (CONTAINER_NEW_USER_NS): created, live, dead, nested, empty, empty with
 * a root, kill-on-close; pidfds of their members, a container fd got back
 * through PIDFD_GET_CONTAINER, nsfs fds, a container's fs context and
 * socket.  Each fd stays open across the exec of trinity, with a marker
 * file "cfd-<what>-<fd>" in VICTIM_DIR; trinity-shim.so, preloaded, turns
 * trinity's open() of a marker into a dup of that fd, so that trinity's
 * fd provider holds them.
 *
 * After SECONDS, trinity gets SIGINT (it prints its --stats then), and
 * SIGKILL 60 s later if it still runs.  When trinity crashes of SIGSEGV
 * (its own startup bug, see trinity-shim.c), it is started again, up to
 * five times.  Meanwhile the holder counts the
 * container fds trinity's main process holds, and fails when it never
 * held one.  Exit status: trinity's, or 1 when the fds never reached it.
 */
#include <dirent.h>
#include <getopt.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "fuzz.h"

struct fz_shared *fz_sh;

struct held {
	char what[40];
	int fd;
};

static struct held held[64];
static unsigned int nr_held;

static void hold(const char *what, int fd)
{
	if (fd < 0) {
		fprintf(stderr, "trinity-fds: no %s: %s\n", what, strerror(-fd));
		return;
	}
	if (nr_held == sizeof(held) / sizeof(held[0])) {
		close(fd);
		return;
	}
	snprintf(held[nr_held].what, sizeof(held[nr_held].what), "%s", what);
	held[nr_held++].fd = fd;
}

static int fd_or_errno(int fd)
{
	return fd < 0 ? -errno : fd;
}

/* A live container: @flags, a sleeper forked in. */
static int live(uint64_t flags)
{
	int cfd = fz_create(flags, "trinity");

	if (cfd >= 0 && fz_make_live(cfd)) {
		close(cfd);
		return -ESRCH;
	}
	return cfd;
}

static void make_root_objects(void)
{
	hold("root-container", fz_create(CONTAINER_NEW_UTS_NS, "trinity-root"));
	hold("root-container-live", live(CONTAINER_NEW_PID_NS | CONTAINER_NEW_NET_NS));
}

static void make_user_objects(void)
{
	const uint64_t user = CONTAINER_NEW_USER_NS;
	struct container_socket cs = { .family = AF_UNIX, .type = SOCK_DGRAM };
	struct container_fsopen fo = { .fs_name = (uintptr_t)"tmpfs" };
	static const struct { const char *what; unsigned long type; } ns[] = {
		{ "nsfs-mnt", CLONE_NEWNS }, { "nsfs-net", CLONE_NEWNET },
		{ "nsfs-user", CLONE_NEWUSER }, { "nsfs-pid", CLONE_NEWPID },
	};
	int cfd, pidfd, all;

	all = live(user | CONTAINER_NEW_PID_NS | CONTAINER_NEW_FS_NS |
		   CONTAINER_NEW_NET_NS | CONTAINER_NEW_UTS_NS |
		   CONTAINER_NEW_IPC_NS | CONTAINER_NEW_CGROUP_NS |
		   CONTAINER_NEW_TIME_NS);
	hold("container-live", all);
	hold("container-created", fz_create(user | CONTAINER_NEW_UTS_NS, "trinity"));
	hold("container-live-shared-mnt", live(user | CONTAINER_NEW_PID_NS));
	hold("container-kill-on-close", live(user | CONTAINER_NEW_PID_NS |
					     CONTAINER_KILL_ON_CLOSE));
	hold("container-dead", fz_make_dead(user | CONTAINER_NEW_PID_NS));
	hold("container-empty", fz_create(user | CONTAINER_NEW_EMPTY_FS_NS, NULL));
	cfd = fz_create(user | CONTAINER_NEW_EMPTY_FS_NS, NULL);
	if (cfd >= 0 && fz_give_root(cfd))
		fprintf(stderr, "trinity-fds: an empty container stays without a root\n");
	hold("container-empty-rooted", cfd);
	if (all < 0)
		return;
	/* Our uid has no mapping in its user ns: no user ns below it. */
	hold("container-nested", fz_make_nested(all, CONTAINER_NEW_UTS_NS, false));
	hold("container-nested-live", fz_make_nested(all, CONTAINER_NEW_PID_NS, true));
	pidfd = fd_or_errno(sys_pidfd_open(fz_newest_sleeper(), 0));
	hold("pidfd-member", pidfd);
	if (pidfd >= 0)
		hold("container-from-pidfd",
		     fd_or_errno(ioctl(pidfd, PIDFD_GET_CONTAINER, 0)));
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		hold(ns[i].what, fd_or_errno(ioctl(all, CONTAINER_IOC_GET_NS, ns[i].type)));
	hold("fscontext", fd_or_errno(ioctl(all, CONTAINER_IOC_FSOPEN, &fo)));
	hold("socket", fd_or_errno(ioctl(all, CONTAINER_IOC_SOCKET, &cs)));
}

/* Keep the fds across exec; a marker each, and some plain files. */
static int leave_markers(int dir)
{
	char name[80];
	int fd;

	for (unsigned int i = 0; i < nr_held; i++) {
		if (fcntl(held[i].fd, F_SETFD, 0))
			return -1;
		snprintf(name, sizeof(name), "cfd-%.39s-%d", held[i].what, held[i].fd);
		fd = openat(dir, name, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
		if (fd < 0)
			return -1;
		close(fd);
	}
	if (mkdirat(dir, "dir", 0755))
		return -1;
	fd = openat(dir, "dir/file", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* How many container fds @pid holds now. */
static unsigned int containers_held_by(pid_t pid)
{
	char path[64], link[64];
	unsigned int n = 0;
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		ssize_t len = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);

		if (len > 0) {
			link[len] = 0;
			n += !strcmp(link, "anon_inode:[container]");
		}
	}
	closedir(d);
	return n;
}

static pid_t start(char **cmd)
{
	pid_t pid = fork();

	if (pid == 0) {
		execvp(cmd[0], cmd);
		perror("trinity-fds: exec");
		_exit(127);
	}
	if (pid < 0)
		perror("trinity-fds: fork");
	return pid;
}

/*
 * Wait for trinity, counting the container fds it holds; SIGINT at the
 * deadline, SIGKILL a minute later.  Returns its wait status.
 */
static int run_until(pid_t pid, uint64_t deadline, unsigned int *most)
{
	uint64_t interrupted = 0;
	int status;

	while (waitpid(pid, &status, WNOHANG) != pid) {
		unsigned int n = containers_held_by(pid);

		if (n > *most)
			*most = n;
		if (!interrupted && fz_now_ns() > deadline) {
			kill(pid, SIGINT);
			interrupted = fz_now_ns();
		} else if (interrupted && fz_now_ns() - interrupted > 60000000000ULL) {
			fprintf(stderr, "trinity-fds: trinity ignored SIGINT for 60 s: killed\n");
			kill(pid, SIGKILL);
			interrupted = ~0ULL / 2;
		}
		usleep(200 * 1000);
	}
	return status;
}

static int drop_privileges(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
		return -1;
	return prctl(PR_SET_DUMPABLE, 1);
}

int main(int argc, char **argv)
{
	unsigned long seconds = 60;
	unsigned int most = 0, given = 0, restarts = 0;
	uid_t uid = 65534;
	uint64_t deadline;
	int opt, dir, life[2], status, cmd;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+t:u:")) != -1) {
		switch (opt) {
		case 't': seconds = strtoul(optarg, NULL, 0); break;
		case 'u': uid = strtoul(optarg, NULL, 0); break;
		default: goto usage;
		}
	}
	cmd = optind + 1;
	if (cmd < argc && !strcmp(argv[cmd], "--"))
		cmd++;
	if (cmd >= argc)
		goto usage;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access("/proc/containers", F_OK)) {
		printf("trinity-fds: SKIP: this kernel has no container objects\n");
		return 77;
	}
	fz_sh = mmap(NULL, sizeof(*fz_sh), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	dir = open(argv[optind], O_DIRECTORY | O_CLOEXEC);
	/*
	 * Sleepers exit when the holder's end of this pipe closes (objects.c).
	 * Up high first: pipe2() may return the very numbers it must go to.
	 */
	if (fz_sh == MAP_FAILED || dir < 0 || pipe2(life, O_CLOEXEC) ||
	    (life[0] = fcntl(life[0], F_DUPFD_CLOEXEC, 100)) < 0 ||
	    (life[1] = fcntl(life[1], F_DUPFD_CLOEXEC, 100)) < 0 ||
	    dup3(life[0], FZ_FD_LIFELINE_R, O_CLOEXEC) < 0 ||
	    dup3(life[1], FZ_FD_LIFELINE_W, O_CLOEXEC) < 0) {
		perror("trinity-fds: setting up");
		return 1;
	}
	close(life[0]);
	close(life[1]);
	signal(SIGCHLD, SIG_DFL);

	if (geteuid() == 0)
		make_root_objects();
	if (geteuid() == 0 && drop_privileges(uid)) {
		perror("trinity-fds: dropping privileges");
		return 1;
	}
	make_user_objects();
	if (leave_markers(dir)) {
		perror("trinity-fds: markers");
		return 1;
	}
	for (unsigned int i = 0; i < nr_held; i++)
		printf("trinity-fds: fd %d: %s\n", held[i].fd, held[i].what);

	deadline = fz_now_ns() + seconds * 1000000000ULL;
	do {
		pid = start(argv + cmd);
		if (pid < 0)
			return 1;
		status = run_until(pid, deadline, &most);
		/* trinity's own startup crash (trinity-shim.c): start it again. */
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV &&
		    fz_now_ns() < deadline && restarts < 5) {
			printf("trinity-fds: trinity crashed (SIGSEGV): starting it again\n");
			restarts++;
			continue;
		}
		break;
	} while (1);
	fz_sleepers_kill();
	for (unsigned int i = 0; i < nr_held; i++)
		given += !strncmp(held[i].what, "container", 9) ||
			 !strncmp(held[i].what, "root-container", 14);
	printf("trinity-fds: %u container fds offered; trinity's main process held up to %u at once\n",
	       given, most);
	if (!most) {
		printf("trinity-fds: FAIL: the container fds never reached trinity\n");
		return 1;
	}
	if (WIFSIGNALED(status)) {
		printf("trinity-fds: trinity killed by %s\n", strsignal(WTERMSIG(status)));
		return 1;
	}
	return WEXITSTATUS(status);
usage:
	fprintf(stderr, "usage: trinity-fds [-t SECONDS] [-u UID] VICTIM_DIR -- TRINITY ARGS...\n");
	return 2;
}
