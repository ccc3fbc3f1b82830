/* mie_import.h — the importer framework: source readers turn legacy inputs
 * into interchange records, through one context that holds the options, the
 * output, the rejects and the accounting.
 *
 * Flow: mie-import opens each INPUT with mie_import_path(), which walks
 * folders and archives (issue 4) and hands every stream to the source reader
 * whose sniff() claims it (or the one named by --from).  A source reader
 * calls mie_import_emit() for every record and mie_import_reject() for every
 * row it cannot turn into a record, so that for each (source, table) pair
 * rows read = records written + rejected, printed in the summary.
 *
 * Privacy: a source reader never puts a credential in a record, a message
 * or a reject; personal data (emails, IPs, phones, logins) only when
 * ctx->opt.keep_personal is set.  import/mie_privacy.h is the one rule;
 * mie_import_emit and mie_import_reject strip URL userinfo from whatever
 * they write, and mie_import_withheld counts what a source withheld. */
#ifndef MIE_IMPORT_H
#define MIE_IMPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mie_err.h"
#include "io/mie_input.h"
#include "formats/mie_stream.h"

typedef struct mie_import mie_import;

typedef struct mie_import_options {
	const char *from;    /* --from: reader name, NULL = sniff */
	const char *site;    /* --site: site host for ids, NULL = from data */
	const char *status;  /* --status: keep only this status, NULL = all */
	const char *charset; /* --charset: override detection, NULL = detect */
	const char *map;     /* --map: CSV mapping preset or file */
	int delimiter;       /* --delimiter, 0 = detect */
	int keep_personal;   /* --keep-personal */
	int64_t max_bytes;   /* --max-bytes: per-input expansion budget */
	double max_ratio;    /* --max-ratio: 0 = default, < 0 = not checked */
	int jobs;            /* --jobs: threads building records, 0 = one per CPU */
	const char *unpack;  /* --files-out: DIR for a bag's attachments, NULL = none */
	/* --source-label: what provenance names each INPUT by, NULL = its path
	 * relative to the working folder (see mie_import_emit) */
	const char *source_label;
} mie_import_options;

/* Usage check of --map: a preset name, or a mapping file that can be read
 * (not a folder).  Returns 0, or -1 after one message (exit status 2). */
int mie_import_check_map(const char *map);

/* A source reader: one legacy format.  Registered in mie_import.c's table. */
typedef struct mie_source {
	const char *name;  /* "spip-dump", "html", "warc", "csv", "feed" */
	const char *about; /* one line for --help */
	/* Returns a score > 0 when the first bytes (and the name, which may be
	 * NULL) look like this format; the highest score wins. */
	int (*sniff)(const unsigned char *head, size_t n, const char *name);
	/* Reads the whole input, emitting records.  `where` locates the input
	 * (file and archive member).  Returns 0, or -1 when the input had to be
	 * abandoned (message already printed). */
	int (*read)(mie_import *ctx, mie_input *in, const mie_loc *where);
	/* Called once after the last input (NULL: nothing to do): a source that
	 * must see every input before it can write (a dump split in parts, whose
	 * links may come last) writes its records here.  Returns 0 or -1. */
	int (*finish)(mie_import *ctx);
	/* Frees what the source kept in ctx->state[] (NULL: nothing). */
	void (*release)(mie_import *ctx);
} mie_source;

/* A reader of a command-line input as it is on disk, named by --from: a
 * package whose files are checked byte for byte (BagIt), which the walk
 * would open and decompress.  mie_import_path calls it instead of walking.
 * Returns 0 or -1. */
typedef struct mie_path_source {
	const char *name; /* "bagit" */
	int (*read_path)(mie_import *ctx, const char *path);
} mie_path_source;
extern const mie_path_source *const mie_path_sources[]; /* NULL-terminated */

#define MIE_IMPORT_MAX_SOURCES 16

struct mie_import {
	mie_import_options opt;
	mie_writer *out;     /* borrowed */
	mie_writer *rejects; /* borrowed; NULL = no --rejects */
	/* accounting: mie_import_emit, _reject, _skip; mie_import_summary */
	struct mie_import_tally *tally; /* owned */
	long records, rejected;
	struct mie_progress *progress; /* borrowed, may be NULL (see mie_import_progress) */
	/* per source (index in mie_sources[]), owned by that source */
	void *state[MIE_IMPORT_MAX_SOURCES];
	mie_buf messages; /* a fork's captured messages (see mie_import_fork) */
};

void mie_import_init(mie_import *ctx);
void mie_import_release(mie_import *ctx);

/* Lets every source finish (see mie_source.finish); call once after the
 * last mie_import_path.  Returns 0 or -1. */
