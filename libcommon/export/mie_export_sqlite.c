/* mie_export_sqlite.c — the records as a SQLite database, for sqlite3 and
 * Datasette.
 *
 * Layout, from the schema's field table (mie_schema_field_at), so a new
 * field gets its column without touching this file:
 *  - one table per record type (all thirteen, empty ones too, so the schema
 *    does not depend on the input), "id" its primary key; a string, date or
 *    id field is a TEXT column, a whole number INTEGER, a score REAL, a
 *    text F the columns F_plain and F_html, legacy its legacy_url, a list of
 *    strings (section_path) its JSON array; an id field naming one type
 *    (section, group, parent) references that table;
 *  - one link table TYPE_FIELD (article_authors...) per id list, columns
 *    TYPE_id (references TYPE), ITEM_id and position, the item referencing
 *    its type's table when the field names one type (authors, keywords,
 *    documents); links, members and merged_from may name any type or
 *    records of other streams: no reference there;
 *  - "json": the whole record as compact JSON, so nothing is lost;
 *  - "search": an FTS5 index of titles and plain texts, tokenizer
 *    `unicode61 remove_diacritics 2` (education finds éducation), columns
 *    id and type unindexed;
 *  - indexes on ids, dates and link items, built at the end.
 * PRAGMA foreign_key_check lists the references to records missing from the
 * stream (those mie-validate warns about).
 *
 * Written in one transaction to the temporary file of the output (journal
 * off: the file is not the target until renamed), renamed at the end. */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "export/mie_export.h"
#include "io/mie_output.h"
#include "record/mie_record.h"
#include "record/mie_schema.h"

/* The table an id field or id list names, when it names one type. */
static const char *ref_table(const char *field)
{
	static const char *const map[][2] = {{"section", "section"},  {"group", "keyword_group"},
	                                     {"parent", "comment"},   {"authors", "author"},
	                                     {"keywords", "keyword"}, {"documents", "document"}};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (strcmp(map[i][0], field) == 0)
			return map[i][1];
	return NULL;
}

/* The column name of a link table's item: authors -> author_id; a type
 * linking to its own kind (keyword_keywords) gets linked_keyword_id. */
static void item_column(mie_buf *b, const char *type, const char *field)
{
	const char *t = ref_table(field);
	if (t && strcmp(t, type) == 0)
		mie_buf_adds(b, "linked_");
	if (t && strcmp(field, "group") != 0)
		mie_buf_adds(b, t);
	else if (strcmp(field, "merged_from") == 0)
		mie_buf_adds(b, "merged");
	else
		mie_buf_add(b, field, strlen(field) - (field[strlen(field) - 1] == 's'));
	mie_buf_adds(b, "_id");
}

/* One column of a type table: what it holds. */
typedef struct column {
	const char *field;  /* the record member (static) */
	const char *member; /* for texts and legacy: the member inside, or NULL */
	int as_json;        /* the value's JSON text (section_path) */
} column;

typedef struct link {
	const char *field; /* static */
	sqlite3_stmt *ins; /* owned */
} link;

typedef struct type_table {
	const char *type; /* static (mie_record_types) */
	column *cols;     /* owned */
	size_t ncols;
	link *links; /* owned */
	size_t nlinks;
	sqlite3_stmt *ins; /* owned */
} type_table;

typedef struct sqlite_state {
	mie_output *out; /* owned: its temporary file is the database */
	sqlite3 *db;
	type_table types[16];
	size_t ntypes;
	sqlite3_stmt *search; /* owned */
	mie_buf sql, json;
	int failed;
} sqlite_state;

static int db_error(sqlite_state *s, const char *what)
{
	mie_fatal("%s: sqlite: %s: %s", mie_output_name(s->out), what, sqlite3_errmsg(s->db));
	s->failed = 1;
	return -1;
}

static int exec(sqlite_state *s, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	mie_fatal("%s: sqlite: %s", mie_output_name(s->out), msg ? msg : "error");
	sqlite3_free(msg);
	s->failed = 1;
	return -1;
}

static sqlite3_stmt *prepare(sqlite_state *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		db_error(s, "prepare");
	return st;
}

static void add_column(type_table *t, const char *field, const char *member, int as_json)
{
	t->cols = mie_xrealloc(t->cols, (t->ncols + 1) * sizeof *t->cols);
	t->cols[t->ncols++] = (column){field, member, as_json};
}

