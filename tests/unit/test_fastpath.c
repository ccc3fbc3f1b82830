/* The fast paths of the text code agree with the plain definitions: word
 * scans against byte-by-byte decoding, the tag index against every name of
 * the allowlist, the comparison form of text against its character
 * table, all of it from two threads at once. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/mie_fold.h"
#include "text/mie_html.h"
#include "mie_test.h"
#include "core/mie_simd.h"
#include "core/mie_utf8.h"

/* mie_utf8_valid_prefix as defined: mie_utf8_decode one character at a
 * time. */
static size_t ref_valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;
	uint32_t cp;
	for (size_t k; i < n && (k = mie_utf8_decode(s + i, n - i, &cp)); i += k)
		;
	return i;
}

/* mie_text_check as defined: the first byte that does not start an XML
 * Char in strict UTF-8, or -1. */
static long ref_text_check(const unsigned char *s, size_t n)
{
	uint32_t cp;
	for (size_t i = 0, k; i < n; i += k)
		if (!(k = mie_utf8_decode(s + i, n - i, &cp)) || !mie_xml_char(cp))
			return (long)i;
	return -1;
}

/* Every 1-3 byte sequence from a set of boundary bytes, after 0-17 ASCII
 * letters (so it falls anywhere in a word of the scans) and before "z". */
