/* mie_export_bagit.c — `mie-export --to bagit -o OUT`: a BagIt 1.0 package
 * (RFC 8493) of the records and their attachments, as a folder, a .zip or
 * a .tar.gz, written through libarchive.
 *
 * The bag:
 *   data/records.jsonl, data/records.xml   every record, both forms
 *   data/files/PATH                        the `file` of each document record,
 *                                          read from --files-root DIR|ARCHIVE
 *   data/withheld.json                     what the import withheld (fields, counts)
 *   manifest-sha256.txt, manifest-sha512.txt, bagit.txt, bag-info.txt,
 *   tagmanifest-sha256.txt
 * In a .zip or .tar.gz every entry is under one top folder named after OUT
 * (dossier.zip -> dossier/), as RFC 8493 section 4.2 asks of serialised bags.
 *
 * Held: the records go to two spills (temporary files) while they are put,
 * since an archive entry's size is written before its bytes; in memory
 * only the attachment paths (one string per document) and the counts.
 * Every payload byte is read once: both digests are updated as the byte is
 * written to the bag.  Bagging-Date and the entries' times are now (UTC),
 * or $SOURCE_DATE_EPOCH when set (reproducible bags). */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "formats/mie_bagit.h"
#include "export/mie_export.h"
#include "io/mie_outdir.h"
#include "export/mie_export_files.h"
#include "select/mie_idmap.h"
#include "record/mie_record.h"
#include "formats/mie_stream.h"
#include "core/mie_tmp.h"
#include "record/mie_xref.h"

enum { O_FILES_ROOT, O_ALLOW_MISSING, O_ORGANISATION, O_DESCRIPTION, O_IDENTIFIER };

static const mie_option bagit_options[] = {
        {1, 0, "files-root", "DIR|ARCHIVE", "where the documents' files are"},
        {2, 0, "allow-missing", NULL,
         "a missing attachment is listed in bag-info.txt, not an error"},
        {3, 0, "organisation", "NAME", "Source-Organization of bag-info.txt (default: the site)"},
        {4, 0, "description", "TEXT", "External-Description of bag-info.txt"},
        {5, 0, "identifier", "ID",
         "External-Identifier of bag-info.txt (default: the dossier's id, else OUT's name)"},
        {0, 0, NULL, NULL, NULL}};

typedef struct type_count {
	char *type; /* owned */
	long n;
} type_count;

typedef struct attachment {
	char *path;   /* owned: the record's `file` */
	char *record; /* owned: the document's id, for messages */
	int found;
} attachment;

typedef struct bag {
	const char *out; /* borrowed (-o) */
	const char *const *opt;
	int kind;            /* 0 folder, 1 zip, 2 tar.gz */
	char *top;           /* owned: "NAME/" inside an archive, "" for a folder */
	char *tmp;           /* owned: the temporary target beside OUT */
	FILE *jsonl, *xml;   /* owned spills */
	mie_writer *wj, *wx; /* owned */
	type_count *types;
	size_t ntypes;
	attachment *att;
	size_t natt;
	mie_idmap att_seen;
	json_t *withheld; /* owned: {"TYPE\tFIELD": count} */
	char *site;       /* owned: the first record's site */
	char *dossier;    /* owned: the first dossier record's id */
	long records;
	/* writing */
	struct archive *a; /* owned */
	mie_bagit_digest *dg;
	mie_buf manifest[MIE_BAGIT_NALGS], tagmanifest, missing;
	int64_t oxum_bytes;
	long oxum_files;
	int failed;
} bag;

static void bag_free(bag *b)
{
	if (b->wj)
		mie_writer_finish(b->wj);
	if (b->wx)
		mie_writer_finish(b->wx);
	if (b->jsonl)
		fclose(b->jsonl);
	if (b->xml)
		fclose(b->xml);
	for (size_t i = 0; i < b->ntypes; i++)
		free(b->types[i].type);
	free(b->types);
	for (size_t i = 0; i < b->natt; i++) {
		free(b->att[i].path);
		free(b->att[i].record);
	}
	free(b->att);
	mie_idmap_release(&b->att_seen);
	json_decref(b->withheld);
	free(b->site);
	free(b->dossier);
	if (b->a)
		archive_write_free(b->a);
	mie_bagit_digest_free(&b->dg);
	for (int i = 0; i < MIE_BAGIT_NALGS; i++)
		mie_buf_release(&b->manifest[i]);
	mie_buf_release(&b->tagmanifest);
	mie_buf_release(&b->missing);
	free(b->top);
	free(b->tmp);
	free(b);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && strcmp(s + n - m, suffix) == 0;
}

