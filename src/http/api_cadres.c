/*
 * api_cadres.c: /api/v1/cadres/... (docs/CADRES.md): the cadre figures of
 * a period (the CLI's `coso cadres report --format json`) and the posts of
 * a commune as of a day.
 */
#include <string.h>

#include "http/api.h"
#include "report/cadres_report.h"
#include "util/error.h"

static int ignore_unit(void *ctx, const coso_unit_row *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

/* The period and scope of a request: to (default today), from (default 1
 * January of to's year), scope (default the user's; 400 when empty, 404 when
 * not in the registry). */
static int period_of(const api_req *req, coso_day *from, coso_day *to, const char **scope)
{
	int y, rc;

	*to = api_query_day(req, "to", req->today);
	coso_date_to_ymd(*to, &y, NULL, NULL);
	*from = api_query_day(req, "from", coso_date_from_ymd(y, 1, 1));
	if (*to < *from)
		return coso_error_set(COSO_EINVALID, "to comes before from");
	*scope = api_query(req, "scope");
	if (!*scope)
		*scope = req->default_scope;
	else if (!**scope)
		return coso_error_set(COSO_EINVALID, "scope: give a unit's code (or leave scope out)");
	else if ((rc = coso_store_unit_get(req->st, *scope, 0, ignore_unit, NULL)) < 0)
		return rc;
	return 0;
}

int api_cadres_summary(const api_req *req, api_res *res)
{
	coso_training_summary s;
	coso_day from, to;
	const char *scope;
	json_t *out;
	int rc;

	if ((rc = period_of(req, &from, &to, &scope)) < 0)
		return rc;
	if ((rc = coso_cadres_training_summary(req->st, scope, from, to, &s)) < 0)
		return rc;
	out = coso_cadres_summary_json(&s);
	coso_training_summary_clear(&s);
	return api_ok(res, out);
}

struct holders {
	json_t *items;
};

static int add_holder(void *ctx, const coso_cadre_holder *h)
{
	struct holders *c = ctx;
	json_t *j = coso_cadres_holder_json(h);

	return !j || json_array_append_new(c->items, j) < 0 ? coso_error_set(COSO_ENOMEM, "out of memory") : 0;
}

int api_cadres_posts(const api_req *req, api_res *res)
{
	coso_day d = api_query_day(req, "as_of", req->today);
	const char *code = api_query(req, "unit");
	struct holders c = { json_array() };
	coso_unit_ref unit;
	char buf[COSO_DATE_BUFSZ];
	json_t *out;
	int rc;

	if (!c.items)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	if (!code)
		code = req->default_scope;
	if (!code)
		return api_ok(res, json_pack("{s:s, s:n, s:o}", "as_of", coso_date_format(buf, d), "unit", "items", c.items));
	rc = coso_store_unit_at(req->st, code, d, &unit);
	if (rc < 0 && rc != COSO_ENOTFOUND) {
		json_decref(c.items);
		return rc == COSO_EINVALID ? coso_error_set(COSO_ENOTFOUND, "unit %s is not in the registry", code) : rc;
	}
	if ((rc = coso_cadres_holders(req->st, code, d, add_holder, &c)) < 0) {
		coso_unit_ref_clear(&unit);
		json_decref(c.items);
		return rc;
	}
	out = json_pack("{s:s, s:{s:s, s:s, s:b}, s:o}", "as_of", coso_date_format(buf, d), "unit", "code", unit.code,
			"name", unit.name, "exists", unit.level != COSO_LEVEL_NONE, "items", c.items);
	coso_unit_ref_clear(&unit);
	return api_ok(res, out);
}

static int add_sent(void *ctx, const coso_cadre_sent *r)
{
	json_t *items = ctx, *j = coso_cadres_sent_json(r);

	return !j || json_array_append_new(items, j) < 0 ? coso_error_set(COSO_ENOMEM, "out of memory") : 0;
}

int api_cadres_training(const api_req *req, api_res *res)
{
	coso_day from, to;
	const char *scope;
	long long page, per_page, total = 0;
	json_t *items;
	int rc;

	if ((rc = period_of(req, &from, &to, &scope)) < 0)
		return rc;
	api_paging(req, &page, &per_page);
	if (!(items = json_array()))
		return coso_error_set(COSO_ENOMEM, "out of memory");
	rc = coso_cadres_training_list(req->st, scope, from, to, api_query(req, "kind"), (page - 1) * per_page, per_page,
				       add_sent, items, &total);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	return api_ok(res, api_page(items, page, per_page, total));
}
