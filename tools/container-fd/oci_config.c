// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A bundle's config.json (OCI runtime-spec 1.0), read with json-c.
 *
 * Every member of every object is looked at: one this runtime does not
 * implement is refused with its path in the message ("linux.seccomp:
 * not supported"), unless its value is empty (null, "", [], {}), which
 * asks for nothing.  A container that silently lacks what its config
 * asked for (a seccomp filter, a memory limit) is worse than none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oci.h"

static void __attribute__((noreturn, format(printf, 2, 3)))
refuse(const char *path, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	die(0, "config.json: %s: %s", path, msg);
}

static bool is_empty(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return true;
	case json_type_string:
		return json_object_get_string_len(v) == 0;
	case json_type_array:
		return json_object_array_length(v) == 0;
	case json_type_object:
		return json_object_object_length(v) == 0;
	default:
		return false;
	}
}

/* Refuse every non-empty member of @obj not in the NULL-ended @known. */
static void check_members(struct json_object *obj, const char *path,
			  const char *const known[])
{
	size_t i;

	if (!json_object_is_type(obj, json_type_object))
		refuse(path, "not an object");
	json_object_object_foreach(obj, key, val) {
		for (i = 0; known[i]; i++)
			if (!strcmp(key, known[i]))
				break;
		if (!known[i] && !is_empty(val))
			refuse(path, "member \"%s\" is not supported by %s", key, PROG);
	}
}

static struct json_object *member(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	return v;
}

static const char *get_string(struct json_object *obj, const char *key, const char *path)
{
	struct json_object *v = member(obj, key);

	if (!v)
		return NULL;
	if (!json_object_is_type(v, json_type_string))
		refuse(path, "\"%s\" is not a string", key);
	return json_object_get_string(v);
}

static bool get_bool(struct json_object *obj, const char *key, const char *path)
{
	struct json_object *v = member(obj, key);

	if (!v)
		return false;
	if (!json_object_is_type(v, json_type_boolean))
		refuse(path, "\"%s\" is not a boolean", key);
	return json_object_get_boolean(v);
}

static int64_t get_int(struct json_object *obj, const char *key, const char *path,
		       int64_t min, int64_t max, bool *present)
{
	struct json_object *v = member(obj, key);
	int64_t n;

	if (present)
		*present = !!v;
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_int))
		refuse(path, "\"%s\" is not an integer", key);
	errno = 0;
	n = json_object_get_int64(v);
	if (errno || n < min || n > max)
		refuse(path, "\"%s\" is out of range", key);
	return n;
}

static struct json_object *get_array(struct json_object *obj, const char *key,
				     const char *path)
{
	struct json_object *v = member(obj, key);

	if (v && !json_object_is_type(v, json_type_array))
		refuse(path, "\"%s\" is not an array", key);
	return v;
}

/* An array of strings into @out. */
static void get_strings(struct json_object *obj, const char *key,
			const char *path, struct strv *out)
{
	struct json_object *a = get_array(obj, key, path), *e;
	size_t i;

	for (i = 0; a && i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		if (!json_object_is_type(e, json_type_string))
			refuse(path, "%s[%zu] is not a string", key, i);
		strv_push(out, json_object_get_string(e));
	}
}

/* A path of the bundle's, made absolute. */
static char *bundle_path(const struct oci_spec *s, const char *p)
{
	return p[0] == '/' ? xstrdup(p) : xasprintf("%s/%s", s->bundle, p);
}

