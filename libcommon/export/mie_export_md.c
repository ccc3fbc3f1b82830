/* mie_export_md.c — `mie-export --to markdown -o DIR`: one Markdown file
 * with YAML front matter per article, brief, section, organisation,
 * keyword and author, laid out as a Hugo content tree (default) or a
 * Jekyll site (--layout jekyll), with the attachments beside and a
 * minimal site configuration, so that `hugo` or `jekyll build` in DIR
 * builds the archive as it is.
 *
 * Where each record goes: export/mie_export_site.h (one rule with the
 * redirect maps).  The text is the records' safe HTML converted by
 * text/mie_spip_md.h: lead, text, post-scriptum, then the notes as
 * footnotes; links to other records point to their new pages (relative
 * links, so the site works under any path), links to records not
 * exported keep their legacy address.  Front matter (every string double-
 * quoted, with YAML's escapes for '"', '\', control and line-break
 * characters, so no value can end the front matter or become another
 * key):
 *   title, date, lastmod (jekyll: last_modified_at), authors and tags (the
 *   names of the records' authors and keywords), section_path, weight
 *   (rank), surtitle, subtitle, lang, status, interchange_id (the interchange id),
 *   record_type, aliases (the legacy addresses that are plain paths:
 *   "/article78.html"; Hugo writes a redirect page for each),
 *   legacy_urls (every legacy address, formats/mie_legacy.h), and for
 *   Jekyll layout, permalink and render_with_liquid: false (legacy text
 *   is never read as Liquid).
 * Beside: hugo.toml and layouts/_default/{baseof,single,list}.html, or
 * _config.yml and _layouts/default.html (titles escaped by the templates).
 * Attachments: copied from --files-root DIR|ARCHIVE (export/mie_export_files.h);
 * a document whose file is not there is said (exit status 1) unless
 * --allow-missing, and its link stays.
 *
 * Held: the records go to a spill (a temporary file) while they are put:
 * a page's links need the places and titles of records that may come
 * later.  In memory: the places (mie_export_site) and one title per
 * record. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mie_tmp.h"
#include "export/mie_export.h"
#include "export/mie_export_files.h"
#include "export/mie_export_paths.h"
#include "export/mie_export_site.h"
#include "formats/mie_legacy.h"
#include "io/mie_outdir.h"
#include "record/mie_isodate.h"
#include "record/mie_record.h"
#include "text/mie_html.h"
#include "text/mie_spip_md.h"

enum { O_LAYOUT, O_FILES_ROOT, O_ALLOW_MISSING, O_TITLE, O_BASEURL };

static const mie_option md_options[] = {
        {1, 0, "layout", "hugo|jekyll", "the site generator the tree is for (default hugo)"},
        {2, 0, "files-root", "DIR|ARCHIVE", "where the documents' files are"},
        {3, 0, "allow-missing", NULL, "a missing attachment is not an error"},
        {4, 0, "title", "TEXT", "the site's title (default: the site's host)"},
        {5, 0, "base-url", "URL", "the site's baseURL / url in its configuration (default /)"},
        {0, 0, NULL, NULL, NULL}};

typedef struct mdw {
	const char *out;
	const char *const *opt;
	int layout;
	mie_export_site *site; /* owned */
	FILE *spill;           /* owned */
	json_t *titles;        /* owned: id -> title */
	json_t *images;        /* owned: id -> true for image documents */
	json_t *docs;          /* owned: array of document ids placed */
	json_t *sections;      /* owned: URL -> title of the sections, for the home page */
	char *host;            /* owned: the first record's site */
	long html_records;     /* records with HTML fields converted */
	mie_outdir *dir;       /* owned while writing */
	/* copying */
	char **paths;
	const char **dest;
	int *found;
	size_t npaths;
} mdw;

static void mdw_free(mdw *w)
{
	mie_export_site_free(&w->site);
	if (w->spill)
		fclose(w->spill);
	json_decref(w->titles);
	json_decref(w->images);
	json_decref(w->docs);
	json_decref(w->sections);
	free(w->host);
	mie_outdir_abort(&w->dir);
	free(w->paths);
	free(w->dest);
	free(w->found);
	free(w);
}

