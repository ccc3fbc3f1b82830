/* mie_html.c — HTML tokenizer, allowlist sanitizer, HTML to plain text
 * (see mie_html.h for the contract).
 *
 * One tokenizer (struct tok) feeds two consumers: the sanitizer (an
 * open-element stack of at most MIE_HTML_MAX_DEPTH names) and the plain-text
 * extractor.  Both share the "hidden element" logic: a dropped element's
 * content is skipped up to its matching end tag. */
#include <string.h>
#include <strings.h>

#include "mie_html.h"
#include "mie_text.h"

/* ---- element tables ---- */

enum {
	EL_VOID = 1,  /* no content, no end tag */
	EL_BLOCK = 2, /* closes an open <p>; a paragraph break in plain text */
	EL_LINE = 4,  /* a line break in plain text */
	EL_CELL = 8,  /* a space in plain text */
};

typedef struct element {
	const char *name;
	int flags;
} element;

static const element allowed[] = {
        {"a", 0},
        {"abbr", 0},
        {"b", 0},
        {"big", 0},
        {"blockquote", EL_BLOCK},
        {"br", EL_VOID | EL_LINE},
        {"caption", EL_BLOCK},
        {"cite", 0},
        {"code", 0},
        {"dd", EL_BLOCK},
        {"div", EL_BLOCK},
        {"dl", EL_BLOCK},
        {"dt", EL_BLOCK},
        {"em", 0},
        {"figcaption", EL_BLOCK},
        {"figure", EL_BLOCK},
        {"h1", EL_BLOCK},
        {"h2", EL_BLOCK},
        {"h3", EL_BLOCK},
        {"h4", EL_BLOCK},
        {"h5", EL_BLOCK},
        {"h6", EL_BLOCK},
        {"hr", EL_VOID | EL_BLOCK},
        {"i", 0},
        {"img", EL_VOID},
        {"li", EL_LINE},
        {"ol", EL_BLOCK},
        {"p", EL_BLOCK},
        {"pre", EL_BLOCK},
        {"q", 0},
        {"s", 0},
        {"small", 0},
        {"span", 0},
        {"strong", 0},
        {"sub", 0},
        {"sup", 0},
        {"table", EL_BLOCK},
        {"tbody", 0},
        {"td", EL_CELL},
        {"tfoot", 0},
        {"th", EL_CELL},
        {"thead", 0},
        {"tr", EL_BLOCK},
        {"u", 0},
        {"ul", EL_BLOCK},
};

/* Elements that go with their content; the void ones have none. */
static const element dropped[] = {
        {"applet", 0},     {"base", EL_VOID},  {"button", 0},     {"embed", EL_VOID},
        {"form", 0},       {"frame", EL_VOID}, {"frameset", 0},   {"head", 0},
        {"iframe", 0},     {"input", EL_VOID}, {"link", EL_VOID}, {"math", 0},
        {"meta", EL_VOID}, {"noembed", 0},     {"noframes", 0},   {"noscript", 0},
        {"object", 0},     {"param", EL_VOID}, {"plaintext", 0},  {"script", 0},
        {"select", 0},     {"style", 0},       {"svg", 0},        {"template", 0},
        {"textarea", 0},   {"title", 0},       {"xmp", 0},
};

/* Elements whose content the tokenizer skips as raw text. */
static const char *const rawtext[] = {"iframe",    "noembed", "noframes", "noscript",
                                      "plaintext", "script",  "style",    "textarea",
                                      "title",     "xmp",     NULL};

static const element *lookup(const element *tab, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(tab[i].name, name) == 0)
			return &tab[i];
	return NULL;
}

#define LOOKUP(tab, name) lookup(tab, sizeof tab / sizeof *tab, name)

static int is_rawtext(const char *name)
{
	for (int i = 0; rawtext[i]; i++)
		if (strcmp(rawtext[i], name) == 0)
			return 1;
	return 0;
}

/* ---- tokenizer ---- */

enum tok_kind { TK_EOF, TK_TEXT, TK_START, TK_END };

typedef struct tok {
	const char *p, *end; /* cursor over the borrowed input */
	enum tok_kind kind;
	const char *text; /* TK_TEXT: raw bytes (entities not decoded) */
	size_t tn;
	char name[16];                 /* TK_START/TK_END: lower case; "?" when not a known shape */
	const char *attrs, *attrs_end; /* TK_START: the attribute area */
	int self_closing;
} tok;

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Reads a tag name at p into t->name; returns the first byte after it. */
static const char *read_name(tok *t, const char *p)
{
	size_t k = 0;
	int ok = 1;
	for (; p < t->end && !is_ws(*p) && *p != '/' && *p != '>'; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) || k + 1 >= sizeof t->name)
			ok = 0;
		else
			t->name[k++] = c;
	}
	t->name[k] = '\0';
	if (!ok || !k)
		memcpy(t->name, "?", 2);
	return p;
}

