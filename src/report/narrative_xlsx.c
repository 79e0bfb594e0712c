/*
 * narrative_xlsx.c: the narrative's tables as an Excel workbook
 * (libxlsxwriter): "Tong hop" the figures at the start and at the end,
 * "Don vi" the units under the scope at the end, "Chi tieu" each target of
 * the resolution year by year. Numbers are numbers (an office sums them);
 * the text is the narrative's.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/plans.h"
#include "report/narrative.h"
#include "util/error.h"

int coso_narrative_write_xlsx(const coso_narrative *n, const char *path);

static void row_figs(lxw_worksheet *ws, lxw_row_t r, const char *label, double a, double b, lxw_format *num)
{
	worksheet_write_string(ws, r, 0, label, NULL);
	worksheet_write_number(ws, r, 1, a, num);
	worksheet_write_number(ws, r, 2, b, num);
}

static void summary_sheet(lxw_workbook *wb, const coso_narrative *n, lxw_format *bold, lxw_format *num)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Tong hop");
	const coso_figures *s = &n->start.total, *e = &n->end.total;
	char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ];
	lxw_row_t r = 0;

	worksheet_set_column(ws, 0, 0, 48, NULL);
	worksheet_set_column(ws, 1, 2, 14, NULL);
	worksheet_write_string(ws, r, 0, n->end.scope.name, bold);
	worksheet_write_string(ws, r, 1, coso_date_format(a, n->from), bold);
	worksheet_write_string(ws, r++, 2, coso_date_format(b, n->to), bold);
	row_figs(ws, r++, "Thôn, bản, tổ dân phố", (double)s->villages_total, (double)e->villages_total, num);
	row_figs(ws, r++, "Thôn, bản có chi bộ", (double)s->villages_with_org, (double)e->villages_with_org, num);
	row_figs(ws, r++, "Thôn, bản chưa có chi bộ", (double)(s->villages_total - s->villages_with_org),
		 (double)(e->villages_total - e->villages_with_org), num);
	row_figs(ws, r++, "Thôn, bản chưa có đảng viên", (double)s->villages_without_member,
		 (double)e->villages_without_member, num);
	row_figs(ws, r++, "Trường học", (double)s->schools_total, (double)e->schools_total, num);
	row_figs(ws, r++, "Trường học có chi bộ", (double)s->schools_with_org, (double)e->schools_with_org, num);
	row_figs(ws, r++, "Trạm y tế", (double)s->health_total, (double)e->health_total, num);
	row_figs(ws, r++, "Trạm y tế có chi bộ", (double)s->health_with_org, (double)e->health_with_org, num);
	row_figs(ws, r++, "Đảng viên", (double)s->members_total, (double)e->members_total, num);
	r++;
	worksheet_write_string(ws, r++, 0, "Trong kỳ", bold);
	worksheet_write_string(ws, r, 0, "Đảng viên kết nạp", NULL);
	worksheet_write_number(ws, r++, 1, (double)n->flow.flow.admissions, num);
	worksheet_write_string(ws, r, 0, "  trong đó cấp xã kết nạp", NULL);
	worksheet_write_number(ws, r++, 1, (double)n->flow.flow.admissions_commune, num);
	worksheet_write_string(ws, r, 0, "Chi bộ thôn, bản thành lập mới", NULL);
	worksheet_write_number(ws, r++, 1, (double)n->flow.flow.founded[COSO_SITE_VILLAGE], num);
	worksheet_write_string(ws, r, 0, "Chi bộ trường học thành lập mới", NULL);
	worksheet_write_number(ws, r++, 1, (double)n->flow.flow.founded[COSO_SITE_SCHOOL], num);
	worksheet_write_string(ws, r, 0, "Chi bộ trạm y tế thành lập mới", NULL);
	worksheet_write_number(ws, r++, 1, (double)n->flow.flow.founded[COSO_SITE_HEALTH], num);
	if (n->has_quarter) {
		worksheet_write_string(ws, r, 0, "Quý cuối trong kỳ: kết nạp", NULL);
		worksheet_write_number(ws, r++, 1, (double)n->quarter.flow.admissions, num);
		worksheet_write_string(ws, r, 0, "Quý cuối trong kỳ: cấp xã kết nạp", NULL);
		worksheet_write_number(ws, r++, 1, (double)n->quarter.flow.admissions_commune, num);
	}
}

static void units_sheet(lxw_workbook *wb, const coso_narrative *n, lxw_format *bold, lxw_format *num,
			lxw_format *pct)
{
	static const char *const head[] = {
		"Mã", "Đơn vị", "Thôn, bản", "Có chi bộ", "Tỷ lệ có chi bộ", "Chưa có đảng viên", "Trường học",
		"Trường có chi bộ", "Trạm y tế", "Trạm y tế có chi bộ", "Đảng viên", "Dự bị",
	};
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Don vi");

	worksheet_set_column(ws, 1, 1, 32, NULL);
	for (lxw_col_t c = 0; c < sizeof(head) / sizeof(head[0]); c++)
		worksheet_write_string(ws, 0, c, head[c], bold);
	for (size_t i = 0; i <= n->end.nchildren; i++) {
		bool total = i == n->end.nchildren;
		const coso_figures *f = total ? &n->end.total : &n->end.child_figures[i];
		lxw_row_t r = (lxw_row_t)(i + 1);

		worksheet_write_string(ws, r, 0, total ? "" : n->end.children[i].code, NULL);
		worksheet_write_string(ws, r, 1, total ? "Tổng cộng" : n->end.children[i].name, total ? bold : NULL);
		worksheet_write_number(ws, r, 2, (double)f->villages_total, num);
		worksheet_write_number(ws, r, 3, (double)f->villages_with_org, num);
		if (f->villages_total)
			worksheet_write_number(ws, r, 4, (double)f->villages_with_org / (double)f->villages_total, pct);
		worksheet_write_number(ws, r, 5, (double)f->villages_without_member, num);
		worksheet_write_number(ws, r, 6, (double)f->schools_total, num);
		worksheet_write_number(ws, r, 7, (double)f->schools_with_org, num);
		worksheet_write_number(ws, r, 8, (double)f->health_total, num);
		worksheet_write_number(ws, r, 9, (double)f->health_with_org, num);
		worksheet_write_number(ws, r, 10, (double)f->members_total, num);
		worksheet_write_number(ws, r, 11, (double)f->members_probationary, num);
	}
}

static void targets_sheet(lxw_workbook *wb, const coso_narrative *n, lxw_format *bold, lxw_format *num)
{
	static const char *const head[] = { "Chỉ tiêu", "Năm", "Kết quả", "Yêu cầu", "Đánh giá" };
	const coso_plan_report *r = &n->plan;
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Chi tieu");
	lxw_row_t row = 1;

	worksheet_set_column(ws, 0, 0, 48, NULL);
	for (lxw_col_t c = 0; c < 5; c++)
		worksheet_write_string(ws, 0, c, head[c], bold);
	if (!n->has_plan || r->nunits == 0)
		return;
	for (size_t t = 0; t < r->ntargets; t++) {
		if (!r->applies[t])
			continue;
		for (size_t k = 0; k <= r->nspans; k++) {
			const coso_progress *c = coso_plan_cell(r, 0, t, k);

			worksheet_write_string(ws, row, 0, r->targets[t].label, NULL);
			if (k < r->nspans)
				worksheet_write_number(ws, row, 1, r->span_year[k], NULL);
			else
				worksheet_write_string(ws, row, 1, "Cả giai đoạn", NULL);
			if (c->measured && c->has_actual)
				worksheet_write_number(ws, row, 2, round(c->actual * 10) / 10, num);
			if (c->measured && c->required >= 0)
				worksheet_write_number(ws, row, 3, strcmp(r->targets[t].kind, "count") == 0
						       ? ceil(c->required - 1e-9) : round(c->required * 10) / 10, num);
			worksheet_write_string(ws, row, 4, coso_target_status_vi(c->status), NULL);
			row++;
		}
	}
}

/* Every unit of the resolution's report (the scope, its districts and
 * communes): each target over the period, result, requirement and status. */
