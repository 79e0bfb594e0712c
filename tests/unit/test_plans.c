/*
 * test_plans.c: unit tests of plans' pure parts: the Vietnamese numbers of
 * targets (report/plans.h), the indicators read from figures and counted
 * from events (core/plans.h), the training section's two renderings
 * (report/narrative.h). The measuring itself is tested black-box on
 * hand-worked registries (tests/cli/test_plans.py).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/plans.h"
#include "report/narrative.h"
#include "report/plans.h"

static void numbers_are_written_the_vietnamese_way(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(coso_plan_fmt_number(buf, sizeof(buf), 2000), "2.000");
	assert_string_equal(coso_plan_fmt_number(buf, sizeof(buf), 5240), "5.240");
	assert_string_equal(coso_plan_fmt_number(buf, sizeof(buf), 15.5), "15,5");
	assert_string_equal(coso_plan_fmt_number(buf, sizeof(buf), 1234.56), "1.234,6");  /* rounded to 0.1 */
	assert_string_equal(coso_plan_fmt_number(buf, sizeof(buf), -100), "-100");
	assert_string_equal(coso_plan_fmt_number(buf, sizeof(buf), -0.4), "-0,4");
	assert_string_equal(coso_plan_fmt_number(buf, sizeof(buf), 0.04), "0");
	assert_string_equal(coso_plan_fmt_percent(buf, sizeof(buf), 35.366), "35,4%");
	assert_string_equal(coso_plan_fmt_percent(buf, sizeof(buf), 15), "15%");
	/* a small buffer is cut, never overrun */
	assert_string_equal(coso_plan_fmt_number(buf, 4, 2000), "2.0");
}

static void indicators_read_the_report_s_figures(void **state)
{
	/* the article's day: 1.601 of 1.813 villages with a cell, 21 white,
	 * 468 of 469 schools and 77 of 130 health stations with a cell */
	coso_figures f = { .villages_total = 1813, .villages_with_org = 1601, .villages_without_member = 21,
			   .schools_total = 469, .schools_with_org = 468, .health_total = 130, .health_with_org = 77 };
	long long whole = -1;

	(void)state;
	assert_int_equal(coso_indicator_value("villages_without_org", &f, &whole), 212);
	assert_int_equal(whole, 1813);
	assert_int_equal(coso_indicator_value("villages_with_org", &f, NULL), 1601);
	assert_int_equal(coso_indicator_value("villages_without_member", &f, NULL), 21);
	assert_int_equal(coso_indicator_value("schools_without_org", &f, NULL), 1);
	assert_int_equal(coso_indicator_value("health_stations_without_org", &f, NULL), 53);
	assert_int_equal(coso_indicator_value("schools_health_without_org", &f, &whole), 54);
	assert_int_equal(whole, 599);
	assert_int_equal(coso_indicator_value("schools_health_with_org", &f, NULL), 545);
	assert_int_equal(coso_indicator_find("schools_health_with_org")->type, COSO_IND_SHARE);
	assert_int_equal(coso_indicator_find("villages_without_org")->type, COSO_IND_STOCK);
	assert_int_equal(coso_indicator_find("admissions")->type, COSO_IND_FLOW);
	assert_null(coso_indicator_find("villages"));
	assert_null(coso_indicator_find(NULL));
}

static void events_count_for_their_indicators(void **state)
{
	(void)state;
	assert_true(coso_indicator_counts_event("admissions", 'a', COSO_SITE_OTHER));
	assert_false(coso_indicator_counts_event("admissions", 'c', COSO_SITE_OTHER)); /* counted once, as 'a' */
	assert_true(coso_indicator_counts_event("admissions_commune", 'c', COSO_SITE_OTHER));
	assert_false(coso_indicator_counts_event("admissions_commune", 'a', COSO_SITE_OTHER));
	assert_true(coso_indicator_counts_event("orgs_founded_school", 'f', COSO_SITE_SCHOOL));
	assert_false(coso_indicator_counts_event("orgs_founded_school", 'd', COSO_SITE_SCHOOL)); /* a dissolution */
	assert_false(coso_indicator_counts_event("orgs_founded_village", 'f', COSO_SITE_HEALTH));
	assert_false(coso_indicator_counts_event("villages_without_org", 'f', COSO_SITE_VILLAGE));
}

static void training_without_figures_says_so(void **state)
{
	coso_training_figures none = { 0 }, article = { true, 614, 454, 13000 };
	char buf[512];

	(void)state;
	coso_narrative_training_text(buf, sizeof(buf), &none);
	assert_string_equal(buf, "Chưa có số liệu về đào tạo, bồi dưỡng cán bộ, công chức cấp xã trong kỳ.");
	/* the article: "đã cử 614 người đi đào tạo về chuyên môn nghiệp vụ, 454 cán bộ, công chức tham gia
	 * các lớp đào tạo về lý luận chính trị ... hơn 13.000 cán bộ, công chức tham gia các khóa bồi dưỡng" */
	coso_narrative_training_text(buf, sizeof(buf), &article);
	assert_non_null(strstr(buf, "đã cử 614 người đi đào tạo về chuyên môn nghiệp vụ, 454 cán bộ"));
	assert_non_null(strstr(buf, "13.000 lượt cán bộ, công chức tham gia các khóa bồi dưỡng"));
}

static void statuses_have_names_in_both_languages(void **state)
{
	(void)state;
	assert_string_equal(coso_target_status_name(COSO_TS_ON_TRACK), "on_track");
	assert_string_equal(coso_target_status_vi(COSO_TS_ON_TRACK), "đúng tiến độ");
	assert_string_equal(coso_target_status_name(COSO_TS_NOT_MET), "not_met");
	assert_string_equal(coso_target_status_vi(COSO_TS_NOT_MET), "không đạt");
	assert_string_equal(coso_target_status_name((coso_target_status)42), "none");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_are_written_the_vietnamese_way),
		cmocka_unit_test(indicators_read_the_report_s_figures),
		cmocka_unit_test(events_count_for_their_indicators),
		cmocka_unit_test(training_without_figures_says_so),
		cmocka_unit_test(statuses_have_names_in_both_languages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
