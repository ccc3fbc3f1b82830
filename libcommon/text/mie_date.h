/* mie_date.h — legacy dates to the schema v1 date form.
 *
 * The schema's date form is defined in record/mie_isodate.h.  Every parser
 * here writes that form into a caller-owned char[MIE_DATE_MAX] (always
 * NUL-terminated; left "" unless MIE_DATE_OK) and keeps what the source says: a date stays a date,
 * a local time stays local (SPIP datetimes are naive server time), an offset is kept as an offset.
 * Pure functions, no locale, no allocation. */
#ifndef MIE_DATE_H
#define MIE_DATE_H

#include <stdbool.h>
#include <stddef.h>

#include "record/mie_isodate.h" /* MIE_DATE_MAX, the status, the form itself */

/* SPIP/MySQL datetime: "2006-12-05 14:03:00" → "2006-12-05T14:03:00",
 * "2006-12-05" → "2006-12-05", MySQL 4.0 TIMESTAMP "20061205140300" →
 * "2006-12-05T14:03:00"; "", "0000-00-00", "0000-00-00 00:00:00",
 * "00000000000000" → ABSENT; "2006-02-31" → INVALID.  Surrounding
 * whitespace is ignored. */
enum mie_date_status mie_date_spip(const char *s, char iso[MIE_DATE_MAX]);

/* First French date in the n bytes of UTF-8 text s (entities already
 * decoded): "Publié le mardi 5 décembre 2006", "mis à jour le vendredi 23
 * août 2019", "1er janvier 2007", "5 déc. 2006", "05/12/2006", with or
 * without accents, any case; a following time ("à 14h03", "14:03") is
 * kept.  *end (may be NULL) receives the offset just past the date, to look
 * for the next one.  Returns OK, ABSENT when there is no date, INVALID for
 * "31 février 2006". */
enum mie_date_status mie_date_french(const char *s, size_t n, char iso[MIE_DATE_MAX], size_t *end);

/* A date with no day, as bibliographies give them: "2008" → "2008-01-01"
 * (*what = "year"), "mai 2008" or "05/2008" → "2008-05-01" (*what =
 * "month"), surrounding white space ignored; the schema's date form needs
 * a day, so the first one is written and the caller records what the
 * source said.  Returns OK, or INVALID for anything else (*what = NULL). */
enum mie_date_status mie_date_partial(const char *s, char iso[MIE_DATE_MAX], const char **what);

/* RFC 822/2822 date of RSS: "Tue, 05 Dec 2006 14:03:00 +0100" →
 * "2006-12-05T14:03:00+01:00"; "GMT"/"UT"/"Z" → "Z"; US zones (EST...) to
 * their offsets; an unknown zone leaves the time local; two-digit years are
 * 19xx from 50 up, else 20xx.  The weekday is not checked. */
enum mie_date_status mie_date_rfc822(const char *s, char iso[MIE_DATE_MAX]);

/* W3C-DTF / ISO 8601 of WARC-Date, dc:date and Atom: "2019-08-23T10:00:00Z",
 * "2006-12-05T14:03+01:00" (seconds added), "2019-08-23T10:00:00.25Z"
 * (fraction dropped), "2006-12-05"; also "2006-12" and "2006" are
 * INVALID (no day). */
enum mie_date_status mie_date_w3c(const char *s, char iso[MIE_DATE_MAX]);

#endif
