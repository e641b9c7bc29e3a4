// SPDX-License-Identifier: GPL-2.0
/*
 * Nesting three deep: each level sees itself as ID 0, its descendants
 * numbered in its own ID space, and nothing above it; the host sees all.
 */
#include "cfd_util.h"

#include "kselftest_harness.h"

/* The lines of /proc/containers as "ID PARENT NAME" triples, joined. */
static int containers_view(char *out, size_t len)
{
	char line[256], id[32], parent[32], state[16], name[80];
	FILE *f = fopen("/proc/containers", "r");
	size_t used = 0;

	if (!f)
		return -1;
	out[0] = '\0';
	if (!fgets(line, sizeof(line), f) || strncmp(line, "ID PARENT", 9)) {
		fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		int pid, members;
		unsigned long long flags;

		if (sscanf(line, "%31s %31s %15s %d %d %llx %79s", id, parent,
			   state, &pid, &members, &flags, name) != 7)
			continue;
		used += snprintf(out + used, len - used, "%s:%s:%s ", id,
				 parent, name);
	}
	fclose(f);
	return 0;
}

static bool view_has(const char *entry)
{
	char view[4096];

	return !containers_view(view, sizeof(view)) && strstr(view, entry);
}

/* One level: check what it sees, go one deeper, report its pid. */
static int level(int depth, int cfd, int ready, int done)
{
	static const char *const names[] = { "A", "B", "C" };
	struct container_info info;
	char view[4096], want[64];
	int child_cfd;
	pid_t pid, me = getpid();

	/* Our own container: ID 0, parent invisible. */
	if (cfd_info(cfd, &info) || info.id != CONTAINER_ID_SELF ||
	    info.parent_id != CONTAINER_ID_NONE || info.level != 0)
		return 10 + depth;
	snprintf(want, sizeof(want), "0:-:%s ", names[depth]);
	if (containers_view(view, sizeof(view)) || strncmp(view, want, strlen(want)))
		return 20 + depth;
	/* Nothing from above or beside. */
	if (depth > 0 && strstr(view, ":A "))
		return 30 + depth;
	if (depth > 1 && strstr(view, ":B "))
		return 30 + depth;
	if (strstr(view, ":sibling "))
		return 40 + depth;

	if (write(ready, &me, sizeof(me)) != sizeof(me))
		return 50 + depth;
	if (depth == 2) {
		char c;

		read(done, &c, 1);	/* EOF when the host has looked */
		return 0;
	}

	child_cfd = cfd_create(CONTAINER_NEW_UTS_NS, names[depth + 1]);
	if (child_cfd < 0)
		return 60 + depth;
	/* The first child of this level is ID 1 here, parent 0 (us). */
	if (cfd_info(child_cfd, &info) || info.id != 1 ||
	    info.parent_id != CONTAINER_ID_SELF || info.level != 1)
		return 70 + depth;
	pid = cfd_fork(child_cfd, 0, NULL);
	if (pid < 0)
		return 80 + depth;
	if (pid == 0)
		_exit(level(depth + 1, child_cfd, ready, done));
	return cfd_wait(pid);
}

TEST(three_deep)
{
	struct container_info a, b, c;
	int ready[2], done[2], sib, cfd, pidfd, bfd, cfd3;
	pid_t pids[3], top;
	char entry[64];
	int i;

	SKIP_IF_UNSUPPORTED();

	ASSERT_EQ(pipe(ready), 0);
	ASSERT_EQ(pipe(done), 0);
	sib = cfd_create(0, "sibling");
	ASSERT_GE(sib, 0);
	cfd = cfd_create(CONTAINER_NEW_UTS_NS, "A");
	ASSERT_GE(cfd, 0);

	top = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(top, 0);
	if (top == 0) {
		close(ready[0]);
		close(done[1]);
		close(sib);
		_exit(level(0, cfd, ready[1], done[0]));
	}
	close(ready[1]);
	close(done[0]);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(read(ready[0], &pids[i], sizeof(pids[i])),
			  sizeof(pids[i])) TH_LOG("level %d did not come up", i);

	/* The host sees all three, IDs in its space, each parent visible. */
	ASSERT_EQ(cfd_info(cfd, &a), 0);
	EXPECT_EQ(a.level, 1);
	EXPECT_EQ(a.parent_id, CONTAINER_ID_SELF);
	pidfd = sys_pidfd_open(pids[1], 0);
	ASSERT_GE(pidfd, 0);
	bfd = ioctl(pidfd, PIDFD_GET_CONTAINER, 0);
	ASSERT_GE(bfd, 0);
	close(pidfd);
	pidfd = sys_pidfd_open(pids[2], 0);
	ASSERT_GE(pidfd, 0);
	cfd3 = ioctl(pidfd, PIDFD_GET_CONTAINER, 0);
	ASSERT_GE(cfd3, 0);
	close(pidfd);
	ASSERT_EQ(cfd_info(bfd, &b), 0);
	ASSERT_EQ(cfd_info(cfd3, &c), 0);
	EXPECT_STREQ(b.name, "B");
	EXPECT_STREQ(c.name, "C");
	EXPECT_EQ(b.level, 2);
	EXPECT_EQ(c.level, 3);
	EXPECT_EQ(b.parent_id, a.id);
	EXPECT_EQ(c.parent_id, b.id);
	EXPECT_NE(a.id, b.id);
	EXPECT_NE(b.id, c.id);
	snprintf(entry, sizeof(entry), "%llu:0:A ", (unsigned long long)a.id);
	EXPECT_TRUE(view_has(entry)) TH_LOG("missing %s", entry);
	snprintf(entry, sizeof(entry), "%llu:%llu:B ", (unsigned long long)b.id,
		 (unsigned long long)a.id);
	EXPECT_TRUE(view_has(entry)) TH_LOG("missing %s", entry);
	snprintf(entry, sizeof(entry), "%llu:%llu:C ", (unsigned long long)c.id,
		 (unsigned long long)b.id);
	EXPECT_TRUE(view_has(entry)) TH_LOG("missing %s", entry);

	close(done[1]);
	EXPECT_EQ(cfd_wait(top), 0);
	close(bfd);
	close(cfd3);
	close(cfd);
	close(sib);
}

/* A member's new container is always its own container's child. */
TEST(member_creates_only_below)
{
	pid_t pid;
	int cfd;

	SKIP_IF_UNSUPPORTED();

	cfd = cfd_create(0, "outer");
	ASSERT_GE(cfd, 0);
	pid = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct container_info info;
		int inner = cfd_create(0, "inner");

		if (inner < 0 || cfd_info(inner, &info))
			_exit(1);
		_exit(info.parent_id == CONTAINER_ID_SELF && info.level == 1 ? 0 : 2);
	}
	EXPECT_EQ(cfd_wait(pid), 0);
	close(cfd);
}

/* Nest @depth more levels below here; the one past the limit is refused. */
static int nest_below(int level)
{
	int cfd = cfd_create(0, NULL);
	pid_t pid;

	if (level == CONTAINER_MAX_DEPTH)
		return cfd == -1 && errno == ENOSPC ? 0 : 1;
	if (cfd < 0)
		return 2;
	pid = cfd_fork(cfd, 0, NULL);
	if (pid == 0)
		_exit(nest_below(level + 1));
	close(cfd);
	return pid < 0 ? 3 : cfd_wait(pid);
}

TEST(depth_is_limited)
{
	SKIP_IF_UNSUPPORTED();
	/* We are at level 0: levels 1 to CONTAINER_MAX_DEPTH may be made. */
	EXPECT_EQ(nest_below(0), 0);
}

TEST_HARNESS_MAIN
