/*
 * test_csv.c: unit tests of util/csv (the streaming RFC 4180 reader): line
 * ends, BOM, quoting, start lines of records, empty lines, malformed input,
 * limits, UTF-8 validation, and records that straddle the read buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"
#include "util/error.h"

/* A reader over `len` bytes of `data`, and the temporary file behind it. */
struct reader {
	FILE *fp;
	coso_csv *csv;
};

static struct reader open_bytes(const char *data, size_t len)
{
	struct reader r;

	r.fp = tmpfile();
	assert_non_null(r.fp);
	assert_int_equal(fwrite(data, 1, len, r.fp), len);
	rewind(r.fp);
	r.csv = coso_csv_new(r.fp);
	assert_non_null(r.csv);
	return r;
}

static struct reader open_text(const char *text)
{
	return open_bytes(text, strlen(text));
}

static void close_reader(struct reader *r)
{
	coso_csv_free(r->csv);
	fclose(r->fp);
}

/* Fails the test with a message, reported at file:at. */
__attribute__((format(printf, 3, 4), noreturn))
static void fail_at(const char *file, int at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_error("%s\n", msg);
	_fail(file, at);
	abort(); /* not reached: _fail() jumps out of the test */
}

/* Reads the next record and checks its start line and fields. */
static void expect_record_(coso_csv *csv, long line, const char *const *fields, size_t n,
			   const char *file, int at)
{
	int rc = coso_csv_next(csv);

	if (rc != 1)
		fail_at(file, at, "expected a record at line %ld, got rc %d (%s)", line, rc,
			     coso_error_last());
	if (coso_csv_line(csv) != line)
		fail_at(file, at, "record starts at line %ld, expected %ld",
			     coso_csv_line(csv), line);
	if (coso_csv_nfields(csv) != n)
		fail_at(file, at, "record at line %ld has %zu fields, expected %zu", line,
			     coso_csv_nfields(csv), n);
	for (size_t i = 0; i < n; i++) {
		size_t len = 99;
		const char *f = coso_csv_field(csv, i, &len);

		if (f == NULL || strcmp(f, fields[i]) != 0 || len != strlen(fields[i]))
			fail_at(file, at, "field %zu is '%s' (%zu bytes), expected '%s'", i,
				     f ? f : "(null)", len, fields[i]);
	}
}

#define FIELDS(...) ((const char *const[]){ __VA_ARGS__ })
#define NFIELDS(...) (sizeof(FIELDS(__VA_ARGS__)) / sizeof(const char *))
#define expect_record(csv, line, ...) \
	expect_record_((csv), (line), FIELDS(__VA_ARGS__), NFIELDS(__VA_ARGS__), __FILE__, __LINE__)

/* Reads expecting the end of the file (twice: the end stays the end). */
#define expect_end(csv)                                    \
	do {                                               \
		assert_int_equal(coso_csv_next(csv), 0);   \
		assert_int_equal(coso_csv_nfields(csv), 0); \
		assert_int_equal(coso_csv_next(csv), 0);   \
	} while (0)

/* Reads expecting COSO_EINVALID with a message that starts with `prefix`. */
static void expect_error_(coso_csv *csv, const char *prefix, const char *file, int at)
{
	int rc;

	coso_error_clear();
	rc = coso_csv_next(csv);
	if (rc != COSO_EINVALID)
		fail_at(file, at, "expected COSO_EINVALID, got %d", rc);
	if (strncmp(coso_error_last(), prefix, strlen(prefix)) != 0)
		fail_at(file, at, "message '%s' does not start with '%s'", coso_error_last(),
			     prefix);
}

#define expect_error(csv, prefix) expect_error_((csv), (prefix), __FILE__, __LINE__)