/* One attribute of a tag (HTML tokenizer rules).  Returns the byte after it;
 * *name is NULL when the tag ends there (at '>' or the end of input). */
typedef struct attr {
	const char *name, *value;
	size_t nn, vn;
} attr;

static const char *next_attr(const char *p, const char *end, attr *a)
{
	while (p < end && (is_ws(*p) || *p == '/'))
		p++;
	a->name = NULL;
	a->value = "";
	a->vn = 0;
	if (p >= end || *p == '>')
		return p;
	a->name = p++; /* a first '=' belongs to the name */
	while (p < end && !is_ws(*p) && *p != '/' && *p != '>' && *p != '=')
		p++;
	a->nn = (size_t)(p - a->name);
	const char *q = p;
	while (q < end && is_ws(*q))
		q++;
	if (q >= end || *q != '=')
		return p;
	for (q++; q < end && is_ws(*q);)
		q++;
	if (q < end && (*q == '"' || *q == '\'')) {
		const char *close = memchr(q + 1, *q, (size_t)(end - q - 1));
		a->value = q + 1;
		a->vn = (size_t)((close ? close : end) - a->value);
		return close ? close + 1 : end;
	}
	a->value = q;
	while (q < end && !is_ws(*q) && *q != '>')
		q++;
	a->vn = (size_t)(q - a->value);
	return q;
}

/* Case-insensitive search for "</name" followed by a tag-ending byte. */
static const char *find_end_tag(const char *p, const char *end, const char *name)
{
	size_t k = strlen(name);
	for (;;) {
		const char *lt = memmem(p, (size_t)(end - p), "</", 2);
		if (!lt)
			return end;
		const char *q = lt + 2 + k;
		if (q <= end && strncasecmp(lt + 2, name, k) == 0 &&
		    (q == end || is_ws(*q) || *q == '/' || *q == '>'))
			return lt;
		p = lt + 2;
	}
}

static const char *skip_past(const char *p, const char *end, const char *what)
{
	const char *f = memmem(p, (size_t)(end - p), what, strlen(what));
	return f ? f + strlen(what) : end;
}

static int tag_start(tok *t, const char *p);

static void tok_next(tok *t)
{
	while (t->p < t->end) {
		const char *p = t->p;
		if (*p == '<') {
			if (tag_start(t, p))
				return;
			if (t->p != p)
				continue; /* a comment was skipped */
		}
		/* text up to the next '<' (a '<' that starts no tag is text) */
		const char *lt = memchr(p + 1, '<', (size_t)(t->end - p - 1));
		t->kind = TK_TEXT;
		t->text = p;
		t->p = lt ? lt : t->end;
		t->tn = (size_t)(t->p - p);
		return;
	}
	t->kind = TK_EOF;
}

/* At '<': reads a tag (returns 1), or skips a comment (moves t->p, returns
 * 0), or leaves t->p alone when the '<' is text. */
static int tag_start(tok *t, const char *p)
{
	const char *end = t->end;
	if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
		t->p = skip_past(p + 4, end, "-->");
		return 0;
	}
	if (end - p >= 2 && (p[1] == '!' || p[1] == '?')) { /* bogus comment */
		t->p = skip_past(p + 2, end, ">");
		return 0;
	}
	if (end - p >= 3 && p[1] == '/' && !is_alpha(p[2])) { /* "</>", "</ x>" */
		t->p = skip_past(p + 2, end, ">");
		return 0;
	}
	int closing = end - p >= 2 && p[1] == '/';
	const char *q = p + 1 + closing;
	if (q >= end || !is_alpha(*q))
		return 0;
	q = read_name(t, q);
	t->attrs = q;
	attr a;
	for (;;) {
		q = next_attr(q, end, &a);
		if (!a.name)
			break;
	}
	if (q >= end) { /* unfinished tag at the end: dropped */
		t->p = end;
		t->kind = TK_EOF;
		return 1;
	}
	t->attrs_end = q;
	t->self_closing = q > t->attrs && q[-1] == '/';
	t->p = q + 1;
	t->kind = closing ? TK_END : TK_START;
	if (!closing && is_rawtext(t->name))
		t->p = strcmp(t->name, "plaintext") == 0 ? end : find_end_tag(t->p, end, t->name);
	return 1;
}

