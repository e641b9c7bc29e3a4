// SPDX-License-Identifier: GPL-2.0
/*
 * The sandbox the fuzzer runs in, so that it cannot harm the guest:
 *
 *  - a cgroup (under the one we started in) with pids.max and memory.max,
 *    holding the driver ("driver") and the workers ("work"); the workers'
 *    one is killed with cgroup.kill at the end and the tree removed;
 *  - new mount, IPC, UTS and network namespaces, so that every mount,
 *    mqueue and socket the fuzzer makes is its own; the workers enter a
 *    cgroup namespace of their own too (worker.c), the in-container ones
 *    through their container's, so a cgroup2 mount shows them only the
 *    fuzzer's cgroups;
 *  - the scratch tmpfs becomes the namespace's root (pivot_root), so no
 *    path of the guest is reachable at all; the driver keeps a procfs it
 *    mounted there and detached again, reachable through its fd only;
 *  - what the fuzzing mounts on the scratch directories piles up: the
 *    driver unmounts it every few seconds.  A mount on the root itself
 *    would make every process "chrooted" (no user namespaces for them):
 *    calls_mount.c does not make one, and the driver takes away any that
 *    gets there anyway (mount propagation).
 *
 * The scratch tree (fz_scratch_dirs in args.c names its directories):
 * a/b/c, d, w (world-writable), mnt; files f, a/f, null; fifo; symlinks
 * l-out -> ../../../.., l-abs -> /a, l-loop -> l-loop, l-dir -> a.
 */
#include <dirent.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/wait.h>

#include "fuzz.h"

