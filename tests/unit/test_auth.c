/*
 * test_auth.c: unit tests of auth/auth.h (roles, user names, passwords,
 * tokens) and db/store_auth.h (users, sessions, sign-in attempts, and the
 * scope that limits reads), on the handmade registry (tests/cases/handmade)
 * as of 1 January 2026, after its 2025 reform.
 *
 * Each test works on a fresh database in its own temporary folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/auth.h"
#include "core/import.h"
#include "db/store.h"
#include "db/store_api.h"
#include "db/store_auth.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/error.h"

#ifndef COSO_HANDMADE_DIR
#define COSO_HANDMADE_DIR "tests/cases/handmade"
#endif

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static coso_day D(int y, int m, int d)
{
	return coso_date_from_ymd(y, m, d);
}

static void rm_rf(const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;

		while (d && (e = readdir(d)) != NULL) {
			char sub[4096];

			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			rm_rf(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

struct fx {
	char dir[64];
	char db[96];
	coso_store *st;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	coso_diag diag = COSO_DIAG_INIT;
	coso_import_stats stats;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/coso-test-auth-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/r.db", f->dir);
	if (coso_store_open(&f->st, f->db, COSO_STORE_CREATE, NULL) < 0 ||
	    coso_import_dir(f->st, COSO_HANDMADE_DIR, &diag, &stats, NULL) < 0) {
		print_error("setup: %s\n", coso_error_last());
		coso_diag_clear(&diag);
		coso_store_close(f->st);
		rm_rf(f->dir);
		free(f);
		return -1;
	}
	coso_diag_clear(&diag);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	coso_store_close(f->st);
	rm_rf(f->dir);
	free(f);
	return 0;
}

/* ---- roles ---------------------------------------------------------------------------- */

static void roles__have_the_permissions_of_the_table(void **state)
{
	static const struct {
		const char *name;
		bool read, registry, units, admin, scoped;
	} want[] = {
		{ "admin", true, true, true, true, false },
		{ "provincial", true, true, true, false, true },
		{ "district", true, true, false, false, true },
		{ "clerk", true, true, false, false, true },
		{ "leader", true, false, false, false, true },
	};

	(void)state;
	for (size_t i = 0; i < N_OF(want); i++) {
		coso_role r = coso_role_parse(want[i].name);

		assert_int_not_equal(r, COSO_ROLE_NONE);
		assert_string_equal(coso_role_name(r), want[i].name);
		assert_true(coso_role_allows(r, COSO_PERM_READ) == want[i].read);
		assert_true(coso_role_allows(r, COSO_PERM_WRITE_REGISTRY) == want[i].registry);
		assert_true(coso_role_allows(r, COSO_PERM_WRITE_UNITS) == want[i].units);
		assert_true(coso_role_allows(r, COSO_PERM_ADMIN) == want[i].admin);
		assert_true(coso_role_needs_scope(r) == want[i].scoped);
	}
	assert_int_equal(coso_role_parse("root"), COSO_ROLE_NONE);
	assert_int_equal(coso_role_parse(NULL), COSO_ROLE_NONE);
	assert_false(coso_role_allows(COSO_ROLE_NONE, COSO_PERM_READ));
	assert_false(coso_role_allows(COSO_ROLE_MAX, COSO_PERM_READ));
	assert_null(coso_role_name(COSO_ROLE_NONE));
}

