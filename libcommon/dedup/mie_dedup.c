/* mie_dedup.c — the engine's life, its options, and pass 1: spill files
 * and signatures (pass 2 in mie_dedup_cluster.c, pass 3 in
 * mie_dedup_write.c).  See mie_dedup.h for the contract. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dedup/mie_dedup.h"
#include "dedup/mie_dedup_impl.h"
#include "core/mie_hash.h"
#include "core/mie_progress.h"
#include "formats/mie_jsonl.h"
#include "record/mie_record.h"
#include "core/mie_tmp.h"
#include "core/mie_utf8.h"

const char *mie_dedup_method_name(unsigned m)
{
	switch (m) {
	case MIE_DEDUP_IDENTITY: return "identity";
	case MIE_DEDUP_EXACT: return "exact";
	case MIE_DEDUP_NEAR: return "near";
	case MIE_DEDUP_NAME: return "name";
	}
	return "?";
}

int mie_dedup_methods_parse(const char *s, unsigned *methods)
{
	unsigned m = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		unsigned bit = 0;
		for (unsigned b = 1; b <= MIE_DEDUP_NAME; b <<= 1)
			if (strlen(mie_dedup_method_name(b)) == n &&
			    memcmp(s, mie_dedup_method_name(b), n) == 0)
				bit = b;
		if (!bit)
			return -1;
		m |= bit;
		s += n + (s[n] == ',');
	}
	if (!m)
		return -1;
	*methods = m;
	return 0;
}

int mie_dedup_mode_parse(const char *s, mie_dedup_mode *mode)
{
	static const char *const names[] = {"mark", "merge", "drop"};
	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0)
			return *mode = (mie_dedup_mode)i, 0;
	return -1;
}

static int cls_of(const char *type)
{
	if (!type)
		return 0;
	if (!strcmp(type, "article") || !strcmp(type, "brief") || !strcmp(type, "dossier"))
		return CLS_CONTENT;
	if (!strcmp(type, "organisation"))
		return CLS_ORG;
	if (!strcmp(type, "author"))
		return CLS_AUTHOR;
	if (!strcmp(type, "keyword"))
		return CLS_KEYWORD;
	for (int i = 0; mie_record_types[i]; i++)
		if (!strcmp(type, mie_record_types[i]))
			return CLS_OTHER + i;
	return CLS_OTHER + 64;
}

static void batches_free(struct mie_dedup_batches *q);

mie_dedup *mie_dedup_new(const mie_dedup_opts *opts)
{
	mie_dedup *d = mie_xcalloc(1, sizeof *d);
	d->o = *opts;
	d->rows = mie_dedup_rows_for(opts->threshold);
	mie_buf_init(&d->ids);
	mie_buf_init(&d->scratch);
	if (!(d->spill = mie_tmpfile()) || !(d->shf = mie_tmpfile()) ||
	    !(d->sigf = mie_tmpfile())) {
		mie_dedup_free(&d);
		return NULL;
	}
	return d;
}

void mie_dedup_free(mie_dedup **dp)
{
	mie_dedup *d = dp ? *dp : NULL;
	if (!d)
		return;
	*dp = NULL;
	if (d->spill)
		fclose(d->spill);
	if (d->shf)
		fclose(d->shf);
	if (d->sigf)
		fclose(d->sigf);
	batches_free(d->batches);
	free(d->r);
	for (size_t j = 0; j < d->nkblk; j++)
		free(d->kblk[j]);
	free(d->kblk);
	free(d->parent);
	free(d->order);
	free(d->first);
	free(d->sa);
	free(d->sb);
	for (size_t i = 0; i < d->nsources; i++) {
		if (d->sources[i].map)
			munmap((void *)d->sources[i].map, d->sources[i].size);
		close(d->sources[i].fd);
		free(d->sources[i].path);
	}
	free(d->sources);
	for (int i = 0; i < 6; i++)
		mie_buf_release(&d->fbufs[i]);
	mie_buf_release(&d->ids);
	mie_buf_release(&d->scratch);
	free(d);
}

const mie_dedup_stats *mie_dedup_get_stats(const mie_dedup *d)
{
	return &d->st;
}

int mie_dedup_spill_error(const char *what)
{
	mie_fatal("spill file: %s: %s", what, strerror(errno ? errno : EIO));
	return -1;
}

/* Non-empty values, counted through objects and arrays. */
static unsigned count_values(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		unsigned n = 0;
		const char *k;
		const json_t *x;
		json_object_foreach((json_t *)v, k, x) n += count_values(x);
		return n;
	}
	case JSON_ARRAY: {
		unsigned n = 0;
		for (size_t i = 0; i < json_array_size(v); i++)
			n += count_values(json_array_get(v, i));
		return n;
	}
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_NULL: return 0;
	default: return 1;
	}
}

