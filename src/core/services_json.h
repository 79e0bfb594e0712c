/*
 * services_json.h: the services register as JSON, one form for the API and
 * the CLI's --format json (docs/SERVICES.md, "JSON"). Every read goes
 * through the store's scoped reads (db/store_services.h): the caller sets
 * the reader's scope on the store, and names the viewer, the only one who
 * may see a denouncer when they are the case's officer.
 */
#ifndef COSO_CORE_SERVICES_JSON_H
#define COSO_CORE_SERVICES_JSON_H

#include <jansson.h>

#include "db/store_services.h"

/* A page of cases: {items, page, per_page, total}. */
int coso_svc_list_json(coso_store *st, const coso_svc_filter *f, json_t **out);

/* One case with its events and its clock as of `as_of` (COSO_DAY_MAX:
 * today's stored state; the "on" object then is as of `today`).
 * COSO_ENOTFOUND when it does not exist or is outside the scope. */
int coso_svc_detail_json(coso_store *st, const char *id, const char *viewer, coso_day as_of, coso_day today,
			 json_t **out);

/* The figures of a scope and period: {scope, from, to, total, by_kind,
 * by_unit, monthly}. */
int coso_svc_report_json(coso_store *st, const char *scope, coso_day from, coso_day to, json_t **out);

/* The catalogue as of a day: [{code, name, field, days, valid_from, valid_to, source}]. */
int coso_svc_procedures_json(coso_store *st, coso_day as_of, json_t **out);

/* Citizen reception: a page of sessions {items: [{id, unit, date, kind, host,
 * matters, routed}], page, per_page, total}, and one session with its matters
 * (COSO_ENOTFOUND outside the scope). */
int coso_svc_sessions_json(coso_store *st, const coso_svc_filter *f, json_t **out);
int coso_svc_session_json(coso_store *st, const char *id, const char *viewer, json_t **out);

/* Voters' petitions: a page {items: [{id, unit, meeting_on, council,
 * next_session_on, content, field, addressee, answered_on, answer, note,
 * answered_in_time}], page, per_page, total}. The report's voter_petitions
 * object: {collected, answered, answered_in_time, unanswered, by_unit: [{code,
 * name, collected, answered, answered_in_time, unanswered, share}]}. */
int coso_svc_voters_json(coso_store *st, const coso_svc_filter *f, json_t **out);

#endif
