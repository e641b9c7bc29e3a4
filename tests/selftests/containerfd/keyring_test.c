// SPDX-License-Identifier: GPL-2.0
/*
 * The container keyring and request_key() upcalls served by a container's
 * manager (KEYCTL_CONTAINER_*).
 *
 * The test process is the manager: it makes a container, keeps an init
 * in it, and forks members into it that search, read, change and request
 * keys.  Members report by their exit code: 0, or the number of the step
 * that went wrong.  Every wait is a poll with a time limit on a pidfd, on
 * the container fd (EPOLLPRI: a request waits; EPOLLHUP: it died) or on a
 * notification pipe.
 */
#include "cfd_util.h"

#include <keyutils.h>
#include <time.h>

#include "kselftest_harness.h"

/*
 * linux/watch_queue.h brings linux/fcntl.h, which clashes with glibc's
 * fcntl.h: the few notification numbers and records this test needs, as
 * the uapi has them.
 */
#define CFD_O_NOTIFICATION_PIPE		O_EXCL
#define CFD_IOC_WATCH_QUEUE_SET_SIZE	_IO('W', 0x60)
#define CFD_IOC_WATCH_QUEUE_SET_FILTER	_IO('W', 0x61)
#define CFD_WATCH_TYPE_KEY_NOTIFY	1
#define CFD_NOTIFY_KEY_LINKED		2

struct cfd_key_notification {
	uint32_t type:24, subtype:8;
	uint32_t info;
	uint32_t key_id;
	uint32_t aux;
};

/* Long enough for anything here under TCG; a hang fails well before. */
#define WAIT_MS 20000

static long k_keyring(int cfd, unsigned long flags)
{
	return syscall(__NR_keyctl, KEYCTL_CONTAINER_KEYRING, cfd, flags, 0, 0);
}

static long k_link(int cfd, key_serial_t key)
{
	return syscall(__NR_keyctl, KEYCTL_CONTAINER_LINK, cfd, key, 0, 0);
}

static long k_unlink(int cfd, key_serial_t key)
{
	return syscall(__NR_keyctl, KEYCTL_CONTAINER_UNLINK, cfd, key, 0, 0);
}

static long k_intercept(int cfd, const char *type, key_serial_t queue,
			unsigned int timeout, unsigned int flags)
{
	struct keyctl_container_intercept args = {
		.type = (uintptr_t)type,
		.queue = queue,
		.flags = flags,
		.timeout = timeout,
	};

	return syscall(__NR_keyctl, KEYCTL_CONTAINER_INTERCEPT, cfd, &args,
		       sizeof(args), 0);
}

static long k_query(key_serial_t authkey, struct keyctl_container_request *req)
{
	return syscall(__NR_keyctl, KEYCTL_CONTAINER_QUERY, authkey, req,
		       sizeof(*req), 0);
}

static bool keys_supported(void)
{
	unsigned char caps[2] = {};

	return keyctl_capabilities(caps, sizeof(caps)) >= 0 &&
	       (caps[1] & KEYCTL_CAPS1_CONTAINER);
}

#define SKIP_IF_NO_KEYS()						\
	do {								\
		if (access("/proc/containers", F_OK))			\
			SKIP(return, "kernel has no container objects"); \
		if (!keys_supported())					\
			SKIP(return, "kernel has no container keyrings"); \
	} while (0)

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A member: forked into @cfd, it runs @fn and exits with what it returns. */
static pid_t member_start(int cfd, int (*fn)(void *), void *arg, int *pidfd)
{
	pid_t pid = cfd_fork(cfd, pidfd ? CLONE_PIDFD : 0, pidfd);

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		_exit(fn(arg));
	}
	return pid;
}

static int member_run(int cfd, int (*fn)(void *), void *arg)
{
	pid_t pid = member_start(cfd, fn, arg, NULL);

	return pid < 0 ? -1 : cfd_wait(pid);
}

/* Wait up to @ms for a request of @cfd's that no one has queried. */
static bool wait_request(int cfd, int ms)
{
	struct pollfd p = { .fd = cfd, .events = POLLPRI };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLPRI);
}

/* The first key in @keyring, or -1. */
static key_serial_t first_key(key_serial_t keyring)
{
	key_serial_t keys[16];
	long n = keyctl_read(keyring, (char *)keys, sizeof(keys));

	return n >= (long)sizeof(key_serial_t) ? keys[0] : -1;
}

static int keys_in(key_serial_t keyring)
{
	key_serial_t keys[64];
	long n = keyctl_read(keyring, (char *)keys, sizeof(keys));

	return n < 0 ? -1 : (int)(n / sizeof(key_serial_t));
}

/* A keyring of the manager's to queue requests in, possessed by it alone. */
static key_serial_t new_queue(void)
{
	return add_key("keyring", "cfd-queue", NULL, 0, KEY_SPEC_SESSION_KEYRING);
}

/* Answer the request of @authkey with @data, as /sbin/request-key would. */
static int answer(key_serial_t authkey, const char *data)
{
	struct keyctl_container_request req = {};

	if (k_query(authkey, &req))
		return -1;
	if (keyctl_assume_authority(req.key) < 0)
		return -1;
	/* NUL included: dns_resolver wants it, user keys do not mind. */
	if (keyctl_instantiate(req.key, data, strlen(data) + 1, 0))
		return -1;
	return keyctl_assume_authority(0) ? -1 : 0;
}

/* What a member asks for, and what it expects back. */
struct ask {
	const char *type;
	const char *desc;
	const char *callout;	/* NULL: search only */
	const char *want;	/* payload expected; NULL: expect @err */
	int err;
	bool own_session;	/* join a session keyring of its own first */
};

static int member_ask(void *arg)
{
	const struct ask *a = arg;
	char buf[128];
	key_serial_t key;
	long n;

	if (a->own_session && keyctl_join_session_keyring(NULL) < 0)
		return 90;
	key = request_key(a->type, a->desc, a->callout,
			  a->callout ? KEY_SPEC_SESSION_KEYRING : 0);
	if (!a->want) {
		if (key >= 0) {
			fprintf(stderr, "member: %s:%s found, wanted errno %d\n",
				a->type, a->desc, a->err);
			return 1;
		}
		if (errno != a->err) {
			fprintf(stderr, "member: %s:%s: errno %d, wanted %d\n",
				a->type, a->desc, errno, a->err);
			return 2;
		}
		return 0;
	}
	if (key < 0) {
		fprintf(stderr, "member: %s:%s: %s\n", a->type, a->desc, strerror(errno));
		return 3;
	}
	n = keyctl_read(key, buf, sizeof(buf) - 1);
	if (n < 0)
		return 4;
	buf[n] = '\0';
	if (strcmp(buf, a->want)) {
		fprintf(stderr, "member: %s:%s reads '%s', wanted '%s'\n",
			a->type, a->desc, buf, a->want);
		return 5;
	}
	return 0;
}

static int member_sleep(void *arg)
{
	for (;;)
		pause();
	return 0;
}

#define CONTAINER_FLAGS (CONTAINER_NEW_FS_NS | CONTAINER_NEW_UTS_NS |	\
			 CONTAINER_NEW_IPC_NS | CONTAINER_NEW_NET_NS)

