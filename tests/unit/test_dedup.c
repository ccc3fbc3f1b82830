/* Unit tests of libcommon/dedup: comparison forms, keys, shingles. */
#include <stdlib.h>
#include <string.h>

#include "dedup/mie_dedup.h"
#include "dedup/mie_dedup_impl.h"
#include "mie_test.h"

static const char *norm(mie_buf *b, const char *s)
{
	mie_buf_reset(b);
	mie_text_fold(b, s, strlen(s));
	return b->data;
}

TEST(dedup_normalize_elisions)
{
	mie_buf b = MIE_BUF_INIT;
	CHECK_STR(norm(&b, "l'association"), "l association");
	CHECK_STR(norm(&b, "l’association"), "l association");
	CHECK_STR(norm(&b, "L&rsquo;Association"), "l association");
	CHECK_STR(norm(&b, "l&#039;association"), "l association");
	mie_buf_release(&b);
}

TEST(dedup_normalize_accents_entities_mojibake)
{
	mie_buf b = MIE_BUF_INIT;
	CHECK_STR(norm(&b, "  Accès à l’éducation !  "), "acces a l education");
	CHECK_STR(norm(&b, "Acc&egrave;s &agrave; l&#8217;&eacute;ducation"),
	          "acces a l education");
	CHECK_STR(norm(&b, "AccÃ¨s Ã  lâ€™Ã©ducation"), "acces a l education");
	CHECK_STR(norm(&b, "Œuvre, cœur & Ægide"), "oeuvre coeur aegide");
	CHECK_STR(norm(&b, "n° 18/04511 – 1ᵉʳ mars"), "n 18 04511 1er mars");
	CHECK_STR(norm(&b, "&nbsp;&laquo;&amp"), "amp"); /* named symbols: spaces */
	CHECK_STR(norm(&b, ""), "");
	/* blocks of 8 bytes taken as they are, and their edges */
	CHECK_STR(norm(&b, "abcdefgh"), "abcdefgh");
	CHECK_STR(norm(&b, "abc defg hij klmn "), "abc defg hij klmn");
	CHECK_STR(norm(&b, " abcdefg  hijklmno  p"), "abcdefg hijklmno p");
	CHECK_STR(norm(&b, "abcdefg hijklmn opqrstu v"), "abcdefg hijklmn opqrstu v");
	CHECK_STR(norm(&b, "abcdefg  hijklmn   op"), "abcdefg hijklmn op");
	CHECK_STR(norm(&b, "ab{de|gh}jk~mn`pq"), "ab de gh jk mn pq");
	CHECK_STR(norm(&b, "a b c d e f g h i j"), "a b c d e f g h i j");
	/* invalid UTF-8 read as windows-1252 */
	CHECK_STR(norm(&b, "caf\xe9"), "cafe");
	mie_buf_release(&b);
}

/* The key fn gives to s (a static buffer, until the next call). */
static const char *key(void (*fn)(mie_buf *, const char *, size_t), const char *s)
{
	static mie_buf b = MIE_BUF_INIT;
	mie_buf_reset(&b);
	fn(&b, s, strlen(s));
	return b.data;
}

TEST(dedup_name_keys)
{
	mie_buf b = MIE_BUF_INIT;
	const char *want = "francais populaire secours";
	CHECK_STR(key(mie_dedup_name_key, "Secours populaire français"), want);
	CHECK_STR(key(mie_dedup_name_key, "SECOURS POPULAIRE FRANCAIS"), want);
	CHECK_STR(key(mie_dedup_name_key, "Secours Populaire Français "), want);
	CHECK_STR(key(mie_dedup_name_key, "Martin, Martin Jean-Pierre"), "jean martin pierre");
	mie_dedup_ngram_key(&b, "Paris", 5, 2);
	CHECK_STR(b.data, "arispari");
	mie_buf_reset(&b);
	mie_dedup_ngram_key(&b, "É", 2, 2);
	CHECK_STR(b.data, "e");
	mie_buf_release(&b);
}

TEST(dedup_shingles_jaccard)
{
	uint32_t *x, *y;
	const char *a = "le juge des enfants est saisi", *b = "le juge des enfants a ete saisi";
	size_t nx = mie_dedup_shingles(a, strlen(a), &x);
	size_t ny = mie_dedup_shingles(b, strlen(b), &y);
	CHECK_INT(nx, 4);
	CHECK_INT(ny, 5);
	/* shared: "le juge des", "juge des enfants" */
	CHECK(mie_dedup_jaccard(x, nx, y, ny) == 2.0 / 7.0);
	CHECK(mie_dedup_jaccard(x, nx, x, nx) == 1.0);
	free(x);
	free(y);
	CHECK_INT(mie_dedup_shingles("deux mots", 9, &x), 1);
	free(x);
	CHECK_INT(mie_dedup_shingles("", 0, &x), 0);
	CHECK(x == NULL);
	CHECK(mie_dedup_jaccard(NULL, 0, NULL, 0) == 0);
}

