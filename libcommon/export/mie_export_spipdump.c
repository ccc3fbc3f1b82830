/* mie_export_spipdump.c — records to a SPIP 1.9 XML dump (--to spip-dump).
 *
 * The inverse of import/mie_spipdump.c: every record type that came from a
 * SPIP table goes back to it (article → spip_articles, brief → spip_breves,
 * …), each field to the column the reader takes it from, `extra` back to
 * its columns, and the id lists to the link tables (spip_auteurs_articles,
 * spip_mots_articles, spip_documents_articles, …).  Fields the reader
 * derives (text.html and .plain, notes, links, section_path, legacy, a
 * document's url, ids) are not written: a SPIP import computes them again
 * from the SPIP source (text.spip…), the site address and the tables.  So
 * import → export → import gives the same records, provenance aside; the
 * property test of tests/cases/export_spipdump.sh checks it.
 *
 * Layout and escaping as SPIP 1.9.2 writes a dump (formats/spip-1.9.md
 * §1): XML declaration with the charset, <SPIP> root with its attributes
 * each on a tab-indented line (adresse_site carries the site, so ids and
 * legacy URLs come back the same), one element per row named after the
 * table, one child per column on its own line, a blank line after each
 * row, link tables first, only & and < escaped (plus a > after "]]", which
 * XML forbids raw and SPIP wrote anyway).  Columns: the table's own, in
 * SPIP's order, those the record holds (a field or an extra member);
 * legacy columns of extra not in SPIP's list after them.  Never written:
 * credential columns (mie_privacy_is_credential), even when some extra
 * holds one.
 *
 * --charset iso-8859-1: characters outside latin-1 are written as SPIP
 * stores them, numeric references (&#8217;), in the fields a SPIP import
 * decodes references in; in extra members (read verbatim) the characters
 * of windows-1252 go as its bytes, and the others, which the charset
 * cannot hold, as references, said once per field at the end.
 *
 * gzip (-o ending in .gz): as SPIP, several gzip members (the header, each
 * slice of 400 rows, the end), which gzip -d, zcat and mie-import read as
 * one stream.
 *
 * Memory: one record; rows are spilled, per table, to unlinked temporary
 * files (mie_tmpfile) and copied out in SPIP's table order at finish; held
 * whole: the MIME types of documents (one entry per distinct type). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "export/mie_export.h"
#include "import/mie_import.h"
#include "import/mie_privacy.h"
#include "io/mie_output.h"
#include "record/mie_record.h"
#include "text/mie_spip.h"
#include "text/mie_text.h"
#include "core/mie_tmp.h"
#include "core/mie_utf8.h"

#define SLICE 400 /* rows per gzip member, as SPIP */

/* ---- the tables ---- */

/* How a column's value comes from a record. */
enum kind {
	K_LINE,   /* a one-line string field (entities decoded on import) */
	K_TITLE,  /* the title, with rank as a "N. " prefix */
	K_MARKUP, /* a text object: its .spip source */
	K_DATE,   /* a date, as MySQL writes a datetime */
	K_REF,    /* an id of ref_type: its number, "0" for none */
	K_INT,    /* a whole number */
	K_MIME,   /* a document's MIME type: the id of a spip_types_documents row */
	K_CHAPO,  /* an article's chapo: lead, or "=" and redirect */
	K_RAW,    /* an extra member: read back verbatim */
};

struct colmap {
	const char *column, *field;
	enum kind kind;
	const char *ref_type; /* K_REF */
};

struct tdef {
	const char *type, *table, *key;
	const char *const *columns; /* SPIP's order */
	const struct colmap *map;
	const char *const *carries;
};

#define COMMON "type", "id", "legacy", "links", "notes", "extra"

static const char *const art_cols[] = {"id_article",
                                       "surtitre",
                                       "titre",
                                       "soustitre",
                                       "id_rubrique",
                                       "descriptif",
                                       "chapo",
                                       "texte",
                                       "ps",
                                       "date",
                                       "statut",
                                       "id_secteur",
                                       "maj",
                                       "export",
                                       "date_redac",
                                       "visites",
                                       "referers",
                                       "popularite",
                                       "accepter_forum",
                                       "date_modif",
                                       "lang",
                                       "langue_choisie",
                                       "id_trad",
                                       "extra",
                                       "idx",
                                       "id_version",
                                       "nom_site",
                                       "url_site",
                                       "url_propre",
                                       NULL};
static const struct colmap art_map[] = {{"surtitre", "surtitle", K_LINE, NULL},
                                        {"titre", "title", K_TITLE, NULL},
                                        {"soustitre", "subtitle", K_LINE, NULL},
                                        {"id_rubrique", "section", K_REF, "section"},
                                        {"descriptif", "description", K_MARKUP, NULL},
                                        {"chapo", "lead", K_CHAPO, NULL},
                                        {"texte", "text", K_MARKUP, NULL},
                                        {"ps", "ps", K_MARKUP, NULL},
                                        {"date", "date_published", K_DATE, NULL},
                                        {"statut", "status", K_LINE, NULL},
                                        {"date_modif", "date_modified", K_DATE, NULL},
                                        {"lang", "lang", K_LINE, NULL},
                                        {NULL, NULL, 0, NULL}};
static const char *const art_carries[] = {
        COMMON,           "title",         "rank",     "lang",      "status",
        "date_published", "date_modified", "surtitle", "subtitle",  "section",
        "section_path",   "authors",       "keywords", "documents", "description",
        "lead",           "text",          "ps",       "redirect",  NULL};

static const char *const brv_cols[] = {"id_breve",   "date_heure",     "titre",  "texte",
                                       "lien_titre", "lien_url",       "statut", "id_rubrique",
                                       "lang",       "langue_choisie", "maj",    "idx",
                                       "extra",      "url_propre",     NULL};
static const struct colmap brv_map[] = {{"date_heure", "date_published", K_DATE, NULL},
                                        {"titre", "title", K_TITLE, NULL},
                                        {"texte", "text", K_MARKUP, NULL},
                                        {"lien_url", "url", K_LINE, NULL},
                                        {"statut", "status", K_LINE, NULL},
                                        {"id_rubrique", "section", K_REF, "section"},
                                        {"lang", "lang", K_LINE, NULL},
                                        {NULL, NULL, 0, NULL}};
