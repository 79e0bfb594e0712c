/*
 * test_audit.c: unit tests of db/store_audit (the audit log's chain, actor,
 * snapshots, reads, filters, file digests, and the online backup). Each test
 * works on a fresh database in its own temporary folder. Tampering with the
 * log and the end-to-end cases are in tests/cli/test_audit.py and
 * tests/durability/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "db/store.h"
#include "db/store_audit.h"
#include "util/date.h"
#include "util/error.h"

struct fx {
	char dir[64];
	char db[96];
	coso_store *st;
};

static void rm_dir(const char *dir)
{
	static const char *const names[] = { "r.db", "r.db-wal", "r.db-shm", "b.db", "b.db-wal", "b.db-shm",
					     "b.db-journal", "f.txt" };
	char path[160];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/coso-test-audit-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/r.db", f->dir);
	if (coso_store_open(&f->st, f->db, COSO_STORE_CREATE, NULL) < 0) {
		rm_dir(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	coso_store_close(f->st);
	rm_dir(f->dir);
	free(f);
	return 0;
}

/* Appends one entry in a transaction of its own. */
static void append(coso_store *st, const char *action, const char *key, const char *after)
{
	assert_int_equal(coso_store_begin(st), 0);
	assert_int_equal(coso_store_audit_append(st, action, "member", key, NULL, after), 0);
	assert_int_equal(coso_store_commit(st), 0);
}

struct seen {
	long long n;
	long long seq[8];
	char actor[8][32];
	char remote[8][32];
};

static int collect(void *ctx, const coso_audit_entry *e)
{
	struct seen *s = ctx;

	if (s->n < 8) {
		s->seq[s->n] = e->seq;
		snprintf(s->actor[s->n], sizeof(s->actor[0]), "%s", e->actor ? e->actor : "(null)");
		snprintf(s->remote[s->n], sizeof(s->remote[0]), "%s", e->remote ? e->remote : "(null)");
	}
	s->n++;
	return 0;
}

static void append__refuses_outside_a_transaction(void **state)
{
	struct fx *f = *state;

	assert_int_equal(coso_store_audit_append(f->st, "member.admit", "member", "M1", NULL, "{}"), COSO_ERR);
}

static void append__chains_the_entries_and_verify_finds_them_intact(void **state)
{
	struct fx *f = *state;
	coso_audit_verdict v;
	static const unsigned char zeros[32];

	assert_int_equal(coso_store_audit_verify(f->st, &v), 1);
	assert_int_equal(v.entries, 0);
	assert_memory_equal(v.head, zeros, 32);
	append(f->st, "member.admit", "M1", "{\"id\":\"M1\"}");
	append(f->st, "member.end", "M1", NULL);
	append(f->st, "member.admit", "M2", "{}");
	assert_int_equal(coso_store_audit_verify(f->st, &v), 1);
	assert_int_equal(v.entries, 3);
	assert_int_equal(v.broken_seq, 0);
	assert_memory_not_equal(v.head, zeros, 32);
}

