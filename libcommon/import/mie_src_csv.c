/* mie_src_csv.c — CSV exports of spreadsheets (the directory of partner
 * organisations, bibliographies) to records, with libcsv.
 *
 * - Charset: a UTF-8 BOM means UTF-8 (the BOM is dropped); a UTF-16 BOM
 *   (Excel's "Unicode text"), --charset UTF-16*, or a first 4 KiB whose
 *   every other byte is NUL (90 % of them, the others none) means UTF-16, decoded to
 *   UTF-8 before the cells are split (the file is then held decoded, at
 *   most MAX_UTF16 bytes of it); else UTF-8 when the first 64 KiB are valid
 *   UTF-8 or hold at least one UTF-8 multi-byte sequence (a cell that is
 *   not UTF-8 is then read as windows-1252, an "invalid-utf8" repair on
 *   its record); else windows-1252 (which also reads ISO-8859-1).  --charset
 *   overrides.  Cells go through mie_text_decode.
 * - Delimiter: the one of ; , TAB that occurs most in the header record
 *   outside quotes (so French decimals "3,5" in a ';' file do not fool it,
 *   and a quoted header name spanning lines is read whole); --delimiter
 *   overrides.  The choice is said on stderr.
 * - Line ends: LF, CRLF, or CR alone (a file whose first 64 KiB hold CRs
 *   and no LF), each counted for the line numbers of messages.
 * - A header name repeated ("phase;…;phase") is kept for each column, the
 *   second as "phase_2", the third "phase_3"…, and that is said.
 * - libcsv runs in strict mode, fed line by line so that every message
 *   gives the real line number (libcsv's own row count skips blank lines);
 *   spaces around cells are kept as they are; a quoted cell may span lines.
 *   A cell still open after MAX_ROW_BYTES, or a quote still open at the end
 *   of the file, rejects that row with the line where it started.
 * - The header maps columns to fields: --map organisations, --map
 *   bibliography, or --map FILE (lines "Column header = field"; '#'
 *   comments).  Without --map, a preset is chosen when its columns are in
 *   the header (case, accents and spaces ignored) and that is said on
 *   stderr (its name column and one more are enough).  A header that
 *   matches no preset, or a mapping that names no title column, is one
 *   error asking for --map, and the file's rows are counted as skipped.
 *   Unmapped cells are kept in "extra" under their header.
 * - Bibliography: the authors' names (split at ';', or at ',' between
 *   names of two words or more) become author records HOST:author:SLUG
 *   referenced by the document's "authors"; the publisher an organisation
 *   record (kind "éditeur") referenced by its "links"; each written once
 *   per file, before the first row naming it.  A date with no day ("2008",
 *   "mai 2008") is written as its first day with a "date-partial" repair
 *   holding what the source said.
 * - A row with a different number of cells than the header is never padded
 *   or cut: it is rejected with its line and the two counts.
 * - Ids: SITE:TYPE:SLUG, the slug made of the normalised name ("Secours
 *   populaire français" -> secours-populaire-francais); a row whose slug
 *   was already given gets "-2", or "-3"..., the first that no earlier
 *   row has ("A", "A", "A-2" give a, a-2, a-2-2), said on stderr.  The
 *   table of slugs given is the one state that grows with the rows: one
 *   small entry per record (about 22 MB of peak RSS for 100 000 rows,
 *   bench/README.md).
 * - Privacy (import/mie_privacy.h): organisations' phone numbers and
 *   addresses are public contact data and kept.  A column about an
 *   individual — one that is no record field and whose header the rule
 *   finds personal ("Contact", "Prénom", "Responsable", "Portable",
 *   "E-mail 2"…) — is dropped, and that is said once per file on stderr,
 *   unless --keep-personal (then it goes to extra like any other unmapped
 *   column); a credential column ("Password", "Mot de passe", "Token"…)
 *   is dropped always.  Either is named in a "withheld" repair and in the
 *   summary, and left out of --rejects. */
#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text/mie_date.h"
#include "text/mie_fold.h"
#include "import/mie_import.h"
#include "import/mie_privacy.h"
#include "record/mie_record.h"
#include "text/mie_text.h"
#include "core/mie_utf8.h"

