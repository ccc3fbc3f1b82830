/* mie_spip_md.c — safe HTML (the SPIP renderer's) to Markdown; the shapes
 * are stated in mie_spip_md.h.
 *
 * One pass over the tokens: inline content accumulates in `in` (the
 * current paragraph, heading or table cell); a block boundary flushes it,
 * with the prefixes of the open containers (quotes, list items).  Emphasis
 * and links are frames over `in`: closing one wraps what was written since
 * it opened.  Bounded: frames and containers deeper than their arrays are
 * read as plain content. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/mie_html.h"
#include "text/mie_spip_md.h"

enum { F_STRONG, F_EM, F_LINK, F_NOTE, F_CODE, F_PLAIN };
enum { C_QUOTE, C_ITEM };
#define MAX_FRAMES 64
#define MAX_CONT   32

typedef struct frame {
	int kind;
	size_t start; /* where its content starts in `in` */
	char *href;   /* owned: F_LINK */
	char *title;  /* owned: F_LINK's title, or the target's title when auto */
	int image;
} frame;

typedef struct container {
	int kind;
	char marker[16]; /* C_ITEM: "- " or "12. " */
	int used;        /* the marker was written */
} container;

typedef struct md {
	mie_buf *out;
	const mie_md_links *links;
	int notes_mode;
	mie_buf in;
	int heading;     /* 0, or the level of the heading being read */
	int space;       /* a space is pending */
	int eat_bracket; /* drop a "]" that follows a note call */
	frame fr[MAX_FRAMES];
	int nfr, deep; /* frames open; more beyond the array */
	container c[MAX_CONT];
	int nc, cdeep;
	int lists[MAX_CONT]; /* per open list: 0 unordered, else the next number */
	int nlists;
	int need_blank;
	int pre, code_span; /* inside <pre>, inside <code> outside <pre> */
	mie_buf code;
	mie_buf note_label; /* notes mode: the current definition's label */
	/* a table being read */
	int table;
	json_t *rows;     /* array of arrays of strings (owned) */
	json_t *row;      /* borrowed from rows */
	int row_header;   /* every cell of the current row a <th> so far */
	int first_header; /* the first row was all <th> */
	long colspan;
	int cell; /* a cell is open */
	mie_buf caption;
	int in_caption;
	mie_buf tmp;
} md;

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* ---- inline ---- */

static void put_space(md *m)
{
	if (m->space && m->in.len && m->in.data[m->in.len - 1] != '\n')
		mie_buf_addc(&m->in, ' ');
	m->space = 0;
}

/* Appends the character s[i] of text escaped (see mie_spip_md.h). */
static void esc_char(mie_buf *out, const char *s, size_t i, size_t n)
{
	char c = s[i];
	if (c && strchr("\\`*_[]<>{}|$", c))
		mie_buf_addc(out, '\\');
	if (c == '&' && i + 1 < n &&
	    (((s[i + 1] | 0x20) >= 'a' && (s[i + 1] | 0x20) <= 'z') || s[i + 1] == '#')) {
		mie_buf_adds(out, "&amp;");
		return;
	}
	mie_buf_addc(out, c);
}

static void text(md *m, const char *s, size_t n)
{
	if (m->pre) {
		mie_buf_add(&m->code, s, n);
		return;
	}
	if (m->in_caption) {
		for (size_t i = 0; i < n; i++)
			mie_buf_addc(&m->caption, is_ws(s[i]) ? ' ' : s[i]);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (is_ws(c)) {
			m->space = 1;
			continue;
		}
		if (m->eat_bracket) {
			m->eat_bracket = 0;
			if (c == ']')
				continue;
		}
		put_space(m);
		if (m->code_span)
			mie_buf_addc(&m->in, c);
		else
			esc_char(&m->in, s, i, n);
	}
}

/* Appends url with the bytes Markdown link syntax would misread as %HH. */
static void add_url(mie_buf *out, const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= ' ' || *p == 0x7f || strchr("()<>\"'\\`", *p)) {
			mie_buf_addc(out, '%');
			mie_buf_addc(out, hex[*p >> 4]);
			mie_buf_addc(out, hex[*p & 15]);
		} else {
			mie_buf_addc(out, (char)*p);
		}
	}
}

/* Escaped text of s (for a title or alt), white space as spaces. */
static void add_text(mie_buf *out, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++) {
		if (is_ws(s[i]))
			mie_buf_addc(out, ' ');
		else
			esc_char(out, s, i, n);
	}
}

