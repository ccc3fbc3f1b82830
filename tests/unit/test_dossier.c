/* Unit tests of the dossier pieces: BagIt path rules and escaping,
 * sorting through spills, the word diff, mie-diff's two ways of reading,
 * the id map. */
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "core/mie_err.h"

#include "formats/mie_bagit.h"
#include "select/mie_diff.h"
#include "select/mie_idmap.h"
#include "io/mie_sort.h"
#include "mie_test.h"

TEST(bagit_escape_round_trip)
{
	const char *names[] = {"data/a b.pdf", "data/100%.pdf", "data/deux\nlignes",
	                       "data/cr\r.txt", "data/%25 déjà %0A"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		mie_buf e = MIE_BUF_INIT, u = MIE_BUF_INIT;
		mie_bagit_escape(&e, names[i]);
		CHECK(!strchr(e.data, '\n') && !strchr(e.data, '\r'));
		mie_bagit_unescape(&u, e.data, e.len);
		CHECK_STR(u.data, names[i]);
		mie_buf_release(&e);
		mie_buf_release(&u);
	}
	mie_buf e = MIE_BUF_INIT;
	mie_bagit_escape(&e, "x%y\nz");
	CHECK_STR(e.data, "x%25y%0Az");
	mie_buf_release(&e);
	mie_buf u = MIE_BUF_INIT;
	mie_bagit_unescape(&u, "a%0d%2", 6); /* lower case; a cut escape stays */
	CHECK_STR(u.data, "a\r%2");
	mie_buf_release(&u);
}

TEST(bagit_path_problems)
{
	CHECK(mie_bagit_path_problem("IMG/pdf/fiche n°2 (définitive).pdf") == NULL);
	CHECK(mie_bagit_path_problem("a\nb") == NULL);
	CHECK_STR(mie_bagit_path_problem("/etc/passwd"), "absolute");
	CHECK_STR(mie_bagit_path_problem("IMG/../../x"), "\".\" or \"..\" part");
	CHECK_STR(mie_bagit_path_problem("IMG//x"), "empty part");
	CHECK_STR(mie_bagit_path_problem("IMG/x/"), "empty part");
	CHECK_STR(mie_bagit_path_problem("a\tb"), "control character");
	CHECK_STR(mie_bagit_path_problem("caf\xe9"), "not UTF-8");
	CHECK_STR(mie_bagit_path_problem(""), "empty");
}

TEST(bagit_manifest_line)
{
	const char *hex;
	size_t n;
	mie_buf p = MIE_BUF_INIT;
	CHECK_INT(mie_bagit_parse_line("abc123  data/x%25.pdf\r", 22, &hex, &n, &p), 0);
	CHECK_INT(n, 6);
	CHECK_STR(p.data, "data/x%.pdf");
	mie_buf_reset(&p);
	CHECK_INT(mie_bagit_parse_line("abc data/y", 10, &hex, &n, &p), 0);
	CHECK_STR(p.data, "data/y");
	CHECK_INT(mie_bagit_parse_line("zz  data/y", 10, &hex, &n, &p), -1);
	CHECK_INT(mie_bagit_parse_line("abcd", 4, &hex, &n, &p), -1);
	mie_buf_release(&p);
	mie_buf s = MIE_BUF_INIT;
	mie_bagit_size(&s, 999);
	CHECK_STR(s.data, "999 bytes");
	mie_buf_reset(&s);
	mie_bagit_size(&s, 183412);
	CHECK_STR(s.data, "183.4 KB");
	mie_buf_release(&s);
}

