/*
 * plans.c: the indicators of targets, and the register files
 * resolutions.csv and targets.csv (docs/PLANS.md): their columns, the
 * checks of each row, the whole-register checks, export.
 */
#include "core/plans.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_plans.h"
#include "util/error.h"

const coso_indicator coso_indicators[] = {
	{ "admissions", COSO_IND_FLOW, "đảng viên kết nạp" },
	{ "admissions_commune", COSO_IND_FLOW, "đảng viên do cấp xã kết nạp" },
	{ "orgs_founded_village", COSO_IND_FLOW, "chi bộ thôn, bản thành lập mới" },
	{ "orgs_founded_school", COSO_IND_FLOW, "chi bộ trường học thành lập mới" },
	{ "orgs_founded_health_station", COSO_IND_FLOW, "chi bộ trạm y tế thành lập mới" },
	{ "villages_without_org", COSO_IND_STOCK, "thôn, bản chưa có chi bộ" },
	{ "villages_without_member", COSO_IND_STOCK, "thôn, bản chưa có đảng viên" },
	{ "schools_without_org", COSO_IND_STOCK, "trường học chưa có chi bộ" },
	{ "health_stations_without_org", COSO_IND_STOCK, "trạm y tế chưa có chi bộ" },
	{ "schools_health_without_org", COSO_IND_STOCK, "trường học, trạm y tế chưa có chi bộ" },
	{ "villages_with_org", COSO_IND_SHARE, "thôn, bản có chi bộ" },
	{ "schools_with_org", COSO_IND_SHARE, "trường học có chi bộ" },
	{ "health_stations_with_org", COSO_IND_SHARE, "trạm y tế có chi bộ" },
	{ "schools_health_with_org", COSO_IND_SHARE, "trường học, trạm y tế có chi bộ" },
	{ NULL, COSO_IND_NONE, NULL },
};

const coso_indicator *coso_indicator_find(const char *name)
{
	for (const coso_indicator *i = coso_indicators; name && i->name; i++)
		if (strcmp(i->name, name) == 0)
			return i;
	return NULL;
}

bool coso_indicator_counts_event(const char *name, char ev, int cat)
{
	if (strcmp(name, "admissions") == 0)
		return ev == 'a';
	if (strcmp(name, "admissions_commune") == 0)
		return ev == 'c';
	if (ev != 'f')
		return false;
	if (strcmp(name, "orgs_founded_village") == 0)
		return cat == COSO_SITE_VILLAGE;
	if (strcmp(name, "orgs_founded_school") == 0)
		return cat == COSO_SITE_SCHOOL;
	if (strcmp(name, "orgs_founded_health_station") == 0)
		return cat == COSO_SITE_HEALTH;
	return false;
}

long long coso_indicator_value(const char *name, const coso_figures *f, long long *whole)
{
	long long part = 0, all = 0;

	if (strcmp(name, "villages_without_org") == 0 || strcmp(name, "villages_with_org") == 0) {
		all = f->villages_total;
		part = strstr(name, "without") ? all - f->villages_with_org : f->villages_with_org;
	} else if (strcmp(name, "villages_without_member") == 0) {
		all = f->villages_total;
		part = f->villages_without_member;
	} else if (strcmp(name, "schools_without_org") == 0 || strcmp(name, "schools_with_org") == 0) {
		all = f->schools_total;
		part = strstr(name, "without") ? all - f->schools_with_org : f->schools_with_org;
	} else if (strcmp(name, "health_stations_without_org") == 0 || strcmp(name, "health_stations_with_org") == 0) {
		all = f->health_total;
		part = strstr(name, "without") ? all - f->health_with_org : f->health_with_org;
	} else if (strcmp(name, "schools_health_without_org") == 0 || strcmp(name, "schools_health_with_org") == 0) {
		all = f->schools_total + f->health_total;
		part = f->schools_with_org + f->health_with_org;
		if (strstr(name, "without"))
			part = all - part;
	}
	if (whole)
		*whole = all;
	return part;
}

