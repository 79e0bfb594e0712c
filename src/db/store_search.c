/*
 * store_search.c: the search data of members (migrations 3 and 10), kept by
 * coso_store_refresh_search() (db/store_api.h), and the full-text query of
 * a search (store_internal.h).
 *
 * member_search holds each member's name and id folded for search, the
 * Vietnamese sort key of the name, given name first, and the member's
 * admission and end days (kept by a trigger on member); member_fts is its
 * full-text index, whose rowid is member_search.n.
 *
 * n follows the sort order: it increases with (sort_key, id). So the
 * full-text index gives the matches of a search already in name order, and
 * the first page of any search costs that page's rows, not the number of
 * matches (store_api.c, the ordered plan). A full fill numbers the rows
 * SEARCH_GAP apart; a member added later takes a number between its two
 * neighbours', and when none is free, the rows around it are spread out
 * again (place_member). coso_store_search_check() verifies the order.
 *
 * member_word holds the words (util/text.h) of the folded names and ids
 * that do not begin with a digit. A word of a query is turned into the
 * words it begins ("ngu" -> "ngu" OR "nguyen" OR "nguyet"), which the
 * full-text index reads lazily in rowid order; the prefix query ("ngu"*)
 * would first merge every matching doclist whole (30 ms for "nguyen"* in
 * the national registry, 0.5 ms for the words).
 */
#include "db/store_api.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_internal.h"
#include "util/error.h"
#include "util/strset.h"
#include "util/text.h"

/* The numbers: 1 .. SEARCH_MAX_N, SEARCH_GAP apart after a full fill (a
 * member added later between two others halves a gap: 32 of them at one
 * place before the rows around it must be spread out). */
#define SEARCH_MAX_N (INT64_C(1) << 62)
#define SEARCH_GAP (INT64_C(1) << 32)
/* search_meta "numbering": the numbers follow the sort order */
#define NUMBERING "sorted-1"
/* A query word of this many characters or fewer is a prefix query: the
 * full-text index keeps prefix indexes of 1 and 2 characters. */
#define PREFIX_INDEXED 2
/* A query word is turned into at most this many words, else it stays a
 * prefix query. */
#define EXPAND_MAX 64
/* A full refresh with more than this share of the members to add rebuilds
 * everything instead (one sort, one index build). */
#define REBUILD_SHARE 8

static int meta_get(coso_store *st, const char *k, char *buf, size_t n)
{
	sqlite3_stmt *q = NULL;
	int rc;

	buf[0] = '\0';
	if ((rc = coso_db_prepare(st, "SELECT v FROM search_meta WHERE k = ?1", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, k, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		snprintf(buf, n, "%s", (const char *)sqlite3_column_text(q, 0));
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : coso_db_error(st, "search");
	sqlite3_finalize(q);
	return rc;
}

static int meta_set(coso_store *st, const char *k, const char *v)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, "INSERT OR REPLACE INTO search_meta (k, v) VALUES (?1, ?2)", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, v, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "search");
	sqlite3_finalize(q);
	return rc;
}

/* vn_fold(text): text folded for search (util/text.h). */
static void sql_vn_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	char *folded = NULL;
	int rc;

	(void)argc;
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	if ((rc = coso_text_fold(s, &folded)) < 0) {
		if (rc == COSO_ENOMEM)
			sqlite3_result_error_nomem(ctx);
		else
			sqlite3_result_error(ctx, coso_error_last(), -1);
		return;
	}
	sqlite3_result_text(ctx, folded, -1, free);
}

/* vn_name_key(full_name): the Vietnamese sort key of a name, given name
 * first; the collator is the function's user data. */
static void sql_vn_name_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	unsigned char *key = NULL;
	size_t n = 0;
	int rc;

	(void)argc;
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	if ((rc = coso_collator_name_key(sqlite3_user_data(ctx), s, &key, &n)) < 0) {
		if (rc == COSO_ENOMEM)
			sqlite3_result_error_nomem(ctx);
		else
			sqlite3_result_error(ctx, coso_error_last(), -1);
		return;
	}
	sqlite3_result_blob(ctx, key, (int)n, free);
}

static void collator_destroy(void *arg)
{
	coso_collator_free(arg);
}

/* Runs one statement with ?1 bound to id (or NULL). */
static int run_with_id(coso_store *st, const char *sql, const char *id)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	if (id)
		sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "search");
	sqlite3_finalize(q);
	return rc;
}

