/*
 * cmd_plans.c: coso report resolutions | targets | narrative (docs/PLANS.md).
 */
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/narrative.h"
#include "report/plans.h"
#include "util/error.h"

static int parse_day(const char *opt, const char *s, coso_day *out)
{
	if (coso_date_parse(out, s, strlen(s)) < 0)
		return cli_usage("report", "%s: '%s' is not a date that exists (write YYYY-MM-DD)", opt, s);
	return 0;
}

static int print_json(json_t *j)
{
	int rc = 0;

	if (!j)
		return cli_fail("out of memory");
	if (json_dumpf(j, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER) < 0)
		rc = cli_fail("cannot write the report");
	else
		fputc('\n', stdout);
	json_decref(j);
	return rc;
}

struct popts {
	const char *resolution, *as_of, *tree_as_of, *scope, *format, *depth, *from, *to, *out;
};

/* Parses the options of a plans subcommand; `allowed` lists the options
 * it takes (e.g. "resolution as-of tree-as-of scope format depth"). */
static int parse_opts(int argc, char **argv, const char *allowed, struct popts *o)
{
	static const struct { const char *flag; size_t off; } table[] = {
		{ "--resolution", offsetof(struct popts, resolution) },
		{ "--as-of", offsetof(struct popts, as_of) },
		{ "--tree-as-of", offsetof(struct popts, tree_as_of) },
		{ "--scope", offsetof(struct popts, scope) },
		{ "--format", offsetof(struct popts, format) },
		{ "--depth", offsetof(struct popts, depth) },
		{ "--from", offsetof(struct popts, from) },
		{ "--to", offsetof(struct popts, to) },
		{ "--out", offsetof(struct popts, out) },
	};

	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		size_t k;

		if (cli_is_help(a)) {
			cli_print_help("report");
			return -1;
		}
		for (k = 0; k < sizeof(table) / sizeof(table[0]); k++)
			if (strcmp(a, table[k].flag) == 0 && strstr(allowed, table[k].flag + 2))
				break;
		if (k == sizeof(table) / sizeof(table[0]))
			return cli_usage("report", "%s: unknown argument '%s'", argv[0], a);
		if (i + 1 >= argc)
			return cli_usage("report", "%s needs a value", a);
		*(const char **)((char *)o + table[k].off) = argv[++i];
	}
	if (o->scope && !*o->scope)
		return cli_usage("report", "--scope needs a unit code");
	return 0;
}

static int open_store(struct cli_ctx *ctx, coso_store **st)
{
	if (coso_store_open(st, ctx->db_path, 0, NULL) < 0)
		return cli_fail("%s", coso_error_last());
	return 0;
}

static int report_resolutions(struct cli_ctx *ctx, int argc, char **argv)
{
	struct popts o;
	coso_store *st = NULL;
	coso_resolution *res = NULL;
	size_t n = 0;
	int rc = parse_opts(argc, argv, "format", &o);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (o.format && strcmp(o.format, "json") != 0 && strcmp(o.format, "text") != 0)
		return cli_usage("report", "--format: '%s' is not text or json", o.format);
	if ((rc = open_store(ctx, &st)) != 0)
		return rc;
	if (coso_store_resolutions(st, &res, &n) < 0) {
		rc = cli_fail("%s", coso_error_last());
	} else if (o.format && strcmp(o.format, "json") == 0) {
		json_t *arr = json_array();

		for (size_t i = 0; arr && i < n; i++)
			json_array_append_new(arr, coso_resolution_json(&res[i]));
		rc = print_json(arr);
	} else {
		for (size_t i = 0; i < n; i++) {
			char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ], c[COSO_DATE_BUFSZ];

			printf("%s\t%s ngày %s (%s)\t%s – %s\t%s\n", res[i].code, res[i].number,
			       coso_date_format(a, res[i].issued_on), res[i].issuer,
			       coso_date_format(b, res[i].period_from), coso_date_format(c, res[i].period_to - 1),
			       res[i].title);
		}
	}
	coso_resolutions_free(res, n);
	coso_store_close(st);
	return rc;
}

