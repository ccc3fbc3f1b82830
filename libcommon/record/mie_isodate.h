/* mie_isodate.h — the schema v1 date form: what a record's date is.
 *
 * "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" optionally followed by "Z" or
 * "±HH:MM" (up to ±14:00), a real calendar date with year 1..9999 — what
 * the XSD and the JSON Schema of schemas/ accept, plus the calendar check.
 * The record layer owns it (the schema checks it); the legacy date readers
 * of text/mie_date.h fill a mie_isodate with the lexing helpers below and
 * write it with mie_isodate_format, so there is one validity rule and one
 * writer.  Pure functions, no locale, no allocation. */
#ifndef MIE_ISODATE_H
#define MIE_ISODATE_H

#include <stdbool.h>
#include <stddef.h>

#define MIE_DATE_MAX 32

enum mie_date_status {
	MIE_DATE_OK = 0,      /* iso holds the date */
	MIE_DATE_ABSENT = 1,  /* the source says "no date" (empty, 0000-00-00...) */
	MIE_DATE_INVALID = 2, /* looks like a date but is not a real one, or garbage */
};

enum mie_isodate_tz { MIE_TZ_NONE, MIE_TZ_UTC, MIE_TZ_OFFSET };

/* A date being read (caller-owned; fields out of range until
 * mie_isodate_valid says they are not). */
typedef struct mie_isodate {
	int y, mo, d;
	bool has_time;
	int h, mi, s;
	enum mie_isodate_tz tz;
	int off; /* minutes east of UTC */
} mie_isodate;

/* True when s is a schema v1 date (see above). */
bool mie_date_valid_iso(const char *s);

/* Real calendar date?  (Gregorian, year 1..9999.) */
bool mie_date_valid_ymd(int y, int m, int d);

/* The calendar, the time and the zone of t in range. */
bool mie_isodate_valid(const mie_isodate *t);

/* Writes t in the schema form into the caller's iso (always
 * NUL-terminated, "" unless MIE_DATE_OK); MIE_DATE_INVALID when
 * !mie_isodate_valid(t).  A zone without a time is dropped. */
enum mie_date_status mie_isodate_format(const mie_isodate *t, char iso[MIE_DATE_MAX]);

/* The ISO forms at s, whole: strict (loose false) is the schema's, loose
 * is W3C-DTF (seconds and fraction optional, "+HHMM" zones).  t is
 * cleared first; the calendar is not checked (mie_isodate_valid). */
bool mie_isodate_parse(const char *s, mie_isodate *t, bool loose);

/* Lexing helpers on a NUL-terminated string; each advances *p past what
 * it took and leaves it where it was when it fails. */
static inline bool mie_isodate_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The value of exactly n digits at *p, or -1. */
int mie_isodate_digits(const char **p, int n);
/* Takes c at *p. */
bool mie_isodate_char(const char **p, char c);
/* p past spaces, tabs and line ends. */
const char *mie_isodate_skip_space(const char *p);
/* "YYYY-MM-DD" at *p. */
bool mie_isodate_ymd(const char **p, mie_isodate *t);
/* "HH:MM[:SS]" at *p; seconds required unless opt_sec; sets has_time. */
bool mie_isodate_hms(const char **p, mie_isodate *t, bool opt_sec);
/* "Z", "±HH:MM" or (when loose) "±HHMM" at *p. */
bool mie_isodate_zone(const char **p, mie_isodate *t, bool loose);

#endif
