/* mie_warc.c — streaming WARC record parser (see mie_warc.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats/mie_warc.h"

#define MAX_HEADER ((size_t)1 << 20)
#define BUFSZ      65536

struct mie_warc {
	mie_input *in;
	unsigned char buf[BUFSZ];
	size_t pos, len;
	int64_t base; /* stream offset of buf[0] */
	int eof, io;
	char version[16];
	mie_buf fields; /* "name\0value\0" pairs */
	size_t nfields;
	int64_t offset, length, remaining;
	int in_record, badsep;
	mie_buf pending; /* a version line found while resynchronising */
	int has_pending;
	mie_buf replay; /* bytes read ahead, served again before the stream's */
	size_t rpos;
	int lenerr;          /* of the last body: +1 Content-Length too long, -1 too short */
	int64_t true_length; /* the body's length then */
	const char *err;
	mie_buf errbuf;
};

mie_warc *mie_warc_new(mie_input *in)
{
	mie_warc *w = mie_xcalloc(1, sizeof *w);
	w->in = in;
	mie_buf_init(&w->fields);
	mie_buf_init(&w->pending);
	mie_buf_init(&w->replay);
	mie_buf_init(&w->errbuf);
	return w;
}

void mie_warc_free(mie_warc *w)
{
	if (!w)
		return;
	mie_buf_release(&w->fields);
	mie_buf_release(&w->pending);
	mie_buf_release(&w->replay);
	mie_buf_release(&w->errbuf);
	free(w);
}

static int64_t here(const mie_warc *w)
{
	return w->base + (int64_t)w->pos;
}

/* Up to cap more bytes at dst: the replayed ones first, then the
 * stream's.  0 at end or error (eof and io set). */
static size_t more(mie_warc *w, unsigned char *dst, size_t cap)
{
	if (w->rpos < w->replay.len) {
		size_t n = w->replay.len - w->rpos < cap ? w->replay.len - w->rpos : cap;
		memcpy(dst, w->replay.data + w->rpos, n);
		w->rpos += n;
		return n;
	}
	if (w->eof)
		return 0;
	ssize_t r = mie_input_read(w->in, dst, cap);
	if (r <= 0) {
		w->eof = 1;
		w->io = r < 0;
		return 0;
	}
	return (size_t)r;
}

/* Makes at least one byte available; 0 at end or error. */
static int fill(mie_warc *w)
{
	if (w->pos < w->len)
		return 1;
	w->base += (int64_t)w->len;
	w->pos = w->len = 0;
	w->len = more(w, w->buf, sizeof w->buf);
	return w->len > 0;
}

/* Makes n (at most 16) bytes available from pos if the stream has them;
 * returns how many are. */
static size_t ahead(mie_warc *w, size_t n)
{
	if (w->len - w->pos < n) {
		memmove(w->buf, w->buf + w->pos, w->len - w->pos);
		w->base += (int64_t)w->pos;
		w->len -= w->pos;
		w->pos = 0;
		size_t got;
		while (w->len < n && (got = more(w, w->buf + w->len, sizeof w->buf - w->len)) > 0)
			w->len += got;
	}
	return w->len - w->pos < n ? w->len - w->pos : n;
}

/* Serves bytes p[0..n) again, before what is left of buf, as the bytes
 * that come next in the stream. */
static void unread(mie_warc *w, const char *p, size_t n)
{
	mie_buf again = MIE_BUF_INIT;
	mie_buf_add(&again, p, n);
	mie_buf_add(&again, w->buf + w->pos, w->len - w->pos);
	mie_buf_add(&again, w->replay.data + w->rpos, w->replay.len - w->rpos);
	mie_buf_release(&w->replay);
	w->replay = again;
	w->rpos = 0;
	w->base = here(w) - (int64_t)n;
	w->pos = w->len = 0;
}

/* One line without its CRLF/LF into line.  1 = line, 0 = end of stream
 * before any byte, -1 = longer than max (line holds the start). */
