/* mie_page.h — one saved page of the public site to a record, for the
 * readers that find pages inside other containers (web archives). */
#ifndef MIE_PAGE_H
#define MIE_PAGE_H

#include <stddef.h>

#include "import/mie_import.h"

/* What the container reader repaired before the page, recorded in its
 * provenance. */
enum mie_page_flags {
	/* HTTP said "Transfer-Encoding: chunked" but the body was stored
	 * de-chunked: read as it is */
	MIE_PAGE_NOT_CHUNKED = 1 << 0,
	/* the page comes from an ARC file: provenance format "arc" */
	MIE_PAGE_ARC = 1 << 1,
};

/* Imports the n bytes of one HTML page (borrowed).  http_charset: the
 * charset of the HTTP Content-Type, or NULL; uri: the capture URI, used
 * for the id when the page has no canonical link (NULL: the file name);
 * where: the input, for messages and provenance; capture_date: ISO date of
 * the capture, or NULL; flags: mie_page_flags.  Counts under source "html"
 * (records, or skipped non-content pages).  Returns 0, or -1 on an output
 * error. */
int mie_page_import(mie_import *ctx, const char *bytes, size_t n, const char *http_charset,
                    const char *uri, const mie_loc *where, const char *capture_date,
                    unsigned flags);

/* The SPIP objects a public URL names, in the order mie_page_object
 * returns them: word in the URL, record type, legacy table. */
typedef struct mie_page_kind {
	const char *word, *type, *table;
} mie_page_kind;
extern const mie_page_kind mie_page_kinds[]; /* article, rubrique, breve; NULL-ended */

/* Finds article78 / rubrique3 / breve4 (after '?', '/', '&', or the '@'
 * and "%3F" wget writes for '?' in file names) or id_article=78 in s.  Returns the index in
 * mie_page_kinds and sets *num, or -1. */
int mie_page_object(const char *s, long *num);

#endif
