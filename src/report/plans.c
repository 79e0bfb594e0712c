/*
 * plans.c: measuring a resolution's targets (report/plans.h). The rules,
 * worked by hand in docs/PLANS.md:
 *
 * - The period [from, to) is cut into calendar years (the first and last
 *   may be partial). A span is pending before it starts, in progress while
 *   the report's day is before its last day, complete after.
 * - count (per year): the events of the span against value × the span's
 *   share of its year; over the period, against the sum. per period: the
 *   period's events against value; the years are only measured.
 * - reduce: (stock at the start − stock at the end) / stock at the start.
 *   A year starts with the stock of the previous year's last day (the first
 *   with the baseline, by default the period's first day) and ends with the
 *   stock of its own last day, so the years chain. per year: each year
 *   against value × its share of a year; over the period, against the
 *   compounded 1 − (1 − value)^years. per period: the period against value.
 *   From a stock of 0, the target is met when the stock is still 0.
 * - share: the share on the span's last day against value (per year: each
 *   year; per period: the period only).
 * - In progress, the requirement is pro-rata of the days elapsed (for a
 *   share: from the share at the start towards the value).
 * - A count target binds only its scope (the resolution's, or the unit it
 *   names); reduce and share targets without a unit bind every unit.
 */
#include "report/plans.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/plans.h"
#include "core/registry.h"
#include "util/error.h"
#include "util/vnfmt.h"

static const char *const status_names[] = { "none", "pending", "met", "not_met", "on_track", "behind" };
static const char *const status_vi[] = { "—", "chưa đến kỳ", "đạt", "không đạt", "đúng tiến độ", "chậm tiến độ" };

const char *coso_target_status_name(coso_target_status s)
{
	return (unsigned)s < 6 ? status_names[s] : "none";
}

const char *coso_target_status_vi(coso_target_status s)
{
	return (unsigned)s < 6 ? status_vi[s] : "—";
}

void coso_plan_report_clear(coso_plan_report *r)
{
	if (!r)
		return;
	coso_resolution_clear(&r->res);
	coso_targets_free(r->targets, r->ntargets);
	free(r->span_from);
	free(r->span_to);
	free(r->span_year);
	for (size_t i = 0; i < r->nunits; i++)
		coso_unit_ref_clear(&r->units[i]);
	free(r->units);
	free(r->parents);
	free(r->applies);
	free(r->cells);
	memset(r, 0, sizeof(*r));
}

int coso_plan_pick(coso_store *st, const char *scope, coso_day from, coso_day to, bool fallback, char **out)
{
	coso_resolution *all = NULL;
	size_t n = 0, best = (size_t)-1, late = (size_t)-1;
	int rc = coso_store_resolutions(st, &all, &n);

	*out = NULL;
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const coso_resolution *r = &all[i];

		if ((scope && strcmp(r->scope_code, scope) != 0) || r->period_from > to)
			continue;
		if (late == (size_t)-1 || r->period_from > all[late].period_from)
			late = i;
		if (r->issued_on > to || r->period_to <= from)
			continue;
		if (best == (size_t)-1 || r->issued_on > all[best].issued_on)
			best = i;
	}
	if (best == (size_t)-1 && fallback)
		best = late;
	if (best != (size_t)-1 && !(*out = strdup(all[best].code)))
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
	coso_resolutions_free(all, n);
	return rc;
}

/* ---- building --------------------------------------------------------------------- */

/* What is read from the store while building. */
struct build {
	coso_plan_report *r;
	size_t *by_code;       /* unit indexes sorted by code */
	size_t ndays;
	coso_day *days;        /* the days stocks are read on, ascending */
	coso_figures *figs;    /* [day * nunits + u] */
	size_t cur_day;
	long long *counts;     /* [(u * ntargets + t) * nspans + k] */
	bool *flow_target;     /* per target: a count */
};

static const coso_plan_report *sort_r;

static int cmp_code(const void *a, const void *b)
{
	return strcmp(sort_r->units[*(const size_t *)a].code, sort_r->units[*(const size_t *)b].code);
}

