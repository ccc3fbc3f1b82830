/* mie_sql_lex.c — the SQL dump lexer (see mie_sql.h).
 *
 * The input's blocks are copied into a window (w[pos..len)) so that a few
 * bytes can always be looked at ahead (a versioned comment's opening, "-- ") across block ends;
 * string literals, the bulk of a dump, are scanned a run at a time up to
 * the next quote, backslash or newline. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mie_simd.h"
#include "import/mie_sql.h"
#include "text/mie_text.h"

#define MAX_WORD 1024 /* identifiers and words kept; longer ones are cut */
#define MAX_VARS 16   /* user variables (@saved_cs_client...) remembered */

enum { T_EOF = 0, T_WORD, T_QIDENT, T_STRING, T_NUMBER, T_PUNCT };

struct mie_sql {
	mie_input *in;
	const mie_loc *where;
	mie_sql_schema *schema;
	mie_buf w; /* the window */
	size_t pos;
	size_t base; /* bytes dropped from the window's front so far */
	int eof, failed;
	long line;
	int vdepth;       /* versioned comments open */
	int no_backslash; /* sql_mode NO_BACKSLASH_ESCAPES */
	char client[24];  /* client charset */
	int client_class; /* its MIE_SQL_CS_* */
	int client_said;  /* a SET NAMES or character_set_client was read */
	struct {
		char name[64], value[128];
	} vars[MAX_VARS];
	char sql_mode[128];
	int tool_header, completed, cut;
	mie_sql_say_fn say; /* NULL: warnings printed (mie_sql_say) */
	void *say_ctx;
	/* the statement being read */
	long stmt_line;
	size_t stmt_off;
	mie_buf word; /* the last word, identifier or kept string */
	int punct;
	/* an INSERT's state */
	int in_insert, over;
	long row_index;
	char table[256];
	mie_buf names;     /* NUL-separated column names of the statement's list */
	size_t nlisted;    /* names in it (0: no column list) */
	const char **name; /* per column, into names or the schema (owned array) */
	size_t *name_len;  /* per column, strlen of its name */
	const mie_sql_column **decl;
	int *cls;             /* per column, its charset's MIE_SQL_CS_* */
	int *conv;            /* per column, the CONV_* of a literal without introducer */
	const char **conv_cs; /* per column, the charset of its bytes then */
	size_t ncols, capcols;
	mie_buf vals; /* the row's values, each NUL-terminated */
	mie_sql_value *v;
	size_t nv, capv;
	size_t *voff; /* offsets of the values in vals */
	mie_buf why;
};

/* ---- the schema ---- */

void mie_sql_schema_init(mie_sql_schema *s)
{
	memset(s, 0, sizeof *s);
}

static void table_release(mie_sql_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->c[i].name);
	free(t->c);
	free(t->name);
	memset(t, 0, sizeof *t);
}

void mie_sql_schema_release(mie_sql_schema *s)
{
	for (size_t i = 0; i < s->n; i++)
		table_release(&s->t[i]);
	free(s->t);
	memset(s, 0, sizeof *s);
}

const mie_sql_table *mie_sql_schema_find(const mie_sql_schema *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcasecmp(s->t[i].name, name) == 0)
			return &s->t[i];
	return NULL;
}

/* ---- bytes ---- */

/* Makes at least `need` bytes available at pos unless the input ends;
 * returns how many are. */
static size_t fill(mie_sql *s, size_t need)
{
	while (s->w.len - s->pos < need && !s->eof) {
		if (s->pos) {
			memmove(s->w.data, s->w.data + s->pos, s->w.len - s->pos);
			mie_buf_setlen(&s->w, s->w.len - s->pos);
			s->base += s->pos;
			s->pos = 0;
		}
		size_t n = 0;
		const unsigned char *p = mie_input_next(s->in, &n);
		if (!p) {
			s->eof = 1;
			s->failed = mie_input_failed(s->in);
			break;
		}
		mie_buf_add(&s->w, p, n);
	}
	return s->w.len - s->pos;
}

static int peek_at(mie_sql *s, size_t k)
{
	if (s->w.len - s->pos <= k && fill(s, k + 1) <= k)
		return -1;
	return (unsigned char)s->w.data[s->pos + k];
}

static int peek(mie_sql *s)
{
	return peek_at(s, 0);
}

static void adv(mie_sql *s)
{
	if (s->w.data[s->pos++] == '\n')
		s->line++;
}

