/* The html layout's one path rule (export/mie_export_paths.h): every
 * record kind, a local part that needs escaping, documents with and
 * without a usable file, ids that are not ids. */
#include "export/mie_export_paths.h"
#include "mie_test.h"

static void path_is(const char *id, const char *file, int rc, const char *want)
{
	mie_buf b = MIE_BUF_INIT;
	CHECK_INT(mie_export_html_path(&b, id, file), rc);
	CHECK_STR(b.data, want);
	mie_buf_release(&b);
}

TEST(export_html_path_per_kind)
{
	path_is("infomie.net:article:78", NULL, 0, "article/78.html");
	path_is("infomie.net:brief:4", NULL, 0, "brief/4.html");
	path_is("infomie.net:section:3", NULL, 0, "section/3.html");
	path_is("infomie.net:keyword:1", NULL, 0, "keyword/1.html");
	path_is("infomie.net:organisation:secours-populaire", NULL, 0,
	        "organisation/secours-populaire.html");
	path_is("infomie.net:document:3", "IMG/pdf/guide.pdf", 0, "files/IMG/pdf/guide.pdf");
	path_is("infomie.net:document:3", NULL, 0, "document/3.html");
	path_is("infomie.net:document:3", "../etc/passwd", 0, "document/3.html");
	path_is("infomie.net:document:3", "/etc/passwd", 0, "document/3.html");
	path_is("infomie.net:article:a/b c~é", NULL, 0, "article/a~2Fb~20c~7E~C3~A9.html");
	path_is("infomie.net:article:", NULL, -1, "");
	path_is("article:78", NULL, -1, "");
	path_is("x:arti/cle:78", NULL, -1, "");
	path_is(NULL, NULL, -1, "");
}

TEST(export_href_escapes_what_a_url_cannot_hold)
{
	mie_buf b = MIE_BUF_INIT;
	mie_export_href(&b, "files/IMG/pdf/un guide&co é.pdf");
	CHECK_STR(b.data, "files/IMG/pdf/un%20guide%26co%20%C3%A9.pdf");
	mie_buf_release(&b);
}
