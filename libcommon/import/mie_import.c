/* mie_import.c — the importer framework (see mie_import.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mie_archive.h"
#include "mie_cli.h"
#include "mie_import.h"
#include "mie_record.h"
#include "mie_schema.h"

extern const mie_source mie_source_spipdump, mie_source_csv, mie_source_html, mie_source_warc,
        mie_source_feed;

const mie_source *const mie_sources[] = {&mie_source_spipdump, &mie_source_html, &mie_source_csv,
                                         &mie_source_warc,     &mie_source_feed, NULL};

extern const mie_path_source mie_source_bagit;
const mie_path_source *const mie_path_sources[] = {&mie_source_bagit, NULL};

/* Counts per (source, table), in first-seen order for the summary. */
typedef struct tally_row {
	char *source, *table;
	long read, written, rejected, skipped;
} tally_row;

struct mie_import_tally {
	tally_row *rows;
	size_t n;
};

void mie_import_init(mie_import *ctx)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->tally = mie_xcalloc(1, sizeof *ctx->tally);
}

int mie_import_source_index(const mie_source *s)
{
	for (int i = 0; mie_sources[i]; i++)
		if (mie_sources[i] == s)
			return i;
	return -1;
}

int mie_import_finish(mie_import *ctx)
{
	int rc = 0;
	for (int i = 0; mie_sources[i]; i++)
		if (mie_sources[i]->finish && mie_sources[i]->finish(ctx) < 0)
			rc = -1;
	return rc;
}

char *mie_import_host(const char *url)
{
	if (!url || !*url)
		return NULL;
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	if (strncasecmp(p, "www.", 4) == 0)
		p += 4;
	size_t n = strcspn(p, "/:?#\"\\ ");
	if (!n)
		return NULL;
	char *h = mie_xstrndup(p, n);
	for (char *c = h; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c + 32);
	return h;
}

static void release_tally(mie_import *ctx)
{
	for (size_t i = 0; ctx->tally && i < ctx->tally->n; i++) {
		free(ctx->tally->rows[i].source);
		free(ctx->tally->rows[i].table);
	}
	if (ctx->tally)
		free(ctx->tally->rows);
	free(ctx->tally);
	ctx->tally = NULL;
}

void mie_import_release(mie_import *ctx)
{
	for (int i = 0; mie_sources[i]; i++)
		if (mie_sources[i]->release)
			mie_sources[i]->release(ctx);
	release_tally(ctx);
}

mie_import *mie_import_fork(const mie_import *ctx)
{
	mie_import *f = mie_xmalloc(sizeof *f);
	mie_import_init(f);
	f->opt = ctx->opt;
	f->out = mie_writer_fragment(mie_writer_form(ctx->out));
	if (ctx->rejects)
		f->rejects = mie_writer_fragment(MIE_FORM_JSONL);
	mie_buf_init(&f->messages);
	return f;
}

static tally_row *row_for(mie_import *ctx, const char *source, const char *table);

int mie_import_join(mie_import *ctx, mie_import *f)
{
	int rc = mie_writer_put_fragment(ctx->out, f->out);
	if (ctx->rejects && mie_writer_put_fragment(ctx->rejects, f->rejects) != MIE_WRITE_OK)
		rc = MIE_WRITE_IO;
	mie_err_replay(f->messages.data, f->messages.len);
	for (size_t i = 0; i < f->tally->n; i++) {
		const tally_row *from = &f->tally->rows[i];
		tally_row *to = row_for(ctx, from->source, from->table);
		to->read += from->read;
		to->written += from->written;
		to->rejected += from->rejected;
		to->skipped += from->skipped;
	}
	ctx->records += f->records;
	ctx->rejected += f->rejected;
	if (ctx->progress && f->records)
		mie_progress_tick(ctx->progress, ctx->records, 0);
	mie_writer_finish(f->out);
	mie_writer_finish(f->rejects);
	mie_buf_release(&f->messages);
	release_tally(f); /* a fork holds no source state */
	free(f);
	return rc == MIE_WRITE_OK ? 0 : -1;
}

