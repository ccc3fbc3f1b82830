/* mie_filter.c — see mie_filter.h. */
#include "select/mie_filter.h"

#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/mie_err.h"
#include "text/mie_fold.h"
#include "select/mie_idmap.h"
#include "io/mie_input.h"
#include "record/mie_record.h"
#include "record/mie_schema.h"
#include "record/mie_xref.h"

/* What a stored reference points from, for the criteria that look at
 * references. */
enum { REF_OTHER, REF_SECTION, REF_KEYWORD, REF_AUTHOR };

enum { FL_BASE = 1, FL_SECTION = 2, FL_SELECTED = 4, FL_KEPT = 8 };

typedef struct strv {
	char **v; /* owned strings */
	size_t n;
} strv;

typedef struct refs {
	uint64_t *h; /* owned */
	uint8_t *f;  /* owned: REF_* */
	size_t n, cap;
} refs;

/* A section of the stream: for the subtree of --section. */
typedef struct sect {
	uint64_t id, parent; /* parent 0: a root */
} sect;

struct mie_filter {
	strv args[MIE_FILTER_KINDS]; /* the values given, per kind */
	char **folded[3];            /* section, keyword, author titles, folded (or NULL: an id) */
	regex_t *re;                 /* args[GREP].n compiled patterns */
	int re_ready;
	unsigned flags;
	mie_idmap ids;      /* --ids */
	int ids_given;      /* --ids given, even an empty file */
	mie_idmap want[3];  /* resolved ids of sections (subtree), keywords, authors */
	unsigned char *hit; /* per section value: did it name a section */
	sect *sects;        /* the stream's sections (two passes) */
	size_t nsects, csects;
	/* two passes: per record */
	uint64_t *rid;
	uint8_t *rfl;
	size_t *rend; /* end of the record's references in `all` */
	size_t nrec, crec;
	refs all;     /* every noted record's references */
	refs scratch; /* the references of the record matched alone */
	mie_buf tmp, tmp2;
};

mie_filter *mie_filter_new(void)
{
	mie_filter *f = mie_xcalloc(1, sizeof *f);
	mie_idmap_init(&f->ids);
	for (int i = 0; i < 3; i++)
		mie_idmap_init(&f->want[i]);
	mie_buf_init(&f->tmp);
	mie_buf_init(&f->tmp2);
	return f;
}

void mie_filter_free(mie_filter **fp)
{
	mie_filter *f = fp ? *fp : NULL;
	if (!f)
		return;
	for (int k = 0; k < MIE_FILTER_KINDS; k++) {
		for (size_t i = 0; i < f->args[k].n; i++)
			free(f->args[k].v[i]);
		free(f->args[k].v);
	}
	for (int i = 0; i < 3; i++) {
		size_t n = f->args[MIE_FILTER_SECTION + i].n;
		for (size_t j = 0; f->folded[i] && j < n; j++)
			free(f->folded[i][j]);
		free(f->folded[i]);
		mie_idmap_release(&f->want[i]);
	}
	if (f->re_ready)
		for (size_t i = 0; i < f->args[MIE_FILTER_GREP].n; i++)
			regfree(&f->re[i]);
	free(f->re);
	free(f->hit);
	mie_idmap_release(&f->ids);
	free(f->sects);
	free(f->rid);
	free(f->rfl);
	free(f->rend);
	free(f->all.h);
	free(f->all.f);
	free(f->scratch.h);
	free(f->scratch.f);
	mie_buf_release(&f->tmp);
	mie_buf_release(&f->tmp2);
	free(f);
	*fp = NULL;
}

static void strv_add(strv *s, const char *arg)
{
	s->v = mie_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	s->v[s->n++] = mie_xstrdup(arg);
}

/* YYYY, YYYY-MM or YYYY-MM-DD. */
static int date_prefix_ok(const char *s)
{
	size_t n = strlen(s);
	if (n != 4 && n != 7 && n != 10)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int dash = i == 4 || i == 7;
		if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	}
	int m = n >= 7 ? atoi(s + 5) : 1, d = n == 10 ? atoi(s + 8) : 1;
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* An id of the given type: "SITE:TYPE:LOCAL". */
static int is_id_of(const char *s, const char *type)
{
	const char *a = strchr(s, ':');
	if (!a || a == s)
		return 0;
	size_t t = strlen(type);
	return strncmp(a + 1, type, t) == 0 && a[1 + t] == ':' && a[2 + t];
}

