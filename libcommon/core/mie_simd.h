/* mie_simd.h — the one home of libcommon's SSE2 and SWAR fast paths.
 *
 * A fast path looks at 16 bytes (SSE2, which every x86-64 has) or 8 bytes
 * (SWAR: a 64-bit word) at a time and must give exactly what its plain
 * byte-by-byte definition gives; every one is tested against that
 * definition.  Nothing outside this header includes <emmintrin.h> or spells
 * an intrinsic.
 *
 * Invariants:
 *  - MIE_SIMD is 1 when the 16-byte helpers (mie_v16_*) exist: SSE2 is
 *    there and MIE_NO_SIMD is not defined.  `make NOSIMD=1` defines
 *    MIE_NO_SIMD, so the portable paths are built and the whole test suite
 *    runs over them (.ci/run does).
 *  - The mie_swar_* helpers are plain C and always exist.  Their masks hold
 *    a byte's flag in its high bit (MIE_SWAR_HIGH).  "Borrowing" helpers
 *    may also flag bytes above (later than) a flagged one, never below it:
 *    their lowest flag, found with mie_swar_first, is exact.
 *  - Loads never need alignment; words are loaded in the machine's byte
 *    order (mie_swar_first knows it), except mie_swar_load_le. */
#ifndef MIE_SIMD_H
#define MIE_SIMD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && !defined(MIE_NO_SIMD)
#define MIE_SIMD 1
#include <emmintrin.h>
#else
#define MIE_SIMD 0
#endif

/* Before a function whose loops the compiler vectorizes well (plain C,
 * fixed trip counts): also built for AVX-512 (x86-64-v4) and AVX2
 * (x86-64-v3), the one the processor has chosen when the program starts
 * (an ifunc).  Every version gives the same results; with MIE_NO_SIMD, a
 * compiler other than GCC, or ThreadSanitizer (whose runtime is not ready
 * when an ifunc is resolved), only the plain one is built. */
#if MIE_SIMD && defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) &&                 \
        defined(__linux__) && !defined(__SANITIZE_THREAD__)
#define MIE_SIMD_CLONES                                                                            \
	__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define MIE_SIMD_CLONES
#endif

#if MIE_SIMD
/* 16 bytes in a register; a compare gives 0xFF in each byte that holds. */
typedef __m128i mie_v16;

static inline mie_v16 mie_v16_load(const void *p)
{
	return _mm_loadu_si128((const __m128i *)p);
}

static inline void mie_v16_store(void *p, mie_v16 v)
{
	_mm_storeu_si128((__m128i *)p, v);
}

/* c in every byte. */
static inline mie_v16 mie_v16_splat(unsigned char c)
{
	return _mm_set1_epi8((char)c);
}

static inline mie_v16 mie_v16_zero(void)
{
	return _mm_setzero_si128();
}

/* The 16 bytes of lo then hi (little-endian words). */
static inline mie_v16 mie_v16_words(uint64_t lo, uint64_t hi)
{
	return _mm_set_epi64x((long long)hi, (long long)lo);
}

static inline mie_v16 mie_v16_or(mie_v16 a, mie_v16 b)
{
	return _mm_or_si128(a, b);
}

static inline mie_v16 mie_v16_and(mie_v16 a, mie_v16 b)
{
	return _mm_and_si128(a, b);
}

/* Bytes equal. */
static inline mie_v16 mie_v16_eq(mie_v16 a, mie_v16 b)
{
	return _mm_cmpeq_epi8(a, b);
}

/* Bytes of a at most those of b, as unsigned bytes. */
static inline mie_v16 mie_v16_le(mie_v16 a, mie_v16 b)
{
	return _mm_cmpeq_epi8(_mm_min_epu8(a, b), a);
}

/* Bytes of a below those of b, as signed bytes (0x80-0xFF are negative:
 * below 0x20, say, means "a control or not ASCII"). */
static inline mie_v16 mie_v16_lt_signed(mie_v16 a, mie_v16 b)
{
	return _mm_cmplt_epi8(a, b);
}

/* Bytes of a above those of b, as signed bytes. */
static inline mie_v16 mie_v16_gt_signed(mie_v16 a, mie_v16 b)
{
	return _mm_cmpgt_epi8(a, b);
}

/* Bytes of a in [lo, hi] (0 < lo <= hi < 0x80); bytes from 0x80 never
 * are. */
static inline mie_v16 mie_v16_in(mie_v16 a, unsigned char lo, unsigned char hi)
{
	return _mm_and_si128(_mm_cmpgt_epi8(a, _mm_set1_epi8((char)(lo - 1))),
	                     _mm_cmplt_epi8(a, _mm_set1_epi8((char)(hi + 1))));
}

/* Bit k set when the high bit of byte k is (a compare's "holds"). */
static inline unsigned mie_v16_mask(mie_v16 v)
{
	return (unsigned)_mm_movemask_epi8(v);
}
#endif

