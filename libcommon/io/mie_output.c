#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mie_buf.h"
#include "core/mie_err.h"
#include "io/mie_output.h"

/* Output goes out in large writes: a record stream of hundreds of MB in
 * stdio's 4 KiB pieces costs a system call each. */
enum { OUT_BUF = 1 << 18 };

struct mie_output {
	FILE *fp;   /* owned, unless stdout */
	char *buf;  /* owned: fp's buffer, when it is not stdout */
	char *path; /* owned; NULL for stdout */
	char *tmp;  /* owned temporary path */
	struct mie_output *next_live;
};

/* ---- the files of the run: one rule for "an output is not an input" ---- */

/* What the run reads and writes, by the name it was given (copies): a
 * handful per run, kept until exit, as the rule holds for the whole run. */
typedef struct claim {
	char *what; /* owned: "-o", "--rejects", "output"; NULL: the
	             * standard output of a run without -o */
	char *path; /* owned; NULL: standard input or output */
	int input;
} claim;

static claim *claims;
static size_t nclaims, claims_cap;

/* The file a name stands for: followed to the end of its links (stat);
 * for a name that does not exist yet, its folder resolved and its last
 * component appended, so "out.jsonl" and "./d/../out.jsonl" compare
 * equal before either is created. */
typedef struct ident {
	int exists;
	struct stat st;
	mie_buf real;
} ident;

static void ident_of(ident *id, const char *path, int fd)
{
	id->real = (mie_buf)MIE_BUF_INIT;
	if (!path) {
		id->exists = fstat(fd, &id->st) == 0;
		return;
	}
	id->exists = stat(path, &id->st) == 0;
	char *r = realpath(path, NULL);
	if (!r) {
		const char *slash = strrchr(path, '/');
		mie_buf dir = MIE_BUF_INIT;
		if (slash)
			mie_buf_add(&dir, path, slash == path ? 1 : (size_t)(slash - path));
		else
			mie_buf_adds(&dir, ".");
		char *rd = realpath(dir.data, NULL);
		mie_buf_adds(&id->real, rd ? rd : dir.data);
		mie_buf_addf(&id->real, "/%s", slash ? slash + 1 : path);
		free(rd);
		mie_buf_release(&dir);
	} else {
		mie_buf_adds(&id->real, r);
		free(r);
	}
}

/* Same file?  A character device (/dev/null, a terminal) is never "the
 * same": writing two streams to it, or reading one while writing the
 * other, loses nothing. */
static int ident_same(const ident *a, const ident *b)
{
	if ((a->exists && S_ISCHR(a->st.st_mode)) || (b->exists && S_ISCHR(b->st.st_mode)))
		return 0;
	if (a->exists && b->exists)
		return a->st.st_dev == b->st.st_dev && a->st.st_ino == b->st.st_ino;
	if (a->exists || b->exists || !a->real.data || !b->real.data)
		return 0;
	return strcmp(a->real.data, b->real.data) == 0;
}

/* `-o "x"`, `the input "x"`, `--rejects "-" (standard output)`,
 * `standard output` (the one of a run without -o), `standard input` */
static void describe(mie_buf *b, const claim *c)
{
	if (c->input && c->path)
		mie_buf_addf(b, "the input \"%s\"", c->path);
	else if (c->input)
		mie_buf_adds(b, "standard input");
	else if (!c->what)
		mie_buf_adds(b, "standard output");
	else if (!c->path)
		mie_buf_addf(b, "%s \"-\" (standard output)", c->what);
	else
		mie_buf_addf(b, "%s \"%s\"", c->what, c->path);
}

static int is_stdio(const char *path)
{
	return !path || strcmp(path, "-") == 0;
}

/* Is c the same file as one claimed before it?  Said once (exit status
 * 2), naming both. */
