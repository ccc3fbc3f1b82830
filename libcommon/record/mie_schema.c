/* mie_schema.c — schema v1 checks, driven by one field table.
 *
 * The table below is the C statement of schemas/README.md: every field, its
 * kind, and the record types that may carry it.  The XSD and the JSON
 * Schema say the same; tests/cases/schema.sh holds the three to agreement
 * on valid and invalid examples. */
#include <stdio.h>
#include <string.h>

#include "mie_buf.h"
#include "mie_date.h"
#include "mie_record.h"
#include "mie_schema.h"
#include "mie_utf8.h"

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
	T_ALL = (1 << 13) - 1,
};

static const struct field {
	const char *name;
	enum kind kind;
	unsigned types;
} fields[] = {
	{"type", K_TYPE, T_ALL},
	{"id", K_ID, T_ALL},
	{"schema_version", K_VERSION, T_ALL},
	{"title", K_STRING, T_ALL},
	{"lang", K_LANG, T_ALL},
	{"status", K_STRING, T_ALL},
	{"date_published", K_DATE, T_ALL},
	{"date_modified", K_DATE, T_ALL},
	{"rank", K_INT, T_ALL},
	{"url", K_STRING, T_ALL},
	{"description", K_TEXT, T_ALL},
	{"keywords", K_IDLIST, T_ALL},
	{"links", K_IDLIST, T_ALL},
	{"section", K_ID, T_ARTICLE | T_BRIEF | T_SECTION | T_DOCUMENT | T_DOSSIER},
	{"section_path", K_STRLIST, T_ARTICLE | T_BRIEF | T_SECTION | T_DOSSIER},
	{"authors", K_IDLIST, T_ARTICLE | T_BRIEF | T_DOCUMENT | T_DOSSIER},
	{"documents", K_IDLIST, T_ARTICLE | T_BRIEF | T_SECTION | T_DOSSIER},
	{"text", K_TEXT,
	 T_ARTICLE | T_BRIEF | T_SECTION | T_COMMENT | T_AUTHOR | T_DOSSIER | T_PETITION |
		 T_SIGNATURE},
	{"lead", K_TEXT, T_ARTICLE | T_BRIEF | T_DOSSIER},
	{"ps", K_TEXT, T_ARTICLE | T_DOSSIER},
	{"notes", K_TEXT, T_ARTICLE | T_BRIEF | T_SECTION | T_COMMENT | T_DOSSIER},
	{"surtitle", K_STRING, T_ARTICLE},
	{"subtitle", K_STRING, T_ARTICLE},
	{"redirect", K_STRING, T_ARTICLE},
	{"email", K_STRING, T_AUTHOR | T_ORGANISATION},
	{"group", K_ID, T_KEYWORD},
	{"file", K_STRING, T_DOCUMENT},
	{"mime", K_STRING, T_DOCUMENT},
	{"size", K_INT, T_DOCUMENT},
	{"width", K_INT, T_DOCUMENT},
	{"height", K_INT, T_DOCUMENT},
	{"kind", K_STRING, T_DOCUMENT | T_ORGANISATION},
	{"about", K_ID, T_COMMENT | T_PETITION | T_SIGNATURE},
	{"parent", K_ID, T_COMMENT},
	{"author_name", K_STRING, T_COMMENT | T_SIGNATURE},
	{"author_email", K_STRING, T_COMMENT | T_SIGNATURE},
	{"ip", K_STRING, T_COMMENT | T_SIGNATURE},
	{"address", K_STRING, T_ORGANISATION},
	{"postcode", K_STRING, T_ORGANISATION},
	{"city", K_STRING, T_ORGANISATION},
	{"country", K_STRING, T_ORGANISATION},
	{"phone", K_STRING, T_ORGANISATION},
	{"members", K_IDLIST, T_DOSSIER},
	{"duplicate_of", K_ID, T_ALL},
	{"duplicate_method", K_METHOD, T_ALL},
	{"duplicate_score", K_SCORE, T_ALL},
	{"merged_from", K_IDLIST, T_ALL},
	{"variants", K_VARIANTS, T_ALL},
	{"legacy", K_LEGACY, T_ALL},
	{"provenance", K_PROVENANCE, T_ALL},
	{"extra", K_EXTRA, T_ALL},
};

/* The check of one record: where problems go, and the current path. */
typedef struct check {
	mie_schema_report_fn report;
	void *ctx;
	mie_buf path, msg;
	int problems;
} check;

