/*
 * store_write.c: the dated events of the HTTP API (db/store_api.h).
 *
 * History is rows, never updates in place: an event on day D that changes a
 * record ends its current row (or period) on D and starts a new one on D, so
 * every earlier day keeps its figures. An event may only follow the record's
 * current row: a day on or before that row's start would rewrite the past,
 * which only an import (of corrected files) may do.
 *
 * Each write runs in one BEGIN IMMEDIATE transaction: the record is checked
 * on its own (required fields, known values, dates in order, the same checks
 * an import makes row by row), the rows are changed, and coso_store_validate
 * checks the whole registry by the rules of an import. Any problem rolls the
 * transaction back; problems are reported by the request's field names.
 * A write that changes members or their periods marks them for the derived
 * counts of the reports (store_summary.c), refreshed before the commit.
 * Each write that commits appends its audit entry (db/store_audit.h) in the
 * same transaction: the record's rows before and after, as JSON.
 */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_api.h"
#include "db/store_audit.h"
#include "db/store_internal.h"
#include "util/error.h"

/* ---- field errors ----------------------------------------------------------- */

void coso_field_errors_add(coso_field_errors *e, const char *field, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	coso_field_error *fe;

	if (e->n >= COSO_FIELD_ERRORS_MAX) {
		e->dropped++;
		return;
	}
	if (e->n == e->cap) {
		size_t ncap = e->cap ? e->cap * 2 : 8;
		coso_field_error *nv = realloc(e->v, ncap * sizeof(*nv));

		if (!nv) {
			e->dropped++;
			return;
		}
		e->v = nv;
		e->cap = ncap;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fe = &e->v[e->n];
	fe->field = strdup(field);
	fe->message = strdup(msg);
	if (!fe->field || !fe->message) {
		free(fe->field);
		free(fe->message);
		e->dropped++;
		return;
	}
	e->n++;
}

void coso_field_errors_clear(coso_field_errors *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].field);
		free(e->v[i].message);
	}
	free(e->v);
	memset(e, 0, sizeof(*e));
}

/* ---- one write ------------------------------------------------------------------ */

/* A format column of the written record and the request field it comes from. */
struct colmap {
	const char *column, *field;
};

struct write {
	coso_store *st;
	coso_field_errors *errs;
	size_t errs_before;
	unsigned files;              /* bit per coso_file holding the written record */
	const char *key;             /* its key (code or id) */
	const struct colmap *map;    /* its columns -> fields, ending with {NULL} */
	const char *fallback;        /* the field for other problems (the event's day) */
	const char *action;          /* the audit entry: "member.transfer", ... */
	const char *kind;            /* the record's kind: "member", "org", "unit", "institution" */
	char *before;                /* its rows before the write (JSON), NULL when new */
	/* party: a step of another register in the same transaction (store_party.c) */
	coso_write_hook hook;
	void *hook_ctx;
};

static const char *const file_what[COSO_FILE_MAX] = {
	[COSO_FILE_UNITS] = "unit",
	[COSO_FILE_INSTITUTIONS] = "institution",
	[COSO_FILE_ORGS] = "organization",
	[COSO_FILE_MEMBERS] = "member",
	[COSO_FILE_MEMBER_PERIODS] = "period of member",
};

static bool has_errors(const struct write *w)
{
	return w->errs->n + w->errs->dropped > w->errs_before;
}

