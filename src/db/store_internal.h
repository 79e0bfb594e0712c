/*
 * store_internal.h: what the files of the SQLite engine share (src/db only).
 */
#ifndef COSO_DB_STORE_INTERNAL_H
#define COSO_DB_STORE_INTERNAL_H

#include <sqlite3.h>

#include "db/store.h"

#define COSO_KEPT_MAX 24

struct coso_store {
	sqlite3 *db;
	/* the load in progress */
	coso_file load_file;
	bool load_fresh;          /* the table was empty: nothing to replace */
	sqlite3_stmt *ins;        /* insert a row */
	sqlite3_stmt *seen;       /* remember a key of this load */
	sqlite3_stmt *del;        /* remove the stored rows of a key */
	bool fresh[COSO_FILE_MAX]; /* per file: loaded into an empty table */
	bool loaded[COSO_FILE_MAX];
	/* secondary indexes dropped while a fresh table loads, rebuilt at its end */
	char **deferred_indexes;
	size_t n_deferred;
	/* coso_store_bulk: sorts on worker threads */
	bool bulk;
	/* the step tables must be rebuilt whole (a first load) */
	bool summary_all;
	/* marking keys for the step tables, prepared once (store_summary.c) */
	sqlite3_stmt *mark_member_q, *mark_code_q;
	/* the audit log (store_audit.c): who acts on this connection, ... */
	struct coso_audit_state *audit;
	/* reads limited to a user's scope (store_auth.c, coso_store_set_access):
	 * the temp.access_* tables, and what they were built for */
	bool access_limited;
	char access_key[192];
	/* temp.access_member (store_api.c): the members the limited reader may
	 * see, by search number, built for this access_key ("" when not built) */
	char access_member_key[192];
	/* statements kept prepared for the connection (coso_db_kept) */
	struct coso_kept {
		char *sql;
		sqlite3_stmt *q;
		bool lent;
		unsigned long used;
	} kept[COSO_KEPT_MAX];
	unsigned long kept_clock;
};

/* coso_collator_free for a void pointer: the destructor of the collator a
 * connection's collation or SQL function owns. */
void coso_db_free_collator(void *coll);

/* Runs sql, a CREATE INDEX on a table just loaded, with sorted runs of 8 MB
 * on a bulk connection (coso_store_bulk): runs that fit the CPU's caches
 * sort several times faster, side by side on the worker threads, than the
 * page cache's size (64 MB) sorted in one. */
int coso_db_build_index(coso_store *st, const char *sql);

/* A statement of `sql` kept prepared by the connection, for work done once a
 * row (the registers' loaders): prepared the first time, then reused. It is
 * lent until coso_db_give_back(), which resets it and clears its bindings;
 * never finalize it. The least recently used statement not lent makes room
 * for a new one. Returns 0 or a negative coso_rc. */
int coso_db_kept(coso_store *st, const char *sql, sqlite3_stmt **out);
void coso_db_give_back(coso_store *st, sqlite3_stmt *q);

/* Records sqlite3_errmsg as the last error, prefixed by `what`; returns COSO_EIO. */
int coso_db_error(coso_store *st, const char *what);
/* A period in words for messages ("from 2016-01-01 to 2018-05-22", "always",
 * "until ...", "from ... on"); also the SQL function per(). */
void coso_db_period_text(char *buf, size_t n, coso_day from, coso_day to);
/* Runs SQL without results; 0 or COSO_EIO. */
int coso_db_exec(coso_store *st, const char *sql);
/* Prepares one statement; 0 or COSO_EIO. */
int coso_db_prepare(coso_store *st, const char *sql, sqlite3_stmt **out);
/* Forgets indexes set aside by a load (after a rollback restored them). */
void coso_db_forget_deferred(coso_store *st);
/* Finalizes the statements of a load in progress. */
void coso_db_load_finalize(coso_store *st);

/* The full-text query (member_fts MATCH) of search text q (store_search.c):
 * each word of q, folded, as the words of the registry it begins ("ngu" ->
 * ("ngu" OR "nguyen" OR ...)), or as a prefix ("ng"*) when it is short,
 * begins with a digit or begins too many words. *match is malloc'd, NULL
 * when q has no word (no filter); *none is true when a word of q begins no
 * word of the registry (nothing matches). Returns 0 or a negative coso_rc. */
int coso_db_search_match(coso_store *st, const char *q, char **match, bool *none);

/* Frees what the audit log keeps per connection (store_audit.c); accepts NULL. */
void coso_audit_state_free(struct coso_audit_state *a);

/* Step tables (store_summary.c). Marks the organizations and villages of a
 * member's periods as needing new steps. */
int coso_store_mark_member(coso_store *st, const char *member_id);
/* Marks one organization (kind 0) or village (kind 1) code. */
int coso_store_mark_code(coso_store *st, int kind, const char *code);
/* The next refresh rebuilds every step. */
void coso_store_mark_all(coso_store *st);
/* Whether reports may use the steps (they are complete and COSO_PLAIN is not set). */
bool coso_store_summaries_ready(coso_store *st);
/* COSO_PLAIN is set: reports take their plain queries (the tests compare). */
bool coso_plain_path(void);

/* temp.r_porg (code): a superset of the organizations under `scope` on some
 * day of [from, to], for the period reports (store_report.c). */
int coso_db_period_orgs(coso_store *st, const char *scope, coso_day from, coso_day to);

/* The admissions of [?1, ?2]: the org of the period covering admitted_on
 * (also the admissions series of store_api.c).
 * Scoped, from the candidate organizations of temp.r_porg (see
 * coso_db_period_orgs): their periods, then the members. */
#define ADM_ALL \
	" SELECT m.id AS eid, m.admitted_on AS day, p.org_code AS org" \
	" FROM member m JOIN member_period p ON p.member_id = m.id" \
	"  AND p.valid_from <= m.admitted_on AND m.admitted_on < p.valid_to" \
	" WHERE m.admitted_on BETWEEN ?1 AND ?2"
#define ADM_SCOPED \
	" SELECT m.id AS eid, m.admitted_on AS day, p.org_code AS org" \
	" FROM temp.r_porg r CROSS JOIN member_period p ON p.org_code = r.code AND p.valid_from <= ?2 AND p.valid_to > ?1" \
	" JOIN member m ON m.id = p.member_id AND p.valid_from <= m.admitted_on AND m.admitted_on < p.valid_to" \
	" WHERE m.admitted_on BETWEEN ?1 AND ?2"


#endif
