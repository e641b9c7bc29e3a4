// SPDX-License-Identifier: GPL-2.0
/*
 * The container keyring, and request_key() upcalls served by a container's
 * manager instead of the host.
 *
 * A container may have a keyring that its members search after their
 * thread, process and session keyrings, as a keyring they possess.  Its
 * manager, whoever may fork into the container from outside, links keys
 * into it and unlinks them (KEYCTL_CONTAINER_LINK, _UNLINK).  Members can
 * search and read the keyring but not change it.
 *
 * A member's request_key() that finds no key would run /sbin/request-key
 * on the host, in init's namespaces and with root's credentials.  Instead:
 *
 *  - With an interception (KEYCTL_CONTAINER_INTERCEPT) of the key's type,
 *    or of every type, the request's authorisation key is linked into a
 *    keyring of the manager's, its queue.  The manager hears of it from a
 *    key notification on the queue or from EPOLLPRI on the container fd,
 *    asks what it is (KEYCTL_CONTAINER_QUERY), assumes authority and
 *    instantiates, negates or rejects the key, as /sbin/request-key does.
 *  - With KEYCTL_CONTAINER_INTERCEPT_HOST, which only a manager privileged
 *    on the host may set, the host's helper runs as it would without
 *    containers.
 *  - Without either, the request is refused.
 *
 * A request nobody answers is negated at its timeout, when its
 * interception is removed, when its queue keyring is destroyed and when
 * the container dies: in-kernel requesters wait uninterruptibly, and a
 * mount inside the container must not hang for ever.
 *
 * See Documentation/userspace-api/container.rst, "Keys".
 */

#include <linux/containerfd.h>
#include <linux/cred.h>
#include <linux/key.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <keys/request_key_auth-type.h>

#include "internal.h"
#include "../../kernel/container_internal.h"

/* Requests of one container waiting for an answer at once, at most. */
#define CONTAINER_KEYS_MAX_REQUESTS	256

/* How long a request negated here stays negative: request_key.c's 60 s. */
#define CONTAINER_KEYS_NEGATIVE_TIMEOUT	60

/* Key type names are at most 31 characters, as keyctl(2) reads them. */
#define CONTAINER_KEYS_TYPE_MAX		32

/*
 * Members possess the container keyring: they may search and read it, not
 * change it.  The owner of the container's user namespace, its owner, may
 * look at it too.  KEY_FLAG_KEEP stops KEYCTL_INVALIDATE, which needs only
 * Search, and any clear, revoke or timeout.
 */
#define CONTAINER_KEYRING_PERM						\
	(KEY_POS_VIEW | KEY_POS_READ | KEY_POS_SEARCH |			\
	 KEY_USR_VIEW | KEY_USR_READ | KEY_USR_SEARCH)

#define CONTAINER_INTERCEPT_FLAGS	KEYCTL_CONTAINER_INTERCEPT_HOST

/**
 * struct container_keys - a container's keyring, interceptions and requests
 * @container: the container, which owns this
 * @keyring: the container keyring, once a manager asked for it
 * @intercepts: its interceptions, by &container_intercept.node
 * @requests: its requests not yet freed, by &container_key_request.node
 * @nr_requests: how many
 * @nr_unclaimed: how many no one has queried: EPOLLPRI on the container fd
 * @timeout_work: negates the requests whose time is up
 * @next_timeout: when @timeout_work runs, if it is pending
 * @dead: the container died: no more grants, interceptions or requests
 * @drained: woken when @requests empties
 *
 * All but @keyring are under ckeys_mutex.  @keyring is set once, with
 * release semantics, and put when the container is freed: a member
 * searches it under RCU while its task holds the container.
 */
struct container_keys {
	struct container	*container;
	struct key		*keyring;
	struct list_head	intercepts;
	struct list_head	requests;
	unsigned int		nr_requests;
	unsigned int		nr_unclaimed;
	struct delayed_work	timeout_work;
	unsigned long		next_timeout;
	bool			dead;
	wait_queue_head_t	drained;
};

/**
 * struct container_key_queue - a keyring interceptions queue requests in
 * @keyring: the keyring, not referenced (a queue must not outlive its
 *           manager's interest): keyring_destroy() tells us when it goes,
 *           and it is NULL from then on
 * @serial: its serial, its index in ckeys_queues
 * @users: the interceptions and requests using it
 * @intercepts: the interceptions, by &container_intercept.queue_node
 * @requests: the requests, by &container_key_request.queue_node
 */
struct container_key_queue {
	struct key		*keyring;
	key_serial_t		serial;
	unsigned int		users;
	struct list_head	intercepts;
	struct list_head	requests;
};

/**
 * struct container_intercept - who serves one key type's upcalls
 * @node: in &container_keys.intercepts
 * @queue_node: in &container_key_queue.intercepts
 * @keys: its container's
 * @queue: where requests go; NULL with KEYCTL_CONTAINER_INTERCEPT_HOST
 * @flags: KEYCTL_CONTAINER_INTERCEPT_*
 * @timeout: seconds a request waits for its answer
 * @may_net: the container's network namespace when the manager had
 *           CAP_SYS_ADMIN over its owner, else NULL: it may answer
 *           requests whose keys go to the kernel's caches of that
 *           namespace.  Adoption may give the container another one
 *           later (container_adopt.c), which this does not allow.
 * @type: the key type's name; empty for every type
 */
