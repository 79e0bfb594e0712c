/*
 * store_report.c: the set-based queries behind every report (db/store.h).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_internal.h"
#include "db/store_plans.h"
#include "util/error.h"

/* ---- report queries ----------------------------------------------------- */

void coso_unit_ref_clear(coso_unit_ref *u)
{
	if (!u)
		return;
	free(u->code);
	free(u->name);
	u->code = u->name = NULL;
}

static char *dup_text(const unsigned char *s)
{
	return strdup(s ? (const char *)s : "");
}

static int ref_from(coso_unit_ref *out, sqlite3_stmt *q, int icode, int iname, int ilevel)
{
	out->code = dup_text(sqlite3_column_text(q, icode));
	out->name = dup_text(sqlite3_column_text(q, iname));
	out->level = ilevel >= 0 ? (coso_level)sqlite3_column_int(q, ilevel) : COSO_LEVEL_NONE;
	if (!out->code || !out->name) {
		coso_unit_ref_clear(out);
		return coso_error_set(COSO_ENOMEM, "out of memory");
	}
	return 0;
}

int coso_store_unit_at(coso_store *st, const char *code, coso_day d, coso_unit_ref *out)
{
	sqlite3_stmt *q = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = coso_db_prepare(st, "SELECT code, name, level, valid_from <= ?2 AND ?2 < valid_to FROM unit_row"
			  " WHERE code = ?1 ORDER BY (valid_from <= ?2 AND ?2 < valid_to) DESC, valid_from DESC LIMIT 1",
			  &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, d);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		bool exists = sqlite3_column_int(q, 3);

		rc = ref_from(out, q, 0, 1, 2);
		if (rc == 0 && !exists) {
			out->name[0] = '\0';
			out->level = COSO_LEVEL_NONE;
			rc = COSO_ENOTFOUND;
		}
	} else if (rc == SQLITE_DONE) {
		rc = coso_error_set(COSO_EINVALID, "unit %s is not in the registry", code);
	} else {
		rc = coso_db_error(st, "report");
	}
	sqlite3_finalize(q);
	return rc;
}

/* Collects (code, name, level) rows of q into a malloc'd array. */
static int collect_refs(coso_store *st, sqlite3_stmt *q, coso_unit_ref **out, size_t *n)
{
	coso_unit_ref *arr = NULL;
	size_t len = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			coso_unit_ref *na = realloc(arr, ncap * sizeof(*na));

			if (!na) {
				rc = coso_error_set(COSO_ENOMEM, "out of memory");
				goto fail;
			}
			arr = na;
			cap = ncap;
		}
		if ((rc = ref_from(&arr[len], q, 0, 1, 2)) < 0)
			goto fail;
		len++;
	}
	if (rc != SQLITE_DONE) {
		rc = coso_db_error(st, "report");
		goto fail;
	}
	*out = arr;
	*n = len;
	return 0;
fail:
	for (size_t i = 0; i < len; i++)
		coso_unit_ref_clear(&arr[i]);
	free(arr);
	return rc;
}

int coso_store_top_units(coso_store *st, coso_day from, coso_day d, coso_unit_ref **out, size_t *n)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	rc = coso_db_prepare(st, "SELECT code, name, level FROM unit_row WHERE parent_code IS NULL"
		     " AND valid_from <= ?2 AND ?2 < valid_to ORDER BY code", &q);
	if (rc < 0)
		return rc;
	sqlite3_bind_int(q, 2, d);
	rc = collect_refs(st, q, out, n);
	sqlite3_finalize(q);
	if (rc < 0 || *n > 0 || from >= d)
		return rc;
	/* None at d: the top units of any day in [from, d], named as last seen. */
	rc = coso_db_prepare(st, "SELECT code, name, level FROM unit_row u WHERE parent_code IS NULL"
		     " AND valid_from <= ?2 AND ?1 < valid_to AND valid_from = (SELECT max(valid_from)"
		     " FROM unit_row v WHERE v.code = u.code AND v.valid_from <= ?2) ORDER BY code", &q);
	if (rc < 0)
		return rc;
	sqlite3_bind_int(q, 1, from);
	sqlite3_bind_int(q, 2, d);
	rc = collect_refs(st, q, out, n);
	sqlite3_finalize(q);
	return rc;
}

/*
 * The subtree of the scope as of a day, each unit tagged with the child of
 * the scope it falls under (NULL for the scope itself). With no scope, the
 * top units are the children. Materialised once per report in temp.r_sub.
 */
#define SUBTREE_CTE \
	"WITH RECURSIVE sub (code, level, child) AS (" \
	" SELECT code, level, CASE WHEN ?1 IS NULL THEN code END FROM unit_row" \
	"  WHERE (code = ?1 OR (?1 IS NULL AND parent_code IS NULL)) AND valid_from <= ?2 AND ?2 < valid_to" \
	" UNION ALL" \
	" SELECT u.code, u.level, coalesce(sub.child, u.code) FROM sub JOIN unit_row u" \
	"  ON u.parent_code = sub.code AND u.valid_from <= ?2 AND ?2 < u.valid_to)"
static const char sql_subtree[] =
	SUBTREE_CTE "INSERT INTO r_sub (code, level, child) SELECT code, level, child FROM sub";

/* Figures per child (child IS NULL: the scope's own rows), as of ?1. The
 * joins start from the subtree (CROSS JOIN fixes SQLite's join order):
 * without statistics it would scan the country's rows and probe the subtree,
 * so a commune's report would cost as much as the country's. */
