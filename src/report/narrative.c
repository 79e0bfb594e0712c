/*
 * narrative.c: the written report of a period (report/narrative.h). Every
 * number is taken from the reports it is built from (as of the start, as of
 * the end, the flows, the resolution's targets), so the text cannot
 * contradict itself: the villages without a cell at the end are
 * total − with a cell, the share is of those same two numbers, and so on.
 */
#include "report/narrative.h"


#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/cadres.h"
#include "core/plans.h"
#include "util/error.h"
#include "util/vnfmt.h"

int coso_narrative_format_parse(const char *s, coso_narrative_format *out)
{
	static const char *const names[] = { "text", "json", "fodt", "xlsx" };

	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (coso_narrative_format)i;
			return 0;
		}
	return coso_error_set(COSO_EINVALID, "'%s' is not text, json, fodt or xlsx", s);
}

void coso_narrative_clear(coso_narrative *n)
{
	if (!n)
		return;
	coso_report_asof_clear(&n->start);
	coso_report_asof_clear(&n->end);
	coso_report_flow_clear(&n->flow);
	coso_report_flow_clear(&n->quarter);
	if (n->has_plan)
		coso_plan_report_clear(&n->plan);
	memset(n, 0, sizeof(*n));
}

void coso_narrative_set_training(coso_narrative *n, const coso_training_figures *t)
{
	n->training = *t;
}

/* The last whole calendar quarter inside [from, to]. */
static bool last_quarter(coso_day from, coso_day to, coso_day *qf, coso_day *qt, int *qn, int *qy)
{
	int y, m;

	coso_date_to_ymd(to + 1, &y, &m, NULL);
	/* the quarter that starts on or before to + 1 at a quarter's first day */
	int q = (m - 1) / 3; /* 0..3: the quarter of to + 1 */
	coso_day qstart = coso_date_from_ymd(y, q * 3 + 1, 1);

	if (qstart > to + 1)
		return false;
	/* the whole quarter before qstart */
	if (q == 0) {
		y--;
		q = 4;
	}
	*qf = coso_date_from_ymd(y, (q - 1) * 3 + 1, 1);
	*qt = qstart - 1;
	*qn = q;
	*qy = y;
	return *qf >= from;
}

/* Section 5: the training of the scope's commune cadres over the period
 * (core/cadres.h): people sent to professional training and to political
 * theory, attendances of short courses, as the article counts them. Absent
 * (the section says so) when the registry holds no commune post at all. */
static int training_of(coso_store *st, coso_narrative *out)
{
	coso_training_summary ts;
	int rc;

	rc = coso_cadres_training_summary(st, out->end.scope.code[0] ? out->end.scope.code : NULL, out->from,
					  out->to, &ts);
	if (rc < 0)
		return rc;
	out->training.present = ts.holdings > 0 || ts.kinds[COSO_TRAINING_PROFESSIONAL].people > 0 ||
				ts.kinds[COSO_TRAINING_POLITICAL].people > 0 ||
				ts.kinds[COSO_TRAINING_SHORT_COURSE].attendances > 0;
	out->training.professional = ts.kinds[COSO_TRAINING_PROFESSIONAL].people;
	out->training.political_theory = ts.kinds[COSO_TRAINING_POLITICAL].people;
	out->training.short_courses = ts.kinds[COSO_TRAINING_SHORT_COURSE].attendances;
	coso_training_summary_clear(&ts);
	return 0;
}