TEST(utf8_scans_agree_with_decoding)
{
	static const unsigned char edge[] = {
	        0x00, 0x09, 0x0A, 0x0B, 0x0D, 0x1F, 0x20, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
	        0xBE, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEE, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
	size_t ne = sizeof edge;
	unsigned char buf[32];
	for (size_t pre = 0; pre < 18; pre++) {
		memset(buf, 'a', pre);
		for (size_t a = 0; a < ne; a++)
			for (size_t b = 0; b <= ne; b++)
				for (size_t c = 0; c <= ne; c++) {
					size_t n = pre;
					buf[n++] = edge[a];
					if (b < ne)
						buf[n++] = edge[b];
					if (b < ne && c < ne)
						buf[n++] = edge[c];
					buf[n++] = 'z';
					const char *s = (const char *)buf;
					CHECK_INT(mie_utf8_valid_prefix(s, n),
					          ref_valid_prefix(buf, n));
					CHECK_INT(mie_text_check(s, n, NULL),
					          ref_text_check(buf, n));
				}
	}
}

/* mie_utf8_plain_ascii_prefix against its definition: every byte value at
 * every place of every length up to 40 (blocks, words and the last bytes),
 * in exact-size copies. */
TEST(plain_ascii_prefix_agrees_with_bytes)
{
	for (size_t n = 1; n <= 40; n++)
		for (size_t at = 0; at < n; at++)
			for (unsigned v = 0; v < 256; v++) {
				unsigned char *s = malloc(n);
				CHECK(s != NULL);
				memset(s, 'x', n);
				s[at] = (unsigned char)v;
				size_t want = v >= 0x20 && v < 0x80 ? n : at;
				size_t got = mie_utf8_plain_ascii_prefix(s, n);
				free(s);
				CHECK_INT(got, want);
			}
}

/* Text made of French-like runs (letters, accents, ’, line breaks) with
 * one byte changed or the end cut, so that the blocks of mie_text_check
 * passed whole, the characters across block ends and the last bytes all
 * meet valid and invalid input; the offence's message is checked too. */
TEST(text_check_blocks_agree_with_decoding)
{
	static const char *const piece[] = {"a",
	                                    "e",
	                                    "Le chat ",
	                                    "\n",
	                                    "\r\n",
	                                    "\t",
	                                    "\xC3\xA9",
	                                    "\xC3\xA0",
	                                    "\xC2\xA0",
	                                    "\xC2\xAB",
	                                    "\xC5\x93",
	                                    "\xDF\xBF",
	                                    "\xC2\x80",
	                                    "\xE2\x80\x99",
	                                    "\xE2\x82\xAC",
	                                    "\xE1\x80\x80",
	                                    "\xEC\xBF\xBF",
	                                    "\xE0\xA0\x80",
	                                    "\xED\x9F\xBF",
	                                    "\xEE\x80\x80",
	                                    "\xEF\xBF\xBD",
	                                    "\xF0\x9F\x98\x80"};
	static const unsigned char bad[] = {0x00, 0x0B, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC1,
	                                    0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEF, 0xF0,
	                                    0xF4, 0xF5, 0xFF, 0xA0, 0xBE, 0x9F, '\n', 'x'};
	uint32_t seed = 12345;
	unsigned char buf[160];
	for (int t = 0; t < 40000; t++) {
		size_t n = 0, want = (seed = seed * 1103515245u + 12345u) >> 16 & 127;
		while (n < want) {
			seed = seed * 1103515245u + 12345u;
			const char *p = piece[(seed >> 16) % (sizeof piece / sizeof *piece)];
			size_t k = strlen(p);
			memcpy(buf + n, p, k);
			n += k;
		}
		seed = seed * 1103515245u + 12345u;
		if (n && t % 4 != 0)
			buf[(seed >> 8) % n] = bad[(seed >> 20) % sizeof bad];
		if (t % 5 == 1)
			n -= n ? (seed >> 4) % (n < 4 ? n : 4) : 0;
		/* an exact-size copy: the sanitizers see any read past the end */
		char *s = malloc(n ? n : 1);
		CHECK(s != NULL);
		memcpy(s, buf, n);
		const char *what = NULL;
		long got = mie_text_check(s, n, &what), want_at = ref_text_check(buf, n);
		/* with no control allowed: the first control or the same offence */
		long strict = mie_text_check_c0(s, n, 0, NULL), first_c0 = -1;
		for (size_t k = 0; k < n && first_c0 < 0; k++)
			if (buf[k] < 0x20)
				first_c0 = (long)k;
		CHECK_INT(strict, first_c0 >= 0 && (want_at < 0 || first_c0 < want_at) ? first_c0
		                                                                       : want_at);
		char want_what[48] = "";
		uint32_t cp;
		if (want_at >= 0 && !mie_utf8_decode(buf + want_at, n - (size_t)want_at, &cp))
			snprintf(want_what, sizeof want_what, "invalid UTF-8");
		else if (want_at >= 0)
			snprintf(want_what, sizeof want_what, "character U+%04X not allowed",
			         (unsigned)cp);
		free(s);
		CHECK_INT(got, want_at);
		if (want_at >= 0)
			CHECK_STR(what, want_what);
	}
}

/* Sanitizes, and checks the message of mie_text_check, many times. */
static void *fast_paths_many(void *arg)
{
	const char *bad = arg; /* one offence, at byte 1 */
	static const char *const names[] = {
	        "a",      "abbr",  "b",      "big",   "blockquote", "caption", "cite",
	        "code",   "dd",    "div",    "dl",    "dt",         "em",      "figcaption",
	        "figure", "h1",    "h2",     "h3",    "h4",         "h5",      "h6",
	        "i",      "li",    "ol",     "p",     "pre",        "q",       "s",
	        "small",  "span",  "strong", "sub",   "sup",        "table",   "tbody",
	        "td",     "tfoot", "th",     "thead", "tr",         "u",       "ul"};
	mie_buf b = MIE_BUF_INIT, want = MIE_BUF_INIT;
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
			/* upper case in, lower case out, one element alone: kept */
			mie_buf_reset(&b);
			mie_buf_reset(&want);
			mie_buf_addf(&want, "<%s>x</%s>", names[i], names[i]);
			char up[16];
			size_t k = strlen(names[i]);
			for (size_t j = 0; j <= k; j++)
				up[j] = (char)(names[i][j] >= 'a' ? names[i][j] - 32 : names[i][j]);
			mie_buf_addf(&b, "<%s>x</%s>", up, up);
			mie_buf out = MIE_BUF_INIT;
			mie_html_sanitize(&out, b.data, b.len);
			int same = strcmp(out.data, want.data) == 0;
			mie_buf_release(&out);
			if (!same)
				return "allowed element not kept";
		}
		mie_buf out = MIE_BUF_INIT;
		int removed = mie_html_sanitize(&out, "<SCRIPT>x</script><Iframe>y</iframe>z", 37);
		int ok = removed == 2 && strcmp(out.data, "z") == 0;
		mie_buf_release(&out);
		if (!ok)
			return "dropped elements not removed";
		const char *what = NULL;
		if (mie_text_check(bad, strlen(bad), &what) != 1 ||
		    strstr(what, bad[1] == '\x01' ? "U+0001" : "U+001F") == NULL)
			return "message of another thread";
	}
	mie_buf_release(&b);
	mie_buf_release(&want);
	return NULL;
}

