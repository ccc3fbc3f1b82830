/* mie_stream.c — form detection and dispatch for record streams. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/mie_output.h"
#include "formats/mie_stream_impl.h"

int mie_form_parse(const char *s, mie_form *form)
{
	if (strcmp(s, "jsonl") == 0 || strcmp(s, "json") == 0)
		*form = MIE_FORM_JSONL;
	else if (strcmp(s, "xml") == 0)
		*form = MIE_FORM_XML;
	else
		return -1;
	return 0;
}

const char *mie_form_name(mie_form form)
{
	return form == MIE_FORM_XML ? "xml" : "jsonl";
}

/* '<' after blanks and an optional UTF-8 BOM means XML; anything else is
 * read as JSON Lines. */
static mie_form sniff(mie_input *in)
{
	size_t n = 4096;
	const unsigned char *p = mie_input_peek(in, &n);
	size_t i = 0;
	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return i < n && p[i] == '<' ? MIE_FORM_XML : MIE_FORM_JSONL;
}

mie_reader *mie_reader_open(mie_input *in)
{
	mie_reader *r =
	        sniff(in) == MIE_FORM_XML ? mie_ixml_reader_new(in) : mie_jsonl_reader_new(in);
	return r;
}

void mie_reader_free(mie_reader *r)
{
	if (!r)
		return;
	mie_buf_release(&r->error);
	mie_buf_release(&r->raw);
	r->ops->free(r);
}

int mie_reader_next(mie_reader *r, json_t **rec, mie_loc *loc)
{
	*rec = NULL;
	mie_buf_reset(&r->error);
	memset(loc, 0, sizeof *loc);
	loc->file = mie_input_name(r->in);
	return r->ops->next(r, rec, loc);
}

const char *mie_reader_error(const mie_reader *r)
{
	return r->error.data;
}

const mie_buf *mie_reader_raw(const mie_reader *r)
{
	return r->keeps_raw ? &r->raw : NULL;
}

mie_form mie_reader_form(const mie_reader *r)
{
	return r->form;
}

long mie_reader_blank_lines(const mie_reader *r)
{
	return r->blank_lines;
}

mie_writer *mie_writer_new(FILE *fp, mie_form form)
{
	mie_writer *w = form == MIE_FORM_XML ? mie_ixml_writer_new(fp) : mie_jsonl_writer_new(fp);
	w->form = form;
	return w;
}

int mie_writer_put(mie_writer *w, const json_t *rec, mie_buf *why)
{
	int rc = w->ops->put(w, rec, why);
	if (rc == MIE_WRITE_OK)
		w->records++;
	return rc;
}

int mie_writer_put_checked(mie_writer *w, const json_t *rec, mie_buf *why)
{
	w->checked = 1;
	int rc = mie_writer_put(w, rec, why);
	w->checked = 0;
	return rc;
}

/* Writes n bytes to w's file (which it has). */
static int write_out(mie_writer *w, const char *p, size_t n)
{
	if (n && fwrite(p, 1, n, w->fp) != n) {
		if (!w->err)
			w->err = errno ? errno : EIO;
		mie_output_epipe_exit(errno);
		return MIE_WRITE_IO;
	}
	return ferror(w->fp) ? MIE_WRITE_IO : MIE_WRITE_OK;
}

int mie_writer_flush_buf(mie_writer *w)
{
	if (!w->fp)
		return MIE_WRITE_OK;
	int rc = write_out(w, w->buf.data, w->buf.len);
	mie_buf_reset(&w->buf);
	return rc;
}

int mie_writer_errno(const mie_writer *w)
{
	return w->err;
}

mie_form mie_writer_form(const mie_writer *w)
{
	return w->form;
}

/* First room of a fragment's buffer: a fragment holds the records of a
 * whole chunk of rows (about 128 KiB of JSON for 32 SPIP articles), and
 * growing it from nothing by halves took some twenty reallocations, each
 * copying what was already written. */
#define FRAGMENT_ROOM ((size_t)256 << 10)

mie_writer *mie_writer_fragment(mie_form form)
{
	mie_writer *w = mie_writer_new(NULL, form);
	mie_buf_grow(&w->buf, FRAGMENT_ROOM);
	if (w->ops->start) { /* begun, and its beginning dropped: records only */
		w->ops->start(w);
		mie_buf_reset(&w->buf);
	}
	return w;
}

int mie_writer_put_fragment(mie_writer *w, mie_writer *frag)
{
	if (w->ops->start)
		w->ops->start(w);
	w->records += frag->records;
	frag->records = 0;
	int rc = MIE_WRITE_OK;
	if (!w->fp) { /* a fragment itself: gathered */
		mie_buf_add(&w->buf, frag->buf.data, frag->buf.len);
	} else { /* written from where it lies, after what w holds */
		rc = mie_writer_flush_buf(w);
		if (rc == MIE_WRITE_OK)
			rc = write_out(w, frag->buf.data, frag->buf.len);
	}
	mie_buf_reset(&frag->buf);
	return rc;
}

int mie_writer_finish(mie_writer *w)
{
	if (!w)
		return MIE_WRITE_OK;
	int rc = w->fp ? w->ops->finish(w) : MIE_WRITE_OK;
	if (rc == MIE_WRITE_OK)
		rc = mie_writer_flush_buf(w);
	if (w->fp && fflush(w->fp) != 0)
		rc = MIE_WRITE_IO;
	mie_buf_release(&w->buf);
	w->ops->free(w);
	return rc;
}

static int real_needs_17(const json_t *v)
{
	char num[40];
	switch (json_typeof(v)) {
	case JSON_REAL:
		snprintf(num, sizeof num, "%.15g", json_real_value(v));
		return strtod(num, NULL) != json_real_value(v);
	case JSON_ARRAY:
		for (size_t i = 0; i < json_array_size(v); i++)
			if (real_needs_17(json_array_get(v, i)))
				return 1;
		return 0;
	case JSON_OBJECT:
		for (void *it = json_object_iter((json_t *)v); it;
		     it = json_object_iter_next((json_t *)v, it))
			if (real_needs_17(json_object_iter_value(it)))
				return 1;
		return 0;
	default: return 0;
	}
}

size_t mie_json_real_precision(const json_t *v)
{
	return JSON_REAL_PRECISION(real_needs_17(v) ? 17 : 15);
}
