/* mie_privacy.c — the one privacy rule of mie-import (see mie_privacy.h;
 * the lists below are those of man/mie-import.1, PRIVACY: change both). */
#include <stdlib.h>
#include <string.h>

#include "import/mie_privacy.h"
#include "record/mie_record.h"
#include "text/mie_fold.h"

/* ---- names, as words ---- */

/* The comparison form of a column name: camelCase split, NUL bytes as
 * separators, then mie_text_fold (lowercase, no accents, every run of
 * separators one space), with " " at both ends so that whole words and
 * phrases are found as " word ". */
static void name_words(mie_buf *out, const char *name, size_t n)
{
	mie_buf split = MIE_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (i && c >= 'A' && c <= 'Z' && name[i - 1] >= 'a' && name[i - 1] <= 'z')
			mie_buf_addc(&split, ' ');
		mie_buf_addc(&split, c ? (char)c : ' ');
	}
	mie_buf folded = MIE_BUF_INIT;
	mie_text_fold(&folded, split.data ? split.data : "", split.len);
	mie_buf_addc(out, ' ');
	/* each word without its trailing digits ("email2", "pass1"), unless
	 * it is all digits */
	for (size_t i = 0; i < folded.len;) {
		size_t k = strcspn(folded.data + i, " ");
		size_t w = k;
		while (w && folded.data[i + w - 1] >= '0' && folded.data[i + w - 1] <= '9')
			w--;
		mie_buf_add(out, folded.data + i, w ? w : k);
		mie_buf_addc(out, ' ');
		i += k + (folded.data[i + k] == ' ');
	}
	mie_buf_release(&split);
	mie_buf_release(&folded);
}

static int has_any(const char *words, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (strstr(words, list[i]))
			return 1;
	return 0;
}

/* Whole words and phrases (between spaces) naming credentials. */
static const char *const credential_words[] = {" pass ",
                                               " passe ",
                                               " password ",
                                               " passwords ",
                                               " passwd ",
                                               " passwort ",
                                               " passphrase ",
                                               " pwd ",
                                               " pw ",
                                               " mdp ",
                                               " mot de passe ",
                                               " mots de passe ",
                                               " motdepasse ",
                                               " secret ",
                                               " secrets ",
                                               " token ",
                                               " tokens ",
                                               " jeton ",
                                               " jetons ",
                                               " key ",
                                               " keys ",
                                               " cle ",
                                               " cles ",
                                               " apikey ",
                                               " salt ",
                                               " salts ",
                                               " hash ",
                                               " hashes ",
                                               " hashed ",
                                               " cookie ",
                                               " cookies ",
                                               " session ",
                                               " sessions ",
                                               " sessid ",
                                               " sessionid ",
                                               " alea ",
                                               " htpass ",
                                               " htpasswd ",
                                               " low sec ",
                                               " lowsec ",
                                               " otp ",
                                               " nonce ",
                                               " credential ",
                                               " credentials ",
                                               " privatekey ",
                                               " accesskey ",
                                               " secretkey ",
                                               " authkey ",
                                               NULL};
/* Parts of a word that name a credential wherever they are. */
static const char *const credential_parts[] = {"password", "passwd", "motdepasse", "htpass", NULL};

int mie_privacy_is_credential(const char *name, size_t n)
{
	mie_buf w = MIE_BUF_INIT;
	name_words(&w, name, n);
	int is = has_any(w.data, credential_words) || has_any(w.data, credential_parts);
	mie_buf_release(&w);
	return is;
}

/* Words naming data about an individual, outside the people tables. */
static const char *const personal_words[] = {
        " contact ",   " responsable ", " referent ",  " referente ", " prenom ",
        " firstname ", " first name ",  " surname ",   " lastname ",  " last name ",
        " portable ",  " mobile ",      " personne ",  " directeur ", " directrice ",
        " person ",    " email ",       " e mail ",    " mail ",      " courriel ",
        " ip ",        " login ",       " naissance ", " birth ",     " birthday ",
        NULL};

/* ---- tables ---- */

/* A people table and the columns that may leave it (NULL-terminated);
 * every other column is personal (--keep-personal). */
typedef struct people_table {
	const char *table;
	const char *const *allowed;
} people_table;

static const char *const authors_allowed[] = {"id_auteur",  "nom",      "bio",      "statut",
                                              "lang",       "nom_site", "url_site", "maj",
                                              "url_propre", "source",   "idx",      NULL};
