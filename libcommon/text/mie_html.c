#include <libxml/HTMLparser.h>
#include <string.h>

#include "mie_html.h"
#include "mie_utf8.h"

static const char *const allowed[] = {
        "p",   "br",    "strong", "b",       "i",          "em",    "u",     "s",
        "h1",  "h2",    "h3",     "h4",      "h5",         "h6",    "ul",    "ol",
        "li",  "dl",    "dt",     "dd",      "table",      "thead", "tbody", "tfoot",
        "tr",  "th",    "td",     "caption", "blockquote", "pre",   "code",  "a",
        "img", "span",  "div",    "hr",      "sup",        "sub",   "abbr",  "cite",
        "q",   "small", "big",    "figure",  "figcaption", NULL};

static const char *const dropped[] = {
        "script", "style",  "iframe",   "object", "embed",    "applet",   "form",     "input",
        "button", "select", "textarea", "frame",  "frameset", "noscript", "template", "svg",
        "math",   "link",   "meta",     "base",   "title",    "head",     NULL};

static const char *const void_elements[] = {"br", "hr", "img", NULL};

static int in(const char *s, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

int mie_html_url_ok(const char *url)
{
	char scheme[16];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= ' ' || *p == 0x7F)
			continue; /* browsers ignore these inside a scheme */
		if (*p == ':')
			break;
		if (*p == '/' || *p == '?' || *p == '#')
			return 1; /* relative */
		if (n + 1 >= sizeof scheme)
			return 1; /* too long to be a scheme: no ':' soon, relative */
		scheme[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
	}
	scheme[n] = '\0';
	if (!strchr(url, ':'))
		return 1;
	return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
	       strcmp(scheme, "mailto") == 0 || strcmp(scheme, "ftp") == 0;
}

static void escape(mie_buf *out, const char *s, int attr)
{
	const char *specials = attr ? "&<>\"" : "&<>";
	for (;;) {
		size_t k = strcspn(s, specials);
		mie_buf_add(out, s, k);
		s += k;
		switch (*s) {
		case '\0': return;
		case '&': mie_buf_adds(out, "&amp;"); break;
		case '<': mie_buf_adds(out, "&lt;"); break;
		case '>': mie_buf_adds(out, "&gt;"); break;
		default: mie_buf_adds(out, "&quot;"); break;
		}
		s++;
	}
}

static int attr_ok(const char *el, const char *name, const char *value)
{
	if (strncmp(name, "data-mie-", 9) == 0 ||
	    in(name,
	       (const char *const[]){"title", "class", "id", "lang", "colspan", "rowspan", NULL}))
		return 1;
	if (strcmp(el, "a") == 0 && strcmp(name, "href") == 0)
		return mie_html_url_ok(value);
	if (strcmp(el, "img") == 0 && strcmp(name, "src") == 0)
		return mie_html_url_ok(value);
	if (strcmp(el, "img") == 0 &&
	    (strcmp(name, "alt") == 0 || strcmp(name, "width") == 0 || strcmp(name, "height") == 0))
		return 1;
	return 0;
}

typedef struct walk {
	mie_buf *out;
	int removed;
} walk;

static void emit_children(walk *w, xmlNodePtr n);

static void emit_element(walk *w, xmlNodePtr n)
{
	const char *name = (const char *)n->name;
	if (in(name, dropped)) {
		w->removed++;
		return;
	}
	if (!in(name, allowed)) { /* html, body, font, center…: keep the content */
		if (strcmp(name, "html") && strcmp(name, "body"))
			w->removed++;
		emit_children(w, n);
		return;
	}
	mie_buf_addc(w->out, '<');
	mie_buf_adds(w->out, name);
	for (xmlAttrPtr a = n->properties; a; a = a->next) {
		xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
		const char *value = v ? (const char *)v : "";
		if (attr_ok(name, (const char *)a->name, value)) {
			mie_buf_addf(w->out, " %s=\"", (const char *)a->name);
			escape(w->out, value, 1);
			mie_buf_addc(w->out, '"');
		} else {
			w->removed++;
		}
		xmlFree(v);
	}
	if (in(name, void_elements)) {
		mie_buf_adds(w->out, " />");
		return;
	}
	mie_buf_addc(w->out, '>');
	emit_children(w, n);
	mie_buf_addf(w->out, "</%s>", name);
}

