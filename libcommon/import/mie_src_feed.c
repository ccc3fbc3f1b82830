/* mie_src_feed.c — RSS 0.91/1.0/2.0, Atom 1.0 and Atom 0.3 feeds (SPIP's
 * backend.php, backend-breves.php) to records.
 *
 * - Atom 0.3 (namespace http://purl.org/atom/ns#, what SPIP 1.8/1.9 and
 *   blogs of the time wrote) is read as Atom: issued → published, modified
 *   → updated, content mode="escaped" as HTML.  A feed in UTF-16 (with its
 *   byte order mark) is sniffed through it; libxml2 decodes it.
 * - Keywords: the item's dc:subject and <category> (RSS text, Atom term or
 *   label) name the site's keywords: each distinct name becomes a keyword
 *   record HOST:keyword:SLUG (the slug of mie_text_fold, as CSV ids), once
 *   per feed, and the item's "keywords" hold their ids.
 * - Parsed whole by libxml2 (XML_PARSE_NONET | XML_PARSE_RECOVER, no entity
 *   substitution, no DTD loading; entity references are dropped from the
 *   text).  Holding the tree is a deliberate, bounded choice: a feed is 10
 *   to 20 items (SPIP's backend), at most 64 MiB is read, and only the
 *   recovering parser keeps the items of a feed that is not well-formed
 *   (the streaming reader loses the items it had read ahead of an error,
 *   BAD-INPUTS section 0 item 4).  A well-formedness error is reported.
 * - Id from the item link (then guid, Atom link rel="alternate"), the same
 *   rule as pages: spip.php?article78, article78.html, id_article=78 →
 *   HOST:article:78; spip.php?breve12 → HOST:brief:12.  HOST is --site,
 *   else the link's host, "www." dropped.  An item whose link names no
 *   article or brief is rejected.
 * - title (entities decoded, one line; Atom type="html" as plain text),
 *   date_published from Atom published, pubDate (RFC 822), dc:date or Atom
 *   updated; date_modified from Atom updated when published is there too;
 *   text from content:encoded / Atom content, else description / summary,
 *   sanitised (mie_html_sanitize) with its plain form; lang from
 *   dc:language; the authors' names (dc:creator, Atom
 *   author/name), which name no author record, to extra.creator, joined
 *   by ", "; legacy.url is the link. */
#include <libxml/tree.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text/mie_date.h"
#include "text/mie_fold.h"
#include "text/mie_html.h"
#include "import/mie_import.h"
#include "import/mie_page.h"
#include "record/mie_record.h"
#include "text/mie_text.h"

#define MAX_FEED   ((size_t)64 << 20)
#define NS_ATOM    "http://www.w3.org/2005/Atom"
#define NS_ATOM03  "http://purl.org/atom/ns#"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_DC      "http://purl.org/dc/elements/1.1/"

static int feed_sniff(const unsigned char *head, size_t n, const char *name)
{
	unsigned char narrow[2048];
	size_t m = mie_text_utf16_narrow(head, n, narrow, sizeof narrow);
	const char *s = (const char *)(m ? narrow : head);
	size_t lim = m ? m : n < 4096 ? n : 4096;
	for (size_t i = 0; i + 5 < lim; i++) {
		if (s[i] != '<')
			continue;
		if (strncmp(s + i + 1, "rss", 3) == 0 &&
		    (s[i + 4] == ' ' || s[i + 4] == '>' || s[i + 4] == '\n'))
			return 90;
		if (strncmp(s + i + 1, "rdf:RDF", 7) == 0 && memmem(s, lim, "purl.org/rss/1.0", 16))
			return 90;
		if (strncmp(s + i + 1, "feed", 4) == 0 &&
		    (memmem(s, lim, NS_ATOM, strlen(NS_ATOM)) ||
		     memmem(s, lim, NS_ATOM03, strlen(NS_ATOM03))))
			return 90;
	}
	return 0;
}

/* A feed item names an article or a brief (mie_page_object's kinds);
 * returns the index in mie_page_kinds, or -1. */
static int find_object(const char *s, long *num)
{
	int k = mie_page_object(s, num);
	return k >= 0 && strcmp(mie_page_kinds[k].type, "section") != 0 ? k : -1;
}

