/*
 * test_date.c: unit tests of util/date (day numbers, strict parsing,
 * formatting, leap years).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/date.h"
#include "util/error.h"

/* Parses a NUL-terminated string; returns the rc. */
static int parse(coso_day *out, const char *s)
{
	return coso_date_parse(out, s, strlen(s));
}

static void day_numbers__match_known_dates(void **state)
{
	assert_int_equal(coso_date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(coso_date_from_ymd(1970, 1, 2), 1);
	assert_int_equal(coso_date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(coso_date_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(coso_date_from_ymd(2000, 2, 29), 11016);
	assert_int_equal(coso_date_from_ymd(2000, 1, 1), 10957);
	assert_int_equal(coso_date_from_ymd(1900, 1, 1), -25567);
	assert_int_equal(coso_date_from_ymd(2038, 1, 19), 24855);
	assert_int_equal(coso_date_from_ymd(1, 1, 1), -719162);
	assert_int_equal(coso_date_from_ymd(9999, 12, 31), 2932896);
}

static void day_numbers__split_back_into_year_month_day(void **state)
{
	int y, m, d;

	coso_date_to_ymd(0, &y, &m, &d);
	assert_int_equal(y, 1970);
	assert_int_equal(m, 1);
	assert_int_equal(d, 1);
	coso_date_to_ymd(11017, &y, &m, &d);
	assert_int_equal(y, 2000);
	assert_int_equal(m, 3);
	assert_int_equal(d, 1);
	coso_date_to_ymd(-1, &y, &m, &d);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	coso_date_to_ymd(-719162, &y, &m, &d);
	assert_int_equal(y, 1);
	assert_int_equal(m, 1);
	assert_int_equal(d, 1);
}

static void day_numbers__accept_null_out_pointers(void **state)
{
	int m = 0;

	coso_date_to_ymd(11017, NULL, &m, NULL);
	assert_int_equal(m, 3);
	coso_date_to_ymd(11017, NULL, NULL, NULL);
}

/* Walks every day from 1900-01-01 to 2100-12-31 by hand (not with the code
 * under test) and checks that each is one more than the previous, splits
 * back, formats as expected, and parses back to itself. */
static void every_day_1900_to_2100__round_trips(void **state)
{
	int y = 1900, m = 1, d = 1;
	coso_day expect = coso_date_from_ymd(1900, 1, 1);
	char buf[COSO_DATE_BUFSZ], want[32];

	while (y <= 2100) {
		int yy, mm, dd;
		coso_day parsed = -1;

		assert_int_equal(coso_date_from_ymd(y, m, d), expect);
		coso_date_to_ymd(expect, &yy, &mm, &dd);
		assert_int_equal(yy, y);
		assert_int_equal(mm, m);
		assert_int_equal(dd, d);
		snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
		assert_string_equal(coso_date_format(buf, expect), want);
		assert_int_equal(coso_date_parse(&parsed, buf, strlen(buf)), 0);
		assert_int_equal(parsed, expect);

		expect++;
		if (++d > coso_date_days_in_month(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	assert_int_equal(expect, coso_date_from_ymd(2101, 1, 1));
}

/* Every representable day, 0001-01-01 to 9999-12-31, formats and parses back. */
static void every_day_of_years_1_to_9999__formats_and_parses_back(void **state)
{
	coso_day first = coso_date_from_ymd(1, 1, 1), last = coso_date_from_ymd(9999, 12, 31);
	char buf[COSO_DATE_BUFSZ];

	for (coso_day day = first; day <= last; day++) {
		coso_day parsed = COSO_DAY_MIN;

		coso_date_format(buf, day);
		if (coso_date_parse(&parsed, buf, strlen(buf)) != 0 || parsed != day)
			fail_msg("day %ld formatted as '%s' parsed as %ld", (long)day, buf,
				 (long)parsed);
	}
}

static void date_parse__accepts_ordinary_days(void **state)
{
	coso_day d = -1;

	assert_int_equal(parse(&d, "1970-01-01"), 0);
	assert_int_equal(d, 0);
	assert_int_equal(parse(&d, "2000-03-01"), 0);
	assert_int_equal(d, 11017);
	assert_int_equal(parse(&d, "0001-01-01"), 0);
	assert_int_equal(d, -719162);
	assert_int_equal(parse(&d, "9999-12-31"), 0);
	assert_int_equal(d, 2932896);
}

static void date_parse__accepts_february_29_of_leap_years(void **state)
{
	coso_day d = -1;

	assert_int_equal(parse(&d, "2016-02-29"), 0);
	assert_int_equal(d, coso_date_from_ymd(2016, 2, 29));
	assert_int_equal(parse(&d, "2000-02-29"), 0);
	assert_int_equal(d, 11016);
	assert_int_equal(parse(&d, "2400-02-29"), 0);
}

static void date_parse__rejects_february_30(void **state)
{
	coso_day d = 42;

	assert_int_equal(parse(&d, "2018-02-30"), COSO_EINVALID);
	assert_int_equal(parse(&d, "2016-02-30"), COSO_EINVALID);
	assert_int_equal(d, 42);
}

static void date_parse__rejects_february_29_of_common_years(void **state)
{
	coso_day d = 42;

	assert_int_equal(parse(&d, "2019-02-29"), COSO_EINVALID);
	assert_int_equal(parse(&d, "1900-02-29"), COSO_EINVALID);
	assert_int_equal(parse(&d, "2100-02-29"), COSO_EINVALID);
	assert_int_equal(d, 42);
}

static void date_parse__rejects_days_past_the_end_of_the_month(void **state)
{
	coso_day d = 42;

	assert_int_equal(parse(&d, "2018-04-31"), COSO_EINVALID);
	assert_int_equal(parse(&d, "2018-06-31"), COSO_EINVALID);
	assert_int_equal(parse(&d, "2018-01-32"), COSO_EINVALID);
	assert_int_equal(parse(&d, "2018-12-32"), COSO_EINVALID);
	assert_int_equal(parse(&d, "2018-01-00"), COSO_EINVALID);
	assert_int_equal(d, 42);
}

static void date_parse__rejects_month_0_and_13(void **state)
{
	coso_day d = 42;

	assert_int_equal(parse(&d, "2018-00-10"), COSO_EINVALID);
	assert_int_equal(parse(&d, "2018-13-10"), COSO_EINVALID);
	assert_int_equal(d, 42);
}

static void date_parse__rejects_year_0000(void **state)
{
	coso_day d = 42;

	assert_int_equal(parse(&d, "0000-01-01"), COSO_EINVALID);
	assert_int_equal(d, 42);
}

static void date_parse__rejects_other_shapes(void **state)
{
	static const char *const bad[] = {
		"", "2018", "2018-5-22", "2018-05-2", "18-05-22", "22/05/2018",
		"2018/05/22", "20180522", "2018-05-22 ", " 2018-05-22", "2018-05-22T00",
		"+018-05-22", "-018-05-22", "2018-+5-22", "2018-05--2", "2018-0a-22",
		"２018-05-22", "12018-05-22", "2018_05_22", "2018-05-2\n",
	};
	coso_day d = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(&d, bad[i]) != COSO_EINVALID)
			fail_msg("accepted '%s'", bad[i]);
	}
	assert_int_equal(d, 42);
}

static void date_parse__reads_only_len_bytes(void **state)
{
	coso_day d = 42;

	/* The first 10 bytes are a date; the rest is not looked at. */
	assert_int_equal(coso_date_parse(&d, "2018-05-22,next", 10), 0);
	assert_int_equal(d, coso_date_from_ymd(2018, 5, 22));
	/* A shorter length is not a date. */
	assert_int_equal(coso_date_parse(&d, "2018-05-22", 9), COSO_EINVALID);
	assert_int_equal(coso_date_parse(&d, NULL, 0), COSO_EINVALID);
}

static void date_parse__explains_the_failure(void **state)
{
	coso_day d;

	coso_error_clear();
	assert_int_equal(parse(&d, "2018-02-30"), COSO_EINVALID);
	assert_non_null(strstr(coso_error_last(), "2018-02-30"));
}

static void date_format__writes_open_ends_as_empty(void **state)
{
	char buf[COSO_DATE_BUFSZ] = "junk";

	assert_string_equal(coso_date_format(buf, COSO_DAY_MIN), "");
	memcpy(buf, "junk", 5);
	assert_string_equal(coso_date_format(buf, COSO_DAY_MAX), "");
}

static void date_format__writes_days_outside_years_1_to_9999_as_empty(void **state)
{
	char buf[COSO_DATE_BUFSZ];

	assert_string_equal(coso_date_format(buf, coso_date_from_ymd(1, 1, 1) - 1), "");
	assert_string_equal(coso_date_format(buf, coso_date_from_ymd(9999, 12, 31) + 1), "");
	assert_string_equal(coso_date_format(buf, coso_date_from_ymd(1, 1, 1)), "0001-01-01");
}

static void date_format__returns_its_buffer(void **state)
{
	char buf[COSO_DATE_BUFSZ];

	assert_ptr_equal(coso_date_format(buf, 0), buf);
	assert_string_equal(buf, "1970-01-01");
	assert_string_equal(coso_date_format(buf, -1), "1969-12-31");
}

static void leap_years__follow_the_gregorian_rule(void **state)
{
	assert_true(coso_date_is_leap(2016));
	assert_true(coso_date_is_leap(2000));
	assert_true(coso_date_is_leap(2400));
	assert_false(coso_date_is_leap(2019));
	assert_false(coso_date_is_leap(1900));
	assert_false(coso_date_is_leap(2100));
	assert_int_equal(coso_date_days_in_month(2016, 2), 29);
	assert_int_equal(coso_date_days_in_month(1900, 2), 28);
	assert_int_equal(coso_date_days_in_month(2018, 1), 31);
	assert_int_equal(coso_date_days_in_month(2018, 4), 30);
	assert_int_equal(coso_date_days_in_month(2018, 12), 31);
	assert_int_equal(coso_date_days_in_month(2018, 0), 0);
	assert_int_equal(coso_date_days_in_month(2018, 13), 0);
}

static void date_today__matches_the_local_calendar(void **state)
{
	time_t now = time(NULL);
	struct tm tm;
	coso_day today = coso_date_today();
	coso_day want;

	assert_non_null(localtime_r(&now, &tm));
	want = coso_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	/* Midnight may pass between the two calls. */
	assert_true(today == want || today + 1 == want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(day_numbers__match_known_dates),
		cmocka_unit_test(day_numbers__split_back_into_year_month_day),
		cmocka_unit_test(day_numbers__accept_null_out_pointers),
		cmocka_unit_test(every_day_1900_to_2100__round_trips),
		cmocka_unit_test(every_day_of_years_1_to_9999__formats_and_parses_back),
		cmocka_unit_test(date_parse__accepts_ordinary_days),
		cmocka_unit_test(date_parse__accepts_february_29_of_leap_years),
		cmocka_unit_test(date_parse__rejects_february_30),
		cmocka_unit_test(date_parse__rejects_february_29_of_common_years),
		cmocka_unit_test(date_parse__rejects_days_past_the_end_of_the_month),
		cmocka_unit_test(date_parse__rejects_month_0_and_13),
		cmocka_unit_test(date_parse__rejects_year_0000),
		cmocka_unit_test(date_parse__rejects_other_shapes),
		cmocka_unit_test(date_parse__reads_only_len_bytes),
		cmocka_unit_test(date_parse__explains_the_failure),
		cmocka_unit_test(date_format__writes_open_ends_as_empty),
		cmocka_unit_test(date_format__writes_days_outside_years_1_to_9999_as_empty),
		cmocka_unit_test(date_format__returns_its_buffer),
		cmocka_unit_test(leap_years__follow_the_gregorian_rule),
		cmocka_unit_test(date_today__matches_the_local_calendar),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
