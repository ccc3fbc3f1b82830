#include <stdio.h>
#include <string.h>

#include "core/mie_utf8.h"

size_t mie_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (!n)
		return 0;
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t min, v;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, min = 0x80, v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, min = 0x800, v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, min = 0x10000, v = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

static bool cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* Length of the strict UTF-8 sequence at s (its lead byte not ASCII), or 0:
 * mie_utf8_decode without the value, inline for the scanning loops. */
static inline size_t strict_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && cont(s[1]) ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || !cont(s[1]) || !cont(s[2]))
			return 0;
		/* no overlong form, no surrogate */
		return (c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) ? 0 : 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || !cont(s[1]) || !cont(s[2]) || !cont(s[3]))
			return 0;
		/* no overlong form, nothing above U+10FFFF */
		return (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90) ? 0 : 4;
	}
	return 0;
}

size_t mie_utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		/* ASCII fast path, 8 bytes at a time */
		while (i + 8 <= n) {
			uint64_t w = mie_swar_load(p + i) & MIE_SWAR_HIGH;
			if (w) {
				i += mie_swar_first(w);
				break;
			}
			i += 8;
		}
		if (i >= n)
			break;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = strict_len(p + i, n - i);
		if (!k)
			return i;
		i += k;
	}
	return i;
}

/* mie_swar_load_le for 4 bytes. */
static inline uint32_t load_le32(const unsigned char *s)
{
	uint32_t w;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&w, s, 4);
#else
	w = (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24;
#endif
	return w;
}

/* Bit k set when byte k of lo then hi (little-endian words, k < 16) is
 * not printable ASCII: below 0x20 or from 0x80.  SSE2: bytes compared as
 * signed, 0x80-0xFF are below 0x20 too.  Elsewhere, a word at a time: with
 * every byte's high bit set first, no subtraction borrows from the next
 * byte; the flags (bit 7 of each byte) are then gathered into one byte by
 * a multiplication. */
static inline unsigned unplain_mask_words(uint64_t lo, uint64_t hi)
{
#if MIE_SIMD
	return mie_v16_mask(mie_v16_lt_signed(mie_v16_words(lo, hi), mie_v16_splat(0x20)));
#else
	unsigned m = 0;
	for (uint64_t w = hi, h = 0; h < 2; w = lo, h++) {
		uint64_t f = ~((w | MIE_SWAR_HIGH) - MIE_SWAR_ONES * 0x20) | w;
		m = m << 8 | mie_swar_mask(f);
	}
	return m;
#endif
}

/* unplain_mask_words of the 16 bytes at s. */
static inline unsigned unplain_mask16(const unsigned char *s)
{
#if MIE_SIMD
	return mie_v16_mask(mie_v16_lt_signed(mie_v16_load(s), mie_v16_splat(0x20)));
#else
	return unplain_mask_words(mie_swar_load_le(s), mie_swar_load_le(s + 8));
#endif
}

/* unplain_mask_words of the n bytes at s (0 < n < 16) followed by spaces,
 * read without a byte past s + n: overlapping loads, no copy. */
static inline unsigned unplain_mask_short(const unsigned char *s, size_t n)
{
	const uint64_t spaces = 0x2020202020202020ULL;
	if (n >= 8) {
		uint64_t hi = n == 8 ? spaces
		                     : mie_swar_load_le(s + n - 8) >> (8 * (16 - n)) |
		                               spaces << (8 * (n - 8));
		return unplain_mask_words(mie_swar_load_le(s), hi);
	}
	uint64_t w;
	if (n >= 4) { /* the bytes both words hold are the same */
		w = load_le32(s) | (uint64_t)load_le32(s + n - 4) << (8 * (n - 4));
	} else {
		w = s[0] | (uint64_t)s[n / 2] << (8 * (n / 2)) |
		    (uint64_t)s[n - 1] << (8 * (n - 1));
	}
	return unplain_mask_words(w | spaces << (8 * n), spaces);
}

/* unplain_mask16 of the 16 bytes at s, or 0 when they are printable ASCII
 * and characters that end in the block, of 2 bytes or of 3 bytes led by
 * E1-EC (U+1000-U+CFFF: no overlong form, surrogate or U+FFFE/FFFF to rule
 * out): the French text of most records passes a block at a time. */
