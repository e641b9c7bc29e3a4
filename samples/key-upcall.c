// SPDX-License-Identifier: GPL-2.0
/*
 * An upcall daemon, as the 2019 RFC's test-upcall: it intercepts the
 * request_key() upcalls made in a container into a keyring of its own,
 * watches that keyring with key notifications, and hands each request to
 * /sbin/request-key, running as itself, not as the host's root:
 *
 *   - a notification pipe watches the queue keyring for links;
 *   - each link names a request's authorisation key: KEYCTL_CONTAINER_QUERY
 *     says what it asks;
 *   - a child assumes authority, starts a session keyring holding only
 *     that authority, and execs /sbin/request-key with the arguments the
 *     kernel would have given it.
 *
 *   key-upcall <pid>     serve the container of <pid> until it dies
 *   key-upcall           make a container and serve one request of it
 *
 * As root.  The second form needs /sbin/request-key and keyutils' debug
 * rule in /etc/request-key.conf.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <keyutils.h>
#include <linux/container.h>
#include <linux/sched.h>
#include <linux/watch_queue.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* A notification pipe that hears of keys linked into @keyring. */
static int watch_links(key_serial_t keyring)
{
	struct {
		struct watch_notification_filter f;
		struct watch_notification_type_filter t;
	} filter = {
		.f.nr_filters = 1,
		.t = { .type = WATCH_TYPE_KEY_NOTIFY,
		       .subtype_filter[0] = 1 << NOTIFY_KEY_LINKED },
	};
	int fds[2];

	if (pipe2(fds, O_NOTIFICATION_PIPE) < 0)
		die("pipe2(O_NOTIFICATION_PIPE)");
	if (ioctl(fds[0], IOC_WATCH_QUEUE_SET_SIZE, 1) < 0 ||
	    ioctl(fds[0], IOC_WATCH_QUEUE_SET_FILTER, &filter) < 0)
		die("watch queue");
	if (keyctl_watch_key(keyring, fds[0], 0x01) < 0)
		die("keyctl_watch_key");
	return fds[0];
}

/* Hand one request to /sbin/request-key, as the kernel would. */
static void hand_over(key_serial_t authkey)
{
	struct keyctl_container_request req = {};
	char desc[256] = "", a[6][16];
	int status;
	pid_t pid;

	req.description = (uintptr_t)desc;
	req.description_size = sizeof(desc);
	if (keyctl(KEYCTL_CONTAINER_QUERY, (unsigned long)authkey, (unsigned long)&req,
		   (unsigned long)sizeof(req), 0UL) < 0) {
		perror("KEYCTL_CONTAINER_QUERY");	/* answered meanwhile */
		return;
	}
	printf("upcall: %s \"%s\" (key %d) from container %llu, pid %d, uid %u\n",
	       req.type, desc, req.key, (unsigned long long)req.container_id,
	       req.pid, req.uid);
	fflush(stdout);
	snprintf(a[0], sizeof(a[0]), "%d", req.key);
	snprintf(a[1], sizeof(a[1]), "%u", req.uid);
	snprintf(a[2], sizeof(a[2]), "%u", req.gid);
	snprintf(a[3], sizeof(a[3]), "%d", req.thread_keyring);
	snprintf(a[4], sizeof(a[4]), "%d", req.process_keyring);
	snprintf(a[5], sizeof(a[5]), "%d", req.session_keyring);

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		/* The authority, alone in a new session keyring: the kernel's _req. */
		if (keyctl_assume_authority(req.key) < 0 ||
		    keyctl_join_session_keyring(NULL) < 0 ||
		    keyctl_link(KEY_SPEC_REQKEY_AUTH_KEY, KEY_SPEC_SESSION_KEYRING) < 0)
			die("become the handler");
		execl("/sbin/request-key", "/sbin/request-key", "create",
		      a[0], a[1], a[2], a[3], a[4], a[5], (char *)NULL);
		die("/sbin/request-key");
	}
	waitpid(pid, &status, 0);
	/* Left unanswered: negate it now, as the kernel does after request-key. */
	if (keyctl_assume_authority(req.key) > 0) {
		keyctl_negate(req.key, 60, 0);
		keyctl_assume_authority(0);
	}
}

/*
 * Serve @cfd's requests until it dies, or @count of them if > 0; once
 * intercepting, say so on @ready if it is an fd.
 */