static void column_name(mie_buf *b, const column *c)
{
	mie_buf_adds(b, c->field);
	if (c->member)
		mie_buf_addf(b, "_%s", c->member);
}

/* Creates the table of one type, its link tables and their statements. */
static int create_type(sqlite_state *s, type_table *t)
{
	mie_buf *q = &s->sql;
	mie_buf_reset(q);
	mie_buf_addf(q, "CREATE TABLE \"%s\" (id TEXT PRIMARY KEY NOT NULL", t->type);
	mie_schema_field f;
	for (size_t i = 0; mie_schema_field_at(i, t->type, &f) >= 0; i++) {
		if (!mie_schema_field_at(i, t->type, &f) || strcmp(f.name, "type") == 0 ||
		    strcmp(f.name, "id") == 0)
			continue;
		const char *sqltype = "TEXT";
		size_t first = t->ncols;
		switch (f.kind) {
		case MIE_FIELD_STRING:
		case MIE_FIELD_ID: add_column(t, f.name, NULL, 0); break;
		case MIE_FIELD_INT:
			add_column(t, f.name, NULL, 0);
			sqltype = "INTEGER";
			break;
		case MIE_FIELD_NUMBER:
			add_column(t, f.name, NULL, 0);
			sqltype = "REAL";
			break;
		case MIE_FIELD_STRINGS: add_column(t, f.name, NULL, 1); break;
		case MIE_FIELD_TEXT:
			add_column(t, f.name, "plain", 0);
			add_column(t, f.name, "html", 0);
			break;
		case MIE_FIELD_OBJECT:
			if (strcmp(f.name, "legacy") == 0)
				add_column(t, f.name, "url", 0);
			break;
		case MIE_FIELD_IDS:
			t->links = mie_xrealloc(t->links, (t->nlinks + 1) * sizeof *t->links);
			t->links[t->nlinks++] = (link){f.name, NULL};
			break;
		}
		for (size_t c = first; c < t->ncols; c++) {
			mie_buf_adds(q, ", \"");
			column_name(q, &t->cols[c]);
			mie_buf_addf(q, "\" %s", sqltype);
			const char *ref = f.kind == MIE_FIELD_ID ? ref_table(f.name) : NULL;
			if (ref)
				mie_buf_addf(q, " REFERENCES \"%s\"(id)", ref);
		}
	}
	mie_buf_adds(q, ", json TEXT NOT NULL)");
	if (exec(s, q->data) < 0)
		return -1;
	mie_buf_reset(q);
	mie_buf_addf(q, "INSERT INTO \"%s\" VALUES (?", t->type);
	for (size_t c = 0; c <= t->ncols; c++)
		mie_buf_adds(q, ", ?");
	mie_buf_adds(q, ")");
	if (!(t->ins = prepare(s, q->data)))
		return -1;
	for (size_t l = 0; l < t->nlinks; l++) {
		const char *ref = ref_table(t->links[l].field);
		mie_buf item = MIE_BUF_INIT;
		item_column(&item, t->type, t->links[l].field);
		mie_buf_reset(q);
		mie_buf_addf(
		        q,
		        "CREATE TABLE \"%s_%s\" (\"%s_id\" TEXT NOT NULL REFERENCES \"%s\"(id), "
		        "\"%s\" TEXT NOT NULL",
		        t->type, t->links[l].field, t->type, t->type, item.data);
		if (ref)
			mie_buf_addf(q, " REFERENCES \"%s\"(id)", ref);
		mie_buf_addf(q, ", position INTEGER NOT NULL, PRIMARY KEY (\"%s_id\", position))",
		             t->type);
		int rc = exec(s, q->data);
		mie_buf_reset(q);
		mie_buf_addf(q, "INSERT INTO \"%s_%s\" VALUES (?, ?, ?)", t->type,
		             t->links[l].field);
		mie_buf_release(&item);
		if (rc < 0 || !(t->links[l].ins = prepare(s, q->data)))
			return -1;
	}
	return 0;
}

