/* mie_err.h — the one place messages and exit codes come from.
 *
 * Every message is "PROG: WHERE: text\n" on stderr, lowercase, no final full
 * stop, where WHERE is a path, "path:line" or "archive!member:line" (the `!`
 * of provenance; "(stdin)" for "-"), formatted here from a mie_loc; a
 * message about no input at all (usage, memory) has no WHERE.  The whole
 * message is made safe for a terminal before it is printed (control
 * characters, bidi overrides and invalid UTF-8 become \xNN or \u{NNNN}), so
 * callers may pass untrusted record content and file names as they are.
 *
 * Keep going, fail at the end: mie_error_at remembers that the data had
 * problems; mie_exit_status() then says 1.  Fatal errors say 2.  Warnings
 * (mie_warn_at) are only counted. */
#ifndef MIE_ERR_H
#define MIE_ERR_H

#include <stdarg.h>
#include <stddef.h>

#include "core/mie_buf.h"

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

/* A location in an input; any part may be absent (NULL / 0).  Written
 * "file!member:line"; file "-" is written "(stdin)". */
typedef struct mie_loc {
	const char *file;   /* borrowed */
	const char *member; /* archive member, borrowed */
	long line;
} mie_loc;

/* Appends loc as messages write it ("z.zip!orgs.csv:3"; nothing for NULL
 * or a loc without file). */
void mie_loc_format(mie_buf *out, const mie_loc *loc);

/* Prints "PROG: text" (no status change; not with -q). */
void mie_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "PROG: WHERE: text" (no status change; not with -q): counts and
 * summaries, which name the input they are about. */
void mie_note_at(const mie_loc *loc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints a warning (not with -q) and counts it; the exit status does not
 * change. */
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

/* Floods.  Of the warnings and errors printed from one call site (one
 * format string) about one input, the first mie_flood_cap() are printed;
 * the rest are counted (status and warning count change as usual) and said
 * in one line "PROG: INPUT: … and M more like this" when the input ends
 * (mie_err_flush), so 20 MB of garbage gives 21 lines, not 80 000.
 * The input is the scope set by mie_err_begin_input, else the message's
 * own file (and member).  Messages captured on worker threads are never
 * held back (their order is the run's, see mie_err_capture). */
enum { MIE_FLOOD_CAP = 20 };
/* Sets the cap (0: no cap); default MIE_FLOOD_CAP. */
void mie_set_flood_cap(int cap);
int mie_flood_cap(void);
/* Every message until mie_err_end_input counts toward `input` (copied),
 * e.g. a folder or an archive given on the command line: a folder of
 * 10 000 unreadable files says 20 of them, then how many more. */
void mie_err_begin_input(const char *input);
/* Says the held-back count of the current scope and ends it. */
void mie_err_end_input(void);
/* Says the held-back counts about `input` ("z.zip!a.csv", "(stdin)"), or
 * about every input when NULL, and starts their counts again.  Called by
 * mie_input_free for its input, and at exit for whatever is left. */
void mie_err_flush(const char *input);

/* Worker threads: while `into` is set (borrowed; NULL ends it), this
 * thread's messages are appended to it, formatted, instead of going to
 * stderr; the exit status and the warning count change as usual.  The
 * thread that owns the order of the run later prints them in that order
 * with mie_err_replay. */
void mie_err_capture(mie_buf *into);
void mie_err_replay(const char *text, size_t n);
/* `fn` (NULL: none) runs before each message reaches stderr: a drawn
 * progress line erases itself, so no message is glued to it. */
void mie_err_before_message(void (*fn)(void));

#endif
