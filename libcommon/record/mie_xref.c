#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mie_buf.h"
#include "core/mie_hash.h"
#include "core/mie_tmp.h"
#include "record/mie_xref.h"

/* What is kept of an id, under the id's hash. */
typedef struct seen {
	uint64_t source;
	uint32_t file; /* index into files[] */
	uint32_t line;
} seen;

struct mie_xref {
	mie_table table;    /* ids' hashes -> seen */
	const char **files; /* borrowed names, owned array */
	size_t nfiles;
	FILE *spill; /* owned, unlinked temporary */
	mie_buf row;
	int noted;
};

uint64_t mie_xref_hash(const char *s)
{
	return mie_hash_key(s, strlen(s));
}

mie_xref *mie_xref_new(size_t budget)
{
	mie_xref *x = mie_xcalloc(1, sizeof *x);
	size_t cap = 1024, slot = 8 + sizeof(seen);
	if (!budget)
		budget = (size_t)32 << 20;
	while (cap * 2 * slot <= budget)
		cap *= 2;
	mie_table_init(&x->table, sizeof(seen), cap / 4 * 3);
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
	mie_table_release(&x->table);
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

static int known(const mie_xref *x, const char *id)
{
	return mie_table_get(&x->table, mie_xref_hash(id)) != NULL;
}

int mie_xref_add_id(mie_xref *x, const char *id, const mie_loc *loc, uint64_t source,
                    mie_loc *first)
{
	size_t cap = x->table.cap;
	int fresh;
	seen *s = mie_table_put(&x->table, mie_xref_hash(id), &fresh);
	/* said where the run was when it outgrew the budget */
	if (x->table.cap > cap && !x->noted++)
		mie_note_at(
		        loc,
		        "more ids than the memory budget holds: growing the id table to %zu KiB",
		        x->table.cap * x->table.stride >> 10);
	if (!fresh) {
		first->file = x->files[s->file];
		first->member = NULL;
		first->line = s->line;
		return s->source == source ? 1 : 2;
	}
	s->source = source;
	s->file = file_index(x, loc->file);
	s->line = loc->line > 0 && loc->line < UINT32_MAX ? (uint32_t)loc->line : 0;
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
	if (known(x, to))
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
		if (known(x, f[4]))
			continue;
		unsigned long fi = strtoul(f[0], NULL, 10);
		mie_loc loc = {fi < x->nfiles ? x->files[fi] : NULL, NULL, strtol(f[1], NULL, 10)};
		fn(ctx, &loc, f[2], f[3], f[4]);
		n++;
	}
	free(line);
	return n;
}