#define MAX_ROW_BYTES ((size_t)16 << 20)
#define MAX_COLS      512
#define MAX_UTF16     ((size_t)256 << 20) /* a UTF-16 file, held decoded */

typedef struct preset {
	const char *name, *type;
	/* pairs: normalised header, field; "" ends */
	const char *cols[40];
	int needed; /* how many of the first cols must be present to auto-select */
} preset;

static const preset presets[] = {
        {"organisations",
         "organisation",
         {"nom",   "title",    "name",    "title",   "organisme", "title",       "type",
          "kind",  "adresse",  "address", "address", "address",   "code postal", "postcode",
          "cp",    "postcode", "ville",   "city",    "city",      "city",        "telephone",
          "phone", "tel",      "phone",   "phone",   "phone",     "courriel",    "email",
          "email", "email",    "e mail",  "email",   "site",      "url",         "site web",
          "url",   "website",  "url",     "",        ""},
         0},
        {"bibliography",
         "document",
         {"titre",   "title",     "title",     "title",     "auteurs", "authors",
          "authors", "authors",   "auteur",    "authors",   "date",    "date_published",
          "editeur", "publisher", "publisher", "publisher", "url",     "url",
          "lien",    "url",       "type",      "kind",      "kind",    "kind",
          "",        ""},
         0},
};

typedef struct csvrun {
	mie_import *ctx;
	const mie_loc *where;
	const char *charset;        /* of the cells' bytes */
	const char *source_charset; /* of the file, for provenance ("utf-16le") */
	char delim;
	struct csv_parser p;
	/* the row being read */
	mie_buf cells[MAX_COLS];
	int ncells, too_many;
	long row_line, line;
	size_t row_bytes;
	/* the header */
	char **header; /* owned, normalised for matching: hnorm; raw: header */
	char **hnorm;
	int nheader;
	const char **fields;     /* per column: field name or NULL (extra) */
	unsigned char *personal; /* per column: its mie_privacy_class (KEEP = 0) */
	const preset *map;
	const char *type;
	json_t *slugs; /* object: slug -> count (owned) */
	json_t *named; /* ids of the author and publisher records written (owned) */
	char *host;
	int rows;
	int unmapped; /* no mapping: rows counted, not read (one error said) */
	long skipped;
} csvrun;

static void on_cell(void *s, size_t n, void *data)
{
	csvrun *c = data;
	if (c->ncells >= MAX_COLS) {
		c->too_many = 1;
		return;
	}
	mie_buf_reset(&c->cells[c->ncells]);
	mie_buf_add(&c->cells[c->ncells], s, n);
	c->ncells++;
}

static void handle_row(csvrun *c);

static void on_row(int ch, void *data)
{
	csvrun *c = data;
	handle_row(c);
	c->ncells = 0;
	c->too_many = 0;
	c->row_bytes = 0;
	c->row_line = c->line + 1;
}

static int keep_spaces(unsigned char ch)
{
	return 0;
}

static void normalise(mie_buf *out, const char *s, size_t n)
{
	mie_text_fold(out, s, n);
}

/* ---- header and mapping ---- */

static const char *preset_field(const preset *p, const char *norm)
{
	for (int i = 0; p->cols[i][0]; i += 2)
		if (strcmp(p->cols[i], norm) == 0)
			return p->cols[i + 1];
	return NULL;
}

int mie_import_check_map(const char *map)
{
	for (size_t p = 0; p < sizeof presets / sizeof *presets; p++)
		if (strcmp(map, presets[p].name) == 0)
			return 0;
	struct stat st;
	const char *why = NULL;
	if (stat(map, &st) != 0 || access(map, R_OK) != 0)
		why = strerror(errno);
	else if (S_ISDIR(st.st_mode))
		why = "is a directory";
	if (why)
		mie_fatal("--map: \"%s\": neither a preset (organisations, bibliography) nor a "
		          "mapping file: %s",
		          map, why);
	return why ? -1 : 0;
}

