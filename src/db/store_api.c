/*
 * store_api.c: the reads of the HTTP API (db/store_api.h): lists as of a
 * day with filters, sorting and paging, the pieces of a record's page, member
 * search, and the admissions series; and the search data of members
 * (migration 2), kept by coso_store_refresh_search().
 *
 * Queries are put together from fixed fragments only; every value the user
 * gives is a bound (named) parameter.
 */
#include "db/store_api.h"

#include <sqlite3.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_access.h"
#include "db/store_auth.h"
#include "db/store_internal.h"
#include "util/error.h"
#include "util/text.h"

/* ---- SQL functions of the API's connections -------------------------------- */

/* vn_match(text, query): 1 when every word of query, folded, begins a word of
 * text, folded ("sung mua" matches "Mùa A Sùng"). The folded query is kept
 * as auxiliary data, so a constant query is folded once per statement. */
static void sql_vn_match(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	const char *query = (const char *)sqlite3_value_text(argv[1]);
	char *qf = sqlite3_get_auxdata(ctx, 1), *owned = NULL, *tf = NULL;

	(void)argc;
	if (!query) {
		sqlite3_result_int(ctx, 1);
		return;
	}
	if (!text) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	if (!qf) {
		if (coso_text_fold(query, &owned) < 0) {
			sqlite3_result_int(ctx, 0);
			return;
		}
		qf = owned;
	}
	if (coso_text_fold(text, &tf) < 0)
		sqlite3_result_int(ctx, 0);
	else
		sqlite3_result_int(ctx, coso_text_words_match(tf, qf));
	free(tf);
	if (owned)
		sqlite3_set_auxdata(ctx, 1, owned, free); /* frees it at once when it cannot keep it */
}

/* vn_words(folded text, folded query): coso_text_words_match on text that is
 * folded already (member_search's columns), for the walk of a member list. */
static void sql_vn_words(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	const char *query = (const char *)sqlite3_value_text(argv[1]);

	(void)argc;
	sqlite3_result_int(ctx, !query || (text && coso_text_words_match(text, query)));
}

static int sql_collate_vi(void *arg, int alen, const void *a, int blen, const void *b)
{
	return coso_collator_compare(arg, a, (size_t)alen, b, (size_t)blen);
}

int coso_store_open_api(coso_store **out, const char *path)
{
	coso_store *st = NULL;
	coso_collator *coll = NULL;
	int rc;

	*out = NULL;
	if ((rc = coso_store_open(&st, path, 0, NULL)) < 0)
		return rc;
	if ((rc = coso_collator_open(&coll)) < 0)
		goto done;
	/* the connection owns the collator once this succeeds (on failure,
	 * sqlite3_create_collation_v2 does not call the destructor) */
	if (sqlite3_create_collation_v2(st->db, "vi", SQLITE_UTF8, coll, sql_collate_vi, coso_db_free_collator) != SQLITE_OK) {
		rc = coso_db_error(st, "cannot register the Vietnamese collation");
		coso_collator_free(coll);
		goto done;
	}
	if (sqlite3_create_function(st->db, "vn_match", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				    sql_vn_match, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(st->db, "vn_words", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				    sql_vn_words, NULL, NULL) != SQLITE_OK) {
		rc = coso_db_error(st, "cannot register functions");
		goto done;
	}
	*out = st;
	st = NULL;
	rc = 0;
done:
	coso_store_close(st);
	return rc;
}

/* ---- building queries ---------------------------------------------------------- */

/* SQL text from fixed fragments (never user text). */
struct sql {
	char s[4096];
	size_t n;
	bool overflow;
};

static void sql_add(struct sql *b, const char *frag)
{
	size_t len = strlen(frag);

	if (b->n + len >= sizeof(b->s)) {
		b->overflow = true;
		return;
	}
	memcpy(b->s + b->n, frag, len + 1);
	b->n += len;
}

static int sql_prepare(coso_store *st, struct sql *b, sqlite3_stmt **out)
{
	*out = NULL;
	if (b->overflow)
		return coso_error_set(COSO_ERR, "internal error: query too long");
	return coso_db_prepare(st, b->s, out);
}

/* The same, kept prepared by the connection (coso_db_kept: give it back). */
static int sql_kept(coso_store *st, struct sql *b, sqlite3_stmt **out)
{
	*out = NULL;
	if (b->overflow)
		return coso_error_set(COSO_ERR, "internal error: query too long");
	return coso_db_kept(st, b->s, out);
}

static void bind_text(sqlite3_stmt *q, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(q, name);

	if (i > 0) {
		if (v)
			sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(q, i);
	}
}

static void bind_int(sqlite3_stmt *q, const char *name, long long v)
{
	int i = sqlite3_bind_parameter_index(q, name);

	if (i > 0)
		sqlite3_bind_int64(q, i, v);
}

static void bind_page(sqlite3_stmt *q, long long page, long long per_page)
{
	bind_int(q, ":limit", per_page > 0 ? per_page : -1);
	bind_int(q, ":offset", per_page > 0 && page > 1 ? (page - 1) * per_page : 0);
}

/* Units in the scope :scope at :d (the scope itself included). */
static const char cte_sub[] =
	"sub (code) AS (SELECT code FROM unit_row WHERE code = :scope AND valid_from <= :d AND :d < valid_to"
	" UNION SELECT u.code FROM sub JOIN unit_row u ON u.parent_code = sub.code"
	"  AND u.valid_from <= :d AND :d < u.valid_to)";

/* Organizations :org and under it at :d. */
static const char cte_osub[] =
	"osub (code) AS (SELECT code FROM org_row WHERE code = :org AND valid_from <= :d AND :d < valid_to"
	" UNION SELECT o.code FROM osub JOIN org_row o ON o.parent_code = osub.code"
	"  AND o.valid_from <= :d AND :d < o.valid_to)";

static const char *col_text(sqlite3_stmt *q, int i)
{
	return (const char *)sqlite3_column_text(q, i);
}

/* Steps a paged query whose last column is count(*) OVER (), calling row()
 * for each row; sets *total (also when the page is past the end). */
static int run_paged(coso_store *st, sqlite3_stmt *q, int total_col,
		     int (*row)(sqlite3_stmt *q, void *fn, void *ctx), void *fn, void *ctx, long long *total)
{
	int rc, nrows = 0;

	*total = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (nrows++ == 0)
			*total = sqlite3_column_int64(q, total_col);
		if ((rc = row(q, fn, ctx)) != 0)
			return rc;
	}
	if (rc != SQLITE_DONE)
		return coso_db_error(st, "read");
	if (nrows == 0 && sqlite3_bind_parameter_index(q, ":offset") > 0) {
		/* past the last page: count from the first row */
		sqlite3_reset(q);
		bind_int(q, ":offset", 0);
		bind_int(q, ":limit", 1);
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW)
			*total = sqlite3_column_int64(q, total_col);
		else if (rc != SQLITE_DONE)
			return coso_db_error(st, "read");
	}
	return 0;
}

