// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of container audit (CONFIG_CONTAINER_AUDIT), in the guest:
 * make bench.  Reports time per syscall and ratios; asserts nothing.
 *
 *  1. An audited syscall of a member vs. the same of a task of the host,
 *     under a rule that matches both (-w on the file: SYSCALL, CWD, PATH,
 *     PROCTITLE and EOE records, and the member's CONTAINER_ID).
 *  2. Audit on, no rule matching: the member vs. the host.
 *  3. The same with a rule on the AUDIT_CONTAINER field that matches
 *     neither, so that every syscall evaluates it.
 *
 * No audit daemon runs: records go to the multicast group and printk
 * (rate limited), so what is measured is the syscall's side, not a
 * daemon's writing.  Member and host run interleaved, in rounds, and the
 * medians are compared, which keeps the noise of a shared machine out of
 * the ratio as far as it can be kept.
 */
#include "../selftests/containerfd/cfd_util.h"

#include <libaudit.h>
#include <time.h>

#ifndef AUDIT_CONTAINER
#define AUDIT_CONTAINER 28
#endif

#define ROUNDS 9

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A worker: on each command, opens @path n times; answers the time per op. */
struct worker {
	pid_t pid;
	int cmd, res;
};

static void worker_loop(int cmd, int res, const char *path)
{
	int n, i, fd;
	double t;

	while (read(cmd, &n, sizeof(n)) == sizeof(n) && n > 0) {
		t = now();
		for (i = 0; i < n; i++) {
			fd = open(path, O_RDONLY);
			if (fd < 0)
				_exit(1);
			close(fd);
		}
		t = (now() - t) / n;
		if (write(res, &t, sizeof(t)) != sizeof(t))
			_exit(1);
	}
	_exit(0);
}

static int worker_start(struct worker *w, int cfd, const char *path)
{
	int cmd[2], res[2];

	if (pipe(cmd) || pipe(res))
		return -1;
	w->pid = cfd >= 0 ? cfd_fork(cfd, 0, NULL) : fork();
	if (w->pid < 0)
		return -1;
	if (w->pid == 0) {
		close(cmd[1]);
		close(res[0]);
		worker_loop(cmd[0], res[1], path);
	}
	close(cmd[0]);
	close(res[1]);
	w->cmd = cmd[1];
	w->res = res[0];
	return 0;
}

static double worker_run(struct worker *w, int n)
{
	double t;

	if (write(w->cmd, &n, sizeof(n)) != sizeof(n) ||
	    read(w->res, &t, sizeof(t)) != sizeof(t)) {
		fprintf(stderr, "audit_bench: worker failed\n");
		exit(1);
	}
	return t;
}

static void worker_stop(struct worker *w)
{
	close(w->cmd);
	close(w->res);
	waitpid(w->pid, NULL, 0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Member and host, interleaved; prints both medians and their ratio. */
static void compare(const char *what, int cfd, const char *path, int n)
{
	double m[ROUNDS], h[ROUNDS];
	struct worker member, host;
	int i;

	if (worker_start(&member, cfd, path) || worker_start(&host, -1, path)) {
		perror("audit_bench: worker");
		exit(1);
	}
	worker_run(&member, n / 10);	/* warm up */
	worker_run(&host, n / 10);
	for (i = 0; i < ROUNDS; i++) {
		m[i] = worker_run(&member, n);
		h[i] = worker_run(&host, n);
	}
	worker_stop(&member);
	worker_stop(&host);
	qsort(m, ROUNDS, sizeof(double), cmp_double);
	qsort(h, ROUNDS, sizeof(double), cmp_double);
	printf("%s\n", what);
	printf("  member: %8.2f us/op   host: %8.2f us/op   ratio member/host: %6.3f\n",
	       m[ROUNDS / 2] * 1e6, h[ROUNDS / 2] * 1e6, m[ROUNDS / 2] / h[ROUNDS / 2]);
}

static struct audit_rule_data *rule_new(const char *syscall, const char *const *pairs,
					int contop, unsigned int contid)
{
	struct audit_rule_data *rule = audit_rule_create_data();

	if (audit_rule_syscallbyname_data(rule, syscall) < 0) {
		fprintf(stderr, "audit_bench: no syscall %s\n", syscall);
		exit(1);
	}

	for (; *pairs; pairs++) {
		char pair[256];

		snprintf(pair, sizeof(pair), "%s", *pairs);
		if (audit_rule_fieldpair_data(&rule, pair, AUDIT_FILTER_EXIT) < 0) {
			fprintf(stderr, "audit_bench: bad rule field %s\n", pair);
			exit(1);
		}
	}
	if (contop) {
		rule->fields[rule->field_count] = AUDIT_CONTAINER;
		rule->values[rule->field_count] = contid;
		rule->fieldflags[rule->field_count] = contop;
		rule->field_count++;
	}
	return rule;
}

static void rule_set(int fd, struct audit_rule_data *rule, bool add)
{
	int ret = add ? audit_add_rule_data(fd, rule, AUDIT_FILTER_EXIT, AUDIT_ALWAYS) :
			audit_delete_rule_data(fd, rule, AUDIT_FILTER_EXIT, AUDIT_ALWAYS);

	if (ret < 0) {
		fprintf(stderr, "audit_bench: %s rule: %s\n", add ? "add" : "delete",
			strerror(-ret));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	char dir[] = "/tmp/cfd-abench.XXXXXX", watched[128], plain[128];
	char watch_pair[160];
	const char *watch[] = { watch_pair, "perm=r", "key=cfd-bench", NULL };
	const char *other[] = { "arch=b64", "a0=217907200", NULL };
	const char *all_open[] = { "arch=b64", NULL };
	struct audit_rule_data *rule;
	int fd, cfd, was_enabled;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access("/proc/containers", F_OK)) {
		fprintf(stderr, "skip: kernel has no container objects\n");
		return 77;
	}
	set_aumessage_mode(MSG_QUIET, DBG_NO);
	fd = audit_open();
	if (fd < 0) {
		fprintf(stderr, "skip: no audit in this kernel\n");
		return 77;
	}
	was_enabled = audit_is_enabled(fd);
	if (audit_set_enabled(fd, 1) < 0)
		return 1;
	if (!mkdtemp(dir))
		return 1;
	snprintf(watched, sizeof(watched), "%s/watched", dir);
	snprintf(plain, sizeof(plain), "%s/plain", dir);
	snprintf(watch_pair, sizeof(watch_pair), "path=%s", watched);
	close(open(watched, O_CREAT | O_WRONLY, 0644));
	close(open(plain, O_CREAT | O_WRONLY, 0644));
	cfd = cfd_create(CONTAINER_NEW_UTS_NS | CONTAINER_NEW_IPC_NS |
			 CONTAINER_KILL_ON_CLOSE, "abench");
	if (cfd < 0)
		return 1;

	rule = rule_new("all", watch, 0, 0);
	rule_set(fd, rule, true);
	compare("1. audited open of a watched file (rule matches both)", cfd, watched, n);
	rule_set(fd, rule, false);
	audit_rule_free_data(rule);

	rule = rule_new("getpgid", other, 0, 0);
	rule_set(fd, rule, true);
	compare("2. audit on, no rule matches (a getpgid rule; open of a plain file)",
		cfd, plain, n * 5);
	rule_set(fd, rule, false);
	audit_rule_free_data(rule);

	rule = rule_new("openat", all_open, AUDIT_EQUAL, CONTAINER_ID_MAX);
	rule_set(fd, rule, true);
	compare("3. audit on, every openat evaluates a container rule matching neither",
		cfd, plain, n * 5);
	rule_set(fd, rule, false);
	audit_rule_free_data(rule);

	close(cfd);
	if (was_enabled == 0)
		audit_set_enabled(fd, 0);
	audit_close(fd);
	unlink(watched);
	unlink(plain);
	rmdir(dir);
	return 0;
}