static int load_map_file(csvrun *c, const char *path)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		mie_fatal("%s: cannot open the --map file: %s", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long no = 0;
	mie_buf k = MIE_BUF_INIT;
	while ((len = getline(&line, &cap, fp)) > 0) {
		no++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		char *eq = strchr(line, '=');
		if (!len || line[0] == '#')
			continue;
		if (!eq) {
			mie_fatal("%s:%ld: --map: expected \"Column = field\"", path, no);
			continue;
		}
		char *f = eq + 1;
		while (*f == ' ')
			f++;
		char *fe = f + strlen(f);
		while (fe > f && fe[-1] == ' ')
			*--fe = '\0';
		mie_buf_reset(&k);
		normalise(&k, line, (size_t)(eq - line));
		for (int i = 0; i < c->nheader; i++)
			if (strcmp(c->hnorm[i], k.data) == 0)
				c->fields[i] = strdup(f);
	}
	mie_buf_release(&k);
	free(line);
	fclose(fp);
	return 0;
}

static void choose_map(csvrun *c)
{
	const char *want = c->ctx->opt.map;
	c->fields = mie_xcalloc((size_t)c->nheader + 1, sizeof *c->fields);
	for (size_t p = 0; p < sizeof presets / sizeof *presets && !c->map; p++) {
		int hits = 0, title = 0;
		for (int i = 0; i < c->nheader; i++) {
			const char *f = preset_field(&presets[p], c->hnorm[i]);
			hits += f != NULL;
			title |= f && strcmp(f, "title") == 0;
		}
		if (want ? strcmp(want, presets[p].name) == 0 : title && hits >= 2)
			c->map = &presets[p];
	}
	if (c->map) {
		for (int i = 0; i < c->nheader; i++)
			c->fields[i] = preset_field(c->map, c->hnorm[i]);
		c->type = c->map->type;
		if (!want)
			mie_note_at(
			        c->where,
			        "header matches the \"%s\" columns: %s records (--map to choose)",
			        c->map->name, c->type);
		return;
	}
	c->type = "organisation";
	if (want && load_map_file(c, want) < 0) {
		c->unmapped = 1;
		return;
	}
	int title = 0;
	for (int i = 0; i < c->nheader; i++)
		title |= c->fields[i] && strcmp(c->fields[i], "title") == 0;
	if (title)
		return;
	c->unmapped = 1;
	if (want)
		mie_error_at(c->where, "the --map file maps no column to title (each record's "
		                       "name): nothing imported");
	else
		mie_error_at(c->where, "the header matches neither preset (organisations, "
		                       "bibliography): nothing imported; say which column is "
		                       "which with --map FILE (lines \"Column = field\")");
}

/* True when column i of the header may not leave (see the top comment). */
static int withheld(const csvrun *c, int i)
{
	return c->personal && i < c->nheader &&
	       (c->personal[i] == MIE_PRIVACY_CREDENTIAL ||
	        (c->personal[i] == MIE_PRIVACY_PERSONAL && !c->ctx->opt.keep_personal));
}

/* Classes the columns by the privacy rule (see the top comment). */
static void find_personal(csvrun *c)
{
	c->personal = mie_xcalloc((size_t)c->nheader + 1, 1);
	mie_buf names = MIE_BUF_INIT, secrets = MIE_BUF_INIT;
	for (int i = 0; i < c->nheader; i++) {
		mie_privacy_class k =
		        mie_privacy_column(c->map ? c->map->name : "csv", c->header[i]);
		if (c->fields[i] && k == MIE_PRIVACY_PERSONAL)
			k = MIE_PRIVACY_KEEP; /* a field of the record: public contact data */
		c->personal[i] = (unsigned char)k;
		if (k == MIE_PRIVACY_CREDENTIAL)
			mie_buf_addf(&secrets, "%s\"%s\"", secrets.len ? ", " : "", c->header[i]);
		else if (withheld(c, i))
			mie_buf_addf(&names, "%s\"%s\"", names.len ? ", " : "", c->header[i]);
	}
	if (secrets.len)
		mie_note_at(c->where, "credentials never exported: %s", secrets.data);
	if (names.len)
		mie_note_at(c->where,
		            "personal data of individuals not kept (--keep-personal to keep): %s",
		            names.data);
	mie_buf_release(&names);
	mie_buf_release(&secrets);
}

/* A header name repeated ("phase;…;phase"): the second column becomes
 * "phase_2", the third "phase_3"…, so that no column's cells overwrite
 * another's in extra; said once per column. */
