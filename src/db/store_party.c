/*
 * store_party.c: the storage of party work (db/store_party.h): the tables
 * party_candidate and party_review (one row per candidate, per member
 * reviewed; their columns are the registers' own, dates as day numbers,
 * NULL when a stage is not reached), loaded by imports, checked against the
 * registry, written by dated events with audit entries, and read for the
 * lists of deadlines.
 *
 * A candidate's row holds its history: each stage is a date that is set
 * once, in order; a write never changes a stage already recorded (the
 * checks of core/party.c and below refuse it) and the audit log keeps the
 * row before and after every write.
 */
#include "db/store_party.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_access.h"
#include "db/store_audit.h"
#include "db/store_internal.h"
#include "util/error.h"

#define SQL_MAX 2048

/* "c1, c2, ..." of table t, each prefixed with `alias` */
static void column_list(char *buf, size_t n, const coso_ptable *t, const char *alias)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int c = 0; c < t->ncols && used < n; c++) {
		int w = snprintf(buf + used, n - used, "%s%s%s", c ? ", " : "", alias, t->cols[c].name);

		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static void bind_row(sqlite3_stmt *q, const coso_ptable *t, const coso_prow *r)
{
	for (int c = 0; c < t->ncols; c++) {
		if (t->types[c] == 'd') {
			if (r->day[c] == COSO_DAY_MAX)
				sqlite3_bind_null(q, c + 1);
			else
				sqlite3_bind_int(q, c + 1, r->day[c]);
		} else if (r->text[c]) {
			sqlite3_bind_text(q, c + 1, r->text[c], -1, SQLITE_STATIC);
		} else {
			sqlite3_bind_null(q, c + 1);
		}
	}
}

/* Reads columns first .. first+ncols-1 of q as a row of t. */
static int column_row(sqlite3_stmt *q, int first, const coso_ptable *t, coso_prow *out)
{
	coso_prow_init(out);
	for (int c = 0; c < t->ncols; c++) {
		if (sqlite3_column_type(q, first + c) == SQLITE_NULL)
			continue;
		if (t->types[c] == 'd') {
			out->day[c] = sqlite3_column_int(q, first + c);
		} else if (coso_prow_set(out, c, (const char *)sqlite3_column_text(q, first + c)) < 0) {
			coso_prow_clear(out);
			return COSO_ENOMEM;
		}
	}
	return 0;
}

static int upsert(coso_store *st, const coso_ptable *t, const coso_prow *r)
{
	char cols[SQL_MAX], sql[SQL_MAX * 2];
	sqlite3_stmt *q = NULL;
	size_t used;
	int rc;

	column_list(cols, sizeof(cols), t, "");
	used = (size_t)snprintf(sql, sizeof(sql), "INSERT OR REPLACE INTO %s (%s) VALUES (", t->table, cols);
	for (int c = 0; c < t->ncols && used < sizeof(sql); c++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s?%d", c ? ", " : "", c + 1);
	if (used < sizeof(sql))
		snprintf(sql + used, sizeof(sql) - used, ")");
	/* kept prepared: a load calls this once a row */
	if ((rc = coso_db_kept(st, sql, &q)) < 0)
		return rc;
	bind_row(q, t, r);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, t->table);
	coso_db_give_back(st, q);
	return rc;
}

/* ---- import ------------------------------------------------------------------------- */

int coso_store_prow_load_begin(coso_store *st, const coso_ptable *t)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_exec(st, "CREATE TEMP TABLE IF NOT EXISTS party_seen (tbl TEXT NOT NULL, key TEXT NOT NULL,"
			      " PRIMARY KEY (tbl, key)) WITHOUT ROWID");

	if (rc == 0 && (rc = coso_db_prepare(st, "DELETE FROM temp.party_seen WHERE tbl = ?1", &q)) == 0) {
		sqlite3_bind_text(q, 1, t->table, -1, SQLITE_STATIC);
		rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "load");
		sqlite3_finalize(q);
	}
	return rc;
}

int coso_store_prow_load(coso_store *st, const coso_ptable *t, const coso_prow *r)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_kept(st, "INSERT INTO temp.party_seen (tbl, key) VALUES (?1, ?2)", &q);

	if (rc < 0)
		return rc;
	sqlite3_bind_text(q, 1, t->table, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, r->text[0], -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		rc = COSO_ECONFLICT;
	else if (rc != SQLITE_DONE)
		rc = coso_db_error(st, "load");
	else
		rc = 0;
	coso_db_give_back(st, q);
	return rc < 0 ? rc : upsert(st, t, r);
}

int coso_store_prow_each(coso_store *st, const coso_ptable *t, coso_prow_fn fn, void *ctx)
{
	char cols[SQL_MAX], sql[SQL_MAX * 2];
	sqlite3_stmt *q = NULL;
	int rc;

	column_list(cols, sizeof(cols), t, "");
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s ORDER BY %s", cols, t->table, t->cols[0].name);
	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		coso_prow r;

		if ((rc = column_row(q, 0, t, &r)) < 0)
			break;
		rc = fn(ctx, &r);
		coso_prow_clear(&r);
		if (rc)
			break;
	}
	if (rc == SQLITE_DONE)
		rc = 0;
	else if (rc == SQLITE_ROW || rc > 0)
		rc = rc == SQLITE_ROW ? coso_db_error(st, t->table) : rc;
	sqlite3_finalize(q);
	return rc;
}

/* ---- the register as a whole ------------------------------------------------------------ */

