/*
 * cadres.c: commune cadres and civil servants (core/cadres.h): the posts
 * and levels, the five register files (their rows checked one by one here,
 * as a whole in db/store_cadres.c), and the figures of a period.
 */
#include "core/cadres.h"

#include <stdlib.h>
#include <string.h>

#include "db/store_cadres.h"
#include "util/error.h"

/* ---- posts and levels ------------------------------------------------------- */

enum { NONE = 0, ELEMENTARY = 1, INTERMEDIATE = 2 };

/*
 * The posts of a commune. Cadres (cán bộ cấp xã) and civil servants (công
 * chức cấp xã) as Nghị định 92/2009/NĐ-CP, Điều 3 lists them (checked
 * against a secondary source, docs/CADRES.md), less the commune police
 * chief, a post the regular police took over from 2019. `single`: coso's rule that a body has one head at a time
 * (its secretary or chair, and the commander); deputies and civil-servant
 * posts may have several holders. The default standards are coso's, not
 * the law's (docs/CADRES.md, "Standards"): a province sets its own in
 * cadre_standards.csv.
 */
const coso_post coso_posts[] = {
	{ "party_secretary", "Bí thư Đảng ủy", COSO_POST_CADRE, true, INTERMEDIATE, INTERMEDIATE },
	{ "party_deputy_secretary", "Phó Bí thư Đảng ủy", COSO_POST_CADRE, false, INTERMEDIATE, INTERMEDIATE },
	{ "council_chair", "Chủ tịch HĐND", COSO_POST_CADRE, true, INTERMEDIATE, INTERMEDIATE },
	{ "council_vice_chair", "Phó Chủ tịch HĐND", COSO_POST_CADRE, true, INTERMEDIATE, INTERMEDIATE },
	{ "committee_chair", "Chủ tịch UBND", COSO_POST_CADRE, true, INTERMEDIATE, INTERMEDIATE },
	{ "committee_vice_chair", "Phó Chủ tịch UBND", COSO_POST_CADRE, false, INTERMEDIATE, INTERMEDIATE },
	{ "front_chair", "Chủ tịch Ủy ban MTTQ Việt Nam", COSO_POST_CADRE, true, INTERMEDIATE, INTERMEDIATE },
	{ "youth_secretary", "Bí thư Đoàn TNCS Hồ Chí Minh", COSO_POST_CADRE, true, INTERMEDIATE, ELEMENTARY },
	{ "women_chair", "Chủ tịch Hội Liên hiệp Phụ nữ", COSO_POST_CADRE, true, INTERMEDIATE, ELEMENTARY },
	{ "farmers_chair", "Chủ tịch Hội Nông dân", COSO_POST_CADRE, true, INTERMEDIATE, ELEMENTARY },
	{ "veterans_chair", "Chủ tịch Hội Cựu chiến binh", COSO_POST_CADRE, true, INTERMEDIATE, ELEMENTARY },
	{ "military_commander", "Chỉ huy trưởng Quân sự", COSO_POST_CIVIL_SERVANT, true, INTERMEDIATE, ELEMENTARY },
	{ "office_statistics", "Văn phòng – Thống kê", COSO_POST_CIVIL_SERVANT, false, INTERMEDIATE, ELEMENTARY },
	{ "land_construction", "Địa chính – Xây dựng", COSO_POST_CIVIL_SERVANT, false, INTERMEDIATE, ELEMENTARY },
	{ "finance_accounting", "Tài chính – Kế toán", COSO_POST_CIVIL_SERVANT, false, INTERMEDIATE, ELEMENTARY },
	{ "justice_civil_status", "Tư pháp – Hộ tịch", COSO_POST_CIVIL_SERVANT, false, INTERMEDIATE, ELEMENTARY },
	{ "culture_social", "Văn hóa – Xã hội", COSO_POST_CIVIL_SERVANT, false, INTERMEDIATE, ELEMENTARY },
	{ NULL, NULL, COSO_POST_CADRE, false, NONE, NONE },
};

const coso_post *coso_post_find(const char *code)
{
	for (const coso_post *p = coso_posts; code && p->code; p++)
		if (strcmp(p->code, code) == 0)
			return p;
	return NULL;
}

const char *const coso_training_kinds[] = { "professional", "political_theory", "short_course", NULL };

int coso_training_kind_find(const char *code)
{
	for (int k = 0; code && coso_training_kinds[k]; k++)
		if (strcmp(coso_training_kinds[k], code) == 0)
			return k;
	return -1;
}

