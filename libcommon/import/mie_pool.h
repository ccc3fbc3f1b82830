/* mie_pool.h — parallel building for a source reader: a batch of work
 * items built on N threads into forks of the import context (see
 * mie_import_fork), joined in order.
 *
 * A batch is n items cut into chunks of consecutive items; each chunk is
 * built by one thread into its own fork, with that thread's messages
 * captured into the fork; mie_batch_join then replays the forks into the
 * context in chunk order.  So the records, rejects, messages and counts
 * of a batch are exactly those one thread building the items in order
 * would have written, whatever the number of threads and their timing.
 *
 * A pool is N - 1 threads that build beside the caller: the caller hands
 * a batch (mie_pool_start), may do other work meanwhile (join the batch
 * before, read the next), builds in it too (mie_batch_help) and waits
 * (mie_pool_wait).  The build function must be reentrant, and what it
 * reads of the source's state must not change while a batch is built. */
#ifndef MIE_POOL_H
#define MIE_POOL_H

#include <stddef.h>

#include "import/mie_import.h"

/* Builds items [from, to) of a batch into fork (a worker thread, its
 * messages captured).  arg: the batch's (mie_batch_new). */
typedef void (*mie_batch_fn)(void *arg, mie_import *fork, size_t from, size_t to);

typedef struct mie_batch mie_batch;

/* A batch of at most max items of ctx (borrowed; must outlive the batch),
 * built by fn(arg, ...) in chunks of `chunk` items.  Owned by the caller:
 * mie_batch_free. */
mie_batch *mie_batch_new(mie_import *ctx, mie_batch_fn fn, void *arg, size_t chunk, size_t max);

/* Readies the batch for items [0, n) (n <= max): a fork per chunk.  The
 * batch must have been joined since the last mie_batch_set. */
void mie_batch_set(mie_batch *b, size_t n);

/* Builds chunks of b not taken yet, on the calling thread, until none is
 * left (the pool's threads do the same). */
void mie_batch_help(mie_batch *b);

/* Joins the built forks into the context, in chunk order, and frees
 * them.  Returns 0, or -1 on an output error. */
int mie_batch_join(mie_batch *b);

/* Frees b (its forks, if not joined: their output is lost) and sets
 * *b = NULL.  NULL or *b NULL: no-op. */
void mie_batch_free(mie_batch **b);

typedef struct mie_pool mie_pool;

/* Starts up to `threads` threads (fewer when the system gives fewer; 0 is
 * a pool that builds nothing, all left to mie_batch_help).  Owned:
 * mie_pool_free. */
mie_pool *mie_pool_new(int threads);

/* Hands b to every thread of the pool, which build its chunks until none
 * is left.  b must stay alive until mie_pool_wait returns. */
void mie_pool_start(mie_pool *p, mie_batch *b);

/* Waits until every thread is done with the batch handed. */
void mie_pool_wait(mie_pool *p);

/* Stops and joins the threads (after mie_pool_wait), frees the pool and
 * sets *p = NULL.  NULL or *p NULL: no-op. */
void mie_pool_free(mie_pool **p);

#endif
