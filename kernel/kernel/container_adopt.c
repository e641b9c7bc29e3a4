// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel container objects: restoring a container's init (CRIU).
 *
 * CRIU forks the root task of a restored tree itself, with the CLONE_NEW*
 * flags it dumped and set_tid; nothing in a stock CRIU can add
 * CLONE_INTO_CONTAINER.  Its libcriu client is called back when that task
 * exists, alone, in its new PID namespace and before it has forked
 * anything ("setup-namespaces"), and again when the whole tree exists and
 * none of it has run yet ("post-restore").  CONTAINER_IOC_ADOPT serves both
 * callbacks:
 *
 * CONTAINER_ADOPT_INIT: a created, empty container takes the lone task as
 *   its init.  The task moves one level deeper, from the container the
 *   container was created in into it; what it forks from then on is born
 *   a member, as after CLONE_INTO_CONTAINER.
 *
 * CONTAINER_ADOPT_NAMESPACES: once, later, the container takes its init's
 *   namespaces and root.  CRIU finishes them only
 *   after the first callback: it restores the mounts into a new mount
 *   namespace and pivots the root, and unshares the cgroup namespace,
 *   last.  Until then the container forks nothing in.
 *
 * Both are for a privileged restorer only, and neither breaks what the
 * container promises: a process still never leaves its container and
 * only ever moves deeper, and only the restorer chooses the ID (the
 * container was made with set_id).  The container's owner never changes:
 * the init's credentials must be in the user namespace that owns the
 * container.  The init must share nothing with processes outside (memory,
 * files, fs, signal handlers) nor trace any.  See
 * Documentation/userspace-api/container.rst, "Restoring a container".
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/fs_struct.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>

#include "container_internal.h"

#define CONTAINER_ADOPT_FLAGS (CONTAINER_ADOPT_INIT | CONTAINER_ADOPT_NAMESPACES)

/**
 * struct container_adopted - what adopting a restored init changed
 * @namespaces: CONTAINER_ADOPT_NAMESPACES was done
 * @old_nsproxy: the namespaces the container was created with
 *
 * What was replaced is kept until the container is freed: readers of
 * @nsproxy of struct container take no lock and no reference (path walks
 * look at it under rcu_read_lock()).
 */
struct container_adopted {
	bool			namespaces;
	struct nsproxy		*old_nsproxy;
};

/* What ADOPT_NAMESPACES takes from the init, referenced. */
struct container_init_ns {
	struct nsproxy		*nsproxy;
	struct path		root;
};

/**
 * container_adopting - is @c's init adopted, its namespaces not yet?
 * @c: the container
 *
 * Nothing is forked into such a container: its namespaces are still the
 * ones it was created with, not its init's.  Exact under tasklist_lock.
 *
 * Return: true between CONTAINER_ADOPT_INIT and CONTAINER_ADOPT_NAMESPACES.
 */
bool container_adopting(const struct container *c)
{
	/* Pairs with the release in container_adopt_init(). */
	const struct container_adopted *a = smp_load_acquire(&c->adopted);

	/* Pairs with the release in container_adopt_set_ns(). */
	return a && !smp_load_acquire(&a->namespaces);
}

/* From container_free_work(): what adoption replaced goes with @c. */
void container_adopt_free(struct container *c)
{
	struct container_adopted *a = c->adopted;

	if (!a)
		return;
	if (a->old_nsproxy)
		put_nsproxy(a->old_nsproxy);
	kfree(a);
}

/*
 * May current adopt the process @task (@pid, its thread-group ID) into @c?
 * It acts in @c (rule 1 and 2 of container_may()), restores as set_id
 * restores (CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN over the owner of the
 * ID space @c lives in), takes control of @task as ptrace(2) would, and
 * sees @task in its own PID namespace.  @task's credentials must be in
 * @c's user namespace, as those of a process forked in are: its owner
 * does not change (-EINVAL).
 */
static int container_may_adopt(struct container *c, struct task_struct *task,
			       struct pid *pid)
{
	bool same_owner;

