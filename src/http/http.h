/*
 * http.h: what the HTTP server (server.c, the only code that sees
 * libmicrohttpd) and the dispatcher (dispatch.c) exchange: a request as
 * plain data, and a response to send.
 *
 * The server calls coso_http_precheck() when a request's headers have
 * arrived (so that a wrong route, method, content type or a declared body
 * too large is answered before any body is read), collects the body up to
 * the limit it returned, then calls coso_http_dispatch().
 */
#ifndef COSO_HTTP_HTTP_H
#define COSO_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "db/store.h"

#define COSO_HTTP_MAX_BODY (64 * 1024)   /* request bodies (413 beyond) */
#define COSO_HTTP_MAX_QUERY 4096         /* bytes of query keys and values (400 beyond) */
#define COSO_HTTP_MAX_ARGS 32            /* query arguments (400 beyond) */

typedef struct coso_http_arg {
	const char *key, *value;   /* value NULL for a key given without '=' */
} coso_http_arg;

typedef struct coso_http_request {
	const char *method;
	const char *path;          /* decoded, without the query string */
	const coso_http_arg *args; /* the query, in order (borrowed) */
	size_t nargs;
	bool query_too_long;       /* more than the limits above: args are incomplete */
	const char *content_type;  /* header, NULL when absent */
	long long content_length;  /* header, -1 when absent */
	const char *body;          /* NULL before the body is read */
	size_t body_len;
	bool body_too_large;       /* more than the route's limit was sent */
	const char *remote;        /* the client's IP address, NULL when unknown */
	/* headers of who sends it (docs/SECURITY.md), NULL when absent */
	const char *cookie;        /* Cookie */
	const char *csrf;          /* X-CSRF-Token */
	const char *origin;        /* Origin */
	const char *host;          /* Host */
	const char *forwarded_host;  /* X-Forwarded-Host (a proxy in front) */
	const char *forwarded_proto; /* X-Forwarded-Proto: "https" behind a TLS proxy */
	bool tls;                  /* the connection itself is TLS */
} coso_http_request;

typedef struct coso_http_response {
	int status;
	const char *content_type;  /* static string */
	char *body;                /* malloc'd (free()), may be NULL */
	size_t body_len;
	const char *allow;         /* the Allow header of a 405 (static), or NULL */
	char *file;                /* instead of body: a file to send (malloc'd path) */
	char *set_cookie;          /* a Set-Cookie header (malloc'd), or NULL */
	int retry_after;           /* a Retry-After header (seconds) when > 0 */
	bool challenge;            /* a 401: send WWW-Authenticate */
} coso_http_response;

/* Frees the response's body, file path and cookie; the struct may be reused. */
void coso_http_response_clear(coso_http_response *res);

/* What the dispatcher needs from the server: this thread's store (opened on
 * first use, owned by the server), and the folder of the browser interface. */
typedef struct coso_http_env {
	int (*store)(void *ctx, coso_store **out);
	void *store_ctx;
	const char *web_dir;       /* NULL: no browser interface */
	const char *db_path;
	FILE *log;                 /* sign-ins and sign-outs are logged here (NULL: nowhere) */
	struct coso_cache *cache;  /* answers of read routes (http/cache.h), NULL: none */
} coso_http_env;

/* Checks a request whose headers have arrived. Returns true and sets
 * *body_limit (the most body bytes the route accepts) when it may go on;
 * otherwise returns false with the error response in res. */
bool coso_http_precheck(const coso_http_env *env, const coso_http_request *req, size_t *body_limit,
			coso_http_response *res);

/* Answers a complete request into res (always filled: errors are
 * problem+json responses). */
void coso_http_dispatch(const coso_http_env *env, const coso_http_request *req, coso_http_response *res);

#endif
