// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel container objects: the object, its ID spaces, who may act on it,
 * membership and death.
 *
 * A container is a set of namespaces, a root, an owning user namespace and
 * a namespaced ID, held by a file descriptor (container_fd.c).  Processes
 * enter it only by being forked into it (clone3() with CLONE_INTO_CONTAINER)
 * and never leave: task->container is set at fork and changed by nothing
 * after, but for a restored init adopted one level deeper, once
 * (container_adopt.c).
 *
 * See Documentation/userspace-api/container.rst.
 */

#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/ctype.h>
#include <linux/fs_struct.h>
#include <linux/ipc_namespace.h>
#include <linux/mnt_namespace.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/proc_ns.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include <linux/user_namespace.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>

#include "container_internal.h"

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

/* Members looked at per hold of tasklist_lock when a container dies. */
#define CONTAINER_ZAP_BATCH 64

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

/* Its own cache, so that leaks show in /sys/kernel/slab/container. */
static struct kmem_cache *container_cachep __ro_after_init;

static int __init container_cache_init(void)
{
	container_cachep = KMEM_CACHE(container, SLAB_PANIC | SLAB_ACCOUNT |
				      SLAB_NO_MERGE);
	return 0;
}
core_initcall(container_cache_init);

/*
 * After a grace period: RCU readers of an ID space may still look at @ids,
 * @name and @init_pid of a container they found there before it was erased.
 */
static void container_free_rcu(struct rcu_head *rcu)
{
	struct container *c = container_of(rcu, struct container, rcu);

	put_pid(c->init_pid);
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

	container_audit_free(c);
	container_keys_free(c);
	for (i = 0; i < c->level; i++)
		if (c->ids[i].nr)
			xa_erase(&c->ids[i].space->descendants, c->ids[i].nr);
	if (c->security_ready)
		security_container_free(c);
	container_adopt_free(c);
	WARN_ON_ONCE(!xa_empty(&c->descendants));
	if (c->given_root.mnt)
		path_put(&c->given_root);
	if (c->first_root.mnt)
		path_put(&c->first_root);
	if (c->fs)
		free_fs_struct(c->fs);
	if (c->nsproxy)
		put_nsproxy(c->nsproxy);
	put_user_ns(c->user_ns);
	container_put(c->parent);
	call_rcu(&c->rcu, container_free_rcu);
}

/*
 * The last reference may go from __put_task_struct(), which can run in an
 * RCU callback; putting namespaces and paths sleeps, so free from a work.
 * The user.max_containers charge goes back at once (dec_ucount() may be
 * called from any context), so a user at its limit may create again as
 * soon as its last reference to a container is gone.
 */
void container_put(struct container *c)
{
	if (c == &init_container || !refcount_dec_and_test(&c->usage))
		return;
	if (c->ucounts) {
		dec_ucount(c->ucounts, UCOUNT_CONTAINERS);
		c->ucounts = NULL;
	}
	schedule_work(&c->free_work);
}

struct user_namespace *container_user_ns(const struct container *c)
{
	return c->user_ns;
}

/**
 * container_get_live - the next container of an ID space that still lives
 * @xa: the ID space (a container's @descendants)
 * @index: the ID to start at; set to the ID of the container found
 *
 * Return: the container with the lowest ID >= *@index whose reference could
 * be taken, or NULL.  The caller puts it.
 */
struct container *container_get_live(struct xarray *xa, unsigned long *index)
{
	struct container *c;

