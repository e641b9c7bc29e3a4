// SPDX-License-Identifier: GPL-2.0
/*
 * Containers in the host's audit log (CONFIG_CONTAINER_AUDIT): the records
 * of a container's life, the container of a member in each of its events
 * and in the events that signal or trace it, the container session, the
 * AUDIT_CONTAINER rule field on the exit, user and exclude filters, and
 * that nothing a member does changes what the host sees of it.
 *
 * Records are read as audit's multicast readers get them
 * (AUDIT_NLGRP_READLOG), beside any audit daemon; rules go through
 * libaudit.  Only processes forked after audit was turned on have an audit
 * context, so every audited syscall here is made by a process forked after
 * the fixture's setup.  "Not logged" is told by a later event that is: the
 * kernel queues records in order, so once the later one is here, the
 * earlier one would be too.
 */
#include "cfd_util.h"

#include <libaudit.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "kselftest_harness.h"

#ifndef AUDIT_CONTAINER_OP
#define AUDIT_CONTAINER_OP 1340
#endif
#ifndef AUDIT_CONTAINER_ID
#define AUDIT_CONTAINER_ID 1341
#endif
#ifndef AUDIT_CONTAINER
#define AUDIT_CONTAINER 28
#endif
#ifndef AUDIT_FEATURE_BITMAP_CONTAINER
#define AUDIT_FEATURE_BITMAP_CONTAINER 0x80
#endif
#ifndef PIDFD_GET_CONTAINER
#define PIDFD_GET_CONTAINER _IO(0xFF, 11)
#endif

/* getpgid(tag): a harmless syscall whose a0 names the event. */
#define PROBE_BASE	0xcfd0000UL	/* the fixture's rule logs these */
#define QUIET_BASE	0xcfd8000UL	/* only the tests' own rules do */
#define QUIET_END	0xcfd9000UL
#define SENTINEL_BASE	(PROBE_BASE + 0x7000)

#define WAIT_MS		20000

/* ---- Records, as the multicast group delivers them ---- */

#define MAX_RECS 8192
#define REC_LEN 1024

struct rec {
	int type;
	unsigned int serial;
	char text[REC_LEN];
};

static struct rec *recs;
static int nrecs;
static int mc_fd = -1;
static bool mc_overrun;

