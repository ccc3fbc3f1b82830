/* mie_src_html.c — saved pages of the public site (wget/HTTrack mirrors,
 * WARC captures) to records.
 *
 * Rules (the selectors themselves are in mie_site_rules.c):
 * - Charset: a BOM wins (UTF-8, or UTF-16 for pages saved as "Unicode",
 *   which are sniffed through it); else the HTTP header (web archives); else the
 *   <meta> charset; else UTF-8 when the bytes are valid UTF-8, windows-1252
 *   when not.  The bytes are decoded by mie_text_decode (cp1252 bytes in a
 *   page declared ISO-8859-1, stray Latin-1 in a UTF-8 page: repaired and
 *   recorded) before libxml2's HTML parser sees them, as UTF-8, so that
 *   its own charset switching never happens.
 * - Which page: from <link rel="canonical"> when it is on the site's host,
 *   else from the file or member name or capture URI (spip.php?article78,
 *   article78.html, spip.php?page=article&id_article=78, wget's
 *   spip.php@article78.html and spip.php%3Farticle78.html, and the same for
 *   rubrique and breve); for a page saved under a "propres" address, from
 *   its body class and its own link to its forum (reply_object).  The
 *   site's host is --site, else the page's canonical link when it agrees
 *   with the page's name, else the host folder of a wget mirror
 *   (www.infomie.net/…), else the one learnt from the first such canonical
 *   link of the command-line input (so the legacy URLs of pages without one
 *   are on it too), else infomie.net (a canonical link to another host is
 *   ignored, with a warning); "www." is dropped, as the SPIP dump importer does, so both
 *   give the id infomie.net:article:78.  Pages that are no article,
 *   section or brief (home, plan, search, login, calendar) are counted as
 *   skipped.  A page is one by <html> or a doctype, or by the tag it
 *   opens with (first_tags: a page saved from its <script>).
 * - A header charset (web archives) loses to a <meta> utf-8 that the
 *   bytes bear out (valid UTF-8), with a "charset-from-meta" repair; the
 *   decoded page goes through the mojibake repair of dump text.
 * - title (a sort number "04. " moved to rank), breadcrumb → section_path (its links less the home
 * page — by address or the word "Accueil" — and links to an article or brief; a breadcrumb without
 * links is cut at > » › and loses its last crumb, the page itself), the first French date of the
 * date line → date_published and the second → date_modified, chapo → lead, texte → text (safe HTML
 * and plain text). */
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text/mie_date.h"
#include "text/mie_html.h"
#include "import/mie_import.h"
#include "import/mie_privacy.h"
#include "import/mie_page.h"
#include "record/mie_record.h"
#include "import/mie_site_rules.h"
#include "text/mie_text.h"
#include "core/mie_utf8.h"

#define MAX_PAGE ((size_t)64 << 20)

const mie_page_kind mie_page_kinds[] = {
        {"article", "article", "spip_articles"},
        {"rubrique", "section", "spip_rubriques"},
        {"breve", "brief", "spip_breves"},
        {NULL, NULL, NULL},
};

int mie_page_object(const char *s, long *num)
{
	for (int k = 0; mie_page_kinds[k].word; k++) {
		size_t wl = strlen(mie_page_kinds[k].word);
		for (const char *p = strstr(s, mie_page_kinds[k].word); p;
		     p = strstr(p + 1, mie_page_kinds[k].word)) {
			const char *d = p + wl;
			/* after ? / & — or @ and %3F, which wget writes for '?' with
			 * --restrict-file-names=windows and in escaped names */
			int after_q = p > s && (p[-1] == '?' || p[-1] == '/' || p[-1] == '&' ||
			                        p[-1] == '@');
			after_q |= p - s >= 3 && p[-3] == '%' && p[-2] == '3' &&
			           (p[-1] == 'F' || p[-1] == 'f');
			if (*d == '=' && p > s && p[-1] == '_') /* id_article=78 */
				d++;
			else if (p > s && !after_q)
				continue;
			if (*d < '0' || *d > '9')
				continue;
			char *end;
			*num = strtol(d, &end, 10);
			if (*end == '\0' || *end == '.' || *end == '&' || *end == '#')
				return k;
		}
	}
	return -1;
}

