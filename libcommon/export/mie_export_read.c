/* mie_export_read.c — the inputs of an export run, JSON Lines parsed on
 * worker threads.
 *
 * Parsing the records (jansson) is most of an export's time: the writer's
 * work per record is small (a CSV row) or runs inside SQLite.  So the
 * iterator hands every JSON Lines input over (take_jsonl, mie_records.h):
 * this thread cuts it into batches of lines, the workers parse the batches
 * with mie_export_parse_line (mie_jsonl_parse's fast path: the same lines
 * refused with the same words as mie_records would), and this thread takes
 * the batches back in input order, reports the bad lines and puts the
 * records.  Only this thread prints or touches the export: a run's output
 * and messages do not depend on the number of threads.  Bound: SLOTS
 * batches of at most BATCH_BYTES (plus one line) and their records. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/mie_export.h"
#include "export/mie_export_parse.h"
#include "core/mie_progress.h"
#include "io/mie_input.h"
#include "formats/mie_jsonl.h"
#include "formats/mie_records.h"

enum { MAX_WORKERS = 4, SLOTS = 2 * MAX_WORKERS + 2, BATCH_LINES = 128 };
#define BATCH_BYTES ((size_t)128 << 10)

typedef struct line {
	size_t at, len; /* in the batch's text */
	long number;
	json_t *rec; /* parsed: owned, or NULL (blank, or bad: why_at) */
	size_t why_at, why_len;
	int bad;
} line;

typedef struct batch {
	enum { FREE, FILLED, PARSING, PARSED } state;
	mie_buf text, why;
	line lines[BATCH_LINES];
	int n;
} batch;

typedef struct reader {
	mie_export *x;
	mie_records *it;
	pthread_mutex_t mu;
	pthread_cond_t to_parse, parsed;
	batch slots[SLOTS];
	long filled, next_parse; /* counts of batches: slot = count % SLOTS */
	int nworkers, stop;
	pthread_t workers[MAX_WORKERS];
	int fatal; /* the writer failed: read no more */
} reader;

static void parse_batch(batch *b)
{
	for (int i = 0; i < b->n; i++) {
		line *l = &b->lines[i];
		if (l->bad)
			continue; /* too long: why already set */
		size_t before = b->why.len;
		int st = mie_export_parse_line(b->text.data + l->at, l->len, l->number == 1,
		                               &l->rec, &b->why);
		if (st == MIE_JSONL_BAD) {
			l->bad = 1;
			l->why_at = before;
			l->why_len = b->why.len - before;
		}
	}
}