struct container_intercept {
	struct list_head		node;
	struct list_head		queue_node;
	struct container_keys		*keys;
	struct container_key_queue	*queue;
	unsigned int			flags;
	unsigned int			timeout;
	const struct net		*may_net;
	char				type[CONTAINER_KEYS_TYPE_MAX];
};

/**
 * struct container_key_request - a request waiting in a queue
 * @node: in &container_keys.requests
 * @queue_node: in &container_key_queue.requests
 * @keys: its container's
 * @queue: the queue it waits in
 * @intercept: the interception that took it; NULL once that is removed
 * @authkey: its authorisation key
 * @target: the key under construction
 * @deadline: when it is negated, in jiffies
 * @claimed: someone queried it
 * @kernel: made with credentials not the requester's own
 * @done_wait: on the bit wait queue of @target's KEY_FLAG_USER_CONSTRUCT
 * @done_work: frees it once @target is constructed, however that happened
 *
 * A request lives from its interception until the construction of @target
 * ends: with an answer, a negation here, or anyone's with its authority.
 * The end wakes @done_wait, whose work frees it.
 */
struct container_key_request {
	struct list_head		node;
	struct list_head		queue_node;
	struct container_keys		*keys;
	struct container_key_queue	*queue;
	struct container_intercept	*intercept;
	struct key			*authkey;
	struct key			*target;
	unsigned long			deadline;
	bool				claimed;
	bool				kernel;
	struct wait_bit_queue_entry	done_wait;
	struct work_struct		done_work;
};

/* Guards every interception, queue and request, and makes keyrings. */
static DEFINE_MUTEX(ckeys_mutex);
/* Queue keyrings in use, by serial: struct container_key_queue. */
static DEFINE_XARRAY(ckeys_queues);
/* Requests waiting, by the serial of their authorisation key. */
static DEFINE_XARRAY(ckeys_requests);

static void ckeys_timeout_work(struct work_struct *work);

/* @c's keys, made if need be.  Under ckeys_mutex. */
static struct container_keys *ckeys_get(struct container *c)
{
	struct container_keys *keys = c->keys;

	lockdep_assert_held(&ckeys_mutex);
	if (keys)
		return keys;
	keys = kzalloc(sizeof(*keys), GFP_KERNEL_ACCOUNT);
	if (!keys)
		return NULL;
	keys->container = c;
	INIT_LIST_HEAD(&keys->intercepts);
	INIT_LIST_HEAD(&keys->requests);
	INIT_DELAYED_WORK(&keys->timeout_work, ckeys_timeout_work);
	init_waitqueue_head(&keys->drained);
	/* Members read it without the mutex: publish it whole. */
	smp_store_release(&c->keys, keys);
	return keys;
}

/*
 * @c's keys, made if need be, while @c lives.  container_keys_dead() takes
 * ckeys_mutex after @c, or an ancestor, is marked dead: keys made for a
 * container seen alive here are shut down by it, and one seen dead gets
 * none, which nothing would shut down before the container is freed.
 * Under ckeys_mutex.
 */
static struct container_keys *ckeys_get_live(struct container *c)
{
	struct container_keys *keys;

	lockdep_assert_held(&ckeys_mutex);
	if (container_is_dead(c))
		return ERR_PTR(-ESRCH);
	keys = ckeys_get(c);
	if (!keys)
		return ERR_PTR(-ENOMEM);
	return keys->dead ? ERR_PTR(-ESRCH) : keys;
}

/* The container keyring, made if need be.  Under ckeys_mutex. */
static struct key *ckeys_keyring(struct container_keys *keys)
{
	struct user_namespace *owner = keys->container->user_ns;
	struct key *keyring = keys->keyring;

	lockdep_assert_held(&ckeys_mutex);
	if (keyring)
		return keyring;
	/*
	 * A name starting with a dot is never published, so no one can join
	 * it by name; no quota is charged, as for the user keyrings.
	 */
	keyring = keyring_alloc(".container", owner->owner, owner->group,
				current_cred(), CONTAINER_KEYRING_PERM,
				KEY_ALLOC_NOT_IN_QUOTA | KEY_ALLOC_SET_KEEP,
				NULL, NULL);
	if (IS_ERR(keyring))
		return keyring;
	/* Members search it without the mutex: publish it whole. */
	smp_store_release(&keys->keyring, keyring);
	return keyring;
}

/**
 * container_keyring_rcu - the keyring a search of current's keyrings ends at
 * @ctx: the search
 *
 * Called by search_cred_keyrings_rcu() under rcu_read_lock() after the
 * thread, process and session keyrings.  Not when it searches on behalf of
 * a requester whose authority current assumed (that requester's container
 * was searched when it asked), and never for authorisation keys: those
 * are found only where their manager keeps them.
 *
 * Return: current's container keyring, not referenced, or NULL.
 */