static char *host_of(const char *url)
{
	return strstr(url, "://") ? mie_import_host(url) : NULL;
}

typedef struct page {
	mie_import *ctx;
	const mie_loc *where;
	htmlDocPtr doc;
	xmlNodePtr part[8];
	int rank[8];
	json_t *rec, *prov;
	char *host;
	char *origin; /* "https://www.example.fr" of the site, NULL: "http://www." host */
	int canon_ok; /* the canonical link is on the site: its URL is the page's */
} page;

static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

static void match_rules(page *pg, xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (int i = 0; mie_page_rules[i].part != MIE_PAGE_NONE; i++) {
			const mie_page_rule *r = &mie_page_rules[i];
			if (pg->part[r->part] && pg->rank[r->part] <= i)
				continue;
			if (strcmp((const char *)n->name, r->tag) != 0)
				continue;
			if (r->attr) {
				xmlChar *v = xmlGetProp(n, (const xmlChar *)r->attr);
				int ok = v && (strcmp(r->attr, "class") == 0
				                       ? has_word((const char *)v, r->value)
				                       : strcmp((const char *)v, r->value) == 0);
				xmlFree(v);
				if (!ok)
					continue;
			}
			pg->part[r->part] = n;
			pg->rank[r->part] = i;
		}
		match_rules(pg, n->children);
	}
}

/* Text content, white space collapsed, trimmed. */
static void text_of(xmlNodePtr n, mie_buf *out)
{
	xmlChar *t = xmlNodeGetContent(n);
	const char *s = t ? (const char *)t : "";
	int space = 0;
	for (; *s; s++) {
		int ws = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
		if (ws) {
			space = out->len > 0;
			continue;
		}
		if (space)
			mie_buf_addc(out, ' ');
		space = 0;
		mie_buf_addc(out, *s);
	}
	xmlFree(t);
}

static void set_title(page *pg)
{
	xmlNodePtr n = pg->part[MIE_PAGE_TITLE];
	if (!n)
		return;
	mie_buf t = MIE_BUF_INIT;
	text_of(n, &t);
	if (strcmp((const char *)n->name, "title") == 0) { /* "Titre - Site" */
		char *dash = NULL;
		for (char *p = strstr(t.data, " - "); p; p = strstr(p + 1, " - "))
			dash = p;
		if (dash)
			mie_buf_setlen(&t, (size_t)(dash - t.data));
	}
	if (t.len)
		mie_rec_set_str(pg->rec, "title", t.data);
	mie_rec_take_rank(pg->rec); /* "04. Circulaire …", as the dump reader does */
	mie_buf_release(&t);
}

/* Is this breadcrumb link the home page?  By its address (the site's root,
 * index.php, spip.php?page=sommaire) or its words ("Accueil", "Accueil du
 * site", "Home"). */
static int home_link(const char *href, const char *text)
{
	if (strncasecmp(text, "accueil", 7) == 0 || strcasecmp(text, "home") == 0)
		return 1;
	if (!href)
		return 0;
	const char *p = strstr(href, "://");
	if (p) {
		p = strchr(p + 3, '/');
		if (!p)
			return 1;
	} else {
		p = href;
	}
	while (*p == '/' || *p == '.')
		p++;
	return !*p || !strcmp(p, "index.php") || !strcmp(p, "index.html") ||
	       !strcmp(p, "spip.php") || !strcmp(p, "spip.php?page=sommaire");
}

/* The crumbs of a breadcrumb: its links, less the home page and links to
 * an article or a brief (the page itself, in some templates). */
