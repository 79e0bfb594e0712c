/*
 * test_cadres.c: unit tests of core/cadres (coso_cadres_training_summary,
 * coso_cadres_holders) on the hand-worked case tests/cases/cadres, imported
 * over the registry of tests/cases/handmade.
 *
 * Every expected figure was worked out by hand from those files; the working
 * is in the comment beside it. Reminder of the case:
 *   P1 party_secretary 00001 2015-10-01..2020-10-01 and council_chair 00001
 *      2016-06-01..2021-06-01; university (2012), political theory
 *      intermediate 2016-03-01..2017-12-15, short courses 2016-04-10, 2017-05-02
 *   P2 justice_civil_status 00001 from 2010; intermediate (2007), university
 *      started 2016-09-01 (not finished); short course 2018-05-22
 *   P3 committee_chair 00002 2016-06-01..2020-01-01; intermediate
 *      2016-05-01..2018-05-01 (started before the post); political theory
 *      elementary 2016-07-01..2016-09-30
 *   P4 office_statistics 00003 2017-01-01..2025-07-01; intermediate (2012);
 *      short courses 2015-12-31 and 2018-05-23
 *   P5 party_deputy_secretary 00003 2017-03-01..2019-03-01 on a rotation
 *      from district 001; university (2014); political theory advanced
 *      2017-09-01..2018-06-30
 *   Communes 00001 and 00002 are under district 001, 00003 under 002;
 *   00002 ends on 2020-01-01.
 *   Standards: party_secretary university + intermediate (file); before
 *   2018-01-01 justice_civil_status intermediate and no political minimum,
 *   from then intermediate + elementary (file); other posts the defaults
 *   (cadres intermediate + intermediate, civil servants intermediate +
 *   elementary).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cadres.h"
#include "core/import.h"
#include "db/store.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/error.h"

static coso_day D(int y, int m, int d)
{
	return coso_date_from_ymd(y, m, d);
}

struct fx {
	char dir[64];
	char db[96];
	coso_store *st;
	coso_training_summary s;
};

static void import_or_fail(coso_store *st, const char *dir)
{
	coso_diag diag = COSO_DIAG_INIT;
	int rc = coso_import_dir(st, dir, &diag, NULL, NULL);

	if (rc != 0) {
		for (size_t i = 0; i < diag.n; i++)
			print_error("  %s\n", diag.msgs[i]);
		coso_diag_clear(&diag);
		fail_msg("%s does not import: %s", dir, coso_error_last());
	}
	coso_diag_clear(&diag);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s", "/tmp/coso-test-cadres-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/c.db", f->dir);
	if (coso_store_open(&f->st, f->db, COSO_STORE_CREATE, NULL) < 0) {
		rmdir(f->dir);
		free(f);
		return -1;
	}
	import_or_fail(f->st, COSO_CASES_DIR "/handmade");
	import_or_fail(f->st, COSO_CASES_DIR "/cadres");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[160];

	coso_training_summary_clear(&f->s);
	coso_store_close(f->st);
	snprintf(p, sizeof(p), "%s-wal", f->db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->db);
	unlink(p);
	unlink(f->db);
	rmdir(f->dir);
	free(f);
	return 0;
}

static const coso_training_summary *summary(struct fx *f, const char *scope, coso_day from, coso_day to)
{
	int rc;

	coso_training_summary_clear(&f->s);
	rc = coso_cadres_training_summary(f->st, scope, from, to, &f->s);
	if (rc != 0)
		fail_msg("summary failed (%d): %s", rc, coso_error_last());
	return &f->s;
}

static const coso_commune_standard *commune(const coso_training_summary *s, const char *code)
{
	for (size_t i = 0; i < s->ncommunes; i++)
		if (strcmp(s->communes[i].code, code) == 0)
			return &s->communes[i];
	fail_msg("no commune %s in the summary", code);
	return NULL;
}

#define PROF COSO_TRAINING_PROFESSIONAL
#define POL COSO_TRAINING_POLITICAL
#define SHORT COSO_TRAINING_SHORT_COURSE

static void province_over_the_articles_period(void **state)
{
	const coso_training_summary *s = summary(*state, "01", D(2016, 1, 1), D(2018, 5, 22));

	assert_string_equal(s->scope.name, "Tỉnh Thử Nghiệm");
	/* professional started in the period: P2 2016-09-01 (holds a post in
	 * 00001) counts; P3 2016-05-01 does not (P3's post starts 2016-06-01) */
	assert_int_equal(s->kinds[PROF].people, 1);
	assert_int_equal(s->kinds[PROF].attendances, 1);
	assert_int_equal(s->professional_by_rank[4], 1); /* university */
	/* political theory: P1 2016-03-01, P3 2016-07-01, P5 2017-09-01 */
	assert_int_equal(s->kinds[POL].people, 3);
	assert_int_equal(s->kinds[POL].attendances, 3);
	assert_int_equal(s->political_by_rank[1], 1);
	assert_int_equal(s->political_by_rank[2], 1);
	assert_int_equal(s->political_by_rank[3], 1);
	/* short courses: P1 twice, P2 on the last day; P4's 2015-12-31 and
	 * 2018-05-23 fall outside */
	assert_int_equal(s->kinds[SHORT].people, 2);
	assert_int_equal(s->kinds[SHORT].attendances, 3);
	/* P5's rotation starts 2017-03-01 and runs to 2019-03-01 */
	assert_int_equal(s->rotations_started, 1);
	assert_int_equal(s->rotations_active, 1);
	/* standards on 2018-05-22:
	 * 00001: P1 secretary (university >= university, intermediate
	 *   2017-12-15 >= intermediate) yes; P1 council chair (defaults) yes;
	 *   P2 justice (intermediate; no political theory < elementary) no
	 * 00002: P3 chair (intermediate 2018-05-01 ok; elementary < intermediate) no
	 * 00003: P4 office (no political theory) no; P5 deputy secretary
	 *   (advanced ends 2018-06-30, after the day: none) no */
	assert_int_equal(s->ncommunes, 3);
	assert_int_equal(s->holdings, 6);
	assert_int_equal(s->meeting, 2);
	/* cán bộ: P1 twice (both meet), P3, P5; công chức: P2, P4 (neither) */
	assert_int_equal(s->holdings_by[COSO_POST_CADRE], 4);
	assert_int_equal(s->meeting_by[COSO_POST_CADRE], 2);
	assert_int_equal(s->holdings_by[COSO_POST_CIVIL_SERVANT], 2);
	assert_int_equal(s->meeting_by[COSO_POST_CIVIL_SERVANT], 0);
	assert_int_equal(commune(s, "00003")->holdings_by[COSO_POST_CIVIL_SERVANT], 1);
	assert_int_equal(commune(s, "00001")->holdings, 3);
	assert_int_equal(commune(s, "00001")->meeting, 2);
	assert_int_equal(commune(s, "00001")->professional_ok, 3);
	assert_int_equal(commune(s, "00001")->political_ok, 2);
	assert_int_equal(commune(s, "00002")->holdings, 1);
	assert_int_equal(commune(s, "00002")->meeting, 0);
	assert_int_equal(commune(s, "00002")->professional_ok, 1);
	assert_int_equal(commune(s, "00003")->holdings, 2);
	assert_int_equal(commune(s, "00003")->meeting, 0);
	assert_int_equal(commune(s, "00003")->political_ok, 0);
	/* the training per commune: 00001 P2's professional course, P1's
	 * political theory, P1's two and P2's one short course; 00002 P3's
	 * political theory; 00003 P5's */
	assert_int_equal(commune(s, "00001")->training[PROF].people, 1);
	assert_int_equal(commune(s, "00001")->training[POL].people, 1);
	assert_int_equal(commune(s, "00001")->training[SHORT].people, 2);
	assert_int_equal(commune(s, "00001")->training[SHORT].attendances, 3);
	assert_int_equal(commune(s, "00002")->training[PROF].attendances, 0);
	assert_int_equal(commune(s, "00002")->training[POL].people, 1);
	assert_int_equal(commune(s, "00003")->training[POL].people, 1);
	assert_int_equal(commune(s, "00003")->training[SHORT].attendances, 0);
}