/* mie_text_fold as defined, for the pieces below: each letter lowercased,
 * each digit kept, "é" "É" as "e", "œ" as "oe", anything else a
 * separator; separators in a row are one space, none at either end.  (A
 * non-ASCII character is followed by ASCII here: never what the
 * double-encoding repair looks at.) */
static void ref_fold(mie_buf *out, const char *s)
{
	int sep = 0;
	for (const char *p = s; *p;) {
		const char *f;
		char one[2] = {0, 0};
		size_t k = 1;
		unsigned char c = (unsigned char)*p;
		if (!strncmp(p, "é", 2) || !strncmp(p, "É", 2))
			f = "e", k = 2;
		else if (!strncmp(p, "œ", 2))
			f = "oe", k = 2;
		else if ((c | 32) >= 'a' && (c | 32) <= 'z')
			one[0] = (char)(c | 32), f = one;
		else if (c >= '0' && c <= '9')
			one[0] = (char)c, f = one;
		else
			f = NULL;
		p += k;
		if (!f) {
			sep = 1;
			continue;
		}
		if (sep && out->len)
			mie_buf_addc(out, ' ');
		sep = 0;
		mie_buf_adds(out, f);
	}
}

TEST(fold_words_agree_with_the_table)
{
	static const char *const pieces[] = {"a", "Z", "m", "Q",  "0",  "9",  " ", " ", "  ", ".",
	                                     ",", "'", "-", "éz", "Éq", "œ0", "@", "[", "`",  "{"};
	mie_buf s = MIE_BUF_INIT, got = MIE_BUF_INIT, want = MIE_BUF_INIT;
	srand(21);
	for (int it = 0; it < 20000; it++) {
		mie_buf_reset(&s);
		for (int k = rand() % 40; k > 0; k--)
			mie_buf_adds(&s, pieces[rand() % (rand() % 2 ? 6 : 20)]);
		mie_buf_reset(&got);
		mie_buf_reset(&want);
		mie_text_fold(&got, s.data ? s.data : "", s.len);
		ref_fold(&want, s.data ? s.data : "");
		CHECK_STR(got.data ? got.data : "", want.data ? want.data : "");
	}
	mie_buf_release(&s);
	mie_buf_release(&got);
	mie_buf_release(&want);
}

TEST(find2_and_byte_classes_agree_with_bytes)
{
	static const unsigned char pick[] = {'"', '\\', 'A', 'Z', 'a', 'z', '0',  '9',  ' ',
	                                     '@', '[',  '`', '{', '/', ':', 0x80, 0xC3, 0xFF};
	unsigned char b[40];
	srand(22);
	for (int it = 0; it < 20000; it++) {
		size_t n = (size_t)(rand() % 40);
		for (size_t k = 0; k < n; k++)
			b[k] = rand() % 3 ? pick[2 + rand() % (sizeof pick - 2)] : pick[rand() % 2];
		const char *p = (const char *)b, *want = p;
		while (want < p + n && *want != '"' && *want != '\\')
			want++;
		CHECK(mie_find2(p, p + n, '"', '\\') == want);
		if (n < 8)
			continue;
		uint64_t w = mie_swar_load(b);
		if (w != mie_swar_load_le(b))
			continue; /* the masks below read little-endian words */
		unsigned up = mie_swar_mask(mie_swar_range(w, 'A', 'Z'));
		unsigned after = mie_swar_mask(mie_swar_next(mie_swar_eq_exact(w, ' ')));
		for (int k = 0; k < 8; k++) {
			if (b[k] < 0x80)
				CHECK_INT(up >> k & 1, b[k] >= 'A' && b[k] <= 'Z');
			CHECK_INT(after >> k & 1, k > 0 && b[k - 1] == ' ');
		}
	}
}

TEST(fast_paths_are_thread_safe)
{
	pthread_t t;
	CHECK_INT(pthread_create(&t, NULL, fast_paths_many, "a\x01"), 0);
	const char *mine = fast_paths_many("a\x1F");
	void *theirs;
	CHECK_INT(pthread_join(t, &theirs), 0);
	CHECK_STR(mine ? mine : "ok", "ok");
	CHECK_STR(theirs ? (const char *)theirs : "ok", "ok");
}
