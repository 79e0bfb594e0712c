/*
 * vnfmt.c: numbers the way Vietnamese offices write them ('.' between
 * thousands, ',' before decimals). Everything is exact integer arithmetic, so
 * a percentage is rounded half away from zero on its true value, never on a
 * binary floating-point approximation of it.
 */
#include "util/vnfmt.h"

#include <stdbool.h>
#include <stdio.h>

/* Largest number of digits after the comma a percentage gets. */
#define MAX_DECIMALS 9

/* Sized for the longest thing written: a sign, 20 integer digits + 2 for the
 * percent scale with their separators, a comma, MAX_DECIMALS digits, '%'. */
#define SCRATCH 64

/* Magnitude of v, also for LLONG_MIN. */
static unsigned long long magnitude(long long v)
{
	return v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
}

/* Writes the digits `digits` (ndigits of them, most significant first) with a
 * '.' before every group of three counted from the right, into out; returns
 * the number of chars written. Leading zeros are dropped (one '0' kept). */
static size_t group_thousands(char *out, const char *digits, size_t ndigits)
{
	size_t i = 0, o = 0;

	while (i + 1 < ndigits && digits[i] == '0')
		i++;
	for (; i < ndigits; i++) {
		out[o++] = digits[i];
		if (i + 1 < ndigits && (ndigits - 1 - i) % 3 == 0)
			out[o++] = '.';
	}
	return o;
}

/* Decimal digits of u into digits (at least 20 bytes), most significant first;
 * returns how many. */
static size_t to_digits(char *digits, unsigned long long u)
{
	char rev[20];
	size_t n = 0;

	do {
		rev[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	for (size_t i = 0; i < n; i++)
		digits[i] = rev[n - 1 - i];
	return n;
}

/* Copies the finished scratch string into the caller's buffer, truncating. */
static char *deliver(char *buf, size_t n, const char *s)
{
	if (buf != NULL && n > 0)
		snprintf(buf, n, "%s", s);
	return buf;
}

/* Writes sign (if any) and the grouped magnitude of v into out. */
static void format_signed(char *out, long long v, const char *plus)
{
	char digits[20];
	size_t nd = to_digits(digits, magnitude(v));
	size_t o = 0;
	const char *sign = v < 0 ? "-" : v > 0 ? plus : "";

	while (*sign)
		out[o++] = *sign++;
	o += group_thousands(out + o, digits, nd);
	out[o] = '\0';
}

char *coso_vnfmt_int(char *buf, size_t n, long long v)
{
	char s[SCRATCH];

	format_signed(s, v, "");
	return deliver(buf, n, s);
}

char *coso_vnfmt_delta(char *buf, size_t n, long long v)
{
	char s[SCRATCH];

	format_signed(s, v, "+");
	return deliver(buf, n, s);
}

/*
 * r * 10 divided by w, for r < w, without overflow: returns the quotient digit
 * (0..9) and leaves the remainder in *r. Adds r to itself ten times modulo w,
 * counting the wraps.
 */
static int next_digit(unsigned long long *r, unsigned long long w)
{
	unsigned long long step = *r, acc = 0;
	int q = 0;

	for (int i = 0; i < 10; i++) {
		if (acc >= w - step) {  /* acc + step >= w, in range */
			acc -= w - step;
			q++;
		} else {
			acc += step;
		}
	}
	*r = acc;
	return q;
}

char *coso_vnfmt_percent(char *buf, size_t n, long long part, long long whole, int decimals)
{
	/* Digits of part/whole * 100 with `decimals` more, plus one for rounding. */
	char digits[20 + 2 + MAX_DECIMALS + 1];
	char s[SCRATCH];
	unsigned long long p, w, r;
	size_t nd, nint, o = 0;
	bool negative, zero = true;

	if (whole == 0)
		return deliver(buf, n, "\xE2\x80\x93"); /* U+2013 EN DASH */
	if (decimals < 0)
		decimals = 0;
	if (decimals > MAX_DECIMALS)
		decimals = MAX_DECIMALS;

	p = magnitude(part);
	w = magnitude(whole);
	negative = (part < 0) != (whole < 0);

	/* Integer quotient, then long division for the two digits of the
	 * percent scale, the decimals and one guard digit. */
	nd = to_digits(digits, p / w);
	r = p % w;
	for (int i = 0; i < 2 + decimals + 1; i++)
		digits[nd++] = (char)('0' + next_digit(&r, w));

	/* Round half away from zero: the magnitude is rounded up when the
	 * guard digit is 5 or more (what follows it can only add). */
	if (digits[--nd] >= '5') {
		size_t i = nd;

		while (i > 0 && digits[i - 1] == '9')
			digits[--i] = '0';
		if (i > 0) {
			digits[i - 1]++;
		} else {
			/* All nines carried out: one more leading digit. */
			for (size_t k = nd; k > 0; k--)
				digits[k] = digits[k - 1];
			digits[0] = '1';
			nd++;
		}
	}
	for (size_t i = 0; i < nd; i++)
		if (digits[i] != '0')
			zero = false;

	nint = nd - (size_t)decimals;
	if (negative && !zero)
		s[o++] = '-';
	o += group_thousands(s + o, digits, nint);
	if (decimals > 0) {
		s[o++] = ',';
		for (size_t i = nint; i < nd; i++)
			s[o++] = digits[i];
	}
	s[o++] = '%';
	s[o] = '\0';
	return deliver(buf, n, s);
}

char *coso_vnfmt_date(char *buf, size_t n, int y, int m, int d)
{
	if (buf != NULL && n > 0)
		snprintf(buf, n, "%02d/%02d/%04d", d, m, y);
	return buf;
}
