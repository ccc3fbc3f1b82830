#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/mie_err.h"
#include "core/mie_tmp.h"
#include "io/mie_input.h"

#define BLOCK (64 * 1024)

struct mie_input {
	struct archive *ar; /* owned */
	char *name;         /* owned */
	unsigned char *buf; /* owned, BLOCK bytes */
	size_t pos, end;    /* unread bytes are buf[pos..end) */
	int eof, failed;
	long line;
	int64_t size, bytes;
	int owns_ar;
	mie_budget *budget;       /* borrowed, may be NULL */
	void (*on_block)(void *); /* see mie_input_on_block */
	void *on_block_arg;
	char *file;     /* owned, NULL: none; see mie_input_set_file */
	gzFile gz;      /* the same file through zlib, once libarchive found it cut */
	int cut_header; /* libarchive found it cut before its first block */
	int cut;        /* failed because it ends early: what is buffered is good */
	mie_stdin *tee; /* owned, for standard input */
	int cr_lines;   /* a lone CR ends a line too (see mie_input_cr_lines) */
	int after_cr;   /* the last line ended with a CR: an LF next is its end */
};

struct mie_stdin {
	unsigned char buf[1 << 20]; /* a pipe's reads, as large as F_SETPIPE_SZ's buffer */
	int started;                /* the first bytes were seen */
	FILE *copy;                 /* owned: the bytes read so far, when they are gzip */
	char name[32];              /* /proc/self/fd/N of copy */
};

static la_ssize_t stdin_read(struct archive *a, void *data, const void **out)
{
	mie_stdin *t = data;
	ssize_t n;
	do
		n = read(0, t->buf, sizeof t->buf);
	while (n < 0 && errno == EINTR);
	*out = t->buf;
	if (n < 0) {
		archive_set_error(a, errno, "read error: %s", strerror(errno));
		return -1;
	}
	if (!t->started && n > 0) {
		t->started = 1;
		/* the first read holds the magic (a pipe gives at least 2 bytes
		 * at once in practice; a 1-byte first read means no copy) */
		if (n >= 2 && t->buf[0] == 0x1f && t->buf[1] == 0x8b && (t->copy = mie_tmpfile()))
			snprintf(t->name, sizeof t->name, "/proc/self/fd/%d", fileno(t->copy));
	}
	if (t->copy && n > 0 &&
	    (fwrite(t->buf, 1, (size_t)n, t->copy) != (size_t)n || fflush(t->copy))) {
		fclose(t->copy); /* no room: a cut is then read as libarchive reads it */
		t->copy = NULL;
		t->name[0] = '\0';
	}
	return n;
}

mie_stdin *mie_stdin_open(struct archive *a, int *rc)
{
	mie_stdin *t = mie_xcalloc(1, sizeof *t);
	*rc = archive_read_open(a, t, NULL, stdin_read, NULL);
	return t;
}

const char *mie_stdin_file(const mie_stdin *t)
{
	return t && t->copy && t->name[0] ? t->name : NULL;
}

void mie_stdin_free(mie_stdin *t)
{
	if (!t)
		return;
	if (t->copy)
		fclose(t->copy);
	free(t);
}

static mie_input *input_new(const char *name)
{
	mie_input *in = mie_xcalloc(1, sizeof *in);
	in->name = mie_xstrdup(name);
	in->buf = mie_xmalloc(BLOCK);
	in->line = 1;
	in->size = -1;
	in->owns_ar = 1;
	in->ar = archive_read_new();
	if (!in->ar)
		mie_die("out of memory");
	archive_read_support_filter_all(in->ar);
	archive_read_support_format_raw(in->ar);
	return in;
}

static mie_input *input_start(mie_input *in, int r)
{
	struct archive_entry *e;
	if (r == ARCHIVE_OK)
		r = archive_read_next_header(in->ar, &e);
	if (r == ARCHIVE_EOF || (r < ARCHIVE_WARN && archive_filter_bytes(in->ar, -1) == 0)) {
		/* an empty input: no bytes, no error */
		in->eof = 1;
		return in;
	}
	if (r < ARCHIVE_WARN && in->file && mie_input_is_cut(in->ar)) {
		in->cut_header = 1; /* read from its start by zlib, if it is gzip */
		return in;
	}
	if (r < ARCHIVE_WARN) {
		mie_input_read_error(in->name, in->ar);
		mie_input_free(in);
		return NULL;
	}
	return in;
}

