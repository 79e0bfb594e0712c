/*
 * access.c: who sends a request, and what they may see (http/api.h,
 * docs/SECURITY.md). The dispatcher calls api_authenticate() once the route
 * is known and api_check_scope() once the query and body are checked; the
 * handlers never decide who may call them, only what a write must also
 * respect (a user with a scope cannot add a top unit).
 *
 * The session is named by an HttpOnly cookie; a POST must also carry the
 * session's CSRF token in X-CSRF-Token (a header another site's page cannot
 * send without our consent, which no CORS header ever gives) and, when the
 * browser sends an Origin, come from this very site.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http/api.h"
#include "util/error.h"

static void deny(api_verdict *v, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void deny(api_verdict *v, int status, const char *fmt, ...)
{
	va_list ap;

	v->status = status;
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
	va_end(ap);
}

/* A client's text for a message: at most n - 1 bytes of whole UTF-8
 * characters, anything else (a stray byte, a control character) as '?', so
 * that the answer stays valid JSON text. Returns out. */
static const char *clean(char *out, size_t n, const char *s)
{
	size_t o = 0;

	while (s && *s && o + 1 < n) {
		const unsigned char *u = (const unsigned char *)s;
		size_t len = u[0] < 0x80 ? 1 : (u[0] & 0xE0) == 0xC0 ? 2 : (u[0] & 0xF0) == 0xE0 ? 3 :
			     (u[0] & 0xF8) == 0xF0 ? 4 : 0;
		size_t k = 1;

		while (len > 1 && k < len && (u[k] & 0xC0) == 0x80)
			k++;
		/* not UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF) */
		bool bad = len == 0 || k < len || (len == 2 && u[0] < 0xC2) || (len == 3 && u[0] == 0xE0 && u[1] < 0xA0) ||
			   (len == 3 && u[0] == 0xED && u[1] >= 0xA0) || (len == 4 && u[0] == 0xF0 && u[1] < 0x90) ||
			   (len == 4 && (u[0] > 0xF4 || (u[0] == 0xF4 && u[1] >= 0x90)));

		if (bad || u[0] < 0x20 || u[0] == 0x7F) {
			out[o++] = '?';
			s++;
			continue;
		}
		if (o + len >= n)
			break;
		memcpy(out + o, s, len);
		o += len;
		s += len;
	}
	out[o] = '\0';
	return out;
}

/* The first element of a comma-separated header value (X-Forwarded-*: the
 * client's side comes first), into buf. */
static const char *first_of(const char *value, char *buf, size_t n)
{
	size_t len;

	while (*value == ' ')
		value++;
	len = strcspn(value, ", ");
	if (len >= n)
		len = n - 1;
	memcpy(buf, value, len);
	buf[len] = '\0';
	return buf;
}

/* Whether the client reached us over TLS: the connection itself, or a proxy
 * in front that says so. */
static bool is_secure(const coso_http_request *hr)
{
	char proto[16];

	return hr->tls || (hr->forwarded_proto && strcasecmp(first_of(hr->forwarded_proto, proto, sizeof(proto)),
							       "https") == 0);
}

/* A POST's Origin, when the browser sends one, must be this site: the
 * scheme we are reached by and the Host (or a proxy's X-Forwarded-Host). */
static bool origin_ok(const coso_http_request *hr, bool secure)
{
	const char *scheme = secure ? "https://" : "http://";
	size_t n = strlen(scheme);
	char fwd[256];

	if (!hr->origin)
		return true;
	if (strncasecmp(hr->origin, scheme, n) != 0)
		return false;
	if (hr->host && strcasecmp(hr->origin + n, hr->host) == 0)
		return true;
	return hr->forwarded_host && strcasecmp(hr->origin + n, first_of(hr->forwarded_host, fwd, sizeof(fwd))) == 0;
}

/* The value of the session cookie in a Cookie header, when it has the shape
 * of a token (into out); *present tells whether the cookie was there at all. */