/* Each query gives (key, column, message) for every problem. */
static const char *const candidate_checks[] = {
	/* the cell of the candidate: on the proposal's day, or the ceremony's
	 * when admitted (a new cell may admit a candidate proposed earlier) */
	"SELECT id, 'org_code', printf('organization %s does not exist on %s (%s)', org_code,"
	" d(coalesce(ceremony_on, proposed_on)), iif(ceremony_on IS NULL, 'proposed_on', 'ceremony_on'))"
	" FROM party_candidate c WHERE NOT EXISTS (SELECT 1 FROM org_row o WHERE o.code = c.org_code"
	" AND o.valid_from <= coalesce(c.ceremony_on, c.proposed_on) AND coalesce(c.ceremony_on, c.proposed_on) < o.valid_to)",
	"SELECT id, 'residence_code', printf('unit %s does not exist on %s (proposed_on)', residence_code,"
	" d(proposed_on)) FROM party_candidate c WHERE residence_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
	" unit_row u WHERE u.code = c.residence_code AND u.valid_from <= c.proposed_on AND c.proposed_on < u.valid_to)",
	"SELECT id, 'decided_by', printf('organization %s does not exist on %s (decided_on)', decided_by,"
	" d(decided_on)) FROM party_candidate c WHERE decided_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_row o"
	" WHERE o.code = c.decided_by AND o.valid_from <= c.decided_on AND c.decided_on < o.valid_to)",
	"SELECT id, 'member_id', printf('member %s is not in the registry', member_id) FROM party_candidate c"
	" WHERE member_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM member m WHERE m.id = c.member_id)",
	/* the admitted candidate is the member: admitted on the ceremony's day
	 * (Điều lệ Đảng, Điều 5 khoản 1), the same person, in the same cell */
	"SELECT c.id, 'ceremony_on', printf('member %s was admitted on %s, not on the ceremony''s day %s',"
	" m.id, d(m.admitted_on), d(c.ceremony_on)) FROM party_candidate c JOIN member m ON m.id = c.member_id"
	" WHERE m.admitted_on <> c.ceremony_on",
	"SELECT c.id, 'member_id', printf('member %s is %s, born %s (%s): not this candidate', m.id, m.full_name,"
	" d(m.birth_date), m.gender) FROM party_candidate c JOIN member m ON m.id = c.member_id"
	" WHERE m.full_name <> c.full_name OR m.birth_date <> c.birth_date OR m.gender <> c.gender",
	"SELECT c.id, 'org_code', printf('member %s was admitted in %s, not in %s', m.id, p.org_code, c.org_code)"
	" FROM party_candidate c JOIN member m ON m.id = c.member_id JOIN member_period p ON p.member_id = m.id"
	" AND p.valid_from = m.admitted_on WHERE p.org_code <> c.org_code",
	"SELECT c.id, 'member_id', printf('member %s is also candidate %s', c.member_id, min(o.id))"
	" FROM party_candidate c JOIN party_candidate o ON o.member_id = c.member_id AND o.id <> c.id GROUP BY c.id",
	NULL,
};

static const char *const review_checks[] = {
	"SELECT member_id, 'member_id', printf('member %s is not in the registry', member_id) FROM party_review r"
	" WHERE NOT EXISTS (SELECT 1 FROM member m WHERE m.id = r.member_id)",
	"SELECT member_id, 'decided_by', printf('organization %s does not exist on %s (decided_on)', decided_by,"
	" d(decided_on)) FROM party_review r WHERE NOT EXISTS (SELECT 1 FROM org_row o WHERE o.code = r.decided_by"
	" AND o.valid_from <= r.decided_on AND r.decided_on < o.valid_to)",
	/* Quy định 24-QĐ/TW, 4.2: recognised, the member is official; not
	 * recognised, removed from the list (xoá tên) on the decision */
	"SELECT r.member_id, 'outcome', printf('member %s is recognised but has no official_on in members.csv',"
	" r.member_id) FROM party_review r JOIN member m ON m.id = r.member_id WHERE r.outcome = 'recognised'"
	" AND m.official_on >= 10000000",
	"SELECT r.member_id, 'outcome', printf('member %s is removed but members.csv does not end the membership with"
	" end_reason removed', r.member_id) FROM party_review r JOIN member m ON m.id = r.member_id"
	" WHERE r.outcome = 'removed' AND (m.ended_on >= 10000000 OR m.end_reason IS NOT 'removed')",
	NULL,
};

/* Quy định 24-QĐ/TW, 6.3: the member leaves from_org (its cell when the
 * letter is given) for to_org; official, the member belongs to to_org from
 * the day the letter is presented; out, the membership ends on the letter's
 * day (transferred_out). */
static const char *const transfer_checks[] = {
	"SELECT id, 'member_id', printf('member %s is not in the registry', member_id) FROM party_transfer t"
	" WHERE NOT EXISTS (SELECT 1 FROM member m WHERE m.id = t.member_id)",
	"SELECT t.id, 'from_org', printf('member %s is not in %s on %s (letter_on)', t.member_id, t.from_org,"
	" d(t.letter_on)) FROM party_transfer t WHERE EXISTS (SELECT 1 FROM member m WHERE m.id = t.member_id)"
	" AND NOT EXISTS (SELECT 1 FROM member_period p WHERE p.member_id = t.member_id AND p.org_code = t.from_org"
	" AND iif(t.kind = 'out', p.valid_from < t.letter_on AND t.letter_on <= p.valid_to,"
	" p.valid_from <= t.letter_on AND t.letter_on < p.valid_to))",
	"SELECT id, 'to_org', printf('organization %s does not exist on %s (letter_on)', to_org, d(letter_on))"
	" FROM party_transfer t WHERE to_org IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_row o WHERE o.code = t.to_org"
	" AND o.valid_from <= t.letter_on AND t.letter_on < o.valid_to)",
	"SELECT t.id, 'presented_on', printf('member %s is not in %s from %s (member_periods.csv)', t.member_id,"
	" t.to_org, d(t.presented_on)) FROM party_transfer t WHERE t.kind = 'official' AND t.presented_on IS NOT NULL"
	" AND NOT EXISTS (SELECT 1 FROM member_period p WHERE p.member_id = t.member_id AND p.org_code = t.to_org"
	" AND p.valid_from = t.presented_on)",
	"SELECT t.id, 'letter_on', printf('member %s does not end on %s with end_reason transferred_out (members.csv)',"
	" t.member_id, d(t.letter_on)) FROM party_transfer t JOIN member m ON m.id = t.member_id WHERE t.kind = 'out'"
	" AND (m.ended_on <> t.letter_on OR m.end_reason IS NOT 'transferred_out')",
	NULL,
};

/* Quy định 124-QĐ/TW (2023) on the yearly ratings: a member is rated while
 * a member, an organization while it exists; each is rated once a year. */
static const char *const rating_checks[] = {
	"SELECT id, 'subject', printf('member %s is not in the registry on %s (rated_on)', subject, d(rated_on))"
	" FROM party_rating r WHERE kind = 'member' AND NOT EXISTS (SELECT 1 FROM member m WHERE m.id = r.subject"
	" AND m.admitted_on <= r.rated_on AND r.rated_on < m.ended_on)",
	"SELECT id, 'subject', printf('organization %s does not exist on %s (rated_on)', subject, d(rated_on))"
	" FROM party_rating r WHERE kind = 'org' AND NOT EXISTS (SELECT 1 FROM org_row o WHERE o.code = r.subject"
	" AND o.valid_from <= r.rated_on AND r.rated_on < o.valid_to)",
	"SELECT id, 'rated_by', printf('organization %s does not exist on %s (rated_on)', rated_by, d(rated_on))"
	" FROM party_rating r WHERE NOT EXISTS (SELECT 1 FROM org_row o WHERE o.code = r.rated_by"
	" AND o.valid_from <= r.rated_on AND r.rated_on < o.valid_to)",
	"SELECT r.id, 'subject', printf('%s %s is also rated for %s by %s', r.kind, r.subject, r.year, min(o.id))"
	" FROM party_rating r JOIN party_rating o ON o.year = r.year AND o.kind = r.kind AND o.subject = r.subject"
	" AND o.id <> r.id GROUP BY r.id",
	NULL,
};

