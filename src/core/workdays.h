/*
 * workdays.h: the working-day calendar of State bodies (cơ quan hành chính,
 * sự nghiệp, tổ chức chính trị, chính trị - xã hội), for deadlines counted in
 * working days (ngày làm việc) or in days (ngày) that must end on one.
 *
 * A day is a working day unless it is a weekly rest day, a public holiday, a
 * compensatory day off, or a day the overrides declare off; an override can
 * also make any day a working day (a make-up Saturday). The rules, each
 * named by its legal source in workdays.c and docs/CALENDAR.md:
 *
 * - weekly rest: Sunday; Saturday too from 1999-10-02 (Quyết định
 *   188/1999/QĐ-TTg, the 40-hour week of State bodies);
 * - holidays: Bộ luật Lao động 1994 Điều 73 (from 1995-01-01; Giỗ Tổ Hùng
 *   Vương added by Luật 84/2007/QH11), Bộ luật Lao động 2012 Điều 115 (from
 *   2013-05-01: Tết 5 days), Bộ luật Lao động 2019 Điều 112 (from 2021-01-01:
 *   Quốc khánh 2 days);
 * - a holiday on a weekly rest day gives a compensatory day off (nghỉ bù) on
 *   the next working day (BLLĐ 2019 Điều 111 khoản 3; BLLĐ 2012 Điều 115
 *   khoản 3; BLLĐ 1994 Điều 73);
 * - the days of Tết and the day next to Quốc khánh are decided each year by
 *   the Prime Minister (BLLĐ 2019 Điều 112 khoản 3): defaults, replaced by
 *   the overrides file's declarations, as are the swaps (hoán đổi) of a
 *   working day with a Saturday.
 *
 * The calendar covers COSO_CALENDAR_FIRST_YEAR (1995, the first Labour Code)
 * to COSO_CALENDAR_LAST_YEAR (2100, the lunar calendar's end); days outside
 * are refused, not guessed.
 *
 * A coso_calendar is read-only once built: any number of threads may query
 * one calendar at once; loading overrides needs exclusive access.
 */
#ifndef COSO_CORE_WORKDAYS_H
#define COSO_CORE_WORKDAYS_H

#include <stdbool.h>

#include "util/date.h"

#define COSO_CALENDAR_FIRST_YEAR 1995
#define COSO_CALENDAR_LAST_YEAR 2100
#define COSO_CALENDAR_FIRST_DAY ((coso_day)9131)  /* 1995-01-01 */
#define COSO_CALENDAR_LAST_DAY ((coso_day)47846)  /* 2100-12-31 */

/* Largest |n| accepted by coso_add_workdays() and coso_add_calendar_days(). */
#define COSO_WORKDAYS_MAX_N 3650

/* Most override rows one calendar holds (over all files loaded). */
#define COSO_CALENDAR_MAX_OVERRIDES 10000

typedef struct coso_calendar coso_calendar;

/* Why a day is not a working day. */
typedef enum coso_dayoff {
	COSO_DAYOFF_NONE = 0,     /* a working day */
	COSO_DAYOFF_SATURDAY,     /* thứ Bảy (weekly rest from 1999-10-02) */
	COSO_DAYOFF_SUNDAY,       /* Chủ nhật */
	COSO_DAYOFF_NEW_YEAR,     /* Tết Dương lịch, 1/1 */
	COSO_DAYOFF_TET,          /* Tết Nguyên đán (Tết Âm lịch) */
	COSO_DAYOFF_HUNG_KINGS,   /* Giỗ Tổ Hùng Vương, 10/3 âm lịch (from 2007) */
	COSO_DAYOFF_VICTORY,      /* Ngày Chiến thắng, 30/4 */
	COSO_DAYOFF_LABOUR,       /* Ngày Quốc tế Lao động, 1/5 */
	COSO_DAYOFF_NATIONAL,     /* Quốc khánh, 2/9 (and the day next to it from 2021) */
	COSO_DAYOFF_COMPENSATORY, /* nghỉ bù for a holiday that fell on a rest day */
	COSO_DAYOFF_DECLARED,     /* a day off declared in the overrides (hoán đổi) */
	COSO_DAYOFF_OUT_OF_RANGE, /* outside COSO_CALENDAR_FIRST_DAY..LAST_DAY */
	COSO_DAYOFF_MAX
} coso_dayoff;

