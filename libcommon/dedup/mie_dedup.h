/* mie_dedup.h — duplicate detection and merging of interchange records.
 *
 * Two halves:
 *  - pure functions on text (normalization, name keys, shingles, MinHash,
 *    Jaccard), deterministic and independent of locale;
 *  - the engine, in three passes: mie_dedup_add() or mie_dedup_add_input()
 *    streams records (pass 1:
 *    each is appended to a temporary spill file and reduced to a compact
 *    signature kept in memory: hashes, date, completeness, ~100 bytes plus
 *    its id; MinHash signatures (256 bytes) stay in memory up to the
 *    --memory budget and go to a second spill file beyond it; shingle sets
 *    always go to a third), mie_dedup_cluster() (pass 2: union-find over the
 *    signatures, canonical rule), mie_dedup_write() (pass 3: re-reads the
 *    spill in input order and writes marked, merged or only canonical
 *    records).
 *
 * Invariants:
 *  - clusters, canonicals, scores and the report depend only on the set of
 *    records, never on their order; the output follows the input order;
 *  - records are only compared within a compatible class: article, brief and
 *    dossier together (content); organisation, author, keyword each alone
 *    (names); any other type only with itself, and only by identity;
 *  - canonical rule: most complete record (most non-empty values outside
 *    type, id, legacy, provenance and the dedup fields), then newest
 *    date_modified, then smallest id (byte order), then the smallest hash
 *    of its serialized form;
 *  - merge loses nothing: every field value of every member that differs
 *    from the merged record's is kept under variants[FIELD] with the id,
 *    source and number of that member, each member's fields under
 *    merge_layout, the member ids under merged_from, provenance entries
 *    are concatenated and name their member; mie_dedup_unmerge gives the
 *    members back byte for byte (see mie_dedup_merge.c). */
#ifndef MIE_DEDUP_H
#define MIE_DEDUP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/mie_buf.h"
#include "text/mie_fold.h"
#include "io/mie_input.h"
#include "formats/mie_stream.h"

/* ---- text: normalization, keys, shingles ---- */

/* Normalized text is mie_text_fold's comparison form (mie_fold.h): so
 * "L’Association" and "l&#039;association" both give "l association". */

/* OpenRefine-style key-collision keys of a name (appended to out):
 * fingerprint key = the normalized words, sorted, unique, joined by one
 * space; n-gram key = the character n-grams of the normalized name without
 * spaces, sorted, unique, concatenated. */
void mie_dedup_name_key(mie_buf *out, const char *s, size_t n);
void mie_dedup_ngram_key(mie_buf *out, const char *s, size_t n, int ngram);

/* The comparison form of a legacy URL (appended to out): scheme (http or
 * https) and "www." dropped, host lowercased, fragment and trailing slashes
 * dropped; path and query kept as they are.  So
 * "https://www.InfoMIE.net/spip.php?article105#forum" and
 * "http://infomie.net/spip.php?article105" have the same key. */
void mie_dedup_url_key(mie_buf *out, const char *s, size_t n);

#define MIE_DEDUP_SHINGLE 3  /* words per shingle */
#define MIE_DEDUP_SIG     64 /* MinHash values per signature */

/* The set of MIE_DEDUP_SHINGLE-word shingles of normalized text (as made by
 * mie_text_fold), as sorted unique 32-bit hashes.  Text of fewer
 * words gives one shingle; empty text none.  Returns the count; *out is
 * malloc'd (caller frees), NULL when the count is 0. */
size_t mie_dedup_shingles(const char *norm, size_t n, uint32_t **out);
/* The same in text order, a shingle met twice given twice (what MinHash
 * needs: the least values of a set and of its repeats are the same), and
 * that list made the set, in place (returns its size). */
size_t mie_dedup_shingles_raw(const char *norm, size_t n, uint32_t **out);
size_t mie_dedup_shingle_set(uint32_t *sh, size_t n);
/* Jaccard similarity of two sorted unique sets; 0 when both are empty. */
double mie_dedup_jaccard(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);
/* MinHash signature of a shingle set (n > 0). */
void mie_dedup_minhash(const uint32_t *sh, size_t n, uint32_t sig[MIE_DEDUP_SIG]);
/* LSH rows per band for a similarity threshold: the most selective banding
 * of MIE_DEDUP_SIG values that still makes pairs at the threshold
 * candidates with probability >= 0.995. */
int mie_dedup_rows_for(double threshold);
/* The LSH bucket keys of a signature: one per band of `rows` values
 * (MIE_DEDUP_SIG / rows of them). */
void mie_dedup_band_keys(const uint32_t sig[MIE_DEDUP_SIG], int rows, uint64_t *keys);

/* ---- the engine ---- */

enum mie_dedup_method {
	MIE_DEDUP_IDENTITY = 1 << 0, /* same id, or same legacy.url */
	MIE_DEDUP_EXACT = 1 << 1,    /* same normalized title + text.plain */
	MIE_DEDUP_NEAR = 1 << 2,     /* Jaccard of shingles >= threshold */
	MIE_DEDUP_NAME = 1 << 3,     /* name key collision */
	MIE_DEDUP_ALL = 15
};
/* "identity", "exact", "near", "name" */
const char *mie_dedup_method_name(unsigned method);
/* Parses a comma-separated list of method names; -1 when invalid. */
int mie_dedup_methods_parse(const char *s, unsigned *methods);

