/*
 * cadres_report.c: the cadre figures in JSON, text and CSV
 * (report/cadres_report.h).
 */
#include "report/cadres_report.h"

#include <math.h>
#include <string.h>

#include "core/register.h"
#include "util/vnfmt.h"

static json_t *day_json(coso_day d)
{
	char buf[COSO_DATE_BUFSZ];

	if (d <= COSO_DAY_MIN || d >= COSO_DAY_MAX)
		return json_null();
	return json_string(coso_date_format(buf, d));
}

json_t *coso_cadres_share_json(long long meeting, long long holdings)
{
	if (holdings <= 0)
		return json_null();
	return json_real(round((double)meeting / (double)holdings * 10000.0) / 10000.0);
}

/* {"elementary": n, ...} for the levels of kind. */
static json_t *by_level_json(coso_training_kind kind, const long long *by_rank)
{
	json_t *o = json_object();

	for (const coso_training_level *l = coso_levels_of(kind); o && l->code; l++)
		json_object_set_new(o, l->code, json_integer(by_rank[l->rank]));
	return o;
}

static json_t *count_json(const coso_training_count *c)
{
	return json_pack("{s:I, s:I}", "people", (json_int_t)c->people, "attendances", (json_int_t)c->attendances);
}

static json_t *kind_json(const coso_training_summary *s, coso_training_kind k)
{
	json_t *o = count_json(&s->kinds[k]);

	if (o && k == COSO_TRAINING_PROFESSIONAL)
		json_object_set_new(o, "by_level", by_level_json(k, s->professional_by_rank));
	else if (o && k == COSO_TRAINING_POLITICAL)
		json_object_set_new(o, "by_level", by_level_json(k, s->political_by_rank));
	return o;
}

/* {"cadre": {holdings, meeting, share}, "civil_servant": {...}} */
static json_t *by_category_json(const long long *holdings, const long long *meeting)
{
	static const char *const names[2] = { "cadre", "civil_servant" };
	json_t *o = json_object();

	for (int k = 0; o && k < 2; k++)
		json_object_set_new(o, names[k], json_pack("{s:I, s:I, s:o}", "holdings", (json_int_t)holdings[k],
			"meeting", (json_int_t)meeting[k], "share", coso_cadres_share_json(meeting[k], holdings[k])));
	return o ? o : json_object();
}

json_t *coso_cadres_summary_json(const coso_training_summary *s)
{
	json_t *communes = json_array(), *o;

	for (size_t i = 0; communes && i < s->ncommunes; i++) {
		const coso_commune_standard *c = &s->communes[i];

		json_t *training = json_object();

		for (int k = 0; training && k < COSO_TRAINING_MAX; k++)
			json_object_set_new(training, coso_training_kinds[k], count_json(&c->training[k]));
		json_array_append_new(communes, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:o}", "code", c->code,
			"name", c->name, "holdings", (json_int_t)c->holdings, "meeting", (json_int_t)c->meeting,
			"professional_ok", (json_int_t)c->professional_ok, "political_ok", (json_int_t)c->political_ok,
			"share", coso_cadres_share_json(c->meeting, c->holdings),
			"by_category", by_category_json(c->holdings_by, c->meeting_by),
			"training", training ? training : json_object()));
	}
	o = json_pack("{s:o, s:o, s:{s:s, s:s}, s:{s:o, s:o, s:o}, s:{s:I, s:I}, s:{s:o, s:I, s:I, s:o, s:o, s:o}}",
		"from", day_json(s->from), "to", day_json(s->to),
		"scope", "code", s->scope.code ? s->scope.code : "", "name", s->scope.name ? s->scope.name : "",
		"training", "professional", kind_json(s, COSO_TRAINING_PROFESSIONAL),
		"political_theory", kind_json(s, COSO_TRAINING_POLITICAL),
		"short_course", kind_json(s, COSO_TRAINING_SHORT_COURSE),
		"rotations", "started", (json_int_t)s->rotations_started, "active", (json_int_t)s->rotations_active,
		"standards", "as_of", day_json(s->to), "holdings", (json_int_t)s->holdings,
		"meeting", (json_int_t)s->meeting, "share", coso_cadres_share_json(s->meeting, s->holdings),
		"by_category", by_category_json(s->holdings_by, s->meeting_by),
		"communes", communes ? communes : json_array());
	return o;
}

/* ---- text -------------------------------------------------------------------- */

static const char *date_vn(char *buf, size_t n, coso_day d)
{
	int y, m, dd;

	coso_date_to_ymd(d, &y, &m, &dd);
	return coso_vnfmt_date(buf, n, y, m, dd);
}