static int read_ids(mie_filter *f, const char *path)
{
	mie_input *in = mie_input_open(path);
	if (!in)
		return -1;
	mie_buf line = MIE_BUF_INIT;
	int st;
	while ((st = mie_input_getline(in, &line, 4096)) != MIE_LINE_EOF && st != MIE_LINE_ERROR) {
		size_t n = line.len;
		while (n && (line.data[n - 1] == '\r' || line.data[n - 1] == ' ' ||
		             line.data[n - 1] == '\t'))
			n--;
		mie_buf_setlen(&line, n);
		if (st == MIE_LINE_OK && n && line.data[0] != '#')
			mie_idmap_put(&f->ids, mie_xref_hash(line.data), 1, NULL);
	}
	mie_buf_release(&line);
	mie_input_free(in);
	f->ids_given = 1;
	return st == MIE_LINE_ERROR ? -1 : 0;
}

int mie_filter_add(mie_filter *f, enum mie_filter_kind kind, const char *arg, mie_buf *why)
{
	switch (kind) {
	case MIE_FILTER_TYPE:
		if (!mie_record_type_known(arg)) {
			mie_buf_addf(why, "unknown record type \"%s\"", arg);
			return -1;
		}
		break;
	case MIE_FILTER_SINCE:
	case MIE_FILTER_UNTIL:
		if (!date_prefix_ok(arg)) {
			mie_buf_addf(why, "not a date (YYYY, YYYY-MM or YYYY-MM-DD): \"%s\"", arg);
			return -1;
		}
		break;
	case MIE_FILTER_WHERE: {
		const char *eq = strchr(arg, '=');
		if (!eq || eq == arg) {
			mie_buf_addf(why, "not FIELD=VALUE: \"%s\"", arg);
			return -1;
		}
		break;
	}
	case MIE_FILTER_IDS:
		if (read_ids(f, arg) < 0)
			return -1;
		break;
	case MIE_FILTER_SECTION:
	case MIE_FILTER_KEYWORD:
	case MIE_FILTER_AUTHOR: {
		static const char *const types[] = {"section", "keyword", "author"};
		int i = kind - MIE_FILTER_SECTION;
		size_t n = f->args[kind].n;
		f->folded[i] = mie_xrealloc(f->folded[i], (n + 1) * sizeof *f->folded[i]);
		f->folded[i][n] = NULL;
		if (is_id_of(arg, types[i])) {
			mie_idmap_put(&f->want[i], mie_xref_hash(arg), 1, NULL);
		} else {
			mie_buf b = MIE_BUF_INIT;
			mie_text_fold(&b, arg, strlen(arg));
			f->folded[i][n] = mie_buf_detach(&b, NULL);
		}
		break;
	}
	default: break;
	}
	strv_add(&f->args[kind], arg);
	return 0;
}

/* Marks stripped (accents), the rest as is: a UTF-8 string the caller frees,
 * or NULL when s is not valid UTF-8. */
static char *strip_marks(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n =
	        utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
	                     UTF8PROC_NULLTERM | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK);
	return n < 0 ? NULL : (char *)out;
}

int mie_filter_ready(mie_filter *f, unsigned flags, mie_buf *why)
{
	f->flags = flags;
	strv *g = &f->args[MIE_FILTER_GREP];
	f->re = mie_xcalloc(g->n ? g->n : 1, sizeof *f->re);
	int cflags =
	        REG_EXTENDED | REG_NOSUB | REG_NEWLINE | (flags & MIE_FILTER_ICASE ? REG_ICASE : 0);
	for (size_t i = 0; i < g->n; i++) {
		char *pat = flags & MIE_FILTER_FOLD ? strip_marks(g->v[i]) : mie_xstrdup(g->v[i]);
		int rc = pat ? regcomp(&f->re[i], pat, cflags) : REG_BADPAT;
		free(pat);
		if (rc) {
			char msg[256];
			regerror(rc, &f->re[i], msg, sizeof msg);
			mie_buf_addf(why, "\"%s\": %s", g->v[i], msg);
			for (size_t j = 0; j < i; j++)
				regfree(&f->re[j]);
			return -1;
		}
	}
	f->re_ready = 1;
	f->hit = mie_xcalloc(f->args[MIE_FILTER_SECTION].n + 1, 1);
	return 0;
}

