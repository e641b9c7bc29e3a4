// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel container objects: container_create(2) and the container fd.
 *
 * The file container_create() returns is the container's *creator file*:
 * it, its dups and the copies fork and SCM_RIGHTS make of it are what
 * CONTAINER_KILL_ON_CLOSE watches.  PIDFD_GET_CONTAINER opens *handles*:
 * the same operations, but their closing never kills, so no member can
 * keep its container alive by opening it.  Every file is O_CLOEXEC.
 *
 * See Documentation/userspace-api/container.rst.
 */

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs_context.h>
#include <linux/ipc_namespace.h>
#include <linux/mnt_namespace.h>
#include <linux/net.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/proc_ns.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/syscalls.h>
#include <linux/time_namespace.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>
#include <uapi/linux/mount.h>

#include "container_internal.h"

#define CONTAINER_NS_FLAGS (CONTAINER_NEW_ALL_NS | CONTAINER_NEW_EMPTY_FS_NS)
#define CONTAINER_VALID_FLAGS (CONTAINER_NS_FLAGS | CONTAINER_KILL_ON_CLOSE)

static const struct file_operations container_fops;
static const struct file_operations container_handle_fops;

/* The container of a container file, creator file or handle; else NULL. */
struct container *container_file_container(const struct file *file)
{
	if (file->f_op != &container_fops && file->f_op != &container_handle_fops)
		return NULL;
	return file->private_data;
}

/*
 * Publish @c and install its creator file, the fd last: once installed,
 * another thread may close it.  Takes over the caller's reference to @c,
 * which the file holds once it exists: every failure drops it.
 */
static int container_install_fd(struct container *c)
{
	struct file *file;
	int fd, err;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		container_put(c);
		return fd;
	}
	file = anon_inode_getfile("[container]", &container_fops, c, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		container_put(c);
		return PTR_ERR(file);
	}
	/* The file owns our reference now; fput() undoes everything. */
	err = container_publish(c);
	if (err) {
		put_unused_fd(fd);
		fput(file);
		return err;
	}
	container_audit_create(c);
	fd_install(fd, file);
	return fd;
}

static int container_create(const struct container_args *args,
			    const char *name)
{
	struct container *parent = current_container();
	struct cred *new_cred = NULL;
	struct container *c;
	int err;

	if (parent->level >= CONTAINER_MAX_DEPTH)
		return -ENOSPC;

	/*
	 * A new user namespace is made as unshare(2) makes one, through the
	 * same function and so behind the same gates (user.max_user_namespaces,
	 * the LSM hook security_create_user_ns()).
	 */
	if (args->flags & CONTAINER_NEW_USER_NS) {
		err = unshare_userns(CLONE_NEWUSER, &new_cred);
		if (err)
			return err;
	}

	c = container_alloc(parent, args->flags, name);
	if (!c) {
		err = -ENOMEM;
		goto out_cred;
	}
	c->user_ns = get_user_ns(new_cred ? new_cred->user_ns : current_user_ns());

	/*
	 * As unshare(2): a container and its namespaces may be made by whoever
	 * has CAP_SYS_ADMIN in the user namespace that will own them, i.e. the
	 * creator's, or the new one, in which the creator, as its owner, has
	 * every capability.
	 */
	err = -EPERM;
	if (!ns_capable(c->user_ns, CAP_SYS_ADMIN))
		goto out_put;
	/*
	 * Choosing an ID is restoring one (CRIU): checked, as clone3()'s
	 * set_tid is, against the user namespace owning the ID space.
	 */
	if (args->set_id && !checkpoint_restore_ns_capable(parent->user_ns))
		goto out_put;

	err = container_charge(c);
	if (err)
		goto out_put;
	err = container_make_namespaces(c, new_cred);
	if (err)
		goto out_put;
	err = container_alloc_ids(c, args->set_id);
	if (err)
		goto out_put;
	err = container_security_alloc(c);
	if (err)
		goto out_put;
	err = container_install_fd(c);
	if (new_cred)
		put_cred(new_cred);
	return err;

out_put:
	container_put(c);
out_cred:
	if (new_cred)
		put_cred(new_cred);
	return err;
}

/**
 * sys_container_create - create a container object
 * @uargs: the arguments, a struct container_args
 * @usize: sizeof(*@uargs) as userspace knows it
 *
 * Return: a new O_CLOEXEC container fd, or a negative errno.
 */
