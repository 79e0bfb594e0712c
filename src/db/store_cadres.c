/*
 * store_cadres.c: the tables of commune cadres (db/store_cadres.h): loading
 * the register files with their replace-by-key rule, the checks of each
 * file as a whole, export, and the queries behind the cadre figures.
 */
#include "db/store_cadres.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_internal.h"
#include "util/error.h"

/* ---- loading -------------------------------------------------------------- */

/* The stored table of each register file and the column that keys it. */
static const struct {
	const char *table, *key;
} tables[COSO_CADRE_TABLE_MAX] = {
	[COSO_CADRE_PEOPLE] = { "cadre_person", "id" },
	[COSO_CADRE_POSITIONS] = { "cadre_position", "person_id" },
	[COSO_CADRE_TRAINING] = { "cadre_training", "person_id" },
	[COSO_CADRE_ROTATIONS] = { "cadre_rotation", "person_id" },
	[COSO_CADRE_STANDARDS] = { "cadre_standard", "post" },
};

int coso_store_cadre_begin(coso_store *st, coso_cadre_table t)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_exec(st, "CREATE TEMP TABLE IF NOT EXISTS cadre_seen (t INTEGER NOT NULL,"
			       " k TEXT NOT NULL, PRIMARY KEY (t, k)) WITHOUT ROWID")) < 0)
		return rc;
	if ((rc = coso_db_prepare(st, "DELETE FROM temp.cadre_seen WHERE t = ?1", &q)) < 0)
		return rc;
	sqlite3_bind_int(q, 1, (int)t);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "load");
	sqlite3_finalize(q);
	return rc;
}

/* Before the first row of `key` in this load of table t, removes the stored
 * rows of that key. */
