/*
 * party.c: the rules and deadlines of party work (core/party.h,
 * docs/PARTY.md) and its two register files, candidates.csv and
 * probation_reviews.csv (core/register.h).
 */
#include "core/party.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_party.h"
#include "util/error.h"

/* ---- rows ------------------------------------------------------------------------ */

void coso_prow_init(coso_prow *r)
{
	for (int c = 0; c < COSO_PROW_MAX_COLS; c++) {
		r->text[c] = NULL;
		r->day[c] = COSO_DAY_MAX;
	}
}

void coso_prow_clear(coso_prow *r)
{
	if (!r)
		return;
	for (int c = 0; c < COSO_PROW_MAX_COLS; c++)
		free(r->text[c]);
	coso_prow_init(r);
}

int coso_prow_set(coso_prow *r, int c, const char *s)
{
	char *copy = NULL;

	if (s && *s && !(copy = strdup(s)))
		return coso_error_set(COSO_ENOMEM, "out of memory");
	free(r->text[c]);
	r->text[c] = copy;
	return 0;
}

int coso_prow_copy(coso_prow *dst, const coso_prow *src)
{
	coso_prow_init(dst);
	for (int c = 0; c < COSO_PROW_MAX_COLS; c++) {
		dst->day[c] = src->day[c];
		if (coso_prow_set(dst, c, src->text[c]) < 0) {
			coso_prow_clear(dst);
			return COSO_ENOMEM;
		}
	}
	return 0;
}

/* ---- the tables -------------------------------------------------------------------- */

static const coso_column candidate_cols[CAND_N] = {
	[CAND_ID] = { "id", true }, [CAND_NAME] = { "full_name", true }, [CAND_GENDER] = { "gender", true },
	[CAND_BIRTH] = { "birth_date", true }, [CAND_ETHNICITY] = { "ethnicity", true },
	[CAND_ORG] = { "org_code", true }, [CAND_RESIDENCE] = { "residence_code", false },
	[CAND_PROPOSED] = { "proposed_on", true }, [CAND_COURSE] = { "course_on", false },
	[CAND_COURSE_BY] = { "course_by", false }, [CAND_VERIFIED] = { "verified_on", false },
	[CAND_VERIFIED_BY] = { "verified_by", false }, [CAND_VOTED] = { "voted_on", false },
	[CAND_DECIDED] = { "decided_on", false }, [CAND_DECIDED_BY] = { "decided_by", false },
	[CAND_DECISION_NO] = { "decision_no", false }, [CAND_CEREMONY] = { "ceremony_on", false },
	[CAND_MEMBER] = { "member_id", false }, [CAND_AGE_EXCEPTION] = { "age_exception", false },
	[CAND_DROPPED] = { "dropped_on", false }, [CAND_DROP_REASON] = { "drop_reason", false },
};

/* id full_name gender birth ethnicity org residence proposed course course_by verified verified_by voted
 * decided decided_by decision_no ceremony member age_exception dropped drop_reason */
const coso_ptable coso_candidates = {
	"candidates.csv", "party_candidate", "candidate", candidate_cols, "tttdtttddtdtddttdttdt", CAND_N,
};

static const coso_column review_cols[REV_N] = {
	[REV_MEMBER] = { "member_id", true }, [REV_REVIEWED] = { "reviewed_on", true },
	[REV_DECIDED] = { "decided_on", true }, [REV_DECIDED_BY] = { "decided_by", true },
	[REV_DECISION_NO] = { "decision_no", false }, [REV_OUTCOME] = { "outcome", true },
};

const coso_ptable coso_reviews = {
	"probation_reviews.csv", "party_review", "probation", review_cols, "tddttt", REV_N,
};

const char *const coso_review_outcomes[] = { "recognised", "removed", NULL };

static const char *const genders[] = { "male", "female", NULL };

/* ---- dates ------------------------------------------------------------------------- */

coso_day coso_add_months(coso_day day, int n)
{
	int y, m, d, months, dim;

	coso_date_to_ymd(day, &y, &m, &d);
	months = y * 12 + (m - 1) + n;
	y = months / 12;
	m = months % 12 + 1;
	dim = coso_date_days_in_month(y, m);
	return coso_date_from_ymd(y, m, d < dim ? d : dim);
}

int coso_age_months(coso_day birth, coso_day day)
{
	int by, bm, bd, y, m, d, months;

	coso_date_to_ymd(birth, &by, &bm, &bd);
	coso_date_to_ymd(day, &y, &m, &d);
	months = (y - by) * 12 + (m - bm);
	/* a month is complete on the day of the month of birth (or the month's
	 * last day when it has no such day: born on the 31st) */
	if (d < bd && d < coso_date_days_in_month(y, m))
		months--;
	return months;
}

/* Điều lệ Đảng (2011), Điều 5 khoản 1: "thời kỳ dự bị mười hai tháng, tính
 * từ ngày chi bộ tổ chức lễ kết nạp". */
coso_day coso_probation_end(coso_day admitted_on)
{
	return coso_add_months(admitted_on, 12);
}

/* ---- candidates -------------------------------------------------------------------- */

