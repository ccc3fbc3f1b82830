/* mie_src_warc.c — web archives (WARC/1.0, WARC/1.1, plain or .warc.gz) to
 * records, through the page reader.
 *
 * - Records are parsed by mie_warc (never libarchive's WARC reader).
 * - A `response` record whose Content-Type is application/http with
 *   msgtype=response is an HTTP response: status line and headers parsed,
 *   charset taken from the HTTP Content-Type, chunked transfer decoded
 *   (a body stored de-chunked under its "Transfer-Encoding: chunked"
 *   header, whose first chunk size does not parse, is used as it is, with
 *   a "not-chunked" repair: warcio and pywb read such captures too),
 *   gzip (or x-gzip, deflate) content decoded with zlib; another content
 *   encoding, or a payload that does not decode, is rejected with a
 *   message.  Only 2xx HTML responses (text/html, application/xhtml+xml,
 *   or no type) become pages; the others are counted as skipped.  A
 *   response record of another Content-Type is not read: their number is
 *   an error (exit 1), at the end of the file.
 * - Every other record (warcinfo, request, metadata, revisit, resource,
 *   conversion, continuation) is counted as skipped by type.  A revisit
 *   carries no page: it is counted; an HTML page that has only revisit
 *   records in the inputs (its response is in an earlier crawl's archive)
 *   is named in one warning at the end, not imported.
 * - Several captures of one URI (across all the WARC inputs of the run):
 *   the latest by WARC-Date is kept (the later record on a tie), the
 *   others counted as "older captures".
 *
 * Bounded memory: the input may be stdin or a .warc.gz member, read once.
 * Each candidate page's decoded HTML is appended to an anonymous spill
 * file (mie_tmpfile()); memory holds one small entry per distinct URI (the
 * URI, the date, where its bytes are in the spill, its charset): a few
 * dozen bytes plus the URI.  The pages are imported in finish(), in the
 * order their URI was first seen, one in memory at a time (each at most
 * 64 MiB, the body cap).  The spill holds every candidate body, so it is
 * at most the size of the archive's HTML payloads. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "text/mie_date.h"
#include "core/mie_hash.h"
#include "import/mie_import.h"
#include "import/mie_page.h"
#include "core/mie_tmp.h"
#include "formats/mie_warc.h"

extern const mie_source mie_source_warc;

typedef struct capture {
	char *uri;
	char date[MIE_DATE_MAX];
	char charset[40];
	unsigned flags; /* MIE_PAGE_*: what was repaired in the record */
	size_t input;   /* index in state.inputs */
	off_t at;       /* in the spill */
	size_t len;
	int revisit; /* only a revisit record named this URI so far: no page */
} capture;

typedef struct warc_state {
	FILE *spill;
	off_t spill_end;
	capture *caps;
	size_t ncaps;
	mie_table uris;  /* URI's hash -> index + 1 into caps (0: being added) */
	mie_loc *inputs; /* file and member strings owned */
	size_t ninputs;
} warc_state;

static warc_state *state_of(mie_import *ctx, int create)
{
	int i = mie_import_source_index(&mie_source_warc);
	if (i < 0)
		return NULL;
	if (!ctx->state[i] && create)
		ctx->state[i] = mie_xcalloc(1, sizeof(warc_state));
	return ctx->state[i];
}

/* Returns the slot for uri (holding 0 when it is new: the caller then
 * fills it with new_capture). */
static size_t *slot_for(warc_state *st, const char *uri)
{
	if (!st->uris.slots)
		mie_table_init(&st->uris, sizeof(size_t), 1024);
	uint64_t key = mie_hash_key(uri, strlen(uri));
	size_t pos = 0;
	for (size_t *k; (k = mie_table_next(&st->uris, key, &pos));)
		if (strcmp(st->caps[*k - 1].uri, uri) == 0)
			return k;
	return mie_table_add(&st->uris, key);
}

static int warc_sniff(const unsigned char *head, size_t n, const char *name)
{
	return n >= 7 && memcmp(head, "WARC/1.", 7) == 0 ? 100 : 0;
}