static void rename_repeats(csvrun *c)
{
	char **named = mie_xcalloc((size_t)c->nheader + 1, sizeof *named);
	for (int i = 0; i < c->nheader; i++) {
		int k = 1;
		for (int j = 0; j < i; j++)
			k += strcmp(c->header[j], c->header[i]) == 0;
		mie_buf b = MIE_BUF_INIT;
		mie_buf_adds(&b, c->header[i]);
		if (k > 1) {
			mie_buf_addf(&b, "_%d", k);
			mie_note_at(c->where,
			            "column %d repeats the header name \"%s\": kept as \"%s\"",
			            i + 1, c->header[i], b.data);
		}
		named[i] = mie_buf_detach(&b, NULL);
	}
	for (int i = 0; i < c->nheader; i++) {
		free(c->header[i]);
		c->header[i] = named[i];
	}
	free(named);
}

static void take_header(csvrun *c)
{
	c->nheader = c->ncells;
	c->header = mie_xcalloc((size_t)c->ncells + 1, sizeof *c->header);
	c->hnorm = mie_xcalloc((size_t)c->ncells + 1, sizeof *c->hnorm);
	mie_buf b = MIE_BUF_INIT;
	for (int i = 0; i < c->ncells; i++) {
		mie_buf_reset(&b);
		mie_text_decode(&b, c->cells[i].data, c->cells[i].len, c->charset,
		                MIE_TEXT_ONE_LINE, NULL, NULL);
		c->header[i] = mie_xstrdup(b.data);
	}
	rename_repeats(c);
	for (int i = 0; i < c->ncells; i++) {
		mie_buf_reset(&b);
		normalise(&b, c->header[i], strlen(c->header[i]));
		c->hnorm[i] = mie_xstrdup(b.data);
	}
	mie_buf_release(&b);
	choose_map(c);
	find_personal(c);
}

/* ---- rows ---- */

static char *make_id(csvrun *c, const char *title)
{
	mie_buf slug = MIE_BUF_INIT;
	mie_text_slug(&slug, title, strlen(title));
	if (!slug.len)
		mie_buf_addf(&slug, "row-%ld", c->row_line);
	json_t *seen = json_object_get(c->slugs, slug.data);
	if (!seen) {
		json_object_set_new(c->slugs, slug.data, json_integer(1));
		char *id = mie_rec_make_id(c->host, c->type, slug.data);
		mie_buf_release(&slug);
		return id;
	}
	/* Taken: the first of SLUG-2, SLUG-3... that no row of the file has
	 * (as its own slug or as one given here), from where the last search
	 * for SLUG stopped. */
	long k = json_integer_value(seen);
	mie_buf cand = MIE_BUF_INIT;
	do {
		mie_buf_reset(&cand);
		mie_buf_addf(&cand, "%s-%ld", slug.data, ++k);
	} while (json_object_get(c->slugs, cand.data));
	json_object_set_new(c->slugs, slug.data, json_integer(k));
	json_object_set_new(c->slugs, cand.data, json_integer(1));
	char *taken = mie_rec_make_id(c->host, c->type, slug.data);
	char *id = mie_rec_make_id(c->host, c->type, cand.data);
	mie_loc at = *c->where;
	at.line = c->row_line;
	mie_note_at(&at, "id %s already given to an earlier row: this one is %s", taken, id);
	free(taken);
	mie_buf_release(&cand);
	mie_buf_release(&slug);
	return id;
}

/* The names of an authors cell, into the array names: split at ';', or
 * at ',' when every part is a name of two words or more ("Jean Dupont,
 * Marie Martin", not "Dupont, Jean"). */
static void split_names(const char *v, json_t *names)
{
	char sep = strchr(v, ';') ? ';' : ',';
	int ok = sep == ';';
	if (!ok) { /* ',': every part must hold a space inside it */
		ok = strchr(v, ',') != NULL;
		for (const char *p = v; ok && *p;) {
			size_t k = strcspn(p, ",");
			while (k && p[k - 1] == ' ')
				k--;
			size_t s = strspn(p, " ");
			ok = k > s && memchr(p + s, ' ', k - s) != NULL;
			p += strcspn(p, ",");
			p += *p == ',';
		}
	}
	for (const char *p = v; *p;) {
		size_t k = ok ? strcspn(p, (char[]){sep, 0}) : strlen(p);
		const char *b = p, *e = p + k;
		while (b < e && *b == ' ')
			b++;
		while (e > b && e[-1] == ' ')
			e--;
		if (e > b)
			json_array_append_new(names, json_stringn(b, (size_t)(e - b)));
		p += k;
		p += *p == sep;
	}
}