static bool cookie_token(const char *header, char out[COSO_TOKEN_TEXT], bool *present)
{
	static const char name[] = API_SESSION_COOKIE "=";
	const char *p = header;

	*present = false;
	while (p && *p) {
		size_t len;

		while (*p == ' ' || *p == ';')
			p++;
		len = strcspn(p, ";");
		if (len >= sizeof(name) - 1 && strncmp(p, name, sizeof(name) - 1) == 0) {
			size_t vlen = len - (sizeof(name) - 1);

			*present = true;
			while (vlen > 0 && p[sizeof(name) - 1 + vlen - 1] == ' ')
				vlen--;
			if (vlen == COSO_TOKEN_TEXT - 1) {
				memcpy(out, p + sizeof(name) - 1, vlen);
				out[vlen] = '\0';
				if (coso_token_valid(out))
					return true;
			}
		}
		p += len;
	}
	out[0] = '\0';
	return false;
}

static bool perm_of(api_perm p, coso_perm *out)
{
	switch (p) {
	case API_READ: *out = COSO_PERM_READ; return true;
	case API_WRITE_REGISTRY: *out = COSO_PERM_WRITE_REGISTRY; return true;
	case API_WRITE_UNITS: *out = COSO_PERM_WRITE_UNITS; return true;
	case API_ADMIN: *out = COSO_PERM_ADMIN; return true;
	default: return false;
	}
}

void api_authenticate(const coso_http_request *hr, api_req *req, api_user *user, api_verdict *v)
{
	const api_route *r = req->route;
	bool post = strcmp(r->method, "POST") == 0, present;
	unsigned char hash[COSO_TOKEN_HASH_BYTES];
	char csrf[COSO_TOKEN_TEXT];
	coso_perm perm;
	int rc;

	memset(v, 0, sizeof(*v));
	memset(user, 0, sizeof(*user));
	req->secure = is_secure(hr);
	req->remote = hr->remote;
	if (post && !origin_ok(hr, req->secure)) {
		char o[120];

		deny(v, 403, "this request comes from another site (Origin %s): refused", clean(o, sizeof(o), hr->origin));
		return;
	}
	if (r->perm == API_PUBLIC)
		return;
	if (!cookie_token(hr->cookie, user->token, &present)) {
		deny(v, 401, "sign in first (POST /api/v1/session)");
		v->clear_cookie = present;
		return;
	}
	coso_token_hash(user->token, hash);
	rc = coso_store_session_get(req->st, hash, sizeof(hash), (long long)time(NULL), API_SESSION_IDLE, &user->u);
	if (rc == COSO_ENOTFOUND) {
		deny(v, 401, "the session has ended (signed out, unused for %d minutes, older than %d hours, or"
		     " revoked): sign in again", API_SESSION_IDLE / 60, API_SESSION_LIFETIME / 3600);
		v->clear_cookie = true;
		return;
	}
	if (rc < 0) {
		deny(v, 500, "%s", coso_error_last());
		return;
	}
	user->role = coso_role_parse(user->u.role);
	if (post) {
		coso_token_csrf(user->token, csrf);
		if (!hr->csrf || !coso_token_equal(hr->csrf, csrf)) {
			deny(v, 403, "%s X-CSRF-Token header: send the csrf of the session (GET /api/v1/session)",
			     hr->csrf ? "wrong" : "missing");
			return;
		}
	}
	if (perm_of(r->perm, &perm) && !coso_role_allows(user->role, perm)) {
		deny(v, 403, "a %s may not %s", coso_role_title(user->role), coso_perm_title(perm));
		return;
	}
	req->user = user;
	req->token = user->token;
	/* from here on, this connection's reads see the user's scope only */
	if (user->u.scope && ((rc = coso_store_set_access(req->st, user->u.scope, req->today)) < 0 ||
			      (rc = api_default_scope(req, &user->home)) < 0)) {
		deny(v, 500, "%s", coso_error_last());
		return;
	}
	req->default_scope = user->home;
}

