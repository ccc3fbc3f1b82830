/* mie_spipdump_lex.c — the "spip-dump" source: SPIP 1.9 XML database
 * dumps ("dump.xml[.gz]"), cut into rows for mie_spipdump.h.
 *
 * A byte-level lexer for the fixed layout SPIP writes (one <spip_TABLE>
 * element per row, one <column>value</column> child per column, only &
 * and < escaped), not an XML parser: real dumps are not well-formed
 * (control characters, bytes of another charset, "]]>", undeclared
 * entities, a cut last row), and libxml2's reader stops at the first such
 * error.  A value ends at its own closing tag, whatever it holds; nothing
 * in it can stop the lexer or blow up memory beyond one row.  Each row
 * goes down the common path of mie_spipdump.h (held tables, repeated
 * slices, spill, building after the last input).
 *
 * Damage handled here: a dump without </SPIP> (warning; everything before
 * is kept), a row cut by the end of the file (rejected; a dump cut into
 * parts anywhere is read as one), a row with a column name over 256 bytes
 * (rejected: its value's end cannot be found), a row with a damaged tag
 * (rejected whole, its values never kept: see damaged()), a UTF-8 BOM (wins over the
 * declared encoding, with a warning).  Binary revision tables
 * (spip_versions*) are skipped and counted, rows converted halfway
 * ("<CONVERT iso-8859-1>" title prefix) read in that charset, by the
 * common path.
 *
 * Ids are SITE:TYPE:ID with SITE the host of --site, else of the dump's
 * adresse_site (spip_meta, or the 1.9.2 root element), "www." dropped;
 * a 1.9.0/1.9.1 dump names no site: then "infomie.net", this archive's.
 *
 * Privacy: credential columns (mie_privacy.h: pass, htpass, alea_*,
 * cookie_oubli, low_sec…) are dropped by the common path, never
 * spilled, printed or rejected; private messages (spip_messages,
 * spip_auteurs_messages) are never read.  Emails, IPs and logins of
 * people are kept only with --keep-personal. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/mie_spipdump_impl.h"
#include "record/mie_record.h"

/* Reads one input.  A dump cut into parts anywhere (split -b) is read as
 * one: while a row is read, its bytes are recorded (`tape`, appended at
 * each refill from `mark`), and a row the input ends inside is carried to
 * the next input, whose lexer reads the carried bytes first (`pre`). */
typedef struct lexer {
	mie_input *in;
	mie_input *pre; /* carried bytes of a row begun in the previous input, or NULL */
	const mie_loc *where;
	long line;
	const unsigned char *buf; /* borrowed from in or pre (mie_input_next) until refill */
	size_t pos, end;
	int eof;
	int recording; /* inside a row: bytes from mark on go to tape at refill */
	int name_cut;  /* the last tag's name was longer than 256 bytes */
	size_t mark;
	mie_buf tape;
	int huge;          /* this row has a value over SD_MAX_VALUE (or is over SD_MAX_ROW) */
	char huge_col[64]; /* the first such column */
	/* this input's own XML declaration ("" none): its rows are read in
	 * it, whatever another input of the run declares (the same site
	 * dumped in UTF-8 and in ISO-8859-1) */
	char charset[40];
} lexer;

/* The largest value of one column: a larger one (or a row over SD_MAX_ROW)
 * is skipped up to its end tag without being kept, and its row is
 * rejected with its line; the rows after it are read
 * (man/mie-import.1).  Memory stays within a few times this. */
#define SD_MAX_VALUE ((size_t)16 << 20)
/* What is kept of a skipped value: enough to find its end tag. */
#define SD_VALUE_TAIL 512

static int lx_fill(lexer *lx)
{
	if (lx->pos < lx->end)
		return 1;
	if (lx->eof)
		return 0;
	if (lx->recording && !lx->huge) { /* a huge row is not carried (rejected) */
		mie_buf_add(&lx->tape, lx->buf + lx->mark, lx->end - lx->mark);
		lx->mark = lx->end;
	}
	const unsigned char *p = NULL;
	size_t n = 0;
	if (lx->pre) {
		p = mie_input_next(lx->pre, &n);
		if (!p) { /* the carried row goes on in this input, from its line 1 */
			mie_input_free(lx->pre);
			lx->pre = NULL;
			lx->line = 1;
		}
	}
	if (!lx->pre)
		p = mie_input_next(lx->in, &n);
	if (!p) {
		lx->eof = 1;
		return 0;
	}
	lx->buf = p;
	lx->pos = 0;
	lx->end = n;
	lx->mark = 0;
	return 1;
}