static int replace_key(coso_store *st, coso_cadre_table t, const char *key)
{
	sqlite3_stmt *q = NULL;
	char sql[128];
	int rc;

	/* kept prepared: a load calls this once a row */
	if ((rc = coso_db_kept(st, "INSERT OR IGNORE INTO temp.cadre_seen (t, k) VALUES (?1, ?2)", &q)) < 0)
		return rc;
	sqlite3_bind_int(q, 1, (int)t);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "load");
	coso_db_give_back(st, q);
	q = NULL;
	if (rc < 0 || sqlite3_changes(st->db) == 0)
		return rc;
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s = ?1", tables[t].table, tables[t].key);
	if ((rc = coso_db_kept(st, sql, &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "load");
	coso_db_give_back(st, q);
	return rc;
}

static void bind_opt_text(sqlite3_stmt *q, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

/* Steps an insert taken with coso_db_kept and bound by the caller: a row
 * already given (the primary key) is COSO_ECONFLICT. Gives q back. */
static int insert_done(coso_store *st, sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);

	if (rc == SQLITE_DONE)
		rc = 0;
	else if ((rc & 0xff) == SQLITE_CONSTRAINT)
		rc = COSO_ECONFLICT;
	else
		rc = coso_db_error(st, "load");
	coso_db_give_back(st, q);
	return rc;
}

int coso_store_add_cadre_person(coso_store *st, const coso_cadre_person_row *r)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = replace_key(st, COSO_CADRE_PEOPLE, r->id)) < 0)
		return rc;
	if ((rc = coso_db_kept(st, "INSERT INTO cadre_person (id, full_name, gender, birth_date, ethnicity,"
				  " member_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, r->full_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, r->gender, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, r->birth_date);
	sqlite3_bind_text(q, 5, r->ethnicity, -1, SQLITE_STATIC);
	bind_opt_text(q, 6, r->member_id);
	return insert_done(st, q);
}

int coso_store_add_cadre_position(coso_store *st, const coso_cadre_position_row *r)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = replace_key(st, COSO_CADRE_POSITIONS, r->person_id)) < 0)
		return rc;
	if ((rc = coso_db_kept(st, "INSERT INTO cadre_position (person_id, post, valid_from, valid_to, unit_code)"
				  " VALUES (?1, ?2, ?3, ?4, ?5)", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, r->person_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, r->post, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, r->valid_from);
	sqlite3_bind_int(q, 4, r->valid_to);
	sqlite3_bind_text(q, 5, r->unit_code, -1, SQLITE_STATIC);
	return insert_done(st, q);
}

int coso_store_add_cadre_training(coso_store *st, const coso_cadre_training_row *r)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = replace_key(st, COSO_CADRE_TRAINING, r->person_id)) < 0)
		return rc;
	if ((rc = coso_db_kept(st, "INSERT INTO cadre_training (person_id, started_on, kind, level, level_rank,"
				  " ended_on, course, sent_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, r->person_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, r->started_on);
	sqlite3_bind_text(q, 3, r->kind, -1, SQLITE_STATIC);
	bind_opt_text(q, 4, r->level);
	sqlite3_bind_int(q, 5, r->level_rank);
	sqlite3_bind_int(q, 6, r->ended_on);
	bind_opt_text(q, 7, r->course);
	bind_opt_text(q, 8, r->sent_by);
	return insert_done(st, q);
}

int coso_store_add_cadre_rotation(coso_store *st, const coso_cadre_rotation_row *r)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = replace_key(st, COSO_CADRE_ROTATIONS, r->person_id)) < 0)
		return rc;
	if ((rc = coso_db_kept(st, "INSERT INTO cadre_rotation (person_id, valid_from, valid_to, from_unit, to_unit)"
				  " VALUES (?1, ?2, ?3, ?4, ?5)", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, r->person_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, r->valid_from);
	sqlite3_bind_int(q, 3, r->valid_to);
	sqlite3_bind_text(q, 4, r->from_unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, r->to_unit, -1, SQLITE_STATIC);
	return insert_done(st, q);
}

int coso_store_add_cadre_standard(coso_store *st, const coso_cadre_standard_row *r)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = replace_key(st, COSO_CADRE_STANDARDS, r->post)) < 0)
		return rc;
	if ((rc = coso_db_kept(st, "INSERT INTO cadre_standard (post, valid_from, valid_to, min_professional,"
				  " professional_rank, min_political_theory, political_rank)"
				  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, r->post, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, r->valid_from);
	sqlite3_bind_int(q, 3, r->valid_to);
	bind_opt_text(q, 4, r->min_professional);
	sqlite3_bind_int(q, 5, r->professional_rank);
	bind_opt_text(q, 6, r->min_political_theory);
	sqlite3_bind_int(q, 7, r->political_rank);
	return insert_done(st, q);
}

/* ---- the posts as a table ---------------------------------------------------- */

/* temp.cadre_post: coso_posts (core/cadres.c) with their order, whether
 * they have one holder at a time, and their default standards. */
static int build_posts(coso_store *st)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_exec(st, "DROP TABLE IF EXISTS temp.cadre_post;"
			      "CREATE TEMP TABLE cadre_post (code TEXT PRIMARY KEY, ord INTEGER, single INTEGER,"
			      " prof INTEGER, pol INTEGER, cat INTEGER) WITHOUT ROWID");

	if (rc < 0)
		return rc;
	if ((rc = coso_db_prepare(st, "INSERT INTO temp.cadre_post VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &q)) < 0)
		return rc;
	for (int i = 0; coso_posts[i].code; i++) {
		const coso_post *p = &coso_posts[i];

		sqlite3_bind_text(q, 1, p->code, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 2, i);
		sqlite3_bind_int(q, 3, p->single);
		sqlite3_bind_int(q, 4, p->default_professional);
		sqlite3_bind_int(q, 5, p->default_political);
		sqlite3_bind_int(q, 6, (int)p->category);
		if (sqlite3_step(q) != SQLITE_DONE) {
			rc = coso_db_error(st, "cadres");
			break;
		}
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	return rc;
}

/* ---- checks ------------------------------------------------------------------- */

/* A unit is a commune on every day of [f, t) when its commune rows span it
 * (the rows of a code follow each other without gap: the registry's check). */
#define SPAN_COMMUNE \
	"DROP TABLE IF EXISTS temp.cadre_span;" \
	"CREATE TEMP TABLE cadre_span (code TEXT PRIMARY KEY, f INTEGER, t INTEGER) WITHOUT ROWID;" \
	"INSERT INTO cadre_span SELECT code, min(valid_from), max(valid_to) FROM unit_row WHERE level = 3 GROUP BY code;"

/* The commune of column `col` of table alias `a` over a's period. */
#define COMMUNE_PROBLEM(a, col) \
	"CASE WHEN s.code IS NULL AND NOT EXISTS (SELECT 1 FROM unit_row u WHERE u.code = " a "." col ")" \
	" THEN 'unit ' || " a "." col " || ' does not exist'" \
	" WHEN s.code IS NULL THEN 'unit ' || " a "." col " || ' is not a commune'" \
	" ELSE 'commune ' || " a "." col " || ' does not exist for the whole period ' || per(" a ".valid_from, " a ".valid_to)" \
	" || ' (it exists ' || per(s.f, s.t) || ')' END"

#define PERSON_MISSING(tbl) \
	"SELECT x.person_id, x." tbl ", 'person ' || x.person_id || ' is not in cadre_people.csv'"

static const struct check {
	coso_cadre_table t;
	const char *column;
	const char *sql; /* (key, valid_from, message) per problem */
} checks[] = {
	{ COSO_CADRE_PEOPLE, "member_id",
	  "SELECT p.id, -10000000, 'member ' || p.member_id || ' is not in members.csv' FROM cadre_person p"
	  " WHERE p.member_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM member m WHERE m.id = p.member_id)" },
	{ COSO_CADRE_PEOPLE, "member_id",
	  "SELECT b.id, -10000000, 'member ' || b.member_id || ' is already person ' || min(a.id)"
	  " FROM cadre_person a JOIN cadre_person b ON a.member_id = b.member_id AND a.id < b.id GROUP BY b.id" },
	{ COSO_CADRE_POSITIONS, "person_id",
	  PERSON_MISSING("valid_from") " FROM cadre_position x"
	  " WHERE NOT EXISTS (SELECT 1 FROM cadre_person p WHERE p.id = x.person_id)" },
	{ COSO_CADRE_POSITIONS, "unit_code",
	  "SELECT c.person_id, c.valid_from, " COMMUNE_PROBLEM("c", "unit_code")
	  " FROM cadre_position c LEFT JOIN temp.cadre_span s ON s.code = c.unit_code"
	  " WHERE s.code IS NULL OR s.f > c.valid_from OR s.t < c.valid_to" },
	/* A chair, a secretary, the commander: one holder at a time. */
	{ COSO_CADRE_POSITIONS, "post",
	  "SELECT b.person_id, b.valid_from, 'post ' || b.post || ' of commune ' || b.unit_code"
	  " || ' has one holder at a time: ' || min(a.person_id) || ' holds it '"
	  " || per(max(a.valid_from, b.valid_from), min(a.valid_to, b.valid_to))"
	  " FROM cadre_position b JOIN temp.cadre_post p ON p.code = b.post AND p.single = 1"
	  " JOIN cadre_position a ON a.unit_code = b.unit_code AND a.post = b.post"
	  "  AND a.valid_from < b.valid_to AND b.valid_from < a.valid_to"
	  "  AND (a.valid_from < b.valid_from OR (a.valid_from = b.valid_from AND a.person_id < b.person_id))"
	  " GROUP BY b.person_id, b.valid_from, b.post" },
	{ COSO_CADRE_POSITIONS, "valid_from",
	  "SELECT b.person_id, b.valid_from, 'overlaps the term of ' || b.person_id || ' in post ' || b.post"
	  " || ' ' || per(a.valid_from, a.valid_to)"
	  " FROM cadre_position b JOIN cadre_position a ON a.person_id = b.person_id AND a.post = b.post"
	  "  AND a.valid_from < b.valid_from AND b.valid_from < a.valid_to" },
	{ COSO_CADRE_TRAINING, "person_id",
	  PERSON_MISSING("started_on") " FROM cadre_training x"
	  " WHERE NOT EXISTS (SELECT 1 FROM cadre_person p WHERE p.id = x.person_id)" },
	{ COSO_CADRE_TRAINING, "sent_by",
	  "SELECT t.person_id, t.started_on, 'unit ' || t.sent_by || ' does not exist on ' || d(t.started_on)"
	  " FROM cadre_training t WHERE t.sent_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM unit_row u"
	  "  WHERE u.code = t.sent_by AND u.valid_from <= t.started_on AND t.started_on < u.valid_to)" },
	{ COSO_CADRE_ROTATIONS, "person_id",
	  PERSON_MISSING("valid_from") " FROM cadre_rotation x"
	  " WHERE NOT EXISTS (SELECT 1 FROM cadre_person p WHERE p.id = x.person_id)" },
	{ COSO_CADRE_ROTATIONS, "from_unit",
	  "SELECT r.person_id, r.valid_from, CASE WHEN u.code IS NULL"
	  " THEN 'unit ' || r.from_unit || ' does not exist on ' || d(r.valid_from)"
	  " ELSE 'unit ' || r.from_unit || ' is a ' || lvl(u.level) || ': a rotation comes from a province or a district' END"
	  " FROM cadre_rotation r LEFT JOIN unit_row u ON u.code = r.from_unit"
	  "  AND u.valid_from <= r.valid_from AND r.valid_from < u.valid_to"
	  " WHERE u.code IS NULL OR u.level > 2" },
	{ COSO_CADRE_ROTATIONS, "to_unit",
	  "SELECT r.person_id, r.valid_from, " COMMUNE_PROBLEM("r", "to_unit")
	  " FROM cadre_rotation r LEFT JOIN temp.cadre_span s ON s.code = r.to_unit"
	  " WHERE s.code IS NULL OR s.f > r.valid_from OR s.t < r.valid_to" },
	/* the rotated cadre works in the commune: a post there on the first day */
	{ COSO_CADRE_ROTATIONS, "to_unit",
	  "SELECT r.person_id, r.valid_from, 'person ' || r.person_id || ' holds no post in commune ' || r.to_unit"
	  " || ' on ' || d(r.valid_from) || ' (cadre_positions.csv)' FROM cadre_rotation r"
	  " WHERE NOT EXISTS (SELECT 1 FROM cadre_position c WHERE c.person_id = r.person_id AND c.unit_code = r.to_unit"
	  "  AND c.valid_from <= r.valid_from AND r.valid_from < c.valid_to)" },
	{ COSO_CADRE_ROTATIONS, "valid_from",
	  "SELECT person_id, valid_from, 'overlaps the previous rotation of ' || person_id || ' ('"
	  " || per(prev_from, prev_to) || ')' FROM (SELECT person_id, valid_from,"
	  " LAG(valid_from) OVER w AS prev_from, LAG(valid_to) OVER w AS prev_to FROM cadre_rotation"
	  " WINDOW w AS (PARTITION BY person_id ORDER BY valid_from)) WHERE prev_to > valid_from" },
	{ COSO_CADRE_STANDARDS, "valid_from",
	  "SELECT post, valid_from, 'overlaps the previous standard of post ' || post || ' ('"
	  " || per(prev_from, prev_to) || ')' FROM (SELECT post, valid_from,"
	  " LAG(valid_from) OVER w AS prev_from, LAG(valid_to) OVER w AS prev_to FROM cadre_standard"
	  " WINDOW w AS (PARTITION BY post ORDER BY valid_from)) WHERE prev_to > valid_from" },
};

int coso_store_cadre_check(coso_store *st, coso_cadre_table t, coso_problem_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc, found = 0;

	if ((rc = build_posts(st)) < 0 || (rc = coso_db_exec(st, SPAN_COMMUNE)) < 0)
		return rc;
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		const struct check *c = &checks[i];

		if (c->t != t)
			continue;
		if ((rc = coso_db_prepare(st, c->sql, &q)) < 0)
			goto done;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			coso_problem p = { 0 };

			p.key = (const char *)sqlite3_column_text(q, 0);
			p.valid_from = (coso_day)sqlite3_column_int(q, 1);
			p.column = c->column;
			p.message = (const char *)sqlite3_column_text(q, 2);
			if (!p.key || !p.message)
				continue;
			fn(ctx, &p);
			found++;
		}
		if (rc != SQLITE_DONE) {
			rc = coso_db_error(st, "cadre checks");
			goto done;
		}
		sqlite3_finalize(q);
		q = NULL;
	}
	rc = found;
done:
	sqlite3_finalize(q);
	return rc;
}

/* ---- export ---------------------------------------------------------------------- */

static const char *col_text(sqlite3_stmt *q, int i)
{
	return (const char *)sqlite3_column_text(q, i);
}

/* The caller's callback of an export, whichever its row type. */
struct each_cb {
	union {
		coso_cadre_person_fn person;
		coso_cadre_position_fn position;
		coso_cadre_training_fn training;
		coso_cadre_rotation_fn rotation;
		coso_cadre_standard_fn standard;
	} fn;
	void *ctx;
};

/* Runs sql and calls each(q, cb) on every row; a non-zero return of each
 * stops and is returned. */
static int each_row(coso_store *st, const char *sql, int (*each)(sqlite3_stmt *q, const struct each_cb *cb),
		    const struct each_cb *cb)
{
	sqlite3_stmt *q = NULL;
	int rc, stop = 0;

	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((stop = each(q, cb)) != 0)
			break;
	if (stop)
		rc = stop;
	else
		rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "cadres");
	sqlite3_finalize(q);
	return rc;
}

static int person_of(sqlite3_stmt *q, const struct each_cb *cb)
{
	coso_cadre_person_row r = { col_text(q, 0), col_text(q, 1), col_text(q, 2), sqlite3_column_int(q, 3),
				    col_text(q, 4), col_text(q, 5) };

	return cb->fn.person(cb->ctx, &r);
}

int coso_store_each_cadre_person(coso_store *st, coso_cadre_person_fn fn, void *ctx)
{
	struct each_cb cb = { .fn.person = fn, .ctx = ctx };

	return each_row(st, "SELECT id, full_name, gender, birth_date, ethnicity, member_id FROM cadre_person"
			" ORDER BY id", person_of, &cb);
}

static int position_of(sqlite3_stmt *q, const struct each_cb *cb)
{
	coso_cadre_position_row r = { col_text(q, 0), col_text(q, 1), col_text(q, 2), sqlite3_column_int(q, 3),
				      sqlite3_column_int(q, 4) };

	return cb->fn.position(cb->ctx, &r);
}

int coso_store_each_cadre_position(coso_store *st, coso_cadre_position_fn fn, void *ctx)
{
	struct each_cb cb = { .fn.position = fn, .ctx = ctx };

	return each_row(st, "SELECT person_id, unit_code, post, valid_from, valid_to FROM cadre_position"
			" ORDER BY person_id, valid_from, post", position_of, &cb);
}

static int training_of(sqlite3_stmt *q, const struct each_cb *cb)
{
	coso_cadre_training_row r = { col_text(q, 0), col_text(q, 1), col_text(q, 2), sqlite3_column_int(q, 3),
				      col_text(q, 4), sqlite3_column_int(q, 5), sqlite3_column_int(q, 6),
				      col_text(q, 7) };

	return cb->fn.training(cb->ctx, &r);
}

int coso_store_each_cadre_training(coso_store *st, coso_cadre_training_fn fn, void *ctx)
{
	struct each_cb cb = { .fn.training = fn, .ctx = ctx };

	return each_row(st, "SELECT person_id, kind, level, level_rank, course, started_on, ended_on, sent_by"
			" FROM cadre_training ORDER BY person_id, started_on, kind", training_of, &cb);
}

static int rotation_of(sqlite3_stmt *q, const struct each_cb *cb)
{
	coso_cadre_rotation_row r = { col_text(q, 0), col_text(q, 1), col_text(q, 2), sqlite3_column_int(q, 3),
				      sqlite3_column_int(q, 4) };

	return cb->fn.rotation(cb->ctx, &r);
}

int coso_store_each_cadre_rotation(coso_store *st, coso_cadre_rotation_fn fn, void *ctx)
{
	struct each_cb cb = { .fn.rotation = fn, .ctx = ctx };

	return each_row(st, "SELECT person_id, from_unit, to_unit, valid_from, valid_to FROM cadre_rotation"
			" ORDER BY person_id, valid_from", rotation_of, &cb);
}

static int standard_of(sqlite3_stmt *q, const struct each_cb *cb)
{
	coso_cadre_standard_row r = { col_text(q, 0), sqlite3_column_int(q, 1), sqlite3_column_int(q, 2),
				      col_text(q, 3), col_text(q, 4), sqlite3_column_int(q, 5),
				      sqlite3_column_int(q, 6) };

	return cb->fn.standard(cb->ctx, &r);
}

int coso_store_each_cadre_standard(coso_store *st, coso_cadre_standard_fn fn, void *ctx)
{
	struct each_cb cb = { .fn.standard = fn, .ctx = ctx };

	return each_row(st, "SELECT post, valid_from, valid_to, min_professional, min_political_theory,"
			" professional_rank, political_rank FROM cadre_standard ORDER BY post, valid_from", standard_of, &cb);
}

/* ---- figures -------------------------------------------------------------------- */

/*
 * Events of the period, each with the day and the commune where it
 * happened: training that started in [?1, ?2] (counted in the commune where
 * the person held a post that day; none: not a commune cadre then), and
 * rotations to a commune that started in the period ('r') or are in
 * progress on ?2 ('a').
 */
static const char sql_events[] =
	"INSERT INTO temp.cr_event (ev, person_id, kind, rank, day, unit)"
	" SELECT 't', t.person_id, t.kind, t.level_rank, t.started_on,"
	"  (SELECT min(c.unit_code) FROM cadre_position c WHERE c.person_id = t.person_id"
	"   AND c.valid_from <= t.started_on AND t.started_on < c.valid_to)"
	" FROM cadre_training t WHERE t.started_on BETWEEN ?1 AND ?2"
	" UNION ALL SELECT 'r', person_id, NULL, 0, valid_from, to_unit FROM cadre_rotation"
	"  WHERE valid_from BETWEEN ?1 AND ?2"
	" UNION ALL SELECT 'a', person_id, NULL, 0, ?2, to_unit FROM cadre_rotation"
	"  WHERE valid_from <= ?2 AND ?2 < valid_to";

/* The events in scope ?1 (NULL: all): the scope is the event's commune or
 * one of its ancestors on the event's day (a walk up that day's tree). */
static const char sql_in_scope[] =
	"INSERT OR IGNORE INTO temp.cr_in (eid) "
	"WITH RECURSIVE up (eid, day, cur, depth) AS ("
	" SELECT eid, day, unit, 0 FROM temp.cr_event WHERE ?1 IS NOT NULL AND unit IS NOT NULL"
	" UNION ALL"
	" SELECT up.eid, up.day, u.parent_code, up.depth + 1 FROM up JOIN unit_row u"
	"  ON u.code = up.cur AND u.valid_from <= up.day AND up.day < u.valid_to"
	" WHERE up.cur <> ?1 AND u.parent_code IS NOT NULL AND up.depth < 16)"
	"SELECT eid FROM up WHERE cur = ?1"
	" UNION ALL SELECT eid FROM temp.cr_event WHERE ?1 IS NULL AND unit IS NOT NULL";

/* (what, kind, rank, attendances, people, unit): per kind ('k'), per kind
 * and level ('l'), rotations ('r', 'a'), per commune and kind ('u'). */
static const char sql_counts[] =
	"SELECT 'k', e.kind, 0, count(*), count(DISTINCT e.person_id), NULL FROM temp.cr_event e"
	"  JOIN temp.cr_in USING (eid) WHERE e.ev = 't' GROUP BY e.kind"
	" UNION ALL SELECT 'l', e.kind, e.rank, count(*), 0, NULL FROM temp.cr_event e JOIN temp.cr_in USING (eid)"
	"  WHERE e.ev = 't' GROUP BY e.kind, e.rank"
	" UNION ALL SELECT e.ev, NULL, 0, count(*), 0, NULL FROM temp.cr_event e JOIN temp.cr_in USING (eid)"
	"  WHERE e.ev IN ('r', 'a') GROUP BY e.ev"
	" UNION ALL SELECT 'u', e.kind, 0, count(*), count(DISTINCT e.person_id), e.unit FROM temp.cr_event e"
	"  JOIN temp.cr_in USING (eid) WHERE e.ev = 't' GROUP BY e.unit, e.kind";

/* The subtree of scope ?1 (NULL: every top unit) on day ?2. */
#define SUBTREE \
	"WITH RECURSIVE sub (code, level) AS (" \
	" SELECT code, level FROM unit_row" \
	"  WHERE (code = ?1 OR (?1 IS NULL AND parent_code IS NULL)) AND valid_from <= ?2 AND ?2 < valid_to" \
	" UNION ALL" \
	" SELECT u.code, u.level FROM sub JOIN unit_row u ON u.parent_code = sub.code" \
	"  AND u.valid_from <= ?2 AND ?2 < u.valid_to)"

/* The posts held on ?2 with the holder's levels and the post's standard
 * (the row of cadre_standard covering ?2, else the post's default). */
#define HOLDINGS(where) \
	"hold AS (SELECT c.unit_code, c.person_id, c.post, c.valid_from, c.valid_to, p.ord, p.cat," \
	" coalesce((SELECT max(t.level_rank) FROM cadre_training t WHERE t.person_id = c.person_id" \
	"  AND t.kind = 'professional' AND t.ended_on <= ?2), 0) AS pr," \
	" coalesce((SELECT max(t.level_rank) FROM cadre_training t WHERE t.person_id = c.person_id" \
	"  AND t.kind = 'political_theory' AND t.ended_on <= ?2), 0) AS po," \
	" coalesce((SELECT s.professional_rank FROM cadre_standard s WHERE s.post = c.post" \
	"  AND s.valid_from <= ?2 AND ?2 < s.valid_to), p.prof) AS mpr," \
	" coalesce((SELECT s.political_rank FROM cadre_standard s WHERE s.post = c.post" \
	"  AND s.valid_from <= ?2 AND ?2 < s.valid_to), p.pol) AS mpo" \
	" FROM cadre_position c JOIN temp.cadre_post p ON p.code = c.post" \
	" WHERE c.valid_from <= ?2 AND ?2 < c.valid_to AND " where ")"

static const char sql_standards[] =
	SUBTREE ", communes AS (SELECT code FROM sub WHERE level = 3), "
	HOLDINGS("c.unit_code IN (SELECT code FROM communes)")
	" SELECT m.code, (SELECT u.name FROM unit_row u WHERE u.code = m.code AND u.valid_from <= ?2 AND ?2 < u.valid_to),"
	" count(h.post), coalesce(sum(h.pr >= h.mpr AND h.po >= h.mpo), 0),"
	" coalesce(sum(h.pr >= h.mpr), 0), coalesce(sum(h.po >= h.mpo), 0),"
	" coalesce(sum(h.cat = 0), 0), coalesce(sum(h.cat = 0 AND h.pr >= h.mpr AND h.po >= h.mpo), 0),"
	" coalesce(sum(h.cat = 1), 0), coalesce(sum(h.cat = 1 AND h.pr >= h.mpr AND h.po >= h.mpo), 0)"
	" FROM communes m LEFT JOIN hold h ON h.unit_code = m.code GROUP BY m.code ORDER BY m.code";

static int cmp_commune(const void *key, const void *elem)
{
	return strcmp(key, ((const coso_commune_standard *)elem)->code);
}

/* The commune `code` of out->communes (sorted by code), or NULL. */
static coso_commune_standard *commune_of(coso_training_summary *out, const char *code)
{
	if (!code || !out->ncommunes)
		return NULL;
	return bsearch(code, out->communes, out->ncommunes, sizeof(*out->communes), cmp_commune);
}

/* temp.cr_event and temp.cr_in: the events of [from, to] and those in
 * scope (drop them with drop_events). */
static int build_events(coso_store *st, const char *scope, coso_day from, coso_day to)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_exec(st, "DROP TABLE IF EXISTS temp.cr_event; DROP TABLE IF EXISTS temp.cr_in;"
			       "CREATE TEMP TABLE cr_event (eid INTEGER PRIMARY KEY, ev TEXT, person_id TEXT,"
			       " kind TEXT, rank INTEGER, day INTEGER, unit TEXT);"
			       "CREATE TEMP TABLE cr_in (eid INTEGER PRIMARY KEY)")) < 0)
		return rc;
	if ((rc = coso_db_prepare(st, sql_events, &q)) < 0)
		return rc;
	sqlite3_bind_int(q, 1, from);
	sqlite3_bind_int(q, 2, to);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "cadres");
	sqlite3_finalize(q);
	q = NULL;
	if (rc < 0 || (rc = coso_db_prepare(st, sql_in_scope, &q)) < 0)
		return rc;
	if (scope)
		sqlite3_bind_text(q, 1, scope, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "cadres");
	sqlite3_finalize(q);
	return rc;
}

