/*
 * test_report.c: unit tests of report/report (coso_report_asof_build,
 * coso_report_flow_build and their JSON) on small registries written in the
 * tests, against the definitions of docs/FORMAT.md.
 *
 * Every expected figure was worked out by hand; the working is in the comment
 * beside it. Each test works on a fresh database in its own temporary folder;
 * registries are imported from CSV strings (which also checks that they are
 * valid registries).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/import.h"
#include "core/registry.h"
#include "db/store.h"
#include "report/report.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/error.h"

static coso_day D(int y, int m, int d)
{
	return coso_date_from_ymd(y, m, d);
}

/* ---- temporary folder and registry -------------------------------------------- */

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

struct fx {
	char dir[64];
	char db[96];
	coso_store *st;
	coso_report_asof asof;
	coso_report_flow flow;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s", "/tmp/coso-test-report-XXXXXX");
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

	coso_report_asof_clear(&f->asof);
	coso_report_flow_clear(&f->flow);
	coso_store_close(f->st);
	rm_rf(f->dir);
	free(f);
	return 0;
}

#define UNITS_HEAD "code,name,level,kind,parent_code,valid_from,valid_to\n"
#define INSTS_HEAD "code,name,kind,unit_code,valid_from,valid_to\n"
#define ORGS_HEAD "code,name,kind,grassroots,parent_code,site_unit,site_institution,valid_from,valid_to\n"
#define MEMBERS_HEAD "id,full_name,gender,birth_date,ethnicity,admitted_on,official_on,ended_on,end_reason\n"
#define PERIODS_HEAD "member_id,valid_from,valid_to,org_code,residence_code\n"

/* Imports a registry given as the rows (no header) of the five files. */
static void build(struct fx *f, const char *units, const char *insts, const char *orgs, const char *members,
		  const char *periods)
{
	const char *heads[COSO_FILE_MAX] = { UNITS_HEAD, INSTS_HEAD, ORGS_HEAD, MEMBERS_HEAD, PERIODS_HEAD };
	const char *rows[COSO_FILE_MAX] = { units, insts, orgs, members, periods };
	char dir[128];
	coso_diag diag = COSO_DIAG_INIT;
	int rc;

	snprintf(dir, sizeof(dir), "%s/in", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	for (int i = 0; i < COSO_FILE_MAX; i++) {
		char p[256];
		FILE *fp;

		snprintf(p, sizeof(p), "%s/%s", dir, coso_file_name((coso_file)i));
		fp = fopen(p, "wb");
		assert_non_null(fp);
		fputs(heads[i], fp);
		fputs(rows[i] ? rows[i] : "", fp);
		assert_int_equal(fclose(fp), 0);
	}
	rc = coso_import_dir(f->st, dir, &diag, NULL, NULL);
	if (rc != 0) {
		for (size_t i = 0; i < diag.n; i++)
			print_error("  %s\n", diag.msgs[i]);
		coso_diag_clear(&diag);
		fail_msg("the test registry does not import: %s", coso_error_last());
	}
	coso_diag_clear(&diag);
	rm_rf(dir);
}

/* ---- reports and figures --------------------------------------------------------- */

/* Builds the as-of report into f->asof (clearing the previous one). */
static const coso_report_asof *asof(struct fx *f, const char *scope, coso_day d)
{
	int rc;

	coso_report_asof_clear(&f->asof);
	rc = coso_report_asof_build(f->st, scope, d, &f->asof);
	if (rc != 0)
		fail_msg("as-of report failed (%d): %s", rc, coso_error_last());
	return &f->asof;
}

static const coso_report_flow *flow(struct fx *f, const char *scope, coso_day from, coso_day to)
{
	int rc;

	coso_report_flow_clear(&f->flow);
	rc = coso_report_flow_build(f->st, scope, from, to, &f->flow);
	if (rc != 0)
		fail_msg("flow report failed (%d): %s", rc, coso_error_last());
	return &f->flow;
}

/* Villages (total, with_org, without_member), schools (total, with_org),
 * health stations (total, with_org), members (total, probationary). */
#define FIGS(vt, vo, vw, st, so, ht, ho, mt, mp) ((coso_figures){ vt, vo, vw, st, so, ht, ho, mt, mp })

static void check_figs(const coso_figures *got, coso_figures want, const char *what, int line)
{
	const long long *g = &got->villages_total, *w = &want.villages_total;
	static const char *const names[] = {
		"villages_total", "villages_with_org", "villages_without_member", "schools_total",
		"schools_with_org", "health_total", "health_with_org", "members_total", "members_probationary",
	};

	_Static_assert(sizeof(coso_figures) == 9 * sizeof(long long), "coso_figures changed");
	for (int i = 0; i < 9; i++)
		if (g[i] != w[i])
			fail_msg("line %d: %s: %s is %lld, expected %lld", line, what, names[i], g[i], w[i]);
}
#define EXPECT_TOTAL(r, ...) check_figs(&(r)->total, FIGS(__VA_ARGS__), "total", __LINE__)

/* The figures of child `code` of the report (which must be there). */
static void check_child(const coso_report_asof *r, const char *code, coso_figures want, int line)
{
	for (size_t i = 0; i < r->nchildren; i++)
		if (strcmp(r->children[i].code, code) == 0) {
			check_figs(&r->child_figures[i], want, code, line);
			return;
		}
	fail_msg("line %d: no child %s", line, code);
}
#define EXPECT_CHILD(r, code, ...) check_child(r, code, FIGS(__VA_ARGS__), __LINE__)

/* The codes of the children, comma separated. */
static const char *child_codes(const coso_report_asof *r)
{
	static char buf[256];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->nchildren; i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? "," : "", r->children[i].code);
	return buf;
}