static int bag_open(const mie_export_opts *o, void **state)
{
	if (!o->output || strcmp(o->output, "-") == 0) {
		mie_fatal("--to bagit needs -o OUT (a folder, a .zip or a .tar.gz)");
		return -1;
	}
	bag *b = mie_xcalloc(1, sizeof *b);
	b->out = o->output;
	b->opt = o->opt;
	b->kind = ends_with(o->output, ".zip")                                      ? 1
	          : ends_with(o->output, ".tar.gz") || ends_with(o->output, ".tgz") ? 2
	                                                                            : 0;
	mie_idmap_init(&b->att_seen);
	b->withheld = json_object();
	for (int i = 0; i < MIE_BAGIT_NALGS; i++)
		mie_buf_init(&b->manifest[i]);
	mie_buf_init(&b->tagmanifest);
	mie_buf_init(&b->missing);
	if (!(b->jsonl = mie_tmpfile()) || !(b->xml = mie_tmpfile())) {
		bag_free(b);
		return -1;
	}
	b->wj = mie_writer_new(b->jsonl, MIE_FORM_JSONL);
	b->wx = mie_writer_new(b->xml, MIE_FORM_XML);
	*state = b;
	return 0;
}

static const char *const *bag_carries(void *state, const char *type)
{
	static const char *const all[] = {"*", NULL};
	return all;
}

static void count_type(bag *b, const char *type)
{
	for (size_t i = 0; i < b->ntypes; i++)
		if (strcmp(b->types[i].type, type) == 0) {
			b->types[i].n++;
			return;
		}
	b->types = mie_xrealloc(b->types, (b->ntypes + 1) * sizeof *b->types);
	b->types[b->ntypes++] = (type_count){mie_xstrdup(type), 1};
}

/* Repairs of kind "withheld" (the importer's privacy rule) are counted per
 * record type and field: data/withheld.json never holds a value. */
static void count_withheld(bag *b, const json_t *rec, const char *type)
{
	size_t i, j;
	const json_t *p, *r;
	json_array_foreach(json_object_get(rec, "provenance"), i, p)
	        json_array_foreach(json_object_get(p, "repairs"), j, r)
	{
		const char *kind = mie_rec_str(r, "kind");
		if (!kind || strncmp(kind, "withheld", 8) != 0)
			continue;
		const char *field = mie_rec_str(r, "path");
		mie_buf k = MIE_BUF_INIT;
		mie_buf_addf(&k, "%s\t%s", type, field ? field : "");
		json_t *n = json_object_get(b->withheld, k.data);
		json_object_set_new(b->withheld, k.data,
		                    json_integer(n ? json_integer_value(n) + 1 : 1));
		mie_buf_release(&k);
	}
}

