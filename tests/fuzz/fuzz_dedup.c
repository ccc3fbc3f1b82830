/* Fuzz target: what mie-dedup's pass 1 takes of a line.  The scanner
 * (mie_dedup_scan_jsonl) may only take a line the JSON Lines reader's own
 * definition (mie_jsonl_parse) takes, and then with the same strings; the
 * clean entry (mie_dedup_scan_jsonl_clean, after mie_text_check_c0 found
 * no control) gives the same as the checked one; the comparison form of
 * every string it keeps (mie_text_fold, whose fast paths look at 16 bytes
 * at a time) is a fixed point of folding. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mie_utf8.h"
#include "dedup/mie_dedup.h"
#include "formats/mie_jsonl.h"
#include "text/mie_fold.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	return 0;
}

/* The string at key (NULL: member absent or not a string) equals s/n. */
static int same(const json_t *obj, const char *key, const char *s, size_t n)
{
	const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	if (!json_is_string(v))
		return s == NULL;
	return s && json_string_length(v) == n && memcmp(json_string_value(v), s, n) == 0;
}

static void fold_fixed(const char *s, size_t n)
{
	mie_buf a = MIE_BUF_INIT, b = MIE_BUF_INIT;
	mie_text_fold(&a, s, n);
	mie_text_fold(&b, a.data ? a.data : "", a.len);
	if (a.len != b.len || (a.len && memcmp(a.data, b.data, a.len) != 0))
		abort();
	mie_buf_release(&a);
	mie_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *l = (const char *)data;
	mie_buf bufs[6], bufs2[6];
	for (int k = 0; k < 6; k++)
		mie_buf_init(&bufs[k]), mie_buf_init(&bufs2[k]);
	mie_dedup_fields f, g;
	int took = mie_dedup_scan_jsonl(l, size, &f, bufs) == 0;
	if (mie_text_check_c0(l, size, 0, NULL) < 0) {
		int took2 = mie_dedup_scan_jsonl_clean(l, size, &g, bufs2) == 0;
		if (took2 != took || (took && (g.complete != f.complete || g.marked != f.marked ||
		                               g.title_n != f.title_n || g.plain_n != f.plain_n)))
			abort();
	}
	if (took) {
		json_t *rec = NULL;
		mie_buf why = MIE_BUF_INIT;
		if (mie_jsonl_parse(l, size, 0, &rec, &why) != MIE_JSONL_OK)
			abort(); /* the scanner took what the reader refuses */
		const json_t *text = json_object_get(rec, "text"),
		             *legacy = json_object_get(rec, "legacy");
		if (!same(rec, "type", f.type, f.type_n) || !same(rec, "id", f.id, f.id_n) ||
		    !same(rec, "title", f.title, f.title_n) ||
		    !same(rec, "date_modified", f.date, f.date_n) ||
		    !same(text, "plain", f.plain, f.plain_n) ||
		    !same(legacy, "url", f.url, f.url_n))
			abort();
		if (f.title)
			fold_fixed(f.title, f.title_n);
		if (f.plain)
			fold_fixed(f.plain, f.plain_n);
		json_decref(rec);
		mie_buf_release(&why);
	}
	for (int k = 0; k < 6; k++)
		mie_buf_release(&bufs[k]), mie_buf_release(&bufs2[k]);
	return 0;
}
