/* mie_spip.c — SPIP markup renderer (see mie_spip.h).
 *
 * Order, as in SPIP: line ends normalised; <multi> resolved; <code>,
 * <cadre> and <html> blocks set aside (placeholders \x02N\x03: control
 * characters cannot occur in record text); footnotes taken out; then blocks
 * (paragraphs, intertitles, lists, tables, rules) with inline shortcuts in
 * each; placeholders put back; the whole passed through the sanitizer; plain
 * text derived from the safe HTML. */
#include <stdlib.h>
#include <string.h>

#include "mie_html.h"
#include "mie_spip.h"

#define MAX_LINK 2000 /* a '[' whose ']' is farther is plain text */

typedef struct render {
	const mie_spip_ctx *ctx;
	mie_spip_out *o;
	char **saved; /* owned: HTML of set-aside pieces */
	size_t nsaved;
	int nnotes;
	mie_buf notes;
} render;

void mie_spip_out_init(mie_spip_out *o)
{
	mie_buf_init(&o->html);
	mie_buf_init(&o->plain);
	mie_buf_init(&o->notes_html);
	mie_buf_init(&o->notes_plain);
	o->links = json_array();
	o->documents = json_array();
	o->langs = json_array();
	o->removed = 0;
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

static void add_unique(json_t *arr, const char *s)
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

static const struct {
	const char *word, *type, *url;
} objects[] = {
        {"art", "article", "article"},
        {"article", "article", "article"},
        {"rub", "section", "rubrique"},
        {"rubrique", "section", "rubrique"},
        {"br", "brief", "breve"},
        {"breve", "brief", "breve"},
        {"brève", "brief", "breve"},
        {"doc", "document", "document"},
        {"document", "document", "document"},
        {"img", "document", "document"},
        {"emb", "document", "document"},
        {"aut", "author", "auteur"},
        {"auteur", "author", "auteur"},
        {"mot", "keyword", "mot"},
        {"site", "site", "site"},
        {"sit", "site", "site"},
        {"", "article", "article"},
};

static int object_index(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof objects / sizeof *objects; i++)
		if (strlen(objects[i].word) == n && strncmp(objects[i].word, w, n) == 0)
			return (int)i;
	return -1;
}

const char *mie_spip_object_type(const char *word, size_t n)
{
	int i = object_index(word, n);
	return i < 0 ? NULL : objects[i].type;
}

/* Sets aside a piece of ready HTML; appends its placeholder to out. */
static void save(render *r, mie_buf *out, char *html)
{
	r->saved = mie_xrealloc(r->saved, (r->nsaved + 1) * sizeof *r->saved);
	r->saved[r->nsaved] = html;
	mie_buf_addf(out, "\x02%zu\x03", r->nsaved++);
}

static void escape_text(mie_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '<')
			mie_buf_adds(b, "&lt;");
		else if (s[i] == '>')
			mie_buf_adds(b, "&gt;");
		else if (s[i] == '&')
			mie_buf_adds(b, "&amp;");
		else
			mie_buf_addc(b, s[i]);
	}
}

static const char *find(const char *s, const char *end, const char *needle)
{
	size_t k = strlen(needle);
	if ((size_t)(end - s) < k)
		return NULL;
	return memmem(s, (size_t)(end - s), needle, k);
}

/* ---- <multi> ---- */

/* Appends to out the variant of a <multi> body for the wanted language. */
static void pick_variant(render *r, const char *s, const char *end, mie_buf *out)
{
	const char *first = NULL, *first_end = NULL, *chosen = NULL, *chosen_end = NULL;
	const char *p = s, *cur = s, *cur_lang = NULL;
	size_t cur_lang_n = 0;
	for (;; p++) {
		int at_marker = 0;
		size_t k = 0;
		if (p < end && *p == '[') {
			while (p + 1 + k < end && ((p[1 + k] >= 'a' && p[1 + k] <= 'z') ||
			                           p[1 + k] == '_' || p[1 + k] == '-'))
				k++;
			at_marker = k >= 2 && k <= 10 && p + 1 + k < end && p[1 + k] == ']';
		}
		if (p >= end || at_marker) {
			if (p > cur || cur_lang) {
				if (!first && (cur_lang || p > cur))
					first = cur, first_end = p;
				if (cur_lang && r->ctx->lang &&
				    strlen(r->ctx->lang) == cur_lang_n &&
				    strncmp(cur_lang, r->ctx->lang, cur_lang_n) == 0)
					chosen = cur, chosen_end = p;
			}
			if (p >= end)
				break;
			char lang[12];
			memcpy(lang, p + 1, k);
			lang[k] = '\0';
			add_unique(r->o->langs, lang);
			cur_lang = p + 1;
			cur_lang_n = k;
			cur = p + 2 + k;
			p = cur - 1;
		}
	}
	if (!chosen)
		chosen = first, chosen_end = first_end;
	if (chosen)
		mie_buf_add(out, chosen, (size_t)(chosen_end - chosen));
}

