/*
 * api_services.c: the services routes (docs/SERVICES.md, docs/API.md
 * "Services"). Reads go through the store's scoped reads
 * (db/store_services.h): a case outside the user's scope is 404 like one
 * that never existed, lists and figures count only what is visible, and a
 * denouncer's identity is given only to the case's handling officer. Writes
 * name their commune in the body (checked against the scope by the
 * dispatcher: 403) or a case in the path (read within the scope first: 404).
 */
#include <string.h>

#include "core/services.h"
#include "core/services_json.h"
#include "db/store_audit.h"
#include "http/api.h"
#include "util/error.h"

static const char *viewer(const api_req *req)
{
	return req->user ? req->user->u.name : NULL;
}

int api_svc_procedures(const api_req *req, api_res *res)
{
	json_t *a = NULL;
	int rc = coso_svc_procedures_json(req->st, api_query_day(req, "as_of", req->today), &a);

	return rc < 0 ? rc : api_ok(res, json_pack("{s:o}", "items", a));
}

int api_svc_cases(const api_req *req, api_res *res)
{
	coso_svc_filter f = {
		.scope = api_query(req, "scope"),
		.kind = api_query(req, "kind"),
		.status = api_query(req, "status"),
		.q = api_query(req, "q"),
		.from = api_query_day(req, "from", COSO_DAY_MIN),
		.to = api_query_day(req, "to", COSO_DAY_MAX - 1),
		.day = api_query_day(req, "on", req->today),
		.viewer = viewer(req),
	};
	json_t *page = NULL;
	int rc;

	if (f.scope && !*f.scope)
		f.scope = NULL;
	api_paging(req, &f.page, &f.per_page);
	rc = coso_svc_list_json(req->st, &f, &page);
	return rc < 0 ? rc : api_ok(res, page);
}

int api_svc_case_get(const api_req *req, api_res *res)
{
	json_t *o = NULL;
	int rc = coso_svc_detail_json(req->st, req->path[0], viewer(req), api_query_day(req, "as_of", COSO_DAY_MAX),
				      req->today, &o);

	if (rc == 0 && !json_is_null(json_object_get(o, "person")))
		rc = coso_store_audit_read(req->st, "svc_case", req->path[0]);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	return api_ok(res, o);
}

/* The answer of a write: the case as its read gives it. */
static int answer(const api_req *req, api_res *res, const char *id)
{
	json_t *o = NULL;
	int rc = coso_svc_detail_json(req->st, id, viewer(req), COSO_DAY_MAX, req->today, &o);

	return rc < 0 ? rc : api_ok(res, o);
}

/* A case named in the path must be visible before it is written (404). */
static int visible(void *ctx, const coso_svc_case *c)
{
	(void)ctx;
	(void)c;
	return 0;
}

int api_svc_case_add(const api_req *req, api_res *res)
{
	coso_svc_case c = {
		.id = api_body_str(req, "id"),
		.kind = api_body_str(req, "kind"),
		.unit_code = api_body_str(req, "unit_code"),
		.received_on = api_body_day(req, "received_on", req->today),
		.procedure_code = api_body_str(req, "procedure_code"),
		.subject = api_body_str(req, "subject"),
		.person_name = api_body_str(req, "person_name"),
		.person_doc = api_body_str(req, "person_doc"),
		.person_address = api_body_str(req, "person_address"),
		.complexity = (int)api_body_int(req, "complexity", 0),
		.officer = api_body_str(req, "officer"),
		.note = api_body_str(req, "note"),
	};
	int rc;

	if (c.complexity == 2 && strcmp(c.kind, "denunciation") != 0) {
		coso_field_errors_add(&res->errors, "complexity", "2 (very complex) is for denunciations");
		return coso_error_set(COSO_EINVALID, "the request has problems");
	}
	if (!c.subject && c.kind && strcmp(c.kind, "onestop") == 0)
		c.subject = "";
	if (!c.subject) {
		coso_field_errors_add(&res->errors, "subject", "is required");
		return coso_error_set(COSO_EINVALID, "the request has problems");
	}
	rc = coso_svc_write_case(req->st, &c, coso_svc_refresh, &res->errors);
	return rc < 0 ? rc : answer(req, res, c.id);
}

int api_svc_case_event(const api_req *req, api_res *res)
{
	coso_svc_event e = {
		.case_id = req->path[0],
		.day = api_body_day(req, "date", req->today),
		.action = api_body_str(req, "action"),
		.body = api_body_str(req, "body"),
		.new_date = api_body_day(req, "new_date", COSO_DAY_MAX),
		.note = api_body_str(req, "note"),
	};
	int rc = coso_svc_case_get(req->st, e.case_id, NULL, visible, NULL);

	if (rc < 0)
		return rc;
	if (strcmp(e.action, "apology") == 0 && e.new_date == COSO_DAY_MAX)
		coso_field_errors_add(&res->errors, "new_date", "is required for an apology slip");
	if (strcmp(e.action, "handoff") == 0 && !e.body)
		coso_field_errors_add(&res->errors, "body", "is required for a hand-off");
	if (strcmp(e.action, "extended") == 0 && !e.note)
		coso_field_errors_add(&res->errors, "note", "is required for an extension (the decision)");
	if (e.day > req->today)
		coso_field_errors_add(&res->errors, "date", "is after today");
	if (res->errors.n)
		return coso_error_set(COSO_EINVALID, "the request has problems");
	rc = coso_svc_write_event(req->st, &e, coso_svc_refresh, &res->errors);
	return rc < 0 ? rc : answer(req, res, e.case_id);
}