static void problem(check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(check *c, const char *fmt, ...)
{
	va_list ap;
	mie_buf_reset(&c->msg);
	va_start(ap, fmt);
	mie_buf_vaddf(&c->msg, fmt, ap);
	va_end(ap);
	c->problems++;
	c->report(c->ctx, c->path.data, c->msg.data);
}

/* Path helpers: push ".name" or "[i]", pop back to a saved length. */
static size_t push_key(check *c, const char *k)
{
	size_t was = c->path.len;
	if (was)
		mie_buf_addc(&c->path, '.');
	mie_buf_adds(&c->path, k);
	return was;
}

static size_t push_index(check *c, size_t i)
{
	size_t was = c->path.len;
	mie_buf_addf(&c->path, "[%zu]", i);
	return was;
}

static void pop(check *c, size_t was)
{
	mie_buf_setlen(&c->path, was);
}

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

/* Every string: strict UTF-8 made of XML Chars. */
static int check_text_value(check *c, const json_t *v)
{
	const char *what;
	long at = mie_text_check(json_string_value(v), json_string_length(v), &what);
	if (at < 0)
		return 0;
	problem(c, "%s at byte %ld", what, at);
	return -1;
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

/* SITE:TYPE:LOCAL, no white space or control characters. */
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
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7F)
			return 0;
	return 1;
}

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
		problem(c, "not a date: \"%s\"", json_string_value(v));
}

static const char *const provenance_strings[] = {"format", "file", "member", "charset", NULL};
static void check_repairs(check *c, const json_t *v);

static void check_id(check *c, const json_t *v)
{
	if (want_string(c, v) == 0 && !valid_id(json_string_value(v), json_string_length(v)))
		problem(c, "not an id (SITE:TYPE:LOCAL): \"%s\"", json_string_value(v));
}

static void check_list(check *c, const json_t *v, int ids)
{
	if (!json_is_array(v)) {
		problem(c, "must be an array, not %s", kind_name(json_typeof(v)));
		return;
	}
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e)
	{
		size_t was = push_index(c, i);
		if (ids)
			check_id(c, e);
		else
			want_string(c, e);
		for (size_t j = 0; ids && json_is_string(e) && j < i; j++)
			if (json_equal(e, json_array_get(v, j))) {
				problem(c, "duplicate \"%s\"", json_string_value(e));
				break;
			}
		pop(c, was);
	}
}

/* An object whose members are all optional strings from `names`. */
static void check_string_object(check *c, const json_t *v, const char *const *names,
				int any_name)
{
	if (!json_is_object(v)) {
		problem(c, "must be an object, not %s", kind_name(json_typeof(v)));
		return;
	}
	const char *k;
	json_t *e;
	json_object_foreach((json_t *)v, k, e)
	{
		size_t was = push_key(c, k);
		int known = any_name;
		for (int i = 0; !known && names[i]; i++)
			known = strcmp(k, names[i]) == 0;
		if (!known)
			problem(c, "unknown field");
		else
			want_string(c, e);
		pop(c, was);
	}
}

/* Any JSON value: only its strings are checked (variants keep whatever
 * differed, of any kind). */
static void check_any(check *c, const json_t *v)
{
	if (json_is_string(v)) {
		check_text_value(c, v);
	} else if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++) {
			size_t was = push_index(c, i);
			check_any(c, json_array_get(v, i));
			pop(c, was);
		}
	} else if (json_is_object(v)) {
		const char *k;
		json_t *e;
		json_object_foreach((json_t *)v, k, e)
		{
			size_t was = push_key(c, k);
			check_any(c, e);
			pop(c, was);
		}
	}
}

static void check_int(check *c, const json_t *v)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		problem(c, "must be a whole number >= 0");
}

/* Checks the members of object o: `ints` name whole-number members,
 * `strings` string members; anything else is an unknown field.  `required`
 * (may be NULL) must be present. */
static void check_members(check *c, const json_t *o, const char *const *ints,
			  const char *const *strings, const char *required)
{
	if (!json_is_object(o)) {
		problem(c, "must be an object, not %s", kind_name(json_typeof(o)));
		return;
	}
	const char *k;
	json_t *e;
	json_object_foreach((json_t *)o, k, e)
	{
		size_t was = push_key(c, k);
		int done = 0;
		for (int i = 0; !done && ints[i]; i++)
			if (strcmp(k, ints[i]) == 0)
				check_int(c, e), done = 1;
		for (int i = 0; !done && strings[i]; i++)
			if (strcmp(k, strings[i]) == 0)
				want_string(c, e), done = 1;
		if (!done && strcmp(k, "repairs") == 0 && strings == provenance_strings)
			check_repairs(c, e), done = 1;
		if (!done && strcmp(k, "date") == 0 && strings == provenance_strings)
			check_date(c, e), done = 1;
		if (!done)
			problem(c, "unknown field");
		pop(c, was);
	}
	if (required && !json_object_get(o, required)) {
		size_t was = push_key(c, required);
		problem(c, "missing");
		pop(c, was);
	}
}

