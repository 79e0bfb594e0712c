/*
 * store_auth.c: users, sessions, failed sign-in attempts (migration 5), and
 * the scope that limits the API's reads (db/store_auth.h).
 *
 * Every value reaches SQL as a bound parameter. The scope's sets are built
 * into temporary tables of the connection (temp_store is MEMORY), which the
 * reads of store_api.c consult through the fragments of db/store_access.h.
 */
#include "db/store_auth.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_access.h"
#include "db/store_audit.h"
#include "db/store_internal.h"
#include "util/error.h"

/* ---- helpers -------------------------------------------------------------------------- */

static char *dup_col(sqlite3_stmt *q, int i, bool *nomem)
{
	const unsigned char *s = sqlite3_column_text(q, i);
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup((const char *)s)))
		*nomem = true;
	return d;
}

void coso_user_clear(coso_user *u)
{
	if (!u)
		return;
	free(u->name);
	free(u->role);
	free(u->scope);
	if (u->pwhash) {
		/* not a secret, but nothing to keep around either */
		memset(u->pwhash, 0, strlen(u->pwhash));
		free(u->pwhash);
	}
	memset(u, 0, sizeof(*u));
}

/* Runs a statement that returns no row; 0 or COSO_EIO. */
static int step_done(coso_store *st, sqlite3_stmt *q, const char *what)
{
	int rc = sqlite3_step(q);

	return rc == SQLITE_DONE ? 0 : coso_db_error(st, what);
}

/* ---- users ------------------------------------------------------------------------------ */

int coso_store_user_add(coso_store *st, const char *name, const char *role, const char *scope, const char *pwhash,
			long long now)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, "INSERT INTO app_user (name, role, scope, pwhash, disabled, created_at)"
				  " VALUES (?1, ?2, ?3, ?4, 0, ?5)", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, role, -1, SQLITE_STATIC);
	if (scope)
		sqlite3_bind_text(q, 3, scope, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, pwhash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, now);
	rc = sqlite3_step(q);
	if (rc == SQLITE_DONE)
		rc = 0;
	else if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		rc = coso_error_set(COSO_ECONFLICT, "user %s already exists", name);
	else
		rc = coso_db_error(st, "cannot add the user");
	sqlite3_finalize(q);
	return rc;
}

#define USER_COLS "u.name, u.role, u.scope, u.pwhash, u.disabled, u.created_at"

static int user_from(sqlite3_stmt *q, int first, coso_user *out)
{
	bool nomem = false;

	memset(out, 0, sizeof(*out));
	out->name = dup_col(q, first, &nomem);
	out->role = dup_col(q, first + 1, &nomem);
	out->scope = dup_col(q, first + 2, &nomem);
	out->pwhash = dup_col(q, first + 3, &nomem);
	out->disabled = sqlite3_column_int(q, first + 4) != 0;
	out->created_at = sqlite3_column_int64(q, first + 5);
	if (nomem || !out->name || !out->role) {
		coso_user_clear(out);
		return coso_error_set(COSO_ENOMEM, "out of memory");
	}
	return 0;
}