static const char sql_villages[] =
	"SELECT s.child, count(*),"
	" sum(EXISTS (SELECT 1 FROM org_row o WHERE o.site_unit = s.code AND o.valid_from <= ?1 AND ?1 < o.valid_to)),"
	" sum(NOT EXISTS (SELECT 1 FROM member_period p JOIN member m ON m.id = p.member_id"
	"  WHERE p.residence_code = s.code AND p.valid_from <= ?1 AND ?1 < p.valid_to"
	"  AND m.admitted_on <= ?1 AND ?1 < m.ended_on))"
	" FROM r_sub s WHERE s.level = 4 GROUP BY s.child";

/* The same from the step tables (store_summary.c): one seek per village. */
static const char sql_villages_fast[] =
	"SELECT s.child, count(*),"
	" sum(EXISTS (SELECT 1 FROM org_row o WHERE o.site_unit = s.code AND o.valid_from <= ?1 AND ?1 < o.valid_to)),"
	" sum(coalesce((SELECT r.occupied FROM residence_step r WHERE r.residence_code = s.code AND r.day <= ?1"
	"  ORDER BY r.day DESC LIMIT 1), 0) = 0)"
	" FROM r_sub s WHERE s.level = 4 GROUP BY s.child";

static const char sql_institutions[] =
	"SELECT s.child, i.kind, count(*),"
	" sum(EXISTS (SELECT 1 FROM org_row o WHERE o.site_institution = i.code"
	"  AND o.valid_from <= ?1 AND ?1 < o.valid_to))"
	" FROM r_sub s CROSS JOIN institution i ON i.unit_code = s.code AND i.kind IN ('school', 'health_station')"
	" AND i.valid_from <= ?1 AND ?1 < i.valid_to GROUP BY s.child, i.kind";

/* The organizations in the subtree at ?1 (sitting in one of its units or in
 * an institution of one), each with the child of the scope it falls under:
 * the start of both members queries. */
#define ORGS_IN_SUBTREE \
	"WITH orgs (code, child) AS (" \
	" SELECT o.code, s.child FROM r_sub s CROSS JOIN org_row o ON o.site_unit = s.code" \
	"  WHERE o.valid_from <= ?1 AND ?1 < o.valid_to" \
	" UNION ALL" \
	" SELECT o.code, s.child FROM r_sub s CROSS JOIN institution i ON i.unit_code = s.code" \
	"  CROSS JOIN org_row o ON o.site_institution = i.code WHERE o.valid_from <= ?1 AND ?1 < o.valid_to)"

static const char sql_members[] =
	ORGS_IN_SUBTREE
	"SELECT orgs.child, count(*), sum(m.official_on > ?1)"
	" FROM orgs JOIN member_period p ON p.org_code = orgs.code AND p.valid_from <= ?1 AND ?1 < p.valid_to"
	" JOIN member m ON m.id = p.member_id AND m.admitted_on <= ?1 AND ?1 < m.ended_on"
	" GROUP BY orgs.child";

/* Builds temp.r_sub: the subtree of scope (NULL: all top units) as of d. */
static int build_subtree(coso_store *st, const char *scope, coso_day d)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_exec(st, "DROP TABLE IF EXISTS temp.r_sub;"
			  "CREATE TEMP TABLE r_sub (code TEXT PRIMARY KEY, level INTEGER, child TEXT) WITHOUT ROWID");

	if (rc < 0)
		return rc;
	if ((rc = coso_db_prepare(st, sql_subtree, &q)) < 0)
		return rc;
	if (scope)
		sqlite3_bind_text(q, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, d);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "report");
	sqlite3_finalize(q);
	return rc;
}

/* The profile of the subtree already in temp.r_sub. */
static int profile_on_subtree(coso_store *st, coso_day d, coso_profile *out)
{
	sqlite3_stmt *q = NULL;
	long long pop_villages = 0, pop_communes = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = coso_db_prepare(st, "SELECT u.level, u.kind, count(*), sum(u.border), sum(u.difficult),"
			  " coalesce(sum(u.population), 0) FROM r_sub s CROSS JOIN unit_row u ON u.code = s.code"
			  " AND u.valid_from <= ?1 AND ?1 < u.valid_to GROUP BY u.level, u.kind", &q)) < 0)
		goto done;
	sqlite3_bind_int(q, 1, d);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int level = sqlite3_column_int(q, 0);
		const char *kind = (const char *)sqlite3_column_text(q, 1);
		long long n = sqlite3_column_int64(q, 2), border = sqlite3_column_int64(q, 3),
			  difficult = sqlite3_column_int64(q, 4), pop = sqlite3_column_int64(q, 5);

		if (level == COSO_LEVEL_DISTRICT) {
			out->districts += n;
		} else if (level == COSO_LEVEL_COMMUNE) {
			out->communes += n;
			out->border_communes += border;
			out->difficult_communes += difficult;
			pop_communes += pop;
			if (kind && strcmp(kind, "xã") == 0)
				out->communes_xa += n;
			else if (kind && strcmp(kind, "phường") == 0)
				out->communes_phuong += n;
			else if (kind && strcmp(kind, "thị trấn") == 0)
				out->communes_thi_tran += n;
			else
				out->communes_other += n;
		} else if (level == COSO_LEVEL_VILLAGE) {
			out->villages += n;
			out->difficult_villages += difficult;
			pop_villages += pop;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "report");
	out->population = pop_villages ? pop_villages : pop_communes;
done:
	sqlite3_finalize(q);
	return rc;
}

int coso_store_profile_asof(coso_store *st, const char *scope, coso_day d, coso_profile *out)
{
	int rc = build_subtree(st, scope, d);

	if (rc == 0)
		rc = profile_on_subtree(st, d, out);
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.r_sub", NULL, NULL, NULL);
	return rc;
}