int mie_dedup_bookkeeping_field(const char *k, size_t n)
{
#define IS(lit) (n == sizeof lit - 1 && !memcmp(k, lit, n))
	switch (n ? k[0] : 0) {
	case 't': return IS("type");
	case 'i': return IS("id");
	case 'l': return IS("legacy");
	case 'p': return IS("provenance");
	case 'v': return IS("variants");
	case 'm': return IS("merged_from") || IS("merge_layout");
	case 'd': return n > 10 && !memcmp(k, "duplicate_", 10);
	case 's': return IS("schema_version");
	}
	return 0;
#undef IS
}

static unsigned completeness(const json_t *rec)
{
	unsigned n = 0;
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)rec, k, v) if (!mie_dedup_bookkeeping_field(k, strlen(k)))
	        n += count_values(v);
	return n;
}

/* "YYYY-MM-DD[THH:MM:SS...]" as the number YYYYMMDDHHMMSS; 0 when absent. */
static uint64_t date_key(const char *s)
{
	uint64_t v = 0;
	int digits = 0;
	for (; s && *s && digits < 14; s++) {
		if (*s >= '0' && *s <= '9')
			v = v * 10 + (uint64_t)(*s - '0'), digits++;
		else if (*s != '-' && *s != 'T' && *s != ':' && *s != ' ')
			break;
	}
	for (; digits && digits < 14; digits++)
		v *= 10;
	return v;
}

static void fields_from_json(const json_t *rec, mie_dedup_fields *f)
{
	memset(f, 0, sizeof *f);
#define FIELD(var, obj, key)                                                                       \
	do {                                                                                       \
		const json_t *v_ = (obj) ? json_object_get((obj), key) : NULL;                     \
		if (json_is_string(v_))                                                            \
			f->var = json_string_value(v_), f->var##_n = json_string_length(v_);       \
	} while (0)
	FIELD(type, rec, "type");
	FIELD(id, rec, "id");
	FIELD(title, rec, "title");
	FIELD(date, rec, "date_modified");
	const json_t *text = json_object_get(rec, "text"), *legacy = json_object_get(rec, "legacy");
	FIELD(plain, json_is_object(text) ? text : NULL, "plain");
	FIELD(url, json_is_object(legacy) ? legacy : NULL, "url");
#undef FIELD
	f->complete = completeness(rec);
	f->marked = json_object_get(rec, "duplicate_of") ||
	            json_object_get(rec, "duplicate_method") ||
	            json_object_get(rec, "duplicate_score");
}

static uint64_t keyed(uint64_t h, int cls)
{
	return h ? mie_hash(&h, sizeof h, (uint64_t)cls) | 1 : 0;
}

/* Bytes of a block of LSH keys. */
static size_t kblk_size(const mie_dedup *d)
{
	return (size_t)(MIE_DEDUP_SIG / d->rows) * MIE_DEDUP_KBLK * sizeof(uint64_t);
}

/* The full block j to the signature spill, when o.memory cannot hold it
 * with those held; it is then freed. */
static int kblk_done(mie_dedup *d, size_t j)
{
	size_t size = kblk_size(d);
	if ((d->kblk_held + 1) * size <= d->o.memory && !d->sig_spilled) {
		d->kblk_held++;
		return 0;
	}
	if (pwrite(fileno(d->sigf), d->kblk[j], size, (off_t)(j * size)) != (ssize_t)size)
		return mie_dedup_spill_error("write");
	free(d->kblk[j]);
	d->kblk[j] = NULL;
	d->sig_spilled = 1;
	return 0;
}

/* Record r's shingles (nsh > 0) to the shingle spill and its LSH keys to
 * their block. */
