/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Kernel container objects: container_create(2), CLONE_INTO_CONTAINER and
 * the ioctls of a container file descriptor.
 *
 * This header is the one source of every number of the interface.  Each
 * was checked free in Linux 6.12; see
 * Documentation/userspace-api/container.rst, "Numbers".
 */
#ifndef _UAPI_LINUX_CONTAINER_H
#define _UAPI_LINUX_CONTAINER_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* Syscall number (x86_64, i386 and the generic table all end at 462). */
#ifndef __NR_container_create
#define __NR_container_create 463
#endif

/*
 * container_args.flags.  Bit values follow the 2019 RFC where it had them.
 * CONTAINER_NEW_FS_NS and CONTAINER_NEW_EMPTY_FS_NS exclude each other.
 */
#define CONTAINER_NEW_FS_NS	 0x001ULL /* copy of the creator's mount namespace */
#define CONTAINER_NEW_EMPTY_FS_NS 0x002ULL /* empty mount namespace, root given later */
#define CONTAINER_NEW_CGROUP_NS	 0x004ULL
#define CONTAINER_NEW_UTS_NS	 0x008ULL
#define CONTAINER_NEW_IPC_NS	 0x010ULL
#define CONTAINER_NEW_USER_NS	 0x020ULL
#define CONTAINER_NEW_PID_NS	 0x040ULL
#define CONTAINER_NEW_NET_NS	 0x080ULL
#define CONTAINER_KILL_ON_CLOSE	 0x100ULL /* dies when its creator file is released */
/* 0x200 is reserved: container fds are always O_CLOEXEC, as pidfds. */
#define CONTAINER_NEW_TIME_NS	 0x400ULL

#define CONTAINER_NEW_ALL_NS						\
	(CONTAINER_NEW_FS_NS | CONTAINER_NEW_CGROUP_NS | CONTAINER_NEW_UTS_NS | \
	 CONTAINER_NEW_IPC_NS | CONTAINER_NEW_USER_NS | CONTAINER_NEW_PID_NS | \
	 CONTAINER_NEW_NET_NS | CONTAINER_NEW_TIME_NS)

/* Containers nest at most this deep, as PID and user namespaces do. */
#define CONTAINER_MAX_DEPTH 32

/* A name: 1 to CONTAINER_NAME_MAX - 1 characters of [A-Za-z0-9_.-]. */
#define CONTAINER_NAME_MAX 64

/*
 * IDs are per ID space: each container is an ID space for its descendants,
 * as a PID namespace is for its processes.  0 always means "the container
 * the caller is in"; CONTAINER_ID_NONE means "not visible from the caller".
 */
#define CONTAINER_ID_SELF 0ULL
#define CONTAINER_ID_NONE (~0ULL)
#define CONTAINER_ID_MAX  0x7fffffffULL

/**
 * struct container_args - arguments of container_create(2)
 * @flags: CONTAINER_* flags above.
 * @name:  pointer to a NUL-terminated name, or 0 for none.
 * @set_id: 0 to allocate an ID, or the ID wanted in the creator's ID space
 *          (checkpoint/restore; needs CAP_CHECKPOINT_RESTORE or
 *          CAP_SYS_ADMIN over the user namespace owning that space).
 */
struct container_args {
	__aligned_u64 flags;
	__aligned_u64 name;
	__aligned_u64 set_id;
};

#define CONTAINER_ARGS_SIZE_VER0 24 /* sizeof first published struct */

/* clone3(): fork into the container whose fd is clone_args.container. */
/* Bit 34: the next after CLONE_INTO_CGROUP (bit 33). */
#define CLONE_INTO_CONTAINER 0x400000000ULL
#define CLONE_ARGS_SIZE_VER3 96 /* struct clone_args with .container */

/* container_info.state */
enum container_state {
	CONTAINER_STATE_CREATED = 0,	/* no process forked in yet */
	CONTAINER_STATE_RUNNING = 1,	/* its init lives */
	CONTAINER_STATE_DEAD	= 2,	/* init exited or the container was killed */
};

/**
 * struct container_info - what CONTAINER_IOC_GET_INFO returns
 * @size: set by the kernel to the number of bytes it filled in.
 * @state: enum container_state.
 * @id: the container's ID as the caller sees it.
 * @parent_id: its parent's ID as the caller sees it.
 * @flags: the flags it was created with.
 * @init_pid: its init's PID in the caller's PID namespace, 0 if none.
 * @nr_members: live processes in it (not counting nested containers).
 * @exit_status: init's wait status once @state is DEAD.
 * @level: depth below the caller's container (1: a child of it; 0: the
 *         caller's own, or not visible).
 * @mnt_ns_ino: inode number of its mount namespace, as /proc/PID/ns/mnt
 *              of a member shows it (all the @*_ns_ino are nsfs inodes).
 * @uts_ns_ino: of its UTS namespace.
 * @ipc_ns_ino: of its IPC namespace.
 * @user_ns_ino: of its user namespace.
 * @pid_ns_ino: of the PID namespace its members are born in.
 * @net_ns_ino: of its network namespace.
 * @cgroup_ns_ino: of its cgroup namespace.
 * @time_ns_ino: of the time namespace its members are born in.
 * @name: its name, NUL-terminated.
 */
