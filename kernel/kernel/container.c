// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel container objects: container_create(2) and the container fd.
 *
 * A container is a set of namespaces, a root, an owning user namespace and
 * a namespaced ID, held by a file descriptor.  Processes enter it only by
 * being forked into it (clone3() with CLONE_INTO_CONTAINER) and never leave:
 * task->container is set at fork and changed by nothing after.
 *
 * See Documentation/userspace-api/container.rst.
 */

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/ctype.h>
#include <linux/file.h>
#include <linux/fs_struct.h>
#include <linux/ipc_namespace.h>
#include <linux/mnt_namespace.h>
#include <linux/net.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/proc_ns.h>
#include <linux/ptrace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/time_namespace.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>

#include "container_internal.h"

#ifdef CONFIG_USER_NS
/* Debian's kernel.unprivileged_userns_clone, honoured as unshare(2) does. */
extern int unprivileged_userns_clone;
#else
#define unprivileged_userns_clone 0
#endif

#define CONTAINER_NS_FLAGS (CONTAINER_NEW_ALL_NS | CONTAINER_NEW_EMPTY_FS_NS)
#define CONTAINER_VALID_FLAGS \
	(CONTAINER_NS_FLAGS | CONTAINER_KILL_ON_CLOSE | CONTAINER_FD_CLOEXEC)

/*
 * Sharing any of these with the parent would carry the parent's state into
 * the container, so CLONE_INTO_CONTAINER refuses them.  The namespaces are
 * the container's own, so the CLONE_NEW* flags are refused too.
 */
#define CONTAINER_FORBIDDEN_CLONE_FLAGS						\
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |	\
	 CLONE_PARENT | CLONE_SYSVSEM | CLONE_IO | CLONE_NEWNS |		\
	 CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |	\
	 CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME)

/* The root of all ID spaces: where every task starts, never freed. */
struct container init_container = {
	.usage		= REFCOUNT_INIT(1),
	.level		= 0,
	.state		= CONTAINER_STATE_RUNNING,
	.members	= LIST_HEAD_INIT(init_container.members),
	.user_ns	= &init_user_ns,
	.wait		= __WAIT_QUEUE_HEAD_INITIALIZER(init_container.wait),
	.descendants	= XARRAY_INIT(init_container.descendants, XA_FLAGS_ALLOC),
};

static const struct file_operations container_fops;

/* Its own cache, so that leaks show in /sys/kernel/slab/container. */
static struct kmem_cache *container_cachep __ro_after_init;

static int __init container_cache_init(void)
{
	container_cachep = KMEM_CACHE(container, SLAB_PANIC | SLAB_ACCOUNT |
				      SLAB_NO_MERGE);
	return 0;
}
core_initcall(container_cache_init);

static void container_free_rcu(struct rcu_head *rcu)
{
	struct container *c = container_of(rcu, struct container, rcu);

	kfree(c->ids);
	kmem_cache_free(container_cachep, c);
}

struct container *container_get(struct container *c)
{
	if (c != &init_container)
		refcount_inc(&c->usage);
	return c;
}

static void container_free_work(struct work_struct *work)
{
	struct container *c = container_of(work, struct container, free_work);
	unsigned int i;

	for (i = 0; i < c->level; i++)
		if (c->ids[i].nr)
			xa_erase(&c->ids[i].space->descendants, c->ids[i].nr);
	security_container_free(c);
	WARN_ON_ONCE(!xa_empty(&c->descendants));
	if (c->given_root.mnt)
		path_put(&c->given_root);
	if (c->first_root.mnt)
		path_put(&c->first_root);
	if (c->fs)
		free_fs_struct(c->fs);
	if (c->nsproxy)
		put_nsproxy(c->nsproxy);
	put_pid(c->init_pid);
	put_user_ns(c->user_ns);
	container_put(c->parent);
	/* Readers of /proc/containers look at @ids under RCU. */
	call_rcu(&c->rcu, container_free_rcu);
}

/*
 * The last reference may go from __put_task_struct(), which can run in an
 * RCU callback; putting namespaces and paths sleeps, so free from a work.
 */
void container_put(struct container *c)
{
	if (c != &init_container && refcount_dec_and_test(&c->usage))
		schedule_work(&c->free_work);
}

struct user_namespace *container_user_ns(const struct container *c)
{
	return c->user_ns;
}

