/* mie_export_html.c — `mie-export --to html -o OUT`: a static, offline,
 * browsable archive of the records (a folder, or a .zip when OUT ends so),
 * written through libarchive, laid out as mie_export_paths.h states.
 *
 * The pages: index.html (the section tree with counts, the counts per
 * kind, the years), one page per record (article, brief, section,
 * keyword, author, organisation, dossier, ... — a document with a usable
 * `file` is its attachment, files/PATH, copied from --files-root DIR|ARCHIVE
 * when it holds it, else listed with a "missing file" mark), keywords.html,
 * authors.html, organisations.html, year/YYYY.html and month/YYYY-MM.html,
 * search.html with its index in pieces (search/t/KEY.js: the terms whose
 * first two characters are KEY, each with its records; search/d/N.js: the
 * title, section and date of records 200N to 200N+199), loaded on demand
 * as scripts, so that the search works from file:// with no server.
 *
 * Every link is relative; every value of the records is escaped, except
 * their safe HTML (the `html` form of text fields, made by mie's sanitizer
 * on import), embedded as it is; each page has `lang`, a viewport, one
 * stylesheet and a Content-Security-Policy that allows only the archive's
 * own script (search.html's) and nothing from elsewhere.
 *
 * Held: a page needs what other records say (section titles, who links to
 * it, the articles of a keyword), so what the pages show of the records
 * goes to a spill (temporary file) while they are put (page_part; a JSON
 * Lines record as its line), and
 * only an index stays in memory: per record
 * its id, title, path, date, rank and section (about 150 bytes), per
 * reference 12 bytes; the search terms go through mie_sort (bounded
 * memory, spilled in runs).  finish copies the attachments, then reads the
 * spill back one record at a time to write its page. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/mie_tmp.h"
#include "export/mie_export.h"
#include "export/mie_export_files.h"
#include "export/mie_export_html_assets.h"
#include "export/mie_export_parse.h"
#include "export/mie_export_paths.h"
#include "io/mie_outdir.h"
#include "io/mie_output.h"
#include "io/mie_sort.h"
#include "record/mie_record.h"
#include "record/mie_xref.h"
#include "select/mie_idmap.h"
#include "text/mie_fold.h"
#include "text/mie_html.h"

enum { O_FILES_ROOT, O_TITLE, O_LANG };

static const mie_option html_options[] = {
        {1, 0, "files-root", "DIR|ARCHIVE", "where the documents' files are"},
        {2, 0, "title", "TEXT", "the archive's title (default: the site of the ids)"},
        {3, 0, "lang", "TAG", "the language of the archive's own pages (default: fr)"},
        {0, 0, NULL, NULL, NULL}};

enum { NO = -1 };
enum { DOC_CHUNK = 200, MAX_DEPTH = 64 };

/* What a record is to the others. */
typedef struct entry {
	char *title;  /* owned, or NULL */
	char *path;   /* owned: its place in the layout, or NULL (not seen) */
	char *file;   /* owned: a document's usable `file`, or NULL */
	char *mime;   /* owned: a document's type, or NULL */
	int64_t size; /* a document's size, or -1 */
	char date[11];
	int type; /* index in mie_record_types, or NO */
	int rank; /* NO when none */
	int32_t section;
	int32_t sdoc; /* number in the search index, or NO */
	unsigned char found, visited;
} entry;

/* A reference from one record to another, for the pages of the target. */
enum { E_LINK, E_KEYWORD, E_AUTHOR, E_ABOUT, E_MEMBER, E_DOCUMENT };
typedef struct edge {
	uint32_t to, from;
	int kind;
} edge;

typedef struct site {
	const char *out; /* borrowed (-o) */
	const char *const *opt;
	int zip;
	FILE *spill; /* owned: the records, one JSON line each */
	entry *e;
	size_t ne, cap;
	mie_idmap ids; /* id hash -> entry */
	edge *edges;
	size_t nedges, capedges;
	mie_sort *terms; /* owned: "TERM\tSDOC" lines */
	uint32_t *sdocs; /* entry of each search document */
	size_t nsdocs, capsdocs;
	char *site_name; /* owned: the first id's site */
	long counts[16];
	/* writing */
	mie_output *zo;    /* owned: the .zip being written */
	struct archive *a; /* owned */
	char *tmp;         /* owned: the folder being written */
	char *top;         /* owned: "NAME/" in a zip */
	int64_t index_bytes;
	long files, missing;
	mie_buf page, scratch;
} site;

/* ---- the index ---- */

static uint32_t entry_of(site *s, const char *id)
{
	int added = 0;
	uint32_t *v = mie_idmap_put(&s->ids, mie_xref_hash(id), (uint32_t)s->ne, &added);
	if (!added)
		return *v;
	if (s->ne == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->e = mie_xrealloc(s->e, s->cap * sizeof *s->e);
	}
	entry *e = &s->e[s->ne];
	memset(e, 0, sizeof *e);
	e->type = e->rank = NO;
	e->section = e->sdoc = NO;
	e->size = -1;
	return (uint32_t)s->ne++;
}

static const entry *known(const site *s, const char *id)
{
	uint32_t *v = id ? mie_idmap_get(&s->ids, mie_xref_hash(id)) : NULL;
	return v && s->e[*v].path ? &s->e[*v] : NULL;
}

static int type_index(const char *type)
{
	for (int i = 0; type && mie_record_types[i]; i++)
		if (strcmp(mie_record_types[i], type) == 0)
			return i;
	return NO;
}

static int is(const entry *e, const char *type)
{
	return e->type != NO && strcmp(mie_record_types[e->type], type) == 0;
}

static void add_edge(site *s, uint32_t from, const char *to, int kind)
{
	if (!to)
		return;
	if (s->nedges == s->capedges) {
		s->capedges = s->capedges ? 2 * s->capedges : 1024;
		s->edges = mie_xrealloc(s->edges, s->capedges * sizeof *s->edges);
	}
	s->edges[s->nedges++] = (edge){entry_of(s, to), from, kind};
}

static void add_edges(site *s, uint32_t from, const json_t *rec, const char *field, int kind)
{
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(rec, field), i, v)
	        add_edge(s, from, json_string_value(v), kind);
}

static const char *text_form(const json_t *rec, const char *field, const char *form)
{
	return mie_rec_str(json_object_get(rec, field), form);
}

/* The record's words, folded, each once, as lines for the sorter. */
static int add_terms(site *s, const json_t *rec, int32_t sdoc)
{
	static const char *const fields[] = {"title", "surtitle", "subtitle", NULL};
	static const char *const texts[] = {"lead", "text", "description", NULL};
	mie_buf *f = &s->scratch;
	mie_buf_reset(f);
	for (int i = 0; fields[i]; i++) {
		const char *v = mie_rec_str(rec, fields[i]);
		if (v) {
			mie_text_fold(f, v, strlen(v));
			mie_buf_addc(f, ' ');
		}
	}
	for (int i = 0; texts[i]; i++) {
		const char *v = text_form(rec, texts[i], "plain");
		if (v) {
			mie_text_fold(f, v, strlen(v));
			mie_buf_addc(f, ' ');
		}
	}
	mie_idmap seen;
	mie_idmap_init(&seen);
	mie_buf line = MIE_BUF_INIT;
	int rc = 0;
	for (char *p = f->data, *end = f->data + f->len; !rc && p < end;) {
		char *w = p;
		while (p < end && *p != ' ')
			p++;
		size_t n = (size_t)(p - w);
		p++;
		if (n < 2 || n > 40 || (n == 2 && (unsigned char)w[0] >= 0x80))
			continue;
		int added = 0;
		mie_buf_reset(&line);
		mie_buf_add(&line, w, n);
		mie_idmap_put(&seen, mie_xref_hash(line.data), 1, &added);
		if (!added)
			continue;
		mie_buf_addf(&line, "\t%07x", (unsigned)sdoc);
		rc = mie_sort_add(s->terms, line.data, line.len);
	}
	mie_buf_release(&line);
	mie_idmap_release(&seen);
	return rc;
}

