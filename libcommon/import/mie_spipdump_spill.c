/* mie_spipdump_spill.c — a dump row's layout in memory and the spill
 * codec: the content rows of a SPIP dump, written to an unlinked temporary
 * file while the dump is read (behind the lexer, by mie_spool's thread)
 * and read back once when the records are built.
 *
 * The spill is binary (host order: the file lives and dies with this
 * process).  A row is its length in bytes (8 bytes), then its fields one
 * after the other, each a 4-byte length, the raw bytes and a NUL, in this
 * order: table, line (decimal), the variant name of a differing duplicate
 * key (the start of its row hash in hex) else "", file, member ("" =
 * none), charset ("" = the declared one), index within its statement
 * (decimal, 0 = none), the number of columns (decimal), then name and
 * value of each column.  A credential column (sd_col.credential) is
 * written as its name after a 0x01 byte and an empty value: the record
 * names what was withheld, the value is never written.  Values are the dump's bytes as they are
 * (any charset), so nothing is escaped or decoded twice; a row is read back with one read, its
 * fields used where they lie. */
#include <stdlib.h>
#include <string.h>

#include "core/mie_hash.h"
#include "import/mie_spipdump_impl.h"

#define SPILL_META 8 /* fields before the columns */

void sd_row_reset(sd_row *r)
{
	mie_buf_reset(&r->bytes);
	mie_buf_addc(&r->bytes, '\0'); /* offset 0 is the empty string */
	r->n = 0;
	r->table = r->variant = r->file = r->member = r->charset = 0;
	r->line = r->index = 0;
	r->overlong = 0;
	r->damaged = 0;
	r->damaged_col = 0;
}

void sd_row_release(sd_row *r)
{
	mie_buf_release(&r->bytes);
	free(r->cols);
	memset(r, 0, sizeof *r);
}

size_t sd_row_put(sd_row *r, const char *s, size_t n)
{
	uint32_t len = (uint32_t)n;
	mie_buf_add(&r->bytes, &len, sizeof len);
	size_t at = r->bytes.len;
	mie_buf_add(&r->bytes, s, n);
	mie_buf_addc(&r->bytes, '\0');
	return at;
}

void sd_row_add(sd_row *r, size_t name, size_t value, size_t vlen, int credential)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->cols = mie_xrealloc(r->cols, r->cap * sizeof *r->cols);
	}
	r->cols[r->n++] = (sd_col){name, value, vlen, credential};
}

long sd_col_index(const sd_row *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++) {
		const char *n = r->bytes.data + r->cols[i].name;
		if (n[0] == name[0] && strcmp(n, name) == 0 && !r->cols[i].credential)
			return (long)i;
	}
	return -1;
}

const char *sd_value(const sd_row *r, const char *name)
{
	long i = sd_col_index(r, name);
	return i < 0 ? NULL : r->bytes.data + r->cols[i].value;
}

uint64_t sd_row_fnv(const sd_row *r)
{
	uint64_t h = MIE_HASH_FNV_BASIS;
	for (size_t i = 0; i < r->n; i++) {
		const char *name = sd_row_str(r, r->cols[i].name);
		h = mie_hash_fnv1a(sd_row_str(r, r->cols[i].value), r->cols[i].vlen, h);
		h = mie_hash_fnv1a(name, strlen(name) + 1, h);
	}
	return h;
}

static void spill_put(mie_buf *b, const char *s, size_t n)
{
	uint32_t len = (uint32_t)n;
	mie_buf_add(b, &len, sizeof len);
	mie_buf_add(b, s, n);
	mie_buf_addc(b, '\0');
}

/* A number as a field, in decimal. */
static void spill_put_uint(mie_buf *b, size_t v)
{
	uint32_t len = 0;
	size_t at = b->len;
	mie_buf_add(b, &len, sizeof len);
	mie_buf_add_uint(b, v);
	len = (uint32_t)(b->len - at - sizeof len);
	memcpy(b->data + at, &len, sizeof len);
	mie_buf_addc(b, '\0');
}

static void spill_puts(mie_buf *b, const char *s)
{
	spill_put(b, s ? s : "", s ? strlen(s) : 0);
}

