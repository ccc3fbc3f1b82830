/* mie_page.h — one saved page of the public site to a record, for the
 * readers that find pages inside other containers (web archives). */
#ifndef MIE_PAGE_H
#define MIE_PAGE_H

#include <stddef.h>

#include "mie_import.h"

/* Imports the n bytes of one HTML page (borrowed).  http_charset: the
 * charset of the HTTP Content-Type, or NULL; uri: the capture URI, used
 * for the id when the page has no canonical link (NULL: the file name);
 * where: the input, for messages and provenance; capture_date: ISO date of
 * the capture, or NULL.  Counts under source "html" (records, or skipped
 * non-content pages).  Returns 0, or -1 on an output error. */
/* A kind of SPIP object a legacy URL names: the word in the URL
 * ("rubrique"), the record type ("section") and the dump's table. */
typedef struct mie_page_kind {
	const char *word, *type, *table;
} mie_page_kind;

/* The object a legacy URL, file name or capture URI s names:
 * spip.php?article78, article78.html, spip.php?page=article&id_article=78,
 * wget's spip.php@article78.html and spip.php%3Farticle78.html, and the
 * same for rubrique and breve.  Returns its kind (static) and sets *num,
 * or NULL.  The one rule for pages, captures and feed items. */
const mie_page_kind *mie_page_object(const char *s, long *num);

int mie_page_import(mie_import *ctx, const char *bytes, size_t n, const char *http_charset,
                    const char *uri, const mie_loc *where, const char *capture_date);

#endif
