/* mie_spipdump.c — source reader "spip-dump": SPIP 1.9 XML database dumps
 * (version_archive 1.3) to interchange records.
 *
 * Lexing.  SPIP writes its dump by hand: one element per row named after
 * the table, one child per column, values escaped only by & → &amp; and
 * < → &lt;.  So every '<' in the file starts a tag, and a byte-level lexer
 * (text up to '<', tag up to '>') reads what an XML parser refuses: control
 * characters, cp1252 bytes in latin-1, invalid UTF-8, "]]>", undeclared
 * entities, a missing </SPIP>, text nodes of any size.  libxml2 is not used.
 * Each column value is unescaped (&lt; and &amp; only, in one pass) and kept
 * as bytes; it is decoded to record text per field by mie_text_decode with
 * the declared charset (a UTF-8 BOM wins; a <CONVERT charset> title prefix
 * switches that row).  The lexer's state lives across the inputs of one run,
 * so a dump split into several files is read as one stream, even when a cut
 * falls inside a row.
 *
 * Memory.  One row is held at a time (its size is the size of its biggest
 * text).  Held for the whole run, all small: the section tree (id, parent,
 * title), document types (id → MIME), link-table pairs (three integers
 * each), and the (type, id) of every record with a hash of its row (for
 * duplicate keys and for dropping references to records absent from the
 * output).  About 64 bytes per row of the dump, plus section titles.
 *
 * The spill.  Link tables may come before or after the rows they link (a
 * stock dump puts them first, sections after articles, document types after
 * documents, spip_meta with the site address last), so no record is final
 * while the dump is being read.  Each record is therefore written, as one
 * JSON line, to an anonymous temporary file (tmpfile(): deleted by the
 * system even if the process is killed), with a placeholder for the site
 * host in its ids.  When every input has been read (mie_source.finish) the
 * spill is read back line by line and each record gets its authors,
 * keywords, documents, section_path, MIME type and final ids, references to
 * records absent from the output are dropped (repair "dangling-reference"),
 * and it is emitted.  Disk use is about the size of the JSON output; memory
 * stays one record.
 *
 * Site.  Ids are HOST:TYPE:ID.  HOST comes from spip_meta adresse_site,
 * else the root attribute adresse_site (1.9.2), else --site, else "local";
 * "www." is stripped.  legacy.url (spip.php?article78) needs a site URL and
 * is left out with the "local" fallback. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mie_buf.h"
#include "mie_date.h"
#include "mie_import.h"
#include "mie_record.h"
#include "mie_text.h"

#define SOURCE   "spip-dump"
#define HOST_PH  "\x01"          /* placeholder for the site host in spilled ids */
#define URL_PH   "\x02"          /* placeholder for the site URL in legacy.url */
#define MAX_TAG  (1024 * 1024)   /* a "tag" longer than this is text */
#define TEXT_F   (MIE_TEXT_ENTITIES | MIE_TEXT_KEEP_MARKUP | MIE_TEXT_MOJIBAKE)
#define TITLE_F  (MIE_TEXT_ENTITIES | MIE_TEXT_KEEP_MARKUP | MIE_TEXT_MOJIBAKE | MIE_TEXT_ONE_LINE)

/* ---- what each table becomes ---- */

enum kind {
	K_SKIP, /* counted, not exported */
	K_RECORD,
	K_LINK,
	K_TYPES, /* spip_types_documents: held for the MIME of documents */
	K_META,  /* spip_meta: site settings */
};

/* Record types, also the index of the type in the id hash. */
enum rtype { T_SECTION, T_ARTICLE, T_BRIEF, T_AUTHOR, T_KEYWORD, T_GROUP, T_DOCUMENT, T_SITE,
             T_COMMENT, T_PETITION, T_SIGNATURE, T_NTYPES };
static const char *const rtype_name[] = {"section", "article",  "brief",    "author",
                                         "keyword", "keyword_group", "document", "site",
                                         "comment", "petition", "signature"};
/* spip.php?PAGE<id> for legacy.url; NULL: none */
static const char *const rtype_page[] = {"rubrique", "article", "breve", "auteur", "mot",
                                         NULL,       NULL,      "site",  NULL,    NULL,
                                         NULL};

/* Link kinds: the owner record type and the field filled. */
enum lkind { L_AUT_ART, L_MOT_ART, L_DOC_ART, L_MOT_RUB, L_DOC_RUB, L_MOT_BRE, L_DOC_BRE,
             L_MOT_SYN, L_MOT_FOR, L_MOT_DOC, L_NKINDS };

typedef struct table_def {
	const char *name;
	enum kind kind;
	int rtype;          /* K_RECORD: enum rtype; K_LINK: enum lkind */
	const char *pk;     /* K_RECORD: primary key; K_LINK: owner column */
	const char *target; /* K_LINK: target column */
	int editorial;      /* --status applies */
	const char *why;    /* K_SKIP: reason (for the notes) */
} table_def;

static const table_def tables[] = {
        {"spip_rubriques", K_RECORD, T_SECTION, "id_rubrique", NULL, 1, NULL},
        {"spip_articles", K_RECORD, T_ARTICLE, "id_article", NULL, 1, NULL},
        {"spip_breves", K_RECORD, T_BRIEF, "id_breve", NULL, 1, NULL},
        {"spip_auteurs", K_RECORD, T_AUTHOR, "id_auteur", NULL, 0, NULL},
        {"spip_mots", K_RECORD, T_KEYWORD, "id_mot", NULL, 0, NULL},
        {"spip_groupes_mots", K_RECORD, T_GROUP, "id_groupe", NULL, 0, NULL},
        {"spip_documents", K_RECORD, T_DOCUMENT, "id_document", NULL, 0, NULL},
        {"spip_syndic", K_RECORD, T_SITE, "id_syndic", NULL, 1, NULL},
        {"spip_forum", K_RECORD, T_COMMENT, "id_forum", NULL, 1, NULL},
        {"spip_petitions", K_RECORD, T_PETITION, "id_article", NULL, 0, NULL},
        {"spip_signatures", K_RECORD, T_SIGNATURE, "id_signature", NULL, 1, NULL},
        {"spip_auteurs_articles", K_LINK, L_AUT_ART, "id_article", "id_auteur", 0, NULL},
        {"spip_mots_articles", K_LINK, L_MOT_ART, "id_article", "id_mot", 0, NULL},
        {"spip_documents_articles", K_LINK, L_DOC_ART, "id_article", "id_document", 0, NULL},
        {"spip_mots_rubriques", K_LINK, L_MOT_RUB, "id_rubrique", "id_mot", 0, NULL},
        {"spip_documents_rubriques", K_LINK, L_DOC_RUB, "id_rubrique", "id_document", 0, NULL},
        {"spip_mots_breves", K_LINK, L_MOT_BRE, "id_breve", "id_mot", 0, NULL},
        {"spip_documents_breves", K_LINK, L_DOC_BRE, "id_breve", "id_document", 0, NULL},
        {"spip_mots_syndic", K_LINK, L_MOT_SYN, "id_syndic", "id_mot", 0, NULL},
        {"spip_mots_forum", K_LINK, L_MOT_FOR, "id_forum", "id_mot", 0, NULL},
        {"spip_mots_documents", K_LINK, L_MOT_DOC, "id_document", "id_mot", 0, NULL},
        {"spip_types_documents", K_TYPES, 0, "id_type", NULL, 0, NULL},
        {"spip_meta", K_META, 0, "nom", NULL, 0, NULL},
        {"spip_messages", K_SKIP, 0, NULL, NULL, 0, "private messages, never exported"},
        {"spip_auteurs_messages", K_SKIP, 0, NULL, NULL, 0, "private messages, never exported"},
        {"spip_versions", K_SKIP, 0, NULL, NULL, 0, "revision history"},
        {"spip_versions_fragments", K_SKIP, 0, NULL, NULL, 0, "binary revision history"},
        {NULL, K_SKIP, 0, NULL, NULL, 0, NULL}};

/* link kind → owner type, field */
static const struct {
	int owner;
	int target;
	const char *field;
} link_info[L_NKINDS] = {
        [L_AUT_ART] = {T_ARTICLE, T_AUTHOR, "authors"},
        [L_MOT_ART] = {T_ARTICLE, T_KEYWORD, "keywords"},
        [L_DOC_ART] = {T_ARTICLE, T_DOCUMENT, "documents"},
        [L_MOT_RUB] = {T_SECTION, T_KEYWORD, "keywords"},
        [L_DOC_RUB] = {T_SECTION, T_DOCUMENT, "documents"},
        [L_MOT_BRE] = {T_BRIEF, T_KEYWORD, "keywords"},
        [L_DOC_BRE] = {T_BRIEF, T_DOCUMENT, "documents"},
        [L_MOT_SYN] = {T_SITE, T_KEYWORD, "keywords"},
        [L_MOT_FOR] = {T_COMMENT, T_KEYWORD, "keywords"},
        [L_MOT_DOC] = {T_DOCUMENT, T_KEYWORD, "keywords"},
};

