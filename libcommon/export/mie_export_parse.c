/* mie_export_parse.c — a fast path for mie_jsonl_parse (mie_export_parse.h).
 *
 * jansson reads a byte at a time through its stream layer: on records of
 * French text it is nine tenths of an export's time.  This parser reads
 * the common shape of a record line in place — objects, arrays, strings
 * whose escapes are the short ones or \u of a non-NUL, non-surrogate
 * character, integers of up to 18 digits without a leading zero, true,
 * false, null, at most MAX_DEPTH deep — and builds the same jansson tree.
 * Anything else (a real number, a duplicate key, a control character, bad
 * UTF-8, any syntax error...) is not decided here: the line goes to
 * mie_jsonl_parse, which says what it says.  So it accepts exactly the
 * lines mie_jsonl_parse accepts, with the same records
 * (tests/unit/test_export_parse.c compares the two). */
#include <stdlib.h>
#include <string.h>

#include "export/mie_export_parse.h"
#include "formats/mie_jsonl.h"
#include "core/mie_utf8.h"

enum { MAX_DEPTH = 32 };

typedef struct parser {
	const unsigned char *p, *end;
	mie_buf s; /* decoded string with escapes */
} parser;

static void ws(parser *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static int hex4(const unsigned char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

/* A string after its opening quote: sets *s, *n to its text (in place, or
 * decoded into ps->s).  Returns 0, or -1 when not sure. */
static int string(parser *ps, const char **s, size_t *n)
{
	const unsigned char *start = ps->p, *p = ps->p;
	while (p < ps->end && *p != '"' && *p != '\\' && *p >= 0x20)
		p++;
	if (p < ps->end && *p == '"') {
		*s = (const char *)start;
		*n = (size_t)(p - start);
		ps->p = p + 1;
		return 0;
	}
	mie_buf_reset(&ps->s);
	mie_buf_add(&ps->s, start, (size_t)(p - start));
	while (p < ps->end) {
		unsigned c = *p;
		if (c == '"') {
			*s = ps->s.data;
			*n = ps->s.len;
			ps->p = p + 1;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c != '\\') {
			mie_buf_addc(&ps->s, (int)c);
			p++;
			continue;
		}
		if (p + 1 >= ps->end)
			return -1;
		switch (p[1]) {
		case '"': mie_buf_addc(&ps->s, '"'); break;
		case '\\': mie_buf_addc(&ps->s, '\\'); break;
		case '/': mie_buf_addc(&ps->s, '/'); break;
		case 'b': mie_buf_addc(&ps->s, '\b'); break;
		case 'f': mie_buf_addc(&ps->s, '\f'); break;
		case 'n': mie_buf_addc(&ps->s, '\n'); break;
		case 'r': mie_buf_addc(&ps->s, '\r'); break;
		case 't': mie_buf_addc(&ps->s, '\t'); break;
		case 'u': {
			unsigned v;
			if (ps->end - p < 6 || hex4(p + 2, &v) < 0 || v == 0 ||
			    (v >= 0xD800 && v <= 0xDFFF))
				return -1;
			mie_buf_add_utf8(&ps->s, v);
			p += 4;
			break;
		}
		default: return -1;
		}
		p += 2;
	}
	return -1;
}

static json_t *value(parser *ps, int depth);

static json_t *object(parser *ps, int depth)
{
	json_t *o = json_object();
	ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		return o;
	}
	for (;;) {
		const char *k;
		size_t kn;
		if (ps->p >= ps->end || *ps->p != '"')
			goto unsure;
		ps->p++;
		if (string(ps, &k, &kn) < 0 || json_object_getn(o, k, kn))
			goto unsure;
		/* k may live in ps->s, which the value reuses: keep a copy */
		char small[64], *key = kn < sizeof small ? small : mie_xmalloc(kn + 1);
		memcpy(key, k, kn);
		key[kn] = '\0';
		ws(ps);
		json_t *v = NULL;
		if (ps->p < ps->end && *ps->p == ':') {
			ps->p++;
			ws(ps);
			v = value(ps, depth + 1);
		}
		if (v)
			json_object_setn_new_nocheck(o, key, kn, v);
		if (key != small)
			free(key);
		if (!v)
			goto unsure;
		ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			ws(ps);
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			return o;
		}
		goto unsure;
	}
unsure:
	json_decref(o);
	return NULL;
}

static json_t *array(parser *ps, int depth)
{
	json_t *a = json_array();
	ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return a;
	}
	for (;;) {
		json_t *v = value(ps, depth + 1);
		if (!v)
			break;
		json_array_append_new(a, v);
		ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			ws(ps);
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return a;
		}
		break;
	}
	json_decref(a);
	return NULL;
}

static json_t *integer(parser *ps)
{
	const unsigned char *p = ps->p;
	int neg = p < ps->end && *p == '-';
	p += neg;
	const unsigned char *digits = p;
	while (p < ps->end && *p >= '0' && *p <= '9')
		p++;
	size_t nd = (size_t)(p - digits);
	if (!nd || nd > 18 || (*digits == '0' && (nd > 1 || neg)))
		return NULL; /* no digit, too long, leading zero, -0 */
	if (p < ps->end && (*p == '.' || *p == 'e' || *p == 'E'))
		return NULL; /* a real: jansson's strtod decides */
	json_int_t v = 0;
	for (const unsigned char *d = digits; d < p; d++)
		v = v * 10 + (*d - '0');
	ps->p = p;
	return json_integer(neg ? -v : v);
}

static json_t *literal(parser *ps, const char *word, size_t n, json_t *v)
{
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return NULL;
	ps->p += n;
	return v;
}

static json_t *value(parser *ps, int depth)
{
	if (ps->p >= ps->end || depth > MAX_DEPTH)
		return NULL;
	switch (*ps->p) {
	case '{': ps->p++; return object(ps, depth);
	case '[': ps->p++; return array(ps, depth);
	case '"': {
		ps->p++;
		const char *s;
		size_t n;
		return string(ps, &s, &n) < 0 ? NULL : json_stringn_nocheck(s, n);
	}
	case 't': return literal(ps, "true", 4, json_true());
	case 'f': return literal(ps, "false", 5, json_false());
	case 'n': return literal(ps, "null", 4, json_null());
	default: return integer(ps);
	}
}

json_t *mie_export_parse_fast(const char *p, size_t n)
{
	if (!n || *p != '{' || !mie_utf8_valid(p, n))
		return NULL;
	parser ps = {(const unsigned char *)p + 1, (const unsigned char *)p + n, MIE_BUF_INIT};
	json_t *rec = object(&ps, 1);
	mie_buf_release(&ps.s);
	if (rec) {
		ws(&ps);
		if (ps.p != ps.end) {
			json_decref(rec);
			rec = NULL;
		}
	}
	return rec;
}

int mie_export_parse_line(const char *p, size_t n, int first, json_t **rec, mie_buf *why)
{
	const char *q = p;
	size_t m = n;
	if (mie_jsonl_trim(&q, &m, first) && (*rec = mie_export_parse_fast(q, m)))
		return MIE_JSONL_OK;
	return mie_jsonl_parse(p, n, first, rec, why);
}