static int mc_open(void)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1 << (AUDIT_NLGRP_READLOG - 1),
	};
	int size = 16 << 20;

	mc_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (mc_fd < 0)
		return -1;
	setsockopt(mc_fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	if (bind(mc_fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	recs = calloc(MAX_RECS, sizeof(*recs));
	return recs ? 0 : -1;
}

/* Take in what arrives within @ms: false when nothing did. */
static bool mc_read(int ms)
{
	char buf[REC_LEN + NLMSG_HDRLEN + 64];
	struct pollfd p = { .fd = mc_fd, .events = POLLIN };
	struct nlmsghdr *nlh = (void *)buf;
	struct rec *r;
	ssize_t n;

	if (poll(&p, 1, ms) != 1)
		return false;
	n = recv(mc_fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	if (n < 0) {
		if (errno == ENOBUFS)
			mc_overrun = true;
		return false;
	}
	if (n < NLMSG_HDRLEN || nrecs == MAX_RECS)
		return true;
	r = &recs[nrecs++];
	r->type = nlh->nlmsg_type;
	n -= NLMSG_HDRLEN;
	if (n >= REC_LEN)
		n = REC_LEN - 1;
	memcpy(r->text, NLMSG_DATA(nlh), n);
	r->text[n] = '\0';
	if (sscanf(r->text, "audit(%*[^:]:%u)", &r->serial) != 1)
		r->serial = 0;
	return true;
}

/* The value of field @key of record @r, or false. */
static bool rec_field(const struct rec *r, const char *key, char *val,
		      size_t len)
{
	size_t kl = strlen(key);
	const char *p = strstr(r->text, "): ");

	for (p = p ? p + 3 : r->text; p && *p; p = strchr(p, ' '), p = p ? p + 1 : p) {
		if (strncmp(p, key, kl) || p[kl] != '=')
			continue;
		snprintf(val, len, "%.*s", (int)strcspn(p + kl + 1, " "), p + kl + 1);
		return true;
	}
	return false;
}

static bool rec_is(const struct rec *r, const char *key, const char *want)
{
	char val[256];

	return rec_field(r, key, val, sizeof(val)) && !strcmp(val, want);
}

static unsigned long rec_num(const struct rec *r, const char *key)
{
	char val[64];

	return rec_field(r, key, val, sizeof(val)) ? strtoul(val, NULL, 0) : ~0UL;
}

typedef bool (*rec_pred)(const struct rec *r, const void *arg);

/* The first record from index @from on that @pred accepts, waiting for it. */
static const struct rec *wait_rec(rec_pred pred, const void *arg, int from)
{
	struct timespec start, now;
	int i = from;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		long ms;

		for (; i < nrecs; i++)
			if (pred(&recs[i], arg))
				return &recs[i];
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = WAIT_MS - (now.tv_sec - start.tv_sec) * 1000 -
		     (now.tv_nsec - start.tv_nsec) / 1000000;
		if (ms <= 0 || mc_overrun)
			return NULL;
		mc_read(ms);
	}
}

static bool is_syscall_of(const struct rec *r, const void *arg)
{
	char a0[32];

	snprintf(a0, sizeof(a0), "%lx", *(const unsigned long *)arg);
	return r->type == AUDIT_SYSCALL && rec_is(r, "a0", a0);
}

static bool is_eoe_of(const struct rec *r, const void *arg)
{
	return r->type == AUDIT_EOE && r->serial == *(const unsigned int *)arg;
}

/* An event: the records of one serial. */
struct event {
	unsigned int serial;
	const struct rec *syscall;
	const struct rec *recs[32];
	int n;
};

static void event_gather(struct event *ev, unsigned int serial)
{
	int i;

	ev->serial = serial;
	ev->n = 0;
	for (i = 0; i < nrecs && ev->n < 32; i++)
		if (recs[i].serial == serial)
			ev->recs[ev->n++] = &recs[i];
}

/* The event of probe @tag, whole (up to its EOE record): 0, or -1. */
static int probe_event(unsigned long tag, struct event *ev)
{
	const struct rec *sc = wait_rec(is_syscall_of, &tag, 0);

	if (!sc)
		return -1;
	if (!wait_rec(is_eoe_of, &sc->serial, sc - recs))
		return -1;
	event_gather(ev, sc->serial);
	ev->syscall = sc;
	return 0;
}

/* The records of type @type in @ev; the first, and how many. */
static const struct rec *event_find(const struct event *ev, int type, int *count)
{
	const struct rec *first = NULL;
	int i, n = 0;

	for (i = 0; i < ev->n; i++) {
		if (ev->recs[i]->type != type)
			continue;
		if (!first)
			first = ev->recs[i];
		n++;
	}
	if (count)
		*count = n;
	return first;
}

static bool syscall_logged(unsigned long tag)
{
	int i;

	for (i = 0; i < nrecs; i++)
		if (is_syscall_of(&recs[i], &tag))
			return true;
	return false;
}

/* ---- Processes that make audited syscalls ---- */

static void probe(unsigned long tag)
{
	syscall(SYS_getpgid, tag);
}

/*
 * An agent: a process that probes the tags it is sent, and acks each; a
 * tag with AGENT_USER_MSG set sends a user message instead, AGENT_PING
 * only acks.  0 ends it.
 */
#define AGENT_USER_MSG (1UL << 40)
#define AGENT_PING 1UL

struct agent {
	pid_t pid;
	int cmd, ack;
};

/*
 * An agent keeps its own two pipe ends only: one that held another's
 * command pipe would keep that agent from seeing its end, and its stop
 * from returning.
 */
static void agent_close_others(int cmd, int ack)
{
	int fd;

	for (fd = 3; fd < 1024; fd++)
		if (fd != cmd && fd != ack)
			close(fd);
}

static int agent_loop(int cmd, int ack)
{
	unsigned long tag;
	char text[64];
	int afd = -1;

	while (read(cmd, &tag, sizeof(tag)) == sizeof(tag) && tag) {
		if (tag == AGENT_PING) {
			/* only the ack: it is ready */
		} else if (tag & AGENT_USER_MSG) {
			if (afd < 0)
				afd = audit_open();
			snprintf(text, sizeof(text), "cfdtest tag=%lx",
				 tag & ~AGENT_USER_MSG);
			audit_log_user_message(afd, AUDIT_USER, text, NULL,
					       NULL, NULL, 1);
		} else {
			probe(tag);
		}
		if (write(ack, "k", 1) != 1)
			return 1;
	}
	return 0;
}

/* Fork an agent, into @cfd if >= 0, else on the host: 0 or -1. */
static int agent_start(struct agent *a, int cfd)
{
	int cmd[2], ack[2];

	if (pipe2(cmd, O_CLOEXEC) || pipe2(ack, O_CLOEXEC))
		return -1;
	a->pid = cfd >= 0 ? cfd_fork(cfd, 0, NULL) : fork();
	if (a->pid < 0)
		return -1;
	if (a->pid == 0) {
		agent_close_others(cmd[0], ack[1]);
		_exit(agent_loop(cmd[0], ack[1]));
	}
	close(cmd[0]);
	close(ack[1]);
	a->cmd = cmd[1];
	a->ack = ack[0];
	return 0;
}

static int agent_do(struct agent *a, unsigned long tag)
{
	char c;

	if (write(a->cmd, &tag, sizeof(tag)) != sizeof(tag))
		return -1;
	return read(a->ack, &c, 1) == 1 ? 0 : -1;
}

static int agent_stop(struct agent *a)
{
	close(a->cmd);
	close(a->ack);
	return cfd_wait(a->pid);
}

/* Fork a host process that probes @tag, and wait for it. */
static int host_probe(unsigned long tag)
{
	pid_t pid = fork();

	if (pid == 0) {
		probe(tag);
		_exit(0);
	}
	return pid > 0 ? cfd_wait(pid) : -1;
}

/* Everything logged before now is in: a later event has arrived. */
static int records_settled(void)
{
	static unsigned long next = SENTINEL_BASE;
	struct event ev;
	unsigned long tag = next++;

	if (host_probe(tag))
		return -1;
	return probe_event(tag, &ev);
}

/* ---- Rules, through libaudit ---- */

#define MAX_RULES 16

FIXTURE(audit) {
	int fd;
	int was_enabled;
	int nrules;
	struct audit_rule_data *rules[MAX_RULES];
	int lists[MAX_RULES], actions[MAX_RULES];
};

/*
 * The rule's key, as auditctl -k gives it.  Not through
 * audit_rule_fieldpair_data(): it refuses a key unless auditctl's own
 * globals say a syscall was added first (EAU_KEYDEP).
 */
static int rule_key(struct audit_rule_data **rule, const char *key)
{
	size_t len = strlen(key);
	struct audit_rule_data *r;
	int i = (*rule)->field_count;

	if (!len || len > AUDIT_MAX_KEY_LEN || i >= AUDIT_MAX_FIELDS)
		return -EPROTO;
	r = realloc(*rule, sizeof(*r) + (*rule)->buflen + len);
	if (!r)
		return -ENOMEM;
	memcpy(r->buf + r->buflen, key, len);
	r->fields[i] = AUDIT_FILTERKEY;
	r->values[i] = len;
	r->fieldflags[i] = AUDIT_EQUAL;
	r->buflen += len;
	r->field_count++;
	*rule = r;
	return 0;
}

/*
 * A rule on @list: @syscall (exit list) and the auditctl-style @pairs, then
 * AUDIT_CONTAINER with the operator @op (0: none) and @contid.  Kept for
 * the teardown to delete.  0 or -errno.
 */
static int rule_build(struct audit_rule_data **rulep, int list,
		      const char *syscall, const char *const *pairs, int op,
		      unsigned int contid)
{
	struct audit_rule_data *rule = audit_rule_create_data();
	int ret;

	*rulep = NULL;
	if (!rule)
		return -ENOMEM;
	/* libaudit's refusals are -EPROTO: never the kernel's -EINVAL. */
	if (syscall && audit_rule_syscallbyname_data(rule, syscall) < 0)
		return -EPROTO;
	for (; pairs && *pairs; pairs++) {
		char pair[128];

		if (!strncmp(*pairs, "key=", 4)) {
			ret = rule_key(&rule, *pairs + 4);
			if (ret)
				return ret;
			continue;
		}
		snprintf(pair, sizeof(pair), "%s", *pairs);
		if (audit_rule_fieldpair_data(&rule, pair, list) < 0) {
			ksft_print_msg("libaudit refused \"%s\"\n", *pairs);
			return -EPROTO;
		}
	}
	if (op) {
		rule->fields[rule->field_count] = AUDIT_CONTAINER;
		rule->values[rule->field_count] = contid;
		rule->fieldflags[rule->field_count] = op;
		rule->field_count++;
	}
	*rulep = rule;
	return 0;
}

static int rule_add(FIXTURE_DATA(audit) *self, int list, int action,
		    const char *syscall, const char *const *pairs, int op,
		    unsigned int contid)
{
	struct audit_rule_data *rule;
	int ret;

	ret = rule_build(&rule, list, syscall, pairs, op, contid);
	if (ret)
		return ret;
	ret = audit_add_rule_data(self->fd, rule, list, action);
	if (ret < 0) {
		audit_rule_free_data(rule);
		return ret;
	}
	self->rules[self->nrules] = rule;
	self->lists[self->nrules] = list;
	self->actions[self->nrules] = action;
	self->nrules++;
	return 0;
}

static void rules_delete(FIXTURE_DATA(audit) *self)
{
	int ret;

	while (self->nrules > 0) {
		self->nrules--;
		ret = audit_delete_rule_data(self->fd, self->rules[self->nrules],
					     self->lists[self->nrules],
					     self->actions[self->nrules]);
		if (ret < 0)
			ksft_print_msg("teardown: rule %d not deleted: %s\n",
				       self->nrules, strerror(-ret));
		audit_rule_free_data(self->rules[self->nrules]);
	}
}

/* The fixture's probe rule: getpgid() with a0 in [PROBE_BASE, QUIET_BASE). */
struct probe_pairs {
	char lo[40], hi[40];
	const char *pairs[4];
};

static const char *const *probe_pairs(struct probe_pairs *p)
{
	snprintf(p->lo, sizeof(p->lo), "a0>=%lu", PROBE_BASE);
	snprintf(p->hi, sizeof(p->hi), "a0<%lu", QUIET_BASE);
	p->pairs[0] = "arch=b64";
	p->pairs[1] = p->lo;
	p->pairs[2] = p->hi;
	p->pairs[3] = NULL;
	return p->pairs;
}

static int probe_rule_add(FIXTURE_DATA(audit) *self)
{
	struct probe_pairs p;

	return rule_add(self, AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "getpgid",
			probe_pairs(&p), 0, 0);
}

/*
 * A case the harness killed (its time ran out) had no teardown: take back
 * the probe rule it left, or every later case fails with EEXIST.
 */
static void stale_probe_rule_delete(int fd)
{
	struct audit_rule_data *rule;
	struct probe_pairs p;

	if (rule_build(&rule, AUDIT_FILTER_EXIT, "getpgid", probe_pairs(&p), 0, 0))
		return;
	if (audit_delete_rule_data(fd, rule, AUDIT_FILTER_EXIT, AUDIT_ALWAYS) >= 0)
		ksft_print_msg("deleted the probe rule an earlier case left\n");
	audit_rule_free_data(rule);
}

/* A rule on the quiet probes, limited by AUDIT_CONTAINER. */
static int quiet_rule_add(FIXTURE_DATA(audit) *self, int op, unsigned int contid)
{
	char lo[40], hi[40];
	const char *pairs[] = { "arch=b64", lo, hi, NULL };

	snprintf(lo, sizeof(lo), "a0>=%lu", QUIET_BASE);
	snprintf(hi, sizeof(hi), "a0<%lu", QUIET_END);
	return rule_add(self, AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "getpgid",
			pairs, op, contid);
}

static int feature_bitmap(int fd)
{
	struct audit_reply rep;
	int ret;

	if (audit_request_status(fd) < 0)
		return -1;
	do {
		ret = audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0);
	} while (ret > 0 && rep.type != AUDIT_GET);
	return ret > 0 ? (int)rep.status->feature_bitmap : -1;
}

/* Is CONFIG_@opt=y in /proc/config.gz?  1, 0, or -1 when unknown. */
static int kconfig_has(const char *opt)
{
	char cmd[128];
	int ret;

	if (access("/proc/config.gz", R_OK))
		return -1;
	snprintf(cmd, sizeof(cmd), "zcat /proc/config.gz | grep -qx 'CONFIG_%s=y'", opt);
	ret = system(cmd);
	return WIFEXITED(ret) ? WEXITSTATUS(ret) == 0 : -1;
}

FIXTURE_SETUP(audit)
{
	int features;

	self->fd = -1;
	self->nrules = 0;
	self->was_enabled = 1;
	if (access("/proc/containers", F_OK))
		SKIP(return, "no /proc/containers: a kernel without container objects");
	if (geteuid())
		SKIP(return, "audit needs root");
	set_aumessage_mode(MSG_QUIET, DBG_NO);
	self->fd = audit_open();
	if (self->fd < 0)
		SKIP(return, "no audit in this kernel");
	features = feature_bitmap(self->fd);
	ASSERT_GE(features, 0);
	if (!(features & AUDIT_FEATURE_BITMAP_CONTAINER)) {
		/* Built in, it must announce itself. */
		ASSERT_NE(1, kconfig_has("CONTAINER_AUDIT"));
		SKIP(return, "kernel without CONFIG_CONTAINER_AUDIT");
	}
	self->was_enabled = audit_is_enabled(self->fd);
	if (self->was_enabled == 2)
		SKIP(return, "audit is locked (-e 2)");
	ASSERT_GE(audit_set_enabled(self->fd, 1), 0);
	ASSERT_EQ(0, mc_open());
	stale_probe_rule_delete(self->fd);
	ASSERT_EQ(0, probe_rule_add(self));
}

FIXTURE_TEARDOWN(audit)
{
	if (self->fd < 0)
		return;
	ksft_print_msg("teardown: %d rules\n", self->nrules);
	rules_delete(self);
	if (self->was_enabled == 0)
		audit_set_enabled(self->fd, 0);
	audit_close(self->fd);
	EXPECT_FALSE(mc_overrun);
}

/* ---- Helpers on containers ---- */

static unsigned int host_id(int cfd)
{
	struct container_info info;

	return cfd_info(cfd, &info) ? 0 : (unsigned int)info.id;
}

static int new_container(const char *name)
{
	return cfd_create(CONTAINER_NEW_UTS_NS | CONTAINER_NEW_IPC_NS |
			  CONTAINER_KILL_ON_CLOSE, name);
}

static char *str(const char *fmt, ...)
{
	static char bufs[8][128];
	static int n;
	char *b = bufs[n++ % 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(bufs[0]), fmt, ap);
	va_end(ap);
	return b;
}

/* The CONTAINER_ID record of the acting task in @ev, or NULL. */
static const struct rec *subject_of(const struct event *ev, int *count)
{
	const struct rec *r = NULL;
	int i, n = 0;

	for (i = 0; i < ev->n; i++) {
		char v[32];

		if (ev->recs[i]->type != AUDIT_CONTAINER_ID ||
		    rec_field(ev->recs[i], "opid", v, sizeof(v)))
			continue;
		if (!r)
			r = ev->recs[i];
		n++;
	}
	if (count)
		*count = n;
	return r;
}

struct op_want {
	const char *op;
	unsigned int contid;
	long opid;	/* -1: any */
};

static bool is_op(const struct rec *r, const void *arg)
{
	const struct op_want *w = arg;

	return r->type == AUDIT_CONTAINER_OP && rec_is(r, "op", w->op) &&
	       rec_num(r, "contid") == w->contid &&
	       (w->opid < 0 || rec_num(r, "opid") == (unsigned long)w->opid);
}

static const struct rec *wait_op(const char *op, unsigned int contid, long opid)
{
	struct op_want w = { op, contid, opid };

	return wait_rec(is_op, &w, 0);
}

/* Among the records in already, without waiting. */
static const struct rec *find_op(const char *op, unsigned int contid, long opid)
{
	struct op_want w = { op, contid, opid };
	int i;

	for (i = 0; i < nrecs; i++)
		if (is_op(&recs[i], &w))
			return &recs[i];
	return NULL;
}

/* ---- The tests ---- */

TEST_F(audit, feature_bit_announces_the_field)
{
	EXPECT_TRUE(feature_bitmap(self->fd) & AUDIT_FEATURE_BITMAP_CONTAINER);
}

/* The field on the lists it belongs to, and nowhere else. */
TEST_F(audit, rule_field_validation)
{
	const char *key[] = { "key=cfdtest-valid", NULL };
	int cfd, status;
	pid_t pid;

	EXPECT_EQ(0, rule_add(self, AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "getpgid",
			      key, AUDIT_EQUAL, 4242));
	EXPECT_EQ(0, rule_add(self, AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "getpgid",
			      key, AUDIT_NOT_EQUAL, 0));
	EXPECT_EQ(0, rule_add(self, AUDIT_FILTER_USER, AUDIT_NEVER, NULL, NULL,
			      AUDIT_EQUAL, 4243));
	EXPECT_EQ(0, rule_add(self, AUDIT_FILTER_EXCLUDE, AUDIT_ALWAYS, NULL,
			      NULL, AUDIT_EQUAL, 4244));
	/* The task list runs before a child is in its container. */
	EXPECT_EQ(-EINVAL, rule_add(self, AUDIT_FILTER_TASK, AUDIT_NEVER, NULL,
				    NULL, AUDIT_EQUAL, 4242));
	EXPECT_EQ(-EINVAL, rule_add(self, AUDIT_FILTER_EXIT, AUDIT_ALWAYS,
				    "getpgid", key, AUDIT_GREATER_THAN, 4242));
	EXPECT_EQ(-EINVAL, rule_add(self, AUDIT_FILTER_EXIT, AUDIT_ALWAYS,
				    "getpgid", key, AUDIT_BIT_MASK, 4242));
	EXPECT_EQ(-EINVAL, rule_add(self, AUDIT_FILTER_EXIT, AUDIT_ALWAYS,
				    "getpgid", key, AUDIT_EQUAL,
				    CONTAINER_ID_MAX + 1));

	/*
	 * A member may talk to audit (same user and PID namespaces, root) but
	 * may not name container IDs: its are not the host's.
	 */
	cfd = new_container("cfdtest-rulemember");
	ASSERT_GE(cfd, 0);
	pid = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct audit_rule_data *rule = audit_rule_create_data();
		int fd = audit_open(), ret;

		audit_rule_syscallbyname_data(rule, "getpgid");
		rule->fields[0] = AUDIT_CONTAINER;
		rule->values[0] = 1;
		rule->fieldflags[0] = AUDIT_EQUAL;
		rule->field_count = 1;
		ret = audit_add_rule_data(fd, rule, AUDIT_FILTER_EXIT, AUDIT_ALWAYS);
		if (ret == 0)
			audit_delete_rule_data(fd, rule, AUDIT_FILTER_EXIT,
					       AUDIT_ALWAYS);
		_exit(ret == -EPERM ? 0 : 10);
	}
	status = cfd_wait(pid);
	EXPECT_EQ(0, status);
	close(cfd);
}