static int put_signature(mie_dedup *d, drec *r, const uint32_t *sh, size_t nsh,
                         const uint64_t *keys)
{
	r->sh_off = d->sh_len;
	r->sh_n = (uint32_t)nsh;
	if (fwrite(sh, sizeof *sh, nsh, d->shf) != nsh)
		return mie_dedup_spill_error("write");
	d->sh_len += nsh * sizeof *sh;
	r->sig = (uint32_t)d->nsig++;
	r->has_sig = 1;
	size_t j = r->sig / MIE_DEDUP_KBLK, at = r->sig % MIE_DEDUP_KBLK;
	if (j == d->nkblk) {
		if (d->nkblk == d->kblk_cap) {
			d->kblk_cap = d->kblk_cap ? 2 * d->kblk_cap : 64;
			d->kblk = mie_xrealloc(d->kblk, d->kblk_cap * sizeof *d->kblk);
		}
		d->kblk[d->nkblk++] = mie_xcalloc(1, kblk_size(d));
	}
	int bands = MIE_DEDUP_SIG / d->rows;
	for (int b = 0; b < bands; b++)
		d->kblk[j][(size_t)b * MIE_DEDUP_KBLK + at] = keys[b];
	return at + 1 == MIE_DEDUP_KBLK ? kblk_done(d, j) : 0;
}

/* Near: shingle sets and MinHash signatures are made on a second thread,
 * a batch of records at a time, while pass 1 reads on; a batch's results
 * are put in place (put_signature) in record order, so the spills and
 * signature numbers are what one thread would make.  Two batches: one
 * filled, one computed. */
typedef struct nbatch {
	mie_buf text;       /* the normalized texts, one after the other */
	size_t *off, *len;  /* of each in text */
	uint32_t *rec;      /* its record */
	size_t n, cap;      /* texts */
	uint32_t *sh, *shn; /* results: the shingle sets, their sizes */
	size_t nsh, sh_cap;
	uint64_t *keys; /* n signatures' LSH keys */
	int bands;
	pthread_t t;
	int running, threaded;
} nbatch;

struct mie_dedup_batches {
	nbatch b[2];
	int cur; /* the one being filled */
};

enum { BATCH_TEXTS = 2048, BATCH_BYTES = 4 << 20 };

static void *batch_compute(void *arg)
{
	nbatch *b = arg;
	b->nsh = 0;
	b->keys = mie_xrealloc(b->keys, (b->n + 1) * (size_t)b->bands * sizeof *b->keys);
	uint32_t sig[MIE_DEDUP_SIG];
	for (size_t j = 0; j < b->n; j++) {
		uint32_t *sh;
		size_t n = mie_dedup_shingles_raw(b->text.data + b->off[j], b->len[j], &sh);
		if (b->nsh + n > b->sh_cap) {
			b->sh_cap = 2 * (b->nsh + n);
			b->sh = mie_xrealloc(b->sh, b->sh_cap * sizeof *b->sh);
		}
		if (n) {
			memcpy(b->sh + b->nsh, sh, n * sizeof *sh);
			mie_dedup_minhash(sh, n, sig);
			mie_dedup_band_keys(sig, MIE_DEDUP_SIG / b->bands,
			                    b->keys + j * (size_t)b->bands);
		}
		free(sh);
		b->shn[j] = (uint32_t)n;
		b->nsh += n;
	}
	return NULL;
}

/* Waits for batch b and puts its results in place; b is then empty. */
static int batch_commit(mie_dedup *d, nbatch *b)
{
	if (!b->running)
		return 0;
	b->running = 0;
	if (b->threaded)
		pthread_join(b->t, NULL);
	int rc = 0;
	const uint32_t *sh = b->sh;
	for (size_t j = 0; j < b->n && rc == 0; j++) {
		if (b->shn[j])
			rc = put_signature(d, &d->r[b->rec[j]], sh, b->shn[j],
			                   b->keys + j * (size_t)b->bands);
		sh += b->shn[j];
	}
	b->n = 0;
	mie_buf_reset(&b->text);
	return rc;
}

/* Starts computing the batch being filled; the other, older one is put in
 * place first, and filled next. */
static int batch_launch(mie_dedup *d)
{
	struct mie_dedup_batches *q = d->batches;
	nbatch *b = &q->b[q->cur];
	q->cur ^= 1;
	int rc = batch_commit(d, &q->b[q->cur]);
	if (!b->n)
		return rc;
	b->running = 1;
	b->bands = MIE_DEDUP_SIG / d->rows;
	b->threaded = pthread_create(&b->t, NULL, batch_compute, b) == 0;
	if (!b->threaded)
		batch_compute(b);
	return rc;
}