static void append__a_rolled_back_change_leaves_no_entry_and_no_gap(void **state)
{
	struct fx *f = *state;
	coso_audit_filter all = { 0 };
	coso_audit_verdict v;
	struct seen s = { 0 };

	append(f->st, "member.admit", "M1", NULL);
	assert_int_equal(coso_store_begin(f->st), 0);
	assert_int_equal(coso_store_audit_append(f->st, "member.admit", "member", "M2", NULL, NULL), 0);
	coso_store_rollback(f->st);
	append(f->st, "member.admit", "M3", NULL);
	assert_int_equal(coso_store_audit_each(f->st, &all, collect, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.seq[0], 1);
	assert_int_equal(s.seq[1], 2);
	assert_int_equal(coso_store_audit_verify(f->st, &v), 1);
}

static void set_actor__names_who_acts_in_later_entries(void **state)
{
	struct fx *f = *state;
	coso_audit_filter all = { 0 }, by_hoa = { .actor = "hoa" };
	struct seen s = { 0 }, h = { 0 };

	append(f->st, "member.admit", "M1", NULL);
	assert_int_equal(coso_store_set_actor(f->st, "hoa", "10.0.0.7"), 0);
	append(f->st, "member.admit", "M2", NULL);
	assert_int_equal(coso_store_set_actor(f->st, NULL, "::1"), 0);
	append(f->st, "member.admit", "M3", NULL);
	assert_int_equal(coso_store_audit_each(f->st, &all, collect, &s), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.actor[0], "(null)");
	assert_string_equal(s.actor[1], "hoa");
	assert_string_equal(s.remote[1], "10.0.0.7");
	assert_string_equal(s.actor[2], "(null)");
	assert_string_equal(s.remote[2], "::1");
	assert_int_equal(coso_store_audit_each(f->st, &by_hoa, collect, &h), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.seq[0], 2);
}

static void each__filters_by_record_and_by_day(void **state)
{
	struct fx *f = *state;
	char tomorrow[COSO_DATE_BUFSZ];
	time_t now;
	struct tm tm;
	coso_audit_filter m1 = { .record_kind = "member", .record_key = "M1" };
	coso_audit_filter members = { .record_kind = "member" };
	coso_audit_filter orgs = { .record_kind = "org" };
	coso_audit_filter bad = { .from = "2025-02-30" };
	struct seen a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, e = { 0 };
	coso_audit_filter days = { 0 }, later = { 0 };

	/* UTC days, read after the appends (the test may run at midnight) */
	append(f->st, "member.admit", "M1", NULL);
	append(f->st, "member.admit", "M2", NULL);
	now = time(NULL);
	gmtime_r(&now, &tm);
	coso_date_format(tomorrow, coso_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) + 1);
	days.from = NULL;
	days.to = tomorrow;
	later.from = tomorrow;
	assert_int_equal(coso_store_audit_each(f->st, &m1, collect, &a), 0);
	assert_int_equal(a.n, 1);
	assert_int_equal(coso_store_audit_each(f->st, &members, collect, &b), 0);
	assert_int_equal(b.n, 2);
	assert_int_equal(coso_store_audit_each(f->st, &orgs, collect, &c), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(coso_store_audit_each(f->st, &days, collect, &d), 0);
	assert_int_equal(d.n, 2);
	assert_int_equal(coso_store_audit_each(f->st, &later, collect, &e), 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(coso_store_audit_each(f->st, &bad, collect, &e), COSO_EINVALID);
}

static void snapshot__gives_the_record_as_json_or_null(void **state)
{
	struct fx *f = *state;
	coso_unit_row u = {
		.code = "01", .name = "Tỉnh \"Một\"", .level = COSO_LEVEL_PROVINCE, .kind = "tỉnh",
		.valid_from = COSO_DAY_MIN, .valid_to = COSO_DAY_MAX, .population = -1,
	};
	char *json = NULL;

	assert_int_equal(coso_store_begin(f->st), 0);
	assert_int_equal(coso_store_load_begin(f->st, COSO_FILE_UNITS), 0);
	assert_int_equal(coso_store_add_unit(f->st, &u), 0);
	assert_int_equal(coso_store_load_end(f->st), 0);
	assert_int_equal(coso_store_commit(f->st), 0);
	assert_int_equal(coso_store_audit_snapshot(f->st, "unit", "01", &json), 0);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"code\":\"01\""));
	assert_non_null(strstr(json, "\"name\":\"Tỉnh \\\"Một\\\"\""));
	assert_non_null(strstr(json, "\"valid_from\":null,\"valid_to\":null"));
	assert_non_null(strstr(json, "\"level\":\"province\""));
	free(json);
	assert_int_equal(coso_store_audit_snapshot(f->st, "member", "M404", &json), 0);
	assert_null(json);
	assert_int_equal(coso_store_audit_snapshot(f->st, "org", "X", &json), 0);
	assert_null(json);
	assert_int_equal(coso_store_audit_snapshot(f->st, "planet", "X", &json), COSO_ERR);
}

static void read__is_an_entry_in_its_own_transaction(void **state)
{
	struct fx *f = *state;
	coso_audit_filter all = { 0 };
	struct seen s = { 0 };

	assert_int_equal(coso_store_audit_read(f->st, "member", "M1"), 0);
	assert_int_equal(coso_store_begin(f->st), 0);
	assert_int_equal(coso_store_audit_read(f->st, "member", "M1"), COSO_ERR);
	coso_store_rollback(f->st);
	assert_int_equal(coso_store_audit_each(f->st, &all, collect, &s), 0);
	assert_int_equal(s.n, 1);
}

/* The SHA-256 of the whole open file, taken by its own thread: "abc" gives
 * the digest of FIPS 180-2's example, and the file's position is left. */
