/*
 * report.c: building the reports from the store's figures, and their JSON
 * (the contract of docs/FORMAT.md: these keys must keep their meaning).
 */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

#include "db/store_plans.h"
#include "util/error.h"

static int set_all_scope(coso_unit_ref *scope)
{
	scope->code = strdup("");
	scope->name = strdup(COSO_REPORT_ALL_NAME);
	scope->level = COSO_LEVEL_NONE;
	if (!scope->code || !scope->name) {
		coso_unit_ref_clear(scope);
		return coso_error_set(COSO_ENOMEM, "out of memory");
	}
	return 0;
}

/* Resolves the scope: given, or the one top unit, or all top units (*all). */
static int resolve_scope(coso_store *st, const char *scope, coso_day from, coso_day d,
			 coso_unit_ref *out, bool *all)
{
	coso_unit_ref *tops = NULL;
	size_t ntops = 0;
	int rc;

	*all = false;
	if (scope) {
		rc = coso_store_unit_at(st, scope, d, out);
		return rc == COSO_ENOTFOUND ? 0 : rc;
	}
	if ((rc = coso_store_top_units(st, from, d, &tops, &ntops)) < 0)
		return rc;
	if (ntops == 1) {
		*out = tops[0];
	} else {
		for (size_t i = 0; i < ntops; i++)
			coso_unit_ref_clear(&tops[i]);
		*all = true;
		rc = set_all_scope(out);
	}
	free(tops);
	return rc;
}

int coso_report_asof_build(coso_store *st, const char *scope, coso_day d, coso_report_asof *out)
{
	return coso_report_asof_build_tree(st, scope, d, COSO_DAY_MIN, out);
}

int coso_report_asof_build_tree(coso_store *st, const char *scope, coso_day d, coso_day tree,
				coso_report_asof *out)
{
	coso_day t = tree == COSO_DAY_MIN ? d : tree;
	bool all;
	int rc;

	memset(out, 0, sizeof(*out));
	out->as_of = d;
	out->tree_as_of = tree;
	/* the scope is one of the tree's: named as of its day */
	if ((rc = resolve_scope(st, scope, t, t, &out->scope, &all)) < 0)
		return rc;
	if ((rc = coso_store_begin_read(st)) < 0)
		goto fail;
	if (tree == COSO_DAY_MIN)
		rc = coso_store_report_asof(st, all ? NULL : out->scope.code, d, &out->total, &out->profile,
					    &out->children, &out->child_figures, &out->nchildren);
	else
		rc = coso_store_report_asof_tree(st, all ? NULL : out->scope.code, d, t, &out->total, &out->profile,
						 &out->children, &out->child_figures, &out->nchildren);
	coso_store_end_read(st);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	coso_report_asof_clear(out);
	return rc;
}

void coso_report_asof_clear(coso_report_asof *r)
{
	if (!r)
		return;
	coso_unit_ref_clear(&r->scope);
	for (size_t i = 0; i < r->nchildren; i++)
		coso_unit_ref_clear(&r->children[i]);
	free(r->children);
	free(r->child_figures);
	memset(r, 0, sizeof(*r));
}

int coso_report_flow_build(coso_store *st, const char *scope, coso_day from, coso_day to,
			   coso_report_flow *out)
{
	return coso_report_flow_build_tree(st, scope, from, to, COSO_DAY_MIN, out);
}

int coso_report_flow_build_tree(coso_store *st, const char *scope, coso_day from, coso_day to, coso_day tree,
				coso_report_flow *out)
{
	bool all;
	int rc;

	memset(out, 0, sizeof(*out));
	out->from = from;
	out->to = to;
	out->tree_as_of = tree;
	if (to < from)
		return coso_error_set(COSO_EINVALID, "--to comes before --from");
	if (tree == COSO_DAY_MIN)
		rc = resolve_scope(st, scope, from, to, &out->scope, &all);
	else
		rc = resolve_scope(st, scope, tree, tree, &out->scope, &all);
	if (rc < 0)
		return rc;
	if ((rc = coso_store_begin_read(st)) < 0)
		goto fail;
	if (tree == COSO_DAY_MIN)
		rc = coso_store_flow(st, all ? NULL : out->scope.code, from, to, &out->flow);
	else
		rc = coso_store_flow_tree(st, all ? NULL : out->scope.code, from, to, tree, &out->flow);
	coso_store_end_read(st);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	coso_report_flow_clear(out);
	return rc;
}

void coso_report_flow_clear(coso_report_flow *r)
{
	if (!r)
		return;
	coso_unit_ref_clear(&r->scope);
	memset(r, 0, sizeof(*r));
}

/* ---- JSON ------------------------------------------------------------------ */

