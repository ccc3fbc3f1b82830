/* test_spipdump.c — the SPIP dump source driven through the importer
 * framework on dumps held in memory: lexer edge cases that are awkward to
 * write as files, exact records out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/mie_import.h"
#include "import/mie_spipdump.h"
#include "mie_test.h"

/* An import context writing JSON Lines into *out (see open_memstream);
 * returns the stream, which the caller closes after mie_writer_finish. */
static FILE *ctx_to_memory(mie_import *ctx, char **out, size_t *outlen)
{
	FILE *fp = open_memstream(out, outlen);
	mie_import_init(ctx);
	ctx->out = mie_writer_new(fp, MIE_FORM_JSONL);
	return fp;
}

/* Imports `dump` (n bytes) as one input named "d.xml" and returns the
 * JSONL written (malloc'd; caller frees).  *records / *rejected get the
 * framework's counts. */
static char *import_mem(const char *dump, size_t n, long *records, long *rejected)
{
	char *out = NULL;
	size_t outlen = 0;
	mie_import ctx;
	FILE *fp = ctx_to_memory(&ctx, &out, &outlen);
	mie_input *in = mie_input_open_memory(dump, n, "d.xml");
	mie_loc where = {"d.xml", NULL, 0};
	mie_set_quiet(1);
	mie_import_stream(&ctx, in, &where);
	mie_import_finish(&ctx);
	mie_set_quiet(0);
	mie_input_free(in);
	mie_writer_finish(ctx.out);
	*records = ctx.records;
	*rejected = ctx.rejected;
	mie_import_release(&ctx);
	fclose(fp);
	return out;
}

#define HEAD                                                                                       \
	"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<SPIP version=\"1.9.1\" "                \
	"version_base=\"1.917\" version_archive=\"1.3\">\n\n"

/* Imports the dump and checks the record and reject counts and that every
 * string of `want` (NULL-terminated) is in the JSONL written.  Returns 1
 * when all hold, else 0 after reporting the first difference. */
static int expect(const char *dump, size_t n, long records, long rejected, const char *const *want)
{
	long rec, rej;
	char *out = import_mem(dump, n, &rec, &rej);
	int ok = 1;
	if (rec != records || rej != rejected) {
		mie_test_fail(__FILE__, __LINE__, "%ld records, %ld rejected; want %ld, %ld", rec,
		              rej, records, rejected);
		ok = 0;
	}
	for (size_t i = 0; ok && want[i]; i++)
		if (!strstr(out, want[i])) {
			mie_test_fail(__FILE__, __LINE__, "%s not in %s", want[i], out);
			ok = 0;
		}
	free(out);
	return ok;
}

/* "]]>" and a NUL byte (removed, with a control-char repair) in a value,
 * and an escaped closing tag, still give one record; a raw tag in a value
 * ("</titre b>": SPIP escapes every '<') is a damaged tag, its row
 * rejected whole. */
TEST(spipdump_hostile_values)
{
	static const char dump[] = HEAD "<spip_breves>\n<id_breve>4</id_breve>\n"
	                                "<titre>a ]]> c\0d</titre>\n"
	                                "<texte>x &lt;/texte> y</texte>\n"
	                                "</spip_breves>\n\n"
	                                "<spip_breves>\n<id_breve>5</id_breve>\n"
	                                "<titre>a </titre b> c</titre>\n"
	                                "</spip_breves>\n\n</SPIP>\n";
	static const char *const want[] = {"\"id\":\"infomie.net:brief:4\"",
	                                   "\"title\":\"a ]]> cd\"", "\"spip\":\"x </texte> y\"",
	                                   NULL};
	CHECK(expect(dump, sizeof dump - 1, 1, 1, want));
}

/* A row whose column is never closed ends at the row's closing tag; a row
 * without its key is rejected, not fatal. */
TEST(spipdump_unclosed_column_and_missing_key)
{
	static const char dump[] = HEAD "<spip_articles>\n<id_article>7</id_article>\n"
	                                "<titre>Sans fin\n</spip_articles>\n\n"
	                                "<spip_articles>\n<titre>Sans id</titre>\n"
	                                "</spip_articles>\n\n</SPIP>\n";
	static const char *const want[] = {"\"title\":\"Sans fin \"", NULL};
	CHECK(expect(dump, sizeof dump - 1, 1, 1, want));
}