static const char *const stage_names[COSO_STAGE_MAX] = {
	"proposed", "course", "verified", "voted", "decided", "admitted", "dropped",
};

const char *coso_stage_name(coso_stage s)
{
	return s < COSO_STAGE_MAX ? stage_names[s] : "";
}

coso_stage coso_candidate_stage(const coso_prow *c)
{
	if (c->day[CAND_DROPPED] != COSO_DAY_MAX)
		return COSO_STAGE_DROPPED;
	if (c->day[CAND_CEREMONY] != COSO_DAY_MAX)
		return COSO_STAGE_ADMITTED;
	if (c->day[CAND_DECIDED] != COSO_DAY_MAX)
		return COSO_STAGE_DECIDED;
	if (c->day[CAND_VOTED] != COSO_DAY_MAX)
		return COSO_STAGE_VOTED;
	if (c->day[CAND_VERIFIED] != COSO_DAY_MAX)
		return COSO_STAGE_VERIFIED;
	if (c->day[CAND_COURSE] != COSO_DAY_MAX)
		return COSO_STAGE_COURSE;
	return COSO_STAGE_PROPOSED;
}

static void problem(coso_party_problem_fn fn, void *ctx, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void problem(coso_party_problem_fn fn, void *ctx, int col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fn(ctx, col, msg);
}

#define HAS(c, k) ((c)->day[k] != COSO_DAY_MAX)

/* Column `later` (when given) is on or after column `earlier`, which it needs. */
static void after(const coso_prow *c, int later, int earlier, coso_party_problem_fn fn, void *ctx)
{
	char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ];

	if (!HAS(c, later))
		return;
	if (!HAS(c, earlier))
		problem(fn, ctx, later, "needs %s first", candidate_cols[earlier].name);
	else if (c->day[later] < c->day[earlier])
		problem(fn, ctx, later, "%s is before %s (%s)", coso_date_format(a, c->day[later]),
			candidate_cols[earlier].name, coso_date_format(b, c->day[earlier]));
}

void coso_candidate_check(const coso_prow *c, coso_party_problem_fn fn, void *ctx)
{
	char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ];

	if (HAS(c, CAND_BIRTH) && HAS(c, CAND_PROPOSED) && c->day[CAND_BIRTH] >= c->day[CAND_PROPOSED])
		problem(fn, ctx, CAND_BIRTH, "%s is not before proposed_on (%s)", coso_date_format(a, c->day[CAND_BIRTH]),
			coso_date_format(b, c->day[CAND_PROPOSED]));
	/* the stages in order: the background verified after the proposal, the
	 * cell's vote after the verification and the course (Điều lệ Đảng,
	 * Điều 4 khoản 1-3), the decision after the vote, the ceremony after the
	 * decision (Quy định 24-QĐ/TW, 4.1) */
	after(c, CAND_VERIFIED, CAND_PROPOSED, fn, ctx);
	after(c, CAND_VOTED, CAND_VERIFIED, fn, ctx);
	after(c, CAND_VOTED, CAND_COURSE, fn, ctx);
	after(c, CAND_DECIDED, CAND_VOTED, fn, ctx);
	after(c, CAND_CEREMONY, CAND_DECIDED, fn, ctx);
	after(c, CAND_DROPPED, CAND_PROPOSED, fn, ctx);
	if (HAS(c, CAND_DECIDED) && !c->text[CAND_DECIDED_BY])
		problem(fn, ctx, CAND_DECIDED_BY, "is required with decided_on (the committee that decided)");
	if (!HAS(c, CAND_DECIDED) && c->text[CAND_DECIDED_BY])
		problem(fn, ctx, CAND_DECIDED, "is required with decided_by");
	if (HAS(c, CAND_CEREMONY) && !c->text[CAND_MEMBER])
		problem(fn, ctx, CAND_MEMBER, "is required with ceremony_on (the member the candidate became)");
	if (!HAS(c, CAND_CEREMONY) && c->text[CAND_MEMBER])
		problem(fn, ctx, CAND_CEREMONY, "is required with member_id");
	if (HAS(c, CAND_DROPPED) && HAS(c, CAND_CEREMONY))
		problem(fn, ctx, CAND_DROPPED, "an admitted candidate cannot be dropped (end the membership instead)");
	if (HAS(c, CAND_DROPPED) && !c->text[CAND_DROP_REASON])
		problem(fn, ctx, CAND_DROP_REASON, "is required with dropped_on");
	if (!HAS(c, CAND_DROPPED) && c->text[CAND_DROP_REASON])
		problem(fn, ctx, CAND_DROPPED, "is required with drop_reason");
	/* Quy định 24-QĐ/TW (2021), 1.1.1: "Tại thời điểm chi bộ xét kết nạp,
	 * người vào Đảng phải đủ 18 tuổi đến đủ 60 tuổi (tính theo tháng)";
	 * 1.1.2: over 60 only by a committee directly under the Central
	 * Committee, recorded in age_exception. */
	if (HAS(c, CAND_VOTED) && HAS(c, CAND_BIRTH) && c->day[CAND_BIRTH] < c->day[CAND_VOTED]) {
		int months = coso_age_months(c->day[CAND_BIRTH], c->day[CAND_VOTED]);

		if (months < 18 * 12)
			problem(fn, ctx, CAND_VOTED, "the candidate is %d years %d months old on %s: under 18 when the"
				" cell considers the admission (Quy định 24-QĐ/TW, 1.1.1)", months / 12, months % 12,
				coso_date_format(a, c->day[CAND_VOTED]));
		else if (months > 60 * 12 && !c->text[CAND_AGE_EXCEPTION])
			problem(fn, ctx, CAND_VOTED, "the candidate is %d years %d months old on %s: over 60 when the"
				" cell considers the admission; record the decision of the provincial committee in"
				" age_exception (Quy định 24-QĐ/TW, 1.1.2)", months / 12, months % 12,
				coso_date_format(a, c->day[CAND_VOTED]));
	}
}