static int write_at(int dfd, const char *file, const char *text)
{
	int fd = openat(dfd, file, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Keep @fd out of the worker's fixed range. */
static int high_fd(int fd)
{
	int h;

	if (fd < 0)
		return fd;
	h = fcntl(fd, F_DUPFD_CLOEXEC, 200);
	close(fd);
	return h;
}

/* Our cgroup, as /proc/self/cgroup says (cgroup2: "0::/path"). */
static int current_cgroup(void)
{
	char line[512], path[600];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int fd = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = 0;
			snprintf(path, sizeof(path), "/sys/fs/cgroup%s", line + 3);
			fd = open(path, O_DIRECTORY | O_CLOEXEC);
		}
	fclose(f);
	return fd;
}

static int setup_cgroup(struct fz_sandbox *sb, size_t mem_max, unsigned int pids_max)
{
	struct statfs sfs;
	char num[32];

	if (statfs("/sys/fs/cgroup", &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC)
		return -1;
	sb->cg_root = high_fd(current_cgroup());
	if (sb->cg_root < 0)
		return -1;
	/* Fails if our cgroup has processes and is not the root: limits then come from above. */
	write_at(sb->cg_root, "cgroup.subtree_control", "+pids +memory");
	snprintf(sb->cg_name, sizeof(sb->cg_name), "cfd-fuzz-%d", getpid());
	if (mkdirat(sb->cg_root, sb->cg_name, 0755))
		return -1;
	sb->cg_dir = high_fd(openat(sb->cg_root, sb->cg_name, O_DIRECTORY | O_CLOEXEC));
	if (sb->cg_dir < 0)
		return -1;
	snprintf(num, sizeof(num), "%u", pids_max);
	if (write_at(sb->cg_dir, "pids.max", num))
		fprintf(stderr, "cfd-fuzz: no pids.max: RLIMIT_NPROC only\n");
	snprintf(num, sizeof(num), "%zu", mem_max);
	if (write_at(sb->cg_dir, "memory.max", num))
		fprintf(stderr, "cfd-fuzz: no memory.max: memory unbounded\n");
	write_at(sb->cg_dir, "memory.swap.max", "0");
	if (mkdirat(sb->cg_dir, "driver", 0755) || mkdirat(sb->cg_dir, "work", 0755))
		return -1;
	sb->cg_work = high_fd(openat(sb->cg_dir, "work", O_DIRECTORY | O_CLOEXEC));
	if (sb->cg_work < 0)
		return -1;
	return write_at(sb->cg_dir, "driver/cgroup.procs", "0");
}

static int populate_scratch(const char *s)
{
	static const char *const dirs[] = { "a", "a/b", "a/b/c", "d", "w", "mnt" };
	static const char *const files[] = { "f", "a/f", "null" };
	static const char *const links[][2] = {
		{ "../../../..", "l-out" }, { "/a", "l-abs" },
		{ "l-loop", "l-loop" }, { "a", "l-dir" },
	};
	int dfd = open(s, O_DIRECTORY | O_CLOEXEC), fd;

	if (dfd < 0)
		return -1;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (mkdirat(dfd, dirs[i], 0755))
			goto fail;
	if (fchmodat(dfd, "w", 01777, 0))
		goto fail;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		fd = openat(dfd, files[i], O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
		if (fd < 0)
			goto fail;
		close(fd);
	}
	if (mknodat(dfd, "fifo", S_IFIFO | 0666, 0))
		goto fail;
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlinkat(links[i][0], dfd, links[i][1]))
			goto fail;
	close(dfd);
	return 0;
fail:
	close(dfd);
	return -1;
}

static uint64_t mount_id_of(int dfd, const char *path)
{
	struct statx stx;

	if (statx(dfd, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) ||
	    !(stx.stx_mask & STATX_MNT_ID))
		return 0;
	return stx.stx_mnt_id;
}

static int setup_mounts(struct fz_sandbox *sb)
{
	if (unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET)) {
		perror("cfd-fuzz: unshare");
		return -1;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("cfd-fuzz-scratch", "/tmp", "tmpfs", 0,
		  "size=64m,nr_inodes=8192,mode=1777") ||
	    populate_scratch("/tmp") || mkdir("/tmp/.proc", 0555) ||
	    mount("proc", "/tmp/.proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		perror("cfd-fuzz: making the scratch dir");
		return -1;
	}
	sb->proc = high_fd(open("/tmp/.proc", O_PATH | O_DIRECTORY | O_CLOEXEC));
	/* The scratch dir becomes the root; the guest's tree is detached. */
	if (sb->proc < 0 || chdir("/tmp") || syscall(SYS_pivot_root, ".", ".") ||
	    umount2(".", MNT_DETACH) || chdir("/") ||
	    umount2("/.proc", MNT_DETACH) || rmdir("/.proc")) {
		perror("cfd-fuzz: pivot_root");
		return -1;
	}
	sb->scratch_mnt_id = mount_id_of(AT_FDCWD, "/");
	if (!sb->scratch_mnt_id) {
		perror("cfd-fuzz: statx");
		return -1;
	}
	return 0;
}

int fz_sandbox_enter(struct fz_sandbox *sb, size_t mem_max, unsigned int pids_max)
{
	memset(sb, 0, sizeof(*sb));
	sb->cg_dir = sb->cg_work = sb->cg_root = -1;
	sb->have_cgroup = !setup_cgroup(sb, mem_max, pids_max);
	if (!sb->have_cgroup)
		fprintf(stderr, "cfd-fuzz: no cgroup of our own (%m): RLIMIT_NPROC only, no memory limit\n");
	return setup_mounts(sb);
}

/* How many mounts sit on our root (mountinfo: a mount point of "/" but ours). */
static int mounts_on_root(struct fz_sandbox *sb, bool *root_seen)
{
	char buf[65536];
	int fd = openat(sb->proc, "self/mountinfo", O_RDONLY | O_CLOEXEC);
	ssize_t n, len = 0;
	int count = 0;

	*root_seen = false;
	if (fd < 0)
		return -1;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	for (char *line = buf, *next; *line; line = next) {
		unsigned long long id;
		char mnt_point[8];

		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if (sscanf(line, "%llu %*u %*s %*s %7s", &id, mnt_point) != 2)
			continue;
		if (id == sb->scratch_mnt_id)
			*root_seen = true;
		else if (!strcmp(mnt_point, "/"))
			count++;
	}
	return count;
}

/*
 * Undo what piles up: unmount whatever was mounted on the scratch
 * directories and on the root, and clear read-only and the like from the
 * root's mounts.  umount2("/") takes the topmost mount on the root, or the
 * root itself when nothing is there: so the mount table is read again
 * before each one.  Returns -1 when the root is gone (the sandbox broke).
 */
int fz_sandbox_tidy(struct fz_sandbox *sb)
{
	struct mount_attr attr = {
		.attr_clr = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			    MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSYMFOLLOW,
		.propagation = MS_PRIVATE,
	};
	char path[64];
	bool root_seen;

	for (unsigned int i = 0; i < fz_nr_scratch_dirs; i++) {
		snprintf(path, sizeof(path), "/%s", fz_scratch_dirs[i]);
		for (int n = 0; n < 256; n++) {
			uint64_t id = mount_id_of(AT_FDCWD, path);

			/* A moved-away mount leaves "a" not a mount: EINVAL, harmless. */
			if (!id || id == sb->scratch_mnt_id ||
			    umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW))
				break;
		}
	}
	for (int n = 0; n < 256 && mounts_on_root(sb, &root_seen) > 0; n++) {
		sb->root_unmounts++;
		umount2("/", MNT_DETACH);
	}
	mounts_on_root(sb, &root_seen);
	syscall(SYS_mount_setattr, AT_FDCWD, "/", AT_RECURSIVE, &attr, sizeof(attr));
	return root_seen ? 0 : -1;
}

