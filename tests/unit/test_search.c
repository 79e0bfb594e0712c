/*
 * test_search.c: unit tests of the member search data (db/store_search.c):
 * the rows' numbers follow the name order after a full fill and after any
 * sequence of members added and renamed one at a time (including many at
 * one place, which makes the rows around it be spread out again); the
 * words of a query become the words of the registry they begin; every
 * plan of a member list gives the same page (db/store_api.c).
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

#include "core/registry.h"
#include "db/store.h"
#include "db/store_api.h"
#include "db/store_internal.h"
#include "util/date.h"
#include "util/error.h"
#include "util/strset.h"

#include "store_fx.h"

#define OPEN COSO_DAY_MAX

static int setup(void **state)
{
	struct store_fx *f = calloc(1, sizeof(*f));
	coso_store *st = NULL;

	assert_non_null(f);
	assert_int_equal(tmpdb_make(&f->db, "search"), 0);
	assert_int_equal(coso_store_open(&st, f->db.path, COSO_STORE_CREATE, NULL), 0);
	coso_store_close(st);
	assert_int_equal(coso_store_open_api(&f->st, f->db.path), 0);
	*state = f;
	return 0;
}

/* Stores member id named name (a row of members.csv, in its own load). */
static void put_member(coso_store *st, const char *id, const char *name)
{
	coso_member_row m = {
		.id = id, .full_name = name, .gender = "male", .birth_date = coso_date_from_ymd(1980, 1, 1),
		.ethnicity = "Kinh", .admitted_on = coso_date_from_ymd(2010, 1, 1),
		.official_on = coso_date_from_ymd(2011, 1, 1), .ended_on = OPEN, .end_reason = NULL,
	};

	assert_int_equal(coso_store_begin(st), 0);
	assert_int_equal(coso_store_load_begin(st, COSO_FILE_MEMBERS), 0);
	assert_int_equal(coso_store_add_member(st, &m), 0);
	assert_int_equal(coso_store_load_end(st), 0);
	assert_int_equal(coso_store_commit(st), 0);
}

static void expect_ordered(coso_store *st)
{
	long long bad = -1;

	assert_int_equal(coso_store_search_check(st, &bad), 0);
	assert_int_equal(bad, 0);
	assert_int_equal(store_fx_count(st, "SELECT count(*) FROM member_search WHERE n < 1"), 0);
}

static const char *given[] = { "An", "Bình", "Chiến", "Dũng", "Đức", "Hà", "Hùng", "Lan", "Mai", "Sùng" };
static const char *family[] = { "Nguyễn", "Trần", "Lò", "Mùa", "Quàng", "Lý" };

static void name_of(int i, char *buf, size_t n)
{
	snprintf(buf, n, "%s Văn %s", family[i % 6], given[(i / 6) % 10]);
}

static void a_full_fill__numbers_the_rows_in_name_order(void **state)
{
	struct store_fx *f = *state;
	char id[16], name[64];

	for (int i = 0; i < 120; i++) {
		snprintf(id, sizeof(id), "M%03d", (i * 37) % 120);
		name_of(i, name, sizeof(name));
		put_member(f->st, id, name);
	}
	assert_int_equal(coso_store_refresh_search(f->st), 120);
	expect_ordered(f->st);
	/* evenly spaced: the first row's number is the gap */
	assert_int_equal(store_fx_count(f->st, "SELECT min(n) FROM member_search"), INT64_C(1) << 32);
	/* the words: 6 family names, "van", 10 given names, and no id (M...
	 * begins with a letter: it is a word too) */
	assert_int_equal(store_fx_count(f->st, "SELECT count(*) FROM member_word WHERE word NOT LIKE 'm0%'"
				   " AND word NOT LIKE 'm1%'"), 6 + 1 + 10);
	/* nothing more to do */
	assert_int_equal(coso_store_refresh_search(f->st), 0);
}

