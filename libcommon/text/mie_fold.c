/* mie_fold.c — the comparison form of text (see mie_fold.h): case, accents,
 * ligatures and punctuation folded away, by utf8proc's compatibility
 * decomposition with case folding and marks stripped, tabulated once for
 * U+0000-U+2FFF. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text/mie_fold.h"
#include "core/mie_simd.h"
#include "text/mie_text.h"
#include "core/mie_utf8.h"

/* The byte a code point was when UTF-8 was misread as windows-1252, or -1
 * (a C1 control stands for itself only where windows-1252 has a hole). */
static int cp1252_byte(uint32_t cp)
{
	if (cp >= 0x80 && cp < 0xA0)
		return mie_cp1252_to_ucs((unsigned char)cp) == cp ? (int)cp : -1;
	return mie_cp1252_from_ucs(cp);
}

/* One code point at s (n > 0 bytes): its length; invalid UTF-8 bytes are
 * read as windows-1252. */
static size_t next_cp(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80)
		return *cp = s[0], 1;
	size_t k = mie_utf8_decode(s, n, cp);
	if (k)
		return k;
	*cp = mie_cp1252_to_ucs(s[0]);
	return 1;
}

/* UTF-8 that was read as windows-1252 and encoded again: at a lead such as
 * U+00C3, when the following characters are the cp1252 forms of the
 * continuation bytes of one valid UTF-8 sequence ("Ã©"), returns the bytes
 * they use and sets *cp to the character meant; else 0.  Conservative:
 * only whole sequences. */
static size_t unmojibake(uint32_t lead, const unsigned char *s, size_t n, uint32_t *cp)
{
	int need = lead >= 0xC2 && lead <= 0xDF   ? 1
	           : lead >= 0xE0 && lead <= 0xEF ? 2
	           : lead >= 0xF0 && lead <= 0xF4 ? 3
	                                          : 0;
	unsigned char b[4] = {(unsigned char)lead};
	size_t used = 0;
	for (int k = 1; k <= need; k++) {
		if (used >= n || s[used] < 0x80)
			return 0;
		uint32_t c;
		used += next_cp(s + used, n - used, &c);
		int byte = cp1252_byte(c);
		if (byte < 0x80 || byte > 0xBF)
			return 0;
		b[k] = (unsigned char)byte;
	}
	if (!need || mie_utf8_decode(b, (size_t)need + 1, cp) != (size_t)need + 1)
		return 0;
	return used;
}

static int is_word_cp(uint32_t cp)
{
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO: return 1;
	default: return 0;
	}
}

/* The comparison form of one code point: UTF-8 where ' ' is a separator. */
static void fold_cp(mie_buf *out, uint32_t cp)
{
	utf8proc_int32_t dst[32];
	int last = 0;
	utf8proc_ssize_t m = utf8proc_decompose_char(
	        (utf8proc_int32_t)cp, dst, 32,
	        UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_DECOMPOSE,
	        &last);
	if (m < 0 || m > 32)
		m = 0;
	for (utf8proc_ssize_t k = 0; k < m; k++) {
		uint32_t d = (uint32_t)dst[k];
		if (!is_word_cp(d))
			mie_buf_addc(out, ' ');
		else if (d == 0x153 || d == 0xE6) /* œ æ: NFKD keeps the ligatures */
			mie_buf_adds(out, d == 0x153 ? "oe" : "ae");
		else
			mie_buf_add_utf8(out, d);
	}
}

/* fold_cp for U+0000-U+2FFF (Latin, Greek, Cyrillic, punctuation, symbols),
 * computed once. */
#define FOLD_TABLE 0x3000
typedef struct fold {
	uint8_t len; /* 255: longer than s, use fold_cp */
	char s[15];
} fold;
static fold *fold_table; /* set once by fold_init (pthread_once) */
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void fold_init(void)
{
	fold *t = mie_xmalloc(FOLD_TABLE * sizeof *t);
	mie_buf b = MIE_BUF_INIT;
	for (uint32_t cp = 0; cp < FOLD_TABLE; cp++) {
		mie_buf_reset(&b);
		if (cp < 0x80)
			mie_buf_addc(&b, (cp | 32) >= 'a' && (cp | 32) <= 'z' ? (int)(cp | 32)
			                 : cp >= '0' && cp <= '9'             ? (int)cp
			                                                      : ' ');
		else if (cp < 0xD800 || cp > 0xDFFF)
			fold_cp(&b, cp);
		t[cp].len = b.len <= sizeof t[cp].s ? (uint8_t)b.len : 255;
		if (b.len <= sizeof t[cp].s)
			memcpy(t[cp].s, b.data, b.len);
	}
	mie_buf_release(&b);
	fold_table = t;
}

typedef struct normer {
	mie_buf *out;
	size_t start;
	int space;
	mie_buf tmp;
} normer;

static inline void put_frag(normer *z, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ') {
			z->space = 1;
			continue;
		}
		if (z->space && z->out->len > z->start)
			mie_buf_addc(z->out, ' ');
		z->space = 0;
		mie_buf_addc(z->out, s[i]);
	}
}

static void put_cp(normer *z, uint32_t cp)
{
	if (cp < FOLD_TABLE && fold_table[cp].len != 255) {
		put_frag(z, fold_table[cp].s, fold_table[cp].len);
		return;
	}
	mie_buf_reset(&z->tmp);
	fold_cp(&z->tmp, cp);
	put_frag(z, z->tmp.data, z->tmp.len);
}

