/*
 * api_party.c: the handlers of party work (docs/API.md, "Party work";
 * docs/PARTY.md): candidates and their stages, the admission that makes a
 * candidate a member, the decision on a member's probation, and the lists
 * of what is due, overdue and late. Deadlines use the one calendar,
 * coso_calendar_default().
 */
#include <stdlib.h>
#include <string.h>

#include "core/party.h"
#include "db/store_party.h"
#include "http/api.h"
#include "util/error.h"

static const coso_calendar *calendar(void)
{
	const coso_calendar *cal = coso_calendar_default();

	if (!cal)
		coso_error_set(COSO_ERR, "the calendar cannot be built: %s", coso_error_last());
	return cal;
}

/* ---- JSON --------------------------------------------------------------------------- */

/* Appends o (owned) to arr while fewer than `limit` are there; counts it in
 * *n either way. 0, or COSO_ENOMEM when o is NULL. */
static int append_bounded(json_t *arr, json_t *o, long long *n, long long limit)
{
	if (!o)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	if (++*n > limit) {
		json_decref(o);
		return 0;
	}
	return json_array_append_new(arr, o) == 0 ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

static json_t *due_json(const coso_due *due, coso_day d)
{
	return json_pack("{s:s, s:s, s:o, s:o, s:o}", "kind", coso_due_kind_name(due->kind),
			 "state", coso_due_state_name(coso_due_state_on(due, d)), "from", api_day(due->from),
			 "deadline", api_day(due->deadline), "done", api_day(due->done));
}

static json_t *prow_json(const coso_ptable *t, const coso_prow *r)
{
	json_t *o = json_object();

	for (int c = 0; o && c < t->ncols; c++) {
		json_t *v = t->types[c] == 'd' ? api_day(r->day[c]) : r->text[c] ? json_string(r->text[c]) : json_null();

		if (json_object_set_new(o, t->cols[c].name, v) < 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* Row r of t with its deadlines as of d (key "deadlines"); NULL on out of memory. */
static json_t *row_with_dues(const coso_ptable *t, const coso_prow *r, const coso_due *due, int n, coso_day d)
{
	json_t *o = prow_json(t, r), *dues = json_array();

	for (int i = 0; i < n && dues; i++)
		json_array_append_new(dues, due_json(&due[i], d));
	if (!o || !dues || json_object_set_new(o, "deadlines", dues) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* A candidate with its stage and its deadlines as of d. */
static json_t *candidate_json(const coso_prow *c, const char *org_name, coso_day d, const coso_calendar *cal)
{
	coso_due due[2];
	int n = coso_candidate_dues(c, cal, due);
	json_t *o = row_with_dues(&coso_candidates, c, due, n, d);

	if (!o)
		return NULL;
	json_object_set_new(o, "stage", json_string(coso_stage_name(coso_candidate_stage(c))));
	json_object_set_new(o, "org", api_ref(c->text[CAND_ORG], org_name));
	return o;
}

/* ---- candidates ----------------------------------------------------------------------- */

struct list_ctx {
	json_t *items;
	coso_day d;
	const coso_calendar *cal;
	bool all;
	long long total, first, last;
};

static int collect_candidate(void *ctx, const coso_candidate_item *it)
{
	struct list_ctx *x = ctx;
	coso_stage s = coso_candidate_stage(it->row);
	json_t *o;

	if (!x->all && (s == COSO_STAGE_DROPPED || s == COSO_STAGE_ADMITTED || it->row->day[CAND_PROPOSED] > x->d))
		return 0;
	x->total++;
	if (x->total <= x->first || x->total > x->last)
		return 0;
	o = candidate_json(it->row, it->org_name, x->d, x->cal);
	return o && json_array_append_new(x->items, o) == 0 ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

int api_candidates_list(const api_req *req, api_res *res)
{
	const char *status = api_query(req, "status");
	long long page, per_page;
	struct list_ctx x = { json_array(), api_query_day(req, "as_of", req->today), calendar(), false, 0, 0, 0 };
	int rc;

	if (!x.cal || !x.items) {
		json_decref(x.items);
		return x.cal ? coso_error_set(COSO_ENOMEM, "out of memory") : COSO_ERR;
	}
	x.all = status && strcmp(status, "all") == 0;
	api_paging(req, &page, &per_page);
	x.first = (page - 1) * per_page;
	x.last = page * per_page;
	rc = coso_store_candidates_each(req->st, x.d, api_query(req, "org"), collect_candidate, &x);
	if (rc < 0) {
		json_decref(x.items);
		return rc;
	}
	return api_ok(res, api_page(x.items, page, per_page, x.total));
}

/* The candidate's page as of d (a write: the event's day). */
static int candidate_answer(const api_req *req, api_res *res, const char *id, coso_day d)
{
	coso_prow c;
	const coso_calendar *cal = calendar();
	int rc = cal ? api_refresh_access(req) : COSO_ERR;

	if (rc == 0)
		rc = coso_store_prow_get(req->st, &coso_candidates, id, &c);
	if (rc < 0)
		return rc;
	rc = api_ok(res, candidate_json(&c, NULL, d, cal));
	coso_prow_clear(&c);
	return rc;
}

int api_candidates_get(const api_req *req, api_res *res)
{
	return candidate_answer(req, res, req->path[0], api_query_day(req, "as_of", req->today));
}

/* A body's fields into a row of t: text fields by column name, dates too. */
static int body_row(const api_req *req, const coso_ptable *t, coso_prow *r)
{
	coso_prow_init(r);
	for (int c = 0; c < t->ncols; c++) {
		if (t->types[c] == 'd')
			r->day[c] = api_body_day(req, t->cols[c].name, COSO_DAY_MAX);
		else if (coso_prow_set(r, c, api_body_str(req, t->cols[c].name)) < 0)
			return COSO_ENOMEM;
	}
	return 0;
}

static void field_problem(void *ctx, int col, const char *msg)
{
	coso_field_errors_add(ctx, coso_candidates.cols[col].name, "%s", msg);
}

/* The rules of a candidate written through the API: its own (core/party.c)
 * and, for a stage, that the stages already recorded stay as they are. */
static void check_candidate(void *ctx, const coso_prow *before, const coso_prow *after, coso_field_errors *errs)
{
	(void)ctx;
	coso_prow_keep_past(&coso_candidates, before, after, "date", errs);
	coso_candidate_check(after, field_problem, errs);
}

int api_candidates_create(const api_req *req, api_res *res)
{
	coso_prow r;
	int rc = body_row(req, &coso_candidates, &r);

	if (rc == 0)
		rc = coso_store_prow_write(req->st, &coso_candidates, &r, true, "candidate.propose", check_candidate, NULL,
					   &res->errors);
	if (rc == 0)
		rc = candidate_answer(req, res, r.text[CAND_ID], r.day[CAND_PROPOSED]);
	coso_prow_clear(&r);
	return rc;
}

/* stage -> the date column it sets, and its "by" column (-1: none) */
static const struct stage_cols {
	const char *name;
	int date, by;
} stage_cols[] = {
	{ "course", CAND_COURSE, CAND_COURSE_BY },
	{ "verified", CAND_VERIFIED, CAND_VERIFIED_BY },
	{ "voted", CAND_VOTED, -1 },
	{ "decided", CAND_DECIDED, CAND_DECIDED_BY },
	{ "dropped", CAND_DROPPED, CAND_DROP_REASON },
};

int api_candidates_stage(const api_req *req, api_res *res)
{
	const char *stage = api_body_str(req, "stage"), *by = api_body_str(req, "by");
	const struct stage_cols *sc = NULL;
	coso_prow r;
	int rc;

	for (size_t i = 0; i < sizeof(stage_cols) / sizeof(stage_cols[0]); i++)
		if (stage && strcmp(stage, stage_cols[i].name) == 0)
			sc = &stage_cols[i];
	if (!sc) /* the dispatcher checked the enumeration */
		return coso_error_set(COSO_EINVALID, "unknown stage");
	if ((rc = coso_store_prow_get(req->st, &coso_candidates, req->path[0], &r)) < 0)
		return rc;
	if (r.day[sc->date] != COSO_DAY_MAX) {
		char b[COSO_DATE_BUFSZ];

		coso_field_errors_add(&res->errors, "stage", "candidate %s is already %s (%s)", req->path[0], stage,
				      coso_date_format(b, r.day[sc->date]));
		coso_prow_clear(&r);
		return coso_error_set(COSO_EINVALID, "1 problem: nothing was written");
	}
	r.day[sc->date] = api_body_day(req, "date", COSO_DAY_MAX);
	if (sc->by >= 0 && by)
		rc = coso_prow_set(&r, sc->by, by);
	if (rc == 0 && sc->date == CAND_DECIDED)
		rc = coso_prow_set(&r, CAND_DECISION_NO, api_body_str(req, "decision_no"));
	if (rc == 0 && sc->date == CAND_VOTED && api_body_str(req, "age_exception"))
		rc = coso_prow_set(&r, CAND_AGE_EXCEPTION, api_body_str(req, "age_exception"));
	if (rc == 0) {
		char action[64];

		snprintf(action, sizeof(action), "candidate.%s", stage);
		rc = coso_store_prow_write(req->st, &coso_candidates, &r, false, action, check_candidate, NULL,
					   &res->errors);
	}
	/* the rules name the stage's columns; the request names date and by */
	for (size_t i = 0; i < res->errors.n; i++) {
		const char *f = res->errors.v[i].field;
		const char *to = strcmp(f, coso_candidates.cols[sc->date].name) == 0 ? "date"
			: sc->by >= 0 && strcmp(f, coso_candidates.cols[sc->by].name) == 0 ? "by" : NULL;
		char *s = to ? strdup(to) : NULL;

		if (s) {
			free(res->errors.v[i].field);
			res->errors.v[i].field = s;
		}
	}
	if (rc == 0)
		rc = candidate_answer(req, res, req->path[0], r.day[sc->date]);
	coso_prow_clear(&r);
	return rc;
}

int api_candidates_admit(const api_req *req, api_res *res)
{
	const char *member_id = api_body_str(req, "member_id");
	int rc = coso_store_candidate_admit(req->st, req->path[0], member_id, api_body_day(req, "ceremony_on", 0),
					    &res->errors);
	json_t *out = NULL;

	if (rc == 0)
		rc = api_refresh_access(req);
	if (rc == 0)
		rc = api_member_detail(req->st, member_id, api_body_day(req, "ceremony_on", 0), &out);
	return rc < 0 ? rc : api_ok(res, out);
}

/* ---- probation ----------------------------------------------------------------------------- */

int api_members_probation(const api_req *req, api_res *res)
{
	coso_prow r;
	int rc = body_row(req, &coso_reviews, &r);
	json_t *out = NULL;

	if (rc == 0)
		rc = coso_prow_set(&r, REV_MEMBER, req->path[0]);
	if (rc == 0)
		rc = coso_store_probation_decide(req->st, &r, &res->errors);
	if (rc == 0)
		rc = api_refresh_access(req);
	if (rc == 0)
		rc = api_member_detail(req->st, req->path[0], r.day[REV_DECIDED], &out);
	coso_prow_clear(&r);
	return rc < 0 ? rc : api_ok(res, out);
}

struct probation_ctx {
	json_t *items;
	coso_day d;
	const coso_calendar *cal;
	long long n, limit;
};

static int collect_probation(void *ctx, const coso_probation_item *it)
{
	struct probation_ctx *x = ctx;
	coso_day end = coso_probation_end(it->admitted_on);
	coso_due due;
	json_t *o;

	/* members on probation on d, or whose review is recorded */
	if (!it->review && (it->official_on <= x->d || it->ended_on <= x->d))
		return 0;
	if (coso_due_compute(&due, x->cal, COSO_DUE_REVIEW, end, it->review ? it->review->day[REV_DECIDED]
			     : COSO_DAY_MAX) < 0)
		return 0;
	o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id", it->id, "full_name", it->full_name,
		      "org", api_ref(it->org_code, it->org_name), "admitted_on", api_day(it->admitted_on),
		      "probation_end", api_day(end), "official_on", api_day(it->official_on),
		      "review", it->review ? prow_json(&coso_reviews, it->review) : json_null(),
		      "deadline", due_json(&due, x->d));
	return append_bounded(x->items, o, &x->n, x->limit);
}

int api_probation_list(const api_req *req, api_res *res)
{
	struct probation_ctx x = { json_array(), api_query_day(req, "as_of", req->today), calendar(), 0,
				   api_query_int(req, "limit", 500) };
	int rc;

	if (!x.cal || !x.items) {
		json_decref(x.items);
		return x.cal ? coso_error_set(COSO_ENOMEM, "out of memory") : COSO_ERR;
	}
	rc = coso_store_probation_each(req->st, x.d, api_query(req, "org"), collect_probation, &x);
	if (rc < 0) {
		json_decref(x.items);
		return rc;
	}
	return api_ok(res, json_pack("{s:o, s:o, s:I}", "as_of", api_day(x.d), "items", x.items, "total", x.n));
}

/* ---- what is due ---------------------------------------------------------------------------- */

struct due_ctx {
	json_t *lists[COSO_LIST_MAX];
	coso_day d;
	long long limit;
	long long count[COSO_LIST_MAX];
};

static int collect_due(void *ctx, const coso_due_item *it)
{
	struct due_ctx *x = ctx;
	json_t *o;

	x->count[it->list]++;
	o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "subject", it->member ? "member" : "candidate", "id", it->id,
		      "full_name", it->full_name ? it->full_name : "", "org", api_ref(it->org_code, it->org_name),
		      "deadline", due_json(&it->due, x->d),
		      "transfer", it->transfer ? json_string(it->transfer) : json_null());
	return o && json_array_append_new(x->lists[it->list], o) == 0 ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

static int by_deadline(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char *p = json_string_value(json_object_get(json_object_get(x, "deadline"), "deadline"));
	const char *q = json_string_value(json_object_get(json_object_get(y, "deadline"), "deadline"));
	int c = strcmp(p ? p : "", q ? q : "");

	return c ? c : strcmp(json_string_value(json_object_get(x, "id")), json_string_value(json_object_get(y, "id")));
}

/* Sorts a JSON array of due items by deadline, then id, and keeps the first `limit`. */
static int sort_items(json_t *arr, long long limit)
{
	size_t n = json_array_size(arr);
	json_t **v = n ? malloc(n * sizeof(*v)) : NULL;

	if (n == 0)
		return 0;
	if (!v)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof(*v), by_deadline);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		if ((long long)i < limit)
			json_array_append_new(arr, v[i]);
		else
			json_decref(v[i]);
	free(v);
	return 0;
}

int api_party_due(const api_req *req, api_res *res)
{
	struct due_ctx x = { { json_array(), json_array(), json_array() }, api_query_day(req, "as_of", req->today),
			     api_query_int(req, "limit", 500), { 0, 0, 0 } };
	const coso_calendar *cal = calendar();
	json_t *counts = json_object(), *out;
	int rc = cal ? 0 : COSO_ERR;

	if (rc == 0 && (!x.lists[0] || !x.lists[1] || !x.lists[2] || !counts))
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
	if (rc == 0)
		rc = coso_party_dues(req->st, cal, x.d, api_query(req, "org"), collect_due, &x);
	for (int l = 0; rc == 0 && l < COSO_LIST_MAX; l++) {
		rc = sort_items(x.lists[l], x.limit);
		json_object_set_new(counts, coso_due_list_name((coso_due_list)l), json_integer(x.count[l]));
	}
	if (rc < 0) {
		for (int l = 0; l < COSO_LIST_MAX; l++)
			json_decref(x.lists[l]);
		json_decref(counts);
		return rc;
	}
	out = json_pack("{s:o, s:o, s:o, s:o, s:o}", "as_of", api_day(x.d), "counts", counts, "due", x.lists[0],
			"overdue", x.lists[1], "late", x.lists[2]);
	return api_ok(res, out);
}

/* ---- badges ------------------------------------------------------------------------------------ */

struct badge_ctx {
	json_t *due, *early;
	long long n[2], limit;
};

static int collect_badge(void *ctx, const coso_badge_item *it)
{
	struct badge_ctx *x = ctx;
	json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:i, s:o}", "id", it->id, "full_name", it->full_name,
			      "org", api_ref(it->org_code, it->org_name), "admitted_on", api_day(it->admitted_on),
			      "years", it->years, "anniversary", api_day(it->anniversary));

	return append_bounded(it->early ? x->early : x->due, o, &x->n[it->early], x->limit);
}

int api_party_badges(const api_req *req, api_res *res)
{
	coso_day d = api_query_day(req, "as_of", req->today), prev, next;
	struct badge_ctx x = { json_array(), json_array(), { 0, 0 }, api_query_int(req, "limit", 500) };
	int rc = x.due && x.early ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");

	if (rc == 0)
		rc = coso_party_badges(req->st, d, api_query(req, "org"), collect_badge, &x);
	if (rc < 0) {
		json_decref(x.due);
		json_decref(x.early);
		return rc;
	}
	coso_badge_ceremonies(d, &prev, &next);
	return api_ok(res, json_pack("{s:o, s:o, s:o, s:o, s:o, s:{s:I, s:I}}", "as_of", api_day(d), "ceremony",
				     api_day(next), "previous", api_day(prev), "due", x.due, "early", x.early, "total",
				     "due", x.n[0], "early", x.n[1]));
}

/* ---- transfers ------------------------------------------------------------------------------------ */

static json_t *transfer_json(const coso_transfer_item *it, coso_day d, const coso_calendar *cal)
{
	coso_due due[3];
	int n = coso_transfer_dues(it->row, cal, due);
	json_t *o = row_with_dues(&coso_transfers, it->row, due, n, d);

	if (!o)
		return NULL;
	json_object_set_new(o, "full_name", it->full_name ? json_string(it->full_name) : json_null());
	json_object_set_new(o, "from", api_ref(it->row->text[TR_FROM], it->from_name));
	json_object_set_new(o, "to", api_ref(it->row->text[TR_TO], it->to_name));
	return o;
}

struct transfers_ctx {
	json_t *items;
	coso_day d;
	const coso_calendar *cal;
	const char *only;   /* one transfer's id, or NULL */
	long long n, limit;
};

static int collect_transfer(void *ctx, const coso_transfer_item *it)
{
	struct transfers_ctx *x = ctx;

	if (x->only && strcmp(x->only, it->row->text[TR_ID]) != 0)
		return 0;
	return append_bounded(x->items, transfer_json(it, x->d, x->cal), &x->n, x->limit);
}

static int transfers_list(const api_req *req, coso_day d, const char *only, json_t **out, long long *total)
{
	struct transfers_ctx x = { json_array(), d, calendar(), only, 0, only ? 1 : api_query_int(req, "limit", 500) };
	int rc = x.cal ? 0 : COSO_ERR;

	if (rc == 0 && !x.items)
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
	if (rc == 0)
		rc = coso_store_transfers_each(req->st, only ? COSO_DAY_MAX - 1 : d, only ? NULL : api_query(req, "org"),
					       collect_transfer, &x);
	if (rc < 0) {
		json_decref(x.items);
		return rc;
	}
	*out = x.items;
	if (total)
		*total = x.n;
	return 0;
}

int api_transfers_list(const api_req *req, api_res *res)
{
	coso_day d = api_query_day(req, "as_of", req->today);
	json_t *items = NULL;
	long long total = 0;
	int rc = transfers_list(req, d, NULL, &items, &total);

	return rc < 0 ? rc : api_ok(res, json_pack("{s:o, s:o, s:I}", "as_of", api_day(d), "items", items, "total", total));
}

/* The transfer's page as of d after a write (404 when the reader no longer sees it). */
static int transfer_answer(const api_req *req, api_res *res, const char *id, coso_day d)
{
	json_t *items = NULL;
	int rc = api_refresh_access(req);

	if (rc == 0)
		rc = transfers_list(req, d, id, &items, NULL);
	if (rc < 0)
		return rc;
	if (json_array_size(items) == 0) {
		json_decref(items);
		return coso_error_set(COSO_ENOTFOUND, "transfer %s is not in the register", id);
	}
	rc = api_ok(res, json_incref(json_array_get(items, 0)));
	json_decref(items);
	return rc;
}

int api_transfers_create(const api_req *req, api_res *res)
{
	coso_prow r;
	int rc = body_row(req, &coso_transfers, &r);

	if (rc == 0)
		rc = coso_store_transfer_create(req->st, &r, &res->errors);
	if (rc == 0)
		rc = transfer_answer(req, res, r.text[TR_ID], r.day[TR_LETTER]);
	coso_prow_clear(&r);
	return rc;
}

int api_transfers_present(const api_req *req, api_res *res)
{
	coso_day d = api_body_day(req, "presented_on", 0);
	int rc = coso_store_transfer_present(req->st, req->path[0], d, &res->errors);

	return rc < 0 ? rc : transfer_answer(req, res, req->path[0], d);
}

int api_transfers_return(const api_req *req, api_res *res)
{
	coso_day d = api_body_day(req, "returned_on", 0);
	int rc = coso_store_transfer_return(req->st, req->path[0], d, &res->errors);

	return rc < 0 ? rc : transfer_answer(req, res, req->path[0], d);
}

/* ---- ratings ------------------------------------------------------------------------------------- */

static json_t *levels_json(const long long n[4])
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I}", "excellent", n[0], "good", n[1], "done", n[2], "not_done", n[3],
			 "total", n[0] + n[1] + n[2] + n[3]);
}

