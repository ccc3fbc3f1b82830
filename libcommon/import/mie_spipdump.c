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
 * spilled, as read, to an unlinked temporary file (one JSON line per row:
 * table, line, columns).  After the last input (mie_source.finish) the spill
 * is read back once and each row becomes a record with its references,
 * section path, ids and legacy URLs complete.  Memory: the held tables plus
 * one row; disk: the dump's size once.
 *
 * Damage handled: repeated slices (same primary key twice: identical rows
 * kept once, different rows both kept with a warning and a "duplicate_key"
 * repair), a dump without </SPIP> (warning; everything before is kept), a
 * row cut by the end of the file (rejected), binary revision tables
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mie_date.h"
#include "mie_import.h"
#include "mie_record.h"
#include "mie_spip.h"
#include "mie_text.h"
#include "mie_utf8.h"
#include "mie_xref.h"

#define MAX_ROW ((size_t)256 << 20) /* one row; larger is rejected */
#define SOURCE  "spip-dump"

typedef struct dump {
	FILE *spill;      /* owned: one JSON row per line */
	struct dlink *lk; /* link pairs, 16 bytes each (owned); sorted on first use */
	size_t nlk, caplk;
	int lk_sorted;
	json_t *sections; /* "3" -> {"title", "parent"} (owned) */
	json_t *types;    /* id_type -> mime (owned) */
	mie_xref *seen;   /* "table:id" with the row's hash (owned): repeated slices */
	json_t *dropped;  /* credential column names seen (owned) */
	char *site_url;   /* from spip_meta or the root element */
	char *charset;    /* declared */
	int in_root, ended, has_rows;
	long rows;
} dump;

/* ---- the lexer ---- */

typedef struct lexer {
	mie_input *in;
	const mie_loc *where;
	long line;
	unsigned char buf[65536];
	size_t pos, end;
	int eof;
} lexer;

static int lx_fill(lexer *lx)
{
	if (lx->pos < lx->end)
		return 1;
	if (lx->eof)
		return 0;
	ssize_t n = mie_input_read(lx->in, lx->buf, sizeof lx->buf);
	if (n <= 0) {
		lx->eof = 1;
		return 0;
	}
	lx->pos = 0;
	lx->end = (size_t)n;
	return 1;
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
	int c;
	while ((c = lx_get(lx)) >= 0)
		if (c == '<')
			return 1;
	return 0;
}

/* Reads a tag's name and the rest of the tag up to '>' into name/attrs.
 * Returns 1, or 0 at end of input. */
static int lx_tag(lexer *lx, mie_buf *name, mie_buf *attrs)
{
	mie_buf_reset(name);
	mie_buf_reset(attrs);
	int c;
	while ((c = lx_get(lx)) >= 0 && c != '>' && c != ' ' && c != '\t' && c != '\n' &&
	       c != '\r' && name->len < 256)
		mie_buf_addc(name, c);
	while (c >= 0 && c != '>') {
		c = lx_get(lx);
		if (c >= 0 && c != '>' && attrs->len < 65536)
			mie_buf_addc(attrs, c);
	}
	return c == '>';
}

/* Reads a value up to "</name>" (consumed); the raw bytes go to out.
 * Returns 1, 0 at end of input (cut value), -1 when the row's own closing
 * tag "</row>" comes first (the value is then what came before it). */
static int lx_value(lexer *lx, const char *name, const char *row, mie_buf *out)
{
	mie_buf_reset(out);
	size_t nl = strlen(name), rl = strlen(row);
	for (;;) {
		if (!lx_fill(lx))
			return 0;
		/* copy up to and including the next '>' in one go */
		unsigned char *p = lx->buf + lx->pos, *end = lx->buf + lx->end;
		unsigned char *gt = memchr(p, '>', (size_t)(end - p));
		size_t k = gt ? (size_t)(gt - p) + 1 : (size_t)(end - p);
		for (unsigned char *q = p; (q = memchr(q, '\n', (size_t)(p + k - q))) != NULL; q++)
			lx->line++;
		mie_buf_add(out, p, k);
		lx->pos += k;
		if (!gt || out->len > MAX_ROW)
			continue;
		if (out->len >= nl + 3 && memcmp(out->data + out->len - nl - 3, "</", 2) == 0 &&
		    memcmp(out->data + out->len - nl - 1, name, nl) == 0) {
			mie_buf_setlen(out, out->len - nl - 3);
			return 1;
		}
		if (out->len >= rl + 3 && memcmp(out->data + out->len - rl - 3, "</", 2) == 0 &&
		    memcmp(out->data + out->len - rl - 1, row, rl) == 0) {
			mie_buf_setlen(out, out->len - rl - 3);
			return -1;
		}
	}
}