/* Queues the normalized text of record i for its shingles and signature. */
static int add_signature(mie_dedup *d, uint32_t i, const char *norm, size_t n)
{
	if (!d->batches) {
		d->batches = mie_xcalloc(1, sizeof *d->batches);
		uint32_t one = 1, sig[MIE_DEDUP_SIG];
		mie_dedup_minhash(&one, 1, sig); /* its tables built before threads */
	}
	nbatch *b = &d->batches->b[d->batches->cur];
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 256;
		b->off = mie_xrealloc(b->off, b->cap * sizeof *b->off);
		b->len = mie_xrealloc(b->len, b->cap * sizeof *b->len);
		b->rec = mie_xrealloc(b->rec, b->cap * sizeof *b->rec);
		b->shn = mie_xrealloc(b->shn, b->cap * sizeof *b->shn);
	}
	b->off[b->n] = b->text.len;
	b->len[b->n] = n;
	b->rec[b->n++] = i;
	mie_buf_add(&b->text, norm, n);
	if (b->n >= BATCH_TEXTS || b->text.len >= BATCH_BYTES)
		return batch_launch(d);
	return 0;
}

int mie_dedup_signatures_done(mie_dedup *d)
{
	if (!d->batches)
		return 0;
	int rc = batch_launch(d); /* the last one, after the one before */
	if (batch_commit(d, &d->batches->b[d->batches->cur ^ 1]) < 0)
		return -1;
	if (rc == 0 && d->nsig % MIE_DEDUP_KBLK) /* the last block, not full */
		rc = kblk_done(d, d->nkblk - 1);
	return rc;
}

static void batches_free(struct mie_dedup_batches *q)
{
	for (int k = 0; q && k < 2; k++) {
		nbatch *b = &q->b[k];
		if (b->running && b->threaded)
			pthread_join(b->t, NULL);
		mie_buf_release(&b->text);
		free(b->off), free(b->len), free(b->rec), free(b->sh), free(b->shn), free(b->keys);
	}
	free(q);
}

int mie_dedup_dump_cb(const char *s, size_t n, void *b)
{
	mie_buf_add(b, s, n);
	return 0;
}

static dsink own_sink(mie_dedup *d)
{
	return (dsink){&d->r, &d->n, &d->cap, &d->ids, &d->scratch, d->fbufs};
}

/* The signature of one record whose line is `raw`; src 0 spills it.  With
 * a sink other than the engine's, only identity, exact and name apply
 * (near writes to the engine's files). */
static int add_fields(mie_dedup *d, dsink *k, const mie_dedup_fields *f, const char *raw,
                      size_t rawlen, unsigned src, uint64_t off)
{
	if (*k->n == *k->cap) {
		*k->cap = *k->cap ? 2 * *k->cap : 4096;
		*k->r = mie_xrealloc(*k->r, *k->cap * sizeof **k->r);
	}
	drec *r = &(*k->r)[*k->n];
	memset(r, 0, sizeof *r);
	r->src = (uint16_t)src;
	r->off = src ? off : d->spill_len;
	r->len = (uint32_t)rawlen;
	/* the last tie-break and near's bucket order, while the line is at
	 * hand (the tie-break would read it again) */
	r->tie = mie_hash(raw, rawlen, 7) | 1;
	if (!src) {
		if (fwrite(raw, 1, rawlen, d->spill) != rawlen || putc('\n', d->spill) == EOF)
			return mie_dedup_spill_error("write");
		d->spill_len += rawlen + 1;
	}
	char type[16] = "";
	if (f->type && f->type_n < sizeof type)
		memcpy(type, f->type, f->type_n);
	r->cls = (uint8_t)cls_of(f->type ? type : NULL);
	r->id_off = (uint32_t)k->ids->len;
	if (f->id)
		mie_buf_add(k->ids, f->id, f->id_n);
	mie_buf_addc(k->ids, '\0');
	r->complete = f->complete;
	r->marked = (uint8_t)f->marked;
	if (f->date) {
		char date[40] = "";
		memcpy(date, f->date, f->date_n < sizeof date - 1 ? f->date_n : sizeof date - 1);
		r->date = date_key(date);
	}
	unsigned m = d->o.methods;
	if ((m & MIE_DEDUP_IDENTITY) && r->cls) {
		if (f->id_n)
			r->id_h = keyed(mie_hash(f->id, f->id_n, 1), r->cls);
		mie_buf *b = k->scratch;
		mie_buf_reset(b);
		mie_dedup_url_key(b, f->url, f->url_n);
		if (b->len)
			r->url_h = keyed(mie_hash(b->data, b->len, 2), r->cls);
	}
	if ((m & (MIE_DEDUP_EXACT | MIE_DEDUP_NEAR)) && r->cls == CLS_CONTENT) {
		mie_buf *b = k->scratch;
		mie_buf_reset(b);
		if (f->title)
			mie_text_fold(b, f->title, f->title_n);
		size_t tl = b->len;
		mie_buf_addc(b, ' ');
		if (f->plain)
			mie_text_fold(b, f->plain, f->plain_n);
		if (b->len > tl + 1) { /* no text, no content comparison */
			if (m & MIE_DEDUP_EXACT)
				r->fp_h = keyed(mie_hash(b->data, b->len, 3), r->cls);
			if (m & MIE_DEDUP_NEAR) {
				size_t skip = tl ? 0 : 1;
				if (add_signature(d, (uint32_t)*k->n, b->data + skip,
				                  b->len - skip) < 0)
					return -1;
			}
		}
	}
	if ((m & MIE_DEDUP_NAME) && r->cls >= CLS_ORG && r->cls <= CLS_KEYWORD && f->title) {
		mie_buf *b = k->scratch;
		mie_buf_reset(b);
		mie_dedup_name_key(b, f->title, f->title_n);
		if (b->len) {
			r->key_h = keyed(mie_hash(b->data, b->len, 4), r->cls);
			mie_buf_reset(b);
			mie_dedup_ngram_key(b, f->title, f->title_n, 2);
			r->ngram_h = keyed(mie_hash(b->data, b->len, 5), r->cls);
		}
	}
	(*k->n)++;
	return 0;
}

