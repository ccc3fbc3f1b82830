/* SPIP markup rendering: one test per shortcut, exact outputs; hostile input. */
#include <stdlib.h>

#include "mie_html.h"
#include "mie_spip.h"
#include "mie_test.h"

static const mie_spip_ctx fr = {"http://www.infomie.net/", "infomie.net", "fr", 0};

/* Renders src; returns a malloc'd copy of the html (or plain). */
static char *render(const char *src, int want_plain)
{
	mie_spip_out o;
	mie_spip_out_init(&o);
	mie_spip_render(&fr, src, strlen(src), &o);
	char *s = strdup(want_plain ? o.plain.data : o.html.data);
	mie_spip_out_release(&o);
	return s;
}

#define CHECK_RENDER(src, want)                                                                    \
	do {                                                                                       \
		char *got_ = render(src, 0);                                                       \
		int ok_ = strcmp(got_, want) == 0;                                                 \
		if (!ok_)                                                                          \
			mie_test_fail(__FILE__, __LINE__, "got \"%s\"", got_);                     \
		free(got_);                                                                        \
		if (!ok_)                                                                          \
			return;                                                                    \
	} while (0)

TEST(spip_inline_shortcuts)
{
	CHECK_RENDER(
	        "{{gras}} et {italique}",
	        "<p><strong class=\"spip\">gras</strong> et <i class=\"spip\">italique</i></p>");
	CHECK_RENDER("{{{Le principe}}}", "<h3 class=\"spip\">Le principe</h3>");
	CHECK_RENDER("14~h", "<p>14\xC2\xA0h</p>");
	CHECK_RENDER("{{non fermé", "<p><strong class=\"spip\">non fermé</strong></p>");
}

TEST(spip_paragraphs_and_breaks)
{
	CHECK_RENDER("un\ndeux\r\n\r\ntrois", "<p>un deux</p>\n<p>trois</p>");
	CHECK_RENDER("a\n_ b\n- c", "<p>a <br />b <br />\xE2\x80\xA2\xC2\xA0"
	                            "c</p>");
	CHECK_RENDER("a\n----\nb", "<p>a</p><hr class=\"spip\" /><p> b</p>");
	CHECK_RENDER("a\n\n\n   \nb", "<p>a</p>\n<p>b</p>");
}

TEST(spip_links)
{
	CHECK_RENDER("[la circulaire->art79]",
	             "<p><a href=\"http://www.infomie.net/spip.php?article79\" class=\"spip_in\" "
	             "data-mie-id=\"infomie.net:article:79\">la circulaire</a></p>");
	CHECK_RENDER("[->rub3]",
	             "<p><a href=\"http://www.infomie.net/spip.php?rubrique3\" "
	             "class=\"spip_in\" data-mie-id=\"infomie.net:section:3\">rubrique3</a></p>");
	CHECK_RENDER("[Légifrance->http://www.example.org/loi?a=1&b=2]",
	             "<p><a href=\"http://www.example.org/loi?a=1&amp;b=2\" "
	             "class=\"spip_out\">Légifrance</a></p>");
	CHECK_RENDER("[ancre<-]", "<p><a id=\"ancre\"></a></p>");
	CHECK_RENDER("[pas un lien] [x", "<p>[pas un lien] [x</p>");
	mie_spip_out o;
	mie_spip_out_init(&o);
	const char *s = "[a->art12] [b->br4] [c->doc5] [d->12] [e->art12]";
	mie_spip_render(&fr, s, strlen(s), &o);
	char *links = json_dumps(o.links, JSON_COMPACT);
	CHECK_STR(links, "[\"infomie.net:article:12\",\"infomie.net:brief:4\","
	                 "\"infomie.net:document:5\"]");
	free(links);
	mie_spip_out_release(&o);
}

TEST(spip_notes)
{
	mie_spip_out o;
	mie_spip_out_init(&o);
	const char *s = "Texte[[Code de l'éducation, {article} L.131-1.]] suite.";
	mie_spip_render(&fr, s, strlen(s), &o);
	CHECK_STR(o.html.data, "<p>Texte<span class=\"spip_note_ref\">\xC2\xA0[<a href=\"#nb1\" "
	                       "class=\"spip_note\" id=\"nh1\">1</a>]</span> suite.</p>");
	CHECK_STR(o.notes_plain.data, "[1] Code de l'éducation, article L.131-1.");
	CHECK_STR(o.plain.data, "Texte [1] suite.");
	mie_spip_out_release(&o);
}

