/*
 * store_summary.c: the counts behind the fast as-of reports.
 *
 * Counting the members of an organization as of a day means reading every
 * period it ever had; for the whole country that is millions of rows. So the
 * counts are kept as step functions: org_step holds, for each organization,
 * the days on which its number of active members (and of probationary ones)
 * changes, with the value from that day on; residence_step, the days on
 * which a village gets its first active resident or loses its last. A count as of D is then one index seek:
 * the last step on or before D.
 *
 * The steps are derived data. Whatever changes member periods or members
 * marks the organizations and villages concerned in summary_dirty (the loads
 * of store_load.c and the writes of store_write.c do), and
 * coso_store_refresh_summaries(), called in the same transaction before it
 * commits, rebuilds the steps of those keys only. summary_state.complete = 0
 * (a database migrated with data in it) makes the next refresh rebuild all,
 * and until then reports take the plain path. The plain path (COSO_PLAIN=1)
 * stays, and the tests prove both give the same figures.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_internal.h"
#include "util/error.h"
#include "util/strset.h"
#include "util/timing.h"

/*
 * Active parts of periods, [max(valid_from, admitted_on), min(valid_to,
 * ended_on)), with the member's official_on, ordered by organization (or
 * village) so each key's steps are computed in one go; the indexes on
 * member_period give that order without a sort. %s is the key filter.
 */
static const char sql_org_acts[] =
	"SELECT p.org_code, max(p.valid_from, m.admitted_on), min(p.valid_to, m.ended_on), m.official_on"
	" FROM member_period p INDEXED BY member_period_org JOIN member m ON m.id = p.member_id"
	" WHERE max(p.valid_from, m.admitted_on) < min(p.valid_to, m.ended_on) %s ORDER BY p.org_code";
static const char sql_residence_acts[] =
	"SELECT p.residence_code, max(p.valid_from, m.admitted_on), min(p.valid_to, m.ended_on), m.official_on"
	" FROM member_period p INDEXED BY member_period_residence JOIN member m ON m.id = p.member_id"
	" WHERE p.residence_code IS NOT NULL AND max(p.valid_from, m.admitted_on) < min(p.valid_to, m.ended_on)"
	" %s ORDER BY p.residence_code";

struct event {
	coso_day day;
	int dt, dp; /* change of the active and of the probationary count */
};

struct steps {
	struct event *ev;
	size_t n, cap;
};

static int push(struct steps *s, coso_day day, int dt, int dp)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 256;
		struct event *nv = realloc(s->ev, ncap * sizeof(*nv));

		if (!nv)
			return coso_error_set(COSO_ENOMEM, "out of memory");
		s->ev = nv;
		s->cap = ncap;
	}
	s->ev[s->n++] = (struct event){ day, dt, dp };
	return 0;
}

static int cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

/* The counts of one key, as its days are written in order. */
struct step_acc {
	long long total, prob;
	bool occupied;
};

static const char *const sql_step_insert[2] = {
	"INSERT INTO org_step (org_code, day, total, probationary) VALUES (?1, ?2, ?3, ?4)",
	"INSERT INTO residence_step (residence_code, day, occupied) VALUES (?1, ?2, ?3)",
};

#define STEP_BATCH 32

/* Where the steps of one kind (0: organizations, 1: villages) are written:
 * a row a statement, or, for a full build (whose keys outlive a batch),
 * STEP_BATCH rows a statement, which costs less a row. */
struct step_out {
	coso_store *st;
	int kind;
	sqlite3_stmt *one, *many;
	int n;
	struct step_row {
		const char *key;
		coso_day day;
		long long value, prob;
	} row[STEP_BATCH];
};

static int out_open(struct step_out *o, coso_store *st, int kind, bool batch)
{
	const char *one = sql_step_insert[kind];
	char sql[4096];
	size_t used;
	int rc;

	memset(o, 0, sizeof(*o));
	o->st = st;
	o->kind = kind;
	if ((rc = coso_db_prepare(st, one, &o->one)) < 0 || !batch)
		return rc;
	/* the same INSERT with STEP_BATCH rows of values */
	used = (size_t)(strstr(one, " VALUES ") - one) + strlen(" VALUES ");
	memcpy(sql, one, used);
	for (int i = 0; i < STEP_BATCH && used < sizeof(sql); i++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s(?, ?, ?%s)", i ? ", " : "",
					 kind == 0 ? ", ?" : "");
	return coso_db_prepare(st, sql, &o->many);
}

