/*
 * api_write.c: the handlers of the API's writes (docs/API.md, "Writes").
 * Each takes the body the dispatcher checked (fields, types, dates), hands
 * the event to the store (db/store_api.h: one transaction, the import's
 * rules, nothing written on any problem) and answers with the record as its
 * read gives it, as of the event's day (for a closing or a dissolution, as of
 * the record's last day, so that the record is shown).
 *
 * The dispatcher has checked the role and that every record the request
 * names is in the user's scope (access.c); what is left here is that a user
 * with a scope cannot add a record at the top of a tree, above the scope.
 */
#include "http/api.h"
#include "util/error.h"

/* ---- members ----------------------------------------------------------------------- */

/* A user with a scope must name the parent of a new unit or organization. */
static int parent_required(const api_req *req, const char *parent, const char *what)
{
	if (!parent && req->user && req->user->u.scope)
		return coso_error_set(API_EFORBIDDEN, "parent_code: give the %s's parent, in your scope (a %s at the top"
				      " is added by an administrator without scope)", what, what);
	return 0;
}

static int member_answer(const api_req *req, api_res *res, const char *id, coso_day d)
{
	json_t *out = NULL;
	int rc = api_refresh_access(req);

	if (rc == 0)
		rc = api_member_detail(req->st, id, d, &out);

	return rc < 0 ? rc : api_ok(res, out);
}

int api_members_admit(const api_req *req, api_res *res)
{
	coso_member_admission a = {
		.id = api_body_str(req, "id"),
		.full_name = api_body_str(req, "full_name"),
		.gender = api_body_str(req, "gender"),
		.ethnicity = api_body_str(req, "ethnicity"),
		.birth_date = api_body_day(req, "birth_date", 0),
		.admitted_on = api_body_day(req, "admitted_on", 0),
		.org_code = api_body_str(req, "org_code"),
		.residence_code = api_body_str(req, "residence_code"),
	};
	int rc = coso_store_member_admit(req->st, &a, &res->errors);

	return rc < 0 ? rc : member_answer(req, res, a.id, a.admitted_on);
}

int api_members_official(const api_req *req, api_res *res)
{
	coso_day d = api_body_day(req, "official_on", 0);
	int rc = coso_store_member_official(req->st, req->path[0], d, &res->errors);

	return rc < 0 ? rc : member_answer(req, res, req->path[0], d);
}

int api_members_transfer(const api_req *req, api_res *res)
{
	coso_day d = api_body_day(req, "date", 0);
	int rc = coso_store_member_transfer(req->st, req->path[0], d, api_body_str(req, "org_code"),
					    api_body_str(req, "residence_code"), &res->errors);

	return rc < 0 ? rc : member_answer(req, res, req->path[0], d);
}

int api_members_end(const api_req *req, api_res *res)
{
	coso_day d = api_body_day(req, "ended_on", 0);
	int rc = coso_store_member_end(req->st, req->path[0], d, api_body_str(req, "end_reason"), &res->errors);

	return rc < 0 ? rc : member_answer(req, res, req->path[0], d);
}

/* ---- organizations ------------------------------------------------------------------ */

static int org_answer(const api_req *req, api_res *res, const char *code, coso_day d)
{
	json_t *out = NULL;
	int rc = api_refresh_access(req);

	if (rc == 0)
		rc = api_org_detail(req->st, code, d, &out);

	return rc < 0 ? rc : api_ok(res, out);
}

int api_orgs_found(const api_req *req, api_res *res)
{
	coso_org_row r = {
		.code = api_body_str(req, "code"),
		.name = api_body_str(req, "name"),
		.kind = api_body_str(req, "kind"),
		.grassroots = api_body_flag(req, "grassroots", 0),
		.parent_code = api_body_str(req, "parent_code"),
		.site_unit = api_body_str(req, "site_unit"),
		.site_institution = api_body_str(req, "site_institution"),
		.valid_from = api_body_day(req, "valid_from", 0),
		.valid_to = COSO_DAY_MAX,
	};
	int rc = parent_required(req, r.parent_code, "organization");

	if (rc == 0)
		rc = coso_store_org_found(req->st, &r, &res->errors);

	return rc < 0 ? rc : org_answer(req, res, r.code, r.valid_from);
}