static void parse_user(struct json_object *u, struct oci_spec *s)
{
	static const char *const known[] = { "uid", "gid", "additionalGids", "umask", NULL };
	struct json_object *a;
	size_t i;

	check_members(u, "process.user", known);
	s->umask = get_int(u, "umask", "process.user", 0, 0777, &s->have_umask);
	s->uid = get_int(u, "uid", "process.user", 0, UINT32_MAX - 1, NULL);
	s->gid = get_int(u, "gid", "process.user", 0, UINT32_MAX - 1, NULL);
	a = get_array(u, "additionalGids", "process.user");
	s->ngroups = a ? json_object_array_length(a) : 0;
	s->groups = xcalloc(s->ngroups + 1, sizeof(gid_t));
	for (i = 0; i < s->ngroups; i++) {
		struct json_object *g = json_object_array_get_idx(a, i);

		if (!json_object_is_type(g, json_type_int) ||
		    json_object_get_int64(g) < 0 || json_object_get_int64(g) >= UINT32_MAX)
			refuse("process.user.additionalGids", "entry %zu is not a group ID", i);
		s->groups[i] = json_object_get_int64(g);
	}
}

static void parse_caps(struct json_object *c, struct oci_spec *s)
{
	static const char *const sets[] = { "bounding", "effective", "permitted",
					    "inheritable", "ambient", NULL };
	struct strv names = {};
	char path[64];
	size_t i, k;
	cap_value_t v;

	check_members(c, "process.capabilities", sets);
	s->have_caps = true;
	for (k = 0; sets[k]; k++) {
		snprintf(path, sizeof(path), "process.capabilities.%s", sets[k]);
		get_strings(c, sets[k], "process.capabilities", &names);
		for (i = 0; i < names.n; i++) {
			if (cap_from_name(names.v[i], &v) || v < 0 || v >= 64)
				refuse(path, "unknown capability \"%s\"", names.v[i]);
			s->caps[k] |= 1ULL << v;
		}
		strv_free(&names);
	}
}