TEST(spip_lists_and_tables)
{
	CHECK_RENDER("-* un\n-** un.un\n-* deux",
	             "<ul class=\"spip\"><li>un<ul "
	             "class=\"spip\"><li>un.un</li></ul></li><li>deux</li></ul>");
	CHECK_RENDER("-# a\n-# b", "<ol class=\"spip\"><li>a</li><li>b</li></ol>");
	CHECK_RENDER("| {{Âge}} | {{Démarche}} |\n| 15 ans | mairie |",
	             "<table class=\"spip\"><tr><th><strong class=\"spip\">Âge</strong></th><th>"
	             "<strong class=\"spip\">Démarche</strong></th></tr><tr><td>15 ans</td><td>"
	             "mairie</td></tr></table>");
}

TEST(spip_code_quote_multi_models)
{
	CHECK_RENDER("<code>{{x}} <b></code>",
	             "<p><code class=\"spip_code\">{{x}} &lt;b&gt;</code></p>");
	CHECK_RENDER("<quote>Aucun élève</quote>",
	             "<blockquote class=\"spip\">Aucun élève</blockquote>");
	CHECK_RENDER("<multi>[fr]Bonjour[en]Hello</multi>", "<p>Bonjour</p>");
	CHECK_RENDER("<doc3|left>",
	             "<p><span class=\"spip_document spip_doc\" "
	             "data-mie-id=\"infomie.net:document:3\">[document 3]</span></p>");
	mie_spip_ctx en = fr;
	en.lang = "en";
	mie_spip_out o;
	mie_spip_out_init(&o);
	mie_spip_render(&en, "<multi>[fr]Bonjour[en]Hello</multi>", 35, &o);
	CHECK_STR(o.plain.data, "Hello");
	mie_spip_out_release(&o);
}

TEST(spip_output_is_safe)
{
	static const char *const hostile[] = {
	        "<script>alert(1)</script>x",
	        "<img src=x onerror=alert(1)>",
	        "<a href=\"&#106;avascript:alert(1)\">a</a>",
	        "[clic->javascript:alert(1)]",
	        "[clic->java\tscript:alert(1)]",
	        "<html><iframe src=\"http://evil\"></iframe><b onclick=\"x()\">b</b></html>",
	        "{{{{x}",
	        "[[ [[ ]]",
	};
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		char *h = render(hostile[i], 0);
		int bad = strstr(h, "<script") || strstr(h, "onerror") || strstr(h, "onclick") ||
		          strstr(h, "javascript:") || strstr(h, "<iframe");
		if (bad)
			mie_test_fail(__FILE__, __LINE__, "unsafe: %s", h);
		free(h);
		if (bad)
			return;
	}
}

TEST(spip_hostile_sizes_finish)
{
	size_t n = 1 << 20;
	char *s = malloc(n + 1);
	memset(s, '[', n);
	s[n] = '\0';
	char *h = render(s, 0);
	CHECK(strlen(h) >= n);
	free(h);
	for (size_t i = 0; i < n; i++)
		s[i] = "{<div>"[i % 6];
	h = render(s, 1);
	free(h);
	free(s);
}

TEST(html_sanitize_and_plain)
{
	mie_buf b = MIE_BUF_INIT;
	const char *s = "<p style=\"x\" class=\"c\">Un &amp; <em>deux</em><script>x</script></p>"
	                "<ul><li>a</li><li>b</li></ul><a href=\"mailto:a@b\" onclick=\"y\">m</a>";
	CHECK_INT(mie_html_sanitize(&b, s, strlen(s)), 3);
	CHECK_STR(b.data, "<p class=\"c\">Un &amp; <em>deux</em></p><ul><li>a</li><li>b</li></ul>"
	                  "<a href=\"mailto:a@b\">m</a>");
	mie_buf_reset(&b);
	mie_html_to_plain(&b, s, strlen(s));
	CHECK_STR(b.data, "Un & deux\n\na\n\nb\n\nm");
	mie_buf_release(&b);
	CHECK(!mie_html_url_ok(" JaVa\nScRiPt:alert(1)"));
	CHECK(mie_html_url_ok("spip.php?article12"));
	CHECK(mie_html_url_ok("../IMG/pdf/a.pdf"));
	CHECK(!mie_html_url_ok("data:text/html,x"));
}