struct key *container_keyring_rcu(const struct keyring_search_context *ctx)
{
	struct container_keys *keys;

	if (ctx->cred != current_cred() ||
	    ctx->index_key.type == &key_type_request_key_auth)
		return NULL;
	/* Pairs with the release in ckeys_get(): @keys is whole. */
	keys = smp_load_acquire(&current->container->keys);
	if (!keys)
		return NULL;
	/* Pairs with the release in ckeys_keyring(): so is the keyring. */
	return smp_load_acquire(&keys->keyring);
}

/**
 * container_keyring_get - KEY_SPEC_CONTAINER_KEYRING
 *
 * Return: current's container keyring, referenced, or NULL when no manager
 * made one.
 */
struct key *container_keyring_get(void)
{
	struct container_keys *keys;
	struct key *keyring;

	/* Pairs with the release in ckeys_get(): @keys is whole. */
	keys = smp_load_acquire(&current->container->keys);
	if (!keys)
		return NULL;
	/* Pairs with the release in ckeys_keyring(): so is the keyring. */
	keyring = smp_load_acquire(&keys->keyring);
	return keyring ? key_get(keyring) : NULL;
}

/* Drop a user of @queue; the last frees it.  Under ckeys_mutex. */
static void ckeys_queue_put(struct container_key_queue *queue)
{
	if (--queue->users)
		return;
	xa_erase(&ckeys_queues, queue->serial);
	kfree(queue);
}

/* A user of the queue @keyring, which the caller holds.  Under ckeys_mutex. */
static struct container_key_queue *ckeys_queue_get(struct key *keyring)
{
	struct container_key_queue *queue;
	int err;

	queue = xa_load(&ckeys_queues, keyring->serial);
	if (queue && queue->keyring == keyring) {
		queue->users++;
		return queue;
	}
	/* The serial of a keyring destroyed and not yet forgotten: refuse. */
	if (queue)
		return ERR_PTR(-EBUSY);
	queue = kzalloc(sizeof(*queue), GFP_KERNEL_ACCOUNT);
	if (!queue)
		return ERR_PTR(-ENOMEM);
	queue->keyring = keyring;
	queue->serial = keyring->serial;
	queue->users = 1;
	INIT_LIST_HEAD(&queue->intercepts);
	INIT_LIST_HEAD(&queue->requests);
	err = xa_insert(&ckeys_queues, queue->serial, queue, GFP_KERNEL_ACCOUNT);
	if (err) {
		kfree(queue);
		return ERR_PTR(err);
	}
	return queue;
}

/*
 * End @req's construction with @error.  Its done_wait frees it.  Nothing
 * happens if it ended already.  Under ckeys_mutex.
 */
static void ckeys_request_negate(struct container_key_request *req, int error)
{
	key_reject_and_link(req->target, CONTAINER_KEYS_NEGATIVE_TIMEOUT,
			    error, NULL, req->authkey);
}

/* Unlist and free @req.  Under ckeys_mutex. */
static void ckeys_request_free(struct container_key_request *req)
{
	struct container_keys *keys = req->keys;

	xa_erase(&ckeys_requests, req->authkey->serial);
	list_del(&req->queue_node);
	ckeys_queue_put(req->queue);
	list_del(&req->node);
	WRITE_ONCE(keys->nr_requests, keys->nr_requests - 1);
	if (!req->claimed)
		WRITE_ONCE(keys->nr_unclaimed, keys->nr_unclaimed - 1);
	if (!keys->nr_requests)
		wake_up_all(&keys->drained);
	key_put(req->target);
	key_put(req->authkey);
	kfree(req);
}

static void ckeys_request_done(struct work_struct *work)
{
	struct container_key_request *req =
		container_of(work, struct container_key_request, done_work);

	guard(mutex)(&ckeys_mutex);
	ckeys_request_free(req);
}

/*
 * Woken by wake_up_bit() on a word that may be anyone's: only the end of
 * our target's construction counts.  Under the wait queue's lock.
 */
static int ckeys_request_woken(struct wait_queue_entry *wq_entry,
			       unsigned int mode, int sync, void *arg)
{
	struct wait_bit_queue_entry *wbq =
		container_of(wq_entry, struct wait_bit_queue_entry, wq_entry);
	struct container_key_request *req =
		container_of(wbq, struct container_key_request, done_wait);
	struct wait_bit_key *key = arg;

	if (wbq->key.flags != key->flags || wbq->key.bit_nr != key->bit_nr ||
	    test_bit(key->bit_nr, key->flags))
		return 0;
	list_del_init(&wq_entry->entry);
	schedule_work(&req->done_work);
	return 1;
}

/* Remove @intercept, negating what it queued.  Under ckeys_mutex. */
static void ckeys_intercept_remove(struct container_intercept *intercept)
{
	struct container_keys *keys = intercept->keys;
	struct container_key_request *req;

	list_for_each_entry(req, &keys->requests, node) {
		if (req->intercept != intercept)
			continue;
		req->intercept = NULL;
		ckeys_request_negate(req, ENOKEY);
	}
	list_del(&intercept->node);
	if (intercept->queue) {
		list_del(&intercept->queue_node);
		ckeys_queue_put(intercept->queue);
	}
	kfree(intercept);
}