/* The whole input must fail with a message starting with `prefix`. */
static void expect_bytes_fail(const char *data, size_t len, const char *prefix)
{
	struct reader r = open_bytes(data, len);
	int rc;

	coso_error_clear();
	while ((rc = coso_csv_next(r.csv)) == 1)
		;
	if (rc != COSO_EINVALID)
		fail_msg("input accepted (rc %d), expected '%s'", rc, prefix);
	if (strncmp(coso_error_last(), prefix, strlen(prefix)) != 0)
		fail_msg("message '%s' does not start with '%s'", coso_error_last(), prefix);
	close_reader(&r);
}

/* The same, for a string literal (which may hold NUL bytes). */
#define expect_input_fails(lit, prefix) expect_bytes_fail((lit), sizeof(lit) - 1, (prefix))

/* ---- line ends, BOM, last line ---------------------------------------- */

static void csv_next__reads_records_ended_by_lf(void **state)
{
	struct reader r = open_text("ma,ten\n1,Chi bo 1\n2,Chi bo 2\n");

	expect_record(r.csv, 1, "ma", "ten");
	expect_record(r.csv, 2, "1", "Chi bo 1");
	expect_record(r.csv, 3, "2", "Chi bo 2");
	expect_end(r.csv);
	close_reader(&r);
}

static void csv_next__reads_records_ended_by_crlf(void **state)
{
	struct reader r = open_text("ma,ten\r\n1,\"Chi bo 1\"\r\n2,\r\n");

	expect_record(r.csv, 1, "ma", "ten");
	expect_record(r.csv, 2, "1", "Chi bo 1");
	expect_record(r.csv, 3, "2", "");
	expect_end(r.csv);
	close_reader(&r);
}

static void csv_next__reads_mixed_lf_and_crlf(void **state)
{
	struct reader r = open_text("a\r\nb\nc\r\n");

	expect_record(r.csv, 1, "a");
	expect_record(r.csv, 2, "b");
	expect_record(r.csv, 3, "c");
	expect_end(r.csv);
	close_reader(&r);
}

static void csv_next__reads_a_last_line_without_newline(void **state)
{
	struct reader r = open_text("a,b\nc,d");

	expect_record(r.csv, 1, "a", "b");
	expect_record(r.csv, 2, "c", "d");
	expect_end(r.csv);
	close_reader(&r);

	r = open_text("a,\"b\"");
	expect_record(r.csv, 1, "a", "b");
	expect_end(r.csv);
	close_reader(&r);

	r = open_text("a,");
	expect_record(r.csv, 1, "a", "");
	expect_end(r.csv);
	close_reader(&r);
}

static void csv_next__skips_a_bom_at_the_start(void **state)
{
	struct reader r = open_text("\xEF\xBB\xBFma,ten\n1,x\n");

	expect_record(r.csv, 1, "ma", "ten");
	expect_record(r.csv, 2, "1", "x");
	expect_end(r.csv);
	close_reader(&r);
}

static void csv_next__keeps_a_bom_elsewhere_as_data(void **state)
{
	struct reader r = open_text("a\n\xEF\xBB\xBF" "b,\xEF\xBB\xBF\n");

	expect_record(r.csv, 1, "a");
	expect_record(r.csv, 2, "\xEF\xBB\xBF" "b", "\xEF\xBB\xBF");
	expect_end(r.csv);
	close_reader(&r);
}

static void csv_next__skips_only_one_bom(void **state)
{
	struct reader r = open_text("\xEF\xBB\xBF\xEF\xBB\xBF" "a\n");

	expect_record(r.csv, 1, "\xEF\xBB\xBF" "a");
	expect_end(r.csv);
	close_reader(&r);
}

static void csv_next__returns_end_for_empty_input(void **state)
{
	static const char *const inputs[] = {
		"", "\xEF\xBB\xBF", "\n", "\r\n", "\n\n\r\n\n", "\xEF\xBB\xBF\r\n",
	};

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct reader r = open_text(inputs[i]);

		expect_end(r.csv);
		close_reader(&r);
	}
}

/* ---- empty lines and empty fields ----------------------------------------- */

