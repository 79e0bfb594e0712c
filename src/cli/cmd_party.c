/*
 * cmd_party.c: coso party due | candidates | badges | ratings (docs/PARTY.md): what
 * the Party's rules make due, overdue and late on a day, the candidates for
 * admission with their stage and next deadline, the members due for a
 * Party badge at the next ceremony, and the yearly quality ratings (coso
 * party ratings); text in Vietnamese
 * (dd/mm/yyyy), or JSON / CSV with the API's names.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/party.h"
#include "db/store_party.h"
#include "util/error.h"
#include "util/vnfmt.h"

static const char *const due_titles[COSO_DUE_MAX] = {
	"Quyết định kết nạp", "Lễ kết nạp", "Xét công nhận chính thức", "Giới thiệu chuyển sinh hoạt",
	"Xuất trình giấy giới thiệu", "Hết hạn sinh hoạt tạm thời",
};
static const char *const list_titles[COSO_LIST_MAX] = {
	"Đến hạn trong tháng", "Quá hạn", "Đã làm nhưng muộn",
};
static const char *const stage_titles[COSO_STAGE_MAX] = {
	"Chi bộ giới thiệu", "Đã học lớp nhận thức về Đảng", "Đã thẩm tra lý lịch", "Chi bộ đã biểu quyết",
	"Đã có quyết định kết nạp", "Đã kết nạp", "Dừng xem xét",
};

static char *vn_date(char buf[16], coso_day d)
{
	int y, m, dd;

	if (d == COSO_DAY_MAX || d == COSO_DAY_MIN) {
		snprintf(buf, 16, "-");
		return buf;
	}
	coso_date_to_ymd(d, &y, &m, &dd);
	return coso_vnfmt_date(buf, 16, y, m, dd);
}

/* Prints s and spaces to `width` characters (UTF-8: bytes 10xxxxxx continue a character). */
static void put_padded(const char *s, int width)
{
	int n = 0;

	for (const char *p = s; *p; p++)
		n += ((unsigned char)*p & 0xC0) != 0x80;
	fputs(s, stdout);
	for (; n < width; n++)
		putchar(' ');
}

static const char *iso(char buf[COSO_DATE_BUFSZ], coso_day d)
{
	return coso_date_format(buf, d);
}

struct opts {
	coso_day as_of;
	const char *org;
	enum cli_format fmt;
	bool all;
	int year;       /* ratings: --year, 0 when not given */
};

/* Parses [--as-of D] [--org CODE] [--format F] [--all]; returns 0 or an exit status. */
static int parse(const char *cmd, int argc, char **argv, struct opts *o)
{
	o->as_of = coso_date_today();
	o->org = NULL;
	o->fmt = CLI_TEXT;
	o->all = false;
	o->year = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--all") == 0) {
			o->all = true;
		} else if (i + 1 >= argc) {
			return cli_usage("party", "%s %s: unknown option or missing value", cmd, a);
		} else if (strcmp(a, "--as-of") == 0) {
			const char *s = argv[++i];

			if (coso_date_parse(&o->as_of, s, strlen(s)) < 0)
				return cli_usage("party", "--as-of: '%s' is not a date that exists (write YYYY-MM-DD)", s);
		} else if (strcmp(a, "--org") == 0) {
			o->org = argv[++i];
		} else if (strcmp(a, "--year") == 0) {
			const char *y = argv[++i];
			char *end;
			long v = strtol(y, &end, 10);

			if (*end || end == y || v < COSO_CALENDAR_FIRST_YEAR || v > COSO_CALENDAR_LAST_YEAR)
				return cli_usage("party", "--year: '%s' is not a year (1995 to 2100)", y);
			o->year = (int)v;
		} else if (strcmp(a, "--format") == 0) {
			int rc = cli_format_of("party", argv[++i], 1, &o->fmt);

			if (rc != 0)
				return rc;
		} else {
			return cli_usage("party", "%s: unknown option %s", cmd, a);
		}
	}
	return 0;
}

/* ---- due ---------------------------------------------------------------------------- */

