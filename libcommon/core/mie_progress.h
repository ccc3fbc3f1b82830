/* mie_progress.h — one progress line on stderr, named after its tool:
 *   mie-validate: 12 345 records, 40 %, 3.1 MB/s, ETA 0:12
 *   mie-dedup: clustering: 80 000 records, 61 %, ETA 0:03
 *   mie-import: 1 204 records, 9 312 records/s, 2.4 MB/s
 * A percentage and an ETA when the size of the work is known (input bytes,
 * or records in a later phase), records/s and MB/s otherwise.
 *
 * Who shows it, so that the tools of a pipeline never overwrite each
 * other's lines:
 *   - by default (MIE_PROGRESS_AUTO) only a tool whose stderr is a terminal
 *     and whose stdout is not a pipe: the last tool of a pipeline.  It draws
 *     one line, redrawn in place (\r, ESC[K) at most 4 times a second and
 *     erased at the end and before any message.
 *   - with --progress (MIE_PROGRESS_ON) the tools that would not draw print
 *     whole lines instead, one every 2 seconds and one at the end of each
 *     phase; on a terminal such a line first erases the drawn line of the
 *     tool after it (which draws again below), into a file or a pipe it is
 *     plain text without escape codes.
 *   - --no-progress (MIE_PROGRESS_OFF): nothing.
 * A tool's phases after reading (dedup's clustering and writing, a dump's
 * building) start with mie_progress_phase, so no long phase is silent. */
#ifndef MIE_PROGRESS_H
#define MIE_PROGRESS_H

#include <stdint.h>

enum { MIE_PROGRESS_OFF = 0, MIE_PROGRESS_ON = 1, MIE_PROGRESS_AUTO = 2 };

typedef struct mie_progress {
	int mode;          /* how it shows (see mie_progress.c); 0: not at all */
	const char *phase; /* borrowed (a literal); NULL: reading */
	double start, last;
	long records, total_records; /* total_records -1: unknown */
	long ticks;                  /* calls so far: the clock is read every 256th */
	int64_t bytes, total;        /* total -1 = unknown */
	int64_t checked;             /* bytes when the clock was last read */
	int shown; /* a drawn line is on the terminal; plain lines: the last is up to date */
} mie_progress;

/* Starts the reading phase.  `enabled` is MIE_PROGRESS_OFF, _ON or _AUTO
 * (mie_cli's --progress / --no-progress / neither); the first call also
 * sets what mie_progress_enabled() returns.  `total_bytes` is the size of
 * the inputs, -1 when unknown. */
void mie_progress_init(mie_progress *p, int enabled, int64_t total_bytes);
/* The `enabled` of the run's first mie_progress_init (MIE_PROGRESS_AUTO
 * before it): for library code that starts its own phase. */
int mie_progress_enabled(void);
/* Ends the current phase (as mie_progress_done) and starts `name`
 * (borrowed: a literal), whose work is `total_records` records (-1:
 * unknown); the clock starts again, records count from 0. */
void mie_progress_phase(mie_progress *p, const char *name, long total_records);
/* Notes `records` done and `bytes` consumed so far in this phase (counts,
 * not increments: a caller may tick once per record or once per block;
 * bytes 0: not known); shows at most 4 times a second. */
void mie_progress_tick(mie_progress *p, long records, int64_t bytes);
/* Ends the phase: erases the drawn line, or prints the last plain line. */
void mie_progress_done(mie_progress *p);
/* The reading phase under way (the last mie_progress_init whose phase has
 * not ended; borrowed), or NULL: for code that reads an input on its
 * owner's behalf (dedup's scanner of a JSON Lines file, mie-export's
 * threaded reader) and ticks it with the owner's counts plus its own.
 * Only the thread that started it may tick it. */
mie_progress *mie_progress_reading(void);

#endif
