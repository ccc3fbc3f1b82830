/* mie_src_sql.c — SQL dumps of a SPIP database (mysqldump, mariadb-dump,
 * phpMyAdmin) to records, offline: mie never runs the SQL.
 *
 * The lexer (mie_sql.h) hands over each row of each INSERT, its values
 * turned back into the bytes the database held; this file hands the row
 * to the path every SPIP dump reader feeds (mie_spipdump.h): the same
 * credential filter, held tables, repeated slices, spill and builders as
 * the XML backup, so one site read from its XML dump and from its SQL dump
 * gives the same records (provenance aside).
 *
 * The bytes a column held: a dump's string literal is in the client's
 * charset (SET NAMES, an introducer), which the server converted into the
 * column's (CREATE TABLE's CHARACTER SET, or the table's DEFAULT CHARSET);
 * the lexer makes that conversion, so a UTF-8 site whose text sits in latin1
 * columns (SPIP 1.9 sends no SET NAMES), dumped by a mysqldump that
 * converts latin1 to utf8mb4 (its default: "Ã©" in the file), comes back as
 * the UTF-8 bytes SPIP stored, and its XML backup's bytes.  MySQL's latin1
 * is windows-1252 with the five bytes it leaves undefined kept
 * (mie_cp1252_to_ucs).  BLOB columns, hex and _binary literals are bytes
 * as they are.  Text that was already double-encoded in the database stays
 * so here, and the builder repairs it with a recorded repair, as for the
 * XML dump.
 *
 * The charset the builder reads values in: UTF-8 for utf8/utf8mb4
 * columns; for latin1 columns (SPIP's), the site's charset: spip_meta's
 * "charset" row (mysqldump writes spip_meta after the content tables: the
 * declaration counts until the end), else UTF-8, whose reading falls back
 * to windows-1252 per field on bytes that are not UTF-8.
 *
 * Bounded: one row in memory (the lexer's), statements of at most
 * MIE_SQL_MAX_STATEMENT bytes.  The CREATE TABLEs of one input are known
 * in that input only. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mie_progress.h"

#include "import/mie_import.h"
#include "import/mie_spipdump.h"
#include "import/mie_sql.h"
#include "text/mie_text.h"

#define SOURCE "sql"

extern const mie_source mie_source_sql;

/* The charset the builder reads the row in: NULL (the site's, declared)
 * for latin1 columns, "utf-8" for a row of utf8 columns only. */
static const char *row_charset(const mie_sql_row *r)
{
	int utf8 = 0;
	for (size_t i = 0; i < r->n; i++) {
		const mie_sql_column *c = r->values[i].decl;
		if (!c || c->type != MIE_SQL_TEXT)
			continue;
		if (mie_sql_charset_class(c->charset) != MIE_SQL_CS_UTF8)
			return NULL;
		utf8 = 1;
	}
	return utf8 ? "utf-8" : NULL;
}

/* A row as the rows' reader takes it, from the lexer or from a batch of
 * the lexer's thread (below).  Borrowed until the next. */
typedef struct row_view {
	int bad; /* MIE_SQL_BAD_ROW: why says why */
	const char *table, *why, *charset;
	long line, index;
	size_t n;
	const char **name, **val;
	size_t *nlen, *vlen;
	size_t cap;
} row_view;

static void view_grow(row_view *v, size_t n)
{
	if (n <= v->cap)
		return;
	v->cap = n;
	v->name = mie_xrealloc(v->name, n * sizeof *v->name);
	v->val = mie_xrealloc(v->val, n * sizeof *v->val);
	v->nlen = mie_xrealloc(v->nlen, n * sizeof *v->nlen);
	v->vlen = mie_xrealloc(v->vlen, n * sizeof *v->vlen);
}

static void view_release(row_view *v)
{
	free(v->name);
	free(v->val);
	free(v->nlen);
	free(v->vlen);
}