static void open_frame(md *m, int kind, char *href, char *title, int image)
{
	if (m->nfr == MAX_FRAMES) {
		m->deep++;
		free(href);
		free(title);
		return;
	}
	put_space(m);
	m->fr[m->nfr++] = (frame){kind, m->in.len, href, title, image};
}

/* Removes "\[" (and a U+00A0 or space before it) just before `at` in in. */
static size_t drop_open_bracket(md *m, size_t at)
{
	if (at >= 2 && memcmp(m->in.data + at - 2, "\\[", 2) == 0) {
		memmove(m->in.data + at - 2, m->in.data + at, m->in.len - at);
		m->in.len -= 2;
		at -= 2;
		m->in.data[m->in.len] = '\0';
		if (at >= 2 && (unsigned char)m->in.data[at - 2] == 0xC2 &&
		    (unsigned char)m->in.data[at - 1] == 0xA0) {
			memmove(m->in.data + at - 2, m->in.data + at, m->in.len - at);
			m->in.len -= 2;
			at -= 2;
			m->in.data[m->in.len] = '\0';
		}
	}
	return at;
}

/* A footnote label: what may stand in [^…]. */
static void add_label(mie_buf *out, const char *s, size_t n)
{
	size_t start = out->len;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_')
			mie_buf_addc(out, c);
	}
	if (out->len == start)
		mie_buf_adds(out, "note");
}

static void close_frame(md *m)
{
	if (m->deep) {
		m->deep--;
		return;
	}
	if (!m->nfr)
		return;
	frame f = m->fr[--m->nfr];
	size_t n = m->in.len - f.start;
	mie_buf body = MIE_BUF_INIT;
	mie_buf_add(&body, m->in.data + f.start, n);
	mie_buf_setlen(&m->in, f.start);
	switch (f.kind) {
	case F_STRONG:
	case F_EM: {
		const char *mk = f.kind == F_STRONG ? "**" : "*";
		size_t k = body.len;
		while (k && body.data[k - 1] == ' ')
			k--;
		if (k) {
			mie_buf_adds(&m->in, mk);
			mie_buf_add(&m->in, body.data, k);
			mie_buf_adds(&m->in, mk);
		}
		if (k < body.len)
			m->space = 1;
		break;
	}
	case F_NOTE: {
		size_t at = drop_open_bracket(m, m->in.len);
		mie_buf_setlen(&m->in, at);
		m->eat_bracket = 1;
		if (m->notes_mode) {
			mie_buf_reset(&m->note_label);
			add_label(&m->note_label, body.data, body.len);
			m->space = 0;
		} else {
			mie_buf_adds(&m->in, "[^");
			add_label(&m->in, body.data, body.len);
			mie_buf_addc(&m->in, ']');
		}
		break;
	}
	case F_LINK:
		if (!f.href) {
			mie_buf_add(&m->in, body.data, body.len);
			break;
		}
		mie_buf_adds(&m->in, f.image > 0 ? "![" : "[");
		if (f.image < 0) {
			add_text(&m->in, f.title);
			free(f.title);
			f.title = NULL;
		} else if (body.len)
			mie_buf_add(&m->in, body.data, body.len);
		else
			add_text(&m->in, f.href);
		mie_buf_adds(&m->in, "](");
		add_url(&m->in, f.href);
		if (f.title && *f.title) {
			mie_buf_adds(&m->in, " \"");
			for (const char *p = f.title; *p; p++) {
				if (*p == '"' || *p == '\\')
					mie_buf_addc(&m->in, '\\');
				mie_buf_addc(&m->in, is_ws(*p) ? ' ' : *p);
			}
			mie_buf_addc(&m->in, '"');
		}
		mie_buf_addc(&m->in, ')');
		break;
	case F_CODE: {
		size_t run = 0, best = 0;
		for (size_t i = 0; i < body.len; i++) {
			run = body.data[i] == '`' ? run + 1 : 0;
			if (run > best)
				best = run;
		}
		if (!body.len)
			break;
		for (size_t i = 0; i <= best; i++)
			mie_buf_addc(&m->in, '`');
		int pad = body.data[0] == '`' || body.data[body.len - 1] == '`';
		if (pad)
			mie_buf_addc(&m->in, ' ');
		mie_buf_add(&m->in, body.data, body.len);
		if (pad)
			mie_buf_addc(&m->in, ' ');
		for (size_t i = 0; i <= best; i++)
			mie_buf_addc(&m->in, '`');
		m->code_span = 0;
		break;
	}
	default: mie_buf_add(&m->in, body.data, body.len);
	}
	free(f.href);
	free(f.title);
	mie_buf_release(&body);
}

