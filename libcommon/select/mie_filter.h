/* mie_filter.h — choosing records: mie-filter's criteria, and the closure
 * of references that makes a selection self-contained (a dossier).
 *
 * Invariants:
 *  - criteria of different kinds are ANDed, values of one kind ORed: a
 *    record matches when, for every kind given, one of its values holds;
 *    no criterion at all matches every record;
 *  - --section takes a whole subtree (the section and every section under
 *    it, and what they contain); it and --keyword / --author given by title
 *    depend on other records of the stream, so they need a first pass
 *    (mie_filter_needs_pass); everything else is decided on the record
 *    alone (mie_filter_match, streaming);
 *  - the two-pass form keeps, per record of the stream in order, its id
 *    hash, a flag byte and its references (9 bytes each): about 16 bytes
 *    plus 9 a reference, the bound of --with-refs and of the section
 *    index (documented in man/mie-filter.1).  Records themselves are not
 *    held: the caller reads them again (a spill) in the same order;
 *  - titles are compared in their comparison form (mie_fold.h), so
 *    "Acces a l'education" names "Accès à l’éducation". */
#ifndef MIE_FILTER_H
#define MIE_FILTER_H

#include <jansson.h>
#include <stddef.h>

#include "core/mie_buf.h"

typedef struct mie_filter mie_filter;

enum mie_filter_kind {
	MIE_FILTER_TYPE,    /* record type */
	MIE_FILTER_SECTION, /* section id or title: the subtree */
	MIE_FILTER_KEYWORD, /* keyword id or title */
	MIE_FILTER_AUTHOR,  /* author id or name */
	MIE_FILTER_SINCE,   /* date_published on or after YYYY[-MM[-DD]] */
	MIE_FILTER_UNTIL,   /* date_published on or before (the prefix given) */
	MIE_FILTER_LANG,
	MIE_FILTER_STATUS,
	MIE_FILTER_GREP,  /* POSIX extended regex over title and plain texts */
	MIE_FILTER_IDS,   /* a file of ids, one a line ('#' lines and blanks skipped) */
	MIE_FILTER_WHERE, /* FIELD=VALUE, FIELD a dotted path (legacy.table) */
	MIE_FILTER_KINDS
};

enum mie_filter_flags {
	MIE_FILTER_ICASE = 1 << 0, /* --grep ignores case */
	MIE_FILTER_FOLD = 1 << 1,  /* --grep ignores accents (marks stripped both sides) */
};

/* A new filter with no criterion.  The caller owns it. */
mie_filter *mie_filter_new(void);
/* Frees *f and sets it to NULL; NULL or *f NULL is a no-op. */
void mie_filter_free(mie_filter **f);

/* Adds a criterion (arg copied).  Returns 0, or -1 with the reason in why
 * ("not a date: \"2007-13\"", "unknown record type \"artcle\"", a file that
 * cannot be read has its message printed and why empty). */
int mie_filter_add(mie_filter *f, enum mie_filter_kind kind, const char *arg, mie_buf *why);
/* Compiles the patterns with `flags`; call once, after the last add.
 * Returns 0, or -1 with the regex error in why. */
int mie_filter_ready(mie_filter *f, unsigned flags, mie_buf *why);

/* 1 when some criterion depends on other records of the stream. */
int mie_filter_needs_pass(const mie_filter *f);

/* Streaming: does rec (borrowed) match?  Only when !mie_filter_needs_pass. */
int mie_filter_match(mie_filter *f, const json_t *rec);

/* Two passes.  First pass: every record of the stream, in order. */
void mie_filter_note(mie_filter *f, const json_t *rec);
/* Decides: matches every noted record, then, with `with_refs`, adds what
 * the selection refers to, transitively (every reference field of the
 * schema: sections up to the root, authors, keywords and their groups,
 * documents, what a comment is about...).  Returns the number of records
 * kept.  A --section value that names no section is said in a note. */
size_t mie_filter_plan(mie_filter *f, int with_refs);
/* Second pass, record i (0-based, in the order noted): 1 when it is
 * output.  mie_filter_selected: when it matched itself (not only brought
 * in as a reference). */
int mie_filter_kept(const mie_filter *f, size_t i);
int mie_filter_selected(const mie_filter *f, size_t i);

/* A dossier record {"type": "dossier", "id": "SITE:dossier:SLUG", "title",
 * "members", "provenance": [{"format": "mie-filter"}]}: SITE is the site of
 * the first member (or "local"), SLUG the title's comparison form with
 * '-' for spaces.  `members` (borrowed) is an array of id strings.  Returns
 * a new reference, or NULL when title is not valid UTF-8. */
json_t *mie_dossier_new(const char *title, const json_t *members);

#endif
