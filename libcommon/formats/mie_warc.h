/* mie_warc.h — a streaming WARC/1.0 and WARC/1.1 record parser.
 *
 * libarchive 3.6.2's WARC reader is not used (it rejects WARC/1.1, dies on
 * "Content-length:", drops home pages and request records, pads bodies
 * with NULs): the stream comes from a mie_input (which has already undone
 * a .warc.gz chain of gzip members) and the records are parsed here.
 *
 * Invariants: one record's header block (at most 1 MiB) is in memory at a
 * time; a body is only held when the caller asks for it, and never more
 * than MIE_WARC_MAX_BODY bytes (a larger Content-Length is not trusted:
 * the body is skipped, not read).  Header names compare case-insensitively;
 * continuation lines are folded into the value. */
#ifndef MIE_WARC_H
#define MIE_WARC_H

#include <stdint.h>

#include "core/mie_buf.h"
#include "io/mie_input.h"

#define MIE_WARC_MAX_BODY ((int64_t)64 << 20)

typedef struct mie_warc mie_warc;

/* Reads WARC records from `in` (borrowed, must outlive the reader). */
mie_warc *mie_warc_new(mie_input *in);
void mie_warc_free(mie_warc *w); /* NULL is a no-op */

enum {
	MIE_WARC_RECORD = 1, /* a record's header was read */
	MIE_WARC_END = 0,    /* clean end of stream */
	MIE_WARC_BAD = -1,   /* not WARC, or a header cut short: stop; why in mie_warc_error */
};
/* Skips what is left of the current record's body, then reads the next
 * record's version line and header fields. */
int mie_warc_next(mie_warc *w);

/* The current record's field value (case-insensitive name), or NULL.
 * Borrowed until the next mie_warc_next. */
const char *mie_warc_field(const mie_warc *w, const char *name);
const char *mie_warc_version(const mie_warc *w); /* "WARC/1.1" */
int64_t mie_warc_offset(const mie_warc *w);      /* of the record's first byte */
int64_t mie_warc_length(const mie_warc *w);      /* Content-Length, -1 if missing/bad */

enum {
	MIE_WARC_BODY_OK = 0,
	MIE_WARC_BODY_TRUNCATED = -1, /* stream ended early: body holds what was there */
	MIE_WARC_BODY_TOO_BIG = -2,   /* over MIE_WARC_MAX_BODY: skipped, body empty */
	MIE_WARC_BODY_IO = -3,        /* read error (message printed by mie_input) */
};
/* Reads the whole body of the current record into `body` (reset first).
 * Once per record.  The body ends where the record does: when the bytes
 * after Content-Length of them are not CRLF CRLF then the next "WARC/"
 * line (or the end of the stream), the body is cut before the first
 * CRLF CRLF "WARC/1." in it (Content-Length too long: the rest is read
 * as the next record), else it goes on up to the next CRLF CRLF "WARC/1."
 * after it or the end of the stream (too short); see
 * mie_warc_length_wrong. */
int mie_warc_body(mie_warc *w, mie_buf *body);

/* After mie_warc_body: +1 when the record's Content-Length was too long,
 * -1 too short (the body then holds the record's real content, whose
 * length goes to *true_length when not NULL), else 0.  Cleared by the
 * next mie_warc_next. */
int mie_warc_length_wrong(const mie_warc *w, int64_t *true_length);

/* Why the last call failed (borrowed, static or lives with w). */
const char *mie_warc_error(const mie_warc *w);
/* Set when the bytes after the last body were not the CRLF CRLF separator
 * (the reader resynchronised on the next "WARC/" line); cleared by the
 * next mie_warc_next. */
int mie_warc_bad_separator(const mie_warc *w);

#endif