/* ---- held data ---- */

typedef struct link { /* 12 bytes: SPIP ids are 32-bit in practice */
	uint32_t owner, target;
	uint32_t kind;
} link;

typedef struct section {
	uint64_t id, parent;
	char *title; /* record text, owned */
} section;

typedef struct doctype {
	uint64_t id;
	char *mime; /* owned */
} doctype;

/* Open-addressing hash of (type, id) → first row's hash and line; 16
 * bytes a record, at most 4 slots per 2 records.  The count of differing
 * duplicates of a key lives in the high bits of line (rare). */
typedef struct seen {
	uint64_t key;  /* type << 56 | id, + 1 so that 0 is empty */
	uint32_t hash; /* of the row's bytes */
	uint32_t line; /* low 24 bits: line (saturated); high 8: duplicates */
} seen;
#define SEEN_LINE(sl) ((long)((sl)->line & 0xFFFFFF))
#define SEEN_DUPS(sl) ((sl)->line >> 24)

/* ---- the row being read ---- */

typedef struct col {
	size_t name, name_len, val, val_len; /* offsets in row.data */
} col;

typedef struct row {
	mie_buf data; /* names and values */
	col *cols;
	size_t n, cap;
	char table[64];
	mie_buf file;   /* where it starts */
	mie_buf member; /* empty: none */
	long line;
	char charset[64]; /* of the dump when the row was read */
} row;

typedef struct spip {
	/* lexer */
	int in_tag, in_row, in_col;
	mie_buf tag, val;
	size_t col_name, col_name_len; /* current column name, in row.data */
	row r;
	long line;            /* line of the next byte of the current input */
	char charset[64];     /* declared, or "utf-8" after a BOM */
	int seen_root, seen_end;
	mie_loc where;        /* current input */
	/* site */
	char *meta_url, *root_url;
	/* held */
	link *links;
	size_t nlinks, caplinks;
	section *sections;
	size_t nsections, capsections;
	doctype *types;
	size_t ntypes, captypes;
	seen *seen;
	size_t nseen, capseen;
	FILE *spill;
	long spilled;
} spip;

static int spip_sniff(const unsigned char *head, size_t n, const char *name)
{
	const char *h = (const char *)head;
	if (memmem(h, n, "<SPIP", 5) && (memmem(h, n, "version_archive", 15) || memmem(h, n, "<spip_", 6)))
		return 100;
	if (memmem(h, n, "<spip_", 6) && memmem(h, n, "</", 2))
		return 50;
	(void)name;
	return 0;
}

/* ---- small helpers ---- */

static int parse_u64(const char *s, size_t n, uint64_t *out)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	if (!n || n > 18)
		return -1;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

/* Finds or inserts (type, id).  Returns the slot; *isnew tells. */
static seen *seen_slot(spip *s, int type, uint64_t id, int *isnew)
{
	if ((s->nseen + 1) * 2 > s->capseen) {
		size_t cap = s->capseen ? s->capseen * 2 : 1024;
		seen *t = mie_xcalloc(cap, sizeof *t);
		for (size_t i = 0; i < s->capseen; i++) {
			if (!s->seen[i].key)
				continue;
			size_t j = (size_t)(s->seen[i].key * 0x9E3779B97F4A7C15ULL) & (cap - 1);
			while (t[j].key)
				j = (j + 1) & (cap - 1);
			t[j] = s->seen[i];
		}
		free(s->seen);
		s->seen = t;
		s->capseen = cap;
	}
	uint64_t key = ((uint64_t)type << 56 | id) + 1;
	size_t j = (size_t)(key * 0x9E3779B97F4A7C15ULL) & (s->capseen - 1);
	while (s->seen[j].key && s->seen[j].key != key)
		j = (j + 1) & (s->capseen - 1);
	*isnew = !s->seen[j].key;
	if (*isnew) {
		s->seen[j].key = key;
		s->nseen++;
	}
	return &s->seen[j];
}

static int seen_has(const spip *s, int type, uint64_t id)
{
	if (!s->capseen)
		return 0;
	uint64_t key = ((uint64_t)type << 56 | id) + 1;
	size_t j = (size_t)(key * 0x9E3779B97F4A7C15ULL) & (s->capseen - 1);
	while (s->seen[j].key) {
		if (s->seen[j].key == key)
			return 1;
		j = (j + 1) & (s->capseen - 1);
	}
	return 0;
}

static const table_def *find_table(const char *name)
{
	for (const table_def *t = tables; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

/* Column value by name, or NULL; *n its length.  Marks nothing. */
static const char *colv(const row *r, const char *name, size_t *n)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < r->n; i++)
		if (r->cols[i].name_len == len && !memcmp(r->data.data + r->cols[i].name, name, len)) {
			*n = r->cols[i].val_len;
			return r->data.data + r->cols[i].val;
		}
	*n = 0;
	return NULL;
}

/* ---- minimal rendering of SPIP markup (no full renderer yet) ---- */

/* Fills text.html and text.plain from the SPIP markup source `spip`
 * (record text) — a deliberately small stand-in until a SPIP renderer is
 * plugged in: html is the source HTML-escaped, one <p> per paragraph
 * (blank-line separated); plain is the source with the shortcuts {{{ }}}
 * {{ }} { } [[ ]] removed and [text->target] reduced to its text (or its
 * target when the text is empty).  Both are safe: html holds no markup of
 * the source. */
static void spip_minimal_render(const char *spip_src, size_t n, mie_buf *html, mie_buf *plain)
{
	/* plain: copy runs between the shortcut characters { } [ ] */
	int notes = 0;
	mie_buf_grow(plain, n);
	size_t i = 0;
	while (i < n) {
		size_t run = strcspn(spip_src + i, "{}[]");
		if (run > n - i)
			run = n - i;
		mie_buf_add(plain, spip_src + i, run);
		i += run;
		if (i >= n)
			break;
		char c = spip_src[i];
		if (c == '{' || c == '}') {
			i++;
			continue;
		}
		if (c == '[' && i + 1 < n && spip_src[i + 1] == '[') {
			mie_buf_adds(plain, " (");
			notes++;
			i += 2;
			continue;
		}
		if (c == ']' && notes && i + 1 < n && spip_src[i + 1] == ']') {
			notes--;
			mie_buf_addc(plain, ')');
			i += 2;
			continue;
		}
		if (c == '[') {
			/* [text->target] */
			const char *end = memchr(spip_src + i, ']', n - i);
			const char *arrow =
			        end ? memmem(spip_src + i, (size_t)(end - spip_src - i), "->", 2) : NULL;
			if (arrow) {
				size_t tl = (size_t)(arrow - spip_src - i - 1);
				if (tl)
					mie_buf_add(plain, spip_src + i + 1, tl);
				else
					mie_buf_add(plain, arrow + 2, (size_t)(end - arrow - 2));
				i = (size_t)(end - spip_src) + 1;
				continue;
			}
		}
		mie_buf_addc(plain, c);
		i++;
	}
	/* html: one <p> per blank-line separated paragraph, text escaped */
	mie_buf_grow(html, n + n / 8 + 16);
	int open = 0;
	i = 0;
	while (i < n) {
		if (spip_src[i] == '\n' && i + 1 < n &&
		    (spip_src[i + 1] == '\n' || spip_src[i + 1] == '\r')) {
			while (i < n && (spip_src[i] == '\n' || spip_src[i] == '\r'))
				i++;
			if (open)
				mie_buf_adds(html, "</p>\n");
			open = 0;
			continue;
		}
		if (!open) {
			mie_buf_adds(html, "<p>");
			open = 1;
		}
		size_t run = strcspn(spip_src + i, "&<>\n");
		if (run > n - i)
			run = n - i;
		mie_buf_add(html, spip_src + i, run);
		i += run;
		if (i >= n)
			break;
		char c = spip_src[i];
		if (c == '\n' && !(i + 1 < n && (spip_src[i + 1] == '\n' || spip_src[i + 1] == '\r'))) {
			mie_buf_addc(html, '\n');
			i++;
		} else if (c == '&') {
			mie_buf_adds(html, "&amp;");
			i++;
		} else if (c == '<') {
			mie_buf_adds(html, "&lt;");
			i++;
		} else if (c == '>') {
			mie_buf_adds(html, "&gt;");
			i++;
		}
	}
	if (open)
		mie_buf_adds(html, "</p>");
}

