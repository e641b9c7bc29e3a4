// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The process container-fd starts in a container.  The parent resolves
 * everything it can from outside (the environment, the user through the
 * container's own /etc/passwd, read through the container fd); the child
 * does, inside and in this order, what only it can: the hostname, its
 * devpts instance, its terminal, its identity and its working directory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "process.h"

extern char **environ;

bool proc_opts_parse(struct proc_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'e':
		if (!*arg || *arg == '=')
			usage_error("--env '%s': needs a name", arg);
		strv_push(&o->env, arg);
		return true;
	case OPT_CLEAR_ENV:
		o->clear_env = true;
		return true;
	case 'w':
		if (*arg != '/')
			usage_error("--cwd '%s': must be an absolute path", arg);
		o->cwd = arg;
		return true;
	case 'u':
		o->user = arg;
		return true;
	case 't':
		o->tty = true;
		return true;
	case OPT_PID_FILE:
		o->pid_file = arg;
		return true;
	case OPT_GRACE:
		o->grace = parse_u64(arg, 0, 86400, "--grace");
		return true;
	}
	return false;
}

/* Replace or add NAME=VALUE in @env (NULL-terminated, ours to change). */
static void env_set(struct strv *env, const char *entry)
{
	size_t len = strcspn(entry, "="), i;

	for (i = 0; i < env->n; i++) {
		if (!strncmp(env->v[i], entry, len) && env->v[i][len] == '=') {
			free(env->v[i]);
			env->v[i] = xstrdup(entry);
			return;
		}
	}
	strv_push(env, entry);
}

char **proc_build_env(const struct proc_opts *o, char **base)
{
	struct strv env = {};
	size_t i;

	if (!o->clear_env)
		for (i = 0; base && base[i]; i++)
			strv_push(&env, base[i]);
	for (i = 0; i < o->env.n; i++) {
		const char *e = o->env.v[i];

		if (strchr(e, '=')) {
			env_set(&env, e);
		} else if (getenv(e)) {
			char *kv = xasprintf("%s=%s", e, getenv(e));

			env_set(&env, kv);
			free(kv);
		}
	}
	if (!env.v)
		strv_push(&env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	return env.v;
}

static bool is_number(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

static FILE *open_in_container(int cfd, const char *path)
{
	int fd = openat(cfd, path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? NULL : fdopen(fd, "re");
}

/*
 * USER[:GROUP], each a name or a number, as docker and runc take it: the
 * group defaults to the user's primary group from the container's
 * /etc/passwd (0 when the user is a number not listed there), and the
 * supplementary groups are those /etc/group lists the user in.
 */
void proc_resolve_user(int cfd, const char *spec, struct child_setup *s)
{
	char *copy = xstrdup(spec), *group = strchr(copy, ':'), *user = copy;
	char *name = NULL;
	struct passwd *pw;
	struct group *gr;
	bool found = false;
	FILE *f;

	if (group)
		*group++ = '\0';
	if (!*user || (group && !*group))
		usage_error("--user '%s': expected <user>[:<group>]", spec);
	if (is_number(user))
		s->uid = parse_u64(user, 0, UINT32_MAX - 1, "user ID");
	s->gid = 0;
	f = open_in_container(cfd, "etc/passwd");
	while (f && (pw = fgetpwent(f))) {
		if (is_number(user) ? pw->pw_uid == s->uid : !strcmp(pw->pw_name, user)) {
			s->uid = pw->pw_uid;
			s->gid = pw->pw_gid;
			name = xstrdup(pw->pw_name);
			found = true;
			break;
		}
	}
	if (f)
		fclose(f);
	if (!found && !is_number(user))
		die(0, "--user: no user '%s' in the container's /etc/passwd", user);
	if (group && is_number(group)) {
		s->gid = parse_u64(group, 0, UINT32_MAX - 1, "group ID");
	} else if (group) {
		found = false;
		f = open_in_container(cfd, "etc/group");
		while (f && (gr = fgetgrent(f))) {
			if (!strcmp(gr->gr_name, group)) {
				s->gid = gr->gr_gid;
				found = true;
				break;
			}
		}
		if (f)
			fclose(f);
		if (!found)
			die(0, "--user: no group '%s' in the container's /etc/group", group);
	}
	/* Supplementary groups: where /etc/group lists the user by name. */
	s->ngroups = 0;
	s->groups = NULL;
	f = name ? open_in_container(cfd, "etc/group") : NULL;
	while (f && (gr = fgetgrent(f))) {
		for (char **m = gr->gr_mem; m && *m; m++) {
			if (!strcmp(*m, name)) {
				s->groups = xrealloc(s->groups, (s->ngroups + 1) * sizeof(gid_t));
				s->groups[s->ngroups++] = gr->gr_gid;
				break;
			}
		}
	}
	if (f)
		fclose(f);
	s->set_ids = true;
	free(name);
	free(copy);
}

void proc_prepare_tty(struct child_setup *s, int *parent_end)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		die(errno, "socketpair for the terminal");
	*parent_end = sv[0];
	s->tty_sock = sv[1];
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &s->ws) == 0 ||
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &s->ws) == 0)
		s->have_ws = true;
}

