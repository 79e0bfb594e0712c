/*
 * services.c: the clocks of the services register (core/services.h) and its
 * three files of the interchange format (docs/SERVICES.md): procedures.csv,
 * service_cases.csv, service_events.csv.
 */
#include "core/services.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/register.h"
#include "db/store_services.h"
#include "util/error.h"

const char *const coso_svc_kinds[] = {
	"onestop", "complaint", "complaint_second", "denunciation", "petition", NULL,
};

const char *const coso_svc_kind_names[] = {
	"Hồ sơ thủ tục hành chính", "Khiếu nại lần đầu", "Khiếu nại lần hai", "Tố cáo", "Kiến nghị, phản ánh", NULL,
};

const char *const coso_svc_actions[] = {
	"accepted", "handoff", "apology", "extended", "resolved", "rejected", "withdrawn", "transferred", NULL,
};

const char *const coso_svc_action_names[] = {
	"Thụ lý", "Chuyển liên thông", "Phiếu xin lỗi và hẹn lại", "Gia hạn giải quyết", "Có kết quả",
	"Không thụ lý / từ chối", "Rút đơn, rút hồ sơ", "Chuyển cơ quan có thẩm quyền", NULL,
};

int coso_svc_kind_of(const char *name)
{
	for (int k = 0; name && coso_svc_kinds[k]; k++)
		if (strcmp(name, coso_svc_kinds[k]) == 0)
			return k;
	return -1;
}

bool coso_svc_action_closes(const char *a)
{
	return strcmp(a, "resolved") == 0 || strcmp(a, "rejected") == 0 || strcmp(a, "withdrawn") == 0 ||
	       strcmp(a, "transferred") == 0;
}

/* ---- the clocks --------------------------------------------------------------------- */

/* Working days to accept a complaint (Luật Khiếu nại 2011 Điều 27: 10 days;
 * counted in working days as the State's procedure catalogue for complaints
 * states them) and a denunciation (Luật Tố cáo 2018: 7 working days to
 * process a denunciation received and decide on its acceptance). */
#define COMPLAINT_ACCEPT_WORKDAYS 10
#define DENUNCIATION_ACCEPT_WORKDAYS 7
/* Working days to answer a petition or reflection (coso's rule, docs/SERVICES.md). */
#define PETITION_ANSWER_WORKDAYS 10
/* Days (ngày) to resolve a denunciation, and of each extension (Luật Tố cáo 2018 Điều 30). */
#define DENUNCIATION_DAYS 30
#define DENUNCIATION_EXTENSION_DAYS 30

/* Days to resolve a complaint from its acceptance: Luật Khiếu nại 2011 Điều
 * 28 (first: 30, complex 45; remote and difficult areas 45, complex 60) and
 * Điều 37 (second: 45, complex 60; remote 60, complex 70). */
static int complaint_days(coso_svc_kind kind, int complexity, bool remote)
{
	static const int days[2][2][2] = {
		/* first */ { { 30, 45 }, /* remote */ { 45, 60 } },
		/* second */ { { 45, 60 }, /* remote */ { 60, 70 } },
	};

	return days[kind == COSO_SVC_COMPLAINT2][remote][complexity > 0];
}

