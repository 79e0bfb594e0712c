/*
 * store_services.h: the storage of the services register (docs/SERVICES.md):
 * the procedure catalogue, the cases and their events; loading (a file's
 * rows replace the stored rows of the keys it names), the register's set
 * checks, export, the derived clock columns, and the reads of the API and
 * the CLI, limited to the user's scope (store_access.h) and with the
 * denouncer's identity masked for everyone but the case's handling officer.
 */
#ifndef COSO_DB_STORE_SERVICES_H
#define COSO_DB_STORE_SERVICES_H

#include <stdbool.h>

#include "db/store.h"
#include "db/store_api.h"
#include "util/date.h"

typedef struct coso_svc_procedure {
	const char *code;
	coso_day valid_from, valid_to;  /* COSO_DAY_MIN / COSO_DAY_MAX when open */
	const char *name, *field;
	int days;                       /* processing time in working days */
	const char *source;             /* the decision that publishes it (may be NULL) */
} coso_svc_procedure;

/* A case. The fields after `note` are derived (reads only); days not set are
 * COSO_DAY_MAX. */
typedef struct coso_svc_case {
	const char *id, *kind, *unit_code;
	coso_day received_on;
	const char *procedure_code;     /* one-stop only */
	const char *subject;
	const char *person_name, *person_doc, *person_address; /* NULL when masked */
	int complexity;                 /* 0, 1 complex, 2 very complex */
	const char *officer;            /* the handling officer's user name */
	const char *note;
	/* derived */
	const char *unit_name, *procedure_name;
	int proc_days;                  /* -1 when none */
	bool remote, masked;
	coso_day accept_due, accepted_on, due_on, promised_on, closed_on;
	const char *closed_as;
	int extensions;
} coso_svc_case;

typedef struct coso_svc_event {
	const char *case_id;
	int seq;
	coso_day day;
	const char *action, *body;
	coso_day new_date;              /* COSO_DAY_MAX when none */
	const char *note;
} coso_svc_event;

/* ---- loading (an import, inside its transaction) ----------------------------------- */

/* Before a file's first row: forget the keys seen by an earlier file of this load. */
int coso_svc_load_begin(coso_store *st, int file);
/* Each returns 0, COSO_ECONFLICT for a key (procedure: and valid_from) given
 * twice in this file, or a negative coso_rc. The first row of a key removes
 * the stored rows of that key (an event file: the case's events). */
int coso_svc_put_procedure(coso_store *st, const coso_svc_procedure *p);
int coso_svc_put_case(coso_store *st, const coso_svc_case *c);
int coso_svc_put_event(coso_store *st, const coso_svc_event *e);

/* The register's set checks: fn gets each problem with the row's key (and
 * valid_from for procedures). Return the number of problems or < 0. */
int coso_svc_check_procedures(coso_store *st, coso_problem_fn fn, void *ctx);
int coso_svc_check_cases(coso_store *st, coso_problem_fn fn, void *ctx);
int coso_svc_check_events(coso_store *st, coso_problem_fn fn, void *ctx);

/* ---- export, in key order ------------------------------------------------------------ */

typedef int (*coso_svc_procedure_fn)(void *ctx, const coso_svc_procedure *p);
typedef int (*coso_svc_case_fn)(void *ctx, const coso_svc_case *c);
typedef int (*coso_svc_event_fn)(void *ctx, const coso_svc_event *e);
int coso_svc_each_procedure(coso_store *st, coso_day as_of, coso_svc_procedure_fn fn, void *ctx);
/* Every stored case, unmasked (export). */
int coso_svc_each_case_raw(coso_store *st, coso_svc_case_fn fn, void *ctx);
/* The events of one case (NULL: of every case), in order. */
int coso_svc_each_event(coso_store *st, const char *case_id, coso_svc_event_fn fn, void *ctx);

/* ---- the clock's columns ----------------------------------------------------------- */

/* What the clock needs of a case: kind, received_on, complexity, the
 * procedure's days as of received_on (-1 without one), whether the commune
 * is flagged difficult on received_on. COSO_ENOTFOUND when no such case. */
typedef struct coso_svc_basis {
	char kind[32];
	coso_day received_on;
	int complexity, proc_days;
	bool remote;
} coso_svc_basis;
int coso_svc_basis_of(coso_store *st, const char *id, coso_svc_basis *out);

/* Stores the derived columns of a case (days COSO_DAY_MAX are NULL), and its
 * scope path: the codes of its unit and the unit's ancestors on received_on. */
typedef struct coso_svc_derived {
	bool remote;
	coso_day accept_due, accepted_on, due_on, promised_on, closed_on;
	const char *closed_as;
	int extensions;
} coso_svc_derived;
int coso_svc_set_derived(coso_store *st, const char *id, const coso_svc_derived *d);

