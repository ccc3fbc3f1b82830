/* mie_spip_inline.c — inline SPIP shortcuts: braces, links, anchors,
 * glossary, models, ~ (see mie_spip.h for the HTML of each).
 *
 * Text between shortcuts is copied as it is (raw HTML and entities
 * included): the sanitizer makes it safe afterwards. */
#include <string.h>
#include <strings.h>

#include "text/mie_html.h"
#include "text/mie_spip_impl.h"
#include "text/mie_text.h"

static const struct {
	const char *word, *type, *url;
} objects[] = {
        {"art", "article", "article"},       {"article", "article", "article"},
        {"", "article", "article"},          {"rub", "section", "rubrique"},
        {"rubrique", "section", "rubrique"}, {"br", "brief", "breve"},
        {"breve", "brief", "breve"},         {"brève", "brief", "breve"},
        {"aut", "author", "auteur"},         {"auteur", "author", "auteur"},
        {"mot", "keyword", "mot"},           {"site", "site", "site"},
        {"doc", "document", "document"},     {"document", "document", "document"},
        {"im", "document", "document"},      {"img", "document", "document"},
        {"image", "document", "document"},   {"emb", "document", "document"},
};

static int object_index(const char *w, size_t n)
{
	char low[16];
	if (n >= sizeof low)
		return -1;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] + 32 : w[i]);
	for (size_t i = 0; i < sizeof objects / sizeof *objects; i++)
		if (strlen(objects[i].word) == n && memcmp(objects[i].word, low, n) == 0)
			return (int)i;
	return -1;
}

const char *mie_spip_object_type(const char *word, size_t n)
{
	int i = n ? object_index(word, n) : -1;
	return i < 0 ? NULL : objects[i].type;
}

/* Entities decoded, then escaped for an attribute value. */
static void attr_text(mie_buf *out, const char *s, size_t n)
{
	mie_buf d = MIE_BUF_INIT;
	mie_entities_decode(&d, s, n, 0);
	mie_html_escape(out, d.data, d.len, 1);
	mie_buf_release(&d);
}

/* An object target "art12", "rub 3#x", "12": sets *obj, *num and the rest
 * (#anchor or ?query) and returns 1; 0 when t is no such target. */
typedef struct object_ref {
	int obj;
	const char *num, *rest;
	size_t nn, rn;
} object_ref;

static int parse_object(const char *t, size_t n, object_ref *o)
{
	size_t w = 0;
	while (w < n && ((t[w] >= 'a' && t[w] <= 'z') || (t[w] >= 'A' && t[w] <= 'Z') ||
	                 (unsigned char)t[w] >= 0x80))
		w++;
	size_t d = w;
	if (d < n && t[d] == ' ' && w)
		d++;
	size_t digits = 0;
	while (d + digits < n && t[d + digits] >= '0' && t[d + digits] <= '9' && digits < 12)
		digits++;
	size_t rest = d + digits;
	if (!digits || (rest < n && t[rest] != '#' && t[rest] != '?'))
		return 0;
	o->obj = object_index(t, w);
	o->num = t + d;
	o->nn = digits;
	o->rest = t + rest;
	o->rn = n - rest;
	return o->obj >= 0;
}

/* The href of an object link. */
static void object_href(const spip_render *r, const object_ref *o, mie_buf *href)
{
	const char *base = r->ctx->site_url ? r->ctx->site_url : "";
	mie_buf_adds(href, base);
	if (strcmp(objects[o->obj].type, "document") == 0) {
		mie_buf_adds(href, "spip.php?action=autoriser&arg=");
	} else {
		mie_buf_adds(href, "spip.php?");
		mie_buf_adds(href, objects[o->obj].url);
	}
	mie_buf_add(href, o->num, o->nn);
	if (o->rn && o->rest[0] == '?')
		mie_buf_addc(href, '&'), mie_buf_add(href, o->rest + 1, o->rn - 1);
	else
		mie_buf_add(href, o->rest, o->rn);
}

static void object_link(spip_render *r, const object_ref *o, const char *text, size_t tn,
                        const char *title, size_t tin, mie_buf *out)
{
	mie_buf id = MIE_BUF_INIT, href = MIE_BUF_INIT;
	/* "HOST:TYPE:N", without printf: links are frequent */
	mie_buf_adds(&id, r->ctx->site_host ? r->ctx->site_host : "local");
	mie_buf_addc(&id, ':');
	mie_buf_adds(&id, objects[o->obj].type);
	mie_buf_addc(&id, ':');
	mie_buf_add(&id, o->num, o->nn);
	spip_add_unique(r->o->links, id.data);
	object_href(r, o, &href);
	mie_buf_adds(out, "<a href=\"");
	attr_text(out, href.data, href.len);
	mie_buf_adds(out, "\" class=\"spip_in\" data-mie-id=\"");
	mie_buf_add(out, id.data, id.len);
	mie_buf_addc(out, '"');
	if (tin) {
		mie_buf_adds(out, " title=\"");
		attr_text(out, title, tin);
		mie_buf_addc(out, '"');
	}
	if (tn) {
		mie_buf_addc(out, '>');
		spip_inline(r, text, tn, out, 1);
	} else {
		mie_buf_adds(out, " data-mie-label=\"auto\">");
		mie_buf_adds(out, objects[o->obj].url);
		mie_buf_add(out, o->num, o->nn);
	}
	mie_buf_adds(out, "</a>");
	mie_buf_release(&id);
	mie_buf_release(&href);
}

