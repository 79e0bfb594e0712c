/*
 * store_audit.c: the hash-chained audit log and the online backup
 * (db/store_audit.h, docs/DURABILITY.md).
 *
 * An entry is appended inside the transaction of the change it records, so
 * the change and its entry are committed together or not at all. The
 * chain's head (audit_head) is read and moved in that transaction too; since
 * a write transaction holds SQLite's one write lock (BEGIN IMMEDIATE), seqs
 * are given out one at a time with no gap, whatever the number of
 * connections.
 */
#include "db/store_audit.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/store_internal.h"
#include "util/date.h"
#include "util/error.h"

#define HASH_BYTES crypto_hash_sha256_BYTES

/* What the audit log keeps per connection. */
struct coso_audit_state {
	char *actor, *remote;
	/* an import's row counts before it loads (coso_store_audit_import_begin) */
	long long counts[COSO_FILE_MAX];
	bool counted;
};

void coso_audit_state_free(struct coso_audit_state *a)
{
	if (!a)
		return;
	free(a->actor);
	free(a->remote);
	free(a);
}

static struct coso_audit_state *state_of(coso_store *st)
{
	if (!st->audit)
		st->audit = calloc(1, sizeof(*st->audit));
	return st->audit;
}

static int sodium_ready(void)
{
	/* 0: initialized now, 1: already; thread-safe */
	if (sodium_init() < 0)
		return coso_error_set(COSO_ERR, "audit: cannot initialize libsodium");
	return 0;
}

int coso_store_version(coso_store *st, long long *out)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*out = 0;
	if ((rc = coso_db_prepare(st, "SELECT seq FROM audit_head WHERE one = 1", &q)) < 0)
		return rc;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(q, 0);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : coso_db_error(st, "read");
	sqlite3_finalize(q);
	return rc;
}

int coso_store_set_actor(coso_store *st, const char *user, const char *remote)
{
	struct coso_audit_state *a = state_of(st);
	char *u = NULL, *r = NULL;

	if (!a)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	if ((user && !(u = strdup(user))) || (remote && !(r = strdup(remote)))) {
		free(u);
		return coso_error_set(COSO_ENOMEM, "out of memory");
	}
	free(a->actor);
	free(a->remote);
	a->actor = u;
	a->remote = r;
	return 0;
}

/* ---- the hash of an entry ----------------------------------------------------- */

