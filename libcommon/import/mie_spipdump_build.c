/* mie_spipdump_build.c — a spilled row of the SPIP database to a record:
 * its fields, references, section path, links, ids and legacy URLs, from
 * the tables held while the dump was read (mie_spipdump_tables.c).
 *
 * The spill is read back in batches (at most BATCH_ROWS rows or
 * BATCH_BYTES of values, so memory stays bounded).  A batch is built on
 * mie_pool, in chunks of CHUNK_ROWS consecutive rows each built into its
 * own fork of the import context, while the finishing thread reads the
 * next batch; the forks are joined in row order, so records, messages and
 * counts are exactly those of one thread.  While a batch is built the held
 * tables (sections, types, sorted link pairs) are only read, and
 * everything build_row calls is reentrant. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/mie_date.h"
#include "formats/mie_legacy.h"
#include "import/mie_pool.h"
#include "import/mie_privacy.h"
#include "record/mie_record.h"
#include "text/mie_spip.h"
#include "import/mie_spipdump_impl.h"
#include "text/mie_text.h"

typedef struct build {
	mie_import *ctx;
	mie_spipdump *d;
	const char *host;     /* for ids */
	const char *site_url; /* with a final '/' */
	const char *charset;  /* of this row */
	json_t *rec, *prov;
	sd_row *cols;
	unsigned char *used; /* per column: consumed (owned) */
	json_t *extra;
	const mie_loc *at; /* the row, for messages */
	const char *table;
} build;

/* Notes column `column`, bound for `path`, as withheld by the privacy
 * rule (why): named on the record and counted in the summary, its value
 * left out. */
static void withhold(build *b, const char *path, const char *column, mie_privacy_class why)
{
	mie_privacy_note(b->prov, path, why);
	mie_import_withheld(b->ctx, b->at, b->d->source, b->table, column);
}

/* Marks the column at index i (its name's first) and its namesakes after
 * it as consumed, or not. */
static void mark_at(build *b, long i, const char *name, int used)
{
	for (size_t k = i < 0 ? b->cols->n : (size_t)i; k < b->cols->n; k++) {
		const char *n = sd_row_str(b->cols, b->cols->cols[k].name);
		if (n[0] == name[0] && strcmp(n, name) == 0)
			b->used[k] = (unsigned char)used;
	}
}

static void mark(build *b, const char *name, int used)
{
	mark_at(b, sd_col_index(b->cols, name), name, used);
}

static const char *take(build *b, const char *name)
{
	long i = sd_col_index(b->cols, name);
	mark_at(b, i, name, 1);
	return i < 0 ? NULL : sd_row_str(b->cols, b->cols->cols[i].value);
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
	mie_rec_take_rank(b->rec);
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
	if (o.flattened) { /* nothing lost, but the structure is not the source's */
		mie_buf d = MIE_BUF_INIT;
		mie_buf_addf(&d, "%d elements nested deeper than 256 unwrapped: their content kept",
		             o.flattened);
		mie_buf_reset(&path);
		mie_buf_adds(&path, field);
		mie_buf_adds(&path, ".html");
		mie_rec_add_repair(b->prov, "html-flattened", path.data, d.data, NULL);
		mie_buf_release(&d);
	}
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
	const char *v = sd_value(b->cols, column);
	if (!v || !sd_is_number(v))
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
		const char *v = take(b, column);
		if (v && *v)
			withhold(b, field, column, MIE_PRIVACY_PERSONAL);
		return;
	}
	set_line(b, field, column);
}

/* Section ids as numbers: a < b, for the one that breaks a cycle. */
static int id_less(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	return la != lb ? la < lb : strcmp(a, b) < 0;
}

#define MAX_SECTION_DEPTH 64

/* The chain of sections from section_local up to the root into ids (at
 * most MAX_SECTION_DEPTH, borrowed from d->sections); returns how many.  A
 * cycle of parents (a section its own parent, or a longer loop) is broken
 * at its section of the lowest id, which is then taken as a root: *cycle
 * gets that section (NULL: no cycle met). */
