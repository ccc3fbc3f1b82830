/* mie_export_site.c — records' places in the static-site layouts (the rule
 * is stated in mie_export_site.h). */
#include <stdlib.h>
#include <string.h>

#include "core/mie_buf.h"
#include "export/mie_export_paths.h"
#include "export/mie_export_site.h"
#include "formats/mie_bagit.h"
#include "record/mie_record.h"
#include "record/mie_xref.h"
#include "select/mie_idmap.h"
#include "text/mie_fold.h"

#define SLUG_MAX 60

typedef struct entry {
	char *id;    /* owned */
	char *url;   /* owned, NULL until placed (documents: until done) */
	char *file;  /* owned, or NULL */
	char *doc;   /* owned: a document's `file`, else NULL */
	long bundle; /* a document: index of the first entry listing it + 1, 0 none */
} entry;

struct mie_export_site {
	int layout;
	entry *e;
	size_t n, cap;
	mie_idmap ids;    /* id hash -> index + 1 */
	mie_idmap urls;   /* URL hash -> 1 */
	mie_idmap claims; /* document id hash -> index + 1 of the first bundle listing it */
};

int mie_site_layout_parse(const char *s)
{
	return !s                         ? -1
	       : strcmp(s, "html") == 0   ? MIE_SITE_HTML
	       : strcmp(s, "hugo") == 0   ? MIE_SITE_HUGO
	       : strcmp(s, "jekyll") == 0 ? MIE_SITE_JEKYLL
	                                  : -1;
}

mie_export_site *mie_export_site_new(int layout)
{
	mie_export_site *s = mie_xcalloc(1, sizeof *s);
	s->layout = layout;
	mie_idmap_init(&s->ids);
	mie_idmap_init(&s->urls);
	mie_idmap_init(&s->claims);
	return s;
}

void mie_export_site_free(mie_export_site **sp)
{
	mie_export_site *s = sp ? *sp : NULL;
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->e[i].id);
		free(s->e[i].url);
		free(s->e[i].file);
		free(s->e[i].doc);
	}
	free(s->e);
	mie_idmap_release(&s->ids);
	mie_idmap_release(&s->urls);
	mie_idmap_release(&s->claims);
	free(s);
	*sp = NULL;
}

void mie_export_slug(mie_buf *out, const char *s)
{
	mie_buf f = MIE_BUF_INIT;
	if (s)
		mie_text_fold(&f, s, strlen(s));
	size_t start = out->len;
	int dash = 0;
	for (size_t i = 0; i < f.len && out->len - start < SLUG_MAX; i++) {
		char c = f.data[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && out->len > start)
				mie_buf_addc(out, '-');
			dash = 0;
			mie_buf_addc(out, c);
		} else if (c >= 'A' && c <= 'Z') { /* fold lowers; kept for safety */
			if (dash && out->len > start)
				mie_buf_addc(out, '-');
			dash = 0;
			mie_buf_addc(out, (char)(c + 32));
		} else {
			dash = 1;
		}
	}
	if (out->len == start)
		mie_buf_adds(out, "sans-titre");
	mie_buf_release(&f);
}

static const char *id_type_local(const char *id, size_t *tlen)
{
	const char *c1 = id ? strchr(id, ':') : NULL;
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c2)
		return NULL;
	*tlen = (size_t)(c2 - c1 - 1);
	return c2 + 1;
}

/* The slugs of a section_path, '/'-separated, each followed by '/'. */
static int section_dirs(mie_buf *out, const json_t *path)
{
	size_t i;
	const json_t *v;
	int n = 0;
	json_array_foreach(path, i, v)
	{
		if (!json_is_string(v))
			continue;
		mie_export_slug(out, json_string_value(v));
		mie_buf_addc(out, '/');
		n++;
	}
	return n;
}

static const entry *find(const mie_export_site *s, const char *id);

/* The URL given to the record's section (made unique: sibling sections of
 * one title are two folders), or NULL when it is not placed (yet). */
static const char *section_url(const mie_export_site *s, const json_t *rec)
{
	const char *sec = mie_rec_str(rec, "section");
	const entry *e = sec ? find(s, sec) : NULL;
	return e && e->url && !e->doc ? e->url : NULL;
}

/* "L-T": the slug of the id's last part and of the title. */
static void leaf(mie_buf *out, const json_t *rec, const char *local)
{
	mie_export_slug(out, local);
	const char *title = mie_rec_str(rec, "title");
	if (title && *title) {
		mie_buf_addc(out, '-');
		mie_export_slug(out, title);
	}
}

/* Y-M-D of the record's date (date_published, else date_modified): 0 when
 * it has neither. */
