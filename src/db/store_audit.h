/*
 * store_audit.h: the audit log and the online backup (docs/DURABILITY.md).
 *
 * Every change to the registry appends one entry to audit_log in the same
 * transaction as the change: when, who and from where (the actor set on the
 * connection), what (an action such as "member.transfer" and the record's
 * kind and key), and the record before and after as JSON. Entries are
 * hash-chained: entry n stores prev_hash = hash of entry n-1 (32 zero bytes
 * for the first) and
 *
 *     hash = SHA-256(prev_hash || F(seq) || F(at) || F(actor) || F(remote)
 *                    || F(action) || F(record_kind) || F(record_key)
 *                    || F(before) || F(after))
 *
 * where F(NULL) is the byte 0x00 and F(text) is the byte 0x01, the text's
 * length in bytes as 8 bytes big-endian, and the text (seq in decimal).
 * audit_head keeps the last entry's seq and hash, so that removing entries at
 * the end is seen too. Triggers refuse UPDATE and DELETE on the log; a change
 * made by another tool is what coso_store_audit_verify() finds.
 *
 * Functions return 0 (or what they say) or a negative coso_rc with a message
 * in the error slot, as everywhere in src/db.
 */
#ifndef COSO_DB_STORE_AUDIT_H
#define COSO_DB_STORE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "db/store.h"

#define COSO_SHA256_HEX 65   /* 64 hex digits and the NUL */

/* Who acts on this connection from now on: a user name and where the request
 * comes from (an IP address, or "local" for the command line). NULL records
 * NULL (an unauthenticated request). Both are copied. */
int coso_store_set_actor(coso_store *st, const char *user, const char *remote);

/* The version of the database's content: the audit log's last entry (every
 * change appends one in its own transaction), 0 before any. For caches of
 * answers (http/cache.h). */
int coso_store_version(coso_store *st, long long *out);

/* Appends an entry, inside the open write transaction (the change's own).
 * kind, key, before and after may be NULL; before and after are JSON text. */
int coso_store_audit_append(coso_store *st, const char *action, const char *kind, const char *key,
			    const char *before, const char *after);

/* The stored rows of one record as JSON text, for an entry's before/after:
 * kind is "member" (with its periods), "unit", "org" (every row of the code,
 * oldest first) or "institution". *out is NULL when the record does not
 * exist, else malloc'd (free()). */
int coso_store_audit_snapshot(coso_store *st, const char *kind, const char *key, char **out);

/* Records that the full record kind:key was read (action "<kind>.read"), in
 * its own small write transaction: call it outside any transaction, after
 * the read. Readers on other connections are never blocked by it (WAL);
 * another writer makes it wait up to the busy timeout. Its commit does not
 * sync the WAL (synchronous NORMAL for that commit): a killed process loses
 * no entry, a power loss may lose the last read entries (never a write's). */
int coso_store_audit_read(coso_store *st, const char *kind, const char *key);

/* The SHA-256 of a whole open file (descriptor fd), as lowercase hex, taken
 * on a thread of its own while the caller reads the same file: the thread
 * reads with pread from offset 0, so the file's position is left alone (an
 * import hashes a file while it parses it). Every job started must be
 * finished, before the file is closed; finish gives the digest and the
 * file's length in bytes (*size, may be NULL), or the error of the thread's
 * reading. */
typedef struct coso_digest_job coso_digest_job;
int coso_audit_digest_start(coso_digest_job **out, int fd);
int coso_audit_digest_finish(coso_digest_job *job, char hex[COSO_SHA256_HEX], long long *size);

/* One file of an import, for its entry. */
typedef struct coso_audit_file {
	const char *name;       /* "units.csv" ... */
	const char *sha256;     /* hex */
	long long bytes, rows;
} coso_audit_file;

/* Appends the entry of an import (action "import", kind "registry", key the
 * folder): the files with their digests and rows, and the number of stored
 * rows per table before (counted now: call it before loading) and after
 * (counted at the append). Two calls: coso_store_audit_import_begin() right
 * after the transaction begins, coso_store_audit_import_end() before commit.
 * The state between them is held by the store. */
int coso_store_audit_import_begin(coso_store *st);
int coso_store_audit_import_end(coso_store *st, const char *dir, const coso_audit_file *files, size_t n);

/* ---- reading the log -------------------------------------------------------- */

typedef struct coso_audit_entry {
	long long seq;
	const char *at;            /* UTC, 2025-01-31T08:15:00.123Z */
	const char *actor, *remote;
	const char *action;
	const char *record_kind, *record_key;
	const char *before, *after; /* JSON text or NULL */
	const unsigned char *prev_hash, *hash; /* 32 bytes each */
} coso_audit_entry;

/* Filters of coso_store_audit_each(); NULL fields match everything. */
typedef struct coso_audit_filter {
	const char *actor;
	const char *record_kind, *record_key;  /* key NULL: any record of the kind */
	const char *from, *to;                 /* YYYY-MM-DD (UTC days, both included) */
} coso_audit_filter;

typedef int (*coso_audit_fn)(void *ctx, const coso_audit_entry *e);

/* Calls fn for each matching entry, oldest first; a non-zero return from fn
 * stops and is returned. Strings are borrowed for the call. */
int coso_store_audit_each(coso_store *st, const coso_audit_filter *f, coso_audit_fn fn, void *ctx);

/* What coso_store_audit_verify() found. */
typedef struct coso_audit_verdict {
	long long entries;         /* entries read */
	long long broken_seq;      /* the first broken entry (0 when intact) */
	char problem[512];         /* what is wrong with it, in words */
	unsigned char head[32];    /* the last entry's hash (zeros when the log is empty) */
} coso_audit_verdict;

/* Walks the whole chain: seq must run 1, 2, 3, ... without gaps, each entry's
 * prev_hash must be the previous entry's hash, each hash must match the
 * entry's contents, and audit_head must name the last entry. Returns 1 when
 * intact, 0 when broken (the first broken entry in *out), or a negative
 * coso_rc when the log cannot be read. */
int coso_store_audit_verify(coso_store *st, coso_audit_verdict *out);

/* ---- backup -------------------------------------------------------------------- */

typedef struct coso_backup_stats {
	long long pages, page_size;
	long long steps;
	coso_audit_verdict audit;  /* the copy's audit chain */
} coso_backup_stats;

/* Copies the database, consistently, to `path` while others keep writing
 * (SQLite's backup API, pages_per_step pages at a time over one read
 * snapshot, so writers are never blocked and the copy is never restarted):
 * writes path.tmp, checks it (quick_check and the audit chain), makes it a
 * single rollback-journal file, syncs it and renames it to path. Returns 0;
 * on any failure path.tmp is removed and path is untouched. */
int coso_store_backup(coso_store *st, const char *path, int pages_per_step, coso_backup_stats *stats);

#endif
