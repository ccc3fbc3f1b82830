/* mie_date.c — SPIP, French, RFC 822 and W3C dates to the schema form.
 *
 * Every parser fills one struct mdate and hands it to format_date, which
 * checks the calendar: one validity rule, one writer. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mie_date.h"
#include "mie_buf.h"

enum tz_kind { TZ_NONE, TZ_UTC, TZ_OFFSET };

struct mdate {
	int y, mo, d;
	bool has_time;
	int h, mi, s;
	enum tz_kind tz;
	int off; /* minutes east of UTC */
};

bool mie_date_valid_ymd(int y, int m, int d)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

static bool mdate_valid(const struct mdate *t)
{
	if (!mie_date_valid_ymd(t->y, t->mo, t->d))
		return false;
	if (t->has_time &&
	    (t->h < 0 || t->h > 23 || t->mi < 0 || t->mi > 59 || t->s < 0 || t->s > 59))
		return false;
	return t->tz != TZ_OFFSET || (t->off >= -14 * 60 && t->off <= 14 * 60);
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
static enum mie_date_status format_date(const struct mdate *t, char iso[MIE_DATE_MAX])
{
	iso[0] = '\0';
	if (!mdate_valid(t))
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
	if (t->tz == TZ_UTC) {
		p[-1] = 'Z';
		*p = '\0';
	} else if (t->tz == TZ_OFFSET) {
		int a = t->off < 0 ? -t->off : t->off;
		p[-1] = t->off < 0 ? '-' : '+';
		p = digits(p, a / 60, 2, ':');
		digits(p, a % 60, 2, '\0');
	}
	return MIE_DATE_OK;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Value of exactly n digits at *p (advanced), or -1 (p unchanged). */
static int take_digits(const char **p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit((*p)[i]))
			return -1;
		v = v * 10 + (*p)[i] - '0';
	}
	*p += n;
	return v;
}

static bool take_char(const char **p, char c)
{
	if (**p != c)
		return false;
	++*p;
	return true;
}

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* "YYYY-MM-DD" at *p. */
static bool take_ymd(const char **p, struct mdate *t)
{
	const char *q = *p;
	t->y = take_digits(&q, 4);
	if (t->y < 0 || !take_char(&q, '-') || (t->mo = take_digits(&q, 2)) < 0 ||
	    !take_char(&q, '-') || (t->d = take_digits(&q, 2)) < 0)
		return false;
	*p = q;
	return true;
}

/* "HH:MM[:SS]" at *p; seconds required unless opt_sec. */
static bool take_hms(const char **p, struct mdate *t, bool opt_sec)
{
	const char *q = *p;
	if ((t->h = take_digits(&q, 2)) < 0 || !take_char(&q, ':') ||
	    (t->mi = take_digits(&q, 2)) < 0)
		return false;
	t->s = 0;
	if (take_char(&q, ':')) {
		if ((t->s = take_digits(&q, 2)) < 0)
			return false;
	} else if (!opt_sec) {
		return false;
	}
	t->has_time = true;
	*p = q;
	return true;
}

/* "Z", "±HH:MM" or (when loose) "±HHMM" at *p. */
static bool take_zone(const char **p, struct mdate *t, bool loose)
{
	const char *q = *p;
	if (take_char(&q, 'Z')) {
		t->tz = TZ_UTC;
		*p = q;
		return true;
	}
	int sign = *q == '+' ? 1 : *q == '-' ? -1 : 0;
	if (!sign)
		return false;
	q++;
	int h = take_digits(&q, 2), m;
	if (h < 0)
		return false;
	if (take_char(&q, ':') || loose)
		m = take_digits(&q, 2);
	else
		return false;
	if (m < 0 || m > 59)
		return false;
	t->tz = TZ_OFFSET;
	t->off = sign * (h * 60 + m);
	*p = q;
	return true;
}

/* The ISO forms: strict is the schema's, loose is W3C-DTF (seconds and
 * fraction optional, "+HHMM" zones). */
static bool parse_iso(const char *s, struct mdate *t, bool loose)
{
	const char *p = s;
	memset(t, 0, sizeof *t);
	if (!take_ymd(&p, t))
		return false;
	if (!take_char(&p, 'T'))
		return *p == '\0'; /* a zone needs a time (xs:date of the XSD has none) */
	if (!take_hms(&p, t, loose))
		return false;
	if (loose && *p == '.' && is_digit(p[1]))
		for (p++; is_digit(*p);)
			p++;
	if (*p && !take_zone(&p, t, loose))
		return false;
	return *p == '\0';
}

bool mie_date_valid_iso(const char *s)
{
	struct mdate t;
	return s && parse_iso(s, &t, false) && mdate_valid(&t);
}