/* F(text): 0x00 for NULL, else 0x01, the length (8 bytes, big-endian), the bytes. */
static void hash_field(crypto_hash_sha256_state *h, const char *s, size_t n)
{
	unsigned char head[9];

	if (!s) {
		head[0] = 0;
		crypto_hash_sha256_update(h, head, 1);
		return;
	}
	head[0] = 1;
	for (int i = 0; i < 8; i++)
		head[1 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
	crypto_hash_sha256_update(h, head, sizeof(head));
	crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

/* The fields of an entry other than its hashes, in the chain's order: seq
 * (in decimal), at, actor, remote, action, record_kind, record_key, before,
 * after. NULL fields are NULL. */
enum { F_SEQ, F_AT, F_ACTOR, F_REMOTE, F_ACTION, F_KIND, F_KEY, F_BEFORE, F_AFTER, F_N };

struct fields {
	const char *v[F_N];
	size_t n[F_N];
};

static void entry_hash(const unsigned char prev[HASH_BYTES], const struct fields *f, unsigned char out[HASH_BYTES])
{
	crypto_hash_sha256_state h;

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, prev, HASH_BYTES);
	for (int i = 0; i < F_N; i++)
		hash_field(&h, f->v[i], f->n[i]);
	crypto_hash_sha256_final(&h, out);
}

static void field_set(struct fields *f, int i, const char *s)
{
	f->v[i] = s;
	f->n[i] = s ? strlen(s) : 0;
}

static void to_hex(char *out, const unsigned char *v, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[v[i] >> 4];
		out[2 * i + 1] = digits[v[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Now, in UTC, to the millisecond: 2025-01-31T08:15:00.123Z. */
static void now_utc(char buf[40])
{
	struct timespec ts;
	struct tm tm;
	char day[24];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, 40, "%s.%03dZ", day, (int)(ts.tv_nsec / 1000000L) % 1000);
}

/* ---- appending ------------------------------------------------------------------ */

static void bind_opt(sqlite3_stmt *q, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

int coso_store_audit_append(coso_store *st, const char *action, const char *kind, const char *key,
			    const char *before, const char *after)
{
	struct coso_audit_state *a = state_of(st);
	sqlite3_stmt *q = NULL;
	unsigned char prev[HASH_BYTES] = { 0 }, hash[HASH_BYTES];
	char at[40], seq_text[32];
	struct fields f;
	long long seq = 0;
	int rc;

	if (!a)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	if (sqlite3_get_autocommit(st->db))
		return coso_error_set(COSO_ERR, "audit: an entry is appended inside the change's transaction");
	if ((rc = sodium_ready()) < 0)
		return rc;
	if ((rc = coso_db_prepare(st, "SELECT seq, hash FROM audit_head WHERE one = 1", &q)) < 0)
		return rc;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_bytes(q, 1) != HASH_BYTES) {
			sqlite3_finalize(q);
			return coso_error_set(COSO_EIO, "audit: the log's head is damaged (coso audit verify tells more)");
		}
		seq = sqlite3_column_int64(q, 0);
		memcpy(prev, sqlite3_column_blob(q, 1), HASH_BYTES);
	} else if (rc != SQLITE_DONE) {
		rc = coso_db_error(st, "audit");
		sqlite3_finalize(q);
		return rc;
	}
	sqlite3_finalize(q);
	q = NULL;
	now_utc(at);
	seq++;
	snprintf(seq_text, sizeof(seq_text), "%lld", seq);
	field_set(&f, F_SEQ, seq_text);
	field_set(&f, F_AT, at);
	field_set(&f, F_ACTOR, a->actor);
	field_set(&f, F_REMOTE, a->remote);
	field_set(&f, F_ACTION, action);
	field_set(&f, F_KIND, kind);
	field_set(&f, F_KEY, key);
	field_set(&f, F_BEFORE, before);
	field_set(&f, F_AFTER, after);
	entry_hash(prev, &f, hash);
	if ((rc = coso_db_prepare(st, "INSERT INTO audit_log (seq, at, actor, remote, action, record_kind, record_key,"
				  " before, after, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
				  &q)) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, seq);
	sqlite3_bind_text(q, 2, at, -1, SQLITE_STATIC);
	bind_opt(q, 3, a->actor);
	bind_opt(q, 4, a->remote);
	bind_opt(q, 5, action);
	bind_opt(q, 6, kind);
	bind_opt(q, 7, key);
	bind_opt(q, 8, before);
	bind_opt(q, 9, after);
	sqlite3_bind_blob(q, 10, prev, HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(q, 11, hash, HASH_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : coso_db_error(st, "audit: cannot append to the log");
	sqlite3_finalize(q);
	q = NULL;
	if (rc < 0)
		return rc;
	/* the head moves (the first entry creates it; no upsert: the schema's
	 * triggers check an insert and an update each by their own rule) */
	if ((rc = coso_db_prepare(st, seq == 1 ? "INSERT INTO audit_head (one, seq, hash) VALUES (1, ?1, ?2)"
					       : "UPDATE audit_head SET seq = ?1, hash = ?2 WHERE one = 1", &q)) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, seq);
	sqlite3_bind_blob(q, 2, hash, HASH_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE && sqlite3_changes(st->db) == 1
		? 0 : coso_db_error(st, "audit: cannot move the log's head");
	sqlite3_finalize(q);
	return rc;
}

/* The connection's PRAGMA synchronous (0..3), or -1. */
static int synchronous(coso_store *st)
{
	sqlite3_stmt *q = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA synchronous", -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return v;
}

int coso_store_audit_read(coso_store *st, const char *kind, const char *key)
{
	char action[64], restore[48];
	int rc, sync;

	if (!sqlite3_get_autocommit(st->db))
		return coso_error_set(COSO_ERR, "audit: a read is logged outside any transaction");
	snprintf(action, sizeof(action), "%s.read", kind);
	/* A read's entry is committed without syncing the WAL (synchronous
	 * NORMAL for this commit only): a killed process loses nothing, a power
	 * loss may lose the read entries made since the last write's sync. The
	 * WAL is a sequence, so what is lost is the end of the log, never a
	 * piece of it, and the chain stays whole. It saves an fsync per read
	 * (about 3 ms of the 4 ms of a profile read here; docs/DURABILITY.md). */
	sync = synchronous(st);
	if (sync > 1 && (rc = coso_db_exec(st, "PRAGMA synchronous = NORMAL")) < 0)
		return rc;
	if ((rc = coso_db_exec(st, "BEGIN IMMEDIATE")) == 0) {
		rc = coso_store_audit_append(st, action, kind, key, NULL, NULL);
		if (rc == 0)
			rc = coso_db_exec(st, "COMMIT");
		if (rc < 0 && !sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	}
	if (sync > 1) {
		snprintf(restore, sizeof(restore), "PRAGMA synchronous = %d", sync);
		if (sqlite3_exec(st->db, restore, NULL, NULL, NULL) != SQLITE_OK && rc == 0)
			rc = coso_db_error(st, "audit: cannot restore PRAGMA synchronous");
	}
	return rc;
}

/* ---- snapshots of records ------------------------------------------------------- */

/* A day column as JSON: "YYYY-MM-DD", or null for an open end. */
#define DAY(c) "CASE WHEN " c " <= -10000000 OR " c " >= 10000000 THEN NULL ELSE d(" c ") END"

static const struct snapshot_sql {
	const char *kind;
	const char *sql;  /* ?1 the key -> one row, one column: the JSON, or no row / NULL */
} snapshots[] = {
	{ "member",
	  "SELECT json_object('id', m.id, 'full_name', m.full_name, 'gender', m.gender,"
	  " 'birth_date', " DAY("m.birth_date") ", 'ethnicity', m.ethnicity,"
	  " 'admitted_on', " DAY("m.admitted_on") ", 'official_on', " DAY("m.official_on") ","
	  " 'ended_on', " DAY("m.ended_on") ", 'end_reason', m.end_reason,"
	  " 'periods', (SELECT json_group_array(json_object('valid_from', " DAY("p.valid_from") ","
	  "   'valid_to', " DAY("p.valid_to") ", 'org_code', p.org_code, 'residence_code', p.residence_code))"
	  "   FROM (SELECT * FROM member_period WHERE member_id = m.id ORDER BY valid_from) p))"
	  " FROM member m WHERE m.id = ?1" },
	{ "unit",
	  "SELECT json_object('code', ?1, 'rows', json_group_array(json_object("
	  " 'valid_from', " DAY("r.valid_from") ", 'valid_to', " DAY("r.valid_to") ", 'name', r.name,"
	  " 'level', lvl(r.level), 'kind', r.kind, 'parent_code', r.parent_code, 'border', r.border,"
	  " 'difficult', r.difficult, 'population', r.population)))"
	  " FROM (SELECT * FROM unit_row WHERE code = ?1 ORDER BY valid_from) r HAVING count(*) > 0" },
	{ "org",
	  "SELECT json_object('code', ?1, 'rows', json_group_array(json_object("
	  " 'valid_from', " DAY("r.valid_from") ", 'valid_to', " DAY("r.valid_to") ", 'name', r.name,"
	  " 'kind', r.kind, 'grassroots', r.grassroots, 'parent_code', r.parent_code, 'site_unit', r.site_unit,"
	  " 'site_institution', r.site_institution)))"
	  " FROM (SELECT * FROM org_row WHERE code = ?1 ORDER BY valid_from) r HAVING count(*) > 0" },
	{ "institution",
	  "SELECT json_object('code', code, 'name', name, 'kind', kind, 'unit_code', unit_code,"
	  " 'valid_from', " DAY("valid_from") ", 'valid_to', " DAY("valid_to") ")"
	  " FROM institution WHERE code = ?1" },
};

int coso_store_audit_snapshot(coso_store *st, const char *kind, const char *key, char **out)
{
	const struct snapshot_sql *s = NULL;
	sqlite3_stmt *q = NULL;
	int rc;

	*out = NULL;
	for (size_t i = 0; i < sizeof(snapshots) / sizeof(snapshots[0]); i++)
		if (strcmp(snapshots[i].kind, kind) == 0)
			s = &snapshots[i];
	if (!s)
		return coso_error_set(COSO_ERR, "audit: no snapshot of records of kind '%s'", kind);
	if (!key)
		return 0;
	if ((rc = coso_db_prepare(st, s->sql, &q)) < 0)
		return rc;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
		*out = strdup((const char *)sqlite3_column_text(q, 0));
		rc = *out ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
	} else {
		rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : coso_db_error(st, "audit: cannot read the record");
	}
	sqlite3_finalize(q);
	return rc;
}

/* ---- imports ---------------------------------------------------------------------- */

struct coso_digest_job {
	pthread_t thread;
	int fd;
	int err;         /* errno of a failed read, or 0 */
	long long size;
	unsigned char digest[HASH_BYTES];
};

static void *digest_thread(void *arg)
{
	coso_digest_job *job = arg;
	crypto_hash_sha256_state h;
	unsigned char buf[64 * 1024];
	ssize_t n;

	crypto_hash_sha256_init(&h);
	for (;;) {
		n = pread(job->fd, buf, sizeof(buf), (off_t)job->size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
		job->size += n;
	}
	if (n < 0)
		job->err = errno;
	crypto_hash_sha256_final(&h, job->digest);
	return NULL;
}

int coso_audit_digest_start(coso_digest_job **out, int fd)
{
	coso_digest_job *job;
	int rc;

	*out = NULL;
	if ((rc = sodium_ready()) < 0)
		return rc;
	if (!(job = calloc(1, sizeof(*job))))
		return coso_error_set(COSO_ENOMEM, "out of memory");
	job->fd = fd;
	if ((rc = pthread_create(&job->thread, NULL, digest_thread, job)) != 0) {
		free(job);
		return coso_error_set(COSO_ERR, "cannot start a thread to take the file's digest: %s", strerror(rc));
	}
	*out = job;
	return 0;
}

int coso_audit_digest_finish(coso_digest_job *job, char hex[COSO_SHA256_HEX], long long *size)
{
	int rc = 0;

	if (!job)
		return coso_error_set(COSO_EINVALID, "no digest was started");
	pthread_join(job->thread, NULL);
	if (job->err)
		rc = coso_error_set(COSO_EIO, "cannot read the file to take its digest: %s", strerror(job->err));
	to_hex(hex, job->digest, sizeof(job->digest));
	if (size)
		*size = job->size;
	free(job);
	return rc;
}

static const char *const table_of[COSO_FILE_MAX] = {
	[COSO_FILE_UNITS] = "unit_row",
	[COSO_FILE_INSTITUTIONS] = "institution",
	[COSO_FILE_ORGS] = "org_row",
	[COSO_FILE_MEMBERS] = "member",
	[COSO_FILE_MEMBER_PERIODS] = "member_period",
};

static int count_rows(coso_store *st, long long counts[COSO_FILE_MAX])
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = coso_db_prepare(st, "SELECT (SELECT count(*) FROM unit_row), (SELECT count(*) FROM institution),"
				  " (SELECT count(*) FROM org_row), (SELECT count(*) FROM member),"
				  " (SELECT count(*) FROM member_period)", &q)) < 0)
		return rc;
	if (sqlite3_step(q) == SQLITE_ROW) {
		counts[COSO_FILE_UNITS] = sqlite3_column_int64(q, 0);
		counts[COSO_FILE_INSTITUTIONS] = sqlite3_column_int64(q, 1);
		counts[COSO_FILE_ORGS] = sqlite3_column_int64(q, 2);
		counts[COSO_FILE_MEMBERS] = sqlite3_column_int64(q, 3);
		counts[COSO_FILE_MEMBER_PERIODS] = sqlite3_column_int64(q, 4);
		rc = 0;
	} else {
		rc = coso_db_error(st, "audit: cannot count the rows");
	}
	sqlite3_finalize(q);
	return rc;
}

/* {"unit_row": n, ...} */
static json_t *counts_json(const long long counts[COSO_FILE_MAX])
{
	json_t *o = json_object();

	for (int f = 0; o && f < COSO_FILE_MAX; f++)
		if (json_object_set_new(o, table_of[f], json_integer(counts[f])) < 0) {
			json_decref(o);
			o = NULL;
		}
	return o;
}

int coso_store_audit_import_begin(coso_store *st)
{
	struct coso_audit_state *a = state_of(st);
	int rc;

	if (!a)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	a->counted = false;
	if ((rc = count_rows(st, a->counts)) < 0)
		return rc;
	a->counted = true;
	return 0;
}

/* dir made absolute with the working folder (malloc'd; NULL when that fails). */
static char *absolute(const char *dir)
{
	char cwd[4096], *out;
	size_t n;

	if (dir[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return strdup(dir);
	n = strlen(cwd) + strlen(dir) + 2;
	if ((out = malloc(n)))
		snprintf(out, n, "%s/%s", cwd, dir);
	return out;
}

int coso_store_audit_import_end(coso_store *st, const char *dir, const coso_audit_file *files, size_t n)
{
	struct coso_audit_state *a = state_of(st);
	long long after_counts[COSO_FILE_MAX];
	json_t *before = NULL, *after = NULL, *list = NULL;
	char *before_s = NULL, *after_s = NULL, *full = NULL;
	int rc;

	if (!a || !a->counted)
		return coso_error_set(COSO_ERR, "audit: coso_store_audit_import_begin was not called");
	if ((rc = count_rows(st, after_counts)) < 0)
		return rc;
	rc = COSO_ENOMEM;
	full = absolute(dir);
	if (!(list = json_array()))
		goto done;
	for (size_t i = 0; i < n; i++)
		if (json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:I}", "name", files[i].name, "sha256",
							  files[i].sha256, "bytes", (json_int_t)files[i].bytes,
							  "rows", (json_int_t)files[i].rows)) < 0)
			goto done;
	before = json_pack("{s:o}", "rows", counts_json(a->counts));
	after = json_pack("{s:s, s:O, s:o}", "folder", full ? full : dir, "files", list, "rows",
			  counts_json(after_counts));
	if (!before || !after)
		goto done;
	before_s = json_dumps(before, JSON_COMPACT);
	after_s = json_dumps(after, JSON_COMPACT);
	if (!before_s || !after_s)
		goto done;
	rc = coso_store_audit_append(st, "import", "registry", dir, before_s, after_s);
done:
	if (rc == COSO_ENOMEM)
		coso_error_set(COSO_ENOMEM, "out of memory");
	a->counted = false;
	free(full);
	free(before_s);
	free(after_s);
	json_decref(list);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* ---- reading the log -------------------------------------------------------------- */

#define ENTRY_COLUMNS "seq, at, actor, remote, action, record_kind, record_key, before, after, prev_hash, hash"

static const char *col_text(sqlite3_stmt *q, int i)
{
	return (const char *)sqlite3_column_text(q, i);
}

/* The entry of the current row (columns ENTRY_COLUMNS); hashes NULL when they
 * are not 32 bytes. */
static void entry_from(sqlite3_stmt *q, coso_audit_entry *e)
{
	e->seq = sqlite3_column_int64(q, 0);
	e->at = col_text(q, 1);
	e->actor = col_text(q, 2);
	e->remote = col_text(q, 3);
	e->action = col_text(q, 4);
	e->record_kind = col_text(q, 5);
	e->record_key = col_text(q, 6);
	e->before = col_text(q, 7);
	e->after = col_text(q, 8);
	e->prev_hash = sqlite3_column_bytes(q, 9) == HASH_BYTES ? sqlite3_column_blob(q, 9) : NULL;
	e->hash = sqlite3_column_bytes(q, 10) == HASH_BYTES ? sqlite3_column_blob(q, 10) : NULL;
}

int coso_store_audit_each(coso_store *st, const coso_audit_filter *f, coso_audit_fn fn, void *ctx)
{
	char sql[512], to_next[COSO_DATE_BUFSZ];
	sqlite3_stmt *q = NULL;
	size_t used;
	int rc;

	to_next[0] = '\0';
	if (f->to) {
		coso_day d;

		if (coso_date_parse(&d, f->to, strlen(f->to)) < 0)
			return coso_error_set(COSO_EINVALID, "'%s' is not a date (YYYY-MM-DD)", f->to);
		coso_date_format(to_next, d + 1);
	}
	if (f->from) {
		coso_day d;

		if (coso_date_parse(&d, f->from, strlen(f->from)) < 0)
			return coso_error_set(COSO_EINVALID, "'%s' is not a date (YYYY-MM-DD)", f->from);
	}
	/* fixed fragments only; the values are bound */
	used = (size_t)snprintf(sql, sizeof(sql), "SELECT " ENTRY_COLUMNS " FROM audit_log WHERE 1");
	if (f->actor)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, " AND actor = ?1");
	if (f->record_kind)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, " AND record_kind = ?2");
	if (f->record_kind && f->record_key)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, " AND record_key = ?3");
	if (f->from)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, " AND at >= ?4");
	if (f->to)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used, " AND at < ?5");
	snprintf(sql + used, sizeof(sql) - used, " ORDER BY seq");
	if ((rc = coso_db_prepare(st, sql, &q)) < 0)
		return rc;
	bind_opt(q, 1, f->actor);
	bind_opt(q, 2, f->record_kind);
	bind_opt(q, 3, f->record_key);
	bind_opt(q, 4, f->from);
	bind_opt(q, 5, f->to ? to_next : NULL);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		coso_audit_entry e;

		entry_from(q, &e);
		if ((rc = fn(ctx, &e)) != 0)
			goto done;
	}
	rc = rc == SQLITE_DONE ? 0 : coso_db_error(st, "audit: cannot read the log");
