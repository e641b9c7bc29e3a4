// SPDX-License-Identifier: GPL-2.0
/*
 * The fd pool: FZ_POOL_SLOTS fixed fd numbers per worker process, each
 * holding one object of a known kind: container fds (created, live, dead,
 * nested, foreign), pidfds, nsfs fds, O_PATH fds, scratch files, sockets,
 * fs contexts, detached mounts and other anonymous fds.  The threads of a
 * process share its pool.  A slot is replaced atomically with dup3(), so
 * a slot's number is always open; a thread may find a slot replaced under
 * it, which is one more race for the kernel to get right.
 *
 * "Foreign" fds travel between processes through the mailbox, a datagram
 * socketpair every worker inherits: a worker sends a pool fd now and then
 * and adopts what others sent.
 */
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "fuzz.h"

const char *const fz_kind_names[FZ_K_NR] = {
	[FZ_K_PLACEHOLDER] = "placeholder",
	[FZ_K_CONTAINER] = "container (created)",
	[FZ_K_CONTAINER_LIVE] = "container (live)",
	[FZ_K_CONTAINER_DEAD] = "container (dead)",
	[FZ_K_CONTAINER_NESTED] = "container (nested)",
	[FZ_K_CONTAINER_FOREIGN] = "container (foreign)",
	[FZ_K_PIDFD] = "pidfd",
	[FZ_K_NSFS] = "nsfs",
	[FZ_K_OPATH] = "O_PATH",
	[FZ_K_FILE] = "file/dir",
	[FZ_K_SOCKET] = "socket",
	[FZ_K_FSCONTEXT] = "fs context",
	[FZ_K_MOUNT] = "detached mount",
	[FZ_K_OTHER] = "pipe/eventfd/memfd",
};

static _Atomic int slot_kind[FZ_POOL_SLOTS];

/* Set by the worker: unprivileged workers need their own user namespace. */
extern enum fz_worker_kind fz_my_kind;

int fz_pool_kind_of(int fd)
{
	if (fd < FZ_FD_POOL || fd >= FZ_FD_TRANSIENT)
		return -1;
	return slot_kind[fd - FZ_FD_POOL];
}

/* A number that is not one of our open fds, or means something else. */
static int fz_junk_fd(struct fz_thread *t)
{
	static const int junk[] = {
		-1, AT_FDCWD, AT_FDCWD, INT32_MAX, INT32_MIN, 1 << 20, -2, 65535,
	};

	if (fz_one_in(&t->rng, 3))	/* above the pool: most likely closed */
		return FZ_FD_TRANSIENT + 64 + fz_below(&t->rng, 128);
	return FZ_PICK(&t->rng, junk);
}

/* A slot whose kind satisfies @match, scanning from a random one; or -1. */
int fz_find_slot(struct fz_thread *t, bool (*match)(int kind, int want), int want)
{
	unsigned int start = fz_below(&t->rng, FZ_POOL_SLOTS);

	for (unsigned int i = 0; i < FZ_POOL_SLOTS; i++) {
		unsigned int s = (start + i) % FZ_POOL_SLOTS;

		if (match(slot_kind[s], want))
			return FZ_FD_POOL + s;
	}
	return -1;
}

static bool match_container(int kind, int want)
{
	return fz_kind_is_container(kind) && (want < 0 || kind == want);
}

static bool match_kind(int kind, int want)
{
	return kind == want;
}

/*
 * An fd argument: often a container, sometimes the kind the call wants
 * (@prefer, or -1), any pool fd, or junk.
 */
int fz_pick_fd(struct fz_thread *t, int prefer)
{
	unsigned int dice = fz_below(&t->rng, 100);
	int fd = -1;

	if (dice < 8)
		return fz_junk_fd(t);
	if (prefer >= 0 && !fz_kind_is_container(prefer)) {
		/* A call made for another kind of fd: mostly that kind. */
		if (dice < 58)
			fd = fz_find_slot(t, match_kind, prefer);
		else if (dice < 83)
			fd = fz_find_slot(t, match_container, -1);
	} else if (dice < 58) {
		fd = fz_find_slot(t, match_container, -1);
	} else if (dice < 75 && prefer >= 0) {
		fd = fz_find_slot(t, match_container, prefer);
	}
	if (fd < 0)
		fd = FZ_FD_POOL + fz_below(&t->rng, FZ_POOL_SLOTS);
	return fd;
}

int fz_pick_container(struct fz_thread *t)
{
	int fd;

	if (fz_one_in(&t->rng, 8))
		return fz_pick_fd(t, -1);
	fd = fz_find_slot(t, match_container, -1);
	return fd >= 0 ? fd : fz_pick_fd(t, -1);
}

