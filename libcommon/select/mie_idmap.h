/* mie_idmap.h — a map from record ids, as their 64-bit hashes
 * (mie_xref_hash, never 0), to a 32-bit value: the one open-addressing
 * table of the selection tools (mie-filter's closure, mie-stats' sections).
 *
 * Invariants: key 0 is never stored (mie_xref_hash never returns it); the
 * table is at most 3/4 full and doubles when it would be fuller, so its
 * memory is 12 bytes a slot, at most 32 bytes an entry.  Two ids with the
 * same hash are one key (odds ~1e-8 for a million ids, as in mie_xref.h).
 * The struct is caller-owned: mie_idmap_init / mie_idmap_release. */
#ifndef MIE_IDMAP_H
#define MIE_IDMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct mie_idmap {
	uint64_t *keys; /* owned; 0 = empty slot */
	uint32_t *vals; /* owned */
	size_t cap;     /* power of two, 0 before the first put */
	size_t n;
} mie_idmap;

void mie_idmap_init(mie_idmap *m);
void mie_idmap_release(mie_idmap *m);
/* The value slot of key (≠ 0), inserted with `val` when absent (*added set
 * to 1, else 0; added may be NULL).  Borrowed until the next put. */
uint32_t *mie_idmap_put(mie_idmap *m, uint64_t key, uint32_t val, int *added);
/* The value slot of key, or NULL when absent.  Borrowed until the next put. */
uint32_t *mie_idmap_get(const mie_idmap *m, uint64_t key);

#endif