done:
	sqlite3_finalize(q);
	return rc;
}

/* The walk of coso_store_audit_verify over any connection (the store's, or a
 * backup's copy). */
static int verify_db(sqlite3 *db, coso_audit_verdict *out)
{
	sqlite3_stmt *q = NULL;
	unsigned char prev[HASH_BYTES] = { 0 }, hash[HASH_BYTES];
	char seq_text[32];
	long long expect = 1;
	bool own = sqlite3_get_autocommit(db) != 0;
	int rc, intact = 1;

	memset(out, 0, sizeof(*out));
	if (sodium_ready() < 0)
		return COSO_ERR;
	/* one snapshot, so that the head read last agrees with the entries */
	if (own && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return coso_error_set(COSO_EIO, "audit: %s", sqlite3_errmsg(db));
	if (sqlite3_prepare_v2(db, "SELECT " ENTRY_COLUMNS " FROM audit_log ORDER BY seq", -1, &q, NULL) != SQLITE_OK) {
		rc = coso_error_set(COSO_EIO, "audit: cannot read the log: %s", sqlite3_errmsg(db));
		goto done;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		coso_audit_entry e;
		struct fields f;

		entry_from(q, &e);
		out->entries++;
		if (e.seq != expect) {
			out->broken_seq = e.seq > expect ? expect : e.seq;
			if (e.seq > expect && e.seq == expect + 1)
				snprintf(out->problem, sizeof(out->problem), "entry %lld is missing (removed)", expect);
			else if (e.seq > expect)
				snprintf(out->problem, sizeof(out->problem), "entries %lld to %lld are missing (removed)",
					 expect, e.seq - 1);
			else
				snprintf(out->problem, sizeof(out->problem), "entry %lld is out of order", e.seq);
			intact = 0;
			break;
		}
		if (!e.prev_hash || memcmp(e.prev_hash, prev, HASH_BYTES) != 0) {
			out->broken_seq = e.seq;
			snprintf(out->problem, sizeof(out->problem),
				 "entry %lld does not follow entry %lld: the chain is broken there"
				 " (entries removed, reordered or replaced)", e.seq, e.seq - 1);
			intact = 0;
			break;
		}
		/* the stored bytes, whatever their length (a NUL inside counts) */
		snprintf(seq_text, sizeof(seq_text), "%lld", e.seq);
		field_set(&f, F_SEQ, sqlite3_column_type(q, 0) == SQLITE_INTEGER ? seq_text : NULL);
		for (int i = F_AT; i < F_N; i++) {
			f.v[i] = sqlite3_column_type(q, i) == SQLITE_NULL ? NULL : (const char *)sqlite3_column_blob(q, i);
			f.n[i] = (size_t)sqlite3_column_bytes(q, i);
			if (f.v[i] && f.n[i] == 0)
				f.v[i] = "";
		}
		entry_hash(prev, &f, hash);
		if (!e.hash || memcmp(e.hash, hash, HASH_BYTES) != 0) {
			out->broken_seq = e.seq;
			snprintf(out->problem, sizeof(out->problem),
				 "entry %lld was edited: its contents do not match its hash", e.seq);
			intact = 0;
			break;
		}
		memcpy(prev, hash, HASH_BYTES);
		expect++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = coso_error_set(COSO_EIO, "audit: cannot read the log: %s", sqlite3_errmsg(db));
		goto done;
	}
	memcpy(out->head, prev, HASH_BYTES);
	sqlite3_finalize(q);
	q = NULL;
	if (intact) {
		/* the head names the last entry: entries removed at the end show here */
		long long head_seq = 0;
		bool head_ok;

		if (sqlite3_prepare_v2(db, "SELECT seq, hash FROM audit_head WHERE one = 1", -1, &q, NULL) != SQLITE_OK) {
			rc = coso_error_set(COSO_EIO, "audit: cannot read the log's head: %s", sqlite3_errmsg(db));
			goto done;
		}
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			head_seq = sqlite3_column_int64(q, 0);
			head_ok = head_seq == expect - 1 && sqlite3_column_bytes(q, 1) == HASH_BYTES &&
				  memcmp(sqlite3_column_blob(q, 1), prev, HASH_BYTES) == 0;
		} else if (rc == SQLITE_DONE) {
			head_ok = expect == 1;
		} else {
			rc = coso_error_set(COSO_EIO, "audit: cannot read the log's head: %s", sqlite3_errmsg(db));
			goto done;
		}
		if (!head_ok) {
			intact = 0;
			out->broken_seq = expect;
			if (head_seq >= expect)
				snprintf(out->problem, sizeof(out->problem),
					 "the log ends at entry %lld but its head is entry %lld: entries at the end were removed",
					 expect - 1, head_seq);
			else
				snprintf(out->problem, sizeof(out->problem),
					 "the log's head (entry %lld) does not match its last entry (%lld)", head_seq,
					 expect - 1);
		}
	}
	rc = intact;
done:
	sqlite3_finalize(q);
	if (own)
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

int coso_store_audit_verify(coso_store *st, coso_audit_verdict *out)
{
	return verify_db(st->db, out);
}

/* ---- backup ------------------------------------------------------------------------- */

static void remove_side_files(const char *path)
{
	static const char *const sides[] = { "", "-journal", "-wal", "-shm" };
	char buf[4200];

	for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s", path, sides[i]);
		remove(buf);
	}
}

