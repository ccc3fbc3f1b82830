/* mie_spip.h — SPIP 1.9 typographic markup ("raccourcis") to safe HTML and
 * plain text.
 *
 * Input: SPIP source markup already in clean UTF-8 (after mie_text_decode);
 * entities may remain (&lt; &eacute; &#8217;) and raw HTML is allowed, as
 * SPIP allowed it.  Everything written to `html` and `notes_html` has gone
 * through mie_html_sanitize, so it is always safe (no script, no on*=, no
 * javascript: URL) and well-formed.  `plain` and `notes_plain` come from the
 * sanitized HTML before typography (mie_html_to_plain): no tags, entities
 * decoded, white space collapsed, paragraphs separated by one blank line —
 * the words as typed, for search and duplicate detection.
 *
 * Cost: linear in the input (every pass is a left-to-right scan; a '[' looks
 * at most MIE_SPIP_MAX_LINK bytes ahead); nothing is recursive beyond one
 * level (link text inside a link is not rendered again).
 *
 * Shortcuts (block mode, one_line == 0; the HTML each one gives):
 *   blank line           paragraph break; paragraphs are <p class="spip">,
 *                        except that a text of one paragraph with no other
 *                        block gets no <p> at all (as SPIP)
 *   {{{t}}}              <h3 class="spip">t</h3>
 *   {{b}} {i}            <strong class="spip">b</strong> <i class="spip">i</i>
 *                        (an unclosed one is closed at the end of its block)
 *   ----  ____           <hr class="spip" />  (a line of 4 or more)
 *   "_ " at line start   <br />
 *   "-" at line start    <br />•U+00A0 (SPIP's bullet image, as a character);
 *                        "--" at line start <br />—U+00A0; on a paragraph's
 *                        first line without the <br />
 *   -* -** -# -##        nested <ul class="spip"> / <ol class="spip"> of <li>
 *                        (8 levels at most); the first such line ends the
 *                        paragraph it is in and the list runs to the next
 *                        blank line (other lines continue the open item)
 *   |a|b| lines          <table class="spip">; a first row of {{…}} cells is
 *                        <thead><tr class="row_first"><th>; other rows
 *                        <tr class="row_odd|row_even"><td>; a cell holding
 *                        only "<" widens its left neighbour (colspan), one
 *                        holding only "^" lengthens the cell above (rowspan);
 *                        ||caption|summary|| first line → <caption>
 *   ~                    U+00A0
 *   [text->target]       a link (see below); [->target] has no text
 *   [name<-]             <a id="name"></a>
 *   [?term]              <span class="spip_glossaire">term</span>
 *   [[note]]             call U+00A0[<a href="#nbN" class="spip_note"
 *                        id="nhN">N</a>]; the note goes to notes_html as
 *                        <p class="spip_note">[<a href="#nhN" class="spip_note"
 *                        id="nbN">N</a>] note</p>; [[<lbl> note]] uses the
 *                        label lbl, [[<> note]] adds the note with no call
 *   <quote>…</quote>     <blockquote class="spip">…</blockquote>
 *   <poesie> <poetry>    <blockquote class="spip_poesie"><div>line</div>…
 *   <code>…</code>       <code class="spip_code">…</code>, or for several
 *                        lines <pre class="spip_code"><code>…</code></pre>;
 *                        content escaped (numeric references and &amp; kept,
 *                        as SPIP does), no shortcut applied inside
 *   <cadre> <frame>      <pre class="spip_cadre">…</pre>, content escaped
 *   <html>…</html>       content passed as it is (then sanitized)
 *   <intro>…</intro>     the tags are dropped, the content kept
 *   <multi>…</multi>     the variant for ctx->lang, else the first; the
 *                        languages found go to `langs`
 *   <docN|…> <imgN|…> <embN|…>  (any case) a placeholder the importer or an
 *                        exporter resolves from the document record:
 *                        <span class="spip_document_N spip_documents
 *                        spip_documents_ALIGN" data-mie-id="HOST:document:N"
 *                        data-mie-model="doc|img|emb"></span>
 *                        (ALIGN left/right/center when given, else no class)
 * Links: targets art12 article12 12 (article), rub3 rubrique3 (section),
 * br4 breve4 brève4 (brief), aut2 auteur2 (author), mot7 (keyword), site1
 * (site), doc5 document5 img5 im5 image5 emb5 (document), optionally with
 * a space before the number and #anchor after it, any case.  They become
 *   <a href="SITE_URLspip.php?article12" class="spip_in"
 *      data-mie-id="HOST:article:12">text</a>
 * (documents: spip.php?action=autoriser&arg=5), and the id goes to `links`.
 * Empty text: the legacy name ("article12") with data-mie-label="auto", for
 * a later stage to replace by the title.  Other targets: #x (class
 * spip_ancre), URLs (www.… gets http://, an e-mail address gets mailto:),
 * class spip_out (spip_url spip_out when the text is empty: the URL is
 * shown).  [text|bubble->url] gives title="bubble".  A target that is not
 * a safe URL (javascript:, data:…) gives the text alone, no link.
 *
 * One-line mode (one_line != 0, SPIP's typo(): titles, surtitles): <multi>,
 * inline shortcuts, links and models only; no paragraphs, blocks or notes.
 *
 * Typography, applied to html and notes_html only, never to the plain
 * texts (search and dedup see the words as typed): ' becomes ’ and a lone
 * "--" an em dash (all languages); in French typography (lang NULL or
 * "fr…") also a U+00A0 before : ; ! ? » and after « (spaces there are
 * replaced by it), unless the mark is glued inside a word
 * ("spip.php?article12", "14:30") or follows a line start, "[", "<", "(",
 * or another mark ("!!" gets one).  Not inside <code> or <pre>. */
