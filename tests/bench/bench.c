// SPDX-License-Identifier: GPL-2.0
/*
 * containerfd benchmarks, each against the obvious alternative in the
 * same run (run it in the guest: make bench).  Reports time per operation
 * and the ratio; it asserts nothing: performance is measured, not tested.
 *
 *  1. openat() of a file through a container fd vs. through an O_PATH fd
 *     of the same root directory.
 *  2. Starting a process in a running container: clone3 with
 *     CLONE_INTO_CONTAINER vs. the runtime way (crun exec): fork, setns()
 *     into the init's namespaces through a pidfd, fork again for the PID
 *     namespace, and reap both.
 *  3. A member's request_key() of a key granted to its container vs. of
 *     the same key in its session keyring.
 *  4. A request_key() upcall: made on the host and served by
 *     /sbin/request-key (keyutils' debug rule, a shell script), vs. made
 *     in a container and answered by its manager, in-process or by handing
 *     it to /sbin/request-key run as the manager.
 */
#include "../selftests/containerfd/cfd_util.h"

#include <keyutils.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <time.h>

#ifndef __NR_openat2
#define __NR_openat2 437
#endif

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double bench_openat(int dfd, const char *path, int n)
{
	double t = now();
	int i, fd;

	for (i = 0; i < n; i++) {
		fd = openat(dfd, path, O_RDONLY);
		if (fd < 0) {
			perror("openat");
			exit(1);
		}
		close(fd);
	}
	return (now() - t) / n;
}

/* openat2(RESOLVE_IN_ROOT): the confinement a container fd implies. */
static double bench_openat2_in_root(int dfd, const char *path, int n)
{
	struct open_how how = { .flags = O_RDONLY, .resolve = RESOLVE_IN_ROOT };
	double t = now();
	int i, fd;

	for (i = 0; i < n; i++) {
		fd = syscall(__NR_openat2, dfd, path, &how, sizeof(how));
		if (fd < 0) {
			perror("openat2");
			exit(1);
		}
		close(fd);
	}
	return (now() - t) / n;
}

static double bench_fork_into(int cfd, int n)
{
	double t = now();
	int i;

	for (i = 0; i < n; i++) {
		pid_t pid = cfd_fork(cfd, 0, NULL);

		if (pid == 0)
			_exit(0);
		if (pid < 0 || cfd_wait(pid) != 0) {
			perror("fork into");
			exit(1);
		}
	}
	return (now() - t) / n;
}

static double bench_setns_fork(int pidfd, int n)
{
	int flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
		    CLONE_NEWPID;
	double t = now();
	int i;

	for (i = 0; i < n; i++) {
		pid_t helper = fork();

		if (helper == 0) {
			pid_t child;

			if (setns(pidfd, flags))
				_exit(1);
			child = fork();	/* the PID namespace takes effect here */
			if (child == 0)
				_exit(0);
			_exit(cfd_wait(child));
		}
		if (helper < 0 || cfd_wait(helper) != 0) {
			perror("setns + fork");
			exit(1);
		}
	}
	return (now() - t) / n;
}

/* 3. In a member: granted key vs. the same key in its session keyring. */
static int member_search(void *arg)
{
	int i, n = *(int *)arg;
	double t, a, b;
	key_serial_t key;

	if (keyctl_join_session_keyring(NULL) < 0)
		return 1;
	key = request_key("user", "bench-granted", NULL, 0);
	if (key < 0)
		return 2;
	for (i = 0; i < n / 10; i++)
		request_key("user", "bench-granted", NULL, 0);
	t = now();
	for (i = 0; i < n; i++)
		if (request_key("user", "bench-granted", NULL, 0) != key)
			return 3;
	a = (now() - t) / n;
	if (keyctl_link(key, KEY_SPEC_SESSION_KEYRING))
		return 4;
	t = now();
	for (i = 0; i < n; i++)
		if (request_key("user", "bench-granted", NULL, 0) != key)
			return 5;
	b = (now() - t) / n;
	printf("request_key, key granted to the container: %8.0f ns/op\n", a * 1e9);
	printf("request_key, key in the session keyring:   %8.0f ns/op\n", b * 1e9);
	printf("ratio granted/session:                     %8.3f\n", a / b);
	return 0;
}

static pid_t fork_member(int cfd, int (*fn)(void *), void *arg)
{
	pid_t pid = cfd_fork(cfd, 0, NULL);

	if (pid == 0) {
		fflush(stdout);
		_exit(fn(arg));
	}
	return pid;
}

/* 4. Requests made one after another, each a new description. */
struct asker {
	int n;
	const char *prefix;
};

static double ask(const struct asker *a)
{
	char desc[64];
	double t = now();
	int i;

	for (i = 0; i < a->n; i++) {
		snprintf(desc, sizeof(desc), "%s%d", a->prefix, i);
		if (request_key("user", desc, "bench", KEY_SPEC_SESSION_KEYRING) < 0) {
			perror(desc);
			exit(1);
		}
	}
	return (now() - t) / a->n;
}

