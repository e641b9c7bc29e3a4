// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd ps: the processes of a container.  The kernel keeps no
 * list a reader can walk, so each process of /proc is asked for its
 * container (PIDFD_GET_CONTAINER) and that container's ID compared: exact,
 * whatever namespaces the members unshared since.  Members of containers
 * nested in it belong to those, and are not listed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <libsmartcols/libsmartcols.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
	"Usage:\n"
	" " PROG " ps [--json | --format table|json] <id>|<name>\n"
	"\nList the processes of a container.\n"
	"\nOptions:\n"
	" -J, --json             JSON: an object per process\n"
	" -f, --format <fmt>     table, or json: an array of PIDs (as runc ps)\n"
	" -h, --help             display this help\n";

struct member {
	pid_t pid;
	pid_t nspid;	/* its PID in the innermost namespace it is in */
	uid_t uid;
	char *cmd;
};

static bool in_container(pid_t pid, uint64_t id)
{
	struct container_info info;
	int pidfd, cfd, err;

	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return false;
	cfd = cfd_pidfd_get_container(pidfd);
	close(pidfd);
	if (cfd < 0)
		return false;
	err = cfd_get_info(cfd, &info, sizeof(info));
	close(cfd);
	return !err && info.id == id;
}

static void read_member(struct member *m)
{
	char path[64], line[512];
	FILE *f;
	size_t n, i;
	int fd;

	m->nspid = m->pid;
	snprintf(path, sizeof(path), "/proc/%d/status", m->pid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "NSpid:", 6)) {
			char *last = strrchr(line, '\t');

			if (last)
				m->nspid = atoi(last + 1);
		}
		sscanf(line, "Uid: %u", &m->uid);
	}
	if (f)
		fclose(f);
	/* The command line, arguments joined by spaces; else [comm]. */
	snprintf(path, sizeof(path), "/proc/%d/cmdline", m->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? (size_t)read(fd, line, sizeof(line) - 1) : 0;
	if (fd >= 0)
		close(fd);
	if (n == (size_t)-1)
		n = 0;
	if (n) {
		for (i = 0; i + 1 < n; i++)
			if (!line[i])
				line[i] = ' ';
		line[n] = '\0';
		m->cmd = xstrdup(line);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/comm", m->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? (size_t)read(fd, line, sizeof(line) - 1) : 0;
	if (fd >= 0)
		close(fd);
	if (n == (size_t)-1)
		n = 0;
	while (n && line[n - 1] == '\n')
		n--;
	line[n] = '\0';
	m->cmd = xasprintf("[%s]", line);
}

static int by_pid(const void *a, const void *b)
{
	return ((const struct member *)a)->pid - ((const struct member *)b)->pid;
}

int cmd_ps(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum { TABLE, OBJECTS, PIDS } format = TABLE;
	struct member *v = NULL;
	size_t n = 0, i;
	struct target t;
	struct dirent *d;
	DIR *proc;
	int c;

	while ((c = getopt_long(argc, argv, "+Jf:h", opts, NULL)) != -1) {
		switch (c) {
		case 'J':
			format = OBJECTS;
			break;
		case 'f':
			if (!strcmp(optarg, "json"))
				format = PIDS;
			else if (!strcmp(optarg, "table"))
				format = TABLE;
			else
				usage_error("--format: '%s' is neither table nor json", optarg);
			break;
		case 'h':
			print_usage(usage_text);
		default:
			errtryhelp();
		}
	}
	if (optind != argc - 1)
		usage_error("ps: expected one container");
	open_target(&t, argv[optind], 0, false);
	proc = opendir("/proc");
	if (!proc)
		die(errno, "/proc");
	while ((d = readdir(proc))) {
		char *end;
		long pid = strtol(d->d_name, &end, 10);

		if (*end || pid <= 0 || !in_container(pid, t.info.id))
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n] = (struct member){ .pid = pid };
		read_member(&v[n++]);
	}
	closedir(proc);
	qsort(v, n, sizeof(*v), by_pid);

	if (format == PIDS || format == OBJECTS) {
		struct json_object *a = json_object_new_array();

		for (i = 0; i < n; i++) {
			struct json_object *o;

			if (format == PIDS) {
				json_object_array_add(a, json_object_new_int(v[i].pid));
				continue;
			}
			o = json_object_new_object();
			json_object_object_add(o, "pid", json_object_new_int(v[i].pid));
			json_object_object_add(o, "nspid", json_object_new_int(v[i].nspid));
			json_object_object_add(o, "uid", json_object_new_int64(v[i].uid));
			json_object_object_add(o, "command", json_object_new_string(v[i].cmd));
			json_object_array_add(a, o);
		}
		print_json(a, format == OBJECTS);
	} else {
		struct libscols_table *tb = scols_new_table();
		char buf[32];

		if (!tb)
			die(ENOMEM, "libsmartcols");
		scols_table_new_column(tb, "PID", 5, SCOLS_FL_RIGHT);
		scols_table_new_column(tb, "NSPID", 5, SCOLS_FL_RIGHT);
		scols_table_new_column(tb, "UID", 5, SCOLS_FL_RIGHT);
		scols_table_new_column(tb, "COMMAND", 30, SCOLS_FL_TRUNC);
		for (i = 0; i < n; i++) {
			struct libscols_line *ln = scols_table_new_line(tb, NULL);

			snprintf(buf, sizeof(buf), "%d", v[i].pid);
			scols_line_set_data(ln, 0, buf);
			snprintf(buf, sizeof(buf), "%d", v[i].nspid);
			scols_line_set_data(ln, 1, buf);
			snprintf(buf, sizeof(buf), "%u", v[i].uid);
			scols_line_set_data(ln, 2, buf);
			scols_line_set_data(ln, 3, v[i].cmd);
		}
		scols_print_table(tb);
		scols_unref_table(tb);
	}
	for (i = 0; i < n; i++)
		free(v[i].cmd);
	free(v);
	close_target(&t);
	return 0;
}