/* auditctl -l shows what the kernel kept: field 28, its value, its operator. */
TEST_F(audit, rule_is_listed)
{
	const char *key[] = { "key=cfdtest-list", NULL };
	struct audit_reply rep;
	bool found = false;
	int ret, i;

	ASSERT_EQ(0, rule_add(self, AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "getpgid",
			      key, AUDIT_NOT_EQUAL, 4321));
	ASSERT_GE(audit_request_rules_list_data(self->fd), 0);
	for (;;) {
		ret = audit_get_reply(self->fd, &rep, GET_REPLY_BLOCKING, 0);
		if (ret <= 0 || rep.type == NLMSG_DONE || rep.type == NLMSG_ERROR)
			break;
		if (rep.type != AUDIT_LIST_RULES)
			continue;
		for (i = 0; i < (int)rep.ruledata->field_count; i++)
			if (rep.ruledata->fields[i] == AUDIT_CONTAINER &&
			    rep.ruledata->values[i] == 4321 &&
			    rep.ruledata->fieldflags[i] == AUDIT_NOT_EQUAL)
				found = true;
	}
	EXPECT_TRUE(found);
}

/* A member's event names its container; a host task's does not. */
TEST_F(audit, member_event_names_its_container)
{
	struct event ev;
	const struct rec *r;
	unsigned int id;
	int cfd, n;
	pid_t pid;

	cfd = new_container("cfdtest-member");
	ASSERT_GE(cfd, 0);
	id = host_id(cfd);
	ASSERT_GT(id, 0);
	pid = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		probe(PROBE_BASE + 1);
		_exit(0);
	}
	ASSERT_EQ(0, cfd_wait(pid));
	ASSERT_EQ(0, host_probe(PROBE_BASE + 2));

	ASSERT_EQ(0, probe_event(PROBE_BASE + 1, &ev));
	EXPECT_EQ((unsigned long)pid, rec_num(ev.syscall, "pid"));
	r = subject_of(&ev, &n);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(1, n);
	EXPECT_EQ(id, rec_num(r, "contid"));
	EXPECT_TRUE(rec_is(r, "contpath", str("/%u", id)));
	EXPECT_NE(0, rec_num(r, "contses"));
	EXPECT_NE(~0UL, rec_num(r, "contses"));

	ASSERT_EQ(0, probe_event(PROBE_BASE + 2, &ev));
	EXPECT_EQ(NULL, event_find(&ev, AUDIT_CONTAINER_ID, NULL));
	close(cfd);
}

