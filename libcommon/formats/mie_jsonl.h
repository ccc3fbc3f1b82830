/* mie_jsonl.h — what a JSON Lines record is, in one place.
 *
 * mie_jsonl_parse is the definition every path that reads JSON Lines
 * follows (the stream reader, dedup's fast scanner when it is not sure):
 * one JSON object per line, strict UTF-8, no duplicate key, no NUL, no
 * text after the object, a final CR and, on the first line, a UTF-8 BOM
 * ignored.  A faster scanner must accept exactly the lines it accepts. */
#ifndef MIE_JSONL_H
#define MIE_JSONL_H

#include <jansson.h>
#include <stddef.h>

#include "core/mie_buf.h"

/* Lines longer than this are refused without being held whole. */
#define MIE_JSONL_MAX_LINE ((size_t)256 << 20)

/* Drops what a line may carry around its JSON: a UTF-8 BOM when it is the
 * input's first line, a final CR.  Returns the new length, 0 when only
 * blanks (space, TAB) are left. */
size_t mie_jsonl_trim(const char **p, size_t *n, int first);

enum { MIE_JSONL_BLANK = 0, MIE_JSONL_OK = 1, MIE_JSONL_BAD = -1 };
/* Parses one line (p, n bytes, without its LF; `first` when it is the
 * input's first line).  MIE_JSONL_OK: *rec is a new reference;
 * MIE_JSONL_BLANK: only blanks; MIE_JSONL_BAD: why (appended to `why`). */
int mie_jsonl_parse(const char *p, size_t n, int first, json_t **rec, mie_buf *why);

#endif