/* The same from the step tables: one seek per organization. */
static const char sql_members_fast[] =
	ORGS_IN_SUBTREE ","
	"counts (child, total, probationary) AS ("
	" SELECT orgs.child, (SELECT total FROM org_step x WHERE x.org_code = orgs.code AND x.day <= ?1"
	"  ORDER BY x.day DESC LIMIT 1),"
	" (SELECT probationary FROM org_step x WHERE x.org_code = orgs.code AND x.day <= ?1"
	"  ORDER BY x.day DESC LIMIT 1) FROM orgs)"
	"SELECT child, coalesce(sum(total), 0), coalesce(sum(probationary), 0) FROM counts GROUP BY child";

/* Finds the index of the child named by column 0 of q (NULL: the scope). */
static long child_index(sqlite3_stmt *q, const coso_unit_ref *children, size_t n)
{
	const char *code = (const char *)sqlite3_column_text(q, 0);

	if (!code)
		return -1;
	/* Children are few (tens, at most a few thousand); sorted by code. */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(children[mid].code, code);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -2;
}

int coso_store_figures_asof(coso_store *st, const char *scope, coso_day d,
			    coso_figures *total, coso_unit_ref **children_out,
			    coso_figures **figs_out, size_t *n_out)
{
	return coso_store_report_asof(st, scope, d, total, NULL, children_out, figs_out, n_out);
}

/* Figures as of d over temp.r_sub (code, level, child): the total over every
 * row, and per child (children sorted by code) into figs (n entries,
 * zeroed by the caller). */
static int figures_on_sub(coso_store *st, coso_day d, const coso_unit_ref *children, size_t n,
			  coso_figures *total, coso_figures *figs)
{
	sqlite3_stmt *q = NULL;
	bool fast = coso_store_summaries_ready(st);
	int rc;

	memset(total, 0, sizeof(*total));
	if ((rc = coso_db_prepare(st, fast ? sql_villages_fast : sql_villages, &q)) < 0)
		goto done;
	sqlite3_bind_int(q, 1, d);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		long i = child_index(q, children, n);
		long long cnt = sqlite3_column_int64(q, 1), org = sqlite3_column_int64(q, 2),
			  white = sqlite3_column_int64(q, 3);

		total->villages_total += cnt;
		total->villages_with_org += org;
		total->villages_without_member += white;
		if (i >= 0) {
			figs[i].villages_total += cnt;
			figs[i].villages_with_org += org;
			figs[i].villages_without_member += white;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = coso_db_error(st, "report");
		goto done;
	}
	sqlite3_finalize(q);
	q = NULL;

	if ((rc = coso_db_prepare(st, sql_institutions, &q)) < 0)
		goto done;
	sqlite3_bind_int(q, 1, d);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		long i = child_index(q, children, n);
		const char *kind = (const char *)sqlite3_column_text(q, 1);
		long long cnt = sqlite3_column_int64(q, 2), org = sqlite3_column_int64(q, 3);
		bool school = kind && strcmp(kind, "school") == 0;

		if (school) {
			total->schools_total += cnt;
			total->schools_with_org += org;
		} else {
			total->health_total += cnt;
			total->health_with_org += org;
		}
		if (i >= 0 && school) {
			figs[i].schools_total += cnt;
			figs[i].schools_with_org += org;
		} else if (i >= 0) {
			figs[i].health_total += cnt;
			figs[i].health_with_org += org;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = coso_db_error(st, "report");
		goto done;
	}
	sqlite3_finalize(q);
	q = NULL;

	if ((rc = coso_db_prepare(st, fast ? sql_members_fast : sql_members, &q)) < 0)
		goto done;
	sqlite3_bind_int(q, 1, d);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		long i = child_index(q, children, n);
		long long cnt = sqlite3_column_int64(q, 1), prob = sqlite3_column_int64(q, 2);

		total->members_total += cnt;
		total->members_probationary += prob;
		if (i >= 0) {
			figs[i].members_total += cnt;
			figs[i].members_probationary += prob;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "report");
done:
	sqlite3_finalize(q);
	return rc;
}

/* The children named by `sql` (binding ?1 to day), their figures as of d
 * over temp.r_sub, into the report's outputs. */
static int figures_of_children(coso_store *st, const char *sql, coso_day day, coso_day d,
			       coso_figures *total, coso_unit_ref **children_out,
			       coso_figures **figs_out, size_t *n_out)
{
	sqlite3_stmt *q = NULL;
	coso_unit_ref *children = NULL;
	coso_figures *figs = NULL;
	size_t n = 0;
	int rc;

	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	sqlite3_bind_int(q, 1, day);
	rc = collect_refs(st, q, &children, &n);
	sqlite3_finalize(q);
	if (rc < 0)
		return rc;
	figs = calloc(n ? n : 1, sizeof(*figs));
	if (!figs)
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
	else
		rc = figures_on_sub(st, d, children, n, total, figs);
	if (rc < 0) {
		for (size_t i = 0; i < n; i++)
			coso_unit_ref_clear(&children[i]);
		free(children);
		free(figs);
		return rc;
	}
	*children_out = children;
	*figs_out = figs;
	*n_out = n;
	return 0;
}

int coso_store_report_asof(coso_store *st, const char *scope, coso_day d,
			   coso_figures *total, coso_profile *profile, coso_unit_ref **children_out,
			   coso_figures **figs_out, size_t *n_out)
{
	int rc;

	memset(total, 0, sizeof(*total));
	*children_out = NULL;
	*figs_out = NULL;
	*n_out = 0;
	if ((rc = build_subtree(st, scope, d)) < 0)
		goto done;
	if (profile && (rc = profile_on_subtree(st, d, profile)) < 0)
		goto done;
	/* The children: units of the subtree whose parent at d is the scope. */
	rc = figures_of_children(st, "SELECT s.code, u.name, u.level FROM r_sub s CROSS JOIN unit_row u"
				 " ON u.code = s.code AND u.valid_from <= ?1 AND ?1 < u.valid_to"
				 " WHERE s.code = s.child ORDER BY s.code", d, d, total, children_out, figs_out, n_out);
done:
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.r_sub", NULL, NULL, NULL);
	return rc;
}

