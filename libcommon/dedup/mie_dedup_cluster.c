/* mie_dedup_cluster.c — pass 2: union-find over the signatures, the
 * canonical rule, each member's relation to its canonical.  See
 * mie_dedup.h. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dedup/mie_dedup_impl.h"
#include "core/mie_hash.h"
#include "core/mie_progress.h"

/* Near: at most this many following members of one LSH bucket are compared
 * with each member (a bound on work for buckets of shared boilerplate). */
#define NEAR_WINDOW 64

static uint32_t find(uint32_t *parent, uint32_t i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

/* The smaller index is the root: the result does not depend on the order
 * of the unions. */
static void unite(uint32_t *parent, uint32_t a, uint32_t b)
{
	a = find(parent, a), b = find(parent, b);
	if (a == b)
		return;
	if (a < b)
		parent[b] = a;
	else
		parent[a] = b;
}

typedef struct kpair {
	uint64_t k, tie;
	uint32_t i;
} kpair;

static int cmp_kpair(const void *x, const void *y)
{
	const kpair *a = x, *b = y;
	if (a->k != b->k)
		return a->k < b->k ? -1 : 1;
	if (a->tie != b->tie)
		return a->tie < b->tie ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

/* The keys grouped on: identity (id, legacy URL), exact, name (two). */
enum { KEYS = 5 };
static const size_t key_at[KEYS] = {offsetof(drec, id_h), offsetof(drec, url_h),
                                    offsetof(drec, fp_h), offsetof(drec, key_h),
                                    offsetof(drec, ngram_h)};

/* Record r's key of kind f, told apart from the other kinds' by a
 * constant mixed into it; 0 when it has none. */
static inline uint64_t key_of(const drec *r, int f)
{
	static const uint64_t kind[KEYS] = {0, 0x9E3779B97F4A7C15ULL, 0xC2B2AE3D27D4EB4FULL,
	                                    0x165667B19E3779F9ULL, 0xD6E8FEB86659FD93ULL};
	uint64_t k;
	memcpy(&k, (const char *)r + key_at[f], sizeof k);
	if (!k)
		return 0;
	k ^= kind[f];
	return k + !k;
}

/* Unites the records with equal non-zero keys of one kind.  Every kind's
 * keys are taken in one pass over the records (key_of), and spread by their top bits into parts
 * small enough for a hash table in cache; then each part is grouped: sequential passes instead of
 * one random access per record into a table of the whole. */
static void group_keys(mie_dedup *d, uint32_t *parent)
{
	enum { BITS = 12, PARTS = 1 << BITS };
	typedef struct slot {
		uint64_t k;
		uint32_t i;
	} slot;
	size_t *at = mie_xcalloc(PARTS + 1, sizeof *at), keys = 0;
	for (uint32_t i = 0; i < d->n; i++)
		for (int f = 0; f < KEYS; f++) {
			uint64_t k = key_of(&d->r[i], f);
			if (k)
				at[(k >> (64 - BITS)) + 1]++, keys++;
		}
	if (keys < 2)
		return free(at);
	size_t most = 0;
	for (size_t p = 1; p <= PARTS; p++) {
		most = at[p] > most ? at[p] : most;
		at[p] += at[p - 1];
	}
	slot *all = mie_xmalloc(keys * sizeof *all);
	size_t *fill = mie_xmalloc(PARTS * sizeof *fill);
	memcpy(fill, at, PARTS * sizeof *fill);
	for (uint32_t i = 0; i < d->n; i++)
		for (int f = 0; f < KEYS; f++) {
			uint64_t k = key_of(&d->r[i], f);
			if (k)
				all[fill[k >> (64 - BITS)]++] = (slot){k, i};
		}
	mie_table t; /* key -> the first record that has it */
	mie_table_init(&t, sizeof(uint32_t), most);
	for (size_t p = 0; p < PARTS; p++) {
		if (at[p + 1] - at[p] < 2)
			continue;
		mie_table_clear(&t);
		for (size_t j = at[p]; j < at[p + 1]; j++) {
			int fresh;
			uint32_t *first = mie_table_put(&t, all[j].k, &fresh);
			if (fresh)
				*first = all[j].i;
			else
				unite(parent, *first, all[j].i);
		}
	}
	mie_table_release(&t);
	free(fill);
	free(all);
	free(at);
}

int mie_dedup_load_shingles(mie_dedup *d, uint32_t i, uint32_t **buf, size_t *cap)
{
	const drec *r = &d->r[i];
	if (r->sh_n > *cap) {
		*cap = r->sh_n;
		*buf = mie_xrealloc(*buf, *cap * sizeof **buf);
	}
	size_t bytes = (size_t)r->sh_n * sizeof **buf;
	if (pread(fileno(d->shf), *buf, bytes, (off_t)r->sh_off) != (ssize_t)bytes)
		return mie_dedup_spill_error("read");
	return (int)r->sh_n;
}

double mie_dedup_pair_jaccard(mie_dedup *d, uint32_t a, uint32_t b)
{
	int na = mie_dedup_load_shingles(d, a, &d->sa, &d->sa_cap);
	int nb = mie_dedup_load_shingles(d, b, &d->sb, &d->sb_cap);
	if (na < 0 || nb < 0)
		return -1;
	/* kept in text order with repeats (mie_dedup_shingles_raw) */
	na = (int)mie_dedup_shingle_set(d->sa, (size_t)na);
	nb = (int)mie_dedup_shingle_set(d->sb, (size_t)nb);
	d->st.candidates++;
	return mie_dedup_jaccard(d->sa, (size_t)na, d->sb, (size_t)nb);
}

/* Work units of clustering, for progress: GROUPINGS passes, then one per
 * band, each over the records. */
enum { GROUPINGS = 2 };

/* Sorts buf[0..n) by (k, tie, i) as qsort with cmp_kpair would: first
 * spread by the top bits of k into `out` (a counting sort, two sequential
 * passes), then each part, small enough for the cache, by qsort.  The
 * sorted pairs are in `out`. */
static void sort_kpairs(kpair *buf, kpair *out, size_t n)
{
	int bits = 8; /* parts of about 8 pairs */
	while (bits < 20 && (n >> bits) > 8)
		bits++;
	const size_t PARTS = (size_t)1 << bits;
	size_t *at = mie_xcalloc(PARTS + 1, sizeof *at), *fill = mie_xmalloc(PARTS * sizeof *fill);
	for (size_t i = 0; i < n; i++)
		at[(buf[i].k >> (64 - bits)) + 1]++;
	for (size_t q = 1; q <= PARTS; q++)
		at[q] += at[q - 1];
	memcpy(fill, at, PARTS * sizeof *fill);
	for (size_t i = 0; i < n; i++)
		out[fill[buf[i].k >> (64 - bits)]++] = buf[i];
	for (size_t q = 0; q < PARTS; q++) {
		kpair *a = out + at[q];
		size_t m = at[q + 1] - at[q];
		if (m > 32) {
			qsort(a, m, sizeof *a, cmp_kpair);
			continue;
		}
		for (size_t i = 1; i < m; i++) { /* small: insertion sort, no calls */
			kpair v = a[i];
			size_t j = i;
			for (; j > 0 && cmp_kpair(&a[j - 1], &v) > 0; j--)
				a[j] = a[j - 1];
			a[j] = v;
		}
	}
	free(at);
	free(fill);
}

/* One band's keys, sorted (in `out`): made on a second thread while the
 * band before is looked at (the signatures are only read). */
typedef struct band {
	mie_dedup *d;
	int band;
	kpair *keys, *out;   /* d->nsig + 1 each, owned by near() */
	const uint32_t *rec; /* of each signature, and its tie-break (near()'s, shared) */
	const uint64_t *tie;
	size_t n;
	int failed; /* reading the signature spill: errno in err */
	int err;
	pthread_t t;
	int threaded;
} band;

static void *band_keys(void *arg)
{
	band *b = arg;
	mie_dedup *d = b->d;
	const size_t size = (size_t)(MIE_DEDUP_SIG / d->rows) * MIE_DEDUP_KBLK * sizeof(uint64_t);
	const size_t part = MIE_DEDUP_KBLK * sizeof(uint64_t); /* one band's, in a block */
	uint64_t *spilled = NULL; /* this band's part of a spilled block */
	const uint64_t *keys = NULL;
	size_t n = 0;
	b->failed = 0;
	for (size_t next_sig = 0; next_sig < d->nsig; next_sig++) {
		size_t j = next_sig / MIE_DEDUP_KBLK, at = next_sig % MIE_DEDUP_KBLK;
		if (at == 0 && d->kblk[j]) {
			keys = d->kblk[j] + (size_t)b->band * MIE_DEDUP_KBLK;
		} else if (at == 0) {
			/* pread: the other thread reads the same file */
			if (!spilled)
				spilled = mie_xmalloc(part);
			ssize_t got = pread(fileno(d->sigf), spilled, part,
			                    (off_t)(j * size + (size_t)b->band * part));
			if (got != (ssize_t)part) {
				free(spilled);
				return b->failed = 1, b->err = got < 0 ? errno : EIO, NULL;
			}
			keys = spilled;
		}
		uint32_t i = b->rec[next_sig];
		b->keys[n++] = (kpair){keys[at], b->tie[next_sig], i};
	}
	free(spilled);
	sort_kpairs(b->keys, b->out, n);
	b->n = n;
	return NULL;
}

/* Band `which` made on a thread of its own, or here (run). */
static void band_make(band *b, int which, int run)
{
	b->band = which;
	b->threaded = !run && pthread_create(&b->t, NULL, band_keys, b) == 0;
	if (!b->threaded)
		band_keys(b);
}

static int band_wait(band *b)
{
	if (b->threaded)
		pthread_join(b->t, NULL);
	b->threaded = 0;
	if (b->failed) {
		errno = b->err;
		return mie_dedup_spill_error("read");
	}
	return 0;
}

/* Unites the records of one band's buckets whose shingles are similar
 * enough.  Returns 0 or -1. */
static int band_unite(mie_dedup *d, const band *b)
{
	const kpair *buf = b->out;
	size_t n = b->n;
	for (size_t s = 0; s < n;) {
		size_t e = s + 1;
		while (e < n && buf[e].k == buf[s].k)
			e++;
		for (size_t x = s; x + 1 < e; x++)
			for (size_t y = x + 1; y < e && y <= x + NEAR_WINDOW; y++) {
				if (find(d->parent, buf[x].i) == find(d->parent, buf[y].i))
					continue;
				double j = mie_dedup_pair_jaccard(d, buf[x].i, buf[y].i);
				if (j < 0)
					return -1;
				if (j >= d->o.threshold)
					unite(d->parent, buf[x].i, buf[y].i);
			}
		s = e;
	}
	return 0;
}

/* The keys of the other methods grouped (group_keys) while band 0's
 * buckets are made on a second thread; then the LSH bands two at a time:
 * band k + 1's buckets made on the second thread while this one makes
 * band k's, both looked at in order (what is united does not depend on the
 * order). */
static int near(mie_dedup *d, mie_progress *p)
{
	int bands = MIE_DEDUP_SIG / d->rows, rc = 0;
	/* the records with a signature, in its order: every band reads them
	 * (not the records themselves) */
	uint32_t *rec = mie_xmalloc((d->nsig + 1) * sizeof *rec);
	uint64_t *tie = mie_xmalloc((d->nsig + 1) * sizeof *tie);
	for (uint32_t i = 0; i < d->n; i++)
		if (d->r[i].has_sig)
			rec[d->r[i].sig] = i, tie[d->r[i].sig] = d->r[i].tie;
	band two[2];
	for (int k = 0; k < 2; k++)
		two[k] = (band){.d = d,
		                .keys = mie_xmalloc((d->nsig + 1) * sizeof(kpair)),
		                .out = mie_xmalloc((d->nsig + 1) * sizeof(kpair)),
		                .rec = rec,
		                .tie = tie};
	band_make(&two[1], 0, 0);
	group_keys(d, d->parent);
	mie_progress_tick(p, (long)GROUPINGS * (long)d->n, 0);
	if ((rc = band_wait(&two[1])) == 0)
		rc = band_unite(d, &two[1]);
	for (int k = 1; k < bands && rc == 0; k += 2) {
		int pair = k + 1 < bands;
		if (pair)
			band_make(&two[1], k + 1, 0);
		band_make(&two[0], k, 1);
		if ((rc = band_wait(&two[0])) == 0)
			rc = band_unite(d, &two[0]);
		mie_progress_tick(p, (long)(GROUPINGS + k + 1) * (long)d->n, 0);
		if (pair && band_wait(&two[1]) < 0)
			rc = -1;
		else if (pair && rc == 0)
			rc = band_unite(d, &two[1]);
		mie_progress_tick(p, (long)(GROUPINGS + k + 1 + pair) * (long)d->n, 0);
	}
	for (int k = 0; k < 2; k++)
		free(two[k].keys), free(two[k].out);
	free(rec);
	free(tie);
	return rc;
}

const char *mie_dedup_id(const mie_dedup *d, uint32_t i)
{
	return d->ids.data + d->r[i].id_off;
}

/* The canonical rule: < 0 when a ranks before b. */
int mie_dedup_rank_cmp(const mie_dedup *d, uint32_t a, uint32_t b)
{
	const drec *x = &d->r[a], *y = &d->r[b];
	if (x->complete != y->complete)
		return x->complete > y->complete ? -1 : 1;
	if (x->date != y->date)
		return x->date > y->date ? -1 : 1;
	int c = strcmp(mie_dedup_id(d, a), mie_dedup_id(d, b));
	if (c)
		return c;
	if (x->tie != y->tie)
		return x->tie < y->tie ? -1 : 1;
	return (a > b) - (a < b);
}

/* How member m relates to its canonical c (see mie_dedup.h). */
static int relate(mie_dedup *d, uint32_t m, uint32_t c)
{
	drec *x = &d->r[m], *y = &d->r[c];
	x->score = 1;
	if (x->id_h && x->id_h == y->id_h)
		return x->method = MIE_DEDUP_IDENTITY, 0;
	if (x->url_h && x->url_h == y->url_h)
		return x->method = MIE_DEDUP_IDENTITY, 0;
	if (x->fp_h && x->fp_h == y->fp_h)
		return x->method = MIE_DEDUP_EXACT, 0;
	if (x->key_h && (x->key_h == y->key_h || x->ngram_h == y->ngram_h))
		return x->method = MIE_DEDUP_NAME, 0;
	if (x->has_sig && y->has_sig) {
		double j = mie_dedup_pair_jaccard(d, m, c);
		if (j < 0)
			return -1;
		x->score = (float)j;
		return x->method = MIE_DEDUP_NEAR, 0;
	}
	/* joined through other members only */
	x->method = x->cls >= CLS_ORG && x->cls <= CLS_KEYWORD ? MIE_DEDUP_NAME
	            : x->fp_h                                  ? MIE_DEDUP_EXACT
	                                                       : MIE_DEDUP_IDENTITY;
	return 0;
}

static int cmp_order(const void *p, const void *q, void *ctx)
{
	const mie_dedup *d = ctx;
	uint32_t a = *(const uint32_t *)p, b = *(const uint32_t *)q;
	uint32_t ca = d->r[a].canon, cb = d->r[b].canon;
	if (ca != cb)
		return mie_dedup_rank_cmp(d, ca, cb) < 0 ? -1 : 1;
	return mie_dedup_rank_cmp(d, a, b);
}

static int cluster(mie_dedup *d, mie_progress *p);

int mie_dedup_cluster(mie_dedup *d)
{
	mie_progress p;
	mie_progress_init(&p, mie_progress_enabled(), -1);
	mie_progress_phase(&p, "clustering",
	                   (long)(GROUPINGS + (d->nsig ? MIE_DEDUP_SIG / d->rows : 0)) *
	                           (long)d->n);
	int rc = cluster(d, &p);
	mie_progress_done(&p);
	return rc;
}

static int cluster(mie_dedup *d, mie_progress *p)
{
	if (mie_dedup_signatures_done(d) < 0)
		return -1;
	if (fflush(d->spill) != 0 || fflush(d->shf) != 0 || fflush(d->sigf) != 0)
		return mie_dedup_spill_error("write");
	d->st.records = (long)d->n;
	free(d->parent);
	d->parent = mie_xmalloc((d->n + 1) * sizeof *d->parent);
	for (uint32_t i = 0; i < d->n; i++)
		d->parent[i] = i;
	int rc = 0;
	if (d->nsig) {
		rc = near(d, p); /* groups the other keys too */
	} else {
		group_keys(d, d->parent);
		mie_progress_tick(p, (long)GROUPINGS * (long)d->n, 0);
	}
	if (rc < 0)
		return -1;
	uint32_t *best = mie_xmalloc((d->n + 1) * sizeof *best);
	for (uint32_t i = 0; i < d->n; i++)
		best[i] = UINT32_MAX;
	for (uint32_t i = 0; i < d->n; i++) {
		uint32_t root = find(d->parent, i);
		if (best[root] == UINT32_MAX || mie_dedup_rank_cmp(d, i, best[root]) < 0)
			best[root] = i;
	}
	for (uint32_t i = 0; i < d->n; i++) {
		drec *r = &d->r[i];
		r->canon = best[find(d->parent, i)];
		r->dup = r->canon != i;
	}
	for (uint32_t i = 0; i < d->n; i++)
		if (d->r[i].dup) {
			d->r[d->r[i].canon].head = 1;
			if (relate(d, i, d->r[i].canon) < 0)
				return free(best), -1;
			d->st.duplicates++;
			drec *r = &d->r[i];
			r->fold = d->o.mode == MIE_DEDUP_MERGE && (r->method & d->o.merge_methods);
			d->r[r->canon].folds |= r->fold;
			for (int b = 0; b < 4; b++)
				d->st.by_method[b] += d->r[i].method == 1u << b;
		}
	free(best);
	for (uint32_t i = 0; i < d->n; i++)
		d->st.clusters += d->r[i].head;
	return 0;
}

void mie_dedup_order(mie_dedup *d)
{
	if (d->order)
		return;
	d->norder = 0;
	d->order = mie_xmalloc(((size_t)d->st.duplicates + (size_t)d->st.clusters + 1) *
	                       sizeof *d->order);
	for (uint32_t i = 0; i < d->n; i++)
		if (d->r[i].dup || d->r[i].head)
			d->order[d->norder++] = i;
	qsort_r(d->order, d->norder, sizeof *d->order, cmp_order, d);
	d->first = mie_xmalloc((d->n + 1) * sizeof *d->first);
	for (size_t k = 0; k < d->norder; k++)
		if (!d->r[d->order[k]].dup)
			d->first[d->order[k]] = (uint32_t)k;
}