static void resolve_multi(render *r, const char *s, size_t n, mie_buf *out)
{
	const char *p = s, *end = s + n;
	for (;;) {
		const char *open = find(p, end, "<multi>");
		const char *close = open ? find(open + 7, end, "</multi>") : NULL;
		if (!close) {
			mie_buf_add(out, p, (size_t)(end - p));
			return;
		}
		mie_buf_add(out, p, (size_t)(open - p));
		pick_variant(r, open + 7, close, out);
		p = close + 8;
	}
}

/* <quote>, <poesie> and <poetry> become blockquotes (raw HTML, then
 * sanitised like any other). */
static void quotes(const char *s, size_t n, mie_buf *out)
{
	static const char *const from[] = {"<quote>",  "</quote>",  "<poesie>", "</poesie>",
	                                   "<poetry>", "</poetry>", NULL};
	static const char *const to[] = {"<blockquote class=\"spip\">",        "</blockquote>",
	                                 "<blockquote class=\"spip_poesie\">", "</blockquote>",
	                                 "<blockquote class=\"spip_poesie\">", "</blockquote>"};
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		if (!lt) {
			mie_buf_add(out, p, (size_t)(end - p));
			return;
		}
		mie_buf_add(out, p, (size_t)(lt - p));
		int k;
		for (k = 0; from[k]; k++)
			if ((size_t)(end - lt) >= strlen(from[k]) &&
			    strncmp(lt, from[k], strlen(from[k])) == 0)
				break;
		if (from[k]) {
			mie_buf_adds(out, to[k]);
			p = lt + strlen(from[k]);
		} else {
			mie_buf_addc(out, '<');
			p = lt + 1;
		}
	}
}

/* ---- set-aside blocks and notes ---- */

static void set_aside(render *r, const char *s, size_t n, mie_buf *out)
{
	static const struct {
		const char *open, *close, *before, *after;
		int escape;
	} kinds[] = {
	        {"<code>", "</code>", "<code class=\"spip_code\">", "</code>", 1},
	        {"<cadre>", "</cadre>", "<pre class=\"spip_cadre\">", "</pre>", 1},
	        {"<frame>", "</frame>", "<pre class=\"spip_cadre\">", "</pre>", 1},
	        {"<html>", "</html>", "", "", 0},
	};
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *best = NULL;
		size_t bk = 0;
		for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
			const char *o = find(p, end, kinds[k].open);
			if (o && (!best || o < best))
				best = o, bk = k;
		}
		const char *close = best ? find(best, end, kinds[bk].close) : NULL;
		if (!close) {
			mie_buf_add(out, p, (size_t)(end - p));
			return;
		}
		mie_buf_add(out, p, (size_t)(best - p));
		const char *body = best + strlen(kinds[bk].open);
		mie_buf piece = MIE_BUF_INIT;
		mie_buf_adds(&piece, kinds[bk].before);
		if (kinds[bk].escape)
			escape_text(&piece, body, (size_t)(close - body));
		else
			mie_buf_add(&piece, body, (size_t)(close - body));
		mie_buf_adds(&piece, kinds[bk].after);
		save(r, out, mie_buf_detach(&piece, NULL));
		p = close + strlen(kinds[bk].close);
	}
}

static void inline_render(render *r, const char *s, size_t n, mie_buf *out, int in_link);

