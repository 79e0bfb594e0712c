/*
 * api_read.c: the handlers of the API's reads of records (docs/API.md,
 * "Reads"): units, institutions, organizations and members as of a day.
 * A record's page is read inside one read transaction, so its parts agree.
 */
#include <stdlib.h>
#include <string.h>

#include "db/store_audit.h"
#include "http/api.h"
#include "util/error.h"

/* ---- shared ---------------------------------------------------------------------- */

static int ignore_unit(void *ctx, const coso_unit_row *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

static int ignore_org(void *ctx, const coso_org_item *it)
{
	(void)ctx;
	(void)it;
	return 0;
}

/* 404 for a unit code that was never in the registry (a filter naming it). */
static int known_unit(coso_store *st, const char *code)
{
	int rc = code && *code ? coso_store_unit_get(st, code, 0, ignore_unit, NULL) : 0;

	return rc < 0 ? rc : 0;
}

static int known_org(coso_store *st, const char *code)
{
	int rc = code && *code ? coso_store_org_get(st, code, 0, ignore_org, NULL) : 0;

	return rc < 0 ? rc : 0;
}

/* The query's "parent": NULL and *top when it is empty, or when it is
 * absent and no other filter narrows the list (the tree's first level). */
static const char *parent_of(const api_req *req, bool others, bool *top)
{
	const char *p = api_query(req, "parent");

	*top = (p && !*p) || (!p && !others);
	return p && *p ? p : NULL;
}

/* ---- health ------------------------------------------------------------------------ */

int api_health(const api_req *req, api_res *res)
{
	int v = coso_store_schema_version(req->st);

	if (v < 0)
		return coso_error_set(COSO_EIO, "cannot read the database");
	return api_ok(res, json_pack("{s:s, s:i}", "status", "ok", "schema", v));
}

/* ---- units ------------------------------------------------------------------------- */

int api_units_list(const api_req *req, api_res *res)
{
	coso_unit_query q = { .as_of = api_query_day(req, "as_of", req->today) };
	const char *level = api_query(req, "level");
	const char *sort;
	json_t *items = json_array();
	long long total = 0;
	int rc;

	if (!items)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	q.q = api_query(req, "q");
	if (q.q && !*q.q)
		q.q = NULL;
	q.level = level ? coso_level_parse(level) : COSO_LEVEL_NONE;
	q.parent = parent_of(req, q.q || level, &q.top);
	sort = api_sort(req, "code", &q.desc);
	q.sort = strcmp(sort, "name") == 0 ? COSO_SORT_NAME : COSO_SORT_CODE;
	api_paging(req, &q.page, &q.per_page);
	if ((rc = known_unit(req->st, q.parent)) < 0 ||
	    (rc = coso_store_units(req->st, &q, api_collect_unit, items, &total)) < 0) {
		json_decref(items);
		return rc;
	}
	return api_ok(res, api_page(items, q.page, q.per_page, total));
}

static int keep_unit(void *ctx, const coso_unit_row *r)
{
	json_t **slot = ctx;

	*slot = api_unit(r);
	return *slot ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

int api_unit_detail(coso_store *st, const char *code, coso_day d, json_t **out)
{
	json_t *unit = NULL, *ancestors = json_array(), *children = json_array(), *history = json_array();
	json_t *institutions = json_array(), *orgs = json_array();
	coso_unit_query cq = { .as_of = d, .parent = code, .sort = COSO_SORT_CODE };
	coso_institution_query iq = { .as_of = d, .unit = code, .direct = true };
	coso_org_query oq = { .as_of = d, .site_unit = code, .sort = COSO_SORT_CODE };
	long long total;
	int rc;

	*out = NULL;
	if (!ancestors || !children || !history || !institutions || !orgs) {
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = coso_store_begin_read(st)) < 0)
		goto done;
	if ((rc = coso_store_unit_get(st, code, d, keep_unit, &unit)) >= 0 &&
	    (rc = coso_store_unit_ancestors(st, code, d, api_collect_unit_ref, ancestors)) >= 0 &&
	    (rc = coso_store_units(st, &cq, api_collect_unit, children, &total)) >= 0 &&
	    (rc = coso_store_unit_history(st, code, api_collect_unit, history)) >= 0 &&
	    (rc = coso_store_institutions(st, &iq, api_collect_institution, institutions, &total)) >= 0)
		rc = coso_store_orgs(st, &oq, api_collect_org, orgs, &total);
	coso_store_end_read(st);
	if (rc < 0)
		goto done;
	*out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "as_of", api_day(d),
			 "unit", unit ? unit : json_null(), "ancestors", ancestors, "children", children,
			 "history", history, "institutions", institutions, "orgs", orgs);
	unit = ancestors = children = history = institutions = orgs = NULL;
	rc = *out ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
done:
	json_decref(unit);
	json_decref(ancestors);
	json_decref(children);
	json_decref(history);
	json_decref(institutions);
	json_decref(orgs);
	return rc;
}