static int looks_like_email(const char *t, size_t n)
{
	const char *at = memchr(t, '@', n);
	return at && at > t && at + 1 < t + n && !memchr(t, ':', n) && !memchr(t, '/', n) &&
	       !memchr(t, ' ', n);
}

static void url_link(spip_render *r, const char *text, size_t tn, const char *title, size_t tin,
                     const char *t, size_t n, mie_buf *out)
{
	mie_buf url = MIE_BUF_INIT;
	if (n > 4 && strncasecmp(t, "www.", 4) == 0)
		mie_buf_adds(&url, "http://");
	else if (looks_like_email(t, n))
		mie_buf_adds(&url, "mailto:");
	mie_entities_decode(&url, t, n, 0);
	if (memchr(url.data, '\0', url.len) || !mie_html_url_ok(url.data)) {
		r->o->removed++; /* unsafe target: the text alone */
		if (tn)
			spip_inline(r, text, tn, out, 1);
		else
			mie_html_escape(out, t, n, 0);
		mie_buf_release(&url);
		return;
	}
	const char *cls = t[0] == '#' ? "spip_ancre" : tn ? "spip_out" : "spip_url spip_out";
	mie_buf_adds(out, "<a href=\"");
	mie_html_escape(out, url.data, url.len, 1);
	mie_buf_adds(out, "\" class=\"");
	mie_buf_adds(out, cls);
	mie_buf_addc(out, '"');
	if (tin) {
		mie_buf_adds(out, " title=\"");
		attr_text(out, title, tin);
		mie_buf_addc(out, '"');
	}
	mie_buf_addc(out, '>');
	if (tn)
		spip_inline(r, text, tn, out, 1);
	else
		mie_html_escape(out, t, n, 0); /* the target as typed */
	mie_buf_adds(out, "</a>");
	mie_buf_release(&url);
}

/* The last '|' of a link text outside <…> (models have '|' too), or NULL. */
static const char *bubble_bar(const char *s, size_t n)
{
	const char *bar = NULL;
	int in_tag = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '<')
			in_tag = 1;
		else if (s[i] == '>')
			in_tag = 0;
		else if (s[i] == '|' && !in_tag)
			bar = s + i;
	}
	return bar;
}

static void glossary(spip_render *r, const char *s, size_t n, mie_buf *out)
{
	mie_buf_adds(out, "<span class=\"spip_glossaire\">");
	spip_inline(r, s, n, out, 1);
	mie_buf_adds(out, "</span>");
}

/* [text->target] */
static void put_link(spip_render *r, const char *text, size_t tn, const char *t, size_t n,
                     mie_buf *out)
{
	while (n && (spip_is_space(*t) || *t == '>')) /* "->>" is "->" */
		t++, n--;
	while (n && spip_is_space(t[n - 1]))
		n--;
	const char *title = NULL, *bar = bubble_bar(text, tn);
	size_t tin = 0;
	if (bar) {
		title = bar + 1;
		tin = (size_t)(text + tn - title);
		tn = (size_t)(bar - text);
	}
	while (tn && spip_is_space(text[tn - 1]))
		tn--;
	object_ref o;
	if (n && t[0] == '?')
		glossary(r, tn ? text : t + 1, tn ? tn : n - 1, out);
	else if (parse_object(t, n, &o))
		object_link(r, &o, text, tn, title, tin, out);
	else if (n)
		url_link(r, text, tn, title, tin, t, n, out);
	else
		spip_inline(r, text, tn, out, 1);
}

/* At s[0] == '[': a link, anchor or glossary entry?  Returns bytes used, or
 * 0 when it is text. */
static size_t bracket(spip_render *r, const char *s, const char *end, mie_buf *out, int in_link)
{
	const char *close = NULL;
	for (const char *p = s + 1; p < end && p - s < MIE_SPIP_MAX_LINK; p++) {
		if (*p == '[')
			return 0;
		if (*p == ']') {
			close = p;
			break;
		}
	}
	if (!close || in_link)
		return 0;
	const char *body = s + 1;
	size_t n = (size_t)(close - body);
	const char *arrow = memmem(body, n, "->", 2);
	if (arrow) {
		put_link(r, body, (size_t)(arrow - body), arrow + 2, (size_t)(close - arrow - 2),
		         out);
	} else if (n > 2 && memcmp(close - 2, "<-", 2) == 0) {
		size_t skip = body[0] == '#';
		mie_buf_adds(out, "<a id=\"");
		attr_text(out, body + skip, n - 2 - skip);
		mie_buf_adds(out, "\"></a>");
	} else if (n > 1 && body[0] == '?') {
		glossary(r, body + 1, n - 1, out);
	} else {
		return 0;
	}
	return (size_t)(close - s) + 1;
}

