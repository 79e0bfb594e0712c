/*
 * store_fx.h: for the unit tests that open a store (include it after
 * cmocka.h): a database file in a temporary folder of its own and its
 * removal (with SQLite's -wal and -shm), a cmocka state holding such a
 * file's open store, and one number asked of the store's database.
 */
#ifndef COSO_TESTS_STORE_FX_H
#define COSO_TESTS_STORE_FX_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db/store.h"
#include "db/store_internal.h"

struct tmpdb {
	char dir[64], path[96];
};

/* Makes /tmp/coso-<name>-XXXXXX; the database is t.db in it. 0 or -1. */
static inline int tmpdb_make(struct tmpdb *t, const char *name)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/coso-%s-XXXXXX", name);
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->path, sizeof(t->path), "%s/t.db", t->dir);
	return 0;
}

static inline void tmpdb_remove(const struct tmpdb *t)
{
	static const char *const ext[] = { "", "-wal", "-shm" };
	char p[128];

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", t->path, ext[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

/* A test's state: the store open on its own database. */
struct store_fx {
	struct tmpdb db;
	coso_store *st;
};

/* cmocka teardown of a struct store_fx (calloc'ed). */
static inline int store_fx_teardown(void **state)
{
	struct store_fx *f = *state;

	coso_store_close(f->st);
	tmpdb_remove(&f->db);
	free(f);
	return 0;
}

/* The first column of the first row of sql, a number. */
static inline long long store_fx_count(coso_store *st, const char *sql)
{
	sqlite3_stmt *q = NULL;
	long long n;

	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

#endif