/**
 * container_id_in - a container's ID as seen from an ID space
 * @c: the container
 * @space: the container whose ID space to look in
 *
 * Return: %CONTAINER_ID_SELF if @c is @space, its ID in @space if @c is a
 * descendant of @space, %CONTAINER_ID_NONE otherwise.
 */
u64 container_id_in(const struct container *c, const struct container *space)
{
	if (c == space)
		return CONTAINER_ID_SELF;
	if (c->level <= space->level || c->ids[space->level].space != space)
		return CONTAINER_ID_NONE;
	return c->ids[space->level].nr;
}

static bool container_is_within(const struct container *c,
				const struct container *ancestor)
{
	return container_id_in(c, ancestor) != CONTAINER_ID_NONE;
}

static bool container_name_valid(const char *name)
{
	const char *p;

	if (!*name)
		return false;
	for (p = name; *p; p++)
		if (!isalnum(*p) && *p != '_' && *p != '.' && *p != '-')
			return false;
	return true;
}

static struct container *container_alloc(struct container *parent,
					 u64 flags, const char *name)
{
	struct container *c;

	c = kmem_cache_zalloc(container_cachep, GFP_KERNEL_ACCOUNT);
	if (!c)
		return NULL;
	c->ids = kcalloc(parent->level + 1, sizeof(*c->ids), GFP_KERNEL_ACCOUNT);
	if (!c->ids) {
		kmem_cache_free(container_cachep, c);
		return NULL;
	}
	refcount_set(&c->usage, 1);
	c->flags = flags;
	c->level = parent->level + 1;
	c->state = CONTAINER_STATE_CREATED;
	INIT_LIST_HEAD(&c->members);
	mutex_init(&c->root_lock);
	init_waitqueue_head(&c->wait);
	xa_init_flags(&c->descendants, XA_FLAGS_ALLOC);
	INIT_WORK(&c->free_work, container_free_work);
	c->parent = container_get(parent);
	strscpy(c->name, name);
	return c;
}

/*
 * Reserve an ID in the space of every ancestor.  The entries stay reserved
 * (invisible to lookups) until container_publish() stores @c in them.
 * @set_id, when not 0, is the ID wanted in the creator's space.
 */
static int container_alloc_ids(struct container *c, u32 set_id)
{
	struct container *space = c->parent;
	int i, err;

	for (i = c->level - 1; i >= 0; i--, space = space->parent) {
		struct container_id *id = &c->ids[i];

		id->space = space;
		if (set_id && space == c->parent) {
			err = xa_insert(&space->descendants, set_id, NULL,
					GFP_KERNEL_ACCOUNT);
			if (err == -EBUSY)
				return -EEXIST;
			if (err)
				return err;
			id->nr = set_id;
			continue;
		}
		err = xa_alloc_cyclic(&space->descendants, &id->nr, NULL,
				      XA_LIMIT(1, CONTAINER_ID_MAX),
				      &space->next_id, GFP_KERNEL_ACCOUNT);
		if (err < 0)
			return err;
	}
	return 0;
}

static void container_publish(struct container *c)
{
	unsigned int i;

	for (i = 0; i < c->level; i++)
		xa_store(&c->ids[i].space->descendants, c->ids[i].nr, c,
			 GFP_KERNEL);
}