static void *worker(void *arg)
{
	reader *r = arg;
	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (!r->stop && r->next_parse == r->filled)
			pthread_cond_wait(&r->to_parse, &r->mu);
		if (r->next_parse == r->filled)
			break; /* stop, and nothing left */
		batch *b = &r->slots[r->next_parse++ % SLOTS];
		b->state = PARSING;
		pthread_mutex_unlock(&r->mu);
		parse_batch(b);
		pthread_mutex_lock(&r->mu);
		b->state = PARSED;
		pthread_cond_broadcast(&r->parsed);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* Takes the batch back (waiting for its parse), in order: reports, puts,
 * frees its records, and frees the slot. */
static void consume(reader *r, batch *b, const char *name, mie_records_stats *st)
{
	if (r->nworkers) {
		pthread_mutex_lock(&r->mu);
		while (b->state != PARSED)
			pthread_cond_wait(&r->parsed, &r->mu);
		pthread_mutex_unlock(&r->mu);
	} else {
		parse_batch(b);
	}
	for (int i = 0; i < b->n; i++) {
		line *l = &b->lines[i];
		mie_loc loc = {name, NULL, l->number};
		if (l->bad) {
			st->records++;
			st->bad++;
			mie_error_at(&loc, "%.*s", (int)l->why_len, b->why.data + l->why_at);
		} else if (l->rec) {
			st->records++;
			const char *p = b->text.data + l->at;
			size_t n = l->len;
			mie_jsonl_trim(&p, &n, l->number == 1);
			if (!r->fatal &&
			    mie_export_put_line(r->x, l->rec, p, n, &loc) == MIE_EXPORT_FATAL)
				r->fatal = 1;
			json_decref(l->rec);
		}
	}
	b->n = 0;
	mie_buf_reset(&b->text);
	mie_buf_reset(&b->why);
	b->state = FREE;
}

static int take_jsonl(void *ctx, const char *path, mie_input *in, mie_records_stats *st)
{
	reader *r = ctx;
	const char *name = mie_records_name(r->it);
	mie_buf one = MIE_BUF_INIT;
	long taken = r->filled; /* batches before this input: all consumed */
	int done = 0;
	/* the iterator's progress, ticked here as batches come back */
	mie_progress *progress = mie_progress_reading();
	int64_t bytes0 = progress ? progress->bytes : 0;
	while (!done && !r->fatal) {
		batch *b = &r->slots[r->filled % SLOTS];
		if (r->filled - taken == SLOTS) { /* ring full: the oldest back first */
			consume(r, b, name, st);
			taken++;
			if (progress)
				mie_progress_tick(progress, st->records,
				                  bytes0 + mie_input_raw_bytes(in));
		}
		while (b->n < BATCH_LINES && b->text.len < BATCH_BYTES) {
			long number = mie_input_line(in);
			int ls = mie_input_getline(in, &one, MIE_JSONL_MAX_LINE);
			if (ls == MIE_LINE_EOF || ls == MIE_LINE_ERROR) {
				if (ls == MIE_LINE_ERROR && !mie_input_failed(in)) {
					mie_loc loc = {name, NULL, number};
					mie_error_at(&loc, "read error");
				}
				done = 1;
				break;
			}
			const char *p = one.data;
			size_t n = one.len;
			if (ls == MIE_LINE_OK && mie_jsonl_trim(&p, &n, number == 1) == 0)
				continue; /* blank */
			line *l = &b->lines[b->n++];
			*l = (line){b->text.len, one.len, number, NULL, b->why.len, 0, 0};
			mie_buf_add(&b->text, one.data, one.len);
			if (ls == MIE_LINE_TOO_LONG) {
				l->bad = 1;
				mie_buf_addf(&b->why, "line longer than %zu bytes",
				             MIE_JSONL_MAX_LINE);
				l->why_len = b->why.len - l->why_at;
			}
		}
		if (!b->n)
			break;
		pthread_mutex_lock(&r->mu);
		b->state = FILLED;
		r->filled++;
		pthread_cond_signal(&r->to_parse);
		pthread_mutex_unlock(&r->mu);
	}
	for (; taken < r->filled; taken++)
		consume(r, &r->slots[taken % SLOTS], name, st);
	mie_buf_release(&one);
	return r->fatal ? -1 : 0;
}

static int workers_wanted(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n <= 1 ? 0 : n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}

int mie_export_read(mie_export *x, char *const *paths, int n, int progress)
{
	reader *r = mie_xcalloc(1, sizeof *r);
	r->x = x;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->to_parse, NULL);
	pthread_cond_init(&r->parsed, NULL);
	for (int i = 0; i < SLOTS; i++) {
		mie_buf_init(&r->slots[i].text);
		mie_buf_init(&r->slots[i].why);
	}
	int want = workers_wanted();
	while (r->nworkers < want && pthread_create(&r->workers[r->nworkers], NULL, worker, r) == 0)
		r->nworkers++;
	mie_records_opts o = {0, progress, take_jsonl, r};
	r->it = mie_records_open(paths, n, &o);
	json_t *rec;
	mie_loc loc;
	while (!r->fatal && mie_records_next(r->it, &rec, &loc) == MIE_READ_OK) {
		if (mie_export_put(x, rec, &loc) == MIE_EXPORT_FATAL)
			r->fatal = 1;
		json_decref(rec);
	}
	int failed = mie_records_failed(r->it) && !r->fatal;
	mie_records_free(&r->it);
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_broadcast(&r->to_parse);
	pthread_mutex_unlock(&r->mu);
	for (int i = 0; i < r->nworkers; i++)
		pthread_join(r->workers[i], NULL);
	for (int i = 0; i < SLOTS; i++) {
		mie_buf_release(&r->slots[i].text);
		mie_buf_release(&r->slots[i].why);
	}
	pthread_cond_destroy(&r->to_parse);
	pthread_cond_destroy(&r->parsed);
	pthread_mutex_destroy(&r->mu);
	free(r);
	return failed ? -1 : 0;
}