/* ---- units ------------------------------------------------------------------- */

#define UNIT_COLS "u.code, u.valid_from, u.valid_to, u.name, u.level, u.kind, u.parent_code," \
	" u.border, u.difficult, u.population"

static void unit_from(sqlite3_stmt *q, coso_unit_row *r)
{
	r->code = col_text(q, 0);
	r->valid_from = sqlite3_column_int(q, 1);
	r->valid_to = sqlite3_column_int(q, 2);
	r->name = col_text(q, 3);
	r->level = (coso_level)sqlite3_column_int(q, 4);
	r->kind = col_text(q, 5);
	r->parent_code = col_text(q, 6);
	r->border = sqlite3_column_int(q, 7);
	r->difficult = sqlite3_column_int(q, 8);
	r->population = sqlite3_column_type(q, 9) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 9);
}

static int unit_cb(sqlite3_stmt *q, void *fn, void *ctx)
{
	coso_unit_row r;

	unit_from(q, &r);
	return ((coso_unit_fn)fn)(ctx, &r);
}

/* Steps q to the end, calling row() for each row. */
static int run_all(coso_store *st, sqlite3_stmt *q, int (*row)(sqlite3_stmt *, void *, void *), void *fn, void *ctx)
{
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((rc = row(q, fn, ctx)) != 0)
			return rc;
	return rc == SQLITE_DONE ? 0 : coso_db_error(st, "read");
}

int coso_store_units(coso_store *st, const coso_unit_query *uq, coso_unit_fn fn, void *ctx, long long *total)
{
	struct sql b = { .n = 0 };
	sqlite3_stmt *q = NULL;
	int rc;

	sql_add(&b, "SELECT " UNIT_COLS ", count(*) OVER () FROM unit_row u WHERE u.valid_from <= :d AND :d < u.valid_to");
	if (uq->parent)
		sql_add(&b, " AND u.parent_code = :parent");
	if (uq->top)
		sql_add(&b, st->access_limited ? COSO_ACCESS_UNIT_TOP("u.parent_code") : " AND u.parent_code IS NULL");
	if (st->access_limited)
		sql_add(&b, COSO_ACCESS_UNIT("u.code"));
	if (uq->level != COSO_LEVEL_NONE)
		sql_add(&b, " AND u.level = :level");
	if (uq->q)
		sql_add(&b, " AND vn_match(u.name || ' ' || u.code, :q)");
	if (uq->sort == COSO_SORT_NAME)
		sql_add(&b, uq->desc ? " ORDER BY u.name COLLATE vi DESC, u.code DESC" : " ORDER BY u.name COLLATE vi, u.code");
	else
		sql_add(&b, uq->desc ? " ORDER BY u.code DESC" : " ORDER BY u.code");
	sql_add(&b, " LIMIT :limit OFFSET :offset");
	if ((rc = sql_prepare(st, &b, &q)) < 0)
		return rc;
	bind_int(q, ":d", uq->as_of);
	bind_text(q, ":parent", uq->parent);
	bind_int(q, ":level", uq->level);
	bind_text(q, ":q", uq->q);
	bind_page(q, uq->page, uq->per_page);
	rc = run_paged(st, q, 10, unit_cb, (void *)fn, ctx, total);
	sqlite3_finalize(q);
	return rc;
}

/* For a reader limited to a scope (db/store_auth.h): COSO_ENOTFOUND, as if
 * it did not exist, when record `code` (a `noun`) is not visible. */
static int gate(coso_store *st, coso_ref_kind kind, const char *code, const char *noun)
{
	int rc = st->access_limited ? coso_store_visible(st, kind, code) : 1;

	if (rc == 0)
		return coso_error_set(COSO_ENOTFOUND, "%s %s is not in the registry", noun, code);
	return rc < 0 ? rc : 0;
}

/* Whether `code` has any row in table (0/1), or a negative rc. */
static int code_exists(coso_store *st, const char *table_sql, const char *code)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, table_sql, &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : coso_db_error(st, "read");
	sqlite3_finalize(q);
	return rc;
}

int coso_store_unit_get(coso_store *st, const char *code, coso_day d, coso_unit_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = gate(st, COSO_REF_UNIT, code, "unit")) < 0)
		return rc;
	if ((rc = coso_db_prepare(st, "SELECT " UNIT_COLS " FROM unit_row u WHERE u.code = ?1"
				  " AND u.valid_from <= ?2 AND ?2 < u.valid_to", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, d);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		rc = unit_cb(q, (void *)fn, ctx);
		if (rc == 0)
			rc = 1;
	} else if (rc == SQLITE_DONE) {
		rc = code_exists(st, "SELECT 1 FROM unit_row WHERE code = ?1", code);
		if (rc == 0)
			rc = coso_error_set(COSO_ENOTFOUND, "unit %s is not in the registry", code);
		else if (rc == 1)
			rc = 0;
	} else {
		rc = coso_db_error(st, "read");
	}
	sqlite3_finalize(q);
	return rc;
}

