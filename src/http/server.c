/*
 * server.c: the libmicrohttpd side of coso serve (http/server.h). The only
 * file that sees the HTTP library: it turns a connection's request into a
 * coso_http_request, lets the dispatcher answer it, and sends the answer.
 *
 * Threads: MHD's internal thread pool (one worker per CPU, each with its own
 * epoll). Each worker opens its own database connection on its first request
 * (SQLite connections are not shared between threads); WAL lets readers run
 * beside the one writer, and writers queue on BEGIN IMMEDIATE with a busy
 * timeout. The connections are listed here and closed when the daemon has
 * stopped (all workers joined).
 *
 * Limits: request bodies up to the route's limit (64 KiB; 413 beyond, the
 * rest of the body is read and dropped), MHD's per-connection memory pool
 * (headers and buffers), a connection timeout, a cap on connections (and on
 * those of one client address), and a bounded query string.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "db/store_api.h"
#include "db/store_auth.h"
#include "http/api.h"
#include "http/cache.h"
#include "http/http.h"
#include "util/error.h"

#define CONNECTION_MEMORY (64 * 1024)
#define CONNECTION_LIMIT 1000
#define CONNECTION_LIMIT_PER_IP 128 /* one client cannot take every connection */
#define CONNECTION_TIMEOUT 30 /* seconds */
#define CACHE_BYTES (32 * 1024 * 1024) /* answers kept for the next identical request */

struct server {
	const char *db_path;
	coso_http_env env;
	pthread_mutex_t lock;
	coso_store **stores;     /* every worker's connection */
	size_t nstores, cap;
};

/* This worker thread's connection, and the server it belongs to. */
static _Thread_local coso_store *tl_store;
static _Thread_local const struct server *tl_server;

static int thread_store(void *ctx, coso_store **out)
{
	struct server *s = ctx;
	coso_store *st = NULL;
	int rc;

	if (tl_store && tl_server == s) {
		*out = tl_store;
		return 0;
	}
	if ((rc = coso_store_open_api(&st, s->db_path)) < 0)
		return rc;
	pthread_mutex_lock(&s->lock);
	if (s->nstores == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		coso_store **nv = realloc(s->stores, ncap * sizeof(*nv));

		if (!nv) {
			pthread_mutex_unlock(&s->lock);
			coso_store_close(st);
			return coso_error_set(COSO_ENOMEM, "out of memory");
		}
		s->stores = nv;
		s->cap = ncap;
	}
	s->stores[s->nstores++] = st;
	pthread_mutex_unlock(&s->lock);
	tl_store = st;
	tl_server = s;
	*out = st;
	return 0;
}

/* ---- one request ---------------------------------------------------------------- */

struct request {
	char *body;
	size_t len, limit;
	bool too_large;
	bool answered;           /* answered before the body (an error) */
	bool refused;            /* refused by the precheck: `early` is the answer */
	coso_http_response early;
};

struct args {
	coso_http_arg v[COSO_HTTP_MAX_ARGS];
	size_t n, bytes;
	bool too_long;
	char remote[INET6_ADDRSTRLEN];  /* the client's address (hr->remote) */
};

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct args *a = cls;
	size_t len = strlen(key) + (value ? strlen(value) : 0);

	(void)kind;
	if (a->n >= COSO_HTTP_MAX_ARGS || a->bytes + len > COSO_HTTP_MAX_QUERY) {
		a->too_long = true;
		return MHD_NO;
	}
	a->v[a->n].key = key;
	a->v[a->n].value = value;
	a->n++;
	a->bytes += len;
	return MHD_YES;
}

/* The request's headers and query as plain data. */
static void describe(struct MHD_Connection *conn, const char *url, const char *method, struct args *args,
		     coso_http_request *hr)
{
	const char *len;

	memset(hr, 0, sizeof(*hr));
	memset(args, 0, sizeof(*args));
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, args);
	hr->method = method;
	hr->path = url;
	hr->args = args->v;
	hr->nargs = args->n;
	hr->query_too_long = args->too_long;
	hr->content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	{
		/* the client's address, for the audit log */
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		const struct sockaddr *sa = ci ? ci->client_addr : NULL;

		if (sa && sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, args->remote,
				  sizeof(args->remote));
		else if (sa && sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, args->remote,
				  sizeof(args->remote));
		hr->remote = args->remote[0] ? args->remote : NULL;
	}
	/* who sends it: the session's cookie, the CSRF token, where the page came from */
	hr->cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
	hr->csrf = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
	hr->origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ORIGIN);
	hr->host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	hr->forwarded_host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Host");
	hr->forwarded_proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	hr->tls = false;  /* the daemon speaks plain HTTP: TLS is a proxy's (X-Forwarded-Proto) */
	len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	hr->content_length = -1;
	if (len) {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(len, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 0)
			hr->content_length = v;
		else if (errno == ERANGE)
			hr->content_length = (long long)(~0ULL >> 1);
	}
}

