/*
 * store_plans.c: resolutions and targets in the store (db/store_plans.h):
 * loading with replace-by-code, the register's whole-file checks, reading.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_internal.h"
#include "db/store_plans.h"
#include "util/error.h"

void coso_resolution_clear(coso_resolution *r)
{
	if (!r)
		return;
	free(r->code);
	free(r->issuer);
	free(r->number);
	free(r->title);
	free(r->scope_code);
	memset(r, 0, sizeof(*r));
}

void coso_target_clear(coso_target *t)
{
	if (!t)
		return;
	free(t->code);
	free(t->resolution_code);
	free(t->label);
	free(t->indicator);
	free(t->kind);
	free(t->per);
	free(t->scope_code);
	memset(t, 0, sizeof(*t));
}

void coso_resolutions_free(coso_resolution *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++)
		coso_resolution_clear(&r[i]);
	free(r);
}

void coso_targets_free(coso_target *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++)
		coso_target_clear(&t[i]);
	free(t);
}

/* ---- loading ---------------------------------------------------------------- */

int coso_store_plans_begin(coso_store *st, int file)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_exec(st, "CREATE TEMP TABLE IF NOT EXISTS plans_seen (file INTEGER NOT NULL,"
			      " k TEXT NOT NULL, PRIMARY KEY (file, k)) WITHOUT ROWID");

	if (rc < 0)
		return rc;
	if ((rc = coso_db_prepare(st, "DELETE FROM plans_seen WHERE file = ?1", &q)) < 0)
		return rc;
	sqlite3_bind_int(q, 1, file);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "load");
	sqlite3_finalize(q);
	return rc;
}

/* COSO_ECONFLICT when key was already given in this load of file. */
static int seen(coso_store *st, int file, const char *key)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_prepare(st, "INSERT OR IGNORE INTO plans_seen (file, k) VALUES (?1, ?2)", &q);

	if (rc < 0)
		return rc;
	sqlite3_bind_int(q, 1, file);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = coso_db_error(st, "load");
	else if (sqlite3_changes(st->db) == 0)
		rc = COSO_ECONFLICT;
	sqlite3_finalize(q);
	return rc;
}

static void bind_day_or_null(sqlite3_stmt *q, int i, coso_day d)
{
	if (d == COSO_DAY_MIN)
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_int(q, i, d);
}

