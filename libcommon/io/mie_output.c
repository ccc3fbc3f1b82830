#include <errno.h>
#include <fcntl.h>
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

/* Temporary files still open, removed by the signal handler. */
static struct mie_output *live;

static void on_signal(int sig)
{
	for (struct mie_output *o = live; o; o = o->next_live)
		if (o->tmp)
			unlink(o->tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void unlink_live(struct mie_output *o)
{
	for (struct mie_output **p = &live; *p; p = &(*p)->next_live)
		if (*p == o) {
			*p = o->next_live;
			break;
		}
}

static mie_output *output_open(const char *path)
{
	mie_output *o = mie_xcalloc(1, sizeof *o);
	if (!path || strcmp(path, "-") == 0) {
		o->fp = stdout;
		return o;
	}
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* /dev/null, a FIFO, a terminal: written in place, nothing to
		 * rename (renaming over a device would replace it) */
		if (S_ISDIR(st.st_mode)) {
			mie_fatal("%s: is a directory", path);
			free(o);
			return NULL;
		}
		o->fp = fopen(path, "w");
		if (!o->fp) {
			mie_fatal("%s: cannot open: %s", path, strerror(errno));
			free(o);
			return NULL;
		}
		o->path = mie_xstrdup(path);
		return o;
	}
	mie_buf tmp = MIE_BUF_INIT;
	const char *slash = strrchr(path, '/');
	if (slash)
		mie_buf_add(&tmp, path, (size_t)(slash - path + 1));
	mie_buf_addf(&tmp, ".%s.XXXXXX", slash ? slash + 1 : path);
	int fd = mkstemp(tmp.data);
	if (fd < 0) {
		mie_fatal("%s: cannot create: %s", path, strerror(errno));
		mie_buf_release(&tmp);
		free(o);
		return NULL;
	}
	fchmod(fd, 0644 & ~(mode_t)0);
	o->fp = fdopen(fd, "w");
	if (!o->fp)
		mie_die("out of memory");
	o->path = mie_xstrdup(path);
	o->tmp = mie_buf_detach(&tmp, NULL);
	static int handlers;
	if (!handlers) {
		handlers = 1;
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		signal(SIGHUP, on_signal);
	}
	o->next_live = live;
	live = o;
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
	unlink_live(o);
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

int mie_output_same_file(const char *out, const char *in)
{
	struct stat a, b;
	if (!out || !in || strcmp(out, "-") == 0 || strcmp(in, "-") == 0)
		return 0;
	if (stat(out, &a) != 0 || stat(in, &b) != 0)
		return 0;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

void mie_output_epipe_exit(int err)
{
	if (err != EPIPE)
		return;
	for (struct mie_output *o = live; o; o = o->next_live)
		if (o->tmp)
			unlink(o->tmp);
	signal(SIGPIPE, SIG_DFL);
	raise(SIGPIPE);
}

int mie_output_stdout_is(const char *in)
{
	struct stat a, b;
	if (strcmp(in, "-") == 0 || fstat(1, &a) != 0 || !S_ISREG(a.st_mode) || stat(in, &b) != 0)
		return 0;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}
