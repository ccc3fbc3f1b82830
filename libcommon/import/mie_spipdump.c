/* mie_spipdump.c — SPIP 1.9 XML database dumps ("dump.xml[.gz]") to records.
 *
 * Reading: a byte-level lexer for the fixed layout SPIP writes (one
 * <spip_TABLE> element per row, one <column>value</column> child per
 * column, only & and < escaped), not an XML parser: real dumps are not
 * well-formed (control characters, bytes of another charset, "]]>",
 * undeclared entities, a cut last row), and libxml2's reader stops at the
 * first such error.  A value ends at its own closing tag, whatever it holds;
 * nothing in it can stop the lexer or blow up memory beyond one row.
 *
 * Strategy, since SPIP writes tables in its own order (link tables first,
 * sections after articles, spip_meta last, and a dump may come in parts):
 * while reading, link pairs (small integers), the section tree, document
 * types and the site address are held in memory, and every content row is
 * spilled, as read, to an unlinked temporary file (binary: length-prefixed
 * table, line, columns, raw bytes, in the layout a row has in memory, see
 * srow_put; written behind the lexer by mie_spool's thread).  After the
 * last input (mie_source.finish) the spill is read back once and each row
 * becomes a record with its references, section path, ids and legacy URLs
 * complete, built in batches by --jobs threads, the main one included (see
 * build_all), written in row order.  Memory: the held tables (16 bytes a
 * link pair, 4 bytes a content row for repeated-slice detection, the
 * sections' titles) plus two batches and the spool's buffers; disk: the
 * dump's size once.
 *
 * Damage handled: repeated slices (same primary key twice: identical rows
 * kept once, different rows both kept with a warning and a "duplicate_key"
 * repair), a dump without </SPIP> (warning; everything before is kept), a
 * row cut by the end of the file (rejected), a row with a column name
 * over 256 bytes (rejected: its value's end cannot be found), binary revision tables
 * (spip_versions*, skipped and counted), rows converted halfway ("<CONVERT
 * iso-8859-1>" title prefix: the row is read in that charset), a UTF-8 BOM
 * (wins over the declared encoding, with a warning).
 *
 * Ids are SITE:TYPE:ID with SITE the host of --site, else of the dump's
 * adresse_site (spip_meta, or the 1.9.2 root element), "www." dropped;
 * a 1.9.0/1.9.1 dump names no site: then "infomie.net", this archive's.
 *
 * Privacy: credential columns (mie_import_is_credential: pass, htpass,
 * alea_*, cookie_oubli, low_sec…) are dropped at the lexer, never spilled,
 * printed or rejected; spip_meta's secrets with them; private messages
 * (spip_messages, spip_auteurs_messages) are never read.  Emails, IPs and
 * logins of people are kept only with --keep-personal. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mie_date.h"
#include "mie_import.h"
#include "mie_record.h"
#include "mie_spip.h"
#include "mie_spool.h"
#include "mie_text.h"
#include "mie_utf8.h"
#include "mie_xref.h"

#define MAX_ROW ((size_t)256 << 20) /* one row; larger is rejected */
#define SOURCE  "spip-dump"

#define N_CONTENTS 11 /* entries of contents[] below */

/* One row of the dump: its columns' names and raw values (the dump's
 * bytes, any charset, a NUL byte read as SUB), each NUL-terminated, in one
 * buffer; and, once spilled, where it came from.  Reused from row to row. */
typedef struct srow {
	mie_buf bytes; /* owned */
	struct scol {
		size_t name, value, vlen; /* offsets into bytes; vlen: value's length */
		int credential;           /* held only to name a variant (row_fnv) */
	} * cols;                         /* owned */
	size_t n, cap;
	/* from the spill (see spill_next); offsets into bytes, 0: absent */
	size_t table, variant, file, member;
	long line;
	int overlong; /* a column name was cut at 256 bytes: the row is unreliable */
} srow;

static void srow_reset(srow *r)
{
	mie_buf_reset(&r->bytes);
	mie_buf_addc(&r->bytes, '\0'); /* offset 0 is the empty string */
	r->n = 0;
	r->table = r->variant = r->file = r->member = 0;
	r->line = 0;
	r->overlong = 0;
}

static void srow_release(srow *r)
{
	mie_buf_release(&r->bytes);
	free(r->cols);
	memset(r, 0, sizeof *r);
}

/* A row's bytes after the empty string at offset 0 are its columns, each
 * name then value laid out as the spill writes them (a 4-byte length, the
 * bytes, a NUL: see spill_put), so a row without credentials is spilled
 * with one copy. */

/* Appends s (n bytes) as a field; returns the offset of its bytes. */
static size_t srow_put(srow *r, const char *s, size_t n)
{
	uint32_t len = (uint32_t)n;
	mie_buf_add(&r->bytes, &len, sizeof len);
	size_t at = r->bytes.len;
	mie_buf_add(&r->bytes, s, n);
	mie_buf_addc(&r->bytes, '\0');
	return at;
}

/* Adds a column whose name is the field at offset name and whose value,
 * vlen bytes, is the field at offset value (both laid by srow_put, or by
 * read_row in place). */
static void srow_add(srow *r, size_t name, size_t value, size_t vlen, int credential)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->cols = mie_xrealloc(r->cols, r->cap * sizeof *r->cols);
	}
	r->cols[r->n++] = (struct scol){name, value, vlen, credential};
}

static const char *srow_str(const srow *r, size_t off)
{
	return r->bytes.data + off;
}

/* The index of the first column called name, or -1. */
static long col_index(const srow *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++) {
		const char *n = r->bytes.data + r->cols[i].name;
		if (n[0] == name[0] && strcmp(n, name) == 0 && !r->cols[i].credential)
			return (long)i;
	}
	return -1;
}

/* The raw value of a column, or NULL. */
static const char *col(const srow *r, const char *name)
{
	long i = col_index(r, name);
	return i < 0 ? NULL : r->bytes.data + r->cols[i].value;
}

/* Repeated-slice detection for one content table: SPIP ids are dense
 * auto-increment numbers, so a row's 32-bit content hash (never 0) is kept
 * at index id: 4 bytes a row.  An id far beyond the rows seen (hostile or
 * odd dumps) goes to the sparse mie_xref instead, so memory stays bounded
 * by the number of rows, not by the largest id. */
struct seen_table {
	uint32_t *h;
	size_t cap;
	size_t rows;
	int sparse; /* some ids of this table went to the sparse table */
};

typedef struct dump {
	mie_spool *spill; /* owned: rows as spill_row writes them */
	mie_buf spilling; /* the row being spilled */
	srow *row;        /* the row being read (owned) */
	/* column names already asked of mie_import_is_credential: the dump
	 * repeats the same few dozen; a name not held is asked again */
	struct cred_memo {
		char name[32];
		int is;
	} cred[256];
	/* link pairs, 16 bytes each (see link_pair); sorted once in finish */
	struct link_pair *pairs;
	size_t npairs, cappairs;
	int pairs_sorted;
	struct seen_table *dense; /* per content table, by id: repeated slices */
	json_t *sections;         /* "3" -> {"title", "parent"} (owned) */
	json_t *types;            /* id_type -> mime (owned) */
	mie_xref *seen;           /* ids too sparse for `dense`, and variants (owned) */
	json_t *dropped;          /* credential column names seen (owned) */
	char *site_url;           /* from spip_meta or the root element */
	mie_buf carry;            /* bytes of a row the last input ended inside */
	char *carry_file, *carry_member;
	long carry_line;
	char *charset; /* declared */
	int in_root, ended, has_rows;
	long rows;
} dump;

/* ---- the lexer ---- */

/* Reads one input.  A dump cut into parts anywhere (split -b) is read as
 * one: while a row is read, its bytes are recorded (`tape`, appended at
 * each refill from `mark`), and a row the input ends inside is carried to
 * the next input, whose lexer reads the carried bytes first (`pre`). */
typedef struct lexer {
	mie_input *in;
	mie_input *pre; /* carried bytes of a row begun in the previous input, or NULL */
	const mie_loc *where;
	long line;
	const unsigned char *buf; /* borrowed from in or pre (mie_input_next) until refill */
	size_t pos, end;
	int eof;
	int recording; /* inside a row: bytes from mark on go to tape at refill */
	int name_cut;  /* the last tag's name was longer than 256 bytes */
	size_t mark;
	mie_buf tape;
} lexer;

static int lx_fill(lexer *lx)
{
	if (lx->pos < lx->end)
		return 1;
	if (lx->eof)
		return 0;
	if (lx->recording) {
		mie_buf_add(&lx->tape, lx->buf + lx->mark, lx->end - lx->mark);
		lx->mark = lx->end;
	}
	const unsigned char *p = NULL;
	size_t n = 0;
	if (lx->pre) {
		p = mie_input_next(lx->pre, &n);
		if (!p) { /* the carried row goes on in this input, from its line 1 */
			mie_input_free(lx->pre);
			lx->pre = NULL;
			lx->line = 1;
		}
	}
	if (!lx->pre)
		p = mie_input_next(lx->in, &n);
	if (!p) {
		lx->eof = 1;
		return 0;
	}
	lx->buf = p;
	lx->pos = 0;
	lx->end = n;
	lx->mark = 0;
	return 1;
}

