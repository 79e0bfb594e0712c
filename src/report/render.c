/*
 * render.c: the reports for people (text, in Vietnamese, with Vietnamese
 * number format: 1.813; 88,3%) and for spreadsheets (CSV).
 */
#include <string.h>

#include "report/report.h"
#include "util/vnfmt.h"

/* Display width of UTF-8 text: one column per code point, none for combining
 * marks (text is NFC, so Vietnamese letters are single code points). */
static size_t text_width(const char *s)
{
	size_t w = 0;
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned cp = 0;
		int len = 1;

		if (*p < 0x80) {
			cp = *p;
		} else if ((*p & 0xe0) == 0xc0 && p[1]) {
			cp = ((unsigned)(*p & 0x1f) << 6) | (p[1] & 0x3f);
			len = 2;
		} else if ((*p & 0xf0) == 0xe0 && p[1] && p[2]) {
			cp = ((unsigned)(*p & 0x0f) << 12) | ((unsigned)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
			len = 3;
		} else if (p[1] && p[2] && p[3]) {
			len = 4;
		}
		if (!((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1dc0 && cp <= 0x1dff)))
			w++;
		p += len;
	}
	return w;
}

/* Prints s left-aligned (or right-aligned) in a column of `width`. */
static void cell(FILE *out, const char *s, size_t width, bool right)
{
	size_t w = text_width(s);
	size_t pad = w < width ? width - w : 0;

	if (right)
		fprintf(out, "%*s%s", (int)pad, "", s);
	else
		fprintf(out, "%s%*s", s, (int)pad, "");
}

/* services: the same columns for the services' text */
void coso_report_cell(FILE *out, const char *s, size_t width, bool right)
{
	cell(out, s, width, right);
}

static const char *num(char *buf, size_t n, long long v)
{
	return coso_vnfmt_int(buf, n, v);
}

static const char *pct(char *buf, size_t n, long long part, long long whole)
{
	return coso_vnfmt_percent(buf, n, part, whole, 1);
}

static void date_vn(char *buf, size_t n, coso_day d)
{
	int y, m, dd;

	coso_date_to_ymd(d, &y, &m, &dd);
	coso_vnfmt_date(buf, n, y, m, dd);
}

/* One line of the summary: label, value, and the share of `whole` (if > 0). */
struct line {
	const char *label;
	long long (*get)(const coso_figures *);
	long long (*whole)(const coso_figures *);
};

static long long f_villages(const coso_figures *f) { return f->villages_total; }
static long long f_vorg(const coso_figures *f) { return f->villages_with_org; }
static long long f_vnoorg(const coso_figures *f) { return f->villages_total - f->villages_with_org; }
static long long f_white(const coso_figures *f) { return f->villages_without_member; }
static long long f_schools(const coso_figures *f) { return f->schools_total; }
static long long f_sorg(const coso_figures *f) { return f->schools_with_org; }
static long long f_health(const coso_figures *f) { return f->health_total; }
static long long f_horg(const coso_figures *f) { return f->health_with_org; }
static long long f_members(const coso_figures *f) { return f->members_total; }
static long long f_official(const coso_figures *f) { return f->members_total - f->members_probationary; }
static long long f_prob(const coso_figures *f) { return f->members_probationary; }

static const struct line summary[] = {
	{ "Thôn, bản, tổ dân phố", f_villages, NULL },
	{ "  có tổ chức đảng", f_vorg, f_villages },
	{ "  chưa có tổ chức đảng", f_vnoorg, f_villages },
	{ "  chưa có đảng viên (\"trắng\" đảng viên)", f_white, f_villages },
	{ "Trường học", f_schools, NULL },
	{ "  có tổ chức đảng", f_sorg, f_schools },
	{ "Trạm y tế", f_health, NULL },
	{ "  có tổ chức đảng", f_horg, f_health },
	{ "Đảng viên", f_members, NULL },
	{ "  chính thức", f_official, f_members },
	{ "  dự bị", f_prob, f_members },
};

#define LABEL_W 42
#define NUM_W 10

static void scope_title(FILE *out, const coso_unit_ref *scope)
{
	if (scope->code && scope->code[0])
		fprintf(out, "%s (mã %s)", scope->name && scope->name[0] ? scope->name : "(không tồn tại vào ngày này)",
			scope->code);
	else
		fprintf(out, "%s", scope->name);
}

