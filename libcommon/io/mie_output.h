/* mie_output.h — atomic file outputs.
 *
 * A named output is written to a temporary file beside it (".NAME.XXXXXX")
 * and renamed over NAME only by mie_output_commit, after flush, error check
 * and fsync: a failed or killed run leaves the previous NAME untouched and
 * at most a temporary file (removed on SIGINT/SIGTERM/SIGHUP and on abort).
 * A symbolic link at NAME is replaced, never followed.  A NAME that exists
 * and is not a regular file (/dev/null, a FIFO) is written in place.  NULL or "-" is
 * standard output, checked for write errors at commit. */
#ifndef MIE_OUTPUT_H
#define MIE_OUTPUT_H

#include <stdio.h>

typedef struct mie_output mie_output;

/* Opens; on failure prints the reason, raises exit status 2, returns NULL.
 * The caller owns the result and must commit or abort it. */
mie_output *mie_output_open(const char *path);
FILE *mie_output_file(mie_output *o); /* borrowed, lives until commit/abort */
const char *mie_output_name(const mie_output *o);
/* The temporary file being written for a named output (borrowed, lives
 * until commit/abort), for a writer that must reopen it by name (a SQLite
 * database); NULL when the output is written in place or is standard
 * output. */
const char *mie_output_tmp_path(const mie_output *o);
/* Flushes, checks, renames into place, frees *o and sets *o to NULL.
 * Returns 0, or -1 after printing one message (exit status 2); the
 * temporary file is then removed. */
int mie_output_commit(mie_output **o);
/* Discards the output (temporary file removed), frees *o and sets *o to
 * NULL.  NULL or *o NULL: no-op. */
void mie_output_abort(mie_output **o);
/* Discards *o after a write error `err` (errno value) met while writing
 * it, said as "NAME: write error: REASON" (exit status 2) — for standard
 * output only once per run — or, for EPIPE on standard output, ends the
 * process quietly (mie_output_epipe_exit).  Sets *o to NULL. */
void mie_output_fail(mie_output **o, int err);

/* Flushes standard output and checks it, as at commit: returns 0, or -1
 * after the one "(stdout): write error: REASON" of the run (exit status 2;
 * EPIPE ends the process quietly).  For what tools print outside any
 * mie_output (help, version) and for the very end of a run. */
int mie_output_check_stdout(void);

/* Usage check: is path the same file as an existing input path? */
int mie_output_same_file(const char *out, const char *in);

/* Is standard output a regular file that is the input path? */
int mie_output_stdout_is(const char *in);

/* After a failed write: when the reader of standard output went away
 * (EPIPE, e.g. `| head`), ends the process quietly by SIGPIPE, as Unix
 * filters do; otherwise returns. */
void mie_output_epipe_exit(int err);
#endif
