/* Unit tests of libcommon/text: charsets, entities, mojibake, NFC. */
#include <pthread.h>
#include <stdlib.h>

#include "record/mie_record.h"
#include "mie_test.h"
#include "text/mie_fold.h"
#include "text/mie_text.h"
#include "core/mie_utf8.h"

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
static const char *decn(const char *s, size_t n, const char *charset, unsigned flags)
{
	struct seen sn = {MIE_BUF_INIT, MIE_BUF_INIT};
	mie_buf_release(&text_out);
	mie_text_decode(&text_out, s, n, charset, flags, record_repair, &sn);
	mie_buf_release(&text_log);
	mie_buf_release(&text_details);
	text_log = sn.log;
	text_details = sn.details;
	return text_out.data;
}

static const char *dec(const char *s, const char *charset, unsigned flags)
{
	return decn(s, strlen(s), charset, flags);
}

TEST(text_ascii_fast_path_unchanged)
{
	CHECK_STR(dec("Accueil des mineurs isoles, 2006", "utf-8", 0),
	          "Accueil des mineurs isoles, 2006");
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
	CHECK_STR(text_details.data,
	          "5 invalid UTF-8 bytes read as windows-1252, first at byte 1;");
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

TEST(text_other_charsets_through_iconv)
{
	CHECK_STR(dec("caf\xe9 \xa4", "ISO-8859-15", 0), "café €");
	CHECK_STR(text_log.data, "");
	CHECK_STR(dec("a\xae"
	              "b\xff",
	              "ISO-8859-7", 0),
	          "a\xef\xbf\xbd"
	          "b\xef\xbf\xbd");
	CHECK_STR(text_log.data, "undecodable-byte|\\xae\\xff;");
	CHECK_STR(text_details.data,
	          "2 bytes not valid in ISO-8859-7 replaced by U+FFFD, first at byte 1;");
	CHECK_STR(dec("a\x82", "SHIFT_JIS", 0), "a\xef\xbf\xbd");
	CHECK_STR(text_log.data, "undecodable-byte|\\x82;");
}

TEST(text_unknown_charset_read_as_utf8)
{
	CHECK_STR(dec("été", "x-klingon-9", 0), "été");
	CHECK_STR(text_log.data, "unknown-charset|-;");
	CHECK_STR(text_details.data, "unknown charset \"x-klingon-9\" read as UTF-8;");
}

TEST(text_control_chars_removed_with_trace)
{
	/* NUL and 0x1F removed, VT and FF become spaces, U+FFFE/U+FFFF removed */
	const char in[] = "a\x00"
	                  "b\x0b"
	                  "c\x0c"
	                  "d\x1f"
	                  "e\xef\xbf\xbe"
	                  "f\xef\xbf\xbf";
	mie_buf out = MIE_BUF_INIT;
	struct seen sn = {MIE_BUF_INIT, MIE_BUF_INIT};
	CHECK_INT(mie_text_decode(&out, in, sizeof in - 1, "utf-8", 0, record_repair, &sn), 1);
	CHECK_STR(out.data, "ab c def");
	CHECK_STR(sn.log.data, "control-char|\\x00\\x0b\\x0c\\x1f\\xef\\xbf\\xbe\\xef\\xbf\\xbf;");
	CHECK_STR(sn.details.data,
	          "6 control characters removed (VT, FF: replaced by a space), first at byte 1;");
	mie_buf_release(&out);
	mie_buf_release(&sn.log);
	mie_buf_release(&sn.details);
	CHECK_STR(dec("x\x01y", "iso-8859-1", 0), "xy");
	CHECK_STR(text_log.data, "control-char|\\x01;");
}

TEST(text_one_line_folds_breaks)
{
	CHECK_STR(dec("Titre\r\nsur\tdeux\n\nlignes\r", NULL, MIE_TEXT_ONE_LINE),
	          "Titre sur deux lignes ");
	CHECK_STR(text_log.data, "");
	CHECK_STR(dec("a&#10;b&#9;c", NULL, MIE_TEXT_ONE_LINE | MIE_TEXT_ENTITIES), "a b c");
	CHECK_STR(dec("a&#10;b", NULL, MIE_TEXT_ENTITIES), "a\nb");
}

TEST(text_entities_named_and_numeric)
{
	CHECK_STR(dec("l&#8217;&eacute;t&eacute; &laquo;&nbsp;&OElig;uvre&nbsp;&raquo; "
	              "&#x20AC; &#X153; &hellip;",
	              "iso-8859-1", MIE_TEXT_ENTITIES),
	          "l’été «\xc2\xa0Œuvre\xc2\xa0» € œ …");
	CHECK_STR(text_log.data, "entity|-;");
	CHECK_STR(text_details.data, "11 HTML entities decoded;");
	/* &#128;-&#159; are windows-1252, as browsers read them */
	CHECK_STR(dec("&#146;&#128;&#156;&#129;", NULL, MIE_TEXT_ENTITIES), "’€œ\xc2\x81");
	CHECK_STR(dec("&apos;&thetasym;&Yuml;&zwj;", NULL, MIE_TEXT_ENTITIES),
	          "'\xcf\x91\xc5\xb8\xe2\x80\x8d");
}

TEST(text_entities_left_alone)
{
	/* unknown, no ';', case matters, empty, URL parameters */
	const char *s = "&foo; &eacute &Eacute;&EACUTE; &; &#; &#x; "
	                "spip.php?page=article&id_article=78&lang=fr &amp";
	CHECK_STR(dec(s, NULL, MIE_TEXT_ENTITIES),
	          "&foo; &eacute É&EACUTE; &; &#; &#x; "
	          "spip.php?page=article&id_article=78&lang=fr &amp");
	CHECK_STR(text_log.data, "entity|-;");
	/* without the flag nothing is decoded */
	CHECK_STR(dec("&eacute;", NULL, 0), "&eacute;");
	CHECK_STR(text_log.data, "");
}

TEST(text_entities_invalid_references_noted)
{
	CHECK_STR(dec("a&#0;b&#xD800;c&#11;d&#1114112;e&#99999999999;f&#xFFFE;g&#65;", NULL,
	              MIE_TEXT_ENTITIES),
	          "a&#0;b&#xD800;c&#11;d&#1114112;e&#99999999999;f&#xFFFE;gA");
	CHECK_STR(text_log.data, "entity|-;invalid-entity|&#0;&#xD800;&#11;&#1114112;"
	                         "&#99999999999;&#xFFFE;;");
	CHECK_STR(text_details.data, "1 HTML entity decoded;"
	                             "6 character references to a forbidden character left as is;");
}

TEST(text_entities_keep_markup)
{
	const char *s = "&lt;b&gt;caf&eacute;&lt;/b&gt; &amp;amp; &quot;x&quot; "
	                "&#60;&#x3E;&#38;&#34; &#39;";
	CHECK_STR(dec(s, NULL, MIE_TEXT_ENTITIES | MIE_TEXT_KEEP_MARKUP),
	          "&lt;b&gt;café&lt;/b&gt; &amp;amp; &quot;x&quot; &#60;&#x3E;&#38;&#34; '");
	CHECK_STR(dec(s, NULL, MIE_TEXT_ENTITIES), "<b>café</b> &amp; \"x\" <>&\" '");
	size_t k;
	mie_buf out = MIE_BUF_INIT;
	k = mie_entities_decode(&out, "&lt;&eacute;", 12, MIE_TEXT_KEEP_MARKUP);
	CHECK_INT(k, 1);
	CHECK_STR(out.data, "&lt;é");
	mie_buf_release(&out);
}

TEST(text_entity_lookup_whole_table)
{
	CHECK_INT(mie_entity_lookup("nbsp", 4), 0xA0);
	CHECK_INT(mie_entity_lookup("euro", 4), 0x20AC);
	CHECK_INT(mie_entity_lookup("AElig", 5), 0xC6);
	CHECK_INT(mie_entity_lookup("zwnj", 4), 0x200C);
	CHECK_INT(mie_entity_lookup("Alpha", 5), 0x391);
	CHECK_INT(mie_entity_lookup("alpha", 5), 0x3B1);
	CHECK_INT(mie_entity_lookup("quot", 4), 0x22);
	CHECK_INT(mie_entity_lookup("apos", 4), 0x27);
	CHECK_INT(mie_entity_lookup("eacut", 5), 0);
	CHECK_INT(mie_entity_lookup("thetasymx", 9), 0);
	CHECK_INT(mie_entity_lookup("", 0), 0);
}

/* Correct text full of accents that the mojibake repair must never touch. */
static const char *const canary[] = {
        "À propos",
        "Œuvre",
        "São Tomé",
        "Ærø",
        "Ça coûte 3 €",
        "naïve",
        "ÂGE",
        "Ã",
        "ÉTÉ\xc2\xa0: l’été",
        "«\xc2\xa0Mineurs isolés\xc2\xa0» — accès à l’ASE",
        "Łódź, Kraków, Gdańsk, Wrocław",
        "Açores, Conceição, coração, irmãs",
        "ÀÉÈÊËÎÏÔÛÙÜŸÇŒÆ àéèêëîïôûùüÿçœæ",
        "Übersicht für Ärzte — Öffnungszeiten",
        "1ʳᵉ édition, n° 5, 12 %, ½ tarif, 3×4",
        "Ô ÂA Ã ©",
        "Смотри: Ελλάδα, 東京",
        NULL,
};

TEST(text_mojibake_canary_unchanged)
{
	for (int i = 0; canary[i]; i++) {
		CHECK_STR(dec(canary[i], "utf-8", MIE_TEXT_MOJIBAKE | MIE_TEXT_ENTITIES),
		          canary[i]);
		CHECK_STR(text_log.data, "");
	}
}

TEST(text_mojibake_repaired)
{
	static const char *const cases[][2] = {
	        {"lâ€™Ã©tÃ©", "l’été"},
	        {"Å“uvre et Å’uvre", "œuvre et Œuvre"},
	        {"3 â‚¬ â€” Â«Â\xc2\xa0ouiÂ\xc2\xa0Â»", "3 € — «\xc2\xa0oui\xc2\xa0»"},
	        {"cafÃƒÂ© (triple)", "café (triple)"},
	        {"e\xc3\x8c\xc2\x81te\xcc\x81", "été"}, /* decomposed accent, cp1252 0x81 kept */
	        {"Ã‰ducation, Ã‡a, Ã€ propos", "Éducation, Ça, À propos"},
	        {"Ã\xc2\x81"
	         "frica",
	         "África"}, /* 0x81 survived as U+0081 */
	        {"Å‚Ã³dÅº", "łódź"},
	        {"â€œcitationâ€\xc2\x9d â€¦", "“citation” …"},
	        {"Ã  propos", "Ã  propos"}, /* NBSP lost: not recoverable, left alone */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		CHECK_STR(dec(cases[i][0], "utf-8", MIE_TEXT_MOJIBAKE), cases[i][1]);
	CHECK_STR(dec("lâ€™Ã©tÃ©", NULL, MIE_TEXT_MOJIBAKE), "l’été");
	CHECK_STR(text_log.data, "double-utf8|\\xc3\\xa2\\xe2\\x82\\xac\\xe2\\x84\\xa2"
	                         "\\xc3\\x83\\xc2\\xa9\\xc3\\x83\\xc2\\xa9;");
	CHECK_STR(text_details.data, "2 double-encoded UTF-8 sequences repaired;");
	/* mojibake a latin-1 site then stored as entities */
	CHECK_STR(dec("caf&Atilde;&copy; &acirc;&euro;&trade;", "iso-8859-1",
	              MIE_TEXT_ENTITIES | MIE_TEXT_MOJIBAKE),
	          "café ’");
	CHECK_STR(text_log.data, "entity|-;double-utf8|\\xc3\\x83\\xc2\\xa9\\xc3\\xa2\\xe2\\x82"
	                         "\\xac\\xe2\\x84\\xa2;");
	/* without the flag it stays */
	CHECK_STR(dec("Ã©tÃ©", NULL, 0), "Ã©tÃ©");
	CHECK_STR(text_log.data, "");
}

TEST(text_mojibake_from_latin1_declared_dump)
{
	/* a UTF-8 site whose dump says iso-8859-1 */
	CHECK_STR(dec("l\xc3\xa9t\xc3\xa9 \xe2\x80\x99", "iso-8859-1", MIE_TEXT_MOJIBAKE),
	          "lété ’");
	CHECK_STR(text_log.data, "charset-cp1252|-;double-utf8|\\xc3\\x83\\xc2\\xa9\\xc3\\x83"
	                         "\\xc2\\xa9\\xc3\\xa2\\xe2\\x82\\xac\\xe2\\x84\\xa2;");
}

TEST(text_nfc)
{
	CHECK_STR(dec("e\xcc\x81te\xcc\x81 Ω A\xcc\x8a", NULL, 0), "été Ω Å");
	CHECK_STR(text_log.data, "nfc|-;");
	CHECK_STR(dec("\xe2\x84\xa6 ohm", NULL, 0), "\xce\xa9 ohm"); /* singleton U+2126 */
	CHECK_STR(text_log.data, "nfc|-;");
	CHECK_STR(dec("déjà ’ … € œ ł", NULL, 0), "déjà ’ … € œ ł");
	CHECK_STR(text_log.data, "");
	mie_buf out = MIE_BUF_INIT;
	mie_text_nfc(&out, "Ame\xcc\x81lie", 8);
	CHECK_STR(out.data, "Amélie");
	/* unassigned, last code point, noncharacter U+FDD0, private use, emoji:
	   kept while the rest is composed */
	const char *odd =
	        "e\xcc\x81 \xcd\xb8 \xf4\x8f\xbf\xbf \xef\xb7\x90 \xee\x80\x80 \xf0\x9f\x98\x80";
	mie_buf_reset(&out);
	mie_text_nfc(&out, odd, strlen(odd));
	CHECK_STR(out.data, "\xc3\xa9 \xcd\xb8 \xf4\x8f\xbf\xbf \xef\xb7\x90 \xee\x80\x80 "
	                    "\xf0\x9f\x98\x80");
	mie_buf_release(&out);
}

TEST(text_decode_appends_and_counts)
{
	mie_buf out = MIE_BUF_INIT;
	mie_buf_adds(&out, "titre: ");
	CHECK_INT(mie_text_decode(&out, "\xe9t\xe9\x01", 4, "utf-8", MIE_TEXT_MOJIBAKE, NULL, NULL),
	          2);
	CHECK_STR(out.data, "titre: été");
	CHECK_INT(mie_text_decode(&out, "", 0, "latin1", 0, NULL, NULL), 0);
	CHECK_STR(out.data, "titre: été");
	CHECK_INT(mie_text_clean(&out, " &amp; \xe0", 8, MIE_TEXT_ENTITIES, NULL, NULL), 2);
	CHECK_STR(out.data, "titre: été & à");
	mie_buf_release(&out);
}

TEST(text_escape_bytes)
{
	char *e = mie_rec_escape_bytes("a\\b\x00\xff~\x7f\n", 8);
	CHECK_STR(e, "a\\\\b\\x00\\xff~\\x7f\\x0a");
	free(e);
	e = mie_rec_escape_bytes("", 0);
	CHECK_STR(e, "");
	free(e);
}

TEST(text_cp1252_table_total_and_inverse)
{
	CHECK_INT(mie_cp1252_to_ucs(0x80), 0x20AC);
	CHECK_INT(mie_cp1252_to_ucs(0x9C), 0x153);
	CHECK_INT(mie_cp1252_to_ucs(0x8D), 0x8D);
	CHECK_INT(mie_cp1252_to_ucs(0xE9), 0xE9);
	for (int b = 0; b < 256; b++)
		CHECK_INT(mie_cp1252_from_ucs(mie_cp1252_to_ucs((unsigned char)b)), b);
	CHECK_INT(mie_cp1252_from_ucs(0x92), 0x92); /* latin-1 view of C1 */
	CHECK_INT(mie_cp1252_from_ucs(0x141), -1);
}

/* ---- property: what a SPIP site stored decodes back to what was typed ---- */

/* The characters typed, with what a latin-1 site may store for each: its
 * windows-1252 byte, a named entity (from an older editor), a numeric
 * reference (from the browser).  NULL where a site never has it. */
static const struct typed {
	const char *utf8;
	unsigned char byte;
	const char *named;
	const char *numeric;
} typed[] = {
        {"é", 0xE9, "&eacute;", "&#233;"},
        {"è", 0xE8, "&egrave;", "&#232;"},
        {"à", 0xE0, "&agrave;", "&#224;"},
        {"ç", 0xE7, "&ccedil;", "&#231;"},
        {"ù", 0xF9, "&ugrave;", "&#249;"},
        {"ê", 0xEA, "&ecirc;", "&#xEA;"},
        {"î", 0xEE, "&icirc;", "&#238;"},
        {"ô", 0xF4, "&ocirc;", "&#244;"},
        {"û", 0xFB, "&ucirc;", "&#251;"},
        {"ë", 0xEB, "&euml;", "&#235;"},
        {"ï", 0xEF, "&iuml;", "&#239;"},
        {"É", 0xC9, "&Eacute;", "&#201;"},
        {"À", 0xC0, "&Agrave;", "&#192;"},
        {"Ç", 0xC7, "&Ccedil;", "&#199;"},
        {"«", 0xAB, "&laquo;", "&#171;"},
        {"»", 0xBB, "&raquo;", "&#187;"},
        {"\xc2\xa0", 0xA0, "&nbsp;", "&#160;"},
        {"°", 0xB0, "&deg;", "&#176;"},
        {"œ", 0x9C, "&oelig;", "&#339;"},
        {"Œ", 0x8C, "&OElig;", "&#338;"},
        {"€", 0x80, "&euro;", "&#8364;"},
        {"’", 0x92, "&rsquo;", "&#8217;"},
        {"“", 0x93, "&ldquo;", "&#x201C;"},
        {"”", 0x94, "&rdquo;", "&#8221;"},
        {"…", 0x85, "&hellip;", "&#8230;"},
        {"–", 0x96, "&ndash;", "&#8211;"},
        {"—", 0x97, "&mdash;", "&#8212;"},
        {"ł", 0, NULL, "&#322;"},
        {"ő", 0, NULL, "&#x151;"},
        {"a", 'a', NULL, NULL},
        {"Z", 'Z', NULL, NULL},
        {" ", ' ', NULL, NULL},
        {"'", '\'', "&apos;", "&#39;"},
        {"&", '&', "&amp;", "&#38;"},
        {"\n", '\n', NULL, NULL},
};

static uint32_t rng_next(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Stores one typed character as a latin-1 (latin1 = 1) or UTF-8 site would. */
static void store(mie_buf *b, const struct typed *t, int latin1, uint32_t r)
{
	int how = (int)(r % 4); /* 0-1 plain, 2 named, 3 numeric */
	if (t->utf8[0] == '&' && !how)
		how = 2; /* a lone '&' before "amp;" would be read as an entity */
	if ((how == 2 && t->named) || (how == 3 && t->numeric) || (latin1 && !t->byte && (how = 3)))
		mie_buf_adds(b, how == 2 ? t->named : t->numeric);
	else if (t->utf8[0] == '&')
		mie_buf_adds(b, "&amp;");
	else if (latin1)
		mie_buf_addc(b, t->byte);
	else
		mie_buf_adds(b, t->utf8);
}

/* Only these repairs are expected from text a site stored correctly. */
static bool only_rule_repairs(const char *log)
{
	for (const char *p = log; *p;) {
		if (strncmp(p, "charset-cp1252|-;", 17) == 0)
			p += 17;
		else if (strncmp(p, "entity|-;", 9) == 0)
			p += 9;
		else
			return false;
	}
	return true;
}

TEST(text_property_site_storage_round_trip)
{
	const size_t ntyped = sizeof typed / sizeof *typed;
	uint32_t seed = 20061205;
	mie_buf want = MIE_BUF_INIT, stored = MIE_BUF_INIT;
	for (int round = 0; round < 3000; round++) {
		int latin1 = round & 1;
		size_t len = rng_next(&seed) % 40;
		mie_buf_reset(&want);
		mie_buf_reset(&stored);
		for (size_t i = 0; i < len; i++) {
			const struct typed *t = &typed[rng_next(&seed) % ntyped];
			mie_buf_adds(&want, t->utf8);
			store(&stored, t, latin1, rng_next(&seed));
		}
		const char *got = dec(stored.data, latin1 ? "iso-8859-1" : "utf-8",
		                      MIE_TEXT_ENTITIES | MIE_TEXT_MOJIBAKE);
		if (strcmp(got, want.data) != 0 || !only_rule_repairs(text_log.data))
			printf("  round %d, stored \"%s\"\n", round, stored.data);
		CHECK_STR(got, want.data);
		CHECK(only_rule_repairs(text_log.data));
	}
	mie_buf_release(&want);
	mie_buf_release(&stored);
}

TEST(text_nfc_after_entities_and_charsets)
{
	/* a combining accent written as a reference still composes */
	CHECK_STR(dec("e&#769;t&#x65;&#x301;", NULL, MIE_TEXT_ENTITIES), "été");
	CHECK_STR(text_log.data, "entity|-;nfc|-;");
	/* and one that came through iconv (ISO-8859-15 has no combining marks,
	   UTF-16 does) */
	CHECK_STR(decn("e\x00\x01\x03", 4, "UTF-16LE", 0), "é");
	CHECK_STR(text_log.data, "nfc|-;");
}

/* Whatever the bytes, the output is record text that needs no repair. */
TEST(text_random_bytes_give_record_text)
{
	static const char *const charsets[] = {"utf-8",      "iso-8859-1", "windows-1252",
	                                       "ISO-8859-7", "UTF-16LE",   "SHIFT_JIS"};
	static const char pieces[][10] = {"&#",   "&eacute;", "\xc3",     "\x83", "\xc2", "\xcc",
	                                  "\x81", "\xe2\x80", "\xef\xbf", ";",    "x",    "1"};
	uint32_t seed = 1842;
	mie_buf in = MIE_BUF_INIT, again = MIE_BUF_INIT;
	for (int round = 0; round < 4000; round++) {
		mie_buf_reset(&in);
		size_t len = rng_next(&seed) % 48;
		for (size_t i = 0; i < len; i++) {
			uint32_t r = rng_next(&seed);
			if (r & 1)
				mie_buf_addc(&in, (int)(r >> 8 & 0xFF));
			else
				mie_buf_adds(&in, pieces[(r >> 8) % 12]);
		}
		const char *cs = charsets[round % 6];
		mie_buf out = MIE_BUF_INIT;
		mie_text_decode(&out, in.data, in.len, cs, round & 0xF, NULL, NULL);
		CHECK_INT(mie_text_check(out.data, out.len, NULL), -1);
		mie_buf_reset(&again);
		CHECK_INT(mie_text_decode(&again, out.data, out.len, NULL, 0, NULL, NULL), 0);
		CHECK(again.len == out.len && memcmp(again.data, out.data, out.len) == 0);
		mie_buf_release(&out);
	}
	mie_buf_release(&in);
	mie_buf_release(&again);
}

TEST(text_c1_controls_read_as_cp1252)
{
	/* windows-1252 text once converted to UTF-8 as latin-1 */
	CHECK_STR(dec("l\xc2\x92\xc3\xa9t\xc3\xa9 \xc2\x80 \xc2\x9c"
	              "a",
	              "utf-8", 0),
	          "l’été € œa");
	CHECK_STR(text_log.data, "c1-cp1252|\\xc2\\x92\\xc2\\x80\\xc2\\x9c;");
	CHECK_STR(text_details.data,
	          "3 characters U+0080-U+009F read as windows-1252, first at byte 1;");
	/* the five windows-1252 leaves undefined stay, silently */
	CHECK_STR(dec("a\xc2\x81"
	              "b\xc2\x9d",
	              "utf-8", 0),
	          "a\xc2\x81"
	          "b\xc2\x9d");
	CHECK_STR(text_log.data, "");
	/* a lead byte cut short at the very end is an invalid run */
	CHECK_STR(decn("ab\xc2", 3, "utf-8", 0), "abÂ");
	CHECK_STR(text_log.data, "invalid-utf8|\\xc2;");
}

TEST(text_set_records_repairs_in_provenance)
{
	json_t *rec = mie_rec_new("article", "infomie.net:article:78");
	mie_loc loc = {"dump.xml", NULL, 1842};
	json_t *prov = mie_rec_add_provenance(rec, "spip-dump", &loc, "iso-8859-1");
	const char *title = "L\x92"
	                    "acc\xe8s \xe0 l\x81\xe9"
	                    "cole";
	CHECK_INT(mie_text_set(rec, "title", prov, NULL, title, strlen(title), "iso-8859-1",
	                       MIE_TEXT_ONE_LINE),
	          2);
	CHECK_STR(mie_rec_str(rec, "title"), "L’accès à l\xc2\x81"
	                                     "école");
	json_t *text = json_object();
	json_object_set_new(rec, "text", text);
	CHECK_INT(mie_text_set(text, "spip", prov, "text.spip", "&eacute;t&eacute;", 17, "utf-8",
	                       MIE_TEXT_ENTITIES),
	          1);
	CHECK_STR(mie_rec_str(text, "spip"), "été");
	char *dump = json_dumps(json_object_get(prov, "repairs"), JSON_COMPACT);
	CHECK_STR(dump, "[{\"kind\":\"charset-cp1252\",\"path\":\"title\",\"detail\":\"1 byte "
	                "0x80-0x9F read as windows-1252, first at byte 1\"},"
	                "{\"kind\":\"undecodable-byte\",\"path\":\"title\",\"detail\":\"1 byte "
	                "undefined in windows-1252 kept as U+0080-U+009F, first at byte 11\","
	                "\"original\":\"\\\\x81\"},"
	                "{\"kind\":\"entity\",\"path\":\"text.spip\",\"detail\":\"2 HTML entities "
	                "decoded\"}]");
	free(dump);
	/* no provenance: decoded all the same */
	CHECK_INT(mie_text_set(rec, "subtitle", NULL, NULL, "\xe9t\xe9", 3, "utf-8", 0), 1);
	CHECK_STR(mie_rec_str(rec, "subtitle"), "été");
	json_decref(rec);
}

/* Two threads decoding through iconv and entities at once get each their
 * own result (the iconv cache is per thread, the entity index built once). */
static void *decode_many(void *arg)
{
	const char *cs = arg;
	const char *in = cs[0] == 'I' ? "caf\xe9 \xa4 &eacute;"
	                              : "c\x00"
	                                "a\x00";
	size_t n = cs[0] == 'I' ? 15 : 4;
	const char *want = cs[0] == 'I' ? "café € é" : "ca";
	for (int i = 0; i < 2000; i++) {
		mie_buf out = MIE_BUF_INIT;
		mie_text_decode(&out, in, n, cs, MIE_TEXT_ENTITIES, NULL, NULL);
		int ok = strcmp(out.data, want) == 0;
		mie_buf_release(&out);
		if (!ok)
			return (void *)1;
	}
	return NULL;
}

TEST(text_threads)
{
	pthread_t t;
	CHECK_INT(pthread_create(&t, NULL, decode_many, "ISO-8859-15"), 0);
	void *mine = decode_many("UTF-16LE"), *theirs = NULL;
	CHECK_INT(pthread_join(t, &theirs), 0);
	CHECK(mine == NULL);
	CHECK(theirs == NULL);
}

TEST(text_utf16_bom_and_narrow)
{
	unsigned char out[16];
	const unsigned char le[] = {0xFF, 0xFE, '<', 0, 'r', 0, 0xE9, 0, 0x19, 0x20};
	const unsigned char be[] = {0xFE, 0xFF, 0, '<', 0, 'f'};
	CHECK_STR(mie_text_utf16_bom(le, sizeof le), "utf-16le");
	CHECK_STR(mie_text_utf16_bom(be, sizeof be), "utf-16be");
	CHECK(mie_text_utf16_bom("<rss", 4) == NULL);
	CHECK_INT(mie_text_utf16_narrow(le, sizeof le, out, sizeof out), 4);
	CHECK(memcmp(out, "<r\xE9?", 4) == 0);
	CHECK_INT(mie_text_utf16_narrow(be, sizeof be, out, 1), 1);
	CHECK(out[0] == '<');
	CHECK_INT(mie_text_utf16_narrow((const unsigned char *)"<rss", 4, out, sizeof out), 0);
}

TEST(text_slug)
{
	mie_buf b = MIE_BUF_INIT;
	mie_buf_adds(&b, "x:");
	mie_text_slug(&b, "Secours populaire français", strlen("Secours populaire français"));
	CHECK_STR(b.data, "x:secours-populaire-francais");
	mie_buf_reset(&b);
	mie_text_slug(&b, " « Scolarité » ", strlen(" « Scolarité » "));
	CHECK_STR(b.data, "scolarite");
	mie_buf_release(&b);
}

TEST(record_take_rank)
{
	static const char *const cases[][3] = {
	        {"04. Circulaire du 12 mars 2007", "Circulaire du 12 mars 2007", "4"},
	        {"2007. Bilan", "Bilan", "2007"},
	        {"4.Circulaire", "4.Circulaire", "-"},
	        {"04. ", "04. ", "-"},
	        {"1234567. Trop long", "1234567. Trop long", "-"},
	        {"Circulaire 04. bis", "Circulaire 04. bis", "-"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		json_t *r = mie_rec_new("article", "infomie.net:article:1");
		mie_rec_set_str(r, "title", cases[i][0]);
		mie_rec_take_rank(r);
		CHECK_STR(mie_rec_str(r, "title"), cases[i][1]);
		json_t *rank = json_object_get(r, "rank");
		char got[24] = "-";
		if (rank)
			snprintf(got, sizeof got, "%lld", (long long)json_integer_value(rank));
		CHECK_STR(got, cases[i][2]);
		json_decref(r);
	}
}