/* A badge is awarded to a member (active on the day), once for each years. */
static const char *const badge_checks[] = {
	"SELECT id, 'member_id', printf('member %s is not in the registry on %s (awarded_on)', member_id,"
	" d(awarded_on)) FROM party_badge b WHERE NOT EXISTS (SELECT 1 FROM member m WHERE m.id = b.member_id"
	" AND m.admitted_on <= b.awarded_on AND b.awarded_on < m.ended_on)",
	"SELECT b.id, 'years', printf('member %s has the badge of %s years already (%s)', b.member_id, b.years, min(o.id))"
	" FROM party_badge b JOIN party_badge o ON o.member_id = b.member_id AND o.years = b.years AND o.id <> b.id"
	" GROUP BY b.id",
	NULL,
};

struct check_ctx {
	coso_problem_fn fn;
	void *ctx;
	const char *key;
	int n;
	const coso_ptable *t;
};

static void check_problem(void *ctx, int col, const char *msg)
{
	struct check_ctx *c = ctx;
	coso_problem p = { 0, c->key, COSO_DAY_MIN, c->t->cols[col].name, msg, false };

	c->fn(c->ctx, &p);
	c->n++;
}

int coso_store_party_check(coso_store *st, const coso_ptable *t, coso_problem_fn fn, void *ctx)
{
	const char *const *checks = t == &coso_reviews ? review_checks : t == &coso_transfers ? transfer_checks
		: t == &coso_ratings ? rating_checks : t == &coso_badges ? badge_checks : candidate_checks;
	struct check_ctx cx = { fn, ctx, NULL, 0, t };
	sqlite3_stmt *q = NULL;
	int rc = 0;

	for (; *checks && rc == 0; checks++) {
		if ((rc = coso_db_prepare(st, *checks, &q)) < 0)
			return rc;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			coso_problem p = { 0, (const char *)sqlite3_column_text(q, 0), COSO_DAY_MIN,
					   (const char *)sqlite3_column_text(q, 1), (const char *)sqlite3_column_text(q, 2),
					   false };

			fn(ctx, &p);
			cx.n++;
		}
		rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "check");
		sqlite3_finalize(q);
		q = NULL;
	}
	/* a review or an award on its own, given the member's admission */
	if (rc == 0 && (t == &coso_reviews || t == &coso_badges)) {
		char cols[SQL_MAX], sql[SQL_MAX * 2];

		column_list(cols, sizeof(cols), t, "r.");
		snprintf(sql, sizeof(sql), "SELECT m.admitted_on, %s FROM %s r JOIN member m ON m.id = r.member_id"
			 " ORDER BY r.%s", cols, t->table, t->cols[0].name);
		if ((rc = coso_db_prepare(st, sql, &q)) < 0)
			return rc;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			coso_prow r;

			if ((rc = column_row(q, 1, t, &r)) < 0)
				break;
			cx.key = r.text[0];
			if (t == &coso_reviews)
				coso_review_check(&r, sqlite3_column_int(q, 0), check_problem, &cx);
			else
				coso_badge_award_check(&r, sqlite3_column_int(q, 0), check_problem, &cx);
			coso_prow_clear(&r);
		}
		rc = rc == SQLITE_DONE ? 0 : rc < 0 ? rc : coso_db_error(st, "check");
		sqlite3_finalize(q);
	}
	/* members admitted less than 6 months before are not rated */
	if (rc == 0 && t == &coso_ratings) {
		if ((rc = coso_db_prepare(st, "SELECT r.id, m.id, m.admitted_on, r.rated_on FROM party_rating r JOIN member m"
					  " ON m.id = r.subject WHERE r.kind = 'member' ORDER BY r.id", &q)) < 0)
			return rc;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			coso_day admitted = sqlite3_column_int(q, 2), rated = sqlite3_column_int(q, 3);
			char msg[256], a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ];
			coso_problem p = { 0, (const char *)sqlite3_column_text(q, 0), COSO_DAY_MIN, "subject", msg, false };

			if (coso_rating_member_old_enough(admitted, rated))
				continue;
			snprintf(msg, sizeof(msg), "member %s was admitted on %s, less than 6 months before %s (rated_on):"
				 " not rated that year", (const char *)sqlite3_column_text(q, 1), coso_date_format(a, admitted),
				 coso_date_format(b, rated));
			fn(ctx, &p);
			cx.n++;
		}
		rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "check");
		sqlite3_finalize(q);
	}
	return rc < 0 ? rc : cx.n;
}

/* ---- reads -------------------------------------------------------------------------------- */

/* The organizations under `org` (itself included) at ?2, as a CTE named sub. */
#define SUBTREE "WITH RECURSIVE sub(code) AS (SELECT ?1 UNION SELECT o.code FROM org_row o JOIN sub ON" \
	" o.parent_code = sub.code WHERE o.valid_from <= ?2 AND ?2 < o.valid_to) "

int coso_store_prow_get(coso_store *st, const coso_ptable *t, const char *key, coso_prow *out)
{
	char cols[SQL_MAX], sql[SQL_MAX * 3];
	sqlite3_stmt *q = NULL;
	int rc;

	coso_prow_init(out);
	column_list(cols, sizeof(cols), t, "x.");
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s x WHERE x.%s = ?1%s", cols, t->table, t->cols[0].name,
		 !st->access_limited ? "" : t == &coso_candidates ? COSO_ACCESS_ORG("x.org_code")
		 : t == &coso_ratings ? " AND CASE x.kind WHEN 'member' THEN (1" COSO_ACCESS_MEMBER("x.subject")
		 ") ELSE (1" COSO_ACCESS_ORG("x.subject") ") END"
		 : COSO_ACCESS_MEMBER("x.member_id"));
	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		rc = column_row(q, 0, t, out);
	else if (rc == SQLITE_DONE)
		rc = coso_error_set(COSO_ENOTFOUND, "%s %s is not in the register", t->kind, key);
	else
		rc = coso_db_error(st, t->table);
	sqlite3_finalize(q);
	return rc;
}

