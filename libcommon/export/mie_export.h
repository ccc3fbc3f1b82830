/* mie_export.h — the export writers of mie-export, behind one registry.
 *
 * A writer turns a stream of interchange records into one output format
 * (pandoc's shape: one file per format, behind one `--to` value).  It
 * declares, per record type, the fields it carries; the framework
 * (mie_export.c) compares every record with that declaration and reports
 * what was not carried, once per field, with the number of records
 * affected (the lossiness report): the report is computed, never written
 * by hand in a writer.
 *
 * Invariants:
 *  - the registry (MIE_EXPORT_WRITERS below) is the only list of writers:
 *    --to values, --help and the man page's list come from it.  Adding a
 *    format = one writer file defining `const mie_export_writer
 *    mie_export_NAME` + one X(NAME) entry here;
 *  - a writer's options are declared in its own table and exist only for
 *    it: `--excel` with `--to json` is a usage error said by the tool, so a
 *    writer never sees an option it did not declare;
 *  - the framework calls open once, put once per record in input order,
 *    then finish (or abort, after a fatal error) exactly once; each frees
 *    the writer's state.  A writer holds one record at a time unless its
 *    format needs more (say so, with the bound, at its definition);
 *  - a writer's outputs replace their targets only in finish, when the run
 *    has no fatal error (atomic outputs, mie_output.h): a failed run leaves
 *    what was there before;
 *  - messages: a writer says its own problems through mie_err.h and raises
 *    the exit status there (1 for a record it could not write, 2 for I/O);
 *    the loss lines are the framework's. */
#ifndef MIE_EXPORT_H
#define MIE_EXPORT_H

#include <jansson.h>

#include "cli/mie_cli.h"
#include "core/mie_err.h"

/* What the tool gives every writer (borrowed; lives from open to finish or
 * abort). */
typedef struct mie_export_opts {
	const char *output; /* -o: NULL for standard output */
	/* The values of the writer's own options, in the order of its table
	 * (opt[i] for options[i]): NULL when not given, "" for a flag given,
	 * the argument otherwise (the last one when repeated). */
	const char *const *opt;
} mie_export_opts;

/* Results of put. */
enum mie_export_put {
	MIE_EXPORT_OK = 0,    /* written */
	MIE_EXPORT_SKIP = 1,  /* not written by choice (a type not asked, e.g.
	                         csv --type): counted in the report per type */
	MIE_EXPORT_BAD = -1,  /* this record could not be written (the writer
	                         said why, exit status 1); the run goes on */
	MIE_EXPORT_FATAL = -2 /* the output is lost (the writer says why, now or
	                         in finish, exit status 2); put is not called
	                         again, finish is (and discards the outputs) */
};

typedef struct mie_export_writer {
	const char *name;    /* the --to value: "csv", "spip-dump" */
	const char *summary; /* one line, for --help: "one CSV table per record type" */
	/* The writer's own options (terminated by id 0; ids are the writer's,
	 * unique in its table, any value > 0), or NULL.  Several writers may
	 * declare the same long name (--pretty): the tool shows it once. */
	const mie_option *options;
	/* Appended to each loss line ("--columns to choose"), or NULL. */
	const char *loss_hint;

	/* Checks the options and opens the outputs.  Returns 0 and sets *state
	 * (owned by the writer, passed back to every call), or -1 after a
	 * message (the tool exits 2; finish and abort are not called). */
	int (*open)(const mie_export_opts *o, void **state);

	/* The fields the writer carries for records of `type` (any string:
	 * unknown types too), as a NULL-terminated list of dotted paths
	 * ("title", "text.plain", "provenance.0.file", "extra"); a path covers
	 * everything under it, and the single path "*" covers the whole record
	 * (a lossless writer).  Called at most once per type and run; the list
	 * is borrowed and must live until finish or abort.  Records a writer
	 * SKIPs are not compared. */
	const char *const *(*carries)(void *state, const char *type);

	/* Writes one record (borrowed for the call; loc: where it was read,
	 * for messages).  Returns an enum mie_export_put. */
	int (*put)(void *state, const json_t *rec, const mie_loc *loc);

	/* Writes what ends the outputs and commits them (unless the run has a
	 * fatal error: then it discards them), then frees state.  Returns 0,
	 * or -1 after a message (exit status 2). */
	int (*finish)(void *state);

	/* Discards the outputs (targets left as they were) and frees state. */
	void (*abort)(void *state);

	/* Optional: called instead of put when the record came from a JSON
	 * Lines line, with that line's JSON text (trimmed of BOM and CR;
	 * borrowed for the call), for a writer storing records whole (SQLite's
	 * json column) without writing them out again.  NULL: put. */
	int (*put_line)(void *state, const json_t *rec, const char *line, size_t n,
	                const mie_loc *loc);
} mie_export_writer;

