/*
 * routes.c: the route table of the HTTP API, docs/API.md in one array. Each
 * route declares its method, path pattern, who may call it (its permission,
 * docs/SECURITY.md), handler, body limit, success status, summary, and its
 * query and body parameters, with those that name a record (checked against
 * the user's scope); the dispatcher checks requests against these
 * declarations, and the OpenAPI document (/api/v1/openapi.json) is generated
 * from them.
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

#define AS_OF { "as_of", API_DATE, false, "the day the registry is read as of (default: today)", NULL, 0, 0, COSO_REF_NONE }
#define PAGE { "page", API_INT, false, "page number, from 1", NULL, 1, 1000000000, COSO_REF_NONE }
#define PER_PAGE { "per_page", API_INT, false, "rows per page, 1 to 500 (default 50)", NULL, 1, 500, COSO_REF_NONE }
#define SCOPE(what) REF("scope", false, COSO_REF_UNIT, what)
#define END { NULL, API_STRING, false, NULL, NULL, 0, 0, COSO_REF_NONE }

#define STR(n, req, d) { n, API_STRING, req, d, NULL, 0, 0, COSO_REF_NONE }
#define DAY(n, req, d) { n, API_DATE, req, d, NULL, 0, 0, COSO_REF_NONE }
#define ENUM(n, req, v, d) { n, API_ENUM, req, d, v, 0, 0, COSO_REF_NONE }
#define FLAG(n, req, d) { n, API_FLAG, req, d, NULL, 0, 0, COSO_REF_NONE }
/* a record's code: outside the user's scope, the request is refused (403) */
#define REF(n, req, kind, d) { n, API_STRING, req, d, NULL, 0, 0, kind }

static const api_param no_params[] = { END };

static const api_param units_query[] = {
	AS_OF,
	REF("parent", false, COSO_REF_UNIT, "units under this unit; empty: the top units (absent: any parent, or the"
	    " top units when neither q nor level is given)"),
	ENUM("level", false, levels, "only units of this level"),
	STR("q", false, "words of the name or code, in any order, each a prefix; diacritics and case ignored"),
	PAGE, PER_PAGE,
	ENUM("sort", false, unit_sorts, "code (default) or name (Vietnamese order); -field for descending"),
	END,
};

static const api_param as_of_query[] = { AS_OF, END };

static const api_param institutions_query[] = {
	AS_OF,
	REF("unit", false, COSO_REF_UNIT, "institutions standing in this unit or a unit under it"),
	ENUM("kind", false, institution_kinds, "only institutions of this kind"),
	PAGE, PER_PAGE, END,
};

static const api_param orgs_query[] = {
	AS_OF,
	REF("parent", false, COSO_REF_ORG, "organizations under this one; empty: the top ones (absent: any parent,"
	    " or the top ones when neither scope, kind nor q is given)"),
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
	REF("org", false, COSO_REF_ORG, "members of this organization or of one under it"),
	ENUM("status", false, statuses, "active at as_of (default), or all"),
	PAGE, PER_PAGE,
	ENUM("sort", false, member_sorts, "name (default; Vietnamese order, given name first), admitted_on or id;"
	     " -field for descending"),
	END,
};

static const api_param asof_query[] = {
	AS_OF,
	SCOPE("a unit's code (default: the top unit, or all top units; for a user with a scope, the scope)"),
	DAY("compare", false, "a second day: the answer is {before, after}"),
	DAY("tree_as_of", false, "plans: read the figures on the tree of this day (docs/PLANS.md)"),
	END,
};

static const api_param flow_query[] = {
	DAY("from", false, "first day (default: 1 January of to's year)"),
	DAY("to", false, "last day, included (default: today)"),
	SCOPE("a unit's code (default: the top unit, or all top units; for a user with a scope, the scope)"),
	DAY("tree_as_of", false, "plans: count each event in the unit of this day's tree that holds it"),
	END,
};

