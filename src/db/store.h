/*
 * store.h: the storage module. All SQL of coso lives behind this interface
 * (src/db/), so a second engine can be added without touching the callers;
 * only src/db includes sqlite3.h.
 *
 * A store is one open database. It is not thread-safe: open one per thread.
 * Every function returns 0 or a negative coso_rc with a message in the error
 * slot (util/error.h).
 */
#ifndef COSO_DB_STORE_H
#define COSO_DB_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/registry.h"
#include "util/date.h"

typedef struct coso_store coso_store;

enum {
	COSO_STORE_CREATE = 1,   /* create the database file when missing */
	COSO_STORE_READONLY = 2,
};

/* Opens (and with COSO_STORE_CREATE creates) the database at path, applies
 * pending schema migrations, turns on WAL and foreign keys. *created tells
 * whether the file was new (may be NULL). Free with coso_store_close(). */
int coso_store_open(coso_store **out, const char *path, int flags, bool *created);
void coso_store_close(coso_store *st);

/* Readies a connection that will load many rows (an import): its sorts
 * (the indexes a load builds) run on worker threads, one a CPU, which needs
 * temporary data in files (the operating system's cache) rather than in the
 * connection's memory. Call it right after coso_store_open: the change drops
 * the connection's temporary tables. */
int coso_store_bulk(coso_store *st);

/* The schema version recorded in PRAGMA user_version. */
int coso_store_schema_version(coso_store *st);

/* One write transaction (BEGIN IMMEDIATE ... COMMIT / ROLLBACK). */
int coso_store_begin(coso_store *st);
int coso_store_commit(coso_store *st);
void coso_store_rollback(coso_store *st);

/* Rebuilds the derived counts (step tables) of what this transaction
 * changed; call it after the changes and checks, before commit. */
int coso_store_refresh_summaries(coso_store *st);

/* A read transaction, so that several queries see one state of the registry. */
int coso_store_begin_read(coso_store *st);
void coso_store_end_read(coso_store *st);

/* ---- bulk loading (inside a transaction) --------------------------------
 *
 * coso_store_load_begin() prepares loading of one file. Rows are then added
 * one by one: the first row of a key (code, id, member id) in this load
 * removes the stored rows of that key, so a file replaces what it names and
 * leaves other keys alone. COSO_ECONFLICT is returned for a second row of the
 * same key starting the same day (or a second member or institution with the
 * same code). */
int coso_store_load_begin(coso_store *st, coso_file file);
int coso_store_add_unit(coso_store *st, const coso_unit_row *r);
int coso_store_add_institution(coso_store *st, const coso_institution_row *r);
int coso_store_add_org(coso_store *st, const coso_org_row *r);
int coso_store_add_member(coso_store *st, const coso_member_row *r);
int coso_store_add_period(coso_store *st, const coso_period_row *r);
int coso_store_load_end(coso_store *st);

/* A problem found by validation: the file and the row's key (the row's code
 * or id, and its valid_from for period rows, COSO_DAY_MIN otherwise), the
 * column, and what is wrong. `touched` tells whether the row came from this
 * import (so that a line can be found) or was already stored. */
typedef struct coso_problem {
	int file; /* a coso_file, or an import's register file (core/register.h) */
	const char *key;
	coso_day valid_from;
	const char *column;
	const char *message;
	bool touched;
} coso_problem;

typedef void (*coso_problem_fn)(void *ctx, const coso_problem *p);

/* Checks the whole registry as it stands in the open transaction against the
 * rules of the format (contiguous rows, references that exist at the time,
 * parents of a higher level, no cycles, member periods that cover the active
 * span, ...), calling fn for each problem. Returns the number of problems
 * (>= 0) or a negative coso_rc. */
int coso_store_validate(coso_store *st, coso_problem_fn fn, void *ctx);