static const char *num(char *buf, size_t n, long long v)
{
	return coso_vnfmt_int(buf, n, v);
}

int coso_cadres_summary_text(FILE *out, const coso_training_summary *s)
{
	static const char *const titles[COSO_TRAINING_MAX] = {
		"Cử đi đào tạo chuyên môn, nghiệp vụ",
		"Đào tạo lý luận chính trị",
		"Bồi dưỡng chuyên môn, nghiệp vụ, kỹ năng",
	};
	char d0[16], d1[16], a[32], b[32], c[32];

	date_vn(d0, sizeof(d0), s->from);
	date_vn(d1, sizeof(d1), s->to);
	fprintf(out, "CÁN BỘ, CÔNG CHỨC CẤP XÃ\n%s, từ ngày %s đến ngày %s\n\n",
		s->scope.name && *s->scope.name ? s->scope.name : s->scope.code, d0, d1);
	for (int k = 0; k < COSO_TRAINING_MAX; k++) {
		const long long *by = k == COSO_TRAINING_PROFESSIONAL ? s->professional_by_rank
				      : k == COSO_TRAINING_POLITICAL ? s->political_by_rank : NULL;

		fprintf(out, "%s: %s người (%s lượt)\n", titles[k], num(a, sizeof(a), s->kinds[k].people),
			num(b, sizeof(b), s->kinds[k].attendances));
		for (const coso_training_level *l = coso_levels_of((coso_training_kind)k); by && l->code; l++)
			if (by[l->rank])
				fprintf(out, "  %s: %s lượt\n", l->label, num(a, sizeof(a), by[l->rank]));
	}
	fprintf(out, "Luân chuyển cán bộ về xã: %s bắt đầu trong kỳ, %s đang luân chuyển ngày %s\n\n",
		num(a, sizeof(a), s->rotations_started), num(b, sizeof(b), s->rotations_active), d1);
	fprintf(out, "Chức danh đạt chuẩn ngày %s: %s/%s (%s)\n", d1, num(a, sizeof(a), s->meeting),
		num(b, sizeof(b), s->holdings), coso_vnfmt_percent(c, sizeof(c), s->meeting, s->holdings, 1));
	for (int k = 0; k < 2; k++)
		fprintf(out, "  %s: %s/%s (%s)\n", k == COSO_POST_CADRE ? "cán bộ" : "công chức",
			num(a, sizeof(a), s->meeting_by[k]), num(b, sizeof(b), s->holdings_by[k]),
			coso_vnfmt_percent(c, sizeof(c), s->meeting_by[k], s->holdings_by[k], 1));
	for (size_t i = 0; i < s->ncommunes; i++) {
		const coso_commune_standard *m = &s->communes[i];

		char p[32], l[32], sc[32];

		if (i == 0)
			fputs("\nTheo xã, phường, thị trấn (chức danh đạt chuẩn; cử đi đào tạo trong kỳ):\n", out);
		fprintf(out, "  %-8s %s: đạt chuẩn %s/%s (%s); chuyên môn %s người, lý luận chính trị %s người, bồi dưỡng %s lượt\n",
			m->code, m->name, num(a, sizeof(a), m->meeting), num(b, sizeof(b), m->holdings),
			coso_vnfmt_percent(c, sizeof(c), m->meeting, m->holdings, 1),
			num(p, sizeof(p), m->training[COSO_TRAINING_PROFESSIONAL].people),
			num(l, sizeof(l), m->training[COSO_TRAINING_POLITICAL].people),
			num(sc, sizeof(sc), m->training[COSO_TRAINING_SHORT_COURSE].attendances));
	}
	return ferror(out) ? -1 : 0;
}

/* ---- CSV ----------------------------------------------------------------------- */

static void csv_share(FILE *out, long long meeting, long long holdings)
{
	char buf[32] = "";

	if (holdings > 0)
		snprintf(buf, sizeof(buf), "%.4f", round((double)meeting / (double)holdings * 10000.0) / 10000.0);
	coso_csv_put(out, buf, true);
}

/* One row: the period, the unit, then `n` counts (negative: empty). */
static void csv_row(FILE *out, const char *d0, const char *d1, const char *code, const char *name,
		    const long long *v, int n)
{
	coso_csv_put(out, d0, false);
	coso_csv_put(out, d1, false);
	coso_csv_put(out, code, false);
	coso_csv_put(out, name, false);
	for (int i = 0; i < n; i++) {
		if (v[i] < 0)
			coso_csv_put(out, "", false);
		else
			coso_csv_put_int(out, v[i], false);
	}
}

