/*
 * row.c: reading and writing the rows of the interchange format's files: the
 * header map, the checks of each kind of field with their messages, and the
 * writer's quoting. Shared by the registry's files (import.c, export.c) and
 * every register (register.h).
 */
#include "core/register.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

bool coso_one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

void coso_list_of(char *buf, size_t n, const char *const *set)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; *set && used < n; set++) {
		int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", *set);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

void coso_row_problem(coso_row *r, int col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	coso_diag_add(r->diag, r->fname, r->line, col >= 0 ? r->cols[col].name : NULL, "%s", msg);
	r->row_errors++;
}

/* The text of column `col` in the current row ("" when absent or empty). */
const char *coso_row_field(coso_row *r, int col)
{
	int idx = col >= 0 && col < r->ncols ? r->map[col] : -1;

	if (idx < 0 || (size_t)idx >= coso_csv_nfields(r->csv))
		return "";
	return coso_csv_field(r->csv, (size_t)idx, NULL);
}

static bool has_outer_space(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
}

/* A required text (names, kinds). */
const char *coso_row_text(coso_row *r, int col)
{
	const char *s = coso_row_field(r, col);

	if (!*s)
		coso_row_problem(r, col, "is required");
	return s;
}

/* A code: required or not; no spaces around it. NULL when empty. */
const char *coso_row_code(coso_row *r, int col, bool required)
{
	const char *s = coso_row_field(r, col);

	if (!*s) {
		if (required)
			coso_row_problem(r, col, "is required");
		return NULL;
	}
	if (has_outer_space(s))
		coso_row_problem(r, col, "'%s' has spaces around it (codes are exact text)", s);
	return s;
}

const char *coso_row_enum(coso_row *r, int col, const char *const *set)
{
	const char *s = coso_row_field(r, col);
	char list[160];

	if (!*s) {
		coso_row_problem(r, col, "is required");
		return s;
	}
	if (!coso_one_of(s, set)) {
		coso_list_of(list, sizeof(list), set);
		coso_row_problem(r, col, "'%s' is not one of: %s", s, list);
	}
	return s;
}

/* A date; empty gives `dflt` (or is an error when required). */
coso_day coso_row_date(coso_row *r, int col, bool required, coso_day dflt)
{
	const char *s = coso_row_field(r, col);
	coso_day d;

	if (!*s) {
		if (required)
			coso_row_problem(r, col, "is required");
		return dflt;
	}
	if (coso_date_parse(&d, s, strlen(s)) < 0) {
		coso_row_problem(r, col, "'%s' is not a date that exists (write YYYY-MM-DD)", s);
		return dflt;
	}
	return d;
}

/* A 0/1 flag; empty is 0 unless required. */
int coso_row_flag(coso_row *r, int col, bool required)
{
	const char *s = coso_row_field(r, col);

	if (!*s) {
		if (required)
			coso_row_problem(r, col, "is required (0 or 1)");
		return 0;
	}
	if (strcmp(s, "0") == 0)
		return 0;
	if (strcmp(s, "1") == 0)
		return 1;
	coso_row_problem(r, col, "'%s' is not a flag (0 or 1)", s);
	return 0;
}

long long coso_row_count(coso_row *r, int col)
{
	const char *s = coso_row_field(r, col);
	char *end;
	long long v;

	if (!*s)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || s[0] == '-' || s[0] == '+' || s[0] == ' ' || v < 0 || v > 1000000000000LL) {
		coso_row_problem(r, col, "'%s' is not a whole number", s);
		return -1;
	}
	return v;
}

void coso_row_period(coso_row *r, coso_day from, coso_day to, int to_col)
{
	char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ];

	if (to <= from)
		coso_row_problem(r, to_col, "the period ends (%s) on or before the day it starts (%s)",
			coso_date_format(b, to), coso_date_format(a, from));
}


const char *coso_row_enum_opt(coso_row *r, int col, const char *const *set)
{
	const char *s = coso_row_field(r, col);

	if (!*s)
		return NULL;
	return coso_row_enum(r, col, set);
}

int coso_row_open(coso_row *r, FILE *fp, const char *fname, const coso_column *cols, int ncols,
		  coso_diag *diag)
{
	int rc, ok = 1;

	memset(r, 0, sizeof(*r));
	r->diag = diag;
	r->fname = fname;
	r->cols = cols;
	r->ncols = ncols;
	for (int c = 0; c < COSO_ROW_MAX_COLS; c++)
		r->map[c] = -1;
	r->csv = coso_csv_new(fp);
	if (!r->csv)
		return coso_error_set(COSO_ENOMEM, "out of memory");
	rc = coso_csv_next(r->csv);
	r->line = 1;
	if (rc < 0) {
		coso_diag_add(diag, fname, coso_csv_error_line(r->csv), NULL, "%s", coso_csv_error_text(r->csv));
		return 0;
	}
	if (rc == 0) {
		coso_diag_add(diag, fname, 1, NULL, "the file is empty: it needs a header row");
		return 0;
	}
	r->line = coso_csv_line(r->csv);
	r->nheader = coso_csv_nfields(r->csv);
	for (size_t i = 0; i < r->nheader; i++) {
		const char *name = coso_csv_field(r->csv, i, NULL);
		int c;

		for (c = 0; c < ncols; c++)
			if (strcmp(name, cols[c].name) == 0)
				break;
		if (c == ncols) {
			char list[256];
			size_t used = 0;

			list[0] = '\0';
			for (int k = 0; k < ncols && used < sizeof(list); k++) {
				int w = snprintf(list + used, sizeof(list) - used, "%s%s", k ? ", " : "", cols[k].name);
				if (w < 0)
					break;
				used += (size_t)w;
			}
			coso_diag_add(diag, fname, r->line, name[0] ? name : "(empty)",
				      "unknown column (the columns of %s are: %s)", fname, list);
			ok = 0;
		} else if (r->map[c] >= 0) {
			coso_diag_add(diag, fname, r->line, name, "the column appears twice");
			ok = 0;
		} else {
			r->map[c] = (int)i;
		}
	}
	for (int c = 0; c < ncols; c++)
		if (cols[c].required && r->map[c] < 0) {
			coso_diag_add(diag, fname, r->line, cols[c].name, "required column is missing");
			ok = 0;
		}
	return ok;
}

/* ---- writing ---------------------------------------------------------- */

void coso_csv_put(FILE *fp, const char *s, bool last)
{
	size_t n = s ? strlen(s) : 0;
	bool quote = n > 0 && (strpbrk(s, ",\"\r\n") || s[0] == ' ' || s[n - 1] == ' ');

	if (quote) {
		fputc('"', fp);
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				fputc('"', fp);
			fputc(*p, fp);
		}
		fputc('"', fp);
	} else if (n) {
		fwrite(s, 1, n, fp);
	}
	fputc(last ? '\n' : ',', fp);
}

void coso_csv_put_date(FILE *fp, coso_day d, bool last)
{
	char buf[COSO_DATE_BUFSZ];

	coso_csv_put(fp, coso_date_format(buf, d), last);
}

void coso_csv_put_int(FILE *fp, long long v, bool last)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	coso_csv_put(fp, buf, last);
}