int mie_import_jobs(const mie_import *ctx)
{
	if (ctx->opt.jobs > 0)
		return ctx->opt.jobs;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

static tally_row *row_for(mie_import *ctx, const char *source, const char *table)
{
	struct mie_import_tally *t = ctx->tally;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->rows[i].source, source) == 0 && strcmp(t->rows[i].table, table) == 0)
			return &t->rows[i];
	t->rows = mie_xrealloc(t->rows, (t->n + 1) * sizeof *t->rows);
	tally_row *r = &t->rows[t->n++];
	memset(r, 0, sizeof *r);
	r->source = mie_xstrdup(source);
	r->table = mie_xstrdup(table);
	return r;
}

/* The safety net under every source reader: a top-level field that fails
 * schema v1 (a legacy "lang" that is no language tag, say) is moved, as it
 * was, to extra with a repair recorded; a record still invalid after that
 * is refused with the reason.  So mie-import never writes an invalid
 * record. */
typedef struct net {
	json_t *bad; /* top-level field names with problems (owned; NULL: none yet) */
	mie_buf first;
} net;

static void on_problem(void *p, const char *field, const char *problem)
{
	net *n = p;
	size_t k = strcspn(field, ".[");
	mie_buf name = MIE_BUF_INIT;
	mie_buf_add(&name, field, k);
	if (!n->bad)
		n->bad = json_object();
	json_object_set_new(n->bad, name.data, json_true());
	if (!n->first.len)
		mie_buf_addf(&n->first, "%s: %s", *field ? field : "(record)", problem);
	mie_buf_release(&name);
}

static int make_valid(json_t *rec, mie_buf *why)
{
	net n = {NULL, MIE_BUF_INIT};
	int rc = 0;
	if (mie_schema_check(rec, on_problem, &n) == 0)
		goto done;
	const char *k;
	json_t *v;
	json_t *prov = json_array_get(json_object_get(rec, "provenance"), 0);
	json_object_foreach(n.bad, k, v)
	{
		json_t *val = json_object_get(rec, k);
		json_t *extra = json_object_get(rec, "extra");
		if (!val || !strcmp(k, "type") || !strcmp(k, "id") || !strcmp(k, "extra") ||
		    !strcmp(k, "provenance") || !json_is_string(val) || !json_is_object(prov))
			continue;
		if (!extra) {
			extra = json_object();
			json_object_set_new(rec, "extra", extra);
		}
		if (!json_object_get(extra, k))
			json_object_set(extra, k, val);
		mie_rec_add_repair(prov, "invalid-field", k,
		                   "not valid for schema v1: kept in extra", NULL);
		json_object_del(rec, k);
	}
	mie_buf_reset(&n.first);
	if (mie_schema_check(rec, on_problem, &n) != 0) {
		mie_buf_add(why, n.first.data, n.first.len);
		rc = -1;
	}
done:
	json_decref(n.bad);
	mie_buf_release(&n.first);
	return rc;
}

int mie_import_emit(mie_import *ctx, const char *source, const char *table, json_t *rec)
{
	tally_row *r = row_for(ctx, source, table);
	r->read++;
	mie_buf why = MIE_BUF_INIT;
	int rc = make_valid(rec, &why) < 0 ? MIE_WRITE_BAD
	                                   : mie_writer_put_checked(ctx->out, rec, &why);
	if (rc == MIE_WRITE_OK) {
		r->written++;
		ctx->records++;
		if (ctx->progress)
			mie_progress_tick(ctx->progress, ctx->records, 0);
	} else if (rc == MIE_WRITE_BAD) {
		r->rejected++;
		ctx->rejected++;
		mie_error_at(NULL, "%s %s: %s", table, mie_rec_id_or_dash(rec), why.data);
	}
	mie_buf_release(&why);
	json_decref(rec);
	return rc == MIE_WRITE_IO ? -1 : 0;
}