int api_svc_case_procedure(const api_req *req, api_res *res)
{
	int rc = coso_svc_case_get(req->st, req->path[0], NULL, visible, NULL);

	if (rc == 0)
		rc = coso_svc_write_procedure(req->st, req->path[0], api_body_str(req, "procedure_code"), coso_svc_refresh,
					      &res->errors);
	return rc < 0 ? rc : answer(req, res, req->path[0]);
}

int api_svc_report(const api_req *req, api_res *res)
{
	const char *scope = api_query(req, "scope");
	coso_day to = api_query_day(req, "to", req->today), from;
	json_t *o = NULL;
	int y, m, d, rc;

	coso_date_to_ymd(to, &y, &m, &d);
	from = api_query_day(req, "from", coso_date_from_ymd(y, 1, 1));
	if (from > to)
		return coso_error_set(COSO_EINVALID, "from: after to");
	if (!scope || !*scope)
		scope = req->default_scope;
	rc = coso_svc_report_json(req->st, scope, from, to, &o);
	return rc < 0 ? rc : api_ok(res, o);
}

/* ---- citizen reception ---------------------------------------------------------------- */

int api_svc_receptions(const api_req *req, api_res *res)
{
	coso_svc_filter f = {
		.scope = api_query(req, "scope"),
		.from = api_query_day(req, "from", COSO_DAY_MIN),
		.to = api_query_day(req, "to", COSO_DAY_MAX - 1),
	};
	json_t *page = NULL;
	int rc;

	if (f.scope && !*f.scope)
		f.scope = NULL;
	api_paging(req, &f.page, &f.per_page);
	rc = coso_svc_sessions_json(req->st, &f, &page);
	return rc < 0 ? rc : api_ok(res, page);
}

int api_svc_reception_get(const api_req *req, api_res *res)
{
	json_t *o = NULL;
	int rc = coso_svc_session_json(req->st, req->path[0], viewer(req), &o);

	return rc < 0 ? rc : api_ok(res, o);
}

int api_svc_reception_add(const api_req *req, api_res *res)
{
	coso_svc_matter m = {
		.session_id = api_body_str(req, "session_id"),
		.unit_code = api_body_str(req, "unit_code"),
		.day = api_body_day(req, "date", req->today),
		.session_kind = api_body_str(req, "session_kind"),
		.host = api_body_str(req, "host"),
		.person_name = api_body_str(req, "person_name"),
		.person_doc = api_body_str(req, "person_doc"),
		.person_address = api_body_str(req, "person_address"),
		.matter = api_body_str(req, "matter"),
		.route = api_body_str(req, "route"),
		.case_id = api_body_str(req, "case_id"),
		.note = api_body_str(req, "note"),
	};
	json_t *o = NULL;
	int rc = coso_svc_write_matter(req->st, &m, &res->errors);

	if (rc == 0)
		rc = coso_svc_session_json(req->st, m.session_id, viewer(req), &o);
	return rc < 0 ? rc : api_ok(res, o);
}

/* ---- voters' petitions ------------------------------------------------------------------ */

int api_svc_voters(const api_req *req, api_res *res)
{
	coso_svc_filter f = {
		.scope = api_query(req, "scope"),
		.status = api_query(req, "status"),
		.from = api_query_day(req, "from", COSO_DAY_MIN),
		.to = api_query_day(req, "to", COSO_DAY_MAX - 1),
		.day = api_query_day(req, "on", req->today),
	};
	json_t *page = NULL;
	int rc;

	if (f.scope && !*f.scope)
		f.scope = NULL;
	api_paging(req, &f.page, &f.per_page);
	rc = coso_svc_voters_json(req->st, &f, &page);
	return rc < 0 ? rc : api_ok(res, page);
}

/* The answer of a voters' petition write: the petition as the list reads it. */
static int voter_answer(const api_req *req, api_res *res, const char *id)
{
	coso_svc_filter f = { .q = id, .from = COSO_DAY_MIN, .to = COSO_DAY_MAX - 1, .day = req->today, .page = 1,
			      .per_page = 1 };
	json_t *page = NULL, *it;
	int rc = coso_svc_voters_json(req->st, &f, &page);

	if (rc < 0)
		return rc;
	it = json_incref(json_array_get(json_object_get(page, "items"), 0));
	json_decref(page);
	return api_ok(res, it);
}

int api_svc_voter_add(const api_req *req, api_res *res)
{
	coso_svc_voter v = {
		.id = api_body_str(req, "id"),
		.unit_code = api_body_str(req, "unit_code"),
		.meeting_on = api_body_day(req, "meeting_on", req->today),
		.council = api_body_str(req, "council"),
		.next_session_on = api_body_day(req, "next_session_on", req->today),
		.content = api_body_str(req, "content"),
		.field = api_body_str(req, "field"),
		.addressee = api_body_str(req, "addressee"),
		.answered_on = COSO_DAY_MAX,
		.note = api_body_str(req, "note"),
	};
	int rc = coso_svc_write_voter(req->st, &v, &res->errors);

	return rc < 0 ? rc : voter_answer(req, res, v.id);
}

int api_svc_voter_answer(const api_req *req, api_res *res)
{
	int rc = coso_svc_write_voter_answer(req->st, req->path[0], api_body_day(req, "date", req->today),
					     api_body_str(req, "answer"), &res->errors);

	return rc < 0 ? rc : voter_answer(req, res, req->path[0]);
}