struct quota_ctx {
	json_t *over;
	long long checked;
};

/* Hướng dẫn 21-HD/BTCTW (2019), 2.3: in each grassroots organization, the
 * members rated excellent are at most 20% of those rated good. */
static int collect_quota(void *ctx, const coso_quota_item *it)
{
	struct quota_ctx *x = ctx;
	json_t *o;

	x->checked++;
	if (it->excellent * 5 <= it->good)
		return 0;
	o = json_pack("{s:o, s:I, s:I, s:I}", "org", api_ref(it->code, it->name), "excellent", it->excellent,
		      "good", it->good, "allowed", it->good / 5);
	return o && json_array_append_new(x->over, o) == 0 ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

int api_party_ratings(const api_req *req, api_res *res)
{
	int y;
	coso_rating_stats stats;
	struct quota_ctx q = { json_array(), 0 };
	const char *org = api_query(req, "org");
	int rc;

	coso_date_to_ymd(req->today, &y, NULL, NULL);
	y = (int)api_query_int(req, "year", y - 1);
	rc = q.over ? coso_store_rating_stats(req->st, y, org, &stats) : coso_error_set(COSO_ENOMEM, "out of memory");
	if (rc == 0)
		rc = coso_store_rating_quota_each(req->st, y, org, collect_quota, &q);
	if (rc < 0) {
		json_decref(q.over);
		return rc;
	}
	return api_ok(res, json_pack("{s:i, s:o, s:o, s:{s:I, s:o}}", "year", y, "members", levels_json(stats.members),
				     "orgs", levels_json(stats.orgs), "quota", "checked", q.checked, "over", q.over));
}

static int rate(const api_req *req, api_res *res, const char *kind)
{
	coso_prow r;
	char id[300];
	int rc = body_row(req, &coso_ratings, &r);

	if (rc == 0)
		rc = coso_prow_set(&r, RAT_KIND, kind);
	if (rc == 0)
		rc = coso_prow_set(&r, RAT_SUBJECT, req->path[0]);
	if (rc == 0) {
		/* one rating a year: its id is the year and the subject */
		snprintf(id, sizeof(id), "%s/%s", r.text[RAT_YEAR] ? r.text[RAT_YEAR] : "", req->path[0]);
		rc = coso_prow_set(&r, RAT_ID, id);
	}
	if (rc == 0)
		rc = coso_store_rating_create(req->st, &r, &res->errors);
	if (rc == 0) {
		res->status = 201;
		rc = api_ok(res, prow_json(&coso_ratings, &r));
	}
	coso_prow_clear(&r);
	return rc;
}

int api_members_rating(const api_req *req, api_res *res)
{
	return rate(req, res, "member");
}

int api_orgs_rating(const api_req *req, api_res *res)
{
	return rate(req, res, "org");
}

int api_members_badge(const api_req *req, api_res *res)
{
	coso_prow r;
	char id[300];
	int rc = body_row(req, &coso_badges, &r);

	if (rc == 0)
		rc = coso_prow_set(&r, BDG_MEMBER, req->path[0]);
	if (rc == 0) {
		/* one badge of each years: its id is the member and the years */
		snprintf(id, sizeof(id), "%s/%s", req->path[0], r.text[BDG_YEARS] ? r.text[BDG_YEARS] : "");
		rc = coso_prow_set(&r, BDG_ID, id);
	}
	if (rc == 0)
		rc = coso_store_badge_award(req->st, &r, &res->errors);
	if (rc == 0) {
		res->status = 201;
		rc = api_ok(res, prow_json(&coso_badges, &r));
	}
	coso_prow_clear(&r);
	return rc;
}
