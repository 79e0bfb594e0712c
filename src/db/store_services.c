/*
 * store_services.c: the SQL of the services register (db/store_services.h,
 * docs/SERVICES.md). Tables svc_procedure, svc_case, svc_event (schema.c).
 * Days that are not set (a case still open, a deadline not yet running) are
 * NULL in the tables and COSO_DAY_MAX in C.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_access.h"
#include "db/store_audit.h"
#include "db/store_internal.h"
#include "db/store_services.h"
#include "util/error.h"

/* ---- helpers ------------------------------------------------------------------------ */

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q, i);
}

/* A day, NULL for COSO_DAY_MAX (not set). */
static void bind_day(sqlite3_stmt *q, int i, coso_day d)
{
	if (d == COSO_DAY_MAX)
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_int(q, i, d);
}

static coso_day col_day(sqlite3_stmt *q, int i)
{
	return sqlite3_column_type(q, i) == SQLITE_NULL ? COSO_DAY_MAX : sqlite3_column_int(q, i);
}

static const char *col_text(sqlite3_stmt *q, int i)
{
	return (const char *)sqlite3_column_text(q, i);
}

/* Steps a statement without rows; 0 or COSO_EIO. Finalizes it. */
static int done(coso_store *st, sqlite3_stmt *q, const char *what)
{
	int rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, what);

	sqlite3_finalize(q);
	return rc;
}

/* done() for a statement taken with coso_db_kept: the loaders' statements,
 * run once a row, are kept prepared. */
static int kept_done(coso_store *st, sqlite3_stmt *q, const char *what)
{
	int rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, what);

	coso_db_give_back(st, q);
	return rc;
}

/* ---- loading ----------------------------------------------------------------------- */

enum { SEEN_PROC = 0, SEEN_CASE = 1, SEEN_EVENT = 2, SEEN_RECEPTION = 3, SEEN_VOTER = 4 };

int coso_svc_load_begin(coso_store *st, int file)
{
	char sql[160];
	int rc = coso_db_exec(st, "CREATE TEMP TABLE IF NOT EXISTS svc_seen (file INTEGER NOT NULL, key TEXT NOT NULL,"
				  " sub INTEGER NOT NULL, PRIMARY KEY (file, key, sub))");

	if (rc < 0)
		return rc;
	snprintf(sql, sizeof(sql), "DELETE FROM temp.svc_seen WHERE file = %d", file);
	return coso_db_exec(st, sql);
}

/* Notes key (and sub) as seen in this file: 1 when the key is new to the
 * file, 0 when it was seen with another sub, COSO_ECONFLICT when the pair
 * was seen. */
static int seen(coso_store *st, int file, const char *key, int sub)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_kept(st, "INSERT OR IGNORE INTO temp.svc_seen (file, key, sub) VALUES (?1, ?2, ?3)", &q);

	if (rc < 0)
		return rc;
	sqlite3_bind_int(q, 1, file);
	bind_text(q, 2, key);
	sqlite3_bind_int(q, 3, sub);
	if ((rc = kept_done(st, q, "load")) < 0)
		return rc;
	if (sqlite3_changes(st->db) == 0)
		return COSO_ECONFLICT;
	if ((rc = coso_db_kept(st, "SELECT count(*) FROM temp.svc_seen WHERE file = ?1 AND key = ?2", &q)) < 0)
		return rc;
	sqlite3_bind_int(q, 1, file);
	bind_text(q, 2, key);
	rc = sqlite3_step(q) == SQLITE_ROW ? (sqlite3_column_int(q, 0) == 1) : coso_db_error(st, "load");
	coso_db_give_back(st, q);
	return rc;
}

static int delete_key(coso_store *st, const char *sql, const char *key)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_kept(st, sql, &q);

	if (rc < 0)
		return rc;
	bind_text(q, 1, key);
	return kept_done(st, q, "load");
}

int coso_svc_put_procedure(coso_store *st, const coso_svc_procedure *p)
{
	sqlite3_stmt *q = NULL;
	int rc = seen(st, SEEN_PROC, p->code, p->valid_from);

	if (rc < 0)
		return rc;
	if (rc == 1 && (rc = delete_key(st, "DELETE FROM svc_procedure WHERE code = ?1", p->code)) < 0)
		return rc;
	if ((rc = coso_db_kept(st, "INSERT INTO svc_procedure (code, valid_from, valid_to, name, field, days, source)"
				      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &q)) < 0)
		return rc;
	bind_text(q, 1, p->code);
	sqlite3_bind_int(q, 2, p->valid_from);
	sqlite3_bind_int(q, 3, p->valid_to);
	bind_text(q, 4, p->name);
	bind_text(q, 5, p->field);
	sqlite3_bind_int(q, 6, p->days);
	bind_text(q, 7, p->source);
	return kept_done(st, q, "load procedure");
}

static const char sql_insert_case[] =
	"INSERT INTO svc_case (id, kind, unit_code, received_on, procedure_code, subject, person_name, person_doc,"
	" person_address, complexity, officer, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

static int insert_case(coso_store *st, const coso_svc_case *c)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_kept(st, sql_insert_case, &q);

	if (rc < 0)
		return rc;
	bind_text(q, 1, c->id);
	bind_text(q, 2, c->kind);
	bind_text(q, 3, c->unit_code);
	sqlite3_bind_int(q, 4, c->received_on);
	bind_text(q, 5, c->procedure_code);
	bind_text(q, 6, c->subject);
	bind_text(q, 7, c->person_name);
	bind_text(q, 8, c->person_doc);
	bind_text(q, 9, c->person_address);
	sqlite3_bind_int(q, 10, c->complexity);
	bind_text(q, 11, c->officer);
	bind_text(q, 12, c->note);
	return kept_done(st, q, "store case");
}

int coso_svc_put_case(coso_store *st, const coso_svc_case *c)
{
	int rc = seen(st, SEEN_CASE, c->id, 0);

	if (rc < 0)
		return rc;
	if ((rc = delete_key(st, "DELETE FROM svc_case WHERE id = ?1", c->id)) < 0)
		return rc;
	return insert_case(st, c);
}

static int insert_event(coso_store *st, const coso_svc_event *e)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_kept(st, "INSERT INTO svc_event (case_id, seq, day, action, body, new_date, note)"
				     " VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM svc_event WHERE case_id = ?1),"
				     " ?2, ?3, ?4, ?5, ?6)", &q);

	if (rc < 0)
		return rc;
	bind_text(q, 1, e->case_id);
	sqlite3_bind_int(q, 2, e->day);
	bind_text(q, 3, e->action);
	bind_text(q, 4, e->body);
	bind_day(q, 5, e->new_date);
	bind_text(q, 6, e->note);
	return kept_done(st, q, "store event");
}

/* The first row of a key in this file removes the key's stored rows; later
 * rows of the key add to them. */
static int replace_key(coso_store *st, int file, const char *key, const char *delete_sql)
{
	int rc = seen(st, file, key, 0);

	if (rc == COSO_ECONFLICT)
		return 0;
	return rc < 0 ? rc : delete_key(st, delete_sql, key);
}

int coso_svc_put_event(coso_store *st, const coso_svc_event *e)
{
	int rc = replace_key(st, SEEN_EVENT, e->case_id, "DELETE FROM svc_event WHERE case_id = ?1");

	return rc < 0 ? rc : insert_event(st, e);
}

/* ---- set checks ------------------------------------------------------------------- */

/* Runs a query of (key, from, column, message) rows and hands each to fn. */
/* Runs a query of (key, from, column, message) rows, its ?1 bound to `key`
 * (NULL: every record), and hands each row to fn. Returns the number of rows. */
static int problems(coso_store *st, const char *sql, const char *key, coso_problem_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	int n = 0, rc = coso_db_prepare(st, sql, &q);

	if (rc < 0)
		return rc;
	if (sqlite3_bind_parameter_count(q) >= 1)
		bind_text(q, 1, key);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		coso_problem p = {
			.file = 0,
			.key = col_text(q, 0),
			.valid_from = sqlite3_column_type(q, 1) == SQLITE_NULL ? COSO_DAY_MIN : sqlite3_column_int(q, 1),
			.column = col_text(q, 2),
			.message = col_text(q, 3),
			.touched = true,
		};
		fn(ctx, &p);
		n++;
	}
	rc = rc == SQLITE_DONE ? n : coso_db_error(st, "check");
	sqlite3_finalize(q);
	return rc;
}

