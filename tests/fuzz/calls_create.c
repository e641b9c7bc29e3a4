// SPDX-License-Identifier: GPL-2.0
/*
 * container_create(2): the struct mutated field by field, at every size
 * (0, short, the first version, larger with a zero or a non-zero tail,
 * above a page) and behind every kind of pointer.
 */
#include "fuzz.h"

static uint64_t set_id(struct fz_thread *t)
{
	switch (fz_below(&t->rng, 8)) {
	case 0:
		return 1 + fz_below(&t->rng, 64);	/* likely taken or near */
	case 1:
		return CONTAINER_ID_MAX - fz_below(&t->rng, 2);
	case 2:
		return CONTAINER_ID_MAX + 1;
	case 3:
		return fz_interesting64(&t->rng);
	default:
		return 0;
	}
}

static long call_container_create(struct fz_thread *t)
{
	struct container_args args = {
		.flags = fz_container_flags(t),
		.name = (uintptr_t)fz_container_name(t),
		.set_id = set_id(t),
	};
	size_t size = fz_size(t, CONTAINER_ARGS_SIZE_VER0);
	void *p;
	long ret;

	/* One field in eight replaced by anything at all. */
	if (fz_one_in(&t->rng, 8))
		((uint64_t *)&args)[fz_below(&t->rng, 3)] = fz_rand64(&t->rng);
	p = fz_ptr_in(t, &args, sizeof(args), size);
	ret = fz_ret(sys_container_create(p, size));
	/* Keep some: they are containers the other calls have not seen. */
	fz_adopt(t, ret, FZ_K_CONTAINER, 4);
	return ret;
}

const struct fz_call fz_create_calls[] = {
	{ "container_create", 10, call_container_create },
};
const unsigned int fz_nr_create_calls =
	sizeof(fz_create_calls) / sizeof(fz_create_calls[0]);