/* ---- row → record ---- */

typedef struct conv {
	mie_import *ctx;
	spip *s;
	const row *r;
	const table_def *t;
	unsigned char *used; /* per column */
	const char *charset;
	json_t *rec, *prov;
	mie_loc loc;
} conv;

static const char *take(conv *c, const char *name, size_t *n)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < c->r->n; i++)
		if (c->r->cols[i].name_len == len &&
		    !memcmp(c->r->data.data + c->r->cols[i].name, name, len)) {
			c->used[i] = 1;
			*n = c->r->cols[i].val_len;
			return c->r->data.data + c->r->cols[i].val;
		}
	*n = 0;
	return NULL;
}

static int blank(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)v[i]))
			return 0;
	return 1;
}

/* column → string field (decoded) */
static void f_str(conv *c, const char *colname, const char *field, unsigned flags)
{
	size_t n;
	const char *v = take(c, colname, &n);
	if (v && !blank(v, n))
		mie_text_set(c->rec, field, c->prov, field, v, n, c->charset, flags);
}

/* column → text object {spip, html, plain} */
static void f_text_from(conv *c, const char *v, size_t n, const char *field)
{
	if (!v || blank(v, n))
		return;
	json_t *o = json_object();
	mie_buf path = MIE_BUF_INIT;
	mie_buf_addf(&path, "%s.spip", field);
	mie_text_set(o, "spip", c->prov, path.data, v, n, c->charset, TEXT_F);
	const char *src = mie_rec_str(o, "spip");
	mie_buf html = MIE_BUF_INIT, plain = MIE_BUF_INIT;
	spip_minimal_render(src, strlen(src), &html, &plain);
	mie_buf clean = MIE_BUF_INIT;
	/* the plain form may hold entities kept as markup: decode them */
	mie_entities_decode(&clean, plain.data, plain.len, 0);
	mie_rec_set_strn(o, "html", html.data, html.len);
	mie_buf nfc = MIE_BUF_INIT;
	mie_text_clean(&nfc, clean.data, clean.len, 0, NULL, NULL);
	mie_rec_set_strn(o, "plain", nfc.data, nfc.len);
	json_object_set_new(c->rec, field, o);
	mie_buf_release(&path);
	mie_buf_release(&html);
	mie_buf_release(&plain);
	mie_buf_release(&clean);
	mie_buf_release(&nfc);
}

static void f_text(conv *c, const char *colname, const char *field)
{
	size_t n;
	const char *v = take(c, colname, &n);
	f_text_from(c, v, n, field);
}

static void f_date(conv *c, const char *colname, const char *field)
{
	size_t n;
	const char *v = take(c, colname, &n);
	if (!v)
		return;
	mie_buf b = MIE_BUF_INIT;
	mie_buf_add(&b, v, n);
	char iso[MIE_DATE_MAX];
	enum mie_date_status st = mie_date_spip(b.data, iso);
	if (st == MIE_DATE_OK) {
		mie_rec_set_str(c->rec, field, iso);
	} else if (st == MIE_DATE_INVALID) {
		mie_buf esc = MIE_BUF_INIT;
		mie_text_escape_bytes(&esc, v, n);
		mie_warn_at(&c->loc, "%s: %s: not a date: \"%s\", left out", c->t->name, colname,
		            esc.data);
		mie_rec_add_repair(c->prov, "invalid-date", field, "not a date, left out", esc.data);
		mie_buf_release(&esc);
	}
	mie_buf_release(&b);
}

static void f_int(conv *c, const char *colname, const char *field, int keep_zero)
{
	size_t n;
	const char *v = take(c, colname, &n);
	uint64_t x;
	if (!v || blank(v, n))
		return;
	if (parse_u64(v, n, &x) == 0) {
		if (x || keep_zero)
			json_object_set_new(c->rec, field, json_integer((json_int_t)x));
	} else {
		size_t i;
		for (i = 0; i < c->r->n; i++)
			if (c->r->data.data + c->r->cols[i].val == v)
				c->used[i] = 0; /* not a number: goes to extra */
	}
}

static char *make_ref(int type, uint64_t id)
{
	mie_buf b = MIE_BUF_INIT;
	mie_buf_addf(&b, HOST_PH ":%s:%llu", rtype_name[type], (unsigned long long)id);
	return mie_buf_detach(&b, NULL);
}

/* column holding an id → reference field (0 = none) */
static void f_ref(conv *c, const char *colname, const char *field, int type)
{
	size_t n;
	const char *v = take(c, colname, &n);
	uint64_t x;
	if (!v || blank(v, n))
		return;
	if (parse_u64(v, n, &x) < 0) {
		for (size_t i = 0; i < c->r->n; i++)
			if (c->r->data.data + c->r->cols[i].val == v)
				c->used[i] = 0;
		return;
	}
	if (!x)
		return;
	char *ref = make_ref(type, x);
	mie_rec_set_str(c->rec, field, ref);
	free(ref);
}

/* a column never exported (credential or personal data without
 * --keep-personal) */
static void drop(conv *c, const char *colname)
{
	size_t n;
	take(c, colname, &n);
}

/* Title with its "NN. " rank and <CONVERT x> prefix already handled. */
static void f_title(conv *c, const char *colname, int ranked)
{
	size_t n;
	const char *v = take(c, colname, &n);
	if (!v)
		return;
	if (n > 9 && !memcmp(v, "<CONVERT ", 9)) { /* handled in convert_row */
		const char *gt = memchr(v, '>', n);
		if (gt) {
			n -= (size_t)(gt + 1 - v);
			v = gt + 1;
		}
	}
	if (ranked) {
		size_t i = 0;
		uint64_t rank = 0;
		while (i < n && i < 9 && v[i] >= '0' && v[i] <= '9')
			rank = rank * 10 + (uint64_t)(v[i++] - '0');
		if (i > 0 && i < n && (v[i] == '.' || v[i] == ')') && i + 1 < n &&
		    (v[i + 1] == ' ' || v[i + 1] == '\t')) {
			i++;
			while (i < n && (v[i] == ' ' || v[i] == '\t'))
				i++;
			json_object_set_new(c->rec, "rank", json_integer((json_int_t)rank));
			v += i;
			n -= i;
		}
	}
	if (!blank(v, n))
		mie_text_set(c->rec, "title", c->prov, "title", v, n, c->charset, TITLE_F);
}

static void legacy(conv *c, uint64_t id)
{
	json_t *l = json_object();
	mie_rec_set_str(l, "site", HOST_PH);
	mie_rec_set_str(l, "table", c->t->name);
	mie_buf b = MIE_BUF_INIT;
	mie_buf_addf(&b, "%llu", (unsigned long long)id);
	mie_rec_set_str(l, "id", b.data);
	const char *page = rtype_page[c->t->rtype];
	if (page) {
		mie_buf_reset(&b);
		mie_buf_addf(&b, URL_PH "spip.php?%s%llu", page, (unsigned long long)id);
		mie_rec_set_str(l, "url", b.data);
	}
	mie_buf_release(&b);
	json_object_set_new(c->rec, "legacy", l);
}

