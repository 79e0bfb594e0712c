/*
 * test_store.c: unit tests of db/store (loading rows, replacing keys,
 * transactions, schema migrations, and every rule of coso_store_validate).
 *
 * Each test works on a fresh database in its own temporary folder. Rows are
 * loaded through the store's API (no CSV); a test builds a small valid
 * registry (base()), breaks one thing, and asserts the exact problems found:
 * file, key, valid_from, column and a fragment of the message, and that no
 * other problem is reported.
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

#include "core/registry.h"
#include "db/schema.h"
#include "db/store.h"
#include "db/store_internal.h"
#include "util/date.h"
#include "util/error.h"

#define ALWAYS COSO_DAY_MIN
#define OPEN COSO_DAY_MAX
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static coso_day D(int y, int m, int d)
{
	return coso_date_from_ymd(y, m, d);
}

/* ---- temporary folder ------------------------------------------------------- */

static void rm_rf(const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;

		while (d && (e = readdir(d)) != NULL) {
			char sub[4096];

			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			rm_rf(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* ---- problems collected from coso_store_validate ---------------------------- */

struct prob {
	coso_file file;
	char *key;
	coso_day from;
	char *column;
	char *message;
	bool touched;
};

struct fx {
	char dir[64];
	char db[96];
	coso_store *st;
	struct prob probs[64];
	size_t nprobs;  /* kept */
	size_t total;   /* reported */
};

static void clear_probs(struct fx *f)
{
	for (size_t i = 0; i < f->nprobs; i++) {
		free(f->probs[i].key);
		free(f->probs[i].column);
		free(f->probs[i].message);
	}
	f->nprobs = 0;
	f->total = 0;
}

static void collect(void *ctx, const coso_problem *p)
{
	struct fx *f = ctx;
	struct prob *c;

	f->total++;
	if (f->nprobs == N_OF(f->probs))
		return;
	c = &f->probs[f->nprobs++];
	c->file = p->file;
	c->key = strdup(p->key);
	c->from = p->valid_from;
	c->column = strdup(p->column ? p->column : "");
	c->message = strdup(p->message);
	c->touched = p->touched;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s", "/tmp/coso-test-store-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/r.db", f->dir);
	if (coso_store_open(&f->st, f->db, COSO_STORE_CREATE, NULL) < 0) {
		rm_rf(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	clear_probs(f);
	coso_store_close(f->st);
	rm_rf(f->dir);
	free(f);
	return 0;
}

/* Prints every problem kept (to explain a failure). */
static void dump_probs(const struct fx *f)
{
	char a[COSO_DATE_BUFSZ];

	print_error("%zu problem(s):\n", f->total);
	for (size_t i = 0; i < f->nprobs; i++) {
		const struct prob *p = &f->probs[i];

		print_error("  %s key=%s from=%s column=%s touched=%d: %s\n", coso_file_name(p->file), p->key,
			    p->from == ALWAYS ? "(always)" : coso_date_format(a, p->from), p->column,
			    (int)p->touched, p->message);
	}
}

/* Asserts that a problem with exactly this file, key, valid_from and column,
 * whose message contains `fragment`, was reported; returns it. */
static const struct prob *find_prob(const struct fx *f, coso_file file, const char *key, coso_day from,
				    const char *column, const char *fragment, int line)
{
	for (size_t i = 0; i < f->nprobs; i++) {
		const struct prob *p = &f->probs[i];

		if (p->file == file && strcmp(p->key, key) == 0 && p->from == from &&
		    strcmp(p->column, column) == 0 && strstr(p->message, fragment))
			return p;
	}
	dump_probs(f);
	fail_msg("line %d: no problem %s key=%s column=%s with '%s'", line, coso_file_name(file), key, column,
		 fragment);
	return NULL;
}
#define expect_prob(f, file, key, from, column, fragment) \
	find_prob(f, file, key, from, column, fragment, __LINE__)

static void expect_count(const struct fx *f, size_t n, int line)
{
	if (f->total != n) {
		dump_probs(f);
		fail_msg("line %d: %zu problem(s) reported, expected %zu", line, f->total, n);
	}
}
#define expect_problems(f, n) expect_count(f, n, __LINE__)

/* ---- a registry in memory ----------------------------------------------------- */

struct reg {
	coso_unit_row u[32];
	size_t nu;
	coso_institution_row i[16];
	size_t ni;
	coso_org_row o[32];
	size_t no;
	coso_member_row m[16];
	size_t nm;
	coso_period_row p[32];
	size_t np;
};

static coso_unit_row *unit(struct reg *r, const char *code, coso_level level, const char *parent, coso_day from,
			   coso_day to)
{
	assert_true(r->nu < N_OF(r->u));
	r->u[r->nu] = (coso_unit_row){ .code = code, .name = code, .level = level, .kind = "x",
				       .parent_code = parent, .valid_from = from, .valid_to = to,
				       .population = -1 };
	return &r->u[r->nu++];
}

static coso_institution_row *institution(struct reg *r, const char *code, const char *kind, const char *unit_code,
					 coso_day from, coso_day to)
{
	assert_true(r->ni < N_OF(r->i));
	r->i[r->ni] = (coso_institution_row){ .code = code, .name = code, .kind = kind, .unit_code = unit_code,
					      .valid_from = from, .valid_to = to };
	return &r->i[r->ni++];
}

/* An organization sitting in a unit (site_inst NULL) or an institution. */
static coso_org_row *org(struct reg *r, const char *code, int grassroots, const char *parent, const char *site_unit,
			 const char *site_inst, coso_day from, coso_day to)
{
	assert_true(r->no < N_OF(r->o));
	r->o[r->no] = (coso_org_row){ .code = code, .name = code, .kind = grassroots ? "committee" : "cell",
				      .grassroots = grassroots, .parent_code = parent, .site_unit = site_unit,
				      .site_institution = site_inst, .valid_from = from, .valid_to = to };
	return &r->o[r->no++];
}

static coso_member_row *member(struct reg *r, const char *id, coso_day admitted, coso_day official, coso_day ended)
{
	assert_true(r->nm < N_OF(r->m));
	r->m[r->nm] = (coso_member_row){ .id = id, .full_name = id, .gender = "male", .birth_date = D(1980, 1, 1),
					 .ethnicity = "Thái", .admitted_on = admitted, .official_on = official,
					 .ended_on = ended, .end_reason = ended == OPEN ? NULL : "left" };
	return &r->m[r->nm++];
}

static coso_period_row *period(struct reg *r, const char *member_id, coso_day from, coso_day to, const char *org_code,
			       const char *residence)
{
	assert_true(r->np < N_OF(r->p));
	r->p[r->np] = (coso_period_row){ .member_id = member_id, .valid_from = from, .valid_to = to,
					 .org_code = org_code, .residence_code = residence };
	return &r->p[r->np++];
}

static coso_unit_row *find_unit(struct reg *r, const char *code)
{
	for (size_t i = 0; i < r->nu; i++)
		if (strcmp(r->u[i].code, code) == 0)
			return &r->u[i];
	fail_msg("no unit %s", code);
	return NULL;
}

static coso_org_row *find_org(struct reg *r, const char *code)
{
	for (size_t i = 0; i < r->no; i++)
		if (strcmp(r->o[i].code, code) == 0)
			return &r->o[i];
	fail_msg("no org %s", code);
	return NULL;
}

static coso_period_row *find_period(struct reg *r, const char *member_id)
{
	for (size_t i = 0; i < r->np; i++)
		if (strcmp(r->p[i].member_id, member_id) == 0)
			return &r->p[i];
	fail_msg("no period of %s", member_id);
	return NULL;
}

/*
 * A small valid registry: province 01 > district 001 > commune 00001 >
 * village 00001-01, a school in the village; the province committee OP, the
 * commune's grassroots committee OC and the village cell CV; member M1
 * (admitted 2010-01-01) in CV, living in the village.
 */
static void base(struct reg *r)
{
	unit(r, "01", COSO_LEVEL_PROVINCE, NULL, ALWAYS, OPEN);
	unit(r, "001", COSO_LEVEL_DISTRICT, "01", ALWAYS, OPEN);
	unit(r, "00001", COSO_LEVEL_COMMUNE, "001", ALWAYS, OPEN);
	unit(r, "00001-01", COSO_LEVEL_VILLAGE, "00001", ALWAYS, OPEN);
	institution(r, "S1", "school", "00001-01", ALWAYS, OPEN);
	org(r, "OP", 0, NULL, "01", NULL, ALWAYS, OPEN);
	org(r, "OC", 1, "OP", "00001", NULL, ALWAYS, OPEN);
	org(r, "CV", 0, "OC", "00001-01", NULL, ALWAYS, OPEN);
	member(r, "M1", D(2010, 1, 1), D(2011, 1, 1), OPEN);
	period(r, "M1", D(2010, 1, 1), OPEN, "CV", "00001-01");
}

/* Loads the files of r that have rows, inside the open transaction. Returns
 * the first error of an add (0 when all rows were added). */
static int load_rows(coso_store *st, const struct reg *r)
{
	int rc = 0;

#define LOAD(FILE, N, ADD, ARR)                                          \
	if ((N) > 0) {                                                   \
		assert_int_equal(coso_store_load_begin(st, FILE), 0);    \
		for (size_t k = 0; k < (N); k++) {                       \
			int e = ADD(st, &(ARR)[k]);                      \
			if (e < 0 && rc == 0)                            \
				rc = e;                                  \
		}                                                        \
		assert_int_equal(coso_store_load_end(st), 0);            \
	}
	LOAD(COSO_FILE_UNITS, r->nu, coso_store_add_unit, r->u)
	LOAD(COSO_FILE_INSTITUTIONS, r->ni, coso_store_add_institution, r->i)
	LOAD(COSO_FILE_ORGS, r->no, coso_store_add_org, r->o)
	LOAD(COSO_FILE_MEMBERS, r->nm, coso_store_add_member, r->m)
	LOAD(COSO_FILE_MEMBER_PERIODS, r->np, coso_store_add_period, r->p)
#undef LOAD
	return rc;
}

/* Loads r in a transaction, validates, rolls back; returns the count. */
static int check(struct fx *f, const struct reg *r)
{
	int n;

	clear_probs(f);
	assert_int_equal(coso_store_begin(f->st), 0);
	assert_int_equal(load_rows(f->st, r), 0);
	n = coso_store_validate(f->st, collect, f);
	coso_store_rollback(f->st);
	assert_true(n >= 0);
	assert_int_equal((size_t)n, f->total);
	return n;
}

/* Loads r in a transaction and commits it. */
static void commit(struct fx *f, const struct reg *r)
{
	assert_int_equal(coso_store_begin(f->st), 0);
	assert_int_equal(load_rows(f->st, r), 0);
	assert_int_equal(coso_store_commit(f->st), 0);
}

/* ---- reading back --------------------------------------------------------------- */

struct counts {
	int units, institutions, orgs, members, periods;
	char seen[512]; /* "code@from name;" of the units, in key order */
};

static int count_unit(void *ctx, const coso_unit_row *r)
{
	struct counts *c = ctx;
	size_t used = strlen(c->seen);
	char a[COSO_DATE_BUFSZ];

	c->units++;
	snprintf(c->seen + used, sizeof(c->seen) - used, "%s@%s %s;", r->code, coso_date_format(a, r->valid_from),
		 r->name);
	return 0;
}
static int count_institution(void *ctx, const coso_institution_row *r)
{
	(void)r;
	((struct counts *)ctx)->institutions++;
	return 0;
}
static int count_org(void *ctx, const coso_org_row *r)
{
	(void)r;
	((struct counts *)ctx)->orgs++;
	return 0;
}
static int count_member(void *ctx, const coso_member_row *r)
{
	(void)r;
	((struct counts *)ctx)->members++;
	return 0;
}
static int count_period(void *ctx, const coso_period_row *r)
{
	(void)r;
	((struct counts *)ctx)->periods++;
	return 0;
}

static struct counts count_all(coso_store *st)
{
	struct counts c;

	memset(&c, 0, sizeof(c));
	assert_int_equal(coso_store_each_unit(st, count_unit, &c), 0);
	assert_int_equal(coso_store_each_institution(st, count_institution, &c), 0);
	assert_int_equal(coso_store_each_org(st, count_org, &c), 0);
	assert_int_equal(coso_store_each_member(st, count_member, &c), 0);
	assert_int_equal(coso_store_each_period(st, count_period, &c), 0);
	return c;
}

/* ---- a valid registry ---------------------------------------------------------------- */

static void a_valid_registry__has_no_problems(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	/* A district abolished on 2025-07-01; its commune ends the same day
	 * (a child ending exactly when its parent ends is fine). */
	unit(&r, "002", COSO_LEVEL_DISTRICT, "01", ALWAYS, D(2025, 7, 1));
	unit(&r, "00003", COSO_LEVEL_COMMUNE, "002", ALWAYS, D(2025, 7, 1));
	/* A commune moved directly under its province (a level skipped). */
	unit(&r, "00002", COSO_LEVEL_COMMUNE, "001", ALWAYS, D(2025, 7, 1));
	unit(&r, "00002", COSO_LEVEL_COMMUNE, "01", D(2025, 7, 1), OPEN);
	unit(&r, "00002-01", COSO_LEVEL_VILLAGE, "00002", D(2017, 3, 1), OPEN);
	institution(&r, "H1", "health_station", "00001", D(2016, 1, 1), OPEN);
	/* A cell founded in the school; a cell moved from OC to OC2. */
	org(&r, "CS", 0, "OC", NULL, "S1", D(2017, 1, 10), OPEN);
	org(&r, "OC2", 1, "OP", "00002", NULL, ALWAYS, OPEN);
	org(&r, "CV2", 0, "OC", "00002-01", NULL, D(2017, 3, 1), D(2020, 1, 1));
	org(&r, "CV2", 0, "OC2", "00002-01", NULL, D(2020, 1, 1), OPEN);
	/* M2 moves between cells; the last period ends before ended_on
	 * (accepted, see docs/ARCHITECTURE.md). */
	member(&r, "M2", D(2015, 1, 1), D(2016, 1, 1), D(2019, 1, 1));
	period(&r, "M2", D(2015, 1, 1), D(2017, 3, 1), "CV", "00001-01");
	period(&r, "M2", D(2017, 3, 1), D(2018, 1, 1), "CV2", "00002-01");
	/* M3 has a period starting before the admission. */
	member(&r, "M3", D(2018, 5, 22), OPEN, OPEN);
	period(&r, "M3", D(2018, 1, 1), OPEN, "CS", NULL);

	assert_int_equal(check(f, &r), 0);
	expect_problems(f, 0);
}

/* ---- units ----------------------------------------------------------------------------- */

static void unit_rows_that_overlap__are_reported_on_the_later_row(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	find_unit(&r, "00001")->valid_to = D(2020, 1, 1);
	unit(&r, "00001", COSO_LEVEL_COMMUNE, "001", D(2019, 1, 1), OPEN);
	check(f, &r);
	expect_problems(f, 1);
	expect_prob(f, COSO_FILE_UNITS, "00001", D(2019, 1, 1), "valid_from",
		    "overlaps the previous row of unit 00001 (until 2020-01-01)");
}

static void unit_rows_that_leave_a_gap__are_reported_on_the_later_row(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	find_unit(&r, "00001")->valid_to = D(2019, 1, 1);
	unit(&r, "00001", COSO_LEVEL_COMMUNE, "001", D(2020, 1, 1), OPEN);
	check(f, &r);
	expect_problems(f, 1);
	expect_prob(f, COSO_FILE_UNITS, "00001", D(2020, 1, 1), "valid_from",
		    "leaves a gap after the previous row of unit 00001, which ends 2019-01-01");
}

static void unit_parent__is_required_below_a_province(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	find_unit(&r, "001")->parent_code = NULL;
	unit(&r, "02", COSO_LEVEL_PROVINCE, NULL, ALWAYS, OPEN); /* fine: a province */
	check(f, &r);
	expect_problems(f, 1);
	expect_prob(f, COSO_FILE_UNITS, "001", ALWAYS, "parent_code", "required for a district");
}

static void unit_parent__must_exist_for_the_whole_period_of_the_child(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	unit(&r, "002", COSO_LEVEL_DISTRICT, "01", D(2000, 1, 1), D(2025, 7, 1));
	/* ends on the day its parent ends: fine */
	unit(&r, "00002", COSO_LEVEL_COMMUNE, "002", D(2000, 1, 1), D(2025, 7, 1));
	/* one day longer: not */
	unit(&r, "00003", COSO_LEVEL_COMMUNE, "002", D(2000, 1, 1), D(2025, 7, 2));
	/* starts one day before its parent: not */
	unit(&r, "00004", COSO_LEVEL_COMMUNE, "002", D(1999, 12, 31), D(2010, 1, 1));
	check(f, &r);
	expect_problems(f, 2);
	expect_prob(f, COSO_FILE_UNITS, "00003", D(2000, 1, 1), "parent_code",
		    "unit 002 does not exist for the whole period from 2000-01-01 to 2025-07-02"
		    " (it exists from 2000-01-01 to 2025-07-01)");
	expect_prob(f, COSO_FILE_UNITS, "00004", D(1999, 12, 31), "parent_code",
		    "unit 002 does not exist for the whole period");
}

static void unit_parent__that_never_existed_is_reported(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	find_unit(&r, "00001-01")->parent_code = "09999";
	check(f, &r);
	expect_problems(f, 1);
	expect_prob(f, COSO_FILE_UNITS, "00001-01", ALWAYS, "parent_code", "unit 09999 does not exist");
}

static void unit_parent__of_the_same_or_a_lower_level_is_reported(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	/* a commune under a commune, a commune under a village */
	unit(&r, "00002", COSO_LEVEL_COMMUNE, "00001", ALWAYS, OPEN);
	unit(&r, "00003", COSO_LEVEL_COMMUNE, "00001-01", D(2010, 1, 1), OPEN);
	check(f, &r);
	expect_problems(f, 2);
	expect_prob(f, COSO_FILE_UNITS, "00002", ALWAYS, "parent_code",
		    "unit 00001 is a commune always: a parent must be of a higher level than a commune");
	expect_prob(f, COSO_FILE_UNITS, "00003", D(2010, 1, 1), "parent_code", "unit 00001-01 is a village");
}

/* ---- institutions --------------------------------------------------------------------- */

static void institution_unit__that_does_not_exist_then_is_reported(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	institution(&r, "X1", "agency", "99999", ALWAYS, OPEN);
	unit(&r, "00002", COSO_LEVEL_COMMUNE, "001", D(2015, 1, 1), OPEN);
	/* from 2014: the commune only exists from 2015. The key of an
	 * institution problem has no valid_from (COSO_DAY_MIN). */
	institution(&r, "H2", "health_station", "00002", D(2014, 1, 1), OPEN);
	/* from 2015 exactly: fine */
	institution(&r, "H3", "health_station", "00002", D(2015, 1, 1), OPEN);
	check(f, &r);
	expect_problems(f, 2);
	expect_prob(f, COSO_FILE_INSTITUTIONS, "X1", ALWAYS, "unit_code", "unit 99999 does not exist");
	expect_prob(f, COSO_FILE_INSTITUTIONS, "H2", ALWAYS, "unit_code",
		    "unit 00002 does not exist for the whole period from 2014-01-01 on");
}

/* ---- organizations ---------------------------------------------------------------------- */

static void org_rows_that_leave_a_gap_or_overlap__are_reported_on_the_later_row(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	find_org(&r, "CV")->valid_to = D(2015, 1, 1);
	org(&r, "CV", 0, "OC", "00001-01", NULL, D(2016, 1, 1), OPEN);
	org(&r, "CV2", 0, "OC", "00001-01", NULL, ALWAYS, D(2015, 1, 1));
	org(&r, "CV2", 0, "OC", "00001-01", NULL, D(2014, 6, 1), OPEN);
	check(f, &r);
	expect_problems(f, 2);
	expect_prob(f, COSO_FILE_ORGS, "CV", D(2016, 1, 1), "valid_from",
		    "leaves a gap after the previous row of organization CV, which ends 2015-01-01");
	expect_prob(f, COSO_FILE_ORGS, "CV2", D(2014, 6, 1), "valid_from",
		    "overlaps the previous row of organization CV2");
}

static void org_parent__must_exist_for_the_whole_period(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	org(&r, "OD", 0, "OP", "001", NULL, D(2015, 1, 1), D(2025, 7, 1));
	org(&r, "C1", 0, "OD", "00001-01", NULL, D(2015, 1, 1), D(2025, 7, 1)); /* same span: fine */
	org(&r, "C2", 0, "OD", "00001-01", NULL, D(2014, 12, 31), D(2020, 1, 1));
	org(&r, "C3", 0, "OD", "00001-01", NULL, D(2020, 1, 1), D(2025, 7, 2));
	org(&r, "C4", 0, "OX", "00001-01", NULL, ALWAYS, OPEN);
	check(f, &r);
	expect_problems(f, 3);
	expect_prob(f, COSO_FILE_ORGS, "C2", D(2014, 12, 31), "parent_code",
		    "organization OD does not exist for the whole period from 2014-12-31 to 2020-01-01");
	expect_prob(f, COSO_FILE_ORGS, "C3", D(2020, 1, 1), "parent_code",
		    "organization OD does not exist for the whole period");
	expect_prob(f, COSO_FILE_ORGS, "C4", ALWAYS, "parent_code", "organization OX does not exist");
}

static void org_site_unit__must_exist_for_the_whole_period(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	unit(&r, "00001-02", COSO_LEVEL_VILLAGE, "00001", D(2017, 3, 1), OPEN);
	org(&r, "C1", 0, "OC", "00001-02", NULL, D(2017, 3, 1), OPEN);  /* fine */
	org(&r, "C2", 0, "OC", "00001-02", NULL, D(2017, 2, 28), OPEN); /* a day early */
	org(&r, "C3", 0, "OC", "00009-01", NULL, ALWAYS, OPEN);
	check(f, &r);
	expect_problems(f, 2);
	expect_prob(f, COSO_FILE_ORGS, "C2", D(2017, 2, 28), "site_unit",
		    "unit 00001-02 does not exist for the whole period from 2017-02-28 on");
	expect_prob(f, COSO_FILE_ORGS, "C3", ALWAYS, "site_unit", "unit 00009-01 does not exist");
}

static void org_site_institution__must_exist_for_the_whole_period(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	institution(&r, "S2", "school", "00001", D(2016, 9, 1), D(2024, 6, 1));
	org(&r, "C1", 0, "OC", NULL, "S2", D(2016, 9, 1), D(2024, 6, 1)); /* fine */
	org(&r, "C2", 0, "OC", NULL, "S2", D(2016, 9, 1), D(2024, 6, 2)); /* a day late */
	org(&r, "C3", 0, "OC", NULL, "S9", D(2016, 9, 1), OPEN);
	check(f, &r);
	expect_problems(f, 2);
	expect_prob(f, COSO_FILE_ORGS, "C2", D(2016, 9, 1), "site_institution",
		    "institution S2 does not exist for the whole period from 2016-09-01 to 2024-06-02"
		    " (it exists from 2016-09-01 to 2024-06-01)");
	expect_prob(f, COSO_FILE_ORGS, "C3", D(2016, 9, 1), "site_institution", "institution S9 does not exist");
}

static void org_parents_forming_a_cycle__are_reported_on_each_row_of_the_cycle(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	/* A under B and B under A, always */
	org(&r, "A", 0, "B", "00001", NULL, ALWAYS, OPEN);
	org(&r, "B", 0, "A", "00001", NULL, ALWAYS, OPEN);
	check(f, &r);
	expect_problems(f, 2);
	expect_prob(f, COSO_FILE_ORGS, "A", ALWAYS, "parent_code", "organization A would be its own ancestor");
	expect_prob(f, COSO_FILE_ORGS, "B", ALWAYS, "parent_code", "organization B would be its own ancestor");
}

static void org_parents_forming_a_cycle_only_later__are_reported_on_the_row_that_closes_it(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	/* B is always under A; A is under OP until 2020, then under B. The
	 * cycle exists from 2020-01-01, made by A's second row. */
	org(&r, "A", 0, "OP", "00001", NULL, ALWAYS, D(2020, 1, 1));
	org(&r, "A", 0, "B", "00001", NULL, D(2020, 1, 1), OPEN);
	org(&r, "B", 0, "A", "00001", NULL, ALWAYS, OPEN);
	check(f, &r);
	expect_problems(f, 1);
	expect_prob(f, COSO_FILE_ORGS, "A", D(2020, 1, 1), "parent_code",
		    "organization A would be its own ancestor on 2020-01-01");
}

static void org_parents_swapped_over_time__are_not_a_cycle(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	/* A under B until 2020; from 2020, B under A: never both at once */
	org(&r, "A", 0, "B", "00001", NULL, ALWAYS, D(2020, 1, 1));
	org(&r, "A", 0, "OP", "00001", NULL, D(2020, 1, 1), OPEN);
	org(&r, "B", 0, "OP", "00001", NULL, ALWAYS, D(2020, 1, 1));
	org(&r, "B", 0, "A", "00001", NULL, D(2020, 1, 1), OPEN);
	assert_int_equal(check(f, &r), 0);
	expect_problems(f, 0);
}

/* ---- members and their periods ------------------------------------------------------- */

static void member_period_of_an_unknown_member__is_reported(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	period(&r, "M9", D(2012, 1, 1), OPEN, "CV", "00001-01");
	check(f, &r);
	expect_problems(f, 1);
	expect_prob(f, COSO_FILE_MEMBER_PERIODS, "M9", D(2012, 1, 1), "member_id",
		    "member M9 is not in members.csv");
}

static void member_periods_that_overlap__are_reported_on_the_later_period(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	find_period(&r, "M1")->valid_to = D(2015, 1, 1);
	period(&r, "M1", D(2014, 12, 31), OPEN, "OC", NULL);
	check(f, &r);
	expect_problems(f, 1);
	expect_prob(f, COSO_FILE_MEMBER_PERIODS, "M1", D(2014, 12, 31), "valid_from",
		    "overlaps the previous period of member M1 (from 2010-01-01 to 2015-01-01)");
}

static void member_periods_with_a_gap_while_active__are_reported(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	find_period(&r, "M1")->valid_to = D(2015, 1, 1);
	period(&r, "M1", D(2015, 1, 2), OPEN, "OC", NULL);
	/* M2 leaves on 2018-01-01; its gap starts the day before: reported */
	member(&r, "M2", D(2012, 1, 1), D(2013, 1, 1), D(2018, 1, 1));
	period(&r, "M2", D(2012, 1, 1), D(2017, 12, 31), "CV", NULL);
	period(&r, "M2", D(2019, 1, 1), D(2020, 1, 1), "CV", NULL);
	check(f, &r);
	expect_problems(f, 2);
	expect_prob(f, COSO_FILE_MEMBER_PERIODS, "M1", D(2015, 1, 2), "valid_from",
		    "no period of member M1 covers from 2015-01-01 to 2015-01-02, while the member is active"
		    " (from 2010-01-01 on)");
	expect_prob(f, COSO_FILE_MEMBER_PERIODS, "M2", D(2019, 1, 1), "valid_from",
		    "no period of member M2 covers from 2017-12-31 to 2018-01-01");
}

static void member_periods_with_a_gap_after_ended_on__are_accepted(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	/* M2 leaves on 2018-01-01; the gap [2018-01-01, 2019-01-01) is after */
	member(&r, "M2", D(2012, 1, 1), D(2013, 1, 1), D(2018, 1, 1));
	period(&r, "M2", D(2012, 1, 1), D(2018, 1, 1), "CV", NULL);
	period(&r, "M2", D(2019, 1, 1), D(2020, 1, 1), "CV", NULL);
	/* and a gap before admitted_on is not a gap while active either */
	member(&r, "M3", D(2012, 1, 1), OPEN, OPEN);
	period(&r, "M3", D(2008, 1, 1), D(2009, 1, 1), "CV", NULL);
	period(&r, "M3", D(2011, 1, 1), OPEN, "CV", NULL);
	assert_int_equal(check(f, &r), 0);
	expect_problems(f, 0);
}

static void member_first_period_starting_after_admitted_on__is_reported(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	find_period(&r, "M1")->valid_from = D(2010, 1, 2);
	check(f, &r);
	expect_problems(f, 1);
	expect_prob(f, COSO_FILE_MEMBER_PERIODS, "M1", D(2010, 1, 2), "valid_from",
		    "the first period of member M1 starts after the admission (admitted_on 2010-01-01)");
}

static void member_without_periods__is_reported_on_members_csv(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	member(&r, "M5", D(2012, 1, 1), OPEN, OPEN);
	check(f, &r);
	expect_problems(f, 1);
	expect_prob(f, COSO_FILE_MEMBERS, "M5", ALWAYS, "id", "member M5 has no period in member_periods.csv");
}

static void member_period_org__must_exist_for_the_whole_period(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	org(&r, "C3", 0, "OC", "00001-01", NULL, D(2012, 1, 1), OPEN);
	find_period(&r, "M1")->org_code = "C3";
	member(&r, "M2", D(2012, 1, 1), OPEN, OPEN);
	period(&r, "M2", D(2012, 1, 1), OPEN, "C9", NULL);
	check(f, &r);
	expect_problems(f, 2);
	expect_prob(f, COSO_FILE_MEMBER_PERIODS, "M1", D(2010, 1, 1), "org_code",
		    "organization C3 does not exist for the whole period from 2010-01-01 on"
		    " (it exists from 2012-01-01 on)");
	expect_prob(f, COSO_FILE_MEMBER_PERIODS, "M2", D(2012, 1, 1), "org_code", "organization C9 does not exist");
}

static void member_period_residence__must_exist_for_the_whole_period(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };

	base(&r);
	unit(&r, "00001-02", COSO_LEVEL_VILLAGE, "00001", D(2017, 3, 1), OPEN);
	find_period(&r, "M1")->valid_to = D(2017, 3, 1);
	period(&r, "M1", D(2017, 3, 1), OPEN, "CV", "00001-02"); /* fine */
	member(&r, "M2", D(2012, 1, 1), OPEN, OPEN);
	period(&r, "M2", D(2012, 1, 1), OPEN, "CV", "00001-02");
	member(&r, "M3", D(2012, 1, 1), OPEN, OPEN);
	period(&r, "M3", D(2012, 1, 1), OPEN, "CV", "77777");
	check(f, &r);
	expect_problems(f, 2);
	expect_prob(f, COSO_FILE_MEMBER_PERIODS, "M2", D(2012, 1, 1), "residence_code",
		    "unit 00001-02 does not exist for the whole period from 2012-01-01 on");
	expect_prob(f, COSO_FILE_MEMBER_PERIODS, "M3", D(2012, 1, 1), "residence_code",
		    "unit 77777 does not exist");
}

static void validate__tells_rows_of_this_load_from_stored_rows(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 }, part = { 0 };
	const struct prob *p;

	base(&r);
	commit(f, &r);
	/* Close the village in 2015 (a load of units.csv only): the stored
	 * school, cell and period that stand in it are now wrong. */
	unit(&part, "00001-01", COSO_LEVEL_VILLAGE, "00001", ALWAYS, D(2015, 1, 1));
	unit(&part, "00001-03", COSO_LEVEL_VILLAGE, "00001-01", ALWAYS, D(2015, 1, 1)); /* a bad new one */
	check(f, &part);
	expect_problems(f, 4);
	p = expect_prob(f, COSO_FILE_INSTITUTIONS, "S1", ALWAYS, "unit_code",
			"unit 00001-01 does not exist for the whole period always (it exists until 2015-01-01)");
	assert_false(p->touched);
	p = expect_prob(f, COSO_FILE_ORGS, "CV", ALWAYS, "site_unit", "unit 00001-01 does not exist");
	assert_false(p->touched);
	p = expect_prob(f, COSO_FILE_MEMBER_PERIODS, "M1", D(2010, 1, 1), "residence_code",
			"unit 00001-01 does not exist");
	assert_false(p->touched);
	p = expect_prob(f, COSO_FILE_UNITS, "00001-03", ALWAYS, "parent_code", "unit 00001-01 is a village");
	assert_true(p->touched);
}

/* ---- loading ----------------------------------------------------------------------------- */

static void load__a_second_row_of_a_key_on_the_same_day_is_a_conflict(void **state)
{
	struct fx *f = *state;
	coso_unit_row u = { .code = "01", .name = "A", .level = COSO_LEVEL_PROVINCE, .kind = "tỉnh",
			    .valid_from = D(2000, 1, 1), .valid_to = OPEN, .population = -1 };
	coso_institution_row i = { .code = "S1", .name = "S", .kind = "school", .unit_code = "01",
				   .valid_from = ALWAYS, .valid_to = OPEN };
	coso_org_row o = { .code = "OP", .name = "O", .kind = "committee", .site_unit = "01",
			   .valid_from = ALWAYS, .valid_to = OPEN };
	coso_member_row m = { .id = "M1", .full_name = "N", .gender = "male", .birth_date = D(1980, 1, 1),
			      .ethnicity = "Kinh", .admitted_on = D(2010, 1, 1), .official_on = OPEN,
			      .ended_on = OPEN };
	coso_period_row p = { .member_id = "M1", .valid_from = D(2010, 1, 1), .valid_to = OPEN, .org_code = "OP" };

	assert_int_equal(coso_store_begin(f->st), 0);
	assert_int_equal(coso_store_load_begin(f->st, COSO_FILE_UNITS), 0);
	assert_int_equal(coso_store_add_unit(f->st, &u), 0);
	u.name = "B";
	assert_int_equal(coso_store_add_unit(f->st, &u), COSO_ECONFLICT);
	u.valid_from = D(2001, 1, 1); /* another day: a second row of the key */
	assert_int_equal(coso_store_add_unit(f->st, &u), 0);
	assert_int_equal(coso_store_load_end(f->st), 0);

	assert_int_equal(coso_store_load_begin(f->st, COSO_FILE_INSTITUTIONS), 0);
	assert_int_equal(coso_store_add_institution(f->st, &i), 0);
	i.valid_from = D(2001, 1, 1); /* an institution has one row, whatever the day */
	assert_int_equal(coso_store_add_institution(f->st, &i), COSO_ECONFLICT);
	assert_int_equal(coso_store_load_end(f->st), 0);

	assert_int_equal(coso_store_load_begin(f->st, COSO_FILE_ORGS), 0);
	assert_int_equal(coso_store_add_org(f->st, &o), 0);
	assert_int_equal(coso_store_add_org(f->st, &o), COSO_ECONFLICT);
	assert_int_equal(coso_store_load_end(f->st), 0);

	assert_int_equal(coso_store_load_begin(f->st, COSO_FILE_MEMBERS), 0);
	assert_int_equal(coso_store_add_member(f->st, &m), 0);
	m.admitted_on = D(2011, 1, 1);
	assert_int_equal(coso_store_add_member(f->st, &m), COSO_ECONFLICT);
	assert_int_equal(coso_store_load_end(f->st), 0);

	assert_int_equal(coso_store_load_begin(f->st, COSO_FILE_MEMBER_PERIODS), 0);
	assert_int_equal(coso_store_add_period(f->st, &p), 0);
	p.valid_to = D(2012, 1, 1);
	assert_int_equal(coso_store_add_period(f->st, &p), COSO_ECONFLICT);
	assert_int_equal(coso_store_load_end(f->st), 0);
	coso_store_rollback(f->st);

	struct counts c = count_all(f->st);
	assert_int_equal(c.units + c.institutions + c.orgs + c.members + c.periods, 0);
}

static void load__replaces_the_rows_of_the_keys_it_names_and_keeps_the_others(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 }, units = { 0 }, periods = { 0 };
	struct counts c;

	base(&r);
	find_unit(&r, "00001")->valid_to = D(2019, 6, 1);
	unit(&r, "00001", COSO_LEVEL_COMMUNE, "001", D(2019, 6, 1), OPEN)->name = "Thị trấn Một";
	find_period(&r, "M1")->valid_to = D(2015, 1, 1);
	period(&r, "M1", D(2015, 1, 1), OPEN, "OC", NULL);
	commit(f, &r);
	c = count_all(f->st);
	assert_int_equal(c.units, 5);
	assert_int_equal(c.periods, 2);

	/* units.csv naming 00001 once (no more rename) and a new village */
	unit(&units, "00001", COSO_LEVEL_COMMUNE, "001", ALWAYS, OPEN)->name = "Xã Một";
	unit(&units, "00001-02", COSO_LEVEL_VILLAGE, "00001", ALWAYS, OPEN);
	/* member_periods.csv: M1's two periods become one */
	period(&periods, "M1", D(2010, 1, 1), OPEN, "CV", NULL);
	assert_int_equal(coso_store_begin(f->st), 0);
	assert_int_equal(load_rows(f->st, &units), 0);
	assert_int_equal(load_rows(f->st, &periods), 0);
	assert_int_equal(coso_store_validate(f->st, collect, f), 0);
	assert_int_equal(coso_store_commit(f->st), 0);

	c = count_all(f->st);
	assert_string_equal(c.seen, "00001@ Xã Một;00001-01@ 00001-01;00001-02@ 00001-02;001@ 001;01@ 01;");
	assert_int_equal(c.institutions, 1);
	assert_int_equal(c.orgs, 3);
	assert_int_equal(c.members, 1);
	assert_int_equal(c.periods, 1);
}

/*
 * A regression test: the keys a load replaced must be forgotten when its
 * transaction ends. They once were not (temp.load_seen lived as long as the
 * connection), so on a long-lived store the third load of a key hit the
 * primary key or left old rows beside new ones.
 */
static void load__replaces_a_key_again_in_every_later_transaction(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 }, again = { 0 };
	struct counts c;

	base(&r);
	commit(f, &r);
	for (int round = 1; round <= 3; round++) {
		char name[32];

		again.nu = 0;
		snprintf(name, sizeof(name), "Xã Một %d", round);
		unit(&again, "00001", COSO_LEVEL_COMMUNE, "001", ALWAYS, OPEN)->name = name;
		assert_int_equal(coso_store_begin(f->st), 0);
		if (load_rows(f->st, &again) != 0) {
			coso_store_rollback(f->st);
			fail_msg("round %d: loading 00001 again failed: %s", round, coso_error_last());
		}
		assert_int_equal(coso_store_commit(f->st), 0);
		c = count_all(f->st);
		assert_int_equal(c.units, 4);
		assert_non_null(strstr(c.seen, name));
	}
}

static void rollback__leaves_nothing_of_the_transaction(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 }, more = { 0 };
	struct counts c;

	base(&r);
	assert_int_equal(coso_store_begin(f->st), 0);
	assert_int_equal(load_rows(f->st, &r), 0);
	coso_store_rollback(f->st);
	c = count_all(f->st);
	assert_int_equal(c.units + c.institutions + c.orgs + c.members + c.periods, 0);

	/* and over a committed registry, a rolled back change leaves it as it was */
	commit(f, &r);
	unit(&more, "00001", COSO_LEVEL_COMMUNE, "001", ALWAYS, OPEN)->name = "Đổi tên";
	unit(&more, "00001-02", COSO_LEVEL_VILLAGE, "00001", ALWAYS, OPEN);
	member(&more, "M2", D(2012, 1, 1), OPEN, OPEN);
	assert_int_equal(coso_store_begin(f->st), 0);
	assert_int_equal(load_rows(f->st, &more), 0);
	coso_store_rollback(f->st);
	c = count_all(f->st);
	assert_string_equal(c.seen, "00001@ 00001;00001-01@ 00001-01;001@ 001;01@ 01;");
	assert_int_equal(c.institutions, 1);
	assert_int_equal(c.orgs, 3);
	assert_int_equal(c.members, 1);
	assert_int_equal(c.periods, 1);
}

