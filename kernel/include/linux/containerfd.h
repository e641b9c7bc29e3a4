/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel container objects.  (linux/container.h is the unrelated ACPI
 * container device; hence the name.)
 */
#ifndef _LINUX_CONTAINERFD_H
#define _LINUX_CONTAINERFD_H

#include <linux/err.h>
#include <linux/errno.h>
#include <uapi/linux/container.h>

struct container;
struct file;
struct mnt_namespace;
struct nsproxy;
struct path;
struct pid;
struct task_struct;
struct user_namespace;
struct seq_file;

#ifdef CONFIG_CONTAINERS

extern struct container init_container;

struct container *container_get(struct container *c);
void container_put(struct container *c);
struct container *container_from_fd(int fd);
struct user_namespace *container_user_ns(const struct container *c);

/* namespace.c: mounting into a container from outside */
struct container *container_from_dirfd(int dfd);
struct mnt_namespace *container_mnt_ns(const struct container *c);
const struct path *container_root(const struct container *c);
int container_may_walk(struct container *c, const struct path *root);
int container_lock_root(struct container *c, const struct path *target);
void container_unlock_root(struct container *c, const struct path *root);

/* fork.c: CLONE_INTO_CONTAINER */
int container_can_fork(struct container *c, u64 clone_flags, unsigned int *gen);
bool container_entered_from_outside(const struct container *into);
int container_copy_namespaces(struct container *c, struct task_struct *p);
int container_copy_fs(struct container *c, struct task_struct *p);
/* fork.c, under write_lock_irq(&tasklist_lock) */
int container_attach(struct task_struct *p, struct pid *pid,
		     struct container *into, unsigned int gen, u64 clone_flags);
/* exit.c, under write_lock_irq(&tasklist_lock) */
void container_exit_notify(struct task_struct *tsk, int group_dead);
void container_release_task(struct task_struct *tsk);
void container_task_free(struct task_struct *tsk);
/* exec.c, under write_lock_irq(&tasklist_lock) */
void container_exec_leader(struct task_struct *leader, struct task_struct *tsk);

/* pidfs.c: PIDFD_GET_CONTAINER */
int container_fd_of_task(struct task_struct *task);

/* namei.c: a container fd as a dirfd */
bool container_fd_is_container(int fd);
const struct path *container_file_root(struct file *file);

#else /* !CONFIG_CONTAINERS */

static inline struct container *container_from_fd(int fd)
{
	return ERR_PTR(-EINVAL);
}

static inline void container_put(struct container *c) { }

static inline struct container *container_from_dirfd(int dfd)
{
	return NULL;
}

static inline struct mnt_namespace *container_mnt_ns(const struct container *c)
{
	return NULL;
}

static inline const struct path *container_root(const struct container *c)
{
	return NULL;
}

static inline int container_may_walk(struct container *c,
				     const struct path *root)
{
	return -EINVAL;
}

static inline int container_lock_root(struct container *c,
				      const struct path *target)
{
	return -EINVAL;
}

static inline void container_unlock_root(struct container *c,
					 const struct path *root) { }

static inline struct user_namespace *container_user_ns(const struct container *c)
{
	return NULL;
}

static inline int container_can_fork(struct container *c, u64 clone_flags,
				     unsigned int *gen)
{
	return -EINVAL;
}

static inline bool container_entered_from_outside(const struct container *into)
{
	return false;
}

static inline int container_copy_namespaces(struct container *c,
					    struct task_struct *p)
{
	return -EINVAL;
}

static inline int container_copy_fs(struct container *c, struct task_struct *p)
{
	return -EINVAL;
}

static inline int container_attach(struct task_struct *p, struct pid *pid,
				   struct container *into, unsigned int gen,
				   u64 clone_flags)
{
	return 0;
}

static inline void container_exit_notify(struct task_struct *tsk,
					 int group_dead) { }

static inline void container_release_task(struct task_struct *tsk) { }

static inline void container_exec_leader(struct task_struct *leader,
					 struct task_struct *tsk) { }

static inline void container_task_free(struct task_struct *tsk) { }

static inline int container_fd_of_task(struct task_struct *task)
{
	return -ENOIOCTLCMD;
}

static inline bool container_fd_is_container(int fd)
{
	return false;
}

static inline const struct path *container_file_root(struct file *file)
{
	return NULL;
}

#endif /* CONFIG_CONTAINERS */

#if IS_ENABLED(CONFIG_CONTAINER_AUDIT)
/* kernel/audit_container.c: containers in the host's audit log */
void container_audit_create(struct container *c);
/* container_attach() and adoption, under tasklist_lock */
void container_audit_attach(struct task_struct *p);
/* fork.c and adoption, once the task is attached and the locks dropped */
void container_audit_fork(struct task_struct *p);
/* exit.c, from container_exit_notify(), under tasklist_lock */
void container_audit_death(struct container *c, struct task_struct *init);
void container_audit_free(struct container *c);
#else
static inline void container_audit_create(struct container *c) { }
static inline void container_audit_attach(struct task_struct *p) { }
static inline void container_audit_fork(struct task_struct *p) { }
static inline void container_audit_death(struct container *c,
					 struct task_struct *init) { }
static inline void container_audit_free(struct container *c) { }
#endif /* CONFIG_CONTAINER_AUDIT */

/* security/keys/container.c: a container's keyring and upcalls */
#if IS_ENABLED(CONFIG_CONTAINER_KEYRING)
void container_keys_dead(struct container *c);
void container_keys_free(struct container *c);
__poll_t container_keys_poll(struct container *c);
#else
static inline void container_keys_dead(struct container *c) { }
static inline void container_keys_free(struct container *c) { }

static inline __poll_t container_keys_poll(struct container *c)
{
	return 0;
}
#endif

#endif /* _LINUX_CONTAINERFD_H */