/* ---- reading everything back (export) ---------------------------------- */
typedef int (*coso_unit_fn)(void *ctx, const coso_unit_row *r);
typedef int (*coso_institution_fn)(void *ctx, const coso_institution_row *r);
typedef int (*coso_org_fn)(void *ctx, const coso_org_row *r);
typedef int (*coso_member_fn)(void *ctx, const coso_member_row *r);
typedef int (*coso_period_fn)(void *ctx, const coso_period_row *r);

/* Calls fn for every stored row in key order; a non-zero return from fn
 * stops and is returned. */
int coso_store_each_unit(coso_store *st, coso_unit_fn fn, void *ctx);
int coso_store_each_institution(coso_store *st, coso_institution_fn fn, void *ctx);
int coso_store_each_org(coso_store *st, coso_org_fn fn, void *ctx);
int coso_store_each_member(coso_store *st, coso_member_fn fn, void *ctx);
int coso_store_each_period(coso_store *st, coso_period_fn fn, void *ctx);

/* ---- report figures ------------------------------------------------------ */

/* The figures of one unit (or of the scope) as of a day. */
typedef struct coso_figures {
	long long villages_total, villages_with_org, villages_without_member;
	long long schools_total, schools_with_org;
	long long health_total, health_with_org;
	long long members_total, members_probationary;
} coso_figures;

/* Admissions, foundings and dissolutions in a period. */
enum { COSO_SITE_VILLAGE, COSO_SITE_SCHOOL, COSO_SITE_HEALTH, COSO_SITE_OTHER, COSO_SITE_MAX };
typedef struct coso_flow {
	long long admissions, admissions_commune;
	long long founded[COSO_SITE_MAX];
	long long dissolved[COSO_SITE_MAX];
} coso_flow;

/* A unit in a report: code and name (owned by the report that holds it). */
typedef struct coso_unit_ref {
	char *code;
	char *name;
	coso_level level;
} coso_unit_ref;

/* Looks up the row of unit `code` covering day `d`. Returns 0 and fills *out
 * (strings malloc'd, freed by coso_unit_ref_clear) when it exists at d,
 * COSO_ENOTFOUND when the code exists at another time only (name ""),
 * COSO_EINVALID when the code was never in the registry. */
int coso_store_unit_at(coso_store *st, const char *code, coso_day d, coso_unit_ref *out);
void coso_unit_ref_clear(coso_unit_ref *u);

/* The units with no parent that exist at d, or (when none exists at d) at any
 * day of [from, d]. *out is a malloc'd array of *n refs; free each with
 * coso_unit_ref_clear and the array with free(). */
int coso_store_top_units(coso_store *st, coso_day from, coso_day d, coso_unit_ref **out, size_t *n);

/* The children of scope at d (units whose parent at d is scope; the top units
 * when scope is NULL), with their figures, and the figures of the scope (the
 * sum over its whole subtree). children is malloc'd (free each ref and the
 * array). */
int coso_store_figures_asof(coso_store *st, const char *scope, coso_day d,
			    coso_figures *total, coso_unit_ref **children,
			    coso_figures **child_figures, size_t *nchildren);

/* The administrative profile of a scope as of a day (the article's first
 * paragraph): units by level, communes by kind, flags, population (the sum
 * over villages, or over communes when no village gives one). */
typedef struct coso_profile {
	long long districts, communes, villages;
	long long communes_xa, communes_phuong, communes_thi_tran, communes_other;
	long long border_communes, difficult_communes, difficult_villages;
	long long population;
} coso_profile;

int coso_store_profile_asof(coso_store *st, const char *scope, coso_day d, coso_profile *out);

/* coso_store_figures_asof and coso_store_profile_asof in one pass over the
 * subtree (profile may be NULL). */
int coso_store_report_asof(coso_store *st, const char *scope, coso_day d,
			   coso_figures *total, coso_profile *profile, coso_unit_ref **children,
			   coso_figures **child_figures, size_t *nchildren);

/* The flows in [from, to] (both days included) for scope (NULL: everything). */
int coso_store_flow(coso_store *st, const char *scope, coso_day from, coso_day to, coso_flow *out);

#endif
