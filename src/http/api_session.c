/*
 * api_session.c: signing in and out, the session, and the list of users
 * (docs/API.md, "Sessions"; docs/SECURITY.md).
 *
 * Signing in checks the throttle first (failures of the user name and of
 * the address in the last 15 minutes), then the password; an unknown user
 * name spends the time of a verification too and counts as a failure, so
 * the answer tells nothing about which names exist. The session token is
 * 32 random bytes, sent once in an HttpOnly cookie; the database keeps its
 * SHA-256. Each sign-in, failure and sign-out is logged (user name, address,
 * outcome; never a password or a token).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/api.h"
#include "util/error.h"

#define THROTTLE_WINDOW (15 * 60)  /* seconds */
#define THROTTLE_USER 5            /* failures of one user name in the window */
#define THROTTLE_ADDRESS 20        /* failures from one address in the window */

/* Logs one line about a session; the name is printed as far as it is a
 * user name's characters (anything a client sends could be a new line). */
static void log_event(const api_req *req, const char *what, const char *name)
{
	char safe[COSO_USER_NAME_MAX + 4];
	size_t i = 0;

	if (!req->log)
		return;
	for (; name && name[i] && i < COSO_USER_NAME_MAX; i++) {
		char c = name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
			  c == '_' || c == '-' || c == '@';

		safe[i] = ok ? c : '?';
	}
	if (name && name[i])
		safe[i++] = '~';
	safe[i] = '\0';
	fprintf(req->log, "coso: session: %s: user %s from %s\n", what, safe, req->remote ? req->remote : "?");
	fflush(req->log);
}

static int collect_root(void *ctx, const char *code, const char *name)
{
	json_t *r = json_pack("{s:s, s:s}", "code", code, "name", name ? name : "");

	if (!r || json_array_append_new(ctx, r) < 0)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	return 0;
}

/* {user, role, role_title, scope, scope_units, permissions, csrf, idle_timeout, lifetime} */
static int session_json(const api_req *req, const coso_user *u, coso_role role, const char *token, json_t **out)
{
	char csrf[COSO_TOKEN_TEXT];
	json_t *perms = json_array(), *roots = json_array();
	int rc;

	*out = NULL;
	if (!perms || !roots) {
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
		goto done;
	}
	for (int p = 0; p < COSO_PERM_MAX; p++)
		if (coso_role_allows(role, (coso_perm)p) && json_array_append_new(perms, json_string(coso_perm_name((coso_perm)p))) < 0) {
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
			goto done;
		}
	if ((rc = coso_store_access_roots(req->st, collect_root, roots)) < 0)
		goto done;
	coso_token_csrf(token, csrf);
	*out = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:i, s:i}", "user", u->name,
			 "role", coso_role_name(role) ? coso_role_name(role) : u->role, "role_title", coso_role_title(role),
			 "scope", u->scope ? json_string(u->scope) : json_null(), "scope_units", roots,
			 "permissions", perms, "csrf", csrf, "idle_timeout", API_SESSION_IDLE,
			 "lifetime", API_SESSION_LIFETIME);
	perms = roots = NULL;
	rc = *out ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
done:
	json_decref(perms);
	json_decref(roots);
	return rc;
}

/* 429 when the user name or the address failed too often lately. */
static int throttled(const api_req *req, const char *key, const char *addr, long long now, api_res *res)
{
	long long ucount, uoldest, acount, aoldest, wait = 0;
	int rc;

	if ((rc = coso_store_attempts(req->st, COSO_ATTEMPT_USER, key, now - THROTTLE_WINDOW, &ucount, &uoldest)) < 0 ||
	    (rc = coso_store_attempts(req->st, COSO_ATTEMPT_ADDRESS, addr, now - THROTTLE_WINDOW, &acount, &aoldest)) < 0)
		return rc;
	if (ucount >= THROTTLE_USER)
		wait = uoldest + THROTTLE_WINDOW - now;
	if (acount >= THROTTLE_ADDRESS && aoldest + THROTTLE_WINDOW - now > wait)
		wait = aoldest + THROTTLE_WINDOW - now;
	if (ucount < THROTTLE_USER && acount < THROTTLE_ADDRESS)
		return 0;
	res->retry_after = wait > 0 ? (int)wait : 1;
	log_event(req, "throttled", key);
	return coso_error_set(API_ETHROTTLED, "too many failed sign-ins: try again in %d minute%s",
			      (res->retry_after + 59) / 60, res->retry_after > 60 ? "s" : "");
}