/* date(d) in SQL: the day number as YYYY-MM-DD */
#define SQL_DATE(d) "date((" d ") * 86400, 'unixepoch')"

int coso_svc_check_procedures(coso_store *st, coso_problem_fn fn, void *ctx)
{
	return problems(st,
		"SELECT a.code, a.valid_from, 'valid_from', 'overlaps the row of the same code from ' ||"
		" CASE WHEN b.valid_from <= -10000000 THEN 'the beginning' ELSE " SQL_DATE("b.valid_from") " END"
		" FROM svc_procedure a JOIN svc_procedure b ON b.code = a.code"
		" AND b.valid_from < a.valid_from AND a.valid_from < b.valid_to ORDER BY a.code, a.valid_from",
		NULL, fn, ctx);
}

int coso_svc_check_cases(coso_store *st, coso_problem_fn fn, void *ctx)
{
	return problems(st,
		"SELECT c.id, NULL, 'unit_code', CASE WHEN u.code IS NULL THEN 'no unit ' || c.unit_code || ' on '"
		" || " SQL_DATE("c.received_on") " ELSE c.unit_code || ' is not a commune on ' || "
		SQL_DATE("c.received_on") " END"
		" FROM svc_case c LEFT JOIN unit_row u ON u.code = c.unit_code AND u.valid_from <= c.received_on"
		"  AND c.received_on < u.valid_to WHERE u.code IS NULL OR u.level <> 3"
		" UNION ALL SELECT c.id, NULL, 'procedure_code', 'no procedure ' || c.procedure_code || ' in the"
		" catalogue on ' || " SQL_DATE("c.received_on") " FROM svc_case c WHERE c.kind = 'onestop'"
		" AND NOT EXISTS (SELECT 1 FROM svc_procedure p WHERE p.code = c.procedure_code"
		"  AND p.valid_from <= c.received_on AND c.received_on < p.valid_to)"
		" ORDER BY 1",
		NULL, fn, ctx);
}

int coso_svc_check_events(coso_store *st, coso_problem_fn fn, void *ctx)
{
	return problems(st,
		"SELECT e.case_id, NULL, 'case_id', 'no case ' || e.case_id FROM svc_event e"
		" WHERE NOT EXISTS (SELECT 1 FROM svc_case c WHERE c.id = e.case_id) GROUP BY e.case_id"
		" ORDER BY 1",
		NULL, fn, ctx);
}

/* ---- export ----------------------------------------------------------------------- */

/* The callbacks of an iteration: one of them, by what is read. */
struct visit {
	coso_svc_procedure_fn proc;
	coso_svc_case_fn cas;
	coso_svc_event_fn ev;
	coso_svc_matter_fn matter;
	coso_svc_voter_fn voter;
	void *ctx;
};

/* Steps q, handing each row to row(); stops at a non-zero return of the
 * visitor, which is returned. Finalizes q. */
static int each(coso_store *st, sqlite3_stmt *q, int (*row)(sqlite3_stmt *, const struct visit *),
		const struct visit *v, const char *what)
{
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((rc = row(q, v)) != 0)
			break;
	rc = rc == SQLITE_DONE ? 0 : rc == SQLITE_ROW ? rc : coso_db_error(st, what);
	sqlite3_finalize(q);
	return rc;
}

static int proc_row(sqlite3_stmt *q, const struct visit *v)
{
	coso_svc_procedure p = {
		col_text(q, 0), sqlite3_column_int(q, 1), sqlite3_column_int(q, 2), col_text(q, 3),
		col_text(q, 4), sqlite3_column_int(q, 5), col_text(q, 6),
	};

	return v->proc(v->ctx, &p);
}

int coso_svc_each_procedure(coso_store *st, coso_day as_of, coso_svc_procedure_fn fn, void *ctx)
{
	struct visit v = { .proc = fn, .ctx = ctx };
	sqlite3_stmt *q = NULL;
	int rc = coso_db_prepare(st, "SELECT code, valid_from, valid_to, name, field, days, source FROM svc_procedure"
				     " WHERE ?1 IS NULL OR (valid_from <= ?1 AND ?1 < valid_to) ORDER BY code, valid_from",
				 &q);

	if (rc < 0)
		return rc;
	bind_day(q, 1, as_of);
	return each(st, q, proc_row, &v, "read procedures");
}

/* Whether the person of a case is hidden from the viewer ?1: a denouncer's
 * identity is shown only to the case's handling officer (Luật Tố cáo 2018:
 * the denouncer's identity is kept secret). */
#define MASK "(c.kind = 'denunciation' AND (?1 IS NULL OR c.officer IS NULL OR c.officer <> ?1))"

/* The SELECT of cases, as read_case() reads it. */
static const char sql_case_select[] =
	"SELECT c.id, c.kind, c.unit_code, c.received_on, c.procedure_code, c.subject,"
	" CASE WHEN " MASK " THEN NULL ELSE c.person_name END,"
	" CASE WHEN " MASK " THEN NULL ELSE c.person_doc END,"
	" CASE WHEN " MASK " THEN NULL ELSE c.person_address END,"
	" c.complexity, c.officer, c.note,"
	" coalesce((SELECT u.name FROM unit_row u WHERE u.code = c.unit_code AND u.valid_from <= c.received_on"
	"   AND c.received_on < u.valid_to),"
	"  (SELECT u.name FROM unit_row u WHERE u.code = c.unit_code ORDER BY u.valid_from DESC LIMIT 1)),"
	" p.name, coalesce(p.days, -1), c.remote, " MASK ","
	" c.accept_due, c.accepted_on, c.due_on, c.promised_on, c.closed_on, c.closed_as, c.extensions"
	" FROM svc_case c"
	" LEFT JOIN svc_procedure p ON p.code = c.procedure_code AND p.valid_from <= c.received_on"
	"  AND c.received_on < p.valid_to"
	" WHERE 1";

/* The record's columns 0-11 (both reads of cases start with them). */
static void read_record(sqlite3_stmt *q, coso_svc_case *c)
{
	memset(c, 0, sizeof(*c));
	c->id = col_text(q, 0);
	c->kind = col_text(q, 1);
	c->unit_code = col_text(q, 2);
	c->received_on = sqlite3_column_int(q, 3);
	c->procedure_code = col_text(q, 4);
	c->subject = col_text(q, 5);
	c->person_name = col_text(q, 6);
	c->person_doc = col_text(q, 7);
	c->person_address = col_text(q, 8);
	c->complexity = sqlite3_column_int(q, 9);
	c->officer = col_text(q, 10);
	c->note = col_text(q, 11);
}

/* A case as sql_case_select reads it. */
static void read_case(sqlite3_stmt *q, coso_svc_case *c)
{
	read_record(q, c);
	c->unit_name = col_text(q, 12);
	c->procedure_name = col_text(q, 13);
	c->proc_days = sqlite3_column_int(q, 14);
	c->remote = sqlite3_column_int(q, 15) != 0;
	c->masked = sqlite3_column_int(q, 16) != 0;
	c->accept_due = col_day(q, 17);
	c->accepted_on = col_day(q, 18);
	c->due_on = col_day(q, 19);
	c->promised_on = col_day(q, 20);
	c->closed_on = col_day(q, 21);
	c->closed_as = col_text(q, 22);
	c->extensions = sqlite3_column_int(q, 23);
}

static int raw_case_row(sqlite3_stmt *q, const struct visit *v)
{
	coso_svc_case c;

	read_record(q, &c);
	return v->cas(v->ctx, &c);
}

int coso_svc_each_case_raw(coso_store *st, coso_svc_case_fn fn, void *ctx)
{
	struct visit v = { .cas = fn, .ctx = ctx };
	sqlite3_stmt *q = NULL;
	int rc = coso_db_prepare(st,
		"SELECT id, kind, unit_code, received_on, procedure_code, subject, person_name, person_doc,"
		" person_address, complexity, officer, note FROM svc_case ORDER BY id", &q);

	return rc < 0 ? rc : each(st, q, raw_case_row, &v, "read cases");
}

static int event_row(sqlite3_stmt *q, const struct visit *v)
{
	coso_svc_event e = {
		col_text(q, 0), sqlite3_column_int(q, 1), sqlite3_column_int(q, 2), col_text(q, 3),
		col_text(q, 4), col_day(q, 5), col_text(q, 6),
	};

	return v->ev(v->ctx, &e);
}