static void csv_next__skips_empty_lines_and_counts_them(void **state)
{
	struct reader r = open_text("\n\na\n\n\r\nb,c\r\n\r\n\nd\n\n");

	expect_record(r.csv, 3, "a");
	expect_record(r.csv, 6, "b", "c");
	expect_record(r.csv, 9, "d");
	expect_end(r.csv);
	close_reader(&r);
}

static void csv_next__returns_empty_fields(void **state)
{
	struct reader r = open_text(",,\n\"\"\n,\"\",\n\"\",x\n");

	expect_record(r.csv, 1, "", "", "");
	expect_record(r.csv, 2, "");
	expect_record(r.csv, 3, "", "", "");
	expect_record(r.csv, 4, "", "x");
	expect_end(r.csv);
	close_reader(&r);
}

static void csv_next__returns_a_line_of_spaces_as_a_record(void **state)
{
	struct reader r = open_text("  \n a , b \n");

	expect_record(r.csv, 1, "  ");
	expect_record(r.csv, 2, " a ", " b ");
	expect_end(r.csv);
	close_reader(&r);
}

/* ---- quoting ----------------------------------------------------------- */

static void csv_next__unescapes_doubled_quotes(void **state)
{
	struct reader r = open_text("\"say \"\"hi\"\"\",\"\"\"\"\n\"\"\"\"\"\"\n");

	expect_record(r.csv, 1, "say \"hi\"", "\"");
	expect_record(r.csv, 2, "\"\"");
	expect_end(r.csv);
	close_reader(&r);
}

static void csv_next__keeps_commas_in_quoted_fields(void **state)
{
	struct reader r = open_text("\"Ha Noi, Viet Nam\",\",\",\",,\"\n");

	expect_record(r.csv, 1, "Ha Noi, Viet Nam", ",", ",,");
	expect_end(r.csv);
	close_reader(&r);
}

static void csv_next__reports_the_start_line_of_multiline_records(void **state)
{
	struct reader r = open_text("h1,h2\n"
				    "a,\"line 2\nline 3\nline 4\"\n"
				    "b,\"x\n\"\n"
				    "\n"
				    "\"\n\n\",c\n"
				    "d,e\n");

	expect_record(r.csv, 1, "h1", "h2");
	expect_record(r.csv, 2, "a", "line 2\nline 3\nline 4");
	expect_record(r.csv, 5, "b", "x\n");
	expect_record(r.csv, 8, "\n\n", "c");
	expect_record(r.csv, 11, "d", "e");
	expect_end(r.csv);
	close_reader(&r);
}

static void csv_next__keeps_crlf_and_lone_cr_inside_quotes_as_data(void **state)
{
	struct reader r = open_text("\"a\r\nb\",\"c\rd\",\"\r\"\r\nnext\r\n");

	expect_record(r.csv, 1, "a\r\nb", "c\rd", "\r");
	/* The LF of the quoted CRLF starts line 2; a lone CR starts none. */
	expect_record(r.csv, 3, "next");
	expect_end(r.csv);
	close_reader(&r);
}

static void csv_next__keeps_quotes_and_commas_as_the_only_content(void **state)
{
	struct reader r = open_text("\"\"\"\",\",\"\r\n");

	expect_record(r.csv, 1, "\"", ",");
	expect_end(r.csv);
	close_reader(&r);
}

/* ---- malformed input ---------------------------------------------------- */

static void csv_next__rejects_an_unterminated_quote(void **state)
{
	struct reader r = open_text("a,b\nc,\"never\nclosed\n\n");

	expect_record(r.csv, 1, "a", "b");
	expect_error(r.csv, "line 2: quoted field 2 is not closed");
	close_reader(&r);

	r = open_text("\"");
	expect_error(r.csv, "line 1: quoted field 1 is not closed");
	close_reader(&r);
}

static void csv_next__rejects_a_quote_inside_an_unquoted_field(void **state)
{
	struct reader r = open_text("a\nb,c\"d\n");

	expect_record(r.csv, 1, "a");
	expect_error(r.csv, "line 2: quote inside unquoted field 2");
	close_reader(&r);
}