static int is(xmlNodePtr n, const char *ns, const char *name)
{
	if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
		return 0;
	const char *u = n->ns ? (const char *)n->ns->href : NULL;
	if (!ns) /* RSS: no namespace, or RSS 1.0's */
		return !u || strcmp(u, "http://purl.org/rss/1.0/") == 0 ||
		       strcmp(u, "http://my.netscape.com/rdf/simple/0.9/") == 0;
	if (u && strcmp(ns, NS_ATOM) == 0 && strcmp(u, NS_ATOM03) == 0)
		return 1; /* Atom 0.3: the same elements but the dates (see collect) */
	return u && strcmp(u, ns) == 0;
}

/* Text and CDATA under n; entity references are not expanded (an internal
 * subset could declare a billion laughs). */
static void text_add(mie_buf *b, xmlNodePtr n)
{
	for (xmlNodePtr c = n->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			mie_buf_adds(b, (const char *)c->content);
		else if (c->type == XML_ELEMENT_NODE)
			text_add(b, c);
}

static char *text_of(xmlNodePtr n)
{
	mie_buf b = MIE_BUF_INIT;
	text_add(&b, n);
	mie_buf_addc(&b, 0);
	return mie_buf_detach(&b, NULL);
}

/* The markup of an Atom type="xhtml" element: its children serialised. */
static char *xhtml_of(xmlNodePtr n)
{
	xmlBufferPtr b = xmlBufferCreate();
	for (xmlNodePtr c = n->children; c; c = c->next)
		xmlNodeDump(b, n->doc, c, 0, 0);
	char *s = mie_xstrdup((const char *)xmlBufferContent(b));
	xmlBufferFree(b);
	return s;
}

/* Atom text construct to HTML (text: escaped). */
static char *atom_html(xmlNodePtr n)
{
	xmlChar *t = xmlGetProp(n, (const xmlChar *)"type");
	xmlChar *mode = xmlGetProp(n, (const xmlChar *)"mode"); /* Atom 0.3 */
	const char *ty = t ? (const char *)t : "";
	char *s;
	if (mode && strcmp((const char *)mode, "escaped") == 0 && strstr(ty, "html"))
		s = text_of(n);
	else if (strcmp(ty, "xhtml") == 0 || strcmp(ty, "application/xhtml+xml") == 0 ||
	         (mode && strcmp((const char *)mode, "xml") == 0 && n->children &&
	          xmlFirstElementChild(n)))
		s = xhtml_of(n);
	else if (strcmp(ty, "html") == 0 || strcmp(ty, "text/html") == 0)
		s = text_of(n);
	else {
		char *raw = text_of(n);
		mie_buf b = MIE_BUF_INIT;
		for (char *p = raw; *p; p++)
			if (*p == '<')
				mie_buf_adds(&b, "&lt;");
			else if (*p == '&')
				mie_buf_adds(&b, "&amp;");
			else
				mie_buf_addc(&b, *p);
		mie_buf_addc(&b, 0);
		free(raw);
		s = mie_buf_detach(&b, NULL);
	}
	xmlFree(t);
	xmlFree(mode);
	return s;
}

typedef struct item {
	char *title, *link, *guid, *text, *desc, *lang;
	mie_buf creators; /* dc:creator, Atom author/name: names, ", " between */
	json_t *subjects; /* dc:subject, category: the names, in order (owned) */
	int title_html;
	char published[MIE_DATE_MAX], updated[MIE_DATE_MAX], pub[MIE_DATE_MAX],
	        dcdate[MIE_DATE_MAX];
} item;

static void set(char **slot, char *v)
{
	if (*slot || !v || !*v) {
		free(v);
		return;
	}
	*slot = v;
}

static void date_into(char out[MIE_DATE_MAX], xmlNodePtr n, int rfc)
{
	char *s = text_of(n);
	if (!out[0] && (rfc ? mie_date_rfc822(s, out) : mie_date_w3c(s, out)) != MIE_DATE_OK)
		out[0] = '\0';
	free(s);
}

/* Adds one author's name to it->creators. */
static void add_creator(item *it, char *name)
{
	if (name && *name) {
		if (it->creators.len)
			mie_buf_adds(&it->creators, ", ");
		mie_buf_adds(&it->creators, name);
	}
	free(name);
}

/* Adds one keyword name (taken; NULL or blank: nothing) to it->subjects,
 * entities decoded, white space around it dropped. */
static void add_subject(item *it, char *name)
{
	mie_buf b = MIE_BUF_INIT;
	if (name)
		mie_text_decode(&b, name, strlen(name), NULL, MIE_TEXT_ENTITIES | MIE_TEXT_ONE_LINE,
		                NULL, NULL);
	const char *p = b.data ? b.data : "";
	while (*p == ' ')
		p++;
	size_t n = strlen(p);
	while (n && p[n - 1] == ' ')
		n--;
	if (n) {
		if (!it->subjects)
			it->subjects = json_array();
		json_array_append_new(it->subjects, json_stringn(p, n));
	}
	mie_buf_release(&b);
	free(name);
}

static void collect(item *it, xmlNodePtr e)
{
	for (xmlNodePtr c = e->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is(c, NULL, "title"))
			set(&it->title, text_of(c));
		else if (is(c, NS_ATOM, "title")) {
			xmlChar *t = xmlGetProp(c, (const xmlChar *)"type");
			it->title_html = t && strcmp((const char *)t, "text") != 0;
			xmlFree(t);
			set(&it->title, it->title_html ? atom_html(c) : text_of(c));
		} else if (is(c, NULL, "link"))
			set(&it->link, text_of(c));
		else if (is(c, NS_ATOM, "link")) {
			xmlChar *rel = xmlGetProp(c, (const xmlChar *)"rel");
			xmlChar *href = xmlGetProp(c, (const xmlChar *)"href");
			if (href && (!rel || strcmp((const char *)rel, "alternate") == 0))
				set(&it->link, mie_xstrdup((const char *)href));
			xmlFree(rel);
			xmlFree(href);
		} else if (is(c, NULL, "guid") || is(c, NS_ATOM, "id"))
			set(&it->guid, text_of(c));
		else if (is(c, NS_CONTENT, "encoded"))
			set(&it->text, text_of(c));
		else if (is(c, NS_ATOM, "content"))
			set(&it->text, atom_html(c));
		else if (is(c, NULL, "description"))
			set(&it->desc, text_of(c));
		else if (is(c, NS_ATOM, "summary"))
			set(&it->desc, atom_html(c));
		else if (is(c, NS_DC, "language"))
			set(&it->lang, text_of(c));
		else if (is(c, NS_DC, "creator"))
			add_creator(it, text_of(c));
		else if (is(c, NS_ATOM, "author")) {
			for (xmlNodePtr a = c->children; a; a = a->next)
				if (a->type == XML_ELEMENT_NODE && is(a, NS_ATOM, "name"))
					add_creator(it, text_of(a));
		} else if (is(c, NS_DC, "subject") || is(c, NULL, "category")) {
			add_subject(it, text_of(c));
		} else if (is(c, NS_ATOM, "category")) {
			xmlChar *v = xmlGetProp(c, (const xmlChar *)"label");
			if (!v)
				v = xmlGetProp(c, (const xmlChar *)"term");
			add_subject(it, v ? mie_xstrdup((const char *)v) : NULL);
			xmlFree(v);
		} else if (is(c, NULL, "pubDate"))
			date_into(it->pub, c, 1);
		else if (is(c, NS_ATOM03, "issued") || is(c, NS_ATOM03, "created"))
			date_into(it->published, c, 0);
		else if (is(c, NS_ATOM03, "modified"))
			date_into(it->updated, c, 0);
		else if (is(c, NS_DC, "date"))
			date_into(it->dcdate, c, 0);
		else if (is(c, NS_ATOM, "published"))
			date_into(it->published, c, 0);
		else if (is(c, NS_ATOM, "updated"))
			date_into(it->updated, c, 0);
	}
}