int api_units_get(const api_req *req, api_res *res)
{
	json_t *out = NULL;
	int rc = api_unit_detail(req->st, req->path[0], api_query_day(req, "as_of", req->today), &out);

	return rc < 0 ? rc : api_ok(res, out);
}

/* ---- institutions ------------------------------------------------------------------ */

int api_institutions_list(const api_req *req, api_res *res)
{
	coso_institution_query q = { .as_of = api_query_day(req, "as_of", req->today) };
	json_t *items = json_array();
	long long total = 0;
	int rc;

	if (!items)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	q.unit = api_query(req, "unit");
	if (q.unit && !*q.unit)
		q.unit = NULL;
	q.kind = api_query(req, "kind");
	api_paging(req, &q.page, &q.per_page);
	if ((rc = known_unit(req->st, q.unit)) < 0 ||
	    (rc = coso_store_institutions(req->st, &q, api_collect_institution, items, &total)) < 0) {
		json_decref(items);
		return rc;
	}
	return api_ok(res, api_page(items, q.page, q.per_page, total));
}

/* ---- organizations ------------------------------------------------------------------ */

int api_orgs_list(const api_req *req, api_res *res)
{
	coso_org_query q = { .as_of = api_query_day(req, "as_of", req->today) };
	const char *sort;
	json_t *items = json_array();
	long long total = 0;
	int rc;

	if (!items)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	q.scope = api_query(req, "scope");
	if (q.scope && !*q.scope)
		q.scope = NULL;
	q.kind = api_query(req, "kind");
	q.q = api_query(req, "q");
	if (q.q && !*q.q)
		q.q = NULL;
	q.parent = parent_of(req, q.scope || q.kind || q.q, &q.top);
	sort = api_sort(req, "code", &q.desc);
	q.sort = strcmp(sort, "name") == 0 ? COSO_SORT_NAME : COSO_SORT_CODE;
	api_paging(req, &q.page, &q.per_page);
	if ((rc = known_unit(req->st, q.scope)) < 0 || (rc = known_org(req->st, q.parent)) < 0 ||
	    (rc = coso_store_orgs(req->st, &q, api_collect_org, items, &total)) < 0) {
		json_decref(items);
		return rc;
	}
	return api_ok(res, api_page(items, q.page, q.per_page, total));
}

struct org_keep {
	json_t *org;
	long long members;
};

