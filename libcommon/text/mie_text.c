/* mie_text.c — the decoding pipeline behind mie_text_decode.
 *
 * Stage 1 turns the declared charset into strict UTF-8 and removes what a
 * record cannot hold (C0 controls, U+FFFE/U+FFFF), folding line breaks when
 * asked; stages 2-4 (entities, mojibake, NFC) work on valid UTF-8 and each
 * starts with a cheap test so that text needing nothing is not copied.
 * Repairs are gathered per kind and reported once each, at the end. */
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "record/mie_record.h" /* mie_rec_add_escaped */
#include "text/mie_text.h"
#include "core/mie_utf8.h"

enum repair_kind {
	K_CHARSET_CP1252,
	K_C1_CP1252,
	K_UNDECODABLE,
	K_INVALID_UTF8,
	K_UNKNOWN_CHARSET,
	K_CONTROL,
	K_ENTITY,
	K_INVALID_ENTITY,
	K_DOUBLE_UTF8,
	K_NFC,
	K_COUNT
};

static const char *const kind_names[K_COUNT] = {
        "charset-cp1252", "c1-cp1252", "undecodable-byte", "invalid-utf8", "unknown-charset",
        "control-char",   "entity",    "invalid-entity",   "double-utf8",  "nfc",
};

struct repair {
	size_t count;
	size_t first; /* input byte offset of the first occurrence (stage 1) */
	mie_buf trace;
};

enum charset_class { CS_UTF8, CS_LATIN1, CS_CP1252, CS_OTHER };

struct decoder {
	unsigned flags;
	enum charset_class cs;
	const char *charset; /* borrowed, for messages */
	bool maybe_not_nfc;  /* some character may need NFC */
	unsigned touched;    /* bit k: r[k] is initialised (most fields need none) */
	struct repair r[K_COUNT];
};

/* r[k], initialised on first use. */
static struct repair *repair_of(struct decoder *d, enum repair_kind k)
{
	struct repair *r = &d->r[k];
	if (!(d->touched & 1u << k)) {
		d->touched |= 1u << k;
		r->count = r->first = 0;
		mie_buf_init(&r->trace);
	}
	return r;
}

static void note(struct decoder *d, enum repair_kind k, size_t count, size_t at, const void *orig,
                 size_t n)
{
	struct repair *r = repair_of(d, k);
	if (!r->count)
		r->first = at;
	r->count += count;
	if (orig)
		mie_rec_add_escaped(&r->trace, orig, n);
}

/* ---- stage 1: bytes to UTF-8 ---- */

static bool cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* Length of the strict UTF-8 sequence at s that a record may hold as it
 * is (not U+FFFE/U+FFFF), or 0; sets *nfc when NFC may change it.  Inline
 * twin of mie_utf8_decode for the hot path. */
static size_t clean_sequence(const unsigned char *s, size_t n, bool *nfc)
{
	unsigned c = s[0];
	if (c == 0xC2 && (n < 2 || s[1] < 0xA0)) /* U+0080-U+009F or cut short: slow path */
		return 0;
	if (c >= 0xC2 && c <= 0xDF) {
		*nfc |= c >= 0xCC;
		return n >= 2 && cont(s[1]) ? 2 : 0;
	}
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || !cont(s[1]) || !cont(s[2]) || (c == 0xE0 && s[1] < 0xA0) ||
		    (c == 0xED && s[1] >= 0xA0) || (c == 0xEF && s[1] == 0xBF && s[2] >= 0xBE))
			return 0;
		*nfc |= !mie_text_nfc_inert((c & 0x0F) << 12 | (s[1] & 0x3Fu) << 6 |
		                            (s[2] & 0x3Fu));
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || !cont(s[1]) || !cont(s[2]) || !cont(s[3]) ||
		    (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
			return 0;
		*nfc = true;
		return 4;
	}
	return 0;
}

/* Length of the prefix of s that is record text as it is: strict UTF-8,
 * no C0 control (not even TAB, LF, CR), no U+FFFE/U+FFFF. */
