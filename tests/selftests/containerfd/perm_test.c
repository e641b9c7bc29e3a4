// SPDX-License-Identifier: GPL-2.0
/*
 * The Permissions table of Documentation/userspace-api/container.rst, row
 * by row: which namespaces' owners each operation on a container fd
 * checks.
 *
 * An unprivileged owner makes a container with only a user namespace of
 * its own, so it holds the host's other namespaces, owned by the initial
 * user namespace.  The same uid, moved by root into one private namespace
 * of one type (the variant) and then unprivileged, gets the fd: every
 * operation that uses a namespace of that type must now fail with EPERM,
 * and every other must still work, so each row checks exactly the
 * namespaces it names.
 */
#include "cfd_util.h"

#include <sys/stat.h>

#include "kselftest_harness.h"

enum op {
	OP_FORK,	/* CLONE_INTO_CONTAINER: every namespace */
	OP_WALK,	/* openat() from the fd: mount */
	OP_FSOPEN,	/* CONTAINER_IOC_FSOPEN: every namespace */
	OP_SOCKET,	/* CONTAINER_IOC_SOCKET: network */
	OP_NS_MNT,	/* CONTAINER_IOC_GET_NS: the one asked for */
	OP_NS_UTS,
	OP_NS_IPC,
	OP_NS_NET,
	OP_NS_PID,
	OP_NS_CGROUP,
	OP_NS_TIME,
	OP_NS_USER,	/* its owner: rule 2 alone */
	OP_KILL,	/* no namespace */
	OP_PIDFD,	/* PIDFD_GET_CONTAINER: no namespace */
	OP_INFO,	/* CONTAINER_IOC_GET_INFO: no check */
	OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
	"fork", "walk", "fsopen", "socket", "ns mnt", "ns uts", "ns ipc",
	"ns net", "ns pid", "ns cgroup", "ns time", "ns user", "kill",
	"pidfd_get_container", "info",
};

#define ALL_NS_OPS ((1U << OP_FORK) | (1U << OP_FSOPEN))

FIXTURE(perm) {
	int cfd;	/* the owner's container */
	pid_t owner;	/* holds it, with a member, until the test ends */
	pid_t init;	/* its member */
	int owner_go;	/* written to: the owner ends */
};

FIXTURE_VARIANT(perm) {
	unsigned long clone_ns;	/* the type the tester does not share */
	unsigned int refused;	/* the operations that must fail: EPERM */
	unsigned int denied;	/* ...or EACCES: ptrace says no first */
};

FIXTURE_VARIANT_ADD(perm, shares_everything) {
	.clone_ns = 0,
	.refused = 0,
};

FIXTURE_VARIANT_ADD(perm, own_mount_ns) {
	.clone_ns = CLONE_NEWNS,
	.refused = ALL_NS_OPS | (1U << OP_WALK) | (1U << OP_NS_MNT),
};

FIXTURE_VARIANT_ADD(perm, own_uts_ns) {
	.clone_ns = CLONE_NEWUTS,
	.refused = ALL_NS_OPS | (1U << OP_NS_UTS),
};

FIXTURE_VARIANT_ADD(perm, own_ipc_ns) {
	.clone_ns = CLONE_NEWIPC,
	.refused = ALL_NS_OPS | (1U << OP_NS_IPC),
};

FIXTURE_VARIANT_ADD(perm, own_net_ns) {
	.clone_ns = CLONE_NEWNET,
	.refused = ALL_NS_OPS | (1U << OP_SOCKET) | (1U << OP_NS_NET),
};

FIXTURE_VARIANT_ADD(perm, own_pid_ns) {
	.clone_ns = CLONE_NEWPID,
	/* The container's PID namespace is not below the tester's either. */
	.refused = ALL_NS_OPS | (1U << OP_NS_PID),
};

FIXTURE_VARIANT_ADD(perm, own_cgroup_ns) {
	.clone_ns = CLONE_NEWCGROUP,
	.refused = ALL_NS_OPS | (1U << OP_NS_CGROUP),
};

FIXTURE_VARIANT_ADD(perm, own_time_ns) {
	.clone_ns = CLONE_NEWTIME,
	.refused = ALL_NS_OPS | (1U << OP_NS_TIME),
};

/*
 * A user namespace of its own: no capability over the container's owner,
 * and (PIDFD_GET_CONTAINER) none over the member's user namespace either.
 */
FIXTURE_VARIANT_ADD(perm, own_user_ns) {
	.clone_ns = CLONE_NEWUSER,
	.refused = ((1U << OP_COUNT) - 1) & ~((1U << OP_INFO) | (1U << OP_PIDFD)),
	.denied = 1U << OP_PIDFD,
};

/* The owner: makes the container, a member, and hands out the fd. */
static int owner_main(int sock, int go)
{
	int cfd, pidfd = -1;
	pid_t init;
	char c;

	if (cfd_drop_privs(CFD_NOBODY))
		return 10;
	cfd = cfd_create(CONTAINER_NEW_USER_NS, "perm");
	if (cfd < 0)
		return 11;
	init = cfd_fork(cfd, CLONE_PIDFD, &pidfd);
	if (init < 0)
		return 12;
	if (init == 0) {
		for (;;)
			pause();
	}
	if (cfd_send_fd(sock, cfd) || write(sock, &init, sizeof(init)) != sizeof(init))
		return 13;
	/* Until told, or until the test dies. */
	if (read(go, &c, 1) < 0)
		return 14;
	kill(init, SIGKILL);
	cfd_wait(init);
	return 0;
}

