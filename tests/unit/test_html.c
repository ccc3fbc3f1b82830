/* HTML sanitizer and HTML to plain text: exact outputs, hostile input. */
#include <stdlib.h>

#include "text/mie_html.h"
#include "mie_test.h"

/* Sanitizes src; returns a malloc'd copy of the result, *rep filled. */
static char *safe(const char *src, size_t n, mie_html_report *rep)
{
	mie_buf b = MIE_BUF_INIT;
	mie_html_report r = {0, 0};
	mie_html_sanitize_report(&b, src, n, &r);
	if (rep)
		*rep = r;
	char *s = mie_buf_detach(&b, NULL);
	return s;
}

/* Compares got (malloc'd, freed here) with want; reports a difference.
 * Shared with test_spip.c. */
int mie_test_same_free(const char *file, int line, char *got, const char *want)
{
	int ok = strcmp(got, want) == 0;
	if (!ok)
		mie_test_fail(file, line, "got \"%s\"", got);
	free(got);
	return ok;
}

static char *plain(const char *src)
{
	mie_buf b = MIE_BUF_INIT;
	mie_html_to_plain(&b, src, strlen(src));
	return mie_buf_detach(&b, NULL);
}

#define CHECK_SAFE(src, want)                                                                      \
	do {                                                                                       \
		if (!mie_test_same_free(__FILE__, __LINE__, safe(src, strlen(src), NULL), want))   \
			return;                                                                    \
	} while (0)

#define CHECK_PLAIN(src, want)                                                                     \
	do {                                                                                       \
		if (!mie_test_same_free(__FILE__, __LINE__, plain(src), want))                     \
			return;                                                                    \
	} while (0)

TEST(html_keeps_allowed_markup)
{
	CHECK_SAFE("<P CLASS=spip>Le <STRONG>droit</STRONG> d&#8217;asile</P>",
	           "<p class=\"spip\">Le <strong>droit</strong> d\xE2\x80\x99"
	           "asile</p>");
	CHECK_SAFE("<a href='spip.php?article12&amp;x=1' title=\"L'article\">lien</a>",
	           "<a href=\"spip.php?article12&amp;x=1\" title=\"L'article\">lien</a>");
	CHECK_SAFE("a<br>b<hr/>c<img src=\"IMG/jpg/a.jpg\" alt=\"Mineurs &amp; droits\">",
	           "a<br />b<hr />c<img src=\"IMG/jpg/a.jpg\" alt=\"Mineurs &amp; droits\" />");
	CHECK_SAFE("<span data-mie-id=\"infomie.net:document:5\" data-x=\"1\">d</span>",
	           "<span data-mie-id=\"infomie.net:document:5\">d</span>");
	CHECK_SAFE("&nbsp;1 &lt; 2 &unknown; AT&T", "\xC2\xA0"
	                                            "1 &lt; 2 &amp;unknown; AT&amp;T");
}

TEST(html_unwraps_and_closes)
{
	CHECK_SAFE("<font face=x><center>Texte</center></font>", "Texte");
	CHECK_SAFE("<p>un<p>deux", "<p>un</p><p>deux</p>");
	CHECK_SAFE("<ul><li>a<li>b</ul>", "<ul><li>a</li><li>b</li></ul>");
	CHECK_SAFE("<table><tr><td>1<td>2<tr><td>3</table>",
	           "<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>");
	CHECK_SAFE("<b><i>x</b>y</i>", "<b><i>x</i></b>y");
	CHECK_SAFE("</div>fin</p>", "fin");
	CHECK_SAFE("<p>a<div>b</div>", "<p>a</p><div>b</div>");
	CHECK_SAFE("1 < 2 <3 <> </ x> <!-- commentaire --> <? pi ?>fin",
	           "1 &lt; 2 &lt;3 &lt;&gt;   fin");
	CHECK_SAFE("<b title=\"pas fini", "");
	CHECK_SAFE("<p></p><p class=\"x\"></p>a<p>b</p>", "a<p>b</p>");
}

TEST(html_drops_active_content)
{
	mie_html_report r;
	const char *in = "<script>alert(1)</script><SCRIPT SRC=//x></SCRIPT >ok"
	                 "<style>p{}</style><iframe src=x>texte</iframe>"
	                 "<object><param name=a><b>flash</b></object>"
	                 "<form action=x><input name=q><b>f</b></form>.";
	char *s = safe(in, strlen(in), &r);
	CHECK_STR(s, "ok.");
	CHECK_INT(r.removed, 6); /* what is inside a dropped element goes uncounted */
	free(s);
	CHECK_SAFE("<img src=x onerror=alert(1)>", "<img src=\"x\" />");
	CHECK_SAFE("<a href=\"&#106;avascript:alert(1)\">a</a>", "<a>a</a>");
	CHECK_SAFE("<a href=\"java\tscript:alert(1)\">a</a>", "<a>a</a>");
	CHECK_SAFE("<a href=\"  JAVASCRIPT:alert(1)\">a</a>", "<a>a</a>");
	CHECK_SAFE("<a href=\"jav&#x09;ascript:x\">a</a>", "<a>a</a>");
	CHECK_SAFE("<a href=\"data:text/html,x\">a</a>", "<a>a</a>");
	CHECK_SAFE("<a href=\"vbscript:x\" style=\"x\" onmouseover='y'>a</a>", "<a>a</a>");
	CHECK_SAFE("<img src=\"javascript:x\" alt=\"\">", "<img alt=\"\" />");
	CHECK_SAFE("<a href=\"#note1\" href=\"javascript:x\">a</a>", "<a href=\"#note1\">a</a>");
	CHECK_SAFE("<a title=\"&quot;&gt;&lt;script&gt;\">t</a>",
	           "<a title=\"&quot;&gt;&lt;script&gt;\">t</a>");
	CHECK_SAFE("<svg><script>x</script><b>s</b></svg><svg/>après", "après");
	CHECK_SAFE("<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)");
	CHECK_SAFE("<textarea><script>x</script></textarea>t", "t");
	CHECK_SAFE("x<script>never closed", "x");
	CHECK_SAFE("a\x01"
	           "b",
	           "ab");
}

