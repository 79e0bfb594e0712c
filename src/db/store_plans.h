/*
 * store_plans.h: resolutions and their targets in the store (docs/PLANS.md),
 * and the "frame" of a report read on the tree of another day
 * (--tree-as-of): the queries behind report/plans.h.
 */
#ifndef COSO_DB_STORE_PLANS_H
#define COSO_DB_STORE_PLANS_H

#include <stdbool.h>
#include <stddef.h>

#include "db/store.h"

/* A resolution (nghị quyết): issuer, number and date identify it (numbers
 * are reused), `code` names it in the files; it covers [period_from,
 * period_to) in the subtree of scope_code. */
typedef struct coso_resolution {
	char *code, *issuer, *number, *title, *scope_code;
	coso_day issued_on, period_from, period_to;
} coso_resolution;

/* One target of a resolution over an indicator. kind: "count", "reduce" or
 * "share"; per: "year" or "period". value_max < 0 when there is none;
 * baseline_on COSO_DAY_MIN when none (the period's start); scope_code NULL
 * for the resolution's own scope. */
typedef struct coso_target {
	char *code, *resolution_code, *label, *indicator, *kind, *per, *scope_code;
	double value_min, value_max;
	coso_day baseline_on;
} coso_target;

/* The same with borrowed text, for loading a row. */
typedef struct coso_resolution_row {
	const char *code, *issuer, *number, *title, *scope_code;
	coso_day issued_on, period_from, period_to;
} coso_resolution_row;
typedef struct coso_target_row {
	const char *code, *resolution_code, *label, *indicator, *kind, *per, *scope_code;
	double value_min, value_max;
	coso_day baseline_on;
} coso_target_row;

void coso_resolution_clear(coso_resolution *r);
void coso_target_clear(coso_target *t);
/* Frees an array of n resolutions / targets (accepts NULL). */
void coso_resolutions_free(coso_resolution *r, size_t n);
void coso_targets_free(coso_target *t, size_t n);

/* ---- loading (core/plans.c, inside an import's transaction) ------------- */

/* Before the rows of resolutions.csv (file 0) or targets.csv (file 1). */
int coso_store_plans_begin(coso_store *st, int file);
/* Stores a row, replacing the stored row of its code. COSO_ECONFLICT when the
 * code was already given in this import's file. */
int coso_store_add_resolution(coso_store *st, const coso_resolution_row *r);
int coso_store_add_target(coso_store *st, const coso_target_row *t);
/* The whole register's rules (references, uniqueness); fn is called for
 * each problem (p->file is set by the caller). Return the number of
 * problems or a negative coso_rc. */
int coso_store_check_resolutions(coso_store *st, coso_problem_fn fn, void *ctx);
int coso_store_check_targets(coso_store *st, coso_problem_fn fn, void *ctx);

/* ---- reading ------------------------------------------------------------ */

/* Every resolution, by code: *out malloc'd, free with
 * coso_resolutions_free. */
int coso_store_resolutions(coso_store *st, coso_resolution **out, size_t *n);
/* One resolution; COSO_ENOTFOUND when there is none with that code. */
int coso_store_resolution_get(coso_store *st, const char *code, coso_resolution *out);
/* The targets of a resolution (NULL: all), by code. */
int coso_store_targets(coso_store *st, const char *resolution_code, coso_target **out, size_t *n);

/* ---- the frame: the tree of day T, the facts of another day -------------
 *
 * coso_store_frame_open builds, for the tree of day t, the subtree of scope
 * (NULL: every top unit) and a map from every unit code of the registry to
 * a unit of t's tree: a code that exists at t is itself; a code that does
 * not (a commune merged away, a district abolished, a village closed before
 * t or opened after it) is the smallest unit of t's tree, of its level or
 * above, holding every unit that was ever under it and exists at t; with
 * none of those, the unit its last parent maps to. Facts of any day are then attributed through it.
 * Temp tables live on the connection until coso_store_frame_close. */
int coso_store_frame_open(coso_store *st, const char *scope, coso_day t);
void coso_store_frame_close(coso_store *st);

/* The units of the frame of level province, district and commune, parents
 * before children (the scope first), named as of t. parents[i] is the
 * index of the parent in the array, -1 for the scope. Free the refs with
 * coso_unit_ref_clear, and both arrays with free(). */
int coso_store_frame_units(coso_store *st, coso_day t, coso_unit_ref **out, long **parents, size_t *n);

/* Calls fn for each unit of the frame (as listed above) with its figures
 * from the facts of day d (every unit of d that maps into it). */
typedef int (*coso_frame_fig_fn)(void *ctx, const char *unit, const coso_figures *f);
int coso_store_frame_figures(coso_store *st, coso_day d, coso_frame_fig_fn fn, void *ctx);

/* Calls fn for each event of [from, to] (both included) and each unit of
 * the frame it maps into: ev 'a' an admission, 'c' one of commune level
 * (also given as 'a'), 'f' a founding, 'd' a dissolution, with cat a
 * COSO_SITE_* for 'f' and 'd'. */
typedef int (*coso_frame_event_fn)(void *ctx, const char *unit, char ev, int cat, coso_day day);
int coso_store_frame_events(coso_store *st, coso_day from, coso_day to, coso_frame_event_fn fn, void *ctx);

/* The contract's reports on the tree of day t (the children are t's). */
int coso_store_report_asof_tree(coso_store *st, const char *scope, coso_day d, coso_day t,
				coso_figures *total, coso_profile *profile, coso_unit_ref **children,
				coso_figures **child_figures, size_t *nchildren);
int coso_store_flow_tree(coso_store *st, const char *scope, coso_day from, coso_day to, coso_day t,
			 coso_flow *out);

#endif
