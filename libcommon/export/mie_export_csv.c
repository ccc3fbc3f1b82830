/* mie_export_csv.c — one CSV table per record type (RFC 4180 quoting).
 *
 * Where the tables go: -o naming a folder (existing, or ending in '/') or
 * a file ending in ".zip" gets one TYPE.csv per record type met (each file
 * atomic; in a zip, each table is spilled to a temporary file until the end,
 * since records of the types come interleaved); any other -o, or standard
 * output, gets one table: --type's, or the type of the first record.  The
 * records of the other types are skipped and reported.
 *
 * A cell is the value at its column's dotted path: a string as it is, a
 * number in JSON's spelling, true/false, empty when absent or null; an
 * array of scalars is joined with '|', each item's '\' and '|' escaped with
 * '\'; an object, or an array holding one, is its compact JSON.  A string
 * starting with '=', '+', '-', '@', tab or CR, which a spreadsheet would run
 * as a formula, gets a leading apostrophe (OWASP's advice): spreadsheets
 * show it as text, and people read the same value.
 *
 * --excel: a UTF-8 BOM, ';' between cells and CRLF after rows, as French
 * Excel and LibreOffice expect; without it UTF-8, ',' and LF. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "export/mie_export.h"
#include "io/mie_output.h"
#include "record/mie_record.h"
#include "core/mie_tmp.h"

enum { OPT_TYPE = 1, OPT_COLUMNS, OPT_EXCEL };
static const mie_option csv_options[] = {
        {OPT_TYPE, 0, "type", "TYPE", "write only the records of TYPE"},
        {OPT_COLUMNS, 0, "columns", "LIST", "columns, as dotted paths: id,title,text.plain"},
        {OPT_EXCEL, 0, "excel", NULL, "BOM, ';' and CRLF, as French spreadsheets expect"},
        {0, 0, NULL, NULL, NULL}};

/* The default columns of each record type (man/mie-export.1 lists them). */
static const struct {
	const char *type, *columns;
} defaults[] = {
        {"section", "id,title,lang,status,date_published,date_modified,rank,section,section_path,"
                    "documents,keywords,description.plain,text.plain,notes.plain,legacy.url"},
        {"article", "id,title,surtitle,subtitle,lang,status,date_published,date_modified,rank,"
                    "section,section_path,authors,keywords,documents,links,redirect,"
                    "description.plain,lead.plain,text.plain,ps.plain,notes.plain,legacy.url"},
        {"brief", "id,title,lang,status,date_published,date_modified,section,section_path,"
                  "authors,keywords,documents,links,lead.plain,text.plain,notes.plain,legacy.url"},
        {"author", "id,title,status,email,url,text.plain,legacy.url"},
        {"keyword", "id,title,group,description.plain"},
        {"keyword_group", "id,title,description.plain"},
        {"document", "id,title,date_published,file,mime,size,width,height,kind,url,section,"
                     "authors,description.plain"},
        {"site", "id,title,url,status,date_published,description.plain"},
        {"comment", "id,title,status,date_published,about,parent,author_name,author_email,ip,"
                    "text.plain"},
        {"organisation", "id,title,kind,address,postcode,city,country,phone,email,url,"
                         "description.plain"},
        {"dossier", "id,title,lang,status,date_published,section,section_path,authors,members,"
                    "description.plain,lead.plain,text.plain"},
        {"petition", "id,title,about,status,date_published,text.plain"},
        {"signature", "id,title,about,date_published,author_name,author_email,ip,text.plain"},
};
static const char default_other[] = "id,title";

/* One table: a record type and where its rows go. */
typedef struct table {
	char *type;     /* owned */
	char **columns; /* owned, NULL-terminated; columns[0..ncolumns) */
	char **carried; /* "type" + the columns, NULL-terminated; strings borrowed */
	size_t ncolumns;
	mie_output *out; /* owned (folder or single file), or NULL in a zip */
	FILE *fp;        /* out's file, or the zip spill (owned) */
	long rows;
} table;

