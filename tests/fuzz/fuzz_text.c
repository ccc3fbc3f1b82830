/* Fuzz target: the text layer.  The first byte picks a declared charset and
 * the flags; the rest is a field.  Whatever the bytes, the decoded text must
 * be record text (mie_text_check) that a second decode leaves alone, and
 * every date a parser accepts must be a schema date. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/mie_date.h"
#include "text/mie_text.h"
#include "core/mie_utf8.h"

static const char *const charsets[8] = {"utf-8",     "iso-8859-1",  "windows-1252", "UTF-16LE",
                                        "SHIFT_JIS", "ISO-2022-JP", "ISO-8859-7",   NULL};

static void check_dates(const char *z, size_t n)
{
	char iso[MIE_DATE_MAX];
	enum mie_date_status (*parsers[])(const char *, char[MIE_DATE_MAX]) = {
	        mie_date_spip, mie_date_rfc822, mie_date_w3c};
	for (size_t i = 0; i < sizeof parsers / sizeof *parsers; i++)
		if (parsers[i](z, iso) == MIE_DATE_OK && !mie_date_valid_iso(iso))
			abort();
	size_t end;
	if (mie_date_french(z, n, iso, &end) == MIE_DATE_OK &&
	    (!mie_date_valid_iso(iso) || end > n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	const char *cs = charsets[data[0] & 7];
	unsigned flags = data[0] >> 3 & 0xF;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	mie_buf out = MIE_BUF_INIT, again = MIE_BUF_INIT;
	mie_text_decode(&out, s, n, cs, flags, NULL, NULL);
	if (mie_text_check(out.data, out.len, NULL) != -1)
		abort();
	if (mie_text_decode(&again, out.data, out.len, NULL, 0, NULL, NULL) != 0 ||
	    again.len != out.len || memcmp(again.data, out.data, out.len) != 0)
		abort();
	char *z = mie_xstrndup(s, n);
	check_dates(z, strlen(z));
	free(z);
	mie_buf_release(&out);
	mie_buf_release(&again);
	return 0;
}
