#include <stdio.h>
#include <string.h>

#include "mie_utf8.h"

size_t mie_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (!n)
		return 0;
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t min, v;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, min = 0x80, v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, min = 0x800, v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, min = 0x10000, v = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

static bool cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* Length of the strict UTF-8 sequence at s (its lead byte not ASCII), or 0:
 * mie_utf8_decode without the value, inline for the scanning loops. */
static inline size_t strict_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && cont(s[1]) ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || !cont(s[1]) || !cont(s[2]))
			return 0;
		/* no overlong form, no surrogate */
		return (c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) ? 0 : 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || !cont(s[1]) || !cont(s[2]) || !cont(s[3]))
			return 0;
		/* no overlong form, nothing above U+10FFFF */
		return (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90) ? 0 : 4;
	}
	return 0;
}

size_t mie_utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		/* ASCII fast path, 8 bytes at a time */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (w & 0x8080808080808080ULL) {
				i += mie_utf8_first_flagged(w & 0x8080808080808080ULL);
				break;
			}
			i += 8;
		}
		if (i >= n)
			break;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = strict_len(p + i, n - i);
		if (!k)
			return i;
		i += k;
	}
	return i;
}

long mie_text_check(const char *s, size_t n, const char **what)
{
	static _Thread_local char msg[48]; /* *what of the last offence, per thread */
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		i += mie_utf8_plain_ascii_prefix(p + i, n - i);
		if (i >= n)
			break;
		unsigned c = p[i];
		if (c == '\t' || c == '\n' || c == '\r') {
			i++;
			continue;
		}
		/* valid and an XML Char: all but U+FFFE and U+FFFF (EF BF BE/BF) */
		size_t k = c >= 0x80 ? strict_len(p + i, n - i) : 0;
		if (k && !(c == 0xEF && p[i + 1] == 0xBF && p[i + 2] >= 0xBE)) {
			i += k;
			continue;
		}
		uint32_t cp;
		k = mie_utf8_decode(p + i, n - i, &cp);
		if (!k) {
			if (what)
				*what = "invalid UTF-8";
			return (long)i;
		}
		if (!mie_xml_char(cp)) {
			if (what) {
				snprintf(msg, sizeof msg, "character U+%04X not allowed",
				         (unsigned)cp);
				*what = msg;
			}
			return (long)i;
		}
		i += k;
	}
	return -1;
}

static bool terminal_unsafe(uint32_t cp)
{
	return (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp < 0xA0) ||
	       (cp >= 0x200E && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

void mie_utf8_escape_terminal(mie_buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = mie_utf8_decode(p + i, n - i, &cp);
		if (!k) {
			mie_buf_addf(out, "\\x%02x", p[i]);
			i++;
		} else if (terminal_unsafe(cp)) {
			if (cp < 0x100)
				mie_buf_addf(out, "\\x%02x", (unsigned)cp);
			else
				mie_buf_addf(out, "\\u{%04X}", (unsigned)cp);
			i += k;
		} else {
			mie_buf_add(out, p + i, k);
			i += k;
		}
	}
}
