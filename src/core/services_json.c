/*
 * services_json.c: the services register as JSON (core/services_json.h).
 */
#include "core/services_json.h"

#include <stdlib.h>
#include <string.h>

#include "core/services.h"
#include "util/error.h"

static json_t *day(coso_day d)
{
	char buf[COSO_DATE_BUFSZ];

	if (d <= COSO_DAY_MIN || d >= COSO_DAY_MAX)
		return json_null();
	return json_string(coso_date_format(buf, d));
}

static const char *status_of(const coso_svc_case *c)
{
	if (c->closed_on != COSO_DAY_MAX)
		return c->closed_as;
	if (c->accept_due != COSO_DAY_MAX && c->accepted_on == COSO_DAY_MAX)
		return "received";
	return c->accepted_on != COSO_DAY_MAX ? "accepted" : "in_progress";
}

static json_t *case_json(const coso_svc_case *c, coso_day today)
{
	int k = coso_svc_kind_of(c->kind);
	bool open = c->closed_on == COSO_DAY_MAX;

	return json_pack("{s:s, s:s, s:s, s:{s:s, s:s?}, s:o, s:s?, s:s?, s:o, s:s, s:o, s:b,"
			 " s:i, s:s?, s:s?, s:b, s:o, s:o, s:o, s:o, s:o, s:s?, s:i, s:s, s:b, s:b}",
			 "id", c->id, "kind", c->kind, "kind_name", k >= 0 ? coso_svc_kind_names[k] : c->kind,
			 "unit", "code", c->unit_code, "name", c->unit_name,
			 "received_on", day(c->received_on),
			 "procedure_code", c->procedure_code, "procedure_name", c->procedure_name,
			 "procedure_days", c->proc_days >= 0 ? json_integer(c->proc_days) : json_null(),
			 "subject", c->subject,
			 "person", c->masked ? json_null()
				 : json_pack("{s:s?, s:s?, s:s?}", "name", c->person_name, "doc", c->person_doc,
					     "address", c->person_address),
			 "person_masked", c->masked,
			 "complexity", c->complexity, "officer", c->officer, "note", c->note, "remote", c->remote,
			 "accept_due", day(c->accept_due), "accepted_on", day(c->accepted_on), "due_on", day(c->due_on),
			 "promised_on", day(c->promised_on), "closed_on", day(c->closed_on), "closed_as", c->closed_as,
			 "extensions", c->extensions, "status", status_of(c),
			 "overdue", open && today > c->due_on,
			 "on_time", !open && c->closed_on <= c->due_on);
}

/* ---- lists ---------------------------------------------------------------------------- */

struct collect {
	json_t *items;
	coso_day today;
};

