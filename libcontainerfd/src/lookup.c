// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Finding containers: the list in /proc/containers, and an fd from a PID,
 * an ID or a name.  The kernel checks every open (PIDFD_GET_CONTAINER);
 * the list only says where to look.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "containerfd.h"

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif

static const char *const state_names[] = { "created", "running", "dead" };

const char *cfd_state_name(uint32_t state)
{
	return state < 3 ? state_names[state] : "unknown";
}

static int parse_state(const char *s)
{
	unsigned int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(s, state_names[i]))
			return i;
	return -1;
}

int cfd_list(struct cfd_entry **entries, size_t *count)
{
	struct cfd_entry *v = NULL, *nv;
	size_t n = 0, cap = 0;
	char line[512];
	FILE *f;
	int err = 0;

	f = fopen("/proc/containers", "re");
	if (!f)
		return errno == ENOENT ? -ENOSYS : -errno;
	if (!fgets(line, sizeof(line), f)) {	/* header */
		fclose(f);
		return -EIO;
	}
	while (fgets(line, sizeof(line), f)) {
		char id[24], parent[24], state[16], name[CONTAINER_NAME_MAX];
		unsigned long long flags;
		unsigned int members;
		int pid;

		if (sscanf(line, "%23s %23s %15s %d %u %llx %63s", id, parent,
			   state, &pid, &members, &flags, name) != 7) {
			err = -EIO;
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				err = -ENOMEM;
				break;
			}
			v = nv;
		}
		memset(&v[n], 0, sizeof(v[n]));
		v[n].id = strtoull(id, NULL, 10);
		v[n].parent_id = strcmp(parent, "-") ?
				 strtoull(parent, NULL, 10) : CONTAINER_ID_NONE;
		v[n].state = parse_state(state);
		v[n].init_pid = pid;
		v[n].nr_members = members;
		v[n].flags = flags;
		if (strcmp(name, "-"))
			strcpy(v[n].name, name);
		n++;
	}
	fclose(f);
	if (err) {
		free(v);
		return err;
	}
	*entries = v;
	*count = n;
	return 0;
}

void cfd_list_free(struct cfd_entry *entries)
{
	free(entries);
}

int cfd_open_pid(pid_t pid)
{
	int pidfd, cfd;

	pidfd = syscall(__NR_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	cfd = cfd_pidfd_get_container(pidfd);
	close(pidfd);
	return cfd;
}

/*
 * Open the container listed as @e: through its init's PID, then check that
 * the fd is that container (the PID could have been reused meanwhile).
 */
static int open_entry(const struct cfd_entry *e)
{
	struct container_info info;
	int cfd, err;

	if (e->init_pid <= 0)
		return -ESRCH;	/* no init, or not in our PID namespace */
	cfd = cfd_open_pid(e->init_pid);
	if (cfd < 0)
		return cfd;
	err = cfd_get_info(cfd, &info);
	if (!err && info.id != e->id)
		err = -ESRCH;
	if (err) {
		close(cfd);
		return err;
	}
	return cfd;
}

static int open_matching(uint64_t id, const char *name)
{
	struct cfd_entry *v;
	size_t n = 0, i, found = 0;
	int err, match = -1;

	err = cfd_list(&v, &n);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		if (name ? !strcmp(v[i].name, name) : v[i].id == id) {
			match = i;
			found++;
		}
	}
	if (!found)
		err = -ENOENT;
	else if (found > 1)
		err = -ENOTUNIQ;
	else
		err = open_entry(&v[match]);
	cfd_list_free(v);
	return err;
}

int cfd_open_id(uint64_t id)
{
	return open_matching(id, NULL);
}

int cfd_open_name(const char *name)
{
	if (!name || !*name)
		return -EINVAL;
	return open_matching(0, name);
}

/*
 * 0 when the running kernel has container objects, -ENOSYS when not.
 * /proc/containers is what tells: on other kernels the syscall number may
 * be taken by something else (463 is setxattrat from Linux 6.13), so it is
 * called only once the file says the kernel is ours, to check that this
 * ABI's entry point (the compat one for a 32-bit program) is there.
 */
int cfd_probe(void)
{
	if (access("/proc/containers", F_OK)) {
		if (errno != ENOENT)
			return -errno;
		/* Without /proc there is nobody to ask. */
		return access("/proc/self", F_OK) ? -ENOENT : -ENOSYS;
	}
	return cfd_sys_container_create(NULL, 0) == -ENOSYS ? -ENOSYS : 0;
}
