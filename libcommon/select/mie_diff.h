/* mie_diff.h — record-level differences between two streams (mie-diff).
 *
 * Records are paired by id: a record of A whose id B lacks is removed, one
 * of B that A lacks is added, a pair whose records differ (once the
 * ignored fields are taken out) is changed, with the fields that differ.
 * Record order and member order make no difference.  An id met k times on
 * a side is paired in input order with the k-th on the other.
 *
 * Invariants: both sides are sorted by id through mie_sort (spilled past
 * the memory budget), a line per record holding its id, a hash of what is
 * compared and where to read it back, so memory is the budget plus the
 * records of one id; a pair whose hashes are equal is the same record (the
 * same JSON text once the ignored members are out, 128 bits), only the
 * others are parsed and compared member by member.  JSON Lines inputs are
 * read in place (a regular file mapped, any other stream copied to a
 * temporary file first) through mie-dedup's scanner, which accepts exactly
 * what the JSON Lines reader accepts (mie_jsonl_parse decides what it is
 * not sure of): the report and messages are those of reading every record
 * whole (mie_diff_opts.full; tests compare both);
 * the report comes out in id order (bytes), deterministic whatever the
 * input order.  Text report, one block per difference:
 *   added   ID  "TITLE"
 *   removed ID  "TITLE"
 *   changed ID  "TITLE"
 *     FIELD: OLD -> NEW                   values as JSON, "(absent)" when absent
 *     FIELD: … words [-old words-] {+new words+} …   a word diff for long texts
 * JSON report: one JSON object per line, {"change": "added"|"removed"|
 * "changed", "id", "type", "title", "fields": [{"field", "old", "new"}]}
 * ("old"/"new" left out when absent). */
#ifndef MIE_DIFF_H
#define MIE_DIFF_H

#include <jansson.h>
#include <stdio.h>

#include "core/mie_buf.h"

typedef struct mie_diff mie_diff;

typedef struct mie_diff_opts {
	const char *const *ignore; /* top-level fields left out of the comparison */
	size_t nignore;
	int json;      /* JSON Lines report instead of text */
	size_t memory; /* sort budget per side, 0 = 64 MiB */
	int full;      /* read every record whole (the JSON Lines reader), not in place */
} mie_diff_opts;

typedef struct mie_diff_stats {
	long added, removed, changed, same;
} mie_diff_stats;

/* o and out are borrowed and must outlive the diff.  The caller owns it. */
mie_diff *mie_diff_new(const mie_diff_opts *o, FILE *out);
/* Frees *d and clears it; NULL is a no-op. */
void mie_diff_free(mie_diff **d);
/* Adds a record (borrowed) of side 0 (A) or 1 (B).  Returns 0, or -1 on a
 * spill error (said). */
int mie_diff_add(mie_diff *d, int side, const json_t *rec);
/* Adds every record of the input at path (borrowed; "-" standard input; a
 * BagIt package, checked whole first) to side, its problems said as
 * mie_records says them (a plain input file must not change until
 * mie_diff_free).  Returns 0, or -1 on a spill error (said). */
int mie_diff_read(mie_diff *d, int side, char *path);
/* After the last add: writes the report.  Returns 0, or -1 on a spill or
 * write error (said). */
int mie_diff_run(mie_diff *d, mie_diff_stats *st);

/* Appends a word diff of a and b to out: equal words as they are (runs of
 * more than 8 cut to "… "), removed ones in [-…-], added ones in {+…+}.
 * Past 4 M word pairs, the texts are said removed and added whole. */
void mie_diff_words(mie_buf *out, const char *a, const char *b);

#endif
