/* mie_export.c — the writer registry and one export run: every record is
 * compared with what the writer declares it carries, and what it does not
 * carry is counted per field (the lossiness report, mie_export.h). */
#include <stdlib.h>
#include <string.h>

#include "export/mie_export.h"
#include "io/mie_output.h"
#include "record/mie_record.h"

#define MIE_EXPORT_ENTRY(n) &mie_export_##n,
const mie_export_writer *const mie_export_writers[] = {MIE_EXPORT_WRITERS(MIE_EXPORT_ENTRY) NULL};
#undef MIE_EXPORT_ENTRY

const mie_export_writer *mie_export_find(const char *name)
{
	for (const mie_export_writer *const *w = mie_export_writers; *w; w++)
		if (strcmp((*w)->name, name) == 0)
			return *w;
	return NULL;
}

const json_t *mie_export_path(const json_t *rec, const char *path)
{
	const json_t *v = rec;
	const char *p = path;
	while (v && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (json_is_object(v)) {
			v = json_object_getn(v, p, n);
		} else if (json_is_array(v) && n && strspn(p, "0123456789") >= n) {
			v = json_array_get(v, strtoul(p, NULL, 10));
		} else {
			return NULL;
		}
		p += n + (dot != NULL);
		if (dot && !*p)
			return NULL;
	}
	return v;
}

/* What the writer carries for one record type. */
typedef struct carried {
	char *type;               /* owned */
	const char *const *paths; /* the writer's, borrowed */
	int all;                  /* paths is {"*"} */
} carried;

/* One counted loss: a field path, or a record type skipped. */
typedef struct loss {
	char *what; /* owned */
	long records;
} loss;

typedef struct losses {
	json_t *index; /* what -> position in items, as integers */
	loss *items;   /* owned, in order of first meeting */
	size_t n, cap;
} losses;

struct mie_export {
	const mie_export_run *run; /* borrowed */
	void *state;               /* the writer's */
	carried *types;            /* owned, one per record type met */
	size_t ntypes;
	losses fields, skipped;
	json_t *inexact; /* [{"field", "records", "why"}] said by the writer */
	long records, written, bad;
	mie_buf path; /* scratch: the field path being compared */
};

/* The run writers report inexact values to (mie_export_inexact). */
static mie_export *current;

void mie_export_inexact(const char *path, long records, const char *why)
{
	if (current)
		json_array_append_new(current->inexact,
		                      json_pack("{s:s,s:I,s:s}", "field", path, "records",
		                                (json_int_t)records, "why", why));
}

static void losses_add(losses *l, const char *what, size_t n)
{
	json_t *pos = json_object_getn(l->index, what, n);
	if (pos) {
		l->items[json_integer_value(pos)].records++;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->items = mie_xrealloc(l->items, l->cap * sizeof *l->items);
	}
	l->items[l->n] = (loss){mie_xstrndup(what, n), 1};
	json_object_setn_new_nocheck(l->index, what, n, json_integer((json_int_t)l->n));
	l->n++;
}

static void losses_release(losses *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].what);
	free(l->items);
	json_decref(l->index);
}

mie_export *mie_export_open(const mie_export_run *run)
{
	void *state = NULL;
	if (run->writer->open(&run->opts, &state) < 0)
		return NULL;
	mie_export *x = mie_xcalloc(1, sizeof *x);
	x->run = run;
	x->state = state;
	x->fields.index = json_object();
	x->skipped.index = json_object();
	x->inexact = json_array();
	mie_buf_init(&x->path);
	current = x;
	return x;
}

static const carried *carried_for(mie_export *x, const char *type)
{
	for (size_t i = 0; i < x->ntypes; i++)
		if (strcmp(x->types[i].type, type) == 0)
			return &x->types[i];
	x->types = mie_xrealloc(x->types, (x->ntypes + 1) * sizeof *x->types);
	carried *c = &x->types[x->ntypes++];
	c->type = mie_xstrdup(type);
	c->paths = x->run->writer->carries(x->state, type);
	c->all = c->paths[0] && strcmp(c->paths[0], "*") == 0 && !c->paths[1];
	return c;
}

enum { COVER_NONE, COVER_PART, COVER_ALL };

/* How the declared paths cover the field at path (n bytes). */
static int cover(const char *const *paths, const char *path, size_t n)
{
	int part = 0;
	for (const char *const *p = paths; *p; p++) {
		size_t m = strlen(*p);
		if (m <= n && memcmp(*p, path, m) == 0 && (m == n || path[m] == '.'))
			return COVER_ALL;
		if (m > n && memcmp(*p, path, n) == 0 && (*p)[n] == '.')
			part = 1;
	}
	return part ? COVER_PART : COVER_NONE;
}

/* Compares the value v at x->path with the declared paths: a field nothing
 * covers is one loss; one partly covered is compared member by member. */
