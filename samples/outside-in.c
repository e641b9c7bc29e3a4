// SPDX-License-Identifier: GPL-2.0
/*
 * Build a container's whole filesystem from outside, then run a shell in
 * it: no setns(), no helper process, no chroot() in the child.
 *
 *   outside-in             (as root)
 *
 * 1. container_create() with an empty mount namespace;
 * 2. its root: a tmpfs made in the container (CONTAINER_IOC_FSOPEN),
 *    given with move_mount(MOVE_MOUNT_T_CONTAINER_ROOT);
 * 3. the host's /usr bound read-only into it (open_tree + move_mount);
 * 4. /proc of its PID namespace, /dev with two nodes, made from outside;
 * 5. clone3(CLONE_INTO_CONTAINER) runs /bin/sh there.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/container.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(expr)							\
	do {								\
		if ((expr) < 0) {					\
			perror(#expr);					\
			exit(1);					\
		}							\
	} while (0)

/* A new @type superblock made inside @cfd, as a detached mount. */
static int fs_in(int cfd, const char *type)
{
	struct container_fsopen fo = {
		.fs_name = (uintptr_t)type,
		.flags = FSOPEN_CLOEXEC,
	};
	int fsfd = ioctl(cfd, CONTAINER_IOC_FSOPEN, &fo), mfd;

	CHECK(fsfd);
	CHECK(fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID);
	CHECK(mfd);
	close(fsfd);
	return mfd;
}

/* Mount the detached @mfd on the new directory @path of @cfd's tree. */
static void mount_dir(int cfd, int mfd, const char *path)
{
	CHECK(mkdirat(cfd, path, 0755));
	CHECK(move_mount(mfd, "", cfd, path, MOVE_MOUNT_F_EMPTY_PATH));
	close(mfd);
}

int main(void)
{
	struct container_args args = {
		.flags = CONTAINER_NEW_EMPTY_FS_NS | CONTAINER_NEW_PID_NS |
			 CONTAINER_NEW_UTS_NS | CONTAINER_NEW_IPC_NS |
			 CONTAINER_KILL_ON_CLOSE,
		.name = (uintptr_t)"outside-in",
	};
	struct clone_args cl = {
		.flags = CLONE_INTO_CONTAINER,
		.exit_signal = SIGCHLD,
	};
	int cfd, mfd, status;
	pid_t pid;

	cfd = syscall(__NR_container_create, &args, sizeof(args));
	CHECK(cfd);

	/* Its root. */
	mfd = fs_in(cfd, "tmpfs");
	CHECK(move_mount(mfd, "", cfd, "/",
			 MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_CONTAINER_ROOT));
	close(mfd);

	/* The host's programs, read-only, and the merged-/usr links. */
	mfd = open_tree(AT_FDCWD, "/usr", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
			AT_RECURSIVE);
	CHECK(mfd);
	CHECK(mount_setattr(mfd, "", AT_EMPTY_PATH | AT_RECURSIVE,
			    &(struct mount_attr){ .attr_set = MOUNT_ATTR_RDONLY },
			    sizeof(struct mount_attr)));
	mount_dir(cfd, mfd, "usr");
	CHECK(symlinkat("usr/bin", cfd, "bin"));
	CHECK(symlinkat("usr/lib", cfd, "lib"));
	CHECK(symlinkat("usr/lib64", cfd, "lib64"));

	/* /proc of its PID namespace, /dev with two nodes. */
	mount_dir(cfd, fs_in(cfd, "proc"), "proc");
	mount_dir(cfd, fs_in(cfd, "tmpfs"), "dev");
	CHECK(mknodat(cfd, "dev/null", S_IFCHR | 0666, makedev(1, 3)));
	CHECK(mknodat(cfd, "dev/zero", S_IFCHR | 0666, makedev(1, 5)));

	/* A process born inside. */
	cl.container = cfd;
	pid = syscall(__NR_clone3, &cl, sizeof(cl));
	CHECK(pid);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c",
		      "echo pid $$, root: $(ls /); "
		      "echo \"mounts: $(cut -d' ' -f5 /proc/self/mountinfo | tr '\\n' ' ')\"",
		      NULL);
		_exit(127);
	}
	CHECK(waitpid(pid, &status, 0));
	close(cfd);	/* kill on close */
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