/*
 * Events outside any syscall: a seccomp action logged at a syscall's entry
 * (SECCOMP_RET_LOG on getppid), then a core dump (ANOM_ABEND).  Run by
 * a member and by a host task.
 */
static void log_outside_a_syscall(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_LOG),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = insns };
	struct rlimit nocore = { 0, 0 };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		_exit(1);
	syscall(SYS_getppid);
	setrlimit(RLIMIT_CORE, &nocore);
	abort();
}

struct standalone_want {
	int type;
	pid_t pid;
};

static bool is_standalone_of(const struct rec *r, const void *arg)
{
	const struct standalone_want *w = arg;

	return r->type == w->type && rec_num(r, "pid") == (unsigned long)w->pid;
}

/* The event of @pid's record of @type: its records, once all are in. */
static int standalone_event(int type, pid_t pid, struct event *ev)
{
	struct standalone_want w = { type, pid };
	const struct rec *r = wait_rec(is_standalone_of, &w, 0);

	if (!r || records_settled())
		return -1;
	event_gather(ev, r->serial);
	return 0;
}

/*
 * A seccomp action or a core dump is an event of its own, with no SYSCALL
 * record: a member's still names its container, a host task's does not.
 */
TEST_F(audit, member_event_outside_a_syscall_names_its_container)
{
	static const int types[] = { AUDIT_SECCOMP, AUDIT_ANOM_ABEND };
	const struct rec *r;
	struct event ev;
	unsigned int id;
	pid_t member, host;
	int cfd, status, i, n, nr_types;

	cfd = new_container("cfdtest-outside");
	ASSERT_GE(cfd, 0);
	id = host_id(cfd);
	ASSERT_GT(id, 0);
	member = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(member, 0);
	if (member == 0)
		log_outside_a_syscall();
	ASSERT_EQ(member, waitpid(member, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	host = fork();
	ASSERT_GE(host, 0);
	if (host == 0)
		log_outside_a_syscall();
	ASSERT_EQ(host, waitpid(host, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));

	/* Without core dumps (CONFIG_COREDUMP=n), no ANOM_ABEND to look at. */
	nr_types = kconfig_has("COREDUMP") == 0 ? 1 : 2;
	if (nr_types == 1)
		ksft_print_msg("kernel without CONFIG_COREDUMP: no core dump record to check\n");
	for (i = 0; i < nr_types; i++) {
		ASSERT_EQ(0, standalone_event(types[i], member, &ev))
			TH_LOG("no record %d of the member", types[i]);
		EXPECT_EQ(NULL, event_find(&ev, AUDIT_SYSCALL, NULL));
		r = subject_of(&ev, &n);
		ASSERT_NE(NULL, r)
			TH_LOG("record %d of a member names no container", types[i]);
		EXPECT_EQ(1, n);
		EXPECT_EQ(id, rec_num(r, "contid"));
		EXPECT_TRUE(rec_is(r, "contpath", str("/%u", id)));
		EXPECT_NE(0, rec_num(r, "contses"));

		ASSERT_EQ(0, standalone_event(types[i], host, &ev));
		EXPECT_EQ(NULL, event_find(&ev, AUDIT_CONTAINER_ID, NULL));
	}
	close(cfd);
}

static unsigned long session_of(unsigned long tag)
{
	struct event ev;
	const struct rec *r;

	if (probe_event(tag, &ev))
		return ~0UL;
	r = subject_of(&ev, NULL);
	return r ? rec_num(r, "contses") : ~0UL;
}

/* The init of a container: probes, forks a prober, then waits for EOF. */
static int session_init(int ready, int done)
{
	char c;
	pid_t pid;

	probe(PROBE_BASE + 10);
	pid = fork();
	if (pid == 0) {
		probe(PROBE_BASE + 11);
		_exit(0);
	}
	if (cfd_wait(pid) != 0 || write(ready, "r", 1) != 1)
		return 1;
	read(done, &c, 1);
	return 0;
}

/* An enterer: probes, forks a prober, forks one into its own container. */
static int session_enterer(int cfd)
{
	pid_t pid;

	probe(PROBE_BASE + 12);
	pid = fork();
	if (pid == 0) {
		probe(PROBE_BASE + 13);
		_exit(0);
	}
	if (pid < 0 || cfd_wait(pid) != 0)
		return 1;
	pid = cfd_fork(cfd, 0, NULL);
	if (pid == 0) {
		probe(PROBE_BASE + 14);
		_exit(0);
	}
	return pid < 0 || cfd_wait(pid) != 0;
}

/*
 * Each entry from outside starts a session; forks inside keep it, even a
 * member's fork into its own container; the container's own tree carries
 * its init's.
 */
TEST_F(audit, container_session)
{
	int cfd, ready[2], done[2];
	unsigned long s_init, s_enter, s_again;
	const struct rec *r;
	pid_t init, enterer, again;
	struct event ev;
	unsigned int id;
	char c;

	cfd = new_container("cfdtest-session");
	ASSERT_GE(cfd, 0);
	id = host_id(cfd);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(done));
	init = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(init, 0);
	if (init == 0) {
		close(done[1]);
		_exit(session_init(ready[1], done[0]));
	}
	close(done[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1));

	enterer = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(enterer, 0);
	if (enterer == 0)
		_exit(session_enterer(cfd));
	ASSERT_EQ(0, cfd_wait(enterer));
	again = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(again, 0);
	if (again == 0) {
		probe(PROBE_BASE + 15);
		_exit(0);
	}
	ASSERT_EQ(0, cfd_wait(again));
	close(done[1]);
	ASSERT_EQ(0, cfd_wait(init));

	s_init = session_of(PROBE_BASE + 10);
	s_enter = session_of(PROBE_BASE + 12);
	s_again = session_of(PROBE_BASE + 15);
	ASSERT_NE(~0UL, s_init);
	ASSERT_NE(~0UL, s_enter);
	ASSERT_NE(~0UL, s_again);
	EXPECT_NE(0, s_init);
	EXPECT_EQ(s_init, session_of(PROBE_BASE + 11));
	EXPECT_NE(s_init, s_enter);
	EXPECT_EQ(s_enter, session_of(PROBE_BASE + 13));
	EXPECT_EQ(s_enter, session_of(PROBE_BASE + 14));
	EXPECT_NE(s_again, s_init);
	EXPECT_NE(s_again, s_enter);

	/* Each entry from outside is logged with its session, by whom. */
	r = wait_op("init", id, init);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(s_init, rec_num(r, "contses"));
	EXPECT_EQ((unsigned long)getpid(), rec_num(r, "pid"));
	r = wait_op("enter", id, enterer);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(s_enter, rec_num(r, "contses"));
	r = wait_op("enter", id, again);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(s_again, rec_num(r, "contses"));
	/*
	 * A member forking into its own container enters nothing: no record,
	 * and it would have come before the events waited for above.
	 */
	ASSERT_EQ(0, probe_event(PROBE_BASE + 14, &ev));
	EXPECT_EQ(NULL, find_op("enter", id, rec_num(ev.syscall, "pid")));
	close(cfd);
}

/* The setuid copy of this program probes with what its argv says. */
static char suid_path[64];

static int make_suid_copy(void)
{
	char buf[65536];
	ssize_t n;
	int in, out;

	snprintf(suid_path, sizeof(suid_path), "/tmp/cfdtest-audit-suid.%d", getpid());
	in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	out = open(suid_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			return -1;
	close(in);
	close(out);
	if (chown(suid_path, 0, 0) || chmod(suid_path, 04755))
		return -1;
	return 0;
}

/*
 * The tampering member: each way it could try to change what the host
 * sees of it, then a probe.  @nsfd: the host's mnt, uts, ipc, net.
 */
static int tamper(const int *nsfd)
{
	static const int types[] = { CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC,
				     CLONE_NEWNET };
	char tag[32];
	pid_t pid;
	int i, cfd;

	probe(QUIET_BASE + 20);
	for (i = 0; i < 4; i++)
		if (setns(nsfd[i], types[i]))
			return 1;
	probe(QUIET_BASE + 21);
	if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET))
		return 2;
	probe(QUIET_BASE + 22);
	if (cfd_write_file("/proc/self/loginuid", "4242", 0))
		return 3;
	probe(QUIET_BASE + 23);
	cfd = cfd_create(CONTAINER_NEW_UTS_NS, "cfdtest-tamper-inner");
	if (cfd < 0)
		return 4;
	probe(QUIET_BASE + 24);
	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWUSER))
			_exit(1);
		probe(QUIET_BASE + 25);
		_exit(0);
	}
	if (cfd_wait(pid))
		return 5;
	pid = fork();
	if (pid == 0) {
		snprintf(tag, sizeof(tag), "%lu", QUIET_BASE + 26);
		if (cfd_drop_privs(CFD_NOBODY))
			_exit(1);
		execl(suid_path, suid_path, "--probe", tag, (char *)NULL);
		_exit(2);
	}
	if (cfd_wait(pid))
		return 6;
	return 0;
}

