/*
 * routes.c: the route table of the HTTP API, docs/API.md in one array. Each
 * route declares its method, path pattern, handler, body limit, success
 * status, summary, and its query and body parameters; the dispatcher checks
 * requests against these declarations, and the OpenAPI document
 * (/api/v1/openapi.json) is generated from them.
 */
#include "http/api.h"
#include "http/http.h"

static const char *const levels[] = { "province", "district", "commune", "village", NULL };
static const char *const unit_sorts[] = { "code", "-code", "name", "-name", NULL };
static const char *const org_sorts[] = { "code", "-code", "name", "-name", NULL };
static const char *const member_sorts[] = { "name", "-name", "admitted_on", "-admitted_on", "id", "-id", NULL };
static const char *const statuses[] = { "active", "all", NULL };
static const char *const org_kinds[] = { "committee", "cell", NULL };
static const char *const institution_kinds[] = {
	"school", "health_station", "agency", "enterprise", "armed_forces", "other", NULL
};
static const char *const timeline_steps[] = { "year", "quarter", "month", NULL };
static const char *const admission_steps[] = { "quarter", "month", "year", NULL };
static const char *const genders[] = { "male", "female", NULL };
static const char *const end_reasons[] = { "died", "expelled", "removed", "left", "transferred_out", NULL };

#define AS_OF { "as_of", API_DATE, false, "the day the registry is read as of (default: today)", NULL, 0, 0 }
#define PAGE { "page", API_INT, false, "page number, from 1", NULL, 1, 1000000000 }
#define PER_PAGE { "per_page", API_INT, false, "rows per page, 1 to 500 (default 50)", NULL, 1, 500 }
#define SCOPE(what) { "scope", API_STRING, false, what, NULL, 0, 0 }
#define END { NULL, API_STRING, false, NULL, NULL, 0, 0 }

#define STR(n, req, d) { n, API_STRING, req, d, NULL, 0, 0 }
#define DAY(n, req, d) { n, API_DATE, req, d, NULL, 0, 0 }
#define ENUM(n, req, v, d) { n, API_ENUM, req, d, v, 0, 0 }
#define FLAG(n, req, d) { n, API_FLAG, req, d, NULL, 0, 0 }

static const api_param no_params[] = { END };

static const api_param units_query[] = {
	AS_OF,
	STR("parent", false, "units under this unit; empty: the top units (absent: any parent, or the top units"
	    " when neither q nor level is given)"),
	ENUM("level", false, levels, "only units of this level"),
	STR("q", false, "words of the name or code, in any order, each a prefix; diacritics and case ignored"),
	PAGE, PER_PAGE,
	ENUM("sort", false, unit_sorts, "code (default) or name (Vietnamese order); -field for descending"),
	END,
};

static const api_param as_of_query[] = { AS_OF, END };

static const api_param institutions_query[] = {
	AS_OF,
	STR("unit", false, "institutions standing in this unit or a unit under it"),
	ENUM("kind", false, institution_kinds, "only institutions of this kind"),
	PAGE, PER_PAGE, END,
};

static const api_param orgs_query[] = {
	AS_OF,
	STR("parent", false, "organizations under this one; empty: the top ones (absent: any parent, or the top"
	    " ones when neither scope, kind nor q is given)"),
	SCOPE("organizations sited in this unit or a unit under it"),
	ENUM("kind", false, org_kinds, "committee (đảng bộ) or cell (chi bộ)"),
	STR("q", false, "words of the name or code, in any order, each a prefix; diacritics and case ignored"),
	PAGE, PER_PAGE,
	ENUM("sort", false, org_sorts, "code (default) or name (Vietnamese order); -field for descending"),
	END,
};

