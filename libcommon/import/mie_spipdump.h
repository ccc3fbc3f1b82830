/* mie_spipdump.h — the rows of a SPIP 1.9 database, whatever dump syntax
 * carried them, to records: the one path every SPIP dump reader feeds.
 *
 * A reader of one dump syntax (the XML backup in mie_spipdump_lex.c, a SQL
 * dump...) is a lexer: it cuts its input into rows and hands each one in
 * with mie_spipdump_row_begin / _column / _end.  From there a row takes
 * exactly the path of an XML-dump row: credential columns dropped (never
 * spilled, printed or rejected), link pairs, sections, document types and
 * spip_meta's adresse_site held, repeated slices (the same primary key
 * twice) detected, content rows spilled; after the last input the source's
 * finish() calls mie_spipdump_finish, which builds every record (ids,
 * references, section paths, legacy URLs) on --jobs threads, in row order.
 *
 * Invariants:
 * - One mie_spipdump per (import context, source): ctx->state[] of the
 *   source that mie_spipdump_of was given.  Its counts, rejects and records
 *   carry that source's name (provenance "format"); rows of two sources are
 *   two datasets (repeated slices are detected within one).
 * - Rows are independent of the order of tables (SPIP writes link tables
 *   first, spip_meta last) and of the cut between inputs: nothing is built
 *   before mie_spipdump_finish.
 * - A lexer holds at most one row; the state holds the bounded tables
 *   described in mie_spipdump_tables.c; the spill holds the content rows on
 *   disk.
 * - Not thread-safe: one reading thread; mie_spipdump_finish starts and
 *   joins its own workers. */
#ifndef MIE_SPIPDUMP_H
#define MIE_SPIPDUMP_H

#include <stddef.h>

#include "import/mie_import.h"

typedef struct mie_spipdump mie_spipdump;

/* The dump state of source src in ctx, created at the first call (it
 * lives in ctx->state[] until mie_spipdump_release).  Borrowed. */
mie_spipdump *mie_spipdump_of(mie_import *ctx, const mie_source *src);

/* Declares the site's address, as the XML dump's root element
 * (adresse_site="...") does: the first declaration wins, and a spip_meta
 * row "adresse_site" handed in before it wins too.  url[0..n) is copied. */
void mie_spipdump_declare_site(mie_spipdump *d, const char *url, size_t n);

/* Declares the charset of the values that follow, as the XML declaration
 * does ("iso-8859-1", "utf-8"...; copied): the one a row handed in with
 * charset NULL is read in.  The last declaration before finish wins for
 * those rows; a lexer whose charset changes within a dump (SET NAMES)
 * passes it with each row instead.  Undeclared: iso-8859-1. */
void mie_spipdump_declare_charset(mie_spipdump *d, const char *charset);

/* Says the dump is open and unfinished: `warning` (a static string, or
 * NULL once the dump's end marker is read) is printed by
 * mie_spipdump_finish when still set, e.g. "the dump ends without </SPIP>:
 * ...".  Unset at first. */
void mie_spipdump_set_unfinished(mie_spipdump *d, const char *warning);

/* Begins a row of table (e.g. "spip_articles"; copied), discarding a row
 * begun and not ended. */
void mie_spipdump_row_begin(mie_spipdump *d, const char *table);

/* Adds a column to the row begun: name[0..nlen) and value[0..vlen) are
 * copied.  value holds the raw bytes of the column, in the row's charset,
 * with the dump syntax's escaping undone (for the XML dump: &lt; and
 * &amp;; for SQL: the string escapes) and nothing else decoded: entities,
 * mojibake and charsets are the builder's.  A NUL byte in a value is read
 * as SUB (U+001A), which the text layer removes with a recorded repair.
 * A column the dump leaves out (an SQL NULL, say) is simply not added.
 * A name holds no NUL byte (a lexer drops or replaces one); names are
 * compared as bytes; a repeated name keeps its first value. */
void mie_spipdump_row_column(mie_spipdump *d, const char *name, size_t nlen, const char *value,
                             size_t vlen);

/* Ends the row and sends it down the common path (see the top).  at: where
 * the row starts (file, archive member, line; copied).  charset: of its
 * values (copied), NULL for the declared one.  index: the row's number
 * within its statement (1-based; 0: the syntax has none, as in the XML
 * dump); carried to the builder with the row (sd_row.index).  Returns
 * 0, or -1 on a fatal error (the spill could not be written; message
 * printed): the reader stops. */
int mie_spipdump_row_end(mie_import *ctx, mie_spipdump *d, const mie_loc *at, const char *charset,
                         long index);

/* Rejects a row of table the input ended inside (a cut last row), with
 * the message every dump reader gives it. */
void mie_spipdump_reject_cut(mie_import *ctx, mie_spipdump *d, const char *table,
                             const mie_loc *at);

/* Builds and writes every record of the rows handed in (call from the
 * source's finish(), once, after the last input; nothing to do when no
 * row came).  Returns 0 or -1 (output or spill error, message printed). */
int mie_spipdump_finish(mie_import *ctx, mie_spipdump *d);

/* Frees src's dump state in ctx (from the source's release()). */
void mie_spipdump_release(mie_import *ctx, const mie_source *src);

#endif
