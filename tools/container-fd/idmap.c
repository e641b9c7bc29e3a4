// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * User and group ID maps of a container's user namespace, written by the
 * parent as util-linux unshare writes them.  The maps are files of a
 * process in the namespace, and the container has none yet: a helper
 * joins the namespace (CONTAINER_IOC_GET_NS + setns(2), which the owner of
 * a user namespace may) and waits while we write its /proc/PID/uid_map and gid_map, so
 * the maps are in place before the container's first process is born.
 * Without privilege, anything but one's own ID goes through the setuid
 * newuidmap(1)/newgidmap(1), which check /etc/subuid and /etc/subgid.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "rootfs.h"

/* "INSIDE:OUTSIDE:COUNT", as podman's --uidmap and the kernel's order. */
void id_map_add(char **map, const char *spec, const char *what)
{
	char *copy = xstrdup(spec), *f[3], *save = NULL, *line;
	uint64_t in, out, count;
	int i;

	for (i = 0; i < 3; i++) {
		f[i] = strtok_r(i ? NULL : copy, ":", &save);
		if (!f[i])
			usage_error("%s '%s': expected <inside>:<outside>:<count>", what, spec);
	}
	if (strtok_r(NULL, ":", &save))
		usage_error("%s '%s': expected <inside>:<outside>:<count>", what, spec);
	in = parse_u64(f[0], 0, UINT32_MAX - 1, "inside ID");
	out = parse_u64(f[1], 0, UINT32_MAX - 1, "outside ID");
	count = parse_u64(f[2], 1, UINT32_MAX, "ID count");
	if (in + count > UINT32_MAX || out + count > UINT32_MAX)
		usage_error("%s '%s': the range goes past 4294967295", what, spec);
	line = xasprintf("%s%llu %llu %llu\n", *map ? *map : "", (unsigned long long)in,
			 (unsigned long long)out, (unsigned long long)count);
	free(*map);
	*map = line;
	free(copy);
}

/* Ourselves as root inside; without privilege, setgroups(2) is given up. */
void id_map_root(struct id_map *m)
{
	free(m->uid_map);
	free(m->gid_map);
	m->uid_map = xasprintf("0 %u 1\n", geteuid());
	m->gid_map = xasprintf("0 %u 1\n", getegid());
	m->deny_setgroups = geteuid() != 0;
}

/* Does @map give ID 0 inside? */
bool id_map_has_root(const char *map)
{
	const char *line;

	for (line = map; line && *line; line = strchr(line, '\n') + 1) {
		if (!strncmp(line, "0 ", 2))
			return true;
		if (!strchr(line, '\n'))
			break;
	}
	return false;
}

/* newuidmap PID INSIDE OUTSIDE COUNT...: the map's numbers in order. */
static int run_newidmap(const char *prog, pid_t pid, const char *map)
{
	struct strv argv = {};
	char *copy = xstrdup(map), *tok, *save = NULL, pidstr[16];
	int status;
	pid_t child;

	strv_push(&argv, prog);
	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	strv_push(&argv, pidstr);
	for (tok = strtok_r(copy, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		strv_push(&argv, tok);
	child = fork();
	if (child == 0) {
		execvp(prog, argv.v);
		_exit(errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
	}
	strv_free(&argv);
	free(copy);
	if (child < 0 || waitpid(child, &status, 0) != child)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EPERM;
}

static void write_map(pid_t pid, const char *file, const char *map, const char *helper)
{
	char path[64];
	int err;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	err = write_file_at(AT_FDCWD, path, map);
	if (err == -EPERM && helper && geteuid() != 0) {
		log_debug("writing %s failed, trying %s", path, helper);
		err = run_newidmap(helper, pid, map);
		if (err)
			die(0, "cannot write the %s of the container's user namespace (%s failed; "
			    "are the IDs in /etc/sub%cid?)", file, helper, file[0]);
		return;
	}
	if (err)
		die(-err, "cannot write the %s of the container's user namespace", file);
}

void id_map_write(int cfd, const struct id_map *m)
{
	int userns, ready[2], hold[2], err = 0, status;
	pid_t helper;
	ssize_t n;

	if (!m->uid_map && !m->gid_map)
		return;
	userns = cfd_get_ns(cfd, CLONE_NEWUSER);
	if (userns < 0)
		die(-userns, "cannot get the container's user namespace");
	if (pipe2(ready, O_CLOEXEC) || pipe2(hold, O_CLOEXEC))
		die(errno, "pipe");
	helper = fork();
	if (helper < 0)
		die(errno, "fork");
	if (helper == 0) {
		char c;

		close(ready[0]);
		close(hold[1]);
		err = setns(userns, CLONE_NEWUSER) ? errno : 0;
		if (write(ready[1], &err, sizeof(err)) != sizeof(err) || err)
			_exit(1);
		/* Until the parent has written the maps and closes its end. */
		while (read(hold[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(userns);
	close(ready[1]);
	close(hold[0]);
	n = read(ready[0], &err, sizeof(err));
	close(ready[0]);
	if (n != sizeof(err) || err)
		die(n == sizeof(err) ? err : EIO, "cannot join the container's user namespace to map IDs");
	if (m->uid_map)
		write_map(helper, "uid_map", m->uid_map, "newuidmap");
	if (m->gid_map) {
		if (m->deny_setgroups)
			write_map(helper, "setgroups", "deny", NULL);
		write_map(helper, "gid_map", m->gid_map, "newgidmap");
	}
	close(hold[1]);
	while (waitpid(helper, &status, 0) < 0 && errno == EINTR)
		;
}
