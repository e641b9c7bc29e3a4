// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The metadata file of a container checkpoint, beside CRIU's images.
 *
 *   {
 *     "format": "containerfd-checkpoint",
 *     "version": 1,
 *     "container": { "id": 7, "name": "web", "flags": 88,
 *                    "init_pid": 412, "members": 2 },
 *     "images": [ { "file": "core-1.img", "size": 1234, "crc32": 42 }, ... ],
 *     "keys": [ { "type": "user", "description": "afs:token", "perm": 1061093376,
 *                 "payload": "74306b656e" },
 *               { "type": "logon", "description": "cifs:a:x", "perm": 1057030144 } ],
 *     "crc32": 3735928559
 *   }
 *
 * "crc32" is the CRC-32 (zlib) of the document without it, as json-c
 * prints it plain: it catches a damaged or truncated file, not a forged
 * one (whoever may write the images may write this too).  Each image's
 * size and CRC-32 are checked before a restore creates anything, so a
 * damaged image set is refused before a container exists.  A key's
 * payload is in hex; a key without one was not readable and is named only
 * (cr_keys.c).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "checkpoint.h"
#include "cli.h"

static int fail(const char *dir, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(const char *dir, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", PROG, dir);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* CRC-32 and size of @file in @dirfd: 0, or -errno. */
static int file_crc(int dirfd, const char *file, uint64_t *size, uint32_t *crc)
{
	unsigned char buf[65536];
	uLong c = crc32(0L, Z_NULL, 0);
	uint64_t n = 0;
	ssize_t r;
	int fd;

	fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		c = crc32(c, buf, r);
		n += r;
	}
	close(fd);
	if (r < 0)
		return -EIO;
	*size = n;
	*crc = c;
	return 0;
}

static int is_image(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && !strcmp(name + n - 4, ".img");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct cr_image *)a)->file,
		      ((const struct cr_image *)b)->file);
}

int cr_meta_scan_images(int dirfd, const char *dir, struct cr_meta *m)
{
	struct dirent *de;
	DIR *d;
	int fd, err;

	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd)))
		return fail(dir, "cannot list: %s", strerror(errno));
	while ((de = readdir(d))) {
		struct cr_image *im;

		if (!is_image(de->d_name))
			continue;
		im = realloc(m->images, (m->nr_images + 1) * sizeof(*im));
		if (!im) {
			closedir(d);
			return fail(dir, "out of memory");
		}
		m->images = im;
		im = &m->images[m->nr_images];
		im->file = strdup(de->d_name);
		if (!im->file) {
			closedir(d);
			return fail(dir, "out of memory");
		}
		m->nr_images++;
		err = file_crc(dirfd, im->file, &im->size, &im->crc32);
		if (err) {
			closedir(d);
			return fail(dir, "cannot read %s: %s", im->file, strerror(-err));
		}
	}
	closedir(d);
	if (m->images)
		qsort(m->images, m->nr_images, sizeof(*m->images), by_name);
	return 0;
}

static struct json_object *get(struct json_object *o, const char *key,
			       enum json_type type)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

/* The keys, payloads in hex. */
static struct json_object *keys_to_json(const struct cr_meta *m)
{
	struct json_object *keys = json_object_new_array();
	size_t i, j;

	for (i = 0; i < m->nr_keys; i++) {
		const struct cr_key *k = &m->keys[i];
		struct json_object *o = json_object_new_object();
		char *hex;

		json_object_object_add(o, "type", json_object_new_string(k->type));
		json_object_object_add(o, "description", json_object_new_string(k->description));
		json_object_object_add(o, "perm", json_object_new_int64(k->perm));
		if (k->saved) {
			hex = xmalloc(2 * k->len + 1);
			for (j = 0; j < k->len; j++)
				sprintf(hex + 2 * j, "%02x", k->payload[j]);
			hex[2 * k->len] = '\0';
			json_object_object_add(o, "payload", json_object_new_string(hex));
			free(hex);
		}
		json_object_array_add(keys, o);
	}
	return keys;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The keys back from @keys: 0, or -1 when a field is wrong. */
static int keys_from_json(struct json_object *keys, struct cr_meta *m)
{
	size_t i, j, n = json_object_array_length(keys);

	m->keys = calloc(n ?: 1, sizeof(*m->keys));
	if (!m->keys)
		return -1;
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(keys, i), *t, *d, *p, *h;
		struct cr_key *k = &m->keys[m->nr_keys++];
		const char *hex;
		int hexlen;

		if (!(t = get(o, "type", json_type_string)) ||
		    !(d = get(o, "description", json_type_string)) ||
		    !(p = get(o, "perm", json_type_int)))
			return -1;
		k->type = strdup(json_object_get_string(t));
		k->description = strdup(json_object_get_string(d));
		k->perm = json_object_get_int64(p);
		if (!k->type || !k->description)
			return -1;
		h = get(o, "payload", json_type_string);
		if (!h)
			continue;
		/* Only what cr_keys_save() saves comes back. */
		if (!cr_key_type_restorable(k->type))
			return -1;
		hex = json_object_get_string(h);
		hexlen = json_object_get_string_len(h);
		k->len = hexlen / 2;
		if (hexlen % 2 || !(k->payload = malloc(k->len ?: 1)))
			return -1;
		for (j = 0; j < k->len; j++) {
			int hi = hex_digit(hex[2 * j]), lo = hex_digit(hex[2 * j + 1]);

			if (hi < 0 || lo < 0)
				return -1;
			k->payload[j] = hi << 4 | lo;
		}
		k->saved = true;
	}
	return 0;
}

