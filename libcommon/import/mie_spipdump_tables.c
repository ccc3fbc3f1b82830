/* mie_spipdump_tables.c — the row interface of mie_spipdump.h: what a row
 * of the SPIP database becomes while the dump is read, whatever syntax
 * carried it.
 *
 * SPIP writes tables in its own order (link tables first, sections after
 * articles, spip_meta last) and a dump may come in parts, so while reading
 * link pairs (small integers), the section tree, document types and the
 * site address are held in memory, and every content row is spilled, as
 * read, to an unlinked temporary file (mie_spipdump_spill.c).  After the
 * last input (mie_spipdump_finish) the spill is read back once and each
 * row becomes a record with its references, section path, ids and legacy
 * URLs complete (mie_spipdump_build.c).  Memory: the held tables (16 bytes
 * a link pair, 4 bytes a content row for repeated-slice detection, the
 * sections' titles) plus the builder's two batches and the spool's
 * buffers; disk: the dump's size once.
 *
 * Repeated slices (the same primary key twice): identical rows are kept
 * once, different rows both kept with a warning and a "duplicate_key"
 * repair, the second one's id ending with "~" and the start of its FNV-1a.
 *
 * Rows of tables SPIP's schema gives no record type (a plugin's table,
 * spip_auteurs_rubriques, spip_meta, revision history) become "table_row"
 * records, every column in extra: keyed by their id_* columns, else by
 * their line (spip_meta: by its nom).
 *
 * Privacy (mie_privacy.h): credential columns and credential-like values
 * are flagged here and never spilled with their value, printed or
 * rejected; spip_meta's value follows the rule on its nom; private
 * messages (spip_messages, spip_auteurs_messages) are never read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mie_hash.h"
#include "core/mie_utf8.h"
#include "import/mie_privacy.h"
#include "import/mie_spipdump_impl.h"
#include "record/mie_record.h"
#include "text/mie_text.h"

const sd_link sd_links[] = {
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
        {NULL, NULL, NULL, NULL, NULL, NULL},
};

const sd_content sd_contents[SD_N_CONTENTS] = {
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

const sd_content *sd_content_of(const char *table)
{
	for (size_t i = 0; i < SD_N_CONTENTS; i++)
		if (strcmp(sd_contents[i].table, table) == 0)
			return &sd_contents[i];
	return NULL;
}

static const char *const obj_types[] = {"article",  "brief", "section",
                                        "document", "site",  "comment"};

int sd_obj_type_index(const char *type)
{
	for (size_t i = 0; i < sizeof obj_types / sizeof *obj_types; i++)
		if (strcmp(obj_types[i], type) == 0)
			return (int)i;
	return -1;
}

int sd_is_number(const char *s)
{
	size_t n = strspn(s, "0123456789");
	return n > 0 && n < 20 && s[n] == '\0';
}

int sd_parse_id(const char *s, uint64_t *id)
{
	if (!s || !sd_is_number(s))
		return 0;
	unsigned long long v = strtoull(s, NULL, 10);
	if (v >> SD_ID_BITS)
		return 0;
	*id = v;
	return 1;
}

/* ---- state ---- */

mie_spipdump *mie_spipdump_of(mie_import *ctx, const mie_source *src)
{
	int i = mie_import_source_index(src);
	if (!ctx->state[i]) {
		mie_spipdump *d = mie_xcalloc(1, sizeof *d);
		d->source = src->name;
		d->dense = mie_xcalloc(SD_N_CONTENTS, sizeof *d->dense);
		d->sections = json_object();
		d->types = json_object();
		d->seen = mie_xref_new(1 << 16);
		mie_xref_grow_quietly(d->seen);
		ctx->state[i] = d;
	}
	return ctx->state[i];
}

void mie_spipdump_release(mie_import *ctx, const mie_source *src)
{
	int i = mie_import_source_index(src);
	mie_spipdump *d = ctx->state[i];
	if (!d)
		return;
	mie_spool_free(d->spill);
	mie_buf_release(&d->spilling);
	if (d->row)
		sd_row_release(d->row);
	free(d->row);
	mie_buf_release(&d->table);
	free(d->pairs);
	for (size_t k = 0; k < SD_N_CONTENTS; k++)
		free(d->dense[k].h);
	free(d->dense);
	json_decref(d->sections);
	json_decref(d->types);
	mie_xref_free(d->seen);
	mie_buf_release(&d->people_table);
	mie_table_release(&d->cred);
	free(d->site_url);
	free(d->charset);
	mie_buf_release(&d->carry);
	free(d->carry_file);
	free(d->carry_member);
	free(d);
	ctx->state[i] = NULL;
}