#ifndef MIE_SPIP_H
#define MIE_SPIP_H

#include <jansson.h>
#include <stddef.h>

#include "core/mie_buf.h"

#define MIE_SPIP_MAX_LINK 2000 /* a '[' whose ']' or '->' is farther is text */

/* What to render for; all strings borrowed for the duration of the call. */
typedef struct mie_spip_ctx {
	const char *site_url;  /* base of legacy URLs, "http://www.infomie.net/"; NULL = relative */
	const char *site_host; /* for ids, "infomie.net"; NULL = "local" */
	const char *lang;      /* wanted <multi> language (the object's); NULL = the first */
	int one_line;          /* titles: typo() level, see above */
} mie_spip_ctx;
/* (Four members exactly: importers initialise it positionally.  The
 * typography follows lang: French unless lang is set and not "fr…".) */

/* What a rendering produces; caller-owned, mie_spip_out_init/release. */
typedef struct mie_spip_out {
	mie_buf html, plain;             /* the text */
	mie_buf notes_html, notes_plain; /* its footnotes, empty when none */
	json_t *links;                   /* array of interchange ids the links point at (owned) */
	json_t *documents;               /* array of document ids used by models (owned) */
	json_t *langs;                   /* array of the <multi> languages found (owned) */
	int removed;                     /* things the sanitizer or the link rules removed */
	int flattened;                   /* elements flattened by the sanitizer's depth limit:
	                                    the caller should warn "content flattened at depth 256" */
	int notes;                       /* numbered notes so far: a rendering numbers its notes
	                                    from notes + 1 and adds its own, so chapo, texte
	                                    and ps of one article can share one numbering */
} mie_spip_out;

void mie_spip_out_init(mie_spip_out *o);
void mie_spip_out_release(mie_spip_out *o);

/* Renders the n bytes at src into o.  html, plain and the notes are
 * appended to; ids are added to the arrays without duplicates; the counts
 * are added to. */
void mie_spip_render(const mie_spip_ctx *ctx, const char *src, size_t n, mie_spip_out *o);

/* Maps a SPIP object shortcut ("art", "article", "rub", "br", "doc"…, any
 * case) to a record type ("article", "section"…), or NULL. */
const char *mie_spip_object_type(const char *word, size_t n);

#endif