int coso_store_user_get(coso_store *st, const char *name, coso_user *out)
{
	sqlite3_stmt *q = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = coso_db_prepare(st, "SELECT " USER_COLS " FROM app_user u WHERE u.name = ?1", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		rc = user_from(q, 0, out);
	else if (rc == SQLITE_DONE)
		rc = coso_error_set(COSO_ENOTFOUND, "no user %s", name);
	else
		rc = coso_db_error(st, "cannot read the user");
	sqlite3_finalize(q);
	return rc;
}

/* Runs `sql` (?1 = name) and then ends the user's sessions, in one
 * transaction (the caller's when one is open); COSO_ENOTFOUND when no user
 * row changed. Returns the number of sessions ended. */
static int change_user(coso_store *st, const char *sql, const char *name, const char *text)
{
	sqlite3_stmt *q = NULL;
	bool own = sqlite3_get_autocommit(st->db) != 0;
	int rc, ended = 0;

	if (own && (rc = coso_db_exec(st, "BEGIN IMMEDIATE")) < 0)
		return rc;
	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		goto done;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if (text)
		sqlite3_bind_text(q, 2, text, -1, SQLITE_STATIC);
	if ((rc = step_done(st, q, "cannot change the user")) < 0)
		goto done;
	if (sqlite3_changes(st->db) == 0) {
		rc = coso_error_set(COSO_ENOTFOUND, "no user %s", name);
		goto done;
	}
	sqlite3_finalize(q);
	q = NULL;
	if ((rc = coso_db_prepare(st, "DELETE FROM app_session WHERE user_name = ?1", &q)) < 0)
		goto done;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if ((rc = step_done(st, q, "cannot end the sessions")) < 0)
		goto done;
	ended = sqlite3_changes(st->db);
	if (own)
		rc = coso_db_exec(st, "COMMIT");
done:
	sqlite3_finalize(q);
	if (own && rc < 0 && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc < 0 ? rc : ended;
}

int coso_store_user_set_password(coso_store *st, const char *name, const char *pwhash)
{
	int rc = change_user(st, "UPDATE app_user SET pwhash = ?2 WHERE name = ?1", name, pwhash);

	return rc < 0 ? rc : 0;
}

int coso_store_user_rehash(coso_store *st, const char *name, const char *pwhash)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, "UPDATE app_user SET pwhash = ?2 WHERE name = ?1", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, pwhash, -1, SQLITE_STATIC);
	rc = step_done(st, q, "cannot change the user");
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		rc = coso_error_set(COSO_ENOTFOUND, "no user %s", name);
	sqlite3_finalize(q);
	return rc;
}

int coso_store_user_disable(coso_store *st, const char *name)
{
	return change_user(st, "UPDATE app_user SET disabled = 1 WHERE name = ?1", name, NULL);
}

int coso_store_users(coso_store *st, int (*fn)(void *ctx, const coso_user *u), void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, "SELECT u.name, u.role, u.scope, NULL, u.disabled, u.created_at,"
				  " (SELECT count(*) FROM app_session s WHERE s.user_name = u.name)"
				  " FROM app_user u ORDER BY u.name", &q)) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		coso_user u;

		if ((rc = user_from(q, 0, &u)) < 0)
			goto done;
		u.sessions = sqlite3_column_int64(q, 6);
		rc = fn(ctx, &u);
		coso_user_clear(&u);
		if (rc != 0)
			goto done;
	}
	rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "cannot read the users");
done:
	sqlite3_finalize(q);
	return rc;
}

int coso_store_user_count(coso_store *st, long long *out)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*out = 0;
	if ((rc = coso_db_prepare(st, "SELECT count(*) FROM app_user WHERE disabled = 0", &q)) < 0)
		return rc;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(q, 0);
	rc = rc == SQLITE_ROW ? 0 : coso_db_error(st, "cannot count the users");
	sqlite3_finalize(q);
	return rc;
}

int coso_store_unit_known(coso_store *st, const char *code)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, "SELECT 1 FROM unit_row WHERE code = ?1 LIMIT 1", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : coso_db_error(st, "read");
	sqlite3_finalize(q);
	return rc;
}

/* ---- sessions ------------------------------------------------------------------------------ */

int coso_store_session_create(coso_store *st, const unsigned char *token_hash, size_t hash_len, const char *user,
			      const char *remote, long long now, long long expires_at)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, "INSERT INTO app_session (token_hash, user_name, created_at, last_seen,"
				  " expires_at, remote) VALUES (?1, ?2, ?3, ?3, ?4, ?5)", &q)) < 0)
		return rc;
	sqlite3_bind_blob(q, 1, token_hash, (int)hash_len, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, now);
	sqlite3_bind_int64(q, 4, expires_at);
	if (remote)
		sqlite3_bind_text(q, 5, remote, -1, SQLITE_STATIC);
	rc = step_done(st, q, "cannot open the session");
	sqlite3_finalize(q);
	return rc;
}

