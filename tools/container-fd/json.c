// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * JSON output through json-c, with real types: numbers as numbers, null
 * for what is absent (no parent visible, no init, no name), lists as
 * arrays.
 */
#include <json-c/json.h>
#include <stdio.h>

#include "cli.h"

void print_json(struct json_object *o, bool pretty)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
		    (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			      JSON_C_TO_STRING_PLAIN);

	/* Write errors are caught at exit (util.c). */
	fputs(json_object_to_json_string_ext(o, flags), stdout);
	fputc('\n', stdout);
	json_object_put(o);
}

struct json_object *json_flags(uint64_t flags)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < nr_ns_names; i++)
		if (flags & ns_names[i].flag)
			json_object_array_add(a, json_object_new_string(ns_names[i].name));
	if (flags & CONTAINER_NEW_EMPTY_FS_NS)
		json_object_array_add(a, json_object_new_string("mnt(empty)"));
	if (flags & CONTAINER_KILL_ON_CLOSE)
		json_object_array_add(a, json_object_new_string("kill-on-close"));
	return a;
}

static struct json_object *id_or_null(uint64_t id)
{
	return id == CONTAINER_ID_NONE ? NULL : json_object_new_uint64(id);
}

struct json_object *json_container_info(const struct container_info *info)
{
	static const struct { const char *name; size_t off; } ns[] = {
		{ "mnt", offsetof(struct container_info, mnt_ns_ino) },
		{ "uts", offsetof(struct container_info, uts_ns_ino) },
		{ "ipc", offsetof(struct container_info, ipc_ns_ino) },
		{ "user", offsetof(struct container_info, user_ns_ino) },
		{ "pid", offsetof(struct container_info, pid_ns_ino) },
		{ "net", offsetof(struct container_info, net_ns_ino) },
		{ "cgroup", offsetof(struct container_info, cgroup_ns_ino) },
		{ "time", offsetof(struct container_info, time_ns_ino) },
	};
	struct json_object *o = json_object_new_object(), *n;
	bool dead = info->state == CONTAINER_STATE_DEAD;
	size_t i;

	json_object_object_add(o, "id", id_or_null(info->id));
	json_object_object_add(o, "parent", id_or_null(info->parent_id));
	json_object_object_add(o, "name", info->name[0] ?
			       json_object_new_string(info->name) : NULL);
	json_object_object_add(o, "state", json_object_new_string(cfd_state_name(info->state)));
	json_object_object_add(o, "init_pid", info->init_pid > 0 ?
			       json_object_new_int(info->init_pid) : NULL);
	json_object_object_add(o, "members", json_object_new_int64(info->nr_members));
	json_object_object_add(o, "flags", json_flags(info->flags));
	json_object_object_add(o, "level", json_object_new_int64(info->level));
	json_object_object_add(o, "exit_code", dead ?
			       json_object_new_int(status_to_exit_code(info->exit_status)) : NULL);
	json_object_object_add(o, "wait_status", dead ?
			       json_object_new_int(info->exit_status) : NULL);
	n = json_object_new_object();
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		uint64_t ino = *(const uint64_t *)((const char *)info + ns[i].off);

		json_object_object_add(n, ns[i].name, ino ? json_object_new_uint64(ino) : NULL);
	}
	json_object_object_add(o, "namespaces", n);
	return o;
}