/* ---- deadlines ----------------------------------------------------------------------- */

const char *coso_due_kind_name(coso_due_kind k)
{
	static const char *const names[COSO_DUE_MAX] = {
		"decision", "ceremony", "review", "letter", "present", "return",
	};

	return k < COSO_DUE_MAX ? names[k] : "";
}

const char *coso_due_state_name(coso_due_state s)
{
	static const char *const names[] = { "pending", "open", "overdue", "on_time", "late" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "";
}

int coso_due_compute(coso_due *out, const coso_calendar *cal, coso_due_kind kind, coso_day from, coso_day done)
{
	/* Quy định 232-QĐ/TW (2025), 4.3.1: the committee decides within 60
	 * working days of the cell's resolution; Quy định 24-QĐ/TW (2021), 4.1:
	 * the ceremony within 30 working days of the decision; 4.2.a: the review
	 * within 30 working days of the end of the 12 months; 6.3.1.a: the
	 * transfer's procedure within 60 working days of the decision taking
	 * effect; 6.3.1.c: the letter presented within 30 working days of the
	 * introduction. A temporary transfer returns on its planned end. */
	static const int workdays[COSO_DUE_MAX] = { 60, 30, 30, 60, 30, 0 };

	if (kind >= COSO_DUE_MAX)
		return coso_error_set(COSO_EINVALID, "unknown deadline");
	out->kind = kind;
	out->from = from;
	out->done = done;
	if (kind == COSO_DUE_RETURN) {
		out->deadline = from;
		return 0;
	}
	return coso_add_workdays(&out->deadline, cal, from, workdays[kind]);
}

coso_due_state coso_due_state_on(const coso_due *due, coso_day d)
{
	if (due->done != COSO_DAY_MAX && due->done <= d)
		return due->done <= due->deadline ? COSO_DUE_ON_TIME : COSO_DUE_LATE;
	if (d < due->from)
		return COSO_DUE_PENDING;
	return d <= due->deadline ? COSO_DUE_OPEN : COSO_DUE_OVERDUE;
}

/* ---- reviews ------------------------------------------------------------------------- */

void coso_review_check(const coso_prow *r, coso_day admitted_on, coso_party_problem_fn fn, void *ctx)
{
	char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ];
	coso_day end = coso_probation_end(admitted_on);

	/* Điều lệ Đảng, Điều 5 khoản 2: "Khi hết thời kỳ dự bị, chi bộ xét công
	 * nhận đảng viên chính thức" */
	if (r->day[REV_REVIEWED] < end)
		problem(fn, ctx, REV_REVIEWED, "%s is before the end of the 12 months of probation (%s)",
			coso_date_format(a, r->day[REV_REVIEWED]), coso_date_format(b, end));
	else if (r->day[REV_DECIDED] < r->day[REV_REVIEWED])
		problem(fn, ctx, REV_DECIDED, "%s is before reviewed_on (%s)", coso_date_format(a, r->day[REV_DECIDED]),
			coso_date_format(b, r->day[REV_REVIEWED]));
}

/* ---- the register files ---------------------------------------------------------------- */

static void row_problem(void *ctx, int col, const char *msg)
{
	coso_row_problem(ctx, col, "%s", msg);
}

/* Reads the current row of r as a row of t into *out, by the column types. */
static int read_row(coso_row *r, const coso_ptable *t, coso_prow *out)
{
	coso_prow_init(out);
	for (int c = 0; c < t->ncols; c++) {
		if (t->types[c] == 'd') {
			out->day[c] = coso_row_date(r, c, t->cols[c].required, COSO_DAY_MAX);
		} else {
			const char *s = c == 0 ? coso_row_code(r, c, true) : coso_row_field(r, c);

			if (c > 0 && t->cols[c].required && (!s || !*s))
				coso_row_problem(r, c, "is required");
			if (coso_prow_set(out, c, s) < 0)
				return COSO_ENOMEM;
		}
	}
	return 0;
}

