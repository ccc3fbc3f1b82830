/* mie_stats.h — a summary of a record stream (mie-stats): counts per type,
 * status, language, section (as a tree) and year; date ranges; repairs by
 * kind; duplicates by method; withheld fields; text sizes.
 *
 * Invariants: one record at a time; what is held is one counter per
 * distinct value (types, statuses, languages, years, repair kinds...) and
 * per section (id, parent, title), so memory grows with the number of
 * sections, not of records.  The summary is one JSON object
 * (mie_stats_json); the text and the HTML page are drawn from that object
 * only, so the three say the same numbers.  Its shape:
 *   {"records": N, "types": {T: n}, "status": {S: n}, "lang": {L: n},
 *    "years": {"2006": n}, "dates": {"date_published": {"first", "last"},
 *    "date_modified": {...}}, "sections": [{"id", "title", "depth",
 *    "records" (in it), "total" (in its subtree)}] (tree order),
 *    "repairs": {KIND: n}, "duplicates": {METHOD: n, "merged": n},
 *    "withheld": {"TYPE.FIELD": n}, "text": {"records", "bytes", "mean",
 *    "largest": {"id", "bytes"}}}
 * counters sorted by count (most first) then name, years by year. */
#ifndef MIE_STATS_H
#define MIE_STATS_H

#include <jansson.h>
#include <stdio.h>

typedef struct mie_stats mie_stats;

/* A new, empty summary.  The caller owns it. */
mie_stats *mie_stats_new(void);
/* Frees *s and clears it; NULL is a no-op. */
void mie_stats_free(mie_stats **s);
/* Counts one record (borrowed). */
void mie_stats_add(mie_stats *s, const json_t *rec);
/* The summary so far, as above: a new reference. */
json_t *mie_stats_json(const mie_stats *s);

/* Writes the summary for people (text), from mie_stats_json's object. */
void mie_stats_write_text(const json_t *summary, FILE *out);
/* Writes one self-contained HTML page (no script, no external resource)
 * with SVG bar charts: records per year, per section, repairs by kind,
 * duplicates by method.  Every bar carries its numbers as attributes
 * (data-chart, data-key, data-value) and as text.  `title` is the page's
 * heading (borrowed). */
void mie_stats_write_html(const json_t *summary, const char *title, FILE *out);

#endif
