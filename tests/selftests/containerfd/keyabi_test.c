// SPDX-License-Identifier: GPL-2.0
/*
 * The KEYCTL_CONTAINER_* ABI with raw keyctl(2) calls only, so that it
 * also builds as an i386 binary and goes through the compat entry point
 * (compat_keyctl) and the 32-bit layout of both structs.  keyring_test.c
 * tests the behaviour; this, every command once, argument by argument.
 */
#include "cfd_util.h"

#include <linux/keyctl.h>

#include "kselftest_harness.h"

#ifndef __NR_add_key
#error "no __NR_add_key"
#endif

static long sys_keyctl(int cmd, unsigned long a2, unsigned long a3,
		       unsigned long a4, unsigned long a5)
{
	return syscall(__NR_keyctl, cmd, a2, a3, a4, a5);
}

static int32_t sys_add_key(const char *type, const char *desc,
			   const void *payload, size_t len, int32_t ring)
{
	return syscall(__NR_add_key, type, desc, payload, len, ring);
}

static int32_t sys_request_key(const char *type, const char *desc,
			       const char *callout, int32_t ring)
{
	return syscall(__NR_request_key, type, desc, callout, ring);
}

/* A member that asks for "user" @desc with @callout: 0 if it reads @want. */
static int member(const char *desc, const char *callout, const char *want)
{
	char buf[64] = "";
	int32_t key;
	long n;

	if (sys_keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0) < 0)
		return 90;
	key = sys_request_key("user", desc, callout,
			      callout ? KEY_SPEC_SESSION_KEYRING : 0);
	if (key < 0)
		return 1;
	n = sys_keyctl(KEYCTL_READ, key, (unsigned long)buf, sizeof(buf) - 1, 0);
	if (n < 0)
		return 2;
	buf[n] = '\0';
	return strcmp(buf, want) ? 3 : 0;
}

TEST(every_command)
{
	struct keyctl_container_intercept icpt = {};
	struct keyctl_container_request req;
	struct container_info info;
	struct pollfd p = { .events = POLLPRI };
	int32_t ring, key, queue, authkey;
	unsigned char caps[2] = {};
	char desc[32];
	int cfd;
	pid_t init, pid;

	if (access("/proc/containers", F_OK))
		SKIP(return, "kernel has no container objects");
	ASSERT_EQ(sys_keyctl(KEYCTL_CAPABILITIES, (unsigned long)caps, 2, 0, 0), 2);
	if (!(caps[1] & KEYCTL_CAPS1_CONTAINER))
		SKIP(return, "kernel has no container keyrings");
	ASSERT_GT(sys_keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0), 0);

	cfd = cfd_create(CONTAINER_NEW_UTS_NS | CONTAINER_NEW_IPC_NS, NULL);
	ASSERT_GE(cfd, 0);
	init = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(init, 0);
	if (init == 0) {
		for (;;)
			pause();
	}
	p.fd = cfd;

	/* 33 */
	ring = sys_keyctl(KEYCTL_CONTAINER_KEYRING, cfd, 0, 0, 0);
	ASSERT_GT(ring, 0);
	EXPECT_EQ(sys_keyctl(KEYCTL_CONTAINER_KEYRING, cfd, 0, 1, 0), -1);
	EXPECT_EQ(errno, EINVAL);

	/* 34, 35 */
	key = sys_add_key("user", "abi-key", "abi", 3, KEY_SPEC_SESSION_KEYRING);
	ASSERT_GT(key, 0);
	ASSERT_EQ(sys_keyctl(KEYCTL_CONTAINER_LINK, cfd, key, 0, 0), 0);
	pid = cfd_fork(cfd, 0, NULL);
	if (pid == 0)
		_exit(member("abi-key", NULL, "abi"));
	EXPECT_EQ(cfd_wait(pid), 0);
	ASSERT_EQ(sys_keyctl(KEYCTL_CONTAINER_UNLINK, cfd, key, 0, 0), 0);
	EXPECT_EQ(sys_keyctl(KEYCTL_CONTAINER_UNLINK, cfd, key, 0, 0), -1);
	EXPECT_EQ(errno, ENOENT);

	/* 36: the struct as this ABI lays it out */
	queue = sys_add_key("keyring", "abi-queue", NULL, 0, KEY_SPEC_SESSION_KEYRING);
	ASSERT_GT(queue, 0);
	icpt.type = (uintptr_t)"user";
	icpt.queue = queue;
	icpt.timeout = 60;
	ASSERT_EQ(sizeof(icpt), KEYCTL_CONTAINER_INTERCEPT_SIZE_VER0);
	ASSERT_EQ(sys_keyctl(KEYCTL_CONTAINER_INTERCEPT, cfd, (unsigned long)&icpt,
			     sizeof(icpt), 0), 0);

	pid = cfd_fork(cfd, 0, NULL);
	if (pid == 0)
		_exit(member("abi-asked", "abi-callout", "abi-answer"));
	ASSERT_EQ(poll(&p, 1, 20000), 1);
	ASSERT_TRUE(p.revents & POLLPRI);
	ASSERT_EQ(sys_keyctl(KEYCTL_READ, queue, (unsigned long)&authkey,
			     sizeof(authkey), 0), sizeof(authkey));

	/* 37: every field, through this ABI */
	memset(&req, 0, sizeof(req));
	memset(desc, 'x', sizeof(desc));
	req.description = (uintptr_t)desc;
	req.description_size = sizeof(desc);
	ASSERT_EQ(sizeof(req), KEYCTL_CONTAINER_REQUEST_SIZE_VER0);
	ASSERT_EQ(sys_keyctl(KEYCTL_CONTAINER_QUERY, authkey, (unsigned long)&req,
			     sizeof(req), 0), 0);
	EXPECT_STREQ(desc, "abi-asked");
	EXPECT_EQ(req.description_len, 10);
	EXPECT_STREQ(req.type, "user");
	ASSERT_EQ(cfd_info(cfd, &info), 0);
	EXPECT_EQ(req.container_id, info.id);
	EXPECT_EQ(req.pid, pid);
	EXPECT_EQ(req.uid, 0);
	EXPECT_EQ(req.gid, 0);
	EXPECT_EQ(req.callout_len, strlen("abi-callout"));
	EXPECT_GT(req.session_keyring, 0);
	EXPECT_GT(req.timeout, 0);
	EXPECT_LE(req.timeout, 60);
	EXPECT_EQ(req.flags, 0);

	/* It returns the serial of the authorisation key it assumed. */
	ASSERT_GT(sys_keyctl(KEYCTL_ASSUME_AUTHORITY, req.key, 0, 0, 0), 0);
	ASSERT_EQ(sys_keyctl(KEYCTL_INSTANTIATE, req.key, (unsigned long)"abi-answer",
			     10, 0), 0);
	EXPECT_EQ(cfd_wait(pid), 0);

	/* 36 again: removal */
	memset(&icpt, 0, sizeof(icpt));
	icpt.type = (uintptr_t)"user";
	EXPECT_EQ(sys_keyctl(KEYCTL_CONTAINER_INTERCEPT, cfd, (unsigned long)&icpt,
			     sizeof(icpt), 0), 0);
	EXPECT_EQ(sys_keyctl(KEYCTL_CONTAINER_INTERCEPT, cfd, (unsigned long)&icpt,
			     sizeof(icpt), 0), -1);
	EXPECT_EQ(errno, ENOENT);

	kill(init, SIGKILL);
	cfd_wait(init);
	close(cfd);
}

TEST_HARNESS_MAIN