int api_orgs_rename(const api_req *req, api_res *res)
{
	coso_day d = api_body_day(req, "date", 0);
	int rc = coso_store_org_rename(req->st, req->path[0], d, api_body_str(req, "name"), &res->errors);

	return rc < 0 ? rc : org_answer(req, res, req->path[0], d);
}

int api_orgs_move(const api_req *req, api_res *res)
{
	coso_day d = api_body_day(req, "date", 0);
	int rc = coso_store_org_move(req->st, req->path[0], d, api_body_str(req, "parent_code"), &res->errors);

	return rc < 0 ? rc : org_answer(req, res, req->path[0], d);
}

int api_orgs_dissolve(const api_req *req, api_res *res)
{
	coso_day d = api_body_day(req, "date", 0);
	int rc = coso_store_org_dissolve(req->st, req->path[0], d, &res->errors);

	return rc < 0 ? rc : org_answer(req, res, req->path[0], d - 1);
}

/* ---- units and institutions ------------------------------------------------------- */

static int unit_answer(const api_req *req, api_res *res, const char *code, coso_day d)
{
	json_t *out = NULL;
	int rc = api_refresh_access(req);

	if (rc == 0)
		rc = api_unit_detail(req->st, code, d, &out);

	return rc < 0 ? rc : api_ok(res, out);
}

int api_units_create(const api_req *req, api_res *res)
{
	const char *level = api_body_str(req, "level");
	coso_unit_row r = {
		.code = api_body_str(req, "code"),
		.name = api_body_str(req, "name"),
		.level = level ? coso_level_parse(level) : COSO_LEVEL_NONE,
		.kind = api_body_str(req, "kind"),
		.parent_code = api_body_str(req, "parent_code"),
		.valid_from = api_body_day(req, "valid_from", 0),
		.valid_to = COSO_DAY_MAX,
		.border = api_body_flag(req, "border", 0),
		.difficult = api_body_flag(req, "difficult", 0),
		.population = api_body_int(req, "population", -1),
	};
	int rc = parent_required(req, r.parent_code, "unit");

	if (rc == 0)
		rc = coso_store_unit_create(req->st, &r, &res->errors);

	return rc < 0 ? rc : unit_answer(req, res, r.code, r.valid_from);
}

int api_units_rename(const api_req *req, api_res *res)
{
	coso_day d = api_body_day(req, "date", 0);
	int rc = coso_store_unit_rename(req->st, req->path[0], d, api_body_str(req, "name"),
					api_body_str(req, "kind"), &res->errors);

	return rc < 0 ? rc : unit_answer(req, res, req->path[0], d);
}

int api_units_move(const api_req *req, api_res *res)
{
	coso_day d = api_body_day(req, "date", 0);
	int rc = coso_store_unit_move(req->st, req->path[0], d, api_body_str(req, "parent_code"), &res->errors);

	return rc < 0 ? rc : unit_answer(req, res, req->path[0], d);
}

int api_units_close(const api_req *req, api_res *res)
{
	coso_day d = api_body_day(req, "date", 0);
	int rc = coso_store_unit_close(req->st, req->path[0], d, &res->errors);

	return rc < 0 ? rc : unit_answer(req, res, req->path[0], d - 1);
}

static int keep_institution(void *ctx, const coso_institution_item *it)
{
	json_t **slot = ctx;

	*slot = api_institution(it);
	return *slot ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

int api_institutions_create(const api_req *req, api_res *res)
{
	coso_institution_row r = {
		.code = api_body_str(req, "code"),
		.name = api_body_str(req, "name"),
		.kind = api_body_str(req, "kind"),
		.unit_code = api_body_str(req, "unit_code"),
		.valid_from = api_body_day(req, "valid_from", 0),
		.valid_to = COSO_DAY_MAX,
	};
	coso_institution_query q = { .as_of = r.valid_from, .code = r.code };
	json_t *out = NULL;
	long long total;
	int rc = coso_store_institution_create(req->st, &r, &res->errors);

	if (rc < 0 || (rc = api_refresh_access(req)) < 0)
		return rc;
	if ((rc = coso_store_institutions(req->st, &q, keep_institution, &out, &total)) < 0) {
		json_decref(out);
		return rc;
	}
	if (!out)
		return coso_error_set(COSO_ERR, "institution %s was written but cannot be read back", r.code);
	return api_ok(res, out);
}
