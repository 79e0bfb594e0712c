/*
 * api.h: the routes of the HTTP API (docs/API.md) and what their handlers
 * see. A handler gets an api_req whose query and body the dispatcher has
 * already checked against the route's declared parameters (types, dates,
 * ranges, known values, required body fields), and fills an api_res. It
 * never sees the HTTP library, and returns 0 or a negative coso_rc with the
 * message in the error slot; the dispatcher maps that to a status in one
 * place (dispatch.c): COSO_ENOTFOUND 404, COSO_EINVALID 422 when the handler
 * put field errors in res->errors and 400 otherwise, API_EUNAUTHORIZED 401,
 * API_EFORBIDDEN 403, API_ETHROTTLED 429, anything else 500.
 *
 * Who may call a route is declared in the table too (docs/SECURITY.md): its
 * permission, and which parameters name records, so that the dispatcher
 * checks the session, the role and the user's scope before the handler runs
 * (access.c).
 */
#ifndef COSO_HTTP_API_H
#define COSO_HTTP_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "auth/auth.h"
#include "db/store_api.h"
#include "db/store_auth.h"
#include "http/http.h"

/* Results of handlers beyond util/error.h's, for the session's routes and
 * the scope checks of writes. */
#define API_EUNAUTHORIZED (-101)  /* 401: not signed in, or wrong credentials */
#define API_EFORBIDDEN (-102)     /* 403 */
#define API_ETHROTTLED (-103)     /* 429: too many failed sign-ins (res->retry_after) */

/* Who may call a route: anyone, anyone signed in, or a permission of the
 * signed-in user's role (auth/auth.h). */
typedef enum api_perm {
	API_PUBLIC,
	API_SIGNED_IN,
	API_READ,
	API_WRITE_REGISTRY,
	API_WRITE_UNITS,
	API_ADMIN,
} api_perm;

/* ---- parameters -------------------------------------------------------------- */

typedef enum api_type {
	API_STRING,   /* any text ("" allowed in a query: e.g. parent= for the top) */
	API_DATE,     /* YYYY-MM-DD that exists */
	API_INT,      /* whole number in [min, max] */
	API_FLAG,     /* body: true/false or 0/1 */
	API_ENUM,     /* one of values */
} api_type;

typedef struct api_param {
	const char *name;
	api_type type;
	bool required;
	const char *description;
	const char *const *values;  /* API_ENUM: NULL-terminated */
	long long min, max;         /* API_INT */
	coso_ref_kind ref;          /* a record's code: checked against the user's scope (403) */
} api_param;

#define API_MAX_PATH_PARAMS 2
#define API_MAX_QUERY 16

struct api_route;

/* The signed-in user of a request. */
typedef struct api_user {
	coso_user u;               /* name, role, scope (NULL: everything) */
	coso_role role;
	char token[COSO_TOKEN_TEXT]; /* the session's token, from the cookie */
	char *home;                /* api_default_scope() (malloc'd) */
} api_user;

typedef struct api_req {
	coso_store *st;
	const struct api_route *route;
	const char *path[API_MAX_PATH_PARAMS]; /* the {params} of the pattern, in order */
	const char *query[API_MAX_QUERY];      /* by index in route->query; NULL when absent */
	json_t *body;                          /* POST: a JSON object checked against route->body */
	coso_day today;
	const api_user *user;                  /* NULL on a public route */
	const char *token;                     /* the session's token (signed-in routes) */
	const char *default_scope;             /* reports without scope: NULL (everything) or the user's */
	const char *remote;                    /* the client's address, NULL when unknown */
	bool secure;                           /* the client reached us over TLS (cookies are Secure) */
	FILE *log;                             /* where sign-ins are logged (NULL: nowhere) */
} api_req;

typedef struct api_res {
	int status;                /* the handler's success status (the route's by default) */
	json_t *body;              /* owned */
	coso_field_errors errors;  /* with COSO_EINVALID: 422 */
	char *set_cookie;          /* a Set-Cookie header to send (malloc'd), or NULL */
	int retry_after;           /* with API_ETHROTTLED: seconds */
} api_res;

typedef int (*api_handler)(const api_req *req, api_res *res);

typedef struct api_route {
	const char *method;        /* GET or POST */
	const char *pattern;       /* e.g. /api/v1/units/{code} */
	api_perm perm;             /* who may call it */
	coso_ref_kind path_ref;    /* what the pattern's first {param} names (404 outside the scope) */
	api_handler handler;
	size_t body_limit;         /* bytes; 0 for routes without a body */
	int status;                /* on success: 200, or 201 for a creation */
	const char *summary;
	const api_param *query;    /* ends with {NULL} */
	const api_param *body;     /* POST: the JSON object's fields, ends with {NULL} */
} api_route;