int mie_dedup_add(mie_dedup *d, const json_t *rec, const char *raw, size_t rawlen)
{
	mie_dedup_fields f;
	fields_from_json(rec, &f);
	mie_buf dump = MIE_BUF_INIT;
	if (!raw) {
		json_dump_callback(rec, mie_dedup_dump_cb, &dump, JSON_COMPACT);
		raw = dump.data;
		rawlen = dump.len;
	}
	dsink k = own_sink(d);
	int rc = add_fields(d, &k, &f, raw, rawlen, 0, 0);
	mie_buf_release(&dump);
	return rc;
}

/* A line that is not a record, reported after the scan. */
typedef struct badline {
	long line;
	char *why;
} badline;

/* One line, taken as the JSON Lines reader takes it: the scanner when it is
 * sure, else the reader's own definition (mie_jsonl_parse), whose verdict
 * and words stand.  Returns 0 (taken), 1 (refused: why set) or -1. */
static int add_line(mie_dedup *d, dsink *k, const char *l, size_t n, unsigned src, uint64_t off,
                    int clean, mie_buf *why)
{
	mie_dedup_fields f;
	if ((clean ? mie_dedup_scan_jsonl_clean(l, n, &f, k->fbufs)
	           : mie_dedup_scan_jsonl(l, n, &f, k->fbufs)) == 0)
		return add_fields(d, k, &f, l, n, src, off);
	json_t *rec;
	if (mie_jsonl_parse(l, n, 0, &rec, why) != MIE_JSONL_OK)
		return 1;
	fields_from_json(rec, &f);
	int rc = add_fields(d, k, &f, l, n, src, off);
	json_decref(rec);
	return rc;
}

/* One part of a file read by one thread. */
typedef struct range {
	mie_dedup *d;
	dsink sink;
	const char *map; /* read-only mapping of the file from offset base */
	uint64_t base;   /* a page boundary */
	const char *path;
	unsigned src;
	uint64_t from, to; /* byte offsets; from is a line start */
	long lines;        /* counted */
	long records;      /* lines not blank */
	badline *bad;
	size_t nbad;
	int rc;
	/* a worker's own storage */
	drec *r;
	size_t n, cap;
	mie_buf ids, scratch, fbufs[6];
	/* the reading phase's progress, ticked by the range scanned on the
	 * thread that owns it (NULL on the other), with the counts before
	 * this file and the share of the file it scans */
	mie_progress *progress;
	long records0;
	int64_t bytes0;
	double share;
} range;

void mie_dedup_release(const char *map, uint64_t *done, uint64_t upto, int force)
{
	const uint64_t page = 4096, step = 16 << 20;
	upto &= ~(page - 1);
	if (upto > *done && (force || upto - *done >= step)) {
		/* pages read are dropped from the process (not from the page
		 * cache): memory stays bounded by the signatures */
		madvise((char *)map + *done, upto - *done, MADV_DONTNEED);
		*done = upto;
	}
}