/* Every case at once (an import's check, `services recompute`): for each case,
 * in id order, compute(ctx, id, basis, its events in order, n, &derived)
 * fills the derived columns and returns 0 (stored), 1 (the case has a
 * problem, reported by the callback: left as it is) or < 0 (stop). Then the
 * scope paths of every case are computed in one statement. Returns 0 or < 0. */
typedef int (*coso_svc_compute_fn)(void *ctx, const char *id, const coso_svc_basis *b, const coso_svc_event *ev,
				   int n, coso_svc_derived *out);
int coso_svc_refresh_all(coso_store *st, int max_events, coso_svc_compute_fn compute, void *ctx);

/* ---- reads of the API and the CLI ---------------------------------------------------- */

/* Who reads: their user name decides whether a denouncer's identity is shown
 * (only to the case's officer; NULL: to nobody). */
typedef struct coso_svc_filter {
	const char *scope;    /* cases of this unit or of units under it on the day received (NULL: all) */
	const char *kind;     /* NULL: all */
	const char *status;   /* "all" (NULL), "open", "overdue" (open past the deadline on `day`),
			       * "due" (open, due on `day`), "late" (closed after the deadline),
			       * "closed" */
	const char *q;        /* words of the id or subject (NULL: any) */
	coso_day from, to;    /* received between (COSO_DAY_MIN / MAX: any) */
	coso_day day;         /* today, for "overdue" and "due" */
	long long page, per_page;
	const char *viewer;   /* the user name reading */
} coso_svc_filter;

/* Calls fn for each case of the filter (in received order, then id) on
 * the requested page; *total gets the count of all that match. Limited to
 * the reader's scope. */
int coso_svc_cases(coso_store *st, const coso_svc_filter *f, coso_svc_case_fn fn, void *ctx, long long *total);
/* One case, read within the scope: COSO_ENOTFOUND when it does not exist or
 * is outside. fn is called once. */
int coso_svc_case_get(coso_store *st, const char *id, const char *viewer, coso_svc_case_fn fn, void *ctx);

/* The procedures as of a day, in code order. */

/* ---- the figures (reports) --------------------------------------------------------- */

typedef struct coso_svc_figures {
	char key[64];              /* a kind, or a unit's code */
	char name[256];            /* the unit's name (by unit), "" by kind */
	long long received;        /* received in [from, to] */
	long long resolved;        /* closed in [from, to] */
	long long on_time;         /* of those, closed by the deadline */
	long long late;            /* of those, closed after it */
	long long open;            /* open at the end of `to` */
	long long overdue;         /* of those, past the deadline on `to` */
} coso_svc_figures;

/* The figures of the scope (NULL: all) for [from, to], by kind (by = 0), by
 * the unit of the case (by = 1), or of one-stop cases by procedure (by = 2),
 * within the reader's scope. *out is malloc'd; the first row is the total
 * (key ""). */
int coso_svc_figures_of(coso_store *st, const char *scope, coso_day from, coso_day to, int by,
			coso_svc_figures **out, size_t *n);
/* On-time share per month: received month -> resolved, on_time (rows of
 * key "YYYY-MM"), for one-stop cases of the scope, optionally one procedure. */
int coso_svc_monthly(coso_store *st, const char *scope, const char *procedure, coso_day from, coso_day to,
		     coso_svc_figures **out, size_t *n);

/* ---- citizen reception (tiếp công dân) ----------------------------------------------- */

/* One matter raised at a reception session; the session's columns repeat on
 * each of its rows. */
typedef struct coso_svc_matter {
	const char *session_id, *unit_code;
	coso_day day;
	const char *session_kind;      /* "regular", "chair", "unscheduled" */
	const char *host;              /* who received (may be NULL) */
	const char *person_name, *person_doc, *person_address; /* NULL when masked */
	const char *matter;
	const char *route;             /* a case kind, or "guidance" */
	const char *case_id;           /* the case it was routed to (may be NULL) */
	const char *note;
	/* reads */
	int seq;
	bool masked;
	int routed;                    /* coso_svc_sessions: the matters routed to a case */
	const char *unit_name;
} coso_svc_matter;

typedef int (*coso_svc_matter_fn)(void *ctx, const coso_svc_matter *m);

/* Loading: the first row of a session removes its stored rows. */
int coso_svc_put_matter(coso_store *st, const coso_svc_matter *m);
/* Set checks: a session's rows agree; its unit is a commune on its day; a
 * routed case exists, is of the session's commune, received on or after the
 * session, of the route's kind; guidance routes to no case. */
