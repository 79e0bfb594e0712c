/*
 * lunar.c: the Vietnamese lunisolar calendar, computed for UTC+7.
 *
 * The year is cut at month 11. A "sui" here is the run of lunar months from
 * the month 11 that contains one December solstice up to (not including) the
 * month 11 that contains the next: 12 months, or 13 in a leap year. Every
 * conversion builds the sui it needs (14 new moons, a few sun longitudes)
 * and looks the day or the month up in it; nothing is cached, so the module
 * has no state and is safe in any thread.
 *
 * Days are Julian day numbers (JDN) inside this file and coso_day numbers at
 * its edges. The astronomy is the truncated series that Hồ Ngọc Đức took from
 * Jean Meeus for his Vietnamese calendar (new moon: Meeus's mean phase with
 * its main periodic terms and a ΔT polynomial; sun: mean longitude plus the
 * equation of centre), written here from the published formulas. Its results
 * near midnight are what Vietnamese calendars print, which is what matters
 * for a holiday, even where a modern ephemeris would move a new moon by a
 * minute across midnight.
 */
#include "util/lunar.h"

#include "util/error.h"

#include <math.h>

#define PI 3.14159265358979323846
#define DEG (PI / 180.0)
#define JDN_1970 2440588L               /* Julian day number of 1970-01-01 */
#define JDN_1900 2415021L               /* Julian day number of 1900-01-01 */
#define SYNODIC_MONTH 29.530588853      /* mean length of a lunation, days */
#define NEW_MOON_0 2415021.076998695    /* Julian date of the mean new moon k = 0 (1900-01-01) */

/* Official time, Quyết định 121-CP ngày 8/8/1967, Điều 1 (múi giờ thứ 7, from
 * 1968-01-01), as restated by Quyết định 134/2002/QĐ-TTg: UTC+7, in days. */
#define VN_UTC_OFFSET (7.0 / 24.0)

#define SUI_MAX 13

struct sui {
	int year;                 /* Gregorian year of the solstice month 11 contains */
	long start[SUI_MAX + 1];  /* JDN of the first day of month i after month 11 (start[0]: month 11) */
	int n;                    /* months in the sui: 12, or 13 */
	int leap;                 /* index of the leap month (1..12), 0 when n == 12 */
};

/* Julian day number of the Vietnamese civil day on which the k-th new moon
 * after that of 1900-01-01 falls. */
static long new_moon_jdn(long k)
{
	double t = (double)k / 1236.85; /* Julian centuries since 1900-01-01 */
	double t2 = t * t, t3 = t2 * t;
	double jd, m, mp, f, c, delta_t;

	jd = 2415020.75933 + 29.53058868 * (double)k + 0.0001178 * t2 - 0.000000155 * t3;
	jd = jd + 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * DEG);
	m = 359.2242 + 29.10535608 * (double)k - 0.0000333 * t2 - 0.00000347 * t3;    /* sun's mean anomaly */
	mp = 306.0253 + 385.81691806 * (double)k + 0.0107306 * t2 + 0.00001236 * t3; /* moon's mean anomaly */
	f = 21.2964 + 390.67050646 * (double)k - 0.0016528 * t2 - 0.00000239 * t3;    /* moon's argument of latitude */
	c = (0.1734 - 0.000393 * t) * sin(m * DEG) + 0.0021 * sin(2 * DEG * m);
	c = c - 0.4068 * sin(mp * DEG) + 0.0161 * sin(DEG * 2 * mp);
	c = c - 0.0004 * sin(DEG * 3 * mp);
	c = c + 0.0104 * sin(DEG * 2 * f) - 0.0051 * sin(DEG * (m + mp));
	c = c - 0.0074 * sin(DEG * (m - mp)) + 0.0004 * sin(DEG * (2 * f + m));
	c = c - 0.0004 * sin(DEG * (2 * f - m)) - 0.0006 * sin(DEG * (2 * f + mp));
	c = c + 0.0010 * sin(DEG * (2 * f - mp)) + 0.0005 * sin(DEG * (2 * mp + m));
	/* ΔT in days; the polynomial for years after 800 AD (t >= -11). */
	delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2;
	return (long)floor(jd + c - delta_t + 0.5 + VN_UTC_OFFSET);
}

