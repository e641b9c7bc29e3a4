// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the pure logic of kernel/container.c: name validation
 * and the namespaced ID allocator.  Included from container.c so that the
 * tests reach its static functions.
 */
#include <kunit/test.h>

static void container_test_names(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, container_name_valid("web-1"));
	KUNIT_EXPECT_TRUE(test, container_name_valid("a.b_c-D9"));
	KUNIT_EXPECT_FALSE(test, container_name_valid(""));
	KUNIT_EXPECT_FALSE(test, container_name_valid("a b"));
	KUNIT_EXPECT_FALSE(test, container_name_valid("a/b"));
	KUNIT_EXPECT_FALSE(test, container_name_valid("caf\xc3\xa9"));
	KUNIT_EXPECT_FALSE(test, container_name_valid("tab\t"));
}

/* A private root ID space, so the tests leave the real one alone. */
static struct container *container_test_space(struct kunit *test)
{
	struct container *root = container_alloc(&init_container, 0, "root");

	KUNIT_ASSERT_NOT_NULL(test, root);
	root->level = 0;
	return root;
}

static struct container *container_test_child(struct kunit *test,
					      struct container *parent,
					      u32 set_id, int *err)
{
	struct container *c = container_alloc(parent, 0, "t");

	KUNIT_ASSERT_NOT_NULL(test, c);
	*err = container_alloc_ids(c, set_id);
	if (!*err)
		container_publish(c);
	return c;
}

static void container_test_ids_nest(struct kunit *test)
{
	struct container *root = container_test_space(test);
	struct container *a, *b, *c;
	int err;

	a = container_test_child(test, root, 0, &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	b = container_test_child(test, a, 0, &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	c = container_test_child(test, b, 0, &err);
	KUNIT_ASSERT_EQ(test, err, 0);

	KUNIT_EXPECT_EQ(test, a->level, 1U);
	KUNIT_EXPECT_EQ(test, c->level, 3U);
	/* Each level numbers its own descendants from 1. */
	KUNIT_EXPECT_EQ(test, container_id_in(a, root), 1ULL);
	KUNIT_EXPECT_EQ(test, container_id_in(b, root), 2ULL);
	KUNIT_EXPECT_EQ(test, container_id_in(c, root), 3ULL);
	KUNIT_EXPECT_EQ(test, container_id_in(b, a), 1ULL);
	KUNIT_EXPECT_EQ(test, container_id_in(c, a), 2ULL);
	KUNIT_EXPECT_EQ(test, container_id_in(c, b), 1ULL);
	/* Self is 0; up and sideways is invisible. */
	KUNIT_EXPECT_EQ(test, container_id_in(b, b), CONTAINER_ID_SELF);
	KUNIT_EXPECT_EQ(test, container_id_in(a, b), CONTAINER_ID_NONE);
	KUNIT_EXPECT_EQ(test, container_id_in(root, c), CONTAINER_ID_NONE);
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&a->descendants, 2), c);
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&root->descendants, 3), c);

	container_put(c);
	container_put(b);
	container_put(a);
	container_put(root);
}

static void container_test_ids_set_and_reuse(struct kunit *test)
{
	struct container *root = container_test_space(test);
	struct container *a, *b, *c;
	u32 freed;
	int err;

	a = container_test_child(test, root, 42, &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, container_id_in(a, root), 42ULL);

	/* A taken ID is refused, and nothing is left reserved. */
	b = container_test_child(test, root, 42, &err);
	KUNIT_EXPECT_EQ(test, err, -EEXIST);
	KUNIT_EXPECT_EQ(test, b->ids[0].nr, 0U);
	container_put(b);

	/* Cyclic: a freed ID is not handed out again straight away. */
	b = container_test_child(test, root, 0, &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	freed = b->ids[0].nr;
	xa_erase(&root->descendants, freed);
	b->ids[0].nr = 0;
	c = container_test_child(test, root, 0, &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_GT(test, c->ids[0].nr, freed);

	container_put(c);
	container_put(b);
	container_put(a);
	container_put(root);
}

static struct kunit_case container_test_cases[] = {
	KUNIT_CASE(container_test_names),
	KUNIT_CASE(container_test_ids_nest),
	KUNIT_CASE(container_test_ids_set_and_reuse),
	{}
};

static struct kunit_suite container_test_suite = {
	.name = "container",
	.test_cases = container_test_cases,
};

kunit_test_suite(container_test_suite);