/* ---- resolutions.csv ------------------------------------------------------------- */

enum { R_CODE, R_ISSUER, R_NUMBER, R_ISSUED, R_TITLE, R_SCOPE, R_FROM, R_TO, R_N };
static const coso_column resolution_cols[R_N] = {
	{ "code", true }, { "issuer", true }, { "number", true }, { "issued_on", true },
	{ "title", true }, { "scope_code", true }, { "period_from", true }, { "period_to", true },
};

static int resolutions_begin(coso_store *st)
{
	return coso_store_plans_begin(st, 0);
}

static int load_resolution(coso_store *st, coso_row *r)
{
	coso_resolution_row res;

	res.code = coso_row_code(r, R_CODE, true);
	res.issuer = coso_row_text(r, R_ISSUER);
	res.number = coso_row_code(r, R_NUMBER, true);
	res.issued_on = coso_row_date(r, R_ISSUED, true, 0);
	res.title = coso_row_text(r, R_TITLE);
	res.scope_code = coso_row_code(r, R_SCOPE, true);
	res.period_from = coso_row_date(r, R_FROM, true, 0);
	res.period_to = coso_row_date(r, R_TO, true, 0);
	if (coso_row_errors(r) == 0)
		coso_row_period(r, res.period_from, res.period_to, R_TO);
	if (coso_row_errors(r))
		return 0;
	return coso_store_add_resolution(st, &res);
}

static int export_resolutions(coso_store *st, FILE *fp)
{
	coso_resolution *all = NULL;
	size_t n = 0;
	int rc = coso_store_resolutions(st, &all, &n);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		coso_csv_put(fp, all[i].code, false);
		coso_csv_put(fp, all[i].issuer, false);
		coso_csv_put(fp, all[i].number, false);
		coso_csv_put_date(fp, all[i].issued_on, false);
		coso_csv_put(fp, all[i].title, false);
		coso_csv_put(fp, all[i].scope_code, false);
		coso_csv_put_date(fp, all[i].period_from, false);
		coso_csv_put_date(fp, all[i].period_to, true);
	}
	coso_resolutions_free(all, n);
	return rc;
}

const coso_register_file coso_resolutions_file = {
	.name = "resolutions.csv",
	.cols = resolution_cols,
	.ncols = R_N,
	.key_col = R_CODE,
	.from_col = -1,
	.begin = resolutions_begin,
	.load = load_resolution,
	.check = coso_store_check_resolutions,
	.export_rows = export_resolutions,
};

/* ---- targets.csv ------------------------------------------------------------------ */

enum { T_CODE, T_RESOLUTION, T_LABEL, T_INDICATOR, T_KIND, T_PER, T_MIN, T_MAX, T_BASELINE, T_SCOPE, T_N };
static const coso_column target_cols[T_N] = {
	{ "code", true }, { "resolution_code", true }, { "label", true }, { "indicator", true },
	{ "kind", true }, { "per", true }, { "value_min", true }, { "value_max", false },
	{ "baseline_on", false }, { "scope_code", false },
};

static const char *const target_kinds[] = { "count", "reduce", "share", NULL };
static const char *const target_pers[] = { "year", "period", NULL };

/* A number written with a '.' for decimals (0 <= v <= max), or -1 when
 * empty and not required. */
static double row_number(coso_row *r, int col, bool required, double max)
{
	const char *s = coso_row_field(r, col);
	char *end;
	double v;

	if (!*s) {
		if (required)
			coso_row_problem(r, col, "is required");
		return -1;
	}
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || s[0] == '+' || s[0] == '-' || s[0] == ' ' || !isfinite(v) || strchr(s, 'e') ||
	    strchr(s, 'E') || strchr(s, 'x') || strchr(s, 'X')) {
		coso_row_problem(r, col, "'%s' is not a number (write 2000 or 15.5)", s);
		return -1;
	}
	if (v > max) {
		coso_row_problem(r, col, "%s is more than %.0f", s, max);
		return -1;
	}
	return v;
}