/* Case-insensitive search for needle in the first n bytes of s. */
static const char *find_ci(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, needle, k) == 0)
			return s + i;
	return NULL;
}

/* The HTTP header `name` in the header block h[0..n) (lines of
 * "Name: value"), copied into out (reset); 1 if found. */
static int http_header(const char *h, size_t n, const char *name, mie_buf *out)
{
	size_t k = strlen(name);
	mie_buf_reset(out);
	for (size_t i = 0; i < n;) {
		const char *e = memchr(h + i, '\n', n - i);
		size_t len = e ? (size_t)(e - (h + i)) : n - i;
		if (len > k && strncasecmp(h + i, name, k) == 0 && h[i + k] == ':') {
			const char *v = h + i + k + 1, *end = h + i + len;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			while (end > v && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
				end--;
			mie_buf_add(out, v, (size_t)(end - v));
			mie_buf_addc(out, 0);
			mie_buf_setlen(out, out->len - 1);
			return 1;
		}
		i += len + 1;
	}
	return 0;
}

/* Decodes a chunked payload.  0, -1 when malformed, -2 when the first
 * chunk already is not one: a body stored de-chunked under the header
 * that announced chunks (Internet Archive captures do this). */
static int dechunk(const char *s, size_t n, mie_buf *out)
{
	size_t i = 0;
	for (int first = 1;; first = 0) {
		size_t size = 0;
		int digits = 0;
		for (; i < n; i++, digits++) {
			char c = s[i];
			int v = c >= '0' && c <= '9'   ? c - '0'
			        : c >= 'a' && c <= 'f' ? c - 'a' + 10
			        : c >= 'A' && c <= 'F' ? c - 'A' + 10
			                               : -1;
			if (v < 0)
				break;
			if (size > ((size_t)MIE_WARC_MAX_BODY >> 4))
				return -1;
			size = size * 16 + (size_t)v;
		}
		/* the first size line is no size line: not chunked at all */
		if (first && (!digits || (i < n && !strchr("\r\n; \t", s[i]))))
			return -2;
		if (!digits)
			return -1;
		const char *nl = memchr(s + i, '\n', n - i); /* chunk extensions ignored */
		if (!nl)
			return -1;
		i = (size_t)(nl - s) + 1;
		if (size == 0)
			return 0; /* trailers ignored */
		if (size > n - i)
			return -1;
		mie_buf_add(out, s + i, size);
		i += size;
		if (i < n && s[i] == '\r')
			i++;
		if (i < n && s[i] == '\n')
			i++;
	}
}

/* Inflates gzip or zlib data (windowBits 15+32 detects both), at most
 * MIE_WARC_MAX_BODY bytes.  0, or -1 when corrupt or too large. */
static int inflate_body(const char *s, size_t n, mie_buf *out)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 32) != Z_OK)
		return -1;
	z.next_in = (Bytef *)s;
	z.avail_in = (uInt)n;
	int r;
	do {
		mie_buf_grow(out, 65536);
		z.next_out = (Bytef *)out->data + out->len;
		z.avail_out = 65536;
		r = inflate(&z, Z_NO_FLUSH);
		mie_buf_setlen(out, out->len + (65536 - z.avail_out));
		if (out->len > (size_t)MIE_WARC_MAX_BODY)
			r = Z_MEM_ERROR;
	} while (r == Z_OK);
	inflateEnd(&z);
	return r == Z_STREAM_END ? 0 : -1;
}

typedef struct reading {
	mie_import *ctx;
	warc_state *st;
	const mie_loc *where;
	size_t input;
	unsigned flags; /* MIE_PAGE_* of every page of this input (MIE_PAGE_ARC) */
	mie_buf body, payload, tmp, hv;
} reading;

static void reject(reading *r, const char *uri, int64_t off, const char *why)
{
	mie_buf m = MIE_BUF_INIT;
	mie_buf_addf(&m, "record at offset %lld (%s): %s", (long long)off, uri ? uri : "no URI",
	             why);
	mie_import_reject(r->ctx, "warc", "responses", r->where, NULL, NULL, m.data);
	mie_buf_release(&m);
}