/* The document without its checksum, as it is checksummed. */
static struct json_object *meta_to_json(const struct cr_meta *m)
{
	struct json_object *o = json_object_new_object();
	struct json_object *c = json_object_new_object();
	struct json_object *imgs = json_object_new_array();
	size_t i;

	json_object_object_add(o, "format", json_object_new_string(CR_META_FORMAT));
	json_object_object_add(o, "version", json_object_new_int(CR_META_VERSION));
	json_object_object_add(c, "id", json_object_new_int64(m->id));
	json_object_object_add(c, "name", json_object_new_string(m->name));
	json_object_object_add(c, "flags", json_object_new_int64(m->flags));
	json_object_object_add(c, "init_pid", json_object_new_int(m->init_pid));
	json_object_object_add(c, "members", json_object_new_int64(m->nr_members));
	json_object_object_add(o, "container", c);
	for (i = 0; i < m->nr_images; i++) {
		struct json_object *im = json_object_new_object();

		json_object_object_add(im, "file", json_object_new_string(m->images[i].file));
		json_object_object_add(im, "size", json_object_new_int64(m->images[i].size));
		json_object_object_add(im, "crc32", json_object_new_int64(m->images[i].crc32));
		json_object_array_add(imgs, im);
	}
	json_object_object_add(o, "images", imgs);
	if (m->nr_keys)
		json_object_object_add(o, "keys", keys_to_json(m));
	return o;
}

static uint32_t json_crc(struct json_object *o)
{
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);

	return crc32(crc32(0L, Z_NULL, 0), (const Bytef *)s, strlen(s));
}

int cr_meta_write(int dirfd, const char *dir, const struct cr_meta *m)
{
	static const char tmp[] = CR_META_FILE ".tmp";
	struct json_object *o = meta_to_json(m);
	const char *text;
	size_t len;
	int fd, ok;

	json_object_object_add(o, "crc32", json_object_new_int64(json_crc(o)));
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	len = strlen(text);
	/*
	 * 0600: it holds the payloads of keys granted to the container.  Made
	 * new, never through what another user may have put there.
	 */
	unlinkat(dirfd, tmp, 0);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		json_object_put(o);
		return fail(dir, "cannot write %s: %s", tmp, strerror(errno));
	}
	ok = write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1 &&
	     fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	json_object_put(o);
	if (!ok || renameat(dirfd, tmp, dirfd, CR_META_FILE)) {
		unlinkat(dirfd, tmp, 0);
		return fail(dir, "cannot write %s: %s", CR_META_FILE, strerror(errno ?: EIO));
	}
	return 0;
}

