// SPDX-License-Identifier: GPL-2.0
/*
 * cfd-fuzz: fuzz the containerfd interface for a bounded time.
 *
 *   cfd-fuzz [-t SECONDS] [-r N] [-u N] [-n N] [-c N] [-j THREADS] [-s SEED]
 *            [-m MIB] [-o CALL,CALL...] [-F crash]
 *
 * -r, -u, -n, -c: how many workers of each kind (root, unprivileged, root
 * of their own user namespace, in containers); -j: threads per worker;
 * -m: the memory limit of the whole run; -o: make only these calls;
 * -F crash: worker 0 faults once its pool is full, to show that the
 * driver notices (tests/fuzz/run-stages checks it does).
 *
 * The driver sets up the sandbox (sandbox.c), forks the workers (root,
 * unprivileged, root of their own user namespace, inside containers),
 * keeps the in-container ones going when their container is killed,
 * unmounts what piles up, stops everyone at the deadline, and prints
 * per call the number made, the successes and the errnos seen.
 *
 * Exit status: 0 when the run was clean; 1 when a worker crashed or got
 * stuck in a call, the harness failed, or the run never reached parts of
 * the interface it must reach (see coverage_ok()); 77 when the kernel
 * has no container objects; 2 on bad usage.  Kernel splats are the VM
 * runner's to catch (tests/vm/run).
 */
#include <dirent.h>
#include <getopt.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

#include "fuzz.h"

struct fz_shared *fz_sh;
struct fz_call fz_calls[FZ_MAX_CALLS];
unsigned int fz_ncalls;
unsigned int fz_weight_sum[FZ_MAX_CALLS];

const char *const fz_worker_kind_names[FZ_W_NR] = {
	[FZ_W_ROOT] = "root",
	[FZ_W_UNPRIV] = "unprivileged",
	[FZ_W_USERNS] = "own user ns",
	[FZ_W_CONTAINER] = "in a container",
};

/* The in-container workers' containers: the driver holds their fds. */
#define INCONTAINER_FLAGS						\
	(CONTAINER_NEW_FS_NS | CONTAINER_NEW_PID_NS | CONTAINER_NEW_UTS_NS | \
	 CONTAINER_NEW_IPC_NS | CONTAINER_NEW_NET_NS | CONTAINER_NEW_CGROUP_NS | \
	 CONTAINER_NEW_TIME_NS)

static struct {
	enum fz_worker_kind kind;
	int cfd;		/* its container, for FZ_W_CONTAINER */
	bool alive;
	unsigned int spawned, expected_deaths;
} workers[FZ_MAX_WORKERS];
static unsigned int nr_workers;

static struct fz_sandbox sb;
static unsigned int failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("cfd-fuzz: FAIL: ");
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	failures++;
}

static void add_table(const struct fz_call *calls, unsigned int n)
{
	for (unsigned int i = 0; i < n && fz_ncalls < FZ_MAX_CALLS; i++) {
		fz_calls[fz_ncalls] = calls[i];
		fz_weight_sum[fz_ncalls] = calls[i].weight +
			(fz_ncalls ? fz_weight_sum[fz_ncalls - 1] : 0);
		fz_ncalls++;
	}
}

/* All the tables; with @only (a comma-separated list), only those calls. */
static int build_call_table(const char *only)
{
	char list[1024];

	add_table(fz_create_calls, fz_nr_create_calls);
	add_table(fz_clone_calls, fz_nr_clone_calls);
	add_table(fz_ioctl_calls, fz_nr_ioctl_calls);
	add_table(fz_mount_calls, fz_nr_mount_calls);
	add_table(fz_at_calls, fz_nr_at_calls);
	if (!only)
		return 0;
	snprintf(list, sizeof(list), ",%s,", only);
	for (unsigned int i = 0; i < fz_ncalls; i++) {
		char name[64];

		snprintf(name, sizeof(name), ",%s,", fz_calls[i].name);
		if (!strstr(list, name))
			fz_calls[i].weight = 0;
		fz_weight_sum[i] = fz_calls[i].weight + (i ? fz_weight_sum[i - 1] : 0);
	}
	return fz_weight_sum[fz_ncalls - 1] ? 0 : -1;
}

