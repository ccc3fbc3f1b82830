/* mie_privacy.h — the one privacy rule of mie-import: which legacy columns
 * and values may leave in a record, a reject or a message, and the URL
 * userinfo taken out of every record.  man/mie-import.1 (PRIVACY) states
 * the same lists for users; schemas/README.md points there.
 *
 * Invariants every source reader keeps by asking this module:
 * - a credential (mie_privacy_column: MIE_PRIVACY_CREDENTIAL, or a value
 *   mie_privacy_is_hash calls one) never leaves, with or without
 *   --keep-personal: not in a record, a reject, a message or a summary;
 *   only its column name is said;
 * - personal data (MIE_PRIVACY_PERSONAL) leaves only with --keep-personal;
 * - what was withheld is named (never its value) on the record, in a
 *   "withheld" repair per value (mie_privacy_note), counted in the summary
 *   (mie_import_withheld).
 * Every function here is pure and thread-safe. */
#ifndef MIE_PRIVACY_H
#define MIE_PRIVACY_H

#include <jansson.h>
#include <stddef.h>

#include "core/mie_buf.h"

typedef enum mie_privacy_class {
	MIE_PRIVACY_KEEP = 0,       /* may leave */
	MIE_PRIVACY_PERSONAL = 1,   /* leaves only with --keep-personal */
	MIE_PRIVACY_CREDENTIAL = 2, /* never leaves */
} mie_privacy_class;

/* The deny rule, on every table and file: true when a whole word of the
 * column name (n bytes; French and English; case, accents and separators
 * ignored, camelCase split, trailing digits dropped) is a credential word
 * (pass, password, mdp, pwd, secret, token, key, salt, hash, cookie,
 * session, alea, htpass...) or the name holds "mot de passe" or "low sec".
 * "keywords" is not "key". */
int mie_privacy_is_credential(const char *name, size_t n);

/* True when `table` (a dump table, a CSV preset name) is about people: its
 * columns leave only from an allow-list (see mie_privacy_column). */
int mie_privacy_people_table(const char *table);

/* The class of column `name` of `table` (both NUL-terminated; table may
 * be NULL: a file without tables).  The deny rule first; then, in a people
 * table, the allow-list: KEEP for its public columns, PERSONAL for every
 * other one (email, login, ip and any column the list does not name); in
 * SPIP's content tables (articles, sections...) KEEP; elsewhere (CSV
 * columns no field holds, rows of unknown tables) PERSONAL when a word of
 * the name is about individuals (email, ip, login, contact, prénom,
 * portable...), else KEEP. */
mie_privacy_class mie_privacy_column(const char *table, const char *name);

/* True when v (n bytes) looks like a credential hash: crypt(3) forms
 * ("$1$", "$2y$", "$5$", "$6$", "$apr1$", "$argon2...") anywhere, and in a
 * people table (people != 0) 32, 40, 64 or 128 hex digits alone. */
int mie_privacy_is_hash(const char *v, size_t n, int people);

/* Whether a column's value may leave under --keep-personal or not
 * (keep_personal): its class, then its value. */
int mie_privacy_may_leave(const char *table, const char *name, const char *v, size_t n,
                          int keep_personal);

/* Removes the userinfo ("user:password@") of every "scheme://" URL in
 * s[0..n), appending the result to out.  Returns how many were removed
 * (0: out holds s as it was). */
size_t mie_privacy_strip_userinfo(mie_buf *out, const char *s, size_t n);

/* Strips URL userinfo from every string of rec (borrowed, changed in
 * place) but its provenance, recording for each field a "url-userinfo"
 * repair in prov (borrowed; the record's first provenance entry when
 * NULL) without the removed text.  Returns how many were removed. */
size_t mie_privacy_strip_record(json_t *rec, json_t *prov);

/* Records on prov (borrowed) that the value bound for `path` (the field
 * or "extra.COLUMN" it would have filled; borrowed) was withheld, and why:
 * a "withheld" repair naming the path, never the value. */
void mie_privacy_note(json_t *prov, const char *path, mie_privacy_class why);

#endif