static void children_table(FILE *out, const coso_report_asof *r)
{
	static const char *const heads[] = {
		"Thôn bản", "Có TCĐ", "Tỷ lệ", "Trắng ĐV", "Trường", "Có TCĐ", "Trạm YT", "Có TCĐ", "Đảng viên",
	};
	size_t name_w = 6;
	char b[9][32];

	for (size_t i = 0; i < r->nchildren; i++) {
		size_t w = text_width(r->children[i].name);
		if (w > name_w)
			name_w = w;
	}
	if (name_w > 40)
		name_w = 40;
	fprintf(out, "\nTheo đơn vị trực thuộc (%zu):\n", r->nchildren);
	cell(out, "Đơn vị", name_w, false);
	for (size_t k = 0; k < 9; k++) {
		fputs("  ", out);
		cell(out, heads[k], 9, true);
	}
	fputc('\n', out);
	for (size_t i = 0; i <= r->nchildren; i++) {
		const coso_figures *f = i < r->nchildren ? &r->child_figures[i] : &r->total;
		const char *name = i < r->nchildren ? r->children[i].name : "Cộng";

		num(b[0], 32, f->villages_total);
		num(b[1], 32, f->villages_with_org);
		pct(b[2], 32, f->villages_with_org, f->villages_total);
		num(b[3], 32, f->villages_without_member);
		num(b[4], 32, f->schools_total);
		num(b[5], 32, f->schools_with_org);
		num(b[6], 32, f->health_total);
		num(b[7], 32, f->health_with_org);
		num(b[8], 32, f->members_total);
		cell(out, name, name_w, false);
		for (size_t k = 0; k < 9; k++) {
			fputs("  ", out);
			cell(out, b[k], 9, true);
		}
		fputc('\n', out);
	}
}

/* The article's first sentence: "10 đơn vị hành chính cấp huyện, 130 xã,
 * phường, thị trấn (116 xã, 9 phường và 5 thị trấn); 29 xã biên giới; 101 xã
 * và 1.146/1.813 thôn, bản đặc biệt khó khăn". */
static void profile_text(FILE *out, const coso_profile *p)
{
	char a[32], b[32], c[32], d[32], e[32], f[32];

	if (p->communes == 0 && p->districts == 0)
		return;
	if (p->districts)
		fprintf(out, "%s đơn vị hành chính cấp huyện; ", num(a, sizeof(a), p->districts));
	fprintf(out, "%s xã, phường, thị trấn (%s xã, %s phường, %s thị trấn",
		num(a, sizeof(a), p->communes), num(b, sizeof(b), p->communes_xa),
		num(c, sizeof(c), p->communes_phuong), num(d, sizeof(d), p->communes_thi_tran));
	if (p->communes_other)
		fprintf(out, ", %s khác", num(a, sizeof(a), p->communes_other));
	fprintf(out, "); %s xã biên giới; %s xã và %s/%s thôn, bản đặc biệt khó khăn",
		num(b, sizeof(b), p->border_communes), num(c, sizeof(c), p->difficult_communes),
		num(e, sizeof(e), p->difficult_villages), num(f, sizeof(f), p->villages));
	if (p->population)
		fprintf(out, "; dân số %s", num(a, sizeof(a), p->population));
	fputs(".\n\n", out);
}

int coso_report_asof_text(FILE *out, const coso_report_asof *r, const coso_report_asof *before)
{
	char d0[16], d1[16], a[32], b[32], c[32];

	date_vn(d1, sizeof(d1), r->as_of);
	fputs("BÁO CÁO HỆ THỐNG CHÍNH TRỊ Ở CƠ SỞ\n", out);
	/* plans: the figures of another day's map */
	if (r->tree_as_of != COSO_DAY_MIN) {
		date_vn(d0, sizeof(d0), r->tree_as_of);
		fprintf(out, "(số liệu cộng theo địa giới hành chính ngày %s)\n", d0);
	}
	scope_title(out, &r->scope);
	if (before) {
		date_vn(d0, sizeof(d0), before->as_of);
		fprintf(out, ": so sánh ngày %s với ngày %s\n\n", d0, d1);
		cell(out, "", LABEL_W, false);
		cell(out, d0, NUM_W + 8, true);
		cell(out, d1, NUM_W + 8, true);
		cell(out, "Thay đổi", NUM_W + 2, true);
		fputc('\n', out);
	} else {
		fprintf(out, ", tính đến ngày %s\n\n", d1);
		profile_text(out, &r->profile);
	}
	for (size_t i = 0; i < sizeof(summary) / sizeof(summary[0]); i++) {
		const struct line *l = &summary[i];
		long long v = l->get(&r->total);

		cell(out, l->label, LABEL_W, false);
		if (before) {
			long long v0 = l->get(&before->total);

			cell(out, num(a, sizeof(a), v0), NUM_W, true);
			cell(out, l->whole ? pct(b, sizeof(b), v0, l->whole(&before->total)) : "", 8, true);
			cell(out, num(a, sizeof(a), v), NUM_W, true);
			cell(out, l->whole ? pct(b, sizeof(b), v, l->whole(&r->total)) : "", 8, true);
			cell(out, coso_vnfmt_delta(c, sizeof(c), v - v0), NUM_W + 2, true);
		} else {
			cell(out, num(a, sizeof(a), v), NUM_W, true);
			if (l->whole)
				cell(out, pct(b, sizeof(b), v, l->whole(&r->total)), 9, true);
		}
		fputc('\n', out);
	}
	if (r->nchildren > 0)
		children_table(out, r);
	return ferror(out) ? -1 : 0;
}