static int write_proc(int pid, const char *file, const char *text)
{
	char path[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%d/%s", pid, file);
	fd = openat(sb.proc, path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Map a worker's new user namespace: "u" from the worker, or its container's. */
static int map_user_ns(int pid, bool own)
{
	const char *map = own ? "0 65534 1" : "0 0 65536";

	if (own && write_proc(pid, "setgroups", "deny"))
		return -1;
	if (write_proc(pid, "uid_map", map) || write_proc(pid, "gid_map", map))
		return -1;
	return 0;
}

static int spawn_worker(unsigned int i)
{
	struct cfd_clone_args args = { .exit_signal = SIGCHLD };
	uint64_t cflags = INCONTAINER_FLAGS;
	int sv[2] = { -1, -1 };
	char c;
	long pid;

	if (workers[i].kind == FZ_W_CONTAINER) {
		/* Half of them also get a user namespace of their own. */
		if (i % 2)
			cflags |= CONTAINER_NEW_USER_NS;
		workers[i].cfd = fz_create(cflags, "fuzz-worker");
		if (workers[i].cfd < 0) {
			fail("worker %u: container_create: %s", i, strerror(-workers[i].cfd));
			return -1;
		}
		workers[i].cfd = fcntl(workers[i].cfd, F_DUPFD_CLOEXEC, 200);
		args.flags |= CLONE_INTO_CONTAINER;
		args.container = workers[i].cfd;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	sv[0] = fcntl(sv[0], F_DUPFD_CLOEXEC, 200);
	sv[1] = fcntl(sv[1], F_DUPFD_CLOEXEC, 200);
	if (sb.have_cgroup) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = sb.cg_work;
	}
	fflush(NULL);
	pid = sys_clone3(&args, sizeof(args));
	if (pid == 0) {
		/* Nothing of the driver's above the pool but the handshake. */
		int keep = fcntl(sv[1], F_DUPFD_CLOEXEC, FZ_FD_TRANSIENT);

		sys_close_range(FZ_FD_TRANSIENT, keep - 1, 0);
		sys_close_range(keep + 1, ~0U, 0);
		fz_worker_main(workers[i].kind, i, keep);
	}
	close(sv[1]);
	if (pid < 0) {
		fail("worker %u (%s): clone3: %m", i, fz_worker_kind_names[workers[i].kind]);
		close(sv[0]);
		return -1;
	}
	fz_sh->workers[i].pid = pid;
	fz_sh->workers[i].kind = workers[i].kind;
	workers[i].alive = true;
	workers[i].spawned++;
	if (read(sv[0], &c, 1) == 1) {
		bool own = c == 'u';
		bool in_container = workers[i].kind == FZ_W_CONTAINER &&
				    (cflags & CONTAINER_NEW_USER_NS);

		if ((own || in_container) && map_user_ns(pid, own))
			fprintf(stderr, "cfd-fuzz: worker %u: mapping its user ns: %m\n", i);
		c = 'g';
		(void)!write(sv[0], &c, 1);
	}
	close(sv[0]);
	return 0;
}

static int worker_of(pid_t pid)
{
	for (unsigned int i = 0; i < nr_workers; i++)
		if (workers[i].alive && fz_sh->workers[i].pid == pid)
			return i;
	return -1;
}

static bool container_dead(int cfd)
{
	struct container_info info = { 0 };

	return ioctl(cfd, CONTAINER_IOC_GET_INFO, &info) == 0 &&
	       info.state == CONTAINER_STATE_DEAD;
}

static bool is_fault(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
	       sig == SIGABRT || sig == SIGSYS || sig == SIGTRAP || sig == SIGQUIT;
}

/* A worker ended: was that expected, and should it come back? */
static void worker_ended(unsigned int i, int status, bool stopping)
{
	const char *kind = fz_worker_kind_names[workers[i].kind];

	workers[i].alive = false;
	fz_sh->workers[i].pid = 0;
	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status))
			fail("worker %u (%s) exited %d", i, kind, WEXITSTATUS(status));
		else if (!stopping)
			fail("worker %u (%s) exited before the deadline", i, kind);
	} else if (is_fault(WTERMSIG(status))) {
		fail("worker %u (%s) crashed: %s", i, kind, strsignal(WTERMSIG(status)));
	} else if (stopping) {
		/* Killed by us: stuck ones were reported by stop_all(). */
	} else if (workers[i].kind == FZ_W_CONTAINER && container_dead(workers[i].cfd)) {
		/* Killed through its container (CONTAINER_IOC_KILL): expected. */
		workers[i].expected_deaths++;
		close(workers[i].cfd);
		if (fz_now_ns() + 5000000000ULL < fz_sh->deadline)
			spawn_worker(i);
	} else {
		fail("worker %u (%s) killed by %s%s", i, kind, strsignal(WTERMSIG(status)),
		     fz_sandbox_oom_killed(&sb) ? " (the memory cgroup OOM-killed)" : "");
	}
}