/* The id of the author or publisher record named `name` (type "author" or
 * "organisation"), written first when this file had not named it yet.
 * Returns the id (the caller frees it). */
static char *named_record(csvrun *c, const char *type, const char *name, const mie_loc *at)
{
	mie_buf slug = MIE_BUF_INIT;
	mie_text_slug(&slug, name, strlen(name));
	if (!slug.len)
		mie_buf_addf(&slug, "row-%ld", c->row_line);
	char *id = mie_rec_make_id(c->host, type, slug.data);
	mie_buf_release(&slug);
	if (!json_object_get(c->named, id)) {
		json_object_set_new(c->named, id, json_true());
		json_t *r = mie_rec_new(type, id);
		mie_rec_set_str(r, "title", name);
		if (strcmp(type, "organisation") == 0)
			mie_rec_set_str(r, "kind",
			                "\xC3\xA9"
			                "diteur");
		mie_rec_add_provenance(r, "csv", at, c->source_charset);
		mie_import_emit(c->ctx, "csv", strcmp(type, "author") ? "publishers" : "authors",
		                r);
	}
	return id;
}

/* The row as --rejects gets it: its cells, null for a withheld column's;
 * none when its cells do not line up with the header and some column may
 * not leave (which cell is whose is then in doubt). */
static json_t *raw_row(csvrun *c)
{
	json_t *row = json_object();
	json_object_set_new(row, "line", json_integer(c->row_line));
	int any = 0;
	for (int i = 0; i < c->nheader; i++)
		any |= withheld(c, i);
	if (any && c->ncells != c->nheader) {
		json_object_set_new(row, "cells_withheld", json_integer(c->ncells));
		return row;
	}
	json_t *cells = json_array();
	mie_buf b = MIE_BUF_INIT;
	for (int i = 0; i < c->ncells; i++) {
		if (withheld(c, i)) {
			json_array_append_new(cells, json_null());
			continue;
		}
		mie_buf_reset(&b);
		mie_text_decode(&b, c->cells[i].data, c->cells[i].len, c->charset, 0, NULL, NULL);
		json_array_append_new(cells, json_stringn(b.data, b.len));
	}
	mie_buf_release(&b);
	json_object_set_new(row, "cells", cells);
	return row;
}

static void reject(csvrun *c, const char *why)
{
	mie_loc at = *c->where;
	at.line = c->row_line;
	json_t *row = raw_row(c);
	mie_import_reject(c->ctx, "csv", c->map ? c->map->name : "csv", &at, NULL, row, why);
	json_decref(row);
}

