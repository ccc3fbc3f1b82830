/* mie_export_paths.h — the one rule giving a record's place in the layout
 * of the offline HTML archive (`mie-export --to html`), so that the html
 * writer's links, the redirect maps and any other writer pointing at the
 * archive agree by one definition.
 *
 * The layout (every path relative to the archive's top, '/' separated):
 *   index.html                 the home page (section tree, counts)
 *   search.html                the offline search page
 *   TYPE/LOCAL.html            a record "SITE:TYPE:LOCAL" (article/78.html,
 *                              brief/4.html, section/3.html, keyword/1.html,
 *                              author/2.html, organisation/…, dossier/…)
 *   files/PATH                 a document record with a `file` (its
 *                              attachment as it was under the site's root:
 *                              files/IMG/pdf/guide.pdf); a document without
 *                              a usable `file` is document/LOCAL.html
 *   year/YYYY.html, month/YYYY-MM.html   the indexes by date
 *   assets/…, search/…         the stylesheet, the script, the index pieces
 *
 * Invariants:
 *  - TYPE is the id's middle part; LOCAL is the id's last part with every
 *    byte other than A-Z a-z 0-9 '-' '_' written "~HH" (uppercase hex; '~'
 *    itself too), so a path is a portable file name, needs no escaping in
 *    a URL, and two ids never share a path;
 *  - a record page is always at depth 1 (one folder), so a link from one
 *    record page to another is "../" + the path;
 *  - a document's files/PATH keeps its `file` as it is when that is a
 *    relative path with no empty, "." or ".." part and no control
 *    character (mie_bagit_path_problem) and does not start with '/';
 *    mie_export_href escapes it for an href. */
#ifndef MIE_EXPORT_PATHS_H
#define MIE_EXPORT_PATHS_H

#include <jansson.h>

#include "core/mie_buf.h"

/* Appends to out the path of the record whose id is `id`
 * ("SITE:TYPE:LOCAL") in the html layout; `file` is a document's `file`
 * (or NULL).  Returns 0, or -1 (nothing appended) when id is not of that
 * form.  Strings are borrowed for the call. */
int mie_export_html_path(mie_buf *out, const char *id, const char *file);

/* The same for a record (its "id" and, for a document, its "file"). */
int mie_export_html_path_of(mie_buf *out, const json_t *rec);

/* Appends path escaped for an href or src attribute: every byte other than
 * A-Z a-z 0-9 and - _ . ~ / as %HH (so a space is %20, '&' %26). */
void mie_export_href(mie_buf *out, const char *path);

#endif
