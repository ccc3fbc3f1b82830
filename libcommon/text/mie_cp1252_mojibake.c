/* mie_cp1252_mojibake.c — undoing UTF-8 read as windows-1252 (or latin-1)
 * and encoded again, the classic damage of MySQL conversions of SPIP
 * tables.
 *
 * The rule is built so that correct text never changes: a run of non-ASCII
 * characters is replaced only when every character of it maps back to one
 * windows-1252/latin-1 byte, those bytes are valid multi-byte UTF-8 from
 * end to end, and every character they decode to is one that Latin text
 * plausibly holds.  The plausible set fixes the lead characters a repairable
 * run can start with (Â Ã Ä Å for U+00A0-U+017F, Ì Í for combining accents,
 * â for punctuation, € and ™), which is also the fast pre-check. */
#include <string.h>

#include "record/mie_record.h" /* mie_rec_add_escaped */
#include "text/mie_text.h"
#include "core/mie_utf8.h"

#define MOJIBAKE_PASSES 3 /* "Ã©" is double, "ÃƒÂ©" triple encoding */

static bool plausible(uint32_t cp)
{
	return (cp >= 0xA0 && cp <= 0x17F) || (cp >= 0x300 && cp <= 0x36F) ||
	       (cp >= 0x2010 && cp <= 0x206F) || cp == 0x20AC || cp == 0x2122;
}

/* Could s hold a repairable run?  Looks for the UTF-8 of Â Ã Ä Å Ì Í â
 * followed by a character standing for a continuation byte (for â: one
 * that leads to punctuation, € or ™).  "âge", "Ã " and "ÂGE" fail here, so
 * correct French text is not even copied. */
bool mie_text_maybe_mojibake(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *q = p;
	while ((q = memchr(q, 0xC3, n - (size_t)(q - p))) && (size_t)(q - p) + 2 < n) {
		unsigned lead = q[1];
		q += 2;
		if (!((lead >= 0x82 && lead <= 0x85) || lead == 0x8C || lead == 0x8D ||
		      lead == 0xA2))
			continue;
		uint32_t cp;
		size_t k = mie_utf8_decode(q, n - (size_t)(q - p), &cp);
		int b = k ? mie_cp1252_from_ucs(cp) : -1;
		if (b >= 0x80 && b < 0xC0 &&
		    (lead != 0xA2 || b == 0x80 || b == 0x81 || b == 0x82 || b == 0x84))
			return true;
	}
	return false;
}

/* The bytes run[0..n) (valid UTF-8, non-ASCII characters only) stand for,
 * in `bytes`, when they are a repairable run. */
static bool repair_run(const char *run, size_t n, mie_buf *bytes)
{
	const unsigned char *p = (const unsigned char *)run;
	mie_buf_reset(bytes);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = mie_utf8_decode(p + i, n - i, &cp);
		int b = k ? mie_cp1252_from_ucs(cp) : -1;
		if (b < 0x80)
			return false;
		mie_buf_addc(bytes, b);
		i += k;
	}
	const unsigned char *q = (const unsigned char *)bytes->data;
	for (size_t i = 0; i < bytes->len;) {
		uint32_t cp;
		size_t k = mie_utf8_decode(q + i, bytes->len - i, &cp);
		if (!k || !plausible(cp))
			return false;
		i += k;
	}
	return true;
}

/* Length of the run of non-ASCII characters at s. */
static size_t non_ascii_run(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (unsigned char)s[i] >= 0x80)
		i++;
	return i;
}

static size_t mojibake_pass(mie_buf *out, const char *s, size_t n, mie_buf *bytes, mie_buf *trace)
{
	size_t fixed = 0, i = 0;
	while (i < n) {
		size_t a = i;
		while (i < n && (unsigned char)s[i] < 0x80)
			i++;
		mie_buf_add(out, s + a, i - a);
		size_t k = non_ascii_run(s + i, n - i);
		if (!k)
			break;
		if (mie_utf8_valid(s + i, k) && repair_run(s + i, k, bytes)) {
			mie_buf_add(out, bytes->data, bytes->len);
			if (trace)
				mie_rec_add_escaped(trace, s + i, k);
			fixed++;
		} else {
			mie_buf_add(out, s + i, k);
		}
		i += k;
	}
	return fixed;
}

size_t mie_text_mojibake_trace(mie_buf *out, const char *s, size_t n, mie_buf *trace)
{
	if (!mie_text_maybe_mojibake(s, n)) {
		mie_buf_add(out, s, n);
		return 0;
	}
	mie_buf cur = MIE_BUF_INIT, next = MIE_BUF_INIT, bytes = MIE_BUF_INIT;
	mie_buf_add(&cur, s, n);
	size_t fixed = 0;
	for (int pass = 0; pass < MOJIBAKE_PASSES && mie_text_maybe_mojibake(cur.data, cur.len);
	     pass++) {
		mie_buf_reset(&next);
		size_t f = mojibake_pass(&next, cur.data, cur.len, &bytes, pass ? NULL : trace);
		if (!f)
			break;
		fixed += f;
		mie_buf tmp = cur;
		cur = next;
		next = tmp;
	}
	mie_buf_add(out, cur.data, cur.len);
	mie_buf_release(&cur);
	mie_buf_release(&next);
	mie_buf_release(&bytes);
	return fixed;
}

size_t mie_text_mojibake(mie_buf *out, const char *s, size_t n)
{
	return mie_text_mojibake_trace(out, s, n, NULL);
}
