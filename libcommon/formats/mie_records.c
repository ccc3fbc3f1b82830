/* mie_records.c — the record iterator over the command-line inputs
 * (mie_records.h).  The edge cases it says are decided in
 * man/mie-conventions.7. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/mie_progress.h"
#include "io/mie_input.h"
#include "formats/mie_records.h"

struct mie_records {
	char *const *paths; /* borrowed */
	int n, next;        /* paths, index of the next one to open */
	mie_records_opts o;
	mie_input *in;      /* owned: the current input, or NULL */
	mie_reader *r;      /* owned; NULL when read as lines */
	const char *name;   /* display name of the current input */
	long in_records;    /* records met in the current input */
	const mie_buf *raw; /* raw text of the last record, or NULL */
	mie_records_stats st;
	int failed, stopped;
	mie_progress progress;
	int64_t bytes_done; /* raw bytes of the inputs already read */
};

static const char *display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "(stdin)" : path;
}

int64_t mie_records_inputs_size(char *const *paths, int n)
{
	int64_t total = 0;
	struct stat st;
	for (int i = 0; i < n; i++) {
		const char *p = paths[i];
		if (strcmp(p, "-") == 0 ? fstat(0, &st) != 0 : stat(p, &st) != 0)
			return -1;
		if (!S_ISREG(st.st_mode))
			return -1;
		total += st.st_size;
	}
	return total;
}

mie_records *mie_records_open(char *const *paths, int n, const mie_records_opts *opts)
{
	mie_records *it = mie_xcalloc(1, sizeof *it);
	it->paths = paths;
	it->n = n;
	if (opts)
		it->o = *opts;
	mie_progress_init(&it->progress, it->o.progress,
	                  it->o.progress ? mie_records_inputs_size(paths, n) : -1);
	return it;
}

int mie_records_check_path(const char *path, int dirs_ok)
{
	struct stat st;
	if (strcmp(path, "-") == 0)
		return 0;
	if (stat(path, &st) != 0) {
		mie_fatal("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode) && !dirs_ok) {
		mie_fatal("%s: is a directory", path);
		return -1;
	}
	return 0;
}

static void tick(mie_records *it)
{
	mie_progress_tick(&it->progress, it->st.records,
	                  it->bytes_done + (it->in ? mie_input_raw_bytes(it->in) : 0));
}

/* The end of one input: what it had is said when it had nothing. */
static void input_done(mie_records *it, int read_whole)
{
	if (read_whole && it->in_records == 0) {
		mie_loc loc = {it->name, NULL, 0};
		mie_warn_at(&loc, "no records");
	}
	if (it->in) {
		it->bytes_done += mie_input_raw_bytes(it->in);
		mie_reader_free(it->r);
		it->r = NULL;
		mie_input_free(it->in);
		it->in = NULL;
	}
	it->raw = NULL;
	tick(it);
}

/* The current input failed while read: its own message is printed. */
static void input_failed(mie_records *it)
{
	it->failed = 1;
	input_done(it, 0);
}

/* Opens the next input that can be read; 0 when none is left. */
static int open_next(mie_records *it)
{
	while (!it->in && it->next < it->n && !it->stopped) {
		const char *path = it->paths[it->next++];
		it->name = display_name(path);
		it->in_records = 0;
		if (mie_records_check_path(path, 0) < 0) {
			it->failed = 1;
			continue;
		}
		if (!(it->in = mie_input_open(path))) {
			it->failed = 1;
			continue;
		}
		it->st.inputs++;
		it->r = mie_reader_open(it->in);
		if (it->o.take_jsonl && mie_reader_form(it->r) == MIE_FORM_JSONL) {
			long before = it->st.records;
			int rc = it->o.take_jsonl(it->o.ctx, path, it->in, &it->st);
			if (rc < 0) {
				it->failed = it->stopped = 1; /* the run stops */
				input_done(it, 0);
				return 0;
			}
			if (rc == 0) {
				/* read whole, maybe in place: its size counts as read */
				int64_t size = mie_input_size(it->in),
				        raw = mie_input_raw_bytes(it->in);
				it->bytes_done += size > raw ? size - raw : 0;
				it->in_records = it->st.records - before;
				if (mie_input_failed(it->in))
					input_failed(it);
				else
					input_done(it, 1);
			}
		}
	}
	return it->in != NULL;
}

/* An unreadable record: said and counted. */
static void bad(mie_records *it, const mie_loc *loc, const char *why)
{
	it->st.bad++;
	mie_error_at(loc, "%s", why);
}

/* One step in the current input, read by its reader: MIE_READ_OK,
 * MIE_READ_BAD (reported and counted) or MIE_READ_EOF when the input is
 * done (closed). */
static int reader_step(mie_records *it, json_t **rec, mie_loc *loc)
{
	int st = mie_reader_next(it->r, rec, loc);
	loc->file = it->name;
	it->raw = mie_reader_raw(it->r);
	if (st == MIE_READ_EOF) {
		input_done(it, !mie_input_failed(it->in));
		return MIE_READ_EOF;
	}
	if (st == MIE_READ_FATAL) {
		if (!mie_input_failed(it->in))
			mie_error_at(loc, "%s", mie_reader_error(it->r));
		input_failed(it);
		return MIE_READ_EOF;
	}
	it->st.records++;
	it->in_records++;
	tick(it); /* mie_progress_tick reads the clock every 256th */
	if (st == MIE_READ_BAD)
		bad(it, loc, mie_reader_error(it->r));
	return st;
}

int mie_records_next(mie_records *it, json_t **rec, mie_loc *loc)
{
	*rec = NULL;
	memset(loc, 0, sizeof *loc);
	while (open_next(it)) {
		int st = reader_step(it, rec, loc);
		if (st == MIE_READ_OK ||
		    (st == MIE_READ_BAD && (it->o.flags & MIE_RECORDS_KEEP_BAD)))
			return st;
	}
	mie_progress_done(&it->progress);
	return MIE_READ_EOF;
}

const mie_buf *mie_records_raw(const mie_records *it)
{
	return it->raw;
}

const char *mie_records_name(const mie_records *it)
{
	return it->name;
}

const mie_records_stats *mie_records_get_stats(const mie_records *it)
{
	return &it->st;
}

int mie_records_failed(const mie_records *it)
{
	return it->failed != 0;
}

void mie_records_free(mie_records **itp)
{
	mie_records *it = itp ? *itp : NULL;
	if (!it)
		return;
	*itp = NULL;
	mie_progress_done(&it->progress);
	mie_reader_free(it->r);
	mie_input_free(it->in);
	free(it);
}