/* Runs sql (?1 org or NULL, ?2 the day) whose first `lead` columns are texts
 * and the others a row of t, and calls fn with each. */
typedef int (*lead_fn)(void *ctx, const char *const *lead, const coso_prow *row);

static int lead_rows_each(coso_store *st, const char *sql, const coso_ptable *t, int lead, coso_day d, const char *org,
			  lead_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	if (org)
		sqlite3_bind_text(q, 1, org, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, d);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *texts[4] = { NULL, NULL, NULL, NULL };
		coso_prow r;

		for (int i = 0; i < lead && i < 4; i++)
			texts[i] = (const char *)sqlite3_column_text(q, i);
		if ((rc = column_row(q, lead, t, &r)) < 0)
			break;
		rc = fn(ctx, texts, &r);
		coso_prow_clear(&r);
		if (rc)
			break;
	}
	rc = rc == SQLITE_DONE ? 0 : rc == SQLITE_ROW ? coso_db_error(st, t->table) : rc;
	sqlite3_finalize(q);
	return rc;
}

struct item_fn {
	coso_candidate_fn cand;
	coso_transfer_fn transfer;
	void *ctx;
};

static int candidate_lead(void *ctx, const char *const *lead, const coso_prow *row)
{
	struct item_fn *x = ctx;
	coso_candidate_item it = { row, lead[0] };

	return x->cand(x->ctx, &it);
}

int coso_store_candidates_each(coso_store *st, coso_day d, const char *org, coso_candidate_fn fn, void *ctx)
{
	char cols[SQL_MAX], sql[SQL_MAX * 3];
	struct item_fn x = { fn, NULL, ctx };

	column_list(cols, sizeof(cols), &coso_candidates, "c.");
	snprintf(sql, sizeof(sql), "%sSELECT (SELECT o.name FROM org_row o WHERE o.code = c.org_code AND o.valid_from <= ?2"
		 " AND ?2 < o.valid_to), %s FROM party_candidate c WHERE (?1 IS NULL OR c.org_code IN (SELECT code FROM sub))"
		 "%s ORDER BY c.id", SUBTREE, cols, st->access_limited ? COSO_ACCESS_ORG("c.org_code") : "");
	return lead_rows_each(st, sql, &coso_candidates, 1, d, org, candidate_lead, &x);
}

static int transfer_lead(void *ctx, const char *const *lead, const coso_prow *row)
{
	struct item_fn *x = ctx;
	coso_transfer_item it = { row, lead[0], lead[1], lead[2] };

	return x->transfer(x->ctx, &it);
}

int coso_store_transfers_each(coso_store *st, coso_day d, const char *org, coso_transfer_fn fn, void *ctx)
{
	char cols[SQL_MAX], sql[SQL_MAX * 3];
	struct item_fn x = { NULL, fn, ctx };

	column_list(cols, sizeof(cols), &coso_transfers, "t.");
	snprintf(sql, sizeof(sql), "%sSELECT (SELECT m.full_name FROM member m WHERE m.id = t.member_id),"
		 " (SELECT o.name FROM org_row o WHERE o.code = t.from_org AND o.valid_from <= ?2 AND ?2 < o.valid_to),"
		 " (SELECT o.name FROM org_row o WHERE o.code = t.to_org AND o.valid_from <= ?2 AND ?2 < o.valid_to), %s"
		 " FROM party_transfer t WHERE t.decided_on <= ?2 AND (?1 IS NULL OR t.from_org IN (SELECT code FROM sub)"
		 " OR t.to_org IN (SELECT code FROM sub))%s ORDER BY t.id", SUBTREE, cols,
		 st->access_limited ? COSO_ACCESS_MEMBER("t.member_id") : "");
	return lead_rows_each(st, sql, &coso_transfers, 3, d, org, transfer_lead, &x);
}

/* Runs the members' query sql (?1 org, ?2 d, ?3 admitted_by; columns id, full_name, org, org name,
 * admitted_on, official_on, ended_on, has a review, the review's columns) and calls fn for each. */
static int members_each(coso_store *st, const char *sql, coso_day d, coso_day admitted_by, const char *org,
			coso_probation_fn fn, void *ctx)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	if (org)
		sqlite3_bind_text(q, 1, org, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, d);
	sqlite3_bind_int(q, 3, admitted_by);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		coso_prow r;
		coso_probation_item it = {
			(const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
			(const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3),
			sqlite3_column_int(q, 4), sqlite3_column_int(q, 5), sqlite3_column_int(q, 6), NULL,
		};

		if ((rc = column_row(q, 8, &coso_reviews, &r)) < 0)
			break;
		if (sqlite3_column_int(q, 7))
			it.review = &r;
		rc = fn(ctx, &it);
		coso_prow_clear(&r);
		if (rc)
			break;
	}
	rc = rc == SQLITE_DONE ? 0 : rc == SQLITE_ROW ? coso_db_error(st, "members") : rc;
	sqlite3_finalize(q);
	return rc;
}

/* The members of `where` (on table member m, with ?2 the day and ?3 a bound), their organization on
 * ?2 (of the period covering it, else the last before) and their review, limited to `org` (?1) and
 * to the reader's scope. */
static void members_sql(char *sql, size_t n, const coso_store *st, const char *where)
{
	char cols[SQL_MAX];

	column_list(cols, sizeof(cols), &coso_reviews, "r.");
	snprintf(sql, n, "%s, pm AS (SELECT m.*, (SELECT p.org_code FROM member_period p WHERE p.member_id = m.id"
		 " AND p.valid_from <= ?2 ORDER BY p.valid_from DESC LIMIT 1) AS org FROM member m WHERE %s)"
		 " SELECT m.id, m.full_name, m.org, (SELECT o.name FROM org_row o WHERE o.code = m.org AND o.valid_from <= ?2"
		 " AND ?2 < o.valid_to), m.admitted_on, m.official_on, m.ended_on, r.member_id IS NOT NULL, %s"
		 " FROM pm m LEFT JOIN party_review r ON r.member_id = m.id"
		 " WHERE (?1 IS NULL OR m.org IN (SELECT code FROM sub))%s ORDER BY m.admitted_on, m.id",
		 SUBTREE, where, cols, st->access_limited ? COSO_ACCESS_MEMBER("m.id") : "");
}

