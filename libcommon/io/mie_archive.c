#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/mie_archive.h"
#include "io/mie_output.h"
#include "text/mie_text.h"
#include "core/mie_utf8.h"

#define BLOCK (64 * 1024)
/* Members stopped by the budget after which the walk may still go on to the
 * next member of the same archive (see past_a_bomb). */
#define MAX_TRIPS 4

typedef struct walk {
	mie_walk_options opt;
	mie_walk_fn fn;
	void *ctx;
	mie_budget budget; /* per command-line input */
	const char *top;   /* command-line path, for locations */
	int stopped;
	int trips; /* members stopped by the budget in this input */
	int said;  /* the current member's read failure was reported */
} walk;

/* A nested archive reads its bytes from the parent's current entry. */
typedef struct nested {
	struct archive *parent;
	mie_budget *budget; /* bytes read out of the parent count too */
	int counting;       /* 0 once a stream counts the bytes it hands out */
	int64_t counted;    /* bytes counted here, given back to that stream */
	const char *name;
	unsigned char buf[BLOCK];
} nested;

static la_ssize_t nested_read(struct archive *a, void *data, const void **out)
{
	nested *n = data;
	if (n->budget->tripped)
		return 0;
	la_ssize_t r = archive_read_data(n->parent, n->buf, sizeof n->buf);
	*out = n->buf;
	if (r < 0)
		archive_set_error(a, EIO, "%s", archive_error_string(n->parent));
	else if (r > 0 && n->counting && (n->counted += r, mie_budget_add(n->budget, r, n->name)))
		return 0;
	return r;
}

static struct archive *new_reader(void)
{
	struct archive *a = archive_read_new();
	if (!a)
		mie_die("out of memory");
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_7zip(a);
	archive_read_support_format_cpio(a);
	archive_read_support_format_raw(a);
	/* zip names without the UTF-8 flag are in CP437, the zip default */
	archive_read_set_options(a, "zip:hdrcharset=CP437");
	return a;
}

/* Why a member is not read ("" for folders: silently), or NULL when it is
 * a regular file to read. */
static const char *refuse(struct archive_entry *e, const char *name)
{
	if (archive_entry_hardlink(e))
		return "hard link, not followed";
	if (!*name)
		return "entry without a name (not an archive?), not read";
	switch (archive_entry_filetype(e)) {
	case AE_IFREG: break;
	case AE_IFDIR: return "";
	case AE_IFLNK: return "symbolic link, not followed";
	default: return "device, FIFO or socket, not read";
	}
	if (name[0] == '/')
		return "absolute path, not read";
	for (const char *p = name; p; p = strchr(p, '/')) {
		p += *p == '/';
		if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0'))
			return "path with \"..\", not read";
	}
	if (archive_entry_is_encrypted(e))
		return "encrypted member not read";
	return NULL;
}

static int walk_entries(walk *w, struct archive *a, struct archive_entry *e, const char *prefix,
                        int depth);

/* 1 when each member of archive `a` is stored on its own — a zip (each
 * member compressed alone), a tar or cpio — with no compression filter
 * around the whole: reaching a member costs nothing but its own bytes. */
static int stored_alone(struct archive *a)
{
	int fmt = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
	return archive_filter_code(a, 0) == ARCHIVE_FILTER_NONE &&
	       (fmt == ARCHIVE_FORMAT_ZIP || fmt == ARCHIVE_FORMAT_TAR ||
	        fmt == ARCHIVE_FORMAT_CPIO);
}

/* Hands the stream `in` of member (NULL: the whole file) to the callback.
 * A reader gives up (-1) on a stream that failed under it — a read error or
 * the budget, already reported: that abandons this stream only, and the
 * walk goes on; any other -1 (an output error) stops the walk. */
static int hand(walk *w, mie_input *in, const char *member)
{
	mie_loc where = {w->top, member, 0};
	int rc = w->fn(w->ctx, in, &where);
	if (mie_input_failed(in))
		w->said = 1;
	return rc < 0 && (mie_input_failed(in) || w->budget.tripped) ? 0 : rc;
}

/* One regular member: an archive inside is walked; anything else (a plain
 * or compressed file) is one decompressed stream. */