int coso_store_unit_history(coso_store *st, const char *code, coso_unit_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = gate(st, COSO_REF_UNIT, code, "unit")) < 0)
		return rc;
	if ((rc = coso_db_prepare(st, "SELECT " UNIT_COLS " FROM unit_row u WHERE u.code = ?1 ORDER BY u.valid_from", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	rc = run_all(st, q, unit_cb, (void *)fn, ctx);
	sqlite3_finalize(q);
	return rc;
}

int coso_store_unit_ancestors(coso_store *st, const char *code, coso_day d, coso_unit_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc;

#define UNIT_ANCESTORS(filter) \
		"WITH RECURSIVE up (code, depth) AS (" \
		" SELECT parent_code, 1 FROM unit_row WHERE code = ?1 AND valid_from <= ?2 AND ?2 < valid_to" \
		" UNION ALL SELECT u.parent_code, up.depth + 1 FROM up JOIN unit_row u ON u.code = up.code" \
		"  AND u.valid_from <= ?2 AND ?2 < u.valid_to WHERE up.depth < 32)" \
		"SELECT " UNIT_COLS " FROM up JOIN unit_row u ON u.code = up.code AND u.valid_from <= ?2 AND ?2 < u.valid_to" \
		filter " ORDER BY up.depth DESC"
	/* a reader limited to a scope gets the visible ancestors only */
	rc = coso_db_prepare(st, st->access_limited ? UNIT_ANCESTORS(" WHERE 1" COSO_ACCESS_UNIT("u.code"))
				 : UNIT_ANCESTORS(""), &q);
#undef UNIT_ANCESTORS
	if (rc < 0)
		return rc;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, d);
	rc = run_all(st, q, unit_cb, (void *)fn, ctx);
	sqlite3_finalize(q);
	return rc;
}

/* ---- institutions -------------------------------------------------------------- */

static int institution_cb(sqlite3_stmt *q, void *fn, void *ctx)
{
	coso_institution_item it = {
		.row = {
			.code = col_text(q, 0), .name = col_text(q, 1), .kind = col_text(q, 2),
			.unit_code = col_text(q, 3), .valid_from = sqlite3_column_int(q, 4),
			.valid_to = sqlite3_column_int(q, 5),
		},
		.has_org = sqlite3_column_int(q, 6) != 0,
	};
	return ((coso_institution_item_fn)fn)(ctx, &it);
}

int coso_store_institutions(coso_store *st, const coso_institution_query *iq,
			    coso_institution_item_fn fn, void *ctx, long long *total)
{
	struct sql b = { .n = 0 };
	sqlite3_stmt *q = NULL;
	int rc;

	if (iq->unit && !iq->direct) {
		sql_add(&b, "WITH RECURSIVE ");
		sql_add(&b, cte_sub);
		sql_add(&b, " ");
	}
	sql_add(&b, "SELECT i.code, i.name, i.kind, i.unit_code, i.valid_from, i.valid_to,"
		" EXISTS (SELECT 1 FROM org_row o WHERE o.site_institution = i.code AND o.valid_from <= :d AND :d < o.valid_to),"
		" count(*) OVER () FROM institution i WHERE i.valid_from <= :d AND :d < i.valid_to");
	if (iq->unit)
		sql_add(&b, iq->direct ? " AND i.unit_code = :scope" : " AND i.unit_code IN (SELECT code FROM sub)");
	if (iq->kind)
		sql_add(&b, " AND i.kind = :kind");
	if (st->access_limited)
		sql_add(&b, COSO_ACCESS_UNIT("i.unit_code"));
	if (iq->code)
		sql_add(&b, " AND i.code = :code");
	sql_add(&b, " ORDER BY i.code LIMIT :limit OFFSET :offset");
	if ((rc = sql_prepare(st, &b, &q)) < 0)
		return rc;
	bind_int(q, ":d", iq->as_of);
	bind_text(q, ":scope", iq->unit);
	bind_text(q, ":kind", iq->kind);
	bind_text(q, ":code", iq->code);
	bind_page(q, iq->page, iq->per_page);
	rc = run_paged(st, q, 7, institution_cb, (void *)fn, ctx, total);
	sqlite3_finalize(q);
	return rc;
}

/* ---- organizations -------------------------------------------------------------- */

#define ORG_COLS "o.code, o.valid_from, o.valid_to, o.name, o.kind, o.grassroots, o.parent_code," \
	" o.site_unit, o.site_institution"

/* Active members at ?2 in organization ?1 and those under it. */
static const char sql_org_members[] =
	"WITH RECURSIVE t (code) AS (SELECT ?1"
	" UNION SELECT o.code FROM t JOIN org_row o ON o.parent_code = t.code AND o.valid_from <= ?2 AND ?2 < o.valid_to)"
	"SELECT count(*) FROM t JOIN member_period p ON p.org_code = t.code AND p.valid_from <= ?2 AND ?2 < p.valid_to"
	" JOIN member m ON m.id = p.member_id AND m.admitted_on <= ?2 AND ?2 < m.ended_on";

static void org_from(sqlite3_stmt *q, coso_org_row *r)
{
	r->code = col_text(q, 0);
	r->valid_from = sqlite3_column_int(q, 1);
	r->valid_to = sqlite3_column_int(q, 2);
	r->name = col_text(q, 3);
	r->kind = col_text(q, 4);
	r->grassroots = sqlite3_column_int(q, 5);
	r->parent_code = col_text(q, 6);
	r->site_unit = col_text(q, 7);
	r->site_institution = col_text(q, 8);
}

static int org_row_cb(sqlite3_stmt *q, void *fn, void *ctx)
{
	coso_org_row r;

	org_from(q, &r);
	return ((coso_org_fn)fn)(ctx, &r);
}

/* Context of the org item callback: the count statement and the day. */
struct org_items {
	coso_store *st;
	sqlite3_stmt *count;
	coso_day d;
	coso_org_item_fn fn;
	void *ctx;
};

static int org_item_cb(sqlite3_stmt *q, void *arg, void *unused)
{
	struct org_items *oi = arg;
	coso_org_item it;
	int rc;

	(void)unused;
	org_from(q, &it.row);
	sqlite3_bind_text(oi->count, 1, it.row.code, -1, SQLITE_STATIC);
	sqlite3_bind_int(oi->count, 2, oi->d);
	rc = sqlite3_step(oi->count);
	it.members = rc == SQLITE_ROW ? sqlite3_column_int64(oi->count, 0) : 0;
	sqlite3_reset(oi->count);
	if (rc != SQLITE_ROW)
		return coso_db_error(oi->st, "read");
	return oi->fn(oi->ctx, &it);
}

int coso_store_orgs(coso_store *st, const coso_org_query *oq, coso_org_item_fn fn, void *ctx, long long *total)
{
	struct sql b = { .n = 0 };
	sqlite3_stmt *q = NULL;
	struct org_items oi = { st, NULL, oq->as_of, fn, ctx };
	int rc;

	if (oq->scope) {
		sql_add(&b, "WITH RECURSIVE ");
		sql_add(&b, cte_sub);
		sql_add(&b, " ");
	}
	sql_add(&b, "SELECT " ORG_COLS ", count(*) OVER () FROM org_row o WHERE o.valid_from <= :d AND :d < o.valid_to");
	if (oq->parent)
		sql_add(&b, " AND o.parent_code = :parent");
	if (oq->top)
		sql_add(&b, st->access_limited ? COSO_ACCESS_ORG_TOP("o.parent_code") : " AND o.parent_code IS NULL");
	if (st->access_limited)
		sql_add(&b, COSO_ACCESS_ORG("o.code"));
	if (oq->kind)
		sql_add(&b, " AND o.kind = :kind");
	if (oq->site_unit)
		sql_add(&b, " AND o.site_unit = :site");
	if (oq->q)
		sql_add(&b, " AND vn_match(o.name || ' ' || o.code, :q)");
	if (oq->scope)
		sql_add(&b, " AND (o.site_unit IN (SELECT code FROM sub) OR o.site_institution IN"
			" (SELECT i.code FROM institution i WHERE i.unit_code IN (SELECT code FROM sub)))");
	if (oq->sort == COSO_SORT_NAME)
		sql_add(&b, oq->desc ? " ORDER BY o.name COLLATE vi DESC, o.code DESC" : " ORDER BY o.name COLLATE vi, o.code");
	else
		sql_add(&b, oq->desc ? " ORDER BY o.code DESC" : " ORDER BY o.code");
	sql_add(&b, " LIMIT :limit OFFSET :offset");
	if ((rc = sql_prepare(st, &b, &q)) < 0 || (rc = coso_db_prepare(st, sql_org_members, &oi.count)) < 0)
		goto done;
	bind_int(q, ":d", oq->as_of);
	bind_text(q, ":parent", oq->parent);
	bind_text(q, ":kind", oq->kind);
	bind_text(q, ":site", oq->site_unit);
	bind_text(q, ":q", oq->q);
	bind_text(q, ":scope", oq->scope);
	bind_page(q, oq->page, oq->per_page);
	rc = run_paged(st, q, 9, org_item_cb, &oi, NULL, total);
done:
	sqlite3_finalize(q);
	sqlite3_finalize(oi.count);
	return rc;
}

int coso_store_org_get(coso_store *st, const char *code, coso_day d, coso_org_item_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	struct org_items oi = { st, NULL, d, fn, ctx };
	int rc;

	if ((rc = gate(st, COSO_REF_ORG, code, "organization")) < 0)
		return rc;
	if ((rc = coso_db_prepare(st, "SELECT " ORG_COLS " FROM org_row o WHERE o.code = ?1"
				  " AND o.valid_from <= ?2 AND ?2 < o.valid_to", &q)) < 0 ||
	    (rc = coso_db_prepare(st, sql_org_members, &oi.count)) < 0)
		goto done;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, d);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		rc = org_item_cb(q, &oi, NULL);
		if (rc == 0)
			rc = 1;
	} else if (rc == SQLITE_DONE) {
		rc = code_exists(st, "SELECT 1 FROM org_row WHERE code = ?1", code);
		if (rc == 0)
			rc = coso_error_set(COSO_ENOTFOUND, "organization %s is not in the registry", code);
		else if (rc == 1)
			rc = 0;
	} else {
		rc = coso_db_error(st, "read");
	}
