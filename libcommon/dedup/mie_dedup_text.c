/* mie_dedup_text.c — comparison forms of text: normalization, name keys,
 * shingles, MinHash.  See mie_dedup.h. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "mie_dedup.h"
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

typedef struct cps {
	uint32_t *v;
	size_t n, cap;
} cps;

static void cps_push(cps *c, uint32_t cp)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		c->v = mie_xrealloc(c->v, c->cap * sizeof *c->v);
	}
	c->v[c->n++] = cp;
}

/* Decodes one entity at s[0] == '&' for comparison purposes only: numeric
 * ones to their code point; accented-letter ones (&eacute;, &Ccedil;...) to
 * their base letter, ligatures (&oelig;) to their letters, since marks are
 * dropped anyway; any other named one to a space (they are punctuation and
 * symbols: &nbsp; &rsquo; &laquo;...).  Returns the bytes used, 0 if none. */
static size_t entity(const char *s, size_t n, cps *out)
{
	size_t i = 1;
	if (i < n && s[i] == '#') {
		uint32_t v = 0;
		int hex = ++i < n && (s[i] == 'x' || s[i] == 'X');
		size_t start = i += hex;
		for (; i < n && i - start < 8; i++) {
			int c = (unsigned char)s[i], d;
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && (c | 32) >= 'a' && (c | 32) <= 'f')
				d = (c | 32) - 'a' + 10;
			else
				break;
			v = v * (hex ? 16 : 10) + (uint32_t)d;
		}
		if (i == start || i >= n || s[i] != ';' || v == 0 || v > 0x10FFFF)
			return 0;
		if (v >= 0x80 && v < 0xA0 && cp1252_high[v - 0x80])
			v = cp1252_high[v - 0x80];
		cps_push(out, v);
		return i + 1;
	}
	while (i < n && i < 12 && ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z'))
		i++;
	if (i == 1 || i >= n || s[i] != ';')
		return 0;
	size_t len = i - 1;
	const char *name = s + 1;
	static const char *const marks[] = {"acute", "grave", "circ", "uml", "cedil", "tilde",
					    "ring", "slash", NULL};
	for (int k = 0; marks[k]; k++) {
		size_t ml = strlen(marks[k]);
		if (len == ml + 1 && memcmp(name + 1, marks[k], ml) == 0) {
			cps_push(out, (unsigned char)name[0]);
			return i + 1;
		}
	}
	if (len == 5 && memcmp(name + 2, "lig", 3) == 0) {
		cps_push(out, (unsigned char)name[0]);
		cps_push(out, (unsigned char)name[1]);
		return i + 1;
	}
	cps_push(out, ' ');
	return i + 1;
}

/* Text to code points, entities decoded, invalid bytes read as cp1252. */
static void decode(const char *s, size_t n, cps *out)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == '&') {
			size_t k = entity(s + i, n - i, out);
			if (k) {
				i += k;
				continue;
			}
		}
		if (c < 0x80) {
			cps_push(out, c);
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = mie_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (!k) {
			cp = c < 0xA0 && cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : c;
			k = 1;
		}
		cps_push(out, cp);
		i += k;
	}
}

/* Repairs UTF-8 that was read as windows-1252 and encoded again: a run like
 * U+00C3 U+00A9 ("Ã©") whose cp1252 bytes form one valid multi-byte UTF-8
 * sequence becomes that character.  Conservative: only whole sequences. */
static void unmojibake(cps *c)
{
	size_t w = 0;
	for (size_t r = 0; r < c->n;) {
		uint32_t lead = c->v[r];
		int need = lead >= 0xC2 && lead <= 0xDF   ? 1
			   : lead >= 0xE0 && lead <= 0xEF ? 2
			   : lead >= 0xF0 && lead <= 0xF4 ? 3
							  : 0;
		if (need && r + (size_t)need < c->n) {
			unsigned char b[4] = {(unsigned char)lead};
			int ok = 1;
			for (int k = 1; k <= need && ok; k++) {
				int byte = cp1252_byte(c->v[r + (size_t)k]);
				ok = byte >= 0x80 && byte <= 0xBF;
				b[k] = (unsigned char)byte;
			}
			uint32_t cp;
			if (ok && mie_utf8_decode(b, (size_t)need + 1, &cp) == (size_t)need + 1) {
				c->v[w++] = cp;
				r += (size_t)need + 1;
				continue;
			}
		}
		c->v[w++] = c->v[r++];
	}
	c->n = w;
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
	case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

void mie_dedup_normalize(mie_buf *out, const char *s, size_t n)
{
	cps c = {0};
	decode(s, n, &c);
	unmojibake(&c);
	size_t start = out->len;
	int space = 0;
	for (size_t i = 0; i < c.n; i++) {
		uint32_t cp = c.v[i];
		utf8proc_int32_t dst[16];
		utf8proc_ssize_t m;
		if (cp < 0x80) {
			int ch = (int)cp;
			if (ch >= 'A' && ch <= 'Z')
				ch += 32;
			if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))) {
				space = 1;
				continue;
			}
			dst[0] = ch;
			m = 1;
		} else {
			int last = 0;
			m = utf8proc_decompose_char((utf8proc_int32_t)cp, dst, 16,
						    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
							    UTF8PROC_STRIPMARK | UTF8PROC_DECOMPOSE,
						    &last);
			if (m < 0 || m > 16)
				m = 0;
		}
		for (utf8proc_ssize_t k = 0; k < m; k++) {
			uint32_t d = (uint32_t)dst[k];
			if (!is_word_cp(d)) {
				space = 1;
				continue;
			}
			if (space && out->len > start)
				mie_buf_addc(out, ' ');
			space = 0;
			if (d == 0x153 || d == 0xE6) /* œ æ: NFKD keeps the ligatures */
				mie_buf_adds(out, d == 0x153 ? "oe" : "ae");
			else
				mie_buf_add_utf8(out, d);
		}
	}
	free(c.v);
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
			g[i] = (gram){packed.data + starts[i], starts[i + (size_t)ngram] - starts[i]};
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
	uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ULL);
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h ^= fmix64(w ^ 0x2545F4914F6CDD1DULL);
		h = ((h << 27) | (h >> 37)) * 0x9E3779B97F4A7C15ULL + 0x52dce729;
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, s, n);
	h ^= fmix64(w ^ ((uint64_t)n << 56) ^ 0x2545F4914F6CDD1DULL);
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