static int load_candidate(coso_store *st, coso_row *r)
{
	coso_prow c;
	int rc = read_row(r, &coso_candidates, &c);

	if (rc == 0 && c.text[CAND_GENDER] && !coso_one_of(c.text[CAND_GENDER], genders))
		coso_row_problem(r, CAND_GENDER, "'%s' is not one of: male, female", c.text[CAND_GENDER]);
	if (rc == 0 && !coso_row_errors(r))
		coso_candidate_check(&c, row_problem, r);
	if (rc == 0 && !coso_row_errors(r))
		rc = coso_store_prow_load(st, &coso_candidates, &c);
	coso_prow_clear(&c);
	return rc;
}

static int load_review(coso_store *st, coso_row *r)
{
	coso_prow v;
	int rc = read_row(r, &coso_reviews, &v);

	if (rc == 0 && v.text[REV_OUTCOME] && !coso_one_of(v.text[REV_OUTCOME], coso_review_outcomes))
		coso_row_problem(r, REV_OUTCOME, "'%s' is not one of: recognised, removed", v.text[REV_OUTCOME]);
	if (rc == 0 && !coso_row_errors(r) && v.day[REV_DECIDED] < v.day[REV_REVIEWED])
		coso_row_problem(r, REV_DECIDED, "is before reviewed_on");
	if (rc == 0 && !coso_row_errors(r))
		rc = coso_store_prow_load(st, &coso_reviews, &v);
	coso_prow_clear(&v);
	return rc;
}




struct export_ctx {
	FILE *fp;
	const coso_ptable *t;
};

static int export_row(void *ctx, const coso_prow *r)
{
	struct export_ctx *x = ctx;

	for (int c = 0; c < x->t->ncols; c++) {
		bool last = c == x->t->ncols - 1;

		if (x->t->types[c] == 'd')
			coso_csv_put_date(x->fp, r->day[c], last);
		else
			coso_csv_put(x->fp, r->text[c], last);
	}
	return 0;
}





/* ---- the lists of what is due ------------------------------------------------------------ */

const char *coso_due_list_name(coso_due_list l)
{
	static const char *const names[COSO_LIST_MAX] = { "due", "overdue", "late" };

	return l < COSO_LIST_MAX ? names[l] : "";
}

int coso_candidate_dues(const coso_prow *c, const coso_calendar *cal, coso_due due[2])
{
	int n = 0;

	if (c->day[CAND_DROPPED] != COSO_DAY_MAX || c->day[CAND_VOTED] == COSO_DAY_MAX)
		return 0;
	if (coso_due_compute(&due[n], cal, COSO_DUE_DECISION, c->day[CAND_VOTED], c->day[CAND_DECIDED]) == 0)
		n++;
	if (c->day[CAND_DECIDED] != COSO_DAY_MAX &&
	    coso_due_compute(&due[n], cal, COSO_DUE_CEREMONY, c->day[CAND_DECIDED], c->day[CAND_CEREMONY]) == 0)
		n++;
	return n;
}

/* The list of a deadline on day d, or -1 when it is on none. */
static int list_of(const coso_due *due, coso_day d, coso_day month_end)
{
	if (due->done != COSO_DAY_MAX && due->done <= d)
		return due->done > due->deadline && due->done > d - 365 ? COSO_LIST_LATE : -1;
	if (due->deadline < d)
		return COSO_LIST_OVERDUE;
	return due->from <= month_end ? COSO_LIST_DUE : -1;
}

struct dues_ctx {
	const coso_calendar *cal;
	coso_day d, month_end;
	coso_due_fn fn;
	void *ctx;
};

static int emit(struct dues_ctx *x, const coso_due *due, bool member, const char *id, const char *name,
		const char *org, const char *org_name, const char *transfer)
{
	int l = list_of(due, x->d, x->month_end);
	coso_due_item it = { *due, (coso_due_list)l, member, id, name, org, org_name, transfer };

	return l < 0 ? 0 : x->fn(x->ctx, &it);
}

static int candidate_dues(void *ctx, const coso_candidate_item *it)
{
	struct dues_ctx *x = ctx;
	coso_due due[2];
	int n = coso_candidate_dues(it->row, x->cal, due), rc = 0;

	/* the ceremony's decision is done: a decided candidate lists its ceremony only */
	for (int i = n == 2 ? 1 : 0; i < n && rc == 0; i++)
		rc = emit(x, &due[i], false, it->row->text[CAND_ID], it->row->text[CAND_NAME],
			  it->row->text[CAND_ORG], it->org_name, NULL);
	return rc;
}

static int member_dues(void *ctx, const coso_probation_item *it)
{
	struct dues_ctx *x = ctx;
	coso_day end = coso_probation_end(it->admitted_on);
	coso_day done = it->review ? it->review->day[REV_DECIDED] : COSO_DAY_MAX;
	coso_due due;

	if (!it->review && (it->official_on != COSO_DAY_MAX || it->ended_on <= end))
		return 0; /* official or ended without a stored review: nothing to list */
	if (coso_due_compute(&due, x->cal, COSO_DUE_REVIEW, end, done) < 0)
		return 0;
	return emit(x, &due, true, it->id, it->full_name, it->org_code, it->org_name, NULL);
}

