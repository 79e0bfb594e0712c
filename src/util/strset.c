/*
 * strset.c: a set of byte strings (util/strset.h). Each string is stored
 * once, NUL-terminated, after its length, in blocks of a simple arena; the
 * strings are listed in the order of addition, and the table holds their
 * index (plus one: 0 is an empty slot) and hash, doubling at half full.
 */
#include "util/strset.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"

#define BLOCK_BYTES (64 * 1024)

struct block {
	struct block *next;
	size_t used, cap;
	char data[];
};

struct slot {
	uint64_t hash;
	size_t index1; /* index + 1; 0: empty */
};

struct coso_strset {
	struct slot *slots;
	size_t cap;       /* a power of two */
	const char **strs; /* by index, each after its size_t length */
	size_t count, strs_cap;
	struct block *blocks;
};

uint64_t coso_fnv1a(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t stored_len(const char *s)
{
	size_t n;

	memcpy(&n, s - sizeof(n), sizeof(n));
	return n;
}

int coso_strset_new(coso_strset **out)
{
	coso_strset *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s || !(s->slots = calloc(64, sizeof(*s->slots)))) {
		free(s);
		return coso_error_set(COSO_ENOMEM, "out of memory");
	}
	s->cap = 64;
	*out = s;
	return 0;
}

void coso_strset_free(coso_strset *s)
{
	if (!s)
		return;
	for (struct block *b = s->blocks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(s->slots);
	free(s->strs);
	free(s);
}

/* A copy of (w, n) in the arena, after its length; NULL when out of memory. */
static const char *keep(coso_strset *s, const char *w, size_t n)
{
	size_t need = sizeof(size_t) + n + 1;
	struct block *b = s->blocks;
	char *p;

	/* keep the lengths aligned */
	need = (need + sizeof(size_t) - 1) / sizeof(size_t) * sizeof(size_t);
	if (!b || b->cap - b->used < need) {
		size_t cap = need > BLOCK_BYTES ? need : BLOCK_BYTES;

		if (!(b = malloc(sizeof(*b) + cap)))
			return NULL;
		b->used = 0;
		b->cap = cap;
		b->next = s->blocks;
		s->blocks = b;
	}
	p = b->data + b->used;
	b->used += need;
	memcpy(p, &n, sizeof(n));
	memcpy(p + sizeof(n), w, n);
	p[sizeof(n) + n] = '\0';
	return p + sizeof(n);
}

static int grow(coso_strset *s)
{
	size_t cap = s->cap * 2;
	struct slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	for (size_t i = 0; i < s->cap; i++) {
		size_t j;

		if (!s->slots[i].index1)
			continue;
		for (j = s->slots[i].hash & (cap - 1); slots[j].index1; j = (j + 1) & (cap - 1))
			;
		slots[j] = s->slots[i];
	}
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
	return 0;
}

/* The slot of (w, n): its own, or the empty one where it would go. */
static size_t slot_of(const coso_strset *s, const char *w, size_t n, uint64_t h)
{
	size_t i;

	for (i = h & (s->cap - 1); s->slots[i].index1; i = (i + 1) & (s->cap - 1)) {
		const char *t = s->strs[s->slots[i].index1 - 1];

		if (s->slots[i].hash == h && stored_len(t) == n && memcmp(t, w, n) == 0)
			break;
	}
	return i;
}

int coso_strset_find(const coso_strset *s, const char *w, size_t n, size_t *index)
{
	size_t i = slot_of(s, w, n, coso_fnv1a(w, n));

	if (!s->slots[i].index1)
		return 0;
	if (index)
		*index = s->slots[i].index1 - 1;
	return 1;
}

int coso_strset_add(coso_strset *s, const char *w, size_t n, size_t *index)
{
	uint64_t h = coso_fnv1a(w, n);
	const char *copy;
	size_t i = slot_of(s, w, n, h);

	if (s->slots[i].index1) {
		if (index)
			*index = s->slots[i].index1 - 1;
		return 0;
	}
	if (s->count == s->strs_cap) {
		size_t ncap = s->strs_cap ? s->strs_cap * 2 : 64;
		const char **strs = realloc(s->strs, ncap * sizeof(*strs));

		if (!strs)
			return coso_error_set(COSO_ENOMEM, "out of memory");
		s->strs = strs;
		s->strs_cap = ncap;
	}
	if (!(copy = keep(s, w, n)))
		return coso_error_set(COSO_ENOMEM, "out of memory");
	s->strs[s->count] = copy;
	s->slots[i].hash = h;
	s->slots[i].index1 = ++s->count;
	if (index)
		*index = s->count - 1;
	/* at half full, double (a failure leaves the set sound, only fuller) */
	if (s->count * 2 > s->cap && grow(s) < 0)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	return 1;
}

size_t coso_strset_count(const coso_strset *s)
{
	return s->count;
}

const char *coso_strset_at(const coso_strset *s, size_t index, size_t *n)
{
	if (index >= s->count)
		return NULL;
	if (n)
		*n = stored_len(s->strs[index]);
	return s->strs[index];
}

int coso_strset_each(const coso_strset *s, int (*fn)(void *ctx, const char *w, size_t n), void *ctx)
{
	for (size_t i = 0; i < s->count; i++) {
		int rc;

		if ((rc = fn(ctx, s->strs[i], stored_len(s->strs[i]))) != 0)
			return rc;
	}
	return 0;
}