/* Starts recording a row whose '<' was the last byte consumed. */
static void lx_record(lexer *lx)
{
	mie_buf_reset(&lx->tape);
	lx->recording = 1;
	lx->mark = lx->pos - 1;
}

static int lx_get(lexer *lx)
{
	if (!lx_fill(lx))
		return -1;
	int c = lx->buf[lx->pos++];
	if (c == '\n')
		lx->line++;
	return c;
}

/* Skips to the next '<' (consumed); returns 0 at end. */
static int lx_to_tag(lexer *lx)
{
	while (lx_fill(lx)) {
		const unsigned char *p = lx->buf + lx->pos, *end = lx->buf + lx->end;
		const unsigned char *lt = memchr(p, '<', (size_t)(end - p));
		const unsigned char *stop = lt ? lt : end;
		for (const unsigned char *q = p; (q = memchr(q, '\n', (size_t)(stop - q))) != NULL;
		     q++)
			lx->line++;
		lx->pos = (size_t)(stop - lx->buf);
		if (lt) {
			lx->pos++;
			return 1;
		}
	}
	return 0;
}

/* Reads a tag's name and the rest of the tag up to '>' into name/attrs.
 * Returns 1, or 0 at end of input. */
static int lx_tag(lexer *lx, mie_buf *name, mie_buf *attrs)
{
	static const unsigned char stop[256] = {
	        ['>'] = 1, [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1};
	mie_buf_reset(name);
	mie_buf_reset(attrs);
	lx->name_cut = 0;
	int c;
	for (;;) { /* the name: up to a delimiter (consumed), at most 256 bytes */
		if (!lx_fill(lx))
			return 0;
		const unsigned char *p = lx->buf + lx->pos, *end = lx->buf + lx->end, *q = p;
		size_t room = 256 - name->len;
		const unsigned char *lim = (size_t)(end - p) < room ? end : p + room;
		while (q < lim && !stop[*q])
			q++;
		mie_buf_add(name, p, (size_t)(q - p));
		lx->pos += (size_t)(q - p);
		if (q < end) { /* the delimiter, or the byte after 256 (dropped) */
			lx->name_cut = !stop[*q];
			c = lx_get(lx);
			break;
		}
	}
	while (c != '>') { /* the rest, up to '>' (consumed), at most 64 KiB kept */
		if (!lx_fill(lx))
			return 0;
		const unsigned char *p = lx->buf + lx->pos, *end = lx->buf + lx->end;
		const unsigned char *gt = memchr(p, '>', (size_t)(end - p)), *to = gt ? gt : end;
		for (const unsigned char *q = p; (q = memchr(q, '\n', (size_t)(to - q))) != NULL;
		     q++)
			lx->line++;
		size_t keep = (size_t)(to - p), room = 65536 - attrs->len;
		mie_buf_add(attrs, p, keep < room ? keep : room);
		lx->pos = (size_t)(to - lx->buf);
		if (gt) {
			lx->pos++;
			c = '>';
		}
	}
	return 1;
}

/* Reads a value up to "</name>" (consumed); the raw bytes are appended to
 * out (the row so far).  Returns 1, 0 at end of input (cut value, or a row
 * over MAX_ROW), -1 when the row's own closing tag "</row>" comes first
 * (the value is then what came before it). */
static int lx_value(lexer *lx, const char *name, size_t nl, const char *row, size_t rl,
                    mie_buf *out)
{
	size_t from = out->len;
	for (;;) {
		if (!lx_fill(lx))
			return 0;
		/* copy up to and including the next '>' in one go */
		const unsigned char *p = lx->buf + lx->pos, *end = lx->buf + lx->end;
		const unsigned char *gt = memchr(p, '>', (size_t)(end - p));
		size_t k = gt ? (size_t)(gt - p) + 1 : (size_t)(end - p);
		for (const unsigned char *q = p; (q = memchr(q, '\n', (size_t)(p + k - q))) != NULL;
		     q++)
			lx->line++;
		mie_buf_add(out, p, k);
		lx->pos += k;
		if (!gt || out->len > MAX_ROW)
			continue;
		if (out->len - from >= nl + 3 &&
		    memcmp(out->data + out->len - nl - 3, "</", 2) == 0 &&
		    memcmp(out->data + out->len - nl - 1, name, nl) == 0) {
			mie_buf_setlen(out, out->len - nl - 3);
			return 1;
		}
		if (out->len - from >= rl + 3 &&
		    memcmp(out->data + out->len - rl - 3, "</", 2) == 0 &&
		    memcmp(out->data + out->len - rl - 1, row, rl) == 0) {
			mie_buf_setlen(out, out->len - rl - 3);
			return -1;
		}
	}
}

/* SPIP's escaping undone in b's bytes from offset `from` on: &lt; and
 * &amp; (other entities are content). */
static void unescape(mie_buf *b, size_t from)
{
	char *d = b->data;
	const char *amp = memchr(d + from, '&', b->len - from);
	if (!amp)
		return;
	size_t i = (size_t)(amp - d), j = i;
	while (i < b->len) { /* d[i] is '&' */
		if (i + 3 < b->len && memcmp(d + i, "&lt;", 4) == 0) {
			d[j++] = '<';
			i += 4;
		} else if (i + 4 < b->len && memcmp(d + i, "&amp;", 5) == 0) {
			d[j++] = '&';
			i += 5;
		} else {
			d[j++] = d[i++];
		}
		const char *next = memchr(d + i, '&', b->len - i);
		size_t run = (next ? (size_t)(next - d) : b->len) - i;
		memmove(d + j, d + i, run);
		i += run;
		j += run;
	}
	mie_buf_setlen(b, j);
}

/* ---- state ---- */

extern const mie_source mie_source_spipdump;

static dump *state(mie_import *ctx)
{
	int i = mie_import_source_index(&mie_source_spipdump);
	if (!ctx->state[i]) {
		dump *d = mie_xcalloc(1, sizeof *d);
		d->dense = mie_xcalloc(N_CONTENTS, sizeof *d->dense);
		d->sections = json_object();
		d->types = json_object();
		d->seen = mie_xref_new(1 << 16);
		mie_xref_grow_quietly(d->seen);
		d->dropped = json_object();
		ctx->state[i] = d;
	}
	return ctx->state[i];
}

static void release(mie_import *ctx)
{
	int i = mie_import_source_index(&mie_source_spipdump);
	dump *d = ctx->state[i];
	if (!d)
		return;
	mie_spool_free(d->spill);
	mie_buf_release(&d->spilling);
	if (d->row)
		srow_release(d->row);
	free(d->row);
	free(d->pairs);
	for (size_t k = 0; k < N_CONTENTS; k++)
		free(d->dense[k].h);
	free(d->dense);
	json_decref(d->sections);
	json_decref(d->types);
	mie_xref_free(d->seen);
	json_decref(d->dropped);
	free(d->site_url);
	mie_buf_release(&d->carry);
	free(d->carry_file);
	free(d->carry_member);
	free(d->charset);
	free(d);
	ctx->state[i] = NULL;
}

/* SPIP ids are whole numbers; anything else cannot make an id. */
static int is_number(const char *s)
{
	size_t n = strspn(s, "0123456789");
	return n > 0 && n < 20 && s[n] == '\0';
}

/* Link tables: (table, column of the content object, its type, field). */
static const struct link {
	const char *table, *ref_col, *ref_type, *obj_col, *obj_type, *field;
} links[] = {
        {"spip_auteurs_articles", "id_auteur", "author", "id_article", "article", "authors"},
        {"spip_mots_articles", "id_mot", "keyword", "id_article", "article", "keywords"},
        {"spip_mots_breves", "id_mot", "keyword", "id_breve", "brief", "keywords"},
        {"spip_mots_rubriques", "id_mot", "keyword", "id_rubrique", "section", "keywords"},
        {"spip_mots_documents", "id_mot", "keyword", "id_document", "document", "keywords"},
        {"spip_mots_syndic", "id_mot", "keyword", "id_syndic", "site", "keywords"},
        {"spip_mots_forum", "id_mot", "keyword", "id_forum", "comment", "keywords"},
        {"spip_documents_articles", "id_document", "document", "id_article", "article",
         "documents"},
        {"spip_documents_breves", "id_document", "document", "id_breve", "brief", "documents"},
        {"spip_documents_rubriques", "id_document", "document", "id_rubrique", "section",
         "documents"},
};

/* Content tables: table, primary key, record type. */
static const struct content {
	const char *table, *key, *type;
} contents[] = {
        {"spip_articles", "id_article", "article"},
        {"spip_breves", "id_breve", "brief"},
        {"spip_rubriques", "id_rubrique", "section"},
        {"spip_auteurs", "id_auteur", "author"},
        {"spip_mots", "id_mot", "keyword"},
        {"spip_groupes_mots", "id_groupe", "keyword_group"},
        {"spip_documents", "id_document", "document"},
        {"spip_syndic", "id_syndic", "site"},
        {"spip_forum", "id_forum", "comment"},
        {"spip_petitions", "id_article", "petition"},
        {"spip_signatures", "id_signature", "signature"},
};

_Static_assert(sizeof contents / sizeof *contents == N_CONTENTS, "N_CONTENTS");

/* Returns 0 (first row with this id), 1 (same content as before), 2 (a
 * different row with this id), or -1 when id is too sparse for the table. */
static int seen_dense(struct seen_table *t, uint64_t id, uint64_t h)
{
	if (id >= (1u << 28) || id >= t->rows * 8 + 65536)
		return -1;
	if (id >= t->cap) {
		size_t n = t->cap ? t->cap : 4096;
		while (n <= id)
			n *= 2;
		t->h = mie_xrealloc(t->h, n * sizeof *t->h);
		memset(t->h + t->cap, 0, (n - t->cap) * sizeof *t->h);
		t->cap = n;
	}
	t->rows++;
	uint32_t v = (uint32_t)(h ^ h >> 32) | 1;
	if (!t->h[id]) {
		t->h[id] = v;
		return 0;
	}
	return t->h[id] == v ? 1 : 2;
}

static const struct content *content_of(const char *table)
{
	for (size_t i = 0; i < sizeof contents / sizeof *contents; i++)
		if (strcmp(contents[i].table, table) == 0)
			return &contents[i];
	return NULL;
}

/* A link row as two 64-bit words: the content object (its type's index
 * in obj_types in the top byte, its id below) and the reference (the link
 * table's index in links[] in the top byte, the referenced id below).  Ids
 * of 2^56 and more are not kept (no SPIP site has them).  Sorted, pairs of
 * one object are adjacent, grouped by link table, then by id. */
struct link_pair {
	uint64_t obj, ref;
};

#define ID_BITS 56
static const char *const obj_types[] = {"article",  "brief", "section",
                                        "document", "site",  "comment"};

static int obj_type_index(const char *type)
{
	for (size_t i = 0; i < sizeof obj_types / sizeof *obj_types; i++)
		if (strcmp(obj_types[i], type) == 0)
			return (int)i;
	return -1;
}

static int parse_id(const char *s, uint64_t *id)
{
	if (!s || !is_number(s))
		return 0;
	unsigned long long v = strtoull(s, NULL, 10);
	if (v >> ID_BITS)
		return 0;
	*id = v;
	return 1;
}

static void note_link(dump *d, const struct link *l, const srow *cols)
{
	uint64_t obj, ref;
	int t = obj_type_index(l->obj_type);
	if (t < 0 || !parse_id(col(cols, l->obj_col), &obj) ||
	    !parse_id(col(cols, l->ref_col), &ref) || ref == 0)
		return;
	if (d->npairs == d->cappairs) {
		d->cappairs = d->cappairs ? d->cappairs * 2 : 4096;
		d->pairs = mie_xrealloc(d->pairs, d->cappairs * sizeof *d->pairs);
	}
	d->pairs[d->npairs++] = (struct link_pair){(uint64_t)t << ID_BITS | obj,
	                                           (uint64_t)(l - links) << ID_BITS | ref};
	d->pairs_sorted = 0;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct link_pair *x = a, *y = b;
	if (x->obj != y->obj)
		return x->obj < y->obj ? -1 : 1;
	return x->ref < y->ref ? -1 : x->ref > y->ref;
}

/* Holds what later rows need; returns 1 when the row is also content. */
static int hold(dump *d, mie_import *ctx, const char *table, const srow *cols)
{
	for (size_t i = 0; i < sizeof links / sizeof *links; i++)
		if (strcmp(links[i].table, table) == 0) {
			note_link(d, &links[i], cols);
			mie_import_skip(ctx, SOURCE, links[i].field, 1);
			return 0;
		}
	if (strcmp(table, "spip_types_documents") == 0) {
		const char *id = col(cols, "id_type"), *mime = col(cols, "mime_type");
		if (id && mime)
			json_object_set_new(d->types, id, json_string_nocheck(mime));
		mie_import_skip(ctx, SOURCE, table, 1);
		return 0;
	}
	if (strcmp(table, "spip_meta") == 0) {
		const char *nom = col(cols, "nom"), *val = col(cols, "valeur");
		if (nom && val && strcmp(nom, "adresse_site") == 0 && !d->site_url)
			d->site_url = mie_xstrdup(val);
		mie_import_skip(ctx, SOURCE, table, 1);
		return 0;
	}
	if (strcmp(table, "spip_rubriques") == 0) {
		const char *id = col(cols, "id_rubrique");
		if (id && is_number(id)) {
			json_t *s = json_object();
			json_object_set_new(
			        s, "title",
			        json_string_nocheck(col(cols, "titre") ? col(cols, "titre") : ""));
			json_object_set_new(s, "parent",
			                    json_string_nocheck(col(cols, "id_parent")
			                                                ? col(cols, "id_parent")
			                                                : "0"));
			json_object_set_new(d->sections, id, s);
		}
	}
	if (content_of(table))
		return 1;
	mie_import_skip(ctx, SOURCE,
	                strncmp(table, "spip_versions", 13) == 0
	                        ? "spip_versions (revision history, binary)"
	                : strstr(table, "messages") ? "private messages (never exported)"
	                                            : table,
	                1);
	return 0;
}

/* ---- reading one input ---- */

/* A row's identity for repeated-slice detection: its values and names
 * hashed eight bytes a step (each piece's length mixed in with its tail,
 * read as two 4-byte words that may overlap, or as its first, middle and
 * last bytes: every byte of the tail counts).  Only compared within a run:
 * never written anywhere. */
static uint64_t hash_fast(const char *s, size_t n, uint64_t h)
{
	const uint64_t k = 0x9E3779B97F4A7C15ULL;
	for (; n >= 8; s += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * k;
		h ^= h >> 31;
	}
	uint64_t w = 0;
	if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else if (n) {
		const unsigned char *u = (const unsigned char *)s;
		w = (uint64_t)u[0] << 16 | (uint64_t)u[n >> 1] << 8 | u[n - 1];
	}
	h = (h ^ w ^ (uint64_t)n << 56) * k;
	return h ^ h >> 31;
}

/* FNV-1a: names a differing copy of a key ("~" and the start of this hash
 * in its id), so ids stay those of earlier versions of mie. */
static uint64_t hash_bytes(const char *s, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

/* The FNV-1a of a row's values and names, credentials included, in
 * their order. */
static uint64_t row_fnv(const srow *r)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < r->n; i++) {
		const char *name = srow_str(r, r->cols[i].name);
		h = hash_bytes(srow_str(r, r->cols[i].value), r->cols[i].vlen, h);
		h = hash_bytes(name, strlen(name) + 1, h);
	}
	return h;
}

