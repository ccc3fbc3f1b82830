/* mie_records.h — the one way a tool reads records: an iterator over the
 * command-line inputs (files, "-" for standard input), each a record stream
 * in JSON Lines or XML (detected, compressed or not).
 *
 * Invariants:
 *  - the iterator says every problem itself, once, as man/mie-conventions.7
 *    decides: an input that cannot be opened ("PATH: cannot open: REASON",
 *    exit 2), a directory ("PATH: is a directory", exit 2), an unreadable
 *    record ("PATH:LINE: why", exit 1; skipped), an input without records
 *    ("PATH: no records", a warning, exit 0), an input cut short
 *    ("PATH:LINE: input cut short: REASON", exit 1; the records before
 *    the cut are returned);
 *  - a record is returned at most once, in input order; the caller sees
 *    only records and the end (and, with MIE_RECORDS_KEEP_BAD, the
 *    unreadable ones, already said);
 *  - the counts include every record met, readable or not, so a summary
 *    "N records read" is true for a stream of rejected records too;
 *  - names (loc->file, mie_records_name) are the display names, "(stdin)"
 *    for "-": they live as long as the iterator.
 * Progress (when asked) is drawn from the bytes read out of the inputs'
 * sizes: a percentage when every input is a regular file. */
#ifndef MIE_RECORDS_H
#define MIE_RECORDS_H

#include <jansson.h>
#include <stdint.h>

#include "core/mie_buf.h"
#include "core/mie_err.h"
#include "io/mie_input.h"
#include "formats/mie_stream.h"

typedef struct mie_records mie_records;

typedef struct mie_records_stats {
	long records; /* every record met, readable or not */
	long bad;     /* of them, unreadable (reported, skipped) */
	int inputs;   /* inputs opened */
} mie_records_stats;

enum mie_records_flags {
	/* mie_records_next also returns MIE_READ_BAD for an unreadable record,
	 * already reported and counted, so that the caller can keep its raw
	 * text (mie_records_raw), e.g. in a rejects file */
	MIE_RECORDS_KEEP_BAD = 1 << 0,
};

/* Offered every JSON Lines input once opened (`in` borrowed, nothing read
 * from it but peeked; `path` as on the command line, "-" for stdin), for a
 * caller with a faster way to read it that accepts exactly what
 * mie_jsonl_parse accepts: returns 1 when it leaves it (the iterator reads
 * it), 0 when it read it whole itself (records met and bad ones added to
 * *stats, bad ones reported), -1 on a fatal error (message printed: the
 * run stops). */
typedef int (*mie_records_take_fn)(void *ctx, const char *path, mie_input *in,
                                   mie_records_stats *stats);

typedef struct mie_records_opts {
	unsigned flags;                 /* mie_records_flags */
	int progress;                   /* draw progress on stderr */
	mie_records_take_fn take_jsonl; /* NULL: none */
	void *ctx;                      /* for take_jsonl */
} mie_records_opts;

/* Iterates over paths[0..n) (borrowed: must outlive the iterator; "-" is
 * standard input).  opts may be NULL (no flags, no progress).  Nothing is
 * opened yet.  Never NULL; the caller owns it. */
mie_records *mie_records_open(char *const *paths, int n, const mie_records_opts *opts);
/* Frees *it (closing its input, ending its progress line) and sets *it to
 * NULL.  NULL or *it NULL: no-op. */
void mie_records_free(mie_records **it);

/* The next record: MIE_READ_OK (*rec a new reference the caller owns, *loc
 * where it starts, its strings borrowed until mie_records_free), or
 * MIE_READ_EOF after the last input (or after a fatal error: see
 * mie_records_failed).  With MIE_RECORDS_KEEP_BAD, also MIE_READ_BAD (*rec
 * NULL, *loc set, the error already printed and counted). */
int mie_records_next(mie_records *it, json_t **rec, mie_loc *loc);

/* The raw text of the last record returned (JSON Lines: its line, without
 * LF), or NULL when its form keeps none (XML).  Borrowed until the next
 * call. */
const mie_buf *mie_records_raw(const mie_records *it);
/* Display name of the current input (borrowed, lives with it); NULL before
 * the first. */
const char *mie_records_name(const mie_records *it);
const mie_records_stats *mie_records_get_stats(const mie_records *it);
/* 1 when a fatal error (unreadable input, missing file...) was met: the
 * caller should not commit what it wrote. */
int mie_records_failed(const mie_records *it);

/* The edge cases of one command-line path, said as mie_records says them
 * (for tools that open their inputs otherwise, e.g. mie-import):
 * "PATH: cannot open: REASON", or, unless dirs_ok, "PATH: is a directory".
 * Returns 0 when path may be read, -1 after the message (exit status 2). */
int mie_records_check_path(const char *path, int dirs_ok);

/* Sum of the sizes of the paths (borrowed) when all are regular files, for
 * progress percentages; -1 otherwise. */
int64_t mie_records_inputs_size(char *const *paths, int n);

#endif
