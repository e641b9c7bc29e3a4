// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * The container keyring and request_key() upcalls served by the manager
 * (1.2).  libkeyutils does what keyctl(2) did before containers; its
 * keyctl() entry point carries the KEYCTL_CONTAINER_* commands.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
/* Not <fcntl.h>: linux/watch_queue.h brings linux/fcntl.h, which clashes. */
#include <linux/watch_queue.h>

#include <keyutils.h>

#include "containerfd.h"

#define RET(expr) ({ long __r = (expr); __r < 0 ? -errno : __r; })

key_serial_t cfd_key_keyring(int cfd)
{
	return RET(keyctl(KEYCTL_CONTAINER_KEYRING, (unsigned long)cfd, 0UL, 0UL, 0UL));
}

int cfd_key_link(int cfd, key_serial_t key)
{
	return RET(keyctl(KEYCTL_CONTAINER_LINK, (unsigned long)cfd, (unsigned long)key,
			  0UL, 0UL));
}

int cfd_key_unlink(int cfd, key_serial_t key)
{
	return RET(keyctl(KEYCTL_CONTAINER_UNLINK, (unsigned long)cfd, (unsigned long)key,
			  0UL, 0UL));
}

int cfd_key_intercept(int cfd, const char *type, key_serial_t queue,
		      unsigned int timeout, unsigned int flags)
{
	struct keyctl_container_intercept args = {
		.type = (uintptr_t)type,
		.queue = queue,
		.flags = flags,
		.timeout = timeout,
	};

	return RET(keyctl(KEYCTL_CONTAINER_INTERCEPT, (unsigned long)cfd,
			  (unsigned long)&args, (unsigned long)sizeof(args), 0UL));
}

int cfd_key_probe(void)
{
	unsigned char caps[2] = { 0, 0 };

	if (keyctl_capabilities(caps, sizeof(caps)) < 0)
		return -errno;
	return caps[1] & KEYCTL_CAPS1_CONTAINER ? 0 : -EOPNOTSUPP;
}

void cfd_key_request_free(struct cfd_key_request *req)
{
	free(req->description);
	free(req->callout);
	req->description = NULL;
	req->callout = NULL;
}

/* The request's fields, its description included; the callout apart. */
static int query(key_serial_t authkey, struct cfd_key_request *req)
{
	struct keyctl_container_request k = {};
	unsigned int claimed = 0;
	char *desc = NULL;
	int i;

	/* The description may grow only while we look: ask twice at most. */
	for (i = 0; i < 2; i++) {
		k.description = (uintptr_t)desc;
		k.description_size = desc ? k.description_len : 0;
		if (keyctl(KEYCTL_CONTAINER_QUERY, (unsigned long)authkey,
			   (unsigned long)&k, (unsigned long)sizeof(k), 0UL) < 0) {
			int err = -errno;

			free(desc);
			return err;
		}
		if (desc)
			break;
		/* Our own first query claims it: what counts is before that. */
		claimed = k.flags & KEYCTL_CONTAINER_REQUEST_CLAIMED;
		desc = malloc(k.description_len);
		if (!desc)
			return -ENOMEM;
	}
	memset(req, 0, sizeof(*req));
	req->authkey = authkey;
	req->key = k.key;
	req->container_id = k.container_id;
	req->pid = k.pid;
	req->uid = k.uid;
	req->gid = k.gid;
	req->thread_keyring = k.thread_keyring;
	req->process_keyring = k.process_keyring;
	req->session_keyring = k.session_keyring;
	req->flags = (k.flags & ~KEYCTL_CONTAINER_REQUEST_CLAIMED) | claimed;
	req->timeout = k.timeout;
	memcpy(req->type, k.type, sizeof(req->type));
	req->type[sizeof(req->type) - 1] = '\0';
	req->description = desc;
	return 0;
}

int cfd_key_query(key_serial_t authkey, struct cfd_key_request *req)
{
	void *callout = NULL;
	int len, err;

	err = query(authkey, req);
	if (err)
		return err;
	/* The authorisation key's payload is the callout, as request-key reads it. */
	len = keyctl_read_alloc(authkey, &callout);
	if (len < 0) {
		err = -errno;
		cfd_key_request_free(req);
		return err;
	}
	req->callout = callout;
	req->callout_len = len;
	return 0;
}

/* The serials a keyring holds, as keyctl_read() gives them. */
static int read_keyring(key_serial_t keyring, key_serial_t **serials)
{
	void *buf;
	int len = keyctl_read_alloc(keyring, &buf);

	if (len < 0)
		return -errno;
	*serials = buf;
	return len / (int)sizeof(key_serial_t);
}