static void districts_split_the_figures(void **state)
{
	struct fx *f = *state;
	const coso_training_summary *s = summary(f, "001", D(2016, 1, 1), D(2018, 5, 22));

	/* 001 holds 00001 (P1, P2) and 00002 (P3) */
	assert_int_equal(s->kinds[PROF].attendances, 1);
	assert_int_equal(s->kinds[POL].people, 2);
	assert_int_equal(s->kinds[SHORT].attendances, 3);
	assert_int_equal(s->rotations_started, 0); /* P5 goes to 00003, under 002 */
	assert_int_equal(s->ncommunes, 2);
	assert_int_equal(s->holdings, 4);
	assert_int_equal(s->meeting, 2);
	s = summary(f, "002", D(2016, 1, 1), D(2018, 5, 22));
	assert_int_equal(s->kinds[PROF].attendances, 0);
	assert_int_equal(s->kinds[POL].people, 1); /* P5 */
	assert_int_equal(s->political_by_rank[3], 1);
	assert_int_equal(s->kinds[SHORT].attendances, 0);
	assert_int_equal(s->rotations_started, 1);
	assert_int_equal(s->holdings, 2);
	/* a commune as the scope */
	s = summary(f, "00001", D(2016, 1, 1), D(2018, 5, 22));
	assert_int_equal(s->kinds[POL].people, 1);
	assert_int_equal(s->kinds[SHORT].people, 2);
	assert_int_equal(s->ncommunes, 1);
	assert_int_equal(s->meeting, 2);
}

