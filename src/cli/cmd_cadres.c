/* cmd_cadres.c: coso cadres (the figures of a period; a commune's posts). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/cadres.h"
#include "report/cadres_report.h"
#include "util/error.h"
#include "util/vnfmt.h"

struct opts {
	const char *from, *to, *as_of, *scope, *unit, *kind, *format;
};

static int parse_day(const char *opt, const char *s, coso_day *out)
{
	if (coso_date_parse(out, s, strlen(s)) < 0)
		return cli_usage("cadres", "%s: '%s' is not a date that exists (write YYYY-MM-DD)", opt, s);
	return 0;
}

static int print_json(json_t *j)
{
	int rc = 0;

	if (!j)
		return cli_fail("out of memory");
	if (json_dumpf(j, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) < 0)
		rc = cli_fail("cannot write the report");
	else
		fputc('\n', stdout);
	json_decref(j);
	return rc;
}

/* --from and --to, both required, in order. */
static int parse_period(const struct opts *o, const char *sub, coso_day *from, coso_day *to)
{
	int rc;

	if (!o->from || !o->to)
		return cli_usage("cadres", "%s needs both --from and --to", sub);
	if ((rc = parse_day("--from", o->from, from)) != 0 || (rc = parse_day("--to", o->to, to)) != 0)
		return rc;
	if (*to < *from)
		return cli_usage("cadres", "--to (%s) comes before --from (%s)", o->to, o->from);
	return 0;
}

static int cadres_report(coso_store *st, const struct opts *o, enum cli_format fmt)
{
	coso_training_summary s;
	coso_day from, to;
	int rc;

	if ((rc = parse_period(o, "report", &from, &to)) != 0)
		return rc;
	if (coso_cadres_training_summary(st, o->scope, from, to, &s) < 0)
		return cli_fail("%s", coso_error_last());
	if (fmt == CLI_JSON)
		rc = print_json(coso_cadres_summary_json(&s));
	else if (fmt == CLI_CSV)
		rc = coso_cadres_summary_csv(stdout, &s) < 0;
	else
		rc = coso_cadres_summary_text(stdout, &s) < 0;
	coso_training_summary_clear(&s);
	return rc;
}

struct sent_ctx {
	enum cli_format fmt;
	json_t *items;
};

static const char *date_vn(char *buf, size_t n, coso_day d);

static int print_sent(void *ctx, const coso_cadre_sent *r)
{
	static const char *const kinds[COSO_TRAINING_MAX] = { "Đào tạo chuyên môn", "Lý luận chính trị", "Bồi dưỡng" };
	struct sent_ctx *c = ctx;
	int k = coso_training_kind_find(r->kind);
	const coso_training_level *l = k >= 0 ? coso_level_find((coso_training_kind)k, r->level) : NULL;
	char a[16], b[16];

	if (c->fmt == CLI_JSON) {
		json_t *j = coso_cadres_sent_json(r);

		return !j || json_array_append_new(c->items, j) < 0 ? COSO_ENOMEM : 0;
	}
	if (c->fmt == CLI_CSV) {
		coso_cadres_sent_csv(stdout, r);
		return 0;
	}
	printf("%s – %s  %s (%s)  %s%s%s%s%s\n", date_vn(a, sizeof(a), r->started_on), date_vn(b, sizeof(b), r->ended_on),
	       r->full_name, r->unit_name && *r->unit_name ? r->unit_name : r->unit_code, k >= 0 ? kinds[k] : r->kind,
	       l ? " " : "", l ? l->label : "", r->course ? ": " : "", r->course ? r->course : "");
	return 0;
}

/* Every record of the period, streamed. */
static int cadres_training(coso_store *st, const struct opts *o, enum cli_format fmt)
{
	struct sent_ctx c = { fmt, NULL };
	coso_day from, to;
	long long total = 0;
	char d0[COSO_DATE_BUFSZ], d1[COSO_DATE_BUFSZ];
	int rc;

	if ((rc = parse_period(o, "training", &from, &to)) != 0)
		return rc;
	if (o->kind && coso_training_kind_find(o->kind) < 0)
		return cli_usage("cadres", "--kind: '%s' is not professional, political_theory or short_course", o->kind);
	if (fmt == CLI_JSON && !(c.items = json_array()))
		return cli_fail("out of memory");
	if (fmt == CLI_CSV)
		coso_cadres_sent_csv_header(stdout);
	rc = coso_cadres_training_list(st, o->scope, from, to, o->kind, 0, 0, print_sent, &c, &total);
	if (rc < 0) {
		json_decref(c.items);
		return cli_fail("%s", coso_error_last());
	}
	if (fmt == CLI_JSON) {
		json_t *j = json_pack("{s:s, s:s, s:s?, s:s?, s:I, s:O}", "from", coso_date_format(d0, from), "to",
				      coso_date_format(d1, to), "scope", o->scope, "kind", o->kind, "total",
				      (json_int_t)total, "items", c.items);

		rc = print_json(j);
	} else if (fmt == CLI_TEXT) {
		printf("Cộng: %lld lượt\n", total);
	}
	json_decref(c.items);
	return rc;
}

struct posts_ctx {
	enum cli_format fmt;
	json_t *items;
	long long n;
};

static const char *date_vn(char *buf, size_t n, coso_day d)
{
	int y, m, dd;

	if (d <= COSO_DAY_MIN || d >= COSO_DAY_MAX) {
		snprintf(buf, n, "…");
		return buf;
	}
	coso_date_to_ymd(d, &y, &m, &dd);
	return coso_vnfmt_date(buf, n, y, m, dd);
}