struct due_list {
	coso_due_item *v;
	char **strs;   /* 4 per item: id, name, org, org name */
	size_t n, cap;
};

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static int keep_due(void *ctx, const coso_due_item *it)
{
	struct due_list *l = ctx;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		coso_due_item *v = realloc(l->v, cap * sizeof(*v));
		char **s;

		if (!v)
			return coso_error_set(COSO_ENOMEM, "out of memory");
		l->v = v;
		s = realloc(l->strs, cap * 4 * sizeof(*s));
		if (!s)
			return coso_error_set(COSO_ENOMEM, "out of memory");
		l->strs = s;
		l->cap = cap;
	}
	l->v[l->n] = *it;
	l->strs[l->n * 4] = dup_or_empty(it->id);
	l->strs[l->n * 4 + 1] = dup_or_empty(it->full_name);
	l->strs[l->n * 4 + 2] = dup_or_empty(it->org_code);
	l->strs[l->n * 4 + 3] = dup_or_empty(it->org_name);
	l->v[l->n].id = l->strs[l->n * 4];
	l->v[l->n].full_name = l->strs[l->n * 4 + 1];
	l->v[l->n].org_code = l->strs[l->n * 4 + 2];
	l->v[l->n].org_name = l->strs[l->n * 4 + 3];
	l->n++;
	for (int k = 0; k < 4; k++)
		if (!l->strs[(l->n - 1) * 4 + k])
			return coso_error_set(COSO_ENOMEM, "out of memory");
	return 0;
}

static void free_list(struct due_list *l)
{
	for (size_t i = 0; i < l->n * 4; i++)
		free(l->strs[i]);
	free(l->strs);
	free(l->v);
}

static int by_list_then_deadline(const void *a, const void *b)
{
	const coso_due_item *x = a, *y = b;

	if (x->list != y->list)
		return (int)x->list - (int)y->list;
	if (x->due.deadline != y->due.deadline)
		return x->due.deadline < y->due.deadline ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int print_due_json(const struct due_list *l, coso_day d)
{
	char b1[COSO_DATE_BUFSZ], b2[COSO_DATE_BUFSZ], b3[COSO_DATE_BUFSZ], b4[COSO_DATE_BUFSZ];
	json_t *out = json_object();
	int rc = 0;

	if (!out)
		return cli_fail("out of memory");
	json_object_set_new(out, "as_of", json_string(iso(b1, d)));
	for (int k = 0; k < COSO_LIST_MAX; k++)
		json_object_set_new(out, coso_due_list_name((coso_due_list)k), json_array());
	for (size_t i = 0; i < l->n; i++) {
		const coso_due_item *it = &l->v[i];
		coso_day done = it->due.done;
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "subject",
				      it->member ? "member" : "candidate", "id", it->id, "full_name", it->full_name,
				      "org_code", it->org_code, "kind", coso_due_kind_name(it->due.kind),
				      "state", coso_due_state_name(coso_due_state_on(&it->due, d)),
				      "from", iso(b2, it->due.from), "deadline", iso(b3, it->due.deadline),
				      "done", done == COSO_DAY_MAX ? json_null() : json_string(iso(b4, done)));

		if (!o || json_array_append_new(json_object_get(out, coso_due_list_name(it->list)), o) < 0)
			rc = 1;
	}
	if (rc == 0 && json_dumpf(out, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER) < 0)
		rc = 1;
	json_decref(out);
	if (rc)
		return cli_fail("cannot write the list");
	fputc('\n', stdout);
	return 0;
}

static void print_due_text(const struct due_list *l, coso_day d, const char *org)
{
	char b1[16], b2[16];
	size_t i = 0;

	printf("Công tác đảng viên: việc theo thời hạn ngày %s%s%s\n", vn_date(b1, d), org ? ", tổ chức " : "",
	       org ? org : "");
	for (int k = 0; k < COSO_LIST_MAX; k++) {
		size_t n = 0;

		for (size_t j = 0; j < l->n; j++)
			n += l->v[j].list == (coso_due_list)k;
		printf("\n%s: %zu\n", list_titles[k], n);
		for (; i < l->n && l->v[i].list == (coso_due_list)k; i++) {
			const coso_due_item *it = &l->v[i];

			printf("  hạn %s  ", vn_date(b1, it->due.deadline));
			put_padded(due_titles[it->due.kind], 26);
			printf("%-10s %s · %s%s%s\n", it->id, it->full_name,
			       it->org_name && *it->org_name ? it->org_name : it->org_code,
			       k == COSO_LIST_LATE ? " · làm ngày " : "", k == COSO_LIST_LATE ? vn_date(b2, it->due.done) : "");
		}
	}
}

