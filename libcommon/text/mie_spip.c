/* mie_spip.c — SPIP markup renderer: the passes (see mie_spip.h).
 *
 * Order, as in SPIP's propre(): line ends normalised; <code>, <cadre>,
 * <html> blocks set aside as placeholders; <multi> resolved; footnotes
 * taken out; <quote> and <poesie> turned into block pieces; then blocks
 * (mie_spip_block.c) with inline shortcuts in each (mie_spip_inline.c);
 * placeholders put back; the whole sanitized; plain text taken from the
 * safe HTML; typography (mie_spip_typo.c) last, on the HTML only.
 *
 * Every search below is linear: a failed search for a closing tag is
 * remembered, so a million openers without closers cost one scan. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text/mie_html.h"
#include "text/mie_spip_impl.h"

void mie_spip_out_init(mie_spip_out *o)
{
	mie_buf_init(&o->html);
	mie_buf_init(&o->plain);
	mie_buf_init(&o->notes_html);
	mie_buf_init(&o->notes_plain);
	o->links = json_array();
	o->documents = json_array();
	o->langs = json_array();
	o->removed = o->flattened = o->notes = 0;
}

void mie_spip_out_release(mie_spip_out *o)
{
	mie_buf_release(&o->html);
	mie_buf_release(&o->plain);
	mie_buf_release(&o->notes_html);
	mie_buf_release(&o->notes_plain);
	json_decref(o->links);
	json_decref(o->documents);
	json_decref(o->langs);
	o->links = o->documents = o->langs = NULL;
}

void spip_add_unique(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		if (strcmp(json_string_value(v), s) == 0)
			return;
	}
	json_array_append_new(arr, json_string(s));
}

int spip_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

void spip_save(spip_render *r, mie_buf *out, char *html, int block)
{
	if ((r->nsaved & (r->nsaved - 1)) == 0) /* 0, 1, 2, 4…: doubling */
		r->saved =
		        mie_xrealloc(r->saved, (r->nsaved ? 2 * r->nsaved : 1) * sizeof *r->saved);
	r->saved[r->nsaved].html = html;
	r->saved[r->nsaved].block = block;
	mie_buf_addc(out, '\x02');
	mie_buf_add_uint(out, r->nsaved++);
	mie_buf_addc(out, '\x03');
}

static void save_str(spip_render *r, mie_buf *out, const char *html, int block)
{
	spip_save(r, out, mie_xstrdup(html), block);
}

long spip_block_piece(const spip_render *r, const char *s, size_t n)
{
	while (n && spip_is_space(*s))
		s++, n--;
	while (n && spip_is_space(s[n - 1]))
		n--;
	if (n < 3 || s[0] != '\x02' || s[n - 1] != '\x03')
		return -1;
	char *stop;
	unsigned long k = strtoul(s + 1, &stop, 10);
	if (stop != s + n - 1 || k >= r->nsaved || !r->saved[k].block)
		return -1;
	return (long)k;
}

/* Case-insensitive search for needle (starting with '<') in [p, end). */
static const char *find_ci(const char *p, const char *end, const char *needle)
{
	size_t k = strlen(needle);
	while (p < end) {
		const char *lt = memchr(p, needle[0], (size_t)(end - p));
		if (!lt || (size_t)(end - lt) < k)
			return NULL;
		if (strncasecmp(lt, needle, k) == 0)
			return lt;
		p = lt + 1;
	}
	return NULL;
}

void spip_pairs(const char *s, size_t n, const char *open, const char *close, spip_span_fn inside,
                spip_span_fn outside, void *arg, mie_buf *out)
{
	const char *p = s, *end = s + n;
	size_t on = strlen(open), cn = strlen(close);
	for (;;) {
		const char *o = find_ci(p, end, open);
		const char *c = o ? find_ci(o + on, end, close) : NULL;
		const char *text_end = c ? o : end;
		if (outside)
			outside(arg, p, (size_t)(text_end - p), out);
		else
			mie_buf_add(out, p, (size_t)(text_end - p));
		if (!c)
			return;
		inside(arg, o + on, (size_t)(c - o - on), out);
		p = c + cn;
	}
}

/* A closing tag search with memory: a failed search stays failed, a found
 * closer is reused while it lies ahead. */
