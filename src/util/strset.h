/*
 * strset.h: a set of byte strings (open addressing, FNV-1a), each with the
 * index of its first addition (0, 1, 2 ...), for collecting the distinct
 * words and names of millions of members in one pass (db/store_search.c).
 */
#ifndef COSO_UTIL_STRSET_H
#define COSO_UTIL_STRSET_H

#include <stddef.h>
#include <stdint.h>

/* The FNV-1a hash of n bytes (also the answer cache's key hash). */
uint64_t coso_fnv1a(const void *p, size_t n);

typedef struct coso_strset coso_strset;

/* A new empty set in *out. Returns 0 or COSO_ENOMEM. */
int coso_strset_new(coso_strset **out);
/* Frees the set and its strings; accepts NULL. */
void coso_strset_free(coso_strset *s);
/* Adds the n bytes at w (a copy). Returns 1 when added, 0 when it was there,
 * or COSO_ENOMEM; *index (may be NULL) gets the string's index. */
int coso_strset_add(coso_strset *s, const char *w, size_t n, size_t *index);
/* 1 when the n bytes at w are in the set (*index, may be NULL, gets their
 * index), else 0. */
int coso_strset_find(const coso_strset *s, const char *w, size_t n, size_t *index);
/* How many strings the set holds (the indexes are 0 .. count - 1). */
size_t coso_strset_count(const coso_strset *s);
/* The string of an index (NUL-terminated; *n, may be NULL, its length). */
const char *coso_strset_at(const coso_strset *s, size_t index, size_t *n);
/* Calls fn for each string, in the order of their indexes, until fn
 * returns non-zero, which is returned. */
int coso_strset_each(const coso_strset *s, int (*fn)(void *ctx, const char *w, size_t n), void *ctx);

#endif