static void view_of(row_view *v, int r, const mie_sql_row *row)
{
	v->bad = r == MIE_SQL_BAD_ROW;
	v->table = row->table;
	v->why = row->why;
	v->line = row->line;
	v->index = row->index;
	v->n = v->bad ? 0 : row->n;
	v->charset = v->bad ? NULL : row_charset(row);
	view_grow(v, v->n);
	for (size_t i = 0; i < v->n; i++) {
		v->name[i] = row->names[i];
		v->nlen[i] = row->name_lens[i];
		v->val[i] = row->values[i].data;
		v->vlen[i] = row->values[i].len;
	}
}

/* spip_meta's "charset" row declares the site's charset. */
static void meta_charset(mie_spipdump *d, const row_view *r)
{
	const char *nom = NULL, *val = NULL;
	size_t vlen = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->name[i], "nom") == 0)
			nom = r->val[i];
		else if (strcmp(r->name[i], "valeur") == 0)
			val = r->val[i], vlen = r->vlen[i];
	}
	if (nom && val && strcmp(nom, "charset") == 0 && vlen && vlen < 40) {
		char cs[40];
		memcpy(cs, val, vlen);
		cs[vlen] = '\0';
		mie_spipdump_declare_charset(d, cs);
	}
}

/* One row to the path every SPIP dump reader feeds.  Returns 0 or -1. */
static int take_row(mie_import *ctx, mie_spipdump *d, const mie_loc *where, const row_view *row)
{
	mie_loc at = {where->file, where->member, row->line};
	if (row->bad) {
		mie_buf why = MIE_BUF_INIT;
		mie_buf_addf(&why, "row %ld of the statement: %s", row->index, row->why);
		mie_import_reject(ctx, SOURCE, row->table, &at, NULL, NULL, why.data);
		mie_buf_release(&why);
		return 0;
	}
	if (strcmp(row->table, "spip_meta") == 0)
		meta_charset(d, row);
	mie_spipdump_row_begin(d, row->table);
	/* values are the bytes the database held (the lexer undid the
	 * client's charset); NULL is an empty value, as SPIP's XML backup
	 * writes it */
	for (size_t i = 0; i < row->n; i++)
		mie_spipdump_row_column(d, row->name[i], row->nlen[i], row->val[i], row->vlen[i]);
	return mie_spipdump_row_end(ctx, d, &at, row->charset, row->index);
}

/* ---- the lexer on a thread of its own ----
 *
 * With more than one job (and no progress line, drawn from the input's
 * reads), the lexer runs on a second thread while this one takes its
 * rows, a batch behind: the reading phase, which no worker shares, then
 * costs about the lexer's time alone.  A batch is a run of items: a row
 * (copied: the lexer's buffers change with the next), a warning of the
 * lexer (printed here by mie_sql_say, so its floods are held back as
 * ever), or the text of the lexer thread's other messages (its input's,
 * captured), in the order the one-thread reading would have printed
 * them; the last item says how the lexer ended. */
enum { IT_ROW = 1, IT_BAD, IT_WARN, IT_TEXT, IT_END };
enum { BATCH = 1 << 16 };

typedef struct lexpipe {
	mie_sql *s;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	mie_buf q[2];
	int ready[2]; /* q[k] handed to the reader */
	int cur;      /* the batch the lexer writes */
	int stop;     /* the reader stops the lexer (an output error) */
	mie_buf captured;
} lexpipe;

static void put_num(mie_buf *b, uint64_t v)
{
	mie_buf_add(b, &v, sizeof v);
}

static void put_str(mie_buf *b, const char *p, size_t n)
{
	put_num(b, n);
	mie_buf_add(b, p, n);
	mie_buf_addc(b, '\0');
}

static uint64_t get_num(const char **p)
{
	uint64_t v;
	memcpy(&v, *p, sizeof v);
	*p += sizeof v;
	return v;
}

static const char *get_str(const char **p, size_t *n)
{
	*n = (size_t)get_num(p);
	const char *s = *p;
	*p += *n + 1;
	return s;
}