static const char *const brv_carries[] = {COMMON,     "title",          "rank",    "lang",
                                          "status",   "date_published", "section", "section_path",
                                          "keywords", "documents",      "url",     "text",
                                          NULL};

static const char *const rub_cols[] = {
        "id_rubrique", "id_parent",  "titre",      "descriptif", "texte", "id_secteur",     "maj",
        "export",      "id_import",  "statut",     "date",       "lang",  "langue_choisie", "idx",
        "extra",       "url_propre", "statut_tmp", "date_tmp",   NULL};
static const struct colmap rub_map[] = {{"id_parent", "section", K_REF, "section"},
                                        {"titre", "title", K_TITLE, NULL},
                                        {"descriptif", "description", K_MARKUP, NULL},
                                        {"texte", "text", K_MARKUP, NULL},
                                        {"statut", "status", K_LINE, NULL},
                                        {"date", "date_published", K_DATE, NULL},
                                        {"lang", "lang", K_LINE, NULL},
                                        {NULL, NULL, 0, NULL}};
static const char *const rub_carries[] = {
        COMMON,    "title",        "rank",     "lang",      "status",      "date_published",
        "section", "section_path", "keywords", "documents", "description", "text",
        NULL};

static const char *const aut_cols[] = {"id_auteur",   "nom",        "bio",      "email",
                                       "nom_site",    "url_site",   "login",    "pass",
                                       "low_sec",     "statut",     "maj",      "pgp",
                                       "htpass",      "en_ligne",   "imessage", "messagerie",
                                       "alea_actuel", "alea_futur", "prefs",    "cookie_oubli",
                                       "source",      "lang",       "idx",      "url_propre",
                                       "extra",       NULL};
static const struct colmap aut_map[] = {{"nom", "title", K_LINE, NULL},
                                        {"bio", "text", K_MARKUP, NULL},
                                        {"email", "email", K_LINE, NULL},
                                        {"url_site", "url", K_LINE, NULL},
                                        {"statut", "status", K_LINE, NULL},
                                        {"lang", "lang", K_LINE, NULL},
                                        {NULL, NULL, 0, NULL}};
static const char *const aut_carries[] = {COMMON, "title", "status", "lang",
                                          "url",  "email", "text",   NULL};

static const char *const mot_cols[] = {"id_mot",     "titre", "descriptif", "texte",
                                       "id_groupe",  "type",  "extra",      "idx",
                                       "url_propre", "maj",   NULL};
static const struct colmap mot_map[] = {{"titre", "title", K_TITLE, NULL},
                                        {"descriptif", "description", K_MARKUP, NULL},
                                        {"id_groupe", "group", K_REF, "keyword_group"},
                                        {NULL, NULL, 0, NULL}};
static const char *const mot_carries[] = {COMMON, "title", "rank", "group", "description", NULL};

static const char *const grp_cols[] = {"id_groupe", "titre",       "descriptif", "texte",
                                       "unseul",    "obligatoire", "articles",   "breves",
                                       "rubriques", "syndic",      "minirezo",   "comite",
                                       "forum",     "maj",         NULL};
static const struct colmap grp_map[] = {{"titre", "title", K_TITLE, NULL},
                                        {"descriptif", "description", K_MARKUP, NULL},
                                        {NULL, NULL, 0, NULL}};
static const char *const grp_carries[] = {COMMON, "title", "rank", "description", NULL};

static const char *const doc_cols[] = {"id_document", "id_vignette", "id_type", "titre",
                                       "date",        "descriptif",  "fichier", "taille",
                                       "largeur",     "hauteur",     "mode",    "distant",
                                       "idx",         "maj",         NULL};
static const struct colmap doc_map[] = {
        {"id_type", "mime", K_MIME, NULL},        {"titre", "title", K_TITLE, NULL},
        {"date", "date_published", K_DATE, NULL}, {"descriptif", "description", K_MARKUP, NULL},
        {"fichier", "file", K_LINE, NULL},        {"taille", "size", K_INT, NULL},
        {"largeur", "width", K_INT, NULL},        {"hauteur", "height", K_INT, NULL},
        {"mode", "kind", K_LINE, NULL},           {NULL, NULL, 0, NULL}};
static const char *const doc_carries[] = {
        COMMON, "title", "rank",   "date_published", "mime",     "file",        "url",
        "size", "width", "height", "kind",           "keywords", "description", NULL};

static const char *const syn_cols[] = {
        "id_syndic",  "id_rubrique", "id_secteur", "nom_site", "url_site",    "url_syndic",
        "descriptif", "url_propre",  "idx",        "maj",      "syndication", "statut",
        "date",       "date_syndic", "date_index", "extra",    "moderation",  "miroir",
        "oubli",      "resume",      NULL};
static const struct colmap syn_map[] = {
        {"nom_site", "title", K_TITLE, NULL},          {"url_site", "url", K_LINE, NULL},
        {"descriptif", "description", K_MARKUP, NULL}, {"statut", "status", K_LINE, NULL},
        {"date", "date_published", K_DATE, NULL},      {NULL, NULL, 0, NULL}};
static const char *const syn_carries[] = {COMMON,     "title",       "rank",
                                          "url",      "status",      "date_published",
                                          "keywords", "description", NULL};

/* spip_forum: what the message is about is written apart (see put_about) */
static const char *const frm_cols[] = {
        "id_forum",   "id_parent", "id_thread", "id_rubrique", "id_article",   "id_breve",
        "date_heure", "titre",     "texte",     "auteur",      "email_auteur", "nom_site",
        "url_site",   "statut",    "idx",       "ip",          "maj",          "id_auteur",
        "id_message", "id_syndic", NULL};
static const struct colmap frm_map[] = {{"id_parent", "parent", K_REF, "comment"},
                                        {"date_heure", "date_published", K_DATE, NULL},
                                        {"titre", "title", K_TITLE, NULL},
                                        {"texte", "text", K_MARKUP, NULL},
                                        {"auteur", "author_name", K_LINE, NULL},
                                        {"email_auteur", "author_email", K_LINE, NULL},
                                        {"statut", "status", K_LINE, NULL},
                                        {"ip", "ip", K_LINE, NULL},
                                        {NULL, NULL, 0, NULL}};
static const char *const frm_carries[] = {
        COMMON,        "title",        "rank", "status",   "date_published", "about", "parent",
        "author_name", "author_email", "ip",   "keywords", "text",           NULL};