static void handle_row(csvrun *c)
{
	if (!c->header) {
		take_header(c);
		return;
	}
	if (c->ncells == 1 && c->cells[0].len == 0)
		return; /* a blank line */
	if (c->unmapped) {
		c->skipped++;
		return;
	}
	if (c->too_many || c->ncells != c->nheader) {
		mie_buf why = MIE_BUF_INIT;
		int n = c->too_many ? MAX_COLS : c->ncells;
		mie_buf_addf(&why, "%d %s where the header has %d: row not imported", n,
		             mie_plural(n, "cell", "cells"), c->nheader);
		reject(c, why.data);
		mie_buf_release(&why);
		return;
	}
	mie_loc at = *c->where;
	at.line = c->row_line;
	json_t *rec = json_object();
	json_t *prov = json_object(); /* filled first, attached last */
	json_t *extra = json_object();
	mie_buf path = MIE_BUF_INIT;
	int title_col = -1;
	for (int i = 0; i < c->nheader; i++)
		if (c->fields[i] && strcmp(c->fields[i], "title") == 0 && title_col < 0)
			title_col = i;
	for (int i = 0; i < c->nheader; i++) {
		if (withheld(c, i)) { /* named on the record and in the summary */
			if (c->cells[i].len) {
				mie_buf_reset(&path);
				mie_buf_addf(&path, c->fields[i] ? "%s" : "extra.%s",
				             c->fields[i] ? c->fields[i] : c->header[i]);
				mie_privacy_note(prov, path.data, c->personal[i]);
				mie_import_withheld(c->ctx, &at, "csv",
				                    c->map ? c->map->name : "csv", c->header[i]);
			}
			continue;
		}
		const char *f = c->fields[i];
		int people = f && c->map && strcmp(c->map->name, "bibliography") == 0 &&
		             (!strcmp(f, "authors") || !strcmp(f, "publisher"));
		int known = f && (people || (strcmp(f, "authors") && strcmp(f, "publisher"))) &&
		            !json_object_get(rec, f);
		mie_buf_reset(&path);
		mie_buf_addf(&path, known ? "%s" : "extra.%s", known ? f : c->header[i]);
		mie_text_target t = {prov, path.data};
		mie_buf v = MIE_BUF_INIT;
		mie_text_decode(&v, c->cells[i].data, c->cells[i].len, c->charset,
		                known && strcmp(f, "title") == 0 ? MIE_TEXT_ONE_LINE : 0,
		                mie_text_repair_to_prov, &t);
		if (!v.len) {
			mie_buf_release(&v);
			continue;
		}
		const char *what;
		if (known && people) {
			json_t *names = json_array();
			if (strcmp(f, "authors") == 0)
				split_names(v.data, names);
			else
				json_array_append_new(names, json_string(v.data));
			size_t k;
			json_t *nm;
			json_array_foreach(names, k, nm)
			{
				char *id = named_record(
				        c, strcmp(f, "authors") ? "organisation" : "author",
				        json_string_value(nm), &at);
				mie_rec_add_unique(rec, strcmp(f, "authors") ? "links" : "authors",
				                   id);
				free(id);
			}
			json_decref(names);
		} else if (known && strcmp(f, "date_published") == 0) {
			char iso[MIE_DATE_MAX];
			size_t end;
			if (mie_date_w3c(v.data, iso) == MIE_DATE_OK ||
			    mie_date_french(v.data, v.len, iso, &end) == MIE_DATE_OK) {
				mie_rec_set_str(rec, f, iso);
			} else if (mie_date_partial(v.data, iso, &what) == MIE_DATE_OK) {
				mie_rec_set_str(rec, f, iso);
				mie_buf d = MIE_BUF_INIT;
				mie_buf_addf(&d,
				             "the source gives only the %s: its first day written",
				             what);
				char *orig = mie_rec_escape_bytes(v.data, v.len);
				mie_rec_add_repair(prov, "date-partial", f, d.data, orig);
				free(orig);
				mie_buf_release(&d);
			} else {
				mie_rec_set_str(extra, c->header[i], v.data);
			}
		} else {
			mie_rec_set_str(known ? rec : extra, known ? f : c->header[i], v.data);
		}
		mie_buf_release(&v);
	}
	const char *title = mie_rec_str(rec, "title");
	if (!title) {
		json_decref(rec);
		json_decref(prov);
		json_decref(extra);
		mie_buf_release(&path);
		reject(c, "no name in the title column: row not imported");
		return;
	}
	char *id = make_id(c, title);
	json_t *out = mie_rec_new(c->type, id);
	free(id);
	json_object_update(out, rec);
	json_decref(rec);
	if (json_object_size(extra))
		json_object_set(out, "extra", extra);
	json_decref(extra);
	json_t *p = mie_rec_add_provenance(out, "csv", &at, c->source_charset);
	json_object_update_missing(p, prov);
	json_decref(prov);
	mie_buf_release(&path);
	mie_import_emit(c->ctx, "csv", c->map ? c->map->name : "csv", out);
}

/* ---- detection ---- */

static const char *detect_charset(mie_input *in, int *bom)
{
	size_t n = 65536;
	const unsigned char *p = mie_input_peek(in, &n);
	*bom = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF;
	if (*bom)
		return "utf-8";
	size_t ok = mie_utf8_valid_prefix((const char *)p, n);
	if (ok == n || n - ok < 4)
		return "utf-8";
	/* Some bytes are not UTF-8: a file that also holds UTF-8 sequences
	 * is UTF-8 with some cells in windows-1252 (each such cell is
	 * decoded apart, with an "invalid-utf8" repair); else windows-1252. */
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = mie_utf8_decode(p + i, n - i, &cp);
		if (len > 1)
			return "utf-8";
		i += len ? len : 1;
	}
	return "windows-1252";
}