static void collect_links(xmlNodePtr n, json_t *arr)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)n->name, "a") == 0) {
			mie_buf t = MIE_BUF_INIT;
			text_of(n, &t);
			xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
			long num;
			int k = href ? mie_page_object((const char *)href, &num) : -1;
			if (t.len && !home_link((const char *)href, t.data) &&
			    (k < 0 || strcmp(mie_page_kinds[k].type, "section") == 0))
				json_array_append_new(arr, json_string(t.data));
			xmlFree(href);
			mie_buf_release(&t);
		} else {
			collect_links(n->children, arr);
		}
	}
}

/* A breadcrumb without links: its text cut at the separators (> » ›),
 * less the home crumb and the last one (the page itself). */
static void split_crumbs(const char *s, json_t *arr)
{
	static const char *const seps[] = {">", "\xC2\xBB", "\xE2\x80\xBA", NULL};
	mie_buf c = MIE_BUF_INIT;
	while (*s) {
		size_t n = 0;
		int sep = 0;
		for (int i = 0; seps[i] && !sep; i++)
			if (strncmp(s, seps[i], strlen(seps[i])) == 0)
				sep = 1, n = strlen(seps[i]);
		if (!sep) {
			mie_buf_addc(&c, *s++);
			if (s[0])
				continue;
		} else {
			s += n;
		}
		while (c.len && c.data[c.len - 1] == ' ')
			c.data[--c.len] = '\0';
		const char *t = c.data ? c.data : "";
		while (*t == ' ')
			t++;
		if (*t && !home_link(NULL, t))
			json_array_append_new(arr, json_string(t));
		mie_buf_reset(&c);
	}
	mie_buf_release(&c);
	if (json_array_size(arr))
		json_array_remove(arr, json_array_size(arr) - 1);
}

static void set_breadcrumb(page *pg)
{
	xmlNodePtr n = pg->part[MIE_PAGE_BREADCRUMB];
	if (!n)
		return;
	json_t *links = json_array();
	collect_links(n->children, links);
	if (!json_array_size(links)) {
		mie_buf t = MIE_BUF_INIT;
		text_of(n, &t);
		split_crumbs(t.data ? t.data : "", links);
		mie_buf_release(&t);
	}
	if (json_array_size(links))
		json_object_set(pg->rec, "section_path", links);
	json_decref(links);
}

/* The text of a date line without its headings: dist/'s cartouche holds
 * the title (h1.titre, surtitre, soustitre) before the date, and a title
 * may name a day ("Circulaire du 12 mars 2007"). */
static void date_line_text(xmlNodePtr n, mie_buf *out)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE) {
			if (out->len)
				mie_buf_addc(out, ' ');
			text_of(c, out);
		} else if (c->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)c->name;
			xmlChar *cls = xmlGetProp(c, (const xmlChar *)"class");
			int heading =
			        (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && !name[2]) ||
			        (cls && (has_word((const char *)cls, "titre") ||
			                 has_word((const char *)cls, "surtitre") ||
			                 has_word((const char *)cls, "soustitre")));
			xmlFree(cls);
			if (!heading)
				date_line_text(c, out);
		}
	}
}

static void set_dates(page *pg)
{
	xmlNodePtr n = pg->part[MIE_PAGE_DATES];
	if (!n)
		return;
	mie_buf t = MIE_BUF_INIT;
	date_line_text(n, &t);
	const char *fields[] = {"date_published", "date_modified"};
	size_t off = 0;
	for (int k = 0; k < 2 && off < t.len; k++) {
		char iso[MIE_DATE_MAX];
		size_t end = 0;
		/* mie_date_french finds the first date at or after off */
		if (mie_date_french(t.data + off, t.len - off, iso, &end) != MIE_DATE_OK)
			break;
		mie_rec_set_str(pg->rec, fields[k], iso);
		off += end;
	}
	mie_buf_release(&t);
}

