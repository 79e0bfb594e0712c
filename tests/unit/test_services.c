/*
 * test_services.c: the clocks of the services register (core/services.h),
 * on deadlines worked out by hand with the 2024-2025 calendar of State
 * bodies (the shipped overrides: Tết Giáp Thìn 8-14/2/2024 with the nghỉ bù
 * of 13 and 14 February; 29/4/2024 off and Saturday 4/5/2024 worked;
 * Quốc khánh 2-3/9/2024; Tết Ất Tỵ 27-31/1/2025).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/services.h"
#include "util/error.h"

static coso_day ymd(int y, int m, int d)
{
	return coso_date_from_ymd(y, m, d);
}

static const coso_calendar *cal(void)
{
	const coso_calendar *c = coso_calendar_default();

	assert_non_null(c);
	return c;
}

static coso_svc_clock run(coso_svc_kind kind, coso_day received, int days, int complexity, bool remote,
			  const coso_svc_tick *ev, int nev, coso_day as_of)
{
	coso_svc_input in = { kind, received, days, complexity, remote, ev, nev };
	coso_svc_clock c;

	assert_int_equal(coso_svc_clock_at(cal(), &in, as_of, &c), 0);
	return c;
}

static void fails(coso_svc_kind kind, coso_day received, int complexity, const coso_svc_tick *ev, int nev,
		  const char *words)
{
	coso_svc_input in = { kind, received, 5, complexity, false, ev, nev };
	coso_svc_clock c;

	assert_int_equal(coso_svc_clock_at(cal(), &in, COSO_DAY_MAX, &c), COSO_EINVALID);
	if (!strstr(coso_error_last(), words))
		fail_msg("'%s' does not say '%s'", coso_error_last(), words);
}

/* Received Monday 5/2/2024, 5 working days: 6, 7 (1, 2); 8-14 Tết and nghỉ
 * bù; Thursday 15 (3), Friday 16 (4), Monday 19 (5). */
static void onestop__across_tet_2024(void **state)
{
	coso_svc_clock c;
	coso_svc_tick ev[] = {
		{ ymd(2024, 2, 19), "apology", ymd(2024, 2, 22) },
		{ ymd(2024, 2, 20), "resolved", COSO_DAY_MAX },
	};

	(void)state;
	c = run(COSO_SVC_ONESTOP, ymd(2024, 2, 5), 5, 0, false, NULL, 0, COSO_DAY_MAX);
	assert_int_equal(c.due, ymd(2024, 2, 19));
	assert_int_equal(c.deadline, ymd(2024, 2, 19));
	assert_true(c.open);
	/* on the due day still on time; resolved the day after: late, apology or not */
	c = run(COSO_SVC_ONESTOP, ymd(2024, 2, 5), 5, 0, false, ev, 2, ymd(2024, 2, 19));
	assert_true(c.open);
	assert_false(c.late);
	assert_int_equal(c.promised, ymd(2024, 2, 22));
	c = run(COSO_SVC_ONESTOP, ymd(2024, 2, 5), 5, 0, false, ev, 2, ymd(2024, 2, 20));
	assert_false(c.open);
	assert_true(c.late);
	assert_int_equal(c.closed_on, ymd(2024, 2, 20));
	assert_string_equal(c.closed_as, "resolved");
	/* open on the 20th, before the result: overdue that day */
	c = run(COSO_SVC_ONESTOP, ymd(2024, 2, 5), 5, 0, false, ev, 1, ymd(2024, 2, 20));
	assert_true(c.open);
	assert_true(c.late);
}

/* Received Friday 26/4/2024, 3 working days: 27-28 weekend, 29/4 swapped
 * off, 30/4 and 1/5 holidays; Thursday 2/5 (1), Friday 3/5 (2), Saturday
 * 4/5 worked in exchange (3). Same day (0 days) on a working day is the
 * day itself; on Sunday 28/4 it is Thursday 2/5. */
static void onestop__swap_of_2024_and_same_day(void **state)
{
	(void)state;
	assert_int_equal(run(COSO_SVC_ONESTOP, ymd(2024, 4, 26), 3, 0, false, NULL, 0, COSO_DAY_MAX).due,
			 ymd(2024, 5, 4));
	assert_int_equal(run(COSO_SVC_ONESTOP, ymd(2024, 4, 26), 0, 0, false, NULL, 0, COSO_DAY_MAX).due,
			 ymd(2024, 4, 26));
	assert_int_equal(run(COSO_SVC_ONESTOP, ymd(2024, 4, 28), 0, 0, false, NULL, 0, COSO_DAY_MAX).due,
			 ymd(2024, 5, 2));
}

