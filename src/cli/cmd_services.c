/*
 * cmd_services.c: coso services (docs/SERVICES.md): the cases of the one-stop
 * desk, complaints, denunciations and petitions: lists (what is due today,
 * what is overdue), one case with its clock as of a day, the printable
 * apology slip, the figures of a scope and period, the catalogue, and
 * recomputing the stored deadlines after a new calendar file.
 *
 * The command line reads the database file with no user: a denouncer's
 * identity is never printed here (only `coso export` writes it).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/services.h"
#include "core/services_json.h"
#include "db/store_audit.h"
#include "report/report.h"
#include "util/error.h"
#include "util/vnfmt.h"

struct opts {
	const char *scope, *kind, *status, *on, *from, *to, *as_of, *format, *q, *limit;
	const char *arg;  /* the case's id (show, slip) */
};

#define usage(...) cli_usage("services", __VA_ARGS__)

static int parse_day(const char *opt, const char *s, coso_day dflt, coso_day *out)
{
	if (!s) {
		*out = dflt;
		return 0;
	}
	if (coso_date_parse(out, s, strlen(s)) < 0)
		return cli_usage("services", "%s: '%s' is not a date that exists (write YYYY-MM-DD)", opt, s);
	return 0;
}

static int print_json(json_t *j)
{
	int rc = json_dumpf(j, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);

	json_decref(j);
	fputc('\n', stdout);
	return rc < 0 ? cli_fail("cannot write") : 0;
}