static const api_param members_query[] = {
	AS_OF,
	STR("q", false, "name or id: words in any order, each a prefix; diacritics and case ignored"),
	SCOPE("members whose organization sits in this unit or a unit under it"),
	STR("org", false, "members of this organization or of one under it"),
	ENUM("status", false, statuses, "active at as_of (default), or all"),
	PAGE, PER_PAGE,
	ENUM("sort", false, member_sorts, "name (default; Vietnamese order, given name first), admitted_on or id;"
	     " -field for descending"),
	END,
};

static const api_param asof_query[] = {
	AS_OF,
	SCOPE("a unit's code (default: the top unit, or all top units)"),
	DAY("compare", false, "a second day: the answer is {before, after}"),
	END,
};

static const api_param flow_query[] = {
	DAY("from", false, "first day (default: 1 January of to's year)"),
	DAY("to", false, "last day, included (default: today)"),
	SCOPE("a unit's code (default: the top unit, or all top units)"),
	END,
};

static const api_param timeline_query[] = {
	SCOPE("a unit's code (default: everything)"),
	DAY("from", false, "first point (default 2015-01-01)"),
	DAY("to", false, "last point (default: today)"),
	ENUM("step", false, timeline_steps, "between points (default year); at most 400 points"),
	END,
};

static const api_param admissions_query[] = {
	SCOPE("a unit's code (default: everything)"),
	DAY("from", false, "first day (default 2015-01-01)"),
	DAY("to", false, "last day, included (default: today)"),
	ENUM("step", false, admission_steps, "length of each period, on calendar boundaries (default quarter);"
	     " at most 400 periods"),
	END,
};

static const api_param admit_body[] = {
	STR("id", true, "party card number or registry id"),
	STR("full_name", true, "the member's full name"),
	ENUM("gender", true, genders, "male or female"),
	DAY("birth_date", true, "date of birth"),
	STR("ethnicity", true, "ethnic group, e.g. Thái, Mông, Kinh"),
	DAY("admitted_on", true, "date of the admission decision (kết nạp)"),
	STR("org_code", true, "the cell that admits the member"),
	STR("residence_code", false, "the village the member lives in"),
	END,
};

static const api_param official_body[] = { DAY("official_on", true, "the day recognised as official"), END };

static const api_param transfer_body[] = {
	DAY("date", true, "the first day in the new organization or residence"),
	STR("org_code", false, "the new organization"),
	STR("residence_code", false, "the new village of residence"),
	END,
};

static const api_param end_body[] = {
	DAY("ended_on", true, "the first day no longer in the registry"),
	ENUM("end_reason", true, end_reasons, "why"),
	END,
};

static const api_param org_body[] = {
	STR("code", true, "a code never used before"),
	STR("name", true, "e.g. Chi bộ bản Nậm Tin 1"),
	ENUM("kind", true, org_kinds, "committee (đảng bộ) or cell (chi bộ)"),
	FLAG("grassroots", true, "a grassroots organization (đảng bộ cơ sở, chi bộ cơ sở)"),
	STR("parent_code", false, "the organization above"),
	STR("site_unit", false, "the unit where it sits (give this or site_institution)"),
	STR("site_institution", false, "the institution where it sits"),
	DAY("valid_from", true, "the day it is founded"),
	END,
};

static const api_param rename_body[] = {
	DAY("date", true, "the first day of the new name"),
	STR("name", true, "the new name"),
	END,
};

static const api_param unit_rename_body[] = {
	DAY("date", true, "the first day of the new name"),
	STR("name", true, "the new name"),
	STR("kind", false, "the new kind (e.g. thị trấn); absent: unchanged"),
	END,
};

static const api_param move_body[] = {
	DAY("date", true, "the first day under the new parent"),
	STR("parent_code", true, "the new parent"),
	END,
};

static const api_param end_day_body[] = { DAY("date", true, "the first day it no longer exists"), END };

