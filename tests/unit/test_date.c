/* Unit tests of libcommon/text/mie_date: SPIP, French, RFC 822, W3C dates. */
#include "text/mie_date.h"
#include "mie_test.h"

static char iso[MIE_DATE_MAX];

/* Checks a table of {input, expected ISO} against a parser. */
typedef enum mie_date_status (*parse_fn)(const char *s, char out[MIE_DATE_MAX]);
static int check_cases(parse_fn parse, const char *const (*cases)[2], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		enum mie_date_status st = parse(cases[i][0], iso);
		if (st != MIE_DATE_OK || strcmp(iso, cases[i][1]) != 0 ||
		    !mie_date_valid_iso(iso)) {
			printf("  \"%s\": got %d \"%s\", want \"%s\"\n", cases[i][0], (int)st, iso,
			       cases[i][1]);
			return 0;
		}
	}
	return 1;
}

/* Checks that every string of a NULL-ended list is INVALID and leaves iso "". */
static int check_invalid(parse_fn parse, const char *const *list)
{
	for (; *list; list++) {
		enum mie_date_status st = parse(*list, iso);
		if (st != MIE_DATE_INVALID || iso[0]) {
			printf("  \"%s\": got %d \"%s\", want invalid\n", *list, (int)st, iso);
			return 0;
		}
	}
	return 1;
}

TEST(date_valid_iso)
{
	static const char *const good[] = {"2006-12-05",
	                                   "2006-12-05T14:03:00",
	                                   "2006-12-05T14:03:00Z",
	                                   "2006-12-05T14:03:00+01:00",
	                                   "2006-12-05T14:03:00-05:30",
	                                   "2004-02-29",
	                                   "2000-02-29",
	                                   "0001-01-01",
	                                   "9999-12-31T23:59:59",
	                                   "2006-12-05T00:00:00+14:00",
	                                   NULL};
	static const char *const bad[] = {"",
	                                  "2006-12-05Z",
	                                  "2006-12-05+01:00",
	                                  "2006-12-05T10:00:00+14:30",
	                                  "2006-12-05T10:00:60",
	                                  "0000-00-00",
	                                  "0000-01-01",
	                                  "2006-02-31",
	                                  "1900-02-29",
	                                  "2006-13-01",
	                                  "2006-12-00",
	                                  "2006-12-05 14:03:00",
	                                  "2006-12-05T24:00:00",
	                                  "2006-12-05T14:60:00",
	                                  "2006-12-05T14:03",
	                                  "2006-12-05T14:03:00+0100",
	                                  "2006-12-05T14:03:00+15:00",
	                                  "2006-12-5",
	                                  "06-12-05",
	                                  "2006-12-05x",
	                                  "2006-12-05T14:03:00.5Z",
	                                  "+2006-12-05",
	                                  "2006-12-05T14:03:00ZZ",
	                                  NULL};
	for (int i = 0; good[i]; i++) {
		if (!mie_date_valid_iso(good[i]))
			printf("  should be valid: %s\n", good[i]);
		CHECK(mie_date_valid_iso(good[i]));
	}
	for (int i = 0; bad[i]; i++) {
		if (mie_date_valid_iso(bad[i]))
			printf("  should be invalid: %s\n", bad[i]);
		CHECK(!mie_date_valid_iso(bad[i]));
	}
	CHECK(!mie_date_valid_iso(NULL));
}

TEST(date_valid_ymd_calendar)
{
	CHECK(mie_date_valid_ymd(2008, 2, 29));
	CHECK(!mie_date_valid_ymd(2007, 2, 29));
	CHECK(!mie_date_valid_ymd(2100, 2, 29));
	CHECK(mie_date_valid_ymd(2400, 2, 29));
	CHECK(!mie_date_valid_ymd(2006, 4, 31));
	CHECK(mie_date_valid_ymd(2006, 12, 31));
	CHECK(!mie_date_valid_ymd(0, 1, 1));
	CHECK(!mie_date_valid_ymd(10000, 1, 1));
}