static void csv_next__rejects_text_after_a_closing_quote(void **state)
{
	struct reader r = open_text("\"ab\"c,d\n");

	expect_error(r.csv, "line 1: text after the closing quote of field 1");
	close_reader(&r);

	r = open_text("x,\"a\nb\" ,d\n");
	expect_error(r.csv, "line 2: text after the closing quote of field 2");
	close_reader(&r);
}

static void csv_next__rejects_a_lone_cr_outside_quotes(void **state)
{
	struct reader r = open_text("a\rb\n");

	expect_error(r.csv, "line 1: carriage return not followed by a line feed");
	close_reader(&r);

	r = open_text("a\n\r\rb\n");
	expect_record(r.csv, 1, "a");
	expect_error(r.csv, "line 2: carriage return not followed by a line feed");
	close_reader(&r);
}

static void csv_next__accepts_a_cr_just_before_the_end(void **state)
{
	struct reader r = open_text("a,b\r");

	expect_record(r.csv, 1, "a", "b");
	expect_end(r.csv);
	close_reader(&r);
}

static void csv_next__rejects_nul_bytes(void **state)
{
	expect_input_fails("a\nb\0c\n", "line 2: NUL byte in field 1");
	expect_input_fails("a,\"b\n\0\"\n", "line 2: NUL byte in field 2");
}

static void csv_next__stays_failed_after_an_error(void **state)
{
	struct reader r = open_text("a\"b\nc,d\n");

	expect_error(r.csv, "line 1: quote inside unquoted field 1");
	assert_int_equal(coso_csv_nfields(r.csv), 0);
	expect_error(r.csv, "line 1: quote inside unquoted field 1");
	close_reader(&r);
}

/* ---- limits -------------------------------------------------------------- */

/* A field of n copies of c. */
static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void csv_next__accepts_a_field_of_the_largest_size(void **state)
{
	char *big = repeat('x', COSO_CSV_MAX_FIELD);
	char *text = malloc(3 * COSO_CSV_MAX_FIELD);
	struct reader r;

	assert_non_null(text);
	snprintf(text, 3 * COSO_CSV_MAX_FIELD, "%s,\"%s\"\n", big, big);
	r = open_text(text);
	expect_record(r.csv, 1, big, big);
	expect_end(r.csv);
	close_reader(&r);
	free(text);
	free(big);
}

static void csv_next__rejects_a_field_one_byte_too_long(void **state)
{
	char *big = repeat('x', COSO_CSV_MAX_FIELD + 1);
	char *text = malloc(3 * COSO_CSV_MAX_FIELD);

	assert_non_null(text);
	snprintf(text, 3 * COSO_CSV_MAX_FIELD, "ok\na,%s\n", big);
	expect_bytes_fail(text, strlen(text), "line 2: field 2 is longer than 4096 bytes");
	snprintf(text, 3 * COSO_CSV_MAX_FIELD, "\"%s\"\n", big);
	expect_bytes_fail(text, strlen(text), "line 1: field 1 is longer than 4096 bytes");
	/* A doubled quote counts as the one byte it stands for. */
	big[0] = '"';
	snprintf(text, 3 * COSO_CSV_MAX_FIELD, "\"\"%s\"\n", big);
	expect_bytes_fail(text, strlen(text), "line 1: field 1 is longer than 4096 bytes");
	free(text);
	free(big);
}

static void csv_next__accepts_a_doubled_quote_as_one_byte_of_the_limit(void **state)
{
	char *big = repeat('x', COSO_CSV_MAX_FIELD);
	char *text = malloc(3 * COSO_CSV_MAX_FIELD);
	struct reader r;

	assert_non_null(text);
	big[0] = '"';
	snprintf(text, 3 * COSO_CSV_MAX_FIELD, "\"\"%s\"\n", big);
	r = open_text(text);
	expect_record(r.csv, 1, big);
	close_reader(&r);
	free(text);
	free(big);
}

/* n fields "0","1",... joined by commas, with `end` after. */
static char *record_of(size_t n, const char *end)
{
	size_t cap = n * 8 + 16, o = 0;
	char *s = malloc(cap);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(s + o, cap - o, i ? ",%zu" : "%zu", i);
	snprintf(s + o, cap - o, "%s", end);
	return s;
}

