/* mie_spip_block.c — SPIP block shortcuts: paragraphs, intertitles, rules,
 * line starts, lists, tables (see mie_spip.h for the HTML of each).
 *
 * The text is cut into blocks at blank lines; each block is a list (first
 * line "-*" or "-#"), a table (every line "|…|"), a set-aside block piece
 * standing alone, or paragraph text, in which rules (----) and intertitles
 * ({{{…}}}) end the paragraph they are in. */
#include <stdlib.h>
#include <string.h>

#include "text/mie_spip_impl.h"

#define MAX_LIST_DEPTH 8

typedef struct span {
	const char *s;
	size_t n;
} span;

static span trim(const char *s, size_t n)
{
	while (n && spip_is_space(*s))
		s++, n--;
	while (n && spip_is_space(s[n - 1]))
		n--;
	return (span){s, n};
}

/* The next line of [*p, end), without its LF; advances *p. */
static span next_line(const char **p, const char *end)
{
	const char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));
	*p = nl ? nl + 1 : end;
	return (span){s, (size_t)((nl ? nl : end) - s)};
}

static int is_rule(span l)
{
	l = trim(l.s, l.n);
	if (l.n < 4 || (l.s[0] != '-' && l.s[0] != '_'))
		return 0;
	for (size_t i = 0; i < l.n; i++)
		if (l.s[i] != l.s[0])
			return 0;
	return 1;
}

static int is_list_item(span l)
{
	return l.n >= 2 && l.s[0] == '-' && (l.s[1] == '*' || l.s[1] == '#');
}

/* ---- paragraphs ---- */

/* The piece a line start stands for ("_ ", "- ", "-- "), with the bytes
 * of the shortcut in *skip, or NULL. */
static const char *line_piece(span l, int first, size_t *skip)
{
	if (l.n >= 2 && l.s[0] == '_' && l.s[1] == ' ')
		return *skip = 2, "<br />";
	if (l.n >= 3 && memcmp(l.s, "--", 2) == 0 && l.s[2] != '-')
		return *skip = 2, first ? "\xE2\x80\x94\xC2\xA0" : "<br />\xE2\x80\x94\xC2\xA0";
	if (l.n >= 2 && l.s[0] == '-' && l.s[1] != '-')
		return *skip = 1, first ? "\xE2\x80\xA2\xC2\xA0" : "<br />\xE2\x80\xA2\xC2\xA0";
	return NULL;
}

/* Does some line of t start with a piece? */
static int has_pieces(span t)
{
	size_t skip;
	for (const char *p = t.s, *end = t.s + t.n; p < end;)
		if (line_piece(next_line(&p, end), 0, &skip))
			return 1;
	return 0;
}

/* Paragraph text (no rule, intertitles split off): line starts "_ ", "- ",
 * "-- " become pieces, the rest inline; wrapped in <p> when wrap.  Text
 * with no such line start is its own source (its lines joined again). */
static void text_part(spip_render *r, const char *s, size_t n, int wrap, mie_buf *out)
{
	span t = trim(s, n);
	if (!t.n)
		return;
	mie_buf src = MIE_BUF_INIT;
	int pieces = has_pieces(t);
	for (const char *p = t.s, *end = t.s + t.n; pieces && p < end;) {
		int first = p == t.s;
		span l = next_line(&p, end);
		size_t skip = 0;
		const char *piece = line_piece(l, first, &skip);
		if (!first)
			mie_buf_addc(&src, '\n');
		if (piece) {
			spip_save(r, &src, mie_xstrdup(piece), 0);
			while (skip < l.n && spip_is_space(l.s[skip]))
				skip++;
		}
		mie_buf_add(&src, l.s + skip, l.n - skip);
	}
	if (wrap)
		mie_buf_adds(out, "<p class=\"spip\">");
	if (pieces)
		spip_inline(r, src.data, src.len, out, 0);
	else
		spip_inline(r, t.s, t.n, out, 0);
	mie_buf_adds(out, wrap ? "</p>\n" : "");
	mie_buf_release(&src);
}

typedef struct para {
	spip_render *r;
	int wrap;
} para;

static void para_text(void *arg, const char *s, size_t n, mie_buf *out)
{
	para *pa = arg;
	text_part(pa->r, s, n, pa->wrap, out);
}

static void intertitle(void *arg, const char *s, size_t n, mie_buf *out)
{
	para *pa = arg;
	span t = trim(s, n);
	mie_buf_adds(out, "<h3 class=\"spip\">");
	spip_inline(pa->r, t.s, t.n, out, 0);
	mie_buf_adds(out, "</h3>\n");
}

/* Text between rules: intertitles cut it into paragraphs. */
static void para_run(spip_render *r, const char *s, size_t n, int wrap, mie_buf *out)
{
	para pa = {r, wrap};
	spip_pairs(s, n, "{{{", "}}}", intertitle, para_text, &pa, out);
}

/* Does [s, end) hold "{{{"?  (memchr for '{': glibc's memmem costs more
 * on text with no brace at all.) */