static long unit_index(const struct build *b, const char *code)
{
	size_t lo = 0, hi = b->r->nunits;

	while (code && lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(b->r->units[b->by_code[mid]].code, code);

		if (c == 0)
			return (long)b->by_code[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int on_figures(void *ctx, const char *unit, const coso_figures *f)
{
	struct build *b = ctx;
	long u = unit_index(b, unit);

	if (u >= 0)
		b->figs[b->cur_day * b->r->nunits + (size_t)u] = *f;
	return 0;
}

static int on_event(void *ctx, const char *unit, char ev, int cat, coso_day day)
{
	struct build *b = ctx;
	const coso_plan_report *r = b->r;
	long u = unit_index(b, unit);
	size_t k = 0;

	if (u < 0)
		return 0;
	while (k < r->nspans && day >= r->span_to[k])
		k++;
	if (k >= r->nspans || day < r->span_from[k])
		return 0;
	for (size_t t = 0; t < r->ntargets; t++)
		if (b->flow_target[t] && coso_indicator_counts_event(r->targets[t].indicator, ev, cat))
			b->counts[((size_t)u * r->ntargets + t) * r->nspans + k]++;
	return 0;
}

static int add_day(struct build *b, coso_day d)
{
	for (size_t i = 0; i < b->ndays; i++)
		if (b->days[i] == d)
			return 0;
	b->days[b->ndays++] = d;
	return 0;
}

static int cmp_day(const void *a, const void *b)
{
	coso_day x = *(const coso_day *)a, y = *(const coso_day *)b;

	return (x > y) - (x < y);
}

static const coso_figures *figs_on(const struct build *b, size_t u, coso_day d)
{
	for (size_t i = 0; i < b->ndays; i++)
		if (b->days[i] == d)
			return &b->figs[i * b->r->nunits + u];
	return NULL;
}

/* The days of the span [from, to) as a share of its calendar year. */
static double year_share(coso_day from, coso_day to)
{
	int y;

	coso_date_to_ymd(from, &y, NULL, NULL);
	return (double)(to - from) / (coso_date_is_leap(y) ? 366.0 : 365.0);
}

static coso_day baseline_of(const coso_plan_report *r, const coso_target *t)
{
	return t->baseline_on != COSO_DAY_MIN ? t->baseline_on : r->res.period_from;
}

/* One cell: target t in unit u over [from, to) (the period when k == nspans). */
static void measure(const struct build *b, size_t u, size_t t, size_t k, coso_progress *c)
{
	const coso_plan_report *r = b->r;
	const coso_target *tg = &r->targets[t];
	bool period = k == r->nspans, per_year = strcmp(tg->per, "year") == 0;
	bool applies = r->applies[u * r->ntargets + t];
	coso_day from = period ? r->res.period_from : r->span_from[k];
	coso_day to = period ? r->res.period_to : r->span_to[k];
	coso_day start_day = (period || k == 0) ? baseline_of(r, tg) : r->span_to[k - 1] - 1;
	double years = 0, elapsed, value = tg->value_min, vmax = tg->value_max;
	const coso_figures *f0, *f1;

	memset(c, 0, sizeof(*c));
	c->required = -1;
	if (r->as_of < from) {
		c->status = COSO_TS_PENDING;
		return;
	}
	c->measured = true;
	c->has_actual = true;
	c->in_progress = r->as_of < to - 1;
	c->read_on = c->in_progress ? r->as_of : to - 1;
	elapsed = c->in_progress ? (double)(r->as_of - from + 1) / (double)(to - from) : 1.0;
	if (period)
		for (size_t j = 0; j < r->nspans; j++)
			years += year_share(r->span_from[j], r->span_to[j]);
	else
		years = year_share(from, to);

	if (strcmp(tg->kind, "count") == 0) {
		long long n = 0;

		for (size_t j = 0; j < r->nspans; j++)
			if (period || j == k)
				n += b->counts[(u * r->ntargets + t) * r->nspans + j];
		c->actual = (double)n;
		if (per_year || period) {
			double full = per_year ? value * years : value;

			c->required = full * elapsed;
			if (vmax >= 0)
				c->above_max = c->actual >= (per_year ? vmax * years : vmax) * elapsed;
		}
	} else if (strcmp(tg->kind, "reduce") == 0) {
		f0 = figs_on(b, u, start_day);
		f1 = figs_on(b, u, c->read_on);
		c->start = f0 ? (double)coso_indicator_value(tg->indicator, f0, NULL) : 0;
		c->end = f1 ? (double)coso_indicator_value(tg->indicator, f1, NULL) : 0;
		if (c->start > 0)
			c->actual = (c->start - c->end) / c->start * 100.0;
		else
			c->has_actual = false;
		if (per_year && period) {
			/* compounded over the years elapsed */
			double done_years = years * elapsed;

			c->required = (1.0 - pow(1.0 - value / 100.0, done_years)) * 100.0;
			if (vmax >= 0 && c->has_actual)
				c->above_max = c->actual >= (1.0 - pow(1.0 - vmax / 100.0, done_years)) * 100.0;
		} else if (per_year || period) {
			double scale = (per_year ? years : 1.0) * elapsed;

			c->required = value * scale;
			if (vmax >= 0 && c->has_actual)
				c->above_max = c->actual >= vmax * scale;
		}
	} else { /* share */
		long long whole0 = 0, part0;

		f0 = figs_on(b, u, start_day);
		f1 = figs_on(b, u, c->read_on);
		part0 = f0 ? coso_indicator_value(tg->indicator, f0, &whole0) : 0;
		c->start = whole0 > 0 ? (double)part0 / (double)whole0 * 100.0 : 0;
		c->end = f1 ? (double)coso_indicator_value(tg->indicator, f1, &c->whole) : 0;
		if (c->whole > 0)
			c->actual = c->end / (double)c->whole * 100.0;
		else
			c->has_actual = false;
		if (per_year || period) {
			c->required = c->in_progress && c->start < value ? c->start + (value - c->start) * elapsed : value;
			if (vmax >= 0 && c->has_actual)
				c->above_max = c->actual >= vmax;
		}
	}
	if (!applies)
		c->required = -1;
	if (c->required < 0) {
		c->status = COSO_TS_NONE;
		return;
	}
	if (!c->has_actual) {
		/* nothing to reduce, or no total to take a share of */
		bool ok = strcmp(tg->kind, "reduce") == 0 && c->end == 0;

		c->status = ok ? (c->in_progress ? COSO_TS_ON_TRACK : COSO_TS_MET)
			       : (c->in_progress ? COSO_TS_BEHIND : COSO_TS_NOT_MET);
		if (strcmp(tg->kind, "share") == 0)
			c->status = COSO_TS_NONE;
		return;
	}
	/* a small tolerance so that 15.0% computed as 14.999999 still meets 15% */
	if (c->actual + 1e-9 >= c->required)
		c->status = c->in_progress ? COSO_TS_ON_TRACK : COSO_TS_MET;
	else
		c->status = c->in_progress ? COSO_TS_BEHIND : COSO_TS_NOT_MET;
}

/* The years of [from, to): spans cut at each 1 January. */
static int make_spans(coso_plan_report *r)
{
	int y0, y1;
	size_t n;

	coso_date_to_ymd(r->res.period_from, &y0, NULL, NULL);
	coso_date_to_ymd(r->res.period_to - 1, &y1, NULL, NULL);
	if (y1 - y0 > 50)
		return coso_error_set(COSO_EINVALID, "resolution %s: a period of more than 50 years", r->res.code);
	n = (size_t)(y1 - y0 + 1);
	r->span_from = calloc(n, sizeof(coso_day));
	r->span_to = calloc(n, sizeof(coso_day));
	r->span_year = calloc(n, sizeof(int));
	if (!r->span_from || !r->span_to || !r->span_year)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	for (size_t k = 0; k < n; k++) {
		int y = y0 + (int)k;
		coso_day a = coso_date_from_ymd(y, 1, 1), b = coso_date_from_ymd(y + 1, 1, 1);

		r->span_year[k] = y;
		r->span_from[k] = a > r->res.period_from ? a : r->res.period_from;
		r->span_to[k] = b < r->res.period_to ? b : r->res.period_to;
	}
	r->nspans = n;
	return 0;
}

/* Keeps the units of the subtree of `scope` (parents first), re-indexing
 * the parents. COSO_EINVALID when scope is not among them. */
static int keep_subtree(coso_plan_report *r, const char *scope)
{
	size_t root = r->nunits, n = 0;
	long *newidx;

	for (size_t i = 0; i < r->nunits; i++)
		if (strcmp(r->units[i].code, scope) == 0)
			root = i;
	if (root == r->nunits) {
		char day[COSO_DATE_BUFSZ];

		return coso_error_set(COSO_EINVALID, "unit %s is not under %s, the scope of resolution %s, on %s",
				      scope, r->res.scope_code, r->res.code, coso_date_format(day, r->tree_as_of));
	}
	newidx = malloc(r->nunits * sizeof(*newidx));
	if (!newidx)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	for (size_t i = 0; i < r->nunits; i++) {
		long p = r->parents[i];
		bool keep = i == root || (i > root && p >= 0 && newidx[p] >= 0);

		newidx[i] = keep ? (long)n : -1;
		if (!keep) {
			coso_unit_ref_clear(&r->units[i]);
			continue;
		}
		r->units[n] = r->units[i];
		r->parents[n] = i == root ? -1 : newidx[p];
		n++;
	}
	/* units before the root were cleared above unless kept */
	r->nunits = n;
	free(newidx);
	return 0;
}

int coso_plan_report_build(coso_store *st, const char *code, const char *scope, coso_day as_of,
			   coso_day tree_as_of, coso_plan_report *out)
{
	struct build b = { 0 };
	coso_plan_report *r = out;
	size_t nu, nt;
	int rc;

	memset(r, 0, sizeof(*r));
	r->as_of = as_of;
	if ((rc = coso_store_begin_read(st)) < 0)
		return rc;
	if ((rc = coso_store_resolution_get(st, code, &r->res)) < 0)
		goto done;
	if ((rc = coso_store_targets(st, code, &r->targets, &r->ntargets)) < 0)
		goto done;
	if (tree_as_of == COSO_DAY_MIN)
		tree_as_of = as_of < r->res.period_to - 1 ? as_of : r->res.period_to - 1;
	r->tree_as_of = tree_as_of;
	if ((rc = make_spans(r)) < 0)
		goto done;
	if ((rc = coso_store_frame_open(st, r->res.scope_code, tree_as_of)) < 0)
		goto done;
	if ((rc = coso_store_frame_units(st, tree_as_of, &r->units, &r->parents, &r->nunits)) < 0)
		goto close;
	if (r->nunits == 0) {
		char day[COSO_DATE_BUFSZ];

		rc = coso_error_set(COSO_EINVALID, "unit %s, the scope of resolution %s, does not exist on %s",
				    r->res.scope_code, r->res.code, coso_date_format(day, tree_as_of));
		goto close;
	}
	if (scope && (rc = keep_subtree(r, scope)) < 0)
		goto close;
	nu = r->nunits;
	nt = r->ntargets;
	b.r = r;
	b.by_code = malloc(nu * sizeof(size_t));
	b.days = malloc((nt + r->nspans + 2) * sizeof(coso_day));
	b.counts = calloc(nu * (nt ? nt : 1) * r->nspans, sizeof(long long));
	b.flow_target = calloc(nt ? nt : 1, sizeof(bool));
	r->applies = calloc(nu * (nt ? nt : 1), sizeof(bool));
	r->cells = calloc(nu * (nt ? nt : 1) * (r->nspans + 1), sizeof(coso_progress));
	if (!b.by_code || !b.days || !b.counts || !b.flow_target || !r->applies || !r->cells) {
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
		goto close;
	}
	for (size_t i = 0; i < nu; i++)
		b.by_code[i] = i;
	sort_r = r;
	qsort(b.by_code, nu, sizeof(size_t), cmp_code);

	/* which target binds which unit */
	for (size_t t = 0; t < nt; t++) {
		const coso_target *tg = &r->targets[t];
		bool count = strcmp(tg->kind, "count") == 0;

		b.flow_target[t] = count;
		for (size_t u = 0; u < nu; u++) {
			const char *c = r->units[u].code;

			r->applies[u * nt + t] = tg->scope_code ? strcmp(tg->scope_code, c) == 0
				: !count || strcmp(r->res.scope_code, c) == 0;
		}
	}

	/* the stocks: on each baseline, each completed year's last day, the report's day */
	for (size_t t = 0; t < nt; t++)
		if (!b.flow_target[t] && baseline_of(r, &r->targets[t]) <= as_of)
			add_day(&b, baseline_of(r, &r->targets[t]));
	for (size_t k = 0; k < r->nspans; k++)
		if (as_of >= r->span_from[k])
			add_day(&b, as_of < r->span_to[k] - 1 ? as_of : r->span_to[k] - 1);
	qsort(b.days, b.ndays, sizeof(coso_day), cmp_day);
	b.figs = calloc((b.ndays ? b.ndays : 1) * nu, sizeof(coso_figures));
	if (!b.figs) {
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
		goto close;
	}
	for (b.cur_day = 0; b.cur_day < b.ndays; b.cur_day++)
		if ((rc = coso_store_frame_figures(st, b.days[b.cur_day], on_figures, &b)) < 0)
			goto close;

	/* the flows, up to the report's day */
	if (as_of >= r->res.period_from) {
		coso_day last = as_of < r->res.period_to - 1 ? as_of : r->res.period_to - 1;

		if ((rc = coso_store_frame_events(st, r->res.period_from, last, on_event, &b)) < 0)
			goto close;
	}
	for (size_t u = 0; u < nu; u++)
		for (size_t t = 0; t < nt; t++)
			for (size_t k = 0; k <= r->nspans; k++)
				measure(&b, u, t, k, &r->cells[(u * nt + t) * (r->nspans + 1) + k]);
	rc = 0;
close:
	coso_store_frame_close(st);
done:
	coso_store_end_read(st);
	free(b.by_code);
	free(b.days);
	free(b.figs);
	free(b.counts);
	free(b.flow_target);
	if (rc < 0)
		coso_plan_report_clear(r);
	return rc;
}

/* ---- formats ----------------------------------------------------------------------- */

/* Appends s to buf (size n, holding *used bytes), cutting it when full. */
static void append(char *buf, size_t n, size_t *used, const char *s)
{
	size_t len = strlen(s);

	if (*used + 1 >= n)
		return;
	if (len > n - 1 - *used)
		len = n - 1 - *used;
	memcpy(buf + *used, s, len);
	*used += len;
	buf[*used] = '\0';
}

char *coso_plan_fmt_number(char *buf, size_t n, double v)
{
	long long tenths = llround(v * 10.0);
	char ip[32], dec[4] = { ',', (char)('0' + llabs(tenths % 10)), '\0', '\0' };
	size_t used = 0;

	if (tenths % 10 == 0)
		return coso_vnfmt_int(buf, n, tenths / 10);
	/* one decimal: the integer part grouped, then ",d" (-0,4 keeps its sign) */
	if (n)
		buf[0] = '\0';
	coso_vnfmt_int(ip, sizeof(ip), tenths / 10);
	if (tenths < 0 && tenths / 10 == 0)
		append(buf, n, &used, "-");
	append(buf, n, &used, ip);
	append(buf, n, &used, dec);
	return buf;
}

char *coso_plan_fmt_percent(char *buf, size_t n, double v)
{
	size_t used;

	coso_plan_fmt_number(buf, n, v);
	used = n ? strlen(buf) : 0;
	append(buf, n, &used, "%");
	return buf;
}

static json_t *day_json(coso_day d)
{
	char buf[COSO_DATE_BUFSZ];

	return d == COSO_DAY_MIN ? json_null() : json_string(coso_date_format(buf, d));
}

/* Rounded to 0.1 in JSON so that reports and tests agree on what is shown. */
static json_t *num_json(double v)
{
	double r = round(v * 10.0) / 10.0;

	return r == floor(r) ? json_integer((json_int_t)r) : json_real(r);
}

json_t *coso_resolution_json(const coso_resolution *res)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:o}", "code", res->code, "issuer", res->issuer,
			 "number", res->number, "issued_on", day_json(res->issued_on), "title", res->title,
			 "scope_code", res->scope_code, "period_from", day_json(res->period_from),
			 "period_to", day_json(res->period_to));
}