struct container_info {
	__u32 size;
	__u32 state;
	__u64 id;
	__u64 parent_id;
	__u64 flags;
	__s32 init_pid;
	__u32 nr_members;
	__s32 exit_status;
	__u32 level;
	__u64 mnt_ns_ino;
	__u64 uts_ns_ino;
	__u64 ipc_ns_ino;
	__u64 user_ns_ino;
	__u64 pid_ns_ino;
	__u64 net_ns_ino;
	__u64 cgroup_ns_ino;
	__u64 time_ns_ino;
	char name[CONTAINER_NAME_MAX];
};

#define CONTAINER_INFO_SIZE_VER0 176 /* sizeof first published struct */

/**
 * struct container_fsopen - what CONTAINER_IOC_FSOPEN makes
 * @fs_name: pointer to the filesystem type's name, as fsopen(2)'s.
 * @flags: FSOPEN_CLOEXEC or 0.
 * @reserved: must be 0.
 */
struct container_fsopen {
	__aligned_u64 fs_name;
	__u32 flags;
	__u32 reserved;
};

#define CONTAINER_FSOPEN_SIZE_VER0 16 /* sizeof first published struct */

/* ioctls on a container fd.  0xC7 is free in ioctl-number.rst. */
#define CONTAINER_IOC_MAGIC	0xC7
/* Extensible: the size in the command number is the caller's struct. */
#define CONTAINER_IOC_GET_INFO	_IOR(CONTAINER_IOC_MAGIC, 1, struct container_info)
/* arg: a signal number; to every process in it and in those nested in it. */
#define CONTAINER_IOC_KILL	_IO(CONTAINER_IOC_MAGIC, 2)
/* arg: one CLONE_NEW* flag; returns an O_CLOEXEC nsfs fd for setns(2). */
#define CONTAINER_IOC_GET_NS	_IO(CONTAINER_IOC_MAGIC, 3)

/**
 * struct container_socket - what CONTAINER_IOC_SOCKET makes
 * @family: as socket(2)'s domain.
 * @type: as socket(2)'s type, SOCK_CLOEXEC and SOCK_NONBLOCK included.
 * @protocol: as socket(2)'s protocol.
 * @reserved: must be 0.
 */
struct container_socket {
	__s32 family;
	__s32 type;
	__s32 protocol;
	__u32 reserved;
};

/* A socket in the container's network namespace; returns its fd. */
#define CONTAINER_IOC_SOCKET	_IOW(CONTAINER_IOC_MAGIC, 4, struct container_socket)
/*
 * fsopen(2) in the container's namespaces; returns an fs-context fd.  Only
 * filesystems that honour the namespaces they are given are offered.
 */
#define CONTAINER_IOC_FSOPEN	_IOW(CONTAINER_IOC_MAGIC, 5, struct container_fsopen)

/**
 * struct container_adopt - what CONTAINER_IOC_ADOPT adopts
 * @pidfd: a pidfd of the task: a process to make the container's init
 *         (CONTAINER_ADOPT_INIT), or the container's init already
 *         (CONTAINER_ADOPT_NAMESPACES alone).
 * @flags: CONTAINER_ADOPT_* below, at least one.
 */
struct container_adopt {
	__u32 pidfd;
	__u32 flags;
};

#define CONTAINER_ADOPT_SIZE_VER0 8 /* sizeof first published struct */

/* A created, empty container takes a restored, lone process as its init. */
#define CONTAINER_ADOPT_INIT		0x1
/* ... and later, once, its namespaces and root (its owner never changes). */
#define CONTAINER_ADOPT_NAMESPACES	0x2

/*
 * Checkpoint/restore: make a process that CRIU restored (alone: one
 * thread, no children) the init of an empty container made with set_id,
 * then give the container that process's namespaces and root.
 */
#define CONTAINER_IOC_ADOPT	_IOW(CONTAINER_IOC_MAGIC, 6, struct container_adopt)

/*
 * The mount API, aimed at a container.  This extends linux/mount.h and is
 * kept here so that this header holds every number of the interface:
 *
 * move_mount(mfd, "", cfd, "/", MOVE_MOUNT_F_EMPTY_PATH |
 * MOVE_MOUNT_T_CONTAINER_ROOT) gives a container made with
 * CONTAINER_NEW_EMPTY_FS_NS its root.  MOVE_MOUNT__MASK (0x377) leaves
 * 0x08 and 0x80 free; this uses 0x80, the next bit above the T_* group.
 */
#define MOVE_MOUNT_T_CONTAINER_ROOT	0x00000080