int coso_store_probation_each(coso_store *st, coso_day d, const char *org, coso_probation_fn fn, void *ctx)
{
	char sql[SQL_MAX * 4];

	members_sql(sql, sizeof(sql), st, "m.admitted_on <= ?2 AND (m.admitted_on > ?2 - 1096 OR (m.official_on >= 10000000"
		    " AND m.ended_on > ?2 AND NOT EXISTS (SELECT 1 FROM party_review x WHERE x.member_id = m.id)))");
	return members_each(st, sql, d, d, org, fn, ctx);
}

int coso_store_seniors_each(coso_store *st, coso_day d, coso_day admitted_by, const char *org, coso_probation_fn fn,
			    void *ctx)
{
	char sql[SQL_MAX * 4];

	members_sql(sql, sizeof(sql), st, "m.admitted_on <= ?3 AND m.ended_on > ?2");
	return members_each(st, sql, d, admitted_by, org, fn, ctx);
}

/* ---- writes ---------------------------------------------------------------------------------- */

/* The row as JSON text for an audit entry (malloc'd), NULL for no row. */
static char *row_json(const coso_ptable *t, const coso_prow *r)
{
	json_t *o;
	char *s;

	if (!r)
		return NULL;
	o = json_object();
	for (int c = 0; o && c < t->ncols; c++) {
		json_t *v;
		char b[COSO_DATE_BUFSZ];

		if (t->types[c] == 'd')
			v = r->day[c] == COSO_DAY_MAX ? json_null() : json_string(coso_date_format(b, r->day[c]));
		else
			v = r->text[c] ? json_string(r->text[c]) : json_null();
		json_object_set_new(o, t->cols[c].name, v);
	}
	s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	return s;
}

/* Stores row r of t and appends its audit entry, inside the open transaction. */
static int put_audited(coso_store *st, const coso_ptable *t, const coso_prow *before, const coso_prow *r,
		       const char *action)
{
	char *b = row_json(t, before), *a = row_json(t, r);
	int rc = a && (b || !before) ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");

	if (rc == 0)
		rc = upsert(st, t, r);
	if (rc == 0)
		rc = coso_store_audit_append(st, action, t->kind, r->text[0], b, a);
	free(b);
	free(a);
	return rc;
}

static size_t nerrs(const coso_field_errors *e)
{
	return e->n + e->dropped;
}

/* Whether key has a stored row in t (any scope): 1, 0 or a negative coso_rc. */
static int key_exists(coso_store *st, const coso_ptable *t, const char *key)
{
	char sql[256];
	sqlite3_stmt *q = NULL;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE %s = ?1", t->table, t->cols[0].name);
	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : coso_db_error(st, t->table);
	sqlite3_finalize(q);
	return rc;
}

/* A problem of the register's check, kept when it is about the written row. */
struct own_ctx {
	coso_field_errors *errs;
	const char *key;
};

static void own_problem(void *ctx, const coso_problem *p)
{
	struct own_ctx *o = ctx;

	if (p->key && strcmp(p->key, o->key) == 0)
		coso_field_errors_add(o->errs, p->column, "%s", p->message);
}

int coso_store_prow_write(coso_store *st, const coso_ptable *t, const coso_prow *row, bool create,
			  const char *action, coso_prow_check_fn check, void *ctx, coso_field_errors *errs)
{
	size_t before_n = nerrs(errs);
	coso_prow before;
	bool had = false;
	int rc;

	coso_prow_init(&before);
	if (!row->text[0]) {
		coso_field_errors_add(errs, t->cols[0].name, "is required");
		return coso_error_set(COSO_EINVALID, "1 problem: nothing was written");
	}
	if ((rc = coso_store_begin(st)) < 0)
		return rc;
	if (create) {
		/* a key is never reused, whoever's scope its row is in: asked of
		 * the whole register, not of the rows the reader sees */
		if ((rc = key_exists(st, t, row->text[0])) > 0)
			coso_field_errors_add(errs, t->cols[0].name, "%s %s is already in the register", t->kind, row->text[0]);
	} else if ((rc = coso_store_prow_get(st, t, row->text[0], &before)) == 0) {
		had = true;
	}
	if (rc < 0)
		goto done;
	rc = 0;
	if (nerrs(errs) == before_n && check)
		check(ctx, had ? &before : NULL, row, errs);
	if (nerrs(errs) == before_n)
		rc = put_audited(st, t, had ? &before : NULL, row, action);
	/* the import's checks against the registry, for this row */
	if (rc == 0 && nerrs(errs) == before_n) {
		struct own_ctx o = { errs, row->text[0] };
		int n = coso_store_party_check(st, t, own_problem, &o);

		rc = n < 0 ? n : 0;
	}
done:
	coso_prow_clear(&before);
	if (rc == 0 && nerrs(errs) == before_n && (rc = coso_store_commit(st)) == 0)
		return 0;
	coso_store_rollback(st);
	if (rc < 0)
		return rc;
	return coso_error_set(COSO_EINVALID, "%zu problem(s): nothing was written", nerrs(errs) - before_n);
}

/* The member write's step: the candidate's or the review's row. */
struct hook_ctx {
	const coso_ptable *t;
	const coso_prow *before, *after;
	const char *action;
};

static int hook_put(coso_store *st, void *ctx, coso_field_errors *errs)
{
	struct hook_ctx *h = ctx;
	struct own_ctx o = { errs, h->after->text[0] };
	int rc = put_audited(st, h->t, h->before, h->after, h->action);

	if (rc == 0 && (rc = coso_store_party_check(st, h->t, own_problem, &o)) > 0)
		rc = 0;
	return rc;
}

/* The member write names its fields (id, admitted_on, official_on,
 * ended_on); the request names them member_id, ceremony_on, decided_on. */
static void rename_fields(coso_field_errors *errs, size_t from, const char *const map[][2])
{
	for (size_t i = from; i < errs->n; i++)
		for (int k = 0; map[k][0]; k++)
			if (strcmp(errs->v[i].field, map[k][0]) == 0) {
				char *s = strdup(map[k][1]);

				if (s) {
					free(errs->v[i].field);
					errs->v[i].field = s;
				}
				break;
			}
}