/* spip_petitions: the key is the article's id, which is also `about` */
static const char *const pet_cols[] = {"id_article", "email_unique", "site_obli", "site_unique",
                                       "message",    "texte",        "maj",       NULL};
static const struct colmap pet_map[] = {{"texte", "text", K_MARKUP, NULL}, {NULL, NULL, 0, NULL}};
static const char *const pet_carries[] = {COMMON, "about", "text", NULL};

static const char *const sig_cols[] = {"id_signature", "id_article", "date_time", "nom_email",
                                       "ad_email",     "nom_site",   "url_site",  "message",
                                       "statut",       "idx",        "maj",       NULL};
static const struct colmap sig_map[] = {{"id_article", "about", K_REF, "petition"},
                                        {"date_time", "date_published", K_DATE, NULL},
                                        {"nom_email", "title", K_LINE, NULL},
                                        {"ad_email", "author_email", K_LINE, NULL},
                                        {"message", "text", K_MARKUP, NULL},
                                        {"statut", "status", K_LINE, NULL},
                                        {NULL, NULL, 0, NULL}};
static const char *const sig_carries[] = {COMMON,           "about",        "title", "status",
                                          "date_published", "author_email", "text",  NULL};

static const struct tdef tdefs[] = {
        {"article", "spip_articles", "id_article", art_cols, art_map, art_carries},
        {"brief", "spip_breves", "id_breve", brv_cols, brv_map, brv_carries},
        {"section", "spip_rubriques", "id_rubrique", rub_cols, rub_map, rub_carries},
        {"author", "spip_auteurs", "id_auteur", aut_cols, aut_map, aut_carries},
        {"keyword", "spip_mots", "id_mot", mot_cols, mot_map, mot_carries},
        {"keyword_group", "spip_groupes_mots", "id_groupe", grp_cols, grp_map, grp_carries},
        {"document", "spip_documents", "id_document", doc_cols, doc_map, doc_carries},
        {"site", "spip_syndic", "id_syndic", syn_cols, syn_map, syn_carries},
        {"comment", "spip_forum", "id_forum", frm_cols, frm_map, frm_carries},
        {"petition", "spip_petitions", "id_article", pet_cols, pet_map, pet_carries},
        {"signature", "spip_signatures", "id_signature", sig_cols, sig_map, sig_carries},
};
#define N_TDEFS (sizeof tdefs / sizeof *tdefs)

/* Link tables, in the order SPIP writes them (first in the dump); the
 * referenced object's column comes first, as in SPIP's tables. */
static const struct ldef {
	const char *obj_type, *field, *table, *ref_col, *obj_col, *ref_type;
} ldefs[] = {
        {"site", "keywords", "spip_mots_syndic", "id_mot", "id_syndic", "keyword"},
        {"section", "keywords", "spip_mots_rubriques", "id_mot", "id_rubrique", "keyword"},
        {"comment", "keywords", "spip_mots_forum", "id_mot", "id_forum", "keyword"},
        {"document", "keywords", "spip_mots_documents", "id_mot", "id_document", "keyword"},
        {"section", "documents", "spip_documents_rubriques", "id_document", "id_rubrique",
         "document"},
        {"brief", "documents", "spip_documents_breves", "id_document", "id_breve", "document"},
        {"brief", "keywords", "spip_mots_breves", "id_mot", "id_breve", "keyword"},
        {"article", "documents", "spip_documents_articles", "id_document", "id_article",
         "document"},
        {"article", "authors", "spip_auteurs_articles", "id_auteur", "id_article", "author"},
        {"article", "keywords", "spip_mots_articles", "id_mot", "id_article", "keyword"},
};
#define N_LDEFS (sizeof ldefs / sizeof *ldefs)

/* Every table of the dump in SPIP 1.9.2's order: the link tables, then
 * these (spip_types_documents and spip_meta are written at finish). */
static const char *const content_order[] = {
        "spip_articles",     "spip_auteurs",   "spip_breves",     "spip_mots",
        "spip_groupes_mots", "spip_rubriques", "spip_documents",  "spip_types_documents",
        "spip_syndic",       "spip_forum",     "spip_signatures", "spip_petitions",
        "spip_meta"};
#define N_CONTENT (sizeof content_order / sizeof *content_order)
#define N_TABLES  (N_LDEFS + N_CONTENT)

static const char *table_name(size_t t)
{
	return t < N_LDEFS ? ldefs[t].table : content_order[t - N_LDEFS];
}

static size_t table_index(const char *table)
{
	for (size_t t = 0; t < N_TABLES; t++)
		if (strcmp(table_name(t), table) == 0)
			return t;
	return N_TABLES; /* not reached: every table written is listed */
}

static const struct tdef *tdef_of(const char *type)
{
	for (size_t i = 0; type && i < N_TDEFS; i++)
		if (strcmp(tdefs[i].type, type) == 0)
			return &tdefs[i];
	return NULL;
}

/* ---- the writer's state ---- */

enum { OPT_CHARSET = 1 };
static const mie_option options[] = {
        {OPT_CHARSET, 0, "charset", "CHARSET", "the dump's charset: utf-8 (default) or iso-8859-1"},
        {0, 0, NULL, NULL, NULL}};

/* A field some records could not have written exactly, and why: said
 * once at finish, with the number of those records. */
struct inexact {
	char *path;
	const char *why; /* static */
	long records;
	long last; /* the serial of the last record counted */
};

typedef struct sd {
	mie_output *out; /* owned until finish/abort */
	int latin1, gzip;
	/* owned: rows, each a 8-byte length then its bytes; the last one
	 * holds the rows of table_row records, whatever their table */
	FILE *spill[N_TABLES + 1];
	long rows[N_TABLES + 1];
	char *host;     /* of the first record's id (owned) */
	char *site_url; /* the site's address, from a legacy URL (owned), or NULL */
	json_t *mimes;  /* MIME type -> [id_type, extension] (owned) */
	struct inexact *inexact;
	size_t ninexact;
	mie_buf row, val, tmp; /* scratch */
	long serial;           /* records put so far */
} sd;

/* ---- values ---- */

/* Would `&` at s start an entity a SPIP import decodes?  (Then the
 * content says "&amp;" for it.  Escaping an '&' that needed none would
 * also come back the same: this only keeps titles as SPIP stored them.) */
