/*
 * server.h: coso serve, the HTTP server of the API and of the browser
 * interface (libmicrohttpd: a pool of worker threads, one per CPU, each with
 * its own epoll loop and its own database connection).
 */
#ifndef COSO_HTTP_SERVER_H
#define COSO_HTTP_SERVER_H

#include <stdio.h>

typedef struct coso_serve_opts {
	const char *db_path;   /* an existing database */
	const char *bind;      /* IPv4 or IPv6 address to listen on */
	int port;              /* 0: any free port */
	const char *web_dir;   /* the browser interface; NULL: none */
} coso_serve_opts;

/* Serves until SIGINT or SIGTERM, then stops cleanly (every connection and
 * database closed). Prints "coso: serving http://ADDR:PORT/ (database PATH)"
 * on `out` once listening. Returns 0, or a negative coso_rc (the database
 * cannot be opened, the address cannot be listened on) with the message in
 * the error slot. Blocks SIGINT and SIGTERM in the calling thread. */
int coso_http_serve(const coso_serve_opts *opts, FILE *out);

#endif
