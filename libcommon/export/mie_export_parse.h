/* mie_export_parse.h — JSON Lines records parsed faster, for the export's
 * readers (mie_export_read.c).
 *
 * Invariant: mie_export_parse_line accepts exactly the lines
 * mie_jsonl_parse accepts and gives the same records (same members, same
 * order, same values); a line it is not sure of is parsed by
 * mie_jsonl_parse itself, so refusals and their words are that function's.
 * Pure, reentrant (the export's worker threads call it). */
#ifndef MIE_EXPORT_PARSE_H
#define MIE_EXPORT_PARSE_H

#include <jansson.h>
#include <stddef.h>

#include "core/mie_buf.h"

/* As mie_jsonl_parse (mie_jsonl.h): MIE_JSONL_OK (*rec a new reference),
 * MIE_JSONL_BLANK or MIE_JSONL_BAD (why appended to `why`). */
int mie_export_parse_line(const char *p, size_t n, int first, json_t **rec, mie_buf *why);

/* The fast path alone, on a trimmed line: the record (a new reference), or
 * NULL when it is not sure (the line may still be valid). */
json_t *mie_export_parse_fast(const char *p, size_t n);

#endif
