/* Unit tests of core/mie_hash (the one hash and table) and the SWAR
 * helpers of core/mie_simd.h against their byte-by-byte definitions. */
#include <stdint.h>
#include <stdlib.h>

#include "core/mie_hash.h"
#include "core/mie_simd.h"
#include "mie_test.h"

TEST(hash_values_are_pinned)
{
	/* dedup's shingles, band keys and tie-breaks are these values: a
	 * change here changes mie-dedup's output */
	CHECK(mie_hash("", 0, 0) == 0xf4aa7626012e7756ULL);
	CHECK(mie_hash("a", 1, 1) == 0x300e4b31e2db5e46ULL);
	CHECK(mie_hash("abcdefgh", 8, 2) == 0x95ee113b4014a80bULL);
	CHECK(mie_hash("mie, l'outil d'import SPIP", 26, 3) == 0x0836b6ced082f8dfULL);
	/* FNV-1a's published value for "a" */
	CHECK(mie_hash_fnv1a("a", 1, MIE_HASH_FNV_BASIS) == 0xaf63dc4c8601ec8cULL);
	CHECK(mie_hash_key("x", 1) != 0 && mie_hash_u64(0) != 0);
}

TEST(table_holds_u64_keys_through_growth)
{
	mie_table t;
	mie_table_init(&t, sizeof(uint32_t), 4);
	for (uint32_t i = 1; i <= 5000; i++) {
		int fresh = 0;
		uint32_t *v = mie_table_put(&t, mie_hash_u64(i), &fresh);
		CHECK(fresh && *v == 0);
		*v = i * 3;
	}
	CHECK_INT(t.used, 5000);
	CHECK(t.used * 4 <= t.cap * 3);
	for (uint32_t i = 1; i <= 5000; i++) {
		int fresh = 1;
		uint32_t *v = mie_table_put(&t, mie_hash_u64(i), &fresh);
		CHECK(!fresh && *v == i * 3);
	}
	CHECK(mie_table_get(&t, mie_hash_u64(5001)) == NULL);
	size_t seen = 0;
	for (size_t i = 0; i < t.cap; i++)
		seen += mie_table_at(&t, i) != NULL;
	CHECK_INT(seen, 5000);
	mie_table_clear(&t);
	CHECK(mie_table_get(&t, mie_hash_u64(7)) == NULL && t.used == 0);
	mie_table_release(&t);
	mie_table_release(&t);
	CHECK(t.slots == NULL);
}

TEST(table_keeps_entries_of_one_key_in_order)
{
	mie_table t;
	mie_table_init(&t, 16, 0);
	/* one key (a collision of the caller's byte keys) among many others */
	for (int i = 0; i < 300; i++) {
		*(int *)mie_table_add(&t, 0x10) = i;
		*(int *)mie_table_add(&t, mie_hash_u64((uint64_t)i)) = -1;
	}
	size_t pos = 0;
	int want = 0;
	for (int *v; (v = mie_table_next(&t, 0x10, &pos));)
		CHECK_INT(*v, want++);
	CHECK_INT(want, 300);
	mie_table_release(&t);
}

TEST(swar_helpers_agree_with_bytes)
{
	unsigned char w8[8];
	srand(10);
	for (int it = 0; it < 20000; it++) {
		static const unsigned char pick[] = {0,    0x1F, 0x20, 0x21, '"',
		                                     '\\', 0x7F, 0x80, 0xC2};
		for (int k = 0; k < 8; k++)
			w8[k] = rand() % 2 ? pick[rand() % sizeof pick] : (unsigned char)rand();
		uint64_t w = mie_swar_load(w8);
		unsigned below = 0, eq = 0;
		for (int k = 0; k < 8; k++) {
			below |= (unsigned)(w8[k] < 0x20) << k;
			eq |= (unsigned)(w8[k] == '"') << k;
		}
		uint64_t le = mie_swar_load_le(w8);
		CHECK_INT(mie_swar_mask(mie_swar_eq_exact(le, '"')), eq);
		CHECK_INT(mie_swar_mask(le & MIE_SWAR_HIGH), 0xFFu & mie_swar_mask(le));
		uint64_t b = mie_swar_below(w, 0x20), e = mie_swar_eq(w, '"');
		CHECK(!b == !below);
		CHECK(!e == !eq);
		if (b && below)
			CHECK_INT(mie_swar_first(b), __builtin_ctz(below));
		if (e && eq)
			CHECK_INT(mie_swar_first(e), __builtin_ctz(eq));
	}
}