static int one_member(walk *w, struct archive *a, struct archive_entry *outer, const char *member,
                      int depth)
{
	mie_buf name = MIE_BUF_INIT;
	mie_loc_format(&name, &(mie_loc){w->top, member, 0});
	int rc = 0;
	if (archive_entry_size_is_set(outer) && archive_entry_size(outer) == 0) {
		mie_input *in = mie_input_from_archive(a, name.data, &w->budget);
		rc = hand(w, in, member);
		mie_input_free(in);
		mie_buf_release(&name);
		return rc;
	}
	/* a member stored on its own has its own ratio (the members of a tar.gz
	 * or a 7z share one stream, measured as a whole by an outer meter) */
	mie_meter own = {a, w->budget.used, archive_filter_bytes(a, -1), name.data,
	                 w->budget.meters};
	int alone = stored_alone(a);
	if (alone)
		w->budget.meters = &own;
	nested n = {a, &w->budget, 1, 0, name.data, {0}};
	struct archive *inner = new_reader();
	struct archive_entry *e = NULL;
	int r = archive_read_open(inner, &n, NULL, nested_read, NULL);
	if (r == ARCHIVE_OK)
		r = archive_read_next_header(inner, &e);
	if (r < ARCHIVE_WARN && w->budget.tripped) {
		w->said = 1; /* the budget stopped its first bytes: said why */
	} else if (r < ARCHIVE_WARN && mie_input_is_cut(inner)) {
		mie_input_read_error(name.data, inner); /* "truncated: ...", exit status 1 */
		w->said = 1;
	} else if (r < ARCHIVE_WARN) {
		mie_error_at(&(mie_loc){w->top, member, 0}, "cannot read member: %s",
		             archive_error_string(inner) ? archive_error_string(inner) : "unknown");
		w->said = 1;
	} else if (archive_format(inner) == ARCHIVE_FORMAT_RAW) {
		/* the stream counts what it hands out — the decompressed bytes of a
		 * page.html.gz member, not its stored ones — so the reader sees it
		 * fail when the budget trips */
		n.counting = 0;
		w->budget.used -= n.counted; /* the look-ahead, handed out again */
		mie_input *in = mie_input_from_archive(inner, name.data, &w->budget);
		rc = hand(w, in, member);
		mie_input_free(in);
	} else if (depth >= w->opt.max_depth) {
		mie_error_at(&(mie_loc){w->top, member, 0},
		             "archive nested deeper than %d levels, not read", w->opt.max_depth);
	} else {
		mie_buf prefix = MIE_BUF_INIT;
		mie_buf_addf(&prefix, "%s!", member);
		rc = walk_entries(w, inner, e, prefix.data, depth + 1);
		mie_buf_release(&prefix);
	}
	archive_read_free(inner);
	if (alone)
		w->budget.meters = own.outer;
	mie_buf_release(&name);
	return rc;
}

/* After a member of the command-line archive `a` tripped the budget: can
 * the walk go on with the next member?  Only when getting there costs no
 * decompression — a zip opened from a file (libarchive seeks past the
 * member using the central directory), a tar or cpio with no compression
 * filter (the member's stored bytes are skipped, which also passes a sparse
 * bomb); not a 7z, whose solid blocks are skipped by decompressing them —
 * and at most MAX_TRIPS times per input.  The stopped member's bytes
 * are then given back to the budget (they were thrown away), so `max_bytes`
 * still bounds what is imported, and the work done stays below
 * (MAX_TRIPS + 1) * max_bytes.  Otherwise the input stops here, said once. */
static int past_a_bomb(walk *w, struct archive *a, int depth, int64_t used_before)
{
	int cheap = depth == 1 && strcmp(w->top, "-") != 0 && stored_alone(a);
	if (depth > 1)
		return 0; /* the outermost walk decides */
	if (!cheap || w->trips >= MAX_TRIPS) {
		mie_error_at(&(mie_loc){w->top, NULL, 0}, "%s",
		             cheap ? "too many members stopped by the limits: rest not read"
		             : strcmp(w->top, "-") == 0 && stored_alone(a)
		                     ? "archive read from a stream: the members after the "
		                       "stopped one are not read"
		                     : "compressed archive: the members after the stopped one are "
		                       "not read");
		return 0;
	}
	w->trips++;
	w->budget.used = used_before;
	w->budget.tripped = 0;
	return 1;
}

/* A mie_repair_fn: sets *(int *)ctx when control characters were removed. */
static void saw_control(void *ctx, const char *kind, const char *detail, const char *original)
{
	if (strcmp(kind, "control-char") == 0)
		*(int *)ctx = 1;
}

