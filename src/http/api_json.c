/*
 * api_json.c: the JSON of the registry's records in the API's answers
 * (docs/API.md), and small helpers shared by the handlers. Dates are
 * "YYYY-MM-DD", open ends null; flags are booleans.
 */
#include <string.h>

#include "http/api.h"
#include "util/error.h"

json_t *api_day(coso_day d)
{
	char buf[COSO_DATE_BUFSZ];

	if (d <= COSO_DAY_MIN || d >= COSO_DAY_MAX)
		return json_null();
	return json_string(coso_date_format(buf, d));
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *api_ref(const char *code, const char *name)
{
	if (!code)
		return json_null();
	return json_pack("{s:s, s:o}", "code", code, "name", str_or_null(name));
}

json_t *api_unit(const coso_unit_row *r)
{
	const char *level = coso_level_name(r->level);

	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:b, s:b, s:o, s:o, s:o}",
			 "code", r->code ? r->code : "", "name", r->name ? r->name : "",
			 "level", level ? level : "", "kind", r->kind ? r->kind : "",
			 "parent_code", str_or_null(r->parent_code),
			 "border", r->border != 0, "difficult", r->difficult != 0,
			 "population", r->population >= 0 ? json_integer(r->population) : json_null(),
			 "valid_from", api_day(r->valid_from), "valid_to", api_day(r->valid_to));
}

json_t *api_unit_ref(const coso_unit_row *r)
{
	const char *level = coso_level_name(r->level);

	return json_pack("{s:s, s:s, s:s}", "code", r->code ? r->code : "", "name", r->name ? r->name : "",
			 "level", level ? level : "");
}

json_t *api_institution(const coso_institution_item *it)
{
	const coso_institution_row *r = &it->row;

	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:b}",
			 "code", r->code ? r->code : "", "name", r->name ? r->name : "",
			 "kind", r->kind ? r->kind : "", "unit_code", r->unit_code ? r->unit_code : "",
			 "valid_from", api_day(r->valid_from), "valid_to", api_day(r->valid_to),
			 "has_org", it->has_org);
}

json_t *api_org_row(const coso_org_row *r)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o}",
			 "code", r->code ? r->code : "", "name", r->name ? r->name : "",
			 "kind", r->kind ? r->kind : "", "grassroots", r->grassroots != 0,
			 "parent_code", str_or_null(r->parent_code), "site_unit", str_or_null(r->site_unit),
			 "site_institution", str_or_null(r->site_institution),
			 "valid_from", api_day(r->valid_from), "valid_to", api_day(r->valid_to));
}

json_t *api_org(const coso_org_item *it)
{
	json_t *o = api_org_row(&it->row);

	if (o && json_object_set_new(o, "members", json_integer(it->members)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *api_org_ref(const coso_org_row *r)
{
	return json_pack("{s:s, s:s, s:s}", "code", r->code ? r->code : "", "name", r->name ? r->name : "",
			 "kind", r->kind ? r->kind : "");
}

json_t *api_member(const coso_member_item *it)
{
	const coso_member_row *m = &it->row;

	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:s, s:o, s:o}",
			 "id", m->id ? m->id : "", "full_name", m->full_name ? m->full_name : "",
			 "gender", m->gender ? m->gender : "", "birth_date", api_day(m->birth_date),
			 "ethnicity", m->ethnicity ? m->ethnicity : "", "admitted_on", api_day(m->admitted_on),
			 "official_on", api_day(m->official_on), "ended_on", api_day(m->ended_on),
			 "end_reason", str_or_null(m->end_reason), "status", it->status,
			 "org", api_ref(it->org_code, it->org_name),
			 "residence", api_ref(it->residence_code, it->residence_name));
}

/* Appends obj (taken) to the array ctx; -1 on failure. */
static int append(void *ctx, json_t *obj)
{
	if (!obj || json_array_append_new(ctx, obj) < 0)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	return 0;
}

int api_collect_unit(void *ctx, const coso_unit_row *r) { return append(ctx, api_unit(r)); }
int api_collect_unit_ref(void *ctx, const coso_unit_row *r) { return append(ctx, api_unit_ref(r)); }
int api_collect_institution(void *ctx, const coso_institution_item *it) { return append(ctx, api_institution(it)); }
int api_collect_org(void *ctx, const coso_org_item *it) { return append(ctx, api_org(it)); }
int api_collect_org_row(void *ctx, const coso_org_row *r) { return append(ctx, api_org_row(r)); }
int api_collect_org_ref(void *ctx, const coso_org_row *r) { return append(ctx, api_org_ref(r)); }
int api_collect_member(void *ctx, const coso_member_item *it) { return append(ctx, api_member(it)); }

json_t *api_page(json_t *items, long long page, long long per_page, long long total)
{
	if (!items)
		return NULL;
	return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "page", (json_int_t)page,
			 "per_page", (json_int_t)per_page, "total", (json_int_t)total);
}

void api_paging(const api_req *req, long long *page, long long *per_page)
{
	*page = api_query_int(req, "page", 1);
	*per_page = api_query_int(req, "per_page", 50);
}

const char *api_sort(const api_req *req, const char *dflt, bool *desc)
{
	const char *s = api_query(req, "sort");

	*desc = false;
	if (!s)
		return dflt;
	if (s[0] == '-') {
		*desc = true;
		return s + 1;
	}
	return s;
}

int api_ok(api_res *res, json_t *obj)
{
	if (!obj)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	json_decref(res->body);
	res->body = obj;
	return 0;
}
