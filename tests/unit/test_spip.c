/* SPIP markup rendering: one test per shortcut, exact outputs; hostile input.
 * "\xC2\xA0" is U+00A0 (no-break space), "\xE2\x80\x99" is ’. */
#include <stdlib.h>

#include "text/mie_html.h"
#include "text/mie_spip.h"
#include "mie_test.h"

#define NB   "\xC2\xA0"
#define APOS "\xE2\x80\x99"

static const mie_spip_ctx fr = {"http://www.infomie.net/", "infomie.net", "fr", 0};

/* Renders src with ctx; returns a malloc'd copy of the html, or of the
 * plain text when want_plain. */
static char *render_with(const mie_spip_ctx *ctx, const char *src, int want_plain)
{
	mie_spip_out o;
	mie_spip_out_init(&o);
	mie_spip_render(ctx, src, strlen(src), &o);
	char *s = strdup(want_plain ? o.plain.data : o.html.data);
	mie_spip_out_release(&o);
	return s;
}

int mie_test_same_free(const char *file, int line, char *got, const char *want);

#define CHECK_OUT(ctx, src, plain, want)                                                           \
	do {                                                                                       \
		if (!mie_test_same_free(__FILE__, __LINE__, render_with(ctx, src, plain), want))   \
			return;                                                                    \
	} while (0)
#define CHECK_RENDER(src, want) CHECK_OUT(&fr, src, 0, want)
#define CHECK_PLAIN(src, want)  CHECK_OUT(&fr, src, 1, want)

/* An array as compact JSON, compared. */
#define CHECK_JSON(arr, want)                                                                      \
	do {                                                                                       \
		if (!mie_test_same_free(__FILE__, __LINE__, json_dumps(arr, JSON_COMPACT), want))  \
			return;                                                                    \
	} while (0)

TEST(spip_bold_italic)
{
	CHECK_RENDER("{{gras}} et {italique}",
	             "<strong class=\"spip\">gras</strong> et <i class=\"spip\">italique</i>");
	CHECK_RENDER("{{non fermé", "<strong class=\"spip\">non fermé</strong>");
	CHECK_RENDER("{{a\nb}}", "<strong class=\"spip\">a\nb</strong>");
	CHECK_RENDER("a } b", "a } b");
}

TEST(spip_intertitle)
{
	CHECK_RENDER("{{{Le principe}}}", "<h3 class=\"spip\">Le principe</h3>");
	CHECK_RENDER("Avant\n{{{Titre}}}\nAprès",
	             "<p class=\"spip\">Avant</p>\n<h3 class=\"spip\">Titre</h3>\n<p "
	             "class=\"spip\">Après</p>");
}

TEST(spip_paragraphs)
{
	CHECK_RENDER("un\ndeux", "un\ndeux");
	CHECK_RENDER("un\ndeux\r\n\r\ntrois",
	             "<p class=\"spip\">un\ndeux</p>\n<p class=\"spip\">trois</p>");
	CHECK_RENDER("a\n\n\n   \nb", "<p class=\"spip\">a</p>\n<p class=\"spip\">b</p>");
	CHECK_PLAIN("un\ndeux\n\ntrois", "un deux\n\ntrois");
}

TEST(spip_rule_and_line_starts)
{
	CHECK_RENDER("a\n----\nb",
	             "<p class=\"spip\">a</p>\n<hr class=\"spip\" />\n<p class=\"spip\">b</p>");
	CHECK_RENDER("a\n_____", "<p class=\"spip\">a</p>\n<hr class=\"spip\" />");
	CHECK_RENDER("a\n_ b", "a\n<br />b");
	CHECK_RENDER("a\n- b\n- c", "a\n<br />\xE2\x80\xA2" NB "b\n<br />\xE2\x80\xA2" NB "c");
	CHECK_RENDER("a\n-- b", "a\n<br />\xE2\x80\x94" NB "b");
}

