/* mie_dedup_write.c — pass 3: the records again, in input order, marked,
 * merged or only canonicals.  See mie_dedup.h. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "dedup/mie_dedup_impl.h"
#include "core/mie_err.h"
#include "core/mie_progress.h"

/* JSON Lines out: pieces gathered and written with writev, the unchanged
 * lines straight from their source's mapping (no copy in this process),
 * the others from `own`.  A piece is borrowed (p set: stays valid until
 * the flush) or a range of own (p NULL).  A held out (the second half of
 * the records, made on a second thread: see write_all) writes nothing
 * until its owner flushes it; its pieces grow instead, own up to
 * HELD_MAX. */
enum { PIECES = 512, OWN_MAX = 1 << 20, HELD_MAX = 64 << 20 };
typedef struct out {
	int fd;
	struct piece {
		const char *p;
		size_t off, len;
	} * piece;
	size_t n, cap;
	int held;
	mie_buf own;      /* owned, like piece */
	dsource *src;     /* the mapping the last borrowed piece is in */
	uint64_t src_end; /* and where it ends there */
} out;

static void out_init(out *o, int fd, int held)
{
	*o = (out){.fd = fd, .held = held, .cap = PIECES};
	o->piece = mie_xmalloc(o->cap * sizeof *o->piece);
	mie_buf_init(&o->own);
}

static void out_release(out *o)
{
	free(o->piece);
	mie_buf_release(&o->own);
}

/* Writes the pieces, PIECES at a time. */
static int out_flush(out *o)
{
	struct iovec v[PIECES];
	int rc = 0, err = 0;
	for (size_t from = 0; from < o->n && !rc; from += PIECES) {
		size_t m = o->n - from < PIECES ? o->n - from : PIECES;
		for (size_t k = 0; k < m; k++) {
			const struct piece *q = &o->piece[from + k];
			v[k] = (struct iovec){(void *)(q->p ? q->p : o->own.data + q->off), q->len};
		}
		for (struct iovec *at = v, *end = v + m; at < end;) {
			ssize_t put = writev(o->fd, at, (int)(end - at));
			if (put < 0 && errno == EINTR)
				continue;
			if (put < 0) {
				rc = MIE_WRITE_IO, err = errno;
				break;
			}
			for (; at < end && (size_t)put >= at->iov_len; at++)
				put -= (ssize_t)at->iov_len;
			if (at < end) {
				at->iov_base = (char *)at->iov_base + put;
				at->iov_len -= (size_t)put;
			}
		}
	}
	o->n = 0;
	mie_buf_reset(&o->own);
	if (o->src) /* written: the pages read can go */
		mie_dedup_release(o->src->map, &o->src->done, o->src_end, 0);
	errno = err ? err : errno; /* the caller says why */
	return rc;
}

/* Room for two more pieces: the pieces so far written when full (grown
 * when held). */
static int out_room(out *o)
{
	if (o->held) {
		if (o->n + 2 > o->cap) {
			o->cap *= 2;
			o->piece = mie_xrealloc(o->piece, o->cap * sizeof *o->piece);
		}
		return 0;
	}
	return o->n + 2 > PIECES || o->own.len > OWN_MAX ? out_flush(o) : 0;
}

/* The line [off, off + n) of source s, borrowed, and its LF. */
static int out_line(out *o, dsource *s, uint64_t off, size_t n)
{
	int rc = out_room(o);
	if (rc)
		return rc;
	int lf = off + n < s->size; /* lines end at an LF, or at the end */
	o->src = s;
	o->src_end = off + n;
	o->piece[o->n++] = (struct piece){s->map + off, 0, n + (size_t)lf};
	if (!lf) { /* the file's last line had none */
		o->piece[o->n++] = (struct piece){NULL, o->own.len, 1};
		mie_buf_addc(&o->own, '\n');
	}
	return 0;
}

/* Where the bytes of the next copied piece start in o->own (after making
 * room: -1 on a write error); out_copied then takes them as a piece. */
static long out_begin(out *o)
{
	return out_room(o) ? -1 : (long)o->own.len;
}