static inline unsigned block_mask16(const unsigned char *s)
{
#if MIE_SIMD
	mie_v16 v = mie_v16_load(s);
	unsigned m = mie_v16_mask(mie_v16_lt_signed(v, mie_v16_splat(0x20)));
	if (!m || m != mie_v16_mask(v)) /* none, or a control */
		return m;
	/* as signed bytes: 0x80-0xBF below -64, 0xC2-0xDF from -62 to -33,
	 * 0xE1-0xEC from -31 to -20 */
	unsigned cont = mie_v16_mask(mie_v16_lt_signed(v, mie_v16_splat(0xC0)));
	unsigned lead2 = mie_v16_mask(mie_v16_and(mie_v16_gt_signed(v, mie_v16_splat(0xC1)),
	                                          mie_v16_lt_signed(v, mie_v16_splat(0xE0))));
	unsigned lead3 = mie_v16_mask(mie_v16_and(mie_v16_gt_signed(v, mie_v16_splat(0xE0)),
	                                          mie_v16_lt_signed(v, mie_v16_splat(0xED))));
	/* each byte from 0x80 a lead or a continuation, and the continuations
	 * exactly the 1 or 2 bytes after each lead (then no lead is among them,
	 * and none is cut by the end of the block: its bits would be past 15) */
	return (lead2 | lead3 | cont) == m && cont == (lead2 << 1 | lead3 << 1 | lead3 << 2) ? 0
	                                                                                     : m;
#else
	return unplain_mask16(s);
#endif
}

/* The C0 controls that are XML Chars (TAB, LF, CR), as bits. */
#define XML_C0 (1u << '\t' | 1u << '\n' | 1u << '\r')

/* "character U+XXXX not allowed" in *what (may be NULL). */
static void not_allowed(uint32_t cp, const char **what)
{
	static _Thread_local char msg[48]; /* *what of the last offence, per thread */
	if (what) {
		snprintf(msg, sizeof msg, "character U+%04X not allowed", (unsigned)cp);
		*what = msg;
	}
}

/* Length of the XML Char at s, or 0 after naming the offence in *what (may
 * be NULL): the definition, one character at a time. */
static size_t xml_char_len(const unsigned char *s, size_t n, const char **what)
{
	uint32_t cp;
	size_t k = mie_utf8_decode(s, n, &cp);
	if (!k) {
		if (what)
			*what = "invalid UTF-8";
		return 0;
	}
	if (!mie_xml_char(cp)) {
		not_allowed(cp, what);
		return 0;
	}
	return k;
}

/* Checks the characters that start at the bytes flagged in m (bit j: byte
 * i + j, j < 16), in order, clearing the bits of their bytes; returns -1,
 * *end moved past a character that ends beyond it, or the offence's offset. */
static long check_flagged(const unsigned char *p, size_t n, size_t i, unsigned m, size_t *end,
                          unsigned c0, const char **what)
{
	while (m) {
		unsigned j = (unsigned)__builtin_ctz(m);
		size_t at = i + j, k;
		unsigned c = p[at];
		if (c < 0x80 && !(c0 >> c & 1)) { /* a control not allowed */
			not_allowed(c, what);
			return (long)at;
		}
		if (c < 0x80)
			k = 1;
		else if ((k = strict_len(p + at, n - at)) && c == 0xEF && p[at + 1] == 0xBF &&
		         p[at + 2] >= 0xBE)
			k = 0; /* U+FFFE, U+FFFF */
		if (!k && !(k = xml_char_len(p + at, n - at, what)))
			return (long)at;
		m &= ~0u << (j + k); /* j + k < 20 */
		if (at + k > *end)
			*end = at + k;
	}
	return -1;
}

/* 16 bytes at a time: a block of printable ASCII (or of the characters
 * block_mask16 passes) is passed at once; in the others, check_flagged
 * looks at each character that starts at a flagged byte (a character can
 * end in the next block, which then starts after it).  The last bytes are
 * taken with the block that ends s, their flags shifted down, or padded
 * with spaces when s is shorter. */
long mie_text_check(const char *s, size_t n, const char **what)
{
	return mie_text_check_c0(s, n, XML_C0, what);
}

long mie_text_check_c0(const char *s, size_t n, unsigned c0, const char **what)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	for (;;) {
		unsigned m = 0, lim = 16;
		while (i + 16 <= n && !(m = block_mask16(p + i)))
			i += 16;
		if (i + 16 > n) {
			if (i >= n)
				return -1;
			lim = (unsigned)(n - i);
			m = n >= 16 ? unplain_mask16(p + n - 16) >> (16 - lim)
			            : unplain_mask_short(p + i, lim);
			if (!m)
				return -1;
		}
		size_t end = i + lim;
		long bad = check_flagged(p, n, i, m, &end, c0, what);
		if (bad >= 0)
			return bad;
		i = end;
	}
}

static bool terminal_unsafe(uint32_t cp)
{
	return (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp < 0xA0) ||
	       (cp >= 0x200E && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

void mie_utf8_escape_terminal(mie_buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = mie_utf8_decode(p + i, n - i, &cp);
		if (!k) {
			mie_buf_addf(out, "\\x%02x", p[i]);
			i++;
		} else if (terminal_unsafe(cp)) {
			if (cp < 0x100)
				mie_buf_addf(out, "\\x%02x", (unsigned)cp);
			else
				mie_buf_addf(out, "\\u{%04X}", (unsigned)cp);
			i += k;
		} else {
			mie_buf_add(out, p + i, k);
			i += k;
		}
	}
}
