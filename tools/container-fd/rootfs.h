/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A container's tree built from outside: --rootfs, --mount, loopback. */
#ifndef CONTAINER_FD_ROOTFS_H
#define CONTAINER_FD_ROOTFS_H

#include <stdbool.h>
#include <stdint.h>

/* --mount type=<type>,dst=<path>[,src=<path>][,<options>] */
void mount_spec(int cfd, const char *spec);
/*
 * --rootfs: @dir as the root of a container made with an empty mount
 * namespace, then /proc (with a new PID namespace), a /dev with the usual
 * nodes, /dev/pts (mounted by init: see process.c) and ptmx, /dev/shm,
 * the fd/stdin/stdout/stderr links, and a read-only /sys.
 */
void mount_rootfs(int cfd, const char *dir, uint64_t flags);
/* Bring up "lo" in the container's network namespace, from outside. */
void loopback_up(int cfd);

/* idmap.c: --map-root-user, --map-users, --map-groups */
struct id_map {
	char *uid_map;		/* "inside outside count\n"... or NULL */
	char *gid_map;
	bool deny_setgroups;	/* needed to write a gid map unprivileged */
};
void id_map_add(char **map, const char *spec, const char *what);
void id_map_root(struct id_map *m);
bool id_map_has_root(const char *map);
void id_map_write(int cfd, const struct id_map *m);

#endif