static void print_due_csv(const struct due_list *l)
{
	char b1[COSO_DATE_BUFSZ], b2[COSO_DATE_BUFSZ], b3[COSO_DATE_BUFSZ];

	printf("list,kind,subject,id,full_name,org_code,from,deadline,done\n");
	for (size_t i = 0; i < l->n; i++) {
		const coso_due_item *it = &l->v[i];

		printf("%s,%s,%s,", coso_due_list_name(it->list), coso_due_kind_name(it->due.kind),
		       it->member ? "member" : "candidate");
		coso_csv_put(stdout, it->id, false);
		coso_csv_put(stdout, it->full_name, false);
		coso_csv_put(stdout, it->org_code, false);
		printf("%s,%s,%s\n", iso(b1, it->due.from), iso(b2, it->due.deadline), iso(b3, it->due.done));
	}
}

static int party_due(coso_store *st, const struct opts *o)
{
	struct due_list l = { 0 };
	const coso_calendar *cal = coso_calendar_default();
	int rc;

	if (!cal)
		return cli_fail("%s", coso_error_last());
	rc = coso_party_dues(st, cal, o->as_of, o->org, keep_due, &l);
	if (rc < 0) {
		free_list(&l);
		return cli_fail("%s", coso_error_last());
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), by_list_then_deadline);
	if (o->fmt == CLI_JSON)
		rc = print_due_json(&l, o->as_of);
	else if (o->fmt == CLI_CSV)
		print_due_csv(&l);
	else
		print_due_text(&l, o->as_of, o->org);
	free_list(&l);
	return rc;
}

/* ---- candidates ------------------------------------------------------------------------ */

struct cand_ctx {
	const struct opts *o;
	const coso_calendar *cal;
	long long n;
};

static int print_candidate(void *ctx, const coso_candidate_item *it)
{
	struct cand_ctx *x = ctx;
	const coso_prow *c = it->row;
	coso_stage s = coso_candidate_stage(c);
	coso_due due[2];
	int n = coso_candidate_dues(c, x->cal, due);
	char b1[16], b2[16];

	if (!x->o->all && (s == COSO_STAGE_DROPPED || s == COSO_STAGE_ADMITTED || c->day[CAND_PROPOSED] > x->o->as_of))
		return 0;
	x->n++;
	if (x->o->fmt == CLI_CSV) {
		char d1[COSO_DATE_BUFSZ];

		coso_csv_put(stdout, c->text[CAND_ID], false);
		coso_csv_put(stdout, c->text[CAND_NAME], false);
		coso_csv_put(stdout, c->text[CAND_ORG], false);
		coso_csv_put(stdout, coso_stage_name(s), false);
		coso_csv_put(stdout, n ? coso_due_kind_name(due[n - 1].kind) : "", false);
		coso_csv_put(stdout, n ? iso(d1, due[n - 1].deadline) : "", false);
		coso_csv_put(stdout, n ? coso_due_state_name(coso_due_state_on(&due[n - 1], x->o->as_of)) : "", true);
		return 0;
	}
	printf("  %-10s ", c->text[CAND_ID]);
	put_padded(c->text[CAND_NAME], 24);
	printf("%s · %s", it->org_name ? it->org_name : c->text[CAND_ORG], stage_titles[s]);
	if (n) {
		coso_due_state st = coso_due_state_on(&due[n - 1], x->o->as_of);

		if (st == COSO_DUE_OPEN || st == COSO_DUE_OVERDUE || st == COSO_DUE_PENDING)
			printf(" · %s hạn %s%s", due_titles[due[n - 1].kind], vn_date(b1, due[n - 1].deadline),
			       st == COSO_DUE_OVERDUE ? " (quá hạn)" : "");
		else if (st == COSO_DUE_LATE)
			printf(" · %s muộn (hạn %s)", due_titles[due[n - 1].kind], vn_date(b2, due[n - 1].deadline));
	}
	putchar('\n');
	return 0;
}

