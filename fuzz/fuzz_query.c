/*
 * fuzz_query.c: request targets (path and query string) through the
 * dispatcher (http/http.h), as GET requests.
 *
 * The input is a request target such as /api/v1/members?q=sung&per_page=5
 * (up to its first NUL or line end); a first '!' sends it without the
 * session (when the tree has sessions). It is cut as libmicrohttpd cuts it: the
 * path before the first '?', percent-decoded; the query split at '&' into
 * key=value arguments ('=' absent: a key without value), each percent- and
 * '+'-decoded, collected under the server's limits (COSO_HTTP_MAX_ARGS
 * arguments, COSO_HTTP_MAX_QUERY bytes: beyond, query_too_long) as
 * server.c's collect_arg() does. Paths outside /api/ go to the browser
 * interface's folder, where a file may only be served from inside it.
 * The answer is checked by fuzz_http_run().
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes %XX (and '+' when plus) in place; the result is a C string, so a
 * %00 ends it, as it ends the string MHD hands out. */
static void unescape(char *s, bool plus)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (*r == '%' && hex(r[1]) >= 0 && hex(r[2]) >= 0) {
			*w++ = (char)(hex(r[1]) * 16 + hex(r[2]));
			r += 2;
		} else if (plus && *r == '+') {
			*w++ = ' ';
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	coso_http_arg args[COSO_HTTP_MAX_ARGS];
	coso_http_request req;
	coso_http_response res;
	size_t n = 0, nargs = 0, bytes = 0;
	bool too_long = false;
	char *target, *query;
	bool signed_in = !(size > 0 && data[0] == '!');

	if (!signed_in) {
		data++;
		size--;
	}
	/* data need not be NUL-terminated: cut at the first NUL within size */
	while (n < size && data[n] != '\0' && data[n] != '\r' && data[n] != '\n')
		n++;
	if (!(target = malloc(n + 1)))
		return 0;
	memcpy(target, data, n);
	target[n] = '\0';
	query = strchr(target, '?');
	if (query)
		*query++ = '\0';
	unescape(target, false);

	while (query && *query && !too_long) {
		char *amp = strchr(query, '&'), *eq;
		size_t len;

		if (amp)
			*amp = '\0';
		if (*query) {
			eq = strchr(query, '=');
			if (eq)
				*eq++ = '\0';
			unescape(query, true);
			if (eq)
				unescape(eq, true);
			len = strlen(query) + (eq ? strlen(eq) : 0);
			if (nargs >= COSO_HTTP_MAX_ARGS || bytes + len > COSO_HTTP_MAX_QUERY) {
				too_long = true;
			} else {
				args[nargs].key = query;
				args[nargs].value = eq;
				nargs++;
				bytes += len;
			}
		}
		query = amp ? amp + 1 : NULL;
	}

	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.path = target;
	req.args = args;
	req.nargs = nargs;
	req.query_too_long = too_long;
	req.content_length = -1;
	fuzz_http_run(&req, &res, signed_in, NULL);
	coso_http_response_clear(&res);
	free(target);
	return 0;
}