static int fail_at(int i, const coso_svc_tick *t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail_at(int i, const coso_svc_tick *t, const char *fmt, ...)
{
	char day[COSO_DATE_BUFSZ], msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return coso_error_set(COSO_EINVALID, "event %d (%s on %s): %s", i + 1, t->action,
			      coso_date_format(day, t->day), msg);
}

int coso_svc_clock_at(const coso_calendar *cal, const coso_svc_input *in, coso_day as_of, coso_svc_clock *out)
{
	char d1[COSO_DATE_BUFSZ], d2[COSO_DATE_BUFSZ];
	coso_svc_clock c = {
		.accept_due = COSO_DAY_MAX, .accepted_on = COSO_DAY_MAX, .due = COSO_DAY_MAX,
		.promised = COSO_DAY_MAX, .closed_on = COSO_DAY_MAX, .closed_as = NULL,
	};
	bool grievance = in->kind == COSO_SVC_COMPLAINT || in->kind == COSO_SVC_COMPLAINT2 ||
			 in->kind == COSO_SVC_DENUNCIATION;
	int rc = 0;

	if (!cal)
		return coso_error_set(COSO_ERR, "no calendar");
	if (in->complexity < 0 || in->complexity > 2)
		return coso_error_set(COSO_EINVALID, "complexity must be 0, 1 or 2");
	switch (in->kind) {
	case COSO_SVC_ONESTOP:
		if (in->proc_days < 0)
			return coso_error_set(COSO_EINVALID, "the procedure has no processing time");
		rc = coso_add_workdays(&c.due, cal, in->received_on, in->proc_days);
		break;
	case COSO_SVC_COMPLAINT:
	case COSO_SVC_COMPLAINT2:
		rc = coso_add_workdays(&c.accept_due, cal, in->received_on, COMPLAINT_ACCEPT_WORKDAYS);
		break;
	case COSO_SVC_DENUNCIATION:
		rc = coso_add_workdays(&c.accept_due, cal, in->received_on, DENUNCIATION_ACCEPT_WORKDAYS);
		break;
	case COSO_SVC_PETITION:
		rc = coso_add_workdays(&c.due, cal, in->received_on, PETITION_ANSWER_WORKDAYS);
		break;
	default:
		return coso_error_set(COSO_EINVALID, "unknown kind of case");
	}
	if (rc < 0)
		return rc;
	for (int i = 0; i < in->nev && rc == 0; i++) {
		const coso_svc_tick *t = &in->ev[i];
		const char *a = t->action;

		if (t->day > as_of)
			break;
		if (t->day < in->received_on)
			return fail_at(i, t, "before the case was received (%s)",
				       coso_date_format(d1, in->received_on));
		if (i > 0 && t->day < in->ev[i - 1].day)
			return fail_at(i, t, "before the event above it (%s)",
				       coso_date_format(d1, in->ev[i - 1].day));
		if (c.closed_on != COSO_DAY_MAX)
			return fail_at(i, t, "the case was closed on %s (%s)", coso_date_format(d1, c.closed_on),
				       c.closed_as);
		if (strcmp(a, "accepted") == 0) {
			int days;

			if (!grievance)
				return fail_at(i, t, "only complaints and denunciations are accepted (thụ lý)");
			if (c.accepted_on != COSO_DAY_MAX)
				return fail_at(i, t, "accepted already on %s", coso_date_format(d1, c.accepted_on));
			c.accepted_on = t->day;
			days = in->kind == COSO_SVC_DENUNCIATION ? DENUNCIATION_DAYS
								  : complaint_days(in->kind, in->complexity, in->remote);
			rc = coso_deadline_in_days(&c.due, cal, t->day, days);
		} else if (strcmp(a, "apology") == 0) {
			if (in->kind != COSO_SVC_ONESTOP)
				return fail_at(i, t, "an apology slip is for one-stop cases");
			if (t->new_date == COSO_DAY_MAX)
				return fail_at(i, t, "new_date: the new date of the result is required");
			if (t->new_date <= c.due || t->new_date < t->day)
				return fail_at(i, t, "new_date %s must be after the due date %s",
					       coso_date_format(d1, t->new_date), coso_date_format(d2, c.due));
			c.promised = t->new_date;
		} else if (strcmp(a, "extended") == 0) {
			if (in->kind != COSO_SVC_DENUNCIATION)
				return fail_at(i, t, "only a denunciation's time limit is extended");
			if (c.accepted_on == COSO_DAY_MAX)
				return fail_at(i, t, "the denunciation is not accepted yet");
			if (c.extensions >= in->complexity)
				return fail_at(i, t, "%s",
					       in->complexity == 0 ? "an ordinary case is not extended (complexity 0)"
					       : in->complexity == 1 ? "a complex case is extended once (complexity 1)"
								     : "a very complex case is extended twice at most");
			if (t->day > c.due)
				return fail_at(i, t, "decided after the time limit ended (%s)",
					       coso_date_format(d1, c.due));
			c.extensions++;
			rc = coso_deadline_in_days(&c.due, cal, c.accepted_on,
						   DENUNCIATION_DAYS + DENUNCIATION_EXTENSION_DAYS * c.extensions);
		} else if (strcmp(a, "resolved") == 0) {
			if (grievance && c.accepted_on == COSO_DAY_MAX)
				return fail_at(i, t, "the case is resolved before it is accepted");
			c.closed_on = t->day;
			c.closed_as = a;
		} else if (coso_svc_action_closes(a)) {
			c.closed_on = t->day;
			c.closed_as = a;
		} else if (strcmp(a, "handoff") != 0) {
			return fail_at(i, t, "unknown action");
		}
	}
	if (rc < 0)
		return rc;
	c.deadline = c.accepted_on == COSO_DAY_MAX && c.accept_due != COSO_DAY_MAX ? c.accept_due : c.due;
	c.open = c.closed_on == COSO_DAY_MAX;
	c.late = c.open ? (as_of != COSO_DAY_MAX && as_of > c.deadline) : c.closed_on > c.deadline;
	*out = c;
	return 0;
}

/* ---- a stored case's clock ---------------------------------------------------------- */

struct ticks {
	coso_svc_tick v[COSO_SVC_MAX_EVENTS];
	int n;
	bool too_many;
};

static int collect_tick(void *ctx, const coso_svc_event *e)
{
	struct ticks *t = ctx;
	int a;

	if (t->n == COSO_SVC_MAX_EVENTS) {
		t->too_many = true;
		return 0;
	}
	for (a = 0; coso_svc_actions[a] && strcmp(coso_svc_actions[a], e->action) != 0; a++)
		;
	t->v[t->n++] = (coso_svc_tick){ e->day, coso_svc_actions[a] ? coso_svc_actions[a] : "?", e->new_date };
	return 0;
}

int coso_svc_clock_of(coso_store *st, const char *id, coso_day as_of, coso_svc_clock *out, bool *remote)
{
	coso_svc_basis b;
	struct ticks *t = calloc(1, sizeof(*t));
	coso_svc_input in;
	int rc;

	if (!t)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	rc = coso_svc_basis_of(st, id, &b);
	if (rc == 0)
		rc = coso_svc_each_event(st, id, collect_tick, t);
	if (rc == 0 && t->too_many)
		rc = coso_error_set(COSO_EINVALID, "more than %d events", COSO_SVC_MAX_EVENTS);
	if (rc == 0) {
		in = (coso_svc_input){ (coso_svc_kind)coso_svc_kind_of(b.kind), b.received_on, b.proc_days,
				       b.complexity, b.remote, t->v, t->n };
		rc = coso_svc_clock_at(coso_calendar_default(), &in, as_of, out);
		if (remote)
			*remote = b.remote;
	}
	free(t);
	return rc;
}

/* Computes and stores the derived columns of one case. */
static int refresh_one(coso_store *st, const char *id)
{
	coso_svc_clock c;
	bool remote = false;
	int rc = coso_svc_clock_of(st, id, COSO_DAY_MAX, &c, &remote);
	coso_svc_derived d;

	if (rc < 0)
		return rc;
	d = (coso_svc_derived){ remote, c.accept_due, c.accepted_on, c.deadline, c.promised, c.closed_on,
				c.closed_as, c.extensions };
	return coso_svc_set_derived(st, id, &d);
}

int coso_svc_refresh(coso_store *st, const char *id, coso_field_errors *errs)
{
	int rc = refresh_one(st, id);

	if (rc == COSO_EINVALID) {
		coso_field_errors_add(errs, "date", "%s", coso_error_last());
		return 0;
	}
	return rc;
}

/* ---- the register files ------------------------------------------------------------- */

enum { P_CODE, P_NAME, P_FIELD, P_DAYS, P_FROM, P_TO, P_SOURCE, P_N };
static const coso_column proc_cols[P_N] = {
	{ "code", true }, { "name", true }, { "field", true }, { "days", true },
	{ "valid_from", false }, { "valid_to", false }, { "source", false },
};

enum { C_ID, C_KIND, C_UNIT, C_RECEIVED, C_PROC, C_SUBJECT, C_PNAME, C_PDOC, C_PADDR, C_COMPLEX, C_OFFICER,
       C_NOTE, C_N };
static const coso_column case_cols[C_N] = {
	{ "id", true }, { "kind", true }, { "unit_code", true }, { "received_on", true },
	{ "procedure_code", false }, { "subject", true }, { "person_name", true }, { "person_doc", false },
	{ "person_address", false }, { "complexity", false }, { "officer", false }, { "note", false },
};

enum { E_CASE, E_DATE, E_ACTION, E_BODY, E_NEW, E_NOTE, E_N };
static const coso_column event_cols[E_N] = {
	{ "case_id", true }, { "date", true }, { "action", true }, { "body", false }, { "new_date", false },
	{ "note", false },
};

/* An optional text: NULL when empty. */
static const char *opt(coso_row *r, int col)
{
	const char *s = coso_row_field(r, col);

	return *s ? s : NULL;
}

static int begin_procs(coso_store *st) { return coso_svc_load_begin(st, 0); }
static int begin_cases(coso_store *st) { return coso_svc_load_begin(st, 1); }
static int begin_events(coso_store *st) { return coso_svc_load_begin(st, 2); }

static int load_proc(coso_store *st, coso_row *r)
{
	coso_svc_procedure p = {
		.code = coso_row_code(r, P_CODE, true),
		.name = coso_row_text(r, P_NAME),
		.field = coso_row_text(r, P_FIELD),
		.valid_from = coso_row_date(r, P_FROM, false, COSO_DAY_MIN),
		.valid_to = coso_row_date(r, P_TO, false, COSO_DAY_MAX),
		.source = opt(r, P_SOURCE),
	};
	long long days = coso_row_count(r, P_DAYS);

	if (days < 0 && !*coso_row_field(r, P_DAYS))
		coso_row_problem(r, P_DAYS, "is required");
	else if (days > 365)
		coso_row_problem(r, P_DAYS, "%lld working days: at most 365", days);
	p.days = (int)days;
	coso_row_period(r, p.valid_from, p.valid_to, P_TO);
	return coso_row_errors(r) ? 0 : coso_svc_put_procedure(st, &p);
}

static int load_case(coso_store *st, coso_row *r)
{
	coso_svc_case c = {
		.id = coso_row_code(r, C_ID, true),
		.kind = coso_row_enum(r, C_KIND, coso_svc_kinds),
		.unit_code = coso_row_code(r, C_UNIT, true),
		.received_on = coso_row_date(r, C_RECEIVED, true, 0),
		.procedure_code = coso_row_code(r, C_PROC, false),
		.subject = coso_row_text(r, C_SUBJECT),
		.person_name = coso_row_text(r, C_PNAME),
		.person_doc = opt(r, C_PDOC),
		.person_address = opt(r, C_PADDR),
		.officer = coso_row_code(r, C_OFFICER, false),
		.note = opt(r, C_NOTE),
	};
	long long cx = coso_row_count(r, C_COMPLEX);

	if (cx > 2)
		coso_row_problem(r, C_COMPLEX, "must be 0 (ordinary), 1 (complex) or 2 (very complex)");
	c.complexity = cx < 0 ? 0 : (int)cx;
	if (c.kind && strcmp(c.kind, "onestop") == 0 && !c.procedure_code)
		coso_row_problem(r, C_PROC, "is required for a one-stop case");
	if (c.kind && strcmp(c.kind, "onestop") != 0 && c.procedure_code)
		coso_row_problem(r, C_PROC, "only a one-stop case has a procedure");
	if (c.kind && strcmp(c.kind, "denunciation") != 0 && c.complexity == 2)
		coso_row_problem(r, C_COMPLEX, "2 (very complex) is for denunciations");
	return coso_row_errors(r) ? 0 : coso_svc_put_case(st, &c);
}

static int load_event(coso_store *st, coso_row *r)
{
	coso_svc_event e = {
		.case_id = coso_row_code(r, E_CASE, true),
		.day = coso_row_date(r, E_DATE, true, 0),
		.action = coso_row_enum(r, E_ACTION, coso_svc_actions),
		.body = opt(r, E_BODY),
		.new_date = coso_row_date(r, E_NEW, false, COSO_DAY_MAX),
		.note = opt(r, E_NOTE),
	};

	if (e.action && strcmp(e.action, "apology") == 0 && e.new_date == COSO_DAY_MAX)
		coso_row_problem(r, E_NEW, "is required for an apology slip (the new date of the result)");
	if (e.action && strcmp(e.action, "apology") != 0 && e.new_date != COSO_DAY_MAX)
		coso_row_problem(r, E_NEW, "only an apology slip has a new date");
	if (e.action && strcmp(e.action, "handoff") == 0 && !e.body)
		coso_row_problem(r, E_BODY, "is required for a hand-off (the body that takes the case over)");
	if (e.action && strcmp(e.action, "extended") == 0 && !e.note)
		coso_row_problem(r, E_NOTE, "is required for an extension (the decision)");
	return coso_row_errors(r) ? 0 : coso_svc_put_event(st, &e);
}

/* The clock of one case of a bulk refresh (coso_svc_refresh_all): a clock the
 * events break is a problem of the case. */
struct bulk {
	coso_problem_fn fn;
	void *ctx;
	int found;
};

static int compute_one(void *ctx, const char *id, const coso_svc_basis *b, const coso_svc_event *ev, int n,
		       coso_svc_derived *out)
{
	struct bulk *k = ctx;
	coso_svc_tick t[COSO_SVC_MAX_EVENTS];
	coso_svc_input in = { (coso_svc_kind)coso_svc_kind_of(b->kind), b->received_on, b->proc_days, b->complexity,
			      b->remote, t, n };
	coso_svc_clock c;
	int rc;

	if (n > COSO_SVC_MAX_EVENTS)
		rc = coso_error_set(COSO_EINVALID, "more than %d events", COSO_SVC_MAX_EVENTS);
	else {
		for (int i = 0; i < n; i++) {
			int a;

			for (a = 0; coso_svc_actions[a] && strcmp(coso_svc_actions[a], ev[i].action) != 0; a++)
				;
			t[i] = (coso_svc_tick){ ev[i].day, coso_svc_actions[a] ? coso_svc_actions[a] : "?", ev[i].new_date };
		}
		rc = coso_svc_clock_at(coso_calendar_default(), &in, COSO_DAY_MAX, &c);
	}
	if (rc == COSO_EINVALID) {
		coso_problem p = { 0, id, COSO_DAY_MIN, "date", coso_error_last(), true };

		k->fn(k->ctx, &p);
		k->found++;
		return 1;
	}
	if (rc < 0)
		return rc;
	*out = (coso_svc_derived){ b->remote, c.accept_due, c.accepted_on, c.deadline, c.promised, c.closed_on,
				   c.closed_as, c.extensions };
	return 0;
}

int coso_svc_refresh_every(coso_store *st, coso_problem_fn fn, void *ctx)
{
	struct bulk k = { fn, ctx, 0 };
	int rc = coso_svc_refresh_all(st, COSO_SVC_MAX_EVENTS, compute_one, &k);

	return rc < 0 ? rc : k.found;
}

/* The last register check: every case's clock, stored. */
static int check_events(coso_store *st, coso_problem_fn fn, void *ctx)
{
	int found = coso_svc_check_events(st, fn, ctx), rc;

	if (found < 0)
		return found;
	rc = coso_svc_refresh_every(st, fn, ctx);
	return rc < 0 ? rc : found + rc;
}

static int export_proc(void *ctx, const coso_svc_procedure *p)
{
	FILE *fp = ctx;

	coso_csv_put(fp, p->code, false);
	coso_csv_put(fp, p->name, false);
	coso_csv_put(fp, p->field, false);
	coso_csv_put_int(fp, p->days, false);
	coso_csv_put_date(fp, p->valid_from, false);
	coso_csv_put_date(fp, p->valid_to, false);
	coso_csv_put(fp, p->source, true);
	return 0;
}

static int export_procs(coso_store *st, FILE *fp)
{
	return coso_svc_each_procedure(st, COSO_DAY_MAX, export_proc, fp);
}

static int export_case(void *ctx, const coso_svc_case *c)
{
	FILE *fp = ctx;

	coso_csv_put(fp, c->id, false);
	coso_csv_put(fp, c->kind, false);
	coso_csv_put(fp, c->unit_code, false);
	coso_csv_put_date(fp, c->received_on, false);
	coso_csv_put(fp, c->procedure_code, false);
	coso_csv_put(fp, c->subject, false);
	coso_csv_put(fp, c->person_name, false);
	coso_csv_put(fp, c->person_doc, false);
	coso_csv_put(fp, c->person_address, false);
	coso_csv_put_int(fp, c->complexity, false);
	coso_csv_put(fp, c->officer, false);
	coso_csv_put(fp, c->note, true);
	return 0;
}

static int export_cases(coso_store *st, FILE *fp)
{
	return coso_svc_each_case_raw(st, export_case, fp);
}

static int export_event(void *ctx, const coso_svc_event *e)
{
	FILE *fp = ctx;

	coso_csv_put(fp, e->case_id, false);
	coso_csv_put_date(fp, e->day, false);
	coso_csv_put(fp, e->action, false);
	coso_csv_put(fp, e->body, false);
	if (e->new_date == COSO_DAY_MAX)
		coso_csv_put(fp, NULL, false);
	else
		coso_csv_put_date(fp, e->new_date, false);
	coso_csv_put(fp, e->note, true);
	return 0;
}

static int export_events(coso_store *st, FILE *fp)
{
	return coso_svc_each_event(st, NULL, export_event, fp);
}

/* ---- receptions.csv ------------------------------------------------------------------ */

const char *const coso_svc_session_kinds[] = { "regular", "chair", "unscheduled", NULL };
const char *const coso_svc_routes[] = {
	"onestop", "complaint", "complaint_second", "denunciation", "petition", "guidance", NULL,
};

enum { R_SESSION, R_UNIT, R_DATE, R_KIND, R_HOST, R_PNAME, R_PDOC, R_PADDR, R_MATTER, R_ROUTE, R_CASE, R_NOTE, R_N };
static const coso_column reception_cols[R_N] = {
	{ "session_id", true }, { "unit_code", true }, { "date", true }, { "session_kind", true }, { "host", false },
	{ "person_name", true }, { "person_doc", false }, { "person_address", false }, { "matter", true },
	{ "route", true }, { "case_id", false }, { "note", false },
};

static int begin_receptions(coso_store *st) { return coso_svc_load_begin(st, 3); }

static int load_reception(coso_store *st, coso_row *r)
{
	coso_svc_matter m = {
		.session_id = coso_row_code(r, R_SESSION, true),
		.unit_code = coso_row_code(r, R_UNIT, true),
		.day = coso_row_date(r, R_DATE, true, 0),
		.session_kind = coso_row_enum(r, R_KIND, coso_svc_session_kinds),
		.host = opt(r, R_HOST),
		.person_name = coso_row_text(r, R_PNAME),
		.person_doc = opt(r, R_PDOC),
		.person_address = opt(r, R_PADDR),
		.matter = coso_row_text(r, R_MATTER),
		.route = coso_row_enum(r, R_ROUTE, coso_svc_routes),
		.case_id = coso_row_code(r, R_CASE, false),
		.note = opt(r, R_NOTE),
	};

	return coso_row_errors(r) ? 0 : coso_svc_put_matter(st, &m);
}

static int export_matter(void *ctx, const coso_svc_matter *m)
{
	FILE *fp = ctx;

	coso_csv_put(fp, m->session_id, false);
	coso_csv_put(fp, m->unit_code, false);
	coso_csv_put_date(fp, m->day, false);
	coso_csv_put(fp, m->session_kind, false);
	coso_csv_put(fp, m->host, false);
	coso_csv_put(fp, m->person_name, false);
	coso_csv_put(fp, m->person_doc, false);
	coso_csv_put(fp, m->person_address, false);
	coso_csv_put(fp, m->matter, false);
	coso_csv_put(fp, m->route, false);
	coso_csv_put(fp, m->case_id, false);
	coso_csv_put(fp, m->note, true);
	return 0;
}

static int export_receptions(coso_store *st, FILE *fp)
{
	return coso_svc_each_matter_raw(st, export_matter, fp);
}

const coso_register_file coso_svc_receptions_file = {
	.name = "receptions.csv", .cols = reception_cols, .ncols = R_N, .key_col = R_SESSION, .from_col = -1,
	.begin = begin_receptions, .load = load_reception, .end = NULL, .check = coso_svc_check_receptions,
	.export_rows = export_receptions,
};

/* ---- voter_petitions.csv ----------------------------------------------------------------- */

enum { V_ID, V_UNIT, V_MEETING, V_COUNCIL, V_NEXT, V_CONTENT, V_FIELD, V_ADDRESSEE, V_ANSWERED, V_ANSWER, V_NOTE, V_N };
static const coso_column voter_cols[V_N] = {
	{ "id", true }, { "unit_code", true }, { "meeting_on", true }, { "council", true },
	{ "next_session_on", true }, { "content", true }, { "field", false }, { "addressee", true },
	{ "answered_on", false }, { "answer", false }, { "note", false },
};

static int begin_voters(coso_store *st) { return coso_svc_load_begin(st, 4); }

static int load_voter(coso_store *st, coso_row *r)
{
	coso_svc_voter v = {
		.id = coso_row_code(r, V_ID, true),
		.unit_code = coso_row_code(r, V_UNIT, true),
		.meeting_on = coso_row_date(r, V_MEETING, true, 0),
		.council = coso_row_text(r, V_COUNCIL),
		.next_session_on = coso_row_date(r, V_NEXT, true, 0),
		.content = coso_row_text(r, V_CONTENT),
		.field = opt(r, V_FIELD),
		.addressee = coso_row_text(r, V_ADDRESSEE),
		.answered_on = coso_row_date(r, V_ANSWERED, false, COSO_DAY_MAX),
		.answer = opt(r, V_ANSWER),
		.note = opt(r, V_NOTE),
	};

	if (v.answered_on != COSO_DAY_MAX && !v.answer)
		coso_row_problem(r, V_ANSWER, "is required with answered_on");
	if (v.answered_on == COSO_DAY_MAX && v.answer)
		coso_row_problem(r, V_ANSWERED, "is required with an answer");
	return coso_row_errors(r) ? 0 : coso_svc_put_voter(st, &v);
}

static int export_voter(void *ctx, const coso_svc_voter *v)
{
	FILE *fp = ctx;

	coso_csv_put(fp, v->id, false);
	coso_csv_put(fp, v->unit_code, false);
	coso_csv_put_date(fp, v->meeting_on, false);
	coso_csv_put(fp, v->council, false);
	coso_csv_put_date(fp, v->next_session_on, false);
	coso_csv_put(fp, v->content, false);
	coso_csv_put(fp, v->field, false);
	coso_csv_put(fp, v->addressee, false);
	if (v->answered_on == COSO_DAY_MAX)
		coso_csv_put(fp, NULL, false);
	else
		coso_csv_put_date(fp, v->answered_on, false);
	coso_csv_put(fp, v->answer, false);
	coso_csv_put(fp, v->note, true);
	return 0;
}

static int export_voters(coso_store *st, FILE *fp)
{
	return coso_svc_each_voter(st, export_voter, fp);
}

const coso_register_file coso_svc_voters_file = {
	.name = "voter_petitions.csv", .cols = voter_cols, .ncols = V_N, .key_col = V_ID, .from_col = -1,
	.begin = begin_voters, .load = load_voter, .end = NULL, .check = coso_svc_check_voters,
	.export_rows = export_voters,
};

const coso_register_file coso_svc_procedures_file = {
	.name = "procedures.csv", .cols = proc_cols, .ncols = P_N, .key_col = P_CODE, .from_col = P_FROM,
	.begin = begin_procs, .load = load_proc, .end = NULL, .check = coso_svc_check_procedures,
	.export_rows = export_procs,
};

const coso_register_file coso_svc_cases_file = {
	.name = "service_cases.csv", .cols = case_cols, .ncols = C_N, .key_col = C_ID, .from_col = -1,
	.begin = begin_cases, .load = load_case, .end = NULL, .check = coso_svc_check_cases,
	.export_rows = export_cases,
};

const coso_register_file coso_svc_events_file = {
	.name = "service_events.csv", .cols = event_cols, .ncols = E_N, .key_col = E_CASE, .from_col = -1,
	.begin = begin_events, .load = load_event, .end = NULL, .check = check_events,
	.export_rows = export_events,
};