static void tok_init(tok *t, const char *s, size_t n)
{
	memset(t, 0, sizeof *t);
	t->p = s;
	t->end = s + n;
}

/* ---- hidden elements (shared by both consumers) ---- */

typedef struct hider {
	const char *name; /* the dropped element being skipped, or NULL */
	long depth;       /* its nesting inside itself */
} hider;

/* Returns 1 when the token belongs to hidden content (or starts it). */
static int hide_step(hider *h, const tok *t, long *removed)
{
	if (h->name) {
		if (t->kind == TK_START && strcmp(t->name, h->name) == 0 && !t->self_closing)
			h->depth++;
		else if (t->kind == TK_END && strcmp(t->name, h->name) == 0 && --h->depth == 0)
			h->name = NULL;
		return 1;
	}
	if (t->kind != TK_START && t->kind != TK_END)
		return 0;
	const element *d = LOOKUP(dropped, t->name);
	if (!d)
		return 0;
	if (t->kind == TK_START) {
		(*removed)++;
		if (!(d->flags & EL_VOID) && !t->self_closing) {
			h->name = d->name;
			h->depth = 1;
		}
	}
	return 1;
}

/* ---- escaping and text ---- */

void mie_html_escape(mie_buf *out, const char *s, size_t n, int in_attr)
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		unsigned char c = (unsigned char)s[i];
		if (c == '&')
			rep = "&amp;";
		else if (c == '<')
			rep = "&lt;";
		else if (c == '>')
			rep = "&gt;";
		else if (c == '"' && in_attr)
			rep = "&quot;";
		else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			rep = "";
		else
			continue;
		mie_buf_add(out, s + from, i - from);
		mie_buf_adds(out, rep);
		from = i + 1;
	}
	mie_buf_add(out, s + from, n - from);
}

/* Decodes the entities of s[0..n) into tmp (reset first). */
static void decode(mie_buf *tmp, const char *s, size_t n)
{
	mie_buf_reset(tmp);
	if (memchr(s, '&', n))
		mie_entities_decode(tmp, s, n, 0);
	else
		mie_buf_add(tmp, s, n);
}

int mie_html_url_ok(const char *url)
{
	static const char *const schemes[] = {"http", "https", "mailto", "ftp", NULL};
	char scheme[8];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= ' ' || *p == 0x7F)
			continue; /* browsers drop these inside a URL */
		if (*p == '/' || *p == '?' || *p == '#')
			return 1; /* no scheme: relative */
		if (*p == ':') {
			scheme[n] = '\0';
			for (int i = 0; schemes[i]; i++)
				if (n && strcasecmp(scheme, schemes[i]) == 0)
					return 1;
			return 0;
		}
		if (n + 1 >= sizeof scheme)
			n = sizeof scheme - 1; /* too long for an allowed scheme */
		else
			scheme[n++] = (char)*p;
	}
	return 1;
}

/* ---- sanitizer ---- */

typedef struct san {
	mie_buf *out;
	mie_html_report rep;
	const char *stack[MIE_HTML_MAX_DEPTH]; /* static names from allowed[] */
	size_t at[MIE_HTML_MAX_DEPTH];         /* where each start tag begins in out */
	int depth;
	long flat; /* flattened elements still open */
	mie_buf tmp, seen;
} san;

static int attr_allowed(const char *el, const char *name)
{
	static const char *const common[] = {"title",   "class",   "id", "lang",
	                                     "colspan", "rowspan", NULL};
	for (int i = 0; common[i]; i++)
		if (strcmp(name, common[i]) == 0)
			return 1;
	if (strncmp(name, "data-mie-", 9) == 0 && name[9])
		return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(name);
	if (strcmp(el, "a") == 0)
		return strcmp(name, "href") == 0;
	if (strcmp(el, "img") == 0)
		return strcmp(name, "src") == 0 || strcmp(name, "alt") == 0 ||
		       strcmp(name, "width") == 0 || strcmp(name, "height") == 0;
	return 0;
}

