#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mie_buf.h"
#include "core/mie_err.h"

char mie_buf_empty[1];

void *mie_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		mie_die("out of memory (%zu bytes)", n);
	return p;
}

void *mie_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		mie_die("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *mie_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		mie_die("out of memory (%zu bytes)", n);
	return q;
}

char *mie_xstrndup(const char *s, size_t n)
{
	char *p = mie_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *mie_xstrdup(const char *s)
{
	return mie_xstrndup(s, strlen(s));
}

void mie_buf_init(mie_buf *b)
{
	b->data = mie_buf_empty;
	b->len = b->cap = 0;
}

void mie_buf_release(mie_buf *b)
{
	if (b->cap)
		free(b->data);
	mie_buf_init(b);
}

char *mie_buf_detach(mie_buf *b, size_t *len)
{
	char *p = b->cap ? b->data : mie_xstrdup("");
	if (len)
		*len = b->len;
	mie_buf_init(b);
	return p;
}

void mie_buf_reset(mie_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

extern inline void mie_buf_grow(mie_buf *b, size_t extra);
extern inline void mie_buf_add(mie_buf *b, const void *p, size_t n);
extern inline void mie_buf_addc(mie_buf *b, int c);

void mie_buf_grow_slow(mie_buf *b, size_t extra)
{
	if (extra >= (size_t)-1 / 2 - b->len)
		mie_die("out of memory (buffer of %zu bytes)", b->len);
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap = cap / 2 * 3 + 16;
	if (b->cap) {
		b->data = mie_xrealloc(b->data, cap);
	} else {
		b->data = mie_xmalloc(cap);
		b->data[0] = '\0';
	}
	b->cap = cap;
}

extern inline void mie_buf_adds(mie_buf *b, const char *s);

void mie_buf_add_uint(mie_buf *b, size_t v)
{
	char t[24];
	size_t k = sizeof t;
	do
		t[--k] = (char)('0' + v % 10);
	while (v /= 10);
	mie_buf_add(b, t + k, sizeof t - k);
}

void mie_buf_vaddf(mie_buf *b, const char *fmt, va_list ap)
{
	if (!b->cap) /* room for the usual short result: one vsnprintf, not two */
		mie_buf_grow(b, 1);
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(b->data + b->len, b->cap ? b->cap - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0) { /* nothing added; vsnprintf may have written a part */
		b->data[b->len] = '\0';
		return;
	}
	if (b->cap && (size_t)n < b->cap - b->len) {
		b->len += (size_t)n;
		return;
	}
	mie_buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	b->len += (size_t)n;
}

void mie_buf_addf(mie_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mie_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void mie_buf_add_utf8(mie_buf *b, unsigned cp)
{
	char t[4];
	size_t n;
	if (cp < 0x80) {
		t[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		t[0] = (char)(0xC0 | cp >> 6);
		t[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		t[0] = (char)(0xE0 | cp >> 12);
		t[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		t[0] = (char)(0xF0 | cp >> 18);
		t[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		t[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		t[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	mie_buf_add(b, t, n);
}

void mie_buf_setlen(mie_buf *b, size_t len)
{
	if (len > b->len)
		mie_buf_grow(b, len - b->len);
	b->len = len;
	if (b->cap)
		b->data[len] = '\0';
}
