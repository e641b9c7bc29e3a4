/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libcontainerfd: kernel container objects from userspace.
 *
 * Every function returns a non-negative value on success and -errno on
 * failure; none sets errno.  Every file descriptor the library makes is
 * close-on-exec.  See containerfd(7) and the man3 pages.
 *
 * Extensibility: a struct that crosses the library boundary travels with
 * its size (sizeof as the caller compiled it), as container_create(2) and
 * clone3(2) take theirs: a program built against an older header keeps
 * working with a newer library, and the other way round as long as it
 * leaves the fields it does not know zero.  Everything else is an opaque
 * object with setters (cfd_spawnattr_t), or an iterator (struct cfd_iter).
 */
#ifndef LIBCONTAINERFD_H
#define LIBCONTAINERFD_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The kernel interface, as installed with this library. */
#include "containerfd-uapi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The version of these headers; cfd_version() gives the library's. */
#define CFD_VERSION_MAJOR	2
#define CFD_VERSION_MINOR	0
#define CFD_VERSION_PATCH	0
#define CFD_VERSION_STRING	"2.0.0"
/* True when these headers are at least MAJOR.MINOR. */
#define CFD_VERSION_AT_LEAST(major, minor)				\
	(CFD_VERSION_MAJOR > (major) ||					\
	 (CFD_VERSION_MAJOR == (major) && CFD_VERSION_MINOR >= (minor)))

const char *cfd_version(void);
int cfd_version_major(void);
int cfd_version_minor(void);

/*
 * clone3()'s arguments with the container field (CLONE_ARGS_SIZE_VER3),
 * so that no consumer needs kernel headers newer than its distribution's.
 * The layout is struct clone_args of linux/sched.h.
 */
struct cfd_clone_args {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
	uint64_t set_tid;
	uint64_t set_tid_size;
	uint64_t cgroup;
	uint64_t container;
};

/* Raw wrappers: one syscall or ioctl each. */
int cfd_sys_container_create(const struct container_args *args, size_t size);
pid_t cfd_sys_clone3(struct cfd_clone_args *args, size_t size);
int cfd_get_info(int cfd, struct container_info *info, size_t size);
int cfd_kill(int cfd, int sig);
int cfd_get_ns(int cfd, int nstype);
int cfd_pidfd_get_container(int pidfd);

/* Creating a container: cfd_create(&opts, sizeof(opts)). */
struct cfd_options {
	uint64_t flags;		/* CONTAINER_* */
	const char *name;	/* or NULL */
	uint64_t set_id;	/* 0: allocate */
};
/* The smallest size accepted: the struct as 2.0 published it. */
#define CFD_OPTIONS_SIZE_VER0	\
	(offsetof(struct cfd_options, set_id) + sizeof(uint64_t))

int cfd_create(const struct cfd_options *opts, size_t size);
int cfd_probe(void);

/*
 * Starting processes.  cfd_fork() is fork() into a container; cfd_spawn()
 * is posix_spawn() into one, configured by an opaque attribute object.
 */
pid_t cfd_fork(int cfd, int *pidfd);

typedef struct cfd_spawnattr cfd_spawnattr_t;

/* Where a failed cfd_spawn() failed: cfd_spawnattr_get_failed_stage(). */
enum cfd_spawn_stage {
	CFD_SPAWN_STAGE_NONE = 0,	/* it did not fail in the child */
	CFD_SPAWN_STAGE_SETUP = 1,	/* in the attributes or the setup callback */
	CFD_SPAWN_STAGE_EXEC = 2,	/* in execve() */
};

int cfd_spawnattr_new(cfd_spawnattr_t **attr);
void cfd_spawnattr_free(cfd_spawnattr_t *attr);
int cfd_spawnattr_set_setup(cfd_spawnattr_t *attr, int (*fn)(void *arg), void *arg);
int cfd_spawnattr_set_sigmask(cfd_spawnattr_t *attr, const sigset_t *mask);
int cfd_spawnattr_set_cgroup(cfd_spawnattr_t *attr, int cgroup_fd);
int cfd_spawnattr_set_pdeathsig(cfd_spawnattr_t *attr, int sig);
int cfd_spawnattr_get_failed_stage(const cfd_spawnattr_t *attr);

int cfd_spawn(int cfd, const char *file, char *const argv[],
	      char *const envp[], cfd_spawnattr_t *attr, pid_t *pid);
int cfd_wait(int pidfd, int *status);

/* Finding containers. */
int cfd_open_pid(pid_t pid);
int cfd_open_id(uint64_t id);
int cfd_open_name(const char *name);
const char *cfd_state_name(uint32_t state);

/* One line of /proc/containers: cfd_iter_next(it, &e, sizeof(e)). */
struct cfd_entry {
	uint64_t id;
	uint64_t parent_id;	/* CONTAINER_ID_NONE when not visible */
	uint32_t state;		/* enum container_state */
	int32_t init_pid;	/* 0: none, or not visible */
	uint32_t nr_members;
	uint32_t reserved;	/* 0 */
	uint64_t flags;
	char name[CONTAINER_NAME_MAX];	/* "" for none */
};
#define CFD_ENTRY_SIZE_VER0	\
	(offsetof(struct cfd_entry, name) + CONTAINER_NAME_MAX)

struct cfd_iter;

int cfd_iter_open(struct cfd_iter **it);
int cfd_iter_next(struct cfd_iter *it, struct cfd_entry *entry, size_t size);
void cfd_iter_close(struct cfd_iter *it);

/*
 * A container's filesystem, built from outside.  @options are mount(8)
 * option strings ("ro,nosuid,size=64m"): per-mount flags become mount
 * attributes, the rest filesystem parameters.
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