static void fill_fields(conv *c)
{
	int keep = c->ctx->opt.keep_personal;
	switch (c->t->rtype) {
	case T_SECTION:
		f_title(c, "titre", 1);
		f_str(c, "lang", "lang", MIE_TEXT_ONE_LINE);
		f_str(c, "statut", "status", MIE_TEXT_ONE_LINE);
		f_date(c, "date", "date_published");
		f_ref(c, "id_parent", "section", T_SECTION);
		f_text(c, "descriptif", "description");
		f_text(c, "texte", "text");
		break;
	case T_ARTICLE: {
		f_title(c, "titre", 1);
		f_str(c, "lang", "lang", MIE_TEXT_ONE_LINE);
		f_str(c, "statut", "status", MIE_TEXT_ONE_LINE);
		f_date(c, "date", "date_published");
		f_date(c, "date_modif", "date_modified");
		f_str(c, "surtitre", "surtitle", TITLE_F);
		f_str(c, "soustitre", "subtitle", TITLE_F);
		f_ref(c, "id_rubrique", "section", T_SECTION);
		f_text(c, "descriptif", "description");
		size_t n;
		const char *v = take(c, "chapo", &n);
		if (v && n && v[0] == '=') {
			size_t a = 1;
			while (a < n && isspace((unsigned char)v[a]))
				a++;
			while (n > a && isspace((unsigned char)v[n - 1]))
				n--;
			if (n > a)
				mie_text_set(c->rec, "redirect", c->prov, "redirect", v + a, n - a,
				             c->charset, TITLE_F);
		} else {
			f_text_from(c, v, n, "lead");
		}
		f_text(c, "texte", "text");
		f_text(c, "ps", "ps");
		break;
	}
	case T_BRIEF:
		f_title(c, "titre", 1);
		f_str(c, "lang", "lang", MIE_TEXT_ONE_LINE);
		f_str(c, "statut", "status", MIE_TEXT_ONE_LINE);
		f_date(c, "date_heure", "date_published");
		f_ref(c, "id_rubrique", "section", T_SECTION);
		f_text(c, "texte", "text");
		break;
	case T_AUTHOR: {
		f_title(c, "nom", 0);
		f_str(c, "lang", "lang", MIE_TEXT_ONE_LINE);
		size_t n;
		const char *st = take(c, "statut", &n);
		int nouveau = st && n == 7 && !memcmp(st, "nouveau", 7);
		if (st && !blank(st, n))
			mie_text_set(c->rec, "status", c->prov, "status", st, n, c->charset,
			             MIE_TEXT_ONE_LINE);
		if (!nouveau) /* for "nouveau" accounts bio is the status to come: extra */
			f_text(c, "bio", "text");
		if (keep) {
			f_str(c, "email", "email", MIE_TEXT_ONE_LINE);
		} else {
			drop(c, "email");
			drop(c, "en_ligne");
			drop(c, "prefs");
			drop(c, "pgp");
		}
		break;
	}
	case T_KEYWORD:
		f_title(c, "titre", 1);
		f_ref(c, "id_groupe", "group", T_GROUP);
		f_text(c, "descriptif", "description");
		break;
	case T_GROUP:
		f_title(c, "titre", 1);
		f_text(c, "descriptif", "description");
		break;
	case T_DOCUMENT: {
		f_title(c, "titre", 1);
		f_date(c, "date", "date_published");
		size_t n;
		const char *v = take(c, "fichier", &n);
		if (v && !blank(v, n)) {
			mie_text_set(c->rec, "file", c->prov, "file", v, n, c->charset,
			             MIE_TEXT_ONE_LINE);
			const char *f = mie_rec_str(c->rec, "file");
			mie_buf u = MIE_BUF_INIT;
			if (!strncmp(f, "http://", 7) || !strncmp(f, "https://", 8))
				mie_buf_adds(&u, f);
			else
				mie_buf_addf(&u, URL_PH "%s", f);
			mie_rec_set_str(c->rec, "url", u.data);
			mie_buf_release(&u);
		}
		f_int(c, "taille", "size", 1);
		f_int(c, "largeur", "width", 0);
		f_int(c, "hauteur", "height", 0);
		f_str(c, "mode", "kind", MIE_TEXT_ONE_LINE);
		f_text(c, "descriptif", "description");
		break;
	}
	case T_SITE:
		f_title(c, "nom_site", 0);
		f_str(c, "url_site", "url", MIE_TEXT_ONE_LINE);
		f_str(c, "statut", "status", MIE_TEXT_ONE_LINE);
		f_date(c, "date", "date_published");
		f_text(c, "descriptif", "description");
		break;
	case T_COMMENT: {
		f_title(c, "titre", 0);
		f_str(c, "statut", "status", MIE_TEXT_ONE_LINE);
		f_date(c, "date_heure", "date_published");
		static const struct {
			const char *col;
			int type;
		} about[] = {{"id_article", T_ARTICLE},
		             {"id_breve", T_BRIEF},
		             {"id_rubrique", T_SECTION},
		             {"id_syndic", T_SITE}};
		for (size_t i = 0; i < 4; i++)
			if (!json_object_get(c->rec, "about"))
				f_ref(c, about[i].col, "about", about[i].type);
		f_ref(c, "id_parent", "parent", T_COMMENT);
		f_str(c, "auteur", "author_name", MIE_TEXT_ENTITIES | MIE_TEXT_ONE_LINE);
		if (keep) {
			f_str(c, "email_auteur", "author_email", MIE_TEXT_ONE_LINE);
			f_str(c, "ip", "ip", MIE_TEXT_ONE_LINE);
		} else {
			drop(c, "email_auteur");
			drop(c, "ip");
		}
		f_text(c, "texte", "text");
		break;
	}
	case T_PETITION:
		f_ref(c, "id_article", "about", T_ARTICLE);
		f_text(c, "texte", "text");
		break;
	case T_SIGNATURE: {
		f_ref(c, "id_article", "about", T_PETITION);
		f_str(c, "nom_email", "title", TITLE_F);
		f_date(c, "date_time", "date_published");
		size_t n;
		const char *st = take(c, "statut", &n);
		/* anything but publie/poubelle is a confirmation key: dropped */
		if (st && ((n == 6 && !memcmp(st, "publie", 6)) || (n == 8 && !memcmp(st, "poubelle", 8))))
			mie_rec_set_strn(c->rec, "status", st, n);
		if (keep)
			f_str(c, "ad_email", "author_email", MIE_TEXT_ONE_LINE);
		else
			drop(c, "ad_email");
		f_text(c, "message", "text");
		break;
	}
	}
}

/* the columns left → extra, verbatim after decoding; credentials never */
static void fill_extra(conv *c)
{
	json_t *extra = NULL;
	for (size_t i = 0; i < c->r->n; i++) {
		if (c->used[i] || !c->r->cols[i].val_len)
			continue;
		mie_buf name = MIE_BUF_INIT;
		mie_buf_add(&name, c->r->data.data + c->r->cols[i].name, c->r->cols[i].name_len);
		if (mie_import_is_credential(name.data)) {
			mie_buf_release(&name);
			continue;
		}
		if (!extra)
			extra = json_object();
		mie_buf path = MIE_BUF_INIT;
		mie_buf_addf(&path, "extra.%s", name.data);
		mie_text_set(extra, name.data, c->prov, path.data, c->r->data.data + c->r->cols[i].val,
		             c->r->cols[i].val_len, c->charset, 0);
		mie_buf_release(&path);
		mie_buf_release(&name);
	}
	if (extra)
		json_object_set_new(c->rec, "extra", extra);
}

/* The spill holds rows, not records: converting once, at the end, costs
 * less than writing and parsing JSON.  One entry: a spill_hdr, then the
 * file name, member, charset and local id bytes, the column table, the row
 * data. */
typedef struct spill_hdr {
	uint32_t table, ncols;
	int64_t line, dupline;
	uint64_t id, data_len;
	uint32_t file_len, member_len, charset_len, local_len;
} spill_hdr;

static int spill_row(spip *s, const row *r, const table_def *t, uint64_t id, const char *local,
                     long dupline)
{
	if (!s->spill && !(s->spill = tmpfile())) {
		mie_fatal("temporary file: %s", strerror(errno));
		return -1;
	}
	spill_hdr h = {(uint32_t)(t - tables), (uint32_t)r->n, r->line, dupline, id, r->data.len,
	               (uint32_t)r->file.len, (uint32_t)r->member.len, (uint32_t)strlen(r->charset),
	               (uint32_t)strlen(local)};
	FILE *f = s->spill;
	fwrite(&h, sizeof h, 1, f);
	fwrite(r->file.data, 1, r->file.len, f);
	fwrite(r->member.data, 1, r->member.len, f);
	fwrite(r->charset, 1, h.charset_len, f);
	fwrite(local, 1, h.local_len, f);
	fwrite(r->cols, sizeof *r->cols, r->n, f);
	fwrite(r->data.data, 1, r->data.len, f);
	if (ferror(f)) {
		mie_fatal("temporary file: write error: %s", strerror(errno));
		return -1;
	}
	s->spilled++;
	return 0;
}

static int read_str(FILE *f, mie_buf *b, size_t n)
{
	mie_buf_reset(b);
	mie_buf_grow(b, n + 1);
	if (n && fread(b->data, 1, n, f) != n)
		return -1;
	mie_buf_setlen(b, n);
	return 0;
}