static int transfer_dues(void *ctx, const coso_transfer_item *it)
{
	struct dues_ctx *x = ctx;
	coso_due due[3];
	int n = coso_transfer_dues(it->row, x->cal, due), rc = 0;

	for (int i = 0; i < n && rc == 0; i++)
		rc = emit(x, &due[i], true, it->row->text[TR_MEMBER], it->full_name, it->row->text[TR_FROM],
			  it->from_name, it->row->text[TR_ID]);
	return rc;
}

int coso_party_dues(coso_store *st, const coso_calendar *cal, coso_day d, const char *org, coso_due_fn fn, void *ctx)
{
	int y, m;
	struct dues_ctx x = { cal, d, 0, fn, ctx };
	int rc;

	coso_date_to_ymd(d, &y, &m, NULL);
	x.month_end = coso_date_from_ymd(y, m, coso_date_days_in_month(y, m));
	rc = coso_store_candidates_each(st, d, org, candidate_dues, &x);
	if (rc == 0)
		rc = coso_store_probation_each(st, d, org, member_dues, &x);
	if (rc == 0)
		rc = coso_store_transfers_each(st, d, org, transfer_dues, &x);
	return rc;
}

/* ---- badges ------------------------------------------------------------------------------ */

/* Hướng dẫn 01-HD/TW (2021), mục 18: the years of party age of the badges. */
const int coso_badge_years[COSO_BADGE_NYEARS] = { 30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90 };

/* The ceremonies of the year: 3/2 (the Party's founding), 19/5 (Hồ Chí
 * Minh's birthday), 2/9 (Quốc khánh), 7/11 (the October Revolution). */
static const int ceremony_md[4][2] = { { 2, 3 }, { 5, 19 }, { 9, 2 }, { 11, 7 } };

void coso_badge_ceremonies(coso_day d, coso_day *prev, coso_day *next)
{
	int y;

	coso_date_to_ymd(d, &y, NULL, NULL);
	*prev = coso_date_from_ymd(y - 1, 11, 7);
	for (int yy = y; yy <= y + 1; yy++)
		for (int i = 0; i < 4; i++) {
			coso_day c = coso_date_from_ymd(yy, ceremony_md[i][0], ceremony_md[i][1]);

			if (c >= d) {
				*next = c;
				return;
			}
			*prev = c;
		}
}

int coso_badge_at(coso_day admitted_on, coso_day prev, coso_day next, bool early, coso_day *anniversary)
{
	for (int i = 0; i < COSO_BADGE_NYEARS; i++) {
		int years = coso_badge_years[i];
		coso_day a = coso_add_months(admitted_on, 12 * years);
		/* the early award: 12 months for 30 to 65 years, 24 for 70 to 90 */
		coso_day early_to = coso_add_months(next, years >= 70 ? 24 : 12);

		if (!early && prev < a && a <= next) {
			*anniversary = a;
			return years;
		}
		if (early && next < a && a <= early_to) {
			*anniversary = a;
			return years;
		}
	}
	return 0;
}

struct badges_ctx {
	coso_store *st;
	coso_day prev, next;
	bool early;
	coso_badge_fn fn;
	void *ctx;
};

static int badge_of(void *ctx, const coso_probation_item *it)
{
	struct badges_ctx *x = ctx;
	coso_badge_item b = { it->id, it->full_name, it->org_code, it->org_name, it->admitted_on, 0, 0, x->early };
	int awarded;

	b.years = coso_badge_at(it->admitted_on, x->prev, x->next, x->early, &b.anniversary);
	if (!b.years)
		return 0;
	/* a badge awarded (badges.csv) is not due again */
	if ((awarded = coso_store_badge_awarded(x->st, it->id, b.years)) != 0)
		return awarded < 0 ? awarded : 0;
	return x->fn(x->ctx, &b);
}

int coso_party_badges(coso_store *st, coso_day d, const char *org, coso_badge_fn fn, void *ctx)
{
	struct badges_ctx x = { st, 0, 0, false, fn, ctx };
	int rc;

	coso_badge_ceremonies(d, &x.prev, &x.next);
	/* 30 years by the ceremony; early: by 24 months after it */
	rc = coso_store_seniors_each(st, x.next, coso_add_months(x.next, -12 * 30), org, badge_of, &x);
	x.early = true;
	if (rc == 0)
		rc = coso_store_seniors_each(st, x.next, coso_add_months(x.next, -12 * 28), org, badge_of, &x);
	return rc;
}

/* ---- transfers ------------------------------------------------------------------------------- */

static const coso_column transfer_cols[TR_N] = {
	[TR_ID] = { "id", true }, [TR_MEMBER] = { "member_id", true }, [TR_KIND] = { "kind", true },
	[TR_FROM] = { "from_org", true }, [TR_TO] = { "to_org", false }, [TR_DESTINATION] = { "destination", false },
	[TR_PURPOSE] = { "purpose", false }, [TR_DECIDED] = { "decided_on", true }, [TR_LETTER] = { "letter_on", true },
	[TR_PRESENTED] = { "presented_on", false }, [TR_UNTIL] = { "until", false },
	[TR_RETURNED] = { "returned_on", false },
};

const coso_ptable coso_transfers = {
	"transfers.csv", "party_transfer", "transfer", transfer_cols, "tttttttddddd", TR_N,
};

