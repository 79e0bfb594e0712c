/*
 * fuzz_http.c: the dispatcher's side of the HTTP harnesses (fuzz.h).
 *
 * The dispatcher (http/http.h) never sees libmicrohttpd, so a harness builds
 * a coso_http_request as server.c would and passes it through
 * coso_http_precheck() and coso_http_dispatch() in the same order. The
 * database is the hand-made registry imported once into the private folder
 * (base.db) and copied to work.db, which the store opens; after a write is
 * accepted the copy is made again, so that every input meets the same
 * registry. The web folder holds index.html, assets/app.js and a symbolic
 * link to a file outside it, which must never be served.
 *
 * When the tree has sessions (src/auth: a POST needs the session's cookie
 * and its CSRF token), an administrator "fuzz" is added to base.db and
 * signed in through the dispatcher before the copy, and fuzz_http_run()
 * sends the session with every request unless told not to.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/import.h"
#include "db/store.h"
#include "db/store_api.h"
#include "fuzz.h"
#include "util/error.h"

#if defined(__has_include)
#if __has_include("auth/auth.h")
#define FUZZ_SESSION 1
#include <time.h>

#include "auth/auth.h"
#include "db/store_auth.h"
#endif
#endif

#ifndef COSO_FUZZ_REGISTRY_DIR
#define COSO_FUZZ_REGISTRY_DIR "tests/cases/handmade"
#endif

static struct {
	bool ready;
	char base[600], work[600], web[600], web_real[PATH_MAX], secret[600];
	coso_store *st;
	coso_http_env env;
	char cookie[256], csrf[128];   /* the signed-in session, when there are sessions */
	long long signed_at;
} fz;

static int fuzz_store(void *ctx, coso_store **out)
{
	(void)ctx;
	if (!fz.st && coso_store_open_api(&fz.st, fz.work) < 0)
		return COSO_EIO;
	*out = fz.st;
	return 0;
}

static void close_store(void)
{
	coso_store_close(fz.st);
	fz.st = NULL;
}

/* Copies base.db to work.db (the store closed), without its -wal/-shm. */
static void copy_base(void)
{
	char side[700];

	close_store();
	snprintf(side, sizeof(side), "%s-wal", fz.work);
	remove(side);
	snprintf(side, sizeof(side), "%s-shm", fz.work);
	remove(side);
	FUZZ_CHECK(fuzz_copy_file(fz.base, fz.work) == 0);
}

static void make_database(void)
{
	const char *reg = getenv("COSO_FUZZ_REGISTRY");
	coso_diag diag = COSO_DIAG_INIT;
	coso_store *st = NULL;
	bool created;

	if (!reg || !*reg)
		reg = COSO_FUZZ_REGISTRY_DIR;
	if (coso_store_open(&st, fz.base, COSO_STORE_CREATE, &created) < 0 ||
	    coso_import_dir(st, reg, &diag, NULL, NULL) < 0) {
		coso_diag_print(&diag, stderr);
		fprintf(stderr, "fuzz_http: cannot import %s: %s\n", reg, coso_error_last());
		abort();
	}
	coso_store_close(st);
	coso_diag_clear(&diag);
	/* as the server does before listening: migrations, search data */
	st = NULL;
	FUZZ_CHECK(coso_store_open_api(&st, fz.base) == 0);
	FUZZ_CHECK(coso_store_refresh_search(st) == 0);
	coso_store_close(st);
}

#ifdef FUZZ_SESSION
#define FUZZ_USER "fuzz"
#define FUZZ_PASSWORD "fuzz-harness-password"
#define FUZZ_SESSION_RENEW (10 * 60) /* seconds: well within the session's idle time */