/* Binds rows [0, n) from parameter 1 on and runs q. */
static int out_run(struct step_out *o, sqlite3_stmt *q, const struct step_row *r, int n)
{
	int p = 1, rc;

	for (int i = 0; i < n; i++) {
		sqlite3_bind_text(q, p++, r[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, p++, r[i].day);
		sqlite3_bind_int64(q, p++, r[i].value);
		if (o->kind == 0)
			sqlite3_bind_int64(q, p++, r[i].prob);
	}
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(o->st, "summary");
	sqlite3_reset(q);
	return rc;
}

static int out_row(struct step_out *o, const char *key, coso_day day, long long value, long long prob)
{
	struct step_row r = { key, day, value, prob };

	if (!o->many)
		return out_run(o, o->one, &r, 1);
	o->row[o->n++] = r;
	if (o->n < STEP_BATCH)
		return 0;
	o->n = 0;
	return out_run(o, o->many, o->row, STEP_BATCH);
}

/* Writes the rows still in the batch, and frees the statements. */
static int out_close(struct step_out *o, int rc)
{
	for (int i = 0; i < o->n && rc == 0; i++)
		rc = out_run(o, o->one, &o->row[i], 1);
	sqlite3_finalize(o->one);
	sqlite3_finalize(o->many);
	return rc;
}

/* Writes the step of `key` on `day`, when the day's changes (dt active, dp
 * probationary) change a count: one row per day on which a count changes,
 * holding the counts from that day on. For a village only whether anyone
 * lives there matters, so a row is written only when that changes. */
static int step_day(struct step_out *o, const char *key, coso_day day, long long dt, long long dp,
		    struct step_acc *a)
{
	if (dt == 0 && dp == 0)
		return 0;
	a->total += dt;
	a->prob += dp;
	if (o->kind == 0)
		return out_row(o, key, day, a->total, a->prob);
	if ((a->total > 0) == a->occupied)
		return 0;
	a->occupied = a->total > 0;
	return out_row(o, key, day, a->occupied, 0);
}

/* Writes the steps of one key from its events, sorted here by day. */
static int flush_key(struct step_out *o, const char *key, struct steps *s)
{
	struct step_acc a = { 0 };
	int rc = 0;

	qsort(s->ev, s->n, sizeof(*s->ev), cmp_event);
	for (size_t i = 0; i < s->n && rc == 0;) {
		coso_day day = s->ev[i].day;
		int dt = 0, dp = 0;

		for (; i < s->n && s->ev[i].day == day; i++) {
			dt += s->ev[i].dt;
			dp += s->ev[i].dp;
		}
		rc = step_day(o, key, day, dt, dp, &a);
	}
	s->n = 0;
	return rc;
}

/* Rebuilds the steps of one kind (0: organizations, 1: villages) for the
 * keys of temp.sd_keys. */
static int build_steps(coso_store *st, int kind)
{
	static const char filter_org[] = "AND p.org_code IN (SELECT code FROM sd_keys)";
	static const char filter_res[] = "AND p.residence_code IN (SELECT code FROM sd_keys)";
	sqlite3_stmt *q = NULL;
	struct step_out o;
	struct steps s = { 0 };
	char sql[1024], *key = NULL;
	int rc;

	snprintf(sql, sizeof(sql), kind == 0 ? sql_org_acts : sql_residence_acts,
		 kind == 0 ? filter_org : filter_res);
	/* one row a statement: the key is freed at the next key */
	if ((rc = out_open(&o, st, kind, false)) < 0 || (rc = coso_db_prepare(st, sql, &q)) < 0)
		goto done;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(q, 0);
		coso_day af = sqlite3_column_int(q, 1), at = sqlite3_column_int(q, 2),
			 off = sqlite3_column_int(q, 3);

		if (!k)
			continue;
		if (!key || strcmp(k, key) != 0) {
			if (key && (rc = flush_key(&o, key, &s)) < 0)
				goto done;
			free(key);
			if (!(key = strdup(k))) {
				rc = coso_error_set(COSO_ENOMEM, "out of memory");
				goto done;
			}
		}
		/* active from af to at; probationary from af until official_on */
		if ((rc = push(&s, af, 1, off > af)) < 0)
			goto done;
		if (at < COSO_DAY_MAX && (rc = push(&s, at, -1, 0)) < 0)
			goto done;
		if (off > af && (off < at ? off : at) < COSO_DAY_MAX &&
		    (rc = push(&s, off < at ? off : at, 0, -1)) < 0)
			goto done;
	}
	if (rc != SQLITE_DONE) {
		rc = coso_db_error(st, "summary");
		goto done;
	}
	rc = key ? flush_key(&o, key, &s) : 0;
done:
	rc = out_close(&o, rc);
	free(key);
	free(s.ev);
	sqlite3_finalize(q);
	return rc;
}

