/* mie_spip_typo.c — typography of rendered HTML (see mie_spip.h).
 *
 * Works on sanitized HTML, whose shape is known: a tag runs from '<' to the
 * first '>' (attribute values have '>' escaped), and the only entities in
 * text are &amp; &lt; &gt; — so a ';' after them is never punctuation.
 * Text inside <code> and <pre> is left alone.
 *
 * All languages: ' becomes ’ and a "--" that is not part of a longer run of
 * dashes becomes an em dash —.
 *
 * French rule (typo "fr…"): a no-break space U+00A0 before : ; ! ? » and
 * after «, replacing the spaces typed there.  Punctuation glued inside a
 * word ("spip.php?article12", "14:30") is left alone: it must be followed
 * by white space, the end of the text, a tag or other punctuation; and it
 * needs a word before it (not "!!", "?!", nor a line start). */
#include <string.h>

#include "text/mie_spip_impl.h"

#define NBSP "\xC2\xA0"

typedef struct typo {
	mie_buf *out;
	int fr;
	int prev;     /* last non-space byte written in text, 0 at the start */
	size_t start; /* where the current text run starts in out */
} typo;

static int space_at(const char *s, size_t i, size_t n)
{
	return s[i] == ' ' || s[i] == '\n' || s[i] == '\t' ||
	       ((unsigned char)s[i] == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0);
}

/* Drops the spaces (and no-break spaces) just written in this text run. */
static void drop_spaces(typo *t)
{
	mie_buf *o = t->out;
	for (;;) {
		size_t k = o->len;
		if (k > t->start &&
		    (o->data[k - 1] == ' ' || o->data[k - 1] == '\n' || o->data[k - 1] == '\t'))
			mie_buf_setlen(o, k - 1);
		else if (k >= t->start + 2 && (unsigned char)o->data[k - 2] == 0xC2 &&
		         (unsigned char)o->data[k - 1] == 0xA0)
			mie_buf_setlen(o, k - 2);
		else
			return;
	}
}

/* Does the punctuation at s[i] end a word (what follows is not a letter)? */
static int ends_word(const char *s, size_t i, size_t n)
{
	if (i + 1 >= n || space_at(s, i + 1, n))
		return 1;
	return strchr(".,;:!?)\"'<", s[i + 1]) != NULL || (unsigned char)s[i + 1] == 0xC2;
}

/* French spacing before s[i] (one of : ; ! ? or the first byte of »). */
static int spaced_before(typo *t, const char *s, size_t i, size_t n, size_t len)
{
	if (!t->fr || !t->prev || strchr("[<!?:;(", t->prev))
		return 0;
	if (len == 1 && !ends_word(s, i, n))
		return 0;
	drop_spaces(t);
	mie_buf_adds(t->out, NBSP);
	mie_buf_add(t->out, s + i, len);
	return 1;
}

/* Bytes text_run looks at one by one: & ' - : ; ! ? and 0xC2 (the lead of
 * U+00A0, « and »).  Any other byte is copied as it is. */
static const unsigned char typo_special[256] = {
        ['&'] = 1, ['\''] = 1, ['-'] = 1, [':'] = 1, [';'] = 1, ['!'] = 1, ['?'] = 1, [0xC2] = 1,
};

/* The same bytes, for mie_scan. */
#define TYPO_SET MIE_SCAN_SET('&', '\'', '-', ':', ';', '!', '?', 0xC2)

/* Copies the ordinary bytes from s[i] on in one append; returns where they
 * end.  t->prev becomes the last of them that is not white space (nor the
 * 0xA0 of a no-break space, whose 0xC2 can only be just before the run). */
static size_t plain_run(typo *t, const char *s, size_t i, size_t n)
{
	size_t j = mie_scan(s, i, n, typo_special, 1, TYPO_SET, 8, 0);
	mie_buf_add(t->out, s + i, j - i);
	for (size_t k = j; k-- > i;) {
		unsigned char c = (unsigned char)s[k];
		if (c == ' ' || c == '\n' || c == '\t' ||
		    (c == 0xA0 && k && (unsigned char)s[k - 1] == 0xC2))
			continue;
		t->prev = c;
		break;
	}
	return j;
}

static void text_run(typo *t, const char *s, size_t n)
{
	t->start = t->out->len;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!typo_special[c]) {
			i = plain_run(t, s, i, n) - 1;
			continue;
		}
		if (c == '&') { /* &amp; &lt; &gt;: copied whole */
			const char *semi = memchr(s + i, ';', n - i);
			size_t k = semi && semi - (s + i) <= 5 ? (size_t)(semi - (s + i)) + 1 : 1;
			mie_buf_add(t->out, s + i, k);
			i += k - 1;
			t->prev = '&';
			continue;
		}
		if (c == '\'') {
			mie_buf_adds(t->out, "\xE2\x80\x99");
			t->prev = '\'';
			continue;
		}
		if (c == '-' && i + 1 < n && s[i + 1] == '-' && (i + 2 >= n || s[i + 2] != '-') &&
		    (i == 0 || s[i - 1] != '-')) { /* "--" alone: em dash */
			mie_buf_adds(t->out, "\xE2\x80\x94");
			i++;
			t->prev = '-';
			continue;
		}
		if ((c == ':' || c == ';' || c == '!' || c == '?') &&
		    spaced_before(t, s, i, n, 1)) {
			t->prev = c;
			continue;
		}
		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xBB &&
		    spaced_before(t, s, i, n, 2)) {
			i++;
			t->prev = 0xBB;
			continue;
		}
		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xAB && t->fr) { /* « */
			mie_buf_adds(t->out, "\xC2\xAB" NBSP);
			for (i += 2; i < n && space_at(s, i, n);
			     i += (unsigned char)s[i] == 0xC2 ? 2 : 1)
				;
			i--;
			t->prev = 0xAB;
			continue;
		}
		mie_buf_addc(t->out, (char)c);
		if (!space_at(s, i, n) && !(c == 0xA0 && i && (unsigned char)s[i - 1] == 0xC2))
			t->prev = c;
	}
}

/* Does [lt, end) start with lit (a literal)? */
#define TAG_IS(lt, end, lit)                                                                       \
	((size_t)((end) - (lt)) >= sizeof lit - 1 && memcmp(lt, lit, sizeof lit - 1) == 0)

void spip_typo(const char *lang, const char *s, size_t n, mie_buf *out)
{
	typo t = {out, lang && lang[0] == 'f' && lang[1] == 'r', 0, 0};
	mie_buf_grow(out, n); /* a little more when quotes become ’ */
	int verbatim = 0;     /* inside <code> or <pre> */
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		const char *te = lt ? lt : end;
		if (verbatim)
			mie_buf_add(out, p, (size_t)(te - p));
		else
			text_run(&t, p, (size_t)(te - p));
		if (!lt)
			return;
		const char *gt = memchr(lt, '>', (size_t)(end - lt));
		const char *tag_end = gt ? gt + 1 : end;
		if (TAG_IS(lt, end, "<code") || TAG_IS(lt, end, "<pre"))
			verbatim++;
		else if ((TAG_IS(lt, end, "</code") || TAG_IS(lt, end, "</pre")) && verbatim)
			verbatim--;
		mie_buf_add(out, lt, (size_t)(tag_end - lt));
		p = tag_end;
	}
}