/* Negate every request and remove every interception.  Under ckeys_mutex. */
static void ckeys_shut_down(struct container_keys *keys)
{
	struct container_intercept *intercept, *next;
	struct container_key_request *req;

	keys->dead = true;
	list_for_each_entry_safe(intercept, next, &keys->intercepts, node)
		ckeys_intercept_remove(intercept);
	list_for_each_entry(req, &keys->requests, node)
		ckeys_request_negate(req, ENOKEY);
}

/**
 * container_keys_dead - a container died
 * @c: the container
 *
 * From the container's zap_work, for it and each container below it: its
 * requests are negated, its interceptions removed and its keyring cleared,
 * and nothing is granted or intercepted from now on.
 */
void container_keys_dead(struct container *c)
{
	struct container_keys *keys;

	guard(mutex)(&ckeys_mutex);
	keys = c->keys;
	if (!keys || keys->dead)
		return;
	ckeys_shut_down(keys);
	if (keys->keyring)
		keyring_clear(keys->keyring);
}

/**
 * container_keys_free - a container is freed
 * @c: the container, which no task is in
 *
 * From container_free_work(): negates what is left, waits until the
 * requests negated are freed, and puts the keyring.
 */
void container_keys_free(struct container *c)
{
	struct container_keys *keys = c->keys;

	if (!keys)
		return;
	mutex_lock(&ckeys_mutex);
	ckeys_shut_down(keys);
	mutex_unlock(&ckeys_mutex);
	/* Each request negated is freed by its done_work, under the mutex. */
	wait_event(keys->drained, !READ_ONCE(keys->nr_requests));
	mutex_lock(&ckeys_mutex);
	mutex_unlock(&ckeys_mutex);
	cancel_delayed_work_sync(&keys->timeout_work);
	key_put(keys->keyring);
	kfree(keys);
}

/**
 * container_keys_poll - EPOLLPRI on a container fd
 * @c: the container
 *
 * Return: EPOLLPRI while a request of @c waits that no one has queried.
 */
__poll_t container_keys_poll(struct container *c)
{
	/* Pairs with the release in ckeys_get(). */
	struct container_keys *keys = smp_load_acquire(&c->keys);

	return keys && READ_ONCE(keys->nr_unclaimed) ? EPOLLPRI : 0;
}

/**
 * container_keys_keyring_destroyed - a keyring is destroyed
 * @keyring: the keyring
 *
 * From keyring_destroy(): if @keyring is a queue, its interceptions are
 * removed and the requests in it negated.
 */
void container_keys_keyring_destroyed(struct key *keyring)
{
	struct container_intercept *intercept, *next_intercept;
	struct container_key_request *req;
	struct container_key_queue *queue;

	if (!xa_load(&ckeys_queues, keyring->serial))
		return;
	guard(mutex)(&ckeys_mutex);
	queue = xa_load(&ckeys_queues, keyring->serial);
	if (!queue || queue->keyring != keyring)
		return;
	queue->keyring = NULL;
	queue->users++;
	list_for_each_entry_safe(intercept, next_intercept, &queue->intercepts,
				 queue_node)
		ckeys_intercept_remove(intercept);
	list_for_each_entry(req, &queue->requests, queue_node)
		ckeys_request_negate(req, ENOKEY);
	ckeys_queue_put(queue);
}

/* Run the timeouts of @keys, and again at the next one.  */
static void ckeys_timeout_work(struct work_struct *work)
{
	struct container_keys *keys = container_of(to_delayed_work(work),
						   struct container_keys,
						   timeout_work);
	struct container_key_request *req;
	unsigned long now = jiffies, next = 0;
	bool more = false;

	guard(mutex)(&ckeys_mutex);
	list_for_each_entry(req, &keys->requests, node) {
		if (!test_bit(KEY_FLAG_USER_CONSTRUCT, &req->target->flags))
			continue;
		if (time_after_eq(now, req->deadline)) {
			ckeys_request_negate(req, ETIMEDOUT);
		} else if (!more || time_before(req->deadline, next)) {
			next = req->deadline;
			more = true;
		}
	}
	if (more) {
		keys->next_timeout = next;
		mod_delayed_work(system_wq, &keys->timeout_work, next - now);
	}
}

/* @req's timeout is due at its deadline.  Under ckeys_mutex. */
static void ckeys_arm_timeout(struct container_keys *keys,
			      struct container_key_request *req)
{
	if (delayed_work_pending(&keys->timeout_work) &&
	    !time_before(req->deadline, keys->next_timeout))
		return;
	keys->next_timeout = req->deadline;
	mod_delayed_work(system_wq, &keys->timeout_work,
			 req->deadline - jiffies);
}

/* The interception of @type, else the one of every type.  Under ckeys_mutex. */
static struct container_intercept *ckeys_intercept_find(struct container_keys *keys,
							const char *type)
{
	struct container_intercept *intercept, *any = NULL;

	list_for_each_entry(intercept, &keys->intercepts, node) {
		if (!strcmp(intercept->type, type))
			return intercept;
		if (!intercept->type[0])
			any = intercept;
	}
	return any;
}