TEST(date_spip)
{
	CHECK_INT(mie_date_spip("2006-12-05 14:03:00", iso), MIE_DATE_OK);
	CHECK_STR(iso, "2006-12-05T14:03:00");
	CHECK_INT(mie_date_spip(" 2006-12-05 ", iso), MIE_DATE_OK);
	CHECK_STR(iso, "2006-12-05");
	CHECK_INT(mie_date_spip("20061205140300", iso), MIE_DATE_OK);
	CHECK_STR(iso, "2006-12-05T14:03:00");
	CHECK_INT(mie_date_spip("0000-00-00 00:00:00", iso), MIE_DATE_ABSENT);
	CHECK_STR(iso, "");
	CHECK_INT(mie_date_spip("0000-00-00", iso), MIE_DATE_ABSENT);
	CHECK_INT(mie_date_spip("00000000000000", iso), MIE_DATE_ABSENT);
	CHECK_INT(mie_date_spip("", iso), MIE_DATE_ABSENT);
	CHECK_INT(mie_date_spip("2006-02-31", iso), MIE_DATE_INVALID);
	CHECK_STR(iso, "");
	CHECK_INT(mie_date_spip("2006-02-31 10:00:00", iso), MIE_DATE_INVALID);
	CHECK_INT(mie_date_spip("2006-00-00 00:00:00", iso), MIE_DATE_INVALID);
	CHECK_INT(mie_date_spip("2006-12-05 25:00:00", iso), MIE_DATE_INVALID);
	CHECK_INT(mie_date_spip("2006-12-05T14:03:00", iso), MIE_DATE_INVALID);
	CHECK_INT(mie_date_spip("hier", iso), MIE_DATE_INVALID);
	CHECK_INT(mie_date_spip("2006-12-05 14:03:00 et un tr\xc3\xa8s long reste", iso),
	          MIE_DATE_INVALID);
}