/* Adds the administrator FUZZ_USER to base.db. */
static void add_user(void)
{
	char hash[COSO_PWHASH_BUFSZ];
	coso_store *st = NULL;

	FUZZ_CHECK(coso_auth_init() == 0);
	FUZZ_CHECK(coso_password_hash(FUZZ_PASSWORD, hash) == 0);
	FUZZ_CHECK(coso_store_open(&st, fz.base, 0, NULL) == 0);
	FUZZ_CHECK(coso_store_begin(st) == 0);
	FUZZ_CHECK(coso_store_user_add(st, FUZZ_USER, "admin", NULL, hash, (long long)time(NULL)) == 0);
	FUZZ_CHECK(coso_store_commit(st) == 0);
	coso_store_close(st);
}

/* Signs in through the dispatcher, on base.db itself so that every copy has
 * the session: fz.cookie and fz.csrf are the session's. The store is left
 * closed (the caller copies base.db to work.db). */
static void sign_in(void)
{
	static const char body[] = "{\"user\": \"" FUZZ_USER "\", \"password\": \"" FUZZ_PASSWORD "\"}";
	char work[sizeof(fz.work)];
	coso_http_request req;
	coso_http_response res;
	json_t *doc;
	size_t n;

	close_store();
	memcpy(work, fz.work, sizeof(work));
	snprintf(fz.work, sizeof(fz.work), "%s", fz.base);
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.path = "/api/v1/session";
	req.content_type = "application/json";
	req.content_length = (long long)strlen(body);
	req.body = body;
	req.body_len = strlen(body);
	coso_http_dispatch(&fz.env, &req, &res);
	if (res.status != 200 || !res.set_cookie || !res.body)
		fprintf(stderr, "fuzz_http: sign-in: %d %s\n", res.status, res.body ? res.body : "");
	FUZZ_CHECK(res.status == 200 && res.set_cookie && res.body);
	n = strcspn(res.set_cookie, ";");
	FUZZ_CHECK(n < sizeof(fz.cookie));
	memcpy(fz.cookie, res.set_cookie, n);
	fz.cookie[n] = '\0';
	doc = json_loads(res.body, 0, NULL);
	FUZZ_CHECK(doc && json_is_string(json_object_get(doc, "csrf")));
	snprintf(fz.csrf, sizeof(fz.csrf), "%s", json_string_value(json_object_get(doc, "csrf")));
	json_decref(doc);
	coso_http_response_clear(&res);
	close_store();
	memcpy(fz.work, work, sizeof(work));
	fz.signed_at = time(NULL);
}
#endif

static void make_web(const char *tmp)
{
	char path[700];
	static const char index_html[] = "<!doctype html><title>coso</title>";
	static const char app_js[] = "console.log('coso');";
	static const char secret[] = "not for the web";

	snprintf(path, sizeof(path), "%s/assets", fz.web);
	FUZZ_CHECK(mkdir(fz.web, 0700) == 0 && mkdir(path, 0700) == 0);
	snprintf(path, sizeof(path), "%s/index.html", fz.web);
	FUZZ_CHECK(fuzz_write_file(path, index_html, strlen(index_html)) == 0);
	snprintf(path, sizeof(path), "%s/assets/app.js", fz.web);
	FUZZ_CHECK(fuzz_write_file(path, app_js, strlen(app_js)) == 0);
	snprintf(fz.secret, sizeof(fz.secret), "%s/secret.txt", tmp);
	FUZZ_CHECK(fuzz_write_file(fz.secret, secret, strlen(secret)) == 0);
	snprintf(path, sizeof(path), "%s/assets/link.js", fz.web);
	FUZZ_CHECK(symlink(fz.secret, path) == 0);
	FUZZ_CHECK(realpath(fz.web, fz.web_real) != NULL);
}

const coso_http_env *fuzz_http_env(void)
{
	const char *tmp;

	if (fz.ready)
		return &fz.env;
	tmp = fuzz_tmpdir();
	snprintf(fz.base, sizeof(fz.base), "%s/base.db", tmp);
	snprintf(fz.work, sizeof(fz.work), "%s/work.db", tmp);
	snprintf(fz.web, sizeof(fz.web), "%s/web", tmp);
	make_database();
	make_web(tmp);
	atexit(close_store);
	fz.env.store = fuzz_store;
	fz.env.store_ctx = NULL;
	fz.env.web_dir = fz.web;
	fz.env.db_path = fz.work;
#ifdef FUZZ_SESSION
	add_user();
	sign_in();
#endif
	copy_base();
	fz.ready = true;
	return &fz.env;
}