static int searchable(int type)
{
	static const char *const kinds[] = {
	        "article",      "brief",   "section",  "keyword",  "author",
	        "organisation", "dossier", "petition", "document", NULL};
	for (int i = 0; type != NO && kinds[i]; i++)
		if (strcmp(mie_record_types[type], kinds[i]) == 0)
			return 1;
	return 0;
}

/* ---- open, carries, put ---- */

static void site_free(site *s)
{
	if (s->spill)
		fclose(s->spill);
	for (size_t i = 0; i < s->ne; i++) {
		free(s->e[i].title);
		free(s->e[i].path);
		free(s->e[i].file);
		free(s->e[i].mime);
	}
	free(s->e);
	mie_idmap_release(&s->ids);
	free(s->edges);
	mie_sort_free(&s->terms);
	free(s->sdocs);
	free(s->site_name);
	if (s->a)
		archive_write_free(s->a);
	mie_output_abort(&s->zo);
	free(s->tmp);
	free(s->top);
	mie_buf_release(&s->page);
	mie_buf_release(&s->scratch);
	free(s);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && strcmp(s + n - m, suffix) == 0;
}

/* A folder at OUT is replaced only when this writer made it. */
static int replaceable(const char *out)
{
	struct stat st;
	if (lstat(out, &st) < 0)
		return errno == ENOENT;
	if (!S_ISDIR(st.st_mode))
		return 0;
	mie_buf p = MIE_BUF_INIT;
	mie_buf_addf(&p, "%s/assets/mie.css", out);
	int ok = stat(p.data, &st) == 0;
	mie_buf_release(&p);
	return ok;
}

static int html_open(const mie_export_opts *o, void **state)
{
	if (!o->output || strcmp(o->output, "-") == 0) {
		mie_fatal("--to html needs -o OUT (a folder, or a .zip)");
		return -1;
	}
	site *s = mie_xcalloc(1, sizeof *s);
	s->out = o->output;
	s->opt = o->opt;
	s->zip = ends_with(o->output, ".zip");
	mie_idmap_init(&s->ids);
	mie_buf_init(&s->page);
	mie_buf_init(&s->scratch);
	if (!s->zip && !replaceable(s->out)) {
		mie_fatal("%s: exists and is not an archive written by --to html: not replaced",
		          s->out);
		site_free(s);
		return -1;
	}
	if (!(s->spill = mie_tmpfile()) || !(s->terms = mie_sort_new(16u << 20))) {
		site_free(s);
		return -1;
	}
	*state = s;
	return 0;
}

static const char *const *html_carries(void *state, const char *type)
{
	/* Not carried: the SPIP source of texts, what only the import needs
	 * (extra, provenance, variants, merged_from, duplicate_*, legacy
	 * bookkeeping), and the contact data of commenters and signers
	 * (author_email, ip): an archive for reading is not the place. */
	static const char *const fields[] = {"type",
	                                     "id",
	                                     "title",
	                                     "lang",
	                                     "status",
	                                     "date_published",
	                                     "date_modified",
	                                     "rank",
	                                     "url",
	                                     "description.html",
	                                     "description.plain",
	                                     "keywords",
	                                     "links",
	                                     "section",
	                                     "section_path",
	                                     "authors",
	                                     "documents",
	                                     "text.html",
	                                     "text.plain",
	                                     "lead.html",
	                                     "lead.plain",
	                                     "ps.html",
	                                     "ps.plain",
	                                     "notes.html",
	                                     "notes.plain",
	                                     "surtitle",
	                                     "subtitle",
	                                     "redirect",
	                                     "email",
	                                     "group",
	                                     "file",
	                                     "mime",
	                                     "size",
	                                     "width",
	                                     "height",
	                                     "kind",
	                                     "about",
	                                     "parent",
	                                     "author_name",
	                                     "address",
	                                     "postcode",
	                                     "city",
	                                     "country",
	                                     "phone",
	                                     "members",
	                                     "legacy.url",
	                                     NULL};
	return fields;
}

/* Takes what the other pages need of rec into the index. */
static int index_record(site *s, const json_t *rec, const mie_loc *loc)
{
	const char *id = mie_rec_str(rec, "id");
	mie_buf path = MIE_BUF_INIT;
	if (mie_export_html_path_of(&path, rec) < 0) {
		mie_error_at(loc, "%s: not an id (SITE:TYPE:LOCAL): no page",
		             mie_rec_id_or_dash(rec));
		mie_buf_release(&path);
		return MIE_EXPORT_BAD;
	}
	uint32_t i = entry_of(s, id);
	entry *e = &s->e[i];
	if (e->path) {
		mie_error_at(loc, "%s: a second record with this id: not written", id);
		mie_buf_release(&path);
		return MIE_EXPORT_BAD;
	}
	e->path = mie_buf_detach(&path, NULL);
	const char *title = mie_rec_str(rec, "title");
	e->title = title ? mie_xstrdup(title) : NULL;
	e->type = type_index(mie_rec_str(rec, "type"));
	const char *date = mie_rec_str(rec, "date_published");
	if (date && strlen(date) >= 10) {
		memcpy(e->date, date, 10);
		e->date[10] = '\0';
	}
	const json_t *rank = json_object_get(rec, "rank");
	e->rank = json_is_integer(rank) ? (int)json_integer_value(rank) : NO;
	if (strncmp(e->path, "files/", 6) == 0) {
		e->file = mie_xstrdup(mie_rec_str(rec, "file"));
		const char *mime = mie_rec_str(rec, "mime");
		e->mime = mime ? mie_xstrdup(mime) : NULL;
		const json_t *size = json_object_get(rec, "size");
		e->size = json_is_integer(size) ? (int64_t)json_integer_value(size) : -1;
	}
	const char *section = mie_rec_str(rec, "section");
	if (section) {
		int32_t sec = (int32_t)entry_of(s, section);
		s->e[i].section = sec; /* entry_of may have moved s->e */
	}
	e = &s->e[i];
	s->counts[e->type == NO ? 15 : e->type]++;
	if (!s->site_name && strchr(id, ':'))
		s->site_name = mie_xstrndup(id, (size_t)(strchr(id, ':') - id));
	add_edges(s, i, rec, "links", E_LINK);
	add_edges(s, i, rec, "keywords", E_KEYWORD);
	add_edges(s, i, rec, "authors", E_AUTHOR);
	add_edges(s, i, rec, "members", E_MEMBER);
	add_edges(s, i, rec, "documents", E_DOCUMENT);
	add_edge(s, i, mie_rec_str(rec, "about"), E_ABOUT);
	if (searchable(s->e[i].type)) {
		if (s->nsdocs == s->capsdocs) {
			s->capsdocs = s->capsdocs ? 2 * s->capsdocs : 1024;
			s->sdocs = mie_xrealloc(s->sdocs, s->capsdocs * sizeof *s->sdocs);
		}
		s->e[i].sdoc = (int32_t)s->nsdocs;
		s->sdocs[s->nsdocs++] = i;
		if (add_terms(s, rec, s->e[i].sdoc) < 0)
			return MIE_EXPORT_FATAL;
	}
	return MIE_EXPORT_OK;
}

static int spill_error(void)
{
	mie_fatal("temporary file: write error: %s", strerror(errno ? errno : EIO));
	return MIE_EXPORT_FATAL;
}

/* What a page shows of rec, for the spill (a new reference): the fields
 * the writer carries, a text field by its html form alone when it has one,
 * legacy by its url alone; what the page never shows is left out, so that
 * reading the spill back costs only what the pages need. */
static json_t *page_part(const json_t *rec)
{
	static const char *const texts[] = {"text", "lead", "ps", "notes", "description", NULL};
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)rec, k, v)
	{
		int text = 0;
		for (int i = 0; texts[i]; i++)
			text |= strcmp(k, texts[i]) == 0;
		if (text && json_is_object(v)) {
			json_t *t = json_object();
			json_t *form = json_object_get(v, "html");
			if (!json_is_string(form) || !json_string_length(form))
				form = json_object_get(v, "plain");
			if (form)
				json_object_set(
				        t, form == json_object_get(v, "html") ? "html" : "plain",
				        form);
			json_object_set_new(out, k, t);
		} else if (strcmp(k, "legacy") == 0) {
			json_t *url = json_object_get(v, "url");
			if (url)
				json_object_set_new(out, k, json_pack("{s:O}", "url", url));
		} else if (strcmp(k, "provenance") && strcmp(k, "extra") && strcmp(k, "variants") &&
		           strcmp(k, "merged_from") && strcmp(k, "author_email") &&
		           strcmp(k, "ip")) {
			json_object_set(out, k, v);
		}
	}
	return out;
}

