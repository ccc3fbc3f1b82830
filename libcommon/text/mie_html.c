/* mie_html.c — HTML tokenizer, allowlist sanitizer, HTML to plain text
 * (see mie_html.h for the contract).
 *
 * One tokenizer (struct tok) feeds two consumers: the sanitizer (an
 * open-element stack of at most MIE_HTML_MAX_DEPTH elements) and the plain-text
 * extractor.  Both share the "hidden element" logic: a dropped element's
 * content is skipped up to its matching end tag. */
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "core/mie_hash.h"
#include "text/mie_html.h"
#include "text/mie_scan.h"
#include "core/mie_simd.h"
#include "text/mie_text.h"

/* ---- element tables ---- */

enum {
	EL_VOID = 1,  /* no content, no end tag */
	EL_BLOCK = 2, /* closes an open <p>; a paragraph break in plain text */
	EL_LINE = 4,  /* a line break in plain text */
	EL_CELL = 8,  /* a space in plain text (td th) */
	EL_RAW = 16,  /* dropped, content is raw text up to the end tag */
	EL_PRE = 32,  /* white space kept in plain text (pre) */
	/* what implicit closing looks for (see implicit_close) */
	EL_P = 64,       /* p */
	EL_LI = 128,     /* li */
	EL_DTDD = 256,   /* dt dd */
	EL_TR = 512,     /* tr */
	EL_SECT = 1024,  /* thead tbody tfoot */
	EL_LIST = 2048,  /* ul ol */
	EL_TABLE = 4096, /* table */
	EL_DL = 8192,    /* dl */
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
        {"dd", EL_BLOCK | EL_DTDD},
        {"div", EL_BLOCK},
        {"dl", EL_BLOCK | EL_DL},
        {"dt", EL_BLOCK | EL_DTDD},
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
        {"li", EL_LINE | EL_LI},
        {"ol", EL_BLOCK | EL_LIST},
        {"p", EL_BLOCK | EL_P},
        {"pre", EL_BLOCK | EL_PRE},
        {"q", 0},
        {"s", 0},
        {"small", 0},
        {"span", 0},
        {"strong", 0},
        {"sub", 0},
        {"sup", 0},
        {"table", EL_BLOCK | EL_TABLE},
        {"tbody", EL_SECT},
        {"td", EL_CELL},
        {"tfoot", EL_SECT},
        {"th", EL_CELL},
        {"thead", EL_SECT},
        {"tr", EL_BLOCK | EL_TR},
        {"u", 0},
        {"ul", EL_BLOCK | EL_LIST},
};

/* Elements that go with their content; the void ones have none. */
static const element dropped[] = {
        {"applet", 0},         {"base", EL_VOID},   {"button", 0},
        {"embed", EL_VOID},    {"form", 0},         {"frame", EL_VOID},
        {"frameset", 0},       {"head", 0},         {"iframe", EL_RAW},
        {"input", EL_VOID},    {"link", EL_VOID},   {"math", 0},
        {"meta", EL_VOID},     {"noembed", EL_RAW}, {"noframes", EL_RAW},
        {"noscript", EL_RAW},  {"object", 0},       {"param", EL_VOID},
        {"plaintext", EL_RAW}, {"script", EL_RAW},  {"select", 0},
        {"style", EL_RAW},     {"svg", 0},          {"template", 0},
        {"textarea", EL_RAW},  {"title", EL_RAW},   {"xmp", EL_RAW},
};

#define N_ALLOWED (sizeof allowed / sizeof *allowed)
#define N_DROPPED (sizeof dropped / sizeof *dropped)

/* Index of allowed[] then dropped[] by name (position k a value), built
 * once (pthread_once: sanitizing runs on several threads).  Every tag of
 * every field is looked up; a scan of strcmp calls over both tables
 * showed in profiles. */
static mie_table tag_index;
static unsigned char tag_lens[N_ALLOWED + N_DROPPED]; /* strlen of each name */
static pthread_once_t tag_once = PTHREAD_ONCE_INIT;