typedef struct closer {
	const char *at;
	int none;
} closer;

static const char *find_closer(closer *c, const char *p, const char *end, const char *needle)
{
	if (c->none)
		return NULL;
	if (c->at && c->at >= p)
		return c->at;
	c->at = find_ci(p, end, needle);
	c->none = !c->at;
	return c->at;
}

/* A tag the passes below look for: open…close (close NULL: the tag
 * alone); fn gets the rule's index and the body between them. */
typedef struct tag_rule {
	const char *open, *close;
	void (*fn)(spip_render *r, int rule, const char *body, size_t n, mie_buf *out);
} tag_rule;

/* Copies s[0..n) to out, handing each tag of rules (matched ignoring case)
 * to its fn.  An open tag with no close after it is text.  Linear. */
static void scan_tags(spip_render *r, const tag_rule *rules, int nrules, const char *s, size_t n,
                      mie_buf *out)
{
	closer c[8] = {{0}};
	const char *p = s, *end = s + n, *from = s;
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		if (!lt)
			break;
		p = lt + 1;
		for (int k = 0; k < nrules && k < 8; k++) {
			const tag_rule *t = &rules[k];
			size_t ol = strlen(t->open);
			if ((size_t)(end - lt) < ol || strncasecmp(lt, t->open, ol) != 0)
				continue;
			const char *cl =
			        t->close ? find_closer(&c[k], lt + ol, end, t->close) : lt + ol;
			if (!cl)
				break;
			mie_buf_add(out, from, (size_t)(lt - from));
			t->fn(r, k, lt + ol, (size_t)(cl - lt - ol), out);
			p = from = cl + (t->close ? strlen(t->close) : 0);
			break;
		}
	}
	mie_buf_add(out, from, (size_t)(end - from));
}

/* ---- set-aside blocks ---- */

/* <code>/<cadre> content: HTML-escaped, but numeric references of 3+
 * digits and &amp; kept (what SPIP's escaper restores). */
static void escape_code(mie_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '&') {
			size_t d = 0;
			if (i + 1 < n && s[i + 1] == '#')
				while (i + 2 + d < n && s[i + 2 + d] >= '0' &&
				       s[i + 2 + d] <= '9' && d < 8)
					d++;
			int keep = (d >= 3 && i + 2 + d < n && s[i + 2 + d] == ';') ||
			           (n - i >= 5 && memcmp(s + i, "&amp;", 5) == 0);
			mie_buf_adds(b, keep ? "&" : "&amp;");
		} else if (s[i] == '<') {
			mie_buf_adds(b, "&lt;");
		} else if (s[i] == '>') {
			mie_buf_adds(b, "&gt;");
		} else {
			mie_buf_addc(b, s[i]);
		}
	}
}

enum aside { A_CODE, A_CADRE, A_FRAME, A_HTML, A_INTRO, A_N };

static void aside_piece(spip_render *r, int k, const char *b, size_t n, mie_buf *out);

static const tag_rule asides[A_N] = {
        {"<code>", "</code>", aside_piece},   {"<cadre>", "</cadre>", aside_piece},
        {"<frame>", "</frame>", aside_piece}, {"<html>", "</html>", aside_piece},
        {"<intro>", "</intro>", aside_piece},
};

/* Does raw HTML start with a block element (then it stands as a block,
 * with no paragraph around it)? */
static int starts_block(const char *s, size_t n)
{
	static const char *const blocks[] = {
	        "<div", "<table", "<p",  "<ul",         "<ol",  "<dl", "<h1",     "<h2", "<h3",
	        "<h4",  "<h5",    "<h6", "<blockquote", "<pre", "<hr", "<figure", NULL};
	while (n && spip_is_space(*s))
		s++, n--;
	for (int i = 0; blocks[i]; i++) {
		size_t k = strlen(blocks[i]);
		if (n > k && strncasecmp(s, blocks[i], k) == 0 &&
		    (spip_is_space(s[k]) || s[k] == '>' || s[k] == '/'))
			return 1;
	}
	return 0;
}