/* Writes the allowed attributes of the tag in t. */
static void put_attrs(san *s, const char *el, const tok *t)
{
	attr a;
	char name[40];
	mie_buf_reset(&s->seen);
	for (const char *p = next_attr(t->attrs, t->attrs_end, &a); a.name;
	     p = next_attr(p, t->attrs_end, &a)) {
		size_t k;
		for (k = 0; k < a.nn && k + 1 < sizeof name; k++)
			name[k] = (char)((a.name[k] >= 'A' && a.name[k] <= 'Z') ? a.name[k] + 32
			                                                        : a.name[k]);
		name[k] = '\0';
		if (k < a.nn || !attr_allowed(el, name)) {
			s->rep.removed++;
			continue;
		}
		/* seen holds " n1  n2 " ...: a duplicate is " name " inside it */
		mie_buf_addc(&s->seen, ' ');
		size_t mark = s->seen.len;
		mie_buf_addf(&s->seen, "%s ", name);
		if (memmem(s->seen.data, mark, s->seen.data + mark - 1, k + 2)) {
			mie_buf_setlen(&s->seen, mark - 1); /* duplicate: the first wins */
			continue;
		}
		decode(&s->tmp, a.value, a.vn);
		if ((strcmp(name, "href") == 0 || strcmp(name, "src") == 0) &&
		    (memchr(s->tmp.data, '\0', s->tmp.len) || !mie_html_url_ok(s->tmp.data))) {
			s->rep.removed++;
			continue;
		}
		mie_buf_addf(s->out, " %s=\"", name);
		mie_html_escape(s->out, s->tmp.data, s->tmp.len, 1);
		mie_buf_addc(s->out, '"');
	}
}

/* Closes the open elements above depth k.  An empty <p> goes away (a
 * paragraph the markup left around a block, "<p></p><table>"). */
static void pop_to(san *s, int k)
{
	while (s->depth > k) {
		const char *name = s->stack[--s->depth];
		size_t at = s->at[s->depth];
		const char *gt = memchr(s->out->data + at, '>', s->out->len - at);
		if (strcmp(name, "p") == 0 && gt && (size_t)(gt - s->out->data) + 1 == s->out->len)
			mie_buf_setlen(s->out, at);
		else
			mie_buf_addf(s->out, "</%s>", name);
	}
}

/* The depth of the nearest open `name` above any of `stops`, or -1. */
static int open_in_scope(const san *s, const char *const *names, const char *const *stops)
{
	for (int i = s->depth - 1; i >= 0; i--) {
		for (int k = 0; names[k]; k++)
			if (strcmp(s->stack[i], names[k]) == 0)
				return i;
		for (int k = 0; stops[k]; k++)
			if (strcmp(s->stack[i], stops[k]) == 0)
				return -1;
	}
	return -1;
}

/* Closes what HTML closes implicitly when `el` starts. */
static void implicit_close(san *s, const element *el)
{
	static const char *const li[] = {"li", NULL}, *const lists[] = {"ul", "ol", "table", NULL};
	static const char *const dtdd[] = {"dt", "dd", NULL}, *const dl[] = {"dl", "table", NULL};
	static const char *const tr[] = {"tr", NULL}, *const tbl[] = {"table", NULL};
	static const char *const cell[] = {"td", "th", NULL}, *const row[] = {"tr", "table", NULL};
	static const char *const sect[] = {"thead", "tbody", "tfoot", NULL};
	int k = -1;
	const char *n = el->name;
	if ((el->flags & EL_BLOCK) && s->depth && strcmp(s->stack[s->depth - 1], "p") == 0)
		pop_to(s, s->depth - 1);
	if (strcmp(n, "li") == 0)
		k = open_in_scope(s, li, lists);
	else if (strcmp(n, "dt") == 0 || strcmp(n, "dd") == 0)
		k = open_in_scope(s, dtdd, dl);
	else if (strcmp(n, "tr") == 0)
		k = open_in_scope(s, tr, tbl);
	else if (strcmp(n, "td") == 0 || strcmp(n, "th") == 0)
		k = open_in_scope(s, cell, row);
	else if (strcmp(n, "thead") == 0 || strcmp(n, "tbody") == 0 || strcmp(n, "tfoot") == 0)
		k = open_in_scope(s, sect, tbl);
	if (k >= 0)
		pop_to(s, k);
}

static void san_start(san *s, const tok *t)
{
	const element *el = LOOKUP(allowed, t->name);
	if (!el) { /* unwrapped: content kept */
		if (strcmp(t->name, "html") && strcmp(t->name, "body"))
			s->rep.removed++;
		return;
	}
	implicit_close(s, el);
	if (!(el->flags & EL_VOID) && s->depth == MIE_HTML_MAX_DEPTH) {
		s->flat++;
		s->rep.flattened++;
		return;
	}
	size_t at = s->out->len;
	mie_buf_addf(s->out, "<%s", el->name);
	put_attrs(s, el->name, t);
	if (el->flags & EL_VOID) {
		mie_buf_adds(s->out, " />");
		return;
	}
	mie_buf_addc(s->out, '>');
	s->at[s->depth] = at;
	s->stack[s->depth++] = el->name;
}