static size_t offset(const mie_sql *s)
{
	return s->base + s->pos;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_ident(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$' || c >= 0x80;
}

static void warn(mie_sql *s, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warn(mie_sql *s, long line, const char *fmt, ...)
{
	mie_loc at = *s->where;
	at.line = line;
	va_list ap;
	va_start(ap, fmt);
	mie_buf msg = MIE_BUF_INIT;
	mie_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (s->say)
		s->say(s->say_ctx, &at, msg.data);
	else
		mie_sql_say(&at, msg.data);
	mie_buf_release(&msg);
}

/* The one place a lexer's warning is printed: one call site, so that a
 * flood of them is held back as one (mie_err.h), from whichever thread
 * prints it. */
void mie_sql_say(const mie_loc *at, const char *text)
{
	mie_warn_at(at, "%s", text);
	mie_status_raise(MIE_EXIT_DATA);
}

void mie_sql_set_say(mie_sql *s, mie_sql_say_fn say, void *ctx)
{
	s->say = say;
	s->say_ctx = ctx;
}

/* ---- comments and blanks ---- */

/* A "-- " or "#" comment, to the end of its line; the first bytes of a
 * "--" comment tell the tool that wrote the dump. */
static void line_comment(mie_sql *s, int dashes)
{
	char head[40];
	size_t k = 0;
	for (int c; (c = peek(s)) >= 0 && c != '\n'; adv(s))
		if (k < sizeof head - 1)
			head[k++] = (char)c;
	head[k] = '\0';
	if (!dashes)
		return;
	const char *h = head + 2 + strspn(head + 2, " ");
	if (strncmp(h, "MySQL dump", 10) == 0 || strncmp(h, "MariaDB dump", 12) == 0)
		s->tool_header = 1;
	else if (strncmp(h, "Dump completed", 14) == 0)
		s->completed = 1;
	else if (strncmp(h, "phpMyAdmin SQL Dump", 19) == 0 && !s->client_said)
		/* phpMyAdmin exports in UTF-8 since 2.6 (MySQL 4.1), and its
		 * old exports say no SET NAMES */
		mie_sql_set_client_charset(s, "utf8");
}

/* A block comment from its opening on; MySQL ends it at the first star-slash,
 * nested or not. */
static void block_comment(mie_sql *s)
{
	long from = s->line;
	int nested = 0;
	adv(s);
	adv(s);
	for (;;) {
		int c = peek(s);
		if (c < 0) {
			warn(s, from, "a comment begun here is not closed at the end of the input");
			s->cut = 1;
			return;
		}
		if (c == '*' && peek_at(s, 1) == '/') {
			adv(s);
			adv(s);
			return;
		}
		if (c == '/' && peek_at(s, 1) == '*' && !nested) {
			nested = 1;
			warn(s, s->line,
			     "\"/*\" inside a comment: SQL comments do not nest, this one ends at "
			     "the first \"*/\"");
		}
		adv(s);
	}
}

/* Skips blanks and comments; returns the next byte (not consumed), or -1
 * at the end of the input. */
static int skip_blank(mie_sql *s)
{
	for (;;) {
		if (s->pos == s->w.len && !fill(s, 1))
			return -1;
		int c = (unsigned char)s->w.data[s->pos];
		if (is_space(c)) {
			adv(s);
			continue;
		}
		if (c == '#') {
			line_comment(s, 0);
			continue;
		}
		if (c == '-' && peek_at(s, 1) == '-') {
			int d = peek_at(s, 2);
			if (d < 0 || d <= ' ') {
				line_comment(s, 1);
				continue;
			}
		}
		if (c == '/' && peek_at(s, 1) == '*') {
			int d = peek_at(s, 2);
			size_t k = d == '!' ? 3 : d == 'M' && peek_at(s, 3) == '!' ? 4 : 0;
			if (!k) {
				block_comment(s);
				continue;
			}
			/* a versioned comment: its SQL is read as such */
			while (k && k--)
				adv(s);
			while ((d = peek(s)) >= '0' && d <= '9')
				adv(s);
			if (d == '\\') { /* a client command (MariaDB's sandbox mode) */
				for (; (d = peek(s)) >= 0; adv(s))
					if (d == '*' && peek_at(s, 1) == '/') {
						adv(s);
						adv(s);
						break;
					}
				continue;
			}
			s->vdepth++;
			continue;
		}
		if (c == '*' && s->vdepth && peek_at(s, 1) == '/') {
			adv(s);
			adv(s);
			s->vdepth--;
			continue;
		}
		return c;
	}
}

/* skip_blank, without the call when the next byte is plainly not blank
 * (the ',' and ')' between values). */
static inline int next_byte(mie_sql *s)
{
	if (s->pos < s->w.len) {
		int c = (unsigned char)s->w.data[s->pos];
		if (c == ',' || c == ')' || c == '(' || c == '\'')
			return c;
	}
	return skip_blank(s);
}

/* ---- tokens ---- */

/* What read_string does to the bytes above 0x7F: nothing, or the
 * conversion the server made from the literal's charset to the column's. */
enum { CONV_NONE = 0, CONV_TO_LATIN1, CONV_TO_UTF8 };

/* Converts the character at pos (its first byte above 0x7F) and consumes
 * it.  To latin1: UTF-8 to MySQL's latin1 (windows-1252 with its five
 * undefined bytes kept), a character latin1 lacks as '?' (as the server
 * stores it), a byte that is not UTF-8 as itself; to UTF-8: each byte as
 * its windows-1252 character. */
static void convert_char(mie_sql *s, mie_buf *out, size_t cap, int conv)
{
	unsigned c = (unsigned char)s->w.data[s->pos];
	unsigned char b[4];
	size_t n = 1, used = 1;
	if (conv == CONV_TO_UTF8) {
		uint32_t cp = mie_cp1252_to_ucs((unsigned char)c);
		if (cp < 0x800) {
			b[0] = (unsigned char)(0xC0 | cp >> 6);
			b[1] = (unsigned char)(0x80 | (cp & 0x3F));
			n = 2;
		} else {
			b[0] = (unsigned char)(0xE0 | cp >> 12);
			b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
			b[2] = (unsigned char)(0x80 | (cp & 0x3F));
			n = 3;
		}
	} else {
		size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
		uint32_t cp = len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
		int ok = len && peek_at(s, len - 1) >= 0;
		for (size_t k = 1; ok && k < len; k++) {
			unsigned d = (unsigned char)s->w.data[s->pos + k];
			ok = (d & 0xC0) == 0x80;
			cp = cp << 6 | (d & 0x3F);
		}
		b[0] = (unsigned char)c;
		if (ok) {
			/* U+0080-U+009F come back as themselves: mysqldump writes
			 * none for a latin1 column, whose 0x80-0x9F are
			 * windows-1252's */
			int x = cp < 0x100 ? (int)cp : mie_cp1252_from_ucs(cp);
			b[0] = (unsigned char)(x < 0 ? '?' : x);
			used = len;
		}
	}
	s->pos += used; /* bytes above 0x7F: no newline among them */
	if (out && out->len < cap)
		mie_buf_add(out, b, n);
}

/* The common characters of a latin1 column dumped through UTF-8, turned
 * back into their byte at *o: U+0080-U+00FF (themselves: mysqldump writes
 * no U+0080-U+009F for a latin1 column, whose 0x80-0x9F are
 * windows-1252's) and the windows-1252 characters of 3 bytes (’ € …).
 * Returns the bytes used (r[0] is above 0x7F, e ends the bytes at hand), or
 * 0 for anything else (convert_char's). */
static inline size_t to_latin1(const unsigned char *r, const unsigned char *e, unsigned char *o)
{
	unsigned c = r[0];
	if ((c & 0xFE) == 0xC2 && e - r >= 2 && (r[1] & 0xC0) == 0x80) {
		*o = (unsigned char)(c << 6 | (r[1] & 0x3F));
		return 2;
	}
	if ((c & 0xF0) == 0xE0 && e - r >= 3 && (r[1] & 0xC0) == 0x80 && (r[2] & 0xC0) == 0x80) {
		uint32_t cp = (c & 0x0F) << 12 | (uint32_t)(r[1] & 0x3F) << 6 | (r[2] & 0x3F);
		int x = cp == 0x2019 ? 0x92 : mie_cp1252_from_ucs(cp); /* ’, the commonest */
		if (x < 0x80)
			return 0; /* a character latin1 lacks ('?') or an overlong form */
		*o = (unsigned char)x;
		return 3;
	}
	return 0;
}

/* The bulk of a string literal: copies (converting to latin1 the
 * characters U+0080-U+00FF, the usual accented letters, when conv says
 * so) from p on into out, which has room for e - p bytes, up to the first
 * byte of stop, or the first other byte above 0x7F to convert; returns
 * where it stopped.  q is the quote, bs the backslash (0 under
 * NO_BACKSLASH_ESCAPES): the bytes stop holds besides the newline. */
static const unsigned char *scan_run(mie_buf *out, const unsigned char *p, const unsigned char *e,
                                     const unsigned char *stop, int q, int bs, int conv)
{
	mie_buf_grow(out, (size_t)(e - p));
	unsigned char *o = (unsigned char *)out->data + out->len;
	const unsigned char *r = p;
#if MIE_SIMD
	/* 16 bytes a step up to the next byte to look at (o never passes
	 * the room of e - p bytes: the output is never longer than the input) */
	const mie_v16 vq = mie_v16_splat((unsigned char)q), vn = mie_v16_splat('\n');
	const mie_v16 vb = mie_v16_splat(bs ? (unsigned char)bs : (unsigned char)'\n');
	while (e - r >= 16) {
		mie_v16 v = mie_v16_load(r);
		unsigned m = mie_v16_mask(mie_v16_or(
		        mie_v16_or(mie_v16_eq(v, vq), mie_v16_eq(v, vn)), mie_v16_eq(v, vb)));
		if (conv != CONV_NONE)
			m |= mie_v16_mask(v);
		mie_v16_store(o, v);
		if (!m) {
			o += 16;
			r += 16;
			continue;
		}
		unsigned k = (unsigned)__builtin_ctz(m);
		o += k;
		r += k;
		size_t used = conv == CONV_TO_LATIN1 ? to_latin1(r, e, o) : 0;
		if (used) {
			/* and the ones right after it ("Ã©" is two) */
			do {
				o++;
				r += used;
			} while (r < e && *r >= 0x80 && (used = to_latin1(r, e, o)) != 0);
			continue;
		}
		out->len = (size_t)(o - (unsigned char *)out->data);
		out->data[out->len] = '\0';
		return r;
	}
#endif
	if (conv == CONV_NONE) {
		while (r < e && !stop[*r])
			*o++ = *r++;
	} else {
		while (r < e) {
			unsigned c = *r;
			if (c < 0x80) {
				if (stop[c])
					break;
				*o++ = (unsigned char)c;
				r++;
				continue;
			}
			size_t used = conv == CONV_TO_LATIN1 ? to_latin1(r, e, o) : 0;
			if (!used)
				break;
			o++;
			r += used;
		}
	}
	out->len = (size_t)(o - (unsigned char *)out->data);
	out->data[out->len] = '\0';
	return r;
}

/* Reads a string literal from its opening quote on, unescaped (and
 * converted, see CONV_*), into out (NULL: discarded; kept up to `cap`
 * bytes).  Returns 1, or 0 when the input ends inside it. */
static int read_string(mie_sql *s, mie_buf *out, size_t cap, int conv)
{
	static const unsigned char stop_sq[256] = {['\''] = 1, ['\\'] = 1, ['\n'] = 1};
	static const unsigned char stop_dq[256] = {['"'] = 1, ['\\'] = 1, ['\n'] = 1};
	static const unsigned char stop_sq_nb[256] = {['\''] = 1, ['\n'] = 1};
	static const unsigned char stop_dq_nb[256] = {['"'] = 1, ['\n'] = 1};
	int q = (unsigned char)s->w.data[s->pos];
	const unsigned char *stop = q == '\'' ? (s->no_backslash ? stop_sq_nb : stop_sq)
	                                      : (s->no_backslash ? stop_dq_nb : stop_dq);
	unsigned hi = conv != CONV_NONE; /* stop at bytes above 0x7F too */
	adv(s);
	for (;;) {
		if (s->pos == s->w.len && !fill(s, 1))
			return 0;
		const unsigned char *p = (const unsigned char *)s->w.data + s->pos;
		const unsigned char *e = (const unsigned char *)s->w.data + s->w.len, *r = p;
		if (out && cap - out->len >= (size_t)(e - p) && out->len <= cap) {
			r = scan_run(out, p, e, stop, q, s->no_backslash ? 0 : '\\', conv);
		} else { /* near the bound, or discarded: the plain way */
			while (r < e && !(stop[*r] | ((unsigned)*r >> 7 & hi)))
				r++;
			if (out && r > p) {
				size_t n = (size_t)(r - p);
				if (out->len < cap)
					mie_buf_add(out, p,
					            n < cap - out->len ? n : cap - out->len);
			}
		}
		s->pos += (size_t)(r - p);
		if (r == e)
			continue;
		int c = *r;
		if (c >= 0x80) {
			convert_char(s, out, cap, conv);
			continue;
		}
		if (c == '\n') {
			adv(s);
			if (out && out->len < cap)
				mie_buf_addc(out, '\n');
			continue;
		}
		if (c == q) {
			adv(s);
			if (peek(s) != q)
				return 1;
			adv(s); /* a doubled quote */
			if (out && out->len < cap)
				mie_buf_addc(out, q);
			continue;
		}
		adv(s); /* the backslash */
		int d = peek(s);
		if (d < 0)
			return 0;
		adv(s);
		char esc[2] = {0, 0};
		size_t n = 1;
		switch (d) {
		case '0': esc[0] = '\0'; break;
		case 'b': esc[0] = '\b'; break;
		case 'n': esc[0] = '\n'; break;
		case 'r': esc[0] = '\r'; break;
		case 't': esc[0] = '\t'; break;
		case 'Z': esc[0] = 0x1A; break;
		case '%':
		case '_': /* kept with their backslash (they are LIKE's) */
			esc[0] = '\\';
			esc[1] = (char)d;
			n = 2;
			break;
		default: esc[0] = (char)d;
		}
		if (out && out->len < cap)
			mie_buf_add(out, esc, n);
	}
}

/* Reads a backquoted identifier from its backquote on into s->word. */
static int read_bq(mie_sql *s)
{
	adv(s);
	for (int c; (c = peek(s)) >= 0;) {
		adv(s);
		if (c == '`') {
			if (peek(s) != '`')
				return 1;
			adv(s);
		}
		if (s->word.len < MAX_WORD)
			mie_buf_addc(&s->word, c);
	}
	return 0;
}

/* The next token: words, identifiers and (when keep) strings in s->word
 * (reset first), punctuation in s->punct. */
static int tok(mie_sql *s, int keep)
{
	mie_buf_reset(&s->word);
	int c = skip_blank(s);
	if (c < 0)
		return T_EOF;
	if (c == '\'' || c == '"') {
		long from = s->line;
		if (!read_string(s, keep ? &s->word : NULL, MAX_WORD * 4, CONV_NONE)) {
			warn(s, from, "a string begun here is not closed at the end of the input");
			s->cut = 1;
			return T_EOF;
		}
		return T_STRING;
	}
	if (c == '`') {
		if (!read_bq(s)) {
			s->cut = 1;
			return T_EOF;
		}
		return T_QIDENT;
	}
	if (is_ident(c)) {
		int digit = c >= '0' && c <= '9';
		for (; (c = peek(s)) >= 0 && (is_ident(c) || (digit && c == '.')); adv(s))
			if (s->word.len < MAX_WORD)
				mie_buf_addc(&s->word, c);
		return digit ? T_NUMBER : T_WORD;
	}
	adv(s);
	s->punct = c;
	return T_PUNCT;
}

static int is_word(mie_sql *s, int t, const char *w)
{
	return t == T_WORD && strcasecmp(s->word.data, w) == 0;
}

/* Skips to the end of the statement (its ';' consumed).  Returns 0, or -1
 * when the input ends first. */
static int skip_statement(mie_sql *s)
{
	for (int t; (t = tok(s, 0)) != T_EOF;)
		if (t == T_PUNCT && s->punct == ';')
			return 0;
	return -1;
}

/* Skips to the ',' or ')' that ends a list element at this depth, or the
 * statement's ';'; returns that byte (consumed), or -1 at the end. */
static int skip_element(mie_sql *s)
{
	int depth = 0;
	for (int t; (t = tok(s, 0)) != T_EOF;) {
		if (t != T_PUNCT)
			continue;
		if (s->punct == '(')
			depth++;
		else if (s->punct == ')' && depth)
			depth--;
		else if ((s->punct == ',' || s->punct == ')') && !depth)
			return s->punct;
		else if (s->punct == ';')
			return ';';
	}
	return -1;
}

/* A name whose first token t was read: "db.t" is read as "t", into buf.
 * Returns 1, or 0 when t is no name. */
static int dotted_name(mie_sql *s, int t, char *buf, size_t cap)
{
	for (;;) {
		if (t != T_WORD && t != T_QIDENT)
			return 0;
		snprintf(buf, cap, "%s", s->word.data);
		if (skip_blank(s) != '.')
			return 1;
		adv(s);
		t = tok(s, 1);
	}
}

/* ---- charsets ---- */

void mie_sql_set_client_charset(mie_sql *s, const char *cs)
{
	snprintf(s->client, sizeof s->client, "%s", cs);
	for (char *p = s->client; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	s->client_class = mie_sql_charset_class(s->client);
}

int mie_sql_has_client_charset(const mie_sql *s)
{
	return s->client_said;
}

static char *var_slot(mie_sql *s, const char *name, int make)
{
	for (int i = 0; i < MAX_VARS; i++)
		if (s->vars[i].name[0] && strcasecmp(s->vars[i].name, name) == 0)
			return s->vars[i].value;
	for (int i = 0; make && i < MAX_VARS; i++)
		if (!s->vars[i].name[0]) {
			snprintf(s->vars[i].name, sizeof s->vars[i].name, "%s", name);
			return s->vars[i].value;
		}
	return NULL;
}

/* A variable's name after SET or '=': "@x", "@@x" or "x", with "session."
 * and the like dropped, into buf.  t is the first token, read. */
static int var_name(mie_sql *s, int t, char *buf, size_t cap)
{
	int at = 0;
	while (t == T_PUNCT && s->punct == '@' && at < 2) {
		at++;
		t = tok(s, 1);
	}
	if (t != T_WORD && t != T_QIDENT)
		return 0;
	snprintf(buf, cap, "%s%s", at == 1 ? "@" : "", s->word.data);
	while (skip_blank(s) == '.') { /* @@session.sql_mode */
		adv(s);
		if (tok(s, 1) != T_WORD)
			return 0;
		snprintf(buf, cap, "%s", s->word.data);
	}
	return 1;
}

static void set_sql_mode(mie_sql *s, const char *mode)
{
	snprintf(s->sql_mode, sizeof s->sql_mode, "%s", mode);
	s->no_backslash = strcasestr(mode, "NO_BACKSLASH_ESCAPES") != NULL;
}

/* SET a = b, ...: only what changes how the rows read (the client
 * charset, sql_mode) and the user variables that save them. */
static void read_set(mie_sql *s)
{
	for (;;) {
		char name[64], value[128] = "";
		int t = tok(s, 1);
		if (t == T_EOF)
			return;
		if (is_word(s, t, "NAMES") || is_word(s, t, "CHARACTER")) {
			if (is_word(s, t, "CHARACTER"))
				tok(s, 1); /* SET */
			t = tok(s, 1);
			if ((t == T_WORD || t == T_STRING || t == T_QIDENT) &&
			    strcasecmp(s->word.data, "DEFAULT") != 0) {
				mie_sql_set_client_charset(s, s->word.data);
				s->client_said = 1;
			}
		} else if (is_word(s, t, "SESSION") || is_word(s, t, "GLOBAL") ||
		           is_word(s, t, "LOCAL")) {
			continue;
		} else if (var_name(s, t, name, sizeof name)) {
			t = tok(s, 1);
			if (t == T_PUNCT && s->punct == ':')
				t = tok(s, 1);
			if (t != T_PUNCT || s->punct != '=') {
				if (skip_element(s) != ',')
					return;
				continue;
			}
			char from[64];
			t = tok(s, 1);
			if (t == T_PUNCT && s->punct == '@' && var_name(s, t, from, sizeof from)) {
				const char *v = from[0] == '@' ? var_slot(s, from + 1, 0)
				                : strcasecmp(from, "character_set_client") == 0
				                        ? s->client
				                : strcasecmp(from, "sql_mode") == 0 ? s->sql_mode
				                                                    : NULL;
				snprintf(value, sizeof value, "%s", v ? v : "");
			} else if (t == T_WORD || t == T_STRING || t == T_NUMBER) {
				snprintf(value, sizeof value, "%s", s->word.data);
			}
			if (name[0] == '@') {
				char *slot = var_slot(s, name + 1, 1);
				if (slot)
					snprintf(slot, 128, "%s", value);
			} else if (strcasecmp(name, "character_set_client") == 0 && value[0] &&
			           strcasecmp(value, "DEFAULT") != 0) {
				mie_sql_set_client_charset(s, value);
				s->client_said = 1;
			} else if (strcasecmp(name, "sql_mode") == 0) {
				set_sql_mode(s, value);
			}
		}
		int c = skip_element(s);
		if (c != ',')
			return;
	}
}

/* ---- CREATE TABLE ---- */

static enum mie_sql_type type_of(const char *w)
{
	static const char *const blobs[] = {"tinyblob", "blob",      "mediumblob", "longblob",
	                                    "binary",   "varbinary", "bit",        NULL};
	static const char *const texts[] = {
	        "char", "varchar", "tinytext", "text",  "mediumtext", "longtext", "enum",
	        "set",  "long",    "json",     "nchar", "nvarchar",   "national", NULL};
	for (int i = 0; blobs[i]; i++)
		if (strcasecmp(w, blobs[i]) == 0)
			return MIE_SQL_BLOB;
	for (int i = 0; texts[i]; i++)
		if (strcasecmp(w, texts[i]) == 0)
			return MIE_SQL_TEXT;
	return MIE_SQL_OTHER;
}

/* After CHARACTER SET / CHARSET / COLLATE (and an optional '='): the name,
 * into cs (a collation gives its charset: "latin1_swedish_ci"). */
static int charset_word(mie_sql *s, char *cs, size_t cap, int collation)
{
	int t = tok(s, 1);
	if (t == T_PUNCT && s->punct == '=')
		t = tok(s, 1);
	if (t != T_WORD && t != T_STRING && t != T_QIDENT)
		return t;
	size_t n = collation ? strcspn(s->word.data, "_") : s->word.len;
	if (!collation || !cs[0])
		snprintf(cs, cap, "%.*s", (int)n, s->word.data);
	for (char *p = cs; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return t;
}

/* The rest of a column definition after its type: CHARACTER SET,
 * COLLATE; returns the ',' or ')' ending it (or ';', -1). */
static int column_attrs(mie_sql *s, mie_sql_column *c)
{
	int depth = 0;
	for (int t; (t = tok(s, 1)) != T_EOF;) {
		if (t == T_PUNCT) {
			if (s->punct == '(')
				depth++;
			else if (s->punct == ')' && depth)
				depth--;
			else if ((s->punct == ',' || s->punct == ')') && !depth)
				return s->punct;
			else if (s->punct == ';')
				return ';';
			continue;
		}
		if (depth)
			continue;
		if (is_word(s, t, "CHARACTER")) {
			tok(s, 1); /* SET */
			charset_word(s, c->charset, sizeof c->charset, 0);
		} else if (is_word(s, t, "CHARSET")) {
			charset_word(s, c->charset, sizeof c->charset, 0);
		} else if (is_word(s, t, "COLLATE")) {
			charset_word(s, c->charset, sizeof c->charset, 1);
		}
	}
	return -1;
}

static void read_create_table(mie_sql *s)
{
	int t = tok(s, 1);
	if (is_word(s, t, "IF")) { /* IF NOT EXISTS */
		tok(s, 1);
		tok(s, 1);
		t = tok(s, 1);
	}
	char name[256];
	if (!dotted_name(s, t, name, sizeof name)) {
		if (skip_statement(s) < 0)
			s->cut = 1;
		return;
	}
	if (skip_blank(s) != '(') { /* CREATE TABLE t LIKE u, AS SELECT... */
		skip_statement(s);
		return;
	}
	adv(s);
	mie_sql_table tb = {mie_xstrdup(name), "", NULL, 0};
	size_t cap = 0;
	int end = 0;
	while (!end) {
		t = tok(s, 1);
		static const char *const keys[] = {"PRIMARY",  "KEY",     "INDEX",      "UNIQUE",
		                                   "FULLTEXT", "SPATIAL", "CONSTRAINT", "FOREIGN",
		                                   "CHECK",    "PERIOD",  NULL};
		int key = 0;
		for (int i = 0; t == T_WORD && keys[i]; i++)
			key |= is_word(s, t, keys[i]);
		int c;
		if (t == T_EOF) {
			c = -1;
		} else if (key || (t != T_WORD && t != T_QIDENT)) {
			c = t == T_PUNCT && (s->punct == ')' || s->punct == ',') ? s->punct
			                                                         : skip_element(s);
		} else {
			if (tb.n == cap) {
				cap = cap ? cap * 2 : 32;
				tb.c = mie_xrealloc(tb.c, cap * sizeof *tb.c);
			}
			mie_sql_column *col = &tb.c[tb.n++];
			memset(col, 0, sizeof *col);
			col->name = mie_xstrdup(s->word.data);
			t = tok(s, 1);
			if (t == T_WORD)
				col->type = type_of(s->word.data);
			c = t == T_PUNCT && (s->punct == ',' || s->punct == ')')
			            ? s->punct
			            : column_attrs(s, col);
		}
		if (c == ')')
			end = 1;
		else if (c != ',') {
			if (c < 0) {
				s->cut = 1;
				warn(s, s->stmt_line,
				     "CREATE TABLE %s: cut short by the end of the input", tb.name);
			}
			table_release(&tb);
			return; /* a damaged definition: not kept */
		}
	}
	/* table options, up to the ';' */
	for (;;) {
		t = tok(s, 1);
		if (t == T_EOF || (t == T_PUNCT && s->punct == ';'))
			break;
		if (is_word(s, t, "CHARACTER")) {
			tok(s, 1);
			t = charset_word(s, tb.charset, sizeof tb.charset, 0);
		} else if (is_word(s, t, "CHARSET")) {
			t = charset_word(s, tb.charset, sizeof tb.charset, 0);
		} else if (is_word(s, t, "COLLATE")) {
			t = charset_word(s, tb.charset, sizeof tb.charset, 1);
		}
		if (t == T_PUNCT && s->punct == ';')
			break;
	}
	for (size_t i = 0; i < tb.n; i++)
		if (tb.c[i].type == MIE_SQL_TEXT && !tb.c[i].charset[0])
			snprintf(tb.c[i].charset, sizeof tb.c[i].charset, "%s", tb.charset);
	mie_sql_schema *sc = s->schema;
	for (size_t i = 0; i < sc->n; i++)
		if (strcasecmp(sc->t[i].name, tb.name) == 0) {
			table_release(&sc->t[i]);
			sc->t[i] = tb;
			return;
		}
	sc->t = mie_xrealloc(sc->t, (sc->n + 1) * sizeof *sc->t);
	sc->t[sc->n++] = tb;
}

/* ---- INSERT ---- */

static void add_col(mie_sql *s, const char *name, const mie_sql_column *decl)
{
	if (s->ncols == s->capcols) {
		s->capcols = s->capcols ? s->capcols * 2 : 32;
		s->name = mie_xrealloc(s->name, s->capcols * sizeof *s->name);
		s->name_len = mie_xrealloc(s->name_len, s->capcols * sizeof *s->name_len);
		s->decl = mie_xrealloc(s->decl, s->capcols * sizeof *s->decl);
		s->cls = mie_xrealloc(s->cls, s->capcols * sizeof *s->cls);
		s->conv = mie_xrealloc(s->conv, s->capcols * sizeof *s->conv);
		s->conv_cs = mie_xrealloc(s->conv_cs, s->capcols * sizeof *s->conv_cs);
	}
	s->name[s->ncols] = name;
	s->name_len[s->ncols] = strlen(name);
	s->cls[s->ncols] = decl ? mie_sql_charset_class(decl->charset) : MIE_SQL_CS_AS_IS;
	s->decl[s->ncols++] = decl;
}

static const mie_sql_column *decl_of(const mie_sql_table *t, const char *name)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (strcasecmp(t->c[i].name, name) == 0)
			return &t->c[i];
	return NULL;
}

static int conversion_of(mie_sql *s, const char *lit, mie_sql_value *v);

/* INSERT / REPLACE up to VALUES; returns 1 when rows follow. */
static int read_insert(mie_sql *s, const char *verb)
{
	int t;
	for (;;) {
		t = tok(s, 1);
		if (is_word(s, t, "LOW_PRIORITY") || is_word(s, t, "DELAYED") ||
		    is_word(s, t, "HIGH_PRIORITY") || is_word(s, t, "IGNORE") ||
		    is_word(s, t, "INTO"))
			continue;
		break;
	}
	if (!dotted_name(s, t, s->table, sizeof s->table)) {
		warn(s, s->stmt_line, "%s without a table name: skipped", verb);
		return skip_statement(s), 0;
	}
	mie_buf_reset(&s->names);
	s->nlisted = 0;
	s->ncols = 0;
	if (skip_blank(s) == '(') {
		adv(s);
		for (;;) {
			t = tok(s, 1);
			if (t == T_PUNCT && s->punct == ')')
				break;
			if (t != T_WORD && t != T_QIDENT) {
				warn(s, s->stmt_line,
				     "%s INTO %s: column list not understood: skipped", verb,
				     s->table);
				return skip_statement(s), 0;
			}
			mie_buf_add(&s->names, s->word.data, s->word.len + 1);
			s->nlisted++;
			t = tok(s, 1);
			if (t == T_PUNCT && s->punct == ')')
				break;
			if (t != T_PUNCT || s->punct != ',') {
				warn(s, s->stmt_line,
				     "%s INTO %s: column list not understood: skipped", verb,
				     s->table);
				return skip_statement(s), 0;
			}
		}
	}
	t = tok(s, 1);
	if (!is_word(s, t, "VALUES") && !is_word(s, t, "VALUE")) {
		warn(s, s->stmt_line,
		     "%s INTO %s %s...: not read (mie-import reads rows given as VALUES, and "
		     "never runs SQL)",
		     verb, s->table, t == T_WORD ? s->word.data : "");
		return skip_statement(s), 0;
	}
	const mie_sql_table *tb = mie_sql_schema_find(s->schema, s->table);
	if (s->nlisted) {
		const char *n = s->names.data;
		for (size_t i = 0; i < s->nlisted; i++, n += strlen(n) + 1)
			add_col(s, n, decl_of(tb, n));
	} else if (tb) {
		for (size_t i = 0; i < tb->n; i++)
			add_col(s, tb->c[i].name, &tb->c[i]);
	}
	size_t nv = s->nv;
	for (s->nv = 0; s->nv < s->ncols; s->nv++) {
		mie_sql_value v = {0};
		s->conv[s->nv] = conversion_of(s, NULL, &v);
		s->conv_cs[s->nv] = v.charset;
	}
	s->nv = nv;
	s->in_insert = 1;
	s->row_index = 0;
	s->over = 0;
	return 1;
}

static int hexval(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

/* Hex digits (as MySQL: an odd count gets a leading 0) or bits, decoded,
 * replacing buf's bytes from `from` on.  Returns 0, or -1 on a bad digit. */
static int decode_digits(mie_buf *buf, size_t from, int bits)
{
	size_t n = buf->len - from;
	const char *d = buf->data + from;
	mie_buf out = MIE_BUF_INIT;
	if (bits) {
		size_t lead = (8 - n % 8) % 8;
		unsigned acc = 0;
		for (size_t i = 0; i < n + lead; i++) {
			int b = i < lead ? 0 : d[i - lead] - '0';
			if (b != 0 && b != 1)
				return mie_buf_release(&out), -1;
			acc = acc << 1 | (unsigned)b;
			if (i % 8 == 7) {
				mie_buf_addc(&out, (int)acc);
				acc = 0;
			}
		}
	} else {
		size_t i = 0;
		if (n % 2) {
			int h = hexval(d[0]);
			if (h < 0)
				return mie_buf_release(&out), -1;
			mie_buf_addc(&out, h);
			i = 1;
		}
		for (; i < n; i += 2) {
			int h = hexval(d[i]), l = hexval(d[i + 1]);
			if (h < 0 || l < 0)
				return mie_buf_release(&out), -1;
			mie_buf_addc(&out, h << 4 | l);
		}
	}
	mie_buf_setlen(buf, from);
	mie_buf_add(buf, out.data, out.len);
	mie_buf_release(&out);
	return 0;
}

static size_t room(const mie_sql *s)
{
	size_t used = offset(s) - s->stmt_off;
	return used < MIE_SQL_MAX_STATEMENT ? MIE_SQL_MAX_STATEMENT - used : 0;
}

int mie_sql_charset_class(const char *name)
{
	if (!name || !*name)
		return MIE_SQL_CS_AS_IS;
	if (strcasecmp(name, "latin1") == 0)
		return MIE_SQL_CS_LATIN1;
	if (strncasecmp(name, "utf8", 4) == 0)
		return MIE_SQL_CS_UTF8;
	return MIE_SQL_CS_AS_IS;
}

/* The conversion a string literal in charset lit (NULL: the client's)
 * undergoes into the column of the value being read; sets v->charset to
 * what the bytes will be in. */
static int conversion_of(mie_sql *s, const char *lit, mie_sql_value *v)
{
	int from = lit ? mie_sql_charset_class(lit) : s->client_class;
	v->charset = lit ? lit : s->client;
	const mie_sql_column *d = s->nv < s->ncols ? s->decl[s->nv] : NULL;
	if (!d || d->type != MIE_SQL_TEXT)
		return CONV_NONE;
	int to = s->cls[s->nv];
	if (from == to || from == MIE_SQL_CS_AS_IS || to == MIE_SQL_CS_AS_IS)
		return CONV_NONE;
	v->charset = d->charset;
	return to == MIE_SQL_CS_LATIN1 ? CONV_TO_LATIN1 : CONV_TO_UTF8;
}

/* conversion_of, for a literal without introducer as the statement's
 * columns have it (set by read_insert: the client charset changes only
 * between statements). */
static int conversion(mie_sql *s, const char *lit, mie_sql_value *v)
{
	if (lit || s->nv >= s->ncols)
		return conversion_of(s, lit, v);
	v->charset = s->conv_cs[s->nv];
	return s->conv[s->nv];
}

/* One value of a row into s->vals; returns 1, 0 on a value that is no
 * literal (s->why says why), -1 when the input ends inside it.  lit: the
 * charset an introducer gave (NULL: none). */
static int read_value(mie_sql *s, mie_sql_value *v, const char *lit)
{
	int c = next_byte(s);
	size_t from = s->vals.len;
	*v = (mie_sql_value){NULL, 0, MIE_SQL_STRING, s->client, NULL};
	if (c < 0)
		return -1;
	if (c == '\'' || c == '"') {
		long begun = s->line;
		int conv = conversion(s, lit, v);
		do {
			size_t cap = s->vals.len + room(s);
			if (!read_string(s, &s->vals, cap, conv)) {
				mie_buf_addf(&s->why,
				             "a string begun on line %ld is not closed at "
				             "the end of the input",
				             begun);
				return -1;
			}
			if (!room(s))
				s->over = 1;
		} while ((c = next_byte(s)) == '\'' || c == '"');
		return 1;
	}
	int sign = 0;
	if (c == '-' || c == '+') {
		sign = c;
		adv(s);
		c = skip_blank(s);
	}
	if (c < 0)
		return -1;
	if (!is_ident(c) && c != '.') {
		mie_buf_addf(&s->why, "'%c' where a value was expected", c);
		return 0;
	}
	int digit = (c >= '0' && c <= '9') || c == '.';
	if (digit) { /* a number, or a hex or bit one: read a run at a time */
		if (sign == '-')
			mie_buf_addc(&s->vals, '-');
		size_t start = s->vals.len;
		for (;;) {
			if (s->pos == s->w.len && !fill(s, 1))
				break;
			const char *p = s->w.data + s->pos, *e = s->w.data + s->w.len, *r = p;
			for (; r < e; r++) {
				int k = (unsigned char)*r;
				if ((unsigned)(k - '0') < 10 || is_ident(k) || k == '.')
					continue;
				if (k != '-' && k != '+')
					break;
				char prev = r > p                 ? r[-1]
				            : s->vals.len > start ? s->vals.data[s->vals.len - 1]
				                                  : 0;
				if ((prev | 32) != 'e')
					break;
			}
			size_t n = (size_t)(r - p);
			if (n && room(s) > n)
				mie_buf_add(&s->vals, p, n);
			else if (n)
				s->over = 1;
			s->pos += n; /* no newline among these bytes */
			if (r < e)
				break;
		}
		char *w = s->vals.data + start;
		size_t wl = s->vals.len - start;
		if (wl >= 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'b') && !sign) {
			int bits = w[1] == 'b';
			memmove(w, w + 2, wl - 2);
			mie_buf_setlen(&s->vals, s->vals.len - 2);
			v->kind = MIE_SQL_BYTES;
			if (decode_digits(&s->vals, from, bits) < 0) {
				mie_buf_adds(&s->why, "not a hex or bit number");
				return 0;
			}
			return 1;
		}
		v->kind = MIE_SQL_NUMBER;
		return 1;
	}
	mie_buf_reset(&s->word);
	for (; (c = peek(s)) >= 0 && is_ident(c); adv(s))
		if (s->word.len < MAX_WORD)
			mie_buf_addc(&s->word, c);
	const char *w = s->word.data;
	if (sign) {
		mie_buf_adds(&s->why, "a sign before a name");
		return 0;
	}
	if (strcasecmp(w, "NULL") == 0) {
		v->kind = MIE_SQL_NULL;
		return 1;
	}
	if (strcasecmp(w, "TRUE") == 0 || strcasecmp(w, "FALSE") == 0) {
		mie_buf_addc(&s->vals, (w[0] | 32) == 't' ? '1' : '0');
		v->kind = MIE_SQL_NUMBER;
		return 1;
	}
	int q = peek(s);
	static const char *const introducers[] = {"binary",  "latin1", "utf8", "utf8mb3",
	                                          "utf8mb4", "ascii",  NULL};
	if (w[0] == '_') {
		int known = 0;
		for (int i = 0; introducers[i]; i++)
			known |= strcasecmp(w + 1, introducers[i]) == 0;
		if (known) {
			const char *cs = strcasecmp(w + 1, "binary") == 0   ? "binary"
			                 : strcasecmp(w + 1, "latin1") == 0 ? "latin1"
			                 : strcasecmp(w + 1, "ascii") == 0  ? "ascii"
			                                                    : "utf8mb4";
			int r = read_value(s, v, cs);
			if (r > 0 && v->kind == MIE_SQL_STRING && !strcmp(cs, "binary")) {
				v->charset = NULL;
				v->kind = MIE_SQL_BYTES;
			}
			return r;
		}
	}
	if ((q == '\'') &&
	    (strcasecmp(w, "X") == 0 || strcasecmp(w, "B") == 0 || strcasecmp(w, "N") == 0)) {
		int kind = w[0] | 32;
		long begun = s->line;
		int conv = kind == 'n' ? conversion(s, "utf8mb4", v) : CONV_NONE;
		if (!read_string(s, &s->vals, s->vals.len + room(s), conv)) {
			mie_buf_addf(
			        &s->why,
			        "a string begun on line %ld is not closed at the end of the input",
			        begun);
			return -1;
		}
		if (kind == 'n')
			return 1;
		v->kind = MIE_SQL_BYTES;
		if (decode_digits(&s->vals, from, kind == 'b') < 0) {
			mie_buf_addf(&s->why, "%c'...' holds other characters than digits", kind);
			return 0;
		}
		return 1;
	}
	/* the word is not quoted back: it could be a credential's value */
	mie_buf_adds(&s->why, "not a literal value (a name or an expression)");
	return 0;
}

/* Skips the rest of a row after a value that could not be read, up to its
 * ')' (consumed).  Returns 0, or -1 at the end of the statement or input. */
static int skip_row(mie_sql *s)
{
	int depth = 0;
	for (int t; (t = tok(s, 0)) != T_EOF;) {
		if (t != T_PUNCT)
			continue;
		if (s->punct == '(')
			depth++;
		else if (s->punct == ')' && !depth--)
			return 0;
		else if (s->punct == ';')
			return -1;
	}
	return -1;
}

static void bad_row(mie_sql *s, mie_sql_row *row)
{
	*row = (mie_sql_row){s->table,     0,          NULL, NULL, NULL, s->stmt_line,
	                     s->row_index, s->why.data};
}

/* The next row of the INSERT being read.  Returns MIE_SQL_ROW,
 * MIE_SQL_BAD_ROW, or MIE_SQL_END when the statement is over. */
static int next_row(mie_sql *s, mie_sql_row *row)
{
	mie_buf_reset(&s->why);
	int c = next_byte(s);
	if (s->row_index) {
		if (c == ',') {
			adv(s);
			c = skip_blank(s);
		} else if (c == ';') {
			adv(s);
			s->in_insert = 0;
			return MIE_SQL_END;
		} else if (c >= 0) {
			/* ON DUPLICATE KEY UPDATE..., or damage */
			long at = s->line;
			int t = tok(s, 1);
			if (!is_word(s, t, "ON"))
				warn(s, at,
				     "INSERT INTO %s: \"%s\" after row %ld: the rest of the "
				     "statement is skipped",
				     s->table,
				     t == T_PUNCT ? (char[]){(char)s->punct, 0} : s->word.data,
				     s->row_index);
			s->in_insert = 0;
			if (skip_statement(s) < 0)
				s->cut = 1;
			return MIE_SQL_END;
		}
	}
	if (c < 0) {
		s->in_insert = 0;
		s->cut = 1;
		if (s->row_index) {
			warn(s, s->stmt_line,
			     "INSERT INTO %s: the statement is cut short by the end of the input "
			     "after row %ld (every row before is read)",
			     s->table, s->row_index);
			return MIE_SQL_END;
		}
		s->row_index = 1;
		mie_buf_adds(&s->why, "statement cut short by the end of the input before its "
		                      "first row");
		bad_row(s, row);
		return MIE_SQL_BAD_ROW;
	}
	s->row_index++;
	if (c != '(') {
		mie_buf_addf(&s->why,
		             "'%c' where a row's '(' was expected: the rest of the "
		             "statement is not imported",
		             c);
		s->in_insert = 0;
		if (skip_statement(s) < 0)
			s->cut = 1;
		bad_row(s, row);
		return MIE_SQL_BAD_ROW;
	}
	adv(s);
	mie_buf_reset(&s->vals);
	s->nv = 0;
	for (;;) {
		if (s->nv == s->capv) {
			s->capv = s->capv ? s->capv * 2 : 32;
			s->v = mie_xrealloc(s->v, s->capv * sizeof *s->v);
			s->voff = mie_xrealloc(s->voff, s->capv * sizeof *s->voff);
		}
		s->voff[s->nv] = s->vals.len;
		c = next_byte(s);
		if (c == ')' && s->nv == 0) {
			adv(s);
			break;
		}
		int r = read_value(s, &s->v[s->nv], NULL);
		if (r > 0) {
			s->v[s->nv].len = s->vals.len - s->voff[s->nv];
			mie_buf_addc(&s->vals, '\0');
			s->nv++;
			c = next_byte(s);
			if (c == ',') {
				adv(s);
				continue;
			}
			if (c == ')') {
				adv(s);
				break;
			}
			if (c >= 0) {
				mie_buf_addf(&s->why, "'%c' after value %zu", c, s->nv);
				r = 0;
			}
		}
		if (r < 0 || c < 0) {
			if (!s->why.len)
				mie_buf_adds(&s->why,
				             "the row is cut short by the end of the input");
			mie_buf_adds(&s->why, ": not imported");
			s->in_insert = 0;
			s->cut = 1;
			bad_row(s, row);
			return MIE_SQL_BAD_ROW;
		}
		/* a value that is no literal: this row is lost, the next ones not */
		mie_buf_adds(&s->why, ": row not imported");
		if (s->nv < s->ncols) { /* say which column */
			mie_buf col = MIE_BUF_INIT;
			mie_buf_addf(&col, "column %s: %s", s->name[s->nv], s->why.data);
			mie_buf_reset(&s->why);
			mie_buf_add(&s->why, col.data, col.len);
			mie_buf_release(&col);
		}
		if (skip_row(s) < 0) {
			s->in_insert = 0;
			if (peek(s) < 0 && !s->eof)
				s->cut = 1;
		}
		bad_row(s, row);
		return MIE_SQL_BAD_ROW;
	}
	if (s->over) {
		mie_buf_addf(&s->why,
		             "the statement is longer than %zu MiB (the most mie-import reads in "
		             "one statement): row %ld and the rest of the statement are not "
		             "imported",
		             MIE_SQL_MAX_STATEMENT >> 20, s->row_index);
		s->in_insert = 0;
		if (skip_statement(s) < 0)
			s->cut = 1;
		bad_row(s, row);
		return MIE_SQL_BAD_ROW;
	}
	if (!s->ncols) {
		mie_buf_addf(&s->why,
		             "no column names (no column list, and no CREATE TABLE %s "
		             "before): row not imported",
		             s->table);
		bad_row(s, row);
		return MIE_SQL_BAD_ROW;
	}
	if (s->nv != s->ncols) {
		mie_buf_addf(&s->why, "%zu values for %zu columns: row not imported", s->nv,
		             s->ncols);
		bad_row(s, row);
		return MIE_SQL_BAD_ROW;
	}
	for (size_t i = 0; i < s->nv; i++) {
		s->v[i].data = s->vals.data + s->voff[i];
		s->v[i].decl = s->decl[i];
	}
	*row = (mie_sql_row){s->table, s->ncols,     s->name,      s->name_len,
	                     s->v,     s->stmt_line, s->row_index, NULL};
	return MIE_SQL_ROW;
}

/* ---- statements ---- */

static int statement(mie_sql *s)
{
	int t = tok(s, 1);
	if (t == T_EOF)
		return 0;
	if (t == T_PUNCT && s->punct == ';')
		return 0;
	if (t != T_WORD) {
		warn(s, s->stmt_line, "%s where a statement was expected: skipped to the next ';'",
		     t == T_PUNCT ? (char[]){'\'', (char)s->punct, '\'', 0} : "a value");
		if (skip_statement(s) < 0)
			s->cut = 1;
		return 0;
	}
	char verb[32];
	snprintf(verb, sizeof verb, "%s", s->word.data);
	for (char *p = verb; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 32);
	if (!strcmp(verb, "INSERT") || !strcmp(verb, "REPLACE"))
		return read_insert(s, verb);
	if (!strcmp(verb, "SET")) {
		read_set(s);
		return 0;
	}
	static const char *const quiet[] = {"LOCK",    "UNLOCK",   "ALTER",  "USE",
	                                    "START",   "BEGIN",    "COMMIT", "ROLLBACK",
	                                    "ANALYZE", "OPTIMIZE", "FLUSH",  NULL};
	int ok = 0;
	for (int i = 0; quiet[i]; i++)
		ok |= !strcmp(verb, quiet[i]);
	char what[64];
	snprintf(what, sizeof what, "%s", verb);
	if (!strcmp(verb, "CREATE") || !strcmp(verb, "DROP") || !strcmp(verb, "LOAD")) {
		t = tok(s, 1);
		while (is_word(s, t, "OR") || is_word(s, t, "REPLACE") ||
		       is_word(s, t, "TEMPORARY"))
			t = tok(s, 1);
		if (t == T_WORD)
			snprintf(what, sizeof what, "%s %.20s", verb, s->word.data);
		for (char *p = what; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 32);
		if (!strcmp(what, "CREATE TABLE")) {
			read_create_table(s);
			return 0;
		}
		ok = !strcmp(what, "DROP TABLE") || !strcmp(what, "CREATE DATABASE") ||
		     !strcmp(what, "CREATE SCHEMA") || !strcmp(what, "DROP VIEW");
	}
	if (!ok)
		warn(s, s->stmt_line,
		     "%s: not read (mie-import reads CREATE TABLE and INSERT, and never runs SQL)",
		     what);
	if (skip_statement(s) < 0) {
		s->cut = 1;
		warn(s, s->stmt_line, "%s: cut short by the end of the input", what);
	}
	return 0;
}

int mie_sql_next(mie_sql *s, mie_sql_row *row)
{
	for (;;) {
		if (s->in_insert) {
			int r = next_row(s, row);
			if (r != MIE_SQL_END)
				return r;
			continue;
		}
		int c = skip_blank(s);
		if (c < 0)
			break;
		s->stmt_line = s->line;
		s->stmt_off = offset(s);
		statement(s);
	}
	if (s->failed)
		return MIE_SQL_ERROR;
	if (s->tool_header && !s->completed) {
		s->cut = 1;
		warn(s, s->line,
		     "the dump ends without mysqldump's \"-- Dump completed\" line: it was cut; "
		     "every complete row before the cut is imported");
	}
	return MIE_SQL_END;
}

int mie_sql_cut(const mie_sql *s)
{
	return s->cut;
}

mie_sql *mie_sql_new(mie_input *in, const mie_loc *where, mie_sql_schema *schema)
{
	mie_sql *s = mie_xcalloc(1, sizeof *s);
	s->in = in;
	s->where = where;
	s->schema = schema;
	s->line = 1;
	mie_buf_init(&s->w);
	mie_buf_init(&s->word);
	mie_buf_init(&s->names);
	mie_buf_init(&s->vals);
	mie_buf_init(&s->why);
	mie_sql_set_client_charset(s, "latin1");
	return s;
}

void mie_sql_free(mie_sql **sp)
{
	if (!sp || !*sp)
		return;
	mie_sql *s = *sp;
	mie_buf_release(&s->w);
	mie_buf_release(&s->word);
	mie_buf_release(&s->names);
	mie_buf_release(&s->vals);
	mie_buf_release(&s->why);
	free(s->name);
	free(s->name_len);
	free(s->decl);
	free(s->cls);
	free(s->conv);
	free(s->conv_cs);
	free(s->v);
	free(s->voff);
	free(s);
	*sp = NULL;
}

/* ---- detection ---- */

int mie_sql_sniff(const unsigned char *head, size_t n, const char *name)
{
	size_t i = 0;
	if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && is_space(head[i]))
		i++;
	const char *p = (const char *)head + i;
	size_t left = n - i;
	static const char *const tools[] = {"-- MySQL dump",
	                                    "-- MariaDB dump",
	                                    "-- phpMyAdmin SQL",
	                                    "/*M!999999",
	                                    "/*!40101 SET",
	                                    "-- Adminer",
	                                    NULL};
	for (int k = 0; tools[k]; k++)
		if (left >= strlen(tools[k]) && strncmp(p, tools[k], strlen(tools[k])) == 0)
			return 95;
	/* a statement a dump begins with, or its comments */
	static const char *const starts[] = {"CREATE TABLE", "INSERT INTO",  "DROP TABLE",
	                                     "SET ",         "REPLACE INTO", "-- ",
	                                     "/*",           "LOCK TABLES",  NULL};
	int statementish = 0;
	for (int k = 0; starts[k]; k++)
		if (left >= strlen(starts[k]) && strncasecmp(p, starts[k], strlen(starts[k])) == 0)
			statementish = 1;
	size_t nl = name ? strlen(name) : 0;
	static const char *const exts[] = {".sql",    ".sql.gz", ".sql.bz2",
	                                   ".sql.xz", ".mysql",  NULL};
	int named = 0;
	for (int k = 0; exts[k]; k++) {
		size_t el = strlen(exts[k]);
		named |= nl > el && strcasecmp(name + nl - el, exts[k]) == 0;
	}
	if (statementish &&
	    (named || memmem(head, n, "INSERT INTO", 11) || memmem(head, n, "CREATE TABLE", 12)))
		return 85;
	return named ? 40 : 0;
}