/* Starts recording a row whose '<' was the last byte consumed. */
static void lx_record(lexer *lx)
{
	mie_buf_reset(&lx->tape);
	lx->recording = 1;
	lx->mark = lx->pos - 1;
}

static int lx_get(lexer *lx)
{
	if (!lx_fill(lx))
		return -1;
	int c = lx->buf[lx->pos++];
	if (c == '\n')
		lx->line++;
	return c;
}

/* Skips to the next '<' (consumed); returns 0 at end. */
static int lx_to_tag(lexer *lx)
{
	while (lx_fill(lx)) {
		const unsigned char *p = lx->buf + lx->pos, *end = lx->buf + lx->end;
		const unsigned char *lt = memchr(p, '<', (size_t)(end - p));
		const unsigned char *stop = lt ? lt : end;
		for (const unsigned char *q = p; (q = memchr(q, '\n', (size_t)(stop - q))) != NULL;
		     q++)
			lx->line++;
		lx->pos = (size_t)(stop - lx->buf);
		if (lt) {
			lx->pos++;
			return 1;
		}
	}
	return 0;
}

/* Reads a tag's name and the rest of the tag up to '>' into name/attrs.
 * Returns 1, or 0 at end of input. */
static int lx_tag(lexer *lx, mie_buf *name, mie_buf *attrs)
{
	static const unsigned char stop[256] = {
	        ['>'] = 1, [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1};
	mie_buf_reset(name);
	mie_buf_reset(attrs);
	lx->name_cut = 0;
	int c;
	for (;;) { /* the name: up to a delimiter (consumed), at most 256 bytes */
		if (!lx_fill(lx))
			return 0;
		const unsigned char *p = lx->buf + lx->pos, *end = lx->buf + lx->end, *q = p;
		size_t room = 256 - name->len;
		const unsigned char *lim = (size_t)(end - p) < room ? end : p + room;
		while (q < lim && !stop[*q])
			q++;
		mie_buf_add(name, p, (size_t)(q - p));
		lx->pos += (size_t)(q - p);
		if (q < end) { /* the delimiter, or the byte after 256 (dropped) */
			lx->name_cut = !stop[*q];
			c = lx_get(lx);
			break;
		}
	}
	while (c != '>') { /* the rest, up to '>' (consumed), at most 64 KiB kept */
		if (!lx_fill(lx))
			return 0;
		const unsigned char *p = lx->buf + lx->pos, *end = lx->buf + lx->end;
		const unsigned char *gt = memchr(p, '>', (size_t)(end - p)), *to = gt ? gt : end;
		for (const unsigned char *q = p; (q = memchr(q, '\n', (size_t)(to - q))) != NULL;
		     q++)
			lx->line++;
		size_t keep = (size_t)(to - p), room = 65536 - attrs->len;
		mie_buf_add(attrs, p, keep < room ? keep : room);
		lx->pos = (size_t)(to - lx->buf);
		if (gt) {
			lx->pos++;
			c = '>';
		}
	}
	return 1;
}

/* Reads a value up to "</name>" (consumed); the raw bytes are appended to
 * out (the row so far).  Returns 1, 0 at end of input (cut value, or a row
 * over SD_MAX_ROW), -1 when the row's own closing tag "</row>" comes first
 * (the value is then what came before it). */
static int lx_value(lexer *lx, const char *name, size_t nl, const char *row, size_t rl,
                    mie_buf *out)
{
	size_t from = out->len;
	for (;;) {
		if (!lx_fill(lx))
			return 0;
		/* copy up to and including the next '>' in one go */
		const unsigned char *p = lx->buf + lx->pos, *end = lx->buf + lx->end;
		const unsigned char *gt = memchr(p, '>', (size_t)(end - p));
		size_t k = gt ? (size_t)(gt - p) + 1 : (size_t)(end - p);
		for (const unsigned char *q = p; (q = memchr(q, '\n', (size_t)(p + k - q))) != NULL;
		     q++)
			lx->line++;
		mie_buf_add(out, p, k);
		lx->pos += k;
		if ((out->len - from > SD_MAX_VALUE || out->len > SD_MAX_ROW) &&
		    out->len - from > SD_VALUE_TAIL) {
			/* too large: only the tail is kept, to find the end tag */
			memmove(out->data + from, out->data + out->len - SD_VALUE_TAIL,
			        SD_VALUE_TAIL);
			mie_buf_setlen(out, from + SD_VALUE_TAIL);
			if (!lx->huge)
				snprintf(lx->huge_col, sizeof lx->huge_col, "%.*s",
				         (int)(nl < 63 ? nl : 63), name);
			lx->huge = 1;
		}
		if (!gt)
			continue;
		if (out->len - from >= nl + 3 &&
		    memcmp(out->data + out->len - nl - 3, "</", 2) == 0 &&
		    memcmp(out->data + out->len - nl - 1, name, nl) == 0) {
			mie_buf_setlen(out, out->len - nl - 3);
			return 1;
		}
		if (out->len - from >= rl + 3 &&
		    memcmp(out->data + out->len - rl - 3, "</", 2) == 0 &&
		    memcmp(out->data + out->len - rl - 1, row, rl) == 0) {
			mie_buf_setlen(out, out->len - rl - 3);
			return -1;
		}
	}
}

/* SPIP's escaping undone in b's bytes from offset `from` on: &lt; and
 * &amp; (other entities are content). */
static void unescape(mie_buf *b, size_t from)
{
	char *d = b->data;
	const char *amp = memchr(d + from, '&', b->len - from);
	if (!amp)
		return;
	size_t i = (size_t)(amp - d), j = i;
	while (i < b->len) { /* d[i] is '&' */
		if (i + 3 < b->len && memcmp(d + i, "&lt;", 4) == 0) {
			d[j++] = '<';
			i += 4;
		} else if (i + 4 < b->len && memcmp(d + i, "&amp;", 5) == 0) {
			d[j++] = '&';
			i += 5;
		} else {
			d[j++] = d[i++];
		}
		const char *next = memchr(d + i, '&', b->len - i);
		size_t run = (next ? (size_t)(next - d) : b->len) - i;
		memmove(d + j, d + i, run);
		i += run;
		j += run;
	}
	mie_buf_setlen(b, j);
}

/* True when a column's name (n bytes) is not one SPIP writes (letters,
 * digits, '_', '-'): "pass/", "spip:pass", "pass\v", "pa\0ss". */
static int odd_name(const char *name, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return 1;
	}
	return n == 0;
}