static void item_release(item *it)
{
	free(it->title);
	free(it->link);
	free(it->guid);
	free(it->text);
	free(it->desc);
	free(it->lang);
	mie_buf_release(&it->creators);
	json_decref(it->subjects);
}

/* The item's keywords: their ids in rec's "keywords", and a keyword
 * record for each name the feed had not named yet (`seen`: slug → true,
 * borrowed).  Returns 0, or -1 on an output error. */
static int keywords(mie_import *ctx, json_t *rec, const item *it, const char *host,
                    const mie_loc *loc, const char *charset, json_t *seen)
{
	size_t i;
	json_t *v;
	json_array_foreach(it->subjects, i, v)
	{
		const char *name = json_string_value(v);
		mie_buf slug = MIE_BUF_INIT;
		mie_text_slug(&slug, name, strlen(name));
		if (!slug.len) {
			mie_buf_release(&slug);
			continue;
		}
		char *id = mie_rec_make_id(host, "keyword", slug.data);
		mie_rec_add_unique(rec, "keywords", id);
		int rc = 0;
		if (!json_object_get(seen, slug.data)) {
			json_object_set_new(seen, slug.data, json_true());
			json_t *k = mie_rec_new("keyword", id);
			mie_rec_set_str(k, "title", name);
			mie_rec_add_provenance(k, "feed", loc, charset);
			rc = mie_import_emit(ctx, "feed", "keywords", k);
		}
		free(id);
		mie_buf_release(&slug);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int one_item(mie_import *ctx, xmlNodePtr e, const mie_loc *where, const char *charset,
                    json_t *seen)
{
	item it;
	memset(&it, 0, sizeof it);
	mie_buf_init(&it.creators);
	collect(&it, e);
	const char *link = it.link ? it.link : it.guid;
	long num = 0;
	int k = link ? find_object(link, &num) : -1;
	if (k < 0 && it.guid && link != it.guid)
		k = find_object(link = it.guid, &num);
	mie_loc loc = *where;
	loc.line = xmlGetLineNo(e) > 0 ? xmlGetLineNo(e) : 0;
	if (k < 0) {
		json_t *row = json_object();
		if (link)
			mie_rec_set_str(row, "link", link);
		mie_import_reject(ctx, "feed", "items", &loc, NULL, row,
		                  "the link names no article or brief of the site");
		json_decref(row);
		item_release(&it);
		return 0;
	}
	char *host = ctx->opt.site ? mie_import_host(ctx->opt.site) : mie_import_host(link);
	if (!host)
		host = mie_xstrdup("infomie.net");
	char local[24];
	snprintf(local, sizeof local, "%ld", num);
	char *id = mie_rec_make_id(host, mie_page_kinds[k].type, local);
	json_t *rec = mie_rec_new(mie_page_kinds[k].type, id);
	free(id);
	json_t *prov = mie_rec_add_provenance(rec, "feed", &loc, charset);
	mie_buf b = MIE_BUF_INIT;
	if (it.lang)
		mie_text_set(rec, "lang", prov, NULL, it.lang, strlen(it.lang), NULL,
		             MIE_TEXT_ONE_LINE);
	if (it.title) {
		if (it.title_html) {
			mie_html_to_plain(&b, it.title, strlen(it.title));
			mie_text_set(rec, "title", prov, NULL, b.data ? b.data : "", b.len, NULL,
			             MIE_TEXT_ONE_LINE);
		} else {
			const char *t = it.title;
			size_t tn = strlen(t);
			while (tn && strchr(" \t\r\n", t[tn - 1]))
				tn--;
			while (tn && strchr(" \t\r\n", *t))
				t++, tn--;
			mie_text_set(rec, "title", prov, NULL, t, tn, NULL,
			             MIE_TEXT_ENTITIES | MIE_TEXT_ONE_LINE);
		}
	}
	const char *pub = it.published[0] ? it.published
	                  : it.pub[0]     ? it.pub
	                  : it.dcdate[0]  ? it.dcdate
	                                  : it.updated;
	if (pub[0])
		mie_rec_set_str(rec, "date_published", pub);
	if (it.published[0] && it.updated[0] && strcmp(it.updated, it.published) != 0)
		mie_rec_set_str(rec, "date_modified", it.updated);
	const char *body = it.text ? it.text : it.desc;
	if (body) {
		mie_buf clean = MIE_BUF_INIT, html = MIE_BUF_INIT, plain = MIE_BUF_INIT;
		mie_text_target t = {prov, "text.html"};
		size_t bn = strlen(body);
		while (bn && strchr(" \t\r\n", body[bn - 1]))
			bn--;
		while (bn && strchr(" \t\r\n", *body))
			body++, bn--;
		mie_text_clean(&clean, body, bn, 0, mie_text_repair_to_prov, &t);
		mie_html_sanitize_plain(&html, &plain, clean.data ? clean.data : "", clean.len);
		if (plain.len) {
			json_t *obj = json_object();
			mie_rec_set_strn(obj, "html", html.data, html.len);
			mie_rec_set_strn(obj, "plain", plain.data, plain.len);
			json_object_set_new(rec, "text", obj);
		}
		mie_buf_release(&clean);
		mie_buf_release(&html);
		mie_buf_release(&plain);
	}
	if (it.creators.len) { /* names, not author records: kept as the feed says */
		json_t *extra = json_object();
		mie_text_set(extra, "creator", prov, "extra.creator", it.creators.data,
		             it.creators.len, NULL, MIE_TEXT_ENTITIES | MIE_TEXT_ONE_LINE);
		json_object_set_new(rec, "extra", extra);
	}
	int krc = keywords(ctx, rec, &it, host, &loc, charset, seen);
	json_t *legacy = json_object();
	mie_rec_set_str(legacy, "site", host);
	mie_rec_set_str(legacy, "table", mie_page_kinds[k].table);
	mie_rec_set_str(legacy, "id", local);
	if (mie_html_url_ok(link))
		mie_rec_set_str(legacy, "url", link);
	json_object_set_new(rec, "legacy", legacy);
	/* provenance last in the record, as the other readers write it */
	json_t *pv = json_incref(json_object_get(rec, "provenance"));
	json_object_del(rec, "provenance");
	json_object_set_new(rec, "provenance", pv);
	mie_buf_release(&b);
	free(host);
	item_release(&it);
	if (krc < 0) {
		json_decref(rec);
		return -1;
	}
	return mie_import_emit(ctx, "feed", mie_page_kinds[k].table, rec);
}

/* Feeds the parser, refusing to go past MAX_FEED bytes. */
typedef struct feed_io {
	mie_input *in;
	size_t total;
	int too_big;
} feed_io;

static int read_cb(void *p, char *buf, int len)
{
	feed_io *io = p;
	if (io->total >= MAX_FEED) {
		io->too_big = 1;
		return -1;
	}
	ssize_t r = mie_input_read(io->in, buf, (size_t)len);
	if (r > 0)
		io->total += (size_t)r;
	return r < 0 ? -1 : (int)r;
}

static int close_cb(void *p)
{
	return 0;
}

static int walk(mie_import *ctx, xmlNodePtr n, const mie_loc *where, const char *cs, json_t *seen)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)n->name;
		if (strcmp(name, "item") == 0 || strcmp(name, "entry") == 0) {
			if (one_item(ctx, n, where, cs, seen) < 0)
				return -1;
		} else if (walk(ctx, n->children, where, cs, seen) < 0)
			return -1;
	}
	return 0;
}