json_t *coso_target_json(const coso_target *t)
{
	const coso_indicator *ind = coso_indicator_find(t->indicator);

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "code", t->code,
			 "resolution_code", t->resolution_code, "label", t->label, "indicator", t->indicator,
			 "indicator_label", ind ? ind->label : "", "kind", t->kind, "per", t->per,
			 "value_min", num_json(t->value_min),
			 "value_max", t->value_max < 0 ? json_null() : num_json(t->value_max),
			 "baseline_on", day_json(t->baseline_on),
			 "scope_code", t->scope_code ? json_string(t->scope_code) : json_null());
}

static json_t *cell_json(const coso_target *t, const coso_progress *c)
{
	json_t *o = json_object();
	bool count = strcmp(t->kind, "count") == 0;

	if (!o)
		return NULL;
	json_object_set_new(o, "status", json_string(coso_target_status_name(c->status)));
	if (!c->measured)
		return o;
	json_object_set_new(o, "read_on", day_json(c->read_on));
	json_object_set_new(o, "actual", c->has_actual ? num_json(c->actual) : json_null());
	json_object_set_new(o, "required", c->required < 0 ? json_null()
			    : count ? json_integer((json_int_t)ceil(c->required - 1e-9)) : num_json(c->required));
	if (!count) {
		json_object_set_new(o, "start", num_json(c->start));
		json_object_set_new(o, "end", num_json(c->end));
	}
	if (strcmp(t->kind, "share") == 0)
		json_object_set_new(o, "total", json_integer(c->whole));
	json_object_set_new(o, "above_max", json_boolean(c->above_max));
	return o;
}