static int open_sqlite(const mie_export_opts *o, void **state)
{
	if (!o->output) {
		mie_fatal("sqlite: -o FILE is required (a database is not written to standard "
		          "output)");
		return -1;
	}
	mie_output *out = mie_output_open(o->output);
	if (!out)
		return -1;
	if (!mie_output_tmp_path(out)) {
		mie_fatal("%s: sqlite: not a regular file", o->output);
		mie_output_abort(&out);
		return -1;
	}
	sqlite_state *s = mie_xcalloc(1, sizeof *s);
	s->out = out;
	mie_buf_init(&s->sql);
	mie_buf_init(&s->json);
	*state = s;
	if (sqlite3_open_v2(mie_output_tmp_path(out), &s->db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		db_error(s, "open");
		return 0; /* failed: finish discards the output */
	}
	if (exec(s, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
	            "PRAGMA cache_size = -16384; PRAGMA foreign_keys = OFF; BEGIN") < 0)
		return 0;
	for (int i = 0; mie_record_types[i] && i < 16; i++) {
		type_table *t = &s->types[s->ntypes++];
		t->type = mie_record_types[i];
		if (create_type(s, t) < 0)
			return 0;
	}
	if (exec(s, "CREATE VIRTUAL TABLE search USING fts5(id UNINDEXED, type UNINDEXED, "
	            "title, text, tokenize = 'unicode61 remove_diacritics 2')") < 0)
		return 0;
	s->search = prepare(s, "INSERT INTO search VALUES (?, ?, ?, ?)");
	return 0;
}

static const char *const all_fields[] = {"*", NULL};

static const char *const *carries_sqlite(void *state, const char *type)
{
	return all_fields;
}

static int bind_text(sqlite3_stmt *st, int i, const json_t *v)
{
	if (json_is_string(v))
		return sqlite3_bind_text(st, i, json_string_value(v), (int)json_string_length(v),
		                         SQLITE_STATIC);
	if (json_is_integer(v))
		return sqlite3_bind_int64(st, i, json_integer_value(v));
	if (json_is_real(v))
		return sqlite3_bind_double(st, i, json_real_value(v));
	return sqlite3_bind_null(st, i);
}

static int step(sqlite_state *s, sqlite3_stmt *st, const json_t *rec, const mie_loc *loc)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_DONE)
		return MIE_EXPORT_OK;
	if (rc == SQLITE_CONSTRAINT) {
		mie_error_at(loc, "%s: sqlite: %s", mie_rec_id_or_dash(rec), sqlite3_errmsg(s->db));
		return MIE_EXPORT_BAD;
	}
	db_error(s, "insert");
	return MIE_EXPORT_FATAL;
}

static int dump_cb(const char *p, size_t n, void *data)
{
	mie_buf_add(data, p, n);
	return 0;
}

/* The record as JSON: its input line when at hand (line NULL: written). */
static int put_record(sqlite_state *s, const json_t *rec, const char *line, size_t n,
                      const mie_loc *loc)
{
	if (s->failed)
		return MIE_EXPORT_FATAL;
	const char *type = mie_rec_str(rec, "type");
	type_table *t = NULL;
	for (size_t i = 0; type && i < s->ntypes && !t; i++)
		if (strcmp(s->types[i].type, type) == 0)
			t = &s->types[i];
	const json_t *id = json_object_get(rec, "id");
	if (!t || !json_is_string(id)) {
		mie_error_at(loc, "%s: sqlite: not a record of schema v1 (type, id)",
		             mie_rec_id_or_dash(rec));
		return MIE_EXPORT_BAD;
	}
	if (!line) {
		mie_buf_reset(&s->json);
		json_dump_callback(rec, dump_cb, &s->json,
		                   JSON_COMPACT | mie_json_real_precision(rec));
		line = s->json.data;
		n = s->json.len;
	}
	sqlite3_stmt *st = t->ins;
	bind_text(st, 1, id);
	for (size_t c = 0; c < t->ncols; c++) {
		const column *col = &t->cols[c];
		const json_t *v = json_object_get(rec, col->field);
		if (col->member)
			v = json_object_get(v, col->member);
		if (col->as_json && v) {
			char *j = json_dumps(v, JSON_COMPACT);
			sqlite3_bind_text(st, (int)c + 2, j, -1, free);
		} else {
			bind_text(st, (int)c + 2, v);
		}
	}
	sqlite3_bind_text(st, (int)t->ncols + 2, line, (int)n, SQLITE_STATIC);
	int rc = step(s, st, rec, loc);
	if (rc != MIE_EXPORT_OK)
		return rc;
	for (size_t l = 0; l < t->nlinks; l++) {
		const json_t *ids = json_object_get(rec, t->links[l].field);
		for (size_t i = 0; i < json_array_size(ids); i++) {
			bind_text(t->links[l].ins, 1, id);
			bind_text(t->links[l].ins, 2, json_array_get(ids, i));
			sqlite3_bind_int64(t->links[l].ins, 3, (sqlite3_int64)i);
			if ((rc = step(s, t->links[l].ins, rec, loc)) == MIE_EXPORT_FATAL)
				return rc;
		}
	}
	bind_text(s->search, 1, id);
	sqlite3_bind_text(s->search, 2, type, -1, SQLITE_STATIC);
	bind_text(s->search, 3, json_object_get(rec, "title"));
	bind_text(s->search, 4, json_object_get(json_object_get(rec, "text"), "plain"));
	return step(s, s->search, rec, loc) == MIE_EXPORT_FATAL ? MIE_EXPORT_FATAL : MIE_EXPORT_OK;
}