/*
 * Flows in a period. Each event (an admission, a founding, a dissolution)
 * has a day and a unit where it happened; it is in scope when the scope is
 * that unit or one of its ancestors on that day, found by walking up the
 * tree of that day.
 */
/* the rows of org_row to read: all, or those of the candidate organizations */
#define ORGS_ALL " FROM org_row o WHERE 1"
#define ORGS_SCOPED " FROM temp.r_porg r CROSS JOIN org_row o ON o.code = r.code WHERE 1"

#define SQL_EVENTS(ADM, ORGS) \
	"CREATE TEMP TABLE r_event AS " \
	/* admissions: the org of the period covering admitted_on, its site's unit */ \
	"WITH adm AS (" ADM ")," \
	"adm_site AS (" \
	" SELECT a.eid, a.day, a.org, coalesce(o.site_unit, i.unit_code) AS unit" \
	" FROM adm a JOIN org_row o ON o.code = a.org AND o.valid_from <= a.day AND a.day < o.valid_to" \
	" LEFT JOIN institution i ON i.code = o.site_institution)," \
	/* founded: the first row of an org, when it starts in the period */ \
	"firsts AS (" \
	" SELECT o.code, o.valid_from AS day, o.site_unit, o.site_institution" ORGS \
	" AND o.valid_from BETWEEN ?1 AND ?2 AND NOT EXISTS (SELECT 1 FROM org_row e" \
	"  WHERE e.code = o.code AND e.valid_from < o.valid_from))," \
	/* dissolved: the last row of an org, when it ends in the period; its last day */ \
	"lasts AS (" \
	" SELECT o.code, o.valid_to - 1 AS day, o.site_unit, o.site_institution" ORGS \
	" AND o.valid_to BETWEEN ?1 AND ?2 AND NOT EXISTS (SELECT 1 FROM org_row e" \
	"  WHERE e.code = o.code AND e.valid_from > o.valid_from))" \
	"SELECT 'a' AS ev, eid, day, unit, org, NULL AS cat FROM adm_site" \
	" UNION ALL SELECT 'f', f.code, f.day, coalesce(f.site_unit, i.unit_code), f.code," \
	"  CASE WHEN f.site_unit IS NOT NULL THEN (SELECT CASE WHEN u.level = 4 THEN 0 ELSE 3 END FROM unit_row u" \
	"   WHERE u.code = f.site_unit AND u.valid_from <= f.day AND f.day < u.valid_to)" \
	"  WHEN i.kind = 'school' THEN 1 WHEN i.kind = 'health_station' THEN 2 ELSE 3 END" \
	"  FROM firsts f LEFT JOIN institution i ON i.code = f.site_institution" \
	" UNION ALL SELECT 'd', l.code, l.day, coalesce(l.site_unit, i.unit_code), l.code," \
	"  CASE WHEN l.site_unit IS NOT NULL THEN (SELECT CASE WHEN u.level = 4 THEN 0 ELSE 3 END FROM unit_row u" \
	"   WHERE u.code = l.site_unit AND u.valid_from <= l.day AND l.day < u.valid_to)" \
	"  WHEN i.kind = 'school' THEN 1 WHEN i.kind = 'health_station' THEN 2 ELSE 3 END" \
	"  FROM lasts l LEFT JOIN institution i ON i.code = l.site_institution"

static const char sql_events[] = SQL_EVENTS(ADM_ALL, ORGS_ALL);
static const char sql_events_scoped[] = SQL_EVENTS(ADM_SCOPED, ORGS_SCOPED);

/* temp.r_porg: every organization that may have sat under `scope` on some
 * day of [from, to] (the day before `from` too: a dissolution's last day):
 * sited in a unit whose row, in that time, had a parent among the scope and
 * the units found so far, or in an institution of such a unit. A superset:
 * each event of these is then checked on its own day (sql_in_scope), so a
 * period report costs the scope's history, not the country's. */
int coso_db_period_orgs(coso_store *st, const char *scope, coso_day from, coso_day to)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO temp.r_porg (code)"
		" WITH RECURSIVE ever (code) AS (SELECT ?3"
		"  UNION SELECT u.code FROM ever JOIN unit_row u ON u.parent_code = ever.code"
		"   AND u.valid_from <= ?2 AND u.valid_to >= ?1)"
		" SELECT o.code FROM ever e JOIN org_row o ON o.site_unit = e.code AND o.valid_from <= ?2 AND o.valid_to >= ?1"
		" UNION SELECT o.code FROM ever e JOIN institution i ON i.unit_code = e.code"
		"  JOIN org_row o ON o.site_institution = i.code AND o.valid_from <= ?2 AND o.valid_to >= ?1";
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_exec(st, "DROP TABLE IF EXISTS temp.r_porg;"
			       "CREATE TEMP TABLE r_porg (code TEXT PRIMARY KEY) WITHOUT ROWID")) < 0)
		return rc;
	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	sqlite3_bind_int(q, 1, from);
	sqlite3_bind_int(q, 2, to);
	sqlite3_bind_text(q, 3, scope, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "report");
	sqlite3_finalize(q);
	return rc;
}

/* Creates temp.r_event: the events of [from, to] (sql: sql_events or
 * sql_events_scoped). */