static int bag_put(void *state, const json_t *rec, const mie_loc *loc)
{
	bag *b = state;
	mie_buf why = MIE_BUF_INIT;
	int rj = mie_writer_put(b->wj, rec, &why);
	int rx = rj == MIE_WRITE_OK ? mie_writer_put(b->wx, rec, &why) : rj;
	if (rj == MIE_WRITE_IO || rx == MIE_WRITE_IO) {
		mie_fatal("temporary file: write error: %s", strerror(errno ? errno : EIO));
		mie_buf_release(&why);
		return MIE_EXPORT_FATAL;
	}
	if (rj != MIE_WRITE_OK || rx != MIE_WRITE_OK) {
		/* written to neither would be best; JSON Lines takes anything XML
		 * refuses, so the two files could differ: refuse the bag */
		mie_error_at(loc, "%s: %s", mie_rec_id_or_dash(rec), why.data);
		b->failed = 1;
		mie_buf_release(&why);
		return MIE_EXPORT_BAD;
	}
	mie_buf_release(&why);
	const char *type = mie_rec_str(rec, "type"), *id = mie_rec_str(rec, "id");
	b->records++;
	count_type(b, type ? type : "-");
	count_withheld(b, rec, type ? type : "-");
	if (!b->site && id && strchr(id, ':'))
		b->site = mie_xstrndup(id, (size_t)(strchr(id, ':') - id));
	if (!b->dossier && type && id && strcmp(type, "dossier") == 0)
		b->dossier = mie_xstrdup(id);
	const char *file = mie_rec_str(rec, "file");
	if (type && strcmp(type, "document") == 0 && file) {
		int added = 0;
		mie_idmap_put(&b->att_seen, mie_xref_hash(file), 1, &added);
		if (added) {
			b->att = mie_xrealloc(b->att, (b->natt + 1) * sizeof *b->att);
			b->att[b->natt++] =
			        (attachment){mie_xstrdup(file), mie_xstrdup(id ? id : "-"), 0};
		}
	}
	return MIE_EXPORT_OK;
}

/* ---- writing entries ---- */

static const char *bag_errstr(bag *b)
{
	const char *s = archive_error_string(b->a);
	return s ? s : strerror(archive_errno(b->a) ? archive_errno(b->a) : EIO);
}

/* Now, or $SOURCE_DATE_EPOCH when set. */
static time_t bag_time(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	return sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
}

/* Writes entry `name` (relative to the bag) of `size` bytes read from src;
 * a payload file goes into both manifests, a tag file into the tag
 * manifest.  Returns 0, or -1 after a message (`what` names the source). */
static int put_entry(bag *b, const char *name, int64_t size, mie_bagit_read_fn rd, void *src,
                     int payload, const char *what)
{
	struct archive_entry *e = archive_entry_new();
	mie_buf path = MIE_BUF_INIT;
	if (b->kind)
		mie_buf_adds(&path, b->top);
	else
		mie_buf_addf(&path, "%s/", b->tmp);
	mie_buf_adds(&path, name);
	archive_entry_update_pathname_utf8(e, path.data);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, size);
	archive_entry_set_mtime(e, bag_time(), 0);
	int rc = archive_write_header(b->a, e) < ARCHIVE_WARN ? -1 : 0;
	archive_entry_free(e);
	if (rc < 0) {
		mie_fatal("%s: %s: %s", b->out, name, bag_errstr(b));
		mie_buf_release(&path);
		return -1;
	}
	static char buf[1 << 16];
	int64_t done = 0;
	ssize_t n;
	while ((n = rd(src, buf, sizeof buf)) > 0) {
		if (done + n > size)
			n = (ssize_t)(size - done); /* grew while read: the size said wins */
		mie_bagit_digest_update(b->dg, buf, (size_t)n);
		if (archive_write_data(b->a, buf, (size_t)n) != n) {
			mie_fatal("%s: %s: %s", b->out, name, bag_errstr(b));
			rc = -1;
			break;
		}
		done += n;
		if (done == size)
			break;
	}
	if (!rc && (n < 0 || done != size)) {
		mie_fatal("%s: read error%s", what, n < 0 ? "" : " (shorter than its size)");
		rc = -1;
	}
	char hex[MIE_BAGIT_NALGS][129];
	mie_bagit_digest_final(b->dg, hex);
	if (!rc && payload) {
		for (int i = 0; i < MIE_BAGIT_NALGS; i++) {
			mie_buf_addf(&b->manifest[i], "%s  ", hex[i]);
			mie_bagit_escape(&b->manifest[i], name);
			mie_buf_addc(&b->manifest[i], '\n');
		}
		b->oxum_bytes += size;
		b->oxum_files++;
	} else if (!rc) {
		mie_buf_addf(&b->tagmanifest, "%s  ", hex[MIE_BAGIT_SHA256]);
		mie_bagit_escape(&b->tagmanifest, name);
		mie_buf_addc(&b->tagmanifest, '\n');
	}
	mie_buf_release(&path);
	return rc;
}