static int get_line(mie_warc *w, mie_buf *line, size_t max)
{
	mie_buf_reset(line);
	int any = 0, longl = 0;
	while (fill(w)) {
		any = 1;
		unsigned char *s = w->buf + w->pos;
		size_t n = w->len - w->pos;
		unsigned char *nl = memchr(s, '\n', n);
		size_t take = nl ? (size_t)(nl - s) : n;
		if (line->len + take > max)
			longl = 1;
		else
			mie_buf_add(line, s, take);
		w->pos += take + (nl != NULL);
		if (nl)
			break;
	}
	if (line->len && line->data[line->len - 1] == '\r')
		mie_buf_setlen(line, line->len - 1);
	if (longl)
		return -1;
	return any;
}

static int fail(mie_warc *w, const char *fmt, const char *arg)
{
	mie_buf_reset(&w->errbuf);
	mie_buf_addf(&w->errbuf, fmt, arg);
	w->err = w->errbuf.data;
	return MIE_WARC_BAD;
}

/* Skips n bytes of body; returns the number actually skipped. */
static int64_t skip_bytes(mie_warc *w, int64_t n)
{
	int64_t done = 0;
	while (done < n && fill(w)) {
		size_t avail = w->len - w->pos;
		size_t take = (int64_t)avail > n - done ? (size_t)(n - done) : avail;
		w->pos += take;
		done += (int64_t)take;
	}
	return done;
}

/* Is what follows a body the end of its record: CRLF CRLF, then the next
 * "WARC/" line, a blank line or the end of the stream (or nothing)?
 * ahead(w, 9) is short only at the end of the stream. */
static int at_record_end(mie_warc *w)
{
	size_t n = ahead(w, 9);
	const unsigned char *p = w->buf + w->pos;
	if (n == 0)
		return 1;
	if (n < 4 || memcmp(p, "\r\n\r\n", 4) != 0)
		return 0;
	/* (a "WARC/" cut by the end of the stream: the next header's problem) */
	return n == 4 || p[4] == '\r' || p[4] == '\n' || memcmp(p + 4, "WARC/", n - 4) == 0;
}

/* After a body: the CRLF CRLF separator.  A missing one sets badsep and
 * looks for the next "WARC/" line, kept in pending. */
static void end_record(mie_warc *w)
{
	static const char sep[] = "\r\n\r\n";
	int ok = 1;
	for (int i = 0; i < 4; i++) {
		if (!fill(w)) {
			ok = i == 0; /* nothing at all after the last body: tolerated */
			break;
		}
		if (w->buf[w->pos] != (unsigned char)sep[i]) {
			ok = 0;
			break;
		}
		w->pos++;
	}
	w->in_record = 0;
	if (ok)
		return;
	w->badsep = 1;
	mie_buf line = MIE_BUF_INIT;
	int r;
	while ((r = get_line(w, &line, MAX_HEADER)) != 0) {
		if (r > 0 && line.len >= 5 && memcmp(line.data, "WARC/", 5) == 0) {
			mie_buf_reset(&w->pending);
			mie_buf_add(&w->pending, line.data, line.len);
			w->has_pending = 1;
			w->offset = here(w) - (int64_t)line.len - 2;
			break;
		}
	}
	mie_buf_release(&line);
}

