/* mie_jsonl.c — JSON Lines reader and writer (jansson).
 *
 * Reading: one object per line; CRLF accepted; empty lines skipped and
 * counted; a line over MIE_JSONL_MAX_LINE bytes is rejected without being
 * held whole.  jansson is asked to reject duplicate keys (its default keeps
 * the last one silently), and any text after the object.  NUL (\u0000) is
 * refused by jansson's default.  Writing: compact, members in record order,
 * UTF-8 kept as it is. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/mie_jsonl.h"
#include "core/mie_simd.h"
#include "formats/mie_stream_impl.h"
#include "core/mie_utf8.h"

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

size_t mie_jsonl_trim(const char **pp, size_t *np, int first)
{
	const char *p = *pp;
	size_t n = *np;
	if (first && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3, n -= 3;
	if (n && p[n - 1] == '\r')
		n--;
	*pp = p;
	*np = n;
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return i == n ? 0 : n;
}

int mie_jsonl_parse(const char *p, size_t n, int first, json_t **rec, mie_buf *why)
{
	*rec = NULL;
	if (mie_jsonl_trim(&p, &n, first) == 0)
		return MIE_JSONL_BLANK;
	json_error_t jerr;
	json_t *v = json_loadb(p, n, JSON_REJECT_DUPLICATES, &jerr);
	if (!v) {
		mie_buf_addf(why, "column %d: %s", jerr.column, json_problem(&jerr));
		return MIE_JSONL_BAD;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		mie_buf_adds(why, "not a JSON object");
		return MIE_JSONL_BAD;
	}
	*rec = v;
	return MIE_JSONL_OK;
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
		st = mie_jsonl_parse(r->raw.data, r->raw.len, loc->line == 1, rec, &r->error);
		if (st == MIE_JSONL_BLANK) {
			r->blank_lines++;
			continue;
		}
		return st == MIE_JSONL_OK ? MIE_READ_OK : MIE_READ_BAD;
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

/* Bytes a JSON string cannot hold as they are: '"', '\\' and C0 controls. */
static const unsigned char json_special[256] = {[0 ... 0x1F] = 1, ['"'] = 1, ['\\'] = 1};

#if MIE_SIMD
/* Bit i set when byte i of x is special. */
static unsigned special16(mie_v16 x)
{
	mie_v16 hit = mie_v16_or(
	        mie_v16_le(x, mie_v16_splat(0x1F)),
	        mie_v16_or(mie_v16_eq(x, mie_v16_splat('"')), mie_v16_eq(x, mie_v16_splat('\\'))));
	return mie_v16_mask(hit);
}
#endif

/* Copies the bytes of p[0..end) that go out as they are to o, up to the
 * first special one; returns how many.  o has room for end - p bytes:
 * blocks (only while one is left in p) are stored before they are looked
 * at, so a run costs no memcpy call.  Sixteen bytes at a time with SSE2
 * (every x86-64 has it): a run of 16 bytes or more ends with its last 16
 * stored again over the same bytes (a run has no escape); shorter strings
 * byte by byte (8 and 4 bytes at a time in portable C saved under 1 % of
 * an import's instructions: bench/README.md). */
static size_t copy_plain(unsigned char *o, const unsigned char *p, const unsigned char *end)
{
	const unsigned char *p0 = p;
#if MIE_SIMD
	for (; end - p >= 16; p += 16) {
		mie_v16 x = mie_v16_load(p);
		mie_v16_store(o + (p - p0), x);
		unsigned m = special16(x);
		if (m)
			return (size_t)(p - p0) + (size_t)__builtin_ctz(m);
	}
	if (p > p0 && p < end) {
		size_t t = (size_t)(end - p);
		mie_v16 x = mie_v16_load(end - 16);
		mie_v16_store(o + (end - 16 - p0), x);
		unsigned m = special16(x) >> (16 - t);
		return (size_t)(p - p0) + (m ? (size_t)__builtin_ctz(m) : t);
	}
#endif
	for (; p < end && !json_special[*p]; p++)
		o[p - p0] = *p;
	return (size_t)(p - p0);
}