/* Link rows after the content they link, repeated pairs kept once. */
TEST(spipdump_links_after_content)
{
	static const char dump[] =
	        HEAD "<spip_articles>\n<id_article>3</id_article>\n<titre>T</titre>\n"
	             "</spip_articles>\n\n"
	             "<spip_documents_articles>\n<id_document>9</id_document>\n"
	             "<id_article>3</id_article>\n</spip_documents_articles>\n\n"
	             "<spip_documents_articles>\n<id_document>9</id_document>\n"
	             "<id_article>3</id_article>\n</spip_documents_articles>\n\n"
	             "<spip_auteurs_articles>\n<id_auteur>2</id_auteur>\n"
	             "<id_article>3</id_article>\n</spip_auteurs_articles>\n\n</SPIP>\n";
	static const char *const want[] = {"\"authors\":[\"infomie.net:author:2\"]",
	                                   "\"documents\":[\"infomie.net:document:9\"]", NULL};
	CHECK(expect(dump, sizeof dump - 1, 1, 0, want));
}

/* A hostile, very sparse id does not allocate by id; repeats still found. */
TEST(spipdump_sparse_ids)
{
	static const char dump[] = HEAD
	        "<spip_mots>\n<id_mot>900000000000</id_mot>\n<titre>a</titre>\n</spip_mots>\n\n"
	        "<spip_mots>\n<id_mot>5</id_mot>\n<titre>b</titre>\n</spip_mots>\n\n"
	        "<spip_mots>\n<id_mot>900000000000</id_mot>\n<titre>a</titre>\n</spip_mots>\n\n"
	        "<spip_mots>\n<id_mot>5</id_mot>\n<titre>b</titre>\n</spip_mots>\n\n</SPIP>\n";
	static const char *const want[] = {"infomie.net:keyword:900000000000", NULL};
	CHECK(expect(dump, sizeof dump - 1, 2, 0, want));
}

/* Forks joined in order replay their records, counts and captured
 * messages as one context would have written them, whatever order the
 * forks were filled in. */
TEST(import_forks_join_in_order)
{
	char *out = NULL;
	size_t outlen = 0;
	mie_import ctx;
	FILE *fp = ctx_to_memory(&ctx, &out, &outlen);
	mie_import *a = mie_import_fork(&ctx), *b = mie_import_fork(&ctx);
	/* b first, as a faster thread would */
	mie_err_capture(&b->messages);
	mie_import_emit(b, "t", "spip_breves",
	                json_pack("{s:s, s:s, s:s}", "type", "brief", "id", "x.org:brief:2",
	                          "title", "deux"));
	mie_err_capture(NULL);
	mie_err_capture(&a->messages);
	mie_import_emit(a, "t", "spip_articles",
	                json_pack("{s:s, s:s, s:s}", "type", "article", "id", "x.org:article:1",
	                          "title", "un"));
	mie_import_emit(a, "t", "spip_articles",
	                json_pack("{s:s, s:s}", "type", "article", "id", "pas un id"));
	mie_import_skip(a, "t", "spip_versions", 3);
	mie_err_capture(NULL);
	CHECK(strstr(a->messages.data, "spip_articles pas un id: ") != NULL);
	CHECK_INT(b->messages.len, 0);
	FILE *saved = stderr;
	char *err = NULL;
	size_t errlen = 0;
	stderr = open_memstream(&err, &errlen);
	CHECK_INT(mie_import_join(&ctx, a), 0);
	CHECK_INT(mie_import_join(&ctx, b), 0);
	fclose(stderr);
	stderr = saved;
	mie_writer_finish(ctx.out);
	fclose(fp);
	CHECK(strstr(err, "spip_articles pas un id: ") != NULL);
	CHECK_INT(ctx.records, 2);
	CHECK_INT(ctx.rejected, 1);
	char *one = strstr(out, "x.org:article:1"), *two = strstr(out, "x.org:brief:2");
	CHECK(one && two && one < two);
	mie_import_release(&ctx);
	free(out);
	free(err);
}

extern const mie_source mie_source_spipdump;

/* A column handed in through the row interface. */
struct hand_col {
	const char *name, *value;
};

