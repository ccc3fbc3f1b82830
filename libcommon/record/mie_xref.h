/* mie_xref.h — cross-record checks over a stream in bounded memory:
 * duplicate ids and references to ids absent from the stream.
 *
 * Ids are kept as 64-bit hashes (24 bytes a slot, with where each was first
 * seen) in one open-addressing table sized by the memory budget; a table
 * that fills grows past the budget with a note rather than losing checks.
 * References whose target has not been seen yet are spilled to an unlinked
 * temporary file and settled at the end.  Two distinct ids with the same
 * 64-bit hash (odds ~1e-8 for a million ids) would be taken for one. */
#ifndef MIE_XREF_H
#define MIE_XREF_H

#include <stddef.h>
#include <stdint.h>

#include "core/mie_err.h"

typedef struct mie_xref mie_xref;

/* budget: bytes for the id table (0 = default 32 MiB).  Caller owns. */
mie_xref *mie_xref_new(size_t budget);
void mie_xref_free(mie_xref *x);
/* Lets the table grow past its budget without a note (for callers that
 * start small on purpose). */
void mie_xref_grow_quietly(mie_xref *x);

/* Remembers id seen at loc (file borrowed: must outlive x), read from the
 * source named by `source` (any stable hash of where the record came from,
 * e.g. its first provenance entry).  Returns 0 when new; when already seen
 * sets *first to where, and returns 1 if it came from the same source, 2
 * if from another one (the same thing imported twice, for mie-dedup). */
int mie_xref_add_id(mie_xref *x, const char *id, const mie_loc *loc, uint64_t source,
                    mie_loc *first);

/* The 64-bit hash used for ids and sources. */
uint64_t mie_xref_hash(const char *s);

/* Notes a reference from record `from` (field) to `to`. */
void mie_xref_add_ref(mie_xref *x, const char *from, const char *field, const char *to,
                      const mie_loc *loc);

/* Reports every reference whose target never appeared.  Returns their
 * number, or -1 on a spill I/O error (message printed). */
typedef void (*mie_xref_dangling_fn)(void *ctx, const mie_loc *loc, const char *from,
                                     const char *field, const char *to);
long mie_xref_finish(mie_xref *x, mie_xref_dangling_fn fn, void *ctx);

#endif
