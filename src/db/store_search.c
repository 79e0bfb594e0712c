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
 * neighbours' (found by a binary search on the numbers: no index of the
 * keys is kept), and when none is free, the rows around it are spread out
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
#include "util/timing.h"

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

/* The count a query gives (its one row's first column). */
static int count_of(coso_store *st, const char *sql, long long *out)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*out = 0;
	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = sqlite3_column_int64(q, 0);
		rc = 0;
	} else {
		rc = coso_db_error(st, "search");
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
	return coso_strset_add(ctx, w, n, NULL) < 0 ? -1 : 0;
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

/* member_word made again from the words a full fill gathered (in memory,
 * inserted in one go). */
static int fill_words(coso_store *st, const coso_strset *words)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_exec(st, "DELETE FROM member_word")) < 0 ||
	    (rc = coso_db_prepare(st, "INSERT OR IGNORE INTO member_word (word) VALUES (?1)", &q)) < 0)
		return rc;
	rc = coso_strset_each(words, insert_word, q) != 0 ? coso_db_error(st, "search words") : 0;
	sqlite3_finalize(q);
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

/* The rows of member_search in sort order, numbered `gap` apart, from
 * member in one pass, without sorting the rows themselves: the members are
 * read in id order, each distinct name is made a sort key once (the
 * registry's distinct names are far fewer than its members), the names are
 * sorted by key, and the members are dealt into their name's place (a
 * counting sort, stable: by id within a key, as the index orders them).
 * Names of equal keys share a place, so their members still go by id. */
struct fill {
	coso_strset *names;
	char *ids;                  /* the ids, each NUL-terminated, in id order */
	size_t ids_len, ids_cap;
	/* per member, in one place: the rows are written in name order, so
	 * they are read here in random order, one cache miss a member */
	struct fill_row {
		size_t id_at;       /* where its id starts in ids */
		size_t name;        /* its name's index */
		int id_len;
		coso_day admitted, ended;
	} *row;
	size_t rows, cap;
	unsigned char **key;        /* per name */
	size_t *key_len, *rank;     /* per name */
	char **folded;              /* per name */
};

/* A name's key, for sorting the names. */
struct name_key {
	const unsigned char *key;
	size_t len, name;
};

static int key_cmp(const void *a, const void *b)
{
	const struct name_key *x = a, *y = b;
	int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void fill_free(struct fill *f)
{
	size_t names = f->names ? coso_strset_count(f->names) : 0;

	for (size_t i = 0; i < names; i++) {
		if (f->key)
			free(f->key[i]);
		if (f->folded)
			free(f->folded[i]);
	}
	free(f->key);
	free(f->folded);
	free(f->key_len);
	free(f->rank);
	free(f->row);
	free(f->ids);
	coso_strset_free(f->names);
}

static int fill_grow(struct fill *f)
{
	size_t cap = f->cap ? f->cap * 2 : 4096;
	struct fill_row *row = realloc(f->row, cap * sizeof(*row));

	if (!row)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	f->row = row;
	f->cap = cap;
	return 0;
}

/* Every member, in id order: its id, its name's index, its days. */
static int fill_read(coso_store *st, struct fill *f)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_strset_new(&f->names)) < 0 ||
	    (rc = coso_db_prepare(st, "SELECT id, full_name, admitted_on, ended_on FROM member ORDER BY id", &q)) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		size_t id_len = (size_t)sqlite3_column_bytes(q, 0);

		if (f->rows == f->cap && (rc = fill_grow(f)) < 0)
			break;
		if (f->ids_len + id_len + 1 > f->ids_cap) {
			size_t cap = (f->ids_len + id_len + 1) * 2;
			char *ids = realloc(f->ids, cap);

			if (!ids) {
				rc = coso_error_set(COSO_ENOMEM, "out of memory");
				break;
			}
			f->ids = ids;
			f->ids_cap = cap;
		}
		memcpy(f->ids + f->ids_len, sqlite3_column_text(q, 0), id_len + 1);
		f->row[f->rows].id_at = f->ids_len;
		f->row[f->rows].id_len = (int)id_len;
		f->ids_len += id_len + 1;
		if ((rc = coso_strset_add(f->names, (const char *)sqlite3_column_text(q, 1),
					  (size_t)sqlite3_column_bytes(q, 1), &f->row[f->rows].name)) < 0)
			break;
		f->row[f->rows].admitted = sqlite3_column_int(q, 2);
		f->row[f->rows].ended = sqlite3_column_int(q, 3);
		f->rows++;
	}
	sqlite3_finalize(q);
	if (rc < 0)
		return rc;
	return rc == SQLITE_DONE ? 0 : coso_db_error(st, "search");
}