/* Sends res (its body is handed to MHD). */
static enum MHD_Result send_response(struct MHD_Connection *conn, coso_http_response *res)
{
	struct MHD_Response *mr = NULL;
	enum MHD_Result ret;

	if (res->file) {
		struct stat sb;
		int fd = open(res->file, O_RDONLY | O_CLOEXEC);

		if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
			mr = MHD_create_response_from_fd64((uint64_t)sb.st_size, fd);
		if (!mr && fd >= 0)
			close(fd);
		if (!mr) {
			static char gone[] = "{\"type\":\"about:blank\",\"title\":\"Not found\",\"status\":404}";

			res->status = 404;
			res->content_type = "application/problem+json";
			mr = MHD_create_response_from_buffer(strlen(gone), gone, MHD_RESPMEM_PERSISTENT);
		}
	} else {
		mr = MHD_create_response_from_buffer(res->body_len, res->body, MHD_RESPMEM_MUST_FREE);
		if (mr)
			res->body = NULL;
	}
	if (!mr)
		return MHD_NO;
	if (res->content_type)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
	if (res->allow)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_ALLOW, res->allow);
	if (res->set_cookie)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_SET_COOKIE, res->set_cookie);
	if (res->retry_after > 0) {
		char ra[24];

		snprintf(ra, sizeof(ra), "%d", res->retry_after);
		MHD_add_response_header(mr, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	if (res->challenge)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Cookie realm=\"coso\", form-action=\"/api/v1/session\", cookie-name=\"coso_session\"");
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	/* the sign-in page and the rest are never shown inside another site's frame */
	MHD_add_response_header(mr, "X-Frame-Options", "DENY");
	if (!res->file)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	ret = MHD_queue_response(conn, (unsigned int)res->status, mr);
	MHD_destroy_response(mr);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **req_cls)
{
	struct server *s = cls;
	struct request *r = *req_cls;
	coso_http_request hr;
	coso_http_response res;
	struct args args;
	enum MHD_Result ret;

	(void)version;
	if (!r) {
		/* headers are in: refuse what can be refused before the body */
		if (!(r = calloc(1, sizeof(*r))))
			return MHD_NO;
		*req_cls = r;
		describe(conn, url, method, &args, &hr);
		memset(&res, 0, sizeof(res));
		if (coso_http_precheck(&s->env, &hr, &r->limit, &res))
			return MHD_YES;
		if (hr.content_length <= 0 &&
		    !MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
			/* no body: answer in turn, keeping the connection */
			r->refused = true;
			r->early = res;
			return MHD_YES;
		}
		/* a body is coming that will not be used: answer now (MHD then
		 * closes the connection rather than read it) */
		r->answered = true;
		ret = send_response(conn, &res);
		coso_http_response_clear(&res);
		return ret;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		if (r->answered || r->too_large)
			return MHD_YES;
		if (n > r->limit - r->len) {
			r->too_large = true;
			free(r->body);
			r->body = NULL;
			r->len = 0;
			return MHD_YES;
		}
		{
			char *nb = realloc(r->body, r->len + n + 1);

			if (!nb)
				return MHD_NO;
			r->body = nb;
		}
		memcpy(r->body + r->len, upload_data, n);
		r->len += n;
		r->body[r->len] = '\0';
		return MHD_YES;
	}
	if (r->answered)
		return MHD_YES;
	if (r->refused) {
		r->answered = true;
		return send_response(conn, &r->early);
	}
	describe(conn, url, method, &args, &hr);
	hr.body = r->body;
	hr.body_len = r->len;
	hr.body_too_large = r->too_large;
	coso_http_dispatch(&s->env, &hr, &res);
	ret = send_response(conn, &res);
	coso_http_response_clear(&res);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls, enum MHD_RequestTerminationCode toe)
{
	struct request *r = *req_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (r) {
		free(r->body);
		coso_http_response_clear(&r->early);
		free(r);
		*req_cls = NULL;
	}
}

