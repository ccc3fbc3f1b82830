/* mie_schema.h — checks one record against interchange schema v1
 * (schemas/README.md).
 *
 * The field table in mie_schema.c is the single statement of the schema's
 * fields (names, kinds, record types allowed, references); the XSD and the
 * JSON Schema are generated from it (schemas/gen-schemas.py).  Beyond what
 * those two can say, mie_schema_check also requires "type" and "id" to be
 * the first two members and dates to be real days.  It does not look
 * across records: unique ids and dangling references are mie-validate's
 * (mie_xref.h), fed by mie_schema_each_ref.
 *
 * Pure functions, thread-safe; a valid record is checked without any
 * allocation. */
#ifndef MIE_SCHEMA_H
#define MIE_SCHEMA_H

#include <jansson.h>

/* Called once per problem.  field: path of the field ("title",
 * "provenance[0].repairs[1].kind", "text.html"; "" for the record itself);
 * problem: lowercase, no final full stop ("unknown field", "missing",
 * "not a date: \"2006-02-31\"").  Both borrowed for the call. */
typedef void (*mie_schema_report_fn)(void *ctx, const char *field, const char *problem);

/* Checks rec (borrowed; any JSON value: a non-object is one problem at
 * field "").  Every string, member names of extra and variants included,
 * must be strict UTF-8 made of XML Chars.  Problems are reported in the
 * order of the record's members, "missing" after the members of the same
 * object.  Returns the number of problems reported. */
int mie_schema_check(const json_t *rec, mie_schema_report_fn report, void *ctx);

/* Calls fn(ctx, field, id) for every id reference the record holds, in the
 * record's order: the id-valued fields (section, parent, group, about) and
 * every string in the id-list fields (authors, keywords, documents,
 * members) — the fields marked REF in the table.  links, duplicate_of and
 * merged_from are not references to resolve in the stream (they may name
 * other sites' records or records merged away).  Values of the wrong kind
 * are skipped (call it on records mie_schema_check accepted).  field and id
 * are borrowed for the call. */
typedef void (*mie_schema_ref_fn)(void *ctx, const char *field, const char *id);
void mie_schema_each_ref(const json_t *rec, mie_schema_ref_fn fn, void *ctx);

/* The fields of schema v1, for writers that lay records out by field (a
 * typed table): the i-th entry of the field table, i from 0.  Coarse kinds:
 * one JSON shape each. */
typedef enum mie_field_kind {
	MIE_FIELD_STRING,  /* a string (dates, languages, methods included) */
	MIE_FIELD_ID,      /* one id */
	MIE_FIELD_IDS,     /* an array of ids */
	MIE_FIELD_STRINGS, /* an array of strings (section_path) */
	MIE_FIELD_INT,     /* a whole number */
	MIE_FIELD_NUMBER,  /* a score */
	MIE_FIELD_TEXT,    /* a text object: spip, html, plain */
	MIE_FIELD_OBJECT,  /* anything else: legacy, provenance, extra, variants */
} mie_field_kind;

typedef struct mie_schema_field {
	const char *name; /* static */
	mie_field_kind kind;
	int ref; /* its ids are references to resolve in the stream */
} mie_schema_field;

/* Fills *f with the i-th field; returns 1 when records of `type` may carry
 * it, 0 when they may not, -1 when i is past the last field. */
int mie_schema_field_at(size_t i, const char *type, mie_schema_field *f);

#endif