/*
 * May @intercept's manager answer this request?  A key requested with the
 * requester's own credentials goes to the requester's keyrings.  One that
 * kernel code requests with credentials of its own (override_creds(), as
 * the DNS resolver does) goes to a cache of the kernel's that others
 * search: only keys tagged with the container's network namespace, and
 * only for a manager who holds CAP_SYS_ADMIN over its owner, so that an
 * answer reaches no one outside.
 */
static bool ckeys_may_answer(struct container_intercept *intercept,
			     struct key *target, bool kernel)
{
	struct container *c = intercept->keys->container;
	const struct net *net = container_nsproxy(c)->net_ns;

	if (!kernel)
		return true;
	return intercept->may_net == net && target->index_key.domain_tag &&
	       target->index_key.domain_tag == net->key_domain;
}

/* Queue @authkey in @intercept's queue.  Under ckeys_mutex. */
static int ckeys_request_queue(struct container_intercept *intercept,
			       struct key *authkey, struct key *target,
			       bool kernel)
{
	struct container_keys *keys = intercept->keys;
	struct container_key_queue *queue = intercept->queue;
	struct container_key_request *req;
	wait_queue_head_t *wq;
	struct key *keyring;
	int err;

	if (keys->nr_requests >= CONTAINER_KEYS_MAX_REQUESTS)
		return -EDQUOT;
	/* A queue whose last reference went is being destroyed: it is gone. */
	keyring = queue->keyring;
	if (!keyring || !refcount_inc_not_zero(&keyring->usage))
		return -ENOKEY;

	err = -ENOMEM;
	req = kzalloc(sizeof(*req), GFP_KERNEL_ACCOUNT);
	if (!req)
		goto out;
	req->keys = keys;
	req->queue = queue;
	req->intercept = intercept;
	req->authkey = key_get(authkey);
	req->target = key_get(target);
	req->kernel = kernel;
	req->deadline = jiffies + intercept->timeout * HZ;
	INIT_WORK(&req->done_work, ckeys_request_done);
	err = xa_insert(&ckeys_requests, authkey->serial, req, GFP_KERNEL);
	if (err)
		goto out_free;

	/* Listen for the end of the construction before anyone can end it. */
	req->done_wait.key = (struct wait_bit_key)
		__WAIT_BIT_KEY_INITIALIZER(&target->flags, KEY_FLAG_USER_CONSTRUCT);
	init_waitqueue_func_entry(&req->done_wait.wq_entry, ckeys_request_woken);
	wq = bit_waitqueue(&target->flags, KEY_FLAG_USER_CONSTRUCT);
	add_wait_queue(wq, &req->done_wait.wq_entry);

	err = key_link(keyring, authkey);
	if (err) {
		remove_wait_queue(wq, &req->done_wait.wq_entry);
		xa_erase(&ckeys_requests, authkey->serial);
		goto out_free;
	}

	list_add_tail(&req->node, &keys->requests);
	list_add_tail(&req->queue_node, &queue->requests);
	queue->users++;
	WRITE_ONCE(keys->nr_requests, keys->nr_requests + 1);
	WRITE_ONCE(keys->nr_unclaimed, keys->nr_unclaimed + 1);
	ckeys_arm_timeout(keys, req);
	wake_up_interruptible_poll(&keys->container->wait, EPOLLPRI);
	key_put(keyring);
	return 0;

out_free:
	key_put(req->target);
	key_put(req->authkey);
	kfree(req);
out:
	key_put(keyring);
	return err;
}

/* Route a request of @c's.  Under ckeys_mutex.  As container_request_key(). */
static int ckeys_route(struct container *c, struct key *authkey,
		       struct key *target, bool kernel)
{
	struct container_intercept *intercept;
	struct container_keys *keys = c->keys;

	if (!keys || keys->dead)
		return -ENOKEY;
	intercept = ckeys_intercept_find(keys, target->type->name);
	if (!intercept)
		return -ENOKEY;
	if (intercept->flags & KEYCTL_CONTAINER_INTERCEPT_HOST)
		return 1;
	if (!ckeys_may_answer(intercept, target, kernel))
		return -ENOKEY;
	return ckeys_request_queue(intercept, authkey, target, kernel);
}

/**
 * container_request_key - route an upcall made in a container
 * @authkey: the request's authorisation key
 *
 * Called by call_sbin_request_key() before it runs /sbin/request-key on the
 * host, in the requester's context.  A request refused is completed here,
 * negative for no time: nothing is cached, in the requester's keyrings or
 * in a cache of the kernel's others search, and the next request asks
 * again.
 *
 * Return: 1 to run /sbin/request-key: the requester is in no container, or
 * its manager asked for the host's helper; 0 when the request was queued
 * for the container's manager; a negative errno when it was refused.
 */