static void out_copied(out *o, long at)
{
	if (o->own.len > (size_t)at)
		o->piece[o->n++] = (struct piece){NULL, (size_t)at, o->own.len - (size_t)at};
}

json_t *mie_dedup_read(mie_dedup *d, uint32_t i)
{
	const drec *r = &d->r[i];
	mie_buf_reset(&d->scratch);
	mie_buf_grow(&d->scratch, r->len);
	int fd = r->src ? d->sources[r->src - 1].fd : fileno(d->spill);
	if (pread(fd, d->scratch.data, r->len, (off_t)r->off) != (ssize_t)r->len) {
		mie_dedup_spill_error("read");
		return NULL;
	}
	json_error_t err;
	json_t *rec = json_loadb(d->scratch.data, r->len, 0, &err);
	if (!rec)
		mie_fatal("spill file: record %u: %s", i, err.text);
	return rec;
}

static void drop_marks(json_t *rec)
{
	json_object_del(rec, "duplicate_of");
	json_object_del(rec, "duplicate_method");
	json_object_del(rec, "duplicate_score");
}

double mie_dedup_round(double x)
{
	return round(x * 1000) / 1000;
}

static void mark(mie_dedup *d, json_t *rec, uint32_t i)
{
	const drec *r = &d->r[i];
	drop_marks(rec);
	json_object_set_new(rec, "duplicate_of", json_string(mie_dedup_id(d, r->canon)));
	json_object_set_new(rec, "duplicate_method", json_string(mie_dedup_method_name(r->method)));
	json_object_set_new(rec, "duplicate_score", json_real(mie_dedup_round(r->score)));
}

/* Writes record i (rec, or its line raw when rec is NULL).  Returns 0,
 * 1 when the record cannot be written in this form (said; the run goes
 * on), or MIE_WRITE_IO. */
static int emit(mie_dedup *d, uint32_t i, mie_writer *w, out *o, json_t *rec, const char *raw,
                size_t n)
{
	if (w) {
		json_error_t err;
		json_t *own = rec ? NULL : json_loadb(raw, n, 0, &err);
		mie_buf why = MIE_BUF_INIT;
		int rc = mie_writer_put(w, rec ? rec : own, &why);
		json_decref(own);
		if (rc == MIE_WRITE_BAD) {
			/* named by its input (the file it is re-read from) and id */
			const drec *r = &d->r[i];
			mie_loc at = {r->src ? d->sources[r->src - 1].path : NULL, NULL, 0};
			mie_error_at(&at, "%s: not written: %s", mie_dedup_id(d, i),
			             why.len ? why.data : "cannot be written in this form");
		}
		mie_buf_release(&why);
		return rc == MIE_WRITE_IO ? MIE_WRITE_IO : rc == MIE_WRITE_BAD;
	}
	long at = out_begin(o);
	if (at < 0)
		return MIE_WRITE_IO;
	if (rec)
		json_dump_callback(rec, mie_dedup_dump_cb, &o->own,
		                   JSON_COMPACT | mie_json_real_precision(rec));
	else
		mie_buf_add(&o->own, raw, n);
	mie_buf_addc(&o->own, '\n');
	out_copied(o, at);
	return 0;
}

/* The line of record i, read in input order: from the spill file (into
 * *line), or in its source file's mapping (borrowed). */
static const char *next_line(mie_dedup *d, uint32_t i, char **line, size_t *cap, int release,
                             uint64_t *done)
{
	const drec *r = &d->r[i];
	if (!r->src) {
		ssize_t got = getline(line, cap, d->spill);
		return got == (ssize_t)r->len + 1 ? *line : NULL;
	}
	dsource *s = &d->sources[r->src - 1];
	if (release) /* pages read are released behind (see write_range) */
		mie_dedup_release(s->map, done ? done : &s->done, r->off, 0);
	return s->map + r->off;
}

/* Mark by appending the three members to the line's closing brace, when the
 * line is a compact object without marks (what jansson would write). */