static void boundary_days_are_included(void **state)
{
	struct fx *f = *state;
	const coso_training_summary *s = summary(f, "01", D(2018, 5, 22), D(2018, 5, 22));

	/* only P2's short course starts that day */
	assert_int_equal(s->kinds[SHORT].attendances, 1);
	assert_int_equal(s->kinds[PROF].attendances + s->kinds[POL].attendances, 0);
	assert_int_equal(s->rotations_started, 0);
	assert_int_equal(s->rotations_active, 1);
	/* 2018-05-23 (a Wednesday): P4's course, P4 holds a post in 00003 */
	s = summary(f, "01", D(2018, 5, 23), D(2018, 5, 23));
	assert_int_equal(s->kinds[SHORT].attendances, 1);
	/* 2015-12-31: P4's first course, before P4 held any post: not counted */
	s = summary(f, "01", D(2015, 12, 31), D(2015, 12, 31));
	assert_int_equal(s->kinds[SHORT].attendances, 0);
	/* the rotation's last day is 2019-02-28; on 2019-03-01 it is over */
	s = summary(f, "01", D(2019, 2, 28), D(2019, 2, 28));
	assert_int_equal(s->rotations_active, 1);
	s = summary(f, "01", D(2019, 3, 1), D(2019, 3, 1));
	assert_int_equal(s->rotations_active, 0);
}

static void merged_commune_leaves_the_standards(void **state)
{
	/* 2020-06-01: 00002 no longer exists (merged 2020-01-01), P3's post
	 * ended with it; 00001: P1 secretary and chair, P2 justice (the
	 * political minimum elementary applies since 2018-01-01: no) */
	const coso_training_summary *s = summary(*state, "01", D(2020, 1, 1), D(2020, 6, 1));

	assert_int_equal(s->ncommunes, 2);
	assert_string_equal(s->communes[0].code, "00001");
	assert_string_equal(s->communes[1].code, "00003");
	assert_int_equal(commune(s, "00001")->holdings, 3);
	assert_int_equal(commune(s, "00001")->meeting, 2);
	/* 00003: P4 only (P5's post ended 2019-03-01) */
	assert_int_equal(commune(s, "00003")->holdings, 1);
	/* over 2016..2020-06-01, P3's political theory of 2016 in 00002 counts
	 * for the province, in no commune's row (00002 is gone on the last day) */
	s = summary(*state, "01", D(2016, 1, 1), D(2020, 6, 1));
	assert_int_equal(s->kinds[POL].people, 3);
	assert_int_equal(commune(s, "00001")->training[POL].people + commune(s, "00003")->training[POL].people, 2);
}

