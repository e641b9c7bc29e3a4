// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * containerfd.so: a CRIU plugin for the container fds that dumped
 * processes hold.
 *
 * CRIU does not know a container fd (an anonymous inode, "[container]"),
 * so it hands each to DUMP_EXT_FILE in criu's main process, with the
 * tasks frozen, and keeps only the number it gave it; on restore,
 * RESTORE_EXT_FILE runs in the restored task, in its container already
 * (container-fd restore adopted its init at "setup-namespaces"), and
 * returns an fd open there.
 *
 * A process may hold the fd of its own container: it gets an fd of the
 * restored container back, through PIDFD_GET_CONTAINER on itself.  That
 * is a handle: a creator file (the fd container_create(2) returned)
 * cannot be made again, so a CONTAINER_KILL_ON_CLOSE container held only
 * through it no longer dies when it is closed; the dump says so in the
 * log.  Any other container fd (an outer container's, or a nested one's,
 * which container-fd refuses to checkpoint anyway) fails the dump with
 * the reason.
 *
 * container-fd checkpoint names the container it dumps in
 * CONTAINERFD_CHECKPOINT_ID (its ID in the dumper's ID space), and points
 * CRIU here with CRIU_LIBS_DIR.  The plugin's image, one per fd, is
 * "containerfd-ID.img": a line of text.
 */
#define _GNU_SOURCE
#include <criu/criu-plugin.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/container.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif

#define LOG_PREFIX "containerfd plugin: "
#define IMG_FMT "containerfd-%d.img"
#define IMG_MAGIC "containerfd-file 1"

/* CRIU's log is its stderr in swrk mode as on the command line. */
#define pr_err(fmt, ...) fprintf(stderr, "Error (" LOG_PREFIX "): " fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) fprintf(stderr, LOG_PREFIX fmt, ##__VA_ARGS__)

/* Is @fd the creator file (fdinfo "creator: 1")?  -1 when unknown. */
static int is_creator(int fd)
{
	char path[64], line[128];
	int creator = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "creator: %d", &creator) == 1)
			break;
	fclose(f);
	return creator;
}

static int dump_container_fd(int fd, int id)
{
	struct container_info info = {};
	const char *want = getenv("CONTAINERFD_CHECKPOINT_ID");
	char name[64];
	int dirfd, img, creator, len;
	char text[128];

	if (ioctl(fd, CONTAINER_IOC_GET_INFO, &info))
		return -ENOTSUP;	/* not a container fd: not ours */
	if (!want || strtoull(want, NULL, 10) != info.id) {
		pr_err("fd %d is container %" PRIu64 ", not the one being checkpointed (%s): "
		       "only a process's own container can be restored\n",
		       fd, (uint64_t)info.id, want ? want : "none named");
		return -1;
	}
	creator = is_creator(fd);
	if (creator == 1 && (info.flags & CONTAINER_KILL_ON_CLOSE))
		pr_info("fd %d is the creator file of a kill-on-close container; "
			"it comes back as a handle, whose closing does not kill it\n", fd);

	dirfd = criu_get_image_dir();
	snprintf(name, sizeof(name), IMG_FMT, id);
	img = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (img < 0) {
		pr_err("cannot write %s: %s\n", name, strerror(errno));
		return -1;
	}
	len = snprintf(text, sizeof(text), IMG_MAGIC " self creator=%d\n", creator);
	if (write(img, text, len) != len) {
		pr_err("cannot write %s: %s\n", name, strerror(errno));
		close(img);
		return -1;
	}
	close(img);
	return 0;
}
CR_PLUGIN_REGISTER_HOOK(CR_PLUGIN_HOOK__DUMP_EXT_FILE, dump_container_fd)

static int restore_container_fd(int id)
{
	char name[64], text[128] = "";
	int dirfd, img, pidfd, cfd;
	ssize_t n;

	dirfd = criu_get_image_dir();
	snprintf(name, sizeof(name), IMG_FMT, id);
	img = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (img < 0)
		return -ENOTSUP;	/* no image of ours: another plugin's */
	n = read(img, text, sizeof(text) - 1);
	close(img);
	if (n <= 0 || strncmp(text, IMG_MAGIC " self ", strlen(IMG_MAGIC " self "))) {
		pr_err("%s is damaged\n", name);
		return -1;
	}

	/* Its own container: the one it is in now. */
	pidfd = syscall(__NR_pidfd_open, getpid(), 0);
	if (pidfd < 0) {
		pr_err("pidfd_open: %s\n", strerror(errno));
		return -1;
	}
	cfd = ioctl(pidfd, PIDFD_GET_CONTAINER, 0);
	if (cfd < 0)
		pr_err("PIDFD_GET_CONTAINER: %s\n", strerror(errno));
	close(pidfd);
	return cfd < 0 ? -1 : cfd;
}
CR_PLUGIN_REGISTER_HOOK(CR_PLUGIN_HOOK__RESTORE_EXT_FILE, restore_container_fd)

CR_PLUGIN_REGISTER_DUMMY("containerfd")
