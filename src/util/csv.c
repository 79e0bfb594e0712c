/*
 * csv.c: the streaming RFC 4180 reader (see csv.h).
 *
 * Input is read with fread() into a 64 KiB buffer and scanned by a small state
 * machine; runs of ordinary bytes are copied by tight inner loops, so the
 * reader runs at memory speed rather than one call per byte. Fields are
 * stored NUL-terminated, one after another, in a buffer sized once for the
 * largest record the limits allow, so reading never reallocates.
 *
 * Line ends are LF or CRLF outside quotes (a CR not followed by LF there is an
 * error, except as the very last byte of the file). Inside quotes every byte is data, CR and CRLF included. Lines are
 * counted by LF. A NUL byte is rejected like invalid UTF-8: fields are handed
 * out as C strings and one would silently cut a field short.
 *
 * After an error the reader stays failed: later calls return the same error.
 */
#include "util/csv.h"

#include "util/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CSV_BUFSZ (64 * 1024)
#define CSV_DATASZ ((size_t)COSO_CSV_MAX_FIELDS * (COSO_CSV_MAX_FIELD + 1))

enum csv_state {
	ST_FIELD_START,  /* before the first byte of a field */
	ST_UNQUOTED,     /* inside an unquoted field */
	ST_QUOTED,       /* inside a quoted field */
	ST_QUOTE,        /* a quote seen inside a quoted field: "" or the end */
	ST_CR,           /* a CR seen outside quotes: LF must follow */
};

struct coso_csv {
	FILE *fp;
	unsigned char *buf;     /* CSV_BUFSZ bytes read ahead */
	size_t pos, len;        /* next byte, bytes in buf */
	long long base;         /* file offset of buf[0] */
	bool eof;               /* fread() reported the end (or an error) */
	bool started;           /* the first fill (and BOM check) is done */

	char *data;             /* fields, NUL-terminated, back to back */
	size_t off[COSO_CSV_MAX_FIELDS];
	size_t flen[COSO_CSV_MAX_FIELDS];
	size_t nfields;

	long line;              /* physical line of the next byte */
	long rec_line;          /* line where the current record starts */

	int failed;             /* sticky error code, 0 when none */
	char errmsg[256];
	long errline;           /* the line of the error, 0 when none */
	char errwhat[192];      /* the error without its line */
};

/* Bytes that end a run of ordinary bytes in an unquoted field. */
static const unsigned char unquoted_stop[256] = {
	['\0'] = 1, [','] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1,
};

coso_csv *coso_csv_new(FILE *fp)
{
	coso_csv *csv = calloc(1, sizeof(*csv));
	coso_csv *ret = NULL;

	if (csv == NULL)
		goto done;
	csv->fp = fp;
	csv->line = 1;
	csv->rec_line = 1;
	csv->buf = malloc(CSV_BUFSZ);
	csv->data = malloc(CSV_DATASZ);
	if (csv->buf == NULL || csv->data == NULL)
		goto done;
	ret = csv;
	csv = NULL;

done:
	coso_csv_free(csv);
	return ret;
}

void coso_csv_free(coso_csv *csv)
{
	if (csv == NULL)
		return;
	free(csv->buf);
	free(csv->data);
	free(csv);
}

size_t coso_csv_nfields(const coso_csv *csv)
{
	return csv->nfields;
}

/* Field i, or NULL (length 0) when i is not below coso_csv_nfields(). */
const char *coso_csv_field(const coso_csv *csv, size_t i, size_t *len)
{
	if (i >= csv->nfields) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = csv->flen[i];
	return csv->data + csv->off[i];
}

long coso_csv_line(const coso_csv *csv)
{
	return csv->rec_line;
}

long long coso_csv_offset(const coso_csv *csv)
{
	return csv->base + (long long)csv->pos;
}