static void csv_next__accepts_the_largest_number_of_fields(void **state)
{
	char *text = record_of(COSO_CSV_MAX_FIELDS, "\n");
	struct reader r = open_text(text);
	char want[8];

	assert_int_equal(coso_csv_next(r.csv), 1);
	assert_int_equal(coso_csv_nfields(r.csv), COSO_CSV_MAX_FIELDS);
	for (size_t i = 0; i < COSO_CSV_MAX_FIELDS; i++) {
		snprintf(want, sizeof(want), "%zu", i);
		assert_string_equal(coso_csv_field(r.csv, i, NULL), want);
	}
	expect_end(r.csv);
	close_reader(&r);
	free(text);
}

static void csv_next__rejects_one_field_too_many(void **state)
{
	char *text = record_of(COSO_CSV_MAX_FIELDS + 1, "\n");

	expect_bytes_fail(text, strlen(text), "line 1: more than 64 fields");
	free(text);
	/* A trailing comma is one more (empty) field. */
	text = record_of(COSO_CSV_MAX_FIELDS, ",");
	expect_bytes_fail(text, strlen(text), "line 1: more than 64 fields");
	free(text);
}

static void csv_next__holds_a_record_of_the_largest_fields(void **state)
{
	size_t cap = (size_t)COSO_CSV_MAX_FIELDS * (COSO_CSV_MAX_FIELD + 3) + 8, o = 0;
	char *text = malloc(cap);
	char *big = repeat('y', COSO_CSV_MAX_FIELD);
	struct reader r;

	assert_non_null(text);
	for (int i = 0; i < COSO_CSV_MAX_FIELDS; i++)
		o += (size_t)snprintf(text + o, cap - o, "%s\"%s\"", i ? "," : "", big);
	snprintf(text + o, cap - o, "\r\n");
	r = open_text(text);
	assert_int_equal(coso_csv_next(r.csv), 1);
	assert_int_equal(coso_csv_nfields(r.csv), COSO_CSV_MAX_FIELDS);
	for (size_t i = 0; i < COSO_CSV_MAX_FIELDS; i++) {
		size_t len = 0;

		assert_string_equal(coso_csv_field(r.csv, i, &len), big);
		assert_int_equal(len, COSO_CSV_MAX_FIELD);
	}
	expect_end(r.csv);
	close_reader(&r);
	free(text);
	free(big);
}

/* ---- UTF-8 ------------------------------------------------------------------ */

static void csv_next__accepts_valid_utf8(void **state)
{
	struct reader r = open_text("Nguyễn Văn Ánh,\"Đảng bộ xã Yên Phú, huyện Ý Yên\"\n"
				    "\xC2\x80\xDF\xBF,\xE0\xA0\x80\xEF\xBF\xBF,"
				    "\xED\x9F\xBF\xEE\x80\x80,\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\n");

	expect_record(r.csv, 1, "Nguyễn Văn Ánh", "Đảng bộ xã Yên Phú, huyện Ý Yên");
	expect_record(r.csv, 2, "\xC2\x80\xDF\xBF", "\xE0\xA0\x80\xEF\xBF\xBF",
		      "\xED\x9F\xBF\xEE\x80\x80", "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF");
	expect_end(r.csv);
	close_reader(&r);
}

