/* test_pool.c — import/mie_pool: batches of items built into forks on a
 * pool of threads give the records, messages and counts of one thread
 * building them in order, whatever the thread count and chunk size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/mie_pool.h"
#include "mie_test.h"

/* Item i: a record with id x.org:article:i; every 7th one is refused
 * (an id that is none), with its message. */
static void build_items(void *arg, mie_import *fork, size_t from, size_t to)
{
	const size_t *base = arg;
	for (size_t i = from; i < to; i++) {
		char id[64];
		size_t n = *base + i;
		snprintf(id, sizeof id, n % 7 ? "x.org:article:%zu" : "pas un id %zu", n);
		mie_import_emit(fork, "t", "spip_articles",
		                json_pack("{s:s, s:s}", "type", "article", "id", id));
	}
}

/* Builds `batches` batches of `items` items on `threads` pool threads
 * beside this one, in chunks of `chunk`: the JSON Lines written in *outp
 * and the messages in *err (both malloc'd). */
static void run(int threads, size_t chunk, size_t items, int batches, char **outp, char **err,
                long *records)
{
	char *out = NULL;
	size_t outlen = 0, errlen = 0, base = 0;
	mie_import ctx;
	FILE *fp = open_memstream(&out, &outlen);
	mie_import_init(&ctx);
	ctx.out = mie_writer_new(fp, MIE_FORM_JSONL);
	FILE *saved = stderr;
	stderr = open_memstream(err, &errlen);
	mie_pool *pool = mie_pool_new(threads);
	mie_batch *b = mie_batch_new(&ctx, build_items, &base, chunk, items);
	for (int k = 0; k < batches; k++, base += items) {
		mie_batch_set(b, items);
		mie_pool_start(pool, b);
		mie_batch_help(b);
		mie_pool_wait(pool);
		CHECK_INT(mie_batch_join(b), 0);
	}
	mie_batch_free(&b);
	CHECK(b == NULL);
	mie_pool_free(&pool);
	CHECK(pool == NULL);
	fclose(stderr);
	stderr = saved;
	mie_writer_finish(ctx.out);
	fclose(fp);
	*records = ctx.records;
	mie_import_release(&ctx);
	*outp = out;
}

TEST(pool_joins_in_order_whatever_the_threads)
{
	/* no pool thread, one chunk a batch: this thread builds it all */
	char *out1, *err1;
	long rec1;
	run(0, 1000, 500, 3, &out1, &err1, &rec1);
	CHECK_INT(rec1, 1500 - 1500 / 7 - 1); /* 0, 7, 14... are refused */
	CHECK(strstr(err1, "pas un id 7") != NULL);
	CHECK(strstr(out1, "x.org:article:1\"") < strstr(out1, "x.org:article:1499\""));
	static const struct {
		int threads;
		size_t chunk;
	} runs[] = {{1, 1}, {3, 7}, {2, 32}, {5, 500}};
	for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
		char *out, *err;
		long rec;
		run(runs[i].threads, runs[i].chunk, 500, 3, &out, &err, &rec);
		CHECK_INT(rec, rec1);
		CHECK_STR(out, out1);
		CHECK_STR(err, err1);
		free(out);
		free(err);
	}
	free(out1);
	free(err1);
}

/* A batch set and never joined is freed with its forks (nothing leaks,
 * nothing is written). */
TEST(pool_batch_freed_unjoined)
{
	mie_import ctx;
	char *out = NULL;
	size_t outlen = 0, base = 0;
	FILE *fp = open_memstream(&out, &outlen);
	mie_import_init(&ctx);
	ctx.out = mie_writer_new(fp, MIE_FORM_JSONL);
	mie_batch *b = mie_batch_new(&ctx, build_items, &base, 4, 10);
	mie_batch_set(b, 10);
	mie_batch_help(b);
	mie_batch_free(&b);
	mie_batch_free(&b); /* NULL: a no-op */
	mie_writer_finish(ctx.out);
	fclose(fp);
	CHECK_INT(ctx.records, 0);
	CHECK_INT((long)outlen, 0);
	mie_import_release(&ctx);
	free(out);
}
