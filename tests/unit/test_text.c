/* Unit tests of libcommon/text: charsets, entities, mojibake, NFC. */
#include <stdlib.h>

#include "mie_record.h"
#include "mie_test.h"
#include "mie_text.h"
#include "mie_utf8.h"

/* Repairs seen by one decode, as "kind|original;" in order. */
struct seen {
	mie_buf log;
	mie_buf details;
};

static void record_repair(void *ctx, const char *kind, const char *detail, const char *original)
{
	struct seen *s = ctx;
	mie_buf_addf(&s->log, "%s|%s;", kind, original ? original : "-");
	mie_buf_addf(&s->details, "%s;", detail);
}

/* Decodes s (NUL-terminated) and returns the text (static buffer) and
 * the repair log in *log (static buffer). */
static mie_buf text_out, text_log, text_details;
static const char *dec(const char *s, const char *charset, unsigned flags)
{
	struct seen sn = {MIE_BUF_INIT, MIE_BUF_INIT};
	mie_buf_release(&text_out);
	mie_text_decode(&text_out, s, strlen(s), charset, flags, record_repair, &sn);
	mie_buf_release(&text_log);
	mie_buf_release(&text_details);
	text_log = sn.log;
	text_details = sn.details;
	return text_out.data;
}

TEST(text_ascii_fast_path_unchanged)
{
	CHECK_STR(dec("Accueil des mineurs isoles, 2006", "utf-8", 0), "Accueil des mineurs isoles, 2006");
	CHECK_STR(text_log.data, "");
	CHECK_STR(dec("ligne 1\r\nligne 2\tfin", NULL, 0), "ligne 1\r\nligne 2\tfin");
	CHECK_STR(text_log.data, "");
}

TEST(text_utf8_valid_unchanged)
{
	const char *s = "Accès à l’éducation : « Œuvre » – 3 €";
	CHECK_STR(dec(s, "UTF-8", MIE_TEXT_ENTITIES | MIE_TEXT_MOJIBAKE), s);
	CHECK_STR(text_log.data, "");
}

TEST(text_latin1_reads_cp1252)
{
	CHECK_STR(dec("l\x92\xe9t\xe9 \x80 \x9c", "ISO-8859-1", 0), "l’été € œ");
	CHECK_STR(text_log.data, "charset-cp1252|-;");
	CHECK_STR(text_details.data, "3 bytes 0x80-0x9F read as windows-1252, first at byte 1;");
	CHECK_STR(dec("l\x92\xe9t\xe9", "windows-1252", 0), "l’été");
	CHECK_STR(text_log.data, "");
}

TEST(text_cp1252_undefined_bytes_kept_with_trace)
{
	CHECK_STR(dec("a\x81z\x9d", "windows-1252", 0), "a\xc2\x81z\xc2\x9d");
	CHECK_STR(text_log.data, "undecodable-byte|\\x81\\x9d;");
	CHECK_STR(text_details.data,
		  "2 bytes undefined in windows-1252 kept as U+0080-U+009F, first at byte 1;");
}

TEST(text_invalid_utf8_run_read_as_cp1252)
{
	/* a latin-1 row in a UTF-8 dump */
	CHECK_STR(dec("d\xe9j\xe0 l\x92\xe9t\xe9 \xc3\xa9", "utf-8", 0), "déjà l’été é");
	CHECK_STR(text_log.data, "invalid-utf8|\\xe9\\xe0\\x92\\xe9\\xe9;");
	CHECK_STR(text_details.data, "5 invalid UTF-8 bytes read as windows-1252, first at byte 1;");
}

TEST(text_invalid_utf8_classes)
{
	/* overlong, surrogate, beyond U+10FFFF, 5-byte form, lone continuation */
	const char *in = "\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80|\xf8\x88\x80\x80\x80|\x80";
	const char *got = dec(in, "utf-8", 0);
	CHECK(mie_text_check(got, strlen(got), NULL) == -1);
	CHECK_STR(got, "À¯|í\xc2\xa0€|ô\xc2\x90€€|ø\xcb\x86€€€|€");
	CHECK_STR(text_log.data, "invalid-utf8|\\xc0\\xaf\\xed\\xa0\\x80\\xf4\\x90\\x80\\x80"
				 "\\xf8\\x88\\x80\\x80\\x80\\x80;");
}