int mie_import_finish(mie_import *ctx);
/* The index of a source in mie_sources[], for ctx->state[]. */
int mie_import_source_index(const mie_source *s);
/* The site's host for ids, from a URL such as --site's (may be NULL):
 * "http://www.infomie.net/x" -> "infomie.net".  Returns a malloc'd string
 * or NULL. */
char *mie_import_host(const char *url);

/* The command-line input being read ("(stdin)" for "-"), borrowed until
 * the next mie_import_path; NULL before the first. */
const char *mie_import_input(const mie_import *ctx);

/* Imports one command-line INPUT (file, "-", folder or archive). */
int mie_import_path(mie_import *ctx, const char *path);
/* Sends one stream to its source reader (sniffing unless --from). */
int mie_import_stream(mie_import *ctx, mie_input *in, const mie_loc *where);

/* Parallel building, for a source whose finish() turns many independent
 * rows into records.  A fork of ctx has ctx's options, writes records and
 * rejects to memory and keeps its own accounting; a worker thread calls
 * mie_import_emit / _reject / _skip on it as on ctx, with its messages
 * captured (mie_err_capture(&fork->messages)).  mie_import_join replays a
 * fork into ctx and frees it: records, rejects, counts, messages.  Forks
 * joined in row order give exactly what one thread would have written.
 * No source state is shared with a fork: what the workers read of the
 * source's state must not change while they run. */
mie_import *mie_import_fork(const mie_import *ctx);
/* Returns 0, or -1 on an output error. */
int mie_import_join(mie_import *ctx, mie_import *fork);
/* Threads to build with: --jobs, else the CPUs online (at most 8). */
int mie_import_jobs(const mie_import *ctx);

/* Progress: the importer ticks ctx->progress at every record written and
 * every block read from the stream a source was handed (through
 * mie_input_on_block), so a source that reads long without writing (a SPIP
 * dump spills its rows and builds them at the end) shows the bytes read,
 * the percentage and the ETA with nothing to do.  A source reading through
 * another stream than `in` (the one it was handed; borrowed) may call this
 * once per block.  Cheap: a counter, and the clock every 256th call. */
void mie_import_progress(mie_import *ctx, const mie_input *in);

/* Writes a record (takes ownership of rec) and counts it under
 * (source, table), e.g. ("spip-dump", "spip_articles").  Returns 0, or -1
 * on an output error (the caller stops). */
int mie_import_emit(mie_import *ctx, const char *source, const char *table, json_t *rec);
/* Counts a rejected row, prints "PROG: FILE:LINE: TABLE id ID: reason" and
 * writes to --rejects one object: file, member, line, source, table, id
 * (when not NULL), reason, then the members of `row` (borrowed, may be
 * NULL: what of the row may leave, by mie_privacy.h — the caller's duty). */
void mie_import_reject(mie_import *ctx, const char *source, const char *table, const mie_loc *loc,
                       const char *id, json_t *row, const char *reason);
/* Counts something read and deliberately not turned into a record
 * (skipped binary table, non-content page...) so the summary shows it,
 * under the stream being read (or the last one read). */
void mie_import_skip(mie_import *ctx, const char *source, const char *table, long n);
/* The same, for rows read at `at` (borrowed; NULL: as mie_import_skip):
 * for a source that counts after the inputs were read (in finish). */
void mie_import_skip_at(mie_import *ctx, const mie_loc *at, const char *source, const char *table,
                        long n);
/* Prints the summary on stderr unless quiet: per input and (source,
 * table), one line "PROG: WHERE: SOURCE TABLE: N read, N written, N
 * rejected" (and "N skipped"), where WHERE is the stream the rows came from
 * ("z.zip!dump.xml") when there was one, else the command-line input (a
 * folder, an archive). */
void mie_import_summary(const mie_import *ctx);

/* A row the privacy rule keeps out whole (private correspondence): counted
 * as skipped under `label`, and written to --rejects as where it was
 * (`at`, source, table, id — may be NULL — and reason, all borrowed) with
 * "withheld": true and no value; not an error. */
void mie_import_set_aside(mie_import *ctx, const mie_loc *at, const char *source, const char *table,
                          const char *label, const char *id, const char *reason);
/* Counts one value of `column` withheld by the privacy rule
 * (mie_privacy.h) from a row of (source, table) read at `at` (borrowed,
 * NULL as in mie_import_skip_at): the summary names the columns and their
 * counts, never a value. */
void mie_import_withheld(mie_import *ctx, const mie_loc *at, const char *source, const char *table,
                         const char *column);

extern const mie_source *const mie_sources[]; /* NULL-terminated */

#endif