struct holders {
	int n;
	const char *post[8];
	char person[8][8];
	bool meets[8];
	bool rotated[8];
};

static int collect(void *ctx, const coso_cadre_holder *h)
{
	struct holders *c = ctx;

	if (c->n >= 8)
		return -1;
	c->post[c->n] = coso_post_find(h->post) ? coso_post_find(h->post)->code : NULL;
	snprintf(c->person[c->n], sizeof(c->person[0]), "%s", h->person_id);
	c->meets[c->n] = h->professional_rank >= h->min_professional && h->political_rank >= h->min_political;
	c->rotated[c->n] = h->rotated;
	c->n++;
	return 0;
}

static void holders_follow_the_post_order_and_the_standard_of_the_day(void **state)
{
	struct fx *f = *state;
	struct holders c = { 0 };

	/* 2017-06-01: P1 has no political theory yet (ends 2017-12-15): the
	 * secretary and the council chair fail; P2 meets the justice post's
	 * standard of that day (no political minimum before 2018) */
	assert_int_equal(coso_cadres_holders(f->st, "00001", D(2017, 6, 1), collect, &c), 0);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.post[0], "party_secretary");
	assert_string_equal(c.post[1], "council_chair");
	assert_string_equal(c.post[2], "justice_civil_status");
	assert_false(c.meets[0]);
	assert_false(c.meets[1]);
	assert_true(c.meets[2]);
	memset(&c, 0, sizeof(c));
	assert_int_equal(coso_cadres_holders(f->st, "00001", D(2018, 5, 22), collect, &c), 0);
	assert_true(c.meets[0]);
	assert_true(c.meets[1]);
	assert_false(c.meets[2]);
	/* 00003 on 2018-05-22: the deputy secretary (P5, rotated) before the
	 * office (P4) in the post order */
	memset(&c, 0, sizeof(c));
	assert_int_equal(coso_cadres_holders(f->st, "00003", D(2018, 5, 22), collect, &c), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.person[0], "P5");
	assert_true(c.rotated[0]);
	assert_string_equal(c.person[1], "P4");
	assert_false(c.rotated[1]);
	/* a post's last day is the day before valid_to */
	memset(&c, 0, sizeof(c));
	assert_int_equal(coso_cadres_holders(f->st, "00003", D(2019, 3, 1), collect, &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(coso_cadres_holders(f->st, "99999", D(2019, 3, 1), collect, &c), COSO_ENOTFOUND);
}

struct sent {
	int n;
	char line[16][64];
};

static int collect_sent(void *ctx, const coso_cadre_sent *r)
{
	struct sent *c = ctx;
	char d[COSO_DATE_BUFSZ];

	if (c->n >= 16)
		return -1;
	snprintf(c->line[c->n++], sizeof(c->line[0]), "%s %s %s %s", coso_date_format(d, r->started_on), r->unit_code,
		 r->person_id, r->kind);
	return 0;
}

static void training_list_names_who_was_sent(void **state)
{
	struct fx *f = *state;
	struct sent c = { 0 };
	long long total = -1;

	/* the seven records the summary of 01 counts, by first day */
	assert_int_equal(coso_cadres_training_list(f->st, "01", D(2016, 1, 1), D(2018, 5, 22), NULL, 0, 500,
						   collect_sent, &c, &total), 0);
	assert_int_equal(total, 7);
	assert_int_equal(c.n, 7);
	assert_string_equal(c.line[0], "2016-03-01 00001 P1 political_theory");
	assert_string_equal(c.line[2], "2016-07-01 00002 P3 political_theory");
	assert_string_equal(c.line[3], "2016-09-01 00001 P2 professional");
	assert_string_equal(c.line[6], "2018-05-22 00001 P2 short_course");
	/* one kind, in a district, the second page of two records a page */
	memset(&c, 0, sizeof(c));
	assert_int_equal(coso_cadres_training_list(f->st, "001", D(2016, 1, 1), D(2018, 5, 22), "short_course", 2, 2,
						   collect_sent, &c, &total), 0);
	assert_int_equal(total, 3);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.line[0], "2018-05-22 00001 P2 short_course");
	/* a page past the end: no record, the total still told */
	memset(&c, 0, sizeof(c));
	assert_int_equal(coso_cadres_training_list(f->st, "001", D(2016, 1, 1), D(2018, 5, 22), "short_course", 10, 2,
						   collect_sent, &c, &total), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(total, 3);
	assert_int_equal(coso_cadres_training_list(f->st, "01", D(2016, 1, 1), D(2018, 5, 22), "retreat", 0, 10,
						   collect_sent, &c, &total), COSO_EINVALID);
	assert_int_equal(coso_cadres_training_list(f->st, "01", D(2016, 1, 1), D(2018, 5, 22), NULL, 0, 501,
						   collect_sent, &c, &total), COSO_EINVALID);
	assert_int_equal(coso_cadres_training_list(f->st, "01", D(2016, 1, 1), D(2018, 5, 22), NULL, 0, -1,
						   collect_sent, &c, &total), COSO_EINVALID);
	/* limit 0: all of them, from the offset */
	memset(&c, 0, sizeof(c));
	assert_int_equal(coso_cadres_training_list(f->st, "01", D(2016, 1, 1), D(2018, 5, 22), NULL, 5, 0,
						   collect_sent, &c, &total), 0);
	assert_int_equal(total, 7);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.line[1], "2018-05-22 00001 P2 short_course");
	assert_int_equal(coso_cadres_training_list(f->st, "99999", D(2016, 1, 1), D(2018, 5, 22), NULL, 0, 10,
						   collect_sent, &c, &total), COSO_EINVALID);
}