static int targets_begin(coso_store *st)
{
	return coso_store_plans_begin(st, 1);
}

static int load_target(coso_store *st, coso_row *r)
{
	coso_target_row t;
	const coso_indicator *ind;
	double max;

	t.code = coso_row_code(r, T_CODE, true);
	t.resolution_code = coso_row_code(r, T_RESOLUTION, true);
	t.label = coso_row_text(r, T_LABEL);
	t.indicator = coso_row_field(r, T_INDICATOR);
	t.kind = coso_row_enum(r, T_KIND, target_kinds);
	t.per = coso_row_enum(r, T_PER, target_pers);
	ind = coso_indicator_find(t.indicator);
	if (!*t.indicator)
		coso_row_problem(r, T_INDICATOR, "is required");
	else if (!ind)
		coso_row_problem(r, T_INDICATOR, "'%s' is not an indicator (docs/PLANS.md lists them)", t.indicator);
	else if ((strcmp(t.kind, "count") == 0 && ind->type != COSO_IND_FLOW) ||
		 (strcmp(t.kind, "reduce") == 0 && ind->type != COSO_IND_STOCK) ||
		 (strcmp(t.kind, "share") == 0 && ind->type != COSO_IND_SHARE))
		coso_row_problem(r, T_KIND, "a '%s' target cannot be written over %s (count: admissions and"
				 " foundings; reduce: the *_without_* indicators; share: the *_with_org ones)",
				 t.kind, t.indicator);
	/* a count is whole and at most a million a year; a percentage at most 100 */
	max = strcmp(t.kind, "count") == 0 ? 1000000 : 100;
	t.value_min = row_number(r, T_MIN, true, max);
	t.value_max = row_number(r, T_MAX, false, max);
	if (strcmp(t.kind, "count") == 0 && t.value_min >= 0 && t.value_min != floor(t.value_min))
		coso_row_problem(r, T_MIN, "a count is a whole number");
	if (t.value_max >= 0 && t.value_min >= 0 && t.value_max < t.value_min)
		coso_row_problem(r, T_MAX, "is less than value_min");
	t.baseline_on = coso_row_date(r, T_BASELINE, false, COSO_DAY_MIN);
	if (t.baseline_on != COSO_DAY_MIN && strcmp(t.kind, "count") == 0)
		coso_row_problem(r, T_BASELINE, "a count has no baseline (leave it empty)");
	t.scope_code = coso_row_code(r, T_SCOPE, false);
	if (coso_row_errors(r))
		return 0;
	return coso_store_add_target(st, &t);
}

static void put_number(FILE *fp, double v, bool last)
{
	char buf[64];

	if (v < 0) {
		coso_csv_put(fp, NULL, last);
		return;
	}
	snprintf(buf, sizeof(buf), "%.6g", v);
	coso_csv_put(fp, buf, last);
}

static int export_targets(coso_store *st, FILE *fp)
{
	coso_target *all = NULL;
	size_t n = 0;
	int rc = coso_store_targets(st, NULL, &all, &n);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		coso_csv_put(fp, all[i].code, false);
		coso_csv_put(fp, all[i].resolution_code, false);
		coso_csv_put(fp, all[i].label, false);
		coso_csv_put(fp, all[i].indicator, false);
		coso_csv_put(fp, all[i].kind, false);
		coso_csv_put(fp, all[i].per, false);
		put_number(fp, all[i].value_min, false);
		put_number(fp, all[i].value_max, false);
		coso_csv_put_date(fp, all[i].baseline_on, false);
		coso_csv_put(fp, all[i].scope_code, true);
	}
	coso_targets_free(all, n);
	return rc;
}

const coso_register_file coso_targets_file = {
	.name = "targets.csv",
	.cols = target_cols,
	.ncols = T_N,
	.key_col = T_CODE,
	.from_col = -1,
	.begin = targets_begin,
	.load = load_target,
	.check = coso_store_check_targets,
	.export_rows = export_targets,
};