int coso_svc_each_event(coso_store *st, const char *case_id, coso_svc_event_fn fn, void *ctx)
{
	struct visit v = { .ev = fn, .ctx = ctx };
	sqlite3_stmt *q = NULL;
	int rc = coso_db_prepare(st, "SELECT case_id, seq, day, action, body, new_date, note FROM svc_event"
				     " WHERE ?1 IS NULL OR case_id = ?1 ORDER BY case_id, seq", &q);

	if (rc < 0)
		return rc;
	bind_text(q, 1, case_id);
	return each(st, q, event_row, &v, "read events");
}

/* ---- the clock's columns ---------------------------------------------------------- */

int coso_svc_basis_of(coso_store *st, const char *id, coso_svc_basis *out)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_prepare(st,
		"SELECT c.kind, c.received_on, c.complexity,"
		" coalesce((SELECT p.days FROM svc_procedure p WHERE p.code = c.procedure_code"
		"  AND p.valid_from <= c.received_on AND c.received_on < p.valid_to), -1),"
		" coalesce((SELECT u.difficult FROM unit_row u WHERE u.code = c.unit_code"
		"  AND u.valid_from <= c.received_on AND c.received_on < u.valid_to), 0)"
		" FROM svc_case c WHERE c.id = ?1", &q);

	if (rc < 0)
		return rc;
	bind_text(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		snprintf(out->kind, sizeof(out->kind), "%s", col_text(q, 0));
		out->received_on = sqlite3_column_int(q, 1);
		out->complexity = sqlite3_column_int(q, 2);
		out->proc_days = sqlite3_column_int(q, 3);
		out->remote = sqlite3_column_int(q, 4) != 0;
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = coso_error_set(COSO_ENOTFOUND, "no case %s", id);
	} else {
		rc = coso_db_error(st, "read case");
	}
	sqlite3_finalize(q);
	return rc;
}

/* The unit's code and its ancestors' on day d, as "/11/094/03127/". */
static int scope_path(coso_store *st, const char *unit, coso_day d, char **out)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_prepare(st,
		"WITH RECURSIVE up (code, depth) AS (SELECT ?1, 0 UNION ALL"
		" SELECT u.parent_code, up.depth + 1 FROM up JOIN unit_row u ON u.code = up.code"
		"  AND u.valid_from <= ?2 AND ?2 < u.valid_to WHERE u.parent_code IS NOT NULL AND up.depth < 16)"
		"SELECT '/' || group_concat(code, '/') || '/' FROM up", &q);

	*out = NULL;
	if (rc < 0)
		return rc;
	bind_text(q, 1, unit);
	sqlite3_bind_int(q, 2, d);
	if (sqlite3_step(q) == SQLITE_ROW) {
		const char *s = col_text(q, 0);

		if (s && !(*out = strdup(s)))
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
	} else {
		rc = coso_db_error(st, "read units");
	}
	sqlite3_finalize(q);
	return rc;
}

int coso_svc_set_derived(coso_store *st, const char *id, const coso_svc_derived *d)
{
	sqlite3_stmt *q = NULL;
	char *path = NULL, unit[64] = "";
	coso_day received = 0;
	int rc = coso_db_prepare(st, "SELECT unit_code, received_on FROM svc_case WHERE id = ?1", &q);

	if (rc < 0)
		return rc;
	bind_text(q, 1, id);
	if (sqlite3_step(q) == SQLITE_ROW) {
		snprintf(unit, sizeof(unit), "%s", col_text(q, 0));
		received = sqlite3_column_int(q, 1);
	}
	sqlite3_finalize(q);
	if ((rc = scope_path(st, unit, received, &path)) < 0)
		return rc;
	if ((rc = coso_db_prepare(st, "UPDATE svc_case SET scope_path = ?2, remote = ?3, accept_due = ?4,"
				      " accepted_on = ?5, due_on = ?6, promised_on = ?7, closed_on = ?8, closed_as = ?9,"
				      " extensions = ?10 WHERE id = ?1", &q)) < 0) {
		free(path);
		return rc;
	}
	bind_text(q, 1, id);
	bind_text(q, 2, path);
	sqlite3_bind_int(q, 3, d->remote);
	bind_day(q, 4, d->accept_due);
	bind_day(q, 5, d->accepted_on);
	bind_day(q, 6, d->due_on);
	bind_day(q, 7, d->promised_on);
	bind_day(q, 8, d->closed_on);
	bind_text(q, 9, d->closed_as);
	sqlite3_bind_int(q, 10, d->extensions);
	rc = done(st, q, "store case");
	free(path);
	return rc;
}

/* The scope path of every case, in one pass over the tree of each case's day. */
static const char sql_all_paths[] =
	"CREATE TEMP TABLE IF NOT EXISTS svc_path (id TEXT PRIMARY KEY, path TEXT) WITHOUT ROWID;"
	"DELETE FROM temp.svc_path;"
	"INSERT INTO temp.svc_path (id, path)"
	" WITH RECURSIVE up (id, code, day, depth, path) AS ("
	"  SELECT id, unit_code, received_on, 0, '/' || unit_code || '/' FROM svc_case"
	"  UNION ALL SELECT up.id, u.parent_code, up.day, up.depth + 1, up.path || u.parent_code || '/'"
	"  FROM up JOIN unit_row u ON u.code = up.code AND u.valid_from <= up.day AND up.day < u.valid_to"
	"  WHERE u.parent_code IS NOT NULL AND up.depth < 16)"
	" SELECT id, path FROM up u1 WHERE depth = (SELECT max(depth) FROM up u2 WHERE u2.id = u1.id);"
	"UPDATE svc_case SET scope_path = (SELECT path FROM temp.svc_path p WHERE p.id = svc_case.id);"
	"DELETE FROM temp.svc_path;";

int coso_svc_refresh_all(coso_store *st, int max_events, coso_svc_compute_fn compute, void *ctx)
{
	sqlite3_stmt *cq = NULL, *eq = NULL, *uq = NULL;
	coso_svc_event *ev = calloc((size_t)max_events, sizeof(*ev));
	char (*acts)[16] = calloc((size_t)max_events, sizeof(*acts)); /* the events' actions, copied */
	int rc = ev && acts ? 0 : coso_error_set(COSO_ENOMEM, "out of memory"), erc = SQLITE_DONE;

	if (rc == 0)
		rc = coso_db_prepare(st,
			"SELECT c.id, c.kind, c.received_on, c.complexity,"
			" coalesce((SELECT p.days FROM svc_procedure p WHERE p.code = c.procedure_code"
			"  AND p.valid_from <= c.received_on AND c.received_on < p.valid_to), -1),"
			" coalesce((SELECT u.difficult FROM unit_row u WHERE u.code = c.unit_code"
			"  AND u.valid_from <= c.received_on AND c.received_on < u.valid_to), 0)"
			" FROM svc_case c ORDER BY c.id", &cq);
	if (rc == 0)
		rc = coso_db_prepare(st, "SELECT case_id, seq, day, action, new_date FROM svc_event ORDER BY case_id, seq",
				     &eq);
	if (rc == 0)
		rc = coso_db_prepare(st, "UPDATE svc_case SET remote = ?2, accept_due = ?3, accepted_on = ?4, due_on = ?5,"
				     " promised_on = ?6, closed_on = ?7, closed_as = ?8, extensions = ?9 WHERE id = ?1", &uq);
	if (rc == 0)
		erc = sqlite3_step(eq);
	while (rc == 0 && sqlite3_step(cq) == SQLITE_ROW) {
		/* the case's id is copied: the UPDATE below may move the cursor's buffers */
		char *id = strdup(col_text(cq, 0));
		coso_svc_basis b;
		coso_svc_derived d;
		int n = 0, r;

		if (!id) {
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
			break;
		}
		snprintf(b.kind, sizeof(b.kind), "%s", col_text(cq, 1));
		b.received_on = sqlite3_column_int(cq, 2);
		b.complexity = sqlite3_column_int(cq, 3);
		b.proc_days = sqlite3_column_int(cq, 4);
		b.remote = sqlite3_column_int(cq, 5) != 0;
		/* the events cursor runs alongside, both in id order */
		while (erc == SQLITE_ROW && strcmp(col_text(eq, 0), id) < 0)
			erc = sqlite3_step(eq);
		while (erc == SQLITE_ROW && strcmp(col_text(eq, 0), id) == 0) {
			if (n < max_events) {
				snprintf(acts[n], sizeof(acts[n]), "%s", col_text(eq, 3));
				ev[n].day = sqlite3_column_int(eq, 2);
				ev[n].action = acts[n];
				ev[n].new_date = col_day(eq, 4);
			}
			n++;
			erc = sqlite3_step(eq);
		}
		if (rc == 0 && erc != SQLITE_ROW && erc != SQLITE_DONE)
			rc = coso_db_error(st, "read events");
		r = rc == 0 ? compute(ctx, id, &b, ev, n, &d) : 0;
		if (r < 0)
			rc = r;
		if (rc == 0 && r == 0) {
			sqlite3_reset(uq);
			bind_text(uq, 1, id);
			sqlite3_bind_int(uq, 2, d.remote);
			bind_day(uq, 3, d.accept_due);
			bind_day(uq, 4, d.accepted_on);
			bind_day(uq, 5, d.due_on);
			bind_day(uq, 6, d.promised_on);
			bind_day(uq, 7, d.closed_on);
			bind_text(uq, 8, d.closed_as);
			sqlite3_bind_int(uq, 9, d.extensions);
			if (sqlite3_step(uq) != SQLITE_DONE)
				rc = coso_db_error(st, "store case");
		}
		free(id);
	}
	sqlite3_finalize(cq);
	sqlite3_finalize(eq);
	sqlite3_finalize(uq);
	free(ev);
	free(acts);
	return rc < 0 ? rc : coso_db_exec(st, sql_all_paths);
}