static void bad_requests_are_refused(void **state)
{
	struct fx *f = *state;

	assert_int_equal(coso_cadres_training_summary(f->st, "99999", D(2016, 1, 1), D(2018, 5, 22), &f->s),
			 COSO_EINVALID);
	assert_int_equal(coso_cadres_training_summary(f->st, "01", D(2018, 5, 22), D(2018, 5, 21), &f->s),
			 COSO_EINVALID);
	/* a scope that exists at another time only: zeros, no name */
	summary(f, "00002", D(2021, 1, 1), D(2021, 12, 31));
	assert_int_equal(f->s.ncommunes, 0);
	assert_string_equal(f->s.scope.name, "");
}

static void posts_and_levels_are_known(void **state)
{
	(void)state;
	assert_int_equal(coso_post_find("party_secretary")->single, true);
	assert_int_equal(coso_post_find("committee_vice_chair")->single, false);
	assert_int_equal(coso_post_find("culture_social")->category, COSO_POST_CIVIL_SERVANT);
	assert_null(coso_post_find("police_chief"));
	assert_int_equal(coso_level_find(POL, "advanced")->rank, 3);
	assert_null(coso_level_find(PROF, "advanced"));
	assert_string_equal(coso_level_of_rank(PROF, 4)->label, "Đại học");
	assert_null(coso_level_of_rank(SHORT, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(province_over_the_articles_period, setup, teardown),
		cmocka_unit_test_setup_teardown(districts_split_the_figures, setup, teardown),
		cmocka_unit_test_setup_teardown(boundary_days_are_included, setup, teardown),
		cmocka_unit_test_setup_teardown(merged_commune_leaves_the_standards, setup, teardown),
		cmocka_unit_test_setup_teardown(holders_follow_the_post_order_and_the_standard_of_the_day, setup,
						teardown),
		cmocka_unit_test_setup_teardown(training_list_names_who_was_sent, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_requests_are_refused, setup, teardown),
		cmocka_unit_test(posts_and_levels_are_known),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