static int make_events(coso_store *st, const char *sql, coso_day from, coso_day to)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_prepare(st, sql, &q);

	if (rc < 0)
		return rc;
	sqlite3_bind_int(q, 1, from);
	sqlite3_bind_int(q, 2, to);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "report");
	sqlite3_finalize(q);
	return rc;
}

/* Events in scope ?1 (NULL: all): walk up the tree of each event's day.
 * r_in is keyed, so that joining it back to the events is a lookup. */
static const char sql_in_scope[] =
	"INSERT OR IGNORE INTO r_in (ev, eid) "
	"WITH RECURSIVE up (ev, eid, day, cur, depth) AS ("
	" SELECT ev, eid, day, unit, 0 FROM r_event WHERE ?1 IS NOT NULL"
	" UNION ALL"
	" SELECT up.ev, up.eid, up.day, u.parent_code, up.depth + 1 FROM up JOIN unit_row u"
	"  ON u.code = up.cur AND u.valid_from <= up.day AND up.day < u.valid_to"
	" WHERE up.cur <> ?1 AND u.parent_code IS NOT NULL AND up.depth < 16)"
	"SELECT ev, eid FROM up WHERE cur = ?1"
	" UNION ALL SELECT ev, eid FROM r_event WHERE ?1 IS NULL";

/* Admissions of commune level: the admitting org's nearest grassroots org
 * (itself or an ancestor, on that day) sits in a unit of level commune. */
static const char sql_flow_counts[] =
	"WITH RECURSIVE gr (eid, day, org, grassroots, site_unit, depth) AS ("
	" SELECT e.eid, e.day, o.code, o.grassroots, o.site_unit, 0"
	"  FROM r_event e JOIN r_in USING (ev, eid)"
	"  JOIN org_row o ON o.code = e.org AND o.valid_from <= e.day AND e.day < o.valid_to WHERE e.ev = 'a'"
	" UNION ALL"
	" SELECT gr.eid, gr.day, p.code, p.grassroots, p.site_unit, gr.depth + 1 FROM gr"
	"  JOIN org_row o ON o.code = gr.org AND o.valid_from <= gr.day AND gr.day < o.valid_to"
	"  JOIN org_row p ON p.code = o.parent_code AND p.valid_from <= gr.day AND gr.day < p.valid_to"
	"  WHERE gr.grassroots = 0 AND gr.depth < 100)"
	"SELECT 'c', NULL, count(*) FROM gr JOIN unit_row u ON u.code = gr.site_unit"
	"  AND u.valid_from <= gr.day AND gr.day < u.valid_to WHERE gr.grassroots = 1 AND u.level = 3"
	" UNION ALL SELECT e.ev, e.cat, count(*) FROM r_event e JOIN r_in USING (ev, eid) GROUP BY e.ev, e.cat";

/* The flows of [from, to]; in_scope fills temp.r_in from temp.r_event,
 * binding ?1 to scope; `scoped`: the events may start from the scope's
 * organizations of the period. */
static int flow_with(coso_store *st, const char *scope, coso_day from, coso_day to, const char *in_scope,
		     bool scoped, coso_flow *out)
{
	sqlite3_stmt *q = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = coso_db_exec(st, "DROP TABLE IF EXISTS temp.r_event; DROP TABLE IF EXISTS temp.r_in;"
			       "CREATE TEMP TABLE r_in (ev TEXT, eid TEXT, PRIMARY KEY (ev, eid)) WITHOUT ROWID")) < 0)
		return rc;
	/* a scope's events start from the organizations that sat under it in
	 * the period (main's walk); a frame's from every organization, since
	 * the tree of another day decides */
	scoped = scoped && scope && !coso_plain_path();
	if (scoped && (rc = coso_db_period_orgs(st, scope, from, to)) < 0)
		goto done;
	if ((rc = make_events(st, scoped ? sql_events_scoped : sql_events, from, to)) < 0)
		goto done;
	if ((rc = coso_db_prepare(st, in_scope, &q)) < 0)
		goto done;
	if (scope)
		sqlite3_bind_text(q, 1, scope, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE) {
		rc = coso_db_error(st, "report");
		goto done;
	}
	sqlite3_finalize(q);
	q = NULL;
	if ((rc = coso_db_prepare(st, sql_flow_counts, &q)) < 0)
		goto done;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *ev = (const char *)sqlite3_column_text(q, 0);
		int cat = sqlite3_column_type(q, 1) == SQLITE_NULL ? COSO_SITE_OTHER : sqlite3_column_int(q, 1);
		long long cnt = sqlite3_column_int64(q, 2);

		if (cat < 0 || cat >= COSO_SITE_MAX)
			cat = COSO_SITE_OTHER;
		if (!ev)
			continue;
		if (ev[0] == 'c')
			out->admissions_commune = cnt;
		else if (ev[0] == 'a')
			out->admissions += cnt;
		else if (ev[0] == 'f')
			out->founded[cat] += cnt;
		else if (ev[0] == 'd')
			out->dissolved[cat] += cnt;
	}
	rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "report");
done:
	sqlite3_finalize(q);
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.r_event; DROP TABLE IF EXISTS temp.r_in;"
		     " DROP TABLE IF EXISTS temp.r_porg", NULL, NULL, NULL);
	return rc;
}

int coso_store_flow(coso_store *st, const char *scope, coso_day from, coso_day to, coso_flow *out)
{
	return flow_with(st, scope, from, to, sql_in_scope, true, out);
}

/* ---- the frame: the tree of one day, the facts of another ------------------------- */

/* temp.r_tsub: the subtree of the scope (?1) at t (?2), as r_sub. */
static const char sql_frame_subtree[] =
	SUBTREE_CTE "INSERT INTO r_tsub (code, level, child) SELECT code, level, child FROM sub";