/* Stores the page in the spill, replacing an older capture of its URI.
 * Returns 0, or -1 on a spill write error. */
/* A new, zeroed capture of uri, entered in the free `slot` (from
 * slot_for, which must not be called again before this). */
static capture *new_capture(warc_state *st, size_t *slot, const char *uri)
{
	st->caps = mie_xrealloc(st->caps, (st->ncaps + 1) * sizeof *st->caps);
	capture *c = &st->caps[st->ncaps++];
	memset(c, 0, sizeof *c);
	c->uri = mie_xstrdup(uri);
	*slot = st->ncaps;
	return c;
}

static int keep(reading *r, const char *uri, const char *date, const char *charset, unsigned flags,
                const char *html, size_t n)
{
	warc_state *st = r->st;
	if (!st->spill && !(st->spill = mie_tmpfile()))
		return -1;
	size_t *slot = slot_for(st, uri);
	capture *c;
	if (*slot && st->caps[*slot - 1].revisit) {
		c = &st->caps[*slot - 1]; /* a revisit named it first: this is its page */
	} else if (*slot) {
		c = &st->caps[*slot - 1];
		if (strcmp(date, c->date) < 0) {
			mie_import_skip(r->ctx, "warc", "older captures", 1);
			return 0;
		}
		mie_import_skip(r->ctx, "warc", "older captures", 1);
	} else {
		c = new_capture(st, slot, uri);
	}
	snprintf(c->date, sizeof c->date, "%s", date);
	snprintf(c->charset, sizeof c->charset, "%s", charset ? charset : "");
	c->revisit = 0;
	c->flags = flags;
	c->input = r->input;
	c->at = st->spill_end;
	c->len = n;
	if (n && (fseeko(st->spill, st->spill_end, SEEK_SET) != 0 ||
	          fwrite(html, 1, n, st->spill) != n)) {
		mie_fatal("temporary file: cannot write the web archive's pages: %s",
		          strerror(errno));
		return -1;
	}
	st->spill_end += (off_t)n;
	return 0;
}

/* A revisit record of an HTML page (its HTTP header block says text/html):
 * the page it stands for must come from a response record of some input.
 * Its URI is held, as a capture without a page, until one does. */
static void note_revisit(reading *r, const char *uri)
{
	const char *b = r->body.data;
	size_t n = r->body.len;
	if (!uri || !*uri || !http_header(b, n, "Content-Type", &r->hv) ||
	    (strncasecmp(r->hv.data, "text/html", 9) != 0 &&
	     strncasecmp(r->hv.data, "application/xhtml+xml", 21) != 0))
		return;
	size_t *slot = slot_for(r->st, uri);
	if (*slot)
		return;
	capture *c = new_capture(r->st, slot, uri);
	c->input = r->input;
	c->revisit = 1;
}