static int conflicts(const claim *c, size_t before)
{
	ident a;
	ident_of(&a, c->path, c->input ? 0 : 1);
	int found = 0;
	for (size_t i = 0; i < before && !found; i++) {
		const claim *d = &claims[i];
		if (c->input && d->input)
			continue; /* reading a file twice harms nobody */
		if (!c->path && !d->path && c->input == d->input)
			found = 1; /* two outputs to standard output */
		else {
			ident b;
			ident_of(&b, d->path, d->input ? 0 : 1);
			found = ident_same(&a, &b);
			mie_buf_release(&b.real);
		}
		if (found) {
			mie_buf m = MIE_BUF_INIT;
			describe(&m, c->input ? d : c);
			mie_buf_adds(&m, " is the same file as ");
			describe(&m, c->input ? c : d);
			mie_fatal("%s", m.data);
			mie_buf_release(&m);
		}
	}
	mie_buf_release(&a.real);
	return found ? -1 : 0;
}

static void add_claim(const char *what, const char *path, int input)
{
	if (nclaims == claims_cap)
		claims = mie_xrealloc(claims, (claims_cap = claims_cap * 2 + 8) * sizeof *claims);
	claims[nclaims++] = (claim){what ? mie_xstrdup(what) : NULL,
	                            is_stdio(path) ? NULL : mie_xstrdup(path), input};
}

int mie_output_claim(const char *what, const char *path, int input)
{
	if (path && !*path) {
		mie_fatal("%s: empty file name", what);
		return -1;
	}
	add_claim(what, path, input);
	return conflicts(&claims[nclaims - 1], nclaims - 1);
}

/* An output opened by the library without a claim (or under another
 * name) is checked at open, by the same rule. */
static int open_claim(const char *path)
{
	for (size_t i = 0; i < nclaims; i++)
		if (!claims[i].input && claims[i].path && strcmp(claims[i].path, path) == 0)
			return 0; /* checked when claimed */
	add_claim("output", path, 0);
	return conflicts(&claims[nclaims - 1], nclaims - 1);
}

/* ---- temporary files and fatal signals ---- */

/* Temporary files still open, removed by the signal handler. */
static struct mie_output *volatile live;

static void unlink_all_live(void)
{
	for (struct mie_output *o = live; o; o = o->next_live)
		if (o->tmp)
			unlink(o->tmp);
}

static void on_signal(int sig)
{
	int saved = errno;
	unlink_all_live();
	signal(sig, SIG_DFL);
	errno = saved;
	raise(sig); /* delivered, by its default action, once the handler returns */
}

/* Every signal whose default action ends the process: a run killed by any
 * of them leaves no ".NAME.XXXXXX" behind.  A signal ignored (nohup) or
 * handled by someone else (a sanitizer's SIGSEGV) when the first output is
 * opened is left as it is. */
static void arm_signals(void)
{
	static const int fatal[] = {
	        SIGHUP,    SIGINT,  SIGQUIT,   SIGILL,  SIGTRAP, SIGABRT, SIGBUS,
	        SIGFPE,    SIGUSR1, SIGSEGV,   SIGUSR2, SIGPIPE, SIGALRM, SIGTERM,
	        SIGXCPU,   SIGXFSZ, SIGVTALRM, SIGPROF, SIGSYS,  SIGPOLL,
#ifdef SIGSTKFLT
	        SIGSTKFLT,
#endif
#ifdef SIGPWR
	        SIGPWR,
#endif
	};
	static int armed;
	if (armed++)
		return;
	atexit(unlink_all_live); /* mie_die and any other exit() */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	int n = (int)(sizeof fatal / sizeof *fatal);
	for (int i = 0; i < n + SIGRTMAX - SIGRTMIN + 1; i++) {
		int sig = i < n ? fatal[i] : SIGRTMIN + (i - n);
		struct sigaction old;
		if (sigaction(sig, NULL, &old) == 0 && !(old.sa_flags & SA_SIGINFO) &&
		    old.sa_handler == SIG_DFL)
			sigaction(sig, &sa, NULL);
	}
}

/* The live list changes with signals blocked in this thread, so the handler
 * never walks it half changed here. */