static void drop_events(coso_store *st)
{
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.cr_event; DROP TABLE IF EXISTS temp.cr_in", NULL, NULL, NULL);
}

static int summary_counts(coso_store *st, const char *scope, coso_day from, coso_day to, coso_training_summary *out)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = build_events(st, scope, from, to)) < 0)
		goto done;
	if ((rc = coso_db_prepare(st, sql_counts, &q)) < 0)
		goto done;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *what = col_text(q, 0), *kind = col_text(q, 1);
		int k = kind ? coso_training_kind_find(kind) : -1, rank = sqlite3_column_int(q, 2);
		long long n = sqlite3_column_int64(q, 3);

		if (!what)
			continue;
		if (what[0] == 'k' && k >= 0) {
			out->kinds[k].attendances = n;
			out->kinds[k].people = sqlite3_column_int64(q, 4);
		} else if (what[0] == 'l' && k == COSO_TRAINING_POLITICAL && rank >= 0 && rank < 4) {
			out->political_by_rank[rank] += n;
		} else if (what[0] == 'l' && k == COSO_TRAINING_PROFESSIONAL && rank >= 0 && rank < 7) {
			out->professional_by_rank[rank] += n;
		} else if (what[0] == 'r') {
			out->rotations_started = n;
		} else if (what[0] == 'a') {
			out->rotations_active = n;
		} else if (what[0] == 'u' && k >= 0) {
			coso_commune_standard *c = commune_of(out, col_text(q, 5));

			if (c) {
				c->training[k].attendances = n;
				c->training[k].people = sqlite3_column_int64(q, 4);
			}
		}
	}
	rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "cadres");
