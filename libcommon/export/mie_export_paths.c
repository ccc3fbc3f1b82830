/* mie_export_paths.c — a record's path in the html layout (the rule is
 * stated in mie_export_paths.h). */
#include <string.h>

#include "export/mie_export_paths.h"
#include "formats/mie_bagit.h"
#include "record/mie_record.h"

static int plain_byte(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

static const char hexdigits[] = "0123456789ABCDEF";

int mie_export_html_path(mie_buf *out, const char *id, const char *file)
{
	const char *c1 = id ? strchr(id, ':') : NULL;
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c2 || c1 == id || c2 == c1 + 1 || !c2[1])
		return -1;
	size_t tlen = (size_t)(c2 - c1 - 1);
	for (size_t i = 0; i < tlen; i++)
		if (!plain_byte((unsigned char)c1[1 + i]))
			return -1;
	if (tlen == 8 && memcmp(c1 + 1, "document", 8) == 0 && file && *file &&
	    !mie_bagit_path_problem(file)) {
		mie_buf_adds(out, "files/");
		mie_buf_adds(out, file);
		return 0;
	}
	mie_buf_add(out, c1 + 1, tlen);
	mie_buf_addc(out, '/');
	for (const unsigned char *p = (const unsigned char *)c2 + 1; *p; p++) {
		if (plain_byte(*p)) {
			mie_buf_addc(out, (char)*p);
		} else {
			mie_buf_addc(out, '~');
			mie_buf_addc(out, hexdigits[*p >> 4]);
			mie_buf_addc(out, hexdigits[*p & 15]);
		}
	}
	mie_buf_adds(out, ".html");
	return 0;
}

int mie_export_html_path_of(mie_buf *out, const json_t *rec)
{
	return mie_export_html_path(out, mie_rec_str(rec, "id"), mie_rec_str(rec, "file"));
}

void mie_export_href(mie_buf *out, const char *path)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (plain_byte(*p) || *p == '.' || *p == '~' || *p == '/') {
			mie_buf_addc(out, (char)*p);
		} else {
			mie_buf_addc(out, '%');
			mie_buf_addc(out, hexdigits[*p >> 4]);
			mie_buf_addc(out, hexdigits[*p & 15]);
		}
	}
}