static int put_mem(bag *b, const char *name, const mie_buf *text, int payload)
{
	mie_bagit_mem m = {text->data, text->len};
	return put_entry(b, name, (int64_t)text->len, mie_bagit_read_mem, &m, payload, name);
}

static int put_spill(bag *b, const char *name, FILE *fp)
{
	if (fflush(fp) || fseek(fp, 0, SEEK_END) < 0) {
		mie_fatal("temporary file: %s", strerror(errno));
		return -1;
	}
	int64_t size = ftell(fp);
	rewind(fp);
	return put_entry(b, name, size, mie_bagit_read_stdio, fp, 1, "temporary file");
}

/* ---- attachments ---- */

/* One attachment found under --files-root (mie_export_files_read). */
static int put_found(void *ctx, size_t i, int64_t size, mie_bagit_read_fn rd, void *src,
                     const char *what)
{
	bag *b = ctx;
	attachment *a = &b->att[i];
	mie_buf name = MIE_BUF_INIT;
	mie_buf_addf(&name, "data/files/%s", a->path);
	int rc = put_entry(b, name.data, size, rd, src, 1, what);
	mie_buf_release(&name);
	a->found = rc == 0;
	return rc;
}

static int put_attachments(bag *b, const char *root)
{
	const char **paths = mie_xcalloc(b->natt, sizeof *paths);
	for (size_t i = 0; i < b->natt; i++)
		paths[i] = b->att[i].path;
	int rc = mie_export_files_read(root, paths, b->natt, put_found, b);
	free(paths);
	return rc;
}

/* Every attachment is in the bag, or said: refused names and missing files
 * are errors (exit 1, no bag), or with --allow-missing listed in
 * bag-info.txt as Missing-Attachment. */
static int check_attachments(bag *b)
{
	int allow = b->opt[O_ALLOW_MISSING] != NULL, bad = 0;
	for (size_t i = 0; i < b->natt; i++) {
		attachment *a = &b->att[i];
		if (a->found)
			continue;
		const char *problem = mie_bagit_path_problem(a->path);
		if (problem)
			mie_error_at(NULL, "%s: file \"%s\": cannot be a path in a bag (%s)",
			             a->record, a->path, problem);
		else if (!allow)
			mie_error_at(NULL, "%s: file \"%s\": missing from %s", a->record, a->path,
			             b->opt[O_FILES_ROOT] ? b->opt[O_FILES_ROOT]
			                                  : "the files (no --files-root)");
		if (problem || !allow)
			bad = 1;
		else
			mie_buf_addf(&b->missing, "Missing-Attachment: %s\n", a->path);
	}
	return bad ? -1 : 0;
}

/* ---- the tag files ---- */

static void withheld_json(bag *b, mie_buf *out)
{
	json_t *list = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(b->withheld, k, v)
	{
		const char *tab = strchr(k, '\t');
		json_t *o = json_object();
		json_object_set_new(o, "type", json_stringn(k, (size_t)(tab - k)));
		json_object_set_new(o, "field", json_string(tab + 1));
		json_object_set_new(o, "records", json_copy(v));
		json_array_append_new(list, o);
	}
	json_t *doc = json_pack("{s:s, s:s, s:o}", "schema_version", MIE_SCHEMA_VERSION, "about",
	                        "fields the import withheld (privacy), with the number of "
	                        "records concerned; never their values",
	                        "withheld", list);
	char *s = json_dumps(doc, JSON_INDENT(2));
	mie_buf_adds(out, s);
	mie_buf_addc(out, '\n');
	free(s);
	json_decref(doc);
}

static void today(char day[11])
{
	time_t t = bag_time();
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(day, 11, "%Y-%m-%d", &tm);
}

/* bag-info.txt: values on one line each (a line break in an option would
 * start a new tag: it becomes a space). */
static void info_line(mie_buf *out, const char *label, const char *value)
{
	mie_buf_addf(out, "%s: ", label);
	for (const char *p = value; *p; p++)
		mie_buf_addc(out, *p == '\n' || *p == '\r' ? ' ' : *p);
	mie_buf_addc(out, '\n');
}