/* The HTML of one set-aside block, body b[0..n). */
static void aside_piece(spip_render *r, int k, const char *b, size_t n, mie_buf *out)
{
	if (k == A_HTML || k == A_INTRO) {
		if (k == A_HTML)
			spip_save(r, out, mie_xstrndup(b, n), starts_block(b, n));
		else
			mie_buf_add(out, b, n); /* <intro> only marks text */
		return;
	}
	while (n && (*b == '\n'))
		b++, n--;
	while (n && b[n - 1] == '\n')
		n--;
	int multi = memchr(b, '\n', n) != NULL;
	mie_buf h = MIE_BUF_INIT;
	if (k == A_CODE)
		mie_buf_adds(&h, multi ? "<pre class=\"spip_code\"><code>"
		                       : "<code class=\"spip_code\">");
	else
		mie_buf_adds(&h, "<pre class=\"spip_cadre\">");
	escape_code(&h, b, n);
	mie_buf_adds(&h, k == A_CODE ? (multi ? "</code></pre>" : "</code>") : "</pre>");
	spip_save(r, out, mie_buf_detach(&h, NULL), k != A_CODE || multi);
}

/* ---- <multi> ---- */

/* Length of a language marker "[xx]" at p (0 when none). */
static size_t lang_marker(const char *p, const char *end)
{
	size_t k = 0;
	if (p >= end || *p != '[')
		return 0;
	while (p + 1 + k < end && k <= 10 &&
	       ((p[1 + k] >= 'a' && p[1 + k] <= 'z') || p[1 + k] == '_'))
		k++;
	return k >= 2 && k <= 10 && p + 1 + k < end && p[1 + k] == ']' ? k + 2 : 0;
}

static int blank(const char *s, const char *e)
{
	while (s < e && spip_is_space(*s))
		s++;
	return s == e;
}

/* How well a variant in language lang[0..ln) suits want: 2 same code,
 * 1 same xx of xx_yy, 0 not. */
static int lang_score(const char *lang, size_t ln, const char *want)
{
	if (!lang || !want)
		return 0;
	size_t wn = strcspn(want, "_-"), bn = strcspn(lang, "_-]");
	if (ln == strlen(want) && strncmp(lang, want, ln) == 0)
		return 2;
	return bn == wn && strncmp(lang, want, wn) == 0;
}

/* Appends the variant of a <multi> body s..end for the wanted language:
 * exact code, else the xx of an xx_yy code, else the first variant (the
 * text before the first marker counts when not blank). */
static void pick_variant(spip_render *r, const char *s, const char *end, mie_buf *out)
{
	const char *best = NULL, *best_end = NULL, *first = NULL, *first_end = NULL;
	const char *cur = s, *lang = NULL;
	size_t ln = 0;
	int best_score = 0;
	for (const char *p = s;; p++) {
		size_t m = p < end ? lang_marker(p, end) : 0;
		if (p < end && !m)
			continue;
		/* the variant cur..p, in lang (NULL: the default text) */
		if (!first && (lang || !blank(cur, p)))
			first = cur, first_end = p;
		int score = lang_score(lang, ln, r->ctx->lang);
		if (score > best_score)
			best = cur, best_end = p, best_score = score;
		if (p >= end)
			break;
		char code[12];
		memcpy(code, p + 1, m - 2);
		code[m - 2] = '\0';
		spip_add_unique(r->o->langs, code);
		lang = p + 1, ln = m - 2;
		cur = p + m;
		p = cur - 1;
	}
	if (!best)
		best = first, best_end = first_end;
	if (best)
		mie_buf_add(out, best, (size_t)(best_end - best));
}

static void multi_body(void *r, const char *s, size_t n, mie_buf *out)
{
	pick_variant(r, s, s + n, out);
}

/* ---- footnotes ---- */

/* A note's "<label>" at s (returns its length, label in *lb and *ln), or 0. */
static size_t note_label(const char *s, const char *end, const char **lb, size_t *ln)
{
	if (s >= end || *s != '<')
		return 0;
	const char *gt = s + 1;
	while (gt < end && gt - s <= 20 && *gt != '>' && !spip_is_space(*gt) && *gt != '<')
		gt++;
	if (gt >= end || *gt != '>')
		return 0;
	*lb = s + 1;
	*ln = (size_t)(gt - s - 1);
	return (size_t)(gt - s) + 1;
}

