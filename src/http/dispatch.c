/*
 * dispatch.c: one dispatcher for every request (http/http.h).
 *
 * Outside /api/ it serves the browser interface. Under /api/ it finds the
 * route (404 when no pattern matches, 405 when one matches with another
 * method), checks what every route needs before its handler runs (content
 * type 415, body size 413, who sends it: session 401, CSRF token, Origin
 * and the role's permission 403 (access.c); query length and values 400,
 * JSON syntax 400 with the position, the body's fields 422, the records it
 * names against the user's scope 404/403), gives the handler this thread's
 * store, limited to the user's scope, and turns the handler's coso_rc into a
 * status and a problem+json body (RFC 9457) in one place, status_of().
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/store_audit.h"
#include "http/api.h"
#include "http/cache.h"
#include "http/http.h"
#include "http/static.h"
#include "util/csv.h"
#include "util/error.h"

void coso_http_response_clear(coso_http_response *res)
{
	if (!res)
		return;
	free(res->body);
	free(res->file);
	free(res->set_cookie);
	memset(res, 0, sizeof(*res));
}

/* ---- responses ---------------------------------------------------------------- */

static const char *title_of(int status)
{
	switch (status) {
	case 400: return "Bad request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not found";
	case 405: return "Method not allowed";
	case 413: return "Content too large";
	case 415: return "Unsupported media type";
	case 422: return "Invalid request";
	case 429: return "Too many requests";
	default: return "Internal error";
	}
}

/* Puts obj (taken) in res as JSON; a failure to encode is a bare 500. */
static void send_json(coso_http_response *res, int status, const char *type, json_t *obj)
{
	char *s = obj ? json_dumps(obj, JSON_COMPACT) : NULL;

	json_decref(obj);
	free(res->body);
	res->body = NULL;
	if (!s) {
		static const char oom[] = "{\"type\":\"about:blank\",\"title\":\"Internal error\",\"status\":500}";

		status = 500;
		type = "application/problem+json";
		s = strdup(oom);
	}
	res->status = status;
	res->content_type = type;
	res->body = s;
	res->body_len = s ? strlen(s) : 0;
}

/* Makes s valid UTF-8 in place: each byte that does not start a valid
 * sequence, or starts one cut short (by the client or by a truncated
 * message), becomes '?'. Problems echo request text (a path, a query value,
 * a code), and jansson refuses a string that is not UTF-8: without this, a
 * client could turn any 404 into a 500 at will. */
static void utf8_sanitize(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		size_t len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3
			   : (*p & 0xf8) == 0xf0 ? 4 : 0;
		unsigned cp;
		size_t i;

		if (len == 1) {
			p++;
			continue;
		}
		for (i = 1; len && i < len; i++)
			if ((p[i] & 0xc0) != 0x80)
				len = 0;
		if (len) {
			cp = len == 2 ? (p[0] & 0x1fu) : len == 3 ? (p[0] & 0x0fu) : (p[0] & 0x07u);
			for (i = 1; i < len; i++)
				cp = (cp << 6) | (p[i] & 0x3fu);
			/* overlong forms, surrogates and code points past U+10FFFF */
			if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
			    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
				len = 0;
		}
		if (!len) {
			*p++ = '?';
			continue;
		}
		p += len;
	}
}

/* A problem+json answer: {type, title, status, detail[, errors]}. */
static void problem(coso_http_response *res, int status, const coso_field_errors *errs, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void problem(coso_http_response *res, int status, const coso_field_errors *errs, const char *fmt, ...)
{
	char detail[1200];
	va_list ap;
	json_t *obj;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	utf8_sanitize(detail);
	obj = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank", "title", title_of(status),
			"status", status, "detail", detail);
	if (obj && errs) {
		json_t *arr = json_array();

		for (size_t i = 0; arr && i < errs->n; i++) {
			char field[256], message[1024];

			snprintf(field, sizeof(field), "%s", errs->v[i].field);
			snprintf(message, sizeof(message), "%s", errs->v[i].message);
			utf8_sanitize(field);
			utf8_sanitize(message);
			json_array_append_new(arr, json_pack("{s:s, s:s}", "field", field, "message", message));
		}
		if (arr && errs->dropped)
			json_array_append_new(arr, json_pack("{s:s, s:s}", "field", "", "message", "more problems not shown"));
		json_object_set_new(obj, "errors", arr);
	}
	send_json(res, status, "application/problem+json", obj);
}