int container_request_key(struct key *authkey)
{
	struct request_key_auth *rka = get_request_key_auth(authkey);
	struct container *c = current->container;
	/* Kernel code asking on a member's behalf with its own credentials. */
	bool kernel = current_cred() != current_real_cred();
	struct key *target = rka->target_key;
	int ret;

	if (c == &init_container)
		return 1;
	scoped_guard(mutex, &ckeys_mutex)
		ret = ckeys_route(c, authkey, target, kernel);
	if (ret < 0)
		key_reject_and_link(target, 0, -ret, NULL, authkey);
	return ret;
}

/*
 * The container of @cfd, referenced, if current may manage its keys: what
 * forking into it needs, container_may(%CONTAINER_ACT_ENTER), checked
 * against the container's owning user namespace and the owners of its
 * namespaces.  Its own members never may, however privileged: the
 * container keyring and its upcalls are its manager's, outside.
 */
static struct container *ckeys_managed_container(int cfd)
{
	struct container *c = container_from_fd(cfd);
	int err;

	if (IS_ERR(c))
		return ERR_PTR(-EBADF);
	if (c == current->container)
		err = -EPERM;
	else
		err = container_may(c, CONTAINER_ACT_ENTER, NULL);
	if (!err && container_is_dead(c))
		err = -ESRCH;
	if (err) {
		container_put(c);
		return ERR_PTR(err);
	}
	return c;
}

/* The keyring of a live container's keys, made if need be.  Under ckeys_mutex. */
static struct key *ckeys_live_keyring(struct container *c)
{
	struct container_keys *keys = ckeys_get_live(c);

	if (IS_ERR(keys))
		return ERR_CAST(keys);
	return ckeys_keyring(keys);
}

/**
 * keyctl_container_keyring - KEYCTL_CONTAINER_KEYRING
 * @cfd: a container fd
 * @flags: must be 0
 *
 * Return: the serial of the container's keyring, made now if it had none.
 */
long keyctl_container_keyring(int cfd, unsigned int flags)
{
	struct container *c;
	struct key *keyring;

	if (flags)
		return -EINVAL;
	c = ckeys_managed_container(cfd);
	if (IS_ERR(c))
		return PTR_ERR(c);
	scoped_guard(mutex, &ckeys_mutex)
		keyring = ckeys_live_keyring(c);
	container_put(c);
	return IS_ERR(keyring) ? PTR_ERR(keyring) : keyring->serial;
}

/**
 * keyctl_container_link - KEYCTL_CONTAINER_LINK: grant a key to a container
 * @cfd: a container fd
 * @id: the key, which must grant the caller Link permission
 * @flags: must be 0
 *
 * Return: 0, or -EINVAL, -EBADF, -EPERM, -ESRCH (dead), -EACCES (no Link
 * permission on the key), or what key_link() returns.
 */
long keyctl_container_link(int cfd, key_serial_t id, unsigned int flags)
{
	struct container *c;
	struct key *keyring;
	key_ref_t key_ref;
	long ret;

	if (flags)
		return -EINVAL;
	c = ckeys_managed_container(cfd);
	if (IS_ERR(c))
		return PTR_ERR(c);
	key_ref = lookup_user_key(id, KEY_LOOKUP_CREATE, KEY_NEED_LINK);
	if (IS_ERR(key_ref)) {
		ret = PTR_ERR(key_ref);
		goto out;
	}
	scoped_guard(mutex, &ckeys_mutex) {
		keyring = ckeys_live_keyring(c);
		if (IS_ERR(keyring))
			ret = PTR_ERR(keyring);
		else
			ret = key_link(keyring, key_ref_to_ptr(key_ref));
	}
	key_ref_put(key_ref);
out:
	container_put(c);
	return ret;
}

/**
 * keyctl_container_unlink - KEYCTL_CONTAINER_UNLINK: take a grant back
 * @cfd: a container fd
 * @id: the key; no permission on it is needed
 * @flags: must be 0
 *
 * Return: 0, or -EINVAL, -EBADF, -EPERM, -ESRCH, -ENOENT when the key is
 * not in the container's keyring.
 */
long keyctl_container_unlink(int cfd, key_serial_t id, unsigned int flags)
{
	struct container_keys *keys;
	struct container *c;
	key_ref_t key_ref;
	long ret;

	if (flags)
		return -EINVAL;
	c = ckeys_managed_container(cfd);
	if (IS_ERR(c))
		return PTR_ERR(c);
	key_ref = lookup_user_key(id, KEY_LOOKUP_PARTIAL, KEY_NEED_UNLINK);
	if (IS_ERR(key_ref)) {
		ret = PTR_ERR(key_ref);
		goto out;
	}
	scoped_guard(mutex, &ckeys_mutex) {
		keys = c->keys;
		if (!keys || !keys->keyring)
			ret = -ENOENT;
		else if (keys->dead)
			ret = -ESRCH;
		else
			ret = key_unlink(keys->keyring, key_ref_to_ptr(key_ref));
	}
	key_ref_put(key_ref);
out:
	container_put(c);
	return ret;
}

