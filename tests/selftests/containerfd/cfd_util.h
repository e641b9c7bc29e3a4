/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw helpers for the containerfd selftests: no library, only syscalls,
 * so the tests check the kernel interface itself.
 */
#ifndef CFD_UTIL_H
#define CFD_UTIL_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/container.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef __NR_clone3
#define __NR_clone3 435
#endif
#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static inline int sys_container_create(void *args, size_t size)
{
	return syscall(__NR_container_create, args, size);
}

static inline int cfd_create(uint64_t flags, const char *name)
{
	struct container_args args = {
		.flags = flags,
		.name = (uintptr_t)name,
	};

	return sys_container_create(&args, sizeof(args));
}

static inline pid_t sys_clone3(struct clone_args *args, size_t size)
{
	return syscall(__NR_clone3, args, size);
}

static inline int sys_pidfd_open(pid_t pid, unsigned int flags)
{
	return syscall(__NR_pidfd_open, pid, flags);
}

/* fork() into @cfd: returns like fork(), -1 with errno on failure. */
static inline pid_t cfd_fork(int cfd, uint64_t extra_flags, int *pidfd)
{
	struct clone_args args = {
		.flags = CLONE_INTO_CONTAINER | extra_flags,
		.exit_signal = SIGCHLD,
		.container = cfd,
		.pidfd = (uintptr_t)pidfd,
	};

	return sys_clone3(&args, sizeof(args));
}

static inline int cfd_info(int cfd, struct container_info *info)
{
	memset(info, 0, sizeof(*info));
	return ioctl(cfd, CONTAINER_IOC_GET_INFO, info);
}

/* Wait for @pid; its exit code, 128+signal when killed, -1 on error. */
static inline int cfd_wait(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) < 0)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

/* Write @text to @path, opened with O_WRONLY | @oflags: 0 or -1. */
static inline int cfd_write_file(const char *path, const char *text, int oflags)
{
	int fd = open(path, O_WRONLY | oflags, 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Pass @fd over the unix socket @sock: 0 or -1. */
static inline int cfd_send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	char byte = 'f';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

/* Receive an fd sent by cfd_send_fd(): the fd or -1. */
static inline int cfd_recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

/* fsopen(2) in @cfd's namespaces (CONTAINER_IOC_FSOPEN): fd or -1. */
static inline int cfd_fsopen(int cfd, const char *type, unsigned int flags)
{
	struct container_fsopen args = {
		.fs_name = (uintptr_t)type,
		.flags = flags,
	};

	return ioctl(cfd, CONTAINER_IOC_FSOPEN, &args);
}

/*
 * A detached mount of a new @type superblock, made in @cfd's namespaces
 * if @cfd >= 0, else in ours, with one string option if @opt_key: the
 * mount fd, or -errno.
 */
static inline int cfd_fs_mount(const char *type, int cfd, const char *opt_key,
			       const char *opt_val)
{
	int fsfd, mfd, err;

	fsfd = cfd >= 0 ? cfd_fsopen(cfd, type, FSOPEN_CLOEXEC) :
			  fsopen(type, FSOPEN_CLOEXEC);
	if (fsfd < 0)
		return -errno;
	if (opt_key &&
	    fsconfig(fsfd, FSCONFIG_SET_STRING, opt_key, opt_val, 0) < 0)
		goto fail;
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		goto fail;
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, 0);
	if (mfd < 0)
		goto fail;
	close(fsfd);
	return mfd;
fail:
	err = -errno;
	close(fsfd);
	return err;
}

/* Wait up to @ms for the process of @pidfd to exit: 1 exited, 0 not. */
static inline int cfd_pidfd_exited(int pidfd, int ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

/*
 * Why the kernel cannot run container tests, or NULL when it can.  It is
 * asked through /proc/containers, which only a kernel with container
 * objects has: on others syscall 463 is something else (setxattrat from
 * Linux 6.13), so it is called only once the file says the kernel is
 * ours, to check that this ABI's entry point (the compat one for an i386
 * binary) is wired up.
 */
static inline const char *cfd_kernel_unsupported(void)
{
	if (access("/proc/self", F_OK))
		return "no /proc mounted to ask the kernel through";
	if (access("/proc/containers", F_OK))
		return "kernel has no container objects (no /proc/containers)";
	if (sys_container_create(NULL, 0) < 0 && errno == ENOSYS)
		return "container_create() is not wired up for this ABI";
	return NULL;
}

static inline bool cfd_supported(void)
{
	return !cfd_kernel_unsupported();
}

/*
 * Drop to an unprivileged uid (and its capabilities).  Stay dumpable, as
 * after an exec, so that the /proc files of our children stay ours.
 */
static inline int cfd_drop_privs(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid) || prctl(PR_SET_DUMPABLE, 1))
		return -1;
	return 0;
}