static int html_put(void *state, const json_t *rec, const mie_loc *loc)
{
	site *s = state;
	int rc = index_record(s, rec, loc);
	if (rc != MIE_EXPORT_OK)
		return rc;
	json_t *part = page_part(rec);
	int bad = json_dumpf(part, s->spill, JSON_COMPACT) < 0 || fputc('\n', s->spill) == EOF;
	json_decref(part);
	return bad ? spill_error() : rc;
}

/* A record read from a JSON Lines line is spilled as that line: reading it
 * back whole with the fast parser costs less than writing its page part. */
static int html_put_line(void *state, const json_t *rec, const char *line, size_t n,
                         const mie_loc *loc)
{
	site *s = state;
	int rc = index_record(s, rec, loc);
	if (rc == MIE_EXPORT_OK &&
	    (fwrite(line, 1, n, s->spill) != n || fputc('\n', s->spill) == EOF))
		return spill_error();
	return rc;
}

/* ---- the output tree ---- */

static const char *tree_error(site *s)
{
	const char *m = archive_error_string(s->a);
	return m ? m : strerror(archive_errno(s->a) ? archive_errno(s->a) : EIO);
}

static int tree_open(site *s)
{
	const char *slash = strrchr(s->out, '/');
	const char *base = slash ? slash + 1 : s->out;
	mie_buf t = MIE_BUF_INIT;
	size_t n = strlen(base) - (s->zip ? 4 : 0);
	mie_buf_add(&t, base, n ? n : 4);
	mie_buf_addc(&t, '/');
	s->top = mie_buf_detach(&t, NULL);
	if (s->zip) {
		if (!(s->zo = mie_output_open(s->out)))
			return -1;
		s->a = archive_write_new();
		archive_write_set_format_zip(s->a);
		archive_write_set_bytes_in_last_block(s->a, 1);
		if (archive_write_open_FILE(s->a, mie_output_file(s->zo)) != ARCHIVE_OK) {
			mie_fatal("%s: %s", s->out, tree_error(s));
			return -1;
		}
		return 0;
	}
	if (slash)
		mie_buf_add(&t, s->out, (size_t)(slash - s->out + 1));
	mie_buf_addf(&t, ".%s.XXXXXX", base);
	s->tmp = mie_buf_detach(&t, NULL);
	if (!mkdtemp(s->tmp)) {
		mie_fatal("%s: cannot create: %s", s->out, strerror(errno));
		free(s->tmp);
		s->tmp = NULL;
		return -1;
	}
	s->a = archive_write_disk_new();
	archive_write_disk_set_options(s->a, ARCHIVE_EXTRACT_SECURE_NODOTDOT |
	                                             ARCHIVE_EXTRACT_SECURE_SYMLINKS);
	return 0;
}

static time_t stamp(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	return sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
}

/* Writes the file `name` of the archive: size bytes from rd/src. */
static int put_file(site *s, const char *name, int64_t size, mie_bagit_read_fn rd, void *src,
                    const char *what)
{
	struct archive_entry *e = archive_entry_new();
	mie_buf path = MIE_BUF_INIT;
	if (s->zip)
		mie_buf_adds(&path, s->top);
	else
		mie_buf_addf(&path, "%s/", s->tmp);
	mie_buf_adds(&path, name);
	archive_entry_update_pathname_utf8(e, path.data);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, size);
	archive_entry_set_mtime(e, stamp(), 0);
	int rc = archive_write_header(s->a, e) < ARCHIVE_WARN ? -1 : 0;
	archive_entry_free(e);
	mie_buf_release(&path);
	if (rc < 0) {
		mie_fatal("%s: %s: %s", s->out, name, tree_error(s));
		return -1;
	}
	static char buf[1 << 16];
	int64_t done = 0;
	ssize_t n = 0;
	while (done < size && (n = rd(src, buf, sizeof buf)) > 0) {
		if (done + n > size)
			n = (ssize_t)(size - done);
		if (archive_write_data(s->a, buf, (size_t)n) != n) {
			mie_fatal("%s: %s: %s", s->out, name, tree_error(s));
			return -1;
		}
		done += n;
	}
	if (n < 0 || done != size) {
		mie_fatal("%s: read error%s", what, n < 0 ? "" : " (shorter than its size)");
		return -1;
	}
	s->files++;
	return 0;
}

static int put_text(site *s, const char *name, const char *text, size_t n)
{
	mie_bagit_mem m = {text, n};
	return put_file(s, name, (int64_t)n, mie_bagit_read_mem, &m, name);
}

static void discard(site *s)
{
	if (s->a) {
		if (s->zip)
			archive_write_close(s->a);
		archive_write_free(s->a);
		s->a = NULL;
	}
	mie_output_abort(&s->zo);
	if (s->tmp)
		mie_outdir_remove_tree(s->tmp);
}

static int tree_commit(site *s)
{
	if (archive_write_close(s->a) != ARCHIVE_OK) {
		mie_fatal("%s: %s", s->out, tree_error(s));
		return -1;
	}
	archive_write_free(s->a);
	s->a = NULL;
	if (s->zip)
		return mie_output_commit(&s->zo);
	chmod(s->tmp, 0755);
	struct stat st;
	mie_buf old = MIE_BUF_INIT;
	if (lstat(s->out, &st) == 0) {
		if (!replaceable(s->out)) {
			mie_fatal("%s: exists and is not an archive written by --to html: not "
			          "replaced",
			          s->out);
			return -1;
		}
		mie_buf_addf(&old, "%s.old", s->tmp);
		if (rename(s->out, old.data) < 0) {
			mie_fatal("%s: cannot replace: %s", s->out, strerror(errno));
			mie_buf_release(&old);
			return -1;
		}
	}
	int rc = rename(s->tmp, s->out);
	if (rc < 0) {
		mie_fatal("%s: cannot replace: %s", s->out, strerror(errno));
		if (old.len)
			rename(old.data, s->out);
	} else {
		free(s->tmp);
		s->tmp = NULL;
	}
	if (old.len && rc == 0)
		mie_outdir_remove_tree(old.data);
	mie_buf_release(&old);
	return rc;
}

/* ---- pieces of pages ---- */

static void esc(mie_buf *b, const char *s)
{
	if (s)
		mie_html_escape(b, s, strlen(s), 0);
}

static void esc_attr(mie_buf *b, const char *s)
{
	if (s)
		mie_html_escape(b, s, strlen(s), 1);
}

static const char *title_of(const entry *e)
{
	return e->title && *e->title ? e->title : "(sans titre)";
}

/* href from a page at `depth` (0: the top, 1: a folder) to path. */
static void href(mie_buf *b, int depth, const char *path)
{
	if (depth)
		mie_buf_adds(b, "../");
	mie_export_href(b, path);
}

static void link_to(site *s, mie_buf *b, int depth, const entry *e)
{
	if (strncmp(e->path, "files/", 6) == 0 && !e->found) {
		esc(b, title_of(e));
		mie_buf_adds(b, " <span class=\"missing\">[fichier manquant]</span>");
		return;
	}
	mie_buf_adds(b, "<a href=\"");
	href(b, depth, e->path);
	mie_buf_adds(b, "\">");
	esc(b, title_of(e));
	mie_buf_adds(b, "</a>");
}

static const char *const months[] = {"janvier",   "février", "mars",     "avril",
                                     "mai",       "juin",    "juillet",  "août",
                                     "septembre", "octobre", "novembre", "décembre"};

/* "5 décembre 2006", "1er janvier 2007" from "YYYY-MM-DD…"; nothing when
 * the date is not of that form. */