/* ---- reads ------------------------------------------------------------------------ */

/* A growing SQL text with its parameters bound in order. */
struct sqlb {
	char sql[4096];
	size_t len;
	bool overflow;
};

static void add(struct sqlb *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > sizeof(b->sql)) {
		b->overflow = true;
		return;
	}
	memcpy(b->sql + b->len, s, n + 1);
	b->len += n;
}

/* Adds the filters of f (and of the reader's scope); parameters ?1 viewer,
 * ?2 scope, ?3 kind, ?4 from, ?5 to, ?6 day, ?7 q. */
static void cases_where(struct sqlb *b, coso_store *st, const coso_svc_filter *f)
{
	const char *status = f->status ? f->status : "all";

	if (st->access_limited)
		add(b, COSO_ACCESS_UNIT("c.unit_code"));
	add(b, " AND (?2 IS NULL OR instr(c.scope_path, '/' || ?2 || '/') > 0)"
	       " AND (?3 IS NULL OR c.kind = ?3) AND c.received_on BETWEEN ?4 AND ?5"
	       " AND (?7 IS NULL OR c.id = ?7 OR instr(lower(c.subject), lower(?7)) > 0)");
	if (strcmp(status, "open") == 0)
		add(b, " AND c.closed_on IS NULL");
	else if (strcmp(status, "overdue") == 0)
		add(b, " AND c.closed_on IS NULL AND c.due_on < ?6");
	else if (strcmp(status, "due") == 0)
		add(b, " AND c.closed_on IS NULL AND c.due_on = ?6");
	else if (strcmp(status, "late") == 0)
		add(b, " AND c.closed_on > c.due_on");
	else if (strcmp(status, "closed") == 0)
		add(b, " AND c.closed_on IS NOT NULL");
}

static void bind_filter(sqlite3_stmt *q, const coso_svc_filter *f)
{
	bind_text(q, 1, f->viewer);
	bind_text(q, 2, f->scope);
	bind_text(q, 3, f->kind);
	sqlite3_bind_int(q, 4, f->from);
	sqlite3_bind_int(q, 5, f->to);
	sqlite3_bind_int(q, 6, f->day);
	bind_text(q, 7, f->q && *f->q ? f->q : NULL);
}

typedef void (*where_fn)(struct sqlb *b, coso_store *st, const coso_svc_filter *f);

/* A page of a list: the count of `count_head` + the filter's WHERE into
 * *total, then the rows of `head` + WHERE + `tail` LIMIT ?8 OFFSET ?9,
 * each handed to row(). */
static int paged(coso_store *st, const coso_svc_filter *f, where_fn filter, const char *count_head, const char *head,
		 const char *tail, int (*row)(sqlite3_stmt *, const struct visit *), const struct visit *v,
		 long long *total, const char *what)
{
	struct sqlb b = { .len = 0 };
	sqlite3_stmt *q = NULL;
	int rc;

	add(&b, count_head);
	filter(&b, st, f);
	if (b.overflow)
		return coso_error_set(COSO_ERR, "query too long");
	if ((rc = coso_db_prepare(st, b.sql, &q)) < 0)
		return rc;
	bind_filter(q, f);
	rc = sqlite3_step(q) == SQLITE_ROW ? 0 : coso_db_error(st, what);
	*total = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (rc < 0)
		return rc;
	b.len = 0;
	b.sql[0] = '\0';
	add(&b, head);
	filter(&b, st, f);
	add(&b, tail);
	add(&b, " LIMIT ?8 OFFSET ?9");
	if (b.overflow)
		return coso_error_set(COSO_ERR, "query too long");
	if ((rc = coso_db_prepare(st, b.sql, &q)) < 0)
		return rc;
	bind_filter(q, f);
	sqlite3_bind_int64(q, 8, f->per_page);
	sqlite3_bind_int64(q, 9, (f->page - 1) * f->per_page);
	return each(st, q, row, v, what);
}

static int case_row(sqlite3_stmt *q, const struct visit *v)
{
	coso_svc_case c;

	read_case(q, &c);
	return v->cas(v->ctx, &c);
}

int coso_svc_cases(coso_store *st, const coso_svc_filter *f, coso_svc_case_fn fn, void *ctx, long long *total)
{
	struct visit v = { .cas = fn, .ctx = ctx };

	return paged(st, f, cases_where, "SELECT count(*) FROM svc_case c WHERE 1", sql_case_select,
		     " ORDER BY c.received_on, c.id", case_row, &v, total, "read cases");
}

int coso_svc_case_get(coso_store *st, const char *id, const char *viewer, coso_svc_case_fn fn, void *ctx)
{
	struct sqlb b = { .len = 0 };
	sqlite3_stmt *q = NULL;
	int rc;

	add(&b, sql_case_select);
	add(&b, " AND c.id = ?2");
	if (st->access_limited)
		add(&b, COSO_ACCESS_UNIT("c.unit_code"));
	if ((rc = coso_db_prepare(st, b.sql, &q)) < 0)
		return rc;
	bind_text(q, 1, viewer);
	bind_text(q, 2, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		coso_svc_case c;

		read_case(q, &c);
		rc = fn(ctx, &c);
	} else if (rc == SQLITE_DONE) {
		rc = coso_error_set(COSO_ENOTFOUND, "no case %s", id);
	} else {
		rc = coso_db_error(st, "read case");
	}
	sqlite3_finalize(q);
	return rc;
}

/* ---- figures ----------------------------------------------------------------------- */

static int figures(coso_store *st, const char *sql, const char *scope, const char *proc, coso_day from,
		   coso_day to, coso_svc_figures **out, size_t *n)
{
	sqlite3_stmt *q = NULL;
	coso_svc_figures *v = NULL;
	size_t cnt = 1, cap = 16;
	int rc = coso_db_prepare(st, sql, &q);

	*out = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	if (!(v = calloc(cap, sizeof(*v)))) {
		sqlite3_finalize(q);
		return coso_error_set(COSO_ENOMEM, "out of memory");
	}
	bind_text(q, 1, scope);
	sqlite3_bind_int(q, 2, from);
	sqlite3_bind_int(q, 3, to);
	bind_text(q, 4, proc);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		coso_svc_figures *r;

		if (cnt == cap) {
			coso_svc_figures *nv = realloc(v, cap * 2 * sizeof(*nv));

			if (!nv) {
				rc = COSO_ENOMEM;
				break;
			}
			v = nv;
			cap *= 2;
		}
		r = &v[cnt++];
		memset(r, 0, sizeof(*r));
		snprintf(r->key, sizeof(r->key), "%s", col_text(q, 0) ? col_text(q, 0) : "");
		snprintf(r->name, sizeof(r->name), "%s", col_text(q, 1) ? col_text(q, 1) : "");
		r->received = sqlite3_column_int64(q, 2);
		r->resolved = sqlite3_column_int64(q, 3);
		r->on_time = sqlite3_column_int64(q, 4);
		r->late = sqlite3_column_int64(q, 5);
		r->open = sqlite3_column_int64(q, 6);
		r->overdue = sqlite3_column_int64(q, 7);
		v[0].received += r->received;
		v[0].resolved += r->resolved;
		v[0].on_time += r->on_time;
		v[0].late += r->late;
		v[0].open += r->open;
		v[0].overdue += r->overdue;
	}
	if (rc == COSO_ENOMEM)
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
	else
		rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "count cases");
	sqlite3_finalize(q);
	if (rc < 0) {
		free(v);
		return rc;
	}
	*out = v;
	*n = cnt;
	return 0;
}