int coso_store_add_resolution(coso_store *st, const coso_resolution_row *r)
{
	sqlite3_stmt *q = NULL;
	int rc = seen(st, 0, r->code);

	if (rc < 0)
		return rc;
	if ((rc = coso_db_prepare(st, "INSERT OR REPLACE INTO resolution (code, issuer, number, issued_on, title,"
				  " scope_code, period_from, period_to) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, r->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, r->issuer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, r->number, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, r->issued_on);
	sqlite3_bind_text(q, 5, r->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, r->scope_code, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 7, r->period_from);
	sqlite3_bind_int(q, 8, r->period_to);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "load resolutions");
	sqlite3_finalize(q);
	return rc;
}

int coso_store_add_target(coso_store *st, const coso_target_row *t)
{
	sqlite3_stmt *q = NULL;
	int rc = seen(st, 1, t->code);

	if (rc < 0)
		return rc;
	if ((rc = coso_db_prepare(st, "INSERT OR REPLACE INTO target (code, resolution_code, label, indicator, kind,"
				  " per, value_min, value_max, baseline_on, scope_code)"
				  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, t->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, t->resolution_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, t->label, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, t->indicator, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, t->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, t->per, -1, SQLITE_STATIC);
	sqlite3_bind_double(q, 7, t->value_min);
	if (t->value_max < 0)
		sqlite3_bind_null(q, 8);
	else
		sqlite3_bind_double(q, 8, t->value_max);
	bind_day_or_null(q, 9, t->baseline_on);
	if (t->scope_code)
		sqlite3_bind_text(q, 10, t->scope_code, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "load targets");
	sqlite3_finalize(q);
	return rc;
}

/* ---- checks ----------------------------------------------------------------- */

/* Runs q (columns: key, column, message) and reports each row. */
static int report_rows(coso_store *st, sqlite3_stmt *q, coso_problem_fn fn, void *ctx)
{
	int n = 0, rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		coso_problem p = { 0 };

		p.key = (const char *)sqlite3_column_text(q, 0);
		p.valid_from = COSO_DAY_MIN;
		p.column = (const char *)sqlite3_column_text(q, 1);
		p.message = (const char *)sqlite3_column_text(q, 2);
		fn(ctx, &p);
		n++;
	}
	return rc == SQLITE_DONE ? n : coso_db_error(st, "register checks");
}

static int check_sql(coso_store *st, const char *sql, coso_problem_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_prepare(st, sql, &q);

	if (rc < 0)
		return rc;
	rc = report_rows(st, q, fn, ctx);
	sqlite3_finalize(q);
	return rc;
}

/* A resolution's scope must be a unit that exists on some day of its
 * period; issuer, number and date identify one resolution. */
static const char sql_check_resolutions[] =
	"SELECT r.code, 'scope_code', 'unit ' || r.scope_code || ' does not exist during the period ('"
	"  || per(r.period_from, r.period_to) || ')'"
	" FROM resolution r WHERE NOT EXISTS (SELECT 1 FROM unit_row u WHERE u.code = r.scope_code"
	"  AND u.valid_from < r.period_to AND r.period_from < u.valid_to)"
	" UNION ALL"
	" SELECT r.code, 'number', 'resolution ' || r.number || ' of ' || date(r.issued_on * 86400, 'unixepoch')"
	"  || ' by ' || r.issuer || ' is also given as ' || (SELECT min(o.code) FROM resolution o"
	"  WHERE o.issuer = r.issuer AND o.number = r.number AND o.issued_on = r.issued_on AND o.code <> r.code)"
	" FROM resolution r WHERE EXISTS (SELECT 1 FROM resolution o WHERE o.issuer = r.issuer"
	"  AND o.number = r.number AND o.issued_on = r.issued_on AND o.code < r.code)"
	" ORDER BY 1";

int coso_store_check_resolutions(coso_store *st, coso_problem_fn fn, void *ctx)
{
	return check_sql(st, sql_check_resolutions, fn, ctx);
}

/* A target's resolution must exist; its own scope must be a unit that exists
 * during the resolution's period and lies under the resolution's scope on
 * some day of it; its baseline must come before the period's end. */
static const char sql_check_targets[] =
	"SELECT t.code, 'resolution_code', 'resolution ' || t.resolution_code || ' is not in the register'"
	" FROM target t WHERE NOT EXISTS (SELECT 1 FROM resolution r WHERE r.code = t.resolution_code)"
	" UNION ALL"
	" SELECT t.code, 'scope_code', 'unit ' || t.scope_code || ' is not under ' || r.scope_code"
	"  || ' during the period of ' || r.code || ' (' || per(r.period_from, r.period_to) || ')'"
	" FROM target t JOIN resolution r ON r.code = t.resolution_code"
	" WHERE t.scope_code IS NOT NULL AND NOT EXISTS ("
	"  WITH RECURSIVE up (cur, day, depth) AS ("
	"   SELECT u.code, max(u.valid_from, r.period_from), 0 FROM unit_row u WHERE u.code = t.scope_code"
	"    AND u.valid_from < r.period_to AND r.period_from < u.valid_to"
	"   UNION ALL SELECT u.parent_code, up.day, up.depth + 1 FROM up JOIN unit_row u ON u.code = up.cur"
	"    AND u.valid_from <= up.day AND up.day < u.valid_to WHERE u.parent_code IS NOT NULL AND up.depth < 16)"
	"  SELECT 1 FROM up WHERE up.cur = r.scope_code)"
	" UNION ALL"
	" SELECT t.code, 'baseline_on', 'the baseline comes on or after the end of the period of ' || r.code"
	"  || ' (' || per(r.period_from, r.period_to) || ')'"
	" FROM target t JOIN resolution r ON r.code = t.resolution_code"
	" WHERE t.baseline_on IS NOT NULL AND t.baseline_on >= r.period_to"
	" ORDER BY 1";

int coso_store_check_targets(coso_store *st, coso_problem_fn fn, void *ctx)
{
	return check_sql(st, sql_check_targets, fn, ctx);
}

/* ---- reading ---------------------------------------------------------------- */

static char *dup_col(sqlite3_stmt *q, int i, bool *oom)
{
	const unsigned char *s = sqlite3_column_text(q, i);
	char *d;

	if (!s)
		return NULL;
	d = strdup((const char *)s);
	if (!d)
		*oom = true;
	return d;
}

static int resolution_from(sqlite3_stmt *q, coso_resolution *r)
{
	bool oom = false;

	r->code = dup_col(q, 0, &oom);
	r->issuer = dup_col(q, 1, &oom);
	r->number = dup_col(q, 2, &oom);
	r->issued_on = sqlite3_column_int(q, 3);
	r->title = dup_col(q, 4, &oom);
	r->scope_code = dup_col(q, 5, &oom);
	r->period_from = sqlite3_column_int(q, 6);
	r->period_to = sqlite3_column_int(q, 7);
	if (oom) {
		coso_resolution_clear(r);
		return coso_error_set(COSO_ENOMEM, "out of memory");
	}
	return 0;
}

#define RESOLUTION_COLS "code, issuer, number, issued_on, title, scope_code, period_from, period_to"

int coso_store_resolutions(coso_store *st, coso_resolution **out, size_t *n)
{
	sqlite3_stmt *q = NULL;
	coso_resolution *arr = NULL;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = coso_db_prepare(st, "SELECT " RESOLUTION_COLS " FROM resolution ORDER BY code", &q)) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			coso_resolution *na = realloc(arr, ncap * sizeof(*na));

			if (!na) {
				rc = coso_error_set(COSO_ENOMEM, "out of memory");
				goto fail;
			}
			arr = na;
			cap = ncap;
		}
		memset(&arr[len], 0, sizeof(arr[len]));
		if ((rc = resolution_from(q, &arr[len])) < 0)
			goto fail;
		len++;
	}
	if (rc != SQLITE_DONE) {
		rc = coso_db_error(st, "resolutions");
		goto fail;
	}
	sqlite3_finalize(q);
	*out = arr;
	*n = len;
	return 0;
fail:
	sqlite3_finalize(q);
	coso_resolutions_free(arr, len);
	return rc;
}