static void csv_next__rejects_invalid_utf8(void **state)
{
	static const char *const bad[] = {
		"\x80",                 /* stray continuation byte */
		"a\xBF",
		"\xC0\xAF",             /* overlong '/' */
		"\xC1\xBF",             /* overlong */
		"\xE0\x80\xAF",         /* overlong, 3 bytes */
		"\xE0\x9F\xBF",         /* overlong, 3 bytes */
		"\xF0\x80\x80\xAF",     /* overlong, 4 bytes */
		"\xF0\x8F\xBF\xBF",     /* overlong, 4 bytes */
		"\xED\xA0\x80",         /* surrogate U+D800 */
		"\xED\xBF\xBF",         /* surrogate U+DFFF */
		"\xF4\x90\x80\x80",     /* U+110000 */
		"\xF5\x80\x80\x80",
		"\xFF",
		"\xFE",
		"\xE1\xBA",             /* truncated */
		"\xC3",                 /* truncated */
		"\xF0\x9F\x98",         /* truncated */
		"\xE1\x41\x80",         /* ASCII where a continuation belongs */
		"\xC3\xA9\xC3",         /* valid, then truncated */
	};
	char text[64];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "ok\nx,%s,y\n", bad[i]);
		expect_bytes_fail(text, strlen(text), "line 2: invalid UTF-8 in field 2");
		snprintf(text, sizeof(text), "ok\nx,\"%s\"\n", bad[i]);
		expect_bytes_fail(text, strlen(text), "line 2: invalid UTF-8 in field 2");
	}
}

static void csv_next__rejects_a_utf8_sequence_cut_by_a_comma_or_quote(void **state)
{
	expect_input_fails("\xE1\xBA,\xA1\n", "line 1: invalid UTF-8 in field 1");
	expect_input_fails("\"\xE1\xBA\"\"\xA1\"\n", "line 1: invalid UTF-8 in field 1");
}

static void csv_next__names_the_line_of_invalid_utf8_in_a_multiline_field(void **state)
{
	expect_input_fails("h\n\"one\ntwo\nthr\xC0\xAF" "ee\"\n",
			   "line 4: invalid UTF-8 in field 1");
}

/* ---- accessors ----------------------------------------------------------- */

static void csv_field__returns_null_past_the_last_field(void **state)
{
	struct reader r = open_text("a,bc\n");
	size_t len = 99;

	assert_int_equal(coso_csv_next(r.csv), 1);
	assert_string_equal(coso_csv_field(r.csv, 1, &len), "bc");
	assert_int_equal(len, 2);
	assert_null(coso_csv_field(r.csv, 2, &len));
	assert_int_equal(len, 0);
	assert_null(coso_csv_field(r.csv, 1000, NULL));
	close_reader(&r);
}

static void csv_offset__counts_the_bytes_consumed(void **state)
{
	const char *text = "\xEF\xBB\xBF" "a,b\r\n\"c\nd\"\n\ne";
	struct reader r = open_text(text);

	assert_int_equal(coso_csv_offset(r.csv), 0);
	assert_int_equal(coso_csv_next(r.csv), 1);
	assert_int_equal(coso_csv_offset(r.csv), 8);
	assert_int_equal(coso_csv_next(r.csv), 1);
	assert_int_equal(coso_csv_offset(r.csv), 14);
	assert_int_equal(coso_csv_next(r.csv), 1);
	assert_int_equal(coso_csv_line(r.csv), 5);
	assert_int_equal(coso_csv_offset(r.csv), (long long)strlen(text));
	expect_end(r.csv);
	assert_int_equal(coso_csv_offset(r.csv), (long long)strlen(text));
	close_reader(&r);
}

static void csv_free__accepts_null(void **state)
{
	coso_csv_free(NULL);
}

/* ---- many records, across read-buffer boundaries ---------------------------- */

static uint32_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 1664525u + 1013904223u;
	return (rng_state >> 8) % n;
}

/* Pieces fields are made of: every one a place where a buffer boundary could
 * cut something the reader has to put back together. */
static const char *const pieces[] = {
	"a", "Đảng", "x", ",", "\"", "\n", "\r\n", "\r", "ễ", "\xF0\x9F\x87\xBB", " ", "12",
};

struct expected {
	long line;
	size_t nfields;
	char *fields[8];
};

/*
 * Writes `nrec` random records (quoted when they must be, sometimes when they
 * need not be, LF or CRLF ends, empty lines between) to a file, remembering
 * each record's fields and start line, then reads them all back.
 */
