// SPDX-License-Identifier: GPL-2.0
/*
 * A container's life: init's death kills the members and hangs up the fd,
 * CONTAINER_KILL_ON_CLOSE kills on the last close, the kill ioctl, the exit
 * status, and PIDFD_GET_CONTAINER.
 */
#include "cfd_util.h"

#include <poll.h>

#include "kselftest_harness.h"

static pid_t fork_sleeper(int cfd)
{
	pid_t pid = cfd_fork(cfd, 0, NULL);

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static int poll_once(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, timeout_ms) < 0)
		return -1;
	return p.revents;
}

TEST(init_death_kills_and_hangs_up)
{
	struct container_info info;
	pid_t init, member;
	int cfd, go[2];
	char c;

	SKIP_IF_UNSUPPORTED();

	cfd = cfd_create(CONTAINER_NEW_UTS_NS, NULL);	/* no PID ns: ours does it */
	ASSERT_GE(cfd, 0);
	EXPECT_EQ(poll_once(cfd, 0), 0);

	/* init exits when told, not after a delay a slow guest may outlast. */
	ASSERT_EQ(pipe(go), 0);
	init = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(init, 0);
	if (init == 0)
		_exit(read(go[0], &c, 1) == 1 ? 7 : 1);
	member = fork_sleeper(cfd);
	ASSERT_GE(member, 0);
	EXPECT_EQ(poll_once(cfd, 0), 0);
	ASSERT_EQ(write(go[1], "x", 1), 1);
	close(go[0]);
	close(go[1]);

	/* POLLHUP once init exits, and the member is gone too. */
	EXPECT_EQ(poll_once(cfd, 5000) & (POLLHUP | POLLIN), POLLHUP | POLLIN);
	EXPECT_EQ(cfd_wait(init), 7);
	EXPECT_EQ(cfd_wait(member), 128 + SIGKILL);

	ASSERT_EQ(cfd_info(cfd, &info), 0);
	EXPECT_EQ(info.state, CONTAINER_STATE_DEAD);
	EXPECT_TRUE(WIFEXITED(info.exit_status));
	EXPECT_EQ(WEXITSTATUS(info.exit_status), 7);
	EXPECT_EQ(info.nr_members, 0);

	/* Dead stays dead: nothing more gets in. */
	EXPECT_EQ(cfd_fork(cfd, 0, NULL), -1);
	EXPECT_EQ(errno, ESRCH);
	close(cfd);
}

TEST(exit_status_of_a_signal)
{
	struct container_info info;
	pid_t init;
	int cfd;

	SKIP_IF_UNSUPPORTED();

	cfd = cfd_create(CONTAINER_NEW_PID_NS, NULL);
	ASSERT_GE(cfd, 0);
	init = fork_sleeper(cfd);
	ASSERT_GE(init, 0);
	kill(init, SIGKILL);
	EXPECT_EQ(cfd_wait(init), 128 + SIGKILL);
	ASSERT_EQ(cfd_info(cfd, &info), 0);
	EXPECT_EQ(info.state, CONTAINER_STATE_DEAD);
	EXPECT_TRUE(WIFSIGNALED(info.exit_status));
	EXPECT_EQ(WTERMSIG(info.exit_status), SIGKILL);
	close(cfd);
}

/* The state of the container @pidfd's process is in, through a new fd. */
static int state_via_pidfd(int pidfd)
{
	struct container_info info;
	int fd = ioctl(pidfd, PIDFD_GET_CONTAINER, 0);

	if (fd < 0)
		return -1;
	if (cfd_info(fd, &info))
		info.state = -1;
	close(fd);
	return info.state;
}

/*
 * Not killed: the process answers a question asked afterwards (a SIGKILL
 * sent meanwhile would have been acted on first), and its container is
 * still running (a dying one is marked dead before any killing starts).
 */
#define EXPECT_NOT_KILLED(r)						\
	do {								\
		EXPECT_TRUE(cfd_responder_answers(r));			\
		EXPECT_EQ(waitpid((r)->pid, NULL, WNOHANG), 0);		\
		EXPECT_EQ(state_via_pidfd((r)->pidfd), CONTAINER_STATE_RUNNING); \
	} while (0)

/* "Last close" is the file's: a copy inherited by a member holds it too. */
TEST(kill_on_close_counts_every_reference)
{
	struct cfd_responder init;
	int cfd;

	SKIP_IF_UNSUPPORTED();

	cfd = cfd_create(CONTAINER_NEW_PID_NS | CONTAINER_KILL_ON_CLOSE, NULL);
	ASSERT_GE(cfd, 0);
	/* Keeps its copy of cfd. */
	ASSERT_GE(cfd_fork_responder(cfd, &init, -1), 0);
	ASSERT_TRUE(cfd_responder_ready(&init));
	close(cfd);
	EXPECT_NOT_KILLED(&init);
	kill(init.pid, SIGKILL);
	EXPECT_EQ(cfd_wait(init.pid), 128 + SIGKILL);
	cfd_responder_close(&init);
}