/* One number from the first column of a query with ?1 bound to text (or
 * none); *found false when there is no row. */
static int query_int64(coso_store *st, const char *sql, const char *text, long long *out, bool *found)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*out = 0;
	*found = false;
	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	if (text)
		sqlite3_bind_text(q, 1, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(q, 0);
		*found = true;
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "search");
	}
	sqlite3_finalize(q);
	return rc;
}

/* ---- the words ----------------------------------------------------------------- */

static bool starts_with_digit(const char *w)
{
	return *w >= '0' && *w <= '9';
}

static int add_to_set(void *ctx, const char *w, size_t n)
{
	if (starts_with_digit(w))
		return 0;
	return coso_strset_add(ctx, w, n) < 0 ? -1 : 0;
}

static int insert_word(void *ctx, const char *w, size_t n)
{
	sqlite3_stmt *q = ctx;

	if (starts_with_digit(w))
		return 0;
	sqlite3_bind_text(q, 1, w, (int)n, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		return -1;
	sqlite3_reset(q);
	return 0;
}

/* Adds the words of one member's folded name and id to member_word. */
static int add_words(coso_store *st, const char *folded, const char *ident)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_kept(st, "INSERT OR IGNORE INTO member_word (word) VALUES (?1)", &q)) < 0)
		return rc;
	if (coso_text_each_word(folded, insert_word, q) != 0 || coso_text_each_word(ident, insert_word, q) != 0)
		rc = coso_db_error(st, "search words");
	coso_db_give_back(st, q);
	return rc;
}

/* member_word from every row of member_search, in one pass (the distinct
 * words gathered in memory, inserted in one go). */
static int fill_words(coso_store *st)
{
	coso_strset *set = NULL;
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_strset_new(&set)) < 0)
		return rc;
	if ((rc = coso_db_exec(st, "DELETE FROM member_word")) < 0 ||
	    (rc = coso_db_prepare(st, "SELECT folded, ident FROM member_search", &q)) < 0)
		goto done;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (coso_text_each_word((const char *)sqlite3_column_text(q, 0), add_to_set, set) != 0 ||
		    coso_text_each_word((const char *)sqlite3_column_text(q, 1), add_to_set, set) != 0) {
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
			goto done;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = coso_db_error(st, "search words");
		goto done;
	}
	sqlite3_finalize(q);
	q = NULL;
	if ((rc = coso_db_prepare(st, "INSERT OR IGNORE INTO member_word (word) VALUES (?1)", &q)) < 0)
		goto done;
	rc = coso_strset_each(set, insert_word, q) != 0 ? coso_db_error(st, "search words") : 0;
done:
	sqlite3_finalize(q);
	coso_strset_free(set);
	return rc;
}

/* ---- a full fill ------------------------------------------------------------- */

/* The triggers and indexes of member_search, as the schema made them (their
 * CREATE text from sqlite_master), so that a bulk fill can drop them and make
 * them again exactly. */
struct search_ddl {
	char *name[8], *sql[8];
	int n;
};

static void search_ddl_free(struct search_ddl *d)
{
	for (int i = 0; i < d->n; i++) {
		free(d->name[i]);
		free(d->sql[i]);
	}
	d->n = 0;
}