/* fsync of a file or a folder; 0 or COSO_EIO. */
static int sync_path(const char *path, bool dir)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | (dir ? O_DIRECTORY : 0));
	int rc = 0;

	if (fd < 0)
		return coso_error_set(COSO_EIO, "%s: cannot open to sync: %s", path, strerror(errno));
	if (fsync(fd) != 0)
		rc = coso_error_set(COSO_EIO, "%s: cannot sync: %s", path, strerror(errno));
	close(fd);
	return rc;
}

/* The folder of path ("." when none), into buf. */
static void dir_of(char *buf, size_t n, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(buf, n, ".");
	else if (slash == path)
		snprintf(buf, n, "/");
	else
		snprintf(buf, n, "%.*s", (int)(slash - path), path);
}

/* The copy's own checks: SQLite's quick_check, and that it is a rollback
 * journal file (the source is WAL). */
static int check_copy(sqlite3 *db)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = DELETE", -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_step(q) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(q, 0), "delete") != 0) {
		rc = coso_error_set(COSO_EIO, "backup: cannot make the copy a single file: %s", sqlite3_errmsg(db));
		goto done;
	}
	sqlite3_finalize(q);
	q = NULL;
	if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &q, NULL) != SQLITE_OK || sqlite3_step(q) != SQLITE_ROW) {
		rc = coso_error_set(COSO_EIO, "backup: cannot check the copy: %s", sqlite3_errmsg(db));
		goto done;
	}
	if (strcmp((const char *)sqlite3_column_text(q, 0), "ok") != 0) {
		rc = coso_error_set(COSO_EIO, "backup: the copy is damaged: %s", (const char *)sqlite3_column_text(q, 0));
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(q);
	return rc;
}

