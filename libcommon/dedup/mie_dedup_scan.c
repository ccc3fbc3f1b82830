/* mie_dedup_scan.c — what pass 1 needs of a JSON Lines record, without
 * building it.
 *
 * Building every record with jansson costs several times what the rest of
 * identity+exact deduplication does, and a record that is not a duplicate
 * is written back byte for byte anyway.  So this scanner walks the line
 * once, counts the non-empty values of the canonical rule and keeps the
 * few strings the methods use: type, id, title, date_modified, text.plain,
 * legacy.url.
 *
 * It accepts a line only when the JSON Lines reader would (mie_jsonl_parse):
 * strict UTF-8, no control character in a string (checked once for the
 * whole line, where only a final CR may be one), no duplicate key, no
 * \u0000 nor lone surrogate, numbers jansson can hold.  What it cannot
 * prove cheaply (escaped keys, objects of more than MAX_KEYS members,
 * nesting deeper than MAX_DEPTH, integers of more than 18 digits, exponents
 * of more than 2) it refuses, and the caller asks mie_jsonl_parse, whose
 * verdict stands: so a refusal here is never an error by itself.  Results
 * must equal those made from the jansson record (fields_from_json in
 * mie_dedup.c): tests compare both paths. */
#include <stdint.h>
#include <string.h>

#include "dedup/mie_dedup_impl.h"
#include "core/mie_simd.h"
#include "core/mie_utf8.h"

enum { MAX_KEYS = 64, MAX_DEPTH = 64 };

typedef struct scan {
	const char *p, *end;
	mie_dedup_fields *f;
	mie_buf *bufs; /* decoded strings with escapes, one per field */
} scan;

