/* mie_record.h — the one record model.
 *
 * A record is a jansson JSON object (json_t *).  jansson keeps object members
 * in insertion order, so a record's fields are ordered; readers insert them
 * in the order they read them and writers write them in that order, which
 * makes every conversion deterministic and XML <-> JSONL lossless.
 *
 * Invariants every producer of records keeps (mie-validate checks them):
 * - "type" and "id" are the first two members, both strings;
 * - every string is strict UTF-8 made only of XML 1.0 Chars (see mie_utf8.h),
 *   in NFC when it came from legacy text;
 * - the fields are those of schema v1 (schemas/README.md); whatever a source
 *   has that fits no field goes verbatim, as a string, under "extra".
 *
 * Ownership follows jansson: functions named *_new return a new reference
 * the caller must json_decref(); getters return borrowed references that
 * live as long as the record. */
#ifndef MIE_RECORD_H
#define MIE_RECORD_H

#include <jansson.h>
#include <stddef.h>

#include "core/mie_buf.h"
#include "core/mie_err.h"

#define MIE_SCHEMA_VERSION     "1"
#define MIE_SCHEMA_VERSION_STR MIE_SCHEMA_VERSION
#define MIE_XML_NS             "urn:infomie:mie:interchange:1"

/* New record {"type": type, "id": id}.  Both strings are copied. */
json_t *mie_rec_new(const char *type, const char *id);

/* Builds the stable id "SITE:TYPE:LOCAL" (e.g. "infomie.net:article:78")
 * into a malloc'd string the caller frees. */
char *mie_rec_make_id(const char *site, const char *type, const char *local);

/* Borrowed string member, or NULL when absent or not a string. */
const char *mie_rec_str(const json_t *obj, const char *key);

/* The record's id for messages: its "id" string, or "-". Borrowed. */
const char *mie_rec_id_or_dash(const json_t *rec);

/* Sets obj[key] to the n bytes at s.  Returns 0, or -1 (nothing set) when s
 * is not valid UTF-8 or holds a NUL; the caller must repair first. */
int mie_rec_set_strn(json_t *obj, const char *key, const char *s, size_t n);
int mie_rec_set_str(json_t *obj, const char *key, const char *s);
/* Sets obj[key] to text that mie's text layer made from record text
 * (rendered HTML, its plain text), without scanning it again: an importer's
 * records all pass mie_import_emit's schema check (valid UTF-8, XML
 * characters) before they are written, so a fault there is still caught. */
void mie_rec_set_made(json_t *obj, const char *key, const char *s, size_t n);

/* A title kept with its sort number ("04. Circulaire du 12 mars", SPIP's
 * way of ordering): the number goes to rec's "rank" and the title loses
 * "04. ".  The one rule for every reader (dumps, saved pages).  rec is
 * borrowed; nothing changes when its title has no such number. */
void mie_rec_take_rank(json_t *rec);

/* Appends a string to the array obj[key] (created when absent) unless the
 * array already holds it.  Returns 0, or -1 on invalid UTF-8. */
int mie_rec_add_unique(json_t *obj, const char *key, const char *s);

/* Appends a provenance entry {"format", "file", "member", "line", "charset"}
 * (absent parts omitted) to rec's "provenance" array and returns it
 * (borrowed).  Repairs are then added to that entry. */
json_t *mie_rec_add_provenance(json_t *rec, const char *format, const mie_loc *loc,
                               const char *charset);

/* Appends {"kind", "path" (= field), "detail", "original"} (NULL parts omitted) to the
 * "repairs" array of a provenance entry.  `original`, when given, is a
 * reversible trace of the bytes replaced (see mie_rec_escape_bytes). */
void mie_rec_add_repair(json_t *prov, const char *kind, const char *field, const char *detail,
                        const char *original);

/* Appends n arbitrary bytes to out as printable ASCII that can be turned
 * back into the same bytes (a repair's `original`): printable ASCII stays,
 * '\' becomes "\\", anything else "\xNN" (lowercase hex). */
void mie_rec_add_escaped(mie_buf *out, const void *p, size_t n);

/* mie_rec_add_escaped into a malloc'd string the caller frees. */
char *mie_rec_escape_bytes(const void *p, size_t n);

/* The stable order of the record types of schema v1, for messages and
 * summaries; NULL-terminated. */
extern const char *const mie_record_types[];
int mie_record_type_known(const char *type);

#endif