static json_t *unit_json(const coso_unit_ref *u)
{
	return json_pack("{s:s, s:s}", "code", u->code ? u->code : "", "name", u->name ? u->name : "");
}

/* Adds the four figure objects of the contract to obj. */
static int add_figures(json_t *obj, const coso_figures *f)
{
	json_t *v = json_pack("{s:I, s:I, s:I, s:I}",
			      "total", (json_int_t)f->villages_total,
			      "with_org", (json_int_t)f->villages_with_org,
			      "without_org", (json_int_t)(f->villages_total - f->villages_with_org),
			      "without_member", (json_int_t)f->villages_without_member);
	json_t *s = json_pack("{s:I, s:I}", "total", (json_int_t)f->schools_total,
			      "with_org", (json_int_t)f->schools_with_org);
	json_t *h = json_pack("{s:I, s:I}", "total", (json_int_t)f->health_total,
			      "with_org", (json_int_t)f->health_with_org);
	json_t *m = json_pack("{s:I, s:I, s:I}", "total", (json_int_t)f->members_total,
			      "probationary", (json_int_t)f->members_probationary,
			      "official", (json_int_t)(f->members_total - f->members_probationary));

	if (!v || !s || !h || !m) {
		json_decref(v);
		json_decref(s);
		json_decref(h);
		json_decref(m);
		return -1;
	}
	json_object_set_new(obj, "villages", v);
	json_object_set_new(obj, "schools", s);
	json_object_set_new(obj, "health_stations", h);
	json_object_set_new(obj, "members", m);
	return 0;
}

json_t *coso_report_asof_json(const coso_report_asof *r)
{
	char day[COSO_DATE_BUFSZ];
	json_t *obj = json_object(), *children = json_array();

	if (!obj || !children)
		goto fail;
	json_object_set_new(obj, "as_of", json_string(coso_date_format(day, r->as_of)));
	/* plans: beyond the contract, the day of the tree when it is another */
	if (r->tree_as_of != COSO_DAY_MIN)
		json_object_set_new(obj, "tree_as_of", json_string(coso_date_format(day, r->tree_as_of)));
	json_object_set_new(obj, "scope", unit_json(&r->scope));
	if (add_figures(obj, &r->total) < 0)
		goto fail;
	for (size_t i = 0; i < r->nchildren; i++) {
		json_t *c = unit_json(&r->children[i]);

		if (!c || add_figures(c, &r->child_figures[i]) < 0 || json_array_append_new(children, c) < 0) {
			json_decref(c);
			goto fail;
		}
	}
	json_object_set_new(obj, "children", children);
	/* Beyond the contract: the scope's administrative profile. */
	json_object_set_new(obj, "units", json_pack("{s:I, s:I, s:{s:I, s:I, s:I, s:I}, s:I, s:I, s:I, s:I, s:I}",
		"districts", (json_int_t)r->profile.districts,
		"communes", (json_int_t)r->profile.communes,
		"communes_by_kind", "xã", (json_int_t)r->profile.communes_xa,
		"phường", (json_int_t)r->profile.communes_phuong,
		"thị trấn", (json_int_t)r->profile.communes_thi_tran,
		"other", (json_int_t)r->profile.communes_other,
		"villages", (json_int_t)r->profile.villages,
		"border_communes", (json_int_t)r->profile.border_communes,
		"difficult_communes", (json_int_t)r->profile.difficult_communes,
		"difficult_villages", (json_int_t)r->profile.difficult_villages,
		"population", (json_int_t)r->profile.population));
	return obj;
fail:
	json_decref(obj);
	json_decref(children);
	return NULL;
}

static json_t *sites_json(const long long *v)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "village", (json_int_t)v[COSO_SITE_VILLAGE],
			 "school", (json_int_t)v[COSO_SITE_SCHOOL],
			 "health_station", (json_int_t)v[COSO_SITE_HEALTH],
			 "other", (json_int_t)v[COSO_SITE_OTHER]);
}

json_t *coso_report_flow_json(const coso_report_flow *r)
{
	char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ];
	json_t *o = json_pack("{s:s, s:s, s:o, s:{s:I, s:I}, s:o, s:o}",
			 "from", coso_date_format(a, r->from), "to", coso_date_format(b, r->to),
			 "scope", unit_json(&r->scope),
			 "admissions", "total", (json_int_t)r->flow.admissions,
			 "commune_level", (json_int_t)r->flow.admissions_commune,
			 "orgs_founded", sites_json(r->flow.founded),
			 "orgs_dissolved", sites_json(r->flow.dissolved));

	/* plans: beyond the contract, the day of the tree when given */
	if (o && r->tree_as_of != COSO_DAY_MIN)
		json_object_set_new(o, "tree_as_of", json_string(coso_date_format(a, r->tree_as_of)));
	return o;
}
