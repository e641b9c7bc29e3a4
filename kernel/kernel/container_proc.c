// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/containers: the containers the reader may see, IDs as it sees them.
 *
 * The reader sees its own container (ID 0, unless that is the root
 * container, which is no object) and every container below it: exactly
 * the entries of its container's ID space.  Columns:
 *
 *   ID PARENT STATE INIT MEMBERS FLAGS NAME
 *
 * PARENT is "-" where the parent is not visible; INIT is the init's PID in
 * the PID namespace of this procfs, 0 when there is none, it is not
 * visible there, or the procfs hides it (hidepid=) from the reader; NAME is
 * "-" when the container has none.
 *
 * Each line is made with a reference on its container, not under RCU, so
 * that the hidepid= check may take what locks it needs; the position is
 * the ID, so a reader of ten thousand lines resumes where it stopped.
 */

#include <linux/cred.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/ptrace.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>

#include "container_internal.h"

static const char *const container_state_names[] = {
	[CONTAINER_STATE_CREATED]	= "created",
	[CONTAINER_STATE_RUNNING]	= "running",
	[CONTAINER_STATE_DEAD]		= "dead",
};

/* Position 0 is the header; 1 the reader's own container; ID + 1 the rest. */
#define CONTAINERS_POS_SELF 1

struct containers_iter {
	struct container *viewer;
	struct container *cur;
};

/* Would this procfs list @task's /proc/PID for the reader?  (hidepid=) */
static bool container_pid_listed(struct proc_fs_info *fs_info,
				 struct task_struct *task)
{
	if (fs_info->hide_pid == HIDEPID_NOT_PTRACEABLE)
		return ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS);
	if (fs_info->hide_pid < HIDEPID_INVISIBLE)
		return true;
	if (in_group_p(fs_info->pid_gid))
		return true;
	return ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS);
}

/* The init PID the reader may see: what a listing of this /proc shows. */
static pid_t container_visible_init(struct container *c, struct seq_file *m)
{
	struct proc_fs_info *fs_info = proc_sb_info(file_inode(m->file)->i_sb);
	struct task_struct *task;
	struct pid *init_pid;
	pid_t nr = 0;

	/* pid_nr_ns() of NULL is 0. */
	read_lock(&tasklist_lock);
	init_pid = get_pid(c->init_pid);
	read_unlock(&tasklist_lock);
	if (fs_info->hide_pid == HIDEPID_OFF) {
		nr = pid_nr_ns(init_pid, fs_info->pid_ns);
	} else {
		/* Hidden unless its /proc/PID would be listed; gone: hidden. */
		task = get_pid_task(init_pid, PIDTYPE_PID);
		if (task && container_pid_listed(fs_info, task))
			nr = pid_nr_ns(init_pid, fs_info->pid_ns);
		if (task)
			put_task_struct(task);
	}
	put_pid(init_pid);
	return nr;
}

static void *containers_find(struct containers_iter *it, loff_t *pos)
{
	unsigned long id;

	if (it->cur) {
		if (it->cur != it->viewer)
			container_put(it->cur);
		it->cur = NULL;
	}
	if (*pos == 0)
		return SEQ_START_TOKEN;
	if (*pos == CONTAINERS_POS_SELF) {
		if (it->viewer != &init_container)
			return it->cur = it->viewer;
		*pos = CONTAINERS_POS_SELF + 1;
	}
	id = *pos - CONTAINERS_POS_SELF;
	it->cur = container_get_live(&it->viewer->descendants, &id);
	if (!it->cur)
		return NULL;
	*pos = id + CONTAINERS_POS_SELF;
	return it->cur;
}

static void *containers_start(struct seq_file *m, loff_t *pos)
{
	return containers_find(m->private, pos);
}

static void *containers_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return containers_find(m->private, pos);
}

static void containers_stop(struct seq_file *m, void *v)
{
	struct containers_iter *it = m->private;

	if (it->cur && it->cur != it->viewer)
		container_put(it->cur);
	it->cur = NULL;
}

static int containers_show(struct seq_file *m, void *v)
{
	struct containers_iter *it = m->private;
	struct container *c = v;
	u64 parent;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "ID PARENT STATE INIT MEMBERS FLAGS NAME\n");
		return 0;
	}
	parent = container_id_in(c->parent, it->viewer);
	seq_printf(m, "%llu ", container_id_in(c, it->viewer));
	if (parent == CONTAINER_ID_NONE)
		seq_puts(m, "- ");
	else
		seq_printf(m, "%llu ", parent);
	seq_printf(m, "%s %d %u %#llx %s\n",
		   container_state_names[container_is_dead(c) ?
					 CONTAINER_STATE_DEAD : READ_ONCE(c->state)],
		   container_visible_init(c, m), READ_ONCE(c->nr_procs),
		   c->flags, c->name[0] ? c->name : "-");
	return 0;
}

static const struct seq_operations containers_seq_ops = {
	.start	= containers_start,
	.next	= containers_next,
	.stop	= containers_stop,
	.show	= containers_show,
};

/* The reader's container is fixed at open, as a PID namespace would be. */
static int containers_open(struct inode *inode, struct file *file)
{
	struct containers_iter *it;

	it = __seq_open_private(file, &containers_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->viewer = container_get(current_container());
	return 0;
}

static int containers_release(struct inode *inode, struct file *file)
{
	struct containers_iter *it = ((struct seq_file *)file->private_data)->private;

	container_put(it->viewer);
	return seq_release_private(inode, file);
}

static const struct proc_ops containers_proc_ops = {
	.proc_open	= containers_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= containers_release,
};

static int __init containers_proc_init(void)
{
	if (!proc_create("containers", 0444, NULL, &containers_proc_ops))
		return -ENOMEM;
	return 0;
}
fs_initcall(containers_proc_init);