int coso_store_candidate_admit(coso_store *st, const char *id, const char *member_id, coso_day ceremony_on,
			       coso_field_errors *errs)
{
	static const char *const map[][2] = {
		{ "id", "member_id" }, { "admitted_on", "ceremony_on" }, { "full_name", "id" }, { "gender", "id" },
		{ "birth_date", "id" }, { "ethnicity", "id" }, { NULL, NULL },
	};
	size_t before_n = nerrs(errs);
	coso_prow c, after;
	char b1[COSO_DATE_BUFSZ], b2[COSO_DATE_BUFSZ];
	int rc = coso_store_prow_get(st, &coso_candidates, id, &c);

	coso_prow_init(&after);
	if (rc < 0)
		return rc;
	if (c.day[CAND_DROPPED] != COSO_DAY_MAX)
		coso_field_errors_add(errs, "ceremony_on", "candidate %s was dropped on %s", id,
				      coso_date_format(b1, c.day[CAND_DROPPED]));
	else if (c.day[CAND_CEREMONY] != COSO_DAY_MAX)
		coso_field_errors_add(errs, "ceremony_on", "candidate %s was admitted on %s as member %s", id,
				      coso_date_format(b1, c.day[CAND_CEREMONY]), c.text[CAND_MEMBER]);
	else if (c.day[CAND_DECIDED] == COSO_DAY_MAX)
		coso_field_errors_add(errs, "ceremony_on", "candidate %s has no admission decision yet (decided_on)", id);
	else if (ceremony_on < c.day[CAND_DECIDED])
		coso_field_errors_add(errs, "ceremony_on", "%s is before the decision (%s)", coso_date_format(b1, ceremony_on),
				      coso_date_format(b2, c.day[CAND_DECIDED]));
	if (!member_id || !*member_id)
		coso_field_errors_add(errs, "member_id", "is required");
	if (nerrs(errs) == before_n && (rc = coso_prow_copy(&after, &c)) == 0) {
		after.day[CAND_CEREMONY] = ceremony_on;
		rc = coso_prow_set(&after, CAND_MEMBER, member_id);
	}
	if (rc == 0 && nerrs(errs) == before_n) {
		coso_member_admission a = {
			.id = member_id, .full_name = c.text[CAND_NAME], .gender = c.text[CAND_GENDER],
			.ethnicity = c.text[CAND_ETHNICITY], .birth_date = c.day[CAND_BIRTH], .admitted_on = ceremony_on,
			.org_code = c.text[CAND_ORG], .residence_code = c.text[CAND_RESIDENCE],
		};
		struct hook_ctx h = { &coso_candidates, &c, &after, "candidate.admit" };

		rc = coso_store_member_admit_with(st, &a, errs, hook_put, &h);
		rename_fields(errs, before_n, map);
	} else if (rc == 0) {
		rc = coso_error_set(COSO_EINVALID, "%zu problem(s): nothing was written", nerrs(errs) - before_n);
	}
	coso_prow_clear(&c);
	coso_prow_clear(&after);
	return rc;
}

/* A review's problem as a field error (the field is the column's name). */
static void field_problem(void *ctx, int col, const char *msg)
{
	coso_field_errors_add(ctx, coso_reviews.cols[col].name, "%s", msg);
}

int coso_store_probation_decide(coso_store *st, const coso_prow *r, coso_field_errors *errs)
{
	static const char *const map[][2] = {
		{ "official_on", "decided_on" }, { "ended_on", "decided_on" }, { "end_reason", "outcome" },
		{ "id", "member_id" }, { NULL, NULL },
	};
	size_t before_n = nerrs(errs);
	coso_prow old;
	const char *id = r->text[REV_MEMBER];
	struct hook_ctx h = { &coso_reviews, NULL, r, "probation.decide" };
	int rc;

	rc = coso_store_prow_get(st, &coso_reviews, id ? id : "", &old);
	if (rc == 0) {
		char b[COSO_DATE_BUFSZ];

		coso_field_errors_add(errs, "member_id", "the probation of %s was decided on %s (%s)", id,
				      coso_date_format(b, old.day[REV_DECIDED]), old.text[REV_OUTCOME]);
		coso_prow_clear(&old);
		return coso_error_set(COSO_EINVALID, "1 problem: nothing was written");
	}
	if (rc != COSO_ENOTFOUND)
		return rc;
	if (!r->text[REV_OUTCOME] || !coso_one_of(r->text[REV_OUTCOME], coso_review_outcomes))
		coso_field_errors_add(errs, "outcome", "is not one of: recognised, removed");
	if (!r->text[REV_DECIDED_BY])
		coso_field_errors_add(errs, "decided_by", "is required");
	if (nerrs(errs) > before_n)
		return coso_error_set(COSO_EINVALID, "%zu problem(s): nothing was written", nerrs(errs) - before_n);
	{
		/* the admission day, for the rules of the review */
		sqlite3_stmt *q = NULL;
		coso_day admitted = COSO_DAY_MAX;

		if ((rc = coso_db_prepare(st, "SELECT admitted_on FROM member WHERE id = ?1", &q)) < 0)
			return rc;
		sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_ROW)
			admitted = sqlite3_column_int(q, 0);
		sqlite3_finalize(q);
		if (admitted == COSO_DAY_MAX)
			return coso_error_set(COSO_ENOTFOUND, "member %s is not in the registry", id);
		coso_review_check(r, admitted, field_problem, errs);
		if (nerrs(errs) > before_n)
			return coso_error_set(COSO_EINVALID, "%zu problem(s): nothing was written", nerrs(errs) - before_n);
		/* Quy định 24-QĐ/TW, 4.2.b: official from the end of the 12 months,
		 * even when the meeting or the decision is late; 4.2.a: not
		 * recognised, the member is removed (xoá tên) */
		if (strcmp(r->text[REV_OUTCOME], "recognised") == 0)
			rc = coso_store_member_official_with(st, id, coso_probation_end(admitted), errs, hook_put, &h);
		else
			rc = coso_store_member_end_with(st, id, r->day[REV_DECIDED], "removed", errs, hook_put, &h);
	}
	rename_fields(errs, before_n, map);
	return rc;
}

/* ---- transfers ------------------------------------------------------------------------------------ */

void coso_prow_keep_past(const coso_ptable *t, const coso_prow *before, const coso_prow *after, const char *field,
			 coso_field_errors *errs)
{
	for (int c = 0; before && c < t->ncols; c++)
		if (t->types[c] == 'd' && before->day[c] != COSO_DAY_MAX && before->day[c] != after->day[c])
			coso_field_errors_add(errs, field ? field : t->cols[c].name, "%s is already recorded: an event cannot"
					      " change the past", t->cols[c].name);
}

static void transfer_problem(void *ctx, int col, const char *msg)
{
	coso_field_errors_add(ctx, coso_transfers.cols[col].name, "%s", msg);
}

/* The rules of a transfer written through the API: its own, and the dates
 * already recorded stay as they are. */
static void check_transfer(void *ctx, const coso_prow *before, const coso_prow *after, coso_field_errors *errs)
{
	(void)ctx;
	coso_prow_keep_past(&coso_transfers, before, after, NULL, errs);
	coso_transfer_check(after, transfer_problem, errs);
}

