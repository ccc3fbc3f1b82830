/* mie_diff.c — see mie_diff.h. */
#include "select/mie_diff.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mie_buf.h"
#include "core/mie_err.h"
#include "core/mie_hash.h"
#include "core/mie_tmp.h"
#include "dedup/mie_dedup.h"
#include "formats/mie_jsonl.h"
#include "formats/mie_records.h"
#include "import/mie_src_bagit.h"
#include "record/mie_record.h"
#include "io/mie_sort.h"

#define SHORT 80 /* a value longer than this, or holding a line break, is long */

/* Where one side's records are read back from when a pair differs (with
 * pread: a mapping would take in the pages around each record read, most
 * of the file when 1 % of records differ): a plain input file read in
 * place, a stream's copy, or the records mie_diff_add was given (one JSON
 * text a line). */
typedef struct source {
	int fd;   /* owned (through fp when it is set) */
	FILE *fp; /* owned: a temporary file (a stream's copy, mie_diff_add's records) */
	uint64_t size;
} source;

struct mie_diff {
	const mie_diff_opts *o;
	FILE *out;
	mie_sort *side[2];
	uint64_t seq[2];
	source *src[2];
	size_t nsrc[2];
	long dump_src[2]; /* mie_diff_add's source of each side, -1: none yet */
	mie_buf line, report, resid, scratch;
	mie_buf fbufs[6]; /* the scanner's decoded strings */
	size_t *ignore_n;
	int failed;
};

mie_diff *mie_diff_new(const mie_diff_opts *o, FILE *out)
{
	mie_diff *d = mie_xcalloc(1, sizeof *d);
	d->o = o;
	d->out = out;
	for (int i = 0; i < 2; i++) {
		d->side[i] = mie_sort_new(o->memory);
		d->dump_src[i] = -1;
	}
	d->ignore_n = mie_xcalloc(o->nignore + 1, sizeof *d->ignore_n);
	for (size_t i = 0; i < o->nignore; i++)
		d->ignore_n[i] = strlen(o->ignore[i]);
	mie_buf_init(&d->line);
	mie_buf_init(&d->report);
	mie_buf_init(&d->resid);
	mie_buf_init(&d->scratch);
	for (int k = 0; k < 6; k++)
		mie_buf_init(&d->fbufs[k]);
	return d;
}

void mie_diff_free(mie_diff **dp)
{
	mie_diff *d = dp ? *dp : NULL;
	if (!d)
		return;
	for (int i = 0; i < 2; i++) {
		mie_sort_free(&d->side[i]);
		for (size_t k = 0; k < d->nsrc[i]; k++) {
			source *s = &d->src[i][k];
			if (s->fp)
				fclose(s->fp);
			else if (s->fd >= 0)
				close(s->fd);
		}
		free(d->src[i]);
	}
	free(d->ignore_n);
	mie_buf_release(&d->line);
	mie_buf_release(&d->report);
	mie_buf_release(&d->resid);
	mie_buf_release(&d->scratch);
	for (int k = 0; k < 6; k++)
		mie_buf_release(&d->fbufs[k]);
	free(d);
	*dp = NULL;
}

static int spill_error(const char *what)
{
	mie_fatal("spill file: %s: %s", what, strerror(errno ? errno : EIO));
	return -1;
}

/* A new source of side (fd owned by it from now on); returns its index. */
static unsigned add_source(mie_diff *d, int side, int fd, FILE *fp)
{
	d->src[side] = mie_xrealloc(d->src[side], (d->nsrc[side] + 1) * sizeof *d->src[side]);
	d->src[side][d->nsrc[side]] = (source){fd, fp, 0};
	return (unsigned)d->nsrc[side]++;
}

/* v in hex, at least width digits. */
static char *put_hex(char *o, uint64_t v, int width)
{
	int n = v ? (67 - __builtin_clzll(v)) / 4 : 1;
	n = n < width ? width : n;
	for (int i = n; i-- > 0; v >>= 4)
		o[i] = "0123456789abcdef"[v & 15];
	return o + n;
}

static uint64_t get_hex(const char **pp)
{
	const char *p = *pp;
	uint64_t v = 0;
	for (;; p++) {
		unsigned c = (unsigned char)*p;
		unsigned x = c - '0' < 10 ? c - '0' : c - 'a' < 6 ? c - 'a' + 10 : 16;
		if (x == 16)
			break;
		v = v << 4 | x;
	}
	*pp = *p == '\t' ? p + 1 : p;
	return v;
}

