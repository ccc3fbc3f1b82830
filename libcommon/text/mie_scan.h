/* mie_scan.h — finding the next byte that matters in text, 16 bytes at a
 * time (internal to the text passes of libcommon/text, not an API).
 *
 * The passes over rendered text (escaping, typography, SPIP shortcuts,
 * line ends) copy long runs of ordinary bytes and stop at a few special
 * ones.  mie_scan skips the ordinary runs with SSE2 compares (x86-64
 * always has them), or 8 bytes at a time in portable C elsewhere; the
 * bytes it stops at are exactly those of the caller's table. */
#ifndef MIE_SCAN_H
#define MIE_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mie_utf8.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The index of the first byte b of s[i..n) with table[b] & mask, or n.
 * set[0..k) lists bytes that may be in the table and ctl says whether
 * bytes below 0x20 may be: a block of bytes with none of them is skipped
 * whole (k and set should be constants: mie_scan is inlined and its
 * compares unrolled).  Bytes of set or below 0x20 not in the table are
 * checked one by one and passed over. */
static inline size_t mie_scan(const char *s, size_t i, size_t n, const unsigned char table[256],
                              unsigned mask, const unsigned char *set, int k, int ctl)
{
#ifdef __SSE2__
	const __m128i below = _mm_set1_epi8(0x1F);
	while (i + 16 <= n) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i m = ctl ? _mm_cmpeq_epi8(_mm_min_epu8(v, below), v) : _mm_setzero_si128();
		for (int j = 0; j < k; j++)
			m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8((char)set[j])));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);
		if (!bits) {
			i += 16;
			continue;
		}
		i += (size_t)__builtin_ctz(bits);
		if (table[(unsigned char)s[i]] & mask)
			return i;
		i++;
	}
#else
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	while (i + 8 <= n) {
		uint64_t w, m;
		memcpy(&w, s + i, 8);
		/* zero bytes of w ^ c; a borrow may flag bytes above the first
		 * such byte, never below it */
		m = ctl ? (w - ones * 0x20) & ~w : 0;
		for (int j = 0; j < k; j++) {
			uint64_t x = w ^ (ones * set[j]);
			m |= (x - ones) & ~x;
		}
		m &= high;
		if (!m) {
			i += 8;
			continue;
		}
		i += mie_utf8_first_flagged(m);
		if (table[(unsigned char)s[i]] & mask)
			return i;
		i++;
	}
#endif
	while (i < n && !(table[(unsigned char)s[i]] & mask))
		i++;
	return i;
}

#endif
