// SPDX-License-Identifier: GPL-2.0
/*
 * Counting: per call, how many were made, how many succeeded, and each
 * errno seen; printed as a table at the end of a run.
 */
#include <time.h>

#include "fuzz.h"

uint64_t fz_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void fz_record(unsigned int call, long ret, uint64_t ns)
{
	struct fz_call_stats *s = &fz_sh->calls[call];

	atomic_fetch_add_explicit(&s->calls, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->ns, ns, memory_order_relaxed);
	if (ret >= 0)
		atomic_fetch_add_explicit(&s->ok, 1, memory_order_relaxed);
	else if (-ret <= FZ_ERRNO_MAX)
		atomic_fetch_add_explicit(&s->err[-ret], 1, memory_order_relaxed);
	else
		atomic_fetch_add_explicit(&s->err[FZ_ERRNO_MAX + 1], 1,
					  memory_order_relaxed);
}

uint64_t fz_total_calls(unsigned int n)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < n; i++)
		total += fz_sh->calls[i].calls;
	return total;
}

static const char *errno_name(int e)
{
	static char buf[16];
	const char *name = e <= FZ_ERRNO_MAX ? strerrorname_np(e) : NULL;

	if (name)
		return name;
	snprintf(buf, sizeof(buf), e <= FZ_ERRNO_MAX ? "E%d" : "E>%d",
		 e <= FZ_ERRNO_MAX ? e : FZ_ERRNO_MAX);
	return buf;
}

/* The errnos of one call, most frequent first, five to a line. */
static void print_errnos(FILE *out, const struct fz_call_stats *s)
{
	bool done[FZ_ERRNO_MAX + 2] = { false };
	int printed = 0;

	for (;;) {
		uint64_t best = 0;
		int e = -1;

		for (int i = 1; i <= FZ_ERRNO_MAX + 1; i++)
			if (!done[i] && s->err[i] > best) {
				best = s->err[i];
				e = i;
			}
		if (e < 0)
			break;
		done[e] = true;
		if (printed && printed % 5 == 0)
			fprintf(out, "\n%-22s %12s %10s %8s ", "", "", "", "");
		fprintf(out, "%s%s %" PRIu64, printed % 5 ? ", " : " ",
			errno_name(e), best);
		printed++;
	}
	fputc('\n', out);
}

void fz_print_table(FILE *out, const struct fz_call *calls, unsigned int n,
		    double seconds)
{
	uint64_t total = fz_total_calls(n), ok = 0;

	fprintf(out, "%-22s %12s %10s %8s  %s\n", "call", "calls", "ok", "us/call",
		"errors (errno count)");
	for (unsigned int i = 0; i < n; i++) {
		const struct fz_call_stats *s = &fz_sh->calls[i];

		ok += s->ok;
		fprintf(out, "%-22s %12" PRIu64 " %10" PRIu64 " %8.0f ", calls[i].name,
			(uint64_t)s->calls, (uint64_t)s->ok,
			s->calls ? s->ns / 1e3 / s->calls : 0.0);
		print_errnos(out, s);
	}
	fprintf(out, "%-22s %12" PRIu64 " %10" PRIu64 " %8s  in %.0f s, %.0f calls/s\n",
		"total", total, ok, "", seconds, seconds > 0 ? total / seconds : 0.0);
}
