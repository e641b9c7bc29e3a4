// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The state of OCI containers: <root>/<id>/state.json, written by create,
 * read by start, state, kill and delete.  The status is not stored but
 * found out each time, as runc and crun do: stopped once the recorded
 * process is gone (its PID checked against its start time, so a reused
 * PID does not pass for it), created while exec.fifo waits for start,
 * running otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "oci.h"

void oci_check_id(const char *id)
{
	const char *p;

	if (!*id || strlen(id) > 1024 || !strcmp(id, ".") || !strcmp(id, ".."))
		die(0, "invalid container ID '%s'", id);
	for (p = id; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_+-.", *p))
			die(0, "invalid container ID '%s' (letters, digits, _ + - .)", id);
}

char *oci_dir(const char *id)
{
	return xasprintf("%s/%s", G.root, id);
}

bool oci_exists(const char *spec)
{
	struct stat st;
	char *path;
	bool yes;

	if (!spec || strchr(spec, '/') || !strcmp(spec, ".") || !strcmp(spec, ".."))
		return false;
	path = xasprintf("%s/%s/state.json", G.root, spec);
	yes = stat(path, &st) == 0;
	free(path);
	return yes;
}

/* Field 22 of /proc/PID/stat, after the parenthesised command name. */
unsigned long long proc_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
		return 0;	/* gone, or a zombie: stopped */
	for (i = 3; p && i <= 22; i++)
		p = strchr(p + 1, ' ');
	if (p)
		start = strtoull(p + 1, NULL, 10);
	return start;
}

bool oci_state_load(const char *id, struct oci_state *st)
{
	struct json_object *o, *v;
	char *path;

	memset(st, 0, sizeof(*st));
	if (!oci_exists(id))
		return false;
	st->id = xstrdup(id);
	st->dir = oci_dir(id);
	path = xasprintf("%s/state.json", st->dir);
	o = json_object_from_file(path);
	if (!o)
		die(0, "%s: %s", path, json_util_get_last_err() ?: "unreadable");
	if (json_object_object_get_ex(o, "bundle", &v))
		st->bundle = xstrdup(json_object_get_string(v));
	if (json_object_object_get_ex(o, "pid", &v))
		st->pid = json_object_get_int(v);
	if (json_object_object_get_ex(o, "pidStart", &v))
		st->pid_start = json_object_get_uint64(v);
	if (json_object_object_get_ex(o, "containerID", &v))
		st->container_id = json_object_get_uint64(v);
	if (json_object_object_get_ex(o, "created", &v))
		st->created = xstrdup(json_object_get_string(v));
	if (json_object_object_get_ex(o, "annotations", &v) && v)
		st->annotations = xstrdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	free(path);
	return true;
}

void oci_state_save(const struct oci_state *st)
{
	struct json_object *o = json_object_new_object();
	char *path = xasprintf("%s/state.json", st->dir);
	int err;

	json_object_object_add(o, "id", json_object_new_string(st->id));
	json_object_object_add(o, "bundle", json_object_new_string(st->bundle));
	json_object_object_add(o, "pid", json_object_new_int(st->pid));
	json_object_object_add(o, "pidStart", json_object_new_uint64(st->pid_start));
	json_object_object_add(o, "containerID", json_object_new_uint64(st->container_id));
	json_object_object_add(o, "created", json_object_new_string(st->created));
	if (st->annotations)
		json_object_object_add(o, "annotations", json_tokener_parse(st->annotations));
	err = write_file_atomic(path, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	if (err)
		die(-err, "cannot write %s", path);
	json_object_put(o);
	free(path);
}

void oci_state_free(struct oci_state *st)
{
	free(st->id);
	free(st->dir);
	free(st->bundle);
	free(st->created);
	free(st->annotations);
	memset(st, 0, sizeof(*st));
}

int oci_pidfd(const struct oci_state *st)
{
	int pidfd;

	if (st->pid <= 0)
		return -ESRCH;
	pidfd = syscall(SYS_pidfd_open, st->pid, 0);
	if (pidfd < 0)
		return -errno;
	/* Checked after the pidfd is taken: it cannot be reused since. */
	if (proc_start_time(st->pid) != st->pid_start) {
		close(pidfd);
		return -ESRCH;
	}
	return pidfd;
}

enum oci_status oci_status(const struct oci_state *st)
{
	char *fifo;
	struct stat sb;
	enum oci_status s;

	if (st->pid <= 0)
		return OCI_CREATING;
	if (proc_start_time(st->pid) != st->pid_start)
		return OCI_STOPPED;
	fifo = xasprintf("%s/exec.fifo", st->dir);
	s = stat(fifo, &sb) == 0 ? OCI_CREATED : OCI_RUNNING;
	free(fifo);
	return s;
}

const char *oci_status_name(enum oci_status s)
{
	static const char *const names[] = { "creating", "created", "running", "stopped" };

	return names[s];
}

/* The runtime-spec state, with runc's and crun's additions podman reads. */
void oci_print_state(const struct oci_state *st)
{
	struct json_object *o = json_object_new_object();
	enum oci_status s = oci_status(st);

	json_object_object_add(o, "ociVersion", json_object_new_string("1.0.2"));
	json_object_object_add(o, "id", json_object_new_string(st->id));
	json_object_object_add(o, "status", json_object_new_string(oci_status_name(s)));
	json_object_object_add(o, "pid", json_object_new_int(s == OCI_STOPPED ? 0 : st->pid));
	json_object_object_add(o, "bundle", json_object_new_string(st->bundle ?: ""));
	json_object_object_add(o, "created", json_object_new_string(st->created ?: ""));
	json_object_object_add(o, "owner", json_object_new_string(""));
	json_object_object_add(o, "annotations", st->annotations ?
			       json_tokener_parse(st->annotations) : json_object_new_object());
	print_json(o, true);
}