/* What a record is compared by: the hash (two seeds, 128 bits) of the
 * JSON text of its object without the ignored members, written
 * compactly, less its final '}' (every such text ends with one).  Equal
 * texts hold equal records; records whose texts differ are parsed and
 * compared (mie_diff_run). */
static void text_hash(const char *p, size_t n, uint64_t h[2])
{
	h[0] = mie_hash(p, n, 0x6d69652d64696666ULL);
	h[1] = mie_hash(p, n, 0x9c2f0b3e5a1d4c87ULL);
}

/* A line "ID\tSEQ\tHASH\tSRC\tOFF\tLEN" for the sort: the id sorts, the
 * sequence number (fixed width) keeps the input order among records of
 * one id, the rest says where the record is read back from. */
static int add_ref(mie_diff *d, int side, const char *id, size_t idn, const uint64_t h[2],
                   unsigned src, uint64_t off, size_t len)
{
	mie_buf *b = &d->line;
	mie_buf_reset(b);
	mie_buf_grow(b, idn + 96);
	char *o = b->data;
	for (size_t i = 0; i < idn; i++) /* ids hold no TAB or LF; be sure */
		o[i] = id[i] == '\t' || id[i] == '\n' ? ' ' : id[i];
	o += idn;
	*o++ = '\t';
	o = put_hex(o, d->seq[side]++, 16);
	*o++ = '\t';
	o = put_hex(o, h[0], 16);
	o = put_hex(o, h[1], 16);
	*o++ = '\t';
	o = put_hex(o, src, 1);
	*o++ = '\t';
	o = put_hex(o, off, 1);
	*o++ = '\t';
	o = put_hex(o, len, 1);
	b->len = (size_t)(o - b->data);
	*o = '\0';
	return mie_sort_add(d->side[side], b->data, b->len);
}

static int ignored(const mie_diff *d, const char *k, size_t n)
{
	for (size_t i = 0; i < d->o->nignore; i++)
		if (d->ignore_n[i] == n && memcmp(d->o->ignore[i], k, n) == 0)
			return 1;
	return 0;
}

/* The hash of a record given whole (text_hash of its compact dump without
 * the ignored members); *full gets its whole dump (malloc'd). */