/* The name of unit `code` on day `d`, else its last name. */
#define UNIT_NAME_AT(code, d) \
	"coalesce((SELECT u.name FROM unit_row u WHERE u.code = " code " AND u.valid_from <= " d " AND " d \
	" < u.valid_to), (SELECT u.name FROM unit_row u WHERE u.code = " code " ORDER BY u.valid_from DESC LIMIT 1))"

/* ?1 scope, ?2 from, ?3 to, ?4 procedure; KEY and NAME are the grouping. */
#define FIGURES(key, name, extra) \
	"SELECT " key ", " name "," \
	" sum(c.received_on BETWEEN ?2 AND ?3)," \
	" sum(c.closed_on BETWEEN ?2 AND ?3)," \
	" sum(c.closed_on BETWEEN ?2 AND ?3 AND c.closed_on <= c.due_on)," \
	" sum(c.closed_on BETWEEN ?2 AND ?3 AND c.closed_on > c.due_on)," \
	" sum(c.received_on <= ?3 AND (c.closed_on IS NULL OR c.closed_on > ?3))," \
	" sum(c.received_on <= ?3 AND (c.closed_on IS NULL OR c.closed_on > ?3) AND c.due_on < ?3)" \
	" FROM svc_case c WHERE (?1 IS NULL OR instr(c.scope_path, '/' || ?1 || '/') > 0)" \
	" AND c.received_on <= ?3 AND (c.closed_on IS NULL OR c.closed_on >= ?2)" extra

int coso_svc_figures_of(coso_store *st, const char *scope, coso_day from, coso_day to, int by,
			coso_svc_figures **out, size_t *n)
{
	static const char by_kind[] = FIGURES("c.kind", "''", "") " GROUP BY c.kind ORDER BY 1";
	static const char by_kind_limited[] = FIGURES("c.kind", "''", COSO_ACCESS_UNIT("c.unit_code"))
		" GROUP BY c.kind ORDER BY 1";
	static const char by_unit[] = FIGURES("c.unit_code", UNIT_NAME_AT("c.unit_code", "?3"), "")
		" GROUP BY c.unit_code ORDER BY 1";
	static const char by_unit_limited[] = FIGURES("c.unit_code", UNIT_NAME_AT("c.unit_code", "?3"),
		COSO_ACCESS_UNIT("c.unit_code")) " GROUP BY c.unit_code ORDER BY 1";

#define PROC_NAME "(SELECT p.name FROM svc_procedure p WHERE p.code = c.procedure_code ORDER BY p.valid_from DESC LIMIT 1)"
	static const char by_proc[] = FIGURES("c.procedure_code", PROC_NAME, " AND c.kind = 'onestop'")
		" GROUP BY c.procedure_code ORDER BY 1";
	static const char by_proc_limited[] = FIGURES("c.procedure_code", PROC_NAME,
		" AND c.kind = 'onestop'" COSO_ACCESS_UNIT("c.unit_code")) " GROUP BY c.procedure_code ORDER BY 1";
#undef PROC_NAME

	if (by == 0)
		return figures(st, st->access_limited ? by_kind_limited : by_kind, scope, NULL, from, to, out, n);
	if (by == 2)
		return figures(st, st->access_limited ? by_proc_limited : by_proc, scope, NULL, from, to, out, n);
	return figures(st, st->access_limited ? by_unit_limited : by_unit, scope, NULL, from, to, out, n);
}

int coso_svc_monthly(coso_store *st, const char *scope, const char *procedure, coso_day from, coso_day to,
		     coso_svc_figures **out, size_t *n)
{
#define MONTH "strftime('%Y-%m', c.closed_on * 86400, 'unixepoch')"
#define ONESTOP " AND c.kind = 'onestop' AND c.closed_on BETWEEN ?2 AND ?3 AND (?4 IS NULL OR c.procedure_code = ?4)"
	static const char plain[] = FIGURES(MONTH, "''", ONESTOP) " GROUP BY 1 ORDER BY 1";
	static const char limited[] = FIGURES(MONTH, "''", ONESTOP COSO_ACCESS_UNIT("c.unit_code"))
		" GROUP BY 1 ORDER BY 1";
#undef MONTH
#undef ONESTOP
	return figures(st, st->access_limited ? limited : plain, scope, procedure, from, to, out, n);
}

/* ---- writes ------------------------------------------------------------------------ */

/* The case's record for the audit log: its row and events as JSON. */
static int snapshot(coso_store *st, const char *id, char **out)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_prepare(st,
		"SELECT json_object('id', c.id, 'kind', c.kind, 'unit_code', c.unit_code, 'received_on', "
		SQL_DATE("c.received_on") ", 'procedure_code', c.procedure_code, 'subject', c.subject,"
		" 'complexity', c.complexity, 'officer', c.officer, 'events', (SELECT json_group_array(json_object("
		"'date', " SQL_DATE("e.day") ", 'action', e.action, 'body', e.body, 'new_date',"
		" CASE WHEN e.new_date IS NULL THEN NULL ELSE " SQL_DATE("e.new_date") " END, 'note', e.note))"
		" FROM (SELECT * FROM svc_event WHERE case_id = c.id ORDER BY seq) e))"
		" FROM svc_case c WHERE c.id = ?1", &q);

	*out = NULL;
	if (rc < 0)
		return rc;
	bind_text(q, 1, id);
	if (sqlite3_step(q) == SQLITE_ROW && col_text(q, 0) && !(*out = strdup(col_text(q, 0))))
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
	sqlite3_finalize(q);
	return rc;
}

/* 1 when the query of one text and one day has a row, 0, or < 0. */
static int has_row(coso_store *st, const char *sql, const char *s, coso_day d)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_prepare(st, sql, &q);

	if (rc < 0)
		return rc;
	bind_text(q, 1, s);
	sqlite3_bind_int(q, 2, d);
	rc = sqlite3_step(q);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : coso_db_error(st, "check");
	sqlite3_finalize(q);
	return rc;
}

static int procedure_ok(coso_store *st, const char *code, coso_day d, coso_field_errors *errs)
{
	char day[COSO_DATE_BUFSZ];
	int rc = has_row(st, "SELECT 1 FROM svc_procedure WHERE code = ?1 AND valid_from <= ?2 AND ?2 < valid_to",
			 code, d);

	if (rc == 0)
		coso_field_errors_add(errs, "procedure_code", "no procedure %s in the catalogue on %s", code,
				      coso_date_format(day, d));
	return rc;
}

/* Ends a write: on success the audit entry and commit, else rollback. */
static int finish(coso_store *st, const char *action, const char *id, char *before, int rc,
		  coso_field_errors *errs, size_t errs_before)
{
	char *after = NULL;

	if (rc == 0 && errs->n + errs->dropped > errs_before)
		rc = coso_error_set(COSO_EINVALID, "the request has problems");
	if (rc == 0)
		rc = snapshot(st, id, &after);
	if (rc == 0)
		rc = coso_store_audit_append(st, action, "svc_case", id, before, after);
	if (rc == 0)
		rc = coso_store_commit(st);
	if (rc < 0)
		coso_store_rollback(st);
	free(before);
	free(after);
	return rc;
}