static int starts_entity(const char *s, size_t n, mie_buf *tmp)
{
	size_t k = 1;
	while (k < n && k < 40 && s[k] != ';' && s[k] != '&')
		k++;
	if (k >= n || s[k] != ';')
		return 0;
	mie_buf_reset(tmp);
	return mie_entities_decode(tmp, s, k + 1, 0) > 0;
}

/* Appends record text s (UTF-8) as a column's value: SPIP content in the
 * dump's charset, then SPIP's two escapes.  Returns the number of
 * characters the value cannot hold exactly (latin-1 and a verbatim
 * column, a C1 control, "]]>" in a text a SPIP import keeps as it is). */
static long put_value(sd *w, mie_buf *out, const char *s, size_t n, enum kind kind)
{
	/* does a SPIP import decode entities in it? */
	int decodes = kind == K_LINE || kind == K_TITLE || kind == K_MARKUP || kind == K_CHAPO;
	int line = kind == K_LINE || kind == K_TITLE;
	long bad = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (c == '&')
				mie_buf_adds(out, line && starts_entity(s + i, n - i, &w->tmp)
				                          ? "&amp;amp;"
				                          : "&amp;");
			else if (c == '<')
				mie_buf_adds(out, "&lt;");
			else if (c == '>' && i >= 2 && s[i - 1] == ']' && s[i - 2] == ']') {
				mie_buf_adds(out, "&gt;"); /* XML forbids "]]>" in content */
				bad += !line;
			} else
				mie_buf_addc(out, c);
			i++;
			continue;
		}
		uint32_t cp = 0;
		size_t k = mie_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (!k) { /* not in a record (strict UTF-8): kept as it is */
			mie_buf_addc(out, c);
			i++;
			continue;
		}
		/* the five bytes windows-1252 leaves undefined come back as
		 * themselves; the other C1 controls would come back as ’ … */
		int undefined = cp == 0x81 || cp == 0x8D || cp == 0x8F || cp == 0x90 || cp == 0x9D;
		if (cp >= 0x80 && cp < 0xA0 && !undefined)
			bad++;
		if (!w->latin1) {
			mie_buf_add(out, s + i, k);
		} else if (cp < 0x100 && (cp >= 0xA0 || undefined)) {
			mie_buf_addc(out, (int)cp);
		} else if (!decodes && mie_cp1252_from_ucs(cp) >= 0x80 && cp >= 0x100) {
			mie_buf_addc(out, mie_cp1252_from_ucs(cp));
		} else {
			mie_buf_addf(out, "&amp;#%u;", (unsigned)cp);
			bad += !decodes;
		}
		i += k;
	}
	return bad;
}

static const char WHY_CHARSET[] =
        "characters the dump cannot hold as they are (outside its charset, C1 controls, ]]>)";
static const char WHY_REF[] = "ids of another site or type, or not SPIP numbers: left out";
static const char WHY_COLUMN[] = "a credential or a name no column can have: left out";
static const char WHY_OFFSET[] = "a time offset SPIP's naive dates cannot hold: left out";

/* Remembers that a field of the record being written was not written
 * exactly (said once per field and reason at finish). */
static void inexact_note(sd *w, const char *path, const char *why)
{
	for (size_t i = 0; i < w->ninexact; i++)
		if (w->inexact[i].why == why && strcmp(w->inexact[i].path, path) == 0) {
			w->inexact[i].records += w->inexact[i].last != w->serial;
			w->inexact[i].last = w->serial;
			return;
		}
	w->inexact = mie_xrealloc(w->inexact, (w->ninexact + 1) * sizeof *w->inexact);
	w->inexact[w->ninexact++] = (struct inexact){mie_xstrdup(path), why, 1, w->serial};
}

/* One column on its own line. */
static void put_col(sd *w, const char *column, const char *field, const char *v, size_t n,
                    enum kind kind)
{
	mie_buf_addf(&w->row, "<%s>", column);
	if (put_value(w, &w->row, v, n, kind)) {
		mie_buf path = MIE_BUF_INIT;
		mie_buf_addf(&path, "%s%s", field, kind == K_MARKUP ? ".spip" : "");
		inexact_note(w, path.data, WHY_CHARSET);
		mie_buf_release(&path);
	}
	mie_buf_addf(&w->row, "</%s>\n", column);
}

/* The local part of an id of this site and of `type` when it is a SPIP
 * number ("infomie.net:article:78" → "78"), or NULL. */
static const char *local_number(const sd *w, const char *id, const char *type)
{
	size_t hl = strlen(w->host), tl = strlen(type);
	if (!id || strncmp(id, w->host, hl) != 0 || id[hl] != ':' ||
	    strncmp(id + hl + 1, type, tl) != 0 || id[hl + 1 + tl] != ':')
		return NULL;
	const char *n = id + hl + tl + 2;
	size_t d = strspn(n, "0123456789");
	return d && d < 20 && !n[d] ? n : NULL;
}

static char *host_of(const char *id)
{
	const char *c = id ? strchr(id, ':') : NULL;
	return c ? mie_xstrndup(id, (size_t)(c - id)) : NULL;
}

static const char WHY_NOSOURCE[] = "no SPIP source: the plain text written as source";

/* A text object's SPIP source, else its plain text (the words, as
 * source: said), appended to v; returns 0 when it has neither. */
static int markup_source(sd *w, mie_buf *v, const json_t *text, const char *field)
{
	const char *src = mie_rec_str(text, "spip");
	if (!src && (src = mie_rec_str(text, "plain")) != NULL) {
		mie_buf path = MIE_BUF_INIT;
		mie_buf_addf(&path, "%s.spip", field);
		inexact_note(w, path.data, WHY_NOSOURCE);
		mie_buf_release(&path);
	}
	if (src)
		mie_buf_adds(v, src);
	return src != NULL;
}

/* The SPIP source of a one-line field whose <multi> block the import
 * resolved (a "multi" repair keeps it, in mie_rec_escape_bytes form),
 * unescaped into v; returns 0 when there is none.  Written back, it
 * gives the same field, and section paths (which keep the block) the
 * same titles. */