/* The delimiter of the header record, the first n bytes of the file: up
 * to its first line end outside quotes (a quoted name may span lines). */
static char detect_delim(const char *line, size_t n)
{
	int counts[3] = {0, 0, 0}, quoted = 0;
	const char cand[3] = {';', ',', '\t'};
	for (size_t i = 0; i < n; i++) {
		if (line[i] == '"')
			quoted = !quoted;
		if (!quoted && (line[i] == '\n' || line[i] == '\r'))
			break;
		for (int k = 0; k < 3 && !quoted; k++)
			counts[k] += line[i] == cand[k];
	}
	int best = 0;
	for (int k = 1; k < 3; k++)
		if (counts[k] > counts[best])
			best = k;
	return cand[best];
}

/* Lines ended by a CR alone: CRs and no LF in the first 64 KiB. */
static int cr_only(mie_input *in)
{
	size_t n = 65536;
	const unsigned char *p = mie_input_peek(in, &n);
	return n && memchr(p, '\r', n) && !memchr(p, '\n', n);
}

/* A UTF-16 file (its BOM, or --charset UTF-16*): decoded whole to UTF-8
 * into *u (at most MAX_UTF16 bytes read), so that cells are split on
 * characters, not bytes.  Returns the charset it was read as ("utf-16le"),
 * NULL when the file is not UTF-16; *u is left empty and -1 returned in
 * *st on a read error or a file too large (said). */
static const char *decode_utf16(csvrun *c, mie_input *in, mie_buf *u, int *st)
{
	const char *cs = c->ctx->opt.charset;
	size_t n = 4096;
	const unsigned char *head = mie_input_peek(in, &n);
	const char *bom = mie_text_utf16_bom(head, n);
	*st = 0;
	if (!bom && !cs) { /* no BOM: text whose every other byte is NUL */
		size_t zero[2] = {0, 0};
		for (size_t i = 0; i + 1 < n; i++)
			zero[i & 1] += head[i] == 0;
		if (n >= 8 && zero[1] * 10 >= n / 2 * 9 && !zero[0])
			cs = "utf-16le";
		else if (n >= 8 && zero[0] * 10 >= n / 2 * 9 && !zero[1])
			cs = "utf-16be";
	}
	if (!bom && !(cs && strncasecmp(cs, "utf-16", 6) == 0))
		return NULL;
	mie_buf raw = MIE_BUF_INIT;
	char chunk[65536];
	ssize_t r;
	while ((r = mie_input_read(in, chunk, sizeof chunk)) > 0 && raw.len <= MAX_UTF16)
		mie_buf_add(&raw, chunk, (size_t)r);
	if (r < 0 || raw.len > MAX_UTF16) {
		if (r >= 0)
			mie_import_reject(c->ctx, "csv", "csv", c->where, NULL, NULL,
			                  "UTF-16 file larger than 256 MiB: not read");
		*st = -1;
		mie_buf_release(&raw);
		return NULL;
	}
	size_t skip = bom ? 2 : 0;
	const char *as = bom ? bom : cs;
	mie_text_decode(u, raw.data ? raw.data + skip : "", raw.len - skip, as, 0, NULL, NULL);
	mie_buf_release(&raw);
	return as;
}

static int csv_sniff(const unsigned char *head, size_t n, const char *name)
{
	size_t k = name ? strlen(name) : 0;
	/* the stream is decompressed already: annuaire.csv.gz is a CSV */
	static const char *const packed[] = {".gz", ".bz2", ".xz", ".zst", NULL};
	for (int i = 0; packed[i]; i++) {
		size_t pl = strlen(packed[i]);
		if (k > pl && strcasecmp(name + k - pl, packed[i]) == 0) {
			k -= pl;
			break;
		}
	}
	if (k >= 4 && (strncasecmp(name + k - 4, ".csv", 4) == 0 ||
	               strncasecmp(name + k - 4, ".tsv", 4) == 0))
		return 50;
	return 0;
}