/* Builds the calendar of the rules alone, without overrides, into *out.
 * Returns 0, COSO_ENOMEM, or COSO_ERR if the lunar calendar fails. The
 * caller frees it with coso_calendar_free(). */
int coso_calendar_new(coso_calendar **out);

/* Frees a calendar; accepts NULL. */
void coso_calendar_free(coso_calendar *cal);

/* Reads an overrides file (format in docs/CALENDAR.md: a header
 * `date,kind,note`, then one row per day, kind `holiday`, `workday`, `tet`
 * or `quoc-khanh`) and rebuilds the calendar with it and the files loaded
 * before. All or nothing: on failure the calendar is unchanged and the error
 * slot holds the first problem as `FILE:LINE: column: message`. Returns 0,
 * COSO_EIO (cannot read), COSO_EINVALID (a bad row, a date listed twice, a
 * row that changes nothing, more than COSO_CALENDAR_MAX_OVERRIDES rows) or
 * COSO_ENOMEM. */
int coso_calendar_load_overrides(coso_calendar *cal, const char *path);

/* The calendar every deadline of coso uses: the rules, the overrides shipped
 * with coso (data/calendar/vn-overrides.csv, compiled in) and, when given,
 * the overrides file `extra_path` (`coso --calendar FILE`: the make-up days
 * the government declares after a release). coso_calendar_configure builds
 * it (all or nothing; the error names FILE:LINE: column); call it before
 * threads use the calendar. coso_calendar_default returns it, building it
 * without an extra file on first use (not thread-safe: the CLI and the
 * server configure it at start); NULL when it cannot be built (error slot).
 * coso_calendar_shutdown frees it. */
int coso_calendar_configure(const char *extra_path);
const coso_calendar *coso_calendar_default(void);
void coso_calendar_shutdown(void);

/* True when `day` is a working day. Days outside the calendar are not. */
bool coso_is_workday(const coso_calendar *cal, coso_day day);

/* Why `day` is not a working day (COSO_DAYOFF_NONE when it is one). */
coso_dayoff coso_calendar_dayoff(const coso_calendar *cal, coso_day day);

/* For messages: NULL for a working day, else a static Vietnamese phrase, e.g.
 * "Tết Nguyên đán", "Giỗ Tổ Hùng Vương", "thứ Bảy", "nghỉ bù Quốc khánh",
 * "ngày nghỉ hoán đổi", "ngoài phạm vi lịch (1995–2100)". */
const char *coso_calendar_why(const coso_calendar *cal, coso_day day);

/* The note of the override row for `day` (owned by the calendar, valid
 * until it is freed or reloaded), or NULL when no row names the day. A
 * make-up working day has a note but no coso_calendar_why(). */
const char *coso_calendar_note(const coso_calendar *cal, coso_day day);

/* The Nth working day after `day` into *out: n = 0 gives `day` itself if it
 * is a working day, else the next one; n > 0 counts working days strictly
 * after `day` (the day of the event is not counted: Bộ luật Dân sự 2015 Điều
 * 147); n < 0 counts |n| working days strictly before it. Returns 0, or
 * COSO_EINVALID (|n| > COSO_WORKDAYS_MAX_N, `day` or the result outside the
 * calendar) with *out untouched. */
int coso_add_workdays(coso_day *out, const coso_calendar *cal, coso_day day, int n);

/* Number of working days in [from, to). Returns the count (>= 0), or
 * COSO_EINVALID when from > to or either end is outside the calendar (`to`
 * may be the day after COSO_CALENDAR_LAST_DAY). */
int coso_count_workdays(const coso_calendar *cal, coso_day from, coso_day to);

/* day + n calendar days into *out. Returns 0, or COSO_EINVALID when |n| >
 * COSO_WORKDAYS_MAX_N or the result is outside years 0001..9999. */
int coso_add_calendar_days(coso_day *out, coso_day day, int n);

/* The end of a period of n days (n >= 0) that starts after `day`: day + n,
 * or, when that is not a working day, the next working day (Bộ luật Dân sự
 * 2015 Điều 148 khoản 5). Returns 0, or COSO_EINVALID as
 * coso_add_workdays(). */
int coso_deadline_in_days(coso_day *out, const coso_calendar *cal, coso_day day, int n);

#endif
