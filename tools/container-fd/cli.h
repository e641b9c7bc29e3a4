/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * container-fd: what the command files share.
 *
 * A command is one file, <name>.c, with one entry point,
 * int cmd_<name>(int argc, char **argv), listed by one line in
 * commands.def.  argv[0] is the command's name; getopt_long() starts
 * afresh for it.
 */
#ifndef CONTAINER_FD_CLI_H
#define CONTAINER_FD_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <containerfd.h>

#define PROG "container-fd"
/* Where OCI containers keep their state, as /run/runc and /run/crun. */
#define CFD_DEFAULT_ROOT "/run/container-fd"

/* Exit statuses: the tool's own failure, as env(1), timeout(1), podman. */
#define EXIT_TOOL		125
#define EXIT_CANNOT_EXEC	126
#define EXIT_NOT_FOUND		127

/* The entry points, declared from the table. */
#define CFD_COMMAND(name, summary) int cmd_##name(int argc, char **argv);
#include "commands.def"
#undef CFD_COMMAND

/* Global options, before the command (the OCI runtimes' ones). */
struct globals {
	const char *root;	/* state directory of OCI containers */
	const char *log;	/* where errors also go (conmon reads it) */
	bool log_json;		/* --log-format=json */
	bool debug;
};
extern struct globals G;

/* util.c: messages and exits.  die() and friends exit EXIT_TOOL. */
void __attribute__((noreturn, format(printf, 2, 3))) die(int err, const char *fmt, ...);
void __attribute__((format(printf, 2, 3))) warn_msg(int err, const char *fmt, ...);
void __attribute__((noreturn, format(printf, 1, 2))) usage_error(const char *fmt, ...);
void __attribute__((noreturn)) errtryhelp(void);
void __attribute__((noreturn)) print_usage(const char *text);
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Strict parsing: the whole string, in range, or a usage error naming @what. */
uint64_t parse_u64(const char *s, uint64_t min, uint64_t max, const char *what);
int parse_signal(const char *s);	/* a name or number; -1 if neither */
const char *signal_name(int sig);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A NULL-terminated, growable list of strings (argv, envp, ...). */
struct strv {
	char **v;
	size_t n;
};
void strv_push(struct strv *s, const char *str);
void strv_free(struct strv *s);

/* Write @text to @path atomically (a temporary file, then rename). */
int write_file_atomic(const char *path, const char *text);
/* Write @text to an existing file (procfs, sysfs, cgroupfs). */
int write_file_at(int dirfd, const char *path, const char *text);

/* Restore the terminal and check stdout at exit (see util.c). */
void cli_atexit_init(void);
void register_terminal_restore(int fd, const void *termios);
void restore_terminal(void);
/*
 * End the way a process we waited for ended: its exit status, or its
 * signal re-raised on ourselves (without a core dump of our own).
 */
int __attribute__((noreturn)) exit_like(int wait_status);
int status_to_exit_code(int wait_status);

/* target.c: the container named on the command line. */
struct target {
	int cfd;		/* a handle, or -1 */
	struct container_info info;
	char *oci_id;		/* set for an OCI container of the state root */
	const char *spec;	/* as the user wrote it */
};

void check_kernel(void);
/*
 * An ID, a name or an OCI container's ID (a name only, with @by_name); or
 * the container of a PID, with @pid.  Dies with a clear message on failure.
 */
void open_target(struct target *t, const char *spec, pid_t pid, bool by_name);
void close_target(struct target *t);
/* A pidfd of the container's init, checked to be in that container. */
int open_init_pidfd(const struct target *t);
/* json.c: print a JSON value (and drop it), pretty when asked. */
struct json_object;
void print_json(struct json_object *o, bool pretty);
struct json_object *json_container_info(const struct container_info *info);
struct json_object *json_flags(uint64_t flags);

/* A one-line description of @flags: "pid,uts,kill-on-close". */
void flags_string(uint64_t flags, char *buf, size_t len);
uint64_t parse_ns_list(const char *list);
extern const struct ns_name {
	const char *name;
	uint64_t flag;
	int clone_flag;
} ns_names[];
extern const size_t nr_ns_names;

#endif /* CONTAINER_FD_CLI_H */