TEST(spip_lists)
{
	CHECK_RENDER("-* un\n-** un.un\n-* deux",
	             "<ul class=\"spip\"><li>un<ul "
	             "class=\"spip\"><li>un.un</li></ul></li><li>deux</li></ul>");
	CHECK_RENDER("-# a\n-# b", "<ol class=\"spip\"><li>a</li><li>b</li></ol>");
	CHECK_RENDER("-* a\n-# b",
	             "<ul class=\"spip\"><li>a</li></ul><ol class=\"spip\"><li>b</li></ol>");
	CHECK_RENDER("-** profond",
	             "<ul class=\"spip\"><li><ul class=\"spip\"><li>profond</li></ul></li></ul>");
	CHECK_RENDER("Pièces :\n-* passeport\nsuite\n-* acte",
	             "<p class=\"spip\">Pièces" NB
	             ":</p>\n<ul class=\"spip\"><li>passeport\nsuite</li>"
	             "<li>acte</li></ul>");
	CHECK_PLAIN("-* a\n-* b\n\nfin", "a\nb\n\nfin");
}

TEST(spip_tables)
{
	CHECK_RENDER(
	        "| {{Âge}} | {{Démarche}} |\n| 15 ans | mairie |\n| 16 ans | préfecture |",
	        "<table class=\"spip\"><thead><tr class=\"row_first\"><th>Âge</th><th>Démarche</th>"
	        "</tr></thead><tbody><tr class=\"row_odd\"><td>15 ans</td><td>mairie</td></tr>"
	        "<tr class=\"row_even\"><td>16 ans</td><td>préfecture</td></tr></tbody></table>");
	CHECK_RENDER("||Délais|résumé||\n|a|<|\n|b|c|\n|^|d|",
	             "<table class=\"spip\"><caption>Délais</caption><tbody><tr class=\"row_odd\">"
	             "<td colspan=\"2\">a</td></tr><tr class=\"row_even\"><td rowspan=\"2\">b</td>"
	             "<td>c</td></tr><tr class=\"row_odd\"><td>d</td></tr></tbody></table>");
	CHECK_PLAIN("|a|b|\n|c|d|", "a b\n\nc d");
}

TEST(spip_links_internal)
{
	CHECK_RENDER("[la circulaire->art79]",
	             "<a href=\"http://www.infomie.net/spip.php?article79\" class=\"spip_in\" "
	             "data-mie-id=\"infomie.net:article:79\">la circulaire</a>");
	CHECK_RENDER("[->rub3]",
	             "<a href=\"http://www.infomie.net/spip.php?rubrique3\" class=\"spip_in\" "
	             "data-mie-id=\"infomie.net:section:3\" data-mie-label=\"auto\">rubrique3</a>");
	CHECK_RENDER("[x->Breve 4#suite]",
	             "<a href=\"http://www.infomie.net/spip.php?breve4#suite\" class=\"spip_in\" "
	             "data-mie-id=\"infomie.net:brief:4\">x</a>");
	CHECK_RENDER("[d->doc5]",
	             "<a href=\"http://www.infomie.net/spip.php?action=autoriser&amp;arg=5\" "
	             "class=\"spip_in\" data-mie-id=\"infomie.net:document:5\">d</a>");
	mie_spip_out o;
	mie_spip_out_init(&o);
	const char *s = "[a->art12] [b->br4] [c->doc5] [d->12] [e->article 12] [f->aut2] [g->mot7] "
	                "[h->site1] [i->img6] [j->emb7] [k->rubrique3] [l->auteur2]";
	mie_spip_render(&fr, s, strlen(s), &o);
	CHECK_JSON(o.links,
	           "[\"infomie.net:article:12\",\"infomie.net:brief:4\","
	           "\"infomie.net:document:5\",\"infomie.net:author:2\","
	           "\"infomie.net:keyword:7\",\"infomie.net:site:1\",\"infomie.net:document:6\","
	           "\"infomie.net:document:7\",\"infomie.net:section:3\"]");
	mie_spip_out_release(&o);
	CHECK_STR(mie_spip_object_type("BREVE", 5), "brief");
	CHECK(mie_spip_object_type("xyz", 3) == NULL);
}

