/*
 * test_vnfmt.c: unit tests of util/vnfmt (Vietnamese number, percentage,
 * change and date formats).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "util/vnfmt.h"

#define EN_DASH "\xE2\x80\x93"

static char buf[128];

static const char *int_(long long v)
{
	return coso_vnfmt_int(buf, sizeof(buf), v);
}

static const char *pct(long long part, long long whole, int decimals)
{
	return coso_vnfmt_percent(buf, sizeof(buf), part, whole, decimals);
}

static const char *delta(long long v)
{
	return coso_vnfmt_delta(buf, sizeof(buf), v);
}

static void vnfmt_int__separates_thousands_with_dots(void **state)
{
	assert_string_equal(int_(1813), "1.813");
	assert_string_equal(int_(1000), "1.000");
	assert_string_equal(int_(12345), "12.345");
	assert_string_equal(int_(123456), "123.456");
	assert_string_equal(int_(1234567), "1.234.567");
	assert_string_equal(int_(100000000), "100.000.000");
}

static void vnfmt_int__writes_small_numbers_and_zero_plainly(void **state)
{
	assert_string_equal(int_(0), "0");
	assert_string_equal(int_(7), "7");
	assert_string_equal(int_(999), "999");
	assert_string_equal(int_(-999), "-999");
}

static void vnfmt_int__writes_negatives_with_a_minus(void **state)
{
	assert_string_equal(int_(-1), "-1");
	assert_string_equal(int_(-1000), "-1.000");
	assert_string_equal(int_(-1234567), "-1.234.567");
}

static void vnfmt_int__handles_the_extremes(void **state)
{
	assert_string_equal(int_(LLONG_MAX), "9.223.372.036.854.775.807");
	assert_string_equal(int_(LLONG_MIN), "-9.223.372.036.854.775.808");
}

static void vnfmt_int__truncates_to_the_buffer(void **state)
{
	char small[4] = "xyz";

	assert_ptr_equal(coso_vnfmt_int(small, sizeof(small), 1813), small);
	assert_string_equal(small, "1.8");
	/* Size 0: nothing is written. */
	assert_ptr_equal(coso_vnfmt_int(small, 0, 1813), small);
	assert_string_equal(small, "1.8");
	assert_string_equal(coso_vnfmt_int(small, 1, 1813), "");
}

static void vnfmt_percent__rounds_to_one_decimal(void **state)
{
	assert_string_equal(pct(1601, 1813, 1), "88,3%");  /* 88.30943... */
	assert_string_equal(pct(247, 407, 1), "60,7%");    /* 60.68796... */
	assert_string_equal(pct(2, 3, 1), "66,7%");
	assert_string_equal(pct(1, 3, 1), "33,3%");
	assert_string_equal(pct(1, 1, 1), "100,0%");
	assert_string_equal(pct(0, 5, 1), "0,0%");
	assert_string_equal(pct(1, 1000, 1), "0,1%");
	assert_string_equal(pct(1, 100000, 1), "0,0%");
}

static void vnfmt_percent__rounds_exact_halves_away_from_zero(void **state)
{
	/* 6.25 exactly: binary floating point with half-to-even would say 6,2. */
	assert_string_equal(pct(1, 16, 1), "6,3%");
	assert_string_equal(pct(-1, 16, 1), "-6,3%");
	assert_string_equal(pct(1, 8, 0), "13%");     /* 12.5 */
	assert_string_equal(pct(-1, 8, 0), "-13%");
	assert_string_equal(pct(1, 2000, 1), "0,1%");  /* 0.05 */
	assert_string_equal(pct(1, 40, 0), "3%");      /* 2.5 */
	assert_string_equal(pct(3, 40, 0), "8%");      /* 7.5 */
}

static void vnfmt_percent__carries_rounding_into_the_integer_part(void **state)
{
	assert_string_equal(pct(9999, 10000, 1), "100,0%");   /* 99.99 */
	assert_string_equal(pct(99999, 100000, 2), "100,00%"); /* 99.999 */
	assert_string_equal(pct(19999, 20000, 0), "100%");    /* 99.995 */
	assert_string_equal(pct(999999, 100000000, 1), "1,0%"); /* 0.999999 */
	assert_string_equal(pct(99995, 1000000, 2), "10,00%");  /* 9.9995 */
}

static void vnfmt_percent__honours_the_number_of_decimals(void **state)
{
	assert_string_equal(pct(2, 3, 0), "67%");
	assert_string_equal(pct(2, 3, 2), "66,67%");
	assert_string_equal(pct(2, 3, 3), "66,667%");
	assert_string_equal(pct(1601, 1813, 0), "88%");
	assert_string_equal(pct(1601, 1813, 2), "88,31%");
	/* Negative decimals count as none. */
	assert_string_equal(pct(2, 3, -1), "67%");
}

