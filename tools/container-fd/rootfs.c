// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Building a container's tree from outside: the root, /proc, /dev, /sys
 * and the user's --mount options, each made in the container's namespaces
 * (CONTAINER_IOC_FSOPEN) or cloned from ours, and moved into its mount
 * namespace through the container fd.  Nothing runs inside for it, but
 * devpts, which only a process inside can make (see process.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cli.h"
#include "rootfs.h"

/* Take the value of @key (or its alias @alt) out of the option string @opts. */
static char *take_option(char **opts, const char *key, const char *alt)
{
	char *value = NULL, *v;
	size_t n;

	if (mnt_optstr_get_option(*opts, key, &v, &n) == 0 ||
	    (alt && mnt_optstr_get_option(*opts, key = alt, &v, &n) == 0)) {
		value = strndup(v ? v : "", v ? n : 0);
		if (!value)
			die(ENOMEM, "--mount");
		mnt_optstr_remove_option(opts, key);
	}
	return value;
}

void mount_spec(int cfd, const char *spec)
{
	char *opts = xstrdup(spec), *type, *dst, *src;
	int mfd, rc;

	type = take_option(&opts, "type", NULL);
	dst = take_option(&opts, "dst", "destination");
	src = take_option(&opts, "src", "source");
	if (!type || !*type || !dst || !*dst)
		usage_error("--mount '%s': needs type=<type> and dst=<path>", spec);
	if (!strcmp(type, "bind")) {
		if (!src || !*src)
			usage_error("--mount '%s': type=bind needs src=<path>", spec);
		rc = cfd_bind(cfd, src, dst, *opts ? opts : NULL);
		if (rc < 0)
			die(-rc, "--mount '%s': cannot bind %s to %s", spec, src, dst);
	} else {
		if (src)
			usage_error("--mount '%s': src= is only for type=bind", spec);
		mfd = cfd_fs_mount(cfd, type, *opts ? opts : NULL);
		if (mfd < 0)
			die(-mfd, "--mount '%s': cannot make a %s filesystem", spec, type);
		rc = cfd_mount_at(cfd, mfd, dst);
		if (rc < 0)
			die(-rc, "--mount '%s': cannot mount it on %s", spec, dst);
		close(mfd);
	}
	free(type);
	free(dst);
	free(src);
	free(opts);
}

static void make_symlink(int cfd, const char *target, const char *path)
{
	if (symlinkat(target, cfd, path) && errno != EEXIST)
		die(errno, "cannot make %s in the container", path);
}

/* A tmpfs /dev with the usual nodes, links, pts and shm. */
static void mount_dev(int cfd)
{
	static const struct { const char *name; int major, minor; } nodes[] = {
		{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
		{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
	};
	static const struct { const char *target, *path; } links[] = {
		{ "/proc/self/fd", "/dev/fd" },
		{ "/proc/self/fd/0", "/dev/stdin" },
		{ "/proc/self/fd/1", "/dev/stdout" },
		{ "/proc/self/fd/2", "/dev/stderr" },
		/* The container's own devpts instance, which init mounts. */
		{ "pts/ptmx", "/dev/ptmx" },
	};
	char path[32];
	size_t i;
	int rc;

	mount_spec(cfd, "type=tmpfs,dst=/dev,mode=0755,nosuid,noexec,size=64k");
	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		snprintf(path, sizeof(path), "/dev/%s", nodes[i].name);
		if (!mknodat(cfd, path, S_IFCHR | 0666,
			     makedev(nodes[i].major, nodes[i].minor)))
			continue;
		/* Without CAP_MKNOD over the host (a user namespace): bind. */
		rc = cfd_bind(cfd, path, path, NULL);
		if (rc < 0)
			die(-rc, "cannot make %s in the container", path);
	}
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		make_symlink(cfd, links[i].target, links[i].path);
	if (mkdirat(cfd, "/dev/pts", 0755) && errno != EEXIST)
		die(errno, "cannot make /dev/pts in the container");
	mount_spec(cfd, "type=tmpfs,dst=/dev/shm,mode=1777,nosuid,nodev,noexec,size=64m");
}

/*
 * Read-only /sys: a sysfs of the container's network namespace.  A sysfs
 * owned by another user namespace must not reveal more than that
 * namespace sees already, which an empty mount namespace does not (the
 * kernel's "too revealing" check): then the host's, bound read-only, as
 * crun does for rootless containers.
 */
static void mount_sys(int cfd)
{
	int mfd, rc;

	mfd = cfd_fs_mount(cfd, "sysfs", "ro,nosuid,nodev,noexec");
	if (mfd >= 0) {
		rc = cfd_mount_at(cfd, mfd, "/sys");
		close(mfd);
		if (rc == 0)
			return;
	} else {
		rc = mfd;
	}
	if (rc != -EPERM)
		die(-rc, "cannot mount a read-only /sys in the container");
	rc = cfd_bind(cfd, "/sys", "/sys", "ro,nosuid,nodev,noexec");
	if (rc < 0)
		die(-rc, "cannot mount a read-only /sys in the container");
}

void mount_rootfs(int cfd, const char *dir, uint64_t flags)
{
	int rc = cfd_set_root_dir(cfd, dir);

	if (rc < 0)
		die(-rc, "cannot make '%s' the container's root", dir);
	if (flags & CONTAINER_NEW_PID_NS)
		mount_spec(cfd, "type=proc,dst=/proc,nosuid,nodev,noexec");
	mount_dev(cfd);
	mount_sys(cfd);
}

/* SIOCSIFFLAGS on a socket made in the container's network namespace. */
void loopback_up(int cfd)
{
	struct ifreq ifr = {};
	int s = cfd_socket(cfd, AF_INET, SOCK_DGRAM, 0);

	if (s < 0)
		die(-s, "cannot make a socket in the container's network namespace");
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr))
		die(errno, "cannot read the flags of the container's loopback");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr))
		die(errno, "cannot bring up the container's loopback");
	close(s);
}
