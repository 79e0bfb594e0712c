/*
 * workdays.c: the working-day calendar of State bodies, 1995..2100.
 *
 * The calendar is a table of one byte per day (why it is not a working day,
 * 0 when it is one) plus, for compensatory days, the holiday they make up
 * for. It is built in one pass from the rules and the override rows, in this
 * order, so that each step sees the days the previous ones took:
 *
 *   1. weekly rest days;
 *   2. statutory holidays, with the declared days of Tết and of Quốc khánh
 *      in place of the default ones;
 *   3. declared days off (`holiday` rows: the weekday given in a swap);
 *   4. compensatory days (nghỉ bù), each on the first day after its holiday
 *      that nothing above has taken;
 *   5. declared working days (`workday` rows: the Saturday worked in a swap).
 *
 * Loading overrides rebuilds the whole table into new memory and swaps it in
 * only when the file was read without a problem.
 */
#include "core/workdays.h"

#include "util/csv.h"
#include "util/error.h"
#include "util/lunar.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NDAYS ((size_t)(COSO_CALENDAR_LAST_DAY - COSO_CALENDAR_FIRST_DAY + 1))

/* Quyết định 188/1999/QĐ-TTg, Điều 1: a 40-hour week of five days, Saturday
 * and Sunday off, for State bodies, from Saturday 1999-10-02. Before it the
 * weekly rest day was Sunday (BLLĐ 1994 Điều 72). */
#define SATURDAY_REST_FROM 10866 /* 1999-10-02 */

/* BLLĐ 2012 (10/2012/QH13) in force 2013-05-01: Tết of 5 days (Điều 115
 * khoản 1 điểm b) instead of 4 (BLLĐ 1994 Điều 73). */
#define LABOUR_CODE_2012_FROM 15826 /* 2013-05-01 */

/* Luật 84/2007/QH11 (2 April 2007, in force on promulgation) added Giỗ Tổ
 * Hùng Vương to BLLĐ 1994 Điều 73; the first was 10/3 Đinh Hợi, 2007-04-26. */
#define HUNG_KINGS_FROM_YEAR 2007

/* BLLĐ 2019 (45/2019/QH14) in force 2021-01-01: Quốc khánh 2 days, 2/9 and
 * one day before or after (Điều 112 khoản 1 điểm đ). */
#define NATIONAL_DAY_TWO_DAYS_FROM_YEAR 2021

/* A declared Tết day must lie this close to 1/1 âm lịch. */
#define TET_WINDOW 10

enum override_kind {
	OV_HOLIDAY,     /* a declared day off (the weekday of a swap) */
	OV_WORKDAY,     /* a declared working day (the Saturday of a swap) */
	OV_TET,         /* one of the Tết days the Prime Minister decides */
	OV_QUOC_KHANH,  /* the day next to 2/9 the Prime Minister decides */
};

static const char *const override_kind_name[] = { "holiday", "workday", "tet", "quoc-khanh" };

struct override {
	coso_day day;
	enum override_kind kind;
	unsigned long seq;  /* load order, to keep the first of two rows for a day */
	char *note;         /* owned, may be "" */
	char *where;        /* owned, "FILE:LINE" */
};

struct coso_calendar {
	uint8_t *why;           /* NDAYS entries: coso_dayoff */
	uint8_t *comp;          /* NDAYS entries: the holiday a compensatory day makes up for */
	struct override *ov;    /* sorted by (day, seq) */
	size_t nov;
	unsigned long next_seq;
};

/* A statutory holiday on one day. */
struct holiday {
	coso_day day;
	coso_dayoff why;
};

/* ---- Names -------------------------------------------------------------- */

static const char *const dayoff_name[COSO_DAYOFF_MAX] = {
	[COSO_DAYOFF_NONE] = NULL,
	[COSO_DAYOFF_SATURDAY] = "thứ Bảy",
	[COSO_DAYOFF_SUNDAY] = "Chủ nhật",
	[COSO_DAYOFF_NEW_YEAR] = "Tết Dương lịch",
	[COSO_DAYOFF_TET] = "Tết Nguyên đán",
	[COSO_DAYOFF_HUNG_KINGS] = "Giỗ Tổ Hùng Vương",
	[COSO_DAYOFF_VICTORY] = "Ngày Chiến thắng (30/4)",
	[COSO_DAYOFF_LABOUR] = "Ngày Quốc tế Lao động (1/5)",
	[COSO_DAYOFF_NATIONAL] = "Quốc khánh",
	[COSO_DAYOFF_COMPENSATORY] = "nghỉ bù",
	[COSO_DAYOFF_DECLARED] = "ngày nghỉ hoán đổi",
	[COSO_DAYOFF_OUT_OF_RANGE] = "ngoài phạm vi lịch (1995–2100)",
};