int coso_report_flow_text(FILE *out, const coso_report_flow *r)
{
	static const char *const site_labels[COSO_SITE_MAX] = {
		"  chi bộ thôn, bản, tổ dân phố", "  chi bộ trường học", "  chi bộ trạm y tế", "  khác",
	};
	char d0[16], d1[16], a[32], b[32];
	long long founded = 0, dissolved = 0;

	date_vn(d0, sizeof(d0), r->from);
	date_vn(d1, sizeof(d1), r->to);
	fputs("BÁO CÁO HỆ THỐNG CHÍNH TRỊ Ở CƠ SỞ\n", out);
	scope_title(out, &r->scope);
	fprintf(out, ", từ ngày %s đến ngày %s\n\n", d0, d1);
	cell(out, "Kết nạp đảng viên", LABEL_W, false);
	cell(out, num(a, sizeof(a), r->flow.admissions), NUM_W, true);
	fputc('\n', out);
	cell(out, "  do tổ chức cơ sở đảng cấp xã kết nạp", LABEL_W, false);
	cell(out, num(a, sizeof(a), r->flow.admissions_commune), NUM_W, true);
	cell(out, pct(b, sizeof(b), r->flow.admissions_commune, r->flow.admissions), 9, true);
	fputc('\n', out);
	for (int k = 0; k < COSO_SITE_MAX; k++) {
		founded += r->flow.founded[k];
		dissolved += r->flow.dissolved[k];
	}
	cell(out, "Tổ chức đảng thành lập mới", LABEL_W, false);
	cell(out, num(a, sizeof(a), founded), NUM_W, true);
	fputc('\n', out);
	for (int k = 0; k < COSO_SITE_MAX; k++) {
		cell(out, site_labels[k], LABEL_W, false);
		cell(out, num(a, sizeof(a), r->flow.founded[k]), NUM_W, true);
		fputc('\n', out);
	}
	cell(out, "Tổ chức đảng giải thể", LABEL_W, false);
	cell(out, num(a, sizeof(a), dissolved), NUM_W, true);
	fputc('\n', out);
	for (int k = 0; k < COSO_SITE_MAX; k++) {
		cell(out, site_labels[k], LABEL_W, false);
		cell(out, num(a, sizeof(a), r->flow.dissolved[k]), NUM_W, true);
		fputc('\n', out);
	}
	return ferror(out) ? -1 : 0;
}

/* ---- CSV ------------------------------------------------------------------- */

static void csv_text(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else {
		fputs(s, out);
	}
}

static void csv_figures_row(FILE *out, const char *date, const coso_unit_ref *u, const coso_figures *f)
{
	fprintf(out, "%s,", date);
	csv_text(out, u->code ? u->code : "");
	fputc(',', out);
	csv_text(out, u->name ? u->name : "");
	fprintf(out, ",%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld\n",
		f->villages_total, f->villages_with_org, f->villages_total - f->villages_with_org,
		f->villages_without_member, f->schools_total, f->schools_with_org,
		f->health_total, f->health_with_org, f->members_total, f->members_probationary,
		f->members_total - f->members_probationary);
}

int coso_report_asof_csv(FILE *out, const coso_report_asof *r)
{
	char day[COSO_DATE_BUFSZ];

	coso_date_format(day, r->as_of);
	fputs("as_of,code,name,villages_total,villages_with_org,villages_without_org,villages_without_member,"
	      "schools_total,schools_with_org,health_stations_total,health_stations_with_org,"
	      "members_total,members_probationary,members_official\n", out);
	csv_figures_row(out, day, &r->scope, &r->total);
	for (size_t i = 0; i < r->nchildren; i++)
		csv_figures_row(out, day, &r->children[i], &r->child_figures[i]);
	return ferror(out) ? -1 : 0;
}

int coso_report_flow_csv(FILE *out, const coso_report_flow *r)
{
	char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ];
	const coso_flow *f = &r->flow;

	fputs("from,to,code,name,admissions_total,admissions_commune_level,"
	      "founded_village,founded_school,founded_health_station,founded_other,"
	      "dissolved_village,dissolved_school,dissolved_health_station,dissolved_other\n", out);
	fprintf(out, "%s,%s,", coso_date_format(a, r->from), coso_date_format(b, r->to));
	csv_text(out, r->scope.code ? r->scope.code : "");
	fputc(',', out);
	csv_text(out, r->scope.name ? r->scope.name : "");
	fprintf(out, ",%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld\n", f->admissions,
		f->admissions_commune, f->founded[0], f->founded[1], f->founded[2], f->founded[3],
		f->dissolved[0], f->dissolved[1], f->dissolved[2], f->dissolved[3]);
	return ferror(out) ? -1 : 0;
}