done:
	sqlite3_finalize(q);
	sqlite3_finalize(oi.count);
	return rc;
}

int coso_store_org_history(coso_store *st, const char *code, coso_org_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = gate(st, COSO_REF_ORG, code, "organization")) < 0)
		return rc;
	if ((rc = coso_db_prepare(st, "SELECT " ORG_COLS " FROM org_row o WHERE o.code = ?1 ORDER BY o.valid_from", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	rc = run_all(st, q, org_row_cb, (void *)fn, ctx);
	sqlite3_finalize(q);
	return rc;
}

int coso_store_org_ancestors(coso_store *st, const char *code, coso_day d, coso_org_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc;

#define ORG_ANCESTORS(filter) \
		"WITH RECURSIVE up (code, depth) AS (" \
		" SELECT parent_code, 1 FROM org_row WHERE code = ?1 AND valid_from <= ?2 AND ?2 < valid_to" \
		" UNION ALL SELECT o.parent_code, up.depth + 1 FROM up JOIN org_row o ON o.code = up.code" \
		"  AND o.valid_from <= ?2 AND ?2 < o.valid_to WHERE up.depth < 100)" \
		"SELECT " ORG_COLS " FROM up JOIN org_row o ON o.code = up.code AND o.valid_from <= ?2 AND ?2 < o.valid_to" \
		filter " ORDER BY up.depth DESC"
	/* a reader limited to a scope gets the visible ancestors only */
	rc = coso_db_prepare(st, st->access_limited ? ORG_ANCESTORS(" WHERE 1" COSO_ACCESS_ORG("o.code"))
				 : ORG_ANCESTORS(""), &q);
#undef ORG_ANCESTORS
	if (rc < 0)
		return rc;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, d);
	rc = run_all(st, q, org_row_cb, (void *)fn, ctx);
	sqlite3_finalize(q);
	return rc;
}

/* ---- members ------------------------------------------------------------------ */

const char *coso_member_status(const coso_member_row *m, coso_day d)
{
	if (d < m->admitted_on)
		return "not_admitted";
	if (d >= m->ended_on)
		return "ended";
	/* Điều lệ Đảng, Điều 5: probationary until recognised as official */
	return d < m->official_on ? "probationary" : "official";
}

/* The name of organization / unit `c` as of day `e`: the row covering it,
 * else the last row before it, else the first. (Three lookups on the
 * primary key: SQLite does not let a subquery's ORDER BY see outer columns.) */
#define NAME_AS_OF(table, c, e) \
	"coalesce((SELECT t.name FROM " table " t WHERE t.code = " c " AND t.valid_from <= " e " AND " e " < t.valid_to)," \
	" (SELECT t.name FROM " table " t WHERE t.code = " c " AND t.valid_from <= " e " ORDER BY t.valid_from DESC LIMIT 1)," \
	" (SELECT t.name FROM " table " t WHERE t.code = " c " ORDER BY t.valid_from LIMIT 1))"

#define MEMBER_COLS "x.id, x.full_name, x.gender, x.birth_date, x.ethnicity, x.admitted_on, x.official_on," \
	" x.ended_on, x.end_reason, x.org_code, " NAME_AS_OF("org_row", "x.org_code", "x.e") ", x.residence_code, " \
	NAME_AS_OF("unit_row", "x.residence_code", "x.e")

/* p is member m's period at :d: the one covering it, else the last one
 * before it, else the first; E_OF_P, the day of p nearest to :d. */
#define PERIOD_AT(ID) \
	"p.member_id = " ID " AND p.valid_from = coalesce(" \
	"  (SELECT max(q.valid_from) FROM member_period q WHERE q.member_id = " ID " AND q.valid_from <= :d)," \
	"  (SELECT min(q.valid_from) FROM member_period q WHERE q.member_id = " ID "))"
#define PERIOD_AT_D PERIOD_AT("m.id")
#define E_OF_P "max(p.valid_from, min(:d, p.valid_to - 1))"

/* The inner part of a member query: m (member), p (PERIOD_AT_D) and e. */
static const char sql_member_from[] = "SELECT m.*, p.org_code, p.residence_code, " E_OF_P " AS e";
static const char sql_member_join[] = " FROM member m LEFT JOIN member_period p ON " PERIOD_AT_D;

static void member_from(sqlite3_stmt *q, coso_member_item *it, coso_day d)
{
	it->row.id = col_text(q, 0);
	it->row.full_name = col_text(q, 1);
	it->row.gender = col_text(q, 2);
	it->row.birth_date = sqlite3_column_int(q, 3);
	it->row.ethnicity = col_text(q, 4);
	it->row.admitted_on = sqlite3_column_int(q, 5);
	it->row.official_on = sqlite3_column_int(q, 6);
	it->row.ended_on = sqlite3_column_int(q, 7);
	it->row.end_reason = col_text(q, 8);
	it->org_code = col_text(q, 9);
	it->org_name = col_text(q, 10);
	it->residence_code = col_text(q, 11);
	it->residence_name = col_text(q, 12);
	it->status = coso_member_status(&it->row, d);
}

struct member_items {
	coso_day d;
	coso_member_item_fn fn;
	void *ctx;
};

static int member_item_cb(sqlite3_stmt *q, void *arg, void *unused)
{
	struct member_items *mi = arg;
	coso_member_item it;

	(void)unused;
	member_from(q, &it, mi->d);
	return mi->fn(mi->ctx, &it);
}

/* ---- members: a page costs what the page holds -----------------------------
 *
 * A list of members is filtered (active on the day, words of the name or id,
 * a scope, an organization, the reader's own scope), sorted and paged. Four
 * plans give the same rows in the same order, each with every filter:
 *
 * - ordered (words, in name order): read the full-text matches in their
 *   rowid order, which is the name order (store_search.c numbers the rows
 *   so), and test each in turn, stopping when the page is full and
 *   COSO_MEMBERS_AHEAD more rows are counted. Its cost is the page over the
 *   share of matches the other filters keep;
 * - walk: the same along the sort order's index (the Vietnamese name key,
 *   the admission day, the id), for a list without words or in another
 *   order; its cost is the page over the share of members that match;
 * - set: take the candidates from the smaller side, the members who ever
 *   had a period in the scope's organizations, or the full-text index's
 *   matches, then test and sort them. Its cost is the size of that side.
 *
 * The sides are counted first, up to SCOPE_SET_MAX periods and SET_MAX
 * matches (an index's entries: a few milliseconds). A scope under its
 * limit and smaller than the matches gives the scope's set (a clerk's
 * commune); else the ordered plan or the walk runs, under a budget of
 * SQLite VM steps (a progress handler) when the matches are many, and only
 * when the page is not full by then (few matches far apart) the smaller set
 * runs to its end. The total is exact, or, when a walk stopped counting, a
 * lower bound (*total_exact false): there are more than *total. */

#define COSO_MEMBERS_AHEAD 100        /* rows counted past the page */
#define BUDGET_TICK 1000               /* VM steps between two progress calls */
#define SET_MAX 2000                   /* full-text matches of a set taken without a budget */
#define SCOPE_SET_MAX 10000            /* periods of a scope's set taken without a budget (a commune's) */
#define WORDS_WALK_MAX 200000          /* matches counted to size a second walk (at most ~10 ms) */
#define BUDGET_WALK 300                /* ticks: a walk (about 25,000 rows) */
#define ACCESS_WORDS_SET 200           /* full-text matches under which a limited reader takes their set */

struct budget {
	long ticks, max;
};

static int budget_tick(void *arg)
{
	struct budget *b = arg;

	return ++b->ticks > b->max;
}

/* The filters every plan applies, on m (member) and s (member_search); or,
 * s_only, on s alone (it has the member's id and days too: the ordered
 * plan reads no member row to test one). */
static void member_filters(struct sql *b, const coso_member_query *mq, coso_store *st, bool words, bool s_only,
			   bool access_done)
{
	if (!mq->all)
		sql_add(b, s_only ? " AND s.admitted_on <= :d AND :d < s.ended_on"
				  : " AND m.admitted_on <= :d AND :d < m.ended_on");
	if (words)
		sql_add(b, " AND vn_words(s.folded || ' ' || s.ident, :words)");
	if (mq->org || mq->scope) {
		/* the member's period at :d and its organization then */
		sql_add(b, " AND EXISTS (SELECT 1 FROM member_period p JOIN org_row o ON o.code = p.org_code"
			" LEFT JOIN institution i ON i.code = o.site_institution WHERE ");
		sql_add(b, s_only ? PERIOD_AT("s.id") : PERIOD_AT_D);
		sql_add(b, " AND o.valid_from <= " E_OF_P " AND " E_OF_P " < o.valid_to");
		if (mq->org)
			sql_add(b, " AND p.org_code IN (SELECT code FROM osub)");
		if (mq->scope)
			sql_add(b, " AND coalesce(o.site_unit, i.unit_code) IN (SELECT code FROM sub)");
		sql_add(b, ")");
	}
	if (st->access_limited && !access_done)
		sql_add(b, s_only ? COSO_ACCESS_MEMBER("s.id") : COSO_ACCESS_MEMBER("m.id"));
}

enum member_plan { PLAN_WALK, PLAN_ORDERED, PLAN_ACCESS, PLAN_SET_SCOPE, PLAN_SET_WORDS };

/* " FROM member_period p WHERE ...": the periods whose members are the
 * candidates of a scope's set, a superset of the members the filters keep:
 * every period in an organization under :org, else in an organization that
 * ever sat under :scope (begun by :d, for the members active at :d: their
 * period at :d is one of those), else in one the reader may see (any day:
 * the reader's scope is decided on its own day, not :d). */
static void scope_candidates(struct sql *b, const coso_member_query *mq)
{
	sql_add(b, " FROM member_period p WHERE p.org_code IN (");
	if (mq->org)
		sql_add(b, "SELECT code FROM osub");
	else if (mq->scope)
		sql_add(b, "SELECT o.code FROM org_row o WHERE o.site_unit IN (SELECT code FROM sub)"
			" UNION SELECT o.code FROM institution i JOIN org_row o ON o.site_institution = i.code"
			" WHERE i.unit_code IN (SELECT code FROM sub)");
	else
		sql_add(b, "SELECT code FROM temp.access_org");
	sql_add(b, ")");
	if (!mq->all && (mq->org || mq->scope))
		sql_add(b, " AND p.valid_from <= :d");
}

/* The ids of the members of the list, in order, by plan. */
static int member_ids_sql(coso_store *st, const coso_member_query *mq, enum member_plan plan, bool words,
			  sqlite3_stmt **out)
{
	struct sql b = { .n = 0 };
	bool name = mq->sort == COSO_SORT_NAME, join_s = name || words;
	const char *dir = mq->desc ? " DESC" : "";

	if (mq->scope || mq->org) {
		sql_add(&b, "WITH RECURSIVE ");
		if (mq->scope)
			sql_add(&b, cte_sub);
		if (mq->scope && mq->org)
			sql_add(&b, ", ");
		if (mq->org)
			sql_add(&b, cte_osub);
		sql_add(&b, " ");
	}
	/* the walk reads the sort's order first (by name: member_search in
	 * rowid order, which is the name order), the ordered plan the
	 * full-text matches (CROSS JOIN keeps that order) */
	if (plan == PLAN_ORDERED)
		sql_add(&b, "SELECT s.id FROM member_fts CROSS JOIN member_search s ON s.n = member_fts.rowid"
			" WHERE member_fts MATCH :match");
	else if (plan == PLAN_ACCESS)
		sql_add(&b, "SELECT s.id FROM temp.access_member a CROSS JOIN member_search s ON s.n = a.n WHERE 1");
	else if (plan == PLAN_WALK && name)
		sql_add(&b, "SELECT m.id FROM member_search s CROSS JOIN member m ON m.id = s.id WHERE 1");
	else if (join_s)
		sql_add(&b, "SELECT m.id FROM member m JOIN member_search s ON s.id = m.id WHERE 1");
	else
		sql_add(&b, "SELECT m.id FROM member m WHERE 1");
	if (plan == PLAN_SET_WORDS)
		sql_add(&b, " AND m.id IN (SELECT s2.id FROM member_search s2 WHERE s2.n IN"
			" (SELECT rowid FROM member_fts WHERE member_fts MATCH :match))");
	if (plan == PLAN_SET_SCOPE) {
		/* members with a period (begun by :d, for the active) in an
		 * organization of the scope: a superset, the filters decide */
		sql_add(&b, " AND m.id IN (SELECT p.member_id");
		scope_candidates(&b, mq);
		sql_add(&b, ")");
	}
	member_filters(&b, mq, st, words, plan == PLAN_ORDERED || plan == PLAN_ACCESS, plan == PLAN_ACCESS);
	sql_add(&b, " ORDER BY ");
	if (plan == PLAN_ORDERED || plan == PLAN_ACCESS) {
		/* the numbers follow the name order */
		sql_add(&b, plan == PLAN_ORDERED ? "member_fts.rowid" : "a.n");
		sql_add(&b, dir);
		return sql_kept(st, &b, out);
	}
	if (name)
		sql_add(&b, "s.n"); /* (sort_key, id), in one number */
	else if (mq->sort == COSO_SORT_ADMITTED)
		sql_add(&b, "m.admitted_on");
	else
		sql_add(&b, "m.id");
	sql_add(&b, dir);
	if (mq->sort == COSO_SORT_ADMITTED) {
		sql_add(&b, ", m.id");
		sql_add(&b, dir);
	}
	return sql_kept(st, &b, out);
}

/* The ids of one page, and the count. */
struct id_page {
	char **ids;
	long long n, cap;       /* ids of the page */
	long long offset, limit;
	long long counted;      /* rows seen */
	bool page_full, done;   /* the page is complete; every row was seen */
};

static void id_page_clear(struct id_page *pg)
{
	for (long long i = 0; i < pg->n; i++)
		free(pg->ids[i]);
	pg->n = 0;
	pg->counted = 0;
	pg->page_full = pg->done = false;
}

/* Steps q under budget `max` ticks (0: none), up to `stop` rows (0: all).
 * Returns 0 (pg says how far it got; an interrupted run is not an error) or
 * a negative coso_rc. */
static int run_ids(coso_store *st, sqlite3_stmt *q, struct id_page *pg, long max, long long stop)
{
	struct budget bud = { 0, max };
	int rc;

	id_page_clear(pg);
	if (max > 0)
		sqlite3_progress_handler(st->db, BUDGET_TICK, budget_tick, &bud);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		long long i = pg->counted++;

		if (i >= pg->offset && i < pg->offset + pg->limit) {
			char *id = strdup((const char *)sqlite3_column_text(q, 0));

			if (!id) {
				rc = SQLITE_NOMEM;
				break;
			}
			pg->ids[pg->n++] = id;
		}
		if (pg->counted >= pg->offset + pg->limit)
			pg->page_full = true;
		if (stop > 0 && pg->counted >= stop)
			break;
	}
	if (max > 0)
		sqlite3_progress_handler(st->db, 0, NULL, NULL);
	if (rc == SQLITE_DONE) {
		pg->done = pg->page_full = true;
		rc = 0;
	} else if (rc == SQLITE_ROW || rc == SQLITE_INTERRUPT) {
		rc = 0; /* stopped on purpose: pg tells how far */
	} else {
		rc = rc == SQLITE_NOMEM ? coso_error_set(COSO_ENOMEM, "out of memory") : coso_db_error(st, "read");
	}
	sqlite3_reset(q);
	return rc;
}

