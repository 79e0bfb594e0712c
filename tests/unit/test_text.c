/*
 * test_text.c: unit tests of util/text (folding for search, word-prefix
 * matching, given-name-first names, Vietnamese collation and sort keys).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "util/error.h"
#include "util/text.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void expect_fold(const char *in, const char *want)
{
	char *got = NULL;

	assert_int_equal(coso_text_fold(in, &got), 0);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void fold__removes_tones_marks_and_case(void **state)
{
	expect_fold("Mùa A Sùng", "mua a sung");
	expect_fold("Đặng Thị Ánh", "dang thi anh");
	expect_fold("đĐ", "dd");
	expect_fold("Nguyễn Thị Ướt", "nguyen thi uot");
	expect_fold("Xã Nậm Tin", "xa nam tin");
	expect_fold("Bản Hai, Trên", "ban hai, tren");
	expect_fold("", "");
	expect_fold("ABC-123", "abc-123");
}

static void fold__treats_decomposed_input_like_composed(void **state)
{
	/* "Ánh" written as A + combining acute (NFD), and the fullwidth Ａ (NFKD) */
	expect_fold("A\xcc\x81nh", "anh");
	expect_fold("\xef\xbc\xa1", "a");
}

/* ASCII text takes a path of its own (no utf8proc): each of its 127
 * characters must fold as utf8proc folds it, alone and within a word. */
static void fold__ascii_as_utf8proc_folds_it(void **state)
{
	for (int c = 1; c < 128; c++) {
		char in[4] = { 'x', (char)c, 'Y', 0 };
		utf8proc_uint8_t *want = NULL;
		char *got = NULL;

		assert_true(utf8proc_map((const utf8proc_uint8_t *)in, 3, &want, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
					 UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD) >= 0);
		assert_int_equal(coso_text_fold(in, &got), 0);
		assert_string_equal(got, (const char *)want);
		free(want);
		free(got);
	}
	expect_fold("0064300113", "0064300113");
	expect_fold("HN-00012", "hn-00012");
}

static void fold__rejects_invalid_utf8(void **state)
{
	char *got = NULL;

	assert_int_equal(coso_text_fold("ab\xff", &got), COSO_EINVALID);
	assert_null(got);
}

static void words_match__takes_prefixes_in_any_order(void **state)
{
	assert_true(coso_text_words_match("mua a sung", "mua a sung"));
	assert_true(coso_text_words_match("mua a sung", "sung"));
	assert_true(coso_text_words_match("mua a sung", "sung mua"));
	assert_true(coso_text_words_match("mua a sung", "su mu"));
	assert_true(coso_text_words_match("mua a sung", ""));
	assert_true(coso_text_words_match("mua a sung", "  ,, "));
	assert_false(coso_text_words_match("mua a sung", "ung"));
	assert_false(coso_text_words_match("mua a sung", "mua b"));
	assert_false(coso_text_words_match("", "a"));
	assert_true(coso_text_words_match("ban hai, tren", "tren hai"));
}

static void given_first__moves_the_last_word_to_the_front(void **state)
{
	static const char *const cases[][2] = {
		{ "Lò Văn An", "An Lò Văn" },
		{ "  Mùa   A Sùng ", "Sùng Mùa A" },
		{ "Páo", "Páo" },
		{ "", "" },
	};

	for (size_t i = 0; i < N_OF(cases); i++) {
		char *got = NULL;

		assert_int_equal(coso_text_given_first(cases[i][0], &got), 0);
		assert_string_equal(got, cases[i][1]);
		free(got);
	}
}

static int compare(coso_collator *c, const char *a, const char *b)
{
	return coso_collator_compare(c, a, strlen(a), b, strlen(b));
}

static int key_compare(coso_collator *c, const char *a, const char *b, bool names)
{
	unsigned char *ka = NULL, *kb = NULL;
	size_t la = 0, lb = 0;
	int r;

	if (names) {
		assert_int_equal(coso_collator_name_key(c, a, &ka, &la), 0);
		assert_int_equal(coso_collator_name_key(c, b, &kb, &lb), 0);
	} else {
		assert_int_equal(coso_collator_key(c, a, &ka, &la), 0);
		assert_int_equal(coso_collator_key(c, b, &kb, &lb), 0);
	}
	r = memcmp(ka, kb, la < lb ? la : lb);
	if (r == 0)
		r = (la > lb) - (la < lb);
	free(ka);
	free(kb);
	return r;
}

static void collator__follows_the_vietnamese_alphabet(void **state)
{
	static const char *const alphabet[] = {
		"a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k", "l", "m",
		"n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y",
	};
	coso_collator *c = NULL;

	assert_int_equal(coso_collator_open(&c), 0);
	for (size_t i = 0; i + 1 < N_OF(alphabet); i++) {
		assert_true(compare(c, alphabet[i], alphabet[i + 1]) < 0);
		assert_true(key_compare(c, alphabet[i], alphabet[i + 1], false) < 0);
	}
	/* a letter comes before every word of the next letter, whatever the tones */
	assert_true(compare(c, "Ánh", "Ăn") < 0);
	assert_true(compare(c, "Dũng", "Đào") < 0);
	assert_true(compare(c, "Đức", "Em") < 0);
	/* tones are a secondary difference: ordered only among equal letters */
	assert_true(compare(c, "ma", "má") < 0);
	assert_true(compare(c, "má", "mai") < 0);
	assert_int_equal(compare(c, "Hoa", "Hoa"), 0);
	coso_collator_free(c);
}

static void name_keys__order_people_by_given_name_first(void **state)
{
	/* as a commune's list would show them */
	static const char *const names[] = {
		"Lò Văn An", "Mùa A Bình", "Nguyễn Thị Đào", "Giàng A Páo", "Mùa A Sùng", "Lò Văn Thắng", "Lường Văn Xuân",
	};
	coso_collator *c = NULL;

	assert_int_equal(coso_collator_open(&c), 0);
	for (size_t i = 0; i + 1 < N_OF(names); i++)
		assert_true(key_compare(c, names[i], names[i + 1], true) < 0);
	/* same given name: then the family and middle names */
	assert_true(key_compare(c, "Lò Văn An", "Nguyễn Văn An", true) < 0);
	/* a key that is a prefix of another sorts first */
	assert_true(key_compare(c, "An", "An Bình", false) < 0);
	coso_collator_free(c);
}

static void collator__has_a_version(void **state)
{
	coso_collator *c = NULL;
	char v[64];

	assert_int_equal(coso_collator_open(&c), 0);
	coso_collator_version(c, v, sizeof(v));
	assert_true(strlen(v) > 0);
	coso_collator_free(c);
	coso_collator_free(NULL);
}

#define T(f) cmocka_unit_test(f)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(fold__removes_tones_marks_and_case),
		T(fold__treats_decomposed_input_like_composed),
		T(fold__ascii_as_utf8proc_folds_it),
		T(fold__rejects_invalid_utf8),
		T(words_match__takes_prefixes_in_any_order),
		T(given_first__moves_the_last_word_to_the_front),
		T(collator__follows_the_vietnamese_alphabet),
		T(name_keys__order_people_by_given_name_first),
		T(collator__has_a_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
