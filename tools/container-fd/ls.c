// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container-fd ls: the containers the caller may see (its own, if it is in
 * one, and every descendant), as a table (libsmartcols, as lsns(8)), a
 * tree of nesting, or JSON with real types (json-c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <libsmartcols/libsmartcols.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
	"Usage:\n"
	" " PROG " ls [--json] [--tree] [--output <columns>]\n"
	"\nList containers (IDs as the caller's container numbers them).\n"
	"\nOptions:\n"
	" -J, --json             JSON output\n"
	" -T, --tree             show nesting: each container under its parent\n"
	" -o, --output <list>    columns: ID,PARENT,STATE,INIT,MEMBERS,FLAGS,NAME\n"
	" -h, --help             display this help\n";

enum { COL_ID, COL_PARENT, COL_STATE, COL_INIT, COL_MEMBERS, COL_FLAGS, COL_NAME };
static const struct {
	const char *name;
	const char *json;	/* its key in JSON output */
	double whint;
	int flags;
} columns[] = {
	[COL_ID]	= { "ID", "id", 5, SCOLS_FL_RIGHT },
	[COL_PARENT]	= { "PARENT", "parent", 5, SCOLS_FL_RIGHT },
	[COL_STATE]	= { "STATE", "state", 7, 0 },
	[COL_INIT]	= { "INIT", "init_pid", 5, SCOLS_FL_RIGHT },
	[COL_MEMBERS]	= { "MEMBERS", "members", 5, SCOLS_FL_RIGHT },
	[COL_FLAGS]	= { "FLAGS", "flags", 5, 0 },
	[COL_NAME]	= { "NAME", "name", 10, 0 },
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

struct list {
	struct cfd_entry *v;
	size_t n;
	void **line;	/* per entry: its table line, or its JSON object */
	bool *done;
};

static void column_data(const struct cfd_entry *e, int col, char *buf, size_t len)
{
	switch (col) {
	case COL_ID:
		snprintf(buf, len, "%llu", (unsigned long long)e->id);
		break;
	case COL_PARENT:
		if (e->parent_id == CONTAINER_ID_NONE)
			snprintf(buf, len, "-");
		else
			snprintf(buf, len, "%llu", (unsigned long long)e->parent_id);
		break;
	case COL_STATE:
		snprintf(buf, len, "%s", cfd_state_name(e->state));
		break;
	case COL_INIT:
		snprintf(buf, len, "%d", e->init_pid);
		break;
	case COL_MEMBERS:
		snprintf(buf, len, "%u", e->nr_members);
		break;
	case COL_FLAGS:
		flags_string(e->flags, buf, len);
		break;
	case COL_NAME:
		snprintf(buf, len, "%s", e->name);
		break;
	}
}

static struct json_object *column_json(const struct cfd_entry *e, int col)
{
	switch (col) {
	case COL_ID:
		return json_object_new_uint64(e->id);
	case COL_PARENT:
		return e->parent_id == CONTAINER_ID_NONE ? NULL :
		       json_object_new_uint64(e->parent_id);
	case COL_STATE:
		return json_object_new_string(cfd_state_name(e->state));
	case COL_INIT:
		return e->init_pid > 0 ? json_object_new_int(e->init_pid) : NULL;
	case COL_MEMBERS:
		return json_object_new_int64(e->nr_members);
	case COL_FLAGS:
		return json_flags(e->flags);
	case COL_NAME:
		return e->name[0] ? json_object_new_string(e->name) : NULL;
	}
	return NULL;
}

static int parse_columns(const char *list, int *cols)
{
	char *copy = xstrdup(list), *tok, *save = NULL;
	int n = 0;
	size_t i;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NCOLUMNS; i++)
			if (!strcasecmp(tok, columns[i].name))
				break;
		if (i == NCOLUMNS)
			usage_error("unknown column '%s'", tok);
		if (n == (int)NCOLUMNS)
			usage_error("too many columns");
		cols[n++] = i;
	}
	free(copy);
	if (!n)
		usage_error("no columns given");
	return n;
}

/* The index of @e's parent in the list, or -1 (a top of the tree). */
static long parent_of(const struct list *l, size_t k)
{
	size_t i;

	if (l->v[k].parent_id == CONTAINER_ID_NONE || l->v[k].id == CONTAINER_ID_SELF)
		return -1;
	for (i = 0; i < l->n; i++)
		if (i != k && l->v[i].id == l->v[k].parent_id)
			return i;
	return -1;
}

