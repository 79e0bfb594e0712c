/*
 * test_lunar.c: unit tests of util/lunar (the Vietnamese lunisolar calendar,
 * UTC+7, 1968..2100): known Tết, Giỗ Tổ and leap months, the days where
 * Vietnam and China differ, the range, invalid dates, and a round trip of
 * every day of the range.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "util/date.h"
#include "util/error.h"
#include "util/lunar.h"

static coso_day ymd(int y, int m, int d)
{
	return coso_date_from_ymd(y, m, d);
}

/* The solar day of lunar (year, month, day), failing the test if there is none. */
static coso_day solar(int year, int month, int day, bool leap)
{
	coso_lunar_date l = { year, month, day, leap };
	coso_day out = COSO_DAY_MIN;

	if (coso_lunar_to_solar(&out, &l) != 0)
		fail_msg("%d/%d%s/%d: %s", day, month, leap ? "L" : "", year, coso_error_last());
	return out;
}

static void assert_lunar(coso_day d, int year, int month, int day, bool leap)
{
	coso_lunar_date l;
	char buf[COSO_DATE_BUFSZ];

	if (coso_lunar_from_solar(&l, d) != 0)
		fail_msg("%s: %s", coso_date_format(buf, d), coso_error_last());
	if (l.year != year || l.month != month || l.day != day || l.leap != leap)
		fail_msg("%s is %d/%d%s/%d, expected %d/%d%s/%d", coso_date_format(buf, d), l.day, l.month,
			 l.leap ? "L" : "", l.year, day, month, leap ? "L" : "", year);
}

static void range__is_1968_to_2100(void **state)
{
	assert_int_equal(COSO_LUNAR_FIRST_DAY, ymd(1968, 1, 1));
	assert_int_equal(COSO_LUNAR_LAST_DAY, ymd(2100, 12, 31));
}

/* Tết (1/1 âm lịch) of 2016..2026 as every Vietnamese calendar prints it. */
static void tet__falls_on_the_known_days(void **state)
{
	static const struct {
		int year, m, d;
	} tet[] = {
		{ 2016, 2, 8 },  { 2017, 1, 28 }, { 2018, 2, 16 }, { 2019, 2, 5 },
		{ 2020, 1, 25 }, { 2021, 2, 12 }, { 2022, 2, 1 },  { 2023, 1, 22 },
		{ 2024, 2, 10 }, { 2025, 1, 29 }, { 2026, 2, 17 },
	};

	for (size_t i = 0; i < sizeof(tet) / sizeof(tet[0]); i++) {
		assert_int_equal(solar(tet[i].year, 1, 1, false), ymd(tet[i].year, tet[i].m, tet[i].d));
		assert_lunar(ymd(tet[i].year, tet[i].m, tet[i].d), tet[i].year, 1, 1, false);
	}
}

/* 1985: with the new moon reckoned in UTC+7 the December 1984 solstice fell
 * in a different month than in UTC+8, and Vietnam's Tết Ất Sửu came on
 * 1985-01-21, a month before China's (1985-02-20, which in Vietnam was the
 * first day of the second month). */
static void tet_1985__is_a_month_before_china(void **state)
{
	assert_int_equal(solar(1985, 1, 1, false), ymd(1985, 1, 21));
	assert_lunar(ymd(1985, 2, 20), 1985, 2, 1, false);
}

/* 2007: the new moon of 2007-02-17 came at 23:14 in Hà Nội, 00:14 on the 18th
 * in Beijing: Tết Đinh Hợi was 2007-02-17 in Vietnam, 2007-02-18 in China. */
static void tet_2007__is_a_day_before_china(void **state)
{
	assert_int_equal(solar(2007, 1, 1, false), ymd(2007, 2, 17));
	assert_lunar(ymd(2007, 2, 18), 2007, 1, 2, false);
}

/* 1968, the first year of UTC+7 (Quyết định 121-CP): Tết Mậu Thân was
 * 1968-01-29 in the North, a day before the South, still on UTC+8. The days
 * of January 1968 before it are the same in both reckonings. */