/* Records a "line N: ..." error, makes it sticky and returns COSO_EINVALID. */
__attribute__((format(printf, 3, 4)))
static int csv_fail(coso_csv *csv, long line, const char *fmt, ...)
{
	char what[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(csv->errmsg, sizeof(csv->errmsg), "line %ld: %s", line, what);
	snprintf(csv->errwhat, sizeof(csv->errwhat), "%s", what);
	csv->errline = line;
	csv->failed = COSO_EINVALID;
	csv->nfields = 0;
	return coso_error_set(COSO_EINVALID, "%s", csv->errmsg);
}

/*
 * Refills buf. Returns 1 when bytes are there, 0 at end of file, COSO_EIO on
 * a read error. The first fill also skips a UTF-8 byte-order mark.
 */
static int csv_fill(coso_csv *csv)
{
	size_t got;

	if (csv->eof)
		return 0;
	csv->base += (long long)csv->len;
	csv->pos = 0;
	csv->len = 0;
	/* fread() only returns short at the end or on an error, but a short
	 * first read must not hide a BOM, so fill until 3 bytes or the end. */
	do {
		got = fread(csv->buf + csv->len, 1, CSV_BUFSZ - csv->len, csv->fp);
		csv->len += got;
	} while (got > 0 && !csv->started && csv->len < 3);
	if (ferror(csv->fp)) {
		int err = errno;

		csv->eof = true;
		csv->failed = COSO_EIO;
		snprintf(csv->errmsg, sizeof(csv->errmsg), "line %ld: read error: %s",
			 csv->line, strerror(err));
		return coso_error_set(COSO_EIO, "%s", csv->errmsg);
	}
	if (feof(csv->fp))
		csv->eof = true;
	if (!csv->started) {
		csv->started = true;
		if (csv->len >= 3 && memcmp(csv->buf, "\xEF\xBB\xBF", 3) == 0)
			csv->pos = 3;
	}
	return csv->pos < csv->len ? 1 : 0;
}

/*
 * Offset of the first byte of s[0..n) that is not valid UTF-8 (Unicode Table
 * 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or n.
 */
static size_t utf8_invalid_at(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		unsigned char lo = 0x80, hi = 0xBF;
		size_t need;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;      /* overlong */
			else if (c == 0xED)
				hi = 0x9F;      /* surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;      /* overlong */
			else if (c == 0xF4)
				hi = 0x8F;      /* above U+10FFFF */
		} else {
			return i;               /* C0, C1, F5..FF, stray continuation */
		}
		if (n - i - 1 < need)
			return i;               /* truncated sequence */
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k <= need; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return i;
		i += need + 1;
	}
	return n;
}

/* Counts the LFs in s[0..n), to turn an offset in a field into a line. */
static long count_lf(const char *s, size_t n)
{
	long lf = 0;

	for (size_t i = 0; i < n; i++)
		lf += s[i] == '\n';
	return lf;
}

/*
 * Ends the field that started at data offset *fstart (on line fline) and runs
 * to *used: checks its UTF-8, records it and NUL-terminates it. When it is not
 * the last of its record, checks that another field may follow. Returns 0 or
 * COSO_EINVALID.
 */
static int csv_end_field(coso_csv *csv, size_t *used, size_t *fstart, unsigned char high,
			 long fline, bool last)
{
	char *field = csv->data + *fstart;
	size_t len = *used - *fstart;

	if (high & 0x80) {
		size_t bad = utf8_invalid_at((const unsigned char *)field, len);

		if (bad < len)
			return csv_fail(csv, fline + count_lf(field, bad),
					"invalid UTF-8 in field %zu", csv->nfields + 1);
	}
	csv->off[csv->nfields] = *fstart;
	csv->flen[csv->nfields] = len;
	csv->nfields++;
	field[len] = '\0';
	*used += 1;
	*fstart = *used;
	/* Another field follows: it must fit (data holds exactly
	 * COSO_CSV_MAX_FIELDS fields of the largest size). */
	if (!last && csv->nfields == COSO_CSV_MAX_FIELDS)
		return csv_fail(csv, csv->rec_line, "more than %d fields", COSO_CSV_MAX_FIELDS);
	return 0;
}

