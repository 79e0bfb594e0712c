/*
 * test_party.c: unit tests of core/party (docs/PARTY.md): months and ages,
 * the end of probation, the deadlines of the Party's rules counted on the
 * one calendar (coso_calendar_default: the rules and the shipped
 * overrides), where a deadline stands on boundary days, and the rules of a
 * candidate on its own. Every expected day is worked out by hand in the
 * comment above it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/party.h"
#include "util/date.h"

static coso_day ymd(int y, int m, int d)
{
	return coso_date_from_ymd(y, m, d);
}

static void months__add_keeps_the_day_or_takes_the_last_of_the_month(void **state)
{
	(void)state;
	assert_int_equal(coso_add_months(ymd(2024, 3, 20), 12), ymd(2025, 3, 20));
	/* 29 February 2024 + 12 months: February 2025 has 28 days */
	assert_int_equal(coso_add_months(ymd(2024, 2, 29), 12), ymd(2025, 2, 28));
	assert_int_equal(coso_add_months(ymd(2023, 1, 31), 1), ymd(2023, 2, 28));
	assert_int_equal(coso_add_months(ymd(2023, 12, 15), 1), ymd(2024, 1, 15));
	/* Điều lệ Đảng, Điều 5: twelve months from the ceremony */
	assert_int_equal(coso_probation_end(ymd(2017, 5, 22)), ymd(2018, 5, 22));
}

static void age__counts_completed_months(void **state)
{
	(void)state;
	/* born 6/11/2006: on 5/11/2024 17 years 11 months, on 6/11/2024 18 years */
	assert_int_equal(coso_age_months(ymd(2006, 11, 6), ymd(2024, 11, 5)), 17 * 12 + 11);
	assert_int_equal(coso_age_months(ymd(2006, 11, 6), ymd(2024, 11, 6)), 18 * 12);
	/* born on the 31st: the month is complete on the last day of a shorter month */
	assert_int_equal(coso_age_months(ymd(2000, 1, 31), ymd(2018, 2, 28)), 18 * 12 + 1);
	assert_int_equal(coso_age_months(ymd(2000, 1, 31), ymd(2018, 2, 27)), 18 * 12);
}

static void deadlines__ceremony_within_30_working_days_across_tet(void **state)
{
	const coso_calendar *cal = coso_calendar_default();
	coso_due due;

	(void)state;
	assert_non_null(cal);
	/* decision Friday 10/1/2025. Working days after it: 13-17/1 (5), 20-24/1
	 * (10); 27-31/1 is Tết Ất Tỵ (Công văn 8726/VPCP-KGVX); 3-7/2 (15),
	 * 10-14/2 (20), 17-21/2 (25), 24-28/2 (30): Friday 28/2/2025 */
	assert_int_equal(coso_due_compute(&due, cal, COSO_DUE_CEREMONY, ymd(2025, 1, 10), COSO_DAY_MAX), 0);
	assert_int_equal(due.deadline, ymd(2025, 2, 28));
	assert_int_equal(coso_due_state_on(&due, ymd(2025, 2, 28)), COSO_DUE_OPEN);
	assert_int_equal(coso_due_state_on(&due, ymd(2025, 3, 1)), COSO_DUE_OVERDUE);
	/* the ceremony on the last day is on time, the next working day late */
	due.done = ymd(2025, 2, 28);
	assert_int_equal(coso_due_state_on(&due, ymd(2025, 3, 10)), COSO_DUE_ON_TIME);
	due.done = ymd(2025, 3, 3);
	assert_int_equal(coso_due_state_on(&due, ymd(2025, 3, 10)), COSO_DUE_LATE);
	/* before the ceremony's day, it is not yet done */
	assert_int_equal(coso_due_state_on(&due, ymd(2025, 3, 2)), COSO_DUE_OVERDUE);
}

