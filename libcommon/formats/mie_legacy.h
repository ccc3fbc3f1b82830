/* mie_legacy.h — the addresses the legacy SPIP 1.9 site answered for a
 * record: the one rule of a record's legacy URL forms, used by the
 * importers (the canonical URL of legacy.url), the Markdown export (its
 * aliases) and the redirect maps.
 *
 * The forms, for a record of a SPIP object W number N (W the word of its
 * type, mie_legacy_word: article, rubrique, breve, auteur, mot):
 *   spip.php?WN   WN.html   spip.php?page=W&id_W=N   W.php3?id_W=N
 * (SPIP 1.9's "page" URLs, its "html" URLs, the long form of its links and
 * the SPIP 1.8 scripts it kept answering).  N is legacy.id, else the id's
 * last part, when it is a number; the objects merged into the record
 * (variants.legacy, merged_from of the same type) give their forms too.
 * A document gives its `file` ("IMG/pdf/guide.pdf") when that is a safe
 * relative path (mie_bagit_path_problem).  legacy.url gives its own path
 * and query when they are not among these.  A record of another type
 * (organisation, comment…) has no form.
 *
 * Invariants: a path is relative to the site's root (no leading '/'),
 * written as the site wrote it (not percent-encoded), never empty, and
 * given once per record; the order is the one above, the record's own
 * number first.  The hosts are legacy.site (else the id's site part) and
 * the same with "www." (whichever was not given); both schemes, http and
 * https, served the same paths. */
#ifndef MIE_LEGACY_H
#define MIE_LEGACY_H

#include <jansson.h>

#include "core/mie_buf.h"

/* The SPIP word of a record type in the site's URLs ("section" ->
 * "rubrique"; article, brief, author, keyword, site), or NULL.  Static. */
const char *mie_legacy_word(const char *type);

/* Called once per form: path is borrowed for the call. */
typedef void (*mie_legacy_fn)(void *arg, const char *path);

/* Calls fn for every legacy path of rec (borrowed) as stated above;
 * returns how many. */
int mie_legacy_paths(const json_t *rec, mie_legacy_fn fn, void *arg);

/* Calls fn for each host of rec (the bare host first, then "www."); returns
 * how many (0 when the record names no site). */
int mie_legacy_hosts(const json_t *rec, mie_legacy_fn fn, void *arg);

#endif
