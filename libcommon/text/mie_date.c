/* mie_date.c — SPIP, French, RFC 822 and W3C dates to the schema form.
 *
 * Every parser fills one mie_isodate (record/mie_isodate.h) and hands it to
 * mie_isodate_format, which checks the calendar: one validity rule, one
 * writer. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "text/mie_date.h"
#include "core/mie_buf.h"

/* Copies s without its surrounding whitespace into z[cap]; returns the
 * length, or -1 when it does not fit (no date is that long). */
static long trimmed_copy(const char *s, char *z, size_t cap)
{
	s = mie_isodate_skip_space(s);
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (n >= cap)
		return -1;
	memcpy(z, s, n);
	z[n] = '\0';
	return (long)n;
}

enum mie_date_status mie_date_w3c(const char *s, char iso[MIE_DATE_MAX])
{
	mie_isodate t;
	char z[64];
	iso[0] = '\0';
	long n = trimmed_copy(s, z, sizeof z);
	if (!n)
		return MIE_DATE_ABSENT;
	if (n < 0 || !mie_isodate_parse(z, &t, true))
		return MIE_DATE_INVALID;
	return mie_isodate_format(&t, iso);
}

/* ---- SPIP / MySQL ---- */

static bool all_zero_digits(const char *s)
{
	for (; *s; s++)
		if (*s != '0' && *s != '-' && *s != ':' && *s != ' ')
			return false;
	return true;
}

enum mie_date_status mie_date_spip(const char *s, char iso[MIE_DATE_MAX])
{
	char z[40];
	mie_isodate t;
	iso[0] = '\0';
	long n = trimmed_copy(s, z, sizeof z);
	if (n < 0)
		return MIE_DATE_INVALID;
	if (all_zero_digits(z))
		return MIE_DATE_ABSENT;
	memset(&t, 0, sizeof t);
	const char *p = z;
	if (n == 14) { /* MySQL 4.0 TIMESTAMP: YYYYMMDDHHMMSS */
		t.has_time = true;
		if ((t.y = mie_isodate_digits(&p, 4)) < 0 ||
		    (t.mo = mie_isodate_digits(&p, 2)) < 0 ||
		    (t.d = mie_isodate_digits(&p, 2)) < 0 ||
		    (t.h = mie_isodate_digits(&p, 2)) < 0 ||
		    (t.mi = mie_isodate_digits(&p, 2)) < 0 || (t.s = mie_isodate_digits(&p, 2)) < 0)
			return MIE_DATE_INVALID;
		return mie_isodate_format(&t, iso);
	}
	if (!mie_isodate_ymd(&p, &t))
		return MIE_DATE_INVALID;
	if (mie_isodate_char(&p, ' ') && !mie_isodate_hms(&p, &t, false))
		return MIE_DATE_INVALID;
	return *p ? MIE_DATE_INVALID : mie_isodate_format(&t, iso);
}

/* ---- words: month names, zones ---- */

/* Index of the name matching the n letters at w (ASCII, case-insensitive),
 * or -1. */
static int word_index(const char *w, size_t n, const char *const *names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(names[i]) == n && strncasecmp(w, names[i], n) == 0)
			return (int)i;
	return -1;
}

static int english_month(const char *w, size_t n)
{
	static const char *const m[] = {"jan", "feb", "mar", "apr", "may", "jun",
	                                "jul", "aug", "sep", "oct", "nov", "dec"};
	return n >= 3 ? word_index(w, 3, m, 12) + 1 : 0;
}

/* Offset in minutes of an RFC 822 zone name; false when unknown. */
static bool named_zone(const char *w, size_t n, mie_isodate *t)
{
	static const char *const names[] = {"gmt", "ut",  "utc", "z",   "est", "edt", "cst",
	                                    "cdt", "mst", "mdt", "pst", "pdt", "cet", "cest"};
	static const int hours[] = {0, 0, 0, 0, -5, -4, -6, -5, -7, -6, -8, -7, 1, 2};
	int i = word_index(w, n, names, sizeof names / sizeof *names);
	if (i < 0)
		return false;
	t->tz = i < 4 ? MIE_TZ_UTC : MIE_TZ_OFFSET;
	t->off = hours[i] * 60;
	return true;
}

static bool is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static size_t letters(const char *p)
{
	size_t n = 0;
	while (is_alpha((unsigned char)p[n]))
		n++;
	return n;
}

/* 1 to max digits at *p. */
static int take_number(const char **p, int max)
{
	int v = 0, k = 0;
	while (k < max && mie_isodate_is_digit((*p)[k]))
		v = v * 10 + (*p)[k++] - '0';
	if (!k || mie_isodate_is_digit((*p)[k]))
		return -1;
	*p += k;
	return v;
}