/*
 * Nothing a member does changes its container or session: setns(2) back
 * to the host's namespaces, unshare(2), writing loginuid, making a
 * container of its own, a user namespace, exec of a set-user-ID program.
 */
TEST_F(audit, identity_survives_tampering)
{
	static const char *const ns[] = { "mnt", "uts", "ipc", "net" };
	int cfd, nsfd[4], i;
	unsigned long ses;
	unsigned int id;
	struct event ev;
	pid_t pid;

	ASSERT_EQ(0, make_suid_copy());
	cfd = cfd_create(CONTAINER_NEW_FS_NS | CONTAINER_NEW_UTS_NS |
			 CONTAINER_NEW_IPC_NS | CONTAINER_NEW_NET_NS |
			 CONTAINER_KILL_ON_CLOSE, "cfdtest-tamper");
	ASSERT_GE(cfd, 0);
	id = host_id(cfd);
	ASSERT_EQ(0, quiet_rule_add(self, AUDIT_EQUAL, id));
	for (i = 0; i < 4; i++) {
		nsfd[i] = open(str("/proc/self/ns/%s", ns[i]), O_RDONLY);
		ASSERT_GE(nsfd[i], 0);
	}
	pid = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(tamper(nsfd));
	EXPECT_EQ(0, cfd_wait(pid));
	unlink(suid_path);

	ASSERT_EQ(0, probe_event(QUIET_BASE + 20, &ev));
	ses = rec_num(subject_of(&ev, NULL), "contses");
	ASSERT_NE(~0UL, ses);
	for (i = 21; i <= 26; i++) {
		const struct rec *r;

		ASSERT_EQ(0, probe_event(QUIET_BASE + i, &ev)) {
			TH_LOG("no event for step %d", i);
		}
		r = subject_of(&ev, NULL);
		ASSERT_NE(NULL, r) {
			TH_LOG("step %d: no CONTAINER_ID record", i);
		}
		EXPECT_EQ(id, rec_num(r, "contid")) {
			TH_LOG("step %d: %s", i, r->text);
		}
		EXPECT_TRUE(rec_is(r, "contpath", str("/%u", id)));
		EXPECT_EQ(ses, rec_num(r, "contses")) {
			TH_LOG("step %d: %s", i, r->text);
		}
		if (i >= 23)
			EXPECT_EQ(4242, rec_num(ev.syscall, "auid"));
	}
	ASSERT_EQ(0, probe_event(QUIET_BASE + 26, &ev));
	EXPECT_EQ(CFD_NOBODY, rec_num(ev.syscall, "uid"));
	EXPECT_EQ(0, rec_num(ev.syscall, "euid"));
	close(cfd);
	for (i = 0; i < 4; i++)
		close(nsfd[i]);
}