/* ---- blocks ---- */

static void prefix(md *m, mie_buf *out, int blank)
{
	for (int i = 0; i < m->nc; i++) {
		container *c = &m->c[i];
		if (c->kind == C_QUOTE) {
			mie_buf_adds(out, blank ? ">" : "> ");
		} else if (!c->used && !blank) {
			mie_buf_adds(out, c->marker);
			c->used = 1;
		} else if (!blank) {
			for (size_t k = strlen(c->marker); k; k--)
				mie_buf_addc(out, ' ');
		}
	}
}

static void blank_line(md *m)
{
	if (m->out->len && m->need_blank && !m->nlists) {
		size_t before = m->out->len;
		prefix(m, m->out, 1);
		while (m->out->len > before && m->out->data[m->out->len - 1] == ' ')
			m->out->len--;
		mie_buf_addc(m->out, '\n');
	}
	m->need_blank = 0;
}

/* A line of text that would read as structure gets a backslash. */
static void line_start(mie_buf *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i && i < n && (s[i] == '.' || s[i] == ')')) {
		mie_buf_add(out, s, i);
		mie_buf_addc(out, '\\');
		mie_buf_add(out, s + i, n - i);
		return;
	}
	if (n && strchr("-+=#>:", s[0]))
		mie_buf_addc(out, '\\');
	mie_buf_add(out, s, n);
}

/* Writes lines (split at '\n') with the containers' prefixes. */
static void emit_lines(md *m, const char *s, size_t n, const char *lead, int escape)
{
	blank_line(m);
	size_t i = 0;
	int first = 1;
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t k = nl ? (size_t)(nl - (s + i)) : n - i;
		prefix(m, m->out, 0);
		if (first && lead)
			mie_buf_adds(m->out, lead);
		if (escape)
			line_start(m->out, s + i, k);
		else
			mie_buf_add(m->out, s + i, k);
		mie_buf_addc(m->out, '\n');
		i += k + 1;
		first = 0;
	}
	m->need_blank = 1;
}

static void flush(md *m)
{
	while (m->nfr || m->deep)
		close_frame(m);
	m->space = 0;
	m->eat_bracket = 0;
	size_t a = 0, b = m->in.len;
	while (a < b && (m->in.data[a] == ' ' || m->in.data[a] == '\n'))
		a++;
	while (b > a && (m->in.data[b - 1] == ' ' || m->in.data[b - 1] == '\n'))
		b--;
	if (b > a && !m->table) {
		if (m->heading) {
			char lead[8];
			memset(lead, '#', (size_t)m->heading);
			lead[m->heading] = ' ';
			lead[m->heading + 1] = '\0';
			for (size_t i = a; i < b; i++)
				if (m->in.data[i] == '\n')
					m->in.data[i] = ' ';
			emit_lines(m, m->in.data + a, b - a, lead, 0);
		} else if (m->notes_mode && m->note_label.len) {
			mie_buf lead = MIE_BUF_INIT;
			mie_buf_addf(&lead, "[^%s]: ", m->note_label.data);
			emit_lines(m, m->in.data + a, b - a, lead.data, 0);
			mie_buf_release(&lead);
		} else {
			emit_lines(m, m->in.data + a, b - a, NULL, 1);
		}
	}
	mie_buf_reset(&m->in);
	mie_buf_reset(&m->note_label);
}

static void push_container(md *m, int kind, const char *marker)
{
	if (m->nc == MAX_CONT) {
		m->cdeep++;
		return;
	}
	container *c = &m->c[m->nc++];
	c->kind = kind;
	c->used = 0;
	snprintf(c->marker, sizeof c->marker, "%s", marker ? marker : "");
}

static void pop_container(md *m, int kind)
{
	if (m->cdeep) {
		m->cdeep--;
		return;
	}
	if (m->nc && m->c[m->nc - 1].kind == kind)
		m->nc--;
}