/* True when a raw value holds a tag: SPIP escapes every '<' of a value,
 * so "<x" or "</x" there is a damaged tag ("</url_site >", "</LOGIN>",
 * "</auteur" without '>') that let this value run on over the columns
 * after it: where the column ends is in doubt. */
static int tag_inside(const char *v, size_t n)
{
	for (const char *p = v; (p = memchr(p, '<', n - (size_t)(p - v))) != NULL; p++) {
		if ((size_t)(p - v) + 1 >= n)
			break;
		char c = p[1] == '/' && (size_t)(p - v) + 2 < n ? p[2] : p[1];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
			return 1;
	}
	return 0;
}

/* Reads one row's columns after its start tag (the row begun in d).
 * Returns 1 (row complete), 0 (the input ended inside it). */
static int read_row(lexer *lx, mie_spipdump *d)
{
	mie_buf name = MIE_BUF_INIT, attrs = MIE_BUF_INIT;
	sd_row *cols = d->row;
	mie_buf *b = &cols->bytes;
	const char *table = d->table.data;
	size_t tlen = d->table.len;
	int done = 0;
	while (!done) {
		if (!lx_to_tag(lx) || !lx_tag(lx, &name, &attrs))
			break;
		cols->overlong |= lx->name_cut;
		if (name.data[0] == '/') { /* </table>: end of the row */
			done = strcmp(name.data + 1, table) == 0 ? 1 : 0;
			if (!done)
				continue;
			break;
		}
		/* the value is read in place, after its name and its length */
		size_t nm = sd_row_put(cols, name.data, name.len);
		uint32_t len = 0;
		mie_buf_add(b, &len, sizeof len);
		size_t at = b->len;
		int st = lx_value(lx, name.data, name.len, table, tlen, b);
		if (st == 0)
			break;
		if (!cols->damaged &&
		    (odd_name(name.data, name.len) || tag_inside(b->data + at, b->len - at))) {
			cols->damaged = 1;
			cols->damaged_col = nm;
		}
		unescape(b, at);
		sd_col_end(d, nm, at);
		if (st < 0)
			done = 1;
	}
	mie_buf_release(&name);
	mie_buf_release(&attrs);
	return done;
}