static int ymd(const json_t *rec, char d[11])
{
	const char *s = mie_rec_str(rec, "date_published");
	if (!s || strlen(s) < 10)
		s = mie_rec_str(rec, "date_modified");
	if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return 0;
	memcpy(d, s, 10);
	d[10] = '\0';
	return 1;
}

/* Makes url unique (adds "-2"… before its final '/' or at its end) and
 * registers it; the same suffix goes into file at `fpos` when fpos is not
 * (size_t)-1. */
static void unique(mie_export_site *s, mie_buf *url, mie_buf *file, size_t fpos)
{
	int added = 0;
	mie_idmap_put(&s->urls, mie_xref_hash(url->data), 1, &added);
	if (added)
		return;
	int slash = url->len && url->data[url->len - 1] == '/';
	mie_buf base = MIE_BUF_INIT, fbase = MIE_BUF_INIT;
	mie_buf_add(&base, url->data, url->len - (size_t)slash);
	if (file && fpos != (size_t)-1)
		mie_buf_add(&fbase, file->data, file->len);
	for (int k = 2;; k++) {
		mie_buf_reset(url);
		mie_buf_addf(url, "%s-%d%s", base.data, k, slash ? "/" : "");
		mie_idmap_put(&s->urls, mie_xref_hash(url->data), 1, &added);
		if (!added)
			continue;
		if (file && fpos != (size_t)-1) {
			mie_buf_reset(file);
			mie_buf_add(file, fbase.data, fpos);
			mie_buf_addf(file, "-%d", k);
			mie_buf_adds(file, fbase.data + fpos);
		}
		break;
	}
	mie_buf_release(&base);
	mie_buf_release(&fbase);
}

static entry *push(mie_export_site *s, const char *id)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->e = mie_xrealloc(s->e, s->cap * sizeof *s->e);
	}
	entry *e = &s->e[s->n++];
	memset(e, 0, sizeof *e);
	e->id = mie_xstrdup(id);
	mie_idmap_put(&s->ids, mie_xref_hash(id), (uint32_t)s->n, NULL);
	return e;
}

/* A page: its URL and, for the Markdown tree, its file. */
static int place_page(mie_export_site *s, const json_t *rec, const char *type, const char *local)
{
	int hugo = s->layout == MIE_SITE_HUGO;
	mie_buf url = MIE_BUF_INIT, file = MIE_BUF_INIT;
	size_t fpos = (size_t)-1; /* where a uniqueness suffix goes in file */
	const char *suffix = "";
	if (strcmp(type, "section") == 0) {
		const char *up = section_url(s, rec); /* its parent's folder, then its own */
		if (up) {
			mie_buf_adds(&url, up);
			mie_export_slug(&url, mie_rec_str(rec, "title"));
			mie_buf_addc(&url, '/');
		} else if (!section_dirs(&url, json_object_get(rec, "section_path"))) {
			mie_export_slug(&url, mie_rec_str(rec, "title"));
			mie_buf_addc(&url, '/');
		}
		mie_buf_adds(&file, hugo ? "content/" : "");
		mie_buf_add(&file, url.data, url.len - 1);
		fpos = file.len;
		suffix = hugo ? "/_index.md" : "/index.md";
	} else if (strcmp(type, "article") == 0 || strcmp(type, "brief") == 0) {
		const char *pre = strcmp(type, "brief") == 0 ? "breve-" : "";
		char d[11];
		if (hugo) {
			const char *up = section_url(s, rec);
			if (up)
				mie_buf_adds(&url, up);
			else if (!section_dirs(&url, json_object_get(rec, "section_path")))
				mie_buf_adds(&url, "articles/");
			mie_buf_adds(&url, pre);
			leaf(&url, rec, local);
			mie_buf_addf(&file, "content/%s", url.data);
			fpos = file.len;
			suffix = "/index.md";
		} else if (ymd(rec, d)) {
			mie_buf_addf(&url, "%.4s/%.2s/%s", d, d + 5, pre);
			leaf(&url, rec, local);
			mie_buf_addf(&file, "_posts/%s-%s", d, url.data + 8);
			fpos = file.len;
			suffix = ".md";
		} else { /* no date: a page (a post is named by its date) */
			mie_buf_addf(&url, "sans-date/%s", pre);
			leaf(&url, rec, local);
			mie_buf_add(&file, url.data, url.len);
			fpos = file.len;
			suffix = ".md";
		}
		mie_buf_addc(&url, '/');
	} else {
		const char *dir = strcmp(type, "organisation") == 0 ? "organisations/"
		                  : strcmp(type, "keyword") == 0    ? "mots/"
		                                                    : "auteurs/";
		mie_buf_adds(&url, dir);
		if (strcmp(type, "organisation") == 0)
			mie_export_slug(&url, local);
		else
			leaf(&url, rec, local);
		mie_buf_addf(&file, "%s%s", hugo ? "content/" : "", url.data);
		fpos = file.len;
		suffix = ".md";
		mie_buf_addc(&url, '/');
	}
	unique(s, &url, &file, fpos);
	mie_buf_adds(&file, suffix);
	entry *e = push(s, mie_rec_str(rec, "id"));
	e->url = mie_buf_detach(&url, NULL);
	e->file = mie_buf_detach(&file, NULL);
	/* the documents this page lists, for a bundle */
	if (hugo && (strcmp(type, "article") == 0 || strcmp(type, "brief") == 0)) {
		size_t i;
		const json_t *v;
		json_array_foreach(json_object_get(rec, "documents"), i, v) if (json_is_string(v))
		        mie_idmap_put(&s->claims, mie_xref_hash(json_string_value(v)),
		                      (uint32_t)s->n, NULL);
	}
	return 1;
}