static const char *const compensatory_name[COSO_DAYOFF_MAX] = {
	[COSO_DAYOFF_NEW_YEAR] = "nghỉ bù Tết Dương lịch",
	[COSO_DAYOFF_TET] = "nghỉ bù Tết Nguyên đán",
	[COSO_DAYOFF_HUNG_KINGS] = "nghỉ bù Giỗ Tổ Hùng Vương",
	[COSO_DAYOFF_VICTORY] = "nghỉ bù Ngày Chiến thắng (30/4)",
	[COSO_DAYOFF_LABOUR] = "nghỉ bù Ngày Quốc tế Lao động (1/5)",
	[COSO_DAYOFF_NATIONAL] = "nghỉ bù Quốc khánh",
};

/* ---- Small helpers ------------------------------------------------------ */

static bool in_range(coso_day d)
{
	return d >= COSO_CALENDAR_FIRST_DAY && d <= COSO_CALENDAR_LAST_DAY;
}

static size_t idx(coso_day d)
{
	return (size_t)(d - COSO_CALENDAR_FIRST_DAY);
}

/* 0 = Sunday .. 6 = Saturday; 1970-01-01 was a Thursday. */
static int weekday(coso_day d)
{
	return (int)((((long)d % 7) + 7 + 4) % 7);
}