	if (!container_is_within(c, current_container()))
		return -EPERM;
	if (!ns_capable(c->user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	if (!checkpoint_restore_ns_capable(c->parent->user_ns))
		return -EPERM;
	if (!pid_nr_ns(pid, task_active_pid_ns(current)))
		return -EPERM;
	if (!ptrace_may_access(task, PTRACE_MODE_ATTACH_REALCREDS))
		return -EPERM;
	rcu_read_lock();
	same_owner = __task_cred(task)->user_ns == c->user_ns;
	rcu_read_unlock();
	return same_owner ? 0 : -EINVAL;
}

/*
 * Does @task share its memory, files, fs or signal handlers with another
 * process, as CLONE_VM, CLONE_FILES, CLONE_FS, CLONE_SIGHAND or vfork(2)
 * leave it?  Such sharing is what CONTAINER_FORBIDDEN_CLONE_FLAGS refuses
 * to a fork in: a member could reach into a process outside.  It has no
 * threads (checked under tasklist_lock), so any other user is another
 * process.  Checked before tasklist_lock, under which task_lock() may not
 * be taken: a sibling @task forks meanwhile with CLONE_PARENT and CLONE_VM
 * shares with a process that @task itself made in the container it is
 * leaving, where it already was.
 */
static bool container_adopt_shares(struct task_struct *task)
{
	struct sighand_struct *sighand;
	bool shares;

	/*
	 * Not mm_users, which a reader of /proc or process_vm_readv() raises
	 * for a moment: MMF_MULTIPROCESS, set for good by a CLONE_VM fork.
	 */
	task_lock(task);
	shares = (task->mm && test_bit(MMF_MULTIPROCESS, &task->mm->flags)) ||
		 task->vfork_done ||
		 (task->files && atomic_read(&task->files->count) > 1) ||
		 (task->fs && task->fs->users > 1);
	task_unlock(task);
	/* SLAB_TYPESAFE_BY_RCU: a task exiting meanwhile fails later (ESRCH). */
	rcu_read_lock();
	sighand = rcu_dereference(task->sighand);
	if (sighand)
		shares |= refcount_read(&sighand->count) > 1;
	rcu_read_unlock();
	return shares;
}

/*
 * Take @task's namespaces and root.  Its children must be born in the PID
 * and time namespaces it is in, as a container's processes are: a task
 * that unshared either is refused.
 */
static int container_get_init_ns(struct task_struct *task,
				 struct container_init_ns *ns)
{
	struct nsproxy *nsp;
	int err = 0;

	task_lock(task);
	nsp = task->nsproxy;
	if (!nsp || !task->fs || !pid_alive(task))
		err = -ESRCH;
	else if (nsp->time_ns != nsp->time_ns_for_children ||
		 nsp->pid_ns_for_children != task_active_pid_ns(task))
		err = -EINVAL;
	if (!err) {
		get_nsproxy(nsp);
		ns->nsproxy = nsp;
		get_fs_root(task->fs, &ns->root);
	}
	task_unlock(task);
	return err;
}

/*
 * Move the lone process @task, of @c's parent container, into @c as its
 * init.  Under tasklist_lock, for writing: the lock fork, exit and
 * container death take, so its children and threads are counted exactly,
 * it has not passed exit_notify() (which will find it in @c), and @c is
 * still empty and alive.
 */
static int container_adopt_init(struct container *c, struct task_struct *task,
				struct pid *pid, struct container_adopted *a)
{
	struct container *from = c->parent;
	int err = 0;

	write_lock_irq(&tasklist_lock);
	if (container_is_dead(c))
		err = -ESRCH;
	else if (c->state != CONTAINER_STATE_CREATED ||
		 c->root != &c->first_root)
		err = -EBUSY;
	else if (task->exit_state || (task->flags & PF_EXITING) ||
		 (task->signal->flags & SIGNAL_GROUP_EXIT))
		err = -ESRCH;
	else if (READ_ONCE(task->container) != from)
		err = -EPERM;
	else if (from != &init_container && from->init_pid == pid)
		/* Its container would be left without its init. */
		err = -EBUSY;
	else if (!thread_group_empty(task) || !list_empty(&task->children) ||
		 !list_empty(&task->ptraced))
		err = -EBUSY;
	if (err) {
		write_unlock_irq(&tasklist_lock);
		return err;
	}

	/* Off its old container's list (the root container keeps none). */
	if (from != &init_container) {
		list_del_init(&task->container_node);
		from->nr_procs--;
	}
	WRITE_ONCE(task->container, container_get(c));
	list_add_tail(&task->container_node, &c->members);
	c->nr_procs++;
	c->init_pid = get_pid(pid);
	/* Pairs with the acquire in container_adopting(). */
	smp_store_release(&c->adopted, a);
	WRITE_ONCE(c->state, CONTAINER_STATE_RUNNING);
	/* Entered from outside, as a process forked in: a new session. */
	container_audit_attach(task);
	write_unlock_irq(&tasklist_lock);

	/*
	 * The task's reference on its old container.  Never the last: @c
	 * holds its parent.  A reader that found the old container through
	 * the task holds the task, so @c, so the old container.
	 */
	container_put(from);
	return 0;
}

/*
 * The container's namespaces and root become its init's.  What it had is
 * kept until it is freed (lockless readers); the root is published as
 * move_mount(MOVE_MOUNT_T_CONTAINER_ROOT) publishes one, before the
 * namespaces, while @gen is odd.  @c has no root given
 * (checked under @root_lock): @given_root is unused.
 */
static void container_adopt_set_ns(struct container *c,
				   struct container_adopted *a,
				   struct container_init_ns *ns)
{
	lockdep_assert_held(&c->root_lock);
	a->old_nsproxy = c->nsproxy;
	c->given_root = ns->root;
	set_fs_root(c->fs, &ns->root);
	set_fs_pwd(c->fs, &ns->root);
	/* Publish @given_root and @fs before the pointer to it. */
	smp_store_release(&c->root, &c->given_root);
	/* Then the namespaces: a reader that sees them sees the root too. */
	smp_store_release(&c->nsproxy, ns->nsproxy);
	/* Forks in may start: after the namespaces they copy. */
	smp_store_release(&a->namespaces, true);
}

static long __container_adopt_task(struct container *c,
				   struct task_struct *task, struct pid *pid,
				   unsigned int flags)
{
	struct container_init_ns ns = {};
	struct container_adopted *a = NULL;
	int err;

	err = container_may_adopt(c, task, pid);
	if (err)
		return err;
	/*
	 * What an init adopted alone must not share.  Not asked again of the
	 * init whose namespaces are taken: by then its restored threads and
	 * children share with it, inside the container.
	 */
	if ((flags & CONTAINER_ADOPT_INIT) && container_adopt_shares(task))
		return -EBUSY;
	/* The root it is to take must be the first, unused: none was given. */
	if ((flags & CONTAINER_ADOPT_NAMESPACES) && c->root != &c->first_root)
		return -EBUSY;

	if (flags & CONTAINER_ADOPT_INIT) {
		a = kzalloc(sizeof(*a), GFP_KERNEL_ACCOUNT);
		if (!a)
			return -ENOMEM;
	} else {
		/* Its namespaces alone: only of its adopted init, once. */
		a = c->adopted;
		if (!a || pid != c->init_pid)
			return -EINVAL;
		if (a->namespaces)
			return -EBUSY;
		if (container_is_dead(c))
			return -ESRCH;
	}

	if (flags & CONTAINER_ADOPT_NAMESPACES) {
		err = container_get_init_ns(task, &ns);
		if (err)
			goto out_free;
	}
	/* A fork in that checked @c before or meanwhile is refused. */
	container_change_begin(c);
	if (flags & CONTAINER_ADOPT_INIT) {
		err = container_adopt_init(c, task, pid, a);
		if (err) {
			container_change_end(c);
			goto out_put_ns;
		}
	}
	if (flags & CONTAINER_ADOPT_NAMESPACES)
		container_adopt_set_ns(c, a, &ns);
	container_change_end(c);
	return 0;

out_put_ns:
	if (ns.nsproxy) {
		path_put(&ns.root);
		put_nsproxy(ns.nsproxy);
	}
out_free:
	if (flags & CONTAINER_ADOPT_INIT)
		kfree(a);
	return err;
}

static long container_adopt_task(struct container *c, struct task_struct *task,
				 struct pid *pid, unsigned int flags)
{
	long err;

	if (task == current || (task->flags & PF_KTHREAD))
		return -EINVAL;
	/*
	 * As pidfd_getfd(): no exec may change its credentials between the
	 * ptrace check and the move.
	 */
	err = down_read_killable(&task->signal->exec_update_lock);
	if (err)
		return err;
	err = __container_adopt_task(c, task, pid, flags);
	up_read(&task->signal->exec_update_lock);
	return err;
}

/**
 * container_adopt - CONTAINER_IOC_ADOPT
 * @c: the container
 * @uarg: a struct container_adopt
 *
 * Return: 0; -EFAULT; -EINVAL for unknown or no flags, a bad pidfd target
 * (current, a kernel thread, not @c's init for ADOPT_NAMESPACES alone, a
 * task whose credentials are not in @c's user namespace), or an init whose
 * children would be born in other PID or time namespaces; -EBADF for a bad
 * pidfd; -EPERM as container_may_adopt() says, or for a task not in @c's
 * parent container; -EBUSY when @c is not empty, was given a root, already
 * took its init's namespaces, or the task has threads or children, traces
 * a process, shares its memory, files, fs or signal handlers with another
 * process, or is its container's init; -ESRCH when @c is dead or the task
 * exits.
 */
long container_adopt(struct container *c, const void __user *uarg)
{
	struct container_adopt args;
	struct task_struct *task;
	unsigned int pidfd_flags;
	struct pid *pid;
	long err;

	BUILD_BUG_ON(sizeof(args) != CONTAINER_ADOPT_SIZE_VER0);
	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (!args.flags || (args.flags & ~CONTAINER_ADOPT_FLAGS))
		return -EINVAL;

	pid = pidfd_get_pid(args.pidfd, &pidfd_flags);
	if (IS_ERR(pid))
		return PTR_ERR(pid);
	task = get_pid_task(pid, PIDTYPE_TGID);
	if (!task) {
		/* A thread's pidfd (PIDFD_THREAD), or a process reaped. */
		err = pid_has_task(pid, PIDTYPE_PID) ? -EINVAL : -ESRCH;
		goto out_pid;
	}

	/* One adoption at a time, and none while move_mount() gives a root. */
	mutex_lock(&c->root_lock);
	err = container_adopt_task(c, task, pid, args.flags);
	mutex_unlock(&c->root_lock);
	/* Logged with no lock held: audit may wait for its backlog. */
	if (!err && (args.flags & CONTAINER_ADOPT_INIT))
		container_audit_fork(task);
	put_task_struct(task);
out_pid:
	put_pid(pid);
	return err;
}
