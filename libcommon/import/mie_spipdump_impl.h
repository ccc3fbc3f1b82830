/* mie_spipdump_impl.h — internals shared by the mie_spipdump_*.c files
 * (not an API; lexers of other dump syntaxes use mie_spipdump.h).
 *
 * The files: _lex.c the XML backup's lexer and the "spip-dump" source;
 * _tables.c the row interface, the held tables, repeated slices and
 * finish; _spill.c a row's layout and the spill codec; _build.c a spilled
 * row to a record, built in batches on mie_pool.
 *
 * A row (sd_row) is its columns' names and raw values, each
 * NUL-terminated, in one buffer laid out as the spill writes them (a
 * 4-byte length, the bytes, a NUL: see sd_spill_write), so a row without
 * credentials is spilled with one copy; offset 0 is the empty string. */
#ifndef MIE_SPIPDUMP_IMPL_H
#define MIE_SPIPDUMP_IMPL_H

#include <stdint.h>
#include <stdio.h>

#include "core/mie_buf.h"
#include "core/mie_hash.h"
#include "import/mie_spipdump.h"
#include "io/mie_spool.h"
#include "record/mie_xref.h"

#define SD_MAX_ROW    ((size_t)256 << 20) /* one row; larger is rejected */
#define SD_N_CONTENTS 11                  /* entries of sd_contents[] */

typedef struct sd_col {
	size_t name, value, vlen; /* offsets into bytes; vlen: value's length */
	int credential;           /* held only to name a variant (sd_row_fnv) */
} sd_col;

/* One row, reused from row to row. */
typedef struct sd_row {
	mie_buf bytes; /* owned */
	sd_col *cols;  /* owned */
	size_t n, cap;
	/* from the spill (see sd_spill_next); offsets into bytes, 0: absent */
	size_t table, variant, file, member, charset;
	long line, index;
	int overlong;       /* a column name was cut at 256 bytes: the row is unreliable */
	int damaged;        /* a damaged tag: a column boundary is in doubt (the XML lexer) */
	size_t damaged_col; /* the column it was found in (offset of its name) */
} sd_row;

void sd_row_reset(sd_row *r);
/* Frees r's buffers and zeroes it (r itself is the caller's). */
void sd_row_release(sd_row *r);
/* Appends s[0..n) as a field; returns the offset of its bytes. */
size_t sd_row_put(sd_row *r, const char *s, size_t n);
/* Adds a column whose name is the field at offset name and whose value,
 * vlen bytes, is the field at offset value (both laid by sd_row_put, or
 * in place by a lexer). */
void sd_row_add(sd_row *r, size_t name, size_t value, size_t vlen, int credential);

static inline const char *sd_row_str(const sd_row *r, size_t off)
{
	return r->bytes.data + off;
}

/* The index of the first non-credential column called name, or -1. */
long sd_col_index(const sd_row *r, const char *name);
/* The raw value of that column, or NULL.  Borrowed from r. */
const char *sd_value(const sd_row *r, const char *name);
/* The FNV-1a of a row's values and names, credentials included, in their
 * order: names a differing copy of a key in its id (output format). */
uint64_t sd_row_fnv(const sd_row *r);

/* ---- the spill codec (mie_spipdump_spill.c) ---- */

/* What goes with a spilled row besides its columns (all borrowed; NULL
 * or "" for an absent string). */
typedef struct sd_spill_head {
	const char *table, *variant, *file, *member, *charset;
	long line, index;
} sd_spill_head;

/* Writes a row to s: head, then every non-credential column.  scratch is
 * the caller's buffer, reused.  Returns 0 or -1 (write error, printed by
 * mie_spool). */
int sd_spill_write(mie_spool *s, mie_buf *scratch, const sd_spill_head *h, const sd_row *r);
/* Reads the next spilled row into r (its head into r->table... ).  Returns
 * 1, 0 at end, -1 when the file is damaged.  Adds the row's bytes to
 * *bytes. */
int sd_spill_next(FILE *f, sd_row *r, size_t *bytes);

/* ---- the SPIP schema (mie_spipdump_tables.c) ---- */

/* Link tables: (table, column of the referenced object, its type, column
 * of the content object, its type, field of the record). */
typedef struct sd_link {
	const char *table, *ref_col, *ref_type, *obj_col, *obj_type, *field;
} sd_link;
extern const sd_link sd_links[];

/* Content tables: table, primary key, record type. */
typedef struct sd_content {
	const char *table, *key, *type;
} sd_content;
extern const sd_content sd_contents[SD_N_CONTENTS];
const sd_content *sd_content_of(const char *table);