static void take_notes(render *r, const char *s, size_t n, mie_buf *out)
{
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *open = find(p, end, "[[");
		const char *close = open ? find(open + 2, end, "]]") : NULL;
		if (!close || r->ctx->one_line) {
			mie_buf_add(out, p, (size_t)(end - p));
			return;
		}
		mie_buf_add(out, p, (size_t)(open - p));
		int k = ++r->nnotes;
		mie_buf ref = MIE_BUF_INIT;
		mie_buf_addf(&ref,
		             "<span class=\"spip_note_ref\">&#160;[<a href=\"#nb%d\" "
		             "class=\"spip_note\" id=\"nh%d\">%d</a>]</span>",
		             k, k, k);
		save(r, out, mie_buf_detach(&ref, NULL));
		mie_buf_addf(&r->notes,
		             "<p><span class=\"spip_note_ref\">[<a href=\"#nh%d\" "
		             "class=\"spip_note\" id=\"nb%d\">%d</a>]</span> ",
		             k, k, k);
		inline_render(r, open + 2, (size_t)(close - open - 2), &r->notes, 0);
		mie_buf_adds(&r->notes, "</p>\n");
		p = close + 2;
	}
}

/* ---- inline shortcuts ---- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* [text->target]: resolves target and writes the link. */
static void put_link(render *r, const char *text, size_t tn, const char *t, size_t n, mie_buf *out)
{
	while (n && is_space(*t))
		t++, n--;
	while (n && is_space(t[n - 1]))
		n--;
	size_t w = 0;
	while (w < n && ((t[w] >= 'a' && t[w] <= 'z') || (unsigned char)t[w] >= 0x80))
		w++;
	size_t d = w;
	while (d < n && t[d] == ' ')
		d++;
	size_t digits = 0;
	while (d + digits < n && t[d + digits] >= '0' && t[d + digits] <= '9')
		digits++;
	int obj = digits && d + digits == n && digits < 12 ? object_index(t, w) : -1;
	mie_buf href = MIE_BUF_INIT, label = MIE_BUF_INIT;
	if (obj >= 0) {
		char num[16];
		memcpy(num, t + d, digits);
		num[digits] = '\0';
		mie_buf id = MIE_BUF_INIT;
		mie_buf_addf(&id, "%s:%s:%s", r->ctx->site_host ? r->ctx->site_host : "local",
		             objects[obj].type, num);
		add_unique(r->o->links, id.data);
		mie_buf_addf(&href, "%sspip.php?%s%s", r->ctx->site_url ? r->ctx->site_url : "",
		             objects[obj].url, num);
		mie_buf_addf(out, "<a href=\"%s\" class=\"spip_in\" data-mie-id=\"%s\">", href.data,
		             id.data);
		mie_buf_release(&id);
		if (!tn)
			mie_buf_addf(&label, "%s%s", objects[obj].url, num);
	} else {
		mie_buf_adds(out, "<a href=\"");
		escape_text(out, t, n);
		mie_buf_adds(out, "\" class=\"spip_out\">");
		if (!tn)
			escape_text(&label, t, n);
	}
	if (tn)
		inline_render(r, text, tn, out, 1);
	else
		mie_buf_add(out, label.data, label.len);
	mie_buf_adds(out, "</a>");
	mie_buf_release(&href);
	mie_buf_release(&label);
}

/* At s[0] == '[': a link, anchor or glossary entry?  Returns bytes used, or
 * 0 when it is plain text. */
