/*
 * cmd_audit.c: coso audit verify | coso audit log [filters] [--format text|json].
 * The log itself and its chain are db/store_audit.h.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "db/store_audit.h"
#include "util/date.h"
#include "util/error.h"

static void hex(char *out, const unsigned char *v, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[v[i] >> 4];
		out[2 * i + 1] = digits[v[i] & 15];
	}
	out[2 * n] = '\0';
}

static int verify(coso_store *st)
{
	coso_audit_verdict v;
	char head[COSO_SHA256_HEX];
	int rc = coso_store_audit_verify(st, &v);

	if (rc < 0)
		return cli_fail("%s", coso_error_last());
	if (rc == 0)
		return cli_fail("audit log broken at entry %lld: %s", v.broken_seq, v.problem);
	hex(head, v.head, sizeof(v.head));
	printf("audit log intact: %lld entr%s, head %s\n", v.entries, v.entries == 1 ? "y" : "ies", head);
	return 0;
}

/* ---- coso audit log ------------------------------------------------------------ */

struct printer {
	bool json;
	long long n;
};

/* before/after as JSON values (text that is not JSON stays a string). */
static json_t *json_of(const char *text)
{
	json_t *v;

	if (!text)
		return json_null();
	v = json_loads(text, JSON_DECODE_ANY, NULL);
	return v ? v : json_string(text);
}

static int print_entry(void *ctx, const coso_audit_entry *e)
{
	struct printer *p = ctx;
	char prev[COSO_SHA256_HEX] = "", hash[COSO_SHA256_HEX] = "";

	if (e->prev_hash)
		hex(prev, e->prev_hash, 32);
	if (e->hash)
		hex(hash, e->hash, 32);
	if (p->json) {
		json_t *o = json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:s, s:s}",
				      "seq", (json_int_t)e->seq, "at", e->at, "actor", e->actor, "remote", e->remote,
				      "action", e->action, "record_kind", e->record_kind, "record_key", e->record_key,
				      "before", json_of(e->before), "after", json_of(e->after), "prev_hash", prev,
				      "hash", hash);
		char *s = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

		json_decref(o);
		if (!s)
			return coso_error_set(COSO_ENOMEM, "out of memory");
		printf("%s\n  %s", p->n ? "," : "[", s);
		free(s);
	} else {
		printf("#%lld  %s  %s@%s  %s", e->seq, e->at ? e->at : "?", e->actor ? e->actor : "-",
		       e->remote ? e->remote : "-", e->action ? e->action : "?");
		if (e->record_kind)
			printf("  %s:%s", e->record_kind, e->record_key ? e->record_key : "");
		putchar('\n');
		if (e->before)
			printf("    before: %s\n", e->before);
		if (e->after)
			printf("    after:  %s\n", e->after);
	}
	p->n++;
	return 0;
}

static int parse_date_arg(const char *opt, const char *v)
{
	coso_day d;

	if (coso_date_parse(&d, v, strlen(v)) < 0)
		return cli_usage("audit", "%s: '%s' is not a date (YYYY-MM-DD)", opt, v);
	return 0;
}

static int show_log(coso_store *st, int argc, char **argv)
{
	coso_audit_filter f = { 0 };
	struct printer p = { false, 0 };
	char kind[128];
	int rc;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v;

		if (strcmp(a, "--user") != 0 && strcmp(a, "--record") != 0 && strcmp(a, "--from") != 0 &&
		    strcmp(a, "--to") != 0 && strcmp(a, "--format") != 0)
			return cli_usage("audit", "unknown argument '%s'", a);
		if (i + 1 >= argc)
			return cli_usage("audit", "%s needs a value", a);
		v = argv[++i];
		if (strcmp(a, "--user") == 0) {
			f.actor = v;
		} else if (strcmp(a, "--record") == 0) {
			const char *colon = strchr(v, ':');
			size_t n = colon ? (size_t)(colon - v) : strlen(v);

			if (n == 0 || n >= sizeof(kind))
				return cli_usage("audit", "--record: '%s' is not KIND:KEY (e.g. member:M12, org:CV11)", v);
			memcpy(kind, v, n);
			kind[n] = '\0';
			f.record_kind = kind;
			f.record_key = colon && colon[1] ? colon + 1 : NULL;
		} else if (strcmp(a, "--from") == 0) {
			if ((rc = parse_date_arg(a, v)) != 0)
				return rc;
			f.from = v;
		} else if (strcmp(a, "--to") == 0) {
			if ((rc = parse_date_arg(a, v)) != 0)
				return rc;
			f.to = v;
		} else if (strcmp(v, "json") == 0 || strcmp(v, "text") == 0) {
			p.json = strcmp(v, "json") == 0;
		} else {
			return cli_usage("audit", "--format: '%s' is not text or json", v);
		}
	}
	rc = coso_store_audit_each(st, &f, print_entry, &p);
	if (p.json)
		fputs(p.n ? "\n]\n" : "[]\n", stdout);
	if (rc < 0)
		return cli_fail("%s", coso_error_last());
	return 0;
}

int cmd_audit(struct cli_ctx *ctx, int argc, char **argv)
{
	coso_store *st = NULL;
	int rc;

	if (argc >= 1 && cli_is_help(argv[0])) {
		cli_print_help("audit");
		return 0;
	}
	if (argc < 1 || (strcmp(argv[0], "verify") != 0 && strcmp(argv[0], "log") != 0))
		return cli_usage("audit", "audit takes verify or log");
	if (strcmp(argv[0], "verify") == 0 && argc != 1)
		return cli_usage("audit", "audit verify takes no argument");
	if (coso_store_open(&st, ctx->db_path, 0, NULL) < 0)
		return cli_fail("%s", coso_error_last());
	if (strcmp(argv[0], "verify") == 0)
		rc = verify(st);
	else
		rc = show_log(st, argc - 1, argv + 1);
	coso_store_close(st);
	return rc;
}