void mie_import_reject(mie_import *ctx, const char *source, const char *table, const mie_loc *loc,
                       const char *id, json_t *row, const char *reason)
{
	tally_row *r = row_for(ctx, source, table);
	r->read++;
	r->rejected++;
	ctx->rejected++;
	if (id)
		mie_error_at(loc, "%s id %s: %s", table, id, reason);
	else
		mie_error_at(loc, "%s: %s", table, reason);
	if (ctx->rejects && row)
		mie_writer_put(ctx->rejects, row, NULL);
}

void mie_import_skip(mie_import *ctx, const char *source, const char *table, long n)
{
	row_for(ctx, source, table)->skipped += n;
}

void mie_import_summary(const mie_import *ctx)
{
	for (size_t i = 0; i < ctx->tally->n; i++) {
		const tally_row *r = &ctx->tally->rows[i];
		if (r->read || !r->skipped)
			mie_note("%s: %s: %ld read, %ld written, %ld rejected%s", r->source,
			         r->table, r->read, r->written, r->rejected, r->skipped ? "" : "");
		if (r->skipped && strcmp(r->source, "spip-dump") == 0 &&
		    (!strcmp(r->table, "authors") || !strcmp(r->table, "keywords") ||
		     !strcmp(r->table, "documents")))
			mie_note("%s: %ld link rows, carried as %s references", r->source,
			         r->skipped, r->table);
		else if (r->skipped)
			mie_note("%s: %s: %ld skipped", r->source, r->table, r->skipped);
	}
}

int mie_import_is_credential(const char *c)
{
	static const char *const exact[] = {
	        "pass", "htpass", "cookie_oubli", "low_sec", "api_key", "apikey", NULL};
	static const char *const parts[] = {"password", "passwd",       "secret",     "token",
	                                    "alea_",    "mot_de_passe", "motdepasse", NULL};
	for (int i = 0; exact[i]; i++)
		if (strcasecmp(c, exact[i]) == 0)
			return 1;
	for (int i = 0; parts[i]; i++)
		if (strcasestr(c, parts[i]))
			return 1;
	return 0;
}

int mie_import_stream(mie_import *ctx, mie_input *in, const mie_loc *where)
{
	const mie_source *best = NULL;
	int score = 0;
	size_t n = 4096;
	const unsigned char *head = mie_input_peek(in, &n);
	const char *name = where->member ? where->member : where->file;
	for (int i = 0; mie_sources[i]; i++) {
		if (ctx->opt.from) {
			if (strcmp(ctx->opt.from, mie_sources[i]->name) == 0)
				best = mie_sources[i];
			continue;
		}
		int s = mie_sources[i]->sniff(head, n, name);
		if (s > score)
			best = mie_sources[i], score = s;
	}
	if (!best) {
		mie_warn_at(where, "not a format mie-import reads: skipped");
		mie_status_raise(MIE_EXIT_DATA);
		mie_import_skip(ctx, "-", "unknown files", 1);
		return 0;
	}
	return best->read(ctx, in, where);
}

static int walk_cb(void *ctx, mie_input *in, const mie_loc *where)
{
	return mie_import_stream(ctx, in, where);
}

int mie_import_path(mie_import *ctx, const char *path)
{
	/* an explicit --max-bytes is the user's bound: the ratio is not checked */
	mie_walk_options opt = {ctx->opt.max_bytes, ctx->opt.max_bytes ? -1 : 0, 0};
	for (int i = 0; ctx->opt.from && mie_path_sources[i]; i++)
		if (strcmp(ctx->opt.from, mie_path_sources[i]->name) == 0)
			return mie_path_sources[i]->read_path(ctx, path);
	return mie_walk(path, &opt, walk_cb, ctx);
}