/* The sun's longitude at the local midnight that starts day `jdn`, as the
 * index (0..11) of the 30-degree sector it is in: sector 9 begins at the
 * December solstice (270 degrees); a major solar term (trung khí) is the
 * crossing into a new sector. */
static int sun_sector(long jdn)
{
	double t = ((double)jdn - 2451545.5 - VN_UTC_OFFSET) / 36525.0; /* centuries since J2000 */
	double t2 = t * t;
	double m, l0, dl, l;

	m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2; /* mean anomaly */
	l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;                      /* mean longitude */
	dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(DEG * m);
	dl = dl + (0.019993 - 0.000101 * t) * sin(DEG * 2 * m) + 0.000290 * sin(DEG * 3 * m);
	l = (l0 + dl) * DEG;
	l = l - PI * 2 * floor(l / (PI * 2));
	return (int)floor(l / PI * 6);
}

static long jdn_of_day(coso_day d)
{
	return (long)d + JDN_1970;
}

/* First day (JDN) of the lunar month 11 that contains the December solstice
 * of Gregorian year y: the last new moon before the end of the year, or the
 * one before it when the sun has already passed 270 degrees at its start. */
static long month11_jdn(int y)
{
	long off = jdn_of_day(coso_date_from_ymd(y, 12, 31)) - JDN_1900;
	long k = (long)floor((double)off / SYNODIC_MONTH);
	long nm = new_moon_jdn(k);

	if (sun_sector(nm) >= 9)
		nm = new_moon_jdn(k - 1);
	return nm;
}

/* Builds the sui that starts with the month 11 of Gregorian year y. Returns
 * 0, or COSO_ERR if the astronomy contradicts itself (not seen in range). */
static int sui_build(struct sui *s, int y)
{
	long a11 = month11_jdn(y), b11 = month11_jdn(y + 1);
	long k0 = (long)floor(((double)a11 - NEW_MOON_0) / SYNODIC_MONTH + 0.5);

	s->year = y;
	s->n = b11 - a11 > 365 ? 13 : 12;
	s->leap = 0;
	for (int i = 0; i <= SUI_MAX; i++)
		s->start[i] = new_moon_jdn(k0 + i);
	if (s->start[0] != a11 || s->start[s->n] != b11)
		return coso_error_set(COSO_ERR, "lunar calendar: the months of %d do not add up", y);
	if (s->n == 13) {
		/* The leap month is the first after month 11 in which the sun
		 * enters no new sector, i.e. that contains no major term. */
		int prev = sun_sector(s->start[1]);

		for (int i = 1; i < SUI_MAX && s->leap == 0; i++) {
			int next = sun_sector(s->start[i + 1]);

			if (next == prev)
				s->leap = i;
			prev = next;
		}
		if (s->leap == 0)
			return coso_error_set(COSO_ERR, "lunar calendar: no leap month found in %d", y);
	}
	return 0;
}

/* Month number (1..12) of the i-th month of the sui; *leap tells whether it
 * is the leap month, which repeats the number of the month before it. */
static int sui_month(const struct sui *s, int i, bool *leap)
{
	int o = i;

	*leap = false;
	if (s->leap > 0 && i >= s->leap) {
		o = i - 1;
		*leap = i == s->leap;
	}
	return (o + 10) % 12 + 1; /* o = 0 is month 11, 1 is 12, 2 is 1 */
}

/* Index of the sui's first month 1: months before it belong to lunar year
 * s->year, months from it on to lunar year s->year + 1. */
static int sui_first_month1(const struct sui *s)
{
	return s->leap > 0 && s->leap <= 2 ? 3 : 2;
}

static bool day_in_range(coso_day d)
{
	return d >= COSO_LUNAR_FIRST_DAY && d <= COSO_LUNAR_LAST_DAY;
}

