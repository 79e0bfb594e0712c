/*
 * register.h: the files of the interchange format beyond the registry's five.
 *
 * A register is a module's set of CSV files (candidates, transfers, one-stop
 * cases, ...). Each file is described by a coso_register_file: its columns,
 * the column that keys a row, and the module's callbacks. `coso import` reads
 * the register files that are present after the five registry files, in the
 * one transaction, with the same rules: every row is checked while it is
 * read, problems name FILE:LINE: column, then each register checks itself as
 * a whole (by key, lines found again as for the registry), and any problem
 * rolls everything back. `coso export` writes every register file.
 *
 * A module adds its files to the list in core/registers.c.
 */
#ifndef COSO_CORE_REGISTER_H
#define COSO_CORE_REGISTER_H

#include <stdbool.h>
#include <stdio.h>

#include "db/store.h"
#include "util/csv.h"
#include "util/date.h"
#include "util/diag.h"

#define COSO_ROW_MAX_COLS 24

typedef struct coso_column {
	const char *name;
	bool required; /* the header must have it */
} coso_column;

typedef struct coso_register_file coso_register_file;

/* One file being read: its reader, header map and the current row. */
typedef struct coso_row {
	coso_diag *diag;
	const char *fname;
	const coso_column *cols;
	int ncols;
	coso_csv *csv;
	int map[COSO_ROW_MAX_COLS]; /* column -> field index, or -1 when absent */
	size_t nheader;
	long line;
	int row_errors;
} coso_row;

/* ---- the fields of the current row ----------------------------------------
 * Each checker adds a problem `FILE:LINE: column: what` to the import's
 * diagnostics when the field is wrong, and returns a neutral value; a loader
 * stores the row only when coso_row_errors() is 0. */

/* The text of column `col` ("" when absent or empty). */
const char *coso_row_field(coso_row *r, int col);
/* A required text (names, kinds). */
const char *coso_row_text(coso_row *r, int col);
/* A code: no spaces around it. NULL when empty (a problem when required). */
const char *coso_row_code(coso_row *r, int col, bool required);
/* One of `set` (NULL-terminated); required. */
const char *coso_row_enum(coso_row *r, int col, const char *const *set);
/* One of `set` or empty (NULL). */
const char *coso_row_enum_opt(coso_row *r, int col, const char *const *set);
/* A date YYYY-MM-DD; empty gives `dflt` (a problem when required). */
coso_day coso_row_date(coso_row *r, int col, bool required, coso_day dflt);
/* A 0/1 flag; empty is 0 (a problem when required). */
int coso_row_flag(coso_row *r, int col, bool required);
/* A whole number >= 0; -1 when empty. */
long long coso_row_count(coso_row *r, int col);
/* A problem when `to` is not after `from` (named on column to_col). */
void coso_row_period(coso_row *r, coso_day from, coso_day to, int to_col);
/* Any other problem of the row; col -1 names no column. */
void coso_row_problem(coso_row *r, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static inline int coso_row_errors(const coso_row *r) { return r->row_errors; }

/* Whether s is one of set; the set as "a, b, c" (for messages). */
bool coso_one_of(const char *s, const char *const *set);
void coso_list_of(char *buf, size_t n, const char *const *set);

/* Opens `fp` as file `fname` with columns `cols` and reads its header.
 * Returns 1 when the header is usable, 0 when it had problems (added to
 * diag), negative on errors. Free r->csv with coso_csv_free. */
int coso_row_open(coso_row *r, FILE *fp, const char *fname, const coso_column *cols, int ncols,
		  coso_diag *diag);

/* ---- writing (export) ----------------------------------------------------- */

/* One field, quoted when it needs it (RFC 4180); `last` ends the record. NULL
 * and "" are an empty field. */
void coso_csv_put(FILE *fp, const char *s, bool last);
/* A date; COSO_DAY_MIN / COSO_DAY_MAX are written empty. */
void coso_csv_put_date(FILE *fp, coso_day d, bool last);
void coso_csv_put_int(FILE *fp, long long v, bool last);

/* ---- a register file ------------------------------------------------------ */

struct coso_register_file {
	const char *name;          /* "candidates.csv" */
	const coso_column *cols;   /* in the order export writes them */
	int ncols;
	int key_col;               /* the column that keys a row */
	int from_col;              /* -1, or the date that tells one key's rows apart */
	/* Before the first row (optional): prepare, note that the file is loaded. */
	int (*begin)(coso_store *st);
	/* One row: check its fields with coso_row_*, store it when the row had
	 * no problem. A file's rows replace the stored rows of the keys it
	 * names. Returns 0, COSO_ECONFLICT for a key (and from) already given in
	 * this file, or a negative coso_rc to stop the import. */
	int (*load)(coso_store *st, coso_row *r);
	/* After the last row (optional). */
	int (*end)(coso_store *st);
	/* The register as a whole, after every file is loaded and the registry
	 * checked (optional): calls fn for each problem, naming the row by
	 * key and valid_from (COSO_DAY_MIN when from_col is -1); p->file is
	 * ignored. Returns the number of problems or a negative coso_rc. */
	int (*check)(coso_store *st, coso_problem_fn fn, void *ctx);
	/* Writes every stored row, in key order, with coso_csv_put* (the
	 * header is written from cols). Returns 0 or a negative coso_rc. */
	int (*export_rows)(coso_store *st, FILE *fp);
};

/* Every register file, in load order (a file after those it refers to). */
extern const coso_register_file *const coso_register_files[];
/* How many there are. */
int coso_register_count(void);

#endif