/* An array of objects checked by check_members; non-empty when asked. */
static void check_object_array(check *c, const json_t *v, int nonempty, const char *const *ints,
			       const char *const *strings, const char *required)
{
	if (!json_is_array(v) || (nonempty && json_array_size(v) == 0)) {
		problem(c, nonempty ? "must be a non-empty array" : "must be an array");
		return;
	}
	for (size_t i = 0; i < json_array_size(v); i++) {
		size_t was = push_index(c, i);
		check_members(c, json_array_get(v, i), ints, strings, required);
		pop(c, was);
	}
}

static void check_repairs(check *c, const json_t *v)
{
	static const char *const ints[] = {"count", NULL};
	static const char *const strings[] = {"kind", "path", "detail", "original", NULL};
	check_object_array(c, v, 0, ints, strings, "kind");
}

static void check_provenance(check *c, const json_t *v)
{
	static const char *const ints[] = {"line", NULL};
	check_object_array(c, v, 1, ints, provenance_strings, "format");
}

static void check_value(check *c, const struct field *f, const json_t *v)
{
	static const char *const text_names[] = {"spip", "html", "plain", NULL};
	static const char *const legacy_names[] = {"site", "table", "id", "url", NULL};
	switch (f->kind) {
	case K_STRING:
		want_string(c, v);
		break;
	case K_TYPE:
		if (want_string(c, v) == 0 && !mie_record_type_known(json_string_value(v)))
			problem(c, "unknown record type \"%s\"", json_string_value(v));
		break;
	case K_VERSION:
		if (!json_is_string(v) || strcmp(json_string_value(v), MIE_SCHEMA_VERSION) != 0)
			problem(c, "must be \"%s\"", MIE_SCHEMA_VERSION);
		break;
	case K_ID:
		check_id(c, v);
		break;
	case K_IDLIST:
		check_list(c, v, 1);
		break;
	case K_STRLIST:
		check_list(c, v, 0);
		break;
	case K_DATE:
		check_date(c, v);
		break;
	case K_LANG:
		if (want_string(c, v) == 0 && !valid_lang(json_string_value(v)))
			problem(c, "not a language tag: \"%s\"", json_string_value(v));
		break;
	case K_INT:
		check_int(c, v);
		break;
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
	case K_TEXT:
		check_string_object(c, v, text_names, 0);
		break;
	case K_LEGACY:
		check_string_object(c, v, legacy_names, 0);
		break;
	case K_EXTRA:
		check_string_object(c, v, NULL, 1);
		break;
	case K_VARIANTS:
		if (!json_is_object(v))
			problem(c, "must be an object, not %s", kind_name(json_typeof(v)));
		else
			check_any(c, v);
		break;
	case K_PROVENANCE:
		check_provenance(c, v);
		break;
	}
}

static const struct field *find_field(const char *name)
{
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

static unsigned type_bit(const char *type)
{
	for (int i = 0; type && mie_record_types[i]; i++)
		if (strcmp(type, mie_record_types[i]) == 0)
			return 1u << i;
	return 0;
}

int mie_schema_check(const json_t *rec, mie_schema_report_fn report, void *ctx)
{
	check c = {report, ctx, MIE_BUF_INIT, MIE_BUF_INIT, 0};
	const char *type = mie_rec_str(rec, "type");
	unsigned bit = type_bit(type);
	static const char *const required[] = {"type", "id"};
	for (int i = 0; i < 2; i++)
		if (!json_object_get(rec, required[i])) {
			size_t was = push_key(&c, required[i]);
			problem(&c, "missing");
			pop(&c, was);
		}
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)rec, k, v)
	{
		size_t was = push_key(&c, k);
		const struct field *f = find_field(k);
		if (!f)
			problem(&c, "unknown field");
		else if (bit && !(f->types & bit))
			problem(&c, "not a field of %s records", type);
		else
			check_value(&c, f, v);
		pop(&c, was);
	}
	mie_buf_release(&c.path);
	mie_buf_release(&c.msg);
	return c.problems;
}

void mie_schema_each_ref(const json_t *rec, mie_schema_ref_fn fn, void *ctx)
{
	static const char *const single[] = {"section", "parent", "group", "about", NULL};
	static const char *const lists[] = {"authors", "keywords", "documents", "members", NULL};
	for (int i = 0; single[i]; i++) {
		const char *s = mie_rec_str(rec, single[i]);
		if (s)
			fn(ctx, single[i], s);
	}
	for (int i = 0; lists[i]; i++) {
		const json_t *a = json_object_get(rec, lists[i]);
		size_t j;
		json_t *e;
		json_array_foreach(a, j, e)
		{
			if (json_is_string(e))
				fn(ctx, lists[i], json_string_value(e));
		}
	}
}