void mie_spipdump_declare_site(mie_spipdump *d, const char *url, size_t n)
{
	if (!d->site_url)
		d->site_url = mie_xstrndup(url, n);
}

void mie_spipdump_declare_charset(mie_spipdump *d, const char *charset)
{
	char *cs = mie_xstrdup(charset);
	free(d->charset);
	d->charset = cs;
}

void mie_spipdump_set_unfinished(mie_spipdump *d, const char *warning)
{
	d->unfinished = warning;
}

/* ---- held tables ---- */

/* Returns 0 (first row with this id), 1 (same content as before), 2 (a
 * different row with this id), or -1 when id is too sparse for the table. */
static int seen_dense(sd_seen *t, uint64_t id, uint64_t h)
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

static void note_link(mie_spipdump *d, const sd_link *l, const sd_row *cols)
{
	uint64_t obj, ref;
	int t = sd_obj_type_index(l->obj_type);
	if (t < 0 || !sd_parse_id(sd_value(cols, l->obj_col), &obj) ||
	    !sd_parse_id(sd_value(cols, l->ref_col), &ref) || ref == 0)
		return;
	if (d->npairs == d->cappairs) {
		d->cappairs = d->cappairs ? d->cappairs * 2 : 4096;
		d->pairs = mie_xrealloc(d->pairs, d->cappairs * sizeof *d->pairs);
	}
	d->pairs[d->npairs++] = (sd_link_pair){(uint64_t)t << SD_ID_BITS | obj,
	                                       (uint64_t)(l - sd_links) << SD_ID_BITS | ref};
	d->pairs_sorted = 0;
}

/* Holds what later rows need; returns 1 when the row is also content. */
static int hold(mie_spipdump *d, mie_import *ctx, const char *table, const sd_row *cols,
                const mie_loc *at)
{
	for (const sd_link *l = sd_links; l->table; l++)
		if (strcmp(l->table, table) == 0) {
			note_link(d, l, cols);
			mie_import_skip(ctx, d->source, l->field, 1);
			return 0;
		}
	if (strcmp(table, "spip_types_documents") == 0) {
		const char *id = sd_value(cols, "id_type"), *mime = sd_value(cols, "mime_type");
		if (id && mime)
			json_object_set_new(d->types, id, json_string_nocheck(mime));
		mie_import_skip(ctx, d->source, table, 1);
		return 0;
	}
	if (strcmp(table, "spip_meta") == 0) { /* else a table_row, below */
		const char *nom = sd_value(cols, "nom"), *val = sd_value(cols, "valeur");
		if (nom && val && strcmp(nom, "adresse_site") == 0)
			mie_spipdump_declare_site(d, val, strlen(val));
		if (nom && (strcmp(nom, "adresse_site") == 0 || strcmp(nom, "charset") == 0)) {
			mie_import_skip(ctx, d->source,
			                "spip_meta adresse_site and charset (carried as ids, URLs "
			                "and charsets)",
			                1);
			return 0;
		}
	}
	if (strcmp(table, "spip_rubriques") == 0) {
		const char *id = sd_value(cols, "id_rubrique");
		if (id && sd_is_number(id)) {
			const char *title = sd_value(cols, "titre"),
			           *parent = sd_value(cols, "id_parent");
			json_t *s = json_object();
			json_object_set_new(s, "title", json_string_nocheck(title ? title : ""));
			json_object_set_new(s, "parent",
			                    json_string_nocheck(parent ? parent : "0"));
			json_object_set_new(d->sections, id, s);
		}
	}
	if (strstr(table, "messages")) { /* private correspondence: never read */
		mie_import_set_aside(ctx, at, d->source, table, "private messages (never exported)",
		                     NULL,
		                     "private correspondence: never exported (mie-import(1), "
		                     "PRIVACY)");
		return 0;
	}
	return 1; /* content, or a table_row */
}