int coso_svc_write_case(coso_store *st, const coso_svc_case *c, coso_svc_refresh_fn refresh,
			coso_field_errors *errs)
{
	size_t before = errs->n + errs->dropped;
	char day[COSO_DATE_BUFSZ];
	int rc = coso_store_begin(st), r;

	if (rc < 0)
		return rc;
	r = has_row(st, "SELECT 1 FROM svc_case WHERE id = ?1 AND ?2 = ?2", c->id, 0);
	if (r == 1)
		coso_field_errors_add(errs, "id", "a case %s exists already", c->id);
	if (r >= 0) {
		r = has_row(st, "SELECT 1 FROM unit_row WHERE code = ?1 AND valid_from <= ?2 AND ?2 < valid_to"
				" AND level = 3", c->unit_code, c->received_on);
		if (r == 0)
			coso_field_errors_add(errs, "unit_code", "%s is not a commune on %s", c->unit_code,
					      coso_date_format(day, c->received_on));
	}
	if (r >= 0 && strcmp(c->kind, "onestop") == 0) {
		if (!c->procedure_code)
			coso_field_errors_add(errs, "procedure_code", "a one-stop case names its procedure");
		else
			r = procedure_ok(st, c->procedure_code, c->received_on, errs);
	} else if (r >= 0 && c->procedure_code) {
		coso_field_errors_add(errs, "procedure_code", "only a one-stop case has a procedure");
	}
	if (r >= 0 && c->officer &&
	    (r = has_row(st, "SELECT 1 FROM app_user WHERE name = ?1 AND disabled = 0 AND ?2 = ?2", c->officer, 0)) == 0)
		coso_field_errors_add(errs, "officer", "no user %s may sign in: the handling officer is a user of coso",
				      c->officer);
	rc = r < 0 ? r : 0;
	if (rc == 0 && errs->n + errs->dropped == before)
		rc = insert_case(st, c);
	if (rc == 0 && errs->n + errs->dropped == before)
		rc = refresh(st, c->id, errs);
	return finish(st, "svc_case.add", c->id, NULL, rc, errs, before);
}

int coso_svc_write_event(coso_store *st, const coso_svc_event *e, coso_svc_refresh_fn refresh,
			 coso_field_errors *errs)
{
	size_t before = errs->n + errs->dropped;
	char *old = NULL;
	int rc = coso_store_begin(st);

	if (rc < 0)
		return rc;
	if ((rc = snapshot(st, e->case_id, &old)) == 0 && !old)
		rc = coso_error_set(COSO_ENOTFOUND, "no case %s", e->case_id);
	if (rc == 0)
		rc = insert_event(st, e);
	if (rc == 0)
		rc = refresh(st, e->case_id, errs);
	return finish(st, "svc_case.event", e->case_id, old, rc, errs, before);
}

int coso_svc_write_procedure(coso_store *st, const char *id, const char *procedure_code,
			     coso_svc_refresh_fn refresh, coso_field_errors *errs)
{
	size_t before = errs->n + errs->dropped;
	coso_svc_basis b;
	char *old = NULL;
	sqlite3_stmt *q = NULL;
	int rc = coso_store_begin(st);

	if (rc < 0)
		return rc;
	if ((rc = coso_svc_basis_of(st, id, &b)) == 0 && strcmp(b.kind, "onestop") != 0) {
		coso_field_errors_add(errs, "procedure_code", "only a one-stop case has a procedure");
		rc = coso_error_set(COSO_EINVALID, "the request has problems");
	}
	if (rc == 0)
		rc = snapshot(st, id, &old);
	if (rc == 0 && (rc = procedure_ok(st, procedure_code, b.received_on, errs)) == 1)
		rc = coso_db_prepare(st, "UPDATE svc_case SET procedure_code = ?2 WHERE id = ?1", &q);
	if (rc == 0 && q) {
		bind_text(q, 1, id);
		bind_text(q, 2, procedure_code);
		rc = done(st, q, "store case");
		if (rc == 0)
			rc = refresh(st, id, errs);
	}
	return finish(st, "svc_case.procedure", id, old, rc, errs, before);
}

/* ---- citizen reception ------------------------------------------------------------------ */

static int insert_matter(coso_store *st, const coso_svc_matter *m)
{
	sqlite3_stmt *q = NULL;
	char *path = NULL;
	int rc = scope_path(st, m->unit_code, m->day, &path);

	if (rc == 0)
		rc = coso_db_prepare(st,
			"INSERT INTO svc_reception (session_id, seq, unit_code, day, session_kind, host, person_name,"
			" person_doc, person_address, matter, route, case_id, note, scope_path) VALUES (?1,"
			" (SELECT coalesce(max(seq), 0) + 1 FROM svc_reception WHERE session_id = ?1),"
			" ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", &q);
	if (rc < 0) {
		free(path);
		return rc;
	}
	bind_text(q, 1, m->session_id);
	bind_text(q, 2, m->unit_code);
	sqlite3_bind_int(q, 3, m->day);
	bind_text(q, 4, m->session_kind);
	bind_text(q, 5, m->host);
	bind_text(q, 6, m->person_name);
	bind_text(q, 7, m->person_doc);
	bind_text(q, 8, m->person_address);
	bind_text(q, 9, m->matter);
	bind_text(q, 10, m->route);
	bind_text(q, 11, m->case_id);
	bind_text(q, 12, m->note);
	bind_text(q, 13, path);
	rc = done(st, q, "store reception");
	free(path);
	return rc;
}

int coso_svc_put_matter(coso_store *st, const coso_svc_matter *m)
{
	int rc = replace_key(st, SEEN_RECEPTION, m->session_id, "DELETE FROM svc_reception WHERE session_id = ?1");

	return rc < 0 ? rc : insert_matter(st, m);
}

/* The problems of the reception rows (of one session when ?1 is not NULL). */
static const char sql_reception_problems[] =
	"SELECT r.session_id, NULL, 'date', 'the rows of a session must agree on unit_code, date, session_kind"
	" and host' FROM svc_reception r WHERE (?1 IS NULL OR r.session_id = ?1) GROUP BY r.session_id"
	" HAVING count(DISTINCT r.unit_code) > 1 OR count(DISTINCT r.day) > 1 OR count(DISTINCT r.session_kind) > 1"
	"  OR count(DISTINCT coalesce(r.host, '')) > 1"
	" UNION ALL SELECT r.session_id, NULL, 'unit_code', r.unit_code || ' is not a commune on ' || "
	SQL_DATE("r.day") " FROM svc_reception r WHERE (?1 IS NULL OR r.session_id = ?1) AND r.seq = 1"
	" AND NOT EXISTS (SELECT 1 FROM unit_row u WHERE u.code = r.unit_code AND u.valid_from <= r.day"
	"  AND r.day < u.valid_to AND u.level = 3)"
	" UNION ALL SELECT r.session_id, NULL, 'case_id', CASE"
	"  WHEN r.route = 'guidance' THEN 'guidance (hướng dẫn, giải thích) is routed to no case'"
	"  WHEN c.id IS NULL THEN 'no case ' || r.case_id"
	"  WHEN c.unit_code <> r.unit_code THEN 'case ' || c.id || ' belongs to ' || c.unit_code"
	"  WHEN c.received_on < r.day THEN 'case ' || c.id || ' was received before the session'"
	"  ELSE 'case ' || c.id || ' is a ' || c.kind || ', not a ' || r.route END"
	" FROM svc_reception r LEFT JOIN svc_case c ON c.id = r.case_id"
	" WHERE (?1 IS NULL OR r.session_id = ?1) AND r.case_id IS NOT NULL AND (r.route = 'guidance' OR c.id IS NULL"
	"  OR c.unit_code <> r.unit_code OR c.received_on < r.day OR c.kind <> r.route)"
	" ORDER BY 1";

int coso_svc_check_receptions(coso_store *st, coso_problem_fn fn, void *ctx)
{
	return problems(st, sql_reception_problems, NULL, fn, ctx);
}

/* Whether the person of a matter is hidden from the viewer ?1: matters about
 * a denunciation, but from the routed case's officer. */
#define MATTER_MASK \
	"(r.route = 'denunciation' AND (?1 IS NULL OR c.officer IS NULL OR c.officer <> ?1))"

#define MATTER_COLS \
	"r.session_id, r.unit_code, r.day, r.session_kind, r.host," \
	" CASE WHEN " MATTER_MASK " THEN NULL ELSE r.person_name END," \
	" CASE WHEN " MATTER_MASK " THEN NULL ELSE r.person_doc END," \
	" CASE WHEN " MATTER_MASK " THEN NULL ELSE r.person_address END," \
	" r.matter, r.route, r.case_id, r.note, r.seq, " MATTER_MASK "," \
	" coalesce((SELECT u.name FROM unit_row u WHERE u.code = r.unit_code AND u.valid_from <= r.day" \
	"  AND r.day < u.valid_to), r.unit_code)"

