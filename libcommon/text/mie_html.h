/* mie_html.h — making HTML fragments safe, and turning them into plain text.
 *
 * Both functions run one hand-written tokenizer over the bytes (no libxml2:
 * no global error handlers, no silent truncation at depth 256, no DOM), in
 * time linear in the input (each byte is looked at a bounded number of
 * times; the open-element stack is bounded by MIE_HTML_MAX_DEPTH).
 * Tokenizing follows what browsers do where it matters for safety:
 * tag and attribute names are case-insensitive; script, style, textarea,
 * title, xmp, iframe, noembed, noframes, noscript and plaintext hold raw text
 * up to their end tag; comments end at "-->"; an unfinished tag at the end of
 * the input is dropped; a '<' not followed by a letter, '/' or '!' is text.
 *
 * mie_html_sanitize() writes the fragment back through an allowlist:
 * - elements: p br strong b i em u s h1-h6 ul ol li dl dt dd table thead
 *   tbody tfoot tr th td caption blockquote pre code a img span div hr sup sub
 *   abbr cite q small big figure figcaption; other elements are unwrapped
 *   (content kept), except script style iframe object embed applet form input
 *   button select textarea frame frameset noscript template svg math link
 *   meta base title head param noembed noframes xmp plaintext, which go with
 *   their content (counted as removed) up to their first end tag; one that
 *   is never closed loses its tag only and keeps its content (legacy text
 *   is never lost to a stray "<form>"), except script and style, whose
 *   content is code and goes to the end of the input;
 * - attributes: title class id lang colspan rowspan, data-mie-*, href (a),
 *   src alt width height (img); never on*, style or anything else (each
 *   attribute dropped is counted as removed); the first of duplicates wins;
 * - URLs (href, src): http, https, mailto, ftp, relative or fragment — judged
 *   after entities are decoded and white space and control characters
 *   dropped, so "&#106;avascript:" and "java\tscript:" are refused (the
 *   attribute goes);
 * - nesting deeper than MIE_HTML_MAX_DEPTH: the deeper elements are
 *   flattened (their tags dropped, their content kept) and counted.
 * - an empty <p></p> (no content at all) is dropped.
 * Output is a well-formed XHTML-style fragment in UTF-8: every element is
 * closed (implicitly closed p/li/dt/dd/tr/td/th are closed where HTML
 * closes them), void elements are written "<br />", text escapes & < >,
 * attribute values & < > ".  Entities of the input are decoded (named HTML 4
 * set and numeric; mie_entities_decode), so &nbsp; comes out as U+00A0.
 * C0 control characters other than TAB, LF, CR are dropped.
 * Input must be valid UTF-8 (record text); the output then is too. */
#ifndef MIE_HTML_H
#define MIE_HTML_H

#include <stddef.h>

#include "core/mie_buf.h"

#define MIE_HTML_MAX_DEPTH 256

/* What a sanitizing pass did (caller-owned; mie_html_sanitize_report adds
 * to the counts, so zero it first). */
typedef struct mie_html_report {
	long removed;   /* elements (with their content) and attributes removed */
	long flattened; /* elements deeper than MIE_HTML_MAX_DEPTH unwrapped */
} mie_html_report;

/* Appends the safe form of the n bytes of HTML at s to out.  Returns the
 * number of things removed, or -1 when some structure was flattened by the
 * depth limit (the content is all there; the caller should warn "content
 * flattened at depth 256"). */
int mie_html_sanitize(mie_buf *out, const char *s, size_t n);

/* The same, with both counts in *rep (may be NULL). */
void mie_html_sanitize_report(mie_buf *out, const char *s, size_t n, mie_html_report *rep);

/* Appends the plain text of an HTML fragment: tags dropped, the content of
 * script/style-like elements dropped, entities decoded, block elements as
 * paragraph breaks ("\n\n"), <br> and <li> as line breaks, table cells
 * separated by a space, runs of white space (U+00A0 too) collapsed to one
 * space, at most one blank line in a row, no leading/trailing space. */
void mie_html_to_plain(mie_buf *out, const char *s, size_t n);

/* mie_html_to_plain, faster, for s[0..n) written by mie_html_sanitize (or
 * the start of such output): the sanitizer's tags need no attribute
 * parsing, a tag runs to the first '>'.  On other HTML the result may
 * differ from mie_html_to_plain's (a quoted '>' ends a tag here). */
void mie_html_safe_to_plain(mie_buf *out, const char *s, size_t n);

/* Both of the above in one call (html or plain may be NULL): the plain
 * text is that of the sanitized HTML, which holds the same text as the
 * input minus what the sanitizer drops.  Returns as mie_html_sanitize. */
int mie_html_sanitize_plain(mie_buf *html, mie_buf *plain, const char *s, size_t n);

/* Is this URL safe to keep in href/src (see above)?  url is the value
 * after entity decoding, NUL-terminated. */
int mie_html_url_ok(const char *url);

/* Appends s[0..n) escaped for HTML text (& < >) or, with attr, for a
 * double-quoted attribute value (also "). */
void mie_html_escape(mie_buf *out, const char *s, size_t n, int attr);

/* ---- walking safe HTML ----
 * mie_html_walk runs the tokenizer above over s[0..n) (HTML as
 * mie_html_sanitize writes it, for a converter to another markup) and
 * calls fn for each token in order: text with its entities decoded, start
 * tags (void ones too: br, img, hr) and end tags.  Comments are skipped. */
enum mie_html_kind { MIE_HTML_TEXT = 1, MIE_HTML_START, MIE_HTML_END };

typedef struct mie_html_token {
	int kind;
	const char *name; /* START/END: the tag name in lower case */
	const char *text; /* TEXT: decoded, n bytes (not NUL-terminated) */
	size_t n;
	int is_void;      /* START: a void element or a self-closing tag */
	const void *priv; /* the tokenizer's, for mie_html_attr */
} mie_html_token;

/* Everything a token points to is borrowed for the call of fn. */
typedef void (*mie_html_visit_fn)(void *arg, const mie_html_token *t);
void mie_html_walk(const char *s, size_t n, mie_html_visit_fn fn, void *arg);
/* The value of attribute `name` of a START token, entities decoded, into
 * out (reset first).  Returns 1 when the tag has it, else 0. */
int mie_html_attr(const mie_html_token *t, const char *name, mie_buf *out);

#endif