enum mie_date_status mie_date_rfc822(const char *s, char iso[MIE_DATE_MAX])
{
	mie_isodate t;
	memset(&t, 0, sizeof t);
	iso[0] = '\0';
	const char *p = mie_isodate_skip_space(s);
	if (!*p)
		return MIE_DATE_ABSENT;
	size_t k = letters(p);
	if (k) { /* weekday */
		p = mie_isodate_skip_space(p + k);
		if (!mie_isodate_char(&p, ','))
			return MIE_DATE_INVALID;
		p = mie_isodate_skip_space(p);
	}
	if ((t.d = take_number(&p, 2)) < 0)
		return MIE_DATE_INVALID;
	p = mie_isodate_skip_space(p);
	k = letters(p);
	if (!(t.mo = english_month(p, k)))
		return MIE_DATE_INVALID;
	p = mie_isodate_skip_space(p + k);
	const char *y = p;
	if ((t.y = take_number(&p, 4)) < 0)
		return MIE_DATE_INVALID;
	if (p - y == 2)
		t.y += t.y >= 50 ? 1900 : 2000;
	else if (p - y != 4)
		return MIE_DATE_INVALID;
	p = mie_isodate_skip_space(p);
	if (*p && !mie_isodate_hms(&p, &t, true))
		return MIE_DATE_INVALID;
	p = mie_isodate_skip_space(p);
	if ((k = letters(p)) && named_zone(p, k, &t))
		p += k;
	else if (*p == '+' || *p == '-')
		if (!mie_isodate_zone(&p, &t, true))
			return MIE_DATE_INVALID;
	if (t.tz == MIE_TZ_OFFSET && t.off == 0)
		t.tz = MIE_TZ_UTC; /* "+0000", and "-0000" (UTC, local zone unknown) */
	return *mie_isodate_skip_space(p) ? MIE_DATE_INVALID : mie_isodate_format(&t, iso);
}

/* ---- French ---- */

/* Folds the character at s[*i] to a lowercase ASCII letter, digit or
 * other ASCII byte: accented Latin letters lose their accent; any other
 * non-ASCII character gives 0x80.  Advances *i. */
static int fold_next(const unsigned char *s, size_t n, size_t *i)
{
	unsigned c = s[*i];
	if (c < 0x80) {
		++*i;
		return c >= 'A' && c <= 'Z' ? (int)c + 32 : (int)c;
	}
	if (c == 0xC3 && *i + 1 < n && s[*i + 1] >= 0x80 && s[*i + 1] < 0xC0) {
		/* U+00C0-U+00FF, upper and lower case alike */
		static const char base[32] = "aaaaaaaceeeeiiiidnooooo/ouuuuyts";
		*i += 2;
		int b = base[s[*i - 1] & 0x1F];
		return b == '/' ? 0x80 : b;
	}
	++*i;
	while (*i < n && (s[*i] & 0xC0) == 0x80)
		++*i;
	return 0x80;
}

/* Folded letters of the word at s[*i] into w (at most cap-1, NUL-ended). */
static size_t fold_word(const unsigned char *s, size_t n, size_t *i, char *w, size_t cap)
{
	size_t k = 0, j = *i;
	while (j < n) {
		size_t at = j;
		int c = fold_next(s, n, &j);
		if (c < 'a' || c > 'z' || k + 1 >= cap) {
			j = at;
			break;
		}
		w[k++] = (char)c;
	}
	w[k] = '\0';
	*i = j;
	return k;
}

static int french_month(const char *w)
{
	static const char *const full[] = {"janvier",   "fevrier", "mars",     "avril",
	                                   "mai",       "juin",    "juillet",  "aout",
	                                   "septembre", "octobre", "novembre", "decembre"};
	static const char *const abbr[] = {"janv", "fevr", "mars", "avr", "mai", "juin",
	                                   "juil", "aout", "sept", "oct", "nov", "dec"};
	for (int m = 0; m < 12; m++)
		if (strcmp(w, full[m]) == 0 || strcmp(w, abbr[m]) == 0)
			return m + 1;
	if (strcmp(w, "fev") == 0)
		return 2;
	return strcmp(w, "sep") == 0 ? 9 : 0;
}

/* Skips spaces, including U+00A0 and U+202F (SPIP puts them in dates). */
static size_t skip_fr_space(const unsigned char *s, size_t n, size_t i)
{
	for (;;) {
		if (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		else if (i + 1 < n && s[i] == 0xC2 && s[i + 1] == 0xA0)
			i += 2;
		else if (i + 2 < n && s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] == 0xAF)
			i += 3;
		else
			return i;
	}
}

/* 1 to max digits at s[*i], not followed by another digit. */
static int fr_number(const unsigned char *s, size_t n, size_t *i, int max)
{
	int v = 0, k = 0;
	while (*i + (size_t)k < n && k <= max && mie_isodate_is_digit((char)s[*i + k]))
		v = v * 10 + s[*i + k++] - '0';
	if (!k || k > max)
		return -1;
	*i += (size_t)k;
	return v;
}

/* Exactly four digits at s[*i]. */
static int fr_year(const unsigned char *s, size_t n, size_t *i)
{
	size_t j = *i;
	int y = fr_number(s, n, &j, 4);
	if (y < 0 || j - *i != 4)
		return -1;
	*i = j;
	return y;
}