/* Copy in and check the key type's name; "" for every type. */
static int ckeys_type_from_user(char *type, u64 utype)
{
	struct key_type *ktype;
	long len;

	type[0] = '\0';
	if (!utype)
		return 0;
	len = strncpy_from_user(type, u64_to_user_ptr(utype),
				CONTAINER_KEYS_TYPE_MAX);
	if (len < 0)
		return len;
	if (len == 0 || len == CONTAINER_KEYS_TYPE_MAX)
		return -EINVAL;
	/* As keyctl(2): types whose names start with a dot are the kernel's. */
	if (type[0] == '.')
		return -EPERM;
	ktype = key_type_lookup(type);
	if (IS_ERR(ktype))
		return -ENODEV;
	key_type_put(ktype);
	return 0;
}

/* Set, replace or remove @c's interception of @type.  Under ckeys_mutex. */
static long ckeys_intercept_set(struct container *c, const char *type,
				const struct keyctl_container_intercept *args,
				struct key *queue_keyring)
{
	struct container_intercept *intercept = NULL, *i;
	struct container_key_queue *queue = NULL;
	struct container_keys *keys;
	struct net *net;

	keys = ckeys_get_live(c);
	if (IS_ERR(keys))
		return PTR_ERR(keys);
	list_for_each_entry(i, &keys->intercepts, node)
		if (!strcmp(i->type, type))
			intercept = i;

	if (!queue_keyring && !(args->flags & KEYCTL_CONTAINER_INTERCEPT_HOST)) {
		if (!intercept)
			return -ENOENT;
		ckeys_intercept_remove(intercept);
		return 0;
	}

	if (queue_keyring) {
		queue = ckeys_queue_get(queue_keyring);
		if (IS_ERR(queue))
			return PTR_ERR(queue);
	}
	if (!intercept) {
		intercept = kzalloc(sizeof(*intercept), GFP_KERNEL_ACCOUNT);
		if (!intercept) {
			if (queue)
				ckeys_queue_put(queue);
			return -ENOMEM;
		}
		intercept->keys = keys;
		strscpy(intercept->type, type);
		INIT_LIST_HEAD(&intercept->queue_node);
		list_add_tail(&intercept->node, &keys->intercepts);
	} else if (intercept->queue) {
		/* Requests queued already stay in the queue they are in. */
		list_del_init(&intercept->queue_node);
		ckeys_queue_put(intercept->queue);
	}
	intercept->queue = queue;
	if (queue)
		list_add_tail(&intercept->queue_node, &queue->intercepts);
	intercept->flags = args->flags;
	intercept->timeout = args->timeout ?: KEYCTL_CONTAINER_TIMEOUT_DEFAULT;
	net = container_nsproxy(c)->net_ns;
	intercept->may_net = ns_capable_noaudit(net->user_ns, CAP_SYS_ADMIN) ?
			     net : NULL;
	return 0;
}

/**
 * keyctl_container_intercept - KEYCTL_CONTAINER_INTERCEPT
 * @cfd: a container fd
 * @uargs: a struct keyctl_container_intercept
 * @usize: its size as the caller knows it
 *
 * Requests of the type named, or of every type that has no interception
 * of its own, made by members of the container, go to @uargs->queue, a
 * keyring the caller may write to; with KEYCTL_CONTAINER_INTERCEPT_HOST,
 * which needs CAP_SYS_ADMIN in the initial user namespace, to the host's
 * /sbin/request-key.  Setting it again replaces it; a @queue of 0 without
 * that flag removes it, negating the requests it queued.
 *
 * Return: 0 or a negative errno.
 */
long keyctl_container_intercept(int cfd,
				const struct keyctl_container_intercept __user *uargs,
				size_t usize)
{
	struct keyctl_container_intercept args;
	char type[CONTAINER_KEYS_TYPE_MAX];
	struct key *queue_keyring = NULL;
	key_ref_t queue_ref = NULL;
	struct container *c;
	long ret;

	BUILD_BUG_ON(sizeof(args) != KEYCTL_CONTAINER_INTERCEPT_SIZE_VER0);
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize < KEYCTL_CONTAINER_INTERCEPT_SIZE_VER0)
		return -EINVAL;
	ret = copy_struct_from_user(&args, sizeof(args), uargs, usize);
	if (ret)
		return ret;
	if ((args.flags & ~CONTAINER_INTERCEPT_FLAGS) || args.reserved ||
	    args.timeout > KEYCTL_CONTAINER_TIMEOUT_MAX)
		return -EINVAL;
	if ((args.flags & KEYCTL_CONTAINER_INTERCEPT_HOST) && args.queue)
		return -EINVAL;
	ret = ckeys_type_from_user(type, args.type);
	if (ret)
		return ret;

	c = ckeys_managed_container(cfd);
	if (IS_ERR(c))
		return PTR_ERR(c);
	/* The host's helper runs as root in init's namespaces. */
	ret = -EPERM;
	if ((args.flags & KEYCTL_CONTAINER_INTERCEPT_HOST) &&
	    !capable(CAP_SYS_ADMIN))
		goto out;
	if (args.queue) {
		queue_ref = lookup_user_key(args.queue, KEY_LOOKUP_CREATE,
					    KEY_NEED_WRITE);
		if (IS_ERR(queue_ref)) {
			ret = PTR_ERR(queue_ref);
			goto out;
		}
		queue_keyring = key_ref_to_ptr(queue_ref);
		ret = -ENOTDIR;
		if (queue_keyring->type != &key_type_keyring)
			goto out_put;
	}
	scoped_guard(mutex, &ckeys_mutex) {
		/* Members would possess the requests in it. */
		if (queue_keyring && c->keys && queue_keyring == c->keys->keyring)
			ret = -EINVAL;
		else
			ret = ckeys_intercept_set(c, type, &args, queue_keyring);
	}