static void tet_1968__is_the_norths(void **state)
{
	assert_int_equal(solar(1968, 1, 1, false), ymd(1968, 1, 29));
	assert_lunar(ymd(1968, 1, 28), 1967, 12, 29, false);
	assert_lunar(ymd(1968, 1, 1), 1967, 12, 2, false);
}

/* Giỗ Tổ Hùng Vương, 10/3 âm lịch: the days of the official holiday. */
static void hung_kings_day__falls_on_the_known_days(void **state)
{
	assert_int_equal(solar(2007, 3, 10, false), ymd(2007, 4, 26));
	assert_int_equal(solar(2018, 3, 10, false), ymd(2018, 4, 25));
	assert_int_equal(solar(2019, 3, 10, false), ymd(2019, 4, 14));
	assert_int_equal(solar(2024, 3, 10, false), ymd(2024, 4, 18));
	assert_int_equal(solar(2025, 3, 10, false), ymd(2025, 4, 7));
}

static int leap_month(int year)
{
	int m = -1;

	if (coso_lunar_leap_month(&m, year) != 0)
		fail_msg("%d: %s", year, coso_error_last());
	return m;
}

/* Leap months: 2014 (9), 2017 (6), 2020 (4), 2023 (2), 2025 (6); none in
 * 2016, 2018, 2019, 2021, 2022, 2024, 2026. 1985 doubled its 2nd month
 * (China's 1984 doubled the 10th; Vietnam's 1984 had none). */
static void leap_months__are_the_known_ones(void **state)
{
	static const int none[] = { 2016, 2018, 2019, 2021, 2022, 2024, 2026 };

	assert_int_equal(leap_month(2014), 9);
	assert_int_equal(leap_month(2017), 6);
	assert_int_equal(leap_month(2020), 4);
	assert_int_equal(leap_month(2023), 2);
	assert_int_equal(leap_month(2025), 6);
	assert_int_equal(leap_month(1984), 0);
	assert_int_equal(leap_month(1985), 2);
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		assert_int_equal(leap_month(none[i]), 0);
}

/* Leap 4th month of Canh Tý: 2020-05-23 .. 2020-06-20 (29 days), after the
 * ordinary 4th month and before the 5th. */
static void leap_month_2020__follows_the_ordinary_fourth_month(void **state)
{
	int len = 0;

	assert_lunar(ymd(2020, 5, 22), 2020, 4, 30, false);
	assert_lunar(ymd(2020, 5, 23), 2020, 4, 1, true);
	assert_lunar(ymd(2020, 6, 20), 2020, 4, 29, true);
	assert_lunar(ymd(2020, 6, 21), 2020, 5, 1, false);
	assert_int_equal(solar(2020, 4, 1, true), ymd(2020, 5, 23));
	assert_int_equal(coso_lunar_month_length(&len, 2020, 4, true), 0);
	assert_int_equal(len, 29);
}

/* Leap 2nd month of Quý Mão: 2023-03-22 .. 2023-04-19. */
static void leap_month_2023__follows_the_ordinary_second_month(void **state)
{
	assert_lunar(ymd(2023, 3, 21), 2023, 2, 30, false);
	assert_lunar(ymd(2023, 3, 22), 2023, 2, 1, true);
	assert_lunar(ymd(2023, 4, 19), 2023, 2, 29, true);
	assert_lunar(ymd(2023, 4, 20), 2023, 3, 1, false);
}

/* The 12th month of Giáp Thìn had 29 days: 2025-01-27 was 28 tháng Chạp and
 * 2025-01-28 the last day (Công văn 8726/VPCP-KGVX on Tết 2025). */
static void month_12_of_2024__has_29_days(void **state)
{
	int len = 0;
	coso_lunar_date l = { 2024, 12, 30, false };
	coso_day out = 42;

	assert_lunar(ymd(2025, 1, 27), 2024, 12, 28, false);
	assert_lunar(ymd(2025, 1, 28), 2024, 12, 29, false);
	assert_int_equal(coso_lunar_month_length(&len, 2024, 12, false), 0);
	assert_int_equal(len, 29);
	coso_error_clear();
	assert_int_equal(coso_lunar_to_solar(&out, &l), COSO_EINVALID);
	assert_int_equal(out, 42);
	assert_non_null(strstr(coso_error_last(), "29 days"));
}

