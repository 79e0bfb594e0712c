/*
 * date.c: calendar dates as day numbers since 1970-01-01, proleptic
 * Gregorian. The conversions are Howard Hinnant's exact integer algorithms
 * (days_from_civil / civil_from_days, "chrono-Compatible Low-Level Date
 * Algorithms"); no libc time function is used except by coso_date_today().
 */
#include "util/date.h"

#include "util/error.h"

#include <time.h>

/* Days from 0000-03-01 to 1970-01-01 in Hinnant's shifted calendar. */
#define EPOCH_SHIFT 719468L
#define DAYS_PER_ERA 146097L /* 400 Gregorian years */

bool coso_date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int coso_date_days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && coso_date_is_leap(y))
		return 29;
	return days[m - 1];
}

coso_day coso_date_from_ymd(int y, int m, int d)
{
	long yy = (long)y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;                                    /* [0, 399] */
	long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  /* [0, 365] */
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;             /* [0, 146096] */

	return (coso_day)(era * DAYS_PER_ERA + doe - EPOCH_SHIFT);
}

void coso_date_to_ymd(coso_day d, int *y, int *m, int *dd)
{
	long z = (long)d + EPOCH_SHIFT;
	long era = (z >= 0 ? z : z - (DAYS_PER_ERA - 1)) / DAYS_PER_ERA;
	long doe = z - era * DAYS_PER_ERA;                                     /* [0, 146096] */
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;      /* [0, 399] */
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                    /* [0, 365] */
	long mp = (5 * doy + 2) / 153;                                         /* [0, 11] */
	long day = doy - (153 * mp + 2) / 5 + 1;                               /* [1, 31] */
	long month = mp < 10 ? mp + 3 : mp - 9;                                /* [1, 12] */
	long year = yoe + era * 400 + (month <= 2);

	if (y)
		*y = (int)year;
	if (m)
		*m = (int)month;
	if (dd)
		*dd = (int)day;
}

/* Value of n ASCII digits at s, or -1 if any of them is not a digit. */
static int parse_digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int coso_date_parse(coso_day *out, const char *s, size_t len)
{
	int y, m, d;

	if (s == NULL || len != 10 || s[4] != '-' || s[7] != '-')
		goto invalid;
	y = parse_digits(s, 4);
	m = parse_digits(s + 5, 2);
	d = parse_digits(s + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > coso_date_days_in_month(y, m))
		goto invalid;
	*out = coso_date_from_ymd(y, m, d);
	return 0;

invalid:
	return coso_error_set(COSO_EINVALID, "invalid date '%.*s' (expected an existing day as YYYY-MM-DD)",
			      s ? (int)(len > 40 ? 40 : len) : 0, s ? s : "");
}

/* Writes v as exactly n digits (zero-padded) at p. */
static void put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

char *coso_date_format(char buf[COSO_DATE_BUFSZ], coso_day d)
{
	int y, m, dd;

	buf[0] = '\0';
	if (d <= COSO_DAY_MIN || d >= COSO_DAY_MAX)
		return buf;
	coso_date_to_ymd(d, &y, &m, &dd);
	/* Days outside 0001..9999 cannot be written as YYYY-MM-DD, nor parsed
	 * back: they are written as "" like the open ends. */
	if (y < 1 || y > 9999)
		return buf;
	put_digits(buf, y, 4);
	buf[4] = '-';
	put_digits(buf + 5, m, 2);
	buf[7] = '-';
	put_digits(buf + 8, dd, 2);
	buf[10] = '\0';
	return buf;
}

coso_day coso_date_today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL)
		return coso_date_from_ymd(1970, 1, 1);
	return coso_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