static int collect_case(void *ctx, const coso_svc_case *c)
{
	struct collect *k = ctx;
	json_t *o = case_json(c, k->today);

	return o && json_array_append_new(k->items, o) == 0 ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

int coso_svc_list_json(coso_store *st, const coso_svc_filter *f, json_t **out)
{
	struct collect k = { json_array(), f->day };
	long long total = 0;
	int rc = k.items ? coso_svc_cases(st, f, collect_case, &k, &total) : COSO_ENOMEM;

	if (rc < 0) {
		json_decref(k.items);
		return rc == COSO_ENOMEM ? coso_error_set(rc, "out of memory") : rc;
	}
	*out = json_pack("{s:o, s:I, s:I, s:I}", "items", k.items, "page", (json_int_t)f->page, "per_page",
			 (json_int_t)f->per_page, "total", (json_int_t)total);
	return *out ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

/* ---- one case ------------------------------------------------------------------------- */

static int collect_event(void *ctx, const coso_svc_event *e)
{
	json_t *a = ctx;
	int i;
	json_t *o;

	for (i = 0; coso_svc_actions[i] && strcmp(coso_svc_actions[i], e->action) != 0; i++)
		;
	o = json_pack("{s:i, s:o, s:s, s:s, s:s?, s:o, s:s?}", "seq", e->seq, "date", day(e->day), "action", e->action,
		      "action_name", coso_svc_actions[i] ? coso_svc_action_names[i] : e->action, "body", e->body,
		      "new_date", day(e->new_date), "note", e->note);
	return o && json_array_append_new(a, o) == 0 ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

struct one {
	json_t *obj;
	coso_day today;
};

static int one_case(void *ctx, const coso_svc_case *c)
{
	struct one *o = ctx;

	o->obj = case_json(c, o->today);
	return o->obj ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

int coso_svc_detail_json(coso_store *st, const char *id, const char *viewer, coso_day as_of, coso_day today,
			 json_t **out)
{
	struct one o = { NULL, today };
	json_t *events = json_array();
	coso_svc_clock clk;
	coso_day on = as_of == COSO_DAY_MAX ? today : as_of;
	int rc = events ? coso_svc_case_get(st, id, viewer, one_case, &o) : coso_error_set(COSO_ENOMEM, "out of memory");

	if (rc == 0)
		rc = coso_svc_each_event(st, id, collect_event, events);
	if (rc == 0)
		rc = coso_svc_clock_of(st, id, on, &clk, NULL);
	if (rc == 0) {
		json_t *at = json_pack("{s:o, s:b, s:b, s:o, s:o, s:i}", "date", day(on), "open", clk.open, "late",
				       clk.late, "deadline", day(clk.deadline), "promised_on", day(clk.promised),
				       "extensions", clk.extensions);

		if (!at || json_object_set_new(o.obj, "on", at) < 0 || json_object_set(o.obj, "events", events) < 0)
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
	}
	json_decref(events);
	if (rc < 0) {
		json_decref(o.obj);
		return rc;
	}
	*out = o.obj;
	return 0;
}

/* ---- figures --------------------------------------------------------------------------- */

static json_t *figures_json(const coso_svc_figures *f, bool named)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "received", (json_int_t)f->received, "resolved",
			      (json_int_t)f->resolved, "on_time", (json_int_t)f->on_time, "late", (json_int_t)f->late,
			      "open", (json_int_t)f->open, "overdue", (json_int_t)f->overdue);

	if (o && named) {
		json_object_set_new(o, "code", json_string(f->key));
		json_object_set_new(o, "name", json_string(f->name));
	}
	return o;
}

/* rows[1..n) as an object by key (by = 0) or an array of named rows. */
static json_t *rows_json(const coso_svc_figures *v, size_t n, int by)
{
	json_t *out = by == 1 ? json_array() : json_object();

	for (size_t i = 1; out && i < n; i++) {
		json_t *r = figures_json(&v[i], by == 1);

		if (!r || (by == 1 ? json_array_append_new(out, r) : json_object_set_new(out, v[i].key, r)) < 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

/* The voters' petitions of the report: collected, answered, in time, per commune. */
static json_t *voter_figures_json(const coso_svc_figures *f, bool named)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:I}", "collected", (json_int_t)f->received, "answered",
			      (json_int_t)f->resolved, "answered_in_time", (json_int_t)f->on_time, "unanswered",
			      (json_int_t)f->open);

	if (o && named) {
		json_object_set_new(o, "code", json_string(f->key));
		json_object_set_new(o, "name", json_string(f->name));
	}
	return o;
}

static int voter_report(coso_store *st, const char *scope, coso_day from, coso_day to, json_t **out)
{
	coso_svc_figures *v = NULL;
	size_t n = 0;
	json_t *units;
	int rc = coso_svc_voter_figures(st, scope, from, to, &v, &n);

	if (rc < 0)
		return rc;
	units = json_array();
	for (size_t i = 1; units && i < n; i++)
		if (json_array_append_new(units, voter_figures_json(&v[i], true)) < 0) {
			json_decref(units);
			units = NULL;
		}
	*out = voter_figures_json(&v[0], false);
	if (*out && units)
		json_object_set_new(*out, "by_unit", units);
	else
		json_decref(units);
	free(v);
	return *out && units ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

int coso_svc_report_json(coso_store *st, const char *scope, coso_day from, coso_day to, json_t **out)
{
	coso_svc_figures *kinds = NULL, *units = NULL, *months = NULL, *procs = NULL;
	size_t nk = 0, nu = 0, nm = 0, np = 0;
	int rc = coso_svc_figures_of(st, scope, from, to, 0, &kinds, &nk);

	if (rc == 0)
		rc = coso_svc_figures_of(st, scope, from, to, 1, &units, &nu);
	if (rc == 0)
		rc = coso_svc_figures_of(st, scope, from, to, 2, &procs, &np);
	if (rc == 0)
		rc = coso_svc_monthly(st, scope, NULL, from, to, &months, &nm);
	if (rc == 0) {
		json_t *by_month = json_array();

		for (size_t i = 1; by_month && i < nm; i++) {
			json_t *r = figures_json(&months[i], false);

			if (r)
				json_object_set_new(r, "month", json_string(months[i].key));
			if (!r || json_array_append_new(by_month, r) < 0) {
				json_decref(by_month);
				by_month = NULL;
			}
		}
		coso_svc_reception_figures rf;
		json_t *voters = NULL;

		rc = coso_svc_reception_figures_of(st, scope, from, to, &rf);
		if (rc == 0)
			rc = voter_report(st, scope, from, to, &voters);
		*out = rc < 0 ? NULL : json_pack("{s:s?, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:{s:I, s:I, s:I}, s:I, s:I}}",
				 "scope", scope, "from", day(from), "to", day(to),
				 "total", figures_json(&kinds[0], false), "by_kind", rows_json(kinds, nk, 0),
				 "by_unit", rows_json(units, nu, 1), "onestop_by_month", by_month,
				 "reception", "sessions", (json_int_t)rf.sessions, "by_kind", "regular", (json_int_t)rf.regular,
				 "chair", (json_int_t)rf.chair, "unscheduled", (json_int_t)rf.unscheduled,
				 "matters", (json_int_t)rf.matters, "routed", (json_int_t)rf.routed);
		if (rc < 0) {
			json_decref(by_month);  /* not packed */
		} else if (!*out) {
			json_decref(voters);    /* the pack took by_month, even on failure */
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
		} else if (json_object_set_new(*out, "voter_petitions", voters) < 0 ||
			   json_object_set_new(*out, "onestop_by_procedure", rows_json(procs, np, 1)) < 0) {
			json_decref(*out);
			*out = NULL;
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
		}
	}
	free(kinds);
	free(units);
	free(months);
	free(procs);
	return rc;
}

static int collect_procedure(void *ctx, const coso_svc_procedure *p)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:o, s:o, s:s?}", "code", p->code, "name", p->name, "field",
			      p->field, "days", p->days, "valid_from", day(p->valid_from), "valid_to", day(p->valid_to),
			      "source", p->source);

	return o && json_array_append_new(ctx, o) == 0 ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

int coso_svc_procedures_json(coso_store *st, coso_day as_of, json_t **out)
{
	json_t *a = json_array();
	int rc = a ? coso_svc_each_procedure(st, as_of, collect_procedure, a) : coso_error_set(COSO_ENOMEM, "out of memory");

	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* ---- citizen reception ---------------------------------------------------------------- */

static int collect_session(void *ctx, const coso_svc_matter *m)
{
	/* coso_svc_sessions: seq is the number of matters */
	json_t *o = json_pack("{s:s, s:{s:s, s:s?}, s:o, s:s, s:s?, s:i, s:i}", "id", m->session_id, "unit", "code",
			      m->unit_code, "name", m->unit_name, "date", day(m->day), "kind", m->session_kind, "host",
			      m->host, "matters", m->seq, "routed", m->routed);

	return o && json_array_append_new(ctx, o) == 0 ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

int coso_svc_sessions_json(coso_store *st, const coso_svc_filter *f, json_t **out)
{
	json_t *items = json_array();
	long long total = 0;
	int rc = items ? coso_svc_sessions(st, f, collect_session, items, &total) : coso_error_set(COSO_ENOMEM, "out of memory");

	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "page", (json_int_t)f->page, "per_page",
			 (json_int_t)f->per_page, "total", (json_int_t)total);
	return *out ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

static int collect_matter(void *ctx, const coso_svc_matter *m)
{
	json_t **o = ctx, *it;

	if (!*o && !(*o = json_pack("{s:s, s:{s:s, s:s?}, s:o, s:s, s:s?, s:[]}", "id", m->session_id, "unit", "code",
				    m->unit_code, "name", m->unit_name, "date", day(m->day), "kind", m->session_kind,
				    "host", m->host, "matters")))
		return coso_error_set(COSO_ENOMEM, "out of memory");
	it = json_pack("{s:i, s:o, s:b, s:s, s:s, s:s?, s:s?}", "seq", m->seq,
		       "person", m->masked ? json_null()
				: json_pack("{s:s?, s:s?, s:s?}", "name", m->person_name, "doc", m->person_doc, "address",
					    m->person_address),
		       "person_masked", m->masked, "matter", m->matter, "route", m->route, "case_id", m->case_id,
		       "note", m->note);
	return it && json_array_append_new(json_object_get(*o, "matters"), it) == 0
		       ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

int coso_svc_session_json(coso_store *st, const char *id, const char *viewer, json_t **out)
{
	json_t *o = NULL;
	int rc = coso_svc_session_get(st, id, viewer, collect_matter, &o);

	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* ---- voters' petitions ----------------------------------------------------------------- */

static int collect_voter(void *ctx, const coso_svc_voter *v)
{
	json_t *o = json_pack("{s:s, s:{s:s, s:s?}, s:o, s:s, s:o, s:s, s:s?, s:s, s:o, s:s?, s:s?, s:b}", "id", v->id,
			      "unit", "code", v->unit_code, "name", v->unit_name, "meeting_on", day(v->meeting_on),
			      "council", v->council, "next_session_on", day(v->next_session_on), "content", v->content,
			      "field", v->field, "addressee", v->addressee, "answered_on", day(v->answered_on),
			      "answer", v->answer, "note", v->note, "answered_in_time", v->answered_on <= v->next_session_on);

	return o && json_array_append_new(ctx, o) == 0 ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

int coso_svc_voters_json(coso_store *st, const coso_svc_filter *f, json_t **out)
{
	json_t *items = json_array();
	long long total = 0;
	int rc = items ? coso_svc_voters(st, f, collect_voter, items, &total) : coso_error_set(COSO_ENOMEM, "out of memory");

	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "page", (json_int_t)f->page, "per_page",
			 (json_int_t)f->per_page, "total", (json_int_t)total);
	return *out ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}