/* Where a new moon comes far after its mean time, the published JavaScript
 * of the algorithm reports "day 0" of the next month; the month table here
 * gives the 30th of the month that is still running. */
static void late_new_moons__end_a_30_day_month(void **state)
{
	assert_lunar(ymd(2054, 5, 7), 2054, 3, 30, false);
	assert_lunar(ymd(2054, 5, 8), 2054, 4, 1, false);
	assert_lunar(ymd(2062, 4, 9), 2062, 2, 30, false);
	assert_lunar(ymd(2062, 4, 10), 2062, 3, 1, false);
}

static void to_solar__rejects_a_leap_flag_on_an_ordinary_month(void **state)
{
	coso_lunar_date l = { 2019, 4, 1, true };
	coso_day out = 42;

	coso_error_clear();
	assert_int_equal(coso_lunar_to_solar(&out, &l), COSO_EINVALID);
	assert_int_equal(out, 42);
	assert_non_null(strstr(coso_error_last(), "no leap month 4"));
	l.year = 2020; /* 2020 doubles the 4th, not the 5th */
	l.month = 5;
	assert_int_equal(coso_lunar_to_solar(&out, &l), COSO_EINVALID);
	assert_int_equal(out, 42);
}

static void to_solar__rejects_months_and_days_that_do_not_exist(void **state)
{
	static const coso_lunar_date bad[] = {
		{ 2020, 0, 1, false }, { 2020, 13, 1, false }, { 2020, 1, 0, false },
		{ 2020, 1, 31, false }, { 2020, 1, -1, false },
	};
	coso_day out = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(coso_lunar_to_solar(&out, &bad[i]), COSO_EINVALID);
	assert_int_equal(out, 42);
}

static void conversions__refuse_days_outside_1968_to_2100(void **state)
{
	coso_lunar_date l = { 0, 0, 0, false };
	coso_lunar_date late = { 2100, 12, 2, false }; /* 2101-01-01 */
	coso_lunar_date early = { 1967, 11, 1, false };
	coso_day out = 42;
	int m = 42;

	coso_error_clear();
	assert_int_equal(coso_lunar_from_solar(&l, ymd(1967, 12, 31)), COSO_EINVALID);
	assert_non_null(strstr(coso_error_last(), "1968-01-01..2100-12-31"));
	assert_int_equal(coso_lunar_from_solar(&l, ymd(2101, 1, 1)), COSO_EINVALID);
	assert_int_equal(coso_lunar_from_solar(&l, COSO_DAY_MAX), COSO_EINVALID);
	assert_int_equal(l.year, 0);
	assert_lunar(ymd(2100, 12, 31), 2100, 12, 1, false);
	assert_int_equal(coso_lunar_to_solar(&out, &late), COSO_EINVALID);
	assert_int_equal(coso_lunar_to_solar(&out, &early), COSO_EINVALID);
	early.year = 1900;
	assert_int_equal(coso_lunar_to_solar(&out, &early), COSO_EINVALID);
	assert_int_equal(out, 42);
	assert_int_equal(coso_lunar_leap_month(&m, 1967), COSO_EINVALID);
	assert_int_equal(coso_lunar_leap_month(&m, 2101), COSO_EINVALID);
	assert_int_equal(m, 42);
}

/*
 * Every day from 1968-01-01 to 2100-12-31: solar -> lunar -> solar gives the
 * day back, and the lunar dates run as a calendar must: the next day is the
 * next day of the month, or day 1 of the next month after a 29th or 30th;
 * month 1 (not leap) starts a new year; a leap month repeats the number of
 * the month before it; a year has at most one leap month.
 */
