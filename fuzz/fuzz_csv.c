/*
 * fuzz_csv.c: the CSV reader (util/csv.h) on any bytes.
 *
 * The input is the whole file, read through fmemopen(). Every record is
 * walked and checked against the reader's contract: 1..COSO_CSV_MAX_FIELDS
 * fields, each at most COSO_CSV_MAX_FIELD bytes, NUL-free (its length is its
 * strlen), valid UTF-8; record lines never go backwards; field i beyond the
 * record is NULL with length 0; an error is sticky (the next call returns
 * it again) and names a line.
 */
#define _GNU_SOURCE /* fmemopen */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util/csv.h"
#include "util/error.h"

/* Whether s[0..n) is valid UTF-8 (RFC 3629), written independently of csv.c. */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned long cp;
		size_t k, need;

		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xE0) == 0xC0) {
			need = 1;
			cp = s[i] & 0x1F;
		} else if ((s[i] & 0xF0) == 0xE0) {
			need = 2;
			cp = s[i] & 0x0F;
		} else if ((s[i] & 0xF8) == 0xF0) {
			need = 3;
			cp = s[i] & 0x07;
		} else {
			return 0;
		}
		if (n - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += need + 1;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);
	FILE *fp;
	coso_csv *csv = NULL;
	long last_line = 0;
	int rc;

	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	fp = size ? fmemopen(copy, size, "r") : fopen("/dev/null", "r");
	if (!fp)
		goto done;
	if (!(csv = coso_csv_new(fp)))
		goto done;
	while ((rc = coso_csv_next(csv)) == 1) {
		size_t n = coso_csv_nfields(csv), len = 99;

		FUZZ_CHECK(n >= 1 && n <= COSO_CSV_MAX_FIELDS);
		FUZZ_CHECK(coso_csv_line(csv) >= 1 && coso_csv_line(csv) > last_line);
		last_line = coso_csv_line(csv);
		for (size_t i = 0; i < n; i++) {
			const char *f = coso_csv_field(csv, i, &len);

			FUZZ_CHECK(f != NULL);
			FUZZ_CHECK(len <= COSO_CSV_MAX_FIELD);
			FUZZ_CHECK(strlen(f) == len);
			FUZZ_CHECK(valid_utf8((const unsigned char *)f, len));
		}
		FUZZ_CHECK(coso_csv_field(csv, n, &len) == NULL && len == 0);
		FUZZ_CHECK(coso_csv_offset(csv) >= 0 && (size_t)coso_csv_offset(csv) <= size);
	}
	FUZZ_CHECK(rc == 0 || rc == COSO_EINVALID);
	if (rc == COSO_EINVALID) {
		FUZZ_CHECK(coso_csv_error_line(csv) >= 1);
		FUZZ_CHECK(coso_csv_error_line(csv) >= last_line);
		FUZZ_CHECK(*coso_csv_error_text(csv) != '\0');
		FUZZ_CHECK(strstr(coso_error_last(), coso_csv_error_text(csv)) != NULL);
		FUZZ_CHECK(coso_csv_next(csv) == COSO_EINVALID);
		FUZZ_CHECK(coso_csv_nfields(csv) == 0);
	} else {
		FUZZ_CHECK(coso_csv_next(csv) == 0);
	}
done:
	coso_csv_free(csv);
	if (fp)
		fclose(fp);
	free(copy);
	return 0;
}