/* SPIP's escaping undone: &lt; and &amp; (other entities are content). */
static void unescape(mie_buf *b)
{
	size_t j = 0;
	for (size_t i = 0; i < b->len; i++) {
		if (b->data[i] == '&' && i + 3 < b->len && memcmp(b->data + i, "&lt;", 4) == 0) {
			b->data[j++] = '<';
			i += 3;
		} else if (b->data[i] == '&' && i + 4 < b->len &&
		           memcmp(b->data + i, "&amp;", 5) == 0) {
			b->data[j++] = '&';
			i += 4;
		} else {
			b->data[j++] = b->data[i];
		}
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
	if (d->spill)
		fclose(d->spill);
	free(d->lk);
	json_decref(d->sections);
	json_decref(d->types);
	mie_xref_free(d->seen);
	json_decref(d->dropped);
	free(d->site_url);
	free(d->charset);
	free(d);
	ctx->state[i] = NULL;
}

/* The raw value of a column in a row object {"c": [[name, value]...]}. */
static const char *col(const json_t *cols, const char *name)
{
	size_t i;
	json_t *kv;
	json_array_foreach(cols, i, kv)
	{
		if (strcmp(json_string_value(json_array_get(kv, 0)), name) == 0)
			return json_string_value(json_array_get(kv, 1));
	}
	return NULL;
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

static const struct content *content_of(const char *table)
{
	for (size_t i = 0; i < sizeof contents / sizeof *contents; i++)
		if (strcmp(contents[i].table, table) == 0)
			return &contents[i];
	return NULL;
}

/* One link pair: 16 bytes, where a JSON object per linked record cost
 * some hundreds (the peak RSS grew with the link tables).  SPIP ids are
 * 32-bit in practice; a larger one is not linked.  seq keeps dump order
 * among the pairs of one object. */
struct dlink {
	uint32_t obj, ref, seq;
	uint16_t kind; /* index in links[] */
};

static int cmp_dlink(const void *a, const void *b)
{
	const struct dlink *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->obj != y->obj)
		return x->obj < y->obj ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void note_link(dump *d, const struct link *l, const json_t *cols)
{
	const char *obj = col(cols, l->obj_col), *ref = col(cols, l->ref_col);
	if (!obj || !ref || !is_number(obj) || !is_number(ref) || strcmp(ref, "0") == 0)
		return;
	unsigned long long o = strtoull(obj, NULL, 10), r = strtoull(ref, NULL, 10);
	if (o > UINT32_MAX || r > UINT32_MAX || d->nlk >= UINT32_MAX)
		return;
	if (d->nlk == d->caplk) {
		d->caplk = d->caplk ? d->caplk * 2 : 1024;
		d->lk = mie_xrealloc(d->lk, d->caplk * sizeof *d->lk);
	}
	d->lk[d->nlk] =
	        (struct dlink){(uint32_t)o, (uint32_t)r, (uint32_t)d->nlk, (uint16_t)(l - links)};
	d->nlk++;
	d->lk_sorted = 0;
}

/* Holds what later rows need; returns 1 when the row is also content. */
static int hold(dump *d, mie_import *ctx, const char *table, const json_t *cols)
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

static uint64_t hash_bytes(const char *s, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

/* Reads one row's columns after its start tag.  Returns 1 (row complete),
 * 0 (the input ended inside it). */
static int read_row(lexer *lx, const char *table, json_t *cols, dump *d, uint64_t *h)
{
	mie_buf name = MIE_BUF_INIT, attrs = MIE_BUF_INIT, value = MIE_BUF_INIT;
	int done = 0;
	*h = 0xcbf29ce484222325ULL;
	while (!done) {
		if (!lx_to_tag(lx) || !lx_tag(lx, &name, &attrs))
			break;
		if (name.data[0] == '/') { /* </table>: end of the row */
			done = strcmp(name.data + 1, table) == 0 ? 1 : 0;
			if (!done)
				continue;
			break;
		}
		int st = lx_value(lx, name.data, table, &value);
		if (st == 0)
			break;
		unescape(&value);
		/* a NUL byte would end the C strings below: it is read as SUB
		 * (U+001A), which the text layer removes with a recorded repair */
		for (char *z = memchr(value.data, '\0', value.len); z;
		     z = memchr(z, '\0', value.len - (size_t)(z - value.data)))
			*z = 0x1A;
		*h = hash_bytes(name.data, name.len + 1, hash_bytes(value.data, value.len, *h));
		if (mie_import_is_credential(name.data)) {
			json_object_set_new(d->dropped, name.data, json_true());
		} else {
			json_t *kv = json_array();
			json_array_append_new(kv, json_string_nocheck(name.data));
			/* raw bytes, any charset: kept reversible in the spill as \u00XX */
			json_t *v = json_stringn_nocheck(value.data, value.len);
			json_array_append_new(kv, v);
			json_array_append_new(cols, kv);
		}
		if (st < 0)
			done = 1;
	}
	mie_buf_release(&name);
	mie_buf_release(&attrs);
	mie_buf_release(&value);
	return done;
}

/* Bytes of a string made of raw bytes are written to JSON escaped as
 * latin-1 code points, so the spill holds any byte sequence losslessly. */
static void spill_string(mie_buf *b, const char *s)
{
	mie_buf_addc(b, '"');
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		const unsigned char *q = p;
		while (*q >= 0x20 && *q < 0x7F && *q != '"' && *q != '\\')
			q++;
		mie_buf_add(b, p, (size_t)(q - p));
		if (!*q)
			break;
		if (*q == '"' || *q == '\\')
			mie_buf_addf(b, "\\%c", *q);
		else
			mie_buf_addf(b, "\\u%04x", *q);
		p = q + 1;
	}
	mie_buf_addc(b, '"');
}

static int spill_row(dump *d, const char *table, long line, const char *member, const char *file,
                     const json_t *cols, int dup)
{
	if (!d->spill && !(d->spill = tmpfile())) {
		mie_fatal("cannot create a temporary file");
		return -1;
	}
	mie_buf b = MIE_BUF_INIT;
	mie_buf_adds(&b, "{\"t\":");
	spill_string(&b, table);
	mie_buf_addf(&b, ",\"l\":%ld,\"d\":%d,\"f\":", line, dup);
	spill_string(&b, file);
	if (member) {
		mie_buf_adds(&b, ",\"m\":");
		spill_string(&b, member);
	}
	mie_buf_adds(&b, ",\"c\":[");
	size_t i;
	json_t *kv;
	json_array_foreach(cols, i, kv)
	{
		mie_buf_adds(&b, i ? ",[" : "[");
		spill_string(&b, json_string_value(json_array_get(kv, 0)));
		mie_buf_addc(&b, ',');
		spill_string(&b, json_string_value(json_array_get(kv, 1)));
		mie_buf_addc(&b, ']');
	}
	mie_buf_adds(&b, "]}\n");
	int rc = fwrite(b.data, 1, b.len, d->spill) == b.len ? 0 : -1;
	mie_buf_release(&b);
	if (rc < 0)
		mie_fatal("temporary file: write error");
	return rc;
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

static int spip_read(mie_import *ctx, mie_input *in, const mie_loc *where)
{
	dump *d = state(ctx);
	lexer lx = {in, where, 1, {0}, 0, 0, 0};
	size_t n = 3;
	const unsigned char *head = mie_input_peek(in, &n);
	int bom = n == 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0;
	mie_buf name = MIE_BUF_INIT, attrs = MIE_BUF_INIT;
	int rc = 0;
	while (lx_to_tag(&lx)) {
		long line = lx.line;
		if (!lx_tag(&lx, &name, &attrs))
			break;
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
		json_t *cols = json_array();
		uint64_t h;
		char *table = mie_xstrdup(name.data);
		mie_loc at = *where;
		at.line = line;
		if (!read_row(&lx, table, cols, d, &h)) {
			mie_import_reject(ctx, SOURCE, table, &at, NULL, NULL,
			                  "row cut short by the end of the input: not imported");
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
				mie_buf_addf(&k, "%s:%s", table, key);
				mie_loc first;
				int seen = mie_xref_add_id(d->seen, k.data, &at, h, &first);
				if (seen == 1) {
					mie_import_skip(ctx, SOURCE, "repeated identical rows", 1);
					dup = -1;
				} else if (seen == 2) {
					mie_warn_at(&at,
					            "%s id %s: a second, different row with the "
					            "same id: both kept",
					            table, key);
					dup = 1;
				}
				mie_buf_release(&k);
				if (dup >= 0 && spill_row(d, table, line, where->member,
				                          where->file, cols, dup) < 0)
					rc = -1;
			}
		}
		free(table);
		json_decref(cols);
		d->has_rows = 1;
		if (rc < 0)
			break;
	}
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
	const json_t *cols;
	json_t *used; /* column names consumed (owned) */
	json_t *extra;
} build;

static const char *take(build *b, const char *name)
{
	const char *v = col(b->cols, name);
	if (v)
		json_object_set_new(b->used, name, json_true());
	return v;
}

static char *ref_id(build *b, const char *type, const char *local)
{
	return mie_rec_make_id(b->host, type, local);
}

/* A one-line text field (title...). */
static void set_line(build *b, const char *field, const char *column)
{
	const char *v = take(b, column);
	if (v && *v)
		mie_text_set(b->rec, field, b->prov, field, v, strlen(v), b->charset,
		             MIE_TEXT_ENTITIES | MIE_TEXT_MOJIBAKE | MIE_TEXT_ONE_LINE);
	const char *t = mie_rec_str(b->rec, field);
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
	mie_buf_addf(&path, "%s.spip", field);
	mie_text_set(obj, "spip", b->prov, path.data, v, strlen(v), b->charset,
	             MIE_TEXT_ENTITIES | MIE_TEXT_KEEP_MARKUP | MIE_TEXT_MOJIBAKE);
	const char *src = mie_rec_str(obj, "spip");
	mie_spip_ctx sc = {b->site_url, b->host, mie_rec_str(b->rec, "lang"), 0};
	mie_spip_out o;
	mie_spip_out_init(&o);
	mie_spip_render(&sc, src, strlen(src), &o);
	mie_rec_set_strn(obj, "html", o.html.data, o.html.len);
	mie_rec_set_strn(obj, "plain", o.plain.data, o.plain.len);
	json_object_set_new(b->rec, field, obj);
	size_t i;
	json_t *x;
	json_array_foreach(o.links, i, x) mie_rec_add_unique(b->rec, "links", json_string_value(x));
	json_array_foreach(o.documents, i, x)
	        mie_rec_add_unique(b->rec, "documents", json_string_value(x));
	if (o.notes_plain.len && strcmp(field, "text") == 0) {
		json_t *notes = json_object();
		mie_rec_set_strn(notes, "html", o.notes_html.data, o.notes_html.len);
		mie_rec_set_strn(notes, "plain", o.notes_plain.data, o.notes_plain.len);
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
		json_object_del(b->used, column); /* kept in extra */
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
	if (!is_number(local))
		return;
	unsigned long long id = strtoull(local, NULL, 10);
	if (id > UINT32_MAX)
		return;
	if (!d->lk_sorted) {
		qsort(d->lk, d->nlk, sizeof *d->lk, cmp_dlink);
		d->lk_sorted = 1;
	}
	for (size_t k = 0; k < sizeof links / sizeof *links; k++) {
		if (strcmp(links[k].obj_type, type) != 0)
			continue;
		struct dlink key = {(uint32_t)id, 0, 0, (uint16_t)k};
		size_t lo = 0, hi = d->nlk;
		while (lo < hi) { /* first pair of (k, id) */
			size_t mid = lo + (hi - lo) / 2;
			if (cmp_dlink(&d->lk[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t i = lo; i < d->nlk && d->lk[i].kind == k && d->lk[i].obj == id; i++) {
			mie_buf full = MIE_BUF_INIT;
			mie_buf_addf(&full, "%s:%s:%u", b->host, links[k].ref_type,
			             (unsigned)d->lk[i].ref);
			mie_rec_add_unique(b->rec, links[k].field, full.data);
			mie_buf_release(&full);
		}
	}
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

static void build_signature(build *b, const char *key)
{
	set_ref(b, "about", "petition", "id_article");
	set_line(b, "title", "nom_email");
	set_line(b, "status", "statut");
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
static const char *convert_marker(const json_t *cols, char *cs, size_t cap)
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

/* Everything not taken goes to extra, decoded, verbatim otherwise. */
static void put_extra(build *b)
{
	size_t i;
	json_t *kv;
	json_t *extra = json_object();
	json_array_foreach(b->cols, i, kv)
	{
		const char *raw = json_string_value(json_array_get(kv, 0));
		const char *v = json_string_value(json_array_get(kv, 1));
		if (json_object_get(b->used, raw))
			continue;
		mie_buf name = MIE_BUF_INIT, path = MIE_BUF_INIT;
		mie_text_decode(&name, raw, strlen(raw), b->charset, MIE_TEXT_ONE_LINE, NULL, NULL);
		if (name.len && !json_object_get(extra, name.data)) {
			mie_buf_addf(&path, "extra.%s", name.data);
			mie_text_set(extra, name.data, b->prov, path.data, v, strlen(v), b->charset,
			             0);
		}
		mie_buf_release(&name);
		mie_buf_release(&path);
	}
	if (json_object_size(extra))
		json_object_set(b->rec, "extra", extra);
	json_decref(extra);
}

/* Bytes of the spill back: code points U+0000-U+00FF are the bytes. */
static void unspill(json_t *cols)
{
	size_t i;
	json_t *kv;
	json_array_foreach(cols, i, kv)
	{
		for (int k = 0; k < 2; k++) {
			const char *s = json_string_value(json_array_get(kv, (size_t)k));
			mie_buf raw = MIE_BUF_INIT;
			for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
				if (*p == 0xC2 || *p == 0xC3) {
					mie_buf_addc(&raw, (char)(((*p & 3) << 6) | (p[1] & 0x3F)));
					p++;
				} else {
					mie_buf_addc(&raw, (char)*p);
				}
			}
			json_array_set_new(kv, (size_t)k, json_stringn_nocheck(raw.data, raw.len));
			mie_buf_release(&raw);
		}
	}
}

static int build_row(mie_import *ctx, dump *d, const char *host, const char *site_url, json_t *row)
{
	const char *table = json_string_value(json_object_get(row, "t"));
	json_t *cols = json_object_get(row, "c");
	unspill(cols);
	const struct content *c = content_of(table);
	const char *key = col(cols, c->key);
	char cs[40];
	const char *conv = convert_marker(cols, cs, sizeof cs);
	build b = {ctx,  d,    host, site_url,      conv ? conv : d->charset,
	           NULL, NULL, cols, json_object(), NULL};
	char *id = mie_rec_make_id(host, c->type, key);
	b.rec = mie_rec_new(c->type, id);
	free(id);
	json_object_set_new(b.used, c->key, json_true());
	mie_loc at = {json_string_value(json_object_get(row, "f")),
	              json_string_value(json_object_get(row, "m")),
	              (long)json_integer_value(json_object_get(row, "l"))};
	json_t *prov = json_object(); /* provenance comes last in the record */
	b.prov = prov;
	if (conv) {
		json_t *kv = json_array_get(cols, 0);
		(void)kv;
		const char *t = col(cols, "titre");
		json_t *tcol = NULL;
		size_t i;
		json_t *x;
		json_array_foreach(cols, i, x) if (strcmp(json_string_value(json_array_get(x, 0)),
		                                          "titre") == 0) tcol = x;
		if (tcol)
			json_array_set_new(tcol, 1, json_string_nocheck(t + 10 + strlen(cs)));
		mie_rec_add_repair(prov, "convert-marker", "title",
		                   "row left unconverted by SPIP's charset conversion: read as its "
		                   "own charset",
		                   NULL);
	}
	if (json_integer_value(json_object_get(row, "d")) == 1)
		mie_rec_add_repair(prov, "duplicate_key", "id",
		                   "another, different row of the dump has the same primary key",
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
			mie_buf_addf(&u, "%sspip.php?%s%s", site_url, urlword[i][1], key);
			mie_rec_set_str(legacy, "url", u.data);
			mie_buf_release(&u);
		}
	json_object_set_new(b.rec, "legacy", legacy);
	json_t *p = mie_rec_add_provenance(b.rec, SOURCE, &at, b.charset);
	json_object_update_missing(p, prov);
	json_decref(prov);
	json_decref(b.used);
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

static int finish(mie_import *ctx)
{
	dump *d = ctx->state[mie_import_source_index(&mie_source_spipdump)];
	if (!d || !d->has_rows)
		return 0;
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
	int rc = 0;
	if (d->spill && fseek(d->spill, 0, SEEK_SET) == 0) {
		char *line = NULL;
		size_t cap = 0;
		ssize_t len;
		while (rc == 0 && (len = getline(&line, &cap, d->spill)) > 0) {
			json_error_t e;
			json_t *row = json_loadb(line, (size_t)len, 0, &e);
			if (!row) {
				mie_fatal("temporary file: unreadable row: %s", e.text);
				rc = -1;
				break;
			}
			rc = build_row(ctx, d, host, site.data, row);
			json_decref(row);
		}
		free(line);
	}
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
