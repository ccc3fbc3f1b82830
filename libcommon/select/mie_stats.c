/* mie_stats.c — see mie_stats.h. */
#include "select/mie_stats.h"

#include <stdlib.h>
#include <string.h>

#include "core/mie_buf.h"
#include "select/mie_idmap.h"
#include "record/mie_record.h"
#include "record/mie_xref.h"

typedef struct sect {
	char *id, *parent, *title; /* owned; parent, title may be NULL */
	long direct;
} sect;

struct mie_stats {
	long records;
	json_t *types, *status, *lang, *years, *repairs, *dups, *withheld; /* counters */
	char *first[2], *last[2]; /* date_published, date_modified */
	sect *sects;
	size_t nsects, csects;
	mie_idmap sect_at; /* id hash -> index + 1 in sects */
	long text_records;
	long long text_bytes, largest;
	char *largest_id;
};

mie_stats *mie_stats_new(void)
{
	mie_stats *s = mie_xcalloc(1, sizeof *s);
	json_t **c[] = {&s->types,   &s->status, &s->lang,    &s->years,
	                &s->repairs, &s->dups,   &s->withheld};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++)
		*c[i] = json_object();
	mie_idmap_init(&s->sect_at);
	return s;
}

void mie_stats_free(mie_stats **sp)
{
	mie_stats *s = sp ? *sp : NULL;
	if (!s)
		return;
	json_t *c[] = {s->types, s->status, s->lang, s->years, s->repairs, s->dups, s->withheld};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++)
		json_decref(c[i]);
	for (int i = 0; i < 2; i++)
		free(s->first[i]), free(s->last[i]);
	for (size_t i = 0; i < s->nsects; i++)
		free(s->sects[i].id), free(s->sects[i].parent), free(s->sects[i].title);
	free(s->sects);
	mie_idmap_release(&s->sect_at);
	free(s->largest_id);
	free(s);
	*sp = NULL;
}

static void count(json_t *counter, const char *key, long n)
{
	if (!key)
		return;
	json_t *v = json_object_get(counter, key);
	json_object_set_new(counter, key, json_integer((v ? json_integer_value(v) : 0) + n));
}

static sect *section(mie_stats *s, const char *id)
{
	uint32_t *at = mie_idmap_put(&s->sect_at, mie_xref_hash(id), 0, NULL);
	if (*at)
		return &s->sects[*at - 1];
	if (s->nsects == s->csects) {
		s->csects = s->csects ? s->csects * 2 : 32;
		s->sects = mie_xrealloc(s->sects, s->csects * sizeof *s->sects);
	}
	s->sects[s->nsects] = (sect){mie_xstrdup(id), NULL, NULL, 0};
	*at = (uint32_t)++s->nsects;
	return &s->sects[s->nsects - 1];
}

static void range(char **first, char **last, const char *d)
{
	if (!d)
		return;
	if (!*first || strcmp(d, *first) < 0)
		free(*first), *first = mie_xstrdup(d);
	if (!*last || strcmp(d, *last) > 0)
		free(*last), *last = mie_xstrdup(d);
}