static void emit_children(walk *w, xmlNodePtr n)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE)
			emit_element(w, c);
		else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			escape(w->out, (const char *)c->content, 0);
	}
}

typedef struct parse_errors {
	int depth;
} parse_errors;

static void on_error(void *ctx, xmlErrorPtr e)
{
	parse_errors *pe = ctx;
	if (e && e->message && strstr(e->message, "depth"))
		pe->depth = 1;
}

static htmlDocPtr parse(const char *s, size_t n, parse_errors *pe)
{
	htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
	if (!ctxt)
		return NULL;
	xmlSetStructuredErrorFunc(pe, on_error);
	/* a wrapper keeps a leading text node from being dropped */
	mie_buf b = MIE_BUF_INIT;
	mie_buf_adds(&b, "<html><body><div>");
	mie_buf_add(&b, s, n);
	mie_buf_adds(&b, "</div></body></html>");
	htmlDocPtr doc = htmlCtxtReadMemory(ctxt, b.data, (int)b.len, NULL, "UTF-8",
	                                    HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	                                            HTML_PARSE_NOWARNING | HTML_PARSE_NOBLANKS);
	xmlSetStructuredErrorFunc(NULL, NULL);
	htmlFreeParserCtxt(ctxt);
	mie_buf_release(&b);
	return doc;
}

/* The wrapper <div> added by parse(). */
static xmlNodePtr wrapper(htmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "body") == 0)
			for (xmlNodePtr d = c->children; d; d = d->next)
				if (d->type == XML_ELEMENT_NODE)
					return d;
	return root;
}

static int is_block(const char *name)
{
	static const char *const blocks[] = {
	        "p",          "div", "h1", "h2",     "h3",         "h4",      "h5",    "h6",
	        "ul",         "ol",  "li", "dl",     "dt",         "dd",      "table", "tr",
	        "blockquote", "pre", "hr", "figure", "figcaption", "caption", NULL};
	return in(name, blocks);
}

static void plain_walk(mie_buf *out, xmlNodePtr n)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			mie_buf_adds(out, (const char *)c->content);
		} else if (c->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)c->name;
			if (in(name, dropped))
				continue;
			int block = is_block(name);
			if (block)
				mie_buf_adds(out, "\n\n");
			if (strcmp(name, "br") == 0)
				mie_buf_addc(out, '\n');
			if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0)
				mie_buf_addc(out, ' ');
			plain_walk(out, c);
			if (block)
				mie_buf_adds(out, "\n\n");
		}
	}
}

/* Collapses spaces (U+00A0 too) to one, keeps at most one blank line. */
static void tidy(mie_buf *out, const char *s, size_t n)
{
	size_t start = out->len;
	int spaces = 0, newlines = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\r' ||
		    (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)) {
			if (c == 0xC2)
				i++;
			spaces = 1;
			continue;
		}
		if (c == '\n') {
			newlines++;
			spaces = 0;
			continue;
		}
		if (out->len > start) {
			if (newlines)
				mie_buf_adds(out, newlines > 1 ? "\n\n" : "\n");
			else if (spaces)
				mie_buf_addc(out, ' ');
		}
		spaces = newlines = 0;
		mie_buf_addc(out, (char)c);
	}
}

int mie_html_sanitize_plain(mie_buf *html, mie_buf *plain, const char *s, size_t n)
{
	if (n > (size_t)1 << 30) /* the parser's int: refuse rather than overflow */
		return -1;
	parse_errors pe = {0};
	htmlDocPtr doc = parse(s, n, &pe);
	if (!doc)
		return -1;
	walk w = {html, 0};
	xmlNodePtr top = wrapper(doc);
	if (top && html)
		emit_children(&w, top);
	if (top && plain) {
		/* the text is the same with or without the attributes and
		 * elements the sanitizer drops: plain_walk skips the same ones */
		mie_buf raw = MIE_BUF_INIT;
		plain_walk(&raw, top);
		tidy(plain, raw.data, raw.len);
		mie_buf_release(&raw);
	}
	xmlFreeDoc(doc);
	return pe.depth ? -1 : w.removed;
}

int mie_html_sanitize(mie_buf *out, const char *s, size_t n)
{
	return mie_html_sanitize_plain(out, NULL, s, n);
}

void mie_html_to_plain(mie_buf *out, const char *s, size_t n)
{
	mie_html_sanitize_plain(NULL, out, s, n);
}