/* Reads the next spilled row into r.  Returns 1, 0 at the end, -1 on error. */
static int unspill_row(FILE *f, row *r, spill_hdr *h, mie_buf *local)
{
	size_t got = fread(h, sizeof *h, 1, f);
	if (got != 1)
		return ferror(f) ? -1 : 0;
	mie_buf cs = MIE_BUF_INIT;
	int bad = read_str(f, &r->file, h->file_len) || read_str(f, &r->member, h->member_len) ||
	          read_str(f, &cs, h->charset_len) || read_str(f, local, h->local_len);
	snprintf(r->charset, sizeof r->charset, "%s", cs.data);
	mie_buf_release(&cs);
	if (bad)
		return -1;
	if (h->ncols > r->cap) {
		r->cap = h->ncols;
		r->cols = mie_xrealloc(r->cols, r->cap * sizeof *r->cols);
	}
	r->n = h->ncols;
	if (r->n && fread(r->cols, sizeof *r->cols, r->n, f) != r->n)
		return -1;
	if (read_str(f, &r->data, h->data_len))
		return -1;
	snprintf(r->table, sizeof r->table, "%s", tables[h->table].name);
	r->line = (long)h->line;
	return 1;
}

/* The row as a JSON object of its columns (decoded, credentials removed) for
 * --rejects. */
static json_t *row_json(const row *r, const char *charset)
{
	json_t *o = json_object();
	for (size_t i = 0; i < r->n; i++) {
		mie_buf name = MIE_BUF_INIT, v = MIE_BUF_INIT;
		mie_text_decode(&name, r->data.data + r->cols[i].name, r->cols[i].name_len, "utf-8", 0,
		                NULL, NULL);
		if (!mie_import_is_credential(name.data)) {
			mie_text_decode(&v, r->data.data + r->cols[i].val, r->cols[i].val_len, charset,
			                0, NULL, NULL);
			mie_rec_set_strn(o, name.data, v.data, v.len);
		}
		mie_buf_release(&name);
		mie_buf_release(&v);
	}
	return o;
}

static void reject_row(mie_import *ctx, spip *s, const row *r, const char *id, const char *why)
{
	mie_loc loc = {r->file.data, r->member.len ? r->member.data : NULL, r->line};
	json_t *o = ctx->rejects ? row_json(r, s->charset) : NULL;
	mie_import_reject(ctx, SOURCE, r->table, &loc, id, o, why);
	json_decref(o);
}

static void do_record(mie_import *ctx, spip *s, const row *r, const table_def *t)
{
	mie_loc loc = {r->file.data, r->member.len ? r->member.data : NULL, r->line};
	size_t n;
	const char *pk = colv(r, t->pk, &n);
	uint64_t id;
	if (!pk || blank(pk, n)) {
		reject_row(ctx, s, r, NULL, "missing primary key");
		return;
	}
	if (parse_u64(pk, n, &id) < 0 || id >= (1ULL << 56)) {
		mie_buf esc = MIE_BUF_INIT, why = MIE_BUF_INIT;
		mie_text_escape_bytes(&esc, pk, n);
		mie_buf_addf(&why, "%s: not an id: \"%s\"", t->pk, esc.data);
		reject_row(ctx, s, r, NULL, why.data);
		mie_buf_release(&esc);
		mie_buf_release(&why);
		return;
	}
	if (t->editorial && ctx->opt.status) {
		const char *st = colv(r, "statut", &n);
		if (!st || n != strlen(ctx->opt.status) || memcmp(st, ctx->opt.status, n)) {
			mie_import_skip(ctx, SOURCE, t->name, 1);
			return;
		}
	}
	if (t->rtype == T_COMMENT) { /* back-office discussions are not public */
		const char *st = colv(r, "statut", &n);
		if (st && ((n >= 4 && !memcmp(st, "priv", 4)) || (n == 5 && !memcmp(st, "perso", 5)))) {
			mie_import_skip(ctx, SOURCE, t->name, 1);
			return;
		}
	}
	/* duplicate keys: identical rows kept once, different ones both */
	uint64_t h = fnv(1469598103934665603ULL, r->data.data, r->data.len);
	int isnew;
	seen *sl = seen_slot(s, t->rtype, id, &isnew);
	char local[64];
	snprintf(local, sizeof local, "%llu", (unsigned long long)id);
	if (!isnew) {
		if (sl->hash == (uint32_t)h) {
			mie_warn_at(&loc, "%s id %s: duplicate row (same as line %ld), kept once", t->name,
			            local, SEEN_LINE(sl));
			mie_import_skip(ctx, SOURCE, t->name, 1);
			return;
		}
		if (SEEN_DUPS(sl) < 255)
			sl->line += 1u << 24;
		snprintf(local, sizeof local, "%llu-dup%u", (unsigned long long)id, SEEN_DUPS(sl) + 1);
		mie_warn_at(&loc, "%s id %llu: duplicate key with different content (first at line %ld), "
		                  "kept as %s",
		            t->name, (unsigned long long)id, SEEN_LINE(sl), local);
	} else {
		sl->hash = (uint32_t)h;
		sl->line = r->line > 0xFFFFFF ? 0xFFFFFF : (uint32_t)r->line;
	}
	if (spill_row(s, r, t, id, local, isnew ? 0 : SEEN_LINE(sl)) < 0)
		ctx->io_failed = EIO;
}

/* The record of a spilled row (new reference), ids with the host
 * placeholder.  dupline: line of the first row with the same key when this
 * one differs from it, else 0. */
static json_t *convert_row(mie_import *ctx, spip *s, const row *r, const table_def *t, uint64_t id,
                           const char *local, long dupline)
{
	mie_loc loc = {r->file.data, r->member.len ? r->member.data : NULL, r->line};
	size_t n;
	conv c = {.ctx = ctx, .s = s, .r = r, .t = t, .charset = r->charset, .loc = loc};
	c.used = mie_xcalloc(r->n ? r->n : 1, 1);
	/* a <CONVERT charset> title prefix: SPIP's half-done conversion; that
	 * row's bytes are in the named charset */
	const char *ti = colv(r, t->rtype == T_AUTHOR ? "nom" : "titre", &n);
	char convcs[64] = "";
	if (ti && n > 9 && !memcmp(ti, "<CONVERT ", 9)) {
		const char *gt = memchr(ti, '>', n);
		size_t cl = gt ? (size_t)(gt - ti - 9) : 0;
		if (gt && cl > 0 && cl < sizeof convcs) {
			memcpy(convcs, ti + 9, cl);
			convcs[cl] = 0;
			c.charset = convcs;
		}
	}
	mie_buf idb = MIE_BUF_INIT;
	mie_buf_addf(&idb, HOST_PH ":%s:%s", rtype_name[t->rtype], local);
	c.rec = mie_rec_new(rtype_name[t->rtype], idb.data);
	mie_buf_release(&idb);
	c.used[0] = 0;
	take(&c, t->pk, &n);
	/* provenance first in memory; moved to its place at the end */
	json_t *tmp = json_object();
	c.prov = mie_rec_add_provenance(tmp, SOURCE, &loc, c.charset);
	if (convcs[0]) {
		mie_buf d = MIE_BUF_INIT, o = MIE_BUF_INIT;
		mie_buf_addf(&d, "title prefix <CONVERT %s> removed; row read as %s", convcs, convcs);
		mie_buf_addf(&o, "<CONVERT %s>", convcs);
		mie_rec_add_repair(c.prov, "convert-prefix", "title", d.data, o.data);
		mie_buf_release(&d);
		mie_buf_release(&o);
	}
	if (dupline) {
		mie_buf d = MIE_BUF_INIT;
		mie_buf_addf(&d, "%s %llu also at line %ld with different content; this row kept as %s",
		             t->pk, (unsigned long long)id, dupline, local);
		mie_rec_add_repair(c.prov, "duplicate_key", "id", d.data, NULL);
		mie_buf_release(&d);
	}
	fill_fields(&c);
	legacy(&c, id);
	json_object_set(c.rec, "provenance", json_object_get(tmp, "provenance"));
	json_decref(tmp);
	fill_extra(&c);
	free(c.used);
	return c.rec;
}

static void do_link(mie_import *ctx, spip *s, const row *r, const table_def *t)
{
	size_t n1, n2;
	const char *a = colv(r, t->pk, &n1), *b = colv(r, t->target, &n2);
	uint64_t owner, target;
	if (!a || !b || parse_u64(a, n1, &owner) < 0 || parse_u64(b, n2, &target) < 0 ||
	    owner > UINT32_MAX || target > UINT32_MAX) {
		reject_row(ctx, s, r, NULL, "link row without its two ids");
		return;
	}
	if (s->nlinks == s->caplinks) {
		s->caplinks = s->caplinks ? s->caplinks * 2 : 256;
		s->links = mie_xrealloc(s->links, s->caplinks * sizeof *s->links);
	}
	s->links[s->nlinks++] = (link){(uint32_t)owner, (uint32_t)target, (uint32_t)t->rtype};
	mie_import_skip(ctx, SOURCE, t->name, 1);
}

