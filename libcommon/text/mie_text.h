/* mie_text.h — legacy bytes to record text: charsets, entities, mojibake,
 * control characters, Unicode normalization.
 *
 * Every string a source reader puts in a record goes through mie_text_decode
 * (or mie_text_clean for text already in UTF-8), which guarantees the record
 * text invariant (strict UTF-8, XML 1.0 Chars only, NFC) and reports each
 * repair it makes; nothing is replaced silently and nothing becomes U+FFFD
 * or "?" without a reversible trace of the original bytes. */
#ifndef MIE_TEXT_H
#define MIE_TEXT_H

#include <stddef.h>

#include "mie_buf.h"

/* Called once per kind of repair applied to one string.
 * kind:     short stable name: "charset-cp1252", "undecodable-byte",
 *           "invalid-utf8", "control-char", "entity", "double-utf8",
 *           "nfc", "convert-marker"...
 * detail:   human text ("3 bytes 0x80-0x9F read as windows-1252")
 * original: reversible trace of what was replaced (mie_rec_escape_bytes
 *           form), or NULL when the repair is reversible by rule.
 * All three are borrowed for the duration of the call. */
typedef void (*mie_repair_fn)(void *ctx, const char *kind, const char *detail,
                              const char *original);

enum mie_text_flags {
	MIE_TEXT_ENTITIES = 1 << 0,    /* decode HTML entities (named and numeric) */
	MIE_TEXT_KEEP_MARKUP = 1 << 1, /* with ENTITIES: keep &lt; &gt; &amp; &quot;
	                                  as they are (markup source stays markup) */
	MIE_TEXT_MOJIBAKE = 1 << 2,    /* repair double-encoded UTF-8 (conservative) */
	MIE_TEXT_ONE_LINE = 1 << 3,    /* fold CR/LF/TAB to spaces (titles) */
};

/* Decodes n bytes declared as `charset` ("utf-8", "iso-8859-1",
 * "windows-1252", any iconv name; NULL = utf-8) and appends clean record
 * text to out.  ISO-8859-1 is read as windows-1252 (bytes 0x80-0x9F are
 * ’ œ € ... in real data); bytes no table defines are kept as a trace.  In
 * UTF-8 input, invalid sequences are decoded as windows-1252 per run.
 * Returns the number of repairs reported. */
int mie_text_decode(mie_buf *out, const char *s, size_t n, const char *charset, unsigned flags,
                    mie_repair_fn fn, void *ctx);

/* Decodes HTML entities (named HTML 4 / XHTML set and numeric; &#128;-&#159;
 * read as windows-1252) in UTF-8 text, appending to out.  Unknown entities
 * stay as they are.  Returns the number decoded. */
size_t mie_entities_decode(mie_buf *out, const char *s, size_t n, unsigned flags);

/* Appends the NFC form of valid UTF-8 s to out (utf8proc). */
void mie_text_nfc(mie_buf *out, const char *s, size_t n);

#endif