/* SIGKILL every worker and everything they left, and reap. */
int fz_sandbox_kill_workers(struct fz_sandbox *sb)
{
	uint64_t start = fz_now_ns();
	char events[256];
	int fd;

	if (!sb->have_cgroup)
		return -1;
	write_at(sb->cg_work, "cgroup.kill", "1");
	while (fz_now_ns() - start < 30000000000ULL) {
		ssize_t n;

		while (waitpid(-1, NULL, __WALL | WNOHANG) > 0)
			;
		fd = openat(sb->cg_work, "cgroup.events", O_RDONLY | O_CLOEXEC);
		n = fd < 0 ? -1 : read(fd, events, sizeof(events) - 1);
		if (fd >= 0)
			close(fd);
		if (n > 0) {
			events[n] = 0;
			if (strstr(events, "populated 0"))
				return 0;
		}
		usleep(20000);
	}
	return -1;
}

/* The run's memory.current, in MiB, or -1. */
long fz_sandbox_memory_mib(struct fz_sandbox *sb)
{
	char buf[32];
	int fd;
	ssize_t n;

	if (!sb->have_cgroup)
		return -1;
	fd = openat(sb->cg_dir, "memory.current", O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return atol(buf) >> 20;
}

/* How many mounts the driver's namespace has. */
int fz_sandbox_mounts(struct fz_sandbox *sb)
{
	char buf[4096];
	int fd = openat(sb->proc, "self/mountinfo", O_RDONLY | O_CLOEXEC), lines = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
	close(fd);
	return lines;
}

bool fz_sandbox_oom_killed(struct fz_sandbox *sb)
{
	char buf[512], *p;
	int fd;
	ssize_t n;

	if (!sb->have_cgroup)
		return false;
	fd = openat(sb->cg_dir, "memory.events", O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	p = strstr(buf, "oom_kill ");
	return p && atol(p + 9) > 0;
}

/* rmdir @name under @dfd and every cgroup the fuzzing made below it. */
static void remove_cgroup(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *e;

	if (fd >= 0 && (d = fdopendir(fd))) {
		while ((e = readdir(d)))
			if (e->d_type == DT_DIR && strcmp(e->d_name, ".") &&
			    strcmp(e->d_name, ".."))
				remove_cgroup(dirfd(d), e->d_name);
		closedir(d);
	} else if (fd >= 0) {
		close(fd);
	}
	unlinkat(dfd, name, AT_REMOVEDIR);
}

/* Back to the cgroup we came from; remove ours. */
void fz_sandbox_leave(struct fz_sandbox *sb)
{
	if (!sb->have_cgroup)
		return;
	if (write_at(sb->cg_root, "cgroup.procs", "0"))
		fprintf(stderr, "cfd-fuzz: cannot leave %s: %m\n", sb->cg_name);
	remove_cgroup(sb->cg_root, sb->cg_name);
	close(sb->cg_dir);
	close(sb->cg_work);
}
