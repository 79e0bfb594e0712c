/*
 * lunar.h: the Vietnamese lunisolar calendar (âm lịch), solar day <-> lunar
 * (year, month, day, leap month).
 *
 * The calendar is computed astronomically, as the State has computed it since
 * Quyết định 121-CP (8 August 1967): months begin on the day of the new moon,
 * reckoned in official Vietnamese time, UTC+7 (the 7th time zone, from
 * 1968-01-01; restated by Quyết định 134/2002/QĐ-TTg); month 11 is the month
 * that contains the December solstice; in a year of 13 months the first month
 * after month 11 without a major solar term (trung khí) is the leap month and
 * takes the number of the month before it. New moons and the sun's longitude
 * follow the truncated series of Jean Meeus (Astronomical Algorithms) in the
 * form Hồ Ngọc Đức published for the Vietnamese calendar, so the results are
 * his tables' (Tết 1985 on 1985-01-21, a month before China's; Tết 2007 on
 * 2007-02-17, a day before China's).
 *
 * Range: solar days 1968-01-01 .. 2100-12-31 (COSO_LUNAR_FIRST_YEAR ..
 * COSO_LUNAR_LAST_YEAR). Before 1968 Vietnam reckoned the calendar in UTC+8,
 * and the South kept UTC+8 until 1975 (its Tết 1968 and 1969 fell a day after
 * the North's); this module gives the official UTC+7 calendar only and refuses
 * days outside the range rather than give a date nobody used.
 *
 * A lunar year is named by the Gregorian year in which its Tết falls: lunar
 * 2025 (Ất Tỵ) runs from 2025-01-29 to 2026-02-16.
 */
#ifndef COSO_UTIL_LUNAR_H
#define COSO_UTIL_LUNAR_H

#include <stdbool.h>

#include "util/date.h"

#define COSO_LUNAR_FIRST_YEAR 1968
#define COSO_LUNAR_LAST_YEAR 2100

typedef struct coso_lunar_date {
	int year;  /* lunar year, named by the Gregorian year of its Tết */
	int month; /* 1..12 */
	int day;   /* 1..30 */
	bool leap; /* the month is a leap month (tháng nhuận) */
} coso_lunar_date;

/* First and last solar days the conversions accept. */
#define COSO_LUNAR_FIRST_DAY ((coso_day)-731)  /* 1968-01-01 */
#define COSO_LUNAR_LAST_DAY ((coso_day)47846)  /* 2100-12-31 */

/* Converts a solar day into *out. Returns 0, or COSO_EINVALID (message in
 * the error slot) when the day is outside the range; *out is then untouched. */
int coso_lunar_from_solar(coso_lunar_date *out, coso_day day);

/* Converts a lunar date into its solar day. Returns 0, or COSO_EINVALID when
 * the date does not exist (day 30 of a 29-day month, a leap flag on a month
 * that is not that year's leap month, month outside 1..12) or its solar day
 * is outside the range; *out is then untouched. */
int coso_lunar_to_solar(coso_day *out, const coso_lunar_date *date);

/* Number of days (29 or 30) of a lunar month into *out. Same failures as
 * coso_lunar_to_solar() for day 1 of that month. */
int coso_lunar_month_length(int *out, int year, int month, bool leap);

/* The month that lunar year `year` doubles (1..12) into *out, 0 when the year
 * has no leap month. Returns 0, or COSO_EINVALID for a year outside
 * COSO_LUNAR_FIRST_YEAR..COSO_LUNAR_LAST_YEAR. */
int coso_lunar_leap_month(int *out, int year);

#endif
