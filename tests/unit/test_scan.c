/* The block-at-a-time paths of the HTML and SPIP passes agree with their
 * plain definitions: mie_scan with a byte loop, mie_html_escape with a
 * byte-by-byte escaper, and the plain text of sanitized HTML taken by
 * mie_html_safe_to_plain with mie_html_to_plain's.  (A deterministic
 * sample of the differential runs made against the code before these
 * paths.) */
#include <stdint.h>
#include <stdlib.h>

#include "text/mie_html.h"
#include "text/mie_scan.h"
#include "mie_test.h"

/* xorshift: the same cases on every run */
static uint64_t next_rand(uint64_t *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 7;
	*st ^= *st << 17;
	return *st;
}

static size_t ref_scan(const char *s, size_t i, size_t n, const unsigned char *table, unsigned mask)
{
	while (i < n && !(table[(unsigned char)s[i]] & mask))
		i++;
	return i;
}

/* One or two bytes from a set of edge cases (in the table, in the set but
 * not the table, controls, high bytes) at every place of every length up
 * to 40, scanned from every start. */
TEST(scan_agrees_with_byte_loop)
{
	static unsigned char table[256];
	table['&'] = 1, table['<'] = 1, table[0x01] = 1, table[0x1F] = 1, table[0xC2] = 2;
	table['"'] = 2;
	static unsigned char amp_lt[256]; /* the first two bytes of set, no controls */
	amp_lt['&'] = 1, amp_lt['<'] = 1;
	const uint64_t set = MIE_SCAN_SET('&', '<', 'y', 0xC2, '"', 0, 0, 0);
	static const unsigned char edge[] = {'&',  '<',  'y',  '"',  0xC2, 0x01, 0x1F,
	                                     '\t', '\n', 0x00, 0x80, 0xFF, ' ',  'a'};
	char buf[48];
	for (size_t n = 0; n <= 40; n++)
		for (size_t a = 0; a < n || (a == 0 && n == 0); a++)
			for (size_t ea = 0; ea < sizeof edge; ea++)
				for (size_t eb = 0; eb < sizeof edge; eb += 3) {
					memset(buf, 'x', sizeof buf);
					if (n) {
						buf[a] = (char)edge[ea];
						buf[(a * 7 + 3) % n] = (char)edge[eb];
					}
					for (size_t i = 0; i <= n; i++) {
						CHECK_INT(mie_scan(buf, i, n, table, 1, set, 5, 1),
						          ref_scan(buf, i, n, table, 1));
						CHECK_INT(mie_scan(buf, i, n, table, 3, set, 5, 1),
						          ref_scan(buf, i, n, table, 3));
						CHECK_INT(mie_scan(buf, i, n, amp_lt, 1, set, 2, 0),
						          ref_scan(buf, i, n, amp_lt, 1));
					}
				}
}

static void ref_escape(mie_buf *out, const char *s, size_t n, int attr)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '&')
			mie_buf_adds(out, "&amp;");
		else if (c == '<')
			mie_buf_adds(out, "&lt;");
		else if (c == '>')
			mie_buf_adds(out, "&gt;");
		else if (c == '"' && attr)
			mie_buf_adds(out, "&quot;");
		else if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
			mie_buf_addc(out, (char)c);
	}
}

TEST(escape_agrees_with_byte_loop)
{
	static const char alphabet[] = "aaaaaaaaaaaaa    &<>\"\t\n\r\x01\x1f\x7f\xc2\xa0\xc3\xa9";
	uint64_t st = 42;
	char buf[80];
	mie_buf got = MIE_BUF_INIT, want = MIE_BUF_INIT;
	for (int round = 0; round < 20000; round++) {
		size_t n = next_rand(&st) % sizeof buf;
		for (size_t i = 0; i < n; i++)
			buf[i] = alphabet[next_rand(&st) % (sizeof alphabet - 1)];
		for (int attr = 0; attr < 2; attr++) {
			mie_buf_reset(&got);
			mie_buf_reset(&want);
			mie_html_escape(&got, buf, n, attr);
			ref_escape(&want, buf, n, attr);
			CHECK_INT(got.len, want.len);
			CHECK(memcmp(got.data, want.data, got.len) == 0);
		}
	}
	mie_buf_release(&got);
	mie_buf_release(&want);
}