void mie_stats_add(mie_stats *s, const json_t *rec)
{
	const char *type = mie_rec_str(rec, "type"), *id = mie_rec_str(rec, "id");
	s->records++;
	count(s->types, type ? type : "-", 1);
	count(s->status, mie_rec_str(rec, "status"), 1);
	count(s->lang, mie_rec_str(rec, "lang"), 1);
	const char *pub = mie_rec_str(rec, "date_published");
	if (pub && strlen(pub) >= 4) {
		char year[5] = {pub[0], pub[1], pub[2], pub[3], 0};
		count(s->years, year, 1);
	}
	range(&s->first[0], &s->last[0], pub);
	range(&s->first[1], &s->last[1], mie_rec_str(rec, "date_modified"));
	const char *in = mie_rec_str(rec, "section");
	if (type && id && strcmp(type, "section") == 0) {
		sect *x = section(s, id);
		if (!x->title && mie_rec_str(rec, "title"))
			x->title = mie_xstrdup(mie_rec_str(rec, "title"));
		if (!x->parent && in)
			x->parent = mie_xstrdup(in);
	} else if (in) {
		section(s, in)->direct++;
	}
	size_t i, j;
	const json_t *p, *r;
	json_array_foreach(json_object_get(rec, "provenance"), i, p)
	        json_array_foreach(json_object_get(p, "repairs"), j, r)
	{
		const char *kind = mie_rec_str(r, "kind");
		json_t *n = json_object_get(r, "count");
		long k = json_is_integer(n) && json_integer_value(n) > 0
		                 ? (long)json_integer_value(n)
		                 : 1;
		if (kind && strncmp(kind, "withheld", 8) == 0) {
			mie_buf f = MIE_BUF_INIT;
			mie_buf_addf(&f, "%s.%s", type ? type : "-",
			             mie_rec_str(r, "path") ? mie_rec_str(r, "path") : "?");
			count(s->withheld, f.data, 1);
			mie_buf_release(&f);
		} else {
			count(s->repairs, kind, k);
		}
	}
	count(s->dups, mie_rec_str(rec, "duplicate_method"), 1);
	size_t merged = json_array_size(json_object_get(rec, "merged_from"));
	if (merged)
		count(s->dups, "merged", (long)merged);
	const char *plain = mie_rec_str(json_object_get(rec, "text"), "plain");
	if (plain) {
		long long n = (long long)strlen(plain);
		s->text_records++;
		s->text_bytes += n;
		if (!s->largest_id || n > s->largest) {
			free(s->largest_id);
			s->largest_id = mie_xstrdup(id ? id : "-");
			s->largest = n;
		}
	}
}

/* ---- the summary object ---- */

typedef struct kv {
	const char *k;
	json_int_t v;
} kv;

static int by_count(const void *x, const void *y)
{
	const kv *a = x, *b = y;
	return a->v != b->v ? (a->v < b->v ? 1 : -1) : strcmp(a->k, b->k);
}

static int by_key(const void *x, const void *y)
{
	return strcmp(((const kv *)x)->k, ((const kv *)y)->k);
}

static json_t *sorted(const json_t *counter, int keys)
{
	size_t n = json_object_size(counter), i = 0;
	kv *v = mie_xmalloc((n ? n : 1) * sizeof *v);
	const char *k;
	json_t *x;
	json_object_foreach((json_t *)counter, k, x) v[i++] = (kv){k, json_integer_value(x)};
	qsort(v, n, sizeof *v, keys ? by_key : by_count);
	json_t *o = json_object();
	for (i = 0; i < n; i++)
		json_object_set_new(o, v[i].k, json_integer(v[i].v));
	free(v);
	return o;
}

static long subtree(const mie_stats *s, size_t i, long *total)
{
	if (total[i] >= 0)
		return total[i];
	total[i] = s->sects[i].direct; /* set first: a cycle counts once */
	for (size_t j = 0; j < s->nsects; j++)
		if (j != i && s->sects[j].parent && strcmp(s->sects[j].parent, s->sects[i].id) == 0)
			total[i] += subtree(s, j, total);
	return total[i];
}

static int is_root(const mie_stats *s, size_t i)
{
	const char *p = s->sects[i].parent;
	return !p || !mie_idmap_get(&s->sect_at, mie_xref_hash(p));
}

static void tree(const mie_stats *s, json_t *out, size_t i, int depth, const long *total,
                 unsigned char *done)
{
	if (done[i])
		return;
	done[i] = 1;
	const sect *x = &s->sects[i];
	json_t *o = json_pack("{s:s}", "id", x->id);
	if (x->title)
		json_object_set_new(o, "title", json_string(x->title));
	json_object_set_new(o, "depth", json_integer(depth));
	json_object_set_new(o, "records", json_integer(x->direct));
	json_object_set_new(o, "total", json_integer(total[i]));
	json_array_append_new(out, o);
	for (size_t j = 0; j < s->nsects; j++)
		if (s->sects[j].parent && strcmp(s->sects[j].parent, x->id) == 0)
			tree(s, out, j, depth + 1, total, done);
}