/* Runs plan `plan` (budget `max` ticks, 0: none, -1: none and a walk counts
 * every row too); *ok tells whether it gave the page. */
static int try_plan(coso_store *st, const coso_member_query *mq, enum member_plan plan, const char *words,
		    const char *match, long max, struct id_page *pg, bool *ok)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*ok = false;
	if ((rc = member_ids_sql(st, mq, plan, words != NULL, &q)) < 0)
		return rc;
	bind_int(q, ":d", mq->as_of);
	bind_text(q, ":scope", mq->scope);
	bind_text(q, ":org", mq->org);
	bind_text(q, ":words", words);
	bind_text(q, ":match", match);
	/* a walk counts COSO_MEMBERS_AHEAD rows past the page, a set counts all */
	bool walk = plan == PLAN_WALK || plan == PLAN_ORDERED || plan == PLAN_ACCESS;

	rc = run_ids(st, q, pg, max > 0 ? max : 0,
		     walk && max >= 0 ? pg->offset + pg->limit + COSO_MEMBERS_AHEAD + 1 : 0);
	coso_db_give_back(st, q);
	if (rc == 0)
		*ok = walk ? pg->page_full : pg->done;
	return rc;
}

/* How many candidates a set plan would start from, counted up to SET_MAX
 * (SCOPE_SET_MAX):
 * the periods of the scope's organizations, or the full-text matches. */