static void emit_pre(md *m)
{
	size_t n = m->code.len;
	while (n && (m->code.data[n - 1] == '\n' || m->code.data[n - 1] == '\r'))
		n--;
	size_t start = 0;
	while (start < n && m->code.data[start] == '\n')
		start++;
	size_t run = 0, best = 2;
	for (size_t i = start; i < n; i++) {
		run = m->code.data[i] == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	char fence[64];
	size_t f = best + 1 < sizeof fence ? best + 1 : sizeof fence - 1;
	memset(fence, '`', f);
	fence[f] = '\0';
	mie_buf all = MIE_BUF_INIT;
	mie_buf_addf(&all, "%s\n", fence);
	for (size_t i = start; i < n; i++)
		if (m->code.data[i] != '\r')
			mie_buf_addc(&all, m->code.data[i]);
	mie_buf_addf(&all, "\n%s", fence);
	emit_lines(m, all.data, all.len, NULL, 0);
	mie_buf_release(&all);
	mie_buf_reset(&m->code);
}

static void end_cell(md *m)
{
	if (!m->row || !m->cell)
		return;
	m->cell = 0;
	while (m->nfr || m->deep)
		close_frame(m);
	size_t a = 0, b = m->in.len;
	while (a < b && m->in.data[a] == ' ')
		a++;
	while (b > a && m->in.data[b - 1] == ' ')
		b--;
	mie_buf_reset(&m->tmp);
	for (size_t i = a; i < b; i++)
		mie_buf_addc(&m->tmp, m->in.data[i] == '\n' ? ' ' : m->in.data[i]);
	/* "  \n" of a <br /> became three spaces: one is enough */
	json_array_append_new(m->row, json_stringn(m->tmp.data, m->tmp.len));
	for (long k = 1; k < m->colspan && k < 64; k++)
		json_array_append_new(m->row, json_string(""));
	mie_buf_reset(&m->in);
	m->space = 0;
}

static void emit_table(md *m)
{
	size_t cols = 0, i;
	json_t *r;
	json_array_foreach(m->rows, i, r) if (json_array_size(r) > cols) cols = json_array_size(r);
	if (!cols)
		return;
	if (m->caption.len) {
		mie_buf esc = MIE_BUF_INIT;
		add_text(&esc, m->caption.data);
		mie_buf_reset(&m->in);
		emit_lines(m, esc.data, esc.len, NULL, 1);
		mie_buf_release(&esc);
	}
	mie_buf t = MIE_BUF_INIT;
	size_t first = 0;
	if (m->first_header && json_array_size(m->rows)) {
		first = 1;
		r = json_array_get(m->rows, 0);
	} else {
		r = NULL;
	}
	for (int pass = 0; pass < 2; pass++) {
		mie_buf_adds(&t, "|");
		for (size_t c = 0; c < cols; c++) {
			const char *v = pass ? "---"
			                : r  ? json_string_value(json_array_get(r, c))
			                     : "";
			mie_buf_addf(&t, " %s |", v ? v : "");
		}
		mie_buf_addc(&t, '\n');
	}
	for (i = first; i < json_array_size(m->rows); i++) {
		r = json_array_get(m->rows, i);
		mie_buf_adds(&t, "|");
		for (size_t c = 0; c < cols; c++) {
			const char *v = json_string_value(json_array_get(r, c));
			mie_buf_addf(&t, " %s |", v ? v : "");
		}
		mie_buf_addc(&t, '\n');
	}
	t.len--;
	emit_lines(m, t.data, t.len, NULL, 0);
	mie_buf_release(&t);
}

static int is_name(const mie_html_token *t, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(t->name, *names) == 0)
			return 1;
	return 0;
}

static void start_link(md *m, const mie_html_token *t)
{
	mie_buf v = MIE_BUF_INIT, url = MIE_BUF_INIT, title = MIE_BUF_INIT;
	if (mie_html_attr(t, "class", &v) && strstr(v.data, "spip_note")) {
		open_frame(m, F_NOTE, NULL, NULL, 0);
	} else {
		char *href = NULL, *ttl = NULL;
		if (mie_html_attr(t, "data-mie-id", &v) && m->links &&
		    m->links->resolve(m->links->arg, v.data, &url, &title) >= 0)
			href = mie_buf_detach(&url, NULL);
		else if (mie_html_attr(t, "href", &v) && v.len)
			href = mie_buf_detach(&v, NULL);
		if (mie_html_attr(t, "data-mie-label", &v) && strcmp(v.data, "auto") == 0 &&
		    title.len) {
			open_frame(m, F_PLAIN, NULL, NULL, 0); /* the legacy name, dropped below */
			m->fr[m->nfr - 1].kind = F_LINK;
			m->fr[m->nfr - 1].href = href;
			m->fr[m->nfr - 1].title = mie_buf_detach(&title, NULL);
			m->fr[m->nfr - 1].image = -1; /* auto: title as text */
		} else {
			if (mie_html_attr(t, "title", &v) && v.len)
				ttl = mie_buf_detach(&v, NULL);
			open_frame(m, F_LINK, href, ttl, 0);
		}
	}
	mie_buf_release(&v);
	mie_buf_release(&url);
	mie_buf_release(&title);
}

