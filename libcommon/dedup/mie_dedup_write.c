/* mie_dedup_write.c — pass 3: the records again, in input order, marked,
 * merged or only canonicals.  See mie_dedup.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dedup/mie_dedup_impl.h"
#include "core/mie_err.h"
#include "core/mie_progress.h"

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
static int emit(mie_dedup *d, uint32_t i, mie_writer *w, FILE *fp, json_t *rec, const char *raw,
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
	if (rec) {
		if (json_dumpf(rec, fp, JSON_COMPACT | mie_json_real_precision(rec)) != 0)
			return MIE_WRITE_IO;
	} else if (fwrite(raw, 1, n, fp) != n) {
		return MIE_WRITE_IO;
	}
	return putc('\n', fp) == EOF ? MIE_WRITE_IO : 0;
}

/* The line of record i, read in input order: from the spill file (into
 * *line), or in its source file's mapping (borrowed). */
static const char *next_line(mie_dedup *d, uint32_t i, char **line, size_t *cap)
{
	const drec *r = &d->r[i];
	if (!r->src) {
		ssize_t got = getline(line, cap, d->spill);
		return got == (ssize_t)r->len + 1 ? *line : NULL;
	}
	dsource *s = &d->sources[r->src - 1];
	mie_dedup_release(s->map, &s->done, r->off, 0);
	return s->map + r->off;
}

/* Mark by appending the three members to the line's closing brace, when the
 * line is a compact object without marks (what jansson would write). */
static int mark_text(mie_dedup *d, FILE *fp, const char *line, size_t n, uint32_t i)
{
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\r' || line[n - 1] == '\t'))
		n--;
	const drec *r = &d->r[i];
	if (n < 2 || line[n - 1] != '}' || r->marked)
		return 1;
	size_t k = n - 1;
	while (k > 0 && (line[k - 1] == ' ' || line[k - 1] == '\t' || line[k - 1] == '\r'))
		k--;
	mie_buf *b = &d->scratch;
	mie_buf_reset(b);
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
	return fwrite(b->data, 1, b->len, fp) == b->len ? 0 : MIE_WRITE_IO;
}

/* A run of unchanged lines that follow one another in one source file,
 * copied in blocks (JSON Lines output). */
typedef struct run {
	unsigned src;
	uint64_t start, end; /* end: after the last line, before its LF */
} run;

static int flush_run(mie_dedup *d, run *u, FILE *fp)
{
	if (!u->src)
		return 0;
	dsource *s = &d->sources[u->src - 1];
	size_t n = (size_t)(u->end - u->start);
	u->src = 0;
	if (fwrite(s->map + u->start, 1, n, fp) != n || putc('\n', fp) == EOF)
		return MIE_WRITE_IO;
	mie_dedup_release(s->map, &s->done, u->end, 0);
	return 0;
}

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
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;
	run u = {0, 0, 0};
	for (uint32_t i = 0; i < d->n && rc == 0; i++) {
		const drec *r = &d->r[i];
		mie_progress_tick(p, (long)i, 0);
		/* dropped, or merged into its canonical; the others are marked */
		int gone = r->dup && (d->o.mode == MIE_DEDUP_DROP || r->fold);
		if (gone && r->src)
			continue; /* a spilled line is read all the same, in order */
		int same = !r->dup && !r->marked && !r->folds;
		if (same && r->src && !w) {
			if (u.src == r->src && r->off == u.end + 1) {
				u.end = r->off + r->len;
			} else {
				rc = flush_run(d, &u, fp);
				u = (run){r->src, r->off, r->off + r->len};
			}
			d->st.written++;
			continue;
		}
		if ((rc = flush_run(d, &u, fp)) != 0)
			break;
		const char *l = next_line(d, i, &line, &cap);
		if (!l) {
			rc = mie_dedup_spill_error("read");
			break;
		}
		if (gone)
			continue;
		size_t n = r->len;
		json_t *rec = NULL;
		if (r->dup) {
			if (!w && (rc = mark_text(d, fp, l, n, i)) != 1) {
				d->st.written += rc == 0;
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
		rc = emit(d, i, w, fp, rec, l, n);
		d->st.written += rc == 0;
		rc = rc == 1 ? 0 : rc;
		json_decref(rec);
	}
	if (rc == 0)
		rc = flush_run(d, &u, fp);
	free(line);
	return rc;
}