static void set_html_part(page *pg, enum mie_page_part part, const char *field)
{
	xmlNodePtr n = pg->part[part];
	if (!n)
		return;
	xmlBufferPtr b = xmlBufferCreate();
	for (xmlNodePtr c = n->children; c; c = c->next)
		htmlNodeDump(b, pg->doc, c);
	mie_buf html = MIE_BUF_INIT, plain = MIE_BUF_INIT;
	mie_html_sanitize_plain(&html, &plain, (const char *)xmlBufferContent(b),
	                        (size_t)xmlBufferLength(b));
	xmlBufferFree(b);
	if (plain.len) {
		json_t *obj = json_object();
		mie_rec_set_strn(obj, "html", html.data, html.len);
		mie_rec_set_strn(obj, "plain", plain.data, plain.len);
		json_object_set_new(pg->rec, field, obj);
	}
	mie_buf_release(&html);
	mie_buf_release(&plain);
}

/* ---- charset ---- */

static const char *meta_charset(const char *s, size_t n, char *out, size_t cap)
{
	size_t lim = n < 4096 ? n : 4096;
	for (size_t i = 0; i + 8 < lim; i++) {
		if (strncasecmp(s + i, "charset=", 8) != 0)
			continue;
		const char *p = s + i + 8;
		while (p < s + lim && (*p == '"' || *p == '\''))
			p++;
		size_t k = 0;
		while (p + k < s + lim && k + 1 < cap &&
		       (p[k] == '-' || p[k] == '_' || (p[k] >= '0' && p[k] <= '9') ||
		        (p[k] >= 'a' && p[k] <= 'z') || (p[k] >= 'A' && p[k] <= 'Z')))
			k++;
		memcpy(out, p, k);
		out[k] = '\0';
		return k ? out : NULL;
	}
	return NULL;
}

static int is_utf8_name(const char *cs)
{
	return strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0;
}

/* The page's charset.  *overruled is set to the HTTP header's charset when
 * the page is valid UTF-8 that its own <meta> declares, against a header
 * naming another (a server's wrong default, ISO-8859-1 for a UTF-8 site):
 * the page's own declaration, which its bytes bear out, wins. */
static const char *choose_charset(const char *s, size_t n, const char *header, char *buf,
                                  size_t cap, const char **overruled)
{
	*overruled = NULL;
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		return "utf-8";
	if (n >= 2 && memcmp(s, "\xFF\xFE", 2) == 0) /* a page saved as "Unicode" */
		return "utf-16le";
	if (n >= 2 && memcmp(s, "\xFE\xFF", 2) == 0)
		return "utf-16be";
	const char *meta = meta_charset(s, n, buf, cap);
	if (header && meta && is_utf8_name(meta) && !is_utf8_name(header) && mie_utf8_valid(s, n)) {
		*overruled = header;
		return "utf-8";
	}
	if (header)
		return header;
	if (meta)
		return meta;
	return mie_utf8_valid(s, n) ? "utf-8" : "windows-1252";
}

/* ---- the page ---- */

/* The site learnt from a canonical link, for the rest of the command-line
 * input it was found in (see site_host). */
typedef struct html_state {
	char *input;  /* that input */
	char *host;   /* "example.fr" */
	char *origin; /* "https://www.example.fr", as the link wrote it */
} html_state;

extern const mie_source mie_source_html;

static html_state *state_of(mie_import *ctx)
{
	int i = mie_import_source_index(&mie_source_html);
	if (!ctx->state[i])
		ctx->state[i] = mie_xcalloc(1, sizeof(html_state));
	return ctx->state[i];
}

static void html_release(mie_import *ctx)
{
	int i = mie_import_source_index(&mie_source_html);
	html_state *st = ctx->state[i];
	if (!st)
		return;
	free(st->input);
	free(st->host);
	free(st->origin);
	free(st);
	ctx->state[i] = NULL;
}