void sd_generic_key(const sd_row *cols, const char *table, long line, long index, mie_buf *out)
{
	mie_buf_reset(out);
	const char *nom = strcmp(table, "spip_meta") == 0 ? sd_value(cols, "nom") : NULL;
	if (nom && *nom) {
		for (const char *p = nom; *p; p++) /* no space or control in an id */
			mie_buf_addc(out, (unsigned char)*p <= ' ' ? '_' : *p);
		return;
	}
	for (size_t i = 0; i < cols->n; i++) {
		const char *n = sd_row_str(cols, cols->cols[i].name);
		const char *v = sd_row_str(cols, cols->cols[i].value);
		if (cols->cols[i].credential ||
		    !(strcmp(n, "id") == 0 || strncmp(n, "id_", 3) == 0) || !sd_is_number(v))
			continue;
		if (out->len)
			mie_buf_addc(out, '-');
		mie_buf_adds(out, v);
	}
	if (out->len)
		return;
	mie_buf_addf(out, "l%ld", line);
	if (index > 0)
		mie_buf_addf(out, "-%ld", index);
}

/* ---- a row's columns ---- */

/* mie_privacy_is_credential, remembered by column name: the dump repeats
 * the same few dozen names.  Names of 32 bytes and more, and names beyond
 * the first CRED_MEMO (a hostile dump), are simply asked again. */
#define CRED_MEMO 1024

static int credential(mie_spipdump *d, const char *name, size_t n)
{
	struct sd_cred_memo *m;
	if (!n || n >= sizeof m->name)
		return mie_privacy_is_credential(name, n);
	if (!d->cred.slots)
		mie_table_init(&d->cred, sizeof *m, 256);
	uint64_t key = mie_hash_key(name, n);
	size_t pos = 0;
	while ((m = mie_table_next(&d->cred, key, &pos)))
		if (memcmp(m->name, name, n + 1) == 0)
			return m->is;
	if (d->cred.used >= CRED_MEMO)
		return mie_privacy_is_credential(name, n);
	m = mie_table_add(&d->cred, key);
	memcpy(m->name, name, n + 1);
	m->is = mie_privacy_is_credential(name, n);
	return m->is;
}

void sd_col_end(mie_spipdump *d, size_t nm, size_t at)
{
	sd_row *r = d->row;
	mie_buf *b = &r->bytes;
	/* a NUL byte would end the C strings below: it is read as SUB
	 * (U+001A), which the text layer removes with a recorded repair */
	for (char *z = memchr(b->data + at, '\0', b->len - at); z;
	     z = memchr(z, '\0', b->len - (size_t)(z - b->data)))
		*z = 0x1A;
	size_t vlen = b->len - at;
	uint32_t len = (uint32_t)vlen, nlen;
	memcpy(b->data + at - sizeof len, &len, sizeof len);
	mie_buf_addc(b, '\0');
	memcpy(&nlen, b->data + nm - sizeof nlen, sizeof nlen);
	const char *name = b->data + nm;
	/* a credential's name, or a value like a password hash ($2y$..., and
	 * 32 hex digits in a people table): never spilled with its value */
	int secret =
	        credential(d, name, nlen) || mie_privacy_is_hash(b->data + at, vlen, d->people);
	sd_row_add(r, nm, at, vlen, secret);
}

void mie_spipdump_row_begin(mie_spipdump *d, const char *table)
{
	if (!d->row)
		d->row = mie_xcalloc(1, sizeof *d->row);
	mie_buf_reset(&d->table);
	mie_buf_adds(&d->table, table);
	sd_row_reset(d->row);
	if (!d->people_table.data || strcmp(d->people_table.data, table) != 0) {
		mie_buf_reset(&d->people_table); /* the rule's answer for the last table */
		mie_buf_adds(&d->people_table, table);
		d->people = mie_privacy_people_table(table);
	}
}

void mie_spipdump_row_column(mie_spipdump *d, const char *name, size_t nlen, const char *value,
                             size_t vlen)
{
	sd_row *r = d->row;
	size_t nm = sd_row_put(r, name, nlen);
	uint32_t len = 0;
	mie_buf_add(&r->bytes, &len, sizeof len);
	size_t at = r->bytes.len;
	mie_buf_add(&r->bytes, value, vlen);
	sd_col_end(d, nm, at);
}

/* ---- a row's end: repeated slices and spill ---- */

