/* cmd_report.c: coso report (as of a day, or over a period). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/report.h"
#include "util/error.h"

struct opts {
	const char *as_of, *compare, *from, *to, *scope, *format, *tree_as_of;
	coso_day tree; /* --tree-as-of, COSO_DAY_MIN when not given */
};

static int parse_day(const char *opt, const char *s, coso_day *out)
{
	if (coso_date_parse(out, s, strlen(s)) < 0)
		return cli_usage("report", "%s: '%s' is not a date that exists (write YYYY-MM-DD)", opt, s);
	return 0;
}

static int print_json(json_t *j)
{
	if (!j)
		return cli_fail("out of memory");
	if (json_dumpf(j, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER) < 0) {
		json_decref(j);
		return cli_fail("cannot write the report");
	}
	json_decref(j);
	fputc('\n', stdout);
	return 0;
}

static int report_asof(coso_store *st, const struct opts *o, enum cli_format fmt)
{
	coso_report_asof r, before;
	coso_day d = coso_date_today(), d0 = 0;
	int rc = 0;

	if (o->as_of && (rc = parse_day("--as-of", o->as_of, &d)) != 0)
		return rc;
	if (o->compare && (rc = parse_day("--compare", o->compare, &d0)) != 0)
		return rc;
	if (coso_report_asof_build_tree(st, o->scope, d, o->tree, &r) < 0)
		return cli_fail("%s", coso_error_last());
	if (o->compare && coso_report_asof_build_tree(st, o->scope, d0, o->tree, &before) < 0) {
		coso_report_asof_clear(&r);
		return cli_fail("%s", coso_error_last());
	}
	switch (fmt) {
	case CLI_JSON:
		if (o->compare) {
			json_t *both = json_pack("{s:o, s:o}", "before", coso_report_asof_json(&before),
						 "after", coso_report_asof_json(&r));
			rc = print_json(both);
		} else {
			rc = print_json(coso_report_asof_json(&r));
		}
		break;
	case CLI_CSV:
		if (o->compare)
			rc = coso_report_asof_csv(stdout, &before) < 0;
		if (rc == 0)
			rc = coso_report_asof_csv(stdout, &r) < 0;
		break;
	default:
		rc = coso_report_asof_text(stdout, &r, o->compare ? &before : NULL) < 0;
		break;
	}
	if (o->compare)
		coso_report_asof_clear(&before);
	coso_report_asof_clear(&r);
	return rc;
}

static int report_flow(coso_store *st, const struct opts *o, enum cli_format fmt)
{
	coso_report_flow r;
	coso_day from, to;
	int rc;

	if (!o->from || !o->to)
		return cli_usage("report", "a period needs both --from and --to");
	if ((rc = parse_day("--from", o->from, &from)) != 0 || (rc = parse_day("--to", o->to, &to)) != 0)
		return rc;
	if (to < from)
		return cli_usage("report", "--to (%s) comes before --from (%s)", o->to, o->from);
	if (coso_report_flow_build_tree(st, o->scope, from, to, o->tree, &r) < 0)
		return cli_fail("%s", coso_error_last());
	if (fmt == CLI_JSON)
		rc = print_json(coso_report_flow_json(&r));
	else if (fmt == CLI_CSV)
		rc = coso_report_flow_csv(stdout, &r) < 0;
	else
		rc = coso_report_flow_text(stdout, &r) < 0;
	coso_report_flow_clear(&r);
	return rc;
}

int cmd_report(struct cli_ctx *ctx, int argc, char **argv)
{
	struct opts o = { 0 };
	enum cli_format fmt = CLI_TEXT;
	coso_store *st = NULL;
	int rc;

	/* plans: coso report resolutions | targets | narrative (cmd_plans.c) */
	if (argc > 0 && (strcmp(argv[0], "resolutions") == 0 || strcmp(argv[0], "targets") == 0 ||
			 strcmp(argv[0], "narrative") == 0))
		return cmd_report_plans(ctx, argc, argv);
	const struct cli_opt opts[] = {
		{ "--as-of", &o.as_of }, { "--compare", &o.compare }, { "--from", &o.from }, { "--to", &o.to },
		{ "--scope", &o.scope }, { "--format", &o.format }, { "--tree-as-of", &o.tree_as_of }, { NULL, NULL },
	};

	for (int i = 0; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			cli_print_help("report");
			return 0;
		}
		if ((rc = cli_take_option("report", opts, argc, argv, &i)) == 0)
			return cli_usage("report", "unknown argument '%s'", argv[i]);
		if (rc != 1)
			return rc;
	}
	if ((rc = cli_format_of("report", o.format, 1, &fmt)) != 0)
		return rc;
	if ((o.from || o.to) && (o.as_of || o.compare))
		return cli_usage("report", "give either --as-of (and --compare) or --from and --to");
	if (o.scope && !*o.scope)
		return cli_usage("report", "--scope needs a unit code");
	o.tree = COSO_DAY_MIN;
	if (o.tree_as_of && (rc = parse_day("--tree-as-of", o.tree_as_of, &o.tree)) != 0)
		return rc;
	if (coso_store_open(&st, ctx->db_path, 0, NULL) < 0)
		return cli_fail("%s", coso_error_last());
	rc = (o.from || o.to) ? report_flow(st, &o, fmt) : report_asof(st, &o, fmt);
	coso_store_close(st);
	return rc;
}