static const element *tag_entry(size_t k)
{
	return k < N_ALLOWED ? &allowed[k] : &dropped[k - N_ALLOWED];
}

static void build_tag_index(void)
{
	mie_table_init(&tag_index, 1, N_ALLOWED + N_DROPPED);
	for (size_t k = 0; k < N_ALLOWED + N_DROPPED; k++) {
		const char *nm = tag_entry(k)->name;
		tag_lens[k] = (unsigned char)strlen(nm);
		*(unsigned char *)mie_table_add(&tag_index, mie_hash_key(nm, tag_lens[k])) =
		        (unsigned char)k;
	}
}

/* The entry of lower-case name[0..n) in allowed[] or dropped[], or NULL. */
static const element *tag_lookup(const char *name, size_t n)
{
	pthread_once(&tag_once, build_tag_index);
	uint64_t key = mie_hash_key(name, n);
	size_t pos = 0;
	for (const unsigned char *k; (k = mie_table_next(&tag_index, key, &pos));)
		if (tag_lens[*k] == n && memcmp(tag_entry(*k)->name, name, n) == 0)
			return tag_entry(*k);
	return NULL;
}

static int is_allowed(const element *e)
{
	return e && e >= allowed && e < allowed + N_ALLOWED;
}

/* ---- tokenizer ---- */

enum tok_kind { TK_EOF, TK_TEXT, TK_START, TK_END };

/* An attribute: name[0..nn) and value[0..vn), borrowed from the input. */
typedef struct attr {
	const char *name, *value;
	size_t nn, vn;
} attr;

#define TOK_ATTRS 8 /* attributes a tag keeps from tokenizing (put_attrs) */

typedef struct tok {
	const char *p, *end; /* cursor over the borrowed input */
	enum tok_kind kind;
	const char *text; /* TK_TEXT: raw bytes (entities not decoded) */
	size_t tn;
	char name[16];                 /* TK_START/TK_END: lower case; "?" when not a known shape */
	const element *el;             /* TK_START/TK_END: in allowed[] or NULL */
	const element *drop;           /* TK_START/TK_END: in dropped[] or NULL */
	const char *attrs, *attrs_end; /* TK_START: the attribute area */
	attr av[TOK_ATTRS];            /* its attributes when na >= 0 */
	int na;                        /* -1: more than TOK_ATTRS, parse the area again */
	int self_closing;
	int unclosed; /* TK_START of dropped[]: no end tag follows, content kept */
	/* per entry of dropped[]: the first "</name" at or after where it was
	 * last looked for, t->end when there is none; NULL: not looked for.
	 * Each is searched forward only, so the look-ups stay linear. */
	const char *next_end[sizeof dropped / sizeof *dropped];
} tok;

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Classes of the bytes that end the parts of a tag, for one load per byte
 * in the loops of read_name and next_attr. */
enum { C_WS = 1, C_SLASH = 2, C_GT = 4, C_EQ = 8 };
static const unsigned char tag_class[256] = {
        [' '] = C_WS,  ['\t'] = C_WS,   ['\n'] = C_WS, ['\r'] = C_WS,
        ['\f'] = C_WS, ['/'] = C_SLASH, ['>'] = C_GT,  ['='] = C_EQ,
};
#define TAG_CLASS(c) tag_class[(unsigned char)(c)]