/* Flow counts: admissions (total, commune level), founded and dissolved
 * (village, school, health_station, other). */
static void check_flow(const coso_flow *got, const long long want[10], int line)
{
	const long long g[10] = {
		got->admissions, got->admissions_commune,
		got->founded[COSO_SITE_VILLAGE], got->founded[COSO_SITE_SCHOOL],
		got->founded[COSO_SITE_HEALTH], got->founded[COSO_SITE_OTHER],
		got->dissolved[COSO_SITE_VILLAGE], got->dissolved[COSO_SITE_SCHOOL],
		got->dissolved[COSO_SITE_HEALTH], got->dissolved[COSO_SITE_OTHER],
	};
	static const char *const names[] = {
		"admissions", "admissions_commune", "founded village", "founded school", "founded health_station",
		"founded other", "dissolved village", "dissolved school", "dissolved health_station",
		"dissolved other",
	};

	for (int i = 0; i < 10; i++)
		if (g[i] != want[i])
			fail_msg("line %d: %s is %lld, expected %lld", line, names[i], g[i], want[i]);
}
#define EXPECT_FLOW(r, adm, adm_c, fv, fs, fh, fo, dv, ds, dh, dob) \
	check_flow(&(r)->flow, (const long long[10]){ adm, adm_c, fv, fs, fh, fo, dv, ds, dh, dob }, __LINE__)

/* Whether `got` holds everything of `want`: the same scalars, every key of
 * an object (more keys are allowed: the contract welcomes them), arrays of
 * the same length whose elements hold the wanted ones. */
static bool json_holds(json_t *got, json_t *want)
{
	if (json_is_object(want)) {
		const char *key;
		json_t *v;

		if (!json_is_object(got))
			return false;
		json_object_foreach(want, key, v) {
			if (!json_holds(json_object_get(got, key), v))
				return false;
		}
		return true;
	}
	if (json_is_array(want)) {
		if (!json_is_array(got) || json_array_size(got) != json_array_size(want))
			return false;
		for (size_t i = 0; i < json_array_size(want); i++)
			if (!json_holds(json_array_get(got, i), json_array_get(want, i)))
				return false;
		return true;
	}
	return got && json_equal(got, want);
}

/* Asserts that the JSON holds the contract's keys with the values of `want`
 * (written with ' for " for readability). */
static void check_json(json_t *got, const char *want_sq, int line)
{
	char *want_text = strdup(want_sq), *got_text;
	json_error_t err;
	json_t *want;

	assert_non_null(got);
	assert_non_null(want_text);
	for (char *p = want_text; *p; p++)
		if (*p == '\'')
			*p = '"';
	want = json_loads(want_text, 0, &err);
	free(want_text);
	if (!want) {
		json_decref(got);
		fail_msg("line %d: bad expected JSON: %s", line, err.text);
	}
	if (!json_holds(got, want)) {
		got_text = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT);
		print_error("got: %s\n", got_text ? got_text : "?");
		free(got_text);
		got_text = json_dumps(want, JSON_SORT_KEYS | JSON_COMPACT);
		print_error("want: %s\n", got_text ? got_text : "?");
		free(got_text);
		json_decref(got);
		json_decref(want);
		fail_msg("line %d: the JSON differs", line);
	}
	json_decref(got);
	json_decref(want);
}
#define EXPECT_JSON(got, want) check_json(got, want, __LINE__)

/* The backbone most tests share: a province, a district, a commune, the
 * province committee OP and the commune's grassroots committee OC. */
#define BACKBONE_UNITS                                  \
	"01,Tỉnh Một,province,tỉnh,,,\n"                \
	"001,Huyện Một,district,huyện,01,,\n"           \
	"00001,Xã Một,commune,xã,001,,\n"
#define BACKBONE_ORGS                                         \
	"OP,Đảng bộ tỉnh,committee,0,,01,,,\n"                \
	"OC,Đảng bộ xã Một,committee,1,OP,00001,,,\n"

/* ---- as of a day ------------------------------------------------------------------- */