static void random_records_round_trip(uint32_t seed, size_t nrec)
{
	struct expected *want = calloc(nrec, sizeof(*want));
	FILE *fp = tmpfile();
	long line = 1;
	coso_csv *csv;

	assert_non_null(want);
	assert_non_null(fp);
	rng_state = seed;
	if (rnd(2))
		fputs("\xEF\xBB\xBF", fp);
	for (size_t i = 0; i < nrec; i++) {
		struct expected *e = &want[i];

		while (rnd(8) == 0) {
			fputs(rnd(2) ? "\n" : "\r\n", fp);
			line++;
		}
		e->line = line;
		e->nfields = 1 + rnd(8);
		for (size_t f = 0; f < e->nfields; f++) {
			char val[256];
			size_t o = 0, np = rnd(12);
			int quote;

			if (f > 0)
				fputc(',', fp);
			for (size_t p = 0; p < np; p++)
				o += (size_t)snprintf(val + o, sizeof(val) - o, "%s",
						      pieces[rnd(sizeof(pieces) / sizeof(pieces[0]))]);
			val[o] = '\0';
			/* An empty single field would be an empty line: quote it. */
			quote = strpbrk(val, ",\"\r\n") != NULL || rnd(4) == 0 ||
				(e->nfields == 1 && o == 0);
			if (quote) {
				fputc('"', fp);
				for (const char *s = val; *s; s++) {
					if (*s == '"')
						fputc('"', fp);
					if (*s == '\n')
						line++;
					fputc(*s, fp);
				}
				fputc('"', fp);
			} else {
				fputs(val, fp);
			}
			e->fields[f] = strdup(val);
			assert_non_null(e->fields[f]);
		}
		/* The last record sometimes has no line end. */
		if (i + 1 < nrec || rnd(2)) {
			fputs(rnd(2) ? "\n" : "\r\n", fp);
			line++;
		}
	}
	rewind(fp);

	csv = coso_csv_new(fp);
	assert_non_null(csv);
	for (size_t i = 0; i < nrec; i++) {
		expect_record_(csv, want[i].line, (const char *const *)want[i].fields,
			       want[i].nfields, __FILE__, __LINE__);
	}
	expect_end(csv);
	fseek(fp, 0, SEEK_END);
	assert_int_equal(coso_csv_offset(csv), (long long)ftell(fp));
	coso_csv_free(csv);
	fclose(fp);
	for (size_t i = 0; i < nrec; i++)
		for (size_t f = 0; f < want[i].nfields; f++)
			free(want[i].fields[f]);
	free(want);
}

static void csv_next__reads_back_many_random_records_across_buffer_boundaries(void **state)
{
	/* About 8 MB in all: hundreds of 64 KiB buffer boundaries. */
	for (uint32_t seed = 1; seed <= 8; seed++)
		random_records_round_trip(seed, 20000);
	/* Small files, to cover the start and the end of input. */
	for (uint32_t seed = 100; seed < 400; seed++)
		random_records_round_trip(seed, 1 + seed % 5);
}

/* A CRLF, a doubled quote, UTF-8 sequences and a quoted CRLF, each cut at
 * every position by the first 64 KiB buffer boundary. */