/* A live container: an init that sleeps keeps it alive. */
struct box {
	int cfd;
	pid_t init;
};

static int box_open(struct box *b, uint64_t flags, const char *name)
{
	b->cfd = cfd_create(flags, name);
	if (b->cfd < 0)
		return -1;
	b->init = member_start(b->cfd, member_sleep, NULL, NULL);
	return b->init < 0 ? -1 : 0;
}

static void box_close(struct box *b)
{
	if (b->init > 0) {
		kill(b->init, SIGKILL);
		cfd_wait(b->init);
		b->init = 0;
	}
	if (b->cfd >= 0)
		close(b->cfd);
	b->cfd = -1;
}

FIXTURE(keys) {
	struct box box;
	uint64_t id;		/* its ID, as we see it */
};

FIXTURE_SETUP(keys)
{
	struct container_info info;

	self->box.cfd = -1;
	self->box.init = 0;
	SKIP_IF_NO_KEYS();
	/* A session keyring of our own: our queues are ours alone. */
	ASSERT_GT(keyctl_join_session_keyring(NULL), 0);
	ASSERT_EQ(box_open(&self->box, CONTAINER_FLAGS, NULL), 0);
	ASSERT_EQ(cfd_info(self->box.cfd, &info), 0);
	self->id = info.id;
}

FIXTURE_TEARDOWN(keys)
{
	box_close(&self->box);
}

/* The keyring's serial, its ID for members, and its permissions. */
static int member_keyring_id(void *arg)
{
	key_serial_t want = *(key_serial_t *)arg;

	return keyctl_get_keyring_ID(KEY_SPEC_CONTAINER_KEYRING, 0) == want ? 0 : 1;
}

TEST_F(keys, keyring)
{
	key_serial_t kr;
	char desc[128];

	kr = k_keyring(self->box.cfd, 0);
	ASSERT_GT(kr, 0);
	EXPECT_EQ(k_keyring(self->box.cfd, 0), kr);
	ASSERT_GT(keyctl_describe(kr, desc, sizeof(desc)), 0);
	/* Owned by the owner of its user namespace; members possess it. */
	EXPECT_STREQ(desc, "keyring;0;0;0b0b0000;.container");
	EXPECT_EQ(member_run(self->box.cfd, member_keyring_id, &kr), 0);
	/* Outside any container there is none. */
	EXPECT_EQ(keyctl_get_keyring_ID(KEY_SPEC_CONTAINER_KEYRING, 0), -1);
	EXPECT_EQ(errno, ENOKEY);
}

TEST_F(keys, grant_search_unlink)
{
	struct ask found = { "user", "cfd-granted", .want = "secret", .own_session = true };
	struct ask found_no_session = { "user", "cfd-granted", .want = "secret" };
	struct ask missing = { "user", "cfd-granted", .err = ENOKEY, .own_session = true };
	key_serial_t key;

	key = add_key("user", "cfd-granted", "secret", 6, KEY_SPEC_SESSION_KEYRING);
	ASSERT_GT(key, 0);
	/* Our keys are not theirs. */
	EXPECT_EQ(member_run(self->box.cfd, member_ask, &missing), 0);

	ASSERT_EQ(k_link(self->box.cfd, key), 0);
	EXPECT_EQ(member_run(self->box.cfd, member_ask, &found), 0);
	/* Entered from outside, a member has no session keyring: still found. */
	EXPECT_EQ(member_run(self->box.cfd, member_ask, &found_no_session), 0);

	ASSERT_EQ(k_unlink(self->box.cfd, key), 0);
	EXPECT_EQ(member_run(self->box.cfd, member_ask, &missing), 0);
	EXPECT_EQ(k_unlink(self->box.cfd, key), -1);
	EXPECT_EQ(errno, ENOENT);
}

static int member_session_first(void *arg)
{
	struct ask mine = { "user", "cfd-both", .want = "mine" };

	if (keyctl_join_session_keyring(NULL) < 0)
		return 90;
	if (add_key("user", "cfd-both", "mine", 4, KEY_SPEC_SESSION_KEYRING) < 0)
		return 91;
	return member_ask(&mine);
}

TEST_F(keys, session_keyring_first)
{
	key_serial_t key;

	key = add_key("user", "cfd-both", "granted", 7, KEY_SPEC_SESSION_KEYRING);
	ASSERT_GT(key, 0);
	ASSERT_EQ(k_link(self->box.cfd, key), 0);
	EXPECT_EQ(member_run(self->box.cfd, member_session_first, NULL), 0);
}

/* What possession of a granted key lets a member do. */
struct use {
	key_serial_t key;
	int read_err, update_err, link_err, invalidate_err;
};

static int expect(long ret, int err, int step)
{
	if (err ? (ret != -1 || errno != err) : ret < 0) {
		fprintf(stderr, "member: step %d: %ld, errno %d, wanted %d\n",
			step, ret, errno, err);
		return step;
	}
	return 0;
}

static int member_use(void *arg)
{
	const struct use *u = arg;
	char buf[64];
	int r;

	if (keyctl_join_session_keyring(NULL) < 0)
		return 90;
	if ((r = expect(keyctl_read(u->key, buf, sizeof(buf)), u->read_err, 1)))
		return r;
	if ((r = expect(keyctl_update(u->key, "changed", 7), u->update_err, 2)))
		return r;
	if ((r = expect(keyctl_link(u->key, KEY_SPEC_SESSION_KEYRING), u->link_err, 3)))
		return r;
	if ((r = expect(keyctl_invalidate(u->key), u->invalidate_err, 4)))
		return r;
	return 0;
}

TEST_F(keys, possession)
{
	/* keyctl(1)'s default mask, possessor all: read, update, link, invalidate. */
	struct use all = { 0 };
	/* Possessor view, read, search: read, and invalidate (Search) only. */
	struct use narrow = { 0, 0, EACCES, EACCES, 0 };
	/* A logon key has no read. */
	struct use logon = { 0, EOPNOTSUPP, EACCES, EACCES, 0 };
	char buf[16];

	all.key = add_key("user", "cfd-all", "x", 1, KEY_SPEC_SESSION_KEYRING);
	ASSERT_GT(all.key, 0);
	ASSERT_EQ(k_link(self->box.cfd, all.key), 0);
	EXPECT_EQ(member_run(self->box.cfd, member_use, &all), 0);
	/* Invalidated by a member, it is gone for everyone. */
	EXPECT_EQ(keyctl_read(all.key, buf, sizeof(buf)), -1);

	narrow.key = add_key("user", "cfd-narrow", "x", 1, KEY_SPEC_SESSION_KEYRING);
	ASSERT_GT(narrow.key, 0);
	/* Granted first: linking needs Link, which the narrowed key lacks. */
	ASSERT_EQ(k_link(self->box.cfd, narrow.key), 0);
	ASSERT_EQ(keyctl_setperm(narrow.key, KEY_POS_VIEW | KEY_POS_READ |
				 KEY_POS_SEARCH), 0);
	EXPECT_EQ(member_run(self->box.cfd, member_use, &narrow), 0);

	logon.key = add_key("logon", "cfd:logon", "pw", 2, KEY_SPEC_SESSION_KEYRING);
	ASSERT_GT(logon.key, 0);
	ASSERT_EQ(k_link(self->box.cfd, logon.key), 0);
	ASSERT_EQ(keyctl_setperm(logon.key, KEY_POS_VIEW | KEY_POS_READ |
				 KEY_POS_SEARCH), 0);
	EXPECT_EQ(member_run(self->box.cfd, member_use, &logon), 0);
}

