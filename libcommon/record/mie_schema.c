/* mie_schema.c — schema v1 checks, driven by one field table.
 *
 * `fields[]` below is THE statement of schema v1's fields: their names,
 * kinds, the record types that may carry them and which of them reference
 * other records.  schemas/gen-schemas.py reads this very table to write
 * mie-v1.xsd and mie-v1.schema.json, and tests/cases/schema_examples.sh
 * checks that the generated files are up to date, so the C checks and the
 * two schema files cannot drift apart.  Keep one entry per line in the
 * form {"name", K_KIND, REF|0, T_TYPES} (the generator parses it).
 *
 * Speed: this runs on every record of multi-GB streams.  The common path
 * (a valid record) allocates nothing: the field path is a stack of borrowed
 * key pointers and indexes, rendered into a buffer only when a problem is
 * reported. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/mie_buf.h"
#include "core/mie_hash.h"
#include "record/mie_isodate.h"
#include "record/mie_record.h"
#include "record/mie_schema.h"
#include "core/mie_utf8.h"

enum kind {
	K_STRING,
	K_TYPE,
	K_ID,
	K_IDLIST,
	K_STRLIST,
	K_DATE,
	K_LANG,
	K_INT,
	K_SCORE,
	K_TEXT,
	K_LEGACY,
	K_PROVENANCE,
	K_EXTRA,
	K_VARIANTS,
	K_METHOD,
	K_VERSION,
};

/* record types, as bits in the order of mie_record_types[] */
enum {
	T_SECTION = 1 << 0,
	T_ARTICLE = 1 << 1,
	T_BRIEF = 1 << 2,
	T_AUTHOR = 1 << 3,
	T_KEYWORD = 1 << 4,
	T_KEYWORD_GROUP = 1 << 5,
	T_DOCUMENT = 1 << 6,
	T_SITE = 1 << 7,
	T_COMMENT = 1 << 8,
	T_ORGANISATION = 1 << 9,
	T_DOSSIER = 1 << 10,
	T_PETITION = 1 << 11,
	T_SIGNATURE = 1 << 12,
	T_TABLE_ROW = 1 << 13,
	T_ALL = (1 << 14) - 1,
};

/* REF: the field's ids are references mie-validate resolves in the stream
 * (mie_schema_each_ref).  links, duplicate_of and merged_from are ids too
 * but may name records of other streams or records merged away. */
enum { REF = 1 };