typedef struct csv_state {
	enum { ONE_TABLE, FOLDER, ZIP } where;
	const char *output;    /* -o (borrowed) */
	const char *only_type; /* --type (borrowed), or NULL */
	const char *columns;   /* --columns (borrowed), or NULL */
	char sep;
	const char *eol;
	int excel;
	table *tables; /* owned */
	size_t ntables;
	mie_buf row, cell;
	int failed;
} csv_state;

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && strcmp(s + n - m, tail) == 0;
}

static int open_csv(const mie_export_opts *o, void **state)
{
	csv_state *s = mie_xcalloc(1, sizeof *s);
	s->output = o->output;
	s->only_type = o->opt[0];
	s->columns = o->opt[1];
	s->excel = o->opt[2] != NULL;
	s->sep = s->excel ? ';' : ',';
	s->eol = s->excel ? "\r\n" : "\n";
	struct stat st;
	if (o->output && ends_with(o->output, ".zip"))
		s->where = ZIP;
	else if (o->output &&
	         (ends_with(o->output, "/") || (stat(o->output, &st) == 0 && S_ISDIR(st.st_mode))))
		s->where = FOLDER;
	if (s->only_type && !mie_record_type_known(s->only_type)) {
		mie_fatal("--type: unknown record type \"%s\"", s->only_type);
		free(s);
		return -1;
	}
	if (s->columns && !*s->columns) {
		mie_fatal("--columns: no column named");
		free(s);
		return -1;
	}
	if (s->where == FOLDER && mkdir(o->output, 0777) != 0 && errno != EEXIST) {
		mie_fatal("%s: cannot create the folder: %s", o->output, strerror(errno));
		free(s);
		return -1;
	}
	mie_buf_init(&s->row);
	mie_buf_init(&s->cell);
	*state = s;
	return 0;
}

/* Splits a comma-separated list into a NULL-terminated owned array. */
static char **split_columns(const char *list, size_t *n)
{
	size_t cap = 8;
	char **v = mie_xmalloc(cap * sizeof *v);
	*n = 0;
	for (const char *p = list;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len) {
			if (*n + 2 > cap)
				v = mie_xrealloc(v, (cap *= 2) * sizeof *v);
			v[(*n)++] = mie_xstrndup(p, len);
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	v[*n] = NULL;
	return v;
}

static const char *default_columns(const char *type)
{
	for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
		if (strcmp(defaults[i].type, type) == 0)
			return defaults[i].columns;
	return default_other;
}

/* Appends one cell's text, quoted when it must be. */
static void add_cell(csv_state *s, const char *p, size_t n)
{
	int neutralise =
	        n && (*p == '=' || *p == '+' || *p == '-' || *p == '@' || *p == '\t' || *p == '\r');
	int quote = 0;
	for (size_t i = 0; i < n && !quote; i++)
		quote = p[i] == s->sep || p[i] == '"' || p[i] == '\n' || p[i] == '\r';
	if (!quote && !neutralise) {
		mie_buf_add(&s->row, p, n);
		return;
	}
	if (quote)
		mie_buf_addc(&s->row, '"');
	if (neutralise)
		mie_buf_addc(&s->row, '\'');
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			mie_buf_addc(&s->row, '"');
		mie_buf_addc(&s->row, p[i]);
	}
	if (quote)
		mie_buf_addc(&s->row, '"');
}

static int dump_cb(const char *p, size_t n, void *data)
{
	mie_buf_add(data, p, n);
	return 0;
}

/* The text of a scalar into s->cell (appended). Returns 0, or -1 when v is
 * an object or array. */
static int scalar_text(mie_buf *b, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING: mie_buf_add(b, json_string_value(v), json_string_length(v)); return 0;
	case JSON_TRUE: mie_buf_adds(b, "true"); return 0;
	case JSON_FALSE: mie_buf_adds(b, "false"); return 0;
	case JSON_NULL: return 0;
	case JSON_INTEGER:
	case JSON_REAL:
		json_dump_callback(v, dump_cb, b, JSON_ENCODE_ANY | mie_json_real_precision(v));
		return 0;
	default: return -1;
	}
}

