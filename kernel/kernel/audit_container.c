// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel container objects in the host's audit log.
 *
 * Nothing a container does may leave no trace on the host, so:
 *
 * - AUDIT_CONTAINER_OP records the life of every container: its creation,
 *   its first process (init), every later fork into it from outside, its
 *   init's exit and its freeing, inside the event of the syscall that
 *   caused it where there is one;
 * - AUDIT_CONTAINER_ID follows every event of a member that audit logs,
 *   in a syscall or not (a seccomp action, a core dump, a user message),
 *   and the OBJ_PID record of every member a syscall signalled or traced:
 *   the container's ID in the host's ID space, the path of its IDs from
 *   the outermost container down, and the container session;
 * - the rule field AUDIT_CONTAINER matches the tasks of a container and of
 *   the containers nested in it, on the exit, user and exclude filters.
 *
 * The container session is to a container what sessionid is to a login:
 * every fork into a container by a task that is not a member of it starts
 * a new one, from a global counter; every other fork inherits it, and
 * nothing else changes it.  A container's own tree carries the session of
 * its init, so an auditor tells what someone who entered a container did
 * from what the container did by itself.  loginuid and sessionid cross
 * into the container with the task that forks in, as through fork(2).
 *
 * Container IDs in records and rules are the host's: the IDs in the root
 * container's ID space.  Only the host names them in rules.
 *
 * See Documentation/userspace-api/container.rst, "Audit".
 */

#include <linux/audit.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>

#include "audit.h"
#include "container_internal.h"

/* The last container session given out; 0 means "in no container". */
static atomic_t container_session_last = ATOMIC_INIT(0);

static unsigned int container_session_new(void)
{
	unsigned int ses;

	do {
		ses = (unsigned int)atomic_inc_return(&container_session_last);
	} while (!ses);
	return ses;
}

/* A container's ID in the host's ID space; 0 for the root container. */
static u32 container_host_id(const struct container *c)
{
	return c->level ? c->ids[0].nr : 0;
}

/*
 * " contpath=/A/B/C": the ID of each container from the outermost one down
 * to @c, each in the ID space of its parent, as a path names directories.
 * A is the outermost one's host ID; the last is @c's ID as its parent's
 * members see it.
 */
static void audit_log_container_path(struct audit_buffer *ab,
				     const struct container *c)
{
	unsigned int level;

	audit_log_format(ab, " contpath=");
	for (level = 1; level <= c->level; level++) {
		const struct container *a = level < c->level ?
					    c->ids[level].space : c;

		audit_log_format(ab, "/%u", a->ids[level - 1].nr);
	}
}

static void audit_log_container_ident(struct audit_buffer *ab,
				      const struct container *c,
				      unsigned int session)
{
	audit_log_format(ab, "contid=%u", container_host_id(c));
	audit_log_container_path(ab, c);
	audit_log_format(ab, " contses=%u", session);
}

/* Who caused a CONTAINER_OP record, should no SYSCALL record say so. */
static void audit_log_container_actor(struct audit_buffer *ab)
{
	audit_log_format(ab, " pid=%d auid=%u ses=%u", task_tgid_nr(current),
			 from_kuid(&init_user_ns, audit_get_loginuid(current)),
			 audit_get_sessionid(current));
}

/**
 * audit_log_container_id - the acting task's container, for its event
 * @ctx: current's audit context, in a syscall or io_uring operation
 *
 * Logs an AUDIT_CONTAINER_ID record in @ctx's event when current is a
 * member of a container; nothing for a task of the host.
 */
void audit_log_container_id(struct audit_context *ctx)
{
	struct container *c = current->container;
	struct audit_buffer *ab;

	if (c == &init_container)
		return;
	ab = audit_log_start(ctx, GFP_KERNEL, AUDIT_CONTAINER_ID);
	if (!ab)
		return;
	audit_log_container_ident(ab, c, current->container_session);
	audit_log_end(ab);
}

/**
 * audit_container_standalone - is a record a member's event of its own?
 * @ctx: the context audit_log_start() was given
 * @type: the record's type
 *
 * A record logged with no context, or outside any syscall and io_uring
 * operation (a seccomp action, a core dump), starts an event that no
 * SYSCALL record will close.  Not in interrupts, where current is only
 * whoever was interrupted.
 *
 * Return: true when current is a member and the event must name its
 * container (audit_log_container_current()).
 */
