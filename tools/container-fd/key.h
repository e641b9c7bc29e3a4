/* SPDX-License-Identifier: GPL-2.0-or-later */
/* container-fd key: the container keyring and upcalls (key.c). */
#ifndef CONTAINER_FD_KEY_H
#define CONTAINER_FD_KEY_H

#include <stdint.h>

/* The key command: container-fd key <subcommand> ... */
int cmd_key(int argc, char **argv);
/* A key given on the command line, as a serial; exits on bad input. */
int32_t key_parse(const char *spec);
/* Grant the key @spec names to the container of @cfd; exits on failure. */
void key_grant(int cfd, const char *spec);

#endif /* CONTAINER_FD_KEY_H */