done:
	sqlite3_finalize(q);
	drop_events(st);
	return rc;
}

static int summary_standards(coso_store *st, const char *scope, coso_day d, coso_training_summary *out)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, sql_standards, &q)) < 0)
		return rc;
	if (scope)
		sqlite3_bind_text(q, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, d);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		coso_commune_standard *c, *nv = realloc(out->communes, (out->ncommunes + 1) * sizeof(*nv));

		if (!nv) {
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
			goto done;
		}
		out->communes = nv;
		c = &nv[out->ncommunes];
		memset(c, 0, sizeof(*c));
		c->code = strdup(col_text(q, 0) ? col_text(q, 0) : "");
		c->name = strdup(col_text(q, 1) ? col_text(q, 1) : "");
		out->ncommunes++;
		if (!c->code || !c->name) {
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
			goto done;
		}
		c->holdings = sqlite3_column_int64(q, 2);
		c->meeting = sqlite3_column_int64(q, 3);
		c->professional_ok = sqlite3_column_int64(q, 4);
		c->political_ok = sqlite3_column_int64(q, 5);
		out->holdings += c->holdings;
		out->meeting += c->meeting;
		for (int k = 0; k < 2; k++) {
			c->holdings_by[k] = sqlite3_column_int64(q, 6 + 2 * k);
			c->meeting_by[k] = sqlite3_column_int64(q, 7 + 2 * k);
			out->holdings_by[k] += c->holdings_by[k];
			out->meeting_by[k] += c->meeting_by[k];
		}
	}
	rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "cadres");