/* The lexer thread's captured messages so far, as an item. */
static void put_captured(lexpipe *lp)
{
	if (!lp->captured.len)
		return;
	mie_buf *b = &lp->q[lp->cur];
	mie_buf_addc(b, IT_TEXT);
	put_str(b, lp->captured.data, lp->captured.len);
	mie_buf_reset(&lp->captured);
}

static void pipe_say(void *ctx, const mie_loc *at, const char *text)
{
	lexpipe *lp = ctx;
	put_captured(lp);
	mie_buf *b = &lp->q[lp->cur];
	mie_buf_addc(b, IT_WARN);
	put_num(b, (uint64_t)at->line);
	put_str(b, text, strlen(text));
}

/* Hands the current batch over and waits for the other to be free;
 * returns 0, or -1 when the reader asked to stop. */
static int hand_over(lexpipe *lp)
{
	pthread_mutex_lock(&lp->mu);
	lp->ready[lp->cur] = 1;
	pthread_cond_broadcast(&lp->cv);
	lp->cur ^= 1;
	while (lp->ready[lp->cur] && !lp->stop)
		pthread_cond_wait(&lp->cv, &lp->mu);
	int stop = lp->stop;
	pthread_mutex_unlock(&lp->mu);
	mie_buf_reset(&lp->q[lp->cur]);
	return stop ? -1 : 0;
}

static void *lex_thread(void *arg)
{
	lexpipe *lp = arg;
	mie_err_capture(&lp->captured);
	mie_sql_row row;
	int r;
	while ((r = mie_sql_next(lp->s, &row)) > 0) {
		put_captured(lp);
		mie_buf *b = &lp->q[lp->cur];
		mie_buf_addc(b, r == MIE_SQL_ROW ? IT_ROW : IT_BAD);
		put_num(b, (uint64_t)row.line);
		put_num(b, (uint64_t)row.index);
		put_str(b, row.table, strlen(row.table));
		if (r == MIE_SQL_BAD_ROW) {
			put_str(b, row.why, strlen(row.why));
		} else {
			const char *cs = row_charset(&row);
			mie_buf_addc(b, cs ? 1 : 0);
			put_num(b, row.n);
			for (size_t i = 0; i < row.n; i++) {
				put_str(b, row.names[i], row.name_lens[i]);
				put_str(b, row.values[i].data, row.values[i].len);
			}
		}
		if (b->len >= BATCH && hand_over(lp) < 0)
			break;
	}
	mie_err_capture(NULL);
	put_captured(lp);
	mie_buf_addc(&lp->q[lp->cur], IT_END);
	put_num(&lp->q[lp->cur], (uint64_t)(int64_t)r);
	pthread_mutex_lock(&lp->mu);
	lp->ready[lp->cur] = 1;
	pthread_cond_broadcast(&lp->cv);
	pthread_mutex_unlock(&lp->mu);
	return NULL;
}

/* Takes the rows of the lexer's thread.  Returns 0 or -1; *r how the
 * lexer ended (mie_sql_next's last result). */