/* The real case: the members never saw the fd (closed before fork-in). */
TEST(kill_on_close_kills)
{
	struct cfd_responder init, member;
	int cfd;

	SKIP_IF_UNSUPPORTED();

	cfd = cfd_create(CONTAINER_NEW_PID_NS | CONTAINER_KILL_ON_CLOSE, NULL);
	ASSERT_GE(cfd, 0);
	/* Both close their copies before saying they are ready. */
	ASSERT_GE(cfd_fork_responder(cfd, &init, cfd), 0);
	ASSERT_GE(cfd_fork_responder(cfd, &member, cfd), 0);
	ASSERT_TRUE(cfd_responder_ready(&init));
	ASSERT_TRUE(cfd_responder_ready(&member));
	EXPECT_NOT_KILLED(&init);
	close(cfd);
	/* Member first: a PID namespace init waits for its namespace to be reaped. */
	EXPECT_EQ(cfd_wait(member.pid), 128 + SIGKILL);
	EXPECT_EQ(cfd_wait(init.pid), 128 + SIGKILL);
	cfd_responder_close(&member);
	cfd_responder_close(&init);
}

TEST(no_kill_without_the_flag)
{
	struct cfd_responder init;
	int cfd;

	SKIP_IF_UNSUPPORTED();

	cfd = cfd_create(CONTAINER_NEW_PID_NS, NULL);
	ASSERT_GE(cfd, 0);
	/* init closes its copy first: ours is the last. */
	ASSERT_GE(cfd_fork_responder(cfd, &init, cfd), 0);
	ASSERT_TRUE(cfd_responder_ready(&init));
	close(cfd);
	EXPECT_NOT_KILLED(&init);
	kill(init.pid, SIGKILL);
	EXPECT_EQ(cfd_wait(init.pid), 128 + SIGKILL);
	cfd_responder_close(&init);
}

TEST(kill_ioctl)
{
	struct cfd_responder init, member;
	struct container_info info;
	int cfd;

	SKIP_IF_UNSUPPORTED();

	cfd = cfd_create(CONTAINER_NEW_PID_NS, NULL);
	ASSERT_GE(cfd, 0);
	/* Nobody in yet. */
	EXPECT_EQ(ioctl(cfd, CONTAINER_IOC_KILL, SIGTERM), -1);
	EXPECT_EQ(errno, ESRCH);
	EXPECT_EQ(ioctl(cfd, CONTAINER_IOC_KILL, 65), -1);
	EXPECT_EQ(errno, EINVAL);

	ASSERT_GE(cfd_fork_responder(cfd, &init, -1), 0);
	ASSERT_GE(cfd_fork_responder(cfd, &member, -1), 0);
	ASSERT_TRUE(cfd_responder_ready(&init));
	ASSERT_TRUE(cfd_responder_ready(&member));
	/* Signal 0 probes. */
	EXPECT_EQ(ioctl(cfd, CONTAINER_IOC_KILL, 0), 0);
	EXPECT_TRUE(cfd_responder_answers(&member));
	EXPECT_EQ(waitpid(member.pid, NULL, WNOHANG), 0);

	EXPECT_EQ(ioctl(cfd, CONTAINER_IOC_KILL, SIGTERM), 0);
	EXPECT_EQ(cfd_wait(member.pid), 128 + SIGTERM);
	/* A PID namespace's init takes only SIGKILL from outside. */
	EXPECT_TRUE(cfd_responder_answers(&init));
	EXPECT_EQ(waitpid(init.pid, NULL, WNOHANG), 0);
	EXPECT_EQ(ioctl(cfd, CONTAINER_IOC_KILL, SIGKILL), 0);
	EXPECT_EQ(cfd_wait(init.pid), 128 + SIGKILL);
	ASSERT_EQ(cfd_info(cfd, &info), 0);
	EXPECT_EQ(info.state, CONTAINER_STATE_DEAD);
	cfd_responder_close(&member);
	cfd_responder_close(&init);
	close(cfd);
}

TEST(pidfd_get_container)
{
	struct container_info info, info2;
	int cfd, cfd2, pidfd, self;
	pid_t init;

	SKIP_IF_UNSUPPORTED();

	cfd = cfd_create(CONTAINER_NEW_PID_NS, "byproc");
	ASSERT_GE(cfd, 0);
	init = fork_sleeper(cfd);
	ASSERT_GE(init, 0);
	pidfd = sys_pidfd_open(init, 0);
	ASSERT_GE(pidfd, 0);
	cfd2 = ioctl(pidfd, PIDFD_GET_CONTAINER, 0);
	ASSERT_GE(cfd2, 0) TH_LOG("PIDFD_GET_CONTAINER: %s", strerror(errno));
	EXPECT_EQ(fcntl(cfd2, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ASSERT_EQ(cfd_info(cfd, &info), 0);
	ASSERT_EQ(cfd_info(cfd2, &info2), 0);
	EXPECT_EQ(info.id, info2.id);
	EXPECT_STREQ(info2.name, "byproc");

	/* We are in the root container, which has no fd. */
	self = sys_pidfd_open(getpid(), 0);
	ASSERT_GE(self, 0);
	EXPECT_EQ(ioctl(self, PIDFD_GET_CONTAINER, 0), -1);
	EXPECT_EQ(errno, ENOENT);
	/* arg must be 0, as for every pidfd ioctl. */
	EXPECT_EQ(ioctl(pidfd, PIDFD_GET_CONTAINER, 1), -1);
	EXPECT_EQ(errno, EINVAL);
	close(self);

	kill(init, SIGKILL);
	cfd_wait(init);
	close(pidfd);
	close(cfd2);
	close(cfd);
}

TEST_HARNESS_MAIN