static void digest_job__is_the_sha256_of_the_whole_file(void **state)
{
	struct fx *f = *state;
	char path[128], hex[COSO_SHA256_HEX];
	coso_digest_job *job = NULL;
	long long size = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/f.txt", f->dir);
	fp = fopen(path, "w+b");
	assert_non_null(fp);
	fputs("abc", fp);
	fflush(fp);
	rewind(fp);
	assert_int_equal(fgetc(fp), 'a');
	assert_int_equal(coso_audit_digest_start(&job, fileno(fp)), 0);
	assert_int_equal(coso_audit_digest_finish(job, hex, &size), 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(size, 3);
	assert_int_equal(fgetc(fp), 'b');
	fclose(fp);
}

/* A digest taken while the file is read here, of a file of many reads:
 * the digest of its bytes (libsodium's one-shot hash of them), while the
 * reading here sees every byte. */
static void digest_job__hashes_the_file_while_it_is_read(void **state)
{
	struct fx *f = *state;
	char path[128], hex[COSO_SHA256_HEX], want[COSO_SHA256_HEX];
	unsigned char digest[crypto_hash_sha256_BYTES];
	size_t len = 0, cap = 4 << 20;
	char *bytes = malloc(cap);
	long long size = 0, read = 0;
	coso_digest_job *job = NULL;
	FILE *fp;

	assert_non_null(bytes);
	assert_true(sodium_init() >= 0);
	for (int i = 0; i < 100000; i++)
		len += (size_t)snprintf(bytes + len, cap - len, "%d,Lò Văn %d\n", i, i * 7);
	assert_true(len > 1000000 && len < cap);
	crypto_hash_sha256(digest, (const unsigned char *)bytes, len);
	for (size_t i = 0; i < sizeof(digest); i++)
		snprintf(want + 2 * i, 3, "%02x", digest[i]);
	snprintf(path, sizeof(path), "%s/big.txt", f->dir);
	fp = fopen(path, "w+b");
	assert_non_null(fp);
	assert_int_equal(fwrite(bytes, 1, len, fp), len);
	fflush(fp);
	rewind(fp);
	assert_int_equal(coso_audit_digest_start(&job, fileno(fp)), 0);
	while (fgetc(fp) != EOF)
		read++;
	assert_int_equal(coso_audit_digest_finish(job, hex, &size), 0);
	assert_string_equal(hex, want);
	assert_int_equal(size, (long long)len);
	assert_int_equal(read, (long long)len);
	fclose(fp);
	free(bytes);
	/* a descriptor that cannot be read: the error comes with the finish */
	assert_int_equal(coso_audit_digest_start(&job, -1), 0);
	assert_int_equal(coso_audit_digest_finish(job, hex, &size), COSO_EIO);
}

static void backup__writes_a_checked_copy_with_the_same_log(void **state)
{
	struct fx *f = *state;
	char path[128], tmp[160];
	coso_backup_stats stats;
	coso_audit_verdict live, copied;
	coso_store *copy = NULL;

	append(f->st, "member.admit", "M1", NULL);
	append(f->st, "member.admit", "M2", NULL);
	snprintf(path, sizeof(path), "%s/b.db", f->dir);
	assert_int_equal(coso_store_backup(f->st, path, 2, &stats), 0);
	assert_true(stats.pages > 2);
	assert_true(stats.steps >= stats.pages / 2);
	assert_int_equal(stats.audit.entries, 2);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_not_equal(access(tmp, F_OK), 0);
	assert_int_equal(coso_store_open(&copy, path, 0, NULL), 0);
	assert_int_equal(coso_store_audit_verify(copy, &copied), 1);
	assert_int_equal(coso_store_audit_verify(f->st, &live), 1);
	assert_int_equal(copied.entries, 2);
	assert_memory_equal(copied.head, live.head, 32);
	coso_store_close(copy);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(append__refuses_outside_a_transaction),
		T(append__chains_the_entries_and_verify_finds_them_intact),
		T(append__a_rolled_back_change_leaves_no_entry_and_no_gap),
		T(set_actor__names_who_acts_in_later_entries),
		T(each__filters_by_record_and_by_day),
		T(snapshot__gives_the_record_as_json_or_null),
		T(read__is_an_entry_in_its_own_transaction),
		T(digest_job__is_the_sha256_of_the_whole_file),
		T(digest_job__hashes_the_file_while_it_is_read),
		T(backup__writes_a_checked_copy_with_the_same_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
