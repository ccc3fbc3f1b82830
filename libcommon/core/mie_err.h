/* mie_err.h — the one place messages and exit codes come from.
 *
 * Every message is "PROG: [FILE[:MEMBER]:LINE: ]text\n" on stderr, lowercase,
 * no final full stop.  The whole message is made safe for a terminal before
 * it is printed (control characters, bidi overrides and invalid UTF-8 become
 * \xNN or \u{NNNN}), so callers may pass untrusted record content and file
 * names as they are.
 *
 * Keep going, fail at the end: mie_warn_at / mie_reject_at remember that the
 * data had problems; mie_exit_status() then says 1.  Fatal errors say 2. */
#ifndef MIE_ERR_H
#define MIE_ERR_H

#include <stdarg.h>
#include <stddef.h>

#include "mie_buf.h"

enum mie_exit {
	MIE_EXIT_OK = 0,    /* everything read was written */
	MIE_EXIT_DATA = 1,  /* the run completed; some data was invalid or rejected */
	MIE_EXIT_FATAL = 2, /* usage error, or a fatal system or I/O error */
};

/* Sets the program name used as message prefix (borrowed: must outlive use). */
void mie_set_prog(const char *prog);
const char *mie_prog(void);
/* -q: warnings are counted but not printed; errors still are. */
void mie_set_quiet(int quiet);

/* A location in an input; any part may be absent (NULL / 0). */
typedef struct mie_loc {
	const char *file;   /* borrowed */
	const char *member; /* archive member, borrowed */
	long line;
} mie_loc;

/* Prints "PROG: text" (no status change). */
void mie_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints a warning; the exit status becomes at least MIE_EXIT_DATA when
 * `data_problem` is set. */
void mie_warn_at(const mie_loc *loc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Data problem at a location (invalid or rejected record): printed even
 * with -q; exit status at least 1. */
void mie_error_at(const mie_loc *loc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fatal error (I/O, usage): printed; exit status 2.  Returns to the caller,
 * which unwinds. */
void mie_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Fatal and exits at once with 2 (out of memory and the like). */
void mie_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

void mie_vmessage(const mie_loc *loc, const char *fmt, va_list ap);
/* Raises the remembered exit status (never lowers it). */
void mie_status_raise(enum mie_exit e);
enum mie_exit mie_exit_status(void);
/* Number of warnings issued so far (printed or not). */
long mie_warning_count(void);

/* The noun that fits a count: `one` when n is 1, else `many` (both
 * borrowed, returned as they are).  Counts in messages are written
 * "%ld %s" with it: "1 record", "0 records", "3 records". */
const char *mie_plural(long n, const char *one, const char *many);

/* Worker threads: while `into` is set (borrowed; NULL ends it), this
 * thread's messages are appended to it, formatted, instead of going to
 * stderr; the exit status and the warning count change as usual.  The
 * thread that owns the order of the run later prints them in that order
 * with mie_err_replay. */
void mie_err_capture(mie_buf *into);
void mie_err_replay(const char *text, size_t n);

#endif