/* temp.r_tanc: each unit of r_tsub with itself and its ancestors in r_tsub. */
static const char sql_frame_ancestors[] =
	"WITH RECURSIVE a (code, anc, depth) AS ("
	" SELECT code, code, 0 FROM r_tsub"
	" UNION ALL"
	" SELECT a.code, u.parent_code, a.depth + 1 FROM a JOIN unit_row u ON u.code = a.anc"
	"  AND u.valid_from <= ?1 AND ?1 < u.valid_to"
	"  WHERE u.parent_code IN (SELECT code FROM r_tsub) AND a.depth < 16)"
	"INSERT OR IGNORE INTO r_tanc (code, anc) SELECT code, anc FROM a";

/* temp.r_map, first the codes that exist at t: themselves. */
static const char sql_frame_map_alive[] =
	"INSERT INTO r_map (code, tcode) SELECT code, code FROM unit_row WHERE valid_from <= ?1 AND ?1 < valid_to";

/* The codes that do not exist at t, with how many units ever under them
 * (through the parents of any period) exist at t. */
static const char sql_frame_gone[] =
	"WITH RECURSIVE e (child, parent) AS ("
	" SELECT DISTINCT code, parent_code FROM unit_row WHERE parent_code IS NOT NULL),"
	"gone (code) AS (SELECT DISTINCT code FROM unit_row WHERE code NOT IN (SELECT code FROM r_map)),"
	"dn (x, c, depth) AS ("
	" SELECT code, code, 0 FROM gone"
	" UNION SELECT dn.x, e.child, dn.depth + 1 FROM dn JOIN e ON e.parent = dn.c WHERE dn.depth < 16)"
	"INSERT INTO r_dn (x, c) SELECT DISTINCT dn.x, dn.c FROM dn WHERE dn.c IN (SELECT code FROM r_map)";

/* A gone code with surviving units under it: the deepest unit of the frame
 * that is an ancestor (or itself) of all of them and of its level or above
 * (a commune never maps to a village, a district to a commune). None when
 * some lie outside the frame's scope. */
static const char sql_frame_map_lca[] =
	"WITH n (x, cnt, level) AS (SELECT d.x, count(*), (SELECT max(u.level) FROM unit_row u WHERE u.code = d.x)"
	" FROM r_dn d GROUP BY d.x),"
	"cand (x, anc, hits) AS (SELECT d.x, a.anc, count(*) FROM r_dn d JOIN r_tanc a ON a.code = d.c"
	" GROUP BY d.x, a.anc),"
	"best (x, anc, depth) AS (SELECT c.x, c.anc, (SELECT count(*) FROM r_tanc z WHERE z.code = c.anc)"
	" FROM cand c JOIN n ON n.x = c.x AND c.hits = n.cnt JOIN r_tsub t ON t.code = c.anc AND t.level <= n.level)"
	"INSERT INTO r_map (code, tcode) SELECT x, anc FROM best b"
	" WHERE depth = (SELECT max(depth) FROM best b2 WHERE b2.x = b.x)";

/* A gone code with no surviving unit under it: where its last parent (or
 * that one's last parent, ...) maps. */
static const char sql_frame_map_up[] =
	"WITH RECURSIVE lastp (code, parent) AS ("
	" SELECT u.code, u.parent_code FROM unit_row u WHERE u.valid_from ="
	"  (SELECT max(v.valid_from) FROM unit_row v WHERE v.code = u.code)),"
	"alone (code) AS (SELECT DISTINCT code FROM unit_row WHERE code NOT IN (SELECT code FROM r_map)"
	" AND code NOT IN (SELECT x FROM r_dn)),"
	"up (x, c, depth) AS ("
	" SELECT a.code, l.parent, 1 FROM alone a JOIN lastp l ON l.code = a.code WHERE l.parent IS NOT NULL"
	" UNION ALL"
	" SELECT up.x, l.parent, up.depth + 1 FROM up JOIN lastp l ON l.code = up.c"
	"  WHERE up.c NOT IN (SELECT code FROM r_map) AND l.parent IS NOT NULL AND up.depth < 16),"
	"hit (x, tcode, depth) AS (SELECT up.x, m.tcode, up.depth FROM up JOIN r_map m ON m.code = up.c)"
	"INSERT INTO r_map (code, tcode) SELECT x, tcode FROM hit h WHERE depth = (SELECT min(depth) FROM hit h2 WHERE h2.x = h.x)";

/* Runs sql with ?1 bound to day t. */
static int exec_on_day(coso_store *st, const char *sql, coso_day t)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_prepare(st, sql, &q);

	if (rc < 0)
		return rc;
	sqlite3_bind_int(q, 1, t);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "report");
	sqlite3_finalize(q);
	return rc;
}

void coso_store_frame_close(coso_store *st)
{
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.r_tsub; DROP TABLE IF EXISTS temp.r_tanc;"
		     "DROP TABLE IF EXISTS temp.r_map; DROP TABLE IF EXISTS temp.r_dn", NULL, NULL, NULL);
}