/* Copies s without its surrounding whitespace into z[cap]; returns the
 * length, or -1 when it does not fit (no date is that long). */
static long trimmed_copy(const char *s, char *z, size_t cap)
{
	s = skip_space(s);
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
	struct mdate t;
	char z[64];
	iso[0] = '\0';
	long n = trimmed_copy(s, z, sizeof z);
	if (!n)
		return MIE_DATE_ABSENT;
	if (n < 0 || !parse_iso(z, &t, true))
		return MIE_DATE_INVALID;
	return format_date(&t, iso);
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
	struct mdate t;
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
		if ((t.y = take_digits(&p, 4)) < 0 || (t.mo = take_digits(&p, 2)) < 0 ||
		    (t.d = take_digits(&p, 2)) < 0 || (t.h = take_digits(&p, 2)) < 0 ||
		    (t.mi = take_digits(&p, 2)) < 0 || (t.s = take_digits(&p, 2)) < 0)
			return MIE_DATE_INVALID;
		return format_date(&t, iso);
	}
	if (!take_ymd(&p, &t))
		return MIE_DATE_INVALID;
	if (take_char(&p, ' ') && !take_hms(&p, &t, false))
		return MIE_DATE_INVALID;
	return *p ? MIE_DATE_INVALID : format_date(&t, iso);
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
static bool named_zone(const char *w, size_t n, struct mdate *t)
{
	static const char *const names[] = {"gmt", "ut",  "utc", "z",   "est", "edt", "cst",
	                                    "cdt", "mst", "mdt", "pst", "pdt", "cet", "cest"};
	static const int hours[] = {0, 0, 0, 0, -5, -4, -6, -5, -7, -6, -8, -7, 1, 2};
	int i = word_index(w, n, names, sizeof names / sizeof *names);
	if (i < 0)
		return false;
	t->tz = i < 4 ? TZ_UTC : TZ_OFFSET;
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
	while (k < max && is_digit((*p)[k]))
		v = v * 10 + (*p)[k++] - '0';
	if (!k || is_digit((*p)[k]))
		return -1;
	*p += k;
	return v;
}

enum mie_date_status mie_date_rfc822(const char *s, char iso[MIE_DATE_MAX])
{
	struct mdate t;
	memset(&t, 0, sizeof t);
	iso[0] = '\0';
	const char *p = skip_space(s);
	if (!*p)
		return MIE_DATE_ABSENT;
	size_t k = letters(p);
	if (k) { /* weekday */
		p = skip_space(p + k);
		if (!take_char(&p, ','))
			return MIE_DATE_INVALID;
		p = skip_space(p);
	}
	if ((t.d = take_number(&p, 2)) < 0)
		return MIE_DATE_INVALID;
	p = skip_space(p);
	k = letters(p);
	if (!(t.mo = english_month(p, k)))
		return MIE_DATE_INVALID;
	p = skip_space(p + k);
	const char *y = p;
	if ((t.y = take_number(&p, 4)) < 0)
		return MIE_DATE_INVALID;
	if (p - y == 2)
		t.y += t.y >= 50 ? 1900 : 2000;
	else if (p - y != 4)
		return MIE_DATE_INVALID;
	p = skip_space(p);
	if (*p && !take_hms(&p, &t, true))
		return MIE_DATE_INVALID;
	p = skip_space(p);
	if ((k = letters(p)) && named_zone(p, k, &t))
		p += k;
	else if (*p == '+' || *p == '-')
		if (!take_zone(&p, &t, true))
			return MIE_DATE_INVALID;
	if (t.tz == TZ_OFFSET && t.off == 0)
		t.tz = TZ_UTC; /* "+0000", and "-0000" (UTC, local zone unknown) */
	return *skip_space(p) ? MIE_DATE_INVALID : format_date(&t, iso);
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
	while (*i + (size_t)k < n && k <= max && is_digit((char)s[*i + k]))
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
static bool fr_numeric(const unsigned char *s, size_t n, size_t *i, struct mdate *t)
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
static bool fr_words(const unsigned char *s, size_t n, size_t *i, struct mdate *t)
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
static void fr_time(const unsigned char *s, size_t n, size_t *i, struct mdate *t)
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
		bool boundary = !i || (!is_alpha(s[i - 1]) && !is_digit((char)s[i - 1]));
		if (!boundary || !is_digit((char)s[i]))
			continue;
		struct mdate t;
		memset(&t, 0, sizeof t);
		size_t j = i;
		if (!fr_numeric(s, n, &j, &t) && !fr_words(s, n, &j, &t))
			continue;
		fr_time(s, n, &j, &t);
		if (end)
			*end = j;
		return format_date(&t, iso);
	}
	if (end)
		*end = n;
	return MIE_DATE_ABSENT;
}
