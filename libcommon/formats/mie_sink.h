/* mie_sink.h — the one way a tool finishes an output: the output file
 * (atomic -o, see mie_output.h), the record writer on it and its error
 * state together.
 *
 * Invariants:
 *  - a write error is said once, at mie_sink_close, as
 *    "PATH: write error: REASON" (PATH "(stdout)" for standard output),
 *    exit status 2; when the reader of standard output went away (EPIPE,
 *    `| head`), the process ends quietly by SIGPIPE instead;
 *  - after a write error every put is a no-op returning MIE_WRITE_IO, so a
 *    producer may stop at its own pace (mie_sink_failed);
 *  - a named output replaces the previous file only when the whole run
 *    went well: mie_sink_close commits only when no write failed and the
 *    run has no fatal error (mie_exit_status() < 2); otherwise the previous
 *    file is left untouched;
 *  - mie_sink_close and mie_sink_abort take the caller's pointer and clear
 *    it: a sink is freed exactly once;
 *  - a path that is an input or another output of the run is refused at
 *    open, by the one rule of mie_output_claim (mie_cli_parse has already
 *    refused the paths the tool's options name). */
#ifndef MIE_SINK_H
#define MIE_SINK_H

#include <jansson.h>
#include <stdio.h>

#include "core/mie_buf.h"
#include "formats/mie_stream.h"

typedef struct mie_sink mie_sink;

/* Opens path (NULL or "-": standard output) with a writer of `form`.
 * Returns NULL after a message (exit status 2).  The caller owns the sink
 * and must close or abort it. */
mie_sink *mie_sink_open(const char *path, mie_form form);

/* Writes one record (borrowed).  MIE_WRITE_OK; MIE_WRITE_BAD when it cannot
 * be written in this form (nothing written, `why` set when not NULL);
 * MIE_WRITE_IO once the output failed (remembered, said at close). */
int mie_sink_put(mie_sink *s, const json_t *rec, mie_buf *why);

/* The writer, for code that writes through one (the importer, dedup's
 * XML); borrowed, lives until close/abort.  A caller that gets
 * MIE_WRITE_IO from it tells the sink with mie_sink_fail. */
mie_writer *mie_sink_writer(mie_sink *s);
/* The file, for a tool writing its own bytes (nothing must have gone
 * through the writer yet: it would be out of order); borrowed, lives until
 * close/abort.  Write errors on it are seen at close. */
FILE *mie_sink_file(mie_sink *s);
/* Remembers a write error met outside mie_sink_put (errno value; 0 means
 * EIO). */
void mie_sink_fail(mie_sink *s, int err);
/* 1 once a write failed. */
int mie_sink_failed(const mie_sink *s);
/* The output's name in messages: the path, or "(stdout)". */
const char *mie_sink_name(const mie_sink *s);

/* Finishes the writer, then commits (see the invariants) and frees *s;
 * sets *s to NULL.  Returns 0, or -1 when the output was not committed
 * (write error said once, or an earlier fatal error).  NULL: returns 0. */
int mie_sink_close(mie_sink **s);
/* Discards the output (a named one's temporary file removed, the previous
 * file kept) and frees *s; sets *s to NULL.  NULL or *s NULL: no-op. */
void mie_sink_abort(mie_sink **s);

#endif