/* mie_import_is_credential, remembered by column name (open addressing,
 * a few probes; a name that finds no room is simply asked again). */
static int credential(dump *d, const char *name, size_t n)
{
	size_t slots = sizeof d->cred / sizeof *d->cred;
	if (!n || n >= sizeof d->cred[0].name)
		return mie_import_is_credential(name);
	uint64_t h = hash_fast(name, n, 0);
	h ^= h >> 33;
	for (size_t k = 0; k < 8; k++) {
		struct cred_memo *m = &d->cred[(h + k) % slots];
		if (!m->name[0]) {
			memcpy(m->name, name, n + 1);
			m->is = mie_import_is_credential(name);
			return m->is;
		}
		if (memcmp(m->name, name, n + 1) == 0)
			return m->is;
	}
	return mie_import_is_credential(name);
}

/* Reads one row's columns after its start tag.  Returns 1 (row complete),
 * 0 (the input ended inside it). */
static int read_row(lexer *lx, const char *table, srow *cols, dump *d, uint64_t *h)
{
	mie_buf name = MIE_BUF_INIT, attrs = MIE_BUF_INIT;
	mie_buf *b = &cols->bytes;
	size_t tlen = strlen(table);
	srow_reset(cols);
	int done = 0;
	*h = 0xcbf29ce484222325ULL;
	while (!done) {
		if (!lx_to_tag(lx) || !lx_tag(lx, &name, &attrs))
			break;
		cols->overlong |= lx->name_cut;
		if (name.data[0] == '/') { /* </table>: end of the row */
			done = strcmp(name.data + 1, table) == 0 ? 1 : 0;
			if (!done)
				continue;
			break;
		}
		/* the value is read in place, after its name and its length */
		size_t nm = srow_put(cols, name.data, name.len);
		uint32_t len = 0;
		mie_buf_add(b, &len, sizeof len);
		size_t at = b->len;
		int st = lx_value(lx, name.data, name.len, table, tlen, b);
		if (st == 0)
			break;
		unescape(b, at);
		/* a NUL byte would end the C strings below: it is read as SUB
		 * (U+001A), which the text layer removes with a recorded repair */
		for (char *z = memchr(b->data + at, '\0', b->len - at); z;
		     z = memchr(z, '\0', b->len - (size_t)(z - b->data)))
			*z = 0x1A;
		size_t vlen = b->len - at;
		len = (uint32_t)vlen;
		memcpy(b->data + at - sizeof len, &len, sizeof len);
		mie_buf_addc(b, '\0');
		*h = hash_fast(name.data, name.len + 1, hash_fast(b->data + at, vlen, *h));
		int secret = credential(d, name.data, name.len);
		if (secret)
			json_object_set_new(d->dropped, name.data, json_true());
		srow_add(cols, nm, at, vlen, secret);
		if (st < 0)
			done = 1;
	}
	mie_buf_release(&name);
	mie_buf_release(&attrs);
	return done;
}