static void deadlines__review_within_30_working_days_across_hung_kings_and_a_swap(void **state)
{
	const coso_calendar *cal = coso_calendar_default();
	coso_due due;
	coso_day end = coso_probation_end(ymd(2024, 3, 20));

	(void)state;
	/* ceremony 20/3/2024: 12 months end on Thursday 20/3/2025. Working days
	 * after it: 21/3 (1), 24-28/3 (6), 31/3 (7), 1-4/4 (11); Monday 7/4 is
	 * Giỗ Tổ Hùng Vương (10/3 âm lịch); 8-11/4 (15), 14-18/4 (20), 21-25/4
	 * (25), Saturday 26/4 worked for Friday 2/5 (26), 28/4 (27), 29/4 (28);
	 * 30/4, 1/5 holidays, 2/5 swapped off; 5/5 (29), 6/5 (30): Tuesday 6/5 */
	assert_int_equal(end, ymd(2025, 3, 20));
	assert_int_equal(coso_due_compute(&due, cal, COSO_DUE_REVIEW, end, COSO_DAY_MAX), 0);
	assert_int_equal(due.deadline, ymd(2025, 5, 6));
	assert_int_equal(coso_due_state_on(&due, ymd(2025, 3, 19)), COSO_DUE_PENDING);
	assert_int_equal(coso_due_state_on(&due, ymd(2025, 3, 20)), COSO_DUE_OPEN);
	assert_int_equal(coso_due_state_on(&due, ymd(2025, 5, 6)), COSO_DUE_OPEN);
	assert_int_equal(coso_due_state_on(&due, ymd(2025, 5, 7)), COSO_DUE_OVERDUE);
}

static void deadlines__decision_within_60_working_days(void **state)
{
	const coso_calendar *cal = coso_calendar_default();
	coso_due due;

	(void)state;
	/* vote Monday 1/7/2024. July: 2-5 (4), 8-12 (9), 15-19 (14), 22-26 (19),
	 * 29-31 (22); August: 1-2 (24), 5-9 (29), 12-16 (34), 19-23 (39), 26-30
	 * (44); September: Monday 2 and Tuesday 3 are Quốc khánh (declared 2/9
	 * and 3/9/2024); 4-6 (47), 9-13 (52), 16-20 (57), 23, 24, 25 (60):
	 * Wednesday 25/9/2024 */
	assert_int_equal(coso_due_compute(&due, cal, COSO_DUE_DECISION, ymd(2024, 7, 1), COSO_DAY_MAX), 0);
	assert_int_equal(due.deadline, ymd(2024, 9, 25));
}

struct seen {
	int n;
	int cols[8];
	char last[512];
};

static void seen_problem(void *ctx, int col, const char *msg)
{
	struct seen *s = ctx;

	if (s->n < 8)
		s->cols[s->n] = col;
	s->n++;
	snprintf(s->last, sizeof(s->last), "%s", msg);
}

static void candidate(coso_prow *c, coso_day birth, coso_day voted)
{
	coso_prow_init(c);
	coso_prow_set(c, CAND_ID, "C1");
	coso_prow_set(c, CAND_NAME, "Lò Thị Mai");
	coso_prow_set(c, CAND_GENDER, "female");
	coso_prow_set(c, CAND_ETHNICITY, "Thái");
	coso_prow_set(c, CAND_ORG, "CV11");
	c->day[CAND_BIRTH] = birth;
	c->day[CAND_PROPOSED] = ymd(2024, 9, 2);
	c->day[CAND_COURSE] = ymd(2024, 8, 15);
	c->day[CAND_VERIFIED] = ymd(2024, 10, 15);
	c->day[CAND_VOTED] = voted;
}

static void candidate__age_18_to_60_at_the_cells_vote(void **state)
{
	coso_prow c;
	struct seen s = { 0 };

	(void)state;
	/* 18 on the day of the vote: accepted */
	candidate(&c, ymd(2006, 11, 6), ymd(2024, 11, 6));
	coso_candidate_check(&c, seen_problem, &s);
	assert_int_equal(s.n, 0);
	assert_int_equal(coso_candidate_stage(&c), COSO_STAGE_VOTED);
	coso_prow_clear(&c);
	/* the day before: 17 years 11 months */
	candidate(&c, ymd(2006, 11, 6), ymd(2024, 11, 5));
	coso_candidate_check(&c, seen_problem, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.cols[0], CAND_VOTED);
	assert_non_null(strstr(s.last, "17 years 11 months"));
	coso_prow_clear(&c);
	/* exactly 60: accepted; 60 years and a month: only with an exception */
	s.n = 0;
	candidate(&c, ymd(1964, 11, 5), ymd(2024, 11, 5));
	coso_candidate_check(&c, seen_problem, &s);
	assert_int_equal(s.n, 0);
	c.day[CAND_VOTED] = ymd(2024, 12, 5);
	c.day[CAND_DECIDED] = COSO_DAY_MAX;
	coso_candidate_check(&c, seen_problem, &s);
	assert_int_equal(s.n, 1);
	assert_non_null(strstr(s.last, "age_exception"));
	coso_prow_set(&c, CAND_AGE_EXCEPTION, "Quyết định 12-QĐ/TU của Tỉnh uỷ");
	s.n = 0;
	coso_candidate_check(&c, seen_problem, &s);
	assert_int_equal(s.n, 0);
	coso_prow_clear(&c);
}