static int has_intertitle(const char *s, const char *end)
{
	for (const char *p = s; (p = memchr(p, '{', (size_t)(end - p))) != NULL; p++)
		if (end - p >= 3 && p[1] == '{' && p[2] == '{')
			return 1;
	return 0;
}

static void paragraph(spip_render *r, const char *s, const char *end, int single, mie_buf *out)
{
	int wrap = !single || has_intertitle(s, end);
	for (const char *p = s; !wrap && p < end;)
		wrap = is_rule(next_line(&p, end));
	const char *from = s;
	for (const char *p = s; p < end;) {
		const char *at = p;
		if (!is_rule(next_line(&p, end)))
			continue;
		para_run(r, from, (size_t)(at - from), wrap, out);
		mie_buf_adds(out, "<hr class=\"spip\" />\n");
		from = p;
	}
	para_run(r, from, (size_t)(end - from), wrap, out);
}

/* ---- lists ---- */

typedef struct list_state {
	char kind[MAX_LIST_DEPTH]; /* '*' or '#' per open level */
	int depth;
	mie_buf item; /* source of the open item */
} list_state;

static void close_level(list_state *ls, mie_buf *out)
{
	ls->depth--;
	mie_buf_adds(out, ls->kind[ls->depth] == '#' ? "</li></ol>" : "</li></ul>");
}

static void open_level(list_state *ls, char kind, mie_buf *out)
{
	ls->kind[ls->depth++] = kind;
	mie_buf_adds(out, kind == '#' ? "<ol class=\"spip\">" : "<ul class=\"spip\">");
}

static void flush_item(spip_render *r, list_state *ls, mie_buf *out)
{
	span t = trim(ls->item.data, ls->item.len);
	spip_inline(r, t.s, t.n, out, 0);
	mie_buf_reset(&ls->item);
}

static void list_item(spip_render *r, list_state *ls, span l, mie_buf *out)
{
	char kind = l.s[1];
	int level = 0;
	while ((size_t)level + 1 < l.n && l.s[1 + level] == kind)
		level++;
	const char *rest = l.s + 1 + level;
	if (level > MAX_LIST_DEPTH)
		level = MAX_LIST_DEPTH;
	flush_item(r, ls, out);
	while (ls->depth > level)
		close_level(ls, out);
	if (ls->depth == level && ls->kind[level - 1] != kind)
		close_level(ls, out);
	if (ls->depth == level)
		mie_buf_adds(out, "</li>");
	while (ls->depth < level) {
		open_level(ls, kind, out);
		if (ls->depth < level)
			mie_buf_adds(out, "<li>"); /* a level skipped: an empty item holds it */
	}
	mie_buf_adds(out, "<li>");
	mie_buf_add(&ls->item, rest, (size_t)(l.s + l.n - rest));
}

static void list_block(spip_render *r, const char *s, const char *end, mie_buf *out)
{
	list_state ls = {.depth = 0};
	mie_buf_init(&ls.item);
	for (const char *p = s; p < end;) {
		span l = next_line(&p, end);
		if (is_list_item(l)) {
			list_item(r, &ls, l, out);
		} else { /* continuation of the open item */
			mie_buf_addc(&ls.item, '\n');
			mie_buf_add(&ls.item, l.s, l.n);
		}
	}
	flush_item(r, &ls, out);
	while (ls.depth)
		close_level(&ls, out);
	mie_buf_addc(out, '\n');
	mie_buf_release(&ls.item);
}

/* ---- tables ---- */

typedef struct cell {
	span t;
	int colspan, rowspan, skip;
} cell;

typedef struct row {
	cell *cells;
	size_t n;
} row;

static int is_table_line(span l)
{
	l = trim(l.s, l.n);
	return l.n >= 2 && l.s[0] == '|' && l.s[l.n - 1] == '|';
}

/* Cuts "|a|b|" into cells; "<" widens the left cell. */
static row cut_row(span l)
{
	l = trim(l.s, l.n);
	row rw = {NULL, 0};
	const char *p = l.s + 1, *end = l.s + l.n - 1;
	for (;;) {
		const char *bar = memchr(p, '|', (size_t)(end - p));
		const char *e = bar ? bar : end;
		span t = trim(p, (size_t)(e - p));
		if (t.n == 1 && t.s[0] == '<' && rw.n) {
			rw.cells[rw.n - 1].colspan++;
		} else {
			if ((rw.n & (rw.n - 1)) == 0)
				rw.cells = mie_xrealloc(rw.cells,
				                        (rw.n ? 2 * rw.n : 1) * sizeof *rw.cells);
			rw.cells[rw.n++] = (cell){t, 1, 1, 0};
		}
		if (!bar)
			return rw;
		p = bar + 1;
	}
}

/* "^" cells join the cell above them (same position in the row). */
static void join_rows(row *rows, size_t k)
{
	for (size_t i = 1; i < k; i++)
		for (size_t c = 0; c < rows[i].n; c++) {
			cell *x = &rows[i].cells[c];
			if (x->t.n != 1 || x->t.s[0] != '^')
				continue;
			for (size_t j = i; j-- > 0;)
				if (c < rows[j].n && !rows[j].cells[c].skip) {
					rows[j].cells[c].rowspan++;
					x->skip = 1;
					break;
				}
		}
}