static void parse_rlimits(struct json_object *a, struct oci_spec *s)
{
	static const struct { const char *name; int resource; } names[] = {
		{ "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE },
		{ "RLIMIT_CPU", RLIMIT_CPU }, { "RLIMIT_DATA", RLIMIT_DATA },
		{ "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_LOCKS", RLIMIT_LOCKS },
		{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
		{ "RLIMIT_NICE", RLIMIT_NICE }, { "RLIMIT_NOFILE", RLIMIT_NOFILE },
		{ "RLIMIT_NPROC", RLIMIT_NPROC }, { "RLIMIT_RSS", RLIMIT_RSS },
		{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },
		{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING }, { "RLIMIT_STACK", RLIMIT_STACK },
	};
	static const char *const known[] = { "type", "soft", "hard", NULL };
	size_t i, k, n = json_object_array_length(a);
	const char *type;

	s->rlimits = xcalloc(n + 1, sizeof(*s->rlimits));
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		check_members(e, "process.rlimits[]", known);
		type = get_string(e, "type", "process.rlimits[]");
		for (k = 0; type && k < sizeof(names) / sizeof(names[0]); k++)
			if (!strcmp(type, names[k].name))
				break;
		if (!type || k == sizeof(names) / sizeof(names[0]))
			refuse("process.rlimits", "unknown type \"%s\"", type ? type : "(none)");
		s->rlimits[i].resource = names[k].resource;
		s->rlimits[i].limit.rlim_cur = get_int(e, "soft", "process.rlimits[]", 0, INT64_MAX, NULL);
		s->rlimits[i].limit.rlim_max = get_int(e, "hard", "process.rlimits[]", 0, INT64_MAX, NULL);
	}
	s->nr_rlimits = n;
}

static void parse_process(struct json_object *p, struct oci_spec *s)
{
	static const char *const known[] = { "terminal", "consoleSize", "user", "args",
		"env", "cwd", "capabilities", "rlimits", "noNewPrivileges",
		"oomScoreAdj", NULL };
	struct json_object *v;
	bool have;

	if (!p)
		refuse("process", "missing");
	check_members(p, "process", known);
	s->terminal = get_bool(p, "terminal", "process");
	get_strings(p, "args", "process", &s->args);
	if (!s->args.n)
		refuse("process.args", "no command");
	get_strings(p, "env", "process", &s->env);
	s->cwd = xstrdup(get_string(p, "cwd", "process") ?: "/");
	if (s->cwd[0] != '/')
		refuse("process.cwd", "\"%s\" is not absolute", s->cwd);
	v = member(p, "user");
	if (v)
		parse_user(v, s);
	else
		s->groups = xcalloc(1, sizeof(gid_t));
	v = member(p, "capabilities");
	if (v)
		parse_caps(v, s);
	v = get_array(p, "rlimits", "process");
	if (v)
		parse_rlimits(v, s);
	s->no_new_privileges = get_bool(p, "noNewPrivileges", "process");
	s->oom_score_adj = get_int(p, "oomScoreAdj", "process", -1000, 1000, &have);
	s->have_oom_score_adj = have;
}

static void parse_root(struct json_object *r, struct oci_spec *s)
{
	static const char *const known[] = { "path", "readonly", NULL };
	const char *p;
	struct stat st;

	if (!r)
		refuse("root", "missing");
	check_members(r, "root", known);
	p = get_string(r, "path", "root");
	if (!p || !*p)
		refuse("root.path", "missing");
	s->root = bundle_path(s, p);
	if (stat(s->root, &st) || !S_ISDIR(st.st_mode))
		refuse("root.path", "%s is not a directory", s->root);
	s->root_readonly = get_bool(r, "readonly", "root");
}

/*
 * Mount options: mount(8)'s, which libmount sorts into mount attributes
 * and filesystem parameters.  Propagation is the container's own in an
 * empty mount namespace already; "bind" and "rbind" say what kind.
 */
static void parse_mount_options(struct json_object *m, struct oci_mount *om, size_t idx)
{
	static const char *const dropped[] = { "private", "rprivate", "slave", "rslave",
		"shared", "rshared", "unbindable", "runbindable", NULL };
	struct strv opts = {};
	char *out = xstrdup(""), *t;
	size_t i, k;

	get_strings(m, "options", "mounts[].options", &opts);
	for (i = 0; i < opts.n; i++) {
		if (!strcmp(opts.v[i], "bind") || !strcmp(opts.v[i], "rbind")) {
			om->bind = true;
			continue;
		}
		for (k = 0; dropped[k]; k++)
			if (!strcmp(opts.v[i], dropped[k]))
				break;
		if (dropped[k])
			continue;
		if (strchr(opts.v[i], ','))
			die(0, "config.json: mounts[%zu].options: \"%s\" holds a comma", idx, opts.v[i]);
		t = xasprintf("%s%s%s", out, *out ? "," : "", opts.v[i]);
		free(out);
		out = t;
	}
	strv_free(&opts);
	om->options = out;
}

static void parse_mounts(struct json_object *a, struct oci_spec *s)
{
	static const char *const known[] = { "destination", "type", "source", "options", NULL };
	static const char *const types[] = { "proc", "tmpfs", "sysfs", "mqueue",
					     "cgroup2", "devpts", "bind", NULL };
	size_t i, k, n = json_object_array_length(a);
	const char *type, *src, *dst;
	char path[48];

	s->mounts = xcalloc(n + 1, sizeof(*s->mounts));
	for (i = 0; i < n; i++) {
		struct json_object *m = json_object_array_get_idx(a, i);
		struct oci_mount *om = &s->mounts[i];

		snprintf(path, sizeof(path), "mounts[%zu]", i);
		check_members(m, path, known);
		dst = get_string(m, "destination", path);
		type = get_string(m, "type", path);
		src = get_string(m, "source", path);
		if (!dst || dst[0] != '/')
			refuse(path, "\"destination\" must be an absolute path");
		parse_mount_options(m, om, i);
		if (!type || !*type)
			type = om->bind ? "bind" : "";
		/* A v1 "cgroup" on a cgroup2 host is the unified hierarchy. */
		if (!strcmp(type, "cgroup"))
			type = "cgroup2";
		for (k = 0; types[k]; k++)
			if (!strcmp(type, types[k]))
				break;
		if (!types[k])
			refuse(path, "type \"%s\" is not supported (only proc, tmpfs, sysfs, "
			       "mqueue, cgroup, cgroup2, devpts and bind)", type);
		if (!strcmp(type, "bind"))
			om->bind = true;
		if (om->bind) {
			if (!src || !*src)
				refuse(path, "a bind mount needs a \"source\"");
			om->source = bundle_path(s, src);
		}
		if (!strcmp(type, "devpts") && strcmp(dst, "/dev/pts"))
			refuse(path, "devpts only on /dev/pts (its first process mounts it)");
		om->type = xstrdup(om->bind ? "bind" : type);
		om->destination = xstrdup(dst);
	}
	s->nr_mounts = n;
}

static void parse_namespaces(struct json_object *a, struct oci_spec *s)
{
	static const struct { const char *oci; uint64_t flag; } names[] = {
		{ "pid", CONTAINER_NEW_PID_NS }, { "network", CONTAINER_NEW_NET_NS },
		{ "mount", CONTAINER_NEW_EMPTY_FS_NS }, { "ipc", CONTAINER_NEW_IPC_NS },
		{ "uts", CONTAINER_NEW_UTS_NS }, { "user", CONTAINER_NEW_USER_NS },
		{ "cgroup", CONTAINER_NEW_CGROUP_NS }, { "time", CONTAINER_NEW_TIME_NS },
	};
	static const char *const known[] = { "type", "path", NULL };
	size_t i, k;
	const char *type;
	char path[48];

	for (i = 0; i < json_object_array_length(a); i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		snprintf(path, sizeof(path), "linux.namespaces[%zu]", i);
		check_members(e, path, known);
		type = get_string(e, "type", path);
		for (k = 0; type && k < sizeof(names) / sizeof(names[0]); k++)
			if (!strcmp(type, names[k].oci))
				break;
		if (!type || k == sizeof(names) / sizeof(names[0]))
			refuse(path, "unknown type \"%s\"", type ? type : "(none)");
		if (get_string(e, "path", path))
			refuse(path, "joining an existing %s namespace (\"path\") is not "
			       "supported yet", type);
		s->ns_flags |= names[k].flag;
	}
	/* The root is assembled from outside, in an empty mount namespace. */
	if (!(s->ns_flags & CONTAINER_NEW_EMPTY_FS_NS))
		refuse("linux.namespaces", "a \"mount\" namespace is required");
}

static char *parse_id_mappings(struct json_object *a, const char *path)
{
	static const char *const known[] = { "containerID", "hostID", "size", NULL };
	char *map = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < json_object_array_length(a); i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		check_members(e, path, known);
		t = xasprintf("%s%lld %lld %lld\n", map,
			      (long long)get_int(e, "containerID", path, 0, UINT32_MAX - 1, NULL),
			      (long long)get_int(e, "hostID", path, 0, UINT32_MAX - 1, NULL),
			      (long long)get_int(e, "size", path, 1, UINT32_MAX, NULL));
		free(map);
		map = t;
	}
	return map;
}