TEST(dedup_minhash_banding)
{
	CHECK_INT(mie_dedup_rows_for(0.8), 4);
	CHECK_INT(mie_dedup_rows_for(0.5), 2);
	CHECK_INT(mie_dedup_rows_for(0.95), 8);
	uint32_t sh[200], sa[MIE_DEDUP_SIG], sb[MIE_DEDUP_SIG];
	for (int i = 0; i < 200; i++)
		sh[i] = (uint32_t)i * 2654435761u;
	mie_dedup_minhash(sh, 200, sa);
	mie_dedup_minhash(sh, 200, sb);
	CHECK(memcmp(sa, sb, sizeof sa) == 0);
	/* a signature estimates the Jaccard similarity: 180 of 220 shared */
	uint32_t other[200];
	memcpy(other, sh, sizeof other);
	for (int i = 180; i < 200; i++)
		other[i] = 0xdead0000u + (uint32_t)i;
	mie_dedup_minhash(other, 200, sb);
	int same = 0;
	for (int k = 0; k < MIE_DEDUP_SIG; k++)
		same += sa[k] == sb[k];
	CHECK(same >= 40 && same <= 64);
}

TEST(dedup_options_parse)
{
	unsigned m = 0;
	CHECK_INT(mie_dedup_methods_parse("identity,exact", &m), 0);
	CHECK_INT(m, MIE_DEDUP_IDENTITY | MIE_DEDUP_EXACT);
	CHECK_INT(mie_dedup_methods_parse("near,names", &m), -1);
	CHECK_INT(mie_dedup_methods_parse("", &m), -1);
	mie_dedup_mode mode;
	CHECK_INT(mie_dedup_mode_parse("merge", &mode), 0);
	CHECK_INT(mode, MIE_DEDUP_MERGE);
	CHECK_INT(mie_dedup_mode_parse("fuse", &mode), -1);
}

TEST(dedup_scan_jsonl)
{
	mie_buf bufs[6] = {MIE_BUF_INIT, MIE_BUF_INIT, MIE_BUF_INIT,
	                   MIE_BUF_INIT, MIE_BUF_INIT, MIE_BUF_INIT};
	mie_dedup_fields f;
	const char *l =
	        "{\"type\":\"article\",\"id\":\"s:article:1\",\"title\":\"L\\u2019\\u00e9t\\u00e9 "
	        "\\\"chaud\\\"\",\"rank\":3,\"ok\":true,\"none\":null,\"text\":{\"plain\":"
	        "\"a\\nb\",\"spip\":\"\"},\"legacy\":{\"url\":\"http://x/?a=1\"},"
	        "\"provenance\":[{\"format\":\"html\"}],\"keywords\":[\"s:keyword:1\",\"\"],"
	        "\"duplicate_of\":\"s:article:2\", \"extra\":{\"n\":-1.5e3}}";
	CHECK_INT(mie_dedup_scan_jsonl(l, strlen(l), &f, bufs), 0);
	CHECK(f.title && f.title_n == strlen("L’été \"chaud\""));
	CHECK(memcmp(f.title, "L’été \"chaud\"", f.title_n) == 0);
	CHECK(f.plain_n == 3 && memcmp(f.plain, "a\nb", 3) == 0);
	CHECK(f.url_n == 13 && memcmp(f.url, "http://x/?a=1", 13) == 0);
	CHECK(f.id_n == 11 && f.type_n == 7 && !f.date);
	/* title, rank, ok, text.plain, keywords[0], extra.n */
	CHECK_INT(f.complete, 6);
	CHECK_INT(f.marked, 1);
	const char *bad[] = {
	        "[1]", "{\"a\":}", "{\"a\":1,}", "{\"a\":\"\\x\"}", "{\"a\":01}", "{\"a\":tru}",
	        "{\"a\":1} x", "{\"a\":\"open}",
	        /* what jansson refuses (mie_jsonl_parse), so the
	         * scanner must too: file and pipe agree */
	        "{\"a\":1,\"b\":2,\"a\":3}", "{\"t\":{\"x\":1,\"x\":1}}", "{\"a\":\"\xe9t\xe9\"}",
	        "{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"x\\u0000\"}", "{\"a\":\"\\ud800\"}",
	        "{\"a\":\"\\udc00\\ud800\"}", "{\"a\":\"x\ty\"}", "{\"a\":\"x\ry\"}",
	        "{\"a\":\"x\001y\"}",
	        "{\"a\":\"a long string of text well past sixteen bytes\tthen\"}",
	        "{\"\\u0061\":1,\"a\":2}", "{\"a\":123456789012345678901234}", "{\"a\":1e400}", ""};
	for (int i = 0; bad[i][0]; i++)
		CHECK_INT(mie_dedup_scan_jsonl(bad[i], strlen(bad[i]), &f, bufs), -1);
	/* the scanner's refusals that jansson takes: mie_dedup_add_line asks it */
	const char *hard[] = {
	        "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
	        "[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
	        "{\"a\":\"\\ud83d\\ude00\"}", ""};
	CHECK_INT(mie_dedup_scan_jsonl(hard[0], strlen(hard[0]), &f, bufs), -1);
	CHECK_INT(mie_dedup_scan_jsonl(hard[1], strlen(hard[1]), &f, bufs), 0);
	for (int i = 0; i < 6; i++)
		mie_buf_release(&bufs[i]);
}

TEST(dedup_url_key)
{
	const char *want = "infomie.net/spip.php?article105";
	CHECK_STR(key(mie_dedup_url_key, "https://www.InfoMIE.net/spip.php?article105#forum"),
	          want);
	CHECK_STR(key(mie_dedup_url_key, "http://infomie.net/spip.php?article105"), want);
	CHECK_STR(key(mie_dedup_url_key, "infomie.net/spip.php?article105/"), want);
	CHECK_STR(key(mie_dedup_url_key, "http://infomie.net/Article-105.HTML"),
	          "infomie.net/Article-105.HTML");
}