/* The alignment named among a model's |params, or NULL. */
static const char *model_align(const char *p, const char *end)
{
	static const char *const aligns[] = {"left", "right", "center"};
	while (p < end) {
		const char *bar = memchr(p, '|', (size_t)(end - p));
		const char *e = bar ? bar : end;
		for (int k = 0; k < 3; k++)
			if ((size_t)(e - p) == strlen(aligns[k]) &&
			    strncasecmp(p, aligns[k], (size_t)(e - p)) == 0)
				return aligns[k];
		p = bar ? bar + 1 : end;
	}
	return NULL;
}

/* <docN|…>, <imgN|…>, <embN|…> at s[0] == '<': returns bytes used, or 0. */
static size_t model(spip_render *r, const char *s, const char *end, mie_buf *out)
{
	static const char *const names[] = {"doc", "img", "emb"};
	int k;
	for (k = 0; k < 3; k++)
		if (end - s >= 5 && strncasecmp(s + 1, names[k], 3) == 0)
			break;
	if (k == 3)
		return 0;
	const char *num = s + 4, *p = num;
	while (p < end && *p >= '0' && *p <= '9' && p - num < 12)
		p++;
	if (p == num)
		return 0;
	const char *params = p;
	if (p < end && *p == '|')
		while (p < end && p - params < 200 && *p != '>' && *p != '<' && *p != '\n')
			p++;
	if (p >= end || *p != '>')
		return 0;
	const char *align = model_align(params < p ? params + 1 : p, p);
	mie_buf id = MIE_BUF_INIT;
	mie_buf_addf(&id, "%s:document:%.*s", r->ctx->site_host ? r->ctx->site_host : "local",
	             (int)(params - num), num);
	spip_add_unique(r->o->documents, id.data);
	mie_buf_addf(out, "<span class=\"spip_document_%.*s spip_documents", (int)(params - num),
	             num);
	if (align)
		mie_buf_addf(out, " spip_documents_%s", align);
	mie_buf_addf(out, "\" data-mie-id=\"%s\" data-mie-model=\"%s\"></span>", id.data, names[k]);
	mie_buf_release(&id);
	return (size_t)(p - s) + 1;
}

/* Open/close state of the brace shortcuts within one inline run.
 * ({{{intertitles}}} are cut out at block level, mie_spip_block.c; here
 * "{{{" is bold then italic, as unbalanced braces are in SPIP.) */
typedef struct braces {
	int bold, italic;
} braces;

/* Braces at p: returns bytes used (0: not a brace shortcut). */
static size_t brace(braces *b, const char *p, const char *end, mie_buf *out)
{
	int two = end - p >= 2 && p[1] == p[0];
	if (p[0] == '{' && two) {
		mie_buf_adds(out, b->bold ? "</strong>" : "<strong class=\"spip\">");
		b->bold = !b->bold;
		return 2;
	}
	if (p[0] == '{') {
		mie_buf_adds(out, b->italic ? "</i>" : "<i class=\"spip\">");
		b->italic = !b->italic;
		return 1;
	}
	if (two && b->bold) {
		mie_buf_adds(out, "</strong>");
		b->bold = 0;
		return 2;
	}
	if (b->italic) {
		mie_buf_adds(out, "</i>");
		b->italic = 0;
		return 1;
	}
	return 0;
}

/* The bytes that may start a shortcut; runs of others are copied whole. */
static const unsigned char special[256] = {['{'] = 1, ['}'] = 1, ['['] = 1, ['<'] = 1, ['~'] = 1};

#define SPECIAL_SET MIE_SCAN_SET('{', '}', '[', '<', '~', 0, 0, 0) /* for mie_scan */

void spip_inline(spip_render *r, const char *s, size_t n, mie_buf *out, int in_link)
{
	const char *p = s, *end = s + n;
	braces b = {0, 0};
	while (p < end) {
		size_t used = 0,
		       plain = mie_scan(p, 0, (size_t)(end - p), special, 1, SPECIAL_SET, 5, 0);
		if (plain) {
			mie_buf_add(out, p, plain);
			p += plain;
			continue;
		}
		if (*p == '{' || *p == '}')
			used = brace(&b, p, end, out);
		else if (*p == '[')
			used = bracket(r, p, end, out, in_link);
		else if (*p == '<')
			used = model(r, p, end, out);
		else if (*p == '~')
			mie_buf_adds(out, "\xC2\xA0"), used = 1;
		if (!used)
			mie_buf_addc(out, *p), used = 1;
		p += used;
	}
	if (b.italic)
		mie_buf_adds(out, "</i>");
	if (b.bold)
		mie_buf_adds(out, "</strong>");
}
