/*
 * store_summary.c: the counts behind the fast as-of reports.
 *
 * Counting the members of an organization as of a day means reading every
 * period it ever had; for the whole country that is millions of rows. So the
 * counts are kept as step functions: org_step holds, for each organization,
 * the days on which its number of active members (and of probationary ones)
 * changes, with the value from that day on; residence_step, the days on
 * which a village gets its first active resident or loses its last. A count as of D is then one index seek:
 * the last step on or before D.
 *
 * The steps are derived data. Whatever changes member periods or members
 * marks the organizations and villages concerned in summary_dirty (the loads
 * of store_load.c and the writes of store_write.c do), and
 * coso_store_refresh_summaries(), called in the same transaction before it
 * commits, rebuilds the steps of those keys only. summary_state.complete = 0
 * (a database migrated with data in it) makes the next refresh rebuild all,
 * and until then reports take the plain path. The plain path (COSO_PLAIN=1)
 * stays, and the tests prove both give the same figures.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_internal.h"
#include "util/error.h"

/*
 * Active parts of periods, [max(valid_from, admitted_on), min(valid_to,
 * ended_on)), with the member's official_on, ordered by organization (or
 * village) so each key's steps are computed in one go; the indexes on
 * member_period give that order without a sort. %s is the key filter.
 */
static const char sql_org_acts[] =
	"SELECT p.org_code, max(p.valid_from, m.admitted_on), min(p.valid_to, m.ended_on), m.official_on"
	" FROM member_period p INDEXED BY member_period_org JOIN member m ON m.id = p.member_id"
	" WHERE max(p.valid_from, m.admitted_on) < min(p.valid_to, m.ended_on) %s ORDER BY p.org_code";
static const char sql_residence_acts[] =
	"SELECT p.residence_code, max(p.valid_from, m.admitted_on), min(p.valid_to, m.ended_on), m.official_on"
	" FROM member_period p INDEXED BY member_period_residence JOIN member m ON m.id = p.member_id"
	" WHERE p.residence_code IS NOT NULL AND max(p.valid_from, m.admitted_on) < min(p.valid_to, m.ended_on)"
	" %s ORDER BY p.residence_code";

struct event {
	coso_day day;
	int dt, dp; /* change of the active and of the probationary count */
};

struct steps {
	struct event *ev;
	size_t n, cap;
};

static int push(struct steps *s, coso_day day, int dt, int dp)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 256;
		struct event *nv = realloc(s->ev, ncap * sizeof(*nv));

		if (!nv)
			return coso_error_set(COSO_ENOMEM, "out of memory");
		s->ev = nv;
		s->cap = ncap;
	}
	s->ev[s->n++] = (struct event){ day, dt, dp };
	return 0;
}

static int cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

/* Writes the steps of one key from its events: sorted by day, one row per
 * day on which a count changes, holding the counts from that day on. For a
 * village (with_prob false) only whether anyone lives there matters, so a
 * row is written only when that changes. */
static int flush_key(coso_store *st, sqlite3_stmt *ins, const char *key, struct steps *s, bool with_prob)
{
	long long total = 0, prob = 0;
	bool occupied = false;

	qsort(s->ev, s->n, sizeof(*s->ev), cmp_event);
	for (size_t i = 0; i < s->n;) {
		coso_day day = s->ev[i].day;
		int dt = 0, dp = 0;

		for (; i < s->n && s->ev[i].day == day; i++) {
			dt += s->ev[i].dt;
			dp += s->ev[i].dp;
		}
		if (dt == 0 && dp == 0)
			continue;
		total += dt;
		prob += dp;
		if (!with_prob) {
			if ((total > 0) == occupied)
				continue;
			occupied = total > 0;
		}
		sqlite3_bind_text(ins, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_int(ins, 2, day);
		sqlite3_bind_int64(ins, 3, with_prob ? total : occupied);
		if (with_prob)
			sqlite3_bind_int64(ins, 4, prob);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			sqlite3_reset(ins);
			return coso_db_error(st, "summary");
		}
		sqlite3_reset(ins);
	}
	s->n = 0;
	return 0;
}

/* Rebuilds the steps of one kind (0: organizations, 1: villages), for the
 * keys of temp.sd_keys or (all) for every key. */
