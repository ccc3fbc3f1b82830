/* mie_dedup.c — the three-pass engine: spill and signatures, clustering,
 * writing.  See mie_dedup.h for the contract. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mie_dedup.h"
#include "mie_dedup_impl.h"
#include "mie_record.h"

/* Near: at most this many following members of one LSH bucket are compared
 * with each member (a bound on work for buckets of shared boilerplate). */
#define NEAR_WINDOW 64

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

static FILE *spill_open(void)
{
	const char *dir = getenv("TMPDIR");
	mie_buf p = MIE_BUF_INIT;
	mie_buf_addf(&p, "%s/mie-dedup.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(p.data);
	FILE *f = NULL;
	if (fd < 0)
		mie_fatal("%s: cannot create spill file: %s", p.data, strerror(errno));
	else if (unlink(p.data), !(f = fdopen(fd, "w+")))
		close(fd);
	mie_buf_release(&p);
	return f;
}

mie_dedup *mie_dedup_new(const mie_dedup_opts *opts)
{
	mie_dedup *d = mie_xcalloc(1, sizeof *d);
	d->o = *opts;
	d->rows = mie_dedup_rows_for(opts->threshold);
	mie_buf_init(&d->ids);
	mie_buf_init(&d->scratch);
	if (!(d->spill = spill_open()) || !(d->shf = spill_open()) || !(d->sigf = spill_open())) {
		mie_dedup_free(d);
		return NULL;
	}
	return d;
}

void mie_dedup_free(mie_dedup *d)
{
	if (!d)
		return;
	if (d->spill)
		fclose(d->spill);
	if (d->shf)
		fclose(d->shf);
	if (d->sigf)
		fclose(d->sigf);
	free(d->r);
	free(d->sigs);
	free(d->order);
	free(d->first);
	free(d->sa);
	free(d->sb);
	for (size_t i = 0; i < d->nsources; i++) {
		if (d->sources[i].fp)
			fclose(d->sources[i].fp);
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

static int spill_error(const char *what)
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
	case 'm': return IS("merged_from");
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
	return h ? mie_dedup_hash(&h, sizeof h, (uint64_t)cls) | 1 : 0;
}

static int add_signature(mie_dedup *d, drec *r, const char *norm, size_t n)
{
	uint32_t *sh;
	size_t nsh = mie_dedup_shingles(norm, n, &sh);
	if (!nsh)
		return 0;
	r->sh_off = d->sh_len;
	r->sh_n = (uint32_t)nsh;
	if (fwrite(sh, sizeof *sh, nsh, d->shf) != nsh)
		return free(sh), spill_error("write");
	d->sh_len += nsh * sizeof *sh;
	uint32_t sig[MIE_DEDUP_SIG];
	mie_dedup_minhash(sh, nsh, sig);
	free(sh);
	r->sig = (uint32_t)d->nsig++;
	r->has_sig = 1;
	if (!d->sig_spilled && d->nsig * sizeof sig > d->o.memory) {
		/* over budget: what is held goes to disk, and all that follows */
		size_t held = d->nsig - 1;
		if (fwrite(d->sigs, sizeof sig, held, d->sigf) != held)
			return spill_error("write");
		free(d->sigs);
		d->sigs = NULL;
		d->sig_spilled = 1;
	}
	if (d->sig_spilled) {
		if (fwrite(sig, sizeof sig, 1, d->sigf) != 1)
			return spill_error("write");
		return 0;
	}
	if (d->nsig > d->sig_cap) {
		d->sig_cap = d->sig_cap ? 2 * d->sig_cap : 1024;
		d->sigs = mie_xrealloc(d->sigs, d->sig_cap * sizeof sig);
	}
	memcpy(d->sigs + (size_t)r->sig * MIE_DEDUP_SIG, sig, sizeof sig);
	return 0;
}

static int dump_cb(const char *s, size_t n, void *b)
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
	if (!src) {
		if (fwrite(raw, 1, rawlen, d->spill) != rawlen || putc('\n', d->spill) == EOF)
			return spill_error("write");
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
			r->id_h = keyed(mie_dedup_hash(f->id, f->id_n, 1), r->cls);
		if (f->url_n)
			r->url_h = keyed(mie_dedup_hash(f->url, f->url_n, 2), r->cls);
	}
	if ((m & (MIE_DEDUP_EXACT | MIE_DEDUP_NEAR)) && r->cls == CLS_CONTENT) {
		mie_buf *b = k->scratch;
		mie_buf_reset(b);
		if (f->title)
			mie_dedup_normalize(b, f->title, f->title_n);
		size_t tl = b->len;
		mie_buf_addc(b, ' ');
		if (f->plain)
			mie_dedup_normalize(b, f->plain, f->plain_n);
		if (b->len > tl + 1) { /* no text, no content comparison */
			if (m & MIE_DEDUP_EXACT)
				r->fp_h = keyed(mie_dedup_hash(b->data, b->len, 3), r->cls);
			if (m & MIE_DEDUP_NEAR) {
				size_t skip = tl ? 0 : 1;
				r->tie = mie_dedup_hash(raw, rawlen, 7) | 1; /* bucket order */
				if (add_signature(d, r, b->data + skip, b->len - skip) < 0)
					return -1;
			}
		}
	}
	if ((m & MIE_DEDUP_NAME) && r->cls >= CLS_ORG && r->cls <= CLS_KEYWORD && f->title) {
		mie_buf *b = k->scratch;
		mie_buf_reset(b);
		mie_dedup_name_key(b, f->title, f->title_n);
		if (b->len) {
			r->key_h = keyed(mie_dedup_hash(b->data, b->len, 4), r->cls);
			mie_buf_reset(b);
			mie_dedup_ngram_key(b, f->title, f->title_n, 2);
			r->ngram_h = keyed(mie_dedup_hash(b->data, b->len, 5), r->cls);
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
		json_dump_callback(rec, dump_cb, &dump, JSON_COMPACT);
		raw = dump.data;
		rawlen = dump.len;
	}
	dsink k = own_sink(d);
	int rc = add_fields(d, &k, &f, raw, rawlen, 0, 0);
	mie_buf_release(&dump);
	return rc;
}

/* A line that is not a JSON object, reported now or (worker) later. */
typedef struct badline {
	long line;
	char *why;
} badline;

/* A line the scanner refused, read by the JSON Lines reader: the record
 * (*rec, new reference) when the reader takes it after all, else why not,
 * in the words of every other path (malloc'd). */
static char *read_slow(const char *l, size_t n, json_t **rec)
{
	mie_input *in = mie_input_open_memory(l, n, "-");
	mie_reader *r = mie_reader_open(in);
	mie_loc loc;
	*rec = NULL;
	int st = mie_reader_next(r, rec, &loc);
	char *why = st == MIE_READ_OK ? NULL : mie_xstrdup(mie_reader_error(r));
	mie_reader_free(r);
	mie_input_free(in);
	return why;
}

/* One part of a file read by one thread. */
typedef struct range {
	mie_dedup *d;
	dsink sink;
	int fd;
	const char *path;
	unsigned src;
	uint64_t from, to; /* byte offsets; from is a line start */
	long lines;        /* counted */
	badline *bad;
	size_t nbad;
	int rc;
	/* a worker's own storage */
	drec *r;
	size_t n, cap;
	mie_buf ids, scratch, fbufs[6];
} range;

/* Scans the lines of [from, to) with pread, in blocks. */
static void *scan_range(void *arg)
{
	range *g = arg;
	size_t cap = 1 << 20, have = 0;
	char *buf = mie_xmalloc(cap);
	uint64_t base = g->from, pos = g->from; /* file offsets of buf[0], of the next read */
	for (int eof = 0; !eof && g->rc == 0;) {
		size_t want = cap - have;
		if (want > g->to - pos)
			want = (size_t)(g->to - pos);
		ssize_t got = want ? pread(g->fd, buf + have, want, (off_t)pos) : 0;
		if (got < 0) {
			g->rc = -1;
			break;
		}
		have += (size_t)got;
		pos += (uint64_t)got;
		eof = pos >= g->to || got == 0;
		size_t start = 0;
		for (;;) {
			char *nl = memchr(buf + start, '\n', have - start);
			if (!nl && (!eof || start == have))
				break;
			size_t end = nl ? (size_t)(nl - buf) : have, n = end - start;
			const char *l = buf + start;
			size_t k = 0;
			while (k < n && (l[k] == ' ' || l[k] == '\t' || l[k] == '\r'))
				k++;
			g->lines++;
			if (k < n) {
				mie_dedup_fields f;
				if (mie_dedup_scan_jsonl(l, n, &f, g->sink.fbufs) == 0) {
					g->rc = add_fields(g->d, &g->sink, &f, l, n, g->src,
					                   base + start);
				} else {
					json_t *rec;
					char *why = read_slow(l, n, &rec);
					if (rec) {
						fields_from_json(rec, &f);
						g->rc = add_fields(g->d, &g->sink, &f, l, n, g->src,
						                   base + start);
						json_decref(rec);
					} else {
						g->bad = mie_xrealloc(
						        g->bad, (g->nbad + 1) * sizeof *g->bad);
						g->bad[g->nbad++] = (badline){g->lines, why};
					}
				}
			}
			start = nl ? end + 1 : have;
			if (g->rc < 0)
				break;
		}
		memmove(buf, buf + start, have - start);
		base += start;
		have -= start;
		if (have == cap)
			buf = mie_xrealloc(buf, cap *= 2);
	}
	free(buf);
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

int mie_dedup_add_file(mie_dedup *d, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || d->nsources >= 65000) {
		if (fd >= 0)
			close(fd);
		return 1;
	}
	/* JSON Lines only: XML, compressed... go through mie_input */
	char head[4096];
	ssize_t got = pread(fd, head, sizeof head, 0), i = 0;
	while (i < got && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
		i++;
	if (got < 0 || (i < got && head[i] != '{') || (i == got && got == (ssize_t)sizeof head)) {
		close(fd);
		return 1;
	}
	/* tables built at first use (ours, the entity index), before threads */
	mie_dedup_normalize(&d->scratch, "&eacute;", 8);
	d->sources = mie_xrealloc(d->sources, (d->nsources + 1) * sizeof *d->sources);
	d->sources[d->nsources++] = (dsource){mie_xstrdup(path), fd, NULL, 0};
	unsigned src = (unsigned)d->nsources;
	uint64_t size = (uint64_t)st.st_size, mid = size;
	if (size >= SPLIT_SIZE && !(d->o.methods & MIE_DEDUP_NEAR)) {
		/* the second part starts after the first LF from the middle */
		mid = size / 2;
		char c[4096];
		for (;;) {
			ssize_t k = pread(fd, c, sizeof c, (off_t)mid);
			if (k <= 0) {
				mid = size;
				break;
			}
			char *nl = memchr(c, '\n', (size_t)k);
			if (nl) {
				mid += (uint64_t)(nl - c) + 1;
				break;
			}
			mid += (uint64_t)k;
		}
	}
	range a = {.d = d,
	           .sink = own_sink(d),
	           .fd = fd,
	           .path = path,
	           .src = src,
	           .from = 0,
	           .to = mid};
	range b = {.d = d, .fd = fd, .path = path, .src = src, .from = mid, .to = size};
	b.sink = (dsink){&b.r, &b.n, &b.cap, &b.ids, &b.scratch, b.fbufs};
	pthread_t t;
	int threaded = mid < size && pthread_create(&t, NULL, scan_range, &b) == 0;
	scan_range(&a);
	if (threaded)
		pthread_join(t, NULL);
	else if (mid < size)
		scan_range(&b);
	report_bad(&a, 0);
	report_bad(&b, a.lines);
	/* the second part's signatures follow the first's */
	if (b.n) {
		if (d->n + b.n > d->cap) {
			d->cap = d->n + b.n;
			d->r = mie_xrealloc(d->r, d->cap * sizeof *d->r);
		}
		uint32_t shift = (uint32_t)d->ids.len;
		for (size_t k = 0; k < b.n; k++)
			b.r[k].id_off += shift;
		memcpy(d->r + d->n, b.r, b.n * sizeof *b.r);
		d->n += b.n;
		mie_buf_add(&d->ids, b.ids.data, b.ids.len);
	}
	free(b.r);
	mie_buf_release(&b.ids);
	mie_buf_release(&b.scratch);
	for (int k = 0; k < 6; k++)
		mie_buf_release(&b.fbufs[k]);
	if (a.rc < 0 || b.rc < 0) {
		mie_fatal("%s: %s", path, strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

/* ---- pass 2 ---- */

static uint32_t find(drec *r, uint32_t i)
{
	while (r[i].parent != i) {
		r[i].parent = r[r[i].parent].parent;
		i = r[i].parent;
	}
	return i;
}

static void unite(drec *r, uint32_t a, uint32_t b)
{
	a = find(r, a), b = find(r, b);
	if (a == b)
		return;
	if (a < b)
		r[b].parent = a;
	else
		r[a].parent = b;
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

/* Unites the records with equal non-zero keys at byte offset `field`
 * (open addressing: one pass, no sort). */
static void group_by(mie_dedup *d, size_t field)
{
	size_t keys = 0, size = 1024;
	for (uint32_t i = 0; i < d->n; i++) {
		uint64_t k;
		memcpy(&k, (const char *)&d->r[i] + field, sizeof k);
		keys += k != 0;
	}
	if (keys < 2)
		return;
	while (size < 2 * keys)
		size <<= 1;
	struct slot {
		uint64_t k;
		uint32_t i;
	} *t = mie_xcalloc(size, sizeof *t);
	for (uint32_t i = 0; i < d->n; i++) {
		uint64_t k;
		memcpy(&k, (const char *)&d->r[i] + field, sizeof k);
		if (!k)
			continue;
		size_t h = (size_t)(k ^ (k >> 29)) & (size - 1);
		while (t[h].k && t[h].k != k)
			h = (h + 1) & (size - 1);
		if (t[h].k)
			unite(d->r, t[h].i, i);
		else
			t[h] = (struct slot){k, i};
	}
	free(t);
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
		return spill_error("read");
	return (int)r->sh_n;
}

double mie_dedup_pair_jaccard(mie_dedup *d, uint32_t a, uint32_t b)
{
	int na = mie_dedup_load_shingles(d, a, &d->sa, &d->sa_cap);
	int nb = mie_dedup_load_shingles(d, b, &d->sb, &d->sb_cap);
	if (na < 0 || nb < 0)
		return -1;
	d->st.candidates++;
	return mie_dedup_jaccard(d->sa, (size_t)na, d->sb, (size_t)nb);
}

static int near(mie_dedup *d, kpair *buf)
{
	int rows = d->rows, bands = MIE_DEDUP_SIG / rows;
	uint32_t chunk[256 * MIE_DEDUP_SIG];
	for (int band = 0; band < bands; band++) {
		size_t n = 0, next_sig = 0, have = 0, base = 0;
		if (d->sig_spilled && fseeko(d->sigf, 0, SEEK_SET) != 0)
			return spill_error("seek");
		for (uint32_t i = 0; i < d->n; i++) {
			if (!d->r[i].has_sig)
				continue;
			const uint32_t *sig;
			if (!d->sig_spilled) {
				sig = d->sigs + (size_t)d->r[i].sig * MIE_DEDUP_SIG;
			} else {
				if (next_sig >= base + have) {
					base += have;
					have = fread(chunk, sizeof(uint32_t) * MIE_DEDUP_SIG, 256,
					             d->sigf);
					if (!have)
						return spill_error("read");
				}
				sig = chunk + (next_sig - base) * MIE_DEDUP_SIG;
			}
			next_sig++;
			uint64_t k = mie_dedup_hash(sig + band * rows, sizeof *sig * (size_t)rows,
			                            (uint64_t)band);
			buf[n++] = (kpair){k, d->r[i].tie, i};
		}
		qsort(buf, n, sizeof *buf, cmp_kpair);
		for (size_t s = 0; s < n;) {
			size_t e = s + 1;
			while (e < n && buf[e].k == buf[s].k)
				e++;
			for (size_t x = s; x + 1 < e; x++)
				for (size_t y = x + 1; y < e && y <= x + NEAR_WINDOW; y++) {
					if (find(d->r, buf[x].i) == find(d->r, buf[y].i))
						continue;
					double j = mie_dedup_pair_jaccard(d, buf[x].i, buf[y].i);
					if (j < 0)
						return -1;
					if (j >= d->o.threshold)
						unite(d->r, buf[x].i, buf[y].i);
				}
			s = e;
		}
	}
	return 0;
}

const char *mie_dedup_id(const mie_dedup *d, uint32_t i)
{
	return d->ids.data + d->r[i].id_off;
}

/* The hash of record i's bytes, computed when first needed (0: not yet). */
static uint64_t tie_of(const mie_dedup *d, uint32_t i)
{
	drec *r = &d->r[i];
	if (!r->tie) {
		char *buf = mie_xmalloc(r->len + 1);
		int fd = r->src ? d->sources[r->src - 1].fd : fileno(d->spill);
		ssize_t got = pread(fd, buf, r->len, (off_t)r->off);
		r->tie = mie_dedup_hash(buf, got > 0 ? (size_t)got : 0, 7) | 1;
		free(buf);
	}
	return r->tie;
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
	uint64_t tx = tie_of(d, a), ty = tie_of(d, b);
	if (tx != ty)
		return tx < ty ? -1 : 1;
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

int mie_dedup_cluster(mie_dedup *d)
{
	if (fflush(d->spill) != 0 || fflush(d->shf) != 0 || fflush(d->sigf) != 0)
		return spill_error("write");
	d->st.records = (long)d->n;
	for (uint32_t i = 0; i < d->n; i++)
		d->r[i].parent = i;
	group_by(d, offsetof(drec, id_h));
	group_by(d, offsetof(drec, url_h));
	group_by(d, offsetof(drec, fp_h));
	group_by(d, offsetof(drec, key_h));
	group_by(d, offsetof(drec, ngram_h));
	int rc = 0;
	if (d->nsig) {
		kpair *buf = mie_xmalloc((d->nsig + 1) * sizeof *buf);
		rc = near(d, buf);
		free(buf);
	}
	if (rc < 0)
		return -1;
	uint32_t *best = mie_xmalloc((d->n + 1) * sizeof *best);
	for (uint32_t i = 0; i < d->n; i++)
		best[i] = UINT32_MAX;
	for (uint32_t i = 0; i < d->n; i++) {
		uint32_t root = find(d->r, i);
		if (best[root] == UINT32_MAX || mie_dedup_rank_cmp(d, i, best[root]) < 0)
			best[root] = i;
	}
	for (uint32_t i = 0; i < d->n; i++) {
		drec *r = &d->r[i];
		r->canon = best[find(d->r, i)];
		r->dup = r->canon != i;
	}
	for (uint32_t i = 0; i < d->n; i++)
		if (d->r[i].dup) {
			d->r[d->r[i].canon].head = 1;
			if (relate(d, i, d->r[i].canon) < 0)
				return free(best), -1;
			d->st.duplicates++;
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

/* ---- pass 3 ---- */

json_t *mie_dedup_read(mie_dedup *d, uint32_t i)
{
	const drec *r = &d->r[i];
	mie_buf_reset(&d->scratch);
	mie_buf_grow(&d->scratch, r->len);
	int fd = r->src ? d->sources[r->src - 1].fd : fileno(d->spill);
	if (pread(fd, d->scratch.data, r->len, (off_t)r->off) != (ssize_t)r->len) {
		spill_error("read");
		return NULL;
	}
	json_error_t err;
	json_t *rec = json_loadb(d->scratch.data, r->len, 0, &err);
	if (!rec)
		mie_fatal("spill file: record %u: %s", i, err.text);
	return rec;
}

static void drop_marks(json_t *rec)
{
	json_object_del(rec, "duplicate_of");
	json_object_del(rec, "duplicate_method");
	json_object_del(rec, "duplicate_score");
}

double mie_dedup_round(double x)
{
	return round(x * 1000) / 1000;
}

static void mark(mie_dedup *d, json_t *rec, uint32_t i)
{
	const drec *r = &d->r[i];
	drop_marks(rec);
	json_object_set_new(rec, "duplicate_of", json_string(mie_dedup_id(d, r->canon)));
	json_object_set_new(rec, "duplicate_method", json_string(mie_dedup_method_name(r->method)));
	json_object_set_new(rec, "duplicate_score", json_real(mie_dedup_round(r->score)));
}

static int emit(mie_dedup *d, mie_writer *w, FILE *fp, json_t *rec, const char *raw, size_t n)
{
	if (w) {
		json_error_t err;
		json_t *own = rec ? NULL : json_loadb(raw, n, 0, &err);
		int rc = mie_writer_put(w, rec ? rec : own, NULL);
		json_decref(own);
		if (rc == MIE_WRITE_BAD)
			mie_error_at(NULL, "a record cannot be written in this form");
		return rc == MIE_WRITE_IO ? MIE_WRITE_IO : 0;
	}
	if (rec) {
		if (json_dumpf(rec, fp, JSON_COMPACT | JSON_REAL_PRECISION(15)) != 0)
			return MIE_WRITE_IO;
	} else if (fwrite(raw, 1, n, fp) != n) {
		return MIE_WRITE_IO;
	}
	return putc('\n', fp) == EOF ? MIE_WRITE_IO : 0;
}

/* The line of record i, read in input order: from the spill file, or from
 * its source file (one sequential stream each). */
static const char *next_line(mie_dedup *d, uint32_t i, char **line, size_t *cap)
{
	const drec *r = &d->r[i];
	if (!r->src) {
		ssize_t got = getline(line, cap, d->spill);
		return got == (ssize_t)r->len + 1 ? *line : NULL;
	}
	dsource *s = &d->sources[r->src - 1];
	if (!s->fp) {
		int fd = dup(s->fd);
		if (fd < 0 || !(s->fp = fdopen(fd, "r")))
			return NULL;
		setvbuf(s->fp, NULL, _IOFBF, 1 << 20);
		s->pos = UINT64_MAX; /* the shared offset is where pass 1 left it */
	}
	if (s->pos != r->off && fseeko(s->fp, (off_t)r->off, SEEK_SET) != 0)
		return NULL;
	if (*cap < (size_t)r->len + 2)
		*line = mie_xrealloc(*line, *cap = (size_t)r->len + 2);
	/* the line and its LF, if any: the next line usually starts there */
	size_t got = fread(*line, 1, (size_t)r->len + 1, s->fp);
	if (got < r->len)
		return NULL;
	s->pos = r->off + got;
	return *line;
}

/* Mark by appending the three members to the line's closing brace, when the
 * line is a compact object without marks (what jansson would write). */
static int mark_text(mie_dedup *d, FILE *fp, const char *line, size_t n, uint32_t i)
{
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\r' || line[n - 1] == '\t'))
		n--;
	const drec *r = &d->r[i];
	if (n < 2 || line[n - 1] != '}' || r->marked)
		return 1;
	size_t k = n - 1;
	while (k > 0 && (line[k - 1] == ' ' || line[k - 1] == '\t' || line[k - 1] == '\r'))
		k--;
	mie_buf *b = &d->scratch;
	mie_buf_reset(b);
	mie_buf_add(b, line, n - 1);
	mie_buf_adds(b, k > 0 && line[k - 1] == '{' ? "\"duplicate_of\":" : ",\"duplicate_of\":");
	/* the values as jansson writes them (JSON_COMPACT, JSON_REAL_PRECISION(15)) */
	const char *id = mie_dedup_id(d, r->canon);
	int plain = 1;
	for (const unsigned char *c = (const unsigned char *)id; *c && plain; c++)
		plain = *c >= 0x20 && *c != '"' && *c != '\\' && *c != 0x7F;
	if (!plain) {
		json_t *v = json_string(id);
		json_dump_callback(v, dump_cb, b, JSON_ENCODE_ANY);
		json_decref(v);
	} else {
		mie_buf_addc(b, '"');
		mie_buf_adds(b, id);
		mie_buf_addc(b, '"');
	}
	mie_buf_addf(b, ",\"duplicate_method\":\"%s\",\"duplicate_score\":",
	             mie_dedup_method_name(r->method));
	json_t *score = json_real(mie_dedup_round(r->score));
	json_dump_callback(score, dump_cb, b, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	json_decref(score);
	mie_buf_adds(b, "}\n");
	return fwrite(b->data, 1, b->len, fp) == b->len ? 0 : MIE_WRITE_IO;
}

/* A run of unchanged lines that follow one another in one source file,
 * copied in blocks (JSON Lines output). */
typedef struct run {
	unsigned src;
	uint64_t start, end; /* end: after the last line, before its LF */
} run;

static int flush_run(mie_dedup *d, run *u, FILE *fp)
{
	if (!u->src)
		return 0;
	int fd = d->sources[u->src - 1].fd;
	size_t cap = 1 << 20;
	char *buf = mie_xmalloc(cap);
	int rc = 0;
	for (uint64_t at = u->start; at < u->end && rc == 0;) {
		size_t want = u->end - at < cap ? (size_t)(u->end - at) : cap;
		ssize_t got = pread(fd, buf, want, (off_t)at);
		if (got <= 0)
			rc = spill_error("read");
		else if (fwrite(buf, 1, (size_t)got, fp) != (size_t)got)
			rc = MIE_WRITE_IO;
		else
			at += (uint64_t)got;
	}
	free(buf);
	u->src = 0;
	return rc ? rc : putc('\n', fp) == EOF ? MIE_WRITE_IO : 0;
}

int mie_dedup_write(mie_dedup *d, mie_writer *w, FILE *fp)
{
	if (fseeko(d->spill, 0, SEEK_SET) != 0)
		return spill_error("seek");
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;
	run u = {0, 0, 0};
	for (uint32_t i = 0; i < d->n && rc == 0; i++) {
		const drec *r = &d->r[i];
		if (r->dup && d->o.mode != MIE_DEDUP_MARK && r->src)
			continue; /* a spilled line is read all the same, in order */
		int same = !r->dup && !r->marked && !(r->head && d->o.mode == MIE_DEDUP_MERGE);
		if (same && r->src && !w) {
			if (u.src == r->src && r->off == u.end + 1) {
				u.end = r->off + r->len;
			} else {
				rc = flush_run(d, &u, fp);
				u = (run){r->src, r->off, r->off + r->len};
			}
			d->st.written++;
			continue;
		}
		if ((rc = flush_run(d, &u, fp)) != 0)
			break;
		if (!next_line(d, i, &line, &cap)) {
			rc = spill_error("read");
			break;
		}
		if (r->dup && d->o.mode != MIE_DEDUP_MARK)
			continue;
		size_t n = r->len;
		json_t *rec = NULL;
		if (r->dup) {
			if (!w && (rc = mark_text(d, fp, line, n, i)) != 1) {
				d->st.written += rc == 0;
				continue;
			}
			json_error_t err;
			if (!(rec = json_loadb(line, n, 0, &err))) {
				rc = spill_error("parse");
				break;
			}
			mark(d, rec, i);
		} else if (r->head && d->o.mode == MIE_DEDUP_MERGE) {
			if (!(rec = mie_dedup_merge(d, i))) {
				rc = -1;
				break;
			}
		} else if (r->marked) {
			json_error_t err;
			if ((rec = json_loadb(line, n, 0, &err)))
				drop_marks(rec);
		}
		rc = emit(d, w, fp, rec, line, n);
		d->st.written += rc == 0;
		json_decref(rec);
	}
	if (rc == 0)
		rc = flush_run(d, &u, fp);
	free(line);
	return rc;
}
