/* mie_output.h — atomic file outputs, and the one rule that an output is
 * neither an input nor another output of the run.
 *
 * A named output is written to a temporary file beside it (".NAME.XXXXXX")
 * and renamed over NAME only by mie_output_commit, after flush, error check
 * and fsync: a failed or killed run leaves the previous NAME untouched and
 * no temporary file (removed on every signal whose default action ends the
 * process, from SIGHUP to SIGXFSZ, SIGBUS and SIGUSR1, and at exit; a
 * signal ignored when the first output is opened, as under nohup, stays
 * ignored).  The new file has the mode of the file it replaces, or, for a
 * new name, 0666 less the umask.  A symbolic link at NAME is replaced,
 * never followed.  A NAME that exists and is not a regular file
 * (/dev/null, a FIFO), and /dev/stdout, /dev/stderr, /dev/fd/N and
 * /proc/self/fd/N, are written in place through the file or descriptor,
 * never renamed over.  NULL, "-" or /dev/stdout is standard output,
 * checked for write errors at commit.
 *
 * Same file: two names are the same file when they stat to one inode, or,
 * when neither exists yet, when they resolve to one path (links and ".."
 * followed).  A character device (/dev/null, a terminal) is never the same
 * file as anything. */
#ifndef MIE_OUTPUT_H
#define MIE_OUTPUT_H

#include <stdio.h>
#include <sys/stat.h>

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

/* Claims `path` for the run under the name `what` ("-o", "--rejects";
 * copied; NULL: the standard output of a run without -o), as an input when `input` is 1,
 * else as an output; NULL or "-" is standard input or output.  Returns 0,
 * or -1 after one message naming both files (exit status 2) when the path
 * is empty ("WHAT: empty file name") or an output is the same file as an
 * input or as another output claimed before (two outputs to standard
 * output included): `-o "x" is the same file as the input "x"`.  Inputs
 * are never in conflict with each other.  mie_cli_parse claims the
 * operands and every option marked MIE_OPT_OUTPUT or MIE_OPT_INPUT;
 * mie_output_open checks a path nobody claimed by the same rule. */
int mie_output_claim(const char *what, const char *path, int input);

/* For a folder walk: is the file `st` describes (lstat/stat of a walked
 * name) one this run is writing, a temporary file of an open output or a
 * claimed output?  Such a file is skipped, never read back. */
int mie_output_owns(const struct stat *st);

/* After a failed write: when the reader of standard output went away
 * (EPIPE, e.g. `| head`), ends the process quietly by SIGPIPE, as Unix
 * filters do; otherwise returns. */
void mie_output_epipe_exit(int err);
#endif
