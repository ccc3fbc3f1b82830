/* mie_html.h — making HTML fragments safe, and turning them into plain text.
 *
 * mie_html_sanitize() parses a fragment with libxml2's HTML parser (no
 * network, no entity loading) and writes it back through an allowlist:
 * - elements: p br strong b i em u s h1-h6 ul ol li dl dt dd table thead
 *   tbody tfoot tr th td caption blockquote pre code a img span div hr sup sub
 *   abbr cite q small big figure figcaption; others are unwrapped (their
 *   content kept), except script style iframe object embed applet form input
 *   button select textarea frame frameset noscript template svg math link
 *   meta base title head, which go with their content;
 * - attributes: href (a), src alt width height (img), title class id lang
 *   colspan rowspan, data-mie-*; never on*, style or anything else;
 * - URLs (href, src): http, https, mailto, ftp, or relative — after entities
 *   are decoded and white space and control characters dropped, so
 *   "&#106;avascript:" and "java\tscript:" are refused (the attribute goes).
 * The output is well-formed (XHTML-style void elements) UTF-8.
 * Input must be valid UTF-8. */
#ifndef MIE_HTML_H
#define MIE_HTML_H

#include <stddef.h>

#include "mie_buf.h"

/* Appends the safe form of the n bytes of HTML at s to out.  Returns the
 * number of things removed (elements, attributes), or -1 when content was
 * lost to the parser's depth limit (the rest is still written). */
int mie_html_sanitize(mie_buf *out, const char *s, size_t n);

/* Appends the plain text of an HTML fragment: tags dropped, entities
 * decoded, block elements and <br> as line breaks, paragraphs separated by
 * one blank line, runs of spaces collapsed, no leading/trailing space. */
void mie_html_to_plain(mie_buf *out, const char *s, size_t n);

/* Both of the above from one parse (html or plain may be NULL); returns
 * as mie_html_sanitize. */
int mie_html_sanitize_plain(mie_buf *html, mie_buf *plain, const char *s, size_t n);

/* Is this URL safe to keep in href/src (see above)? */
int mie_html_url_ok(const char *url);

#endif