int mie_filter_needs_pass(const mie_filter *f)
{
	if (f->args[MIE_FILTER_SECTION].n)
		return 1;
	for (int i = 1; i < 3; i++)
		for (size_t j = 0; j < f->args[MIE_FILTER_SECTION + i].n; j++)
			if (f->folded[i][j])
				return 1;
	return 0;
}

/* ---- the criteria decided on the record alone ---- */

static int in_strv(const strv *s, const char *v)
{
	for (size_t i = 0; v && i < s->n; i++)
		if (strcmp(s->v[i], v) == 0)
			return 1;
	return 0;
}

static int grep_one(mie_filter *f, const char *s)
{
	if (!s)
		return 0;
	char *folded = f->flags & MIE_FILTER_FOLD ? strip_marks(s) : NULL;
	const char *subject = folded ? folded : s;
	int hit = 0;
	for (size_t i = 0; i < f->args[MIE_FILTER_GREP].n && !hit; i++)
		hit = regexec(&f->re[i], subject, 0, NULL, 0) == 0;
	free(folded);
	return hit;
}

/* --grep looks at the title and the plain text of every text field. */
static int grep_ok(mie_filter *f, const json_t *rec)
{
	if (grep_one(f, mie_rec_str(rec, "title")))
		return 1;
	static const char *const texts[] = {"text", "lead", "description", "ps", "notes"};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		if (grep_one(f, mie_rec_str(json_object_get(rec, texts[i]), "plain")))
			return 1;
	return 0;
}

/* The value at a dotted path equals `want`: a string, a number or boolean
 * as JSON writes it, or any element of an array. */
static int value_is(const json_t *v, const char *want)
{
	if (json_is_array(v)) {
		size_t i;
		const json_t *e;
		json_array_foreach(v, i, e) if (value_is(e, want)) return 1;
		return 0;
	}
	if (json_is_string(v))
		return strcmp(json_string_value(v), want) == 0;
	if (json_is_number(v) || json_is_boolean(v)) {
		char *s = json_dumps(v, JSON_ENCODE_ANY);
		int eq = s && strcmp(s, want) == 0;
		free(s);
		return eq;
	}
	return 0;
}

static int where_one(mie_filter *f, const json_t *rec, const char *arg)
{
	const char *eq = strchr(arg, '=');
	mie_buf_reset(&f->tmp);
	mie_buf_add(&f->tmp, arg, (size_t)(eq - arg));
	const json_t *v = rec;
	for (char *p = f->tmp.data, *dot; v && p; p = dot ? dot + 1 : NULL) {
		dot = strchr(p, '.');
		if (dot)
			*dot = '\0';
		v = json_object_get(v, p);
	}
	return v && value_is(v, eq + 1);
}

static int date_ok(const mie_filter *f, const json_t *rec)
{
	const strv *since = &f->args[MIE_FILTER_SINCE], *until = &f->args[MIE_FILTER_UNTIL];
	if (!since->n && !until->n)
		return 1;
	const char *d = mie_rec_str(rec, "date_published");
	if (!d)
		return 0;
	int ok = !since->n;
	for (size_t i = 0; !ok && i < since->n; i++)
		ok = strncmp(d, since->v[i], strlen(since->v[i])) >= 0;
	if (!ok)
		return 0;
	ok = !until->n;
	for (size_t i = 0; !ok && i < until->n; i++)
		ok = strncmp(d, until->v[i], strlen(until->v[i])) <= 0;
	return ok;
}

static int base_ok(mie_filter *f, const json_t *rec)
{
	const strv *a = f->args;
	if (a[MIE_FILTER_TYPE].n && !in_strv(&a[MIE_FILTER_TYPE], mie_rec_str(rec, "type")))
		return 0;
	if (a[MIE_FILTER_LANG].n && !in_strv(&a[MIE_FILTER_LANG], mie_rec_str(rec, "lang")))
		return 0;
	if (a[MIE_FILTER_STATUS].n && !in_strv(&a[MIE_FILTER_STATUS], mie_rec_str(rec, "status")))
		return 0;
	if (!date_ok(f, rec))
		return 0;
	if (f->ids_given) {
		const char *id = mie_rec_str(rec, "id");
		if (!id || !mie_idmap_get(&f->ids, mie_xref_hash(id)))
			return 0;
	}
	if (a[MIE_FILTER_WHERE].n) {
		int ok = 0;
		for (size_t i = 0; !ok && i < a[MIE_FILTER_WHERE].n; i++)
			ok = where_one(f, rec, a[MIE_FILTER_WHERE].v[i]);
		if (!ok)
			return 0;
	}
	if (a[MIE_FILTER_GREP].n && !grep_ok(f, rec))
		return 0;
	return 1;
}