static const char *level_label(coso_training_kind kind, int rank)
{
	const coso_training_level *l = coso_level_of_rank(kind, rank);

	return l ? l->label : "chưa có";
}

static int print_holder(void *ctx, const coso_cadre_holder *h)
{
	struct posts_ctx *c = ctx;
	const coso_post *p = coso_post_find(h->post);
	char a[16], b[16];

	c->n++;
	if (c->fmt == CLI_JSON) {
		json_t *j = coso_cadres_holder_json(h);

		return !j || json_array_append_new(c->items, j) < 0 ? COSO_ENOMEM : 0;
	}
	printf("%s: %s (%s – %s)%s; chuyên môn: %s, lý luận chính trị: %s; %s\n", p ? p->label : h->post,
	       h->full_name, date_vn(a, sizeof(a), h->valid_from), date_vn(b, sizeof(b), h->valid_to),
	       h->rotated ? " [luân chuyển]" : "", level_label(COSO_TRAINING_PROFESSIONAL, h->professional_rank),
	       level_label(COSO_TRAINING_POLITICAL, h->political_rank),
	       h->professional_rank >= h->min_professional && h->political_rank >= h->min_political ? "đạt chuẩn"
												       : "chưa đạt chuẩn");
	return 0;
}

static int cadres_posts(coso_store *st, const struct opts *o, enum cli_format fmt)
{
	struct posts_ctx c = { fmt, NULL, 0 };
	coso_unit_ref unit;
	coso_day d = coso_date_today();
	char buf[16];
	int rc;

	if (!o->unit || !*o->unit)
		return cli_usage("cadres", "posts needs --unit CODE");
	if (fmt == CLI_CSV)
		return cli_usage("cadres", "posts: --format is text or json");
	if (o->as_of && (rc = parse_day("--as-of", o->as_of, &d)) != 0)
		return rc;
	rc = coso_store_unit_at(st, o->unit, d, &unit);
	if (rc < 0 && rc != COSO_ENOTFOUND)
		return cli_fail("%s", coso_error_last());
	if (fmt == CLI_JSON && !(c.items = json_array())) {
		coso_unit_ref_clear(&unit);
		return cli_fail("out of memory");
	}
	if (fmt == CLI_TEXT)
		printf("CHỨC DANH CÁN BỘ, CÔNG CHỨC CẤP XÃ\n%s (%s), ngày %s\n\n", *unit.name ? unit.name : unit.code,
		       unit.code, date_vn(buf, sizeof(buf), d));
	rc = coso_cadres_holders(st, o->unit, d, print_holder, &c);
	if (rc < 0) {
		rc = cli_fail("%s", coso_error_last());
	} else if (fmt == CLI_JSON) {
		json_t *j = json_pack("{s:s, s:{s:s, s:s}, s:O}", "as_of", coso_date_format(buf, d), "unit", "code",
				      unit.code, "name", unit.name, "items", c.items);

		rc = print_json(j);
	} else if (c.n == 0) {
		printf("(không có chức danh nào có người giữ ngày này)\n");
	}
	json_decref(c.items);
	coso_unit_ref_clear(&unit);
	return rc;
}

int cmd_cadres(struct cli_ctx *ctx, int argc, char **argv)
{
	struct opts o = { 0 };
	enum cli_format fmt = CLI_TEXT;
	coso_store *st = NULL;
	const char *sub;
	int rc;

	if (argc < 1 || cli_is_help(argv[0])) {
		cli_print_help("cadres");
		return argc < 1 ? 2 : 0;
	}
	sub = argv[0];
	if (strcmp(sub, "report") != 0 && strcmp(sub, "training") != 0 && strcmp(sub, "posts") != 0)
		return cli_usage("cadres", "unknown subcommand '%s' (report, training or posts)", sub);
	for (int i = 1; i < argc; i++) {
		const struct cli_opt opts[] = {
			{ "--from", &o.from }, { "--to", &o.to }, { "--as-of", &o.as_of }, { "--scope", &o.scope },
			{ "--unit", &o.unit }, { "--kind", &o.kind }, { "--format", &o.format }, { NULL, NULL },
		};

		if (cli_is_help(argv[i])) {
			cli_print_help("cadres");
			return 0;
		}
		if ((rc = cli_take_option("cadres", opts, argc, argv, &i)) == 0)
			return cli_usage("cadres", "unknown argument '%s'", argv[i]);
		if (rc != 1)
			return rc;
	}
	if ((rc = cli_format_of("cadres", o.format, 1, &fmt)) != 0)
		return rc;
	if (o.scope && !*o.scope)
		return cli_usage("cadres", "--scope needs a unit code");
	/* an option of another subcommand is a mistake, not something to ignore */
	if (strcmp(sub, "posts") == 0 && (o.from || o.to || o.scope || o.kind))
		return cli_usage("cadres", "posts takes --unit and --as-of (not --from, --to, --scope or --kind)");
	if (strcmp(sub, "posts") != 0 && (o.unit || o.as_of))
		return cli_usage("cadres", "%s takes --from, --to and --scope (not --unit or --as-of)", sub);
	if (strcmp(sub, "report") == 0 && o.kind)
		return cli_usage("cadres", "report counts every kind (--kind is for training)");
	if (coso_store_open(&st, ctx->db_path, 0, NULL) < 0)
		return cli_fail("%s", coso_error_last());
	rc = strcmp(sub, "report") == 0     ? cadres_report(st, &o, fmt)
	     : strcmp(sub, "training") == 0 ? cadres_training(st, &o, fmt)
					     : cadres_posts(st, &o, fmt);
	coso_store_close(st);
	return rc;
}