/*
 * ioctl on a pidfd (PIDFS_IOCTL_MAGIC; 6.12 uses 1 to 10): an O_CLOEXEC
 * handle on the task's container, whose closing never kills it.
 */
#define PIDFD_GET_CONTAINER	_IO(0xFF, 11)

/*
 * The container keyring, through keyctl(2).  This extends linux/keyctl.h
 * and is kept here so that this header holds every number.  6.12's keyctl
 * commands end at 32 (KEYCTL_WATCH_KEY), its KEY_SPEC_* at -8 and its
 * KEYCTL_CAPS1_* bits at 0x04: these take the next ones.
 */
#define KEY_SPEC_CONTAINER_KEYRING	-9	/* the caller's container's keyring */

/* (cfd, 0): the serial of the container's keyring, made if need be */
#define KEYCTL_CONTAINER_KEYRING	33
/* (cfd, key, 0): link @key into the container's keyring */
#define KEYCTL_CONTAINER_LINK		34
/* (cfd, key, 0): unlink @key from the container's keyring */
#define KEYCTL_CONTAINER_UNLINK		35
/* (cfd, struct keyctl_container_intercept *, size): serve its upcalls */
#define KEYCTL_CONTAINER_INTERCEPT	36
/* (authkey, struct keyctl_container_request *, size): what it asks */
#define KEYCTL_CONTAINER_QUERY		37

/* KEYCTL_CAPABILITIES byte 1: the KEYCTL_CONTAINER_* commands exist. */
#define KEYCTL_CAPS1_CONTAINER		0x08

/**
 * struct keyctl_container_intercept - what KEYCTL_CONTAINER_INTERCEPT sets
 * @type: pointer to the name of the key type whose requests to take, or 0
 *        for every type without an interception of its own.
 * @queue: the keyring to link each request's authorisation key into; 0,
 *         without KEYCTL_CONTAINER_INTERCEPT_HOST, removes the interception.
 * @flags: KEYCTL_CONTAINER_INTERCEPT_* flags.
 * @timeout: seconds a request waits for an answer before it is negated;
 *           0 for KEYCTL_CONTAINER_TIMEOUT_DEFAULT.
 * @reserved: must be 0.
 */
struct keyctl_container_intercept {
	__aligned_u64 type;
	__s32 queue;
	__u32 flags;
	__u32 timeout;
	__u32 reserved;
};

#define KEYCTL_CONTAINER_INTERCEPT_SIZE_VER0 24 /* sizeof first published struct */

/* Run /sbin/request-key on the host, as without containers (@queue 0). */
#define KEYCTL_CONTAINER_INTERCEPT_HOST	0x01

#define KEYCTL_CONTAINER_TIMEOUT_DEFAULT 30	/* seconds */
#define KEYCTL_CONTAINER_TIMEOUT_MAX	3600	/* seconds */

/**
 * struct keyctl_container_request - what KEYCTL_CONTAINER_QUERY returns
 * @container_id: the requester's container, as the caller sees it.
 * @description: in: pointer to a buffer for the key's description, or 0.
 * @description_size: in: that buffer's size; the description is copied
 *                    only if it fits, NUL included.
 * @description_len: the description's length, NUL included.
 * @key: the key to instantiate, negate or reject.
 * @pid: the requester, in the caller's PID namespace; 0 if not there.
 * @uid: the requester's fsuid, in the caller's user namespace.
 * @gid: the requester's fsgid, in the caller's user namespace.
 * @thread_keyring: the requester's thread keyring, or 0 (the keyrings
 *                  /sbin/request-key is given).
 * @process_keyring: its process keyring, or 0.
 * @session_keyring: its session keyring, or 0.
 * @callout_len: the callout's length: KEYCTL_READ of the authorisation
 *               key reads it.
 * @flags: KEYCTL_CONTAINER_REQUEST_* flags.
 * @timeout: seconds left before the request is negated.
 * @type: the key type's name.
 */
struct keyctl_container_request {
	__aligned_u64 container_id;
	__aligned_u64 description;
	__u32 description_size;
	__u32 description_len;
	__s32 key;
	__s32 pid;
	__u32 uid;
	__u32 gid;
	__s32 thread_keyring;
	__s32 process_keyring;
	__s32 session_keyring;
	__u32 callout_len;
	__u32 flags;
	__u32 timeout;
	char type[32];
};

#define KEYCTL_CONTAINER_REQUEST_SIZE_VER0 96 /* sizeof first published struct */

/*
 * Made by kernel code on the requester's behalf with credentials of its
 * own (a filesystem's DNS lookup): the key goes to a cache of the kernel's.
 */
#define KEYCTL_CONTAINER_REQUEST_KERNEL	0x01
/* Someone queried it before: a manager without notifications skips it. */
#define KEYCTL_CONTAINER_REQUEST_CLAIMED 0x02

#endif /* _UAPI_LINUX_CONTAINER_H */