int proc_send_fd(int sock, int fd)
{
	char byte = 'T';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u = {};
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

int proc_receive_tty(int parent_end)
{
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(parent_end, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT) <= 0)
		return -EIO;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EIO;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

void proc_write_pid_file(const char *path, pid_t pid)
{
	char buf[24];
	int err;

	snprintf(buf, sizeof(buf), "%d", pid);
	err = write_file_atomic(path, buf);
	if (err)
		die(-err, "cannot write the PID file %s", path);
}

/* In the child: messages go to our stderr, which is still the caller's. */
static int child_fail(int err, const char *what, const char *arg)
{
	fprintf(stderr, "%s: %s%s%s: %s\n", PROG, what, arg ? " " : "",
		arg ? arg : "", strerror(err));
	return -err;
}

/*
 * devpts can not be made from outside (it takes its namespaces from the
 * mounter, not from a filesystem context), so the container's own
 * instance is mounted here, by its first process, over /dev/pts.  The
 * tty group (5) owns the ptys when the user namespace maps it.
 */
static int mount_devpts(void)
{
	static const char opts[] = "newinstance,ptmxmode=0666,mode=0620";
	unsigned long flags = MS_NOSUID | MS_NOEXEC;

	if (mkdir("/dev/pts", 0755) && errno != EEXIST)
		return child_fail(errno, "cannot make", "/dev/pts");
	if (mount("devpts", "/dev/pts", "devpts", flags, "newinstance,ptmxmode=0666,mode=0620,gid=5") &&
	    mount("devpts", "/dev/pts", "devpts", flags, opts))
		return child_fail(errno, "cannot mount devpts on", "/dev/pts");
	return 0;
}

/* A pty of the container's devpts; its master goes to the parent. */
static int open_terminal(struct child_setup *s)
{
	int master, slave, unlock = 0, err;

	master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return child_fail(errno, "cannot open", "/dev/ptmx in the container");
	if (ioctl(master, TIOCSPTLCK, &unlock))
		return child_fail(errno, "cannot unlock the pty", NULL);
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	if (slave < 0)
		return child_fail(errno, "cannot open the pty's peer", NULL);
	if (s->have_ws)
		ioctl(slave, TIOCSWINSZ, &s->ws);
	/* Entering from outside made us a session leader; else make one. */
	if (setsid() < 0 && errno != EPERM)
		return child_fail(errno, "setsid", NULL);
	if (ioctl(slave, TIOCSCTTY, 0))
		return child_fail(errno, "cannot make the pty the controlling terminal", NULL);
	err = proc_send_fd(s->tty_sock, master);
	if (err)
		return child_fail(-err, "cannot pass the terminal out", NULL);
	close(master);
	close(s->tty_sock);
	return slave;
}

static int set_stdio(int fd)
{
	int i;

	for (i = 0; i < 3; i++)
		if (dup2(fd, i) < 0)
			return -errno;
	if (fd > 2)
		close(fd);
	return 0;
}

int child_setup_run(void *arg)
{
	struct child_setup *s = arg;
	int stdio = -1, err;

	if (s->hostname && sethostname(s->hostname, strlen(s->hostname)))
		return child_fail(errno, "cannot set the hostname to", s->hostname);
	if (s->mount_devpts) {
		err = mount_devpts();
		if (err)
			return err;
	}
	if (s->tty_sock >= 0) {
		stdio = open_terminal(s);
		if (stdio < 0)
			return stdio;
	} else if (s->detach) {
		stdio = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (stdio < 0)
			return child_fail(errno, "cannot open", "/dev/null");
	}
	if (s->extra) {
		err = s->extra(s->extra_arg);
		if (err)
			return err;
	}
	if (s->set_ids) {
		if (setgroups(s->ngroups, s->groups) && !(errno == EPERM && !s->ngroups))
			return child_fail(errno, "cannot set the supplementary groups", NULL);
		if (setresgid(s->gid, s->gid, s->gid))
			return child_fail(errno, "cannot change to the group", NULL);
		if (setresuid(s->uid, s->uid, s->uid))
			return child_fail(errno, "cannot change to the user", NULL);
	}
	if (s->cwd && chdir(s->cwd))
		return child_fail(errno, "cannot change to the directory", s->cwd);
	if (stdio >= 0) {
		err = set_stdio(stdio);
		if (err)
			return child_fail(-err, "cannot set up standard input and output", NULL);
	}
	return 0;
}
