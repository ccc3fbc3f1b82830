/* mie_schema.h — checks one record against interchange schema v1
 * (schemas/README.md).  The field table behind it is the single source of
 * truth in C for field names, kinds and the record types allowing them.
 *
 * (API fixed by the lead so that mie-validate can be written against it;
 * the implementation is mie_schema.c.) */
#ifndef MIE_SCHEMA_H
#define MIE_SCHEMA_H

#include <jansson.h>

/* Called once per problem.  field: path of the field ("title",
 * "provenance[0].repairs[1].kind", "text.html"; "" for the record itself);
 * problem: lowercase, no final full stop ("unknown field", "missing",
 * "not a date: \"2006-02-31\"").  Both borrowed for the call. */
typedef void (*mie_schema_report_fn)(void *ctx, const char *field, const char *problem);

/* Checks rec (borrowed).  Returns the number of problems reported. */
int mie_schema_check(const json_t *rec, mie_schema_report_fn report, void *ctx);

/* Calls fn(ctx, field, id) for every id reference the record holds:
 * the id-valued fields (section, parent, group, about) and every string in
 * the id-list fields (authors, keywords, documents, members).  Used for the
 * dangling-reference check.  field and id are borrowed for the call. */
typedef void (*mie_schema_ref_fn)(void *ctx, const char *field, const char *id);
void mie_schema_each_ref(const json_t *rec, mie_schema_ref_fn fn, void *ctx);

#endif