static void compare(mie_export *x, const char *const *paths, const json_t *v)
{
	int c = cover(paths, x->path.data, x->path.len);
	if (c == COVER_ALL)
		return;
	if (c == COVER_NONE || !(json_is_object(v) || json_is_array(v))) {
		losses_add(&x->fields, x->path.data, x->path.len);
		return;
	}
	size_t len = x->path.len;
	if (json_is_object(v)) {
		const char *k;
		json_t *m;
		json_object_foreach((json_t *)v, k, m)
		{
			mie_buf_setlen(&x->path, len);
			mie_buf_addc(&x->path, '.');
			mie_buf_adds(&x->path, k);
			compare(x, paths, m);
		}
	} else {
		for (size_t i = 0; i < json_array_size(v); i++) {
			mie_buf_setlen(&x->path, len);
			mie_buf_addc(&x->path, '.');
			mie_buf_add_uint(&x->path, i);
			compare(x, paths, json_array_get(v, i));
		}
	}
	mie_buf_setlen(&x->path, len);
}

int mie_export_put(mie_export *x, const json_t *rec, const mie_loc *loc)
{
	return mie_export_put_line(x, rec, NULL, 0, loc);
}

int mie_export_put_line(mie_export *x, const json_t *rec, const char *line, size_t n,
                        const mie_loc *loc)
{
	const mie_export_writer *w = x->run->writer;
	x->records++;
	int rc = line && w->put_line ? w->put_line(x->state, rec, line, n, loc)
	                             : w->put(x->state, rec, loc);
	const char *type = mie_rec_str(rec, "type");
	if (!type)
		type = "";
	if (rc == MIE_EXPORT_SKIP) {
		losses_add(&x->skipped, type, strlen(type));
		return rc;
	}
	if (rc != MIE_EXPORT_OK) {
		x->bad++;
		return rc;
	}
	x->written++;
	const carried *c = carried_for(x, type);
	if (c->all)
		return rc;
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)rec, k, v)
	{
		mie_buf_reset(&x->path);
		mie_buf_adds(&x->path, k);
		compare(x, c->paths, v);
	}
	return rc;
}

/* The loss lines: warnings, or data errors under --strict. */
static void say_losses(const mie_export *x)
{
	const char *to = x->run->writer->name, *hint = x->run->writer->loss_hint;
	for (size_t i = 0; i < x->skipped.n; i++) {
		const loss *l = &x->skipped.items[i];
		const char *fmt = "%s: type %s: not exported (%ld record%s)";
		if (x->run->strict)
			mie_error_at(NULL, fmt, to, l->what, l->records,
			             l->records == 1 ? "" : "s");
		else
			mie_warn_at(NULL, fmt, to, l->what, l->records, l->records == 1 ? "" : "s");
	}
	for (size_t i = 0; i < x->fields.n; i++) {
		const loss *l = &x->fields.items[i];
		const char *fmt = "%s: %s: not exported (%ld record%s)%s%s";
		const char *s = l->records == 1 ? "" : "s";
		if (x->run->strict)
			mie_error_at(NULL, fmt, to, l->what, l->records, s, hint ? "; " : "",
			             hint ? hint : "");
		else
			mie_warn_at(NULL, fmt, to, l->what, l->records, s, hint ? "; " : "",
			            hint ? hint : "");
	}
	size_t i;
	json_t *e;
	json_array_foreach(x->inexact, i, e)
	{
		const char *fmt = "%s: %s: not written exactly (%ld record%s): %s";
		const char *field = json_string_value(json_object_get(e, "field"));
		const char *why = json_string_value(json_object_get(e, "why"));
		long n = (long)json_integer_value(json_object_get(e, "records"));
		if (x->run->strict)
			mie_error_at(NULL, fmt, to, field, n, n == 1 ? "" : "s", why);
		else
			mie_warn_at(NULL, fmt, to, field, n, n == 1 ? "" : "s", why);
	}
}

static json_t *losses_json(const losses *l, const char *key)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_pack("{s:s,s:I}", key, l->items[i].what, "records",
		                                   (json_int_t)l->items[i].records));
	return a;
}

/* --report FILE: the same as the loss lines, as one JSON object. */
static int write_report(const mie_export *x)
{
	json_t *r = json_pack("{s:s,s:I,s:I,s:I,s:o,s:o,s:O}", "to", x->run->writer->name,
	                      "records", (json_int_t)x->records, "exported", (json_int_t)x->written,
	                      "rejected", (json_int_t)x->bad, "types_not_exported",
	                      losses_json(&x->skipped, "type"), "fields_not_exported",
	                      losses_json(&x->fields, "field"), "fields_not_exact", x->inexact);
	mie_output *o = mie_output_open(x->run->report);
	int rc = -1;
	if (o) {
		json_dumpf(r, mie_output_file(o), JSON_INDENT(2));
		fputc('\n', mie_output_file(o));
		rc = mie_output_commit(&o);
	}
	json_decref(r);
	return rc;
}

int mie_export_close(mie_export **xp, int failed)
{
	mie_export *x = xp ? *xp : NULL;
	if (!x)
		return 0;
	*xp = NULL;
	int rc;
	if (failed) {
		x->run->writer->abort(x->state);
		rc = -1;
	} else {
		rc = x->run->writer->finish(x->state);
	}
	say_losses(x);
	if (x->run->report && write_report(x) < 0)
		rc = -1;
	for (size_t i = 0; i < x->ntypes; i++)
		free(x->types[i].type);
	free(x->types);
	losses_release(&x->fields);
	losses_release(&x->skipped);
	json_decref(x->inexact);
	if (current == x)
		current = NULL;
	mie_buf_release(&x->path);
	free(x);
	return rc;
}
