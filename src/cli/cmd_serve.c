/* cmd_serve.c: coso serve [--port N] [--bind ADDR] [--web DIR]. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/workdays.h"
#include "http/server.h"
#include "http/static.h"
#include "util/error.h"

static int parse_port(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 65535)
		return cli_usage("serve", "--port: '%s' is not a port number (0 to 65535; 0: any free port)", s);
	*out = (int)v;
	return 0;
}

int cmd_serve(struct cli_ctx *ctx, int argc, char **argv)
{
	coso_serve_opts o = { .db_path = ctx->db_path, .bind = "127.0.0.1", .port = 8080, .web_dir = NULL };
	char *found_web = NULL;
	struct stat sb;
	int rc;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (cli_is_help(a)) {
			cli_print_help("serve");
			return 0;
		}
		if (strcmp(a, "--port") != 0 && strcmp(a, "--bind") != 0 && strcmp(a, "--web") != 0)
			return cli_usage("serve", "unknown argument '%s'", a);
		if (i + 1 >= argc)
			return cli_usage("serve", "%s needs a value", a);
		if (strcmp(a, "--port") == 0) {
			if ((rc = parse_port(argv[++i], &o.port)) != 0)
				return rc;
		} else if (strcmp(a, "--bind") == 0) {
			o.bind = argv[++i];
		} else {
			o.web_dir = argv[++i];
		}
	}
	if (o.web_dir && (stat(o.web_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)))
		return cli_usage("serve", "--web: '%s' is not a folder", o.web_dir);
	if (!o.web_dir) {
		if (coso_static_default_dir(&found_web) < 0)
			return cli_fail("%s", coso_error_last());
		o.web_dir = found_web;
	}
	/* the worker threads share one calendar: build it before they start */
	if (!coso_calendar_default()) {
		free(found_web);
		return cli_fail("calendar: %s", coso_error_last());
	}
	rc = coso_http_serve(&o, stdout);
	free(found_web);
	if (rc < 0)
		return cli_fail("%s", coso_error_last());
	return 0;
}
