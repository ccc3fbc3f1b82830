#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mie_buf.h"
#include "core/mie_err.h"
#include "core/mie_utf8.h"

/* Set once before any thread starts (prog, quiet); status and warnings may
 * change from worker threads, hence atomic. */
static struct {
	const char *prog;
	int quiet;
	atomic_int status;
	atomic_long warnings;
} err = {"mie", 0, MIE_EXIT_OK, 0};

/* Where this thread's messages go instead of stderr (borrowed; NULL:
 * stderr).  See mie_err_capture. */
static _Thread_local mie_buf *capture;

/* Run before a message reaches stderr (see mie_err_before_message). */
static void (*before_message)(void);

/* Floods (see mie_err.h): one row per (format string, input) that printed
 * a message, under `lock` (a spill thread may report too).  Rows are few:
 * call sites times inputs with messages, and a flushed row is reused. */
typedef struct flood {
	const char *fmt; /* the call site's format: one kind of message */
	char *input;     /* owned; NULL: a free row */
	long shown, more;
} flood;

static struct {
	pthread_mutex_t lock;
	flood *rows;
	size_t n;
	int cap;
	char *scope; /* mie_err_begin_input's, owned; NULL: none */
	int at_exit; /* the exit hook is registered */
} fl = {PTHREAD_MUTEX_INITIALIZER, NULL, 0, MIE_FLOOD_CAP, NULL, 0};

void mie_set_prog(const char *prog)
{
	const char *slash = strrchr(prog, '/');
	err.prog = slash ? slash + 1 : prog;
}

const char *mie_prog(void)
{
	return err.prog;
}

void mie_set_quiet(int quiet)
{
	err.quiet = quiet;
}

void mie_status_raise(enum mie_exit e)
{
	int cur = atomic_load(&err.status);
	while ((int)e > cur && !atomic_compare_exchange_weak(&err.status, &cur, (int)e))
		;
}

void mie_err_capture(mie_buf *into)
{
	capture = into;
}

void mie_err_before_message(void (*fn)(void))
{
	before_message = fn;
}

void mie_err_replay(const char *text, size_t n)
{
	if (!n)
		return;
	if (before_message)
		before_message();
	fflush(stdout);
	fwrite(text, 1, n, stderr);
}

enum mie_exit mie_exit_status(void)
{
	return (enum mie_exit)atomic_load(&err.status);
}

long mie_warning_count(void)
{
	return atomic_load(&err.warnings);
}

const char *mie_plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void mie_loc_format(mie_buf *out, const mie_loc *loc)
{
	if (!loc || !loc->file)
		return;
	mie_buf_adds(out, strcmp(loc->file, "-") == 0 ? "(stdin)" : loc->file);
	if (loc->member) {
		mie_buf_addc(out, '!');
		mie_buf_adds(out, loc->member);
	}
	if (loc->line > 0)
		mie_buf_addf(out, ":%ld", loc->line);
}

void mie_vmessage(const mie_loc *loc, const char *fmt, va_list ap)
{
	mie_buf raw = MIE_BUF_INIT, safe = MIE_BUF_INIT;
	mie_buf_adds(&raw, err.prog);
	mie_buf_adds(&raw, ": ");
	if (loc && loc->file) {
		mie_loc_format(&raw, loc);
		mie_buf_adds(&raw, ": ");
	}
	mie_buf_vaddf(&raw, fmt, ap);
	mie_utf8_escape_terminal(&safe, raw.data, raw.len);
	mie_buf_addc(&safe, '\n');
	if (capture)
		mie_buf_add(capture, safe.data, safe.len);
	else
		mie_err_replay(safe.data, safe.len);
	mie_buf_release(&raw);
	mie_buf_release(&safe);
}