static const char *const forum_allowed[] = {
        "id_forum",    "id_parent", "id_thread", "id_rubrique", "id_article",
        "id_breve",    "id_syndic", "id_auteur", "id_message",  "date_heure",
        "date_thread", "titre",     "texte",     "auteur",      "nom_site",
        "url_site",    "statut",    "maj",       "idx",         NULL};
static const char *const signatures_allowed[] = {
        "id_signature", "id_article", "date_time", "nom_email", "nom_site", "url_site",
        "message",      "statut",     "maj",       "idx",       NULL};
/* a people table that is not SPIP's own (a plugin's contacts): only its
 * keys, dates and status */
static const char *const other_allowed[] = {"id", "maj", "date", "statut", "titre", "lang", NULL};

static const people_table peoples[] = {
        {"spip_auteurs", authors_allowed},
        {"spip_forum", forum_allowed},
        {"spip_signatures", signatures_allowed},
        {NULL, NULL},
};

/* Words of a table name about people (a plugin's table, a CSV preset). */
static const char *const people_table_words[] = {
        " auteur ",   " auteurs ",   " contact ",     " contacts ",     " membre ",   " membres ",
        " abonne ",   " abonnes ",   " adherent ",    " adherents ",    " inscrit ",  " inscrits ",
        " user ",     " users ",     " utilisateur ", " utilisateurs ", " visiteur ", " visiteurs ",
        " personne ", " personnes ", " signataire ",  " signataires ",  " people ",   NULL};

/* SPIP's content and link tables whose columns are about no one. */
static const char *const content_tables[] = {"spip_articles",         "spip_breves",
                                             "spip_rubriques",        "spip_mots",
                                             "spip_groupes_mots",     "spip_documents",
                                             "spip_syndic",           "spip_petitions",
                                             "spip_types_documents",  "spip_mots_articles",
                                             "spip_mots_breves",      "spip_mots_rubriques",
                                             "spip_mots_documents",   "spip_mots_syndic",
                                             "spip_mots_forum",       "spip_documents_articles",
                                             "spip_documents_breves", "spip_documents_rubriques",
                                             "spip_auteurs_articles", NULL};

static const people_table *people_of(const char *table)
{
	for (const people_table *p = peoples; p->table; p++)
		if (strcmp(p->table, table) == 0)
			return p;
	return NULL;
}

static int in_list(const char *const *list, const char *s)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

int mie_privacy_people_table(const char *table)
{
	if (!table)
		return 0;
	if (people_of(table))
		return 1;
	if (in_list(content_tables, table))
		return 0;
	mie_buf w = MIE_BUF_INIT;
	name_words(&w, table, strlen(table));
	int is = has_any(w.data, people_table_words);
	mie_buf_release(&w);
	return is;
}

mie_privacy_class mie_privacy_column(const char *table, const char *name)
{
	size_t n = strlen(name);
	if (mie_privacy_is_credential(name, n))
		return MIE_PRIVACY_CREDENTIAL;
	if (table && mie_privacy_people_table(table)) {
		const people_table *p = people_of(table);
		if (p)
			return in_list(p->allowed, name) ? MIE_PRIVACY_KEEP : MIE_PRIVACY_PERSONAL;
		return in_list(other_allowed, name) || strncmp(name, "id_", 3) == 0 ||
		                       strncmp(name, "date_", 5) == 0
		               ? MIE_PRIVACY_KEEP
		               : MIE_PRIVACY_PERSONAL;
	}
	if (table && in_list(content_tables, table))
		return MIE_PRIVACY_KEEP;
	mie_buf w = MIE_BUF_INIT;
	name_words(&w, name, n);
	int personal = has_any(w.data, personal_words);
	mie_buf_release(&w);
	return personal ? MIE_PRIVACY_PERSONAL : MIE_PRIVACY_KEEP;
}

/* ---- values ---- */

