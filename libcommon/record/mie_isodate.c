/* mie_isodate.c — the schema v1 date form (see mie_isodate.h). */
#include <string.h>

#include "record/mie_isodate.h"

bool mie_date_valid_ymd(int y, int m, int d)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

bool mie_isodate_valid(const mie_isodate *t)
{
	if (!mie_date_valid_ymd(t->y, t->mo, t->d))
		return false;
	if (t->has_time &&
	    (t->h < 0 || t->h > 23 || t->mi < 0 || t->mi > 59 || t->s < 0 || t->s > 59))
		return false;
	return t->tz != MIE_TZ_OFFSET || (t->off >= -14 * 60 && t->off <= 14 * 60);
}

/* Writes v (0 <= v < 10^width) in width digits, zero-padded, then c;
 * returns the end. */
static char *digits(char *p, int v, int width, char c)
{
	for (int i = width - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	p[width] = c;
	return p + width + 1;
}

/* YYYY-MM-DD[Thh:mm:ss[Z|±hh:mm]]: at most 26 bytes with its NUL, within
 * MIE_DATE_MAX; every field is in range once mdate_valid holds (a time is
 * checked where it is parsed). */
enum mie_date_status mie_isodate_format(const mie_isodate *t, char iso[MIE_DATE_MAX])
{
	iso[0] = '\0';
	if (!mie_isodate_valid(t))
		return MIE_DATE_INVALID;
	char *p = digits(iso, t->y, 4, '-');
	p = digits(p, t->mo, 2, '-');
	p = digits(p, t->d, 2, '\0');
	if (!t->has_time) /* a zone without a time says nothing: dropped */
		return MIE_DATE_OK;
	p[-1] = 'T';
	p = digits(p, t->h, 2, ':');
	p = digits(p, t->mi, 2, ':');
	p = digits(p, t->s, 2, '\0');
	if (t->tz == MIE_TZ_UTC) {
		p[-1] = 'Z';
		*p = '\0';
	} else if (t->tz == MIE_TZ_OFFSET) {
		int a = t->off < 0 ? -t->off : t->off;
		p[-1] = t->off < 0 ? '-' : '+';
		p = digits(p, a / 60, 2, ':');
		digits(p, a % 60, 2, '\0');
	}
	return MIE_DATE_OK;
}

/* Value of exactly n digits at *p (advanced), or -1 (p unchanged). */
int mie_isodate_digits(const char **p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!mie_isodate_is_digit((*p)[i]))
			return -1;
		v = v * 10 + (*p)[i] - '0';
	}
	*p += n;
	return v;
}

bool mie_isodate_char(const char **p, char c)
{
	if (**p != c)
		return false;
	++*p;
	return true;
}

const char *mie_isodate_skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* "YYYY-MM-DD" at *p. */
bool mie_isodate_ymd(const char **p, mie_isodate *t)
{
	const char *q = *p;
	t->y = mie_isodate_digits(&q, 4);
	if (t->y < 0 || !mie_isodate_char(&q, '-') || (t->mo = mie_isodate_digits(&q, 2)) < 0 ||
	    !mie_isodate_char(&q, '-') || (t->d = mie_isodate_digits(&q, 2)) < 0)
		return false;
	*p = q;
	return true;
}

/* "HH:MM[:SS]" at *p; seconds required unless opt_sec. */
bool mie_isodate_hms(const char **p, mie_isodate *t, bool opt_sec)
{
	const char *q = *p;
	if ((t->h = mie_isodate_digits(&q, 2)) < 0 || !mie_isodate_char(&q, ':') ||
	    (t->mi = mie_isodate_digits(&q, 2)) < 0)
		return false;
	t->s = 0;
	if (mie_isodate_char(&q, ':')) {
		if ((t->s = mie_isodate_digits(&q, 2)) < 0)
			return false;
	} else if (!opt_sec) {
		return false;
	}
	t->has_time = true;
	*p = q;
	return true;
}

/* "Z", "±HH:MM" or (when loose) "±HHMM" at *p. */
bool mie_isodate_zone(const char **p, mie_isodate *t, bool loose)
{
	const char *q = *p;
	if (mie_isodate_char(&q, 'Z')) {
		t->tz = MIE_TZ_UTC;
		*p = q;
		return true;
	}
	int sign = *q == '+' ? 1 : *q == '-' ? -1 : 0;
	if (!sign)
		return false;
	q++;
	int h = mie_isodate_digits(&q, 2), m;
	if (h < 0)
		return false;
	if (mie_isodate_char(&q, ':') || loose)
		m = mie_isodate_digits(&q, 2);
	else
		return false;
	if (m < 0 || m > 59)
		return false;
	t->tz = MIE_TZ_OFFSET;
	t->off = sign * (h * 60 + m);
	*p = q;
	return true;
}

/* The ISO forms: strict is the schema's, loose is W3C-DTF (seconds and
 * fraction optional, "+HHMM" zones). */
bool mie_isodate_parse(const char *s, mie_isodate *t, bool loose)
{
	const char *p = s;
	memset(t, 0, sizeof *t);
	if (!mie_isodate_ymd(&p, t))
		return false;
	if (!mie_isodate_char(&p, 'T'))
		return *p == '\0'; /* a zone needs a time (xs:date of the XSD has none) */
	if (!mie_isodate_hms(&p, t, loose))
		return false;
	if (loose && *p == '.' && mie_isodate_is_digit(p[1]))
		for (p++; mie_isodate_is_digit(*p);)
			p++;
	if (*p && !mie_isodate_zone(&p, t, loose))
		return false;
	return *p == '\0';
}

bool mie_date_valid_iso(const char *s)
{
	mie_isodate t;
	return s && mie_isodate_parse(s, &t, false) && mie_isodate_valid(&t);
}