TEST(spip_links_external)
{
	CHECK_RENDER("[Légifrance->http://www.example.org/loi?a=1&b=2]",
	             "<a href=\"http://www.example.org/loi?a=1&amp;b=2\" "
	             "class=\"spip_out\">Légifrance</a>");
	CHECK_RENDER("[->www.example.org]", "<a href=\"http://www.example.org\" "
	                                    "class=\"spip_url spip_out\">www.example.org</a>");
	CHECK_RENDER("[écrire->contact@example.org]",
	             "<a href=\"mailto:contact@example.org\" class=\"spip_out\">écrire</a>");
	CHECK_RENDER("[texte|bulle d'aide->http://example.org/]",
	             "<a href=\"http://example.org/\" class=\"spip_out\" title=\"bulle "
	             "d'aide\">texte</a>");
	CHECK_RENDER("[plus bas->#suite]", "<a href=\"#suite\" class=\"spip_ancre\">plus bas</a>");
	CHECK_RENDER("[pas un lien] [x", "[pas un lien] [x");
}

TEST(spip_anchor_and_glossary)
{
	CHECK_RENDER("[ancre<-]", "<a id=\"ancre\"></a>");
	CHECK_RENDER("[#bas<-]", "<a id=\"bas\"></a>");
	CHECK_RENDER("[?Mineur isolé]", "<span class=\"spip_glossaire\">Mineur isolé</span>");
	CHECK_RENDER("[MIE->?Mineur]", "<span class=\"spip_glossaire\">MIE</span>");
}

TEST(spip_notes)
{
	mie_spip_out o;
	mie_spip_out_init(&o);
	const char *s =
	        "Texte [[Code de l'éducation, {article} L.131-1.]] suite[[<*> Voir aussi.]].";
	mie_spip_render(&fr, s, strlen(s), &o);
	CHECK_STR(o.html.data,
	          "Texte" NB "[<a href=\"#nb1\" class=\"spip_note\" id=\"nh1\">1</a>] suite" NB
	          "[<a href=\"#nb*\" class=\"spip_note\" id=\"nh*\">*</a>].");
	CHECK_STR(o.notes_html.data,
	          "<p class=\"spip_note\">[<a href=\"#nh1\" class=\"spip_note\" id=\"nb1\">1</a>] "
	          "Code de l" APOS "éducation, <i class=\"spip\">article</i> L.131-1.</p>\n"
	          "<p class=\"spip_note\">[<a href=\"#nh*\" class=\"spip_note\" id=\"nb*\">*</a>] "
	          "Voir aussi.</p>");
	CHECK_STR(o.notes_plain.data,
	          "[1] Code de l'éducation, article L.131-1.\n\n[*] Voir aussi.");
	CHECK_STR(o.plain.data, "Texte [1] suite [*].");
	CHECK_INT(o.notes, 1);
	/* the next field of the same article goes on numbering */
	mie_spip_render(&fr, "ps[[deux]][[<> sans appel]]", 27, &o);
	CHECK(strstr(o.html.data, "id=\"nh2\">2</a>"));
	CHECK(strstr(o.notes_plain.data, "[2] deux\n\nsans appel"));
	CHECK_INT(o.notes, 2);
	mie_spip_out_release(&o);
}