int mie_privacy_is_hash(const char *v, size_t n, int people)
{
	while (n && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r'))
		v++, n--;
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\n' || v[n - 1] == '\r'))
		n--;
	if (n >= 4 && v[0] == '$') { /* $id$...: crypt(3), $argon2id$..., $apr1$... */
		size_t k = 1;
		while (k < n && k < 12 &&
		       ((v[k] >= 'a' && v[k] <= 'z') || (v[k] >= 'A' && v[k] <= 'Z') ||
		        (v[k] >= '0' && v[k] <= '9') || v[k] == '-'))
			k++;
		if (k > 1 && k < n && v[k] == '$' && !memchr(v, ' ', n))
			return 1;
		if (n >= 7 && memcmp(v, "$argon2", 7) == 0)
			return 1;
	}
	if (!people || (n != 32 && n != 40 && n != 64 && n != 128))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f') ||
		      (v[i] >= 'A' && v[i] <= 'F')))
			return 0;
	return 1;
}

int mie_privacy_may_leave(const char *table, const char *name, const char *v, size_t n,
                          int keep_personal)
{
	mie_privacy_class c = mie_privacy_column(table, name);
	if (c == MIE_PRIVACY_CREDENTIAL || (c == MIE_PRIVACY_PERSONAL && !keep_personal))
		return 0;
	return !v || !mie_privacy_is_hash(v, n, mie_privacy_people_table(table));
}

/* ---- URL userinfo ---- */

static int scheme_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '-' || c == '.';
}

size_t mie_privacy_strip_userinfo(mie_buf *out, const char *s, size_t n)
{
	size_t removed = 0, from = 0;
	const char *p = s, *end = s + n;
	while ((p = memmem(p, (size_t)(end - p), "://", 3)) != NULL) {
		const char *auth = p + 3;
		int scheme = p > s && scheme_char(p[-1]);
		p = auth;
		if (!scheme)
			continue;
		/* the authority: up to / ? # or what cannot be in a URL */
		const char *q = auth, *at = NULL;
		while (q < end && !strchr("/?#<>\"' \t\r\n\\", *q) && *q) {
			if (*q == '@')
				at = q;
			q++;
		}
		if (!at)
			continue;
		mie_buf_add(out, s + from, (size_t)(auth - s) - from);
		from = (size_t)(at + 1 - s);
		removed++;
		p = at + 1;
	}
	mie_buf_add(out, s + from, n - from);
	return removed;
}

/* Walks v (at path; borrowed), stripping in place; repairs go to prov. */
static size_t strip_value(json_t *v, mie_buf *path, json_t *prov)
{
	size_t removed = 0, len = path->len;
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		if (!memchr(s, '@', n) || !memmem(s, n, "://", 3)) /* '@' is the rarer */
			return 0;
		mie_buf b = MIE_BUF_INIT;
		removed = mie_privacy_strip_userinfo(&b, s, n);
		if (removed) {
			json_string_setn_nocheck(v, b.data, b.len);
			mie_rec_add_repair(prov, "url-userinfo", path->data,
			                   "user name and password of a URL removed (not kept)",
			                   NULL);
			json_t *r = json_array_get(
			        json_object_get(prov, "repairs"),
			        json_array_size(json_object_get(prov, "repairs")) - 1);
			if (removed > 1)
				json_object_set_new(r, "count", json_integer((json_int_t)removed));
		}
		mie_buf_release(&b);
	} else if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x)
		{
			if (!len && strcmp(k, "provenance") == 0)
				continue;
			mie_buf_setlen(path, len);
			if (len)
				mie_buf_addc(path, '.');
			mie_buf_adds(path, k);
			removed += strip_value(x, path, prov);
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			mie_buf_setlen(path, len);
			mie_buf_addf(path, "[%zu]", i);
			removed += strip_value(x, path, prov);
		}
	}
	mie_buf_setlen(path, len);
	return removed;
}

size_t mie_privacy_strip_record(json_t *rec, json_t *prov)
{
	if (!prov)
		prov = json_array_get(json_object_get(rec, "provenance"), 0);
	if (!json_is_object(prov))
		return 0;
	mie_buf path = MIE_BUF_INIT;
	mie_buf_adds(&path, "");
	size_t n = strip_value(rec, &path, prov);
	mie_buf_release(&path);
	return n;
}

/* ---- withheld ---- */

void mie_privacy_note(json_t *prov, const char *path, mie_privacy_class why)
{
	if (!json_is_object(prov))
		return;
	mie_rec_add_repair(prov, "withheld", path,
	                   why == MIE_PRIVACY_CREDENTIAL
	                           ? "a credential: never exported (mie-import(1), PRIVACY)"
	                           : "personal data: exported only with --keep-personal "
	                             "(mie-import(1), PRIVACY)",
	                   NULL);
}