static void reap(bool stopping)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, __WALL | WNOHANG)) > 0) {
		int i = worker_of(pid);

		if (i >= 0)
			worker_ended(i, status, stopping);
		/* Anything else: CLONE_PARENT children and orphans, ours to reap. */
	}
}

static bool any_alive(void)
{
	for (unsigned int i = 0; i < nr_workers; i++)
		if (workers[i].alive)
			return true;
	return false;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Print /proc/@path (relative to the driver's procfs), indented. */
static void show_proc_file(const char *what, const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd;

	fd = openat(sb.proc, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		buf[n] = 0;
		printf("  %s:\n%s", what, buf);
	}
}

/* The state letter of process or thread @path ("N" or "N/task/T"). */
static char proc_state(const char *path, pid_t *ppid)
{
	char file[96], buf[512], *p;
	ssize_t n;
	char state = '?';
	int fd;

	snprintf(file, sizeof(file), "%s/stat", path);
	fd = openat(sb.proc, file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return state;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return state;
	buf[n] = 0;
	/* After the command's closing parenthesis: state, then ppid. */
	p = strrchr(buf, ')');
	if (p && sscanf(p + 1, " %c %d", &state, ppid) != 2)
		state = '?';
	return state;
}

/*
 * What a stuck worker is doing: the kernel stack of each of its threads,
 * and the state and stack of each child it has (a vfork() child it waits
 * for, stopped or not).
 */
static void show_stacks(pid_t pid)
{
	char path[96], what[128];
	struct dirent *d;
	pid_t ppid = 0;
	DIR *dir;
	int fd;

	snprintf(path, sizeof(path), "%d/task", pid);
	fd = openat(sb.proc, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dir = fd < 0 ? NULL : fdopendir(fd);
	while (dir && (d = readdir(dir))) {
		int tid = atoi(d->d_name);

		if (tid <= 0)
			continue;
		snprintf(path, sizeof(path), "%d/task/%d", pid, tid);
		snprintf(what, sizeof(what), "thread %d (%c)", tid, proc_state(path, &ppid));
		strncat(path, "/stack", sizeof(path) - strlen(path) - 1);
		show_proc_file(what, path);
	}
	if (dir)
		closedir(dir);
	fd = openat(sb.proc, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dir = fd < 0 ? NULL : fdopendir(fd);
	while (dir && (d = readdir(dir))) {
		int child = atoi(d->d_name);
		char state;

		if (child <= 0)
			continue;
		snprintf(path, sizeof(path), "%d", child);
		ppid = 0;
		state = proc_state(path, &ppid);
		if (ppid != pid)
			continue;
		snprintf(what, sizeof(what), "child %d (%c)", child, state);
		snprintf(path, sizeof(path), "%d/stack", child);
		show_proc_file(what, path);
	}
	if (dir)
		closedir(dir);
}

/*
 * Continue a worker a SIGSTOP may have stopped.  In a container, all its
 * members too: a worker in vfork() (child.c) waits for a child that the
 * same CONTAINER_IOC_KILL stopped, and only the child's SIGCONT frees it.
 */
static void wake_worker(unsigned int i)
{
	if (workers[i].kind == FZ_W_CONTAINER)
		ioctl(workers[i].cfd, CONTAINER_IOC_KILL, SIGCONT);
	kill(fz_sh->workers[i].pid, SIGCONT);
}

/* Stop everyone: wait for the workers to finish their calls, then kill. */
static void stop_all(void)
{
	uint64_t start = fz_now_ns();

	atomic_store(&fz_sh->stop, 1);
	while (any_alive() && fz_now_ns() - start < 60000000000ULL) {
		for (unsigned int i = 0; i < nr_workers; i++)
			if (workers[i].alive)
				wake_worker(i);
		reap(true);
		sleep_ms(50);
	}
	for (unsigned int i = 0; i < nr_workers; i++) {
		struct fz_worker_slot *w = &fz_sh->workers[i];

		if (!workers[i].alive)
			continue;
		for (unsigned int t = 0; t < fz_sh->threads; t++)
			if (w->current[t] >= 0)
				fail("worker %u (%s) stuck in %s for %.0f s", i,
				     fz_worker_kind_names[workers[i].kind],
				     fz_calls[w->current[t]].name,
				     (fz_now_ns() - w->stamp[t]) / 1e9);
		show_stacks(w->pid);
		kill(w->pid, SIGKILL);
	}
	if (fz_sandbox_kill_workers(&sb) && sb.have_cgroup)
		fail("processes left in the workers' cgroup after cgroup.kill");
	start = fz_now_ns();
	while (any_alive() && fz_now_ns() - start < 10000000000ULL) {
		reap(true);
		sleep_ms(20);
	}
	while (waitpid(-1, NULL, __WALL | WNOHANG) > 0)
		;
}

/*
 * A run that never made a container of some kind, or never got one of
 * these calls through, did not fuzz what it claims to: fail it.
 */
static void check_coverage(bool only_some)
{
	static const char *const must_succeed[] = {
		"container_create", "clone3_into", "ioc_get_info", "ioc_get_ns",
		"pidfd_get_container", "openat", "move_mount", "fsconfig",
	};

	for (int k = FZ_K_CONTAINER; k <= FZ_K_CONTAINER_FOREIGN; k++)
		if (!fz_sh->made[k] && !only_some)
			fail("no %s ever entered a pool", fz_kind_names[k]);
	for (size_t j = 0; j < sizeof(must_succeed) / sizeof(must_succeed[0]); j++)
		for (unsigned int i = 0; i < fz_ncalls; i++)
			if (!strcmp(fz_calls[i].name, must_succeed[j]) &&
			    fz_calls[i].weight && !fz_sh->calls[i].ok)
				fail("%s never succeeded", must_succeed[j]);
}

static void report(double seconds)
{
	printf("\n");
	fz_print_table(stdout, fz_calls, fz_ncalls, seconds);
	printf("\npool objects made:");
	for (int k = FZ_K_CONTAINER; k < FZ_K_NR; k++)
		printf("%s %s %" PRIu64, k == FZ_K_CONTAINER ? "" : ",",
		       fz_kind_names[k], (uint64_t)fz_sh->made[k]);
	printf("\ncalls per worker:");
	for (unsigned int i = 0; i < nr_workers; i++)
		printf("%s %u (%s) %" PRIu64, i ? "," : "", i,
		       fz_worker_kind_names[workers[i].kind],
		       (uint64_t)fz_sh->workers[i].calls);
	for (unsigned int i = 0; i < nr_workers; i++)
		if (workers[i].expected_deaths)
			printf("\nworker %u (%s): killed through its container %u times, restarted",
			       i, fz_worker_kind_names[workers[i].kind], workers[i].expected_deaths);
	printf("\ncalls not made (guarded: see calls_at.c, calls_mount.c): %" PRIu64
	       "\ntime spent making pool objects: %.1f s (all threads)"
	       "\nmounts the driver took off the root: %" PRIu64
	       "\nfuzz children killed for not exiting at once: %" PRIu64 "\n",
	       (uint64_t)fz_sh->guarded, fz_sh->churn_ns / 1e9, sb.root_unmounts,
	       (uint64_t)fz_sh->children_killed);
}

/* Put @fd at @target (closing what was there), close-on-exec; -1 on error. */
static int move_fd(int fd, int target)
{
	if (fd < 0)
		return -1;
	if (fd == target)
		return fcntl(fd, F_SETFD, FD_CLOEXEC);
	if (dup3(fd, target, O_CLOEXEC) < 0)
		return -1;
	close(fd);
	return 0;
}

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: cfd-fuzz [-t SECONDS] [-r ROOT] [-u UNPRIV] [-n USERNS] [-c IN_CONTAINER]\n"
		"                [-j THREADS] [-s SEED] [-m MEMORY_MIB] [-o CALL,CALL...] [-F crash]\n");
	exit(status);
}

/* The fds every worker inherits at fixed numbers (fuzz.h). */
static int set_up_inherited_fds(void)
{
	static const char *const ns_names[FZ_NR_NSFS] = {
		"mnt", "uts", "ipc", "user", "pid", "net", "cgroup", "time",
	};
	int sv[2];

	for (int i = 0; i < FZ_NR_NSFS; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_names[i]);
		if (move_fd(open(path, O_RDONLY | O_CLOEXEC), FZ_FD_NSFS + i)) {
			fprintf(stderr, "cfd-fuzz: %s: %m\n", path);
			return -1;
		}
	}
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) ||
	    move_fd(sv[0], FZ_FD_MAILBOX_TX) || move_fd(sv[1], FZ_FD_MAILBOX_RX)) {
		perror("cfd-fuzz: mailbox");
		return -1;
	}
	return 0;
}

