/* mie_src_bagit.c — `mie-import --from bagit PACKAGE`: a BagIt package
 * (folder, .zip or .tar.gz) made by `mie-export --to bagit`, or by any
 * BagIt tool, holding data/records.jsonl.
 *
 * Nothing is emitted before the whole package is checked: bagit.txt, every
 * line of every payload and tag manifest (SHA-256 and SHA-512), every
 * payload file listed in every payload manifest, Payload-Oxum.  Every
 * failing file is named with why (changed, missing, not in the manifest),
 * then the package is refused (exit 1, no record).  Names are compared in
 * Unicode NFC, so a bag unpacked on a system that writes NFD names checks.
 * A valid bag's records get a provenance entry {"format": "bagit",
 * "file": External-Identifier (else the package's path), "member":
 * "data/records.jsonl", "line"}.
 *
 * The package is read as it is (never walked into: a .gz or .zip
 * attachment is hashed, not opened), once; held in memory: per file its
 * name, size and two digests, and the tag files (at most 16 MiB each);
 * data/records.jsonl goes to a spill until the checks are done. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "formats/mie_bagit.h"
#include "import/mie_import.h"
#include "import/mie_src_bagit.h"
#include "formats/mie_jsonl.h"
#include "io/mie_output.h"
#include "record/mie_record.h"
#include "text/mie_text.h"
#include "core/mie_tmp.h"

#define TAG_MAX ((size_t)16 << 20)

typedef struct bfile {
	char *name; /* owned, NFC, as in the package (top folder included) */
	int64_t size;
	char hex[MIE_BAGIT_NALGS][129];
	unsigned listed; /* bit i: listed in the i-th payload manifest */
	mie_buf text;    /* a tag file's content (not under data/) */
} bfile;

typedef struct pkg {
	mie_bagit_record_fn fn; /* gets the records of a valid package */
	void *fn_ctx;
	const char *path; /* borrowed: the command-line input */
	bfile *files;
	size_t n, cap;
	const char *top; /* prefix of every name ("" or "NAME/"), borrowed */
	size_t toplen;
	FILE *records; /* owned spill of data/records.jsonl */
	char *records_name;
	mie_bagit_digest *dg;
	long problems;
	int damaged;
	const char *files_out; /* --files-out DIR, or NULL */
	int extracting;        /* second pass: writing the attachments out */
} pkg;

static void problem(pkg *p, const char *file, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static void problem(pkg *p, const char *file, const char *fmt, ...)
{
	mie_buf msg = MIE_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	mie_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	mie_loc loc = {.file = p->path, .member = file};
	mie_error_at(&loc, "%s", msg.data);
	mie_buf_release(&msg);
	p->problems++;
}

static int is_records(const char *name)
{
	size_t n = strlen(name), m = strlen("data/records.jsonl");
	return n >= m && strcmp(name + n - m, "data/records.jsonl") == 0 &&
	       (n == m || name[n - m - 1] == '/');
}

static int is_tag_name(const char *name)
{
	return !strstr(name, "data/") ||
	       (strncmp(name, "data/", 5) != 0 && !strstr(name, "/data/"));
}

/* Hashes one file of the package; keeps a tag file's text, spills the
 * records.  Returns 0, or -1 on a read error (said). */
static bfile *find(pkg *p, const char *rel);
static int extract(pkg *p, const char *raw_name, mie_bagit_read_fn rd, void *src);

static int take(pkg *p, const char *raw_name, mie_bagit_read_fn rd, void *src)
{
	if (p->extracting)
		return extract(p, raw_name, rd, src);
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->files = mie_xrealloc(p->files, p->cap * sizeof *p->files);
	}
	bfile *f = &p->files[p->n++];
	*f = (bfile){0};
	mie_buf nfc = MIE_BUF_INIT;
	mie_text_nfc(&nfc, raw_name, strlen(raw_name));
	f->name = mie_buf_detach(&nfc, NULL);
	mie_buf_init(&f->text);
	int keep_text = is_tag_name(f->name);
	FILE *spill = NULL;
	if (!p->records && is_records(f->name)) {
		if (!(p->records = mie_tmpfile()))
			return -1;
		p->records_name = mie_xstrdup(f->name);
		spill = p->records;
	}
	static char buf[1 << 16];
	ssize_t got;
	while ((got = rd(src, buf, sizeof buf)) > 0) {
		mie_bagit_digest_update(p->dg, buf, (size_t)got);
		f->size += got;
		if (keep_text && f->text.len < TAG_MAX)
			mie_buf_add(&f->text, buf, (size_t)got);
		if (spill && fwrite(buf, 1, (size_t)got, spill) != (size_t)got) {
			mie_fatal("temporary file: write error: %s", strerror(errno));
			return -1;
		}
	}
	mie_bagit_digest_final(p->dg, f->hex);
	return got < 0 ? -1 : 0;
}

