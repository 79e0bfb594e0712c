/*
 * store_report.c: the set-based queries behind every report (db/store.h).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_internal.h"
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
static const char sql_subtree[] =
	"WITH RECURSIVE sub (code, level, child) AS ("
	" SELECT code, level, CASE WHEN ?1 IS NULL THEN code END FROM unit_row"
	"  WHERE (code = ?1 OR (?1 IS NULL AND parent_code IS NULL)) AND valid_from <= ?2 AND ?2 < valid_to"
	" UNION ALL"
	" SELECT u.code, u.level, coalesce(sub.child, u.code) FROM sub JOIN unit_row u"
	"  ON u.parent_code = sub.code AND u.valid_from <= ?2 AND ?2 < u.valid_to)"
	"INSERT INTO r_sub (code, level, child) SELECT code, level, child FROM sub";

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

int coso_store_report_asof(coso_store *st, const char *scope, coso_day d,
			   coso_figures *total, coso_profile *profile, coso_unit_ref **children_out,
			   coso_figures **figs_out, size_t *n_out)
{
	sqlite3_stmt *q = NULL;
	coso_unit_ref *children = NULL;
	coso_figures *figs = NULL;
	size_t n = 0;
	bool fast;
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
	if ((rc = coso_db_prepare(st, "SELECT s.code, u.name, u.level FROM r_sub s CROSS JOIN unit_row u ON u.code = s.code"
			  " AND u.valid_from <= ?1 AND ?1 < u.valid_to WHERE s.code = s.child ORDER BY s.code", &q)) < 0)
		goto done;
	sqlite3_bind_int(q, 1, d);
	if ((rc = collect_refs(st, q, &children, &n)) < 0)
		goto done;
	sqlite3_finalize(q);
	q = NULL;
	figs = calloc(n ? n : 1, sizeof(*figs));
	if (!figs) {
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
		goto done;
	}

	fast = coso_store_summaries_ready(st);
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
	if (rc != SQLITE_DONE) {
		rc = coso_db_error(st, "report");
		goto done;
	}
	*children_out = children;
	*figs_out = figs;
	*n_out = n;
	children = NULL;
	figs = NULL;
	rc = 0;
done:
	sqlite3_finalize(q);
	if (children) {
		for (size_t i = 0; i < n; i++)
			coso_unit_ref_clear(&children[i]);
		free(children);
	}
	free(figs);
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

int coso_store_flow(coso_store *st, const char *scope, coso_day from, coso_day to, coso_flow *out)
{
	sqlite3_stmt *q = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = coso_db_exec(st, "DROP TABLE IF EXISTS temp.r_event; DROP TABLE IF EXISTS temp.r_in;"
			       "CREATE TEMP TABLE r_in (ev TEXT, eid TEXT, PRIMARY KEY (ev, eid)) WITHOUT ROWID")) < 0)
		return rc;
	if (scope && !coso_plain_path() && (rc = coso_db_period_orgs(st, scope, from, to)) < 0)
		goto done;
	if ((rc = coso_db_prepare(st, scope && !coso_plain_path() ? sql_events_scoped : sql_events, &q)) < 0)
		goto done;
	sqlite3_bind_int(q, 1, from);
	sqlite3_bind_int(q, 2, to);
	if (sqlite3_step(q) != SQLITE_DONE) {
		rc = coso_db_error(st, "report");
		goto done;
	}
	sqlite3_finalize(q);
	q = NULL;
	if ((rc = coso_db_prepare(st, sql_in_scope, &q)) < 0)
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