/* Appends s as a JSON string, escaped as jansson escapes it (\" \\ \b \f \n
 * \r \t, other controls \u00XX, everything else as it is).  Returns -1,
 * writing nothing, when s is not strict UTF-8 (not looked at when
 * `checked`: see mie_writer_put_checked). */
static int put_string(mie_buf *b, const char *s, size_t n, int checked)
{
	if (!checked && !mie_utf8_valid(s, n))
		return -1;
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	/* room for the quotes and s; each escape makes sure of it again */
	mie_buf_grow(b, n + 2);
	unsigned char *o = (unsigned char *)b->data + b->len;
	*o++ = '"';
	for (;;) {
		size_t k = copy_plain(o, p, end);
		o += k;
		p += k;
		if (p == end)
			break;
		b->len = (size_t)(o - (unsigned char *)b->data);
		mie_buf_grow(b, (size_t)(end - p) + 6); /* \u00XX, the rest, '"' */
		o = (unsigned char *)b->data + b->len;
		*o++ = '\\';
		switch (*p) {
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		case '"':
		case '\\': *o++ = *p; break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = "0123456789ABCDEF"[*p >> 4];
			*o++ = "0123456789ABCDEF"[*p & 15];
		}
		p++;
	}
	*o++ = '"';
	*o = '\0';
	b->len = (size_t)(o - (unsigned char *)b->data);
	return 0;
}

/* Appends v in compact JSON, members in record order, as jansson's
 * json_dump_callback(JSON_COMPACT | mie_json_real_precision) writes it (reals are
 * left to jansson).  Returns -1 when v cannot be written. */
static int put_value(mie_buf *b, const json_t *v, int checked)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		int first = 1;
		mie_buf_addc(b, '{');
		/* json_object_foreach without its two key-to-iterator lookups */
		for (void *it = json_object_iter((json_t *)v); it;
		     it = json_object_iter_next((json_t *)v, it)) {
			const char *k = json_object_iter_key(it);
			if (!first)
				mie_buf_addc(b, ',');
			first = 0;
			if (put_string(b, k, strlen(k), checked) < 0)
				return -1;
			mie_buf_addc(b, ':');
			if (put_value(b, json_object_iter_value(it), checked) < 0)
				return -1;
		}
		mie_buf_addc(b, '}');
		return 0;
	}
	case JSON_ARRAY:
		mie_buf_addc(b, '[');
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				mie_buf_addc(b, ',');
			if (put_value(b, json_array_get(v, i), checked) < 0)
				return -1;
		}
		mie_buf_addc(b, ']');
		return 0;
	case JSON_STRING:
		return put_string(b, json_string_value(v), json_string_length(v), checked);
	case JSON_INTEGER:
		mie_buf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 0;
	case JSON_TRUE: mie_buf_adds(b, "true"); return 0;
	case JSON_FALSE: mie_buf_adds(b, "false"); return 0;
	case JSON_NULL: mie_buf_adds(b, "null"); return 0;
	default:
		return json_dump_callback(v, dump_to_buf, b,
		                          JSON_ENCODE_ANY | mie_json_real_precision(v));
	}
}

static int jsonl_put(mie_writer *w, const json_t *rec, mie_buf *why)
{
	size_t before = w->buf.len;
	if (put_value(&w->buf, rec, w->checked) != 0) {
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

static const struct mie_writer_ops jsonl_writer_ops = {jsonl_put, NULL, jsonl_finish, jsonl_wfree};

mie_writer *mie_jsonl_writer_new(FILE *fp)
{
	mie_writer *w = mie_xcalloc(1, sizeof *w);
	w->ops = &jsonl_writer_ops;
	w->fp = fp;
	mie_buf_init(&w->buf);
	return w;
}