/* ---- the criteria on references ---- */

static void refs_add(refs *r, uint64_t h, uint8_t fl)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->h = mie_xrealloc(r->h, r->cap * sizeof *r->h);
		r->f = mie_xrealloc(r->f, r->cap);
	}
	r->h[r->n] = h;
	r->f[r->n++] = fl;
}

static void note_ref(void *ctx, const char *field, const char *id)
{
	uint8_t fl = strcmp(field, "section") == 0    ? REF_SECTION
	             : strcmp(field, "keywords") == 0 ? REF_KEYWORD
	             : strcmp(field, "authors") == 0  ? REF_AUTHOR
	                                              : REF_OTHER;
	refs_add(ctx, mie_xref_hash(id), fl);
}

/* Every kind among section, keyword, author that was given has a value
 * among the record's references (a section also is in its own subtree). */
static int refs_ok(const mie_filter *f, uint64_t self, int is_section, const uint64_t *h,
                   const uint8_t *fl, size_t n)
{
	for (int k = 0; k < 3; k++) {
		if (!f->args[MIE_FILTER_SECTION + k].n)
			continue;
		int ok = k == 0 && is_section && mie_idmap_get(&f->want[0], self);
		for (size_t i = 0; !ok && i < n; i++)
			ok = fl[i] == REF_SECTION + k && mie_idmap_get(&f->want[k], h[i]);
		if (!ok)
			return 0;
	}
	return 1;
}

static uint64_t id_hash(const json_t *rec)
{
	const char *id = mie_rec_str(rec, "id");
	return id ? mie_xref_hash(id) : 1;
}

static int is_type(const json_t *rec, const char *type)
{
	const char *t = mie_rec_str(rec, "type");
	return t && strcmp(t, type) == 0;
}

int mie_filter_match(mie_filter *f, const json_t *rec)
{
	if (!base_ok(f, rec))
		return 0;
	f->scratch.n = 0;
	mie_schema_each_ref(rec, note_ref, &f->scratch);
	return refs_ok(f, id_hash(rec), is_type(rec, "section"), f->scratch.h, f->scratch.f,
	               f->scratch.n);
}

/* ---- two passes ---- */

/* A keyword or author whose title is one of the titles asked becomes an id
 * asked; a section so named becomes the root of a subtree. */
static void learn_title(mie_filter *f, int k, const json_t *rec, uint64_t self)
{
	const char *title = mie_rec_str(rec, "title");
	strv *a = &f->args[MIE_FILTER_SECTION + k];
	if (!title || !a->n)
		return;
	mie_buf_reset(&f->tmp2);
	mie_text_fold(&f->tmp2, title, strlen(title));
	for (size_t i = 0; i < a->n; i++)
		if (f->folded[k][i] && strcmp(f->folded[k][i], f->tmp2.data) == 0) {
			mie_idmap_put(&f->want[k], self, 1, NULL);
			if (k == 0)
				f->hit[i] = 1;
		}
}

void mie_filter_note(mie_filter *f, const json_t *rec)
{
	if (f->nrec == f->crec) {
		f->crec = f->crec ? f->crec * 2 : 1024;
		f->rid = mie_xrealloc(f->rid, f->crec * sizeof *f->rid);
		f->rfl = mie_xrealloc(f->rfl, f->crec);
		f->rend = mie_xrealloc(f->rend, f->crec * sizeof *f->rend);
	}
	uint64_t self = id_hash(rec);
	int is_section = is_type(rec, "section");
	mie_schema_each_ref(rec, note_ref, &f->all);
	f->rid[f->nrec] = self;
	f->rfl[f->nrec] =
	        (uint8_t)((base_ok(f, rec) ? FL_BASE : 0) | (is_section ? FL_SECTION : 0));
	f->rend[f->nrec++] = f->all.n;
	if (is_section) {
		if (f->nsects == f->csects) {
			f->csects = f->csects ? f->csects * 2 : 64;
			f->sects = mie_xrealloc(f->sects, f->csects * sizeof *f->sects);
		}
		const char *parent = mie_rec_str(rec, "section");
		f->sects[f->nsects++] = (sect){self, parent ? mie_xref_hash(parent) : 0};
		learn_title(f, 0, rec, self);
	} else if (is_type(rec, "keyword")) {
		learn_title(f, 1, rec, self);
	} else if (is_type(rec, "author")) {
		learn_title(f, 2, rec, self);
	}
}