/*
 * A call returned @fd (if it is one of ours, i.e. at or above
 * FZ_FD_TRANSIENT): keep it in a random slot one time in @keep_in, as
 * @kind, and close the original.
 */
void fz_adopt(struct fz_thread *t, long fd, int kind, unsigned int keep_in)
{
	unsigned int s;

	if (fd < FZ_FD_TRANSIENT || fd > INT32_MAX)
		return;
	if (keep_in && fz_one_in(&t->rng, keep_in)) {
		s = fz_below(&t->rng, FZ_POOL_SLOTS);
		if (dup3(fd, FZ_FD_POOL + s, O_CLOEXEC) == FZ_FD_POOL + (int)s) {
			slot_kind[s] = kind;
			atomic_fetch_add(&fz_sh->made[kind], 1);
		}
	}
	close(fd);
}

/* Flags for a container we want made: unprivileged workers need a user ns. */
static uint64_t good_flags(struct fz_thread *t)
{
	uint64_t flags = fz_random_bits(&t->rng, FZ_CONTAINER_NS_FLAGS);

	if (flags & CONTAINER_NEW_FS_NS)
		flags &= ~CONTAINER_NEW_EMPTY_FS_NS;
	if ((fz_my_kind == FZ_W_UNPRIV || fz_my_kind == FZ_W_USERNS) &&
	    !fz_one_in(&t->rng, 8))
		flags |= CONTAINER_NEW_USER_NS;
	return flags;
}

/* Messages in the mailbox: who sent it, and what it was to the sender. */
struct fz_letter {
	pid_t sender;
	int kind;
};

