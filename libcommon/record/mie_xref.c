#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mie_buf.h"
#include "mie_tmp.h"
#include "mie_xref.h"

typedef struct slot {
	uint64_t hash; /* 0 = empty */
	uint64_t source;
	uint32_t file; /* index into files[] */
	uint32_t line;
} slot;

struct mie_xref {
	slot *table; /* owned */
	size_t cap, used;
	const char **files; /* borrowed names, owned array */
	size_t nfiles;
	FILE *spill; /* owned, unlinked temporary */
	mie_buf row;
	int noted;
};

uint64_t mie_xref_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h ? h : 1;
}

mie_xref *mie_xref_new(size_t budget)
{
	mie_xref *x = mie_xcalloc(1, sizeof *x);
	size_t cap = 1024;
	if (!budget)
		budget = (size_t)32 << 20;
	while (cap * 2 * sizeof(slot) <= budget)
		cap *= 2;
	x->cap = cap;
	x->table = mie_xcalloc(cap, sizeof(slot));
	mie_buf_init(&x->row);
	return x;
}

void mie_xref_grow_quietly(mie_xref *x)
{
	x->noted = 1;
}

void mie_xref_free(mie_xref *x)
{
	if (!x)
		return;
	free(x->table);
	free(x->files);
	if (x->spill)
		fclose(x->spill);
	mie_buf_release(&x->row);
	free(x);
}

static uint32_t file_index(mie_xref *x, const char *file)
{
	if (x->nfiles && x->files[x->nfiles - 1] == file)
		return (uint32_t)(x->nfiles - 1);
	x->files = mie_xrealloc(x->files, (x->nfiles + 1) * sizeof *x->files);
	x->files[x->nfiles] = file;
	return (uint32_t)x->nfiles++;
}

static slot *lookup(slot *t, size_t cap, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	while (t[i].hash && t[i].hash != h)
		i = (i + 1) & (cap - 1);
	return &t[i];
}

static void grow(mie_xref *x)
{
	size_t cap = x->cap * 2;
	slot *t = mie_xcalloc(cap, sizeof(slot));
	for (size_t i = 0; i < x->cap; i++)
		if (x->table[i].hash)
			*lookup(t, cap, x->table[i].hash) = x->table[i];
	free(x->table);
	x->table = t;
	x->cap = cap;
	if (!x->noted++)
		mie_note("more ids than the memory budget holds: growing the id table to %zu KiB",
		         cap * sizeof(slot) >> 10);
}

int mie_xref_add_id(mie_xref *x, const char *id, const mie_loc *loc, uint64_t source,
                    mie_loc *first)
{
	uint64_t h = mie_xref_hash(id);
	slot *s = lookup(x->table, x->cap, h);
	if (s->hash) {
		first->file = x->files[s->file];
		first->member = NULL;
		first->line = s->line;
		return s->source == source ? 1 : 2;
	}
	s->hash = h;
	s->source = source;
	s->file = file_index(x, loc->file);
	s->line = loc->line > 0 && loc->line < UINT32_MAX ? (uint32_t)loc->line : 0;
	if (++x->used * 4 > x->cap * 3)
		grow(x);
	return 0;
}

/* Spill rows: "file-index TAB line TAB from TAB field TAB to LF"; ids hold
 * no TAB or LF (the schema forbids white space in ids); other values are
 * cut at the first TAB/LF, which only shortens a message. */
static void add_clean(mie_buf *b, const char *s)
{
	size_t n = strcspn(s, "\t\n");
	mie_buf_add(b, s, n);
}

void mie_xref_add_ref(mie_xref *x, const char *from, const char *field, const char *to,
                      const mie_loc *loc)
{
	if (lookup(x->table, x->cap, mie_xref_hash(to))->hash)
		return;
	if (!x->spill && !(x->spill = mie_tmpfile()))
		return;
	mie_buf_reset(&x->row);
	mie_buf_addf(&x->row, "%u\t%ld\t", file_index(x, loc->file), loc->line);
	add_clean(&x->row, from);
	mie_buf_addc(&x->row, '\t');
	add_clean(&x->row, field);
	mie_buf_addc(&x->row, '\t');
	add_clean(&x->row, to);
	mie_buf_addc(&x->row, '\n');
	fwrite(x->row.data, 1, x->row.len, x->spill);
}

long mie_xref_finish(mie_xref *x, mie_xref_dangling_fn fn, void *ctx)
{
	if (!x->spill)
		return 0;
	if (fflush(x->spill) != 0 || ferror(x->spill) || fseek(x->spill, 0, SEEK_SET) != 0) {
		mie_fatal("temporary file: write error: %s", strerror(errno));
		return -1;
	}
	long n = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, x->spill)) > 0) {
		line[len - 1] = '\0';
		char *f[5];
		char *p = line;
		for (int i = 0; i < 5; i++) {
			f[i] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
			else
				p = line + len - 1;
		}
		if (lookup(x->table, x->cap, mie_xref_hash(f[4]))->hash)
			continue;
		unsigned long fi = strtoul(f[0], NULL, 10);
		mie_loc loc = {fi < x->nfiles ? x->files[fi] : NULL, NULL, strtol(f[1], NULL, 10)};
		fn(ctx, &loc, f[2], f[3], f[4]);
		n++;
	}
	free(line);
	return n;
}