static int matter_row(sqlite3_stmt *q, const struct visit *v)
{
	coso_svc_matter m = {
		.session_id = col_text(q, 0), .unit_code = col_text(q, 1), .day = sqlite3_column_int(q, 2),
		.session_kind = col_text(q, 3), .host = col_text(q, 4), .person_name = col_text(q, 5),
		.person_doc = col_text(q, 6), .person_address = col_text(q, 7), .matter = col_text(q, 8),
		.route = col_text(q, 9), .case_id = col_text(q, 10), .note = col_text(q, 11),
		.seq = sqlite3_column_int(q, 12), .masked = sqlite3_column_int(q, 13) != 0, .unit_name = col_text(q, 14),
		.routed = sqlite3_column_int(q, 13),
	};

	return v->matter(v->ctx, &m);
}

int coso_svc_each_matter_raw(coso_store *st, coso_svc_matter_fn fn, void *ctx)
{
	struct visit v = { .matter = fn, .ctx = ctx };
	sqlite3_stmt *q = NULL;
	int rc = coso_db_prepare(st,
		"SELECT r.session_id, r.unit_code, r.day, r.session_kind, r.host, r.person_name, r.person_doc,"
		" r.person_address, r.matter, r.route, r.case_id, r.note, r.seq, 0, NULL"
		" FROM svc_reception r ORDER BY r.session_id, r.seq", &q);

	return rc < 0 ? rc : each(st, q, matter_row, &v, "read receptions");
}

/* The sessions of the filter: ?2 scope, ?4 from, ?5 to (bind_filter). */
static void sessions_where(struct sqlb *b, coso_store *st, const coso_svc_filter *f)
{
	(void)f;
	add(b, " WHERE (?2 IS NULL OR instr(r.scope_path, '/' || ?2 || '/') > 0) AND r.day BETWEEN ?4 AND ?5");
	if (st->access_limited)
		add(b, COSO_ACCESS_UNIT("r.unit_code"));
}

int coso_svc_sessions(coso_store *st, const coso_svc_filter *f, coso_svc_matter_fn fn, void *ctx, long long *total)
{
	struct visit v = { .matter = fn, .ctx = ctx };

	/* one row per session: its first matter, with the number of matters in
	 * the place of seq and of those routed to a case in the place of the mask */
	return paged(st, f, sessions_where, "SELECT count(DISTINCT r.session_id) FROM svc_reception r",
		     "WITH s AS (SELECT r.session_id AS id, count(*) AS n, count(r.case_id) AS routed FROM svc_reception r",
		     " GROUP BY r.session_id)"
		     " SELECT r.session_id, r.unit_code, r.day, r.session_kind, r.host, NULL, NULL, NULL, r.matter, r.route,"
		     " r.case_id, r.note, s.n, s.routed,"
		     " coalesce((SELECT u.name FROM unit_row u WHERE u.code = r.unit_code AND u.valid_from <= r.day"
		     "  AND r.day < u.valid_to), r.unit_code)"
		     " FROM s JOIN svc_reception r ON r.session_id = s.id AND r.seq = 1"
		     " ORDER BY r.day, r.session_id", matter_row, &v, total, "read receptions");
}

int coso_svc_session_get(coso_store *st, const char *id, const char *viewer, coso_svc_matter_fn fn, void *ctx)
{
	struct visit v = { .matter = fn, .ctx = ctx };
	struct sqlb b = { .len = 0 };
	sqlite3_stmt *q = NULL;
	long long n = 0;
	int rc;

	add(&b, "SELECT " MATTER_COLS " FROM svc_reception r LEFT JOIN svc_case c ON c.id = r.case_id"
		" WHERE r.session_id = ?2");
	if (st->access_limited)
		add(&b, COSO_ACCESS_UNIT("r.unit_code"));
	add(&b, " ORDER BY r.seq");
	if ((rc = coso_db_prepare(st, b.sql, &q)) < 0)
		return rc;
	bind_text(q, 1, viewer);
	bind_text(q, 2, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		n++;
		if ((rc = matter_row(q, &v)) != 0)
			break;
	}
	rc = rc == SQLITE_DONE ? 0 : rc == SQLITE_ROW ? rc : coso_db_error(st, "read reception");
	sqlite3_finalize(q);
	if (rc == 0 && n == 0)
		rc = coso_error_set(COSO_ENOTFOUND, "no reception session %s", id);
	return rc;
}

int coso_svc_reception_figures_of(coso_store *st, const char *scope, coso_day from, coso_day to,
				  coso_svc_reception_figures *out)
{
	struct sqlb b = { .len = 0 };
	coso_svc_filter f = { .scope = scope, .from = from, .to = to };
	sqlite3_stmt *q = NULL;
	int rc;

	add(&b, "SELECT count(DISTINCT r.session_id),"
		" count(DISTINCT CASE WHEN r.session_kind = 'regular' THEN r.session_id END),"
		" count(DISTINCT CASE WHEN r.session_kind = 'chair' THEN r.session_id END),"
		" count(DISTINCT CASE WHEN r.session_kind = 'unscheduled' THEN r.session_id END),"
		" count(*), count(r.case_id) FROM svc_reception r");
	sessions_where(&b, st, &f);
	if ((rc = coso_db_prepare(st, b.sql, &q)) < 0)
		return rc;
	bind_filter(q, &f);
	if (sqlite3_step(q) == SQLITE_ROW) {
		*out = (coso_svc_reception_figures){ sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
			sqlite3_column_int64(q, 2), sqlite3_column_int64(q, 3), sqlite3_column_int64(q, 4),
			sqlite3_column_int64(q, 5) };
	} else {
		rc = coso_db_error(st, "count receptions");
	}
	sqlite3_finalize(q);
	return rc;
}

/* Collects a check's problems of one session as field errors. */
/* A check's problem of one record, as a field error of a write. */
static void field_problem(void *ctx, const coso_problem *p)
{
	coso_field_errors_add(ctx, p->column ? p->column : "id", "%s", p->message);
}

int coso_svc_write_matter(coso_store *st, const coso_svc_matter *m, coso_field_errors *errs)
{
	size_t before = errs->n + errs->dropped;
	int rc = coso_store_begin(st);

	if (rc < 0)
		return rc;
	rc = insert_matter(st, m);
	if (rc == 0 && (rc = problems(st, sql_reception_problems, m->session_id, field_problem, errs)) > 0)
		rc = 0;
	if (rc == 0 && errs->n + errs->dropped > before)
		rc = coso_error_set(COSO_EINVALID, "the request has problems");
	if (rc == 0)
		rc = coso_store_audit_append(st, "svc_reception.add", "svc_reception", m->session_id, NULL, NULL);
	if (rc == 0)
		rc = coso_store_commit(st);
	if (rc < 0)
		coso_store_rollback(st);
	return rc;
}

/* ---- voters' petitions --------------------------------------------------------------------- */

static int insert_voter(coso_store *st, const coso_svc_voter *v)
{
	sqlite3_stmt *q = NULL;
	char *path = NULL;
	int rc = scope_path(st, v->unit_code, v->meeting_on, &path);

	if (rc == 0)
		rc = coso_db_prepare(st,
			"INSERT INTO svc_voter_petition (id, unit_code, meeting_on, council, next_session_on, content, field,"
			" addressee, answered_on, answer, note, scope_path) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
			" ?11, ?12)", &q);
	if (rc < 0) {
		free(path);
		return rc;
	}
	bind_text(q, 1, v->id);
	bind_text(q, 2, v->unit_code);
	sqlite3_bind_int(q, 3, v->meeting_on);
	bind_text(q, 4, v->council);
	sqlite3_bind_int(q, 5, v->next_session_on);
	bind_text(q, 6, v->content);
	bind_text(q, 7, v->field);
	bind_text(q, 8, v->addressee);
	bind_day(q, 9, v->answered_on);
	bind_text(q, 10, v->answer);
	bind_text(q, 11, v->note);
	bind_text(q, 12, path);
	rc = done(st, q, "store voters' petition");
	free(path);
	return rc;
}