/* ---- every key at once ---------------------------------------------------- */

/*
 * An import (or a database migrated with members) rebuilds the steps of
 * every key. Asking the per-key query above for all of them joined each of
 * millions of periods to its member by a lookup; instead member and
 * member_period are read once, merged in their key order (as the checks of
 * store_load.c read them), and each active part of a period becomes events
 * packed in 64 bits: the key's rank among the keys (strcmp order, the order
 * of the step tables' keys), the day, and what changes. A radix sort puts
 * them in the step tables' order, so each table is written by appending.
 */
enum { EV_JOIN_PROBATIONARY, EV_JOIN, EV_LEAVE, EV_CONFIRM };

#define EV_KIND_BITS 2
#define EV_DAY_BITS 26 /* a day minus COSO_DAY_MIN: 0 .. 2 * 10^7 < 2^25 */
#define EV_KEY_SHIFT (EV_KIND_BITS + EV_DAY_BITS)
#define EV_MAX_KEYS ((uint64_t)1 << (64 - EV_KEY_SHIFT))

struct evs {
	uint64_t *v;
	size_t n, cap;
	coso_strset *keys; /* the keys met, each event holding its index */
};

static int ev_push(struct evs *e, size_t key, coso_day day, unsigned kind)
{
	if (e->n == e->cap) {
		size_t ncap = e->cap ? e->cap * 2 : 1 << 16;
		uint64_t *nv = realloc(e->v, ncap * sizeof(*nv));

		if (!nv)
			return coso_error_set(COSO_ENOMEM, "out of memory");
		e->v = nv;
		e->cap = ncap;
	}
	e->v[e->n++] = (uint64_t)key << EV_KEY_SHIFT | (uint64_t)(day - COSO_DAY_MIN) << EV_KIND_BITS | kind;
	return 0;
}

/* The events of one active part [af, at) of a period in key `code`, for a
 * member official from `off`. A village's steps only count residents. */
static int ev_part(struct evs *e, const char *code, coso_day af, coso_day at, coso_day off, bool with_prob)
{
	size_t key;
	int rc = coso_strset_add(e->keys, code, strlen(code), &key);

	if (rc < 0)
		return rc;
	if (key >= EV_MAX_KEYS)
		return coso_error_set(COSO_EINVALID, "too many organizations or villages");
	with_prob = with_prob && off > af;
	if ((rc = ev_push(e, key, af, with_prob ? EV_JOIN_PROBATIONARY : EV_JOIN)) < 0)
		return rc;
	if (at < COSO_DAY_MAX && (rc = ev_push(e, key, at, EV_LEAVE)) < 0)
		return rc;
	/* probationary from af until official_on (or the part's end) */
	if (with_prob && (off < at ? off : at) < COSO_DAY_MAX)
		rc = ev_push(e, key, off < at ? off : at, EV_CONFIRM);
	return rc;
}

/* Reads member and member_period merged by member id, collecting the events
 * of the organizations (org) and villages (res). A period without its
 * member (the checks refuse it) counts for nothing. */