/* Table lines, parents before children: libsmartcols needs the parent line. */
static void add_table_line(struct libscols_table *tb, struct list *l, size_t k,
			   bool tree, const int *cols, int ncols)
{
	struct libscols_line *parent = NULL, *ln;
	char buf[128];
	long p = tree ? parent_of(l, k) : -1;
	int i;

	if (l->done[k])
		return;
	l->done[k] = true;	/* before the recursion: IDs cannot loop, but be sure */
	if (p >= 0) {
		add_table_line(tb, l, p, tree, cols, ncols);
		parent = l->line[p];
	}
	ln = scols_table_new_line(tb, parent);
	if (!ln)
		die(ENOMEM, "libsmartcols");
	l->line[k] = ln;
	for (i = 0; i < ncols; i++) {
		column_data(&l->v[k], cols[i], buf, sizeof(buf));
		scols_line_set_data(ln, i, buf);
	}
}

static void print_table(struct list *l, bool tree, const int *cols, int ncols)
{
	struct libscols_table *tb = scols_new_table();
	size_t k;
	int i;

	if (!tb)
		die(ENOMEM, "libsmartcols");
	for (i = 0; i < ncols; i++) {
		int flags = columns[cols[i]].flags;

		/* The tree hangs off the first column. */
		if (tree && i == 0)
			flags = SCOLS_FL_TREE;
		if (!scols_table_new_column(tb, columns[cols[i]].name,
					    columns[cols[i]].whint, flags))
			die(ENOMEM, "libsmartcols");
	}
	for (k = 0; k < l->n; k++)
		add_table_line(tb, l, k, tree, cols, ncols);
	scols_print_table(tb);
	scols_unref_table(tb);
}

static struct json_object *json_entry(struct list *l, size_t k, bool tree,
				      const int *cols, int ncols)
{
	struct json_object *o = json_object_new_object();
	size_t i;
	int c;

	for (c = 0; c < ncols; c++)
		json_object_object_add(o, columns[cols[c]].json,
				       column_json(&l->v[k], cols[c]));
	if (tree) {
		struct json_object *children = json_object_new_array();

		for (i = 0; i < l->n; i++)
			if (parent_of(l, i) == (long)k)
				json_object_array_add(children, json_entry(l, i, tree, cols, ncols));
		json_object_object_add(o, "children", children);
	}
	return o;
}

static void print_json_list(struct list *l, bool tree, const int *cols, int ncols)
{
	struct json_object *root = json_object_new_object(), *a = json_object_new_array();
	size_t k;

	for (k = 0; k < l->n; k++)
		if (!tree || parent_of(l, k) < 0)
			json_object_array_add(a, json_entry(l, k, tree, cols, ncols));
	json_object_object_add(root, "containers", a);
	print_json(root, true);
}

int cmd_ls(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "tree", no_argument, NULL, 'T' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int cols[NCOLUMNS], ncols = NCOLUMNS, c, i, err;
	bool json = false, tree = false;
	struct list l = {};
	struct cfd_iter *it;
	struct cfd_entry e;

	for (i = 0; i < (int)NCOLUMNS; i++)
		cols[i] = i;
	while ((c = getopt_long(argc, argv, "+JTo:h", opts, NULL)) != -1) {
		switch (c) {
		case 'J':
			json = true;
			break;
		case 'T':
			tree = true;
			break;
		case 'o':
			ncols = parse_columns(optarg, cols);
			break;
		case 'h':
			print_usage(usage_text);
		default:
			errtryhelp();
		}
	}
	if (optind < argc)
		usage_error("ls: unexpected argument '%s'", argv[optind]);
	check_kernel();
	err = cfd_iter_open(&it);
	if (err)
		die(-err, "cannot read /proc/containers");
	while ((err = cfd_iter_next(it, &e, sizeof(e))) == 1) {
		l.v = xrealloc(l.v, (l.n + 1) * sizeof(*l.v));
		l.v[l.n++] = e;
	}
	cfd_iter_close(it);
	if (err < 0)
		die(-err, "cannot read /proc/containers");
	l.line = xcalloc(l.n, sizeof(*l.line));
	l.done = xcalloc(l.n, sizeof(*l.done));
	if (json)
		print_json_list(&l, tree, cols, ncols);
	else
		print_table(&l, tree, cols, ncols);
	free(l.v);
	free(l.line);
	free(l.done);
	return 0;
}