int coso_store_session_end(coso_store *st, const unsigned char *token_hash, size_t hash_len)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, "DELETE FROM app_session WHERE token_hash = ?1", &q)) < 0)
		return rc;
	sqlite3_bind_blob(q, 1, token_hash, (int)hash_len, SQLITE_STATIC);
	rc = step_done(st, q, "cannot end the session");
	sqlite3_finalize(q);
	return rc;
}

int coso_store_session_get(coso_store *st, const unsigned char *token_hash, size_t hash_len, long long now,
			   long long idle, coso_user *out)
{
	sqlite3_stmt *q = NULL;
	long long last_seen = 0, expires_at = 0;
	bool disabled = false;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = coso_db_prepare(st, "SELECT " USER_COLS ", s.last_seen, s.expires_at FROM app_session s"
				  " JOIN app_user u ON u.name = s.user_name WHERE s.token_hash = ?1", &q)) < 0)
		return rc;
	sqlite3_bind_blob(q, 1, token_hash, (int)hash_len, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		last_seen = sqlite3_column_int64(q, 6);
		expires_at = sqlite3_column_int64(q, 7);
		disabled = sqlite3_column_int(q, 4) != 0;
		rc = user_from(q, 0, out);
	} else if (rc == SQLITE_DONE) {
		rc = COSO_ENOTFOUND;
	} else {
		rc = coso_db_error(st, "cannot read the session");
	}
	sqlite3_finalize(q);
	q = NULL;
	if (rc < 0)
		goto fail;
	if (disabled || now >= expires_at || now >= last_seen + idle || now < last_seen - 300) {
		/* over (or a clock gone back more than five minutes): gone */
		coso_user_clear(out);
		if ((rc = coso_store_session_end(st, token_hash, hash_len)) < 0)
			return rc;
		rc = COSO_ENOTFOUND;
		goto fail;
	}
	if (now - last_seen >= 60) {
		if ((rc = coso_db_prepare(st, "UPDATE app_session SET last_seen = ?2 WHERE token_hash = ?1", &q)) < 0)
			goto fail_user;
		sqlite3_bind_blob(q, 1, token_hash, (int)hash_len, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, now);
		rc = step_done(st, q, "cannot record the session's use");
		sqlite3_finalize(q);
		if (rc < 0)
			goto fail_user;
	}
	return 0;
fail_user:
	coso_user_clear(out);
	return rc;
fail:
	if (rc == COSO_ENOTFOUND)
		return coso_error_set(COSO_ENOTFOUND, "no such session, or it has ended");
	return rc;
}

int coso_store_sessions_purge(coso_store *st, long long now, long long idle)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, "DELETE FROM app_session WHERE expires_at <= ?1 OR last_seen + ?2 <= ?1", &q)) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int64(q, 2, idle);
	rc = step_done(st, q, "cannot remove old sessions");
	sqlite3_finalize(q);
	return rc;
}

/* ---- failed sign-in attempts ------------------------------------------------------------ */

int coso_store_attempts(coso_store *st, coso_attempt_kind kind, const char *key, long long since, long long *count,
			long long *oldest)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*count = 0;
	*oldest = 0;
	if ((rc = coso_db_prepare(st, "SELECT count(*), coalesce(min(at), 0) FROM auth_attempt"
				  " WHERE kind = ?1 AND key = ?2 AND at >= ?3", &q)) < 0)
		return rc;
	sqlite3_bind_int(q, 1, (int)kind);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, since);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int64(q, 0);
		*oldest = sqlite3_column_int64(q, 1);
		rc = 0;
	} else {
		rc = coso_db_error(st, "cannot read the sign-in attempts");
	}
	sqlite3_finalize(q);
	return rc;
}

static int attempt_insert(coso_store *st, sqlite3_stmt *q, coso_attempt_kind kind, const char *key, long long now)
{
	sqlite3_reset(q);
	sqlite3_bind_int(q, 1, (int)kind);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, now);
	return step_done(st, q, "cannot record the sign-in attempt");
}

