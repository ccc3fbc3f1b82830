/* mie_scan.h — finding the next byte that matters in text, 16 bytes at a
 * time (internal to the text passes of libcommon/text, not an API).
 *
 * The passes over rendered text (escaping, typography, SPIP shortcuts,
 * line ends) copy long runs of ordinary bytes and stop at a few special
 * ones.  mie_scan skips the ordinary runs with SSE2 compares (x86-64
 * always has them; core/mie_simd.h), or looks at each byte elsewhere (8
 * bytes at a time in portable C took more instructions than the byte loop:
 * bench/README.md); the bytes it stops at are exactly those of the
 * caller's table. */
#ifndef MIE_SCAN_H
#define MIE_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/mie_simd.h"

#if MIE_SIMD
/* The bits of the bytes of s[0..16) that are in c[0..k) (each byte
 * repeated) or, with ctl, below 0x20. */
static inline unsigned mie_scan_bits16(const char *s, const mie_v16 *c, int k, int ctl)
{
	mie_v16 v = mie_v16_load(s);
	mie_v16 m = ctl ? mie_v16_le(v, mie_v16_splat(0x1F)) : mie_v16_zero();
	for (int j = 0; j < k; j++)
		m = mie_v16_or(m, mie_v16_eq(v, c[j]));
	return mie_v16_mask(m);
}
#endif

/* Up to 8 bytes for mie_scan, packed in an integer constant, so that the
 * compares of the inlined mie_scan are against constants. */
#define MIE_SCAN_SET(a, b, c, d, e, f, g, h)                                                       \
	((uint64_t)(unsigned char)(a) | (uint64_t)(unsigned char)(b) << 8 |                        \
	 (uint64_t)(unsigned char)(c) << 16 | (uint64_t)(unsigned char)(d) << 24 |                 \
	 (uint64_t)(unsigned char)(e) << 32 | (uint64_t)(unsigned char)(f) << 40 |                 \
	 (uint64_t)(unsigned char)(g) << 48 | (uint64_t)(unsigned char)(h) << 56)

/* The index of the first byte b of s[i..n) with table[b] & mask, or n.
 * The first k bytes of set (MIE_SCAN_SET) are those that may be in the
 * table and ctl says
 * whether bytes below 0x20 may be: a block of bytes with none of them is
 * skipped whole.  Bytes of set or below 0x20 not in the table are checked
 * one by one and passed over.  s[0..n) must be readable (the last block
 * may be read again from n - 16). */
static inline size_t mie_scan(const char *s, size_t i, size_t n, const unsigned char table[256],
                              unsigned mask, uint64_t set, int k, int ctl)
{
#if MIE_SIMD
	mie_v16 c[8];
	for (int j = 0; j < k && j < 8; j++)
		c[j] = mie_v16_splat((unsigned char)(set >> 8 * j));
	for (; i + 16 <= n; i += 16) {
		unsigned bits = mie_scan_bits16(s + i, c, k, ctl);
		for (; bits; bits &= bits - 1)
			if (table[(unsigned char)s[i + (size_t)__builtin_ctz(bits)]] & mask)
				return i + (size_t)__builtin_ctz(bits);
	}
	if (i < n && n >= 16) { /* the last bytes: the 16 ending at n, those before i masked */
		unsigned bits = mie_scan_bits16(s + n - 16, c, k, ctl) >> (i - (n - 16));
		for (; bits; bits &= bits - 1)
			if (table[(unsigned char)s[i + (size_t)__builtin_ctz(bits)]] & mask)
				return i + (size_t)__builtin_ctz(bits);
		return n;
	}
#endif
	while (i < n && !(table[(unsigned char)s[i]] & mask))
		i++;
	return i;
}

#endif