/* Reads a tag name at p into t->name; returns the first byte after it. */
static const char *read_name(tok *t, const char *p)
{
	size_t k = 0;
	int ok = 1;
	for (; p < t->end && !(TAG_CLASS(*p) & (C_WS | C_SLASH | C_GT)); p++) {
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
	const element *e = ok && k ? tag_lookup(t->name, k) : NULL;
	t->el = is_allowed(e) ? e : NULL;
	t->drop = e && !t->el ? e : NULL;
	return p;
}

/* One attribute of a tag (HTML tokenizer rules).  Returns the byte after it;
 * *name is NULL when the tag ends there (at '>' or the end of input). */
static const char *next_attr(const char *p, const char *end, attr *a)
{
	while (p < end && (TAG_CLASS(*p) & (C_WS | C_SLASH)))
		p++;
	a->name = NULL;
	a->value = "";
	a->vn = 0;
	if (p >= end || *p == '>')
		return p;
	a->name = p++; /* a first '=' belongs to the name */
	while (p < end && !(TAG_CLASS(*p) & (C_WS | C_SLASH | C_GT | C_EQ)))
		p++;
	a->nn = (size_t)(p - a->name);
	const char *q = p;
	while (q < end && (TAG_CLASS(*q) & C_WS))
		q++;
	if (q >= end || *q != '=')
		return p;
	for (q++; q < end && (TAG_CLASS(*q) & C_WS);)
		q++;
	if (q < end && (*q == '"' || *q == '\'')) {
		const char *close = memchr(q + 1, *q, (size_t)(end - q - 1));
		a->value = q + 1;
		a->vn = (size_t)((close ? close : end) - a->value);
		return close ? close + 1 : end;
	}
	a->value = q;
	while (q < end && !(TAG_CLASS(*q) & (C_WS | C_GT)))
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

/* Where the end tag of dropped element d is, at or after p: t->end when the
 * input holds none. */
static const char *end_ahead(tok *t, const element *d, const char *p)
{
	const char **c = &t->next_end[d - dropped];
	if (!*c || (*c < p && *c != t->end))
		*c = find_end_tag(p, t->end, d->name);
	return *c;
}

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
	t->na = 0;
	attr a;
	for (;;) {
		q = next_attr(q, end, &a);
		if (!a.name)
			break;
		if (t->na >= 0 && t->na < TOK_ATTRS)
			t->av[t->na++] = a;
		else
			t->na = -1;
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
	t->unclosed = 0;
	if (closing || !t->drop || (t->drop->flags & EL_VOID) || t->self_closing)
		return 1;
	/* an element that goes with its content goes only up to its end tag:
	 * never closed, it loses its tag and keeps its content (legacy text
	 * with a stray "<form>" or "<title>" keeps the rest of the article);
	 * but what follows an unclosed <script> or <style> is code, not text,
	 * and goes, as in browsers */
	int code = strcmp(t->name, "script") == 0 || strcmp(t->name, "style") == 0;
	const char *close = strcmp(t->name, "plaintext") == 0 ? end : end_ahead(t, t->drop, t->p);
	if (close == end && strcmp(t->name, "plaintext") != 0 && !code)
		t->unclosed = 1;
	else if (t->drop->flags & EL_RAW)
		t->p = close;
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
	const element *el; /* the dropped element being skipped, or NULL */
} hider;

/* Returns 1 when the token belongs to hidden content (or starts it).
 * Hiding ends at the element's first end tag, whatever was nested: the
 * tokenizer checked that one follows (tok.unclosed), so hiding never runs
 * to the end of the input. */
static int hide_step(hider *h, const tok *t, long *removed)
{
	if (h->el) {
		if (t->kind == TK_END && t->drop == h->el)
			h->el = NULL;
		return 1;
	}
	if (t->kind != TK_START && t->kind != TK_END)
		return 0;
	const element *d = t->drop;
	if (!d)
		return 0;
	if (t->kind == TK_START) {
		(*removed)++;
		if (!(d->flags & EL_VOID) && !t->self_closing && !t->unclosed) {
			h->el = d;
		}
	}
	return 1;
}

/* ---- escaping and text ---- */

/* What mie_html_escape changes: 1 always (& < >, C0 controls but TAB, LF,
 * CR), 2 in attribute values (").  Other bytes are copied in runs. */
static const unsigned char escaped[256] = {
        [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
        [0x07] = 1, [0x08] = 1, [0x0B] = 1, [0x0C] = 1, [0x0E] = 1, [0x0F] = 1, [0x10] = 1,
        [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
        [0x18] = 1, [0x19] = 1, [0x1A] = 1, [0x1B] = 1, [0x1C] = 1, [0x1D] = 1, [0x1E] = 1,
        [0x1F] = 1, ['&'] = 1,  ['<'] = 1,  ['>'] = 1,  ['"'] = 2,
};

/* The bytes of escaped[] but the C0 controls, for mie_scan: the first
 * three in text, all four in attribute values. */
#define ESCAPED_SET MIE_SCAN_SET('&', '<', '>', '"', 0, 0, 0, 0)

/* Length of the prefix of s[0..n) that mie_html_escape copies as it is. */
static size_t escape_span(const char *s, size_t n, unsigned mask)
{
	return mask & 2 ? mie_scan(s, 0, n, escaped, mask, ESCAPED_SET, 4, 1)
	                : mie_scan(s, 0, n, escaped, mask, ESCAPED_SET, 3, 1);
}

void mie_html_escape(mie_buf *out, const char *s, size_t n, int in_attr)
{
	unsigned mask = in_attr ? 3 : 1;
	size_t from = 0;
	for (size_t i; (i = from + escape_span(s + from, n - from, mask)) < n; from = i + 1) {
		const char *rep;
		unsigned char c = (unsigned char)s[i];
		if (c == '&')
			rep = "&amp;";
		else if (c == '<')
			rep = "&lt;";
		else if (c == '>')
			rep = "&gt;";
		else if (c == '"')
			rep = "&quot;";
		else
			rep = ""; /* a control character */
		mie_buf_add(out, s + from, i - from);
		mie_buf_adds(out, rep);
	}
	mie_buf_add(out, s + from, n - from);
}

/* Appends s[0..n) to out with its entities decoded. */
static void decode_add(mie_buf *out, const char *s, size_t n)
{
	if (memchr(s, '&', n))
		mie_entities_decode(out, s, n, 0);
	else
		mie_buf_add(out, s, n);
}

/* Decodes the entities of s[0..n) into tmp (reset first). */
static void decode(mie_buf *tmp, const char *s, size_t n)
{
	mie_buf_reset(tmp);
	decode_add(tmp, s, n);
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
	const element *stack[MIE_HTML_MAX_DEPTH]; /* entries of allowed[] */
	size_t at[MIE_HTML_MAX_DEPTH];            /* where each start tag begins in out */
	int depth;
	long flat; /* flattened elements still open */
	mie_buf tmp, seen;
} san;

/* The allowed attribute names but data-mie-*, on every element (el NULL)
 * or on one; an attribute's index here is its bit in put_attrs. */
static const struct {
	const char *name;
	size_t len;
	const char *el;
} attr_names[] = {
        {"title", 5, NULL},   {"class", 5, NULL},   {"id", 2, NULL},      {"lang", 4, NULL},
        {"colspan", 7, NULL}, {"rowspan", 7, NULL}, {"href", 4, "a"},     {"src", 3, "img"},
        {"alt", 3, "img"},    {"width", 5, "img"},  {"height", 6, "img"},
};

#define N_ATTR_NAMES (sizeof attr_names / sizeof *attr_names)
/* AT_URL: href and src, entries 6 and 7, whose values are URLs */
enum { AT_URL = 1 << 6 | 1 << 7, AT_DATA = 1 << N_ATTR_NAMES };

/* What an attribute name (lower case, length k) is on element el: its
 * bit, AT_DATA for data-mie-*, 0 when not allowed. */
static unsigned attr_kind(const char *el, const char *name, size_t k)
{
	for (size_t i = 0; i < N_ATTR_NAMES; i++)
		if (attr_names[i].len == k && memcmp(attr_names[i].name, name, k) == 0)
			return !attr_names[i].el || strcmp(el, attr_names[i].el) == 0 ? 1u << i : 0;
	if (k > 9 && memcmp(name, "data-mie-", 9) == 0)
		return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == k ? AT_DATA : 0;
	return 0;
}

/* The i-th attribute of the tag in t into *a (0 after the last): kept by
 * the tokenizer, or parsed again from *p on (i counts up from 0). */
static int tok_attr(const tok *t, int i, const char **p, attr *a)
{
	if (t->na >= 0) {
		if (i >= t->na)
			return 0;
		*a = t->av[i];
		return 1;
	}
	*p = next_attr(*p, t->attrs_end, a);
	return a->name != NULL;
}

/* Writes the allowed attributes of the tag in t. */
static void put_attrs(san *s, const char *el, const tok *t)
{
	attr a;
	char name[40];
	unsigned seen_kinds = 0; /* the first of duplicates wins */
	mie_buf_reset(&s->seen);
	const char *p = t->attrs;
	for (int i = 0; tok_attr(t, i, &p, &a); i++) {
		size_t k;
		for (k = 0; k < a.nn && k + 1 < sizeof name; k++)
			name[k] = (char)((a.name[k] >= 'A' && a.name[k] <= 'Z') ? a.name[k] + 32
			                                                        : a.name[k]);
		name[k] = '\0';
		size_t nl = strlen(name); /* below k when the name holds a NUL */
		unsigned kind = k < a.nn ? 0 : attr_kind(el, name, nl);
		if (!kind) {
			s->rep.removed++;
			continue;
		}
		if (kind != AT_DATA) {
			if (seen_kinds & kind)
				continue;
			seen_kinds |= kind;
		} else {
			/* seen holds " n1  n2 " ...: a duplicate is " name " in it */
			mie_buf_addc(&s->seen, ' ');
			size_t mark = s->seen.len;
			mie_buf_add(&s->seen, name, nl);
			mie_buf_addc(&s->seen, ' ');
			if (memmem(s->seen.data, mark, s->seen.data + mark - 1, nl + 2)) {
				mie_buf_setlen(&s->seen, mark - 1);
				continue;
			}
		}
		int url = (kind & AT_URL) != 0; /* href, src: judged decoded */
		if (url) {
			decode(&s->tmp, a.value, a.vn);
			if (memchr(s->tmp.data, '\0', s->tmp.len) ||
			    !mie_html_url_ok(s->tmp.data)) {
				s->rep.removed++;
				continue;
			}
		}
		mie_buf_addc(s->out, ' ');
		mie_buf_add(s->out, name, nl);
		mie_buf_add(s->out, "=\"", 2);
		if (url) {
			mie_html_escape(s->out, s->tmp.data, s->tmp.len, 1);
		} else if (memchr(a.value, '&', a.vn)) {
			decode(&s->tmp, a.value, a.vn);
			mie_html_escape(s->out, s->tmp.data, s->tmp.len, 1);
		} else { /* nothing to decode */
			mie_html_escape(s->out, a.value, a.vn, 1);
		}
		mie_buf_addc(s->out, '"');
	}
}

/* Closes the open elements above depth k.  An empty <p> goes away (a
 * paragraph the markup left around a block, "<p></p><table>"). */
static void pop_to(san *s, int k)
{
	while (s->depth > k) {
		const element *el = s->stack[--s->depth];
		size_t at = s->at[s->depth];
		const char *gt = memchr(s->out->data + at, '>', s->out->len - at);
		if ((el->flags & EL_P) && gt && (size_t)(gt - s->out->data) + 1 == s->out->len) {
			mie_buf_setlen(s->out, at);
		} else {
			mie_buf_add(s->out, "</", 2);
			mie_buf_adds(s->out, el->name);
			mie_buf_addc(s->out, '>');
		}
	}
}

/* The depth of the nearest open element with a flag of `names` above any
 * with a flag of `stops`, or -1. */
static int open_in_scope(const san *s, int names, int stops)
{
	for (int i = s->depth - 1; i >= 0; i--) {
		if (s->stack[i]->flags & names)
			return i;
		if (s->stack[i]->flags & stops)
			return -1;
	}
	return -1;
}

/* Closes what HTML closes implicitly when `el` starts: an open p before a
 * block; li in its list, dt/dd in dl, tr/td/th/sections in their table. */
static void implicit_close(san *s, const element *el)
{
	int k = -1, f = el->flags;
	if ((f & EL_BLOCK) && s->depth && (s->stack[s->depth - 1]->flags & EL_P))
		pop_to(s, s->depth - 1);
	if (f & EL_LI)
		k = open_in_scope(s, EL_LI, EL_LIST | EL_TABLE);
	else if (f & EL_DTDD)
		k = open_in_scope(s, EL_DTDD, EL_DL | EL_TABLE);
	else if (f & EL_TR)
		k = open_in_scope(s, EL_TR, EL_TABLE);
	else if (f & EL_CELL)
		k = open_in_scope(s, EL_CELL, EL_TR | EL_TABLE);
	else if (f & EL_SECT)
		k = open_in_scope(s, EL_SECT, EL_TABLE);
	if (k >= 0)
		pop_to(s, k);
}

static void san_start(san *s, const tok *t)
{
	const element *el = t->el;
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
	mie_buf_addc(s->out, '<');
	mie_buf_adds(s->out, el->name);
	put_attrs(s, el->name, t);
	if (el->flags & EL_VOID) {
		mie_buf_adds(s->out, " />");
		return;
	}
	mie_buf_addc(s->out, '>');
	s->at[s->depth] = at;
	s->stack[s->depth++] = el;
}

static void san_end(san *s, const tok *t)
{
	const element *el = t->el;
	if (!el || (el->flags & EL_VOID))
		return;
	if (s->flat > 0) {
		s->flat--;
		return;
	}
	for (int i = s->depth - 1; i >= 0; i--)
		if (s->stack[i] == el) {
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
	hider h = {NULL};
	tok t;
	tok_init(&t, in, n);
	for (tok_next(&t); t.kind != TK_EOF; tok_next(&t)) {
		if (hide_step(&h, &t, &s.rep.removed))
			continue;
		if (t.kind == TK_TEXT && !memchr(t.text, '&', t.tn)) {
			mie_html_escape(out, t.text, t.tn, 0); /* nothing to decode */
		} else if (t.kind == TK_TEXT) {
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
		mie_html_safe_to_plain(plain, html->data + start, html->len - start);
	return r;
}

/* ---- plain text ---- */

/* Is c copied by tidy as it is, whatever surrounds it? */
static int plain_byte(char c)
{
	return (unsigned char)c > ' ' && (unsigned char)c != 0xC2;
}

/* Skips from s[j] on the blocks of 16 bytes that tidy copies as they are:
 * plain bytes and single spaces, each followed by a plain byte in the
 * block (no control, no 0xC2, no two spaces in a row, no space last).
 * Without SSE2 nothing is skipped: 8 bytes at a time in portable C saved
 * nothing beside SSE2 (bench/README.md). */
static size_t plain_words(const char *s, size_t j, size_t n)
{
#if MIE_SIMD
	while (j + 16 <= n) {
		mie_v16 v = mie_v16_load(s + j);
		mie_v16 bad = mie_v16_or(mie_v16_le(v, mie_v16_splat(0x1F)),
		                         mie_v16_eq(v, mie_v16_splat(0xC2)));
		unsigned sp = mie_v16_mask(mie_v16_eq(v, mie_v16_splat(' ')));
		if (mie_v16_mask(bad) || (sp & (sp >> 1)) || (sp & 0x8000))
			break;
		j += 16;
	}
#endif
	return j;
}

/* Collapses spaces (U+00A0 too) to one, keeps at most one blank line, no
 * white space at either end: what is pending between two runs of words
 * is written before the second. */
typedef struct tidier {
	mie_buf *out;
	size_t start; /* where the text starts in out */
	int spaces, newlines;
} tidier;

/* Tidies s[0..n) on; an LF is a line break when lf_breaks, else a space. */
static void tidy_add(tidier *t, const char *s, size_t n, int lf_breaks)
{
	mie_buf *out = t->out;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
		    (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)) {
			i += c == 0xC2;
			t->spaces = 1;
			continue;
		}
		if (c == '\n') {
			if (lf_breaks)
				t->newlines++;
			else
				t->spaces = 1;
			continue;
		}
		if (c < 0x20)
			continue;
		if (out->len > t->start) {
			if (t->newlines)
				mie_buf_adds(out, t->newlines > 1 ? "\n\n" : "\n");
			else if (t->spaces)
				mie_buf_addc(out, ' ');
		}
		t->spaces = t->newlines = 0;
		/* c and the ordinary bytes after it (no white space, no control,
		 * no 0xC2 that could start U+00A0) in one append, with the single
		 * spaces between them, which stay as they are */
		size_t j = i + 1;
		for (;;) {
			j = plain_words(s, j, n);
			if (j < n && plain_byte(s[j]))
				j++;
			else if (j + 1 < n && s[j] == ' ' && plain_byte(s[j + 1]))
				j += 2;
			else
				break;
		}
		mie_buf_add(out, s + i, j - i);
		i = j - 1;
	}
}

static void tidy(mie_buf *out, const char *s, size_t n)
{
	tidier t = {out, out->len, 0, 0};
	mie_buf_grow(out, n); /* the result is never longer */
	tidy_add(&t, s, n, 1);
}

/* Line ends in text are white space, as in HTML.  Found with memchr:
 * most text runs have a few LF and no CR. */
static void breaks_to_spaces(char *s, size_t n)
{
	for (char *p = s, *end = s + n; (p = memchr(p, '\n', (size_t)(end - p))) != NULL;)
		*p++ = ' ';
	for (char *p = s, *end = s + n; (p = memchr(p, '\r', (size_t)(end - p))) != NULL;)
		*p++ = ' ';
}

/* The text of one element boundary (start or end tag of el, an entry of
 * allowed[] or NULL) in plain text. */
static const char *plain_break(const element *el, int start)
{
	if (!el)
		return NULL;
	if (el->flags & EL_BLOCK)
		return "\n\n";
	if (el->flags & EL_LINE)
		return start || (el->flags & EL_VOID) ? "\n" : NULL;
	if (el->flags & EL_CELL)
		return " ";
	return NULL;
}

void mie_html_to_plain(mie_buf *out, const char *s, size_t n)
{
	mie_buf raw = MIE_BUF_INIT;
	hider h = {NULL};
	long removed = 0, pre = 0;
	mie_buf_grow(&raw, n); /* about the size of the text */
	tok t;
	tok_init(&t, s, n);
	for (tok_next(&t); t.kind != TK_EOF; tok_next(&t)) {
		if (hide_step(&h, &t, &removed))
			continue;
		if (t.kind == TK_TEXT) {
			size_t at = raw.len;
			decode_add(&raw, t.text, t.tn);
			if (!pre)
				breaks_to_spaces(raw.data + at, raw.len - at);
		} else {
			if (t.el && (t.el->flags & EL_PRE))
				pre = t.kind == TK_START ? pre + 1 : (pre ? pre - 1 : 0);
			const char *b = plain_break(t.el, t.kind == TK_START);
			if (b)
				mie_buf_adds(&raw, b);
		}
	}
	tidy(out, raw.data, raw.len);
	mie_buf_release(&raw);
}

/* The character of "&amp;", "&lt;" or "&gt;" at s (before end) in *c and
 * the length of the reference, or 0. */
static size_t safe_entity(const char *s, const char *end, char *c)
{
	size_t k = (size_t)(end - s);
	if (k >= 5 && memcmp(s, "&amp;", 5) == 0)
		return *c = '&', 5;
	if (k >= 4 && (memcmp(s, "&lt;", 4) == 0 || memcmp(s, "&gt;", 4) == 0))
		return *c = s[1] == 'l' ? '<' : '>', 4;
	return 0;
}

/* The shape of the sanitizer's output, which mie_html_safe_to_plain relies
 * on: every '<' starts a tag of allowed[], "<name" then attributes
 * ' name="value"' (values escaped: no '"', no '>') then ">" or " />", or
 * an end tag "</name>"; text holds no '<', no entity but &amp; &lt; &gt;,
 * no control but TAB, LF, CR; nothing is hidden.  So a tag runs to the
 * first '>' and needs no attribute parsing, and the text is decoded and
 * tidied in one pass, with no copy in between.  Input of another shape
 * (or text ending in the 0xC2 of a U+00A0 cut by a tag) goes to
 * mie_html_to_plain. */
void mie_html_safe_to_plain(mie_buf *out, const char *s, size_t n)
{
	tidier t = {out, out->len, 0, 0};
	long pre = 0;
	mie_buf_grow(out, n); /* the result is never longer */
	const char *p = s, *end = s + n;
	while (p < end) {
		if (*p != '<') { /* text: decoded and tidied on the way */
			const char *lt = memchr(p, '<', (size_t)(end - p));
			const char *te = lt ? lt : end;
			if ((unsigned char)te[-1] == 0xC2)
				goto other; /* the U+00A0 of text around a tag */
			for (;;) {
				const char *amp = memchr(p, '&', (size_t)(te - p));
				tidy_add(&t, p, (size_t)((amp ? amp : te) - p), pre != 0);
				if (!amp)
					break;
				char c;
				size_t k = safe_entity(amp, te, &c);
				if (!k)
					goto other;
				tidy_add(&t, &c, 1, 0);
				p = amp + k;
			}
			p = te;
			continue;
		}
		int closing = end - p >= 2 && p[1] == '/';
		const char *nm = p + 1 + closing, *q = nm;
		while (q < end && ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9')))
			q++;
		const element *el = q > nm && q - nm < 16 ? tag_lookup(nm, (size_t)(q - nm)) : NULL;
		const char *gt = q < end && (*q == ' ' || *q == '/' || *q == '>')
		                         ? memchr(q, '>', (size_t)(end - q))
		                         : NULL;
		if (!is_allowed(el) || !gt)
			goto other;
		if (el->flags & EL_PRE)
			pre = !closing ? pre + 1 : (pre ? pre - 1 : 0);
		const char *b = plain_break(el, !closing);
		if (b && b[0] == ' ')
			t.spaces = 1;
		else if (b)
			t.newlines += b[1] ? 2 : 1;
		p = gt + 1;
	}
	return;
other: /* not of the shape described above */
	mie_buf_setlen(out, t.start);
	mie_html_to_plain(out, s, n);
}

/* ---- walking safe HTML ---- */

void mie_html_walk(const char *s, size_t n, mie_html_visit_fn fn, void *arg)
{
	tok t;
	tok_init(&t, s, n);
	mie_buf text = MIE_BUF_INIT;
	for (tok_next(&t); t.kind != TK_EOF; tok_next(&t)) {
		mie_html_token v = {0, NULL, NULL, 0, 0, &t};
		if (t.kind == TK_TEXT) {
			decode(&text, t.text, t.tn);
			v.kind = MIE_HTML_TEXT;
			v.text = text.data ? text.data : "";
			v.n = text.len;
		} else {
			v.kind = t.kind == TK_START ? MIE_HTML_START : MIE_HTML_END;
			v.name = t.name;
			v.is_void = t.self_closing || (t.el && (t.el->flags & EL_VOID));
		}
		fn(arg, &v);
	}
	mie_buf_release(&text);
}

int mie_html_attr(const mie_html_token *v, const char *name, mie_buf *out)
{
	const tok *t = v->priv;
	if (v->kind != MIE_HTML_START)
		return 0;
	size_t k = strlen(name);
	attr a;
	const char *p = t->attrs;
	for (int i = 0; tok_attr(t, i, &p, &a); i++)
		if (a.nn == k && strncasecmp(a.name, name, k) == 0) {
			decode(out, a.value, a.vn);
			if (!out->data)
				mie_buf_adds(out, "");
			return 1;
		}
	return 0;
}
