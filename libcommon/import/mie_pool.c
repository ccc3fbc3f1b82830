/* mie_pool.c — batches built into forks on a pool of threads (see
 * mie_pool.h). */
#include "import/mie_pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 64

struct mie_batch {
	mie_import *ctx; /* borrowed */
	mie_batch_fn fn;
	void *arg;
	size_t chunk, max;
	size_t n;           /* items set */
	mie_import **forks; /* one per chunk, owned until joined */
	size_t nchunks;
	atomic_size_t next; /* the next chunk to take */
};

mie_batch *mie_batch_new(mie_import *ctx, mie_batch_fn fn, void *arg, size_t chunk, size_t max)
{
	mie_batch *b = mie_xcalloc(1, sizeof *b);
	b->ctx = ctx;
	b->fn = fn;
	b->arg = arg;
	b->chunk = chunk ? chunk : 1;
	b->max = max;
	b->forks = mie_xcalloc((max + b->chunk - 1) / b->chunk + 1, sizeof *b->forks);
	return b;
}

void mie_batch_set(mie_batch *b, size_t n)
{
	b->n = n;
	b->nchunks = (n + b->chunk - 1) / b->chunk;
	for (size_t k = 0; k < b->nchunks; k++)
		b->forks[k] = mie_import_fork(b->ctx);
	atomic_store(&b->next, 0);
}

/* A fork writes to memory, so building cannot fail on output here: the
 * status is the join's. */
void mie_batch_help(mie_batch *b)
{
	size_t k;
	while ((k = atomic_fetch_add(&b->next, 1)) < b->nchunks) {
		mie_import *f = b->forks[k];
		size_t from = k * b->chunk, to = from + b->chunk < b->n ? from + b->chunk : b->n;
		mie_err_capture(&f->messages);
		b->fn(b->arg, f, from, to);
		mie_err_capture(NULL);
	}
}

int mie_batch_join(mie_batch *b)
{
	int rc = 0;
	for (size_t k = 0; k < b->nchunks; k++) {
		if (mie_import_join(b->ctx, b->forks[k]) < 0)
			rc = -1;
		b->forks[k] = NULL;
	}
	b->n = b->nchunks = 0;
	return rc;
}

void mie_batch_free(mie_batch **bp)
{
	mie_batch *b = bp ? *bp : NULL;
	if (!b)
		return;
	for (size_t k = 0; k < b->nchunks; k++)
		if (b->forks[k]) { /* never joined: dropped as mie_import_join frees a fork */
			mie_import *f = b->forks[k];
			mie_writer_finish(f->out);
			mie_writer_finish(f->rejects);
			mie_buf_release(&f->messages);
			mie_import_release(f);
			free(f);
		}
	free(b->forks);
	free(b);
	*bp = NULL;
}

/* The threads wait for a batch to be handed (gen moves on), build it
 * (mie_batch_help) and tell mie_pool_wait when the last is done. */
struct mie_pool {
	pthread_t tid[MAX_THREADS];
	int n;              /* threads started */
	pthread_mutex_t mu; /* guards the fields below */
	pthread_cond_t go, done;
	mie_batch *work;   /* the batch handed, borrowed */
	unsigned long gen; /* batches handed so far */
	int busy;          /* threads still on the batch handed */
	int quit;
};

static void *pool_thread(void *arg)
{
	mie_pool *p = arg;
	unsigned long seen = 0;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->gen == seen && !p->quit)
			pthread_cond_wait(&p->go, &p->mu);
		if (p->quit)
			break;
		seen = p->gen;
		mie_batch *b = p->work;
		pthread_mutex_unlock(&p->mu);
		mie_batch_help(b);
		pthread_mutex_lock(&p->mu);
		if (--p->busy == 0)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

mie_pool *mie_pool_new(int threads)
{
	mie_pool *p = mie_xcalloc(1, sizeof *p);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->go, NULL);
	pthread_cond_init(&p->done, NULL);
	threads = threads > MAX_THREADS ? MAX_THREADS : threads;
	while (p->n < threads && pthread_create(&p->tid[p->n], NULL, pool_thread, p) == 0)
		p->n++; /* fewer threads to be had: the caller builds the rest */
	return p;
}

void mie_pool_start(mie_pool *p, mie_batch *b)
{
	pthread_mutex_lock(&p->mu);
	p->work = b;
	p->gen++;
	p->busy = p->n;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
}

void mie_pool_wait(mie_pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->busy)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

void mie_pool_free(mie_pool **pp)
{
	mie_pool *p = pp ? *pp : NULL;
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	for (int t = 0; t < p->n; t++)
		pthread_join(p->tid[t], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->go);
	pthread_cond_destroy(&p->done);
	free(p);
	*pp = NULL;
}