/* Professional qualifications (văn bằng chuyên môn) and political theory
 * (lý luận chính trị: cử nhân chính trị counts as cao cấp). */
static const coso_training_level professional_levels[] = {
	{ "elementary", "Sơ cấp", 1 }, { "intermediate", "Trung cấp", 2 }, { "college", "Cao đẳng", 3 },
	{ "university", "Đại học", 4 }, { "master", "Thạc sĩ", 5 }, { "doctorate", "Tiến sĩ", 6 },
	{ NULL, NULL, 0 },
};
static const coso_training_level political_levels[] = {
	{ "elementary", "Sơ cấp", 1 }, { "intermediate", "Trung cấp", 2 }, { "advanced", "Cao cấp", 3 },
	{ NULL, NULL, 0 },
};
static const coso_training_level no_levels[] = { { NULL, NULL, 0 } };

const coso_training_level *coso_levels_of(coso_training_kind kind)
{
	return kind == COSO_TRAINING_PROFESSIONAL ? professional_levels
	       : kind == COSO_TRAINING_POLITICAL  ? political_levels
						  : no_levels;
}

const coso_training_level *coso_level_find(coso_training_kind kind, const char *code)
{
	for (const coso_training_level *l = coso_levels_of(kind); code && l->code; l++)
		if (strcmp(l->code, code) == 0)
			return l;
	return NULL;
}

const coso_training_level *coso_level_of_rank(coso_training_kind kind, int rank)
{
	for (const coso_training_level *l = coso_levels_of(kind); l->code; l++)
		if (l->rank == rank)
			return l;
	return NULL;
}

/* ---- checks of one row -------------------------------------------------------- */

static const char *const genders[] = { "male", "female", NULL };

/* A post code of coso_posts (required). */
static const char *row_post(coso_row *r, int col)
{
	const char *s = coso_row_field(r, col);
	char list[512];
	size_t used = 0;

	if (!*s) {
		coso_row_problem(r, col, "is required");
		return s;
	}
	if (coso_post_find(s))
		return s;
	list[0] = '\0';
	for (const coso_post *p = coso_posts; p->code && used < sizeof(list); p++) {
		int w = snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "", p->code);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	coso_row_problem(r, col, "'%s' is not a post (one of: %s)", s, list);
	return s;
}

/* A level of `kind`, or empty (NULL) when not required. *rank gets its rank. */
static const char *row_level(coso_row *r, int col, coso_training_kind kind, bool required, int *rank)
{
	const char *s = coso_row_field(r, col);
	const coso_training_level *l;
	char list[160];
	size_t used = 0;

	*rank = 0;
	if (!*s) {
		if (required)
			coso_row_problem(r, col, "is required for %s training", coso_training_kinds[kind]);
		return NULL;
	}
	if ((l = coso_level_find(kind, s))) {
		*rank = l->rank;
		return s;
	}
	list[0] = '\0';
	for (l = coso_levels_of(kind); l->code && used < sizeof(list); l++) {
		int w = snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "", l->code);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	coso_row_problem(r, col, "'%s' is not a level of %s (one of: %s)", s, coso_training_kinds[kind], list);
	return NULL;
}

/* A store's COSO_ECONFLICT as a problem of the row; other results as they are. */
static int conflict(coso_row *r, int rc, int col, const char *what)
{
	if (rc != COSO_ECONFLICT)
		return rc;
	coso_row_problem(r, col, "%s", what);
	return 0;
}

/* ---- cadre_people.csv --------------------------------------------------------- */

enum { PE_ID, PE_NAME, PE_GENDER, PE_BIRTH, PE_ETHNICITY, PE_MEMBER, PE_N };
static const coso_column people_cols[PE_N] = {
	{ "id", true }, { "full_name", true }, { "gender", true }, { "birth_date", true },
	{ "ethnicity", true }, { "member_id", false },
};

static int people_begin(coso_store *st)
{
	return coso_store_cadre_begin(st, COSO_CADRE_PEOPLE);
}

static int people_load(coso_store *st, coso_row *r)
{
	coso_cadre_person_row p;

	p.id = coso_row_code(r, PE_ID, true);
	p.full_name = coso_row_text(r, PE_NAME);
	p.gender = coso_row_enum(r, PE_GENDER, genders);
	p.birth_date = coso_row_date(r, PE_BIRTH, true, 0);
	p.ethnicity = coso_row_text(r, PE_ETHNICITY);
	p.member_id = coso_row_code(r, PE_MEMBER, false);
	if (coso_row_errors(r))
		return 0;
	return coso_store_add_cadre_person(st, &p);
}