int coso_svc_check_receptions(coso_store *st, coso_problem_fn fn, void *ctx);
/* Every row (export), unmasked, by session and seq. */
int coso_svc_each_matter_raw(coso_store *st, coso_svc_matter_fn fn, void *ctx);

/* The sessions of a scope and period (the filter's scope, from, to, page,
 * per_page; limited to the reader's scope): fn gets the session's first row
 * with seq = the number of matters and routed = those routed to a case. */
int coso_svc_sessions(coso_store *st, const coso_svc_filter *f, coso_svc_matter_fn fn, void *ctx, long long *total);
/* The matters of one session, within the scope (COSO_ENOTFOUND outside); a
 * matter routed to a denunciation (or of that route) hides the person but
 * from the routed case's officer. */
int coso_svc_session_get(coso_store *st, const char *id, const char *viewer, coso_svc_matter_fn fn, void *ctx);
/* Counts of the scope and period: sessions (by kind), matters, routed. */
typedef struct coso_svc_reception_figures {
	long long sessions, regular, chair, unscheduled, matters, routed;
} coso_svc_reception_figures;
int coso_svc_reception_figures_of(coso_store *st, const char *scope, coso_day from, coso_day to,
				  coso_svc_reception_figures *out);
/* Adds a matter (and its session when new), in its own transaction with the
 * checks and an audit entry; problems by field into errs (COSO_EINVALID). */
int coso_svc_write_matter(coso_store *st, const coso_svc_matter *m, coso_field_errors *errs);

/* ---- voters' petitions to the People's Council (kiến nghị cử tri) ------------------------ */

typedef struct coso_svc_voter {
	const char *id, *unit_code;
	coso_day meeting_on;          /* the meeting with voters (tiếp xúc cử tri) */
	const char *council;          /* the session it is for, e.g. "HĐND xã, kỳ họp thứ 8" */
	coso_day next_session_on;     /* by which it must be answered */
	const char *content, *field;
	const char *addressee;        /* the body that must answer */
	coso_day answered_on;         /* COSO_DAY_MAX: not answered */
	const char *answer, *note;
	const char *unit_name;        /* reads */
} coso_svc_voter;

typedef int (*coso_svc_voter_fn)(void *ctx, const coso_svc_voter *v);

/* Loading: key id. */
int coso_svc_put_voter(coso_store *st, const coso_svc_voter *v);
/* Set checks: the unit is a commune on the meeting's day; the next session
 * after the meeting; an answer not before the meeting. */
int coso_svc_check_voters(coso_store *st, coso_problem_fn fn, void *ctx);
/* Every row, by id (export). */
int coso_svc_each_voter(coso_store *st, coso_svc_voter_fn fn, void *ctx);
/* Those of the filter (scope, from/to on the meeting's day, q: one id, status "all",
 * "answered", "unanswered" (on the filter's day), "late" (not answered by the
 * next session), page), within the reader's scope; *total of all matching. */
int coso_svc_voters(coso_store *st, const coso_svc_filter *f, coso_svc_voter_fn fn, void *ctx, long long *total);
/* Per commune of the scope, for meetings in [from, to]: key the unit's code;
 * received = collected, resolved = answered, on_time = answered by the next
 * session, open = not answered (first row: the total). */
int coso_svc_voter_figures(coso_store *st, const char *scope, coso_day from, coso_day to, coso_svc_figures **out,
			   size_t *n);
/* A new petition (COSO_EINVALID with errs), or the answer to one (404
 * outside the scope). Own transaction, checks, audit entry. */
int coso_svc_write_voter(coso_store *st, const coso_svc_voter *v, coso_field_errors *errs);
int coso_svc_write_voter_answer(coso_store *st, const char *id, coso_day day, const char *answer,
				coso_field_errors *errs);

/* ---- writes (API) ------------------------------------------------------------------ */

/* A new case (id free, unit a commune existing on received_on, ...): problems
 * by field into errs (COSO_EINVALID). Runs in its own transaction with the
 * clock (refresh) and an audit entry. `refresh` is core's function that
 * recomputes the derived columns of one case. */
typedef int (*coso_svc_refresh_fn)(coso_store *st, const char *id, coso_field_errors *errs);
int coso_svc_write_case(coso_store *st, const coso_svc_case *c, coso_svc_refresh_fn refresh,
			coso_field_errors *errs);
int coso_svc_write_event(coso_store *st, const coso_svc_event *e, coso_svc_refresh_fn refresh,
			 coso_field_errors *errs);
/* Corrects the procedure of a one-stop case: the due date is computed anew. */
int coso_svc_write_procedure(coso_store *st, const char *id, const char *procedure_code,
			     coso_svc_refresh_fn refresh, coso_field_errors *errs);

#endif
