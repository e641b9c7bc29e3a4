// SPDX-License-Identifier: GPL-2.0
/*
 * A container with a keyring, a key in it and an interception of its
 * request_key() upcalls, as the 2019 RFC's test-container had them, with
 * the raw keyctl(2) commands:
 *
 *   - make a container, and its keyring (KEYCTL_CONTAINER_KEYRING);
 *   - put a user key "foobar" in it (KEYCTL_CONTAINER_LINK);
 *   - make a keyring "upcall" and queue the container's "user" requests in
 *     it (KEYCTL_CONTAINER_INTERCEPT);
 *   - fork a process into the container: it prints its container
 *     keyring, reads foobar, and requests a key nobody has;
 *   - answer that request from outside (KEYCTL_CONTAINER_QUERY, then
 *     assume authority and instantiate, as /sbin/request-key would).
 *
 *   container-keyring            (as root)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <keyutils.h>
#include <linux/container.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* In the container: what a member sees. */
static int member(void)
{
	key_serial_t key;
	char buf[64];
	long n;

	printf("member: my container keyring is %d\n",
	       keyctl_get_keyring_ID(KEY_SPEC_CONTAINER_KEYRING, 0));
	key = request_key("user", "foobar", NULL, 0);
	if (key < 0 || (n = keyctl_read(key, buf, sizeof(buf) - 1)) < 0)
		die("member: foobar");
	buf[n] = '\0';
	printf("member: foobar is key %d: \"%s\"\n", key, buf);

	if (keyctl_join_session_keyring(NULL) < 0)
		die("member: session keyring");
	printf("member: request_key(\"user\", \"debug:e\", \"a\") ...\n");
	fflush(stdout);
	key = request_key("user", "debug:e", "a", KEY_SPEC_SESSION_KEYRING);
	if (key < 0 || (n = keyctl_read(key, buf, sizeof(buf) - 1)) < 0)
		die("member: debug:e");
	buf[n] = '\0';
	printf("member: ... key %d: \"%s\"\n", key, buf);
	return 0;
}

int main(void)
{
	struct container_args args = {
		.flags = CONTAINER_NEW_FS_NS | CONTAINER_NEW_UTS_NS | CONTAINER_NEW_IPC_NS,
	};
	struct clone_args cl = { .flags = CLONE_INTO_CONTAINER, .exit_signal = SIGCHLD };
	struct keyctl_container_intercept icpt = { .type = (uintptr_t)"user" };
	struct keyctl_container_request req = {};
	struct pollfd pfd = { .events = POLLPRI };
	key_serial_t ring, foobar, upcall, authkey;
	const char answer[] = "answered from outside";
	char desc[64] = "";
	int cfd, status;
	pid_t pid;

	if (access("/proc/containers", F_OK)) {
		printf("this kernel has no container objects\n");
		return 77;
	}
	/* A session keyring of our own holds the queue: no member reaches it. */
	if (keyctl_join_session_keyring(NULL) < 0)
		die("keyctl_join_session_keyring");
	cfd = syscall(__NR_container_create, &args, sizeof(args));
	if (cfd < 0)
		die("container_create");

	ring = keyctl(KEYCTL_CONTAINER_KEYRING, (unsigned long)cfd, 0UL, 0UL, 0UL);
	if (ring < 0) {
		if (errno == EOPNOTSUPP) {
			printf("this kernel has no container keyrings\n");
			return 77;
		}
		die("KEYCTL_CONTAINER_KEYRING");
	}
	printf("manager: the container keyring is %d\n", ring);

	foobar = add_key("user", "foobar", "a secret the manager gives", 26,
			 KEY_SPEC_SESSION_KEYRING);
	if (foobar < 0)
		die("add_key foobar");
	/* Granting needs Link permission on the key: grant, then narrow. */
	if (keyctl(KEYCTL_CONTAINER_LINK, (unsigned long)cfd, (unsigned long)foobar,
		   0UL, 0UL))
		die("KEYCTL_CONTAINER_LINK");
	/* Members get the possessor's rights: view, read and search only. */
	if (keyctl_setperm(foobar, KEY_POS_VIEW | KEY_POS_READ | KEY_POS_SEARCH |
			   KEY_USR_VIEW | KEY_USR_READ))
		die("keyctl_setperm");
	printf("manager: granted key %d \"foobar\"\n", foobar);

	upcall = add_key("keyring", "upcall", NULL, 0, KEY_SPEC_SESSION_KEYRING);
	if (upcall < 0)
		die("add_key upcall");
	icpt.queue = upcall;
	if (keyctl(KEYCTL_CONTAINER_INTERCEPT, (unsigned long)cfd,
		   (unsigned long)&icpt, (unsigned long)sizeof(icpt), 0UL))
		die("KEYCTL_CONTAINER_INTERCEPT");
	printf("manager: \"user\" requests from inside go to keyring %d\n", upcall);
	fflush(stdout);

	cl.container = cfd;
	pid = syscall(__NR_clone3, &cl, sizeof(cl));
	if (pid < 0)
		die("clone3");
	if (pid == 0)
		_exit(member());

	/* EPOLLPRI: a request waits that no one has queried. */
	pfd.fd = cfd;
	if (poll(&pfd, 1, 30000) != 1 || !(pfd.revents & POLLPRI)) {
		fprintf(stderr, "manager: no request came\n");
		return 1;
	}
	if (keyctl_read(upcall, (char *)&authkey, sizeof(authkey)) < (long)sizeof(authkey))
		die("keyctl_read upcall");
	req.description = (uintptr_t)desc;
	req.description_size = sizeof(desc);
	if (keyctl(KEYCTL_CONTAINER_QUERY, (unsigned long)authkey, (unsigned long)&req,
		   (unsigned long)sizeof(req), 0UL))
		die("KEYCTL_CONTAINER_QUERY");
	printf("manager: request %d: %s \"%s\" for key %d, from container %llu, pid %d, uid %u\n",
	       authkey, req.type, desc, req.key, (unsigned long long)req.container_id,
	       req.pid, req.uid);
	if (keyctl_assume_authority(req.key) < 0 ||
	    keyctl_instantiate(req.key, answer, sizeof(answer) - 1, 0))
		die("instantiate");
	keyctl_assume_authority(0);
	printf("manager: instantiated it\n");
	fflush(stdout);

	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	close(cfd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