/* "[<a href="#<to>L" class="spip_note" id="<self>L">L</a>]" for label L
 * (up to a NUL, as "%s" would). */
static void note_anchor(mie_buf *b, const char *to, const char *self, const char *label)
{
	mie_buf_adds(b, "[<a href=\"#");
	mie_buf_adds(b, to);
	mie_buf_adds(b, label);
	mie_buf_adds(b, "\" class=\"spip_note\" id=\"");
	mie_buf_adds(b, self);
	mie_buf_adds(b, label);
	mie_buf_adds(b, "\">");
	mie_buf_adds(b, label);
	mie_buf_adds(b, "</a>]");
}

static void note(spip_render *r, const char *s, const char *end, mie_buf *out)
{
	const char *lb = NULL;
	size_t ln = 0, used = note_label(s, end, &lb, &ln);
	mie_buf label = MIE_BUF_INIT;
	if (used) {
		mie_html_escape(&label, lb, ln, 1);
		s += used;
	} else {
		if (++r->nnotes >= 0)
			mie_buf_add_uint(&label, (size_t)r->nnotes); /* no printf per note */
		else
			mie_buf_addf(&label, "%d", r->nnotes);
		r->o->notes++;
	}
	while (s < end && spip_is_space(*s))
		s++;
	while (out->len && (out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '\t'))
		mie_buf_setlen(out, out->len - 1); /* the call sticks to its word */
	if (label.len) {
		mie_buf call = MIE_BUF_INIT;
		mie_buf_adds(&call, "\xC2\xA0");
		note_anchor(&call, "nb", "nh", label.data);
		spip_save(r, out, mie_buf_detach(&call, NULL), 0);
		mie_buf_adds(&r->notes, "<p class=\"spip_note\">");
		note_anchor(&r->notes, "nh", "nb", label.data);
		mie_buf_addc(&r->notes, ' ');
	} else {
		mie_buf_adds(&r->notes, "<p class=\"spip_note\">");
	}
	spip_inline(r, s, (size_t)(end - s), &r->notes, 0);
	mie_buf_adds(&r->notes, "</p>\n");
	mie_buf_release(&label);
}

static void note_body(void *r, const char *s, size_t n, mie_buf *out)
{
	note(r, s, s + n, out);
}

/* ---- <quote>, <poesie> ---- */

static void poem(spip_render *r, const char *s, const char *end, mie_buf *out)
{
	mie_buf h = MIE_BUF_INIT;
	while (s < end && *s == '\n')
		s++;
	while (end > s && end[-1] == '\n')
		end--;
	mie_buf_adds(&h, "<blockquote class=\"spip_poesie\">");
	for (const char *p = s; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		mie_buf_adds(&h, "<div>");
		if (e == p)
			mie_buf_adds(&h, "\xC2\xA0");
		spip_inline(r, p, (size_t)(e - p), &h, 0);
		mie_buf_adds(&h, "</div>");
		p = nl ? nl + 1 : end;
	}
	mie_buf_adds(&h, "</blockquote>");
	mie_buf_adds(out, "\n\n");
	spip_save(r, out, mie_buf_detach(&h, NULL), 1);
	mie_buf_adds(out, "\n\n");
}

/* <quote> and </quote>: block pieces standing between blank lines. */
static void quote_mark(spip_render *r, int k, const char *b, size_t n, mie_buf *out)
{
	mie_buf_adds(out, "\n\n");
	save_str(r, out, k == 0 ? "<blockquote class=\"spip\">" : "</blockquote>", 1);
	mie_buf_adds(out, "\n\n");
}

static void poem_rule(spip_render *r, int k, const char *b, size_t n, mie_buf *out)
{
	poem(r, b, b + n, out);
}

static const tag_rule quote_rules[] = {
        {"<quote>", NULL, quote_mark},
        {"</quote>", NULL, quote_mark},
        {"<poesie>", "</poesie>", poem_rule},
        {"<poetry>", "</poetry>", poem_rule},
};

/* ---- finishing ---- */