int coso_store_frame_open(coso_store *st, const char *scope, coso_day t)
{
	sqlite3_stmt *q = NULL;
	int rc;

	coso_store_frame_close(st);
	if ((rc = coso_db_exec(st, "CREATE TEMP TABLE r_tsub (code TEXT PRIMARY KEY, level INTEGER, child TEXT) WITHOUT ROWID;"
			       "CREATE TEMP TABLE r_tanc (code TEXT, anc TEXT, PRIMARY KEY (code, anc)) WITHOUT ROWID;"
			       "CREATE INDEX temp.r_tanc_anc ON r_tanc (anc);"
			       "CREATE TEMP TABLE r_map (code TEXT PRIMARY KEY, tcode TEXT) WITHOUT ROWID;"
			       "CREATE TEMP TABLE r_dn (x TEXT, c TEXT, PRIMARY KEY (x, c)) WITHOUT ROWID")) < 0)
		goto fail;
	/* the subtree: ?1 scope (NULL: every top unit), ?2 the day */
	if ((rc = coso_db_prepare(st, sql_frame_subtree, &q)) < 0)
		goto fail;
	if (scope)
		sqlite3_bind_text(q, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, t);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "report");
	sqlite3_finalize(q);
	q = NULL;
	/* SQLite copies what an INSERT reads of its own table first: the walk
	 * up sees r_map as it was before it */
	if (rc < 0 || (rc = exec_on_day(st, sql_frame_ancestors, t)) < 0 ||
	    (rc = exec_on_day(st, sql_frame_map_alive, t)) < 0 ||
	    (rc = coso_db_exec(st, sql_frame_gone)) < 0 || (rc = coso_db_exec(st, sql_frame_map_lca)) < 0 ||
	    (rc = coso_db_exec(st, sql_frame_map_up)) < 0)
		goto fail;
	return 0;
fail:
	sqlite3_finalize(q);
	coso_store_frame_close(st);
	return rc;
}

/* The units of the frame down to communes, parents before children: a walk
 * from the roots (units whose parent at t is outside the frame). */
static const char sql_frame_units[] =
	"WITH RECURSIVE w (code, path, depth) AS ("
	" SELECT s.code, s.code, 0 FROM r_tsub s JOIN unit_row u ON u.code = s.code AND u.valid_from <= ?1"
	"  AND ?1 < u.valid_to WHERE s.level <= 3 AND (u.parent_code IS NULL"
	"  OR u.parent_code NOT IN (SELECT code FROM r_tsub))"
	" UNION ALL"
	" SELECT u.code, w.path || '/' || u.code, w.depth + 1 FROM w JOIN unit_row u ON u.parent_code = w.code"
	"  AND u.valid_from <= ?1 AND ?1 < u.valid_to WHERE u.level <= 3 AND w.depth < 16)"
	"SELECT w.code, u.name, u.level, w.depth FROM w JOIN unit_row u ON u.code = w.code"
	" AND u.valid_from <= ?1 AND ?1 < u.valid_to ORDER BY w.path";

int coso_store_frame_units(coso_store *st, coso_day t, coso_unit_ref **out, long **parents_out, size_t *n)
{
	sqlite3_stmt *q = NULL;
	long *parents = NULL, stack[20];
	int rc;

	*parents_out = NULL;
	if ((rc = coso_db_prepare(st, sql_frame_units, &q)) < 0)
		return rc;
	sqlite3_bind_int(q, 1, t);
	rc = collect_refs(st, q, out, n);
	if (rc < 0)
		goto done;
	parents = calloc(*n ? *n : 1, sizeof(*parents));
	if (!parents) {
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
		goto done;
	}
	/* the depths again, in the same order */
	sqlite3_reset(q);
	for (size_t i = 0; i < *n && sqlite3_step(q) == SQLITE_ROW; i++) {
		int depth = sqlite3_column_int(q, 3);

		if (depth < 0 || depth >= 20)
			depth = 19;
		stack[depth] = (long)i;
		parents[i] = depth > 0 ? stack[depth - 1] : -1;
	}
	*parents_out = parents;
	parents = NULL;
done:
	if (rc < 0 && *out) {
		for (size_t i = 0; i < *n; i++)
			coso_unit_ref_clear(&(*out)[i]);
		free(*out);
		*out = NULL;
		*n = 0;
	}
	free(parents);
	sqlite3_finalize(q);
	return rc;
}

/* temp.r_sub for the facts of d (?1) on the frame: every unit that exists at
 * d, once per unit of the frame (down to communes) it maps into. */
static const char sql_frame_sub_all[] =
	"INSERT OR IGNORE INTO r_sub (code, level, child)"
	" SELECT u.code, u.level, a.anc FROM unit_row u JOIN r_map m ON m.code = u.code"
	" JOIN r_tanc a ON a.code = m.tcode JOIN r_tsub s ON s.code = a.anc AND s.level <= 3"
	" WHERE u.valid_from <= ?1 AND ?1 < u.valid_to";

int coso_store_frame_figures(coso_store *st, coso_day d, coso_frame_fig_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	coso_unit_ref *units = NULL;
	coso_figures *figs = NULL, total;
	size_t n = 0;
	int rc;

	if ((rc = coso_db_exec(st, "DROP TABLE IF EXISTS temp.r_sub;"
			       "CREATE TEMP TABLE r_sub (code TEXT, level INTEGER, child TEXT,"
			       " PRIMARY KEY (child, code)) WITHOUT ROWID")) < 0)
		return rc;
	if ((rc = exec_on_day(st, sql_frame_sub_all, d)) < 0)
		goto done;
	if ((rc = coso_db_prepare(st, "SELECT code, code, level FROM r_tsub WHERE level <= 3 ORDER BY code", &q)) < 0)
		goto done;
	rc = collect_refs(st, q, &units, &n);
	if (rc < 0)
		goto done;
	figs = calloc(n ? n : 1, sizeof(*figs));
	if (!figs) {
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = figures_on_sub(st, d, units, n, &total, figs)) < 0)
		goto done;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = fn(ctx, units[i].code, &figs[i]);
done:
	sqlite3_finalize(q);
	for (size_t i = 0; i < n; i++)
		coso_unit_ref_clear(&units[i]);
	free(units);
	free(figs);
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.r_sub", NULL, NULL, NULL);
	return rc;
}