static void french_date(mie_buf *b, const char *iso)
{
	int y, m, d;
	if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12)
		return;
	if (d == 1)
		mie_buf_addf(b, "1er %s %d", months[m - 1], y);
	else
		mie_buf_addf(b, "%d %s %d", d, months[m - 1], y);
}

static const char *kind_label(int type, int plural)
{
	static const char *const one[] = {"Rubrique",     "Article", "Brève",
	                                  "Auteur",       "Mot-clé", "Groupe de mots-clés",
	                                  "Document",     "Site",    "Commentaire",
	                                  "Organisation", "Dossier", "Pétition",
	                                  "Signature"};
	static const char *const many[] = {"Rubriques",     "Articles",  "Brèves",
	                                   "Auteurs",       "Mots-clés", "Groupes de mots-clés",
	                                   "Documents",     "Sites",     "Commentaires",
	                                   "Organisations", "Dossiers",  "Pétitions",
	                                   "Signatures"};
	if (type < 0 || type >= (int)(sizeof one / sizeof *one))
		return plural ? "Autres" : "Fiche";
	return plural ? many[type] : one[type];
}

static void human_size(mie_buf *b, int64_t n)
{
	if (n < 1000)
		mie_buf_addf(b, "%lld octets", (long long)n);
	else if (n < 1000000)
		mie_buf_addf(b, "%lld ko", (long long)((n + 500) / 1000));
	else
		mie_buf_addf(b, "%lld,%lld Mo", (long long)(n / 1000000),
		             (long long)(n % 1000000 / 100000));
}

static const char *site_title(const site *s)
{
	return s->opt[O_TITLE] ? s->opt[O_TITLE] : s->site_name ? s->site_name : "Archive";
}

static void page_begin(site *s, int depth, const char *lang, const char *title)
{
	mie_buf *b = &s->page;
	mie_buf_reset(b);
	mie_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"");
	esc_attr(b, lang ? lang : s->opt[O_LANG] ? s->opt[O_LANG] : "fr");
	mie_buf_adds(b,
	             "\">\n<head>\n<meta charset=\"utf-8\">\n"
	             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	             "script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; "
	             "form-action 'self'\">\n<title>");
	esc(b, title);
	mie_buf_adds(b, " — ");
	esc(b, site_title(s));
	mie_buf_adds(b, "</title>\n<link rel=\"stylesheet\" href=\"");
	href(b, depth, "assets/mie.css");
	mie_buf_adds(b, "\">\n</head>\n<body>\n<header class=\"site\"><a class=\"home\" href=\"");
	href(b, depth, "index.html");
	mie_buf_adds(b, "\">");
	esc(b, site_title(s));
	mie_buf_adds(b, "</a>\n<nav>");
	static const char *const nav[][2] = {{"index.html", "Accueil"},
	                                     {"years.html", "Par date"},
	                                     {"keywords.html", "Mots-clés"},
	                                     {"authors.html", "Auteurs"},
	                                     {"organisations.html", "Organisations"},
	                                     {"search.html", "Rechercher"}};
	for (size_t i = 0; i < sizeof nav / sizeof *nav; i++) {
		mie_buf_adds(b, "<a href=\"");
		href(b, depth, nav[i][0]);
		mie_buf_addf(b, "\">%s</a> ", nav[i][1]);
	}
	mie_buf_adds(b, "</nav></header>\n<main>\n");
}

static int page_end(site *s, const char *name, const char *id)
{
	mie_buf *b = &s->page;
	mie_buf_adds(b, "</main>\n<footer>");
	if (id) {
		mie_buf_adds(b, "Identifiant : ");
		esc(b, id);
		mie_buf_adds(b, "<br>");
	}
	mie_buf_adds(b, "Archive hors ligne écrite par mie-export.</footer>\n</body>\n</html>\n");
	return put_text(s, name, b->data, b->len);
}

/* The chain of sections above section index `sec`, from the top. */
static void crumbs(site *s, int depth, int32_t sec)
{
	int32_t chain[MAX_DEPTH];
	int n = 0;
	while (sec != NO && n < MAX_DEPTH && s->e[sec].path) {
		int loop = 0;
		for (int i = 0; i < n; i++)
			loop |= chain[i] == sec;
		if (loop)
			break;
		chain[n++] = sec;
		sec = s->e[sec].section;
	}
	mie_buf *b = &s->page;
	mie_buf_adds(b, "<nav class=\"crumbs\"><a href=\"");
	href(b, depth, "index.html");
	mie_buf_adds(b, "\">Accueil</a>");
	for (int i = n - 1; i >= 0; i--) {
		mie_buf_adds(b, " › ");
		link_to(s, b, depth, &s->e[chain[i]]);
	}
	mie_buf_adds(b, "</nav>\n");
}

/* A text field: its safe HTML as it is, else its plain text escaped. */
static void text_block(mie_buf *b, const json_t *rec, const char *field, const char *cls,
                       const char *heading)
{
	const char *html = text_form(rec, field, "html");
	const char *plain = text_form(rec, field, "plain");
	if (!(html && *html) && !(plain && *plain))
		return;
	mie_buf_addf(b, "<div class=\"%s\">", cls);
	if (heading)
		mie_buf_addf(b, "<h2>%s</h2>", heading);
	if (html && *html) {
		mie_buf_adds(b, html);
	} else {
		mie_buf_adds(b, "<p>");
		for (const char *p = plain;;) {
			const char *br = strstr(p, "\n\n");
			mie_html_escape(b, p, br ? (size_t)(br - p) : strlen(p), 0);
			if (!br)
				break;
			mie_buf_adds(b, "</p>\n<p>");
			for (p = br; *p == '\n'; p++)
				;
		}
		mie_buf_adds(b, "</p>");
	}
	mie_buf_adds(b, "</div>\n");
}

static void field_row(mie_buf *b, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	mie_buf_addf(b, "<dt>%s</dt><dd>", label);
	esc(b, value);
	mie_buf_adds(b, "</dd>");
}

/* A URL of a record, as a link when it is one a page may hold. */
static void url_row(mie_buf *b, const char *label, const char *url)
{
	if (!url || !*url)
		return;
	mie_buf_addf(b, "<dt>%s</dt><dd>", label);
	if (mie_html_url_ok(url) &&
	    (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0)) {
		mie_buf_adds(b, "<a href=\"");
		esc_attr(b, url);
		mie_buf_adds(b, "\">");
		esc(b, url);
		mie_buf_adds(b, "</a>");
	} else {
		esc(b, url);
	}
	mie_buf_adds(b, "</dd>");
}

/* The records a list of ids names, as links, in a <ul> under heading. */
static void id_list(site *s, const json_t *ids, const char *heading)
{
	mie_buf *b = &s->page;
	size_t i, shown = 0;
	const json_t *v;
	json_array_foreach(ids, i, v)
	{
		const entry *e = known(s, json_string_value(v));
		if (!shown++)
			mie_buf_addf(b, "<h2>%s</h2>\n<ul class=\"list\">\n", heading);
		mie_buf_adds(b, "<li>");
		if (e) {
			link_to(s, b, 1, e);
			if (e->file && (e->mime || e->size >= 0)) {
				mie_buf_adds(b, " <span class=\"kind\">(");
				esc(b, e->mime ? e->mime : "");
				if (e->size >= 0) {
					mie_buf_adds(b, e->mime ? ", " : "");
					human_size(b, e->size);
				}
				mie_buf_adds(b, ")</span>");
			}
		} else {
			esc(b, json_string_value(v));
			mie_buf_adds(b, " <span class=\"missing\">[absent de l’archive]</span>");
		}
		mie_buf_adds(b, "</li>\n");
	}
	if (shown)
		mie_buf_adds(b, "</ul>\n");
}

/* Inline list of links ("Par A, B"). */
static void id_inline(site *s, const json_t *ids, const char *label)
{
	mie_buf *b = &s->page;
	size_t i, shown = 0;
	const json_t *v;
	json_array_foreach(ids, i, v)
	{
		const entry *e = known(s, json_string_value(v));
		if (!e)
			continue;
		mie_buf_adds(b, shown++ ? ", " : "<p class=\"meta\">");
		if (!i || shown == 1)
			mie_buf_adds(b, label);
		link_to(s, b, 1, e);
	}
	if (shown)
		mie_buf_adds(b, "</p>\n");
}