FIXTURE_SETUP(perm)
{
	int sv[2], go[2];

	if (!cfd_supported())
		SKIP(return, "kernel has no container objects");
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ASSERT_EQ(pipe2(go, O_CLOEXEC), 0);
	self->owner = fork();
	ASSERT_GE(self->owner, 0);
	if (self->owner == 0) {
		close(go[1]);
		_exit(owner_main(sv[1], go[0]));
	}
	close(sv[1]);
	close(go[0]);
	self->owner_go = go[1];
	self->cfd = cfd_recv_fd(sv[0]);
	ASSERT_GE(self->cfd, 0);
	ASSERT_EQ(read(sv[0], &self->init, sizeof(self->init)), sizeof(self->init));
	close(sv[0]);
}

FIXTURE_TEARDOWN(perm)
{
	if (self->owner <= 0)
		return;
	close(self->owner_go);
	cfd_wait(self->owner);
	close(self->cfd);
}

/* Try @op on @cfd, whose member @pidfd names: 0 if it worked, else errno. */
static int try_op(enum op op, int cfd, int pidfd)
{
	static const unsigned long ns_type[] = {
		[OP_NS_MNT] = CLONE_NEWNS, [OP_NS_UTS] = CLONE_NEWUTS,
		[OP_NS_IPC] = CLONE_NEWIPC, [OP_NS_NET] = CLONE_NEWNET,
		[OP_NS_PID] = CLONE_NEWPID, [OP_NS_CGROUP] = CLONE_NEWCGROUP,
		[OP_NS_TIME] = CLONE_NEWTIME, [OP_NS_USER] = CLONE_NEWUSER,
	};
	struct container_socket sa = { .family = AF_UNIX, .type = SOCK_STREAM };
	struct container_info info;
	pid_t pid;
	int fd;

	switch (op) {
	case OP_FORK:
		pid = cfd_fork(cfd, 0, NULL);
		if (pid == 0)
			_exit(0);
		if (pid < 0)
			return errno;
		return cfd_wait(pid) ? EIO : 0;
	case OP_WALK:
		fd = openat(cfd, "etc/passwd", O_RDONLY | O_CLOEXEC);
		break;
	case OP_FSOPEN:
		fd = cfd_fsopen(cfd, "tmpfs", FSOPEN_CLOEXEC);
		break;
	case OP_SOCKET:
		fd = ioctl(cfd, CONTAINER_IOC_SOCKET, &sa);
		break;
	case OP_KILL:
		return ioctl(cfd, CONTAINER_IOC_KILL, 0) ? errno : 0;
	case OP_PIDFD:
		fd = ioctl(pidfd, PIDFD_GET_CONTAINER, 0);
		break;
	case OP_INFO:
		if (cfd_info(cfd, &info))
			return errno;
		/* Inside the tester's container: its ID and flags are shown. */
		return info.id != CONTAINER_ID_NONE && info.flags ? 0 : EIO;
	default:
		fd = ioctl(cfd, CONTAINER_IOC_GET_NS, ns_type[op]);
		break;
	}
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/*
 * The tester: unprivileged, in a namespace of its own of one type (for
 * PID and time namespaces: in a child, where those take effect).  Exit
 * code: 0, or 100 + the first operation that behaved otherwise.
 */
static int tester_main(int cfd, pid_t init, const FIXTURE_VARIANT(perm) *v)
{
	unsigned long flags = v->clone_ns;
	int op, err, want, pidfd;
	pid_t child;

	/* Before a PID namespace of its own hides the member's PID. */
	pidfd = sys_pidfd_open(init, 0);
	if (pidfd < 0)
		return 89;
	if (flags == CLONE_NEWUSER) {
		if (cfd_drop_privs(CFD_NOBODY) || unshare(CLONE_NEWUSER))
			return 90;
	} else {
		if (flags && unshare(flags))
			return 91;
		if (cfd_drop_privs(CFD_NOBODY))
			return 92;
	}
	if (flags & (CLONE_NEWPID | CLONE_NEWTIME)) {
		child = fork();
		if (child < 0)
			return 93;
		if (child > 0)
			return cfd_wait(child);
	}
	for (op = 0; op < OP_COUNT; op++) {
		err = try_op(op, cfd, pidfd);
		want = v->refused & (1U << op) ? EPERM :
		       v->denied & (1U << op) ? EACCES : 0;
		if (err != want) {
			fprintf(stderr, "# %s: %s, wanted %s\n", op_names[op],
				err ? strerror(err) : "allowed",
				want ? strerror(want) : "allowed");
			return 100 + op;
		}
	}
	return 0;
}

TEST_F(perm, each_operation_checks_its_namespaces)
{
	pid_t tester;

	tester = fork();
	ASSERT_GE(tester, 0);
	if (tester == 0)
		_exit(tester_main(self->cfd, self->init, variant));
	EXPECT_EQ(cfd_wait(tester), 0);
}

TEST_HARNESS_MAIN