static void fail(struct write *w, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(struct write *w, const char *field, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	coso_field_errors_add(w->errs, field, "%s", msg);
}

/* A problem found by coso_store_validate, put on a field of the request: the
 * written record's own columns map to their fields; a problem of another
 * record (a member left in a dissolved cell, a village under a closed commune)
 * goes to the event's day, naming that record. */
static void on_problem(void *ctx, const coso_problem *p)
{
	struct write *w = ctx;
	bool own = (w->files & (1u << p->file)) && strcmp(p->key, w->key) == 0;
	const char *field = w->fallback;

	if (own) {
		for (const struct colmap *m = w->map; m && m->column; m++)
			if (strcmp(m->column, p->column) == 0) {
				field = m->field;
				break;
			}
		fail(w, field, "%s", p->message);
	} else {
		char a[COSO_DATE_BUFSZ];

		if (p->valid_from > COSO_DAY_MIN)
			fail(w, field, "%s %s from %s: %s", file_what[p->file], p->key,
			     coso_date_format(a, p->valid_from), p->message);
		else
			fail(w, field, "%s %s: %s", file_what[p->file], p->key, p->message);
	}
}

static int write_begin(struct write *w, coso_store *st, coso_field_errors *errs)
{
	int rc;

	w->st = st;
	w->errs = errs;
	w->errs_before = errs->n + errs->dropped;
	w->before = NULL;
	if ((rc = coso_store_begin(st)) < 0)
		return rc;
	/* the audit entry's "before", read in the write's own transaction */
	if ((rc = coso_store_audit_snapshot(st, w->kind, w->key, &w->before)) < 0)
		coso_store_rollback(st);
	return rc;
}

/* Appends the write's audit entry: the record before and after. */
static int write_audit(struct write *w)
{
	char *after = NULL;
	int rc = coso_store_audit_snapshot(w->st, w->kind, w->key, &after);

	if (rc == 0)
		rc = coso_store_audit_append(w->st, w->action, w->kind, w->key, w->before, after);
	free(after);
	return rc;
}

/* Ends a write: with no problem so far, checks the registry and commits;
 * otherwise (or when rc < 0) rolls back. */
static int write_end(struct write *w, int rc)
{
	if (rc == 0 && !has_errors(w) && w->hook)
		rc = w->hook(w->st, w->hook_ctx, w->errs);
	if (rc == 0 && !has_errors(w)) {
		int found = coso_store_validate(w->st, on_problem, w);

		if (found < 0)
			rc = found;
	}
	/* the derived counts of reports (store_summary.c) follow the change */
	if (rc == 0 && !has_errors(w))
		rc = coso_store_refresh_summaries(w->st);
	if (rc == 0 && !has_errors(w))
		rc = write_audit(w);
	free(w->before);
	w->before = NULL;
	if (rc == 0 && !has_errors(w)) {
		rc = coso_store_commit(w->st);
		if (rc == 0)
			return 0;
	}
	coso_store_rollback(w->st);
	if (rc < 0)
		return rc;
	{
		size_t n = w->errs->n + w->errs->dropped - w->errs_before;

		return coso_error_set(COSO_EINVALID, "%zu problem%s: nothing was written", n, n == 1 ? "" : "s");
	}
}

/* ---- checks of one record ----------------------------------------------------- */

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static void check_text(struct write *w, const char *field, const char *s)
{
	if (blank(s))
		fail(w, field, "is required");
}

/* A code: required or not; exact text without spaces around it. */
static void check_code(struct write *w, const char *field, const char *s, bool required)
{
	size_t n;

	if (!s || !*s) {
		if (required)
			fail(w, field, "is required");
		return;
	}
	n = strlen(s);
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		fail(w, field, "'%s' has spaces around it (codes are exact text)", s);
}

static void check_enum(struct write *w, const char *field, const char *s, const char *const *set)
{
	char list[200];
	size_t used = 0;

	if (!s || !*s) {
		fail(w, field, "is required");
		return;
	}
	for (const char *const *p = set; *p; p++)
		if (strcmp(s, *p) == 0)
			return;
	list[0] = '\0';
	for (const char *const *p = set; *p && used < sizeof(list); p++) {
		int n = snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "", *p);

		if (n < 0)
			break;
		used += (size_t)n;
	}
	fail(w, field, "'%s' is not one of: %s", s, list);
}

static void check_flag(struct write *w, const char *field, int v)
{
	if (v != 0 && v != 1)
		fail(w, field, "'%d' is not a flag (0 or 1)", v);
}

static const char *const genders[] = { "male", "female", NULL };
static const char *const end_reasons[] = { "died", "expelled", "removed", "left", "transferred_out", NULL };
static const char *const org_kinds[] = { "committee", "cell", NULL };
static const char *const institution_kinds[] = {
	"school", "health_station", "agency", "enterprise", "armed_forces", "other", NULL
};

static const char *day_str(char buf[COSO_DATE_BUFSZ], coso_day d)
{
	if (d <= COSO_DAY_MIN)
		return "always";
	if (d >= COSO_DAY_MAX)
		return "open";
	return coso_date_format(buf, d);
}

/* ---- small statements ----------------------------------------------------------- */

static void bind_opt(sqlite3_stmt *q, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

/* Runs a statement of text/int parameters given as a format: 's' text (NULL
 * binds NULL), 'i' int. Returns 0 or COSO_EIO. */
static int run(coso_store *st, const char *sql, const char *types, ...)
{
	sqlite3_stmt *q = NULL;
	va_list ap;
	int rc;

	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	va_start(ap, types);
	for (int i = 0; types[i]; i++) {
		if (types[i] == 's')
			bind_opt(q, i + 1, va_arg(ap, const char *));
		else
			sqlite3_bind_int(q, i + 1, va_arg(ap, int));
	}
	va_end(ap);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "write");
	sqlite3_finalize(q);
	return rc;
}