/* The route table (routes.c). */
extern const api_route api_routes[];
extern const size_t api_nroutes;

/* ---- reading a request ----------------------------------------------------------- */

/* Query value of `name` (declared in the route), NULL when absent. */
const char *api_query(const api_req *req, const char *name);
/* Checked values; dflt when absent. */
coso_day api_query_day(const api_req *req, const char *name, coso_day dflt);
long long api_query_int(const api_req *req, const char *name, long long dflt);

/* Body values (fields declared in the route, already type-checked). A string
 * field that is absent, null or "" is NULL unless it is required. */
const char *api_body_str(const api_req *req, const char *name);
coso_day api_body_day(const api_req *req, const char *name, coso_day dflt);
int api_body_flag(const api_req *req, const char *name, int dflt);
long long api_body_int(const api_req *req, const char *name, long long dflt);

/* ---- JSON of the registry's records (api_json.c) -------------------------------- */

json_t *api_day(coso_day d);              /* "YYYY-MM-DD", or null for an open end */
json_t *api_unit(const coso_unit_row *r);
json_t *api_unit_ref(const coso_unit_row *r);  /* {code, name, level} */
json_t *api_institution(const coso_institution_item *it);
json_t *api_org(const coso_org_item *it);
json_t *api_org_row(const coso_org_row *r);
json_t *api_org_ref(const coso_org_row *r);    /* {code, name, kind} */
json_t *api_member(const coso_member_item *it);
json_t *api_ref(const char *code, const char *name); /* {code, name}, or null without code */

/* Collecting rows into a JSON array (ctx is the array); -1 on out of memory. */
int api_collect_unit(void *ctx, const coso_unit_row *r);
int api_collect_unit_ref(void *ctx, const coso_unit_row *r);
int api_collect_institution(void *ctx, const coso_institution_item *it);
int api_collect_org(void *ctx, const coso_org_item *it);
int api_collect_org_row(void *ctx, const coso_org_row *r);
int api_collect_org_ref(void *ctx, const coso_org_row *r);
int api_collect_member(void *ctx, const coso_member_item *it);

/* A page: {items, page, per_page, total} (takes items). */
json_t *api_page(json_t *items, long long page, long long per_page, long long total);

/* Paging of a list route: page (1..) and per_page (1..500, default 50). */
void api_paging(const api_req *req, long long *page, long long *per_page);
/* sort=field or -field; returns the field (without '-'), *desc set; dflt when absent. */
const char *api_sort(const api_req *req, const char *dflt, bool *desc);

/* Sets res->body to obj, or fails with COSO_ENOMEM when obj is NULL. */
int api_ok(api_res *res, json_t *obj);

/* ---- handlers ------------------------------------------------------------------ */

int api_health(const api_req *req, api_res *res);
int api_openapi(const api_req *req, api_res *res);

int api_session_start(const api_req *req, api_res *res);
int api_session_get(const api_req *req, api_res *res);
int api_session_end(const api_req *req, api_res *res);
int api_users_list(const api_req *req, api_res *res);

int api_units_list(const api_req *req, api_res *res);
int api_units_get(const api_req *req, api_res *res);
int api_institutions_list(const api_req *req, api_res *res);
int api_orgs_list(const api_req *req, api_res *res);
int api_orgs_get(const api_req *req, api_res *res);
int api_members_list(const api_req *req, api_res *res);
int api_members_get(const api_req *req, api_res *res);

int api_reports_asof(const api_req *req, api_res *res);
int api_reports_flow(const api_req *req, api_res *res);
int api_reports_timeline(const api_req *req, api_res *res);
int api_reports_admissions(const api_req *req, api_res *res);
/* cadres (api_cadres.c) */
int api_cadres_summary(const api_req *req, api_res *res);
int api_cadres_posts(const api_req *req, api_res *res);
int api_cadres_training(const api_req *req, api_res *res);
/* end cadres */
/* plans (api_plans.c) */
int api_resolutions_list(const api_req *req, api_res *res);
int api_reports_targets(const api_req *req, api_res *res);
int api_reports_narrative(const api_req *req, api_res *res);

