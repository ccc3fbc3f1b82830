/* mie_escape.c — the reversible byte trace used in repair records: printable
 * ASCII stays, '\' doubles, every other byte is \xNN.  Decoding it back is
 * unambiguous because '\' never stands alone. */
#include "record/mie_record.h"

void mie_rec_add_escaped(mie_buf *out, const void *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = p;
	mie_buf_grow(out, n);
	for (size_t i = 0; i < n; i++) {
		unsigned c = s[i];
		if (c == '\\') {
			mie_buf_add(out, "\\\\", 2);
		} else if (c >= 0x20 && c < 0x7F) {
			mie_buf_addc(out, (int)c);
		} else {
			char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
			mie_buf_add(out, e, 4);
		}
	}
}

char *mie_rec_escape_bytes(const void *p, size_t n)
{
	mie_buf b = MIE_BUF_INIT;
	mie_rec_add_escaped(&b, p, n);
	return mie_buf_detach(&b, NULL);
}