/* Reads the entries of a, whose first header e was read already. */
static int walk_entries(walk *w, struct archive *a, struct archive_entry *e, const char *prefix,
                        int depth)
{
	mie_buf member = MIE_BUF_INIT, fixed = MIE_BUF_INIT;
	for (;;) {
		const char *raw = archive_entry_pathname_utf8(e);
		if (!raw)
			raw = archive_entry_pathname(e);
		if (!raw)
			raw = "";
		/* the name as record text (it goes to provenance): a name in a
		 * legacy charset (an old tar; zip ones are CP437, see new_reader)
		 * read as windows-1252, the likeliest on this site's machines;
		 * control characters removed, which is said */
		const char *given = raw;
		int controls = 0;
		mie_buf_reset(&fixed);
		mie_text_decode(&fixed, raw, strlen(raw),
		                mie_utf8_valid(raw, strlen(raw)) ? "utf-8" : "windows-1252", 0,
		                saw_control, &controls);
		raw = fixed.data;
		/* "./www.infomie.net/article78.html" (tar czf x.tgz .) is the
		 * member "www.infomie.net/article78.html"; "./" itself is "." */
		const char *rel = raw;
		while (rel[0] == '.' && rel[1] == '/') {
			rel += 2;
			while (*rel == '/')
				rel++;
		}
		raw = *rel || !*raw ? rel : ".";
		mie_buf_reset(&member);
		mie_buf_adds(&member, prefix);
		mie_buf_adds(&member, raw);
		if (controls)
			mie_warn_at(&(mie_loc){w->top, member.data, 0},
			            "control characters removed from the member name \"%s\"",
			            given);
		const char *why = refuse(e, raw);
		if (why && *why)
			mie_error_at(&(mie_loc){w->top, member.data, 0}, "%s", why);
		if (why && !*raw)
			break; /* a nameless entry: the rest cannot be trusted */
		int64_t used_before = w->budget.used;
		w->said = 0;
		if (!why && one_member(w, a, e, member.data, depth) < 0) {
			mie_buf_release(&member);
			mie_buf_release(&fixed);
			return -1;
		}
		if (w->budget.tripped && !past_a_bomb(w, a, depth, used_before))
			break;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN && w->said) {
			break; /* the cut that stopped the member: said already */
		} else if (r < ARCHIVE_WARN) {
			const char *err =
			        archive_error_string(a) ? archive_error_string(a) : "read error";
			if (mie_input_is_cut(a)) /* the cut is in this member's bytes or
			                          * just after them: named as archive!member */
				mie_error_at(&(mie_loc){w->top, member.data, 0},
				             "truncated: %s: what came before the cut is read",
				             err);
			else
				mie_error_at(&(mie_loc){w->top, member.data, 0},
				             "the member after it cannot be read: %s", err);
			break;
		}
	}
	mie_buf_release(&member);
	mie_buf_release(&fixed);
	return 0;
}

/* A reader of a single stream: no archive format looks ahead into it. */
static struct archive *new_raw_reader(void)
{
	struct archive *a = archive_read_new();
	if (!a)
		mie_die("out of memory");
	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	/* zip names without the UTF-8 flag are in CP437, the zip default */
	archive_read_set_options(a, "zip:hdrcharset=CP437");
	return a;
}

/* Opens path, or standard input for "-" (then *tee is set: see
 * mie_stdin_open). */
static int open_path(struct archive *a, const char *path, mie_stdin **tee)
{
	int r;
	if (strcmp(path, "-") == 0)
		*tee = mie_stdin_open(a, &r);
	else
		r = archive_read_open_filename(a, path, BLOCK);
	return r;
}

