/* The export's fast JSON Lines parser against its definition,
 * mie_jsonl_parse: on lines built to hit every shape and on random
 * mutations of them, the same verdict, the same words and the same record
 * (members in the same order). */
#include <stdint.h>
#include <stdlib.h>

#include "mie_export_parse.h"
#include "mie_jsonl.h"
#include "mie_test.h"

static char *dump(const json_t *v)
{
	return v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17)) : NULL;
}

/* 1 when both parsers agree on the line. */
static int agree(const char *p, size_t n, int first)
{
	json_t *a = NULL, *b = NULL;
	mie_buf wa = MIE_BUF_INIT, wb = MIE_BUF_INIT;
	int sa = mie_jsonl_parse(p, n, first, &a, &wa);
	int sb = mie_export_parse_line(p, n, first, &b, &wb);
	char *da = dump(a), *db = dump(b);
	int same = sa == sb && strcmp(wa.data, wb.data) == 0 &&
	           ((!da && !db) || (da && db && strcmp(da, db) == 0));
	if (!same)
		fprintf(stderr, "differ on [%.*s]: %d %s / %d %s\n", (int)n, p, sa,
		        da ? da : wa.data, sb, db ? db : wb.data);
	free(da);
	free(db);
	json_decref(a);
	json_decref(b);
	mie_buf_release(&wa);
	mie_buf_release(&wb);
	return same;
}

static const char *const lines[] = {
        "{\"type\":\"article\",\"id\":\"infomie.net:article:1\",\"title\":\"L’été à Lyon\"}",
        "{ \"a\" : [ 1 , -2 , 0 , true , false , null , \"x\" , { } , [ ] ] }\t ",
        "{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac\\uFFFD\"}",
        "{\"k\\u00e9\":1,\"k\\u00e9\":2}",
        "{\"a\":1,\"a\":2}",
        "{\"n\":123456789012345678}",
        "{\"n\":1234567890123456789}",
        "{\"n\":12345678901234567890123}",
        "{\"n\":-0}",
        "{\"n\":01}",
        "{\"n\":1.5}",
        "{\"n\":1e400}",
        "{\"n\":-0.5e-7}",
        "{\"n\":-}",
        "{\"s\":\"\\u0000\"}",
        "{\"s\":\"\\ud83d\\ude00\"}",
        "{\"s\":\"\\ud800\"}",
        "{\"s\":\"\\udc00x\"}",
        "{\"s\":\"\\x\"}",
        "{\"s\":\"\t\"}",
        "{\"s\":\"\xe9t\xe9\"}",
        "{\"s\":\"\xed\xa0\x80\"}",
        "{\"s\":\"\xc0\xaf\"}",
        "{\"s\":\"\xf4\x90\x80\x80\"}",
        "{}",
        "[]",
        "\"x\"",
        "{\"a\":1}x",
        "{\"a\":1}{}",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{,}",
        "{\"a\":[1,]}",
        "{\"a\":tru}",
        "{\"a\":nul}",
        "{\"a\":truex}",
        "\xef\xbb\xbf{\"bom\":1}",
        "{\"cr\":1}\r",
        "   ",
        "",
        "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
        "{\"type\":\"article\",\"id\":\"x:article:2\",\"text\":{\"plain\":\"a\\nb\",\"html\":\"<p>"
        "a</p>\"},"
        "\"provenance\":[{\"format\":\"spip-dump\",\"line\":40,\"repairs\":[{\"kind\":\"nfc\"}]}],"
        "\"extra\":{\"visites\":\"12\",\"\":\"empty key\"}}",
};

TEST(export_parse_shapes)
{
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		CHECK(agree(lines[i], strlen(lines[i]), 1));
		CHECK(agree(lines[i], strlen(lines[i]), 0));
	}
}

TEST(export_parse_fast_path_taken)
{
	/* the common record shape is read by the fast path, not handed on */
	const char *l = lines[41];
	json_t *r = mie_export_parse_fast(l, strlen(l));
	CHECK(r != NULL);
	CHECK_STR(json_string_value(json_object_get(json_object_get(r, "text"), "plain")), "a\nb");
	json_decref(r);
}

TEST(export_parse_mutations)
{
	static const char alphabet[] = "{}[]\":,\\u0aeE.-+ \t\r\n\xc3\xa9\xff\x01/btfnr";
	uint64_t x = 88172645463325252ull;
	char buf[512];
	for (long round = 0; round < 200000; round++) {
		const char *base = lines[round % (sizeof lines / sizeof *lines)];
		size_t n = strlen(base);
		if (n >= sizeof buf - 8)
			continue;
		memcpy(buf, base, n);
		int edits = 1 + (int)(round % 3);
		for (int e = 0; e < edits && n; e++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			size_t at = (size_t)(x % n);
			char c = alphabet[(x >> 20) % (sizeof alphabet - 1)];
			switch ((x >> 40) % 3) {
			case 0: buf[at] = c; break;
			case 1:
				memmove(buf + at + 1, buf + at, n - at);
				buf[at] = c;
				n++;
				break;
			default: memmove(buf + at, buf + at + 1, n - at - 1); n--;
			}
		}
		CHECK(agree(buf, n, (int)(round & 1)));
	}
}