/* nftw has no context argument: the package being read (one thread). */
static _Thread_local pkg *walking;

static int take_disk(const char *fpath, const struct stat *st, int flag, struct FTW *ftw)
{
	pkg *p = walking;
	const char *rel = fpath + strlen(p->path);
	while (*rel == '/')
		rel++;
	if (flag == FTW_SL) {
		problem(p, rel, "symbolic link: not followed");
		return 0;
	}
	if (flag != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	FILE *fp = fopen(fpath, "rb");
	if (!fp) {
		problem(p, rel, "cannot read: %s", strerror(errno));
		return 0;
	}
	int rc = take(p, rel, mie_bagit_read_stdio, fp);
	int err = ferror(fp);
	fclose(fp);
	if (rc < 0 && err) {
		problem(p, rel, "read error");
		return 0;
	}
	return rc;
}

static int read_folder(pkg *p)
{
	walking = p;
	int rc = nftw(p->path, take_disk, 16, FTW_PHYS);
	walking = NULL;
	return rc < 0 ? -1 : 0;
}

static int read_archive(pkg *p)
{
	struct archive *a = archive_read_new();
	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	archive_read_support_filter_all(a);
	int rc = 0;
	if (archive_read_open_filename(a, p->path, 1 << 16) != ARCHIVE_OK) {
		problem(p, NULL, "not a readable package: %s", archive_error_string(a));
		p->damaged = 1;
		archive_read_free(a);
		return 0;
	}
	struct archive_entry *e;
	int st;
	while ((st = archive_read_next_header(a, &e)) == ARCHIVE_OK || st == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname_utf8(e);
		if (!name || archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (mie_bagit_path_problem(name)) {
			problem(p, name, "not a path a bag may hold (%s)",
			        mie_bagit_path_problem(name));
			continue;
		}
		if (take(p, name, mie_bagit_read_archive, a) < 0) {
			if (mie_exit_status() == MIE_EXIT_FATAL)
				rc = -1;
			else
				problem(p, name, "damaged or truncated: %s",
				        archive_error_string(a));
			p->damaged = 1;
			break;
		}
	}
	if (!p->damaged && st != ARCHIVE_EOF) {
		problem(p, NULL, "damaged or truncated archive: %s", archive_error_string(a));
		p->damaged = 1;
	}
	archive_read_free(a);
	return rc;
}

/* ---- the checks ---- */

static bfile *find(pkg *p, const char *rel)
{
	for (size_t i = 0; i < p->n; i++)
		if (strncmp(p->files[i].name, p->top, p->toplen) == 0 &&
		    strcmp(p->files[i].name + p->toplen, rel) == 0)
			return &p->files[i];
	return NULL;
}

/* The bag's top: "" when bagit.txt is at the root, else the folder that
 * holds bagit.txt when there is one such. */
static void find_top(pkg *p)
{
	p->top = "";
	p->toplen = 0;
	if (find(p, "bagit.txt"))
		return;
	for (size_t i = 0; i < p->n; i++) {
		const char *s = strchr(p->files[i].name, '/');
		if (s && strcmp(s + 1, "bagit.txt") == 0) {
			p->top = p->files[i].name;
			p->toplen = (size_t)(s + 1 - p->files[i].name);
			return;
		}
	}
}

static const char *rel_of(const pkg *p, const bfile *f)
{
	return strncmp(f->name, p->top, p->toplen) == 0 ? f->name + p->toplen : NULL;
}

/* The value of `label` in a tag file's text ("Label: value" lines), into
 * out; 0 when found. */
static int tag_value(const mie_buf *text, const char *label, mie_buf *out)
{
	size_t n = strlen(label);
	for (const char *l = text->data; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (strncmp(l, label, n) == 0 && l[n] == ':') {
			const char *v = l + n + 1, *end = strchr(v, '\n');
			while (*v == ' ' || *v == '\t')
				v++;
			size_t len = end ? (size_t)(end - v) : strlen(v);
			while (len && (v[len - 1] == '\r' || v[len - 1] == ' '))
				len--;
			mie_buf_add(out, v, len);
			return 0;
		}
	}
	return -1;
}

static void check_declaration(pkg *p)
{
	bfile *f = find(p, "bagit.txt");
	mie_buf v = MIE_BUF_INIT;
	if (!f)
		problem(p, "bagit.txt", "missing: not a bag");
	else if (tag_value(&f->text, "BagIt-Version", &v) < 0 ||
	         (strcmp(v.data, "1.0") != 0 && strcmp(v.data, "0.97") != 0))
		problem(p, "bagit.txt", "no BagIt-Version 1.0 or 0.97");
	mie_buf_reset(&v);
	if (f && (tag_value(&f->text, "Tag-File-Character-Encoding", &v) < 0 ||
	          strcasecmp(v.data, "UTF-8") != 0))
		problem(p, "bagit.txt", "Tag-File-Character-Encoding is not UTF-8");
	mie_buf_release(&v);
}

/* Checks every line of one manifest; `bit` marks the payload files it
 * lists (0 for a tag manifest). */
static void check_manifest(pkg *p, const bfile *m, int alg, unsigned bit)
{
	const char *mname = rel_of(p, m);
	mie_buf path = MIE_BUF_INIT, nfc = MIE_BUF_INIT;
	long lineno = 0;
	for (const char *l = m->text.data; *l;) {
		const char *end = strchr(l, '\n');
		size_t len = end ? (size_t)(end - l) : strlen(l);
		lineno++;
		const char *hex;
		size_t hexlen;
		mie_buf_reset(&path);
		mie_buf_reset(&nfc);
		if (len && mie_bagit_parse_line(l, len, &hex, &hexlen, &path) < 0) {
			problem(p, mname, "line %ld: not CHECKSUM PATH", lineno);
		} else if (len) {
			mie_text_nfc(&nfc, path.data, path.len);
			bfile *f = find(p, nfc.data);
			if (!f)
				problem(p, nfc.data, "missing (listed in %s)", mname);
			else if (hexlen != strlen(f->hex[alg]) ||
			         strncasecmp(hex, f->hex[alg], hexlen))
				problem(p, nfc.data, "changed (its %s is not the one in %s)",
				        mie_bagit_alg_names[alg], mname);
			if (f)
				f->listed |= bit;
		}
		l = end ? end + 1 : l + len;
	}
	mie_buf_release(&path);
	mie_buf_release(&nfc);
}

static void check_manifests(pkg *p)
{
	unsigned payload_bits = 0;
	const char *names[8];
	int nman = 0;
	for (int tag = 0; tag < 2; tag++)
		for (size_t i = 0; i < p->n; i++) {
			const char *rel = rel_of(p, &p->files[i]);
			const char *pre = tag ? "tagmanifest-" : "manifest-";
			if (!rel || strncmp(rel, pre, strlen(pre)) != 0 || strchr(rel, '/'))
				continue;
			const char *alg = rel + strlen(pre), *dot = strstr(alg, ".txt");
			int a = -1;
			for (int k = 0; dot && k < MIE_BAGIT_NALGS; k++)
				if (strlen(mie_bagit_alg_names[k]) == (size_t)(dot - alg) &&
				    strncmp(alg, mie_bagit_alg_names[k], (size_t)(dot - alg)) == 0)
					a = k;
			if (a < 0) {
				problem(p, rel, "algorithm not supported (sha256, sha512)");
				continue;
			}
			unsigned bit = 0;
			if (!tag && nman < 8) {
				bit = 1u << nman;
				names[nman++] = rel;
				payload_bits |= bit;
			}
			check_manifest(p, &p->files[i], a, bit);
		}
	if (!nman)
		problem(p, "manifest-sha256.txt", "missing: a bag needs a payload manifest");
	for (size_t i = 0; i < p->n; i++) {
		const char *rel = rel_of(p, &p->files[i]);
		if (!rel || strncmp(rel, "data/", 5) != 0)
			continue;
		for (int k = 0; k < nman; k++)
			if (!(p->files[i].listed & (1u << k)))
				problem(p, rel, "not in the manifest (%s)", names[k]);
	}
	(void)payload_bits;
}

static void check_oxum(pkg *p)
{
	bfile *info = find(p, "bag-info.txt");
	mie_buf v = MIE_BUF_INIT, want = MIE_BUF_INIT;
	if (info && tag_value(&info->text, "Payload-Oxum", &v) == 0) {
		int64_t bytes = 0;
		long files = 0;
		for (size_t i = 0; i < p->n; i++) {
			const char *rel = rel_of(p, &p->files[i]);
			if (rel && strncmp(rel, "data/", 5) == 0)
				bytes += p->files[i].size, files++;
		}
		mie_bagit_oxum(&want, bytes, files);
		if (strcmp(v.data, want.data) != 0)
			problem(p, "bag-info.txt", "Payload-Oxum is %s, the payload is %s", v.data,
			        want.data);
	}
	mie_buf_release(&v);
	mie_buf_release(&want);
}

/* ---- --files-out ---- */

/* Makes the folders of path (not its last part). */
static int make_parents(const char *path)
{
	mie_buf b = MIE_BUF_INIT;
	mie_buf_adds(&b, path);
	int rc = 0;
	for (char *q = b.data + 1; *q && !rc; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(b.data, 0755) < 0 && errno != EEXIST) {
			mie_fatal("%s: cannot create: %s", b.data, strerror(errno));
			rc = -1;
		}
		*q = '/';
	}
	mie_buf_release(&b);
	return rc;
}

/* An attachment of a checked package written to DIR/PATH (atomically),
 * hashed again on the way: it must be the file that was checked. */
static int extract(pkg *p, const char *raw_name, mie_bagit_read_fn rd, void *src)
{
	mie_buf nfc = MIE_BUF_INIT, path = MIE_BUF_INIT;
	mie_text_nfc(&nfc, raw_name, strlen(raw_name));
	const char *rel = strncmp(nfc.data, p->top, p->toplen) == 0 ? nfc.data + p->toplen : NULL;
	int rc = 0;
	if (rel && strncmp(rel, "data/files/", 11) == 0 && find(p, rel)) {
		mie_buf_addf(&path, "%s/%s", p->files_out, rel + 11);
		mie_output *o = make_parents(path.data) == 0 ? mie_output_open(path.data) : NULL;
		static char buf[1 << 16];
		ssize_t got = 0;
		while (o && (got = rd(src, buf, sizeof buf)) > 0) {
			mie_bagit_digest_update(p->dg, buf, (size_t)got);
			fwrite(buf, 1, (size_t)got, mie_output_file(o));
		}
		char hex[MIE_BAGIT_NALGS][129];
		mie_bagit_digest_final(p->dg, hex);
		if (!o) {
			rc = -1;
		} else if (got < 0 ||
		           strcmp(hex[MIE_BAGIT_SHA256], find(p, rel)->hex[MIE_BAGIT_SHA256])) {
			problem(p, rel, "changed while it was read: not extracted");
			mie_output_abort(&o);
		} else {
			rc = mie_output_commit(&o);
		}
	}
	mie_buf_release(&nfc);
	mie_buf_release(&path);
	return rc;
}

/* ---- the records ---- */

static int emit_records(pkg *p)
{
	bfile *info = find(p, "bag-info.txt");
	mie_buf ident = MIE_BUF_INIT;
	if (!info || tag_value(&info->text, "External-Identifier", &ident) < 0 || !ident.len)
		mie_buf_adds(&ident, p->path);
	rewind(p->records);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int rc = 0;
	mie_buf why = MIE_BUF_INIT;
	while (!rc && (n = getline(&line, &cap, p->records)) > 0) {
		lineno++;
		if (line[n - 1] == '\n')
			n--;
		json_t *rec = NULL;
		mie_buf_reset(&why);
		mie_loc loc = {.file = p->path, .member = "data/records.jsonl", .line = lineno};
		int st = mie_jsonl_parse(line, (size_t)n, lineno == 1, &rec, &why);
		if (st == MIE_JSONL_BAD) {
			rc = p->fn(p->fn_ctx, NULL, &loc, why.data);
		} else if (st == MIE_JSONL_OK) {
			mie_loc prov = {
			        .file = ident.data, .member = "data/records.jsonl", .line = lineno};
			mie_rec_add_provenance(rec, "bagit", &prov, NULL);
			rc = p->fn(p->fn_ctx, rec, &loc, NULL);
		}
	}
	free(line);
	mie_buf_release(&why);
	mie_buf_release(&ident);
	return rc;
}

int mie_bagit_read(const char *path, const char *files_out, mie_bagit_record_fn fn, void *ctx)
{
	pkg p = {.fn = fn,
	         .fn_ctx = ctx,
	         .path = path,
	         .dg = mie_bagit_digest_new(),
	         .files_out = files_out};
	struct stat st;
	int rc = 0;
	if (stat(path, &st) < 0) {
		mie_fatal("%s: cannot open: %s", path, strerror(errno));
		rc = -1;
	} else {
		rc = S_ISDIR(st.st_mode) ? read_folder(&p) : read_archive(&p);
	}
	if (!rc) {
		find_top(&p);
		check_declaration(&p);
		check_manifests(&p);
		check_oxum(&p);
		if (!p.records)
			problem(&p, "data/records.jsonl", "missing: not a bag of mie records");
		if (p.problems) {
			mie_loc loc = {.file = path};
			mie_error_at(&loc, "package refused: %ld problem%s, no record read",
			             p.problems, p.problems == 1 ? "" : "s");
			rc = 1;
		} else if (files_out) {
			p.extracting = 1;
			rc = S_ISDIR(st.st_mode) ? read_folder(&p) : read_archive(&p);
			rc = rc ? rc : p.problems ? 1 : emit_records(&p);
		} else {
			rc = emit_records(&p);
		}
	}
	for (size_t i = 0; i < p.n; i++) {
		free(p.files[i].name);
		mie_buf_release(&p.files[i].text);
	}
	free(p.files);
	free(p.records_name);
	if (p.records)
		fclose(p.records);
	mie_bagit_digest_free(&p.dg);
	return rc;
}

/* The importer's side: records emitted, unreadable lines rejected. */
static int to_import(void *ctx, json_t *rec, const mie_loc *loc, const char *why)
{
	if (!rec) {
		mie_import_reject(ctx, "bagit", "records", loc, NULL, NULL, why);
		return 0;
	}
	return mie_import_emit(ctx, "bagit", "records", rec);
}

static int bagit_read_path(mie_import *ctx, const char *path)
{
	int rc = mie_bagit_read(path, ctx->opt.unpack, to_import, ctx);
	if (rc > 0)
		mie_import_skip_at(ctx, &(mie_loc){path, NULL, 0}, "bagit", "refused packages", 1);
	return rc < 0 ? -1 : 0;
}

int mie_bagit_is_package(const char *path)
{
	struct stat st;
	size_t n = strlen(path);
	if (stat(path, &st) < 0)
		return 0;
	if (S_ISDIR(st.st_mode)) {
		mie_buf b = MIE_BUF_INIT;
		mie_buf_addf(&b, "%s/bagit.txt", path);
		int yes = stat(b.data, &st) == 0;
		mie_buf_release(&b);
		return yes;
	}
	return (n > 4 && strcmp(path + n - 4, ".zip") == 0) ||
	       (n > 7 && strcmp(path + n - 7, ".tar.gz") == 0) ||
	       (n > 4 && strcmp(path + n - 4, ".tgz") == 0);
}

const mie_path_source mie_source_bagit = {"bagit", bagit_read_path};