static void ws(scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 32;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The value of the escape \uXXXX at p (p[0] the backslash), or 0x10000
 * when there is none or it is malformed. */
static unsigned escape_u(const char *p, const char *end)
{
	if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
		return 0x10000;
	unsigned v = 0;
	for (int k = 2; k < 6; k++) {
		int h = hexval((unsigned char)p[k]);
		if (h < 0)
			return 0x10000;
		v = v * 16 + (unsigned)h;
	}
	return v;
}

/* s->p at '"': skips the string; *a, *n give its raw content, *esc whether
 * it holds escapes.  -1 on a syntax error. */
static int string(scan *s, const char **a, size_t *n, int *esc)
{
	const char *p = ++s->p, *end = s->end;
	*esc = 0;
	for (;;) {
		/* no control character is left in the line (mie_dedup_scan_jsonl
		 * looked): the next quote or backslash ends the run */
		p = mie_find2(p, end, '"', '\\');
		if (p >= end)
			return -1;
		if (*p == '"') {
			*a = s->p, *n = (size_t)(p - s->p);
			s->p = p + 1;
			return 0;
		}
		*esc = 1;
		if (p + 1 >= end)
			return -1;
		switch (p[1]) {
		case '"':
		case '\\':
		case '/':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't': p += 2; break;
		case 'u': {
			unsigned v = escape_u(p, end);
			if (v == 0 || (v >= 0xDC00 && v < 0xE000) || v > 0xFFFF)
				return -1; /* bad, NUL or a lone low surrogate */
			if (v >= 0xD800 && v < 0xDC00) {
				unsigned lo = escape_u(p + 6, end);
				if (lo < 0xDC00 || lo >= 0xE000)
					return -1; /* a high surrogate alone */
				p += 6;
			}
			p += 6;
			break;
		}
		default: return -1;
		}
	}
}

/* Decodes the raw content of a JSON string (already checked) into out. */
static void unescape(mie_buf *out, const char *a, size_t n)
{
	mie_buf_reset(out);
	for (size_t i = 0; i < n; i++) {
		if (a[i] != '\\') {
			mie_buf_addc(out, a[i]);
			continue;
		}
		char c = a[++i];
		if (c != 'u') {
			mie_buf_addc(out, c == 'b'   ? '\b'
			                  : c == 'f' ? '\f'
			                  : c == 'n' ? '\n'
			                  : c == 'r' ? '\r'
			                  : c == 't' ? '\t'
			                             : c);
			continue;
		}
		unsigned v = 0;
		for (int k = 1; k <= 4; k++)
			v = v * 16 + (unsigned)hexval((unsigned char)a[i + (size_t)k]);
		i += 4;
		if (v >= 0xD800 && v < 0xDC00 && i + 6 < n + 0 + 1 && a[i + 1] == '\\' &&
		    a[i + 2] == 'u') {
			unsigned lo = 0;
			for (int k = 3; k <= 6; k++)
				lo = lo * 16 + (unsigned)hexval((unsigned char)a[i + (size_t)k]);
			if (lo >= 0xDC00 && lo < 0xE000) {
				v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
				i += 6;
			}
		}
		if (v >= 0xD800 && v < 0xE000)
			v = 0xFFFD; /* lone surrogate: jansson refuses the record */
		mie_buf_add_utf8(out, v);
	}
}

enum slot { S_NONE = -1, S_TYPE, S_ID, S_TITLE, S_DATE, S_PLAIN, S_URL };

static void keep(scan *s, int slot, const char *a, size_t n, int esc)
{
	const char **p[] = {&s->f->type, &s->f->id,    &s->f->title,
	                    &s->f->date, &s->f->plain, &s->f->url};
	size_t *l[] = {&s->f->type_n, &s->f->id_n,    &s->f->title_n,
	               &s->f->date_n, &s->f->plain_n, &s->f->url_n};
	if (esc) {
		unescape(&s->bufs[slot], a, n);
		a = s->bufs[slot].data, n = s->bufs[slot].len;
	}
	*p[slot] = a, *l[slot] = n;
}

/* Which field a member is: depth 0 keys, then text.plain, legacy.url. */
static int slot_of(int parent, const char *k, size_t n)
{
#define IS(lit) (n == sizeof lit - 1 && memcmp(k, lit, n) == 0)
	if (parent == 0)
		return IS("type")            ? S_TYPE
		       : IS("id")            ? S_ID
		       : IS("title")         ? S_TITLE
		       : IS("date_modified") ? S_DATE
		                             : S_NONE;
	if (parent == 1)
		return IS("plain") ? S_PLAIN : S_NONE;
	if (parent == 2)
		return IS("url") ? S_URL : S_NONE;
	return S_NONE;
#undef IS
}

/* The keys of one object so far, to refuse a duplicate. */
typedef struct keys {
	const char *k[MAX_KEYS];
	size_t n[MAX_KEYS];
	int count;
	uint64_t seen; /* a bit per (length, last byte): most keys are new */
} keys;

/* A member's key (never escaped: refused, see the header) and its ':';
 * -1 also for a key seen before in the object, or one too many. */
static int member_key(scan *s, keys *seen, const char **k, size_t *kn, int *esc)
{
	ws(s);
	if (s->p >= s->end || *s->p != '"' || string(s, k, kn, esc) < 0 || *esc ||
	    seen->count == MAX_KEYS)
		return -1;
	uint64_t bit = (uint64_t)1 << ((*kn * 7 + (*kn ? (unsigned char)(*k)[*kn - 1] : 0)) & 63);
	if (seen->seen & bit)
		for (int i = 0; i < seen->count; i++)
			if (seen->n[i] == *kn && memcmp(seen->k[i], *k, *kn) == 0)
				return -1;
	seen->seen |= bit;
	seen->k[seen->count] = *k;
	seen->n[seen->count++] = *kn;
	ws(s);
	if (s->p >= s->end || *s->p++ != ':')
		return -1;
	ws(s);
	return 0;
}

/* After a member or item: 1 at the closing `close`, 0 after a ',', -1. */
static int after_item(scan *s, char close)
{
	ws(s);
	if (s->p >= s->end)
		return -1;
	if (*s->p == close)
		return s->p++, 1;
	return *s->p++ == ',' ? 0 : -1;
}

/* Skips one value; slot: the field it is, or S_NONE.  Adds its non-empty
 * scalars to *count when count is not NULL. */
static int value(scan *s, int depth, int slot, unsigned *count)
{
	if (depth > MAX_DEPTH)
		return -1;
	ws(s);
	if (s->p >= s->end)
		return -1;
	char c = *s->p;
	if (c == '"') {
		const char *a;
		size_t n;
		int esc;
		if (string(s, &a, &n, &esc) < 0)
			return -1;
		if (count && n)
			(*count)++;
		if (slot != S_NONE)
			keep(s, slot, a, n, esc);
		return 0;
	}
	if (c == '{' || c == '[') {
		s->p++;
		ws(s);
		char close = c == '{' ? '}' : ']';
		if (s->p < s->end && *s->p == close)
			return s->p++, 0;
		keys seen;
		seen.count = 0;
		seen.seen = 0;
		for (int end = 0; !end;) {
			const char *k;
			size_t kn;
			int esc;
			if ((c == '{' && member_key(s, &seen, &k, &kn, &esc) < 0) ||
			    value(s, depth + 1, S_NONE, count) < 0 ||
			    (end = after_item(s, close)) < 0)
				return -1;
		}
		return 0;
	}
	if (c == 't' || c == 'f' || c == 'n') {
		const char *lit = c == 't' ? "true" : c == 'f' ? "false" : "null";
		size_t n = strlen(lit);
		if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0)
			return -1;
		s->p += n;
		if (count && c != 'n')
			(*count)++;
		return 0;
	}
	/* number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
	const char *p = s->p;
	if (p < s->end && *p == '-')
		p++;
	if (p >= s->end || *p < '0' || *p > '9')
		return -1;
	const char *digits = p;
	if (*p == '0')
		p++;
	else
		while (p < s->end && *p >= '0' && *p <= '9')
			p++;
	if (p - digits > 18)
		return -1; /* may not fit jansson's integer: its verdict */
	if (p < s->end && *p == '.') {
		if (++p >= s->end || *p < '0' || *p > '9')
			return -1;
		while (p < s->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < s->end && (*p == 'e' || *p == 'E')) {
		if (++p < s->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= s->end || *p < '0' || *p > '9')
			return -1;
		const char *e = p;
		while (p < s->end && *p >= '0' && *p <= '9')
			p++;
		if (p - e > 2)
			return -1; /* may overflow a double: jansson's verdict */
	}
	s->p = p;
	if (count)
		(*count)++;
	return 0;
}

/* The members of an object whose fields are kept (s->p at '{'): ctx 0 the
 * record itself, 1 its "text", 2 its "legacy".  Non-empty values outside
 * bookkeeping fields are added to *count. */
static int object(scan *s, int ctx, unsigned *count)
{
	s->p++;
	ws(s);
	if (s->p < s->end && *s->p == '}')
		return s->p++, 0;
	keys seen;
	seen.count = 0;
	seen.seen = 0;
	for (int end = 0; !end;) {
		const char *k;
		size_t kn;
		int esc;
		if (member_key(s, &seen, &k, &kn, &esc) < 0)
			return -1;
		int slot = slot_of(ctx, k, kn), sub = 3;
		unsigned *c = count;
		if (ctx == 0) {
			/* bookkeeping fields do not count (mie_dedup_bookkeeping_field) */
			if (mie_dedup_bookkeeping_field(k, kn)) {
				c = NULL;
				s->f->marked |= k[0] == 'd';
			}
			sub = kn == 4 && !memcmp(k, "text", 4)     ? 1
			      : kn == 6 && !memcmp(k, "legacy", 6) ? 2
			                                           : 3;
		}
		if (slot != S_NONE && (s->p >= s->end || *s->p != '"'))
			slot = S_NONE; /* not a string: nothing to keep */
		int rc = sub != 3 && s->p < s->end && *s->p == '{' ? object(s, sub, c)
		                                                   : value(s, 1, slot, c);
		if (rc < 0 || (end = after_item(s, '}')) < 0)
			return -1;
	}
	return 0;
}

int mie_dedup_scan_jsonl(const char *line, size_t n, mie_dedup_fields *f, mie_buf bufs[6])
{
	memset(f, 0, sizeof *f);
	/* one look at the whole line instead of one at every string: strict
	 * UTF-8 and no C0 control at all but a final CR, so none in a string
	 * (mie_text_check_c0, which also refuses U+FFFE and U+FFFF: jansson's
	 * verdict then; a TAB between tokens too, the same) */
	size_t m = n && line[n - 1] == '\r' ? n - 1 : n;
	if (mie_text_check_c0(line, m, 0, NULL) >= 0)
		return -1;
	return mie_dedup_scan_jsonl_clean(line, n, f, bufs);
}

int mie_dedup_scan_jsonl_clean(const char *line, size_t n, mie_dedup_fields *f, mie_buf bufs[6])
{
	scan s = {line, line + n, f, bufs};
	memset(f, 0, sizeof *f);
	ws(&s);
	if (s.p >= s.end || *s.p != '{' || object(&s, 0, &f->complete) < 0)
		return -1;
	ws(&s);
	return s.p == s.end ? 0 : -1;
}