static void root_attrs(mie_spipdump *d, const char *attrs)
{
	const char *a = strstr(attrs, "adresse_site=\"");
	if (a) {
		a += 14;
		mie_spipdump_declare_site(d, a, strcspn(a, "\""));
	}
}

static void declared_charset(mie_spipdump *d, lexer *lx, const char *attrs, int bom)
{
	const char *e = strstr(attrs, "encoding=");
	char cs[40] = "iso-8859-1"; /* old archives without an encoding */
	if (e) {
		e += 9;
		if (*e == '"' || *e == '\'')
			e++;
		size_t n = strcspn(e, "\"'");
		snprintf(cs, sizeof cs, "%.*s", (int)(n < 39 ? n : 39), e);
	}
	if (bom && strcasecmp(cs, "utf-8") != 0)
		mie_warn_at(lx->where,
		            "UTF-8 byte order mark, but encoding \"%s\" declared: read as UTF-8",
		            cs);
	mie_spipdump_declare_charset(d, bom ? "utf-8" : cs);
	snprintf(lx->charset, sizeof lx->charset, "%s", bom ? "utf-8" : cs);
}

/* Keeps the bytes of a row (or tag) an input ended inside, with where it
 * starts, for the next input. */
static void keep_carry(mie_spipdump *d, const mie_buf *tape, const mie_loc *at)
{
	mie_buf_reset(&d->carry);
	mie_buf_add(&d->carry, tape->data, tape->len);
	char *file = at->file ? mie_xstrdup(at->file) : NULL;
	char *member = at->member ? mie_xstrdup(at->member) : NULL;
	free(d->carry_file);
	free(d->carry_member);
	d->carry_file = file;
	d->carry_member = member;
	d->carry_line = at->line;
}

/* A carried row that no input completed: rejected, as cut (a cut header
 * or closing tag loses nothing and is dropped quietly). */
static void drop_carry(mie_import *ctx, mie_spipdump *d)
{
	if (!d->carry.len)
		return;
	mie_buf table = MIE_BUF_INIT;
	mie_buf_add(&table, d->carry.data + 1, strcspn(d->carry.data + 1, "> \t\r\n"));
	mie_loc at = {d->carry_file, d->carry_member, d->carry_line};
	if (table.len && !strchr("?!/", table.data[0]) && strcmp(table.data, "SPIP") != 0)
		mie_spipdump_reject_cut(ctx, d, table.data, &at);
	mie_buf_release(&table);
	mie_buf_reset(&d->carry);
}

extern const mie_source mie_source_spipdump;