/*
 * A task that holds a container's fd and a member's pidfd, and joins the
 * member's namespaces, is still of the host: its events name no
 * container and the container's rules do not match it.
 */
TEST_F(audit, fd_holder_is_not_a_member)
{
	struct event ev;
	struct agent a;
	unsigned int id;
	int cfd, pidfd;
	pid_t pid;

	cfd = new_container("cfdtest-holder");
	ASSERT_GE(cfd, 0);
	id = host_id(cfd);
	ASSERT_EQ(0, quiet_rule_add(self, AUDIT_EQUAL, id));
	ASSERT_EQ(0, agent_start(&a, cfd));
	ASSERT_EQ(0, agent_do(&a, AGENT_PING));
	pidfd = sys_pidfd_open(a.pid, 0);
	ASSERT_GE(pidfd, 0);

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (setns(pidfd, CLONE_NEWUTS | CLONE_NEWIPC))
			_exit(1);
		if (faccessat(cfd, ".", F_OK, 0))
			_exit(2);
		probe(PROBE_BASE + 0x60);
		probe(QUIET_BASE + 0x60);
		_exit(0);
	}
	ASSERT_EQ(0, cfd_wait(pid));
	ASSERT_EQ(0, agent_do(&a, QUIET_BASE + 0x61));

	ASSERT_EQ(0, probe_event(PROBE_BASE + 0x60, &ev));
	EXPECT_EQ(NULL, event_find(&ev, AUDIT_CONTAINER_ID, NULL));
	/* The member's probe, after the holder's, is logged: the rule works. */
	ASSERT_EQ(0, probe_event(QUIET_BASE + 0x61, &ev));
	EXPECT_EQ(id, rec_num(subject_of(&ev, NULL), "contid"));
	EXPECT_FALSE(syscall_logged(QUIET_BASE + 0x60));

	close(pidfd);
	EXPECT_EQ(0, agent_stop(&a));
	close(cfd);
}

struct nest_report {
	unsigned int id2;	/* level 2 in level 1's space */
	unsigned int id3;	/* level 3 in level 2's space */
	pid_t pid3;		/* level 3's init, as the host sees it */
};

/* Level @depth (1 or 2): make the next one down, enter it, report. */
static int nest_level(int depth, int report, int done)
{
	struct container_info info;
	struct nest_report rep;
	int cfd;
	pid_t pid;
	char c;

	/* Level 2 in its own user namespace, level 3 owned by it. */
	cfd = cfd_create((depth == 1 ? CONTAINER_NEW_USER_NS : 0) |
			 CONTAINER_NEW_UTS_NS, depth == 1 ? "cfdtest-l2" : "cfdtest-l3");
	if (cfd < 0 || cfd_info(cfd, &info))
		return 1;
	if (depth == 1 && write(report, &info.id, sizeof(unsigned int)) != sizeof(unsigned int))
		return 2;
	if (depth == 2 && write(report, &info.id, sizeof(unsigned int)) != sizeof(unsigned int))
		return 3;
	pid = cfd_fork(cfd, 0, NULL);
	if (pid < 0)
		return 4;
	if (pid == 0) {
		if (depth == 1)
			_exit(nest_level(2, report, done));
		/* Level 3's init. */
		rep.pid3 = getpid();
		if (write(report, &rep.pid3, sizeof(rep.pid3)) != sizeof(rep.pid3))
			_exit(5);
		probe(PROBE_BASE + 30);
		read(done, &c, 1);
		_exit(0);
	}
	return cfd_wait(pid);
}

/*
 * Nested containers, in user namespaces: the host sees a member of the
 * third level by its host ID and the full path of its IDs.
 */
TEST_F(audit, nested_members_have_their_full_path)
{
	int cfd, report[2], done[2], pidfd, c3;
	unsigned int id1, id3;
	struct nest_report rep;
	const struct rec *r, *actor;
	struct event ev;
	pid_t init;
	int i, n;

	cfd = new_container("cfdtest-l1");
	ASSERT_GE(cfd, 0);
	id1 = host_id(cfd);
	ASSERT_EQ(0, pipe(report));
	ASSERT_EQ(0, pipe(done));
	init = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(init, 0);
	if (init == 0) {
		close(done[1]);
		_exit(nest_level(1, report[1], done[0]));
	}
	close(done[0]);
	ASSERT_EQ(sizeof(rep.id2), read(report[0], &rep.id2, sizeof(rep.id2)));
	ASSERT_EQ(sizeof(rep.id3), read(report[0], &rep.id3, sizeof(rep.id3)));
	ASSERT_EQ(sizeof(rep.pid3), read(report[0], &rep.pid3, sizeof(rep.pid3)));
	pidfd = sys_pidfd_open(rep.pid3, 0);
	ASSERT_GE(pidfd, 0);
	c3 = ioctl(pidfd, PIDFD_GET_CONTAINER, 0);
	ASSERT_GE(c3, 0);
	id3 = host_id(c3);
	ASSERT_GT(id3, 0);

	ASSERT_EQ(0, probe_event(PROBE_BASE + 30, &ev));
	r = subject_of(&ev, NULL);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(id3, rec_num(r, "contid"));
	EXPECT_TRUE(rec_is(r, "contpath", str("/%u/%u/%u", id1, rep.id2, rep.id3))) {
		TH_LOG("%s", r->text);
	}

	/*
	 * Level 3's init entered from level 2: its op=init record is in the
	 * event of level 2's clone3(), which names level 2 as the actor's.
	 */
	r = wait_op("init", id3, rep.pid3);
	ASSERT_NE(NULL, r);
	EXPECT_TRUE(rec_is(r, "contpath", str("/%u/%u/%u", id1, rep.id2, rep.id3)));
	event_gather(&ev, r->serial);
	actor = NULL;
	for (i = 0; i < 50 && !actor; i++) {
		actor = subject_of(&ev, &n);
		if (!actor) {
			mc_read(200);
			event_gather(&ev, r->serial);
		}
	}
	ASSERT_NE(NULL, actor);
	EXPECT_TRUE(rec_is(actor, "contpath", str("/%u/%u", id1, rep.id2))) {
		TH_LOG("%s", actor->text);
	}
	EXPECT_NE(rec_num(actor, "contses"), rec_num(r, "contses"));

	close(done[1]);
	EXPECT_EQ(0, cfd_wait(init));
	close(c3);
	close(pidfd);
	close(cfd);
}

/* Agents in C, in N (nested in C), in D, and on the host. */
struct four {
	struct agent c, n, d, host;
	int cfd, dfd;
	unsigned int cid, did;
};

static int nested_agent(int cmd, int ack)
{
	int nfd = cfd_create(CONTAINER_NEW_UTS_NS, "cfdtest-rule-n");
	pid_t pid;

	if (nfd < 0)
		return 1;
	pid = cfd_fork(nfd, 0, NULL);
	if (pid == 0)
		_exit(agent_loop(cmd, ack));
	return pid < 0 ? 2 : cfd_wait(pid);
}