/* The spill is binary (host order: the file lives and dies with this
 * process).  A row is its length in bytes (8 bytes), then its fields one
 * after the other, each a 4-byte length, the raw bytes and a NUL, in this
 * order: table, line (decimal), the variant name of a differing duplicate
 * key (the start of its row hash in hex) else "", file, member ("" =
 * none), the number of columns (decimal), then name and value of each
 * column.  Values are the dump's bytes as they are (any charset), so
 * nothing is escaped or decoded twice; a row is read back with one read,
 * its fields used where they lie. */
static void spill_put(mie_buf *b, const char *s, size_t n)
{
	uint32_t len = (uint32_t)n;
	mie_buf_add(b, &len, sizeof len);
	mie_buf_add(b, s, n);
	mie_buf_addc(b, '\0');
}

/* A number as a field, in decimal. */
static void spill_put_uint(mie_buf *b, size_t v)
{
	uint32_t len = 0;
	size_t at = b->len;
	mie_buf_add(b, &len, sizeof len);
	mie_buf_add_uint(b, v);
	len = (uint32_t)(b->len - at - sizeof len);
	memcpy(b->data + at, &len, sizeof len);
	mie_buf_addc(b, '\0');
}

static void spill_puts(mie_buf *b, const char *s)
{
	spill_put(b, s ? s : "", s ? strlen(s) : 0);
}

static int spill_row(dump *d, const char *table, long line, const char *member, const char *file,
                     const srow *cols, const char *variant)
{
	if (!d->spill && !(d->spill = mie_spool_new()))
		return -1;
	mie_buf *b = &d->spilling; /* the head, and the columns of a row with credentials */
	uint64_t total = 0;
	mie_buf_reset(b);
	mie_buf_add(b, &total, sizeof total); /* set below */
	spill_puts(b, table);
	spill_put_uint(b, (size_t)line);
	spill_puts(b, variant);
	spill_puts(b, file);
	spill_puts(b, member);
	size_t kept = 0;
	for (size_t i = 0; i < cols->n; i++)
		kept += !cols->cols[i].credential;
	spill_put_uint(b, kept);
	/* the columns as they lie in the row (see srow_put), unless some
	 * must be left out */
	const char *body = cols->bytes.data + 1;
	size_t blen = cols->bytes.len - 1;
	if (kept < cols->n) {
		for (size_t i = 0; i < cols->n; i++) {
			if (cols->cols[i].credential)
				continue; /* never written anywhere */
			const char *name = srow_str(cols, cols->cols[i].name);
			spill_put(b, name, strlen(name));
			spill_put(b, srow_str(cols, cols->cols[i].value), cols->cols[i].vlen);
		}
		blen = 0;
	}
	total = b->len - sizeof total + blen;
	memcpy(b->data, &total, sizeof total);
	if (mie_spool_write(d->spill, b->data, b->len) < 0)
		return -1;
	return blen ? mie_spool_write(d->spill, body, blen) : 0;
}

/* The next field of a row read whole (`at` its offset in r->bytes);
 * returns the offset of its bytes, or 0 (with *ok = 0) when it overruns
 * the row. */
static size_t spill_field(srow *r, size_t *at, size_t *len, int *ok)
{
	uint32_t n;
	if (!*ok || r->bytes.len - *at < sizeof n) {
		*ok = 0;
		return 0;
	}
	memcpy(&n, r->bytes.data + *at, sizeof n);
	size_t from = *at + sizeof n;
	if (r->bytes.len - from < (size_t)n + 1 || r->bytes.data[from + n] != '\0') {
		*ok = 0;
		return 0;
	}
	*at = from + n + 1;
	*len = n;
	return from;
}

/* Reads the next spilled row into r.  Returns 1, 0 at end, -1 when the
 * file is damaged.  Adds the bytes of the row to *bytes. */
static int spill_next(FILE *f, srow *r, size_t *bytes)
{
	srow_reset(r);
	uint64_t total;
	if (fread(&total, sizeof total, 1, f) != 1)
		return feof(f) ? 0 : -1;
	if (total > ((uint64_t)1 << 40))
		return -1;
	size_t at = r->bytes.len;
	mie_buf_grow(&r->bytes, (size_t)total);
	if (fread(r->bytes.data + at, 1, (size_t)total, f) != total)
		return -1;
	mie_buf_setlen(&r->bytes, at + (size_t)total);
	int ok = 1;
	size_t len = 0, meta[6];
	for (int k = 0; k < 6; k++) {
		meta[k] = spill_field(r, &at, &len, &ok);
		if (!ok)
			return -1;
		if ((k == 2 || k == 4) && !len)
			meta[k] = 0; /* no variant, no member */
	}
	r->table = meta[0];
	r->line = atol(srow_str(r, meta[1]));
	r->variant = meta[2];
	r->file = meta[3];
	r->member = meta[4];
	long n = atol(srow_str(r, meta[5]));
	for (long i = 0; i < n; i++) {
		size_t vlen = 0;
		size_t name = spill_field(r, &at, &len, &ok);
		size_t value = spill_field(r, &at, &vlen, &ok);
		if (!ok)
			return -1;
		srow_add(r, name, value, vlen, 0);
	}
	*bytes += (size_t)total;
	return 1;
}

static void root_attrs(dump *d, const char *attrs)
{
	const char *a = strstr(attrs, "adresse_site=\"");
	if (a && !d->site_url) {
		a += 14;
		d->site_url = mie_xstrndup(a, strcspn(a, "\""));
	}
}

static void declared_charset(dump *d, lexer *lx, const char *attrs, int bom)
{
	const char *e = strstr(attrs, "encoding=");
	char cs[40] = "iso-8859-1"; /* old archives without an encoding */
	if (e) {
		e += 9;
		if (*e == '"' || *e == '\'')
			e++;
		size_t n = strcspn(e, "\"'");
		snprintf(cs, sizeof cs, "%.*s", (int)(n < 39 ? n : 39), e);
	}
	if (bom && strcasecmp(cs, "utf-8") != 0)
		mie_warn_at(lx->where,
		            "UTF-8 byte order mark, but encoding \"%s\" declared: read as UTF-8",
		            cs);
	free(d->charset);
	d->charset = mie_xstrdup(bom ? "utf-8" : cs);
}

/* Keeps the bytes of a row (or tag) an input ended inside, with where it
 * starts, for the next input. */
static void keep_carry(dump *d, const mie_buf *tape, const mie_loc *at)
{
	mie_buf_reset(&d->carry);
	mie_buf_add(&d->carry, tape->data, tape->len);
	char *file = at->file ? mie_xstrdup(at->file) : NULL;
	char *member = at->member ? mie_xstrdup(at->member) : NULL;
	free(d->carry_file);
	free(d->carry_member);
	d->carry_file = file;
	d->carry_member = member;
	d->carry_line = at->line;
}

/* A carried row that no input completed: rejected, as cut (a cut header
 * or closing tag loses nothing and is dropped quietly). */
static void drop_carry(mie_import *ctx, dump *d)
{
	if (!d->carry.len)
		return;
	mie_buf table = MIE_BUF_INIT;
	mie_buf_add(&table, d->carry.data + 1, strcspn(d->carry.data + 1, "> \t\r\n"));
	mie_loc at = {d->carry_file, d->carry_member, d->carry_line};
	if (table.len && !strchr("?!/", table.data[0]) && strcmp(table.data, "SPIP") != 0)
		mie_import_reject(ctx, SOURCE, table.data, &at, NULL, NULL,
		                  "row cut short by the end of the input: not imported");
	mie_buf_release(&table);
	mie_buf_reset(&d->carry);
}

