/* SPIP markup to Markdown (text/mie_spip_md.h): each shape the renderer
 * writes, footnotes, internal links resolved, tables, escaping of text
 * that would otherwise read as Markdown, a Hugo shortcode or a kramdown
 * attribute list. */
#include <string.h>

#include "mie_test.h"
#include "text/mie_spip_md.h"

static int resolve(void *arg, const char *id, mie_buf *url, mie_buf *title)
{
	if (strcmp(id, "infomie.net:article:79") == 0) {
		mie_buf_adds(url, "/droits/79-circulaire/");
		mie_buf_adds(title, "Circulaire (mars)");
		return 0;
	}
	if (strcmp(id, "infomie.net:document:3") == 0) {
		mie_buf_adds(url, "guide inscription.pdf");
		mie_buf_adds(title, "Guide d'inscription");
		return 0;
	}
	if (strcmp(id, "infomie.net:document:4") == 0) {
		mie_buf_adds(url, "photo.jpg");
		mie_buf_adds(title, "Photo");
		return 1;
	}
	return -1;
}

static void spip_is(const char *src, const char *want)
{
	mie_spip_ctx ctx = {"http://www.infomie.net/", "infomie.net", "fr", 0};
	mie_md_links l = {resolve, NULL};
	mie_buf b = MIE_BUF_INIT;
	mie_spip_md(&b, &ctx, src, strlen(src), &l);
	CHECK_STR(b.data, want);
	mie_buf_release(&b);
}

TEST(spip_md_blocks)
{
	spip_is("{{{Le principe}}}\n\nUn {{gras}} et {italique} ici.",
	        "### Le principe\n\nUn **gras** et *italique* ici.\n");
	spip_is("Avant\n\n-* un\n-* deux\n-** sous\n\nAprès",
	        "Avant\n\n- un\n- deux\n  - sous\n\nAprès\n");
	spip_is("-# premier\n-# second", "1. premier\n2. second\n");
	spip_is("<quote>Cité\n\nencore</quote>", "> Cité\n>\n> encore\n");
	spip_is("ligne\n_ suivante", "ligne  \nsuivante\n");
	spip_is("a\n\n----\n\nb", "a\n\n* * *\n\nb\n");
	spip_is("<code>x `y` z</code>", "``x `y` z``\n");
	spip_is("<cadre>un\ndeux</cadre>", "```\nun\ndeux\n```\n");
}

TEST(spip_md_notes_and_links)
{
	spip_is("Le jeune[[Code de l'éducation.]] est inscrit.",
	        "Le jeune[^1] est inscrit.\n\n[^1]: Code de l’éducation.\n");
	spip_is("Voir la [circulaire->art79] et [->art79].",
	        "Voir la [circulaire](/droits/79-circulaire/) et [Circulaire "
	        "(mars)](/droits/79-circulaire/).\n");
	spip_is("Un [lien->http://example.org/a(b)] externe.",
	        "Un [lien](http://example.org/a%28b%29) externe.\n");
	spip_is("Non publié : [x->art999].",
	        "Non publié\xc2\xa0: [x](http://www.infomie.net/spip.php?article999).\n");
	spip_is("Le <doc3|left> et <img4>.",
	        "Le [Guide d'inscription](guide%20inscription.pdf) et ![Photo](photo.jpg).\n");
}

TEST(spip_md_tables)
{
	spip_is("| {{Âge}} | {{Démarche}} |\n| moins de 16 ans | mairie |\n| 16 à 18 ans | < |\n| "
	        "{x} | y |",
	        "| Âge | Démarche |\n| --- | --- |\n| moins de 16 ans | mairie |\n| 16 à 18 ans |  "
	        "|\n"
	        "| *x* | y |\n");
	spip_is("| un | deux |", "|  |  |\n| --- | --- |\n| un | deux |\n");
}

static void html_is(const char *html, const char *want)
{
	mie_buf b = MIE_BUF_INIT;
	mie_md_from_html(&b, html, strlen(html), NULL);
	CHECK_STR(b.data, want);
	mie_buf_release(&b);
}

TEST(spip_md_escaping)
{
	html_is("<p>Prix : 5 $ * 2 _a_ [b] &lt;x&gt; {{&lt; shortcode &gt;}} {:.x}</p>",
	        "Prix : 5 \\$ \\* 2 \\_a\\_ \\[b\\] \\<x\\> \\{\\{\\< shortcode \\>\\}\\} "
	        "\\{:.x\\}\n");
	html_is("<p>1. pas une liste</p><p># pas un titre</p><p>- tiret<br />+ plus<br />"
	        "=== égal<br />: deux-points</p>",
	        "1\\. pas une liste\n\n\\# pas un titre\n\n\\- tiret  \n\\+ plus  \n\\=== égal  \n"
	        "\\: deux-points\n");
	html_is("<p>&amp;copy; reste &amp; écrit</p>", "&amp;copy; reste & écrit\n");
	html_is("<p><strong>gras </strong>suivi</p>", "**gras** suivi\n");
	html_is("<p><a href=\"#x\" title=\"un &quot;titre&quot;\">t</a></p>",
	        "[t](#x \"un \\\"titre\\\"\")\n");
	html_is("", "");
}
