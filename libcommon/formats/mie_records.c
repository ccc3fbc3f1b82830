/* mie_records.c — the record iterator over the command-line inputs
 * (mie_records.h).  The edge cases it says are decided in
 * man/mie-conventions.7. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mie_cli.h" /* mie_progress; moves to core/ (issue 10) */
#include "mie_input.h"
#include "mie_jsonl.h"
#include "mie_records.h"

struct mie_records {
	char *const *paths; /* borrowed */
	int n, next;        /* paths, index of the next one to open */
	mie_records_opts o;
	mie_input *in;      /* owned: the current input, or NULL */
	mie_reader *r;      /* owned; NULL when read as lines */
	const char *name;   /* display name of the current input */
	long in_records;    /* records met in the current input */
	mie_buf line;       /* line mode: the current line */
	mie_buf why;        /* line mode: a parse error */
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

/* Sum of the sizes of the paths when all are regular files, else -1. */
static int64_t inputs_size(char *const *paths, int n)
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
	mie_buf_init(&it->line);
	mie_buf_init(&it->why);
	mie_progress_init(&it->progress, it->o.progress,
	                  it->o.progress ? inputs_size(paths, n) : -1);
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
		struct stat st;
		if (it->o.take_file && strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
		    S_ISREG(st.st_mode)) {
			long before = it->st.records;
			int rc = it->o.take_file(it->o.ctx, path, &it->st);
			if (rc < 0) {
				it->failed = it->stopped = 1; /* the run stops */
				return 0;
			}
			if (rc == 0) {
				it->st.inputs++;
				it->in_records = it->st.records - before;
				it->bytes_done += st.st_size;
				input_done(it, 1);
				continue;
			}
		}
		if (!(it->in = mie_input_open(path))) {
			it->failed = 1;
			continue;
		}
		it->st.inputs++;
		it->r = mie_reader_open(it->in);
		if ((it->o.flags & MIE_RECORDS_LINES) && mie_reader_form(it->r) == MIE_FORM_JSONL) {
			mie_reader_free(it->r);
			it->r = NULL;
		}
	}
	return it->in != NULL;
}

/* The current input failed while read: its own message is printed. */
static void input_failed(mie_records *it)
{
	it->failed = 1;
	input_done(it, 0);
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
		mie_records_bad(it, loc, mie_reader_error(it->r));
	return st;
}

/* One step in the current input, read as lines: MIE_READ_OK with the line
 * (blanks skipped), MIE_READ_BAD (reported and counted) or MIE_READ_EOF
 * when the input is done (closed). */
static int line_step(mie_records *it, const char **line, size_t *len, mie_loc *loc)
{
	for (;;) {
		loc->file = it->name;
		loc->line = mie_input_line(it->in);
		int st = mie_input_getline(it->in, &it->line, MIE_JSONL_MAX_LINE);
		if (st == MIE_LINE_EOF) {
			input_done(it, 1);
			return MIE_READ_EOF;
		}
		if (st == MIE_LINE_ERROR) {
			input_failed(it);
			return MIE_READ_EOF;
		}
		it->raw = &it->line;
		/* handed out as it is but a first line's BOM (a final CR is a
		 * JSON blank) */
		const char *p = it->line.data, *q;
		size_t n = it->line.len, m;
		if (loc->line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
			p += 3, n -= 3;
		q = p, m = n;
		if (st != MIE_LINE_TOO_LONG && mie_jsonl_trim(&q, &m, 0) == 0)
			continue; /* blank */
		it->st.records++;
		it->in_records++;
		tick(it); /* mie_progress_tick reads the clock every 256th */
		if (st == MIE_LINE_TOO_LONG) {
			mie_buf_reset(&it->why);
			mie_buf_addf(&it->why, "line longer than %zu bytes", MIE_JSONL_MAX_LINE);
			mie_records_bad(it, loc, it->why.data);
			return MIE_READ_BAD;
		}
		*line = p;
		*len = n;
		return MIE_READ_OK;
	}
}

int mie_records_next(mie_records *it, json_t **rec, mie_loc *loc)
{
	*rec = NULL;
	memset(loc, 0, sizeof *loc);
	while (open_next(it)) {
		int st;
		if (it->r) {
			st = reader_step(it, rec, loc);
		} else { /* opened for lines, asked for records */
			const char *l;
			size_t n;
			st = line_step(it, &l, &n, loc);
			if (st == MIE_READ_OK) {
				mie_buf_reset(&it->why);
				if (mie_jsonl_parse(l, n, 0, rec, &it->why) != MIE_JSONL_OK) {
					mie_records_bad(it, loc, it->why.data);
					st = MIE_READ_BAD;
				}
			}
		}
		if (st == MIE_READ_OK ||
		    (st == MIE_READ_BAD && (it->o.flags & MIE_RECORDS_KEEP_BAD)))
			return st;
	}
	mie_progress_done(&it->progress);
	return MIE_READ_EOF;
}

int mie_records_next_line(mie_records *it, const char **line, size_t *len, json_t **rec,
                          mie_loc *loc)
{
	*line = NULL;
	*len = 0;
	*rec = NULL;
	memset(loc, 0, sizeof *loc);
	while (open_next(it)) {
		int st = it->r ? reader_step(it, rec, loc) : line_step(it, line, len, loc);
		if (st == MIE_READ_OK)
			return st;
	}
	mie_progress_done(&it->progress);
	return MIE_READ_EOF;
}

void mie_records_bad(mie_records *it, const mie_loc *loc, const char *why)
{
	it->st.bad++;
	mie_error_at(loc, "%s", why);
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
	mie_buf_release(&it->line);
	mie_buf_release(&it->why);
	free(it);
}