/* One HTTP response record's body. */
static int response(reading *r, const char *uri, const char *date, int64_t off)
{
	const char *b = r->body.data;
	size_t n = r->body.len;
	if (n < 12 || strncmp(b, "HTTP/", 5) != 0) {
		reject(r, uri, off, "no HTTP status line");
		return 0;
	}
	const char *sp = memchr(b, ' ', n);
	int status = sp ? atoi(sp + 1) : 0;
	/* end of the HTTP header block */
	const char *hend = NULL;
	size_t hlen = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		if (b[i] == '\n' && b[i + 1] == '\n') {
			hend = b + i + 2;
			break;
		}
		if (b[i] == '\n' && b[i + 1] == '\r' && i + 2 < n && b[i + 2] == '\n') {
			hend = b + i + 3;
			break;
		}
	}
	if (!hend) {
		reject(r, uri, off, "HTTP header cut short");
		return 0;
	}
	hlen = (size_t)(hend - b);
	if (status < 200 || status > 299) {
		mie_import_skip(r->ctx, "warc", "responses not 2xx", 1);
		return 0;
	}
	char charset[40] = "";
	if (http_header(b, hlen, "Content-Type", &r->hv)) {
		const char *t = r->hv.data;
		if (strncasecmp(t, "text/html", 9) != 0 &&
		    strncasecmp(t, "application/xhtml+xml", 21) != 0) {
			mie_import_skip(r->ctx, "warc", "responses not HTML", 1);
			return 0;
		}
		const char *cs = find_ci(t, r->hv.len, "charset=");
		if (cs) {
			cs += 8;
			if (*cs == '"')
				cs++;
			size_t k = strcspn(cs, "\"; \t");
			if (k < sizeof charset)
				snprintf(charset, sizeof charset, "%.*s", (int)k, cs);
		}
	}
	const char *p = hend;
	size_t pn = n - hlen;
	unsigned flags = r->flags;
	mie_buf_reset(&r->payload);
	if (http_header(b, hlen, "Transfer-Encoding", &r->hv) &&
	    find_ci(r->hv.data, r->hv.len, "chunked")) {
		int d = dechunk(p, pn, &r->payload);
		if (d == -1) {
			reject(r, uri, off, "malformed chunked transfer encoding");
			return 0;
		}
		if (d == -2) { /* stored de-chunked: the body as it is */
			flags |= MIE_PAGE_NOT_CHUNKED;
		} else {
			mie_buf_reset(&r->tmp);
			mie_buf_add(&r->tmp, r->payload.data, r->payload.len);
			p = r->tmp.data;
			pn = r->tmp.len;
		}
	}
	if (http_header(b, hlen, "Content-Encoding", &r->hv) && r->hv.len &&
	    strcasecmp(r->hv.data, "identity") != 0) {
		const char *e = r->hv.data;
		if (strcasecmp(e, "gzip") != 0 && strcasecmp(e, "x-gzip") != 0 &&
		    strcasecmp(e, "deflate") != 0) {
			mie_buf m = MIE_BUF_INIT;
			mie_buf_addf(&m, "content encoding \"%.40s\" not supported: not imported",
			             e);
			reject(r, uri, off, m.data);
			mie_buf_release(&m);
			return 0;
		}
		mie_buf_reset(&r->payload);
		if (inflate_body(p, pn, &r->payload) < 0) {
			reject(r, uri, off, "gzip content does not decode: not imported");
			return 0;
		}
		p = r->payload.data;
		pn = r->payload.len;
	}
	return keep(r, uri, date, charset[0] ? charset : NULL, flags, p, pn);
}

static const char *skip_table(const char *type)
{
	static const char *const known[] = {"warcinfo", "request",    "metadata",     "revisit",
	                                    "resource", "conversion", "continuation", NULL};
	static const char *const tables[] = {
	        "warcinfo records", "request records",    "metadata records",    "revisit records",
	        "resource records", "conversion records", "continuation records"};
	for (int i = 0; known[i]; i++)
		if (type && strcasecmp(type, known[i]) == 0)
			return tables[i];
	return "records of other types";
}

/* Starts reading one input: it is entered in the state's inputs. */
static reading begin(mie_import *ctx, const mie_loc *where)
{
	reading r = {ctx,          state_of(ctx, 1), where,        0,           0,
	             MIE_BUF_INIT, MIE_BUF_INIT,     MIE_BUF_INIT, MIE_BUF_INIT};
	warc_state *st = r.st;
	st->inputs = mie_xrealloc(st->inputs, (st->ninputs + 1) * sizeof *st->inputs);
	mie_loc *copy = &st->inputs[st->ninputs];
	copy->file = where->file ? mie_xstrdup(where->file) : NULL;
	copy->member = where->member ? mie_xstrdup(where->member) : NULL;
	copy->line = 0;
	r.input = st->ninputs++;
	return r;
}

static void end(reading *r)
{
	mie_buf_release(&r->body);
	mie_buf_release(&r->payload);
	mie_buf_release(&r->tmp);
	mie_buf_release(&r->hv);
}

/* After mie_warc_body: a Content-Length that did not end the record
 * (mie_warc_length_wrong) is a data error naming the record. */