json_t *mie_stats_json(const mie_stats *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "records", json_integer(s->records));
	json_t *types = json_object();
	for (int i = 0; mie_record_types[i]; i++) /* the schema's order */
		if (json_object_get(s->types, mie_record_types[i]))
			json_object_set(types, mie_record_types[i],
			                json_object_get(s->types, mie_record_types[i]));
	json_t *rest = sorted(s->types, 0);
	json_object_update_missing(types, rest);
	json_decref(rest);
	json_object_set_new(o, "types", types);
	json_object_set_new(o, "status", sorted(s->status, 0));
	json_object_set_new(o, "lang", sorted(s->lang, 0));
	json_object_set_new(o, "years", sorted(s->years, 1));
	json_t *dates = json_object();
	static const char *const dn[2] = {"date_published", "date_modified"};
	for (int i = 0; i < 2; i++)
		if (s->first[i])
			json_object_set_new(
			        dates, dn[i],
			        json_pack("{s:s, s:s}", "first", s->first[i], "last", s->last[i]));
	json_object_set_new(o, "dates", dates);
	long *total = mie_xmalloc((s->nsects + 1) * sizeof *total);
	unsigned char *done = mie_xcalloc(s->nsects + 1, 1);
	for (size_t i = 0; i < s->nsects; i++)
		total[i] = -1;
	for (size_t i = 0; i < s->nsects; i++)
		subtree(s, i, total);
	json_t *sections = json_array();
	for (size_t i = 0; i < s->nsects; i++)
		if (is_root(s, i))
			tree(s, sections, i, 0, total, done);
	for (size_t i = 0; i < s->nsects; i++) /* in a cycle: no root */
		tree(s, sections, i, 0, total, done);
	free(total);
	free(done);
	json_object_set_new(o, "sections", sections);
	json_object_set_new(o, "repairs", sorted(s->repairs, 0));
	json_object_set_new(o, "duplicates", sorted(s->dups, 0));
	json_object_set_new(o, "withheld", sorted(s->withheld, 0));
	json_t *text =
	        json_pack("{s:I, s:I, s:I}", "records", (json_int_t)s->text_records, "bytes",
	                  (json_int_t)s->text_bytes, "mean",
	                  (json_int_t)(s->text_records ? s->text_bytes / s->text_records : 0));
	if (s->largest_id)
		json_object_set_new(text, "largest",
		                    json_pack("{s:s, s:I}", "id", s->largest_id, "bytes",
		                              (json_int_t)s->largest));
	json_object_set_new(o, "text", text);
	return o;
}

/* ---- text ---- */

static void text_counter(FILE *out, const char *label, const json_t *c)
{
	fprintf(out, "%-11s", label);
	if (!json_object_size(c))
		fputs(" (none)", out);
	const char *k;
	json_t *v;
	int first = 1;
	json_object_foreach((json_t *)c, k, v)
	{
		fprintf(out, "%s %s %lld", first ? "" : ",", k, (long long)json_integer_value(v));
		first = 0;
	}
	fputc('\n', out);
}