/* Section titles for section_path: decoded as records are. */
static void hold_section(spip *s, const row *r)
{
	size_t n;
	const char *v = colv(r, "id_rubrique", &n);
	uint64_t id, parent = 0;
	if (!v || parse_u64(v, n, &id) < 0)
		return;
	v = colv(r, "id_parent", &n);
	if (v)
		parse_u64(v, n, &parent);
	const char *ti = colv(r, "titre", &n);
	const char *cs = s->charset;
	char convcs[64];
	if (ti && n > 9 && !memcmp(ti, "<CONVERT ", 9)) {
		const char *gt = memchr(ti, '>', n);
		size_t cl = gt ? (size_t)(gt - ti - 9) : 0;
		if (gt && cl > 0 && cl < sizeof convcs) {
			memcpy(convcs, ti + 9, cl);
			convcs[cl] = 0;
			cs = convcs;
			n -= (size_t)(gt + 1 - ti);
			ti = gt + 1;
		}
	}
	/* strip the rank, as the title field does */
	size_t i = 0;
	while (ti && i < n && i < 9 && ti[i] >= '0' && ti[i] <= '9')
		i++;
	if (ti && i > 0 && i + 1 < n && (ti[i] == '.' || ti[i] == ')') && (ti[i + 1] == ' ' || ti[i + 1] == '\t')) {
		i++;
		while (i < n && (ti[i] == ' ' || ti[i] == '\t'))
			i++;
		ti += i;
		n -= i;
	}
	mie_buf b = MIE_BUF_INIT;
	if (ti)
		mie_text_decode(&b, ti, n, cs, TITLE_F, NULL, NULL);
	if (s->nsections == s->capsections) {
		s->capsections = s->capsections ? s->capsections * 2 : 64;
		s->sections = mie_xrealloc(s->sections, s->capsections * sizeof *s->sections);
	}
	s->sections[s->nsections++] = (section){id, parent, mie_buf_detach(&b, NULL)};
}

static void hold_type(spip *s, const row *r)
{
	size_t n, m;
	const char *v = colv(r, "id_type", &n), *mime = colv(r, "mime_type", &m);
	uint64_t id;
	if (!v || parse_u64(v, n, &id) < 0 || !mime || blank(mime, m))
		return;
	mie_buf b = MIE_BUF_INIT;
	mie_text_decode(&b, mime, m, s->charset, MIE_TEXT_ONE_LINE, NULL, NULL);
	if (s->ntypes == s->captypes) {
		s->captypes = s->captypes ? s->captypes * 2 : 64;
		s->types = mie_xrealloc(s->types, s->captypes * sizeof *s->types);
	}
	s->types[s->ntypes++] = (doctype){id, mie_buf_detach(&b, NULL)};
}

static void hold_meta(spip *s, const row *r)
{
	size_t n, m;
	const char *k = colv(r, "nom", &n), *v = colv(r, "valeur", &m);
	if (k && v && n == 12 && !memcmp(k, "adresse_site", 12) && !blank(v, m)) {
		mie_buf b = MIE_BUF_INIT;
		mie_text_decode(&b, v, m, s->charset, MIE_TEXT_ONE_LINE, NULL, NULL);
		free(s->meta_url);
		s->meta_url = mie_buf_detach(&b, NULL);
	}
}

static void end_row(mie_import *ctx, spip *s)
{
	row *r = &s->r;
	const table_def *t = find_table(r->table);
	if (!t) {
		mie_import_skip(ctx, SOURCE, r->table, 1);
		return;
	}
	switch (t->kind) {
	case K_SKIP: mie_import_skip(ctx, SOURCE, t->name, 1); break;
	case K_LINK: do_link(ctx, s, r, t); break;
	case K_TYPES:
		hold_type(s, r);
		mie_import_skip(ctx, SOURCE, t->name, 1);
		break;
	case K_META:
		hold_meta(s, r);
		mie_import_skip(ctx, SOURCE, t->name, 1);
		break;
	case K_RECORD:
		mie_import_skip(ctx, SOURCE, t->name, 0); /* summary in reading order */
		if (t->rtype == T_SECTION)
			hold_section(s, r);
		do_record(ctx, s, r, t);
		break;
	}
}

/* ---- the lexer ---- */

static void start_row(spip *s, const char *name, size_t n)
{
	row *r = &s->r;
	mie_buf_reset(&r->data);
	r->n = 0;
	if (n >= sizeof r->table)
		n = sizeof r->table - 1;
	memcpy(r->table, name, n);
	r->table[n] = 0;
	mie_buf_reset(&r->file);
	mie_buf_adds(&r->file, s->where.file ? s->where.file : "-");
	mie_buf_reset(&r->member);
	if (s->where.member)
		mie_buf_adds(&r->member, s->where.member);
	r->line = s->line;
	snprintf(r->charset, sizeof r->charset, "%s", s->charset);
	s->in_row = 1;
	s->in_col = 0;
}

/* Appends the value with &lt; and &amp; undone (one pass: the correct
 * order), as SPIP's own importer should have. */
static void end_col(spip *s)
{
	row *r = &s->r;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->cols = mie_xrealloc(r->cols, r->cap * sizeof *r->cols);
	}
	col *c = &r->cols[r->n++];
	c->name = s->col_name;
	c->name_len = s->col_name_len;
	c->val = r->data.len;
	const char *v = s->val.data;
	size_t n = s->val.len, i = 0;
	mie_buf_grow(&r->data, n + 1);
	while (i < n) {
		const char *amp = memchr(v + i, '&', n - i);
		size_t stop = amp ? (size_t)(amp - v) : n;
		mie_buf_add(&r->data, v + i, stop - i);
		i = stop;
		if (i >= n)
			break;
		if (n - i >= 4 && !memcmp(v + i, "&lt;", 4)) {
			mie_buf_addc(&r->data, '<');
			i += 4;
		} else if (n - i >= 5 && !memcmp(v + i, "&amp;", 5)) {
			mie_buf_addc(&r->data, '&');
			i += 5;
		} else {
			mie_buf_addc(&r->data, '&');
			i++;
		}
	}
	c->val_len = r->data.len - c->val;
	mie_buf_reset(&s->val);
	s->in_col = 0;
}

/* attribute value of name="..." in a tag, or NULL; copied into out */
static int tag_attr(const char *tag, size_t n, const char *name, mie_buf *out)
{
	size_t ln = strlen(name);
	for (size_t i = 0; i + ln + 2 <= n; i++) {
		if (memcmp(tag + i, name, ln) || (i && !isspace((unsigned char)tag[i - 1])))
			continue;
		size_t j = i + ln;
		while (j < n && isspace((unsigned char)tag[j]))
			j++;
		if (j >= n || tag[j] != '=')
			continue;
		j++;
		while (j < n && isspace((unsigned char)tag[j]))
			j++;
		if (j >= n || (tag[j] != '"' && tag[j] != '\''))
			continue;
		char q = tag[j++];
		const char *end = memchr(tag + j, q, n - j);
		if (!end)
			return 0;
		mie_buf_reset(out);
		mie_buf_add(out, tag + j, (size_t)(end - tag - j));
		return 1;
	}
	return 0;
}

static void truncated(mie_import *ctx, spip *s, const char *what)
{
	reject_row(ctx, s, &s->r, NULL, what);
	s->in_row = s->in_col = 0;
	mie_buf_reset(&s->val);
}