/* ---- opening ------------------------------------------------------------------------------ */

static void schema_version__is_the_number_of_migrations_and_reopening_keeps_it(void **state)
{
	struct fx *f = *state;
	struct reg r = { 0 };
	bool created = true;
	struct counts c;
	int v = coso_store_schema_version(f->st);

	assert_true(v >= 1);
	assert_int_equal(v, coso_schema_latest());
	base(&r);
	commit(f, &r);
	coso_store_close(f->st);
	f->st = NULL;
	/* Reopening finds the schema up to date: it neither migrates again
	 * (the CREATE TABLEs would fail) nor loses the rows. */
	assert_int_equal(coso_store_open(&f->st, f->db, COSO_STORE_CREATE, &created), 0);
	assert_false(created);
	assert_int_equal(coso_store_schema_version(f->st), v);
	c = count_all(f->st);
	assert_int_equal(c.units, 4);
	assert_int_equal(c.periods, 1);
	coso_store_close(f->st);
	f->st = NULL;
	assert_int_equal(coso_store_open(&f->st, f->db, 0, &created), 0);
	assert_false(created);
	assert_int_equal(coso_store_schema_version(f->st), v);
}

static void open__a_new_file_says_it_was_created(void **state)
{
	struct fx *f = *state;
	char path[128];
	coso_store *st = NULL;
	bool created = false;

	snprintf(path, sizeof(path), "%s/new.db", f->dir);
	assert_int_equal(coso_store_open(&st, path, COSO_STORE_CREATE, &created), 0);
	assert_true(created);
	assert_int_equal(coso_store_schema_version(st), coso_schema_latest());
	coso_store_close(st);
}