static void units_targets_sheet(lxw_workbook *wb, const coso_narrative *n, lxw_format *bold, lxw_format *num)
{
	const coso_plan_report *r = &n->plan;
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Chi tieu theo don vi");
	lxw_col_t col = 3;

	worksheet_set_column(ws, 1, 1, 32, NULL);
	worksheet_write_string(ws, 0, 0, "Mã", bold);
	worksheet_write_string(ws, 0, 1, "Đơn vị", bold);
	worksheet_write_string(ws, 0, 2, "Cấp", bold);
	if (!n->has_plan)
		return;
	for (size_t t = 0; t < r->ntargets; t++, col += 3) {
		worksheet_write_string(ws, 0, col, r->targets[t].label, bold);
		worksheet_write_string(ws, 0, col + 1, "Yêu cầu", bold);
		worksheet_write_string(ws, 0, col + 2, "Đánh giá", bold);
	}
	for (size_t u = 0; u < r->nunits; u++) {
		lxw_row_t row = (lxw_row_t)(u + 1);

		worksheet_write_string(ws, row, 0, r->units[u].code, NULL);
		worksheet_write_string(ws, row, 1, r->units[u].name, NULL);
		worksheet_write_string(ws, row, 2, r->units[u].level == COSO_LEVEL_PROVINCE ? "tỉnh"
				       : r->units[u].level == COSO_LEVEL_DISTRICT ? "huyện" : "xã", NULL);
		col = 3;
		for (size_t t = 0; t < r->ntargets; t++, col += 3) {
			const coso_progress *c = coso_plan_cell(r, u, t, r->nspans);

			if (c->measured && c->has_actual)
				worksheet_write_number(ws, row, col, round(c->actual * 10) / 10, num);
			if (c->measured && c->required >= 0)
				worksheet_write_number(ws, row, col + 1, strcmp(r->targets[t].kind, "count") == 0
						       ? ceil(c->required - 1e-9) : round(c->required * 10) / 10, num);
			worksheet_write_string(ws, row, col + 2, coso_target_status_vi(c->status), NULL);
		}
	}
}

int coso_narrative_write_xlsx(const coso_narrative *n, const char *path)
{
	lxw_workbook *wb;
	lxw_format *bold, *num, *pct;
	lxw_error err;

	if (!path)
		return coso_error_set(COSO_EINVALID, "an Excel workbook needs a file name");
	/* libxlsxwriter reports its own failures on stderr: find an unwritable
	 * path here first, with our message */
	{
		FILE *probe = fopen(path, "wb");

		if (!probe)
			return coso_error_set(COSO_EIO, "%s: cannot write: %s", path, strerror(errno));
		fclose(probe);
	}
	wb = workbook_new(path);
	if (!wb)
		return coso_error_set(COSO_EIO, "%s: cannot create the workbook", path);
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	num = workbook_add_format(wb);
	format_set_num_format(num, "#,##0.##");
	pct = workbook_add_format(wb);
	format_set_num_format(pct, "0.0%");
	summary_sheet(wb, n, bold, num);
	units_sheet(wb, n, bold, num, pct);
	targets_sheet(wb, n, bold, num);
	units_targets_sheet(wb, n, bold, num);
	err = workbook_close(wb);
	if (err != LXW_NO_ERROR)
		return coso_error_set(COSO_EIO, "%s: %s", path, lxw_strerror(err));
	return 0;
}
