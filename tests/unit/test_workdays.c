/*
 * test_workdays.c: unit tests of core/workdays (the working-day calendar of
 * State bodies): weekly rest, the statutory holidays of each Labour Code,
 * compensatory days, the overrides file (the real one in data/calendar and
 * hand-made ones), deadlines counted in working days and in days, and the
 * limits. Every expected day is worked out by hand in the comment above it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/workdays.h"
#include "util/date.h"
#include "util/error.h"

/* The calendar of the rules alone, and the one with data/calendar/vn-overrides.csv. */
static coso_calendar *rules;
static coso_calendar *real;

static coso_day ymd(int y, int m, int d)
{
	return coso_date_from_ymd(y, m, d);
}

/* Path of data/calendar/vn-overrides.csv: $COSO_CALENDAR_OVERRIDES, else
 * found from this file's own path (tests/unit/ -> ../../data/calendar/). */
static void overrides_path(char *buf, size_t size)
{
	const char *env = getenv("COSO_CALENDAR_OVERRIDES");
	const char *slash = strrchr(__FILE__, '/');

	if (env && *env) {
		snprintf(buf, size, "%s", env);
		return;
	}
	if (slash == NULL)
		snprintf(buf, size, "../../data/calendar/vn-overrides.csv");
	else
		snprintf(buf, size, "%.*s/../../data/calendar/vn-overrides.csv", (int)(slash - __FILE__), __FILE__);
}

