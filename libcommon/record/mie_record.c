#include <stdlib.h>
#include <string.h>

#include "core/mie_buf.h"
#include "record/mie_record.h"
#include "core/mie_utf8.h"

const char *const mie_record_types[] = {"section",   "article",       "brief",    "author",
                                        "keyword",   "keyword_group", "document", "site",
                                        "comment",   "organisation",  "dossier",  "petition",
                                        "signature", "table_row",     NULL};

int mie_record_type_known(const char *type)
{
	for (int i = 0; mie_record_types[i]; i++)
		if (strcmp(type, mie_record_types[i]) == 0)
			return 1;
	return 0;
}

/* json_object_set_new(obj, key, v), the member name checked by
 * mie_utf8_valid: the same strict UTF-8 as jansson's check, but a word at
 * a time where jansson goes byte by byte (a quarter of the cost of setting
 * a record's member). */
static void set_new(json_t *obj, const char *key, json_t *v)
{
	size_t n;
	if (!key || !mie_utf8_valid(key, n = strlen(key))) {
		json_decref(v);
		return;
	}
	json_object_setn_new_nocheck(obj, key, n, v);
}

/* mie_rec_set_str for the member names this file writes: literals, so
 * jansson need not check them (json_object_set_new did, on every repair
 * and provenance entry), and a C string holds no NUL. */
static void set_member(json_t *obj, const char *key, const char *s)
{
	size_t n = strlen(s);
	if (!mie_utf8_valid(s, n))
		return;
	json_t *v = json_stringn_nocheck(s, n);
	if (!v)
		mie_die("out of memory");
	json_object_set_new_nocheck(obj, key, v);
}

json_t *mie_rec_new(const char *type, const char *id)
{
	json_t *rec = json_object();
	if (!rec)
		mie_die("out of memory");
	set_member(rec, "type", type);
	set_member(rec, "id", id);
	return rec;
}

char *mie_rec_make_id(const char *site, const char *type, const char *local)
{
	mie_buf b = MIE_BUF_INIT; /* "%s:%s:%s" without printf: one per record */
	mie_buf_adds(&b, site);
	mie_buf_addc(&b, ':');
	mie_buf_adds(&b, type);
	mie_buf_addc(&b, ':');
	mie_buf_adds(&b, local);
	return mie_buf_detach(&b, NULL);
}

const char *mie_rec_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

const char *mie_rec_id_or_dash(const json_t *rec)
{
	const char *id = mie_rec_str(rec, "id");
	return id ? id : "-";
}

int mie_rec_set_strn(json_t *obj, const char *key, const char *s, size_t n)
{
	if (memchr(s, '\0', n) || !mie_utf8_valid(s, n))
		return -1;
	json_t *v = json_stringn_nocheck(s, n);
	if (!v)
		mie_die("out of memory");
	set_new(obj, key, v);
	return 0;
}

void mie_rec_set_made(json_t *obj, const char *key, const char *s, size_t n)
{
	json_t *v = json_stringn_nocheck(s, n);
	if (!v)
		mie_die("out of memory");
	set_new(obj, key, v);
}

int mie_rec_set_str(json_t *obj, const char *key, const char *s)
{
	return mie_rec_set_strn(obj, key, s, strlen(s));
}

void mie_rec_take_rank(json_t *rec)
{
	const char *t = mie_rec_str(rec, "title");
	if (!t)
		return;
	size_t k = 0;
	while (t[k] >= '0' && t[k] <= '9' && k < 6)
		k++;
	if (k && t[k] == '.' && t[k + 1] == ' ' && t[k + 2]) {
		json_object_set_new(rec, "rank", json_integer(strtol(t, NULL, 10)));
		char *rest = mie_xstrdup(t + k + 2);
		mie_rec_set_str(rec, "title", rest);
		free(rest);
	}
}

int mie_rec_add_unique(json_t *obj, const char *key, const char *s)
{
	size_t n = strlen(s);
	if (!mie_utf8_valid(s, n))
		return -1;
	json_t *arr = json_object_get(obj, key);
	if (!json_is_array(arr)) {
		arr = json_array();
		set_new(obj, key, arr);
	}
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *t = json_string_value(v);
		if (t && strcmp(t, s) == 0)
			return 0;
	}
	json_array_append_new(arr, json_stringn_nocheck(s, n));
	return 0;
}

json_t *mie_rec_add_provenance(json_t *rec, const char *format, const mie_loc *loc,
                               const char *charset)
{
	json_t *arr = json_object_get(rec, "provenance");
	if (!json_is_array(arr)) {
		arr = json_array();
		json_object_set_new_nocheck(rec, "provenance", arr);
	}
	json_t *p = json_object();
	set_member(p, "format", format);
	if (loc && loc->file)
		set_member(p, "file", loc->file);
	if (loc && loc->member)
		set_member(p, "member", loc->member);
	if (loc && loc->line > 0)
		json_object_set_new_nocheck(p, "line", json_integer(loc->line));
	if (charset)
		set_member(p, "charset", charset);
	json_array_append_new(arr, p);
	return p;
}

void mie_rec_add_repair(json_t *prov, const char *kind, const char *field, const char *detail,
                        const char *original)
{
	json_t *arr = json_object_get(prov, "repairs");
	if (!json_is_array(arr)) {
		arr = json_array();
		json_object_set_new_nocheck(prov, "repairs", arr);
	}
	json_t *r = json_object();
	set_member(r, "kind", kind);
	if (field)
		set_member(r, "path", field);
	if (detail)
		set_member(r, "detail", detail);
	if (original)
		set_member(r, "original", original);
	json_array_append_new(arr, r);
}
