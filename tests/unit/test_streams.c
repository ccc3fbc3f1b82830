/* Unit tests of libcommon/formats: the JSON Lines writer against jansson's
 * own compact output, and fragments. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "formats/mie_stream.h"
#include "mie_test.h"

/* What mie's JSON Lines writer makes of rec: a malloc'd line, or NULL when
 * it refuses the record. */
static char *jsonl_line(const json_t *rec)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	mie_writer *w = mie_writer_new(fp, MIE_FORM_JSONL);
	int rc = mie_writer_put(w, rec, NULL);
	mie_writer_finish(w);
	fclose(fp);
	if (rc != MIE_WRITE_OK) {
		free(text);
		return NULL;
	}
	return text;
}

/* jansson's compact output with a newline, or NULL when it refuses. */
static char *jansson_line(const json_t *rec)
{
	char *s = json_dumps(rec, JSON_COMPACT | JSON_REAL_PRECISION(15));
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *line = malloc(n + 2);
	memcpy(line, s, n);
	memcpy(line + n, "\n", 2);
	free(s);
	return line;
}

/* Property: for many random strings (ASCII runs, French accents, ’ and
 * emoji, every control, quotes, backslashes, and invalid bytes: overlong,
 * surrogates, cut sequences), the writer's line is jansson's, byte for
 * byte, and both refuse the same strings. */
TEST(jsonl_writer_is_jansson_compact)
{
	static const char *const pieces[] = {"a",
	                                     "Accès ",
	                                     "l’éducation",
	                                     "œ€…",
	                                     "\"",
	                                     "\\",
	                                     "/",
	                                     "\x01",
	                                     "\x1F",
	                                     "\t\n\r\b\f",
	                                     "\x7F",
	                                     "😀",
	                                     "\xC3",
	                                     "\xC0\xAF",
	                                     "\xED\xA0\x80",
	                                     "\xE0\x80\xAF",
	                                     "\xF4\x90\x80\x80",
	                                     "\xEF\xBF\xBF",
	                                     "\xE2\x82",
	                                     "\xC2\x80",
	                                     "mineurs isolés étrangers ",
	                                     "0123456789abcdef"};
	size_t np = sizeof pieces / sizeof *pieces;
	srand(1234);
	int refused = 0;
	for (int round = 0; round < 5000; round++) {
		char s[512];
		size_t n = 0;
		int k = 1 + rand() % 12;
		for (int i = 0; i < k; i++) {
			const char *p = pieces[rand() % np];
			size_t l = strlen(p);
			memcpy(s + n, p, l);
			n += l;
		}
		json_t *rec = json_object();
		json_t *v = json_stringn_nocheck(s, n);
		json_object_set_new(rec, round % 2 ? "text" : "t\xC3\xA9", v);
		json_object_set_new(rec, "n", json_integer(round - 2500));
		json_t *arr = json_array();
		json_array_append(arr, v);
		json_array_append_new(arr, json_true());
		json_array_append_new(arr, json_null());
		json_array_append_new(arr, json_real(0.93));
		json_object_set_new(rec, "list", arr);
		char *mine = jsonl_line(rec), *theirs = jansson_line(rec);
		if (!theirs)
			refused++;
		if (!mine || !theirs)
			CHECK(!mine && !theirs);
		else
			CHECK_STR(mine, theirs);
		free(mine);
		free(theirs);
		json_decref(rec);
	}
	CHECK(refused > 100 && refused < 4900); /* both kinds were tried */
}

/* Records written into fragments and added in order make the stream one
 * writer would have made, XML document start and end included. */
TEST(fragments_make_the_same_stream)
{
	for (int form = MIE_FORM_JSONL; form <= MIE_FORM_XML; form++) {
		char *one = NULL, *two = NULL;
		size_t n1 = 0, n2 = 0;
		FILE *f1 = open_memstream(&one, &n1), *f2 = open_memstream(&two, &n2);
		mie_writer *w1 = mie_writer_new(f1, (mie_form)form);
		mie_writer *w2 = mie_writer_new(f2, (mie_form)form);
		mie_writer *frag[3] = {mie_writer_fragment((mie_form)form),
		                       mie_writer_fragment((mie_form)form),
		                       mie_writer_fragment((mie_form)form)};
		for (int i = 0; i < 9; i++) {
			json_t *rec =
			        json_pack("{s:s, s:s, s:s}", "type", "article", "id",
			                  "infomie.net:article:1", "title", "Accès à l’école");
			mie_writer_put(w1, rec, NULL);
			mie_writer_put(frag[i % 3], rec, NULL);
			json_decref(rec);
			if (i % 3 == 2)
				for (int k = 0; k < 3; k++)
					CHECK(mie_writer_put_fragment(w2, frag[k]) == MIE_WRITE_OK);
		}
		for (int k = 0; k < 3; k++)
			mie_writer_finish(frag[k]);
		mie_writer_finish(w1);
		mie_writer_finish(w2);
		fclose(f1);
		fclose(f2);
		CHECK_INT(n1, n2);
		CHECK(memcmp(one, two, n1) == 0);
		free(one);
		free(two);
	}
}
