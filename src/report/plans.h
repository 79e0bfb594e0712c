/*
 * plans.h: a resolution's targets measured against the registry
 * (docs/PLANS.md): progress for each year of the period and for the whole
 * period, with a status, for the resolution's scope and every district and
 * commune under it; in JSON (API, CLI) and Vietnamese text.
 */
#ifndef COSO_REPORT_PLANS_H
#define COSO_REPORT_PLANS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "db/store_plans.h"

typedef enum coso_target_status {
	COSO_TS_NONE,     /* measured, but no requirement here (no allotment) */
	COSO_TS_PENDING,  /* the span has not started on the report's day */
	COSO_TS_MET,
	COSO_TS_NOT_MET,
	COSO_TS_ON_TRACK, /* in progress, at or above the pro-rata requirement */
	COSO_TS_BEHIND,   /* in progress, below it */
} coso_target_status;

/* "met", "not_met", ... (JSON) and "đạt", "không đạt", ... (text). */
const char *coso_target_status_name(coso_target_status s);
const char *coso_target_status_vi(coso_target_status s);

/* The progress of one target in one unit over one span (a year of the
 * period, or the whole period). */
typedef struct coso_progress {
	coso_target_status status;
	bool measured;     /* false when pending */
	coso_day read_on;  /* the last day measured: the span's last, or the report's day */
	bool in_progress;
	double start;      /* reduce: the stock at the span's start; share: the share (%) at it */
	double end;        /* reduce: the stock on read_on; share: the part on read_on */
	long long whole;   /* share: the total on read_on */
	bool has_actual;   /* false when there is nothing to measure (a reduction from 0) */
	double actual;     /* count; reduction (%); share (%) */
	double required;   /* the same; < 0 when none */
	bool above_max;    /* the actual reaches value_max (e.g. 20% of "15-20%") */
} coso_progress;

typedef struct coso_plan_report {
	coso_resolution res;
	coso_target *targets;
	size_t ntargets;
	coso_day as_of, tree_as_of;
	/* the years of the period: [span_from[k], span_to[k]) */
	size_t nspans;
	coso_day *span_from, *span_to;
	int *span_year;
	/* the units, parents first (the requested scope first), and for each
	 * unit and target the progress of each span then of the period:
	 * cells[(u * ntargets + t) * (nspans + 1) + k] */
	coso_unit_ref *units;
	long *parents;
	size_t nunits;
	bool *applies;     /* [u * ntargets + t]: the target binds this unit */
	coso_progress *cells;
} coso_plan_report;

/* Measures resolution `code` as of day as_of on the tree of tree_as_of
 * (COSO_DAY_MIN: the period's last day, or as_of when earlier), for scope
 * (NULL: the resolution's) and every district and commune under it.
 * COSO_ENOTFOUND for an unknown resolution, COSO_EINVALID for a scope that
 * is not in the resolution's tree then. Free with coso_plan_report_clear. */
int coso_plan_report_build(coso_store *st, const char *code, const char *scope, coso_day as_of,
			   coso_day tree_as_of, coso_plan_report *out);
void coso_plan_report_clear(coso_plan_report *r);

/* The resolution to measure over [from, to]: the latest issued (by `to`) of
 * those whose period overlaps it and, when scope is not NULL, whose scope it
 * is; with none and `fallback`, the latest to start by `to`. *out is a
 * malloc'd code (free()), NULL when there is none. */
int coso_plan_pick(coso_store *st, const char *scope, coso_day from, coso_day to, bool fallback, char **out);

/* The cell of unit u, target t, span k (k == nspans: the period). */
static inline const coso_progress *coso_plan_cell(const coso_plan_report *r, size_t u, size_t t, size_t k)
{
	return &r->cells[(u * r->ntargets + t) * (r->nspans + 1) + k];
}

/* JSON of the report (new reference). `depth` limits the units: 0 the
 * scope only, 1 its children too, ... (-1: all). */
json_t *coso_plan_report_json(const coso_plan_report *r, int depth);
json_t *coso_resolution_json(const coso_resolution *res);
json_t *coso_target_json(const coso_target *t);
/* Text for people, in Vietnamese, to `depth` as above. */
int coso_plan_report_text(FILE *out, const coso_plan_report *r, int depth);

/* A number the Vietnamese way: whole (2.000) or with one decimal (15,5). */
char *coso_plan_fmt_number(char *buf, size_t n, double v);
/* A percentage with one decimal: "15,3%". */
char *coso_plan_fmt_percent(char *buf, size_t n, double v);

#endif