static size_t section_chain(build *b, const char *section_local, const char **ids,
                            const char **cycle)
{
	size_t n = 0;
	*cycle = NULL;
	for (const char *cur = section_local;
	     cur && strcmp(cur, "0") != 0 && n < MAX_SECTION_DEPTH;) {
		json_t *s = json_object_get(b->d->sections, cur);
		if (!s)
			break;
		size_t k = 0;
		while (k < n && strcmp(ids[k], cur) != 0)
			k++;
		if (k < n) { /* back at ids[k]: ids[k..n) is the cycle */
			size_t m = k;
			for (size_t j = k + 1; j < n; j++)
				if (id_less(ids[j], ids[m]))
					m = j;
			*cycle = ids[m];
			return m + 1;
		}
		ids[n++] = cur;
		cur = json_string_value(json_object_get(s, "parent"));
	}
	return n;
}

/* Sets section_path; returns the section a cycle was broken at (see
 * section_chain), or NULL. */
static const char *set_section_path(build *b, const char *section_local, int include_self)
{
	const char *ids[MAX_SECTION_DEPTH], *cycle;
	size_t n = section_chain(b, section_local, ids, &cycle);
	json_t *path = json_array();
	for (size_t i = include_self ? 0 : 1; i < n; i++) {
		json_t *s = json_object_get(b->d->sections, ids[i]);
		mie_buf t = MIE_BUF_INIT;
		const char *raw = json_string_value(json_object_get(s, "title"));
		mie_text_decode(&t, raw, strlen(raw), b->charset,
		                MIE_TEXT_ENTITIES | MIE_TEXT_MOJIBAKE | MIE_TEXT_ONE_LINE, NULL,
		                NULL);
		const char *p = t.data;
		size_t k = 0;
		while (p[k] >= '0' && p[k] <= '9' && k < 6)
			k++;
		if (k && p[k] == '.' && p[k + 1] == ' ')
			p += k + 2;
		json_array_insert_new(path, 0, json_string(p));
		mie_buf_release(&t);
	}
	if (cycle) {
		mie_buf detail = MIE_BUF_INIT;
		mie_buf_addf(&detail, "section %s is in a cycle of parents: taken as a root",
		             cycle);
		mie_rec_add_repair(b->prov, "section-cycle", "section_path", detail.data, NULL);
		mie_buf_release(&detail);
	}
	if (json_array_size(path))
		json_object_set(b->rec, "section_path", path);
	json_decref(path);
	return cycle;
}

static void add_links(build *b, const char *type, const char *local)
{
	mie_spipdump *d = b->d;
	uint64_t id;
	int t = sd_obj_type_index(type);
	if (t < 0 || !sd_parse_id(local, &id) || !d->npairs)
		return; /* d->pairs: sorted by build_all before any row is built */
	uint64_t obj = (uint64_t)t << SD_ID_BITS | id;
	size_t lo = 0, hi = d->npairs; /* first pair with .obj >= obj */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->pairs[mid].obj < obj)
			lo = mid + 1;
		else
			hi = mid;
	}
	mie_buf full = MIE_BUF_INIT;
	/* the pairs of one link table are sorted by id: a repeated link row is
	 * the pair before it, and a field no one filled before is appended to
	 * without a search (mie_rec_add_unique's scan made 40 000 link rows of
	 * one article quadratic) */
	json_t *fresh = NULL; /* the array of the current table's field, when new */
	for (size_t i = lo; i < d->npairs && d->pairs[i].obj == obj; i++) {
		const sd_link *l = &sd_links[d->pairs[i].ref >> SD_ID_BITS];
		int first = i == lo ||
		            d->pairs[i].ref >> SD_ID_BITS != d->pairs[i - 1].ref >> SD_ID_BITS;
		if (!first && d->pairs[i].ref == d->pairs[i - 1].ref)
			continue;
		if (first) {
			fresh = json_object_get(b->rec, l->field) ? NULL : json_array();
			if (fresh)
				json_object_set_new(b->rec, l->field, fresh);
		}
		mie_buf_reset(&full);
		mie_buf_adds(&full, b->host);
		mie_buf_addc(&full, ':');
		mie_buf_adds(&full, l->ref_type);
		mie_buf_addc(&full, ':');
		mie_buf_add_uint(&full,
		                 (size_t)(d->pairs[i].ref & (((uint64_t)1 << SD_ID_BITS) - 1)));
		if (fresh)
			json_array_append_new(fresh, json_string(full.data));
		else
			mie_rec_add_unique(b->rec, l->field, full.data);
	}
	mie_buf_release(&full);
}

/* A virtual article's target that may be exported as its redirect: an
 * http(s) URL, a relative one or a SPIP shortcut (art12, rub3...), i.e.
 * no scheme but http and https — judged as browsers read it, without
 * white space and control characters. */