/* clang-format off */
static const struct field {
	const char *name;
	unsigned char kind;
	unsigned char flags;
	unsigned short types;
} fields[] = {
	{"type", K_TYPE, 0, T_ALL},
	{"id", K_ID, 0, T_ALL},
	{"schema_version", K_VERSION, 0, T_ALL},
	{"title", K_STRING, 0, T_ALL},
	{"lang", K_LANG, 0, T_ALL},
	{"status", K_STRING, 0, T_ALL},
	{"date_published", K_DATE, 0, T_ALL},
	{"date_modified", K_DATE, 0, T_ALL},
	{"rank", K_INT, 0, T_ALL},
	{"url", K_STRING, 0, T_ALL},
	{"description", K_TEXT, 0, T_ALL},
	{"keywords", K_IDLIST, REF, T_ALL},
	{"links", K_IDLIST, 0, T_ALL},
	{"section", K_ID, REF, T_ARTICLE | T_BRIEF | T_SECTION | T_DOCUMENT | T_DOSSIER},
	{"section_path", K_STRLIST, 0, T_ARTICLE | T_BRIEF | T_SECTION | T_DOSSIER},
	{"authors", K_IDLIST, REF, T_ARTICLE | T_BRIEF | T_DOCUMENT | T_DOSSIER},
	{"documents", K_IDLIST, REF, T_ARTICLE | T_BRIEF | T_SECTION | T_DOSSIER},
	{"text", K_TEXT, 0, T_ARTICLE | T_BRIEF | T_SECTION | T_COMMENT | T_AUTHOR | T_DOSSIER | T_PETITION | T_SIGNATURE},
	{"lead", K_TEXT, 0, T_ARTICLE | T_BRIEF | T_DOSSIER},
	{"ps", K_TEXT, 0, T_ARTICLE | T_DOSSIER},
	{"notes", K_TEXT, 0, T_ARTICLE | T_BRIEF | T_SECTION | T_COMMENT | T_DOSSIER},
	{"surtitle", K_STRING, 0, T_ARTICLE},
	{"subtitle", K_STRING, 0, T_ARTICLE},
	{"redirect", K_STRING, 0, T_ARTICLE},
	{"email", K_STRING, 0, T_AUTHOR | T_ORGANISATION},
	{"group", K_ID, REF, T_KEYWORD},
	{"file", K_STRING, 0, T_DOCUMENT},
	{"mime", K_STRING, 0, T_DOCUMENT},
	{"size", K_INT, 0, T_DOCUMENT},
	{"width", K_INT, 0, T_DOCUMENT},
	{"height", K_INT, 0, T_DOCUMENT},
	{"kind", K_STRING, 0, T_DOCUMENT | T_ORGANISATION},
	{"about", K_ID, REF, T_COMMENT | T_PETITION | T_SIGNATURE},
	{"parent", K_ID, REF, T_COMMENT},
	{"author_name", K_STRING, 0, T_COMMENT | T_SIGNATURE},
	{"author_email", K_STRING, 0, T_COMMENT | T_SIGNATURE},
	{"ip", K_STRING, 0, T_COMMENT | T_SIGNATURE},
	{"address", K_STRING, 0, T_ORGANISATION},
	{"postcode", K_STRING, 0, T_ORGANISATION},
	{"city", K_STRING, 0, T_ORGANISATION},
	{"country", K_STRING, 0, T_ORGANISATION},
	{"phone", K_STRING, 0, T_ORGANISATION},
	{"members", K_IDLIST, REF, T_DOSSIER},
	{"duplicate_of", K_ID, 0, T_ALL},
	{"duplicate_method", K_METHOD, 0, T_ALL},
	{"duplicate_score", K_SCORE, 0, T_ALL},
	{"merged_from", K_IDLIST, 0, T_ALL},
	{"variants", K_VARIANTS, 0, T_ALL},
	{"merge_layout", K_VARIANTS, 0, T_ALL},
	{"legacy", K_LEGACY, 0, T_ALL},
	{"provenance", K_PROVENANCE, 0, T_ALL},
	{"extra", K_EXTRA, 0, T_ALL},
};
/* clang-format on */
#define NFIELDS (sizeof fields / sizeof *fields)

/* The members of an object, in order, through an iterator: `it` names the
 * member (json_object_iter_key, _key_len, _value).  json_object_foreach
 * costs two more library calls a member (it goes back from each key to its
 * iterator). */
#define EACH_MEMBER(it, obj)                                                                       \
	for (void *it = json_object_iter((json_t *)(obj)); it;                                     \
	     it = json_object_iter_next((json_t *)(obj), it))

/* ---- the field path, kept without allocating ---- */

/* Deeper levels (only variants can nest that far) are counted, not kept:
 * the path then ends in ".…". */
#define MAX_DEPTH 24

typedef struct seg {
	const char *key; /* borrowed from the record; NULL: an array index */
	size_t index;
} seg;

/* The check of one record: where problems go, and the current path. */
typedef struct check {
	mie_schema_report_fn report;
	void *ctx;
	int problems;
	int depth;
	seg segs[MAX_DEPTH];
} check;

static void push_key(check *c, const char *k)
{
	if (c->depth < MAX_DEPTH)
		c->segs[c->depth] = (seg){k, 0};
	c->depth++;
}

static void push_index(check *c, size_t i)
{
	if (c->depth < MAX_DEPTH)
		c->segs[c->depth] = (seg){NULL, i};
	c->depth++;
}

static void pop(check *c)
{
	c->depth--;
}

