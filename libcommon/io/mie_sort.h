/* mie_sort.h — sorting lines larger than memory: lines are gathered up to a
 * budget, sorted, written to a spill as a run (mie_tmp.h), and the runs
 * merged when read back.
 *
 * Invariants: a line is any bytes without LF; lines compare as bytes up to
 * their first TAB (the key), then as whole lines, so the order is total and
 * does not depend on the budget; memory is the budget plus one buffer per
 * run when merging (runs = input / budget).  The caller owns the sorter:
 * mie_sort_new / mie_sort_free. */
#ifndef MIE_SORT_H
#define MIE_SORT_H

#include <stddef.h>

typedef struct mie_sort mie_sort;

/* budget: bytes of lines held before a run is spilled (0 = 64 MiB). */
mie_sort *mie_sort_new(size_t budget);
/* Frees *s and clears it; NULL is a no-op. */
void mie_sort_free(mie_sort **s);
/* Adds a line (copied).  Returns 0, or -1 on a spill error (said, exit
 * status 2). */
int mie_sort_add(mie_sort *s, const char *line, size_t n);
/* After the last add: the lines in order.  Returns 1 and sets *line
 * (borrowed until the next call, NUL-terminated) and *n; 0 at the end; -1
 * on a spill error (said). */
int mie_sort_next(mie_sort *s, const char **line, size_t *n);

#endif