const char *const coso_transfer_kinds[] = { "official", "out", "temporary", NULL };
const char *const coso_transfer_purposes[] = { "work", "study", NULL };

void coso_transfer_check(const coso_prow *t, coso_party_problem_fn fn, void *ctx)
{
	const char *kind = t->text[TR_KIND] ? t->text[TR_KIND] : "";
	bool temporary = strcmp(kind, "temporary") == 0, out = strcmp(kind, "out") == 0;
	char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ];

	if (out) {
		if (t->text[TR_TO])
			problem(fn, ctx, TR_TO, "a transfer out of the registry has no to_org (write the destination)");
		if (!t->text[TR_DESTINATION])
			problem(fn, ctx, TR_DESTINATION, "is required for a transfer out (where the member goes)");
		if (HAS(t, TR_PRESENTED))
			problem(fn, ctx, TR_PRESENTED, "the receiving organization is outside the registry");
	} else if (!t->text[TR_TO]) {
		problem(fn, ctx, TR_TO, "is required for an %s transfer", kind);
	} else if (t->text[TR_FROM] && strcmp(t->text[TR_TO], t->text[TR_FROM]) == 0) {
		problem(fn, ctx, TR_TO, "is from_org itself");
	}
	if (temporary != HAS(t, TR_UNTIL))
		problem(fn, ctx, TR_UNTIL, temporary ? "is required for a temporary transfer (its planned end)"
			: "is only for a temporary transfer");
	if (temporary != (t->text[TR_PURPOSE] != NULL))
		problem(fn, ctx, TR_PURPOSE, temporary ? "is required for a temporary transfer (work or study)"
			: "is only for a temporary transfer");
	if (!temporary && HAS(t, TR_RETURNED))
		problem(fn, ctx, TR_RETURNED, "is only for a temporary transfer");
	if (HAS(t, TR_LETTER) && HAS(t, TR_DECIDED) && t->day[TR_LETTER] < t->day[TR_DECIDED])
		problem(fn, ctx, TR_LETTER, "%s is before decided_on (%s)", coso_date_format(a, t->day[TR_LETTER]),
			coso_date_format(b, t->day[TR_DECIDED]));
	if (HAS(t, TR_PRESENTED) && t->day[TR_PRESENTED] < t->day[TR_LETTER])
		problem(fn, ctx, TR_PRESENTED, "%s is before letter_on (%s)", coso_date_format(a, t->day[TR_PRESENTED]),
			coso_date_format(b, t->day[TR_LETTER]));
	if (HAS(t, TR_RETURNED) && (!HAS(t, TR_PRESENTED) || t->day[TR_RETURNED] <= t->day[TR_PRESENTED]))
		problem(fn, ctx, TR_RETURNED, "needs presented_on before it");
	/* Quy định 24-QĐ/TW, 6.3.2: "từ 3 tháng đến dưới 1 năm"; to study "từ 3
	 * tháng đến 2 năm", counted from the letter */
	if (temporary && HAS(t, TR_UNTIL) && HAS(t, TR_LETTER) && t->text[TR_PURPOSE]) {
		bool study = strcmp(t->text[TR_PURPOSE], "study") == 0;
		coso_day min = coso_add_months(t->day[TR_LETTER], 3);
		coso_day max = coso_add_months(t->day[TR_LETTER], study ? 24 : 12);

		if (t->day[TR_UNTIL] < min)
			problem(fn, ctx, TR_UNTIL, "%s is less than 3 months after letter_on (from %s: Quy định 24-QĐ/TW,"
				" 6.3.2)", coso_date_format(a, t->day[TR_UNTIL]), coso_date_format(b, min));
		else if (study ? t->day[TR_UNTIL] > max : t->day[TR_UNTIL] >= max)
			problem(fn, ctx, TR_UNTIL, "%s is %s (%s): longer, the transfer is official (Quy định 24-QĐ/TW,"
				" 6.3.2)", coso_date_format(a, t->day[TR_UNTIL]),
				study ? "more than 2 years after letter_on" : "a year or more after letter_on",
				coso_date_format(b, max));
	}
}

int coso_transfer_dues(const coso_prow *t, const coso_calendar *cal, coso_due due[3])
{
	int n = 0;
	bool out = t->text[TR_KIND] && strcmp(t->text[TR_KIND], "out") == 0;

	if (coso_due_compute(&due[n], cal, COSO_DUE_LETTER, t->day[TR_DECIDED], t->day[TR_LETTER]) == 0)
		n++;
	if (!out && coso_due_compute(&due[n], cal, COSO_DUE_PRESENT, t->day[TR_LETTER], t->day[TR_PRESENTED]) == 0)
		n++;
	if (HAS(t, TR_UNTIL) && coso_due_compute(&due[n], cal, COSO_DUE_RETURN, t->day[TR_UNTIL], t->day[TR_RETURNED]) == 0)
		n++;
	return n;
}

