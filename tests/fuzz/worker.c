// SPDX-License-Identifier: GPL-2.0
/*
 * A worker process: takes its identity (root, unprivileged, root of its
 * own user namespace, or a container's init), fills its fd pool, and runs
 * fz_sh->threads threads that make weighted random calls until the
 * deadline.
 *
 * Signals: every catchable signal that would end the process is ignored,
 * since a CONTAINER_IOC_KILL with a random signal may reach a worker that
 * lives in a container.  Fault signals get a handler that tells a signal
 * someone sent (si_code <= 0: ignored) from a real fault (the worker
 * reports the call in progress and dies of it, which the driver counts as
 * a crash).
 */
#include <grp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "fuzz.h"

enum fz_worker_kind fz_my_kind;
static volatile uintptr_t crash_address = 8;	/* for -F crash: unmapped */
static unsigned int my_worker;
static __thread int my_thread = -1;

/* Cumulative weights of fz_calls, made by the driver before forking. */
extern unsigned int fz_weight_sum[FZ_MAX_CALLS];

static void say(const char *s)
{
	(void)!write(2, s, strlen(s));
}

static void say_num(unsigned long v)
{
	char buf[24];
	int i = sizeof(buf);

	buf[--i] = 0;
	do {
		buf[--i] = '0' + v % 10;
		v /= 10;
	} while (v && i);
	say(buf + i);
}

static void fault(int sig, siginfo_t *si, void *uctx)
{
	int call = -1;

	if (si->si_code <= 0)	/* sent, e.g. through our container: not a fault */
		return;
	if (my_thread >= 0)
		call = fz_sh->workers[my_worker].current[my_thread];
	say("cfd-fuzz: worker ");
	say_num(my_worker);
	say(" (");
	say(fz_worker_kind_names[fz_my_kind]);
	say(") crashed: signal ");
	say_num(sig);
	say(" code ");
	say_num(si->si_code);
	say(" addr 0x");
	{
		char hex[17];
		uintptr_t a = (uintptr_t)si->si_addr;

		for (int i = 15; i >= 0; i--, a >>= 4)
			hex[i] = "0123456789abcdef"[a & 15];
		hex[16] = 0;
		say(hex);
	}
	if (call >= 0) {
		say(" in call ");
		say(fz_calls[call].name);
	}
	say("\n");
	signal(sig, SIG_DFL);
	raise(sig);
}

static void fz_worker_signals(void)
{
	static const int faults[] = {
		SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS, SIGTRAP, SIGQUIT,
	};
	struct sigaction sa = { .sa_sigaction = fault, .sa_flags = SA_SIGINFO };

	for (int sig = 1; sig < SIGRTMIN; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD &&
		    sig != SIGCONT && sig != SIGWINCH && sig != SIGURG)
			signal(sig, SIG_IGN);
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		signal(sig, SIG_IGN);
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigaction(faults[i], &sa, NULL);
}

static unsigned int pick_call(struct fz_thread *t)
{
	unsigned int r = fz_below(&t->rng, fz_weight_sum[fz_ncalls - 1]);
	unsigned int i = 0;

	while (fz_weight_sum[i] <= r)
		i++;
	return i;
}

static void *fuzz_loop(void *arg)
{
	struct fz_thread *t = arg;
	struct fz_worker_slot *slot = &fz_sh->workers[t->worker];
	uint64_t next_churn = 0;

	my_thread = t->index;
	while (!atomic_load(&fz_sh->stop) && fz_now_ns() < fz_sh->deadline) {
		uint64_t begin;
		unsigned int c;
		long ret;

		/*
		 * Making pool objects (forks, namespaces) costs far more than
		 * a call: give it about a tenth of the thread's time.
		 */
		if (fz_now_ns() >= next_churn) {
			begin = fz_now_ns();
			fz_pool_churn(t);
			next_churn = fz_now_ns();
			atomic_fetch_add_explicit(&fz_sh->churn_ns, next_churn - begin,
						  memory_order_relaxed);
			next_churn += 10 * (next_churn - begin);
			/*
			 * A container's init inherits the orphans of its PID
			 * namespace (a helper's sleeper, say): reap them, or
			 * they fill pids.max.  A child another thread waits
			 * for may go too; fz_reap() copes.
			 */
			if (fz_my_kind == FZ_W_CONTAINER)
				while (waitpid(-1, NULL, __WALL | WNOHANG) > 0)
					;
		}
		c = pick_call(t);
		begin = fz_now_ns();
		slot->stamp[t->index] = begin;
		slot->current[t->index] = c;
		ret = fz_calls[c].fn(t);
		slot->current[t->index] = -1;
		if (ret == FZ_SKIPPED)
			continue;
		fz_record(c, ret, fz_now_ns() - begin);
		atomic_fetch_add_explicit(&slot->calls, 1, memory_order_relaxed);
		/*
		 * A call may leave an fd we did not expect (a result written
		 * where we did not look): when fds run out, or now and then,
		 * close everything above the pool.  Another thread may lose a
		 * transient fd it was using; that is one more race, and
		 * nothing of the harness lives up there.
		 */
		if (ret == -EMFILE || (++t->iter & 4095) == 0)
			sys_close_range(FZ_FD_TRANSIENT, ~0U, 0);
	}
	return NULL;
}