/*
 * Device rules need a device cgroup (BPF on cgroup v2).  Only "deny
 * everything" is taken, and made true without one: the root and every
 * bind mount are mounted nodev (so no device node of the image or of the
 * host opens), and the process may not make nodes (no CAP_MKNOD in its
 * bounding set).  It has the nodes the runtime made in the /dev tmpfs
 * (null, zero, full, random, urandom, tty, and its own ptys), which are
 * what runc and crun allow by default.
 */
static void parse_resources(struct json_object *r, struct oci_spec *s)
{
	static const char *const known[] = { "devices", NULL };
	static const char *const dev_known[] = { "allow", "access", "type", "major", "minor", NULL };
	struct json_object *d;
	size_t i;

	check_members(r, "linux.resources", known);
	d = get_array(r, "devices", "linux.resources");
	for (i = 0; d && i < json_object_array_length(d); i++) {
		struct json_object *e = json_object_array_get_idx(d, i);

		check_members(e, "linux.resources.devices[]", dev_known);
		if (get_bool(e, "allow", "linux.resources.devices[]"))
			refuse("linux.resources.devices", "allow rules need a device "
			       "cgroup, which %s does not manage", PROG);
	}
	if (d && json_object_array_length(d)) {
		if (!s->have_caps || (s->caps[CAPS_BOUNDING] & (1ULL << CAP_MKNOD)))
			refuse("linux.resources.devices", "denying devices without a device "
			       "cgroup needs CAP_MKNOD out of process.capabilities.bounding");
		s->deny_devices = true;
	}
}

