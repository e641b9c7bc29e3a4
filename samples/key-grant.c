// SPDX-License-Identifier: GPL-2.0
/*
 * Grant a key to a container, as the 2019 RFC's test-cont-grant, and take
 * it back.  Without key ACLs: the key is linked into the container's
 * keyring (KEYCTL_CONTAINER_LINK), and its members possess it from there,
 * with the possessor rights of its permission mask.
 *
 *   key-grant <key> <pid>   link <key> into the keyring of <pid>'s container
 *   key-grant               grant a new key to a new container, look from
 *                           inside, take it back, look again
 *
 * As root (or the container's owner, outside it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <keyutils.h>
#include <linux/container.h>
#include <linux/sched.h>
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

static long grant(int cfd, key_serial_t key)
{
	return keyctl(KEYCTL_CONTAINER_LINK, (unsigned long)cfd, (unsigned long)key,
		      0UL, 0UL);
}

/* A member looks for "granted": 0 found, 1 not found. */
static int look(int cfd, const char *when)
{
	struct clone_args cl = { .flags = CLONE_INTO_CONTAINER, .exit_signal = SIGCHLD,
				 .container = cfd };
	key_serial_t key;
	int status;
	char buf[64];
	long n;
	pid_t pid;

	pid = syscall(__NR_clone3, &cl, sizeof(cl));
	if (pid < 0)
		die("clone3");
	if (pid == 0) {
		key = request_key("user", "granted", NULL, 0);
		if (key < 0) {
			printf("member, %s: %s\n", when, strerror(errno));
			_exit(1);
		}
		n = keyctl_read(key, buf, sizeof(buf) - 1);
		buf[n < 0 ? 0 : n] = '\0';
		printf("member, %s: key %d \"%s\"\n", when, key, buf);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

static int demo(void)
{
	struct container_args args = { .flags = CONTAINER_NEW_UTS_NS };
	struct clone_args cl = { .flags = CLONE_INTO_CONTAINER, .exit_signal = SIGCHLD };
	key_serial_t key;
	pid_t init;
	int cfd, ret;

	if (keyctl_join_session_keyring(NULL) < 0)
		die("keyctl_join_session_keyring");
	cfd = syscall(__NR_container_create, &args, sizeof(args));
	if (cfd < 0)
		die("container_create");
	key = add_key("user", "granted", "for the container", 17,
		      KEY_SPEC_SESSION_KEYRING);
	if (key < 0)
		die("add_key");
	/* Possessors may view, read and search it: not change or keep it. */
	if (keyctl_setperm(key, KEY_POS_VIEW | KEY_POS_READ | KEY_POS_SEARCH |
			   KEY_USR_ALL))
		die("keyctl_setperm");
	if (grant(cfd, key)) {
		if (errno == EOPNOTSUPP) {
			printf("this kernel has no container keyrings\n");
			return 77;
		}
		die("KEYCTL_CONTAINER_LINK");
	}
	printf("manager: granted key %d\n", key);
	fflush(stdout);
	/* Its first process is its init: the container lives as long. */
	cl.container = cfd;
	init = syscall(__NR_clone3, &cl, sizeof(cl));
	if (init < 0)
		die("clone3");
	if (init == 0) {
		pause();
		_exit(0);
	}
	ret = look(cfd, "granted") != 0;
	if (keyctl(KEYCTL_CONTAINER_UNLINK, (unsigned long)cfd, (unsigned long)key,
		   0UL, 0UL))
		die("KEYCTL_CONTAINER_UNLINK");
	printf("manager: took it back\n");
	fflush(stdout);
	if (look(cfd, "taken back") != 1)
		ret = 1;
	kill(init, SIGKILL);
	waitpid(init, NULL, 0);
	return ret;
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
	if (argc != 3) {
		fprintf(stderr, "usage: %s [<key> <pid>]\n", argv[0]);
		return 2;
	}
	pidfd = syscall(SYS_pidfd_open, atoi(argv[2]), 0);
	if (pidfd < 0)
		die("pidfd_open");
	cfd = ioctl(pidfd, PIDFD_GET_CONTAINER, 0);
	if (cfd < 0)
		die("PIDFD_GET_CONTAINER");
	if (grant(cfd, atoi(argv[1])))
		die("KEYCTL_CONTAINER_LINK");
	return 0;
}
