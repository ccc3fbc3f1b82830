/* mie_hash.h — the one hash of libcommon and its one open-addressed table.
 *
 * mie_hash is a 64-bit hash of bytes for in-memory tables and for dedup's
 * keys, shingles and tie-breaks.  It is not cryptographic; its value
 * depends only on the bytes and the seed (the same on every run, thread
 * and machine), and dedup's output depends on it: never change it.
 *
 * mie_hash_fnv1a is kept only where a hash is part of the output (the SPIP
 * dump names a differing copy of a row by the start of its FNV-1a, as
 * every earlier version of mie did); nothing new should use it.
 *
 * mie_table maps non-zero 64-bit keys that are already hashes (mie_hash,
 * mie_hash_u64, or a key built from them) to values of a fixed size, by
 * linear probing from the key's low bits.  A key of bytes is stored as
 * its hash: the caller keeps the bytes in its own entries and compares
 * them (mie_table_add and mie_table_next allow several entries with one
 * key).  Lookups do not write: a table filled once (under pthread_once)
 * is read from many threads.  A value pointer lives until the next
 * mie_table_put/add (growth moves the slots) or mie_table_clear. */
#ifndef MIE_HASH_H
#define MIE_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/mie_simd.h"

static inline uint64_t mie_hash_fmix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

/* The 4 bytes at s as a little-endian word. */
static inline uint32_t mie_hash_le32(const unsigned char *s)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t w;
	memcpy(&w, s, 4);
	return w;
#else
	return (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24;
#endif
}

/* The hash of p[0..n) under seed (two independent lanes, one multiply per
 * 8 bytes, then finalizers: two for a key under 16 bytes). */
static inline uint64_t mie_hash(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ULL), g = 0x2545F4914F6CDD1DULL;
	for (; n >= 16; s += 16, n -= 16) {
		h = (h ^ mie_swar_load_le(s)) * 0x9E3779B97F4A7C15ULL;
		h = (h << 31) | (h >> 33);
		g = (g ^ mie_swar_load_le(s + 8)) * 0xC2B2AE3D27D4EB4FULL;
		g = (g << 29) | (g >> 35);
	}
	if (n >= 8) {
		h = (h ^ mie_swar_load_le(s)) * 0x9E3779B97F4A7C15ULL;
		h = (h << 31) | (h >> 33);
		s += 8;
		n -= 8;
	}
	/* the last n < 8 bytes as a little-endian word: two loads that may
	 * overlap (the bytes both hold are the same), or the first, middle and
	 * last bytes */
	uint64_t w = 0;
	if (n >= 4) {
		w = mie_hash_le32(s) | (uint64_t)mie_hash_le32(s + n - 4) << (8 * (n - 4));
	} else if (n) {
		w = s[0] | (uint64_t)s[n / 2] << (8 * (n / 2)) |
		    (uint64_t)s[n - 1] << (8 * (n - 1));
	}
	/* the finalizer of g's start, folded (keys under 16 bytes leave it) */
	uint64_t fg = g == 0x2545F4914F6CDD1DULL ? 0xb800bd6c02472607ULL : mie_hash_fmix64(g);
	h ^= mie_hash_fmix64(w ^ ((uint64_t)n << 56)) + fg;
	return mie_hash_fmix64(h);
}

/* A table key for the hash of p[0..n): mie_hash with 0 moved to 1. */
static inline uint64_t mie_hash_key(const void *p, size_t n)
{
	uint64_t h = mie_hash(p, n, 0);
	return h + !h;
}

/* A table key for a 64-bit number that is not a hash already. */
static inline uint64_t mie_hash_u64(uint64_t x)
{
	uint64_t h = mie_hash_fmix64(x);
	return h + !h;
}

#define MIE_HASH_FNV_BASIS 0xcbf29ce484222325ULL

/* FNV-1a (64 bits) of p[0..n) continued from h (MIE_HASH_FNV_BASIS to
 * start): for the one output that is named by it (see above). */
static inline uint64_t mie_hash_fnv1a(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	return h;
}

/* A caller-owned table: mie_table_init, then mie_table_release. */
typedef struct mie_table {
	unsigned char
	        *slots; /* owned: cap slots of stride bytes, the key (0: empty) then the value */
	size_t cap;     /* slots, a power of two */
	size_t used;    /* keys held; the table doubles beyond 3/4 of cap */
	size_t vsize;   /* bytes of a value */
	size_t stride;  /* bytes of a slot: 8 + vsize rounded up to 8 */
} mie_table;

/* Sets t up for values of vsize bytes, with room for n keys before it
 * grows (slots allocated at once, zeroed). */
void mie_table_init(mie_table *t, size_t vsize, size_t n);

/* Frees the slots; t can be initialized again.  NULL is a no-op. */
void mie_table_release(mie_table *t);

/* Empties t, keeping its slots. */
void mie_table_clear(mie_table *t);

/* The value and the key of slot i (i < t->cap; key 0: empty), for the
 * inline lookups below. */
static inline void *mie_table_slot_value(const mie_table *t, size_t i)
{
	return t->slots + i * t->stride + 8;
}

static inline uint64_t mie_table_slot_key(const mie_table *t, size_t i)
{
	uint64_t k;
	memcpy(&k, t->slots + i * t->stride, 8);
	return k;
}

/* The next value held under key (key != 0) from *pos (0 to start; *pos is
 * advanced past it), or NULL when there is no more.  Entries added with
 * one key come in the order they were added. */
static inline void *mie_table_next(const mie_table *t, uint64_t key, size_t *pos)
{
	size_t mask = t->cap - 1;
	for (size_t i = *pos; i < t->cap; i++) {
		size_t j = ((size_t)key + i) & mask;
		uint64_t k = mie_table_slot_key(t, j);
		if (!k)
			break;
		if (k == key) {
			*pos = i + 1;
			return mie_table_slot_value(t, j);
		}
	}
	*pos = t->cap;
	return NULL;
}

/* The value of key (key != 0), or NULL: the first one added. */
static inline void *mie_table_get(const mie_table *t, uint64_t key)
{
	size_t pos = 0;
	return mie_table_next(t, key, &pos);
}

/* The value of key (key != 0), added when it is not there: then *fresh
 * (may be NULL) is set to 1 and the value is zeroed; else *fresh = 0.
 * Borrowed, see above. */
void *mie_table_put(mie_table *t, uint64_t key, int *fresh);

/* Adds an entry under key (key != 0) even when key is held already (for
 * keys that are hashes of the caller's bytes); returns its zeroed value.
 * Borrowed, see above. */
void *mie_table_add(mie_table *t, uint64_t key);

/* The value in slot i (i < t->cap), or NULL when it is empty: to visit
 * every entry, in no particular order. */
static inline void *mie_table_at(const mie_table *t, size_t i)
{
	return mie_table_slot_key(t, i) ? mie_table_slot_value(t, i) : NULL;
}

#endif