static int depth_of(const coso_plan_report *r, size_t u)
{
	int d = 0;

	for (long p = r->parents[u]; p >= 0; p = r->parents[p])
		d++;
	return d;
}

json_t *coso_plan_report_json(const coso_plan_report *r, int depth)
{
	json_t *o = json_object(), *spans = json_array(), *targets = json_array(), *units = json_array();
	char day[COSO_DATE_BUFSZ];

	if (!o || !spans || !targets || !units)
		goto fail;
	json_object_set_new(o, "resolution", coso_resolution_json(&r->res));
	json_object_set_new(o, "as_of", json_string(coso_date_format(day, r->as_of)));
	json_object_set_new(o, "tree_as_of", json_string(coso_date_format(day, r->tree_as_of)));
	for (size_t k = 0; k < r->nspans; k++)
		json_array_append_new(spans, json_pack("{s:i, s:o, s:o}", "year", r->span_year[k],
			"from", day_json(r->span_from[k]), "to", day_json(r->span_to[k] - 1)));
	json_object_set_new(o, "years", spans);
	spans = NULL;
	for (size_t t = 0; t < r->ntargets; t++)
		json_array_append_new(targets, coso_target_json(&r->targets[t]));
	json_object_set_new(o, "targets", targets);
	targets = NULL;
	for (size_t u = 0; u < r->nunits; u++) {
		json_t *uo, *ts;

		if (depth >= 0 && depth_of(r, u) > depth)
			continue;
		ts = json_array();
		uo = json_pack("{s:s, s:s, s:s, s:o}", "code", r->units[u].code, "name", r->units[u].name,
			       "level", coso_level_name(r->units[u].level),
			       "parent", r->parents[u] >= 0 ? json_string(r->units[r->parents[u]].code) : json_null());
		if (!uo || !ts) {
			json_decref(uo);
			json_decref(ts);
			goto fail;
		}
		for (size_t t = 0; t < r->ntargets; t++) {
			json_t *years = json_array(), *to = json_object();

			for (size_t k = 0; k < r->nspans; k++) {
				json_t *c = cell_json(&r->targets[t], coso_plan_cell(r, u, t, k));

				json_object_set_new(c, "year", json_integer(r->span_year[k]));
				json_array_append_new(years, c);
			}
			json_object_set_new(to, "code", json_string(r->targets[t].code));
			json_object_set_new(to, "applies", json_boolean(r->applies[u * r->ntargets + t]));
			json_object_set_new(to, "years", years);
			json_object_set_new(to, "period", cell_json(&r->targets[t], coso_plan_cell(r, u, t, r->nspans)));
			json_array_append_new(ts, to);
		}
		json_object_set_new(uo, "targets", ts);
		json_array_append_new(units, uo);
	}
	json_object_set_new(o, "units", units);
	return o;
fail:
	json_decref(o);
	json_decref(spans);
	json_decref(targets);
	json_decref(units);
	return NULL;
}