static const char *noun_of(coso_ref_kind k)
{
	switch (k) {
	case COSO_REF_UNIT: return "unit";
	case COSO_REF_ORG: return "organization";
	case COSO_REF_MEMBER: return "member";
	case COSO_REF_INSTITUTION: return "institution";
	default: return "record";
	}
}

/* 1 when code (a `kind`) is visible; otherwise 0 with v set to 403 naming
 * the parameter (the same words whether or not the record exists). */
static int visible_ref(const api_req *req, const api_param *p, const char *code, api_verdict *v)
{
	int rc = coso_store_visible(req->st, p->ref, code);
	char c[100];

	if (rc < 0)
		deny(v, 500, "%s", coso_error_last());
	else if (rc == 0)
		deny(v, 403, "%s: there is no %s %s in your scope", p->name, noun_of(p->ref), clean(c, sizeof(c), code));
	return rc > 0;
}

void api_check_scope(const api_req *req, api_verdict *v)
{
	const api_route *r = req->route;
	int rc;

	memset(v, 0, sizeof(*v));
	if (!coso_store_access_limited(req->st))
		return;
	if (r->path_ref != COSO_REF_NONE && req->path[0]) {
		char c[100];

		/* as if it did not exist: the answer of a code never used */
		rc = coso_store_visible(req->st, r->path_ref, req->path[0]);
		if (rc < 0)
			deny(v, 500, "%s", coso_error_last());
		else if (rc == 0)
			deny(v, 404, "%s %s is not in the registry", noun_of(r->path_ref), clean(c, sizeof(c), req->path[0]));
		if (rc <= 0)
			return;
	}
	for (int i = 0; r->query && r->query[i].name && i < API_MAX_QUERY; i++) {
		const char *code = req->query[i];

		if (r->query[i].ref != COSO_REF_NONE && code && *code && !visible_ref(req, &r->query[i], code, v))
			return;
	}
	for (int i = 0; r->body && r->body[i].name; i++) {
		const char *code;

		if (r->body[i].ref == COSO_REF_NONE || !(code = api_body_str(req, r->body[i].name)))
			continue;
		if (!visible_ref(req, &r->body[i], code, v))
			return;
	}
}

int api_refresh_access(const api_req *req)
{
	if (!req->user || !req->user->u.scope)
		return 0;
	return coso_store_set_access(req->st, req->user->u.scope, req->today);
}

static int first_root(void *ctx, const char *code, const char *name)
{
	char **out = ctx;

	(void)name;
	*out = strdup(code);
	return *out ? 1 : coso_error_set(COSO_ENOMEM, "out of memory");
}

int api_default_scope(const api_req *req, char **out)
{
	int rc;

	*out = NULL;
	if (!req->user || !req->user->u.scope || !coso_store_access_limited(req->st))
		return 0;
	if ((rc = coso_store_access_roots(req->st, first_root, out)) < 0)
		return rc;
	if (!*out && !(*out = strdup(req->user->u.scope)))
		return coso_error_set(COSO_ENOMEM, "out of memory");
	return 0;
}

char *api_session_cookie(const char *token, bool secure)
{
	char buf[256];
	int n;

	/* HttpOnly: no script reads it; SameSite=Strict: no other site's
	 * request carries it; Path=/: the API and the interface share it */
	if (token)
		n = snprintf(buf, sizeof(buf), "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
			     API_SESSION_COOKIE, token, API_SESSION_LIFETIME, secure ? "; Secure" : "");
	else
		n = snprintf(buf, sizeof(buf), "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s",
			     API_SESSION_COOKIE, secure ? "; Secure" : "");
	if (n < 0 || (size_t)n >= sizeof(buf))
		return NULL;
	return strdup(buf);
}
