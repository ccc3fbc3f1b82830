/* Unit tests of libcommon/core and the pure parts of record/cli. */
#include <stdlib.h>

#include "core/mie_buf.h"
#include "cli/mie_cli.h"
#include "mie_test.h"
#include "core/mie_utf8.h"
#include "record/mie_xref.h"

TEST(utf8_rejects_every_invalid_class)
{
	static const char *const bad[] = {
	        "\xC0\xAF",             /* overlong '/' */
	        "\xE0\x80\xAF",         /* overlong, 3 bytes */
	        "\xED\xA0\x80",         /* surrogate U+D800 */
	        "\xF4\x90\x80\x80",     /* above U+10FFFF */
	        "\xF8\x88\x80\x80\x80", /* 5-byte form */
	        "\x80",                 /* lone continuation */
	        "\xC3",                 /* cut short */
	        "\xE2\x82",             /* cut short */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(!mie_utf8_valid(bad[i], strlen(bad[i])));
	CHECK(mie_utf8_valid("Accès à l’éducation — 😀", strlen("Accès à l’éducation — 😀")));
	CHECK_INT(mie_utf8_valid_prefix("abcdefghij\xC3(", 12), 10);
}

TEST(text_check_names_the_offence)
{
	const char *what;
	CHECK_INT(mie_text_check("ok\ttab\r\n", 8, &what), -1);
	CHECK_INT(mie_text_check("a\x0b", 2, &what), 1);
	CHECK_STR(what, "character U+000B not allowed");
	CHECK_INT(mie_text_check("ab\xEF\xBF\xBE", 5, &what), 2);
	CHECK_STR(what, "character U+FFFE not allowed");
	CHECK_INT(mie_text_check("caf\xE9", 4, &what), 3);
	CHECK_STR(what, "invalid UTF-8");
}

TEST(terminal_escape_neutralises_controls)
{
	mie_buf b = MIE_BUF_INIT;
	const char *s = "ctl\x1b[31mred \xE2\x80\xAE x\xFF\tok é";
	mie_utf8_escape_terminal(&b, s, strlen(s));
	CHECK_STR(b.data, "ctl\\x1b[31mred \\u{202E} x\\xff\tok é");
	mie_buf_release(&b);
}

TEST(buf_grows_and_formats)
{
	mie_buf b = MIE_BUF_INIT;
	for (int i = 0; i < 1000; i++)
		mie_buf_addf(&b, "%d,", i);
	CHECK_INT(b.len, 3890);
	CHECK(strncmp(b.data + b.len - 4, "999,", 4) == 0);
	mie_buf_reset(&b);
	mie_buf_add_utf8(&b, 0xE9);
	mie_buf_add_utf8(&b, 0x2019);
	mie_buf_add_utf8(&b, 0x1F600);
	CHECK_STR(b.data, "é’😀");
	size_t n;
	char *p = mie_buf_detach(&b, &n);
	CHECK_INT(n, 9);
	CHECK_INT(b.len, 0);
	free(p);
}

TEST(cli_sizes)
{
	CHECK_INT(mie_cli_parse_size("64M"), 64 << 20);
	CHECK_INT(mie_cli_parse_size("2G"), (int64_t)2 << 30);
	CHECK_INT(mie_cli_parse_size("10KiB"), 10240);
	CHECK_INT(mie_cli_parse_size("123"), 123);
	CHECK_INT(mie_cli_parse_size("12.5M"), -1);
	CHECK_INT(mie_cli_parse_size("-1"), -1);
	CHECK_INT(mie_cli_parse_size("x"), -1);
}

static long n_dangling;
static char last_dangling[128];

static void on_dangling(void *ctx, const mie_loc *loc, const char *from, const char *field,
                        const char *to)
{
	n_dangling++;
	snprintf(last_dangling, sizeof last_dangling, "%s:%ld %s %s %s", loc->file, loc->line, from,
	         field, to);
}

TEST(xref_duplicates_and_dangling_references)
{
	mie_xref *x = mie_xref_new(4096); /* tiny: forces the table to grow */
	mie_loc at = {"s.jsonl", NULL, 0}, first;
	char id[64];
	for (int i = 1; i <= 2000; i++) {
		snprintf(id, sizeof id, "infomie.net:article:%d", i);
		at.line = i;
		/* a reference forward, settled later, and one never settled */
		snprintf(id, sizeof id, "infomie.net:section:%d", i);
		mie_xref_add_ref(x, "infomie.net:article:1", "section", id, &at);
		snprintf(id, sizeof id, "infomie.net:article:%d", i);
		CHECK_INT(mie_xref_add_id(x, id, &at, 7, &first), 0);
	}
	for (int i = 1; i < 2000; i++) {
		snprintf(id, sizeof id, "infomie.net:section:%d", i);
		at.line = 3000 + i;
		CHECK_INT(mie_xref_add_id(x, id, &at, 7, &first), 0);
	}
	at.line = 9999;
	CHECK_INT(mie_xref_add_id(x, "infomie.net:article:7", &at, 7, &first), 1);
	CHECK_INT(mie_xref_add_id(x, "infomie.net:article:7", &at, 8, &first), 2);
	CHECK_INT(first.line, 7);
	n_dangling = 0;
	CHECK_INT(mie_xref_finish(x, on_dangling, NULL), 1);
	CHECK_STR(last_dangling,
	          "s.jsonl:2000 infomie.net:article:1 section infomie.net:section:2000");
	mie_xref_free(x);
}