SYSCALL_DEFINE2(container_create, struct container_args __user *, uargs,
		size_t, usize)
{
	struct container_args args;
	char name[CONTAINER_NAME_MAX] = "";
	long len;
	int err;

	BUILD_BUG_ON(sizeof(struct container_args) != CONTAINER_ARGS_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct container_info) != CONTAINER_INFO_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct container_fsopen) != CONTAINER_FSOPEN_SIZE_VER0);

	if (unlikely(usize > PAGE_SIZE))
		return -E2BIG;
	if (unlikely(usize < CONTAINER_ARGS_SIZE_VER0))
		return -EINVAL;
	err = copy_struct_from_user(&args, sizeof(args), uargs, usize);
	if (err)
		return err;

	if (args.flags & ~CONTAINER_VALID_FLAGS)
		return -EINVAL;
	if ((args.flags & CONTAINER_NEW_FS_NS) &&
	    (args.flags & CONTAINER_NEW_EMPTY_FS_NS))
		return -EINVAL;
	if (args.set_id > CONTAINER_ID_MAX)
		return -EINVAL;
	if (args.name) {
		len = strncpy_from_user(name, u64_to_user_ptr(args.name),
					sizeof(name));
		if (len < 0)
			return len;
		if (len == sizeof(name))
			return -ENAMETOOLONG;
		if (!container_name_valid(name))
			return -EINVAL;
	}
	return container_create(&args, name);
}

/**
 * container_from_fd - the container of a container fd, referenced
 * @fd: the file descriptor
 *
 * Return: the container, or ERR_PTR(-EBADF) for a bad fd and
 * ERR_PTR(-EINVAL) for an fd that is not a container.
 */
struct container *container_from_fd(int fd)
{
	CLASS(fd, f)(fd);
	struct container *c;

	if (fd_empty(f))
		return ERR_PTR(-EBADF);
	c = container_file_container(fd_file(f));
	if (!c)
		return ERR_PTR(-EINVAL);
	return container_get(c);
}

/**
 * container_from_dirfd - the container a dirfd names, if it is one
 * @dfd: a dirfd, or AT_FDCWD
 *
 * Return: the container, referenced, or NULL when @dfd is not a container
 * fd (the path walk reports a bad fd).
 */
struct container *container_from_dirfd(int dfd)
{
	struct container *c = container_from_fd(dfd);

	return IS_ERR(c) ? NULL : c;
}