static void handle_tag(mie_import *ctx, spip *s)
{
	const char *t = s->tag.data;
	size_t n = s->tag.len;
	if (!n)
		goto literal;
	if (t[0] == '?') {
		mie_buf enc = MIE_BUF_INIT;
		if (n > 4 && !memcmp(t, "?xml", 4) && tag_attr(t, n, "encoding", &enc)) {
			if (!strcmp(s->charset, "utf-8") && s->seen_root == -1) {
				/* after a BOM */
				if (strcasecmp(enc.data, "utf-8") && strcasecmp(enc.data, "utf8"))
					mie_warn_at(&s->where, "UTF-8 byte order mark and encoding \"%s\": "
					                       "read as UTF-8",
					            enc.data);
			} else if (enc.len && enc.len < sizeof s->charset) {
				for (size_t i = 0; i <= enc.len; i++)
					s->charset[i] = (char)tolower((unsigned char)enc.data[i]);
			}
		}
		mie_buf_release(&enc);
		return;
	}
	if (t[0] == '!')
		return;
	if (n >= 4 && !memcmp(t, "SPIP", 4) && (n == 4 || isspace((unsigned char)t[4]))) {
		mie_buf url = MIE_BUF_INIT;
		if (tag_attr(t, n, "adresse_site", &url) && url.len) {
			mie_buf b = MIE_BUF_INIT;
			mie_text_decode(&b, url.data, url.len, s->charset, MIE_TEXT_ONE_LINE, NULL, NULL);
			free(s->root_url);
			s->root_url = mie_buf_detach(&b, NULL);
		}
		mie_buf_release(&url);
		s->seen_root = 1;
		return;
	}
	if (n == 5 && !memcmp(t, "/SPIP", 5)) {
		if (s->in_row) {
			mie_loc l = {s->where.file, s->where.member, s->line};
			(void)l;
			truncated(ctx, s, "truncated row (</SPIP> inside it)");
		}
		s->seen_end = 1;
		return;
	}
	/* element name */
	int closing = t[0] == '/';
	const char *name = t + closing;
	size_t nl = 0;
	while (closing + nl < n && !isspace((unsigned char)name[nl]) && name[nl] != '/')
		nl++;
	if (!nl)
		goto literal;
	for (size_t i = 0; i < nl; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (!(isalnum(ch) || ch == '_' || ch == '-' || ch == ':' || ch == '.'))
			goto literal;
	}
	int is_table = nl > 5 && !memcmp(name, "spip_", 5);
	if (!closing) {
		if (s->in_row && is_table) {
			truncated(ctx, s, "truncated row (a new row starts inside it)");
		}
		if (!s->in_row) {
			if (is_table || nl < 64)
				start_row(s, name, nl);
			return;
		}
		if (s->in_col)
			goto literal; /* a raw '<' in a value */
		s->col_name = s->r.data.len;
		s->col_name_len = nl;
		mie_buf_add(&s->r.data, name, nl);
		s->in_col = 1;
		mie_buf_reset(&s->val);
		return;
	}
	/* closing */
	if (s->in_col && nl == s->col_name_len && !memcmp(s->r.data.data + s->col_name, name, nl)) {
		end_col(s);
		return;
	}
	if (s->in_row && !strncmp(s->r.table, name, nl) && s->r.table[nl] == 0) {
		if (s->in_col)
			end_col(s); /* column close tag missing */
		s->in_row = 0;
		end_row(ctx, s);
		return;
	}
	if (s->in_col)
		goto literal;
	{
		mie_loc l = {s->where.file, s->where.member, s->line};
		mie_buf nm = MIE_BUF_INIT;
		mie_buf_add(&nm, name, nl);
		mie_warn_at(&l, "unexpected closing tag </%s>, ignored", nm.data);
		mie_buf_release(&nm);
	}
	return;
literal:
	if (s->in_col) {
		mie_buf_addc(&s->val, '<');
		mie_buf_add(&s->val, t, n);
		mie_buf_addc(&s->val, '>');
	}
}

static spip *state_of(mie_import *ctx)
{
	extern const mie_source mie_source_spipdump;
	int i = mie_import_source_index(&mie_source_spipdump);
	if (!ctx->state[i]) {
		spip *s = mie_xcalloc(1, sizeof *s);
		mie_buf_init(&s->tag);
		mie_buf_init(&s->val);
		mie_buf_init(&s->r.data);
		mie_buf_init(&s->r.file);
		mie_buf_init(&s->r.member);
		snprintf(s->charset, sizeof s->charset, "iso-8859-1");
		ctx->state[i] = s;
	}
	return ctx->state[i];
}

static int spip_read(mie_import *ctx, mie_input *in, const mie_loc *where)
{
	spip *s = state_of(ctx);
	s->where = *where;
	s->line = 1;
	/* a UTF-8 byte order mark wins over the declared encoding */
	size_t pn = 3;
	const unsigned char *p = mie_input_peek(in, &pn);
	int bom = pn == 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF;
	if (bom) {
		unsigned char skip[3];
		mie_input_read(in, skip, 3);
		snprintf(s->charset, sizeof s->charset, "utf-8");
		s->seen_root = -1; /* tells the XML declaration a BOM was seen */
	} else if (pn >= 5 && !memcmp(p, "<?xml", 5)) {
		snprintf(s->charset, sizeof s->charset, "iso-8859-1"); /* SPIP's default */
		s->seen_root = 0;
	}
	s->seen_end = 0;
	enum { BLOCK = 256 * 1024 };
	char *buf = mie_xmalloc(BLOCK);
	ssize_t got = 0;
	while (!ctx->io_failed && (got = mie_input_read(in, buf, BLOCK)) > 0) {
		const char *b = buf, *end = buf + got;
		while (b < end) {
			if (s->in_tag) {
				const char *gt = memchr(b, '>', (size_t)(end - b));
				const char *stop = gt ? gt : end;
				for (const char *q = b; (q = memchr(q, '\n', (size_t)(stop - q))); q++)
					s->line++;
				mie_buf_add(&s->tag, b, (size_t)(stop - b));
				b = stop;
				if (gt) {
					b++;
					s->in_tag = 0;
					handle_tag(ctx, s);
				} else if (s->tag.len > MAX_TAG) {
					/* not a tag: text */
					s->in_tag = 0;
					if (s->in_col) {
						mie_buf_addc(&s->val, '<');
						mie_buf_add(&s->val, s->tag.data, s->tag.len);
					}
				}
				continue;
			}
			const char *lt = memchr(b, '<', (size_t)(end - b));
			const char *stop = lt ? lt : end;
			for (const char *q = b; (q = memchr(q, '\n', (size_t)(stop - q))); q++)
				s->line++;
			if (s->in_col)
				mie_buf_add(&s->val, b, (size_t)(stop - b));
			b = stop;
			if (lt) {
				b++;
				s->in_tag = 1;
				mie_buf_reset(&s->tag);
			}
		}
	}
	free(buf);
	if (s->seen_root == -1)
		s->seen_root = 0;
	return got < 0 ? -1 : 0;
}

/* ---- the end: links, paths, ids ---- */

static int cmp_link(const void *a, const void *b)
{
	const link *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	/* (kind, owner, target) */
	if (x->owner != y->owner)
		return x->owner < y->owner ? -1 : 1;
	return (x->target > y->target) - (x->target < y->target);
}

