/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The OCI runtime mode: what create, start, state, kill and delete share.
 *
 * A bundle's config.json (runtime-spec 1.0) is read with json-c into a
 * struct oci_spec; a field this runtime cannot honour is refused by name,
 * never ignored.  Each container has a directory in the state root
 * (--root, default /run/container-fd) with state.json and, between create
 * and start, exec.fifo: the container's process waits on it before exec.
 */
#ifndef CONTAINER_FD_OCI_H
#define CONTAINER_FD_OCI_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "cli.h"
#include "process.h"

struct oci_mount {
	char *type;		/* as the kernel knows it: cgroup is cgroup2 */
	char *source;		/* absolute, for binds */
	char *destination;
	char *options;		/* mount(8) options, the propagation ones left out */
	bool bind;
};

struct oci_rlimit {
	int resource;
	struct rlimit limit;
};

struct oci_spec {
	char *bundle;		/* absolute */
	char *root;		/* absolute */
	bool root_readonly;
	/* process */
	struct strv args;
	struct strv env;
	char *cwd;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t ngroups;
	bool have_umask;
	mode_t umask;
	bool terminal;
	bool no_new_privileges;
	bool have_oom_score_adj;
	int oom_score_adj;
	bool have_caps;
	uint64_t caps[5];	/* enum oci_cap_set */
	struct oci_rlimit *rlimits;
	size_t nr_rlimits;
	/* the rest */
	char *hostname;
	uint64_t ns_flags;	/* CONTAINER_NEW_* */
	struct oci_mount *mounts;
	size_t nr_mounts;
	struct strv masked_paths;
	struct strv readonly_paths;
	char *uid_map;		/* "inside outside count\n"..., or NULL */
	char *gid_map;
	char *annotations;	/* the JSON object, as text, or NULL */
	bool deny_devices;	/* linux.resources.devices denies all: see oci_config.c */
};

enum oci_cap_set { CAPS_BOUNDING, CAPS_EFFECTIVE, CAPS_PERMITTED,
		   CAPS_INHERITABLE, CAPS_AMBIENT };

/* oci_config.c: read @bundle/config.json; dies naming what it refuses. */
void oci_load_config(const char *bundle, struct oci_spec *spec);

/* The same for the process object of exec --process. */
void oci_load_process(const char *file, struct oci_spec *spec);

/* What the container's process needs, beyond struct child_setup. */
struct oci_child {
	struct oci_spec *spec;
	struct child_setup cs;
	int fifo_fd;		/* exec.fifo, O_RDWR: read blocks until start */
	int report;		/* {stage, errno} on failure, 0 bytes on success */
	int preserve_fds;
};


/* create.c: in the child, what the process config asks before exec. */
int oci_child_extra(void *arg);
int oci_set_caps(const struct oci_spec *s);
/*
 * create.c, for create's and exec's process: before the fork, its setup as
 * @c->spec asks (cwd, identity, oci_child_extra() for the rest) and, with
 * @console (--console-socket), its terminal's way out: *@console_sock is
 * connected there and *@tty_parent is our end of the pair the child sends
 * the master over (c->cs.tty_sock its end); both -1 without.
 */
void oci_child_prepare(struct oci_child *c, const char *console,
		       int *console_sock, int *tty_parent);
/* After the fork: the master the child sent goes on to @console; ours close. */
void oci_pass_console(const char *console, int console_sock, int tty_parent);
/* oci_exec.c: exec --process FILE ID, as engines run it. */
int oci_exec(const char *id, const char *process_file, bool detach,
	     const char *pid_file, const char *console);

/* oci_state.c */
enum oci_status { OCI_CREATING, OCI_CREATED, OCI_RUNNING, OCI_STOPPED };

struct oci_state {
	char *id;
	char *dir;		/* <root>/<id> */
	char *bundle;
	pid_t pid;		/* the container's process */
	unsigned long long pid_start;	/* its start time, against PID reuse */
	uint64_t container_id;	/* the kernel's, in our ID space */
	char *created;		/* RFC 3339 */
	char *annotations;	/* JSON text, or NULL */
};

/* A valid container ID: what runc accepts (no path tricks). */
void oci_check_id(const char *id);
char *oci_dir(const char *id);
/* Load @id's state; false if there is no such container. */
bool oci_state_load(const char *id, struct oci_state *st);
void oci_state_save(const struct oci_state *st);
void oci_state_free(struct oci_state *st);
enum oci_status oci_status(const struct oci_state *st);
const char *oci_status_name(enum oci_status s);
/* A pidfd of the container's process, if it still is that process. */
int oci_pidfd(const struct oci_state *st);
unsigned long long proc_start_time(pid_t pid);
/* Print the runtime-spec state of @st. */
void oci_print_state(const struct oci_state *st);
/* True if @spec names a container of the state root (state, kill). */
bool oci_exists(const char *spec);

#endif /* CONTAINER_FD_OCI_H */