	guard(rcu)();
	for (c = xa_find(xa, index, ULONG_MAX, XA_PRESENT); c;
	     c = xa_find_after(xa, index, ULONG_MAX, XA_PRESENT))
		if (refcount_inc_not_zero(&c->usage))
			return c;
	return NULL;
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

/* Is @c @ancestor or below it? */
bool container_is_within(const struct container *c,
			 const struct container *ancestor)
{
	return container_id_in(c, ancestor) != CONTAINER_ID_NONE;
}

/*
 * Is @c dead, or inside a container that died?  A container's death is
 * marked at once only on itself; its descendants are marked by its
 * zap_work.  At most CONTAINER_MAX_DEPTH steps.  Exact under tasklist_lock.
 */
bool container_is_dead(const struct container *c)
{
	for (; c != &init_container; c = c->parent)
		if (READ_ONCE(c->state) == CONTAINER_STATE_DEAD)
			return true;
	return false;
}

/*
 * May current use namespace @ns of a container, as setns(2) would let it?
 * Its own namespace it may: forking gives it to a child anyway.  Another
 * needs CAP_SYS_ADMIN over the user namespace that owns @ns.
 */
static bool container_ns_usable(struct ns_common *ns, struct ns_common *own)
{
	return ns == own || ns_capable(ns->ops->owner(ns), CAP_SYS_ADMIN);
}

/*
 * May current start a walk, or a process, at @root, @c's root?  Where the
 * container shares current's mount namespace, its root must be one current
 * can reach from its own root, unless current could chroot(2) anywhere
 * anyway (CAP_SYS_CHROOT in its user namespace): else a chrooted caller
 * would get out.  Another mount namespace is entered as setns(2) enters
 * one: CAP_SYS_CHROOT in the user namespace the entered processes have,
 * the container's (whose owner has it, chrooted or not, as setns(2) would
 * let it).  May run under rcu_read_lock() (path walks).
 */
static bool container_root_usable(struct container *c, struct nsproxy *nsp,
				  const struct path *root)
{
	struct fs_struct *fs = current->fs;
	struct path own_root;
	unsigned int seq;
	bool reachable;

	if (nsp->mnt_ns != current->nsproxy->mnt_ns)
		return ns_capable(c->user_ns, CAP_SYS_CHROOT);

	guard(rcu)();
	do {
		seq = read_seqcount_begin(&fs->seq);
		own_root = fs->root;
	} while (read_seqcount_retry(&fs->seq, seq));
	reachable = path_is_under(root, &own_root);
	return reachable || ns_capable(current_user_ns(), CAP_SYS_CHROOT);
}

/**
 * container_may_ns - may current act in one namespace of a container?
 * @c: the container
 * @ns: the namespace, one of @c's
 * @own: current's namespace of the same type
 *
 * The rule every use of a single namespace of @c follows: @c is current's
 * container or below it, current has CAP_SYS_ADMIN over @c's owning user
 * namespace, and over the owner of @ns unless @ns is current's own.
 *
 * Return: 0 or -EPERM.
 */
int container_may_ns(struct container *c, struct ns_common *ns,
		     struct ns_common *own)
{
	if (!container_is_within(c, current_container()))
		return -EPERM;
	if (!ns_capable(c->user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	return container_ns_usable(ns, own) ? 0 : -EPERM;
}

/*
 * Every namespace the container's processes get, against current's of the
 * same type: entering the container is setns(2) into all of them at once.
 */
static bool container_nsproxy_usable(struct nsproxy *nsp)
{
	struct nsproxy *own = current->nsproxy;

	if (!container_ns_usable(&nsp->uts_ns->ns, &own->uts_ns->ns) ||
	    !container_ns_usable(&nsp->ipc_ns->ns, &own->ipc_ns->ns) ||
	    !container_ns_usable(from_mnt_ns(nsp->mnt_ns),
				 from_mnt_ns(own->mnt_ns)) ||
	    !container_ns_usable(&nsp->pid_ns_for_children->ns,
				 &task_active_pid_ns(current)->ns) ||
	    !container_ns_usable(&nsp->net_ns->ns, &own->net_ns->ns))
		return false;
#ifdef CONFIG_CGROUPS
	if (!container_ns_usable(&nsp->cgroup_ns->ns, &own->cgroup_ns->ns))
		return false;
#endif
#ifdef CONFIG_TIME_NS
	if (!container_ns_usable(&nsp->time_ns_for_children->ns,
				 &own->time_ns->ns))
		return false;
#endif
	return true;
}

/* Is @ns @from or below it?  setns(2) allows no other PID namespace. */
static bool pid_ns_within(struct pid_namespace *ns, struct pid_namespace *from)
{
	while (ns && ns->level > from->level)
		ns = ns->parent;
	return ns == from;
}

/**
 * container_may - may current act in a container?
 * @c: the container
 * @what: what it wants to do, which names the namespaces it acts in
 * @root: for a walk or a fork, the root it starts at, as the caller read
 *        it (container_root()); NULL to read it here
 *
 * Every operation that acts in a container from its fd asks this: @c must
 * be current's container or below it (nesting only goes deeper), current
 * needs CAP_SYS_ADMIN over @c's owning user namespace, and over the owner
 * of each namespace of @c that @what uses and current is not in already.
 * Walks and forks also need a root current may use (see
 * container_root_usable()).  May run under rcu_read_lock() for
 * %CONTAINER_ACT_WALK.
 *
 * Return: 0 or -EPERM.
 */
int container_may(struct container *c, enum container_access what,
		  const struct path *root)
{
	return container_may_in(c, container_nsproxy(c), what, root);
}

/**
 * container_may_in - container_may() on namespaces of @c read already
 * @c: the container
 * @nsp: its namespaces, as the caller read them (container_nsproxy()) to
 *       act in them
 * @what: what current is to do
 * @root: as for container_may()
 *
 * Return: 0 or -EPERM.
 */
int container_may_in(struct container *c, struct nsproxy *nsp,
		     enum container_access what, const struct path *root)
{
	struct nsproxy *own = current->nsproxy;

	if (!container_is_within(c, current_container()))
		return -EPERM;
	if (!ns_capable(c->user_ns, CAP_SYS_ADMIN))
		return -EPERM;

	if (!root)
		root = container_root(c);
	switch (what) {
	case CONTAINER_ACT_ENTER:
		if (!pid_ns_within(nsp->pid_ns_for_children,
				   task_active_pid_ns(current)))
			return -EPERM;
		if (!container_nsproxy_usable(nsp) ||
		    !container_root_usable(c, nsp, root))
			return -EPERM;
		return 0;
	case CONTAINER_ACT_MOUNT:
		/* proc shows its PID namespace: one setns(2) would allow. */
		if (!pid_ns_within(nsp->pid_ns_for_children,
				   task_active_pid_ns(current)))
			return -EPERM;
		return container_nsproxy_usable(nsp) ? 0 : -EPERM;
	case CONTAINER_ACT_WALK:
		if (!container_ns_usable(from_mnt_ns(nsp->mnt_ns),
					 from_mnt_ns(own->mnt_ns)))
			return -EPERM;
		return container_root_usable(c, nsp, root) ? 0 : -EPERM;
	case CONTAINER_ACT_NET:
		return container_ns_usable(&nsp->net_ns->ns,
					   &own->net_ns->ns) ? 0 : -EPERM;
	}
	return -EPERM;
}

/**
 * container_can_fork - may current fork a process into @c?
 * @c: the container
 * @clone_flags: the clone flags asked for
 * @gen: set to the generation of @c checked, for container_attach()
 *
 * Return: 0, or -EINVAL for flags that would share the parent's state,
 * -EPERM when container_may(%CONTAINER_ACT_ENTER) refuses, -ESRCH when @c
 * is dead, -EBUSY while its restored init is being adopted, -ENOENT when
 * @c has an empty mount namespace and no root yet.
 */
int container_can_fork(struct container *c, u64 clone_flags, unsigned int *gen)
{
	const struct path *root;
	int err;

	if (clone_flags & CONTAINER_FORBIDDEN_CLONE_FLAGS)
		return -EINVAL;
	/*
	 * What is checked here is what the child gets, or container_attach()
	 * refuses it: @gen first, then the root and namespaces.  Acquire
	 * pairs with the release in container_unlock_root(), so the fork
	 * that sees the root copies a c->fs that has it.
	 */
	*gen = READ_ONCE(c->gen);
	smp_rmb();	/* pairs with container_change_end() */
	/* Its namespaces or root are changing (adoption). */
	if (*gen & 1)
		return -EBUSY;
	root = container_root(c);
	err = container_may(c, CONTAINER_ACT_ENTER, root);
	if (err)
		return err;
	if (container_is_dead(c))
		return -ESRCH;
	/* Its init is being restored: its namespaces are not its own yet. */
	if (container_adopting(c))
		return -EBUSY;
	/* An empty container has nothing to run until it is given a root. */
	if (root == &c->first_root && (c->flags & CONTAINER_NEW_EMPTY_FS_NS))
		return -ENOENT;
	return 0;
}

/**
 * container_entered_from_outside - does this fork enter @into from outside?
 * @into: the container of CLONE_INTO_CONTAINER, or NULL
 *
 * Such a child starts a session and process group of its own, with no
 * controlling terminal, as after setsid(2): it must not be able to signal
 * its manager's process group or use its terminal.  Nor does it take its
 * parent's session keyring in.
 *
 * Return: true when @into is a container current is not a member of.
 */
bool container_entered_from_outside(const struct container *into)
{
	return into && into != current_container();
}

int container_copy_namespaces(struct container *c, struct task_struct *p)
{
	/*
	 * Read once: CONTAINER_ADOPT_NAMESPACES may replace it meanwhile
	 * (keeping the old one until @c is freed); container_attach() then
	 * refuses the child.
	 */
	struct nsproxy *nsp = READ_ONCE(c->nsproxy);

	get_nsproxy(nsp);
	p->nsproxy = nsp;
	if (nsp->time_ns != current->nsproxy->time_ns)
		timens_commit(p, nsp->time_ns);
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
 * @gen: with @into, the generation container_can_fork() checked
 * @clone_flags: its clone flags
 *
 * Called by copy_process() under write_lock_irq(&tasklist_lock), the lock
 * container death takes, so no task joins a container after it, or one of
 * its ancestors, died.  The first process forked into a container becomes
 * its init.
 *
 * Return: 0, -ESRCH when the container is dead, -EBUSY when its
 * namespaces or root changed (container_adopt.c) since
 * container_can_fork() checked them.
 */
int container_attach(struct task_struct *p, struct pid *pid,
		     struct container *into, unsigned int gen, u64 clone_flags)
{
	struct container *c = into ?: current_container();

	lockdep_assert_held_write(&tasklist_lock);
	INIT_LIST_HEAD(&p->container_node);
	p->container = c;
	if (c == &init_container)
		return 0;
	if (container_is_dead(c))
		return -ESRCH;
	/*
	 * Its restored init is being adopted, or was since the fork checked
	 * it: the child's namespaces and root may not be the ones checked.
	 */
	if (into) {
		smp_rmb();	/* what the child copied before @gen; see can_fork */
		if (container_adopting(c) || gen != READ_ONCE(c->gen))
			return -EBUSY;
	}
	if (into && c->state == CONTAINER_STATE_CREATED) {
		c->init_pid = get_pid(pid);
		c->state = CONTAINER_STATE_RUNNING;
	}
	/* Every task holds a reference; processes are listed, by leader. */
	container_get(c);
	if (!(clone_flags & CLONE_THREAD)) {
		list_add_tail(&p->container_node, &c->members);
		c->nr_procs++;
	}
	container_audit_attach(p);
	return 0;
}

/* Mark @c dead and wake its pollers.  Under tasklist_lock, for writing. */
static void container_set_dead(struct container *c)
{
	lockdep_assert_held_write(&tasklist_lock);
	if (c->state != CONTAINER_STATE_DEAD) {
		WRITE_ONCE(c->state, CONTAINER_STATE_DEAD);
		wake_up_all(&c->wait);
	}
}

/**
 * container_mark_dead - a container dies
 * @c: the container
 *
 * O(1) under write_lock_irq(&tasklist_lock): from now on nothing joins
 * @c or any container below it (container_attach() looks up the
 * ancestors), and none can be created below it.  Killing the members, and
 * the members of every container below, is left to @c->zap_work, outside
 * that lock, as cgroup.kill kills outside the lock it marks under; it
 * holds tasklist_lock only for reading, a batch at a time.
 */
void container_mark_dead(struct container *c)
{
	lockdep_assert_held_write(&tasklist_lock);
	if (c->state == CONTAINER_STATE_DEAD)
		return;
	container_set_dead(c);
	container_get(c);
	queue_work(system_unbound_wq, &c->zap_work);
}

/*
 * SIGKILL every process of @c: @members lists them by their leaders until
 * they are reaped.  A batch of entries at a time under tasklist_lock, held
 * for reading, counting every entry looked at, so that no hold is long
 * however many processes are dying already; a process already dying is
 * not signalled again, and starting over when the place we stopped at was
 * reaped meanwhile costs a walk past the dying.
 */
static void container_kill_members(struct container *c)
{
	struct task_struct *t, *prev, *resume = NULL;
	int n;

	do {
		prev = resume;
		resume = NULL;
		n = 0;
		read_lock(&tasklist_lock);
		if (prev && !list_empty(&prev->container_node))
			t = prev;
		else
			t = list_first_entry(&c->members, struct task_struct,
					     container_node);
		list_for_each_entry_from(t, &c->members, container_node) {
			if (n++ == CONTAINER_ZAP_BATCH) {
				resume = get_task_struct(t);
				break;
			}
			if (!(t->signal->flags & SIGNAL_GROUP_EXIT))
				group_send_sig_info(SIGKILL, SEND_SIG_PRIV, t,
						    PIDTYPE_TGID);
		}
		read_unlock(&tasklist_lock);
		if (prev)
			put_task_struct(prev);
		cond_resched();
	} while (resume);
}

/* A container's death takes every container nested in it along. */
static void container_zap_work(struct work_struct *work)
{
	struct container *c = container_of(work, struct container, zap_work);
	struct container *d;
	unsigned long id = 0;

	/* Wake in-kernel key requesters first: they wait uninterruptibly. */
	container_keys_dead(c);
	container_kill_members(c);
	while ((d = container_get_live(&c->descendants, &id))) {
		write_lock_irq(&tasklist_lock);
		container_set_dead(d);
		write_unlock_irq(&tasklist_lock);
		container_keys_dead(d);
		container_kill_members(d);
		container_put(d);
		id++;
	}
	container_put(c);
}

/* From exit_notify(), under write_lock_irq(&tasklist_lock). */
void container_exit_notify(struct task_struct *tsk, int group_dead)
{
	struct container *c = tsk->container;

	if (c == &init_container || !group_dead)
		return;
	c->nr_procs--;
	if (task_tgid(tsk) != c->init_pid)
		return;
	c->exit_status = (tsk->signal->flags & SIGNAL_GROUP_EXIT) ?
			 tsk->signal->group_exit_code : tsk->exit_code;
	container_audit_death(c, tsk);
	container_mark_dead(c);
}

/*
 * From de_thread(), under write_lock_irq(&tasklist_lock): a thread that
 * execs takes over from the leader, and its place on @members.
 */
void container_exec_leader(struct task_struct *leader, struct task_struct *tsk)
{
	if (tsk->container != &init_container)
		list_replace_init(&leader->container_node, &tsk->container_node);
}

/* From release_task(), under write_lock_irq(&tasklist_lock): reaped. */
void container_release_task(struct task_struct *tsk)
{
	if (tsk->container != &init_container)
		list_del_init(&tsk->container_node);
}

/* From __put_task_struct(): the task's reference on its container. */
void container_task_free(struct task_struct *tsk)
{
	container_put(tsk->container);
}

/* A name: 1 to CONTAINER_NAME_MAX - 1 characters of [A-Za-z0-9_.-]. */
bool container_name_valid(const char *name)
{
	const char *p;

	if (!*name)
		return false;
	for (p = name; *p; p++)
		if (!isalnum(*p) && *p != '_' && *p != '.' && *p != '-')
			return false;
	return true;
}

/**
 * container_alloc - a container in state CREATED, with no ID yet
 * @parent: the container it is created in
 * @flags: its CONTAINER_* flags
 * @name: its name
 *
 * Return: the container, or NULL without memory.
 */
struct container *container_alloc(struct container *parent, u64 flags,
				  const char *name)
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
	INIT_WORK(&c->zap_work, container_zap_work);
	INIT_WORK(&c->free_work, container_free_work);
	c->parent = container_get(parent);
	strscpy(c->name, name);
	return c;
}

/**
 * container_alloc_ids - reserve @c's ID in the space of every ancestor
 * @c: the container
 * @set_id: 0, or the ID wanted in the creator's space
 *
 * The entries stay reserved (invisible to lookups) until
 * container_publish() stores @c in them; container_free_work() releases
 * them.
 *
 * Return: 0, -EEXIST when @set_id is taken, -ENOSPC when no ID is free,
 * -ENOMEM.
 */
int container_alloc_ids(struct container *c, u32 set_id)
{
	struct container *space = c->parent;
	int i, err;
	u32 nr;

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
		/* Set @id->nr only once it is ours: free erases what it names. */
		err = xa_alloc_cyclic(&space->descendants, &nr, NULL,
				      XA_LIMIT(1, CONTAINER_ID_MAX),
				      &space->next_id, GFP_KERNEL_ACCOUNT);
		if (err == -EBUSY)
			return -ENOSPC;
		if (err < 0)
			return err;
		id->nr = nr;
	}
	return 0;
}

/**
 * container_publish - make @c visible in its ancestors' ID spaces
 * @c: the container, its IDs reserved
 *
 * Refuses a container whose parent, or any ancestor, died meanwhile: the
 * dying ancestor's zap_work, which looks for descendants after the death
 * was marked under tasklist_lock, might otherwise miss it.  Either we see
 * the death here, or the zap_work sees us.
 *
 * Return: 0, -ESRCH for a dead ancestor, or an xarray error.
 */
int container_publish(struct container *c)
{
	unsigned int i;
	bool dead;
	int err;

	for (i = 0; i < c->level; i++) {
		err = xa_err(xa_store(&c->ids[i].space->descendants,
				      c->ids[i].nr, c, GFP_KERNEL));
		if (err)
			return err;
	}
	read_lock(&tasklist_lock);
	dead = container_is_dead(c->parent);
	read_unlock(&tasklist_lock);
	return dead ? -ESRCH : 0;
}

/* Namespaces: the creator's, with the ones @c->flags asks for made new. */
int container_make_namespaces(struct container *c, struct cred *new_cred)
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