/* Whether a row matches the query of one text parameter: 1, 0, or < 0. */
static int exists(coso_store *st, const char *sql, const char *key)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : coso_db_error(st, "write");
	sqlite3_finalize(q);
	return rc;
}

/* ---- members ---------------------------------------------------------------------- */

/* The stored member and its last period. Strings are copied into the struct. */
struct member_now {
	coso_day admitted_on, official_on, ended_on;
	char end_reason[64];
	bool has_period;
	coso_day from, to;           /* the last period */
	char org[256], residence[256];
	bool has_residence;
};

static int member_now(coso_store *st, const char *id, struct member_now *m)
{
	sqlite3_stmt *q = NULL;
	int rc;

	memset(m, 0, sizeof(*m));
	rc = coso_db_prepare(st, "SELECT m.admitted_on, m.official_on, m.ended_on, m.end_reason,"
		" p.valid_from, p.valid_to, p.org_code, p.residence_code FROM member m"
		" LEFT JOIN member_period p ON p.member_id = m.id AND p.valid_from ="
		"  (SELECT max(valid_from) FROM member_period q WHERE q.member_id = m.id)"
		" WHERE m.id = ?1", &q);
	if (rc < 0)
		return rc;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const char *reason = (const char *)sqlite3_column_text(q, 3);
		const char *org = (const char *)sqlite3_column_text(q, 6);
		const char *res = (const char *)sqlite3_column_text(q, 7);

		m->admitted_on = sqlite3_column_int(q, 0);
		m->official_on = sqlite3_column_int(q, 1);
		m->ended_on = sqlite3_column_int(q, 2);
		snprintf(m->end_reason, sizeof(m->end_reason), "%s", reason ? reason : "");
		m->has_period = sqlite3_column_type(q, 4) != SQLITE_NULL;
		m->from = sqlite3_column_int(q, 4);
		m->to = sqlite3_column_int(q, 5);
		snprintf(m->org, sizeof(m->org), "%s", org ? org : "");
		snprintf(m->residence, sizeof(m->residence), "%s", res ? res : "");
		m->has_residence = res != NULL;
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = coso_error_set(COSO_ENOTFOUND, "member %s is not in the registry", id);
	} else {
		rc = coso_db_error(st, "write");
	}
	sqlite3_finalize(q);
	return rc;
}

static const struct colmap admission_map[] = {
	{ "id", "id" }, { "member_id", "id" }, { "full_name", "full_name" }, { "gender", "gender" },
	{ "birth_date", "birth_date" }, { "ethnicity", "ethnicity" }, { "admitted_on", "admitted_on" },
	{ "valid_from", "admitted_on" }, { "org_code", "org_code" }, { "residence_code", "residence_code" },
	{ NULL, NULL },
};

int coso_store_member_admit(coso_store *st, const coso_member_admission *a, coso_field_errors *errs)
{
	return coso_store_member_admit_with(st, a, errs, NULL, NULL);
}

int coso_store_member_admit_with(coso_store *st, const coso_member_admission *a, coso_field_errors *errs,
				 coso_write_hook hook, void *hook_ctx)
{
	struct write w = {
		.files = 1u << COSO_FILE_MEMBERS | 1u << COSO_FILE_MEMBER_PERIODS,
		.key = a->id ? a->id : "", .map = admission_map, .fallback = "admitted_on",
		.action = "member.admit", .kind = "member", .hook = hook, .hook_ctx = hook_ctx,
	};
	char b1[COSO_DATE_BUFSZ], b2[COSO_DATE_BUFSZ];
	int rc;

	if ((rc = write_begin(&w, st, errs)) < 0)
		return rc;
	check_code(&w, "id", a->id, true);
	check_text(&w, "full_name", a->full_name);
	check_enum(&w, "gender", a->gender, genders);
	check_text(&w, "ethnicity", a->ethnicity);
	check_code(&w, "org_code", a->org_code, true);
	check_code(&w, "residence_code", a->residence_code, false);
	if (a->birth_date >= a->admitted_on)
		fail(&w, "birth_date", "%s is not before admitted_on (%s)", coso_date_format(b1, a->birth_date),
		     coso_date_format(b2, a->admitted_on));
	if (has_errors(&w))
		goto done;
	if ((rc = exists(st, "SELECT 1 FROM member WHERE id = ?1", a->id)) < 0)
		goto done;
	if (rc == 1) {
		rc = 0;
		fail(&w, "id", "member %s is already in the registry", a->id);
		goto done;
	}
	rc = run(st, "INSERT INTO member (id, full_name, gender, birth_date, ethnicity, admitted_on, official_on,"
		 " ended_on, end_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL)", "sssisiii",
		 a->id, a->full_name, a->gender, (int)a->birth_date, a->ethnicity, (int)a->admitted_on,
		 (int)COSO_DAY_MAX, (int)COSO_DAY_MAX);
	if (rc == 0)
		rc = run(st, "INSERT INTO member_period (member_id, valid_from, valid_to, org_code, residence_code)"
			 " VALUES (?1, ?2, ?3, ?4, ?5)", "siiss", a->id, (int)a->admitted_on, (int)COSO_DAY_MAX,
			 a->org_code, a->residence_code);
	if (rc == 0)
		rc = coso_store_mark_member(st, a->id);
	if (rc == 0) {
		int n = coso_store_refresh_search_member(st, a->id);

		rc = n < 0 ? n : 0;
	}
done:
	return write_end(&w, rc);
}

