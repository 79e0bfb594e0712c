/*
 * test_summary.c: unit tests of the step tables behind the fast as-of
 * counts (db/store_summary.c). A random registry with history (members
 * moving between organizations and villages, ending, staying probationary,
 * many events on the same days, a period without its member) is counted
 * three ways that must agree: the full build of an import (one merge of
 * member and member_period, a radix sort of packed events), the per-key
 * rebuild a write makes, and plain counting of the periods on every day a
 * count may change.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/registry.h"
#include "db/store.h"
#include "db/store_internal.h"
#include "util/date.h"

#include "store_fx.h"

#define MEMBERS 600
#define ORGS 9
#define VILLAGES 7
#define DAYS 40 /* the days events fall on: few, so that they often coincide */

static int setup(void **state)
{
	struct store_fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(tmpdb_make(&f->db, "summary"), 0);
	assert_int_equal(coso_store_open(&f->st, f->db.path, COSO_STORE_CREATE, NULL), 0);
	*state = f;
	return 0;
}

static uint64_t rng = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static coso_day day_of(unsigned i)
{
	return coso_date_from_ymd(2000 + (int)(i / 4), 1 + (int)(i % 4) * 3, 1);
}

/* Loads MEMBERS random members and their periods (and one period whose
 * member does not exist) in one transaction, as an import does, and builds
 * the steps of every key. */
static void load_registry(coso_store *st)
{
	char ids[MEMBERS + 2][16], orgs[ORGS][8], villages[VILLAGES][8];

	for (int i = 0; i < ORGS; i++)
		snprintf(orgs[i], sizeof(orgs[i]), "O%02d", i);
	for (int i = 0; i < VILLAGES; i++)
		snprintf(villages[i], sizeof(villages[i]), "V%02d", i);
	assert_int_equal(coso_store_begin(st), 0);
	assert_int_equal(coso_store_load_begin(st, COSO_FILE_MEMBERS), 0);
	for (int i = 0; i < MEMBERS; i++) {
		unsigned adm = rnd(DAYS - 4);
		coso_member_row m = {
			.id = ids[i], .full_name = "Lò Văn A", .gender = "male",
			.birth_date = coso_date_from_ymd(1970, 1, 1), .ethnicity = "Thái",
			.admitted_on = day_of(adm),
			/* official a year on, or later than the member ends, or never */
			.official_on = rnd(5) == 0 ? COSO_DAY_MAX : day_of(adm + 1 + rnd(6)),
			.ended_on = rnd(3) == 0 ? day_of(adm + 1 + rnd(DAYS - adm - 1)) : COSO_DAY_MAX,
		};

		snprintf(ids[i], sizeof(ids[i]), "M%05u", rnd(90000) * 10 + (unsigned)i % 10);
		m.end_reason = m.ended_on < COSO_DAY_MAX ? "died" : NULL;
		if (coso_store_add_member(st, &m) != 0) /* the same id drawn twice */
			ids[i][0] = '\0';
	}
	assert_int_equal(coso_store_load_end(st), 0);
	/* no such members: one among the ids, one after them all */
	snprintf(ids[MEMBERS], sizeof(ids[MEMBERS]), "M5");
	snprintf(ids[MEMBERS + 1], sizeof(ids[MEMBERS + 1]), "M99999x");
	assert_int_equal(coso_store_load_begin(st, COSO_FILE_MEMBER_PERIODS), 0);
	for (int i = 0; i < MEMBERS + 2; i++) {
		unsigned from = rnd(DAYS - 4), parts = 1 + rnd(4);

		if (!ids[i][0])
			continue;
		for (unsigned p = 0; p < parts && from < DAYS; p++) {
			unsigned to = p + 1 == parts ? DAYS : from + 1 + rnd(5);
			coso_period_row r = {
				.member_id = ids[i], .valid_from = day_of(from),
				.valid_to = to >= DAYS ? COSO_DAY_MAX : day_of(to),
				.org_code = orgs[rnd(ORGS)],
				/* most in two villages; the others only for a while, so
				 * they are often left empty, and filled again */
				.residence_code = rnd(4) == 0 ? NULL
					: villages[p + 1 < parts && rnd(8) == 0 ? 2 + rnd(VILLAGES - 2) : rnd(2)],
			};

			assert_int_equal(coso_store_add_period(st, &r), 0);
			from = to;
		}
	}
	assert_int_equal(coso_store_load_end(st), 0);
	assert_int_equal(coso_store_refresh_summaries(st), 0);
	assert_int_equal(coso_store_commit(st), 0);
}

/* The step tables as text, in key order. */
static char *steps_text(coso_store *st)
{
	sqlite3_stmt *q = NULL;
	size_t len = 0, cap = 1 << 16;
	char *out = malloc(cap);

	assert_non_null(out);
	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(st->db,
		"SELECT 'o ' || org_code || ' ' || day || ' ' || total || ' ' || probationary FROM org_step"
		" UNION ALL SELECT 'r ' || residence_code || ' ' || day || ' ' || occupied FROM residence_step",
		-1, &q, NULL), SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(q, 0);
		size_t n = strlen(row);

		if (len + n + 2 > cap) {
			cap *= 2;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		memcpy(out + len, row, n);
		len += n;
		out[len++] = '\n';
		out[len] = '\0';
	}
	sqlite3_finalize(q);
	return out;
}

