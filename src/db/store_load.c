/*
 * store_load.c: loading rows and checking the registry's rules (db/store.h).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_internal.h"
#include "util/error.h"
#include "util/strset.h"

/* ---- loading ------------------------------------------------------------ */

static const struct load_sql {
	const char *table, *key;
	const char *insert;
} load_sql[COSO_FILE_MAX] = {
	[COSO_FILE_UNITS] = { "unit_row", "code",
		"INSERT INTO unit_row (code, valid_from, valid_to, name, level, kind, parent_code,"
		" border, difficult, population) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)" },
	[COSO_FILE_INSTITUTIONS] = { "institution", "code",
		"INSERT INTO institution (code, name, kind, unit_code, valid_from, valid_to)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
	[COSO_FILE_ORGS] = { "org_row", "code",
		"INSERT INTO org_row (code, valid_from, valid_to, name, kind, grassroots, parent_code,"
		" site_unit, site_institution) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)" },
	[COSO_FILE_MEMBERS] = { "member", "id",
		"INSERT INTO member (id, full_name, gender, birth_date, ethnicity, admitted_on,"
		" official_on, ended_on, end_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)" },
	[COSO_FILE_MEMBER_PERIODS] = { "member_period", "member_id",
		"INSERT INTO member_period (member_id, valid_from, valid_to, org_code, residence_code)"
		" VALUES (?1, ?2, ?3, ?4, ?5)" },
};

void coso_db_forget_deferred(coso_store *st)
{
	for (size_t i = 0; i < st->n_deferred; i++)
		free(st->deferred_indexes[i]);
	free(st->deferred_indexes);
	st->deferred_indexes = NULL;
	st->n_deferred = 0;
}

/*
 * Loading into an empty table: its secondary indexes are dropped now and
 * built again by coso_store_load_end(), since sorting all keys once is much
 * faster than inserting them one by one in random order. Inside the load's
 * transaction, so a rollback brings them back as they were.
 */
static int defer_indexes(coso_store *st, const char *table)
{
	sqlite3_stmt *q = NULL;
	int rc;

	coso_db_forget_deferred(st);
	if ((rc = coso_db_prepare(st, "SELECT name, sql FROM sqlite_schema WHERE type = 'index'"
				  " AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY name", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		char **nv = realloc(st->deferred_indexes, (st->n_deferred + 1) * sizeof(*nv));
		const char *sql = (const char *)sqlite3_column_text(q, 1);

		if (nv)
			st->deferred_indexes = nv;
		if (!nv || !sql) {
			sqlite3_finalize(q);
			return coso_error_set(COSO_ENOMEM, "out of memory");
		}
		if (!(st->deferred_indexes[st->n_deferred] = strdup(sql))) {
			sqlite3_finalize(q);
			return coso_error_set(COSO_ENOMEM, "out of memory");
		}
		st->n_deferred++;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return coso_db_error(st, "load");
	for (size_t i = 0; i < st->n_deferred; i++) {
		/* "CREATE INDEX name ON ..." -> "DROP INDEX name" */
		const char *p = st->deferred_indexes[i] + strlen("CREATE INDEX ");
		char drop[256];

		snprintf(drop, sizeof(drop), "DROP INDEX %.*s", (int)strcspn(p, " "), p);
		if ((rc = coso_db_exec(st, drop)) < 0)
			return rc;
	}
	return 0;
}

int coso_store_load_begin(coso_store *st, coso_file file)
{
	const struct load_sql *ls = &load_sql[file];
	sqlite3_stmt *q = NULL;
	char sql[256];
	int rc;

	coso_db_load_finalize(st);
	st->load_file = file;
	snprintf(sql, sizeof(sql), "SELECT NOT EXISTS (SELECT 1 FROM %s)", ls->table);
	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	st->load_fresh = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	st->fresh[file] = st->load_fresh;
	st->loaded[file] = true;
	if (st->load_fresh && (rc = defer_indexes(st, ls->table)) < 0)
		return rc;
	if (st->load_fresh && (file == COSO_FILE_MEMBERS || file == COSO_FILE_MEMBER_PERIODS))
		coso_store_mark_all(st);
	if ((rc = coso_db_prepare(st, ls->insert, &st->ins)) < 0)
		return rc;
	if (st->load_fresh)
		return 0;
	if ((rc = coso_db_exec(st, "CREATE TEMP TABLE IF NOT EXISTS load_seen (file INTEGER NOT NULL,"
			   " k TEXT NOT NULL, PRIMARY KEY (file, k)) WITHOUT ROWID")) < 0)
		return rc;
	if ((rc = coso_db_prepare(st, "INSERT OR IGNORE INTO load_seen (file, k) VALUES (?1, ?2)", &st->seen)) < 0)
		return rc;
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s = ?1", ls->table, ls->key);
	return coso_db_prepare(st, sql, &st->del);
}

/* Before the first row of `key` in this load, drops the key's stored rows. */
static int replace_key(coso_store *st, const char *key)
{
	if (st->load_fresh)
		return 0;
	sqlite3_bind_int(st->seen, 1, (int)st->load_file);
	sqlite3_bind_text(st->seen, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st->seen) != SQLITE_DONE) {
		sqlite3_reset(st->seen);
		return coso_db_error(st, "load");
	}
	sqlite3_reset(st->seen);
	if (sqlite3_changes(st->db) == 0)
		return 0;
	/* the counts of the cells and villages this member leaves must change */
	if ((st->load_file == COSO_FILE_MEMBERS || st->load_file == COSO_FILE_MEMBER_PERIODS) &&
	    coso_store_mark_member(st, key) < 0)
		return COSO_EIO;
	sqlite3_bind_text(st->del, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st->del) != SQLITE_DONE) {
		sqlite3_reset(st->del);
		return coso_db_error(st, "load");
	}
	sqlite3_reset(st->del);
	return 0;
}

static void bind_text_or_null(sqlite3_stmt *q, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

/* Runs the prepared insert; a duplicate key is COSO_ECONFLICT. */
static int run_insert(coso_store *st)
{
	int rc = sqlite3_step(st->ins);

	sqlite3_reset(st->ins);
	sqlite3_clear_bindings(st->ins);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return coso_error_set(COSO_ECONFLICT, "duplicate key");
	return coso_db_error(st, "load");
}

int coso_store_add_unit(coso_store *st, const coso_unit_row *r)
{
	sqlite3_stmt *q = st->ins;
	int rc = replace_key(st, r->code);

	if (rc < 0)
		return rc;
	sqlite3_bind_text(q, 1, r->code, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, r->valid_from);
	sqlite3_bind_int(q, 3, r->valid_to);
	sqlite3_bind_text(q, 4, r->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, (int)r->level);
	sqlite3_bind_text(q, 6, r->kind, -1, SQLITE_STATIC);
	bind_text_or_null(q, 7, r->parent_code);
	sqlite3_bind_int(q, 8, r->border);
	sqlite3_bind_int(q, 9, r->difficult);
	if (r->population >= 0)
		sqlite3_bind_int64(q, 10, r->population);
	else
		sqlite3_bind_null(q, 10);
	return run_insert(st);
}

int coso_store_add_institution(coso_store *st, const coso_institution_row *r)
{
	sqlite3_stmt *q = st->ins;
	int rc = replace_key(st, r->code);

	if (rc < 0)
		return rc;
	sqlite3_bind_text(q, 1, r->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, r->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, r->unit_code, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, r->valid_from);
	sqlite3_bind_int(q, 6, r->valid_to);
	return run_insert(st);
}

int coso_store_add_org(coso_store *st, const coso_org_row *r)
{
	sqlite3_stmt *q = st->ins;
	int rc = replace_key(st, r->code);

	if (rc < 0)
		return rc;
	sqlite3_bind_text(q, 1, r->code, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, r->valid_from);
	sqlite3_bind_int(q, 3, r->valid_to);
	sqlite3_bind_text(q, 4, r->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 6, r->grassroots);
	bind_text_or_null(q, 7, r->parent_code);
	bind_text_or_null(q, 8, r->site_unit);
	bind_text_or_null(q, 9, r->site_institution);
	return run_insert(st);
}

int coso_store_add_member(coso_store *st, const coso_member_row *r)
{
	sqlite3_stmt *q = st->ins;
	int rc = replace_key(st, r->id);

	if (rc < 0)
		return rc;
	sqlite3_bind_text(q, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, r->full_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, r->gender, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, r->birth_date);
	sqlite3_bind_text(q, 5, r->ethnicity, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 6, r->admitted_on);
	sqlite3_bind_int(q, 7, r->official_on);
	sqlite3_bind_int(q, 8, r->ended_on);
	bind_text_or_null(q, 9, r->end_reason);
	if ((rc = run_insert(st)) < 0)
		return rc;
	return st->load_fresh ? 0 : coso_store_mark_member(st, r->id);
}

int coso_store_add_period(coso_store *st, const coso_period_row *r)
{
	sqlite3_stmt *q = st->ins;
	int rc = replace_key(st, r->member_id);

	if (rc < 0)
		return rc;
	sqlite3_bind_text(q, 1, r->member_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, r->valid_from);
	sqlite3_bind_int(q, 3, r->valid_to);
	sqlite3_bind_text(q, 4, r->org_code, -1, SQLITE_STATIC);
	bind_text_or_null(q, 5, r->residence_code);
	if ((rc = run_insert(st)) < 0)
		return rc;
	if (st->load_fresh)
		return 0;
	if ((rc = coso_store_mark_code(st, 0, r->org_code)) < 0)
		return rc;
	return coso_store_mark_code(st, 1, r->residence_code);
}

int coso_store_load_end(coso_store *st)
{
	int rc = 0;

	coso_db_load_finalize(st);
	for (size_t i = 0; i < st->n_deferred && rc == 0; i++)
		rc = coso_db_build_index(st, st->deferred_indexes[i]);
	coso_db_forget_deferred(st);
	return rc;
}

/* ---- validation ---------------------------------------------------------- */

/* Each check is one query returning (key, valid_from, message) for every
 * row that breaks the rule. The rules are FORMAT.md's. */
static const struct check {
	coso_file file;
	const char *column;
	const char *sql;
} checks[] = {
	/* Rows of one code follow each other without gap or overlap. */
	{ COSO_FILE_UNITS, "valid_from",
	  "SELECT code, valid_from, CASE WHEN prev_to > valid_from"
	  " THEN 'overlaps the previous row of unit ' || code || ' (' || per(prev_from, prev_to) || ')'"
	  " ELSE 'leaves a gap after the previous row of unit ' || code || ', which ends ' || d(prev_to) END"
	  " FROM (SELECT code, valid_from, LAG(valid_from) OVER w AS prev_from, LAG(valid_to) OVER w AS prev_to"
	  " FROM unit_row WINDOW w AS (PARTITION BY code ORDER BY valid_from))"
	  " WHERE prev_to IS NOT NULL AND prev_to <> valid_from" },
	{ COSO_FILE_UNITS, "parent_code",
	  "SELECT code, valid_from, 'required for a ' || lvl(level) || ' (only a province has no parent)'"
	  " FROM unit_row WHERE parent_code IS NULL AND level <> 1" },
	{ COSO_FILE_UNITS, "parent_code",
	  "SELECT u.code, u.valid_from, CASE WHEN s.code IS NULL"
	  " THEN 'unit ' || u.parent_code || ' does not exist'"
	  " ELSE 'unit ' || u.parent_code || ' does not exist for the whole period ' || per(u.valid_from, u.valid_to)"
	  " || ' (it exists ' || per(s.f, s.t) || ')' END"
	  " FROM unit_row u LEFT JOIN span_unit s ON s.code = u.parent_code"
	  " WHERE u.parent_code IS NOT NULL AND (s.code IS NULL OR s.f > u.valid_from OR s.t < u.valid_to)" },
	{ COSO_FILE_UNITS, "parent_code",
	  "SELECT u.code, u.valid_from, 'unit ' || p.code || ' is a ' || lvl(p.level) || ' '"
	  " || per(max(p.valid_from, u.valid_from), min(p.valid_to, u.valid_to))"
	  " || ': a parent must be of a higher level than a ' || lvl(u.level)"
	  " FROM unit_row u JOIN unit_row p ON p.code = u.parent_code"
	  " AND p.valid_from < u.valid_to AND u.valid_from < p.valid_to"
	  " WHERE p.level >= u.level GROUP BY u.code, u.valid_from" },
	{ COSO_FILE_INSTITUTIONS, "unit_code",
	  "SELECT i.code, " "-10000000" ", CASE WHEN s.code IS NULL"
	  " THEN 'unit ' || i.unit_code || ' does not exist'"
	  " ELSE 'unit ' || i.unit_code || ' does not exist for the whole period ' || per(i.valid_from, i.valid_to)"
	  " || ' (it exists ' || per(s.f, s.t) || ')' END"
	  " FROM institution i LEFT JOIN span_unit s ON s.code = i.unit_code"
	  " WHERE s.code IS NULL OR s.f > i.valid_from OR s.t < i.valid_to" },
	{ COSO_FILE_ORGS, "valid_from",
	  "SELECT code, valid_from, CASE WHEN prev_to > valid_from"
	  " THEN 'overlaps the previous row of organization ' || code || ' (' || per(prev_from, prev_to) || ')'"
	  " ELSE 'leaves a gap after the previous row of organization ' || code || ', which ends ' || d(prev_to) END"
	  " FROM (SELECT code, valid_from, LAG(valid_from) OVER w AS prev_from, LAG(valid_to) OVER w AS prev_to"
	  " FROM org_row WINDOW w AS (PARTITION BY code ORDER BY valid_from))"
	  " WHERE prev_to IS NOT NULL AND prev_to <> valid_from" },
	{ COSO_FILE_ORGS, "parent_code",
	  "SELECT o.code, o.valid_from, CASE WHEN s.code IS NULL"
	  " THEN 'organization ' || o.parent_code || ' does not exist'"
	  " ELSE 'organization ' || o.parent_code || ' does not exist for the whole period '"
	  " || per(o.valid_from, o.valid_to) || ' (it exists ' || per(s.f, s.t) || ')' END"
	  " FROM org_row o LEFT JOIN span_org s ON s.code = o.parent_code"
	  " WHERE o.parent_code IS NOT NULL AND (s.code IS NULL OR s.f > o.valid_from OR s.t < o.valid_to)" },
	{ COSO_FILE_ORGS, "site_unit",
	  "SELECT o.code, o.valid_from, CASE WHEN s.code IS NULL"
	  " THEN 'unit ' || o.site_unit || ' does not exist'"
	  " ELSE 'unit ' || o.site_unit || ' does not exist for the whole period '"
	  " || per(o.valid_from, o.valid_to) || ' (it exists ' || per(s.f, s.t) || ')' END"
	  " FROM org_row o LEFT JOIN span_unit s ON s.code = o.site_unit"
	  " WHERE o.site_unit IS NOT NULL AND (s.code IS NULL OR s.f > o.valid_from OR s.t < o.valid_to)" },
	{ COSO_FILE_ORGS, "site_institution",
	  "SELECT o.code, o.valid_from, CASE WHEN i.code IS NULL"
	  " THEN 'institution ' || o.site_institution || ' does not exist'"
	  " ELSE 'institution ' || o.site_institution || ' does not exist for the whole period '"
	  " || per(o.valid_from, o.valid_to) || ' (it exists ' || per(i.valid_from, i.valid_to) || ')' END"
	  " FROM org_row o LEFT JOIN institution i ON i.code = o.site_institution"
	  " WHERE o.site_institution IS NOT NULL"
	  " AND (i.code IS NULL OR i.valid_from > o.valid_from OR i.valid_to < o.valid_to)" },
	/* A cycle exists at the latest start among its rows, so walking up from
	 * every row on its first day finds every cycle. */
	{ COSO_FILE_ORGS, "parent_code",
	  "WITH RECURSIVE walk (code, vfrom, day, cur, depth) AS ("
	  " SELECT code, valid_from, valid_from, parent_code, 1 FROM org_row WHERE parent_code IS NOT NULL"
	  " UNION ALL"
	  " SELECT w.code, w.vfrom, w.day, o.parent_code, w.depth + 1 FROM walk w"
	  " JOIN org_row o ON o.code = w.cur AND o.valid_from <= w.day AND w.day < o.valid_to"
	  " WHERE w.cur <> w.code AND o.parent_code IS NOT NULL AND w.depth < 100)"
	  " SELECT code, vfrom, 'organization ' || code || ' would be its own ancestor on ' || d(day)"
	  " || ' (a cycle of parents)' FROM walk WHERE cur = code GROUP BY code, vfrom" },
	/* The rules of member periods (an existing member, no overlap, no gap
	 * while active, a first period from admitted_on, at least one period,
	 * an organization and a village that exist for the whole period) are
	 * checked by check_members() below in one ordered pass over member and
	 * member_period. */
};

/* Whether the row of `key` in `file` came from the load in progress. */
static bool was_touched(coso_store *st, sqlite3_stmt *q, coso_file file, const char *key)
{
	bool touched;

	if (!st->loaded[file])
		return false;
	if (st->fresh[file])
		return true;
	sqlite3_bind_int(q, 1, (int)file);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	touched = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_reset(q);
	return touched;
}

struct touch_ctx {
	coso_store *st;
	sqlite3_stmt *seen;
};

static bool touched_cb(void *ctx, coso_file file, const char *key)
{
	struct touch_ctx *t = ctx;

	return was_touched(t->st, t->seen, file, key);
}

struct member_cursor {
	sqlite3_stmt *q;
	bool done;
	const char *id;
	coso_day admitted_on, ended_on;
	int periods;    /* periods seen for the current member */
	coso_day prev_from, prev_to;
};

static int member_next(coso_store *st, struct member_cursor *m)
{
	int rc = sqlite3_step(m->q);

	m->periods = 0;
	if (rc == SQLITE_DONE) {
		m->done = true;
		return 0;
	}
	if (rc != SQLITE_ROW)
		return coso_db_error(st, "validation");
	m->id = (const char *)sqlite3_column_text(m->q, 0);
	m->admitted_on = sqlite3_column_int(m->q, 1);
	m->ended_on = sqlite3_column_int(m->q, 2);
	return 0;
}

/* The days each code of unit_row or org_row exists, first to last (the
 * temp.span_unit and temp.span_org of coso_store_validate), by the code's
 * index in a string set: a period's organization and village are looked up
 * here rather than in SQLite, for millions of periods. */
struct spans {
	coso_strset *codes;
	coso_day *from, *to;
};

static void spans_free(struct spans *s)
{
	coso_strset_free(s->codes);
	free(s->from);
	free(s->to);
}

static int spans_load(coso_store *st, const char *table, struct spans *s)
{
	sqlite3_stmt *q = NULL;
	size_t cap = 0, i;
	char sql[128];
	int rc;

	if ((rc = coso_strset_new(&s->codes)) < 0)
		return rc;
	snprintf(sql, sizeof(sql), "SELECT code, f, t FROM temp.%s", table);
	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if ((rc = coso_strset_add(s->codes, (const char *)sqlite3_column_text(q, 0),
					  (size_t)sqlite3_column_bytes(q, 0), &i)) < 0)
			break;
		if (i >= cap) {
			coso_day *f, *t;

			cap = cap ? cap * 2 : 1024;
			f = realloc(s->from, cap * sizeof(*f));
			if (f)
				s->from = f;
			t = f ? realloc(s->to, cap * sizeof(*t)) : NULL;
			if (t)
				s->to = t;
			if (!f || !t) {
				rc = coso_error_set(COSO_ENOMEM, "out of memory");
				break;
			}
		}
		s->from[i] = sqlite3_column_int(q, 1);
		s->to[i] = sqlite3_column_int(q, 2);
	}
	sqlite3_finalize(q);
	if (rc < 0)
		return rc;
	return rc == SQLITE_DONE ? 0 : coso_db_error(st, "validation");
}

/* The problem of a period [from, to) in `code` ("organization" or "unit"
 * `what`) into msg, or "" when the code exists for the whole period. */
static void span_problem(const struct spans *s, const char *what, const char *code, coso_day from,
			 coso_day to, char *msg, size_t n)
{
	char p1[80], p2[80];
	size_t i;

	msg[0] = '\0';
	if (!coso_strset_find(s->codes, code, strlen(code), &i)) {
		snprintf(msg, n, "%s %s does not exist", what, code);
	} else if (s->from[i] > from || s->to[i] < to) {
		coso_db_period_text(p1, sizeof(p1), from, to);
		coso_db_period_text(p2, sizeof(p2), s->from[i], s->to[i]);
		snprintf(msg, n, "%s %s does not exist for the whole period %s (it exists %s)", what, code, p1, p2);
	}
}

/*
 * Member periods against their members, their organizations and their
 * villages, in one merge of two scans in key order (both tables are keyed
 * by member id first): O(rows), no lookup in SQLite.
 */
static int check_members(coso_store *st, coso_problem_fn fn, void *ctx,
			 bool (*touched)(void *, coso_file, const char *), void *tctx)
{
	struct member_cursor m = { 0 };
	struct spans orgs = { 0 }, units = { 0 };
	sqlite3_stmt *pq = NULL;
	char msg[512], p1[80], p2[80], day[COSO_DATE_BUFSZ];
	int rc, found = 0;

#define REPORT(FILE, KEY, FROM, COLUMN) do { \
		coso_problem pr = { FILE, KEY, FROM, COLUMN, msg, touched(tctx, FILE, KEY) }; \
		fn(ctx, &pr); \
		found++; \
	} while (0)

	if ((rc = coso_db_prepare(st, "SELECT id, admitted_on, ended_on FROM member ORDER BY id", &m.q)) < 0)
		goto done;
	if ((rc = coso_db_prepare(st, "SELECT member_id, valid_from, valid_to, org_code, residence_code"
				  " FROM member_period ORDER BY member_id, valid_from", &pq)) < 0)
		goto done;
	if ((rc = spans_load(st, "span_org", &orgs)) < 0 || (rc = spans_load(st, "span_unit", &units)) < 0)
		goto done;
	if ((rc = member_next(st, &m)) < 0)
		goto done;
	for (;;) {
		int step = sqlite3_step(pq);
		const char *pid;
		coso_day from, to;
		int c = 1;

		if (step == SQLITE_DONE)
			break;
		if (step != SQLITE_ROW) {
			rc = coso_db_error(st, "validation");
			goto done;
		}
		pid = (const char *)sqlite3_column_text(pq, 0);
		from = sqlite3_column_int(pq, 1);
		to = sqlite3_column_int(pq, 2);
		if (!pid)
			continue;
		span_problem(&orgs, "organization", (const char *)sqlite3_column_text(pq, 3), from, to,
			     msg, sizeof(msg));
		if (msg[0])
			REPORT(COSO_FILE_MEMBER_PERIODS, pid, from, "org_code");
		if (sqlite3_column_type(pq, 4) != SQLITE_NULL) {
			span_problem(&units, "unit", (const char *)sqlite3_column_text(pq, 4), from, to,
				     msg, sizeof(msg));
			if (msg[0])
				REPORT(COSO_FILE_MEMBER_PERIODS, pid, from, "residence_code");
		}
		/* members before this period's member that had no period */
		while (!m.done && (c = strcmp(m.id, pid)) < 0) {
			if (m.periods == 0) {
				snprintf(msg, sizeof(msg), "member %s has no period in member_periods.csv", m.id);
				REPORT(COSO_FILE_MEMBERS, m.id, COSO_DAY_MIN, "id");
			}
			if ((rc = member_next(st, &m)) < 0)
				goto done;
		}
		if (m.done || c != 0) {
			snprintf(msg, sizeof(msg), "member %s is not in members.csv", pid);
			REPORT(COSO_FILE_MEMBER_PERIODS, pid, from, "member_id");
			continue;
		}
		if (m.periods == 0) {
			if (from > m.admitted_on && from < m.ended_on) {
				snprintf(msg, sizeof(msg), "the first period of member %s starts after the admission"
					 " (admitted_on %s)", pid, coso_date_format(day, m.admitted_on));
				REPORT(COSO_FILE_MEMBER_PERIODS, pid, from, "valid_from");
			}
		} else if (m.prev_to > from) {
			coso_db_period_text(p1, sizeof(p1), m.prev_from, m.prev_to);
			snprintf(msg, sizeof(msg), "overlaps the previous period of member %s (%s)", pid, p1);
			REPORT(COSO_FILE_MEMBER_PERIODS, pid, from, "valid_from");
		} else if (m.prev_to < from && m.prev_to < m.ended_on && from > m.admitted_on) {
			/* While a member is active some period covers every day. */
			coso_db_period_text(p1, sizeof(p1), m.prev_to > m.admitted_on ? m.prev_to : m.admitted_on,
				    from < m.ended_on ? from : m.ended_on);
			coso_db_period_text(p2, sizeof(p2), m.admitted_on, m.ended_on);
			snprintf(msg, sizeof(msg), "no period of member %s covers %s, while the member is active (%s)",
				 pid, p1, p2);
			REPORT(COSO_FILE_MEMBER_PERIODS, pid, from, "valid_from");
		}
		m.periods++;
		m.prev_from = from;
		m.prev_to = to;
	}
	for (; !m.done; ) {
		if (m.periods == 0) {
			snprintf(msg, sizeof(msg), "member %s has no period in member_periods.csv", m.id);
			REPORT(COSO_FILE_MEMBERS, m.id, COSO_DAY_MIN, "id");
		}
		if ((rc = member_next(st, &m)) < 0)
			goto done;
	}
#undef REPORT
	rc = found;
done:
	sqlite3_finalize(m.q);
	sqlite3_finalize(pq);
	spans_free(&orgs);
	spans_free(&units);
	return rc;
}

int coso_store_validate(coso_store *st, coso_problem_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL, *seen = NULL;
	int rc, found = 0;

	rc = coso_db_exec(st,
		"CREATE TEMP TABLE IF NOT EXISTS load_seen (file INTEGER NOT NULL,"
		" k TEXT NOT NULL, PRIMARY KEY (file, k)) WITHOUT ROWID;"
		"DROP TABLE IF EXISTS temp.span_unit; DROP TABLE IF EXISTS temp.span_org;"
		"CREATE TEMP TABLE span_unit (code TEXT PRIMARY KEY, f INTEGER, t INTEGER) WITHOUT ROWID;"
		"INSERT INTO span_unit SELECT code, min(valid_from), max(valid_to) FROM unit_row GROUP BY code;"
		"CREATE TEMP TABLE span_org (code TEXT PRIMARY KEY, f INTEGER, t INTEGER) WITHOUT ROWID;"
		"INSERT INTO span_org SELECT code, min(valid_from), max(valid_to) FROM org_row GROUP BY code;");
	if (rc < 0)
		goto done;
	if ((rc = coso_db_prepare(st, "SELECT 1 FROM load_seen WHERE file = ?1 AND k = ?2", &seen)) < 0)
		goto done;
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		const struct check *c = &checks[i];

		if ((rc = coso_db_prepare(st, c->sql, &q)) < 0)
			goto done;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			coso_problem p;

			p.file = c->file;
			p.key = (const char *)sqlite3_column_text(q, 0);
			p.valid_from = (coso_day)sqlite3_column_int(q, 1);
			p.column = c->column;
			p.message = (const char *)sqlite3_column_text(q, 2);
			if (!p.key || !p.message)
				continue;
			p.touched = was_touched(st, seen, c->file, p.key);
			fn(ctx, &p);
			found++;
		}
		if (rc != SQLITE_DONE) {
			rc = coso_db_error(st, "validation");
			goto done;
		}
		sqlite3_finalize(q);
		q = NULL;
	}
	{
		struct touch_ctx t = { st, seen };

		if ((rc = check_members(st, fn, ctx, touched_cb, &t)) < 0)
			goto done;
		found += rc;
	}
	rc = found;
done:
	sqlite3_finalize(q);
	sqlite3_finalize(seen);
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.span_unit; DROP TABLE IF EXISTS temp.span_org;",
		     NULL, NULL, NULL);
	return rc;
}