/* A file (or stdin): an archive is walked, anything else is one stream. */
static int walk_file(walk *w, const char *path)
{
	const char *name = strcmp(path, "-") ? path : "(stdin)";
	struct archive *a = new_reader();
	mie_stdin *tee = NULL;
	int r = open_path(a, path, &tee);
	struct archive_entry *e = NULL;
	if (r == ARCHIVE_OK)
		r = archive_read_next_header(a, &e);
	/* the file a cut gzip stream is read on from: the input, or the copy of
	 * standard input's gzip bytes (NULL: none, what libarchive read is all) */
	const char *file = strcmp(path, "-") ? path : mie_stdin_file(tee);
	if (r < ARCHIVE_WARN && archive_filter_bytes(a, -1) > 0 && mie_input_is_cut(a) && file) {
		/* a compressed file cut short before the archive formats' look-ahead
		 * (a small dump.xml.gz): read as one stream, up to the cut */
		archive_read_free(a);
		a = new_raw_reader();
		if ((r = archive_read_open_filename(a, file, BLOCK)) == ARCHIVE_OK)
			r = archive_read_next_header(a, &e);
	}
	int rc = 0;
	w->budget.top = a;
	/* the file as a whole: every byte out of it against its bytes read */
	mie_meter whole = {a, w->budget.used, 0, name, NULL};
	w->budget.meters = &whole;
	int fmt = archive_format(a);
	if (r == ARCHIVE_EOF && fmt != 0 && fmt != ARCHIVE_FORMAT_RAW) {
		/* an empty tar is also what libarchive makes of a file that starts
		 * with two blocks of NUL bytes (an ISO image, a wiped disk): never
		 * taken as "nothing to import" (exit 1) */
		mie_error_at(&(mie_loc){path, NULL, 0},
		             "archive without members (empty, or not an archive): nothing read");
	} else if (r == ARCHIVE_EOF || (r < ARCHIVE_WARN && archive_filter_bytes(a, -1) == 0)) {
		mie_input *in = mie_input_open_memory("", 0, path); /* empty file */
		rc = hand(w, in, NULL);
		mie_input_free(in);
	} else if (r < ARCHIVE_WARN && !(mie_input_is_cut(a) && file)) {
		mie_input_read_error(name, a);
	} else if (r < ARCHIVE_WARN || archive_format(a) == ARCHIVE_FORMAT_RAW) {
		/* (a file cut before its first block is read from its start by the
		 * stream, see mie_input_set_file) */
		mie_input *in = mie_input_from_archive(a, name, &w->budget);
		if (file)
			mie_input_set_file(in, file, r < ARCHIVE_WARN);
		rc = hand(w, in, NULL);
		mie_input_free(in);
	} else {
		rc = walk_entries(w, a, e, "", 1);
	}
	w->budget.top = NULL;
	w->budget.meters = NULL;
	archive_read_free(a);
	mie_stdin_free(tee);
	return rc;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int walk_path(walk *w, const char *path);

static int walk_dir(walk *w, const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name);
	if (n < 0) {
		mie_fatal("%s: cannot open: %s", dir, strerror(errno));
		return 0;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		const char *d = names[i]->d_name;
		if (rc == 0 && strcmp(d, ".") && strcmp(d, "..")) {
			mie_buf p = MIE_BUF_INIT;
			mie_buf_addf(&p, "%s/%s", dir, d);
			rc = walk_path(w, p.data);
			mie_buf_release(&p);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static int walk_path(walk *w, const char *path)
{
	struct stat st;
	if (strcmp(path, "-") != 0 && lstat(path, &st) != 0) {
		mie_fatal("%s: cannot open: %s", path, strerror(errno));
		return 0;
	}
	if (strcmp(path, "-") != 0 && S_ISREG(st.st_mode) && mie_output_owns(&st))
		return 0; /* this run's own output, or its temporary file, in a folder read */
	if (strcmp(path, "-") == 0 || S_ISREG(st.st_mode)) {
		const char *saved = w->top;
		w->top = path;
		int rc = walk_file(w, path);
		w->top = saved;
		return rc;
	}
	if (S_ISDIR(st.st_mode))
		return walk_dir(w, path);
	mie_error_at(&(mie_loc){path, NULL, 0}, "%s",
	             S_ISLNK(st.st_mode) ? "symbolic link, not followed"
	                                 : "not a regular file, not read");
	return 0;
}

int mie_walk(const char *path, const mie_walk_options *opt, mie_walk_fn fn, void *ctx)
{
	walk w = {*opt, fn, ctx, {0}, path, 0, 0, 0};
	if (!w.opt.max_bytes)
		w.opt.max_bytes = (int64_t)4 << 30;
	if (w.opt.max_ratio == 0)
		w.opt.max_ratio = 1000;
	else if (w.opt.max_ratio < 0)
		w.opt.max_ratio = 0; /* the budget's "no limit" */
	if (!w.opt.max_depth)
		w.opt.max_depth = 3;
	w.budget.max = w.opt.max_bytes;
	w.budget.ratio = w.opt.max_ratio;
	struct stat st;
	/* a command-line symbolic link is the user's choice: follow it */
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return walk_dir(&w, path);
	if (strcmp(path, "-") != 0 && stat(path, &st) != 0) {
		mie_fatal("%s: cannot open: %s", path, strerror(errno));
		return 0;
	}
	return walk_file(&w, path);
}