static int spip_read(mie_import *ctx, mie_input *in, const mie_loc *where)
{
	dump *d = state(ctx);
	lexer lx = {.in = in, .where = where, .line = 1, .tape = MIE_BUF_INIT};
	size_t n = 5;
	const unsigned char *head = mie_input_peek(in, &n);
	int bom = n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0;
	int fresh =
	        bom || (n == 5 && (memcmp(head, "<?xml", 5) == 0 || memcmp(head, "<SPIP", 5) == 0));
	mie_buf carried = MIE_BUF_INIT; /* the carry, alive while lx.pre reads it */
	mie_loc carry_at = {NULL, NULL, 0};
	if (d->carry.len && fresh) {
		drop_carry(ctx, d); /* a new dump starts: the cut row stays cut */
	} else if (d->carry.len) {
		carried = d->carry;
		mie_buf_init(&d->carry);
		lx.pre = mie_input_open_memory(carried.data, carried.len, where->file);
		carry_at = (mie_loc){d->carry_file, d->carry_member, d->carry_line};
	}
	mie_buf name = MIE_BUF_INIT, attrs = MIE_BUF_INIT;
	int rc = 0;
	while (lx_to_tag(&lx)) {
		int from_carry = lx.pre != NULL;
		long line = lx.line;
		lx_record(&lx);
		if (!lx_tag(&lx, &name, &attrs)) { /* cut inside a tag: carried too */
			mie_loc at =
			        from_carry ? carry_at : (mie_loc){where->file, where->member, line};
			keep_carry(d, &lx.tape, &at);
			break;
		}
		if (name.data[0] == '?' || name.data[0] == '!' || name.data[0] == '/' ||
		    strcmp(name.data, "SPIP") == 0)
			lx.recording = 0;
		if (name.data[0] == '?') {
			if (strcmp(name.data, "?xml") == 0)
				declared_charset(d, &lx, attrs.data, bom);
			continue;
		}
		if (name.data[0] == '!')
			continue;
		if (strcmp(name.data, "SPIP") == 0) {
			d->in_root = 1;
			root_attrs(d, attrs.data);
			continue;
		}
		if (strcmp(name.data, "/SPIP") == 0) {
			d->ended = 1;
			continue;
		}
		if (name.data[0] == '/')
			continue;
		if (!d->charset)
			d->charset = mie_xstrdup(bom ? "utf-8" : "iso-8859-1");
		if (!d->row)
			d->row = mie_xcalloc(1, sizeof *d->row);
		srow *cols = d->row;
		uint64_t h;
		char *table = mie_xstrdup(name.data);
		mie_loc at = *where;
		at.line = line;
		if (from_carry)
			at = carry_at;
		int complete = read_row(&lx, table, cols, d, &h);
		lx.recording = 0;
		if (!complete) {
			/* the input ends inside this row: carried to the next
			 * input, rejected at the end if none completes it */
			keep_carry(d, &lx.tape, &at);
		} else if (cols->overlong) {
			/* its value's end tag cannot be matched: the value ran on
			 * over the columns after it */
			mie_import_reject(ctx, SOURCE, table, &at, NULL, NULL,
			                  "a column name longer than 256 bytes: row not imported");
		} else if (hold(d, ctx, table, cols)) {
			const struct content *c = content_of(table);
			const char *key = col(cols, c->key);
			int dup = 0;
			if (!key || !is_number(key)) {
				mie_import_reject(
				        ctx, SOURCE, table, &at, NULL, NULL,
				        key ? "primary key is not a number: row not imported"
				            : "row without its primary key: not imported");
			} else {
				mie_buf k = MIE_BUF_INIT;
				mie_buf_adds(&k, table);
				mie_buf_addc(&k, ':');
				mie_buf_adds(&k, key);
				mie_loc first;
				uint64_t idn;
				struct seen_table *t = &d->dense[c - contents];
				int seen = parse_id(key, &idn) ? seen_dense(t, idn, h) : -1;
				/* an id once too sparse may fit the dense table later:
				 * once a table has sparse ids, both are asked */
				if (seen < 0)
					t->sparse = 1;
				if (seen <= 0 && t->sparse)
					seen = mie_xref_add_id(d->seen, k.data, &at, h, &first);
				char variant[17] = "";
				if (seen == 2) {
					/* differs from the first row with this key: a
					 * variant, unless it repeats an earlier variant */
					snprintf(variant, sizeof variant, "%016llx",
					         (unsigned long long)row_fnv(cols));
					mie_buf_addc(&k, '~');
					mie_buf_adds(&k, variant);
					if (mie_xref_add_id(d->seen, k.data, &at, h, &first))
						seen = 1;
				}
				if (seen == 1) {
					mie_import_skip(ctx, SOURCE, "repeated identical rows", 1);
					dup = -1;
				} else if (seen == 2) {
					mie_warn_at(&at,
					            "%s id %s: a second, different row with the "
					            "same id: both kept, this one as id %s~%.8s",
					            table, key, key, variant);
					variant[8] = '\0';
				}
				mie_buf_release(&k);
				if (dup >= 0 && spill_row(d, table, at.line, at.member, at.file,
				                          cols, variant) < 0)
					rc = -1;
			}
		}
		free(table);
		d->has_rows = 1;
		if (rc < 0)
			break;
	}
	mie_input_free(lx.pre);
	mie_buf_release(&lx.tape);
	mie_buf_release(&carried);
	mie_buf_release(&name);
	mie_buf_release(&attrs);
	return rc;
}

/* ---- building records (after the last input) ---- */

typedef struct build {
	mie_import *ctx;
	dump *d;
	const char *host;     /* for ids */
	const char *site_url; /* with a final '/' */
	const char *charset;  /* of this row */
	json_t *rec, *prov;
	srow *cols;
	unsigned char *used; /* per column: consumed (owned) */
	json_t *extra;
} build;

/* Marks the column at index i (its name's first) and its namesakes after
 * it as consumed, or not. */
static void mark_at(build *b, long i, const char *name, int used)
{
	for (size_t k = i < 0 ? b->cols->n : (size_t)i; k < b->cols->n; k++) {
		const char *n = srow_str(b->cols, b->cols->cols[k].name);
		if (n[0] == name[0] && strcmp(n, name) == 0)
			b->used[k] = (unsigned char)used;
	}
}

static void mark(build *b, const char *name, int used)
{
	mark_at(b, col_index(b->cols, name), name, used);
}

static const char *take(build *b, const char *name)
{
	long i = col_index(b->cols, name);
	mark_at(b, i, name, 1);
	return i < 0 ? NULL : srow_str(b->cols, b->cols->cols[i].value);
}

static char *ref_id(build *b, const char *type, const char *local)
{
	return mie_rec_make_id(b->host, type, local);
}

/* A one-line field holding <multi>[fr]...[en]...</multi> blocks: keeps the
 * record's language (else the first one), rendered as plain text; the
 * source with every language goes to a "multi" repair. */
static void resolve_multi(build *b, const char *field, const char *t)
{
	mie_spip_ctx sc = {b->site_url, b->host, mie_rec_str(b->rec, "lang"), 1};
	mie_spip_out o;
	mie_spip_out_init(&o);
	mie_spip_render(&sc, t, strlen(t), &o);
	char *orig = mie_rec_escape_bytes(t, strlen(t));
	mie_buf detail = MIE_BUF_INIT;
	mie_buf_addf(&detail, "<multi> block: %s kept of %zu languages",
	             sc.lang ? sc.lang : "the first", json_array_size(o.langs));
	mie_rec_add_repair(b->prov, "multi", field, detail.data, orig);
	mie_rec_set_made(b->rec, field, o.plain.data, o.plain.len);
	mie_buf_release(&detail);
	free(orig);
	mie_spip_out_release(&o);
}

/* A one-line text field (title...). */
static void set_line(build *b, const char *field, const char *column)
{
	const char *v = take(b, column);
	if (v && *v)
		mie_text_set(b->rec, field, b->prov, field, v, strlen(v), b->charset,
		             MIE_TEXT_ENTITIES | MIE_TEXT_MOJIBAKE | MIE_TEXT_ONE_LINE);
	const char *t = mie_rec_str(b->rec, field);
	if (t && strstr(t, "<multi>"))
		resolve_multi(b, field, t);
	t = mie_rec_str(b->rec, field);
	if (t && !*t)
		json_object_del(b->rec, field);
}

/* The title, with a leading sort number "03. " moved to rank. */
static void set_title(build *b, const char *column)
{
	set_line(b, "title", column);
	const char *t = mie_rec_str(b->rec, "title");
	if (!t)
		return;
	size_t k = 0;
	while (t[k] >= '0' && t[k] <= '9' && k < 6)
		k++;
	if (k && t[k] == '.' && t[k + 1] == ' ' && t[k + 2]) {
		json_object_set_new(b->rec, "rank", json_integer(strtol(t, NULL, 10)));
		char *rest = mie_xstrdup(t + k + 2);
		mie_rec_set_str(b->rec, "title", rest);
		free(rest);
	}
}

/* A markup field: {spip, html, plain}; notes, links and documents found
 * in it go to the record. */