static int build_steps(coso_store *st, int kind, bool all)
{
	static const char filter_org[] = "AND p.org_code IN (SELECT code FROM sd_keys)";
	static const char filter_res[] = "AND p.residence_code IN (SELECT code FROM sd_keys)";
	sqlite3_stmt *q = NULL, *ins = NULL;
	struct steps s = { 0 };
	char sql[1024], *key = NULL;
	bool with_prob = kind == 0;
	int rc;

	snprintf(sql, sizeof(sql), kind == 0 ? sql_org_acts : sql_residence_acts,
		 all ? "" : (kind == 0 ? filter_org : filter_res));
	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		goto done;
	if ((rc = coso_db_prepare(st, with_prob
			? "INSERT INTO org_step (org_code, day, total, probationary) VALUES (?1, ?2, ?3, ?4)"
			: "INSERT INTO residence_step (residence_code, day, occupied) VALUES (?1, ?2, ?3)", &ins)) < 0)
		goto done;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(q, 0);
		coso_day af = sqlite3_column_int(q, 1), at = sqlite3_column_int(q, 2),
			 off = sqlite3_column_int(q, 3);

		if (!k)
			continue;
		if (!key || strcmp(k, key) != 0) {
			if (key && (rc = flush_key(st, ins, key, &s, with_prob)) < 0)
				goto done;
			free(key);
			if (!(key = strdup(k))) {
				rc = coso_error_set(COSO_ENOMEM, "out of memory");
				goto done;
			}
		}
		/* active from af to at; probationary from af until official_on */
		if ((rc = push(&s, af, 1, off > af)) < 0)
			goto done;
		if (at < COSO_DAY_MAX && (rc = push(&s, at, -1, 0)) < 0)
			goto done;
		if (off > af && (off < at ? off : at) < COSO_DAY_MAX &&
		    (rc = push(&s, off < at ? off : at, 0, -1)) < 0)
			goto done;
	}
	if (rc != SQLITE_DONE) {
		rc = coso_db_error(st, "summary");
		goto done;
	}
	rc = key ? flush_key(st, ins, key, &s, with_prob) : 0;
done:
	free(key);
	free(s.ev);
	sqlite3_finalize(q);
	sqlite3_finalize(ins);
	return rc;
}

/* The marking statements run once or twice per loaded row: they are
 * prepared once per connection (finalized by coso_store_close). */
int coso_store_mark_member(coso_store *st, const char *member_id)
{
	sqlite3_stmt *q;
	int rc;

	if (st->summary_all)
		return 0;
	if (!st->mark_member_q && (rc = coso_db_prepare(st,
			"INSERT OR IGNORE INTO summary_dirty (kind, code)"
			" SELECT 0, org_code FROM member_period WHERE member_id = ?1"
			" UNION ALL SELECT 1, residence_code FROM member_period"
			" WHERE member_id = ?1 AND residence_code IS NOT NULL", &st->mark_member_q)) < 0)
		return rc;
	q = st->mark_member_q;
	sqlite3_bind_text(q, 1, member_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "summary");
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc;
}

int coso_store_mark_code(coso_store *st, int kind, const char *code)
{
	sqlite3_stmt *q;
	int rc;

	if (st->summary_all || !code)
		return 0;
	if (!st->mark_code_q && (rc = coso_db_prepare(st,
			"INSERT OR IGNORE INTO summary_dirty (kind, code) VALUES (?1, ?2)", &st->mark_code_q)) < 0)
		return rc;
	q = st->mark_code_q;
	sqlite3_bind_int(q, 1, kind);
	sqlite3_bind_text(q, 2, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "summary");
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc;
}

void coso_store_mark_all(coso_store *st)
{
	st->summary_all = true;
}

/* Rebuilds the steps of the dirty keys of one kind. */
static int refresh_kind(coso_store *st, int kind)
{
	static const char *const del[2] = {
		"DELETE FROM org_step WHERE org_code IN (SELECT code FROM sd_keys)",
		"DELETE FROM residence_step WHERE residence_code IN (SELECT code FROM sd_keys)",
	};
	char sql[256];
	int rc;

	snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS temp.sd_keys;"
		 "CREATE TEMP TABLE sd_keys (code TEXT PRIMARY KEY) WITHOUT ROWID;"
		 "INSERT INTO sd_keys SELECT code FROM summary_dirty WHERE kind = %d", kind);
	if ((rc = coso_db_exec(st, sql)) < 0)
		return rc;
	if ((rc = coso_db_exec(st, del[kind])) < 0)
		return rc;
	return build_steps(st, kind, false);
}

int coso_store_refresh_summaries(coso_store *st)
{
	sqlite3_stmt *q = NULL;
	bool all = st->summary_all;
	int rc;

	if ((rc = coso_db_prepare(st, "SELECT complete FROM summary_state", &q)) < 0)
		return rc;
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 0)
		all = true;
	sqlite3_finalize(q);
	if (all) {
		rc = coso_db_exec(st, "DELETE FROM org_step; DELETE FROM residence_step;");
		if (rc == 0)
			rc = build_steps(st, 0, true);
		if (rc == 0)
			rc = build_steps(st, 1, true);
	} else {
		rc = refresh_kind(st, 0);
		if (rc == 0)
			rc = refresh_kind(st, 1);
	}
	if (rc == 0)
		rc = coso_db_exec(st, "DELETE FROM summary_dirty; UPDATE summary_state SET complete = 1;"
				   "DROP TABLE IF EXISTS temp.sd_keys");
	if (rc == 0)
		st->summary_all = false;
	return rc;
}

bool coso_plain_path(void)
{
	const char *plain = getenv("COSO_PLAIN");

	return plain && *plain && strcmp(plain, "0") != 0;
}

bool coso_store_summaries_ready(coso_store *st)
{
	sqlite3_stmt *q = NULL;
	bool ready = false;

	if (coso_plain_path())
		return false;
	if (coso_db_prepare(st, "SELECT complete FROM summary_state", &q) == 0 && sqlite3_step(q) == SQLITE_ROW)
		ready = sqlite3_column_int(q, 0) == 1;
	sqlite3_finalize(q);
	return ready;
}