/* The cell of value v (NULL: absent) into s->cell. */
static void cell_text(csv_state *s, const json_t *v)
{
	mie_buf_reset(&s->cell);
	if (!v || scalar_text(&s->cell, v) == 0)
		return;
	if (json_is_array(v)) {
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item)
		{
			if (json_is_object(item) || json_is_array(item))
				goto as_json;
		}
		mie_buf tmp = MIE_BUF_INIT;
		json_array_foreach(v, i, item)
		{
			if (i)
				mie_buf_addc(&s->cell, '|');
			mie_buf_reset(&tmp);
			scalar_text(&tmp, item);
			for (size_t k = 0; k < tmp.len; k++) {
				if (tmp.data[k] == '|' || tmp.data[k] == '\\')
					mie_buf_addc(&s->cell, '\\');
				mie_buf_addc(&s->cell, tmp.data[k]);
			}
		}
		mie_buf_release(&tmp);
		return;
	}
as_json:
	json_dump_callback(v, dump_cb, &s->cell, JSON_COMPACT | mie_json_real_precision(v));
}

static int write_out(csv_state *s, table *t, const char *p, size_t n)
{
	if (n && fwrite(p, 1, n, t->fp) != n) {
		mie_fatal("%s: write error: %s", t->out ? mie_output_name(t->out) : "(spill)",
		          strerror(errno));
		s->failed = 1;
		return -1;
	}
	return 0;
}

static table *new_table(csv_state *s, const char *type)
{
	mie_buf path = MIE_BUF_INIT;
	mie_output *out = NULL;
	FILE *fp = NULL;
	if (s->where == ZIP) {
		fp = mie_tmpfile();
	} else {
		if (s->where == FOLDER) {
			mie_buf_adds(&path, s->output);
			if (!ends_with(s->output, "/"))
				mie_buf_addc(&path, '/');
			mie_buf_addf(&path, "%s.csv", type);
		}
		out = mie_output_open(s->where == FOLDER ? path.data : s->output);
		fp = out ? mie_output_file(out) : NULL;
	}
	mie_buf_release(&path);
	if (!fp) {
		s->failed = 1;
		return NULL;
	}
	s->tables = mie_xrealloc(s->tables, (s->ntables + 1) * sizeof *s->tables);
	table *t = &s->tables[s->ntables++];
	t->type = mie_xstrdup(type);
	t->columns = split_columns(s->columns ? s->columns : default_columns(type), &t->ncolumns);
	t->carried = mie_xmalloc((t->ncolumns + 2) * sizeof *t->carried);
	t->carried[0] = "type";
	memcpy(t->carried + 1, t->columns, (t->ncolumns + 1) * sizeof *t->columns);
	t->out = out;
	t->fp = fp;
	t->rows = 0;
	/* the header row */
	mie_buf_reset(&s->row);
	if (s->excel)
		mie_buf_adds(&s->row, "\xEF\xBB\xBF");
	for (size_t i = 0; i < t->ncolumns; i++) {
		if (i)
			mie_buf_addc(&s->row, s->sep);
		add_cell(s, t->columns[i], strlen(t->columns[i]));
	}
	mie_buf_adds(&s->row, s->eol);
	write_out(s, t, s->row.data, s->row.len);
	return t;
}

static table *find_table(csv_state *s, const char *type)
{
	for (size_t i = 0; i < s->ntables; i++)
		if (strcmp(s->tables[i].type, type) == 0)
			return &s->tables[i];
	return NULL;
}

static const char *const *carries_csv(void *state, const char *type)
{
	table *t = find_table(state, type);
	return (const char *const *)t->carried;
}