/* ---- the daemon ------------------------------------------------------------------ */

/* Opens the database once before serving: it must exist; migrations run,
 * the search data of members imported since the last run is built, and
 * sessions that ended while no server ran are removed. *users gets the
 * number of users who may sign in. */
static int prepare_database(const char *path, long long *users)
{
	coso_store *st = NULL;
	int rc;

	if ((rc = coso_store_open_api(&st, path)) < 0)
		return rc;
	if ((rc = coso_store_refresh_search(st)) >= 0 &&
	    (rc = coso_store_sessions_purge(st, (long long)time(NULL), API_SESSION_IDLE)) >= 0)
		rc = coso_store_user_count(st, users);
	coso_store_close(st);
	return rc < 0 ? rc : 0;
}

int coso_http_serve(const coso_serve_opts *o, FILE *out)
{
	struct server s = { .db_path = o->db_path };
	struct MHD_Daemon *d = NULL;
	struct sockaddr_in sa4;
	struct sockaddr_in6 sa6;
	const struct sockaddr *sa;
	const union MHD_DaemonInfo *info;
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	sigset_t sigs;
	int rc, sig = 0, port;
	long long users = 0;
	const char *cache_off;
	bool v6 = false;

	memset(&sa4, 0, sizeof(sa4));
	memset(&sa6, 0, sizeof(sa6));
	if (inet_pton(AF_INET, o->bind, &sa4.sin_addr) == 1) {
		sa4.sin_family = AF_INET;
		sa4.sin_port = htons((uint16_t)o->port);
		sa = (const struct sockaddr *)&sa4;
	} else if (inet_pton(AF_INET6, o->bind, &sa6.sin6_addr) == 1) {
		sa6.sin6_family = AF_INET6;
		sa6.sin6_port = htons((uint16_t)o->port);
		sa = (const struct sockaddr *)&sa6;
		flags |= MHD_USE_IPv6;
		v6 = true;
	} else {
		return coso_error_set(COSO_EINVALID, "--bind: '%s' is not an IPv4 or IPv6 address", o->bind);
	}
	if ((rc = prepare_database(o->db_path, &users)) < 0)
		return rc;
	s.env.store = thread_store;
	s.env.store_ctx = &s;
	s.env.web_dir = o->web_dir;
	s.env.db_path = o->db_path;
	s.env.log = stderr;
	/* the answers of the read routes everyone asks (http/cache.h); COSO_CACHE=0: none */
	cache_off = getenv("COSO_CACHE");
	if (!(cache_off && strcmp(cache_off, "0") == 0) && !(s.env.cache = coso_cache_new(CACHE_BYTES)))
		return coso_error_set(COSO_ENOMEM, "out of memory");
	if (pthread_mutex_init(&s.lock, NULL) != 0) {
		coso_cache_free(s.env.cache);
		return coso_error_set(COSO_ERR, "cannot create a lock");
	}

	/* The workers inherit this mask: only sigwait() below takes the signals. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, on_request, &s,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(ncpu > 0 ? ncpu : 1),
			     MHD_OPTION_SOCK_ADDR, sa,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONNECTION_LIMIT,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)CONNECTION_LIMIT_PER_IP,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONNECTION_TIMEOUT,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s,
			     MHD_OPTION_END);
	if (!d) {
		rc = coso_error_set(COSO_EIO, "cannot listen on %s port %d (in use, or not an address of this machine?)",
				    o->bind, o->port);
		goto done;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info ? info->port : o->port;
	fprintf(out, "coso: serving http://%s%s%s:%d/ (database %s)\n", v6 ? "[" : "", o->bind, v6 ? "]" : "", port,
		o->db_path);
	if (!o->web_dir)
		fprintf(out, "coso: no browser interface found (web/dist): serving the API only\n");
	if (users == 0)
		fprintf(out, "coso: nobody can sign in yet: create the first administrator with\n"
			"      coso --db %s user add NAME --role admin\n", o->db_path);
	fflush(out);
	while (sigwait(&sigs, &sig) != 0)
		;
	fprintf(out, "coso: stopping (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	fflush(out);
	rc = 0;
done:
	if (d)
		MHD_stop_daemon(d);
	for (size_t i = 0; i < s.nstores; i++)
		coso_store_close(s.stores[i]);
	free(s.stores);
	coso_cache_free(s.env.cache);
	pthread_mutex_destroy(&s.lock);
	return rc;
}