static int load_transfer(coso_store *st, coso_row *r)
{
	coso_prow t;
	int rc = read_row(r, &coso_transfers, &t);

	if (rc == 0 && t.text[TR_KIND] && !coso_one_of(t.text[TR_KIND], coso_transfer_kinds))
		coso_row_problem(r, TR_KIND, "'%s' is not one of: official, out, temporary", t.text[TR_KIND]);
	if (rc == 0 && t.text[TR_PURPOSE] && !coso_one_of(t.text[TR_PURPOSE], coso_transfer_purposes))
		coso_row_problem(r, TR_PURPOSE, "'%s' is not one of: work, study", t.text[TR_PURPOSE]);
	if (rc == 0 && !coso_row_errors(r))
		coso_transfer_check(&t, row_problem, r);
	if (rc == 0 && !coso_row_errors(r))
		rc = coso_store_prow_load(st, &coso_transfers, &t);
	coso_prow_clear(&t);
	return rc;
}





/* ---- ratings ------------------------------------------------------------------------------------ */

static const coso_column rating_cols[RAT_N] = {
	[RAT_ID] = { "id", true }, [RAT_YEAR] = { "year", true }, [RAT_KIND] = { "kind", true },
	[RAT_SUBJECT] = { "subject", true }, [RAT_LEVEL] = { "level", true }, [RAT_SCORE] = { "score", false },
	[RAT_RATED_ON] = { "rated_on", true }, [RAT_RATED_BY] = { "rated_by", true },
};

const coso_ptable coso_ratings = {
	"ratings.csv", "party_rating", "rating", rating_cols, "ttttttdt", RAT_N,
};

const char *const coso_rating_kinds[] = { "member", "org", NULL };
const char *const coso_rating_levels[] = { "excellent", "good", "done", "not_done", NULL };

const char *coso_rating_level_of(int score)
{
	/* Quy định 366-QĐ/TW (2025), Điều 11 */
	return score >= 90 ? "excellent" : score >= 70 ? "good" : score >= 50 ? "done" : "not_done";
}

