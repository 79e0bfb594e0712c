/*
 * store.c: the SQLite engine of the storage module (db/store.h).
 *
 * Everything coso asks of its database is here: loading rows, checking the
 * registry's rules, reading it back, and the set-based queries behind every
 * report. User text only ever reaches SQL through bound parameters.
 */
#include "db/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/schema.h"
#include "util/error.h"

struct coso_store {
	sqlite3 *db;
	/* the load in progress */
	coso_file load_file;
	bool load_fresh;          /* the table was empty: nothing to replace */
	sqlite3_stmt *ins;        /* insert a row */
	sqlite3_stmt *seen;       /* remember a key of this load */
	sqlite3_stmt *del;        /* remove the stored rows of a key */
	bool fresh[COSO_FILE_MAX]; /* per file: loaded into an empty table */
	bool loaded[COSO_FILE_MAX];
};

static int db_error(coso_store *st, const char *what)
{
	return coso_error_set(COSO_EIO, "%s: %s", what, sqlite3_errmsg(st->db));
}

static int exec(coso_store *st, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		coso_error_set(COSO_EIO, "database: %s", err ? err : sqlite3_errmsg(st->db));
		sqlite3_free(err);
		return COSO_EIO;
	}
	return 0;
}

static int prepare(coso_store *st, const char *sql, sqlite3_stmt **out)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK)
		return db_error(st, "cannot prepare a query");
	return 0;
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

/* SQL function per(from, to): a period in words, e.g. "from 2016-01-01 to 2018-05-22". */
static void sql_period(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ], out[80];
	coso_day from = (coso_day)sqlite3_value_int64(argv[0]);
	coso_day to = (coso_day)sqlite3_value_int64(argv[1]);

	(void)argc;
	coso_date_format(a, from);
	coso_date_format(b, to);
	if (from <= COSO_DAY_MIN && to >= COSO_DAY_MAX)
		snprintf(out, sizeof(out), "always");
	else if (from <= COSO_DAY_MIN)
		snprintf(out, sizeof(out), "until %s", b);
	else if (to >= COSO_DAY_MAX)
		snprintf(out, sizeof(out), "from %s on", a);
	else
		snprintf(out, sizeof(out), "from %s to %s", a, b);
	sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

/* SQL function lvl(level): "province" ... "village". */
static void sql_level(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *name = coso_level_name((coso_level)sqlite3_value_int(argv[0]));

	(void)argc;
	sqlite3_result_text(ctx, name ? name : "?", -1, SQLITE_STATIC);
}

