/* mie_dedup_merge.c — one record out of a cluster, losing nothing.
 *
 * The merged record starts as the canonical.  Each other member, in rank
 * order, then contributes field by field: a field the merged record lacks
 * is taken as it is; a value equal to the merged record's adds nothing; an
 * object (text, legacy, extra) gets the members it lacks; any other
 * differing value is appended (once), whole, to variants[FIELD].  Members' own
 * variants are folded in the same way, ids go to merged_from (with the ids
 * the members were themselves merged from), provenance entries are
 * concatenated.  Stale duplicate_* marks are dropped. */
#include <string.h>

#include "dedup/mie_dedup_impl.h"

static void add_unique(json_t *arr, json_t *v)
{
	for (size_t i = 0; i < json_array_size(arr); i++)
		if (json_equal(json_array_get(arr, i), v))
			return;
	json_array_append(arr, v);
}

static void add_variant(json_t *variants, const char *field, json_t *v)
{
	json_t *arr = json_object_get(variants, field);
	if (!json_is_array(arr)) {
		arr = json_array();
		json_object_set_new(variants, field, arr);
	}
	add_unique(arr, v);
}

/* Objects (text, legacy, extra): members `have` lacks are taken from v.
 * Returns 1 when v is then wholly represented in `have`. */
static int fill_object(json_t *have, json_t *v)
{
	if (!json_is_object(have) || !json_is_object(v))
		return 0;
	int same = 1;
	const char *k;
	json_t *x;
	json_object_foreach(v, k, x)
	{
		json_t *h = json_object_get(have, k);
		if (!h)
			json_object_set(have, k, x);
		else if (!json_equal(h, x))
			same = 0;
	}
	return same;
}

static void absorb(json_t *merged, json_t *variants, json_t *from, json_t *prov, json_t *m)
{
	const char *k;
	json_t *v;
	json_object_foreach(m, k, v)
	{
		if (!strcmp(k, "id")) {
			add_unique(from, v);
		} else if (!strcmp(k, "merged_from")) {
			for (size_t i = 0; i < json_array_size(v); i++)
				add_unique(from, json_array_get(v, i));
		} else if (!strcmp(k, "provenance")) {
			for (size_t i = 0; i < json_array_size(v); i++)
				add_unique(prov, json_array_get(v, i));
		} else if (!strcmp(k, "variants")) {
			const char *f;
			json_t *vals;
			json_object_foreach(v, f, vals) for (size_t i = 0;
			                                     i < json_array_size(vals); i++)
			{
				json_t *x = json_array_get(vals, i);
				if (!json_equal(json_object_get(merged, f), x))
					add_variant(variants, f, x);
			}
		} else if (!strncmp(k, "duplicate_", 10)) {
			continue;
		} else {
			json_t *have = json_object_get(merged, k);
			if (!have)
				json_object_set(merged, k, v);
			else if (!json_equal(have, v) && !fill_object(have, v))
				add_variant(variants, k, v);
		}
	}
}

json_t *mie_dedup_merge(mie_dedup *d, uint32_t c)
{
	mie_dedup_order(d);
	json_t *merged = mie_dedup_read(d, c);
	if (!merged)
		return NULL;
	json_t *variants = json_object(), *from = json_array(), *prov = json_array();
	json_t *own = json_object_get(merged, "variants");
	if (json_is_object(own))
		json_object_update(variants, own);
	json_object_del(merged, "variants");
	json_object_del(merged, "duplicate_of");
	json_object_del(merged, "duplicate_method");
	json_object_del(merged, "duplicate_score");
	/* the canonical's own ids and provenance come first */
	add_unique(from, json_object_get(merged, "id"));
	json_t *mf = json_object_get(merged, "merged_from");
	for (size_t i = 0; i < json_array_size(mf); i++)
		add_unique(from, json_array_get(mf, i));
	json_t *p = json_object_get(merged, "provenance");
	for (size_t i = 0; i < json_array_size(p); i++)
		add_unique(prov, json_array_get(p, i));
	for (size_t k = d->first[c] + 1; k < d->norder && d->r[d->order[k]].canon == c; k++) {
		json_t *m = mie_dedup_read(d, d->order[k]);
		if (!m) {
			json_decref(merged), json_decref(variants), json_decref(from),
			        json_decref(prov);
			return NULL;
		}
		absorb(merged, variants, from, prov, m);
		json_decref(m);
	}
	if (json_array_size(prov))
		json_object_set(merged, "provenance", prov);
	if (json_object_size(variants))
		json_object_set(merged, "variants", variants);
	json_object_set(merged, "merged_from", from);
	json_decref(variants), json_decref(from), json_decref(prov);
	return merged;
}
