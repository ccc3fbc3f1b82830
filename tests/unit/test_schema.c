/* Unit tests of record/mie_schema: the per-record checks of schema v1 and
 * the reference iterator.  Each test states the exact problems reported,
 * as "path: problem" lines in order. */
#include <stdlib.h>

#include "core/mie_buf.h"
#include "record/mie_schema.h"
#include "mie_test.h"

static void collect(void *ctx, const char *field, const char *problem)
{
	mie_buf_addf(ctx, "%s: %s\n", field, problem);
}

/* Problems of the record given as JSON text (NULL when it does not parse);
 * the returned string is static, valid until the next call.  *n gets the
 * count returned by mie_schema_check, which must equal the lines. */
static const char *problems_of(const char *json, int *n)
{
	static mie_buf out = MIE_BUF_INIT;
	json_error_t err;
	json_t *rec = json_loads(json, JSON_ALLOW_NUL, &err);
	if (!rec)
		return NULL;
	mie_buf_reset(&out);
	*n = mie_schema_check(rec, collect, &out);
	json_decref(rec);
	int lines = 0;
	for (size_t i = 0; i < out.len; i++)
		lines += out.data[i] == '\n';
	if (lines != *n)
		return "(count differs from the lines reported)";
	return out.data;
}

#define CHECK_PROBLEMS(json, want_n, want)                                                         \
	do {                                                                                       \
		int n_ = -1;                                                                       \
		CHECK_STR(problems_of(json, &n_), want);                                           \
		CHECK_INT(n_, want_n);                                                             \
	} while (0)

TEST(schema_valid_records_have_no_problem)
{
	CHECK_PROBLEMS(
	        "{\"type\":\"article\",\"id\":\"infomie.net:article:78\","
	        "\"title\":\"Accès à l’éducation\",\"lang\":\"pt-BR\",\"rank\":3,"
	        "\"date_published\":\"2008-02-29T23:59:59+14:00\","
	        "\"date_modified\":\"2006-12-05\",\"section_path\":[\"Accueil\",\"Droits\"],"
	        "\"authors\":[\"infomie.net:author:2\"],\"links\":[],"
	        "\"text\":{\"spip\":\"{{gras}}\\ttab\\r\\n\",\"html\":\"<b>gras</b>\","
	        "\"plain\":\"gras\"},\"duplicate_score\":0.5,\"duplicate_method\":\"near\","
	        "\"schema_version\":\"1\",\"legacy\":{\"site\":\"infomie.net\",\"table\":"
	        "\"spip_articles\",\"id\":\"78\",\"url\":\"http://www.infomie.net/\"},"
	        "\"provenance\":[{\"format\":\"spip-dump\",\"line\":40,\"date\":\"2007-03-21\","
	        "\"repairs\":[{\"kind\":\"nfc\",\"path\":\"title\",\"count\":1}]}],"
	        "\"variants\":{\"rank\":[3,null,true,{\"a\":[]}]},"
	        "\"extra\":{\"Téléphone portable\":\"06\",\"\":\"\"}}",
	        0, "");
	CHECK_PROBLEMS("{\"type\":\"site\",\"id\":\"a:site:b\"}", 0, "");
}

TEST(schema_brief_catalogue)
{
	CHECK_PROBLEMS("{\"type\":\"article\",\"title\":\"Sans identifiant\"}", 1, "id: missing\n");
	CHECK_PROBLEMS("{\"type\":\"articel\",\"id\":\"infomie.net:article:2\"}", 1,
	               "type: unknown record type \"articel\"\n");
	CHECK_PROBLEMS(
	        "{\"type\":\"article\",\"id\":\"a:article:3\",\"date_published\":\"2006-02-31\","
	        "\"date_modified\":\"0000-00-00\"}",
	        2,
	        "date_published: not a date: \"2006-02-31\"\n"
	        "date_modified: not a date: \"0000-00-00\"\n");
	CHECK_PROBLEMS("{\"type\":\"article\",\"id\":\"a:article:5\",\"visites\":\"12\"}", 1,
	               "visites: unknown field\n");
	CHECK_PROBLEMS("{\"type\":\"article\",\"id\":\"a:article:6\",\"rank\":\"3\"}", 1,
	               "rank: must be a whole number >= 0\n");
	CHECK_PROBLEMS("{\"type\":\"article\",\"id\":\"a:article:6\",\"extra\":{\"visites\":12}}",
	               1, "extra.visites: must be a string, not a number\n");
}