/* A member, root in the host's user namespace, tries to change its keyring. */
static int member_change_keyring(void *arg)
{
	key_serial_t granted = *(key_serial_t *)arg, own;
	const key_serial_t kr = KEY_SPEC_CONTAINER_KEYRING;
	int pidfd, cfd, r;

	if (keyctl_join_session_keyring(NULL) < 0)
		return 90;
	own = add_key("user", "cfd-own", "x", 1, KEY_SPEC_SESSION_KEYRING);
	if (own < 0)
		return 91;
	if ((r = expect(keyctl_link(own, kr), EACCES, 1)) ||
	    (r = expect(keyctl_unlink(granted, kr), EACCES, 2)) ||
	    (r = expect(keyctl_clear(kr), EACCES, 3)) ||
	    (r = expect(keyctl_setperm(kr, KEY_POS_ALL | KEY_USR_ALL), EACCES, 4)) ||
	    (r = expect(keyctl_chown(kr, 0, 0), EACCES, 5)) ||
	    (r = expect(keyctl_set_timeout(kr, 10), EACCES, 6)) ||
	    (r = expect(keyctl_restrict_keyring(kr, NULL, NULL), EACCES, 7)) ||
	    (r = expect(keyctl_invalidate(kr), EPERM, 8)) ||
	    (r = expect(keyctl_revoke(kr), EACCES, 9)) ||
	    (r = expect(keyctl_link(kr, KEY_SPEC_SESSION_KEYRING), EACCES, 10)))
		return r;

	/* Nor, holding its own container's fd, through KEYCTL_CONTAINER_*. */
	pidfd = sys_pidfd_open(getpid(), 0);
	cfd = pidfd < 0 ? -1 : ioctl(pidfd, PIDFD_GET_CONTAINER, 0);
	if (cfd < 0)
		return 92;
	if ((r = expect(k_link(cfd, own), EPERM, 11)) ||
	    (r = expect(k_unlink(cfd, granted), EPERM, 12)) ||
	    (r = expect(k_keyring(cfd, 0), EPERM, 13)) ||
	    (r = expect(k_intercept(cfd, NULL, KEY_SPEC_SESSION_KEYRING, 0, 0), EPERM, 14)))
		return r;
	return 0;
}

TEST_F(keys, member_cannot_change_keyring)
{
	key_serial_t key, kr;

	key = add_key("user", "cfd-stays", "x", 1, KEY_SPEC_SESSION_KEYRING);
	ASSERT_GT(key, 0);
	ASSERT_EQ(k_link(self->box.cfd, key), 0);
	kr = k_keyring(self->box.cfd, 0);
	ASSERT_GT(kr, 0);
	EXPECT_EQ(member_run(self->box.cfd, member_change_keyring, &key), 0);
	EXPECT_EQ(first_key(kr), key);
	EXPECT_EQ(keys_in(kr), 1);
}