static int put_sqlite(void *state, const json_t *rec, const mie_loc *loc)
{
	return put_record(state, rec, NULL, 0, loc);
}

static int put_line_sqlite(void *state, const json_t *rec, const char *line, size_t n,
                           const mie_loc *loc)
{
	return put_record(state, rec, line, n, loc);
}

/* The indexes, built once the rows are in (faster than row by row). */
static int create_indexes(sqlite_state *s)
{
	for (size_t i = 0; i < s->ntypes; i++) {
		type_table *t = &s->types[i];
		for (size_t c = 0; c < t->ncols; c++) {
			const char *f = t->cols[c].field;
			if (strncmp(f, "date_", 5) != 0 && !ref_table(f) && strcmp(f, "about") != 0)
				continue;
			mie_buf_reset(&s->sql);
			mie_buf_addf(&s->sql, "CREATE INDEX \"idx_%s_%s\" ON \"%s\"(\"%s\")",
			             t->type, f, t->type, f);
			if (exec(s, s->sql.data) < 0)
				return -1;
		}
		for (size_t l = 0; l < t->nlinks; l++) {
			mie_buf item = MIE_BUF_INIT;
			item_column(&item, t->type, t->links[l].field);
			mie_buf_reset(&s->sql);
			mie_buf_addf(&s->sql, "CREATE INDEX \"idx_%s_%s\" ON \"%s_%s\"(\"%s\")",
			             t->type, t->links[l].field, t->type, t->links[l].field,
			             item.data);
			mie_buf_release(&item);
			if (exec(s, s->sql.data) < 0)
				return -1;
		}
	}
	return 0;
}

static void close_db(sqlite_state *s)
{
	for (size_t i = 0; i < s->ntypes; i++) {
		type_table *t = &s->types[i];
		sqlite3_finalize(t->ins);
		for (size_t l = 0; l < t->nlinks; l++)
			sqlite3_finalize(t->links[l].ins);
		free(t->links);
		free(t->cols);
	}
	s->ntypes = 0;
	sqlite3_finalize(s->search);
	s->search = NULL;
	if (s->db && sqlite3_close(s->db) != SQLITE_OK && !s->failed)
		db_error(s, "close");
	s->db = NULL;
}

static void free_sqlite(sqlite_state *s)
{
	close_db(s);
	mie_output_abort(&s->out);
	mie_buf_release(&s->sql);
	mie_buf_release(&s->json);
	free(s);
}

static int finish_sqlite(void *state)
{
	sqlite_state *s = state;
	if (!s->failed && mie_exit_status() != MIE_EXIT_FATAL && create_indexes(s) == 0 &&
	    exec(s, "COMMIT") == 0)
		close_db(s);
	int rc = -1;
	if (!s->failed && !s->db && mie_exit_status() != MIE_EXIT_FATAL)
		rc = mie_output_commit(&s->out);
	free_sqlite(s);
	return rc;
}

static void abort_sqlite(void *state)
{
	free_sqlite(state);
}

const mie_export_writer mie_export_sqlite = {
        .name = "sqlite",
        .summary = "a SQLite database: a table per type, link tables, JSON, FTS5 search",
        .open = open_sqlite,
        .carries = carries_sqlite,
        .put = put_sqlite,
        .finish = finish_sqlite,
        .abort = abort_sqlite,
        .put_line = put_line_sqlite,
};