static void check_length(mie_warc *w, const mie_loc *where, long nrec)
{
	int64_t real = 0;
	int wrong = mie_warc_length_wrong(w, &real);
	if (!wrong)
		return;
	const char *id = mie_warc_field(w, "WARC-Record-ID");
	mie_error_at(where,
	             "record %ld (WARC-Record-ID %s): Content-Length %lld too %s: the record "
	             "holds %lld bytes up to the next one",
	             nrec, id ? id : "none", (long long)mie_warc_length(w),
	             wrong > 0 ? "long" : "short", (long long)real);
}

static int warc_read(mie_import *ctx, mie_input *in, const mie_loc *where)
{
	reading r = begin(ctx, where);
	mie_warc *w = mie_warc_new(in);
	mie_buf uri = MIE_BUF_INIT;
	int rc = 0, k;
	long nrec = 0, nothttp = 0;
	while ((k = mie_warc_next(w)) == MIE_WARC_RECORD) {
		nrec++;
		if (mie_warc_bad_separator(w))
			mie_warn_at(
			        where,
			        "record at offset %lld: not preceded by the CRLF CRLF separator",
			        (long long)mie_warc_offset(w));
		const char *type = mie_warc_field(w, "WARC-Type");
		const char *ct = mie_warc_field(w, "Content-Type");
		const char *u = mie_warc_field(w, "WARC-Target-URI");
		mie_buf_reset(&uri);
		if (u) {
			size_t ul = strlen(u);
			if (ul >= 2 && u[0] == '<' && u[ul - 1] == '>') /* WARC/1.0 examples */
				u++, ul -= 2;
			ul = strcspn(u, "#") < ul ? strcspn(u, "#") : ul;
			mie_buf_add(&uri, u, ul);
			mie_buf_addc(&uri, 0);
		}
		int64_t off = mie_warc_offset(w);
		int http = type && strcasecmp(type, "response") == 0 && ct &&
		           find_ci(ct, strlen(ct), "application/http") &&
		           find_ci(ct, strlen(ct), "msgtype=response");
		if (!http) {
			if (type && strcasecmp(type, "response") == 0)
				nothttp++;
			mie_import_skip(ctx, "warc",
			                type && strcasecmp(type, "response") == 0
			                        ? "responses not HTTP"
			                        : skip_table(type),
			                1);
			/* read, so that a wrong Content-Length is found */
			if (mie_warc_length(w) <= MIE_WARC_MAX_BODY) {
				int b = mie_warc_body(w, &r.body);
				if (b == MIE_WARC_BODY_IO) {
					rc = -1;
					break;
				}
				check_length(w, where, nrec);
				if (b == MIE_WARC_BODY_OK && type &&
				    strcasecmp(type, "revisit") == 0)
					note_revisit(&r, uri.len ? uri.data : NULL);
			}
			continue;
		}
		char date[MIE_DATE_MAX] = "";
		const char *wd = mie_warc_field(w, "WARC-Date");
		if (!wd || mie_date_w3c(wd, date) != MIE_DATE_OK)
			date[0] = '\0';
		int64_t len = mie_warc_length(w);
		int b = mie_warc_body(w, &r.body);
		if (b == MIE_WARC_BODY_IO) {
			rc = -1;
			break;
		}
		check_length(w, where, nrec);
		if (b == MIE_WARC_BODY_TRUNCATED) {
			mie_buf m = MIE_BUF_INIT;
			mie_buf_addf(&m, "truncated: %zu of %lld bytes", r.body.len,
			             (long long)len);
			reject(&r, uri.len ? uri.data : NULL, off, m.data);
			mie_buf_release(&m);
			break;
		}
		if (b == MIE_WARC_BODY_TOO_BIG) {
			reject(&r, uri.len ? uri.data : NULL, off,
			       "body larger than 64 MiB: not read");
			continue;
		}
		if (!uri.len) {
			reject(&r, NULL, off, "response without WARC-Target-URI");
			continue;
		}
		if (response(&r, uri.data, date, off) < 0) {
			rc = -1;
			break;
		}
	}
	if (nothttp)
		mie_error_at(where,
		             "%ld response record%s without \"Content-Type: application/http; "
		             "msgtype=response\": content not imported",
		             nothttp, nothttp > 1 ? "s" : "");
	if (k == MIE_WARC_BAD) {
		mie_error_at(where, "offset %lld: %s: rest of the file not read",
		             (long long)mie_warc_offset(w), mie_warc_error(w));
		mie_import_skip(ctx, "warc", "unreadable files", 1);
	}
	mie_buf_release(&uri);
	end(&r);
	mie_warc_free(w);
	return rc;
}