static int mark_text(mie_dedup *d, out *o, const char *line, size_t n, uint32_t i)
{
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\r' || line[n - 1] == '\t'))
		n--;
	const drec *r = &d->r[i];
	if (n < 2 || line[n - 1] != '}' || r->marked)
		return 1;
	size_t k = n - 1;
	while (k > 0 && (line[k - 1] == ' ' || line[k - 1] == '\t' || line[k - 1] == '\r'))
		k--;
	long at = out_begin(o);
	if (at < 0)
		return MIE_WRITE_IO;
	mie_buf *b = &o->own;
	mie_buf_add(b, line, n - 1);
	mie_buf_adds(b, k > 0 && line[k - 1] == '{' ? "\"duplicate_of\":" : ",\"duplicate_of\":");
	/* the values as jansson writes them (JSON_COMPACT, mie_json_real_precision) */
	const char *id = mie_dedup_id(d, r->canon);
	int plain = 1;
	for (const unsigned char *c = (const unsigned char *)id; *c && plain; c++)
		plain = *c >= 0x20 && *c != '"' && *c != '\\' && *c != 0x7F;
	if (!plain) {
		json_t *v = json_string(id);
		json_dump_callback(v, mie_dedup_dump_cb, b, JSON_ENCODE_ANY);
		json_decref(v);
	} else {
		mie_buf_addc(b, '"');
		mie_buf_adds(b, id);
		mie_buf_addc(b, '"');
	}
	mie_buf_adds(b, ",\"duplicate_method\":\"");
	mie_buf_adds(b, mie_dedup_method_name(r->method));
	mie_buf_adds(b, "\",\"duplicate_score\":");
	double score = mie_dedup_round(r->score);
	if (score == 1) { /* identity and exact: what jansson writes for 1 */
		mie_buf_adds(b, "1.0");
	} else {
		json_t *v = json_real(score);
		json_dump_callback(v, mie_dedup_dump_cb, b,
		                   JSON_ENCODE_ANY | mie_json_real_precision(v));
		json_decref(v);
	}
	mie_buf_adds(b, "}\n");
	out_copied(o, at);
	return 0;
}

/* A run of unchanged lines that follow one another in one source file,
 * copied in blocks (JSON Lines output). */
typedef struct run {
	unsigned src;
	uint64_t start, end; /* end: after the last line, before its LF */
} run;

static int flush_run(mie_dedup *d, run *u, out *o)
{
	if (!u->src)
		return 0;
	dsource *s = &d->sources[u->src - 1];
	u->src = 0;
	return out_line(o, s, u->start, (size_t)(u->end - u->start));
}

/* Records [from, to) out, in order, to w or o; stops early, before a
 * record, when a held o has HELD_MAX bytes of its own (*stop: where it
 * stopped).  *written counts them.  p (may be NULL) is ticked.  The pages
 * of the source's mapping read are released behind: by out_flush for o
 * (once what it borrows is out), here for w and for a held o (with a
 * cursor of its own: what it borrows is read again from the page cache
 * when written). */
static int write_range(mie_dedup *d, mie_writer *w, out *o, uint32_t from, uint32_t to,
                       mie_progress *p, long *written, uint32_t *stop)
{
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;
	uint64_t own_done = from < to ? d->r[from].off & ~(uint64_t)4095 : 0;
	int release = !o || o->held; /* held: one source only (write_all) */
	run u = {0, 0, 0};
	uint32_t i = from;
	for (; i < to && rc == 0; i++) {
		const drec *r = &d->r[i];
		if (p)
			mie_progress_tick(p, (long)i, 0);
		if (o && o->held && o->own.len > HELD_MAX)
			break; /* the rest by the owner, after these are out */
		/* dropped, or merged into its canonical; the others are marked */
		int gone = r->dup && (d->o.mode == MIE_DEDUP_DROP || r->fold);
		if (gone && r->src)
			continue; /* a spilled line is read all the same, in order */
		int same = !r->dup && !r->marked && !r->folds;
		if (same && r->src && !w) {
			if (u.src == r->src && r->off == u.end + 1) {
				u.end = r->off + r->len;
			} else {
				rc = flush_run(d, &u, o);
				u = (run){r->src, r->off, r->off + r->len};
			}
			(*written)++;
			continue;
		}
		if ((rc = flush_run(d, &u, o)) != 0)
			break;
		const char *l =
		        next_line(d, i, &line, &cap, release, o && o->held ? &own_done : NULL);
		if (!l) {
			rc = mie_dedup_spill_error("read");
			break;
		}
		if (gone)
			continue;
		size_t n = r->len;
		json_t *rec = NULL;
		if (r->dup) {
			if (!w && (rc = mark_text(d, o, l, n, i)) != 1) {
				*written += rc == 0;
				continue;
			}
			json_error_t err;
			if (!(rec = json_loadb(l, n, 0, &err))) {
				rc = mie_dedup_spill_error("parse");
				break;
			}
			mark(d, rec, i);
		} else if (r->folds) {
			if (!(rec = mie_dedup_merge(d, i))) {
				rc = -1;
				break;
			}
		} else if (r->marked) {
			json_error_t err;
			if ((rec = json_loadb(l, n, 0, &err)))
				drop_marks(rec);
		}
		rc = emit(d, i, w, o, rec, l, n);
		*written += rc == 0;
		rc = rc == 1 ? 0 : rc;
		json_decref(rec);
	}
	if (rc == 0)
		rc = flush_run(d, &u, o);
	free(line);
	*stop = i;
	return rc;
}