int coso_store_resolution_get(coso_store *st, const char *code, coso_resolution *out)
{
	sqlite3_stmt *q = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = coso_db_prepare(st, "SELECT " RESOLUTION_COLS " FROM resolution WHERE code = ?1", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		rc = resolution_from(q, out);
	else if (rc == SQLITE_DONE)
		rc = coso_error_set(COSO_ENOTFOUND, "resolution %s is not in the register", code);
	else
		rc = coso_db_error(st, "resolutions");
	sqlite3_finalize(q);
	return rc;
}

int coso_store_targets(coso_store *st, const char *resolution_code, coso_target **out, size_t *n)
{
	sqlite3_stmt *q = NULL;
	coso_target *arr = NULL;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = coso_db_prepare(st, "SELECT code, resolution_code, label, indicator, kind, per, value_min,"
				  " value_max, baseline_on, scope_code FROM target"
				  " WHERE ?1 IS NULL OR resolution_code = ?1 ORDER BY code", &q)) < 0)
		return rc;
	if (resolution_code)
		sqlite3_bind_text(q, 1, resolution_code, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		coso_target *t;
		bool oom = false;

		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			coso_target *na = realloc(arr, ncap * sizeof(*na));

			if (!na) {
				rc = coso_error_set(COSO_ENOMEM, "out of memory");
				goto fail;
			}
			arr = na;
			cap = ncap;
		}
		t = &arr[len++];
		memset(t, 0, sizeof(*t));
		t->code = dup_col(q, 0, &oom);
		t->resolution_code = dup_col(q, 1, &oom);
		t->label = dup_col(q, 2, &oom);
		t->indicator = dup_col(q, 3, &oom);
		t->kind = dup_col(q, 4, &oom);
		t->per = dup_col(q, 5, &oom);
		t->value_min = sqlite3_column_double(q, 6);
		t->value_max = sqlite3_column_type(q, 7) == SQLITE_NULL ? -1 : sqlite3_column_double(q, 7);
		t->baseline_on = sqlite3_column_type(q, 8) == SQLITE_NULL ? COSO_DAY_MIN : sqlite3_column_int(q, 8);
		t->scope_code = dup_col(q, 9, &oom);
		if (oom) {
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
			goto fail;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = coso_db_error(st, "targets");
		goto fail;
	}
	sqlite3_finalize(q);
	*out = arr;
	*n = len;
	return 0;
fail:
	sqlite3_finalize(q);
	coso_targets_free(arr, len);
	return rc;
}