static size_t clean_prefix(const unsigned char *s, size_t n, bool *nfc)
{
	size_t i = 0;
	for (;;) {
		i += mie_utf8_plain_ascii_prefix(s + i, n - i);
		if (i >= n || s[i] < 0x80)
			return i;
		size_t k = clean_sequence(s + i, n - i, nfc);
		if (!k)
			return i;
		i += k;
	}
}

static bool is_line_break(unsigned char c)
{
	return c == '\t' || c == '\n' || c == '\r';
}

/* Handles the C0 byte at s[i]; returns how many bytes it consumed. */
static size_t emit_control(struct decoder *d, mie_buf *out, const unsigned char *s, size_t n,
                           size_t i)
{
	unsigned char c = s[i];
	if (!is_line_break(c)) {
		note(d, K_CONTROL, 1, i, s + i, 1);
		if (c == 0x0B || c == 0x0C)
			mie_buf_addc(out, ' ');
		return 1;
	}
	if (!(d->flags & MIE_TEXT_ONE_LINE)) {
		mie_buf_addc(out, c);
		return 1;
	}
	size_t j = i;
	while (j < n && is_line_break(s[j]))
		j++;
	mie_buf_addc(out, ' ');
	return j - i;
}

/* Decodes the run of bytes at s[i] that are not valid UTF-8 as
 * windows-1252; returns its length. */
static size_t emit_invalid_run(struct decoder *d, mie_buf *out, const unsigned char *s, size_t n,
                               size_t i)
{
	uint32_t cp;
	size_t j = i;
	while (j < n && s[j] >= 0x80 && !mie_utf8_decode(s + j, n - j, &cp))
		mie_buf_add_utf8(out, mie_cp1252_to_ucs(s[j++]));
	note(d, K_INVALID_UTF8, j - i, i, s + i, j - i);
	return j - i;
}

static bool cp1252_undefined(unsigned char b)
{
	return b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D;
}

static void stage1_utf8(struct decoder *d, mie_buf *out, const unsigned char *s, size_t n)
{
	mie_buf_grow(out, n);
	for (size_t i = 0; i < n;) {
		size_t k = clean_prefix(s + i, n - i, &d->maybe_not_nfc);
		mie_buf_add(out, s + i, k);
		if ((i += k) >= n)
			break;
		if (s[i] < 0x20) {
			i += emit_control(d, out, s, n, i);
			continue;
		}
		uint32_t cp;
		k = mie_utf8_decode(s + i, n - i, &cp);
		if (!k) {
			i += emit_invalid_run(d, out, s, n, i);
			continue;
		}
		if (cp >= 0xA0) { /* U+FFFE or U+FFFF */
			note(d, K_CONTROL, 1, i, s + i, k);
		} else if (!cp1252_undefined((unsigned char)cp)) {
			/* C1 control: a windows-1252 byte converted as latin-1 */
			note(d, K_C1_CP1252, 1, i, s + i, k);
			mie_buf_add_utf8(out, mie_cp1252_to_ucs((unsigned char)cp));
		} else {
			mie_buf_add(out, s + i, k);
		}
		i += k;
	}
}

/* Copies the printable ASCII prefix of s (bytes 0x20-0x7F) to o, which
 * has room for n bytes; returns its length.  (Storing 16 bytes with SSE2
 * before looking at them saved under 1 % of an import's instructions:
 * gone, bench/README.md.) */
static size_t copy_ascii(unsigned char *o, const unsigned char *s, size_t n)
{
	size_t k = mie_utf8_plain_ascii_prefix(s, n);
	memcpy(o, s, k);
	return k;
}

/* Decodes the windows-1252 bytes at s (none below 0x20) into o, which
 * has room for 3 bytes each; returns the bytes written and sets *used. */