static size_t bracket(render *r, const char *s, const char *end, mie_buf *out, int in_link)
{
	const char *close = NULL;
	for (const char *p = s + 1; p < end && p - s < MAX_LINK; p++) {
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
	const char *arrow = find(body, close, "->");
	if (arrow) {
		put_link(r, body, (size_t)(arrow - body), arrow + 2, (size_t)(close - arrow - 2),
		         out);
	} else if (n >= 2 && memcmp(close - 2, "<-", 2) == 0) {
		mie_buf_adds(out, "<a id=\"");
		escape_text(out, body, n - 2);
		mie_buf_adds(out, "\"></a>");
	} else if (n && body[0] == '?') {
		mie_buf_adds(out, "<span class=\"spip_glossaire\">");
		inline_render(r, body + 1, n - 1, out, 1);
		mie_buf_adds(out, "</span>");
	} else {
		return 0;
	}
	return (size_t)(close - s) + 1;
}

/* <docN|align>, <imgN>, <embN>: returns bytes used, or 0. */
static size_t model(render *r, const char *s, const char *end, mie_buf *out)
{
	static const char *const names[] = {"doc", "img", "emb"};
	for (int k = 0; k < 3; k++) {
		if (end - s < 5 || strncmp(s + 1, names[k], 3) != 0)
			continue;
		const char *p = s + 4, *num = p;
		while (p < end && *p >= '0' && *p <= '9' && p - num < 12)
			p++;
		if (p == num)
			return 0;
		const char *align = p;
		if (p < end && *p == '|')
			while (p < end && p - align < 20 && ((*p >= 'a' && *p <= 'z') || *p == '|'))
				p++;
		if (p >= end || *p != '>')
			return 0;
		mie_buf id = MIE_BUF_INIT;
		mie_buf_addf(&id, "%s:document:%.*s",
		             r->ctx->site_host ? r->ctx->site_host : "local", (int)(align - num),
		             num);
		add_unique(r->o->documents, id.data);
		mie_buf_addf(
		        out,
		        "<span class=\"spip_document spip_%s\" data-mie-id=\"%s\">[%s%.*s]</span>",
		        names[k], id.data, "document ", (int)(align - num), num);
		mie_buf_release(&id);
		return (size_t)(p - s) + 1;
	}
	return 0;
}

static void inline_render(render *r, const char *s, size_t n, mie_buf *out, int in_link)
{
	const char *p = s, *end = s + n;
	int bold = 0, italic = 0, inter = 0;
	while (p < end) {
		size_t used;
		if (*p == '{' && end - p >= 3 && p[1] == '{' && p[2] == '{' && !r->ctx->one_line) {
			mie_buf_adds(out, inter ? "</h3>" : "<h3 class=\"spip\">");
			inter = !inter;
			p += 3;
		} else if (*p == '}' && end - p >= 3 && p[1] == '}' && p[2] == '}' && inter) {
			mie_buf_adds(out, "</h3>");
			inter = 0;
			p += 3;
		} else if (*p == '{' && end - p >= 2 && p[1] == '{') {
			mie_buf_adds(out, bold ? "</strong>" : "<strong class=\"spip\">");
			bold = !bold;
			p += 2;
		} else if (*p == '}' && end - p >= 2 && p[1] == '}' && bold) {
			mie_buf_adds(out, "</strong>");
			bold = 0;
			p += 2;
		} else if (*p == '{') {
			mie_buf_adds(out, italic ? "</i>" : "<i class=\"spip\">");
			italic = !italic;
			p++;
		} else if (*p == '}' && italic) {
			mie_buf_adds(out, "</i>");
			italic = 0;
			p++;
		} else if (*p == '[' && (used = bracket(r, p, end, out, in_link)) > 0) {
			p += used;
		} else if (*p == '<' && (used = model(r, p, end, out)) > 0) {
			p += used;
		} else if (*p == '~') {
			mie_buf_adds(out, "&#160;");
			p++;
		} else {
			mie_buf_addc(out, *p++);
		}
	}
	if (italic)
		mie_buf_adds(out, "</i>");
	if (bold)
		mie_buf_adds(out, "</strong>");
	if (inter)
		mie_buf_adds(out, "</h3>");
}

/* ---- blocks ---- */

typedef struct line {
	const char *s;
	size_t n;
} line;

/* Splits [s, end) into lines (without LF). Returns the count; *out owned. */
static size_t split_lines(const char *s, const char *end, line **out)
{
	size_t cap = 16, k = 0;
	line *v = mie_xmalloc(cap * sizeof *v);
	while (s <= end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		if (k == cap)
			v = mie_xrealloc(v, (cap *= 2) * sizeof *v);
		v[k].s = s;
		v[k++].n = (size_t)(e - s);
		if (!nl)
			break;
		s = nl + 1;
	}
	*out = v;
	return k;
}

static int starts(const line *l, const char *prefix)
{
	size_t k = strlen(prefix);
	return l->n >= k && memcmp(l->s, prefix, k) == 0;
}

static void list_block(render *r, line *v, size_t k, mie_buf *out)
{
	char stack[8]; /* '*' or '#' per open level */
	int depth = 0;
	for (size_t i = 0; i < k; i++) {
		if (v[i].n < 2 || v[i].s[0] != '-' || (v[i].s[1] != '*' && v[i].s[1] != '#')) {
			mie_buf_addc(out, ' '); /* continuation of the item */
			inline_render(r, v[i].s, v[i].n, out, 0);
			continue;
		}
		int level = 0;
		char kind = v[i].s[1];
		while ((size_t)level + 1 < v[i].n && v[i].s[1 + level] == kind && level < 8)
			level++;
		while (depth > level) {
			mie_buf_adds(out, stack[--depth] == '#' ? "</li></ol>" : "</li></ul>");
		}
		if (depth == level && depth)
			mie_buf_adds(out, "</li>");
		while (depth < level) {
			stack[depth++] = kind;
			mie_buf_adds(out,
			             kind == '#' ? "<ol class=\"spip\">" : "<ul class=\"spip\">");
		}
		mie_buf_adds(out, "<li>");
		const char *t = v[i].s + 1 + level, *e = v[i].s + v[i].n;
		while (t < e && is_space(*t))
			t++;
		inline_render(r, t, (size_t)(e - t), out, 0);
	}
	while (depth > 0)
		mie_buf_adds(out, stack[--depth] == '#' ? "</li></ol>" : "</li></ul>");
	mie_buf_addc(out, '\n');
}

static int header_cell(const char *s, size_t n)
{
	while (n && is_space(*s))
		s++, n--;
	while (n && is_space(s[n - 1]))
		n--;
	return n >= 4 && memcmp(s, "{{", 2) == 0 && memcmp(s + n - 2, "}}", 2) == 0;
}

static void table_block(render *r, line *v, size_t k, mie_buf *out)
{
	mie_buf_adds(out, "<table class=\"spip\">");
	for (size_t i = 0; i < k; i++) {
		const char *s = v[i].s, *end = s + v[i].n;
		while (end > s && is_space(end[-1]))
			end--;
		if (s < end && *s == '|')
			s++;
		if (end > s && end[-1] == '|')
			end--;
		int head = 1;
		for (const char *c = s; c <= end;) {
			const char *bar = memchr(c, '|', (size_t)(end - c));
			const char *e = bar ? bar : end;
			head &= i == 0 && header_cell(c, (size_t)(e - c));
			if (!bar)
				break;
			c = bar + 1;
		}
		mie_buf_adds(out, "<tr>");
		for (const char *c = s; c <= end;) {
			const char *bar = memchr(c, '|', (size_t)(end - c));
			const char *e = bar ? bar : end, *t = c;
			while (t < e && is_space(*t))
				t++;
			while (e > t && is_space(e[-1]))
				e--;
			mie_buf_adds(out, head ? "<th>" : "<td>");
			inline_render(r, t, (size_t)(e - t), out, 0);
			mie_buf_adds(out, head ? "</th>" : "</td>");
			if (!bar)
				break;
			c = bar + 1;
		}
		mie_buf_adds(out, "</tr>");
	}
	mie_buf_adds(out, "</table>\n");
}

static void paragraph(render *r, line *v, size_t k, mie_buf *out)
{
	mie_buf_adds(out, "<p>");
	for (size_t i = 0; i < k; i++) {
		const char *s = v[i].s;
		size_t n = v[i].n;
		if (n >= 4 && strspn(s, "-") >= 4 && strspn(s, "-") == n) {
			mie_buf_adds(out, "</p><hr class=\"spip\" /><p>");
			continue;
		}
		if (i)
			mie_buf_addc(out, ' ');
		if (n >= 2 && s[0] == '_' && s[1] == ' ') {
			mie_buf_adds(out, "<br />");
			s += 2, n -= 2;
		} else if (n >= 2 && s[0] == '-' && (s[1] == ' ' || s[1] == '\t')) {
			mie_buf_adds(out, "<br />&#8226;&#160;");
			s += 2, n -= 2;
		}
		inline_render(r, s, n, out, 0);
	}
	mie_buf_adds(out, "</p>\n");
}

static void block(render *r, const char *s, const char *end, mie_buf *out)
{
	line *v;
	size_t k = split_lines(s, end, &v);
	if (k && (starts(&v[0], "-*") || starts(&v[0], "-#")))
		list_block(r, v, k, out);
	else if (k && starts(&v[0], "|"))
		table_block(r, v, k, out);
	else
		paragraph(r, v, k, out);
	free(v);
}

static void blocks(render *r, const char *s, size_t n, mie_buf *out)
{
	const char *p = s, *end = s + n;
	while (p < end) {
		while (p < end && (*p == '\n' || *p == ' ' || *p == '\t'))
			p++;
		if (p >= end)
			break;
		const char *e = p;
		for (;;) { /* a block ends at a blank line */
			const char *nl = memchr(e, '\n', (size_t)(end - e));
			if (!nl) {
				e = end;
				break;
			}
			const char *q = nl + 1;
			while (q < end && (*q == ' ' || *q == '\t'))
				q++;
			if (q >= end || *q == '\n') {
				e = nl;
				break;
			}
			e = nl + 1;
		}
		block(r, p, e, out);
		p = e;
	}
}

/* Puts the set-aside pieces back in place of their placeholders. */
static void restore(render *r, const char *s, size_t n, mie_buf *out)
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
			mie_buf_adds(out, r->saved[k]);
			p = stop + 1;
		} else {
			p = m + 1;
		}
	}
}