static void document(md *m, const mie_html_token *t)
{
	mie_buf v = MIE_BUF_INIT, url = MIE_BUF_INIT, title = MIE_BUF_INIT;
	int kind = mie_html_attr(t, "data-mie-id", &v) && m->links
	                   ? m->links->resolve(m->links->arg, v.data, &url, &title)
	                   : -1;
	if (kind >= 0) {
		put_space(m);
		mie_buf_adds(&m->in, kind == 1 ? "![" : "[");
		add_text(&m->in, title.len ? title.data : url.data);
		mie_buf_adds(&m->in, "](");
		add_url(&m->in, url.data);
		mie_buf_addc(&m->in, ')');
	}
	mie_buf_release(&v);
	mie_buf_release(&url);
	mie_buf_release(&title);
}

static void visit(void *arg, const mie_html_token *t)
{
	md *m = arg;
	static const char *const paras[] = {"p",  "div",    "dl",         "dt",
	                                    "dd", "figure", "figcaption", NULL};
	if (t->kind == MIE_HTML_TEXT) {
		text(m, t->text, t->n);
		return;
	}
	const char *n = t->name;
	int start = t->kind == MIE_HTML_START;
	if (m->pre && strcmp(n, "pre") != 0) {
		if (strcmp(n, "br") == 0)
			mie_buf_addc(&m->code, '\n');
		return;
	}
	if (is_name(t, paras) && !m->table) {
		flush(m);
	} else if (n[0] == 'h' && n[1] >= '1' && n[1] <= '6' && !n[2] && !m->table) {
		flush(m);
		m->heading = start ? n[1] - '0' : 0;
	} else if (strcmp(n, "strong") == 0 || strcmp(n, "b") == 0) {
		start ? open_frame(m, F_STRONG, NULL, NULL, 0) : close_frame(m);
	} else if (strcmp(n, "i") == 0 || strcmp(n, "em") == 0) {
		start ? open_frame(m, F_EM, NULL, NULL, 0) : close_frame(m);
	} else if (strcmp(n, "a") == 0) {
		start ? start_link(m, t) : close_frame(m);
	} else if (strcmp(n, "code") == 0) {
		if (start) {
			open_frame(m, F_CODE, NULL, NULL, 0);
			m->code_span = 1;
		} else {
			close_frame(m);
			m->code_span = 0;
		}
	} else if (strcmp(n, "br") == 0) {
		if (m->table)
			m->space = 1;
		else
			mie_buf_adds(&m->in, "  \n");
		m->space = m->table;
	} else if (strcmp(n, "img") == 0 && start) {
		mie_buf src = MIE_BUF_INIT, alt = MIE_BUF_INIT;
		if (mie_html_attr(t, "src", &src) && src.len) {
			mie_html_attr(t, "alt", &alt);
			put_space(m);
			mie_buf_adds(&m->in, "![");
			add_text(&m->in, alt.data);
			mie_buf_adds(&m->in, "](");
			add_url(&m->in, src.data);
			mie_buf_addc(&m->in, ')');
		}
		mie_buf_release(&src);
		mie_buf_release(&alt);
	} else if (strcmp(n, "span") == 0 && start) {
		mie_buf v = MIE_BUF_INIT;
		if (mie_html_attr(t, "data-mie-model", &v))
			document(m, t);
		mie_buf_release(&v);
	} else if (strcmp(n, "hr") == 0 && !m->table) {
		flush(m);
		emit_lines(m, "* * *", 5, NULL, 0);
	} else if (strcmp(n, "pre") == 0 && !m->table) {
		flush(m);
		if (start) {
			m->pre = 1;
		} else if (m->pre) {
			m->pre = 0;
			emit_pre(m);
		}
	} else if (strcmp(n, "blockquote") == 0 && !m->table) {
		flush(m);
		if (start) {
			blank_line(m);
			push_container(m, C_QUOTE, NULL);
		} else {
			pop_container(m, C_QUOTE);
			m->need_blank = 1;
		}
	} else if ((strcmp(n, "ul") == 0 || strcmp(n, "ol") == 0) && !m->table) {
		flush(m);
		if (start) {
			if (!m->nlists)
				blank_line(m);
			if (m->nlists < MAX_CONT)
				m->lists[m->nlists] = n[0] == 'o';
			m->nlists++;
		} else if (m->nlists) {
			m->nlists--;
			m->need_blank = 1;
		}
	} else if (strcmp(n, "li") == 0 && !m->table) {
		flush(m);
		if (start) {
			char mk[16];
			int k = m->nlists ? m->nlists - 1 : 0;
			if (k < MAX_CONT && m->nlists && m->lists[k])
				snprintf(mk, sizeof mk, "%d. ", m->lists[k]++);
			else
				snprintf(mk, sizeof mk, "- ");
			push_container(m, C_ITEM, mk);
		} else {
			if (m->nc && m->c[m->nc - 1].kind == C_ITEM && !m->c[m->nc - 1].used)
				emit_lines(m, "", 0, NULL, 0); /* an empty item */
			pop_container(m, C_ITEM);
		}
	} else if (strcmp(n, "table") == 0) {
		if (start && !m->table) {
			flush(m);
			m->table = 1;
			m->rows = json_array();
			m->first_header = 0;
		} else if (!start && m->table) {
			end_cell(m);
			m->table = 0;
			emit_table(m);
			json_decref(m->rows);
			m->rows = NULL;
			m->row = NULL;
			mie_buf_reset(&m->caption);
		}
	} else if (m->table && strcmp(n, "tr") == 0) {
		end_cell(m);
		if (start) {
			m->row = json_array();
			json_array_append_new(m->rows, m->row);
			m->row_header = 1;
		} else if (m->row && json_array_size(m->rows) == 1) {
			m->first_header = m->row_header && json_array_size(m->row) > 0;
		}
		if (!start)
			m->row = NULL;
	} else if (m->table && (strcmp(n, "td") == 0 || strcmp(n, "th") == 0)) {
		if (start) {
			end_cell(m);
			if (!m->row) {
				m->row = json_array();
				json_array_append_new(m->rows, m->row);
				m->row_header = 1;
			}
			mie_buf v = MIE_BUF_INIT;
			m->colspan = mie_html_attr(t, "colspan", &v) ? strtol(v.data, NULL, 10) : 1;
			mie_buf_release(&v);
			if (n[1] != 'h')
				m->row_header = 0;
			m->cell = 1;
		} else {
			end_cell(m);
			m->colspan = 1;
		}
		m->space = 0;
	} else if (m->table && strcmp(n, "caption") == 0) {
		m->in_caption = start;
	}
}