/* dd/mm/yyyy, or "—" for a day not set. */
static const char *vnday(char *buf, size_t n, json_t *v)
{
	int y, m, d;

	if (!json_is_string(v) || sscanf(json_string_value(v), "%d-%d-%d", &y, &m, &d) != 3)
		return "—";
	return coso_vnfmt_date(buf, n, y, m, d);
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static const char *status_vn(json_t *c)
{
	const char *s = str(c, "status");

	if (json_is_true(json_object_get(c, "overdue")))
		return "QUÁ HẠN";
	if (strcmp(s, "received") == 0)
		return "chờ thụ lý";
	if (strcmp(s, "accepted") == 0)
		return "đang giải quyết (đã thụ lý)";
	if (strcmp(s, "in_progress") == 0)
		return "đang giải quyết";
	for (int i = 0; coso_svc_actions[i]; i++)
		if (strcmp(s, coso_svc_actions[i]) == 0)
			return coso_svc_action_names[i];
	return s;
}

/* ---- list -------------------------------------------------------------------------------- */

static int svc_list(coso_store *st, const struct opts *o, bool json)
{
	coso_svc_filter f = { 0 };
	json_t *page = NULL, *it;
	size_t i;
	long long limit = 500;
	char *end = NULL;
	int rc;

	f.scope = o->scope;
	f.kind = o->kind;
	f.status = o->status ? o->status : "open";
	f.q = o->q;
	if ((rc = parse_day("--on", o->on, coso_date_today(), &f.day)) != 0 ||
	    (rc = parse_day("--from", o->from, COSO_DAY_MIN, &f.from)) != 0 ||
	    (rc = parse_day("--to", o->to, COSO_DAY_MAX - 1, &f.to)) != 0)
		return rc;
	if (o->limit) {
		limit = strtoll(o->limit, &end, 10);
		if (!*o->limit || *end || limit < 1 || limit > 100000)
			return usage("--limit: '%s' is not a number from 1 to 100000", o->limit);
	}
	f.page = 1;
	f.per_page = limit;
	if (coso_svc_list_json(st, &f, &page) < 0)
		return cli_fail("%s", coso_error_last());
	if (json)
		return print_json(page);
	{
		char n[32];

		coso_vnfmt_int(n, sizeof(n), json_integer_value(json_object_get(page, "total")));
		printf("%s hồ sơ\n", n);
	}
	json_array_foreach(json_object_get(page, "items"), i, it) {
		char a[16], b[16];
		json_t *p = json_object_get(it, "person");

		printf("%-18s %-8s  nhận %s  hạn %s  ", str(it, "id"), str(json_object_get(it, "unit"), "code"),
		       vnday(a, sizeof(a), json_object_get(it, "received_on")), vnday(b, sizeof(b), json_object_get(it, "due_on")));
		coso_report_cell(stdout, status_vn(it), 28, false);
		printf(" %s — %s — %s\n", str(it, "procedure_name")[0] ? str(it, "procedure_name") : str(it, "subject"),
		       json_is_object(p) ? str(p, "name") : "(danh tính được giữ bí mật)", str(json_object_get(it, "unit"), "name"));
	}
	json_decref(page);
	return 0;
}

/* ---- show -------------------------------------------------------------------------------- */

static int svc_show(coso_store *st, const struct opts *o, bool json)
{
	coso_day as_of;
	json_t *c = NULL, *e, *on, *p;
	char a[16], b[16], z[16];
	size_t i;
	int rc;

	if ((rc = parse_day("--as-of", o->as_of, COSO_DAY_MAX, &as_of)) != 0)
		return rc;
	if (coso_svc_detail_json(st, o->arg, NULL, as_of, coso_date_today(), &c) < 0)
		return cli_fail("%s", coso_error_last());
	if (json)
		return print_json(c);
	p = json_object_get(c, "person");
	printf("%s — %s\n", str(c, "id"), str(c, "kind_name"));
	printf("  Đơn vị: %s (%s)%s\n", str(json_object_get(c, "unit"), "name"), str(json_object_get(c, "unit"), "code"),
	       json_is_true(json_object_get(c, "remote")) ? ", vùng đặc biệt khó khăn" : "");
	printf("  Nội dung: %s\n", str(c, "procedure_name")[0] ? str(c, "procedure_name") : str(c, "subject"));
	printf("  Người nộp: %s\n", json_is_object(p) ? str(p, "name") : "(danh tính được giữ bí mật)");
	printf("  Nhận: %s; hạn: %s; kết quả: %s; trạng thái: %s\n",
	       vnday(a, sizeof(a), json_object_get(c, "received_on")), vnday(b, sizeof(b), json_object_get(c, "due_on")),
	       vnday(z, sizeof(z), json_object_get(c, "closed_on")), status_vn(c));
	json_array_foreach(json_object_get(c, "events"), i, e) {
		printf("  %s  %s%s%s%s%s\n", vnday(a, sizeof(a), json_object_get(e, "date")), str(e, "action_name"),
		       str(e, "body")[0] ? ": " : "", str(e, "body"), str(e, "note")[0] ? " — " : "", str(e, "note"));
	}
	on = json_object_get(c, "on");
	printf("  Ngày %s: %s, hạn %s, %s\n", vnday(a, sizeof(a), json_object_get(on, "date")),
	       json_is_true(json_object_get(on, "open")) ? "đang giải quyết" : "đã kết thúc",
	       vnday(b, sizeof(b), json_object_get(on, "deadline")),
	       json_is_true(json_object_get(on, "late")) ? "TRỄ HẠN" : "đúng hạn");
	json_decref(c);
	return 0;
}

/* ---- the apology slip --------------------------------------------------------------------- */

static int svc_slip(coso_store *st, const struct opts *o)
{
	json_t *c = NULL, *e, *slip = NULL, *p;
	char a[16], b[16], r[16];
	size_t i;

	if (coso_svc_detail_json(st, o->arg, NULL, COSO_DAY_MAX, coso_date_today(), &c) < 0)
		return cli_fail("%s", coso_error_last());
	json_array_foreach(json_object_get(c, "events"), i, e)
		if (strcmp(str(e, "action"), "apology") == 0)
			slip = e;
	if (!slip) {
		json_decref(c);
		return cli_fail("case %s has no apology slip", o->arg);
	}
	p = json_object_get(c, "person");
	printf("ỦY BAN NHÂN DÂN %s\nBộ phận Tiếp nhận và Trả kết quả\n\n", str(json_object_get(c, "unit"), "name"));
	printf("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ\n\n");
	printf("Kính gửi: %s\n\n", json_is_object(p) ? str(p, "name") : "");
	printf("Ngày %s, Bộ phận Tiếp nhận và Trả kết quả tiếp nhận hồ sơ số %s của Ông/Bà: %s.\n",
	       vnday(a, sizeof(a), json_object_get(c, "received_on")), str(c, "id"),
	       str(c, "procedure_name"));
	printf("Thời hạn giải quyết theo quy định: ngày %s.\n", vnday(b, sizeof(b), json_object_get(c, "due_on")));
	printf("Tuy nhiên đến nay hồ sơ chưa giải quyết xong. Lý do: %s.\n", str(slip, "note")[0] ? str(slip, "note") : "…");
	printf("Chúng tôi xin lỗi Ông/Bà và hẹn lại ngày trả kết quả là ngày %s.\n",
	       vnday(r, sizeof(r), json_object_get(slip, "new_date")));
	printf("\nNgày %s\n", vnday(a, sizeof(a), json_object_get(slip, "date")));
	json_decref(c);
	return 0;
}

/* ---- report ------------------------------------------------------------------------------- */

static void print_figures(const char *label, json_t *f)
{
	char n[6][32], pct[32];
	const char *keys[6] = { "received", "resolved", "on_time", "late", "open", "overdue" };

	for (int i = 0; i < 6; i++)
		coso_vnfmt_int(n[i], sizeof(n[i]), json_integer_value(json_object_get(f, keys[i])));
	coso_vnfmt_percent(pct, sizeof(pct), json_integer_value(json_object_get(f, "on_time")),
			   json_integer_value(json_object_get(f, "resolved")), 1);
	fputs("  ", stdout);
	coso_report_cell(stdout, label, 34, false);
	for (int i = 0; i < 6; i++) {
		fputc(' ', stdout);
		coso_report_cell(stdout, n[i], 9, true);
		if (i == 2) {
			fputc(' ', stdout);
			coso_report_cell(stdout, pct, 9, true);
		}
	}
	fputc('\n', stdout);
}

static int svc_report(coso_store *st, const struct opts *o, bool json)
{
	coso_day from, to;
	json_t *r = NULL, *v;
	const char *k;
	char a[16], b[16];
	size_t i;
	int rc;

	if ((rc = parse_day("--to", o->to, coso_date_today(), &to)) != 0)
		return rc;
	{
		int y, m, d;

		coso_date_to_ymd(to, &y, &m, &d);
		if ((rc = parse_day("--from", o->from, coso_date_from_ymd(y, 1, 1), &from)) != 0)
			return rc;
	}
	if (from > to)
		return usage("--from %s is after --to", o->from);
	if (coso_svc_report_json(st, o->scope, from, to, &r) < 0)
		return cli_fail("%s", coso_error_last());
	if (json)
		return print_json(r);
	printf("Tiếp nhận và giải quyết hồ sơ, đơn thư%s%s, từ %s đến %s\n", o->scope ? " — đơn vị " : "",
	       o->scope ? o->scope : "", vnday(a, sizeof(a), json_object_get(r, "from")),
	       vnday(b, sizeof(b), json_object_get(r, "to")));
	{
		static const char *const head[] = { "tiếp nhận", "đã xong", "đúng hạn", "tỷ lệ", "trễ hạn", "còn mở",
						    "quá hạn" };

		fputs("  ", stdout);
		coso_report_cell(stdout, "", 34, false);
		for (int h = 0; h < 7; h++) {
			fputc(' ', stdout);
			coso_report_cell(stdout, head[h], 9, true);
		}
		fputc('\n', stdout);
	}
	json_object_foreach(json_object_get(r, "by_kind"), k, v) {
		int kind = coso_svc_kind_of(k);

		print_figures(kind >= 0 ? coso_svc_kind_names[kind] : k, v);
	}
	print_figures("Tổng số", json_object_get(r, "total"));
	{
		json_t *rc2 = json_object_get(r, "reception"), *vp = json_object_get(r, "voter_petitions");
		char n1[32], n2[32], n3[32], n4[32], pct[32];

		coso_vnfmt_int(n1, sizeof(n1), json_integer_value(json_object_get(rc2, "sessions")));
		coso_vnfmt_int(n2, sizeof(n2), json_integer_value(json_object_get(rc2, "matters")));
		coso_vnfmt_int(n3, sizeof(n3), json_integer_value(json_object_get(rc2, "routed")));
		printf("\nTiếp công dân: %s buổi, %s lượt công dân, %s vụ việc thành hồ sơ\n", n1, n2, n3);
		coso_vnfmt_int(n1, sizeof(n1), json_integer_value(json_object_get(vp, "collected")));
		coso_vnfmt_int(n2, sizeof(n2), json_integer_value(json_object_get(vp, "answered")));
		coso_vnfmt_int(n3, sizeof(n3), json_integer_value(json_object_get(vp, "answered_in_time")));
		coso_vnfmt_int(n4, sizeof(n4), json_integer_value(json_object_get(vp, "unanswered")));
		coso_vnfmt_percent(pct, sizeof(pct), json_integer_value(json_object_get(vp, "answered")),
				   json_integer_value(json_object_get(vp, "collected")), 1);
		printf("Kiến nghị cử tri: %s kiến nghị, %s đã trả lời (%s), %s kịp kỳ họp sau, %s chưa trả lời\n", n1, n2, pct,
		       n3, n4);
	}
	if (o->kind && strcmp(o->kind, "unit") == 0) {
		printf("\nTheo xã:\n");
		json_array_foreach(json_object_get(r, "by_unit"), i, v)
			print_figures(str(v, "name"), v);
	}
	if (o->kind && strcmp(o->kind, "procedure") == 0) {
		printf("\nHồ sơ một cửa theo thủ tục:\n");
		json_array_foreach(json_object_get(r, "onestop_by_procedure"), i, v)
			print_figures(str(v, "name"), v);
	}
	json_decref(r);
	return 0;
}

/* ---- citizen reception --------------------------------------------------------------------- */

static const char *session_kind_vn(const char *k)
{
	return strcmp(k, "chair") == 0 ? "định kỳ (Chủ tịch)" : strcmp(k, "unscheduled") == 0 ? "đột xuất" : "thường xuyên";
}

static int svc_receptions(coso_store *st, const struct opts *o, bool json)
{
	coso_svc_filter f = { .scope = o->scope, .page = 1, .per_page = 100000 };
	json_t *page = NULL, *it;
	size_t i;
	int rc;

	if ((rc = parse_day("--from", o->from, COSO_DAY_MIN, &f.from)) != 0 ||
	    (rc = parse_day("--to", o->to, COSO_DAY_MAX - 1, &f.to)) != 0)
		return rc;
	if (coso_svc_sessions_json(st, &f, &page) < 0)
		return cli_fail("%s", coso_error_last());
	if (json)
		return print_json(page);
	json_array_foreach(json_object_get(page, "items"), i, it) {
		char a[16];

		printf("%-22s %s  %-20s %s: %lld lượt, %lld chuyển thành hồ sơ\n", str(it, "id"),
		       vnday(a, sizeof(a), json_object_get(it, "date")), session_kind_vn(str(it, "kind")),
		       str(json_object_get(it, "unit"), "name"), (long long)json_integer_value(json_object_get(it, "matters")),
		       (long long)json_integer_value(json_object_get(it, "routed")));
	}
	json_decref(page);
	return 0;
}

static int svc_reception(coso_store *st, const struct opts *o, bool json)
{
	json_t *s = NULL, *m;
	char a[16];
	size_t i;

	if (coso_svc_session_json(st, o->arg, NULL, &s) < 0)
		return cli_fail("%s", coso_error_last());
	if (json)
		return print_json(s);
	printf("%s — tiếp công dân %s, %s, ngày %s%s%s\n", str(s, "id"), session_kind_vn(str(s, "kind")),
	       str(json_object_get(s, "unit"), "name"), vnday(a, sizeof(a), json_object_get(s, "date")),
	       str(s, "host")[0] ? ", " : "", str(s, "host"));
	json_array_foreach(json_object_get(s, "matters"), i, m) {
		json_t *p = json_object_get(m, "person");

		printf("  %zu. %s: %s → %s%s%s\n", i + 1, json_is_object(p) ? str(p, "name") : "(danh tính được giữ bí mật)",
		       str(m, "matter"), str(m, "route"), str(m, "case_id")[0] ? " " : "", str(m, "case_id"));
	}
	json_decref(s);
	return 0;
}

/* ---- voters' petitions ------------------------------------------------------------------- */

static int svc_voters(coso_store *st, const struct opts *o, bool json)
{
	coso_svc_filter f = { .scope = o->scope, .status = o->status, .page = 1, .per_page = 100000 };
	json_t *page = NULL, *it;
	size_t i;
	int rc;

	if ((rc = parse_day("--from", o->from, COSO_DAY_MIN, &f.from)) != 0 ||
	    (rc = parse_day("--to", o->to, COSO_DAY_MAX - 1, &f.to)) != 0 ||
	    (rc = parse_day("--on", o->on, coso_date_today(), &f.day)) != 0)
		return rc;
	if (coso_svc_voters_json(st, &f, &page) < 0)
		return cli_fail("%s", coso_error_last());
	if (json)
		return print_json(page);
	json_array_foreach(json_object_get(page, "items"), i, it) {
		char a[16], b[16];

		printf("%-18s %s  %s → %s: %s (kỳ họp %s; %s)\n", str(it, "id"), vnday(a, sizeof(a), json_object_get(it, "meeting_on")),
		       str(json_object_get(it, "unit"), "name"), str(it, "addressee"), str(it, "content"),
		       vnday(b, sizeof(b), json_object_get(it, "next_session_on")),
		       json_is_null(json_object_get(it, "answered_on")) ? "CHƯA TRẢ LỜI"
		       : json_is_true(json_object_get(it, "answered_in_time")) ? "đã trả lời kịp kỳ họp" : "trả lời sau kỳ họp");
	}
	json_decref(page);
	return 0;
}

/* ---- the rest --------------------------------------------------------------------------- */

static int svc_procedures(coso_store *st, const struct opts *o, bool json)
{
	coso_day d;
	json_t *a = NULL, *p;
	size_t i;
	int rc;

	if ((rc = parse_day("--as-of", o->as_of, coso_date_today(), &d)) != 0)
		return rc;
	if (coso_svc_procedures_json(st, d, &a) < 0)
		return cli_fail("%s", coso_error_last());
	if (json)
		return print_json(a);
	json_array_foreach(a, i, p)
		printf("%-10s %3lld ngày làm việc  %s (%s)\n", str(p, "code"),
		       (long long)json_integer_value(json_object_get(p, "days")), str(p, "name"), str(p, "field"));
	json_decref(a);
	return 0;
}

/* A problem of recompute: the first is kept for the message. */
static void first_problem(void *ctx, const coso_problem *p)
{
	char *msg = ctx;

	if (!*msg)
		snprintf(msg, 512, "case %s: %s", p->key, p->message);
}

static int svc_recompute(coso_store *st)
{
	char problem[512] = "";
	long long n = 0;
	int rc = coso_store_begin(st);

	if (rc == 0 && (rc = coso_svc_refresh_every(st, first_problem, problem)) > 0)
		rc = coso_error_set(COSO_EINVALID, "%s", problem);
	if (rc == 0)
		rc = coso_store_audit_append(st, "svc_case.recompute", "svc_case", NULL, NULL, NULL);
	if (rc == 0) {
		coso_svc_figures *f = NULL;
		size_t nf = 0;

		rc = coso_svc_figures_of(st, NULL, COSO_DAY_MIN + 1, COSO_DAY_MAX - 1, 0, &f, &nf);
		n = rc == 0 ? f[0].received : 0;
		free(f);
	}
	if (rc == 0)
		rc = coso_store_commit(st);
	else
		coso_store_rollback(st);
	if (rc < 0)
		return cli_fail("%s", coso_error_last());
	printf("%lld hồ sơ: hạn giải quyết đã tính lại theo lịch hiện hành\n", n);
	return 0;
}

int cmd_services(struct cli_ctx *ctx, int argc, char **argv)
{
	struct opts o = { 0 };
	const char *sub;
	coso_store *st = NULL;
	bool json = false;
	int rc;

	if (argc < 1)
		return usage("give a subcommand");
	sub = argv[0];
	if (cli_is_help(sub)) {
		cli_print_help("services");
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		const struct cli_opt opts[] = {
			{ "--scope", &o.scope }, { "--kind", &o.kind }, { "--by", &o.kind }, { "--status", &o.status },
			{ "--on", &o.on }, { "--from", &o.from }, { "--to", &o.to }, { "--as-of", &o.as_of },
			{ "--format", &o.format }, { "--q", &o.q }, { "--limit", &o.limit }, { NULL, NULL },
		};
		const char *a = argv[i];

		if (cli_is_help(a)) {
			cli_print_help("services");
			return 0;
		}
		if (a[0] != '-') {
			if (o.arg)
				return usage("unexpected argument '%s'", a);
			o.arg = a;
			continue;
		}
		if ((rc = cli_take_option("services", opts, argc, argv, &i)) == 0)
			return usage("unknown argument '%s'", a);
		if (rc != 1)
			return rc;
	}
	{
		enum cli_format fmt;

		if ((rc = cli_format_of("services", o.format, 0, &fmt)) != 0)
			return rc;
		json = fmt == CLI_JSON;
	}
	if (o.kind && strcmp(sub, "report") != 0 && coso_svc_kind_of(o.kind) < 0)
		return usage("--kind: '%s' is not onestop, complaint, complaint_second, denunciation or petition", o.kind);
	if (o.kind && strcmp(sub, "report") == 0 && strcmp(o.kind, "unit") != 0 && strcmp(o.kind, "kind") != 0 &&
	    strcmp(o.kind, "procedure") != 0)
		return usage("--by: '%s' is not kind, unit or procedure", o.kind);
	if (o.status && strcmp(sub, "voters") == 0 &&
	    !coso_one_of(o.status, (const char *const[]){ "all", "answered", "unanswered", "late", NULL }))
		return usage("--status: '%s' is not all, answered, unanswered or late", o.status);
	if (o.status && strcmp(sub, "voters") != 0 &&
	    !coso_one_of(o.status, (const char *const[]){ "all", "open", "overdue", "due", "late", "closed", NULL }))
		return usage("--status: '%s' is not all, open, overdue, due, late or closed", o.status);
	if ((strcmp(sub, "show") == 0 || strcmp(sub, "slip") == 0 || strcmp(sub, "reception") == 0) && !o.arg)
		return usage("%s: give the case's (session's) id", sub);
	if (strcmp(sub, "show") != 0 && strcmp(sub, "slip") != 0 && strcmp(sub, "reception") != 0 && o.arg)
		return usage("unexpected argument '%s'", o.arg);
	if (coso_store_open(&st, ctx->db_path, 0, NULL) < 0)
		return cli_fail("%s", coso_error_last());
	if (strcmp(sub, "list") == 0)
		rc = svc_list(st, &o, json);
	else if (strcmp(sub, "show") == 0)
		rc = svc_show(st, &o, json);
	else if (strcmp(sub, "slip") == 0)
		rc = svc_slip(st, &o);
	else if (strcmp(sub, "report") == 0)
		rc = svc_report(st, &o, json);
	else if (strcmp(sub, "receptions") == 0)
		rc = svc_receptions(st, &o, json);
	else if (strcmp(sub, "reception") == 0)
		rc = svc_reception(st, &o, json);
	else if (strcmp(sub, "voters") == 0)
		rc = svc_voters(st, &o, json);
	else if (strcmp(sub, "procedures") == 0)
		rc = svc_procedures(st, &o, json);
	else if (strcmp(sub, "recompute") == 0) {
		coso_store_set_actor(st, cli_user(), "local");
		rc = svc_recompute(st);
	} else
		rc = usage("unknown subcommand '%s' (list, show, slip, report, receptions, reception, voters, procedures, recompute)", sub);
	coso_store_close(st);
	return rc;
}