static int md_open(const mie_export_opts *o, void **state)
{
	if (!o->output || strcmp(o->output, "-") == 0) {
		mie_fatal("--to markdown needs -o DIR");
		return -1;
	}
	const char *lay = o->opt[O_LAYOUT] ? o->opt[O_LAYOUT] : "hugo";
	int layout = mie_site_layout_parse(lay);
	if (layout != MIE_SITE_HUGO && layout != MIE_SITE_JEKYLL) {
		mie_fatal("--layout: \"%s\": not hugo or jekyll", lay);
		return -1;
	}
	mdw *w = mie_xcalloc(1, sizeof *w);
	w->out = o->output;
	w->opt = o->opt;
	w->layout = layout;
	w->site = mie_export_site_new(layout);
	w->titles = json_object();
	w->images = json_object();
	w->docs = json_array();
	w->sections = json_object();
	if (!(w->spill = mie_tmpfile())) {
		mdw_free(w);
		return -1;
	}
	*state = w;
	return 0;
}

static const char *const *md_carries(void *state, const char *type)
{
	static const char *const pages[] = {"type",
	                                    "id",
	                                    "title",
	                                    "date_published",
	                                    "date_modified",
	                                    "section",
	                                    "section_path",
	                                    "authors",
	                                    "keywords",
	                                    "rank",
	                                    "surtitle",
	                                    "subtitle",
	                                    "lang",
	                                    "status",
	                                    "lead.html",
	                                    "text.html",
	                                    "ps.html",
	                                    "notes.html",
	                                    "description.html",
	                                    "documents",
	                                    "links",
	                                    "legacy",
	                                    "variants.legacy",
	                                    "merged_from",
	                                    "group",
	                                    "kind",
	                                    "address",
	                                    "city",
	                                    "url",
	                                    NULL};
	static const char *const docs[] = {"type", "id",     "title",          "file", "mime",
	                                   "size", "legacy", "date_published", NULL};
	return type && strcmp(type, "document") == 0 ? docs : pages;
}

static int md_put(void *state, const json_t *rec, const mie_loc *loc)
{
	mdw *w = state;
	if (!mie_export_site_add(w->site, rec))
		return MIE_EXPORT_SKIP;
	const char *id = mie_rec_str(rec, "id"), *title = mie_rec_str(rec, "title");
	const char *type = mie_rec_str(rec, "type"), *mime = mie_rec_str(rec, "mime");
	json_object_set_new(w->titles, id, json_string(title ? title : ""));
	if (strcmp(type, "document") == 0) {
		json_array_append_new(w->docs, json_string(id));
		if (mime && strncmp(mime, "image/", 6) == 0)
			json_object_set_new(w->images, id, json_true());
	}
	if (!w->host && strchr(id, ':'))
		w->host = mie_xstrndup(id, (size_t)(strchr(id, ':') - id));
	if (json_dumpf(rec, w->spill, JSON_COMPACT) < 0 || fputc('\n', w->spill) == EOF) {
		mie_fatal("temporary file: write error: %s", strerror(errno ? errno : EIO));
		return MIE_EXPORT_FATAL;
	}
	return MIE_EXPORT_OK;
}

/* ---- YAML ---- */

/* Appends s as a YAML double-quoted scalar: '"' and '\' escaped, C0 and
 * C1 controls, DEL, U+2028, U+2029 and U+FEFF as \uXXXX (YAML reads the
 * line breaks among them as breaks, and a BOM as a marker). */
static void yaml_str(mie_buf *out, const char *s)
{
	mie_buf_addc(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned cp = 0;
		int k = 0;
		if (*p == '"' || *p == '\\') {
			mie_buf_addc(out, '\\');
			mie_buf_addc(out, (char)*p);
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			cp = *p;
		} else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			cp = p[1];
			k = 1;
		} else if (*p == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
			cp = p[2] == 0xA8 ? 0x2028 : 0x2029;
			k = 2;
		} else if (*p == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
			cp = 0xFEFF;
			k = 2;
		} else {
			mie_buf_addc(out, (char)*p);
			continue;
		}
		mie_buf_addf(out, "\\u%04X", cp);
		p += k;
	}
	mie_buf_addc(out, '"');
}