#define CFD_NOBODY 65534

/*
 * Why these tests cannot run here, or NULL: a kernel without container
 * objects, or no root (every test makes namespaces, and the unprivileged
 * cases start as root and drop to CFD_NOBODY).
 */
static inline const char *cfd_skip_reason(void)
{
	const char *why = cfd_kernel_unsupported();

	if (!why && geteuid() != 0)
		why = "needs root";
	return why;
}

/* For kselftest_harness.h tests: skip, saying why. */
#define SKIP_IF_UNSUPPORTED()						\
	do {								\
		const char *__why = cfd_skip_reason();			\
									\
		if (__why)						\
			SKIP(return, "%s", __why);			\
	} while (0)

/*
 * Ordering between a test and the processes it forks is by handshake,
 * never by sleeping: the child writes a byte when it has got where the
 * test waits for it, and the test waits for that byte.  The time limit is
 * only for a child that hangs; one that dies first is seen at once
 * through its pidfd.  Socketpairs, so that writing to a dead child is an
 * error (MSG_NOSIGNAL), not a SIGPIPE.
 */
#define CFD_HANDSHAKE_MS 20000

static inline int cfd_sync_pair(int sv[2])
{
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
}

/* Say "here" on @fd (a child does this): 0 or -1. */
static inline int cfd_sync_post(int fd)
{
	return send(fd, "x", 1, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

/*
 * Wait for a byte on @fd, or for the process behind @pidfd (ignored when
 * negative) to exit.  1: the byte came; 0: the process exited, or every
 * writer closed, first; -1: the time limit passed (errno ETIMEDOUT) or an
 * error.
 */
static inline int cfd_sync_wait(int fd, int pidfd)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = pidfd, .events = POLLIN },
	};
	char c;
	int n;

	n = poll(p, 2, CFD_HANDSHAKE_MS);
	if (n < 0)
		return -1;
	if (n == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (p[0].revents & POLLIN)
		return read(fd, &c, 1) == 1 ? 1 : 0;
	return 0;
}

/*
 * A process in a container that answers: each byte the test sends comes
 * back.  An answer to a question sent after some event proves the process
 * outlived it with no fatal signal pending: a SIGKILL queued before the
 * question is acted on before the process could read it.
 */
struct cfd_responder {
	pid_t pid;
	int pidfd;
	int fd;		/* the test's end */
};

/*
 * Fork @r into @cfd.  The child closes @close_first (when >= 0: its copy
 * of a container fd, say), says "ready" once, then answers until killed.
 * Returns like fork(); the child never returns.
 */
static inline pid_t cfd_fork_responder(int cfd, struct cfd_responder *r,
				       int close_first)
{
	int sv[2];
	char c;

	r->pid = -1;
	r->pidfd = -1;
	r->fd = -1;
	if (cfd_sync_pair(sv))
		return -1;
	r->pid = cfd_fork(cfd, CLONE_PIDFD, &r->pidfd);
	if (r->pid == 0) {
		close(sv[0]);
		if (close_first >= 0)
			close(close_first);
		cfd_sync_post(sv[1]);
		while (read(sv[1], &c, 1) == 1)
			send(sv[1], &c, 1, MSG_NOSIGNAL);
		for (;;)
			pause();
	}
	close(sv[1]);
	if (r->pid < 0) {
		close(sv[0]);
		return -1;
	}
	r->fd = sv[0];
	return r->pid;
}

/* Wait until @r has said "ready": true when it did. */
static inline bool cfd_responder_ready(struct cfd_responder *r)
{
	return cfd_sync_wait(r->fd, r->pidfd) == 1;
}

/* Ask @r and wait for the answer: true when it answered, alive. */
static inline bool cfd_responder_answers(struct cfd_responder *r)
{
	return cfd_sync_post(r->fd) == 0 && cfd_sync_wait(r->fd, r->pidfd) == 1;
}

static inline void cfd_responder_close(struct cfd_responder *r)
{
	if (r->fd >= 0)
		close(r->fd);
	if (r->pidfd >= 0)
		close(r->pidfd);
	r->fd = r->pidfd = -1;
}

/*
 * Give the calling test a mount namespace of its own with a fresh tmpfs
 * on /tmp, as the upstream mount_setattr tests do: whatever it creates
 * there (roots, markers, renamed directories) goes away with the test's
 * processes, however the test ends.  0 or -1.
 */
static inline int cfd_private_tmp(void)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("cfd-test", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"))
		return -1;
	return 0;
}

#endif /* CFD_UTIL_H */