static void message(const mie_loc *loc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void message(const mie_loc *loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mie_vmessage(loc, fmt, ap);
	va_end(ap);
}

void mie_set_flood_cap(int cap)
{
	fl.cap = cap < 0 ? 0 : cap;
}

int mie_flood_cap(void)
{
	return fl.cap;
}

/* Says and frees the rows about `input` (NULL: all); under fl.lock. */
static void flush_locked(const char *input)
{
	for (size_t i = 0; i < fl.n; i++) {
		flood *f = &fl.rows[i];
		if (!f->input || (input && strcmp(f->input, input) != 0))
			continue;
		if (f->more)
			message(&(mie_loc){f->input, NULL, 0}, "\u2026 and %ld more like this",
			        f->more);
		free(f->input);
		f->input = NULL;
	}
}

void mie_err_flush(const char *input)
{
	pthread_mutex_lock(&fl.lock);
	flush_locked(input);
	pthread_mutex_unlock(&fl.lock);
}

static void flush_at_exit(void)
{
	mie_err_flush(NULL);
}

void mie_err_begin_input(const char *input)
{
	pthread_mutex_lock(&fl.lock);
	free(fl.scope);
	fl.scope = mie_xstrdup(strcmp(input, "-") == 0 ? "(stdin)" : input);
	pthread_mutex_unlock(&fl.lock);
}

void mie_err_end_input(void)
{
	pthread_mutex_lock(&fl.lock);
	if (fl.scope)
		flush_locked(fl.scope);
	free(fl.scope);
	fl.scope = NULL;
	pthread_mutex_unlock(&fl.lock);
}

/* 1 when this message is to be printed, 0 when it is one more of a flood. */
static int within_cap(const mie_loc *loc, const char *fmt)
{
	if (capture || !fl.cap || (!fl.scope && (!loc || !loc->file)))
		return 1;
	mie_buf input = MIE_BUF_INIT;
	pthread_mutex_lock(&fl.lock);
	if (fl.scope)
		mie_buf_adds(&input, fl.scope);
	else
		mie_loc_format(&input, &(mie_loc){loc->file, loc->member, 0});
	flood *row = NULL, *free_row = NULL;
	for (size_t i = 0; i < fl.n && !row; i++) {
		flood *f = &fl.rows[i];
		if (!f->input)
			free_row = free_row ? free_row : f;
		else if (f->fmt == fmt && strcmp(f->input, input.data) == 0)
			row = f;
	}
	if (!row) {
		if (!free_row) {
			fl.rows = mie_xrealloc(fl.rows, (fl.n + 1) * sizeof *fl.rows);
			free_row = &fl.rows[fl.n++];
		}
		row = free_row;
		*row = (flood){fmt, mie_buf_detach(&input, NULL), 0, 0};
	}
	int show = row->shown < fl.cap;
	if (show)
		row->shown++;
	else
		row->more++;
	if (!show && !fl.at_exit) {
		fl.at_exit = 1;
		atexit(flush_at_exit);
	}
	pthread_mutex_unlock(&fl.lock);
	mie_buf_release(&input);
	return show;
}

void mie_note(const char *fmt, ...)
{
	if (err.quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	mie_vmessage(NULL, fmt, ap);
	va_end(ap);
}

void mie_note_at(const mie_loc *loc, const char *fmt, ...)
{
	if (err.quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	mie_vmessage(loc, fmt, ap);
	va_end(ap);
}

void mie_warn_at(const mie_loc *loc, const char *fmt, ...)
{
	atomic_fetch_add(&err.warnings, 1);
	if (err.quiet || !within_cap(loc, fmt))
		return;
	va_list ap;
	va_start(ap, fmt);
	mie_vmessage(loc, fmt, ap);
	va_end(ap);
}

void mie_error_at(const mie_loc *loc, const char *fmt, ...)
{
	mie_status_raise(MIE_EXIT_DATA);
	if (!within_cap(loc, fmt))
		return;
	va_list ap;
	va_start(ap, fmt);
	mie_vmessage(loc, fmt, ap);
	va_end(ap);
}

void mie_fatal(const char *fmt, ...)
{
	mie_status_raise(MIE_EXIT_FATAL);
	va_list ap;
	va_start(ap, fmt);
	mie_vmessage(NULL, fmt, ap);
	va_end(ap);
}

void mie_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mie_vmessage(NULL, fmt, ap);
	va_end(ap);
	exit(MIE_EXIT_FATAL);
}