/* The one mapping from a handler's result to a status. */
static int status_of(int rc, const coso_field_errors *errs)
{
	switch (rc) {
	case COSO_ENOTFOUND: return 404;
	case COSO_EINVALID: return errs->n + errs->dropped > 0 ? 422 : 400;
	case COSO_ECONFLICT: return 422;
	case API_EUNAUTHORIZED: return 401;
	case API_EFORBIDDEN: return 403;
	case API_ETHROTTLED: return 429;
	default: return 500;
	}
}

/* ---- routes -------------------------------------------------------------------- */

/* Matches path against pattern; on success the {params} are copied into buf
 * (NUL-separated) and pointed to by params. */
static bool match(const char *pattern, const char *path, char *buf, size_t bufsz, const char **params)
{
	size_t used = 0;
	int np = 0;

	while (*pattern && *path) {
		if (*pattern != '/' || *path != '/')
			return false;
		pattern++;
		path++;
		size_t pl = strcspn(pattern, "/"), sl = strcspn(path, "/");

		if (pattern[0] == '{') {
			if (sl == 0 || np >= API_MAX_PATH_PARAMS || used + sl + 1 > bufsz)
				return false;
			memcpy(buf + used, path, sl);
			buf[used + sl] = '\0';
			params[np++] = buf + used;
			used += sl + 1;
		} else if (pl != sl || memcmp(pattern, path, pl) != 0) {
			return false;
		}
		pattern += pl;
		path += sl;
	}
	return *pattern == '\0' && *path == '\0';
}

static bool same_method(const char *route_method, const char *method)
{
	if (strcmp(route_method, method) == 0)
		return true;
	return strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0;
}

/* Finds the route of (method, path). Returns it, or NULL with *status 404 or
 * 405 (and *allow the methods the path has). */
static const api_route *find_route(const char *method, const char *path, char *buf, size_t bufsz,
				   const char **params, int *status, const char **allow)
{
	bool get = false, post = false;

	for (size_t i = 0; i < api_nroutes; i++) {
		const char *p[API_MAX_PATH_PARAMS];

		if (!match(api_routes[i].pattern, path, buf, bufsz, p))
			continue;
		if (same_method(api_routes[i].method, method)) {
			memcpy(params, p, sizeof(p));
			return &api_routes[i];
		}
		get |= strcmp(api_routes[i].method, "GET") == 0;
		post |= strcmp(api_routes[i].method, "POST") == 0;
	}
	*status = get || post ? 405 : 404;
	*allow = get && post ? "GET, HEAD, POST" : get ? "GET, HEAD" : post ? "POST" : NULL;
	return NULL;
}

static bool is_api(const char *path)
{
	return strcmp(path, "/api") == 0 || strncmp(path, "/api/", 5) == 0;
}

/* Whether a Content-Type names JSON: application/json, any parameters. */
static bool is_json_type(const char *ct)
{
	size_t n;

	if (!ct)
		return false;
	while (*ct == ' ')
		ct++;
	n = strcspn(ct, ";");
	while (n > 0 && ct[n - 1] == ' ')
		n--;
	return n == 16 && strncasecmp(ct, "application/json", 16) == 0;
}

/* Checks what can be checked before the body: route, method, query size,
 * content type, declared length. Returns the route, or NULL with res set. */