static void yaml_key_str(mie_buf *out, const char *key, const char *s)
{
	if (!s || !*s)
		return;
	mie_buf_addf(out, "%s: ", key);
	yaml_str(out, s);
	mie_buf_addc(out, '\n');
}

/* A date as a YAML timestamp when it is a schema date, else quoted. */
static void yaml_date(mie_buf *out, const char *key, const char *s)
{
	if (!s || !*s)
		return;
	if (mie_date_valid_iso(s))
		mie_buf_addf(out, "%s: %s\n", key, s);
	else
		yaml_key_str(out, key, s);
}

static void yaml_list(mie_buf *out, const char *key, const json_t *arr)
{
	if (!json_array_size(arr))
		return;
	mie_buf_addf(out, "%s: [", key);
	size_t i;
	const json_t *v;
	json_array_foreach(arr, i, v)
	{
		if (i)
			mie_buf_adds(out, ", ");
		yaml_str(out, json_is_string(v) ? json_string_value(v) : "");
	}
	mie_buf_adds(out, "]\n");
}

/* ---- one page ---- */

typedef struct page {
	mdw *w;
	const char *url; /* the page's own URL */
	json_t *aliases, *legacy;
	const char *base; /* "http://www.HOST/" for legacy_urls */
} page;

/* Appends the relative link from page URL `from` (a folder: ends with '/')
 * to `to`. */
