/* mie_spip_md.h — SPIP markup to Markdown, for static-site generators
 * (Hugo's Goldmark and Jekyll's kramdown read the same output).
 *
 * The SPIP source is read once, by the renderer (mie_spip.h): its safe
 * HTML, whose shapes that header states, is then walked (mie_html_walk)
 * into Markdown, so there is one SPIP lexer.  A record's text.html and
 * notes.html are that HTML already: mie_md_from_html converts them.
 *
 * What each shape becomes:
 *   <p> blocks            paragraphs, separated by one blank line
 *   <h1>…<h6>             "#"… headings (SPIP's {{{intertitle}}} is <h3>: "###")
 *   <strong> <b> / <i> <em>   **…** / *…* (spaces kept outside the marks)
 *   <br />                a hard break (two spaces, then a new line)
 *   <ul> <ol> <li>        "- " / "1. " items, nested by indentation, tight
 *   <blockquote>          "> " lines (nested too)
 *   <table>               a GFM pipe table; a first row of <th> is its
 *                         header, else the header is empty; colspan cells
 *                         are followed by empty ones; <caption> is a
 *                         paragraph before it
 *   <pre> / <code>        a fenced block / a code span, fences longer than
 *                         any run of backticks inside
 *   <hr />                "* * *"
 *   <a data-mie-id=ID>    [text](URL) where URL is links->resolve(ID); when
 *                         it has none, the legacy href; data-mie-label="auto"
 *                         takes the target's title as text
 *   <a class="spip_note"> in the text: the note call [^N] (the brackets
 *                         SPIP wrote around it go); in notes.html: the
 *                         start of the footnote definition "[^N]: "
 *   <span data-mie-id=ID data-mie-model=M>  a document: [title](URL), or
 *                         ![title](URL) for an image (resolve's answer)
 *   <img>                 ![alt](src)
 *   anything else         its content
 * Text: white space collapsed as HTML does; \ ` * _ [ ] < > { } | $ written
 * with a backslash, & as &amp; when it would start an entity; a line
 * starting with - + = # > : or "N." / "N)" gets a backslash before the
 * mark, so no text becomes structure (nor a Hugo shortcode, nor a kramdown
 * attribute list: "{" is escaped).  URLs: spaces, parentheses, < > and
 * quotes written %HH.  Output ends with one newline, or is empty. */
#ifndef MIE_SPIP_MD_H
#define MIE_SPIP_MD_H

#include <stddef.h>

#include "core/mie_buf.h"
#include "text/mie_spip.h"

typedef struct mie_md_links {
	/* The new address of the record `id` (borrowed) appended to url and its
	 * title to title (may stay empty).  Returns 1 when it is an image, 0
	 * for any other place, -1 when the record has none (url untouched). */
	int (*resolve)(void *arg, const char *id, mie_buf *url, mie_buf *title);
	void *arg;
} mie_md_links;

/* Appends the Markdown of html[0..n) (safe HTML, see above); links may be
 * NULL (links keep their hrefs, documents give their text). */
void mie_md_from_html(mie_buf *out, const char *html, size_t n, const mie_md_links *links);

/* The same for a notes block (notes.html): footnote definitions. */
void mie_md_notes(mie_buf *out, const char *html, size_t n, const mie_md_links *links);

/* Renders SPIP source src[0..n) (mie_spip_render with ctx) and appends
 * its Markdown to out, the notes as footnote definitions after a blank
 * line. */
void mie_spip_md(mie_buf *out, const mie_spip_ctx *ctx, const char *src, size_t n,
                 const mie_md_links *links);

#endif