TEST(schema_dates_are_real_days)
{
	static const char *const good[] = {"2000-02-29",
	                                   "0001-01-01",
	                                   "9999-12-31",
	                                   "2006-12-05T00:00:00",
	                                   "2006-12-05T14:03:00Z",
	                                   "2006-12-05T14:03:00-09:30",
	                                   NULL};
	static const char *const bad[] = {"1900-02-29",
	                                  "2007-02-29",
	                                  "2006-04-31",
	                                  "2006-12-05T24:00:00",
	                                  "2006-12-05+01:00",
	                                  "2006-12-05T14:03:00+14:30",
	                                  "2006-12-05 14:03:00",
	                                  "2006-12-05T14:03",
	                                  "",
	                                  NULL};
	mie_buf j = MIE_BUF_INIT, want = MIE_BUF_INIT;
	for (int i = 0; good[i]; i++) {
		mie_buf_reset(&j);
		mie_buf_addf(&j,
		             "{\"type\":\"brief\",\"id\":\"a:brief:1\",\"date_modified\":\"%s\"}",
		             good[i]);
		CHECK_PROBLEMS(j.data, 0, "");
	}
	for (int i = 0; bad[i]; i++) {
		mie_buf_reset(&j), mie_buf_reset(&want);
		mie_buf_addf(&j,
		             "{\"type\":\"brief\",\"id\":\"a:brief:1\",\"date_modified\":\"%s\"}",
		             bad[i]);
		mie_buf_addf(&want, "date_modified: not a date: \"%s\"\n", bad[i]);
		CHECK_PROBLEMS(j.data, 1, want.data);
	}
	mie_buf_release(&j), mie_buf_release(&want);
}

TEST(schema_paths_reach_nested_members)
{
	CHECK_PROBLEMS(
	        "{\"type\":\"article\",\"id\":\"a:article:1\",\"provenance\":[{\"format\":\"html\"}"
	        ","
	        "{\"line\":-1,\"repairs\":[{\"kind\":\"nfc\"},{\"kind\":7,\"field\":\"x\"},{}]}]}",
	        5,
	        "provenance[1].line: must be a whole number >= 0\n"
	        "provenance[1].repairs[1].kind: must be a string, not a number\n"
	        "provenance[1].repairs[1].field: unknown field\n"
	        "provenance[1].repairs[2].kind: missing\n"
	        "provenance[1].format: missing\n");
	CHECK_PROBLEMS(
	        "{\"type\":\"article\",\"id\":\"a:article:1\",\"text\":{\"html\":1,\"pdf\":\"x\"},"
	        "\"legacy\":{\"visites\":\"3\"},\"provenance\":[]}",
	        4,
	        "text.html: must be a string, not a number\ntext.pdf: unknown field\n"
	        "legacy.visites: unknown field\nprovenance: must be a non-empty array\n");
}

TEST(schema_every_string_is_xml_text)
{
	/* in a field, in extra (value and name), deep in variants */
	CHECK_PROBLEMS("{\"type\":\"article\",\"id\":\"a:article:1\",\"title\":\"a\\u000bb\","
	               "\"text\":{\"plain\":\"caf\\u0000\"},"
	               "\"extra\":{\"x\":\"\\uffff\",\"vis\\u000cites\":\"1\"},"
	               "\"variants\":{\"title\":[\"ok\",{\"k\":[\"\\u0001\"]}]}}",
	               5,
	               "title: character U+000B not allowed at byte 1\n"
	               "text.plain: character U+0000 not allowed at byte 3\n"
	               "extra.x: character U+FFFF not allowed at byte 0\n"
	               "extra.vis\x0c"
	               "ites: name: character U+000C not allowed at byte 3\n"
	               "variants.title[1].k[0]: character U+0001 not allowed at byte 0\n");
	/* jansson refuses invalid UTF-8 when parsing: build the string raw */
	json_t *rec = json_pack("{s:s, s:s}", "type", "brief", "id", "a:brief:1");
	json_object_set_new(rec, "title", json_stringn_nocheck("caf\xE9", 4));
	mie_buf out = MIE_BUF_INIT;
	CHECK_INT(mie_schema_check(rec, collect, &out), 1);
	CHECK_STR(out.data, "title: invalid UTF-8 at byte 3\n");
	mie_buf_release(&out);
	json_decref(rec);
}