static void set_markup(build *b, const char *field, const char *column)
{
	const char *v = take(b, column);
	if (!v || !*v)
		return;
	json_t *obj = json_object();
	mie_buf path = MIE_BUF_INIT;
	mie_buf_adds(&path, field);
	mie_buf_adds(&path, ".spip");
	mie_text_set(obj, "spip", b->prov, path.data, v, strlen(v), b->charset,
	             MIE_TEXT_ENTITIES | MIE_TEXT_KEEP_MARKUP | MIE_TEXT_MOJIBAKE);
	const char *src = mie_rec_str(obj, "spip");
	mie_spip_ctx sc = {b->site_url, b->host, mie_rec_str(b->rec, "lang"), 0};
	mie_spip_out o;
	mie_spip_out_init(&o);
	mie_spip_render(&sc, src, strlen(src), &o);
	mie_rec_set_made(obj, "html", o.html.data, o.html.len);
	mie_rec_set_made(obj, "plain", o.plain.data, o.plain.len);
	json_object_set_new(b->rec, field, obj);
	size_t i;
	json_t *x;
	json_array_foreach(o.links, i, x) mie_rec_add_unique(b->rec, "links", json_string_value(x));
	json_array_foreach(o.documents, i, x)
	        mie_rec_add_unique(b->rec, "documents", json_string_value(x));
	if (o.notes_plain.len && strcmp(field, "text") == 0) {
		json_t *notes = json_object();
		mie_rec_set_made(notes, "html", o.notes_html.data, o.notes_html.len);
		mie_rec_set_made(notes, "plain", o.notes_plain.data, o.notes_plain.len);
		json_object_set_new(b->rec, "notes", notes);
	}
	mie_spip_out_release(&o);
	mie_buf_release(&path);
}

static void set_date(build *b, const char *field, const char *column)
{
	const char *v = take(b, column);
	char iso[MIE_DATE_MAX];
	if (!v)
		return;
	enum mie_date_status st = mie_date_spip(v, iso);
	if (st == MIE_DATE_OK)
		mie_rec_set_str(b->rec, field, iso);
	else if (st == MIE_DATE_INVALID) {
		char *trace = mie_rec_escape_bytes(v, strlen(v));
		mie_rec_add_repair(b->prov, "invalid-date", field, "not a real date: left out",
		                   trace);
		free(trace);
	}
}

static void set_ref(build *b, const char *field, const char *type, const char *column)
{
	const char *v = col(b->cols, column);
	if (!v || !is_number(v))
		return; /* not a reference: kept in extra */
	take(b, column);
	if (strcmp(v, "0") == 0)
		return;
	char *id = ref_id(b, type, v);
	mie_rec_set_str(b->rec, field, id);
	free(id);
}

static void set_int(build *b, const char *field, const char *column)
{
	const char *v = take(b, column);
	char *end;
	long long n = v && *v ? strtoll(v, &end, 10) : -1;
	if (v && *v && !*end && n >= 0)
		json_object_set_new(b->rec, field, json_integer(n));
	else if (v && *v)
		mark(b, column, 0); /* kept in extra */
}

static void set_plain(build *b, const char *field, const char *column, int personal)
{
	if (personal && !b->ctx->opt.keep_personal) {
		take(b, column);
		return;
	}
	set_line(b, field, column);
}

static void set_section_path(build *b, const char *section_local, int include_self)
{
	json_t *path = json_array();
	const char *cur = section_local;
	for (int guard = 0; cur && strcmp(cur, "0") != 0 && guard < 64; guard++) {
		json_t *s = json_object_get(b->d->sections, cur);
		if (!s)
			break;
		if (guard || include_self) {
			mie_buf t = MIE_BUF_INIT;
			const char *raw = json_string_value(json_object_get(s, "title"));
			mie_text_decode(&t, raw, strlen(raw), b->charset,
			                MIE_TEXT_ENTITIES | MIE_TEXT_MOJIBAKE | MIE_TEXT_ONE_LINE,
			                NULL, NULL);
			const char *p = t.data;
			size_t k = 0;
			while (p[k] >= '0' && p[k] <= '9' && k < 6)
				k++;
			if (k && p[k] == '.' && p[k + 1] == ' ')
				p += k + 2;
			json_array_insert_new(path, 0, json_string(p));
			mie_buf_release(&t);
		}
		cur = json_string_value(json_object_get(s, "parent"));
	}
	if (json_array_size(path))
		json_object_set(b->rec, "section_path", path);
	json_decref(path);
}

static void add_links(build *b, const char *type, const char *local)
{
	dump *d = b->d;
	uint64_t id;
	int t = obj_type_index(type);
	if (t < 0 || !parse_id(local, &id) || !d->npairs)
		return; /* d->pairs: sorted by build_all before any row is built */
	uint64_t obj = (uint64_t)t << ID_BITS | id;
	size_t lo = 0, hi = d->npairs; /* first pair with .obj >= obj */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->pairs[mid].obj < obj)
			lo = mid + 1;
		else
			hi = mid;
	}
	mie_buf full = MIE_BUF_INIT;
	for (size_t i = lo; i < d->npairs && d->pairs[i].obj == obj; i++) {
		const struct link *l = &links[d->pairs[i].ref >> ID_BITS];
		mie_buf_reset(&full);
		mie_buf_adds(&full, b->host);
		mie_buf_addc(&full, ':');
		mie_buf_adds(&full, l->ref_type);
		mie_buf_addc(&full, ':');
		mie_buf_add_uint(&full, (size_t)(d->pairs[i].ref & (((uint64_t)1 << ID_BITS) - 1)));
		mie_rec_add_unique(b->rec, l->field, full.data);
	}
	mie_buf_release(&full);
}

static void build_article(build *b, const char *key)
{
	set_line(b, "lang", "lang");
	set_line(b, "surtitle", "surtitre");
	set_title(b, "titre");
	set_line(b, "subtitle", "soustitre");
	set_line(b, "status", "statut");
	set_date(b, "date_published", "date");
	set_date(b, "date_modified", "date_modif");
	const char *rub = col(b->cols, "id_rubrique");
	set_ref(b, "section", "section", "id_rubrique");
	if (rub)
		set_section_path(b, rub, 1);
	add_links(b, "article", key);
	set_markup(b, "description", "descriptif");
	const char *chapo = col(b->cols, "chapo");
	if (chapo && chapo[0] == '=') { /* a virtual article: a redirect */
		take(b, "chapo");
		mie_text_set(b->rec, "redirect", b->prov, "redirect", chapo + 1, strlen(chapo + 1),
		             b->charset, MIE_TEXT_ENTITIES | MIE_TEXT_ONE_LINE);
	} else {
		set_markup(b, "lead", "chapo");
	}
	set_markup(b, "text", "texte");
	set_markup(b, "ps", "ps");
}

static void build_brief(build *b, const char *key)
{
	set_line(b, "lang", "lang");
	set_title(b, "titre");
	set_line(b, "status", "statut");
	set_date(b, "date_published", "date_heure");
	const char *rub = col(b->cols, "id_rubrique");
	set_ref(b, "section", "section", "id_rubrique");
	if (rub)
		set_section_path(b, rub, 1);
	add_links(b, "brief", key);
	set_line(b, "url", "lien_url");
	set_markup(b, "text", "texte");
}

static void build_section(build *b, const char *key)
{
	set_line(b, "lang", "lang");
	set_title(b, "titre");
	set_line(b, "status", "statut");
	set_date(b, "date_published", "date");
	set_ref(b, "section", "section", "id_parent");
	set_section_path(b, key, 1);
	add_links(b, "section", key);
	set_markup(b, "description", "descriptif");
	set_markup(b, "text", "texte");
}

static void build_author(build *b, const char *key)
{
	set_line(b, "title", "nom");
	set_line(b, "status", "statut");
	set_line(b, "lang", "lang");
	set_line(b, "url", "url_site");
	set_plain(b, "email", "email", 1);
	if (!b->ctx->opt.keep_personal)
		take(b, "login");
	set_markup(b, "text", "bio");
}

static void build_keyword(build *b, const char *key)
{
	set_title(b, "titre");
	set_ref(b, "group", "keyword_group", "id_groupe");
	set_markup(b, "description", "descriptif");
}

static void build_group(build *b, const char *key)
{
	set_title(b, "titre");
	set_markup(b, "description", "descriptif");
}

static void build_document(build *b, const char *key)
{
	set_title(b, "titre");
	set_date(b, "date_published", "date");
	const char *type = col(b->cols, "id_type");
	const char *mime = type ? json_string_value(json_object_get(b->d->types, type)) : NULL;
	if (mime) {
		take(b, "id_type");
		mie_rec_set_str(b->rec, "mime", mime);
	}
	set_line(b, "file", "fichier");
	const char *f = mie_rec_str(b->rec, "file");
	if (f && b->site_url && !strstr(f, "://")) {
		mie_buf u = MIE_BUF_INIT;
		mie_buf_addf(&u, "%s%s", b->site_url, f);
		mie_rec_set_str(b->rec, "url", u.data);
		mie_buf_release(&u);
	}
	set_int(b, "size", "taille");
	set_int(b, "width", "largeur");
	set_int(b, "height", "hauteur");
	set_line(b, "kind", "mode");
	add_links(b, "document", key);
	set_markup(b, "description", "descriptif");
}

static void build_site(build *b, const char *key)
{
	set_title(b, "nom_site");
	set_line(b, "url", "url_site");
	set_line(b, "status", "statut");
	set_date(b, "date_published", "date");
	add_links(b, "site", key);
	set_markup(b, "description", "descriptif");
}

