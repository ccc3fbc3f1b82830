/* mie_legacy.c — the legacy URL forms of a record (the rule is stated in
 * mie_legacy.h). */
#include <string.h>

#include "formats/mie_bagit.h"
#include "formats/mie_legacy.h"
#include "record/mie_record.h"

static const char *const words[][3] = {
        /* type, URL word, table of the dump */
        {"article", "article", "spip_articles"}, {"section", "rubrique", "spip_rubriques"},
        {"brief", "breve", "spip_breves"},       {"author", "auteur", "spip_auteurs"},
        {"keyword", "mot", "spip_mots"},         {"site", "site", "spip_syndic"},
};
#define NWORDS (sizeof words / sizeof *words)

const char *mie_legacy_word(const char *type)
{
	for (size_t i = 0; type && i < NWORDS; i++)
		if (strcmp(words[i][0], type) == 0)
			return words[i][1];
	return NULL;
}

static int is_number(const char *s)
{
	if (!s || !*s || strlen(s) > 18)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* The forms given so far, to give each once ('\n'-separated). */
typedef struct forms {
	mie_buf seen;
	mie_legacy_fn fn;
	void *arg;
	int n;
} forms;

static void give(forms *f, const char *path)
{
	if (!*path || strchr(path, '\n'))
		return;
	size_t k = strlen(path);
	for (const char *p = f->seen.data; p && *p;) {
		const char *nl = strchr(p, '\n');
		if ((size_t)(nl - p) == k && memcmp(p, path, k) == 0)
			return;
		p = nl + 1;
	}
	mie_buf_adds(&f->seen, path);
	mie_buf_addc(&f->seen, '\n');
	f->fn(f->arg, path);
	f->n++;
}

static void object_forms(forms *f, const char *w, const char *num)
{
	if (!w || !is_number(num) || strcmp(w, "site") == 0)
		return;
	mie_buf p = MIE_BUF_INIT;
	mie_buf_addf(&p, "spip.php?%s%s", w, num);
	give(f, p.data);
	mie_buf_reset(&p);
	mie_buf_addf(&p, "%s%s.html", w, num);
	give(f, p.data);
	mie_buf_reset(&p);
	mie_buf_addf(&p, "spip.php?page=%s&id_%s=%s", w, w, num);
	give(f, p.data);
	mie_buf_reset(&p);
	mie_buf_addf(&p, "%s.php3?id_%s=%s", w, w, num);
	give(f, p.data);
	mie_buf_release(&p);
}

/* The path and query of an absolute URL ("http://host/a?b#c" -> "a?b"). */
static void url_forms(forms *f, const char *url)
{
	const char *p = url ? strstr(url, "://") : NULL;
	if (!p || !(p = strchr(p + 3, '/')))
		return;
	size_t n = strcspn(p + 1, "#");
	mie_buf b = MIE_BUF_INIT;
	mie_buf_add(&b, p + 1, n);
	give(f, b.data);
	mie_buf_release(&b);
}

/* The last part of an id "SITE:TYPE:LOCAL" of the given type, or NULL. */
static const char *local_of(const char *id, const char *type)
{
	const char *c1 = id ? strchr(id, ':') : NULL;
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	size_t k = type ? strlen(type) : 0;
	if (!c2 || (size_t)(c2 - c1 - 1) != k || memcmp(c1 + 1, type, k) != 0)
		return NULL;
	return c2 + 1;
}

int mie_legacy_paths(const json_t *rec, mie_legacy_fn fn, void *arg)
{
	forms f = {MIE_BUF_INIT, fn, arg, 0};
	const char *type = mie_rec_str(rec, "type");
	const char *w = mie_legacy_word(type);
	const json_t *legacy = json_object_get(rec, "legacy");
	const char *num = mie_rec_str(legacy, "id");
	object_forms(&f, w, is_number(num) ? num : local_of(mie_rec_str(rec, "id"), type));
	const char *file = mie_rec_str(rec, "file");
	if (type && strcmp(type, "document") == 0 && file && !mie_bagit_path_problem(file))
		give(&f, file);
	url_forms(&f, mie_rec_str(legacy, "url"));
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(json_object_get(rec, "variants"), "legacy"), i, v)
	{
		const char *table = mie_rec_str(v, "table");
		for (size_t k = 0; table && k < NWORDS; k++)
			if (strcmp(words[k][2], table) == 0)
				object_forms(&f, words[k][1], mie_rec_str(v, "id"));
		url_forms(&f, mie_rec_str(v, "url"));
	}
	json_array_foreach(json_object_get(rec, "merged_from"), i, v)
	        object_forms(&f, w, local_of(json_string_value(v), type));
	mie_buf_release(&f.seen);
	return f.n;
}

int mie_legacy_hosts(const json_t *rec, mie_legacy_fn fn, void *arg)
{
	const char *site = mie_rec_str(json_object_get(rec, "legacy"), "site");
	const char *id = mie_rec_str(rec, "id");
	mie_buf h = MIE_BUF_INIT;
	if (site && *site)
		mie_buf_adds(&h, site);
	else if (id && strchr(id, ':') && strchr(id, ':') != id)
		mie_buf_add(&h, id, (size_t)(strchr(id, ':') - id));
	if (!h.len || strcmp(h.data, "local") == 0) {
		mie_buf_release(&h);
		return 0;
	}
	for (char *p = h.data; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	const char *bare = strncmp(h.data, "www.", 4) == 0 ? h.data + 4 : h.data;
	fn(arg, bare);
	mie_buf www = MIE_BUF_INIT;
	mie_buf_addf(&www, "www.%s", bare);
	fn(arg, www.data);
	mie_buf_release(&www);
	mie_buf_release(&h);
	return 2;
}