int coso_store_attempt_add(coso_store *st, const char *user, const char *address, long long now,
			   long long forget_before)
{
	sqlite3_stmt *q = NULL;
	bool own = sqlite3_get_autocommit(st->db) != 0;
	int rc;

	if (own && (rc = coso_db_exec(st, "BEGIN IMMEDIATE")) < 0)
		return rc;
	if ((rc = coso_db_prepare(st, "DELETE FROM auth_attempt WHERE at < ?1", &q)) < 0)
		goto done;
	sqlite3_bind_int64(q, 1, forget_before);
	if ((rc = step_done(st, q, "cannot forget old sign-in attempts")) < 0)
		goto done;
	sqlite3_finalize(q);
	q = NULL;
	if ((rc = coso_db_prepare(st, "INSERT INTO auth_attempt (kind, key, at) VALUES (?1, ?2, ?3)", &q)) < 0)
		goto done;
	if (user && (rc = attempt_insert(st, q, COSO_ATTEMPT_USER, user, now)) < 0)
		goto done;
	if (address && (rc = attempt_insert(st, q, COSO_ATTEMPT_ADDRESS, address, now)) < 0)
		goto done;
	if (own)
		rc = coso_db_exec(st, "COMMIT");
done:
	sqlite3_finalize(q);
	if (own && rc < 0 && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int coso_store_attempts_clear(coso_store *st, const char *user)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, "DELETE FROM auth_attempt WHERE kind = ?1 AND key = ?2", &q)) < 0)
		return rc;
	sqlite3_bind_int(q, 1, COSO_ATTEMPT_USER);
	sqlite3_bind_text(q, 2, user, -1, SQLITE_STATIC);
	rc = step_done(st, q, "cannot forget the sign-in attempts");
	sqlite3_finalize(q);
	return rc;
}

/* ---- the scope of reads ------------------------------------------------------------------ */

static const char sql_access_tables[] =
	"CREATE TEMP TABLE IF NOT EXISTS access_root (code TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;"
	"CREATE TEMP TABLE IF NOT EXISTS access_unit (code TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;"
	"CREATE TEMP TABLE IF NOT EXISTS access_org (code TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;"
	"CREATE TEMP TABLE IF NOT EXISTS access_day (today INTEGER NOT NULL);"
	"DELETE FROM temp.access_root; DELETE FROM temp.access_unit; DELETE FROM temp.access_org;"
	" DELETE FROM temp.access_day;";

/* The scope ?1 exists on ?2 (today): it is the root. */
static const char sql_root_self[] =
	"INSERT INTO temp.access_root (code) SELECT ?1 WHERE EXISTS"
	" (SELECT 1 FROM unit_row WHERE code = ?1 AND valid_from <= ?2 AND ?2 < valid_to)";

/* The scope ?1 no longer exists on ?2 (a unit merged or abolished): the
 * units that today hold what it held on its last day. From every unit under
 * it that day (itself included) that still exists, go up today's tree to the
 * highest unit that is not above the scope's level (its own level: a
 * commune's villages give the new commune; or, when that level is gone, the
 * level below it: an abolished district gives the communes that took its
 * villages). */