static void build_comment(build *b, const char *key)
{
	set_title(b, "titre");
	set_line(b, "status", "statut");
	set_date(b, "date_published", "date_heure");
	static const char *const about[][2] = {{"id_article", "article"},
	                                       {"id_breve", "brief"},
	                                       {"id_rubrique", "section"},
	                                       {"id_syndic", "site"}};
	for (int i = 0; i < 4 && !json_object_get(b->rec, "about"); i++)
		set_ref(b, "about", about[i][1], about[i][0]);
	set_ref(b, "parent", "comment", "id_parent");
	set_line(b, "author_name", "auteur");
	set_plain(b, "author_email", "email_auteur", 1);
	set_plain(b, "ip", "ip", 1);
	set_markup(b, "text", "texte");
}

static void build_petition(build *b, const char *key)
{
	set_ref(b, "about", "article", "id_article");
	set_markup(b, "text", "texte");
}

/* Back-office discussions (statut prive, privrac, privadm, privoff) and
 * replies to private messages (perso) are private correspondence, like
 * spip_messages: never exported. */
static int private_forum(const char *table, const srow *cols)
{
	if (strcmp(table, "spip_forum") != 0)
		return 0;
	const char *st = col(cols, "statut");
	return st && (strncmp(st, "priv", 4) == 0 || strcmp(st, "perso") == 0);
}

static void build_signature(build *b, const char *key)
{
	set_ref(b, "about", "petition", "id_article");
	set_line(b, "title", "nom_email");
	/* while awaiting e-mail confirmation, statut holds the random
	 * confirmation key: a secret, never copied */
	const char *st = col(b->cols, "statut");
	static const char *const known[] = {"publie", "poubelle", "prop", "refuse", ""};
	int ok = 0;
	for (size_t i = 0; st && i < sizeof known / sizeof *known; i++)
		ok |= strcmp(st, known[i]) == 0;
	if (st && !ok) {
		take(b, "statut");
		mie_rec_set_str(b->rec, "status", "prop");
		mie_rec_add_repair(b->prov, "confirmation-key", "status",
		                   "statut held an e-mail confirmation key (not copied): read as "
		                   "prop, awaiting confirmation",
		                   NULL);
	} else {
		set_line(b, "status", "statut");
	}
	set_date(b, "date_published", "date_time");
	set_plain(b, "author_email", "ad_email", 1);
	set_markup(b, "text", "message");
}

static const struct {
	const char *type;
	void (*fn)(build *b, const char *key);
} builders[] = {
        {"article", build_article},     {"brief", build_brief},
        {"section", build_section},     {"author", build_author},
        {"keyword", build_keyword},     {"keyword_group", build_group},
        {"document", build_document},   {"site", build_site},
        {"comment", build_comment},     {"petition", build_petition},
        {"signature", build_signature},
};

/* "<CONVERT iso-8859-1>" at the start of the title: SPIP's charset
 * conversion stopped at this row, still in that charset. */
static const char *convert_marker(const srow *cols, char *cs, size_t cap)
{
	const char *t = col(cols, "titre");
	if (!t || strncmp(t, "<CONVERT ", 9) != 0)
		return NULL;
	size_t n = strcspn(t + 9, ">");
	if (!t[9 + n] || n + 1 > cap)
		return NULL;
	memcpy(cs, t + 9, n);
	cs[n] = '\0';
	return cs;
}

/* True for a column name of ASCII letters, digits and '_' (every SPIP
 * column): its decoded form is itself. */
static int plain_column(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* Everything not taken goes to extra, decoded, verbatim otherwise. */
static void put_extra(build *b)
{
	json_t *extra = json_object();
	mie_buf name = MIE_BUF_INIT, path = MIE_BUF_INIT;
	for (size_t i = 0; i < b->cols->n; i++) {
		const struct scol *c = &b->cols->cols[i];
		const char *raw = srow_str(b->cols, c->name);
		if (b->used[i])
			continue;
		mie_buf_reset(&name);
		if (plain_column(raw))
			mie_buf_adds(&name, raw);
		else
			mie_text_decode(&name, raw, strlen(raw), b->charset, MIE_TEXT_ONE_LINE,
			                NULL, NULL);
		if (name.len && !json_object_get(extra, name.data)) {
			mie_buf_reset(&path);
			mie_buf_adds(&path, "extra.");
			mie_buf_add(&path, name.data, name.len);
			mie_text_set(extra, name.data, b->prov, path.data,
			             srow_str(b->cols, c->value), c->vlen, b->charset, 0);
		}
	}
	mie_buf_release(&name);
	mie_buf_release(&path);
	if (json_object_size(extra))
		json_object_set(b->rec, "extra", extra);
	json_decref(extra);
}

static int build_row(mie_import *ctx, dump *d, const char *host, const char *site_url, srow *cols)
{
	const char *table = srow_str(cols, cols->table);
	const struct content *c = content_of(table);
	const char *key = col(cols, c->key);
	if (private_forum(table, cols)) {
		mie_import_skip(ctx, SOURCE, "private forum messages (never exported)", 1);
		return 0;
	}
	char cs[40];
	const char *conv = convert_marker(cols, cs, sizeof cs);
	build b = {ctx,
	           d,
	           host,
	           site_url,
	           conv ? conv : d->charset,
	           NULL,
	           NULL,
	           cols,
	           mie_xcalloc(cols->n + 1, 1),
	           NULL};
	/* a differing copy of a key gets its own id, so ids stay unique */
	const char *variant = cols->variant ? srow_str(cols, cols->variant) : NULL;
	mie_buf local = MIE_BUF_INIT;
	mie_buf_adds(&local, key);
	if (variant)
		mie_buf_addf(&local, "~%s", variant);
	char *id = mie_rec_make_id(host, c->type, local.data);
	mie_buf_release(&local);
	b.rec = mie_rec_new(c->type, id);
	free(id);
	mark(&b, c->key, 1);
	mie_loc at = {srow_str(cols, cols->file),
	              cols->member ? srow_str(cols, cols->member) : NULL, cols->line};
	json_t *prov = json_object(); /* provenance comes last in the record */
	b.prov = prov;
	if (conv) { /* the title is read without its marker */
		struct scol *t = &cols->cols[col_index(cols, "titre")];
		size_t skip = 10 + strlen(cs);
		t->value += skip;
		t->vlen -= skip;
		mie_rec_add_repair(prov, "convert-marker", "title",
		                   "row left unconverted by SPIP's charset conversion: read as its "
		                   "own charset",
		                   NULL);
	}
	if (variant)
		mie_rec_add_repair(prov, "duplicate_key", "id",
		                   "another, different row of the dump has the same primary key: "
		                   "this one's id ends with ~ and the start of its content hash",
		                   NULL);
	for (size_t i = 0; i < sizeof builders / sizeof *builders; i++)
		if (strcmp(builders[i].type, c->type) == 0)
			builders[i].fn(&b, key);
	put_extra(&b);
	json_t *legacy = json_object();
	mie_rec_set_str(legacy, "site", host);
	mie_rec_set_str(legacy, "table", table);
	mie_rec_set_str(legacy, "id", key);
	static const char *const urlword[][2] = {{"article", "article"}, {"section", "rubrique"},
	                                         {"brief", "breve"},     {"author", "auteur"},
	                                         {"keyword", "mot"},     {"site", "site"}};
	for (int i = 0; i < 6; i++)
		if (strcmp(urlword[i][0], c->type) == 0) {
			mie_buf u = MIE_BUF_INIT;
			mie_buf_adds(&u, site_url);
			mie_buf_adds(&u, "spip.php?");
			mie_buf_adds(&u, urlword[i][1]);
			mie_buf_adds(&u, key);
			mie_rec_set_str(legacy, "url", u.data);
			mie_buf_release(&u);
		}
	json_object_set_new(b.rec, "legacy", legacy);
	json_t *p = mie_rec_add_provenance(b.rec, SOURCE, &at, b.charset);
	json_object_update_missing(p, prov);
	json_decref(prov);
	free(b.used);
	/* --status: the publication workflow's status (authors' is a role) */
	const char *status = mie_rec_str(b.rec, "status");
	int workflow = strcmp(c->type, "author") != 0;
	if (ctx->opt.status && workflow && status && strcmp(status, ctx->opt.status) != 0) {
		mie_import_skip(ctx, SOURCE, "rows of another --status", 1);
		json_decref(b.rec);
		return 0;
	}
	return mie_import_emit(ctx, SOURCE, table, b.rec);
}

/* ---- building in parallel ----
 * The spill is read back in batches (at most BATCH_ROWS rows or BATCH_BYTES
 * of values, so memory stays bounded).  A batch is cut into chunks of
 * CHUNK_ROWS consecutive rows that --jobs worker threads take in any order,
 * each chunk built into its own fork of the import context
 * (mie_import_fork), while the finishing thread reads the next batch; the
 * forks are then joined in row order, so records, messages and counts are
 * exactly those of one thread.  While a batch is built the held tables
 * (sections, types, sorted link pairs) are only read. */
#define BATCH_ROWS  1024
#define BATCH_BYTES ((size_t)1 << 20)
#define CHUNK_ROWS  32
#define MAX_JOBS    64

typedef struct crew {
	mie_import *ctx;
	dump *d;
	const char *host, *site_url;
	srow rows[BATCH_ROWS]; /* the batch (owned, reused from batch to batch) */
	size_t nrows;
	mie_import *forks[BATCH_ROWS / CHUNK_ROWS]; /* one per chunk, owned */
	size_t nchunks;
	atomic_size_t next; /* the next chunk to take */
} crew;

/* Builds chunks until none is left.  A fork writes to memory, so build_row
 * cannot fail on output here: its status is the join's. */
static void *crew_work(void *p)
{
	crew *c = p;
	size_t k;
	while ((k = atomic_fetch_add(&c->next, 1)) < c->nchunks) {
		mie_import *f = c->forks[k];
		size_t end = (k + 1) * CHUNK_ROWS < c->nrows ? (k + 1) * CHUNK_ROWS : c->nrows;
		mie_err_capture(&f->messages);
		for (size_t i = k * CHUNK_ROWS; i < end; i++)
			build_row(f, c->d, c->host, c->site_url, &c->rows[i]);
		mie_err_capture(NULL);
	}
	return NULL;
}

/* Reads the next batch into c; returns 1 when rows were read, 0 at the
 * end, -1 on a damaged spill (the rows read before it are in c). */
static int read_batch(crew *c, FILE *spill)
{
	size_t bytes = 0;
	int st = 1;
	for (size_t i = 0; i < BATCH_ROWS; i++)
		if (c->rows[i].bytes.cap > BATCH_BYTES) /* a huge row's room is not kept */
			srow_release(&c->rows[i]);
	c->nrows = 0;
	while (c->nrows < BATCH_ROWS && bytes < BATCH_BYTES &&
	       (st = spill_next(spill, &c->rows[c->nrows], &bytes)) > 0)
		c->nrows++;
	c->nchunks = (c->nrows + CHUNK_ROWS - 1) / CHUNK_ROWS;
	for (size_t k = 0; k < c->nchunks; k++)
		c->forks[k] = mie_import_fork(c->ctx);
	atomic_store(&c->next, 0);
	return st < 0 ? -1 : c->nrows > 0;
}

/* The threads that build beside the finishing thread: each batch handed
 * (pool_start) is built by all of them (crew_work) until pool_wait sees
 * every one done. */
typedef struct pool {
	pthread_t tid[MAX_JOBS];
	int n;              /* threads started */
	pthread_mutex_t mu; /* guards the fields below */
	pthread_cond_t go, done;
	crew *work;        /* the batch handed, borrowed */
	unsigned long gen; /* batches handed so far */
	int busy;          /* threads still on the batch handed */
	int quit;
} pool;

static void *pool_thread(void *p)
{
	pool *pl = p;
	unsigned long seen = 0;
	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (pl->gen == seen && !pl->quit)
			pthread_cond_wait(&pl->go, &pl->mu);
		if (pl->quit)
			break;
		seen = pl->gen;
		crew *c = pl->work;
		pthread_mutex_unlock(&pl->mu);
		crew_work(c);
		pthread_mutex_lock(&pl->mu);
		if (--pl->busy == 0)
			pthread_cond_signal(&pl->done);
	}
	pthread_mutex_unlock(&pl->mu);
	return NULL;
}