static int member_ask(void *arg)
{
	if (keyctl_join_session_keyring(NULL) < 0)
		return 1;
	printf("%8.0f\n", ask(arg) * 1e6);
	return 0;
}

/*
 * <linux/watch_queue.h>, which cannot come with <fcntl.h>: a key
 * notification, and the values used here.
 */
struct key_note {
	uint32_t type_subtype, info;	/* struct watch_notification */
	uint32_t key_id, aux;
};
#define WATCH_TYPE_KEY_NOTIFY	1
#define NOTIFY_KEY_LINKED	2
#define O_NOTIFICATION_PIPE	O_EXCL

/* A notification pipe watching @queue for links. */
static int watch_queue(key_serial_t queue)
{
	struct {
		uint32_t nr_filters, reserved;
		uint32_t type, info_filter, info_mask, subtype_filter[8];
	} filter = { .nr_filters = 1, .type = WATCH_TYPE_KEY_NOTIFY,
		     .subtype_filter[0] = 1U << NOTIFY_KEY_LINKED };
	int fds[2];

	if (pipe2(fds, O_NOTIFICATION_PIPE) < 0 ||
	    ioctl(fds[0], _IO('W', 0x60) /* SET_SIZE */, 1) < 0 ||
	    ioctl(fds[0], _IO('W', 0x61) /* SET_FILTER */, &filter) < 0 ||
	    keyctl_watch_key(queue, fds[0], 1) < 0)
		return -1;
	/* fds[1] stays open: a pipe without a writer reads as at its end. */
	return fds[0];
}

/* Serve @n requests: in-process, or each by /sbin/request-key as us. */
static void serve(int wfd, int n, bool request_key_helper)
{
	struct key_note note;
	struct keyctl_container_request req = {};
	char a[6][16];
	pid_t pid;
	int i;

	for (i = 0; i < n; i++) {
		if (read(wfd, &note, sizeof(note)) != sizeof(note) ||
		    syscall(__NR_keyctl, KEYCTL_CONTAINER_QUERY, note.aux, &req,
			    sizeof(req), 0) < 0) {
			perror("serve");
			exit(1);
		}
		if (!request_key_helper) {
			keyctl_assume_authority(req.key);
			keyctl_instantiate(req.key, "bench", 5, 0);
			keyctl_assume_authority(0);
			continue;
		}
		snprintf(a[0], 16, "%d", req.key);
		snprintf(a[1], 16, "%u", req.uid);
		snprintf(a[2], 16, "%u", req.gid);
		snprintf(a[3], 16, "%d", req.thread_keyring);
		snprintf(a[4], 16, "%d", req.process_keyring);
		snprintf(a[5], 16, "%d", req.session_keyring);
		pid = fork();
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, 1);
			if (keyctl_assume_authority(req.key) < 0 ||
			    keyctl_join_session_keyring(NULL) < 0 ||
			    keyctl_link(KEY_SPEC_REQKEY_AUTH_KEY, KEY_SPEC_SESSION_KEYRING) < 0)
				_exit(1);
			execl("/sbin/request-key", "/sbin/request-key", "create",
			      a[0], a[1], a[2], a[3], a[4], a[5], (char *)NULL);
			_exit(127);
		}
		cfd_wait(pid);
	}
}

/* 4: the host's helper vs. the manager, for @n "user" requests each. */
static void bench_upcalls(int n)
{
	struct keyctl_container_intercept icpt = { .type = (uintptr_t)"user" };
	struct asker host = { n, "debug:bench-host-" };
	struct asker in_proc = { n, "bench-mgr-" };
	struct asker by_helper = { n, "debug:bench-helper-" };
	key_serial_t queue;
	int cfd, wfd, out[2];
	char line[32];
	double h;
	pid_t init, pid;

	if (keyctl_join_session_keyring(NULL) < 0)
		exit(1);
	h = ask(&host);
	printf("upcall on the host, /sbin/request-key:     %8.0f us/op\n", h * 1e6);

	cfd = cfd_create(CONTAINER_NEW_UTS_NS | CONTAINER_NEW_IPC_NS |
			 CONTAINER_KILL_ON_CLOSE, "bench-keys");
	queue = add_key("keyring", "bench-queue", NULL, 0, KEY_SPEC_SESSION_KEYRING);
	wfd = watch_queue(queue);
	icpt.queue = queue;
	if (cfd < 0 || queue < 0 || wfd < 0 ||
	    syscall(__NR_keyctl, KEYCTL_CONTAINER_INTERCEPT, cfd, &icpt,
		    sizeof(icpt), 0)) {
		perror("intercept");
		exit(1);
	}
	init = cfd_fork(cfd, 0, NULL);
	if (init == 0) {
		close(cfd);
		for (;;)
			pause();
	}
	if (pipe(out))
		exit(1);
	for (int helper = 0; helper < 2; helper++) {
		pid = cfd_fork(cfd, 0, NULL);
		if (pid == 0) {
			dup2(out[1], 1);
			_exit(member_ask(helper ? &by_helper : &in_proc));
		}
		serve(wfd, n, helper);
		if (cfd_wait(pid) != 0 || read(out[0], line, sizeof(line) - 1) <= 0) {
			fprintf(stderr, "bench: the member failed\n");
			exit(1);
		}
		line[strcspn(line, "\n")] = '\0';
		printf("%s %s us/op  (%.2f x the host's)\n",
		       helper ? "upcall in a container, manager runs request-key:" :
				"upcall in a container, manager answers:         ",
		       line, atof(line) / (h * 1e6));
	}
	close(cfd);
	waitpid(init, NULL, 0);
}