/* ---- ARC, the Internet Archive's format before WARC ---- */

/* An ARC record's header line, version 1 ("URL IP DATE TYPE LENGTH") or 2
 * (more fields, the length still last): the URL, the date as an ISO date
 * (empty when it is not 14 digits) and the length.  0, or -1 when the line
 * is no ARC header. */
static int arc_header(char *line, char **url, char date[MIE_DATE_MAX], int64_t *len)
{
	char *f[16];
	int nf = 0;
	for (char *p = strtok(line, " "); p && nf < 16; p = strtok(NULL, " "))
		f[nf++] = p;
	if (nf != 5 && nf != 10)
		return -1;
	char *end;
	long long l = strtoll(f[nf - 1], &end, 10);
	if (*end || end == f[nf - 1] || l < 0)
		return -1;
	*url = f[0];
	*len = l;
	const char *d = f[2];
	date[0] = '\0';
	if (strlen(d) == 14 && strspn(d, "0123456789") == 14) {
		snprintf(date, MIE_DATE_MAX, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", d, d + 4, d + 6,
		         d + 8, d + 10, d + 12);
		if (!mie_date_valid_iso(date))
			date[0] = '\0';
	}
	return 0;
}

static int arc_sniff(const unsigned char *head, size_t n, const char *name)
{
	return n >= 11 && memcmp(head, "filedesc://", 11) == 0 ? 100 : 0;
}

/* Reads an ARC file (plain or .arc.gz) as a web archive: each record whose
 * body is an HTTP response goes through the same path as a WARC response
 * record (latest capture kept, pages imported in finish), with provenance
 * format "arc"; the file description record and the others are counted. */
static int arc_read(mie_import *ctx, mie_input *in, const mie_loc *where)
{
	reading r = begin(ctx, where);
	r.flags = MIE_PAGE_ARC;
	mie_buf line = MIE_BUF_INIT;
	int rc = 0, st;
	int64_t off = 0;
	while ((st = mie_input_getline(in, &line, 8192)) != MIE_LINE_EOF) {
		int64_t at = off;
		off += (int64_t)line.len + 1;
		if (st == MIE_LINE_ERROR) {
			rc = -1;
			break;
		}
		if (line.len && line.data[line.len - 1] == '\r')
			mie_buf_setlen(&line, line.len - 1);
		if (!line.len)
			continue; /* the newline after each record */
		char *url, date[MIE_DATE_MAX];
		int64_t len;
		if (st != MIE_LINE_OK || arc_header(line.data, &url, date, &len) < 0) {
			mie_error_at(where,
			             "offset %lld: not an ARC record header: rest of the file "
			             "not read",
			             (long long)at);
			mie_import_skip(ctx, "warc", "unreadable files", 1);
			break;
		}
		char *u = mie_xstrdup(url);
		mie_buf_reset(&r.body);
		int too_big = len > MIE_WARC_MAX_BODY;
		char chunk[65536];
		int64_t left = len;
		ssize_t k = 1;
		while (left > 0 &&
		       (k = mie_input_read(in, chunk,
		                           left < (int64_t)sizeof chunk ? (size_t)left
		                                                        : sizeof chunk)) > 0) {
			if (!too_big)
				mie_buf_add(&r.body, chunk, (size_t)k);
			left -= k;
		}
		off += len - left;
		if (k < 0 && !mie_input_cut(in)) {
			free(u);
			rc = -1;
			break;
		}
		if (left > 0) {
			mie_buf m = MIE_BUF_INIT;
			mie_buf_addf(&m, "truncated: %lld of %lld bytes", (long long)(len - left),
			             (long long)len);
			reject(&r, u, at, m.data);
			mie_buf_release(&m);
			free(u);
			break;
		}
		if (strncmp(u, "filedesc:", 9) == 0)
			mie_import_skip(ctx, "warc", "ARC file descriptions", 1);
		else if (too_big)
			reject(&r, u, at, "body larger than 64 MiB: not read");
		else if (strncasecmp(u, "http", 4) != 0 || r.body.len < 5 ||
		         strncmp(r.body.data, "HTTP/", 5) != 0)
			mie_import_skip(ctx, "warc", "ARC records not HTTP", 1);
		else if (response(&r, u, date, at) < 0)
			rc = -1;
		free(u);
		if (rc < 0)
			break;
	}
	mie_buf_release(&line);
	end(&r);
	return rc;
}

