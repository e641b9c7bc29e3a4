/* SPDX-License-Identifier: GPL-2.0-or-later */
/* container-fd key: the container keyring and upcalls (key.c). */
#ifndef CONTAINER_FD_KEY_H
#define CONTAINER_FD_KEY_H

#include <stdint.h>

/* The key command: container-fd key <subcommand> ... */
int cmd_key(int argc, char **argv);
/* A key given on the command line, as a serial; exits on bad input. */
int32_t key_parse(const char *spec);
/*
 * KEYCTL_DESCRIBE of @key, split: @f gets its type, uid, gid, perm (hex)
 * and description, pointing into *@buf, which the caller frees.  0, or
 * -errno (and nothing to free).
 */
int key_describe(int32_t key, char **buf, char *f[5]);
/* Grant the key @spec names to the container of @cfd; exits on failure. */
void key_grant(int cfd, const char *spec);

#endif /* CONTAINER_FD_KEY_H */