static void vnfmt_percent__writes_signs_by_the_quotient(void **state)
{
	assert_string_equal(pct(-1601, 1813, 1), "-88,3%");
	assert_string_equal(pct(1601, -1813, 1), "-88,3%");
	assert_string_equal(pct(-1601, -1813, 1), "88,3%");
}

static void vnfmt_percent__never_writes_minus_zero(void **state)
{
	assert_string_equal(pct(-1, 100000, 1), "0,0%");
	assert_string_equal(pct(0, -5, 1), "0,0%");
}

static void vnfmt_percent__separates_thousands_above_1000_percent(void **state)
{
	assert_string_equal(pct(1000, 1, 0), "100.000%");
	assert_string_equal(pct(25, 2, 1), "1.250,0%");
}

static void vnfmt_percent__writes_a_dash_for_a_zero_whole(void **state)
{
	assert_string_equal(pct(5, 0, 1), EN_DASH);
	assert_string_equal(pct(0, 0, 1), EN_DASH);
}

static void vnfmt_percent__is_exact_for_the_largest_values(void **state)
{
	assert_string_equal(pct(LLONG_MAX, LLONG_MAX, 1), "100,0%");
	assert_string_equal(pct(LLONG_MIN, LLONG_MIN, 1), "100,0%");
	assert_string_equal(pct(LLONG_MIN, LLONG_MAX, 3), "-100,000%");
	assert_string_equal(pct(LLONG_MAX / 3, LLONG_MAX, 4), "33,3333%");
	assert_string_equal(pct(LLONG_MAX, 1, 0), "922.337.203.685.477.580.700%");
	assert_string_equal(pct(1, LLONG_MAX, 1), "0,0%");
}

static void vnfmt_delta__writes_plus_and_minus(void **state)
{
	assert_string_equal(delta(12), "+12");
	assert_string_equal(delta(-74), "-74");
	assert_string_equal(delta(1234), "+1.234");
	assert_string_equal(delta(-1234567), "-1.234.567");
	assert_string_equal(delta(LLONG_MIN), "-9.223.372.036.854.775.808");
}

static void vnfmt_delta__writes_zero_without_a_sign(void **state)
{
	assert_string_equal(delta(0), "0");
}

static void vnfmt_date__writes_day_month_year(void **state)
{
	assert_string_equal(coso_vnfmt_date(buf, sizeof(buf), 2018, 5, 22), "22/05/2018");
	assert_string_equal(coso_vnfmt_date(buf, sizeof(buf), 1930, 2, 3), "03/02/1930");
	assert_string_equal(coso_vnfmt_date(buf, sizeof(buf), 1, 12, 31), "31/12/0001");
}

static void vnfmt_date__truncates_to_the_buffer(void **state)
{
	char small[6];

	assert_string_equal(coso_vnfmt_date(small, sizeof(small), 2018, 5, 22), "22/05");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vnfmt_int__separates_thousands_with_dots),
		cmocka_unit_test(vnfmt_int__writes_small_numbers_and_zero_plainly),
		cmocka_unit_test(vnfmt_int__writes_negatives_with_a_minus),
		cmocka_unit_test(vnfmt_int__handles_the_extremes),
		cmocka_unit_test(vnfmt_int__truncates_to_the_buffer),
		cmocka_unit_test(vnfmt_percent__rounds_to_one_decimal),
		cmocka_unit_test(vnfmt_percent__rounds_exact_halves_away_from_zero),
		cmocka_unit_test(vnfmt_percent__carries_rounding_into_the_integer_part),
		cmocka_unit_test(vnfmt_percent__honours_the_number_of_decimals),
		cmocka_unit_test(vnfmt_percent__writes_signs_by_the_quotient),
		cmocka_unit_test(vnfmt_percent__never_writes_minus_zero),
		cmocka_unit_test(vnfmt_percent__separates_thousands_above_1000_percent),
		cmocka_unit_test(vnfmt_percent__writes_a_dash_for_a_zero_whole),
		cmocka_unit_test(vnfmt_percent__is_exact_for_the_largest_values),
		cmocka_unit_test(vnfmt_delta__writes_plus_and_minus),
		cmocka_unit_test(vnfmt_delta__writes_zero_without_a_sign),
		cmocka_unit_test(vnfmt_date__writes_day_month_year),
		cmocka_unit_test(vnfmt_date__truncates_to_the_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
