/* mie_progress.c — a progress line on stderr: records, records/s, MB/s and
 * percent when the input size is known.  Redrawn at most 4 times a second,
 * erased at the end. */
#include <stdio.h>
#include <time.h>

#include "mie_cli.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void mie_progress_init(mie_progress *p, int enabled, int64_t total_bytes)
{
	p->enabled = enabled;
	p->start = p->last = now();
	p->records = 0;
	p->ticks = 0;
	p->bytes = 0;
	p->total = total_bytes;
	p->shown = 0;
}

void mie_progress_tick(mie_progress *p, long records, int64_t bytes)
{
	p->records = records;
	p->bytes = bytes;
	if (!p->enabled || (p->ticks++ & 255) != 0)
		return;
	double t = now();
	if (t - p->last < 0.25)
		return;
	p->last = t;
	double el = t - p->start > 1e-6 ? t - p->start : 1e-6;
	fprintf(stderr, "\r%ld records, %.0f records/s", records, records / el);
	if (bytes > 0) /* 0: the caller cannot tell */
		fprintf(stderr, ", %.1f MB/s", (double)bytes / 1e6 / el);
	if (p->total > 0)
		fprintf(stderr, ", %.0f%%", 100.0 * (double)bytes / (double)p->total);
	fputs("   ", stderr);
	p->shown = 1;
}

void mie_progress_done(mie_progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}
