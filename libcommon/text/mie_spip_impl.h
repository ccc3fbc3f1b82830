/* mie_spip_impl.h — internals shared by the mie_spip_*.c files (not an API).
 *
 * Rendering state: pieces of ready HTML set aside during the passes are
 * kept in `saved` and stand in the text as placeholders "\x02N\x03" (the
 * input is stripped of \x02 and \x03 first, so no placeholder is forged).
 * A piece marked `block` standing alone between blank lines is written
 * without a paragraph around it. */
#ifndef MIE_SPIP_IMPL_H
#define MIE_SPIP_IMPL_H

#include "text/mie_scan.h"
#include "text/mie_spip.h"

typedef struct spip_piece {
	char *html; /* owned */
	int block;
} spip_piece;

typedef struct spip_render {
	const mie_spip_ctx *ctx; /* borrowed */
	mie_spip_out *o;         /* borrowed */
	spip_piece *saved;       /* owned */
	size_t nsaved;
	int nnotes;    /* last note number used */
	mie_buf notes; /* source HTML of the notes block */
} spip_render;

/* Sets html (taken, malloc'd) aside; appends its placeholder to out. */
void spip_save(spip_render *r, mie_buf *out, char *html, int block);
/* Index of the placeholder exactly filling s[0..n) (spaces around allowed)
 * when it is a block piece, else -1. */
long spip_block_piece(const spip_render *r, const char *s, size_t n);

/* Inline shortcuts of s[0..n) (braces, links, anchors, glossary, models,
 * ~), appended to out.  in_link: inside a link text (no links then). */
void spip_inline(spip_render *r, const char *s, size_t n, mie_buf *out, int in_link);
/* Block structure of s[0..n): paragraphs, intertitles, rules, lists,
 * tables. */
void spip_blocks(spip_render *r, const char *s, size_t n, mie_buf *out);
/* Typography (see mie_spip.h) of sanitized HTML s[0..n), appended to out. */
void spip_typo(const char *lang, const char *s, size_t n, mie_buf *out);

/* A handler of a span s[0..n) of text, appending to out. */
typedef void (*spip_span_fn)(void *arg, const char *s, size_t n, mie_buf *out);
/* Cuts s[0..n) at each open…close pair (delimiters matched ignoring
 * case): inside(arg, body) for each body, outside(arg, text) for the text
 * around (NULL: copied).  An open with no close after it is text.  Linear. */
void spip_pairs(const char *s, size_t n, const char *open, const char *close, spip_span_fn inside,
                spip_span_fn outside, void *arg, mie_buf *out);

/* Adds s to the JSON array arr unless it is there. */
void spip_add_unique(json_t *arr, const char *s);
int spip_is_space(char c);

#endif
