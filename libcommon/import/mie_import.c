/* mie_import.c — the importer framework (see mie_import.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/mie_archive.h"
#include "io/mie_path.h"
#include "import/mie_import.h"
#include "import/mie_privacy.h"
#include "core/mie_progress.h"
#include "record/mie_record.h"
#include "record/mie_schema.h"

extern const mie_source mie_source_spipdump, mie_source_csv, mie_source_html, mie_source_warc,
        mie_source_arc, mie_source_feed, mie_source_sql;

const mie_source *const mie_sources[] = {
        &mie_source_spipdump, &mie_source_html, &mie_source_csv, &mie_source_warc,
        &mie_source_arc,      &mie_source_feed, &mie_source_sql, NULL};

extern const mie_path_source mie_source_bagit;
const mie_path_source *const mie_path_sources[] = {&mie_source_bagit, NULL};

/* Counts per (input, source, table), in first-seen order for the summary.
 * `input` is the command-line input the rows came from; `first` the first
 * stream ("z.zip!dump.xml") they came from, and `many` whether others
 * followed: the summary names the stream when there was one, else the
 * input (a folder of 10 000 pages gives one line per table, not 10 000). */
typedef struct tally_row {
	char *input, *first, *source, *table;
	int many;
	long read, written, rejected, skipped;
	json_t *withheld; /* column name -> values withheld (owned; NULL: none) */
} tally_row;

struct mie_import_tally {
	tally_row *rows;
	size_t n;
	char **inputs; /* the command-line inputs seen, for locations found later */
	char **labels; /* what provenance names each (mie_import_path) */
	size_t ninputs;
	char *input, *stream; /* the current ones (NULL: none yet) */
	long streams;         /* streams handed to mie_import_stream */
	/* progress: the stream being read (borrowed, NULL between streams),
	 * the file it lies in, the bytes read from the files before it */
	const mie_input *in;
	char *file;
	int64_t bytes_before, file_bytes;
	long records_before; /* records written before the current phase */
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

/* Ticks with the bytes read so far of every input (see mie_import_progress). */
static void tick(mie_import *ctx)
{
	struct mie_import_tally *t = ctx->tally;
	if (!ctx->progress || !ctx->progress->mode)
		return;
	if (t->in)
		t->file_bytes = mie_input_top_bytes(t->in);
	mie_progress_tick(ctx->progress, ctx->records - t->records_before,
	                  t->in ? t->bytes_before + t->file_bytes : 0);
}

static void on_block(void *ctx)
{
	tick(ctx);
}

void mie_import_progress(mie_import *ctx, const mie_input *in)
{
	if (ctx->progress && in == ctx->tally->in)
		tick(ctx);
}

int mie_import_finish(mie_import *ctx)
{
	int rc = 0;
	if (ctx->progress) { /* a dump's records are built now, a web archive's written */
		mie_progress_phase(ctx->progress, "building records", -1);
		ctx->tally->records_before = ctx->records;
	}
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
	size_t auth = strcspn(p, "/?#\"\\ ");
	const char *at = memchr(p, '@', auth); /* user:password@ is no part of the host */
	while (at) {
		p = at + 1;
		auth = strcspn(p, "/?#\"\\ ");
		at = memchr(p, '@', auth);
	}
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
	struct mie_import_tally *t = ctx->tally;
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->rows[i].input);
		free(t->rows[i].first);
		free(t->rows[i].source);
		free(t->rows[i].table);
		json_decref(t->rows[i].withheld);
	}
	for (size_t i = 0; i < t->ninputs; i++)
		free(t->inputs[i]), free(t->labels[i]);
	free(t->inputs);
	free(t->labels);
	free(t->rows);
	free(t->input);
	free(t->stream);
	free(t->file);
	free(t);
	ctx->tally = NULL;
}

static void set_str(char **to, const char *s)
{
	free(*to);
	*to = s ? mie_xstrdup(s) : NULL;
}

void mie_import_release(mie_import *ctx)
{
	for (int i = 0; mie_sources[i]; i++)
		if (mie_sources[i]->release)
			mie_sources[i]->release(ctx);
	release_tally(ctx);
}

static void add_input(struct mie_import_tally *t, const char *input, const char *label);