out_put:
	if (queue_ref)
		key_ref_put(queue_ref);
out:
	container_put(c);
	return ret;
}

/* A request's fields, as current sees them, from its authorisation. */
static void ckeys_fill_request(struct keyctl_container_request *kreq,
			       struct request_key_auth *rka)
{
	const struct cred *cred = rka->cred;
	struct user_namespace *ns = current_user_ns();

	kreq->key = rka->target_key->serial;
	kreq->pid = pid_nr_ns(rka->pid, task_active_pid_ns(current));
	kreq->uid = from_kuid_munged(ns, cred->fsuid);
	kreq->gid = from_kgid_munged(ns, cred->fsgid);
	kreq->thread_keyring = key_serial(cred->thread_keyring);
	kreq->process_keyring = key_serial(cred->process_keyring);
	kreq->session_keyring = key_serial(cred->session_keyring);
	kreq->callout_len = rka->callout_len;
	strscpy(kreq->type, rka->target_key->type->name);
}

/**
 * keyctl_container_query - KEYCTL_CONTAINER_QUERY: what a request asks
 * @authkey_id: the request's authorisation key, which the caller must
 *              possess (it is in a keyring the caller searches), as to
 *              assume authority over it
 * @ureq: a struct keyctl_container_request
 * @usize: its size as the caller knows it
 *
 * Marks the request claimed: EPOLLPRI on the container fd counts only the
 * requests no one has queried, and a later query says
 * KEYCTL_CONTAINER_REQUEST_CLAIMED.
 *
 * Return: 0; -EACCES when the caller does not possess @authkey_id; -EINVAL
 * when it is no authorisation key; -ENOKEY when it is no container's
 * request waiting for an answer.
 */
long keyctl_container_query(key_serial_t authkey_id,
			    struct keyctl_container_request __user *ureq,
			    size_t usize)
{
	struct keyctl_container_request kreq;
	struct container_key_request *req;
	struct request_key_auth *rka;
	struct key *authkey;
	key_ref_t authkey_ref;
	const char *desc;
	long ret;

	BUILD_BUG_ON(sizeof(kreq) != KEYCTL_CONTAINER_REQUEST_SIZE_VER0);
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize < KEYCTL_CONTAINER_REQUEST_SIZE_VER0)
		return -EINVAL;
	ret = copy_struct_from_user(&kreq, sizeof(kreq), ureq, usize);
	if (ret)
		return ret;

	authkey_ref = lookup_user_key(authkey_id, 0, KEY_NEED_READ);
	if (IS_ERR(authkey_ref))
		return PTR_ERR(authkey_ref);
	authkey = key_ref_to_ptr(authkey_ref);
	ret = -EINVAL;
	if (authkey->type != &key_type_request_key_auth)
		goto out;
	ret = -ENOKEY;
	rka = request_key_auth_get(authkey);
	if (!rka)
		goto out;

	scoped_guard(mutex, &ckeys_mutex) {
		req = xa_load(&ckeys_requests, authkey->serial);
		if (req && req->authkey == authkey &&
		    test_bit(KEY_FLAG_USER_CONSTRUCT, &req->target->flags)) {
			kreq.container_id = container_id_in(req->keys->container,
							    current->container);
			kreq.flags = req->kernel ? KEYCTL_CONTAINER_REQUEST_KERNEL : 0;
			kreq.timeout = time_after(req->deadline, jiffies) ?
				DIV_ROUND_UP(req->deadline - jiffies, HZ) : 0;
			if (req->claimed) {
				kreq.flags |= KEYCTL_CONTAINER_REQUEST_CLAIMED;
			} else {
				req->claimed = true;
				WRITE_ONCE(req->keys->nr_unclaimed,
					   req->keys->nr_unclaimed - 1);
			}
			ret = 0;
		}
	}
	if (ret)
		goto out_rka;

	ckeys_fill_request(&kreq, rka);
	desc = rka->target_key->description;
	kreq.description_len = strlen(desc) + 1;
	ret = -EFAULT;
	if (kreq.description && kreq.description_size >= kreq.description_len &&
	    copy_to_user(u64_to_user_ptr(kreq.description), desc,
			 kreq.description_len))
		goto out_rka;
	ret = copy_to_user(ureq, &kreq, min(usize, sizeof(kreq))) ? -EFAULT : 0;
out_rka:
	request_key_auth_put(rka);
out:
	key_ref_put(authkey_ref);
	return ret;
}