static char *basename_of_out(const bag *b)
{
	const char *s = strrchr(b->out, '/');
	s = s ? s + 1 : b->out;
	size_t n = strlen(s);
	const char *ext = b->kind == 1 ? ".zip" : ends_with(s, ".tgz") ? ".tgz" : ".tar.gz";
	if (b->kind && n > strlen(ext))
		n -= strlen(ext);
	while (n && s[n - 1] == '/')
		n--;
	return mie_xstrndup(s, n ? n : 3);
}

static void bag_info(bag *b, mie_buf *out)
{
	char day[11];
	today(day);
	char *name = basename_of_out(b);
	const char *org = b->opt[O_ORGANISATION] ? b->opt[O_ORGANISATION]
	                  : b->site              ? b->site
	                                         : "unknown";
	const char *ident = b->opt[O_IDENTIFIER] ? b->opt[O_IDENTIFIER]
	                    : b->dossier         ? b->dossier
	                                         : name;
	mie_buf v = MIE_BUF_INIT;
	info_line(out, "Source-Organization", org);
	info_line(out, "Bagging-Date", day);
	mie_bagit_oxum(&v, b->oxum_bytes, b->oxum_files);
	info_line(out, "Payload-Oxum", v.data);
	mie_buf_reset(&v);
	mie_bagit_size(&v, b->oxum_bytes);
	info_line(out, "Bag-Size", v.data);
	mie_buf_reset(&v);
	if (b->opt[O_DESCRIPTION]) {
		mie_buf_adds(&v, b->opt[O_DESCRIPTION]);
	} else {
		mie_buf_addf(&v, "%ld interchange records of %s (schema v%s)", b->records, org,
		             MIE_SCHEMA_VERSION);
		if (b->natt)
			mie_buf_addf(&v, " and %zu attached file%s", b->natt,
			             b->natt == 1 ? "" : "s");
	}
	info_line(out, "External-Description", v.data);
	info_line(out, "External-Identifier", ident);
	info_line(out, "Bag-Software-Agent", "mie-export (mie 1.0.0)");
	info_line(out, "Mie-Schema-Version", MIE_SCHEMA_VERSION);
	for (size_t i = 0; i < b->ntypes; i++) {
		mie_buf_reset(&v);
		mie_buf_addf(&v, "%s %ld", b->types[i].type, b->types[i].n);
		info_line(out, "Mie-Record-Count", v.data);
	}
	mie_buf_add(out, b->missing.data, b->missing.len);
	mie_buf_release(&v);
	free(name);
}

/* ---- finish ---- */

static int open_target(bag *b)
{
	const char *slash = strrchr(b->out, '/');
	mie_buf t = MIE_BUF_INIT;
	if (slash)
		mie_buf_add(&t, b->out, (size_t)(slash - b->out + 1));
	mie_buf_addf(&t, ".%s.XXXXXX", slash ? slash + 1 : b->out);
	b->tmp = mie_buf_detach(&t, NULL);
	b->dg = mie_bagit_digest_new();
	char *name = basename_of_out(b);
	mie_buf top = MIE_BUF_INIT;
	mie_buf_addf(&top, "%s/", name);
	b->top = mie_buf_detach(&top, NULL);
	free(name);
	if (b->kind == 0) {
		if (!mkdtemp(b->tmp)) {
			mie_fatal("%s: cannot create: %s", b->out, strerror(errno));
			return -1;
		}
		b->a = archive_write_disk_new();
		archive_write_disk_set_options(b->a, ARCHIVE_EXTRACT_SECURE_NODOTDOT |
		                                             ARCHIVE_EXTRACT_SECURE_SYMLINKS);
		return 0;
	}
	int fd = mkstemp(b->tmp);
	if (fd < 0) {
		mie_fatal("%s: cannot create: %s", b->out, strerror(errno));
		return -1;
	}
	b->a = archive_write_new();
	if (b->kind == 1) {
		archive_write_set_format_zip(b->a);
	} else {
		archive_write_set_format_pax_restricted(b->a);
		archive_write_add_filter_gzip(b->a);
	}
	archive_write_set_bytes_in_last_block(b->a, 1);
	if (archive_write_open_fd(b->a, fd) != ARCHIVE_OK) {
		mie_fatal("%s: %s", b->out, bag_errstr(b));
		close(fd);
		return -1;
	}
	return 0;
}