static void csv_next__joins_what_the_buffer_boundary_cuts(void **state)
{
	static const char *const tails[] = {
		"ab\r\nz\r\n",
		"\"a\"\"b\"\r\nz\n",
		"\xF0\x9F\x87\xBB\xE1\xBB\x85\nz\n",
		"\"\r\n\",z\nz\n",
	};
	static const char *const want[] = {
		"ab", "a\"b", "\xF0\x9F\x87\xBB\xE1\xBB\x85", "\r\n",
	};
	const size_t bufsz = 64 * 1024;
	char *text = malloc(bufsz + 64);

	assert_non_null(text);
	for (size_t t = 0; t < sizeof(tails) / sizeof(tails[0]); t++) {
		for (size_t cut = 1; cut <= 8; cut++) {
			/* Filler lines of 1000 bytes and a last shorter one (of
			 * 528..535 bytes) end `cut` bytes before the boundary:
			 * 66 records, then the tail from line 67. */
			size_t fill = bufsz - cut;
			struct reader r;

			memset(text, 'f', fill);
			for (size_t i = 999; i < fill; i += 1000)
				text[i] = '\n';
			text[fill - 1] = '\n';
			snprintf(text + fill, 64, "%s", tails[t]);
			r = open_text(text);
			for (int i = 0; i < 66; i++) {
				assert_int_equal(coso_csv_next(r.csv), 1);
				assert_int_equal(coso_csv_field(r.csv, 0, NULL)[0], 'f');
			}
			if (t < 3)
				expect_record(r.csv, 67, want[t]);
			else
				expect_record(r.csv, 67, want[t], "z");
			expect_record(r.csv, t < 3 ? 68 : 69, "z");
			expect_end(r.csv);
			close_reader(&r);
		}
	}
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_next__reads_records_ended_by_lf),
		cmocka_unit_test(csv_next__reads_records_ended_by_crlf),
		cmocka_unit_test(csv_next__reads_mixed_lf_and_crlf),
		cmocka_unit_test(csv_next__reads_a_last_line_without_newline),
		cmocka_unit_test(csv_next__skips_a_bom_at_the_start),
		cmocka_unit_test(csv_next__keeps_a_bom_elsewhere_as_data),
		cmocka_unit_test(csv_next__skips_only_one_bom),
		cmocka_unit_test(csv_next__returns_end_for_empty_input),
		cmocka_unit_test(csv_next__skips_empty_lines_and_counts_them),
		cmocka_unit_test(csv_next__returns_empty_fields),
		cmocka_unit_test(csv_next__returns_a_line_of_spaces_as_a_record),
		cmocka_unit_test(csv_next__unescapes_doubled_quotes),
		cmocka_unit_test(csv_next__keeps_commas_in_quoted_fields),
		cmocka_unit_test(csv_next__reports_the_start_line_of_multiline_records),
		cmocka_unit_test(csv_next__keeps_crlf_and_lone_cr_inside_quotes_as_data),
		cmocka_unit_test(csv_next__keeps_quotes_and_commas_as_the_only_content),
		cmocka_unit_test(csv_next__rejects_an_unterminated_quote),
		cmocka_unit_test(csv_next__rejects_a_quote_inside_an_unquoted_field),
		cmocka_unit_test(csv_next__rejects_text_after_a_closing_quote),
		cmocka_unit_test(csv_next__rejects_a_lone_cr_outside_quotes),
		cmocka_unit_test(csv_next__accepts_a_cr_just_before_the_end),
		cmocka_unit_test(csv_next__rejects_nul_bytes),
		cmocka_unit_test(csv_next__stays_failed_after_an_error),
		cmocka_unit_test(csv_next__accepts_a_field_of_the_largest_size),
		cmocka_unit_test(csv_next__rejects_a_field_one_byte_too_long),
		cmocka_unit_test(csv_next__accepts_a_doubled_quote_as_one_byte_of_the_limit),
		cmocka_unit_test(csv_next__accepts_the_largest_number_of_fields),
		cmocka_unit_test(csv_next__rejects_one_field_too_many),
		cmocka_unit_test(csv_next__holds_a_record_of_the_largest_fields),
		cmocka_unit_test(csv_next__accepts_valid_utf8),
		cmocka_unit_test(csv_next__rejects_invalid_utf8),
		cmocka_unit_test(csv_next__rejects_a_utf8_sequence_cut_by_a_comma_or_quote),
		cmocka_unit_test(csv_next__names_the_line_of_invalid_utf8_in_a_multiline_field),
		cmocka_unit_test(csv_field__returns_null_past_the_last_field),
		cmocka_unit_test(csv_offset__counts_the_bytes_consumed),
		cmocka_unit_test(csv_free__accepts_null),
		cmocka_unit_test(csv_next__reads_back_many_random_records_across_buffer_boundaries),
		cmocka_unit_test(csv_next__joins_what_the_buffer_boundary_cuts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
