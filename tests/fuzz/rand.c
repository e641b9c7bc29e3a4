// SPDX-License-Identifier: GPL-2.0
/*
 * Random numbers: xoshiro256** per thread, seeded from the run's seed,
 * the worker and the thread, so that a run can be repeated with -s.
 */
#include "fuzz.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void fz_rng_seed(struct fz_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t fz_rand64(struct fz_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n); 0 when n is 0. */
uint64_t fz_below(struct fz_rng *r, uint64_t n)
{
	return n ? fz_rand64(r) % n : 0;
}

bool fz_one_in(struct fz_rng *r, unsigned int n)
{
	return fz_below(r, n) == 0;
}

/* Numbers that sit on boundaries, where checks tend to be wrong. */
uint64_t fz_interesting64(struct fz_rng *r)
{
	static const uint64_t values[] = {
		0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256,
		511, 512, 1023, 1024, 4095, 4096, 4097, 65535, 65536,
		0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
		~0ULL, ~0ULL - 1, (uint64_t)-4096, (uint64_t)INT32_MIN,
	};
	uint64_t v = FZ_PICK(r, values);

	switch (fz_below(r, 4)) {
	case 0:
		return v + fz_below(r, 3) - 1;	/* one either side */
	case 1:
		return 1ULL << fz_below(r, 64);
	default:
		return v;
	}
}

/* A random subset of @mask, biased towards few bits. */
uint64_t fz_random_bits(struct fz_rng *r, uint64_t mask)
{
	uint64_t v = 0;

	if (!mask)
		return 0;
	switch (fz_below(r, 4)) {
	case 0:
		return mask & fz_rand64(r);
	default:
		for (int n = fz_below(r, 4); n >= 0; n--) {
			uint64_t bit = 1ULL << fz_below(r, 64);

			/* Find a bit of @mask at or above a random one. */
			while (bit && !(bit & mask))
				bit <<= 1;
			if (!bit)
				bit = mask & -mask;
			v |= bit;
		}
		return v;
	}
}