static void open__without_create_on_a_missing_file_is_not_found(void **state)
{
	struct fx *f = *state;
	char path[128];
	coso_store *st = (coso_store *)f; /* any non-NULL value */
	struct stat sb;

	snprintf(path, sizeof(path), "%s/missing.db", f->dir);
	assert_int_equal(coso_store_open(&st, path, 0, NULL), COSO_ENOTFOUND);
	assert_null(st);
	assert_non_null(strstr(coso_error_last(), "no such database"));
	assert_int_not_equal(stat(path, &sb), 0); /* and nothing was created */
	assert_int_equal(coso_store_open(&st, path, COSO_STORE_READONLY, NULL), COSO_ENOTFOUND);
	assert_null(st);
}

/* Statements kept prepared by the connection (coso_db_kept): the same SQL
 * gives the same statement back once it is given back, reset and unbound;
 * a lent statement is never lent twice; when every slot is lent, asking for
 * one more is an error, not a statement taken from under its user; the
 * least recently used one not lent makes room. */
static void kept_statements__are_reused_lent_once_and_bounded(void **state)
{
	struct fx *f = *state;
	sqlite3_stmt *a = NULL, *b = NULL, *c = NULL, *lent[COSO_KEPT_MAX];
	char sql[64];

	assert_int_equal(coso_db_kept(f->st, "SELECT ?1", &a), 0);
	sqlite3_bind_int(a, 1, 7);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(a, 0), 7);
	/* lent: the same SQL gives another statement */
	assert_int_equal(coso_db_kept(f->st, "SELECT ?1", &b), 0);
	assert_ptr_not_equal(a, b);
	coso_db_give_back(f->st, a);
	coso_db_give_back(f->st, b);
	/* given back: reused, reset, its binding cleared */
	assert_int_equal(coso_db_kept(f->st, "SELECT ?1", &c), 0);
	assert_true(c == a || c == b);
	assert_int_equal(sqlite3_step(c), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(c, 0), SQLITE_NULL);
	coso_db_give_back(f->st, c);
	/* every slot lent: one more is refused */
	for (int i = 0; i < COSO_KEPT_MAX; i++) {
		snprintf(sql, sizeof(sql), "SELECT %d", i);
		assert_int_equal(coso_db_kept(f->st, sql, &lent[i]), 0);
	}
	assert_int_equal(coso_db_kept(f->st, "SELECT 'one more'", &a), COSO_ERR);
	assert_null(a);
	/* one given back makes room, and the others stay as they were */
	coso_db_give_back(f->st, lent[3]);
	assert_int_equal(coso_db_kept(f->st, "SELECT 'one more'", &a), 0);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(a, 0), "one more");
	assert_int_equal(sqlite3_step(lent[4]), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(lent[4], 0), 4);
	coso_db_give_back(f->st, a);
	for (int i = 0; i < COSO_KEPT_MAX; i++)
		if (i != 3)
			coso_db_give_back(f->st, lent[i]);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(a_valid_registry__has_no_problems),
		T(kept_statements__are_reused_lent_once_and_bounded),
		T(unit_rows_that_overlap__are_reported_on_the_later_row),
		T(unit_rows_that_leave_a_gap__are_reported_on_the_later_row),
		T(unit_parent__is_required_below_a_province),
		T(unit_parent__must_exist_for_the_whole_period_of_the_child),
		T(unit_parent__that_never_existed_is_reported),
		T(unit_parent__of_the_same_or_a_lower_level_is_reported),
		T(institution_unit__that_does_not_exist_then_is_reported),
		T(org_rows_that_leave_a_gap_or_overlap__are_reported_on_the_later_row),
		T(org_parent__must_exist_for_the_whole_period),
		T(org_site_unit__must_exist_for_the_whole_period),
		T(org_site_institution__must_exist_for_the_whole_period),
		T(org_parents_forming_a_cycle__are_reported_on_each_row_of_the_cycle),
		T(org_parents_forming_a_cycle_only_later__are_reported_on_the_row_that_closes_it),
		T(org_parents_swapped_over_time__are_not_a_cycle),
		T(member_period_of_an_unknown_member__is_reported),
		T(member_periods_that_overlap__are_reported_on_the_later_period),
		T(member_periods_with_a_gap_while_active__are_reported),
		T(member_periods_with_a_gap_after_ended_on__are_accepted),
		T(member_first_period_starting_after_admitted_on__is_reported),
		T(member_without_periods__is_reported_on_members_csv),
		T(member_period_org__must_exist_for_the_whole_period),
		T(member_period_residence__must_exist_for_the_whole_period),
		T(validate__tells_rows_of_this_load_from_stored_rows),
		T(load__a_second_row_of_a_key_on_the_same_day_is_a_conflict),
		T(load__replaces_the_rows_of_the_keys_it_names_and_keeps_the_others),
		T(load__replaces_a_key_again_in_every_later_transaction),
		T(rollback__leaves_nothing_of_the_transaction),
		T(schema_version__is_the_number_of_migrations_and_reopening_keeps_it),
		T(open__a_new_file_says_it_was_created),
		T(open__without_create_on_a_missing_file_is_not_found),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
