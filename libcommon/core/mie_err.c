#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mie_buf.h"
#include "mie_err.h"
#include "mie_utf8.h"

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

void mie_err_replay(const char *text, size_t n)
{
	if (!n)
		return;
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

void mie_vmessage(const mie_loc *loc, const char *fmt, va_list ap)
{
	mie_buf raw = MIE_BUF_INIT, safe = MIE_BUF_INIT;
	mie_buf_adds(&raw, err.prog);
	mie_buf_adds(&raw, ": ");
	if (loc && loc->file) {
		mie_buf_adds(&raw, loc->file);
		if (loc->member)
			mie_buf_addf(&raw, ":%s", loc->member);
		if (loc->line > 0)
			mie_buf_addf(&raw, ":%ld", loc->line);
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

void mie_note(const char *fmt, ...)
{
	if (err.quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	mie_vmessage(NULL, fmt, ap);
	va_end(ap);
}

void mie_warn_at(const mie_loc *loc, const char *fmt, ...)
{
	atomic_fetch_add(&err.warnings, 1);
	if (err.quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	mie_vmessage(loc, fmt, ap);
	va_end(ap);
}

void mie_error_at(const mie_loc *loc, const char *fmt, ...)
{
	mie_status_raise(MIE_EXIT_DATA);
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
