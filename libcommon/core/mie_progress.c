/* mie_progress.c — see mie_progress.h. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/mie_buf.h"
#include "core/mie_err.h"
#include "core/mie_progress.h"

enum { OFF = 0, DRAW, LINES }; /* p->mode */

#define DRAW_EVERY 0.25 /* seconds between redraws */
/* seconds between plain lines, unless $MIE_PROGRESS_SECONDS says otherwise */
#define LINE_EVERY 2.0

static int run_enabled = -1;  /* the first init's `enabled` */
static mie_progress *drawn;   /* the line on the terminal, erased before messages */
static mie_progress *reading; /* mie_progress_reading */

/* Seconds between plain lines: $MIE_PROGRESS_SECONDS (a log that wants
 * more or fewer lines, the tests), else LINE_EVERY. */
static double line_every(void)
{
	static double every = -1;
	if (every < 0) {
		const char *e = getenv("MIE_PROGRESS_SECONDS");
		char *end;
		double v = e && *e ? strtod(e, &end) : -1;
		every = v >= 0 && !*end ? v : LINE_EVERY;
	}
	return every;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The last tool of a pipeline draws; the others print lines when asked. */
static int mode_for(int enabled)
{
	struct stat st;
	int piped = fstat(1, &st) == 0 && S_ISFIFO(st.st_mode);
	int draws = isatty(2) && !piped;
	if (enabled == MIE_PROGRESS_OFF)
		return OFF;
	if (enabled == MIE_PROGRESS_AUTO)
		return draws ? DRAW : OFF;
	return draws ? DRAW : LINES;
}

static void erase(void)
{
	if (drawn && drawn->shown)
		fputs("\r\033[K", stderr);
	if (drawn)
		drawn->shown = 0;
	drawn = NULL;
}

static void start(mie_progress *p)
{
	p->start = p->last = now();
	p->records = 0;
	p->ticks = 0;
	p->bytes = 0;
	p->checked = 0;
	p->shown = 0;
}

void mie_progress_init(mie_progress *p, int enabled, int64_t total_bytes)
{
	if (run_enabled < 0)
		run_enabled = enabled;
	p->mode = mode_for(enabled);
	p->phase = NULL;
	p->total = total_bytes;
	p->total_records = -1;
	start(p);
	reading = p;
	if (p->mode == DRAW)
		mie_err_before_message(erase);
}

mie_progress *mie_progress_reading(void)
{
	return reading;
}

int mie_progress_enabled(void)
{
	return run_enabled < 0 ? MIE_PROGRESS_AUTO : run_enabled;
}

void mie_progress_phase(mie_progress *p, const char *name, long total_records)
{
	mie_progress_done(p);
	p->phase = name;
	p->total = -1;
	p->total_records = total_records;
	start(p);
}

/* 12345678 -> "12 345 678" */
static void add_count(mie_buf *b, long n)
{
	char digits[24];
	int k = snprintf(digits, sizeof digits, "%ld", n < 0 ? 0 : n);
	for (int i = 0; i < k; i++) {
		if (i && (k - i) % 3 == 0)
			mie_buf_addc(b, ' ');
		mie_buf_addc(b, digits[i]);
	}
}

static void show(mie_progress *p, double t)
{
	double el = t - p->start > 1e-6 ? t - p->start : 1e-6;
	double done = -1; /* fraction of the work, when its size is known */
	if (p->total > 0 && p->bytes > 0)
		done = (double)p->bytes / (double)p->total;
	else if (p->total_records > 0)
		done = (double)p->records / (double)p->total_records;
	if (done > 1)
		done = 1;
	mie_buf line = MIE_BUF_INIT;
	mie_buf_addf(&line, "%s: ", mie_prog());
	if (p->phase)
		mie_buf_addf(&line, "%s: ", p->phase);
	/* a dump read before its records are built: bytes only; a later phase
	 * of known size (clustering): its share done only */
	int records = p->phase && p->total_records > 0 ? 0 : p->records > 0 || p->bytes <= 0;
	if (records) {
		add_count(&line, p->records);
		mie_buf_addf(&line, " %s", mie_plural(p->records, "record", "records"));
	}
	if (done >= 0) {
		mie_buf_addf(&line, "%s%.0f %%", records ? ", " : "", 100.0 * done);
	} else if (records) {
		mie_buf_adds(&line, ", ");
		add_count(&line, (long)((double)p->records / el));
		mie_buf_adds(&line, " records/s");
	}
	if (p->bytes > 0)
		mie_buf_addf(&line, "%s%.1f MB/s", records || done >= 0 ? ", " : "",
		             (double)p->bytes / 1e6 / el);
	if (done > 0.001 && done < 1) {
		long eta = (long)(el / done * (1 - done) + 0.5);
		if (eta >= 3600)
			mie_buf_addf(&line, ", ETA %ld:%02ld:%02ld", eta / 3600, eta / 60 % 60,
			             eta % 60);
		else
			mie_buf_addf(&line, ", ETA %ld:%02ld", eta / 60, eta % 60);
	}
	fflush(stdout);
	if (p->mode == DRAW) {
		fprintf(stderr, "\r%s\033[K", line.data);
		p->shown = 1;
		drawn = p;
	} else {
		/* on a terminal, over the drawn line of the tool after this one */
		fprintf(stderr, "%s%s\n", isatty(2) ? "\r\033[K" : "", line.data);
		p->shown = 1; /* up to date: not printed again at the end */
	}
	fflush(stderr);
	mie_buf_release(&line);
}

void mie_progress_tick(mie_progress *p, long records, int64_t bytes)
{
	if (p->mode == LINES && (records != p->records || bytes > p->bytes))
		p->shown = 0; /* the last line printed is out of date */
	p->records = records;
	if (bytes > 0)
		p->bytes = bytes;
	/* the clock every 256th call, or after each MB (block-wise callers) */
	if (!p->mode || ((p->ticks++ & 255) != 0 && p->bytes - p->checked < (1 << 20)))
		return;
	p->checked = p->bytes;
	double t = now();
	if (t - p->last < (p->mode == DRAW ? DRAW_EVERY : line_every()))
		return;
	p->last = t;
	show(p, t);
}

void mie_progress_done(mie_progress *p)
{
	if (p->mode == DRAW && p->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	} else if (p->mode == LINES && (p->records || p->bytes) &&
	           (!p->shown || (p->total_records > 0 && p->records < p->total_records))) {
		if (p->total_records > 0) /* the phase is over: all of it */
			p->records = p->total_records;
		show(p, now());
	}
	p->shown = 0;
	if (drawn == p)
		drawn = NULL;
	if (reading == p)
		reading = NULL;
	p->records = 0;
	p->bytes = 0;
}