static int multi_source(mie_buf *v, const json_t *rec, const char *field)
{
	size_t i, j;
	const json_t *p, *r;
	json_array_foreach(json_object_get(rec, "provenance"), i, p)
	{
		json_array_foreach(json_object_get(p, "repairs"), j, r)
		{
			const char *o = mie_rec_str(r, "original"), *path = mie_rec_str(r, "path");
			if (!o || !path || strcmp(path, field) != 0 ||
			    strcmp(mie_rec_str(r, "kind") ? mie_rec_str(r, "kind") : "", "multi") !=
			            0)
				continue;
			for (; *o; o++) {
				unsigned x;
				if (o[0] == '\\' && o[1] == 'x' && sscanf(o + 2, "%2x", &x) == 1) {
					mie_buf_addc(v, (int)x);
					o += 3;
				} else if (o[0] == '\\' && o[1] == '\\') {
					mie_buf_addc(v, '\\');
					o++;
				} else {
					mie_buf_addc(v, *o);
				}
			}
			return 1;
		}
	}
	return 0;
}

/* The value for a mapped column, in w->val; returns 1 when the record
 * gives one (else the column is written from extra, or empty). */
static int mapped_value(sd *w, const json_t *rec, const struct colmap *m, enum kind *kind)
{
	mie_buf *v = &w->val;
	mie_buf_reset(v);
	*kind = m->kind;
	const json_t *f = json_object_get(rec, m->field);
	switch (m->kind) {
	case K_LINE:
		if (!json_is_string(f))
			return 0;
		if (!multi_source(v, rec, m->field))
			mie_buf_adds(v, json_string_value(f));
		return 1;
	case K_TITLE: {
		const json_t *rank = json_object_get(rec, "rank");
		if (!json_is_string(f))
			return 0;
		if (multi_source(v, rec, m->field))
			return 1; /* the number is in the source */
		if (json_is_integer(rank) && json_integer_value(rank) >= 0)
			mie_buf_addf(v, "%lld. ", (long long)json_integer_value(rank));
		mie_buf_adds(v, json_string_value(f));
		return 1;
	}
	case K_CHAPO:
		if (mie_rec_str(rec, "redirect")) {
			*kind = K_LINE; /* read as a one-line string after the '=' */
			mie_buf_addc(v, '=');
			mie_buf_adds(v, mie_rec_str(rec, "redirect"));
			return 1;
		}
		f = json_object_get(rec, "lead");
		*kind = K_MARKUP;
		return markup_source(w, v, f, "lead");
	case K_MARKUP: return markup_source(w, v, f, m->field);
	case K_DATE: {
		const char *d = json_string_value(f);
		if (!d)
			return 0;
		/* the naive local time, as SPIP stores it */
		size_t n = strlen(d) < 19 ? strlen(d) : 19;
		if (d[n])
			inexact_note(w, m->field, WHY_OFFSET);
		mie_buf_add(v, d, n);
		if (n > 10)
			v->data[10] = ' ';
		return 1;
	}
	case K_REF: {
		const char *n = local_number(w, json_string_value(f), m->ref_type);
		if (f && !n)
			inexact_note(w, m->field, WHY_REF);
		if (n)
			mie_buf_adds(v, n);
		return n != NULL;
	}
	case K_INT:
		if (!json_is_integer(f))
			return 0;
		mie_buf_addf(v, "%lld", (long long)json_integer_value(f));
		return 1;
	case K_MIME: {
		const char *mime = json_string_value(f);
		if (!mime)
			return 0;
		json_t *t = json_object_get(w->mimes, mime);
		if (!t) {
			/* the extension: the file's, else the subtype's */
			const char *file = mie_rec_str(rec, "file"), *dot = NULL;
			const char *slash = strchr(mime, '/');
			if (file && (dot = strrchr(file, '.')) && !strchr(dot, '/'))
				dot++;
			else
				dot = slash ? slash + 1 : mime;
			t = json_pack("[Is]", (json_int_t)json_object_size(w->mimes) + 1, dot);
			json_object_set_new(w->mimes, mime, t);
		}
		mie_buf_addf(v, "%lld", (long long)json_integer_value(json_array_get(t, 0)));
		return 1;
	}
	case K_RAW: break;
	}
	return 0;
}

/* What SPIP holds in a mapped column for a record without the field, as
 * a SPIP import reads it (no field, nothing in extra), or NULL: no column. */
static const char *absent_value(enum kind kind)
{
	switch (kind) {
	case K_DATE: return "0000-00-00 00:00:00";
	case K_REF: return "0";
	case K_MIME: return NULL; /* without its type, id_type would go to extra */
	default: return "";
	}
}

/* A name SPIP could have as a column and XML takes as an element name. */
static int column_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
			return 0;
	return 1;
}

static void extra_left_out(sd *w, const char *name)
{
	mie_buf path = MIE_BUF_INIT;
	mie_buf_addf(&path, "extra.%s", name);
	inexact_note(w, path.data, WHY_COLUMN);
	mie_buf_release(&path);
}

static void put_extra_col(sd *w, const char *column, const json_t *v)
{
	mie_buf path = MIE_BUF_INIT;
	mie_buf_addf(&path, "extra.%s", column);
	put_col(w, column, path.data, json_string_value(v), json_string_length(v), K_RAW);
	mie_buf_release(&path);
}

/* A comment is about one of four objects: SPIP's import looks at
 * id_article, id_breve, id_rubrique, id_syndic in this order and takes the
 * first that is a number other than 0, so those before it are written "0"
 * and those after it only when extra has them.  Returns 0 when column is
 * not one of them. */
static int about_column(sd *w, const json_t *rec, const char *column, const json_t *extra)
{
	static const char *const about[][2] = {{"id_article", "article"},
	                                       {"id_breve", "brief"},
	                                       {"id_rubrique", "section"},
	                                       {"id_syndic", "site"}};
	const char *target = mie_rec_str(rec, "about");
	int at = 0, mine = -1;
	while (at < 4 && !local_number(w, target, about[at][1]))
		at++;
	for (int i = 0; i < 4; i++)
		if (strcmp(about[i][0], column) == 0)
			mine = i;
	if (mine < 0)
		return 0;
	const json_t *x = json_object_get(extra, column);
	if (mine == at) {
		const char *n = local_number(w, target, about[at][1]);
		put_col(w, column, "about", n, strlen(n), K_REF);
	} else if (json_is_string(x)) {
		put_extra_col(w, column, x);
	} else if (mine < at) {
		put_col(w, column, "about", "0", 1, K_REF);
	}
	if (mine == 0 && target && at == 4)
		inexact_note(w, "about", WHY_REF);
	return 1;
}