/* Puts the set-aside pieces back in place of their placeholders. */
static void restore(spip_render *r, const char *s, size_t n, mie_buf *out)
{
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *m = memchr(p, '\x02', (size_t)(end - p));
		if (!m) {
			mie_buf_add(out, p, (size_t)(end - p));
			return;
		}
		mie_buf_add(out, p, (size_t)(m - p));
		char *stop;
		unsigned long k = strtoul(m + 1, &stop, 10);
		if (stop < end && *stop == '\x03' && k < r->nsaved) {
			mie_buf_adds(out, r->saved[k].html);
			p = stop + 1;
		} else {
			p = m + 1;
		}
	}
}

/* raw (with placeholders) → sanitized html (+ typography) and plain. */
static void finish(spip_render *r, const mie_buf *raw, mie_buf *html, mie_buf *plain)
{
	mie_buf full = MIE_BUF_INIT, safe = MIE_BUF_INIT;
	mie_buf_grow(&full, raw->len); /* sizes: at least about the input's */
	restore(r, raw->data, raw->len, &full);
	mie_buf_grow(&safe, full.len);
	mie_html_report rep = {0, 0};
	mie_html_sanitize_report(&safe, full.data, full.len, &rep);
	r->o->removed += (int)rep.removed;
	r->o->flattened += (int)rep.flattened;
	size_t n = safe.len;
	while (n && safe.data[n - 1] == '\n')
		n--;
	mie_html_safe_to_plain(plain, safe.data, n);
	const char *typo = r->ctx->lang ? r->ctx->lang : "fr";
	spip_typo(typo, safe.data, n, html);
	mie_buf_release(&safe);
	mie_buf_release(&full);
}

/* What normalise changes: CR, \x02, \x03 (most text has none of them,
 * or only the CR of CRLF). */
static const unsigned char marks[256] = {['\r'] = 1, ['\x02'] = 1, ['\x03'] = 1};

#define MARKS_SET MIE_SCAN_SET('\r', '\x02', '\x03', 0, 0, 0, 0, 0) /* for mie_scan */

/* Line ends to LF; \x02 and \x03 (placeholder marks) dropped.  Copied
 * in runs: most text has none of the three. */
static void normalise(const char *src, size_t n, mie_buf *out)
{
	mie_buf_grow(out, n);
	size_t from = 0;
	for (size_t i = 0; (i = mie_scan(src, i, n, marks, 1, MARKS_SET, 3, 0)) < n; from = ++i) {
		mie_buf_add(out, src + from, i - from);
		/* a CR alone becomes LF; the LF of CRLF starts the next run */
		if (src[i] == '\r' && !(i + 1 < n && src[i + 1] == '\n'))
			mie_buf_addc(out, '\n');
	}
	mie_buf_add(out, src + from, n - from);
}

void mie_spip_render(const mie_spip_ctx *ctx, const char *src, size_t n, mie_spip_out *o)
{
	spip_render r = {ctx, o, NULL, 0, o->notes, MIE_BUF_INIT};
	mie_buf a = MIE_BUF_INIT, b = MIE_BUF_INIT;
	normalise(src, n, &a);
	mie_buf_grow(&b, a.len); /* each pass writes about what it reads */
	scan_tags(&r, asides, A_N, a.data, a.len, &b);
	mie_buf_reset(&a);
	spip_pairs(b.data, b.len, "<multi>", "</multi>", multi_body, NULL, &r, &a);
	mie_buf_reset(&b);
	if (ctx->one_line) {
		for (size_t i = 0; i < a.len; i++)
			if (a.data[i] == '\n' || a.data[i] == '\t')
				a.data[i] = ' ';
		spip_inline(&r, a.data, a.len, &b, 0);
	} else {
		spip_pairs(a.data, a.len, "[[", "]]", note_body, NULL, &r, &b);
		mie_buf_reset(&a);
		scan_tags(&r, quote_rules, 4, b.data, b.len, &a);
		mie_buf_reset(&b);
		spip_blocks(&r, a.data, a.len, &b);
	}
	finish(&r, &b, &o->html, &o->plain);
	if (r.notes.len)
		finish(&r, &r.notes, &o->notes_html, &o->notes_plain);
	for (size_t i = 0; i < r.nsaved; i++)
		free(r.saved[i].html);
	free(r.saved);
	mie_buf_release(&r.notes);
	mie_buf_release(&a);
	mie_buf_release(&b);
}
