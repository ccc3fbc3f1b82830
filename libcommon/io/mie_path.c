/* mie_path.c — file paths as records store them.  See mie_path.h. */
#include <string.h>

#include "io/mie_path.h"

/* The components of p, "." and empty ones dropped, "x/.." folded: pushed
 * as (start, length) pairs; returns their count (at most max). */
static size_t split(const char *p, const char **start, size_t *len, size_t max)
{
	size_t n = 0;
	while (*p) {
		size_t k = strcspn(p, "/");
		if (k == 2 && p[0] == '.' && p[1] == '.' && n &&
		    !(len[n - 1] == 2 && !memcmp(start[n - 1], "..", 2)))
			n--;
		else if (k && !(k == 1 && p[0] == '.') && n < max)
			start[n] = p, len[n++] = k;
		p += k + (p[k] == '/');
	}
	return n;
}

enum { MAX_PARTS = 256 };

void mie_path_relative(mie_buf *out, const char *path, const char *cwd)
{
	const char *ps[MAX_PARTS], *cs[MAX_PARTS];
	size_t pl[MAX_PARTS], cl[MAX_PARTS];
	size_t np = split(path, ps, pl, MAX_PARTS), from = 0;
	size_t at = out->len;
	if (path[0] == '/') {
		size_t nc = split(cwd ? cwd : "/", cs, cl, MAX_PARTS);
		while (from < np && from < nc && pl[from] == cl[from] &&
		       !memcmp(ps[from], cs[from], pl[from]))
			from++;
		for (size_t i = from; i < nc; i++)
			mie_buf_adds(out, "../");
	}
	for (size_t i = from; i < np; i++) {
		mie_buf_add(out, ps[i], pl[i]);
		if (i + 1 < np)
			mie_buf_addc(out, '/');
	}
	if (out->len == at)
		mie_buf_addc(out, '.');
	else if (out->data[out->len - 1] == '/')
		out->data[--out->len] = '\0';
}