/* A link row as two 64-bit words: the content object (its type's index
 * in sd_obj_type_index in the top byte, its id below) and the reference
 * (the link table's index in sd_links[] in the top byte, the referenced id
 * below).  Ids of 2^56 and more are not kept (no SPIP site has them).
 * Sorted, pairs of one object are adjacent, grouped by link table, then
 * by id. */
typedef struct sd_link_pair {
	uint64_t obj, ref;
} sd_link_pair;
#define SD_ID_BITS 56

int sd_obj_type_index(const char *type);
/* SPIP ids are whole numbers; anything else cannot make an id. */
int sd_is_number(const char *s);
/* s as an id below 2^56 into *id; 0 when it is none. */
int sd_parse_id(const char *s, uint64_t *id);

/* Repeated-slice detection for one content table: SPIP ids are dense
 * auto-increment numbers, so a row's 32-bit content hash (never 0) is kept
 * at index id: 4 bytes a row.  An id far beyond the rows seen (hostile or
 * odd dumps) goes to the sparse mie_xref instead, so memory stays bounded
 * by the number of rows, not by the largest id. */
/* A column name's answer of mie_privacy_is_credential, as d->cred holds it. */
struct sd_cred_memo {
	char name[32];
	int is;
};

typedef struct sd_seen {
	uint32_t *h;
	size_t cap;
	size_t rows;
	int sparse; /* some ids of this table went to the sparse table */
} sd_seen;

struct mie_spipdump {
	const char *source; /* the source's name, for counts and provenance */
	mie_spool *spill;   /* owned: rows as sd_spill_write writes them */
	mie_buf spilling;   /* the head of the row being spilled */
	sd_row *row;        /* the row being read (owned) */
	mie_buf table;      /* its table */
	/* column names already asked of mie_privacy_is_credential, by
	 * mie_hash_key of the name (see credential()) */
	mie_table cred;
	/* link pairs, 16 bytes each; sorted once before building */
	sd_link_pair *pairs;
	size_t npairs, cappairs;
	int pairs_sorted;
	sd_seen *dense;         /* per content table, by id: repeated slices */
	json_t *sections;       /* "3" -> {"title", "parent"} (owned) */
	json_t *types;          /* id_type -> mime (owned) */
	mie_xref *seen;         /* ids too sparse for `dense`, and variants (owned) */
	mie_buf people_table;   /* the last table asked of mie_privacy_people_table */
	int people;             /* its answer: the row being read is about people */
	char *site_url;         /* declared, or spip_meta's */
	char *charset;          /* declared */
	const char *unfinished; /* see mie_spipdump_set_unfinished */
	int has_rows;
	/* the XML lexer's: bytes of a row the last input ended inside */
	mie_buf carry;
	char *carry_file, *carry_member;
	long carry_line;
	int ended; /* </SPIP> was read */
};

/* A column whose name is the field at offset nm of d->row and whose
 * value's bytes were appended to d->row from offset at on, after a 4-byte
 * room for its length: NUL bytes read as SUB, the length set, the NUL
 * added, the credential flag set, the column added. */
void sd_col_end(mie_spipdump *d, size_t nm, size_t at);

/* The local id of a table_row (a row of a table with no record type):
 * its numeric id and id_* columns joined by '-', else "l" LINE["-"
 * INDEX]; spip_meta's rows by their nom.  Into out (reset first). */
void sd_generic_key(const sd_row *cols, const char *table, long line, long index, mie_buf *out);

/* Rejects d->row (intact, read at `at`, in `charset`, NULL: the dump's)
 * with `why`: --rejects gets the values of the columns that may leave by
 * mie_privacy.h, decoded, and the names of the others. */
void sd_reject_row(mie_import *ctx, mie_spipdump *d, const mie_loc *at, const char *charset,
                   const char *why);
/* Rejects d->row, whose structure is damaged, whole: --rejects gets its
 * column names (escaped), never a value. */
void sd_reject_damaged(mie_import *ctx, mie_spipdump *d, const mie_loc *at, const char *why);

/* ---- building (mie_spipdump_build.c) ---- */

/* Builds every spilled row of f into records written to ctx, in row
 * order, on mie_import_jobs threads.  host: for ids; site_url: with a
 * final '/'.  Returns 0 or -1. */
int sd_build_all(mie_import *ctx, mie_spipdump *d, FILE *f, const char *host, const char *site_url);

#endif