/* ---- ordering ---- */

static site *sorting; /* qsort has no context: the one run (one thread) */

static int by_rank_date(const void *pa, const void *pb)
{
	const entry *a = &sorting->e[*(const uint32_t *)pa],
	            *b = &sorting->e[*(const uint32_t *)pb];
	if (a->rank != b->rank)
		return a->rank == NO ? 1 : b->rank == NO ? -1 : a->rank < b->rank ? -1 : 1;
	int c = strcmp(b->date, a->date); /* newest first */
	if (c)
		return c;
	return strcmp(title_of(a), title_of(b));
}

static int by_date(const void *pa, const void *pb)
{
	const entry *a = &sorting->e[*(const uint32_t *)pa],
	            *b = &sorting->e[*(const uint32_t *)pb];
	int c = strcmp(a->date, b->date);
	return c ? c : strcmp(title_of(a), title_of(b));
}

static int by_title(const void *pa, const void *pb)
{
	const entry *a = &sorting->e[*(const uint32_t *)pa],
	            *b = &sorting->e[*(const uint32_t *)pb];
	return strcmp(title_of(a), title_of(b));
}

/* Compressed lists: for key k, items[start[k] .. start[k+1]). */
typedef struct lists {
	uint32_t *start; /* ne + 1 */
	uint32_t *items;
} lists;

static void lists_release(lists *l)
{
	free(l->start);
	free(l->items);
}

/* The children of every section (articles, briefs and sections whose
 * `section` it is), in rank-then-date order. */
static void children(site *s, lists *l)
{
	l->start = mie_xcalloc(s->ne + 1, sizeof *l->start);
	for (size_t i = 0; i < s->ne; i++)
		if (s->e[i].path && s->e[i].section != NO)
			l->start[s->e[i].section + 1]++;
	for (size_t i = 0; i < s->ne; i++)
		l->start[i + 1] += l->start[i];
	l->items = mie_xcalloc(l->start[s->ne] + 1, sizeof *l->items);
	uint32_t *fill = mie_xcalloc(s->ne + 1, sizeof *fill);
	for (size_t i = 0; i < s->ne; i++)
		if (s->e[i].path && s->e[i].section != NO) {
			int32_t p = s->e[i].section;
			l->items[l->start[p] + fill[p]++] = (uint32_t)i;
		}
	free(fill);
	sorting = s;
	for (size_t i = 0; i < s->ne; i++)
		if (l->start[i + 1] > l->start[i]) /* qsort is not given an empty (NULL) array */
			qsort(l->items + l->start[i], l->start[i + 1] - l->start[i],
			      sizeof *l->items, by_rank_date);
}

/* The records that refer to each record, by kind of reference then date. */
static int by_target(const void *pa, const void *pb)
{
	const edge *a = pa, *b = pb;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	int c = strcmp(sorting->e[b->from].date, sorting->e[a->from].date);
	return c ? c : a->from < b->from ? -1 : a->from > b->from;
}

/* ---- record pages ---- */

typedef struct ctx {
	site *s;
	lists kids;
	size_t *edge_at; /* first edge of each target, ne + 1 */
} ctx;

static void back_list(ctx *c, uint32_t to, int kind, const char *heading)
{
	site *s = c->s;
	mie_buf *b = &s->page;
	int shown = 0;
	for (size_t k = c->edge_at[to]; k < c->edge_at[to + 1]; k++) {
		const edge *ed = &s->edges[k];
		if (ed->kind != kind || !s->e[ed->from].path)
			continue;
		if (k > c->edge_at[to] && ed[-1].kind == kind && ed[-1].from == ed->from)
			continue;
		if (!shown++)
			mie_buf_addf(b, "<h2>%s</h2>\n<ul class=\"list\">\n", heading);
		const entry *e = &s->e[ed->from];
		mie_buf_adds(b, "<li>");
		link_to(s, b, 1, e);
		if (*e->date) {
			mie_buf_adds(b, " <span class=\"meta\">");
			french_date(b, e->date);
			mie_buf_adds(b, "</span>");
		}
		mie_buf_adds(b, "</li>\n");
	}
	if (shown)
		mie_buf_adds(b, "</ul>\n");
}

static void section_lists(ctx *c, uint32_t i)
{
	site *s = c->s;
	mie_buf *b = &s->page;
	for (int pass = 0; pass < 2; pass++) {
		int shown = 0;
		for (uint32_t k = c->kids.start[i]; k < c->kids.start[i + 1]; k++) {
			const entry *e = &s->e[c->kids.items[k]];
			if (is(e, "section") != (pass == 0))
				continue;
			if (!shown++)
				mie_buf_addf(b, "<h2>%s</h2>\n<ul class=\"list\">\n",
				             pass ? "Articles et brèves" : "Sous-rubriques");
			mie_buf_adds(b, "<li>");
			link_to(s, b, 1, e);
			if (pass && *e->date) {
				mie_buf_adds(b, " <span class=\"meta\">");
				if (!is(e, "article"))
					mie_buf_addf(b, "%s, ", kind_label(e->type, 0));
				french_date(b, e->date);
				mie_buf_adds(b, "</span>");
			}
			mie_buf_adds(b, "</li>\n");
		}
		if (shown)
			mie_buf_adds(b, "</ul>\n");
	}
}

static int record_page(ctx *c, const json_t *rec)
{
	site *s = c->s;
	const char *id = mie_rec_str(rec, "id");
	uint32_t *slot = mie_idmap_get(&s->ids, mie_xref_hash(id));
	uint32_t i = *slot;
	const entry *e = &s->e[i];
	if (strncmp(e->path, "files/", 6) == 0)
		return 0; /* the attachment is the record's place */
	mie_buf *b = &s->page;
	page_begin(s, 1, mie_rec_str(rec, "lang"), title_of(e));
	mie_buf_addf(b, "<article class=\"%s\">\n",
	             e->type == NO ? "record" : mie_record_types[e->type]);
	crumbs(s, 1, e->section);
	const char *sur = mie_rec_str(rec, "surtitle"), *sub = mie_rec_str(rec, "subtitle");
	if (sur && *sur) {
		mie_buf_adds(b, "<p class=\"surtitle\">");
		esc(b, sur);
		mie_buf_adds(b, "</p>\n");
	}
	mie_buf_adds(b, "<h1>");
	esc(b, title_of(e));
	mie_buf_adds(b, "</h1>\n");
	if (sub && *sub) {
		mie_buf_adds(b, "<p class=\"subtitle\">");
		esc(b, sub);
		mie_buf_adds(b, "</p>\n");
	}
	mie_buf_addf(b, "<p class=\"meta\">%s", kind_label(e->type, 0));
	const char *pub = mie_rec_str(rec, "date_published"),
	           *mod = mie_rec_str(rec, "date_modified");
	if (pub) {
		mie_buf_adds(b, " · publié le ");
		french_date(b, pub);
	}
	if (mod) {
		mie_buf_adds(b, " · modifié le ");
		french_date(b, mod);
	}
	const char *status = mie_rec_str(rec, "status");
	if (status && strcmp(status, "publie") != 0) {
		mie_buf_adds(b, " · statut : ");
		esc(b, status);
	}
	mie_buf_adds(b, "</p>\n");
	id_inline(s, json_object_get(rec, "authors"), "Par ");
	id_inline(s, json_object_get(rec, "keywords"), "Mots-clés : ");
	const char *redirect = mie_rec_str(rec, "redirect");
	if (redirect) {
		mie_buf_adds(b, "<dl class=\"fields\">");
		url_row(b, "Renvoie à", redirect);
		mie_buf_adds(b, "</dl>\n");
	}
	text_block(b, rec, "description", "description", NULL);
	text_block(b, rec, "lead", "lead", NULL);
	text_block(b, rec, "text", "text", NULL);
	text_block(b, rec, "notes", "notes", "Notes");
	text_block(b, rec, "ps", "ps", "Post-scriptum");
	static const char *const fields[][2] = {
	        {"kind", "Type"},      {"address", "Adresse"},    {"postcode", "Code postal"},
	        {"city", "Ville"},     {"country", "Pays"},       {"phone", "Téléphone"},
	        {"email", "Courriel"}, {"author_name", "Auteur"}, {"mime", "Format"},
	        {"file", "Fichier"}};
	size_t mark = b->len;
	mie_buf_adds(b, "<dl class=\"fields\">");
	size_t open = b->len;
	for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
		field_row(b, fields[k][1], mie_rec_str(rec, fields[k][0]));
	url_row(b, "Site", mie_rec_str(rec, "url"));
	static const char *const refs[][2] = {
	        {"about", "À propos de"}, {"parent", "En réponse à"}, {"group", "Groupe"}};
	for (size_t k = 0; k < sizeof refs / sizeof *refs; k++) {
		const entry *r = known(s, mie_rec_str(rec, refs[k][0]));
		if (r) {
			mie_buf_addf(b, "<dt>%s</dt><dd>", refs[k][1]);
			link_to(s, b, 1, r);
			mie_buf_adds(b, "</dd>");
		}
	}
	const json_t *size = json_object_get(rec, "size");
	if (json_is_integer(size)) {
		mie_buf_adds(b, "<dt>Taille</dt><dd>");
		human_size(b, (int64_t)json_integer_value(size));
		mie_buf_adds(b, "</dd>");
	}
	if (b->len == open)
		mie_buf_setlen(b, mark);
	else
		mie_buf_adds(b, "</dl>\n");
	id_list(s, json_object_get(rec, "documents"), "Documents joints");
	id_list(s, json_object_get(rec, "members"), "Dans ce dossier");
	id_list(s, json_object_get(rec, "links"), "Liens");
	if (is(e, "section"))
		section_lists(c, i);
	back_list(c, i, E_KEYWORD, "Articles et brèves");
	back_list(c, i, E_AUTHOR, "Publications");
	back_list(c, i, E_ABOUT, "Commentaires");
	back_list(c, i, E_LINK, "Cité par");
	back_list(c, i, E_MEMBER, "Dans les dossiers");
	const char *legacy = text_form(rec, "legacy", "url");
	if (legacy) {
		mie_buf_adds(b, "<p class=\"meta\">Adresse d’origine : ");
		esc(b, legacy);
		mie_buf_adds(b, "</p>\n");
	}
	mie_buf_adds(b, "</article>\n");
	return page_end(s, e->path, id);
}