/* The member's organization on `day` (the period covering it; for a day
 * that ends the membership, the period ending then) into buf; "" when none. */
static int member_org_on(coso_store *st, const char *id, coso_day day, bool ending, char *buf, size_t n)
{
	sqlite3_stmt *q = NULL;
	int rc = coso_db_prepare(st, ending ? "SELECT org_code FROM member_period WHERE member_id = ?1 AND valid_from < ?2"
				 " AND ?2 <= valid_to ORDER BY valid_from DESC LIMIT 1"
				 : "SELECT org_code FROM member_period WHERE member_id = ?1 AND valid_from <= ?2"
				 " AND ?2 < valid_to", &q);

	buf[0] = '\0';
	if (rc < 0)
		return rc;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, day);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		snprintf(buf, n, "%s", (const char *)sqlite3_column_text(q, 0));
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : coso_db_error(st, "transfer");
	sqlite3_finalize(q);
	return rc;
}

static int fail_now(coso_field_errors *errs, size_t before_n)
{
	return coso_error_set(COSO_EINVALID, "%zu problem(s): nothing was written", nerrs(errs) - before_n);
}

int coso_store_transfer_create(coso_store *st, const coso_prow *t, coso_field_errors *errs)
{
	static const char *const map[][2] = { { "ended_on", "letter_on" }, { "end_reason", "kind" }, { "id", "member_id" },
					      { NULL, NULL } };
	size_t before_n = nerrs(errs);
	const char *kind = t->text[TR_KIND] ? t->text[TR_KIND] : "";
	bool out = strcmp(kind, "out") == 0;
	char from[256], action[64];
	coso_prow row;
	int rc;

	if (!t->text[TR_MEMBER] || t->day[TR_LETTER] == COSO_DAY_MAX)
		return coso_error_set(COSO_EINVALID, "member_id and letter_on are required");
	if ((rc = coso_prow_copy(&row, t)) < 0)
		return rc;
	if (!row.text[TR_FROM]) {
		if ((rc = member_org_on(st, t->text[TR_MEMBER], t->day[TR_LETTER], false, from, sizeof(from))) < 0)
			goto done;
		if (!*from)
			coso_field_errors_add(errs, "letter_on", "member %s belongs to no organization on that day",
					      t->text[TR_MEMBER]);
		else if ((rc = coso_prow_set(&row, TR_FROM, from)) < 0)
			goto done;
	}
	if (nerrs(errs) > before_n) {
		rc = fail_now(errs, before_n);
		goto done;
	}
	snprintf(action, sizeof(action), "transfer.%s", kind);
	if (!out) {
		rc = coso_store_prow_write(st, &coso_transfers, &row, true, action, check_transfer, NULL, errs);
		goto done;
	}
	/* out of the registry: the membership ends, the row is stored with it */
	if ((rc = key_exists(st, &coso_transfers, row.text[TR_ID] ? row.text[TR_ID] : "")) != 0) {
		if (rc > 0) {
			coso_field_errors_add(errs, "id", "transfer %s is already in the register", row.text[TR_ID]);
			rc = fail_now(errs, before_n);
		}
		goto done;
	}
	check_transfer(NULL, NULL, &row, errs);
	if (nerrs(errs) > before_n) {
		rc = fail_now(errs, before_n);
		goto done;
	}
	{
		struct hook_ctx h = { &coso_transfers, NULL, &row, "transfer.out" };

		rc = coso_store_member_end_with(st, row.text[TR_MEMBER], row.day[TR_LETTER], "transferred_out", errs,
						hook_put, &h);
		rename_fields(errs, before_n, map);
	}
done:
	coso_prow_clear(&row);
	return rc;
}

/* Sets date column `col` of transfer `id` to day, through `member_write`
 * when given (an official transfer presented moves the member). */
static int transfer_step(coso_store *st, const char *id, int col, coso_day day, const char *action,
			 coso_field_errors *errs)
{
	static const char *const map[][2] = { { "date", "presented_on" }, { "org_code", "presented_on" }, { NULL, NULL } };
	size_t before_n = nerrs(errs);
	coso_prow old, row;
	char b[COSO_DATE_BUFSZ];
	int rc = coso_store_prow_get(st, &coso_transfers, id, &old);

	if (rc < 0)
		return rc;
	if ((rc = coso_prow_copy(&row, &old)) < 0) {
		coso_prow_clear(&old);
		return rc;
	}
	if (old.day[col] != COSO_DAY_MAX)
		coso_field_errors_add(errs, coso_transfers.cols[col].name, "transfer %s has it already (%s)", id,
				      coso_date_format(b, old.day[col]));
	else if (strcmp(old.text[TR_KIND], "out") == 0)
		coso_field_errors_add(errs, coso_transfers.cols[col].name, "transfer %s is out of the registry", id);
	else if (col == TR_RETURNED && strcmp(old.text[TR_KIND], "temporary") != 0)
		coso_field_errors_add(errs, "returned_on", "transfer %s is not temporary", id);
	row.day[col] = day;
	if (nerrs(errs) > before_n) {
		rc = fail_now(errs, before_n);
	} else if (col == TR_PRESENTED && strcmp(old.text[TR_KIND], "official") == 0) {
		struct hook_ctx h = { &coso_transfers, &old, &row, action };

		check_transfer(NULL, &old, &row, errs);
		rc = nerrs(errs) > before_n ? fail_now(errs, before_n)
			: coso_store_member_transfer_with(st, old.text[TR_MEMBER], day, old.text[TR_TO], NULL, errs, hook_put, &h);
		rename_fields(errs, before_n, map);
	} else {
		rc = coso_store_prow_write(st, &coso_transfers, &row, false, action, check_transfer, NULL, errs);
	}
	coso_prow_clear(&old);
	coso_prow_clear(&row);
	return rc;
}

int coso_store_transfer_present(coso_store *st, const char *id, coso_day day, coso_field_errors *errs)
{
	return transfer_step(st, id, TR_PRESENTED, day, "transfer.present", errs);
}

int coso_store_transfer_return(coso_store *st, const char *id, coso_day day, coso_field_errors *errs)
{
	return transfer_step(st, id, TR_RETURNED, day, "transfer.return", errs);
}

/* ---- ratings ----------------------------------------------------------------------------------------- */

static int level_index(const char *level)
{
	for (int i = 0; coso_rating_levels[i]; i++)
		if (level && strcmp(level, coso_rating_levels[i]) == 0)
			return i;
	return -1;
}

