/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * container-fd checkpoint / restore: what the two commands and the
 * metadata file they share have in common.
 */
#ifndef CONTAINER_FD_CHECKPOINT_H
#define CONTAINER_FD_CHECKPOINT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <containerfd.h>

/*
 * The metadata file written beside CRIU's images: JSON, mode 0600,
 * "format" and "version" first, a CRC-32 of the rest (see cr_meta.c).
 */
#define CR_META_FILE	"containerfd.json"
#define CR_META_FORMAT	"containerfd-checkpoint"
#define CR_META_VERSION	1
#define CR_DUMP_LOG	"dump.log"
#define CR_RESTORE_LOG	"restore.log"

struct cr_image {
	char *file;
	uint64_t size;
	uint32_t crc32;
};

/* A key granted to the container (cr_keys.c). */
struct cr_key {
	char *type;
	char *description;
	uint32_t perm;			/* KEY_POS_* ... KEY_OTH_* */
	bool saved;			/* its payload is here, or only its name */
	unsigned char *payload;
	size_t len;
};

struct cr_meta {
	uint64_t id;			/* in the dumper's ID space */
	uint64_t flags;			/* CONTAINER_* it was created with */
	char name[CONTAINER_NAME_MAX];
	pid_t init_pid;			/* where it was dumped, for the record */
	uint32_t nr_members;
	struct cr_image *images;	/* every *.img file CRIU wrote */
	size_t nr_images;
	struct cr_key *keys;		/* the container keyring's keys */
	size_t nr_keys;
};

/* Each returns 0, or -1 after printing one line that says what is wrong. */
int cr_meta_scan_images(int dirfd, const char *dir, struct cr_meta *m);
int cr_meta_write(int dirfd, const char *dir, const struct cr_meta *m);
int cr_meta_read(int dirfd, const char *dir, struct cr_meta *m);
int cr_meta_check_images(int dirfd, const char *dir, const struct cr_meta *m);
void cr_meta_free(struct cr_meta *m);

/*
 * The keys of the container of @cfd into @m (payloads where we may read
 * them), and those of @m granted to the container of @cfd: 0, or -1 after
 * printing why.  Keys not saved are named on stderr by both.
 */
int cr_keys_save(int cfd, struct cr_meta *m);
/* Does KEYCTL_READ of a key of @type give what add_key() takes? */
bool cr_key_type_restorable(const char *type);
int cr_keys_grant(int cfd, const struct cr_meta *m);

/*
 * Where CRIU finds our plugin (tools/criu): $CRIU_LIBS_DIR if set, else
 * where the build or the install put it.
 */
#ifndef CFD_CRIU_PLUGIN_DIR
#define CFD_CRIU_PLUGIN_DIR "/usr/local/lib/containerfd/criu"
#endif
#define CR_PLUGIN_ENV_ID "CONTAINERFD_CHECKPOINT_ID"

/* The error lines of a CRIU log in @dirfd, one line, or NULL. */
char *cr_log_reason(int dirfd, const char *log);

#endif /* CONTAINER_FD_CHECKPOINT_H */