static void problem(check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(check *c, const char *fmt, ...)
{
	mie_buf path = MIE_BUF_INIT, msg = MIE_BUF_INIT;
	for (int i = 0; i < c->depth && i < MAX_DEPTH; i++) {
		if (c->segs[i].key)
			mie_buf_addf(&path, "%s%s", i ? "." : "", c->segs[i].key);
		else
			mie_buf_addf(&path, "[%zu]", c->segs[i].index);
	}
	if (c->depth > MAX_DEPTH)
		mie_buf_adds(&path, ".…");
	va_list ap;
	va_start(ap, fmt);
	mie_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	c->problems++;
	c->report(c->ctx, path.data, msg.data);
	mie_buf_release(&path);
	mie_buf_release(&msg);
}

/* ---- values ---- */

static const char *kind_name(json_type t)
{
	switch (t) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* Values quoted in messages are cut to this many bytes (a 2 MB text given
 * as a date must not become a 2 MB message). */
#define QUOTE_MAX 80

/* Length of s quoted in a message: at most QUOTE_MAX bytes, cut on a
 * character boundary (s is valid UTF-8: checked before any quote). */
static int quote_len(const char *s)
{
	size_t n = strnlen(s, QUOTE_MAX + 1);
	if (n <= QUOTE_MAX)
		return (int)n;
	n = QUOTE_MAX;
	while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}
#define QUOTED(s) quote_len(s), (s), (strlen(s) > QUOTE_MAX ? "…" : "")

/* The record text invariant (strict UTF-8, XML Chars only) on n bytes. */
static int check_chars(check *c, const char *s, size_t n, const char *what_is)
{
	const char *what;
	long at = mie_text_check(s, n, &what);
	if (at < 0)
		return 0;
	problem(c, "%s%s at byte %ld", what_is, what, at);
	return -1;
}

static int check_text_value(check *c, const json_t *v)
{
	return check_chars(c, json_string_value(v), json_string_length(v), "");
}

/* A member name that becomes a <field name="..."> attribute in XML (its
 * length: no NUL in it, jansson refuses them in keys). */
static int check_key(check *c, void *member)
{
	return check_chars(c, json_object_iter_key(member), json_object_iter_key_len(member),
	                   "name: ");
}

static int want_string(check *c, const json_t *v)
{
	if (!json_is_string(v)) {
		problem(c, "must be a string, not %s", kind_name(json_typeof(v)));
		return -1;
	}
	return check_text_value(c, v);
}

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* SITE:TYPE:LOCAL, as ^[^\s:]+:[a-z_]+:\S+$ (white space: ASCII only, as
 * in the XSD and JSON Schema patterns' \s; controls are refused earlier). */
static int valid_id(const char *s, size_t n)
{
	const char *c1 = memchr(s, ':', n);
	if (!c1 || c1 == s)
		return 0;
	const char *t = c1 + 1, *c2 = memchr(t, ':', n - (size_t)(t - s));
	if (!c2 || c2 == t || c2 + 1 == s + n)
		return 0;
	for (const char *p = t; p < c2; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
			return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			return 0;
	return 1;
}

/* ^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$ */
static int valid_lang(const char *s)
{
	int n = 0;
	while (s[n] >= 'a' && s[n] <= 'z')
		n++;
	if (n < 2 || n > 3)
		return 0;
	s += n;
	while (*s == '-') {
		int k = 0;
		s++;
		while ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
		       is_digit(s[k]))
			k++;
		if (k < 1 || k > 8)
			return 0;
		s += k;
	}
	return *s == '\0';
}

static void check_date(check *c, const json_t *v)
{
	if (want_string(c, v) == 0 && !mie_date_valid_iso(json_string_value(v)))
		problem(c, "not a date: \"%.*s%s\"", QUOTED(json_string_value(v)));
}

static void check_id(check *c, const json_t *v)
{
	if (want_string(c, v) == 0 && !valid_id(json_string_value(v), json_string_length(v)))
		problem(c, "not an id (SITE:TYPE:LOCAL): \"%.*s%s\"", QUOTED(json_string_value(v)));
}

static void check_int(check *c, const json_t *v)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		problem(c, "must be a whole number >= 0");
}

static int want_object(check *c, const json_t *v)
{
	if (json_is_object(v))
		return 0;
	problem(c, "must be an object, not %s", kind_name(json_typeof(v)));
	return -1;
}

static int want_array(check *c, const json_t *v)
{
	if (json_is_array(v))
		return 0;
	problem(c, "must be an array, not %s", kind_name(json_typeof(v)));
	return -1;
}

/* An array of ids (no id twice) or of strings. */
static void check_list(check *c, const json_t *v, int ids)
{
	if (want_array(c, v) < 0)
		return;
	size_t i;
	json_t *e;
	/* duplicates: a scan of the ones before for a short list (a few
	 * authors), a table of their hashes for a long one (an article with
	 * 40 000 keyword links) */
	size_t n = json_array_size(v);
	mie_table seen;
	if (ids && n > 16)
		mie_table_init(&seen, sizeof(size_t), n);
	json_array_foreach(v, i, e)
	{
		push_index(c, i);
		if (ids)
			check_id(c, e);
		else
			want_string(c, e);
		int dup = 0;
		if (ids && json_is_string(e) && n > 16) {
			uint64_t key = mie_hash(json_string_value(e), json_string_length(e), 0) | 1;
			size_t pos = 0;
			for (size_t *j; !dup && (j = mie_table_next(&seen, key, &pos));)
				dup = json_equal(e, json_array_get(v, *j));
			if (!dup)
				*(size_t *)mie_table_add(&seen, key) = i;
		}
		for (size_t j = 0; ids && n <= 16 && json_is_string(e) && j < i && !dup; j++)
			dup = json_equal(e, json_array_get(v, j));
		if (dup)
			problem(c, "duplicate \"%.*s%s\"", QUOTED(json_string_value(e)));
		pop(c);
	}
	if (ids && n > 16)
		mie_table_release(&seen);
}

/* Any JSON value: its strings and member names are checked (variants keep
 * whatever differed, of any kind). */
static void check_any(check *c, const json_t *v)
{
	if (json_is_string(v)) {
		check_text_value(c, v);
	} else if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++) {
			push_index(c, i);
			check_any(c, json_array_get(v, i));
			pop(c);
		}
	} else if (json_is_object(v)) {
		EACH_MEMBER(it, v)
		{
			push_key(c, json_object_iter_key(it));
			check_key(c, it);
			check_any(c, json_object_iter_value(it));
			pop(c);
		}
	}
}