/* Once in the sandbox: stdin and the placeholders are a scratch file. */
static int replace_stdin(void)
{
	if (move_fd(open("/null", O_RDWR | O_CLOEXEC), 0)) {
		perror("cfd-fuzz: /null");
		return -1;
	}
	for (int n = FZ_FD_LIFELINE_R; n <= FZ_FD_LIFELINE_W; n++)
		dup3(0, n, O_CLOEXEC);
	return 0;
}

/* The OOM killer takes a worker, never the driver that reports it. */
static void protect_driver(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		(void)!write(fd, "-1000", 5);
		close(fd);
	}
}

/*
 * Until the deadline (or the first failure): reap and restart workers,
 * wake stopped ones, tidy the scratch mounts, print progress.  Returns
 * the seconds the run lasted.
 */
static double supervise(uint64_t start)
{
	uint64_t last_tidy = start, last_note = start, now;

	while ((now = fz_now_ns()) < fz_sh->deadline && !failures) {
		sleep_ms(200);
		/*
		 * The deadline may have passed while we slept: workers that
		 * saw it have exited, as they should.
		 */
		reap(fz_now_ns() >= fz_sh->deadline);
		now = fz_now_ns();
		/* A container kill may have stopped one. */
		for (unsigned int i = 0; i < nr_workers; i++)
			if (workers[i].alive)
				wake_worker(i);
		if (now - last_tidy > 2000000000ULL) {
			if (fz_sandbox_tidy(&sb))
				fail("the scratch root is no longer mounted: the sandbox broke");
			last_tidy = now;
		}
		if (now - last_note > 30000000000ULL) {
			uint64_t total = fz_total_calls(fz_ncalls);

			printf("cfd-fuzz: %.0f s: %" PRIu64 " calls (%.0f/s), %ld MiB, %d mounts\n",
			       (now - start) / 1e9, total, total / ((now - start) / 1e9),
			       fz_sandbox_memory_mib(&sb), fz_sandbox_mounts(&sb));
			last_note = now;
		}
	}
	return ((now < fz_sh->deadline ? now : fz_sh->deadline) - start) / 1e9;
}