static int count_candidates(coso_store *st, const coso_member_query *mq, enum member_plan plan,
			    const char *match, long long cap, long long *out)
{
	struct sql b = { .n = 0 };
	sqlite3_stmt *q = NULL;
	int rc;

	sql_add(&b, "SELECT count(*) FROM (");
	if (plan == PLAN_SET_WORDS) {
		sql_add(&b, "SELECT 1 FROM member_fts WHERE member_fts MATCH :match");
	} else {
		if (mq->scope || mq->org) {
			sql_add(&b, "WITH RECURSIVE ");
			sql_add(&b, mq->org ? cte_osub : cte_sub);
			sql_add(&b, " ");
		}
		sql_add(&b, "SELECT 1");
		scope_candidates(&b, mq);
	}
	sql_add(&b, " LIMIT :cap)");
	if ((rc = sql_kept(st, &b, &q)) < 0)
		return rc;
	bind_int(q, ":d", mq->as_of);
	bind_text(q, ":scope", mq->scope);
	bind_text(q, ":org", mq->org);
	bind_text(q, ":match", match);
	bind_int(q, ":cap", cap);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(q, 0);
		rc = 0;
	} else {
		rc = coso_db_error(st, "read");
	}
	coso_db_give_back(st, q);
	return rc;
}

/* The first walk's budget: BUDGET_WALK, more for a deeper page; the tests
 * set COSO_MEMBERS_BUDGET (ticks) to make every walk give up early, so that
 * the plans after it are taken. */
static long walk_budget(const struct id_page *pg)
{
	const char *env = getenv("COSO_MEMBERS_BUDGET");
	long t = env && *env ? strtol(env, NULL, 10) : 0;

	return t > 0 ? t : BUDGET_WALK + (long)((pg->offset + pg->limit) / 20);
}

/* temp.access_member: the members a limited reader may see (the access
 * rule, store_access.h), by search number, so that the reader's list walks
 * them in name order. Built once per reader, day and registry version (the
 * access sets' key); only for a small scope (a commune's: the caller
 * checks), as it costs a test of the rule for each of its members. */