static int header_row(const row *rw)
{
	for (size_t c = 0; c < rw->n; c++) {
		span t = rw->cells[c].t;
		if (t.n < 4 || memcmp(t.s, "{{", 2) || memcmp(t.s + t.n - 2, "}}", 2))
			return 0;
	}
	return rw->n > 0;
}

static void put_row(spip_render *r, const row *rw, const char *cls, int head, mie_buf *out)
{
	mie_buf_addf(out, "<tr class=\"%s\">", cls);
	for (size_t c = 0; c < rw->n; c++) {
		const cell *x = &rw->cells[c];
		if (x->skip)
			continue;
		span t = head ? trim(x->t.s + 2, x->t.n - 4) : x->t;
		mie_buf_adds(out, head ? "<th" : "<td");
		if (x->colspan > 1)
			mie_buf_addf(out, " colspan=\"%d\"", x->colspan);
		if (x->rowspan > 1)
			mie_buf_addf(out, " rowspan=\"%d\"", x->rowspan);
		mie_buf_addc(out, '>');
		spip_inline(r, t.s, t.n, out, 0);
		mie_buf_adds(out, head ? "</th>" : "</td>");
	}
	mie_buf_adds(out, "</tr>");
}

static void table_block(spip_render *r, const char *s, const char *end, mie_buf *out)
{
	row *rows = NULL;
	size_t k = 0;
	for (const char *p = s, *end_ = end; p < end_;) {
		if ((k & (k - 1)) == 0) /* 0, 1, 2, 4…: doubling */
			rows = mie_xrealloc(rows, (k ? 2 * k : 1) * sizeof *rows);
		rows[k++] = cut_row(next_line(&p, end_));
	}
	mie_buf_adds(out, "<table class=\"spip\">");
	size_t i = 0;
	span first = trim(s, (size_t)(end - s));
	if (first.n > 4 && memcmp(first.s, "||", 2) == 0 && rows[0].n >= 3) {
		/* ||caption|summary||: cells "", caption[, summary], "" */
		mie_buf_adds(out, "<caption>");
		spip_inline(r, rows[0].cells[1].t.s, rows[0].cells[1].t.n, out, 0);
		mie_buf_adds(out, "</caption>");
		i = 1;
	}
	join_rows(rows + i, k - i);
	if (i < k && header_row(&rows[i])) {
		mie_buf_adds(out, "<thead>");
		put_row(r, &rows[i++], "row_first", 1, out);
		mie_buf_adds(out, "</thead>");
	}
	mie_buf_adds(out, "<tbody>");
	for (size_t odd = 1; i < k; i++, odd = !odd)
		put_row(r, &rows[i], odd ? "row_odd" : "row_even", 0, out);
	mie_buf_adds(out, "</tbody></table>\n");
	for (size_t j = 0; j < k; j++)
		free(rows[j].cells);
	free(rows);
}

/* ---- blocks ---- */

static int all_table_lines(const char *s, const char *end)
{
	for (const char *p = s; p < end;)
		if (!is_table_line(next_line(&p, end)))
			return 0;
	return 1;
}

/* The first list item line of [s, end), or NULL. */
static const char *first_item(const char *s, const char *end)
{
	for (const char *p = s; p < end;) {
		const char *at = p;
		if (is_list_item(next_line(&p, end)))
			return at;
	}
	return NULL;
}

static void block(spip_render *r, const char *s, const char *end, int single, mie_buf *out)
{
	const char *items = first_item(s, end);
	if (spip_block_piece(r, s, (size_t)(end - s)) >= 0) {
		span t = trim(s, (size_t)(end - s));
		mie_buf_add(out, t.s, t.n);
		mie_buf_addc(out, '\n');
	} else if (items) { /* text, then a list to the end of the block */
		if (items > s)
			paragraph(r, s, items, 0, out);
		list_block(r, items, end, out);
	} else if (all_table_lines(s, end)) {
		table_block(r, s, end, out);
	} else {
		paragraph(r, s, end, single, out);
	}
}

/* The end of the block starting at p: the next blank line, or end. */
static const char *block_end(const char *p, const char *end)
{
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return end;
		const char *q = nl + 1;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q >= end || *q == '\n')
			return nl;
		p = nl + 1;
	}
}

void spip_blocks(spip_render *r, const char *s, size_t n, mie_buf *out)
{
	span *v = NULL;
	size_t k = 0;
	for (const char *p = s, *end = s + n; p < end;) {
		while (p < end && spip_is_space(*p))
			p++;
		if (p >= end)
			break;
		const char *e = block_end(p, end);
		if ((k & (k - 1)) == 0)
			v = mie_xrealloc(v, (k ? 2 * k : 1) * sizeof *v);
		v[k++] = (span){p, (size_t)(e - p)};
		p = e;
	}
	for (size_t i = 0; i < k; i++)
		block(r, v[i].s, v[i].s + v[i].n, k == 1, out);
	free(v);
}
