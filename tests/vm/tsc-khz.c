// SPDX-License-Identifier: GPL-2.0
/*
 * Print the host's TSC frequency in kHz, measured against CLOCK_MONOTONIC_RAW.
 *
 * Under QEMU's TCG the guest's TSC is the host's, so its frequency is the
 * host's; but the guest kernel measures it against the emulated PIT and
 * HPET, and on a loaded host that measurement can be off tenfold.  Then
 * the guest's clock runs ten times fast: ACPI's AML loop limit expires,
 * PCI interrupts are not routed, the 9p root never comes up, and every
 * timeout inside the guest fires early.  tests/vm/run passes this value as
 * tsc_early_khz= so that the guest does not measure at all.
 *
 * Each end of the interval is a clock read between two TSC reads; of
 * many tries the tightest pair is kept, so being preempted between the
 * reads (likely on a loaded host) does not skew the result.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

#define TRIES 200
#define INTERVAL_NS 200000000LL

struct stamp {
	uint64_t tsc;
	int64_t ns;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A clock reading and the TSC at that moment, from the tightest bracket. */
static struct stamp stamp(void)
{
	struct stamp best = { 0, 0 };
	uint64_t best_width = UINT64_MAX;

	for (int i = 0; i < TRIES; i++) {
		uint64_t a = __rdtsc();
		int64_t ns = now_ns();
		uint64_t b = __rdtsc();

		if (b - a < best_width) {
			best_width = b - a;
			best.tsc = a + (b - a) / 2;
			best.ns = ns;
		}
	}
	return best;
}

int main(void)
{
	struct timespec pause = { 0, INTERVAL_NS };
	struct stamp start, end;

	start = stamp();
	nanosleep(&pause, NULL);
	end = stamp();
	if (end.ns <= start.ns || end.tsc <= start.tsc)
		return 1;
	printf("%llu\n", (unsigned long long)((end.tsc - start.tsc) * 1000000ULL /
					     (uint64_t)(end.ns - start.ns)));
	return 0;
}