static int access_members(coso_store *st)
{
	if (st->access_key[0] && strcmp(st->access_member_key, st->access_key) == 0)
		return 0;
	st->access_member_key[0] = '\0';
	int rc = coso_db_exec(st, "CREATE TEMP TABLE IF NOT EXISTS access_member (n INTEGER PRIMARY KEY);"
			      "DELETE FROM temp.access_member;"
			      "INSERT OR IGNORE INTO temp.access_member (n) SELECT s.n FROM member_period p"
			      " JOIN member_search s ON s.id = p.member_id"
			      " WHERE p.org_code IN (SELECT code FROM temp.access_org)" COSO_ACCESS_MEMBER("s.id"));

	/* (inside a caller's transaction the key is not kept, as the access
	 * sets' is not: it is empty then, and the set is built again) */
	if (rc == 0)
		snprintf(st->access_member_key, sizeof(st->access_member_key), "%s", st->access_key);
	return rc;
}

int coso_store_members(coso_store *st, const coso_member_query *mq, coso_member_item_fn fn, void *ctx,
		       long long *total, bool *total_exact)
{
	struct id_page pg = { 0 };
	struct member_items mi = { mq->as_of, fn, ctx };
	sqlite3_stmt *one = NULL;
	char *match = NULL, *words = NULL;
	bool restricted = mq->scope || mq->org || st->access_limited, ok = false, none = false, access;
	long long n_scope = LLONG_MAX, n_words = LLONG_MAX;
	enum member_plan set, walk;
	const char *forced;
	int rc;

	*total = 0;
	*total_exact = true;
	pg.limit = mq->per_page > 0 ? mq->per_page : 50;
	pg.offset = mq->page > 1 ? (mq->page - 1) * pg.limit : 0;
	if (pg.offset + pg.limit > COSO_MEMBERS_MAX_OFFSET)
		return coso_error_set(COSO_EINVALID, "page: only the first %d members of a list are shown:"
				      " narrow it (words of the name, a scope)", COSO_MEMBERS_MAX_OFFSET);
	pg.ids = calloc((size_t)pg.limit, sizeof(*pg.ids));
	if (!pg.ids)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	if (mq->q && (rc = coso_db_search_match(st, mq->q, &match, &none)) < 0)
		goto done;
	if (none) {
		/* a word begins no word of the registry: an empty list */
		rc = 0;
		goto done;
	}
	if (match && (rc = coso_text_fold(mq->q, &words)) < 0)
		goto done;
	/* words in name order: the full-text matches come in that order */
	walk = match && mq->sort == COSO_SORT_NAME ? PLAN_ORDERED : PLAN_WALK;
	/* a limited reader's own list in name order: the members it may see */
	access = st->access_limited && !mq->scope && !mq->org && mq->sort == COSO_SORT_NAME;
	/* A set when one side is small (exact, and its cost is that side's);
	 * else the walk, under a budget; else the smaller set after all. */
	if (restricted && (rc = count_candidates(st, mq, PLAN_SET_SCOPE, NULL, SCOPE_SET_MAX, &n_scope)) < 0)
		goto done;
	/* (not needed by the ordered plan of an unrestricted list: its cost is
	 * its page's, whatever the number of matches) */
	if (match && (restricted || walk != PLAN_ORDERED) &&
	    (rc = count_candidates(st, mq, PLAN_SET_WORDS, match, SET_MAX, &n_words)) < 0)
		goto done;
	/* the smaller side (a member has about three periods); the words' when
	 * there is no scope, the scope's when there are no words */
	set = !restricted || (match && n_words < SET_MAX && n_words < n_scope / 3) ? PLAN_SET_WORDS : PLAN_SET_SCOPE;
	forced = getenv("COSO_MEMBERS_PLAN");
	if (forced && *forced) {
		/* tests: one plan, to its end (all plans give the same rows) */
		enum member_plan p = strcmp(forced, "scope") == 0 && restricted ? PLAN_SET_SCOPE
				   : strcmp(forced, "words") == 0 && match  ? PLAN_SET_WORDS
				   : strcmp(forced, "ordered") == 0 && walk == PLAN_ORDERED ? PLAN_ORDERED
				   : strcmp(forced, "access") == 0 && access ? PLAN_ACCESS
									    : PLAN_WALK;

		if (p != PLAN_ACCESS || (rc = access_members(st)) == 0)
			rc = try_plan(st, mq, p, words, match, -1, &pg, &ok);
	} else if (access && n_scope < SCOPE_SET_MAX && !(match && n_words < ACCESS_WORDS_SET)) {
		/* a commune's reader: its members in name order, each tested
		 * (few matches of rare words: their set, below, is cheaper) */
		if ((rc = access_members(st)) == 0)
			rc = try_plan(st, mq, PLAN_ACCESS, words, match, 0, &pg, &ok);
	} else if (!restricted && !match) {
		rc = try_plan(st, mq, PLAN_WALK, NULL, NULL, 0, &pg, &ok);
	} else if (walk == PLAN_ORDERED && n_words < SET_MAX) {
		/* few matches: read in order, they cost no more than their set */
		rc = try_plan(st, mq, PLAN_ORDERED, words, match, 0, &pg, &ok);
	} else if (walk == PLAN_ORDERED && !(n_scope < SCOPE_SET_MAX && set == PLAN_SET_SCOPE)) {
		if ((rc = try_plan(st, mq, PLAN_ORDERED, words, match, walk_budget(&pg), &pg, &ok)) == 0 && !ok)
			rc = try_plan(st, mq, set, words, match, 0, &pg, &ok);
	} else if (n_words < SET_MAX || n_scope < SCOPE_SET_MAX) {
		rc = try_plan(st, mq, set, words, match, 0, &pg, &ok);
	} else if ((rc = try_plan(st, mq, PLAN_WALK, words, match, walk_budget(&pg), &pg, &ok)) == 0 && !ok) {
		/* Matches can sit far into the sort order (the order of
		 * admission, say): walk again with the budget of their set, when
		 * it is that large. */
		if (set == PLAN_SET_WORDS && (rc = count_candidates(st, mq, PLAN_SET_WORDS, match, WORDS_WALK_MAX,
								    &n_words)) == 0 && n_words > SET_MAX * 4)
			rc = try_plan(st, mq, PLAN_WALK, words, match, n_words / 50 + (pg.offset + pg.limit) / 20,
				      &pg, &ok);
		if (rc == 0 && !ok)
			rc = try_plan(st, mq, set, words, match, 0, &pg, &ok);
	}
	if (rc < 0)
		goto done;
	/* not counted to the end: there are more than counted - 1 */
	*total = pg.done ? pg.counted : pg.counted - 1;
	*total_exact = pg.done;
	/* the page's rows, with the names of their organization and residence */
	{
		struct sql b = { .n = 0 };

		sql_add(&b, "SELECT " MEMBER_COLS " FROM (");
		sql_add(&b, sql_member_from);
		sql_add(&b, sql_member_join);
		sql_add(&b, " WHERE m.id = :id) x");
		if ((rc = sql_kept(st, &b, &one)) < 0)
			goto done;
	}
	bind_int(one, ":d", mq->as_of);
	for (long long i = 0; i < pg.n && rc == 0; i++) {
		bind_text(one, ":id", pg.ids[i]);
		rc = sqlite3_step(one);
		if (rc == SQLITE_ROW)
			rc = member_item_cb(one, &mi, NULL);
		else
			rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "read");
		sqlite3_reset(one);
	}
