/*
 * report.h: the reports of the registry (docs/FORMAT.md, "The report
 * contract"): figures as of a day, and flows over a period, for a scope, in
 * JSON (the contract), text (for people, in Vietnamese) and CSV.
 */
#ifndef COSO_REPORT_REPORT_H
#define COSO_REPORT_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "db/store.h"

typedef struct coso_report_asof {
	coso_day as_of;
	coso_unit_ref scope;   /* code "" when the scope is several top units */
	coso_figures total;
	coso_profile profile;  /* units of the scope by level, kind and flags */
	coso_unit_ref *children;
	coso_figures *child_figures;
	size_t nchildren;
	coso_day tree_as_of;   /* COSO_DAY_MIN: the tree of as_of */
} coso_report_asof;

typedef struct coso_report_flow {
	coso_day from, to;     /* both included */
	coso_unit_ref scope;
	coso_flow flow;
	coso_day tree_as_of;   /* COSO_DAY_MIN: events counted where they happened */
} coso_report_flow;

/* The name given to a scope made of several top units. */
#define COSO_REPORT_ALL_NAME "Toàn quốc"

/* Builds the report as of day d for `scope` (NULL: the top unit, or all
 * top units when there are several). A scope that is not in the registry is
 * COSO_EINVALID; one that exists at another time only gives zeros and an
 * empty name. Free with coso_report_asof_clear(). */
int coso_report_asof_build(coso_store *st, const char *scope, coso_day d, coso_report_asof *out);
void coso_report_asof_clear(coso_report_asof *r);

/* Builds the flows of [from, to] for `scope` (as above; the scope is named as
 * of `to`). Free with coso_report_flow_clear(). */
int coso_report_flow_build(coso_store *st, const char *scope, coso_day from, coso_day to,
			   coso_report_flow *out);
void coso_report_flow_clear(coso_report_flow *r);

/* plans: the same on the tree of day `tree` (COSO_DAY_MIN: the report's
 * own day, as above): the children are those of tree's day and the facts
 * of a unit that does not exist then count where it maps (db/store_plans.h,
 * coso_store_frame_open). The JSON then also has "tree_as_of". */
int coso_report_asof_build_tree(coso_store *st, const char *scope, coso_day d, coso_day tree,
				coso_report_asof *out);
int coso_report_flow_build_tree(coso_store *st, const char *scope, coso_day from, coso_day to, coso_day tree,
				coso_report_flow *out);

/* The contract's JSON objects (new references, owned by the caller). */
json_t *coso_report_asof_json(const coso_report_asof *r);
json_t *coso_report_flow_json(const coso_report_flow *r);

/* Text for people, in Vietnamese with Vietnamese number format. With
 * `before` (may be NULL), the two dates side by side with the change. */
int coso_report_asof_text(FILE *out, const coso_report_asof *r, const coso_report_asof *before);
int coso_report_flow_text(FILE *out, const coso_report_flow *r);

/* CSV: the scope's row first, then one row per child. */
int coso_report_asof_csv(FILE *out, const coso_report_asof *r);
int coso_report_flow_csv(FILE *out, const coso_report_flow *r);

/* services: prints s left- (or right-) aligned in `width` display columns
 * (one per code point), as the text reports do. */
void coso_report_cell(FILE *out, const char *s, size_t width, bool right);

#endif