static void parse_linux(struct json_object *l, struct oci_spec *s)
{
	static const char *const known[] = { "namespaces", "uidMappings", "gidMappings",
		"maskedPaths", "readonlyPaths", "resources", NULL };
	struct json_object *v;

	if (!l)
		refuse("linux", "missing");
	check_members(l, "linux", known);
	v = get_array(l, "namespaces", "linux");
	if (!v)
		refuse("linux.namespaces", "missing");
	parse_namespaces(v, s);
	v = get_array(l, "uidMappings", "linux");
	if (v)
		s->uid_map = parse_id_mappings(v, "linux.uidMappings");
	v = get_array(l, "gidMappings", "linux");
	if (v)
		s->gid_map = parse_id_mappings(v, "linux.gidMappings");
	if ((s->uid_map || s->gid_map) && !(s->ns_flags & CONTAINER_NEW_USER_NS))
		refuse("linux.uidMappings", "mappings without a \"user\" namespace");
	get_strings(l, "maskedPaths", "linux", &s->masked_paths);
	get_strings(l, "readonlyPaths", "linux", &s->readonly_paths);
	v = member(l, "resources");
	if (v)
		parse_resources(v, s);
}

void oci_load_config(const char *bundle, struct oci_spec *s)
{
	static const char *const known[] = { "ociVersion", "process", "root", "hostname",
		"mounts", "linux", "annotations", NULL };
	struct json_object *cfg, *v;
	char *path, real[PATH_MAX];
	const char *version;

	memset(s, 0, sizeof(*s));
	if (!realpath(bundle, real))
		die(errno, "bundle %s", bundle);
	s->bundle = xstrdup(real);
	path = xasprintf("%s/config.json", s->bundle);
	cfg = json_object_from_file(path);
	if (!cfg)
		die(0, "%s: %s", path, json_util_get_last_err() ?: "cannot read it");
	check_members(cfg, "(top level)", known);
	version = get_string(cfg, "ociVersion", "(top level)");
	if (!version || strncmp(version, "1.", 2))
		refuse("ociVersion", "\"%s\" is not a 1.x version", version ?: "");
	parse_root(member(cfg, "root"), s);
	/* Capabilities first: the device rules depend on them. */
	parse_process(member(cfg, "process"), s);
	s->hostname = get_string(cfg, "hostname", "(top level)") ?
		xstrdup(get_string(cfg, "hostname", "(top level)")) : NULL;
	parse_linux(member(cfg, "linux"), s);
	if (s->hostname && !(s->ns_flags & CONTAINER_NEW_UTS_NS))
		refuse("hostname", "needs a \"uts\" namespace");
	v = get_array(cfg, "mounts", "(top level)");
	if (v)
		parse_mounts(v, s);
	if (s->deny_devices) {
		size_t i;

		for (i = 0; i < s->nr_mounts; i++) {
			struct oci_mount *m = &s->mounts[i];
			char *o;

			if (!m->bind)
				continue;
			o = xasprintf("%s%snodev", m->options, *m->options ? "," : "");
			free(m->options);
			m->options = o;
		}
	}
	v = member(cfg, "annotations");
	if (v) {
		if (!json_object_is_type(v, json_type_object))
			refuse("annotations", "not an object");
		s->annotations = xstrdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	}
	json_object_put(cfg);
	free(path);
}

/* exec --process: a process object alone, as runc takes it. */
void oci_load_process(const char *file, struct oci_spec *s)
{
	struct json_object *p;

	memset(s, 0, sizeof(*s));
	p = json_object_from_file(file);
	if (!p)
		die(0, "%s: %s", file, json_util_get_last_err() ?: "cannot read it");
	parse_process(p, s);
	json_object_put(p);
}