static int record_pages(ctx *c)
{
	site *s = c->s;
	if (fflush(s->spill) || fseek(s->spill, 0, SEEK_SET) < 0) {
		mie_fatal("temporary file: %s", strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;
	while (!rc && (n = getline(&line, &cap, s->spill)) > 0) {
		json_error_t err;
		while (n && line[n - 1] == '\n')
			n--;
		json_t *rec = mie_export_parse_fast(line, (size_t)n);
		if (!rec && !(rec = json_loadb(line, (size_t)n, 0, &err))) {
			mie_fatal("temporary file: %s", err.text);
			rc = -1;
			break;
		}
		rc = record_page(c, rec);
		json_decref(rec);
	}
	free(line);
	if (!rc && ferror(s->spill)) {
		mie_fatal("temporary file: read error: %s", strerror(errno));
		rc = -1;
	}
	return rc;
}

/* ---- the other pages ---- */

/* Articles and briefs in the subtree of section i (cycles cut). */
static long subtree_count(ctx *c, uint32_t i, int depth)
{
	site *s = c->s;
	long n = 0;
	for (uint32_t k = c->kids.start[i]; k < c->kids.start[i + 1]; k++) {
		const entry *e = &s->e[c->kids.items[k]];
		if (is(e, "section") && depth < MAX_DEPTH)
			n += subtree_count(c, c->kids.items[k], depth + 1);
		else if (is(e, "article") || is(e, "brief"))
			n++;
	}
	return n;
}

static void tree(ctx *c, uint32_t i, int depth)
{
	site *s = c->s;
	mie_buf *b = &s->page;
	s->e[i].visited = 1;
	mie_buf_adds(b, "<li>");
	link_to(s, b, 0, &s->e[i]);
	mie_buf_addf(b, " <span class=\"count\">(%ld)</span>", subtree_count(c, i, 0));
	int open = 0;
	for (uint32_t k = c->kids.start[i]; k < c->kids.start[i + 1]; k++) {
		uint32_t j = c->kids.items[k];
		if (!is(&s->e[j], "section") || s->e[j].visited || depth >= MAX_DEPTH)
			continue;
		if (!open++)
			mie_buf_adds(b, "\n<ul>\n");
		tree(c, j, depth + 1);
	}
	if (open)
		mie_buf_adds(b, "</ul>\n");
	mie_buf_adds(b, "</li>\n");
}

static void search_form(mie_buf *b, int depth)
{
	mie_buf_adds(b, "<form class=\"search\" id=\"search\" role=\"search\" action=\"");
	href(b, depth, "search.html");
	mie_buf_adds(b, "\"><input type=\"search\" id=\"q\" name=\"q\" aria-label=\"Rechercher\" "
	                "placeholder=\"Rechercher dans l’archive\"><button type=\"submit\">"
	                "Rechercher</button></form>\n");
}

static int home_page(ctx *c, const char *const *years, size_t nyears)
{
	site *s = c->s;
	mie_buf *b = &s->page;
	page_begin(s, 0, NULL, "Accueil");
	mie_buf_adds(b, "<h1>");
	esc(b, site_title(s));
	mie_buf_adds(b, "</h1>\n");
	search_form(b, 0);
	mie_buf_adds(b, "<h2>Rubriques</h2>\n<ul class=\"tree\">\n");
	uint32_t *roots = mie_xcalloc(s->ne + 1, sizeof *roots);
	size_t nroots = 0;
	for (size_t i = 0; i < s->ne; i++) {
		const entry *e = &s->e[i];
		if (e->path && is(e, "section") &&
		    (e->section == NO || !s->e[e->section].path ||
		     !is(&s->e[e->section], "section")))
			roots[nroots++] = (uint32_t)i;
	}
	sorting = s;
	if (nroots)
		qsort(roots, nroots, sizeof *roots, by_rank_date);
	for (size_t k = 0; k < nroots; k++)
		tree(c, roots[k], 0);
	for (size_t i = 0; i < s->ne; i++) /* sections only in a cycle */
		if (s->e[i].path && is(&s->e[i], "section") && !s->e[i].visited)
			tree(c, (uint32_t)i, 0);
	free(roots);
	mie_buf_adds(b, "</ul>\n<h2>Contenu</h2>\n<table class=\"counts\">\n");
	for (int t = 0; t < 16; t++)
		if (s->counts[t])
			mie_buf_addf(b, "<tr><th scope=\"row\">%s</th><td>%ld</td></tr>\n",
			             kind_label(t == 15 ? NO : t, 1), s->counts[t]);
	mie_buf_adds(b, "</table>\n");
	if (nyears) {
		mie_buf_adds(b, "<h2>Par année</h2>\n<p>");
		for (size_t k = 0; k < nyears; k++) {
			mie_buf_addf(b, "%s<a href=\"year/%.4s.html\">%.4s</a>", k ? " · " : "",
			             years[k], years[k]);
		}
		mie_buf_adds(b, "</p>\n");
	}
	return page_end(s, "index.html", NULL);
}

/* keywords.html, authors.html, organisations.html. */
static int list_page(ctx *c, const char *type, const char *name, const char *title)
{
	site *s = c->s;
	mie_buf *b = &s->page;
	uint32_t *items = mie_xcalloc(s->ne + 1, sizeof *items);
	size_t n = 0;
	for (size_t i = 0; i < s->ne; i++)
		if (s->e[i].path && is(&s->e[i], type))
			items[n++] = (uint32_t)i;
	sorting = s;
	if (n)
		qsort(items, n, sizeof *items, by_title);
	page_begin(s, 0, NULL, title);
	mie_buf_addf(b, "<h1>%s</h1>\n", title);
	if (!n)
		mie_buf_adds(b, "<p>Aucun dans cette archive.</p>\n");
	else
		mie_buf_adds(b, "<ul class=\"list\">\n");
	for (size_t k = 0; k < n; k++) {
		uint32_t i = items[k];
		long refs = 0;
		for (size_t j = c->edge_at[i]; j < c->edge_at[i + 1]; j++)
			refs += s->edges[j].kind == E_KEYWORD || s->edges[j].kind == E_AUTHOR;
		mie_buf_adds(b, "<li>");
		link_to(s, b, 0, &s->e[i]);
		if (refs)
			mie_buf_addf(b, " <span class=\"count\">(%ld)</span>", refs);
		mie_buf_adds(b, "</li>\n");
	}
	if (n)
		mie_buf_adds(b, "</ul>\n");
	free(items);
	return page_end(s, name, NULL);
}

static int dated(const entry *e)
{
	return e->path && *e->date && (is(e, "article") || is(e, "brief"));
}

/* years.html, year/YYYY.html, month/YYYY-MM.html; *years gets the list. */
static int date_pages(ctx *c, char ***years, size_t *nyears)
{
	site *s = c->s;
	mie_buf *b = &s->page;
	uint32_t *items = mie_xcalloc(s->ne + 1, sizeof *items);
	size_t n = 0;
	for (size_t i = 0; i < s->ne; i++)
		if (dated(&s->e[i]))
			items[n++] = (uint32_t)i;
	sorting = s;
	if (n)
		qsort(items, n, sizeof *items, by_date);
	int rc = 0;
	*years = NULL;
	*nyears = 0;
	mie_buf name = MIE_BUF_INIT, title = MIE_BUF_INIT;
	for (size_t k = 0; !rc && k < n;) { /* one month */
		const char *d = s->e[items[k]].date;
		size_t end = k;
		while (end < n && memcmp(s->e[items[end]].date, d, 7) == 0)
			end++;
		if (!*nyears || memcmp((*years)[*nyears - 1], d, 4) != 0) {
			*years = mie_xrealloc(*years, (*nyears + 1) * sizeof **years);
			(*years)[(*nyears)++] = mie_xstrndup(d, 4);
		}
		mie_buf_reset(&title);
		int m = (d[5] - '0') * 10 + (d[6] - '0');
		mie_buf_addf(&title, "%s %.4s", m >= 1 && m <= 12 ? months[m - 1] : "?", d);
		page_begin(s, 1, NULL, title.data);
		mie_buf_addf(b,
		             "<nav class=\"crumbs\"><a href=\"../years.html\">Par date</a> › "
		             "<a href=\"../year/%.4s.html\">%.4s</a></nav>\n<h1>",
		             d, d);
		esc(b, title.data);
		mie_buf_addf(
		        b, "</h1>\n<p class=\"count\">%zu publication%s</p>\n<ul class=\"list\">\n",
		        end - k, end - k > 1 ? "s" : "");
		for (size_t j = k; j < end; j++) {
			const entry *e = &s->e[items[j]];
			mie_buf_adds(b, "<li>");
			link_to(s, b, 1, e);
			mie_buf_adds(b, " <span class=\"meta\">");
			if (!is(e, "article"))
				mie_buf_addf(b, "%s, ", kind_label(e->type, 0));
			french_date(b, e->date);
			mie_buf_adds(b, "</span></li>\n");
		}
		mie_buf_adds(b, "</ul>\n");
		mie_buf_reset(&name);
		mie_buf_addf(&name, "month/%.7s.html", d);
		rc = page_end(s, name.data, NULL);
		k = end;
	}
	/* one page per year: its months */
	for (size_t y = 0, k = 0; !rc && y < *nyears; y++) {
		const char *yy = (*years)[y];
		page_begin(s, 1, NULL, yy);
		mie_buf_adds(
		        b, "<nav class=\"crumbs\"><a href=\"../years.html\">Par date</a></nav>\n");
		mie_buf_addf(b, "<h1>%s</h1>\n<ul class=\"list\">\n", yy);
		while (k < n && memcmp(s->e[items[k]].date, yy, 4) == 0) {
			const char *d = s->e[items[k]].date;
			size_t end = k;
			while (end < n && memcmp(s->e[items[end]].date, d, 7) == 0)
				end++;
			int m = (d[5] - '0') * 10 + (d[6] - '0');
			mie_buf_addf(b,
			             "<li><a href=\"../month/%.7s.html\">%s</a> <span "
			             "class=\"count\">(%zu)</span></li>\n",
			             d, m >= 1 && m <= 12 ? months[m - 1] : "?", end - k);
			k = end;
		}
		mie_buf_adds(b, "</ul>\n");
		mie_buf_reset(&name);
		mie_buf_addf(&name, "year/%s.html", yy);
		rc = page_end(s, name.data, NULL);
	}
	if (!rc) {
		page_begin(s, 0, NULL, "Par date");
		mie_buf_adds(b, "<h1>Par date</h1>\n");
		if (!*nyears)
			mie_buf_adds(b, "<p>Aucune publication datée.</p>\n");
		else
			mie_buf_adds(b, "<ul class=\"list\">\n");
		for (size_t y = 0; y < *nyears; y++)
			mie_buf_addf(b, "<li><a href=\"year/%s.html\">%s</a></li>\n", (*years)[y],
			             (*years)[y]);
		if (*nyears)
			mie_buf_adds(b, "</ul>\n");
		rc = page_end(s, "years.html", NULL);
	}
	mie_buf_release(&name);
	mie_buf_release(&title);
	free(items);
	return rc;
}

/* ---- the search index ---- */

static void js_string(mie_buf *b, const char *s)
{
	mie_buf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			mie_buf_addf(b, "\\%c", *p);
		else if (*p < 0x20 || *p == '<' || *p == '>')
			mie_buf_addf(b, "\\u%04x", *p);
		else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			mie_buf_addf(b, "\\u%04x", p[2] == 0xa8 ? 0x2028 : 0x2029);
			p += 2;
		} else
			mie_buf_addc(b, (char)*p);
	}
	mie_buf_addc(b, '"');
}