/* Fragments of what the SPIP renderer and raw HTML give the sanitizer. */
static const char *const pieces[] = {"<p class=\"spip\">",
                                     "</p>\n",
                                     "<br />",
                                     "<br>",
                                     "<hr class=\"spip\" />",
                                     "<pre>",
                                     "</pre>",
                                     "<code class=\"spip_code\">",
                                     "</code>",
                                     "<ul class=\"spip\"><li>",
                                     "<li>",
                                     "</ul>",
                                     "<table class=\"spip\"><tr class=\"row_odd\"><td>",
                                     "<td>",
                                     "</td>",
                                     "</tr>",
                                     "</table>",
                                     "<a href=\"http://x.org/?a=1&amp;b=2\" class=\"spip_out\">",
                                     "</a>",
                                     "<img src=\"x.png\" alt=\"&lt;a&gt;\" width=3>",
                                     "<a href='javascript:x'>",
                                     "<script>y</script>",
                                     "<b onclick=\"z\">",
                                     "</b>",
                                     "<h3 class=\"spip\">",
                                     "</h3>",
                                     "<blockquote>",
                                     "</blockquote>",
                                     "<span title=\"a&quot;b\" data-mie-id=\"x:article:1\">",
                                     "</span>",
                                     "<div>",
                                     "</div>",
                                     "<!-- c -->",
                                     "<dl><dt>",
                                     "<dd>",
                                     "</dl>",
                                     "<sup>",
                                     "</sup>",
                                     "text ",
                                     "mot",
                                     "  ",
                                     "\n",
                                     "\n\n",
                                     "\r",
                                     "\t",
                                     "&amp;",
                                     "&lt;",
                                     "&gt;",
                                     "&nbsp;",
                                     "&eacute;",
                                     "&#8217;",
                                     "&bogus;",
                                     "\xc2\xa0",
                                     "\xc2\xab ",
                                     " \xc2\xbb",
                                     "l'\xc3\xa9t\xc3\xa9",
                                     "une phrase assez longue de mots ",
                                     "\x01",
                                     "<",
                                     ">",
                                     "&",
                                     "\"",
                                     "<p>",
                                     "<P>",
                                     "</P>",
                                     "<x>",
                                     "</x>"};

TEST(plain_of_sanitized_html_agrees)
{
	uint64_t st = 7;
	mie_buf in = MIE_BUF_INIT, safe = MIE_BUF_INIT, fast = MIE_BUF_INIT, slow = MIE_BUF_INIT;
	for (int round = 0; round < 5000; round++) {
		mie_buf_reset(&in);
		mie_buf_reset(&safe);
		size_t np = next_rand(&st) % 60;
		for (size_t i = 0; i < np; i++)
			mie_buf_adds(&in,
			             pieces[next_rand(&st) % (sizeof pieces / sizeof *pieces)]);
		mie_html_sanitize(&safe, in.data, in.len);
		/* the whole output, and a start of it cut anywhere */
		size_t cuts[2] = {safe.len, safe.len ? next_rand(&st) % (safe.len + 1) : 0};
		for (int c = 0; c < 2; c++) {
			mie_buf_reset(&fast);
			mie_buf_reset(&slow);
			mie_html_safe_to_plain(&fast, safe.data, cuts[c]);
			mie_html_to_plain(&slow, safe.data, cuts[c]);
			CHECK_STR(fast.data, slow.data);
		}
	}
	mie_buf_release(&in);
	mie_buf_release(&safe);
	mie_buf_release(&fast);
	mie_buf_release(&slow);
}