/* A host with a name: letters and at least one dot (not "." or an IP). */
static int named(const char *h, size_t k)
{
	int letters = 0, dots = 0, ok = k > 0 && h[0] != '.';
	for (size_t i = 0; i < k && ok; i++) {
		char ch = h[i];
		dots += ch == '.';
		letters += (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
		ok = ch == '.' || ch == '-' || (ch >= 'a' && ch <= 'z') ||
		     (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
	}
	return ok && dots && letters;
}

/* May the canonical link href name the site?  When it names the object the
 * page's own name does (or the name none): a link to another object than
 * the file's own is not the page's address. */
static int canonical_agrees(const char *href, const char *name)
{
	long nh = 0, nn = 0;
	int kh = mie_page_object(href, &nh), kn = mie_page_object(name, &nn);
	return kn < 0 || (kh == kn && nh == nn);
}

/* The site's host (and origin) for the page: --site; else this page's
 * canonical link, when it agrees with the page's name (the first such
 * link of a command-line input is learnt); else the host folder of a wget
 * mirror (www.infomie.net/…, "./" components skipped); else the site
 * learnt in the same command-line input; else infomie.net.  So without
 * --site every page of a mirror takes the site its canonical links name,
 * whatever the folder or archive it is packed in, and the legacy URLs of
 * those without one are on it too. */
static void site_host(page *pg, const char *href, const char *name)
{
	mie_import *ctx = pg->ctx;
	if (ctx->opt.site) {
		pg->host = host_of(ctx->opt.site);
		if (!pg->host)
			pg->host = mie_xstrdup(ctx->opt.site);
		return;
	}
	html_state *st = state_of(ctx);
	const char *input = mie_import_input(ctx) ? mie_import_input(ctx) : "";
	if (st->input && strcmp(st->input, input) != 0) {
		free(st->input), free(st->host), free(st->origin);
		st->input = st->host = st->origin = NULL;
	}
	const char *sep = href ? strstr(href, "://") : NULL;
	size_t hk = sep ? strcspn(sep + 3, "/:?#\"\\ ") : 0;
	char *own = sep && named(sep + 3, hk) && canonical_agrees(href, name) &&
	                            mie_utf8_valid(href, strlen(href))
	                    ? host_of(href)
	                    : NULL; /* NULL too for "http://www./" */
	if (own) {
		pg->host = own;
		pg->origin = mie_xstrndup(href, (size_t)(sep + 3 + hk - href));
		if (!st->host) { /* learnt for the pages of this input that have none */
			st->input = mie_xstrdup(input);
			st->host = mie_xstrdup(pg->host);
			st->origin = mie_xstrdup(pg->origin);
		}
		return;
	}
	/* wget mirrors keep pages under a folder named after the host: a path
	 * component made of letters, digits, '-' and at least one '.' (inside
	 * a nested archive, only the path after the last '!') */
	const char *bang = strrchr(name, '!');
	const char *p = bang ? bang + 1 : name;
	for (const char *slash = strchr(p, '/'); slash && !pg->host;
	     p = slash + 1, slash = strchr(p, '/')) {
		size_t k = (size_t)(slash - p);
		if (named(p, k) && strncmp(p + k - 4, ".zip", 4) != 0) {
			mie_buf h = MIE_BUF_INIT;
			mie_buf_adds(&h, "http://");
			mie_buf_add(&h, p, k);
			pg->host = host_of(h.data);
			mie_buf_release(&h);
		}
	}
	if (pg->host && st->host && strcmp(pg->host, st->host) == 0)
		pg->origin = mie_xstrdup(st->origin); /* "https://www.…" as its links say */
	if (!pg->host && st->host) {
		pg->host = mie_xstrdup(st->host);
		pg->origin = mie_xstrdup(st->origin);
	}
	if (!pg->host)
		pg->host = mie_xstrdup("infomie.net");
}

static xmlNodePtr find_canonical(xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)n->name, "link") == 0) {
			xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");
			int ok = rel && strcasecmp((const char *)rel, "canonical") == 0;
			xmlFree(rel);
			if (ok)
				return n;
		}
		xmlNodePtr c = find_canonical(n->children);
		if (c)
			return c;
	}
	return NULL;
}