/* Scans the lines of [from, to) of the mapped file. */
static void *scan_range(void *arg)
{
	range *g = arg;
	uint64_t at = g->from, done = (g->from - g->base) & ~(uint64_t)4095;
	mie_buf why = MIE_BUF_INIT;
	while (at < g->to && g->rc == 0) {
		const char *l = g->map + (at - g->base);
		/* the line's end and whether it holds any control character or
		 * bad UTF-8, in one look: a clean line ends at the first control */
		size_t rest = (size_t)(g->to - at);
		long c = mie_text_check_c0(l, rest, 0, NULL);
		int clean = c < 0 || l[c] == '\n';
		const char *nl = c >= 0 && l[c] == '\n' ? l + c
		                 : clean                ? NULL
		                                        : memchr(l, '\n', rest);
		size_t n = nl ? (size_t)(nl - l) : rest;
		const char *q = l;
		size_t m = n;
		g->lines++;
		/* blank lines and long ones as the JSON Lines reader has them
		 * (mie_records): the file starts with '{', so never a BOM */
		if (mie_jsonl_trim(&q, &m, 0) != 0) {
			g->records++;
			mie_buf_reset(&why);
			if (n > MIE_JSONL_MAX_LINE)
				mie_buf_addf(&why, "line longer than %zu bytes",
				             MIE_JSONL_MAX_LINE);
			else
				g->rc = add_line(g->d, &g->sink, l, n, g->src, at, clean, &why);
			if (n > MIE_JSONL_MAX_LINE || g->rc == 1) {
				g->rc = 0;
				g->bad = mie_xrealloc(g->bad, (g->nbad + 1) * sizeof *g->bad);
				g->bad[g->nbad++] = (badline){g->lines, mie_xstrdup(why.data)};
			}
		}
		at += n + (nl != NULL);
		mie_dedup_release(g->map, &done, at - g->base, 0);
		if (g->progress && (g->lines & 1023) == 0)
			mie_progress_tick(g->progress,
			                  g->records0 + (long)((double)g->records / g->share),
			                  g->bytes0 + (int64_t)((double)(at - g->from) / g->share));
	}
	mie_buf_release(&why);
	mie_dedup_release(g->map, &done, at - g->base, 1);
	return NULL;
}

static void report_bad(range *g, long line0)
{
	for (size_t i = 0; i < g->nbad; i++) {
		mie_loc loc = {g->path, NULL, line0 + g->bad[i].line};
		mie_error_at(&loc, "%s", g->bad[i].why);
		free(g->bad[i].why);
	}
	free(g->bad);
}

/* Files from this size are read by two threads when near is off. */
#define SPLIT_SIZE (32 << 20)

/* A range scanned into its own storage: its signatures follow the
 * engine's, and its storage is freed. */
static void range_merge(mie_dedup *d, range *b)
{
	if (b->n) {
		if (d->n + b->n > d->cap) {
			d->cap = d->n + b->n;
			d->r = mie_xrealloc(d->r, d->cap * sizeof *d->r);
		}
		uint32_t shift = (uint32_t)d->ids.len;
		for (size_t k = 0; k < b->n; k++)
			b->r[k].id_off += shift;
		memcpy(d->r + d->n, b->r, b->n * sizeof *b->r);
		d->n += b->n;
		mie_buf_add(&d->ids, b->ids.data, b->ids.len);
	}
	free(b->r);
	b->r = NULL;
	b->n = b->cap = 0;
	mie_buf_release(&b->ids);
	mie_buf_release(&b->scratch);
	for (int k = 0; k < 6; k++)
		mie_buf_release(&b->fbufs[k]);
}

/* Pass 1 over the JSON Lines file open on fd (closed by the engine, or
 * here when not taken); `name` names it in messages.  With `head` (n
 * bytes), the file is taken only when it starts with them (the input's
 * first bytes, decompressed: a compressed file does not). */