static const api_route *check_head(const coso_http_request *req, char *buf, size_t bufsz, const char **params,
				   coso_http_response *res)
{
	const api_route *r;
	const char *allow = NULL;
	int status = 404;

	r = find_route(req->method, req->path, buf, bufsz, params, &status, &allow);
	if (!r) {
		if (status == 405) {
			problem(res, 405, NULL, "%s is not allowed on %s (allowed: %s)", req->method, req->path, allow);
			res->allow = allow;
		} else {
			problem(res, 404, NULL, "no such route: %s %s", req->method, req->path);
		}
		return NULL;
	}
	if (req->query_too_long) {
		problem(res, 400, NULL, "the query string is too long (at most %d arguments and %d bytes)",
			COSO_HTTP_MAX_ARGS, COSO_HTTP_MAX_QUERY);
		return NULL;
	}
	if (r->body && !is_json_type(req->content_type)) {
		problem(res, 415, NULL, "the body must be JSON (Content-Type: application/json), not %s",
			req->content_type ? req->content_type : "nothing");
		return NULL;
	}
	if ((req->content_length >= 0 && (unsigned long long)req->content_length > r->body_limit) ||
	    req->body_too_large) {
		problem(res, 413, NULL, "the body is larger than %zu bytes", r->body_limit);
		return NULL;
	}
	return r;
}

bool coso_http_precheck(const coso_http_env *env, const coso_http_request *req, size_t *body_limit,
			coso_http_response *res)
{
	const char *params[API_MAX_PATH_PARAMS];
	char buf[1024];
	const api_route *r;

	(void)env;
	*body_limit = 0;
	if (!is_api(req->path)) {
		if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
			problem(res, 405, NULL, "%s is not allowed on %s (allowed: GET, HEAD)", req->method, req->path);
			res->allow = "GET, HEAD";
			return false;
		}
		if (req->content_length > 0) {
			problem(res, 413, NULL, "the body is larger than 0 bytes");
			return false;
		}
		return true;
	}
	r = check_head(req, buf, sizeof(buf), params, res);
	if (!r)
		return false;
	*body_limit = r->body_limit;
	return true;
}

/* ---- query and body values --------------------------------------------------- */

static int param_index(const api_param *ps, const char *name)
{
	for (int i = 0; ps && ps[i].name; i++)
		if (strcmp(ps[i].name, name) == 0)
			return i;
	return -1;
}

const char *api_query(const api_req *req, const char *name)
{
	int i = param_index(req->route->query, name);

	return i >= 0 && i < API_MAX_QUERY ? req->query[i] : NULL;
}

coso_day api_query_day(const api_req *req, const char *name, coso_day dflt)
{
	const char *s = api_query(req, name);
	coso_day d;

	if (!s || coso_date_parse(&d, s, strlen(s)) < 0)
		return dflt;
	return d;
}