typedef enum mie_dedup_mode { MIE_DEDUP_MARK, MIE_DEDUP_MERGE, MIE_DEDUP_DROP } mie_dedup_mode;
int mie_dedup_mode_parse(const char *s, mie_dedup_mode *mode);

typedef struct mie_dedup_opts {
	unsigned methods; /* mie_dedup_method bits */
	double threshold; /* near: Jaccard threshold, 0 < t <= 1 */
	size_t memory;    /* budget for near's signatures (LSH keys) in memory */
	mie_dedup_mode mode;
	unsigned merge_methods; /* merge: the methods whose duplicates are merged;
	                         * the others are marked */
} mie_dedup_opts;

typedef struct mie_dedup mie_dedup;

/* Creates the engine and its spill files (in $TMPDIR or /tmp, unlinked at
 * once).  Returns NULL after a message (exit status 2). */
mie_dedup *mie_dedup_new(const mie_dedup_opts *opts);
/* Frees *d and sets it to NULL; NULL or *d NULL: no-op. */
void mie_dedup_free(mie_dedup **d);

/* Pass 1: takes one record (borrowed).  `raw`, when not NULL, is its JSONL
 * line, spilled as it is; otherwise the record is serialized compactly.
 * Returns 0, or -1 on a spill write error (message printed). */
int mie_dedup_add(mie_dedup *d, const json_t *rec, const char *raw, size_t rawlen);
/* Pass 1 over a whole JSON Lines input: `in` (borrowed), opened on `path`
 * ("-": standard input), nothing read from it yet but peeked.  Its lines
 * are taken as the JSON Lines reader takes them (mie_jsonl_parse: the fast
 * scanner when it is sure, that definition otherwise), and the refused
 * ones reported as NAME:LINE errors (exit status 1) in the reader's words.
 * A regular uncompressed file is mapped and re-read in place in pass 3
 * (it must not change meanwhile); any other input (a pipe, a compressed
 * file) is first copied as it comes to a temporary file, read then the
 * same way: file and pipe give the same result.  Adds the records met
 * (lines not blank) to *records and the refused ones to *bad.  Returns 0,
 * or -1 on a fatal error (message printed). */
int mie_dedup_add_input(mie_dedup *d, const char *path, mie_input *in, long *records, long *bad);
/* What pass 1 needs of a record.  Strings are borrowed, with their lengths;
 * NULL when absent or not a string. */
typedef struct mie_dedup_fields {
	const char *type, *id, *title, *date, *plain, *url; /* date: date_modified */
	size_t type_n, id_n, title_n, date_n, plain_n, url_n;
	unsigned complete; /* non-empty values outside bookkeeping fields */
	int marked;        /* has duplicate_* members (from an earlier run) */
} mie_dedup_fields;

/* Scans one JSON Lines record (see mie_dedup_scan.c; mie-diff reads its
 * inputs through it too).  Strings with escapes
 * are decoded into bufs[0..5], which must outlive the use of *f.  Returns 0,
 * or -1 when the line is not one JSON object. */
int mie_dedup_scan_jsonl(const char *line, size_t n, mie_dedup_fields *f, mie_buf bufs[6]);
/* The same for a line known to hold no control character, in strict UTF-8
 * of XML Chars (mie_text_check_c0 with none allowed found none). */
int mie_dedup_scan_jsonl_clean(const char *line, size_t n, mie_dedup_fields *f, mie_buf bufs[6]);

/* Pass 2.  Returns 0, or -1 on a spill read error (message printed). */
int mie_dedup_cluster(mie_dedup *d);
/* Pass 3: writes the records in input order to w (borrowed), or, when w is
 * NULL, JSONL to fp: unchanged records are then copied byte for byte.
 * Returns 0, -1 on a spill error, MIE_WRITE_IO on a write error. */
int mie_dedup_write(mie_dedup *d, mie_writer *w, FILE *fp);
/* The cluster report, JSON (one document) or text, to fp.  Returns 0, -1
 * on a write error, or -2 when a member cannot be re-read (message
 * printed). */
int mie_dedup_report(mie_dedup *d, FILE *fp, int text);

/* The members of a merged record (borrowed), rebuilt exactly as they were
 * before the merge, in rank order (canonical first): a new array, or NULL
 * when rec is not a merged record (no merge_layout; why untouched) or its
 * merge_layout does not hold (why set). */
json_t *mie_dedup_unmerge(const json_t *rec, mie_buf *why);

typedef struct mie_dedup_stats {
	long records, clusters, duplicates, written;
	long by_method[4]; /* duplicates per method, in enum order */
	long candidates;   /* near: pairs whose Jaccard was computed */
} mie_dedup_stats;
const mie_dedup_stats *mie_dedup_get_stats(const mie_dedup *d);

#endif