static const api_param unit_body[] = {
	STR("code", true, "GSO code where one exists; a code never used before"),
	STR("name", true, "e.g. Bản Nậm Tin 1"),
	ENUM("level", true, levels, "province, district, commune or village"),
	STR("kind", true, "the Vietnamese word: tỉnh, huyện, xã, phường, thị trấn, thôn, bản, tổ dân phố, ..."),
	STR("parent_code", false, "the unit above (required below a province)"),
	DAY("valid_from", true, "the first day it exists"),
	FLAG("border", false, "a border unit"),
	FLAG("difficult", false, "especially difficult (đặc biệt khó khăn)"),
	{ "population", API_INT, false, "number of inhabitants", NULL, 0, 1000000000000LL },
	END,
};

static const api_param institution_body[] = {
	STR("code", true, "a code never used before"),
	STR("name", true, "e.g. Trường Tiểu học Nà Một"),
	ENUM("kind", true, institution_kinds, "what it is"),
	STR("unit_code", true, "the commune or village it stands in"),
	DAY("valid_from", true, "the first day it exists"),
	END,
};

#define GET(p, h, s, q) { "GET", p, h, 0, 200, s, q, NULL }
#define POST(p, h, st, s, b) { "POST", p, h, COSO_HTTP_MAX_BODY, st, s, no_params, b }

const api_route api_routes[] = {
	GET("/api/v1/health", api_health, "Service status and schema version", no_params),
	GET("/api/v1/units", api_units_list, "Administrative units as of a day", units_query),
	GET("/api/v1/units/{code}", api_units_get, "A unit with its ancestors, children, history, institutions and"
	    " organizations", as_of_query),
	GET("/api/v1/institutions", api_institutions_list, "Schools, health stations and other institutions",
	    institutions_query),
	GET("/api/v1/orgs", api_orgs_list, "Party organizations as of a day", orgs_query),
	GET("/api/v1/orgs/{code}", api_orgs_get, "An organization with its ancestors, children, history and"
	    " member count", as_of_query),
	GET("/api/v1/members", api_members_list, "Party members: search, filter, sort, page", members_query),
	GET("/api/v1/members/{id}", api_members_get, "A member with periods and events", as_of_query),
	GET("/api/v1/reports/asof", api_reports_asof, "The report as of a day (the CLI's JSON)", asof_query),
	GET("/api/v1/reports/flow", api_reports_flow, "Admissions, foundings and dissolutions in a period (the"
	    " CLI's JSON)", flow_query),
	GET("/api/v1/reports/timeline", api_reports_timeline, "Villages and members at regular days", timeline_query),
	GET("/api/v1/reports/admissions", api_reports_admissions, "Admissions per period", admissions_query),
	GET("/api/v1/openapi.json", api_openapi, "This document", no_params),
	POST("/api/v1/members", api_members_admit, 201, "Admit a member", admit_body),
	POST("/api/v1/members/{id}/official", api_members_official, 200, "Recognise a member as official",
	     official_body),
	POST("/api/v1/members/{id}/transfer", api_members_transfer, 200, "Move a member to another organization"
	     " or residence", transfer_body),
	POST("/api/v1/members/{id}/end", api_members_end, 200, "End a membership", end_body),
	POST("/api/v1/orgs", api_orgs_found, 201, "Found an organization", org_body),
	POST("/api/v1/orgs/{code}/rename", api_orgs_rename, 200, "Rename an organization", rename_body),
	POST("/api/v1/orgs/{code}/move", api_orgs_move, 200, "Put an organization under another", move_body),
	POST("/api/v1/orgs/{code}/dissolve", api_orgs_dissolve, 200, "Dissolve an organization", end_day_body),
	POST("/api/v1/units", api_units_create, 201, "Add an administrative unit", unit_body),
	POST("/api/v1/units/{code}/rename", api_units_rename, 200, "Rename a unit (and change its kind)",
	     unit_rename_body),
	POST("/api/v1/units/{code}/move", api_units_move, 200, "Put a unit under another", move_body),
	POST("/api/v1/units/{code}/close", api_units_close, 200, "Close a unit", end_day_body),
	POST("/api/v1/institutions", api_institutions_create, 201, "Add an institution", institution_body),
};

const size_t api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);
