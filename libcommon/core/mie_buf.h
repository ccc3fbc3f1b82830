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
#include <string.h>

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
/* The out-of-line part of mie_buf_grow (reallocates); not for callers. */
void mie_buf_grow_slow(mie_buf *b, size_t extra);

/* mie_buf_grow, mie_buf_add, mie_buf_adds and mie_buf_addc are C11 inline
 * functions: the text passes call them for every run or byte, and most
 * calls only store.  mie_buf.c holds their external definitions, so the
 * symbols exist. */

/* Makes room for extra more bytes (and the NUL).  cap - len is the room
 * left (0 for the shared empty string); no real allocation has cap above
 * SIZE_MAX / 2, so a request that fits never needs the size checks. */
inline void mie_buf_grow(mie_buf *b, size_t extra)
{
	if (extra >= b->cap - b->len)
		mie_buf_grow_slow(b, extra);
}

inline void mie_buf_add(mie_buf *b, const void *p, size_t n)
{
	if (!n)
		return;
	mie_buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Inline so that the length of a literal is known at compile time. */
inline void mie_buf_adds(mie_buf *b, const char *s)
{
	mie_buf_add(b, s, strlen(s));
}

inline void mie_buf_addc(mie_buf *b, int c)
{
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

#include "core/mie_banned.h"
#endif