/* Each name's sort key, folded form, and place in the order of keys (equal
 * keys, one place). */
static int fill_rank(struct fill *f)
{
	size_t names = coso_strset_count(f->names);
	struct name_key *order = NULL;
	coso_collator *coll = NULL;
	int rc;

	if (!(f->key = calloc(names + 1, sizeof(*f->key))) || !(f->folded = calloc(names + 1, sizeof(*f->folded))) ||
	    !(f->key_len = calloc(names + 1, sizeof(size_t))) || !(f->rank = calloc(names + 1, sizeof(size_t))) ||
	    !(order = calloc(names + 1, sizeof(*order))))
		return coso_error_set(COSO_ENOMEM, "out of memory");
	if ((rc = coso_collator_open(&coll)) < 0)
		goto done;
	for (size_t i = 0; i < names && rc == 0; i++) {
		const char *name = coso_strset_at(f->names, i, NULL);

		if ((rc = coso_collator_name_key(coll, name, &f->key[i], &f->key_len[i])) == 0)
			rc = coso_text_fold(name, &f->folded[i]);
		order[i] = (struct name_key){ f->key[i], f->key_len[i], i };
	}
	if (rc < 0)
		goto done;
	qsort(order, names, sizeof(*order), key_cmp);
	for (size_t i = 0, place = 0; i < names; i++) {
		if (i > 0 && key_cmp(&order[i - 1], &order[i]) != 0)
			place++;
		f->rank[order[i].name] = place;
	}
done:
	coso_collator_free(coll);
	free(order);
	return rc;
}