int coso_narrative_build(coso_store *st, const char *scope, coso_day from, coso_day to,
			 const char *resolution, coso_narrative *out)
{
	char *picked = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	out->from = from;
	out->to = to;
	if (to < from)
		return coso_error_set(COSO_EINVALID, "--to comes before --from");
	if ((rc = coso_report_asof_build(st, scope, from, &out->start)) < 0 ||
	    (rc = coso_report_asof_build(st, scope, to, &out->end)) < 0 ||
	    (rc = coso_report_flow_build(st, scope, from, to, &out->flow)) < 0)
		goto fail;
	out->has_quarter = last_quarter(from, to, &out->q_from, &out->q_to, &out->q_number, &out->q_year);
	if (out->has_quarter && (rc = coso_report_flow_build(st, scope, out->q_from, out->q_to, &out->quarter)) < 0)
		goto fail;
	if (!resolution && out->end.scope.code[0]) {
		/* the scope's own resolution, else one of a unit above it (a district
		 * is measured against its province's) */
		if ((rc = coso_plan_pick(st, out->end.scope.code, from, to, false, &picked)) < 0 ||
		    (!picked && (rc = coso_plan_pick(st, NULL, from, to, false, &picked)) < 0))
			goto fail;
		resolution = picked;
	}
	if (resolution) {
		rc = coso_plan_report_build(st, resolution, out->end.scope.code[0] ? out->end.scope.code : NULL, to,
					    COSO_DAY_MIN, &out->plan);
		if (rc == COSO_EINVALID && picked && out->end.scope.code[0])
			rc = 0; /* found by the period alone, and the scope is not under it */
		else if (rc < 0)
			goto fail;
		else
			out->has_plan = true;
	}
	if ((rc = training_of(st, out)) < 0)
		goto fail;
	free(picked);
	return 0;
fail:
	free(picked);
	coso_narrative_clear(out);
	return rc;
}

/* ---- the sentences ------------------------------------------------------------------- */

#define N(buf, v) coso_vnfmt_int(buf, sizeof(buf), (long long)(v))
#define P(buf, a, b) coso_vnfmt_percent(buf, sizeof(buf), (long long)(a), (long long)(b), 1)

static const char *vdate(char *buf, size_t n, coso_day d)
{
	int y, m, dd;

	coso_date_to_ymd(d, &y, &m, &dd);
	return coso_vnfmt_date(buf, n, y, m, dd);
}
#define D(buf, d) vdate(buf, sizeof(buf), d)

void coso_narrative_training_text(char *buf, size_t n, const coso_training_figures *t)
{
	char a[32], b[32], c[32];

	if (!t->present) {
		snprintf(buf, n, "Chưa có số liệu về đào tạo, bồi dưỡng cán bộ, công chức cấp xã trong kỳ.");
		return;
	}
	snprintf(buf, n, "Trong kỳ, đã cử %s người đi đào tạo về chuyên môn nghiệp vụ, %s cán bộ, công chức"
		 " tham gia các lớp đào tạo về lý luận chính trị và %s lượt cán bộ, công chức tham gia các khóa"
		 " bồi dưỡng chuyên môn, nghiệp vụ, kỹ năng quản lý.",
		 N(a, t->professional), N(b, t->political_theory), N(c, t->short_courses));
}

/* A growing paragraph (open_memstream). */
struct para {
	char *buf;
	size_t len;
	FILE *fp;
};

static int para_open(struct para *p)
{
	p->buf = NULL;
	p->len = 0;
	p->fp = open_memstream(&p->buf, &p->len);
	return p->fp ? 0 : coso_error_set(COSO_ENOMEM, "out of memory");
}

/* Closes the paragraph and hands it to fn (nothing when empty). */
static int para_emit(struct para *p, coso_para_fn fn, void *ctx, int level)
{
	int rc = 0;

	if (fclose(p->fp) != 0)
		rc = coso_error_set(COSO_ENOMEM, "out of memory");
	else if (p->len > 0)
		rc = fn(ctx, level, p->buf);
	free(p->buf);
	p->buf = NULL;
	return rc;
}