/* Without --site, a capture of a named host (www.infomie.net) gives ids on
 * that host; a capture of an address (127.0.0.1, localhost) leaves the
 * page reader's default. */
static int named_host(const char *uri)
{
	const char *p = strstr(uri, "://");
	if (!p)
		return 0;
	p += 3;
	size_t n = strcspn(p, "/:?#");
	int letters = 0, dots = 0;
	for (size_t i = 0; i < n; i++) {
		letters += (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z');
		dots += p[i] == '.';
	}
	return letters && dots;
}

static void warc_release(mie_import *ctx)
{
	warc_state *st = state_of(ctx, 0);
	if (!st)
		return;
	if (st->spill)
		fclose(st->spill);
	for (size_t i = 0; i < st->ncaps; i++)
		free(st->caps[i].uri);
	for (size_t i = 0; i < st->ninputs; i++) {
		free((char *)st->inputs[i].file);
		free((char *)st->inputs[i].member);
	}
	free(st->caps);
	mie_table_release(&st->uris);
	free(st->inputs);
	free(st);
	ctx->state[mie_import_source_index(&mie_source_warc)] = NULL;
}

static int warc_finish(mie_import *ctx)
{
	warc_state *st = state_of(ctx, 0);
	if (!st)
		return 0;
	int rc = 0;
	mie_buf page = MIE_BUF_INIT;
	const char *site = ctx->opt.site;
	long *orphans = mie_xcalloc(st->ninputs + 1, sizeof *orphans); /* per input */
	for (size_t i = 0; i < st->ncaps && rc == 0; i++) {
		capture *c = &st->caps[i];
		if (c->revisit) {
			orphans[c->input]++;
			continue;
		}
		mie_buf_reset(&page);
		mie_buf_grow(&page, c->len + 1);
		if (c->len && (fseeko(st->spill, c->at, SEEK_SET) != 0 ||
		               fread(page.data, 1, c->len, st->spill) != c->len)) {
			mie_fatal("temporary file: cannot read back the web archive's pages");
			rc = -1;
			break;
		}
		mie_buf_setlen(&page, c->len);
		if (!site && named_host(c->uri))
			ctx->opt.site = c->uri;
		rc = mie_page_import(ctx, page.data, page.len, c->charset[0] ? c->charset : NULL,
		                     c->uri, &st->inputs[c->input], c->date[0] ? c->date : NULL,
		                     c->flags);
		ctx->opt.site = site;
	}
	mie_buf_release(&page);
	for (size_t i = 0; i < st->ninputs; i++)
		if (orphans[i])
			mie_warn_at(&st->inputs[i],
			            "%ld %s only revisit records in the inputs, no response: not "
			            "imported (their responses are in the archive of the crawl the "
			            "revisits refer to)",
			            orphans[i],
			            mie_plural(orphans[i], "HTML page has", "HTML pages have"));
	free(orphans);
	warc_release(ctx);
	return rc;
}

const mie_source mie_source_arc = {
        "arc",     "ARC web archives (the format before WARC), plain or .arc.gz",
        arc_sniff, arc_read,
        NULL,      NULL};

const mie_source mie_source_warc = {
        "warc",      "web archives (WARC/1.0 and 1.1, plain or .warc.gz)",
        warc_sniff,  warc_read,
        warc_finish, warc_release};