int mie_input_is_cut(struct archive *a)
{
	const char *why = archive_error_string(a);
	/* libarchive's words for it; zlib's Z_BUF_ERROR (-5) is a deflated zip
	 * member whose bytes end before its stream does, liblzma's "no progress"
	 * an .xz file that ends so */
	return why &&
	       (strcasestr(why, "truncated") || strcasestr(why, "premature end") ||
	        strcasestr(why, "unexpected end") || strstr(why, "decompression failed (-5)") ||
	        strstr(why, "No progress is possible"));
}

void mie_input_read_error(const char *name, struct archive *a)
{
	const char *why = archive_error_string(a);
	int e = archive_errno(a);
	mie_loc at = {name, NULL, 0};
	/* a stream cut short or damaged (libarchive's own error numbers: EILSEQ,
	 * -1) is a data problem, what was read before stays read; a system
	 * error (EIO...) is fatal (man/mie-conventions.7) */
	if (mie_input_is_cut(a) || e <= 0 || e == EILSEQ)
		mie_error_at(&at, "truncated: %s: what came before the cut is read",
		             why ? why : "read error");
	else
		mie_fatal("%s: %s", name, why ? why : "read error");
}

mie_input *mie_input_open(const char *path)
{
	int stdin_ = strcmp(path, "-") == 0;
	mie_input *in = input_new(stdin_ ? "(stdin)" : path);
	struct stat st;
	if (!stdin_) {
		if (stat(path, &st) != 0) {
			mie_fatal("%s: cannot open: %s", path, strerror(errno));
			mie_input_free(in);
			return NULL;
		}
		if (S_ISDIR(st.st_mode)) {
			mie_fatal("%s: is a directory", path);
			mie_input_free(in);
			return NULL;
		}
		if (S_ISREG(st.st_mode))
			in->size = st.st_size;
	} else if (fstat(0, &st) == 0 && S_ISREG(st.st_mode)) {
		in->size = st.st_size;
	}
	/* a pipe's 64 KiB buffer costs two context switches per 64 KiB between
	 * the writer and us: a larger one, where the kernel allows it */
	if (stdin_ && fstat(0, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(0, F_SETPIPE_SZ, 1 << 20);
	int r;
	if (stdin_)
		in->tee = mie_stdin_open(in->ar, &r);
	else
		r = archive_read_open_filename(in->ar, path, BLOCK);
	if (!stdin_)
		mie_input_set_file(in, path, 0);
	else if (mie_stdin_file(in->tee))
		mie_input_set_file(in, mie_stdin_file(in->tee), 0);
	return input_start(in, r);
}

mie_input *mie_input_open_memory(const void *data, size_t n, const char *name)
{
	mie_input *in = input_new(name);
	in->size = (int64_t)n;
	if (n == 0) {
		in->eof = 1;
		return in;
	}
	return input_start(in, archive_read_open_memory(in->ar, data, n));
}

mie_input *mie_input_from_archive(struct archive *a, const char *name, mie_budget *budget)
{
	mie_input *in = mie_xcalloc(1, sizeof *in);
	in->name = mie_xstrdup(name);
	in->buf = mie_xmalloc(BLOCK);
	in->line = 1;
	in->size = -1;
	in->ar = a;
	in->budget = budget;
	return in;
}

void mie_input_free(mie_input *in)
{
	if (!in)
		return;
	mie_err_flush(in->name); /* "… and M more like this" about it */
	if (in->ar && in->owns_ar)
		archive_read_free(in->ar);
	if (in->gz)
		gzclose(in->gz);
	mie_stdin_free(in->tee); /* after the archive, which reads it */
	free(in->file);
	free(in->name);
	free(in->buf);
	free(in);
}

int mie_budget_add(mie_budget *b, int64_t r, const char *name)
{
	b->used += r;
	if (b->tripped)
		return 1;
	if (b->max && b->used > b->max) {
		mie_fatal("%s: expands beyond %lld bytes: stopped (raise with --max-bytes)", name,
		          (long long)b->max);
		return b->tripped = 1;
	}
	for (const mie_meter *m = b->meters; m && b->ratio > 0; m = m->outer) {
		int64_t out = b->used - m->out0;
		if (out <= (1 << 20))
			continue;
		int64_t raw = archive_filter_bytes(m->a, -1) - m->raw0;
		if ((double)out <= b->ratio * (double)(raw > 0 ? raw : 1))
			continue;
		/* a meter around the stream (a whole archive, a nested one) names
		 * the stream it stopped in */
		mie_fatal("%s: expands more than %.0f:1 (%lld bytes from %lld): stopped as a "
		          "decompression bomb%s%s (raise with --max-ratio)",
		          m->name, b->ratio, (long long)out, (long long)raw,
		          strcmp(m->name, name) ? " in " : "", strcmp(m->name, name) ? name : "");
		return b->tripped = 1;
	}
	return 0;
}

void mie_input_set_file(mie_input *in, const char *path, int cut)
{
	free(in->file);
	in->file = mie_xstrdup(path);
	in->cut_header = cut;
}

/* A cut gzip file: libarchive's gzip filter drops the block it was filling
 * when the input ends (up to 64 KiB of text before the cut), zlib's gzread
 * hands out every byte it could inflate.  So the file is opened again with
 * zlib, the bytes already read are skipped, and reading goes on there.
 * Returns 0 when that is possible. */
static int resume_with_zlib(mie_input *in)
{
	unsigned char magic[2] = {0, 0};
	FILE *f = in->file ? fopen(in->file, "rb") : NULL;
	size_t got = f ? fread(magic, 1, 2, f) : 0;
	if (f)
		fclose(f);
	/* gzip alone (zlib would read a plain file as it is) */
	if (got != 2 || magic[0] != 0x1f || magic[1] != 0x8b ||
	    (!in->cut_header && archive_filter_count(in->ar) != 2) ||
	    !(in->gz = gzopen(in->file, "rb")))
		return -1;
	gzbuffer(in->gz, BLOCK);
	for (int64_t left = in->bytes; left > 0;) {
		int k = gzread(in->gz, in->buf + in->end,
		               (unsigned)(left < (int64_t)(BLOCK - in->end)
		                                  ? left
		                                  : (int64_t)(BLOCK - in->end)));
		if (k <= 0) {
			gzclose(in->gz);
			in->gz = NULL;
			return -1;
		}
		left -= k;
	}
	return 0;
}

/* Reads more decompressed bytes into buf[end..]: < 0 on error (the
 * archive's error string says why). */
static la_ssize_t read_more(mie_input *in)
{
	if (!in->gz) {
		la_ssize_t r = in->cut_header ? ARCHIVE_FATAL
		                              : archive_read_data(in->ar, in->buf + in->end,
		                                                  BLOCK - in->end);
		if (r >= 0 || !mie_input_is_cut(in->ar) || resume_with_zlib(in) < 0)
			return r;
	}
	int k = gzread(in->gz, in->buf + in->end, (unsigned)(BLOCK - in->end));
	int z = Z_OK;
	gzerror(in->gz, &z);
	return k > 0 ? k : z == Z_OK || z == Z_STREAM_END ? 0 : -1;
}

/* Refills buf; keeps unread bytes. Returns bytes available after. */
static size_t fill(mie_input *in)
{
	if (in->pos > 0 && in->pos < in->end) {
		memmove(in->buf, in->buf + in->pos, in->end - in->pos);
		in->end -= in->pos;
		in->pos = 0;
	} else if (in->pos >= in->end) {
		in->pos = in->end = 0;
	}
	while (!in->eof && !in->failed && in->end < BLOCK) {
		la_ssize_t r = read_more(in);
		if (r < 0) {
			in->cut = mie_input_is_cut(in->ar);
			mie_input_read_error(in->name, in->ar);
			in->failed = 1;
			break;
		}
		in->end += (size_t)r;
		in->bytes += r;
		if (in->on_block)
			in->on_block(in->on_block_arg);
		if (in->budget &&
		    (in->budget->tripped || (r > 0 && mie_budget_add(in->budget, r, in->name))))
			in->failed = 1;
		else if (r == 0)
			in->eof = 1;
		break;
	}
	return in->end - in->pos;
}

static void count_lines(mie_input *in, const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		in->line++;
		p++;
	}
}

ssize_t mie_input_read(mie_input *in, void *buf, size_t n)
{
	if (in->pos >= in->end && !fill(in))
		return in->failed ? -1 : 0;
	size_t k = in->end - in->pos;
	if (k > n)
		k = n;
	memcpy(buf, in->buf + in->pos, k);
	count_lines(in, in->buf + in->pos, k);
	in->pos += k;
	return (ssize_t)k;
}

const unsigned char *mie_input_next(mie_input *in, size_t *n)
{
	*n = 0;
	if (in->pos >= in->end && !fill(in))
		return NULL;
	const unsigned char *p = in->buf + in->pos;
	*n = in->end - in->pos;
	in->pos = in->end;
	return p;
}

const unsigned char *mie_input_peek(mie_input *in, size_t *n)
{
	while (in->end - in->pos < *n && !in->eof && !in->failed) {
		size_t before = in->end - in->pos;
		if (fill(in) == before)
			break;
	}
	if (in->end - in->pos < *n)
		*n = in->end - in->pos;
	return in->buf + in->pos;
}

int mie_input_getline(mie_input *in, mie_buf *line, size_t max)
{
	mie_buf_reset(line);
	int too_long = 0, any = 0;
	for (;;) {
		if (in->pos >= in->end && !fill(in)) {
			if (in->failed)
				return MIE_LINE_ERROR;
			if (!any)
				return MIE_LINE_EOF;
			return too_long ? MIE_LINE_TOO_LONG : MIE_LINE_OK;
		}
		unsigned char *p = in->buf + in->pos;
		size_t avail = in->end - in->pos;
		if (in->after_cr) { /* the LF of a CRLF whose CR ended the last line */
			in->after_cr = 0;
			if (*p == '\n') {
				in->pos++;
				continue;
			}
		}
		any = 1;
		unsigned char *nl = memchr(p, '\n', avail);
		if (in->cr_lines) {
			unsigned char *cr = memchr(p, '\r', nl ? (size_t)(nl - p) : avail);
			if (cr) {
				nl = cr;
				in->after_cr = 1;
			}
		}
		size_t take = nl ? (size_t)(nl - p) : avail;
		if (!too_long) {
			if (line->len + take > max) {
				mie_buf_add(line, p, max - line->len);
				too_long = 1;
			} else {
				mie_buf_add(line, p, take);
			}
		}
		if (nl) {
			in->pos += take + 1;
			in->line++;
			return too_long ? MIE_LINE_TOO_LONG : MIE_LINE_OK;
		}
		in->pos += take;
	}
}

void mie_input_cr_lines(mie_input *in)
{
	in->cr_lines = 1;
}

void mie_input_on_block(mie_input *in, void (*fn)(void *arg), void *arg)
{
	in->on_block = fn;
	in->on_block_arg = arg;
}

const char *mie_input_name(const mie_input *in)
{
	return in->name;
}

long mie_input_line(const mie_input *in)
{
	return in->line;
}

int64_t mie_input_size(const mie_input *in)
{
	return in->size;
}

int64_t mie_input_raw_bytes(const mie_input *in)
{
	return in->eof && in->size >= 0 ? in->size : archive_filter_bytes(in->ar, -1);
}

int64_t mie_input_top_bytes(const mie_input *in)
{
	if (in->budget && in->budget->top)
		return archive_filter_bytes(in->budget->top, -1);
	return mie_input_raw_bytes(in);
}

int64_t mie_input_bytes(const mie_input *in)
{
	return in->bytes;
}

int mie_input_failed(const mie_input *in)
{
	return in->failed;
}

int mie_input_cut(const mie_input *in)
{
	return in->cut;
}