static void members_added_one_at_a_time__keep_the_order(void **state)
{
	struct store_fx *f = *state;
	char id[16], name[64];

	for (int i = 0; i < 30; i++) {
		snprintf(id, sizeof(id), "M%03d", i);
		name_of(i, name, sizeof(name));
		put_member(f->st, id, name);
	}
	assert_int_equal(coso_store_refresh_search(f->st), 30);
	/* 200 more with one name, ids in order: each goes right after the
	 * last, between it and the next name (the gap halves each time, so
	 * the rows around are spread out again several times) */
	for (int i = 0; i < 200; i++) {
		snprintf(id, sizeof(id), "N%03d", i);
		put_member(f->st, id, "Lò Văn Bình");
		assert_int_equal(coso_store_refresh_search_member(f->st, id), 1);
	}
	expect_ordered(f->st);
	/* and 100 at the very start, the first one each time ("A" sorts
	 * before every given name; ids in descending order) */
	for (int i = 0; i < 100; i++) {
		snprintf(id, sizeof(id), "A%03d", 999 - i);
		put_member(f->st, id, "Lò Văn A");
		assert_int_equal(coso_store_refresh_search_member(f->st, id), 1);
	}
	expect_ordered(f->st);
	/* and at the end ("Ý" sorts last), ids ascending */
	for (int i = 0; i < 50; i++) {
		snprintf(id, sizeof(id), "Z%03d", i);
		put_member(f->st, id, "Lò Văn Ý");
		assert_int_equal(coso_store_refresh_search_member(f->st, id), 1);
	}
	expect_ordered(f->st);
	/* renamed: moved in the order */
	put_member(f->st, "N100", "Cầm Thị Ánh");
	assert_int_equal(coso_store_refresh_search_member(f->st, "N100"), 1);
	expect_ordered(f->st);
	assert_int_equal(store_fx_count(f->st, "SELECT count(*) FROM member_search"), 380);
	assert_int_equal(store_fx_count(f->st, "SELECT count(*) FROM member_search WHERE full_name = 'Cầm Thị Ánh'"), 1);
	/* the full-text index follows the numbers */
	assert_int_equal(store_fx_count(f->st, "SELECT count(*) FROM member_fts WHERE member_fts MATCH '\"cam\" \"anh\"'"),
			 1);
	assert_int_equal(store_fx_count(f->st, "SELECT count(*) FROM member_fts WHERE member_fts MATCH 'binh'"),
			 199 + 6);
	/* a refresh of everything finds nothing to do */
	assert_int_equal(coso_store_refresh_search(f->st), 0);
	expect_ordered(f->st);
}

static void expect_match(coso_store *st, const char *q, const char *want, bool want_none)
{
	char *got = NULL;
	bool none = true;

	assert_int_equal(coso_db_search_match(st, q, &got, &none), 0);
	assert_int_equal(none, want_none);
	if (want) {
		assert_non_null(got);
		assert_string_equal(got, want);
	} else {
		assert_null(got);
	}
	free(got);
}

static void query_words__become_the_words_they_begin(void **state)
{
	struct store_fx *f = *state;

	put_member(f->st, "1001", "Nguyễn Văn Nguyệt");
	put_member(f->st, "1002", "Ngũ Thị Hà");
	put_member(f->st, "1003", "Lò Văn Hải");
	assert_int_equal(coso_store_refresh_search(f->st), 3);
	/* three letters or more: the words of the registry, in order */
	expect_match(f->st, "ngu", "(\"ngu\" OR \"nguyen\" OR \"nguyet\")", false);
	expect_match(f->st, "NGUYỄN  hai", "(\"nguyen\") AND (\"hai\")", false);
	/* short, or a digit first: a prefix query */
	expect_match(f->st, "ha lo", "\"ha\"* AND \"lo\"*", false);
	expect_match(f->st, "100", "\"100\"*", false);
	/* a word that begins no word: nothing can match */
	expect_match(f->st, "van xyz", NULL, true);
	/* no word at all: no filter */
	expect_match(f->st, " - ", NULL, false);
	/* a member added later brings its words */
	put_member(f->st, "1004", "Mùa A Xyzy");
	assert_int_equal(coso_store_refresh_search_member(f->st, "1004"), 1);
	expect_match(f->st, "van xyz", "(\"van\") AND (\"xyzy\")", false);
}