/* The second half of the records made ready on a second thread (held). */
typedef struct half {
	mie_dedup *d;
	out o;
	uint32_t from, stop;
	long written;
	int rc;
} half;

static void *write_half(void *arg)
{
	half *h = arg;
	h->rc = write_range(h->d, NULL, &h->o, h->from, h->d->n, NULL, &h->written, &h->stop);
	return NULL;
}

/* From this many records, JSON Lines are made ready by two threads when
 * every line is re-read from the mapping of one source and nothing is
 * merged (merging reads other records through the engine's buffers). */
#define HALVES_FROM 65536

static int write_all(mie_dedup *d, mie_writer *w, FILE *fp, mie_progress *p);
int mie_dedup_write(mie_dedup *d, mie_writer *w, FILE *fp)
{
	mie_progress p;
	mie_progress_init(&p, mie_progress_enabled(), -1);
	mie_progress_phase(&p, "writing", (long)d->n);
	int rc = write_all(d, w, fp, &p);
	mie_progress_done(&p);
	return rc;
}

static int write_all(mie_dedup *d, mie_writer *w, FILE *fp, mie_progress *p)
{
	if (fseeko(d->spill, 0, SEEK_SET) != 0)
		return mie_dedup_spill_error("seek");
	long written = 0;
	uint32_t stop;
	if (w) {
		int rc = write_range(d, w, NULL, 0, (uint32_t)d->n, p, &written, &stop);
		d->st.written += written;
		return rc;
	}
	/* JSON Lines: written here, past fp (empty) */
	if (fflush(fp) != 0)
		return MIE_WRITE_IO;
	out o;
	out_init(&o, fileno(fp), 0);
	half h = {.d = d, .from = (uint32_t)d->n, .stop = (uint32_t)d->n};
	pthread_t t;
	int two = d->n >= HALVES_FROM && d->spill_len == 0 && d->nsources == 1 &&
	          d->o.mode != MIE_DEDUP_MERGE;
	if (two) {
		h.from = (uint32_t)(d->n / 2);
		out_init(&h.o, o.fd, 1);
		two = pthread_create(&t, NULL, write_half, &h) == 0;
		if (!two)
			h.from = h.stop = (uint32_t)d->n, out_release(&h.o);
	}
	int rc = write_range(d, NULL, &o, 0, h.from, p, &written, &stop);
	if (rc == 0)
		rc = out_flush(&o);
	if (two) {
		pthread_join(t, NULL);
		written += h.written;
		rc = rc ? rc : h.rc;
		if (rc == 0)
			rc = out_flush(&h.o); /* the second half, or its start */
		out_release(&h.o);
	}
	if (rc == 0 && h.stop < d->n) /* the rest, when the held part was full */
		rc = write_range(d, NULL, &o, h.stop, (uint32_t)d->n, p, &written, &stop);
	if (rc == 0)
		rc = out_flush(&o);
	out_release(&o);
	d->st.written += written;
	return rc;
}