static int spill_row(sd *w, size_t t)
{
	if (!w->spill[t] && !(w->spill[t] = mie_tmpfile()))
		return -1;
	uint64_t len = w->row.len;
	if (fwrite(&len, sizeof len, 1, w->spill[t]) != 1 ||
	    fwrite(w->row.data, 1, w->row.len, w->spill[t]) != w->row.len) {
		mie_fatal("temporary file: write error");
		return -1;
	}
	w->rows[t]++;
	return 0;
}

/* ---- documents: which go to the link table ----
 * A SPIP import lists a record's documents as those of the link table
 * (sorted by id) followed by those its texts embed (<docN>…) that are
 * not already there, in the order met.  So the link table must hold a
 * prefix of `documents` that is sorted, such that the rest is exactly
 * what the texts add: the shortest such prefix is written. */

static json_t *embedded_documents(const sd *w, const json_t *rec, const char *type)
{
	static const char *const art[] = {"description", "lead", "text", "ps", NULL};
	static const char *const brv[] = {"text", NULL};
	static const char *const rub[] = {"description", "text", NULL};
	const char *const *fields = strcmp(type, "article") == 0 ? art
	                            : strcmp(type, "brief") == 0 ? brv
	                                                         : rub;
	json_t *docs = json_array();
	for (size_t i = 0; fields[i]; i++) {
		if (strcmp(fields[i], "lead") == 0 && json_object_get(rec, "redirect"))
			continue;
		const char *src = mie_rec_str(json_object_get(rec, fields[i]), "spip");
		if (!src)
			src = mie_rec_str(json_object_get(rec, fields[i]), "plain");
		if (!src)
			continue;
		mie_spip_ctx sc = {NULL, w->host, mie_rec_str(rec, "lang"), 0};
		mie_spip_out o;
		mie_spip_out_init(&o);
		mie_spip_render(&sc, src, strlen(src), &o);
		size_t k;
		json_t *d;
		json_array_foreach(o.documents, k, d)
		{
			size_t j;
			json_t *e;
			int has = 0;
			json_array_foreach(docs, j, e) has |= json_equal(e, d);
			if (!has)
				json_array_append(docs, d);
		}
		mie_spip_out_release(&o);
	}
	return docs;
}

/* The number of the document at index i of ids, or 0 when it is not one
 * of this site. */
static unsigned long long doc_number(const sd *w, const json_t *ids, size_t i)
{
	const char *n = local_number(w, json_string_value(json_array_get(ids, i)), "document");
	return n ? strtoull(n, NULL, 10) : 0;
}

/* The number of leading documents that go to the link table. */
static size_t linked_documents(const sd *w, const json_t *rec, const char *type)
{
	const json_t *docs = json_object_get(rec, "documents");
	size_t n = json_array_size(docs), k = 0;
	if (!n)
		return 0;
	json_t *emb = embedded_documents(w, rec, type);
	int found = 0;
	for (; k <= n && !found; k++) {
		/* docs[0..k) must be ascending numbers of this site */
		if (k >= 1 && !doc_number(w, docs, k - 1))
			break;
		if (k >= 2 && doc_number(w, docs, k - 2) >= doc_number(w, docs, k - 1))
			break;
		/* and docs[k..n) what the texts add to them, in order */
		size_t r = k;
		int ok = 1;
		for (size_t e = 0; ok && e < json_array_size(emb); e++) {
			const json_t *d = json_array_get(emb, e);
			int in_prefix = 0;
			for (size_t j = 0; j < k; j++)
				in_prefix |= json_equal(json_array_get(docs, j), d);
			if (in_prefix)
				continue;
			ok = r < n && json_equal(json_array_get(docs, r), d);
			r++;
		}
		found = ok && r == n;
	}
	json_decref(emb);
	/* none found: every one linked (a SPIP import sorts them by id) */
	return found ? k - 1 : n;
}

