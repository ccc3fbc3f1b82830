/* mie_dedup_merge.c — one record out of a cluster, losing nothing, and
 * the members back out of it (mie_dedup_unmerge).
 *
 * The members merged are the canonical (member 0) and the duplicates whose
 * method is among --merge-methods, in rank order (members 1, 2...).  The
 * merged record starts as the canonical.  Each other member then
 * contributes field by field: a field the merged record lacks is taken as
 * it is; an object (text, legacy, extra) gets the members it lacks; any
 * other value leaves the merged record's as it is.
 *
 * Then, so that every member can be rebuilt byte for byte:
 *  - variants[FIELD] holds every member's value of FIELD that is not the
 *    merged record's (as JSON text: same members in the same order), as
 *    {"value", "id", "source", "record"}: the value, the member's id, where
 *    it came from (its first provenance entry's file, member and line) and
 *    its number; a member's own variants and merge_layout (from an earlier
 *    merge) are always there, under variants.variants and
 *    variants.merge_layout;
 *  - provenance is every member's entries, in member order, each named by
 *    "record" (the member's id) unless the member's entries already name
 *    theirs;
 *  - merge_layout["K"] is member K's fields in its order: each field's name,
 *    and for provenance ["provenance", ENTRIES, NAMED] (NAMED 1: "record"
 *    was added to them);
 *  - merged_from holds every member's id, and the ids they were merged from. */
#include <string.h>

#include "dedup/mie_dedup_impl.h"

static void add_unique(json_t *arr, json_t *seen, json_t *v)
{
	if (json_is_string(v)) { /* ids: looked up in `seen`, in constant time */
		if (json_object_get(seen, json_string_value(v)))
			return;
		json_object_set_new(seen, json_string_value(v), json_true());
	} else {
		for (size_t i = 0; i < json_array_size(arr); i++)
			if (json_equal(json_array_get(arr, i), v))
				return;
	}
	json_array_append(arr, v);
}

/* Objects (text, legacy, extra): members `have` lacks are taken from v. */
static void fill_object(json_t *have, json_t *v)
{
	if (!json_is_object(have) || !json_is_object(v))
		return;
	const char *k;
	json_t *x;
	json_object_foreach(v, k, x) if (!json_object_get(have, k))
	        json_object_set_new(have, k, json_deep_copy(x));
}

/* Fields the merge writes itself, or drops (stale marks): not taken from a
 * member into the merged record. */
static int own_field(const char *k)
{
	return !strcmp(k, "id") || !strcmp(k, "provenance") || !strcmp(k, "variants") ||
	       !strcmp(k, "merged_from") || !strcmp(k, "merge_layout") ||
	       !strncmp(k, "duplicate_", 10);
}

static void absorb(json_t *merged, json_t *m)
{
	const char *k;
	json_t *v;
	json_object_foreach(m, k, v)
	{
		if (own_field(k))
			continue;
		json_t *have = json_object_get(merged, k);
		if (!have)
			json_object_set_new(merged, k, json_deep_copy(v));
		else
			fill_object(have, v);
	}
}

/* 1 when a and b are the same JSON text (json_equal ignores the order of
 * object members; a rebuilt member must not). */
static int same_text(const json_t *a, const json_t *b, mie_buf *x, mie_buf *y)
{
	if (!a || !b || !json_equal(a, b))
		return 0;
	if (!json_is_object(a) && !json_is_array(a))
		return 1;
	mie_buf_reset(x);
	mie_buf_reset(y);
	json_dump_callback(a, mie_dedup_dump_cb, x, JSON_COMPACT | JSON_ENCODE_ANY);
	json_dump_callback(b, mie_dedup_dump_cb, y, JSON_COMPACT | JSON_ENCODE_ANY);
	return x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
}

json_t *mie_dedup_source(const json_t *rec)
{
	const json_t *p = json_array_get(json_object_get(rec, "provenance"), 0);
	json_t *src = json_object();
	static const char *const keys[] = {"file", "member", "line"};
	for (int i = 0; i < 3; i++) {
		json_t *v = json_object_get(p, keys[i]);
		if (v)
			json_object_set(src, keys[i], v);
	}
	return src;
}

/* Member k's entries into merged's provenance, named by its id unless one
 * already is; its layout item. */
static json_t *add_provenance(json_t *prov, const json_t *m)
{
	const json_t *p = json_object_get(m, "provenance");
	int named = 1;
	for (size_t i = 0; i < json_array_size(p); i++)
		if (json_object_get(json_array_get(p, i), "record"))
			named = 0;
	const json_t *id = json_object_get(m, "id");
	for (size_t i = 0; i < json_array_size(p); i++) {
		json_t *e = json_deep_copy(json_array_get(p, i));
		if (named && json_is_object(e) && id)
			json_object_set(e, "record", (json_t *)id);
		json_array_append_new(prov, e);
	}
	return json_pack("[sIi]", "provenance", (json_int_t)json_array_size(p), named && id);
}

/* What member k holds that the merged record does not show: its values
 * under variants, its fields under merge_layout["k"]. */