bool audit_container_standalone(struct audit_context *ctx, int type)
{
	return in_task() && type != AUDIT_CONTAINER_ID &&
	       (!ctx || ctx->context == AUDIT_CTX_UNUSED) &&
	       current->container != &init_container;
}

/**
 * audit_log_container_current - the body of current's AUDIT_CONTAINER_ID
 * @ab: a record of type AUDIT_CONTAINER_ID, its stamp written
 */
void audit_log_container_current(struct audit_buffer *ab)
{
	audit_log_container_ident(ab, current->container,
				  current->container_session);
}

/**
 * audit_log_container_owed - the container of an event with no SYSCALL record
 * @ctx: current's audit context, at the end of a syscall that logs no
 *       SYSCALL record
 *
 * Another record may have been logged in this syscall's event (an AVC, a
 * user message, a CONTAINER_OP): the event still tells which container
 * its task is in.
 */
void audit_log_container_owed(struct audit_context *ctx)
{
	if (ctx->container_owed)
		audit_log_container_id(ctx);
}

/**
 * audit_container_save - remember the container of a signalled or traced task
 * @ac: where, in an audit context
 * @t: the task
 *
 * The record is written at the end of the syscall, when @t may be gone:
 * hold its container until then.  Replaces what @ac held.
 */
void audit_container_save(struct audit_container *ac, struct task_struct *t)
{
	struct container *c = t->container;

	audit_container_drop(ac);
	if (c == &init_container)
		return;
	ac->container = container_get(c);
	ac->session = t->container_session;
}

void audit_container_drop(struct audit_container *ac)
{
	if (ac->container) {
		container_put(ac->container);
		ac->container = NULL;
	}
}

/**
 * audit_log_container_target - the container of a signalled or traced task
 * @ctx: current's audit context
 * @ac: what audit_container_save() kept
 * @opid: the task's PID, as its OBJ_PID record gives it
 */
void audit_log_container_target(struct audit_context *ctx,
				const struct audit_container *ac, pid_t opid)
{
	struct audit_buffer *ab;

	if (!ac->container)
		return;
	ab = audit_log_start(ctx, GFP_KERNEL, AUDIT_CONTAINER_ID);
	if (!ab)
		return;
	audit_log_format(ab, "opid=%d ", opid);
	audit_log_container_ident(ab, ac->container, ac->session);
	audit_log_end(ab);
}

/**
 * audit_container_rule_value - may current name this container in a rule?
 * @id: the rule's value for AUDIT_CONTAINER
 *
 * Return: 0; -EINVAL for a value no container ID can have; -EPERM when
 * current is a member of a container, whose IDs are not the host's.
 */
int audit_container_rule_value(u32 id)
{
	if (id > CONTAINER_ID_MAX)
		return -EINVAL;
	if (current->container != &init_container)
		return -EPERM;
	return 0;
}

/**
 * audit_container_match - the AUDIT_CONTAINER rule field
 * @tsk: the task the rule looks at
 * @op: Audit_equal or Audit_not_equal
 * @id: a container's host ID, or 0 for the host itself
 *
 * A task is "in" container @id when its container is @id or is nested,
 * at any depth, in @id: a member that makes a container inside its own
 * stays under the rules of its own.  0 matches only the tasks that are in
 * no container.  At most CONTAINER_MAX_DEPTH steps.
 *
 * Return: 1 on a match, else 0.
 */
int audit_container_match(struct task_struct *tsk, u32 op, u32 id)
{
	const struct container *c = tsk->container;
	bool in = false;

	if (!id) {
		in = c == &init_container;
	} else {
		for (; c->level && !in; c = c->parent)
			in = c->ids[0].nr == id;
	}
	return audit_comparator(in, op, true);
}

/**
 * container_audit_create - log a container's creation
 * @c: the container, published, its fd about to be installed
 *
 * In the event of the container_create() syscall.
 */
