/* mie_diff.c — see mie_diff.h. */
#include "select/mie_diff.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mie_buf.h"
#include "core/mie_err.h"
#include "formats/mie_jsonl.h"
#include "record/mie_record.h"
#include "io/mie_sort.h"

#define SHORT 80 /* a value longer than this, or holding a line break, is long */

struct mie_diff {
	const mie_diff_opts *o;
	FILE *out;
	mie_sort *side[2];
	uint64_t seq[2];
	mie_buf line, report;
	int failed;
};

mie_diff *mie_diff_new(const mie_diff_opts *o, FILE *out)
{
	mie_diff *d = mie_xcalloc(1, sizeof *d);
	d->o = o;
	d->out = out;
	for (int i = 0; i < 2; i++)
		d->side[i] = mie_sort_new(o->memory);
	mie_buf_init(&d->line);
	mie_buf_init(&d->report);
	return d;
}

void mie_diff_free(mie_diff **dp)
{
	mie_diff *d = dp ? *dp : NULL;
	if (!d)
		return;
	for (int i = 0; i < 2; i++)
		mie_sort_free(&d->side[i]);
	mie_buf_release(&d->line);
	mie_buf_release(&d->report);
	free(d);
	*dp = NULL;
}

/* A line "ID\tSEQ\tJSON": the id sorts, the sequence number (fixed width)
 * keeps the input order among records of one id. */
int mie_diff_add(mie_diff *d, int side, const json_t *rec)
{
	json_t *copy = json_copy((json_t *)rec);
	for (size_t i = 0; i < d->o->nignore; i++)
		json_object_del(copy, d->o->ignore[i]);
	char *s = json_dumps(copy, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(copy);
	const char *id = mie_rec_str(rec, "id");
	mie_buf_reset(&d->line);
	for (const char *p = id ? id : ""; *p; p++) /* ids hold no TAB or LF; be sure */
		mie_buf_addc(&d->line, *p == '\t' || *p == '\n' ? ' ' : *p);
	/* what the report's heading shows, even when ignored in the comparison */
	json_t *h = json_object();
	static const char *const keys[] = {"type", "id", "title"};
	for (int i = 0; i < 3; i++) {
		const char *k = keys[i];
		if (json_is_string(json_object_get(rec, k)))
			json_object_set(h, k, json_object_get(rec, k));
	}
	char *hs = json_dumps(h, JSON_COMPACT);
	json_decref(h);
	mie_buf_addf(&d->line, "\t%016llx\t%s\t%s", (unsigned long long)d->seq[side]++, hs,
	             s ? s : "null");
	free(hs);
	free(s);
	return mie_sort_add(d->side[side], d->line.data, d->line.len);
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

/* The k-th field (0-based) of a spilled line: its JSON, parsed. */
static json_t *parse(const char *line, size_t n, int k)
{
	const char *j = line, *end = line + n;
	for (int i = 0; i < k && j; i++)
		j = memchr(j, '\t', (size_t)(end - j)), j = j ? j + 1 : NULL;
	const char *e = j && k < 3 ? memchr(j, '\t', (size_t)(end - j)) : NULL;
	json_t *rec = NULL;
	mie_buf why = MIE_BUF_INIT;
	if (!j || mie_jsonl_parse(j, (size_t)((e ? e : end) - j), 0, &rec, &why) != MIE_JSONL_OK)
		rec = json_object();
	mie_buf_release(&why);
	return rec;
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

/* The JSON of the record (the line's last field): two lines whose JSON has
 * the same bytes hold the same record, with no parsing. */
static const char *record_part(const held *h, size_t *n)
{
	const char *j = h->p, *end = h->p + h->n;
	for (int i = 0; i < 3 && j; i++)
		j = memchr(j, '\t', (size_t)(end - j)), j = j ? j + 1 : NULL;
	*n = j ? (size_t)(end - j) : 0;
	return j ? j : end;
}

static void report_one(mie_diff *d, const char *change, const held *h)
{
	json_t *rec = parse(h->p, h->n, 3), *hd = parse(h->p, h->n, 2);
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
			st->added++, report_one(d, "added", &bs[i]);
			continue;
		}
		if (i >= nb) {
			st->removed++, report_one(d, "removed", &as[i]);
			continue;
		}
		size_t la, lb;
		const char *ja = record_part(&as[i], &la), *jb = record_part(&bs[i], &lb);
		if (la == lb && memcmp(ja, jb, la) == 0) {
			st->same++;
			continue;
		}
		json_t *ra = parse(as[i].p, as[i].n, 3), *rb = parse(bs[i].p, bs[i].n, 3);
		if (json_equal(ra, rb)) { /* the same members in another order */
			st->same++;
		} else {
			json_t *fields = json_array(), *hd = parse(bs[i].p, bs[i].n, 2);
			mie_buf_reset(&d->report);
			compare(d, fields, "", ra, rb);
			st->changed++;
			head(d, "changed", rb, hd, fields);
			json_decref(fields);
			json_decref(hd);
		}
		json_decref(ra);
		json_decref(rb);
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