/* plans (docs/PLANS.md) */
static const char *const narrative_formats[] = { "json", "fodt", "xlsx", NULL };
static const api_param targets_query[] = {
	STR("resolution", false, "the resolution's code (GET /api/v1/resolutions; default: the one in force on as_of,"
	    " else the latest before it; with none, resolution is null and units empty)"),
	AS_OF,
	DAY("tree_as_of", false, "the tree the units are read on (default: the period's last day, or as_of)"),
	SCOPE("a unit under the resolution's scope (default: the resolution's; for a user with a scope, the scope)"),
	{ "depth", API_INT, false, "units below the scope: 0 the scope only, 1 its children, ... (default: all)",
	  NULL, 0, 10, COSO_REF_NONE },
	END,
};
static const api_param narrative_query[] = {
	DAY("from", false, "first day (default: 1 January of to's year)"),
	DAY("to", false, "last day, included (default: today)"),
	SCOPE("a unit's code (default: the top unit; for a user with a scope, the scope)"),
	STR("resolution", false, "the resolution measured (default: the latest of the scope in the period)"),
	ENUM("format", false, narrative_formats, "json (default: figures and paragraphs), fodt (a document),"
	     " xlsx (a workbook, base64)"),
	END,
};

static const api_param timeline_query[] = {
	SCOPE("a unit's code (default: everything; for a user with a scope, the scope)"),
	DAY("from", false, "first point (default 2015-01-01)"),
	DAY("to", false, "last point (default: today)"),
	ENUM("step", false, timeline_steps, "between points (default year); at most 400 points"),
	END,
};

static const api_param admissions_query[] = {
	SCOPE("a unit's code (default: everything; for a user with a scope, the scope)"),
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
	REF("org_code", true, COSO_REF_ORG, "the cell that admits the member"),
	REF("residence_code", false, COSO_REF_UNIT, "the village the member lives in"),
	END,
};

static const api_param official_body[] = { DAY("official_on", true, "the day recognised as official"), END };

