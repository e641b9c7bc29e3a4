// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The keys granted to a container, across a checkpoint and a restore.
 *
 * CRIU knows nothing of the container keyring.  At checkpoint, just before
 * the dump, every key linked into it is described; a "user" or "big_key"
 * key whose payload we may read (KEYCTL_READ) is saved with its payload,
 * in the metadata file, which is why that file is mode 0600.  Any other
 * key (a logon, keyring, encrypted or trusted key, one we may not read) is
 * listed by type and description only, and both commands say it must be
 * granted again.  At restore the saved keys are made again, by us, and
 * granted to the new container before CRIU runs, with the permissions
 * they had; their owner is the restorer, and they no longer expire.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <keyutils.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <containerfd.h>

#include "checkpoint.h"
#include "cli.h"
#include "key.h"

/*
 * The types whose payload, as KEYCTL_READ gives it, add_key() takes back:
 * a keyring reads as serials, encrypted and trusted keys as blobs that
 * only a "load" command takes, and logon keys not at all.
 */
bool cr_key_type_restorable(const char *type)
{
	return !strcmp(type, "user") || !strcmp(type, "big_key");
}

/* @key's type, perm and description into @k. */
static int describe(int32_t key, struct cr_key *k)
{
	char *desc, *f[5];
	int err = key_describe(key, &desc, f);

	if (err)
		return err;
	k->type = strdup(f[0]);
	k->perm = strtoul(f[3], NULL, 16);
	k->description = strdup(f[4]);
	free(desc);
	return k->type && k->description ? 0 : -ENOMEM;
}

int cr_keys_save(int cfd, struct cr_meta *m)
{
	int32_t keyring = cfd_key_keyring(cfd), *keys;
	void *buf;
	int n, i, err;

	if (keyring == -EOPNOTSUPP)
		return 0;	/* a kernel without container keyrings */
	if (keyring < 0) {
		warn_msg(-keyring, "cannot find the container's keyring");
		return -1;
	}
	n = keyctl_read_alloc(keyring, &buf);
	if (n < 0) {
		warn_msg(errno, "cannot read the container's keyring %d", keyring);
		return -1;
	}
	keys = buf;
	n /= sizeof(int32_t);
	m->keys = calloc(n ?: 1, sizeof(*m->keys));
	if (!m->keys) {
		free(buf);
		warn_msg(ENOMEM, "keys");
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct cr_key *k = &m->keys[m->nr_keys];
		void *payload;
		int len;

		err = describe(keys[i], k);
		if (err == -ENOKEY || err == -EKEYREVOKED || err == -EKEYEXPIRED)
			continue;	/* gone since the keyring was read */
		if (err == -EACCES) {
			/* Its holder took our View permission away. */
			warn_msg(0, "key %d is not saved (we may not view it): grant it "
				 "again after a restore", keys[i]);
			continue;
		}
		m->nr_keys++;
		if (err) {
			warn_msg(-err, "cannot describe key %d of the container", keys[i]);
			free(buf);
			return -1;
		}
		if (!cr_key_type_restorable(k->type)) {
			warn_msg(0, "key %s:%s is not saved (a %s key cannot be made again "
				 "from what it reads): grant it again after a restore",
				 k->type, k->description, k->type);
			continue;
		}
		len = keyctl_read_alloc(keys[i], &payload);
		if (len < 0) {
			warn_msg(0, "key %s:%s is not saved (%s): grant it again after a restore",
				 k->type, k->description, strerror(errno));
			continue;
		}
		k->payload = payload;
		k->len = len;
		k->saved = true;
	}
	free(buf);
	return 0;
}

int cr_keys_grant(int cfd, const struct cr_meta *m)
{
	const struct cr_key *k;
	int32_t key;
	size_t i;
	int err;

	for (i = 0; i < m->nr_keys; i++) {
		k = &m->keys[i];
		if (!k->saved) {
			warn_msg(0, "key %s:%s was not saved: grant it again "
				 "(container-fd key link)", k->type, k->description);
			continue;
		}
		/* Ours until the container's keyring holds it. */
		key = add_key(k->type, k->description, k->payload, k->len,
			      KEY_SPEC_PROCESS_KEYRING);
		if (key < 0) {
			warn_msg(errno, "cannot make key %s:%s again", k->type, k->description);
			return -1;
		}
		err = cfd_key_link(cfd, key);
		if (err) {
			warn_msg(-err, "cannot grant key %s:%s", k->type, k->description);
		} else if (keyctl_setperm(key, k->perm) < 0) {
			/* Now, while we possess it: they may not let us later. */
			err = -errno;
			warn_msg(errno, "cannot give key %s:%s its permissions back",
				 k->type, k->description);
		}
		keyctl_unlink(key, KEY_SPEC_PROCESS_KEYRING);
		if (err)
			return -1;
	}
	return 0;
}