void fuzz_http_reset(void)
{
	if (fz.ready)
		copy_base();
}

static bool known_status(int status)
{
	static const int ok[] = { 200, 201, 400, 401, 403, 404, 405, 413, 415, 422, 429 };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (status == ok[i])
			return true;
	return false;
}

/* Checks an answer (see fuzz.h). */
static void check_response(const coso_http_request *req, const coso_http_response *res)
{
	json_error_t jerr;
	json_t *doc;

	if (!known_status(res->status))
		fprintf(stderr, "fuzz_http: %s %s: status %d: %.*s\n", req->method, req->path, res->status,
			(int)(res->body_len > 500 ? 500 : res->body_len), res->body ? res->body : "");
	FUZZ_CHECK(known_status(res->status));
	FUZZ_CHECK(res->content_type != NULL);
	if (res->file) {
		char real[PATH_MAX];
		size_t n = strlen(fz.web_real);

		FUZZ_CHECK(res->status == 200 && !res->body);
		FUZZ_CHECK(realpath(res->file, real) != NULL);
		FUZZ_CHECK(strncmp(real, fz.web_real, n) == 0 && real[n] == '/');
		return;
	}
	FUZZ_CHECK(res->body != NULL && res->body_len == strlen(res->body));
	doc = json_loadb(res->body, res->body_len, 0, &jerr);
	FUZZ_CHECK(doc != NULL);
	if (res->status >= 400) {
		FUZZ_CHECK(strcmp(res->content_type, "application/problem+json") == 0);
		FUZZ_CHECK(json_integer_value(json_object_get(doc, "status")) == res->status);
		FUZZ_CHECK(json_is_string(json_object_get(doc, "detail")));
		FUZZ_CHECK((res->status == 405) == (res->allow != NULL));
	} else {
		FUZZ_CHECK(strcmp(res->content_type, "application/json") == 0);
	}
	json_decref(doc);
}

void fuzz_http_run(const coso_http_request *req, coso_http_response *res, bool signed_in,
		   void (*after_write)(void))
{
	const coso_http_env *env = fuzz_http_env();
	coso_http_request head = *req, full = *req;
	size_t limit = 0;

#ifdef FUZZ_SESSION
	if (time(NULL) - fz.signed_at > FUZZ_SESSION_RENEW) {
		/* a long run: a fresh session before this one ends of idleness */
		sign_in();
		copy_base();
	}
	if (signed_in) {
		head.cookie = full.cookie = fz.cookie;
		head.csrf = full.csrf = fz.csrf;
	}
#else
	(void)signed_in;
#endif

	memset(res, 0, sizeof(*res));
	/* headers in: what the server asks before reading a body */
	head.body = NULL;
	head.body_len = 0;
	head.body_too_large = false;
	if (!coso_http_precheck(env, &head, &limit, res)) {
		FUZZ_CHECK(res->status >= 400);
		check_response(req, res);
		return;
	}
	coso_http_response_clear(res);
	/* the body as the server collects it: beyond the limit, dropped */
	if (full.body_len > limit) {
		full.body = NULL;
		full.body_len = 0;
		full.body_too_large = true;
	}
	coso_http_dispatch(env, &full, res);
	if (getenv("COSO_FUZZ_VERBOSE"))
		fprintf(stderr, "fuzz_http: %s %s%s -> %d\n", req->method, req->path, signed_in ? "" : " (no session)",
			res->status);
	check_response(req, res);
	if (strcmp(req->method, "POST") == 0 && res->status < 300) {
		if (after_write)
			after_write();
		fuzz_http_reset();
	}
}
