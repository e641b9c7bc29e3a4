/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libcontainerfd: kernel container objects from userspace.
 *
 * Every function returns a non-negative value on success and -errno on
 * failure; none sets errno.  See containerfd(7) and the man3 pages.
 */
#ifndef LIBCONTAINERFD_H
#define LIBCONTAINERFD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/container.h>
#include <linux/sched.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Raw wrappers: one syscall or ioctl each. */
int cfd_sys_container_create(const struct container_args *args, size_t size);
pid_t cfd_sys_clone3(struct clone_args *args, size_t size);
int cfd_get_info(int cfd, struct container_info *info);
int cfd_kill(int cfd, int sig);
int cfd_get_ns(int cfd, int nstype);
int cfd_pidfd_get_container(int pidfd);

/* Helpers a runtime needs. */
struct cfd_options {
	uint64_t flags;		/* CONTAINER_* */
	const char *name;	/* or NULL */
	uint64_t set_id;	/* 0: allocate */
};

int cfd_create(const struct cfd_options *opts);
pid_t cfd_fork(int cfd, int *pidfd);
/* Optional: code to run in the child, inside the container, before exec. */
struct cfd_spawn_attr {
	int (*setup)(void *arg);	/* 0, or -errno to fail the spawn */
	void *setup_arg;
	int failed_in_setup;		/* out: the error came from setup */
};

int cfd_spawn(int cfd, const char *file, char *const argv[],
	      char *const envp[], struct cfd_spawn_attr *attr, pid_t *pid);
int cfd_wait(int pidfd, int *status);
int cfd_open_pid(pid_t pid);
int cfd_open_id(uint64_t id);
int cfd_open_name(const char *name);
int cfd_probe(void);
const char *cfd_state_name(uint32_t state);

/* One line of /proc/containers. */
struct cfd_entry {
	uint64_t id;
	uint64_t parent_id;	/* CONTAINER_ID_NONE when not visible */
	uint32_t state;
	pid_t init_pid;
	uint32_t nr_members;
	uint64_t flags;
	char name[CONTAINER_NAME_MAX];
};

int cfd_list(struct cfd_entry **entries, size_t *count);
void cfd_list_free(struct cfd_entry *entries);

/*
 * A container's filesystem, built from outside (1.1).  @options are
 * mount(8) option strings ("ro,nosuid,size=64m"): per-mount flags become
 * mount attributes, the rest filesystem parameters.
 */
int cfd_fs_mount(int cfd, const char *fstype, const char *options);
int cfd_mount_at(int cfd, int mfd, const char *path);
int cfd_set_root(int cfd, int mfd);
int cfd_set_root_dir(int cfd, const char *dir);
int cfd_bind(int cfd, const char *src, const char *dst, const char *options);
int cfd_socket(int cfd, int family, int type, int protocol);

/*
 * The container keyring and request_key() upcalls (1.2).  Key serials are
 * libkeyutils' key_serial_t, an int32_t.
 */
int32_t cfd_key_keyring(int cfd);
int cfd_key_link(int cfd, int32_t key);
int cfd_key_unlink(int cfd, int32_t key);
int cfd_key_intercept(int cfd, const char *type, int32_t queue,
		      unsigned int timeout, unsigned int flags);
int cfd_key_probe(void);

/* A request a member of a container made, as its manager sees it. */
struct cfd_key_request {
	int32_t authkey;		/* its authorisation key */
	int32_t key;			/* the key to instantiate, negate or reject */
	uint64_t container_id;		/* the requester's container */
	pid_t pid;			/* the requester; 0 if not in our PID namespace */
	uid_t uid;			/* its fsuid and fsgid in our user namespace */
	gid_t gid;
	int32_t thread_keyring;		/* its keyrings, as /sbin/request-key is given them */
	int32_t process_keyring;
	int32_t session_keyring;
	uint32_t flags;			/* KEYCTL_CONTAINER_REQUEST_* */
	uint32_t timeout;		/* seconds left before it is negated */
	char type[32];			/* the key type */
	char *description;		/* the key's description */
	void *callout;			/* the callout information, NUL-terminated */
	size_t callout_len;		/* its length without the NUL */
};

int cfd_key_query(int32_t authkey, struct cfd_key_request *req);
void cfd_key_request_free(struct cfd_key_request *req);
int cfd_key_next_request(int cfd, int32_t queue, int timeout_ms,
			 struct cfd_key_request *req);
int cfd_key_watch(int32_t queue);
int32_t cfd_key_watch_read(int wfd, int32_t queue);
pid_t cfd_key_request_exec(const struct cfd_key_request *req, const char *path,
			   char *const argv[], char *const envp[]);

#ifdef __cplusplus
}
#endif
#endif /* LIBCONTAINERFD_H */
