/* mie_sort.c — see mie_sort.h. */
#include "io/mie_sort.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mie_buf.h"
#include "core/mie_err.h"
#include "core/mie_tmp.h"

typedef struct line {
	char *p; /* into the arena */
	size_t n;
} line;

typedef struct run {
	FILE *fp;  /* owned spill */
	char *buf; /* owned (getline): the run's next line */
	size_t cap, len;
	int live; /* buf holds a line */
} run;

struct mie_sort {
	size_t budget;
	mie_buf arena; /* the lines held, each followed by a NUL */
	line *lines;
	size_t n, cap;
	run *runs;
	size_t nruns;
	int reading;
	size_t next; /* in memory: the next line to give */
	int failed;
};

mie_sort *mie_sort_new(size_t budget)
{
	mie_sort *s = mie_xcalloc(1, sizeof *s);
	s->budget = budget ? budget : (size_t)64 << 20;
	mie_buf_init(&s->arena);
	return s;
}

void mie_sort_free(mie_sort **sp)
{
	mie_sort *s = sp ? *sp : NULL;
	if (!s)
		return;
	for (size_t i = 0; i < s->nruns; i++) {
		if (s->runs[i].fp)
			fclose(s->runs[i].fp);
		free(s->runs[i].buf);
	}
	free(s->runs);
	free(s->lines);
	mie_buf_release(&s->arena);
	free(s);
	*sp = NULL;
}

static int cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
	const char *ta = memchr(a, '\t', an), *tb = memchr(b, '\t', bn);
	size_t ka = ta ? (size_t)(ta - a) : an, kb = tb ? (size_t)(tb - b) : bn;
	int c = memcmp(a, b, ka < kb ? ka : kb);
	if (c || ka != kb)
		return c ? c : ka < kb ? -1 : 1;
	c = memcmp(a, b, an < bn ? an : bn);
	return c ? c : an < bn ? -1 : an > bn;
}

static int cmp_line(const void *x, const void *y)
{
	const line *a = x, *b = y;
	return cmp_bytes(a->p, a->n, b->p, b->n);
}

/* Sorts what is held (the arena's pointers are fixed up first: it may
 * have moved while growing). */
static void sort_held(mie_sort *s)
{
	size_t off = 0;
	for (size_t i = 0; i < s->n; i++) {
		s->lines[i].p = s->arena.data + off;
		off += s->lines[i].n + 1;
	}
	if (s->n) /* nothing held: no array yet (qsort's pointer must not be NULL) */
		qsort(s->lines, s->n, sizeof *s->lines, cmp_line);
}

static int spill_run(mie_sort *s)
{
	sort_held(s);
	FILE *fp = mie_tmpfile();
	if (!fp)
		return s->failed = -1;
	for (size_t i = 0; i < s->n; i++)
		if (fwrite(s->lines[i].p, 1, s->lines[i].n, fp) != s->lines[i].n ||
		    putc('\n', fp) == EOF)
			break;
	if (fflush(fp) || ferror(fp)) {
		mie_fatal("temporary file: write error: %s", strerror(errno ? errno : EIO));
		fclose(fp);
		return s->failed = -1;
	}
	rewind(fp);
	s->runs = mie_xrealloc(s->runs, (s->nruns + 1) * sizeof *s->runs);
	s->runs[s->nruns] = (run){fp, NULL, 0, 0, 0};
	s->nruns++;
	s->n = 0;
	mie_buf_reset(&s->arena);
	return 0;
}

int mie_sort_add(mie_sort *s, const char *p, size_t n)
{
	if (s->failed)
		return -1;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->lines = mie_xrealloc(s->lines, s->cap * sizeof *s->lines);
	}
	s->lines[s->n++] = (line){NULL, n};
	mie_buf_add(&s->arena, p, n);
	mie_buf_addc(&s->arena, '\0');
	if (s->arena.len >= s->budget)
		return spill_run(s);
	return 0;
}

static int run_advance(run *r)
{
	ssize_t n = getline(&r->buf, &r->cap, r->fp);
	if (n < 0 && ferror(r->fp)) {
		mie_fatal("temporary file: read error: %s", strerror(errno ? errno : EIO));
		return -1;
	}
	r->live = n >= 0;
	if (n > 0 && r->buf[n - 1] == '\n')
		r->buf[--n] = '\0';
	r->len = n > 0 ? (size_t)n : 0;
	return 0;
}

int mie_sort_next(mie_sort *s, const char **p, size_t *n)
{
	if (s->failed)
		return -1;
	if (!s->reading) {
		s->reading = 1;
		if (s->nruns && s->n && spill_run(s) < 0)
			return -1;
		if (!s->nruns)
			sort_held(s);
		for (size_t i = 0; i < s->nruns; i++)
			if (run_advance(&s->runs[i]) < 0)
				return s->failed = -1;
	}
	if (!s->nruns) {
		if (s->next == s->n)
			return 0;
		*p = s->lines[s->next].p;
		*n = s->lines[s->next++].n;
		return 1;
	}
	/* the runs are few (input / budget): a linear pick is enough */
	run *best = NULL;
	for (size_t i = 0; i < s->nruns; i++) {
		run *r = &s->runs[i];
		if (r->live && (!best || cmp_bytes(r->buf, r->len, best->buf, best->len) < 0))
			best = r;
	}
	if (!best)
		return 0;
	/* hand out the line, read the run's next one at the following call */
	mie_buf_reset(&s->arena);
	mie_buf_add(&s->arena, best->buf, best->len);
	if (run_advance(best) < 0)
		return s->failed = -1;
	*p = s->arena.data;
	*n = s->arena.len;
	return 1;
}