static size_t cp1252_run(struct decoder *d, unsigned char *o, const unsigned char *s, size_t n,
                         size_t at, size_t *used)
{
	unsigned char *o0 = o;
	size_t i = 0;
	for (;; i++) {
		size_t k = copy_ascii(o, s + i, n - i);
		o += k;
		i += k;
		if (i >= n || s[i] < 0x20)
			break;
		unsigned b = s[i]; /* 0x80 or above */
		if (b < 0xA0) {
			if (cp1252_undefined((unsigned char)b))
				note(d, K_UNDECODABLE, 1, at + i, s + i, 1);
			else if (d->cs == CS_LATIN1)
				note(d, K_CHARSET_CP1252, 1, at + i, NULL, 0);
			uint32_t cp = mie_cp1252_to_ucs((unsigned char)b);
			if (cp >= 0x800) {
				*o++ = (unsigned char)(0xE0 | cp >> 12);
				*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
				*o++ = (unsigned char)(0x80 | (cp & 0x3F));
				continue;
			}
			b = cp;
		}
		*o++ = (unsigned char)(0xC0 | b >> 6);
		*o++ = (unsigned char)(0x80 | (b & 0x3F));
	}
	*used = i;
	return (size_t)(o - o0);
}

static void stage1_cp1252(struct decoder *d, mie_buf *out, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t used;
		mie_buf_grow(out, 3 * (n - i));
		size_t w = cp1252_run(d, (unsigned char *)out->data + out->len, s + i, n - i, i,
		                      &used);
		mie_buf_setlen(out, out->len + w);
		if ((i += used) < n)
			i += emit_control(d, out, s, n, i);
	}
}

/* The last iconv descriptor opened, kept for the next call of the same
 * thread (one per thread: an iconv_t has conversion state), in
 * thread-specific data so that it is closed when its thread ends. */
struct conv {
	iconv_t cd;
	char *name;
};

static pthread_key_t conv_key;
static pthread_once_t conv_once = PTHREAD_ONCE_INIT;

static void conv_free(void *p)
{
	struct conv *c = p;
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	free(c->name);
	free(c);
}

static void conv_key_create(void)
{
	if (pthread_key_create(&conv_key, conv_free) != 0)
		mie_die("text: cannot create a thread key");
}

static iconv_t open_conv(const char *charset)
{
	pthread_once(&conv_once, conv_key_create);
	struct conv *c = pthread_getspecific(conv_key);
	if (c && strcmp(c->name, charset) == 0) {
		iconv(c->cd, NULL, NULL, NULL, NULL);
		return c->cd;
	}
	if (c) {
		pthread_setspecific(conv_key, NULL);
		conv_free(c);
	}
	iconv_t cd = iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		return cd;
	c = mie_xmalloc(sizeof *c);
	*c = (struct conv){cd, mie_xstrdup(charset)};
	pthread_setspecific(conv_key, c);
	return cd;
}

/* Converts with iconv into tmp; bytes the charset rejects become U+FFFD
 * with a trace.  Returns false when iconv does not know the charset. */