/* The ratings of a year whose subject sits in `org` or under it on 31/12 of
 * the year (a member: by its cell on rated_on), in the reader's scope. */
#define RATINGS_OF_YEAR \
	"WITH RECURSIVE sub(code) AS (SELECT ?1 UNION SELECT o.code FROM org_row o JOIN sub ON" \
	" o.parent_code = sub.code WHERE o.valid_from <= ?2 AND ?2 < o.valid_to)," \
	" rated AS (SELECT r.*, CASE r.kind WHEN 'org' THEN r.subject ELSE (SELECT p.org_code FROM member_period p" \
	"  WHERE p.member_id = r.subject AND p.valid_from <= r.rated_on AND r.rated_on < p.valid_to) END AS cell" \
	"  FROM party_rating r WHERE r.year = ?3)" \
	" , mine AS (SELECT * FROM rated WHERE (?1 IS NULL OR cell IN (SELECT code FROM sub))"

/* Prepares a RATINGS_OF_YEAR query with its parameters bound. */
static int prepare_year(coso_store *st, const char *sql, int year, const char *org, sqlite3_stmt **q)
{
	char y[8];
	int rc = coso_db_prepare(st, sql, q);

	if (rc < 0)
		return rc;
	snprintf(y, sizeof(y), "%d", year);
	if (org)
		sqlite3_bind_text(*q, 1, org, -1, SQLITE_STATIC);
	sqlite3_bind_int(*q, 2, coso_date_from_ymd(year, 12, 31));
	sqlite3_bind_text(*q, 3, y, -1, SQLITE_TRANSIENT);
	return 0;
}

int coso_store_rating_stats(coso_store *st, int year, const char *org, coso_rating_stats *out)
{
	char sql[SQL_MAX * 2];
	sqlite3_stmt *q = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(sql, sizeof(sql), RATINGS_OF_YEAR "%s) SELECT kind, level, count(*) FROM mine GROUP BY kind, level",
		 st->access_limited ? " AND cell IN (SELECT code FROM temp.access_org)" : "");
	if ((rc = prepare_year(st, sql, year, org, &q)) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int l = level_index((const char *)sqlite3_column_text(q, 1));
		bool member = strcmp((const char *)sqlite3_column_text(q, 0), "member") == 0;

		if (l >= 0)
			(member ? out->members : out->orgs)[l] = sqlite3_column_int64(q, 2);
	}
	rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "ratings");
	sqlite3_finalize(q);
	return rc;
}

int coso_store_rating_quota_each(coso_store *st, int year, const char *org, coso_quota_fn fn, void *ctx)
{
	char sql[SQL_MAX * 3];
	sqlite3_stmt *q = NULL;
	int rc;

	/* each member's grassroots organization: its cell, or the first above it
	 * with grassroots = 1, on rated_on */
	snprintf(sql, sizeof(sql), RATINGS_OF_YEAR "%s AND kind = 'member'),"
		 " up(rid, code, grassroots, depth) AS (SELECT m.id, o.code, o.grassroots, 0 FROM mine m JOIN org_row o"
		 "  ON o.code = m.cell AND o.valid_from <= m.rated_on AND m.rated_on < o.valid_to"
		 "  UNION ALL SELECT up.rid, p.code, p.grassroots, up.depth + 1 FROM up JOIN mine m ON m.id = up.rid"
		 "  JOIN org_row o ON o.code = up.code AND o.valid_from <= m.rated_on AND m.rated_on < o.valid_to"
		 "  JOIN org_row p ON p.code = o.parent_code AND p.valid_from <= m.rated_on AND m.rated_on < p.valid_to"
		 "  WHERE up.grassroots = 0 AND up.depth < 32)"
		 " SELECT up.code, (SELECT o.name FROM org_row o WHERE o.code = up.code AND o.valid_from <= ?2"
		 "  AND ?2 < o.valid_to), sum(m.level = 'excellent'), sum(m.level = 'good')"
		 " FROM up JOIN mine m ON m.id = up.rid WHERE up.grassroots = 1 GROUP BY up.code ORDER BY up.code",
		 st->access_limited ? " AND cell IN (SELECT code FROM temp.access_org)" : "");
	if ((rc = prepare_year(st, sql, year, org, &q)) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		coso_quota_item it = { (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
				       sqlite3_column_int64(q, 2), sqlite3_column_int64(q, 3) };

		if ((rc = fn(ctx, &it)) != 0)
			break;
	}
	rc = rc == SQLITE_DONE ? 0 : rc == SQLITE_ROW ? coso_db_error(st, "ratings") : rc;
	sqlite3_finalize(q);
	return rc;
}

static void rating_problem(void *ctx, int col, const char *msg)
{
	coso_field_errors_add(ctx, coso_ratings.cols[col].name, "%s", msg);
}

static void check_rating(void *ctx, const coso_prow *before, const coso_prow *after, coso_field_errors *errs)
{
	(void)ctx;
	(void)before;
	coso_rating_check(after, rating_problem, errs);
}

int coso_store_rating_create(coso_store *st, const coso_prow *r, coso_field_errors *errs)
{
	char action[32];

	snprintf(action, sizeof(action), "rating.%s", r->text[RAT_KIND] ? r->text[RAT_KIND] : "");
	return coso_store_prow_write(st, &coso_ratings, r, true, action, check_rating, NULL, errs);
}

/* ---- badges awarded ------------------------------------------------------------------------------------- */

int coso_store_badge_awarded(coso_store *st, const char *member_id, int years)
{
	sqlite3_stmt *q = NULL;
	char y[8];
	int rc = coso_db_prepare(st, "SELECT 1 FROM party_badge WHERE member_id = ?1 AND years = ?2", &q);

	if (rc < 0)
		return rc;
	snprintf(y, sizeof(y), "%d", years);
	sqlite3_bind_text(q, 1, member_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, y, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(q);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : coso_db_error(st, "badges");
	sqlite3_finalize(q);
	return rc;
}

static void badge_problem(void *ctx, int col, const char *msg)
{
	coso_field_errors_add(ctx, coso_badges.cols[col].name, "%s", msg);
}

static void check_badge(void *ctx, const coso_prow *before, const coso_prow *after, coso_field_errors *errs)
{
	(void)ctx;
	(void)before;
	coso_badge_award_check(after, COSO_DAY_MAX, badge_problem, errs);
}

int coso_store_badge_award(coso_store *st, const coso_prow *b, coso_field_errors *errs)
{
	return coso_store_prow_write(st, &coso_badges, b, true, "badge.award", check_badge, NULL, errs);
}