static const char sql_root_successors[] =
	"WITH RECURSIVE"
	" lastday (d) AS (SELECT max(valid_to) - 1 FROM unit_row WHERE code = ?1 AND valid_to <= ?2),"
	" lvl (l) AS (SELECT level FROM unit_row WHERE code = ?1 ORDER BY valid_from DESC LIMIT 1),"
	" old (code) AS (SELECT ?1 WHERE (SELECT d FROM lastday) IS NOT NULL"
	"  UNION SELECT u.code FROM old JOIN unit_row u ON u.parent_code = old.code"
	"   AND u.valid_from <= (SELECT d FROM lastday) AND (SELECT d FROM lastday) < u.valid_to),"
	" up (start, code, level, depth) AS ("
	"  SELECT u.code, u.code, u.level, 0 FROM old JOIN unit_row u ON u.code = old.code"
	"   AND u.valid_from <= ?2 AND ?2 < u.valid_to"
	"  UNION ALL"
	"  SELECT up.start, p.code, p.level, up.depth + 1 FROM up"
	"   JOIN unit_row u ON u.code = up.code AND u.valid_from <= ?2 AND ?2 < u.valid_to"
	"   JOIN unit_row p ON p.code = u.parent_code AND p.valid_from <= ?2 AND ?2 < p.valid_to"
	"  WHERE up.level > (SELECT l FROM lvl) AND up.depth < 32)"
	" INSERT OR IGNORE INTO temp.access_root (code)"
	" SELECT DISTINCT x.code FROM up x WHERE x.level >= (SELECT l FROM lvl)"
	"  AND NOT EXISTS (SELECT 1 FROM up y WHERE y.start = x.start AND y.level >= (SELECT l FROM lvl)"
	"   AND y.level < x.level)";

/* The visible units: the roots and every unit under them on ?2; and each
 * unit that does not exist on ?2 whose walk up (by each unit's row nearest
 * to ?2: the last before it, else the first) meets the scope ?1 itself or a
 * unit of the first kind. */
static const char sql_units[] =
	"WITH RECURSIVE"
	" sub (code) AS (SELECT code FROM temp.access_root"
	"  UNION SELECT u.code FROM sub JOIN unit_row u ON u.parent_code = sub.code"
	"   AND u.valid_from <= ?2 AND ?2 < u.valid_to),"
	" gone (code, parent) AS ("
	"  SELECT u.code, u.parent_code FROM unit_row u WHERE NOT (u.valid_from <= ?2 AND ?2 < u.valid_to)"
	"   AND u.valid_from = coalesce((SELECT max(r.valid_from) FROM unit_row r WHERE r.code = u.code"
	"    AND r.valid_from <= ?2), (SELECT min(r.valid_from) FROM unit_row r WHERE r.code = u.code))),"
	" walk (code, cur, hit, depth) AS ("
	"  SELECT code, parent, code = ?1, 0 FROM gone"
	"  UNION ALL"
	"  SELECT w.code, g.parent, w.hit OR w.cur = ?1, w.depth + 1 FROM walk w JOIN gone g ON g.code = w.cur"
	"  WHERE w.depth < 32)"
	" INSERT OR IGNORE INTO temp.access_unit (code)"
	" SELECT code FROM sub"
	" UNION SELECT code FROM walk WHERE hit OR cur = ?1 OR cur IN (SELECT code FROM sub)";

/* The visible organizations: sited (by the row covering ?2, else the last
 * before it, else the first) in a visible unit, or in an institution that
 * stands in one (?2: today). */
static const char sql_orgs[] =
	"INSERT OR IGNORE INTO temp.access_org (code)"
	" SELECT o.code FROM org_row o LEFT JOIN institution i ON i.code = o.site_institution"
	" WHERE o.valid_from = coalesce((SELECT max(r.valid_from) FROM org_row r WHERE r.code = o.code"
	"   AND r.valid_from <= ?2), (SELECT min(r.valid_from) FROM org_row r WHERE r.code = o.code))"
	"  AND coalesce(o.site_unit, i.unit_code) IN (SELECT code FROM temp.access_unit)";

static const char sql_day[] = "INSERT INTO temp.access_day (today) VALUES (?2)";

/* Runs one statement of the fill with ?1 = scope, ?2 = today. */
static int fill_step(coso_store *st, const char *sql, const char *scope, coso_day today)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, scope, -1, SQLITE_STATIC);  /* (SQLITE_RANGE when unused: ignored) */
	sqlite3_bind_int(q, 2, today);
	rc = step_done(st, q, "cannot work out the scope");
	sqlite3_finalize(q);
	return rc;
}