int coso_store_backup(coso_store *st, const char *path, int pages_per_step, coso_backup_stats *stats)
{
	sqlite3 *dest = NULL;
	sqlite3_backup *b = NULL;
	char *tmp = NULL, dir[4096];
	size_t len = strlen(path) + 5;
	bool reading = false;
	int rc = COSO_EIO, step;

	memset(stats, 0, sizeof(*stats));
	if (pages_per_step <= 0)
		pages_per_step = 1024;
	if (!(tmp = malloc(len)))
		return coso_error_set(COSO_ENOMEM, "out of memory");
	snprintf(tmp, len, "%s.tmp", path);
	remove_side_files(tmp);
	if (sqlite3_open_v2(tmp, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		rc = coso_error_set(COSO_EIO, "%s: cannot create: %s", tmp, dest ? sqlite3_errmsg(dest) : "out of memory");
		goto done;
	}
	/* One read snapshot for the whole copy: in WAL mode writers go on, and the
	 * copy is of one committed state (no restart when they commit). */
	if ((rc = coso_db_exec(st, "BEGIN; SELECT count(*) FROM sqlite_schema")) < 0)
		goto done;
	reading = true;
	b = sqlite3_backup_init(dest, "main", st->db, "main");
	if (!b) {
		rc = coso_error_set(COSO_EIO, "backup: %s", sqlite3_errmsg(dest));
		goto done;
	}
	do {
		step = sqlite3_backup_step(b, pages_per_step);
		stats->steps++;
		if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
			sqlite3_sleep(5);
	} while (step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED);
	stats->pages = sqlite3_backup_pagecount(b);
	if (sqlite3_backup_finish(b) != SQLITE_OK || step != SQLITE_DONE) {
		b = NULL;
		rc = coso_error_set(COSO_EIO, "backup: %s", sqlite3_errmsg(dest));
		goto done;
	}
	b = NULL;
	coso_store_end_read(st);
	reading = false;
	if ((rc = check_copy(dest)) < 0)
		goto done;
	if ((rc = verify_db(dest, &stats->audit)) < 0)
		goto done;
	if (rc == 0) {
		rc = coso_error_set(COSO_EIO, "backup: the copy's audit log is broken at entry %lld: %s",
				    stats->audit.broken_seq, stats->audit.problem);
		goto done;
	}
	{
		sqlite3_stmt *q = NULL;

		if (sqlite3_prepare_v2(dest, "PRAGMA page_size", -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
			stats->page_size = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	if (sqlite3_close(dest) != SQLITE_OK) {
		rc = coso_error_set(COSO_EIO, "backup: cannot close the copy: %s", sqlite3_errmsg(dest));
		goto done;
	}
	dest = NULL;
	if ((rc = sync_path(tmp, false)) < 0)
		goto done;
	if (rename(tmp, path) != 0) {
		rc = coso_error_set(COSO_EIO, "%s: cannot rename to %s: %s", tmp, path, strerror(errno));
		goto done;
	}
	dir_of(dir, sizeof(dir), path);
	rc = sync_path(dir, true);
done:
	if (b)
		sqlite3_backup_finish(b);
	if (reading)
		coso_store_end_read(st);
	if (dest) {
		sqlite3_close_v2(dest);
		remove_side_files(tmp);
	} else if (rc < 0) {
		remove_side_files(tmp);
	}
	free(tmp);
	return rc;
}