static void full_build_equals_per_key_rebuild(void **state)
{
	struct store_fx *f = *state;
	char *full, *per_key;

	load_registry(f->st);
	full = steps_text(f->st);
	assert_true(store_fx_count(f->st, "SELECT count(*) FROM org_step") > 100);
	assert_true(store_fx_count(f->st, "SELECT count(*) FROM residence_step") > 3 * VILLAGES);
	/* every key dirty, its steps spoiled: a write's refresh rebuilds them one
	 * key at a time with the per-key query */
	assert_int_equal(coso_store_begin(f->st), 0);
	assert_int_equal(sqlite3_exec(f->st->db,
		"INSERT INTO summary_dirty (kind, code) SELECT DISTINCT 0, org_code FROM member_period;"
		"INSERT INTO summary_dirty (kind, code) SELECT DISTINCT 1, residence_code FROM member_period"
		" WHERE residence_code IS NOT NULL;"
		"UPDATE org_step SET total = total + 1000; DELETE FROM residence_step;", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(coso_store_refresh_summaries(f->st), 0);
	assert_int_equal(coso_store_commit(f->st), 0);
	per_key = steps_text(f->st);
	assert_string_equal(full, per_key);
	free(full);
	free(per_key);
}

/* Both queries, given (code, day), answer the same first `columns` numbers. */
static void expect_same(sqlite3_stmt *a, sqlite3_stmt *b, const char *code, coso_day d, int columns)
{
	sqlite3_stmt *q[2] = { a, b };

	for (int i = 0; i < 2; i++) {
		sqlite3_bind_text(q[i], 1, code, -1, SQLITE_STATIC);
		sqlite3_bind_int(q[i], 2, d);
		assert_int_equal(sqlite3_step(q[i]), SQLITE_ROW);
	}
	for (int c = 0; c < columns; c++)
		assert_int_equal(sqlite3_column_int(a, c), sqlite3_column_int(b, c));
	sqlite3_reset(a);
	sqlite3_reset(b);
}

/* The counts the steps give on every day of the registry (the days events
 * fall on, and the day before each) equal those of the plain count. */
static void steps_equal_plain_counts(void **state)
{
	struct store_fx *f = *state;
	sqlite3_stmt *keys = NULL, *step = NULL, *plain = NULL, *rstep = NULL, *rplain = NULL;
	int checked = 0;

	load_registry(f->st);
	assert_int_equal(sqlite3_prepare_v2(f->st->db,
		"SELECT 0, org_code FROM member_period UNION SELECT 1, residence_code FROM member_period"
		" WHERE residence_code IS NOT NULL", -1, &keys, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(f->st->db,
		"SELECT coalesce((SELECT total FROM org_step WHERE org_code = ?1 AND day <= ?2 ORDER BY day DESC LIMIT 1), 0),"
		" coalesce((SELECT probationary FROM org_step WHERE org_code = ?1 AND day <= ?2 ORDER BY day DESC LIMIT 1), 0)",
		-1, &step, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(f->st->db,
		"SELECT count(*), coalesce(sum(m.official_on > ?2), 0) FROM member_period p JOIN member m ON m.id = p.member_id"
		" WHERE p.org_code = ?1 AND max(p.valid_from, m.admitted_on) <= ?2 AND ?2 < min(p.valid_to, m.ended_on)",
		-1, &plain, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(f->st->db,
		"SELECT coalesce((SELECT occupied FROM residence_step WHERE residence_code = ?1 AND day <= ?2"
		" ORDER BY day DESC LIMIT 1), 0)", -1, &rstep, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(f->st->db,
		"SELECT count(*) > 0 FROM member_period p JOIN member m ON m.id = p.member_id WHERE p.residence_code = ?1"
		" AND max(p.valid_from, m.admitted_on) <= ?2 AND ?2 < min(p.valid_to, m.ended_on)", -1, &rplain, NULL),
		SQLITE_OK);
	while (sqlite3_step(keys) == SQLITE_ROW) {
		int kind = sqlite3_column_int(keys, 0);
		const char *code = (const char *)sqlite3_column_text(keys, 1);

		for (unsigned i = 0; i < DAYS; i++) {
			for (int back = 0; back <= 1; back++) {
				coso_day d = day_of(i) - back;

				if (kind == 0)
					expect_same(step, plain, code, d, 2);
				else
					expect_same(rstep, rplain, code, d, 1);
				checked++;
			}
		}
	}
	assert_int_equal(checked, (ORGS + VILLAGES) * DAYS * 2);
	sqlite3_finalize(keys);
	sqlite3_finalize(step);
	sqlite3_finalize(plain);
	sqlite3_finalize(rstep);
	sqlite3_finalize(rplain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(full_build_equals_per_key_rebuild, setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(steps_equal_plain_counts, setup, store_fx_teardown),
	};

	return cmocka_run_group_tests_name("summary", tests, NULL, NULL);
}