/* "05/12/2006" (also with '.' or '-') at s[*i]. */
static bool fr_numeric(const unsigned char *s, size_t n, size_t *i, mie_isodate *t)
{
	size_t j = *i;
	if ((t->d = fr_number(s, n, &j, 2)) < 0 || j >= n)
		return false;
	unsigned char sep = s[j];
	if ((sep != '/' && sep != '.' && sep != '-') || ++j >= n ||
	    (t->mo = fr_number(s, n, &j, 2)) < 0 || j >= n || s[j++] != sep)
		return false;
	if ((t->y = fr_year(s, n, &j)) < 0)
		return false;
	*i = j;
	return true;
}

/* "5 décembre 2006", "1er janvier 2007", "5 déc. 2006" at s[*i]. */
static bool fr_words(const unsigned char *s, size_t n, size_t *i, mie_isodate *t)
{
	char w[16];
	size_t j = *i;
	if ((t->d = fr_number(s, n, &j, 2)) < 0)
		return false;
	size_t k = j;
	if (t->d == 1 && fold_word(s, n, &k, w, sizeof w) && strcmp(w, "er") == 0)
		j = k;
	j = skip_fr_space(s, n, j);
	if (!fold_word(s, n, &j, w, sizeof w) || !(t->mo = french_month(w)))
		return false;
	if (j < n && s[j] == '.')
		j++;
	j = skip_fr_space(s, n, j);
	if ((t->y = fr_year(s, n, &j)) < 0)
		return false;
	*i = j;
	return true;
}

/* Optional time after a date: " à 14h03", ", 14:03", " 14 h 03". */
static void fr_time(const unsigned char *s, size_t n, size_t *i, mie_isodate *t)
{
	char w[4];
	size_t j = skip_fr_space(s, n, *i);
	if (j < n && s[j] == ',')
		j = skip_fr_space(s, n, j + 1);
	size_t k = j;
	if (fold_word(s, n, &k, w, sizeof w) && strcmp(w, "a") == 0)
		j = skip_fr_space(s, n, k);
	int h = fr_number(s, n, &j, 2);
	j = skip_fr_space(s, n, j);
	if (h < 0 || j >= n || (s[j] != ':' && (s[j] | 0x20) != 'h'))
		return;
	j = skip_fr_space(s, n, j + 1);
	size_t m0 = j;
	int m = fr_number(s, n, &j, 2);
	if (m < 0 || j - m0 != 2)
		return;
	t->has_time = true, t->h = h, t->mi = m, t->s = 0;
	*i = j;
}

enum mie_date_status mie_date_french(const char *str, size_t n, char iso[MIE_DATE_MAX], size_t *end)
{
	const unsigned char *s = (const unsigned char *)str;
	iso[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		bool boundary =
		        !i || (!is_alpha(s[i - 1]) && !mie_isodate_is_digit((char)s[i - 1]));
		if (!boundary || !mie_isodate_is_digit((char)s[i]))
			continue;
		mie_isodate t;
		memset(&t, 0, sizeof t);
		size_t j = i;
		if (!fr_numeric(s, n, &j, &t) && !fr_words(s, n, &j, &t))
			continue;
		fr_time(s, n, &j, &t);
		if (end)
			*end = j;
		return mie_isodate_format(&t, iso);
	}
	if (end)
		*end = n;
	return MIE_DATE_ABSENT;
}

enum mie_date_status mie_date_partial(const char *s, char iso[MIE_DATE_MAX], const char **what)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = skip_fr_space(u, n, 0), j;
	mie_isodate t = {0, 0, 1, false, 0, 0, 0, MIE_TZ_NONE, 0};
	char w[16];
	*what = NULL;
	iso[0] = '\0';
	j = i;
	if ((t.y = fr_year(u, n, &j)) >= 0) { /* "2008" */
		t.mo = 1;
		*what = "year";
	} else if (j = i, (t.mo = fr_number(u, n, &j, 2)) > 0 && j < n && u[j] == '/') {
		j++; /* "05/2008" */
		if ((t.y = fr_year(u, n, &j)) < 0)
			return MIE_DATE_INVALID;
		*what = "month";
	} else if (j = i, fold_word(u, n, &j, w, sizeof w) && (t.mo = french_month(w)) > 0) {
		if (j < n && u[j] == '.')
			j++;
		j = skip_fr_space(u, n, j); /* "mai 2008" */
		if ((t.y = fr_year(u, n, &j)) < 0)
			return MIE_DATE_INVALID;
		*what = "month";
	} else {
		return MIE_DATE_INVALID;
	}
	if (skip_fr_space(u, n, j) != n || mie_isodate_format(&t, iso) != MIE_DATE_OK) {
		*what = NULL;
		iso[0] = '\0';
		return MIE_DATE_INVALID;
	}
	return MIE_DATE_OK;
}