static const struct colmap official_map[] = { { "official_on", "official_on" }, { NULL, NULL } };

int coso_store_member_official(coso_store *st, const char *id, coso_day day, coso_field_errors *errs)
{
	return coso_store_member_official_with(st, id, day, errs, NULL, NULL);
}

int coso_store_member_official_with(coso_store *st, const char *id, coso_day day, coso_field_errors *errs,
				    coso_write_hook hook, void *hook_ctx)
{
	struct write w = {
		.files = 1u << COSO_FILE_MEMBERS, .key = id, .map = official_map, .fallback = "official_on",
		.action = "member.official", .kind = "member", .hook = hook, .hook_ctx = hook_ctx,
	};
	struct member_now m;
	char b1[COSO_DATE_BUFSZ], b2[COSO_DATE_BUFSZ];
	int rc;

	if ((rc = write_begin(&w, st, errs)) < 0)
		return rc;
	if ((rc = member_now(st, id, &m)) < 0)
		goto done;
	if (m.official_on != COSO_DAY_MAX)
		fail(&w, "official_on", "member %s is already official since %s", id, coso_date_format(b1, m.official_on));
	else if (day < m.admitted_on)
		fail(&w, "official_on", "%s is before admitted_on (%s)", coso_date_format(b1, day),
		     coso_date_format(b2, m.admitted_on));
	else if (day >= m.ended_on)
		fail(&w, "official_on", "the membership of %s ended on %s", id, coso_date_format(b1, m.ended_on));
	if (has_errors(&w))
		goto done;
	rc = run(st, "UPDATE member SET official_on = ?2 WHERE id = ?1", "si", id, (int)day);
	if (rc == 0)
		rc = coso_store_mark_member(st, id);
done:
	return write_end(&w, rc);
}

static const struct colmap transfer_map[] = {
	{ "valid_from", "date" }, { "valid_to", "date" }, { "org_code", "org_code" },
	{ "residence_code", "residence_code" }, { NULL, NULL },
};

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int coso_store_member_transfer(coso_store *st, const char *id, coso_day day, const char *org_code,
			       const char *residence_code, coso_field_errors *errs)
{
	return coso_store_member_transfer_with(st, id, day, org_code, residence_code, errs, NULL, NULL);
}

int coso_store_member_transfer_with(coso_store *st, const char *id, coso_day day, const char *org_code,
				    const char *residence_code, coso_field_errors *errs, coso_write_hook hook,
				    void *hook_ctx)
{
	struct write w = {
		.files = 1u << COSO_FILE_MEMBERS | 1u << COSO_FILE_MEMBER_PERIODS,
		.key = id, .map = transfer_map, .fallback = "date",
		.action = "member.transfer", .kind = "member", .hook = hook, .hook_ctx = hook_ctx,
	};
	struct member_now m;
	char b1[COSO_DATE_BUFSZ], b2[COSO_DATE_BUFSZ];
	const char *org, *res;
	int rc;

	if ((rc = write_begin(&w, st, errs)) < 0)
		return rc;
	if ((rc = member_now(st, id, &m)) < 0)
		goto done;
	if (!org_code && !residence_code)
		fail(&w, "org_code", "give org_code or residence_code (or both)");
	check_code(&w, "org_code", org_code, false);
	check_code(&w, "residence_code", residence_code, false);
	if (day < m.admitted_on)
		fail(&w, "date", "%s is before admitted_on (%s)", coso_date_format(b1, day), coso_date_format(b2, m.admitted_on));
	else if (day >= m.ended_on)
		fail(&w, "date", "the membership of %s ended on %s", id, coso_date_format(b1, m.ended_on));
	else if (!m.has_period)
		fail(&w, "date", "member %s has no period to end", id);
	else if (day <= m.from)
		fail(&w, "date", "%s is not after the start of the member's current period (%s):"
		     " a transfer cannot change the past", coso_date_format(b1, day), day_str(b2, m.from));
	else if (day >= m.to)
		fail(&w, "date", "the last period of member %s ended on %s", id, coso_date_format(b1, m.to));
	if (has_errors(&w))
		goto done;
	org = org_code ? org_code : m.org;
	res = residence_code ? residence_code : (m.has_residence ? m.residence : NULL);
	if (same(org, m.org) && same(res, m.has_residence ? m.residence : NULL)) {
		fail(&w, org_code ? "org_code" : "residence_code",
		     "nothing changes: member %s already belongs to %s%s%s", id, m.org,
		     m.has_residence ? " and lives in " : "", m.has_residence ? m.residence : "");
		goto done;
	}
	rc = run(st, "INSERT INTO member_period (member_id, valid_from, valid_to, org_code, residence_code)"
		 " VALUES (?1, ?2, ?3, ?4, ?5)", "siiss", id, (int)day, (int)m.to, org, res);
	if (rc == 0)
		rc = run(st, "UPDATE member_period SET valid_to = ?3 WHERE member_id = ?1 AND valid_from = ?2",
			 "sii", id, (int)m.from, (int)day);
	if (rc == 0)
		rc = coso_store_mark_member(st, id); /* the old period's org and village, and the new ones */
done:
	return write_end(&w, rc);
}