static bool iconv_to_utf8(struct decoder *d, mie_buf *tmp, const char *s, size_t n)
{
	iconv_t cd = open_conv(d->charset);
	if (cd == (iconv_t)-1)
		return false;
	char *in = (char *)s;
	size_t left = n;
	while (left) {
		mie_buf_grow(tmp, left * 4 + 16);
		char *o = tmp->data + tmp->len;
		size_t room = tmp->cap - tmp->len - 1, room0 = room;
		size_t rc = iconv(cd, &in, &left, &o, &room);
		mie_buf_setlen(tmp, tmp->len + (room0 - room));
		if (rc != (size_t)-1 || errno == E2BIG)
			continue;
		size_t bad = errno == EINVAL ? left : 1; /* EINVAL: cut short at the end */
		note(d, K_UNDECODABLE, bad, (size_t)(in - s), in, bad);
		mie_buf_add_utf8(tmp, 0xFFFD);
		in += bad, left -= bad;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	return true;
}

/* Lowercase letters and digits of a charset name: "ISO_8859-1" → "iso88591". */
static enum charset_class classify_charset(const char *name)
{
	char z[24];
	size_t k = 0;
	if (!name)
		return CS_UTF8;
	/* every field asks: the names dumps declare, taken as they are */
	static const struct {
		const char *name;
		enum charset_class cs;
	} usual[] = {
	        {"iso-8859-1", CS_LATIN1}, {"utf-8", CS_UTF8},          {"ISO-8859-1", CS_LATIN1},
	        {"UTF-8", CS_UTF8},        {"windows-1252", CS_CP1252},
	};
	for (size_t i = 0; i < sizeof usual / sizeof *usual; i++)
		if (strcmp(name, usual[i].name) == 0)
			return usual[i].cs;
	for (const char *p = name; *p && k + 1 < sizeof z; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			z[k++] = c;
	}
	z[k] = '\0';
	static const struct {
		const char *name;
		size_t len;
		enum charset_class cs;
	} known[] = {
#define CS(name, cs) {name, sizeof name - 1, cs}
	        CS("utf8", CS_UTF8),        CS("usascii", CS_UTF8),   CS("ascii", CS_UTF8),
	        CS("iso88591", CS_LATIN1),  CS("latin1", CS_LATIN1),  CS("l1", CS_LATIN1),
	        CS("isolatin1", CS_LATIN1), CS("cp819", CS_LATIN1),   CS("windows1252", CS_CP1252),
	        CS("cp1252", CS_CP1252),    CS("xcp1252", CS_CP1252), CS("win1252", CS_CP1252),
#undef CS
	};
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (k == known[i].len && memcmp(z, known[i].name, k) == 0)
			return known[i].cs;
	return CS_OTHER;
}

bool mie_text_charset_known(const char *charset)
{
	if (classify_charset(charset) != CS_OTHER)
		return true;
	iconv_t cd = iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		return false;
	iconv_close(cd);
	return true;
}

static void stage1(struct decoder *d, mie_buf *out, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	if (d->cs == CS_LATIN1 || d->cs == CS_CP1252) {
		stage1_cp1252(d, out, u, n);
		return;
	}
	if (d->cs == CS_OTHER) {
		mie_buf tmp = MIE_BUF_INIT;
		if (iconv_to_utf8(d, &tmp, s, n)) {
			stage1_utf8(d, out, (const unsigned char *)tmp.data, tmp.len);
			mie_buf_release(&tmp);
			return;
		}
		mie_buf_release(&tmp);
		note(d, K_UNKNOWN_CHARSET, 1, 0, NULL, 0);
	}
	stage1_utf8(d, out, u, n);
}

/* ---- stages 2-4 on valid UTF-8 ---- */

/* May NFC change s? */
static bool maybe_not_nfc(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < 0xCC) /* ASCII, continuation bytes, leads below U+0300 */
			continue;
		uint32_t cp;
		size_t k = mie_utf8_decode(p + i, n - i, &cp);
		if (!k || !mie_text_nfc_inert(cp))
			return true;
		i += k - 1;
	}
	return false;
}

void mie_text_nfc(mie_buf *out, const char *s, size_t n)
{
	if (!maybe_not_nfc(s, n)) {
		mie_buf_add(out, s, n);
		return;
	}
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &dst,
	                                    UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (len < 0) /* not valid UTF-8: the caller broke the contract; keep s */
		mie_buf_add(out, s, n);
	else
		mie_buf_add(out, dst, (size_t)len);
	free(dst);
}

/* Replaces out[from..] by what `step` makes of it. */
typedef size_t (*stage_fn)(struct decoder *d, mie_buf *dst, const char *s, size_t n);

static void run_stage(struct decoder *d, mie_buf *out, size_t from, stage_fn step)
{
	mie_buf tmp = MIE_BUF_INIT;
	if (step(d, &tmp, out->data + from, out->len - from)) {
		mie_buf_setlen(out, from);
		mie_buf_add(out, tmp.data, tmp.len);
	}
	if (tmp.cap) /* the usual stage found nothing to do */
		mie_buf_release(&tmp);
}

static size_t stage_entities(struct decoder *d, mie_buf *dst, const char *s, size_t n)
{
	if (!memchr(s, '&', n))
		return 0;
	mie_entities_report rep = {&repair_of(d, K_INVALID_ENTITY)->trace, 0, false};
	size_t k = mie_entities_decode_report(dst, s, n, d->flags, &rep);
	repair_of(d, K_ENTITY)->count += k;
	d->r[K_INVALID_ENTITY].count += rep.nbad;
	d->maybe_not_nfc = d->maybe_not_nfc || rep.maybe_not_nfc;
	return k;
}