static int scan_periods(coso_store *st, struct evs *org, struct evs *res)
{
	sqlite3_stmt *mq = NULL, *pq = NULL;
	const char *mid = NULL;
	coso_day adm = 0, end = 0, off = 0;
	int rc, step;

	if ((rc = coso_db_prepare(st, "SELECT id, admitted_on, ended_on, official_on FROM member ORDER BY id", &mq)) < 0)
		goto done;
	if ((rc = coso_db_prepare(st, "SELECT member_id, valid_from, valid_to, org_code, residence_code"
				  " FROM member_period ORDER BY member_id, valid_from", &pq)) < 0)
		goto done;
	while ((step = sqlite3_step(pq)) == SQLITE_ROW) {
		const char *pid = (const char *)sqlite3_column_text(pq, 0);
		const char *oc = (const char *)sqlite3_column_text(pq, 3);
		const char *rcode = (const char *)sqlite3_column_text(pq, 4);
		coso_day from = sqlite3_column_int(pq, 1), to = sqlite3_column_int(pq, 2), af, at;
		int c = -1;

		while (pid && (!mid || (c = strcmp(mid, pid)) < 0)) {
			if ((step = sqlite3_step(mq)) != SQLITE_ROW)
				break;
			mid = (const char *)sqlite3_column_text(mq, 0);
			adm = sqlite3_column_int(mq, 1);
			end = sqlite3_column_int(mq, 2);
			off = sqlite3_column_int(mq, 3);
		}
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			break;
		if (step == SQLITE_DONE && (!mid || c < 0)) {
			step = SQLITE_DONE; /* no member left for this period or any after it */
			break;
		}
		if (!mid || !pid || !oc || strcmp(mid, pid) != 0)
			continue;
		af = from > adm ? from : adm;
		at = to < end ? to : end;
		if (af >= at)
			continue;
		if ((rc = ev_part(org, oc, af, at, off, true)) < 0)
			goto done;
		if (rcode && (rc = ev_part(res, rcode, af, at, off, false)) < 0)
			goto done;
	}
	rc = step == SQLITE_DONE ? 0 : coso_db_error(st, "summary");
done:
	sqlite3_finalize(mq);
	sqlite3_finalize(pq);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts v[0 .. n) (least significant digit first, 16 bits a pass, skipping
 * the digits all values share) with a buffer of the same size. */
static int radix_sort(uint64_t *v, size_t n)
{
	uint64_t *tmp, *src = v, *dst;
	size_t *count;

	if (n < 2)
		return 0;
	tmp = malloc(n * sizeof(*tmp));
	count = malloc(65536 * sizeof(*count));
	if (!tmp || !count) {
		free(tmp);
		free(count);
		return coso_error_set(COSO_ENOMEM, "out of memory");
	}
	dst = tmp;
	for (int shift = 0; shift < 64; shift += 16) {
		size_t sum = 0;

		memset(count, 0, 65536 * sizeof(*count));
		for (size_t i = 0; i < n; i++)
			count[(src[i] >> shift) & 0xffff]++;
		if (count[(src[0] >> shift) & 0xffff] == n)
			continue;
		for (size_t d = 0; d < 65536; d++) {
			size_t c = count[d];

			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[(src[i] >> shift) & 0xffff]++] = src[i];
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
	free(count);
	return 0;
}

/* Writes the steps of one kind from its events: each event's key index
 * becomes the key's rank, the events are sorted, and each key's days are
 * summed in order. */
static int write_events(coso_store *st, int kind, struct evs *e)
{
	size_t nkeys = coso_strset_count(e->keys);
	const char **by_rank = malloc((nkeys ? nkeys : 1) * sizeof(*by_rank));
	uint64_t *rank = malloc((nkeys ? nkeys : 1) * sizeof(*rank));
	struct step_out o = { 0 };
	int rc = 0;

	if (!by_rank || !rank) {
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t k = 0; k < nkeys; k++)
		by_rank[k] = coso_strset_at(e->keys, k, NULL);
	qsort(by_rank, nkeys, sizeof(*by_rank), cmp_str);
	/* a key's index from its string: the strings are the set's own */
	for (size_t r = 0; r < nkeys; r++) {
		size_t k;

		coso_strset_add(e->keys, by_rank[r], strlen(by_rank[r]), &k);
		rank[k] = r;
	}
	for (size_t i = 0; i < e->n; i++)
		e->v[i] = rank[e->v[i] >> EV_KEY_SHIFT] << EV_KEY_SHIFT | (e->v[i] & (((uint64_t)1 << EV_KEY_SHIFT) - 1));
	if ((rc = radix_sort(e->v, e->n)) < 0)
		goto done;
	if ((rc = out_open(&o, st, kind, true)) < 0)
		goto done;
	for (size_t i = 0; i < e->n && rc == 0;) {
		uint64_t key = e->v[i] >> EV_KEY_SHIFT;
		struct step_acc a = { 0 };

		while (i < e->n && e->v[i] >> EV_KEY_SHIFT == key && rc == 0) {
			uint64_t day_bits = e->v[i] >> EV_KIND_BITS;
			long long dt = 0, dp = 0;

			for (; i < e->n && e->v[i] >> EV_KIND_BITS == day_bits; i++) {
				switch (e->v[i] & 3) {
				case EV_JOIN_PROBATIONARY: dt++; dp++; break;
				case EV_JOIN: dt++; break;
				case EV_LEAVE: dt--; break;
				default: dp--; break;
				}
			}
			rc = step_day(&o, by_rank[key],
				      (coso_day)(day_bits & (((uint64_t)1 << EV_DAY_BITS) - 1)) + COSO_DAY_MIN,
				      dt, dp, &a);
		}
	}
done:
	rc = out_close(&o, rc);
	free(by_rank);
	free(rank);
	return rc;
}

static void evs_free(struct evs *e)
{
	free(e->v);
	coso_strset_free(e->keys);
}

/* Rebuilds the steps of every organization and village (the tables are
 * empty). */
static int build_all(coso_store *st)
{
	struct evs org = { 0 }, res = { 0 };
	coso_phase t = coso_phase_start();
	int rc;

	if ((rc = coso_strset_new(&org.keys)) < 0 || (rc = coso_strset_new(&res.keys)) < 0)
		goto done;
	if ((rc = scan_periods(st, &org, &res)) < 0)
		goto done;
	coso_phase_done("counts: periods read", &t);
	if ((rc = write_events(st, 0, &org)) < 0)
		goto done;
	coso_phase_done("counts: organizations", &t);
	evs_free(&org);
	org = (struct evs){ 0 };
	rc = write_events(st, 1, &res);
	coso_phase_done("counts: villages", &t);
done:
	evs_free(&org);
	evs_free(&res);
	return rc;
}

/* The marking statements run once or twice per loaded row: they are
 * prepared once per connection (finalized by coso_store_close). */
int coso_store_mark_member(coso_store *st, const char *member_id)
{
	sqlite3_stmt *q;
	int rc;

	if (st->summary_all)
		return 0;
	if (!st->mark_member_q && (rc = coso_db_prepare(st,
			"INSERT OR IGNORE INTO summary_dirty (kind, code)"
			" SELECT 0, org_code FROM member_period WHERE member_id = ?1"
			" UNION ALL SELECT 1, residence_code FROM member_period"
			" WHERE member_id = ?1 AND residence_code IS NOT NULL", &st->mark_member_q)) < 0)
		return rc;
	q = st->mark_member_q;
	sqlite3_bind_text(q, 1, member_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "summary");
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc;
}

int coso_store_mark_code(coso_store *st, int kind, const char *code)
{
	sqlite3_stmt *q;
	int rc;

	if (st->summary_all || !code)
		return 0;
	if (!st->mark_code_q && (rc = coso_db_prepare(st,
			"INSERT OR IGNORE INTO summary_dirty (kind, code) VALUES (?1, ?2)", &st->mark_code_q)) < 0)
		return rc;
	q = st->mark_code_q;
	sqlite3_bind_int(q, 1, kind);
	sqlite3_bind_text(q, 2, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "summary");
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc;
}

void coso_store_mark_all(coso_store *st)
{
	st->summary_all = true;
}

/* Rebuilds the steps of the dirty keys of one kind. */
static int refresh_kind(coso_store *st, int kind)
{
	static const char *const del[2] = {
		"DELETE FROM org_step WHERE org_code IN (SELECT code FROM sd_keys)",
		"DELETE FROM residence_step WHERE residence_code IN (SELECT code FROM sd_keys)",
	};
	char sql[256];
	int rc;

	snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS temp.sd_keys;"
		 "CREATE TEMP TABLE sd_keys (code TEXT PRIMARY KEY) WITHOUT ROWID;"
		 "INSERT INTO sd_keys SELECT code FROM summary_dirty WHERE kind = %d", kind);
	if ((rc = coso_db_exec(st, sql)) < 0)
		return rc;
	if ((rc = coso_db_exec(st, del[kind])) < 0)
		return rc;
	return build_steps(st, kind);
}

int coso_store_refresh_summaries(coso_store *st)
{
	sqlite3_stmt *q = NULL;
	bool all = st->summary_all;
	int rc;

	if ((rc = coso_db_prepare(st, "SELECT complete FROM summary_state", &q)) < 0)
		return rc;
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 0)
		all = true;
	sqlite3_finalize(q);
	if (all) {
		rc = coso_db_exec(st, "DELETE FROM org_step; DELETE FROM residence_step;");
		if (rc == 0)
			rc = build_all(st);
	} else {
		rc = refresh_kind(st, 0);
		if (rc == 0)
			rc = refresh_kind(st, 1);
	}
	if (rc == 0)
		rc = coso_db_exec(st, "DELETE FROM summary_dirty; UPDATE summary_state SET complete = 1;"
				   "DROP TABLE IF EXISTS temp.sd_keys");
	if (rc == 0)
		st->summary_all = false;
	return rc;
}

bool coso_plain_path(void)
{
	const char *plain = getenv("COSO_PLAIN");

	return plain && *plain && strcmp(plain, "0") != 0;
}

bool coso_store_summaries_ready(coso_store *st)
{
	sqlite3_stmt *q = NULL;
	bool ready = false;

	if (coso_plain_path())
		return false;
	if (coso_db_prepare(st, "SELECT complete FROM summary_state", &q) == 0 && sqlite3_step(q) == SQLITE_ROW)
		ready = sqlite3_column_int(q, 0) == 1;
	sqlite3_finalize(q);
	return ready;
}