static const struct colmap end_map[] = {
	{ "ended_on", "ended_on" }, { "end_reason", "end_reason" }, { "valid_from", "ended_on" },
	{ "valid_to", "ended_on" }, { NULL, NULL },
};

int coso_store_member_end(coso_store *st, const char *id, coso_day day, const char *reason,
			  coso_field_errors *errs)
{
	return coso_store_member_end_with(st, id, day, reason, errs, NULL, NULL);
}

int coso_store_member_end_with(coso_store *st, const char *id, coso_day day, const char *reason,
			       coso_field_errors *errs, coso_write_hook hook, void *hook_ctx)
{
	struct write w = {
		.files = 1u << COSO_FILE_MEMBERS | 1u << COSO_FILE_MEMBER_PERIODS,
		.key = id, .map = end_map, .fallback = "ended_on",
		.action = "member.end", .kind = "member", .hook = hook, .hook_ctx = hook_ctx,
	};
	struct member_now m;
	char b1[COSO_DATE_BUFSZ], b2[COSO_DATE_BUFSZ];
	int rc;

	if ((rc = write_begin(&w, st, errs)) < 0)
		return rc;
	if ((rc = member_now(st, id, &m)) < 0)
		goto done;
	check_enum(&w, "end_reason", reason, end_reasons);
	if (m.ended_on != COSO_DAY_MAX)
		fail(&w, "ended_on", "the membership of %s already ended on %s (%s)", id,
		     coso_date_format(b1, m.ended_on), m.end_reason);
	else if (day < m.admitted_on)
		fail(&w, "ended_on", "%s is before admitted_on (%s)", coso_date_format(b1, day),
		     coso_date_format(b2, m.admitted_on));
	else if (m.has_period && day <= m.from)
		fail(&w, "ended_on", "%s is not after the start of the member's current period (%s)",
		     coso_date_format(b1, day), day_str(b2, m.from));
	if (has_errors(&w))
		goto done;
	rc = run(st, "UPDATE member SET ended_on = ?2, end_reason = ?3 WHERE id = ?1", "sis", id, (int)day, reason);
	if (rc == 0 && m.has_period && m.to > day)
		rc = run(st, "UPDATE member_period SET valid_to = ?3 WHERE member_id = ?1 AND valid_from = ?2",
			 "sii", id, (int)m.from, (int)day);
	if (rc == 0)
		rc = coso_store_mark_member(st, id);
done:
	return write_end(&w, rc);
}

/* ---- units and organizations: rows of a code ---------------------------------- */

struct table {
	const char *what;        /* "unit", "organization" */
	const char *closed;      /* "closed", "dissolved" */
	coso_file file;
	const char *last;        /* ?1 code -> valid_from, valid_to, name, kind, parent_code of the last row */
	const char *copy;        /* copies row (?1, ?2) as a row from ?3 */
	const char *end;         /* row (?1, ?2) ends on ?3 */
};