int api_members_admit(const api_req *req, api_res *res);
int api_members_official(const api_req *req, api_res *res);
int api_members_transfer(const api_req *req, api_res *res);
int api_members_end(const api_req *req, api_res *res);
int api_orgs_found(const api_req *req, api_res *res);
int api_orgs_rename(const api_req *req, api_res *res);
int api_orgs_move(const api_req *req, api_res *res);
int api_orgs_dissolve(const api_req *req, api_res *res);
int api_units_create(const api_req *req, api_res *res);
int api_units_rename(const api_req *req, api_res *res);
int api_units_move(const api_req *req, api_res *res);
int api_units_close(const api_req *req, api_res *res);
int api_institutions_create(const api_req *req, api_res *res);

/* services (api_services.c, docs/SERVICES.md) */
int api_svc_procedures(const api_req *req, api_res *res);
int api_svc_cases(const api_req *req, api_res *res);
int api_svc_case_get(const api_req *req, api_res *res);
int api_svc_report(const api_req *req, api_res *res);
int api_svc_case_add(const api_req *req, api_res *res);
int api_svc_case_event(const api_req *req, api_res *res);
int api_svc_case_procedure(const api_req *req, api_res *res);
int api_svc_receptions(const api_req *req, api_res *res);
int api_svc_reception_get(const api_req *req, api_res *res);
int api_svc_reception_add(const api_req *req, api_res *res);
int api_svc_voters(const api_req *req, api_res *res);
int api_svc_voter_add(const api_req *req, api_res *res);
int api_svc_voter_answer(const api_req *req, api_res *res);
/* party (api_party.c, docs/PARTY.md) */
int api_candidates_list(const api_req *req, api_res *res);
int api_candidates_get(const api_req *req, api_res *res);
int api_candidates_create(const api_req *req, api_res *res);
int api_candidates_stage(const api_req *req, api_res *res);
int api_candidates_admit(const api_req *req, api_res *res);
int api_members_probation(const api_req *req, api_res *res);
int api_probation_list(const api_req *req, api_res *res);
int api_party_due(const api_req *req, api_res *res);
int api_party_badges(const api_req *req, api_res *res);
int api_transfers_list(const api_req *req, api_res *res);
int api_transfers_create(const api_req *req, api_res *res);
int api_transfers_present(const api_req *req, api_res *res);
int api_transfers_return(const api_req *req, api_res *res);
int api_party_ratings(const api_req *req, api_res *res);
int api_members_rating(const api_req *req, api_res *res);
int api_orgs_rating(const api_req *req, api_res *res);
int api_members_badge(const api_req *req, api_res *res);

/* ---- who asks (access.c) ------------------------------------------------------- */

#define API_SESSION_COOKIE "coso_session"
#define API_SESSION_IDLE (30 * 60)        /* seconds without a request before a session ends */
#define API_SESSION_LIFETIME (12 * 3600)  /* seconds from sign-in to the session's end, whatever happens */

/* Why a request is refused before its handler: status 0 when it may go on. */
typedef struct api_verdict {
	int status;
	char detail[320];
	bool clear_cookie;         /* the cookie names no session: tell the browser to forget it */
	int retry_after;           /* 429: seconds */
} api_verdict;

/* Checks who sends the request to req->route (every route but the public
 * ones): the session named by the cookie (401), for a POST the CSRF token of
 * the session in X-CSRF-Token and the Origin when one is sent (403), and the
 * route's permission for the user's role (403). On success *user is filled
 * (free with coso_user_clear(&user->u)) and req->user, req->token are set.
 * Origin is checked on public POSTs too. */
void api_authenticate(const coso_http_request *hr, api_req *req, api_user *user, api_verdict *v);

/* Checks the records the request names against the user's scope (whose
 * reads coso_store_set_access limits): a path id that is not visible is 404,
 * as if it did not exist; a query or body parameter naming a record that is
 * not visible is 403 (the same answer whether or not the record exists). */
void api_check_scope(const api_req *req, api_verdict *v);

/* Limits this connection's reads to the user's scope again after a write
 * changed the registry (a no-op for a user without scope). */
int api_refresh_access(const api_req *req);

/* The scope of a report or series when the query gives none (the dispatcher
 * puts it in req->default_scope): NULL for a user without scope
 * (everything), else the first root of the user's scope (or the scope
 * itself when it has none). *out is malloc'd (free()). */
int api_default_scope(const api_req *req, char **out);

/* The Set-Cookie value of a session: token NULL forgets the cookie. malloc'd. */
char *api_session_cookie(const char *token, bool secure);

/* The answers of writes: the record as its read gives it, as of day d. */
int api_member_detail(coso_store *st, const char *id, coso_day d, json_t **out);
int api_org_detail(coso_store *st, const char *code, coso_day d, json_t **out);
int api_unit_detail(coso_store *st, const char *code, coso_day d, json_t **out);

#endif
