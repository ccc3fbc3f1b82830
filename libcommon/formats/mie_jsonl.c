/* mie_jsonl.c — JSON Lines reader and writer (jansson).
 *
 * Reading: one object per line; CRLF accepted; empty lines skipped and
 * counted; a line over MIE_JSONL_MAX_LINE bytes is rejected without being
 * held whole.  jansson is asked to reject duplicate keys (its default keeps
 * the last one silently), and any text after the object.  NUL (\u0000) is
 * refused by jansson's default.  Writing: compact, members in record order,
 * UTF-8 kept as it is. */
#include <stdlib.h>
#include <string.h>

#include "mie_stream_impl.h"

#define MIE_JSONL_MAX_LINE ((size_t)256 << 20)

/* jansson's message, in plain words where it names its own flags. */
static const char *json_problem(const json_error_t *e)
{
	switch (json_error_code(e)) {
	case json_error_duplicate_key: return "duplicate key";
	case json_error_null_character: return "NUL character (\\u0000) not allowed";
	case json_error_invalid_utf8: return "invalid UTF-8";
	case json_error_end_of_input_expected: return "text after the JSON object";
	default: return e->text;
	}
}

static int jsonl_next(mie_reader *r, json_t **rec, mie_loc *loc)
{
	for (;;) {
		loc->line = mie_input_line(r->in);
		int st = mie_input_getline(r->in, &r->raw, MIE_JSONL_MAX_LINE);
		if (st == MIE_LINE_EOF)
			return MIE_READ_EOF;
		if (st == MIE_LINE_ERROR) {
			mie_buf_adds(&r->error, "read error");
			return MIE_READ_FATAL;
		}
		if (st == MIE_LINE_TOO_LONG) {
			mie_buf_addf(&r->error, "line longer than %zu bytes", MIE_JSONL_MAX_LINE);
			return MIE_READ_BAD;
		}
		char *p = r->raw.data;
		size_t n = r->raw.len;
		if (loc->line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
			p += 3, n -= 3;
		if (n && p[n - 1] == '\r')
			n--;
		size_t i = 0;
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i == n) {
			r->blank_lines++;
			continue;
		}
		json_error_t jerr;
		json_t *v = json_loadb(p, n, JSON_REJECT_DUPLICATES, &jerr);
		if (!v) {
			mie_buf_addf(&r->error, "column %d: %s", jerr.column, json_problem(&jerr));
			return MIE_READ_BAD;
		}
		if (!json_is_object(v)) {
			json_decref(v);
			mie_buf_adds(&r->error, "not a JSON object");
			return MIE_READ_BAD;
		}
		*rec = v;
		return MIE_READ_OK;
	}
}

static void jsonl_free(mie_reader *r)
{
	free(r);
}

static const struct mie_reader_ops jsonl_reader_ops = {jsonl_next, jsonl_free};

mie_reader *mie_jsonl_reader_new(mie_input *in)
{
	mie_reader *r = mie_xcalloc(1, sizeof *r);
	r->ops = &jsonl_reader_ops;
	r->in = in;
	r->form = MIE_FORM_JSONL;
	r->keeps_raw = 1;
	mie_buf_init(&r->error);
	mie_buf_init(&r->raw);
	return r;
}

static int dump_to_buf(const char *s, size_t n, void *data)
{
	mie_buf_add(data, s, n);
	return 0;
}

static int jsonl_put(mie_writer *w, const json_t *rec, mie_buf *why)
{
	size_t before = w->buf.len;
	if (json_dump_callback(rec, dump_to_buf, &w->buf, JSON_COMPACT | MIE_JSON_REAL) != 0) {
		mie_buf_setlen(&w->buf, before);
		if (why)
			mie_buf_adds(why, "cannot be written as JSON");
		return MIE_WRITE_BAD;
	}
	mie_buf_addc(&w->buf, '\n');
	if (w->buf.len >= 1 << 16)
		return mie_writer_flush_buf(w);
	return MIE_WRITE_OK;
}

static int jsonl_finish(mie_writer *w)
{
	return MIE_WRITE_OK;
}

static void jsonl_wfree(mie_writer *w)
{
	free(w);
}

static const struct mie_writer_ops jsonl_writer_ops = {jsonl_put, jsonl_finish, jsonl_wfree};

mie_writer *mie_jsonl_writer_new(FILE *fp)
{
	mie_writer *w = mie_xcalloc(1, sizeof *w);
	w->ops = &jsonl_writer_ops;
	w->fp = fp;
	mie_buf_init(&w->buf);
	return w;
}