static size_t stage_mojibake(struct decoder *d, mie_buf *dst, const char *s, size_t n)
{
	if (!mie_text_maybe_mojibake(s, n)) /* the usual case: no copy */
		return 0;
	struct repair *r = repair_of(d, K_DOUBLE_UTF8);
	size_t k = mie_text_mojibake_trace(dst, s, n, &r->trace);
	r->count += k;
	d->maybe_not_nfc = d->maybe_not_nfc || k;
	return k;
}

static size_t stage_nfc(struct decoder *d, mie_buf *dst, const char *s, size_t n)
{
	mie_text_nfc(dst, s, n);
	bool changed = dst->len != n || memcmp(dst->data, s, n) != 0;
	if (changed)
		note(d, K_NFC, 1, 0, NULL, 0);
	return changed;
}

/* ---- reporting ---- */

static void describe(const struct decoder *d, enum repair_kind k, mie_buf *b)
{
	size_t c = d->r[k].count, at = d->r[k].first;
	const char *s = c == 1 ? "" : "s";
	switch (k) {
	case K_CHARSET_CP1252: /* the most frequent: no printf */
		mie_buf_add_uint(b, c);
		mie_buf_adds(b, c == 1 ? " byte" : " bytes");
		mie_buf_adds(b, " 0x80-0x9F read as windows-1252, first at byte ");
		mie_buf_add_uint(b, at);
		break;
	case K_C1_CP1252:
		mie_buf_addf(
		        b, "%zu character%s U+0080-U+009F read as windows-1252, first at byte %zu",
		        c, s, at);
		break;
	case K_UNDECODABLE:
		if (d->cs == CS_OTHER)
			mie_buf_addf(
			        b,
			        "%zu byte%s not valid in %s replaced by U+FFFD, first at byte %zu",
			        c, s, d->charset, at);
		else
			mie_buf_addf(b,
			             "%zu byte%s undefined in windows-1252 kept as U+0080-U+009F, "
			             "first at byte %zu",
			             c, s, at);
		break;
	case K_INVALID_UTF8:
		mie_buf_addf(b, "%zu invalid UTF-8 byte%s read as windows-1252, first at byte %zu",
		             c, s, at);
		break;
	case K_UNKNOWN_CHARSET:
		mie_buf_addf(b, "unknown charset \"%s\" read as UTF-8", d->charset);
		break;
	case K_CONTROL:
		mie_buf_addf(b,
		             "%zu control character%s removed (VT, FF: replaced by a space), first "
		             "at byte %zu",
		             c, s, at);
		break;
	case K_ENTITY:
		mie_buf_add_uint(b, c);
		mie_buf_adds(b, c == 1 ? " HTML entity decoded" : " HTML entities decoded");
		break;
	case K_INVALID_ENTITY:
		mie_buf_addf(b, "%zu character reference%s to a forbidden character left as is", c,
		             s);
		break;
	case K_DOUBLE_UTF8:
		mie_buf_addf(b, "%zu double-encoded UTF-8 sequence%s repaired", c, s);
		break;
	default: mie_buf_adds(b, "normalized to NFC"); break;
	}
}

static int report(struct decoder *d, mie_repair_fn fn, void *ctx)
{
	if (!d->touched) /* the usual field */
		return 0;
	int reported = 0;
	mie_buf detail = MIE_BUF_INIT;
	for (int k = 0; k < K_COUNT; k++) {
		if (!(d->touched & 1u << k))
			continue;
		struct repair *r = &d->r[k];
		if (r->count) {
			reported++;
			mie_buf_reset(&detail);
			describe(d, (enum repair_kind)k, &detail);
			if (fn)
				fn(ctx, kind_names[k], detail.data,
				   r->trace.len ? r->trace.data : NULL);
		}
		mie_buf_release(&r->trace);
	}
	mie_buf_release(&detail);
	return reported;
}