int coso_csv_next(coso_csv *csv)
{
	enum csv_state st = ST_FIELD_START;
	bool rec_started = false;  /* a byte of this record seen (not a line end) */
	bool end = false;          /* the record is complete */
	unsigned char high = 0;    /* OR of the field's bytes: non-ASCII seen? */
	size_t used = 0;           /* bytes of data in use */
	size_t fstart = 0;         /* offset of the current field in data */
	long fline = csv->line;    /* line where the current field starts */
	char *data = csv->data;

	if (csv->failed)
		return coso_error_set(csv->failed, "%s", csv->errmsg);
	csv->nfields = 0;
	csv->rec_line = csv->line;

	while (!end) {
		const unsigned char *buf = csv->buf;
		size_t pos = csv->pos, len = csv->len;
		unsigned char c;
		bool field_end = false;

		if (pos == len) {
			int rc = csv_fill(csv);

			if (rc < 0)
				return rc;
			if (rc == 0) {
				/* End of file. */
				if (st == ST_QUOTED)
					return csv_fail(csv, fline, "quoted field %zu is not closed",
							csv->nfields + 1);
				if (!rec_started)
					return 0;  /* nothing, or only a trailing CR */
				rc = csv_end_field(csv, &used, &fstart, high, fline, true);
				return rc < 0 ? rc : 1;
			}
			pos = csv->pos;
			len = csv->len;
		}

		switch (st) {
		case ST_UNQUOTED:
			/* Copy the run of ordinary bytes. */
			while (pos < len && !unquoted_stop[buf[pos]]) {
				if (used - fstart >= COSO_CSV_MAX_FIELD) {
					csv->pos = pos;
					return csv_fail(csv, csv->line, "field %zu is longer than %d bytes",
							csv->nfields + 1, COSO_CSV_MAX_FIELD);
				}
				high |= buf[pos];
				data[used++] = (char)buf[pos++];
			}
			if (pos == len)
				break;
			c = buf[pos++];
			if (c == ',') {
				field_end = true;
				st = ST_FIELD_START;
			} else if (c == '\n') {
				csv->line++;
				field_end = end = true;
			} else if (c == '\r') {
				st = ST_CR;
			} else if (c == '"') {
				csv->pos = pos;
				return csv_fail(csv, csv->line, "quote inside unquoted field %zu",
						csv->nfields + 1);
			} else {
				csv->pos = pos;
				return csv_fail(csv, csv->line, "NUL byte in field %zu", csv->nfields + 1);
			}
			break;

		case ST_QUOTED:
			/* Copy everything up to the next quote, counting lines. */
			while (pos < len && buf[pos] != '"') {
				if (used - fstart >= COSO_CSV_MAX_FIELD) {
					csv->pos = pos;
					return csv_fail(csv, csv->line, "field %zu is longer than %d bytes",
							csv->nfields + 1, COSO_CSV_MAX_FIELD);
				}
				c = buf[pos++];
				high |= c;
				if (c == '\n')
					csv->line++;
				else if (c == '\0') {
					csv->pos = pos;
					return csv_fail(csv, csv->line, "NUL byte in field %zu",
							csv->nfields + 1);
				}
				data[used++] = (char)c;
			}
			if (pos < len) {
				pos++;
				st = ST_QUOTE;
			}
			break;

		case ST_QUOTE:
			c = buf[pos++];
			if (c == '"') {
				if (used - fstart >= COSO_CSV_MAX_FIELD) {
					csv->pos = pos;
					return csv_fail(csv, csv->line, "field %zu is longer than %d bytes",
							csv->nfields + 1, COSO_CSV_MAX_FIELD);
				}
				data[used++] = '"';
				st = ST_QUOTED;
			} else if (c == ',') {
				field_end = true;
				st = ST_FIELD_START;
			} else if (c == '\n') {
				csv->line++;
				field_end = end = true;
			} else if (c == '\r') {
				st = ST_CR;
			} else {
				csv->pos = pos;
				return csv_fail(csv, csv->line,
						"text after the closing quote of field %zu",
						csv->nfields + 1);
			}
			break;

		case ST_CR:
			c = buf[pos++];
			if (c != '\n') {
				csv->pos = pos;
				return csv_fail(csv, csv->line,
						"carriage return not followed by a line feed");
			}
			csv->line++;
			if (!rec_started) {
				/* An empty CRLF line: skip it. */
				csv->rec_line = fline = csv->line;
				st = ST_FIELD_START;
				break;
			}
			field_end = end = true;
			break;

		case ST_FIELD_START:
			c = buf[pos];
			fline = csv->line;
			if (c == '\n' && !rec_started) {
				/* An empty LF line: skip it. */
				pos++;
				csv->line++;
				csv->rec_line = fline = csv->line;
				break;
			}
			if (c == '\r') {
				pos++;
				st = ST_CR;
				break;
			}
			rec_started = true;
			if (c == '"') {
				pos++;
				st = ST_QUOTED;
			} else if (c == ',' || c == '\n') {
				/* An empty field; the switch above ends it. */
				pos++;
				field_end = true;
				if (c == '\n') {
					csv->line++;
					end = true;
				}
			} else {
				st = ST_UNQUOTED;
			}
			break;
		}
		csv->pos = pos;
		if (field_end) {
			int rc = csv_end_field(csv, &used, &fstart, high, fline, end);

			if (rc < 0)
				return rc;
			high = 0;
		}
	}
	return 1;
}

long coso_csv_error_line(const coso_csv *csv)
{
	return csv->failed ? csv->errline : 0;
}

const char *coso_csv_error_text(const coso_csv *csv)
{
	return csv->errwhat[0] ? csv->errwhat : csv->errmsg;
}