static char *dup_string(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

static int compare_override(const void *a, const void *b)
{
	const struct override *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const struct override *find_override(const struct override *ov, size_t nov, coso_day day)
{
	size_t lo = 0, hi = nov;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ov[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nov && ov[lo].day == day ? &ov[lo] : NULL;
}

static void free_overrides(struct override *ov, size_t nov)
{
	for (size_t i = 0; i < nov; i++) {
		free(ov[i].note);
		free(ov[i].where);
	}
	free(ov);
}

/* Tết (1/1 âm lịch) of lunar year y into *out. */
static int tet_of(coso_day *out, int y)
{
	coso_lunar_date t = { y, 1, 1, false };

	return coso_lunar_to_solar(out, &t);
}

/* The Tết nearest d, of the lunar year named by d's Gregorian year: its year
 * into *year, its day into *tet. Returns 0 when d is within TET_WINDOW days
 * of it, 1 when it is not, or a negative code. */
static int tet_near(int *year, coso_day *tet, coso_day d)
{
	int y, rc;

	/* Tết falls between 21 January and 20 February, so a day near it is
	 * in the same Gregorian year. */
	coso_date_to_ymd(d, &y, NULL, NULL);
	if ((rc = tet_of(tet, y)) < 0)
		return rc;
	*year = y;
	return d < *tet - TET_WINDOW || d > *tet + TET_WINDOW ? 1 : 0;
}

/* Number of days of Tết the law in force on that Tết gives. */
static int tet_days_by_law(coso_day tet)
{
	/* BLLĐ 2012 Điều 115 khoản 1 điểm b; BLLĐ 2019 Điều 112 khoản 1 điểm
	 * b: 05 ngày. BLLĐ 1994 Điều 73: bốn ngày (một ngày cuối năm và ba
	 * ngày đầu năm âm lịch). */
	return tet >= LABOUR_CODE_2012_FROM ? 5 : 4;
}

/*
 * The day next to Quốc khánh when no decision is loaded (BLLĐ 2019 Điều 112
 * khoản 1 điểm đ leaves the choice of 1/9 or 3/9 to the Prime Minister).
 * The default joins the two days to a weekend where one side does so, and
 * prefers a weekday to a rest day (which would only be compensated); it
 * gives the decisions of 2021 (3/9), 2022 (1/9), 2023 (1/9), 2024 (3/9) and
 * 2025 (1/9). Wednesday and Sunday, where neither side wins, default to 3/9.
 */
static int national_day_neighbour(int y)
{
	/* Indexed by the weekday of 2/9: Sun Mon Tue Wed Thu Fri Sat. */
	static const int day_in_september[7] = { 3, 3, 1, 3, 3, 1, 1 };

	return day_in_september[weekday(coso_date_from_ymd(y, 9, 2))];
}

/* ---- Building the table ------------------------------------------------- */

struct builder {
	struct holiday *h;
	size_t n, cap;
};

static int add_holiday(struct builder *b, coso_day day, coso_dayoff why)
{
	if (!in_range(day))
		return 0;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		struct holiday *h = realloc(b->h, cap * sizeof(*h));

		if (h == NULL)
			return coso_error_set(COSO_ENOMEM, "out of memory");
		b->h = h;
		b->cap = cap;
	}
	b->h[b->n].day = day;
	b->h[b->n].why = why;
	b->n++;
	return 0;
}

static int compare_holiday(const void *a, const void *b)
{
	const struct holiday *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

/* Collects the statutory holidays of Gregorian year y (and the Tết of lunar
 * year y) into b, honouring the Tết and Quốc khánh declarations in ov. */
static int collect_year(struct builder *b, int y, const struct override *ov, size_t nov)
{
	coso_day tet;
	int rc, declared = 0;

	/* BLLĐ 2019 Điều 112 khoản 1 điểm a (BLLĐ 2012 Điều 115, BLLĐ 1994
	 * Điều 73): Tết Dương lịch, 1/1. */
	if ((rc = add_holiday(b, coso_date_from_ymd(y, 1, 1), COSO_DAYOFF_NEW_YEAR)) < 0)
		return rc;

	/* Tết Âm lịch: the declared days (Điều 112 khoản 3: the Prime Minister
	 * decides them), else the last day of the old year and the first three
	 * (BLLĐ 1994) or four (BLLĐ 2012, 2019) of the new one. */
	if ((rc = tet_of(&tet, y)) < 0)
		return rc;
	for (size_t i = 0; i < nov; i++) {
		if (ov[i].kind == OV_TET && ov[i].day >= tet - TET_WINDOW && ov[i].day <= tet + TET_WINDOW) {
			if ((rc = add_holiday(b, ov[i].day, COSO_DAYOFF_TET)) < 0)
				return rc;
			declared++;
		}
	}
	if (declared == 0) {
		int n = tet_days_by_law(tet);

		for (int i = 0; i < n; i++) {
			if ((rc = add_holiday(b, tet - 1 + i, COSO_DAYOFF_TET)) < 0)
				return rc;
		}
	}

	/* Giỗ Tổ Hùng Vương, 10/3 âm lịch (Luật 84/2007/QH11; BLLĐ 2012 Điều
	 * 115 khoản 1 điểm e; BLLĐ 2019 Điều 112 khoản 1 điểm e). */
	if (y >= HUNG_KINGS_FROM_YEAR) {
		coso_lunar_date hung = { y, 3, 10, false };
		coso_day day;

		if ((rc = coso_lunar_to_solar(&day, &hung)) < 0)
			return rc;
		if ((rc = add_holiday(b, day, COSO_DAYOFF_HUNG_KINGS)) < 0)
			return rc;
	}

	/* Ngày Chiến thắng 30/4 and Ngày Quốc tế lao động 1/5 (điểm c, d). */
	if ((rc = add_holiday(b, coso_date_from_ymd(y, 4, 30), COSO_DAYOFF_VICTORY)) < 0 ||
	    (rc = add_holiday(b, coso_date_from_ymd(y, 5, 1), COSO_DAYOFF_LABOUR)) < 0)
		return rc;

	/* Quốc khánh 2/9 (điểm đ), and from 2021 one day next to it: the
	 * declared one, else the default. */
	if ((rc = add_holiday(b, coso_date_from_ymd(y, 9, 2), COSO_DAYOFF_NATIONAL)) < 0)
		return rc;
	if (y >= NATIONAL_DAY_TWO_DAYS_FROM_YEAR) {
		int dd = national_day_neighbour(y);

		for (size_t i = 0; i < nov; i++) {
			int yy, mm, d2;

			if (ov[i].kind != OV_QUOC_KHANH)
				continue;
			coso_date_to_ymd(ov[i].day, &yy, &mm, &d2);
			if (yy == y)
				dd = d2;
		}
		if ((rc = add_holiday(b, coso_date_from_ymd(y, 9, dd), COSO_DAYOFF_NATIONAL)) < 0)
			return rc;
	}
	return 0;
}

/* Fills why[] and comp[] (NDAYS each) from the rules and the overrides ov
 * (sorted by day). Returns 0, or a negative code; a row that changes nothing
 * is COSO_EINVALID with the message naming it. */
static int build(uint8_t *why, uint8_t *comp, const struct override *ov, size_t nov)
{
	struct builder b = { NULL, 0, 0 };
	int rc = COSO_ERR;

	memset(comp, 0, NDAYS);

	/* 1. Weekly rest (Quyết định 188/1999/QĐ-TTg, Điều 1). */
	for (coso_day d = COSO_CALENDAR_FIRST_DAY; d <= COSO_CALENDAR_LAST_DAY; d++) {
		int wd = weekday(d);

		if (wd == 0)
			why[idx(d)] = COSO_DAYOFF_SUNDAY;
		else if (wd == 6 && d >= SATURDAY_REST_FROM)
			why[idx(d)] = COSO_DAYOFF_SATURDAY;
		else
			why[idx(d)] = COSO_DAYOFF_NONE;
	}

	/* 2. Holidays. One that falls on a rest day, or on another holiday (no
	 * such year in 1995..2100), is made up for in step 4. */
	for (int y = COSO_CALENDAR_FIRST_YEAR; y <= COSO_CALENDAR_LAST_YEAR; y++) {
		if ((rc = collect_year(&b, y, ov, nov)) < 0)
			goto done;
	}
	qsort(b.h, b.n, sizeof(*b.h), compare_holiday);
	{
		size_t keep = 0;

		for (size_t i = 0; i < b.n; i++) {
			uint8_t *w = &why[idx(b.h[i].day)];
			bool on_rest_day = *w == COSO_DAYOFF_SATURDAY || *w == COSO_DAYOFF_SUNDAY;
			bool on_holiday = *w != COSO_DAYOFF_NONE && !on_rest_day;

			if (*w == b.h[i].why)
				continue; /* the same holiday twice (cannot happen) */
			if (!on_holiday)
				*w = (uint8_t)b.h[i].why;
			if (on_rest_day || on_holiday)
				b.h[keep++] = b.h[i];
		}
		b.n = keep; /* now: the holidays to make up for, in date order */
	}

	/* 3. Declared days off. */
	for (size_t i = 0; i < nov; i++) {
		size_t k = idx(ov[i].day);

		if (ov[i].kind != OV_HOLIDAY)
			continue;
		if (why[k] != COSO_DAYOFF_NONE) {
			rc = coso_error_set(COSO_EINVALID, "%s: date: the day is already a day off (%s)",
					    ov[i].where, dayoff_name[why[k]]);
			goto done;
		}
		why[k] = COSO_DAYOFF_DECLARED;
	}

	/* 4. Nghỉ bù: BLLĐ 2019 Điều 111 khoản 3 ("nếu ngày nghỉ hằng tuần trùng
	 * với ngày nghỉ lễ, tết ... thì người lao động được nghỉ bù ngày nghỉ
	 * hằng tuần vào ngày làm việc kế tiếp"); BLLĐ 2012 Điều 115 khoản 3 and
	 * BLLĐ 1994 Điều 73 likewise. In date order, each on the first day
	 * after its holiday that is still a working day. */
	for (size_t i = 0; i < b.n; i++) {
		coso_day d = b.h[i].day + 1;

		while (in_range(d) && why[idx(d)] != COSO_DAYOFF_NONE)
			d++;
		if (!in_range(d))
			continue;
		why[idx(d)] = COSO_DAYOFF_COMPENSATORY;
		comp[idx(d)] = (uint8_t)b.h[i].why;
	}

	/* 5. Declared working days (ngày làm bù). */
	for (size_t i = 0; i < nov; i++) {
		size_t k = idx(ov[i].day);

		if (ov[i].kind != OV_WORKDAY)
			continue;
		if (why[k] == COSO_DAYOFF_NONE) {
			rc = coso_error_set(COSO_EINVALID, "%s: date: the day is already a working day", ov[i].where);
			goto done;
		}
		why[k] = COSO_DAYOFF_NONE;
		comp[k] = 0;
	}
	rc = 0;

done:
	free(b.h);
	return rc;
}

/* ---- Public: life cycle ------------------------------------------------- */

int coso_calendar_new(coso_calendar **out)
{
	coso_calendar *cal = NULL;
	int rc = COSO_ENOMEM;

	cal = calloc(1, sizeof(*cal));
	if (cal == NULL)
		goto oom;
	cal->why = malloc(NDAYS);
	cal->comp = malloc(NDAYS);
	if (cal->why == NULL || cal->comp == NULL)
		goto oom;
	if ((rc = build(cal->why, cal->comp, NULL, 0)) < 0)
		goto done;
	*out = cal;
	return 0;

oom:
	rc = coso_error_set(COSO_ENOMEM, "out of memory");
done:
	coso_calendar_free(cal);
	return rc;
}

void coso_calendar_free(coso_calendar *cal)
{
	if (cal == NULL)
		return;
	free(cal->why);
	free(cal->comp);
	free_overrides(cal->ov, cal->nov);
	free(cal);
}

/* ---- Public: overrides -------------------------------------------------- */

static int parse_kind(enum override_kind *out, const char *s)
{
	for (size_t i = 0; i < sizeof(override_kind_name) / sizeof(override_kind_name[0]); i++) {
		if (strcmp(s, override_kind_name[i]) == 0) {
			*out = (enum override_kind)i;
			return 0;
		}
	}
	return -1;
}

/* Checks one row on its own: a Tết day near Tết, a Quốc khánh day on 1 or 3
 * September from 2021. */
static int check_row(const char *path, long line, const struct override *row)
{
	char buf[COSO_DATE_BUFSZ];
	int y, m, d;

	coso_date_format(buf, row->day);
	coso_date_to_ymd(row->day, &y, &m, &d);
	if (row->kind == OV_TET) {
		int ty;
		coso_day tet;
		int rc = tet_near(&ty, &tet, row->day);

		if (rc == 1) {
			char tbuf[COSO_DATE_BUFSZ];

			return coso_error_set(COSO_EINVALID,
					      "%s:%ld: date: %s is not within %d days of Tết (1/1 âm lịch %d is %s)",
					      path, line, buf, TET_WINDOW, y, coso_date_format(tbuf, tet));
		}
		if (rc < 0)
			return rc;
	}
	if (row->kind == OV_QUOC_KHANH) {
		/* BLLĐ 2019 Điều 112 khoản 1 điểm đ: 01 ngày liền kề trước hoặc sau. */
		if (m != 9 || (d != 1 && d != 3))
			return coso_error_set(COSO_EINVALID,
					      "%s:%ld: date: %s: the day next to Quốc khánh is 1 or 3 September",
					      path, line, buf);
		if (y < NATIONAL_DAY_TWO_DAYS_FROM_YEAR)
			return coso_error_set(COSO_EINVALID,
					      "%s:%ld: date: %s: Quốc khánh has a second day only from 2021 "
					      "(Bộ luật Lao động 2019, Điều 112)",
					      path, line, buf);
	}
	return 0;
}

/* Checks the groups across all rows (sorted by day): no day twice, one
 * Quốc khánh day a year, and each declared Tết with the law's number of days. */
static int check_groups(const struct override *ov, size_t nov)
{
	coso_day counted_tet = COSO_DAY_MIN;

	for (size_t i = 0; i < nov; i++) {
		char buf[COSO_DATE_BUFSZ];

		coso_date_format(buf, ov[i].day);
		if (i > 0 && ov[i].day == ov[i - 1].day) {
			const struct override *later = ov[i].seq > ov[i - 1].seq ? &ov[i] : &ov[i - 1];
			const struct override *first = later == &ov[i] ? &ov[i - 1] : &ov[i];

			return coso_error_set(COSO_EINVALID, "%s: date: %s is already listed at %s", later->where, buf,
					      first->where);
		}
		if (ov[i].kind == OV_QUOC_KHANH) {
			for (size_t j = i + 1; j < nov && ov[j].day - ov[i].day <= 2; j++) {
				if (ov[j].kind != OV_QUOC_KHANH)
					continue;
				return coso_error_set(COSO_EINVALID, "%s: date: Quốc khánh %.4s already has its second day at %s",
						      ov[j].where, buf, ov[i].where);
			}
		}
		if (ov[i].kind == OV_TET) {
			/* The first row of a Tết: count the rows of that Tết. */
			int ty, n = 0, want, rc;
			coso_day tet;

			if ((rc = tet_near(&ty, &tet, ov[i].day)) < 0)
				return rc;
			if (tet == counted_tet)
				continue;
			counted_tet = tet;
			for (size_t j = i; j < nov && ov[j].day <= tet + TET_WINDOW; j++)
				n += ov[j].kind == OV_TET;
			want = tet_days_by_law(tet);
			if (n != want)
				return coso_error_set(COSO_EINVALID,
						      "%s: kind: Tết %d is declared with %d day(s); the Labour Code gives "
						      "it %d (list the Tết days the decision names; those on a weekend "
						      "are made up for by the rules)",
						      ov[i].where, ty, n, want);
		}
	}
	return 0;
}

/* Reads the overrides of stream fp (named `path` in messages); see
 * coso_calendar_load_overrides(). Does not close fp. */
static int load_overrides(coso_calendar *cal, FILE *fp, const char *path)
{
	coso_csv *csv = NULL;
	struct override *ov = NULL;
	size_t nov = 0, cap = 0;
	uint8_t *why = NULL, *comp = NULL;
	unsigned long seq = cal->next_seq;
	int rc = COSO_ERR, got;
	bool header = false;

	/* Start from a copy of the rows already loaded. */
	if (cal->nov > 0) {
		cap = cal->nov + 64;
		ov = calloc(cap, sizeof(*ov));
		if (ov == NULL)
			goto oom;
		for (; nov < cal->nov; nov++) {
			ov[nov] = cal->ov[nov];
			ov[nov].note = dup_string(cal->ov[nov].note);
			ov[nov].where = dup_string(cal->ov[nov].where);
			if (ov[nov].note == NULL || ov[nov].where == NULL) {
				nov++;
				goto oom;
			}
		}
	}

	csv = coso_csv_new(fp);
	if (csv == NULL)
		goto oom;

	while ((got = coso_csv_next(csv)) == 1) {
		long line = coso_csv_line(csv);
		size_t nf = coso_csv_nfields(csv);
		const char *date_s, *kind_s, *note_s;
		size_t date_len;
		struct override row = { 0, OV_HOLIDAY, 0, NULL, NULL };
		char where[64];
		int n;

		if (!header) {
			if (nf != 3 || strcmp(coso_csv_field(csv, 0, NULL), "date") != 0 ||
			    strcmp(coso_csv_field(csv, 1, NULL), "kind") != 0 ||
			    strcmp(coso_csv_field(csv, 2, NULL), "note") != 0) {
				rc = coso_error_set(COSO_EINVALID, "%s:%ld: the header must be date,kind,note", path,
						    line);
				goto done;
			}
			header = true;
			continue;
		}
		if (nf != 2 && nf != 3) {
			rc = coso_error_set(COSO_EINVALID, "%s:%ld: expected 3 fields (date,kind,note), found %zu",
					    path, line, nf);
			goto done;
		}
		date_s = coso_csv_field(csv, 0, &date_len);
		kind_s = coso_csv_field(csv, 1, NULL);
		note_s = nf == 3 ? coso_csv_field(csv, 2, NULL) : "";
		if (coso_date_parse(&row.day, date_s, date_len) < 0) {
			rc = coso_error_set(COSO_EINVALID, "%s:%ld: date: '%.40s' is not a day as YYYY-MM-DD",
					    path, line, date_s);
			goto done;
		}
		if (!in_range(row.day)) {
			rc = coso_error_set(COSO_EINVALID, "%s:%ld: date: %s is outside the calendar (%d..%d)", path,
					    line, date_s, COSO_CALENDAR_FIRST_YEAR, COSO_CALENDAR_LAST_YEAR);
			goto done;
		}
		if (parse_kind(&row.kind, kind_s) < 0) {
			rc = coso_error_set(COSO_EINVALID,
					    "%s:%ld: kind: '%.40s' is not one of holiday, workday, tet, quoc-khanh",
					    path, line, kind_s);
			goto done;
		}
		if ((rc = check_row(path, line, &row)) < 0)
			goto done;
		if (nov >= COSO_CALENDAR_MAX_OVERRIDES) {
			rc = coso_error_set(COSO_EINVALID, "%s:%ld: more than %d override rows", path, line,
					    COSO_CALENDAR_MAX_OVERRIDES);
			goto done;
		}
		if (nov == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct override *p = realloc(ov, ncap * sizeof(*ov));

			if (p == NULL)
				goto oom;
			ov = p;
			cap = ncap;
		}
		n = snprintf(where, sizeof(where), ":%ld", line);
		row.seq = seq++;
		row.note = dup_string(note_s);
		row.where = malloc(strlen(path) + (size_t)n + 1);
		if (row.note == NULL || row.where == NULL) {
			free(row.note);
			free(row.where);
			goto oom;
		}
		memcpy(row.where, path, strlen(path));
		memcpy(row.where + strlen(path), where, (size_t)n + 1);
		ov[nov++] = row;
	}
	if (got < 0) {
		rc = got == COSO_EIO ? coso_error_set(COSO_EIO, "%s: read error", path)
				     : coso_error_set(COSO_EINVALID, "%s:%ld: %s", path, coso_csv_error_line(csv),
						      coso_csv_error_text(csv));
		goto done;
	}
	if (!header) {
		rc = coso_error_set(COSO_EINVALID, "%s: empty file (the header must be date,kind,note)", path);
		goto done;
	}

	if (nov > 1)
		qsort(ov, nov, sizeof(*ov), compare_override);
	if ((rc = check_groups(ov, nov)) < 0)
		goto done;
	why = malloc(NDAYS);
	comp = malloc(NDAYS);
	if (why == NULL || comp == NULL)
		goto oom;
	if ((rc = build(why, comp, ov, nov)) < 0)
		goto done;

	/* Swap the new table and rows in. */
	free(cal->why);
	free(cal->comp);
	free_overrides(cal->ov, cal->nov);
	cal->why = why;
	cal->comp = comp;
	cal->ov = ov;
	cal->nov = nov;
	cal->next_seq = seq;
	why = comp = NULL;
	ov = NULL;
	nov = 0;
	rc = 0;
	goto done;

oom:
	rc = coso_error_set(COSO_ENOMEM, "out of memory");
done:
	coso_csv_free(csv);
	free(why);
	free(comp);
	free_overrides(ov, nov);
	return rc;
}

int coso_calendar_load_overrides(coso_calendar *cal, const char *path)
{
	FILE *fp = fopen(path, "rb");
	int rc;

	if (fp == NULL)
		return coso_error_set(COSO_EIO, "%s: cannot open: %s", path, strerror(errno));
	rc = load_overrides(cal, fp, path);
	fclose(fp);
	return rc;
}

/* ---- Public: the calendar every deadline uses ----------------------------- */

/* data/calendar/vn-overrides.csv, compiled in (calendar_data.c, made by CMake). */
extern const char coso_shipped_overrides[];
extern const size_t coso_shipped_overrides_len;

static coso_calendar *default_cal;

int coso_calendar_configure(const char *extra_path)
{
	coso_calendar *cal = NULL;
	FILE *fp;
	int rc;

	if ((rc = coso_calendar_new(&cal)) < 0)
		return rc;
	fp = fmemopen((void *)(uintptr_t)coso_shipped_overrides, coso_shipped_overrides_len, "rb");
	if (fp == NULL) {
		coso_calendar_free(cal);
		return coso_error_set(COSO_ENOMEM, "out of memory");
	}
	rc = load_overrides(cal, fp, "vn-overrides.csv");
	fclose(fp);
	if (rc == 0 && extra_path)
		rc = coso_calendar_load_overrides(cal, extra_path);
	if (rc < 0) {
		coso_calendar_free(cal);
		return rc;
	}
	coso_calendar_free(default_cal);
	default_cal = cal;
	return 0;
}

const coso_calendar *coso_calendar_default(void)
{
	if (default_cal == NULL && coso_calendar_configure(NULL) < 0)
		return NULL;
	return default_cal;
}

void coso_calendar_shutdown(void)
{
	coso_calendar_free(default_cal);
	default_cal = NULL;
}

/* ---- Public: queries ---------------------------------------------------- */

coso_dayoff coso_calendar_dayoff(const coso_calendar *cal, coso_day day)
{
	if (!in_range(day))
		return COSO_DAYOFF_OUT_OF_RANGE;
	return (coso_dayoff)cal->why[idx(day)];
}

bool coso_is_workday(const coso_calendar *cal, coso_day day)
{
	return coso_calendar_dayoff(cal, day) == COSO_DAYOFF_NONE;
}

const char *coso_calendar_why(const coso_calendar *cal, coso_day day)
{
	coso_dayoff why = coso_calendar_dayoff(cal, day);

	if (why == COSO_DAYOFF_COMPENSATORY && compensatory_name[cal->comp[idx(day)]] != NULL)
		return compensatory_name[cal->comp[idx(day)]];
	return dayoff_name[why];
}

const char *coso_calendar_note(const coso_calendar *cal, coso_day day)
{
	const struct override *o;

	if (!in_range(day))
		return NULL;
	o = find_override(cal->ov, cal->nov, day);
	return o ? o->note : NULL;
}

/* Sets the error for a day outside the calendar; `what` names it. */
static int out_of_range(const char *what, coso_day day)
{
	char buf[COSO_DATE_BUFSZ];

	return coso_error_set(COSO_EINVALID, "%s %s is outside the working-day calendar (1995-01-01..2100-12-31)",
			      what, coso_date_format(buf, day));
}

int coso_add_workdays(coso_day *out, const coso_calendar *cal, coso_day day, int n)
{
	char buf[COSO_DATE_BUFSZ];
	coso_day d = day;
	int step = n < 0 ? -1 : 1, left = n < 0 ? -n : n;

	if (n > COSO_WORKDAYS_MAX_N || n < -COSO_WORKDAYS_MAX_N)
		return coso_error_set(COSO_EINVALID, "%d working days is more than the limit of %d", n,
				      COSO_WORKDAYS_MAX_N);
	if (!in_range(day))
		return out_of_range("day", day);
	if (n == 0) {
		while (in_range(d) && !coso_is_workday(cal, d))
			d++;
	} else {
		while (left > 0 && in_range(d)) {
			d += step;
			if (in_range(d) && coso_is_workday(cal, d))
				left--;
		}
	}
	if (!in_range(d))
		return coso_error_set(COSO_EINVALID,
				      "%d working day(s) from %s reach beyond the working-day calendar "
				      "(1995-01-01..2100-12-31)",
				      n, coso_date_format(buf, day));
	*out = d;
	return 0;
}

int coso_count_workdays(const coso_calendar *cal, coso_day from, coso_day to)
{
	char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ];
	int n = 0;

	if (from > to)
		return coso_error_set(COSO_EINVALID, "the range %s..%s ends before it starts",
				      coso_date_format(a, from), coso_date_format(b, to));
	if (!in_range(from))
		return out_of_range("day", from);
	if (to != COSO_CALENDAR_LAST_DAY + 1 && !in_range(to))
		return out_of_range("day", to);
	for (coso_day d = from; d < to; d++)
		n += cal->why[idx(d)] == COSO_DAYOFF_NONE;
	return n;
}

int coso_add_calendar_days(coso_day *out, coso_day day, int n)
{
	const coso_day first = -719162, last = 2932896; /* 0001-01-01, 9999-12-31 */

	if (n > COSO_WORKDAYS_MAX_N || n < -COSO_WORKDAYS_MAX_N)
		return coso_error_set(COSO_EINVALID, "%d days is more than the limit of %d", n, COSO_WORKDAYS_MAX_N);
	if (day < first || day > last || day + n < first || day + n > last)
		return coso_error_set(COSO_EINVALID, "day %ld + %d is not a day of years 0001..9999", (long)day, n);
	*out = day + n;
	return 0;
}

int coso_deadline_in_days(coso_day *out, const coso_calendar *cal, coso_day day, int n)
{
	coso_day end = 0; /* set by coso_add_calendar_days (GCC -O3 cannot see it) */
	int rc;

	if (n < 0)
		return coso_error_set(COSO_EINVALID, "a period of %d days: the number of days must not be negative", n);
	if (!in_range(day))
		return out_of_range("day", day);
	if ((rc = coso_add_calendar_days(&end, day, n)) < 0)
		return rc;
	/* Bộ luật Dân sự 2015 Điều 148 khoản 5: a period whose last day is a
	 * weekly rest day or a holiday ends at the end of the next working day. */
	return coso_add_workdays(out, cal, end, 0);
}