static const struct table units = {
	"unit", "closed", COSO_FILE_UNITS,
	"SELECT valid_from, valid_to, name, kind, parent_code FROM unit_row WHERE code = ?1"
	" ORDER BY valid_from DESC LIMIT 1",
	"INSERT INTO unit_row (code, valid_from, valid_to, name, level, kind, parent_code, border, difficult,"
	" population) SELECT code, ?3, valid_to, name, level, kind, parent_code, border, difficult, population"
	" FROM unit_row WHERE code = ?1 AND valid_from = ?2",
	"UPDATE unit_row SET valid_to = ?3 WHERE code = ?1 AND valid_from = ?2",
};

static const struct table orgs = {
	"organization", "dissolved", COSO_FILE_ORGS,
	"SELECT valid_from, valid_to, name, kind, parent_code FROM org_row WHERE code = ?1"
	" ORDER BY valid_from DESC LIMIT 1",
	"INSERT INTO org_row (code, valid_from, valid_to, name, kind, grassroots, parent_code, site_unit,"
	" site_institution) SELECT code, ?3, valid_to, name, kind, grassroots, parent_code, site_unit,"
	" site_institution FROM org_row WHERE code = ?1 AND valid_from = ?2",
	"UPDATE org_row SET valid_to = ?3 WHERE code = ?1 AND valid_from = ?2",
};

struct row_now {
	coso_day from, to;
	char name[1024], kind[256], parent[256];
	bool has_parent;
};

static int row_now(coso_store *st, const struct table *t, const char *code, struct row_now *r)
{
	sqlite3_stmt *q = NULL;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = coso_db_prepare(st, t->last, &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 2);
		const char *kind = (const char *)sqlite3_column_text(q, 3);
		const char *parent = (const char *)sqlite3_column_text(q, 4);

		r->from = sqlite3_column_int(q, 0);
		r->to = sqlite3_column_int(q, 1);
		snprintf(r->name, sizeof(r->name), "%s", name ? name : "");
		snprintf(r->kind, sizeof(r->kind), "%s", kind ? kind : "");
		snprintf(r->parent, sizeof(r->parent), "%s", parent ? parent : "");
		r->has_parent = parent != NULL;
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = coso_error_set(COSO_ENOTFOUND, "%s %s is not in the registry", t->what, code);
	} else {
		rc = coso_db_error(st, "write");
	}
	sqlite3_finalize(q);
	return rc;
}

/* Checks that an event on `day` may follow the current row of code. */
static void check_event_day(struct write *w, const struct table *t, const char *code, const struct row_now *r,
			    coso_day day)
{
	char b1[COSO_DATE_BUFSZ], b2[COSO_DATE_BUFSZ];

	if (r->to != COSO_DAY_MAX && day >= r->to)
		fail(w, "date", "%s %s was %s on %s", t->what, code, t->closed, coso_date_format(b1, r->to));
	else if (day <= r->from)
		fail(w, "date", "%s is not after the start of the current row of %s %s (%s):"
		     " an event cannot change the past", coso_date_format(b1, day), t->what, code, day_str(b2, r->from));
}

/* Splits the current row at day: it ends on day, and a copy starts on day. */
static int split(coso_store *st, const struct table *t, const char *code, const struct row_now *r, coso_day day)
{
	int rc = run(st, t->copy, "sii", code, (int)r->from, (int)day);

	if (rc == 0)
		rc = run(st, t->end, "sii", code, (int)r->from, (int)day);
	return rc;
}

static const struct colmap event_map[] = {
	{ "valid_from", "date" }, { "valid_to", "date" }, { "name", "name" }, { "kind", "kind" },
	{ "parent_code", "parent_code" }, { NULL, NULL },
};

/* The event of one code: rename (name, kind), move (parent) or end (close). */
enum event { EV_RENAME, EV_MOVE, EV_END };