/* Received Wednesday 28/8/2024: accepted within 10 working days: 29, 30
 * (1, 2); 31/8-1/9 weekend; 2-3/9 Quốc khánh; 4, 5, 6 (3-5), 9-13 (6-10):
 * Friday 13/9. Accepted Friday 6/9: 30 days is Sunday 6/10, so Monday 7/10;
 * remote 45 days: Monday 21/10; remote and complex 60: Tuesday 5/11;
 * complex 45 as remote ordinary. */
static void complaint__first_across_quoc_khanh(void **state)
{
	coso_svc_tick acc[] = { { ymd(2024, 9, 6), "accepted", COSO_DAY_MAX } };
	coso_svc_clock c;

	(void)state;
	c = run(COSO_SVC_COMPLAINT, ymd(2024, 8, 28), -1, 0, false, NULL, 0, ymd(2024, 9, 13));
	assert_int_equal(c.accept_due, ymd(2024, 9, 13));
	assert_int_equal(c.deadline, ymd(2024, 9, 13));
	assert_false(c.late);
	c = run(COSO_SVC_COMPLAINT, ymd(2024, 8, 28), -1, 0, false, NULL, 0, ymd(2024, 9, 16));
	assert_true(c.late); /* not accepted by Friday 13/9 */
	c = run(COSO_SVC_COMPLAINT, ymd(2024, 8, 28), -1, 0, false, acc, 1, COSO_DAY_MAX);
	assert_int_equal(c.accepted_on, ymd(2024, 9, 6));
	assert_int_equal(c.due, ymd(2024, 10, 7));
	assert_int_equal(c.deadline, ymd(2024, 10, 7));
	assert_int_equal(run(COSO_SVC_COMPLAINT, ymd(2024, 8, 28), -1, 1, false, acc, 1, COSO_DAY_MAX).due,
			 ymd(2024, 10, 21));
	assert_int_equal(run(COSO_SVC_COMPLAINT, ymd(2024, 8, 28), -1, 0, true, acc, 1, COSO_DAY_MAX).due,
			 ymd(2024, 10, 21));
	assert_int_equal(run(COSO_SVC_COMPLAINT, ymd(2024, 8, 28), -1, 1, true, acc, 1, COSO_DAY_MAX).due,
			 ymd(2024, 11, 5));
}

/* Second complaints: accepted Friday 13/12/2024, 45 days is Monday
 * 27/1/2025, the first day of Tết Ất Tỵ (27-31/1), then the weekend: Monday
 * 3/2/2025. Accepted Monday 2/12/2024, remote and complex, 70 days: Monday
 * 10/2/2025; remote ordinary 60: Friday 31/1/2025, Tết: Monday 3/2/2025. */
static void complaint__second_across_tet_2025(void **state)
{
	coso_svc_tick a1[] = { { ymd(2024, 12, 13), "accepted", COSO_DAY_MAX } };
	coso_svc_tick a2[] = { { ymd(2024, 12, 2), "accepted", COSO_DAY_MAX } };

	(void)state;
	assert_int_equal(run(COSO_SVC_COMPLAINT2, ymd(2024, 12, 10), -1, 0, false, a1, 1, COSO_DAY_MAX).due,
			 ymd(2025, 2, 3));
	assert_int_equal(run(COSO_SVC_COMPLAINT2, ymd(2024, 11, 28), -1, 1, true, a2, 1, COSO_DAY_MAX).due,
			 ymd(2025, 2, 10));
	assert_int_equal(run(COSO_SVC_COMPLAINT2, ymd(2024, 11, 28), -1, 0, true, a2, 1, COSO_DAY_MAX).due,
			 ymd(2025, 2, 3));
}

/* Received Thursday 1/2/2024: 7 working days to accept: 2, 5, 6, 7 (1-4),
 * Tết and nghỉ bù 8-14, 15, 16, 19 (5-7): Monday 19/2. Accepted 19/2: 30
 * days is Wednesday 20/3 (2024 is a leap year); extended once: 60 days,
 * Friday 19/4; twice: 90 days, Sunday 19/5, so Monday 20/5. */