/* Namespaces: the creator's, with the ones @flags asks for made new. */
static int container_make_namespaces(struct container *c, struct cred *new_cred)
{
	static const struct { u64 cflag; unsigned long clone; } map[] = {
		{ CONTAINER_NEW_FS_NS,		CLONE_NEWNS },
		{ CONTAINER_NEW_CGROUP_NS,	CLONE_NEWCGROUP },
		{ CONTAINER_NEW_UTS_NS,		CLONE_NEWUTS },
		{ CONTAINER_NEW_IPC_NS,		CLONE_NEWIPC },
		{ CONTAINER_NEW_PID_NS,		CLONE_NEWPID },
		{ CONTAINER_NEW_NET_NS,		CLONE_NEWNET },
		{ CONTAINER_NEW_TIME_NS,	CLONE_NEWTIME },
	};
	unsigned long clone_flags = 0;
	struct nsproxy *nsp = NULL;
	int i, err;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (c->flags & map[i].cflag)
			clone_flags |= map[i].clone;
	/* An empty mount namespace replaces the copy made here. */
	if (c->flags & CONTAINER_NEW_EMPTY_FS_NS)
		clone_flags |= CLONE_NEWNS;

	/* A private fs_struct: copy_mnt_ns() points its root into the copy. */
	c->fs = copy_fs_struct(current->fs);
	if (!c->fs)
		return -ENOMEM;

	err = unshare_nsproxy_namespaces(clone_flags, &nsp, new_cred, c->fs);
	if (err)
		return err;
	if (nsp) {
		/*
		 * The container's processes live in the time namespace made
		 * for children, as a forked child would; this nsproxy is still
		 * private, so switch it once here rather than at every fork.
		 */
		if (nsp->time_ns != nsp->time_ns_for_children) {
			put_time_ns(nsp->time_ns);
			nsp->time_ns = get_time_ns(nsp->time_ns_for_children);
		}
	} else {
		/*
		 * Sharing the creator's nsproxy: its time namespaces must
		 * agree, or the container's processes would need an nsproxy of
		 * their own after all (the creator is between
		 * unshare(CLONE_NEWTIME) and a fork).
		 */
		nsp = current->nsproxy;
		if (nsp->time_ns != nsp->time_ns_for_children)
			return -EINVAL;
		get_nsproxy(nsp);
	}
	c->nsproxy = nsp;
	set_fs_pwd(c->fs, &c->fs->root);

	if (c->flags & CONTAINER_NEW_EMPTY_FS_NS) {
		struct mnt_namespace *empty;

		empty = create_empty_mnt_ns(c->user_ns, c->fs);
		if (IS_ERR(empty))
			return PTR_ERR(empty);
		put_mnt_ns(nsp->mnt_ns);
		nsp->mnt_ns = empty;
	}
	get_fs_root(c->fs, &c->first_root);
	c->root = &c->first_root;
	return 0;
}