static int feed_read(mie_import *ctx, mie_input *in, const mie_loc *where)
{
	feed_io io = {in, 0, 0};
	xmlParserCtxtPtr pc = xmlNewParserCtxt();
	if (!pc)
		mie_die("out of memory");
	xmlDocPtr doc = xmlCtxtReadIO(pc, read_cb, close_cb, &io, NULL, NULL,
	                              XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR |
	                                      XML_PARSE_NOWARNING);
	int rc = 0;
	if (io.too_big) {
		mie_import_reject(ctx, "feed", "feeds", where, NULL, NULL,
		                  "feed larger than 64 MiB: not read");
	} else if (!pc->wellFormed) {
		const xmlError *e = &pc->lastError;
		mie_loc loc = *where;
		loc.line = e->line;
		const char *m = e->message ? e->message : "parse error";
		mie_error_at(&loc, "not well-formed XML (%.*s): items after this point may be lost",
		             (int)strcspn(m, "\n"), m);
	}
	if (doc && !io.too_big) {
		char cs[40] = "utf-8";
		const char *enc = doc->encoding ? (const char *)doc->encoding : NULL;
		for (size_t i = 0; enc && i < sizeof cs - 1; i++) {
			cs[i] = (char)(enc[i] >= 'A' && enc[i] <= 'Z' ? enc[i] + 32 : enc[i]);
			cs[i + 1] = '\0';
			if (!enc[i])
				break;
		}
		json_t *seen = json_object(); /* the keywords written for this feed */
		rc = walk(ctx, xmlDocGetRootElement(doc), where, cs, seen);
		json_decref(seen);
	}
	if (doc)
		xmlFreeDoc(doc);
	xmlFreeParserCtxt(pc);
	return rc;
}

const mie_source mie_source_feed = {
        "feed", "RSS 0.91/1.0/2.0 and Atom feeds (SPIP backend.php)", feed_sniff, feed_read, NULL,
        NULL};