/* The class attribute of the page's <body> (xmlFree it), or NULL. */
static xmlChar *body_class(htmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	for (xmlNodePtr b = root ? root->children : NULL; b; b = b->next)
		if (b->type == XML_ELEMENT_NODE && strcmp((const char *)b->name, "body") == 0)
			return xmlGetProp(b, (const xmlChar *)"class");
	return NULL;
}

static int skipped_page(htmlDocPtr doc)
{
	xmlChar *cls = body_class(doc);
	int skip = 0;
	for (int i = 0; cls && mie_page_skipped_classes[i]; i++)
		skip |= has_word((const char *)cls, mie_page_skipped_classes[i]);
	xmlFree(cls);
	return skip;
}

/* What the reply links under n name: *k and *num from the first, *k = -2
 * when two disagree. */
static void reply_links(xmlNodePtr n, int *k, long *num)
{
	for (; n && *k != -2; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)n->name, "a") == 0) {
			xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
			long m = 0;
			int j = href && strstr((const char *)href, mie_page_reply)
			                ? mie_page_object((const char *)href, &m)
			                : -1;
			xmlFree(href);
			if (j >= 0 && *k == -1)
				*k = j, *num = m;
			else if (j >= 0 && (j != *k || m != *num))
				*k = -2;
		}
		reply_links(n->children, k, num);
	}
}

/* The object of a page whose address names none (mie_page_reply_rules):
 * an index in mie_page_kinds, or -1. */
static int reply_object(htmlDocPtr doc, long *num)
{
	xmlChar *cls = body_class(doc);
	const char *want = NULL;
	for (int i = 0; cls && mie_page_reply_rules[i].body_class && !want; i++)
		if (has_word((const char *)cls, mie_page_reply_rules[i].body_class))
			want = mie_page_reply_rules[i].kind;
	xmlFree(cls);
	int k = -1;
	if (want)
		reply_links(xmlDocGetRootElement(doc), &k, num);
	return k >= 0 && strcmp(mie_page_kinds[k].word, want) == 0 ? k : -1;
}

/* Reads the page's bytes, at most MAX_PAGE. */
static int slurp(mie_input *in, mie_buf *b)
{
	char chunk[65536];
	ssize_t n;
	while ((n = mie_input_read(in, chunk, sizeof chunk)) > 0) {
		if (b->len + (size_t)n > MAX_PAGE)
			return 1;
		mie_buf_add(b, chunk, (size_t)n);
	}
	return n < 0 ? -1 : 0;
}

static void on_parse_error(void *data, xmlErrorPtr e)
{
	if (e && e->message && strstr(e->message, "Excessive depth"))
		*(int *)data = 1;
}

/* Parses the UTF-8 page.  libxml2 stops at elements nested deeper than 256
 * levels (kept: the tree walks below are recursive); that is an error,
 * since whatever follows the deep part (dates, text) is lost for the record. */