static int parse_length(const char *v, int64_t *out)
{
	while (*v == ' ' || *v == '\t')
		v++;
	int64_t n = 0;
	int digits = 0;
	for (; *v >= '0' && *v <= '9'; v++, digits++) {
		if (n > (INT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (*v - '0');
	}
	while (*v == ' ' || *v == '\t')
		v++;
	if (!digits || *v)
		return -1;
	*out = n;
	return 0;
}

int mie_warc_next(mie_warc *w)
{
	w->err = NULL;
	w->badsep = 0;
	w->lenerr = 0;
	if (w->in_record) {
		int64_t want = w->remaining, got = skip_bytes(w, want);
		w->remaining = 0;
		w->in_record = 0;
		if (got < want) {
			mie_buf_reset(&w->errbuf);
			mie_buf_addf(&w->errbuf, "record cut short (%lld of %lld body bytes)",
			             (long long)(w->length - want + got), (long long)w->length);
			w->err = w->errbuf.data;
			return MIE_WARC_BAD;
		}
		end_record(w);
	}
	mie_buf_reset(&w->fields);
	w->nfields = 0;
	w->length = -1;
	mie_buf line = MIE_BUF_INIT;
	int r;
	if (w->has_pending) {
		mie_buf_add(&line, w->pending.data, w->pending.len);
		w->has_pending = 0;
		r = 1;
	} else {
		do {
			w->offset = here(w);
			r = get_line(w, &line, 64);
		} while (r > 0 && line.len == 0); /* blank lines between records */
	}
	int rc = MIE_WARC_RECORD;
	if (r == 0) {
		rc = w->io ? fail(w, "%sread error", "") : MIE_WARC_END;
		goto out;
	}
	mie_buf_addc(&line, 0);
	if (r < 0 || strncmp(line.data, "WARC/", 5) != 0) {
		rc = fail(w, "%snot a WARC record (no \"WARC/\" version line)", "");
		goto out;
	}
	if (strcmp(line.data, "WARC/1.0") != 0 && strcmp(line.data, "WARC/1.1") != 0) {
		rc = fail(w, "unsupported WARC version \"%.20s\"", line.data);
		goto out;
	}
	snprintf(w->version, sizeof w->version, "%s", line.data);
	size_t total = 0;
	for (;;) {
		r = get_line(w, &line, MAX_HEADER);
		if (r == 0) {
			rc = fail(w, "%srecord header cut short", "");
			goto out;
		}
		total += line.len;
		if (r < 0 || total > MAX_HEADER) {
			rc = fail(w, "%srecord header larger than 1 MiB", "");
			goto out;
		}
		if (line.len == 0)
			break;
		if ((line.data[0] == ' ' || line.data[0] == '\t') && w->nfields) {
			/* continuation: fold into the last value */
			size_t i = line.len, k = 0;
			while (k < i && (line.data[k] == ' ' || line.data[k] == '\t'))
				k++;
			mie_buf_setlen(&w->fields, w->fields.len - 1); /* drop its NUL */
			mie_buf_addc(&w->fields, ' ');
			mie_buf_add(&w->fields, line.data + k, i - k);
			mie_buf_addc(&w->fields, 0);
			continue;
		}
		char *colon = memchr(line.data, ':', line.len);
		if (!colon)
			continue; /* not a field: ignored */
		size_t nl = (size_t)(colon - line.data);
		while (nl && (line.data[nl - 1] == ' ' || line.data[nl - 1] == '\t'))
			nl--;
		const char *v = colon + 1, *e = line.data + line.len;
		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		mie_buf_add(&w->fields, line.data, nl);
		mie_buf_addc(&w->fields, 0);
		mie_buf_add(&w->fields, v, (size_t)(e - v));
		mie_buf_addc(&w->fields, 0);
		w->nfields++;
	}
	const char *cl = mie_warc_field(w, "Content-Length");
	if (!cl || parse_length(cl, &w->length) < 0) {
		w->length = -1;
		rc = fail(w, "%sno valid Content-Length", "");
		goto out;
	}
	w->remaining = w->length;
	w->in_record = 1;
out:
	mie_buf_release(&line);
	return rc;
}

const char *mie_warc_field(const mie_warc *w, const char *name)
{
	const char *p = w->fields.data;
	for (size_t i = 0; i < w->nfields; i++) {
		const char *v = p + strlen(p) + 1;
		if (strcasecmp(p, name) == 0)
			return v;
		p = v + strlen(v) + 1;
	}
	return NULL;
}

const char *mie_warc_version(const mie_warc *w)
{
	return w->version;
}

int64_t mie_warc_offset(const mie_warc *w)
{
	return w->offset;
}

int64_t mie_warc_length(const mie_warc *w)
{
	return w->length;
}

int mie_warc_body(mie_warc *w, mie_buf *body)
{
	mie_buf_reset(body);
	if (!w->in_record)
		return MIE_WARC_BODY_OK;
	if (w->remaining > MIE_WARC_MAX_BODY) {
		int64_t got = skip_bytes(w, w->remaining);
		int trunc = got < w->remaining;
		w->remaining = 0;
		w->in_record = 0;
		if (w->io)
			return MIE_WARC_BODY_IO;
		if (!trunc)
			end_record(w);
		return MIE_WARC_BODY_TOO_BIG; /* cut short or not: never read */
	}
	while (w->remaining > 0 && fill(w)) {
		size_t avail = w->len - w->pos;
		size_t take = (int64_t)avail > w->remaining ? (size_t)w->remaining : avail;
		mie_buf_add(body, w->buf + w->pos, take);
		w->pos += take;
		w->remaining -= (int64_t)take;
	}
	int cut = w->remaining > 0;
	w->in_record = 0;
	w->remaining = 0;
	if (w->io)
		return MIE_WARC_BODY_IO;
	if (!cut && at_record_end(w)) {
		w->in_record = 1; /* for end_record */
		end_record(w);
		return MIE_WARC_BODY_OK;
	}
	/* The Content-Length does not end the record.  Too long: the body
	 * holds the next record's start, given back to the stream. */
	static const char next[] = "\r\n\r\nWARC/1.";
	const size_t nl = sizeof next - 1;
	const char *b = memmem(body->data, body->len, next, nl);
	if (b) {
		size_t i = (size_t)(b - body->data);
		unread(w, b + 4, body->len - i - 4);
		mie_buf_setlen(body, i);
	} else if (cut) {
		if (body->len < 4 || memcmp(body->data + body->len - 4, next, 4) != 0)
			return MIE_WARC_BODY_TRUNCATED; /* the file was cut */
		mie_buf_setlen(body, body->len - 4);    /* the last record, too long */
	} else {
		/* Too short: the body goes on up to CRLF CRLF "WARC/1." or the
		 * end of the stream. */
		int found = 0;
		while (body->len < (size_t)MIE_WARC_MAX_BODY && fill(w)) {
			mie_buf_addc(body, (char)w->buf[w->pos++]);
			if (body->len >= nl && memcmp(body->data + body->len - nl, next, nl) == 0) {
				unread(w, body->data + body->len - (nl - 4), nl - 4);
				mie_buf_setlen(body, body->len - nl);
				found = 1;
				break;
			}
		}
		if (w->io)
			return MIE_WARC_BODY_IO;
		if (!found && w->pos < w->len) { /* over the cap: resynchronise */
			mie_buf_setlen(body, (size_t)w->length);
			w->in_record = 1;
			end_record(w);
			return MIE_WARC_BODY_OK;
		}
		size_t k = 0; /* at the end: the separator, as far as it is there */
		while (!found && k < 4 && k < body->len &&
		       body->data[body->len - 1 - k] == next[3 - k])
			k++;
		mie_buf_setlen(body, body->len - k);
	}
	w->lenerr = (int64_t)body->len < w->length ? 1 : -1;
	w->true_length = (int64_t)body->len;
	return MIE_WARC_BODY_OK;
}

const char *mie_warc_error(const mie_warc *w)
{
	return w->err ? w->err : "";
}

int mie_warc_bad_separator(const mie_warc *w)
{
	return w->badsep;
}

int mie_warc_length_wrong(const mie_warc *w, int64_t *true_length)
{
	if (w->lenerr && true_length)
		*true_length = w->true_length;
	return w->lenerr;
}
