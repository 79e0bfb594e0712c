/*
 * store_read.c: reading every stored row back, in key order (db/store.h).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_internal.h"
#include "util/error.h"

/* ---- reading back --------------------------------------------------------- */

static const char *col_text(sqlite3_stmt *q, int i)
{
	return (const char *)sqlite3_column_text(q, i);
}

static int each(coso_store *st, const char *sql, int (*row)(sqlite3_stmt *, void *, void *),
		void *fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_prepare(st, sql, &q);

	if (rc < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int r = row(q, fn, ctx);

		if (r != 0) {
			sqlite3_finalize(q);
			return r;
		}
	}
	if (rc != SQLITE_DONE)
		rc = coso_db_error(st, "read");
	else
		rc = 0;
	sqlite3_finalize(q);
	return rc;
}

static int unit_row_cb(sqlite3_stmt *q, void *fn, void *ctx)
{
	coso_unit_row r = {
		.code = col_text(q, 0), .valid_from = sqlite3_column_int(q, 1),
		.valid_to = sqlite3_column_int(q, 2), .name = col_text(q, 3),
		.level = (coso_level)sqlite3_column_int(q, 4), .kind = col_text(q, 5),
		.parent_code = col_text(q, 6), .border = sqlite3_column_int(q, 7),
		.difficult = sqlite3_column_int(q, 8),
		.population = sqlite3_column_type(q, 9) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 9),
	};
	return ((coso_unit_fn)fn)(ctx, &r);
}

int coso_store_each_unit(coso_store *st, coso_unit_fn fn, void *ctx)
{
	return each(st, "SELECT code, valid_from, valid_to, name, level, kind, parent_code, border,"
		    " difficult, population FROM unit_row ORDER BY code, valid_from",
		    unit_row_cb, (void *)fn, ctx);
}

static int institution_cb(sqlite3_stmt *q, void *fn, void *ctx)
{
	coso_institution_row r = {
		.code = col_text(q, 0), .name = col_text(q, 1), .kind = col_text(q, 2),
		.unit_code = col_text(q, 3), .valid_from = sqlite3_column_int(q, 4),
		.valid_to = sqlite3_column_int(q, 5),
	};
	return ((coso_institution_fn)fn)(ctx, &r);
}

int coso_store_each_institution(coso_store *st, coso_institution_fn fn, void *ctx)
{
	return each(st, "SELECT code, name, kind, unit_code, valid_from, valid_to FROM institution ORDER BY code",
		    institution_cb, (void *)fn, ctx);
}

static int org_cb(sqlite3_stmt *q, void *fn, void *ctx)
{
	coso_org_row r = {
		.code = col_text(q, 0), .valid_from = sqlite3_column_int(q, 1),
		.valid_to = sqlite3_column_int(q, 2), .name = col_text(q, 3), .kind = col_text(q, 4),
		.grassroots = sqlite3_column_int(q, 5), .parent_code = col_text(q, 6),
		.site_unit = col_text(q, 7), .site_institution = col_text(q, 8),
	};
	return ((coso_org_fn)fn)(ctx, &r);
}

int coso_store_each_org(coso_store *st, coso_org_fn fn, void *ctx)
{
	return each(st, "SELECT code, valid_from, valid_to, name, kind, grassroots, parent_code, site_unit,"
		    " site_institution FROM org_row ORDER BY code, valid_from", org_cb, (void *)fn, ctx);
}

static int member_cb(sqlite3_stmt *q, void *fn, void *ctx)
{
	coso_member_row r = {
		.id = col_text(q, 0), .full_name = col_text(q, 1), .gender = col_text(q, 2),
		.birth_date = sqlite3_column_int(q, 3), .ethnicity = col_text(q, 4),
		.admitted_on = sqlite3_column_int(q, 5), .official_on = sqlite3_column_int(q, 6),
		.ended_on = sqlite3_column_int(q, 7), .end_reason = col_text(q, 8),
	};
	return ((coso_member_fn)fn)(ctx, &r);
}

int coso_store_each_member(coso_store *st, coso_member_fn fn, void *ctx)
{
	return each(st, "SELECT id, full_name, gender, birth_date, ethnicity, admitted_on, official_on,"
		    " ended_on, end_reason FROM member ORDER BY id", member_cb, (void *)fn, ctx);
}

static int period_cb(sqlite3_stmt *q, void *fn, void *ctx)
{
	coso_period_row r = {
		.member_id = col_text(q, 0), .valid_from = sqlite3_column_int(q, 1),
		.valid_to = sqlite3_column_int(q, 2), .org_code = col_text(q, 3),
		.residence_code = col_text(q, 4),
	};
	return ((coso_period_fn)fn)(ctx, &r);
}

int coso_store_each_period(coso_store *st, coso_period_fn fn, void *ctx)
{
	return each(st, "SELECT member_id, valid_from, valid_to, org_code, residence_code FROM member_period"
		    " ORDER BY member_id, valid_from", period_cb, (void *)fn, ctx);
}