int api_session_start(const api_req *req, api_res *res)
{
	const char *name = api_body_str(req, "user"), *pw = api_body_str(req, "password");
	const char *addr = req->remote ? req->remote : "unknown";
	long long now = (long long)time(NULL);
	char key[COSO_USER_NAME_MAX + 1], token[COSO_TOKEN_TEXT], fresh[COSO_PWHASH_BUFSZ];
	unsigned char hash[COSO_TOKEN_HASH_BYTES];
	coso_user u = { 0 };
	coso_role role;
	json_t *out = NULL;
	bool found = false;
	int rc;

	/* the throttle's key: the name as given (its first 64 bytes) */
	snprintf(key, sizeof(key), "%s", name ? name : "");
	if ((rc = throttled(req, key, addr, now, res)) < 0)
		return rc;
	if (name && pw && coso_user_name_check(name) == 0) {
		rc = coso_store_user_get(req->st, name, &u);
		if (rc < 0 && rc != COSO_ENOTFOUND)
			return rc;
		found = rc == 0;
	}
	if (!found || !coso_password_verify(u.pwhash, pw ? pw : "")) {
		if (!found)
			coso_password_burn(pw);
		coso_user_clear(&u);
		if ((rc = coso_store_attempt_add(req->st, key, addr, now, now - THROTTLE_WINDOW)) < 0)
			return rc;
		log_event(req, "sign-in failed", key);
		return coso_error_set(API_EUNAUTHORIZED, "wrong user name or password");
	}
	if (u.disabled) {
		log_event(req, "sign-in of a disabled user", u.name);
		coso_user_clear(&u);
		return coso_error_set(API_EFORBIDDEN, "this account is disabled: ask an administrator");
	}
	role = coso_role_parse(u.role);
	/* a hash made with other limits (the test suite's) is made again */
	if (coso_password_needs_rehash(u.pwhash) && coso_password_hash(pw, fresh) == 0)
		(void)coso_store_user_rehash(req->st, u.name, fresh);
	if ((rc = coso_store_attempts_clear(req->st, key)) < 0 || (rc = coso_token_new(token)) < 0)
		goto done;
	coso_token_hash(token, hash);
	if ((rc = coso_store_session_create(req->st, hash, sizeof(hash), u.name, req->remote, now,
					    now + API_SESSION_LIFETIME)) < 0)
		goto done;
	if (u.scope && (rc = coso_store_set_access(req->st, u.scope, req->today)) < 0)
		goto done;
	if ((rc = session_json(req, &u, role, token, &out)) < 0)
		goto done;
	if (!(res->set_cookie = api_session_cookie(token, req->secure))) {
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
		goto done;
	}
	log_event(req, "signed in", u.name);
	rc = api_ok(res, out);
	out = NULL;
done:
	json_decref(out);
	coso_user_clear(&u);
	memset(token, 0, sizeof(token));
	return rc;
}

int api_session_get(const api_req *req, api_res *res)
{
	json_t *out = NULL;
	int rc = session_json(req, &req->user->u, req->user->role, req->token, &out);

	return rc < 0 ? rc : api_ok(res, out);
}

int api_session_end(const api_req *req, api_res *res)
{
	unsigned char hash[COSO_TOKEN_HASH_BYTES];
	int rc;

	coso_token_hash(req->token, hash);
	if ((rc = coso_store_session_end(req->st, hash, sizeof(hash))) < 0)
		return rc;
	if (!(res->set_cookie = api_session_cookie(NULL, req->secure)))
		return coso_error_set(COSO_ENOMEM, "out of memory");
	log_event(req, "signed out", req->user->u.name);
	return api_ok(res, json_pack("{s:s}", "status", "signed out"));
}

static int collect_user(void *ctx, const coso_user *u)
{
	json_t *j = json_pack("{s:s, s:s, s:o, s:b, s:I, s:I}", "name", u->name, "role", u->role,
			      "scope", u->scope ? json_string(u->scope) : json_null(), "disabled", u->disabled,
			      "created_at", (json_int_t)u->created_at, "sessions", (json_int_t)u->sessions);

	if (!j || json_array_append_new(ctx, j) < 0)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	return 0;
}

int api_users_list(const api_req *req, api_res *res)
{
	json_t *items = json_array();
	int rc;

	if (!items)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	if ((rc = coso_store_users(req->st, collect_user, items)) < 0) {
		json_decref(items);
		return rc;
	}
	return api_ok(res, json_pack("{s:o}", "items", items));
}