static int search_ddl_read(coso_store *st, struct search_ddl *d)
{
	sqlite3_stmt *q = NULL;
	int rc;

	d->n = 0;
	if ((rc = coso_db_prepare(st, "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'member_search'"
				  " AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name", &q)) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && d->n < 8) {
		char drop[160];

		d->name[d->n] = NULL;
		snprintf(drop, sizeof(drop), "DROP %s %s", (const char *)sqlite3_column_text(q, 0),
			 (const char *)sqlite3_column_text(q, 1));
		d->name[d->n] = strdup(drop);
		d->sql[d->n] = strdup((const char *)sqlite3_column_text(q, 2));
		d->n++;
		if (!d->name[d->n - 1] || !d->sql[d->n - 1]) {
			sqlite3_finalize(q);
			search_ddl_free(d);
			return coso_error_set(COSO_ENOMEM, "out of memory");
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		search_ddl_free(d);
		return rc == SQLITE_ROW ? coso_error_set(COSO_ERR, "member_search: more triggers and indexes than known")
					: coso_db_error(st, "read the schema");
	}
	return 0;
}

/* Rebuilds all of member_search from member: without its triggers and its
 * sort index, which are made again afterwards (an index built from sorted
 * rows, and the full-text index rebuilt in one pass, instead of millions of
 * inserts in random order). The rows are numbered in sort order, `gap`
 * apart. Then the words. */
static int rebuild_search(coso_store *st, int *n)
{
	struct search_ddl d;
	sqlite3_stmt *q = NULL;
	long long members = 0, gap;
	bool found;
	int rc;

	*n = 0;
	if ((rc = query_int64(st, "SELECT count(*) FROM member", NULL, &members, &found)) < 0)
		return rc;
	gap = SEARCH_MAX_N / (members + 1);
	if (gap > SEARCH_GAP)
		gap = SEARCH_GAP;
	if ((rc = search_ddl_read(st, &d)) < 0)
		return rc;
	for (int i = 0; i < d.n && rc == 0; i++)
		rc = coso_db_exec(st, d.name[i]);
	if (rc == 0)
		rc = coso_db_exec(st, "DELETE FROM member_search");
	/* each key made once, in the subquery; the window sorts the rows */
	if (rc == 0)
		rc = coso_db_prepare(st,
			"INSERT INTO member_search (n, id, full_name, folded, ident, sort_key, admitted_on, ended_on)"
			" SELECT row_number() OVER (ORDER BY k, id) * ?1, id, full_name, vn_fold(full_name), vn_fold(id), k,"
			" admitted_on, ended_on"
			" FROM (SELECT id, full_name, vn_name_key(full_name) AS k, admitted_on, ended_on FROM member)", &q);
	if (rc == 0) {
		sqlite3_bind_int64(q, 1, gap);
		rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "search");
		if (rc == 0)
			*n = sqlite3_changes(st->db);
	}
	sqlite3_finalize(q);
	for (int i = 0; i < d.n && rc == 0; i++)
		rc = coso_db_exec(st, d.sql[i]);
	search_ddl_free(&d);
	/* then merged into one segment: a query term is looked up once, not
	 * once a segment (5 s at national scale) */
	if (rc == 0)
		rc = coso_db_exec(st, "INSERT INTO member_fts (member_fts) VALUES ('rebuild');"
				  "INSERT INTO member_fts (member_fts) VALUES ('optimize')");
	if (rc == 0)
		rc = fill_words(st);
	if (rc == 0)
		rc = meta_set(st, "numbering", NUMBERING);
	return rc;
}

/* ---- one member ----------------------------------------------------------------- */

/* The rows next to key (k, id) in sort order, on one side: up to `max`
 * ids and numbers, nearest first. */
struct side {
	char **id;
	long long *n;
	int count;
};

static void side_free(struct side *s)
{
	for (int i = 0; i < s->count; i++)
		free(s->id[i]);
	free(s->id);
	free(s->n);
	memset(s, 0, sizeof(*s));
}

static int side_read(coso_store *st, bool before, const void *k, int klen, const char *id, int max,
		     struct side *out)
{
	sqlite3_stmt *q = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(out->id = calloc((size_t)max, sizeof(*out->id))) || !(out->n = calloc((size_t)max, sizeof(*out->n)))) {
		side_free(out);
		return coso_error_set(COSO_ENOMEM, "out of memory");
	}
	rc = coso_db_prepare(st, before
		? "SELECT id, n FROM member_search WHERE (sort_key, id) < (?1, ?2) ORDER BY sort_key DESC, id DESC LIMIT ?3"
		: "SELECT id, n FROM member_search WHERE (sort_key, id) > (?1, ?2) ORDER BY sort_key, id LIMIT ?3", &q);
	if (rc < 0) {
		side_free(out);
		return rc;
	}
	sqlite3_bind_blob(q, 1, k, klen, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, max);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (!(out->id[out->count] = strdup((const char *)sqlite3_column_text(q, 0)))) {
			rc = SQLITE_NOMEM;
			break;
		}
		out->n[out->count++] = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		side_free(out);
		return rc == SQLITE_NOMEM ? coso_error_set(COSO_ENOMEM, "out of memory") : coso_db_error(st, "search");
	}
	return 0;
}

static int set_number(coso_store *st, const char *id, long long n)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_kept(st, "UPDATE member_search SET n = ?2 WHERE id = ?1", &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, n);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "search");
	coso_db_give_back(st, q);
	return rc;
}