static int fill_rows(coso_store *st, long long gap, int *n, coso_strset *words)
{
	struct fill f = { 0 };
	sqlite3_stmt *ins = NULL;
	size_t *start = NULL, *row_at = NULL, names;
	int rc;

	*n = 0;
	if ((rc = fill_read(st, &f)) < 0 || (rc = fill_rank(&f)) < 0)
		goto done;
	names = coso_strset_count(f.names);
	/* the words of the names, each name once (the ids' below) */
	for (size_t i = 0; i < names; i++)
		if (coso_text_each_word(f.folded[i], add_to_set, words) != 0) {
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
			goto done;
		}
	/* the counting sort: the members of place p from start[p] on, by id */
	if (!(start = calloc(names + 1, sizeof(*start))) || !(row_at = calloc(f.rows + 1, sizeof(*row_at)))) {
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t r = 0; r < f.rows; r++)
		start[f.rank[f.row[r].name] + 1]++;
	for (size_t p = 1; p <= names; p++)
		start[p] += start[p - 1];
	for (size_t r = 0; r < f.rows; r++)
		row_at[start[f.rank[f.row[r].name]]++] = r;
	if ((rc = coso_db_prepare(st, "INSERT INTO member_search (n, id, full_name, folded, ident, sort_key,"
				  " admitted_on, ended_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &ins)) < 0)
		goto done;
	for (size_t i = 0; i < f.rows && rc == 0; i++) {
		const struct fill_row *fr = &f.row[row_at[i]];
		size_t name = fr->name, name_len;
		const char *id = f.ids + fr->id_at, *full = coso_strset_at(f.names, name, &name_len);
		char *ident = NULL;

		if ((rc = coso_text_fold(id, &ident)) < 0)
			break;
		if (coso_text_each_word(ident, add_to_set, words) != 0) {
			free(ident);
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
			break;
		}
		sqlite3_bind_int64(ins, 1, gap * (long long)(i + 1));
		sqlite3_bind_text(ins, 2, id, fr->id_len, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, full, (int)name_len, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, f.folded[name], -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 5, ident, -1, free);
		sqlite3_bind_blob(ins, 6, f.key[name], (int)f.key_len[name], SQLITE_STATIC);
		sqlite3_bind_int(ins, 7, fr->admitted);
		sqlite3_bind_int(ins, 8, fr->ended);
		rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : coso_db_error(st, "search");
		sqlite3_reset(ins);
		(*n)++;
	}
done:
	sqlite3_finalize(ins);
	free(start);
	free(row_at);
	fill_free(&f);
	return rc;
}

/* Rebuilds all of member_search from member: without its triggers and its
 * index of ids, which are made again afterwards (an index built in one
 * sort, and the full-text index rebuilt in one pass, instead of millions of
 * inserts in random order). The rows are numbered in sort order, `gap`
 * apart; the words are gathered on the way. */
static int rebuild_search(coso_store *st, int *n)
{
	struct search_ddl d;
	coso_strset *words = NULL;
	long long members = 0, gap;
	coso_phase t = coso_phase_start();
	int rc;

	*n = 0;
	if ((rc = count_of(st, "SELECT count(*) FROM member", &members)) < 0)
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
	if (rc == 0)
		rc = coso_strset_new(&words);
	if (rc == 0)
		rc = fill_rows(st, gap, n, words);
	coso_phase_done("search: rows", &t);
	for (int i = 0; i < d.n && rc == 0; i++)
		rc = coso_db_build_index(st, d.sql[i]);
	search_ddl_free(&d);
	coso_phase_done("search: indexes", &t);
	/* The full-text index is written as many small segments, not merged on
	 * the way (automerge 0; crisismerge at its ceiling, 1999 segments), and
	 * then merged into one: a query term is looked up once, not once a
	 * segment (5 s at national scale). Merging as it goes rewrote every
	 * posting several times: 40% of the rebuild's time. The defaults come
	 * back for the inserts of later writes. */
	if (rc == 0)
		rc = coso_db_exec(st, "INSERT INTO member_fts (member_fts, rank) VALUES ('automerge', 0);"
				      "INSERT INTO member_fts (member_fts, rank) VALUES ('crisismerge', 1999);"
				      "INSERT INTO member_fts (member_fts) VALUES ('rebuild')");
	coso_phase_done("search: full text", &t);
	if (rc == 0)
		rc = coso_db_exec(st, "INSERT INTO member_fts (member_fts) VALUES ('optimize');"
				      "INSERT INTO member_fts (member_fts, rank) VALUES ('automerge', 4);"
				      "INSERT INTO member_fts (member_fts, rank) VALUES ('crisismerge', 16)");
	coso_phase_done("search: optimize", &t);
	if (rc == 0)
		rc = fill_words(st, words);
	coso_strset_free(words);
	coso_phase_done("search: words", &t);
	if (rc == 0)
		rc = meta_set(st, "numbering", NUMBERING);
	return rc;
}

/* ---- one member ----------------------------------------------------------------- */

/* The sort order of two search rows: sort key, then id (BINARY: bytes). */
static int row_cmp(const void *ka, int kalen, const char *ida, const void *kb, int kblen, const char *idb)
{
	int c = memcmp(ka, kb, (size_t)(kalen < kblen ? kalen : kblen));

	if (c == 0)
		c = (kalen > kblen) - (kalen < kblen);
	return c ? c : strcmp(ida, idb);
}

/* The numbers of the rows just before and just after key (k, id) in sort
 * order (0 and SEARCH_MAX_N + 1 when there is none): a binary search on
 * the numbers, which follow the order, reading one row by number a step
 * (no index of the keys is needed). Invariants: `lo` is a row before the
 * key (or 0), `hi` a row after it (or the end), no row lies in [lim, hi),
 * and each step halves (lo, lim). */
static int neighbours(coso_store *st, const void *k, int klen, const char *id, long long *before, long long *after)
{
	sqlite3_stmt *q = NULL;
	long long lo = 0, hi = SEARCH_MAX_N + 1, lim = hi;
	int rc;

	if ((rc = coso_db_kept(st, "SELECT n, sort_key, id FROM member_search WHERE n >= ?1 AND n < ?2"
			       " ORDER BY n LIMIT 1", &q)) < 0)
		return rc;
	while (lim - lo > 1) {
		long long mid = lo + (lim - lo) / 2;

		sqlite3_bind_int64(q, 1, mid);
		sqlite3_bind_int64(q, 2, lim);
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			long long n = sqlite3_column_int64(q, 0);

			if (row_cmp(sqlite3_column_blob(q, 1), sqlite3_column_bytes(q, 1),
				    (const char *)sqlite3_column_text(q, 2), k, klen, id) < 0) {
				lo = n;
			} else {
				hi = n;
				lim = mid;
			}
		} else if (rc == SQLITE_DONE) {
			lim = mid;
		} else {
			break;
		}
		sqlite3_reset(q);
		rc = 0;
	}
	coso_db_give_back(st, q);
	if (rc != 0)
		return coso_db_error(st, "search");
	*before = lo;
	*after = hi;
	return 0;
}

/* Up to `max` rows from number `from` on (down, when `down`), nearest first. */
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

static int side_read(coso_store *st, bool down, long long from, int max, struct side *out)
{
	sqlite3_stmt *q = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(out->id = calloc((size_t)max, sizeof(*out->id))) || !(out->n = calloc((size_t)max, sizeof(*out->n)))) {
		side_free(out);
		return coso_error_set(COSO_ENOMEM, "out of memory");
	}
	rc = coso_db_prepare(st, down ? "SELECT id, n FROM member_search WHERE n <= ?1 ORDER BY n DESC LIMIT ?2"
				      : "SELECT id, n FROM member_search WHERE n >= ?1 ORDER BY n LIMIT ?2", &q);
	if (rc < 0) {
		side_free(out);
		return rc;
	}
	sqlite3_bind_int64(q, 1, from);
	sqlite3_bind_int(q, 2, max);
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
	long long prev = 0, next = 0;
	int rc;

	if ((rc = neighbours(st, k, klen, id, &prev, &next)) < 0)
		return rc;
	if (next - prev >= 2) {
		if (next == SEARCH_MAX_N + 1 && prev <= SEARCH_MAX_N - SEARCH_GAP)
			*out = prev + SEARCH_GAP;
		else if (prev == 0 && next > SEARCH_GAP + 1)
			*out = next - SEARCH_GAP;
		else
			*out = prev + (next - prev) / 2;
		return 0;
	}
	for (int r = 4; r <= (1 << 24); r *= 4) {
		struct side lo = { 0 }, hi = { 0 };
		long long bot, top, step;
		int moved_lo, moved_hi;

		/* r rows each side (all there are when fewer), and the bound
		 * beyond them */
		if (prev > 0 && (rc = side_read(st, true, prev, r + 1, &lo)) < 0)
			return rc;
		if (next <= SEARCH_MAX_N && (rc = side_read(st, false, next, r + 1, &hi)) < 0) {
			side_free(&lo);
			return rc;
		}
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
	int rc;

	*n = 0;
	if ((rc = count_of(st, "SELECT count(*) FROM member_search WHERE " STALE, &stale)) < 0 ||
	    (rc = count_of(st, "SELECT count(*) FROM member m"
			      " WHERE NOT EXISTS (SELECT 1 FROM member_search s WHERE s.id = m.id)", &missing)) < 0 ||
	    (rc = count_of(st, "SELECT count(*) FROM member", &total)) < 0)
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
				       sql_vn_name_key, NULL, NULL, coso_db_free_collator) != SQLITE_OK ||
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
	return count_of(st,
		"SELECT count(*) FROM (SELECT n, lead(n) OVER (ORDER BY sort_key, id) AS next FROM member_search)"
		" WHERE next <= n", out_of_order);
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
