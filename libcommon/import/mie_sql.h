/* mie_sql.h — a streaming lexer for SQL dumps of a MySQL database
 * (mysqldump, mariadb-dump, phpMyAdmin's export): it turns the rows of the
 * dump's INSERT statements into (table, column names, raw values), and
 * never executes anything.
 *
 * Read: CREATE TABLE (column names, types, CHARACTER SET / COLLATE, the
 * table's DEFAULT CHARSET), INSERT [IGNORE] / REPLACE [INTO] t [(cols)]
 * VALUES (...),(...); in both mysqldump forms, SET NAMES / SET
 * character_set_client (with the @saved_cs_client variables mysqldump
 * saves them in) and sql_mode's NO_BACKSLASH_ESCAPES.  Literals: strings
 * '...' and "..." with MySQL's escapes (\0 \' \" \b \n \r \t \Z \\, and
 * \% \_ kept with their backslash, doubled quotes), adjacent strings
 * joined, _charset introducers (_binary, _latin1...), N'...', hex
 * (0x41, X'41'), bit (b'01', 0b01), numbers, NULL, TRUE/FALSE.  Comments
 * -- (followed by a space), #, and block comments; versioned comments
 * (MySQL's, MariaDB's) are read as the SQL they hold.  Statements kept
 * quiet because they change nothing a dump's reader needs: DROP TABLE,
 * LOCK/UNLOCK TABLES, ALTER TABLE, USE, CREATE DATABASE, transactions;
 * any other statement (LOAD DATA, DROP DATABASE, UPDATE...) is reported
 * and skipped.
 *
 * Memory: one row (its values) and the statement's column list; a
 * statement is bounded by MIE_SQL_MAX_STATEMENT bytes, past which its
 * remaining rows are reported and skipped (the server would refuse it too:
 * max_allowed_packet).  The schema (CREATE TABLE) of every table is kept,
 * in a mie_sql_schema that outlives one input so a dump split in files
 * keeps its column names.
 *
 * Messages: the lexer prints the warnings about statements (skipped
 * statements, nested comments, a cut statement); rows it cannot hand over
 * are returned as MIE_SQL_BAD_ROW with the reason, for the caller to count
 * and report. */
#ifndef MIE_SQL_H
#define MIE_SQL_H

#include <stddef.h>

#include "core/mie_buf.h"
#include "core/mie_err.h"
#include "io/mie_input.h"

/* The longest statement read: MariaDB's default max_allowed_packet, the
 * longest a default server accepts (mysqldump's statements are about
 * 1 MiB, a row whole when it is longer). */
#define MIE_SQL_MAX_STATEMENT ((size_t)16 << 20) /* 16 MiB */

/* What kind of column a CREATE TABLE declared. */
enum mie_sql_type {
	MIE_SQL_OTHER = 0, /* numbers, dates, unknown: ASCII, no charset */
	MIE_SQL_TEXT,      /* CHAR, VARCHAR, *TEXT, ENUM, SET: bytes in `charset` */
	MIE_SQL_BLOB,      /* BINARY, VARBINARY, *BLOB, BIT: bytes as they are */
};

typedef struct mie_sql_column {
	char *name; /* owned */
	enum mie_sql_type type;
	char charset[24]; /* MySQL's name ("latin1", "utf8mb4"); "" = not said */
} mie_sql_column;

typedef struct mie_sql_table {
	char *name;        /* owned, without quotes or database */
	char charset[24];  /* DEFAULT CHARSET, "" = not said */
	mie_sql_column *c; /* owned */
	size_t n;
} mie_sql_table;

/* The CREATE TABLEs read so far (caller-owned struct: init/release). */
typedef struct mie_sql_schema {
	mie_sql_table *t; /* owned */
	size_t n;
} mie_sql_schema;

void mie_sql_schema_init(mie_sql_schema *s);
void mie_sql_schema_release(mie_sql_schema *s);
/* The table called name (ASCII case-insensitive), or NULL; borrowed,
 * lives until the schema changes. */
const mie_sql_table *mie_sql_schema_find(const mie_sql_schema *s, const char *name);

enum mie_sql_kind {
	MIE_SQL_NULL = 0,
	MIE_SQL_STRING, /* a string literal: the bytes the column holds (see mie_sql_value) */
	MIE_SQL_BYTES,  /* hex, bit or _binary: bytes as they are */
	MIE_SQL_NUMBER, /* the literal's text ("-12", "1.5e3"); TRUE/FALSE as "1"/"0" */
};

