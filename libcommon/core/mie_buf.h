/* mie_buf.h — growable, length-carrying byte buffers (as git's strbuf, sds).
 *
 * Invariants: data is never NULL after mie_buf_init; data[len] == '\0' always,
 * so data can be passed as a C string when it holds no NUL; len < cap.
 * The struct is caller-owned: mie_buf_init / mie_buf_release.  Allocation
 * failure ends the process with exit 2 (see mie_xmalloc): callers never check. */
#ifndef MIE_BUF_H
#define MIE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct mie_buf {
	char *data; /* owned; "" until the first append */
	size_t len;
	size_t cap; /* 0 while data points at the shared empty string */
} mie_buf;

#define MIE_BUF_INIT                                                                               \
	{                                                                                          \
		mie_buf_empty, 0, 0                                                                \
	}
extern char mie_buf_empty[];

void mie_buf_init(mie_buf *b);
/* Frees the storage; b is then as after mie_buf_init. */
void mie_buf_release(mie_buf *b);
/* Takes the storage: returns a malloc'd NUL-terminated string the caller
 * frees; b is re-initialised. */
char *mie_buf_detach(mie_buf *b, size_t *len);
void mie_buf_reset(mie_buf *b);
/* Makes room for extra more bytes (and the NUL). */
void mie_buf_grow(mie_buf *b, size_t extra);
void mie_buf_add(mie_buf *b, const void *p, size_t n);
void mie_buf_adds(mie_buf *b, const char *s);
/* Inline for the per-byte loops of the text passes: stores in place while
 * the byte and the NUL fit, else goes through mie_buf_grow.  mie_buf.c
 * holds the external definition (C11 inline), so the symbol exists. */
inline void mie_buf_addc(mie_buf *b, int c)
{
	if (b->len + 2 > b->cap)
		mie_buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}
/* Appends the decimal digits of v (as "%zu"). */
void mie_buf_add_uint(mie_buf *b, size_t v);
void mie_buf_addf(mie_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mie_buf_vaddf(mie_buf *b, const char *fmt, va_list ap);
/* Appends code point cp (must be a Unicode scalar value) as UTF-8. */
void mie_buf_add_utf8(mie_buf *b, unsigned cp);
void mie_buf_setlen(mie_buf *b, size_t len);

/* Allocation that cannot fail: on exhaustion prints "out of memory" and
 * exits 2.  Returned memory is owned by the caller (free()). */
void *mie_xmalloc(size_t n);
void *mie_xcalloc(size_t n, size_t size);
void *mie_xrealloc(void *p, size_t n);
char *mie_xstrdup(const char *s);
char *mie_xstrndup(const char *s, size_t n);

#include "mie_banned.h"
#endif
