/* mie_stream_impl.h — what a record stream format implements (private to
 * libcommon/formats).  mie_stream.c dispatches to these. */
#ifndef MIE_STREAM_IMPL_H
#define MIE_STREAM_IMPL_H

#include "formats/mie_stream.h"

struct mie_reader {
	const struct mie_reader_ops *ops;
	mie_input *in; /* borrowed */
	mie_form form;
	int checked;   /* the record being put passed mie_schema_check */
	mie_buf error; /* why the last BAD/FATAL */
	mie_buf raw;   /* raw text of the last record, when kept */
	int keeps_raw;
	long blank_lines;
};

struct mie_reader_ops {
	int (*next)(mie_reader *r, json_t **rec, mie_loc *loc);
	void (*free)(mie_reader *r); /* frees the format's own state, not r */
};

struct mie_writer {
	const struct mie_writer_ops *ops;
	FILE *fp; /* borrowed; NULL for a fragment (buf only grows) */
	mie_form form;
	int checked; /* the record being put passed mie_schema_check */
	mie_buf buf;
	long records;
	int err; /* errno of the first failed write, or 0 */
};

struct mie_writer_ops {
	int (*put)(mie_writer *w, const json_t *rec, mie_buf *why);
	void (*start)(mie_writer *w); /* writes the document start once, or NULL */
	int (*finish)(mie_writer *w); /* writes the closing part; not free */
	void (*free)(mie_writer *w);
};

/* Each format: a constructor that fills a zeroed struct allocated by the
 * dispatcher (the format may allocate a larger struct starting with it). */
mie_reader *mie_jsonl_reader_new(mie_input *in);
mie_reader *mie_ixml_reader_new(mie_input *in);
mie_writer *mie_jsonl_writer_new(FILE *fp);
mie_writer *mie_ixml_writer_new(FILE *fp);

/* Flushes w->buf to w->fp; MIE_WRITE_OK or MIE_WRITE_IO. */
int mie_writer_flush_buf(mie_writer *w);

#endif