static int people_check(coso_store *st, coso_problem_fn fn, void *ctx)
{
	return coso_store_cadre_check(st, COSO_CADRE_PEOPLE, fn, ctx);
}

static int put_person(void *ctx, const coso_cadre_person_row *p)
{
	FILE *fp = ctx;

	coso_csv_put(fp, p->id, false);
	coso_csv_put(fp, p->full_name, false);
	coso_csv_put(fp, p->gender, false);
	coso_csv_put_date(fp, p->birth_date, false);
	coso_csv_put(fp, p->ethnicity, false);
	coso_csv_put(fp, p->member_id, true);
	return 0;
}

static int people_export(coso_store *st, FILE *fp)
{
	return coso_store_each_cadre_person(st, put_person, fp);
}

const coso_register_file coso_cadre_people_file = {
	"cadre_people.csv", people_cols, PE_N, PE_ID, -1,
	people_begin, people_load, NULL, people_check, people_export,
};

/* ---- cadre_positions.csv ------------------------------------------------------ */

enum { PO_PERSON, PO_UNIT, PO_POST, PO_FROM, PO_TO, PO_N };
static const coso_column position_cols[PO_N] = {
	{ "person_id", true }, { "unit_code", true }, { "post", true }, { "valid_from", true }, { "valid_to", false },
};

static int positions_begin(coso_store *st)
{
	return coso_store_cadre_begin(st, COSO_CADRE_POSITIONS);
}

static int positions_load(coso_store *st, coso_row *r)
{
	coso_cadre_position_row p;

	p.person_id = coso_row_code(r, PO_PERSON, true);
	p.unit_code = coso_row_code(r, PO_UNIT, true);
	p.post = row_post(r, PO_POST);
	p.valid_from = coso_row_date(r, PO_FROM, true, COSO_DAY_MIN);
	p.valid_to = coso_row_date(r, PO_TO, false, COSO_DAY_MAX);
	coso_row_period(r, p.valid_from, p.valid_to, PO_TO);
	if (coso_row_errors(r))
		return 0;
	return conflict(r, coso_store_add_cadre_position(st, &p), PO_POST,
			"another row gives this person the same post from the same day");
}

static int positions_check(coso_store *st, coso_problem_fn fn, void *ctx)
{
	return coso_store_cadre_check(st, COSO_CADRE_POSITIONS, fn, ctx);
}

static int put_position(void *ctx, const coso_cadre_position_row *p)
{
	FILE *fp = ctx;

	coso_csv_put(fp, p->person_id, false);
	coso_csv_put(fp, p->unit_code, false);
	coso_csv_put(fp, p->post, false);
	coso_csv_put_date(fp, p->valid_from, false);
	coso_csv_put_date(fp, p->valid_to, true);
	return 0;
}

static int positions_export(coso_store *st, FILE *fp)
{
	return coso_store_each_cadre_position(st, put_position, fp);
}

const coso_register_file coso_cadre_positions_file = {
	"cadre_positions.csv", position_cols, PO_N, PO_PERSON, PO_FROM,
	positions_begin, positions_load, NULL, positions_check, positions_export,
};

/* ---- cadre_training.csv ------------------------------------------------------- */

enum { TR_PERSON, TR_KIND, TR_LEVEL, TR_COURSE, TR_START, TR_END, TR_SENT_BY, TR_N };
static const coso_column training_cols[TR_N] = {
	{ "person_id", true }, { "kind", true }, { "level", false }, { "course", false },
	{ "started_on", true }, { "ended_on", false }, { "sent_by", false },
};

static int training_begin(coso_store *st)
{
	return coso_store_cadre_begin(st, COSO_CADRE_TRAINING);
}

static int training_load(coso_store *st, coso_row *r)
{
	coso_cadre_training_row t;
	const char *course;
	int kind;

	t.person_id = coso_row_code(r, TR_PERSON, true);
	t.kind = coso_row_enum(r, TR_KIND, coso_training_kinds);
	kind = coso_training_kind_find(t.kind);
	t.level = NULL;
	t.level_rank = 0;
	if (kind == COSO_TRAINING_SHORT_COURSE && *coso_row_field(r, TR_LEVEL))
		coso_row_problem(r, TR_LEVEL, "a short course has no level (leave it empty)");
	else if (kind >= 0 && kind != COSO_TRAINING_SHORT_COURSE)
		t.level = row_level(r, TR_LEVEL, (coso_training_kind)kind, true, &t.level_rank);
	course = coso_row_field(r, TR_COURSE);
	t.course = *course ? course : NULL;
	t.started_on = coso_row_date(r, TR_START, true, 0);
	t.ended_on = coso_row_date(r, TR_END, false, COSO_DAY_MAX);
	if (t.ended_on < t.started_on)
		coso_row_problem(r, TR_END, "the training ends before the day it starts");
	t.sent_by = coso_row_code(r, TR_SENT_BY, false);
	if (coso_row_errors(r))
		return 0;
	return conflict(r, coso_store_add_cadre_training(st, &t), TR_START,
			"another row of this person starts training of the same kind on the same day");
}