static int party_candidates(coso_store *st, const struct opts *o)
{
	struct cand_ctx x = { o, coso_calendar_default(), 0 };
	char b[16];
	int rc;

	if (!x.cal)
		return cli_fail("%s", coso_error_last());
	if (o->fmt == CLI_JSON)
		return cli_usage("party", "candidates: --format is text or csv");
	if (o->fmt == CLI_CSV)
		printf("id,full_name,org_code,stage,next,deadline,state\n");
	else
		printf("Quần chúng ưu tú, đối tượng kết nạp ngày %s\n", vn_date(b, o->as_of));
	rc = coso_store_candidates_each(st, o->as_of, o->org, print_candidate, &x);
	if (rc < 0)
		return cli_fail("%s", coso_error_last());
	if (o->fmt == CLI_TEXT)
		printf("Tổng số: %lld\n", x.n);
	return 0;
}

/* ---- badges ------------------------------------------------------------------------------ */

struct badge_print {
	enum cli_format fmt;
	bool early_seen;
	long long n[2];
};

static int print_badge(void *ctx, const coso_badge_item *it)
{
	struct badge_print *x = ctx;
	char b1[16], b2[16];

	x->n[it->early]++;
	if (x->fmt == CLI_CSV) {
		char d1[COSO_DATE_BUFSZ], d2[COSO_DATE_BUFSZ];

		printf("%s,%d,", it->early ? "early" : "due", it->years);
		coso_csv_put(stdout, it->id, false);
		coso_csv_put(stdout, it->full_name, false);
		coso_csv_put(stdout, it->org_code, false);
		printf("%s,%s\n", iso(d1, it->admitted_on), iso(d2, it->anniversary));
		return 0;
	}
	if (it->early && !x->early_seen) {
		x->early_seen = true;
		printf("\nCó thể xét tặng sớm nếu bị bệnh nặng (sớm không quá 12 tháng; 24 tháng với 70 năm trở lên):\n");
	}
	printf("  %2d năm  %-10s ", it->years, it->id);
	put_padded(it->full_name, 24);
	printf("%s · vào Đảng %s, đủ %d năm ngày %s\n", it->org_name ? it->org_name : it->org_code,
	       vn_date(b1, it->admitted_on), it->years, vn_date(b2, it->anniversary));
	return 0;
}

static int party_badges(coso_store *st, const struct opts *o)
{
	struct badge_print x = { o->fmt, false, { 0, 0 } };
	coso_day prev, next;
	char b1[16], b2[16];
	int rc;

	if (o->fmt == CLI_JSON)
		return cli_usage("party", "badges: --format is text or csv");
	coso_badge_ceremonies(o->as_of, &prev, &next);
	if (o->fmt == CLI_CSV)
		printf("list,years,id,full_name,org_code,admitted_on,anniversary\n");
	else
		printf("Huy hiệu Đảng dịp %s (đủ tuổi đảng sau dịp %s đến ngày đó):\n", vn_date(b1, next), vn_date(b2, prev));
	rc = coso_party_badges(st, o->as_of, o->org, print_badge, &x);
	if (rc < 0)
		return cli_fail("%s", coso_error_last());
	if (o->fmt == CLI_TEXT)
		printf("\nTổng số: %lld được tặng, %lld có thể xét tặng sớm\n", x.n[0], x.n[1]);
	return 0;
}

/* ---- ratings ------------------------------------------------------------------------------ */

static const char *const level_titles[4] = {
	"Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ",
};

struct quota_print {
	enum cli_format fmt;
	long long checked, over;
};

/* Hướng dẫn 21-HD/BTCTW (2019), 2.3: excellent at most 20% of good, per
 * grassroots organization. */
