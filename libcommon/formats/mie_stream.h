/* mie_stream.h — reading and writing streams of interchange records.
 *
 * Two forms carry the same records: JSON Lines (one object per line, so
 * `cat a.jsonl b.jsonl` is a stream) and the interchange XML (one document,
 * root <records xmlns="urn:infomie:mie:interchange:1" schema_version="1">).
 * A reader detects the form from the first non-blank byte ('<' is XML).
 * Readers keep one record in memory at a time. */
#ifndef MIE_STREAM_H
#define MIE_STREAM_H

#include <jansson.h>
#include <stdio.h>

#include "core/mie_buf.h"
#include "core/mie_err.h"
#include "io/mie_input.h"

typedef enum mie_form { MIE_FORM_JSONL, MIE_FORM_XML } mie_form;

/* Parses "jsonl" / "xml"; returns 0 and sets *form, or -1. */
int mie_form_parse(const char *s, mie_form *form);
const char *mie_form_name(mie_form form);

/* ---- reading ---- */

typedef struct mie_reader mie_reader;

enum mie_read {
	MIE_READ_OK = 1, /* *rec is a new reference the caller owns */
	MIE_READ_EOF = 0,
	MIE_READ_BAD = -1,  /* one record unreadable: mie_reader_error says why;
	                       the next call goes on with the following one */
	MIE_READ_FATAL = -2 /* the rest of the input cannot be read */
};

/* Opens a record reader on `in` (borrowed: must outlive the reader), form
 * detected from the content.  Never NULL. */
mie_reader *mie_reader_open(mie_input *in);
void mie_reader_free(mie_reader *r);

/* Reads the next record.  *loc is set for every result but EOF: file and
 * line where the record starts (pointers borrowed from the reader, valid
 * until the next call). */
int mie_reader_next(mie_reader *r, json_t **rec, mie_loc *loc);
/* Why the last BAD or FATAL result happened (borrowed, until next call). */
const char *mie_reader_error(const mie_reader *r);
/* The raw text of the last record read (JSONL: its line), or NULL when the
 * form does not keep it.  Borrowed until the next call. */
const mie_buf *mie_reader_raw(const mie_reader *r);
mie_form mie_reader_form(const mie_reader *r);
/* Empty lines skipped so far (JSONL). */
long mie_reader_blank_lines(const mie_reader *r);

/* ---- writing ---- */

typedef struct mie_writer mie_writer;

enum mie_write {
	MIE_WRITE_OK = 0,
	MIE_WRITE_BAD = -1, /* this record cannot be written in this form (why is
	                       set); nothing of it was written */
	MIE_WRITE_IO = -2   /* write error: the output is lost */
};

/* Creates a writer on fp (borrowed).  Nothing is written until the first
 * record or mie_writer_finish (so an empty XML stream is still a document). */
mie_writer *mie_writer_new(FILE *fp, mie_form form);
/* Writes one record (borrowed).  On MIE_WRITE_BAD, `why` (may be NULL)
 * receives the reason. */
int mie_writer_put(mie_writer *w, const json_t *rec, mie_buf *why);
/* The same for a record that passed mie_schema_check (every string and
 * member name strict UTF-8, no NUL): the writer does not scan it again. */
int mie_writer_put_checked(mie_writer *w, const json_t *rec, mie_buf *why);
/* errno of the first write that failed (the reason of a MIE_WRITE_IO),
 * or 0. */
int mie_writer_errno(const mie_writer *w);
/* Writes what closes the stream and frees w.  Returns 0 or MIE_WRITE_IO. */
int mie_writer_finish(mie_writer *w);

/* Records written in memory, to be added to a stream later (workers that
 * build records in parallel, their output kept in order): a writer of
 * `form` with no file, no document start and no end.  Free it with
 * mie_writer_finish. */
mie_writer *mie_writer_fragment(mie_form form);
mie_form mie_writer_form(const mie_writer *w);
/* Appends what `frag` holds to w (starting w's document if needed), counts
 * its records as w's, and empties frag.  Returns MIE_WRITE_OK or
 * MIE_WRITE_IO. */
int mie_writer_put_fragment(mie_writer *w, mie_writer *frag);

/* The jansson precision flag for writing v (any JSON value, borrowed):
 * JSON_REAL_PRECISION(15) when every real in v reads back the same from 15
 * significant digits, so that a decimal of up to 15 digits read in is written
 * as it was (0.93, not 0.93000000000000005); else JSON_REAL_PRECISION(17),
 * which always gives a real back.  Every writer of records takes its flag
 * from here: no real loses a digit, and JSON Lines and XML agree. */
size_t mie_json_real_precision(const json_t *v);

#endif
