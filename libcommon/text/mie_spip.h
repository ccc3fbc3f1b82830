/* mie_spip.h — SPIP 1.9 typographic markup ("raccourcis") to safe HTML and
 * plain text.
 *
 * Input: SPIP source markup already in clean UTF-8 (after mie_text_decode);
 * raw HTML inside it is allowed, as SPIP allowed it, and comes out through
 * mie_html_sanitize, so the HTML is always safe.  Rendering is one linear
 * pass per construct; no input makes it quadratic or recursive beyond the
 * sanitizer's depth limit.
 *
 * Supported: paragraphs (blank line), {{{intertitle}}} (h3.spip), {{bold}}
 * (strong.spip), {italic} (i.spip), [text->url], [->url], internal links
 * [->art12] [->rub3] [->br4] [->doc5] [->aut2] [->mot7] [->site1] (and
 * article12, rubrique3, breve4, plain 12 = article), [anchor<-], [?glossary],
 * footnotes [[…]] (numbered, into notes), lists -* -** -# (nested), "- " and
 * "_ " line starts (bullet and forced line break), tables |a|b| (a first row
 * in {{…}} is a header), ----  (hr), <quote>, <code>, <cadre>/<frame> (pre),
 * <poesie>/<poetry>, <html>…</html>, ~ (no-break space), models <docN|left>
 * <imgN> <embN> (a placeholder span naming the document record), and
 * <multi>[fr]…[en]…</multi> (the wanted language, else the first).
 * Not done: SPIP's French spacing before : ; ! ? (rendering choice: the
 * text's own spaces are kept). */
#ifndef MIE_SPIP_H
#define MIE_SPIP_H

#include <jansson.h>
#include <stddef.h>

#include "mie_buf.h"

typedef struct mie_spip_ctx {
	const char *site_url;  /* base of legacy URLs, "http://www.infomie.net/"; NULL = relative */
	const char *site_host; /* for ids, "infomie.net" */
	const char *lang;      /* wanted <multi> language; NULL = the first */
	int one_line;          /* titles: no paragraphs, blocks or notes */
} mie_spip_ctx;

/* What a rendering produces; caller-owned, mie_spip_out_init/release. */
typedef struct mie_spip_out {
	mie_buf html, plain;             /* the text */
	mie_buf notes_html, notes_plain; /* its footnotes, empty when none */
	json_t *links;                   /* array of interchange ids the links point at (owned) */
	json_t *documents;               /* array of document ids used by models (owned) */
	json_t *langs;                   /* array of the <multi> languages found (owned) */
	int removed;                     /* things the sanitizer removed from raw HTML */
} mie_spip_out;

void mie_spip_out_init(mie_spip_out *o);
void mie_spip_out_release(mie_spip_out *o);

/* Renders the n bytes at src into o (appending; lists are added to). */
void mie_spip_render(const mie_spip_ctx *ctx, const char *src, size_t n, mie_spip_out *o);

/* Maps a SPIP object shortcut ("art", "article", "rub", "br", "doc"…) to a
 * record type, or NULL. */
const char *mie_spip_object_type(const char *word, size_t n);

#endif