done:
	sqlite3_finalize(q);
	return rc;
}

int coso_store_cadre_summary(coso_store *st, const char *scope, coso_day from, coso_day to,
			     coso_training_summary *out)
{
	int rc;

	/* the communes first: the training is also counted per commune */
	if ((rc = build_posts(st)) == 0 && (rc = summary_standards(st, scope, to, out)) == 0)
		rc = summary_counts(st, scope, from, to, out);
	return rc;
}

static const char sql_holders[] =
	"WITH " HOLDINGS("c.unit_code = ?1")
	" SELECT h.post, h.person_id, p.full_name, p.member_id, h.valid_from, h.valid_to, h.pr, h.po, h.mpr, h.mpo,"
	" EXISTS (SELECT 1 FROM cadre_rotation r WHERE r.person_id = h.person_id AND r.to_unit = ?1"
	"  AND r.valid_from <= ?2 AND ?2 < r.valid_to)"
	" FROM hold h JOIN cadre_person p ON p.id = h.person_id ORDER BY h.ord, h.valid_from, h.person_id";

int coso_store_cadre_holders(coso_store *st, const char *unit, coso_day d, coso_cadre_holder_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, "SELECT 1 FROM unit_row WHERE code = ?1", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	q = NULL;
	if (rc == SQLITE_DONE)
		return coso_error_set(COSO_ENOTFOUND, "unit %s is not in the registry", unit);
	if (rc != SQLITE_ROW)
		return coso_db_error(st, "cadres");
	if ((rc = build_posts(st)) < 0)
		return rc;
	if ((rc = coso_db_prepare(st, sql_holders, &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, d);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		coso_cadre_holder h = {
			.post = col_text(q, 0), .person_id = col_text(q, 1), .full_name = col_text(q, 2),
			.member_id = col_text(q, 3), .valid_from = sqlite3_column_int(q, 4),
			.valid_to = sqlite3_column_int(q, 5), .professional_rank = sqlite3_column_int(q, 6),
			.political_rank = sqlite3_column_int(q, 7), .min_professional = sqlite3_column_int(q, 8),
			.min_political = sqlite3_column_int(q, 9), .rotated = sqlite3_column_int(q, 10) != 0,
		};

		if ((rc = fn(ctx, &h)) != 0)
			goto done;
	}
	rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "cadres");
done:
	sqlite3_finalize(q);
	return rc;
}