static int redirect_ok(const char *url)
{
	char scheme[8];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= ' ' || *p == 0x7F)
			continue;
		if (*p == '/' || *p == '?' || *p == '#')
			return 1;
		if (*p == ':') {
			scheme[n] = '\0';
			return strcasecmp(scheme, "http") == 0 || strcasecmp(scheme, "https") == 0;
		}
		if (n + 1 < sizeof scheme)
			scheme[n++] = (char)*p;
		else
			return 0; /* longer than any scheme allowed: "xxxxxxxx:" refused */
	}
	return 1;
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
	const char *rub = sd_value(b->cols, "id_rubrique");
	set_ref(b, "section", "section", "id_rubrique");
	if (rub)
		set_section_path(b, rub, 1);
	add_links(b, "article", key);
	set_markup(b, "description", "descriptif");
	const char *chapo = sd_value(b->cols, "chapo");
	if (chapo && chapo[0] == '=') { /* a virtual article: a redirect */
		mie_text_set(b->rec, "redirect", b->prov, "redirect", chapo + 1, strlen(chapo + 1),
		             b->charset, MIE_TEXT_ENTITIES | MIE_TEXT_ONE_LINE);
		const char *r = mie_rec_str(b->rec, "redirect");
		if (r && !redirect_ok(r)) { /* javascript:, data:...: chapo stays in extra */
			mie_warn_at(b->at,
			            "article %s: redirect \"%.60s\" is neither http(s), relative "
			            "nor a SPIP shortcut: kept in extra.chapo",
			            key, r);
			json_object_del(b->rec, "redirect");
			mie_rec_add_repair(b->prov, "unsafe-redirect", "redirect",
			                   "target neither http(s), relative nor a SPIP shortcut: "
			                   "not a redirect, kept in extra.chapo",
			                   NULL);
		} else {
			take(b, "chapo");
		}
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
	const char *rub = sd_value(b->cols, "id_rubrique");
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
	const char *cycle = set_section_path(b, key, 1);
	if (cycle && strcmp(cycle, key) == 0) { /* the parent that closes the cycle */
		mie_warn_at(b->at, "section %s: its parent closes a cycle of sections: left out",
		            key);
		json_object_del(b->rec, "section");
		mie_rec_add_repair(b->prov, "section-cycle", "section",
		                   "parent left out: it closes a cycle of parents", NULL);
	}
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
	const char *type = sd_value(b->cols, "id_type");
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
static int private_forum(const char *table, const sd_row *cols)
{
	if (strcmp(table, "spip_forum") != 0)
		return 0;
	const char *st = sd_value(cols, "statut");
	return st && (strncmp(st, "priv", 4) == 0 || strcmp(st, "perso") == 0);
}

static void build_signature(build *b, const char *key)
{
	set_ref(b, "about", "petition", "id_article");
	set_line(b, "title", "nom_email");
	/* while awaiting e-mail confirmation, statut holds the random
	 * confirmation key: a secret, never copied */
	const char *st = sd_value(b->cols, "statut");
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
static const char *convert_marker(const sd_row *cols, char *cs, size_t cap)
{
	const char *t = sd_value(cols, "titre");
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

/* Everything not taken goes to extra, decoded, verbatim otherwise, but
 * what the privacy rule withholds (mie_privacy.h): credentials (flagged
 * when read), and in a people table or a table_row the columns its
 * allow-list or the personal words keep for --keep-personal. */
static void put_extra(build *b, int rule)
{
	json_t *extra = json_object();
	mie_buf name = MIE_BUF_INIT, path = MIE_BUF_INIT;
	int meta = strcmp(b->table, "spip_meta") == 0;
	const char *nom = meta ? sd_value(b->cols, "nom") : NULL;
	for (size_t i = 0; i < b->cols->n; i++) {
		const sd_col *c = &b->cols->cols[i];
		const char *raw = sd_row_str(b->cols, c->name);
		if (b->used[i])
			continue;
		mie_buf_reset(&name);
		if (plain_column(raw))
			mie_buf_adds(&name, raw);
		else
			mie_text_decode(&name, raw, strlen(raw), b->charset, MIE_TEXT_ONE_LINE,
			                NULL, NULL);
		/* spip_meta's valeur is what its nom says ("alea_ephemere") */
		const char *as = meta && nom && strcmp(raw, "valeur") == 0 ? nom : raw;
		if (c->credential ||
		    (rule && !mie_privacy_may_leave(b->table, as, sd_row_str(b->cols, c->value),
		                                    c->vlen, b->ctx->opt.keep_personal))) {
			mie_privacy_class why = c->credential ? MIE_PRIVACY_CREDENTIAL
			                                      : mie_privacy_column(b->table, as);
			if (why == MIE_PRIVACY_KEEP) /* its value looks like a password hash */
				why = MIE_PRIVACY_CREDENTIAL;
			mie_buf_reset(&path);
			mie_buf_adds(&path, "extra.");
			mie_buf_add(&path, name.data, name.len);
			withhold(b, path.data, name.data, why);
			continue;
		}
		if (name.len && !json_object_get(extra, name.data)) {
			mie_buf_reset(&path);
			mie_buf_adds(&path, "extra.");
			mie_buf_add(&path, name.data, name.len);
			mie_text_set(extra, name.data, b->prov, path.data,
			             sd_row_str(b->cols, c->value), c->vlen, b->charset, 0);
		}
	}
	mie_buf_release(&name);
	mie_buf_release(&path);
	if (json_object_size(extra))
		json_object_set(b->rec, "extra", extra);
	json_decref(extra);
}

static int build_row(mie_import *ctx, mie_spipdump *d, const char *host, const char *site_url,
                     sd_row *cols)
{
	const char *table = sd_row_str(cols, cols->table);
	const sd_content *c = sd_content_of(table);
	/* a table with no record type: a table_row, every column in extra */
	const sd_content generic = {table, NULL, "table_row"};
	mie_buf generic_key = MIE_BUF_INIT;
	if (!c) {
		sd_generic_key(cols, table, cols->line, cols->index, &generic_key);
		c = &generic;
	}
	const char *key = c->key ? sd_value(cols, c->key) : generic_key.data;
	if (private_forum(table, cols)) {
		mie_loc at = {sd_row_str(cols, cols->file),
		              cols->member ? sd_row_str(cols, cols->member) : NULL, cols->line};
		mie_import_set_aside(ctx, &at, d->source, table,
		                     "private forum messages (never exported)", key,
		                     "private correspondence: never exported (mie-import(1), "
		                     "PRIVACY)");
		return 0;
	}
	char cs[40];
	const char *conv = convert_marker(cols, cs, sizeof cs);
	build b = {ctx,
	           d,
	           host,
	           site_url,
	           conv            ? conv
	           : cols->charset ? sd_row_str(cols, cols->charset)
	                           : d->charset,
	           NULL,
	           NULL,
	           cols,
	           mie_xcalloc(cols->n + 1, 1),
	           NULL,
	           NULL,
	           table};
	/* a differing copy of a key gets its own id, so ids stay unique */
	const char *variant = cols->variant ? sd_row_str(cols, cols->variant) : NULL;
	mie_buf local = MIE_BUF_INIT;
	if (c == &generic) /* ids unique across tables: TABLE/KEY */
		mie_buf_addf(&local, "%s/", table);
	mie_buf_adds(&local, key);
	if (variant)
		mie_buf_addf(&local, "~%s", variant);
	char *id = mie_rec_make_id(host, c->type, local.data);
	mie_buf_release(&local);
	b.rec = mie_rec_new(c->type, id);
	free(id);
	if (c->key)
		mark(&b, c->key, 1);
	mie_loc at = {sd_row_str(cols, cols->file),
	              cols->member ? sd_row_str(cols, cols->member) : NULL, cols->line};
	json_t *prov = json_object(); /* provenance comes last in the record */
	b.prov = prov;
	b.at = &at;
	if (conv) { /* the title is read without its marker */
		sd_col *t = &cols->cols[sd_col_index(cols, "titre")];
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
	put_extra(&b, c == &generic || mie_privacy_people_table(table));
	json_t *legacy = json_object();
	mie_rec_set_str(legacy, "site", host);
	mie_rec_set_str(legacy, "table", table);
	mie_rec_set_str(legacy, "id", key);
	const char *word = mie_legacy_word(c->type);
	if (word) {
		mie_buf u = MIE_BUF_INIT;
		mie_buf_addf(&u, "%sspip.php?%s%s", site_url, word, key);
		mie_rec_set_str(legacy, "url", u.data);
		mie_buf_release(&u);
	}
	json_object_set_new(b.rec, "legacy", legacy);
	json_t *p = mie_rec_add_provenance(b.rec, d->source, &at, b.charset);
	if (cols->index > 0) /* its rank in an SQL statement */
		json_object_set_new(p, "row", json_integer(cols->index));
	json_object_update_missing(p, prov);
	json_decref(prov);
	free(b.used);
	mie_buf_release(&generic_key);
	/* --status: the publication workflow's status (authors' is a role) */
	const char *status = mie_rec_str(b.rec, "status");
	int workflow = strcmp(c->type, "author") != 0;
	if (ctx->opt.status && workflow && status && strcmp(status, ctx->opt.status) != 0) {
		mie_import_skip(ctx, d->source, "rows of another --status", 1);
		json_decref(b.rec);
		return 0;
	}
	return mie_import_emit(ctx, d->source, table, b.rec);
}

#define BATCH_ROWS  1024
#define BATCH_BYTES ((size_t)1 << 20)
#define CHUNK_ROWS  32

/* A batch of rows read from the spill and the mie_batch building them. */
typedef struct crew {
	mie_spipdump *d;
	const char *host, *site_url;
	sd_row rows[BATCH_ROWS]; /* the batch (owned, reused from batch to batch) */
	size_t nrows;
	mie_batch *batch; /* owned */
} crew;

/* Builds rows [from, to) of the crew into fork (mie_batch_fn). */
static void crew_build(void *arg, mie_import *fork, size_t from, size_t to)
{
	crew *c = arg;
	for (size_t i = from; i < to; i++)
		build_row(fork, c->d, c->host, c->site_url, &c->rows[i]);
}

/* Reads the next batch into c; returns 1 when rows were read, 0 at the
 * end, -1 on a damaged spill (the rows read before it are in c). */
static int read_batch(crew *c, FILE *spill)
{
	size_t bytes = 0;
	int st = 1;
	for (size_t i = 0; i < BATCH_ROWS; i++)
		if (c->rows[i].bytes.cap > BATCH_BYTES) /* a huge row's room is not kept */
			sd_row_release(&c->rows[i]);
	c->nrows = 0;
	while (c->nrows < BATCH_ROWS && bytes < BATCH_BYTES &&
	       (st = sd_spill_next(spill, &c->rows[c->nrows], &bytes)) > 0)
		c->nrows++;
	mie_batch_set(c->batch, c->nrows);
	return st < 0 ? -1 : c->nrows > 0;
}

/* Joins a built batch into the context, in row order.  Returns 0 or -1. */
static int join_batch(crew *c)
{
	c->nrows = 0;
	return mie_batch_join(c->batch);
}

/* Two batches in flight: while the pool builds one, this thread joins the
 * one built before (writing its records), reads the next from the spill
 * in its place, then builds beside the pool.  --jobs N is this thread and
 * N - 1 in the pool; -j1 does it all here, in turn. */
int sd_build_all(mie_import *ctx, mie_spipdump *d, FILE *spill, const char *host,
                 const char *site_url)
{
	crew *c[2];
	for (int i = 0; i < 2; i++) {
		c[i] = mie_xcalloc(1, sizeof *c[i]);
		c[i]->d = d;
		c[i]->host = host;
		c[i]->site_url = site_url;
		c[i]->batch = mie_batch_new(ctx, crew_build, c[i], CHUNK_ROWS, BATCH_ROWS);
	}
	mie_pool *pool = mie_pool_new(mie_import_jobs(ctx) - 1);
	int rc = 0, st = read_batch(c[0], spill), built = 0;
	int cur = 0;
	for (; c[cur]->nrows; cur ^= 1) {
		mie_pool_start(pool, c[cur]->batch);
		if (built && join_batch(c[cur ^ 1]) < 0)
			rc = -1;
		if (st > 0 && rc == 0)
			st = read_batch(c[cur ^ 1], spill);
		mie_batch_help(c[cur]->batch);
		mie_pool_wait(pool);
		built = 1;
		if (st < 0 && rc == 0) {
			mie_fatal("temporary file: unreadable row");
			rc = -1;
		}
	}
	if (built && join_batch(c[cur ^ 1]) < 0)
		rc = -1;
	mie_pool_free(&pool);
	for (int i = 0; i < 2; i++) {
		mie_batch_free(&c[i]->batch);
		for (size_t k = 0; k < BATCH_ROWS; k++)
			sd_row_release(&c[i]->rows[k]);
		free(c[i]);
	}
	return rc;
}