static int spip_read(mie_import *ctx, mie_input *in, const mie_loc *where)
{
	mie_spipdump *d = mie_spipdump_of(ctx, &mie_source_spipdump);
	lexer lx = {.in = in, .where = where, .line = 1, .tape = MIE_BUF_INIT};
	size_t n = 5;
	const unsigned char *head = mie_input_peek(in, &n);
	int bom = n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0;
	int fresh =
	        bom || (n == 5 && (memcmp(head, "<?xml", 5) == 0 || memcmp(head, "<SPIP", 5) == 0));
	if (n >= 2 &&
	    ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF) ||
	     (head[0] == '<' && head[1] == 0) || (head[0] == 0 && head[1] == '<'))) {
		/* the lexer reads bytes of an ASCII-based charset: UTF-16 would
		 * give no row at all, silently */
		mie_error_at(where, "UTF-16 text, not a SPIP dump's encoding: not read (convert it "
		                    "to UTF-8 first)");
		return 0;
	}
	mie_buf carried = MIE_BUF_INIT; /* the carry, alive while lx.pre reads it */
	mie_loc carry_at = {NULL, NULL, 0};
	if (d->carry.len && fresh) {
		drop_carry(ctx, d); /* a new dump starts: the cut row stays cut */
	} else if (d->carry.len) {
		carried = d->carry;
		mie_buf_init(&d->carry);
		lx.pre = mie_input_open_memory(carried.data, carried.len, where->file);
		carry_at = (mie_loc){d->carry_file, d->carry_member, d->carry_line};
	}
	mie_buf name = MIE_BUF_INIT, attrs = MIE_BUF_INIT;
	int rc = 0;
	while (lx_to_tag(&lx)) {
		int from_carry = lx.pre != NULL;
		long line = lx.line;
		lx_record(&lx);
		if (!lx_tag(&lx, &name, &attrs)) { /* cut inside a tag: carried too */
			mie_loc at =
			        from_carry ? carry_at : (mie_loc){where->file, where->member, line};
			keep_carry(d, &lx.tape, &at);
			break;
		}
		if (name.data[0] == '?' || name.data[0] == '!' || name.data[0] == '/' ||
		    strcmp(name.data, "SPIP") == 0)
			lx.recording = 0;
		if (name.data[0] == '?') {
			if (strcmp(name.data, "?xml") == 0)
				declared_charset(d, &lx, attrs.data, bom);
			continue;
		}
		if (name.data[0] == '!')
			continue;
		if (strcmp(name.data, "SPIP") == 0) {
			if (!d->ended)
				mie_spipdump_set_unfinished(
				        d,
				        "the dump ends without </SPIP>: it was cut; every complete "
				        "row before the cut is imported");
			root_attrs(d, attrs.data);
			continue;
		}
		if (strcmp(name.data, "/SPIP") == 0) {
			d->ended = 1;
			mie_spipdump_set_unfinished(d, NULL);
			continue;
		}
		if (name.data[0] == '/')
			continue;
		if (!name.len || memchr(name.data, '\0', name.len)) {
			lx.recording = 0; /* "<" then a NUL, '>' or a space: no table, not a row */
			continue;
		}
		if (!d->charset)
			mie_spipdump_declare_charset(d, bom ? "utf-8" : "iso-8859-1");
		mie_spipdump_row_begin(d, name.data);
		mie_loc at = *where;
		at.line = line;
		if (from_carry)
			at = carry_at;
		lx.huge = 0;
		int complete = read_row(&lx, d);
		lx.recording = 0;
		if (lx.huge) {
			mie_buf why = MIE_BUF_INIT;
			mie_buf_addf(&why, "column %s: a value over %zu MiB%s: row not imported",
			             lx.huge_col, SD_MAX_VALUE >> 20,
			             complete ? "" : ", and the input ends inside it");
			mie_import_reject(ctx, d->source, d->table.data, &at, NULL, NULL, why.data);
			mie_buf_release(&why);
		} else if (!complete) {
			/* the input ends inside this row: carried to the next
			 * input, rejected at the end if none completes it */
			keep_carry(d, &lx.tape, &at);
		} else if (d->row->overlong) {
			/* its value's end tag cannot be matched: the value ran on
			 * over the columns after it */
			sd_reject_damaged(ctx, d, &at,
			                  "a column name longer than 256 bytes: row not imported");
		} else if (d->row->damaged) {
			uint32_t cn;
			const char *col = d->row->bytes.data + d->row->damaged_col;
			memcpy(&cn, col - sizeof cn, sizeof cn);
			char *shown = mie_rec_escape_bytes(col, cn < 64 ? cn : 64);
			mie_buf why = MIE_BUF_INIT;
			mie_buf_addf(&why,
			             "a damaged tag at column \"%s\": where its value ends is in "
			             "doubt, row rejected whole (no value kept)",
			             shown);
			sd_reject_damaged(ctx, d, &at, why.data);
			mie_buf_release(&why);
			free(shown);
		} else if (mie_spipdump_row_end(ctx, d, &at,
		                                from_carry || !lx.charset[0] ? NULL : lx.charset,
		                                0) < 0) {
			rc = -1;
		}
		d->has_rows = 1;
		if (rc < 0)
			break;
	}
	mie_input_free(lx.pre);
	mie_buf_release(&lx.tape);
	mie_buf_release(&carried);
	mie_buf_release(&name);
	mie_buf_release(&attrs);
	return rc;
}

static int spip_finish(mie_import *ctx)
{
	mie_spipdump *d = ctx->state[mie_import_source_index(&mie_source_spipdump)];
	if (!d || !d->has_rows)
		return 0;
	drop_carry(ctx, d);
	return mie_spipdump_finish(ctx, d);
}

static void spip_release(mie_import *ctx)
{
	mie_spipdump_release(ctx, &mie_source_spipdump);
}

static int spip_sniff(const unsigned char *head, size_t n, const char *name)
{
	size_t lim = n < 2048 ? n : 2048;
	return memmem(head, lim, "<SPIP", 5) || memmem(head, lim, "<spip_", 6) ? 90 : 0;
}

const mie_source mie_source_spipdump = {"spip-dump", "SPIP 1.9 XML database dumps (dump.xml, .gz)",
                                        spip_sniff,  spip_read,
                                        spip_finish, spip_release};
