/* mie_src_sql.c — SQL dumps of a SPIP database (mysqldump, mariadb-dump,
 * phpMyAdmin) to records, offline: mie never runs the SQL.
 *
 * The lexer (mie_sql.h) hands over each row of each INSERT, its values
 * turned back into the bytes the database held; this file hands the row
 * to the path every SPIP dump reader feeds (mie_spipdump.h): the same
 * credential filter, held tables, repeated slices, spill and builders as
 * the XML backup, so one site read from its XML dump and from its SQL dump
 * gives the same records (provenance aside).
 *
 * The bytes a column held: a dump's string literal is in the client's
 * charset (SET NAMES, an introducer), which the server converted into the
 * column's (CREATE TABLE's CHARACTER SET, or the table's DEFAULT CHARSET);
 * the lexer makes that conversion, so a UTF-8 site whose text sits in latin1
 * columns (SPIP 1.9 sends no SET NAMES), dumped by a mysqldump that
 * converts latin1 to utf8mb4 (its default: "Ã©" in the file), comes back as
 * the UTF-8 bytes SPIP stored, and its XML backup's bytes.  MySQL's latin1
 * is windows-1252 with the five bytes it leaves undefined kept
 * (mie_cp1252_to_ucs).  BLOB columns, hex and _binary literals are bytes
 * as they are.  Text that was already double-encoded in the database stays
 * so here, and the builder repairs it with a recorded repair, as for the
 * XML dump.
 *
 * The charset the builder reads values in: UTF-8 for utf8/utf8mb4
 * columns; for latin1 columns (SPIP's), the site's charset: spip_meta's
 * "charset" row (mysqldump writes spip_meta after the content tables: the
 * declaration counts until the end), else UTF-8, whose reading falls back
 * to windows-1252 per field on bytes that are not UTF-8.
 *
 * Bounded: one row in memory (the lexer's), statements of at most
 * MIE_SQL_MAX_STATEMENT bytes.  The CREATE TABLEs of one input are known
 * in that input only. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/mie_import.h"
#include "import/mie_spipdump.h"
#include "import/mie_sql.h"
#include "text/mie_text.h"

#define SOURCE "sql"

extern const mie_source mie_source_sql;

/* The charset the builder reads the row in: NULL (the site's, declared)
 * for latin1 columns, "utf-8" for a row of utf8 columns only. */
static const char *row_charset(const mie_sql_row *r)
{
	int utf8 = 0;
	for (size_t i = 0; i < r->n; i++) {
		const mie_sql_column *c = r->values[i].decl;
		if (!c || c->type != MIE_SQL_TEXT)
			continue;
		if (mie_sql_charset_class(c->charset) != MIE_SQL_CS_UTF8)
			return NULL;
		utf8 = 1;
	}
	return utf8 ? "utf-8" : NULL;
}

/* spip_meta's "charset" row declares the site's charset. */
static void meta_charset(mie_spipdump *d, const mie_sql_row *r)
{
	const char *nom = NULL, *val = NULL;
	size_t vlen = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->names[i], "nom") == 0)
			nom = r->values[i].data;
		else if (strcmp(r->names[i], "valeur") == 0)
			val = r->values[i].data, vlen = r->values[i].len;
	}
	if (nom && val && strcmp(nom, "charset") == 0 && vlen && vlen < 40) {
		char cs[40];
		memcpy(cs, val, vlen);
		cs[vlen] = '\0';
		mie_spipdump_declare_charset(d, cs);
	}
}

static int sql_read(mie_import *ctx, mie_input *in, const mie_loc *where)
{
	int first = !ctx->state[mie_import_source_index(&mie_source_sql)];
	mie_spipdump *d = mie_spipdump_of(ctx, &mie_source_sql);
	if (first) /* until spip_meta says otherwise (see the top) */
		mie_spipdump_declare_charset(d, "utf-8");
	mie_sql_schema schema;
	mie_sql_schema_init(&schema);
	mie_sql *s = mie_sql_new(in, where, &schema);
	mie_sql_row row;
	int r, rc = 0;
	while (rc == 0 && (r = mie_sql_next(s, &row)) > 0) {
		mie_loc at = {where->file, where->member, row.line};
		if (r == MIE_SQL_BAD_ROW) {
			mie_buf why = MIE_BUF_INIT;
			mie_buf_addf(&why, "row %ld of the statement: %s", row.index, row.why);
			mie_import_reject(ctx, SOURCE, row.table, &at, NULL, NULL, why.data);
			mie_buf_release(&why);
			continue;
		}
		if (strcmp(row.table, "spip_meta") == 0)
			meta_charset(d, &row);
		mie_spipdump_row_begin(d, row.table);
		/* values are the bytes the database held (the lexer undid the
		 * client's charset); NULL is an empty value, as SPIP's XML backup
		 * writes it */
		for (size_t i = 0; i < row.n; i++)
			mie_spipdump_row_column(d, row.names[i], row.name_lens[i],
			                        row.values[i].data, row.values[i].len);
		rc = mie_spipdump_row_end(ctx, d, &at, row_charset(&row), row.index);
	}
	if (rc == 0 && r < 0)
		rc = -1;
	mie_sql_free(&s);
	mie_sql_schema_release(&schema);
	return rc;
}

static int sql_finish(mie_import *ctx)
{
	if (!ctx->state[mie_import_source_index(&mie_source_sql)])
		return 0;
	return mie_spipdump_finish(ctx, mie_spipdump_of(ctx, &mie_source_sql));
}

static void sql_release(mie_import *ctx)
{
	mie_spipdump_release(ctx, &mie_source_sql);
}

static int sql_sniff(const unsigned char *head, size_t n, const char *name)
{
	return mie_sql_sniff(head, n, name);
}

const mie_source mie_source_sql = {
        SOURCE,     "SQL dumps of a SPIP database (mysqldump, phpMyAdmin; .sql, .gz)",
        sql_sniff,  sql_read,
        sql_finish, sql_release};
