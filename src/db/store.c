/*
 * store.c: the SQLite engine of the storage module (db/store.h): opening,
 * transactions, and the helpers the other store_*.c files share.
 *
 * The engine is src/db/store*.c: store_load.c (loading and the registry's
 * rules), store_read.c (reading rows back), store_report.c (the report
 * queries). User text only ever reaches SQL through bound parameters.
 */
#include "db/store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/schema.h"
#include "db/store_internal.h"
#include "util/error.h"
#include "util/text.h"

/* The page cache of a connection, KiB (negative: PRAGMA cache_size's unit). */
#define CACHE_SIZE "-65536"

int coso_db_error(coso_store *st, const char *what)
{
	return coso_error_set(COSO_EIO, "%s: %s", what, sqlite3_errmsg(st->db));
}

int coso_db_exec(coso_store *st, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		coso_error_set(COSO_EIO, "database: %s", err ? err : sqlite3_errmsg(st->db));
		sqlite3_free(err);
		return COSO_EIO;
	}
	return 0;
}

int coso_db_prepare(coso_store *st, const char *sql, sqlite3_stmt **out)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK)
		return coso_db_error(st, "cannot prepare a query");
	return 0;
}

int coso_db_kept(coso_store *st, const char *sql, sqlite3_stmt **out)
{
	struct coso_kept *free_slot = NULL, *old = NULL;
	int rc;

	*out = NULL;
	for (int i = 0; i < COSO_KEPT_MAX; i++) {
		struct coso_kept *k = &st->kept[i];

		if (k->q && !k->lent && strcmp(k->sql, sql) == 0) {
			k->lent = true;
			k->used = ++st->kept_clock;
			*out = k->q;
			return 0;
		}
		if (!k->q && !free_slot)
			free_slot = k;
		else if (k->q && !k->lent && (!old || k->used < old->used))
			old = k;
	}
	if (!free_slot && !old)
		return coso_error_set(COSO_ERR, "every kept statement is lent (more than %d at once)", COSO_KEPT_MAX);
	if (!free_slot) {
		sqlite3_finalize(old->q);
		free(old->sql);
		memset(old, 0, sizeof(*old));
		free_slot = old;
	}
	if ((rc = coso_db_prepare(st, sql, &free_slot->q)) < 0)
		return rc;
	if (!(free_slot->sql = strdup(sql))) {
		sqlite3_finalize(free_slot->q);
		free_slot->q = NULL;
		return coso_error_set(COSO_ENOMEM, "out of memory");
	}
	free_slot->lent = true;
	free_slot->used = ++st->kept_clock;
	*out = free_slot->q;
	return 0;
}

void coso_db_give_back(coso_store *st, sqlite3_stmt *q)
{
	if (!q)
		return;
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	for (int i = 0; i < COSO_KEPT_MAX; i++)
		if (st->kept[i].q == q)
			st->kept[i].lent = false;
}

/* SQL function d(day): "YYYY-MM-DD", or "always" / "open" for open ends. */
static void sql_date(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char buf[COSO_DATE_BUFSZ];
	coso_day d;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	d = (coso_day)sqlite3_value_int64(argv[0]);
	if (d <= COSO_DAY_MIN)
		sqlite3_result_text(ctx, "always", -1, SQLITE_STATIC);
	else if (d >= COSO_DAY_MAX)
		sqlite3_result_text(ctx, "open", -1, SQLITE_STATIC);
	else
		sqlite3_result_text(ctx, coso_date_format(buf, d), -1, SQLITE_TRANSIENT);
}

void coso_db_period_text(char *buf, size_t n, coso_day from, coso_day to)
{
	char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ];

	coso_date_format(a, from);
	coso_date_format(b, to);
	if (from <= COSO_DAY_MIN && to >= COSO_DAY_MAX)
		snprintf(buf, n, "always");
	else if (from <= COSO_DAY_MIN)
		snprintf(buf, n, "until %s", b);
	else if (to >= COSO_DAY_MAX)
		snprintf(buf, n, "from %s on", a);
	else
		snprintf(buf, n, "from %s to %s", a, b);
}