/* A handle on @c: an O_CLOEXEC file that CONTAINER_KILL_ON_CLOSE ignores. */
static int container_open_handle(struct container *c)
{
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	file = anon_inode_getfile("[container]", &container_handle_fops,
				  container_get(c), O_RDWR);
	if (IS_ERR(file)) {
		container_put(c);
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

/**
 * container_fd_of_task - PIDFD_GET_CONTAINER: open a task's container
 * @task: the task; pidfs holds its exec_update_lock and checked that
 *        current may ptrace-read it with its fs credentials
 *
 * Return: a new O_CLOEXEC handle on the container; -ENOENT when @task is
 * in the root container, which has no fd; -EPERM when the container is
 * outside current's, or current lacks CAP_SYS_ADMIN over the container's
 * owning user namespace.
 */
int container_fd_of_task(struct task_struct *task)
{
	struct container *c = task->container;

	if (c == &init_container)
		return -ENOENT;
	if (!container_is_within(c, current_container()))
		return -EPERM;
	if (!ns_capable(c->user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	return container_open_handle(c);
}

/* fs/namei.c: is @fd a container, whose walks are confined to its root? */
bool container_fd_is_container(int fd)
{
	CLASS(fd_raw, f)(fd);

	return !fd_empty(f) && container_file_container(fd_file(f));
}

/**
 * container_may_walk - may current walk @c's tree from @root?
 * @c: the container
 * @root: its root, as the caller read it (container_root()) and will walk
 *        from
 *
 * move_mount() asks this of the container of its destination fd, then
 * resolves the target from @root itself: one lookup of the fd, so the
 * permission is the one of the container it mounts into.
 *
 * Return: 0 or -EPERM.
 */
int container_may_walk(struct container *c, const struct path *root)
{
	return container_may(c, CONTAINER_ACT_WALK, root);
}

/**
 * container_file_root - where a path walk from a container fd starts
 * @file: the dirfd's file
 *
 * The walk resolves in the container's mount namespace, from its root,
 * confined to it (LOOKUP_IN_ROOT), with the caller's credentials: walking
 * a container's tree is entering its mount namespace for that walk, so
 * container_may(%CONTAINER_ACT_WALK) decides.  May run under
 * rcu_read_lock().
 *
 * Return: NULL when @file is not a container; the root; or ERR_PTR(-EPERM).
 */
const struct path *container_file_root(struct file *file)
{
	struct container *c = container_file_container(file);
	const struct path *root;
	int err;

	if (!c)
		return NULL;
	/* Read once: the root checked is the root walked from. */
	root = container_root(c);
	err = container_may(c, CONTAINER_ACT_WALK, root);
	if (err)
		return ERR_PTR(err);
	return root;
}

/*
 * What the caller may see: everything about its own container and those
 * below; of any other, only whether it lives.
 */
static void container_fill_info(struct container *c, struct container_info *info)
{
	struct container *viewer = current_container();
	struct nsproxy *nsp = c->nsproxy;
	struct pid *init_pid;

	info->id = container_id_in(c, viewer);
	info->state = container_is_dead(c) ? CONTAINER_STATE_DEAD :
		      READ_ONCE(c->state);
	if (info->id == CONTAINER_ID_NONE) {
		info->parent_id = CONTAINER_ID_NONE;
		return;
	}
	info->parent_id = container_id_in(c->parent, viewer);
	info->flags = c->flags;
	info->level = c->level - viewer->level;
	strscpy(info->name, c->name);

	read_lock(&tasklist_lock);
	info->nr_members = c->nr_procs;
	info->exit_status = c->exit_status;
	init_pid = c->init_pid;
	info->init_pid = init_pid ? pid_vnr(init_pid) : 0;
	read_unlock(&tasklist_lock);

	info->mnt_ns_ino = from_mnt_ns(nsp->mnt_ns)->inum;
	info->uts_ns_ino = nsp->uts_ns->ns.inum;
	info->ipc_ns_ino = nsp->ipc_ns->ns.inum;
	info->user_ns_ino = c->user_ns->ns.inum;
	info->pid_ns_ino = nsp->pid_ns_for_children->ns.inum;
	info->net_ns_ino = nsp->net_ns->ns.inum;
#ifdef CONFIG_CGROUPS
	info->cgroup_ns_ino = nsp->cgroup_ns->ns.inum;
#endif
#ifdef CONFIG_TIME_NS
	info->time_ns_ino = nsp->time_ns_for_children->ns.inum;
#endif
}

static long container_get_info(struct container *c, unsigned int cmd,
			       struct container_info __user *uinfo)
{
	size_t usize = _IOC_SIZE(cmd);
	struct container_info info = {};

	if (_IOC_DIR(cmd) != _IOC_READ)
		return -ENOTTY;
	if (usize < CONTAINER_INFO_SIZE_VER0)
		return -EINVAL;
	container_fill_info(c, &info);
	/* As NS_MNT_GET_INFO: copy what both sides know, say how much. */
	info.size = min(usize, sizeof(info));
	if (copy_to_user(uinfo, &info, info.size))
		return -EFAULT;
	return 0;
}

/*
 * @sig to each process of @c once, as kill(2) to a process group: under
 * read_lock(&tasklist_lock) for the whole container, as kill(-pgrp)
 * holds it for the whole group.  @members lists processes, by their
 * thread-group leaders, until they are reaped.
 */
static int container_signal_members(struct container *c, int sig)
{
	struct task_struct *t;
	int err, ret = -ESRCH;

	read_lock(&tasklist_lock);
	list_for_each_entry(t, &c->members, container_node) {
		err = group_send_sig_info(sig, SEND_SIG_NOINFO, t, PIDTYPE_TGID);
		/* As kill(-pgrp): success if any process got it. */
		if (!err || ret)
			ret = err;
	}
	read_unlock(&tasklist_lock);
	return ret;
}

/* CONTAINER_IOC_KILL: @sig to every process in @c and in its descendants. */
static long container_kill(struct container *c, unsigned long sig)
{
	struct container *d;
	unsigned long id = 0;
	int err, ret;

	if (sig >= _NSIG)
		return -EINVAL;
	if (!container_is_within(c, current_container()))
		return -EPERM;
	/*
	 * kill(2) would want CAP_KILL over each member's user namespace:
	 * ask once of the container's owner; each signal then passes
	 * check_kill_permission() too.
	 */
	if (!ns_capable(c->user_ns, CAP_KILL))
		return -EPERM;

	ret = container_signal_members(c, sig);
	while ((d = container_get_live(&c->descendants, &id))) {
		err = container_signal_members(d, sig);
		if (!err || ret)
			ret = err;
		container_put(d);
		id++;
		cond_resched();
	}
	return ret;
}

/*
 * CONTAINER_IOC_SOCKET: a socket made in the container's network namespace
 * with the caller's credentials, as socket(2) inside would make it.
 */
static long container_socket(struct container *c,
			     struct container_socket __user *uarg)
{
	struct container_socket args;
	struct nsproxy *nsp;
	struct socket *sock;
	struct file *file;
	int flags, err, fd;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	flags = args.type & ~SOCK_TYPE_MASK;
	if (args.reserved || (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)))
		return -EINVAL;
	/* The namespace checked is the one the socket is made in. */
	nsp = container_nsproxy(c);
	err = container_may_in(c, nsp, CONTAINER_ACT_NET, NULL);
	if (err)
		return err;
	if (!IS_ENABLED(CONFIG_NET))
		return -EAFNOSUPPORT;

	err = __sock_create(nsp->net_ns, args.family,
			    args.type & SOCK_TYPE_MASK, args.protocol, &sock, 0);
	if (err)
		return err;
	file = sock_alloc_file(sock, flags, NULL);
	if (IS_ERR(file))
		return PTR_ERR(file);
	fd = get_unused_fd_flags(flags & SOCK_CLOEXEC);
	if (fd < 0) {
		fput(file);
		return fd;
	}
	fd_install(fd, file);
	return fd;
}

/*
 * CONTAINER_IOC_GET_NS: an nsfs fd for one of the container's namespaces,
 * for whoever may use that namespace (container_may_ns()).
 */
static long container_get_ns(struct container *c, unsigned long type)
{
	/* Read once: the namespace checked is the one referenced and opened. */
	struct nsproxy *nsp = container_nsproxy(c), *own = current->nsproxy;
	struct ns_common *ns, *own_ns;
	int err;

	switch (type) {
	case CLONE_NEWNS:
		ns = from_mnt_ns(nsp->mnt_ns);
		own_ns = from_mnt_ns(own->mnt_ns);
		break;
	case CLONE_NEWUTS:
		ns = &nsp->uts_ns->ns;
		own_ns = &own->uts_ns->ns;
		break;
	case CLONE_NEWIPC:
		ns = &nsp->ipc_ns->ns;
		own_ns = &own->ipc_ns->ns;
		break;
	case CLONE_NEWUSER:
		/* Its owner: container_may_ns() asks CAP_SYS_ADMIN over it. */
		ns = &c->user_ns->ns;
		own_ns = ns;
		break;
	case CLONE_NEWPID:
		ns = &nsp->pid_ns_for_children->ns;
		own_ns = &task_active_pid_ns(current)->ns;
		break;
	case CLONE_NEWNET:
		ns = &nsp->net_ns->ns;
		own_ns = &own->net_ns->ns;
		break;
#ifdef CONFIG_CGROUPS
	case CLONE_NEWCGROUP:
		ns = &nsp->cgroup_ns->ns;
		own_ns = &own->cgroup_ns->ns;
		break;
#endif
#ifdef CONFIG_TIME_NS
	case CLONE_NEWTIME:
		ns = &nsp->time_ns_for_children->ns;
		own_ns = &own->time_ns->ns;
		break;
#endif
	default:
		return -EINVAL;
	}
	err = container_may_ns(c, ns, own_ns);
	if (err)
		return err;

	/* open_namespace() consumes a reference: take it the typed way. */
	switch (type) {
	case CLONE_NEWNS:
		get_mnt_ns_ref(nsp->mnt_ns);
		break;
	case CLONE_NEWUTS:
		get_uts_ns(nsp->uts_ns);
		break;
	case CLONE_NEWIPC:
		get_ipc_ns(nsp->ipc_ns);
		break;
	case CLONE_NEWUSER:
		get_user_ns(c->user_ns);
		break;
	case CLONE_NEWPID:
		get_pid_ns(nsp->pid_ns_for_children);
		break;
	case CLONE_NEWNET:
		get_net(nsp->net_ns);
		break;
#ifdef CONFIG_CGROUPS
	case CLONE_NEWCGROUP:
		get_cgroup_ns(nsp->cgroup_ns);
		break;
#endif
#ifdef CONFIG_TIME_NS
	case CLONE_NEWTIME:
		get_time_ns(nsp->time_ns_for_children);
		break;
#endif
	}
	return open_namespace(ns);
}

/*
 * CONTAINER_IOC_FSOPEN: fsopen(2) in the container's namespaces.  The
 * permission is checked, against the container, before any filesystem
 * code runs; the filesystem must be one that honours the namespaces it
 * is given (FS_ALLOW_FC_NS), else -EOPNOTSUPP.
 */
static long container_fsopen(struct container *c,
			     struct container_fsopen __user *uarg)
{
	struct container_fsopen args;
	struct nsproxy *nsp;
	int err;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.reserved || (args.flags & ~FSOPEN_CLOEXEC))
		return -EINVAL;
	nsp = container_nsproxy(c);
	err = container_may_in(c, nsp, CONTAINER_ACT_MOUNT, NULL);
	if (err)
		return err;
	return fsopen_in_namespaces(u64_to_user_ptr(args.fs_name), args.flags,
				    nsp, c->user_ns);
}

static long container_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct container *c = file->private_data;

	switch (cmd) {
	case CONTAINER_IOC_KILL:
		return container_kill(c, arg);
	case CONTAINER_IOC_GET_NS:
		return container_get_ns(c, arg);
	case CONTAINER_IOC_SOCKET:
		return container_socket(c, (void __user *)arg);
	case CONTAINER_IOC_FSOPEN:
		return container_fsopen(c, (void __user *)arg);
	case CONTAINER_IOC_ADOPT:
		return container_adopt(c, (void __user *)arg);
	}

	/* Extensible ioctls: the size in @cmd is the caller's struct. */
	if (_IOC_TYPE(cmd) != CONTAINER_IOC_MAGIC)
		return -ENOTTY;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(CONTAINER_IOC_GET_INFO):
		return container_get_info(c, cmd, (void __user *)arg);
	}
	return -ENOTTY;
}