static int row_event(coso_store *st, const struct table *t, enum event ev, const char *code, coso_day day,
		     const char *name, const char *kind, const char *parent, coso_field_errors *errs)
{
	static const char *const actions[2][3] = {
		[0] = { [EV_RENAME] = "unit.rename", [EV_MOVE] = "unit.move", [EV_END] = "unit.close" },
		[1] = { [EV_RENAME] = "org.rename", [EV_MOVE] = "org.move", [EV_END] = "org.dissolve" },
	};
	struct write w = {
		.files = 1u << t->file, .key = code, .map = event_map, .fallback = "date",
		.action = actions[t != &units][ev], .kind = t == &units ? "unit" : "org",
	};
	struct row_now r;
	int rc;

	if ((rc = write_begin(&w, st, errs)) < 0)
		return rc;
	if ((rc = row_now(st, t, code, &r)) < 0)
		goto done;
	check_event_day(&w, t, code, &r, day);
	if (ev == EV_RENAME) {
		check_text(&w, "name", name);
		if (kind)
			check_text(&w, "kind", kind);
		if (!has_errors(&w) && strcmp(name, r.name) == 0 && (!kind || strcmp(kind, r.kind) == 0))
			fail(&w, "name", "%s %s is already named '%s'", t->what, code, name);
	} else if (ev == EV_MOVE) {
		check_code(&w, "parent_code", parent, true);
		if (!has_errors(&w) && r.has_parent && strcmp(parent, r.parent) == 0)
			fail(&w, "parent_code", "%s %s is already under %s", t->what, code, parent);
		if (!has_errors(&w) && strcmp(parent, code) == 0)
			fail(&w, "parent_code", "%s %s cannot be its own parent", t->what, code);
	}
	if (has_errors(&w))
		goto done;
	if (ev == EV_END) {
		rc = run(st, t->end, "sii", code, (int)r.from, (int)day);
		goto done;
	}
	if ((rc = split(st, t, code, &r, day)) < 0)
		goto done;
	if (ev == EV_RENAME && t == &units)
		rc = run(st, "UPDATE unit_row SET name = ?3, kind = coalesce(?4, kind) WHERE code = ?1 AND valid_from = ?2",
			 "siss", code, (int)day, name, kind);
	else if (ev == EV_RENAME)
		rc = run(st, "UPDATE org_row SET name = ?3 WHERE code = ?1 AND valid_from = ?2", "sis", code, (int)day, name);
	else if (t == &units)
		rc = run(st, "UPDATE unit_row SET parent_code = ?3 WHERE code = ?1 AND valid_from = ?2", "sis",
			 code, (int)day, parent);
	else
		rc = run(st, "UPDATE org_row SET parent_code = ?3 WHERE code = ?1 AND valid_from = ?2", "sis",
			 code, (int)day, parent);
done:
	return write_end(&w, rc);
}

int coso_store_org_rename(coso_store *st, const char *code, coso_day day, const char *name, coso_field_errors *errs)
{
	return row_event(st, &orgs, EV_RENAME, code, day, name, NULL, NULL, errs);
}

int coso_store_org_move(coso_store *st, const char *code, coso_day day, const char *parent_code,
			coso_field_errors *errs)
{
	return row_event(st, &orgs, EV_MOVE, code, day, NULL, NULL, parent_code, errs);
}

int coso_store_org_dissolve(coso_store *st, const char *code, coso_day day, coso_field_errors *errs)
{
	return row_event(st, &orgs, EV_END, code, day, NULL, NULL, NULL, errs);
}

int coso_store_unit_rename(coso_store *st, const char *code, coso_day day, const char *name, const char *kind,
			   coso_field_errors *errs)
{
	return row_event(st, &units, EV_RENAME, code, day, name, kind, NULL, errs);
}

int coso_store_unit_move(coso_store *st, const char *code, coso_day day, const char *parent_code,
			 coso_field_errors *errs)
{
	return row_event(st, &units, EV_MOVE, code, day, NULL, NULL, parent_code, errs);
}

int coso_store_unit_close(coso_store *st, const char *code, coso_day day, coso_field_errors *errs)
{
	return row_event(st, &units, EV_END, code, day, NULL, NULL, NULL, errs);
}

/* ---- new records ------------------------------------------------------------------ */

static const struct colmap new_row_map[] = {
	{ "code", "code" }, { "name", "name" }, { "kind", "kind" }, { "level", "level" },
	{ "parent_code", "parent_code" }, { "site_unit", "site_unit" }, { "site_institution", "site_institution" },
	{ "unit_code", "unit_code" }, { "valid_from", "valid_from" }, { "valid_to", "valid_from" },
	{ NULL, NULL },
};

/* Refuses a code that any stored row has: a code is never reused. */
static int check_new_code(struct write *w, const char *sql, const char *what, const char *code)
{
	int rc = exists(w->st, sql, code);

	if (rc == 1)
		fail(w, "code", "%s %s is already in the registry (a code is never reused)", what, code);
	return rc < 0 ? rc : 0;
}