static void finish(render *r, const mie_buf *raw, mie_buf *html, mie_buf *plain)
{
	mie_buf full = MIE_BUF_INIT;
	restore(r, raw->data, raw->len, &full);
	size_t start = html->len;
	mie_buf safe = MIE_BUF_INIT;
	int removed = mie_html_sanitize_plain(&safe, plain, full.data, full.len);
	/* paragraphs left empty around a block (<p></p><h3>…) */
	for (const char *p = safe.data, *e; p < safe.data + safe.len; p = e + 7) {
		e = memmem(p, (size_t)(safe.data + safe.len - p), "<p></p>", 7);
		if (!e)
			e = safe.data + safe.len;
		mie_buf_add(html, p, (size_t)(e - p));
	}
	mie_buf_release(&safe);
	while (html->len > start && (html->data[html->len - 1] == '\n'))
		mie_buf_setlen(html, html->len - 1);
	if (removed > 0)
		r->o->removed += removed;
	mie_buf_release(&full);
}

void mie_spip_render(const mie_spip_ctx *ctx, const char *src, size_t n, mie_spip_out *o)
{
	render r = {ctx, o, NULL, 0, 0, MIE_BUF_INIT};
	mie_buf a = MIE_BUF_INIT, b = MIE_BUF_INIT;
	for (size_t i = 0; i < n;) { /* CRLF and CR to LF */
		const char *cr = memchr(src + i, '\r', n - i);
		size_t k = cr ? (size_t)(cr - src) - i : n - i;
		mie_buf_add(&a, src + i, k);
		i += k;
		if (cr) {
			mie_buf_addc(&a, '\n');
			i += 1 + (i + 1 < n && src[i + 1] == '\n');
		}
	}
	resolve_multi(&r, a.data, a.len, &b);
	mie_buf_reset(&a);
	set_aside(&r, b.data, b.len, &a);
	mie_buf_reset(&b);
	take_notes(&r, a.data, a.len, &b);
	mie_buf_reset(&a);
	quotes(b.data, b.len, &a);
	mie_buf_reset(&b);
	mie_buf_add(&b, a.data, a.len);
	mie_buf_reset(&a);
	if (ctx->one_line)
		inline_render(&r, b.data, b.len, &a, 0);
	else
		blocks(&r, b.data, b.len, &a);
	finish(&r, &a, &o->html, &o->plain);
	if (r.notes.len)
		finish(&r, &r.notes, &o->notes_html, &o->notes_plain);
	for (size_t i = 0; i < r.nsaved; i++)
		free(r.saved[i]);
	free(r.saved);
	mie_buf_release(&r.notes);
	mie_buf_release(&a);
	mie_buf_release(&b);
}