static int report_targets(struct cli_ctx *ctx, int argc, char **argv)
{
	struct popts o;
	coso_store *st = NULL;
	coso_plan_report r;
	coso_day as_of = coso_date_today(), tree = COSO_DAY_MIN;
	long depth = -2;
	bool json;
	int rc = parse_opts(argc, argv, "resolution as-of tree-as-of scope format depth", &o);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (!o.resolution)
		return cli_usage("report", "targets: give --resolution CODE (coso report resolutions lists them)");
	if (o.as_of && (rc = parse_day("--as-of", o.as_of, &as_of)) != 0)
		return rc;
	if (o.tree_as_of && (rc = parse_day("--tree-as-of", o.tree_as_of, &tree)) != 0)
		return rc;
	if (o.format && strcmp(o.format, "json") != 0 && strcmp(o.format, "text") != 0)
		return cli_usage("report", "--format: '%s' is not text or json", o.format);
	json = o.format && strcmp(o.format, "json") == 0;
	if (o.depth) {
		char *end;

		depth = strtol(o.depth, &end, 10);
		if (*end || end == o.depth || depth < -1 || depth > 10)
			return cli_usage("report", "--depth: '%s' is not -1 (all) or 0 to 10", o.depth);
	} else {
		depth = json ? -1 : 1;
	}
	if ((rc = open_store(ctx, &st)) != 0)
		return rc;
	if (coso_plan_report_build(st, o.resolution, o.scope, as_of, tree, &r) < 0) {
		rc = cli_fail("%s", coso_error_last());
	} else {
		rc = json ? print_json(coso_plan_report_json(&r, (int)depth))
			  : (coso_plan_report_text(stdout, &r, (int)depth) < 0 ? cli_fail("%s", coso_error_last()) : 0);
		coso_plan_report_clear(&r);
	}
	coso_store_close(st);
	return rc;
}

static int report_narrative(struct cli_ctx *ctx, int argc, char **argv)
{
	struct popts o;
	coso_store *st = NULL;
	coso_narrative nr;
	coso_day from, to;
	coso_narrative_format fmt = COSO_NARRATIVE_TEXT;
	FILE *out = stdout;
	int rc = parse_opts(argc, argv, "from to scope resolution format out", &o);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (!o.from || !o.to)
		return cli_usage("report", "narrative: give --from and --to");
	if ((rc = parse_day("--from", o.from, &from)) != 0 || (rc = parse_day("--to", o.to, &to)) != 0)
		return rc;
	if (to < from)
		return cli_usage("report", "--to (%s) comes before --from (%s)", o.to, o.from);
	if (o.format && coso_narrative_format_parse(o.format, &fmt) < 0)
		return cli_usage("report", "--format: '%s' is not text, json, fodt or xlsx", o.format);
	if (fmt == COSO_NARRATIVE_XLSX && !o.out)
		return cli_usage("report", "--format xlsx writes a workbook: give --out FILE.xlsx");
	if ((rc = open_store(ctx, &st)) != 0)
		return rc;
	if (coso_narrative_build(st, o.scope, from, to, o.resolution, &nr) < 0) {
		coso_store_close(st);
		return cli_fail("%s", coso_error_last());
	}
	if (o.out && fmt != COSO_NARRATIVE_XLSX && !(out = fopen(o.out, "wb"))) {
		rc = cli_fail("%s: cannot write", o.out);
	} else {
		if (coso_narrative_write(&nr, fmt, out, o.out) < 0)
			rc = cli_fail("%s", coso_error_last());
		if (out != stdout && fclose(out) != 0 && rc == 0)
			rc = cli_fail("%s: cannot write", o.out);
	}
	coso_narrative_clear(&nr);
	coso_store_close(st);
	return rc;
}

int cmd_report_plans(struct cli_ctx *ctx, int argc, char **argv)
{
	if (strcmp(argv[0], "resolutions") == 0)
		return report_resolutions(ctx, argc, argv);
	if (strcmp(argv[0], "targets") == 0)
		return report_targets(ctx, argc, argv);
	return report_narrative(ctx, argc, argv);
}