static int container_create(const struct container_args *args,
			    const char *name)
{
	struct container *parent = current_container();
	struct container *c;
	struct cred *new_cred = NULL;
	int err, fd;

	if (parent->level >= CONTAINER_MAX_DEPTH)
		return -ENOSPC;

	if (args->flags & CONTAINER_NEW_USER_NS) {
		if (!unprivileged_userns_clone && !capable(CAP_SYS_ADMIN))
			return -EPERM;
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

	err = container_make_namespaces(c, new_cred);
	if (err)
		goto out_put;
	err = container_alloc_ids(c, args->set_id);
	if (err)
		goto out_put;
	err = security_container_alloc(c);
	if (err)
		goto out_put;

	atomic_set(&c->nr_files, 1);
	fd = anon_inode_getfd("[container]", &container_fops, c,
			      O_RDWR | (args->flags & CONTAINER_FD_CLOEXEC ?
					O_CLOEXEC : 0));
	if (fd < 0) {
		err = fd;
		goto out_put;
	}
	container_publish(c);
	if (new_cred)
		put_cred(new_cred);
	return fd;

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
 * Return: a new container fd, or a negative errno.
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

	if (fd_empty(f))
		return ERR_PTR(-EBADF);
	if (fd_file(f)->f_op != &container_fops)
		return ERR_PTR(-EINVAL);
	return container_get(fd_file(f)->private_data);
}

/* Is @ns @from or below it?  setns(2) allows no other PID namespace. */
static bool pid_ns_within(struct pid_namespace *ns, struct pid_namespace *from)
{
	while (ns && ns->level > from->level)
		ns = ns->parent;
	return ns == from;
}

/**
 * container_can_fork - may current fork a process into @c?
 * @c: the container
 * @clone_flags: the clone flags asked for
 *
 * Return: 0, or -EINVAL for flags that would share the parent's state,
 * -EPERM when @c is outside current's container or current lacks
 * CAP_SYS_ADMIN over @c's owning user namespace, -ESRCH when @c is dead,
 * -ENOENT when @c has an empty mount namespace and no root yet.
 */
int container_can_fork(struct container *c, u64 clone_flags)
{
	if (clone_flags & CONTAINER_FORBIDDEN_CLONE_FLAGS)
		return -EINVAL;
	/* Nesting only goes deeper: never into a parent or a sibling. */
	if (!container_is_within(c, current_container()))
		return -EPERM;
	/*
	 * Entering is setns(2) into all of the container's namespaces at
	 * once, which needs CAP_SYS_ADMIN over the user namespace that owns
	 * them: the container's.
	 */
	if (!ns_capable(c->user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	if (!pid_ns_within(c->nsproxy->pid_ns_for_children,
			   task_active_pid_ns(current)))
		return -EPERM;
	if (READ_ONCE(c->state) == CONTAINER_STATE_DEAD)
		return -ESRCH;
	/*
	 * An empty container has nothing to run until it is given a root.
	 * Acquire pairs with the release in container_unlock_root(), so the
	 * fork that sees the root copies a c->fs that has it.
	 */
	if (smp_load_acquire(&c->root) == &c->first_root &&
	    (c->flags & CONTAINER_NEW_EMPTY_FS_NS))
		return -ENOENT;
	return 0;
}

int container_copy_namespaces(struct container *c, struct task_struct *p)
{
	get_nsproxy(c->nsproxy);
	p->nsproxy = c->nsproxy;
	if (c->nsproxy->time_ns != current->nsproxy->time_ns)
		timens_commit(p, c->nsproxy->time_ns);
	return 0;
}

/* The child starts at the container's root, with its cwd there too. */
int container_copy_fs(struct container *c, struct task_struct *p)
{
	p->fs = copy_fs_struct(c->fs);
	return p->fs ? 0 : -ENOMEM;
}

/**
 * container_attach - make a new task a member
 * @p: the new task
 * @pid: its struct pid
 * @into: the container of CLONE_INTO_CONTAINER, or NULL to stay in the
 *        parent's
 * @clone_flags: its clone flags
 *
 * Called by copy_process() under write_lock_irq(&tasklist_lock), the lock
 * container death takes, so no task joins a container after it died.
 * The first process forked into a container becomes its init.
 *
 * Return: 0, or -ESRCH when the container is dead.
 */
int container_attach(struct task_struct *p, struct pid *pid,
		     struct container *into, u64 clone_flags)
{
	struct container *c = into ?: current_container();

	lockdep_assert_held_write(&tasklist_lock);
	p->container = c;
	if (c == &init_container)
		return 0;
	if (c->state == CONTAINER_STATE_DEAD)
		return -ESRCH;
	if (into && c->state == CONTAINER_STATE_CREATED) {
		c->init_pid = get_pid(pid);
		c->state = CONTAINER_STATE_RUNNING;
	}
	container_get(c);
	list_add_tail(&p->container_node, &c->members);
	if (!(clone_flags & CLONE_THREAD))
		c->nr_procs++;
	return 0;
}

/* Mark @c dead and SIGKILL its members.  Under tasklist_lock, for writing. */
static void container_zap_one(struct container *c)
{
	struct task_struct *t;

	if (c->state != CONTAINER_STATE_DEAD) {
		WRITE_ONCE(c->state, CONTAINER_STATE_DEAD);
		wake_up_all(&c->wait);
	}
	list_for_each_entry(t, &c->members, container_node)
		do_send_sig_info(SIGKILL, SEND_SIG_PRIV, t, PIDTYPE_TGID);
}

/* A container's death takes every container nested in it along. */
static void container_zap(struct container *c)
{
	struct container *d;
	unsigned long id;

	lockdep_assert_held_write(&tasklist_lock);
	container_zap_one(c);
	xa_for_each(&c->descendants, id, d)
		container_zap_one(d);
}

/* From exit_notify(), under write_lock_irq(&tasklist_lock). */
void container_exit_notify(struct task_struct *tsk, int group_dead)
{
	struct container *c = tsk->container;

	if (c == &init_container)
		return;
	list_del_init(&tsk->container_node);
	if (!group_dead)
		return;
	c->nr_procs--;
	if (task_tgid(tsk) != c->init_pid)
		return;
	c->exit_status = (tsk->signal->flags & SIGNAL_GROUP_EXIT) ?
			 tsk->signal->group_exit_code : tsk->exit_code;
	container_zap(c);
}

/* From __put_task_struct(): the task's reference on its container. */
void container_task_free(struct task_struct *tsk)
{
	container_put(tsk->container);
}

static int container_open_file(struct container *c)
{
	int fd;

	container_get(c);
	atomic_inc(&c->nr_files);
	fd = anon_inode_getfd("[container]", &container_fops, c,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		atomic_dec(&c->nr_files);
		container_put(c);
	}
	return fd;
}

/**
 * container_fd_of_task - PIDFD_GET_CONTAINER: open a task's container
 * @task: the task
 *
 * Return: a new O_CLOEXEC container fd; -ENOENT when @task is in the root
 * container, which has no fd; -EACCES when current may not ptrace-read
 * @task; -EPERM when the container is outside current's, or current lacks
 * CAP_SYS_ADMIN over the container's owning user namespace.
 */
int container_fd_of_task(struct task_struct *task)
{
	struct container *c = task->container;

	if (!ptrace_may_access(task, PTRACE_MODE_READ_REALCREDS))
		return -EACCES;
	if (c == &init_container)
		return -ENOENT;
	if (!container_is_within(c, current_container()))
		return -EPERM;
	if (!ns_capable(c->user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	return container_open_file(c);
}

/* fs/namei.c: is @fd a container, whose walks are confined to its root? */
bool container_fd_is_container(int fd)
{
	CLASS(fd_raw, f)(fd);

	return !fd_empty(f) && fd_file(f)->f_op == &container_fops;
}

/**
 * container_file_root - where a path walk from a container fd starts
 * @file: the dirfd's file
 *
 * The walk resolves in the container's mount namespace, from its root,
 * confined to it (LOOKUP_IN_ROOT), with the caller's credentials.
 * Walking a container's tree from outside is entering it for that walk,
 * so, as for fork-into, the caller needs CAP_SYS_ADMIN over the
 * container's owning user namespace.  May run under rcu_read_lock().
 *
 * Return: NULL when @file is not a container; the root; or
 * ERR_PTR(-EPERM).
 */
const struct path *container_file_root(struct file *file)
{
	struct container *c;

	if (file->f_op != &container_fops)
		return NULL;
	c = file->private_data;
	if (!ns_capable(c->user_ns, CAP_SYS_ADMIN))
		return ERR_PTR(-EPERM);
	/* Pairs with the release in container_unlock_root(): a whole path. */
	return smp_load_acquire(&c->root);
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

/* The mount namespace of @c, held as long as @c is. */
struct mnt_namespace *container_mnt_ns(const struct container *c)
{
	return c->nsproxy->mnt_ns;
}

/**
 * container_get_nsproxy - FSCONFIG_SET_CONTAINER: the container's namespaces
 * @c: the container
 *
 * Making a superblock in a container's namespaces is acting inside it, so,
 * as for entering it, current needs CAP_SYS_ADMIN over its owning user
 * namespace.
 *
 * Return: the nsproxy, referenced, or ERR_PTR(-EPERM).
 */
struct nsproxy *container_get_nsproxy(struct container *c)
{
	if (!ns_capable(c->user_ns, CAP_SYS_ADMIN))
		return ERR_PTR(-EPERM);
	get_nsproxy(c->nsproxy);
	return c->nsproxy;
}

/**
 * container_lock_root - begin giving an empty container its root
 * @c: the container
 * @target: where move_mount() is to mount: must be @c's empty root
 *
 * On success @c->root_lock is held until container_unlock_root().
 *
 * Return: 0; -EINVAL when @c was not made with CONTAINER_NEW_EMPTY_FS_NS
 * or @target is not its root; -EBUSY when it has a root already; -ESRCH
 * when it is dead.
 */
int container_lock_root(struct container *c, const struct path *target)
{
	int err = 0;

	mutex_lock(&c->root_lock);
	if (!(c->flags & CONTAINER_NEW_EMPTY_FS_NS))
		err = -EINVAL;
	else if (c->root != &c->first_root)
		err = -EBUSY;
	else if (!path_equal(target, &c->first_root))
		err = -EINVAL;
	else if (READ_ONCE(c->state) == CONTAINER_STATE_DEAD)
		err = -ESRCH;
	if (err)
		mutex_unlock(&c->root_lock);
	return err;
}

/**
 * container_unlock_root - finish giving an empty container its root
 * @c: the container, its root locked by container_lock_root()
 * @root: the mount now on top of its empty root, or NULL if the move failed
 *
 * Processes forked in from now on start at @root, and walks from the
 * container fd start there.
 */
void container_unlock_root(struct container *c, const struct path *root)
{
	if (root) {
		c->given_root = *root;
		path_get(&c->given_root);
		set_fs_root(c->fs, root);
		set_fs_pwd(c->fs, root);
		/* Publish @given_root and @fs before the pointer to it. */
		smp_store_release(&c->root, &c->given_root);
	}
	mutex_unlock(&c->root_lock);
}

static void container_fill_info(struct container *c, struct container_info *info)
{
	struct container *viewer = current_container();
	struct nsproxy *nsp = c->nsproxy;
	struct pid *init_pid;

	info->id = container_id_in(c, viewer);
	info->parent_id = container_id_in(c->parent, viewer);
	info->flags = c->flags;
	info->level = info->id == CONTAINER_ID_NONE ? 0 : c->level - viewer->level;
	strscpy(info->name, c->name);

	read_lock(&tasklist_lock);
	info->state = c->state;
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

/* CONTAINER_IOC_KILL: @sig to every process in @c and in its descendants. */
static long container_kill(struct container *c, unsigned long sig)
{
	struct container *d = c;
	struct task_struct *t;
	unsigned long id = 0;
	int err, ret = -ESRCH;

	if (sig >= _NSIG)
		return -EINVAL;
	/* kill(2) would want CAP_KILL over each member: ask once, of the owner. */
	if (!ns_capable(c->user_ns, CAP_KILL))
		return -EPERM;

	guard(rcu)();
	read_lock(&tasklist_lock);
	do {
		list_for_each_entry(t, &d->members, container_node) {
			/* Once per process: its leader, or a thread outliving it. */
			if (!thread_group_leader(t) &&
			    !list_empty(&t->group_leader->container_node))
				continue;
			err = group_send_sig_info(sig, SEND_SIG_NOINFO, t,
						  PIDTYPE_TGID);
			/* As kill(-pgrp): success if any process got it. */
			if (!err || ret)
				ret = err;
		}
		d = xa_find_after(&c->descendants, &id, ULONG_MAX, XA_PRESENT);
	} while (d);
	read_unlock(&tasklist_lock);
	return ret;
}

/*
 * CONTAINER_IOC_SOCKET: a socket made in the container's network namespace
 * with the caller's credentials, as socket(2) inside would make it.  Acting
 * in the container needs CAP_SYS_ADMIN over its owning user namespace.
 */
static long container_socket(struct container *c,
			     struct container_socket __user *uarg)
{
	struct container_socket args;
	struct socket *sock;
	struct file *file;
	int flags, err, fd;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	flags = args.type & ~SOCK_TYPE_MASK;
	if (args.reserved || (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)))
		return -EINVAL;
	if (!ns_capable(c->user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	if (!IS_ENABLED(CONFIG_NET))
		return -EAFNOSUPPORT;

	err = __sock_create(c->nsproxy->net_ns, args.family,
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

/* CONTAINER_IOC_GET_NS: an nsfs fd for one of the container's namespaces. */
static long container_get_ns(struct container *c, unsigned long type)
{
	struct nsproxy *nsp = c->nsproxy;
	struct ns_common *ns;

	/* The owner may setns(2) into these anyway; others may not see them. */
	if (!ns_capable(c->user_ns, CAP_SYS_ADMIN))
		return -EPERM;

	switch (type) {
	case CLONE_NEWNS:
		ns = from_mnt_ns(nsp->mnt_ns);
		break;
	case CLONE_NEWUTS:
		ns = &nsp->uts_ns->ns;
		break;
	case CLONE_NEWIPC:
		ns = &nsp->ipc_ns->ns;
		break;
	case CLONE_NEWUSER:
		ns = &c->user_ns->ns;
		break;
	case CLONE_NEWPID:
		ns = &nsp->pid_ns_for_children->ns;
		break;
	case CLONE_NEWNET:
		ns = &nsp->net_ns->ns;
		break;
#ifdef CONFIG_CGROUPS
	case CLONE_NEWCGROUP:
		ns = &nsp->cgroup_ns->ns;
		break;
#endif
#ifdef CONFIG_TIME_NS
	case CLONE_NEWTIME:
		ns = &nsp->time_ns_for_children->ns;
		break;
#endif
	default:
		return -EINVAL;
	}
	/* Every namespace counts its users in ns_common; open_namespace() eats one. */
	refcount_inc(&ns->count);
	return open_namespace(ns);
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
	if (READ_ONCE(c->state) == CONTAINER_STATE_DEAD)
		return EPOLLIN | EPOLLRDNORM | EPOLLHUP;
	return 0;
}

static int container_release(struct inode *inode, struct file *file)
{
	struct container *c = file->private_data;

	if (atomic_dec_and_test(&c->nr_files) &&
	    (c->flags & CONTAINER_KILL_ON_CLOSE)) {
		write_lock_irq(&tasklist_lock);
		container_zap(c);
		write_unlock_irq(&tasklist_lock);
	}
	container_put(c);
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

#if IS_ENABLED(CONFIG_CONTAINERS_KUNIT_TEST)
#include "container_kunit.c"
#endif