	/* A private fs_struct: copy_mnt_ns() points its root into the copy. */
	c->fs = copy_fs_struct(current->fs);
	if (!c->fs)
		return -ENOMEM;

	err = unshare_nsproxy_namespaces(clone_flags, &nsp, new_cred, c->fs);
	if (err)
		return err;
	if (!nsp && ((c->flags & CONTAINER_NEW_EMPTY_FS_NS) ||
		     current->nsproxy->time_ns !=
		     current->nsproxy->time_ns_for_children)) {
		/*
		 * No new namespace, but one to change: an empty mount
		 * namespace to put in, or the time namespace to switch.  A
		 * private copy, with nothing new in it.
		 */
		nsp = copy_task_namespaces(current, c->fs);
		if (IS_ERR(nsp))
			return PTR_ERR(nsp);
	} else if (!nsp) {
		nsp = current->nsproxy;
		get_nsproxy(nsp);
	}
	/*
	 * The container's processes live in the time namespace the creator's
	 * children would get: a new one with CONTAINER_NEW_TIME_NS, else the
	 * creator's, or the one it unshare(CLONE_NEWTIME)d and may have set
	 * the offsets of.  This nsproxy is still private, so switch it once
	 * here rather than at every fork.
	 */
	if (nsp->time_ns != nsp->time_ns_for_children) {
		put_time_ns(nsp->time_ns);
		nsp->time_ns = get_time_ns(nsp->time_ns_for_children);
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

/**
 * container_charge - count a new container against user.max_containers
 * @c: the container, its owning user namespace set
 *
 * Charged, as a namespace is, to the creator's uid in the owning user
 * namespace and every ancestor of it, so neither nesting nor width gets
 * past the limit of any level.
 *
 * Return: 0 or -ENOSPC.
 */
int container_charge(struct container *c)
{
	c->ucounts = inc_ucount(c->user_ns, current_euid(), UCOUNT_CONTAINERS);
	return c->ucounts ? 0 : -ENOSPC;
}

/**
 * container_security_alloc - the LSM hook, remembered for the free
 * @c: the container
 *
 * Return: 0 or the hook's error.
 */
int container_security_alloc(struct container *c)
{
	int err = security_container_alloc(c);

	c->security_ready = !err;
	return err;
}

/* The mount namespace of @c, held as long as @c is. */
struct mnt_namespace *container_mnt_ns(const struct container *c)
{
	return c->nsproxy->mnt_ns;
}

/* The root walks from @c's fd start at, held as long as @c is. */
const struct path *container_root(const struct container *c)
{
	/* Pairs with the release in container_unlock_root(): a whole path. */
	return smp_load_acquire(&c->root);
}

/**
 * container_lock_root - begin giving an empty container its root
 * @c: the container
 * @target: where move_mount() is to mount: must be @c's empty root
 *
 * On success @c->root_lock is held until container_unlock_root().
 *
 * Return: 0; -EINVAL when @c was not made with CONTAINER_NEW_EMPTY_FS_NS
 * or @target is not its root; -EBUSY when it has a root already, or its
 * restored init, adopted, is to give it one; -ESRCH when it is dead.
 */
int container_lock_root(struct container *c, const struct path *target)
{
	int err = 0;

	mutex_lock(&c->root_lock);
	if (!(c->flags & CONTAINER_NEW_EMPTY_FS_NS))
		err = -EINVAL;
	else if (c->root != &c->first_root || container_adopting(c))
		err = -EBUSY;
	else if (!path_equal(target, &c->first_root))
		err = -EINVAL;
	else if (container_is_dead(c))
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
		container_change_begin(c);
		c->given_root = *root;
		path_get(&c->given_root);
		set_fs_root(c->fs, root);
		set_fs_pwd(c->fs, root);
		/* Publish @given_root and @fs before the pointer to it. */
		smp_store_release(&c->root, &c->given_root);
		container_change_end(c);
	}
	mutex_unlock(&c->root_lock);
}

#if IS_ENABLED(CONFIG_CONTAINERS_KUNIT_TEST)
#include "container_kunit.c"
#endif