static void records__count_from_their_valid_from_and_not_from_their_valid_to(void **state)
{
	struct fx *f = *state;
	const coso_report_asof *r;

	build(f,
	      BACKBONE_UNITS
	      "V1,Bản Một,village,bản,00001,2016-03-01,2018-01-01\n",
	      "S1,Trường Một,school,00001,2016-09-01,2017-09-01\n"
	      "H1,Trạm Y tế,health_station,00001,2016-09-01,\n"
	      "A1,UBND xã,agency,00001,,\n",
	      BACKBONE_ORGS
	      "CV,Chi bộ bản Một,cell,0,OC,V1,,2016-05-01,2018-01-01\n"
	      "CS,Chi bộ trường Một,cell,0,OC,,S1,2017-01-01,2017-09-01\n"
	      "CH,Chi bộ trạm y tế,cell,0,OC,,H1,2017-09-01,\n",
	      NULL, NULL);

	/* The day before V1: nothing in the commune yet (A1, an agency, is
	 * never counted). */
	r = asof(f, NULL, D(2016, 2, 29));
	assert_string_equal(r->scope.code, "01");
	assert_string_equal(child_codes(r), "001");
	EXPECT_TOTAL(r, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	/* V1's first day: 1 village, no cell yet (CV from 05-01), white (no member) */
	r = asof(f, NULL, D(2016, 3, 1));
	EXPECT_TOTAL(r, 1, 0, 1, 0, 0, 0, 0, 0, 0);
	EXPECT_CHILD(r, "001", 1, 0, 1, 0, 0, 0, 0, 0, 0);
	/* CV's first day: V1 has an organization */
	r = asof(f, NULL, D(2016, 5, 1));
	EXPECT_TOTAL(r, 1, 1, 1, 0, 0, 0, 0, 0, 0);
	/* S1 and H1 from 2016-09-01, without a cell */
	r = asof(f, NULL, D(2016, 9, 1));
	EXPECT_TOTAL(r, 1, 1, 1, 1, 0, 1, 0, 0, 0);
	/* CS's first day */
	r = asof(f, NULL, D(2017, 1, 1));
	EXPECT_TOTAL(r, 1, 1, 1, 1, 1, 1, 0, 0, 0);
	/* the last day of S1 and CS */
	r = asof(f, NULL, D(2017, 8, 31));
	EXPECT_TOTAL(r, 1, 1, 1, 1, 1, 1, 0, 0, 0);
	/* S1's valid_to: gone; CH's first day: H1 has a cell */
	r = asof(f, NULL, D(2017, 9, 1));
	EXPECT_TOTAL(r, 1, 1, 1, 0, 0, 1, 1, 0, 0);
	/* the last day of V1 and CV */
	r = asof(f, NULL, D(2017, 12, 31));
	EXPECT_TOTAL(r, 1, 1, 1, 0, 0, 1, 1, 0, 0);
	/* V1's valid_to: gone */
	r = asof(f, NULL, D(2018, 1, 1));
	EXPECT_TOTAL(r, 0, 0, 0, 0, 0, 1, 1, 0, 0);
}

static void a_member__is_active_from_admitted_on_until_ended_on_and_official_from_official_on(void **state)
{
	struct fx *f = *state;
	const coso_report_asof *r;

	/* M1's period starts a year before the admission and never ends, so
	 * only admitted_on and ended_on limit when M1 counts. M2 is admitted
	 * the day M1 becomes official, never official, and gives no residence. */
	build(f,
	      BACKBONE_UNITS "V1,Bản Một,village,bản,00001,,\n",
	      NULL,
	      BACKBONE_ORGS "CV,Chi bộ bản Một,cell,0,OC,V1,,,\n",
	      "M1,Lò Văn A,male,1980-01-01,Thái,2015-01-01,2016-01-01,2017-01-01,left\n"
	      "M2,Lò Thị B,female,1990-01-01,Thái,2016-01-01,,,\n",
	      "M1,2014-01-01,,CV,V1\n"
	      "M2,2016-01-01,,CV,\n");

	/* before the admission: M1's period names V1, but M1 is not active */
	r = asof(f, NULL, D(2014, 12, 31));
	EXPECT_TOTAL(r, 1, 1, 1, 0, 0, 0, 0, 0, 0);
	/* admitted_on: M1 active and probationary (official_on 2016-01-01 > D) */
	r = asof(f, NULL, D(2015, 1, 1));
	EXPECT_TOTAL(r, 1, 1, 0, 0, 0, 0, 0, 1, 1);
	r = asof(f, NULL, D(2015, 12, 31));
	EXPECT_TOTAL(r, 1, 1, 0, 0, 0, 0, 0, 1, 1);
	/* official_on: M1 official; M2 admitted that day, probationary: 2 / 1 */
	r = asof(f, "00001", D(2016, 1, 1));
	EXPECT_TOTAL(r, 1, 1, 0, 0, 0, 0, 0, 2, 1);
	EXPECT_CHILD(r, "V1", 1, 1, 0, 0, 0, 0, 0, 2, 1);
	EXPECT_JSON(coso_report_asof_json(r),
		    "{'as_of': '2016-01-01', 'scope': {'code': '00001', 'name': 'Xã Một'},"
		    " 'villages': {'total': 1, 'with_org': 1, 'without_org': 0, 'without_member': 0},"
		    " 'schools': {'total': 0, 'with_org': 0}, 'health_stations': {'total': 0, 'with_org': 0},"
		    " 'members': {'total': 2, 'probationary': 1, 'official': 1},"
		    " 'children': [{'code': 'V1', 'name': 'Bản Một',"
		    "  'villages': {'total': 1, 'with_org': 1, 'without_org': 0, 'without_member': 0},"
		    "  'schools': {'total': 0, 'with_org': 0}, 'health_stations': {'total': 0, 'with_org': 0},"
		    "  'members': {'total': 2, 'probationary': 1, 'official': 1}}]}");
	/* M1's last day */
	r = asof(f, NULL, D(2016, 12, 31));
	EXPECT_TOTAL(r, 1, 1, 0, 0, 0, 0, 0, 2, 1);
	/* ended_on: M1 gone although its period goes on; M2 names no
	 * residence, so V1 is white again */
	r = asof(f, NULL, D(2017, 1, 1));
	EXPECT_TOTAL(r, 1, 1, 1, 0, 0, 0, 0, 1, 1);
}

static void a_white_village__has_no_active_member_whose_period_names_it(void **state)
{
	struct fx *f = *state;
	const coso_report_asof *r;

	build(f,
	      BACKBONE_UNITS
	      "00002,Xã Hai,commune,xã,001,,\n"
	      "VA,Bản A,village,bản,00001,,\n"
	      "VB,Bản B,village,bản,00001,,\n"
	      "VC,Bản C,village,bản,00001,,\n"
	      "VE,Bản E,village,bản,00001,,\n",
	      NULL,
	      BACKBONE_ORGS
	      "OC2,Đảng bộ xã Hai,committee,1,OP,00002,,,\n"
	      "CA,Chi bộ bản A,cell,0,OC,VA,,,\n",
	      "M1,Lò Văn A,male,1980-01-01,Thái,2010-01-01,2011-01-01,,\n"
	      "M2,Lò Văn B,male,1940-01-01,Thái,2010-01-01,2011-01-01,2017-01-01,died\n"
	      "M3,Lò Văn C,male,1995-01-01,Thái,2019-01-01,,,\n"
	      "M4,Lò Văn E,male,1980-01-01,Thái,2010-01-01,2011-01-01,,\n",
	      "M1,2010-01-01,,CA,VA\n"  /* active, lives in VA */
	      "M2,2010-01-01,,CA,VB\n"  /* died 2017: the period still names VB */
	      "M3,2018-01-01,,CA,VC\n"  /* names VC from 2018, admitted only in 2019 */
	      "M4,2010-01-01,,OC2,VE\n" /* lives in VE, belongs to commune 00002 */);

	/* As of 2018-06-01, commune 00001: villages VA VB VC VE = 4; with an
	 * organization: VA (CA) = 1; white: VB (M2 not active), VC (M3 not yet
	 * active) = 2 (VE has M4, whatever M4's organization). Members: M1
	 * only (M2 gone, M3 not admitted, M4's OC2 sits in 00002). */
	r = asof(f, "00001", D(2018, 6, 1));
	EXPECT_TOTAL(r, 4, 1, 2, 0, 0, 0, 0, 1, 0);
	assert_string_equal(child_codes(r), "VA,VB,VC,VE");
	EXPECT_CHILD(r, "VA", 1, 1, 0, 0, 0, 0, 0, 1, 0);
	EXPECT_CHILD(r, "VB", 1, 0, 1, 0, 0, 0, 0, 0, 0);
	EXPECT_CHILD(r, "VC", 1, 0, 1, 0, 0, 0, 0, 0, 0);
	EXPECT_CHILD(r, "VE", 1, 0, 0, 0, 0, 0, 0, 0, 0);
	/* commune 00002: no village; M4 */
	r = asof(f, "00002", D(2018, 6, 1));
	EXPECT_TOTAL(r, 0, 0, 0, 0, 0, 0, 0, 1, 0);
	/* the province: the same villages, members M1 and M4 */
	r = asof(f, NULL, D(2018, 6, 1));
	EXPECT_TOTAL(r, 4, 1, 2, 0, 0, 0, 0, 2, 0);
	/* 2019-01-01: M3 admitted (probationary), VC no longer white: white = VB */
	r = asof(f, "00001", D(2019, 1, 1));
	EXPECT_TOTAL(r, 4, 1, 1, 0, 0, 0, 0, 2, 1);
}

static void institutions_and_orgs__are_in_scope_through_their_units_ancestors_of_the_day(void **state)
{
	struct fx *f = *state;
	const coso_report_asof *r;

	/* Commune 00001 moves from district 001 to 002 on 2020-01-01. S1
	 * stands in village V1, H1 in the commune; CS sits in S1, CH in H1. */
	build(f,
	      "01,Tỉnh Một,province,tỉnh,,,\n"
	      "001,Huyện Một,district,huyện,01,,\n"
	      "002,Huyện Hai,district,huyện,01,,\n"
	      "00001,Xã Một,commune,xã,001,,2020-01-01\n"
	      "00001,Xã Một,commune,xã,002,2020-01-01,\n"
	      "V1,Bản Một,village,bản,00001,,\n",
	      "S1,Trường Một,school,V1,,\n"
	      "H1,Trạm Y tế,health_station,00001,,\n",
	      BACKBONE_ORGS
	      "CS,Chi bộ trường,cell,0,OC,,S1,,\n"
	      "CH,Chi bộ trạm y tế,cell,0,OC,,H1,,\n",
	      "M1,Lò Văn A,male,1980-01-01,Thái,2010-01-01,2011-01-01,,\n"
	      "M2,Lò Thị B,female,1990-01-01,Thái,2010-01-01,,,\n",
	      "M1,2010-01-01,,CS,V1\n"
	      "M2,2010-01-01,,CH,\n");

	/* 2019-12-31, district 001: village V1 (no organization sits in V1
	 * itself: CS sits in the school), not white (M1 lives there); school
	 * S1 via V1 > 00001 > 001, with CS; H1 via 00001 > 001, with CH;
	 * members M1 (CS > S1 > V1) and M2 (CH > H1 > 00001), M2 probationary. */
	r = asof(f, "001", D(2019, 12, 31));
	assert_string_equal(r->scope.name, "Huyện Một");
	assert_string_equal(child_codes(r), "00001");
	EXPECT_TOTAL(r, 1, 0, 0, 1, 1, 1, 1, 2, 1);
	EXPECT_CHILD(r, "00001", 1, 0, 0, 1, 1, 1, 1, 2, 1);
	/* district 002 does not hold the commune yet */
	r = asof(f, "002", D(2019, 12, 31));
	assert_string_equal(child_codes(r), "");
	EXPECT_TOTAL(r, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	/* commune 00001: H1 stands in the commune itself, so it counts in the
	 * total but in no child; V1 holds S1 and M1 */
	r = asof(f, "00001", D(2019, 12, 31));
	EXPECT_TOTAL(r, 1, 0, 0, 1, 1, 1, 1, 2, 1);
	EXPECT_CHILD(r, "V1", 1, 0, 0, 1, 1, 0, 0, 1, 0);
	/* from 2020-01-01 everything is under 002 */
	r = asof(f, "001", D(2020, 1, 1));
	EXPECT_TOTAL(r, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	r = asof(f, "002", D(2020, 1, 1));
	EXPECT_TOTAL(r, 1, 0, 0, 1, 1, 1, 1, 2, 1);
	/* and the province counts it once, under 002 */
	r = asof(f, NULL, D(2020, 1, 1));
	assert_string_equal(child_codes(r), "001,002");
	EXPECT_TOTAL(r, 1, 0, 0, 1, 1, 1, 1, 2, 1);
	EXPECT_CHILD(r, "001", 0, 0, 0, 0, 0, 0, 0, 0, 0);
	EXPECT_CHILD(r, "002", 1, 0, 0, 1, 1, 1, 1, 2, 1);
}

/* ---- scopes ------------------------------------------------------------------------- */

static void several_top_units__make_the_scope_the_whole_country(void **state)
{
	struct fx *f = *state;
	const coso_report_asof *r;
	const coso_report_flow *fl;

	/* Province 02 exists from 2016-01-01. Villages directly under their
	 * province (a level may be skipped). */
	build(f,
	      "01,Tỉnh Một,province,tỉnh,,,\n"
	      "02,Tỉnh Hai,province,tỉnh,,2016-01-01,\n"
	      "V1,Bản Một,village,bản,01,,\n"
	      "V2,Bản Hai,village,bản,02,2016-01-01,\n"
	      "V3,Bản Ba,village,bản,02,2016-01-01,\n",
	      NULL,
	      "O1,Đảng bộ tỉnh Một,committee,1,,01,,,\n"
	      "O2,Đảng bộ tỉnh Hai,committee,1,,02,,2016-01-01,\n"
	      "CV1,Chi bộ bản Một,cell,0,O1,V1,,,\n",
	      "M1,Lò Văn A,male,1980-01-01,Thái,2015-01-01,2016-01-01,,\n"
	      "M2,Lò Thị B,female,1990-01-01,Thái,2016-06-01,,,\n",
	      "M1,2015-01-01,,CV1,V1\n"
	      "M2,2016-06-01,,O2,\n");

	/* 2015-06-01: 01 is the only top unit, so it is the scope */
	r = asof(f, NULL, D(2015, 6, 1));
	assert_string_equal(r->scope.code, "01");
	assert_string_equal(r->scope.name, "Tỉnh Một");
	assert_string_equal(child_codes(r), "V1");
	EXPECT_TOTAL(r, 1, 1, 0, 0, 0, 0, 0, 1, 1);

	/* 2017-01-01: two top units. 01: V1 with CV1, M1 lives there, M1
	 * official; 02: V2 V3 without organization, white, M2 probationary. */
	r = asof(f, NULL, D(2017, 1, 1));
	EXPECT_TOTAL(r, 3, 1, 2, 0, 0, 0, 0, 2, 1);
	EXPECT_JSON(coso_report_asof_json(r),
		    "{'as_of': '2017-01-01', 'scope': {'code': '', 'name': 'Toàn quốc'},"
		    " 'villages': {'total': 3, 'with_org': 1, 'without_org': 2, 'without_member': 2},"
		    " 'schools': {'total': 0, 'with_org': 0}, 'health_stations': {'total': 0, 'with_org': 0},"
		    " 'members': {'total': 2, 'probationary': 1, 'official': 1},"
		    " 'children': ["
		    "  {'code': '01', 'name': 'Tỉnh Một',"
		    "   'villages': {'total': 1, 'with_org': 1, 'without_org': 0, 'without_member': 0},"
		    "   'schools': {'total': 0, 'with_org': 0}, 'health_stations': {'total': 0, 'with_org': 0},"
		    "   'members': {'total': 1, 'probationary': 0, 'official': 1}},"
		    "  {'code': '02', 'name': 'Tỉnh Hai',"
		    "   'villages': {'total': 2, 'with_org': 0, 'without_org': 2, 'without_member': 2},"
		    "   'schools': {'total': 0, 'with_org': 0}, 'health_stations': {'total': 0, 'with_org': 0},"
		    "   'members': {'total': 1, 'probationary': 1, 'official': 0}}]}");

	/* The flow of 2015-2016 over the whole country: M1 and M2 admitted;
	 * neither is of commune level (O1 and O2, their nearest grassroots
	 * organizations, sit in provinces); O2 and V2 / V3 are founded on
	 * 2016-01-01, O2 in a province: other. */
	fl = flow(f, NULL, D(2015, 1, 1), D(2016, 12, 31));
	assert_string_equal(fl->scope.code, "");
	assert_string_equal(fl->scope.name, COSO_REPORT_ALL_NAME);
	EXPECT_FLOW(fl, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0);
	EXPECT_JSON(coso_report_flow_json(fl),
		    "{'from': '2015-01-01', 'to': '2016-12-31', 'scope': {'code': '', 'name': 'Toàn quốc'},"
		    " 'admissions': {'total': 2, 'commune_level': 0},"
		    " 'orgs_founded': {'village': 0, 'school': 0, 'health_station': 0, 'other': 1},"
		    " 'orgs_dissolved': {'village': 0, 'school': 0, 'health_station': 0, 'other': 0}}");
	/* scope 02 alone: M2 and O2 */
	fl = flow(f, "02", D(2015, 1, 1), D(2016, 12, 31));
	EXPECT_FLOW(fl, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0);
}

static void a_scope_that_exists_only_at_another_time__is_named_empty_and_counts_zero(void **state)
{
	struct fx *f = *state;
	const coso_report_asof *r;
	const coso_report_flow *fl;
	coso_report_asof never;

	/* District 001 is abolished on 2025-07-01, its commune moved under the
	 * province. M1 admitted in 2021 by the village cell. */
	build(f,
	      "01,Tỉnh Một,province,tỉnh,,,\n"
	      "001,Huyện Một,district,huyện,01,,2025-07-01\n"
	      "00001,Xã Một,commune,xã,001,,2025-07-01\n"
	      "00001,Xã Một,commune,xã,01,2025-07-01,\n"
	      "V1,Bản Một,village,bản,00001,,\n",
	      NULL,
	      BACKBONE_ORGS "CV,Chi bộ bản Một,cell,0,OC,V1,,,\n",
	      "M1,Lò Văn A,male,1980-01-01,Thái,2021-03-01,,,\n",
	      "M1,2021-03-01,,CV,V1\n");

	/* before: V1 with CV and M1 (probationary) */
	r = asof(f, "001", D(2024, 1, 1));
	assert_string_equal(r->scope.name, "Huyện Một");
	EXPECT_TOTAL(r, 1, 1, 0, 0, 0, 0, 0, 1, 1);
	/* after: code kept, name empty, all zeros, no children */
	r = asof(f, "001", D(2026, 1, 1));
	assert_int_equal(r->nchildren, 0);
	EXPECT_JSON(coso_report_asof_json(r),
		    "{'as_of': '2026-01-01', 'scope': {'code': '001', 'name': ''},"
		    " 'villages': {'total': 0, 'with_org': 0, 'without_org': 0, 'without_member': 0},"
		    " 'schools': {'total': 0, 'with_org': 0}, 'health_stations': {'total': 0, 'with_org': 0},"
		    " 'members': {'total': 0, 'probationary': 0, 'official': 0}, 'children': []}");
	/* the flow is named as of `to` (empty) but counts what happened under
	 * 001 while it existed: M1's admission in 2021, of commune level
	 * (CV > OC, grassroots, in commune 00001) */
	fl = flow(f, "001", D(2020, 1, 1), D(2026, 1, 1));
	EXPECT_JSON(coso_report_flow_json(fl),
		    "{'from': '2020-01-01', 'to': '2026-01-01', 'scope': {'code': '001', 'name': ''},"
		    " 'admissions': {'total': 1, 'commune_level': 1},"
		    " 'orgs_founded': {'village': 0, 'school': 0, 'health_station': 0, 'other': 0},"
		    " 'orgs_dissolved': {'village': 0, 'school': 0, 'health_station': 0, 'other': 0}}");
	/* a code never in the registry is an error */
	assert_int_equal(coso_report_asof_build(f->st, "999", D(2026, 1, 1), &never), COSO_EINVALID);
	assert_non_null(strstr(coso_error_last(), "999 is not in the registry"));
	coso_report_asof_clear(&never);
	coso_report_flow_clear(&f->flow);
	assert_int_equal(coso_report_flow_build(f->st, "999", D(2020, 1, 1), D(2026, 1, 1), &f->flow),
			 COSO_EINVALID);
}

/* ---- flows ----------------------------------------------------------------------------- */

static void admissions__are_counted_in_the_tree_of_admitted_on(void **state)
{
	struct fx *f = *state;
	const coso_report_flow *fl;

	/* Commune 00002 moves from district 001 to 002 on 2020-01-01. M1 is
	 * admitted before the move, M2 after, both by the village cell CV2. */
	build(f,
	      "01,Tỉnh Một,province,tỉnh,,,\n"
	      "001,Huyện Một,district,huyện,01,,\n"
	      "002,Huyện Hai,district,huyện,01,,\n"
	      "00002,Xã Hai,commune,xã,001,,2020-01-01\n"
	      "00002,Xã Hai,commune,xã,002,2020-01-01,\n"
	      "V2,Bản Hai,village,bản,00002,,\n",
	      NULL,
	      "OP,Đảng bộ tỉnh,committee,0,,01,,,\n"
	      "OC2,Đảng bộ xã Hai,committee,1,OP,00002,,,\n"
	      "CV2,Chi bộ bản Hai,cell,0,OC2,V2,,,\n",
	      "M1,Lò Văn A,male,1980-01-01,Thái,2019-05-01,,,\n"
	      "M2,Lò Văn B,male,1980-01-01,Thái,2020-05-01,,,\n",
	      "M1,2019-05-01,,CV2,V2\n"
	      "M2,2020-05-01,,CV2,V2\n");

	/* 001: M1 (00002 was under 001 on 2019-05-01), commune level (CV2 >
	 * OC2, grassroots, in a commune). M2 is not: on 2020-05-01 00002 is
	 * under 002. */
	fl = flow(f, "001", D(2019, 1, 1), D(2020, 12, 31));
	EXPECT_FLOW(fl, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
	fl = flow(f, "002", D(2019, 1, 1), D(2020, 12, 31));
	EXPECT_FLOW(fl, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
	fl = flow(f, "00002", D(2019, 1, 1), D(2020, 12, 31));
	EXPECT_FLOW(fl, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0);
	fl = flow(f, NULL, D(2019, 1, 1), D(2020, 12, 31));
	assert_string_equal(fl->scope.code, "01");
	EXPECT_FLOW(fl, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0);
	/* both ends of the period are included ... */
	fl = flow(f, NULL, D(2019, 5, 1), D(2020, 5, 1));
	EXPECT_FLOW(fl, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0);
	/* ... and the days just outside are not */
	fl = flow(f, NULL, D(2019, 5, 2), D(2020, 4, 30));
	EXPECT_FLOW(fl, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	/* a one-day period */
	fl = flow(f, "002", D(2020, 5, 1), D(2020, 5, 1));
	EXPECT_FLOW(fl, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
}

static void commune_level__follows_the_nearest_grassroots_organization_of_the_day(void **state)
{
	struct fx *f = *state;
	const coso_report_flow *fl;

	/*
	 * OP (province, not grassroots) > OD (district, not grassroots) >
	 *   OC  grassroots committee in commune 00001 > CV cell in village V1
	 *   CA  grassroots cell in the agency A1 (an institution)
	 *   OE  grassroots committee in district 001 > CE cell in district 001
	 * CV moves from OC to OD on 2019-01-01.
	 */
	build(f,
	      BACKBONE_UNITS "V1,Bản Một,village,bản,00001,,\n",
	      "A1,UBND xã Một,agency,00001,,\n",
	      "OP,Đảng bộ tỉnh,committee,0,,01,,,\n"
	      "OD,Đảng bộ huyện,committee,0,OP,001,,,\n"
	      "OC,Đảng bộ xã Một,committee,1,OD,00001,,,\n"
	      "CV,Chi bộ bản Một,cell,0,OC,V1,,,2019-01-01\n"
	      "CV,Chi bộ bản Một,cell,0,OD,V1,,2019-01-01,\n"
	      "CA,Chi bộ UBND xã,cell,1,OD,,A1,,\n"
	      "OE,Đảng bộ cơ quan huyện,committee,1,OD,001,,,\n"
	      "CE,Chi bộ cơ quan,cell,0,OE,001,,,\n",
	      "M1,A,male,1980-01-01,Thái,2018-03-01,,,\n"
	      "M2,B,male,1980-01-01,Thái,2018-03-01,,,\n"
	      "M3,C,male,1980-01-01,Thái,2018-03-01,,,\n"
	      "M4,D,male,1980-01-01,Thái,2018-03-01,,,\n"
	      "M5,E,male,1980-01-01,Thái,2019-06-01,,,\n",
	      "M1,2018-03-01,,CV,\n"
	      "M2,2018-03-01,,CA,\n"
	      "M3,2018-03-01,,CE,\n"
	      "M4,2018-03-01,,OC,\n"
	      "M5,2019-06-01,,CV,\n");

	/* 2018: M1 by CV, whose nearest grassroots is OC in a commune: yes;
	 * M2 by CA, grassroots itself, sitting in an institution: no; M3 by CE,
	 * nearest grassroots OE in a district: no; M4 by OC itself: yes. */
	fl = flow(f, NULL, D(2018, 1, 1), D(2018, 12, 31));
	EXPECT_FLOW(fl, 4, 2, 0, 0, 0, 0, 0, 0, 0, 0);
	/* scope commune 00001: M1 (CV in V1), M2 (CA in A1, in 00001), M4
	 * (OC in 00001); M3's CE sits in the district */
	fl = flow(f, "00001", D(2018, 1, 1), D(2018, 12, 31));
	EXPECT_FLOW(fl, 3, 2, 0, 0, 0, 0, 0, 0, 0, 0);
	/* 2019: M5 by CV, now directly under OD: no grassroots above, so not
	 * of commune level (M1's admission in 2018 still was) */
	fl = flow(f, NULL, D(2019, 1, 1), D(2019, 12, 31));
	EXPECT_FLOW(fl, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	fl = flow(f, NULL, D(2018, 1, 1), D(2019, 12, 31));
	EXPECT_FLOW(fl, 5, 2, 0, 0, 0, 0, 0, 0, 0, 0);
}

static void founded_and_dissolved__are_counted_by_category_where_the_org_sat(void **state)
{
	struct fx *f = *state;
	const coso_report_flow *fl;

	/*
	 * Village VW moves from commune 00001 to 00002 on 2017-01-01; village
	 * VX (in 00001) closes that day. Institutions of 00001: S1 school,
	 * H1 health station, A1 agency, X1 other.
	 *
	 * Founded in 2016: FV (village VW), FS (S1), FH (H1), FA (A1: other),
	 * FX (X1: other), FC (a committee in commune 00002: other).
	 * RR is re-parented in 2016 (a second row): neither founded nor
	 * dissolved then.
	 * Dissolved with valid_to 2017-01-01: DX (VX, which closes the same
	 * day; on DX's last day, 2016-12-31, VX is a village of 00001) and DW
	 * (VW, in 00001 on 2016-12-31). DS (S1) is dissolved on 2017-06-01.
	 * FW is founded on 2017-01-01 in VW, under 00002 that day.
	 */
	build(f,
	      BACKBONE_UNITS
	      "00002,Xã Hai,commune,xã,001,,\n"
	      "VW,Bản W,village,bản,00001,,2017-01-01\n"
	      "VW,Bản W,village,bản,00002,2017-01-01,\n"
	      "VX,Bản X,village,bản,00001,,2017-01-01\n",
	      "S1,Trường,school,00001,,\n"
	      "H1,Trạm y tế,health_station,00001,,\n"
	      "A1,UBND xã,agency,00001,,\n"
	      "X1,Hợp tác xã,other,00001,,\n",
	      BACKBONE_ORGS
	      "OC2,Đảng bộ xã Hai,committee,1,OP,00002,,,\n"
	      "FV,Chi bộ bản W,cell,0,OC,VW,,2016-02-01,\n"
	      "FS,Chi bộ trường,cell,0,OC,,S1,2016-03-01,\n"
	      "FH,Chi bộ trạm y tế,cell,0,OC,,H1,2016-04-01,\n"
	      "FA,Chi bộ UBND,cell,0,OC,,A1,2016-05-01,\n"
	      "FX,Chi bộ HTX,cell,0,OC,,X1,2016-06-01,\n"
	      "FC,Đảng bộ cơ sở mới,committee,1,OP,00002,,2016-07-01,\n"
	      "RR,Chi bộ chuyển,cell,0,OC,VW,,,2016-08-01\n"
	      "RR,Chi bộ chuyển,cell,0,OC2,VW,,2016-08-01,\n"
	      "DX,Chi bộ bản X,cell,0,OC,VX,,,2017-01-01\n"
	      "DW,Chi bộ bản W cũ,cell,0,OC,VW,,,2017-01-01\n"
	      "DS,Chi bộ trường cũ,cell,0,OC,,S1,,2017-06-01\n"
	      "FW,Chi bộ bản W mới,cell,0,OC2,VW,,2017-01-01,\n",
	      NULL, NULL);

	/* 2016: founded village 1 (FV), school 1 (FS), health 1 (FH), other 3
	 * (FA, FX, FC); no dissolution (DX and DW end on 2017-01-01: their
	 * valid_to is not in 2016, although their last day is). */
	fl = flow(f, NULL, D(2016, 1, 1), D(2016, 12, 31));
	EXPECT_FLOW(fl, 0, 0, 1, 1, 1, 3, 0, 0, 0, 0);
	EXPECT_JSON(coso_report_flow_json(fl),
		    "{'from': '2016-01-01', 'to': '2016-12-31', 'scope': {'code': '01', 'name': 'Tỉnh Một'},"
		    " 'admissions': {'total': 0, 'commune_level': 0},"
		    " 'orgs_founded': {'village': 1, 'school': 1, 'health_station': 1, 'other': 3},"
		    " 'orgs_dissolved': {'village': 0, 'school': 0, 'health_station': 0, 'other': 0}}");
	/* 2016 in commune 00002: FC only (FV's VW was in 00001 on 2016-02-01) */
	fl = flow(f, "00002", D(2016, 1, 1), D(2016, 12, 31));
	EXPECT_FLOW(fl, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0);
	/* 2017: founded FW (village); dissolved DX and DW (villages: their
	 * sites on their last day), DS (school) */
	fl = flow(f, NULL, D(2017, 1, 1), D(2017, 12, 31));
	EXPECT_FLOW(fl, 0, 0, 1, 0, 0, 0, 2, 1, 0, 0);
	/* 2017 in 00001: DX, DW (VW still in 00001 on 2016-12-31) and DS;
	 * FW is not (VW is in 00002 on 2017-01-01) */
	fl = flow(f, "00001", D(2017, 1, 1), D(2017, 12, 31));
	EXPECT_FLOW(fl, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0);
	/* 2017 in 00002: FW only */
	fl = flow(f, "00002", D(2017, 1, 1), D(2017, 12, 31));
	EXPECT_FLOW(fl, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0);
	/* [2016-06-01, 2017-01-01], both ends included: founded FX (06-01,
	 * other), FC (07-01, other), FW (2017-01-01, village); dissolved DX and
	 * DW, whose valid_to is the `to` day (villages); not DS. */
	fl = flow(f, NULL, D(2016, 6, 1), D(2017, 1, 1));
	EXPECT_FLOW(fl, 0, 0, 1, 0, 0, 2, 2, 0, 0, 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(records__count_from_their_valid_from_and_not_from_their_valid_to),
		T(a_member__is_active_from_admitted_on_until_ended_on_and_official_from_official_on),
		T(a_white_village__has_no_active_member_whose_period_names_it),
		T(institutions_and_orgs__are_in_scope_through_their_units_ancestors_of_the_day),
		T(several_top_units__make_the_scope_the_whole_country),
		T(a_scope_that_exists_only_at_another_time__is_named_empty_and_counts_zero),
		T(admissions__are_counted_in_the_tree_of_admitted_on),
		T(commune_level__follows_the_nearest_grassroots_organization_of_the_day),
		T(founded_and_dissolved__are_counted_by_category_where_the_org_sat),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
