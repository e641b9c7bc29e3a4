/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel container objects: what container.c shares with its neighbours. */
#ifndef _KERNEL_CONTAINER_INTERNAL_H
#define _KERNEL_CONTAINER_INTERNAL_H

#include <linux/containerfd.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

struct container_adopted;
struct cred;
struct ns_common;

/**
 * struct container_id - one of a container's IDs
 * @nr: the ID
 * @space: the ancestor container whose ID space @nr belongs to
 */
struct container_id {
	u32 nr;
	struct container *space;
};

/**
 * struct container - a kernel container object
 * @usage: references: files, member tasks, children, users of the object
 * @flags: the CONTAINER_* flags it was created with
 * @level: its depth; the root container is level 0
 * @state: enum container_state
 * @exit_status: its init's wait status once dead
 * @nr_procs: live processes in it (thread groups, not threads)
 * @members: its processes until they are reaped, by their thread-group
 *           leaders, linked by task_struct.container_node
 * @init_pid: its first process, or NULL before one was forked in
 * @parent: the container it was created in
 * @user_ns: the user namespace owning it; never changes
 * @ucounts: what its creation is charged to (user.max_containers)
 * @nsproxy: the namespaces its processes get
 * @fs: the root and cwd its processes start with
 * @root_lock: serialises giving an empty container its root, and adoption
 * @gen: odd while @nsproxy or @root changes (under @root_lock), a sequence
 *       count for forks in
 * @root: where walks from its fd start: @first_root or @given_root
 * @first_root: its root when it was created
 * @given_root: the root move_mount() gave it, if any
 * @wait: woken when it dies, for poll()
 * @descendants: the containers below it, by their IDs in its space
 * @next_id: the cyclic ID allocator's cursor for @descendants
 * @zap_work: kills its members, and its descendants', once it is dead
 * @free_work: frees it in process context
 * @rcu: frees it after RCU readers of @descendants are done
 * @security_ready: security_container_alloc() succeeded, so
 *                  security_container_free() is owed
 * @audit_created: its creation was announced to audit, so its freeing is
 *                 too
 * @adopted: what CONTAINER_IOC_ADOPT did to it, or NULL (container_adopt.c)
 * @name: its name, possibly empty
 * @keys: its keyring and upcall interceptions (security/keys/container.c)
 * @ids: its ID in the space of each ancestor, @level of them
 *
 * A container is an ID space for its descendants, the way a PID namespace
 * is for its processes: @descendants maps every ID in this space to the
 * container below it, at any depth, and a container at @level has one ID in
 * the space of each of its @level ancestors (@ids[i] in the level-i one).
 * @level is at most CONTAINER_MAX_DEPTH.
 *
 * @state, @members, @nr_procs, @init_pid and @exit_status are written under
 * write_lock_irq(&tasklist_lock), the lock fork, exit and reaping already
 * hold when a task joins or leaves.  Marking a container dead is O(1)
 * there; the killing is done by @zap_work outside that lock.
 *
 * @root is where walks from the container fd start: @first_root, or, once
 * move_mount(MOVE_MOUNT_T_CONTAINER_ROOT) gave an empty container its root
 * or CONTAINER_ADOPT_NAMESPACES gave it its restored init's, @given_root.
 * It changes at most once, under @root_lock, published with release
 * semantics after @fs, so a reader never sees a torn path.
 *
 * @nsproxy too changes at most once, by CONTAINER_ADOPT_NAMESPACES, which
 * keeps the first one until the container is freed.  A reader reads it
 * once (container_nsproxy()) and uses what it read for both its check and
 * its action.  A fork in notes @gen when it checks the container (and is
 * refused while it is odd), and container_attach() refuses the child if
 * it changed meanwhile.
 * Everything else is set at creation and fixed.
 */