int sd_spill_write(mie_spool *s, mie_buf *b, const sd_spill_head *h, const sd_row *r)
{
	uint64_t total = 0;
	mie_buf_reset(b); /* the head, and the columns of a row with credentials */
	mie_buf_add(b, &total, sizeof total); /* set below */
	spill_puts(b, h->table);
	spill_put_uint(b, (size_t)h->line);
	spill_puts(b, h->variant);
	spill_puts(b, h->file);
	spill_puts(b, h->member);
	spill_puts(b, h->charset);
	spill_put_uint(b, (size_t)h->index);
	size_t kept = 0;
	for (size_t i = 0; i < r->n; i++)
		kept += !r->cols[i].credential;
	spill_put_uint(b, r->n);
	/* the columns as they lie in the row (see sd_row_put), unless some
	 * must be left out */
	const char *body = r->bytes.data + 1;
	size_t blen = r->bytes.len - 1;
	if (kept < r->n) {
		for (size_t i = 0; i < r->n; i++) {
			const char *name = sd_row_str(r, r->cols[i].name);
			if (r->cols[i].credential) { /* the name only, marked */
				size_t n = strlen(name);
				uint32_t len = (uint32_t)n + 1;
				mie_buf_add(b, &len, sizeof len);
				mie_buf_addc(b, '\x01');
				mie_buf_add(b, name, n);
				mie_buf_addc(b, '\0');
				spill_put(b, "", 0);
				continue;
			}
			spill_put(b, name, strlen(name));
			spill_put(b, sd_row_str(r, r->cols[i].value), r->cols[i].vlen);
		}
		blen = 0;
	}
	total = b->len - sizeof total + blen;
	memcpy(b->data, &total, sizeof total);
	if (mie_spool_write(s, b->data, b->len) < 0)
		return -1;
	return blen ? mie_spool_write(s, body, blen) : 0;
}

/* The next field of a row read whole (`at` its offset in r->bytes);
 * returns the offset of its bytes, or 0 (with *ok = 0) when it overruns
 * the row. */
static size_t spill_field(sd_row *r, size_t *at, size_t *len, int *ok)
{
	uint32_t n;
	if (!*ok || r->bytes.len - *at < sizeof n) {
		*ok = 0;
		return 0;
	}
	memcpy(&n, r->bytes.data + *at, sizeof n);
	size_t from = *at + sizeof n;
	if (r->bytes.len - from < (size_t)n + 1 || r->bytes.data[from + n] != '\0') {
		*ok = 0;
		return 0;
	}
	*at = from + n + 1;
	*len = n;
	return from;
}

int sd_spill_next(FILE *f, sd_row *r, size_t *bytes)
{
	sd_row_reset(r);
	uint64_t total;
	if (fread(&total, sizeof total, 1, f) != 1)
		return feof(f) ? 0 : -1;
	if (total > ((uint64_t)1 << 40))
		return -1;
	size_t at = r->bytes.len;
	mie_buf_grow(&r->bytes, (size_t)total);
	if (fread(r->bytes.data + at, 1, (size_t)total, f) != total)
		return -1;
	mie_buf_setlen(&r->bytes, at + (size_t)total);
	int ok = 1;
	size_t len = 0, meta[SPILL_META];
	for (int k = 0; k < SPILL_META; k++) {
		meta[k] = spill_field(r, &at, &len, &ok);
		if (!ok)
			return -1;
		if ((k == 2 || k == 4 || k == 5) && !len)
			meta[k] = 0; /* no variant, no member, the declared charset */
	}
	r->table = meta[0];
	r->line = atol(sd_row_str(r, meta[1]));
	r->variant = meta[2];
	r->file = meta[3];
	r->member = meta[4];
	r->charset = meta[5];
	r->index = atol(sd_row_str(r, meta[6]));
	long n = atol(sd_row_str(r, meta[7]));
	for (long i = 0; i < n; i++) {
		size_t vlen = 0;
		size_t name = spill_field(r, &at, &len, &ok);
		size_t value = spill_field(r, &at, &vlen, &ok);
		if (!ok)
			return -1;
		int withheld = r->bytes.data[name] == '\x01';
		sd_row_add(r, name + (size_t)withheld, value, vlen, withheld);
	}
	*bytes += (size_t)total;
	return 1;
}