/* A value.  A string literal is in the client's charset (SET NAMES) or its
 * introducer's (_latin1'...'); the server converts it to its column's
 * charset (CREATE TABLE): the lexer does the same, between latin1 (MySQL's:
 * windows-1252 with its five undefined bytes kept; a character it lacks
 * becomes '?', as the server stores it) and utf8/utf8mb4, so `data` holds
 * what the database held.  Other charsets, and columns of no known
 * declaration, get the literal's bytes as they are. */
typedef struct mie_sql_value {
	const char *data; /* unescaped bytes, NUL-terminated, may hold NULs; borrowed */
	size_t len;
	enum mie_sql_kind kind;
	const char *charset;        /* for MIE_SQL_STRING: MySQL's name of data's charset */
	const mie_sql_column *decl; /* the column's CREATE TABLE declaration, or NULL */
} mie_sql_value;

/* One row.  Everything is borrowed until the next mie_sql_next. */
typedef struct mie_sql_row {
	const char *table;
	size_t n;                    /* columns */
	const char *const *names;    /* n names */
	const size_t *name_lens;     /* their lengths */
	const mie_sql_value *values; /* n values */
	long line;                   /* the line the statement starts on */
	long index;                  /* the row's rank in its statement, from 1 */
	const char *why;             /* MIE_SQL_BAD_ROW: why it cannot be read */
} mie_sql_row;

enum {
	MIE_SQL_END = 0,     /* end of input */
	MIE_SQL_ROW = 1,     /* *row is a row */
	MIE_SQL_BAD_ROW = 2, /* *row names a row that cannot be read (table, line, index, why;
	                        names and values may be missing) */
	MIE_SQL_ERROR = -1,  /* the input could not be read (message printed) */
};

typedef struct mie_sql mie_sql;

/* A lexer reading in (borrowed, must outlive it) located at where
 * (borrowed), adding the CREATE TABLEs it reads to schema (borrowed).  The
 * caller owns the result (mie_sql_free). */
mie_sql *mie_sql_new(mie_input *in, const mie_loc *where, mie_sql_schema *schema);
/* Frees *s and clears it; NULL and *s == NULL are no-ops. */
void mie_sql_free(mie_sql **s);

/* Reads up to the next row.  Returns MIE_SQL_ROW, MIE_SQL_BAD_ROW,
 * MIE_SQL_END or MIE_SQL_ERROR. */
int mie_sql_next(mie_sql *s, mie_sql_row *row);

/* Where a warning about a statement goes instead of stderr (text borrowed
 * for the call; at borrowed, its file and member live as long as the
 * lexer's `where`), for a lexer run on another thread than its rows'
 * reader, which prints it in its turn with mie_sql_say.  say NULL: printed
 * at once (the default). */
typedef void (*mie_sql_say_fn)(void *ctx, const mie_loc *at, const char *text);
void mie_sql_set_say(mie_sql *s, mie_sql_say_fn say, void *ctx);
/* Prints a lexer's warning (exit status 1), as the lexer does itself. */
void mie_sql_say(const mie_loc *at, const char *text);

/* After MIE_SQL_END: 1 when the input ended inside a statement, or when
 * it began like mysqldump's output but lacks its "-- Dump completed"
 * line (the dump was cut; message printed). */
int mie_sql_cut(const mie_sql *s);
/* 1 once the dump said which charset its client used (SET NAMES...). */
int mie_sql_has_client_charset(const mie_sql *s);
/* Sets the client charset assumed until the dump says one ("utf8mb4"...;
 * default "latin1": a dump without SET NAMES was loaded byte for byte). */
void mie_sql_set_client_charset(mie_sql *s, const char *charset);

/* Charsets as the conversions know them. */
enum { MIE_SQL_CS_AS_IS = 0, MIE_SQL_CS_LATIN1, MIE_SQL_CS_UTF8 };
/* MIE_SQL_CS_LATIN1 for "latin1", MIE_SQL_CS_UTF8 for "utf8", "utf8mb3",
 * "utf8mb4" (any case), else MIE_SQL_CS_AS_IS (binary, ascii, others,
 * NULL, ""). */
int mie_sql_charset_class(const char *name);

/* How sure the first bytes (head[0..n), name may be NULL) are an SQL
 * dump: 0 (no) to 95 (a dump tool's header). */
int mie_sql_sniff(const unsigned char *head, size_t n, const char *name);

#endif