done:
	if (one)
		coso_db_give_back(st, one);
	id_page_clear(&pg);
	free(pg.ids);
	free(match);
	free(words);
	return rc;
}

int coso_store_member_get(coso_store *st, const char *id, coso_day d, coso_member_item_fn fn, void *ctx)
{
	struct sql b = { .n = 0 };
	sqlite3_stmt *q = NULL;
	struct member_items mi = { d, fn, ctx };
	int rc;

	if ((rc = gate(st, COSO_REF_MEMBER, id, "member")) < 0)
		return rc;
	sql_add(&b, "SELECT " MEMBER_COLS " FROM (");
	sql_add(&b, sql_member_from);
	sql_add(&b, sql_member_join);
	sql_add(&b, " WHERE m.id = :id) x");
	if ((rc = sql_prepare(st, &b, &q)) < 0)
		return rc;
	bind_int(q, ":d", d);
	bind_text(q, ":id", id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		rc = member_item_cb(q, &mi, NULL);
	else if (rc == SQLITE_DONE)
		rc = coso_error_set(COSO_ENOTFOUND, "member %s is not in the registry", id);
	else
		rc = coso_db_error(st, "read");
	sqlite3_finalize(q);
	return rc;
}

static int period_item_cb(sqlite3_stmt *q, void *fn, void *ctx)
{
	coso_period_item it = {
		.row = {
			.member_id = col_text(q, 0), .valid_from = sqlite3_column_int(q, 1),
			.valid_to = sqlite3_column_int(q, 2), .org_code = col_text(q, 3),
			.residence_code = col_text(q, 4),
		},
		.org_name = col_text(q, 5),
		.residence_name = col_text(q, 6),
	};
	return ((coso_period_item_fn)fn)(ctx, &it);
}

int coso_store_member_periods(coso_store *st, const char *id, coso_period_item_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = gate(st, COSO_REF_MEMBER, id, "member")) < 0)
		return rc;
	rc = coso_db_prepare(st,
		"SELECT x.member_id, x.valid_from, x.valid_to, x.org_code, x.residence_code,"
		" " NAME_AS_OF("org_row", "x.org_code", "x.valid_from") ","
		" " NAME_AS_OF("unit_row", "x.residence_code", "x.valid_from")
		" FROM member_period x WHERE x.member_id = ?1 ORDER BY x.valid_from", &q);
	if (rc < 0)
		return rc;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	rc = run_all(st, q, period_item_cb, (void *)fn, ctx);
	sqlite3_finalize(q);
	return rc;
}

/* ---- admissions series ------------------------------------------------------ */

/* The admissions of coso_store_flow (store_report.c), one row each: the
 * organization of the period covering admitted_on, in scope when the scope is
 * its site's unit or an ancestor of it on that day, of commune level when its
 * nearest grassroots organization sits in a commune on that day. */
#define SQL_ADMISSIONS(ADM) \
	"WITH RECURSIVE adm AS (" ADM ")," \
	"ev AS (" \
	" SELECT a.eid, a.day, a.org, coalesce(o.site_unit, i.unit_code) AS unit" \
	" FROM adm a JOIN org_row o ON o.code = a.org AND o.valid_from <= a.day AND a.day < o.valid_to" \
	" LEFT JOIN institution i ON i.code = o.site_institution)," \
	"up (eid, day, cur, depth) AS (" \
	" SELECT eid, day, unit, 0 FROM ev WHERE ?3 IS NOT NULL" \
	" UNION ALL" \
	" SELECT up.eid, up.day, u.parent_code, up.depth + 1 FROM up JOIN unit_row u" \
	"  ON u.code = up.cur AND u.valid_from <= up.day AND up.day < u.valid_to" \
	" WHERE up.cur <> ?3 AND u.parent_code IS NOT NULL AND up.depth < 16)," \
	"inscope AS (SELECT DISTINCT eid FROM up WHERE cur = ?3 UNION ALL SELECT eid FROM ev WHERE ?3 IS NULL)," \
	"gr (eid, day, org, grassroots, site_unit, depth) AS (" \
	" SELECT e.eid, e.day, o.code, o.grassroots, o.site_unit, 0" \
	"  FROM ev e JOIN inscope USING (eid)" \
	"  JOIN org_row o ON o.code = e.org AND o.valid_from <= e.day AND e.day < o.valid_to" \
	" UNION ALL" \
	" SELECT gr.eid, gr.day, p.code, p.grassroots, p.site_unit, gr.depth + 1 FROM gr" \
	"  JOIN org_row o ON o.code = gr.org AND o.valid_from <= gr.day AND gr.day < o.valid_to" \
	"  JOIN org_row p ON p.code = o.parent_code AND p.valid_from <= gr.day AND gr.day < p.valid_to" \
	"  WHERE gr.grassroots = 0 AND gr.depth < 100)," \
	"commune AS (SELECT DISTINCT gr.eid FROM gr JOIN unit_row u ON u.code = gr.site_unit" \
	"  AND u.valid_from <= gr.day AND gr.day < u.valid_to WHERE gr.grassroots = 1 AND u.level = 3)" \
	"SELECT e.day, e.eid IN (SELECT eid FROM commune) FROM ev e JOIN inscope USING (eid) ORDER BY e.day"

static const char sql_admissions[] = SQL_ADMISSIONS(ADM_ALL);
static const char sql_admissions_scoped[] = SQL_ADMISSIONS(ADM_SCOPED);

int coso_store_admissions(coso_store *st, const char *scope, coso_day from, coso_day to,
			  int (*fn)(void *ctx, coso_day day, bool commune_level), void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (scope && !coso_plain_path() && (rc = coso_db_period_orgs(st, scope, from, to)) < 0)
		return rc;
	if ((rc = coso_db_prepare(st, scope && !coso_plain_path() ? sql_admissions_scoped : sql_admissions, &q)) < 0)
		return rc;
	sqlite3_bind_int(q, 1, from);
	sqlite3_bind_int(q, 2, to);
	if (scope)
		sqlite3_bind_text(q, 3, scope, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((rc = fn(ctx, (coso_day)sqlite3_column_int(q, 0), sqlite3_column_int(q, 1) != 0)) != 0)
			goto done;
	rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "read");
done:
	sqlite3_finalize(q);
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.r_porg", NULL, NULL, NULL);
	return rc;
}