/* ---- objects with a fixed set of members ---- */

/* Member kinds inside the fixed objects (text, legacy, provenance,
 * repairs); M_REQUIRED is or'ed in. */
enum { M_STRING, M_INT, M_DATE, M_REPAIRS, M_REQUIRED = 8 };

typedef struct member {
	const char *name;
	size_t len; /* strlen(name) */
	int kind;
} member;
#define MEMBER(name, kind)                                                                         \
	{                                                                                          \
		name, sizeof name - 1, kind                                                        \
	}

static const member text_members[] = {MEMBER("spip", M_STRING),
                                      MEMBER("html", M_STRING),
                                      MEMBER("plain", M_STRING),
                                      {NULL, 0, 0}};
static const member legacy_members[] = {MEMBER("site", M_STRING),
                                        MEMBER("table", M_STRING),
                                        MEMBER("id", M_STRING),
                                        MEMBER("url", M_STRING),
                                        {NULL, 0, 0}};
/* "path", not "field" (the first draft's name): a member named "field" would be
 * written <field name="field"> in XML (field is the mapping's own name). */
static const member repair_members[] = {
        MEMBER("kind", M_STRING | M_REQUIRED), MEMBER("path", M_STRING), MEMBER("detail", M_STRING),
        MEMBER("original", M_STRING),          MEMBER("count", M_INT),   {NULL, 0, 0}};
static const member provenance_members[] = {MEMBER("format", M_STRING | M_REQUIRED),
                                            MEMBER("file", M_STRING),
                                            MEMBER("member", M_STRING),
                                            MEMBER("charset", M_STRING),
                                            MEMBER("date", M_DATE),
                                            MEMBER("line", M_INT),
                                            MEMBER("row", M_INT),
                                            MEMBER("repairs", M_REPAIRS),
                                            MEMBER("record", M_STRING),
                                            {NULL, 0, 0}};

static void check_object_array(check *c, const json_t *v, int nonempty, const member *m);

/* Members of o from m (anything else is an unknown field), then the
 * required ones that are missing (not met: the names of an object are
 * unique, so no other member has the name). */
static void check_members(check *c, const json_t *o, const member *m)
{
	if (want_object(c, o) < 0)
		return;
	unsigned met = 0; /* bit i: m[i] is in o */
	EACH_MEMBER(it, o)
	{
		const char *k = json_object_iter_key(it);
		size_t n = json_object_iter_key_len(it);
		json_t *e = json_object_iter_value(it);
		push_key(c, k);
		const member *x = m;
		while (x->name && (x->len != n || x->name[0] != k[0] || memcmp(x->name, k, n) != 0))
			x++;
		met |= 1u << (x - m);
		switch (x->name ? x->kind & ~M_REQUIRED : -1) {
		case M_STRING: want_string(c, e); break;
		case M_INT: check_int(c, e); break;
		case M_DATE: check_date(c, e); break;
		case M_REPAIRS: check_object_array(c, e, 0, repair_members); break;
		default: problem(c, "unknown field");
		}
		pop(c);
	}
	for (const member *x = m; x->name; x++)
		if ((x->kind & M_REQUIRED) && !(met & 1u << (x - m))) {
			push_key(c, x->name);
			problem(c, "missing");
			pop(c);
		}
}