static void record_hash(mie_diff *d, const json_t *rec, char **full, uint64_t h[2])
{
	*full = json_dumps(rec, JSON_COMPACT | JSON_ENCODE_ANY);
	int any = 0;
	for (size_t i = 0; i < d->o->nignore && !any; i++)
		any = json_object_get(rec, d->o->ignore[i]) != NULL;
	char *s = *full;
	if (any) {
		json_t *copy = json_copy((json_t *)rec);
		for (size_t i = 0; i < d->o->nignore; i++)
			json_object_del(copy, d->o->ignore[i]);
		s = json_dumps(copy, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(copy);
	}
	size_t n = s ? strlen(s) : 0;
	text_hash(s ? s : "", n ? n - 1 : 0, h);
	if (s != *full)
		free(s);
}

int mie_diff_add(mie_diff *d, int side, const json_t *rec)
{
	if (d->dump_src[side] < 0) {
		FILE *fp = mie_tmpfile();
		if (!fp)
			return -1;
		d->dump_src[side] = add_source(d, side, fileno(fp), fp);
	}
	source *s = &d->src[side][d->dump_src[side]];
	char *full;
	uint64_t h[2];
	record_hash(d, rec, &full, h);
	size_t n = full ? strlen(full) : 0;
	uint64_t off = s->size;
	if (fwrite(full ? full : "", 1, n, s->fp) != n || putc('\n', s->fp) == EOF) {
		free(full);
		return spill_error("write");
	}
	free(full);
	s->size += n + 1;
	const char *id = mie_rec_str(rec, "id");
	return add_ref(d, side, id ? id : "", id ? strlen(id) : 0, h, (unsigned)d->dump_src[side],
	               off, n);
}

/* ---- JSON Lines inputs, read in place ---- */

/* The end of the JSON string opening at p (a valid one). */
static const char *string_end(const char *p, const char *e)
{
	for (const char *q = p + 1;;) {
		const char *c = memchr(q, '"', (size_t)(e - q));
		if (!c)
			return e;
		const char *b = c;
		while (b > q && b[-1] == '\\')
			b--;
		if (!((c - b) & 1))
			return c + 1;
		q = c + 1;
	}
}

static const char *skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* The end of the JSON value starting at p (a valid one). */
static const char *value_end(const char *p, const char *e)
{
	if (*p == '"')
		return string_end(p, e);
	if (*p == '{' || *p == '[') {
		int depth = 0;
		while (p < e) {
			char c = *p;
			if (c == '"') {
				p = string_end(p, e);
				continue;
			}
			if (c == '{' || c == '[')
				depth++;
			else if ((c == '}' || c == ']') && --depth == 0)
				return p + 1;
			p++;
		}
		return e;
	}
	while (p < e && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\t' &&
	       *p != '\n' && *p != '\r')
		p++;
	return p;
}

/* text_hash of a line the scanner accepted (one object, keys without
 * escapes): its members but the ignored ones, between '{' and '}',
 * separated by ','.  A line written compactly whose ignored members come
 * last is hashed in place. */
static void line_hash(mie_diff *d, const char *l, size_t n, uint64_t h[2])
{
	/* the members' spans (the scanner takes at most 64 a level) */
	enum { MAX_MEMBERS = 64 };
	const char *ks[MAX_MEMBERS], *ve[MAX_MEMBERS];
	unsigned char cut[MAX_MEMBERS];
	int m = 0, cuts = 0, cut_first = -1;
	const char *e = l + n, *p = skip_ws(l, e);
	int tight = p == l;
	p = skip_ws(p + 1, e);
	tight &= p == l + 1;
	const char *last = p; /* after '{' or the last value */
	while (p < e && *p == '"' && m < MAX_MEMBERS) {
		const char *ke = string_end(p, e);
		ks[m] = p;
		cut[m] = (unsigned char)ignored(d, p + 1, (size_t)(ke - p - 2));
		if (cut[m] && cut_first < 0)
			cut_first = m;
		cuts += cut[m];
		p = skip_ws(skip_ws(ke, e) + 1, e); /* past the ':' */
		last = ve[m++] = value_end(p, e);
		p = skip_ws(last, e);
		if (p < e && *p == ',') {
			tight &= p == last && p + 1 < e && p[1] == '"';
			p = skip_ws(p + 1, e);
		}
	}
	tight &= p == last && p == e - 1 && *p == '}';
	/* in place: written compactly, every ignored member after the kept ones */
	if (tight && (cut_first < 0 || cut_first + cuts == m)) {
		int kept = cut_first < 0 ? m : cut_first;
		text_hash(l, kept ? (size_t)(ve[kept - 1] - l) : 1, h);
		return;
	}
	mie_buf *r = &d->resid;
	mie_buf_reset(r);
	mie_buf_addc(r, '{');
	for (int i = 0, kept = 0; i < m; i++) {
		if (cut[i])
			continue;
		if (kept++)
			mie_buf_addc(r, ',');
		mie_buf_add(r, ks[i], (size_t)(ve[i] - ks[i]));
	}
	text_hash(r->data, r->len, h);
}

/* One line, as the JSON Lines reader takes it: the scanner when it is
 * sure, else the reader's own definition (mie_jsonl_parse), whose verdict
 * and words stand.  Returns 0 (taken), 1 (refused: why set) or -1. */
static int add_line(mie_diff *d, int side, unsigned src, const char *l, size_t n, uint64_t off,
                    mie_buf *why)
{
	mie_dedup_fields f;
	uint64_t h[2];
	if (mie_dedup_scan_jsonl(l, n, &f, d->fbufs) == 0) {
		line_hash(d, l, n, h);
		return add_ref(d, side, f.id ? f.id : "", f.id ? f.id_n : 0, h, src, off, n);
	}
	json_t *rec;
	if (mie_jsonl_parse(l, n, 0, &rec, why) != MIE_JSONL_OK)
		return 1;
	char *full;
	record_hash(d, rec, &full, h);
	free(full);
	const char *id = mie_rec_str(rec, "id");
	int rc = add_ref(d, side, id ? id : "", id ? strlen(id) : 0, h, src, off, n);
	json_decref(rec);
	return rc;
}

/* Drops the pages of map below `upto` from the process once 16 MB were
 * read past *done (not from the page cache): memory stays bounded. */
static void release(char *map, uint64_t *done, uint64_t upto, int force)
{
	upto &= ~(uint64_t)4095;
	if (upto > *done && (force || upto - *done >= (16 << 20))) {
		madvise(map + *done, upto - *done, MADV_DONTNEED);
		*done = upto;
	}
}

/* Every line of a source, in order, read through a mapping; refused lines
 * said as the reader says them (name:LINE). */
static int scan_source(mie_diff *d, int side, unsigned src, const char *name, mie_records_stats *st)
{
	source *s = &d->src[side][src];
	uint64_t size = s->size, done = 0;
	if (!size)
		return 0;
	char *map = mmap(NULL, size, PROT_READ, MAP_SHARED, s->fd, 0);
	if (map == MAP_FAILED)
		return spill_error("map");
	/* a first line's BOM is not part of its record (mie_jsonl_parse) */
	uint64_t at = size >= 3 && memcmp(map, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	long line = 0;
	int rc = 0;
	mie_buf why = MIE_BUF_INIT;
	madvise(map, size, MADV_SEQUENTIAL);
	while (at < size && rc >= 0) {
		const char *l = map + at, *nl = memchr(l, '\n', size - at);
		size_t n = nl ? (size_t)(nl - l) : (size_t)(size - at);
		const char *q = l;
		size_t m = n;
		line++;
		if (mie_jsonl_trim(&q, &m, 0) != 0) {
			st->records++;
			mie_buf_reset(&why);
			if (n > MIE_JSONL_MAX_LINE) {
				mie_buf_addf(&why, "line longer than %zu bytes",
				             MIE_JSONL_MAX_LINE);
				rc = 1;
			} else {
				rc = add_line(d, side, src, q, m, (uint64_t)(q - map), &why);
			}
			if (rc == 1) {
				mie_loc loc = {name, NULL, line};
				st->bad++;
				mie_error_at(&loc, "%s", why.data);
				rc = 0;
			}
		}
		at += n + (nl != NULL);
		release(map, &done, at, 0);
	}
	munmap(map, size);
	mie_buf_release(&why);
	return rc;
}

/* A stream (a pipe, a compressed file): copied as it comes into a
 * temporary file, then read as a file is; when it is cut short (said by
 * mie_input), its complete lines only. */
static int copy_stream(mie_diff *d, int side, mie_input *in, unsigned *src)
{
	FILE *tmp = mie_tmpfile();
	if (!tmp)
		return -1;
	int fd = fileno(tmp);
	*src = add_source(d, side, fd, tmp); /* written with write(2) only */
	uint64_t size = 0, lines_end = 0;
	const unsigned char *p;
	size_t n;
	int rc = 0;
	/* the input's own blocks, written as they are */
	while (rc == 0 && (p = mie_input_next(in, &n)) != NULL) {
		const unsigned char *lf = memrchr(p, '\n', n);
		lines_end = lf ? size + (uint64_t)(lf - p) + 1 : lines_end;
		size += n;
		while (rc == 0 && n) {
			ssize_t w = write(fd, p, n);
			if (w < 0)
				rc = spill_error("write");
			else
				p += w, n -= (size_t)w;
		}
	}
	uint64_t end = mie_input_failed(in) ? lines_end : size;
	if (rc == 0 && end < size && ftruncate(fd, (off_t)end) != 0)
		rc = spill_error("truncate");
	d->src[side][*src].size = end;
	return rc;
}

typedef struct taker {
	mie_diff *d;
	int side;
} taker;

/* mie_records' take_jsonl: a JSON Lines input read in place. */
static int take_jsonl(void *ctx, const char *path, mie_input *in, mie_records_stats *st)
{
	taker *t = ctx;
	mie_diff *d = t->d;
	size_t headn = 4096;
	const unsigned char *head = mie_input_peek(in, &headn);
	int fd = strcmp(path, "-") != 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	struct stat sb;
	unsigned src = 0;
	int plain = 0;
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (uint64_t)sb.st_size >= headn) {
		/* a plain file (not compressed: it starts with the bytes read) */
		unsigned char first[4096];
		plain = headn <= sizeof first && pread(fd, first, headn, 0) == (ssize_t)headn &&
		        memcmp(first, head, headn) == 0;
	}
	if (plain) {
		src = add_source(d, t->side, fd, NULL);
		d->src[t->side][src].size = (uint64_t)sb.st_size;
	} else {
		if (fd >= 0)
			close(fd);
		if (copy_stream(d, t->side, in, &src) < 0)
			return -1;
	}
	return scan_source(d, t->side, src, mie_input_name(in), st);
}

static int add_bag_record(void *ctx, json_t *rec, const mie_loc *loc, const char *why)
{
	taker *t = ctx;
	if (!rec) {
		mie_error_at(loc, "%s", why);
		return 0;
	}
	int rc = mie_diff_add(t->d, t->side, rec);
	json_decref(rec);
	return rc;
}

int mie_diff_read(mie_diff *d, int side, char *path)
{
	taker t = {d, side};
	if (mie_bagit_is_package(path)) {
		/* a bag: checked whole, then its records */
		if (mie_bagit_read(path, NULL, add_bag_record, &t) != 0)
			mie_status_raise(MIE_EXIT_FATAL);
		return 0;
	}
	mie_records_opts o = {0, 0, d->o->full ? NULL : take_jsonl, &t};
	mie_records *in = mie_records_open(&path, 1, &o);
	json_t *rec;
	mie_loc loc;
	int rc = 0;
	while (rc == 0 && mie_records_next(in, &rec, &loc) == MIE_READ_OK) {
		rc = mie_diff_add(d, side, rec);
		json_decref(rec);
	}
	mie_records_free(&in);
	return rc;
}

/* ---- words ---- */

typedef struct words {
	const char **w; /* starts, into the text */
	size_t *n;
	size_t count;
} words;

static void split(words *ws, const char *s)
{
	ws->count = 0;
	size_t cap = 16;
	ws->w = mie_xmalloc(cap * sizeof *ws->w);
	ws->n = mie_xmalloc(cap * sizeof *ws->n);
	for (const char *p = s; *p;) {
		while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
			p++;
		if (!*p)
			break;
		const char *b = p;
		while (*p && *p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
			p++;
		if (ws->count == cap) {
			cap *= 2;
			ws->w = mie_xrealloc(ws->w, cap * sizeof *ws->w);
			ws->n = mie_xrealloc(ws->n, cap * sizeof *ws->n);
		}
		ws->w[ws->count] = b;
		ws->n[ws->count++] = (size_t)(p - b);
	}
}

static int same_word(const words *a, size_t i, const words *b, size_t j)
{
	return a->n[i] == b->n[j] && memcmp(a->w[i], b->w[j], a->n[i]) == 0;
}

static void add_words(mie_buf *out, const words *ws, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		if (i > from)
			mie_buf_addc(out, ' ');
		mie_buf_add(out, ws->w[i], ws->n[i]);
	}
}

/* An equal run: whole when short, else its ends around "…". */
static void add_equal(mie_buf *out, const words *ws, size_t from, size_t to, int first, int last)
{
	size_t n = to - from, keep = 3;
	if (n <= 8) {
		add_words(out, ws, from, to);
	} else {
		if (!first)
			add_words(out, ws, from, from + keep), mie_buf_addc(out, ' ');
		mie_buf_adds(out, "…");
		if (!last)
			mie_buf_addc(out, ' '), add_words(out, ws, to - keep, to);
	}
}

void mie_diff_words(mie_buf *out, const char *sa, const char *sb)
{
	words a, b;
	split(&a, sa);
	split(&b, sb);
	size_t n = a.count, m = b.count;
	/* common ends first: most edits touch a few words */
	size_t pre = 0, suf = 0;
	while (pre < n && pre < m && same_word(&a, pre, &b, pre))
		pre++;
	while (suf < n - pre && suf < m - pre && same_word(&a, n - 1 - suf, &b, m - 1 - suf))
		suf++;
	size_t na = n - pre - suf, nb = m - pre - suf;
	int first = 1;
	if (pre) {
		add_equal(out, &a, 0, pre, 1, 0);
		first = 0;
	}
	if ((na + 1) * (nb + 1) > ((size_t)4 << 20)) {
		if (!first)
			mie_buf_addc(out, ' ');
		mie_buf_adds(out, "[-"), add_words(out, &a, pre, pre + na),
		        mie_buf_adds(out, "-] {+");
		add_words(out, &b, pre, pre + nb), mie_buf_adds(out, "+}");
	} else {
		/* LCS lengths from the end: L[i][j] for a[pre+i..], b[pre+j..] */
		size_t w = nb + 1;
		uint32_t *L = mie_xcalloc((na + 1) * w, sizeof *L);
		for (size_t i = na; i-- > 0;)
			for (size_t j = nb; j-- > 0;)
				L[i * w + j] = same_word(&a, pre + i, &b, pre + j)
				                       ? L[(i + 1) * w + j + 1] + 1
				                       : (L[(i + 1) * w + j] > L[i * w + j + 1]
				                                  ? L[(i + 1) * w + j]
				                                  : L[i * w + j + 1]);
		size_t i = 0, j = 0;
		while (i < na || j < nb) {
			if (!first)
				mie_buf_addc(out, ' ');
			first = 0;
			if (i < na && j < nb && same_word(&a, pre + i, &b, pre + j)) {
				size_t i0 = i;
				while (i < na && j < nb && same_word(&a, pre + i, &b, pre + j))
					i++, j++;
				add_equal(out, &a, pre + i0, pre + i, 0, 0);
				continue;
			}
			size_t i0 = i, j0 = j;
			while ((i < na || j < nb) &&
			       !(i < na && j < nb && same_word(&a, pre + i, &b, pre + j))) {
				if (j < nb && (i == na || L[i * w + j + 1] >= L[(i + 1) * w + j]))
					j++;
				else
					i++;
			}
			if (i > i0) {
				mie_buf_adds(out, "[-"), add_words(out, &a, pre + i0, pre + i);
				mie_buf_adds(out, "-]");
			}
			if (j > j0) {
				if (i > i0)
					mie_buf_addc(out, ' ');
				mie_buf_adds(out, "{+"), add_words(out, &b, pre + j0, pre + j);
				mie_buf_adds(out, "+}");
			}
		}
		free(L);
	}
	if (suf) {
		if (!first)
			mie_buf_addc(out, ' ');
		add_equal(out, &a, n - suf, n, 0, 1);
	}
	free(a.w), free(a.n), free(b.w), free(b.n);
}

/* ---- fields ---- */

static void add_json(mie_buf *out, const json_t *v)
{
	if (!v) {
		mie_buf_adds(out, "(absent)");
		return;
	}
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	mie_buf_adds(out, s ? s : "?");
	free(s);
}

static size_t json_size(const json_t *v)
{
	return v ? json_dumpb(v, NULL, 0, JSON_COMPACT | JSON_ENCODE_ANY) : 0;
}

static int is_long(const json_t *v)
{
	if (!v)
		return 0;
	if (json_is_string(v))
		return json_string_length(v) > SHORT || strchr(json_string_value(v), '\n');
	return json_size(v) > 2 * SHORT;
}

static void field_change(mie_diff *d, json_t *fields, const char *path, const json_t *a,
                         const json_t *b)
{
	if (d->o->json) {
		json_t *f = json_pack("{s:s}", "field", path);
		if (a)
			json_object_set(f, "old", (json_t *)a);
		if (b)
			json_object_set(f, "new", (json_t *)b);
		json_array_append_new(fields, f);
		return;
	}
	mie_buf *r = &d->report;
	mie_buf_addf(r, "  %s: ", path);
	if (a && b && json_is_string(a) && json_is_string(b) && (is_long(a) || is_long(b))) {
		mie_diff_words(r, json_string_value(a), json_string_value(b));
	} else {
		for (int side = 0; side < 2; side++) {
			const json_t *v = side ? b : a;
			if (side)
				mie_buf_adds(r, " -> ");
			if (is_long(v))
				mie_buf_addf(r, "(%zu bytes of JSON)", json_size(v));
			else
				add_json(r, v);
		}
	}
	mie_buf_addc(r, '\n');
}

/* Compares two objects member by member (a's order, then b's new ones),
 * down into objects (text.plain, legacy.url), reporting the leaves. */
static void compare(mie_diff *d, json_t *fields, const char *prefix, const json_t *a,
                    const json_t *b)
{
	const char *k;
	json_t *va, *vb;
	mie_buf path = MIE_BUF_INIT;
	for (int pass = 0; pass < 2; pass++) {
		json_object_foreach((json_t *)(pass ? b : a), k, va)
		{
			if (pass && json_object_get(a, k))
				continue;
			vb = json_object_get(pass ? a : b, k);
			const json_t *x = pass ? vb : va, *y = pass ? va : vb;
			if (x && y && json_equal((json_t *)x, (json_t *)y))
				continue;
			mie_buf_reset(&path);
			mie_buf_addf(&path, "%s%s%s", prefix, *prefix ? "." : "", k);
			if (json_is_object(x) && json_is_object(y))
				compare(d, fields, path.data, x, y);
			else
				field_change(d, fields, path.data, x, y);
		}
	}
	mie_buf_release(&path);
}

static void head(mie_diff *d, const char *change, const json_t *rec, const json_t *h,
                 json_t *fields)
{
	const char *id = mie_rec_str(h, "id"), *title = mie_rec_str(h, "title");
	if (d->o->json) {
		json_t *o = json_pack("{s:s, s:s}", "change", change, "id", id ? id : "");
		if (mie_rec_str(h, "type"))
			json_object_set_new(o, "type", json_string(mie_rec_str(h, "type")));
		if (title)
			json_object_set_new(o, "title", json_string(title));
		if (fields)
			json_object_set(o, "fields", fields);
		char *s = json_dumps(o, JSON_COMPACT);
		fprintf(d->out, "%s\n", s);
		free(s);
		json_decref(o);
		return;
	}
	fprintf(d->out, "%-7s %s", change, id ? id : "-");
	if (title) {
		json_t *t = json_string(title);
		char *s = json_dumps(t, JSON_ENCODE_ANY);
		fprintf(d->out, "  %s", s);
		free(s);
		json_decref(t);
	}
	fputc('\n', d->out);
	fwrite(d->report.data, 1, d->report.len, d->out);
	mie_buf_reset(&d->report);
}

/* A spilled line of one id, kept until its pair is settled. */
typedef struct held {
	char *p; /* owned copy of the line */
	size_t n;
} held;

/* The line's hash (32 hex digits, after the id and the sequence). */
static const char *hash_part(const held *h)
{
	const char *t = memchr(h->p, '\t', h->n);
	return t ? t + 18 : h->p;
}

/* The record a line refers to, parsed whole (a new reference), and its
 * heading (type, id, title: what the report shows, even when ignored in
 * the comparison) in *hd; the ignored members are taken out of the
 * record. */
static json_t *record_of(mie_diff *d, int side, const held *h, json_t **hd)
{
	const char *p = hash_part(h) + 33;
	uint64_t src = get_hex(&p), off = get_hex(&p), len = get_hex(&p);
	json_t *rec = NULL;
	if (src < d->nsrc[side]) {
		source *s = &d->src[side][src];
		mie_buf *b = &d->scratch;
		mie_buf_reset(b);
		mie_buf_grow(b, (size_t)len);
		if (off + len <= s->size &&
		    pread(s->fd, b->data, (size_t)len, (off_t)off) == (ssize_t)len) {
			b->data[len] = '\0';
			mie_buf why = MIE_BUF_INIT;
			mie_jsonl_parse(b->data, (size_t)len, 0, &rec, &why);
			mie_buf_release(&why);
		}
	}
	if (!rec)
		rec = json_object();
	*hd = json_object();
	static const char *const keys[] = {"type", "id", "title"};
	for (int i = 0; i < 3; i++)
		if (json_is_string(json_object_get(rec, keys[i])))
			json_object_set(*hd, keys[i], json_object_get(rec, keys[i]));
	for (size_t i = 0; i < d->o->nignore; i++)
		json_object_del(rec, d->o->ignore[i]);
	return rec;
}

static void report_one(mie_diff *d, const char *change, int side, const held *h)
{
	json_t *hd, *rec = record_of(d, side, h, &hd);
	head(d, change, rec, hd, NULL);
	json_decref(rec);
	json_decref(hd);
}

/* One id's lines of both sides, paired in order. */
static void pair(mie_diff *d, const held *as, size_t na, const held *bs, size_t nb,
                 mie_diff_stats *st)
{
	size_t n = na > nb ? na : nb;
	for (size_t i = 0; i < n; i++) {
		if (i >= na) {
			st->added++, report_one(d, "added", 1, &bs[i]);
			continue;
		}
		if (i >= nb) {
			st->removed++, report_one(d, "removed", 0, &as[i]);
			continue;
		}
		/* the same text without the ignored members: the same record */
		if (memcmp(hash_part(&as[i]), hash_part(&bs[i]), 32) == 0) {
			st->same++;
			continue;
		}
		json_t *ha, *hb;
		json_t *ra = record_of(d, 0, &as[i], &ha), *rb = record_of(d, 1, &bs[i], &hb);
		if (json_equal(ra, rb)) { /* the same members in another order... */
			st->same++;
		} else {
			json_t *fields = json_array();
			mie_buf_reset(&d->report);
			compare(d, fields, "", ra, rb);
			st->changed++;
			head(d, "changed", rb, hb, fields);
			json_decref(fields);
		}
		json_decref(ra);
		json_decref(rb);
		json_decref(ha);
		json_decref(hb);
	}
}

typedef struct cursor {
	mie_sort *s;
	mie_buf cur; /* the current line, copied */
	int live;
} cursor;

static int step(cursor *c)
{
	const char *p;
	size_t n;
	int r = mie_sort_next(c->s, &p, &n);
	if (r < 0)
		return -1;
	c->live = r;
	mie_buf_reset(&c->cur);
	if (r)
		mie_buf_add(&c->cur, p, n);
	return 0;
}

static size_t key_len(const mie_buf *b)
{
	const char *t = memchr(b->data, '\t', b->len);
	return t ? (size_t)(t - b->data) : b->len;
}

/* Takes every line of c with key k, copied into *v. */
static int take_key(cursor *c, const char *k, size_t kn, held **v, size_t *n, size_t *cap)
{
	while (c->live && key_len(&c->cur) == kn && memcmp(c->cur.data, k, kn) == 0) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 4;
			*v = mie_xrealloc(*v, *cap * sizeof **v);
		}
		(*v)[(*n)++] = (held){mie_xstrndup(c->cur.data, c->cur.len), c->cur.len};
		if (step(c) < 0)
			return -1;
	}
	return 0;
}