TEST(date_french_lines)
{
	static const char *const cases[][2] = {
	        {"Publié le mardi 5 décembre 2006", "2006-12-05"},
	        {"mis à jour le vendredi 23 août 2019", "2019-08-23"},
	        {"5 décembre 2006", "2006-12-05"},
	        {"1er janvier 2007", "2007-01-01"},
	        {"1ER JANVIER 2007", "2007-01-01"},
	        {"05/12/2006", "2006-12-05"},
	        {"le 5.12.2006", "2006-12-05"},
	        {"PUBLIE LE MARDI 5 DECEMBRE 2006", "2006-12-05"},
	        {"Publie le 23 aout 2019", "2019-08-23"},
	        {"MIS À JOUR LE 23 AOÛT 2019", "2019-08-23"},
	        {"14 févr. 2008", "2008-02-14"},
	        {"3\xc2\xa0"
	         "fevrier\xc2\xa0"
	         "2008",
	         "2008-02-03"},
	        {"Dernier ajout – mardi 5 décembre 2006.", "2006-12-05"},
	        {"Publié le 5 décembre 2006 à 14h03", "2006-12-05T14:03:00"},
	        {"5 décembre 2006, 09:30, par Marie", "2006-12-05T09:30:00"},
	        {"mardi 5 décembre 2006 à 14 h 05", "2006-12-05T14:05:00"},
	        {"article 78 : 12 juillet 2010", "2010-07-12"},
	        {"29 février 2008", "2008-02-29"},
	        {"5 décembre 2006\xc2\xa0"
	         "14:03, par Lucie",
	         "2006-12-05T14:03:00"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *s = cases[i][0];
		CHECK_INT(mie_date_french(s, strlen(s), iso, NULL), MIE_DATE_OK);
		CHECK_STR(iso, cases[i][1]);
	}
}

TEST(date_french_absent_invalid_and_next)
{
	const char *none[] = {
	        "",           "Accueil du site",     "en 2006",       "le 5 du mois",
	        "2006-12-05", "12345 décembre 2006", "5 décembre 06", "article78 décembre 2006",
	        NULL};
	for (int i = 0; none[i]; i++) {
		if (mie_date_french(none[i], strlen(none[i]), iso, NULL) != MIE_DATE_ABSENT)
			printf("  should have no date: %s\n", none[i]);
		CHECK_INT(mie_date_french(none[i], strlen(none[i]), iso, NULL), MIE_DATE_ABSENT);
	}
	const char *s = "31 février 2006";
	CHECK_INT(mie_date_french(s, strlen(s), iso, NULL), MIE_DATE_INVALID);
	CHECK_INT(mie_date_french("32/12/2006", 10, iso, NULL), MIE_DATE_INVALID);
	s = "Publié le 5 décembre 2006, mis à jour le 23 août 2019";
	size_t end = 0, n = strlen(s);
	CHECK_INT(mie_date_french(s, n, iso, &end), MIE_DATE_OK);
	CHECK_STR(iso, "2006-12-05");
	CHECK_INT(end, strlen("Publié le 5 décembre 2006"));
	CHECK_INT(mie_date_french(s + end, n - end, iso, &end), MIE_DATE_OK);
	CHECK_STR(iso, "2019-08-23");
	/* only n bytes are read */
	CHECK_INT(mie_date_french("5 décembre 2006", 8, iso, &end), MIE_DATE_ABSENT);
	CHECK_INT(end, 8);
}

TEST(date_rfc822)
{
	static const char *const cases[][2] = {
	        {"Tue, 05 Dec 2006 14:03:00 +0100", "2006-12-05T14:03:00+01:00"},
	        {"Tue, 05 Dec 2006 13:03:00 GMT", "2006-12-05T13:03:00Z"},
	        {"5 Dec 2006 13:03 UT", "2006-12-05T13:03:00Z"},
	        {"Fri, 23 Aug 2019 10:00:00 -0000", "2019-08-23T10:00:00Z"},
	        {"Fri, 23 Aug 2019 10:00:00 -0430", "2019-08-23T10:00:00-04:30"},
	        {"Fri, 23 Aug 2019 10:00:00 EDT", "2019-08-23T10:00:00-04:00"},
	        {"Fri, 23 Aug 2019 10:00:00 CEST", "2019-08-23T10:00:00+02:00"},
	        {"  tue,  5 dec 06 14:03:00 +0100 ", "2006-12-05T14:03:00+01:00"},
	        {"Sun, 31 Dec 1995 23:59:59", "1995-12-31T23:59:59"},
	        {"05 December 2006", "2006-12-05"},
	};
	CHECK(check_cases(mie_date_rfc822, cases, sizeof cases / sizeof *cases));
	CHECK_INT(mie_date_rfc822(" ", iso), MIE_DATE_ABSENT);
	static const char *const invalid[] = {"Tue, 31 Feb 2006 10:00:00 GMT",
	                                      "Tue, 05 Dex 2006 10:00:00 GMT",
	                                      "Tue 05 Dec 2006",
	                                      "Tue, 05 Dec 2006 10:00:00 +0100 junk",
	                                      "Tue, 05 Dec 2006 25:00:00 GMT",
	                                      "2006-12-05",
	                                      "Tue, 05 Dec 206 10:00:00 GMT",
	                                      "05 Dec 2006 GMT",
	                                      NULL};
	CHECK(check_invalid(mie_date_rfc822, invalid));
}

TEST(date_w3c)
{
	static const char *const cases[][2] = {
	        {"2019-08-23T10:00:00Z", "2019-08-23T10:00:00Z"},
	        {"2006-12-05T14:03+01:00", "2006-12-05T14:03:00+01:00"},
	        {"2019-08-23T10:00:00.250Z", "2019-08-23T10:00:00Z"},
	        {"2006-12-05", "2006-12-05"},
	        {" 2006-12-05T14:03:00+0100\n", "2006-12-05T14:03:00+01:00"},
	        {"2006-12-05T14:03:00", "2006-12-05T14:03:00"},
	};
	CHECK(check_cases(mie_date_w3c, cases, sizeof cases / sizeof *cases));
	CHECK_INT(mie_date_w3c("", iso), MIE_DATE_ABSENT);
	static const char *const invalid[] = {
	        "2006-12",       "2006", "2006-02-30T10:00:00Z", "2006-12-05T10:00:00.Z",
	        "2006-12-05T10", NULL};
	CHECK(check_invalid(mie_date_w3c, invalid));
}

TEST(date_partial)
{
	static const char *const cases[][3] = {
	        {"2008", "2008-01-01", "year"},           {" mai 2008 ", "2008-05-01", "month"},
	        {"Décembre 2006", "2006-12-01", "month"}, {"05/2008", "2008-05-01", "month"},
	        {"févr. 2007", "2007-02-01", "month"},
	};
	const char *what;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		CHECK_INT(mie_date_partial(cases[i][0], iso, &what), MIE_DATE_OK);
		CHECK_STR(iso, cases[i][1]);
		CHECK_STR(what, cases[i][2]);
	}
	static const char *const bad[] = {"vers 2008", "2008-05-12", "13/2008",   "mai",
	                                  "20080",     "",           "2008 env.", NULL};
	for (const char *const *b = bad; *b; b++) {
		CHECK_INT(mie_date_partial(*b, iso, &what), MIE_DATE_INVALID);
		CHECK_STR(iso, "");
		CHECK(what == NULL);
	}
}