TEST(spip_quote_poesie)
{
	CHECK_RENDER(
	        "<quote>Aucun élève</quote>",
	        "<blockquote class=\"spip\">\n<p class=\"spip\">Aucun élève</p>\n</blockquote>");
	CHECK_RENDER("<poesie>Un vers\n\nDeux</poesie>",
	             "<blockquote class=\"spip_poesie\"><div>Un vers</div><div>" NB "</div>"
	             "<div>Deux</div></blockquote>");
	CHECK_RENDER("<poetry>x</poetry>",
	             "<blockquote class=\"spip_poesie\"><div>x</div></blockquote>");
}

TEST(spip_code_cadre_html)
{
	CHECK_RENDER("<code>{{x}} <b> &#8217; &eacute; &amp;</code>",
	             "<code class=\"spip_code\">{{x}} &lt;b&gt; " APOS
	             " &amp;eacute; &amp;</code>");
	CHECK_RENDER("<code>\nif (a) {\n  b();\n}\n</code>",
	             "<pre class=\"spip_code\"><code>if (a) {\n  b();\n}</code></pre>");
	CHECK_RENDER("<cadre><b>x</b> : 'y'</cadre>",
	             "<pre class=\"spip_cadre\">&lt;b&gt;x&lt;/b&gt; : 'y'</pre>");
	CHECK_RENDER("<html><table><tr><td>{{brut}}</td></tr></table></html>",
	             "<table><tr><td>{{brut}}</td></tr></table>");
	CHECK_RENDER("<intro>Début</intro> suite", "Début suite");
	CHECK_RENDER("Avant\n\n<html><div class=\"encadre\">x</div></html>\n\nfin <cadre>c</cadre>",
	             "<p class=\"spip\">Avant</p>\n<div class=\"encadre\">x</div>\n"
	             "<p class=\"spip\">fin </p><pre class=\"spip_cadre\">c</pre>");
}

TEST(spip_nbsp_and_typography)
{
	CHECK_RENDER("14~h", "14" NB "h");
	CHECK_PLAIN("14~h", "14 h");
	CHECK_RENDER("Attention : l'accueil ! Pourquoi? «Oui» ; non",
	             "Attention" NB ": l" APOS "accueil" NB "! Pourquoi" NB "? \xC2\xAB" NB "Oui" NB
	             "\xC2\xBB" NB "; non");
	CHECK_PLAIN("Attention : l'accueil ! Pourquoi? «Oui» ; non",
	            "Attention : l'accueil ! Pourquoi? «Oui» ; non");
	CHECK_RENDER("spip.php?article12 à 14:30 !!", "spip.php?article12 à 14:30" NB "!!");
	CHECK_RENDER("AT&amp;T &lt;b&gt;; x", "AT&amp;T &lt;b&gt;" NB "; x");
	mie_spip_ctx en = fr;
	en.lang = "en";
	CHECK_OUT(&en, "Warning: it's here -- ok --- <!-- x -->!", 0,
	          "Warning: it" APOS "s here \xE2\x80\x94 ok --- !");
	CHECK_PLAIN("ici -- là", "ici -- là");
}

TEST(spip_multi)
{
	CHECK_RENDER("<multi>[fr]Bonjour[en]Hello</multi>", "Bonjour");
	mie_spip_ctx en = fr;
	en.lang = "en_GB";
	mie_spip_out o;
	mie_spip_out_init(&o);
	const char *s = "<multi>[fr]Bonjour[en]Hello</multi> <multi>défaut [de]Hallo</multi>";
	mie_spip_render(&en, s, strlen(s), &o);
	CHECK_STR(o.plain.data, "Hello défaut");
	CHECK_JSON(o.langs, "[\"fr\",\"en\",\"de\"]");
	mie_spip_out_release(&o);
}