int mie_diff_run(mie_diff *d, mie_diff_stats *st)
{
	*st = (mie_diff_stats){0};
	/* mie_diff_add's records, read back from here on */
	for (int i = 0; i < 2; i++) {
		if (d->dump_src[i] < 0)
			continue;
		if (fflush(d->src[i][d->dump_src[i]].fp) != 0)
			return spill_error("write");
	}
	cursor c[2] = {{d->side[0], MIE_BUF_INIT, 0}, {d->side[1], MIE_BUF_INIT, 0}};
	int rc = step(&c[0]) < 0 || step(&c[1]) < 0 ? -1 : 0;
	held *v[2] = {NULL, NULL};
	size_t n[2], cap[2] = {0, 0};
	mie_buf key = MIE_BUF_INIT;
	while (!rc && (c[0].live || c[1].live)) {
		/* the smaller key of the two sides */
		int s = !c[0].live ? 1 : !c[1].live ? 0 : -1;
		if (s < 0) {
			size_t k0 = key_len(&c[0].cur), k1 = key_len(&c[1].cur);
			int cmp = memcmp(c[0].cur.data, c[1].cur.data, k0 < k1 ? k0 : k1);
			cmp = cmp ? cmp : k0 < k1 ? -1 : k0 > k1;
			s = cmp <= 0 ? 0 : 1;
		}
		mie_buf_reset(&key);
		mie_buf_add(&key, c[s].cur.data, key_len(&c[s].cur));
		n[0] = n[1] = 0;
		for (int i = 0; i < 2 && !rc; i++)
			rc = take_key(&c[i], key.data, key.len, &v[i], &n[i], &cap[i]);
		pair(d, v[0], n[0], v[1], n[1], st);
		for (int i = 0; i < 2; i++)
			for (size_t j = 0; j < n[i]; j++)
				free(v[i][j].p);
	}
	for (int i = 0; i < 2; i++) {
		free(v[i]);
		mie_buf_release(&c[i].cur);
	}
	mie_buf_release(&key);
	return rc;
}