/* The identity of a row: the hash of its names and values (credentials
 * included) as text, not as bytes, so that the same row of a site dumped
 * once in UTF-8 and once in ISO-8859-1 (before and after SPIP's own
 * conversion, which also turns "&#8217;" into "’") is one row.  A value
 * of ASCII bytes, or in a UTF-8 dump, is hashed as it is; any other in
 * UTF-8, decoded from the dump's charset (charset NULL, not declared yet:
 * valid UTF-8 as it is, else read as windows-1252, as the text layer reads
 * ISO-8859-1); a value holding '&' with its entities decoded. */
static uint64_t row_identity(const sd_row *cols, const char *charset)
{
	int utf8 =
	        charset && (strcasecmp(charset, "utf-8") == 0 || strcasecmp(charset, "utf8") == 0);
	uint64_t h = 0;
	mie_buf u = MIE_BUF_INIT;
	for (size_t i = 0; i < cols->n; i++) {
		const char *name = sd_row_str(cols, cols->cols[i].name);
		const char *v = sd_row_str(cols, cols->cols[i].value);
		size_t n = cols->cols[i].vlen;
		h = mie_hash(name, strlen(name) + 1, h);
		int wide = !utf8 && mie_utf8_plain_ascii_prefix((const unsigned char *)v, n) < n &&
		           (charset || !mie_utf8_valid(v, n));
		if (wide || memchr(v, '&', n)) {
			mie_buf_reset(&u);
			mie_text_decode(&u, v, n,
			                !wide     ? "utf-8"
			                : charset ? charset
			                          : "windows-1252",
			                MIE_TEXT_ENTITIES, NULL, NULL);
			v = u.data ? u.data : "";
			n = u.len;
		}
		h = mie_hash(v, n, h) ^ (uint64_t)n;
	}
	mie_buf_release(&u);
	return h;
}

/* A content row with a numeric key: kept once when it repeats a row of
 * its key, spilled (as a variant when it differs from it). */
static int keep_content(mie_spipdump *d, mie_import *ctx, const sd_content *c, const char *key,
                        const mie_loc *at, const char *charset, long index)
{
	sd_row *cols = d->row;
	const char *table = d->table.data;
	/* the row's identity, only compared within a run */
	uint64_t h = row_identity(cols, charset);
	mie_buf k = MIE_BUF_INIT;
	mie_buf_adds(&k, table);
	mie_buf_addc(&k, ':');
	mie_buf_adds(&k, key);
	mie_loc first;
	uint64_t idn;
	int seen;
	if (c) {
		sd_seen *t = &d->dense[c - sd_contents];
		seen = sd_parse_id(key, &idn) ? seen_dense(t, idn, h) : -1;
		/* an id once too sparse may fit the dense table later: once a
		 * table has sparse ids, both are asked */
		if (seen < 0)
			t->sparse = 1;
		if (seen <= 0 && t->sparse)
			seen = mie_xref_add_id(d->seen, k.data, at, h, &first);
	} else { /* a table_row: its key in the sparse table */
		seen = mie_xref_add_id(d->seen, k.data, at, h, &first);
	}
	char variant[17] = "";
	if (seen == 2) {
		/* differs from the first row with this key: a variant, unless it
		 * repeats an earlier variant */
		snprintf(variant, sizeof variant, "%016llx", (unsigned long long)sd_row_fnv(cols));
		mie_buf_addc(&k, '~');
		mie_buf_adds(&k, variant);
		if (mie_xref_add_id(d->seen, k.data, at, h, &first))
			seen = 1;
	}
	mie_buf_release(&k);
	if (seen == 1) {
		mie_import_skip(ctx, d->source, "repeated identical rows", 1);
		return 0;
	}
	if (seen == 2) {
		mie_warn_at(at,
		            "%s id %s: a second, different row with the same id: both kept, "
		            "this one as id %s~%.8s",
		            table, key, key, variant);
		variant[8] = '\0';
	}
	if (!d->spill && !(d->spill = mie_spool_new()))
		return -1;
	sd_spill_head head = {table, variant, at->file, at->member, charset, at->line, index};
	return sd_spill_write(d->spill, &d->spilling, &head, cols);
}

int mie_spipdump_row_end(mie_import *ctx, mie_spipdump *d, const mie_loc *at, const char *charset,
                         long index)
{
	const char *table = d->table.data;
	sd_row *cols = d->row;
	d->has_rows = 1;
	if (!hold(d, ctx, table, cols, at))
		return 0;
	const sd_content *c = sd_content_of(table);
	if (!c) { /* a table_row */
		mie_buf key = MIE_BUF_INIT;
		sd_generic_key(cols, table, at->line, index, &key);
		int rc = keep_content(d, ctx, NULL, key.data, at, charset, index);
		mie_buf_release(&key);
		return rc;
	}
	const char *key = sd_value(cols, c->key);
	if (!key || !sd_is_number(key)) {
		sd_reject_row(ctx, d, at, charset,
		              key ? "primary key is not a number: row not imported"
		                  : "row without its primary key: not imported");
		return 0;
	}
	return keep_content(d, ctx, c, key, at, charset, index);
}