static void denunciation__extensions(void **state)
{
	coso_svc_tick ev[] = {
		{ ymd(2024, 2, 19), "accepted", COSO_DAY_MAX },
		{ ymd(2024, 3, 15), "extended", COSO_DAY_MAX },
		{ ymd(2024, 4, 10), "extended", COSO_DAY_MAX },
		{ ymd(2024, 5, 20), "resolved", COSO_DAY_MAX },
	};
	coso_svc_clock c;

	(void)state;
	c = run(COSO_SVC_DENUNCIATION, ymd(2024, 2, 1), -1, 2, false, ev, 0, COSO_DAY_MAX);
	assert_int_equal(c.accept_due, ymd(2024, 2, 19));
	c = run(COSO_SVC_DENUNCIATION, ymd(2024, 2, 1), -1, 2, false, ev, 1, COSO_DAY_MAX);
	assert_int_equal(c.due, ymd(2024, 3, 20));
	c = run(COSO_SVC_DENUNCIATION, ymd(2024, 2, 1), -1, 2, false, ev, 4, ymd(2024, 3, 31));
	assert_int_equal(c.extensions, 1);
	assert_int_equal(c.due, ymd(2024, 4, 19));
	c = run(COSO_SVC_DENUNCIATION, ymd(2024, 2, 1), -1, 2, false, ev, 4, COSO_DAY_MAX);
	assert_int_equal(c.extensions, 2);
	assert_int_equal(c.due, ymd(2024, 5, 20));
	assert_false(c.late); /* resolved on the last day */
	/* "was it on time on 21/3/2024?": before the second extension the limit
	 * was 19/4, and it was open: yes */
	c = run(COSO_SVC_DENUNCIATION, ymd(2024, 2, 1), -1, 2, false, ev, 4, ymd(2024, 3, 21));
	assert_true(c.open);
	assert_false(c.late);
	/* a complex case is extended once only; an ordinary one never */
	fails(COSO_SVC_DENUNCIATION, ymd(2024, 2, 1), 1, ev, 3, "extended once");
	fails(COSO_SVC_DENUNCIATION, ymd(2024, 2, 1), 0, ev, 2, "not extended");
}

/* The rules the events must keep. */
static void events__rules(void **state)
{
	coso_svc_tick before[] = { { ymd(2024, 1, 31), "resolved", COSO_DAY_MAX } };
	coso_svc_tick twice[] = { { ymd(2024, 2, 2), "resolved", COSO_DAY_MAX },
				  { ymd(2024, 2, 5), "withdrawn", COSO_DAY_MAX } };
	coso_svc_tick unaccepted[] = { { ymd(2024, 2, 2), "resolved", COSO_DAY_MAX } };
	coso_svc_tick late_ext[] = { { ymd(2024, 2, 19), "accepted", COSO_DAY_MAX },
				     { ymd(2024, 3, 21), "extended", COSO_DAY_MAX } };
	coso_svc_tick early_apology[] = { { ymd(2024, 2, 6), "apology", ymd(2024, 2, 15) } };
	coso_svc_tick accept_onestop[] = { { ymd(2024, 2, 6), "accepted", COSO_DAY_MAX } };

	(void)state;
	fails(COSO_SVC_ONESTOP, ymd(2024, 2, 1), 0, before, 1, "before the case was received (2024-02-01)");
	fails(COSO_SVC_ONESTOP, ymd(2024, 2, 1), 0, twice, 2, "event 2 (withdrawn on 2024-02-05): the case was"
	      " closed on 2024-02-02");
	fails(COSO_SVC_COMPLAINT, ymd(2024, 2, 1), 0, unaccepted, 1, "resolved before it is accepted");
	fails(COSO_SVC_DENUNCIATION, ymd(2024, 2, 1), 1, late_ext, 2, "after the time limit ended (2024-03-20)");
	/* received 1/2, 5 working days: 2, 5, 6, 7, 15: due 15/2; a new date on it is refused */
	fails(COSO_SVC_ONESTOP, ymd(2024, 2, 1), 0, early_apology, 1, "must be after the due date 2024-02-15");
	fails(COSO_SVC_ONESTOP, ymd(2024, 2, 1), 0, accept_onestop, 1, "only complaints and denunciations");
}

/* Received Friday 30/8/2024, answered within 10 working days: 2-3/9 off;
 * 4-6 (1-3), 9-13 (4-8), 16, 17 (9, 10): Tuesday 17/9. */
static void petition__answer(void **state)
{
	(void)state;
	assert_int_equal(run(COSO_SVC_PETITION, ymd(2024, 8, 30), -1, 0, false, NULL, 0, COSO_DAY_MAX).due,
			 ymd(2024, 9, 17));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(onestop__across_tet_2024),
		cmocka_unit_test(onestop__swap_of_2024_and_same_day),
		cmocka_unit_test(complaint__first_across_quoc_khanh),
		cmocka_unit_test(complaint__second_across_tet_2025),
		cmocka_unit_test(denunciation__extensions),
		cmocka_unit_test(events__rules),
		cmocka_unit_test(petition__answer),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	coso_calendar_shutdown();
	return rc;
}