void mie_stats_write_text(const json_t *sm, FILE *out)
{
	fprintf(out, "%-11s %lld\n", "records",
	        (long long)json_integer_value(json_object_get(sm, "records")));
	text_counter(out, "types", json_object_get(sm, "types"));
	text_counter(out, "status", json_object_get(sm, "status"));
	text_counter(out, "languages", json_object_get(sm, "lang"));
	text_counter(out, "years", json_object_get(sm, "years"));
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(sm, "dates"), k, v)
	        fprintf(out, "%-11s %s .. %s (%s)\n", "dates", mie_rec_str(v, "first"),
	                mie_rec_str(v, "last"), k);
	fprintf(out, "sections\n");
	size_t i;
	json_array_foreach(json_object_get(sm, "sections"), i, v)
	{
		int depth = (int)json_integer_value(json_object_get(v, "depth"));
		const char *t = mie_rec_str(v, "title");
		fprintf(out, "  %*s%s  %lld (%lld in it)\n", 2 * depth, "",
		        t ? t : mie_rec_str(v, "id"),
		        (long long)json_integer_value(json_object_get(v, "total")),
		        (long long)json_integer_value(json_object_get(v, "records")));
	}
	text_counter(out, "repairs", json_object_get(sm, "repairs"));
	text_counter(out, "duplicates", json_object_get(sm, "duplicates"));
	text_counter(out, "withheld", json_object_get(sm, "withheld"));
	const json_t *t = json_object_get(sm, "text");
	fprintf(out, "%-11s %lld records with a text, %lld bytes, %lld on average", "texts",
	        (long long)json_integer_value(json_object_get(t, "records")),
	        (long long)json_integer_value(json_object_get(t, "bytes")),
	        (long long)json_integer_value(json_object_get(t, "mean")));
	const json_t *l = json_object_get(t, "largest");
	if (l)
		fprintf(out, ", largest %s (%lld bytes)", mie_rec_str(l, "id"),
		        (long long)json_integer_value(json_object_get(l, "bytes")));
	fputc('\n', out);
}

/* ---- HTML ---- */

static void esc(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
	}
}

typedef struct bar {
	const char *key, *label; /* borrowed */
	long long value;
	int depth;
} bar;

/* A horizontal bar chart: one row per bar, its label, its bar and its
 * number; the numbers are also attributes, for machines. */
static void chart(FILE *out, const char *id, const char *title, const bar *bars, size_t n)
{
	fprintf(out, "<section id=\"%s\">\n<h2>", id);
	esc(out, title);
	fputs("</h2>\n", out);
	if (!n) {
		fputs("<p class=\"none\">None.</p>\n</section>\n", out);
		return;
	}
	long long max = 1;
	for (size_t i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	int row = 26, label_w = 300, bar_w = 480;
	fprintf(out,
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%zu\" "
	        "role=\"img\" aria-label=\"",
	        label_w + bar_w + 80, n * (size_t)row + 10);
	esc(out, title);
	fputs("\">\n", out);
	for (size_t i = 0; i < n; i++) {
		int y = (int)i * row + 5, w = (int)(bars[i].value * bar_w / max);
		fprintf(out, "<g class=\"bar\" data-chart=\"%s\" data-key=\"", id);
		esc(out, bars[i].key);
		fprintf(out, "\" data-value=\"%lld\">", bars[i].value);
		/* labels start at the left, indented by depth: the section tree */
		fprintf(out, "<text x=\"%d\" y=\"%d\">", 4 + 16 * bars[i].depth, y + 17);
		esc(out, bars[i].label);
		fprintf(out,
		        "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\"/>"
		        "<text x=\"%d\" y=\"%d\" class=\"n\">%lld</text></g>\n",
		        label_w, y + 2, w > 0 ? w : 1, row - 6, label_w + (w > 0 ? w : 1) + 6,
		        y + 17, bars[i].value);
	}
	fputs("</svg>\n</section>\n", out);
}

static size_t counter_bars(const json_t *c, bar **out)
{
	size_t n = json_object_size(c), i = 0;
	*out = mie_xmalloc((n ? n : 1) * sizeof **out);
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)c, k, v)(*out)[i++] = (bar){k, k, json_integer_value(v), 0};
	return n;
}