#define MIE_SWAR_ONES 0x0101010101010101ULL
#define MIE_SWAR_HIGH 0x8080808080808080ULL
#define MIE_SWAR_LOW7 0x7F7F7F7F7F7F7F7FULL

/* The 8 bytes at p as a word, in the machine's byte order. */
static inline uint64_t mie_swar_load(const void *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

/* The 8 bytes at p as a word in which p[k] is bits 8k..8k+7, whatever the
 * byte order. */
static inline uint64_t mie_swar_load_le(const void *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return mie_swar_load(p);
#else
	const unsigned char *s = p;
	uint64_t w = 0;
	for (int k = 7; k >= 0; k--)
		w = w << 8 | s[k];
	return w;
#endif
}

/* Flags the bytes of w below c (c <= 0x80; bytes from 0x80 never are).
 * Borrowing. */
static inline uint64_t mie_swar_below(uint64_t w, unsigned char c)
{
	return (w - MIE_SWAR_ONES * c) & ~w & MIE_SWAR_HIGH;
}

/* Flags the bytes of w equal to c.  Borrowing. */
static inline uint64_t mie_swar_eq(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (MIE_SWAR_ONES * c);
	return (x - MIE_SWAR_ONES) & ~x & MIE_SWAR_HIGH;
}

/* Flags exactly the bytes of w equal to c (no borrow: slower by two
 * operations than mie_swar_eq). */
static inline uint64_t mie_swar_eq_exact(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (MIE_SWAR_ONES * c);
	return ~(((x & MIE_SWAR_LOW7) + MIE_SWAR_LOW7) | x | MIE_SWAR_LOW7);
}

/* Bit k set when byte k of the little-endian word m is flagged (only the
 * high bits of m are looked at). */
static inline unsigned mie_swar_mask(uint64_t m)
{
	return (unsigned)(((m & MIE_SWAR_HIGH) >> 7) * 0x0102040810204080ULL >> 56);
}

/* The flags of m moved onto the byte that follows each in memory (the
 * last byte's flag is lost). */
static inline uint64_t mie_swar_next(uint64_t m)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return m << 8;
#else
	return m >> 8;
#endif
}

/* Flags exactly the bytes of w in [lo, hi] (0 < lo <= hi < 0x80); bytes
 * from 0x80 are flagged or not: the caller rules them out. */
static inline uint64_t mie_swar_range(uint64_t w, unsigned char lo, unsigned char hi)
{
	uint64_t x = w & MIE_SWAR_LOW7; /* no carry from one byte to the next */
	return (x + MIE_SWAR_ONES * (0x80 - lo)) & ~(x + MIE_SWAR_ONES * (0x7F - hi)) &
	       MIE_SWAR_HIGH;
}

/* The index of the first flagged byte of m (m != 0), a word loaded with
 * mie_swar_load, or 0 when the byte order is not little-endian (the callers
 * then look at the bytes one by one from there). */
static inline size_t mie_swar_first(uint64_t m)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(m) / 8;
#else
	(void)m;
	return 0;
#endif
}

/* The same on 4 bytes, for the tails of the 8-byte loops. */
#define MIE_SWAR32_ONES 0x01010101U
#define MIE_SWAR32_HIGH 0x80808080U

static inline uint32_t mie_swar32_below(uint32_t w, unsigned char c)
{
	return (w - MIE_SWAR32_ONES * c) & ~w & MIE_SWAR32_HIGH;
}

static inline uint32_t mie_swar32_eq(uint32_t w, unsigned char c)
{
	uint32_t x = w ^ (MIE_SWAR32_ONES * c);
	return (x - MIE_SWAR32_ONES) & ~x & MIE_SWAR32_HIGH;
}

/* The first byte of [p, end) equal to a or b, or end: 16 bytes at a time
 * with SSE2, 8 in portable C. */
static inline const char *mie_find2(const char *p, const char *end, unsigned char a,
                                    unsigned char b)
{
#if MIE_SIMD
	mie_v16 va = mie_v16_splat(a), vb = mie_v16_splat(b);
	for (; end - p >= 16; p += 16) {
		mie_v16 x = mie_v16_load(p);
		unsigned m = mie_v16_mask(mie_v16_or(mie_v16_eq(x, va), mie_v16_eq(x, vb)));
		if (m)
			return p + __builtin_ctz(m);
	}
#else
	for (; end - p >= 8; p += 8) {
		uint64_t w = mie_swar_load(p), m = mie_swar_eq(w, a) | mie_swar_eq(w, b);
		if (m) {
			p += mie_swar_first(m);
			break;
		}
	}
#endif
	while (p < end && (unsigned char)*p != a && (unsigned char)*p != b)
		p++;
	return p;
}

#endif