static void user_names__are_short_and_printable(void **state)
{
	(void)state;
	assert_int_equal(coso_user_name_check("lan.anh_02@xa-mot"), 0);
	assert_int_equal(coso_user_name_check(""), COSO_EINVALID);
	assert_int_equal(coso_user_name_check("a b"), COSO_EINVALID);
	assert_int_equal(coso_user_name_check("ánh"), COSO_EINVALID);
	assert_int_equal(coso_user_name_check("x\ny"), COSO_EINVALID);
	assert_int_equal(coso_user_name_check("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 0);
	assert_int_equal(coso_user_name_check("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), COSO_EINVALID);
}

/* ---- passwords and tokens --------------------------------------------------------------- */

static void passwords__are_argon2id_and_verify(void **state)
{
	char h[COSO_PWHASH_BUFSZ], h2[COSO_PWHASH_BUFSZ];

	(void)state;
	setenv("COSO_INSECURE_FAST_HASH", "1", 1);
	assert_int_equal(coso_password_hash("correct horse", h), 0);
	assert_int_equal(strncmp(h, "$argon2id$", 10), 0);
	assert_null(strstr(h, "correct"));
	assert_int_equal(coso_password_verify(h, "correct horse"), 1);
	assert_int_equal(coso_password_verify(h, "correct hors"), 0);
	assert_int_equal(coso_password_verify("garbage", "correct horse"), 0);
	/* salted: the same password hashes differently */
	assert_int_equal(coso_password_hash("correct horse", h2), 0);
	assert_string_not_equal(h, h2);
	assert_false(coso_password_needs_rehash(h));
	unsetenv("COSO_INSECURE_FAST_HASH");
	/* made with the test suite's limits: a server without them makes it again */
	assert_true(coso_password_needs_rehash(h));
	setenv("COSO_INSECURE_FAST_HASH", "1", 1);
	assert_int_equal(coso_password_check("short"), COSO_EINVALID);
	assert_int_equal(coso_password_check("long enough"), 0);
}

static void tokens__are_random_base64url_and_their_csrf_is_bound_to_them(void **state)
{
	char a[COSO_TOKEN_TEXT], b[COSO_TOKEN_TEXT], ca[COSO_TOKEN_TEXT], ca2[COSO_TOKEN_TEXT], cb[COSO_TOKEN_TEXT];
	unsigned char ha[COSO_TOKEN_HASH_BYTES], hb[COSO_TOKEN_HASH_BYTES];
	char pw[32];

	(void)state;
	assert_int_equal(coso_token_new(a), 0);
	assert_int_equal(coso_token_new(b), 0);
	assert_int_equal(strlen(a), 43);
	assert_true(coso_token_valid(a));
	assert_string_not_equal(a, b);
	assert_false(coso_token_valid("short"));
	assert_false(coso_token_valid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
	assert_false(coso_token_valid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
	coso_token_hash(a, ha);
	coso_token_hash(b, hb);
	assert_memory_not_equal(ha, hb, sizeof(ha));
	coso_token_csrf(a, ca);
	coso_token_csrf(a, ca2);
	coso_token_csrf(b, cb);
	assert_string_equal(ca, ca2);
	assert_string_not_equal(ca, cb);
	assert_string_not_equal(ca, a);
	assert_true(coso_token_equal(ca, ca2));
	assert_false(coso_token_equal(ca, cb));
	assert_false(coso_token_equal(ca, ""));
	assert_int_equal(coso_password_generate(pw, sizeof(pw)), 0);
	assert_int_equal(strlen(pw), 20);
}

/* ---- users and sessions ---------------------------------------------------------------- */

static void users__are_added_once_and_disabling_ends_their_sessions(void **state)
{
	struct fx *f = *state;
	unsigned char h1[32] = { 1 }, h2[32] = { 2 };
	coso_user u;
	long long n;

	assert_int_equal(coso_store_user_add(f->st, "lan", "clerk", "00001", "$argon2id$x", 100), 0);
	assert_int_equal(coso_store_user_add(f->st, "lan", "admin", NULL, "$argon2id$y", 100), COSO_ECONFLICT);
	assert_int_equal(coso_store_user_add(f->st, "bad", "king", NULL, "$argon2id$y", 100), COSO_EIO);
	assert_int_equal(coso_store_user_get(f->st, "lan", &u), 0);
	assert_string_equal(u.role, "clerk");
	assert_string_equal(u.scope, "00001");
	assert_false(u.disabled);
	coso_user_clear(&u);
	assert_int_equal(coso_store_user_get(f->st, "nobody", &u), COSO_ENOTFOUND);
	assert_int_equal(coso_store_session_create(f->st, h1, 32, "lan", "10.0.0.1", 1000, 1000 + 43200), 0);
	assert_int_equal(coso_store_session_create(f->st, h2, 32, "lan", NULL, 1000, 1000 + 43200), 0);
	assert_int_equal(coso_store_user_count(f->st, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(coso_store_user_disable(f->st, "lan"), 2);
	assert_int_equal(coso_store_session_get(f->st, h1, 32, 1001, 1800, &u), COSO_ENOTFOUND);
	assert_int_equal(coso_store_user_count(f->st, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(coso_store_user_disable(f->st, "nobody"), COSO_ENOTFOUND);
	assert_int_equal(coso_store_user_set_password(f->st, "nobody", "x"), COSO_ENOTFOUND);
}

static void sessions__end_when_idle_or_old_and_slide_with_use(void **state)
{
	struct fx *f = *state;
	unsigned char h[32] = { 7 }, other[32] = { 8 };
	coso_user u;

	assert_int_equal(coso_store_user_add(f->st, "hoa", "leader", "01", "$argon2id$x", 0), 0);
	assert_int_equal(coso_store_session_create(f->st, h, 32, "hoa", NULL, 1000, 1000 + 43200), 0);
	assert_int_equal(coso_store_session_get(f->st, other, 32, 1000, 1800, &u), COSO_ENOTFOUND);
	assert_int_equal(coso_store_session_get(f->st, h, 32, 1000 + 1799, 1800, &u), 0);
	assert_string_equal(u.name, "hoa");
	coso_user_clear(&u);
	/* that use slid the idle end by half an hour */
	assert_int_equal(coso_store_session_get(f->st, h, 32, 1000 + 3000, 1800, &u), 0);
	coso_user_clear(&u);
	/* but not past the absolute end */
	assert_int_equal(coso_store_session_get(f->st, h, 32, 1000 + 43200, 1800, &u), COSO_ENOTFOUND);
	/* and an ended session is gone for good */
	assert_int_equal(coso_store_session_get(f->st, h, 32, 1000 + 3001, 1800, &u), COSO_ENOTFOUND);
	/* idle */
	assert_int_equal(coso_store_session_create(f->st, h, 32, "hoa", NULL, 5000, 5000 + 43200), 0);
	assert_int_equal(coso_store_session_get(f->st, h, 32, 5000 + 1800, 1800, &u), COSO_ENOTFOUND);
	/* a new password ends every session */
	assert_int_equal(coso_store_session_create(f->st, h, 32, "hoa", NULL, 9000, 9000 + 43200), 0);
	assert_int_equal(coso_store_user_set_password(f->st, "hoa", "$argon2id$z"), 0);
	assert_int_equal(coso_store_session_get(f->st, h, 32, 9001, 1800, &u), COSO_ENOTFOUND);
	/* signing out */
	assert_int_equal(coso_store_session_create(f->st, h, 32, "hoa", NULL, 9000, 9000 + 43200), 0);
	assert_int_equal(coso_store_session_end(f->st, h, 32), 0);
	assert_int_equal(coso_store_session_get(f->st, h, 32, 9001, 1800, &u), COSO_ENOTFOUND);
}

static void attempts__are_counted_per_name_and_address_in_the_window(void **state)
{
	struct fx *f = *state;
	long long n, oldest;

	for (int i = 0; i < 3; i++)
		assert_int_equal(coso_store_attempt_add(f->st, "lan", "10.0.0.1", 100 + i, 0), 0);
	assert_int_equal(coso_store_attempt_add(f->st, "hoa", "10.0.0.1", 200, 0), 0);
	assert_int_equal(coso_store_attempts(f->st, COSO_ATTEMPT_USER, "lan", 0, &n, &oldest), 0);
	assert_int_equal(n, 3);
	assert_int_equal(oldest, 100);
	assert_int_equal(coso_store_attempts(f->st, COSO_ATTEMPT_USER, "lan", 101, &n, &oldest), 0);
	assert_int_equal(n, 2);
	assert_int_equal(coso_store_attempts(f->st, COSO_ATTEMPT_ADDRESS, "10.0.0.1", 0, &n, &oldest), 0);
	assert_int_equal(n, 4);
	assert_int_equal(coso_store_attempts_clear(f->st, "lan"), 0);
	assert_int_equal(coso_store_attempts(f->st, COSO_ATTEMPT_USER, "lan", 0, &n, &oldest), 0);
	assert_int_equal(n, 0);
	assert_int_equal(coso_store_attempts(f->st, COSO_ATTEMPT_ADDRESS, "10.0.0.1", 0, &n, &oldest), 0);
	assert_int_equal(n, 4);  /* a success does not wipe the address's failures */
	/* old failures are forgotten */
	assert_int_equal(coso_store_attempt_add(f->st, "x", NULL, 1000, 150), 0);
	assert_int_equal(coso_store_attempts(f->st, COSO_ATTEMPT_ADDRESS, "10.0.0.1", 0, &n, &oldest), 0);
	assert_int_equal(n, 1);
}

/* ---- the scope --------------------------------------------------------------------------- */

static int collect_code(void *ctx, const char *code, const char *name)
{
	char *buf = ctx;
	size_t used = strlen(buf);

	(void)name;
	snprintf(buf + used, 256 - used, "%s%s", used ? "," : "", code);
	return 0;
}

static int collect_unit(void *ctx, const coso_unit_row *r)
{
	return collect_code(ctx, r->code, r->name);
}

static void visible(coso_store *st, coso_ref_kind kind, const char *code, int want)
{
	int got = coso_store_visible(st, kind, code);

	if (got != want)
		fail_msg("%s: visible %d, want %d", code, got, want);
}

static void scope__of_a_commune_is_its_subtree_today(void **state)
{
	struct fx *f = *state;
	char roots[256] = "", units[256] = "";
	coso_unit_query q = { .as_of = D(2026, 1, 1), .level = COSO_LEVEL_NONE, .top = true };
	long long total;

	assert_false(coso_store_access_limited(f->st));
	visible(f->st, COSO_REF_MEMBER, "M3", 1);  /* not limited: everything */
	assert_int_equal(coso_store_set_access(f->st, "00001", D(2026, 1, 1)), 0);
	assert_true(coso_store_access_limited(f->st));
	assert_int_equal(coso_store_access_roots(f->st, collect_code, roots), 0);
	assert_string_equal(roots, "00001");
	visible(f->st, COSO_REF_UNIT, "00001", 1);
	visible(f->st, COSO_REF_UNIT, "00002-01", 1);  /* moved from Xã Hai in 2020 */
	visible(f->st, COSO_REF_UNIT, "01", 0);
	visible(f->st, COSO_REF_UNIT, "00002", 0);     /* Xã Hai itself, gone: not this clerk's */
	visible(f->st, COSO_REF_UNIT, "00003-01", 0);
	visible(f->st, COSO_REF_UNIT, "nothing", 0);
	visible(f->st, COSO_REF_ORG, "CV21", 1);
	visible(f->st, COSO_REF_ORG, "CS1", 1);        /* sited in a school of the commune */
	visible(f->st, COSO_REF_ORG, "OP", 0);
	visible(f->st, COSO_REF_MEMBER, "M2", 1);
	visible(f->st, COSO_REF_MEMBER, "M3", 0);
	visible(f->st, COSO_REF_MEMBER, "M6", 0);
	visible(f->st, COSO_REF_INSTITUTION, "H1", 1);
	visible(f->st, COSO_REF_INSTITUTION, "S3", 0);
	/* the reads are limited: the top of the tree is the scope */
	assert_int_equal(coso_store_units(f->st, &q, collect_unit, units, &total), 0);
	assert_string_equal(units, "00001");
	assert_int_equal(total, 1);
	assert_int_equal(coso_store_unit_get(f->st, "01", D(2026, 1, 1), collect_unit, units), COSO_ENOTFOUND);
	/* and again unlimited */
	assert_int_equal(coso_store_set_access(f->st, NULL, 0), 0);
	visible(f->st, COSO_REF_UNIT, "01", 1);
}

static void scope__of_a_unit_that_is_gone_is_what_holds_it_today(void **state)
{
	struct fx *f = *state;
	char roots[256] = "";

	/* Xã Hai merged into Xã Một in 2020: its clerk sees Xã Một, and Xã Hai's past */
	assert_int_equal(coso_store_set_access(f->st, "00002", D(2026, 1, 1)), 0);
	assert_int_equal(coso_store_access_roots(f->st, collect_code, roots), 0);
	assert_string_equal(roots, "00001");
	visible(f->st, COSO_REF_UNIT, "00002", 1);
	visible(f->st, COSO_REF_ORG, "OC2", 1);
	visible(f->st, COSO_REF_MEMBER, "M6", 1);
	visible(f->st, COSO_REF_MEMBER, "M1", 1);
	visible(f->st, COSO_REF_UNIT, "001", 0);
	/* before the merger, Xã Hai was its own */
	assert_int_equal(coso_store_set_access(f->st, "00002", D(2019, 1, 1)), 0);
	roots[0] = '\0';
	assert_int_equal(coso_store_access_roots(f->st, collect_code, roots), 0);
	assert_string_equal(roots, "00002");
	visible(f->st, COSO_REF_UNIT, "00001", 0);
	/* Huyện Hai was abolished in 2025: the commune that holds its villages */
	assert_int_equal(coso_store_set_access(f->st, "002", D(2026, 1, 1)), 0);
	roots[0] = '\0';
	assert_int_equal(coso_store_access_roots(f->st, collect_code, roots), 0);
	assert_string_equal(roots, "00003");
	visible(f->st, COSO_REF_UNIT, "002", 1);
	visible(f->st, COSO_REF_UNIT, "00003-02", 1);  /* closed in 2018, under Thị trấn Ba */
	visible(f->st, COSO_REF_ORG, "OD2", 1);
	visible(f->st, COSO_REF_MEMBER, "M4", 1);       /* ended in Bản Cũ */
	visible(f->st, COSO_REF_UNIT, "00001", 0);
	/* a scope that never existed sees nothing */
	assert_int_equal(coso_store_set_access(f->st, "nothing", D(2026, 1, 1)), 0);
	visible(f->st, COSO_REF_UNIT, "01", 0);
	visible(f->st, COSO_REF_MEMBER, "M1", 0);
}

static void scope__sets_are_rebuilt_when_the_registry_changes(void **state)
{
	struct fx *f = *state;
	coso_field_errors errs = COSO_FIELD_ERRORS_INIT;
	coso_unit_row r = {
		.code = "00001-03", .name = "Bản Ba", .level = COSO_LEVEL_VILLAGE, .kind = "bản", .parent_code = "00001",
		.valid_from = D(2025, 12, 1), .valid_to = COSO_DAY_MAX, .population = -1,
	};

	assert_int_equal(coso_store_set_access(f->st, "00001", D(2026, 1, 1)), 0);
	visible(f->st, COSO_REF_UNIT, "00001-03", 0);
	assert_int_equal(coso_store_set_access(f->st, NULL, 0), 0);
	assert_int_equal(coso_store_unit_create(f->st, &r, &errs), 0);
	coso_field_errors_clear(&errs);
	assert_int_equal(coso_store_set_access(f->st, "00001", D(2026, 1, 1)), 0);
	visible(f->st, COSO_REF_UNIT, "00001-03", 1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roles__have_the_permissions_of_the_table),
		cmocka_unit_test(user_names__are_short_and_printable),
		cmocka_unit_test(passwords__are_argon2id_and_verify),
		cmocka_unit_test(tokens__are_random_base64url_and_their_csrf_is_bound_to_them),
		T(users__are_added_once_and_disabling_ends_their_sessions),
		T(sessions__end_when_idle_or_old_and_slide_with_use),
		T(attempts__are_counted_per_name_and_address_in_the_window),
		T(scope__of_a_commune_is_its_subtree_today),
		T(scope__of_a_unit_that_is_gone_is_what_holds_it_today),
		T(scope__sets_are_rebuilt_when_the_registry_changes),
	};

	setenv("COSO_INSECURE_FAST_HASH", "1", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
