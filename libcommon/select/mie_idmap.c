/* mie_idmap.c — see mie_idmap.h. */
#include "select/mie_idmap.h"

#include <stdlib.h>

#include "core/mie_buf.h"

void mie_idmap_init(mie_idmap *m)
{
	*m = (mie_idmap){0};
}

void mie_idmap_release(mie_idmap *m)
{
	free(m->keys);
	free(m->vals);
	mie_idmap_init(m);
}

static size_t slot_of(const mie_idmap *m, uint64_t key)
{
	size_t mask = m->cap - 1, i = (size_t)(key ^ (key >> 29)) & mask;
	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

static void grow(mie_idmap *m)
{
	mie_idmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->keys = mie_xcalloc(m->cap, sizeof *m->keys);
	m->vals = mie_xmalloc(m->cap * sizeof *m->vals);
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.keys[i])
			continue;
		size_t j = slot_of(m, old.keys[i]);
		m->keys[j] = old.keys[i];
		m->vals[j] = old.vals[i];
	}
	free(old.keys);
	free(old.vals);
}

uint32_t *mie_idmap_put(mie_idmap *m, uint64_t key, uint32_t val, int *added)
{
	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	size_t i = slot_of(m, key);
	int fresh = !m->keys[i];
	if (fresh) {
		m->keys[i] = key;
		m->vals[i] = val;
		m->n++;
	}
	if (added)
		*added = fresh;
	return &m->vals[i];
}

uint32_t *mie_idmap_get(const mie_idmap *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	size_t i = slot_of(m, key);
	return m->keys[i] ? &m->vals[i] : NULL;
}
