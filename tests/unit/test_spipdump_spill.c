/* test_spipdump_spill.c — the SPIP dump's spill codec: rows handed in
 * through the row interface (mie_spipdump.h), written by sd_spill_write
 * to a real mie_spool, read back by sd_spill_next field for field;
 * credentials never written but by their name; a cut or damaged spill said so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/mie_spipdump_impl.h"
#include "mie_test.h"

extern const mie_source mie_source_spipdump;

/* One column as handed in, and what must come back. */
struct tcol {
	const char *name;
	const char *value;
	size_t vlen;
	const char *back; /* NULL: a credential, must not come back */
	size_t blen;
};

/* Hands a row in (table, columns) through the row interface of d. */
static void hand_in(mie_spipdump *d, const char *table, const struct tcol *c, size_t n)
{
	mie_spipdump_row_begin(d, table);
	for (size_t i = 0; i < n; i++)
		mie_spipdump_row_column(d, c[i].name, strlen(c[i].name), c[i].value, c[i].vlen);
}

/* Checks that r holds the columns of c, in order, credentials by their
 * name only (flagged, empty). */
static void check_cols(const sd_row *r, const struct tcol *c, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!c[i].back) {
			CHECK(k < r->n);
			if (k >= r->n)
				return;
			CHECK_STR(sd_row_str(r, r->cols[k].name), c[i].name);
			CHECK_INT((long)r->cols[k].vlen, 0);
			CHECK(r->cols[k].credential);
			k++;
			continue;
		}
		CHECK(k < r->n);
		if (k >= r->n)
			return;
		CHECK_STR(sd_row_str(r, r->cols[k].name), c[i].name);
		CHECK_INT((long)r->cols[k].vlen, (long)c[i].blen);
		CHECK(memcmp(sd_row_str(r, r->cols[k].value), c[i].back, c[i].blen) == 0);
		CHECK(sd_row_str(r, r->cols[k].value)[c[i].blen] == '\0');
		CHECK(!r->cols[k].credential);
		k++;
	}
	CHECK_INT((long)r->n, (long)k);
}