/* The number of a new row of key (k, id), not yet in member_search: between
 * its neighbours', SEARCH_GAP after the last or before the first; when the
 * neighbours' numbers are consecutive, the `r` rows on each side (r = 4, 16,
 * 64 ...) are spread evenly between the numbers of the rows just beyond
 * them, until there is room. */
static int place_member(coso_store *st, const void *k, int klen, const char *id, long long *out)
{
	for (int r = 1; r <= (1 << 24); r *= 4) {
		struct side lo = { 0 }, hi = { 0 };
		long long bot, top, step;
		int moved_lo, moved_hi, rc;

		/* r = 1: the two neighbours only; then r rows each side plus the
		 * bound beyond them */
		if ((rc = side_read(st, true, k, klen, id, r == 1 ? 1 : r + 1, &lo)) < 0)
			return rc;
		if ((rc = side_read(st, false, k, klen, id, r == 1 ? 1 : r + 1, &hi)) < 0) {
			side_free(&lo);
			return rc;
		}
		if (r == 1) {
			bot = lo.count ? lo.n[0] : 0;
			top = hi.count ? hi.n[0] : SEARCH_MAX_N + 1;
			side_free(&lo);
			side_free(&hi);
			if (top - bot >= 2) {
				if (top == SEARCH_MAX_N + 1 && bot <= SEARCH_MAX_N - SEARCH_GAP)
					*out = bot + SEARCH_GAP;
				else if (bot == 0 && top > SEARCH_GAP + 1)
					*out = top - SEARCH_GAP;
				else
					*out = bot + (top - bot) / 2;
				return 0;
			}
			continue;
		}
		/* the rows moved: r each side, or all there are when fewer */
		moved_lo = lo.count > r ? r : lo.count;
		moved_hi = hi.count > r ? r : hi.count;
		bot = lo.count > r ? lo.n[r] : 0;
		top = hi.count > r ? hi.n[r] : SEARCH_MAX_N + 1;
		step = (top - bot) / (moved_lo + moved_hi + 2);
		if (step >= 2) {
			/* out of the way first (no row has a number under 1), then
			 * in place: bot + step, bot + 2 step, ... in sort order */
			for (int i = 0; i < moved_lo && rc == 0; i++)
				rc = set_number(st, lo.id[i], -1 - i);
			for (int i = 0; i < moved_hi && rc == 0; i++)
				rc = set_number(st, hi.id[i], -1 - moved_lo - i);
			for (int i = 0; i < moved_lo && rc == 0; i++)
				rc = set_number(st, lo.id[i], bot + step * (moved_lo - i));
			for (int i = 0; i < moved_hi && rc == 0; i++)
				rc = set_number(st, hi.id[i], bot + step * (moved_lo + 2 + i));
			*out = bot + step * (moved_lo + 1);
		}
		side_free(&lo);
		side_free(&hi);
		if (rc < 0 || step >= 2)
			return rc;
		if (bot == 0 && top == SEARCH_MAX_N + 1)
			break;
	}
	return coso_error_set(COSO_ERR, "member search: no room to number a member (registry too large)");
}