static int training_check(coso_store *st, coso_problem_fn fn, void *ctx)
{
	return coso_store_cadre_check(st, COSO_CADRE_TRAINING, fn, ctx);
}

static int put_training(void *ctx, const coso_cadre_training_row *t)
{
	FILE *fp = ctx;

	coso_csv_put(fp, t->person_id, false);
	coso_csv_put(fp, t->kind, false);
	coso_csv_put(fp, t->level, false);
	coso_csv_put(fp, t->course, false);
	coso_csv_put_date(fp, t->started_on, false);
	coso_csv_put_date(fp, t->ended_on, false);
	coso_csv_put(fp, t->sent_by, true);
	return 0;
}

static int training_export(coso_store *st, FILE *fp)
{
	return coso_store_each_cadre_training(st, put_training, fp);
}

const coso_register_file coso_cadre_training_file = {
	"cadre_training.csv", training_cols, TR_N, TR_PERSON, TR_START,
	training_begin, training_load, NULL, training_check, training_export,
};

/* ---- cadre_rotations.csv ------------------------------------------------------ */

enum { RO_PERSON, RO_FROM_UNIT, RO_TO_UNIT, RO_FROM, RO_TO, RO_N };
static const coso_column rotation_cols[RO_N] = {
	{ "person_id", true }, { "from_unit", true }, { "to_unit", true }, { "valid_from", true }, { "valid_to", false },
};

static int rotations_begin(coso_store *st)
{
	return coso_store_cadre_begin(st, COSO_CADRE_ROTATIONS);
}

static int rotations_load(coso_store *st, coso_row *r)
{
	coso_cadre_rotation_row o;

	o.person_id = coso_row_code(r, RO_PERSON, true);
	o.from_unit = coso_row_code(r, RO_FROM_UNIT, true);
	o.to_unit = coso_row_code(r, RO_TO_UNIT, true);
	o.valid_from = coso_row_date(r, RO_FROM, true, COSO_DAY_MIN);
	o.valid_to = coso_row_date(r, RO_TO, false, COSO_DAY_MAX);
	coso_row_period(r, o.valid_from, o.valid_to, RO_TO);
	if (coso_row_errors(r))
		return 0;
	return coso_store_add_cadre_rotation(st, &o);
}

static int rotations_check(coso_store *st, coso_problem_fn fn, void *ctx)
{
	return coso_store_cadre_check(st, COSO_CADRE_ROTATIONS, fn, ctx);
}

static int put_rotation(void *ctx, const coso_cadre_rotation_row *o)
{
	FILE *fp = ctx;

	coso_csv_put(fp, o->person_id, false);
	coso_csv_put(fp, o->from_unit, false);
	coso_csv_put(fp, o->to_unit, false);
	coso_csv_put_date(fp, o->valid_from, false);
	coso_csv_put_date(fp, o->valid_to, true);
	return 0;
}

static int rotations_export(coso_store *st, FILE *fp)
{
	return coso_store_each_cadre_rotation(st, put_rotation, fp);
}

const coso_register_file coso_cadre_rotations_file = {
	"cadre_rotations.csv", rotation_cols, RO_N, RO_PERSON, RO_FROM,
	rotations_begin, rotations_load, NULL, rotations_check, rotations_export,
};

/* ---- cadre_standards.csv ------------------------------------------------------ */

enum { ST_POST, ST_FROM, ST_TO, ST_PROF, ST_POL, ST_N };
static const coso_column standard_cols[ST_N] = {
	{ "post", true }, { "valid_from", false }, { "valid_to", false },
	{ "min_professional", false }, { "min_political_theory", false },
};

static int standards_begin(coso_store *st)
{
	return coso_store_cadre_begin(st, COSO_CADRE_STANDARDS);
}

