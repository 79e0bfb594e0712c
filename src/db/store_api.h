/*
 * store_api.h: the store functions behind the HTTP API (docs/API.md):
 * reading the registry as of a day (filtered, sorted, paged), member search,
 * series for charts, and the dated events that change the registry.
 *
 * Like store.h, every function returns 0 (or a count where it says so) or a
 * negative coso_rc with a message in the error slot. Rows handed to callbacks
 * are borrowed: their strings are valid only during the call.
 */
#ifndef COSO_DB_STORE_API_H
#define COSO_DB_STORE_API_H

#include <stdbool.h>
#include <stddef.h>

#include "db/store.h"

/* Opens an existing database for the API (coso_store_open without creating
 * it) and registers what the API's queries need on the connection: the SQL
 * function vn_match(text, query) (every folded word of query begins a folded
 * word of text) and the collation "vi" (Vietnamese order). The read functions
 * below that filter or sort by name need a store opened this way. Free with
 * coso_store_close(). */
int coso_store_open_api(coso_store **out, const char *path);

/* (Re)builds the search data of members (migration 2: folded name and id, the
 * full-text index, the Vietnamese sort key of the name given name first) for
 * the members that have none or whose name changed, and drops it for members
 * that are gone; rebuilds all of it when the collator's version changed.
 * Runs inside the open transaction when there is one (so an import can call
 * it before its commit), else in its own. Returns the number of members
 * (re)indexed, or a negative coso_rc. */
int coso_store_refresh_search(coso_store *st);
/* The same for member `id` only (after a write that adds or renames it). */
int coso_store_refresh_search_member(coso_store *st, const char *id);

/* Counts in *out_of_order the rows of the search data whose number does not
 * follow the sort order (0 when the data is sound; the tests check it). */
int coso_store_search_check(coso_store *st, long long *out_of_order);

/* ---- reads ---------------------------------------------------------------
 *
 * Lists take page (from 1) and per_page (0: no limit) and set *total to the
 * number of matching rows, whatever the page. */

typedef enum coso_sort { COSO_SORT_CODE, COSO_SORT_NAME, COSO_SORT_ADMITTED } coso_sort;

typedef struct coso_unit_query {
	coso_day as_of;
	const char *parent;  /* units whose parent is this code (NULL: any) */
	bool top;            /* only units without a parent */
	coso_level level;    /* COSO_LEVEL_NONE: any */
	const char *q;       /* words of the name or code, diacritics and case ignored (NULL: any) */
	coso_sort sort;      /* CODE or NAME (Vietnamese order, then code) */
	bool desc;
	long long page, per_page;
} coso_unit_query;

/* Units existing at as_of. */
int coso_store_units(coso_store *st, const coso_unit_query *q, coso_unit_fn fn, void *ctx,
		     long long *total);

/* The row of unit `code` covering d: calls fn with it and returns 1; returns
 * 0 (fn not called) when the unit exists at other times only, COSO_ENOTFOUND
 * when the code was never in the registry. */
int coso_store_unit_get(coso_store *st, const char *code, coso_day d, coso_unit_fn fn, void *ctx);

/* Every row of unit `code`, oldest first. */
int coso_store_unit_history(coso_store *st, const char *code, coso_unit_fn fn, void *ctx);

/* The units above `code` at d, top first (none when code does not exist at d). */
int coso_store_unit_ancestors(coso_store *st, const char *code, coso_day d, coso_unit_fn fn, void *ctx);

typedef struct coso_institution_item {
	coso_institution_row row;
	bool has_org;        /* an organization that exists at as_of sits there */
} coso_institution_item;
typedef int (*coso_institution_item_fn)(void *ctx, const coso_institution_item *it);

typedef struct coso_institution_query {
	coso_day as_of;
	const char *code;    /* this institution only (NULL: any) */
	const char *unit;    /* in this unit or a unit under it at as_of (NULL: anywhere) */
	bool direct;         /* with unit: in that unit itself only */
	const char *kind;    /* NULL: any */
	long long page, per_page;
} coso_institution_query;

/* Institutions existing at as_of, by code. */
int coso_store_institutions(coso_store *st, const coso_institution_query *q,
			    coso_institution_item_fn fn, void *ctx, long long *total);

typedef struct coso_org_item {
	coso_org_row row;
	long long members;   /* active members at as_of in it and the organizations under it */
} coso_org_item;
typedef int (*coso_org_item_fn)(void *ctx, const coso_org_item *it);