static htmlDocPtr parse_page(const mie_buf *u, const mie_loc *where)
{
	int deep = 0;
	xmlSetStructuredErrorFunc(&deep, on_parse_error);
	htmlDocPtr doc =
	        htmlReadMemory(u->data, (int)u->len, NULL, "UTF-8",
	                       HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (deep) /* content not carried: a data problem (exit 1), not a warning */
		mie_error_at(where, "elements nested deeper than 256 levels: page read only up "
		                    "to there, the rest not imported");
	return doc;
}

int mie_page_import(mie_import *ctx, const char *bytes, size_t n, const char *http_charset,
                    const char *uri, const mie_loc *where, const char *capture_date, unsigned flags)
{
	char csbuf[40];
	const char *overruled;
	const char *cs = choose_charset(bytes, n, http_charset, csbuf, sizeof csbuf, &overruled);
	page pg = {ctx, where, NULL, {0}, {0}, NULL, NULL, NULL, NULL, 0};
	pg.rec = json_object();
	pg.prov = json_object();
	if (flags & MIE_PAGE_NOT_CHUNKED)
		mie_rec_add_repair(pg.prov, "not-chunked", "page",
		                   "the HTTP header says \"Transfer-Encoding: chunked\" but the "
		                   "body was stored de-chunked: read as it is",
		                   NULL);
	if (overruled) {
		mie_buf d = MIE_BUF_INIT;
		mie_buf_addf(&d,
		             "the HTTP header says %.40s, but the page is valid UTF-8 and its "
		             "<meta> says utf-8: read as UTF-8",
		             overruled);
		mie_rec_add_repair(pg.prov, "charset-from-meta", "page", d.data, NULL);
		mie_buf_release(&d);
	}
	mie_buf u = MIE_BUF_INIT;
	mie_text_target t = {pg.prov, "page"};
	size_t skip = n >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	if (n >= 2 && (memcmp(bytes, "\xFF\xFE", 2) == 0 || memcmp(bytes, "\xFE\xFF", 2) == 0))
		skip = 2;
	/* double-encoded UTF-8 ("DÃ©cisions") is repaired as in dump text */
	mie_text_decode(&u, bytes + skip, n - skip, cs, MIE_TEXT_MOJIBAKE, mie_text_repair_to_prov,
	                &t);
	pg.doc = parse_page(&u, where);
	mie_buf_release(&u);
	int rc = 0;
	if (!pg.doc || skipped_page(pg.doc)) {
		mie_import_skip(ctx, "html", "non-content pages", 1);
		goto done;
	}
	xmlNodePtr canon = find_canonical(xmlDocGetRootElement(pg.doc));
	xmlChar *href = canon ? xmlGetProp(canon, (const xmlChar *)"href") : NULL;
	const char *name = uri ? uri : where->member ? where->member : where->file;
	site_host(&pg, (const char *)href, name);
	long num = 0;
	int k = -1;
	char *chost = href ? host_of((const char *)href) : NULL;
	pg.canon_ok = href && chost && strcmp(chost, pg.host) == 0;
	if (pg.canon_ok)
		k = mie_page_object((const char *)href, &num);
	else if (href) { /* said without a user:password@ (mie_privacy.h) */
		mie_buf said = MIE_BUF_INIT;
		mie_privacy_strip_userinfo(&said, (const char *)href, strlen((const char *)href));
		mie_warn_at(where, "canonical link to another site ignored: %s", said.data);
		mie_buf_release(&said);
	}
	free(chost);
	if (k < 0)
		k = mie_page_object(name, &num);
	int by_reply = k < 0 && (k = reply_object(pg.doc, &num)) >= 0;
	if (k < 0) {
		xmlFree(href);
		mie_import_skip(ctx, "html", "non-content pages", 1);
		goto done;
	}
	char local[24];
	snprintf(local, sizeof local, "%ld", num);
	char *id = mie_rec_make_id(pg.host, mie_page_kinds[k].type, local);
	json_t *rec = mie_rec_new(mie_page_kinds[k].type, id);
	free(id);
	match_rules(&pg, xmlDocGetRootElement(pg.doc));
	set_title(&pg);
	set_breadcrumb(&pg);
	set_dates(&pg);
	if (strcmp(mie_page_kinds[k].type, "section") != 0) /* sections have no lead */
		set_html_part(&pg, MIE_PAGE_LEAD, "lead");
	set_html_part(&pg, MIE_PAGE_TEXT, "text");
	json_object_update(rec, pg.rec);
	json_t *legacy = json_object();
	mie_rec_set_str(legacy, "site", pg.host);
	mie_rec_set_str(legacy, "table", mie_page_kinds[k].table);
	mie_rec_set_str(legacy, "id", local);
	mie_buf url = MIE_BUF_INIT;
	if (pg.origin)
		mie_buf_adds(&url, pg.origin);
	else
		mie_buf_addf(&url, "http://www.%s", pg.host);
	mie_buf_addf(&url, "/spip.php?%s%ld", mie_page_kinds[k].word, num);
	mie_rec_set_str(
	        legacy, "url",
	        pg.canon_ok && mie_utf8_valid((const char *)href, strlen((const char *)href))
	                ? (const char *)href
	                : url.data);
	mie_buf_release(&url);
	json_object_set_new(rec, "legacy", legacy);
	xmlFree(href);
	json_t *p = mie_rec_add_provenance(rec,
	                                   flags & MIE_PAGE_ARC ? "arc"
	                                   : uri                ? "warc"
	                                                        : "html",
	                                   where, cs);
	if (by_reply)
		mie_rec_add_repair(pg.prov, "id-from-reply-link", "id",
		                   "the page's address names no object (a \"propres\" URL): id "
		                   "taken from its own link to its forum",
		                   NULL);
	if (capture_date)
		mie_rec_set_str(p, "date", capture_date);
	json_object_update_missing(p, pg.prov);
	rc = mie_import_emit(ctx, "html", mie_page_kinds[k].table, rec);
done:
	if (pg.doc)
		xmlFreeDoc(pg.doc);
	json_decref(pg.rec);
	json_decref(pg.prov);
	free(pg.host);
	free(pg.origin);
	return rc;
}

/* Tags a saved page may open with when it has neither <html> nor a
 * doctype (a page cut to its body, a template's fragment, a script first). */
static const char *const first_tags[] = {"script", "head",  "body", "meta",     "title",
                                         "link",   "style", "div",  "noscript", NULL};

static int html_sniff(const unsigned char *head, size_t n, const char *name)
{
	size_t lim = n < 1024 ? n : 1024;
	unsigned char narrow[512];
	size_t m = mie_text_utf16_narrow(head, n < 1026 ? n : 1026, narrow, sizeof narrow);
	if (m) { /* UTF-16 with its BOM: the ASCII of the first characters */
		head = narrow;
		lim = m;
	}
	for (size_t i = 0; i + 5 <= lim; i++)
		if (head[i] == '<' && (strncasecmp((const char *)head + i, "<html", 5) == 0 ||
		                       strncasecmp((const char *)head + i, "<!doctype html",
		                                   14 <= lim - i ? 14 : 5) == 0))
			return 60;
	/* the first tag, after a BOM, white space and comments */
	size_t i = lim >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	for (;;) {
		while (i < lim && strchr(" \t\r\n", head[i]))
			i++;
		if (i + 4 <= lim && memcmp(head + i, "<!--", 4) == 0) {
			const unsigned char *e = memmem(head + i + 4, lim - i - 4, "-->", 3);
			if (!e)
				return 0;
			i = (size_t)(e - head) + 3;
			continue;
		}
		break;
	}
	if (i >= lim || head[i] != '<')
		return 0;
	for (int t = 0; first_tags[t]; t++) {
		size_t k = strlen(first_tags[t]);
		if (i + 1 + k < lim &&
		    strncasecmp((const char *)head + i + 1, first_tags[t], k) == 0 &&
		    strchr(" \t\r\n>/", head[i + 1 + k]))
			return 40;
	}
	return 0;
}

static int html_read(mie_import *ctx, mie_input *in, const mie_loc *where)
{
	mie_buf b = MIE_BUF_INIT;
	int st = slurp(in, &b);
	int rc = 0;
	if (st > 0)
		mie_import_reject(ctx, "html", "pages", where, NULL, NULL,
		                  "page larger than 64 MiB: not read");
	else if (st == 0)
		rc = mie_page_import(ctx, b.data, b.len, NULL, NULL, where, NULL, 0);
	mie_buf_release(&b);
	return rc;
}

const mie_source mie_source_html = {"html",     "saved pages of the public site (mirrors)",
                                    html_sniff, html_read,
                                    NULL,       html_release};