static void attribute(json_t *merged, json_t *variants, json_t *layout, json_t *prov, json_t *m,
                      size_t k, mie_buf bufs[2])
{
	json_t *fields = json_array(), *src = mie_dedup_source(m);
	const char *f;
	json_t *v;
	json_object_foreach(m, f, v)
	{
		if (!strcmp(f, "provenance") && json_is_array(v)) {
			json_array_append_new(fields, add_provenance(prov, m));
			continue;
		}
		json_array_append_new(fields, json_string(f));
		int nested = !strcmp(f, "variants") || !strcmp(f, "merge_layout");
		if (!nested && same_text(v, json_object_get(merged, f), &bufs[0], &bufs[1]))
			continue;
		json_t *arr = json_object_get(variants, f);
		if (!arr)
			json_object_set_new(variants, f, arr = json_array());
		json_t *e = json_object();
		json_object_set_new(e, "value", json_deep_copy(v));
		json_t *id = json_object_get(m, "id");
		if (id)
			json_object_set(e, "id", id);
		if (json_object_size(src))
			json_object_set(e, "source", src);
		json_object_set_new(e, "record", json_integer((json_int_t)k));
		json_array_append_new(arr, e);
	}
	char key[24];
	snprintf(key, sizeof key, "%zu", k);
	json_object_set_new(layout, key, fields);
	json_decref(src);
}

json_t *mie_dedup_merge(mie_dedup *d, uint32_t c)
{
	mie_dedup_order(d);
	json_t *members = json_array();
	for (size_t k = d->first[c]; k < d->norder && d->r[d->order[k]].canon == c; k++) {
		uint32_t i = d->order[k];
		if (i != c && !d->r[i].fold)
			continue;
		json_t *m = mie_dedup_read(d, i);
		if (!m)
			return json_decref(members), NULL;
		json_array_append_new(members, m);
	}
	json_t *merged = json_deep_copy(json_array_get(members, 0));
	json_object_del(merged, "variants");
	json_object_del(merged, "merge_layout");
	json_object_del(merged, "duplicate_of");
	json_object_del(merged, "duplicate_method");
	json_object_del(merged, "duplicate_score");
	json_t *from = json_array(), *prov = json_array(), *variants = json_object(),
	       *layout = json_object(), *seen = json_object(); /* seen: the ids in from */
	for (size_t k = 0; k < json_array_size(members); k++) {
		json_t *m = json_array_get(members, k);
		if (k)
			absorb(merged, m);
		json_t *id = json_object_get(m, "id");
		if (id)
			add_unique(from, seen, id);
		json_t *mf = json_object_get(m, "merged_from");
		for (size_t i = 0; i < json_array_size(mf); i++)
			add_unique(from, seen, json_array_get(mf, i));
	}
	json_object_set(merged, "merged_from", from);
	mie_buf bufs[2] = {MIE_BUF_INIT, MIE_BUF_INIT};
	for (size_t k = 0; k < json_array_size(members); k++)
		attribute(merged, variants, layout, prov, json_array_get(members, k), k, bufs);
	mie_buf_release(&bufs[0]);
	mie_buf_release(&bufs[1]);
	if (json_array_size(prov))
		json_object_set(merged, "provenance", prov);
	else
		json_object_del(merged, "provenance");
	if (json_object_size(variants))
		json_object_set(merged, "variants", variants);
	json_object_set(merged, "merge_layout", layout);
	json_decref(variants), json_decref(from), json_decref(prov), json_decref(layout),
	        json_decref(members), json_decref(seen);
	return merged;
}

/* Member k's value of field f: its variant, else the merged record's. */
static json_t *value_of(const json_t *rec, const char *f, json_int_t k)
{
	const json_t *arr = json_object_get(json_object_get(rec, "variants"), f);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *e = json_array_get(arr, i);
		if (json_integer_value(json_object_get(e, "record")) == k &&
		    json_object_get(e, "value"))
			return json_object_get(e, "value");
	}
	return json_object_get(rec, f);
}

json_t *mie_dedup_unmerge(const json_t *rec, mie_buf *why)
{
	const json_t *layout = json_object_get(rec, "merge_layout");
	if (!json_is_object(layout))
		return NULL;
	const json_t *prov = json_object_get(rec, "provenance");
	json_t *out = json_array();
	size_t used = 0; /* provenance entries taken */
	for (json_int_t k = 0;; k++) {
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)k);
		const json_t *fields = json_object_get(layout, key);
		if (!fields)
			break;
		json_t *m = json_object();
		json_array_append_new(out, m);
		for (size_t i = 0; i < json_array_size(fields); i++) {
			const json_t *item = json_array_get(fields, i);
			const char *f = json_string_value(item);
			const char *p0 = json_string_value(json_array_get(item, 0));
			if (json_array_size(item) == 3 && p0 && !strcmp(p0, "provenance")) {
				size_t n = (size_t)json_integer_value(json_array_get(item, 1));
				int named = json_integer_value(json_array_get(item, 2)) == 1;
				if (used + n > json_array_size(prov)) {
					mie_buf_adds(why,
					             "merge_layout: more provenance entries than "
					             "the record has");
					return json_decref(out), NULL;
				}
				json_t *p = json_array();
				for (size_t j = 0; j < n; j++) {
					json_t *e = json_deep_copy(json_array_get(prov, used + j));
					if (named)
						json_object_del(e, "record");
					json_array_append_new(p, e);
				}
				used += n;
				json_object_set_new(m, "provenance", p);
				continue;
			}
			json_t *v = f ? value_of(rec, f, k) : NULL;
			if (!v) {
				mie_buf_addf(why, "merge_layout.%s: field %zu: no value to rebuild",
				             key, i);
				return json_decref(out), NULL;
			}
			json_object_set_new(m, f, json_deep_copy(v));
		}
	}
	if (!json_array_size(out)) {
		mie_buf_adds(why, "merge_layout: no member 0");
		return json_decref(out), NULL;
	}
	return out;
}