/* ---- the registry ---- */

/* X(NAME) for every writer, in the order --help lists them; NAME is the C
 * name (spip_dump), the --to value is the writer's .name ("spip-dump"). */
#define MIE_EXPORT_WRITERS(X)                                                                      \
	X(jsonl)                                                                                   \
	X(json) X(xml) X(csv) X(sqlite) X(spip_dump) X(dc) X(bagit) X(markdown) X(redirects)

#define MIE_EXPORT_DECLARE(n) extern const mie_export_writer mie_export_##n;
MIE_EXPORT_WRITERS(MIE_EXPORT_DECLARE)
#undef MIE_EXPORT_DECLARE

/* Every writer, in registry order, NULL-terminated. */
extern const mie_export_writer *const mie_export_writers[];
/* The writer whose .name is `name`, or NULL. */
const mie_export_writer *mie_export_find(const char *name);

/* ---- one run (what mie-export's main drives) ---- */

typedef struct mie_export mie_export;

typedef struct mie_export_run {
	const mie_export_writer *writer; /* borrowed */
	mie_export_opts opts;            /* borrowed members */
	int strict;                      /* --strict: any loss makes exit status 1 */
	const char *report;              /* --report FILE: the losses as JSON, or NULL */
} mie_export_run;

/* Opens the writer.  Returns NULL after a message (exit status 2).  run is
 * borrowed until mie_export_close.  The caller owns the result. */
mie_export *mie_export_open(const mie_export_run *run);
/* Compares rec with what the writer carries, then hands it to the writer.
 * Returns an enum mie_export_put; after MIE_EXPORT_FATAL stop putting. */
int mie_export_put(mie_export *x, const json_t *rec, const mie_loc *loc);
/* The same for a record read from a JSON Lines line (line, n: its JSON
 * text, borrowed for the call), handed to the writer's put_line if it has
 * one. */
int mie_export_put_line(mie_export *x, const json_t *rec, const char *line, size_t n,
                        const mie_loc *loc);
/* Finishes the writer (or aborts it when `failed`: a fatal error met by
 * the caller), prints the loss lines, writes --report, applies --strict;
 * frees *x and clears it.  Returns 0, or -1 when the outputs were not
 * committed.  NULL or *x NULL: returns 0. */
int mie_export_close(mie_export **x, int failed);

/* Reads every record of the inputs paths[0..n) (borrowed; "-" is standard
 * input) into x, in input order, as mie_records reads them (same records,
 * same messages, progress on stderr when asked); JSON Lines inputs are
 * parsed on worker threads (mie_export_read.c).  Returns 0, or -1 when an
 * input failed fatally: the caller then closes x with `failed` set.  A
 * writer's fatal error stops the reading and returns 0: its finish says it. */
int mie_export_read(mie_export *x, char *const *paths, int n, int progress);

/* ---- helpers for writers ---- */

/* The value at a dotted path in rec ("text.plain", "provenance.0.file":
 * numbers index arrays), or NULL.  Borrowed from rec. */
const json_t *mie_export_path(const json_t *rec, const char *path);

/* For a writer, from its finish: `records` records had `path` written, but
 * not exactly as they were (why: a short phrase, "characters the dump
 * cannot hold as they are").  The framework says it with the other loss
 * lines ("spip-dump: PATH: not written exactly (N records): WHY"), counts
 * it under --strict and lists it in --report ("fields_not_exact").  Strings
 * are copied.  One export runs at a time in a process (the run opened by
 * mie_export_open and not yet closed). */
void mie_export_inexact(const char *path, long records, const char *why);

#endif