static int say(coso_para_fn fn, void *ctx, int level, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int say(coso_para_fn fn, void *ctx, int level, const char *fmt, ...)
{
	struct para p;
	va_list ap;

	if (para_open(&p) < 0)
		return COSO_ENOMEM;
	va_start(ap, fmt);
	vfprintf(p.fp, fmt, ap);
	va_end(ap);
	return para_emit(&p, fn, ctx, level);
}

static int profile_paragraph(const coso_narrative *n, coso_para_fn fn, void *ctx)
{
	const coso_profile *pr = &n->end.profile;
	const coso_figures *f = &n->end.total;
	char a[32], b[32], c[32], d[32], e[32], g[32], h[32], k[32];
	struct para p;

	if (para_open(&p) < 0)
		return COSO_ENOMEM;
	fprintf(p.fp, "%s có", n->end.scope.name[0] ? n->end.scope.name : "Địa bàn");
	if (pr->districts)
		fprintf(p.fp, " %s đơn vị hành chính cấp huyện,", N(a, pr->districts));
	fprintf(p.fp, " %s đơn vị hành chính cấp xã", N(a, pr->communes));
	if (pr->communes) {
		const char *sep = " (";

		if (pr->communes_xa)
			fprintf(p.fp, "%s%s xã", sep, N(b, pr->communes_xa)), sep = ", ";
		if (pr->communes_phuong)
			fprintf(p.fp, "%s%s phường", sep, N(b, pr->communes_phuong)), sep = ", ";
		if (pr->communes_thi_tran)
			fprintf(p.fp, "%s%s thị trấn", sep, N(b, pr->communes_thi_tran)), sep = ", ";
		if (pr->communes_other)
			fprintf(p.fp, "%s%s đơn vị khác", sep, N(b, pr->communes_other)), sep = ", ";
		fprintf(p.fp, ")");
	}
	fprintf(p.fp, " và %s thôn, bản, tổ dân phố", N(c, f->villages_total));
	if (pr->border_communes)
		fprintf(p.fp, "; trong đó có %s xã biên giới", N(d, pr->border_communes));
	if (pr->difficult_communes || pr->difficult_villages)
		fprintf(p.fp, "; %s xã và %s/%s thôn, bản đặc biệt khó khăn", N(e, pr->difficult_communes),
			N(g, pr->difficult_villages), N(h, pr->villages));
	if (pr->population)
		fprintf(p.fp, "; dân số %s người", N(k, pr->population));
	fprintf(p.fp, " (số liệu ngày %s).", D(a, n->to));
	return para_emit(&p, fn, ctx, 0);
}

static int start_paragraph(const coso_narrative *n, coso_para_fn fn, void *ctx)
{
	const coso_figures *f = &n->start.total;
	char day[16], a[32], b[32], c[32], d[32], e[32], g[32], h[32], k[32];

	return say(fn, ctx, 0, "Ngày %s, toàn địa bàn có %s thôn, bản, tổ dân phố, trong đó %s thôn, bản chưa có"
		   " chi bộ và %s thôn, bản chưa có đảng viên; %s/%s trường học và %s/%s trạm y tế có chi bộ;"
		   " có %s đảng viên.", D(day, n->from), N(a, f->villages_total),
		   N(b, f->villages_total - f->villages_with_org), N(c, f->villages_without_member),
		   N(d, f->schools_with_org), N(e, f->schools_total), N(g, f->health_with_org), N(h, f->health_total),
		   N(k, f->members_total));
}

/* "năm 2016: 2.113 (chỉ tiêu 2.000, đạt)" */
static void target_cell(FILE *fp, const coso_target *t, const coso_progress *c)
{
	char a[48], q[48], day[16];
	bool count = strcmp(t->kind, "count") == 0;

	if (!c->measured) {
		fprintf(fp, "chưa đến kỳ");
		return;
	}
	if (!c->has_actual)
		fprintf(fp, "không còn để giảm");
	else if (count)
		fprintf(fp, "%s", coso_plan_fmt_number(a, sizeof(a), c->actual));
	else if (strcmp(t->kind, "reduce") == 0)
		fprintf(fp, "từ %s xuống %s, giảm %s", N(q, c->start), N(day, c->end),
			coso_plan_fmt_percent(a, sizeof(a), c->actual));
	else
		fprintf(fp, "%s/%s, %s", N(q, c->end), N(day, c->whole), coso_plan_fmt_percent(a, sizeof(a), c->actual));
	if (c->in_progress)
		fprintf(fp, " đến ngày %s", D(day, c->read_on));
	if (c->required >= 0) {
		if (count)
			coso_vnfmt_int(q, sizeof(q), (long long)ceil(c->required - 1e-9));
		else
			coso_plan_fmt_percent(q, sizeof(q), c->required);
		fprintf(fp, " (yêu cầu %s%s: %s%s)", c->in_progress ? "theo tiến độ " : "", q,
			coso_target_status_vi(c->status), c->above_max && c->status == COSO_TS_MET ? ", vượt" : "");
	}
}

static int plan_paragraphs(const coso_narrative *n, coso_para_fn fn, void *ctx)
{
	const coso_plan_report *r = &n->plan;
	char a[16], b[16], c[16], e[16], v[48], w[48];
	int rc;

	if (!n->has_plan)
		return say(fn, ctx, 0, "Không có nghị quyết nào của cấp này có hiệu lực trong kỳ.");
	if ((rc = say(fn, ctx, 0, "Nghị quyết số %s ngày %s của %s về “%s”, giai đoạn %s – %s, đề ra các chỉ tiêu"
		      " sau; kết quả đến ngày %s:", r->res.number, D(a, r->res.issued_on), r->res.issuer, r->res.title,
		      D(b, r->res.period_from), D(c, r->res.period_to - 1), D(e, n->to))) < 0)
		return rc;
	for (size_t t = 0; t < r->ntargets && r->nunits > 0; t++) {
		const coso_target *tg = &r->targets[t];
		struct para p;
		bool count = strcmp(tg->kind, "count") == 0;

		if (!r->applies[t])
			continue;
		if (para_open(&p) < 0)
			return COSO_ENOMEM;
		if (count)
			coso_plan_fmt_number(v, sizeof(v), tg->value_min);
		else
			coso_plan_fmt_percent(v, sizeof(v), tg->value_min);
		if (tg->value_max >= 0)
			snprintf(w, sizeof(w), "–%s", count ? coso_plan_fmt_number(a, sizeof(a), tg->value_max)
				 : coso_plan_fmt_percent(a, sizeof(a), tg->value_max));
		else
			snprintf(w, sizeof(w), "%s", count ? "" : " trở lên");
		fprintf(p.fp, "– %s (chỉ tiêu %s%s%s): ", tg->label, v, w,
			strcmp(tg->per, "year") == 0 ? " mỗi năm" : " cả giai đoạn");
		for (size_t k = 0; k < r->nspans; k++) {
			const coso_progress *cell = coso_plan_cell(r, 0, t, k);

			if (!cell->measured)
				continue;
			fprintf(p.fp, "%snăm %d: ", k ? "; " : "", r->span_year[k]);
			target_cell(p.fp, tg, cell);
		}
		fprintf(p.fp, ". Cả giai đoạn: ");
		target_cell(p.fp, tg, coso_plan_cell(r, 0, t, r->nspans));
		fprintf(p.fp, ".");
		if ((rc = para_emit(&p, fn, ctx, 0)) < 0)
			return rc;
	}
	return 0;
}

static int results_paragraph(const coso_narrative *n, coso_para_fn fn, void *ctx)
{
	const coso_figures *s = &n->start.total, *e = &n->end.total;
	char day[16], a[32], b[32], c[32], d[32], g[32], h[32], k[32], l[32], m[32], o[32], q[32], r[32], t[32],
		u[32];

	return say(fn, ctx, 0, "Đến ngày %s, %s/%s thôn, bản có chi bộ (%s), còn %s thôn, bản chưa có chi bộ;"
		   " số thôn, bản chưa có chi bộ giảm từ %s xuống còn %s; số thôn, bản chưa có đảng viên giảm từ %s"
		   " xuống còn %s. %s/%s trường học (%s) và %s/%s trạm y tế (%s) có chi bộ.",
		   D(day, n->to), N(a, e->villages_with_org), N(b, e->villages_total),
		   P(c, e->villages_with_org, e->villages_total), N(d, e->villages_total - e->villages_with_org),
		   N(g, s->villages_total - s->villages_with_org), N(h, e->villages_total - e->villages_with_org),
		   N(k, s->villages_without_member), N(l, e->villages_without_member),
		   N(m, e->schools_with_org), N(o, e->schools_total), P(q, e->schools_with_org, e->schools_total),
		   N(r, e->health_with_org), N(t, e->health_total), P(u, e->health_with_org, e->health_total));
}

static int founded_paragraph(const coso_narrative *n, coso_para_fn fn, void *ctx)
{
	const long long *f = n->flow.flow.founded, *d = n->flow.flow.dissolved;
	char x[16], y[16], a[32], b[32], c[32], e[32], g[32];
	struct para p;

	if (para_open(&p) < 0)
		return COSO_ENOMEM;
	fprintf(p.fp, "Từ ngày %s đến ngày %s, thành lập mới %s chi bộ thôn, bản, %s chi bộ trường học và %s chi bộ"
		" trạm y tế xã, phường, thị trấn", D(x, n->from), D(y, n->to), N(a, f[COSO_SITE_VILLAGE]),
		N(b, f[COSO_SITE_SCHOOL]), N(c, f[COSO_SITE_HEALTH]));
	if (f[COSO_SITE_OTHER])
		fprintf(p.fp, ", cùng %s tổ chức đảng ở nơi khác", N(e, f[COSO_SITE_OTHER]));
	fprintf(p.fp, ".");
	if (d[0] + d[1] + d[2] + d[3])
		fprintf(p.fp, " Giải thể %s tổ chức đảng.", N(g, d[0] + d[1] + d[2] + d[3]));
	return para_emit(&p, fn, ctx, 0);
}

static int admissions_paragraph(const coso_narrative *n, coso_para_fn fn, void *ctx)
{
	const coso_flow *f = &n->flow.flow;
	const coso_figures *e = &n->end.total;
	char x[16], y[16], a[32], b[32], c[32], d[32], g[32], h[32], k[32];
	struct para p;

	if (para_open(&p) < 0)
		return COSO_ENOMEM;
	fprintf(p.fp, "Từ ngày %s đến ngày %s, kết nạp %s đảng viên mới, trong đó các tổ chức cơ sở đảng cấp xã kết"
		" nạp %s đảng viên, chiếm %s tổng số đảng viên kết nạp.", D(x, n->from), D(y, n->to),
		N(a, f->admissions), N(b, f->admissions_commune), P(c, f->admissions_commune, f->admissions));
	if (n->has_quarter)
		fprintf(p.fp, " Riêng quý %s năm %d, cấp xã kết nạp %s/%s đảng viên mới (chiếm %s).",
			n->q_number == 1 ? "I" : n->q_number == 2 ? "II" : n->q_number == 3 ? "III" : "IV", n->q_year,
			N(d, n->quarter.flow.admissions_commune), N(g, n->quarter.flow.admissions),
			P(h, n->quarter.flow.admissions_commune, n->quarter.flow.admissions));
	fprintf(p.fp, " Đến ngày %s, toàn địa bàn có %s đảng viên, trong đó %s đảng viên dự bị.", D(y, n->to),
		N(k, e->members_total), N(a, e->members_probationary));
	return para_emit(&p, fn, ctx, 0);
}

int coso_narrative_paragraphs(const coso_narrative *n, coso_para_fn fn, void *ctx)
{
	char x[16], y[16], buf[512];
	int rc;

	if ((rc = say(fn, ctx, 1, "BÁO CÁO KẾT QUẢ XÂY DỰNG HỆ THỐNG CHÍNH TRỊ Ở CƠ SỞ")) < 0 ||
	    (rc = say(fn, ctx, 0, "%s, từ ngày %s đến ngày %s", n->end.scope.name[0] ? n->end.scope.name : "Toàn địa bàn",
		      D(x, n->from), D(y, n->to))) < 0 ||
	    (rc = say(fn, ctx, 2, "I. Đặc điểm tình hình")) < 0 || (rc = profile_paragraph(n, fn, ctx)) < 0 ||
	    (rc = say(fn, ctx, 2, "II. Tình hình đầu kỳ")) < 0 || (rc = start_paragraph(n, fn, ctx)) < 0 ||
	    (rc = say(fn, ctx, 2, "III. Kết quả thực hiện nghị quyết")) < 0 || (rc = plan_paragraphs(n, fn, ctx)) < 0 ||
	    (rc = results_paragraph(n, fn, ctx)) < 0 ||
	    (rc = say(fn, ctx, 2, "IV. Thành lập tổ chức đảng")) < 0 || (rc = founded_paragraph(n, fn, ctx)) < 0 ||
	    (rc = say(fn, ctx, 2, "V. Phát triển đảng viên")) < 0 || (rc = admissions_paragraph(n, fn, ctx)) < 0 ||
	    (rc = say(fn, ctx, 2, "VI. Đào tạo, bồi dưỡng cán bộ, công chức cấp xã")) < 0)
		return rc;
	coso_narrative_training_text(buf, sizeof(buf), &n->training);
	return fn(ctx, 0, buf);
}

/* ---- the table of units (appendix) ----------------------------------------------------- */

/* The header and the rows of the appendix: per unit under the scope at the
 * end day, its villages, those with a cell, the share, white villages,
 * schools and health stations with a cell, members. */
enum { COL_UNIT, COL_VILLAGES, COL_WITH, COL_SHARE, COL_WHITE, COL_SCHOOLS, COL_HEALTH, COL_MEMBERS, NCOLS };
static const char *const col_names[NCOLS] = {
	"Đơn vị", "Thôn, bản", "Có chi bộ", "Tỷ lệ", "Chưa có đảng viên", "Trường có chi bộ", "Trạm y tế có chi bộ",
	"Đảng viên",
};

static void row_cells(const coso_figures *f, char cells[NCOLS][64])
{
	char a[32], b[32];

	N(cells[COL_VILLAGES], f->villages_total);
	N(cells[COL_WITH], f->villages_with_org);
	P(cells[COL_SHARE], f->villages_with_org, f->villages_total);
	N(cells[COL_WHITE], f->villages_without_member);
	snprintf(cells[COL_SCHOOLS], 64, "%s/%s", N(a, f->schools_with_org), N(b, f->schools_total));
	snprintf(cells[COL_HEALTH], 64, "%s/%s", N(a, f->health_with_org), N(b, f->health_total));
	N(cells[COL_MEMBERS], f->members_total);
}

/* ---- text ---------------------------------------------------------------------------- */

static int text_para(void *ctx, int level, const char *s)
{
	FILE *out = ctx;

	if (level == 1)
		fprintf(out, "%s\n", s);
	else if (level == 2)
		fprintf(out, "\n%s\n", s);
	else
		fprintf(out, "%s\n", s);
	return 0;
}

static int write_text(const coso_narrative *n, FILE *out)
{
	char cells[NCOLS][64];
	int rc = coso_narrative_paragraphs(n, text_para, out);

	if (rc < 0)
		return rc;
	fprintf(out, "\nPhụ lục: số liệu theo đơn vị ngày %s\n", D(cells[0], n->to));
	for (int c = 0; c < NCOLS; c++)
		fprintf(out, "%s%s", c ? " | " : "", col_names[c]);
	fputc('\n', out);
	for (size_t i = 0; i <= n->end.nchildren; i++) {
		bool total = i == n->end.nchildren;

		row_cells(total ? &n->end.total : &n->end.child_figures[i], cells);
		fprintf(out, "%s", total ? "Tổng cộng" : n->end.children[i].name);
		for (int c = 1; c < NCOLS; c++)
			fprintf(out, " | %s", cells[c]);
		fputc('\n', out);
	}
	return ferror(out) ? coso_error_set(COSO_EIO, "cannot write the report") : 0;
}

/* ---- JSON ---------------------------------------------------------------------------- */

static int json_para(void *ctx, int level, const char *s)
{
	return json_array_append_new(ctx, json_pack("{s:i, s:s}", "level", level, "text", s)) < 0 ? COSO_ENOMEM : 0;
}

json_t *coso_narrative_json(const coso_narrative *n)
{
	char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ];
	json_t *paras = json_array(), *o;

	if (!paras || coso_narrative_paragraphs(n, json_para, paras) < 0) {
		json_decref(paras);
		return NULL;
	}
	o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "from", coso_date_format(a, n->from),
		      "to", coso_date_format(b, n->to), "start", coso_report_asof_json(&n->start),
		      "end", coso_report_asof_json(&n->end), "flow", coso_report_flow_json(&n->flow),
		      "paragraphs", paras);
	if (!o)
		return NULL;
	json_object_set_new(o, "quarter", n->has_quarter ? coso_report_flow_json(&n->quarter) : json_null());
	json_object_set_new(o, "targets", n->has_plan ? coso_plan_report_json(&n->plan, 0) : json_null());
	json_object_set_new(o, "training", n->training.present
		? json_pack("{s:I, s:I, s:I}", "professional", (json_int_t)n->training.professional,
			    "political_theory", (json_int_t)n->training.political_theory,
			    "short_courses", (json_int_t)n->training.short_courses)
		: json_null());
	return o;
}