static void candidate__stages_come_in_order_with_who_decided(void **state)
{
	coso_prow c;
	struct seen s = { 0 };

	(void)state;
	candidate(&c, ymd(2000, 4, 10), ymd(2024, 11, 5));
	/* a decision needs the committee; a ceremony needs the member it made */
	c.day[CAND_DECIDED] = ymd(2024, 12, 20);
	c.day[CAND_CEREMONY] = ymd(2024, 12, 19);
	coso_candidate_check(&c, seen_problem, &s);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.cols[0], CAND_CEREMONY);   /* before the decision */
	assert_int_equal(s.cols[1], CAND_DECIDED_BY);
	assert_int_equal(s.cols[2], CAND_MEMBER);
	coso_prow_clear(&c);
	/* a vote without the course */
	s.n = 0;
	candidate(&c, ymd(2000, 4, 10), ymd(2024, 11, 5));
	c.day[CAND_COURSE] = COSO_DAY_MAX;
	coso_candidate_check(&c, seen_problem, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.cols[0], CAND_VOTED);
	assert_string_equal(s.last, "needs course_on first");
	coso_prow_clear(&c);
}

static void review__after_the_twelve_months(void **state)
{
	coso_prow r;
	struct seen s = { 0 };

	(void)state;
	coso_prow_init(&r);
	r.day[REV_REVIEWED] = ymd(2025, 3, 19);
	r.day[REV_DECIDED] = ymd(2025, 3, 25);
	coso_review_check(&r, ymd(2024, 3, 20), seen_problem, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.cols[0], REV_REVIEWED);
	s.n = 0;
	r.day[REV_REVIEWED] = ymd(2025, 3, 20);
	coso_review_check(&r, ymd(2024, 3, 20), seen_problem, &s);
	assert_int_equal(s.n, 0);
}

static void badges__the_ceremony_on_or_after_a_day(void **state)
{
	coso_day prev, next;

	(void)state;
	/* 3/2, 19/5, 2/9, 7/11: on a ceremony's day it is that one */
	coso_badge_ceremonies(ymd(2026, 2, 3), &prev, &next);
	assert_int_equal(prev, ymd(2025, 11, 7));
	assert_int_equal(next, ymd(2026, 2, 3));
	coso_badge_ceremonies(ymd(2026, 2, 4), &prev, &next);
	assert_int_equal(prev, ymd(2026, 2, 3));
	assert_int_equal(next, ymd(2026, 5, 19));
	coso_badge_ceremonies(ymd(2026, 11, 8), &prev, &next);
	assert_int_equal(prev, ymd(2026, 11, 7));
	assert_int_equal(next, ymd(2027, 2, 3));
	coso_badge_ceremonies(ymd(2026, 1, 1), &prev, &next);
	assert_int_equal(prev, ymd(2025, 11, 7));
	assert_int_equal(next, ymd(2026, 2, 3));
}