struct ids {
	char s[4096];
};

static int collect_id(void *ctx, const coso_member_item *it)
{
	struct ids *x = ctx;
	size_t n = strlen(x->s);

	snprintf(x->s + n, sizeof(x->s) - n, "%s,", it->row.id);
	return 0;
}

static void page_of(coso_store *st, const char *plan, const coso_member_query *mq, struct ids *out,
		    long long *total)
{
	bool exact;

	memset(out, 0, sizeof(*out));
	setenv("COSO_MEMBERS_PLAN", plan, 1);
	assert_int_equal(coso_store_members(st, mq, collect_id, out, total, &exact), 0);
	unsetenv("COSO_MEMBERS_PLAN");
	assert_true(exact);
}

static void every_plan__gives_the_same_page_in_name_order(void **state)
{
	struct store_fx *f = *state;
	char id[16], name[64];
	const char *queries[] = { "van", "lo", "nguyen an", "hung", "sung mua", "m01", "quang van d" };

	for (int i = 0; i < 150; i++) {
		snprintf(id, sizeof(id), "M%03d", (i * 71) % 150);
		name_of(i, name, sizeof(name));
		put_member(f->st, id, name);
		/* the last fifty one at a time, after a full fill */
		if (i == 99)
			assert_int_equal(coso_store_refresh_search(f->st), 100);
		else if (i > 99)
			assert_int_equal(coso_store_refresh_search_member(f->st, id), 1);
	}
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		for (int desc = 0; desc < 2; desc++) {
			coso_member_query mq = {
				.as_of = coso_date_from_ymd(2020, 1, 1), .q = queries[i], .sort = COSO_SORT_NAME,
				.desc = desc, .page = 2, .per_page = 4,
			};
			struct ids walk, ordered, words;
			long long t1, t2, t3;

			page_of(f->st, "walk", &mq, &walk, &t1);
			page_of(f->st, "ordered", &mq, &ordered, &t2);
			page_of(f->st, "words", &mq, &words, &t3);
			assert_string_equal(ordered.s, walk.s);
			assert_string_equal(words.s, walk.s);
			assert_int_equal(t2, t1);
			assert_int_equal(t3, t1);
			/* the sample is not empty: every member has "van",
			 * one in six "lo", three "nguyen an" */
			if (i == 0)
				assert_int_equal(t1, 150);
			if (i == 1)
				assert_int_equal(t1, 25);
			if (i == 2)
				assert_int_equal(t1, 3);
		}
	}
}

/* A name's word may hold non-ASCII punctuation (O’Hara): the full-text
 * index (the ascii tokenizer) and the words of the registry both keep it
 * one word, so its query is one token, never a phrase, in every plan. */
static void a_word_with_punctuation__is_one_word_everywhere(void **state)
{
	struct store_fx *f = *state;
	const char *queries[][2] = {
		{ "o’hara", "M1," }, { "O’H", "M1," }, { "o’", "M1," }, { "hara", "M2," }, { "’hara", "" },
	};

	put_member(f->st, "M1", "Nguyễn O’Hara");
	put_member(f->st, "M2", "Lò Văn Hara");
	assert_int_equal(coso_store_refresh_search(f->st), 2);
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		static const char *const plans[] = { "walk", "ordered", "words" };
		coso_member_query mq = { .as_of = coso_date_from_ymd(2020, 1, 1), .q = queries[i][0],
					 .sort = COSO_SORT_NAME };

		for (size_t p = 0; p < sizeof(plans) / sizeof(plans[0]); p++) {
			struct ids got;
			long long total;

			page_of(f->st, plans[p], &mq, &got, &total);
			assert_string_equal(got.s, queries[i][1]);
		}
	}
}