static int add_fd(mie_dedup *d, int fd, const char *name, const unsigned char *head, size_t headn,
                  long *records, long *bad)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || d->nsources >= 65000 ||
	    (uint64_t)st.st_size < headn) {
		close(fd);
		return 1;
	}
	uint64_t size = (uint64_t)st.st_size, mid = size;
	const char *map = size ? mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0) : NULL;
	if (map == MAP_FAILED || (headn && memcmp(map, head, headn) != 0)) {
		if (map != MAP_FAILED && map)
			munmap((void *)map, size);
		close(fd);
		return 1;
	}
	madvise((void *)map, size, MADV_SEQUENTIAL);
	/* tables built at first use (ours, the entity index), before threads */
	mie_text_fold(&d->scratch, "&eacute;", 8);
	d->sources = mie_xrealloc(d->sources, (d->nsources + 1) * sizeof *d->sources);
	d->sources[d->nsources++] = (dsource){mie_xstrdup(name), fd, map, size, 0};
	unsigned src = (unsigned)d->nsources;
	if (size >= SPLIT_SIZE && !(d->o.methods & MIE_DEDUP_NEAR)) {
		/* the second part starts after the first LF from the middle */
		const char *nl = memchr(map + size / 2, '\n', size - size / 2);
		mid = nl ? (uint64_t)(nl - map) + 1 : size;
	}
	/* a first line's BOM is not part of its record (mie_jsonl_parse) */
	uint64_t from = size >= 3 && memcmp(map, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	range a = {.d = d,
	           .sink = own_sink(d),
	           .map = map,
	           .path = d->sources[src - 1].path,
	           .src = src,
	           .from = from,
	           .to = mid,
	           .progress = mie_progress_reading(),
	           .share = mid > from ? (double)(mid - from) / (double)(size - from) : 1};
	if (a.progress) {
		a.records0 = a.progress->records;
		a.bytes0 = a.progress->bytes;
	}
	range b = {.d = d, .map = map, .path = a.path, .src = src, .from = mid, .to = size};
	b.sink = (dsink){&b.r, &b.n, &b.cap, &b.ids, &b.scratch, b.fbufs};
	pthread_t t;
	int threaded = mid < size && pthread_create(&t, NULL, scan_range, &b) == 0;
	scan_range(&a);
	if (threaded)
		pthread_join(t, NULL);
	else if (mid < size)
		scan_range(&b);
	*records += a.records + b.records;
	*bad += (long)(a.nbad + b.nbad);
	report_bad(&a, 0);
	report_bad(&b, a.lines);
	range_merge(d, &b);
	if (a.rc < 0 || b.rc < 0) {
		mie_fatal("%s: %s", name, strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

/* A stream being copied: each chunk of whole lines copied is scanned by a
 * thread while the next ones are copied; two at a time, each into its own
 * storage, merged in input order (one, into the engine's, when near is on:
 * its spill files are the engine's). */
typedef struct chunk {
	range g;
	char *map; /* its mapping */
	size_t maplen;
	pthread_t t;
	int running, threaded;
} chunk;

typedef struct copy {
	mie_dedup *d;
	int fd;
	unsigned src;
	const char *name;
	chunk slot[2];
	int next;   /* slot of the next chunk */
	int slots;  /* 2, or 1 with near */
	long lines; /* in the chunks merged */
	long *records, *bad;
	int rc;
} copy;

/* Waits for the chunk in slot k, merges it and says its refused lines. */
static void chunk_done(copy *c, int k)
{
	chunk *h = &c->slot[k];
	if (!h->running)
		return;
	h->running = 0;
	if (h->threaded)
		pthread_join(h->t, NULL);
	*c->records += h->g.records;
	*c->bad += (long)h->g.nbad;
	report_bad(&h->g, c->lines);
	c->lines += h->g.lines;
	if (h->g.rc < 0)
		c->rc = -1;
	if (c->slots == 2)
		range_merge(c->d, &h->g);
	munmap(h->map, h->maplen);
}

/* Scans [from, to) of the copy (whole lines) by a thread, once the chunk
 * that had its slot is merged. */
static int chunk_start(copy *c, uint64_t from, uint64_t to)
{
	int k = c->next;
	c->next = (k + 1) % c->slots;
	chunk_done(c, k);
	if (c->rc < 0)
		return -1;
	chunk *h = &c->slot[k];
	uint64_t base = from & ~(uint64_t)4095;
	h->maplen = (size_t)(to - base);
	h->map = mmap(NULL, h->maplen, PROT_READ, MAP_SHARED, c->fd, (off_t)base);
	if (h->map == MAP_FAILED)
		return c->rc = mie_dedup_spill_error("map");
	h->g = (range){.d = c->d,
	               .map = h->map,
	               .base = base,
	               .path = c->name,
	               .src = c->src,
	               .from = from,
	               .to = to};
	h->g.sink = c->slots == 1 ? own_sink(c->d) : (dsink){&h->g.r,   &h->g.n,       &h->g.cap,
	                                                     &h->g.ids, &h->g.scratch, h->g.fbufs};
	h->threaded = pthread_create(&h->t, NULL, scan_range, &h->g) == 0;
	if (!h->threaded)
		scan_range(&h->g);
	h->running = 1;
	return 0;
}

/* Every chunk merged, in order. */
static int chunks_done(copy *c)
{
	for (int i = 0; i < c->slots; i++)
		chunk_done(c, (c->next + i) % c->slots);
	return c->rc;
}

/* The chunks a copy is scanned in (whole lines), about this size. */
#define CHUNK_SIZE ((uint64_t)8 << 20)

/* Pass 1 over a stream that is not a plain file: its bytes as they come
 * into a temporary file, read as a file is (add_fd), so that a pipe is
 * taken as the same bytes in a file are; the copy and the scan overlap. */
static int add_stream(mie_dedup *d, mie_input *in, long *records, long *bad)
{
	FILE *tmp = mie_tmpfile();
	if (!tmp)
		return -1;
	int fd = dup(fileno(tmp));
	fclose(tmp);
	if (fd < 0)
		return mie_dedup_spill_error("dup");
	mie_text_fold(&d->scratch, "&eacute;", 8); /* tables built before threads */
	d->sources = mie_xrealloc(d->sources, (d->nsources + 1) * sizeof *d->sources);
	d->sources[d->nsources++] = (dsource){mie_xstrdup(mie_input_name(in)), fd, NULL, 0, 0};
	copy c = {.d = d,
	          .fd = fd,
	          .src = (unsigned)d->nsources,
	          .name = d->sources[d->nsources - 1].path,
	          .slots = d->o.methods & MIE_DEDUP_NEAR ? 1 : 2,
	          .records = records,
	          .bad = bad};
	/* mie_input_read, not _next: lines are counted, so that a stream cut
	 * short is said at its line */
	enum { BLOCK = 1 << 18 };
	unsigned char *buf = mie_xmalloc(BLOCK);
	uint64_t size = 0, lines_end = 0, from = 0; /* lines_end: after the last LF */
	ssize_t n;
	int rc = 0;
	while (rc == 0 && (n = mie_input_read(in, buf, BLOCK)) > 0) {
		if (size == 0 && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
			from = 3; /* a first line's BOM is not part of its record */
		const unsigned char *lf = memrchr(buf, '\n', (size_t)n);
		if (lf)
			lines_end = size + (uint64_t)(lf - buf) + 1;
		for (ssize_t w, k = 0; rc == 0 && k < n; k += w)
			if ((w = write(fd, buf + k, (size_t)(n - k))) < 0)
				rc = mie_dedup_spill_error("write");
		size += (uint64_t)n;
		if (rc == 0 && lines_end - from >= CHUNK_SIZE) {
			rc = chunk_start(&c, from, lines_end);
			from = lines_end;
		}
	}
	free(buf);
	/* cut short (said by mie_input): the complete lines only */
	uint64_t end = mie_input_failed(in) ? lines_end : size;
	if (rc == 0 && end < size && ftruncate(fd, (off_t)end) != 0)
		rc = mie_dedup_spill_error("truncate");
	if (rc == 0 && end > from)
		rc = chunk_start(&c, from, end);
	if (chunks_done(&c) < 0)
		rc = -1;
	/* pass 3 re-reads it whole */
	dsource *s = &d->sources[c.src - 1];
	s->size = end;
	if (rc == 0 && end) {
		s->map = mmap(NULL, end, PROT_READ, MAP_SHARED, fd, 0);
		if (s->map == MAP_FAILED) {
			s->map = NULL;
			rc = mie_dedup_spill_error("map");
		}
	}
	return rc;
}

int mie_dedup_add_input(mie_dedup *d, const char *path, mie_input *in, long *records, long *bad)
{
	size_t headn = 4096;
	const unsigned char *head = mie_input_peek(in, &headn);
	int fd = strcmp(path, "-") != 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		int rc = add_fd(d, fd, mie_input_name(in), head, headn, records, bad);
		if (rc != 1)
			return rc;
	}
	return add_stream(d, in, records, bad);
}
