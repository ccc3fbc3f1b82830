#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mie_buf.h"
#include "mie_err.h"
#include "mie_utf8.h"

static struct {
	const char *prog;
	int quiet;
	enum mie_exit status;
	long warnings;
} err = {"mie", 0, MIE_EXIT_OK, 0};

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
	if (e > err.status)
		err.status = e;
}

enum mie_exit mie_exit_status(void)
{
	return err.status;
}

long mie_warning_count(void)
{
	return err.warnings;
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
	fflush(stdout);
	fwrite(safe.data, 1, safe.len, stderr);
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
	err.warnings++;
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