int mie_export_site_add(mie_export_site *s, const json_t *rec)
{
	const char *id = mie_rec_str(rec, "id"), *type = mie_rec_str(rec, "type");
	size_t tlen;
	const char *local = id_type_local(id, &tlen);
	if (!local || !*local || !type || mie_idmap_get(&s->ids, mie_xref_hash(id)))
		return 0;
	if (s->layout == MIE_SITE_HTML) {
		mie_buf url = MIE_BUF_INIT;
		if (mie_export_html_path_of(&url, rec) < 0) {
			mie_buf_release(&url);
			return 0;
		}
		push(s, id)->url = mie_buf_detach(&url, NULL);
		return 1;
	}
	if (strcmp(type, "document") == 0) {
		const char *file = mie_rec_str(rec, "file");
		if (!file || !*file || mie_bagit_path_problem(file))
			return 0;
		push(s, id)->doc = mie_xstrdup(file);
		return 1;
	}
	static const char *const paged[] = {"section",      "article", "brief",
	                                    "organisation", "keyword", "author"};
	for (size_t i = 0; i < sizeof paged / sizeof *paged; i++)
		if (strcmp(paged[i], type) == 0)
			return place_page(s, rec, type, local);
	return 0;
}

void mie_export_site_done(mie_export_site *s)
{
	for (size_t i = 0; i < s->n; i++) {
		entry *e = &s->e[i];
		if (!e->doc || e->url)
			continue;
		uint32_t *b = s->layout == MIE_SITE_HUGO
		                      ? mie_idmap_get(&s->claims, mie_xref_hash(e->id))
		                      : NULL;
		mie_buf url = MIE_BUF_INIT, file = MIE_BUF_INIT;
		if (b) {
			const entry *page = &s->e[*b - 1];
			const char *base = strrchr(e->doc, '/');
			base = base ? base + 1 : e->doc;
			mie_buf_addf(&url, "%s%s", page->url, base);
			const char *slash = strrchr(page->file, '/');
			mie_buf_add(&file, page->file, (size_t)(slash - page->file + 1));
			size_t fpos = file.len;
			mie_buf_adds(&file, base);
			/* a second document of the same name in the bundle: "2-" before it */
			int added = 0;
			mie_idmap_put(&s->urls, mie_xref_hash(url.data), 1, &added);
			for (int k = 2; !added; k++) {
				mie_buf_reset(&url);
				mie_buf_addf(&url, "%s%d-%s", page->url, k, base);
				mie_idmap_put(&s->urls, mie_xref_hash(url.data), 1, &added);
				mie_buf_setlen(&file, fpos);
				mie_buf_addf(&file, "%d-%s", k, base);
			}
		} else {
			mie_buf_addf(&url, "files/%s", e->doc);
			mie_buf_addf(&file, "%sfiles/%s",
			             s->layout == MIE_SITE_HUGO ? "static/" : "", e->doc);
			mie_idmap_put(&s->urls, mie_xref_hash(url.data), 1, NULL);
		}
		e->url = mie_buf_detach(&url, NULL);
		e->file = mie_buf_detach(&file, NULL);
	}
}

static const entry *find(const mie_export_site *s, const char *id)
{
	uint32_t *i = id ? mie_idmap_get(&s->ids, mie_xref_hash(id)) : NULL;
	return i && strcmp(s->e[*i - 1].id, id) == 0 ? &s->e[*i - 1] : NULL;
}

const char *mie_export_site_url(const mie_export_site *s, const char *id)
{
	const entry *e = find(s, id);
	return e ? e->url : NULL;
}

const char *mie_export_site_file(const mie_export_site *s, const char *id)
{
	const entry *e = find(s, id);
	return e ? e->file : NULL;
}