static int keep_org(void *ctx, const coso_org_item *it)
{
	struct org_keep *k = ctx;

	k->members = it->members;
	k->org = api_org(it);
	return k->org ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

int api_org_detail(coso_store *st, const char *code, coso_day d, json_t **out)
{
	struct org_keep k = { NULL, 0 };
	json_t *ancestors = json_array(), *children = json_array(), *history = json_array();
	coso_org_query cq = { .as_of = d, .parent = code, .sort = COSO_SORT_CODE };
	long long total;
	int rc;

	*out = NULL;
	if (!ancestors || !children || !history) {
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = coso_store_begin_read(st)) < 0)
		goto done;
	if ((rc = coso_store_org_get(st, code, d, keep_org, &k)) >= 0 &&
	    (rc = coso_store_org_ancestors(st, code, d, api_collect_org_ref, ancestors)) >= 0 &&
	    (rc = coso_store_orgs(st, &cq, api_collect_org, children, &total)) >= 0)
		rc = coso_store_org_history(st, code, api_collect_org_row, history);
	coso_store_end_read(st);
	if (rc < 0)
		goto done;
	*out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:I}", "as_of", api_day(d),
			 "org", k.org ? k.org : json_null(), "ancestors", ancestors, "children", children,
			 "history", history, "members", (json_int_t)k.members);
	k.org = ancestors = children = history = NULL;
	rc = *out ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
done:
	json_decref(k.org);
	json_decref(ancestors);
	json_decref(children);
	json_decref(history);
	return rc;
}

int api_orgs_get(const api_req *req, api_res *res)
{
	json_t *out = NULL;
	int rc = api_org_detail(req->st, req->path[0], api_query_day(req, "as_of", req->today), &out);

	return rc < 0 ? rc : api_ok(res, out);
}

/* ---- members ---------------------------------------------------------------------- */

int api_members_list(const api_req *req, api_res *res)
{
	coso_member_query q = { .as_of = api_query_day(req, "as_of", req->today) };
	const char *sort, *status = api_query(req, "status");
	json_t *items = json_array(), *page;
	long long total = 0;
	bool exact = true;
	int rc;

	if (!items)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	q.q = api_query(req, "q");
	if (q.q && !*q.q)
		q.q = NULL;
	q.scope = api_query(req, "scope");
	if (q.scope && !*q.scope)
		q.scope = NULL;
	q.org = api_query(req, "org");
	if (q.org && !*q.org)
		q.org = NULL;
	q.all = status && strcmp(status, "all") == 0;
	sort = api_sort(req, "name", &q.desc);
	q.sort = strcmp(sort, "admitted_on") == 0 ? COSO_SORT_ADMITTED : strcmp(sort, "id") == 0 ? COSO_SORT_CODE
											  : COSO_SORT_NAME;
	api_paging(req, &q.page, &q.per_page);
	if ((rc = known_unit(req->st, q.scope)) < 0 || (rc = known_org(req->st, q.org)) < 0 ||
	    (rc = coso_store_members(req->st, &q, api_collect_member, items, &total, &exact)) < 0) {
		json_decref(items);
		return rc;
	}
	/* a long list is counted only so far: "total" is then "at least" */
	page = api_page(items, q.page, q.per_page, total);
	if (page && json_object_set_new(page, "total_exact", json_boolean(exact)) < 0) {
		json_decref(page);
		page = NULL;
	}
	return api_ok(res, page);
}

static int keep_member(void *ctx, const coso_member_item *it)
{
	json_t **slot = ctx;

	*slot = api_member(it);
	return *slot ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

static int collect_period(void *ctx, const coso_period_item *it)
{
	json_t *p = json_pack("{s:o, s:o, s:o, s:o}", "valid_from", api_day(it->row.valid_from),
			      "valid_to", api_day(it->row.valid_to), "org", api_ref(it->row.org_code, it->org_name),
			      "residence", api_ref(it->row.residence_code, it->residence_name));

	if (!p || json_array_append_new(ctx, p) < 0)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	return 0;
}

/* Dates are "YYYY-MM-DD": they compare as strings. NULL (open) is last. */
static int date_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return !a - !b;
	return strcmp(a, b);
}

/* Appends an event {date, kind, ...}, keeping the array in date order (events
 * of one day keep the order they are added in). */