static int print_quota(void *ctx, const coso_quota_item *it)
{
	struct quota_print *x = ctx;

	x->checked++;
	if (it->excellent * 5 <= it->good)
		return 0;
	x->over++;
	if (x->fmt == CLI_CSV) {
		printf("over,");
		coso_csv_put(stdout, it->code, false);
		printf("%lld,%lld,%lld\n", it->excellent, it->good, it->good / 5);
	} else {
		printf("  %s (%s): %lld xuất sắc, %lld tốt: tối đa %lld\n", it->name ? it->name : it->code, it->code,
		       it->excellent, it->good, it->good / 5);
	}
	return 0;
}

static void print_levels(const char *what, const long long n[4], enum cli_format fmt)
{
	long long total = n[0] + n[1] + n[2] + n[3];
	char a[32], b[32];

	if (fmt == CLI_CSV) {
		for (int l = 0; l < 4; l++)
			printf("%s,%s,%lld,,\n", what, coso_rating_levels[l], n[l]);
		return;
	}
	printf("\n%s: %s\n", strcmp(what, "member") == 0 ? "Đảng viên" : "Tổ chức đảng", coso_vnfmt_int(a, sizeof(a), total));
	for (int l = 0; l < 4; l++) {
		fputs("  ", stdout);
		put_padded(level_titles[l], 30);
		printf(" %8s  %s\n", coso_vnfmt_int(a, sizeof(a), n[l]), coso_vnfmt_percent(b, sizeof(b), n[l], total, 1));
	}
}

static int party_ratings(coso_store *st, const struct opts *o, int year)
{
	coso_rating_stats stats;
	struct quota_print q = { o->fmt, 0, 0 };
	int rc;

	if (o->fmt == CLI_JSON)
		return cli_usage("party", "ratings: --format is text or csv");
	if ((rc = coso_store_rating_stats(st, year, o->org, &stats)) < 0)
		return cli_fail("%s", coso_error_last());
	if (o->fmt == CLI_CSV) {
		printf("kind,level,count,excellent,good\n");
	} else {
		printf("Đánh giá, xếp loại chất lượng năm %d%s%s\n", year, o->org ? ", tổ chức " : "", o->org ? o->org : "");
	}
	print_levels("member", stats.members, o->fmt);
	print_levels("org", stats.orgs, o->fmt);
	if (o->fmt == CLI_TEXT)
		printf("\nTổ chức cơ sở đảng có số đảng viên hoàn thành xuất sắc nhiệm vụ quá 20%% số hoàn thành tốt"
		       " nhiệm vụ:\n");
	if ((rc = coso_store_rating_quota_each(st, year, o->org, print_quota, &q)) < 0)
		return cli_fail("%s", coso_error_last());
	if (o->fmt == CLI_TEXT)
		printf("  %lld trên %lld tổ chức cơ sở đảng\n", q.over, q.checked);
	return 0;
}

int cmd_party(struct cli_ctx *ctx, int argc, char **argv)
{
	struct opts o;
	coso_store *st = NULL;
	int rc;

	if (argc >= 1 && cli_is_help(argv[0])) {
		cli_print_help("party");
		return 0;
	}
	if (argc < 1 || (strcmp(argv[0], "due") != 0 && strcmp(argv[0], "candidates") != 0 &&
			 strcmp(argv[0], "badges") != 0 && strcmp(argv[0], "ratings") != 0))
		return cli_usage("party", "party takes due, candidates, badges or ratings");
	if ((rc = parse(argv[0], argc - 1, argv + 1, &o)) != 0)
		return rc;
	if (strcmp(argv[0], "ratings") == 0 && !o.year)
		return cli_usage("party", "ratings needs --year YEAR");
	if (coso_store_open(&st, ctx->db_path, 0, NULL) < 0)
		return cli_fail("%s", coso_error_last());
	rc = strcmp(argv[0], "due") == 0 ? party_due(st, &o)
		: strcmp(argv[0], "badges") == 0 ? party_badges(st, &o)
		: strcmp(argv[0], "ratings") == 0 ? party_ratings(st, &o, o.year) : party_candidates(st, &o);
	coso_store_close(st);
	return rc;
}