static void a_members_days__follow_the_member(void **state)
{
	struct store_fx *f = *state;
	coso_member_query mq = { .as_of = coso_date_from_ymd(2020, 1, 1), .q = "binh", .sort = COSO_SORT_NAME };
	struct ids got;
	long long total;

	put_member(f->st, "M1", "Lò Văn Bình");
	put_member(f->st, "M2", "Mùa A Bình");
	assert_int_equal(coso_store_refresh_search(f->st), 2);
	page_of(f->st, "ordered", &mq, &got, &total);
	assert_string_equal(got.s, "M1,M2,");
	/* a write that ends a membership (store_write.c updates member):
	 * the trigger carries the day to the search row */
	assert_int_equal(sqlite3_exec(f->st->db, "UPDATE member SET ended_on = 18000, end_reason = 'died'"
				      " WHERE id = 'M2'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_fx_count(f->st, "SELECT ended_on FROM member_search WHERE id = 'M2'"), 18000);
	page_of(f->st, "ordered", &mq, &got, &total);
	assert_string_equal(got.s, "M1,");
	/* a load replaces the row (no update): the next refresh sees it stale */
	assert_int_equal(sqlite3_exec(f->st->db, "DROP TRIGGER member_search_days", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(f->st->db, "UPDATE member SET admitted_on = 18500 WHERE id = 'M1'",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(coso_store_refresh_search(f->st), 1);
	assert_int_equal(store_fx_count(f->st, "SELECT admitted_on FROM member_search WHERE id = 'M1'"), 18500);
	mq.as_of = 17990; /* M2 not ended yet, M1 not admitted yet */
	page_of(f->st, "ordered", &mq, &got, &total);
	assert_string_equal(got.s, "M2,");
	expect_ordered(f->st);
}

static int sum_lengths(void *ctx, const char *w, size_t n)
{
	*(size_t *)ctx += n;
	assert_int_equal(strlen(w), n); /* NUL-terminated */
	return 0;
}

static void a_string_set__keeps_each_string_once(void **state)
{
	coso_strset *set = NULL;
	char w[16];
	size_t total = 0, want = 0;

	(void)state;
	assert_int_equal(coso_strset_new(&set), 0);
	/* 5,000 strings, each added three times, through several growths */
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 5000; i++) {
			int n = snprintf(w, sizeof(w), "w%d", i);

			size_t idx = 0;

			assert_int_equal(coso_strset_add(set, w, (size_t)n, &idx), round == 0 ? 1 : 0);
			assert_int_equal(idx, (size_t)i); /* the index of its first addition */
			if (round == 0)
				want += (size_t)n;
		}
	/* the bytes count, not a terminator: "ab" and "a" differ */
	assert_int_equal(coso_strset_add(set, "abc", 2, NULL), 1);
	assert_int_equal(coso_strset_add(set, "abd", 2, NULL), 0);
	assert_int_equal(coso_strset_add(set, "a", 1, NULL), 1);
	assert_int_equal(coso_strset_count(set), 5002);
	assert_string_equal(coso_strset_at(set, 5000, NULL), "ab");
	assert_string_equal(coso_strset_at(set, 17, NULL), "w17");
	assert_null(coso_strset_at(set, 5002, NULL));
	/* finding adds nothing */
	{
		size_t idx = 0;

		assert_int_equal(coso_strset_find(set, "w4999", 5, &idx), 1);
		assert_int_equal(idx, 4999);
		assert_int_equal(coso_strset_find(set, "abx", 2, &idx), 1);
		assert_int_equal(idx, 5000);
		assert_int_equal(coso_strset_find(set, "w5000", 5, &idx), 0);
		assert_int_equal(coso_strset_find(set, "", 0, NULL), 0);
		assert_int_equal(coso_strset_count(set), 5002);
	}
	assert_int_equal(coso_strset_each(set, sum_lengths, &total), 0);
	assert_int_equal(total, want + 3);
	coso_strset_free(set);
	coso_strset_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_full_fill__numbers_the_rows_in_name_order, setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(members_added_one_at_a_time__keep_the_order, setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(query_words__become_the_words_they_begin, setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(every_plan__gives_the_same_page_in_name_order, setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(a_word_with_punctuation__is_one_word_everywhere, setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(a_members_days__follow_the_member, setup, store_fx_teardown),
		cmocka_unit_test(a_string_set__keeps_each_string_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
