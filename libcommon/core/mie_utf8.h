/* mie_utf8.h — strict UTF-8 decoding and the record model's text invariant.
 *
 * "Strict" means RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF (glibc's iconv UTF-8→UTF-8 accepts all three, so it is never used
 * as a validator).  Record strings must also be XML 1.0 Chars: no C0
 * controls but TAB, LF and CR, no U+FFFE / U+FFFF. */
#ifndef MIE_UTF8_H
#define MIE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/mie_buf.h"
#include "core/mie_simd.h"

/* Decodes one scalar value at s (n bytes available).  Returns its length
 * (1-4) and sets *cp, or returns 0 when the bytes there are not strict UTF-8
 * (including a sequence cut short by n). */
size_t mie_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Length of the prefix of s made of bytes 0x20-0x7F (printable ASCII and
 * DEL): the common case the validators below skip first, 8 bytes at a
 * time (an SSE2 version saved under 1 % of an import's instructions: gone,
 * bench/README.md). */
static inline size_t mie_utf8_plain_ascii_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w = mie_swar_load(s + i);
		/* high bit set, or some byte below 0x20 (borrowing) */
		uint64_t m = (w & MIE_SWAR_HIGH) | mie_swar_below(w, 0x20);
		if (m) {
			i += mie_swar_first(m);
			break;
		}
	}
	while (i < n && s[i] >= 0x20 && s[i] < 0x80)
		i++;
	return i;
}

/* Length of the longest strict UTF-8 prefix of s. */
size_t mie_utf8_valid_prefix(const char *s, size_t n);
static inline bool mie_utf8_valid(const char *s, size_t n)
{
	return mie_utf8_valid_prefix(s, n) == n;
}

/* True for code points allowed in XML 1.0 character data. */
static inline bool mie_xml_char(uint32_t c)
{
	return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
	       (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Checks the record text invariant (strict UTF-8, XML Chars only).  Returns
 * -1 when s is fine, else the byte offset of the first offence; *what (may be
 * NULL) then names it ("invalid UTF-8", "character U+000B not allowed"...),
 * pointing at a static string or a thread-local buffer valid until the
 * calling thread's next call. */
long mie_text_check(const char *s, size_t n, const char **what);
/* The same with the C0 controls allowed given as bits (1u << '\t'...):
 * mie_text_check allows TAB, LF and CR; 0 allows none. */
long mie_text_check_c0(const char *s, size_t n, unsigned c0, const char **what);

/* Appends s to out made safe for a terminal: printable text and valid UTF-8
 * stay; C0/C1 controls, DEL, bidi controls, U+2028/2029, U+FEFF become
 * \xNN or \u{NNNN}; invalid bytes become \xNN.  TAB stays. */
void mie_utf8_escape_terminal(mie_buf *out, const char *s, size_t n);

#endif
