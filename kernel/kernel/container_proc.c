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
 * the reader's PID namespace (0: none, or not visible there); NAME is "-"
 * when the container has none.
 */

#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>

#include "container_internal.h"

static const char *const container_state_names[] = {
	[CONTAINER_STATE_CREATED]	= "created",
	[CONTAINER_STATE_RUNNING]	= "running",
	[CONTAINER_STATE_DEAD]		= "dead",
};

static void container_show_line(struct seq_file *m, struct container *c,
				struct container *viewer,
				struct pid_namespace *pid_ns)
{
	u64 parent = container_id_in(c->parent, viewer);
	enum container_state state = READ_ONCE(c->state);
	struct pid *init_pid = READ_ONCE(c->init_pid);

	seq_printf(m, "%llu ", container_id_in(c, viewer));
	if (parent == CONTAINER_ID_NONE)
		seq_puts(m, "- ");
	else
		seq_printf(m, "%llu ", parent);
	seq_printf(m, "%s %d %u %#llx %s\n", container_state_names[state],
		   init_pid ? pid_nr_ns(init_pid, pid_ns) : 0,
		   READ_ONCE(c->nr_procs), c->flags, c->name[0] ? c->name : "-");
}

static int containers_show(struct seq_file *m, void *v)
{
	struct container *viewer = m->private;
	struct pid_namespace *pid_ns = proc_pid_ns(file_inode(m->file)->i_sb);
	struct container *c;
	unsigned long id;

	seq_puts(m, "ID PARENT STATE INIT MEMBERS FLAGS NAME\n");
	/* init_pid is set once, under tasklist_lock; RCU keeps it and @c. */
	rcu_read_lock();
	if (viewer != &init_container)
		container_show_line(m, viewer, viewer, pid_ns);
	xa_for_each(&viewer->descendants, id, c)
		container_show_line(m, c, viewer, pid_ns);
	rcu_read_unlock();
	return 0;
}

/* The reader's container is fixed at open, as a PID namespace would be. */
static int containers_open(struct inode *inode, struct file *file)
{
	struct container *viewer = container_get(current_container());
	int err;

	err = single_open(file, containers_show, viewer);
	if (err)
		container_put(viewer);
	return err;
}

static int containers_release(struct inode *inode, struct file *file)
{
	struct container *viewer = ((struct seq_file *)file->private_data)->private;

	container_put(viewer);
	return single_release(inode, file);
}

static const struct proc_ops containers_proc_ops = {
	.proc_open	= containers_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= containers_release,
};

static int __init containers_proc_init(void)
{
	proc_create("containers", 0444, NULL, &containers_proc_ops);
	return 0;
}
fs_initcall(containers_proc_init);