static int csv_read(mie_import *ctx, mie_input *in, const mie_loc *where)
{
	csvrun *c = mie_xcalloc(1, sizeof *c);
	c->ctx = ctx;
	c->where = where;
	int bom, st16;
	mie_buf u16 = MIE_BUF_INIT;
	const char *wide = decode_utf16(c, in, &u16, &st16);
	mie_input *mem =
	        wide ? mie_input_open_memory(u16.data ? u16.data : "", u16.len, mie_input_name(in))
	             : NULL;
	if (mem)
		in = mem; /* the decoded text, read as UTF-8 */
	c->charset = wide               ? "utf-8"
	             : ctx->opt.charset ? ctx->opt.charset
	                                : detect_charset(in, &bom);
	c->source_charset = wide ? wide : c->charset;
	for (int i = 0; i < MAX_COLS; i++)
		mie_buf_init(&c->cells[i]);
	c->slugs = json_object();
	c->named = json_object();
	c->host = mie_import_host(ctx->opt.site);
	if (!c->host)
		c->host = mie_xstrdup("infomie.net");
	csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_space_func(&c->p, keep_spaces);
	mie_buf line = MIE_BUF_INIT;
	int st, rc = st16;
	c->row_line = 1;
	if (cr_only(in))
		mie_input_cr_lines(in);
	if (rc == 0 && !ctx->opt.delimiter) {
		size_t hn = 65536;
		const unsigned char *h = mie_input_peek(in, &hn);
		size_t skip = hn >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		c->delim = detect_delim((const char *)h + skip, hn - skip);
	}
	while (rc == 0 && (st = mie_input_getline(in, &line, MAX_ROW_BYTES)) != MIE_LINE_EOF) {
		c->line++;
		/* a cut line is not judged; the complete lines before a cut are */
		if (st == MIE_LINE_ERROR || (mie_input_failed(in) && !mie_input_cut(in))) {
			rc = -1;
			break;
		}
		size_t skip =
		        c->line == 1 && line.len >= 3 && memcmp(line.data, "\xEF\xBB\xBF", 3) == 0
		                ? 3
		                : 0;
		if (c->line == 1) {
			if (ctx->opt.delimiter)
				c->delim = (char)ctx->opt.delimiter;
			csv_set_delim(&c->p, (unsigned char)c->delim);
			if (!ctx->opt.delimiter)
				mie_note_at(where, "delimiter '%s', charset %s",
				            c->delim == '\t' ? "\\t" : (char[]){c->delim, 0},
				            c->source_charset);
		}
		c->row_bytes += line.len;
		mie_buf_addc(&line, '\n');
		if (st == MIE_LINE_TOO_LONG || c->row_bytes > MAX_ROW_BYTES ||
		    csv_parse(&c->p, line.data + skip, line.len - skip, on_cell, on_row, c) !=
		            line.len - skip) {
			reject(c, st == MIE_LINE_TOO_LONG || c->row_bytes > MAX_ROW_BYTES
			                  ? "row longer than 16 MiB: not imported"
			                  : "malformed quoting: row not imported");
			csv_free(&c->p); /* start again at the next line */
			csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI);
			csv_set_space_func(&c->p, keep_spaces);
			csv_set_delim(&c->p, (unsigned char)c->delim);
			c->ncells = 0;
			c->row_bytes = 0;
			c->row_line = c->line + 1;
		}
	}
	if (rc == 0 && csv_fini(&c->p, on_cell, on_row, c) != 0)
		reject(c, "quote opened on this line is never closed: row not imported");
	if (c->skipped)
		mie_import_skip(ctx, "csv", "rows without a mapping", c->skipped);
	csv_free(&c->p);
	mie_buf_release(&line);
	mie_input_free(mem);
	mie_buf_release(&u16);
	for (int i = 0; i < MAX_COLS; i++)
		mie_buf_release(&c->cells[i]);
	for (int i = 0; i < c->nheader; i++) {
		free(c->header[i]);
		free(c->hnorm[i]);
		if (!c->map && c->fields[i])
			free((char *)c->fields[i]);
	}
	free(c->header);
	free(c->hnorm);
	free(c->fields);
	free(c->personal);
	json_decref(c->slugs);
	json_decref(c->named);
	free(c->host);
	free(c);
	return rc;
}

const mie_source mie_source_csv = {
        "csv", "CSV exports (directory of organisations, bibliography)", csv_sniff, csv_read, NULL,
        NULL};