/* ---- Flat ODT ------------------------------------------------------------------------ */

static void xml_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
	}
}

static int fodt_para(void *ctx, int level, const char *s)
{
	FILE *out = ctx;

	if (level == 1)
		fputs("<text:h text:style-name=\"Title\" text:outline-level=\"1\">", out);
	else if (level == 2)
		fputs("<text:h text:style-name=\"Heading\" text:outline-level=\"2\">", out);
	else
		fputs("<text:p text:style-name=\"Body\">", out);
	xml_text(out, s);
	fputs(level ? "</text:h>\n" : "</text:p>\n", out);
	return 0;
}

static void fodt_cell(FILE *out, const char *s)
{
	fputs("<table:table-cell office:value-type=\"string\"><text:p>", out);
	xml_text(out, s);
	fputs("</text:p></table:table-cell>", out);
}

static int write_fodt(const coso_narrative *n, FILE *out)
{
	char cells[NCOLS][64], day[16], title[96];
	int rc;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<office:document xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
	      " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""
	      " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""
	      " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""
	      " xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\""
	      " office:version=\"1.2\" office:mimetype=\"application/vnd.oasis.opendocument.text\">\n"
	      "<office:styles>\n"
	      "<style:style style:name=\"Body\" style:family=\"paragraph\"><style:paragraph-properties"
	      " fo:text-align=\"justify\" fo:margin-bottom=\"0.2cm\"/><style:text-properties"
	      " style:font-name=\"Times New Roman\" fo:font-size=\"13pt\"/></style:style>\n"
	      "<style:style style:name=\"Title\" style:family=\"paragraph\"><style:paragraph-properties"
	      " fo:text-align=\"center\"/><style:text-properties fo:font-size=\"14pt\" fo:font-weight=\"bold\"/>"
	      "</style:style>\n"
	      "<style:style style:name=\"Heading\" style:family=\"paragraph\"><style:paragraph-properties"
	      " fo:margin-top=\"0.3cm\"/><style:text-properties fo:font-size=\"13pt\" fo:font-weight=\"bold\"/>"
	      "</style:style>\n"
	      "</office:styles>\n<office:body>\n<office:text>\n", out);
	if ((rc = coso_narrative_paragraphs(n, fodt_para, out)) < 0)
		return rc;
	snprintf(title, sizeof(title), "Phụ lục: số liệu theo đơn vị ngày %s", D(day, n->to));
	fodt_para(out, 2, title);
	fprintf(out, "<table:table table:name=\"DonVi\"><table:table-column table:number-columns-repeated=\"%d\"/>\n",
		NCOLS);
	fputs("<table:table-row>", out);
	for (int c = 0; c < NCOLS; c++)
		fodt_cell(out, col_names[c]);
	fputs("</table:table-row>\n", out);
	for (size_t i = 0; i <= n->end.nchildren; i++) {
		bool total = i == n->end.nchildren;

		row_cells(total ? &n->end.total : &n->end.child_figures[i], cells);
		fputs("<table:table-row>", out);
		fodt_cell(out, total ? "Tổng cộng" : n->end.children[i].name);
		for (int c = 1; c < NCOLS; c++)
			fodt_cell(out, cells[c]);
		fputs("</table:table-row>\n", out);
	}
	fputs("</table:table>\n</office:text>\n</office:body>\n</office:document>\n", out);
	return ferror(out) ? coso_error_set(COSO_EIO, "cannot write the document") : 0;
}

/* ---- Excel ----------------------------------------------------------------------------- */

int coso_narrative_write_xlsx(const coso_narrative *n, const char *path);

int coso_narrative_write(const coso_narrative *n, coso_narrative_format fmt, FILE *out, const char *path)
{
	switch (fmt) {
	case COSO_NARRATIVE_JSON: {
		json_t *j = coso_narrative_json(n);
		int rc;

		if (!j)
			return coso_error_set(COSO_ENOMEM, "out of memory");
		rc = json_dumpf(j, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		json_decref(j);
		fputc('\n', out);
		return rc < 0 || ferror(out) ? coso_error_set(COSO_EIO, "cannot write the report") : 0;
	}
	case COSO_NARRATIVE_FODT:
		return write_fodt(n, out);
	case COSO_NARRATIVE_XLSX:
		return coso_narrative_write_xlsx(n, path);
	default:
		return write_text(n, out);
	}
}