int coso_store_open(coso_store **out, const char *path, int flags, bool *created)
{
	coso_store *st = NULL;
	int oflags = (flags & COSO_STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	int rc = COSO_EIO;
	FILE *probe;

	*out = NULL;
	probe = fopen(path, "rb");
	if (probe)
		fclose(probe);
	if (created)
		*created = false;
	if (!probe) {
		if (!(flags & COSO_STORE_CREATE))
			return coso_error_set(COSO_ENOTFOUND, "%s: no such database (import a registry first)", path);
		oflags |= SQLITE_OPEN_CREATE;
		if (created)
			*created = true;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		coso_error_set(COSO_EIO, "%s: cannot open the database: %s", path,
			       st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto done;
	}
	sqlite3_busy_timeout(st->db, 5000);
	sqlite3_extended_result_codes(st->db, 1);
	if (sqlite3_create_function(st->db, "d", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_date, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(st->db, "per", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_period, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(st->db, "lvl", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_level, NULL, NULL) != SQLITE_OK) {
		db_error(st, "cannot register functions");
		goto done;
	}
	if (!(flags & COSO_STORE_READONLY)) {
		/* WAL: readers never block the writer; NORMAL is durable in WAL mode
		 * except for the last transactions on power loss, not on a crash. */
		if (exec(st, "PRAGMA journal_mode = WAL") < 0)
			goto done;
	}
	if (exec(st, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
		     "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536") < 0)
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

static void load_finalize(coso_store *st)
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
	load_finalize(st);
	sqlite3_close_v2(st->db);
	free(st);
}

int coso_store_schema_version(coso_store *st)
{
	sqlite3_stmt *q = NULL;
	int v = -1;

	if (prepare(st, "PRAGMA user_version", &q) == 0 && sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return v;
}

int coso_store_begin(coso_store *st)
{
	memset(st->fresh, 0, sizeof(st->fresh));
	memset(st->loaded, 0, sizeof(st->loaded));
	return exec(st, "BEGIN IMMEDIATE");
}

int coso_store_commit(coso_store *st)
{
	load_finalize(st);
	return exec(st, "COMMIT");
}

void coso_store_rollback(coso_store *st)
{
	load_finalize(st);
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int coso_store_begin_read(coso_store *st)
{
	return exec(st, "BEGIN");
}

void coso_store_end_read(coso_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

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

int coso_store_load_begin(coso_store *st, coso_file file)
{
	const struct load_sql *ls = &load_sql[file];
	sqlite3_stmt *q = NULL;
	char sql[256];
	int rc;

	load_finalize(st);
	st->load_file = file;
	snprintf(sql, sizeof(sql), "SELECT NOT EXISTS (SELECT 1 FROM %s)", ls->table);
	if ((rc = prepare(st, sql, &q)) < 0)
		return rc;
	st->load_fresh = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	st->fresh[file] = st->load_fresh;
	st->loaded[file] = true;
	if ((rc = prepare(st, ls->insert, &st->ins)) < 0)
		return rc;
	if (st->load_fresh)
		return 0;
	if ((rc = exec(st, "CREATE TEMP TABLE IF NOT EXISTS load_seen (file INTEGER NOT NULL,"
			   " k TEXT NOT NULL, PRIMARY KEY (file, k)) WITHOUT ROWID")) < 0)
		return rc;
	if ((rc = prepare(st, "INSERT OR IGNORE INTO load_seen (file, k) VALUES (?1, ?2)", &st->seen)) < 0)
		return rc;
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s = ?1", ls->table, ls->key);
	return prepare(st, sql, &st->del);
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
		return db_error(st, "load");
	}
	sqlite3_reset(st->seen);
	if (sqlite3_changes(st->db) == 0)
		return 0;
	sqlite3_bind_text(st->del, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st->del) != SQLITE_DONE) {
		sqlite3_reset(st->del);
		return db_error(st, "load");
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
	return db_error(st, "load");
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
	return run_insert(st);
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
	return run_insert(st);
}

int coso_store_load_end(coso_store *st)
{
	load_finalize(st);
	return 0;
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
	{ COSO_FILE_MEMBER_PERIODS, "member_id",
	  "SELECT p.member_id, p.valid_from, 'member ' || p.member_id || ' is not in members.csv'"
	  " FROM member_period p WHERE NOT EXISTS (SELECT 1 FROM member m WHERE m.id = p.member_id)" },
	{ COSO_FILE_MEMBER_PERIODS, "valid_from",
	  "SELECT member_id, valid_from, 'overlaps the previous period of member ' || member_id"
	  " || ' (' || per(prev_from, prev_to) || ')'"
	  " FROM (SELECT member_id, valid_from, LAG(valid_from) OVER w AS prev_from, LAG(valid_to) OVER w AS prev_to"
	  " FROM member_period WINDOW w AS (PARTITION BY member_id ORDER BY valid_from))"
	  " WHERE prev_to > valid_from" },
	/* While a member is active (admitted_on up to ended_on) some period covers every day. */
	{ COSO_FILE_MEMBER_PERIODS, "valid_from",
	  "SELECT p.member_id, p.valid_from, 'no period of member ' || p.member_id || ' covers '"
	  " || per(max(p.prev_to, m.admitted_on), min(p.valid_from, m.ended_on))"
	  " || ', while the member is active (' || per(m.admitted_on, m.ended_on) || ')'"
	  " FROM (SELECT member_id, valid_from, LAG(valid_to) OVER w AS prev_to"
	  " FROM member_period WINDOW w AS (PARTITION BY member_id ORDER BY valid_from)) p"
	  " JOIN member m ON m.id = p.member_id"
	  " WHERE p.prev_to < p.valid_from AND p.prev_to < m.ended_on AND p.valid_from > m.admitted_on" },
	{ COSO_FILE_MEMBER_PERIODS, "valid_from",
	  "SELECT p.member_id, p.valid_from, 'the first period of member ' || p.member_id"
	  " || ' starts after the admission (admitted_on ' || d(m.admitted_on) || ')'"
	  " FROM member_period p JOIN member m ON m.id = p.member_id"
	  " WHERE p.valid_from = (SELECT min(valid_from) FROM member_period q WHERE q.member_id = p.member_id)"
	  " AND p.valid_from > m.admitted_on AND p.valid_from < m.ended_on" },
	/* A member with no period at all is in no cell. (A last period may end
	 * before ended_on: the interchange files of other systems do that, and
	 * such a member is then in no scope until a new period starts.) */
	{ COSO_FILE_MEMBERS, "id",
	  "SELECT m.id, -10000000, 'member ' || m.id || ' has no period in member_periods.csv'"
	  " FROM member m WHERE NOT EXISTS (SELECT 1 FROM member_period p WHERE p.member_id = m.id)" },
	{ COSO_FILE_MEMBER_PERIODS, "org_code",
	  "SELECT p.member_id, p.valid_from, CASE WHEN s.code IS NULL"
	  " THEN 'organization ' || p.org_code || ' does not exist'"
	  " ELSE 'organization ' || p.org_code || ' does not exist for the whole period '"
	  " || per(p.valid_from, p.valid_to) || ' (it exists ' || per(s.f, s.t) || ')' END"
	  " FROM member_period p LEFT JOIN span_org s ON s.code = p.org_code"
	  " WHERE s.code IS NULL OR s.f > p.valid_from OR s.t < p.valid_to" },
	{ COSO_FILE_MEMBER_PERIODS, "residence_code",
	  "SELECT p.member_id, p.valid_from, CASE WHEN s.code IS NULL"
	  " THEN 'unit ' || p.residence_code || ' does not exist'"
	  " ELSE 'unit ' || p.residence_code || ' does not exist for the whole period '"
	  " || per(p.valid_from, p.valid_to) || ' (it exists ' || per(s.f, s.t) || ')' END"
	  " FROM member_period p LEFT JOIN span_unit s ON s.code = p.residence_code"
	  " WHERE p.residence_code IS NOT NULL AND (s.code IS NULL OR s.f > p.valid_from OR s.t < p.valid_to)" },
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

int coso_store_validate(coso_store *st, coso_problem_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL, *seen = NULL;
	int rc, found = 0;

	rc = exec(st,
		"CREATE TEMP TABLE IF NOT EXISTS load_seen (file INTEGER NOT NULL,"
		" k TEXT NOT NULL, PRIMARY KEY (file, k)) WITHOUT ROWID;"
		"DROP TABLE IF EXISTS temp.span_unit; DROP TABLE IF EXISTS temp.span_org;"
		"CREATE TEMP TABLE span_unit (code TEXT PRIMARY KEY, f INTEGER, t INTEGER) WITHOUT ROWID;"
		"INSERT INTO span_unit SELECT code, min(valid_from), max(valid_to) FROM unit_row GROUP BY code;"
		"CREATE TEMP TABLE span_org (code TEXT PRIMARY KEY, f INTEGER, t INTEGER) WITHOUT ROWID;"
		"INSERT INTO span_org SELECT code, min(valid_from), max(valid_to) FROM org_row GROUP BY code;");
	if (rc < 0)
		goto done;
	if ((rc = prepare(st, "SELECT 1 FROM load_seen WHERE file = ?1 AND k = ?2", &seen)) < 0)
		goto done;
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		const struct check *c = &checks[i];

		if ((rc = prepare(st, c->sql, &q)) < 0)
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
			rc = db_error(st, "validation");
			goto done;
		}
		sqlite3_finalize(q);
		q = NULL;
	}
	rc = found;
done:
	sqlite3_finalize(q);
	sqlite3_finalize(seen);
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.span_unit; DROP TABLE IF EXISTS temp.span_org;",
		     NULL, NULL, NULL);
	return rc;
}

/* ---- reading back --------------------------------------------------------- */

static const char *col_text(sqlite3_stmt *q, int i)
{
	return (const char *)sqlite3_column_text(q, i);
}

static int each(coso_store *st, const char *sql, int (*row)(sqlite3_stmt *, void *, void *),
		void *fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc = prepare(st, sql, &q);

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
		rc = db_error(st, "read");
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
	if ((rc = prepare(st, "SELECT code, name, level, valid_from <= ?2 AND ?2 < valid_to FROM unit_row"
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
		rc = db_error(st, "report");
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
		rc = db_error(st, "report");
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
	rc = prepare(st, "SELECT code, name, level FROM unit_row WHERE parent_code IS NULL"
		     " AND valid_from <= ?2 AND ?2 < valid_to ORDER BY code", &q);
	if (rc < 0)
		return rc;
	sqlite3_bind_int(q, 2, d);
	rc = collect_refs(st, q, out, n);
	sqlite3_finalize(q);
	if (rc < 0 || *n > 0 || from >= d)
		return rc;
	/* None at d: the top units of any day in [from, d], named as last seen. */
	rc = prepare(st, "SELECT code, name, level FROM unit_row u WHERE parent_code IS NULL"
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

/* Figures per child (child IS NULL: the scope's own rows), as of ?1. */
static const char sql_villages[] =
	"SELECT s.child, count(*),"
	" sum(EXISTS (SELECT 1 FROM org_row o WHERE o.site_unit = s.code AND o.valid_from <= ?1 AND ?1 < o.valid_to)),"
	" sum(NOT EXISTS (SELECT 1 FROM member_period p JOIN member m ON m.id = p.member_id"
	"  WHERE p.residence_code = s.code AND p.valid_from <= ?1 AND ?1 < p.valid_to"
	"  AND m.admitted_on <= ?1 AND ?1 < m.ended_on))"
	" FROM r_sub s WHERE s.level = 4 GROUP BY s.child";

static const char sql_institutions[] =
	"SELECT s.child, i.kind, count(*),"
	" sum(EXISTS (SELECT 1 FROM org_row o WHERE o.site_institution = i.code"
	"  AND o.valid_from <= ?1 AND ?1 < o.valid_to))"
	" FROM r_sub s JOIN institution i ON i.unit_code = s.code AND i.kind IN ('school', 'health_station')"
	" AND i.valid_from <= ?1 AND ?1 < i.valid_to GROUP BY s.child, i.kind";

static const char sql_members[] =
	"WITH orgs (code, child) AS ("
	" SELECT o.code, s.child FROM org_row o JOIN r_sub s ON s.code = o.site_unit"
	"  WHERE o.valid_from <= ?1 AND ?1 < o.valid_to"
	" UNION ALL"
	" SELECT o.code, s.child FROM org_row o JOIN institution i ON i.code = o.site_institution"
	"  JOIN r_sub s ON s.code = i.unit_code WHERE o.valid_from <= ?1 AND ?1 < o.valid_to)"
	"SELECT orgs.child, count(*), sum(m.official_on > ?1)"
	" FROM orgs JOIN member_period p ON p.org_code = orgs.code AND p.valid_from <= ?1 AND ?1 < p.valid_to"
	" JOIN member m ON m.id = p.member_id AND m.admitted_on <= ?1 AND ?1 < m.ended_on"
	" GROUP BY orgs.child";

/* Builds temp.r_sub: the subtree of scope (NULL: all top units) as of d. */
static int build_subtree(coso_store *st, const char *scope, coso_day d)
{
	sqlite3_stmt *q = NULL;
	int rc = exec(st, "DROP TABLE IF EXISTS temp.r_sub;"
			  "CREATE TEMP TABLE r_sub (code TEXT PRIMARY KEY, level INTEGER, child TEXT) WITHOUT ROWID");

	if (rc < 0)
		return rc;
	if ((rc = prepare(st, sql_subtree, &q)) < 0)
		return rc;
	if (scope)
		sqlite3_bind_text(q, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, d);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : db_error(st, "report");
	sqlite3_finalize(q);
	return rc;
}

int coso_store_profile_asof(coso_store *st, const char *scope, coso_day d, coso_profile *out)
{
	sqlite3_stmt *q = NULL;
	long long pop_villages = 0, pop_communes = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = build_subtree(st, scope, d)) < 0)
		goto done;
	if ((rc = prepare(st, "SELECT u.level, u.kind, count(*), sum(u.border), sum(u.difficult),"
			  " coalesce(sum(u.population), 0) FROM r_sub s JOIN unit_row u ON u.code = s.code"
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
	rc = rc == SQLITE_DONE ? 0 : db_error(st, "report");
	out->population = pop_villages ? pop_villages : pop_communes;
done:
	sqlite3_finalize(q);
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.r_sub", NULL, NULL, NULL);
	return rc;
}

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
	sqlite3_stmt *q = NULL;
	coso_unit_ref *children = NULL;
	coso_figures *figs = NULL;
	size_t n = 0;
	int rc;

	memset(total, 0, sizeof(*total));
	*children_out = NULL;
	*figs_out = NULL;
	*n_out = 0;
	if ((rc = build_subtree(st, scope, d)) < 0)
		goto done;

	/* The children: units of the subtree whose parent at d is the scope. */
	if ((rc = prepare(st, "SELECT s.code, u.name, u.level FROM r_sub s JOIN unit_row u ON u.code = s.code"
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

	if ((rc = prepare(st, sql_villages, &q)) < 0)
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
		rc = db_error(st, "report");
		goto done;
	}
	sqlite3_finalize(q);
	q = NULL;

	if ((rc = prepare(st, sql_institutions, &q)) < 0)
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
		rc = db_error(st, "report");
		goto done;
	}
	sqlite3_finalize(q);
	q = NULL;

	if ((rc = prepare(st, sql_members, &q)) < 0)
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
		rc = db_error(st, "report");
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
static const char sql_events[] =
	"CREATE TEMP TABLE r_event AS "
	/* admissions: the org of the period covering admitted_on, its site's unit */
	"WITH adm AS ("
	" SELECT m.id AS eid, m.admitted_on AS day, p.org_code AS org"
	" FROM member m JOIN member_period p ON p.member_id = m.id"
	"  AND p.valid_from <= m.admitted_on AND m.admitted_on < p.valid_to"
	" WHERE m.admitted_on BETWEEN ?1 AND ?2),"
	"adm_site AS ("
	" SELECT a.eid, a.day, a.org, coalesce(o.site_unit, i.unit_code) AS unit"
	" FROM adm a JOIN org_row o ON o.code = a.org AND o.valid_from <= a.day AND a.day < o.valid_to"
	" LEFT JOIN institution i ON i.code = o.site_institution),"
	/* founded: the first row of an org, when it starts in the period */
	"firsts AS ("
	" SELECT o.code, o.valid_from AS day, o.site_unit, o.site_institution FROM org_row o"
	" WHERE o.valid_from BETWEEN ?1 AND ?2 AND NOT EXISTS (SELECT 1 FROM org_row e"
	"  WHERE e.code = o.code AND e.valid_from < o.valid_from)),"
	/* dissolved: the last row of an org, when it ends in the period; its last day */
	"lasts AS ("
	" SELECT o.code, o.valid_to - 1 AS day, o.site_unit, o.site_institution FROM org_row o"
	" WHERE o.valid_to BETWEEN ?1 AND ?2 AND NOT EXISTS (SELECT 1 FROM org_row e"
	"  WHERE e.code = o.code AND e.valid_from > o.valid_from))"
	"SELECT 'a' AS ev, eid, day, unit, org, NULL AS cat FROM adm_site"
	" UNION ALL SELECT 'f', f.code, f.day, coalesce(f.site_unit, i.unit_code), f.code,"
	"  CASE WHEN f.site_unit IS NOT NULL THEN (SELECT CASE WHEN u.level = 4 THEN 0 ELSE 3 END FROM unit_row u"
	"   WHERE u.code = f.site_unit AND u.valid_from <= f.day AND f.day < u.valid_to)"
	"  WHEN i.kind = 'school' THEN 1 WHEN i.kind = 'health_station' THEN 2 ELSE 3 END"
	"  FROM firsts f LEFT JOIN institution i ON i.code = f.site_institution"
	" UNION ALL SELECT 'd', l.code, l.day, coalesce(l.site_unit, i.unit_code), l.code,"
	"  CASE WHEN l.site_unit IS NOT NULL THEN (SELECT CASE WHEN u.level = 4 THEN 0 ELSE 3 END FROM unit_row u"
	"   WHERE u.code = l.site_unit AND u.valid_from <= l.day AND l.day < u.valid_to)"
	"  WHEN i.kind = 'school' THEN 1 WHEN i.kind = 'health_station' THEN 2 ELSE 3 END"
	"  FROM lasts l LEFT JOIN institution i ON i.code = l.site_institution";

/* Events in scope ?1 (NULL: all): walk up the tree of each event's day. */
static const char sql_in_scope[] =
	"CREATE TEMP TABLE r_in AS "
	"WITH RECURSIVE up (ev, eid, day, cur, depth) AS ("
	" SELECT ev, eid, day, unit, 0 FROM r_event WHERE ?1 IS NOT NULL"
	" UNION ALL"
	" SELECT up.ev, up.eid, up.day, u.parent_code, up.depth + 1 FROM up JOIN unit_row u"
	"  ON u.code = up.cur AND u.valid_from <= up.day AND up.day < u.valid_to"
	" WHERE up.cur <> ?1 AND u.parent_code IS NOT NULL AND up.depth < 16)"
	"SELECT DISTINCT ev, eid FROM up WHERE cur = ?1"
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
	if ((rc = exec(st, "DROP TABLE IF EXISTS temp.r_event; DROP TABLE IF EXISTS temp.r_in")) < 0)
		return rc;
	if ((rc = prepare(st, sql_events, &q)) < 0)
		goto done;
	sqlite3_bind_int(q, 1, from);
	sqlite3_bind_int(q, 2, to);
	if (sqlite3_step(q) != SQLITE_DONE) {
		rc = db_error(st, "report");
		goto done;
	}
	sqlite3_finalize(q);
	q = NULL;
	if ((rc = prepare(st, sql_in_scope, &q)) < 0)
		goto done;
	if (scope)
		sqlite3_bind_text(q, 1, scope, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE) {
		rc = db_error(st, "report");
		goto done;
	}
	sqlite3_finalize(q);
	q = NULL;
	if ((rc = prepare(st, sql_flow_counts, &q)) < 0)
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
	rc = rc == SQLITE_DONE ? 0 : db_error(st, "report");
done:
	sqlite3_finalize(q);
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.r_event; DROP TABLE IF EXISTS temp.r_in", NULL, NULL, NULL);
	return rc;
}