static int put_csv(void *state, const json_t *rec, const mie_loc *loc)
{
	csv_state *s = state;
	const char *type = mie_rec_str(rec, "type");
	if (!type)
		type = "";
	table *t = find_table(s, type);
	if (!t) {
		if (s->only_type ? strcmp(type, s->only_type) != 0
		                 : s->where == ONE_TABLE && s->ntables)
			return MIE_EXPORT_SKIP;
		if (!(t = new_table(s, type)))
			return MIE_EXPORT_FATAL;
	}
	mie_buf_reset(&s->row);
	for (size_t i = 0; i < t->ncolumns; i++) {
		if (i)
			mie_buf_addc(&s->row, s->sep);
		cell_text(s, mie_export_path(rec, t->columns[i]));
		add_cell(s, s->cell.data, s->cell.len);
	}
	mie_buf_adds(&s->row, s->eol);
	t->rows++;
	return write_out(s, t, s->row.data, s->row.len) < 0 ? MIE_EXPORT_FATAL : MIE_EXPORT_OK;
}

/* Copies every spilled table into the zip at s->output. */
static int write_zip(csv_state *s)
{
	mie_output *out = mie_output_open(s->output);
	if (!out)
		return -1;
	struct archive *a = archive_write_new();
	archive_write_set_format_zip(a);
	int rc = archive_write_open_FILE(a, mie_output_file(out)) == ARCHIVE_OK ? 0 : -1;
	mie_buf name = MIE_BUF_INIT;
	char chunk[1 << 16];
	for (size_t i = 0; i < s->ntables && rc == 0; i++) {
		table *t = &s->tables[i];
		long size = ftell(t->fp);
		rewind(t->fp);
		mie_buf_reset(&name);
		mie_buf_addf(&name, "%s.csv", t->type);
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname_utf8(e, name.data);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, size);
		archive_entry_set_mtime(e, 0, 0);
		rc = archive_write_header(a, e) == ARCHIVE_OK ? 0 : -1;
		archive_entry_free(e);
		size_t n;
		while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, t->fp)) > 0)
			if (archive_write_data(a, chunk, n) != (la_ssize_t)n)
				rc = -1;
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		rc = -1;
	if (rc < 0)
		mie_fatal("%s: cannot write the zip: %s", s->output,
		          archive_error_string(a) ? archive_error_string(a) : "write error");
	archive_write_free(a);
	mie_buf_release(&name);
	if (rc < 0) {
		mie_output_abort(&out);
		return -1;
	}
	return mie_output_commit(&out);
}

static void free_csv(csv_state *s)
{
	for (size_t i = 0; i < s->ntables; i++) {
		table *t = &s->tables[i];
		for (size_t k = 0; k < t->ncolumns; k++)
			free(t->columns[k]);
		free(t->columns);
		free(t->carried);
		free(t->type);
		if (t->out)
			mie_output_abort(&t->out);
		else if (t->fp)
			fclose(t->fp);
	}
	free(s->tables);
	mie_buf_release(&s->row);
	mie_buf_release(&s->cell);
	free(s);
}

static int finish_csv(void *state)
{
	csv_state *s = state;
	int rc = 0;
	/* a run without records still writes the one table asked, header only */
	if (!s->ntables && s->where == ONE_TABLE && !s->failed)
		new_table(s, s->only_type ? s->only_type : "");
	if (s->failed || mie_exit_status() == MIE_EXIT_FATAL)
		rc = -1;
	else if (s->where == ZIP)
		rc = write_zip(s);
	else
		for (size_t i = 0; i < s->ntables; i++) {
			s->tables[i].fp = NULL; /* closed by the commit */
			if (mie_output_commit(&s->tables[i].out) < 0)
				rc = -1;
		}
	free_csv(s);
	return rc;
}

static void abort_csv(void *state)
{
	free_csv(state);
}

const mie_export_writer mie_export_csv = {
        .name = "csv",
        .summary = "one CSV table per record type",
        .options = csv_options,
        .loss_hint = "--columns to choose",
        .open = open_csv,
        .carries = carries_csv,
        .put = put_csv,
        .finish = finish_csv,
        .abort = abort_csv,
};