void container_audit_create(struct container *c)
{
	struct audit_buffer *ab;

	c->audit_created = true;
	if (!audit_enabled)
		return;
	ab = audit_log_start(audit_context(), GFP_KERNEL, AUDIT_CONTAINER_OP);
	if (!ab)
		return;
	audit_log_format(ab, "op=create contid=%u pcontid=%u",
			 container_host_id(c), container_host_id(c->parent));
	audit_log_container_path(ab, c);
	audit_log_format(ab, " name=");
	if (c->name[0])
		audit_log_untrustedstring(ab, c->name);
	else
		audit_log_format(ab, "(none)");
	audit_log_format(ab, " contflags=0x%llx userns=%u", c->flags,
			 c->user_ns->ns.inum);
	audit_log_container_actor(ab);
	audit_log_end(ab);
}

/**
 * container_audit_attach - a new member's container session
 * @p: the new task, a member of p->container now
 *
 * From container_attach(), under tasklist_lock, before @p can be seen:
 * a task forked into a container by one that is not a member of it starts
 * a new container session.  Any other keeps the one dup_task_struct()
 * copied from its parent.
 */
void container_audit_attach(struct task_struct *p)
{
	if (p->container != current->container)
		p->container_session = container_session_new();
}

/**
 * container_audit_fork - log an entry into a container from outside
 * @p: the new task, not running yet
 *
 * From copy_process() once the task is attached and the locks dropped, in
 * the event of the clone3() that forked it in: "init" for a container's
 * first process, "enter" for the others.
 */
void container_audit_fork(struct task_struct *p)
{
	struct container *c = p->container;
	struct audit_buffer *ab;
	const char *op;

	if (c == current->container || !audit_enabled)
		return;
	op = task_tgid(p) == READ_ONCE(c->init_pid) ? "init" : "enter";
	ab = audit_log_start(audit_context(), GFP_KERNEL, AUDIT_CONTAINER_OP);
	if (!ab)
		return;
	audit_log_format(ab, "op=%s contid=%u", op, container_host_id(c));
	audit_log_container_path(ab, c);
	audit_log_format(ab, " opid=%d contses=%u", task_tgid_nr(p),
			 p->container_session);
	audit_log_container_actor(ab);
	audit_log_end(ab);
}

/* A container's death, logged from process context. */
struct container_audit_death {
	struct work_struct	work;
	struct container	*container;
	pid_t			pid;
	int			status;
};

static void container_audit_death_work(struct work_struct *work)
{
	struct container_audit_death *d =
		container_of(work, struct container_audit_death, work);
	struct audit_buffer *ab;

	ab = audit_log_start(NULL, GFP_KERNEL, AUDIT_CONTAINER_OP);
	if (ab) {
		audit_log_format(ab, "op=death contid=%u",
				 container_host_id(d->container));
		audit_log_container_path(ab, d->container);
		audit_log_format(ab, " opid=%d status=%d", d->pid, d->status);
		audit_log_end(ab);
	}
	container_put(d->container);
	kfree(d);
}

/**
 * container_audit_death - log the exit of a container's init
 * @c: the container, its exit_status set
 * @init: the exiting task of its init's thread group
 *
 * From container_exit_notify(), under write_lock_irq(&tasklist_lock),
 * where no record may be written: the exclude filter can take locks that
 * nest inside it.  Written by a work item instead, as an event of its
 * own; its init's task has released its audit context by now anyway.
 */
void container_audit_death(struct container *c, struct task_struct *init)
{
	struct container_audit_death *d;

	if (!audit_enabled)
		return;
	d = kmalloc(sizeof(*d), GFP_ATOMIC);
	if (!d) {
		audit_log_lost("out of memory for a container's death");
		return;
	}
	INIT_WORK(&d->work, container_audit_death_work);
	d->container = container_get(c);
	d->pid = task_tgid_nr(init);
	d->status = c->exit_status;
	schedule_work(&d->work);
}

/**
 * container_audit_free - log that a container is freed, its IDs released
 * @c: the container, its last reference gone
 *
 * From its free work: an event of its own.
 */
void container_audit_free(struct container *c)
{
	struct audit_buffer *ab;

	if (!c->audit_created || !audit_enabled)
		return;
	ab = audit_log_start(NULL, GFP_KERNEL, AUDIT_CONTAINER_OP);
	if (!ab)
		return;
	audit_log_format(ab, "op=free contid=%u", container_host_id(c));
	audit_log_container_path(ab, c);
	audit_log_end(ab);
}