static int add_event(json_t *events, json_t *ev)
{
	const char *d = json_string_value(json_object_get(ev, "date"));
	size_t i = json_array_size(events);

	if (!ev)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	while (i > 0 && date_cmp(json_string_value(json_object_get(json_array_get(events, i - 1), "date")), d) > 0)
		i--;
	if (json_array_insert_new(events, i, ev) < 0)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	return 0;
}

/* The member's events from its record and periods: admitted (by the cell of
 * the period covering the day), official, each transfer (a period starting
 * while the member is active, after the first), ended. */
static int member_events(const json_t *member, const json_t *periods, json_t *events)
{
	const char *admitted = json_string_value(json_object_get(member, "admitted_on"));
	const char *official = json_string_value(json_object_get(member, "official_on"));
	const char *ended = json_string_value(json_object_get(member, "ended_on"));
	json_t *adm_org = json_null(), *p;
	size_t i;
	int rc;

	json_array_foreach(periods, i, p) {
		const char *f = json_string_value(json_object_get(p, "valid_from"));
		const char *t = json_string_value(json_object_get(p, "valid_to"));

		if (date_cmp(f, admitted) <= 0 && date_cmp(admitted, t) < 0)
			adm_org = json_object_get(p, "org");
	}
	if ((rc = add_event(events, json_pack("{s:s?, s:s, s:O}", "date", admitted, "kind", "admitted",
					      "org", adm_org))) < 0)
		return rc;
	if (official && (rc = add_event(events, json_pack("{s:s, s:s}", "date", official, "kind", "official"))) < 0)
		return rc;
	for (i = 1; i < json_array_size(periods); i++) {
		json_t *prev = json_array_get(periods, i - 1), *cur = json_array_get(periods, i);
		const char *f = json_string_value(json_object_get(cur, "valid_from"));

		if (date_cmp(f, admitted) <= 0 || (ended && date_cmp(f, ended) >= 0))
			continue;
		rc = add_event(events, json_pack("{s:s, s:s, s:{s:O, s:O}, s:{s:O, s:O}}", "date", f, "kind", "transfer",
						 "from", "org", json_object_get(prev, "org"),
						 "residence", json_object_get(prev, "residence"),
						 "to", "org", json_object_get(cur, "org"),
						 "residence", json_object_get(cur, "residence")));
		if (rc < 0)
			return rc;
	}
	if (ended && (rc = add_event(events, json_pack("{s:s, s:s, s:O}", "date", ended, "kind", "ended",
						     "end_reason", json_object_get(member, "end_reason")))) < 0)
		return rc;
	return 0;
}

int api_member_detail(coso_store *st, const char *id, coso_day d, json_t **out)
{
	json_t *member = NULL, *periods = json_array(), *events = json_array();
	int rc;

	*out = NULL;
	if (!periods || !events) {
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = coso_store_begin_read(st)) < 0)
		goto done;
	if ((rc = coso_store_member_get(st, id, d, keep_member, &member)) >= 0)
		rc = coso_store_member_periods(st, id, collect_period, periods);
	coso_store_end_read(st);
	if (rc < 0 || (rc = member_events(member, periods, events)) < 0)
		goto done;
	*out = json_pack("{s:o, s:o, s:o, s:o}", "as_of", api_day(d), "member", member, "periods", periods,
			 "events", events);
	member = periods = events = NULL;
	rc = *out ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
done:
	json_decref(member);
	json_decref(periods);
	json_decref(events);
	return rc;
}

int api_members_get(const api_req *req, api_res *res)
{
	json_t *out = NULL;
	int rc = api_member_detail(req->st, req->path[0], api_query_day(req, "as_of", req->today), &out);

	/* reading a member's full profile is logged (its own small transaction,
	 * after the read one); no entry, no answer */
	if (rc == 0 && (rc = coso_store_audit_read(req->st, "member", req->path[0])) < 0)
		json_decref(out);
	return rc < 0 ? rc : api_ok(res, out);
}