int coso_svc_put_voter(coso_store *st, const coso_svc_voter *v)
{
	int rc = seen(st, SEEN_VOTER, v->id, 0);

	if (rc < 0)
		return rc;
	if ((rc = delete_key(st, "DELETE FROM svc_voter_petition WHERE id = ?1", v->id)) < 0)
		return rc;
	return insert_voter(st, v);
}

/* ?1: one petition, or NULL for all. */
static const char sql_voter_problems[] =
	"SELECT v.id, NULL, 'unit_code', v.unit_code || ' is not a commune on ' || " SQL_DATE("v.meeting_on")
	" FROM svc_voter_petition v WHERE (?1 IS NULL OR v.id = ?1) AND NOT EXISTS (SELECT 1 FROM unit_row u"
	"  WHERE u.code = v.unit_code AND u.valid_from <= v.meeting_on AND v.meeting_on < u.valid_to AND u.level = 3)"
	" UNION ALL SELECT v.id, NULL, 'next_session_on', 'the next session must come after the meeting ('"
	" || " SQL_DATE("v.meeting_on") " || ')' FROM svc_voter_petition v WHERE (?1 IS NULL OR v.id = ?1)"
	"  AND v.next_session_on <= v.meeting_on"
	" UNION ALL SELECT v.id, NULL, 'answered_on', 'the answer comes before the meeting (' || "
	SQL_DATE("v.meeting_on") " || ')' FROM svc_voter_petition v WHERE (?1 IS NULL OR v.id = ?1)"
	"  AND v.answered_on < v.meeting_on"
	" ORDER BY 1";

int coso_svc_check_voters(coso_store *st, coso_problem_fn fn, void *ctx)
{
	return problems(st, sql_voter_problems, NULL, fn, ctx);
}

#define VOTER_COLS \
	"v.id, v.unit_code, v.meeting_on, v.council, v.next_session_on, v.content, v.field, v.addressee," \
	" v.answered_on, v.answer, v.note," \
	" coalesce((SELECT u.name FROM unit_row u WHERE u.code = v.unit_code AND u.valid_from <= v.meeting_on" \
	"  AND v.meeting_on < u.valid_to), v.unit_code)"

static int voter_row(sqlite3_stmt *q, const struct visit *vis)
{
	coso_svc_voter v = {
		.id = col_text(q, 0), .unit_code = col_text(q, 1), .meeting_on = sqlite3_column_int(q, 2),
		.council = col_text(q, 3), .next_session_on = sqlite3_column_int(q, 4), .content = col_text(q, 5),
		.field = col_text(q, 6), .addressee = col_text(q, 7), .answered_on = col_day(q, 8),
		.answer = col_text(q, 9), .note = col_text(q, 10), .unit_name = col_text(q, 11),
	};

	return vis->voter(vis->ctx, &v);
}

int coso_svc_each_voter(coso_store *st, coso_svc_voter_fn fn, void *ctx)
{
	struct visit v = { .voter = fn, .ctx = ctx };
	sqlite3_stmt *q = NULL;
	int rc = coso_db_prepare(st, "SELECT " VOTER_COLS " FROM svc_voter_petition v ORDER BY v.id", &q);

	return rc < 0 ? rc : each(st, q, voter_row, &v, "read voters' petitions");
}

/* ?2 scope, ?4 from, ?5 to, ?6 day (bind_filter) and the status. */
static void voters_where(struct sqlb *b, coso_store *st, const coso_svc_filter *f)
{
	const char *status = f->status;

	add(b, " WHERE (?2 IS NULL OR instr(v.scope_path, '/' || ?2 || '/') > 0) AND v.meeting_on BETWEEN ?4 AND ?5"
	       " AND (?7 IS NULL OR v.id = ?7)");
	if (st->access_limited)
		add(b, COSO_ACCESS_UNIT("v.unit_code"));
	if (status && strcmp(status, "answered") == 0)
		add(b, " AND v.answered_on IS NOT NULL");
	else if (status && strcmp(status, "unanswered") == 0)
		add(b, " AND (v.answered_on IS NULL OR v.answered_on > ?6)");
	else if (status && strcmp(status, "late") == 0)
		add(b, " AND coalesce(v.answered_on, 10000000) > v.next_session_on AND v.next_session_on < ?6");
}

int coso_svc_voters(coso_store *st, const coso_svc_filter *f, coso_svc_voter_fn fn, void *ctx, long long *total)
{
	struct visit v = { .voter = fn, .ctx = ctx };

	return paged(st, f, voters_where, "SELECT count(*) FROM svc_voter_petition v",
		     "SELECT " VOTER_COLS " FROM svc_voter_petition v", " ORDER BY v.meeting_on, v.id", voter_row, &v, total,
		     "read voters' petitions");
}

int coso_svc_voter_figures(coso_store *st, const char *scope, coso_day from, coso_day to, coso_svc_figures **out,
			   size_t *n)
{
#define VOTER_FIGURES(extra) \
	"SELECT v.unit_code, " UNIT_NAME_AT("v.unit_code", "?3") ", count(*), count(v.answered_on)," \
	" sum(v.answered_on <= v.next_session_on), sum(v.answered_on > v.next_session_on)," \
	" sum(v.answered_on IS NULL), sum(v.answered_on IS NULL AND v.next_session_on < ?3)" \
	" FROM svc_voter_petition v WHERE (?1 IS NULL OR instr(v.scope_path, '/' || ?1 || '/') > 0)" \
	" AND v.meeting_on BETWEEN ?2 AND ?3 AND ?4 IS NULL" extra " GROUP BY v.unit_code ORDER BY 1"
	static const char plain[] = VOTER_FIGURES("");
	static const char limited[] = VOTER_FIGURES(COSO_ACCESS_UNIT("v.unit_code"));
#undef VOTER_FIGURES
	return figures(st, st->access_limited ? limited : plain, scope, NULL, from, to, out, n);
}

/* Checks the petition id and commits (or rolls back) a voters' petition write. */
static int finish_voter(coso_store *st, const char *action, const char *id, int rc, coso_field_errors *errs,
			size_t before)
{
	if (rc == 0 && (rc = problems(st, sql_voter_problems, id, field_problem, errs)) > 0)
		rc = 0;
	if (rc == 0 && errs->n + errs->dropped > before)
		rc = coso_error_set(COSO_EINVALID, "the request has problems");
	if (rc == 0)
		rc = coso_store_audit_append(st, action, "svc_voter_petition", id, NULL, NULL);
	if (rc == 0)
		rc = coso_store_commit(st);
	if (rc < 0)
		coso_store_rollback(st);
	return rc;
}

int coso_svc_write_voter(coso_store *st, const coso_svc_voter *v, coso_field_errors *errs)
{
	size_t before = errs->n + errs->dropped;
	int rc = coso_store_begin(st), r;

	if (rc < 0)
		return rc;
	if ((r = has_row(st, "SELECT 1 FROM svc_voter_petition WHERE id = ?1 AND ?2 = ?2", v->id, 0)) == 1)
		coso_field_errors_add(errs, "id", "a voters' petition %s exists already", v->id);
	rc = r < 0 ? r : 0;
	if (rc == 0 && errs->n + errs->dropped == before)
		rc = insert_voter(st, v);
	return finish_voter(st, "svc_voter_petition.add", v->id, rc, errs, before);
}

int coso_svc_write_voter_answer(coso_store *st, const char *id, coso_day day, const char *answer,
				coso_field_errors *errs)
{
	size_t before = errs->n + errs->dropped;
	sqlite3_stmt *q = NULL;
	struct sqlb b = { .len = 0 };
	int rc = coso_store_begin(st);

	if (rc < 0)
		return rc;
	add(&b, "UPDATE svc_voter_petition SET answered_on = ?2, answer = ?3 WHERE id = ?1");
	if (st->access_limited)
		add(&b, COSO_ACCESS_UNIT("unit_code"));
	if ((rc = coso_db_prepare(st, b.sql, &q)) == 0) {
		bind_text(q, 1, id);
		sqlite3_bind_int(q, 2, day);
		bind_text(q, 3, answer);
		rc = done(st, q, "store voters' petition");
	}
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		rc = coso_error_set(COSO_ENOTFOUND, "no voters' petition %s", id);
	return finish_voter(st, "svc_voter_petition.answer", id, rc, errs, before);
}
