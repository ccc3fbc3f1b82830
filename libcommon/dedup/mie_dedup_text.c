/* mie_dedup_text.c — comparison forms of text: normalization, name keys,
 * shingles, MinHash.  See mie_dedup.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dedup/mie_dedup.h"
#include "text/mie_fold.h"
#include "core/mie_hash.h"
#include "core/mie_simd.h"
#include "text/mie_text.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void mie_dedup_name_key(mie_buf *out, const char *s, size_t n)
{
	mie_buf norm = MIE_BUF_INIT;
	mie_text_fold(&norm, s, n);
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
	mie_text_fold(&norm, s, n);
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

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* The hash of a shingle from the hashes of its words, in order. */
static inline uint32_t shingle_hash(const uint64_t *w, size_t words)
{
	uint64_t h = 0x5eed ^ words;
	for (size_t k = 0; k < words; k++) {
		h = (h ^ w[k]) * 0x9E3779B97F4A7C15ULL;
		h = (h << 31) | (h >> 33);
	}
	return (uint32_t)mie_hash_fmix64(h);
}

size_t mie_dedup_shingles_raw(const char *norm, size_t n, uint32_t **out)
{
	*out = NULL;
	if (!n)
		return 0;
	/* each word hashed once; a shingle combines its words' hashes */
	uint64_t few[256];
	size_t cap = n / 2 + 2, nw = 0;
	uint64_t *w = cap <= 256 ? few : mie_xmalloc(cap * sizeof *w);
	for (const char *p = norm, *end = norm + n;;) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		const char *e = sp ? sp : end;
		w[nw++] = mie_hash(p, (size_t)(e - p), 0x5eed);
		if (!sp)
			break;
		p = sp + 1;
	}
	size_t ns = nw < MIE_DEDUP_SHINGLE ? 1 : nw - MIE_DEDUP_SHINGLE + 1;
	size_t span = nw < MIE_DEDUP_SHINGLE ? nw : MIE_DEDUP_SHINGLE;
	uint32_t *sh = mie_xmalloc(ns * sizeof *sh);
	for (size_t i = 0; i < ns; i++)
		sh[i] = shingle_hash(w + i, span);
	if (w != few)
		free(w);
	*out = sh;
	return ns;
}

size_t mie_dedup_shingle_set(uint32_t *sh, size_t ns)
{
	if (ns > 48) {
		qsort(sh, ns, sizeof *sh, cmp_u32);
	} else { /* a short text: insertion sort, no calls */
		for (size_t i = 1; i < ns; i++) {
			uint32_t v = sh[i];
			size_t j = i;
			for (; j > 0 && sh[j - 1] > v; j--)
				sh[j] = sh[j - 1];
			sh[j] = v;
		}
	}
	size_t u = 0;
	for (size_t i = 0; i < ns; i++)
		if (!u || sh[i] != sh[u - 1])
			sh[u++] = sh[i];
	return u;
}

size_t mie_dedup_shingles(const char *norm, size_t n, uint32_t **out)
{
	size_t ns = mie_dedup_shingles_raw(norm, n, out);
	return ns ? mie_dedup_shingle_set(*out, ns) : 0;
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
		mh_a[k] = mie_hash_fmix64(s) | 1;
		s += 0x9E3779B97F4A7C15ULL;
		mh_b[k] = mie_hash_fmix64(s);
	}
}

/* 64 values per shingle: the inner loop is vectorized, 8 values at a time
 * with AVX-512 (MIE_SIMD_CLONES). */
MIE_SIMD_CLONES
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

void mie_dedup_band_keys(const uint32_t sig[MIE_DEDUP_SIG], int rows, uint64_t *keys)
{
	for (int band = 0; band < MIE_DEDUP_SIG / rows; band++) {
		/* two multiplies per 8 bytes and a finalizer: a collision only
		 * makes a candidate that the Jaccard check then turns down */
		const uint32_t *v = sig + band * rows;
		uint64_t h = 0x6c7368ULL + (uint64_t)band * 0x9E3779B97F4A7C15ULL;
		for (int k = 0; k < rows; k += 2) {
			uint64_t w = v[k] | (k + 1 < rows ? (uint64_t)v[k + 1] << 32 : 0);
			h = (h ^ w) * 0xC2B2AE3D27D4EB4FULL;
			h = (h << 31) | (h >> 33);
		}
		keys[band] = mie_hash_fmix64(h);
	}
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
