// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A foreground run or exec: wait for the process while forwarding the
 * signals a user sends to stop it (SIGTERM, SIGINT, SIGHUP, SIGQUIT) and,
 * with a terminal, copying between ours and the container's pty.
 *
 * A forwarded signal the process does not handle may do nothing: the init
 * of a PID namespace ignores every default-disposition signal from
 * outside but SIGKILL, and a process may ignore it outright.  Then, after
 * the grace period, SIGKILL follows, as stop does.  A process that
 * handles the signal is trusted with it (SIGHUP is often "reload").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "process.h"

static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };

static void forward_set(sigset_t *set)
{
	size_t i;

	sigemptyset(set);
	for (i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
	sigaddset(set, SIGWINCH);
}

/*
 * Blocked before the spawn, so that none is lost between the spawn and the
 * wait; the spawned child starts with an empty mask (cfd_spawn resets it).
 */
void foreground_block_signals(void)
{
	sigset_t set;

	forward_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		die(errno, "sigprocmask");
}

/* Does @pid handle @sig?  From SigCgt in /proc/PID/status. */
static bool handles(pid_t pid, int sig)
{
	char path[64], line[256];
	unsigned long long cgt = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "SigCgt: %llx", &cgt) == 1)
			found = true;
	fclose(f);
	return found && (cgt & (1ULL << (sig - 1)));
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void kill_all(struct foreground *fg)
{
	if (fg->cfd >= 0)
		cfd_kill(fg->cfd, SIGKILL);
	else
		syscall(SYS_pidfd_send_signal, fg->pidfd, SIGKILL, NULL, 0);
}

/* Copy what is there; false at end of file or on an error. */
static bool copy_once(int from, int to)
{
	char buf[4096];
	ssize_t n, w, off = 0;

	n = read(from, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	while (off < n) {
		w = write(to, buf + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return false;
		off += w;
	}
	return true;
}

static void raw_terminal(int fd)
{
	struct termios t, raw;

	if (!isatty(fd) || tcgetattr(fd, &t))
		return;
	register_terminal_restore(fd, &t);
	raw = t;
	/*
	 * All of it, output processing included (as ssh and podman do): the
	 * container's pty already turned its \n into \r\n.
	 */
	cfmakeraw(&raw);
	tcsetattr(fd, TCSADRAIN, &raw);
}

/* End of our input: the pty's reader gets end of file (VEOF) once. */
static void send_eof(int master)
{
	struct termios t;
	char eof = 4;

	if (tcgetattr(master, &t) == 0 && t.c_cc[VEOF])
		eof = t.c_cc[VEOF];
	if (write(master, &eof, 1) < 0)
		return;
}

int foreground_wait(struct foreground *fg)
{
	enum { P_SIG, P_PROC, P_STDIN, P_MASTER, NR_P };
	struct pollfd p[NR_P] = {};
	long long deadline = -1;
	bool stdin_open = fg->master >= 0;
	siginfo_t info = {};
	sigset_t set;
	int sfd, status;

	forward_set(&set);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0)
		die(errno, "signalfd");
	if (fg->master >= 0)
		raw_terminal(STDIN_FILENO);
	p[P_SIG] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	p[P_PROC] = (struct pollfd){ .fd = fg->pidfd, .events = POLLIN };
	p[P_STDIN] = (struct pollfd){ .fd = -1, .events = POLLIN };
	p[P_MASTER] = (struct pollfd){ .fd = fg->master, .events = POLLIN };

	for (;;) {
		int timeout = -1, n;

		p[P_STDIN].fd = stdin_open ? STDIN_FILENO : -1;
		if (deadline >= 0)
			timeout = deadline > now_ms() ? (int)(deadline - now_ms()) : 0;
		n = poll(p, NR_P, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die(errno, "poll");
		if (n == 0 && deadline >= 0) {
			warn_msg(0, "the process did not stop within %u s; killing %s",
				 fg->grace, fg->cfd >= 0 ? "the container" : "it");
			kill_all(fg);
			deadline = -1;
			continue;
		}
		if (p[P_SIG].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo == SIGWINCH) {
				struct winsize ws;

				if (fg->master >= 0 && ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
					ioctl(fg->master, TIOCSWINSZ, &ws);
				continue;
			}
			log_debug("forwarding SIG%s to PID %d", signal_name(si.ssi_signo), fg->pid);
			syscall(SYS_pidfd_send_signal, fg->pidfd, si.ssi_signo, NULL, 0);
			if (deadline < 0 && !handles(fg->pid, si.ssi_signo))
				deadline = now_ms() + fg->grace * 1000LL;
		}
		if (p[P_STDIN].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (!copy_once(STDIN_FILENO, fg->master)) {
				stdin_open = false;
				send_eof(fg->master);
			}
		}
		if (p[P_MASTER].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (!copy_once(fg->master, STDOUT_FILENO))
				p[P_MASTER].fd = -1;
		}
		if (p[P_PROC].revents & POLLIN)
			break;
	}
	/* What the process wrote last is still in the pty: drain it. */
	if (fg->master >= 0 && p[P_MASTER].fd >= 0) {
		fcntl(fg->master, F_SETFL, O_NONBLOCK);
		while (copy_once(fg->master, STDOUT_FILENO)) {
			struct pollfd m = { .fd = fg->master, .events = POLLIN };

			if (poll(&m, 1, 0) <= 0)
				break;
		}
	}
	restore_terminal();
	close(sfd);
	while (waitid(P_PIDFD, fg->pidfd, &info, WEXITED))
		if (errno != EINTR)
			die(errno, "waitid");
	if (info.si_code == CLD_EXITED)
		status = (info.si_status & 0xff) << 8;
	else
		status = (info.si_status & 0x7f) | (info.si_code == CLD_DUMPED ? 0x80 : 0);
	return status;
}