TEST(html_url_rules)
{
	CHECK(!mie_html_url_ok(" JaVa\nScRiPt:alert(1)"));
	CHECK(!mie_html_url_ok("data:text/html,x"));
	CHECK(!mie_html_url_ok("javascript"
	                       ":"));
	CHECK(mie_html_url_ok("spip.php?article12"));
	CHECK(mie_html_url_ok("../IMG/pdf/a.pdf"));
	CHECK(mie_html_url_ok("#nb1"));
	CHECK(mie_html_url_ok("HTTPS://www.example.org/"));
	CHECK(mie_html_url_ok("mailto:contact@example.org"));
	CHECK(mie_html_url_ok("ftp://ftp.example.org/"));
	CHECK(!mie_html_url_ok("page:2/x"));
}

TEST(html_deep_nesting_is_flattened_and_reported)
{
	size_t depth = 100000;
	mie_buf in = MIE_BUF_INIT;
	for (size_t i = 0; i < depth; i++)
		mie_buf_adds(&in, "<div>");
	mie_buf_adds(&in, "fond");
	for (size_t i = 0; i < depth; i++)
		mie_buf_adds(&in, "</div>");
	mie_html_report r;
	char *s = safe(in.data, in.len, &r);
	CHECK_INT(r.flattened, depth - MIE_HTML_MAX_DEPTH);
	CHECK_INT(strlen(s), MIE_HTML_MAX_DEPTH * 11 + 4);
	CHECK(strstr(s, "fond"));
	free(s);
	mie_buf b = MIE_BUF_INIT;
	CHECK_INT(mie_html_sanitize(&b, in.data, in.len), -1);
	mie_buf_release(&b);
	mie_buf_release(&in);
}

TEST(html_hostile_sizes_finish)
{
	size_t n = 1 << 20;
	char *s = malloc(n);
	static const char *const patterns[] = {"<", "<a ", "<!--", "&#", "<a b='", "</", "<p>"};
	for (size_t k = 0; k < sizeof patterns / sizeof *patterns; k++) {
		size_t m = strlen(patterns[k]);
		for (size_t i = 0; i < n; i++)
			s[i] = patterns[k][i % m];
		free(safe(s, n, NULL));
		mie_buf b = MIE_BUF_INIT;
		mie_html_to_plain(&b, s, n);
		mie_buf_release(&b);
	}
	free(s);
}

TEST(html_to_plain_text)
{
	CHECK_PLAIN("<h3>Titre</h3><p>Un &amp; <em>deux</em>.</p><p>Trois&nbsp;:\n  quatre</p>",
	            "Titre\n\nUn & deux.\n\nTrois : quatre");
	CHECK_PLAIN("<ul><li>a</li><li>b</li></ul>fin", "a\nb\n\nfin");
	CHECK_PLAIN("ligne<br />suivante", "ligne\nsuivante");
	CHECK_PLAIN("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>", "1 2\n\n3");
	CHECK_PLAIN("<script>var x = '<p>';</script><style>p{}</style>texte", "texte");
	CHECK_PLAIN("  <p> </p> ", "");
	CHECK_PLAIN("<pre>a\n  b</pre>c", "a\nb\n\nc");
	mie_buf h = MIE_BUF_INIT, p = MIE_BUF_INIT;
	CHECK_INT(mie_html_sanitize_plain(&h, &p, "x<b onclick=y>é</b>", 20), 1);
	CHECK_STR(h.data, "x<b>é</b>");
	CHECK_STR(p.data, "xé");
	mie_buf_release(&h);
	mie_buf_release(&p);
}

/* An attribute name holding a NUL byte is read up to the NUL: "href\0xy"
 * is a second href, dropped as a duplicate; the duplicate check reads only
 * what it wrote (ASan runs this). */
TEST(html_attribute_name_with_nul_dropped)
{
	static const char in[] = "<a href=\"http://x.org/\" href\0xy=\"z\">t</a>";
	mie_buf out = MIE_BUF_INIT;
	mie_html_sanitize(&out, in, sizeof in - 1);
	CHECK_STR(out.data, "<a href=\"http://x.org/\">t</a>");
	mie_buf_release(&out);
}