static void serve(int cfd, int count, int ready)
{
	struct keyctl_container_intercept icpt = {};
	struct key_notification n;
	key_serial_t queue;
	int wfd;

	/* A session keyring of our own holds the queue: no member reaches it. */
	if (keyctl_join_session_keyring(NULL) < 0)
		die("keyctl_join_session_keyring");
	queue = add_key("keyring", "upcall", NULL, 0, KEY_SPEC_SESSION_KEYRING);
	if (queue < 0)
		die("add_key upcall");
	wfd = watch_links(queue);
	icpt.queue = queue;
	if (keyctl(KEYCTL_CONTAINER_INTERCEPT, (unsigned long)cfd,
		   (unsigned long)&icpt, (unsigned long)sizeof(icpt), 0UL))
		die("KEYCTL_CONTAINER_INTERCEPT");
	printf("upcall: serving the container's requests from keyring %d\n", queue);
	fflush(stdout);
	if (ready >= 0 && write(ready, "r", 1) != 1)
		die("write");

	while (count != 0) {
		struct pollfd p[2] = {
			{ .fd = wfd, .events = POLLIN },
			{ .fd = cfd, .events = POLLIN },	/* POLLHUP: it died */
		};

		if (poll(p, 2, -1) < 0)
			die("poll");
		if (p[1].revents & POLLHUP)
			break;
		if (read(wfd, &n, sizeof(n)) < (ssize_t)sizeof(n))
			continue;
		if (n.watch.type != WATCH_TYPE_KEY_NOTIFY ||
		    n.watch.subtype != NOTIFY_KEY_LINKED)
			continue;
		hand_over(n.aux);
		if (count > 0)
			count--;
	}
	close(wfd);
}

/* Does /etc/request-key.conf have keyutils' "debug:*" rule? */
static int debug_rule(void)
{
	char line[256];
	FILE *f = fopen("/etc/request-key.conf", "re");
	int found = 0;

	while (f && !found && fgets(line, sizeof(line), f))
		found = line[0] != '#' && strstr(line, "debug:*") != NULL;
	if (f)
		fclose(f);
	return found;
}

/* The second form: a member of a new container asks, we serve it. */
static int demo(void)
{
	struct container_args args = { .flags = CONTAINER_NEW_UTS_NS | CONTAINER_NEW_IPC_NS };
	struct clone_args cl = { .flags = CLONE_INTO_CONTAINER, .exit_signal = SIGCHLD };
	int cfd, ready[2], status;
	key_serial_t key;
	char buf[64], c;
	pid_t pid;
	long len;

	if (access("/sbin/request-key", X_OK) || !debug_rule()) {
		printf("no /sbin/request-key with keyutils' debug rule to hand requests to\n");
		return 77;
	}
	cfd = syscall(__NR_container_create, &args, sizeof(args));
	if (cfd < 0)
		die("container_create");
	if (pipe(ready))
		die("pipe");
	cl.container = cfd;
	pid = syscall(__NR_clone3, &cl, sizeof(cl));
	if (pid < 0)
		die("clone3");
	if (pid == 0) {
		/* Ask once the daemon intercepts; keyutils' debug rule answers. */
		close(ready[1]);
		if (read(ready[0], &c, 1) != 1 || keyctl_join_session_keyring(NULL) < 0)
			_exit(2);
		key = request_key("user", "debug:upcall-sample", "handed over",
				  KEY_SPEC_SESSION_KEYRING);
		if (key < 0) {
			perror("member: request_key");
			_exit(1);
		}
		len = keyctl_read(key, buf, sizeof(buf) - 1);
		buf[len < 0 ? 0 : len] = '\0';
		printf("member: key %d: \"%s\"\n", key, buf);
		_exit(strcmp(buf, "Debug handed over") ? 1 : 0);
	}
	close(ready[0]);
	serve(cfd, 1, ready[1]);
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
	int pidfd, cfd;

	if (access("/proc/containers", F_OK)) {
		printf("this kernel has no container objects\n");
		return 77;
	}
	if (argc < 2)
		return demo();
	pidfd = syscall(SYS_pidfd_open, atoi(argv[1]), 0);
	if (pidfd < 0)
		die("pidfd_open");
	cfd = ioctl(pidfd, PIDFD_GET_CONTAINER, 0);
	if (cfd < 0)
		die("PIDFD_GET_CONTAINER");
	serve(cfd, -1, -1);
	return 0;
}