int cfd_key_next_request(int cfd, key_serial_t queue, int timeout_ms,
			 struct cfd_key_request *req)
{
	struct pollfd pfd = { .fd = cfd, .events = POLLPRI };
	key_serial_t *serials = NULL;
	int n, i, err;

	for (;;) {
		n = poll(&pfd, 1, timeout_ms);
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ETIMEDOUT;
		if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
			return -ESRCH;
		n = read_keyring(queue, &serials);
		if (n < 0)
			return n;
		/* The queue holds answered requests too, until the gc runs. */
		for (i = 0; i < n; i++) {
			err = cfd_key_query(serials[i], req);
			if (err)
				continue;
			if (!(req->flags & KEYCTL_CONTAINER_REQUEST_CLAIMED)) {
				free(serials);
				return 0;
			}
			cfd_key_request_free(req);
		}
		free(serials);
		/* Queried by someone else meanwhile: wait for the next one. */
	}
}

int cfd_key_watch(key_serial_t queue)
{
	static const struct {
		struct watch_notification_filter f;
		struct watch_notification_type_filter t;
	} filter = {
		.f.nr_filters = 1,
		.t = {
			.type = WATCH_TYPE_KEY_NOTIFY,
			.subtype_filter[0] = 1 << NOTIFY_KEY_LINKED,
		},
	};
	int fds[2], err;

	if (pipe2(fds, O_NOTIFICATION_PIPE | O_CLOEXEC) < 0)
		return -errno;
	if (ioctl(fds[0], IOC_WATCH_QUEUE_SET_SIZE, 1) < 0 ||
	    ioctl(fds[0], IOC_WATCH_QUEUE_SET_FILTER, &filter) < 0 ||
	    keyctl_watch_key(queue, fds[0], 0x01) < 0) {
		err = -errno;
		close(fds[0]);
		close(fds[1]);
		return err;
	}
	/*
	 * The write end stays open (close-on-exec): a pipe without a writer
	 * reads as ended, and polls as hung up, before any notification.
	 */
	return fds[0];
}

key_serial_t cfd_key_watch_read(int wfd, key_serial_t queue)
{
	struct key_notification n;
	ssize_t len;

	for (;;) {
		/* A notification pipe gives whole records: one at a time here. */
		len = read(wfd, &n, sizeof(n));
		if (len < 0)
			return -errno;
		if (len == 0)
			return -EPIPE;
		if ((size_t)len < sizeof(n.watch))
			continue;
		if (n.watch.type == WATCH_TYPE_META) {
			/* The queue keyring went. */
			if (n.watch.subtype == WATCH_META_REMOVAL_NOTIFICATION)
				return -EIDRM;
			if (n.watch.subtype == WATCH_META_LOSS_NOTIFICATION)
				return -ENOBUFS;
			continue;
		}
		if (n.watch.type == WATCH_TYPE_KEY_NOTIFY &&
		    n.watch.subtype == NOTIFY_KEY_LINKED &&
		    (size_t)len >= sizeof(n) && (key_serial_t)n.key_id == queue)
			return n.aux;
	}
}

/*
 * In the child: the authority, alone in a new session keyring, as the
 * kernel gives /sbin/request-key its _req keyring.
 */
static int become_handler(const struct cfd_key_request *req)
{
	if (keyctl_assume_authority(req->key) < 0)
		return -errno;
	if (keyctl_join_session_keyring(NULL) < 0)
		return -errno;
	if (keyctl_link(KEY_SPEC_REQKEY_AUTH_KEY, KEY_SPEC_SESSION_KEYRING) < 0)
		return -errno;
	return 0;
}

pid_t cfd_key_request_exec(const struct cfd_key_request *req, const char *path,
			   char *const argv[], char *const envp[])
{
	int pipefd[2], err = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return err;
	}
	if (pid == 0) {
		close(pipefd[0]);
		err = become_handler(req);
		if (!err) {
			execve(path, argv, envp ? envp : environ);
			err = -errno;
		}
		/* The parent learns why through the pipe exec would close. */
		n = write(pipefd[1], &err, sizeof(err));
		(void)n;
		_exit(127);
	}
	close(pipefd[1]);
	do {
		n = read(pipefd[0], &err, sizeof(err));
	} while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n == sizeof(err) && err < 0) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return err;
	}
	return pid;
}