int coso_lunar_from_solar(coso_lunar_date *out, coso_day day)
{
	struct sui s;
	long jdn = jdn_of_day(day);
	int y, rc, i;

	if (!day_in_range(day)) {
		char buf[COSO_DATE_BUFSZ];

		return coso_error_set(COSO_EINVALID,
				      "day %ld (%s) is outside the lunar calendar's range 1968-01-01..2100-12-31",
				      (long)day, coso_date_format(buf, day));
	}
	coso_date_to_ymd(day, &y, NULL, NULL);
	if ((rc = sui_build(&s, jdn >= month11_jdn(y) ? y : y - 1)) < 0)
		return rc;
	for (i = 0; i < s.n - 1 && jdn >= s.start[i + 1]; i++)
		;
	out->month = sui_month(&s, i, &out->leap);
	out->year = i < sui_first_month1(&s) ? s.year : s.year + 1;
	out->day = (int)(jdn - s.start[i]) + 1;
	return 0;
}

/* Finds the sui and the index of lunar month (year, month, leap). Returns 0,
 * or COSO_EINVALID when that month does not exist. */
static int find_month(struct sui *s, int *index, int year, int month, bool leap)
{
	int rc, first;

	if (month < 1 || month > 12)
		return coso_error_set(COSO_EINVALID, "lunar month %d does not exist (months are 1..12)", month);
	if (year < COSO_LUNAR_FIRST_YEAR - 1 || year > COSO_LUNAR_LAST_YEAR)
		return coso_error_set(COSO_EINVALID, "lunar year %d is outside the range %d..%d", year,
				      COSO_LUNAR_FIRST_YEAR, COSO_LUNAR_LAST_YEAR);
	/* Months 11 and 12 open the sui of their own year's solstice; months
	 * 1..10 are in the sui that began the December before. */
	if ((rc = sui_build(s, month >= 11 ? year : year - 1)) < 0)
		return rc;
	first = sui_first_month1(s);
	for (int i = 0; i < s->n; i++) {
		bool is_leap;
		int m = sui_month(s, i, &is_leap);
		int y = i < first ? s->year : s->year + 1;

		if (m == month && is_leap == leap && y == year) {
			*index = i;
			return 0;
		}
	}
	if (leap)
		return coso_error_set(COSO_EINVALID, "lunar year %d has no leap month %d", year, month);
	return coso_error_set(COSO_EINVALID, "lunar month %d of %d not found", month, year);
}

int coso_lunar_to_solar(coso_day *out, const coso_lunar_date *date)
{
	struct sui s;
	int i, rc, len;
	coso_day day;

	if ((rc = find_month(&s, &i, date->year, date->month, date->leap)) < 0)
		return rc;
	len = (int)(s.start[i + 1] - s.start[i]);
	if (date->day < 1 || date->day > len)
		return coso_error_set(COSO_EINVALID, "lunar date %d/%d%s/%d does not exist (that month has %d days)",
				      date->day, date->month, date->leap ? " nhuận" : "", date->year, len);
	day = (coso_day)(s.start[i] + date->day - 1 - JDN_1970);
	if (!day_in_range(day))
		return coso_error_set(COSO_EINVALID,
				      "lunar date %d/%d%s/%d falls outside the range 1968-01-01..2100-12-31",
				      date->day, date->month, date->leap ? " nhuận" : "", date->year);
	*out = day;
	return 0;
}

int coso_lunar_month_length(int *out, int year, int month, bool leap)
{
	struct sui s;
	int i, rc;

	if ((rc = find_month(&s, &i, year, month, leap)) < 0)
		return rc;
	*out = (int)(s.start[i + 1] - s.start[i]);
	return 0;
}

int coso_lunar_leap_month(int *out, int year)
{
	struct sui s;
	int rc;
	bool leap;

	if (year < COSO_LUNAR_FIRST_YEAR || year > COSO_LUNAR_LAST_YEAR)
		return coso_error_set(COSO_EINVALID, "lunar year %d is outside the range %d..%d", year,
				      COSO_LUNAR_FIRST_YEAR, COSO_LUNAR_LAST_YEAR);
	/* Months 1..10 (and a leap month among them) are in the sui that began
	 * the December before; a leap 11 or 12 is in the year's own sui. */
	if ((rc = sui_build(&s, year - 1)) < 0)
		return rc;
	if (s.leap >= sui_first_month1(&s)) {
		*out = sui_month(&s, s.leap, &leap);
		return 0;
	}
	if ((rc = sui_build(&s, year)) < 0)
		return rc;
	*out = s.leap > 0 && s.leap < sui_first_month1(&s) ? sui_month(&s, s.leap, &leap) : 0;
	return 0;
}