/* The sections asked, and every section under them. */
static void close_subtree(mie_filter *f)
{
	for (size_t i = 0; i < f->args[MIE_FILTER_SECTION].n; i++) {
		const char *v = f->args[MIE_FILTER_SECTION].v[i];
		if (!f->folded[0][i]) {
			for (size_t j = 0; j < f->nsects && !f->hit[i]; j++)
				f->hit[i] = f->sects[j].id == mie_xref_hash(v);
		}
		if (!f->hit[i])
			mie_note("--section \"%s\": no such section in the stream", v);
	}
	for (int grew = 1; grew;) {
		grew = 0;
		for (size_t j = 0; j < f->nsects; j++) {
			const sect *s = &f->sects[j];
			int added = 0;
			if (s->parent && mie_idmap_get(&f->want[0], s->parent))
				mie_idmap_put(&f->want[0], s->id, 1, &added);
			grew |= added;
		}
	}
}

size_t mie_filter_plan(mie_filter *f, int with_refs)
{
	close_subtree(f);
	mie_idmap where; /* id hash -> first record with it */
	mie_idmap_init(&where);
	size_t *queue = mie_xmalloc((f->nrec ? f->nrec : 1) * sizeof *queue), nq = 0;
	for (size_t i = 0; i < f->nrec; i++) {
		size_t b = i ? f->rend[i - 1] : 0;
		if (with_refs)
			mie_idmap_put(&where, f->rid[i], (uint32_t)i, NULL);
		if ((f->rfl[i] & FL_BASE) && refs_ok(f, f->rid[i], f->rfl[i] & FL_SECTION,
		                                     f->all.h + b, f->all.f + b, f->rend[i] - b)) {
			f->rfl[i] |= FL_SELECTED | FL_KEPT;
			queue[nq++] = i;
		}
	}
	mie_idmap kept; /* the ids output, for records read twice under one id */
	mie_idmap_init(&kept);
	for (size_t q = 0; q < nq; q++) {
		size_t i = queue[q];
		mie_idmap_put(&kept, f->rid[i], 1, NULL);
		if (!with_refs)
			continue;
		for (size_t r = i ? f->rend[i - 1] : 0; r < f->rend[i]; r++) {
			uint32_t *t = mie_idmap_get(&where, f->all.h[r]);
			if (t && !(f->rfl[*t] & FL_KEPT)) {
				f->rfl[*t] |= FL_KEPT;
				queue[nq++] = *t;
			}
		}
	}
	size_t n = 0;
	for (size_t i = 0; i < f->nrec; i++) {
		if (mie_idmap_get(&kept, f->rid[i]))
			f->rfl[i] |= FL_KEPT;
		n += (f->rfl[i] & FL_KEPT) != 0;
	}
	free(queue);
	mie_idmap_release(&where);
	mie_idmap_release(&kept);
	return n;
}

int mie_filter_kept(const mie_filter *f, size_t i)
{
	return i < f->nrec && (f->rfl[i] & FL_KEPT);
}

int mie_filter_selected(const mie_filter *f, size_t i)
{
	return i < f->nrec && (f->rfl[i] & FL_SELECTED);
}

json_t *mie_dossier_new(const char *title, const json_t *members)
{
	const char *first = json_string_value(json_array_get(members, 0));
	const char *colon = first ? strchr(first, ':') : NULL;
	mie_buf site = MIE_BUF_INIT, slug = MIE_BUF_INIT;
	if (colon && colon > first)
		mie_buf_add(&site, first, (size_t)(colon - first));
	else
		mie_buf_adds(&site, "local");
	mie_text_fold(&slug, title, strlen(title));
	for (size_t i = 0; i < slug.len; i++)
		if (slug.data[i] == ' ')
			slug.data[i] = '-';
	char *id = mie_rec_make_id(site.data, "dossier", slug.len ? slug.data : "dossier");
	json_t *rec = mie_rec_new("dossier", id);
	free(id);
	mie_buf_release(&site);
	mie_buf_release(&slug);
	if (mie_rec_set_str(rec, "title", title) < 0) {
		json_decref(rec);
		return NULL;
	}
	json_object_set_new(rec, "members", json_deep_copy(members));
	json_t *prov = json_object();
	json_object_set_new(prov, "format", json_string("mie-filter"));
	json_object_set_new(rec, "provenance", json_pack("[o]", prov));
	return rec;
}
