/* Fuzz target: SPIP markup rendering and the HTML sanitizer.  The bytes
 * (valid UTF-8 only, as record text always is) are rendered as an
 * article's text and sanitized as an HTML fragment: the HTML and plain
 * text are valid UTF-8, and sanitized HTML is a fixed point of the
 * sanitizer (what it writes, it keeps as it is). */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mie_utf8.h"
#include "text/mie_html.h"
#include "text/mie_spip.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	if (size > 65536 || !mie_utf8_valid(s, size) || memchr(s, '\0', size))
		return 0;
	mie_spip_ctx sc = {"http://www.infomie.net/", "infomie.net", data[0] & 1 ? "en" : NULL,
	                   size > 1 && (data[1] & 1)};
	mie_spip_out o;
	mie_spip_out_init(&o);
	mie_spip_render(&sc, s, size, &o);
	if (!mie_utf8_valid(o.html.data, o.html.len) || !mie_utf8_valid(o.plain.data, o.plain.len))
		abort();
	mie_spip_out_release(&o);
	mie_buf html = MIE_BUF_INIT, plain = MIE_BUF_INIT, again = MIE_BUF_INIT;
	mie_html_sanitize_plain(&html, &plain, s, size);
	if (!mie_utf8_valid(html.data, html.len) || !mie_utf8_valid(plain.data, plain.len))
		abort();
	mie_html_sanitize(&again, html.data, html.len);
	if (again.len != html.len || memcmp(again.data, html.data, html.len) != 0)
		abort();
	mie_buf_release(&html);
	mie_buf_release(&plain);
	mie_buf_release(&again);
	return 0;
}