static int read_piped(mie_import *ctx, mie_spipdump *d, mie_sql *s, const mie_loc *where, int *r)
{
	lexpipe lp = {.s = s};
	pthread_mutex_init(&lp.mu, NULL);
	pthread_cond_init(&lp.cv, NULL);
	for (int k = 0; k < 3; k++)
		mie_buf_init(k < 2 ? &lp.q[k] : &lp.captured);
	mie_sql_set_say(s, pipe_say, &lp);
	pthread_t t;
	if (pthread_create(&t, NULL, lex_thread, &lp) != 0)
		mie_die("cannot start a thread");
	row_view v = {0};
	int rc = 0, k = 0, end = 0;
	*r = MIE_SQL_END;
	while (!end) {
		pthread_mutex_lock(&lp.mu);
		while (!lp.ready[k])
			pthread_cond_wait(&lp.cv, &lp.mu);
		pthread_mutex_unlock(&lp.mu);
		const char *p = lp.q[k].data, *e = p + lp.q[k].len;
		while (p < e && !end) {
			int kind = *p++;
			size_t n;
			if (kind == IT_END) {
				*r = (int)(int64_t)get_num(&p);
				end = 1;
			} else if (kind == IT_TEXT) {
				/* what one thread would have said before stopping */
				const char *text = get_str(&p, &n);
				if (rc == 0)
					mie_err_replay(text, n);
			} else if (kind == IT_WARN) {
				mie_loc at = *where;
				at.line = (long)get_num(&p);
				const char *text = get_str(&p, &n);
				if (rc == 0)
					mie_sql_say(&at, text);
			} else {
				v.bad = kind == IT_BAD;
				v.line = (long)get_num(&p);
				v.index = (long)get_num(&p);
				v.table = get_str(&p, &n);
				v.n = 0;
				if (v.bad) {
					v.why = get_str(&p, &n);
				} else {
					v.charset = *p++ ? "utf-8" : NULL;
					v.n = (size_t)get_num(&p);
					view_grow(&v, v.n);
					for (size_t i = 0; i < v.n; i++) {
						v.name[i] = get_str(&p, &v.nlen[i]);
						v.val[i] = get_str(&p, &v.vlen[i]);
					}
				}
				if (rc == 0)
					rc = take_row(ctx, d, where, &v);
			}
		}
		pthread_mutex_lock(&lp.mu);
		lp.ready[k] = 0;
		lp.stop |= rc != 0;
		pthread_cond_broadcast(&lp.cv);
		pthread_mutex_unlock(&lp.mu);
		k ^= 1;
	}
	pthread_join(t, NULL);
	mie_sql_set_say(s, NULL, NULL);
	view_release(&v);
	for (int i = 0; i < 3; i++)
		mie_buf_release(i < 2 ? &lp.q[i] : &lp.captured);
	pthread_cond_destroy(&lp.cv);
	pthread_mutex_destroy(&lp.mu);
	return rc;
}

static int sql_read(mie_import *ctx, mie_input *in, const mie_loc *where)
{
	int first = !ctx->state[mie_import_source_index(&mie_source_sql)];
	mie_spipdump *d = mie_spipdump_of(ctx, &mie_source_sql);
	if (first) /* until spip_meta says otherwise (see the top) */
		mie_spipdump_declare_charset(d, "utf-8");
	mie_sql_schema schema;
	mie_sql_schema_init(&schema);
	mie_sql *s = mie_sql_new(in, where, &schema);
	int r = MIE_SQL_END, rc = 0;
	if (mie_import_jobs(ctx) > 1 && !(ctx->progress && ctx->progress->mode)) {
		rc = read_piped(ctx, d, s, where, &r);
	} else {
		mie_sql_row row;
		row_view v = {0};
		while (rc == 0 && (r = mie_sql_next(s, &row)) > 0) {
			view_of(&v, r, &row);
			rc = take_row(ctx, d, where, &v);
		}
		view_release(&v);
	}
	if (rc == 0 && r < 0)
		rc = -1;
	mie_sql_free(&s);
	mie_sql_schema_release(&schema);
	return rc;
}

static int sql_finish(mie_import *ctx)
{
	if (!ctx->state[mie_import_source_index(&mie_source_sql)])
		return 0;
	return mie_spipdump_finish(ctx, mie_spipdump_of(ctx, &mie_source_sql));
}

static void sql_release(mie_import *ctx)
{
	mie_spipdump_release(ctx, &mie_source_sql);
}

static int sql_sniff(const unsigned char *head, size_t n, const char *name)
{
	return mie_sql_sniff(head, n, name);
}

const mie_source mie_source_sql = {
        SOURCE,     "SQL dumps of a SPIP database (mysqldump, phpMyAdmin; .sql, .gz)",
        sql_sniff,  sql_read,
        sql_finish, sql_release};