/* The piece a term belongs to: its first two characters, bytes other than
 * a-z 0-9 as _hh (search.js computes the same). */
static void shard_key(mie_buf *b, const char *term, size_t n)
{
	size_t end = 0;
	for (int chars = 0; end < n && chars < 2; chars++) {
		end++;
		while (end < n && ((unsigned char)term[end] & 0xc0) == 0x80)
			end++;
	}
	for (size_t i = 0; i < end; i++) {
		unsigned char c = (unsigned char)term[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			mie_buf_addc(b, (char)c);
		else
			mie_buf_addf(b, "_%02x", c);
	}
}

static void base36(mie_buf *b, unsigned long v)
{
	char d[16];
	int n = 0;
	do {
		d[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
		v /= 36;
	} while (v);
	while (n)
		mie_buf_addc(b, d[--n]);
}

static int flush_shard(site *s, mie_buf *js, const char *key)
{
	if (!js->len)
		return 0;
	mie_buf_adds(js, "\"});\n"); /* the last term's postings, the piece */
	mie_buf name = MIE_BUF_INIT;
	mie_buf_addf(&name, "search/t/%s.js", key);
	int rc = put_text(s, name.data, js->data, js->len);
	s->index_bytes += (int64_t)js->len;
	mie_buf_release(&name);
	mie_buf_reset(js);
	return rc;
}

static int term_pieces(site *s)
{
	mie_buf js = MIE_BUF_INIT, key = MIE_BUF_INIT, cur = MIE_BUF_INIT, term = MIE_BUF_INIT;
	const char *line;
	size_t n;
	int r, rc = 0;
	unsigned long last = 0;
	while (!rc && (r = mie_sort_next(s->terms, &line, &n)) == 1) {
		const char *tab = memchr(line, '\t', n);
		if (!tab)
			continue;
		size_t tl = (size_t)(tab - line);
		unsigned long doc = strtoul(tab + 1, NULL, 16);
		if (term.len != tl || memcmp(term.data, line, tl) != 0) {
			mie_buf_reset(&key);
			shard_key(&key, line, tl);
			if (!cur.len || strcmp(key.data, cur.data) != 0) {
				rc = flush_shard(s, &js, cur.data);
				mie_buf_reset(&cur);
				mie_buf_adds(&cur, key.data);
				mie_buf_addf(&js, "mieSearch.terms(\"%s\",{", cur.data);
			} else {
				mie_buf_adds(&js, "\",");
			}
			mie_buf_reset(&term);
			mie_buf_add(&term, line, tl);
			js_string(&js, term.data);
			mie_buf_adds(&js, ":\"");
			base36(&js, doc);
		} else {
			mie_buf_addc(&js, ',');
			base36(&js, doc - last);
		}
		last = doc;
	}
	if (!rc && r < 0)
		rc = -1;
	if (!rc)
		rc = flush_shard(s, &js, cur.data);
	mie_buf_release(&js);
	mie_buf_release(&key);
	mie_buf_release(&cur);
	mie_buf_release(&term);
	return rc;
}

static int doc_pieces(site *s)
{
	mie_buf js = MIE_BUF_INIT, v = MIE_BUF_INIT;
	int rc = 0;
	for (size_t k = 0; !rc && k < s->nsdocs; k += DOC_CHUNK) {
		mie_buf_reset(&js);
		mie_buf_addf(&js, "mieSearch.docs(%zu,[", k / DOC_CHUNK);
		for (size_t d = k; d < s->nsdocs && d < k + DOC_CHUNK; d++) {
			const entry *e = &s->e[s->sdocs[d]];
			mie_buf_reset(&v);
			mie_export_href(&v, e->path);
			mie_buf_adds(&js, d > k ? ",\n[" : "\n[");
			js_string(&js, v.data);
			mie_buf_addc(&js, ',');
			js_string(&js, title_of(e));
			mie_buf_reset(&v);
			mie_buf_adds(&v, kind_label(e->type, 0));
			if (e->section != NO && s->e[e->section].path) {
				mie_buf_adds(&v, " · ");
				mie_buf_adds(&v, title_of(&s->e[e->section]));
			}
			mie_buf_addc(&js, ',');
			js_string(&js, v.data);
			mie_buf_reset(&v);
			french_date(&v, e->date);
			mie_buf_addc(&js, ',');
			js_string(&js, v.data);
			mie_buf_addc(&js, ']');
		}
		mie_buf_adds(&js, "]);\n");
		mie_buf_reset(&v);
		mie_buf_addf(&v, "search/d/%zu.js", k / DOC_CHUNK);
		s->index_bytes += (int64_t)js.len;
		rc = put_text(s, v.data, js.data, js.len);
	}
	mie_buf_release(&js);
	mie_buf_release(&v);
	return rc;
}

static int search_page(site *s)
{
	mie_buf *b = &s->page;
	page_begin(s, 0, NULL, "Rechercher");
	mie_buf_adds(b, "<h1>Rechercher</h1>\n");
	search_form(b, 0);
	mie_buf_adds(b, "<p id=\"status\" class=\"count\" aria-live=\"polite\"></p>\n"
	                "<ol id=\"results\" class=\"results\"></ol>\n"
	                "<noscript><p>La recherche demande JavaScript ; les rubriques de "
	                "l’<a href=\"index.html\">accueil</a> mènent à tout.</p></noscript>\n"
	                "<script src=\"assets/search.js\"></script>\n");
	return page_end(s, "search.html", NULL);
}

/* ---- attachments ---- */

typedef struct wanted {
	site *s;
	uint32_t *of; /* entry of each path */
} wanted;

static int put_found(void *cx, size_t i, int64_t size, mie_bagit_read_fn rd, void *src,
                     const char *what)
{
	wanted *w = cx;
	entry *e = &w->s->e[w->of[i]];
	int rc = put_file(w->s, e->path, size, rd, src, what);
	e->found = rc == 0;
	return rc;
}

static int attachments(site *s)
{
	size_t n = 0;
	const char **paths = mie_xcalloc(s->ne + 1, sizeof *paths);
	wanted w = {s, mie_xcalloc(s->ne + 1, sizeof *w.of)};
	mie_idmap seen;
	mie_idmap_init(&seen);
	for (size_t i = 0; i < s->ne; i++) {
		if (!s->e[i].file)
			continue;
		int added = 0;
		mie_idmap_put(&seen, mie_xref_hash(s->e[i].file), 1, &added);
		if (!added)
			continue;
		paths[n] = s->e[i].file;
		w.of[n++] = (uint32_t)i;
	}
	const char *root = s->opt[O_FILES_ROOT];
	int rc = root && n ? mie_export_files_read(root, paths, n, put_found, &w) : 0;
	/* two documents of one file share its copy */
	for (size_t i = 0; i < s->ne; i++)
		for (size_t k = 0; s->e[i].file && !s->e[i].found && k < n; k++)
			if (strcmp(paths[k], s->e[i].file) == 0)
				s->e[i].found = s->e[w.of[k]].found;
	for (size_t k = 0; k < n; k++)
		s->missing += !s->e[w.of[k]].found;
	if (!rc && s->missing)
		mie_warn_at(NULL, "html: %ld attached file%s not found %s%s: marked missing",
		            s->missing, s->missing == 1 ? "" : "s",
		            root ? "in " : "(no --files-root)", root ? root : "");
	mie_idmap_release(&seen);
	free(paths);
	free(w.of);
	return rc;
}

/* ---- finish ---- */

static int write_site(site *s)
{
	if (tree_open(s) < 0 || attachments(s) < 0)
		return -1;
	if (put_text(s, "assets/mie.css", mie_export_html_css, strlen(mie_export_html_css)) < 0 ||
	    put_text(s, "assets/search.js", mie_export_html_search_js,
	             strlen(mie_export_html_search_js)) < 0)
		return -1;
	ctx c = {s, {NULL, NULL}, NULL};
	children(s, &c.kids);
	sorting = s;
	if (s->nedges) /* none: s->edges is NULL, which qsort may not be given */
		qsort(s->edges, s->nedges, sizeof *s->edges, by_target);
	c.edge_at = mie_xcalloc(s->ne + 2, sizeof *c.edge_at);
	for (size_t k = 0; k < s->nedges; k++)
		c.edge_at[s->edges[k].to + 1]++;
	for (size_t i = 0; i < s->ne; i++)
		c.edge_at[i + 1] += c.edge_at[i];
	char **years = NULL;
	size_t nyears = 0;
	int rc = record_pages(&c);
	rc = rc ? rc : date_pages(&c, &years, &nyears);
	rc = rc ? rc : home_page(&c, (const char *const *)years, nyears);
	rc = rc ? rc : list_page(&c, "keyword", "keywords.html", "Mots-clés");
	rc = rc ? rc : list_page(&c, "author", "authors.html", "Auteurs");
	rc = rc ? rc : list_page(&c, "organisation", "organisations.html", "Organisations");
	rc = rc ? rc : search_page(s);
	rc = rc ? rc : term_pieces(s);
	rc = rc ? rc : doc_pieces(s);
	for (size_t y = 0; y < nyears; y++)
		free(years[y]);
	free(years);
	lists_release(&c.kids);
	free(c.edge_at);
	return rc ? rc : tree_commit(s);
}

static int html_finish(void *state)
{
	site *s = state;
	int rc = 0;
	if (mie_exit_status() < MIE_EXIT_FATAL) {
		rc = write_site(s);
		if (rc < 0)
			discard(s);
	} else {
		rc = -1;
	}
	site_free(s);
	return rc;
}

static void html_abort(void *state)
{
	site *s = state;
	discard(s);
	site_free(s);
}

const mie_export_writer mie_export_html = {
        .name = "html",
        .summary = "a static offline archive to browse and search (a folder or a .zip)",
        .options = html_options,
        .loss_hint = NULL,
        .open = html_open,
        .carries = html_carries,
        .put = html_put,
        .finish = html_finish,
        .abort = html_abort,
        .put_line = html_put_line,
};
