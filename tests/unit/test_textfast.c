/* The block-at-a-time paths of field decoding and of the JSON Lines writer
 * agree with their plain definitions wherever a run starts and ends: a
 * windows-1252 field against the table byte by byte, a JSON string against
 * jansson's own escaping, for runs of every length with odd bytes at every
 * place (16-byte blocks, their overlapping tails, 8-byte words). */
#include <jansson.h>
#include <stdlib.h>

#include "record/mie_record.h"
#include "formats/mie_stream.h"
#include "mie_test.h"
#include "text/mie_text.h"

/* n letters, `odd` at a and, when there is room, `odd2` near the end. */
static void fill(unsigned char *t, size_t n, size_t a, unsigned char odd, unsigned char odd2)
{
	for (size_t j = 0; j < n; j++)
		t[j] = (unsigned char)('a' + j % 26);
	if (a < n)
		t[a] = odd;
	if (a + 3 < n)
		t[n - 1 - a % 3] = odd2;
}

static bool cp1252_undefined(unsigned char b)
{
	return b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D;
}

TEST(text_cp1252_runs_decode_as_the_table)
{
	static const unsigned char odd[] = {0x7F, 0x80, 0x81, 0x92, 0x9D, 0xA0, 0xC3, 0xE9, 0xFF};
	static const char *const charsets[] = {"windows-1252", "iso-8859-1", "ISO_8859-1"};
	unsigned char t[80];
	mie_buf got = MIE_BUF_INIT, want = MIE_BUF_INIT;
	for (size_t n = 0; n < 70; n++)
		for (size_t a = 0; a <= n; a++)
			for (size_t o = 0; o < sizeof odd; o++)
				for (size_t c = 0; c < 3; c++) {
					fill(t, n, a, odd[o], odd[(o + 4) % sizeof odd]);
					mie_buf_reset(&want);
					bool c1 = false, undefined = false;
					for (size_t j = 0; j < n; j++) {
						mie_buf_add_utf8(&want, mie_cp1252_to_ucs(t[j]));
						undefined |= cp1252_undefined(t[j]);
						c1 |= t[j] >= 0x80 && t[j] < 0xA0 &&
						      !cp1252_undefined(t[j]);
					}
					mie_buf_reset(&got);
					int k = mie_text_decode(&got, (const char *)t, n,
					                        charsets[c], 0, NULL, NULL);
					CHECK_INT(got.len, want.len);
					CHECK(memcmp(got.data, want.data, got.len) == 0);
					CHECK_INT(k, undefined + (c > 0 && c1));
				}
	mie_buf_release(&got);
	mie_buf_release(&want);
}

TEST(text_plain_ascii_fields_are_kept)
{
	static const char *const charsets[] = {NULL, "utf-8", "iso-8859-1", "windows-1252"};
	const char *s = "Le monde ~ 1906-2006 (\"cent ans\") | a/b \\ {x} [y] <p> #id_article=3";
	for (size_t c = 0; c < 4; c++)
		for (unsigned flags = 0; flags < 16; flags++) {
			mie_buf b = MIE_BUF_INIT;
			int k = mie_text_decode(&b, s, strlen(s), charsets[c], flags, NULL, NULL);
			CHECK_INT(k, 0);
			CHECK_STR(b.data, s);
			mie_buf_release(&b);
		}
}

/* What a JSON Lines writer writes for v, put into a fragment first (the
 * path of mie-import's workers), or NULL; malloc'd. */
static char *written(const json_t *v, int checked)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	if (!fp)
		return NULL;
	mie_writer *w = mie_writer_new(fp, MIE_FORM_JSONL);
	mie_writer *frag = mie_writer_fragment(MIE_FORM_JSONL);
	int rc = checked ? mie_writer_put_checked(frag, v, NULL) : mie_writer_put(frag, v, NULL);
	if (rc == MIE_WRITE_OK)
		rc = mie_writer_put_fragment(w, frag);
	mie_writer_finish(frag);
	if (mie_writer_finish(w) != MIE_WRITE_OK)
		rc = MIE_WRITE_IO;
	fclose(fp);
	if (rc != MIE_WRITE_OK) {
		free(text);
		return NULL;
	}
	return text;
}

TEST(jsonl_strings_escaped_as_jansson)
{
	static const char *const odd[] = {"\"",   "\\",   "\n", "\t",      "\x01",
	                                  "\x1f", "\x7f", "/",  "\xC3\xA9"};
	size_t nodd = sizeof odd / sizeof *odd;
	mie_buf t = MIE_BUF_INIT;
	for (size_t n = 0; n < 70; n++)
		for (size_t a = 0; a <= n; a++)
			for (size_t o = 0; o < nodd; o++) {
				/* n letters, odd[o] at a, another odd one near the end */
				mie_buf_reset(&t);
				for (size_t j = 0; j < n; j++) {
					if (j == a)
						mie_buf_adds(&t, odd[o]);
					else if (a + 3 < n && j == n - 1 - a % 3)
						mie_buf_adds(&t, odd[(o + 3) % nodd]);
					else
						mie_buf_addc(&t, 'a' + (int)(j % 26));
				}
				json_t *v = json_pack("[s#,{s#:i}]", t.data, (int)t.len, t.data,
				                      (int)t.len, 1);
				CHECK(v != NULL);
				char *want = json_dumps(v, JSON_COMPACT);
				char *got = written(v, (int)(a % 2));
				json_decref(v);
				CHECK(want != NULL && got != NULL);
				size_t len = strlen(want);
				int same = strncmp(got, want, len) == 0 &&
				           strcmp(got + len, "\n") == 0;
				free(want);
				free(got);
				CHECK(same);
			}
	mie_buf_release(&t);
}

TEST(record_member_names_checked_as_jansson)
{
	static const char *const keys[] = {"title",
	                                   "caf\xC3\xA9",
	                                   "\xEF\xBF\xBE",
	                                   "\xF4\x8F\xBF\xBF",
	                                   "\xC3",
	                                   "\xC0\x80",
	                                   "\xE0\x80\x80",
	                                   "\xED\xA0\x80",
	                                   "\xF4\x90\x80\x80",
	                                   "\xF5\x80\x80\x80",
	                                   "a\x80",
	                                   "\xE2\x82",
	                                   "",
	                                   "\x7F\x01",
	                                   "\xF0\x9F\x98\x80",
	                                   "\xF0\x80\x80\x80"};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		json_t *mine = json_object(), *theirs = json_object();
		mie_rec_set_made(mine, keys[i], "x", 1);
		CHECK_INT(mie_rec_set_strn(mine, keys[i], "y", 1), 0);
		json_object_set_new(theirs, keys[i], json_string("y"));
		CHECK_INT(json_object_size(mine), json_object_size(theirs));
		json_decref(mine);
		json_decref(theirs);
	}
}
