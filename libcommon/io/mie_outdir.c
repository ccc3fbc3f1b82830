/* mie_outdir.c — a folder output written whole or not at all (see
 * mie_outdir.h). */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mie_buf.h"
#include "core/mie_err.h"
#include "io/mie_outdir.h"

struct mie_outdir {
	char *target; /* owned: as given */
	char *final;  /* owned: absolute */
	char *tmp;    /* owned: the temporary folder */
};

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path) < 0 ? -1 : 0;
}

void mie_outdir_remove_tree(const char *path)
{
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void outdir_free(mie_outdir *d)
{
	free(d->target);
	free(d->final);
	free(d->tmp);
	free(d);
}

mie_outdir *mie_outdir_open(const char *path)
{
	mie_buf t = MIE_BUF_INIT, f = MIE_BUF_INIT;
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	char *target = mie_xstrndup(path, n);
	const char *slash = strrchr(target, '/');
	if (slash)
		mie_buf_add(&t, target, (size_t)(slash - target + 1));
	mie_buf_addf(&t, ".%s.XXXXXX", slash ? slash + 1 : target);
	char *tmp = mie_buf_detach(&t, NULL);
	if (!mkdtemp(tmp)) {
		mie_fatal("%s: cannot create: %s", target, strerror(errno));
		free(tmp);
		free(target);
		return NULL;
	}
	char cwd[PATH_MAX];
	if (target[0] != '/' && getcwd(cwd, sizeof cwd))
		mie_buf_addf(&f, "%s/", cwd);
	mie_buf_adds(&f, target);
	mie_outdir *d = mie_xcalloc(1, sizeof *d);
	d->target = target;
	d->tmp = tmp;
	d->final = mie_buf_detach(&f, NULL);
	return d;
}

const char *mie_outdir_final(const mie_outdir *d)
{
	return d->final;
}

static int rel_ok(const char *rel)
{
	if (!*rel || *rel == '/')
		return 0;
	for (const char *p = rel; *p;) {
		size_t k = strcspn(p, "/");
		if (k == 0 || (k == 1 && p[0] == '.') || (k == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p += k;
		if (*p)
			p++;
		else
			break;
	}
	return rel[strlen(rel) - 1] != '/';
}

FILE *mie_outdir_open_file(mie_outdir *d, const char *rel)
{
	if (!rel_ok(rel)) {
		mie_fatal("%s: \"%s\": not a name inside the output", d->target, rel);
		return NULL;
	}
	mie_buf p = MIE_BUF_INIT;
	mie_buf_addf(&p, "%s/%s", d->tmp, rel);
	for (char *s = p.data + strlen(d->tmp) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		int bad = mkdir(p.data, 0755) < 0 && errno != EEXIST;
		*s = '/';
		if (bad)
			break;
	}
	FILE *fp = fopen(p.data, "wb");
	if (!fp)
		mie_fatal("%s/%s: cannot create: %s", d->target, rel, strerror(errno));
	mie_buf_release(&p);
	return fp;
}

int mie_outdir_close_file(mie_outdir *d, FILE *fp, const char *rel)
{
	int bad = fflush(fp) != 0 || ferror(fp);
	int err = errno ? errno : EIO;
	if (fclose(fp) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	if (bad)
		mie_fatal("%s/%s: write error: %s", d->target, rel, strerror(err));
	return bad ? -1 : 0;
}

int mie_outdir_write(mie_outdir *d, const char *rel, const char *s, size_t n)
{
	FILE *fp = mie_outdir_open_file(d, rel);
	if (!fp)
		return -1;
	errno = 0;
	fwrite(s, 1, n, fp);
	return mie_outdir_close_file(d, fp, rel);
}

int mie_outdir_commit(mie_outdir **dp)
{
	mie_outdir *d = *dp;
	*dp = NULL;
	chmod(d->tmp, 0755);
	struct stat st;
	char *aside = NULL;
	if (lstat(d->target, &st) == 0 && S_ISDIR(st.st_mode)) {
		mie_buf a = MIE_BUF_INIT;
		mie_buf_addf(&a, "%s.old", d->tmp);
		aside = mie_buf_detach(&a, NULL);
		if (rename(d->target, aside) < 0) {
			mie_fatal("%s: cannot replace: %s", d->target, strerror(errno));
			mie_outdir_remove_tree(d->tmp);
			free(aside);
			outdir_free(d);
			return -1;
		}
	}
	if (rename(d->tmp, d->target) < 0) {
		mie_fatal("%s: cannot replace: %s", d->target, strerror(errno));
		if (aside)
			rename(aside, d->target);
		mie_outdir_remove_tree(d->tmp);
		free(aside);
		outdir_free(d);
		return -1;
	}
	if (aside)
		mie_outdir_remove_tree(aside);
	free(aside);
	outdir_free(d);
	return 0;
}

void mie_outdir_abort(mie_outdir **dp)
{
	mie_outdir *d = dp ? *dp : NULL;
	if (!d)
		return;
	mie_outdir_remove_tree(d->tmp);
	outdir_free(d);
	*dp = NULL;
}