/* An array of objects checked by check_members; non-empty when asked. */
static void check_object_array(check *c, const json_t *v, int nonempty, const member *m)
{
	if (!json_is_array(v) || (nonempty && json_array_size(v) == 0)) {
		problem(c, nonempty ? "must be a non-empty array" : "must be an array");
		return;
	}
	for (size_t i = 0; i < json_array_size(v); i++) {
		push_index(c, i);
		check_members(c, json_array_get(v, i), m);
		pop(c);
	}
}

/* extra: {name: string}; variants: {name: [any JSON...]}. */
static void check_named(check *c, const json_t *v, int variants)
{
	if (want_object(c, v) < 0)
		return;
	EACH_MEMBER(it, v)
	{
		json_t *e = json_object_iter_value(it);
		push_key(c, json_object_iter_key(it));
		check_key(c, it);
		if (!variants)
			want_string(c, e);
		else if (want_array(c, e) == 0)
			check_any(c, e);
		pop(c);
	}
}

static unsigned type_bit(const char *type);

static void check_value(check *c, const struct field *f, const json_t *v)
{
	switch (f->kind) {
	case K_STRING: want_string(c, v); break;
	case K_TYPE:
		if (want_string(c, v) == 0 && !type_bit(json_string_value(v)))
			problem(c, "unknown record type \"%.*s%s\"", QUOTED(json_string_value(v)));
		break;
	case K_VERSION:
		if (!json_is_string(v) || strcmp(json_string_value(v), MIE_SCHEMA_VERSION) != 0)
			problem(c, "must be \"%s\"", MIE_SCHEMA_VERSION);
		break;
	case K_ID: check_id(c, v); break;
	case K_IDLIST: check_list(c, v, 1); break;
	case K_STRLIST: check_list(c, v, 0); break;
	case K_DATE: check_date(c, v); break;
	case K_LANG:
		if (want_string(c, v) == 0 && !valid_lang(json_string_value(v)))
			problem(c, "not a language tag: \"%.*s%s\"", QUOTED(json_string_value(v)));
		break;
	case K_INT: check_int(c, v); break;
	case K_SCORE:
		if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1)
			problem(c, "must be a number from 0 to 1");
		break;
	case K_METHOD: {
		const char *s = json_string_value(v);
		if (!s || (strcmp(s, "identity") && strcmp(s, "exact") && strcmp(s, "near") &&
		           strcmp(s, "name")))
			problem(c, "must be one of identity, exact, near, name");
		break;
	}
	case K_TEXT: check_members(c, v, text_members); break;
	case K_LEGACY: check_members(c, v, legacy_members); break;
	case K_EXTRA: check_named(c, v, 0); break;
	case K_VARIANTS: check_named(c, v, 1); break;
	case K_PROVENANCE: check_object_array(c, v, 1, provenance_members); break;
	}
}

/* ---- records ---- */

/* Index of fields[] by name (a position in it a value), built once
 * (pthread_once: the checks are thread-safe), so that a member is found
 * with one hash and usually one comparison. */
static mie_table field_index;
static unsigned char field_len[NFIELDS]; /* strlen(fields[i].name) */
static pthread_once_t index_once = PTHREAD_ONCE_INIT;
_Static_assert(NFIELDS <= 255, "a field's position is a byte");

static void build_index(void)
{
	mie_table_init(&field_index, 1, NFIELDS);
	for (size_t i = 0; i < NFIELDS; i++) {
		field_len[i] = (unsigned char)strlen(fields[i].name);
		*(unsigned char *)mie_table_add(&field_index,
		                                mie_hash_key(fields[i].name, field_len[i])) =
		        (unsigned char)i;
	}
}

/* The field named by the n bytes at name (a member name: no NUL in it), or
 * NULL; the index is built (pthread_once by the caller, once a record). */
static const struct field *find_field(const char *name, size_t n)
{
	uint64_t key = mie_hash_key(name, n);
	size_t pos = 0;
	for (const unsigned char *i; (i = mie_table_next(&field_index, key, &pos));)
		if (field_len[*i] == n && memcmp(fields[*i].name, name, n) == 0)
			return &fields[*i];
	return NULL;
}

