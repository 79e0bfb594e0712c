/*
 * api_report.c: the handlers of /api/v1/reports/.... asof and flow answer
 * exactly the CLI's JSON (report/report.h builds both); timeline and
 * admissions are series for charts, each point computed as the report
 * computes it (coso_store_figures_asof; the admissions of coso_store_flow).
 */
#include <stdlib.h>
#include <string.h>

#include "http/api.h"
#include "report/report.h"
#include "util/error.h"

#define MAX_POINTS 400

static int ignore_unit(void *ctx, const coso_unit_row *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

/* The scope of a report query: when absent, NULL (everything) or, for a
 * user with a scope, the user's (docs/SECURITY.md); 400 when empty, 404
 * when the code was never in the registry. */
static int scope_of(const api_req *req, const char **out)
{
	const char *s = api_query(req, "scope");
	int rc;

	*out = NULL;
	if (!s) {
		*out = req->default_scope;
		return 0;
	}
	if (!*s)
		return coso_error_set(COSO_EINVALID, "scope: give a unit's code (or leave scope out)");
	if ((rc = coso_store_unit_get(req->st, s, 0, ignore_unit, NULL)) < 0)
		return rc;
	*out = s;
	return 0;
}

int api_reports_asof(const api_req *req, api_res *res)
{
	coso_report_asof after, before;
	coso_day d = api_query_day(req, "as_of", req->today);
	coso_day tree = api_query_day(req, "tree_as_of", COSO_DAY_MIN); /* plans */
	const char *compare = api_query(req, "compare"), *scope;
	json_t *out;
	int rc;

	if ((rc = scope_of(req, &scope)) < 0)
		return rc;
	if ((rc = coso_report_asof_build_tree(req->st, scope, d, tree, &after)) < 0)
		return rc;
	if (!compare) {
		out = coso_report_asof_json(&after);
		coso_report_asof_clear(&after);
		return api_ok(res, out);
	}
	if ((rc = coso_report_asof_build_tree(req->st, scope, api_query_day(req, "compare", d), tree, &before)) < 0) {
		coso_report_asof_clear(&after);
		return rc;
	}
	out = json_pack("{s:o, s:o}", "before", coso_report_asof_json(&before), "after", coso_report_asof_json(&after));
	coso_report_asof_clear(&before);
	coso_report_asof_clear(&after);
	return api_ok(res, out);
}

int api_reports_flow(const api_req *req, api_res *res)
{
	coso_report_flow r;
	coso_day to = api_query_day(req, "to", req->today), from;
	const char *scope;
	json_t *out;
	int y, rc;

	coso_date_to_ymd(to, &y, NULL, NULL);
	from = api_query_day(req, "from", coso_date_from_ymd(y, 1, 1));
	if (to < from)
		return coso_error_set(COSO_EINVALID, "to comes before from");
	if ((rc = scope_of(req, &scope)) < 0)
		return rc;
	if ((rc = coso_report_flow_build_tree(req->st, scope, from, to, api_query_day(req, "tree_as_of", COSO_DAY_MIN),
					      &r)) < 0)
		return rc;
	out = coso_report_flow_json(&r);
	coso_report_flow_clear(&r);
	return api_ok(res, out);
}

/* ---- series ------------------------------------------------------------------------ */

static int months_of(const char *step)
{
	return strcmp(step, "month") == 0 ? 1 : strcmp(step, "quarter") == 0 ? 3 : 12;
}

/* origin + k steps of `months`, the day of month kept where the month has
 * it (31 January + 1 month = 28 or 29 February). */
static coso_day add_months(coso_day origin, int months)
{
	int y, m, d, dim;

	coso_date_to_ymd(origin, &y, &m, &d);
	m += months;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	dim = coso_date_days_in_month(y, m);
	return coso_date_from_ymd(y, m, d < dim ? d : dim);
}

/* The first day of the calendar month, quarter or year after the one of day. */
static coso_day next_boundary(coso_day day, int months)
{
	int y, m;

	coso_date_to_ymd(day, &y, &m, NULL);
	m = ((m - 1) / months + 1) * months + 1;
	if (m > 12) {
		y += (m - 1) / 12;
		m = (m - 1) % 12 + 1;
	}
	return coso_date_from_ymd(y, m, 1);
}

/* The common query of the series: scope, from, to, step. */
static int series_query(const api_req *req, const char *dflt_step, const char **scope, coso_day *from,
			coso_day *to, const char **step)
{
	int rc;

	*to = api_query_day(req, "to", req->today);
	*from = api_query_day(req, "from", coso_date_from_ymd(2015, 1, 1));
	*step = api_query(req, "step");
	if (!*step)
		*step = dflt_step;
	if (*to < *from)
		return coso_error_set(COSO_EINVALID, "to comes before from");
	if ((rc = scope_of(req, scope)) < 0)
		return rc;
	return 0;
}

static json_t *scope_json(coso_store *st, const char *scope, coso_day d)
{
	coso_unit_ref u;
	json_t *j;
	int rc;

	if (!scope)
		return json_null();
	rc = coso_store_unit_at(st, scope, d, &u);
	if (rc < 0 && rc != COSO_ENOTFOUND)
		return NULL;
	j = json_pack("{s:s, s:s}", "code", scope, "name", u.name ? u.name : "");
	coso_unit_ref_clear(&u);
	return j;
}

int api_reports_timeline(const api_req *req, api_res *res)
{
	const char *scope, *step;
	coso_day from, to, days[MAX_POINTS];
	size_t ndays = 0;
	json_t *points = NULL, *out;
	int rc, months;

	if ((rc = series_query(req, "year", &scope, &from, &to, &step)) < 0)
		return rc;
	months = months_of(step);
	/* from, from + step, ... up to to; and to itself last */
	for (int k = 0; ndays <= MAX_POINTS; k++) {
		coso_day d = add_months(from, k * months);

		if (d > to)
			break;
		if (ndays == MAX_POINTS)
			return coso_error_set(COSO_EINVALID, "more than %d points: take a longer step or a shorter period",
					      MAX_POINTS);
		days[ndays++] = d;
	}
	if (days[ndays - 1] != to) {
		if (ndays == MAX_POINTS)
			return coso_error_set(COSO_EINVALID, "more than %d points: take a longer step or a shorter period",
					      MAX_POINTS);
		days[ndays++] = to;
	}
	if (!(points = json_array()))
		return coso_error_set(COSO_ENOMEM, "out of memory");
	if ((rc = coso_store_begin_read(req->st)) < 0)
		goto done;
	for (size_t k = 0; k < ndays && rc >= 0; k++) {
		coso_figures f;
		coso_unit_ref *children = NULL;
		coso_figures *figs = NULL;
		size_t nchildren = 0;
		json_t *pt;

		rc = coso_store_figures_asof(req->st, scope, days[k], &f, &children, &figs, &nchildren);
		for (size_t i = 0; i < nchildren; i++)
			coso_unit_ref_clear(&children[i]);
		free(children);
		free(figs);
		if (rc < 0)
			break;
		pt = json_pack("{s:o, s:I, s:I, s:I, s:I}", "date", api_day(days[k]),
			       "villages_total", (json_int_t)f.villages_total,
			       "villages_without_org", (json_int_t)(f.villages_total - f.villages_with_org),
			       "villages_without_member", (json_int_t)f.villages_without_member,
			       "members_total", (json_int_t)f.members_total);
		if (!pt || json_array_append_new(points, pt) < 0)
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
	}
	coso_store_end_read(req->st);
	if (rc < 0)
		goto done;
	out = json_pack("{s:o, s:o, s:o, s:s, s:o}", "scope", scope_json(req->st, scope, to),
			"from", api_day(from), "to", api_day(to), "step", step, "points", points);
	points = NULL;
	rc = api_ok(res, out);
done:
	json_decref(points);
	return rc;
}

struct buckets {
	coso_day *start;   /* n + 1 boundaries: bucket i is [start[i], start[i + 1]) */
	long long *total, *commune;
	size_t n, i;
};

static int count_admission(void *ctx, coso_day day, bool commune_level)
{
	struct buckets *b = ctx;

	while (b->i + 1 < b->n && day >= b->start[b->i + 1])
		b->i++;
	b->total[b->i]++;
	b->commune[b->i] += commune_level;
	return 0;
}

int api_reports_admissions(const api_req *req, api_res *res)
{
	struct buckets b = { NULL, NULL, NULL, 0, 0 };
	const char *scope, *step;
	coso_day from, to;
	json_t *points = NULL, *out;
	int rc, months;

	if ((rc = series_query(req, "quarter", &scope, &from, &to, &step)) < 0)
		return rc;
	months = months_of(step);
	for (coso_day d = from; d <= to; d = next_boundary(d, months))
		if (++b.n > MAX_POINTS)
			return coso_error_set(COSO_EINVALID, "more than %d periods: take a longer step or a shorter period",
					      MAX_POINTS);
	b.start = calloc(b.n + 1, sizeof(*b.start));
	b.total = calloc(b.n, sizeof(*b.total));
	b.commune = calloc(b.n, sizeof(*b.commune));
	points = json_array();
	if (!b.start || !b.total || !b.commune || !points) {
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
		goto done;
	}
	b.start[0] = from;
	for (size_t i = 1; i < b.n; i++)
		b.start[i] = next_boundary(b.start[i - 1], months);
	b.start[b.n] = to + 1;
	if ((rc = coso_store_admissions(req->st, scope, from, to, count_admission, &b)) < 0)
		goto done;
	for (size_t i = 0; i < b.n; i++) {
		json_t *pt = json_pack("{s:o, s:o, s:I, s:I}", "from", api_day(b.start[i]),
				       "to", api_day(b.start[i + 1] - 1), "total", (json_int_t)b.total[i],
				       "commune_level", (json_int_t)b.commune[i]);

		if (!pt || json_array_append_new(points, pt) < 0) {
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
			goto done;
		}
	}
	out = json_pack("{s:o, s:o, s:o, s:s, s:o}", "scope", scope_json(req->st, scope, to),
			"from", api_day(from), "to", api_day(to), "step", step, "points", points);
	points = NULL;
	rc = api_ok(res, out);
done:
	json_decref(points);
	free(b.start);
	free(b.total);
	free(b.commune);
	return rc;
}