/* Parses a whole number of decimal digits only. */
static bool parse_count(const char *s, long long *out)
{
	char *end;

	if (!*s || !isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno == 0 && *end == '\0';
}

long long api_query_int(const api_req *req, const char *name, long long dflt)
{
	const char *s = api_query(req, name);
	long long v;

	return s && parse_count(s, &v) ? v : dflt;
}

static bool one_of(const char *s, const char *const *set)
{
	for (; set && *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

static void list_of(char *buf, size_t n, const char *const *set)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; set && *set && used < n; set++) {
		int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", *set);

		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* Checks the query against the route's declaration; fills req->query.
 * Unknown arguments are ignored (a cache-busting _=123 must not fail). */
static bool check_query(const coso_http_request *hr, api_req *req, coso_http_response *res)
{
	const api_param *ps = req->route->query;

	for (size_t a = 0; a < hr->nargs; a++) {
		const char *v = hr->args[a].value ? hr->args[a].value : "";
		int i = param_index(ps, hr->args[a].key);
		const api_param *p;
		coso_day d;
		long long n;
		char list[256];

		if (i < 0 || i >= API_MAX_QUERY || req->query[i])
			continue; /* unknown, or given twice: the first counts */
		p = &ps[i];
		switch (p->type) {
		case API_DATE:
			if (coso_date_parse(&d, v, strlen(v)) < 0) {
				problem(res, 400, NULL, "%s: '%s' is not a date that exists (write YYYY-MM-DD)", p->name, v);
				return false;
			}
			break;
		case API_INT:
			if (!parse_count(v, &n) || n < p->min || n > p->max) {
				problem(res, 400, NULL, "%s: '%s' is not a whole number from %lld to %lld", p->name, v,
					p->min, p->max);
				return false;
			}
			break;
		case API_ENUM:
			if (!one_of(v, p->values)) {
				list_of(list, sizeof(list), p->values);
				problem(res, 400, NULL, "%s: '%s' is not one of: %s", p->name, v, list);
				return false;
			}
			break;
		default:
			break;
		}
		req->query[i] = v;
	}
	return true;
}

static json_t *body_field(const api_req *req, const char *name)
{
	json_t *v = req->body ? json_object_get(req->body, name) : NULL;

	return v && !json_is_null(v) ? v : NULL;
}

const char *api_body_str(const api_req *req, const char *name)
{
	json_t *v = body_field(req, name);
	int i = param_index(req->route->body, name);
	const char *s;

	if (!v || !json_is_string(v))
		return NULL;
	s = json_string_value(v);
	if (!*s && i >= 0 && !req->route->body[i].required)
		return NULL;
	return s;
}

coso_day api_body_day(const api_req *req, const char *name, coso_day dflt)
{
	const char *s = api_body_str(req, name);
	coso_day d;

	if (!s || coso_date_parse(&d, s, strlen(s)) < 0)
		return dflt;
	return d;
}

int api_body_flag(const api_req *req, const char *name, int dflt)
{
	json_t *v = body_field(req, name);

	if (!v)
		return dflt;
	if (json_is_boolean(v))
		return json_is_true(v);
	return json_is_integer(v) ? (int)json_integer_value(v) : dflt;
}

long long api_body_int(const api_req *req, const char *name, long long dflt)
{
	json_t *v = body_field(req, name);

	return v && json_is_integer(v) ? (long long)json_integer_value(v) : dflt;
}

/* Checks the body's fields against the route's declaration: unknown fields,
 * required ones, types. Problems go to errs (422). */
static void check_body(const api_req *req, coso_field_errors *errs)
{
	const api_param *ps = req->route->body;
	const char *key;
	json_t *v;

	json_object_foreach(req->body, key, v) {
		if (param_index(ps, key) < 0) {
			char list[400];
			size_t used = 0;

			list[0] = '\0';
			for (int i = 0; ps[i].name && used < sizeof(list); i++) {
				int w = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", ps[i].name);

				if (w < 0)
					break;
				used += (size_t)w;
			}
			coso_field_errors_add(errs, key, "unknown field (the fields are: %s)", list);
		}
	}
	for (int i = 0; ps[i].name; i++) {
		const api_param *p = &ps[i];
		char list[256];
		coso_day d;

		v = body_field(req, p->name);
		if (!v) {
			if (p->required)
				coso_field_errors_add(errs, p->name, "is required");
			continue;
		}
		switch (p->type) {
		case API_STRING:
			if (!json_is_string(v))
				coso_field_errors_add(errs, p->name, "must be a string");
			else if (json_string_length(v) > COSO_CSV_MAX_FIELD)
				/* what the interchange format could not export */
				coso_field_errors_add(errs, p->name, "is longer than %d bytes", COSO_CSV_MAX_FIELD);
			break;
		case API_ENUM:
			if (!json_is_string(v) || !one_of(json_string_value(v), p->values)) {
				list_of(list, sizeof(list), p->values);
				if (json_is_string(v))
					coso_field_errors_add(errs, p->name, "'%s' is not one of: %s", json_string_value(v), list);
				else
					coso_field_errors_add(errs, p->name, "must be one of: %s", list);
			}
			break;
		case API_DATE:
			if (!json_is_string(v))
				coso_field_errors_add(errs, p->name, "must be a date (YYYY-MM-DD)");
			else if (coso_date_parse(&d, json_string_value(v), json_string_length(v)) < 0)
				coso_field_errors_add(errs, p->name, "'%s' is not a date that exists (write YYYY-MM-DD)",
						      json_string_value(v));
			break;
		case API_FLAG:
			if (!json_is_boolean(v) && !(json_is_integer(v) && (json_integer_value(v) == 0 ||
									     json_integer_value(v) == 1)))
				coso_field_errors_add(errs, p->name, "is not a flag (true, false, 0 or 1)");
			break;
		case API_INT:
			if (!json_is_integer(v) || json_integer_value(v) < p->min || json_integer_value(v) > p->max)
				coso_field_errors_add(errs, p->name, "is not a whole number from %lld to %lld", p->min, p->max);
			break;
		}
	}
}

/* ---- dispatch --------------------------------------------------------------------- */

static void serve_static(const coso_http_env *env, const coso_http_request *req, coso_http_response *res)
{
	char *file = NULL;
	int rc;

	if (!env->web_dir) {
		problem(res, 404, NULL, "no browser interface is served (start coso serve with --web DIR)");
		return;
	}
	rc = coso_static_resolve(env->web_dir, req->path, &file);
	if (rc == COSO_EINVALID) {
		problem(res, 400, NULL, "%s", coso_error_last());
		return;
	}
	if (rc < 0) {
		problem(res, rc == COSO_ENOTFOUND ? 404 : 500, NULL, "%s", coso_error_last());
		return;
	}
	res->status = 200;
	res->file = file;
	res->content_type = coso_static_content_type(file);
}

/* The read routes whose answers are kept (http/cache.h): those the
 * dashboard and the member list ask again and again. They read only the
 * registry, whose every change moves the store's version. */
static bool cacheable(const api_route *r)
{
	static const char *const patterns[] = {
		"/api/v1/reports/asof", "/api/v1/reports/flow", "/api/v1/reports/timeline",
		"/api/v1/reports/admissions", "/api/v1/members", NULL,
	};

	if (strcmp(r->method, "GET") != 0)
		return false;
	for (const char *const *p = patterns; *p; p++)
		if (strcmp(r->pattern, *p) == 0)
			return true;
	return false;
}

/* The key of a request's answer: the registry's version, who reads (role,
 * scope, default scope), today, the path and the query, fields apart by a
 * byte no value holds. False when it does not fit (then nothing is kept). */
static bool cache_key(const api_req *req, const coso_http_request *hr, char *key, size_t n)
{
	long long version;
	size_t used;
	int w;

	if (coso_store_version(req->st, &version) < 0)
		return false;
	w = snprintf(key, n, "%lld\x1f%s\x1f%s\x1f%s\x1f%ld\x1f%s", version,
		     req->user && req->user->u.role ? req->user->u.role : "",
		     req->user && req->user->u.scope ? req->user->u.scope : "*",
		     req->user && req->user->home ? req->user->home : "*", (long)req->today, hr->path);
	if (w < 0 || (size_t)w >= n)
		return false;
	used = (size_t)w;
	for (size_t i = 0; i < hr->nargs; i++) {
		w = snprintf(key + used, n - used, "\x1f%s\x1e%s", hr->args[i].key,
			     hr->args[i].value ? hr->args[i].value : "\x1d");
		if (w < 0 || (size_t)w >= n - used)
			return false;
		used += (size_t)w;
	}
	return true;
}

/* Answers a request refused before its handler. */
static void refuse(coso_http_response *res, const api_verdict *v, bool secure)
{
	problem(res, v->status, NULL, "%s", v->detail);
	res->retry_after = v->retry_after;
	res->challenge = v->status == 401;
	if (v->clear_cookie)
		res->set_cookie = api_session_cookie(NULL, secure);
}

void coso_http_dispatch(const coso_http_env *env, const coso_http_request *hr, coso_http_response *res)
{
	api_req req;
	api_res out = { .status = 0, .body = NULL, .errors = COSO_FIELD_ERRORS_INIT };
	api_user user;
	api_verdict verdict;
	char buf[1024], key[2048] = "";
	json_error_t jerr;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&req, 0, sizeof(req));
	if (!is_api(hr->path)) {
		if (coso_http_precheck(env, hr, &(size_t){ 0 }, res))
			serve_static(env, hr, res);
		return;
	}
	memset(&user, 0, sizeof(user));
	req.route = check_head(hr, buf, sizeof(buf), req.path, res);
	if (!req.route)
		return;
	/* who sends it, before anything about the request is looked at */
	if ((rc = env->store(env->store_ctx, &req.st)) < 0) {
		problem(res, 500, NULL, "%s", coso_error_last());
		return;
	}
	req.today = coso_date_today();
	req.log = env->log;
	api_authenticate(hr, &req, &user, &verdict);
	if (verdict.status) {
		refuse(res, &verdict, req.secure);
		goto done;
	}
	if (!check_query(hr, &req, res))
		goto done;
	if (req.route->body) {
		req.body = json_loadb(hr->body ? hr->body : "", hr->body_len, JSON_REJECT_DUPLICATES, &jerr);
		if (!req.body) {
			problem(res, 400, NULL, "the body is not valid JSON: %s at line %d, column %d (byte %d)", jerr.text,
				jerr.line, jerr.column, jerr.position);
			goto done;
		}
		if (!json_is_object(req.body)) {
			problem(res, 400, NULL, "the body must be a JSON object");
			goto done;
		}
		check_body(&req, &out.errors);
		if (out.errors.n + out.errors.dropped > 0) {
			problem(res, 422, &out.errors, "%zu problem%s", out.errors.n + out.errors.dropped,
				out.errors.n + out.errors.dropped == 1 ? "" : "s");
			goto done;
		}
	}
	/* the records it names, against the user's scope */
	api_check_scope(&req, &verdict);
	if (verdict.status) {
		refuse(res, &verdict, req.secure);
		goto done;
	}
	/* who acts, for the audit log (db/store_audit.h): the signed-in user (no one
	 * on a public route), from the client's address */
	if ((rc = coso_store_set_actor(req.st, req.user ? req.user->u.name : NULL, hr->remote)) < 0) {
		problem(res, 500, NULL, "%s", coso_error_last());
		goto done;
	}
	/* a read everyone asks: its answer for this version of the registry */
	if (env->cache && !hr->query_too_long && cacheable(req.route)) {
		size_t len;
		char *body;

		if (!cache_key(&req, hr, key, sizeof(key)))
			key[0] = '\0';
		else if ((body = coso_cache_get(env->cache, key, &len))) {
			res->status = 200;
			res->content_type = "application/json";
			res->body = body;
			res->body_len = len;
			goto done;
		}
	}
	out.status = req.route->status;
	coso_error_clear();
	rc = req.route->handler(&req, &out);
	if (rc < 0) {
		int status = status_of(rc, &out.errors);

		if (status == 422 && out.errors.n + out.errors.dropped > 0)
			problem(res, 422, &out.errors, "%zu problem%s", out.errors.n + out.errors.dropped,
				out.errors.n + out.errors.dropped == 1 ? "" : "s");
		else
			problem(res, status, NULL, "%s", *coso_error_last() ? coso_error_last() : "internal error");
		res->retry_after = status == 429 ? out.retry_after : 0;
		res->challenge = status == 401;
		goto done;
	}
	send_json(res, out.status, "application/json", out.body);
	out.body = NULL;
	if (key[0] && res->status == 200 && res->body)
		coso_cache_put(env->cache, key, res->body, res->body_len);
	res->set_cookie = out.set_cookie;
	out.set_cookie = NULL;
done:
	/* the next request on this connection starts unlimited and anonymous */
	if (req.st)
		coso_store_set_access(req.st, NULL, 0);
	json_decref(out.body);
	json_decref(req.body);
	free(out.set_cookie);
	coso_field_errors_clear(&out.errors);
	coso_user_clear(&user.u);
	free(user.home);
	memset(user.token, 0, sizeof(user.token));
}