static void live_change(struct mie_output *add, struct mie_output *remove)
{
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if (add) {
		add->next_live = live;
		live = add;
	}
	for (struct mie_output *volatile *p = &live; remove && *p; p = &(*p)->next_live)
		if (*p == remove) {
			*p = remove->next_live;
			break;
		}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* The mode a new file gets: 0666 less the umask, as open(2) would. */
static mode_t new_file_mode(void)
{
	static mode_t mode = (mode_t)-1;
	if (mode == (mode_t)-1) {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	return mode;
}

/* /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: an open file of
 * the process, written through its descriptor, never renamed over.
 * Returns the descriptor, or -1. */
static int fd_path(const char *path)
{
	static const char *const prefixes[] = {"/dev/fd/", "/proc/self/fd/"};
	if (strcmp(path, "/dev/stdout") == 0)
		return 1;
	if (strcmp(path, "/dev/stderr") == 0)
		return 2;
	if (strcmp(path, "/dev/stdin") == 0)
		return 0;
	for (int i = 0; i < 2; i++) {
		size_t n = strlen(prefixes[i]);
		if (strncmp(path, prefixes[i], n) == 0 && path[n]) {
			char *end;
			long fd = strtol(path + n, &end, 10);
			if (!*end && fd >= 0 && fd < INT_MAX)
				return (int)fd;
		}
	}
	return -1;
}

/* Written in place: nothing to rename (renaming over a device or a
 * descriptor's link would replace it). */
static mie_output *open_in_place(mie_output *o, const char *path, const struct stat *st)
{
	if (st && S_ISDIR(st->st_mode)) {
		mie_fatal("%s: is a directory", path);
		free(o);
		return NULL;
	}
	int fd = fd_path(path);
	if (fd == 1) {
		o->fp = stdout;
		return o;
	}
	if (fd >= 0) {
		int d = dup(fd);
		o->fp = d >= 0 ? fdopen(d, "w") : NULL;
		if (!o->fp && d >= 0)
			close(d);
	} else {
		o->fp = fopen(path, "w");
	}
	if (!o->fp) {
		mie_fatal("%s: cannot open: %s", path, strerror(errno));
		free(o);
		return NULL;
	}
	o->path = mie_xstrdup(path);
	return o;
}

static mie_output *output_open(const char *path)
{
	mie_output *o = mie_xcalloc(1, sizeof *o);
	if (is_stdio(path)) {
		o->fp = stdout;
		return o;
	}
	if (!*path) {
		mie_fatal("empty output file name");
		free(o);
		return NULL;
	}
	if (open_claim(path) < 0) {
		free(o);
		return NULL;
	}
	struct stat st;
	int exists = stat(path, &st) == 0;
	if ((exists && !S_ISREG(st.st_mode)) || fd_path(path) >= 0)
		return open_in_place(o, path, exists ? &st : NULL);
	mie_buf tmp = MIE_BUF_INIT;
	const char *slash = strrchr(path, '/');
	if (slash)
		mie_buf_add(&tmp, path, (size_t)(slash - path + 1));
	mie_buf_addf(&tmp, ".%s.XXXXXX", slash ? slash + 1 : path);
	arm_signals();
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old); /* no window where the file exists unlisted */
	int fd = mkstemp(tmp.data);
	int err = errno;
	if (fd >= 0) {
		o->tmp = mie_buf_detach(&tmp, NULL);
		live_change(o, NULL);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (fd < 0) {
		mie_fatal("%s: cannot create: %s", path, strerror(err));
		mie_buf_release(&tmp);
		free(o);
		return NULL;
	}
	/* the file replaced keeps its permissions (not a set-id bit: data is
	 * never run); a new one gets the umask's */
	fchmod(fd, exists ? (st.st_mode & 0777) : new_file_mode());
	o->fp = fdopen(fd, "w");
	if (!o->fp)
		mie_die("out of memory");
	o->path = mie_xstrdup(path);
	return o;
}

mie_output *mie_output_open(const char *path)
{
	mie_output *o = output_open(path);
	if (!o || isatty(fileno(o->fp)))
		return o;                /* a terminal keeps its line buffering */
	static char stdout_buf[OUT_BUF]; /* stdout outlives any mie_output */
	static int stdout_set;
	if (o->fp != stdout)
		setvbuf(o->fp, o->buf = mie_xmalloc(OUT_BUF), _IOFBF, OUT_BUF);
	else if (!stdout_set++)
		setvbuf(stdout, stdout_buf, _IOFBF, OUT_BUF);
	return o;
}

FILE *mie_output_file(mie_output *o)
{
	return o->fp;
}

const char *mie_output_tmp_path(const mie_output *o)
{
	return o->tmp;
}

const char *mie_output_name(const mie_output *o)
{
	return o->path ? o->path : "(stdout)";
}

static void output_free(mie_output *o)
{
	if (o->tmp)
		live_change(NULL, o);
	free(o->path);
	free(o->tmp);
	free(o->buf);
	free(o);
}

/* Standard output's write error is said once per run, whoever meets it. */
static int stdout_said;

static void stdout_error(int err)
{
	mie_status_raise(MIE_EXIT_FATAL);
	if (stdout_said++)
		return;
	mie_output_epipe_exit(err);
	mie_fatal("(stdout): write error: %s", strerror(err ? err : EIO));
}

int mie_output_check_stdout(void)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	stdout_error(errno);
	return -1;
}

int mie_output_commit(mie_output **op)
{
	mie_output *o = op ? *op : NULL;
	if (!o)
		return 0;
	*op = NULL;
	int rc = 0;
	if (!o->path) {
		rc = mie_output_check_stdout();
		output_free(o);
		return rc;
	}
	errno = 0;
	int bad = fflush(o->fp) != 0 || ferror(o->fp);
	int err = errno;
	if (!bad && o->tmp && fsync(fileno(o->fp)) != 0 && errno != EINVAL)
		bad = 1, err = errno;
	if (fclose(o->fp) != 0 && !bad)
		bad = 1, err = errno;
	if (!bad && o->tmp && rename(o->tmp, o->path) != 0)
		bad = 1, err = errno;
	if (bad) {
		mie_fatal("%s: write error: %s", o->path, strerror(err ? err : EIO));
		if (o->tmp)
			unlink(o->tmp);
		rc = -1;
	}
	output_free(o);
	return rc;
}

void mie_output_abort(mie_output **op)
{
	mie_output *o = op ? *op : NULL;
	if (!o)
		return;
	*op = NULL;
	if (o->path) {
		fclose(o->fp);
		if (o->tmp)
			unlink(o->tmp);
	}
	output_free(o);
}

void mie_output_fail(mie_output **op, int err)
{
	mie_output *o = op ? *op : NULL;
	if (!o)
		return;
	if (!o->path) {
		clearerr(stdout); /* what is buffered is lost: not tried again */
		*op = NULL;
		output_free(o);
		stdout_error(err);
		return;
	}
	char *path = mie_xstrdup(o->path);
	mie_output_abort(op);
	mie_fatal("%s: write error: %s", path, strerror(err ? err : EIO));
	free(path);
}

void mie_output_epipe_exit(int err)
{
	if (err != EPIPE)
		return;
	unlink_all_live();
	signal(SIGPIPE, SIG_DFL);
	raise(SIGPIPE);
}

int mie_output_owns(const struct stat *st)
{
	for (struct mie_output *o = live; o; o = o->next_live) {
		struct stat t;
		if (fstat(fileno(o->fp), &t) == 0 && t.st_dev == st->st_dev &&
		    t.st_ino == st->st_ino)
			return 1;
	}
	for (size_t i = 0; i < nclaims; i++) {
		struct stat t;
		if (!claims[i].input && claims[i].path && stat(claims[i].path, &t) == 0 &&
		    !S_ISCHR(t.st_mode) && t.st_dev == st->st_dev && t.st_ino == st->st_ino)
			return 1;
	}
	return 0;
}