int coso_store_org_found(coso_store *st, const coso_org_row *r, coso_field_errors *errs)
{
	struct write w = {
		.files = 1u << COSO_FILE_ORGS, .key = r->code ? r->code : "", .map = new_row_map,
		.fallback = "valid_from", .action = "org.found", .kind = "org",
	};
	int rc;

	if ((rc = write_begin(&w, st, errs)) < 0)
		return rc;
	check_code(&w, "code", r->code, true);
	check_text(&w, "name", r->name);
	check_enum(&w, "kind", r->kind, org_kinds);
	check_flag(&w, "grassroots", r->grassroots);
	check_code(&w, "parent_code", r->parent_code, false);
	check_code(&w, "site_unit", r->site_unit, false);
	check_code(&w, "site_institution", r->site_institution, false);
	if (!r->site_unit && !r->site_institution)
		fail(&w, "site_unit", "an organization sits in a unit or an institution: give site_unit or site_institution");
	else if (r->site_unit && r->site_institution)
		fail(&w, "site_institution", "give site_unit or site_institution, not both");
	if (r->parent_code && r->code && strcmp(r->parent_code, r->code) == 0)
		fail(&w, "parent_code", "an organization cannot be its own parent");
	if (has_errors(&w))
		goto done;
	if ((rc = check_new_code(&w, "SELECT 1 FROM org_row WHERE code = ?1", "organization", r->code)) < 0 ||
	    has_errors(&w))
		goto done;
	rc = run(st, "INSERT INTO org_row (code, valid_from, valid_to, name, kind, grassroots, parent_code,"
		 " site_unit, site_institution) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", "siississs",
		 r->code, (int)r->valid_from, (int)COSO_DAY_MAX, r->name, r->kind, r->grassroots,
		 r->parent_code, r->site_unit, r->site_institution);
done:
	return write_end(&w, rc);
}

int coso_store_unit_create(coso_store *st, const coso_unit_row *r, coso_field_errors *errs)
{
	struct write w = {
		.files = 1u << COSO_FILE_UNITS, .key = r->code ? r->code : "", .map = new_row_map,
		.fallback = "valid_from", .action = "unit.create", .kind = "unit",
	};
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = write_begin(&w, st, errs)) < 0)
		return rc;
	check_code(&w, "code", r->code, true);
	check_text(&w, "name", r->name);
	if (coso_level_name(r->level) == NULL)
		fail(&w, "level", "is not one of: province, district, commune, village");
	check_text(&w, "kind", r->kind);
	check_code(&w, "parent_code", r->parent_code, false);
	check_flag(&w, "border", r->border);
	check_flag(&w, "difficult", r->difficult);
	if (r->population < -1)
		fail(&w, "population", "'%lld' is not a whole number", r->population);
	if (r->parent_code && r->code && strcmp(r->parent_code, r->code) == 0)
		fail(&w, "parent_code", "a unit cannot be its own parent");
	if (has_errors(&w))
		goto done;
	if ((rc = check_new_code(&w, "SELECT 1 FROM unit_row WHERE code = ?1", "unit", r->code)) < 0 || has_errors(&w))
		goto done;
	if ((rc = coso_db_prepare(st, "INSERT INTO unit_row (code, valid_from, valid_to, name, level, kind, parent_code,"
				  " border, difficult, population) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", &q)) < 0)
		goto done;
	sqlite3_bind_text(q, 1, r->code, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, r->valid_from);
	sqlite3_bind_int(q, 3, COSO_DAY_MAX);
	sqlite3_bind_text(q, 4, r->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, (int)r->level);
	sqlite3_bind_text(q, 6, r->kind, -1, SQLITE_STATIC);
	bind_opt(q, 7, r->parent_code);
	sqlite3_bind_int(q, 8, r->border);
	sqlite3_bind_int(q, 9, r->difficult);
	if (r->population >= 0)
		sqlite3_bind_int64(q, 10, r->population);
	else
		sqlite3_bind_null(q, 10);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "write");
done:
	sqlite3_finalize(q);
	return write_end(&w, rc);
}

int coso_store_institution_create(coso_store *st, const coso_institution_row *r, coso_field_errors *errs)
{
	struct write w = {
		.files = 1u << COSO_FILE_INSTITUTIONS, .key = r->code ? r->code : "", .map = new_row_map,
		.fallback = "valid_from", .action = "institution.create", .kind = "institution",
	};
	int rc;

	if ((rc = write_begin(&w, st, errs)) < 0)
		return rc;
	check_code(&w, "code", r->code, true);
	check_text(&w, "name", r->name);
	check_enum(&w, "kind", r->kind, institution_kinds);
	check_code(&w, "unit_code", r->unit_code, true);
	if (has_errors(&w))
		goto done;
	if ((rc = check_new_code(&w, "SELECT 1 FROM institution WHERE code = ?1", "institution", r->code)) < 0 ||
	    has_errors(&w))
		goto done;
	rc = run(st, "INSERT INTO institution (code, name, kind, unit_code, valid_from, valid_to)"
		 " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", "ssssii", r->code, r->name, r->kind, r->unit_code,
		 (int)r->valid_from, (int)COSO_DAY_MAX);
done:
	return write_end(&w, rc);
}