TEST_F(keys, errors)
{
	struct keyctl_container_intercept big[2] = {};
	struct keyctl_container_request req = {};
	key_serial_t key, locked, queue, user;
	int pipefd[2];

	key = add_key("user", "cfd-errors", "x", 1, KEY_SPEC_SESSION_KEYRING);
	ASSERT_GT(key, 0);
	queue = new_queue();
	ASSERT_GT(queue, 0);

	/* Unknown flags, unused arguments. */
	EXPECT_EQ(k_keyring(self->box.cfd, 1), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(syscall(__NR_keyctl, KEYCTL_CONTAINER_LINK, self->box.cfd, key, 1, 0), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(syscall(__NR_keyctl, KEYCTL_CONTAINER_UNLINK, self->box.cfd, key, 0, 1), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(k_intercept(self->box.cfd, NULL, queue, 0, 0x100), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(k_intercept(self->box.cfd, NULL, queue, KEYCTL_CONTAINER_TIMEOUT_MAX + 1, 0), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(k_intercept(self->box.cfd, NULL, queue, 0, KEYCTL_CONTAINER_INTERCEPT_HOST), -1);
	EXPECT_EQ(errno, EINVAL);

	/* Not a container fd. */
	ASSERT_EQ(pipe2(pipefd, O_CLOEXEC), 0);
	EXPECT_EQ(k_link(pipefd[0], key), -1);
	EXPECT_EQ(errno, EBADF);
	EXPECT_EQ(k_link(-1, key), -1);
	EXPECT_EQ(errno, EBADF);
	EXPECT_EQ(k_keyring(pipefd[0], 0), -1);
	EXPECT_EQ(errno, EBADF);
	EXPECT_EQ(k_intercept(pipefd[1], NULL, queue, 0, 0), -1);
	EXPECT_EQ(errno, EBADF);

	/* A key we may not link: no Link permission for us. */
	locked = add_key("user", "cfd-locked", "x", 1, KEY_SPEC_SESSION_KEYRING);
	ASSERT_GT(locked, 0);
	ASSERT_EQ(keyctl_setperm(locked, KEY_POS_VIEW | KEY_POS_SEARCH), 0);
	EXPECT_EQ(k_link(self->box.cfd, locked), -1);
	EXPECT_EQ(errno, EACCES);

	/* The interception's struct: size, tail, reserved, type, queue. */
	big[0].queue = queue;
	EXPECT_EQ(syscall(__NR_keyctl, KEYCTL_CONTAINER_INTERCEPT, self->box.cfd,
			  big, KEYCTL_CONTAINER_INTERCEPT_SIZE_VER0 - 8, 0), -1);
	EXPECT_EQ(errno, EINVAL);
	((char *)big)[sizeof(big) - 1] = 1;
	EXPECT_EQ(syscall(__NR_keyctl, KEYCTL_CONTAINER_INTERCEPT, self->box.cfd,
			  big, sizeof(big), 0), -1);
	EXPECT_EQ(errno, E2BIG);
	((char *)big)[sizeof(big) - 1] = 0;
	big[0].reserved = 1;
	EXPECT_EQ(syscall(__NR_keyctl, KEYCTL_CONTAINER_INTERCEPT, self->box.cfd,
			  big, sizeof(big), 0), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(k_intercept(self->box.cfd, "no-such-type", queue, 0, 0), -1);
	EXPECT_EQ(errno, ENODEV);
	EXPECT_EQ(k_intercept(self->box.cfd, ".request_key_auth", queue, 0, 0), -1);
	EXPECT_EQ(errno, EPERM);
	EXPECT_EQ(k_intercept(self->box.cfd, "user", key, 0, 0), -1);
	EXPECT_EQ(errno, ENOTDIR);
	EXPECT_EQ(k_intercept(self->box.cfd, "user", 0, 0, 0), -1);
	EXPECT_EQ(errno, ENOENT);
	/* Its own keyring, which members possess: no one may write to it. */
	EXPECT_EQ(k_intercept(self->box.cfd, "user", k_keyring(self->box.cfd, 0), 0, 0), -1);
	EXPECT_EQ(errno, EACCES);
	/* A queue we may not write to. */
	user = add_key("keyring", "cfd-ro", NULL, 0, KEY_SPEC_SESSION_KEYRING);
	ASSERT_GT(user, 0);
	ASSERT_EQ(keyctl_setperm(user, KEY_POS_VIEW | KEY_POS_SEARCH), 0);
	EXPECT_EQ(k_intercept(self->box.cfd, "user", user, 0, 0), -1);
	EXPECT_EQ(errno, EACCES);
	/* Big struct, zero tail: accepted, and removed again. */
	EXPECT_EQ(syscall(__NR_keyctl, KEYCTL_CONTAINER_INTERCEPT, self->box.cfd,
			  big, sizeof(big), 0), -1);
	EXPECT_EQ(errno, EINVAL); /* reserved still set */
	big[0].reserved = 0;
	EXPECT_EQ(syscall(__NR_keyctl, KEYCTL_CONTAINER_INTERCEPT, self->box.cfd,
			  big, sizeof(big), 0), 0);
	EXPECT_EQ(k_intercept(self->box.cfd, NULL, 0, 0, 0), 0);

	/* Queries: no authorisation key, no request, short struct. */
	EXPECT_EQ(k_query(key, &req), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(syscall(__NR_keyctl, KEYCTL_CONTAINER_QUERY, key, &req,
			  KEYCTL_CONTAINER_REQUEST_SIZE_VER0 - 1, 0), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(syscall(__NR_keyctl, KEYCTL_CONTAINER_QUERY, key, &req, sizeof(req), 1), -1);
	EXPECT_EQ(errno, EINVAL);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* A stranger: unprivileged, holding the fd root gave it. */
TEST(stranger_holding_the_fd)
{
	struct box b = { .cfd = -1 };
	key_serial_t key, queue;
	pid_t pid;

	SKIP_IF_NO_KEYS();
	ASSERT_GT(keyctl_join_session_keyring(NULL), 0);
	ASSERT_EQ(box_open(&b, CONTAINER_FLAGS, NULL), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (cfd_drop_privs(CFD_NOBODY) || keyctl_join_session_keyring(NULL) < 0)
			_exit(90);
		key = add_key("user", "cfd-stranger", "x", 1, KEY_SPEC_SESSION_KEYRING);
		queue = new_queue();
		if (key < 0 || queue < 0)
			_exit(91);
		if (expect(k_link(b.cfd, key), EPERM, 1) ||
		    expect(k_unlink(b.cfd, key), EPERM, 2) ||
		    expect(k_keyring(b.cfd, 0), EPERM, 3) ||
		    expect(k_intercept(b.cfd, NULL, queue, 0, 0), EPERM, 4) ||
		    expect(k_intercept(b.cfd, NULL, 0, 0, 0), EPERM, 5))
			_exit(1);
		_exit(0);
	}
	EXPECT_EQ(cfd_wait(pid), 0);
	box_close(&b);
}

/* In a sibling, or a container nested in the one granted: not found. */
struct nest {
	key_serial_t key;
	int step;		/* 0: not found below; 1: passed on, found */
};

static int member_nested(void *arg)
{
	struct nest *n = arg;
	struct ask missing = { "user", "cfd-a", .err = ENOKEY, .own_session = true };
	struct ask found = { "user", "cfd-a", .want = "for-a", .own_session = true };
	struct box inner = { .cfd = -1 };
	int r;

	/* Root in the host's user namespace: it may make a container here. */
	if (box_open(&inner, CONTAINER_NEW_UTS_NS, NULL))
		return 90;
	r = member_run(inner.cfd, member_ask, &missing);
	if (r)
		return 10 + r;
	if (n->step == 1) {
		/* A nested manager passes on what it was given: explicitly. */
		if (k_link(inner.cfd, n->key))
			return 91;
		r = member_run(inner.cfd, member_ask, &found);
		if (r)
			return 20 + r;
	}
	box_close(&inner);
	return 0;
}

TEST_F(keys, sibling_and_nested_do_not_see_it)
{
	struct ask found = { "user", "cfd-a", .want = "for-a", .own_session = true };
	struct ask missing = { "user", "cfd-a", .err = ENOKEY, .own_session = true };
	struct nest n = {};
	struct box sibling = { .cfd = -1 };

	n.key = add_key("user", "cfd-a", "for-a", 5, KEY_SPEC_SESSION_KEYRING);
	ASSERT_GT(n.key, 0);
	ASSERT_EQ(k_link(self->box.cfd, n.key), 0);
	ASSERT_EQ(box_open(&sibling, CONTAINER_FLAGS, NULL), 0);

	EXPECT_EQ(member_run(self->box.cfd, member_ask, &found), 0);
	EXPECT_EQ(member_run(sibling.cfd, member_ask, &missing), 0);
	EXPECT_EQ(member_run(self->box.cfd, member_nested, &n), 0);
	n.step = 1;
	EXPECT_EQ(member_run(self->box.cfd, member_nested, &n), 0);
	box_close(&sibling);
}

/*
 * A member of a container nested in the managed one, holding the managed
 * one's fd (inherited): it is not outside it, so it manages nothing there.
 */
static int nested_use_parents_fd(void *arg)
{
	int outer = *(int *)arg;
	key_serial_t own;
	int r;

	if (keyctl_join_session_keyring(NULL) < 0)
		return 90;
	own = add_key("user", "cfd-from-below", "x", 1, KEY_SPEC_SESSION_KEYRING);
	if (own < 0)
		return 91;
	if ((r = expect(k_link(outer, own), EPERM, 1)) ||
	    (r = expect(k_unlink(outer, own), EPERM, 2)) ||
	    (r = expect(k_keyring(outer, 0), EPERM, 3)) ||
	    (r = expect(k_intercept(outer, NULL, KEY_SPEC_SESSION_KEYRING, 0, 0), EPERM, 4)))
		return r;
	return 0;
}

static int member_nest_and_use_parents_fd(void *arg)
{
	struct box inner = { .cfd = -1 };
	int r;

	/* Root in the host's user namespace: it may make a container here. */
	if (box_open(&inner, CONTAINER_NEW_UTS_NS, NULL))
		return 90;
	r = member_run(inner.cfd, nested_use_parents_fd, arg);
	box_close(&inner);
	return r;
}

TEST_F(keys, nested_member_cannot_manage_its_parent)
{
	int outer = self->box.cfd;
	key_serial_t kr;

	EXPECT_EQ(member_run(self->box.cfd, member_nest_and_use_parents_fd, &outer), 0);
	kr = k_keyring(self->box.cfd, 0);
	ASSERT_GT(kr, 0);
	EXPECT_EQ(keys_in(kr), 0);
}

/*
 * Without an interception a member's upcall is refused, not served on the
 * host, and leaves no negative key behind: once the manager intercepts,
 * the same member's same request reaches it.
 */
struct twice {
	int told, go;		/* pipes: "refused" to the manager, "ask again" back */
};

static int member_ask_twice(void *arg)
{
	struct ask refused = { "user", "debug:cfd-refused", "x", .err = ENOKEY };
	struct ask later = { "user", "debug:cfd-refused", "x", .want = "manager" };
	const struct twice *t = arg;
	char c = 'r';
	int r;

	if (keyctl_join_session_keyring(NULL) < 0)
		return 90;
	r = member_ask(&refused);
	if (r || write(t->told, &c, 1) != 1 || read(t->go, &c, 1) != 1)
		return r ?: 91;
	r = member_ask(&later);
	return r ? 10 + r : 0;
}

TEST_F(keys, default_refuses_upcalls)
{
	struct pollfd p = { .events = POLLIN };
	int told[2], go[2], pidfd;
	key_serial_t key, queue;
	struct twice t;
	char buf[64];
	pid_t pid;
	long n;

	/* The same request on the host runs /sbin/request-key's debug rule. */
	key = request_key("user", "debug:cfd-host", "x", KEY_SPEC_SESSION_KEYRING);
	if (key < 0) {
		TH_LOG("no /sbin/request-key debug rule here (%s): host half skipped",
		       strerror(errno));
	} else {
		n = keyctl_read(key, buf, sizeof(buf) - 1);
		ASSERT_GT(n, 0);
		buf[n] = '\0';
		EXPECT_STREQ(buf, "Debug x");
	}

	ASSERT_EQ(pipe2(told, O_CLOEXEC), 0);
	ASSERT_EQ(pipe2(go, O_CLOEXEC), 0);
	t.told = told[1];
	t.go = go[0];
	pid = member_start(self->box.cfd, member_ask_twice, &t, &pidfd);
	ASSERT_GT(pid, 0);
	p.fd = told[0];
	ASSERT_EQ(poll(&p, 1, WAIT_MS), 1);
	ASSERT_EQ(read(told[0], buf, 1), 1);

	queue = new_queue();
	ASSERT_GT(queue, 0);
	ASSERT_EQ(k_intercept(self->box.cfd, "user", queue, 0, 0), 0);
	ASSERT_EQ(write(go[1], "g", 1), 1);
	ASSERT_TRUE(wait_request(self->box.cfd, WAIT_MS));
	EXPECT_EQ(answer(first_key(queue), "manager"), 0);
	EXPECT_EQ(cfd_wait(pid), 0);
}

TEST_F(keys, intercepted_request)
{
	struct ask a = { "user", "debug:cfd-asked", "callout-x", .want = "answered",
			 .own_session = true };
	struct keyctl_container_request req = {};
	char desc[8], callout[32];
	key_serial_t queue, authkey;
	int pidfd;
	long n;
	pid_t pid;

	queue = new_queue();
	ASSERT_GT(queue, 0);
	ASSERT_EQ(k_intercept(self->box.cfd, "user", queue, 0, 0), 0);
	pid = member_start(self->box.cfd, member_ask, &a, &pidfd);
	ASSERT_GT(pid, 0);
	ASSERT_TRUE(wait_request(self->box.cfd, WAIT_MS));
	authkey = first_key(queue);
	ASSERT_GT(authkey, 0);

	/* A buffer too small: the length, nothing copied. */
	memset(desc, 'z', sizeof(desc));
	req.description = (uintptr_t)desc;
	req.description_size = sizeof(desc);
	ASSERT_EQ(k_query(authkey, &req), 0);
	EXPECT_EQ(req.description_len, strlen("debug:cfd-asked") + 1);
	EXPECT_EQ(desc[0], 'z');
	EXPECT_STREQ(req.type, "user");
	EXPECT_EQ(req.container_id, self->id);
	EXPECT_EQ(req.pid, pid);
	EXPECT_EQ(req.uid, 0);
	EXPECT_EQ(req.gid, 0);
	EXPECT_EQ(req.flags, 0);
	EXPECT_EQ(req.callout_len, strlen("callout-x"));
	EXPECT_GT(req.session_keyring, 0);
	EXPECT_GT(req.timeout, 0);
	EXPECT_LE(req.timeout, KEYCTL_CONTAINER_TIMEOUT_DEFAULT);
	/* Queried: no longer reported, and a second query says so. */
	EXPECT_FALSE(wait_request(self->box.cfd, 0));
	ASSERT_EQ(k_query(authkey, &req), 0);
	EXPECT_EQ(req.flags, KEYCTL_CONTAINER_REQUEST_CLAIMED);

	/* The callout is the authorisation key's payload, as request-key reads it. */
	n = keyctl_read(authkey, callout, sizeof(callout) - 1);
	ASSERT_EQ(n, strlen("callout-x"));
	callout[n] = '\0';
	EXPECT_STREQ(callout, "callout-x");

	EXPECT_EQ(answer(authkey, "answered"), 0);
	EXPECT_EQ(cfd_wait(pid), 0);
	/* Answered: no request any more. */
	EXPECT_EQ(k_query(authkey, &req), -1);
}

TEST_F(keys, notification_on_the_queue)
{
	struct ask a = { "user", "debug:cfd-notified", "c", .want = "by-note",
			 .own_session = true };
	struct {
		uint32_t nr_filters, __reserved;
		struct {
			uint32_t type, info_filter, info_mask;
			uint32_t subtype_filter[8];
		} f;
	} filter = {
		.nr_filters = 1,
		.f = { .type = CFD_WATCH_TYPE_KEY_NOTIFY,
		       .subtype_filter[0] = 1U << CFD_NOTIFY_KEY_LINKED },
	};
	struct cfd_key_notification note;
	struct pollfd p;
	key_serial_t queue;
	int wq[2], pidfd;
	pid_t pid;

	queue = new_queue();
	ASSERT_GT(queue, 0);
	ASSERT_EQ(pipe2(wq, CFD_O_NOTIFICATION_PIPE), 0);
	ASSERT_EQ(ioctl(wq[0], CFD_IOC_WATCH_QUEUE_SET_SIZE, 1), 0);
	ASSERT_EQ(ioctl(wq[0], CFD_IOC_WATCH_QUEUE_SET_FILTER, &filter), 0);
	ASSERT_EQ(keyctl_watch_key(queue, wq[0], 1), 0);
	ASSERT_EQ(k_intercept(self->box.cfd, NULL, queue, 0, 0), 0);

	pid = member_start(self->box.cfd, member_ask, &a, &pidfd);
	ASSERT_GT(pid, 0);
	p = (struct pollfd){ .fd = wq[0], .events = POLLIN };
	ASSERT_EQ(poll(&p, 1, WAIT_MS), 1);
	ASSERT_EQ(read(wq[0], &note, sizeof(note)), sizeof(note));
	EXPECT_EQ((int)note.type, CFD_WATCH_TYPE_KEY_NOTIFY);
	EXPECT_EQ((int)note.subtype, CFD_NOTIFY_KEY_LINKED);
	EXPECT_EQ((key_serial_t)note.key_id, queue);
	EXPECT_EQ(answer(note.aux, "by-note"), 0);
	EXPECT_EQ(cfd_wait(pid), 0);
	close(wq[0]);
	close(wq[1]);
}

/* The manager says no: negated, or rejected with an error of its choice. */
TEST_F(keys, negate_and_reject)
{
	struct ask negated = { "user", "debug:cfd-neg", "c", .err = ENOKEY, .own_session = true };
	struct ask rejected = { "user", "debug:cfd-rej", "c", .err = EKEYREJECTED,
				.own_session = true };
	struct keyctl_container_request req = {};
	key_serial_t queue, authkey;
	pid_t pid;

	queue = new_queue();
	ASSERT_GT(queue, 0);
	ASSERT_EQ(k_intercept(self->box.cfd, "user", queue, 0, 0), 0);

	pid = member_start(self->box.cfd, member_ask, &negated, NULL);
	ASSERT_TRUE(wait_request(self->box.cfd, WAIT_MS));
	authkey = first_key(queue);
	ASSERT_EQ(k_query(authkey, &req), 0);
	ASSERT_LT(0, keyctl_assume_authority(req.key));
	EXPECT_EQ(keyctl_negate(req.key, 30, 0), 0);
	EXPECT_EQ(cfd_wait(pid), 0);

	pid = member_start(self->box.cfd, member_ask, &rejected, NULL);
	ASSERT_TRUE(wait_request(self->box.cfd, WAIT_MS));
	/* The first may still be linked until the gc unlinks it: skip it. */
	{
		key_serial_t keys[4];
		long i, n = keyctl_read(queue, (char *)keys, sizeof(keys));

		for (authkey = -1, i = 0; i < n / (long)sizeof(key_serial_t); i++)
			if (k_query(keys[i], &req) == 0)
				authkey = keys[i];
	}
	ASSERT_GT(authkey, 0);
	ASSERT_LT(0, keyctl_assume_authority(req.key));
	EXPECT_EQ(keyctl_reject(req.key, 30, EKEYREJECTED, 0), 0);
	EXPECT_EQ(cfd_wait(pid), 0);
}

/* Unanswered: negated at the interception's timeout, with ETIMEDOUT. */
TEST_F(keys, timeout)
{
	struct ask late = { "user", "debug:cfd-late", "c", .err = ETIMEDOUT,
			    .own_session = true };
	struct timespec t0;
	key_serial_t queue;
	int pidfd;
	pid_t pid;

	queue = new_queue();
	ASSERT_GT(queue, 0);
	ASSERT_EQ(k_intercept(self->box.cfd, "user", queue, 1, 0), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = member_start(self->box.cfd, member_ask, &late, &pidfd);
	ASSERT_GT(pid, 0);
	ASSERT_TRUE(cfd_pidfd_exited(pidfd, WAIT_MS));
	EXPECT_EQ(cfd_wait(pid), 0);
	EXPECT_GE(ms_since(&t0), 900);
}

/* What waits is negated when the interception is removed. */
TEST_F(keys, removal_negates)
{
	struct ask a = { "user", "debug:cfd-removed", "c", .err = ENOKEY, .own_session = true };
	struct keyctl_container_request req = {};
	key_serial_t queue, authkey;
	int pidfd;
	pid_t pid;

	queue = new_queue();
	ASSERT_GT(queue, 0);
	ASSERT_EQ(k_intercept(self->box.cfd, "user", queue, KEYCTL_CONTAINER_TIMEOUT_MAX, 0), 0);
	pid = member_start(self->box.cfd, member_ask, &a, &pidfd);
	ASSERT_TRUE(wait_request(self->box.cfd, WAIT_MS));
	authkey = first_key(queue);
	ASSERT_EQ(k_intercept(self->box.cfd, "user", 0, 0, 0), 0);
	ASSERT_TRUE(cfd_pidfd_exited(pidfd, WAIT_MS));
	EXPECT_EQ(cfd_wait(pid), 0);
	EXPECT_EQ(k_query(authkey, &req), -1);
}

/* ...and when the queue keyring is destroyed: its manager is gone. */
TEST_F(keys, queue_destroyed_negates)
{
	struct ask a = { "user", "debug:cfd-orphan", "c", .err = ENOKEY, .own_session = true };
	key_serial_t queue;
	int pidfd;
	pid_t pid;

	queue = new_queue();
	ASSERT_GT(queue, 0);
	ASSERT_EQ(k_intercept(self->box.cfd, "user", queue, KEYCTL_CONTAINER_TIMEOUT_MAX, 0), 0);
	pid = member_start(self->box.cfd, member_ask, &a, &pidfd);
	ASSERT_TRUE(wait_request(self->box.cfd, WAIT_MS));
	/* Our session keyring held the only link: the keyring is destroyed. */
	ASSERT_EQ(keyctl_unlink(queue, KEY_SPEC_SESSION_KEYRING), 0);
	ASSERT_TRUE(cfd_pidfd_exited(pidfd, WAIT_MS));
	EXPECT_EQ(cfd_wait(pid), 0);
	/* The interception went with it. */
	EXPECT_EQ(k_intercept(self->box.cfd, "user", 0, 0, 0), -1);
	EXPECT_EQ(errno, ENOENT);
}

/* ...and when the container dies; its keyring is emptied, nothing more granted. */
TEST_F(keys, death_negates_and_empties)
{
	struct ask a = { "user", "debug:cfd-dies", "c", .err = ENOKEY, .own_session = true };
	struct keyctl_container_request req = {};
	struct pollfd p = { .fd = self->box.cfd, .events = POLLIN };
	key_serial_t queue, authkey, key, kr;
	pid_t pid;

	key = add_key("user", "cfd-dies", "x", 1, KEY_SPEC_SESSION_KEYRING);
	ASSERT_GT(key, 0);
	ASSERT_EQ(k_link(self->box.cfd, key), 0);
	kr = k_keyring(self->box.cfd, 0);
	queue = new_queue();
	ASSERT_GT(queue, 0);
	ASSERT_EQ(k_intercept(self->box.cfd, "user", queue, KEYCTL_CONTAINER_TIMEOUT_MAX, 0), 0);
	pid = member_start(self->box.cfd, member_ask, &a, NULL);
	ASSERT_GT(pid, 0);
	ASSERT_TRUE(wait_request(self->box.cfd, WAIT_MS));
	authkey = first_key(queue);
	ASSERT_EQ(k_query(authkey, &req), 0);

	/* Its init exits: it dies. */
	kill(self->box.init, SIGKILL);
	ASSERT_EQ(poll(&p, 1, WAIT_MS), 1);
	ASSERT_TRUE(p.revents & POLLHUP);
	cfd_wait(pid);
	/* The zap work negates; wait for it with the request's own end. */
	for (int i = 0; i < WAIT_MS / 10 && k_query(authkey, &req) == 0; i++)
		usleep(10000);
	EXPECT_EQ(k_query(authkey, &req), -1);
	EXPECT_EQ(errno, ENOKEY);
	EXPECT_EQ(keys_in(kr), 0);
	EXPECT_EQ(k_link(self->box.cfd, key), -1);
	EXPECT_EQ(errno, ESRCH);
	EXPECT_EQ(k_keyring(self->box.cfd, 0), -1);
	EXPECT_EQ(errno, ESRCH);
	EXPECT_EQ(k_intercept(self->box.cfd, "user", queue, 0, 0), -1);
	EXPECT_EQ(errno, ESRCH);
}

/* Only who possesses the queue may use a request's authorisation key. */
struct thief {
	key_serial_t authkey, target;
};

static int try_authkey(void *arg)
{
	const struct thief *t = arg;
	struct keyctl_container_request req = {};
	char buf[16];
	int r;

	if ((r = expect(k_query(t->authkey, &req), EACCES, 1)) ||
	    (r = expect(keyctl_read(t->authkey, buf, sizeof(buf)), EACCES, 2)) ||
	    (r = expect(keyctl_assume_authority(t->target), ENOKEY, 3)) ||
	    (r = expect(keyctl_instantiate(t->target, "stolen", 6, 0), EPERM, 4)))
		return r;
	return 0;
}

static int member_try_authkey(void *arg)
{
	if (keyctl_join_session_keyring(NULL) < 0)
		return 90;
	return try_authkey(arg);
}

TEST_F(keys, authkey_is_the_managers)
{
	struct ask a = { "user", "debug:cfd-theft", "c", .want = "honest", .own_session = true };
	struct keyctl_container_request req = {};
	struct thief t;
	key_serial_t queue;
	pid_t pid, other;

	queue = new_queue();
	ASSERT_GT(queue, 0);
	ASSERT_EQ(k_intercept(self->box.cfd, "user", queue, 0, 0), 0);
	/* Even granted to the container, the queue gives members no authority. */
	ASSERT_EQ(k_link(self->box.cfd, queue), 0);
	pid = member_start(self->box.cfd, member_ask, &a, NULL);
	ASSERT_TRUE(wait_request(self->box.cfd, WAIT_MS));
	t.authkey = first_key(queue);
	ASSERT_EQ(k_query(t.authkey, &req), 0);
	t.target = req.key;

	/* Another member: the requester's peer. */
	EXPECT_EQ(member_run(self->box.cfd, member_try_authkey, &t), 0);
	/* Root on the host, in a session keyring without the queue. */
	other = fork();
	ASSERT_GE(other, 0);
	if (other == 0)
		_exit(keyctl_join_session_keyring(NULL) < 0 ? 90 : try_authkey(&t));
	EXPECT_EQ(cfd_wait(other), 0);

	EXPECT_EQ(answer(t.authkey, "honest"), 0);
	EXPECT_EQ(cfd_wait(pid), 0);
}

/* A member cannot pass its request off as another container's. */
static int member_forge(void *arg)
{
	key_serial_t queue = *(key_serial_t *)arg, own;
	struct ask a = { "user", "from-container-b", "container=b", .want = "seen",
			 .own_session = false };
	int r;

	if (keyctl_join_session_keyring(NULL) < 0)
		return 90;
	own = add_key("user", "cfd-fake", "x", 1, KEY_SPEC_SESSION_KEYRING);
	if ((r = expect(keyctl_link(own, queue), EACCES, 1)) ||
	    (r = expect(add_key("user", "fake", "x", 1, queue), EACCES, 2)))
		return r;
	return member_ask(&a) ? 3 : 0;
}

TEST_F(keys, requests_say_whose_they_are)
{
	struct keyctl_container_request req = {};
	struct container_info info;
	struct box b = { .cfd = -1 };
	key_serial_t queue;
	pid_t pid;

	queue = new_queue();
	ASSERT_GT(queue, 0);
	ASSERT_EQ(box_open(&b, CONTAINER_FLAGS, "cfd-b"), 0);
	ASSERT_EQ(cfd_info(b.cfd, &info), 0);
	ASSERT_NE(info.id, self->id);
	/* One queue serves both. */
	ASSERT_EQ(k_intercept(self->box.cfd, NULL, queue, 0, 0), 0);
	ASSERT_EQ(k_intercept(b.cfd, NULL, queue, 0, 0), 0);

	pid = member_start(self->box.cfd, member_forge, &queue, NULL);
	ASSERT_TRUE(wait_request(self->box.cfd, WAIT_MS));
	EXPECT_FALSE(wait_request(b.cfd, 0));
	ASSERT_EQ(k_query(first_key(queue), &req), 0);
	EXPECT_EQ(req.container_id, self->id);
	EXPECT_EQ(answer(first_key(queue), "seen"), 0);
	EXPECT_EQ(cfd_wait(pid), 0);
	box_close(&b);
}

/* A container nested in an intercepted one is not intercepted for it. */
static int member_nested_request(void *arg)
{
	struct ask refused = { "user", "debug:cfd-inner", "c", .err = ENOKEY,
			       .own_session = true };
	struct box inner = { .cfd = -1 };
	int r;

	if (box_open(&inner, CONTAINER_NEW_UTS_NS, NULL))
		return 90;
	r = member_run(inner.cfd, member_ask, &refused);
	box_close(&inner);
	return r;
}

TEST_F(keys, nested_requests_are_not_the_parents)
{
	key_serial_t queue = new_queue();

	ASSERT_GT(queue, 0);
	ASSERT_EQ(k_intercept(self->box.cfd, NULL, queue, 0, 0), 0);
	EXPECT_EQ(member_run(self->box.cfd, member_nested_request, NULL), 0);
	EXPECT_FALSE(wait_request(self->box.cfd, 0));
	EXPECT_EQ(keys_in(queue), 0);
}

/* The host's helper serves a container only if a host-privileged manager asks. */
TEST_F(keys, host_helper_on_request)
{
	struct ask host = { "user", "debug:cfd-optin", "optin", .want = "Debug optin",
			    .own_session = true };
	char buf[64];
	key_serial_t probe;
	pid_t pid;

	probe = request_key("user", "debug:cfd-probe", "p", KEY_SPEC_SESSION_KEYRING);
	if (probe < 0 || keyctl_read(probe, buf, sizeof(buf)) < 0)
		SKIP(return, "no /sbin/request-key debug rule on this system");
	ASSERT_EQ(k_intercept(self->box.cfd, "user", 0, 0, KEYCTL_CONTAINER_INTERCEPT_HOST), 0);
	EXPECT_EQ(member_run(self->box.cfd, member_ask, &host), 0);

	/* An unprivileged owner of a container may not ask for it. */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct box own = { .cfd = -1 };
		key_serial_t queue;

		if (cfd_drop_privs(CFD_NOBODY) || keyctl_join_session_keyring(NULL) < 0)
			_exit(90);
		if (box_open(&own, CONTAINER_NEW_USER_NS, NULL))
			_exit(91);
		queue = new_queue();
		if (expect(k_intercept(own.cfd, "user", 0, 0, KEYCTL_CONTAINER_INTERCEPT_HOST),
			   EPERM, 1) ||
		    expect(k_intercept(own.cfd, "user", queue, 0, 0), 0, 2))
			_exit(1);
		box_close(&own);
		_exit(0);
	}
	EXPECT_EQ(cfd_wait(pid), 0);
}

/*
 * An in-kernel requester: ceph resolves a monitor's name in its mount
 * source with the kernel's DNS resolver, from fsconfig(2), waiting
 * uninterruptibly.  The request is the kernel's (its own credentials, a
 * cache of its own), tagged with the member's network namespace.
 */
static int member_ceph(void *arg)
{
	const char *source = arg;
	int fd;

	fd = fsopen("ceph", FSOPEN_CLOEXEC);
	if (fd < 0)
		return errno == ENODEV ? 77 : 90;
	if (fsconfig(fd, FSCONFIG_SET_STRING, "source", source, 0) == 0)
		return 0;
	return errno ? errno : 91;
}

static bool have_ceph(void)
{
	int fd = fsopen("ceph", FSOPEN_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

TEST_F(keys, kernel_request_answered)
{
	struct keyctl_container_request req = {};
	char desc[64] = "";
	key_serial_t queue, authkey;
	int pidfd;
	pid_t pid;

	if (!have_ceph())
		SKIP(return, "no ceph filesystem in this kernel");
	queue = new_queue();
	ASSERT_GT(queue, 0);
	ASSERT_EQ(k_intercept(self->box.cfd, "dns_resolver", queue, 0, 0), 0);
	pid = member_start(self->box.cfd, member_ceph, "mon1.cfd.test:/", &pidfd);
	ASSERT_TRUE(wait_request(self->box.cfd, WAIT_MS));
	authkey = first_key(queue);
	req.description = (uintptr_t)desc;
	req.description_size = sizeof(desc);
	ASSERT_EQ(k_query(authkey, &req), 0);
	EXPECT_STREQ(req.type, "dns_resolver");
	EXPECT_STREQ(desc, "mon1.cfd.test");
	EXPECT_EQ(req.flags & KEYCTL_CONTAINER_REQUEST_KERNEL, KEYCTL_CONTAINER_REQUEST_KERNEL);
	EXPECT_EQ(answer(authkey, "192.0.2.7"), 0);
	ASSERT_TRUE(cfd_pidfd_exited(pidfd, WAIT_MS));
	EXPECT_EQ(cfd_wait(pid), 0);
}

TEST_F(keys, kernel_request_times_out)
{
	struct timespec t0;
	key_serial_t queue;
	int pidfd;
	pid_t pid;

	if (!have_ceph())
		SKIP(return, "no ceph filesystem in this kernel");
	queue = new_queue();
	ASSERT_GT(queue, 0);
	ASSERT_EQ(k_intercept(self->box.cfd, "dns_resolver", queue, 1, 0), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = member_start(self->box.cfd, member_ceph, "mon2.cfd.test:/", &pidfd);
	ASSERT_TRUE(wait_request(self->box.cfd, WAIT_MS));
	/* Nobody answers: the mount's parse fails, it does not hang. */
	ASSERT_TRUE(cfd_pidfd_exited(pidfd, WAIT_MS));
	EXPECT_NE(cfd_wait(pid), 0);
	EXPECT_GE(ms_since(&t0), 900);
}

TEST_F(keys, kernel_request_ends_with_the_queue)
{
	key_serial_t queue;
	int pidfd;
	pid_t pid;

	if (!have_ceph())
		SKIP(return, "no ceph filesystem in this kernel");
	queue = new_queue();
	ASSERT_GT(queue, 0);
	ASSERT_EQ(k_intercept(self->box.cfd, "dns_resolver", queue,
			      KEYCTL_CONTAINER_TIMEOUT_MAX, 0), 0);
	pid = member_start(self->box.cfd, member_ceph, "mon3.cfd.test:/", &pidfd);
	ASSERT_TRUE(wait_request(self->box.cfd, WAIT_MS));
	ASSERT_EQ(keyctl_unlink(queue, KEY_SPEC_SESSION_KEYRING), 0);
	ASSERT_TRUE(cfd_pidfd_exited(pidfd, WAIT_MS));
	EXPECT_NE(cfd_wait(pid), 0);
}

TEST_F(keys, kernel_request_ends_with_the_container)
{
	key_serial_t queue;
	int pidfd;
	pid_t pid;

	if (!have_ceph())
		SKIP(return, "no ceph filesystem in this kernel");
	queue = new_queue();
	ASSERT_GT(queue, 0);
	ASSERT_EQ(k_intercept(self->box.cfd, "dns_resolver", queue,
			      KEYCTL_CONTAINER_TIMEOUT_MAX, 0), 0);
	pid = member_start(self->box.cfd, member_ceph, "mon4.cfd.test:/", &pidfd);
	ASSERT_TRUE(wait_request(self->box.cfd, WAIT_MS));
	/* The member sleeps uninterruptibly: SIGKILL alone would not end it. */
	ASSERT_EQ(ioctl(self->box.cfd, CONTAINER_IOC_KILL, SIGKILL), 0);
	ASSERT_TRUE(cfd_pidfd_exited(pidfd, WAIT_MS));
	EXPECT_EQ(cfd_wait(pid), 128 + SIGKILL);
}

/*
 * A kernel request from a container sharing the host's network namespace,
 * whose manager has no CAP_SYS_ADMIN over it: the answer would land in the
 * host's DNS cache, so the manager is not asked.  With a network namespace
 * of the container's own, the same manager is.
 */
static int unprivileged_manager(bool own_net)
{
	uint64_t flags = CONTAINER_NEW_USER_NS | CONTAINER_NEW_FS_NS |
			 (own_net ? CONTAINER_NEW_NET_NS : 0);
	struct box b = { .cfd = -1 };
	key_serial_t queue;
	int pidfd, r;
	pid_t pid;

	if (cfd_drop_privs(CFD_NOBODY) || keyctl_join_session_keyring(NULL) < 0)
		return 90;
	if (box_open(&b, flags, NULL))
		return 91;
	queue = new_queue();
	if (queue < 0 || k_intercept(b.cfd, "dns_resolver", queue, 0, 0))
		return 92;
	pid = member_start(b.cfd, member_ceph, own_net ? "mon5.cfd.test:/" :
			   "mon6.cfd.test:/", &pidfd);
	if (pid < 0)
		return 93;
	if (own_net) {
		if (!wait_request(b.cfd, WAIT_MS))
			return 1;
		r = answer(first_key(queue), "192.0.2.8") ? 2 : 0;
	} else {
		if (!cfd_pidfd_exited(pidfd, WAIT_MS))
			return 3;
		r = wait_request(b.cfd, 0) || keys_in(queue) ? 4 : 0;
	}
	if (!r && !cfd_pidfd_exited(pidfd, WAIT_MS))
		r = 5;
	/* Answered: it parsed; refused: it failed at once. */
	if (!r && (cfd_wait(pid) == 0) != own_net)
		r = 6;
	box_close(&b);
	return r;
}

TEST(kernel_request_in_the_hosts_net_namespace)
{
	pid_t pid;

	SKIP_IF_NO_KEYS();
	if (!have_ceph())
		SKIP(return, "no ceph filesystem in this kernel");
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(unprivileged_manager(false));
	EXPECT_EQ(cfd_wait(pid), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(unprivileged_manager(true));
	EXPECT_EQ(cfd_wait(pid), 0);
}

TEST_HARNESS_MAIN