static void every_day_1968_to_2100__round_trips(void **state)
{
	coso_lunar_date prev = { 0, 0, 0, false };
	int leaps_this_year = 0;

	for (coso_day d = COSO_LUNAR_FIRST_DAY; d <= COSO_LUNAR_LAST_DAY; d++) {
		coso_lunar_date l;
		coso_day back = COSO_DAY_MIN;
		char buf[COSO_DATE_BUFSZ];

		if (coso_lunar_from_solar(&l, d) != 0)
			fail_msg("%s: %s", coso_date_format(buf, d), coso_error_last());
		if (coso_lunar_to_solar(&back, &l) != 0 || back != d)
			fail_msg("%s -> %d/%d%s/%d -> %ld (%s)", coso_date_format(buf, d), l.day, l.month,
				 l.leap ? "L" : "", l.year, (long)back, coso_error_last());
		if (d > COSO_LUNAR_FIRST_DAY) {
			bool same_month = l.day == prev.day + 1 && l.month == prev.month && l.leap == prev.leap &&
					  l.year == prev.year;
			bool new_month = l.day == 1 && (prev.day == 29 || prev.day == 30);

			if (!same_month && !new_month)
				fail_msg("%s: %d/%d/%d after %d/%d/%d", coso_date_format(buf, d), l.day, l.month,
					 l.year, prev.day, prev.month, prev.year);
			if (new_month) {
				if (l.leap) {
					if (l.month != prev.month || prev.leap)
						fail_msg("%s: leap month %d after month %d", coso_date_format(buf, d),
							 l.month, prev.month);
					if (++leaps_this_year > 1)
						fail_msg("%s: a second leap month in %d", coso_date_format(buf, d),
							 l.year);
				} else if (l.month != prev.month % 12 + 1) {
					fail_msg("%s: month %d after month %d", coso_date_format(buf, d), l.month,
						 prev.month);
				}
				if (l.month == 1 && !l.leap) {
					if (l.year != prev.year + 1)
						fail_msg("%s: year %d after %d", coso_date_format(buf, d), l.year,
							 prev.year);
					leaps_this_year = 0;
				} else if (l.year != prev.year) {
					fail_msg("%s: year changes outside Tết", coso_date_format(buf, d));
				}
			}
		}
		prev = l;
	}
}

/* Every lunar year 1968..2100 has 12 or 13 months and 353..355 or 383..385
 * days, and 13 months exactly when it has a leap month. */
static void every_year_1968_to_2099__has_a_plausible_length(void **state)
{
	for (int y = 1968; y < 2100; y++) {
		coso_day tet = solar(y, 1, 1, false), next = solar(y + 1, 1, 1, false);
		int leap = leap_month(y), days = (int)(next - tet);

		if (leap == 0 && (days < 353 || days > 355))
			fail_msg("%d: %d days without a leap month", y, days);
		if (leap != 0 && (days < 383 || days > 385))
			fail_msg("%d: %d days with leap month %d", y, days, leap);
		/* Tết falls between 21 January and 20 February. */
		if (tet < ymd(y, 1, 21) || tet > ymd(y, 2, 20))
			fail_msg("%d: Tết outside 21/1..20/2", y);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(range__is_1968_to_2100),
		cmocka_unit_test(tet__falls_on_the_known_days),
		cmocka_unit_test(tet_1985__is_a_month_before_china),
		cmocka_unit_test(tet_2007__is_a_day_before_china),
		cmocka_unit_test(tet_1968__is_the_norths),
		cmocka_unit_test(hung_kings_day__falls_on_the_known_days),
		cmocka_unit_test(leap_months__are_the_known_ones),
		cmocka_unit_test(leap_month_2020__follows_the_ordinary_fourth_month),
		cmocka_unit_test(leap_month_2023__follows_the_ordinary_second_month),
		cmocka_unit_test(month_12_of_2024__has_29_days),
		cmocka_unit_test(late_new_moons__end_a_30_day_month),
		cmocka_unit_test(to_solar__rejects_a_leap_flag_on_an_ordinary_month),
		cmocka_unit_test(to_solar__rejects_months_and_days_that_do_not_exist),
		cmocka_unit_test(conversions__refuse_days_outside_1968_to_2100),
		cmocka_unit_test(every_day_1968_to_2100__round_trips),
		cmocka_unit_test(every_year_1968_to_2099__has_a_plausible_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
