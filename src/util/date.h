/*
 * date.h: calendar dates as day numbers.
 *
 * A date is an int32_t counting days since 1970-01-01 (proleptic Gregorian),
 * negative before it. Periods are half-open [from, to): COSO_DAY_MIN stands for
 * "since always" and COSO_DAY_MAX for "still holds", so every period can be
 * compared without special cases and stored in indexed integer columns.
 */
#ifndef COSO_UTIL_DATE_H
#define COSO_UTIL_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t coso_day;

#define COSO_DAY_MIN ((coso_day)-10000000) /* open start: since always */
#define COSO_DAY_MAX ((coso_day)10000000)  /* open end: still holds */

/* Length of "YYYY-MM-DD" plus NUL. */
#define COSO_DATE_BUFSZ 11

/* Parses exactly "YYYY-MM-DD" (years 0001..9999) into *out. Rejects other
 * shapes, signs, spaces and days that do not exist (2018-02-30, 2019-02-29).
 * Returns 0, or COSO_EINVALID without touching *out. */
int coso_date_parse(coso_day *out, const char *s, size_t len);

/* Writes "YYYY-MM-DD" for a real day into buf (COSO_DATE_BUFSZ bytes); writes
 * "" for COSO_DAY_MIN / COSO_DAY_MAX. Returns buf. */
char *coso_date_format(char buf[COSO_DATE_BUFSZ], coso_day d);

/* Day number of a (year, month, day) that is known to be valid. */
coso_day coso_date_from_ymd(int y, int m, int d);

/* Splits a day number into year, month, day (any of the out pointers may be NULL). */
void coso_date_to_ymd(coso_day d, int *y, int *m, int *dd);

bool coso_date_is_leap(int y);
int coso_date_days_in_month(int y, int m);

/* Today in local time. */
coso_day coso_date_today(void);

#endif