int coso_cadres_summary_csv(FILE *out, const coso_training_summary *s)
{
	char d0[COSO_DATE_BUFSZ], d1[COSO_DATE_BUFSZ];
	long long v[12];

	fputs("from,to,code,name,professional_people,professional_attendances,political_theory_people,"
	      "political_theory_attendances,short_course_people,short_course_attendances,rotations_started,"
	      "rotations_active,holdings,meeting,share\n", out);
	coso_date_format(d0, s->from);
	coso_date_format(d1, s->to);
	for (int k = 0; k < COSO_TRAINING_MAX; k++) {
		v[2 * k] = s->kinds[k].people;
		v[2 * k + 1] = s->kinds[k].attendances;
	}
	v[6] = s->rotations_started;
	v[7] = s->rotations_active;
	v[8] = s->holdings;
	v[9] = s->meeting;
	csv_row(out, d0, d1, s->scope.code, s->scope.name, v, 10);
	csv_share(out, s->meeting, s->holdings);
	for (size_t i = 0; i < s->ncommunes; i++) {
		const coso_commune_standard *m = &s->communes[i];

		for (int k = 0; k < COSO_TRAINING_MAX; k++) {
			v[2 * k] = m->training[k].people;
			v[2 * k + 1] = m->training[k].attendances;
		}
		v[6] = v[7] = -1; /* rotations: the scope's only */
		v[8] = m->holdings;
		v[9] = m->meeting;
		csv_row(out, d0, d1, m->code, m->name, v, 10);
		csv_share(out, m->meeting, m->holdings);
	}
	return ferror(out) ? -1 : 0;
}

/* ---- holders ------------------------------------------------------------------------ */

static json_t *level_json(coso_training_kind kind, int rank)
{
	const coso_training_level *l = coso_level_of_rank(kind, rank);

	return l ? json_string(l->code) : json_null();
}

json_t *coso_cadres_holder_json(const coso_cadre_holder *h)
{
	const coso_post *p = coso_post_find(h->post);

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b}",
		"post", h->post, "post_label", p ? p->label : h->post,
		"category", p && p->category == COSO_POST_CIVIL_SERVANT ? "civil_servant" : "cadre",
		"person_id", h->person_id ? h->person_id : "", "full_name", h->full_name ? h->full_name : "",
		"member_id", h->member_id ? json_string(h->member_id) : json_null(),
		"valid_from", day_json(h->valid_from), "valid_to", day_json(h->valid_to),
		"professional", level_json(COSO_TRAINING_PROFESSIONAL, h->professional_rank),
		"political_theory", level_json(COSO_TRAINING_POLITICAL, h->political_rank),
		"min_professional", level_json(COSO_TRAINING_PROFESSIONAL, h->min_professional),
		"min_political_theory", level_json(COSO_TRAINING_POLITICAL, h->min_political),
		"meets_standard", h->professional_rank >= h->min_professional && h->political_rank >= h->min_political,
		"rotated", h->rotated);
}

/* ---- training records ------------------------------------------------------------- */

static json_t *opt_string(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *coso_cadres_sent_json(const coso_cadre_sent *r)
{
	return json_pack("{s:s, s:s, s:o, s:{s:s, s:s}, s:s, s:o, s:o, s:o, s:o, s:o}",
		"person_id", r->person_id ? r->person_id : "", "full_name", r->full_name ? r->full_name : "",
		"member_id", opt_string(r->member_id),
		"unit", "code", r->unit_code ? r->unit_code : "", "name", r->unit_name ? r->unit_name : "",
		"kind", r->kind ? r->kind : "", "level", opt_string(r->level), "course", opt_string(r->course),
		"started_on", day_json(r->started_on), "ended_on", day_json(r->ended_on), "sent_by", opt_string(r->sent_by));
}

void coso_cadres_sent_csv_header(FILE *out)
{
	fputs("started_on,ended_on,unit_code,unit_name,person_id,full_name,member_id,kind,level,course,sent_by\n", out);
}

void coso_cadres_sent_csv(FILE *out, const coso_cadre_sent *r)
{
	coso_csv_put_date(out, r->started_on, false);
	coso_csv_put_date(out, r->ended_on, false);
	coso_csv_put(out, r->unit_code, false);
	coso_csv_put(out, r->unit_name, false);
	coso_csv_put(out, r->person_id, false);
	coso_csv_put(out, r->full_name, false);
	coso_csv_put(out, r->member_id, false);
	coso_csv_put(out, r->kind, false);
	coso_csv_put(out, r->level, false);
	coso_csv_put(out, r->course, false);
	coso_csv_put(out, r->sent_by, true);
}
