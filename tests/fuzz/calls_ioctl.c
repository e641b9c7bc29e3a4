// SPDX-License-Identifier: GPL-2.0
/*
 * The container fd's ioctls (CONTAINER_IOC_*) and PIDFD_GET_CONTAINER:
 * each with its own command mutated (direction, size), its argument at
 * every kind of pointer, on every kind of fd in the pool; and random
 * commands in both ioctl spaces (0xC7 and pidfs' 0xFF), plus fully random
 * commands on container fds; and the ioctls the VFS answers itself
 * before any driver (FIOCLEX, FIFREEZE, FS_IOC_GETFLAGS, ...) on container,
 * pidfs and nsfs fds.  Commands of other magics are never sent to other
 * fds: on a regular file or a socket they could change the harness's own
 * state.
 */
#include <sys/socket.h>

#include "fuzz.h"

/* The command @good, or one with its direction or size changed. */
static unsigned long mutate_cmd(struct fz_thread *t, unsigned long good)
{
	switch (fz_below(&t->rng, 8)) {
	case 0:
		return _IOC(fz_below(&t->rng, 4), _IOC_TYPE(good), _IOC_NR(good),
			    _IOC_SIZE(good));
	case 1:
		return _IOC(_IOC_DIR(good), _IOC_TYPE(good), _IOC_NR(good),
			    fz_below(&t->rng, 1 << _IOC_SIZEBITS));
	default:
		return good;
	}
}

static long call_get_info(struct fz_thread *t)
{
	static const unsigned int sizes[] = {
		CONTAINER_INFO_SIZE_VER0, CONTAINER_INFO_SIZE_VER0,
		CONTAINER_INFO_SIZE_VER0, CONTAINER_INFO_SIZE_VER0 - 8, 0, 8,
		CONTAINER_INFO_SIZE_VER0 + 8, CONTAINER_INFO_SIZE_VER0 + 64,
		4096, (1 << _IOC_SIZEBITS) - 1,
	};
	unsigned int size = fz_one_in(&t->rng, 8) ?
		fz_below(&t->rng, 1 << _IOC_SIZEBITS) : FZ_PICK(&t->rng, sizes);
	unsigned int dir = fz_one_in(&t->rng, 8) ? fz_below(&t->rng, 4) : _IOC_READ;
	unsigned long cmd = _IOC(dir, CONTAINER_IOC_MAGIC, 1, size);

	return fz_ret(ioctl(fz_pick_fd(t, FZ_K_CONTAINER_LIVE), cmd,
			    fz_ptr_out(t, size)));
}

static long call_kill(struct fz_thread *t)
{
	return fz_ret(ioctl(fz_pick_fd(t, FZ_K_CONTAINER_LIVE),
			    mutate_cmd(t, CONTAINER_IOC_KILL),
			    (unsigned long)(long)fz_signal(t)));
}

static long call_get_ns(struct fz_thread *t)
{
	long ret = fz_ret(ioctl(fz_pick_fd(t, FZ_K_CONTAINER),
				mutate_cmd(t, CONTAINER_IOC_GET_NS),
				fz_ns_type(t)));

	fz_adopt(t, ret, FZ_K_NSFS, 6);
	return ret;
}

static long call_socket(struct fz_thread *t)
{
	static const int families[] = {
		AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_UNSPEC,
		AF_MAX, -1,
	};
	static const int types[] = {
		SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, 0, 11,
	};
	struct container_socket cs = {
		.family = fz_one_in(&t->rng, 8) ? (int)fz_below(&t->rng, 64) :
			  FZ_PICK(&t->rng, families),
		.type = FZ_PICK(&t->rng, types),
		.protocol = fz_one_in(&t->rng, 4) ? (int)fz_interesting64(&t->rng) : 0,
		.reserved = fz_one_in(&t->rng, 8) ? (uint32_t)fz_rand64(&t->rng) : 0,
	};
	long ret;

	if (fz_one_in(&t->rng, 2))
		cs.type |= SOCK_CLOEXEC;
	if (fz_one_in(&t->rng, 4))
		cs.type |= SOCK_NONBLOCK;
	if (fz_one_in(&t->rng, 8))
		cs.type |= 1 << fz_below(&t->rng, 32);
	ret = fz_ret(ioctl(fz_pick_fd(t, FZ_K_CONTAINER),
			   mutate_cmd(t, CONTAINER_IOC_SOCKET),
			   fz_ptr_in(t, &cs, sizeof(cs), sizeof(cs))));
	fz_adopt(t, ret, FZ_K_SOCKET, 8);
	return ret;
}

static long call_fsopen(struct fz_thread *t)
{
	struct container_fsopen fo = {
		.fs_name = (uintptr_t)fz_fs_name(t),
		.flags = fz_one_in(&t->rng, 8) ? (uint32_t)fz_interesting64(&t->rng) :
			 fz_one_in(&t->rng, 2) ? FSOPEN_CLOEXEC : 0,
		.reserved = fz_one_in(&t->rng, 8) ? (uint32_t)fz_rand64(&t->rng) : 0,
	};
	long ret = fz_ret(ioctl(fz_pick_fd(t, FZ_K_CONTAINER),
				mutate_cmd(t, CONTAINER_IOC_FSOPEN),
				fz_ptr_in(t, &fo, sizeof(fo), sizeof(fo))));

	fz_adopt(t, ret, FZ_K_FSCONTEXT, 4);
	return ret;
}