int main(int argc, char **argv)
{
	int n_open = argc > 1 ? atoi(argv[1]) : 20000;
	int n_fork = argc > 2 ? atoi(argv[2]) : 300;
	int n_keys = argc > 3 ? atoi(argv[3]) : 20000;
	int n_upcall = argc > 4 ? atoi(argv[4]) : 50;
	char root[] = "/tmp/cfd-bench.XXXXXX", path[128];
	double a, b, c;
	int cfd, opath, pidfd;
	pid_t init;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* each result as it comes */
	if (!cfd_supported()) {
		fprintf(stderr, "skip: kernel has no container objects\n");
		return 77;
	}

	/* 1. openat: the container's root is / here, as is the O_PATH fd's. */
	if (!mkdtemp(root))
		return 1;
	snprintf(path, sizeof(path), "%s/file", root);
	close(open(path, O_CREAT | O_WRONLY, 0644));
	cfd = cfd_create(CONTAINER_NEW_UTS_NS, "bench");
	opath = open("/", O_PATH | O_DIRECTORY);
	if (cfd < 0 || opath < 0)
		return 1;
	bench_openat(opath, path + 1, 1000);	/* warm the dcache */
	a = bench_openat(cfd, path + 1, n_open);
	b = bench_openat(opath, path + 1, n_open);
	c = bench_openat2_in_root(opath, path + 1, n_open);
	printf("openat via container fd:            %8.0f ns/op\n", a * 1e9);
	printf("openat via O_PATH fd:               %8.0f ns/op\n", b * 1e9);
	printf("openat2 RESOLVE_IN_ROOT via O_PATH: %8.0f ns/op\n", c * 1e9);
	printf("ratio container/O_PATH:             %8.3f\n", a / b);
	printf("ratio container/RESOLVE_IN_ROOT:    %8.3f\n", a / c);
	close(cfd);

	/* 2. start a process in a running container. */
	cfd = cfd_create(CONTAINER_NEW_PID_NS | CONTAINER_NEW_UTS_NS |
			 CONTAINER_NEW_IPC_NS | CONTAINER_NEW_NET_NS |
			 CONTAINER_NEW_FS_NS | CONTAINER_KILL_ON_CLOSE, "bench-run");
	if (cfd < 0)
		return 1;
	init = cfd_fork(cfd, 0, NULL);
	if (init == 0) {
		close(cfd);	/* or the last close below would not be last */
		for (;;)
			pause();
	}
	pidfd = sys_pidfd_open(init, 0);
	if (init < 0 || pidfd < 0)
		return 1;
	bench_fork_into(cfd, 20);
	bench_setns_fork(pidfd, 20);
	a = bench_fork_into(cfd, n_fork);
	b = bench_setns_fork(pidfd, n_fork);
	printf("start via CLONE_INTO_CONTAINER: %8.1f us/op\n", a * 1e6);
	printf("start via setns(pidfd)+fork:    %8.1f us/op\n", b * 1e6);
	printf("ratio setns+fork / fork-into:   %8.2f\n", b / a);

	/* 3. the container keyring, searched after the session keyring. */
	key_serial_t granted = add_key("user", "bench-granted", "x", 1,
				       KEY_SPEC_SESSION_KEYRING);

	if (granted < 0 || syscall(__NR_keyctl, KEYCTL_CONTAINER_LINK, cfd,
				   granted, 0, 0)) {
		perror("KEYCTL_CONTAINER_LINK");
		return 1;
	}
	if (cfd_wait(fork_member(cfd, member_search, &n_keys)) != 0) {
		fprintf(stderr, "bench: the keyring member failed\n");
		return 1;
	}
	close(cfd);	/* kill on close: init holds no copy of the fd */
	waitpid(init, NULL, 0);

	/* 4. upcalls. */
	bench_upcalls(n_upcall);
	unlink(path);
	rmdir(root);
	return 0;
}
