// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Finding containers: the lines of /proc/containers, one at a time, and an
 * fd from a PID, an ID or a name.  The kernel checks every open
 * (PIDFD_GET_CONTAINER); the list only says where to look.
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
#define NR_STATES (sizeof(state_names) / sizeof(state_names[0]))

const char *cfd_state_name(uint32_t state)
{
	return state < NR_STATES ? state_names[state] : "unknown";
}

static int parse_state(const char *s, uint32_t *state)
{
	uint32_t i;

	for (i = 0; i < NR_STATES; i++) {
		if (!strcmp(s, state_names[i])) {
			*state = i;
			return 0;
		}
	}
	return -EIO;
}

/* A decimal field of /proc/containers, all of it, in range. */
static int parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (*s < '0' || *s > '9')
		return -EIO;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x > max)
		return -EIO;
	*v = x;
	return 0;
}

struct cfd_iter {
	FILE *f;
	char *line;
	size_t cap;
};

int cfd_iter_open(struct cfd_iter **it)
{
	struct cfd_iter *i;
	ssize_t n;

	if (!it)
		return -EINVAL;
	i = calloc(1, sizeof(*i));
	if (!i)
		return -ENOMEM;
	i->f = fopen("/proc/containers", "re");
	if (!i->f) {
		n = errno == ENOENT ? -ENOSYS : -errno;
		free(i);
		return n;
	}
	/* The header line. */
	n = getline(&i->line, &i->cap, i->f);
	if (n < 0 || strncmp(i->line, "ID ", 3)) {
		cfd_iter_close(i);
		return -EIO;
	}
	*it = i;
	return 0;
}

/*
 * The next container: 1 and *entry filled, 0 at the end, -errno on error.
 * @size is the caller's sizeof(*entry): a smaller (older) struct gets what
 * it has room for, a larger (newer) one has the rest zeroed.
 */
int cfd_iter_next(struct cfd_iter *it, struct cfd_entry *entry, size_t size)
{
	char id[24], parent[24], state[16], flags[24], name[CONTAINER_NAME_MAX];
	struct cfd_entry e = {};
	uint64_t v;
	int pid, members, n;
	char *end;

	if (!it || !entry || size < CFD_ENTRY_SIZE_VER0)
		return -EINVAL;
	errno = 0;
	if (getline(&it->line, &it->cap, it->f) < 0)
		return errno ? -errno : 0;
	if (sscanf(it->line, "%23s %23s %15s %d %d %23s %63s%n", id, parent,
		   state, &pid, &members, flags, name, &n) != 7 ||
	    (it->line[n] != '\n' && it->line[n] != '\0') || pid < 0 || members < 0)
		return -EIO;
	if (parse_u64(id, CONTAINER_ID_MAX, &e.id))
		return -EIO;
	if (!strcmp(parent, "-"))
		e.parent_id = CONTAINER_ID_NONE;
	else if (parse_u64(parent, CONTAINER_ID_MAX, &e.parent_id))
		return -EIO;
	if (parse_state(state, &e.state))
		return -EIO;
	errno = 0;
	v = strtoull(flags, &end, 16);
	if (errno || strncmp(flags, "0x", 2) || *end)
		return -EIO;
	e.flags = v;
	e.init_pid = pid;
	e.nr_members = members;
	if (strcmp(name, "-"))
		memcpy(e.name, name, strlen(name) + 1);
	memset(entry, 0, size);
	memcpy(entry, &e, size < sizeof(e) ? size : sizeof(e));
	return 1;
}

void cfd_iter_close(struct cfd_iter *it)
{
	if (!it)
		return;
	if (it->f)
		fclose(it->f);
	free(it->line);
	free(it);
}

int cfd_open_pid(pid_t pid)
{
	int pidfd, cfd;

	if (pid <= 0)
		return -EINVAL;
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
	err = cfd_get_info(cfd, &info, sizeof(info));
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
	struct cfd_entry e, match = {};
	struct cfd_iter *it;
	int err, found = 0;

	err = cfd_iter_open(&it);
	if (err)
		return err;
	while ((err = cfd_iter_next(it, &e, sizeof(e))) > 0) {
		if (name ? !strcmp(e.name, name) : e.id == id) {
			match = e;
			found++;
		}
	}
	cfd_iter_close(it);
	if (err < 0)
		return err;
	if (!found)
		return -ENOENT;
	if (found > 1)
		return -ENOTUNIQ;
	return open_entry(&match);
}

int cfd_open_id(uint64_t id)
{
	if (id > CONTAINER_ID_MAX)
		return -ENOENT;
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