/* Any argument: a small integer or a pointer of any kind. */
static unsigned long any_arg(struct fz_thread *t)
{
	switch (fz_below(&t->rng, 3)) {
	case 0:
		return fz_interesting64(&t->rng);
	default:
		return (unsigned long)fz_ptr_out(t, 256);
	}
}

static long call_ioc_random(struct fz_thread *t)
{
	unsigned long cmd = fz_ioctl_cmd(t, CONTAINER_IOC_MAGIC, 16);
	int fd = fz_pick_fd(t, FZ_K_CONTAINER);
	long ret;

	/* A command of any magic, but only where a container fd is the target. */
	if (fz_one_in(&t->rng, 4) && fz_kind_is_container(fz_pool_kind_of(fd)))
		cmd = fz_one_in(&t->rng, 2) ? (uint32_t)fz_rand64(&t->rng) :
		      fz_ioctl_cmd(t, fz_below(&t->rng, 256), 256);
	ret = fz_ret(ioctl(fd, cmd, any_arg(t)));
	fz_adopt(t, ret, FZ_K_OTHER, 0);
	return ret;
}

static long call_pidfd_get_container(struct fz_thread *t)
{
	long ret = fz_ret(ioctl(fz_pick_fd(t, FZ_K_PIDFD),
				mutate_cmd(t, PIDFD_GET_CONTAINER),
				fz_one_in(&t->rng, 4) ? any_arg(t) : 0));

	fz_adopt(t, ret, FZ_K_CONTAINER_FOREIGN, 3);
	return ret;
}

/* pidfs' own space, where PIDFD_GET_CONTAINER sits beside the namespace ioctls. */
static long call_pidfd_ioc_random(struct fz_thread *t)
{
	long ret = fz_ret(ioctl(fz_pick_fd(t, FZ_K_PIDFD),
				fz_ioctl_cmd(t, 0xFF, 16), any_arg(t)));

	fz_adopt(t, ret, FZ_K_NSFS, 0);
	return ret;
}

/*
 * What do_vfs_ioctl() handles for every file, whatever its kind
 * (linux/fs.h, written out: that header does not mix with sys/mount.h).
 */
static const unsigned long vfs_cmds[] = {
	0x5451,				/* FIOCLEX */
	0x5450,				/* FIONCLEX */
	0x5421,				/* FIONBIO */
	0x5452,				/* FIOASYNC */
	0x5460,				/* FIOQSIZE */
	0x541B,				/* FIONREAD */
	_IOWR('X', 119, int),		/* FIFREEZE */
	_IOWR('X', 120, int),		/* FITHAW */
	_IOWR('f', 11, char[32]),	/* FS_IOC_FIEMAP */
	_IO(0x00, 2),			/* FIGETBSZ */
	_IOW(0x94, 9, int),		/* FICLONE */
	_IOW(0x94, 13, char[32]),	/* FICLONERANGE */
	_IOWR(0x94, 54, char[24]),	/* FIDEDUPERANGE */
	_IOR('f', 1, long),		/* FS_IOC_GETFLAGS */
	_IOW('f', 2, long),		/* FS_IOC_SETFLAGS */
	_IOR('X', 31, char[28]),	/* FS_IOC_FSGETXATTR */
	_IOW('X', 32, char[28]),	/* FS_IOC_FSSETXATTR */
	_IOR(0x15, 0, char[17]),	/* FS_IOC_GETFSUUID */
	_IOR(0x15, 1, char[129]),	/* FS_IOC_GETFSSYSFSPATH */
};

static bool anon_kind(int kind, int unused)
{
	return fz_kind_is_container(kind) || kind == FZ_K_PIDFD || kind == FZ_K_NSFS;
}

static long call_ioc_vfs(struct fz_thread *t)
{
	int fd = fz_find_slot(t, anon_kind, 0);
	unsigned long arg;

	if (fd < 0)
		return FZ_SKIPPED;
	switch (fz_below(&t->rng, 3)) {
	case 0:		/* FICLONE and the like take an fd */
		arg = fz_pick_fd(t, -1);
		break;
	case 1:
		arg = fz_interesting64(&t->rng);
		break;
	default:
		arg = (unsigned long)fz_ptr_out(t, 256);
		break;
	}
	return fz_ret(ioctl(fd, FZ_PICK(&t->rng, vfs_cmds), arg));
}

const struct fz_call fz_ioctl_calls[] = {
	{ "ioc_get_info",		10, call_get_info },
	{ "ioc_kill",			4, call_kill },
	{ "ioc_get_ns",			8, call_get_ns },
	{ "ioc_socket",			6, call_socket },
	{ "ioc_fsopen",			8, call_fsopen },
	{ "ioc_random",			8, call_ioc_random },
	{ "pidfd_get_container",	8, call_pidfd_get_container },
	{ "pidfd_ioc_random",		4, call_pidfd_ioc_random },
	{ "ioc_vfs",			4, call_ioc_vfs },
};
const unsigned int fz_nr_ioctl_calls =
	sizeof(fz_ioctl_calls) / sizeof(fz_ioctl_calls[0]);