static void normalize(mie_buf *out, const char *s, size_t n);

void mie_text_fold(mie_buf *out, const char *s, size_t n)
{
	pthread_once(&fold_once, fold_init);
	if (!memchr(s, '&', n)) {
		normalize(out, s, n);
		return;
	}
	mie_buf dec = MIE_BUF_INIT;
	mie_entities_decode(&dec, s, n, 0);
	normalize(out, dec.data, dec.len);
	mie_buf_release(&dec);
}

/* After entities: a '&' left is punctuation. */
static void normalize(mie_buf *out, const char *s, size_t n)
{
	normer z = {out, out->len, 0, MIE_BUF_INIT};
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		/* the common case, ASCII letters, digits and separators, inline
		 * with room reserved: at most 2 bytes out per byte in */
		mie_buf_grow(out, 2 * (n - i) + 32);
		char *o = out->data + out->len, *o0 = out->data + z.start;
		char *lim = out->data + out->cap - 17;
		int space = z.space;
		for (; i < n && o < lim;) {
			/* the longest prefix of the next 16 bytes (8 without SSE2)
			 * made of ASCII letters, digits and single spaces, not
			 * starting with a space: its comparison form is itself,
			 * lowercased (in `low`, k bytes) */
			size_t k = 0, block = MIE_SIMD ? 16 : 8;
			char low[16];
			if (i + block <= n && p[i] != ' ') {
#if MIE_SIMD
				mie_v16 x = mie_v16_load(p + i), up = mie_v16_in(x, 'A', 'Z');
				unsigned sp = mie_v16_mask(mie_v16_eq(x, mie_v16_splat(' ')));
				unsigned ok = mie_v16_mask(
				        mie_v16_or(mie_v16_or(up, mie_v16_in(x, 'a', 'z')),
				                   mie_v16_in(x, '0', '9')));
				ok = (ok | sp) & ~(sp & sp << 1);
				k = ok == 0xFFFF ? 16 : (size_t)__builtin_ctz(~ok);
				mie_v16_store(low,
				              mie_v16_or(x, mie_v16_and(up, mie_v16_splat(0x20))));
#else
				uint64_t w = mie_swar_load(p + i);
				uint64_t up = mie_swar_range(w, 'A', 'Z');
				uint64_t sp = mie_swar_eq_exact(w, ' ');
				uint64_t ok = (mie_swar_range(w, 'a', 'z') | up |
				               mie_swar_range(w, '0', '9') | sp) &
				              ~(w & MIE_SWAR_HIGH) & ~(sp & mie_swar_next(sp));
				uint64_t bad = ~ok & MIE_SWAR_HIGH;
				k = bad ? mie_swar_first(bad) : 8;
				w |= up >> 2;
				memcpy(low, &w, 8);
#endif
			}
			if (k) {
				if (space && o > o0)
					*o++ = ' ';
				memcpy(o, low, block);
				space = p[i + k - 1] == ' '; /* stays pending */
				o += space ? k - 1 : k;
				i += k;
				if (k == block || o >= lim)
					continue; /* else p[i] is taken below */
			}
			unsigned char c = p[i];
			const fold *f;
			if (c < 0x80) {
				if (c == '&')
					break;
				f = &fold_table[c];
				k = 1;
			} else {
				/* 2- and 3-byte characters of the table, unless they
				 * may start a double-encoded sequence */
				uint32_t cp;
				if (c >= 0xC2 && c <= 0xDF && i + 1 < n &&
				    (p[i + 1] & 0xC0) == 0x80)
					cp = (uint32_t)(c & 0x1F) << 6 | (p[i + 1] & 0x3F), k = 2;
				else if (c >= 0xE1 && c <= 0xE2 && i + 2 < n &&
				         (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80)
					cp = (uint32_t)(c & 0x0F) << 12 |
					     (uint32_t)(p[i + 1] & 0x3F) << 6 | (p[i + 2] & 0x3F),
					k = 3;
				else
					break;
				if (cp >= FOLD_TABLE ||
				    (cp >= 0xC2 && cp <= 0xF4 && i + k < n && p[i + k] >= 0x80))
					break;
				f = &fold_table[cp];
				if (f->len == 255)
					break;
			}
			i += k;
			for (int j = 0; j < f->len; j++) {
				if (f->s[j] == ' ') {
					space = 1;
					continue;
				}
				if (space && o > o0)
					*o++ = ' ';
				space = 0;
				*o++ = f->s[j];
			}
		}
		*o = '\0';
		out->len = (size_t)(o - out->data);
		z.space = space;
		if (i >= n)
			break;
		if (o >= lim)
			continue;
		if (p[i] == '&') {
			z.space = 1;
			i++;
			continue;
		}
		uint32_t cp, fixed;
		i += next_cp(p + i, n - i, &cp);
		if (cp >= 0xC2 && cp <= 0xF4) {
			size_t k = unmojibake(cp, p + i, n - i, &fixed);
			if (k)
				cp = fixed, i += k;
		}
		put_cp(&z, cp);
	}
	mie_buf_release(&z.tmp);
}

void mie_text_slug(mie_buf *out, const char *s, size_t n)
{
	size_t from = out->len;
	mie_text_fold(out, s, n);
	for (size_t i = from; i < out->len; i++)
		if (out->data[i] == ' ')
			out->data[i] = '-';
}