/* SQL function per(from, to): a period in words, e.g. "from 2016-01-01 to 2018-05-22". */
static void sql_period(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char out[80];

	(void)argc;
	coso_db_period_text(out, sizeof(out), (coso_day)sqlite3_value_int64(argv[0]),
			    (coso_day)sqlite3_value_int64(argv[1]));
	sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

/* SQL function lvl(level): "province" ... "village". */
static void sql_level(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *name = coso_level_name((coso_level)sqlite3_value_int(argv[0]));

	(void)argc;
	sqlite3_result_text(ctx, name ? name : "?", -1, SQLITE_STATIC);
}

/* Once per process, before SQLite starts: no memory statistics (they take a
 * global mutex on every allocation, which the server's threads then queue
 * on). */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int trace_profile(unsigned type, void *ctx, void *p, void *x)
{
	char *sql = sqlite3_expanded_sql(p);

	(void)type;
	(void)ctx;
	fprintf(stderr, "coso: sql %8.3f ms  %s\n", (double)*(sqlite3_int64 *)x / 1e6,
		sql ? sql : sqlite3_sql(p));
	sqlite3_free(sql);
	return 0;
}

int coso_store_open(coso_store **out, const char *path, int flags, bool *created)
{
	coso_store *st = NULL;
	int oflags = (flags & COSO_STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	int rc = COSO_EIO;
	struct stat sb;
	bool exists;

	*out = NULL;
	/* stat, not fopen: closing another descriptor of the database file
	 * would drop every POSIX lock this process holds on it (SQLite's own
	 * included), and another process could then take the WAL away from
	 * this process's open connections */
	exists = stat(path, &sb) == 0;
	if (created)
		*created = false;
	if (!exists) {
		if (!(flags & COSO_STORE_CREATE))
			return coso_error_set(COSO_ENOTFOUND, "%s: no such database (import a registry first)", path);
		oflags |= SQLITE_OPEN_CREATE;
		if (created)
			*created = true;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	pthread_once(&sqlite_once, sqlite_setup);
	if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		coso_error_set(COSO_EIO, "%s: cannot open the database: %s", path,
			       st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto done;
	}
	sqlite3_busy_timeout(st->db, 5000);
	/* COSO_TRACE_SQL=1: each statement's time and text on stderr (to find
	 * where a request's time goes; docs/PERFORMANCE.md) */
	if (getenv("COSO_TRACE_SQL") && *getenv("COSO_TRACE_SQL") == '1')
		sqlite3_trace_v2(st->db, SQLITE_TRACE_PROFILE, trace_profile, NULL);
	sqlite3_extended_result_codes(st->db, 1);
	if (sqlite3_create_function(st->db, "d", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_date, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(st->db, "per", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_period, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(st->db, "lvl", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_level, NULL, NULL) != SQLITE_OK) {
		coso_db_error(st, "cannot register functions");
		goto done;
	}
	if (!(flags & COSO_STORE_READONLY)) {
		/* WAL: readers never block the writer. */
		if (coso_db_exec(st, "PRAGMA journal_mode = WAL") < 0)
			goto done;
	}
	/* synchronous FULL: every commit syncs the WAL before it returns, so an
	 * acknowledged write survives a power loss too, not only a killed
	 * process (NORMAL would lose the last commits before a checkpoint);
	 * docs/DURABILITY.md. */
	if (coso_db_exec(st, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"
		     "PRAGMA temp_store = MEMORY; PRAGMA cache_size = " CACHE_SIZE) < 0)
		goto done;
	if (!(flags & COSO_STORE_READONLY) && coso_schema_migrate(st->db) < 0)
		goto done;
	*out = st;
	st = NULL;
	rc = 0;
done:
	coso_store_close(st);
	return rc;
}

void coso_db_load_finalize(coso_store *st)
{
	sqlite3_finalize(st->ins);
	sqlite3_finalize(st->seen);
	sqlite3_finalize(st->del);
	st->ins = st->seen = st->del = NULL;
}

void coso_store_close(coso_store *st)
{
	if (!st)
		return;
	sqlite3_finalize(st->mark_member_q);
	sqlite3_finalize(st->mark_code_q);
	for (int i = 0; i < COSO_KEPT_MAX; i++) {
		sqlite3_finalize(st->kept[i].q);
		free(st->kept[i].sql);
	}
	coso_db_load_finalize(st);
	coso_db_forget_deferred(st);
	coso_audit_state_free(st->audit);
	sqlite3_close_v2(st->db);
	free(st);
}

int coso_store_schema_version(coso_store *st)
{
	sqlite3_stmt *q = NULL;
	int v = -1;

	if (coso_db_prepare(st, "PRAGMA user_version", &q) == 0 && sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return v;
}

void coso_db_free_collator(void *coll)
{
	coso_collator_free(coll);
}

int coso_store_bulk(coso_store *st)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	char sql[96];
	int rc;

	/* SQLite's sorter uses no worker thread while temporary data is in memory */
	snprintf(sql, sizeof(sql), "PRAGMA temp_store = FILE; PRAGMA threads = %ld",
		 cpus < 1 ? 1 : cpus > 8 ? 8 : cpus);
	if ((rc = coso_db_exec(st, sql)) == 0)
		st->bulk = true;
	return rc;
}

int coso_db_build_index(coso_store *st, const char *sql)
{
	int rc;

	if (!st->bulk)
		return coso_db_exec(st, sql);
	/* the sorter's runs are as large as the page cache */
	if ((rc = coso_db_exec(st, "PRAGMA cache_size = -8192")) < 0)
		return rc;
	rc = coso_db_exec(st, sql);
	if (coso_db_exec(st, "PRAGMA cache_size = " CACHE_SIZE) < 0 && rc == 0)
		rc = COSO_EIO;
	return rc;
}

int coso_store_begin(coso_store *st)
{
	memset(st->fresh, 0, sizeof(st->fresh));
	memset(st->loaded, 0, sizeof(st->loaded));
	st->summary_all = false;
	/* The keys replaced by the loads of this transaction only. */
	return coso_db_exec(st, "BEGIN IMMEDIATE; DROP TABLE IF EXISTS temp.load_seen");
}

int coso_store_commit(coso_store *st)
{
	coso_db_load_finalize(st);
	return coso_db_exec(st, "COMMIT");
}

void coso_store_rollback(coso_store *st)
{
	st->summary_all = false;
	coso_db_load_finalize(st);
	coso_db_forget_deferred(st);
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int coso_store_begin_read(coso_store *st)
{
	return coso_db_exec(st, "BEGIN");
}

void coso_store_end_read(coso_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