int cr_meta_read(int dirfd, const char *dir, struct cr_meta *m)
{
	struct json_object *o, *v, *c, *imgs;
	int64_t crc;
	size_t i;
	int fd;

	memset(m, 0, sizeof(*m));
	fd = openat(dirfd, CR_META_FILE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(dir, "no checkpoint here (%s: %s)", CR_META_FILE,
			    strerror(errno));
	o = json_object_from_fd(fd);
	close(fd);
	if (!o) {
		char why[128];

		/* json-c's reason ends its line: ours goes on. */
		snprintf(why, sizeof(why), "%s", json_util_get_last_err() ?: "?");
		why[strcspn(why, "\n")] = '\0';
		return fail(dir, "%s is damaged: not JSON (%s)", CR_META_FILE, why);
	}
	v = get(o, "format", json_type_string);
	if (!v || strcmp(json_object_get_string(v), CR_META_FORMAT))
		goto bad_format;
	v = get(o, "version", json_type_int);
	if (!v)
		goto bad_format;
	if (json_object_get_int(v) != CR_META_VERSION) {
		fail(dir, "%s is format version %d; this container-fd reads version %d",
		     CR_META_FILE, json_object_get_int(v), CR_META_VERSION);
		goto out;
	}
	v = get(o, "crc32", json_type_int);
	if (!v)
		goto damaged;
	crc = json_object_get_int64(v);
	json_object_object_del(o, "crc32");
	if (crc != json_crc(o))
		goto damaged;

	c = get(o, "container", json_type_object);
	imgs = get(o, "images", json_type_array);
	if (!c || !imgs || !(v = get(c, "id", json_type_int)))
		goto damaged;
	m->id = json_object_get_int64(v);
	if (!(v = get(c, "flags", json_type_int)))
		goto damaged;
	m->flags = json_object_get_int64(v);
	if (!(v = get(c, "name", json_type_string)) ||
	    strlen(json_object_get_string(v)) >= sizeof(m->name))
		goto damaged;
	strcpy(m->name, json_object_get_string(v));
	if ((v = get(c, "init_pid", json_type_int)))
		m->init_pid = json_object_get_int(v);
	if ((v = get(c, "members", json_type_int)))
		m->nr_members = json_object_get_int64(v);
	m->nr_images = json_object_array_length(imgs);
	m->images = calloc(m->nr_images ?: 1, sizeof(*m->images));
	if (!m->images) {
		fail(dir, "out of memory");
		goto out;
	}
	for (i = 0; i < m->nr_images; i++) {
		struct json_object *im = json_object_array_get_idx(imgs, i), *f, *s, *k;

		if (!(f = get(im, "file", json_type_string)) ||
		    !(s = get(im, "size", json_type_int)) ||
		    !(k = get(im, "crc32", json_type_int)))
			goto damaged;
		m->images[i].file = strdup(json_object_get_string(f));
		m->images[i].size = json_object_get_int64(s);
		m->images[i].crc32 = json_object_get_int64(k);
		if (!m->images[i].file || strchr(m->images[i].file, '/'))
			goto damaged;
	}
	if ((v = get(o, "keys", json_type_array)) && keys_from_json(v, m))
		goto damaged;
	json_object_put(o);
	return 0;

bad_format:
	fail(dir, "%s is not a container-fd checkpoint", CR_META_FILE);
	goto out;
damaged:
	fail(dir, "%s is damaged (its checksum or a field is wrong)", CR_META_FILE);
out:
	json_object_put(o);
	cr_meta_free(m);
	return -1;
}

int cr_meta_check_images(int dirfd, const char *dir, const struct cr_meta *m)
{
	struct cr_meta now = {};
	size_t i;
	int ret = -1;

	if (cr_meta_scan_images(dirfd, dir, &now))
		goto out;
	for (i = 0; i < m->nr_images; i++) {
		const struct cr_image *want = &m->images[i];
		struct cr_image key = { .file = want->file }, *have;

		have = now.nr_images ? bsearch(&key, now.images, now.nr_images,
					       sizeof(key), by_name) : NULL;
		if (!have) {
			fail(dir, "image %s is missing", want->file);
			goto out;
		}
		if (have->size != want->size || have->crc32 != want->crc32) {
			fail(dir, "image %s is damaged (size or checksum differs from %s)",
			     want->file, CR_META_FILE);
			goto out;
		}
	}
	if (now.nr_images != m->nr_images) {
		fail(dir, "%zu image files here, %s lists %zu", now.nr_images,
		     CR_META_FILE, m->nr_images);
		goto out;
	}
	ret = 0;
out:
	cr_meta_free(&now);
	return ret;
}

void cr_meta_free(struct cr_meta *m)
{
	size_t i;

	for (i = 0; i < m->nr_images; i++)
		free(m->images[i].file);
	free(m->images);
	m->images = NULL;
	m->nr_images = 0;
	for (i = 0; m->keys && i < m->nr_keys; i++) {
		free(m->keys[i].type);
		free(m->keys[i].description);
		free(m->keys[i].payload);
	}
	free(m->keys);
	m->keys = NULL;
	m->nr_keys = 0;
}

char *cr_log_reason(int dirfd, const char *log)
{
	char *line = NULL, *reason = NULL;
	size_t cap = 0;
	FILE *f;
	int fd;

	fd = openat(dirfd, log, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !(f = fdopen(fd, "r"))) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	/* CRIU marks its errors "Error (file:line): text": keep the first. */
	while (getline(&line, &cap, f) > 0) {
		char *e = strstr(line, "Error (");

		if (!e)
			continue;
		e = strstr(e, "): ");
		if (!e)
			continue;
		e[strcspn(e, "\n")] = 0;
		reason = strdup(e + 3);
		break;
	}
	free(line);
	fclose(f);
	return reason;
}