/* The training records of the period in scope, with their person and the
 * commune (named as of the record's first day); ?1 kind or NULL, ?2 limit,
 * ?3 offset. */
static const char sql_training_list[] =
	"SELECT t.person_id, p.full_name, p.member_id, e.unit,"
	" (SELECT u.name FROM unit_row u WHERE u.code = e.unit AND u.valid_from <= e.day AND e.day < u.valid_to),"
	" t.kind, t.level, t.course, t.started_on, t.ended_on, t.sent_by, count(*) OVER ()"
	" FROM temp.cr_event e JOIN temp.cr_in USING (eid)"
	" JOIN cadre_training t ON t.person_id = e.person_id AND t.started_on = e.day AND t.kind = e.kind"
	" JOIN cadre_person p ON p.id = t.person_id"
	" WHERE e.ev = 't' AND (?1 IS NULL OR e.kind = ?1)"
	" ORDER BY t.started_on, e.unit, t.person_id, t.kind LIMIT ?2 OFFSET ?3";

int coso_store_cadre_training_list(coso_store *st, const char *scope, coso_day from, coso_day to, const char *kind,
				   long long offset, long long limit, coso_cadre_sent_fn fn, void *ctx, long long *total)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*total = 0;
	if ((rc = build_events(st, scope, from, to)) < 0)
		goto done;
	if (offset > 0 && (rc = coso_db_prepare(st, "SELECT count(*) FROM temp.cr_event e JOIN temp.cr_in USING (eid)"
						 " WHERE e.ev = 't' AND (?1 IS NULL OR e.kind = ?1)", &q)) == 0) {
		/* a page past the end still tells the total */
		if (kind)
			sqlite3_bind_text(q, 1, kind, -1, SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_ROW)
			*total = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		q = NULL;
	}
	if (rc < 0 || (rc = coso_db_prepare(st, sql_training_list, &q)) < 0)
		goto done;
	if (kind)
		sqlite3_bind_text(q, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, limit > 0 ? limit : -1); /* SQLite: LIMIT -1 is no limit */
	sqlite3_bind_int64(q, 3, offset);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		coso_cadre_sent r = {
			.person_id = col_text(q, 0), .full_name = col_text(q, 1), .member_id = col_text(q, 2),
			.unit_code = col_text(q, 3), .unit_name = col_text(q, 4), .kind = col_text(q, 5),
			.level = col_text(q, 6), .course = col_text(q, 7), .started_on = sqlite3_column_int(q, 8),
			.ended_on = sqlite3_column_int(q, 9), .sent_by = col_text(q, 10),
		};

		*total = sqlite3_column_int64(q, 11);
		if ((rc = fn(ctx, &r)) != 0)
			goto done;
	}
	rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "cadres");
done:
	sqlite3_finalize(q);
	drop_events(st);
	return rc;
}
