/*
 * test_diag.c: unit tests of util/diag (the bounded list of import problems).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"

static void diag_add__writes_file_line_column_and_message(void **state)
{
	coso_diag d = COSO_DIAG_INIT;

	coso_diag_add(&d, "dang_vien.csv", 12, "ngay_vao_dang", "invalid date '%s'", "2018-02-30");
	assert_int_equal(d.n, 1);
	assert_int_equal(d.total, 1);
	assert_string_equal(d.msgs[0], "dang_vien.csv:12: ngay_vao_dang: invalid date '2018-02-30'");
	coso_diag_clear(&d);
}

static void diag_add__omits_the_line_when_it_is_not_positive(void **state)
{
	coso_diag d = COSO_DIAG_INIT;

	coso_diag_add(&d, "to_chuc.csv", 0, "ma", "missing");
	coso_diag_add(&d, "to_chuc.csv", -1, "ma", "missing");
	assert_string_equal(d.msgs[0], "to_chuc.csv: ma: missing");
	assert_string_equal(d.msgs[1], "to_chuc.csv: ma: missing");
	coso_diag_clear(&d);
}

static void diag_add__omits_a_null_or_empty_column(void **state)
{
	coso_diag d = COSO_DIAG_INIT;

	coso_diag_add(&d, "a.csv", 3, NULL, "too many fields (%d)", 70);
	coso_diag_add(&d, "a.csv", 3, "", "too many fields (%d)", 70);
	coso_diag_add(&d, "a.csv", 0, NULL, "empty file");
	assert_string_equal(d.msgs[0], "a.csv:3: too many fields (70)");
	assert_string_equal(d.msgs[1], "a.csv:3: too many fields (70)");
	assert_string_equal(d.msgs[2], "a.csv: empty file");
	coso_diag_clear(&d);
}

static void diag_add__writes_a_null_file_as_a_dash(void **state)
{
	coso_diag d = COSO_DIAG_INIT;

	coso_diag_add(&d, NULL, 4, "x", "bad");
	assert_string_equal(d.msgs[0], "-:4: x: bad");
	coso_diag_clear(&d);
}

static void diag_add__keeps_long_messages_whole(void **state)
{
	coso_diag d = COSO_DIAG_INIT;
	char *big = malloc(5001);
	char *want = malloc(6000);

	assert_non_null(big);
	assert_non_null(want);
	memset(big, 'x', 5000);
	big[5000] = '\0';
	coso_diag_add(&d, "f.csv", 123456789L, "c", "%s", big);
	snprintf(want, 6000, "f.csv:123456789: c: %s", big);
	assert_string_equal(d.msgs[0], want);
	free(big);
	free(want);
	coso_diag_clear(&d);
}

static void diag_add__keeps_messages_in_order(void **state)
{
	coso_diag d = COSO_DIAG_INIT;
	char want[64];

	for (int i = 1; i <= 50; i++)
		coso_diag_add(&d, "f.csv", i, "c", "problem %d", i);
	assert_int_equal(d.n, 50);
	for (int i = 1; i <= 50; i++) {
		snprintf(want, sizeof(want), "f.csv:%d: c: problem %d", i, i);
		assert_string_equal(d.msgs[i - 1], want);
	}
	coso_diag_clear(&d);
}

static void diag_add__keeps_at_most_max_but_counts_all(void **state)
{
	coso_diag d = COSO_DIAG_INIT;
	char want[64];

	for (int i = 1; i <= COSO_DIAG_MAX + 500; i++)
		coso_diag_add(&d, "f.csv", i, "c", "problem %d", i);
	assert_int_equal(d.n, COSO_DIAG_MAX);
	assert_int_equal(d.total, COSO_DIAG_MAX + 500);
	assert_true(d.cap <= COSO_DIAG_MAX);
	assert_string_equal(d.msgs[0], "f.csv:1: c: problem 1");
	snprintf(want, sizeof(want), "f.csv:%d: c: problem %d", COSO_DIAG_MAX, COSO_DIAG_MAX);
	assert_string_equal(d.msgs[COSO_DIAG_MAX - 1], want);
	coso_diag_clear(&d);
}

static void diag_clear__empties_the_list_for_reuse(void **state)
{
	coso_diag d = COSO_DIAG_INIT;

	coso_diag_add(&d, "f.csv", 1, "c", "one");
	coso_diag_add(&d, "f.csv", 2, "c", "two");
	coso_diag_clear(&d);
	assert_null(d.msgs);
	assert_int_equal(d.n, 0);
	assert_int_equal(d.total, 0);
	assert_int_equal(d.cap, 0);
	coso_diag_add(&d, "g.csv", 3, "c", "three");
	assert_int_equal(d.n, 1);
	assert_int_equal(d.total, 1);
	assert_string_equal(d.msgs[0], "g.csv:3: c: three");
	coso_diag_clear(&d);
	coso_diag_clear(&d);
}

static void diag_clear__accepts_null(void **state)
{
	coso_diag_clear(NULL);
	coso_diag_print(NULL, stdout);
}

/* The text coso_diag_print() writes for d. */
static char *printed(const coso_diag *d)
{
	FILE *fp = tmpfile();
	char *text = calloc(1, 1 << 16);
	size_t got;

	assert_non_null(fp);
	assert_non_null(text);
	coso_diag_print(d, fp);
	rewind(fp);
	got = fread(text, 1, (1 << 16) - 1, fp);
	text[got] = '\0';
	fclose(fp);
	return text;
}

static void diag_print__writes_one_message_a_line(void **state)
{
	coso_diag d = COSO_DIAG_INIT;
	char *text;

	coso_diag_add(&d, "f.csv", 1, "a", "one");
	coso_diag_add(&d, "f.csv", 2, NULL, "two");
	text = printed(&d);
	assert_string_equal(text, "f.csv:1: a: one\nf.csv:2: two\n");
	free(text);
	coso_diag_clear(&d);
}

static void diag_print__says_how_many_were_not_kept(void **state)
{
	coso_diag d = COSO_DIAG_INIT;
	char *text;
	const char *tail;

	for (int i = 0; i < COSO_DIAG_MAX + 2; i++)
		coso_diag_add(&d, "f.csv", i + 1, "c", "bad");
	text = printed(&d);
	tail = strstr(text, "f.csv:1000: c: bad\n");
	assert_non_null(tail);
	assert_string_equal(tail, "f.csv:1000: c: bad\n... and 2 more problems not shown\n");
	free(text);
	coso_diag_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(diag_add__writes_file_line_column_and_message),
		cmocka_unit_test(diag_add__omits_the_line_when_it_is_not_positive),
		cmocka_unit_test(diag_add__omits_a_null_or_empty_column),
		cmocka_unit_test(diag_add__writes_a_null_file_as_a_dash),
		cmocka_unit_test(diag_add__keeps_long_messages_whole),
		cmocka_unit_test(diag_add__keeps_messages_in_order),
		cmocka_unit_test(diag_add__keeps_at_most_max_but_counts_all),
		cmocka_unit_test(diag_clear__empties_the_list_for_reuse),
		cmocka_unit_test(diag_clear__accepts_null),
		cmocka_unit_test(diag_print__writes_one_message_a_line),
		cmocka_unit_test(diag_print__says_how_many_were_not_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