static int group_setup(void **state)
{
	char path[4096];

	overrides_path(path, sizeof(path));
	if (coso_calendar_new(&rules) != 0 || coso_calendar_new(&real) != 0)
		return -1;
	if (coso_calendar_load_overrides(real, path) != 0) {
		fprintf(stderr, "%s\n", coso_error_last());
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	coso_calendar_free(rules);
	coso_calendar_free(real);
	return 0;
}

/* Writes `text` to a new temporary file whose name goes into path. */
static void write_temp(char path[64], const char *text)
{
	int fd;
	FILE *fp;

	snprintf(path, 64, "/tmp/coso-cal-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* Loads `text` as an overrides file into a fresh rules-only calendar;
 * returns the rc and leaves the calendar in *out (caller frees). */
static int load_text(coso_calendar **out, const char *text, char path[64])
{
	int rc;

	assert_int_equal(coso_calendar_new(out), 0);
	write_temp(path, text);
	coso_error_clear();
	rc = coso_calendar_load_overrides(*out, path);
	unlink(path);
	return rc;
}

/* Asserts that the load of `text` fails with rc and a message that starts
 * with "FILE:line: " and contains `needle`. */
static void assert_load_fails(const char *text, int rc, long line, const char *needle)
{
	coso_calendar *cal = NULL;
	char path[64], prefix[96];

	assert_int_equal(load_text(&cal, text, path), rc);
	snprintf(prefix, sizeof(prefix), "%s:%ld: ", path, line);
	if (strncmp(coso_error_last(), prefix, strlen(prefix)) != 0 || strstr(coso_error_last(), needle) == NULL)
		fail_msg("message '%s', expected '%s...%s'", coso_error_last(), prefix, needle);
	coso_calendar_free(cal);
}

static coso_day add(const coso_calendar *cal, coso_day day, int n)
{
	coso_day out = COSO_DAY_MIN;
	char buf[COSO_DATE_BUFSZ];

	if (coso_add_workdays(&out, cal, day, n) != 0)
		fail_msg("%s + %d: %s", coso_date_format(buf, day), n, coso_error_last());
	return out;
}

/* Asserts that every day of [from, to] is off and the days around are working. */
static void assert_break(const coso_calendar *cal, coso_day from, coso_day to)
{
	char buf[COSO_DATE_BUFSZ];

	for (coso_day d = from; d <= to; d++) {
		if (coso_is_workday(cal, d))
			fail_msg("%s is a working day", coso_date_format(buf, d));
	}
	if (!coso_is_workday(cal, from - 1))
		fail_msg("%s (before the break) is not a working day", coso_date_format(buf, from - 1));
	if (!coso_is_workday(cal, to + 1))
		fail_msg("%s (after the break) is not a working day", coso_date_format(buf, to + 1));
}

static void assert_why(const coso_calendar *cal, coso_day day, const char *want)
{
	const char *why = coso_calendar_why(cal, day);
	char buf[COSO_DATE_BUFSZ];

	if (want == NULL && why != NULL)
		fail_msg("%s: '%s', expected a working day", coso_date_format(buf, day), why);
	if (want != NULL && (why == NULL || strcmp(why, want) != 0))
		fail_msg("%s: '%s', expected '%s'", coso_date_format(buf, day), why ? why : "(working)", want);
}

/* ---- Weekly rest -------------------------------------------------------- */

/* Quyết định 188/1999/QĐ-TTg: Saturday is a rest day of State bodies from
 * Saturday 1999-10-02; the Saturday before it (1999-09-25) was worked. */
static void weekly_rest__saturday_from_1999_10_02(void **state)
{
	assert_true(coso_is_workday(rules, ymd(1999, 9, 25)));
	assert_false(coso_is_workday(rules, ymd(1999, 9, 26)));
	assert_why(rules, ymd(1999, 9, 26), "Chủ nhật");
	assert_false(coso_is_workday(rules, ymd(1999, 10, 2)));
	assert_why(rules, ymd(1999, 10, 2), "thứ Bảy");
	assert_int_equal(coso_calendar_dayoff(rules, ymd(1999, 10, 2)), COSO_DAYOFF_SATURDAY);
	assert_true(coso_is_workday(rules, ymd(1999, 10, 4)));
}

/* ---- Statutory holidays (rules only) ------------------------------------ */

/* 2019 (BLLĐ 2012 Điều 115): 1/1 Tuesday, 30/4 Tuesday, 1/5 Wednesday, 2/9
 * Monday are off; 3/9/2019 is worked (Quốc khánh had one day before 2021). */
static void holidays__fixed_days_of_2019(void **state)
{
	assert_why(rules, ymd(2019, 1, 1), "Tết Dương lịch");
	assert_why(rules, ymd(2019, 4, 30), "Ngày Chiến thắng (30/4)");
	assert_why(rules, ymd(2019, 5, 1), "Ngày Quốc tế Lao động (1/5)");
	assert_why(rules, ymd(2019, 9, 2), "Quốc khánh");
	assert_why(rules, ymd(2019, 9, 3), NULL);
	assert_int_equal(coso_calendar_dayoff(rules, ymd(2019, 4, 30)), COSO_DAYOFF_VICTORY);
}

/* Giỗ Tổ Hùng Vương is a holiday from 2007 (Luật 84/2007/QH11): 10/3 Bính
 * Tuất, 2006-04-07, a Friday, was worked; 10/3 Đinh Hợi, 2007-04-26, a
 * Thursday, was the first; 10/3 Ất Tỵ, 2025-04-07, a Monday. */
static void holidays__hung_kings_day_from_2007(void **state)
{
	assert_why(rules, ymd(2006, 4, 7), NULL);
	assert_why(rules, ymd(2007, 4, 26), "Giỗ Tổ Hùng Vương");
	assert_why(real, ymd(2025, 4, 7), "Giỗ Tổ Hùng Vương");
	/* 5 working days after Friday 2025-04-04: Monday 7 is off; Tue 8 (1),
	 * Wed 9 (2), Thu 10 (3), Fri 11 (4), Mon 14 (5). */
	assert_int_equal(add(real, ymd(2025, 4, 4), 5), ymd(2025, 4, 14));
}

/* Default Tết under BLLĐ 1994 Điều 73: the last day of the old year and the
 * first three of the new. Tết Ất Dậu 2005-02-09 (Wednesday): off Tue 8,
 * Wed 9, Thu 10, Fri 11; Mon 7 and Mon 14 are worked. */
static void tet_default__four_days_under_the_1994_code(void **state)
{
	assert_why(rules, ymd(2005, 2, 7), NULL);
	assert_break(rules, ymd(2005, 2, 8), ymd(2005, 2, 13));
	assert_why(rules, ymd(2005, 2, 8), "Tết Nguyên đán");
	assert_why(rules, ymd(2005, 2, 11), "Tết Nguyên đán");
	assert_why(rules, ymd(2005, 2, 12), "thứ Bảy");
}

/* Default Tết under BLLĐ 2012 / 2019: the last day of the old year and the
 * first four, with nghỉ bù. Tết Giáp Ngọ 2014-01-31 (Friday): Thu 30/1,
 * Fri 31/1, Sat 1/2, Sun 2/2, Mon 3/2; Sat and Sun are made up on Tue 4/2
 * and Wed 5/2; Thursday 6/2 is worked. */
static void tet_default__five_days_with_compensation_under_the_2012_code(void **state)
{
	assert_break(rules, ymd(2014, 1, 30), ymd(2014, 2, 5));
	assert_why(rules, ymd(2014, 2, 1), "Tết Nguyên đán");
	assert_why(rules, ymd(2014, 2, 3), "Tết Nguyên đán");
	assert_why(rules, ymd(2014, 2, 4), "nghỉ bù Tết Nguyên đán");
	assert_why(rules, ymd(2014, 2, 5), "nghỉ bù Tết Nguyên đán");
	assert_int_equal(coso_calendar_dayoff(rules, ymd(2014, 2, 5)), COSO_DAYOFF_COMPENSATORY);
}

/* Tết Kỷ Hợi 2019-02-05 (Tuesday) needs no declaration: the default days Mon
 * 4/2 (30 tháng Chạp) .. Fri 8/2 (mùng 4) are weekdays, and the break runs
 * from Saturday 2/2 to Sunday 10/2. */
static void tet_default__2019_is_the_nine_day_break(void **state)
{
	assert_break(real, ymd(2019, 2, 2), ymd(2019, 2, 10));
	assert_int_equal(coso_count_workdays(real, ymd(2019, 2, 4), ymd(2019, 2, 9)), 0);
}

/* ---- Compensatory days (nghỉ bù, BLLĐ 2019 Điều 111 khoản 3) ------------ */

/* 1995-01-01, the Labour Code's first day, was a Sunday: made up on Monday
 * 2 January (BLLĐ 1994 Điều 73, "nghỉ bù vào ngày tiếp theo"). */
static void compensation__first_day_of_the_1994_code(void **state)
{
	assert_why(rules, ymd(1995, 1, 1), "Tết Dương lịch");
	assert_why(rules, ymd(1995, 1, 2), "nghỉ bù Tết Dương lịch");
	assert_why(rules, ymd(1995, 1, 3), NULL);
}

/* Quốc khánh 2018 fell on Sunday 2/9: made up on Monday 3/9, as the
 * Ministry of Labour's notice 5427 announced (off 1/9 .. 3/9). */
static void compensation__national_day_2018(void **state)
{
	assert_why(real, ymd(2018, 9, 2), "Quốc khánh");
	assert_why(real, ymd(2018, 9, 3), "nghỉ bù Quốc khánh");
	assert_break(real, ymd(2018, 9, 1), ymd(2018, 9, 3));
}

/* 2022: Giỗ Tổ on Sunday 10/4 is made up on Monday 11/4. 30/4 is a Saturday
 * and 1/5 a Sunday: 30/4 is made up on the first free day after it, Monday
 * 2/5 (1/5 is itself a holiday); 1/5 on the next one, Tuesday 3/5. */
static void compensation__2022_holidays_on_a_weekend(void **state)
{
	assert_why(rules, ymd(2022, 4, 11), "nghỉ bù Giỗ Tổ Hùng Vương");
	assert_break(rules, ymd(2022, 4, 30), ymd(2022, 5, 3));
	assert_why(rules, ymd(2022, 5, 2), "nghỉ bù Ngày Chiến thắng (30/4)");
	assert_why(rules, ymd(2022, 5, 3), "nghỉ bù Ngày Quốc tế Lao động (1/5)");
}

/* 2023: Giỗ Tổ on Saturday 29/4, 30/4 on Sunday, 1/5 on Monday. Giỗ Tổ is
 * made up on Tuesday 2/5, 30/4 on Wednesday 3/5: off from 29/4 to 3/5,
 * Thursday 4/5 worked. */
static void compensation__2023_three_holidays_in_a_row(void **state)
{
	assert_break(rules, ymd(2023, 4, 29), ymd(2023, 5, 3));
	assert_why(rules, ymd(2023, 4, 29), "Giỗ Tổ Hùng Vương");
	assert_why(rules, ymd(2023, 5, 2), "nghỉ bù Giỗ Tổ Hùng Vương");
	assert_why(rules, ymd(2023, 5, 3), "nghỉ bù Ngày Chiến thắng (30/4)");
}

/* ---- Quốc khánh's second day (BLLĐ 2019 Điều 112, from 2021) ------------ */

/* The default neighbour gives each decision of 2021..2025:
 * 2021: Thu 2/9 + Fri 3/9 (off 2/9..5/9);
 * 2022: Thu 1/9 + Fri 2/9 (off 1/9..4/9);
 * 2023: Fri 1/9 + Sat 2/9, made up on Mon 4/9 (off 1/9..4/9);
 * 2024: Mon 2/9 + Tue 3/9 (off 31/8..3/9);
 * 2025: Mon 1/9 + Tue 2/9 (off 30/8..2/9).
 * 2026 (2/9 a Wednesday) defaults to Thursday 3/9. */
static void national_day__default_second_day_matches_2021_to_2025(void **state)
{
	assert_break(rules, ymd(2021, 9, 2), ymd(2021, 9, 5));
	assert_break(rules, ymd(2022, 9, 1), ymd(2022, 9, 4));
	assert_break(rules, ymd(2023, 9, 1), ymd(2023, 9, 4));
	assert_why(rules, ymd(2023, 9, 4), "nghỉ bù Quốc khánh");
	assert_break(rules, ymd(2024, 8, 31), ymd(2024, 9, 3));
	assert_break(rules, ymd(2025, 8, 30), ymd(2025, 9, 2));
	assert_why(rules, ymd(2026, 9, 2), "Quốc khánh");
	assert_why(rules, ymd(2026, 9, 3), "Quốc khánh");
	assert_why(rules, ymd(2026, 9, 1), NULL);
}

/* A declaration moves the second day: 2026-09-01 declared, 3/9 worked. */
static void national_day__declared_second_day_replaces_the_default(void **state)
{
	coso_calendar *cal = NULL;
	char path[64];

	assert_int_equal(load_text(&cal, "date,kind,note\n2026-09-01,quoc-khanh,\n", path), 0);
	assert_why(cal, ymd(2026, 9, 1), "Quốc khánh");
	assert_why(cal, ymd(2026, 9, 3), NULL);
	coso_calendar_free(cal);
}

/* ---- The real overrides file ------------------------------------------- */

/* Tết Mậu Tuất 2018: Tết days 14..18/2 (29 Chạp .. mùng 3), mùng 2 and 3 on
 * the weekend made up on 19 and 20: off Wednesday 14 .. Tuesday 20, back on
 * Wednesday 21. Without the declaration the default days (15..19, made up on
 * 20, 21) would put the break a day later. */
static void real_2018__tet_break_is_14_to_20_february(void **state)
{
	assert_break(real, ymd(2018, 2, 14), ymd(2018, 2, 20));
	assert_why(real, ymd(2018, 2, 17), "Tết Nguyên đán");
	assert_why(real, ymd(2018, 2, 19), "nghỉ bù Tết Nguyên đán");
	assert_break(rules, ymd(2018, 2, 15), ymd(2018, 2, 21));
	/* The working day after Tuesday 13/2: 21/2 with the declaration,
	 * 14/2 by the rules alone. */
	assert_int_equal(add(real, ymd(2018, 2, 13), 1), ymd(2018, 2, 21));
	assert_int_equal(add(rules, ymd(2018, 2, 13), 1), ymd(2018, 2, 14));
}

/*
 * 30 working days from a decision of Thursday 2018-02-01 (the day itself
 * not counted):
 *   Feb: Fri 2 (1); Mon 5 .. Fri 9 (2..6); Mon 12, Tue 13 (7, 8);
 *        Wed 14 .. Tue 20 off (Tết); Wed 21 .. Fri 23 (9..11);
 *        Mon 26 .. Wed 28 (12..14);
 *   Mar: Thu 1, Fri 2 (15, 16); Mon 5 .. Fri 9 (17..21);
 *        Mon 12 .. Fri 16 (22..26); Mon 19 (27), Tue 20 (28), Wed 21 (29),
 *        Thu 22 (30).
 * Deadline: Thursday 2018-03-22.
 */
static void deadline__30_working_days_across_tet_2018(void **state)
{
	assert_int_equal(add(real, ymd(2018, 2, 1), 30), ymd(2018, 3, 22));
	/* Working days in [1/2, 22/3): 1/2 itself plus the first 29 above. */
	assert_int_equal(coso_count_workdays(real, ymd(2018, 2, 1), ymd(2018, 3, 22)), 30);
}

/*
 * 10 working days from Friday 2025-04-25, across 30/4 - 1/5 with the 2025
 * swap (Saturday 26/4 worked for Friday 2/5, Công văn 8726/VPCP-KGVX):
 *   Sat 26/4 (1, làm bù); Sun 27 off; Mon 28 (2); Tue 29 (3);
 *   Wed 30/4, Thu 1/5 holidays; Fri 2/5 swapped off; Sat 3, Sun 4 off;
 *   Mon 5 .. Fri 9 (4..8); Sat 10, Sun 11 off; Mon 12 (9); Tue 13 (10).
 * Deadline: Tuesday 2025-05-13. The swap moves the 3rd working day (Tue
 * 29/4 with it; Fri 2/5 by the rules alone: Mon 28 (1), Tue 29 (2), Fri 2/5
 * (3)) but not the 10th.
 */
static void deadline__10_working_days_across_30_april_2025(void **state)
{
	assert_int_equal(add(real, ymd(2025, 4, 25), 10), ymd(2025, 5, 13));
	assert_int_equal(add(rules, ymd(2025, 4, 25), 10), ymd(2025, 5, 13));
	assert_int_equal(add(real, ymd(2025, 4, 25), 3), ymd(2025, 4, 29));
	assert_int_equal(add(rules, ymd(2025, 4, 25), 3), ymd(2025, 5, 2));
	/* [25/4, 13/5): Fri 25, Sat 26, Mon 28, Tue 29, Mon 5 .. Fri 9, Mon 12. */
	assert_int_equal(coso_count_workdays(real, ymd(2025, 4, 25), ymd(2025, 5, 13)), 10);
	assert_why(real, ymd(2025, 5, 2), "ngày nghỉ hoán đổi");
	assert_why(real, ymd(2025, 4, 26), NULL);
	assert_non_null(strstr(coso_calendar_note(real, ymd(2025, 4, 26)), "làm bù"));
	assert_null(coso_calendar_note(real, ymd(2025, 4, 28)));
}

/* The 2025 calendar as declared (Công văn 8726/VPCP-KGVX): Tết 25/1..2/2,
 * 30/4..4/5, Quốc khánh 30/8..2/9; Giỗ Tổ Monday 7/4 (5/4..7/4). */
static void real_2025__breaks_as_declared(void **state)
{
	assert_break(real, ymd(2025, 1, 25), ymd(2025, 2, 2));
	assert_break(real, ymd(2025, 4, 5), ymd(2025, 4, 7));
	assert_break(real, ymd(2025, 4, 30), ymd(2025, 5, 4));
	assert_break(real, ymd(2025, 8, 30), ymd(2025, 9, 2));
}

/*
 * Working days of 2025: 365 days, of which 104 Saturdays and Sundays (52
 * weeks and Wednesday 31/12). Weekdays off: 1/1; Tết 27..31/1 (5); Giỗ Tổ
 * 7/4; 30/4 and 1/5; 2/5 (swap); 1/9 and 2/9: 12. Saturday 26/4 is worked.
 * 365 - 104 - 12 + 1 = 250.
 */
static void real_2025__has_250_working_days(void **state)
{
	assert_int_equal(coso_count_workdays(real, ymd(2025, 1, 1), ymd(2026, 1, 1)), 250);
}

/* The other declared years: Tết 2020 23..29/1, Tết 2023 20..26/1, Tết 2024
 * 8..14/2, 30/4 2019 and 2024 27/4..1/5 with Saturday 4/5 worked, Quốc khánh
 * 2024 31/8..3/9, Tết 2026 14..22/2, Tết Dương lịch 2013 (29/12/2012..1/1,
 * Saturday 5/1 worked) and 2015 (1/1..4/1, Saturday 27/12/2014 worked). */
static void real__other_declared_breaks(void **state)
{
	assert_break(real, ymd(2020, 1, 23), ymd(2020, 1, 29));
	assert_break(real, ymd(2023, 1, 20), ymd(2023, 1, 26));
	assert_break(real, ymd(2024, 2, 8), ymd(2024, 2, 14));
	assert_why(real, ymd(2024, 2, 13), "nghỉ bù Tết Nguyên đán");
	assert_break(real, ymd(2019, 4, 27), ymd(2019, 5, 1));
	assert_true(coso_is_workday(real, ymd(2019, 5, 4)));
	assert_break(real, ymd(2024, 4, 27), ymd(2024, 5, 1));
	assert_true(coso_is_workday(real, ymd(2024, 5, 4)));
	assert_break(real, ymd(2024, 8, 31), ymd(2024, 9, 3));
	assert_break(real, ymd(2026, 2, 14), ymd(2026, 2, 22));
	assert_break(real, ymd(2012, 12, 29), ymd(2013, 1, 1));
	assert_true(coso_is_workday(real, ymd(2013, 1, 5)));
	assert_break(real, ymd(2015, 1, 1), ymd(2015, 1, 4));
	assert_true(coso_is_workday(real, ymd(2014, 12, 27)));
}

/* ---- Deadlines ---------------------------------------------------------- */

/* n = 0: the day itself when it is a working day, else the next one. 30/4/2025
 * (holiday) -> 1/5 holiday, 2/5 swapped, 3..4/5 weekend -> Monday 5/5. */
static void add_workdays__zero_is_the_day_or_the_next_working_day(void **state)
{
	assert_int_equal(add(real, ymd(2025, 4, 29), 0), ymd(2025, 4, 29));
	assert_int_equal(add(real, ymd(2025, 4, 30), 0), ymd(2025, 5, 5));
	assert_int_equal(add(real, ymd(2025, 4, 26), 0), ymd(2025, 4, 26)); /* làm bù */
}

/* A negative n counts back: the working day before Monday 5/5/2025 is
 * Tuesday 29/4 (30/4 .. 4/5 off). Before Friday 2018-02-23: Thursday 22 (1),
 * Wednesday 21 (2), then, across Tết 14..20, Tuesday 13 (3). */
static void add_workdays__counts_back_with_a_negative_n(void **state)
{
	assert_int_equal(add(real, ymd(2025, 5, 5), -1), ymd(2025, 4, 29));
	assert_int_equal(add(real, ymd(2018, 2, 23), -2), ymd(2018, 2, 21));
	assert_int_equal(add(real, ymd(2018, 2, 23), -3), ymd(2018, 2, 13));
}

/* A decision on a day off counts from the next day: 1 working day after
 * Sunday 2025-04-27 is Monday 28; after Saturday 2025-04-26 (worked) too. */
static void add_workdays__from_a_day_off(void **state)
{
	assert_int_equal(add(real, ymd(2025, 4, 27), 1), ymd(2025, 4, 28));
	assert_int_equal(add(real, ymd(2025, 4, 26), 1), ymd(2025, 4, 28));
}

/*
 * A period of days ending on a day off ends on the next working day (Bộ
 * luật Dân sự 2015 Điều 148 khoản 5):
 * - 10 days from Sunday 2025-04-20 end on Wednesday 30/4 (holiday); 1/5
 *   holiday, 2/5 swapped, 3..4/5 weekend: Monday 2025-05-05;
 * - 15 days from Tuesday 2018-01-30 end on Wednesday 14/2 (Tết): Tết runs to
 *   Tuesday 20: Wednesday 2018-02-21;
 * - 7 days from Monday 2025-03-03 end on Monday 10/3, a working day.
 */
static void deadline_in_days__moves_off_a_holiday(void **state)
{
	coso_day out = 0;

	assert_int_equal(coso_deadline_in_days(&out, real, ymd(2025, 4, 20), 10), 0);
	assert_int_equal(out, ymd(2025, 5, 5));
	assert_int_equal(coso_deadline_in_days(&out, real, ymd(2018, 1, 30), 15), 0);
	assert_int_equal(out, ymd(2018, 2, 21));
	assert_int_equal(coso_deadline_in_days(&out, real, ymd(2025, 3, 3), 7), 0);
	assert_int_equal(out, ymd(2025, 3, 10));
}

/* 30 calendar days from 2025-01-31 is 2025-03-02 (28 days of February). */
static void add_calendar_days__counts_every_day(void **state)
{
	coso_day out = 0;

	assert_int_equal(coso_add_calendar_days(&out, ymd(2025, 1, 31), 30), 0);
	assert_int_equal(out, ymd(2025, 3, 2));
	assert_int_equal(coso_add_calendar_days(&out, ymd(2025, 3, 2), -30), 0);
	assert_int_equal(out, ymd(2025, 1, 31));
}

/* ---- Limits ------------------------------------------------------------- */

static void limits__n_beyond_3650_is_refused(void **state)
{
	coso_day out = 42;

	coso_error_clear();
	assert_int_equal(coso_add_workdays(&out, real, ymd(2025, 1, 2), 3651), COSO_EINVALID);
	assert_non_null(strstr(coso_error_last(), "3650"));
	assert_int_equal(coso_add_workdays(&out, real, ymd(2025, 1, 2), -3651), COSO_EINVALID);
	assert_int_equal(coso_add_calendar_days(&out, ymd(2025, 1, 2), 3651), COSO_EINVALID);
	assert_int_equal(coso_deadline_in_days(&out, real, ymd(2025, 1, 2), 3651), COSO_EINVALID);
	assert_int_equal(coso_deadline_in_days(&out, real, ymd(2025, 1, 2), -1), COSO_EINVALID);
	assert_int_equal(out, 42);
	/* 3650 itself is fine: ten years of working days, about 2500 a decade. */
	assert_int_equal(coso_add_workdays(&out, real, ymd(2025, 1, 2), 3650), 0);
}

static void limits__days_outside_1995_to_2100_are_refused(void **state)
{
	coso_day out = 42;

	assert_int_equal(COSO_CALENDAR_FIRST_DAY, ymd(1995, 1, 1));
	assert_int_equal(COSO_CALENDAR_LAST_DAY, ymd(2100, 12, 31));
	assert_false(coso_is_workday(real, ymd(1994, 12, 30)));
	assert_int_equal(coso_calendar_dayoff(real, ymd(2101, 1, 3)), COSO_DAYOFF_OUT_OF_RANGE);
	assert_why(real, ymd(1994, 12, 30), "ngoài phạm vi lịch (1995–2100)");
	assert_null(coso_calendar_note(real, ymd(1994, 12, 30)));
	coso_error_clear();
	assert_int_equal(coso_add_workdays(&out, real, ymd(1994, 12, 30), 1), COSO_EINVALID);
	assert_non_null(strstr(coso_error_last(), "1994-12-30"));
	/* 2100-12-30 is a Thursday: Friday 31 is the 1st working day after it,
	 * the 2nd would be in 2101. */
	assert_int_equal(coso_add_workdays(&out, real, ymd(2100, 12, 30), 1), 0);
	assert_int_equal(out, ymd(2100, 12, 31));
	assert_int_equal(coso_add_workdays(&out, real, ymd(2100, 12, 30), 2), COSO_EINVALID);
	assert_int_equal(coso_add_workdays(&out, real, ymd(1995, 1, 3), -2), COSO_EINVALID);
	assert_int_equal(out, ymd(2100, 12, 31));
	assert_int_equal(coso_deadline_in_days(&out, real, ymd(2100, 12, 20), 20), COSO_EINVALID);
	assert_int_equal(coso_add_calendar_days(&out, COSO_DAY_MAX, 1), COSO_EINVALID);
}

static void count_workdays__checks_its_range(void **state)
{
	assert_int_equal(coso_count_workdays(real, ymd(2025, 5, 2), ymd(2025, 5, 1)), COSO_EINVALID);
	assert_int_equal(coso_count_workdays(real, ymd(2025, 5, 1), ymd(2025, 5, 1)), 0);
	assert_int_equal(coso_count_workdays(real, ymd(1994, 12, 31), ymd(1995, 1, 5)), COSO_EINVALID);
	assert_int_equal(coso_count_workdays(real, ymd(2100, 12, 31), ymd(2101, 1, 2)), COSO_EINVALID);
	/* Friday 2100-12-31 alone, `to` one past the end. */
	assert_int_equal(coso_count_workdays(real, ymd(2100, 12, 31), ymd(2101, 1, 1)), 1);
	/* Every year has between 240 and 310 working days (Saturdays were
	 * worked until 1999). */
	for (int y = COSO_CALENDAR_FIRST_YEAR; y <= COSO_CALENDAR_LAST_YEAR; y++) {
		int n = coso_count_workdays(real, ymd(y, 1, 1), ymd(y + 1, 1, 1));

		if (n < 240 || n > 310)
			fail_msg("%d has %d working days", y, n);
	}
}

/* ---- Loading overrides -------------------------------------------------- */

static void overrides__two_files_add_up_and_a_day_twice_is_refused(void **state)
{
	coso_calendar *cal = NULL;
	char p1[64], p2[64];

	assert_int_equal(load_text(&cal, "date,kind,note\n2026-01-02,holiday,first\n", p1), 0);
	assert_false(coso_is_workday(cal, ymd(2026, 1, 2)));
	write_temp(p2, "date,kind,note\n2026-01-10,workday,second\n2026-01-02,holiday,again\n");
	assert_int_equal(coso_calendar_load_overrides(cal, p2), COSO_EINVALID);
	assert_non_null(strstr(coso_error_last(), "is already listed at"));
	assert_non_null(strstr(coso_error_last(), p1));
	/* Nothing of the failed file was applied. */
	assert_false(coso_is_workday(cal, ymd(2026, 1, 10)));
	write_temp(p2, "date,kind,note\n2026-01-10,workday,second\n");
	assert_int_equal(coso_calendar_load_overrides(cal, p2), 0);
	assert_true(coso_is_workday(cal, ymd(2026, 1, 10)));
	assert_false(coso_is_workday(cal, ymd(2026, 1, 2)));
	assert_string_equal(coso_calendar_note(cal, ymd(2026, 1, 2)), "first");
	assert_string_equal(coso_calendar_note(cal, ymd(2026, 1, 10)), "second");
	unlink(p2);
	coso_calendar_free(cal);
}

static void overrides__report_file_line_and_column(void **state)
{
	assert_load_fails("day,kind,note\n", COSO_EINVALID, 1, "header must be date,kind,note");
	assert_load_fails("date,kind,note\n2025-02-30,holiday,x\n", COSO_EINVALID, 2, "date: '2025-02-30'");
	assert_load_fails("date,kind,note\n\n2025-05-02,holliday,x\n", COSO_EINVALID, 3,
			  "kind: 'holliday' is not one of");
	assert_load_fails("date,kind,note\n2025-05-02,holiday,x,y\n", COSO_EINVALID, 2, "expected 3 fields");
	assert_load_fails("date,kind,note\n1994-12-30,holiday,x\n", COSO_EINVALID, 2, "date: 1994-12-30 is outside");
	assert_load_fails("date,kind,note\n2025-05-02,holiday,\"unterminated\n", COSO_EINVALID, 2, "");
	assert_load_fails("date,kind,note\n2025-05-04,holiday,Sunday\n", COSO_EINVALID, 2,
			  "date: the day is already a day off (Chủ nhật)");
	assert_load_fails("date,kind,note\n2025-04-30,holiday,\n", COSO_EINVALID, 2,
			  "already a day off (Ngày Chiến thắng (30/4))");
	assert_load_fails("date,kind,note\n2025-05-05,workday,Monday\n", COSO_EINVALID, 2,
			  "date: the day is already a working day");
	assert_load_fails("date,kind,note\n2025-03-01,tet,\n", COSO_EINVALID, 2, "is not within 10 days of Tết");
	assert_load_fails("date,kind,note\n2025-01-27,tet,\n2025-01-28,tet,\n2025-01-29,tet,\n2025-01-30,tet,\n",
			  COSO_EINVALID, 2, "kind: Tết 2025 is declared with 4 day(s); the Labour Code gives it 5");
	assert_load_fails("date,kind,note\n2020-09-03,quoc-khanh,\n", COSO_EINVALID, 2, "only from 2021");
	assert_load_fails("date,kind,note\n2024-09-04,quoc-khanh,\n", COSO_EINVALID, 2, "1 or 3 September");
	assert_load_fails("date,kind,note\n2024-09-01,quoc-khanh,\n2024-09-03,quoc-khanh,\n", COSO_EINVALID, 3,
			  "already has its second day");
	assert_load_fails("date,kind,note\n2025-05-02,holiday,\n2025-05-02,holiday,\n", COSO_EINVALID, 3,
			  "2025-05-02 is already listed at");
}

static void overrides__missing_and_empty_files(void **state)
{
	coso_calendar *cal = NULL;
	char path[64];

	assert_int_equal(coso_calendar_new(&cal), 0);
	coso_error_clear();
	assert_int_equal(coso_calendar_load_overrides(cal, "/nonexistent/vn-overrides.csv"), COSO_EIO);
	assert_non_null(strstr(coso_error_last(), "/nonexistent/vn-overrides.csv: cannot open"));
	coso_calendar_free(cal);
	assert_int_equal(load_text(&cal, "", path), COSO_EINVALID);
	assert_non_null(strstr(coso_error_last(), "empty file"));
	coso_calendar_free(cal);
	/* A header alone is a valid file that changes nothing. */
	assert_int_equal(load_text(&cal, "date,kind,note\n", path), 0);
	assert_false(coso_is_workday(cal, ymd(2025, 4, 30)));
	coso_calendar_free(cal);
}

/* More than COSO_CALENDAR_MAX_OVERRIDES rows are refused at the first one
 * too many, before anything else is checked. */
static void overrides__more_than_the_limit_are_refused(void **state)
{
	size_t size = (size_t)(COSO_CALENDAR_MAX_OVERRIDES + 2) * 32;
	char *text = malloc(size), buf[COSO_DATE_BUFSZ];
	size_t o;

	assert_non_null(text);
	o = (size_t)snprintf(text, size, "date,kind,note\n");
	for (int i = 0; i <= COSO_CALENDAR_MAX_OVERRIDES; i++)
		o += (size_t)snprintf(text + o, size - o, "%s,workday,\n",
				      coso_date_format(buf, COSO_CALENDAR_FIRST_DAY + i));
	assert_load_fails(text, COSO_EINVALID, COSO_CALENDAR_MAX_OVERRIDES + 2, "more than 10000 override rows");
	free(text);
}

/* The calendar is the same built twice (no state kept between builds), and
 * a failed load leaves it as it was. */
static void overrides__failed_load_changes_nothing(void **state)
{
	coso_calendar *cal = NULL;
	char path[64];

	assert_int_equal(load_text(&cal, "date,kind,note\n2025-05-02,holiday,ok\n2025-05-05,workday,bad\n", path),
			 COSO_EINVALID);
	assert_true(coso_is_workday(cal, ymd(2025, 5, 2)));
	assert_null(coso_calendar_note(cal, ymd(2025, 5, 2)));
	for (coso_day d = COSO_CALENDAR_FIRST_DAY; d <= COSO_CALENDAR_LAST_DAY; d++) {
		if (coso_calendar_dayoff(cal, d) != coso_calendar_dayoff(rules, d))
			fail_msg("day %ld differs", (long)d);
	}
	coso_calendar_free(cal);
}

/* The default calendar (the shipped overrides compiled in) is the calendar of
 * data/calendar/vn-overrides.csv on every day; an extra file adds to it; a
 * bad extra file is refused with its line and leaves the default as it was. */
static void default_calendar__is_the_shipped_file_plus_the_configured_one(void **state)
{
	const coso_calendar *def;
	char p[64];

	(void)state;
	coso_calendar_shutdown();
	def = coso_calendar_default();
	assert_non_null(def);
	for (coso_day d = COSO_CALENDAR_FIRST_DAY; d <= COSO_CALENDAR_LAST_DAY; d++)
		if (coso_calendar_dayoff(def, d) != coso_calendar_dayoff(real, d))
			fail_msg("day %d differs from vn-overrides.csv", (int)d);
	/* 2026-01-10 is a Saturday: a declared make-up day makes it a working day */
	write_temp(p, "date,kind,note\n2026-01-10,workday,make-up\n");
	assert_int_equal(coso_calendar_configure(p), 0);
	assert_true(coso_is_workday(coso_calendar_default(), ymd(2026, 1, 10)));
	/* still the shipped rows: Saturday 2013-01-05 was worked for 31/12/2012 */
	assert_true(coso_is_workday(coso_calendar_default(), ymd(2013, 1, 5)));
	assert_false(coso_is_workday(coso_calendar_default(), ymd(2012, 12, 31)));
	unlink(p);
	write_temp(p, "date,kind,note\n2026-01-12,holliday,x\n");
	assert_int_equal(coso_calendar_configure(p), COSO_EINVALID);
	assert_non_null(strstr(coso_error_last(), ":2: kind:"));
	assert_true(coso_is_workday(coso_calendar_default(), ymd(2026, 1, 10)));
	unlink(p);
	coso_calendar_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weekly_rest__saturday_from_1999_10_02),
		cmocka_unit_test(holidays__fixed_days_of_2019),
		cmocka_unit_test(holidays__hung_kings_day_from_2007),
		cmocka_unit_test(tet_default__four_days_under_the_1994_code),
		cmocka_unit_test(tet_default__five_days_with_compensation_under_the_2012_code),
		cmocka_unit_test(tet_default__2019_is_the_nine_day_break),
		cmocka_unit_test(compensation__first_day_of_the_1994_code),
		cmocka_unit_test(compensation__national_day_2018),
		cmocka_unit_test(compensation__2022_holidays_on_a_weekend),
		cmocka_unit_test(compensation__2023_three_holidays_in_a_row),
		cmocka_unit_test(national_day__default_second_day_matches_2021_to_2025),
		cmocka_unit_test(national_day__declared_second_day_replaces_the_default),
		cmocka_unit_test(real_2018__tet_break_is_14_to_20_february),
		cmocka_unit_test(deadline__30_working_days_across_tet_2018),
		cmocka_unit_test(deadline__10_working_days_across_30_april_2025),
		cmocka_unit_test(real_2025__breaks_as_declared),
		cmocka_unit_test(real_2025__has_250_working_days),
		cmocka_unit_test(real__other_declared_breaks),
		cmocka_unit_test(add_workdays__zero_is_the_day_or_the_next_working_day),
		cmocka_unit_test(add_workdays__counts_back_with_a_negative_n),
		cmocka_unit_test(add_workdays__from_a_day_off),
		cmocka_unit_test(deadline_in_days__moves_off_a_holiday),
		cmocka_unit_test(add_calendar_days__counts_every_day),
		cmocka_unit_test(limits__n_beyond_3650_is_refused),
		cmocka_unit_test(limits__days_outside_1995_to_2100_are_refused),
		cmocka_unit_test(count_workdays__checks_its_range),
		cmocka_unit_test(overrides__two_files_add_up_and_a_day_twice_is_refused),
		cmocka_unit_test(overrides__report_file_line_and_column),
		cmocka_unit_test(overrides__missing_and_empty_files),
		cmocka_unit_test(overrides__more_than_the_limit_are_refused),
		cmocka_unit_test(overrides__failed_load_changes_nothing),
		cmocka_unit_test(default_calendar__is_the_shipped_file_plus_the_configured_one),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
