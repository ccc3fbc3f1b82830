/* mie_text.h — legacy bytes to record text: charsets, entities, mojibake,
 * control characters, Unicode normalization.
 *
 * Every string a source reader puts in a record goes through mie_text_decode
 * (or mie_text_clean for text already in UTF-8), which guarantees the record
 * text invariant (strict UTF-8, XML 1.0 Chars only, NFC) and reports each
 * repair it makes; nothing is replaced silently and nothing becomes U+FFFD
 * or "?" without a reversible trace of the original bytes.
 *
 * Thread-safe: the only state kept between calls is a per-thread cache of
 * the last iconv descriptor (charsets other than UTF-8, ISO-8859-1 and
 * windows-1252) and the entity index, built once.  Strings are whole fields:
 * input split in chunks is the caller's business. */
#ifndef MIE_TEXT_H
#define MIE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mie_buf.h"
#include "record/mie_record.h"

/* Called once per kind of repair applied to one string, in a fixed order
 * of kinds, after the string is fully decoded.
 * kind:     short stable name: "charset-cp1252", "c1-cp1252", "undecodable-byte",
 *           "invalid-utf8", "unknown-charset", "control-char", "entity",
 *           "invalid-entity", "double-utf8", "nfc"
 * detail:   human text ("3 bytes 0x80-0x9F read as windows-1252, first at
 *           byte 12")
 * original: reversible trace of what was replaced (mie_rec_add_escaped
 *           form, every occurrence in order, concatenated), or NULL when
 *           the repair is reversible by rule.
 * All three are borrowed for the duration of the call. */
typedef void (*mie_repair_fn)(void *ctx, const char *kind, const char *detail,
                              const char *original);

enum mie_text_flags {
	MIE_TEXT_ENTITIES = 1 << 0,    /* decode HTML entities (named and numeric) */
	MIE_TEXT_KEEP_MARKUP = 1 << 1, /* with ENTITIES: keep &lt; &gt; &amp; &quot;
	                                  (and &#60; &#62; &#38; &#34;) as they are
	                                  (markup source stays markup) */
	MIE_TEXT_MOJIBAKE = 1 << 2,    /* repair double-encoded UTF-8 (conservative) */
	MIE_TEXT_ONE_LINE = 1 << 3,    /* fold each run of CR/LF/TAB to one space
	                                  (titles); not reported as a repair */
};

/* Decodes n bytes declared as `charset` ("utf-8", "iso-8859-1",
 * "windows-1252", any iconv name; NULL = utf-8) and appends clean record
 * text to out.  ISO-8859-1 is read as windows-1252 (bytes 0x80-0x9F are
 * ’ œ € ... in real data); the five bytes windows-1252 leaves undefined
 * (0x81 0x8D 0x8F 0x90 0x9D) become U+0081... with a trace.  In UTF-8 input,
 * each run of invalid bytes is decoded as windows-1252, and C1 controls
 * (U+0080-U+009F: windows-1252 text once converted as latin-1) become the
 * windows-1252 characters (the five undefined ones stay).  Bytes another
 * charset rejects become U+FFFD with a trace; an unknown charset is read as
 * UTF-8.  C0 controls but TAB/LF/CR, and U+FFFE/U+FFFF, are removed (VT and
 * FF become a space).  Then, per flags, entities, mojibake, line folding;
 * last NFC.  fn may be NULL.  Returns the number of repairs reported (one
 * per kind, whether fn is NULL or not). */
int mie_text_decode(mie_buf *out, const char *s, size_t n, const char *charset, unsigned flags,
                    mie_repair_fn fn, void *ctx);
/* Does mie_text_decode know `charset` (one of its own names or iconv's)?
 * An option naming a charset checks it with this (an unknown name would
 * be read as UTF-8). */
bool mie_text_charset_known(const char *charset);

/* "utf-16le" or "utf-16be" when the n bytes at p start with that byte
 * order mark (what Excel's "Unicode text" and Windows' "save as Unicode"
 * write), else NULL.  Static string. */
const char *mie_text_utf16_bom(const void *p, size_t n);
/* For a format sniffer: the first characters of UTF-16 text with its BOM,
 * narrowed to one byte each (the low byte; anything above U+00FF becomes
 * '?'), into out (at most cap bytes).  Returns their count, or 0 when p
 * has no UTF-16 BOM. */
size_t mie_text_utf16_narrow(const unsigned char *p, size_t n, unsigned char *out, size_t cap);

/* mie_text_decode for bytes that should already be UTF-8 (libxml2 and
 * jansson output, HTML text nodes). */
