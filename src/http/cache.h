/*
 * cache.h: answers of read routes kept for the next identical request.
 *
 * Everyone in a province opens the same dashboard: the same report, as of the
 * same day, computed again for each of them. The server keeps the JSON of
 * the answers of a few read routes (docs/API.md says which), keyed by the
 * registry's version (the audit log's head: every change, by the API or by an
 * import, appends to it in its own transaction), the reader (role, scope,
 * home unit), today's date and the request's path and query. A change makes
 * a new version, so an answer is never served after the registry changed;
 * old entries simply age out. Bounded in bytes, least recently used first
 * out; thread-safe. COSO_CACHE=0 turns it off (the benchmarks measure both).
 */
#ifndef COSO_HTTP_CACHE_H
#define COSO_HTTP_CACHE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct coso_cache coso_cache;

/* A cache of at most max_bytes of keys and bodies; NULL when out of memory. */
coso_cache *coso_cache_new(size_t max_bytes);
void coso_cache_free(coso_cache *c);

/* A copy of the body stored under key (malloc'd, *len its length), or NULL. */
char *coso_cache_get(coso_cache *c, const char *key, size_t *len);
/* Stores a copy of body under key (replacing an older one); a body larger
 * than an eighth of the cache is not kept. */
void coso_cache_put(coso_cache *c, const char *key, const char *body, size_t len);

/* Hits, misses and bytes held, for the log and the tests. */
void coso_cache_stats(coso_cache *c, long long *hits, long long *misses, size_t *bytes);

#endif
