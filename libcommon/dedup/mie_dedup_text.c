/* mie_dedup_text.c — comparison forms of text: normalization, name keys,
 * shingles, MinHash.  See mie_dedup.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "mie_dedup.h"
#include "mie_text.h"
#include "mie_utf8.h"

/* windows-1252 bytes 0x80-0x9F (0: undefined, read as the C1 control). */
static const uint16_t cp1252_high[32] = {
        0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* The byte a code point was when UTF-8 was misread as windows-1252, or -1. */
static int cp1252_byte(uint32_t cp)
{
	if (cp >= 0xA0 && cp <= 0xFF)
		return (int)cp;
	if (cp >= 0x80 && cp < 0xA0)
		return cp1252_high[cp - 0x80] ? -1 : (int)cp;
	for (int i = 0; i < 32; i++)
		if (cp1252_high[i] == cp)
			return 0x80 + i;
	return -1;
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
	*cp = s[0] < 0xA0 && cp1252_high[s[0] - 0x80] ? cp1252_high[s[0] - 0x80] : s[0];
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
static fold *fold_table;

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

void mie_dedup_normalize(mie_buf *out, const char *s, size_t n)
{
	if (!fold_table)
		fold_init();
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
			if (i + 8 <= n) {
				/* 8 bytes of lowercase ASCII letters and single spaces,
				 * starting with a letter, are their own comparison form */
				uint64_t w;
				memcpy(&w, p + i, 8);
				const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80,
				               low7 = ones * 0x7F, x = w ^ (ones * ' ');
				uint64_t lower = (w + ones * 0x1F) & ~(w + ones * 0x05) & high;
				uint64_t sp = ~(((x & low7) + low7) | x | low7); /* bytes == ' ' */
				if (!(w & high) && (lower | sp) == high && (w & 0xFF) != ' ' &&
				    !(sp & (sp >> 8))) {
					if (space && o > o0)
						*o++ = ' ';
					memcpy(o, &w, 8);
					space = (w >> 56) == ' '; /* a final space stays pending */
					o += space ? 7 : 8;
					i += 8;
					continue;
				}
			}
			unsigned char c = p[i];
			const fold *f;
			size_t k;
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void mie_dedup_name_key(mie_buf *out, const char *s, size_t n)
{
	mie_buf norm = MIE_BUF_INIT;
	mie_dedup_normalize(&norm, s, n);
	size_t nw = 0;
	char **w = mie_xmalloc((norm.len / 2 + 2) * sizeof *w);
	for (char *p = norm.data; *p;) {
		w[nw++] = p;
		char *e = strchr(p, ' ');
		if (!e)
			break;
		*e = '\0';
		p = e + 1;
	}
	qsort(w, nw, sizeof *w, cmp_str);
	for (size_t i = 0; i < nw; i++) {
		if (i && strcmp(w[i], w[i - 1]) == 0)
			continue;
		if (i)
			mie_buf_addc(out, ' ');
		mie_buf_adds(out, w[i]);
	}
	free(w);
	mie_buf_release(&norm);
}

typedef struct gram {
	const char *p;
	size_t n;
} gram;

static int cmp_gram(const void *a, const void *b)
{
	const gram *x = a, *y = b;
	size_t m = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->p, y->p, m);
	return c ? c : (x->n > y->n) - (x->n < y->n);
}

void mie_dedup_ngram_key(mie_buf *out, const char *s, size_t n, int ngram)
{
	mie_buf norm = MIE_BUF_INIT, packed = MIE_BUF_INIT;
	mie_dedup_normalize(&norm, s, n);
	size_t *starts = mie_xmalloc((norm.len + 1) * sizeof *starts), ncp = 0;
	for (size_t i = 0; i < norm.len; i++) {
		if (norm.data[i] == ' ')
			continue;
		if (((unsigned char)norm.data[i] & 0xC0) != 0x80)
			starts[ncp++] = packed.len;
		mie_buf_addc(&packed, norm.data[i]);
	}
	starts[ncp] = packed.len;
	if (ncp <= (size_t)ngram) {
		mie_buf_add(out, packed.data, packed.len);
	} else {
		size_t ng = ncp - (size_t)ngram + 1;
		gram *g = mie_xmalloc(ng * sizeof *g);
		for (size_t i = 0; i < ng; i++)
			g[i] = (gram){packed.data + starts[i],
			              starts[i + (size_t)ngram] - starts[i]};
		qsort(g, ng, sizeof *g, cmp_gram);
		for (size_t i = 0; i < ng; i++)
			if (!i || cmp_gram(&g[i], &g[i - 1]))
				mie_buf_add(out, g[i].p, g[i].n);
		free(g);
	}
	free(starts);
	mie_buf_release(&packed);
	mie_buf_release(&norm);
}

static inline uint64_t fmix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

uint64_t mie_dedup_hash(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ULL), g = 0x2545F4914F6CDD1DULL;
	while (n >= 16) { /* two independent lanes, one multiply per 8 bytes */
		uint64_t a, b;
		memcpy(&a, s, 8);
		memcpy(&b, s + 8, 8);
		h = ((h ^ a) * 0x9E3779B97F4A7C15ULL);
		h = (h << 31) | (h >> 33);
		g = ((g ^ b) * 0xC2B2AE3D27D4EB4FULL);
		g = (g << 29) | (g >> 35);
		s += 16;
		n -= 16;
	}
	while (n >= 8) {
		uint64_t a;
		memcpy(&a, s, 8);
		h = ((h ^ a) * 0x9E3779B97F4A7C15ULL);
		h = (h << 31) | (h >> 33);
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, s, n);
	h ^= fmix64(w ^ ((uint64_t)n << 56)) + fmix64(g);
	return fmix64(h);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

size_t mie_dedup_shingles(const char *norm, size_t n, uint32_t **out)
{
	*out = NULL;
	if (!n)
		return 0;
	size_t nw = 1;
	for (size_t i = 0; i < n; i++)
		nw += norm[i] == ' ';
	size_t *st = mie_xmalloc((nw + 1) * sizeof *st), k = 0;
	st[k++] = 0;
	for (size_t i = 0; i < n; i++)
		if (norm[i] == ' ')
			st[k++] = i + 1;
	st[nw] = n + 1; /* as if a space followed the last word */
	size_t ns = nw < MIE_DEDUP_SHINGLE ? 1 : nw - MIE_DEDUP_SHINGLE + 1;
	size_t span = nw < MIE_DEDUP_SHINGLE ? nw : MIE_DEDUP_SHINGLE;
	uint32_t *sh = mie_xmalloc(ns * sizeof *sh);
	for (size_t i = 0; i < ns; i++)
		sh[i] = (uint32_t)mie_dedup_hash(norm + st[i], st[i + span] - 1 - st[i], 0x5eed);
	free(st);
	qsort(sh, ns, sizeof *sh, cmp_u32);
	size_t u = 0;
	for (size_t i = 0; i < ns; i++)
		if (!u || sh[i] != sh[u - 1])
			sh[u++] = sh[i];
	*out = sh;
	return u;
}

double mie_dedup_jaccard(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	if (!na && !nb)
		return 0;
	size_t i = 0, j = 0, inter = 0;
	while (i < na && j < nb) {
		if (a[i] < b[j])
			i++;
		else if (a[i] > b[j])
			j++;
		else
			inter++, i++, j++;
	}
	return (double)inter / (double)(na + nb - inter);
}

/* Multiply-shift hash family: h_k(x) = (a_k x + b_k) >> 32, a_k odd. */
static uint64_t mh_a[MIE_DEDUP_SIG], mh_b[MIE_DEDUP_SIG];

static void mh_init(void)
{
	if (mh_a[0])
		return;
	uint64_t s = 0x6d69652d64656475ULL; /* "mie-dedu" */
	for (int k = 0; k < MIE_DEDUP_SIG; k++) {
		s += 0x9E3779B97F4A7C15ULL;
		mh_a[k] = fmix64(s) | 1;
		s += 0x9E3779B97F4A7C15ULL;
		mh_b[k] = fmix64(s);
	}
}

void mie_dedup_minhash(const uint32_t *sh, size_t n, uint32_t sig[MIE_DEDUP_SIG])
{
	mh_init();
	uint32_t m[MIE_DEDUP_SIG];
	for (int k = 0; k < MIE_DEDUP_SIG; k++)
		m[k] = UINT32_MAX;
	for (size_t i = 0; i < n; i++) {
		uint64_t x = sh[i];
		for (int k = 0; k < MIE_DEDUP_SIG; k++) {
			uint32_t h = (uint32_t)((mh_a[k] * x + mh_b[k]) >> 32);
			m[k] = h < m[k] ? h : m[k];
		}
	}
	memcpy(sig, m, sizeof m);
}

int mie_dedup_rows_for(double t)
{
	static const int rows[] = {8, 4, 2, 1};
	for (int i = 0; i < 4; i++) {
		int r = rows[i], b = MIE_DEDUP_SIG / r;
		double p = 1, tr = 1;
		for (int k = 0; k < r; k++)
			tr *= t;
		for (int k = 0; k < b; k++)
			p *= 1 - tr;
		if (1 - p >= 0.995)
			return r;
	}
	return 1;
}

void mie_dedup_url_key(mie_buf *out, const char *s, size_t n)
{
	if (!s)
		return;
	size_t i = 0;
	if (n >= 7 && !strncasecmp(s, "http://", 7))
		i = 7;
	else if (n >= 8 && !strncasecmp(s, "https://", 8))
		i = 8;
	if (n - i >= 4 && !strncasecmp(s + i, "www.", 4))
		i += 4;
	size_t start = out->len;
	for (; i < n && s[i] != '/' && s[i] != '?' && s[i] != '#'; i++)
		mie_buf_addc(out, s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	size_t end = i;
	while (end < n && s[end] != '#')
		end++;
	while (end > i && s[end - 1] == '/')
		end--;
	mie_buf_add(out, s + i, end - i);
	if (out->len == start)
		mie_buf_setlen(out, start);
}