static void mailbox_send(struct fz_thread *t)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct fz_letter letter = { getpid(), 0 };
	struct iovec iov = { &letter, sizeof(letter) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	int fd = fz_one_in(&t->rng, 4) ? fz_pick_fd(t, -1) : fz_pick_container(t);

	if (fd < FZ_FD_POOL || fd >= FZ_FD_TRANSIENT)
		return;
	letter.kind = fz_pool_kind_of(fd);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	sendmsg(FZ_FD_MAILBOX_TX, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void mailbox_receive(struct fz_thread *t)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct fz_letter letter;
	struct iovec iov = { &letter, sizeof(letter) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;
	int fd, kind;

	if (recvmsg(FZ_FD_MAILBOX_RX, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) !=
	    sizeof(letter))
		return;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	kind = letter.kind;
	if (kind < 0 || kind >= FZ_K_NR)
		kind = FZ_K_OTHER;
	if (fz_kind_is_container(kind) && letter.sender != getpid())
		kind = FZ_K_CONTAINER_FOREIGN;
	fz_adopt(t, fd, kind, 1);
}

static int make_pidfd(struct fz_thread *t)
{
	static const unsigned int flags[] = { 0, 0, O_NONBLOCK, PIDFD_THREAD };
	pid_t pid;

	switch (fz_below(&t->rng, 4)) {
	case 0:
		pid = getpid();
		break;
	case 3:		/* a member of one of our live containers */
		pid = fz_sleeper_pid(fz_rand64(&t->rng));
		break;
	case 1:		/* another worker, as the driver sees it */
		pid = fz_sh->workers[fz_below(&t->rng, FZ_MAX_WORKERS)].pid;
		break;
	default:
		pid = getppid();
		break;
	}
	if (pid <= 0)
		pid = getpid();
	return sys_pidfd_open(pid, FZ_PICK(&t->rng, flags));
}

static int make_socket(struct fz_thread *t)
{
	static const int families[] = { AF_UNIX, AF_INET, AF_INET6, AF_NETLINK };
	struct container_socket cs = {
		.family = FZ_PICK(&t->rng, families),
		.type = SOCK_DGRAM | SOCK_CLOEXEC,
	};
	int cfd = fz_pick_container(t);

	if (fz_one_in(&t->rng, 2)) {
		int fd = ioctl(cfd, CONTAINER_IOC_SOCKET, &cs);

		if (fd >= 0)
			return fd;
	}
	return socket(cs.family, cs.type, 0);
}

static int make_fscontext(struct fz_thread *t)
{
	static const char *const types[] = { "tmpfs", "proc", "mqueue", "ramfs" };
	struct container_fsopen fo = {
		.fs_name = (uintptr_t)FZ_PICK(&t->rng, types),
		.flags = FSOPEN_CLOEXEC,
	};

	if (fz_one_in(&t->rng, 2)) {
		int fd = ioctl(fz_pick_container(t), CONTAINER_IOC_FSOPEN, &fo);

		if (fd >= 0)
			return fd;
	}
	return syscall(SYS_fsopen, (const char *)(uintptr_t)fo.fs_name, FSOPEN_CLOEXEC);
}

static int make_mount(struct fz_thread *t)
{
	int fsfd, mfd;

	if (fz_one_in(&t->rng, 2))
		return syscall(SYS_open_tree, AT_FDCWD,
			       fz_scratch_dirs[fz_below(&t->rng, fz_nr_scratch_dirs)],
			       OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	fsfd = make_fscontext(t);
	if (fsfd < 0)
		return -1;
	mfd = -1;
	if (!syscall(SYS_fsconfig, fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		mfd = syscall(SYS_fsmount, fsfd, FSMOUNT_CLOEXEC, 0);
	close(fsfd);
	return mfd;
}

static int make_other(struct fz_thread *t)
{
	int p[2];

	switch (fz_below(&t->rng, 3)) {
	case 0:
		return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	case 1:
		return memfd_create("cfd-fuzz", MFD_CLOEXEC);
	default: {
		int keep = fz_below(&t->rng, 2);

		if (pipe2(p, O_CLOEXEC | O_NONBLOCK))
			return -1;
		close(p[!keep]);
		return p[keep];
	}
	}
}

static bool any_live(int kind, int unused)
{
	return kind == FZ_K_CONTAINER_LIVE || kind == FZ_K_CONTAINER_NESTED;
}

/* Make one new object and put it in a slot. */
static void churn_one(struct fz_thread *t, unsigned int what)
{
	int fd = -1, kind = FZ_K_OTHER, parent;
	uint64_t flags = good_flags(t);

	switch (what) {
	case 0 ... 2:
		fd = fz_create(flags, fz_one_in(&t->rng, 2) ? "fz" : NULL);
		kind = FZ_K_CONTAINER;
		break;
	case 3 ... 4:
		fd = fz_create(flags | (fz_one_in(&t->rng, 2) ? CONTAINER_KILL_ON_CLOSE : 0), NULL);
		if (fd >= 0 && fz_make_live(fd)) {
			close(fd);
			fd = -1;
		}
		kind = FZ_K_CONTAINER_LIVE;
		break;
	case 5:
		fd = fz_make_dead(flags);
		kind = FZ_K_CONTAINER_DEAD;
		break;
	case 6:
		parent = fz_find_slot(t, any_live, 0);
		if (parent >= 0)
			fd = fz_make_nested(parent, good_flags(t), fz_one_in(&t->rng, 2));
		kind = FZ_K_CONTAINER_NESTED;
		break;
	case 7:
		mailbox_send(t);
		mailbox_receive(t);
		return;
	case 8:
		fd = make_pidfd(t);
		kind = FZ_K_PIDFD;
		break;
	case 9:
		if (fz_one_in(&t->rng, 2))
			fd = fcntl(FZ_FD_NSFS + fz_below(&t->rng, FZ_NR_NSFS),
				   F_DUPFD_CLOEXEC, FZ_FD_TRANSIENT);
		else
			fd = ioctl(fz_pick_container(t), CONTAINER_IOC_GET_NS,
				   fz_ns_type(t));
		kind = FZ_K_NSFS;
		break;
	case 10:
		fd = open(fz_scratch_dirs[fz_below(&t->rng, fz_nr_scratch_dirs)], O_PATH | O_CLOEXEC);
		if (fd < 0)
			fd = open("/", O_PATH | O_CLOEXEC);
		kind = FZ_K_OPATH;
		break;
	case 11:
		fd = open(fz_scratch_dirs[fz_below(&t->rng, fz_nr_scratch_dirs)],
			  O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		kind = FZ_K_FILE;
		break;
	case 12:
		fd = make_socket(t);
		kind = FZ_K_SOCKET;
		break;
	case 13:
		fd = make_fscontext(t);
		kind = FZ_K_FSCONTEXT;
		break;
	case 14:
		fd = make_mount(t);
		kind = FZ_K_MOUNT;
		break;
	default:
		fd = make_other(t);
		kind = FZ_K_OTHER;
		break;
	}
	if (fd >= 0)
		fz_adopt(t, fd, kind, 1);
}

/* Now and then: replace one slot with a fresh object. */
void fz_pool_churn(struct fz_thread *t)
{
	churn_one(t, fz_below(&t->rng, 16));
	fz_sleepers_reap();
}

/* Fill every slot with a placeholder, then make one of each kind and some more. */
void fz_pool_init(struct fz_thread *t)
{
	for (int s = 0; s < FZ_POOL_SLOTS; s++) {
		dup3(0, FZ_FD_POOL + s, O_CLOEXEC);
		slot_kind[s] = FZ_K_PLACEHOLDER;
	}
	for (unsigned int what = 0; what < 16; what++)
		churn_one(t, what);
	for (int i = 0; i < FZ_POOL_SLOTS / 3; i++)
		churn_one(t, fz_below(&t->rng, 16));
}