typedef struct coso_org_query {
	coso_day as_of;
	const char *parent;  /* organizations whose parent is this code (NULL: any) */
	bool top;            /* only organizations without a parent */
	const char *scope;   /* sited in this unit or under it at as_of (NULL: anywhere) */
	const char *site_unit; /* sited in this very unit (NULL: any) */
	const char *kind;    /* committee or cell (NULL: any) */
	const char *q;       /* words of the name or code, diacritics and case ignored (NULL: any) */
	coso_sort sort;      /* CODE or NAME */
	bool desc;
	long long page, per_page;
} coso_org_query;

/* Organizations existing at as_of. */
int coso_store_orgs(coso_store *st, const coso_org_query *q, coso_org_item_fn fn, void *ctx,
		    long long *total);

/* As coso_store_unit_get, for organization `code` (with its member count). */
int coso_store_org_get(coso_store *st, const char *code, coso_day d, coso_org_item_fn fn, void *ctx);
int coso_store_org_history(coso_store *st, const char *code, coso_org_fn fn, void *ctx);
int coso_store_org_ancestors(coso_store *st, const char *code, coso_day d, coso_org_fn fn, void *ctx);

/* Where a member is at as_of: "probationary", "official", "ended" or
 * "not_admitted". */
const char *coso_member_status(const coso_member_row *m, coso_day d);

typedef struct coso_member_item {
	coso_member_row row;
	const char *status;  /* at as_of (coso_member_status) */
	/* The member's period at as_of: the one covering it, else the last one
	 * before it, else the first; organization and residence named as of the
	 * day of that period nearest to as_of. NULL when none. */
	const char *org_code, *org_name;
	const char *residence_code, *residence_name;
} coso_member_item;
typedef int (*coso_member_item_fn)(void *ctx, const coso_member_item *it);

typedef struct coso_member_query {
	coso_day as_of;
	const char *q;       /* words of the name or id, prefixes, any order, diacritics and case ignored */
	const char *scope;   /* the member's organization sits in this unit or under it at as_of */
	const char *org;     /* the member's organization is this one or one under it at as_of */
	bool all;            /* every member, not only those active at as_of */
	coso_sort sort;      /* NAME (given name first), ADMITTED, or CODE (id) */
	bool desc;
	long long page, per_page;
} coso_member_query;

/* The deepest row a member list shows (page x per_page): past it, narrow the list. */
#define COSO_MEMBERS_MAX_OFFSET 10000

/* One page of the members that match q, and their number: *total_exact
 * false means "more than *total" (a long list is not counted to its end).
 * The cost follows the page and the share of members that match, not the
 * registry's size (store_api.c). COSO_EINVALID past COSO_MEMBERS_MAX_OFFSET. */
int coso_store_members(coso_store *st, const coso_member_query *q, coso_member_item_fn fn, void *ctx,
		       long long *total, bool *total_exact);

/* Member `id` as of d; COSO_ENOTFOUND when there is none. */
int coso_store_member_get(coso_store *st, const char *id, coso_day d, coso_member_item_fn fn, void *ctx);

typedef struct coso_period_item {
	coso_period_row row;
	const char *org_name;        /* as of the period's first day */
	const char *residence_name;  /* NULL when no residence */
} coso_period_item;
typedef int (*coso_period_item_fn)(void *ctx, const coso_period_item *it);

/* The periods of member `id`, oldest first. */
int coso_store_member_periods(coso_store *st, const char *id, coso_period_item_fn fn, void *ctx);

/* Every admission in [from, to] (both included) in `scope` (NULL: all),
 * counted as coso_store_flow counts them: fn gets its day and whether it is of
 * commune level. Days come in increasing order. */
int coso_store_admissions(coso_store *st, const char *scope, coso_day from, coso_day to,
			  int (*fn)(void *ctx, coso_day day, bool commune_level), void *ctx);

/* ---- writes ---------------------------------------------------------------
 *
 * Each write is one dated event in one transaction: the rows are changed
 * (a period is split at the event's day: the current row ends that day and a
 * new row starts it), the record is checked on its own, and then the whole
 * registry is checked by coso_store_validate, as an import is. On any problem
 * nothing is written and COSO_EINVALID is returned with every problem in
 * `errs`, each naming the request's field (the format's column names, and
 * "date" for an event's day). A record to change that does not exist is
 * COSO_ENOTFOUND (message in the error slot, errs untouched). */

