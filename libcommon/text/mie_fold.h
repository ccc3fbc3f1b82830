/* mie_fold.h — the comparison form of text, for keys that match what a
 * reader would call the same words: dedup's signatures, CSV slugs.
 *
 * Lowercase, accents and other marks removed (NFKD, case folded), œ/æ as
 * oe/ae, every run of what is not a letter or digit one space, no space at
 * either end; HTML entities decoded first; invalid UTF-8 bytes read as
 * windows-1252 and double-encoded UTF-8 ("Ã©") read as meant.
 * Thread-safe. */
#ifndef MIE_FOLD_H
#define MIE_FOLD_H

#include <stddef.h>

#include "core/mie_buf.h"

/* Appends the comparison form of s (n bytes) to out. */
void mie_text_fold(mie_buf *out, const char *s, size_t n);
/* Appends the slug of s — its comparison form with '-' for the spaces
 * ("Secours populaire français" → secours-populaire-francais) — to out:
 * the local part of the ids of records that had no legacy id. */
void mie_text_slug(mie_buf *out, const char *s, size_t n);

#endif