static int standards_load(coso_store *st, coso_row *r)
{
	coso_cadre_standard_row s;

	s.post = row_post(r, ST_POST);
	s.valid_from = coso_row_date(r, ST_FROM, false, COSO_DAY_MIN);
	s.valid_to = coso_row_date(r, ST_TO, false, COSO_DAY_MAX);
	coso_row_period(r, s.valid_from, s.valid_to, ST_TO);
	s.min_professional = row_level(r, ST_PROF, COSO_TRAINING_PROFESSIONAL, false, &s.professional_rank);
	s.min_political_theory = row_level(r, ST_POL, COSO_TRAINING_POLITICAL, false, &s.political_rank);
	if (coso_row_errors(r))
		return 0;
	return coso_store_add_cadre_standard(st, &s);
}

static int standards_check(coso_store *st, coso_problem_fn fn, void *ctx)
{
	return coso_store_cadre_check(st, COSO_CADRE_STANDARDS, fn, ctx);
}

static int put_standard(void *ctx, const coso_cadre_standard_row *s)
{
	FILE *fp = ctx;

	coso_csv_put(fp, s->post, false);
	coso_csv_put_date(fp, s->valid_from, false);
	coso_csv_put_date(fp, s->valid_to, false);
	coso_csv_put(fp, s->min_professional, false);
	coso_csv_put(fp, s->min_political_theory, true);
	return 0;
}

static int standards_export(coso_store *st, FILE *fp)
{
	return coso_store_each_cadre_standard(st, put_standard, fp);
}

const coso_register_file coso_cadre_standards_file = {
	"cadre_standards.csv", standard_cols, ST_N, ST_POST, ST_FROM,
	standards_begin, standards_load, NULL, standards_check, standards_export,
};

/* ---- figures --------------------------------------------------------------------- */

int coso_cadres_training_summary(coso_store *st, const char *scope, coso_day from, coso_day to,
				 coso_training_summary *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->from = from;
	out->to = to;
	if (to < from)
		return coso_error_set(COSO_EINVALID, "the period ends (to) before it starts (from)");
	if (scope) {
		rc = coso_store_unit_at(st, scope, to, &out->scope);
		if (rc < 0 && rc != COSO_ENOTFOUND)
			return rc;
	} else {
		out->scope.code = strdup("");
		out->scope.name = strdup("Toàn quốc");
		if (!out->scope.code || !out->scope.name) {
			rc = coso_error_set(COSO_ENOMEM, "out of memory");
			goto fail;
		}
	}
	if ((rc = coso_store_begin_read(st)) < 0)
		goto fail;
	rc = coso_store_cadre_summary(st, scope, from, to, out);
	coso_store_end_read(st);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	coso_training_summary_clear(out);
	return rc;
}

void coso_training_summary_clear(coso_training_summary *s)
{
	if (!s)
		return;
	coso_unit_ref_clear(&s->scope);
	for (size_t i = 0; i < s->ncommunes; i++) {
		free(s->communes[i].code);
		free(s->communes[i].name);
	}
	free(s->communes);
	memset(s, 0, sizeof(*s));
}

int coso_cadres_holders(coso_store *st, const char *unit, coso_day d, coso_cadre_holder_fn fn, void *ctx)
{
	int rc;

	if ((rc = coso_store_begin_read(st)) < 0)
		return rc;
	rc = coso_store_cadre_holders(st, unit, d, fn, ctx);
	coso_store_end_read(st);
	return rc;
}

int coso_cadres_training_list(coso_store *st, const char *scope, coso_day from, coso_day to, const char *kind,
			      long long offset, long long limit, coso_cadre_sent_fn fn, void *ctx, long long *total)
{
	int rc;

	*total = 0;
	if (to < from)
		return coso_error_set(COSO_EINVALID, "the period ends (to) before it starts (from)");
	if (kind && coso_training_kind_find(kind) < 0)
		return coso_error_set(COSO_EINVALID, "'%s' is not a kind of training", kind);
	if (limit < 0 || limit > COSO_CADRES_PAGE_MAX || offset < 0)
		return coso_error_set(COSO_EINVALID, "a page holds 1 to %d records", COSO_CADRES_PAGE_MAX);
	if (scope) {
		coso_unit_ref u;

		rc = coso_store_unit_at(st, scope, to, &u);
		coso_unit_ref_clear(&u);
		if (rc < 0 && rc != COSO_ENOTFOUND)
			return rc;
	}
	if ((rc = coso_store_begin_read(st)) < 0)
		return rc;
	rc = coso_store_cadre_training_list(st, scope, from, to, kind, offset, limit, fn, ctx, total);
	coso_store_end_read(st);
	return rc;
}