TEST(schema_kinds_ids_and_lists)
{
	CHECK_PROBLEMS("{\"type\":\"article\",\"id\":\"article 78\",\"section\":\"a:Section:1\","
	               "\"authors\":[\"a:author:1\",\"a:author:1\",3],\"keywords\":\"a:keyword:1\","
	               "\"section_path\":[\"ok\",null],\"lang\":\"FR\",\"rank\":1.5,"
	               "\"duplicate_score\":1.5,\"duplicate_method\":\"fuzzy\","
	               "\"schema_version\":1,\"variants\":{\"title\":\"x\"},\"extra\":[]}",
	               13,
	               "id: not an id (SITE:TYPE:LOCAL): \"article 78\"\n"
	               "section: not an id (SITE:TYPE:LOCAL): \"a:Section:1\"\n"
	               "authors[1]: duplicate \"a:author:1\"\n"
	               "authors[2]: must be a string, not a number\n"
	               "keywords: must be an array, not a string\n"
	               "section_path[1]: must be a string, not null\n"
	               "lang: not a language tag: \"FR\"\n"
	               "rank: must be a whole number >= 0\n"
	               "duplicate_score: must be a number from 0 to 1\n"
	               "duplicate_method: must be one of identity, exact, near, name\n"
	               "schema_version: must be \"1\"\n"
	               "variants.title: must be an array, not a string\n"
	               "extra: must be an object, not an array\n");
}

TEST(schema_fields_belong_to_types)
{
	CHECK_PROBLEMS(
	        "{\"type\":\"keyword\",\"id\":\"a:keyword:1\",\"group\":\"a:keyword_group:1\","
	        "\"section\":\"a:section:1\",\"text\":{}}",
	        2,
	        "section: not a field of keyword records\n"
	        "text: not a field of keyword records\n");
	/* an unknown type: fields are checked without the type rule */
	CHECK_PROBLEMS("{\"type\":\"forum\",\"id\":\"a:forum:1\",\"parent\":\"x\"}", 2,
	               "type: unknown record type \"forum\"\n"
	               "parent: not an id (SITE:TYPE:LOCAL): \"x\"\n");
}

TEST(schema_type_and_id_lead)
{
	CHECK_PROBLEMS("{\"id\":\"a:brief:1\",\"type\":\"brief\"}", 1,
	               "type: must be the first member\n");
	CHECK_PROBLEMS("{\"type\":\"brief\",\"title\":\"t\",\"id\":\"a:brief:1\"}", 1,
	               "id: must be the second member\n");
	CHECK_PROBLEMS("{\"title\":\"t\",\"id\":\"a:brief:1\"}", 2,
	               "id: must be the first member\ntype: missing\n");
	CHECK_PROBLEMS("{}", 2, "type: missing\nid: missing\n");
	CHECK_PROBLEMS("[1]", 1, ": must be an object, not an array\n");
	/* one of the two alone, in its place or not */
	CHECK_PROBLEMS("{\"type\":\"brief\"}", 1, "id: missing\n");
	CHECK_PROBLEMS("{\"type\":\"brief\",\"title\":\"t\"}", 1, "id: missing\n");
	CHECK_PROBLEMS("{\"id\":\"a:brief:1\"}", 1, "type: missing\n");
	CHECK_PROBLEMS("{\"title\":\"t\",\"type\":\"brief\"}", 2,
	               "type: must be the first member\nid: missing\n");
	CHECK_PROBLEMS("{\"title\":\"t\",\"type\":\"brief\",\"id\":\"a:brief:1\"}", 1,
	               "type: must be the first member\n");
	/* the type's rule applies when "type" is not in its place */
	CHECK_PROBLEMS("{\"id\":\"a:keyword:1\",\"type\":\"keyword\",\"lead\":{}}", 2,
	               "type: must be the first member\nlead: not a field of keyword records\n");
}