static void pool_init(pool *pl, int threads)
{
	memset(pl, 0, sizeof *pl);
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->go, NULL);
	pthread_cond_init(&pl->done, NULL);
	while (pl->n < threads && pthread_create(&pl->tid[pl->n], NULL, pool_thread, pl) == 0)
		pl->n++; /* fewer threads to be had: the finishing thread builds the rest */
}

static void pool_start(pool *pl, crew *c)
{
	pthread_mutex_lock(&pl->mu);
	pl->work = c;
	pl->gen++;
	pl->busy = pl->n;
	pthread_cond_broadcast(&pl->go);
	pthread_mutex_unlock(&pl->mu);
}

static void pool_wait(pool *pl)
{
	pthread_mutex_lock(&pl->mu);
	while (pl->busy)
		pthread_cond_wait(&pl->done, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
}

static void pool_release(pool *pl)
{
	pthread_mutex_lock(&pl->mu);
	pl->quit = 1;
	pthread_cond_broadcast(&pl->go);
	pthread_mutex_unlock(&pl->mu);
	for (int t = 0; t < pl->n; t++)
		pthread_join(pl->tid[t], NULL);
	pthread_mutex_destroy(&pl->mu);
	pthread_cond_destroy(&pl->go);
	pthread_cond_destroy(&pl->done);
}

/* Joins a built batch's forks into ctx, in row order.  Returns 0 or -1. */
static int join_batch(mie_import *ctx, crew *c)
{
	int rc = 0;
	for (size_t k = 0; k < c->nchunks; k++)
		if (mie_import_join(ctx, c->forks[k]) < 0)
			rc = -1;
	c->nrows = c->nchunks = 0;
	return rc;
}

/* Two batches in flight: while the pool builds one, this thread joins the
 * one built before (writing its records), reads the next from the spill
 * in its place, then builds beside the pool.  --jobs N is this thread and
 * N - 1 in the pool; -j1 does it all here, in turn. */
static int build_all(mie_import *ctx, dump *d, FILE *spill, const char *host, const char *site_url)
{
	if (d->npairs && !d->pairs_sorted) {
		qsort(d->pairs, d->npairs, sizeof *d->pairs, pair_cmp);
		d->pairs_sorted = 1;
	}
	int jobs = mie_import_jobs(ctx);
	jobs = jobs > MAX_JOBS ? MAX_JOBS : jobs;
	crew *c[2];
	for (int i = 0; i < 2; i++) {
		c[i] = mie_xcalloc(1, sizeof *c[i]);
		*c[i] = (crew){.ctx = ctx, .d = d, .host = host, .site_url = site_url};
	}
	pool pl;
	pool_init(&pl, jobs - 1);
	int rc = 0, st = read_batch(c[0], spill), built = 0;
	int cur = 0;
	for (; c[cur]->nrows; cur ^= 1) {
		pool_start(&pl, c[cur]);
		if (built && join_batch(ctx, c[cur ^ 1]) < 0)
			rc = -1;
		if (st > 0 && rc == 0)
			st = read_batch(c[cur ^ 1], spill);
		crew_work(c[cur]);
		pool_wait(&pl);
		built = 1;
		if (st < 0 && rc == 0) {
			mie_fatal("temporary file: unreadable row");
			rc = -1;
		}
	}
	if (built && join_batch(ctx, c[cur ^ 1]) < 0)
		rc = -1;
	pool_release(&pl);
	for (int i = 0; i < 2; i++) {
		for (size_t k = 0; k < BATCH_ROWS; k++)
			srow_release(&c[i]->rows[k]);
		free(c[i]);
	}
	return rc;
}

static int finish(mie_import *ctx)
{
	dump *d = ctx->state[mie_import_source_index(&mie_source_spipdump)];
	if (!d || !d->has_rows)
		return 0;
	drop_carry(ctx, d);
	if (d->in_root && !d->ended)
		mie_warn_at(NULL, "the dump ends without </SPIP>: it was cut; every complete row "
		                  "before the cut is imported");
	if (json_object_size(d->dropped)) {
		mie_buf names = MIE_BUF_INIT;
		const char *k;
		json_t *v;
		json_object_foreach(d->dropped, k, v)
		        mie_buf_addf(&names, "%s%s", names.len ? ", " : "", k);
		mie_note("credentials never exported: columns %s", names.data);
		mie_buf_release(&names);
	}
	const char *url = ctx->opt.site ? ctx->opt.site : d->site_url;
	char *host = mie_import_host(url);
	if (!host) /* a 1.9.0/1.9.1 dump names no site: the archive's own */
		host = mie_xstrdup("infomie.net");
	mie_buf site = MIE_BUF_INIT;
	if (url && strstr(url, "://")) {
		mie_buf_adds(&site, url);
		if (site.len && site.data[site.len - 1] != '/')
			mie_buf_addc(&site, '/');
	} else {
		mie_buf_addf(&site, "http://www.%s/", host);
	}
	FILE *spill = d->spill ? mie_spool_rewind(d->spill) : NULL;
	int rc = !d->spill ? 0 : spill ? build_all(ctx, d, spill, host, site.data) : -1;
	free(host);
	mie_buf_release(&site);
	return rc;
}

static int spip_sniff(const unsigned char *head, size_t n, const char *name)
{
	size_t lim = n < 2048 ? n : 2048;
	return memmem(head, lim, "<SPIP", 5) || memmem(head, lim, "<spip_", 6) ? 90 : 0;
}

const mie_source mie_source_spipdump = {SOURCE,     "SPIP 1.9 XML database dumps (dump.xml, .gz)",
                                        spip_sniff, spip_read,
                                        finish,     release};