static void discard(bag *b)
{
	if (b->a) {
		if (b->kind)
			archive_write_close(b->a);
		archive_write_free(b->a);
		b->a = NULL;
	}
	if (b->tmp && b->kind == 0)
		mie_outdir_remove_tree(b->tmp);
	else if (b->tmp)
		unlink(b->tmp);
}

static int write_bag(bag *b)
{
	if (open_target(b) < 0)
		return -1;
	if (put_spill(b, "data/records.jsonl", b->jsonl) < 0 ||
	    put_spill(b, "data/records.xml", b->xml) < 0)
		return -1;
	const char *root = b->opt[O_FILES_ROOT];
	if (root && b->natt && put_attachments(b, root) < 0)
		return -1;
	if (check_attachments(b) < 0)
		return -1;
	mie_buf text = MIE_BUF_INIT;
	withheld_json(b, &text);
	int rc = put_mem(b, "data/withheld.json", &text, 1);
	for (int i = 0; !rc && i < MIE_BAGIT_NALGS; i++) {
		mie_buf name = MIE_BUF_INIT;
		mie_buf_addf(&name, "manifest-%s.txt", mie_bagit_alg_names[i]);
		rc = put_mem(b, name.data, &b->manifest[i], 0);
		mie_buf_release(&name);
	}
	mie_buf_reset(&text);
	mie_buf_adds(&text, "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n");
	rc = rc ? rc : put_mem(b, "bagit.txt", &text, 0);
	mie_buf_reset(&text);
	bag_info(b, &text);
	rc = rc ? rc : put_mem(b, "bag-info.txt", &text, 0);
	mie_buf tm = b->tagmanifest; /* the tag manifest does not list itself */
	mie_buf_init(&b->tagmanifest);
	rc = rc ? rc : put_mem(b, "tagmanifest-sha256.txt", &tm, 0);
	mie_buf_release(&tm);
	mie_buf_release(&text);
	if (rc)
		return -1;
	if (archive_write_close(b->a) != ARCHIVE_OK) {
		mie_fatal("%s: %s", b->out, bag_errstr(b));
		return -1;
	}
	archive_write_free(b->a);
	b->a = NULL;
	if (b->kind == 0)
		chmod(b->tmp, 0755);
	else
		chmod(b->tmp, 0644);
	if (rename(b->tmp, b->out) < 0) {
		mie_fatal("%s: cannot replace: %s", b->out, strerror(errno));
		return -1;
	}
	free(b->tmp);
	b->tmp = NULL;
	return 0;
}

static int bag_finish(void *state)
{
	bag *b = state;
	int rc = -1;
	if (mie_writer_finish(b->wj) != MIE_WRITE_OK || mie_writer_finish(b->wx) != MIE_WRITE_OK) {
		b->wj = b->wx = NULL;
		mie_fatal("temporary file: write error: %s", strerror(errno ? errno : EIO));
	} else if (b->wj = b->wx = NULL, !b->failed && mie_exit_status() < MIE_EXIT_FATAL) {
		rc = write_bag(b);
		if (rc < 0)
			discard(b);
	}
	bag_free(b);
	return rc < 0 && mie_exit_status() == MIE_EXIT_DATA ? 0 : rc;
}

static void bag_abort(void *state)
{
	bag *b = state;
	discard(b);
	bag_free(b);
}

const mie_export_writer mie_export_bagit = {
        .name = "bagit",
        .summary = "a BagIt 1.0 package (RFC 8493): records, attachments, checksums",
        .options = bagit_options,
        .loss_hint = NULL,
        .open = bag_open,
        .carries = bag_carries,
        .put = bag_put,
        .finish = bag_finish,
        .abort = bag_abort,
};