static void convert(mie_buf *out, const char *html, size_t n, const mie_md_links *links, int notes)
{
	md m;
	memset(&m, 0, sizeof m);
	m.out = out;
	m.links = links;
	m.notes_mode = notes;
	m.colspan = 1;
	mie_buf_init(&m.in);
	mie_buf_init(&m.code);
	mie_buf_init(&m.note_label);
	mie_buf_init(&m.caption);
	mie_buf_init(&m.tmp);
	mie_buf body = MIE_BUF_INIT;
	m.out = &body;
	mie_html_walk(html, n, visit, &m);
	if (m.pre)
		emit_pre(&m);
	if (m.table) {
		end_cell(&m);
		emit_table(&m);
	}
	flush(&m);
	for (int i = 0; i < m.nfr; i++) {
		free(m.fr[i].href);
		free(m.fr[i].title);
	}
	json_decref(m.rows);
	mie_buf_add(out, body.data, body.len);
	mie_buf_release(&body);
	mie_buf_release(&m.in);
	mie_buf_release(&m.code);
	mie_buf_release(&m.note_label);
	mie_buf_release(&m.caption);
	mie_buf_release(&m.tmp);
}

void mie_md_from_html(mie_buf *out, const char *html, size_t n, const mie_md_links *links)
{
	convert(out, html, n, links, 0);
}

void mie_md_notes(mie_buf *out, const char *html, size_t n, const mie_md_links *links)
{
	convert(out, html, n, links, 1);
}

void mie_spip_md(mie_buf *out, const mie_spip_ctx *ctx, const char *src, size_t n,
                 const mie_md_links *links)
{
	mie_spip_out o;
	mie_spip_out_init(&o);
	mie_spip_render(ctx, src, n, &o);
	mie_md_from_html(out, o.html.data, o.html.len, links);
	if (o.notes_html.len) {
		if (out->len)
			mie_buf_addc(out, '\n');
		mie_md_notes(out, o.notes_html.data, o.notes_html.len, links);
	}
	mie_spip_out_release(&o);
}