static const api_param transfer_body[] = {
	DAY("date", true, "the first day in the new organization or residence"),
	REF("org_code", false, COSO_REF_ORG, "the new organization"),
	REF("residence_code", false, COSO_REF_UNIT, "the new village of residence"),
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
	REF("parent_code", false, COSO_REF_ORG, "the organization above (required for a user with a scope)"),
	REF("site_unit", false, COSO_REF_UNIT, "the unit where it sits (give this or site_institution)"),
	REF("site_institution", false, COSO_REF_INSTITUTION, "the institution where it sits"),
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

static const api_param org_move_body[] = {
	DAY("date", true, "the first day under the new parent"),
	REF("parent_code", true, COSO_REF_ORG, "the new parent"),
	END,
};

static const api_param unit_move_body[] = {
	DAY("date", true, "the first day under the new parent"),
	REF("parent_code", true, COSO_REF_UNIT, "the new parent"),
	END,
};

static const api_param end_day_body[] = { DAY("date", true, "the first day it no longer exists"), END };

static const api_param unit_body[] = {
	STR("code", true, "GSO code where one exists; a code never used before"),
	STR("name", true, "e.g. Bản Nậm Tin 1"),
	ENUM("level", true, levels, "province, district, commune or village"),
	STR("kind", true, "the Vietnamese word: tỉnh, huyện, xã, phường, thị trấn, thôn, bản, tổ dân phố, ..."),
	REF("parent_code", false, COSO_REF_UNIT, "the unit above (required below a province, and for a user with a"
	    " scope)"),
	DAY("valid_from", true, "the first day it exists"),
	FLAG("border", false, "a border unit"),
	FLAG("difficult", false, "especially difficult (đặc biệt khó khăn)"),
	{ "population", API_INT, false, "number of inhabitants", NULL, 0, 1000000000000LL, COSO_REF_NONE },
	END,
};

static const api_param institution_body[] = {
	STR("code", true, "a code never used before"),
	STR("name", true, "e.g. Trường Tiểu học Nà Một"),
	ENUM("kind", true, institution_kinds, "what it is"),
	REF("unit_code", true, COSO_REF_UNIT, "the commune or village it stands in"),
	DAY("valid_from", true, "the first day it exists"),
	END,
};

static const api_param session_body[] = {
	STR("user", true, "the user name"),
	STR("password", true, "the password"),
	END,
};

/* cadres */
static const api_param cadres_summary_query[] = {
	DAY("from", false, "first day (default: 1 January of to's year)"),
	DAY("to", false, "last day, included; the standards are those of this day (default: today)"),
	SCOPE("a unit's code (default: everything; for a user with a scope, the scope)"),
	END,
};

static const char *const cadre_kinds[] = { "professional", "political_theory", "short_course", NULL };
static const api_param cadres_training_query[] = {
	DAY("from", false, "first day (default: 1 January of to's year)"),
	DAY("to", false, "last day, included (default: today)"),
	SCOPE("a unit's code (default: everything; for a user with a scope, the scope)"),
	ENUM("kind", false, cadre_kinds, "only training of this kind"),
	PAGE, PER_PAGE, END,
};

static const api_param cadres_posts_query[] = {
	AS_OF,
	REF("unit", false, COSO_REF_UNIT, "the commune's code (default: the user's scope; none: no posts)"),
	END,
};
/* end cadres */
/* ---- services (docs/SERVICES.md) ---- */
static const char *const svc_kinds[] = { "onestop", "complaint", "complaint_second", "denunciation", "petition", NULL };
static const char *const svc_statuses[] = { "all", "open", "overdue", "due", "late", "closed", NULL };
static const char *const svc_actions[] = {
	"accepted", "handoff", "apology", "extended", "resolved", "rejected", "withdrawn", "transferred", NULL
};

static const api_param svc_cases_query[] = {
	SCOPE("cases of this unit or of the units under it on the day each was received"),
	ENUM("kind", false, svc_kinds, "only cases of this kind"),
	ENUM("status", false, svc_statuses, "open, due (on `on`), overdue (open past the deadline on `on`), late"
	     " (closed after it), closed or all (default)"),
	DAY("on", false, "the day of due and overdue (default: today)"),
	DAY("from", false, "received on or after"),
	DAY("to", false, "received on or before"),
	STR("q", false, "the case's id, or words of its subject"),
	PAGE, PER_PAGE, END,
};

static const api_param svc_report_query[] = {
	SCOPE("a unit's code (default: the user's scope, or everything)"),
	DAY("from", false, "first day (default: 1 January of to's year)"),
	DAY("to", false, "last day, included (default: today)"),
	END,
};

static const api_param svc_case_add_body[] = {
	STR("id", true, "the case's number, never used before (e.g. the desk's receipt number)"),
	ENUM("kind", true, svc_kinds, "what the case is"),
	REF("unit_code", true, COSO_REF_UNIT, "the commune that received it"),
	DAY("received_on", true, "the day the complete file or the letter was received"),
	STR("procedure_code", false, "one-stop: the procedure of the catalogue"),
	STR("subject", false, "what it is about (required but for one-stop cases)"),
	STR("person_name", true, "the applicant, complainant or denouncer"),
	STR("person_doc", false, "their identity card number"),
	STR("person_address", false, "their address"),
	{ "complexity", API_INT, false, "0 ordinary, 1 complex, 2 very complex (denunciations)", NULL, 0, 2,
	  COSO_REF_NONE },
	STR("officer", false, "the handling officer's user name (the only one who sees a denouncer)"),
	STR("note", false, "free text"),
	END,
};

static const api_param svc_event_body[] = {
	DAY("date", true, "the day of the event"),
	ENUM("action", true, svc_actions, "what happened"),
	STR("body", false, "handoff: the body that takes the case over"),
	DAY("new_date", false, "apology: the new date of the result"),
	STR("note", false, "the reason, or the decision's number (required for an extension)"),
	END,
};

static const api_param svc_procedure_body[] = {
	STR("procedure_code", true, "the right procedure: the due date is computed anew"),
	END,
};

static const char *const svc_session_kinds[] = { "regular", "chair", "unscheduled", NULL };
static const char *const svc_routes[] = {
	"onestop", "complaint", "complaint_second", "denunciation", "petition", "guidance", NULL
};

static const api_param svc_receptions_query[] = {
	SCOPE("sessions of this unit or of the units under it on the session's day"),
	DAY("from", false, "on or after"),
	DAY("to", false, "on or before"),
	PAGE, PER_PAGE, END,
};

static const api_param svc_reception_body[] = {
	STR("session_id", true, "the session's number (a new one opens a session)"),
	REF("unit_code", true, COSO_REF_UNIT, "the commune"),
	DAY("date", true, "the session's day"),
	ENUM("session_kind", true, svc_session_kinds, "regular (thường xuyên), chair (định kỳ, the chair), unscheduled"),
	STR("host", false, "who received the citizens"),
	STR("person_name", true, "the citizen received"),
	STR("person_doc", false, "their identity card number"),
	STR("person_address", false, "their address"),
	STR("matter", true, "what they raised"),
	ENUM("route", true, svc_routes, "where it goes: a kind of case, or guidance (explained on the spot)"),
	STR("case_id", false, "the case it was registered as (of the same commune, received on or after the day)"),
	STR("note", false, "free text"),
	END,
};

static const char *const svc_voter_statuses[] = { "all", "answered", "unanswered", "late", NULL };

static const api_param svc_voters_query[] = {
	SCOPE("petitions of meetings in this unit or the units under it"),
	ENUM("status", false, svc_voter_statuses, "answered, unanswered (on `on`), late (not answered by the next"
	     " session, which has passed on `on`) or all (default)"),
	DAY("on", false, "the day of unanswered and late (default: today)"),
	DAY("from", false, "meetings on or after"),
	DAY("to", false, "meetings on or before"),
	PAGE, PER_PAGE, END,
};

static const api_param svc_voter_body[] = {
	STR("id", true, "the petition's number"),
	REF("unit_code", true, COSO_REF_UNIT, "the commune where the voters met"),
	DAY("meeting_on", true, "the meeting with voters (tiếp xúc cử tri)"),
	STR("council", true, "the session it is for, e.g. HĐND xã, kỳ họp thứ 8"),
	DAY("next_session_on", true, "the next session, by which it must be answered"),
	STR("content", true, "what the voters ask"),
	STR("field", false, "e.g. Giao thông"),
	STR("addressee", true, "the body that must answer"),
	STR("note", false, "free text"),
	END,
};

static const api_param svc_voter_answer_body[] = {
	DAY("date", true, "the day of the answer"),
	STR("answer", true, "the answer given"),
	END,
};

static const api_param svc_case_query[] = {
	DAY("as_of", false, "the clock as of this day: was the case open, and on time (default: today)"),
	END,
};

/* ---- party (api_party.c, docs/PARTY.md) ---- */
static const char *const candidate_statuses[] = { "active", "all", NULL };
static const char *const candidate_stages[] = { "course", "verified", "voted", "decided", "dropped", NULL };
static const char *const review_outcomes[] = { "recognised", "removed", NULL };

static const api_param candidates_query[] = {
	AS_OF,
	REF("org", false, COSO_REF_ORG, "candidates of this organization or of one under it"),
	ENUM("status", false, candidate_statuses, "active: proposed by as_of, neither admitted nor dropped"
	     " (default); all"),
	PAGE, PER_PAGE, END,
};

static const api_param due_query[] = {
	AS_OF,
	REF("org", false, COSO_REF_ORG, "deadlines of this organization or of one under it"),
	{ "limit", API_INT, false, "most items per list (default 500)", NULL, 1, 500, COSO_REF_NONE },
	END,
};

static const api_param probation_query[] = {
	AS_OF,
	REF("org", false, COSO_REF_ORG, "members of this organization or of one under it"),
	{ "limit", API_INT, false, "most items per list (default 500); the answer counts them all", NULL, 1, 500,
	  COSO_REF_NONE },
	END,
};

static const api_param candidate_body[] = {
	STR("id", true, "a registry id of the candidate, never used before"),
	STR("full_name", true, "the candidate's full name"),
	ENUM("gender", true, genders, "male or female"),
	DAY("birth_date", true, "date of birth"),
	STR("ethnicity", true, "ethnic group, e.g. Thái, Mông, Kinh"),
	REF("org_code", true, COSO_REF_ORG, "the cell that proposes the candidate"),
	REF("residence_code", false, COSO_REF_UNIT, "the village the candidate lives in"),
	DAY("proposed_on", true, "the day the cell proposed the candidate"),
	DAY("course_on", false, "date of the certificate of the course on the Party (lớp bồi dưỡng nhận thức về Đảng)"),
	STR("course_by", false, "who gave the course (trung tâm chính trị)"),
	STR("age_exception", false, "the decision that admits a candidate over 60 (Quy định 24-QĐ/TW, 1.1.2)"),
	END,
};

static const api_param stage_body[] = {
	ENUM("stage", true, candidate_stages, "course (certificate), verified (background), voted (the cell),"
	     " decided (the competent committee) or dropped"),
	DAY("date", true, "the day of the stage"),
	STR("by", false, "who: the course's centre, the verifier, the deciding committee's code (required for"
	    " decided), or why the candidate is dropped (required for dropped)"),
	STR("decision_no", false, "the decision's number (decided)"),
	STR("age_exception", false, "the decision that admits a candidate over 60 (voted)"),
	END,
};

static const api_param admit_candidate_body[] = {
	STR("member_id", true, "the new member's id (party card number or registry id)"),
	DAY("ceremony_on", true, "the day of the admission ceremony: the member's admitted_on"),
	END,
};

static const api_param probation_body[] = {
	DAY("reviewed_on", true, "the day the cell reviewed the probation"),
	DAY("decided_on", true, "the day of the competent committee's decision"),
	STR("decided_by", true, "the code of the committee that decided"),
	STR("decision_no", false, "the decision's number"),
	ENUM("outcome", true, review_outcomes, "recognised (official from the end of the 12 months) or removed"),
	END,
};

static const char *const transfer_kinds[] = { "official", "out", "temporary", NULL };
static const char *const transfer_purposes[] = { "work", "study", NULL };

static const api_param party_transfer_body[] = {
	STR("id", true, "the transfer's id, never used before"),
	REF("member_id", true, COSO_REF_MEMBER, "the member"),
	ENUM("kind", true, transfer_kinds, "official (to another cell of the registry), out (out of the registry:"
	     " the membership ends transferred_out) or temporary"),
	STR("to_org", false, "the receiving organization (official, temporary; may be outside the user's scope)"),
	STR("destination", false, "where the member goes (out: required)"),
	ENUM("purpose", false, transfer_purposes, "temporary: work (under a year) or study (up to 2 years)"),
	DAY("decided_on", true, "the day the decision that moves the member takes effect"),
	DAY("letter_on", true, "the day of the letter of introduction (giới thiệu sinh hoạt đảng)"),
	DAY("until", false, "temporary: the planned end"),
	END,
};

static const api_param present_body[] = {
	DAY("presented_on", true, "the day the member presented the letter to the receiving cell"), END,
};

static const api_param return_body[] = { DAY("returned_on", true, "the day the member is back"), END };

static const char *const rating_levels[] = { "excellent", "good", "done", "not_done", NULL };

static const api_param ratings_query[] = {
	{ "year", API_INT, false, "the year rated (default: last year)", NULL, 1995, 2100, COSO_REF_NONE },
	REF("org", false, COSO_REF_ORG, "ratings of this organization, of its members, and of those under it"),
	END,
};

static const api_param rating_body[] = {
	STR("year", true, "the year rated, e.g. 2025"),
	ENUM("level", true, rating_levels, "excellent (hoàn thành xuất sắc nhiệm vụ), good (hoàn thành tốt), done"
	     " (hoàn thành) or not_done (không hoàn thành)"),
	STR("score", false, "0 to 100, required from 2025 (Quy định 366-QĐ/TW); it must give the level"),
	DAY("rated_on", true, "the day of the rating"),
	STR("rated_by", true, "the code of the organization that rates"),
	END,
};

static const char *const badge_years[] = { "30", "40", "45", "50", "55", "60", "65", "70", "75", "80", "85", "90", NULL };
static const char *const flags01[] = { "0", "1", NULL };

static const api_param badge_body[] = {
	ENUM("years", true, badge_years, "the badge: years of party age"),
	DAY("awarded_on", true, "the day of the award (a ceremony: 3/2, 19/5, 2/9, 7/11)"),
	STR("decision_no", false, "the decision's number"),
	ENUM("early", false, flags01, "1: awarded early to a seriously ill member (Hướng dẫn 01-HD/TW, mục 18)"),
	END,
};

/* Each route: method, pattern, permission, what its {param} names, handler, ... */
#define GET(p, pm, rf, h, s, q) { .method = "GET", .pattern = p, .perm = pm, .path_ref = rf, .handler = h, \
	.body_limit = 0, .status = 200, .summary = s, .query = q, .body = NULL }
