/* mie_import.c — the importer framework (see mie_import.h): the table of
 * source readers, sniffing, the per-(source, table) accounting, rejects and
 * the credential rule. */
#include "mie_import.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mie_buf.h"
#include "mie_record.h"

extern const mie_source mie_source_spipdump;

const mie_source *const mie_sources[] = {&mie_source_spipdump, NULL};

/* One line of the summary.  Few tables per run: a linked list in first-seen
 * order is enough and keeps the summary in reading order. */
struct mie_import_tally {
	struct mie_import_tally *next;
	char *source, *table;
	long read, written, rejected, skipped;
};

void mie_import_init(mie_import *ctx)
{
	memset(ctx, 0, sizeof *ctx);
}

void mie_import_release(mie_import *ctx)
{
	struct mie_import_tally *t = ctx->tally, *next;
	for (; t; t = next) {
		next = t->next;
		free(t->source);
		free(t->table);
		free(t);
	}
	ctx->tally = NULL;
}

static struct mie_import_tally *tally(mie_import *ctx, const char *source, const char *table)
{
	struct mie_import_tally **p = &ctx->tally;
	for (; *p; p = &(*p)->next)
		if (!strcmp((*p)->table, table) && !strcmp((*p)->source, source))
			return *p;
	struct mie_import_tally *t = mie_xcalloc(1, sizeof *t);
	t->source = mie_xstrdup(source);
	t->table = mie_xstrdup(table);
	*p = t;
	return t;
}

int mie_import_emit(mie_import *ctx, const char *source, const char *table, json_t *rec)
{
	struct mie_import_tally *t = tally(ctx, source, table);
	t->read++;
	mie_buf why = MIE_BUF_INIT;
	int rc = ctx->io_failed ? MIE_WRITE_IO : mie_writer_put(ctx->out, rec, &why);
	if (rc == MIE_WRITE_OK) {
		t->written++;
		ctx->records++;
	} else if (rc == MIE_WRITE_BAD) {
		t->rejected++;
		ctx->rejected++;
		mie_error_at(NULL, "%s: %s: %s", table, mie_rec_id_or_dash(rec),
		             why.len ? why.data : "cannot be written");
	} else {
		ctx->io_failed = errno ? errno : EIO;
	}
	mie_buf_release(&why);
	json_decref(rec);
	return rc == MIE_WRITE_IO ? -1 : 0;
}

void mie_import_reject(mie_import *ctx, const char *source, const char *table, const mie_loc *loc,
                       const char *id, json_t *row, const char *reason)
{
	struct mie_import_tally *t = tally(ctx, source, table);
	t->read++;
	t->rejected++;
	ctx->rejected++;
	if (id)
		mie_error_at(loc, "%s id %s: %s", table, id, reason);
	else
		mie_error_at(loc, "%s: %s", table, reason);
	if (!ctx->rejects || !row || ctx->io_failed)
		return;
	/* never a credential in the rejects: copy without them */
	json_t *clean = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(row, key, v)
	{
		if (!mie_import_is_credential(key))
			json_object_set(clean, key, v);
	}
	if (mie_writer_put(ctx->rejects, clean, NULL) == MIE_WRITE_IO)
		ctx->io_failed = errno ? errno : EIO;
	json_decref(clean);
}

void mie_import_skip(mie_import *ctx, const char *source, const char *table, long n)
{
	struct mie_import_tally *t = tally(ctx, source, table);
	t->read += n;
	t->skipped += n;
}

void mie_import_summary(const mie_import *ctx)
{
	if (ctx->quiet)
		return;
	for (const struct mie_import_tally *t = ctx->tally; t; t = t->next) {
		mie_buf line = MIE_BUF_INIT;
		mie_buf_addf(&line, "%s: %ld read, %ld written, %ld rejected", t->table, t->read,
		             t->written, t->rejected);
		if (t->skipped)
			mie_buf_addf(&line, ", %ld skipped", t->skipped);
		mie_note("%s", line.data);
		mie_buf_release(&line);
	}
}

/* Case-insensitive substring search. */
static int has_word(const char *s, const char *w)
{
	size_t n = strlen(w);
	for (; *s; s++)
		if (!strncasecmp(s, w, n))
			return 1;
	return 0;
}

int mie_import_is_credential(const char *c)
{
	static const char *const exact[] = {"pass",     "htpass",  "cookie_oubli", "low_sec",
	                                    "login",    "api_key", "apikey",       "passwd",
	                                    "pwd",      "hash",    "salt",         "session",
	                                    "jeton",    NULL};
	static const char *const part[] = {"password", "secret",  "token", "alea_",
	                                   "passwd",   "api_key", "mot_de_passe", "private_key",
	                                   NULL};
	for (int i = 0; exact[i]; i++)
		if (!strcasecmp(c, exact[i]))
			return 1;
	if (!strncasecmp(c, "alea", 4))
		return 1;
	for (int i = 0; part[i]; i++)
		if (has_word(c, part[i]))
			return 1;
	return 0;
}

int mie_import_source_index(const mie_source *src)
{
	for (int i = 0; mie_sources[i] && i < MIE_IMPORT_MAX_SOURCES; i++)
		if (mie_sources[i] == src)
			return i;
	return -1;
}

int mie_import_stream(mie_import *ctx, mie_input *in, const mie_loc *where)
{
	const mie_source *src = NULL;
	if (ctx->opt.from) {
		for (int i = 0; mie_sources[i]; i++)
			if (!strcmp(mie_sources[i]->name, ctx->opt.from))
				src = mie_sources[i];
		if (!src) {
			mie_fatal("--from: unknown source format \"%s\"", ctx->opt.from);
			return -1;
		}
	} else {
		size_t n = 4096;
		const unsigned char *head = mie_input_peek(in, &n);
		const char *name = where->member ? where->member : where->file;
		int best = 0;
		for (int i = 0; mie_sources[i]; i++) {
			int score = mie_sources[i]->sniff(head, n, name);
			if (score > best)
				best = score, src = mie_sources[i];
		}
		if (!src) {
			mie_error_at(where, "format not recognised (try --from)");
			return -1;
		}
	}
	int i = mie_import_source_index(src);
	if (i >= 0)
		ctx->used[i] = 1;
	return src->read(ctx, in, where);
}

/* The plain-file case of mie_import_path: one file or "-".  Folders and
 * archives (issue 4) go beside it. */
static int import_file(mie_import *ctx, const char *path)
{
	mie_input *in = mie_input_open(path);
	if (!in)
		return -1;
	mie_loc where = {.file = strcmp(path, "-") ? path : "(stdin)", .member = NULL, .line = 0};
	int rc = mie_import_stream(ctx, in, &where);
	mie_input_free(in);
	return rc;
}

int mie_import_path(mie_import *ctx, const char *path)
{
	return import_file(ctx, path);
}

int mie_import_finish(mie_import *ctx)
{
	int rc = 0;
	for (int i = 0; mie_sources[i] && i < MIE_IMPORT_MAX_SOURCES; i++)
		if (ctx->used[i] && mie_sources[i]->finish && mie_sources[i]->finish(ctx) < 0)
			rc = -1;
	return rc;
}
