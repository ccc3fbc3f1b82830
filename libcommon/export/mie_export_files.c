/* mie_export_files.c — the documents' files read from --files-root (the
 * rules are in mie_export_files.h). */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "export/mie_export_files.h"
#include "record/mie_xref.h"
#include "select/mie_idmap.h"

static int from_dir(const char *root, const char *const *paths, size_t n, mie_export_file_fn fn,
                    void *ctx)
{
	for (size_t i = 0; i < n; i++) {
		if (mie_bagit_path_problem(paths[i]))
			continue;
		mie_buf p = MIE_BUF_INIT;
		mie_buf_addf(&p, "%s/%s", root, paths[i]);
		struct stat st;
		FILE *fp =
		        stat(p.data, &st) == 0 && S_ISREG(st.st_mode) ? fopen(p.data, "rb") : NULL;
		int rc = 0;
		if (fp) {
			rc = fn(ctx, i, (int64_t)st.st_size, mie_bagit_read_stdio, fp, p.data);
			fclose(fp);
		}
		mie_buf_release(&p);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The index of the wanted path `name`, or -1 (seen: one bit per path). */
static long wanted(const mie_idmap *m, const char *const *paths, const char *name,
                   unsigned char *seen)
{
	if (strncmp(name, "./", 2) == 0)
		name += 2;
	uint32_t *v = mie_idmap_get(m, mie_xref_hash(name));
	if (!v || strcmp(paths[*v], name) != 0 || seen[*v])
		return -1;
	seen[*v] = 1;
	return (long)*v;
}

static int from_archive(const char *root, const char *const *paths, size_t n, mie_export_file_fn fn,
                        void *ctx)
{
	mie_idmap m;
	mie_idmap_init(&m);
	for (size_t i = 0; i < n; i++)
		if (!mie_bagit_path_problem(paths[i]))
			mie_idmap_put(&m, mie_xref_hash(paths[i]), (uint32_t)i, NULL);
	unsigned char *seen = calloc(n ? n : 1, 1);
	struct archive *in = archive_read_new();
	archive_read_support_format_all(in);
	archive_read_support_filter_all(in);
	int rc = 0, st = ARCHIVE_EOF;
	if (!seen || archive_read_open_filename(in, root, 1 << 16) != ARCHIVE_OK) {
		mie_fatal("%s: %s", root, seen ? archive_error_string(in) : strerror(ENOMEM));
		rc = -1;
	}
	struct archive_entry *e;
	while (!rc && (st = archive_read_next_header(in, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname_utf8(e);
		long i = name && archive_entry_filetype(e) == AE_IFREG
		                 ? wanted(&m, paths, name, seen)
		                 : -1;
		if (i >= 0) {
			mie_buf what = MIE_BUF_INIT;
			mie_buf_addf(&what, "%s: %s", root, name);
			rc = fn(ctx, (size_t)i, archive_entry_size(e), mie_bagit_read_archive, in,
			        what.data);
			mie_buf_release(&what);
		}
	}
	if (!rc && st != ARCHIVE_EOF) {
		mie_fatal("%s: %s", root, archive_error_string(in));
		rc = -1;
	}
	archive_read_free(in);
	mie_idmap_release(&m);
	free(seen);
	return rc;
}

int mie_export_files_read(const char *root, const char *const *paths, size_t n,
                          mie_export_file_fn fn, void *ctx)
{
	struct stat st;
	if (stat(root, &st) < 0) {
		mie_fatal("--files-root: %s: %s", root, strerror(errno));
		return -1;
	}
	return S_ISDIR(st.st_mode) ? from_dir(root, paths, n, fn, ctx)
	                           : from_archive(root, paths, n, fn, ctx);
}