static void badges__years_reached_since_the_last_ceremony_or_early_if_ill(void **state)
{
	coso_day a = 0;

	(void)state;
	/* admitted 3/2/1996: 30 years on 3/2/2026, at that day's ceremony; not at 7/11/2025's */
	assert_int_equal(coso_badge_at(ymd(1996, 2, 3), ymd(2025, 11, 7), ymd(2026, 2, 3), false, &a), 30);
	assert_int_equal(a, ymd(2026, 2, 3));
	assert_int_equal(coso_badge_at(ymd(1996, 2, 3), ymd(2025, 9, 2), ymd(2025, 11, 7), false, &a), 0);
	/* admitted 7/11/1985: 40 years on 7/11/2025, at that ceremony, not at the next one */
	assert_int_equal(coso_badge_at(ymd(1985, 11, 7), ymd(2025, 9, 2), ymd(2025, 11, 7), false, &a), 40);
	assert_int_equal(coso_badge_at(ymd(1985, 11, 7), ymd(2025, 11, 7), ymd(2026, 2, 3), false, &a), 0);
	/* 29/2/1996 + 30 years: 28/2/2026, between 3/2 and 19/5/2026 */
	assert_int_equal(coso_badge_at(ymd(1996, 2, 29), ymd(2026, 2, 3), ymd(2026, 5, 19), false, &a), 30);
	assert_int_equal(a, ymd(2026, 2, 28));
	/* early if seriously ill: 30 to 65 years up to 12 months before, 70 to 90 up to 24 */
	assert_int_equal(coso_badge_at(ymd(1997, 2, 3), ymd(2025, 11, 7), ymd(2026, 2, 3), true, &a), 30);
	assert_int_equal(coso_badge_at(ymd(1997, 2, 4), ymd(2025, 11, 7), ymd(2026, 2, 3), true, &a), 0);
	assert_int_equal(coso_badge_at(ymd(1958, 2, 3), ymd(2025, 11, 7), ymd(2026, 2, 3), true, &a), 70);
	assert_int_equal(a, ymd(2028, 2, 3));
	assert_int_equal(coso_badge_at(ymd(1958, 2, 4), ymd(2025, 11, 7), ymd(2026, 2, 3), true, &a), 0);
	/* 28 years of party age: no badge, early or not */
	assert_int_equal(coso_badge_at(ymd(1998, 2, 3), ymd(2025, 11, 7), ymd(2026, 2, 3), true, &a), 0);
}

static void ratings__score_bands_and_six_months(void **state)
{
	coso_prow r;
	struct seen s = { 0 };

	(void)state;
	/* Quy định 366-QĐ/TW, Điều 11: 90 and more, 70 to under 90, 50 to under 70, under 50 */
	assert_string_equal(coso_rating_level_of(100), "excellent");
	assert_string_equal(coso_rating_level_of(90), "excellent");
	assert_string_equal(coso_rating_level_of(89), "good");
	assert_string_equal(coso_rating_level_of(70), "good");
	assert_string_equal(coso_rating_level_of(69), "done");
	assert_string_equal(coso_rating_level_of(50), "done");
	assert_string_equal(coso_rating_level_of(49), "not_done");
	/* admitted 15/6/2025: rated on 15/12/2025, not on 14/12/2025 */
	assert_true(coso_rating_member_old_enough(ymd(2025, 6, 15), ymd(2025, 12, 15)));
	assert_false(coso_rating_member_old_enough(ymd(2025, 6, 15), ymd(2025, 12, 14)));
	/* a rating of 2025 needs its score; 2024 has none */
	coso_prow_init(&r);
	coso_prow_set(&r, RAT_YEAR, "2025");
	coso_prow_set(&r, RAT_LEVEL, "good");
	r.day[RAT_RATED_ON] = ymd(2025, 12, 15);
	coso_rating_check(&r, seen_problem, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.cols[0], RAT_SCORE);
	s.n = 0;
	coso_prow_set(&r, RAT_SCORE, "70");
	coso_rating_check(&r, seen_problem, &s);
	assert_int_equal(s.n, 0);
	coso_prow_set(&r, RAT_SCORE, "101");
	coso_rating_check(&r, seen_problem, &s);
	assert_int_equal(s.n, 1);
	s.n = 0;
	coso_prow_set(&r, RAT_YEAR, "2024");
	coso_prow_set(&r, RAT_SCORE, "70");
	coso_rating_check(&r, seen_problem, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.cols[0], RAT_SCORE);
	coso_prow_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(months__add_keeps_the_day_or_takes_the_last_of_the_month),
		cmocka_unit_test(age__counts_completed_months),
		cmocka_unit_test(deadlines__ceremony_within_30_working_days_across_tet),
		cmocka_unit_test(deadlines__review_within_30_working_days_across_hung_kings_and_a_swap),
		cmocka_unit_test(deadlines__decision_within_60_working_days),
		cmocka_unit_test(candidate__age_18_to_60_at_the_cells_vote),
		cmocka_unit_test(candidate__stages_come_in_order_with_who_decided),
		cmocka_unit_test(review__after_the_twelve_months),
		cmocka_unit_test(badges__the_ceremony_on_or_after_a_day),
		cmocka_unit_test(badges__years_reached_since_the_last_ceremony_or_early_if_ill),
		cmocka_unit_test(ratings__score_bands_and_six_months),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	coso_calendar_shutdown();
	return rc;
}