static int four_start(struct four *f)
{
	int cmd[2], ack[2];

	f->cfd = new_container("cfdtest-rule-c");
	f->dfd = new_container("cfdtest-rule-d");
	if (f->cfd < 0 || f->dfd < 0)
		return -1;
	f->cid = host_id(f->cfd);
	f->did = host_id(f->dfd);
	if (agent_start(&f->c, f->cfd) || agent_start(&f->d, f->dfd) ||
	    agent_start(&f->host, -1))
		return -1;
	/* N's agent is forked by a process of C into a container it makes. */
	if (pipe2(cmd, O_CLOEXEC) || pipe2(ack, O_CLOEXEC))
		return -1;
	f->n.pid = cfd_fork(f->cfd, 0, NULL);
	if (f->n.pid < 0)
		return -1;
	if (f->n.pid == 0) {
		agent_close_others(cmd[0], ack[1]);
		_exit(nested_agent(cmd[0], ack[1]));
	}
	close(cmd[0]);
	close(ack[1]);
	f->n.cmd = cmd[1];
	f->n.ack = ack[0];
	/* All four run, N made: what they log from now on is the test's. */
	if (agent_do(&f->c, AGENT_PING) || agent_do(&f->n, AGENT_PING) ||
	    agent_do(&f->d, AGENT_PING) || agent_do(&f->host, AGENT_PING))
		return -1;
	return records_settled();
}

static void four_stop(struct four *f)
{
	agent_stop(&f->c);
	agent_stop(&f->n);
	agent_stop(&f->d);
	agent_stop(&f->host);
	close(f->cfd);
	close(f->dfd);
}

/* Each agent probes base + its index: c 0, n 1, d 2, host 3. */
static int four_probe(struct four *f, unsigned long base)
{
	if (agent_do(&f->c, base) || agent_do(&f->n, base + 1) ||
	    agent_do(&f->d, base + 2) || agent_do(&f->host, base + 3))
		return -1;
	return records_settled();
}

/* Which of the four were logged, as a string "cnd-" (- for not). */
static const char *four_logged(unsigned long base)
{
	static char s[5];
	static const char who[] = "cndh";
	int i;

	for (i = 0; i < 4; i++)
		s[i] = syscall_logged(base + i) ? who[i] : '-';
	s[4] = '\0';
	return s;
}

/*
 * On the exit filter: = matches a container and those nested in it; !=
 * the rest; 0 the tasks of no container.
 */
/* Four rounds of records under TCG: more than the harness's 30 s. */
TEST_F_TIMEOUT(audit, rule_field_on_exit_filter, 180)
{
	struct four f;

	ASSERT_EQ(0, four_start(&f));

	ASSERT_EQ(0, quiet_rule_add(self, AUDIT_EQUAL, f.cid));
	ASSERT_EQ(0, four_probe(&f, QUIET_BASE + 40));
	EXPECT_STREQ("cn--", four_logged(QUIET_BASE + 40));
	rules_delete(self);

	ASSERT_EQ(0, quiet_rule_add(self, AUDIT_NOT_EQUAL, f.cid));
	ASSERT_EQ(0, probe_rule_add(self));
	ASSERT_EQ(0, four_probe(&f, QUIET_BASE + 50));
	EXPECT_STREQ("--dh", four_logged(QUIET_BASE + 50));
	rules_delete(self);

	ASSERT_EQ(0, quiet_rule_add(self, AUDIT_EQUAL, 0));
	ASSERT_EQ(0, probe_rule_add(self));
	ASSERT_EQ(0, four_probe(&f, QUIET_BASE + 60));
	EXPECT_STREQ("---h", four_logged(QUIET_BASE + 60));
	rules_delete(self);

	ASSERT_EQ(0, quiet_rule_add(self, AUDIT_NOT_EQUAL, 0));
	ASSERT_EQ(0, probe_rule_add(self));
	ASSERT_EQ(0, four_probe(&f, QUIET_BASE + 70));
	EXPECT_STREQ("cnd-", four_logged(QUIET_BASE + 70));

	four_stop(&f);
}

/* On the exclude filter: no record at all from a container's tasks. */
TEST_F(audit, rule_field_on_exclude_filter)
{
	struct four f;
	int i, mark;

	ASSERT_EQ(0, four_start(&f));
	mark = nrecs;
	ASSERT_EQ(0, rule_add(self, AUDIT_FILTER_EXCLUDE, AUDIT_ALWAYS, NULL,
			      NULL, AUDIT_EQUAL, f.cid));
	ASSERT_EQ(0, four_probe(&f, PROBE_BASE + 40));
	EXPECT_STREQ("--dh", four_logged(PROBE_BASE + 40));
	/* Nor a CONTAINER_ID record of C or N, alone. */
	for (i = mark; i < nrecs; i++)
		if (recs[i].type == AUDIT_CONTAINER_ID)
			EXPECT_NE(f.cid, rec_num(&recs[i], "contid"));
	four_stop(&f);
}

static bool is_user_msg_of(const struct rec *r, const void *arg)
{
	return r->type == AUDIT_USER &&
	       strstr(r->text, str("tag=%lx", *(const unsigned long *)arg));
}

/*
 * On the user filter: a container's user messages are dropped; another's
 * are logged, its container named in the event.
 */
TEST_F(audit, rule_field_on_user_filter)
{
	unsigned long tag_c = 0x51, tag_d = 0x52, tag_h = 0x53;
	const struct rec *r;
	struct event ev;
	struct four f;
	int i;

	ASSERT_EQ(0, four_start(&f));
	ASSERT_EQ(0, rule_add(self, AUDIT_FILTER_USER, AUDIT_NEVER, NULL, NULL,
			      AUDIT_EQUAL, f.cid));
	ASSERT_EQ(0, agent_do(&f.c, AGENT_USER_MSG | tag_c));
	ASSERT_EQ(0, agent_do(&f.d, AGENT_USER_MSG | tag_d));
	ASSERT_EQ(0, agent_do(&f.host, AGENT_USER_MSG | tag_h));
	r = wait_rec(is_user_msg_of, &tag_h, 0);
	ASSERT_NE(NULL, r);
	r = wait_rec(is_user_msg_of, &tag_d, 0);
	ASSERT_NE(NULL, r);
	for (i = 0; i < nrecs; i++)
		EXPECT_FALSE(is_user_msg_of(&recs[i], &tag_c));

	/* D's message is in the event of its sendto(); that names D. */
	ASSERT_EQ(0, records_settled());
	event_gather(&ev, r->serial);
	r = subject_of(&ev, NULL);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(f.did, rec_num(r, "contid"));
	four_stop(&f);
}