TEST(spip_models)
{
	CHECK_RENDER("<doc3|left>",
	             "<span class=\"spip_document_3 spip_documents spip_documents_left\" "
	             "data-mie-id=\"infomie.net:document:3\" data-mie-model=\"doc\"></span>");
	CHECK_RENDER("<IMG12>",
	             "<span class=\"spip_document_12 spip_documents\" "
	             "data-mie-id=\"infomie.net:document:12\" data-mie-model=\"img\"></span>");
	mie_spip_out o;
	mie_spip_out_init(&o);
	const char *s = "<emb4|autostart=true|center> <doc3> <doc3|right> <docx>";
	mie_spip_render(&fr, s, strlen(s), &o);
	CHECK_JSON(o.documents, "[\"infomie.net:document:4\",\"infomie.net:document:3\"]");
	CHECK(strstr(o.html.data, "spip_documents_center"));
	CHECK_STR(o.plain.data, "");
	mie_spip_out_release(&o);
}

TEST(spip_one_line)
{
	mie_spip_ctx title = fr;
	title.one_line = 1;
	CHECK_OUT(&title, "L'accueil : {{MIE}}\n[[pas de note]]\n\n{{{x}}}", 0,
	          "L" APOS "accueil" NB ": <strong class=\"spip\">MIE</strong> [[pas de note]]  "
	          "<strong class=\"spip\"><i class=\"spip\">x</i></strong>");
}

TEST(spip_output_is_safe)
{
	static const char *const hostile[] = {
	        "<script>alert(1)</script>x",
	        "<img src=x onerror=alert(1)>",
	        "<a href=\"&#106;avascript:alert(1)\">a</a>",
	        "[clic->javascript:alert(1)]",
	        "[clic->java\tscript:alert(1)]",
	        "[clic->&#106;avascript:alert(1)]",
	        "[<img src=x onerror=alert(1)>->art1]",
	        "<html><iframe src=\"http://evil\"></iframe><b onclick=\"x()\">b</b></html>",
	        "<code></code><script>alert(1)</script>",
	        "[[<script>x</script>]] <doc1|\"onload=x>",
	        "{{{{x}",
	        "[[ [[ ]]",
	        "|<script>|x|\n|a|b|",
	        "-* <svg onload=alert(1)>",
	        "\x02"
	        "0\x03<script>x</script>",
	};
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		mie_spip_out o;
		mie_spip_out_init(&o);
		mie_spip_render(&fr, hostile[i], strlen(hostile[i]), &o);
		const char *outs[] = {o.html.data, o.notes_html.data};
		for (int k = 0; k < 2; k++) {
			const char *h = outs[k];
			int bad = strstr(h, "<script") || strstr(h, "onerror") ||
			          strstr(h, "onclick") || strstr(h, "onload") ||
			          strstr(h, "javascript:") || strstr(h, "<iframe") ||
			          strstr(h, "<svg");
			if (bad)
				mie_test_fail(__FILE__, __LINE__, "unsafe: %s", h);
			if (bad) {
				mie_spip_out_release(&o);
				return;
			}
		}
		mie_spip_out_release(&o);
	}
	CHECK_RENDER("[clic->javascript:alert(1)]", "clic");
}

TEST(spip_hostile_sizes_finish)
{
	static const char *const patterns[] = {"[",    "{",      "{{{",     "[[",      "]]",
	                                       "[a->", "<code>", "<multi>", "<quote>", "-*",
	                                       "|",    "\n",     "<doc1|",  "<div>",   "'"};
	size_t n = 1 << 20;
	char *s = malloc(n + 1);
	for (size_t k = 0; k < sizeof patterns / sizeof *patterns; k++) {
		size_t m = strlen(patterns[k]);
		for (size_t i = 0; i < n; i++)
			s[i] = patterns[k][i % m];
		s[n] = '\0';
		mie_spip_out o;
		mie_spip_out_init(&o);
		mie_spip_render(&fr, s, n, &o);
		if (k == 0)
			CHECK_INT(o.html.len, n);
		if (strcmp(patterns[k], "<div>") == 0) /* reported, not silent */
			CHECK_INT(o.flattened, n / 5 - MIE_HTML_MAX_DEPTH);
		mie_spip_out_release(&o);
	}
	free(s);
}
