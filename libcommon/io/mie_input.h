/* mie_input.h — one input file as a decompressed byte stream.
 *
 * Every input goes through libarchive (format "raw" with every compression
 * filter), so file.jsonl, file.jsonl.gz and a multi-member .gz read the same.
 * "-" is standard input.  Reading is sequential; nothing is held but one
 * block.  Line numbers count LF bytes consumed so far. */
#ifndef MIE_INPUT_H
#define MIE_INPUT_H

#include <stdint.h>
#include <sys/types.h>

struct archive;

#include "core/mie_buf.h"

typedef struct mie_input mie_input;

/* Opens path ("-" = stdin).  On failure prints "PROG: PATH: cannot open:
 * reason" (or the reader's error), raises the exit status to 2 and returns
 * NULL.  The caller owns the result. */
mie_input *mie_input_open(const char *path);
/* Opens a byte range held in memory (borrowed: must outlive the input);
 * `name` is copied and used in messages. */
mie_input *mie_input_open_memory(const void *data, size_t n, const char *name);
/* Frees in (NULL: nothing) after saying how many messages about it were
 * held back (mie_err_flush). */
void mie_input_free(mie_input *in);

/* 1 when the last error of libarchive reader `a` says its input was cut
 * short (a gzip, zip, xz… ending before its end). */
int mie_input_is_cut(struct archive *a);
/* Reports the last error of reader `a` (borrowed) about `name`: a cut input
 * as a data problem, "NAME: truncated: REASON: what came before the cut is
 * read" (exit status 1: every complete record before it is kept), anything
 * else as a fatal I/O error "NAME: REASON" (2). */
void mie_input_read_error(const char *name, struct archive *a);

/* Expansion budget shared by every stream read out of one command-line
 * input (libarchive has none: a 10 KiB sparse tar reads as 10 GiB).  A read
 * that makes `used` pass `max` fails with a message; so does one that makes
 * a meter's ratio pass `ratio` once 1 MiB has come out under it.  A meter
 * measures one compressed thing: the bytes counted since `out0` against the
 * bytes its reader `a` consumed since `raw0`.  The walk (mie_archive.c) has
 * one for the file (its stream as a whole: a .gz, a tar.gz, a 7z, and a zip
 * whose members share compressed bytes) and one for each member of a zip,
 * tar or cpio without a compression filter (each compressed on its own):
 * a folder of ten thousand pages is no bomb (only `max` bounds a folder),
 * neither is a zip of ten thousand pages with one bomb member in it, which
 * stops alone. */
typedef struct mie_meter {
	struct archive *a;       /* borrowed: the reader whose bytes are the input */
	int64_t out0, raw0;      /* budget `used` and bytes consumed by `a` at start */
	const char *name;        /* borrowed, for the message */
	struct mie_meter *outer; /* the enclosing meter, NULL for the file's */
} mie_meter;

typedef struct mie_budget {
	int64_t used, max;   /* max 0 = no limit */
	double ratio;        /* 0 = no limit */
	struct archive *top; /* borrowed: the outermost reader, for progress */
	mie_meter *meters;   /* borrowed: the innermost meter, NULL = none */
	int tripped;
} mie_budget;

/* Counts n more bytes out of `name`; returns 1 (after printing why, once)
 * when the budget is exceeded, else 0. */
int mie_budget_add(mie_budget *b, int64_t n, const char *name);

/* A stream reading the current entry of archive `a` (borrowed, positioned
 * by archive_read_next_header; must outlive the input).  `name` is copied,
 * `budget` borrowed (may be NULL).  Never NULL. */
mie_input *mie_input_from_archive(struct archive *a, const char *name, mie_budget *budget);

/* Names the file the stream of `in` decompresses (copied), so that a gzip
 * file cut short is read up to its last byte (see resume_with_zlib in
 * mie_input.c).  mie_input_open sets it; a stream of an archive's file
 * reader may, with `cut` set when the reader's first header already failed
 * on the cut (the stream is then read from the file's start). */
void mie_input_set_file(mie_input *in, const char *path, int cut);

/* Standard input for libarchive reader `a` (archive_read_open on fd 0).
 * When its bytes are gzip they are also kept, as they are read, in an
 * unlinked temporary file: a stream cut short can then be read on to its
 * last byte by zlib, as a cut file is (mie_stdin_file gives its name for
 * mie_input_set_file), so a pipe and a file give the same records.
 * Returns the tee (caller-owned, mie_stdin_free after archive_read_free)
 * and libarchive's status of the open in *rc. */
typedef struct mie_stdin mie_stdin;
mie_stdin *mie_stdin_open(struct archive *a, int *rc);
/* "/proc/self/fd/N" of the kept copy (borrowed, lives as the tee), or
 * NULL when the input is not gzip (or no temporary file could be made). */
const char *mie_stdin_file(const mie_stdin *t);
/* NULL is a no-op. */
void mie_stdin_free(mie_stdin *t);

/* Reads up to n bytes.  Returns the count, 0 at end, -1 on error (message
 * printed, see mie_input_read_error). */
ssize_t mie_input_read(mie_input *in, void *buf, size_t n);

/* Reads without copying: returns the bytes read ahead (*n of them, at
 * least 1), consumed, borrowed until the next call on in; NULL at end or
 * on error (*n = 0; see mie_input_failed).  For a reader that counts its
 * own lines: these bytes are not counted by mie_input_line. */
const unsigned char *mie_input_next(mie_input *in, size_t *n);

enum { MIE_LINE_OK = 1, MIE_LINE_EOF = 0, MIE_LINE_TOO_LONG = -1, MIE_LINE_ERROR = -2 };
/* Reads one line into `line` (reset first), without its LF.  A line longer
 * than max bytes is skipped to its end and reported as MIE_LINE_TOO_LONG
 * (line then holds its first max bytes).  A last line without LF is
 * returned as a line. */
int mie_input_getline(mie_input *in, mie_buf *line, size_t max);

/* From now on mie_input_getline also ends a line at a lone CR (old Mac
 * text, some spreadsheet exports), a CRLF still being one line end; the
 * CR is not part of the line, and mie_input_line counts these lines. */
void mie_input_cr_lines(mie_input *in);

/* Looks at the first bytes without consuming them: returns a pointer to up to
 * *n buffered bytes (at most the request; fewer at end of input). */
const unsigned char *mie_input_peek(mie_input *in, size_t *n);

/* Calls fn(arg) after every block read from the input (NULL: none): how a
 * caller shows progress through a reader that does not know about it. */
void mie_input_on_block(mie_input *in, void (*fn)(void *arg), void *arg);

const char *mie_input_name(const mie_input *in);  /* borrowed, lives with in */
long mie_input_line(const mie_input *in);         /* 1-based line of next byte */
int64_t mie_input_size(const mie_input *in);      /* on-disk size, -1 unknown */
int64_t mie_input_raw_bytes(const mie_input *in); /* bytes read from disk */
int64_t mie_input_bytes(const mie_input *in);     /* decompressed bytes read */
/* Bytes read from disk of the file this stream lies in: for a member, its
 * outermost archive's (for progress over the command-line input). */
int64_t mie_input_top_bytes(const mie_input *in);
/* 1 once a read failed (I/O error or budget exceeded; message printed). */
int mie_input_failed(const mie_input *in);
/* 1 when it failed because the input ends early (said "truncated"): the
 * bytes read before the cut are good, a reader may use every complete
 * line or record among them. */
int mie_input_cut(const mie_input *in);

#endif