static void san_end(san *s, const tok *t)
{
	const element *el = LOOKUP(allowed, t->name);
	if (!el || (el->flags & EL_VOID))
		return;
	if (s->flat > 0) {
		s->flat--;
		return;
	}
	for (int i = s->depth - 1; i >= 0; i--)
		if (s->stack[i] == el->name) {
			pop_to(s, i);
			return;
		}
}

void mie_html_sanitize_report(mie_buf *out, const char *in, size_t n, mie_html_report *rep)
{
	san s;
	s.out = out;
	s.rep.removed = s.rep.flattened = 0;
	s.depth = 0;
	s.flat = 0;
	mie_buf_init(&s.tmp);
	mie_buf_init(&s.seen);
	hider h = {NULL, 0};
	tok t;
	tok_init(&t, in, n);
	for (tok_next(&t); t.kind != TK_EOF; tok_next(&t)) {
		if (hide_step(&h, &t, &s.rep.removed))
			continue;
		if (t.kind == TK_TEXT) {
			decode(&s.tmp, t.text, t.tn);
			mie_html_escape(out, s.tmp.data, s.tmp.len, 0);
		} else if (t.kind == TK_START) {
			san_start(&s, &t);
		} else {
			san_end(&s, &t);
		}
	}
	pop_to(&s, 0);
	mie_buf_release(&s.tmp);
	mie_buf_release(&s.seen);
	if (rep) {
		rep->removed += s.rep.removed;
		rep->flattened += s.rep.flattened;
	}
}

int mie_html_sanitize(mie_buf *out, const char *s, size_t n)
{
	mie_html_report rep = {0, 0};
	mie_html_sanitize_report(out, s, n, &rep);
	if (rep.flattened)
		return -1;
	return rep.removed > 0x7FFFFFFF ? 0x7FFFFFFF : (int)rep.removed;
}

int mie_html_sanitize_plain(mie_buf *html, mie_buf *plain, const char *s, size_t n)
{
	if (!html) { /* the plain text skips what the sanitizer would drop */
		if (plain)
			mie_html_to_plain(plain, s, n);
		return 0;
	}
	size_t start = html->len;
	int r = mie_html_sanitize(html, s, n);
	if (plain)
		mie_html_to_plain(plain, html->data + start, html->len - start);
	return r;
}

/* ---- plain text ---- */

/* Collapses spaces (U+00A0 too) to one, keeps at most one blank line, no
 * white space at either end. */
static void tidy(mie_buf *out, const char *s, size_t n)
{
	size_t start = out->len;
	int spaces = 0, newlines = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
		    (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)) {
			i += c == 0xC2;
			spaces = 1;
			continue;
		}
		if (c == '\n') {
			newlines++;
			continue;
		}
		if (c < 0x20)
			continue;
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

/* The text of one element boundary in plain text. */
static const char *plain_break(const tok *t)
{
	const element *el = LOOKUP(allowed, t->name);
	if (!el)
		return NULL;
	if (el->flags & EL_BLOCK)
		return "\n\n";
	if (el->flags & EL_LINE)
		return t->kind == TK_START || (el->flags & EL_VOID) ? "\n" : NULL;
	if (el->flags & EL_CELL)
		return " ";
	return NULL;
}

void mie_html_to_plain(mie_buf *out, const char *s, size_t n)
{
	mie_buf raw = MIE_BUF_INIT, tmp = MIE_BUF_INIT;
	hider h = {NULL, 0};
	long removed = 0, pre = 0;
	tok t;
	tok_init(&t, s, n);
	for (tok_next(&t); t.kind != TK_EOF; tok_next(&t)) {
		if (hide_step(&h, &t, &removed))
			continue;
		if (t.kind == TK_TEXT) {
			decode(&tmp, t.text, t.tn);
			for (size_t i = 0; !pre && i < tmp.len; i++)
				if (tmp.data[i] == '\n' || tmp.data[i] == '\r')
					tmp.data[i] = ' '; /* white space, as in HTML */
			mie_buf_add(&raw, tmp.data, tmp.len);
		} else {
			if (strcmp(t.name, "pre") == 0)
				pre = t.kind == TK_START ? pre + 1 : (pre ? pre - 1 : 0);
			const char *b = plain_break(&t);
			if (b)
				mie_buf_adds(&raw, b);
		}
	}
	tidy(out, raw.data, raw.len);
	mie_buf_release(&raw);
	mie_buf_release(&tmp);
}