/* The bit of a known record type, 0 for any other string or NULL. */
static unsigned type_bit(const char *type)
{
	for (int i = 0; type && mie_record_types[i]; i++)
		if (type[0] == mie_record_types[i][0] && strcmp(type, mie_record_types[i]) == 0)
			return 1u << i;
	return 0;
}

int mie_schema_check(const json_t *rec, mie_schema_report_fn report, void *ctx)
{
	check c;
	c.report = report, c.ctx = ctx, c.problems = 0, c.depth = 0;
	if (!json_is_object(rec)) {
		problem(&c, "must be an object, not %s", kind_name(json_typeof(rec)));
		return c.problems;
	}
	pthread_once(&index_once, build_index);
	/* "type" then "id" lead (the XML form depends on it): one message for
	 * a misplaced pair, none for a missing member (reported as missing).
	 * Both are looked up only when they are not where they should be. */
	void *it = json_object_iter((json_t *)rec), *id_at = it;
	const int type_first = it && strcmp(json_object_iter_key(it), "type") == 0;
	const json_t *type = type_first ? json_object_iter_value(it) : json_object_get(rec, "type");
	if (type)
		id_at = type_first ? json_object_iter_next((json_t *)rec, it) : NULL;
	const int id_placed = id_at && strcmp(json_object_iter_key(id_at), "id") == 0;
	const json_t *id = id_placed ? json_object_iter_value(id_at) : json_object_get(rec, "id");
	unsigned bit = type_bit(json_string_value(type));
	if (type && !type_first) {
		push_key(&c, "type");
		problem(&c, "must be the first member");
		pop(&c);
	} else if (id && !id_placed) {
		push_key(&c, "id");
		problem(&c, type ? "must be the second member" : "must be the first member");
		pop(&c);
	}
	static const char *const required[] = {"type", "id"};
	for (int i = 0; i < 2; i++)
		if (!(i ? id : type)) {
			push_key(&c, required[i]);
			problem(&c, "missing");
			pop(&c);
		}
	EACH_MEMBER(m, rec)
	{
		const char *k = json_object_iter_key(m);
		push_key(&c, k);
		const struct field *f = find_field(k, json_object_iter_key_len(m));
		if (!f)
			problem(&c, "unknown field");
		else if (bit && !(f->types & bit))
			problem(&c, "not a field of %s records", json_string_value(type));
		else
			check_value(&c, f, json_object_iter_value(m));
		pop(&c);
	}
	return c.problems;
}

void mie_schema_each_ref(const json_t *rec, mie_schema_ref_fn fn, void *ctx)
{
	pthread_once(&index_once, build_index);
	EACH_MEMBER(m, rec)
	{
		const struct field *f =
		        find_field(json_object_iter_key(m), json_object_iter_key_len(m));
		if (!f || !(f->flags & REF))
			continue;
		json_t *v = json_object_iter_value(m);
		if (json_is_string(v)) {
			fn(ctx, f->name, json_string_value(v));
		} else {
			size_t j;
			json_t *e;
			json_array_foreach(v, j, e)
			{
				if (json_is_string(e))
					fn(ctx, f->name, json_string_value(e));
			}
		}
	}
}

int mie_schema_field_at(size_t i, const char *type, mie_schema_field *f)
{
	if (i >= NFIELDS)
		return -1;
	static const unsigned char coarse[] = {
	        [K_STRING] = MIE_FIELD_STRING,   [K_TYPE] = MIE_FIELD_STRING,
	        [K_ID] = MIE_FIELD_ID,           [K_IDLIST] = MIE_FIELD_IDS,
	        [K_STRLIST] = MIE_FIELD_STRINGS, [K_DATE] = MIE_FIELD_STRING,
	        [K_LANG] = MIE_FIELD_STRING,     [K_INT] = MIE_FIELD_INT,
	        [K_SCORE] = MIE_FIELD_NUMBER,    [K_TEXT] = MIE_FIELD_TEXT,
	        [K_LEGACY] = MIE_FIELD_OBJECT,   [K_PROVENANCE] = MIE_FIELD_OBJECT,
	        [K_EXTRA] = MIE_FIELD_OBJECT,    [K_VARIANTS] = MIE_FIELD_OBJECT,
	        [K_METHOD] = MIE_FIELD_STRING,   [K_VERSION] = MIE_FIELD_STRING,
	};
	f->name = fields[i].name;
	f->kind = (mie_field_kind)coarse[fields[i].kind];
	f->ref = (fields[i].flags & REF) != 0;
	return (fields[i].types & type_bit(type)) != 0;
}