static void relative(mie_buf *out, const char *from, const char *to)
{
	size_t common = 0;
	for (size_t i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	for (const char *p = from + common; *p; p++)
		if (*p == '/')
			mie_buf_adds(out, "../");
	if (!to[common] && !out->len)
		mie_buf_adds(out, "./");
	mie_buf_adds(out, to + common);
}

static int resolve(void *arg, const char *id, mie_buf *url, mie_buf *title)
{
	page *pg = arg;
	const char *to = mie_export_site_url(pg->w->site, id);
	if (!to)
		return -1;
	mie_buf rel = MIE_BUF_INIT;
	relative(&rel, pg->url, to);
	mie_export_href(url, rel.data);
	mie_buf_release(&rel);
	const char *t = mie_rec_str(pg->w->titles, id);
	if (t)
		mie_buf_adds(title, t);
	return json_object_get(pg->w->images, id) ? 1 : 0;
}

static void on_legacy(void *arg, const char *path)
{
	page *pg = arg;
	mie_buf u = MIE_BUF_INIT;
	mie_buf_addf(&u, "%s%s", pg->base, path);
	json_array_append_new(pg->legacy, json_string(u.data));
	mie_buf_reset(&u);
	/* a plain path Hugo can answer with a redirect page */
	if (!strpbrk(path, "?&#%\"\\ ") && strstr(path, ".html")) {
		mie_buf_addf(&u, "/%s", path);
		json_array_append_new(pg->aliases, json_string(u.data));
	}
	mie_buf_release(&u);
}

/* The names of the records an array of ids points to (those known). */
static json_t *names(mdw *w, const json_t *ids)
{
	json_t *a = json_array();
	size_t i;
	const json_t *v;
	json_array_foreach(ids, i, v)
	{
		const char *t = mie_rec_str(w->titles, json_string_value(v));
		if (t && *t)
			json_array_append_new(a, json_string(t));
	}
	return a;
}

static const char *html_of(const json_t *rec, const char *field)
{
	return mie_rec_str(json_object_get(rec, field), "html");
}

static void front_matter(mdw *w, page *pg, const json_t *rec, mie_buf *out)
{
	const char *type = mie_rec_str(rec, "type");
	int jekyll = w->layout == MIE_SITE_JEKYLL;
	mie_buf_adds(out, "---\n");
	yaml_key_str(out, "title", mie_rec_str(rec, "title") ? mie_rec_str(rec, "title") : "");
	if (!mie_rec_str(rec, "title") || !*mie_rec_str(rec, "title"))
		mie_buf_adds(out, "title: \"\"\n");
	yaml_date(out, "date", mie_rec_str(rec, "date_published"));
	yaml_date(out, jekyll ? "last_modified_at" : "lastmod", mie_rec_str(rec, "date_modified"));
	json_t *a = names(w, json_object_get(rec, "authors"));
	yaml_list(out, "authors", a);
	json_decref(a);
	a = names(w, json_object_get(rec, "keywords"));
	yaml_list(out, "tags", a);
	json_decref(a);
	yaml_list(out, "section_path", json_object_get(rec, "section_path"));
	const json_t *rank = json_object_get(rec, "rank");
	if (json_is_integer(rank))
		mie_buf_addf(out, "weight: %lld\n", (long long)json_integer_value(rank));
	static const char *const plain[] = {"surtitle", "subtitle", "lang", "status", "group",
	                                    "kind",     "address",  "city", "url"};
	for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
		if (strcmp(plain[i], "url") != 0 || strcmp(type, "organisation") == 0)
			yaml_key_str(out, strcmp(plain[i], "url") == 0 ? "website" : plain[i],
			             mie_rec_str(rec, plain[i]));
	yaml_key_str(out, "interchange_id", mie_rec_str(rec, "id"));
	yaml_key_str(out, "record_type", type);
	if (!jekyll)
		yaml_list(out, "aliases", pg->aliases);
	yaml_list(out, "legacy_urls", pg->legacy);
	if (jekyll) {
		mie_buf p = MIE_BUF_INIT;
		mie_buf_addc(&p, '/');
		mie_export_href(&p, pg->url);
		yaml_key_str(out, "permalink", p.data);
		mie_buf_release(&p);
		mie_buf_adds(out, "layout: default\nrender_with_liquid: false\n");
	}
	mie_buf_adds(out, "---\n");
}

static void body(mdw *w, page *pg, const json_t *rec, mie_buf *out)
{
	mie_md_links l = {resolve, pg};
	static const char *const fields[] = {"description", "lead", "text"};
	int any = 0;
	mie_buf md = MIE_BUF_INIT;
	for (size_t i = 0; i < 3; i++) {
		const char *h = html_of(rec, fields[i]);
		if (!h || !*h)
			continue;
		if (md.len)
			mie_buf_addc(&md, '\n');
		mie_md_from_html(&md, h, strlen(h), &l);
		any = 1;
	}
	const char *ps = html_of(rec, "ps");
	if (ps && *ps) {
		mie_buf_adds(&md, md.len ? "\n* * *\n\n" : "");
		mie_md_from_html(&md, ps, strlen(ps), &l);
		any = 1;
	}
	const json_t *docs = json_object_get(rec, "documents");
	if (json_array_size(docs)) {
		mie_buf list = MIE_BUF_INIT, url = MIE_BUF_INIT, title = MIE_BUF_INIT;
		size_t i;
		const json_t *v;
		json_array_foreach(docs, i, v)
		{
			mie_buf_reset(&url);
			mie_buf_reset(&title);
			if (!json_is_string(v) ||
			    resolve(pg, json_string_value(v), &url, &title) < 0)
				continue;
			mie_buf h = MIE_BUF_INIT;
			mie_buf_adds(&h, "<ul><li><a href=\"");
			mie_html_escape(&h, url.data, url.len, 1);
			mie_buf_adds(&h, "\">");
			mie_html_escape(&h, title.len ? title.data : url.data,
			                title.len ? title.len : url.len, 0);
			mie_buf_adds(&h, "</a></li></ul>");
			mie_md_from_html(&list, h.data, h.len, NULL);
			mie_buf_release(&h);
		}
		if (list.len) {
			mie_buf_adds(&md, md.len ? "\n### Documents joints\n\n"
			                         : "### Documents joints\n\n");
			mie_buf_add(&md, list.data, list.len);
		}
		mie_buf_release(&list);
		mie_buf_release(&url);
		mie_buf_release(&title);
	}
	const char *notes = html_of(rec, "notes");
	if (notes && *notes) {
		if (md.len)
			mie_buf_addc(&md, '\n');
		mie_md_notes(&md, notes, strlen(notes), &l);
		any = 1;
	}
	if (any)
		w->html_records++;
	if (md.len)
		mie_buf_addc(out, '\n');
	mie_buf_add(out, md.data, md.len);
	mie_buf_release(&md);
}

static int write_page(mdw *w, const json_t *rec)
{
	const char *id = mie_rec_str(rec, "id");
	const char *file = mie_export_site_file(w->site, id);
	if (!file || strcmp(mie_rec_str(rec, "type"), "document") == 0)
		return 0;
	page pg = {w, mie_export_site_url(w->site, id), json_array(), json_array(), NULL};
	const char *lu = mie_rec_str(json_object_get(rec, "legacy"), "url");
	mie_buf base = MIE_BUF_INIT;
	const char *slash = lu && strstr(lu, "://") ? strchr(strstr(lu, "://") + 3, '/') : NULL;
	if (slash)
		mie_buf_add(&base, lu, (size_t)(slash - lu + 1));
	else
		mie_buf_addf(&base, "http://www.%s/", w->host ? w->host : "localhost");
	pg.base = base.data;
	mie_legacy_paths(rec, on_legacy, &pg);
	if (strcmp(mie_rec_str(rec, "type"), "section") == 0)
		json_object_set_new(
		        w->sections, pg.url,
		        json_string(mie_rec_str(rec, "title") ? mie_rec_str(rec, "title") : ""));
	mie_buf out = MIE_BUF_INIT;
	front_matter(w, &pg, rec, &out);
	body(w, &pg, rec, &out);
	int rc = mie_outdir_write(w->dir, file, out.data, out.len);
	mie_buf_release(&out);
	mie_buf_release(&base);
	json_decref(pg.aliases);
	json_decref(pg.legacy);
	return rc;
}

/* ---- the site's configuration ---- */

static int cmp_str(const void *a, const void *b);

static const char hugo_baseof[] =
        "<!DOCTYPE html>\n<html lang=\"{{ site.LanguageCode }}\">\n<head>\n"
        "<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>{{ .Title }} – {{ site.Title }}</title>\n"
        "<style>body{max-width:42em;margin:auto;padding:0 1em;font-family:sans-serif;"
        "line-height:1.5}table{border-collapse:collapse}td,th{border:1px solid #999;"
        "padding:.2em .4em}</style>\n</head>\n<body>\n"
        "<header><a href=\"{{ \"\" | relURL }}\">{{ site.Title }}</a></header>\n"
        "<main data-mie-id=\"{{ .Params.interchange_id }}\">\n{{ block \"main\" . }}{{ end "
        "}}\n</main>\n"
        "</body>\n</html>\n";
static const char hugo_single[] =
        "{{ define \"main\" }}\n{{ with .Params.surtitle }}<p>{{ . }}</p>{{ end }}\n"
        "<h1>{{ .Title }}</h1>\n"
        "{{ with .Params.authors }}<p>{{ delimit . \", \" }}</p>{{ end }}\n"
        "{{ if not .Date.IsZero }}<p><time>{{ .Date.Format \"2006-01-02\" }}</time></p>{{ end }}\n"
        "{{ .Content }}\n"
        "{{ with .Params.tags }}<p>{{ delimit . \", \" }}</p>{{ end }}\n{{ end }}\n";
static const char hugo_list[] =
        "{{ define \"main\" }}\n<h1>{{ .Title }}</h1>\n{{ .Content }}\n"
        "<ul>\n{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>\n"
        "{{ end }}</ul>\n{{ end }}\n";
static const char jekyll_default[] =
        "<!DOCTYPE html>\n<html lang=\"{{ page.lang | default: site.lang | escape }}\">\n"
        "<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>{{ page.title | escape }} – {{ site.title | escape }}</title>\n</head>\n"
        "<body>\n<main data-mie-id=\"{{ page.interchange_id | escape }}\">\n"
        "{% if page.surtitle %}<p>{{ page.surtitle | escape }}</p>{% endif %}\n"
        "<h1>{{ page.title | escape }}</h1>\n{{ content }}\n</main>\n</body>\n</html>\n";

/* The home page: the site's title and its sections, as a tree (their URLs
 * sorted: a section follows its parent). */
static int write_home(mdw *w, const char *title)
{
	int jekyll = w->layout == MIE_SITE_JEKYLL;
	mie_buf out = MIE_BUF_INIT, h = MIE_BUF_INIT;
	mie_buf_adds(&out, "---\ntitle: ");
	yaml_str(&out, title);
	mie_buf_adds(&out,
	             jekyll ? "\nlayout: default\nrender_with_liquid: false\n---\n" : "\n---\n");
	size_t n = json_object_size(w->sections), i = 0;
	const char **urls = mie_xcalloc(n ? n : 1, sizeof *urls);
	const char *k;
	json_t *v;
	json_object_foreach(w->sections, k, v) urls[i++] = k;
	if (n)
		qsort(urls, n, sizeof *urls, cmp_str);
	int open = 0; /* <ul> open */
	for (i = 0; i < n; i++) {
		int depth = 0;
		for (const char *p = urls[i]; *p; p++)
			depth += *p == '/';
		if (open >= depth) {
			for (; open > depth; open--)
				mie_buf_adds(&h, "</li></ul>");
			mie_buf_adds(&h, "</li><li>");
		}
		for (; open < depth; open++)
			mie_buf_adds(&h, "<ul><li>");
		mie_buf_adds(&h, "<a href=\"");
		mie_buf lnk = MIE_BUF_INIT;
		mie_export_href(&lnk, urls[i]);
		mie_html_escape(&h, lnk.data, lnk.len, 1);
		mie_buf_release(&lnk);
		mie_buf_adds(&h, "\">");
		const char *t = json_string_value(json_object_get(w->sections, urls[i]));
		mie_html_escape(&h, t, strlen(t), 0);
		mie_buf_adds(&h, "</a>");
	}
	for (; open > 0; open--)
		mie_buf_adds(&h, "</li></ul>");
	if (h.len) {
		mie_buf_addc(&out, '\n');
		mie_md_from_html(&out, h.data, h.len, NULL);
	}
	free(urls);
	mie_buf_release(&h);
	int rc = mie_outdir_write(w->dir, jekyll ? "index.md" : "content/_index.md", out.data,
	                          out.len);
	mie_buf_release(&out);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int write_config(mdw *w)
{
	const char *title = w->opt[O_TITLE] ? w->opt[O_TITLE] : w->host ? w->host : "archive";
	const char *baseurl = w->opt[O_BASEURL] ? w->opt[O_BASEURL] : "/";
	mie_buf c = MIE_BUF_INIT;
	int rc;
	if (w->layout == MIE_SITE_HUGO) {
		/* TOML basic strings take the same escapes as YAML's double quotes */
		mie_buf_adds(&c, "# written by mie-export --to markdown: `hugo` in this folder "
		                 "builds public/\nbaseURL = ");
		yaml_str(&c, baseurl);
		mie_buf_adds(&c, "\nlanguageCode = \"fr\"\ntitle = ");
		yaml_str(&c, title);
		mie_buf_adds(&c, "\nbuildFuture = true\nbuildExpired = true\n"
		                 "disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n"
		                 "[markup.goldmark.renderer]\nunsafe = false\n");
		rc = mie_outdir_write(w->dir, "hugo.toml", c.data, c.len);
		rc = rc ? rc
		        : mie_outdir_write(w->dir, "layouts/_default/baseof.html", hugo_baseof,
		                           sizeof hugo_baseof - 1);
		rc = rc ? rc
		        : mie_outdir_write(w->dir, "layouts/_default/single.html", hugo_single,
		                           sizeof hugo_single - 1);
		rc = rc ? rc
		        : mie_outdir_write(w->dir, "layouts/_default/list.html", hugo_list,
		                           sizeof hugo_list - 1);
	} else {
		mie_buf_adds(&c, "# written by mie-export --to markdown --layout jekyll: "
		                 "`jekyll build` in this folder builds _site/\ntitle: ");
		yaml_str(&c, title);
		mie_buf_adds(&c, "\nbaseurl: ");
		yaml_str(&c, strcmp(baseurl, "/") == 0 ? "" : baseurl);
		mie_buf_adds(&c, "\nlang: \"fr\"\nmarkdown: kramdown\nfuture: true\n"
		                 "defaults:\n  - scope:\n      path: \"\"\n    values:\n"
		                 "      layout: default\n");
		rc = mie_outdir_write(w->dir, "_config.yml", c.data, c.len);
		rc = rc ? rc
		        : mie_outdir_write(w->dir, "_layouts/default.html", jekyll_default,
		                           sizeof jekyll_default - 1);
	}
	mie_buf_release(&c);
	return rc ? rc : write_home(w, title);
}

/* ---- attachments ---- */

static int copy_one(void *ctx, size_t i, int64_t size, mie_bagit_read_fn rd, void *src,
                    const char *what)
{
	mdw *w = ctx;
	FILE *fp = mie_outdir_open_file(w->dir, w->dest[i]);
	if (!fp)
		return -1;
	static char buf[1 << 16];
	ssize_t n;
	int64_t done = 0;
	errno = 0;
	while (done < size && (n = rd(src, buf, sizeof buf)) > 0) {
		if (done + n > size)
			n = (ssize_t)(size - done);
		fwrite(buf, 1, (size_t)n, fp);
		done += n;
	}
	if (mie_outdir_close_file(w->dir, fp, w->dest[i]) < 0)
		return -1;
	if (done != size) {
		mie_fatal("%s: read error", what);
		return -1;
	}
	w->found[i] = 1;
	return 0;
}

static int copy_attachments(mdw *w)
{
	size_t n = json_array_size(w->docs);
	if (!n)
		return 0;
	w->paths = mie_xcalloc(n, sizeof *w->paths);
	w->dest = mie_xcalloc(n, sizeof *w->dest);
	w->found = mie_xcalloc(n, sizeof *w->found);
	json_t *files = json_object();
	for (size_t i = 0; i < n; i++) {
		const char *id = json_string_value(json_array_get(w->docs, i));
		json_object_set_new(files, id, json_null());
		w->dest[i] = mie_export_site_file(w->site, id);
	}
	/* the documents' `file`, read back from the spill's records */
	rewind(w->spill);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, w->spill)) > 0) {
		json_t *rec = json_loadb(line, (size_t)len, 0, NULL);
		const char *id = mie_rec_str(rec, "id");
		if (id && json_is_null(json_object_get(files, id)) && mie_rec_str(rec, "file"))
			json_object_set_new(files, id, json_string(mie_rec_str(rec, "file")));
		json_decref(rec);
	}
	free(line);
	for (size_t i = 0; i < n; i++)
		w->paths[i] =
		        (char *)mie_rec_str(files, json_string_value(json_array_get(w->docs, i)));
	const char *root = w->opt[O_FILES_ROOT];
	int rc = root ? mie_export_files_read(root, (const char *const *)w->paths, n, copy_one, w)
	              : 0;
	for (size_t i = 0; !rc && i < n; i++)
		if (!w->found[i] && !w->opt[O_ALLOW_MISSING])
			mie_error_at(NULL, "%s: file \"%s\": missing from %s",
			             json_string_value(json_array_get(w->docs, i)),
			             w->paths[i] ? w->paths[i] : "",
			             root ? root : "the files (no --files-root)");
	json_decref(files);
	return rc;
}