static __poll_t container_poll(struct file *file, poll_table *pt)
{
	struct container *c = file->private_data;

	poll_wait(file, &c->wait, pt);
	if (container_is_dead(c))
		return EPOLLIN | EPOLLRDNORM | EPOLLHUP;
	/* A request_key() upcall made in it waits for its manager. */
	return container_keys_poll(c);
}

/* The creator file goes: with CONTAINER_KILL_ON_CLOSE, the container dies. */
static int container_release(struct inode *inode, struct file *file)
{
	struct container *c = file->private_data;

	if (c->flags & CONTAINER_KILL_ON_CLOSE) {
		write_lock_irq(&tasklist_lock);
		container_mark_dead(c);
		write_unlock_irq(&tasklist_lock);
	}
	container_put(c);
	return 0;
}

static int container_handle_release(struct inode *inode, struct file *file)
{
	container_put(file->private_data);
	return 0;
}

#ifdef CONFIG_PROC_FS
static void container_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct container_info info = {};

	container_fill_info(file->private_data, &info);
	seq_printf(m, "id:\t%lld\n", (long long)info.id);
	seq_printf(m, "parent_id:\t%lld\n", (long long)info.parent_id);
	seq_printf(m, "name:\t%s\n", info.name);
	seq_printf(m, "state:\t%u\n", info.state);
	seq_printf(m, "flags:\t%#llx\n", info.flags);
	seq_printf(m, "init_pid:\t%d\n", info.init_pid);
	seq_printf(m, "members:\t%u\n", info.nr_members);
	seq_printf(m, "creator:\t%d\n", file->f_op == &container_fops);
}
#endif

static const struct file_operations container_fops = {
	.release	= container_release,
	.poll		= container_poll,
	.unlocked_ioctl	= container_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
#ifdef CONFIG_PROC_FS
	.show_fdinfo	= container_show_fdinfo,
#endif
	.llseek		= noop_llseek,
};

static const struct file_operations container_handle_fops = {
	.release	= container_handle_release,
	.poll		= container_poll,
	.unlocked_ioctl	= container_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
#ifdef CONFIG_PROC_FS
	.show_fdinfo	= container_show_fdinfo,
#endif
	.llseek		= noop_llseek,
};