/* Names match whole: same length or first letter is not enough, and a
 * required member is missing whatever else the object holds. */
TEST(schema_member_names_match_exactly)
{
	CHECK_PROBLEMS("{\"type\":\"brief\",\"id\":\"a:brief:1\",\"titlf\":\"t\",\"titles\":\"t\","
	               "\"\":1,\"tit\":2,\"date_publishe\":\"x\",\"lead\":{\"spix\":\"a\","
	               "\"htm\":\"b\",\"plains\":\"c\",\"html\":\"d\"}}",
	               8,
	               "titlf: unknown field\ntitles: unknown field\n: unknown field\n"
	               "tit: unknown field\ndate_publishe: unknown field\n"
	               "lead.spix: unknown field\nlead.htm: unknown field\n"
	               "lead.plains: unknown field\n");
	CHECK_PROBLEMS("{\"type\":\"brief\",\"id\":\"a:brief:1\",\"lead\":{\"plains\":\"c\"},"
	               "\"provenance\":[{\"file\":\"f\",\"formats\":\"x\",\"repairs\":[{\"path\":"
	               "\"p\",\"kinds\":\"k\"}]},{\"line\":1,\"format\":\"spip-dump\"}]}",
	               5,
	               "lead.plains: unknown field\nprovenance[0].formats: unknown field\n"
	               "provenance[0].repairs[0].kinds: unknown field\n"
	               "provenance[0].repairs[0].kind: missing\nprovenance[0].format: missing\n");
}

TEST(schema_long_values_are_cut_in_messages)
{
	mie_buf j = MIE_BUF_INIT;
	mie_buf_adds(&j, "{\"type\":\"brief\",\"id\":\"a:brief:1\",\"lang\":\"");
	for (int i = 0; i < 100; i++)
		mie_buf_adds(&j, "é"); /* 2 bytes: the cut must not split one */
	mie_buf_adds(&j, "\"}");
	mie_buf want = MIE_BUF_INIT;
	mie_buf_adds(&want, "lang: not a language tag: \"");
	for (int i = 0; i < 40; i++)
		mie_buf_adds(&want, "é");
	mie_buf_adds(&want, "…\"\n");
	CHECK_PROBLEMS(j.data, 1, want.data);
	mie_buf_release(&j), mie_buf_release(&want);
}

static void collect_ref(void *ctx, const char *field, const char *id)
{
	mie_buf_addf(ctx, "%s=%s ", field, id);
}

TEST(schema_each_ref_lists_references_in_record_order)
{
	json_error_t err;
	json_t *rec = json_loads(
	        "{\"type\":\"comment\",\"id\":\"a:comment:2\",\"parent\":\"a:comment:1\","
	        "\"about\":\"a:article:78\",\"keywords\":[\"a:keyword:1\",\"a:keyword:2\"],"
	        "\"links\":[\"a:article:9\"],\"duplicate_of\":\"a:comment:9\","
	        "\"merged_from\":[\"a:comment:8\"]}",
	        0, &err);
	CHECK(rec != NULL);
	mie_buf out = MIE_BUF_INIT;
	mie_schema_each_ref(rec, collect_ref, &out);
	json_decref(rec);
	CHECK_STR(out.data, "parent=a:comment:1 about=a:article:78 keywords=a:keyword:1 "
	                    "keywords=a:keyword:2 ");
	mie_buf_reset(&out);
	rec = json_loads(
	        "{\"type\":\"dossier\",\"id\":\"a:dossier:1\",\"members\":[\"a:article:1\"],"
	        "\"section\":\"a:section:1\",\"authors\":[\"a:author:1\"],"
	        "\"documents\":[\"a:document:1\"]}",
	        0, &err);
	CHECK(rec != NULL);
	mie_schema_each_ref(rec, collect_ref, &out);
	json_decref(rec);
	CHECK_STR(out.data, "members=a:article:1 section=a:section:1 authors=a:author:1 "
	                    "documents=a:document:1 ");
	mie_buf_release(&out);
}
