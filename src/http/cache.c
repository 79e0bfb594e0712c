/*
 * cache.c: a bounded LRU of response bodies (cache.h). A chained hash table
 * of entries that are also on a doubly linked list, most recent first; one
 * mutex (the work under it is a lookup and a copy).
 */
#include "http/cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/strset.h"

struct entry {
	struct entry *next_hash;
	struct entry *prev, *next; /* the LRU list */
	uint64_t hash;
	size_t key_len, len;
	char *key, *body;
};

struct coso_cache {
	pthread_mutex_t lock;
	struct entry **buckets;
	size_t nbuckets;          /* a power of two */
	struct entry *head, *tail; /* most and least recently used */
	size_t bytes, max_bytes;
	long long hits, misses;
};

#define ENTRY_OVERHEAD (sizeof(struct entry) + 2 * sizeof(void *))

coso_cache *coso_cache_new(size_t max_bytes)
{
	coso_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->nbuckets = 4096;
	c->buckets = calloc(c->nbuckets, sizeof(*c->buckets));
	if (!c->buckets || pthread_mutex_init(&c->lock, NULL) != 0) {
		free(c->buckets);
		free(c);
		return NULL;
	}
	c->max_bytes = max_bytes;
	return c;
}

static void entry_free(struct entry *e)
{
	free(e->key);
	free(e->body);
	free(e);
}

void coso_cache_free(coso_cache *c)
{
	struct entry *e, *next;

	if (!c)
		return;
	for (e = c->head; e; e = next) {
		next = e->next;
		entry_free(e);
	}
	pthread_mutex_destroy(&c->lock);
	free(c->buckets);
	free(c);
}

static struct entry **slot_of(coso_cache *c, uint64_t h, const char *key, size_t key_len)
{
	struct entry **p = &c->buckets[h & (c->nbuckets - 1)];

	for (; *p; p = &(*p)->next_hash)
		if ((*p)->hash == h && (*p)->key_len == key_len && memcmp((*p)->key, key, key_len) == 0)
			break;
	return p;
}

static void list_unlink(coso_cache *c, struct entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void list_push(coso_cache *c, struct entry *e)
{
	e->prev = NULL;
	e->next = c->head;
	if (c->head)
		c->head->prev = e;
	c->head = e;
	if (!c->tail)
		c->tail = e;
}

/* Removes e from the table and the list and frees it. */
static void evict(coso_cache *c, struct entry *e)
{
	struct entry **p = slot_of(c, e->hash, e->key, e->key_len);

	*p = e->next_hash;
	list_unlink(c, e);
	c->bytes -= e->key_len + e->len + ENTRY_OVERHEAD;
	entry_free(e);
}

char *coso_cache_get(coso_cache *c, const char *key, size_t *len)
{
	size_t key_len = strlen(key);
	uint64_t h = coso_fnv1a(key, key_len);
	struct entry *e;
	char *copy = NULL;

	pthread_mutex_lock(&c->lock);
	e = *slot_of(c, h, key, key_len);
	if (e) {
		list_unlink(c, e);
		list_push(c, e);
		copy = malloc(e->len + 1);
		if (copy) {
			memcpy(copy, e->body, e->len);
			copy[e->len] = '\0';
			*len = e->len;
		}
		c->hits++;
	} else {
		c->misses++;
	}
	pthread_mutex_unlock(&c->lock);
	return copy;
}

void coso_cache_put(coso_cache *c, const char *key, const char *body, size_t len)
{
	size_t key_len = strlen(key), need = key_len + len + ENTRY_OVERHEAD;
	uint64_t h = coso_fnv1a(key, key_len);
	struct entry *e, **p;

	if (need > c->max_bytes / 8)
		return;
	e = calloc(1, sizeof(*e));
	if (!e)
		return;
	e->key = malloc(key_len + 1);
	e->body = malloc(len + 1);
	if (!e->key || !e->body) {
		entry_free(e);
		return;
	}
	memcpy(e->key, key, key_len + 1);
	memcpy(e->body, body, len);
	e->body[len] = '\0';
	e->key_len = key_len;
	e->len = len;
	e->hash = h;
	pthread_mutex_lock(&c->lock);
	p = slot_of(c, h, key, key_len);
	if (*p)
		evict(c, *p);
	while (c->tail && c->bytes + need > c->max_bytes)
		evict(c, c->tail);
	p = &c->buckets[h & (c->nbuckets - 1)];
	e->next_hash = *p;
	*p = e;
	list_push(c, e);
	c->bytes += need;
	pthread_mutex_unlock(&c->lock);
}

void coso_cache_stats(coso_cache *c, long long *hits, long long *misses, size_t *bytes)
{
	pthread_mutex_lock(&c->lock);
	*hits = c->hits;
	*misses = c->misses;
	*bytes = c->bytes;
	pthread_mutex_unlock(&c->lock);
}