/* A whole number of at most `digits` digits into *out; false when s is not one. */
static bool small_number(const char *s, int digits, int *out)
{
	int v = 0, n = 0;

	for (; s && *s; s++, n++) {
		if (*s < '0' || *s > '9' || n >= digits)
			return false;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return n > 0;
}

void coso_rating_check(const coso_prow *r, coso_party_problem_fn fn, void *ctx)
{
	int year = 0, score = 0, y = 0;

	if (!small_number(r->text[RAT_YEAR], 4, &year) || year < COSO_CALENDAR_FIRST_YEAR || year > COSO_CALENDAR_LAST_YEAR) {
		problem(fn, ctx, RAT_YEAR, "'%s' is not a year (%d to %d)", r->text[RAT_YEAR] ? r->text[RAT_YEAR] : "",
			COSO_CALENDAR_FIRST_YEAR, COSO_CALENDAR_LAST_YEAR);
		return;
	}
	if (HAS(r, RAT_RATED_ON)) {
		coso_date_to_ymd(r->day[RAT_RATED_ON], &y, NULL, NULL);
		if (y != year && y != year + 1)
			problem(fn, ctx, RAT_RATED_ON, "a rating of %d is made in %d or early %d", year, year, year + 1);
	}
	/* Quy định 366-QĐ/TW (2025): the 100-point scale, and the level it gives */
	if (year < COSO_RATING_SCORE_YEAR) {
		if (r->text[RAT_SCORE])
			problem(fn, ctx, RAT_SCORE, "ratings before %d have no score (the 100-point scale starts in %d)",
				COSO_RATING_SCORE_YEAR, COSO_RATING_SCORE_YEAR);
	} else if (!r->text[RAT_SCORE]) {
		problem(fn, ctx, RAT_SCORE, "is required from %d (the 100-point scale of Quy định 366-QĐ/TW)",
			COSO_RATING_SCORE_YEAR);
	} else if (!small_number(r->text[RAT_SCORE], 3, &score) || score > 100) {
		problem(fn, ctx, RAT_SCORE, "'%s' is not a score from 0 to 100", r->text[RAT_SCORE]);
	} else if (r->text[RAT_LEVEL] && strcmp(coso_rating_level_of(score), r->text[RAT_LEVEL]) != 0) {
		problem(fn, ctx, RAT_LEVEL, "'%s' does not agree with the score %d, which gives '%s' (Quy định 366-QĐ/TW,"
			" Điều 11)", r->text[RAT_LEVEL], score, coso_rating_level_of(score));
	}
}

bool coso_rating_member_old_enough(coso_day admitted_on, coso_day rated_on)
{
	return admitted_on <= coso_add_months(rated_on, -6);
}

static int load_rating(coso_store *st, coso_row *r)
{
	coso_prow v;
	int rc = read_row(r, &coso_ratings, &v);

	if (rc == 0 && v.text[RAT_KIND] && !coso_one_of(v.text[RAT_KIND], coso_rating_kinds))
		coso_row_problem(r, RAT_KIND, "'%s' is not one of: member, org", v.text[RAT_KIND]);
	if (rc == 0 && v.text[RAT_LEVEL] && !coso_one_of(v.text[RAT_LEVEL], coso_rating_levels))
		coso_row_problem(r, RAT_LEVEL, "'%s' is not one of: excellent, good, done, not_done", v.text[RAT_LEVEL]);
	if (rc == 0 && !coso_row_errors(r))
		coso_rating_check(&v, row_problem, r);
	if (rc == 0 && !coso_row_errors(r))
		rc = coso_store_prow_load(st, &coso_ratings, &v);
	coso_prow_clear(&v);
	return rc;
}





/* ---- badges awarded ----------------------------------------------------------------------------- */

static const coso_column badge_cols[BDG_N] = {
	[BDG_ID] = { "id", true }, [BDG_MEMBER] = { "member_id", true }, [BDG_YEARS] = { "years", true },
	[BDG_AWARDED] = { "awarded_on", true }, [BDG_DECISION_NO] = { "decision_no", false },
	[BDG_EARLY] = { "early", false },
};

const coso_ptable coso_badges = {
	"badges.csv", "party_badge", "badge", badge_cols, "tttdtt", BDG_N,
};

void coso_badge_award_check(const coso_prow *b, coso_day admitted_on, coso_party_problem_fn fn, void *ctx)
{
	char a[COSO_DATE_BUFSZ];
	int years = 0;
	bool known = false, early = b->text[BDG_EARLY] && strcmp(b->text[BDG_EARLY], "1") == 0;
	coso_day reached;

	if (b->text[BDG_EARLY] && !early && strcmp(b->text[BDG_EARLY], "0") != 0) {
		problem(fn, ctx, BDG_EARLY, "'%s' is not a flag (0 or 1)", b->text[BDG_EARLY]);
		return;
	}
	if (small_number(b->text[BDG_YEARS], 2, &years))
		for (int i = 0; i < COSO_BADGE_NYEARS; i++)
			known = known || coso_badge_years[i] == years;
	if (!known) {
		problem(fn, ctx, BDG_YEARS, "'%s' is not a badge (30, 40, 45, 50, ..., 90 years)",
			b->text[BDG_YEARS] ? b->text[BDG_YEARS] : "");
		return;
	}
	if (admitted_on == COSO_DAY_MAX || !HAS(b, BDG_AWARDED))
		return;
	reached = coso_add_months(admitted_on, 12 * years);
	/* Hướng dẫn 01-HD/TW (2021), mục 18: early only if seriously ill, by 12
	 * months (30 to 65 years) or 24 (70 to 90) */
	if (!early && b->day[BDG_AWARDED] < reached)
		problem(fn, ctx, BDG_AWARDED, "the member has %d years of party age on %s, not before (early: 1 for a"
			" seriously ill member)", years, coso_date_format(a, reached));
	else if (early && b->day[BDG_AWARDED] < coso_add_months(reached, years >= 70 ? -24 : -12))
		problem(fn, ctx, BDG_AWARDED, "more than %d months before the %d years (%s)", years >= 70 ? 24 : 12, years,
			coso_date_format(a, reached));
}

static int load_badge(coso_store *st, coso_row *r)
{
	coso_prow v;
	int rc = read_row(r, &coso_badges, &v);

	if (rc == 0 && !coso_row_errors(r))
		coso_badge_award_check(&v, COSO_DAY_MAX, row_problem, r);
	if (rc == 0 && !coso_row_errors(r))
		rc = coso_store_prow_load(st, &coso_badges, &v);
	coso_prow_clear(&v);
	return rc;
}

/* A register file of party work: the generic begin, check and export of
 * its table, and its own row loader. */
#define PARTY_REGISTER(var, tab, file, columns, n, key, loader) \
	static int begin_##var(coso_store *st) { return coso_store_prow_load_begin(st, &tab); } \
	static int check_##var(coso_store *st, coso_problem_fn fn, void *ctx) \
	{ \
		return coso_store_party_check(st, &tab, fn, ctx); \
	} \
	static int export_##var(coso_store *st, FILE *fp) \
	{ \
		struct export_ctx x = { fp, &tab }; \
		return coso_store_prow_each(st, &tab, export_row, &x); \
	} \
	const coso_register_file var = { \
		.name = file, .cols = columns, .ncols = n, .key_col = key, .from_col = -1, \
		.begin = begin_##var, .load = loader, .end = NULL, .check = check_##var, .export_rows = export_##var, \
	}

PARTY_REGISTER(coso_register_candidates, coso_candidates, "candidates.csv", candidate_cols, CAND_N, CAND_ID,
	       load_candidate);
PARTY_REGISTER(coso_register_reviews, coso_reviews, "probation_reviews.csv", review_cols, REV_N, REV_MEMBER,
	       load_review);
PARTY_REGISTER(coso_register_transfers, coso_transfers, "transfers.csv", transfer_cols, TR_N, TR_ID,
	       load_transfer);
PARTY_REGISTER(coso_register_ratings, coso_ratings, "ratings.csv", rating_cols, RAT_N, RAT_ID, load_rating);
PARTY_REGISTER(coso_register_badges, coso_badges, "badges.csv", badge_cols, BDG_N, BDG_ID, load_badge);