TEST(spipdump_spill_roundtrip)
{
	mie_import ctx;
	mie_import_init(&ctx);
	mie_spipdump *d = mie_spipdump_of(&ctx, &mie_source_spipdump);
	size_t big = 300000;
	char *long_value = malloc(big);
	for (size_t i = 0; i < big; i++)
		long_value[i] = (char)('a' + i % 26);
	static const char nul_in[] = "avant\0apr\xe8s", nul_out[] = "avant\x1a"
	                                                            "apr\xe8s";
	const struct tcol a[] = {
	        {"id_article", "12", 2, "12", 2},
	        {"titre", "Caf\xe9 de la gare", 15, "Caf\xe9 de la gare", 15},
	        {"texte", nul_in, sizeof nul_in - 1, nul_out, sizeof nul_out - 1},
	        {"ps", "", 0, "", 0},
	        {"chapo", long_value, big, long_value, big},
	};
	/* with credentials: the columns are rewritten without them */
	const struct tcol b[] = {
	        {"id_auteur", "3", 1, "3", 1},
	        {"pass", "9f86d081", 8, NULL, 0},
	        {"nom", "Am\xc3\xa9lie Dupr\xc3\xa9", 14, "Am\xc3\xa9lie Dupr\xc3\xa9", 14},
	        {"alea_actuel", "41b2", 4, NULL, 0},
	        {"email", "amelie@exemple.fr", 17, "amelie@exemple.fr", 17},
	};
	mie_spool *s = mie_spool_new();
	CHECK(s != NULL);
	mie_buf scratch = MIE_BUF_INIT;
	hand_in(d, "spip_articles", a, 5);
	sd_spill_head ha = {"spip_articles", "", "dump.xml", NULL, NULL, 42, 0};
	CHECK_INT(sd_spill_write(s, &scratch, &ha, d->row), 0);
	hand_in(d, "spip_auteurs", b, 5);
	CHECK(d->row->cols[1].credential && d->row->cols[3].credential);
	sd_spill_head hb = {"spip_auteurs", "0a1b2c3d", "site.zip", "base/infomie.sql",
	                    "utf-8",        7,          3};
	CHECK_INT(sd_spill_write(s, &scratch, &hb, d->row), 0);
	FILE *f = mie_spool_rewind(s);
	CHECK(f != NULL);
	sd_row r;
	memset(&r, 0, sizeof r);
	mie_buf_init(&r.bytes);
	size_t bytes = 0;
	CHECK_INT(sd_spill_next(f, &r, &bytes), 1);
	CHECK_STR(sd_row_str(&r, r.table), "spip_articles");
	CHECK_INT(r.line, 42);
	CHECK_INT((long)r.variant, 0);
	CHECK_STR(sd_row_str(&r, r.file), "dump.xml");
	CHECK_INT((long)r.member, 0);
	CHECK_INT((long)r.charset, 0);
	CHECK_INT(r.index, 0);
	check_cols(&r, a, 5);
	CHECK(sd_value(&r, "chapo") && memcmp(sd_value(&r, "chapo"), long_value, big) == 0);
	CHECK_INT(sd_spill_next(f, &r, &bytes), 1);
	CHECK_STR(sd_row_str(&r, r.table), "spip_auteurs");
	CHECK_INT(r.line, 7);
	CHECK_STR(sd_row_str(&r, r.variant), "0a1b2c3d");
	CHECK_STR(sd_row_str(&r, r.file), "site.zip");
	CHECK_STR(sd_row_str(&r, r.member), "base/infomie.sql");
	CHECK_STR(sd_row_str(&r, r.charset), "utf-8");
	CHECK_INT(r.index, 3);
	check_cols(&r, b, 5);
	CHECK(sd_value(&r, "pass") == NULL);
	CHECK_INT(sd_spill_next(f, &r, &bytes), 0);
	/* the whole file was read: its bytes are the rows' minus their
	 * 8-byte lengths */
	long size = ftell(f);
	CHECK_INT((long)bytes, size - 16);
	/* the same bytes cut short, or with a field's length overrunning its
	 * row, are damage */
	char *all = malloc((size_t)size);
	rewind(f);
	CHECK_INT((long)fread(all, 1, (size_t)size, f), size);
	FILE *cut = fmemopen(all, (size_t)size - 5, "rb");
	CHECK_INT(sd_spill_next(cut, &r, &bytes), 1);
	CHECK_INT(sd_spill_next(cut, &r, &bytes), -1);
	fclose(cut);
	uint32_t huge = 0xffffff;
	memcpy(all + 8, &huge, sizeof huge); /* the first row's table field */
	FILE *bad = fmemopen(all, (size_t)size, "rb");
	CHECK_INT(sd_spill_next(bad, &r, &bytes), -1);
	fclose(bad);
	free(all);
	sd_row_release(&r);
	mie_buf_release(&scratch);
	mie_spool_free(s);
	free(long_value);
	mie_import_release(&ctx);
}

/* A row handed in twice with the same key is kept once; with the same key
 * and other values, it is a variant named by the FNV-1a of its values and
 * names (credentials included) — the value earlier versions wrote. */
TEST(spipdump_row_fnv)
{
	mie_import ctx;
	mie_import_init(&ctx);
	mie_spipdump *d = mie_spipdump_of(&ctx, &mie_source_spipdump);
	const struct tcol c[] = {{"id_mot", "4", 1, "4", 1}, {"titre", "Europe", 6, "Europe", 6}};
	hand_in(d, "spip_mots", c, 2);
	/* FNV-1a 64 of "4" "id_mot\0" "Europe" "titre\0", in that order */
	uint64_t h = 0xcbf29ce484222325ULL;
	static const char seq[] = "4id_mot\0Europetitre";
	for (size_t i = 0; i < sizeof seq; i++)
		h = (h ^ (unsigned char)seq[i]) * 0x100000001b3ULL;
	CHECK(sd_row_fnv(d->row) == h);
	mie_import_release(&ctx);
}