static int cmp_section(const void *a, const void *b)
{
	const section *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_type(const void *a, const void *b)
{
	const doctype *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static const section *find_section(const spip *s, uint64_t id)
{
	section key = {id, 0, NULL};
	return bsearch(&key, s->sections, s->nsections, sizeof key, cmp_section);
}

/* "HOST:TYPE:ID" placeholder → type index and id, or -1 */
static int parse_ref(const char *ref, int *type, uint64_t *id)
{
	if (ref[0] != HOST_PH[0] || ref[1] != ':')
		return -1;
	const char *t = ref + 2, *colon = strchr(t, ':');
	if (!colon)
		return -1;
	for (int i = 0; i < T_NTYPES; i++)
		if (strlen(rtype_name[i]) == (size_t)(colon - t) && !memcmp(t, rtype_name[i], (size_t)(colon - t))) {
			*type = i;
			return parse_u64(colon + 1, strlen(colon + 1), id);
		}
	return -1;
}

/* Replaces the placeholders of string v; returns a new json string or NULL
 * when v has none.  *drop set when the URL is unknown. */
static json_t *fix_str(const char *v, const char *host, const char *url, int *drop)
{
	if (v[0] == HOST_PH[0]) {
		mie_buf b = MIE_BUF_INIT;
		mie_buf_adds(&b, host);
		mie_buf_adds(&b, v + 1);
		json_t *j = json_string(b.data);
		mie_buf_release(&b);
		return j;
	}
	if (v[0] == URL_PH[0]) {
		if (!url) {
			*drop = 1;
			return NULL;
		}
		mie_buf b = MIE_BUF_INIT;
		mie_buf_adds(&b, url);
		mie_buf_adds(&b, v + 1);
		json_t *j = json_string(b.data);
		mie_buf_release(&b);
		return j;
	}
	return NULL;
}

static void fix_obj(json_t *o, const char *host, const char *url)
{
	const char *key;
	json_t *v;
	void *tmp;
	json_object_foreach_safe(o, tmp, key, v)
	{
		if (json_is_string(v)) {
			int drop = 0;
			json_t *nv = fix_str(json_string_value(v), host, url, &drop);
			if (drop)
				json_object_del(o, key);
			else if (nv)
				json_object_set_new(o, key, nv);
		} else if (json_is_array(v)) {
			size_t i;
			json_t *e;
			json_array_foreach(v, i, e)
			{
				int drop = 0;
				json_t *nv = json_is_string(e) ? fix_str(json_string_value(e), host, url, &drop) : NULL;
				if (nv)
					json_array_set_new(v, i, nv);
			}
		} else if (json_is_object(v) && strcmp(key, "extra") && strcmp(key, "provenance")) {
			fix_obj(v, host, url);
		}
	}
}

static void dangling(json_t *rec, const char *field, const char *ref)
{
	json_t *prov = json_array_get(json_object_get(rec, "provenance"), 0);
	mie_buf d = MIE_BUF_INIT;
	mie_buf_addf(&d, "reference to %s, absent from the output, left out", ref + 2);
	mie_rec_add_repair(prov, "dangling-reference", field, d.data, NULL);
	mie_buf_release(&d);
}

/* Drops references to records the output does not hold. */
static void check_refs(const spip *s, json_t *rec)
{
	static const char *const single[] = {"section", "group", "about", "parent", NULL};
	for (int i = 0; single[i]; i++) {
		const char *v = mie_rec_str(rec, single[i]);
		int type;
		uint64_t id;
		if (v && parse_ref(v, &type, &id) == 0 && !seen_has(s, type, id)) {
			dangling(rec, single[i], v);
			json_object_del(rec, single[i]);
		}
	}
}

static void add_links(const spip *s, json_t *rec, int owner_type, uint64_t id)
{
	for (int k = 0; k < L_NKINDS; k++) {
		if (link_info[k].owner != owner_type)
			continue;
		if (id > UINT32_MAX)
			continue;
		link key = {(uint32_t)id, 0, (uint32_t)k};
		/* first link of (k, id) */
		size_t lo = 0, hi = s->nlinks;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (cmp_link(&s->links[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t i = lo; i < s->nlinks && s->links[i].kind == (uint32_t)k && s->links[i].owner == id; i++) {
			char *ref = make_ref(link_info[k].target, s->links[i].target);
			if (seen_has(s, link_info[k].target, s->links[i].target))
				mie_rec_add_unique(rec, link_info[k].field, ref);
			else
				dangling(rec, link_info[k].field, ref);
			free(ref);
		}
	}
}

static void add_path(const spip *s, json_t *rec, uint64_t sec)
{
	const char *titles[64];
	int depth = 0;
	while (sec && depth < 64) {
		const section *x = find_section(s, sec);
		if (!x)
			break;
		titles[depth++] = x->title;
		sec = x->parent;
	}
	if (!depth)
		return;
	json_t *a = json_array();
	for (int i = depth - 1; i >= 0; i--)
		json_array_append_new(a, json_string(titles[i] ? titles[i] : ""));
	json_object_set_new(rec, "section_path", a);
}

/* the field order of schemas/README.md */
static json_t *reorder(json_t *rec)
{
	static const char *const order[] = {
	        "type",     "id",         "title",    "lang",     "status",      "date_published",
	        "date_modified", "rank",  "surtitle", "subtitle", "url",         "file",
	        "mime",     "size",       "width",    "height",   "kind",        "group",
	        "about",    "parent",     "author_name", "author_email", "ip",  "email",
	        "section",  "section_path", "authors", "keywords", "documents",  "redirect",
	        "description", "lead",    "text",     "ps",       "legacy",      "provenance",
	        "extra",    NULL};
	json_t *o = json_object();
	for (int i = 0; order[i]; i++) {
		json_t *v = json_object_get(rec, order[i]);
		if (v)
			json_object_set(o, order[i], v);
	}
	const char *key;
	json_t *v;
	json_object_foreach(rec, key, v)
	{
		if (!json_object_get(o, key))
			json_object_set(o, key, v);
	}
	json_decref(rec);
	return o;
}

/* host of a site URL, without "www." (malloc'd) */
static char *url_host(const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	size_t n = strcspn(p, "/:?#");
	if (n > 4 && !strncasecmp(p, "www.", 4))
		p += 4, n -= 4;
	char *h = mie_xstrndup(p, n);
	for (char *q = h; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return h;
}

static void spip_free(spip *s)
{
	mie_buf_release(&s->tag);
	mie_buf_release(&s->val);
	mie_buf_release(&s->r.data);
	mie_buf_release(&s->r.file);
	mie_buf_release(&s->r.member);
	free(s->r.cols);
	free(s->links);
	for (size_t i = 0; i < s->nsections; i++)
		free(s->sections[i].title);
	free(s->sections);
	for (size_t i = 0; i < s->ntypes; i++)
		free(s->types[i].mime);
	free(s->types);
	free(s->seen);
	free(s->meta_url);
	free(s->root_url);
	if (s->spill)
		fclose(s->spill);
	free(s);
}

static int spip_finish(mie_import *ctx)
{
	extern const mie_source mie_source_spipdump;
	int si = mie_import_source_index(&mie_source_spipdump);
	spip *s = ctx->state[si];
	if (!s)
		return 0;
	ctx->state[si] = NULL;
	if (s->in_row)
		truncated(ctx, s, "truncated row (end of input)");
	if (!s->seen_end)
		mie_warn_at(&s->where, "no </SPIP> at the end: the dump may be incomplete");
	/* the site */
	const char *site_url = s->meta_url ? s->meta_url : s->root_url ? s->root_url : ctx->opt.site;
	char *host = site_url ? url_host(site_url) : mie_xstrdup("local");
	if (!*host) {
		free(host);
		host = mie_xstrdup("local");
		site_url = NULL;
	}
	mie_buf base = MIE_BUF_INIT;
	if (site_url) {
		if (!strstr(site_url, "://"))
			mie_buf_adds(&base, "http://");
		mie_buf_adds(&base, site_url);
		if (base.data[base.len - 1] != '/')
			mie_buf_addc(&base, '/');
	}
	qsort(s->links, s->nlinks, sizeof *s->links, cmp_link);
	qsort(s->sections, s->nsections, sizeof *s->sections, cmp_section);
	qsort(s->types, s->ntypes, sizeof *s->types, cmp_type);
	int rc = 0;
	if (s->spill && !ctx->io_failed) {
		rewind(s->spill);
		row r;
		memset(&r, 0, sizeof r);
		mie_buf_init(&r.data);
		mie_buf_init(&r.file);
		mie_buf_init(&r.member);
		mie_buf local = MIE_BUF_INIT;
		spill_hdr h;
		int st;
		while (!ctx->io_failed && (st = unspill_row(s->spill, &r, &h, &local)) == 1) {
			const table_def *t = &tables[h.table];
			uint64_t id = h.id;
			json_t *rec = convert_row(ctx, s, &r, t, id, local.data, (long)h.dupline);
			check_refs(s, rec);
			add_links(s, rec, t->rtype, id);
			if (t->rtype == T_SECTION)
				add_path(s, rec, id);
			else if (t->rtype == T_ARTICLE || t->rtype == T_BRIEF) {
				int type;
				uint64_t sec;
				const char *sv = mie_rec_str(rec, "section");
				if (sv && parse_ref(sv, &type, &sec) == 0)
					add_path(s, rec, sec);
			} else if (t->rtype == T_DOCUMENT) {
				const char *ty = mie_rec_str(json_object_get(rec, "extra"), "id_type");
				uint64_t tid;
				if (ty && parse_u64(ty, strlen(ty), &tid) == 0) {
					doctype key = {tid, NULL};
					const doctype *d = bsearch(&key, s->types, s->ntypes, sizeof key, cmp_type);
					if (d)
						mie_rec_set_str(rec, "mime", d->mime);
				}
			}
			fix_obj(rec, host, base.len ? base.data : NULL);
			rec = reorder(rec);
			if (mie_import_emit(ctx, SOURCE, t->name, rec) < 0)
				rc = -1;
		}
		if (st < 0) {
			mie_fatal("temporary file: read error");
			rc = -1;
		}
		mie_buf_release(&r.data);
		mie_buf_release(&r.file);
		mie_buf_release(&r.member);
		free(r.cols);
		mie_buf_release(&local);
	}
	mie_buf_release(&base);
	free(host);
	spip_free(s);
	return rc;
}

const mie_source mie_source_spipdump = {
        .name = "spip-dump",
        .about = "SPIP 1.9 XML database dump (dump.xml, dump.xml.gz, split parts)",
        .sniff = spip_sniff,
        .read = spip_read,
        .finish = spip_finish,
};
