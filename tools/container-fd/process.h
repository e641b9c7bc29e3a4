/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The process container-fd starts in a container (run's init, exec's
 * command, an OCI container's process): what the options ask of it, and
 * the setup its child does, inside, between the fork and the exec.
 */
#ifndef CONTAINER_FD_PROCESS_H
#define CONTAINER_FD_PROCESS_H

#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/types.h>

#include "cli.h"

/* The options run and exec share: --env, --cwd, --user, -t, ... */
struct proc_opts {
	struct strv env;	/* --env KEY=VALUE (or KEY: take ours) */
	bool clear_env;
	const char *cwd;
	const char *user;	/* --user USER[:GROUP], names or numbers */
	bool tty;
	bool detach;
	const char *pid_file;
	unsigned int grace;	/* seconds before SIGKILL follows a forwarded signal */
};

#define PROC_OPTS_SHORT "e:w:u:t"
#define PROC_OPTS_LONG							\
	{ "env", required_argument, NULL, 'e' },			\
	{ "clear-env", no_argument, NULL, OPT_CLEAR_ENV },		\
	{ "cwd", required_argument, NULL, 'w' },			\
	{ "user", required_argument, NULL, 'u' },			\
	{ "tty", no_argument, NULL, 't' },				\
	{ "pid-file", required_argument, NULL, OPT_PID_FILE },		\
	{ "grace", required_argument, NULL, OPT_GRACE }

enum { OPT_CLEAR_ENV = 1000, OPT_PID_FILE, OPT_GRACE, OPT_PROC_LAST };

/* Takes one option of PROC_OPTS_*; false if @c is not one of them. */
bool proc_opts_parse(struct proc_opts *o, int c, const char *arg);
#define PROC_OPTS_HELP							\
	" -e, --env <name>[=<value>]  set a variable (repeatable); <name> alone\n" \
	"                             passes ours on\n"			\
	"     --clear-env          start from an empty environment\n"	\
	" -w, --cwd <dir>          working directory inside\n"		\
	" -u, --user <user>[:<group>]  run as this user (names are looked up\n" \
	"                          in the container's /etc/passwd and /etc/group)\n" \
	" -t, --tty                give the command a terminal of the container's\n" \
	"                          own devpts instance\n"			\
	"     --pid-file <file>    write the command's PID to <file>\n"	\
	"     --grace <seconds>    after forwarding SIGTERM, SIGINT, SIGHUP or\n" \
	"                          SIGQUIT that the command does not handle,\n" \
	"                          SIGKILL it after this long (default 10)\n"

/* What the child does before exec, filled by the parent beforehand. */
struct child_setup {
	const char *hostname;
	bool mount_devpts;	/* a devpts instance of its own on /dev/pts */
	int tty_sock;		/* -1, or where to send the terminal's master */
	struct winsize ws;
	bool have_ws;
	const char *cwd;
	bool set_ids;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t ngroups;
	bool detach;		/* stdio on /dev/null */
	/* For the OCI runtime: more to do, last before the identity change. */
	int (*extra)(void *arg);
	void *extra_arg;
};

/* The cfd_spawnattr setup callback: runs in the child. */
int child_setup_run(void *setup);

/*
 * Parent side, before the spawn: the environment, the identity (looked up
 * through the container fd) and the terminal's socket.
 */
char **proc_build_env(const struct proc_opts *o, char **base);
void proc_resolve_user(int cfd, const char *spec, struct child_setup *s);
/* A socketpair for the terminal; *parent_end is ours, s->tty_sock the child's. */
void proc_prepare_tty(struct child_setup *s, int *parent_end);
/* After the spawn: the master the child sent. */
int proc_receive_tty(int parent_end);
/* Pass @fd over a unix socket (SCM_RIGHTS), as the terminal goes. */
int proc_send_fd(int sock, int fd);
void proc_write_pid_file(const char *path, pid_t pid);

/*
 * run.c: start the process (run's init or exec's command) and wait for it
 * in the foreground, forwarding signals, or print its container's ID
 * (@whole_container) or its PID when detached.
 */
int start_process(int cfd, char **argv, const struct proc_opts *po,
		  struct child_setup *cs, bool whole_container, uint64_t print_id);

/* foreground.c: wait for the process, forwarding signals and the terminal. */
struct foreground {
	int pidfd;
	pid_t pid;
	int cfd;		/* >= 0: SIGKILL goes to the whole container */
	unsigned int grace;
	int master;		/* -1 without a terminal */
};
void foreground_block_signals(void);
int foreground_wait(struct foreground *fg);

#endif