typedef struct coso_field_error {
	char *field;
	char *message;
} coso_field_error;

typedef struct coso_field_errors {
	coso_field_error *v;
	size_t n, cap;
	size_t dropped;      /* problems beyond COSO_FIELD_ERRORS_MAX, or lost to out of memory */
} coso_field_errors;

#define COSO_FIELD_ERRORS_INIT { NULL, 0, 0, 0 }
#define COSO_FIELD_ERRORS_MAX 100

void coso_field_errors_add(coso_field_errors *e, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Frees the messages; the struct may be reused. Accepts NULL. */
void coso_field_errors_clear(coso_field_errors *e);

typedef struct coso_member_admission {
	const char *id, *full_name, *gender, *ethnicity;
	coso_day birth_date, admitted_on;
	const char *org_code;
	const char *residence_code; /* NULL: not given */
} coso_member_admission;

/* Admits a member: the member and a first period from admitted_on. */
int coso_store_member_admit(coso_store *st, const coso_member_admission *a, coso_field_errors *errs);
/* Recognises member `id` as official on `day` (field official_on). */
int coso_store_member_official(coso_store *st, const char *id, coso_day day, coso_field_errors *errs);
/* From `day` member `id` belongs to org_code and/or lives in residence_code
 * (NULL: unchanged): the current period ends on day and a new one starts. */
int coso_store_member_transfer(coso_store *st, const char *id, coso_day day, const char *org_code,
			       const char *residence_code, coso_field_errors *errs);
/* Ends the membership on `day` (field ended_on) for `reason` (end_reason);
 * a current period that runs past it ends that day. */
int coso_store_member_end(coso_store *st, const char *id, coso_day day, const char *reason,
			  coso_field_errors *errs);

/* party (store_party.c): the same member writes with a step of another
 * register run inside their transaction, after the member's rows are
 * written and before the registry is checked and the entry appended: it
 * writes its own rows and audit entry, or adds problems to errs (then
 * nothing is written). */
typedef int (*coso_write_hook)(coso_store *st, void *ctx, coso_field_errors *errs);
int coso_store_member_admit_with(coso_store *st, const coso_member_admission *a, coso_field_errors *errs,
				 coso_write_hook hook, void *hook_ctx);
int coso_store_member_official_with(coso_store *st, const char *id, coso_day day, coso_field_errors *errs,
				    coso_write_hook hook, void *hook_ctx);
int coso_store_member_end_with(coso_store *st, const char *id, coso_day day, const char *reason,
			       coso_field_errors *errs, coso_write_hook hook, void *hook_ctx);
int coso_store_member_transfer_with(coso_store *st, const char *id, coso_day day, const char *org_code,
				    const char *residence_code, coso_field_errors *errs, coso_write_hook hook,
				    void *hook_ctx);

/* Founds an organization: r's row from r->valid_from on (r->valid_to is ignored). */
int coso_store_org_found(coso_store *st, const coso_org_row *r, coso_field_errors *errs);
int coso_store_org_rename(coso_store *st, const char *code, coso_day day, const char *name,
			  coso_field_errors *errs);
int coso_store_org_move(coso_store *st, const char *code, coso_day day, const char *parent_code,
			coso_field_errors *errs);
/* Dissolves: the last row ends on day. */
int coso_store_org_dissolve(coso_store *st, const char *code, coso_day day, coso_field_errors *errs);

/* Adds a unit: r's row from r->valid_from on (r->valid_to is ignored). */
int coso_store_unit_create(coso_store *st, const coso_unit_row *r, coso_field_errors *errs);
/* Renames (kind: NULL keeps it). */
int coso_store_unit_rename(coso_store *st, const char *code, coso_day day, const char *name,
			   const char *kind, coso_field_errors *errs);
int coso_store_unit_move(coso_store *st, const char *code, coso_day day, const char *parent_code,
			 coso_field_errors *errs);
/* Closes: the last row ends on day. */
int coso_store_unit_close(coso_store *st, const char *code, coso_day day, coso_field_errors *errs);

/* Adds an institution from r->valid_from on (r->valid_to is ignored). */
int coso_store_institution_create(coso_store *st, const coso_institution_row *r, coso_field_errors *errs);

#endif