mie_import *mie_import_fork(const mie_import *ctx)
{
	mie_import *f = mie_xmalloc(sizeof *f);
	mie_import_init(f);
	f->opt = ctx->opt;
	f->progress = NULL; /* ticked by the join, on the owning thread */
	set_str(&f->tally->input, ctx->tally->input);
	set_str(&f->tally->stream, ctx->tally->stream);
	for (size_t i = 0; i < ctx->tally->ninputs; i++)
		add_input(f->tally, ctx->tally->inputs[i], ctx->tally->labels[i]);
	f->out = mie_writer_fragment(mie_writer_form(ctx->out));
	if (ctx->rejects)
		f->rejects = mie_writer_fragment(MIE_FORM_JSONL);
	mie_buf_init(&f->messages);
	return f;
}

static tally_row *row_in(struct mie_import_tally *t, const char *input, const char *stream,
                         const char *source, const char *table);

static void add_withheld(tally_row *r, const char *name, long n)
{
	if (!r->withheld)
		r->withheld = json_object();
	json_t *c = json_object_get(r->withheld, name);
	json_object_set_new(r->withheld, name, json_integer(json_integer_value(c) + n));
}

int mie_import_join(mie_import *ctx, mie_import *f)
{
	int rc = mie_writer_put_fragment(ctx->out, f->out);
	if (ctx->rejects && mie_writer_put_fragment(ctx->rejects, f->rejects) != MIE_WRITE_OK)
		rc = MIE_WRITE_IO;
	mie_err_replay(f->messages.data, f->messages.len);
	for (size_t i = 0; i < f->tally->n; i++) {
		const tally_row *from = &f->tally->rows[i];
		tally_row *to =
		        row_in(ctx->tally, from->input, from->first, from->source, from->table);
		to->many |= from->many;
		to->read += from->read;
		to->written += from->written;
		to->rejected += from->rejected;
		to->skipped += from->skipped;
		const char *k;
		json_t *v;
		json_object_foreach(from->withheld, k, v)
		        add_withheld(to, k, json_integer_value(v));
	}
	ctx->records += f->records;
	ctx->rejected += f->rejected;
	if (f->records)
		tick(ctx);
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

/* label: what provenance names the input by (see input_label). */
static void add_input(struct mie_import_tally *t, const char *input, const char *label)
{
	for (size_t i = 0; i < t->ninputs; i++)
		if (strcmp(t->inputs[i], input) == 0)
			return;
	t->inputs = mie_xrealloc(t->inputs, (t->ninputs + 1) * sizeof *t->inputs);
	t->labels = mie_xrealloc(t->labels, (t->ninputs + 1) * sizeof *t->labels);
	t->labels[t->ninputs] = mie_xstrdup(label);
	t->inputs[t->ninputs++] = mie_xstrdup(input);
}

/* What provenance names a command-line INPUT by (malloc'd): --source-label,
 * else its path relative to the working folder (mie_path_relative), so that
 * where the importing machine keeps its files is not in the records;
 * standard input keeps its name. */
static char *input_label(const mie_import *ctx, const char *shown, int is_stdin)
{
	if (ctx->opt.source_label)
		return mie_xstrdup(ctx->opt.source_label);
	if (is_stdin)
		return mie_xstrdup("-");
	char *cwd = getcwd(NULL, 0);
	mie_buf abs = MIE_BUF_INIT, b = MIE_BUF_INIT;
	if (cwd && shown[0] != '/') /* "../here/x.zip" from "here": "x.zip" */
		mie_buf_addf(&abs, "%s/", cwd);
	mie_buf_adds(&abs, shown);
	mie_path_relative(&b, abs.data, cwd);
	free(cwd);
	mie_buf_release(&abs);
	return b.data;
}

/* Provenance files of rec named as their INPUT's label says: the input's
 * own path, or a path under it (a folder's file), gets the label instead. */
static void label_files(const mie_import *ctx, json_t *rec)
{
	const struct mie_import_tally *t = ctx->tally;
	json_t *prov = json_object_get(rec, "provenance");
	for (size_t i = 0; i < json_array_size(prov); i++) {
		json_t *p = json_array_get(prov, i);
		const char *file = json_string_value(json_object_get(p, "file"));
		size_t best = SIZE_MAX, best_n = 0;
		for (size_t k = 0; file && k < t->ninputs; k++) {
			/* standard input is shown "(stdin)", its records say "-" */
			const char *in = strcmp(t->inputs[k], "(stdin)") ? t->inputs[k] : "-";
			size_t n = strlen(in);
			if (n >= best_n && !strncmp(file, in, n) &&
			    (file[n] == '\0' || file[n] == '/' || in[n - 1] == '/'))
				best = k, best_n = n;
		}
		if (best == SIZE_MAX || (!strcmp(file, t->labels[best]) && best_n == strlen(file)))
			continue;
		mie_buf b = MIE_BUF_INIT;
		mie_buf_adds(&b, t->labels[best]);
		const char *rest = file + best_n;
		if (*rest && *rest != '/')
			mie_buf_addc(&b, '/');
		mie_buf_adds(&b, rest);
		json_object_set_new(p, "file", json_stringn(b.data, b.len));
		mie_buf_release(&b);
	}
}

static tally_row *row_in(struct mie_import_tally *t, const char *input, const char *stream,
                         const char *source, const char *table)
{
	for (size_t i = 0; i < t->n; i++) {
		tally_row *r = &t->rows[i];
		if (strcmp(r->source, source) == 0 && strcmp(r->table, table) == 0 &&
		    strcmp(r->input, input) == 0) {
			if (!r->many && strcmp(r->first, stream) != 0)
				r->many = 1;
			return r;
		}
	}
	t->rows = mie_xrealloc(t->rows, (t->n + 1) * sizeof *t->rows);
	tally_row *r = &t->rows[t->n++];
	memset(r, 0, sizeof *r);
	r->input = mie_xstrdup(input);
	r->first = mie_xstrdup(stream);
	r->source = mie_xstrdup(source);
	r->table = mie_xstrdup(table);
	return r;
}

/* The row counting (source, table) for rows read at `at` (NULL: the stream
 * being read, or the last one).  A location found after the inputs were
 * walked (a dump's rows, built at the end) belongs to the command-line
 * input it lies in: that path itself, or a folder holding it. */
static tally_row *row_at(mie_import *ctx, const mie_loc *at, const char *source, const char *table)
{
	struct mie_import_tally *t = ctx->tally;
	if (!at || !at->file)
		return row_in(t, t->input ? t->input : "(stdin)", t->stream ? t->stream : "(stdin)",
		              source, table);
	mie_buf stream = MIE_BUF_INIT;
	mie_loc_format(&stream, &(mie_loc){at->file, at->member, 0});
	const char *input = NULL;
	for (size_t i = 0; i < t->ninputs && !input; i++) {
		const char *in = t->inputs[i];
		size_t k = strlen(in);
		if (strcmp(in, at->file) == 0 ||
		    (strncmp(in, at->file, k) == 0 && (at->file[k] == '/' || in[k - 1] == '/')))
			input = in;
	}
	if (!input) /* "-", or an input not walked by mie_import_path */
		input = stream.data;
	tally_row *r = row_in(t, input, stream.data, source, table);
	mie_buf_release(&stream);
	return r;
}

/* Where a record came from, read back from its first provenance entry
 * (borrowed from rec). */
static mie_loc record_loc(json_t *rec)
{
	json_t *p = json_array_get(json_object_get(rec, "provenance"), 0);
	return (mie_loc){json_string_value(json_object_get(p, "file")),
	                 json_string_value(json_object_get(p, "member")),
	                 (long)json_integer_value(json_object_get(p, "line"))};
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

/* The reject written to --rejects: where the row was, which table, why,
 * then the members of row (borrowed, may be NULL) the source gave, every
 * string with its URL userinfo removed.  Returns a new object. */
static json_t *reject_object(const mie_loc *loc, const char *source, const char *table,
                             const char *id, const json_t *row, const char *reason)
{
	json_t *o = json_object();
	if (loc && loc->file)
		mie_rec_set_str(o, "file", loc->file);
	if (loc && loc->member)
		mie_rec_set_str(o, "member", loc->member);
	if (loc && loc->line > 0)
		json_object_set_new(o, "line", json_integer(loc->line));
	mie_rec_set_str(o, "source", source);
	mie_rec_set_str(o, "table", table);
	if (id)
		mie_rec_set_str(o, "id", id);
	mie_rec_set_str(o, "reason", reason);
	if (row) {
		json_t *copy = json_deep_copy(row);
		json_object_update_missing(o, copy);
		json_decref(copy);
	}
	json_t *scratch = json_object(); /* the repairs of a reject are not written */
	mie_privacy_strip_record(o, scratch);
	json_decref(scratch);
	return o;
}

int mie_import_emit(mie_import *ctx, const char *source, const char *table, json_t *rec)
{
	mie_loc at = record_loc(rec);
	tally_row *r = row_at(ctx, &at, source, table);
	r->read++;
	mie_buf why = MIE_BUF_INIT, file = MIE_BUF_INIT;
	if (at.file) /* messages name the file as typed */
		mie_buf_adds(&file, at.file), at.file = file.data;
	label_files(ctx, rec);
	mie_privacy_strip_record(rec, NULL); /* every importer's records */
	int rc = make_valid(rec, &why) < 0 ? MIE_WRITE_BAD
	                                   : mie_writer_put_checked(ctx->out, rec, &why);
	if (rc == MIE_WRITE_OK) {
		r->written++;
		ctx->records++;
		tick(ctx);
	} else if (rc == MIE_WRITE_BAD) {
		r->rejected++;
		ctx->rejected++;
		mie_error_at(at.file ? &at : NULL, "%s %s: %s", table, mie_rec_id_or_dash(rec),
		             why.data);
		if (ctx->rejects) {
			json_t *row = json_object();
			json_object_set(row, "record", rec);
			json_t *o = reject_object(&at, source, table, mie_rec_id_or_dash(rec), row,
			                          why.data);
			mie_writer_put(ctx->rejects, o, NULL);
			json_decref(o);
			json_decref(row);
		}
	}
	mie_buf_release(&why);
	mie_buf_release(&file);
	json_decref(rec);
	return rc == MIE_WRITE_IO ? -1 : 0;
}

void mie_import_reject(mie_import *ctx, const char *source, const char *table, const mie_loc *loc,
                       const char *id, json_t *row, const char *reason)
{
	tally_row *r = row_at(ctx, loc, source, table);
	r->read++;
	r->rejected++;
	ctx->rejected++;
	mie_buf clean = MIE_BUF_INIT; /* a URL in the reason: without its userinfo */
	mie_privacy_strip_userinfo(&clean, reason, strlen(reason));
	if (id)
		mie_error_at(loc, "%s id %s: %s", table, id, clean.data);
	else
		mie_error_at(loc, "%s: %s", table, clean.data);
	if (ctx->rejects) {
		json_t *o = reject_object(loc, source, table, id, row, clean.data);
		mie_writer_put(ctx->rejects, o, NULL);
		json_decref(o);
	}
	mie_buf_release(&clean);
}

void mie_import_set_aside(mie_import *ctx, const mie_loc *at, const char *source, const char *table,
                          const char *label, const char *id, const char *reason)
{
	mie_import_skip_at(ctx, at, source, label, 1);
	if (!ctx->rejects)
		return;
	json_t *o = reject_object(at, source, table, id, NULL, reason);
	json_object_set_new(o, "withheld", json_true());
	mie_writer_put(ctx->rejects, o, NULL);
	json_decref(o);
}

void mie_import_withheld(mie_import *ctx, const mie_loc *at, const char *source, const char *table,
                         const char *column)
{
	add_withheld(row_at(ctx, at, source, table), column, 1);
}

void mie_import_skip(mie_import *ctx, const char *source, const char *table, long n)
{
	mie_import_skip_at(ctx, NULL, source, table, n);
}

void mie_import_skip_at(mie_import *ctx, const mie_loc *at, const char *source, const char *table,
                        long n)
{
	row_at(ctx, at, source, table)->skipped += n;
}

/* The link tables of a dump, counted as skipped under the field their
 * pairs fill (see mie_spipdump_tables.c). */
static int is_link_field(const tally_row *r)
{
	return (!strcmp(r->source, "spip-dump") || !strcmp(r->source, "sql")) &&
	       (!strcmp(r->table, "authors") || !strcmp(r->table, "keywords") ||
	        !strcmp(r->table, "documents"));
}

void mie_import_summary(const mie_import *ctx)
{
	for (size_t i = 0; i < ctx->tally->n; i++) {
		const tally_row *r = &ctx->tally->rows[i];
		mie_loc where = {r->many ? r->input : r->first, NULL, 0};
		/* "csv: 3 read" rather than "csv csv: 3 read"; an unknown file has
		 * no source */
		const char *sep = *r->source && strcmp(r->source, r->table) ? " " : "";
		const char *table = strcmp(r->source, r->table) ? r->table : "";
		if (r->read || !r->skipped)
			mie_note_at(&where, "%s%s%s: %ld read, %ld written, %ld rejected",
			            r->source, sep, table, r->read, r->written, r->rejected);
		if (r->skipped && is_link_field(r))
			mie_note_at(&where, "%s: %ld %s, carried as %s references", r->source,
			            r->skipped, mie_plural(r->skipped, "link row", "link rows"),
			            r->table);
		else if (r->skipped)
			mie_note_at(&where, "%s%s%s: %ld skipped", r->source, sep, table,
			            r->skipped);
		if (r->withheld) { /* names and counts, never a value */
			mie_buf names = MIE_BUF_INIT;
			const char *k;
			json_t *v;
			json_object_foreach(r->withheld, k, v)
			        mie_buf_addf(&names, "%s%s (%lld)", names.len ? ", " : "", k,
			                     (long long)json_integer_value(v));
			mie_note_at(&where, "%s%s%s: withheld (privacy): %s", r->source, sep, table,
			            names.data);
			mie_buf_release(&names);
		}
	}
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
	mie_buf stream = MIE_BUF_INIT;
	mie_loc_format(&stream, &(mie_loc){where->file, where->member, 0});
	set_str(&ctx->tally->stream, stream.data);
	ctx->tally->streams++;
	struct mie_import_tally *t = ctx->tally;
	if (!t->file || strcmp(t->file, where->file) != 0) { /* the next file */
		t->bytes_before += t->file_bytes;
		t->file_bytes = 0;
		set_str(&t->file, where->file);
	}
	mie_buf_release(&stream);
	if (!ctx->tally->input) /* a stream not given by mie_import_path */
		set_str(&ctx->tally->input, ctx->tally->stream);
	if (n == 0 && !mie_input_failed(in)) {
		/* an empty file, stdin or member: nothing wrong, nothing to read */
		mie_warn_at(where, "no records");
		return 0;
	}
	if (!best) {
		/* content not carried to the output: an error (exit 1, said
		 * even with -q), as man/mie-conventions.7 rules */
		mie_error_at(where, "not a format mie-import reads: skipped");
		mie_import_skip_at(ctx, where, "", "unknown files", 1);
		return 0;
	}
	t->in = in;
	tick(ctx);
	if (ctx->progress && ctx->progress->mode)
		mie_input_on_block(in, on_block, ctx);
	int rc = best->read(ctx, in, where);
	mie_input_on_block(in, NULL, NULL);
	tick(ctx);
	t->in = NULL;
	return rc;
}

const char *mie_import_input(const mie_import *ctx)
{
	return ctx->tally->input;
}

static int walk_cb(void *ctx, mie_input *in, const mie_loc *where)
{
	return mie_import_stream(ctx, in, where);
}

int mie_import_path(mie_import *ctx, const char *path)
{
	/* an explicit --max-bytes alone is the user's bound: the ratio is not
	 * checked (unless --max-ratio asks) */
	double ratio = ctx->opt.max_ratio ? ctx->opt.max_ratio : ctx->opt.max_bytes ? -1 : 0;
	mie_walk_options opt = {ctx->opt.max_bytes, ratio, 0};
	const char *shown = strcmp(path, "-") == 0 ? "(stdin)" : path;
	set_str(&ctx->tally->input, shown);
	char *label = input_label(ctx, shown, strcmp(path, "-") == 0);
	add_input(ctx->tally, shown, label);
	free(label);
	mie_err_begin_input(path);
	long streams = ctx->tally->streams, warnings = mie_warning_count();
	enum mie_exit status = mie_exit_status();
	const mie_path_source *whole = NULL; /* a source that reads the path itself */
	for (int i = 0; ctx->opt.from && mie_path_sources[i]; i++)
		if (strcmp(ctx->opt.from, mie_path_sources[i]->name) == 0)
			whole = mie_path_sources[i];
	int rc = whole ? whole->read_path(ctx, path) : mie_walk(path, &opt, walk_cb, ctx);
	struct stat st;
	/* a folder with nothing in it: said, not an error (a folder whose files
	 * were all refused said why already) */
	if (rc == 0 && ctx->tally->streams == streams && mie_warning_count() == warnings &&
	    mie_exit_status() == status && strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	    S_ISDIR(st.st_mode))
		mie_warn_at(&(mie_loc){path, NULL, 0}, "no records (empty folder)");
	mie_err_end_input();
	return rc;
}