#define POST(p, pm, rf, h, st, s, b) { .method = "POST", .pattern = p, .perm = pm, .path_ref = rf, .handler = h, \
	.body_limit = COSO_HTTP_MAX_BODY, .status = st, .summary = s, .query = no_params, .body = b }
#define NO_REF COSO_REF_NONE
#define UNIT COSO_REF_UNIT
#define ORG COSO_REF_ORG
#define MEMBER COSO_REF_MEMBER

const api_route api_routes[] = {
	GET("/api/v1/health", API_PUBLIC, NO_REF, api_health, "Service status and schema version", no_params),
	POST("/api/v1/session", API_PUBLIC, NO_REF, api_session_start, 200, "Sign in: sets the session cookie and"
	     " answers the session with its CSRF token (too many failures: 429)", session_body),
	GET("/api/v1/session", API_SIGNED_IN, NO_REF, api_session_get, "The signed-in user, role, scope,"
	    " permissions and CSRF token", no_params),
	{ .method = "POST", .pattern = "/api/v1/session/end", .perm = API_SIGNED_IN, .path_ref = NO_REF,
	  .handler = api_session_end, .body_limit = 0, .status = 200, .summary = "Sign out: ends the session",
	  .query = no_params, .body = NULL },
	GET("/api/v1/users", API_ADMIN, NO_REF, api_users_list, "The users, their roles and scopes"
	    " (administrators)", no_params),
	GET("/api/v1/units", API_READ, NO_REF, api_units_list, "Administrative units as of a day", units_query),
	GET("/api/v1/units/{code}", API_READ, UNIT, api_units_get, "A unit with its ancestors, children, history,"
	    " institutions and organizations", as_of_query),
	GET("/api/v1/institutions", API_READ, NO_REF, api_institutions_list, "Schools, health stations and other"
	    " institutions", institutions_query),
	GET("/api/v1/orgs", API_READ, NO_REF, api_orgs_list, "Party organizations as of a day", orgs_query),
	GET("/api/v1/orgs/{code}", API_READ, ORG, api_orgs_get, "An organization with its ancestors, children,"
	    " history and member count", as_of_query),
	GET("/api/v1/members", API_READ, NO_REF, api_members_list, "Party members: search, filter, sort, page",
	    members_query),
	GET("/api/v1/members/{id}", API_READ, MEMBER, api_members_get, "A member with periods and events",
	    as_of_query),
	GET("/api/v1/reports/asof", API_READ, NO_REF, api_reports_asof, "The report as of a day (the CLI's JSON)",
	    asof_query),
	GET("/api/v1/reports/flow", API_READ, NO_REF, api_reports_flow, "Admissions, foundings and dissolutions in"
	    " a period (the CLI's JSON)", flow_query),
	GET("/api/v1/reports/timeline", API_READ, NO_REF, api_reports_timeline, "Villages and members at regular"
	    " days", timeline_query),
	GET("/api/v1/reports/admissions", API_READ, NO_REF, api_reports_admissions, "Admissions per period",
	    admissions_query),
	/* cadres */
	GET("/api/v1/cadres/summary", API_READ, NO_REF, api_cadres_summary, "Commune cadres: training, rotations"
	    " and the standards share per commune over a period (docs/CADRES.md)", cadres_summary_query),
	GET("/api/v1/cadres/training", API_READ, NO_REF, api_cadres_training, "Commune cadres: the training records"
	    " of a period counted by the summary, who was sent from which commune", cadres_training_query),
	GET("/api/v1/cadres/posts", API_READ, NO_REF, api_cadres_posts, "The posts of a commune held on a day,"
	    " with their holders, levels and standards", cadres_posts_query),
	/* end cadres */
	/* plans */
	GET("/api/v1/resolutions", API_READ, NO_REF, api_resolutions_list, "Resolutions and their targets",
	    no_params),
	GET("/api/v1/reports/targets", API_READ, NO_REF, api_reports_targets, "Each target's progress per year and"
	    " over the period, per unit", targets_query),
	GET("/api/v1/reports/narrative", API_READ, NO_REF, api_reports_narrative, "The written report of a period",
	    narrative_query),
	GET("/api/v1/openapi.json", API_PUBLIC, NO_REF, api_openapi, "This document", no_params),
	POST("/api/v1/members", API_WRITE_REGISTRY, NO_REF, api_members_admit, 201, "Admit a member", admit_body),
	POST("/api/v1/members/{id}/official", API_WRITE_REGISTRY, MEMBER, api_members_official, 200,
	     "Recognise a member as official", official_body),
	POST("/api/v1/members/{id}/transfer", API_WRITE_REGISTRY, MEMBER, api_members_transfer, 200,
	     "Move a member to another organization or residence", transfer_body),
	POST("/api/v1/members/{id}/end", API_WRITE_REGISTRY, MEMBER, api_members_end, 200, "End a membership",
	     end_body),
	POST("/api/v1/orgs", API_WRITE_REGISTRY, NO_REF, api_orgs_found, 201, "Found an organization", org_body),
	POST("/api/v1/orgs/{code}/rename", API_WRITE_REGISTRY, ORG, api_orgs_rename, 200, "Rename an organization",
	     rename_body),
	POST("/api/v1/orgs/{code}/move", API_WRITE_REGISTRY, ORG, api_orgs_move, 200, "Put an organization under"
	     " another", org_move_body),
	POST("/api/v1/orgs/{code}/dissolve", API_WRITE_REGISTRY, ORG, api_orgs_dissolve, 200, "Dissolve an"
	     " organization", end_day_body),
	POST("/api/v1/units", API_WRITE_UNITS, NO_REF, api_units_create, 201, "Add an administrative unit",
	     unit_body),
	POST("/api/v1/units/{code}/rename", API_WRITE_UNITS, UNIT, api_units_rename, 200, "Rename a unit (and"
	     " change its kind)", unit_rename_body),
	POST("/api/v1/units/{code}/move", API_WRITE_UNITS, UNIT, api_units_move, 200, "Put a unit under another",
	     unit_move_body),
	POST("/api/v1/units/{code}/close", API_WRITE_UNITS, UNIT, api_units_close, 200, "Close a unit",
	     end_day_body),
	POST("/api/v1/institutions", API_WRITE_REGISTRY, NO_REF, api_institutions_create, 201, "Add an"
	     " institution", institution_body),
	/* services */
	GET("/api/v1/services/procedures", API_READ, NO_REF, api_svc_procedures, "The procedure catalogue of the"
	    " one-stop desk as of a day", as_of_query),
	GET("/api/v1/services/cases", API_READ, NO_REF, api_svc_cases, "One-stop cases, complaints, denunciations"
	    " and petitions: due today, overdue, ...", svc_cases_query),
	GET("/api/v1/services/cases/{id}", API_READ, NO_REF, api_svc_case_get, "A case with its events and its"
	    " clock as of a day", svc_case_query),
	GET("/api/v1/services/report", API_READ, NO_REF, api_svc_report, "Received, resolved, on time, overdue by"
	    " kind and commune", svc_report_query),
	POST("/api/v1/services/cases", API_WRITE_REGISTRY, NO_REF, api_svc_case_add, 201, "Register a case",
	     svc_case_add_body),
	POST("/api/v1/services/cases/{id}/events", API_WRITE_REGISTRY, NO_REF, api_svc_case_event, 200, "Record"
	     " an event of a case (acceptance, hand-off, apology slip, extension, result, ...)", svc_event_body),
	POST("/api/v1/services/cases/{id}/procedure", API_WRITE_REGISTRY, NO_REF, api_svc_case_procedure, 200,
	     "Correct the procedure of a one-stop case (the due date follows)", svc_procedure_body),
	GET("/api/v1/services/receptions", API_READ, NO_REF, api_svc_receptions, "Citizen reception sessions",
	    svc_receptions_query),
	GET("/api/v1/services/receptions/{id}", API_READ, NO_REF, api_svc_reception_get, "A reception session:"
	    " the citizens received and where their matters went", no_params),
	POST("/api/v1/services/receptions", API_WRITE_REGISTRY, NO_REF, api_svc_reception_add, 201, "Record a"
	     " citizen received at a session (opening the session when new)", svc_reception_body),
	GET("/api/v1/services/voter-petitions", API_READ, NO_REF, api_svc_voters, "Voters' petitions to the"
	    " People's Council and whether they were answered by the next session", svc_voters_query),
	POST("/api/v1/services/voter-petitions", API_WRITE_REGISTRY, NO_REF, api_svc_voter_add, 201, "Record a"
	     " voters' petition collected at a meeting", svc_voter_body),
	POST("/api/v1/services/voter-petitions/{id}/answer", API_WRITE_REGISTRY, NO_REF, api_svc_voter_answer, 200,
	     "Record the answer to a voters' petition", svc_voter_answer_body),
	/* party */
	GET("/api/v1/candidates", API_READ, NO_REF, api_candidates_list, "Candidates for admission with their"
	    " stage and deadlines", candidates_query),
	GET("/api/v1/candidates/{id}", API_READ, NO_REF, api_candidates_get, "A candidate with its stage and"
	    " deadlines", as_of_query),
	POST("/api/v1/candidates", API_WRITE_REGISTRY, NO_REF, api_candidates_create, 201, "Propose a candidate",
	     candidate_body),
	POST("/api/v1/candidates/{id}/stage", API_WRITE_REGISTRY, NO_REF, api_candidates_stage, 200, "Record a"
	     " candidate's stage (course, verification, vote, decision) or drop the candidate", stage_body),
	POST("/api/v1/candidates/{id}/admit", API_WRITE_REGISTRY, NO_REF, api_candidates_admit, 201, "Admit a"
	     " candidate at the ceremony: the candidate becomes a member", admit_candidate_body),
	POST("/api/v1/members/{id}/probation", API_WRITE_REGISTRY, MEMBER, api_members_probation, 200, "Decide on"
	     " a member's probation (recognised or removed)", probation_body),
	GET("/api/v1/probation", API_READ, NO_REF, api_probation_list, "Members on probation with their review's"
	    " deadline", probation_query),
	GET("/api/v1/transfers", API_READ, NO_REF, api_transfers_list, "Transfers of party membership with their"
	    " deadlines", probation_query),
	POST("/api/v1/transfers", API_WRITE_REGISTRY, NO_REF, api_transfers_create, 201, "Record a transfer of"
	     " party membership (its letter given)", party_transfer_body),
	POST("/api/v1/transfers/{id}/present", API_WRITE_REGISTRY, NO_REF, api_transfers_present, 200, "The"
	     " letter presented to the receiving cell: an official transfer moves the member", present_body),
	POST("/api/v1/transfers/{id}/return", API_WRITE_REGISTRY, NO_REF, api_transfers_return, 200, "The member"
	     " of a temporary transfer is back", return_body),
	GET("/api/v1/party/ratings", API_READ, NO_REF, api_party_ratings, "Yearly quality ratings per level, and"
	    " the grassroots organizations over the share of excellent members", ratings_query),
	POST("/api/v1/members/{id}/rating", API_WRITE_REGISTRY, MEMBER, api_members_rating, 201, "Rate a member's"
	     " year", rating_body),
	POST("/api/v1/orgs/{code}/rating", API_WRITE_REGISTRY, ORG, api_orgs_rating, 201, "Rate an organization's"
	     " year", rating_body),
	POST("/api/v1/members/{id}/badge", API_WRITE_REGISTRY, MEMBER, api_members_badge, 201, "Record a Party"
	     " badge awarded", badge_body),
	GET("/api/v1/party/due", API_READ, NO_REF, api_party_due, "Deadlines due this month, overdue, and met late",
	    due_query),
	GET("/api/v1/party/badges", API_READ, NO_REF, api_party_badges, "Members due for a Party badge at the next"
	    " ceremony, and those who may have it early if seriously ill", probation_query),
};

const size_t api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);