/* The search row of member id (none when the member is gone). */
static int index_member(coso_store *st, const char *id)
{
	sqlite3_stmt *q = NULL, *ins = NULL;
	long long n = 0;
	int rc;

	if ((rc = run_with_id(st, "DELETE FROM member_search WHERE id = ?1", id)) < 0)
		return rc;
	if ((rc = coso_db_prepare(st, "SELECT m.id, m.full_name, vn_fold(m.full_name), vn_fold(m.id),"
				  " vn_name_key(m.full_name), m.admitted_on, m.ended_on FROM member m WHERE m.id = ?1",
				  &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "search");
		goto done;
	}
	if ((rc = place_member(st, sqlite3_column_blob(q, 4), sqlite3_column_bytes(q, 4), id, &n)) < 0 ||
	    (rc = coso_db_kept(st, "INSERT INTO member_search (n, id, full_name, folded, ident, sort_key,"
			       " admitted_on, ended_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &ins)) < 0)
		goto done;
	sqlite3_bind_int64(ins, 1, n);
	for (int i = 0; i < 7; i++)
		sqlite3_bind_value(ins, i + 2, sqlite3_column_value(q, i));
	rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : coso_db_error(st, "search");
	coso_db_give_back(st, ins);
	if (rc == 0)
		rc = add_words(st, (const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3));
	if (rc == 0)
		rc = 1;
done:
	sqlite3_finalize(q);
	return rc;
}

/* A search row whose member is gone or has another name or other days. */
#define STALE \
	"NOT EXISTS (SELECT 1 FROM member m WHERE m.id = member_search.id AND m.full_name = member_search.full_name" \
	" AND m.admitted_on = member_search.admitted_on AND m.ended_on = member_search.ended_on)"

/* The members without a search row (or with a stale one, deleted first),
 * each numbered in place; or, when they are many, everything rebuilt. */
static int refresh_missing(coso_store *st, int *n)
{
	sqlite3_stmt *q = NULL;
	char **ids = NULL;
	long long missing = 0, stale = 0, total = 0, cap = 0;
	bool found;
	int rc;

	*n = 0;
	if ((rc = query_int64(st, "SELECT count(*) FROM member_search WHERE " STALE, NULL, &stale, &found)) < 0 ||
	    (rc = query_int64(st, "SELECT count(*) FROM member m"
			      " WHERE NOT EXISTS (SELECT 1 FROM member_search s WHERE s.id = m.id)",
			      NULL, &missing, &found)) < 0 ||
	    (rc = query_int64(st, "SELECT count(*) FROM member", NULL, &total, &found)) < 0)
		return rc;
	if (stale + missing > 1000 && (stale + missing) * REBUILD_SHARE > total)
		return rebuild_search(st, n);
	if (stale > 0 && (rc = run_with_id(st, "DELETE FROM member_search WHERE " STALE, NULL)) < 0)
		return rc;
	missing += stale;
	if (missing == 0)
		return 0;
	/* the ids first: the rows are numbered while member is read otherwise */
	cap = missing;
	if (!(ids = calloc((size_t)cap, sizeof(*ids))))
		return coso_error_set(COSO_ENOMEM, "out of memory");
	if ((rc = coso_db_prepare(st, "SELECT m.id FROM member m"
				  " WHERE NOT EXISTS (SELECT 1 FROM member_search s WHERE s.id = m.id)", &q)) < 0)
		goto done;
	missing = 0;
	while (missing < cap && (rc = sqlite3_step(q)) == SQLITE_ROW)
		if (!(ids[missing++] = strdup((const char *)sqlite3_column_text(q, 0)))) {
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
			goto done;
		}
	rc = 0;
	for (long long i = 0; i < missing && rc >= 0; i++)
		if ((rc = index_member(st, ids[i])) > 0)
			(*n)++;
	if (rc > 0)
		rc = 0;
done:
	sqlite3_finalize(q);
	for (long long i = 0; i < cap; i++)
		free(ids[i]);
	free(ids);
	return rc;
}

static int refresh_search(coso_store *st, const char *id)
{
	coso_collator *coll = NULL;
	bool own = sqlite3_get_autocommit(st->db) != 0;
	char version[64], stored[64], numbering[32];
	int rc, n = 0;

	if ((rc = coso_collator_open(&coll)) < 0)
		return rc;
	coso_collator_version(coll, version, sizeof(version));
	/* The connection owns the collator from here (sqlite3_create_function_v2
	 * calls the destructor when it fails). */
	if (sqlite3_create_function_v2(st->db, "vn_name_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, coll,
				       sql_vn_name_key, NULL, NULL, collator_destroy) != SQLITE_OK ||
	    sqlite3_create_function(st->db, "vn_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				    sql_vn_fold, NULL, NULL) != SQLITE_OK)
		return coso_db_error(st, "cannot register functions");
	if (own && (rc = coso_db_exec(st, "BEGIN IMMEDIATE")) < 0)
		return rc;
	if ((rc = meta_get(st, "collator", stored, sizeof(stored))) < 0 ||
	    (rc = meta_get(st, "numbering", numbering, sizeof(numbering))) < 0)
		goto done;
	if (strcmp(version, stored) != 0 || strcmp(numbering, NUMBERING) != 0) {
		/* sort keys of another collator do not compare with ours, and
		 * rows numbered before the numbers followed the order: redo all */
		if ((rc = meta_set(st, "collator", version)) == 0)
			rc = rebuild_search(st, &n);
	} else if (id) {
		rc = index_member(st, id);
		n = rc > 0;
	} else {
		rc = refresh_missing(st, &n);
	}
done:
	if (own) {
		if (rc >= 0)
			rc = coso_db_exec(st, "COMMIT");
		if (rc < 0 && !sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	}
	return rc < 0 ? rc : n;
}

int coso_store_refresh_search(coso_store *st)
{
	return refresh_search(st, NULL);
}

int coso_store_refresh_search_member(coso_store *st, const char *id)
{
	return refresh_search(st, id);
}

int coso_store_search_check(coso_store *st, long long *out_of_order)
{
	/* each row against the next in sort order */
	bool found;

	return query_int64(st,
		"SELECT count(*) FROM (SELECT n, lead(n) OVER (ORDER BY sort_key, id) AS next FROM member_search)"
		" WHERE next <= n", NULL, out_of_order, &found);
}

/* ---- the full-text query of a search --------------------------------------- */

struct match_build {
	coso_store *st;
	char *s;
	size_t n, cap;
	bool none;  /* a word begins no word of the registry */
	int rc;
};

static int mb_add(struct match_build *b, const char *text, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *s = realloc(b->s, cap);

		if (!s)
			return coso_error_set(COSO_ENOMEM, "out of memory");
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->n, text, n);
	b->n += n;
	b->s[b->n] = '\0';
	return 0;
}

static int mb_quoted(struct match_build *b, const char *w, size_t n, bool prefix)
{
	int rc;

	/* words hold no quote: they are runs of letters, digits and non-ASCII bytes */
	if ((rc = mb_add(b, "\"", 1)) < 0 || (rc = mb_add(b, w, n)) < 0)
		return rc;
	return mb_add(b, prefix ? "\"*" : "\"", prefix ? 2 : 1);
}

static size_t utf8_chars(const char *w, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)w[i] & 0xC0) != 0x80;
	return c;
}

/* Adds one query word: the words of member_word it begins, or a prefix. */
static int mb_word(void *ctx, const char *w, size_t n)
{
	struct match_build *b = ctx;
	sqlite3_stmt *q = NULL;
	char *upper = NULL;
	int found = 0;

	if (b->n && (b->rc = mb_add(b, " AND ", 5)) < 0)
		return 1;
	if (starts_with_digit(w) || utf8_chars(w, n) <= PREFIX_INDEXED) {
		b->rc = mb_quoted(b, w, n, true);
		return b->rc < 0;
	}
	/* the words from w (included) to w with its last byte one higher
	 * (excluded): those w begins, in BINARY order (UTF-8 has no 0xFF) */
	if (!(upper = malloc(n + 1))) {
		b->rc = coso_error_set(COSO_ENOMEM, "out of memory");
		return 1;
	}
	memcpy(upper, w, n);
	upper[n - 1] = (char)((unsigned char)upper[n - 1] + 1);
	upper[n] = '\0';
	if ((b->rc = coso_db_kept(b->st, "SELECT word FROM member_word WHERE word >= ?1 AND word < ?2 LIMIT ?3",
				  &q)) < 0) {
		free(upper);
		return 1;
	}
	sqlite3_bind_text(q, 1, w, (int)n, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, upper, (int)n, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, EXPAND_MAX + 1);
	size_t mark = b->n;
	int rc = SQLITE_DONE;

	b->rc = mb_add(b, "(", 1);
	while (b->rc == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(q, 0);

		if (found++ && (b->rc = mb_add(b, " OR ", 4)) < 0)
			break;
		b->rc = mb_quoted(b, t, (size_t)sqlite3_column_bytes(q, 0), false);
	}
	if (b->rc == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		b->rc = coso_db_error(b->st, "search words");
	coso_db_give_back(b->st, q);
	free(upper);
	if (b->rc < 0)
		return 1;
	if (found == 0) {
		b->none = true;
		return 1;
	}
	if (found > EXPAND_MAX) {
		/* too many: the prefix query after all */
		b->n = mark;
		b->s[b->n] = '\0';
		b->rc = mb_quoted(b, w, n, true);
		return b->rc < 0;
	}
	b->rc = mb_add(b, ")", 1);
	return b->rc < 0;
}

int coso_db_search_match(coso_store *st, const char *q, char **match, bool *none)
{
	struct match_build b = { .st = st };
	char *folded = NULL;
	int rc;

	*match = NULL;
	*none = false;
	if ((rc = coso_text_fold(q, &folded)) < 0)
		return rc;
	coso_text_each_word(folded, mb_word, &b);
	free(folded);
	if (b.rc < 0 || b.none) {
		free(b.s);
		*none = b.none && b.rc == 0;
		return b.rc;
	}
	*match = b.s; /* NULL: no word */
	return 0;
}