/* The row interface of mie_spipdump.h is the XML dump's own path: the rows
 * of a dump handed in one by one (values unescaped, at the lines where the
 * XML has them) give the same JSON Lines, byte for byte, and the same
 * counts: credentials dropped, links and sections held, a repeated slice
 * kept once, a differing copy kept as a variant. */
TEST(spipdump_row_interface_is_the_xml_path)
{
	static const char xml[] =
	        HEAD "<spip_rubriques><id_rubrique>2</id_rubrique><titre>02. Vie "
	             "associative</titre><id_parent>0</id_parent></spip_rubriques>\n"
	             "<spip_articles><id_article>5</id_article><titre>F\xeate &amp; "
	             "march\xe9</titre><id_rubrique>2</id_rubrique><texte>Le {{samedi}} "
	             "&lt;b&gt;</texte><pass>x1</pass></spip_articles>\n"
	             "<spip_mots_articles><id_mot>4</id_mot><id_article>5</id_article>"
	             "</spip_mots_articles>\n"
	             "<spip_articles><id_article>5</id_article><titre>F\xeate</titre>"
	             "</spip_articles>\n"
	             "<spip_articles><id_article>5</id_article><titre>F\xeate</titre>"
	             "</spip_articles>\n"
	             "<spip_auteurs><id_auteur>1</id_auteur><nom>Ren\xe9</nom><email>rene@"
	             "exemple.fr</email></spip_auteurs>\n"
	             "<spip_meta><nom>adresse_site</nom><valeur>http://www.cafe-"
	             "asso.fr</valeur></spip_meta>\n</SPIP>\n";
	static const struct {
		const char *table;
		struct hand_col cols[6];
	} rows[] = {
	        {"spip_rubriques",
	         {{"id_rubrique", "2"}, {"titre", "02. Vie associative"}, {"id_parent", "0"}}},
	        {"spip_articles",
	         {{"id_article", "5"},
	          {"titre", "F\xeate & march\xe9"},
	          {"id_rubrique", "2"},
	          {"texte", "Le {{samedi}} <b&gt;"},
	          {"pass", "x1"}}},
	        {"spip_mots_articles", {{"id_mot", "4"}, {"id_article", "5"}}},
	        {"spip_articles", {{"id_article", "5"}, {"titre", "F\xeate"}}},
	        {"spip_articles", {{"id_article", "5"}, {"titre", "F\xeate"}}},
	        {"spip_auteurs",
	         {{"id_auteur", "1"}, {"nom", "Ren\xe9"}, {"email", "rene@exemple.fr"}}},
	        {"spip_meta", {{"nom", "adresse_site"}, {"valeur", "http://www.cafe-asso.fr"}}},
	};
	long rec, rej;
	char *want = import_mem(xml, sizeof xml - 1, &rec, &rej);
	char *out = NULL;
	size_t outlen = 0;
	mie_import ctx;
	FILE *fp = ctx_to_memory(&ctx, &out, &outlen);
	mie_spipdump *d = mie_spipdump_of(&ctx, &mie_source_spipdump);
	mie_spipdump_declare_charset(d, "iso-8859-1");
	mie_set_quiet(1);
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		mie_spipdump_row_begin(d, rows[i].table);
		for (const struct hand_col *c = rows[i].cols; c->name; c++)
			mie_spipdump_row_column(d, c->name, strlen(c->name), c->value,
			                        strlen(c->value));
		mie_loc at = {"d.xml", NULL, 4 + (long)i};
		CHECK_INT(mie_spipdump_row_end(&ctx, d, &at, NULL, 0), 0);
	}
	CHECK_INT(mie_import_finish(&ctx), 0);
	mie_set_quiet(0);
	mie_writer_finish(ctx.out);
	fclose(fp);
	CHECK_INT(ctx.records, rec);
	CHECK_INT(ctx.rejected, rej);
	CHECK_INT(rec, 4); /* spip_meta adresse_site: carried in the ids */
	CHECK_STR(out, want);
	CHECK(strstr(out, "cafe-asso.fr:article:5~") != NULL);
	CHECK(strstr(out, "x1") == NULL);
	mie_import_release(&ctx);
	free(out);
	free(want);
}
