/*
 * fuzz_date.c: dates (util/date.h) both ways.
 *
 * The input as text: coso_date_parse() must accept it exactly when an
 * independent reading does (ten bytes YYYY-MM-DD, year 0001..9999, a day
 * that exists in the proleptic Gregorian calendar), and then format it back
 * byte for byte, and agree with coso_date_to_ymd() and with the next day.
 * The input's first four bytes as a day number: a day that formats to text
 * parses back to the same number; one that formats to "" is an open end or
 * outside years 1..9999.
 */
#include <string.h>

#include "fuzz.h"
#include "util/date.h"
#include "util/error.h"

/* The reference: is s[0..n) an existing day written YYYY-MM-DD? */
static int ref_valid(const uint8_t *s, size_t n, int *y, int *m, int *d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int v[3] = { 0, 0, 0 }, part = 0, leap, dim;

	if (n != 10)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return 0;
			part++;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v[part] = v[part] * 10 + (s[i] - '0');
	}
	*y = v[0];
	*m = v[1];
	*d = v[2];
	if (*y < 1 || *m < 1 || *m > 12 || *d < 1)
		return 0;
	leap = (*y % 400 == 0) || (*y % 4 == 0 && *y % 100 != 0);
	dim = mdays[*m - 1] + (*m == 2 && leap);
	return *d <= dim;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[COSO_DATE_BUFSZ], next[COSO_DATE_BUFSZ];
	coso_day day = 12345, back = 0;
	int y = 0, m = 0, d = 0, ry, rm, rd;
	int32_t raw;
	int rc = coso_date_parse(&day, (const char *)data, size);

	if (ref_valid(data, size, &ry, &rm, &rd)) {
		FUZZ_CHECK(rc == 0);
		FUZZ_CHECK(day > COSO_DAY_MIN && day < COSO_DAY_MAX);
		FUZZ_CHECK(strcmp(coso_date_format(buf, day), "") != 0);
		FUZZ_CHECK(memcmp(buf, data, 10) == 0 && buf[10] == '\0');
		coso_date_to_ymd(day, &y, &m, &d);
		FUZZ_CHECK(y == ry && m == rm && d == rd);
		FUZZ_CHECK(coso_date_from_ymd(y, m, d) == day);
		FUZZ_CHECK(d <= coso_date_days_in_month(y, m));
		/* the next day: one more, and it is the next calendar day */
		coso_date_format(next, day + 1);
		if (next[0]) {
			FUZZ_CHECK(coso_date_parse(&back, next, strlen(next)) == 0 && back == day + 1);
			FUZZ_CHECK(strcmp(next, buf) > 0);
		} else {
			FUZZ_CHECK(y == 9999 && m == 12 && d == 31);
		}
	} else {
		FUZZ_CHECK(rc == COSO_EINVALID);
		FUZZ_CHECK(day == 12345); /* untouched */
		FUZZ_CHECK(*coso_error_last() != '\0');
	}

	if (size >= 4) {
		memcpy(&raw, data, 4);
		coso_date_format(buf, raw);
		if (buf[0]) {
			FUZZ_CHECK(strlen(buf) == 10);
			FUZZ_CHECK(coso_date_parse(&back, buf, 10) == 0 && back == raw);
		} else {
			coso_date_to_ymd(raw > COSO_DAY_MIN && raw < COSO_DAY_MAX ? raw : 0, &y, NULL, NULL);
			FUZZ_CHECK(raw <= COSO_DAY_MIN || raw >= COSO_DAY_MAX || y < 1 || y > 9999);
		}
	}
	return 0;
}