static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return -1;
	/* Stay dumpable, so that our /proc files and pidfd_getfd stay ours. */
	return prctl(PR_SET_DUMPABLE, 1);
}

/*
 * Tell the driver we are ready ('u': in a new user namespace, to be
 * mapped; 'r': nothing to map) and wait for its go.
 */
static int handshake(int sync_fd, char c)
{
	if (sync_fd < 0)
		return 0;
	if (write(sync_fd, &c, 1) != 1 || read(sync_fd, &c, 1) != 1 || c != 'g')
		return -1;
	close(sync_fd);
	return 0;
}

static void limits(enum fz_worker_kind kind)
{
	struct rlimit nofile = { 512, 512 }, core = { 0, 0 }, nproc = { 256, 256 };

	setrlimit(RLIMIT_NOFILE, &nofile);
	setrlimit(RLIMIT_CORE, &core);
	if (kind == FZ_W_UNPRIV || kind == FZ_W_USERNS)
		setrlimit(RLIMIT_NPROC, &nproc);
}

static int thread_init(struct fz_thread *t, unsigned int index)
{
	memset(t, 0, sizeof(*t));
	t->worker = my_worker;
	t->index = index;
	fz_rng_seed(&t->rng, fz_sh->seed ^ ((uint64_t)my_worker << 32) ^
		    ((uint64_t)index << 48) ^ (uint64_t)getpid());
	fz_sh->workers[my_worker].current[index] = -1;
	return fz_thread_buffers(t);
}

/* In the child the driver forked; never returns. */
int fz_worker_main(enum fz_worker_kind kind, unsigned int index, int sync_fd)
{
	static struct fz_thread threads[FZ_MAX_THREADS];
	pthread_t tids[FZ_MAX_THREADS];
	unsigned int n = fz_sh->threads;
	char ready = kind == FZ_W_USERNS ? 'u' : 'r';
	int life[2];

	fz_my_kind = kind;
	my_worker = index;
	fz_worker_signals();
	limits(kind);
	if (chdir("/"))
		goto fail;
	fz_mount_guard_init();

	/* Below FZ_FD_TRANSIENT everything is open: see fuzz.h. */
	if (pipe2(life, O_CLOEXEC) ||
	    dup3(life[0], FZ_FD_LIFELINE_R, O_CLOEXEC) < 0 ||
	    dup3(life[1], FZ_FD_LIFELINE_W, O_CLOEXEC) < 0)
		goto fail;
	close(life[0]);
	close(life[1]);
	dup3(0, FZ_FD_POOL - 1, O_CLOEXEC);

	if ((kind == FZ_W_UNPRIV || kind == FZ_W_USERNS) && drop_privileges())
		goto fail;
	if (kind == FZ_W_USERNS && unshare(CLONE_NEWUSER)) {
		fprintf(stderr, "cfd-fuzz: worker %u: no user namespace (%m): runs unprivileged\n",
			index);
		ready = 'r';
	}
	if (handshake(sync_fd, ready))
		goto fail;
	/* A cgroup2 mount must show only our own cgroup: see sandbox.c. */
	if (kind != FZ_W_CONTAINER)
		unshare(CLONE_NEWCGROUP);

	if (thread_init(&threads[0], 0))
		goto fail;
	fz_pool_init(&threads[0]);
	fz_sh->workers[index].ready = fz_now_ns();
	if (fz_sh->crash_test && index == 0)	/* the harness's own test */
		*(volatile int *)crash_address = 0;
	for (unsigned int i = 1; i < n; i++) {
		if (thread_init(&threads[i], i) ||
		    pthread_create(&tids[i], NULL, fuzz_loop, &threads[i])) {
			n = i;
			break;
		}
	}
	fuzz_loop(&threads[0]);
	for (unsigned int i = 1; i < n; i++)
		pthread_join(tids[i], NULL);
	fz_sleepers_kill();
	_exit(0);
fail:
	fprintf(stderr, "cfd-fuzz: worker %u (%s): setup failed: %m\n", index,
		fz_worker_kind_names[kind]);
	atomic_fetch_add(&fz_sh->setup_failures, 1);
	_exit(2);
}