static int md_finish(void *state)
{
	mdw *w = state;
	int rc = -1;
	mie_export_site_done(w->site);
	if (mie_exit_status() >= MIE_EXIT_FATAL || !(w->dir = mie_outdir_open(w->out))) {
		mdw_free(w);
		return -1;
	}
	rewind(w->spill);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	rc = 0;
	while (!rc && (len = getline(&line, &cap, w->spill)) > 0) {
		json_t *rec = json_loadb(line, (size_t)len, 0, NULL);
		if (!rec) {
			mie_fatal("temporary file: unreadable");
			rc = -1;
			break;
		}
		rc = write_page(w, rec);
		json_decref(rec);
	}
	free(line);
	rc = rc ? rc : copy_attachments(w);
	rc = rc ? rc : write_config(w);
	if (!rc && w->html_records)
		mie_export_inexact(
		        "text.html", w->html_records,
		        "converted to Markdown: the HTML's classes and attributes are not kept");
	if (!rc)
		rc = mie_outdir_commit(&w->dir);
	mdw_free(w);
	return rc;
}

static void md_abort(void *state)
{
	mdw_free(state);
}

const mie_export_writer mie_export_markdown = {
        .name = "markdown",
        .summary = "Markdown pages with YAML front matter, a Hugo or Jekyll site",
        .options = md_options,
        .loss_hint = NULL,
        .open = md_open,
        .carries = md_carries,
        .put = md_put,
        .finish = md_finish,
        .abort = md_abort,
};
