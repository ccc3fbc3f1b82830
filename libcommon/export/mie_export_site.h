/* mie_export_site.h — where each record goes in a static-site layout: a
 * Hugo content tree, a Jekyll site, or the offline html archive
 * (mie_export_paths.h), so that the Markdown writer's files and links and
 * the redirect maps agree by one definition.
 *
 * The layouts (URL paths relative to the site's root, no leading '/'; the
 * file is where the Markdown writer puts the record):
 *   type          hugo: URL, file                jekyll: URL, file
 *   section       S1/S2/  content/S1/S2/_index.md   S1/S2/  S1/S2/index.md
 *   article       SEC/L-T/  content/SEC/L-T/index.md   Y/M/L-T/  _posts/Y-M-D-L-T.md
 *   brief         SEC/breve-L-T/ (a bundle too)   Y/M/breve-L-T/  _posts/Y-M-D-breve-L-T.md
 *   organisation  organisations/L/  content/organisations/L.md   (jekyll: organisations/L.md)
 *   keyword       mots/L-T/  content/mots/L-T.md              (jekyll: mots/L-T.md)
 *   author        auteurs/L-T/  content/auteurs/L-T.md        (jekyll: auteurs/L-T.md)
 *   document      hugo: in the bundle of the first article or brief (in
 *                 input order) that lists it: BUNDLE/NAME, its file's base
 *                 name; else files/FILE (static/files/FILE); jekyll:
 *                 files/FILE; without a safe `file`: no place
 * S1/S2 are the slugs of the section_path titles (a section's own path
 * ends with its title), SEC those of an article's section_path (none:
 * "articles"), L the slug of the id's last part, T the slug of the title,
 * Y M D the date_published (else date_modified, else 1970-01-01).  A slug
 * is the comparison form (mie_text_fold) with every run of what is not
 * a-z 0-9 one '-', at most 60 bytes, "sans-titre" when empty.  The html
 * layout is mie_export_paths.h's, taken as it is.  Other types (comment,
 * keyword_group, dossier…) have no place.
 *
 * Invariants: URLs of directory pages end with '/'; two records never get
 * one URL (the later one, in input order, gets "-2", "-3"… on its last
 * part), so the result depends only on the records and their order; a URL
 * and a file are made of a-z 0-9 - / . and the bytes of the documents'
 * `file` names (mie_export_href escapes them).
 *
 * Held: one entry per placed record (its id, URL and file, about 200
 * bytes), which is the bound of both writers using it. */
#ifndef MIE_EXPORT_SITE_H
#define MIE_EXPORT_SITE_H

#include <jansson.h>

#include "core/mie_buf.h"

enum mie_site_layout { MIE_SITE_HTML, MIE_SITE_HUGO, MIE_SITE_JEKYLL };

/* The layout named s ("html", "hugo", "jekyll"), or -1. */
int mie_site_layout_parse(const char *s);

typedef struct mie_export_site mie_export_site;

/* A new, empty placement for `layout`; the caller owns it. */
mie_export_site *mie_export_site_new(int layout);
/* Frees *s and clears it; NULL or *s NULL: nothing. */
void mie_export_site_free(mie_export_site **s);

/* Places rec (borrowed for the call): every record, in input order, before
 * mie_export_site_done.  Returns 1 when it has a place, 0 when not. */
int mie_export_site_add(mie_export_site *s, const json_t *rec);
/* Places the documents (they follow the records listing them); call once,
 * after the last add. */
void mie_export_site_done(mie_export_site *s);

/* After done: the URL path of the record with this id, or NULL when it
 * has no place.  Borrowed until mie_export_site_free. */
const char *mie_export_site_url(const mie_export_site *s, const char *id);
/* After done: the file of that record in the Markdown tree (documents:
 * where the attachment is copied), or NULL.  Borrowed likewise. */
const char *mie_export_site_file(const mie_export_site *s, const char *id);

/* Appends the slug of s (see above) to out. */
void mie_export_slug(mie_buf *out, const char *s);

#endif