static int put_links(sd *w, const json_t *rec, const char *type, const char *key)
{
	for (size_t t = 0; t < N_LDEFS; t++) {
		const struct ldef *l = &ldefs[t];
		if (strcmp(l->obj_type, type) != 0)
			continue;
		const json_t *ids = json_object_get(rec, l->field);
		size_t n = strcmp(l->field, "documents") == 0 ? linked_documents(w, rec, type)
		                                              : json_array_size(ids);
		for (size_t i = 0; i < n; i++) {
			const char *ref = local_number(w, json_string_value(json_array_get(ids, i)),
			                               l->ref_type);
			if (!ref) {
				inexact_note(w, l->field, WHY_REF);
				continue;
			}
			mie_buf_reset(&w->row);
			mie_buf_addf(&w->row, "<%s>\n<%s>%s</%s>\n<%s>%s</%s>\n</%s>\n\n", l->table,
			             l->ref_col, ref, l->ref_col, l->obj_col, key, l->obj_col,
			             l->table);
			if (spill_row(w, t) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- the writer ---- */

static int sd_open(const mie_export_opts *o, void **state)
{
	const char *cs = o->opt[0] ? o->opt[0] : "utf-8";
	int latin1 = strcasecmp(cs, "iso-8859-1") == 0;
	if (!latin1 && strcasecmp(cs, "utf-8") != 0) {
		mie_fatal("--charset: \"%s\": iso-8859-1 or utf-8", cs);
		return -1;
	}
	mie_output *out = mie_output_open(o->output);
	if (!out)
		return -1;
	sd *w = mie_xcalloc(1, sizeof *w);
	w->out = out;
	w->latin1 = latin1;
	size_t n = o->output ? strlen(o->output) : 0;
	w->gzip = n > 3 && strcmp(o->output + n - 3, ".gz") == 0;
	w->mimes = json_object();
	*state = w;
	return 0;
}

static const char *const row_carries[] = {"type", "id", "legacy", "extra", NULL};

static const char *const *sd_carries(void *state, const char *type)
{
	static const char *const none[] = {NULL};
	const struct tdef *d = tdef_of(type);
	return d ? d->carries : type && strcmp(type, "table_row") == 0 ? row_carries : none;
}

/* A table_row record (a row of a table with no record type) back into its
 * table, legacy.table: every string of extra a column, but credentials and
 * names no column can have.  spip_meta's charset row is the writer's own. */
static int put_table_row(sd *w, const json_t *rec, const mie_loc *loc)
{
	const char *table = mie_rec_str(json_object_get(rec, "legacy"), "table");
	const json_t *extra = json_object_get(rec, "extra");
	if (!table || !column_name(table) || strcmp(table, "SPIP") == 0) {
		mie_error_at(loc, "%s: table_row without a table name SPIP can have: not exported",
		             mie_rec_id_or_dash(rec));
		return MIE_EXPORT_BAD;
	}
	const char *nom = mie_rec_str(extra, "nom");
	if (strcmp(table, "spip_meta") == 0 && nom && strcmp(nom, "charset") == 0)
		return MIE_EXPORT_OK;
	mie_buf_reset(&w->row);
	mie_buf_addf(&w->row, "<%s>\n", table);
	const char *name;
	const json_t *v;
	json_object_foreach((json_t *)extra, name, v)
	{
		if (!json_is_string(v))
			continue;
		if (!column_name(name) || mie_privacy_is_credential(name, strlen(name))) {
			extra_left_out(w, name);
			continue;
		}
		put_extra_col(w, name, v);
	}
	mie_buf_addf(&w->row, "</%s>\n\n", table);
	return spill_row(w, N_TABLES) < 0 ? MIE_EXPORT_FATAL : MIE_EXPORT_OK;
}

/* The site's address from a legacy URL of the site ("…/spip.php?article78"
 * → "…/"), or from a document's url and file. */
static void learn_site(sd *w, const json_t *rec)
{
	if (w->site_url)
		return;
	const char *u = mie_rec_str(json_object_get(rec, "legacy"), "url");
	const char *p = u ? strstr(u, "spip.php?") : NULL;
	if (p) {
		w->site_url = mie_xstrndup(u, (size_t)(p - u));
		return;
	}
	const char *url = mie_rec_str(rec, "url"), *file = mie_rec_str(rec, "file");
	size_t ul = url ? strlen(url) : 0, fl = file ? strlen(file) : 0;
	if (file && ul > fl && strcmp(url + ul - fl, file) == 0 &&
	    strcmp(mie_rec_str(rec, "type"), "document") == 0)
		w->site_url = mie_xstrndup(url, ul - fl);
}

static int sd_put(void *state, const json_t *rec, const mie_loc *loc)
{
	sd *w = state;
	const char *type = mie_rec_str(rec, "type"), *id = mie_rec_str(rec, "id");
	const struct tdef *d = tdef_of(type);
	w->serial++;
	if (!d && type && strcmp(type, "table_row") == 0)
		return put_table_row(w, rec, loc);
	if (!d)
		return MIE_EXPORT_SKIP; /* no SPIP table: organisations, dossiers */
	if (!w->host)
		w->host = host_of(id);
	const char *key = w->host ? local_number(w, id, type) : NULL;
	if (!key) {
		char *h = host_of(id);
		int other = h && w->host && strcmp(h, w->host) != 0;
		free(h);
		mie_error_at(
		        loc,
		        other ? "%s: not of the site %s: a SPIP dump holds one site, not exported"
		              : "%s: not a SPIP id (%s:TYPE:NUMBER): not exported",
		        id ? id : "-", w->host ? w->host : "SITE");
		return MIE_EXPORT_BAD;
	}
	learn_site(w, rec);
	const json_t *extra = json_object_get(rec, "extra");
	mie_buf_reset(&w->row);
	mie_buf_addf(&w->row, "<%s>\n", d->table);
	put_col(w, d->key, "id", key, strlen(key), K_REF);
	int comment = strcmp(d->type, "comment") == 0;
	for (size_t c = 0; d->columns[c]; c++) {
		const char *col = d->columns[c];
		const json_t *x = json_object_get(extra, col);
		if (strcmp(col, d->key) == 0)
			continue;
		if (mie_privacy_is_credential(col, strlen(col))) {
			if (x)
				extra_left_out(w, col);
			continue;
		}
		if (comment && about_column(w, rec, col, extra))
			continue;
		const struct colmap *m = d->map;
		while (m->column && strcmp(m->column, col) != 0)
			m++;
		enum kind kind = K_RAW;
		const char *absent = m->column ? absent_value(m->kind) : NULL;
		if (m->column && mapped_value(w, rec, m, &kind))
			put_col(w, col, m->field, w->val.data, w->val.len, kind);
		else if (json_is_string(x))
			put_extra_col(w, col, x);
		else if (absent)
			put_col(w, col, m->field, absent, strlen(absent), m->kind);
	}
	/* legacy columns SPIP's list does not have */
	const char *name;
	const json_t *v;
	json_object_foreach((json_t *)extra, name, v)
	{
		size_t c = 0;
		while (d->columns[c] && strcmp(d->columns[c], name) != 0)
			c++;
		if (d->columns[c] || !json_is_string(v))
			continue;
		if (!column_name(name) || mie_privacy_is_credential(name, strlen(name)) ||
		    strcmp(name, d->key) == 0) {
			extra_left_out(w, name);
			continue;
		}
		put_extra_col(w, name, v);
	}
	mie_buf_addf(&w->row, "</%s>\n\n", d->table);
	if (spill_row(w, table_index(d->table)) < 0)
		return MIE_EXPORT_FATAL;
	if (strcmp(d->type, "petition") == 0) { /* its key is its article's */
		const char *about = local_number(w, mie_rec_str(rec, "about"), "article");
		if (json_object_get(rec, "about") && (!about || strcmp(about, key) != 0))
			inexact_note(w, "about", WHY_REF);
	}
	if (put_links(w, rec, d->type, key) < 0)
		return MIE_EXPORT_FATAL;
	return MIE_EXPORT_OK;
}

/* ---- the output ---- */

/* Bytes to the output, gathered into gzip members when w->gzip. */
typedef struct sink {
	FILE *fp;
	int gzip;
	mie_buf member;
	int err; /* errno of the first write error, or 0 */
} sink;

static void sink_fail(sink *s)
{
	if (!s->err)
		s->err = errno ? errno : EIO;
}

static void sink_add(sink *s, const char *p, size_t n)
{
	if (s->gzip)
		mie_buf_add(&s->member, p, n);
	else if (fwrite(p, 1, n, s->fp) != n)
		sink_fail(s);
}

/* Ends a gzip member (nothing when the member is empty or no gzip). */
static void sink_member(sink *s)
{
	if (!s->gzip || !s->member.len)
		return;
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		mie_die("zlib: cannot start a gzip member");
	unsigned char buf[16384];
	z.next_in = (unsigned char *)s->member.data;
	z.avail_in = (uInt)s->member.len;
	int st;
	do {
		z.next_out = buf;
		z.avail_out = sizeof buf;
		st = deflate(&z, Z_FINISH);
		size_t got = sizeof buf - z.avail_out;
		if (got && fwrite(buf, 1, got, s->fp) != got)
			sink_fail(s);
	} while (st == Z_OK);
	deflateEnd(&z);
	mie_buf_reset(&s->member);
}

static void sink_row_table(sd *w, sink *s, const char *table, const char *const *cols,
                           const char *const *vals, size_t n)
{
	mie_buf_reset(&w->row);
	mie_buf_addf(&w->row, "<%s>\n", table);
	for (size_t i = 0; i < n; i++)
		put_col(w, cols[i], cols[i], vals[i], strlen(vals[i]), K_LINE);
	mie_buf_addf(&w->row, "</%s>\n\n", table);
	sink_add(s, w->row.data, w->row.len);
}

static int copy_table(sd *w, sink *s, size_t t)
{
	FILE *f = w->spill[t];
	if (!f)
		return 0;
	rewind(f);
	uint64_t len;
	long k = 0;
	while (fread(&len, sizeof len, 1, f) == 1) {
		mie_buf_reset(&w->row);
		mie_buf_grow(&w->row, (size_t)len);
		if (fread(w->row.data, 1, (size_t)len, f) != len) {
			mie_fatal("temporary file: read error");
			return -1;
		}
		sink_add(s, w->row.data, (size_t)len);
		if (++k % SLICE == 0)
			sink_member(s);
	}
	sink_member(s);
	return 0;
}

static void release(sd *w)
{
	for (size_t t = 0; t <= N_TABLES; t++)
		if (w->spill[t])
			fclose(w->spill[t]);
	for (size_t i = 0; i < w->ninexact; i++)
		free(w->inexact[i].path);
	free(w->inexact);
	free(w->host);
	free(w->site_url);
	json_decref(w->mimes);
	mie_buf_release(&w->row);
	mie_buf_release(&w->val);
	mie_buf_release(&w->tmp);
	free(w);
}

static int sd_finish(void *state)
{
	sd *w = state;
	sink s = {mie_output_file(w->out), w->gzip, MIE_BUF_INIT, 0};
	errno = 0;
	mie_buf site = MIE_BUF_INIT;
	if (w->site_url)
		mie_buf_adds(&site, w->site_url);
	else
		mie_buf_addf(&site, "http://www.%s/", w->host ? w->host : "infomie.net");
	if (site.len > 1 && site.data[site.len - 1] == '/' && site.data[site.len - 2] != '/')
		mie_buf_setlen(&site, site.len - 1); /* as SPIP's adresse_site */
	mie_buf head = MIE_BUF_INIT;
	mie_buf_addf(&head,
	             "<?xml version=\"1.0\" encoding=\"%s\"?>\n<SPIP\n\tversion=\"1.9.2\"\n"
	             "\tversion_base=\"1.927\"\n\tversion_archive=\"1.3\"\n\tadresse_site=\"",
	             w->latin1 ? "iso-8859-1" : "utf-8");
	for (const char *p = site.data; *p; p++) /* SPIP wrote it raw, breaking the tag */
		if (*p == '&')
			mie_buf_adds(&head, "&amp;");
		else if (*p == '"')
			mie_buf_adds(&head, "&quot;");
		else if (*p == '<')
			mie_buf_adds(&head, "&lt;");
		else
			mie_buf_addc(&head, *p);
	mie_buf_adds(&head, "\"\n\tdir_img=\"IMG/\"\n\tdir_logos=\"IMG/\">\n\n");
	sink_add(&s, head.data, head.len);
	sink_member(&s);
	int rc = 0;
	for (size_t t = 0; t < N_TABLES && rc == 0; t++) {
		const char *table = table_name(t);
		if (strcmp(table, "spip_types_documents") == 0) {
			static const char *const cols[] = {"id_type", "titre", "extension",
			                                   "mime_type"};
			const char *mime;
			json_t *v;
			json_object_foreach(w->mimes, mime, v)
			{
				char idn[24];
				snprintf(idn, sizeof idn, "%lld",
				         (long long)json_integer_value(json_array_get(v, 0)));
				const char *ext = json_string_value(json_array_get(v, 1));
				const char *vals[] = {idn, ext, ext, mime};
				sink_row_table(w, &s, table, cols, vals, 4);
			}
			sink_member(&s);
		} else if (strcmp(table, "spip_meta") == 0) {
			static const char *const cols[] = {"nom", "valeur", "impt"};
			const char *vals[] = {"charset", w->latin1 ? "iso-8859-1" : "utf-8", "oui"};
			sink_row_table(w, &s, table, cols, vals, 3);
			sink_member(&s);
		} else {
			rc = copy_table(w, &s, t);
		}
	}
	if (rc == 0) /* the other tables' rows, as they came */
		rc = copy_table(w, &s, N_TABLES);
	sink_add(&s, "</SPIP>\n\n", 9);
	sink_member(&s);
	mie_buf_release(&head);
	mie_buf_release(&site);
	mie_buf_release(&s.member);
	for (size_t i = 0; i < w->ninexact; i++)
		mie_export_inexact(w->inexact[i].path, w->inexact[i].records, w->inexact[i].why);
	if (s.err && rc == 0)
		mie_output_fail(&w->out, s.err);
	else if (rc == 0 && mie_exit_status() < MIE_EXIT_FATAL)
		rc = mie_output_commit(&w->out);
	rc = w->out ? -1 : s.err ? -1 : rc;
	mie_output_abort(&w->out); /* not committed: the target stays as it was */
	release(w);
	return rc;
}

static void sd_abort(void *state)
{
	sd *w = state;
	mie_output_abort(&w->out);
	release(w);
}

const mie_export_writer mie_export_spip_dump = {
        .name = "spip-dump",
        .summary = "a SPIP 1.9 XML dump (version_archive 1.3), gzip when -o ends in .gz",
        .options = options,
        .open = sd_open,
        .carries = sd_carries,
        .put = sd_put,
        .finish = sd_finish,
        .abort = sd_abort,
};