void mie_spipdump_reject_cut(mie_import *ctx, mie_spipdump *d, const char *table, const mie_loc *at)
{
	mie_import_reject(ctx, d->source, table, at, NULL, NULL,
	                  "row cut short by the end of the input: not imported");
}

void sd_reject_row(mie_import *ctx, mie_spipdump *d, const mie_loc *at, const char *charset,
                   const char *why)
{
	const sd_row *r = d->row;
	const char *table = d->table.data;
	json_t *row = json_object(), *cols = json_object(), *withheld = json_array();
	mie_buf v = MIE_BUF_INIT, n = MIE_BUF_INIT;
	const char *cs = charset ? charset : d->charset ? d->charset : "iso-8859-1";
	for (size_t i = 0; i < r->n; i++) {
		const sd_col *c = &r->cols[i];
		const char *name = sd_row_str(r, c->name);
		if (c->credential || !mie_privacy_may_leave(table, name, sd_row_str(r, c->value),
		                                            c->vlen, ctx->opt.keep_personal)) {
			mie_buf_reset(&n);
			mie_text_decode(&n, name, strlen(name), cs, MIE_TEXT_ONE_LINE, NULL, NULL);
			json_array_append_new(withheld, json_stringn(n.data, n.len));
			mie_import_withheld(ctx, at, d->source, table, n.data);
			continue;
		}
		mie_buf_reset(&v);
		mie_text_decode(&v, sd_row_str(r, c->value), c->vlen, cs, 0, NULL, NULL);
		mie_buf_reset(&n);
		mie_text_decode(&n, name, strlen(name), cs, MIE_TEXT_ONE_LINE, NULL, NULL);
		json_object_set_new(cols, n.data, json_stringn(v.data, v.len));
	}
	mie_buf_release(&n);
	json_object_set_new(row, "columns", cols);
	if (json_array_size(withheld))
		json_object_set(row, "withheld", withheld);
	json_decref(withheld);
	mie_import_reject(ctx, d->source, table, at, NULL, row, why);
	json_decref(row);
	mie_buf_release(&v);
}

void sd_reject_damaged(mie_import *ctx, mie_spipdump *d, const mie_loc *at, const char *why)
{
	const sd_row *r = d->row;
	json_t *row = json_object(), *names = json_array();
	for (size_t i = 0; i < r->n; i++) {
		const char *name = sd_row_str(r, r->cols[i].name);
		uint32_t n;
		memcpy(&n, r->bytes.data + r->cols[i].name - sizeof n, sizeof n);
		char *shown = mie_rec_escape_bytes(name, n);
		json_array_append_new(names, json_string(shown));
		free(shown);
	}
	json_object_set_new(row, "columns_withheld", names);
	mie_import_reject(ctx, d->source, d->table.data, at, NULL, row, why);
	json_decref(row);
}

/* ---- after the last input ---- */

static int pair_cmp(const void *a, const void *b)
{
	const sd_link_pair *x = a, *y = b;
	if (x->obj != y->obj)
		return x->obj < y->obj ? -1 : 1;
	return x->ref < y->ref ? -1 : x->ref > y->ref;
}

int mie_spipdump_finish(mie_import *ctx, mie_spipdump *d)
{
	if (!d || !d->has_rows)
		return 0;
	if (d->unfinished)
		mie_warn_at(NULL, "%s", d->unfinished);
	if (!d->charset)
		d->charset = mie_xstrdup("iso-8859-1");
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
	if (d->npairs && !d->pairs_sorted) {
		qsort(d->pairs, d->npairs, sizeof *d->pairs, pair_cmp);
		d->pairs_sorted = 1;
	}
	FILE *spill = d->spill ? mie_spool_rewind(d->spill) : NULL;
	int rc = !d->spill ? 0 : spill ? sd_build_all(ctx, d, spill, host, site.data) : -1;
	free(host);
	mie_buf_release(&site);
	return rc;
}