/* "2.113 / 2.000: đạt" or "16,5% / 15%: đạt (vượt)" */
static void cell_text(char *buf, size_t n, const coso_target *t, const coso_progress *c)
{
	char a[48], q[48];
	bool count = strcmp(t->kind, "count") == 0;

	if (!c->measured) {
		snprintf(buf, n, "%s", coso_target_status_vi(c->status));
		return;
	}
	if (!c->has_actual)
		snprintf(a, sizeof(a), "–");
	else if (count)
		coso_plan_fmt_number(a, sizeof(a), c->actual);
	else
		coso_plan_fmt_percent(a, sizeof(a), c->actual);
	if (c->required < 0) {
		snprintf(buf, n, "%s", a);
		return;
	}
	if (count)
		coso_vnfmt_int(q, sizeof(q), (long long)ceil(c->required - 1e-9));
	else
		coso_plan_fmt_percent(q, sizeof(q), c->required);
	snprintf(buf, n, "%s / %s: %s%s", a, q, coso_target_status_vi(c->status),
		 c->above_max && c->status == COSO_TS_MET ? " (vượt)" : "");
}

int coso_plan_report_text(FILE *out, const coso_plan_report *r, int depth)
{
	char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ], buf[160];
	int y, m, d;

	coso_date_to_ymd(r->res.issued_on, &y, &m, &d);
	coso_vnfmt_date(a, sizeof(a), y, m, d);
	fprintf(out, "Nghị quyết số %s ngày %s của %s\n%s\n", r->res.number, a, r->res.issuer, r->res.title);
	coso_date_to_ymd(r->res.period_from, &y, &m, &d);
	coso_vnfmt_date(a, sizeof(a), y, m, d);
	coso_date_to_ymd(r->res.period_to - 1, &y, &m, &d);
	coso_vnfmt_date(b, sizeof(b), y, m, d);
	fprintf(out, "Giai đoạn: %s – %s", a, b);
	coso_date_to_ymd(r->as_of, &y, &m, &d);
	coso_vnfmt_date(a, sizeof(a), y, m, d);
	fprintf(out, "; số liệu đến ngày %s", a);
	coso_date_to_ymd(r->tree_as_of, &y, &m, &d);
	coso_vnfmt_date(b, sizeof(b), y, m, d);
	fprintf(out, "; địa giới ngày %s\n", b);
	for (size_t u = 0; u < r->nunits; u++) {
		if (depth >= 0 && depth_of(r, u) > depth)
			continue;
		fprintf(out, "\n%s (%s)\n", r->units[u].name, r->units[u].code);
		for (size_t t = 0; t < r->ntargets; t++) {
			const coso_target *tg = &r->targets[t];

			fprintf(out, "  %s%s\n", tg->label, r->applies[u * r->ntargets + t] ? "" : " (không giao chỉ tiêu)");
			for (size_t k = 0; k <= r->nspans; k++) {
				cell_text(buf, sizeof(buf), tg, coso_plan_cell(r, u, t, k));
				if (k < r->nspans)
					fprintf(out, "    Năm %d: %s\n", r->span_year[k], buf);
				else
					fprintf(out, "    Cả giai đoạn: %s\n", buf);
			}
		}
	}
	return ferror(out) ? coso_error_set(COSO_EIO, "cannot write the report") : 0;
}