struct container {
	refcount_t		usage;
	u64			flags;
	unsigned int		level;
	enum container_state	state;
	int			exit_status;
	unsigned int		nr_procs;
	struct list_head	members;
	struct pid		*init_pid;
	struct container	*parent;
	struct user_namespace	*user_ns;
	struct ucounts		*ucounts;
	struct nsproxy		*nsproxy;
	struct fs_struct	*fs;
	struct mutex		root_lock;	/* serialises giving the root */
	unsigned int		gen;
	const struct path	*root;
	struct path		first_root;
	struct path		given_root;
	wait_queue_head_t	wait;
	struct xarray		descendants;
	u32			next_id;
	struct work_struct	zap_work;
	struct work_struct	free_work;
	struct rcu_head		rcu;
	bool			security_ready;
#if IS_ENABLED(CONFIG_CONTAINER_AUDIT)
	bool			audit_created;
#endif
	struct container_adopted *adopted;
	char			name[CONTAINER_NAME_MAX];
#if IS_ENABLED(CONFIG_CONTAINER_KEYRING)
	struct container_keys	*keys;
#endif
	struct container_id	*ids;
};

/*
 * What a caller wants to do with a container, for container_may():
 * each names the namespaces of the container it acts in.
 */
enum container_access {
	CONTAINER_ACT_ENTER,	/* fork in: all of its namespaces and its root */
	CONTAINER_ACT_WALK,	/* walk its tree: its mount namespace and root */
	CONTAINER_ACT_MOUNT,	/* mount in its mount namespace */
	CONTAINER_ACT_NET,	/* a socket in its network namespace */
};

static inline struct container *current_container(void)
{
	return current->container;
}

u64 container_id_in(const struct container *c, const struct container *space);
bool container_is_within(const struct container *c,
			 const struct container *ancestor);
bool container_is_dead(const struct container *c);
int container_may_in(struct container *c, struct nsproxy *nsp,
		     enum container_access what, const struct path *root);
int container_may(struct container *c, enum container_access what,
		  const struct path *root);

/* @c's namespaces, read once; alive as long as @c is. */
static inline struct nsproxy *container_nsproxy(const struct container *c)
{
	return READ_ONCE(c->nsproxy);
}

/*
 * Around a change of @nsproxy or @root, under @root_lock: @gen is odd
 * meanwhile, and a fork in that checked the container before or during
 * the change sees another @gen at container_attach().  A seqcount's
 * write side; container_can_fork() and container_attach() are its reads.
 */
static inline void container_change_begin(struct container *c)
{
	lockdep_assert_held(&c->root_lock);
	WRITE_ONCE(c->gen, c->gen + 1);
	smp_wmb();	/* an odd @gen before what changes */
}

static inline void container_change_end(struct container *c)
{
	lockdep_assert_held(&c->root_lock);
	smp_wmb();	/* what changed before the even @gen */
	WRITE_ONCE(c->gen, c->gen + 1);
}

int container_may_ns(struct container *c, struct ns_common *ns,
		     struct ns_common *own);
struct container *container_get_live(struct xarray *xa, unsigned long *index);

bool container_name_valid(const char *name);

/* Creating one, in this order; container_put() undoes any prefix. */
struct container *container_alloc(struct container *parent, u64 flags,
				  const char *name);
int container_charge(struct container *c);
int container_make_namespaces(struct container *c, struct cred *new_cred);
int container_alloc_ids(struct container *c, u32 set_id);
int container_security_alloc(struct container *c);
int container_publish(struct container *c);

void container_mark_dead(struct container *c);

/* container_fd.c */
struct container *container_file_container(const struct file *file);

/* container_adopt.c: a restored process becomes a container's init */
#if IS_ENABLED(CONFIG_CONTAINERS_RESTORE)
long container_adopt(struct container *c, const void __user *uarg);
bool container_adopting(const struct container *c);
void container_adopt_free(struct container *c);
#else
static inline long container_adopt(struct container *c,
				   const void __user *uarg)
{
	return -ENOTTY;
}

static inline bool container_adopting(const struct container *c)
{
	return false;
}

static inline void container_adopt_free(struct container *c) { }
#endif

#endif /* _KERNEL_CONTAINER_INTERNAL_H */