/* A syscall that signals or traces a member names the member's container. */
TEST_F(audit, signalled_and_traced_members)
{
	const char *kill_pairs[] = { "arch=b64", "a1=23", "key=cfdtest-kill", NULL };
	const char *trace_pairs[] = { "arch=b64", "a0=16902", "key=cfdtest-trace", NULL };
	struct agent m;
	unsigned long target;
	unsigned long ses;
	int cfd, i;
	pid_t pid;

	ASSERT_EQ(0, rule_add(self, AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "kill",
			      kill_pairs, 0, 0));
	ASSERT_EQ(0, rule_add(self, AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "ptrace",
			      trace_pairs, 0, 0));
	cfd = new_container("cfdtest-target");
	ASSERT_GE(cfd, 0);
	ASSERT_EQ(0, agent_start(&m, cfd));
	ASSERT_EQ(0, agent_do(&m, PROBE_BASE + 60));
	ses = session_of(PROBE_BASE + 60);
	ASSERT_NE(~0UL, ses);

	pid = fork();
	if (pid == 0) {
		/* SIGURG is ignored by default; PTRACE_SEIZE stops nothing. */
		if (kill(m.pid, SIGURG))
			_exit(1);
		if (ptrace(PTRACE_SEIZE, m.pid, 0, 0))
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(0, cfd_wait(pid));

	for (i = 0; i < 2; i++) {
		const char *key = i ? "\"cfdtest-trace\"" : "\"cfdtest-kill\"";
		const struct rec *sc = NULL, *obj, *r;
		struct event ev;
		int j, n;

		for (j = 0; !sc && j < 50; j++) {
			int k;

			for (k = 0; k < nrecs && !sc; k++)
				if (recs[k].type == AUDIT_SYSCALL &&
				    rec_is(&recs[k], "key", key) &&
				    rec_num(&recs[k], "pid") == (unsigned long)pid)
					sc = &recs[k];
			if (!sc)
				mc_read(400);
		}
		ASSERT_NE(NULL, sc) {
			TH_LOG("no %s event", key);
		}
		ASSERT_NE(NULL, wait_rec(is_eoe_of, &sc->serial, sc - recs));
		event_gather(&ev, sc->serial);
		obj = event_find(&ev, AUDIT_OBJ_PID, NULL);
		ASSERT_NE(NULL, obj);
		target = rec_num(obj, "opid");
		EXPECT_EQ((unsigned long)m.pid, target);
		r = event_find(&ev, AUDIT_CONTAINER_ID, &n);
		ASSERT_NE(NULL, r);
		/* Only the target's: the acting task is the host's. */
		EXPECT_EQ(1, n);
		EXPECT_EQ(target, rec_num(r, "opid"));
		EXPECT_EQ(host_id(cfd), rec_num(r, "contid"));
		EXPECT_EQ(ses, rec_num(r, "contses"));
	}
	agent_stop(&m);
	close(cfd);
}

/*
 * A process adopted as a container's init (CONTAINER_IOC_ADOPT, as CRIU's
 * restorer does) entered it from outside: "init" is logged, and it and
 * what it forks are in a new container session, not the host's (0).
 */
TEST_F(audit, adopted_init_is_an_entry)
{
	struct container_adopt adopt = { .flags = CONTAINER_ADOPT_INIT };
	const struct rec *r, *op;
	struct event ev;
	unsigned int id;
	int cfd, go[2], n;
	pid_t pid;
	char c;

	cfd = new_container("cfdtest-adopted");
	ASSERT_GE(cfd, 0);
	id = host_id(cfd);
	ASSERT_GT(id, 0);
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 0)
			_exit(1);
		probe(PROBE_BASE + 16);
		_exit(0);
	}
	close(go[0]);
	adopt.pidfd = sys_pidfd_open(pid, 0);
	ASSERT_GE((int)adopt.pidfd, 0);
	ASSERT_EQ(0, ioctl(cfd, CONTAINER_IOC_ADOPT, &adopt))
		TH_LOG("adopt: %s", strerror(errno));
	close(go[1]);
	ASSERT_EQ(0, cfd_wait(pid));

	op = wait_op("init", id, pid);
	ASSERT_NE(NULL, op) TH_LOG("no op=init record for the adopted init");
	EXPECT_NE(0, rec_num(op, "contses"));
	ASSERT_EQ(0, probe_event(PROBE_BASE + 16, &ev));
	r = subject_of(&ev, &n);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(id, rec_num(r, "contid"));
	EXPECT_NE(0, rec_num(r, "contses"));
	EXPECT_EQ(rec_num(op, "contses"), rec_num(r, "contses"));
	close(adopt.pidfd);
	close(cfd);
}

/* create, init, death with init's status, free. */
TEST_F(audit, lifecycle_records)
{
	struct container_info info;
	const struct rec *r;
	struct stat st;
	unsigned int id;
	int cfd, status;
	pid_t init;

	ASSERT_EQ(0, stat("/proc/self/ns/user", &st));
	cfd = cfd_create(CONTAINER_NEW_UTS_NS | CONTAINER_NEW_IPC_NS, "cfdtest-life");
	ASSERT_GE(cfd, 0);
	ASSERT_EQ(0, cfd_info(cfd, &info));
	id = info.id;
	r = wait_op("create", id, -1);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(0, rec_num(r, "pcontid"));
	EXPECT_TRUE(rec_is(r, "contpath", str("/%u", id)));
	EXPECT_TRUE(rec_is(r, "name", "\"cfdtest-life\""));
	EXPECT_EQ(CONTAINER_NEW_UTS_NS | CONTAINER_NEW_IPC_NS, rec_num(r, "contflags"));
	EXPECT_EQ((unsigned long)st.st_ino, rec_num(r, "userns"));
	EXPECT_EQ((unsigned long)getpid(), rec_num(r, "pid"));

	init = cfd_fork(cfd, 0, NULL);
	ASSERT_GE(init, 0);
	if (init == 0)
		_exit(3);
	ASSERT_EQ(init, waitpid(init, &status, 0));
	r = wait_op("init", id, init);
	ASSERT_NE(NULL, r);
	EXPECT_NE(0, rec_num(r, "contses"));
	r = wait_op("death", id, init);
	ASSERT_NE(NULL, r);
	EXPECT_EQ((unsigned long)status, rec_num(r, "status"));
	EXPECT_EQ(768, status);

	close(cfd);
	r = wait_op("free", id, -1);
	EXPECT_NE(NULL, r);
}

/*
 * Walsh's scenario: a user's loginuid and session follow what they start
 * into a container, as through fork and exec, while the container session
 * says it entered.
 */
TEST_F(audit, loginuid_crosses_in)
{
	const struct rec *r;
	struct event ev;
	int cfd, sync[2];
	unsigned int id;
	pid_t user;

	cfd = new_container("cfdtest-walsh");
	ASSERT_GE(cfd, 0);
	id = host_id(cfd);
	ASSERT_EQ(0, pipe(sync));
	user = fork();
	ASSERT_GE(user, 0);
	if (user == 0) {
		unsigned int ses;
		char buf[32] = "";
		pid_t pid;
		int fd;

		/* As pam_loginuid does at login. */
		if (cfd_write_file("/proc/self/loginuid", "1000", 0))
			_exit(1);
		fd = open("/proc/self/sessionid", O_RDONLY);
		if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
			_exit(2);
		ses = strtoul(buf, NULL, 10);
		if (write(sync[1], &ses, sizeof(ses)) != sizeof(ses))
			_exit(3);
		pid = cfd_fork(cfd, 0, NULL);
		if (pid == 0) {
			probe(PROBE_BASE + 70);
			_exit(0);
		}
		_exit(pid < 0 ? 4 : cfd_wait(pid));
	}
	{
		unsigned int ses;

		ASSERT_EQ(sizeof(ses), read(sync[0], &ses, sizeof(ses)));
		ASSERT_EQ(0, cfd_wait(user));
		ASSERT_EQ(0, probe_event(PROBE_BASE + 70, &ev));
		EXPECT_EQ(1000, rec_num(ev.syscall, "auid"));
		EXPECT_EQ(ses, rec_num(ev.syscall, "ses"));
		r = subject_of(&ev, NULL);
		ASSERT_NE(NULL, r);
		EXPECT_EQ(id, rec_num(r, "contid"));
		r = wait_op("init", id, rec_num(ev.syscall, "pid"));
		ASSERT_NE(NULL, r);
		EXPECT_EQ(1000, rec_num(r, "auid"));
		EXPECT_EQ(ses, rec_num(r, "ses"));
		EXPECT_EQ((unsigned long)user, rec_num(r, "pid"));
	}
	close(cfd);
}

int main(int argc, char **argv)
{
	/* The set-user-ID copy of this program, run by a member. */
	if (argc == 3 && !strcmp(argv[1], "--probe")) {
		probe(strtoul(argv[2], NULL, 10));
		return 0;
	}
	return test_harness_run(argc, argv);
}