static void table(FILE *out, const char *title, const json_t *c)
{
	fputs("<section><h2>", out);
	esc(out, title);
	fputs("</h2>\n<table>\n", out);
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)c, k, v)
	{
		fputs("<tr><th>", out);
		esc(out, k);
		fprintf(out, "</th><td>%lld</td></tr>\n", (long long)json_integer_value(v));
	}
	if (!json_object_size(c))
		fputs("<tr><td>None.</td></tr>\n", out);
	fputs("</table>\n</section>\n", out);
}

void mie_stats_write_html(const json_t *sm, const char *title, FILE *out)
{
	fputs("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
	      out);
	esc(out, title);
	fputs("</title>\n<style>\n"
	      "body{font:15px/1.4 sans-serif;margin:2em auto;max-width:60em;color:#222;"
	      "background:#fff}\n"
	      "h1{font-size:1.6em}h2{font-size:1.15em;margin-top:1.6em}\n"
	      "svg text{font:13px sans-serif;fill:#222}svg rect{fill:#2b6cb0}\n"
	      "svg text.n{fill:#444}\n"
	      "table{border-collapse:collapse}th,td{padding:2px 12px 2px 0;text-align:left}\n"
	      "td{text-align:right}.big{font-size:2em;font-weight:bold}\n"
	      "</style>\n</head>\n<body>\n<h1>",
	      out);
	esc(out, title);
	fprintf(out,
	        "</h1>\n<p><span class=\"big\" id=\"records\" data-value=\"%lld\">%lld</span> "
	        "records</p>\n",
	        (long long)json_integer_value(json_object_get(sm, "records")),
	        (long long)json_integer_value(json_object_get(sm, "records")));
	bar *bars;
	size_t n = counter_bars(json_object_get(sm, "years"), &bars);
	chart(out, "years", "Records per year of publication", bars, n);
	free(bars);
	const json_t *secs = json_object_get(sm, "sections");
	n = json_array_size(secs);
	bars = mie_xmalloc((n ? n : 1) * sizeof *bars);
	for (size_t i = 0; i < n; i++) {
		const json_t *s = json_array_get(secs, i);
		const char *t = mie_rec_str(s, "title");
		bars[i] = (bar){mie_rec_str(s, "id"), t ? t : mie_rec_str(s, "id"),
		                json_integer_value(json_object_get(s, "total")),
		                (int)json_integer_value(json_object_get(s, "depth"))};
	}
	chart(out, "sections", "Records per section (with the sections under it)", bars, n);
	free(bars);
	n = counter_bars(json_object_get(sm, "repairs"), &bars);
	chart(out, "repairs", "Repairs made on import, by kind", bars, n);
	free(bars);
	n = counter_bars(json_object_get(sm, "duplicates"), &bars);
	chart(out, "duplicates", "Duplicates, by how they were found", bars, n);
	free(bars);
	table(out, "Record types", json_object_get(sm, "types"));
	table(out, "Status", json_object_get(sm, "status"));
	table(out, "Languages", json_object_get(sm, "lang"));
	table(out, "Withheld fields (privacy)", json_object_get(sm, "withheld"));
	fputs("<section><h2>Dates</h2>\n<table>\n", out);
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(sm, "dates"), k, v)
	{
		fprintf(out, "<tr><th>%s</th><td>", k);
		esc(out, mie_rec_str(v, "first"));
		fputs(" – ", out);
		esc(out, mie_rec_str(v, "last"));
		fputs("</td></tr>\n", out);
	}
	const json_t *t = json_object_get(sm, "text");
	fprintf(out,
	        "</table>\n</section>\n<section><h2>Texts</h2>\n<p>%lld records with a text, "
	        "%lld bytes, %lld on average.</p>\n</section>\n",
	        (long long)json_integer_value(json_object_get(t, "records")),
	        (long long)json_integer_value(json_object_get(t, "bytes")),
	        (long long)json_integer_value(json_object_get(t, "mean")));
	fputs("<p><small>Made by mie-stats.</small></p>\n</body>\n</html>\n", out);
}