TEST(bagit_digest_known)
{
	mie_bagit_digest *d = mie_bagit_digest_new();
	char hex[MIE_BAGIT_NALGS][129];
	mie_bagit_digest_update(d, "abc", 3);
	mie_bagit_digest_final(d, hex);
	CHECK_STR(hex[MIE_BAGIT_SHA256],
	          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK(strncmp(hex[MIE_BAGIT_SHA512], "ddaf35a193617aba", 16) == 0);
	mie_bagit_digest_final(d, hex); /* started over: the empty input */
	CHECK_STR(hex[MIE_BAGIT_SHA256],
	          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	mie_bagit_digest_free(&d);
	CHECK(d == NULL);
}

/* The same order whatever the budget: in memory, or many spilled runs. */
TEST(sort_spilled_same_as_memory)
{
	size_t budgets[] = {0, 64, 1000};
	char first[4][64];
	for (size_t b = 0; b < 3; b++) {
		mie_sort *s = mie_sort_new(budgets[b]);
		for (unsigned i = 0; i < 500; i++) {
			char line[64];
			int n = snprintf(line, sizeof line, "id:%03u\t%u", (i * 7919u) % 251, i);
			CHECK_INT(mie_sort_add(s, line, (size_t)n), 0);
		}
		const char *p, *prev = NULL;
		size_t n, count = 0;
		char last[64] = "";
		while (mie_sort_next(s, &p, &n) == 1) {
			CHECK(strlen(p) == n);
			if (prev)
				CHECK(strcmp(last, p) <= 0);
			snprintf(last, sizeof last, "%s", p);
			prev = last;
			if (count < 4)
				snprintf(first[count], sizeof first[count], "%s", p);
			count++;
		}
		CHECK_INT(count, 500);
		mie_sort_free(&s);
		CHECK(s == NULL);
	}
	CHECK_STR(first[0], "id:000\t0");
}

TEST(diff_words)
{
	mie_buf out = MIE_BUF_INIT;
	mie_diff_words(&out, "le mineur a droit", "le jeune a droit");
	CHECK_STR(out.data, "le [-mineur-] {+jeune+} a droit");
	mie_buf_reset(&out);
	mie_diff_words(&out, "un deux trois quatre cinq six sept huit neuf dix onze",
	               "un deux trois quatre cinq six sept huit neuf dix douze");
	CHECK_STR(out.data, "… huit neuf dix [-onze-] {+douze+}");
	mie_buf_reset(&out);
	mie_diff_words(&out, "a b c", "a x b c y");
	CHECK_STR(out.data, "a {+x+} b c {+y+}");
	mie_buf_reset(&out);
	mie_diff_words(&out, "", "neuf");
	CHECK_STR(out.data, "{+neuf+}");
	mie_buf_release(&out);
}

TEST(idmap_grows)
{
	mie_idmap m;
	mie_idmap_init(&m);
	for (uint64_t k = 1; k <= 10000; k++)
		mie_idmap_put(&m, k * 0x9e3779b97f4a7c15ULL | 1, (uint32_t)k, NULL);
	CHECK_INT(m.n, 10000);
	for (uint64_t k = 1; k <= 10000; k++) {
		uint32_t *v = mie_idmap_get(&m, k * 0x9e3779b97f4a7c15ULL | 1);
		CHECK(v && *v == k);
	}
	int added = 1;
	mie_idmap_put(&m, 1 * 0x9e3779b97f4a7c15ULL | 1, 99, &added);
	CHECK_INT(added, 0);
	CHECK(mie_idmap_get(&m, 12345) == NULL);
	mie_idmap_release(&m);
}

/* One diff of a and b (paths), read in place (full 0) or every record
 * whole by the JSON Lines reader (full 1): the report, then the messages,
 * then the counts, in *got (malloc'd). */
static void diff_run(const char *a, const char *b, int full, const char *const *ignore,
                     size_t nignore, int json, char **got)
{
	mie_diff_opts o = {ignore, nignore, json, 300, full};
	char *out = NULL;
	size_t outlen = 0;
	FILE *fp = open_memstream(&out, &outlen);
	mie_buf msgs = MIE_BUF_INIT;
	mie_err_capture(&msgs);
	mie_diff *d = mie_diff_new(&o, fp);
	char *paths[2] = {(char *)a, (char *)b};
	for (int side = 0; side < 2; side++)
		mie_diff_read(d, side, paths[side]);
	mie_diff_stats st;
	int rc = mie_diff_run(d, &st);
	mie_diff_free(&d);
	mie_err_flush(NULL);
	mie_err_capture(NULL);
	fclose(fp);
	mie_buf all = MIE_BUF_INIT;
	mie_buf_addf(&all, "%s--\n%s--\n%d %ld %ld %ld %ld\n", out, msgs.data, rc, st.added,
	             st.removed, st.changed, st.same);
	free(out);
	mie_buf_release(&msgs);
	*got = mie_buf_detach(&all, NULL);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	fputs(text, fp);
	fclose(fp);
}

/* mie-diff's inputs read in place through the scanner (hashes of the
 * records' text, only differing pairs parsed) give the report and the
 * messages of reading every record whole: valid records in every shape
 * the scanner takes or hands on, invalid lines, blank lines, a BOM, CRLF,
 * ignored members first, in the middle and last, a cut gzip. */
TEST(diff_in_place_as_whole)
{
	write_file(
	        "a.jsonl",
	        "\xEF\xBB\xBF{\"type\":\"article\",\"id\":\"x:1\",\"title\":\"Un\","
	        "\"provenance\":[{\"line\":1}]}\r\n"
	        "{\"type\":\"article\",\"id\":\"x:2\",\"title\":\"Deux\",\"status\":\"publie\"}\n"
	        "{\"type\":\"article\",\"id\":\"x:3\",\"title\":\"Trois\"}\n"
	        "\n   \n"
	        "{\"type\":\"article\",\"id\":\"x:4\",\"title\":\"Quatre\"}\n"
	        "{ \"type\" : \"article\" , \"id\":\"x:6\", \"title\":\"Six\" }\n"
	        "{\"type\":\"article\",\"id\":\"x:7\",\"t\\u0069tle\":\"Sept\"}\n"
	        "{\"type\":\"article\",\"id\":\"x:8\",\"title\":\"Huit\"}\n"
	        "{\"type\":\"article\",\"id\":\"x:8\",\"title\":\"Huit bis\"}\n"
	        "{\"type\":\"article\",\"id\":\"x:9\",\"title\":\"Un\",\"title\":\"Deux\"}\n"
	        "{\"type\":\"article\",\"id\":\"x:10\",\"title\":\"\xE9t\xE9\"}\n"
	        "pas du JSON\n"
	        "[1,2]\n"
	        "{\"type\":\"article\",\"id\":\"x:11\",\"n\":1e400}\n"
	        "{\"type\":\"article\",\"id\":\"x:12\",\"n\":123456789012345678901234}\n"
	        "{\"provenance\":[],\"type\":\"article\",\"id\":\"x:13\",\"title\":\"T\"}\n"
	        "{\"type\":\"article\",\"provenance\":[{\"a\":\"}\"}],\"id\":\"x:14\"}\n"
	        "{\"type\":\"article\",\"id\":\"x\\t15\",\"text\":{\"plain\":\"il a dit "
	        "\\\"oui\\\" \\\\\"}}\n"
	        "{\"type\":\"article\",\"id\":\"x:16\",\"legacy\":{\"provenance\":1}}\n"
	        "{\"type\":\"article\",\"title\":\"Sans id\"}\n"
	        "{\"type\":\"article\",\"id\":17,\"title\":\"Id nombre\"}\n"
	        "{\"type\":\"article\",\"id\":\"x:18\",\"n\":1.50,\"m\":-0}\n"
	        "{\"type\":\"article\",\"id\":\"x:19\",\"title\":\"a\\u0000b\"}\n"
	        "{\"type\":\"article\",\"id\":\"x:20\",\"title\":\"coup\xC3\xA9\",\"v\":[1,{\"w\":"
	        "[true,false,null]}]}\n"
	        "{\"type\":\"article\",\"id\":\"x:21\",\"title\":");
	write_file(
	        "b.jsonl",
	        "{\"type\":\"article\",\"id\":\"x:1\",\"title\":\"Un\",\"provenance\":[{\"line\":9}"
	        "]}\n"
	        "{\"status\":\"publie\",\"title\":\"Deux\",\"id\":\"x:2\",\"type\":\"article\"}\n"
	        "{\"type\":\"article\",\"id\":\"x:3\",\"title\":\"Trois (mis à jour)\"}\n"
	        "{\"type\":\"article\",\"id\":\"x:5\",\"title\":\"Cinq\"}\n"
	        "{\"type\":\"article\",\"id\":\"x:6\",\"title\":\"Six\"}\n"
	        "{\"type\":\"article\",\"id\":\"x:7\",\"title\":\"Sept\"}\n"
	        "{\"type\":\"article\",\"id\":\"x:8\",\"title\":\"Huit\"}\n"
	        "{\"type\":\"article\",\"id\":\"x:13\",\"title\":\"T\",\"provenance\":[1]}\n"
	        "{\"type\":\"article\",\"id\":\"x:14\"}\n"
	        "{\"type\":\"article\",\"id\":\"x\\t15\",\"text\":{\"plain\":\"il a dit "
	        "\\\"non\\\" \\\\\"}}\n"
	        "{\"type\":\"article\",\"id\":\"x:16\",\"legacy\":{\"provenance\":2}}\n"
	        "{\"type\":\"article\",\"title\":\"Sans id\"}\n"
	        "{\"type\":\"article\",\"id\":\"17\",\"title\":\"Id nombre\"}\n"
	        "{\"type\":\"article\",\"id\":\"x:18\",\"n\":1.5,\"m\":0}\n"
	        "{\"type\":\"article\",\"id\":\"x:20\",\"title\":\"coup\\u00e9\",\"v\":[1,{\"w\":"
	        "[true,false,null]}]}\n");
	/* the same, cut inside a gzip member */
	gzFile gz = gzopen("cut.jsonl.gz", "wb");
	for (int i = 0; i < 3000; i++)
		gzprintf(gz,
		         "{\"type\":\"article\",\"id\":\"x:%d\",\"title\":\"Num\xC3\xA9ro %d\"}\n",
		         i, i * 7);
	gzclose(gz);
	FILE *fp = fopen("cut.jsonl.gz", "r+");
	CHECK(fp && fseek(fp, 0, SEEK_END) == 0);
	CHECK(ftruncate(fileno(fp), ftell(fp) / 2) == 0);
	fclose(fp);
	const char *prov[] = {"provenance"}, *two[] = {"provenance", "title"};
	struct {
		const char *a, *b;
		const char *const *ignore;
		size_t n;
		int json;
	} runs[] = {{"a.jsonl", "b.jsonl", prov, 1, 0}, {"a.jsonl", "b.jsonl", prov, 1, 1},
	            {"b.jsonl", "a.jsonl", two, 2, 0},  {"a.jsonl", "b.jsonl", NULL, 0, 0},
	            {"b.jsonl", "b.jsonl", prov, 1, 0}, {"cut.jsonl.gz", "b.jsonl", prov, 1, 0}};
	for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
		char *fast, *whole;
		diff_run(runs[i].a, runs[i].b, 0, runs[i].ignore, runs[i].n, runs[i].json, &fast);
		diff_run(runs[i].a, runs[i].b, 1, runs[i].ignore, runs[i].n, runs[i].json, &whole);
		if (strcmp(fast, whole) != 0)
			mie_test_fail(__FILE__, __LINE__, "run %zu: in place:\n%s\nwhole:\n%s", i,
			              fast, whole);
		/* what the runs must show, so that agreeing is not agreeing on nothing */
		if (i == 0)
			CHECK(strstr(fast, "changed x:3") && strstr(fast, "removed x:4") &&
			      strstr(fast, "added   x:5") && strstr(fast, "a.jsonl:11: ") &&
			      strstr(fast, "a.jsonl:12: ") && strstr(fast, "a.jsonl:26: ") &&
			      strstr(fast, "changed x\t15"));
		if (i == 5)
			CHECK(strstr(fast, "truncated") && strstr(fast, "removed x:100"));
		free(fast);
		free(whole);
		CHECK(!mie_test_failed);
	}
}
