/* mie_hash.c — the growing part of mie_table (see mie_hash.h). */
#include <stdlib.h>
#include <string.h>

#include "core/mie_buf.h"
#include "core/mie_hash.h"

void mie_table_init(mie_table *t, size_t vsize, size_t n)
{
	size_t cap = 16;
	while (cap / 4 * 3 < n)
		cap *= 2;
	t->vsize = vsize;
	t->stride = 8 + (vsize + 7) / 8 * 8;
	t->cap = cap;
	t->used = 0;
	t->slots = mie_xcalloc(cap, t->stride);
}

void mie_table_release(mie_table *t)
{
	if (!t)
		return;
	free(t->slots);
	t->slots = NULL;
	t->cap = t->used = 0;
}

void mie_table_clear(mie_table *t)
{
	memset(t->slots, 0, t->cap * t->stride);
	t->used = 0;
}

/* The first empty slot for key, probing from its low bits. */
static size_t empty_slot(const mie_table *t, uint64_t key)
{
	size_t mask = t->cap - 1, j = (size_t)key & mask;
	while (mie_table_slot_key(t, j))
		j = (j + 1) & mask;
	return j;
}

/* Doubles the slots when one more key would fill over 3/4 of them. */
static void make_room(mie_table *t)
{
	if ((t->used + 1) * 4 <= t->cap * 3)
		return;
	mie_table old = *t;
	t->cap *= 2;
	t->slots = mie_xcalloc(t->cap, t->stride);
	/* start after an empty slot, so that every run of full slots is moved
	 * from its first slot on: the entries of one key keep their order */
	size_t start = 0;
	while (mie_table_slot_key(&old, start))
		start++;
	for (size_t i = 0; i < old.cap; i++) {
		size_t j = (start + i) & (old.cap - 1);
		uint64_t k = mie_table_slot_key(&old, j);
		if (k)
			memcpy(t->slots + empty_slot(t, k) * t->stride, old.slots + j * old.stride,
			       t->stride);
	}
	free(old.slots);
}

void *mie_table_add(mie_table *t, uint64_t key)
{
	make_room(t);
	size_t j = empty_slot(t, key);
	memcpy(t->slots + j * t->stride, &key, 8);
	t->used++;
	return mie_table_slot_value(t, j);
}

void *mie_table_put(mie_table *t, uint64_t key, int *fresh)
{
	void *v = mie_table_get(t, key);
	if (fresh)
		*fresh = !v;
	return v ? v : mie_table_add(t, key);
}