/* Each event of temp.r_event once per unit of the frame it maps into; the
 * admissions of commune level (as in sql_flow_counts) again as 'c'. */
static const char sql_frame_events[] =
	"WITH RECURSIVE gr (eid, day, org, grassroots, site_unit, depth) AS ("
	" SELECT e.eid, e.day, o.code, o.grassroots, o.site_unit, 0 FROM r_event e"
	"  JOIN org_row o ON o.code = e.org AND o.valid_from <= e.day AND e.day < o.valid_to WHERE e.ev = 'a'"
	" UNION ALL"
	" SELECT gr.eid, gr.day, p.code, p.grassroots, p.site_unit, gr.depth + 1 FROM gr"
	"  JOIN org_row o ON o.code = gr.org AND o.valid_from <= gr.day AND gr.day < o.valid_to"
	"  JOIN org_row p ON p.code = o.parent_code AND p.valid_from <= gr.day AND gr.day < p.valid_to"
	"  WHERE gr.grassroots = 0 AND gr.depth < 100),"
	"communal (eid) AS (SELECT gr.eid FROM gr JOIN unit_row u ON u.code = gr.site_unit"
	"  AND u.valid_from <= gr.day AND gr.day < u.valid_to WHERE gr.grassroots = 1 AND u.level = 3),"
	"ev (ev, eid, day, unit, cat) AS ("
	" SELECT ev, eid, day, unit, cat FROM r_event"
	" UNION ALL SELECT 'c', e.eid, e.day, e.unit, NULL FROM r_event e WHERE e.ev = 'a'"
	"  AND e.eid IN (SELECT eid FROM communal))"
	"SELECT ev.ev, ev.cat, ev.day, a.anc FROM ev JOIN r_map m ON m.code = ev.unit"
	" JOIN r_tanc a ON a.code = m.tcode JOIN r_tsub s ON s.code = a.anc AND s.level <= 3";

int coso_store_frame_events(coso_store *st, coso_day from, coso_day to, coso_frame_event_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_exec(st, "DROP TABLE IF EXISTS temp.r_event")) < 0)
		return rc;
	if ((rc = make_events(st, sql_events, from, to)) < 0)
		goto done;
	if ((rc = coso_db_prepare(st, sql_frame_events, &q)) < 0)
		goto done;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *ev = (const char *)sqlite3_column_text(q, 0);
		int cat = sqlite3_column_type(q, 1) == SQLITE_NULL ? COSO_SITE_OTHER : sqlite3_column_int(q, 1);

		if (cat < 0 || cat >= COSO_SITE_MAX)
			cat = COSO_SITE_OTHER;
		if (ev && (rc = fn(ctx, (const char *)sqlite3_column_text(q, 3), ev[0], cat,
				   sqlite3_column_int(q, 2))) < 0)
			goto done;
	}
	rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "report");
done:
	sqlite3_finalize(q);
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.r_event", NULL, NULL, NULL);
	return rc;
}

/* temp.r_sub for the contract's report on the frame: every unit that exists
 * at d (?1) mapped into the scope's subtree of t, with t's child. */
static const char sql_frame_sub_children[] =
	"INSERT INTO r_sub (code, level, child) SELECT u.code, u.level, s.child FROM unit_row u"
	" JOIN r_map m ON m.code = u.code JOIN r_tsub s ON s.code = m.tcode"
	" WHERE u.valid_from <= ?1 AND ?1 < u.valid_to";

int coso_store_report_asof_tree(coso_store *st, const char *scope, coso_day d, coso_day t,
				coso_figures *total, coso_profile *profile, coso_unit_ref **children_out,
				coso_figures **figs_out, size_t *n_out)
{
	int rc;

	memset(total, 0, sizeof(*total));
	*children_out = NULL;
	*figs_out = NULL;
	*n_out = 0;
	if (t == d)
		return coso_store_report_asof(st, scope, d, total, profile, children_out, figs_out, n_out);
	if ((rc = coso_store_frame_open(st, scope, t)) < 0)
		return rc;
	if ((rc = coso_db_exec(st, "DROP TABLE IF EXISTS temp.r_sub;"
			       "CREATE TEMP TABLE r_sub (code TEXT PRIMARY KEY, level INTEGER, child TEXT) WITHOUT ROWID")) < 0)
		goto done;
	if ((rc = exec_on_day(st, sql_frame_sub_children, d)) < 0)
		goto done;
	if (profile && (rc = profile_on_subtree(st, d, profile)) < 0)
		goto done;
	/* the children are those of t's tree, named as of t */
	rc = figures_of_children(st, "SELECT s.code, u.name, u.level FROM r_tsub s CROSS JOIN unit_row u"
				 " ON u.code = s.code AND u.valid_from <= ?1 AND ?1 < u.valid_to"
				 " WHERE s.code = s.child ORDER BY s.code", t, d, total, children_out, figs_out, n_out);
done:
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.r_sub", NULL, NULL, NULL);
	coso_store_frame_close(st);
	return rc;
}

/* Events whose unit maps into the frame's subtree (the scope is the frame's). */
static const char sql_in_frame[] =
	"INSERT OR IGNORE INTO r_in (ev, eid) SELECT e.ev, e.eid FROM r_event e"
	" JOIN r_map m ON m.code = e.unit JOIN r_tsub s ON s.code = m.tcode";

int coso_store_flow_tree(coso_store *st, const char *scope, coso_day from, coso_day to, coso_day t,
			 coso_flow *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = coso_store_frame_open(st, scope, t)) < 0)
		return rc;
	rc = flow_with(st, scope, from, to, sql_in_frame, false, out);
	coso_store_frame_close(st);
	return rc;
}