/* The common field, printable ASCII (the same in the three usual charsets)
 * without '&' to decode: every stage keeps it as it is (no control, no 0xC3
 * for the mojibake stage, nothing NFC changes), and there is no repair.
 * An empty field too, whatever its charset. */
static bool kept_as_is(const char *s, size_t n, enum charset_class cs, unsigned flags)
{
	return !n ||
	       (cs != CS_OTHER && mie_utf8_plain_ascii_prefix((const unsigned char *)s, n) == n &&
	        (!(flags & MIE_TEXT_ENTITIES) || !memchr(s, '&', n)));
}

/* mie_text_decode of a field that is not kept_as_is, charset classified. */
static int decode(mie_buf *out, const char *s, size_t n, const char *charset, enum charset_class cs,
                  unsigned flags, mie_repair_fn fn, void *ctx)
{
	struct decoder d; /* d.r: see repair_of */
	d.touched = 0;
	d.maybe_not_nfc = false;
	d.flags = flags;
	d.charset = charset ? charset : "utf-8";
	d.cs = cs;
	size_t from = out->len;
	stage1(&d, out, s, n);
	if (flags & MIE_TEXT_ENTITIES)
		run_stage(&d, out, from, stage_entities);
	if (flags & MIE_TEXT_MOJIBAKE)
		run_stage(&d, out, from, stage_mojibake);
	if (d.maybe_not_nfc)
		run_stage(&d, out, from, stage_nfc);
	return report(&d, fn, ctx);
}

int mie_text_decode(mie_buf *out, const char *s, size_t n, const char *charset, unsigned flags,
                    mie_repair_fn fn, void *ctx)
{
	enum charset_class cs = classify_charset(charset);
	if (kept_as_is(s, n, cs, flags)) {
		mie_buf_add(out, s, n);
		return 0;
	}
	return decode(out, s, n, charset, cs, flags, fn, ctx);
}

int mie_text_clean(mie_buf *out, const char *s, size_t n, unsigned flags, mie_repair_fn fn,
                   void *ctx)
{
	return mie_text_decode(out, s, n, NULL, flags, fn, ctx);
}

/* ---- into records ---- */

void mie_text_repair_to_prov(void *ctx, const char *kind, const char *detail, const char *original)
{
	const mie_text_target *t = ctx;
	if (t->prov)
		mie_rec_add_repair(t->prov, kind, t->path, detail, original);
}

int mie_text_set(json_t *obj, const char *key, json_t *prov, const char *path, const char *s,
                 size_t n, const char *charset, unsigned flags)
{
	/* Decode output is record text by construction (fuzz_text checks it,
	 * and the schema check runs mie_text_check on every record string
	 * before it is written), so it is stored without mie_rec_set_strn's
	 * second scan, which cost as much as the decoding of plain fields. */
	enum charset_class cs = classify_charset(charset);
	if (kept_as_is(s, n, cs, flags)) { /* straight from s: no copy to copy */
		mie_rec_set_made(obj, key, s, n);
		return 0;
	}
	mie_text_target t = {prov, path ? path : key};
	mie_buf b = MIE_BUF_INIT;
	int k = decode(&b, s, n, charset, cs, flags, mie_text_repair_to_prov, &t);
	mie_rec_set_made(obj, key, b.data, b.len);
	mie_buf_release(&b);
	return k;
}

const char *mie_text_utf16_bom(const void *p, size_t n)
{
	const unsigned char *b = p;
	if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE)
		return "utf-16le";
	if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF)
		return "utf-16be";
	return NULL;
}

size_t mie_text_utf16_narrow(const unsigned char *p, size_t n, unsigned char *out, size_t cap)
{
	const char *bom = mie_text_utf16_bom(p, n);
	if (!bom)
		return 0;
	int le = bom[6] == 'l';
	size_t m = 0;
	for (size_t i = 2; i + 1 < n && m < cap; i += 2) {
		unsigned char lo = le ? p[i] : p[i + 1], hi = le ? p[i + 1] : p[i];
		out[m++] = hi ? '?' : lo;
	}
	return m;
}
