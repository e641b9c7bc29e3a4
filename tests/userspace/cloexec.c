// SPDX-License-Identifier: GPL-2.0
/*
 * Every fd the library makes is close-on-exec: the container fd from
 * cfd_create() and the cfd_open_*() calls, namespace fds, container
 * sockets (even when SOCK_CLOEXEC was not asked for), filesystem mounts
 * and bind trees.  A program spawned into the container sees none of them.
 */
#include "lib_test.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

static void check_cloexec(int fd, const char *what)
{
	int flags;

	if (fd < 0) {
		fprintf(stderr, "%s: %s\n", what, strerror(-fd));
		exit(1);
	}
	flags = fcntl(fd, F_GETFD);
	if (flags < 0 || !(flags & FD_CLOEXEC)) {
		fprintf(stderr, "%s: fd %d is not close-on-exec\n", what, fd);
		exit(1);
	}
}

/* Re-executed inside: each fd named on the command line must be closed. */
static int child(int argc, char **argv)
{
	int i, leaked = 0;

	for (i = 2; i < argc; i++) {
		if (fcntl(atoi(argv[i]), F_GETFD) >= 0) {
			fprintf(stderr, "fd %s survived exec\n", argv[i]);
			leaked = 1;
		}
	}
	return leaked;
}

int main(int argc, char **argv)
{
	struct cfd_options o = { .flags = CONTAINER_NEW_PID_NS | CONTAINER_NEW_UTS_NS |
				 CONTAINER_NEW_FS_NS, .name = "lib-cloexec" };
	char *sleeper[] = { "sleep", "100", NULL };
	char self[4096], nums[8][12], *cargv[11];
	struct container_info info;
	int cfd, fds[7], pidfd, status, i;
	ssize_t n;
	pid_t pid;

	if (argc > 1 && !strcmp(argv[1], "child"))
		return child(argc, argv);
	skip_unless_supported();
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	CHECK(n > 0);
	self[n] = '\0';

	cfd = cfd_create(&o, sizeof(o));
	check_cloexec(cfd, "cfd_create");
	pidfd = cfd_spawn(cfd, "sleep", sleeper, NULL, NULL, &pid);
	check_cloexec(pidfd, "cfd_spawn's pidfd");
	CHECK(cfd_get_info(cfd, &info, sizeof(info)) == 0);

	fds[0] = cfd_open_pid(pid);
	check_cloexec(fds[0], "cfd_open_pid");
	fds[1] = cfd_open_id(info.id);
	check_cloexec(fds[1], "cfd_open_id");
	fds[2] = cfd_open_name("lib-cloexec");
	check_cloexec(fds[2], "cfd_open_name");
	fds[3] = cfd_get_ns(cfd, CLONE_NEWUTS);
	check_cloexec(fds[3], "cfd_get_ns");
	fds[4] = cfd_socket(cfd, AF_UNIX, SOCK_DGRAM, 0);
	check_cloexec(fds[4], "cfd_socket without SOCK_CLOEXEC");
	fds[5] = cfd_fs_mount(cfd, "tmpfs", "size=64k");
	check_cloexec(fds[5], "cfd_fs_mount");
	fds[6] = cfd;

	/* A program spawned inside has none of them. */
	cargv[0] = self;
	cargv[1] = "child";
	for (i = 0; i < 7; i++) {
		snprintf(nums[i], sizeof(nums[i]), "%d", fds[i]);
		cargv[2 + i] = nums[i];
	}
	cargv[9] = NULL;
	i = cfd_spawn(cfd, self, cargv, NULL, NULL, NULL);
	CHECK(i >= 0);
	CHECK(cfd_wait(i, &status) == 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(i);
	for (i = 0; i < 6; i++)
		close(fds[i]);
	CHECK(cfd_kill(cfd, SIGKILL) == 0);
	CHECK(cfd_wait(pidfd, &status) == 0);
	close(cfd);
	return 0;
}
