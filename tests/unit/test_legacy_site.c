/* The one rule of a record's legacy addresses (formats/mie_legacy.h) and
 * the places of records in the static-site layouts (export/mie_export_site.h). */
#include <string.h>

#include "export/mie_export_site.h"
#include "formats/mie_legacy.h"
#include "mie_test.h"

static void collect(void *arg, const char *s)
{
	mie_buf *b = arg;
	mie_buf_adds(b, s);
	mie_buf_addc(b, '\n');
}

static void forms_are(const char *json, const char *paths, const char *hosts)
{
	json_t *rec = json_loads(json, 0, NULL);
	mie_buf b = MIE_BUF_INIT;
	mie_legacy_paths(rec, collect, &b);
	CHECK_STR(b.data, paths);
	mie_buf_reset(&b);
	mie_legacy_hosts(rec, collect, &b);
	CHECK_STR(b.data, hosts);
	mie_buf_release(&b);
	json_decref(rec);
}

TEST(legacy_forms)
{
	forms_are("{\"type\":\"article\",\"id\":\"infomie.net:article:78\","
	          "\"legacy\":{\"site\":\"infomie.net\",\"table\":\"spip_articles\",\"id\":\"78\","
	          "\"url\":\"http://www.infomie.net/spip.php?article78#forum\"},"
	          "\"variants\":{\"legacy\":[{\"table\":\"spip_articles\",\"id\":\"81\"}]}}",
	          "spip.php?article78\narticle78.html\nspip.php?page=article&id_article=78\n"
	          "article.php3?id_article=78\nspip.php?article81\narticle81.html\n"
	          "spip.php?page=article&id_article=81\narticle.php3?id_article=81\n",
	          "infomie.net\nwww.infomie.net\n");
	forms_are("{\"type\":\"section\",\"id\":\"www.Site.org:section:3\"}",
	          "spip.php?rubrique3\nrubrique3.html\nspip.php?page=rubrique&id_rubrique=3\n"
	          "rubrique.php3?id_rubrique=3\n",
	          "site.org\nwww.site.org\n");
	forms_are("{\"type\":\"document\",\"id\":\"s.org:document:5\",\"file\":\"IMG/pdf/x.pdf\"}",
	          "IMG/pdf/x.pdf\n", "s.org\nwww.s.org\n");
	forms_are("{\"type\":\"document\",\"id\":\"s.org:document:5\",\"file\":\"../x.pdf\"}", "",
	          "s.org\nwww.s.org\n");
	forms_are("{\"type\":\"organisation\",\"id\":\"s.org:organisation:mdj\"}", "",
	          "s.org\nwww.s.org\n");
	forms_are("{\"type\":\"brief\",\"id\":\"local:brief:x4\"}", "", "");
	CHECK_STR(mie_legacy_word("keyword"), "mot");
	CHECK(mie_legacy_word("comment") == NULL);
}

static const char *const recs[] = {
        "{\"type\":\"article\",\"id\":\"s:article:7\",\"title\":\"L’été à Noël !\","
        "\"date_published\":\"2007-03-04T10:00:00\",\"section_path\":[\"Droits\",\"Accès\"],"
        "\"documents\":[\"s:document:2\"]}",
        "{\"type\":\"article\",\"id\":\"s:article:8\",\"title\":\"\"}",
        "{\"type\":\"section\",\"id\":\"s:section:3\",\"title\":\"Accès\","
        "\"section_path\":[\"Droits\",\"Accès\"]}",
        "{\"type\":\"section\",\"id\":\"s:section:4\",\"title\":\"Accès\","
        "\"section_path\":[\"Droits\",\"Accès\"]}",
        "{\"type\":\"document\",\"id\":\"s:document:2\",\"file\":\"IMG/pdf/a.pdf\"}",
        "{\"type\":\"document\",\"id\":\"s:document:9\",\"file\":\"IMG/jpg/b.jpg\"}",
        "{\"type\":\"brief\",\"id\":\"s:brief:4\",\"title\":\"Brève\"}",
        "{\"type\":\"comment\",\"id\":\"s:comment:1\"}",
        NULL};

static mie_export_site *placed(int layout)
{
	mie_export_site *s = mie_export_site_new(layout);
	for (int i = 0; recs[i]; i++) {
		json_t *r = json_loads(recs[i], 0, NULL);
		mie_export_site_add(s, r);
		json_decref(r);
	}
	mie_export_site_done(s);
	return s;
}

TEST(site_places)
{
	mie_export_site *s = placed(MIE_SITE_HUGO);
	CHECK_STR(mie_export_site_url(s, "s:article:7"), "droits/acces/7-l-ete-a-noel/");
	CHECK_STR(mie_export_site_file(s, "s:article:7"),
	          "content/droits/acces/7-l-ete-a-noel/index.md");
	CHECK_STR(mie_export_site_url(s, "s:article:8"), "articles/8/");
	CHECK_STR(mie_export_site_url(s, "s:section:3"), "droits/acces/");
	CHECK_STR(mie_export_site_file(s, "s:section:3"), "content/droits/acces/_index.md");
	CHECK_STR(mie_export_site_url(s, "s:section:4"), "droits/acces-2/");
	CHECK_STR(mie_export_site_file(s, "s:section:4"), "content/droits/acces-2/_index.md");
	CHECK_STR(mie_export_site_url(s, "s:document:2"), "droits/acces/7-l-ete-a-noel/a.pdf");
	CHECK_STR(mie_export_site_url(s, "s:document:9"), "files/IMG/jpg/b.jpg");
	CHECK_STR(mie_export_site_file(s, "s:document:9"), "static/files/IMG/jpg/b.jpg");
	CHECK_STR(mie_export_site_url(s, "s:brief:4"), "articles/breve-4-breve/");
	CHECK(mie_export_site_url(s, "s:comment:1") == NULL);
	mie_export_site_free(&s);
	CHECK(s == NULL);
	s = placed(MIE_SITE_JEKYLL);
	CHECK_STR(mie_export_site_url(s, "s:article:7"), "2007/03/7-l-ete-a-noel/");
	CHECK_STR(mie_export_site_file(s, "s:article:7"), "_posts/2007-03-04-7-l-ete-a-noel.md");
	/* no date: a page, not a post */
	CHECK_STR(mie_export_site_file(s, "s:article:8"), "sans-date/8.md");
	CHECK_STR(mie_export_site_url(s, "s:article:8"), "sans-date/8/");
	CHECK_STR(mie_export_site_file(s, "s:section:3"), "droits/acces/index.md");
	CHECK_STR(mie_export_site_url(s, "s:document:2"), "files/IMG/pdf/a.pdf");
	mie_export_site_free(&s);
	s = placed(MIE_SITE_HTML);
	CHECK_STR(mie_export_site_url(s, "s:article:7"), "article/7.html");
	CHECK_STR(mie_export_site_url(s, "s:document:2"), "files/IMG/pdf/a.pdf");
	mie_export_site_free(&s);
}