int mie_text_clean(mie_buf *out, const char *s, size_t n, unsigned flags, mie_repair_fn fn,
                   void *ctx);

/* ---- into records ---- */

/* Where repairs go: a provenance entry (see mie_rec_add_provenance) and
 * the path of the field ("title", "text.spip").  Both borrowed. */
typedef struct mie_text_target {
	json_t *prov;
	const char *path;
} mie_text_target;

/* A mie_repair_fn whose ctx is a mie_text_target: adds each repair to
 * target->prov with mie_rec_add_repair (nothing when prov is NULL). */
void mie_text_repair_to_prov(void *ctx, const char *kind, const char *detail, const char *original);

/* Decodes (as mie_text_decode) and sets obj[key] to the result, recording
 * the repairs in prov (may be NULL) under path (NULL: key).  obj is the
 * record or a member object of it ("text"); obj and prov are borrowed.
 * Returns the number of repairs. */
int mie_text_set(json_t *obj, const char *key, json_t *prov, const char *path, const char *s,
                 size_t n, const char *charset, unsigned flags);

/* Decodes HTML entities (named HTML 4 / XHTML set and numeric; &#128;-&#159;
 * read as windows-1252) in UTF-8 text, appending to out.  Flags used:
 * MIE_TEXT_KEEP_MARKUP, MIE_TEXT_ONE_LINE (a decoded TAB/LF/CR becomes a
 * space).  Unknown entities, and references to characters a record cannot
 * hold (&#0;, C0 controls, surrogates, U+FFFE/U+FFFF, beyond U+10FFFF),
 * stay as they are.  An entity needs its final ';'.  Returns the number
 * decoded. */
size_t mie_entities_decode(mie_buf *out, const char *s, size_t n, unsigned flags);

/* What mie_entities_decode_report saw besides the entities it decoded. */
typedef struct mie_entities_report {
	mie_buf *bad;       /* when not NULL: trace of each reference left as is
	                       because a record cannot hold its character */
	size_t nbad;        /* number of those references */
	bool maybe_not_nfc; /* some decoded character is not mie_text_nfc_inert */
} mie_entities_report;

/* mie_entities_decode, also filling *rep (may be NULL; caller-owned,
 * zeroed by the caller; counts add up over calls). */
size_t mie_entities_decode_report(mie_buf *out, const char *s, size_t n, unsigned flags,
                                  mie_entities_report *rep);

/* Code point of the named entity name[0..n) (case-sensitive, without '&'
 * and ';'), or 0 when it is not in the HTML 4 / XHTML set. */
uint32_t mie_entity_lookup(const char *name, size_t n);

/* True for characters NFC leaves alone whatever surrounds them: below
 * U+0300 none decomposes or combines with what precedes it; nor do
 * U+2010-U+20CF (’ – … €) and ™.  Lets text that is mostly Latin skip
 * utf8proc. */
static inline bool mie_text_nfc_inert(uint32_t cp)
{
	return cp < 0x300 || (cp >= 0x2010 && cp <= 0x20CF) || cp == 0x2122;
}

/* Appends the NFC form of valid UTF-8 s to out (utf8proc). */
void mie_text_nfc(mie_buf *out, const char *s, size_t n);

/* Repairs double-encoded UTF-8 ("Ã©" → "é", "â€™" → "’", triple encoding
 * too) in valid UTF-8 s, appending to out.  A run of non-ASCII characters is
 * changed only when all of it maps back to windows-1252/latin-1 bytes that
 * form valid multi-byte UTF-8 whose characters are all plausible in Latin
 * text (U+00A0-U+017F, combining accents, general punctuation, €, ™): correct
 * text ("À propos", "São Tomé", "Ça coûte 3 €") is left alone.  Returns the
 * number of runs repaired. */
size_t mie_text_mojibake(mie_buf *out, const char *s, size_t n);
/* The same, also appending to trace (may be NULL) the escaped runs the
 * first pass replaced: the original text of every repaired place. */
size_t mie_text_mojibake_trace(mie_buf *out, const char *s, size_t n, mie_buf *trace);
/* The fast pre-check of both: false means they would copy s unchanged. */
bool mie_text_maybe_mojibake(const char *s, size_t n);

/* Windows-1252 code point of byte b, total: the five undefined bytes map to
 * U+0081, U+008D, U+008F, U+0090, U+009D. */
uint32_t mie_cp1252_to_ucs(unsigned char b);
/* Inverse: the byte whose mie_cp1252_to_ucs is cp, or -1 (U+0080-U+009F
 * map to themselves, as latin-1 reads them). */
int mie_cp1252_from_ucs(uint32_t cp);

#endif