int coso_store_set_access(coso_store *st, const char *scope, coso_day today)
{
	char key[sizeof(st->access_key)];
	long long version;
	bool own, cacheable;
	int rc, n;

	if (!scope) {
		st->access_limited = false;
		return 0;
	}
	/* The sets depend on the scope, the day and the registry: they are kept
	 * while none of these changed. The registry's version is the audit
	 * log's head, which every change of it moves (a session's own writes
	 * do not: counting every commit, as data_version does, rebuilt the sets
	 * for nearly every request of a busy server). */
	if ((rc = coso_store_version(st, &version)) < 0)
		goto fail;
	n = snprintf(key, sizeof(key), "%d|%lld|%s", (int)today, version, scope);
	cacheable = n > 0 && (size_t)n < sizeof(key);
	if (cacheable && strcmp(key, st->access_key) == 0) {
		st->access_limited = true;
		return 0;
	}
	st->access_key[0] = '\0';
	own = sqlite3_get_autocommit(st->db) != 0;
	if (own && (rc = coso_db_exec(st, "BEGIN")) < 0)
		goto fail;
	if ((rc = coso_db_exec(st, sql_access_tables)) < 0 ||
	    (rc = fill_step(st, sql_root_self, scope, today)) < 0 ||
	    (sqlite3_changes(st->db) == 0 && (rc = fill_step(st, sql_root_successors, scope, today)) < 0) ||
	    (rc = fill_step(st, sql_units, scope, today)) < 0 ||
	    (rc = fill_step(st, sql_orgs, scope, today)) < 0 ||
	    (rc = fill_step(st, sql_day, scope, today)) < 0) {
		if (own && !sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		goto fail;
	}
	if (own && (rc = coso_db_exec(st, "COMMIT")) < 0)
		goto fail;
	/* kept only when built in a transaction of its own: inside a caller's,
	 * a rollback would take the tables away and leave the key */
	if (cacheable && own)
		snprintf(st->access_key, sizeof(st->access_key), "%s", key);
	st->access_limited = true;
	return 0;
fail:
	/* never leave a connection open to everything by mistake: a failed
	 * fill leaves the tables empty and the reads limited to nothing */
	st->access_key[0] = '\0';
	st->access_limited = true;
	sqlite3_exec(st->db, "DELETE FROM temp.access_unit; DELETE FROM temp.access_org;", NULL, NULL, NULL);
	return rc;
}

bool coso_store_access_limited(coso_store *st)
{
	return st->access_limited;
}

int coso_store_visible(coso_store *st, coso_ref_kind kind, const char *code)
{
	const char *sql;
	sqlite3_stmt *q = NULL;
	int rc;

	if (!st->access_limited)
		return 1;
	switch (kind) {
	case COSO_REF_UNIT:
		sql = "SELECT 1 FROM temp.access_unit WHERE code = ?1";
		break;
	case COSO_REF_ORG:
		sql = "SELECT 1 FROM temp.access_org WHERE code = ?1";
		break;
	case COSO_REF_INSTITUTION:
		sql = "SELECT 1 FROM institution i WHERE i.code = ?1" COSO_ACCESS_UNIT("i.unit_code");
		break;
	case COSO_REF_MEMBER:
		sql = "SELECT 1 FROM member m WHERE m.id = ?1" COSO_ACCESS_MEMBER("m.id");
		break;
	default:
		return 1;
	}
	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : coso_db_error(st, "read");
	sqlite3_finalize(q);
	return rc;
}

int coso_store_access_roots(coso_store *st, int (*fn)(void *ctx, const char *code, const char *name), void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (!st->access_limited)
		return 0;
	/* CROSS JOIN: from the roots (a few rows), not from every unit row (the
	 * planner has no statistics on the temporary table) */
	if ((rc = coso_db_prepare(st, "SELECT r.code, u.name FROM temp.access_root r"
				  " CROSS JOIN unit_row u ON u.code = r.code AND u.valid_from <= (SELECT today FROM temp.access_day)"
				  " AND (SELECT today FROM temp.access_day) < u.valid_to ORDER BY u.level, r.code", &q)) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((rc = fn(ctx, (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1))) != 0)
			goto done;
	rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "read");
done:
	sqlite3_finalize(q);
	return rc;
}
