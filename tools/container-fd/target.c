// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The container a command names: a numeric ID (as the caller's container
 * numbers its descendants), a name, the ID of an OCI container in the
 * state directory, or the container of a PID.  Opened through the kernel
 * (PIDFD_GET_CONTAINER), which checks the caller's permission.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"

const struct ns_name ns_names[] = {
	{ "mnt", CONTAINER_NEW_FS_NS, CLONE_NEWNS },
	{ "uts", CONTAINER_NEW_UTS_NS, CLONE_NEWUTS },
	{ "ipc", CONTAINER_NEW_IPC_NS, CLONE_NEWIPC },
	{ "user", CONTAINER_NEW_USER_NS, CLONE_NEWUSER },
	{ "pid", CONTAINER_NEW_PID_NS, CLONE_NEWPID },
	{ "net", CONTAINER_NEW_NET_NS, CLONE_NEWNET },
	{ "cgroup", CONTAINER_NEW_CGROUP_NS, CLONE_NEWCGROUP },
	{ "time", CONTAINER_NEW_TIME_NS, CLONE_NEWTIME },
};
const size_t nr_ns_names = sizeof(ns_names) / sizeof(ns_names[0]);

uint64_t parse_ns_list(const char *list)
{
	char *copy, *tok, *save = NULL;
	uint64_t flags = 0;
	size_t i;

	if (!strcmp(list, "all"))
		return CONTAINER_NEW_ALL_NS;
	if (!strcmp(list, "none"))
		return 0;
	copy = xstrdup(list);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < nr_ns_names; i++)
			if (!strcmp(tok, ns_names[i].name))
				break;
		if (i == nr_ns_names)
			usage_error("unknown namespace '%s'", tok);
		flags |= ns_names[i].flag;
	}
	free(copy);
	return flags;
}

void flags_string(uint64_t flags, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < nr_ns_names; i++)
		if (flags & ns_names[i].flag)
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "," : "", ns_names[i].name);
	/* An empty mount namespace is what --rootfs makes; not a --ns name. */
	if (flags & CONTAINER_NEW_EMPTY_FS_NS)
		used += snprintf(buf + used, len - used, "%smnt(empty)",
				 used ? "," : "");
	if (flags & CONTAINER_KILL_ON_CLOSE)
		used += snprintf(buf + used, len - used, "%skill-on-close",
				 used ? "," : "");
	if (!used)
		snprintf(buf, len, "-");
}

void check_kernel(void)
{
	int err = cfd_probe();

	if (err == -ENOSYS)
		die(0, "this kernel has no container objects (it has no /proc/containers)");
	if (err == -ENOENT)
		die(0, "cannot tell whether this kernel has container objects: /proc is not mounted");
	if (err)
		die(-err, "cannot tell whether this kernel has container objects: /proc/containers");
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

void open_target(struct target *t, const char *spec, pid_t pid, bool by_name)
{
	char what[128];
	int cfd, err;

	memset(t, 0, sizeof(*t));
	t->cfd = -1;
	t->spec = spec;
	check_kernel();
	if (pid > 0) {
		snprintf(what, sizeof(what), "container of PID %d", pid);
		cfd = cfd_open_pid(pid);
	} else if (spec && !by_name && all_digits(spec)) {
		snprintf(what, sizeof(what), "container %s", spec);
		cfd = cfd_open_id(parse_u64(spec, 0, CONTAINER_ID_MAX, "container ID"));
	} else if (spec && *spec) {
		snprintf(what, sizeof(what), "container '%s'", spec);
		cfd = cfd_open_name(spec);
		if (cfd == -EINVAL)
			cfd = -ENOENT;
	} else {
		usage_error("no container given");
	}
	if (cfd < 0) {
		switch (-cfd) {
		case ENOENT:
			die(0, "%s: no such container (or it is not visible from here)", what);
		case ENOTUNIQ:
			die(0, "%s: more than one container has that name; use its ID", what);
		case EPERM:
		case EACCES:
			die(0, "%s: permission denied", what);
		case ESRCH:
			die(0, "%s: it has no running init to reach it through", what);
		}
		die(-cfd, "%s", what);
	}
	t->cfd = cfd;
	err = cfd_get_info(cfd, &t->info, sizeof(t->info));
	if (err)
		die(-err, "%s", what);
}

void close_target(struct target *t)
{
	if (t->cfd >= 0)
		close(t->cfd);
	t->cfd = -1;
	free(t->oci_id);
	t->oci_id = NULL;
}

int open_init_pidfd(const struct target *t)
{
	struct container_info info;
	int pidfd, cfd, err;

	if (t->info.init_pid <= 0)
		return -ESRCH;
	pidfd = syscall(SYS_pidfd_open, t->info.init_pid, 0);
	if (pidfd < 0)
		return -errno;
	/* The PID may have been reused: its container must be this one. */
	cfd = cfd_pidfd_get_container(pidfd);
	if (cfd < 0) {
		close(pidfd);
		return cfd == -ENOENT ? -ESRCH : cfd;
	}
	err = cfd_get_info(cfd, &info, sizeof(info));
	close(cfd);
	if (!err && (info.id != t->info.id || info.init_pid != t->info.init_pid))
		err = -ESRCH;
	if (err) {
		close(pidfd);
		return err;
	}
	return pidfd;
}