static void note_startup(uint64_t start)
{
	uint64_t last_ready = 0;

	for (unsigned int i = 0; i < nr_workers; i++)
		if (fz_sh->workers[i].ready > last_ready)
			last_ready = fz_sh->workers[i].ready;
	printf("cfd-fuzz: workers ready after %.1f s (the last one to fill its pool)\n",
	       last_ready ? (last_ready - start) / 1e9 : 0.0);
}

int main(int argc, char **argv)
{
	unsigned int counts[FZ_W_NR] = { [FZ_W_ROOT] = 2, [FZ_W_UNPRIV] = 1,
					 [FZ_W_USERNS] = 1, [FZ_W_CONTAINER] = 2 };
	unsigned long seconds = 60, threads = 2, mem_mib = 768;
	uint64_t seed = fz_now_ns() ^ getpid(), start;
	const char *only = NULL;
	bool crash_test = false;
	double ran;
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "t:r:u:n:c:j:s:m:o:F:h")) != -1) {
		switch (opt) {
		case 't': seconds = strtoul(optarg, NULL, 0); break;
		case 'r': counts[FZ_W_ROOT] = atoi(optarg); break;
		case 'u': counts[FZ_W_UNPRIV] = atoi(optarg); break;
		case 'n': counts[FZ_W_USERNS] = atoi(optarg); break;
		case 'c': counts[FZ_W_CONTAINER] = atoi(optarg); break;
		case 'j': threads = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'm': mem_mib = strtoul(optarg, NULL, 0); break;
		case 'o': only = optarg; break;
		case 'F':
			if (strcmp(optarg, "crash"))
				usage(2);
			crash_test = true;
			break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (optind != argc || !threads || threads > FZ_MAX_THREADS || !seconds)
		usage(2);
	for (int k = 0; k < FZ_W_NR; k++) {
		if (counts[k] > FZ_MAX_WORKERS - nr_workers)
			usage(2);
		for (unsigned int j = 0; j < counts[k]; j++)
			workers[nr_workers++].kind = k;
	}
	if (geteuid() != 0) {
		printf("cfd-fuzz: SKIP: needs root (it drops privileges in some workers itself)\n");
		return 77;
	}
	/* Never probe syscall 463: it is setxattrat on Linux 6.13 and later. */
	if (access("/proc/containers", F_OK)) {
		printf("cfd-fuzz: SKIP: this kernel has no container objects (no /proc/containers)\n");
		return 77;
	}
	if (build_call_table(only)) {
		fprintf(stderr, "cfd-fuzz: -o %s: no such call\n", only);
		return 2;
	}

	fz_sh = mmap(NULL, sizeof(*fz_sh), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fz_sh == MAP_FAILED) {
		perror("cfd-fuzz: mmap");
		return 1;
	}
	fz_sh->seed = seed;
	fz_sh->threads = threads;
	fz_sh->crash_test = crash_test;
	fz_args_init();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	protect_driver();
	if (set_up_inherited_fds() || fz_sandbox_enter(&sb, mem_mib << 20, 512) ||
	    replace_stdin())
		return 1;

	printf("cfd-fuzz: %lu s, seed %#" PRIx64 ", %u calls; workers: %u root, %u unprivileged, "
	       "%u in their own user ns, %u in containers; %lu threads each\n",
	       seconds, seed, fz_ncalls, counts[FZ_W_ROOT], counts[FZ_W_UNPRIV],
	       counts[FZ_W_USERNS], counts[FZ_W_CONTAINER], threads);
	start = fz_now_ns();
	fz_sh->deadline = start + seconds * 1000000000ULL;
	for (unsigned int i = 0; i < nr_workers; i++)
		spawn_worker(i);
	ran = supervise(start);
	note_startup(start);
	stop_all();
	printf("cfd-fuzz: stopped %.1f s after the deadline\n",
	       ((int64_t)fz_now_ns() - (int64_t)fz_sh->deadline) / 1e9);
	for (unsigned int i = 0; i < nr_workers; i++)
		if (workers[i].kind == FZ_W_CONTAINER)
			close(workers[i].cfd);
	fz_sandbox_leave(&sb);

	report(ran);
	if (fz_sh->setup_failures)
		fail("%" PRIu64 " worker setups failed", (uint64_t)fz_sh->setup_failures);
	/* A run that already failed did not cover things for that reason. */
	if (!failures)
		check_coverage(only != NULL);
	printf("cfd-fuzz: %" PRIu64 " calls, seed %#" PRIx64 ": %s\n",
	       fz_total_calls(fz_ncalls), seed, failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
