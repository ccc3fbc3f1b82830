/* test_privacy.c — the privacy rule of mie_privacy.h: the deny rule on
 * column names, the people tables' allow-lists, hash-like values and URL
 * userinfo. */
#include <string.h>

#include "import/mie_privacy.h"
#include "mie_test.h"

static int cred(const char *s)
{
	return mie_privacy_is_credential(s, strlen(s));
}

TEST(privacy_deny_rule)
{
	static const char *const yes[] = {
	        "pass",       "htpass",        "alea_actuel",  "alea_futur",   "cookie_oubli",
	        "low_sec",    "password_hash", "api_key",      "key",          "private_key",
	        "access_key", "pass_md5",      "pwd",          "mdp",          "cookie",
	        "session_id", "salt",          "Mot de passe", "MOT_DE_PASSE", "Mot-de-passe",
	        "motdepasse", "Password",      "Token",        "secret",       "hash",
	        "accessKey",  "sessionId",     "PASS",         "Clé privée",   "pass2",
	        "spip:pass",  "userPassword",  "htpasswd",     "jeton d'accès"};
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		if (!cred(yes[i]))
			mie_test_fail(__FILE__, __LINE__, "\"%s\" not a credential", yes[i]);
	static const char *const no[] = {"titre",       "texte",       "email",    "nom",
	                                 "id_auteur",   "statut",      "keywords", "passage",
	                                 "secretariat", "Secrétariat", "url_site", "id_secteur",
	                                 "monkey",      "hashtag",     "compass",  "date"};
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		if (cred(no[i]))
			mie_test_fail(__FILE__, __LINE__, "\"%s\" taken for a credential", no[i]);
	CHECK(cred("pa\0ss") == 0); /* "pa" and "ss": the lexer rejects such rows whole */
}

TEST(privacy_allow_lists)
{
	CHECK_INT(mie_privacy_column("spip_auteurs", "nom"), MIE_PRIVACY_KEEP);
	CHECK_INT(mie_privacy_column("spip_auteurs", "email"), MIE_PRIVACY_PERSONAL);
	CHECK_INT(mie_privacy_column("spip_auteurs", "email2"), MIE_PRIVACY_PERSONAL);
	CHECK_INT(mie_privacy_column("spip_auteurs", "en_ligne"), MIE_PRIVACY_PERSONAL);
	CHECK_INT(mie_privacy_column("spip_auteurs", "pass"), MIE_PRIVACY_CREDENTIAL);
	CHECK_INT(mie_privacy_column("spip_forum", "ip"), MIE_PRIVACY_PERSONAL);
	CHECK_INT(mie_privacy_column("spip_forum", "texte"), MIE_PRIVACY_KEEP);
	CHECK_INT(mie_privacy_column("spip_signatures", "ad_email"), MIE_PRIVACY_PERSONAL);
	CHECK_INT(mie_privacy_column("spip_articles", "email_unique"), MIE_PRIVACY_KEEP);
	CHECK_INT(mie_privacy_column("spip_contacts", "id_contact"), MIE_PRIVACY_KEEP);
	CHECK_INT(mie_privacy_column("spip_contacts", "telephone"), MIE_PRIVACY_PERSONAL);
	CHECK_INT(mie_privacy_column("organisations", "Prénom du référent"), MIE_PRIVACY_PERSONAL);
	CHECK_INT(mie_privacy_column("organisations", "Horaires"), MIE_PRIVACY_KEEP);
	CHECK_INT(mie_privacy_column("csv", "E-mail 2"), MIE_PRIVACY_PERSONAL);
	CHECK_INT(mie_privacy_column(NULL, "ip"), MIE_PRIVACY_PERSONAL);
	CHECK(mie_privacy_people_table("spip_auteurs_rubriques"));
	CHECK(!mie_privacy_people_table("spip_articles"));
}

TEST(privacy_hash_values)
{
	static const char *const yes[] = {
	        "$1$abcdefgh$0123456789abcdefghijkl", "$2y$10$abcdefghijklmnopqrstuv",
	        "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "$apr1$xyz$abcdefghijk"};
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		CHECK(mie_privacy_is_hash(yes[i], strlen(yes[i]), 0));
	const char *md5 = "5f4dcc3b5aa765d61d8327deb882cf99";
	CHECK(mie_privacy_is_hash(md5, 32, 1));
	CHECK(!mie_privacy_is_hash(md5, 32, 0)); /* hex digits alone: only in people tables */
	CHECK(!mie_privacy_is_hash("$5 de frais", 11, 1));
	CHECK(!mie_privacy_is_hash("Claire Dubreuil", 15, 1));
}

static void check_strip(const char *in, const char *want, size_t n)
{
	mie_buf b = MIE_BUF_INIT;
	size_t got = mie_privacy_strip_userinfo(&b, in, strlen(in));
	CHECK_STR(b.data, want);
	CHECK_INT(got, n);
	mie_buf_release(&b);
}

TEST(privacy_url_userinfo)
{
	check_strip("http://admin:PW@host/x", "http://host/x", 1);
	check_strip("voir https://u:p@a.org et ftp://v@b.org/",
	            "voir https://a.org et ftp://b.org/", 2);
	check_strip("http://host/a@b", "http://host/a@b", 0);
	check_strip("écrire à jean@example.net, http://example.org",
	            "écrire à jean@example.net, http://example.org", 0);
	check_strip("<a href=\"http://x:y@h\">", "<a href=\"http://h\">", 1);
}
