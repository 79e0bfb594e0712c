/*
 * test_import.c: unit tests of core/import (coso_import_dir): the CSV
 * details of the format (byte-order mark, CRLF, columns in any order, quoted
 * line breaks), the `FILE:LINE: column: what is wrong` messages of both
 * passes of checks, all-or-nothing, and the bounded diagnostics.
 *
 * Each test works on a fresh database in its own temporary folder and writes
 * the registry folders it imports from strings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/export.h"
#include "core/import.h"
#include "core/registry.h"
#include "db/store.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/error.h"

/* ---- temporary folder --------------------------------------------------------- */

static void rm_rf(const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;

		while (d && (e = readdir(d)) != NULL) {
			char sub[4096];

			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			rm_rf(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

struct fx {
	char dir[64];
	char db[96];
	char path[160]; /* the last folder written */
	coso_store *st;
	coso_diag diag;
	coso_import_stats stats;
	int folders;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s", "/tmp/coso-test-import-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/r.db", f->dir);
	if (coso_store_open(&f->st, f->db, COSO_STORE_CREATE, NULL) < 0) {
		rm_rf(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	coso_diag_clear(&f->diag);
	coso_store_close(f->st);
	rm_rf(f->dir);
	free(f);
	return 0;
}

/* The five files of a folder, in coso_file order; NULL: not present. */
typedef const char *folder[COSO_FILE_MAX];

/* Writes a new folder with the given files; returns its path. */
static const char *write_folder(struct fx *f, const folder files)
{
	snprintf(f->path, sizeof(f->path), "%s/in%d", f->dir, ++f->folders);
	assert_int_equal(mkdir(f->path, 0700), 0);
	for (int i = 0; i < COSO_FILE_MAX; i++) {
		char p[256];
		FILE *fp;

		if (!files[i])
			continue;
		snprintf(p, sizeof(p), "%s/%s", f->path, coso_file_name((coso_file)i));
		fp = fopen(p, "wb");
		assert_non_null(fp);
		assert_int_equal(fwrite(files[i], 1, strlen(files[i]), fp), strlen(files[i]));
		assert_int_equal(fclose(fp), 0);
	}
	return f->path;
}

/* Imports a folder with a fresh diag; returns the rc. */
static int import(struct fx *f, const folder files)
{
	const char *dir = write_folder(f, files);

	coso_diag_clear(&f->diag);
	return coso_import_dir(f->st, dir, &f->diag, &f->stats, NULL);
}

static void dump_diag(const struct fx *f)
{
	print_error("diag: %zu kept, %zu total\n", f->diag.n, f->diag.total);
	for (size_t i = 0; i < f->diag.n && i < 40; i++)
		print_error("  %s\n", f->diag.msgs[i]);
}

/* Imports and asserts success. */
static void import_ok(struct fx *f, const folder files, int line)
{
	int rc = import(f, files);

	if (rc != 0) {
		dump_diag(f);
		fail_msg("line %d: import failed (%d): %s", line, rc, coso_error_last());
	}
}
#define IMPORT_OK(f, ...) import_ok(f, (folder){ __VA_ARGS__ }, __LINE__)

/* Asserts that the diag holds exactly these messages, in this order. */
static void expect_diag(const struct fx *f, const char *const *want, size_t n, int line)
{
	bool ok = f->diag.n == n && f->diag.total == n;

	for (size_t i = 0; ok && i < n; i++)
		ok = strcmp(f->diag.msgs[i], want[i]) == 0;
	if (!ok) {
		dump_diag(f);
		print_error("expected:\n");
		for (size_t i = 0; i < n; i++)
			print_error("  %s\n", want[i]);
		fail_msg("line %d: the problems are not the expected ones", line);
	}
}
#define EXPECT_DIAG(f, ...)                                                              \
	expect_diag(f, (const char *const[]){ __VA_ARGS__ },                           \
		    sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *), __LINE__)

/* ---- a small valid registry --------------------------------------------------- */

#define UNITS_HEAD "code,name,level,kind,parent_code,valid_from,valid_to,border,difficult,population\n"
#define INSTS_HEAD "code,name,kind,unit_code,valid_from,valid_to\n"
#define ORGS_HEAD "code,name,kind,grassroots,parent_code,site_unit,site_institution,valid_from,valid_to\n"
#define MEMBERS_HEAD "id,full_name,gender,birth_date,ethnicity,admitted_on,official_on,ended_on,end_reason\n"
#define PERIODS_HEAD "member_id,valid_from,valid_to,org_code,residence_code\n"

static const char base_units[] = UNITS_HEAD
	"01,Tỉnh Thử,province,tỉnh,,,,0,0,\n"                 /* line 2 */
	"001,Huyện Một,district,huyện,01,,,0,0,\n"            /* 3 */
	"00001,Xã Một,commune,xã,001,,,1,1,1200\n"            /* 4 */
	"00001-01,Bản Một,village,bản,00001,,,0,1,\n";        /* 5 */
static const char base_insts[] = INSTS_HEAD
	"S1,Trường Một,school,00001-01,2016-09-01,\n";        /* 2 */
static const char base_orgs[] = ORGS_HEAD
	"OP,Đảng bộ tỉnh,committee,0,,01,,,\n"                /* 2 */
	"OC,Đảng bộ xã Một,committee,1,OP,00001,,,\n"         /* 3 */
	"CV,Chi bộ bản Một,cell,0,OC,00001-01,,,\n"           /* 4 */
	"CS,Chi bộ trường Một,cell,0,OC,,S1,2017-01-10,\n";   /* 5 */
static const char base_members[] = MEMBERS_HEAD
	"M1,Lò Văn A,male,1980-01-01,Thái,2010-01-01,2011-01-01,,\n"   /* 2 */
	"M2,Lò Thị B,female,1990-01-01,Thái,2017-05-22,,,\n";          /* 3 */
static const char base_periods[] = PERIODS_HEAD
	"M1,2010-01-01,,CV,00001-01\n"                        /* 2 */
	"M2,2017-05-22,,CS,00001-01\n";                       /* 3 */

#define BASE base_units, base_insts, base_orgs, base_members, base_periods

/* ---- reading back ------------------------------------------------------------- */

struct unit_seen {
	char text[1024]; /* "code|name|parent|from|to|border|difficult|population;" */
	int n;
};

static int see_unit(void *ctx, const coso_unit_row *r)
{
	struct unit_seen *s = ctx;
	size_t used = strlen(s->text);
	char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ];

	s->n++;
	snprintf(s->text + used, sizeof(s->text) - used, "%s|%s|%s|%s|%s|%d|%d|%lld;", r->code, r->name,
		 r->parent_code ? r->parent_code : "-", coso_date_format(a, r->valid_from),
		 coso_date_format(b, r->valid_to), r->border, r->difficult, r->population);
	return 0;
}

static int count_row(void *ctx, const void *r)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}
static int count_inst(void *ctx, const coso_institution_row *r) { return count_row(ctx, r); }
static int count_org(void *ctx, const coso_org_row *r) { return count_row(ctx, r); }
static int count_member(void *ctx, const coso_member_row *r) { return count_row(ctx, r); }
static int count_period(void *ctx, const coso_period_row *r) { return count_row(ctx, r); }

/* Rows per file, units first. */
static void count_rows(coso_store *st, int out[COSO_FILE_MAX])
{
	struct unit_seen u;

	memset(&u, 0, sizeof(u));
	memset(out, 0, sizeof(int) * COSO_FILE_MAX);
	assert_int_equal(coso_store_each_unit(st, see_unit, &u), 0);
	out[COSO_FILE_UNITS] = u.n;
	assert_int_equal(coso_store_each_institution(st, count_inst, &out[COSO_FILE_INSTITUTIONS]), 0);
	assert_int_equal(coso_store_each_org(st, count_org, &out[COSO_FILE_ORGS]), 0);
	assert_int_equal(coso_store_each_member(st, count_member, &out[COSO_FILE_MEMBERS]), 0);
	assert_int_equal(coso_store_each_period(st, count_period, &out[COSO_FILE_MEMBER_PERIODS]), 0);
}

/* The registry as exported: the five files, concatenated. Free the result. */
static char *snapshot(struct fx *f)
{
	char dir[160], p[256];
	char *all = NULL;
	size_t len = 0;

	snprintf(dir, sizeof(dir), "%s/export%d", f->dir, ++f->folders);
	assert_int_equal(coso_export_dir(f->st, dir), 0);
	for (int i = 0; i < COSO_FILE_MAX; i++) {
		FILE *fp;
		char buf[4096];
		size_t n;

		snprintf(p, sizeof(p), "%s/%s", dir, coso_file_name((coso_file)i));
		fp = fopen(p, "rb");
		assert_non_null(fp);
		while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
			char *grown = realloc(all, len + n + 1);

			assert_non_null(grown);
			all = grown;
			memcpy(all + len, buf, n);
			len += n;
			all[len] = '\0';
		}
		fclose(fp);
	}
	rm_rf(dir);
	return all;
}

/* ---- the CSV of the format ------------------------------------------------------- */

static void import__accepts_a_bom_crlf_and_columns_in_any_order(void **state)
{
	struct fx *f = *state;
	struct unit_seen u;
	int rows[COSO_FILE_MAX];

	IMPORT_OK(f,
		  "\xEF\xBB\xBF"
		  "population,valid_to,kind,code,difficult,parent_code,name,border,level,valid_from\r\n"
		  ",,tỉnh,01,0,,Tỉnh Thử,0,province,\r\n"
		  ",,huyện,001,0,01,Huyện Một,0,district,\r\n"
		  "1200,,xã,00001,1,001,Xã Một,1,commune,\r\n"
		  ",,bản,00001-01,1,00001,Bản Một,0,village,\r\n",
		  "\xEF\xBB\xBF" "valid_to,unit_code,code,valid_from,name,kind\r\n"
		  ",00001-01,S1,2016-09-01,Trường Một,school\r\n",
		  "site_institution,valid_to,valid_from,site_unit,parent_code,grassroots,kind,name,code\r\n"
		  ",,,01,,0,committee,Đảng bộ tỉnh,OP\r\n"
		  ",,,00001,OP,1,committee,Đảng bộ xã Một,OC\r\n"
		  ",,,00001-01,OC,0,cell,Chi bộ bản Một,CV\r\n"
		  "S1,,2017-01-10,,OC,0,cell,Chi bộ trường Một,CS\r\n",
		  "\xEF\xBB\xBF" "end_reason,ended_on,official_on,admitted_on,ethnicity,birth_date,gender,full_name,id\r\n"
		  ",,2011-01-01,2010-01-01,Thái,1980-01-01,male,Lò Văn A,M1\r\n"
		  ",,,2017-05-22,Thái,1990-01-01,female,Lò Thị B,M2\r\n",
		  "residence_code,org_code,valid_to,valid_from,member_id\r\n"
		  "00001-01,CV,,2010-01-01,M1\r\n"
		  "00001-01,CS,,2017-05-22,M2\r\n");
	assert_int_equal(f->diag.total, 0);
	for (int i = 0; i < COSO_FILE_MAX; i++)
		assert_true(f->stats.present[i]);
	assert_int_equal(f->stats.rows[COSO_FILE_UNITS], 4);
	assert_int_equal(f->stats.rows[COSO_FILE_ORGS], 4);
	assert_int_equal(f->stats.rows[COSO_FILE_MEMBER_PERIODS], 2);

	/* every value landed in its column, with no CR or BOM left on it */
	memset(&u, 0, sizeof(u));
	assert_int_equal(coso_store_each_unit(f->st, see_unit, &u), 0);
	assert_string_equal(u.text, "00001|Xã Một|001|||1|1|1200;"
				    "00001-01|Bản Một|00001|||0|1|-1;"
				    "001|Huyện Một|01|||0|0|-1;"
				    "01|Tỉnh Thử|-|||0|0|-1;");
	count_rows(f->st, rows);
	assert_int_equal(rows[COSO_FILE_INSTITUTIONS], 1);
	assert_int_equal(rows[COSO_FILE_MEMBERS], 2);
}

static void import__reads_only_the_files_present(void **state)
{
	struct fx *f = *state;
	int rows[COSO_FILE_MAX];

	IMPORT_OK(f, base_units, NULL, NULL, NULL, NULL);
	assert_true(f->stats.present[COSO_FILE_UNITS]);
	assert_false(f->stats.present[COSO_FILE_ORGS]);
	assert_int_equal(f->stats.rows[COSO_FILE_UNITS], 4);
	count_rows(f->st, rows);
	assert_int_equal(rows[COSO_FILE_UNITS], 4);
	assert_int_equal(rows[COSO_FILE_ORGS], 0);
}

/* ---- problems found while reading a row ------------------------------------------- */

static void row_problems__are_reported_as_file_line_column(void **state)
{
	struct fx *f = *state;

	assert_int_equal(import(f, (folder){
		base_units, base_insts, base_orgs,
		MEMBERS_HEAD
		"M1,Lò Văn A,male,1980-01-01,Thái,2010-01-01,2009-01-01,,\n"  /* 2 */
		"M2,Lò Thị B,female,1990-02-30,Thái,2017-05-22,,,\n"          /* 3 */
		"M3,Lò Thị C,femme,1990-01-01,Thái,2017-05-22,,2018-01-01,\n" /* 4: two problems */
		"M4,Lò Thị D,female,1990-01-01,,2017-05-22,,,\n",             /* 5 */
		base_periods }), COSO_EINVALID);
	EXPECT_DIAG(f,
		    "members.csv:2: official_on: 2009-01-01 is before admitted_on (2010-01-01)",
		    "members.csv:3: birth_date: '1990-02-30' is not a date that exists (write YYYY-MM-DD)",
		    "members.csv:4: gender: 'femme' is not one of: male, female",
		    "members.csv:4: end_reason: is required when ended_on is given",
		    "members.csv:5: ethnicity: is required");
	assert_non_null(strstr(coso_error_last(), "5 problem(s): nothing was imported"));
}

static void a_quoted_line_break__does_not_shift_the_lines_of_the_next_records(void **state)
{
	struct fx *f = *state;

	assert_int_equal(import(f, (folder){
		UNITS_HEAD
		"01,Tỉnh Thử,province,tỉnh,,,,0,0,\n"                   /* 2 */
		"001,\"Huyện\nMột\",district,huyện,01,,,0,0,\n"         /* 3-4 */
		"00001,\"Xã \"\"Một\"\"\r\nmới\",commune,xã,001,,,1,1,\n" /* 5-6 */
		"00001-01,Bản Một,village,bản,00001,,,0,2,\n",         /* 7 */
		NULL, NULL, NULL, NULL }), COSO_EINVALID);
	EXPECT_DIAG(f, "units.csv:7: difficult: '2' is not a flag (0 or 1)");
}

static void a_malformed_header__is_reported_on_line_1(void **state)
{
	struct fx *f = *state;

	assert_int_equal(import(f, (folder){
		"code,name,level,parent_code,colour\n"
		"01,Tỉnh Thử,province,,red\n",
		INSTS_HEAD,
		"", NULL, NULL }), COSO_EINVALID);
	EXPECT_DIAG(f,
		    "units.csv:1: colour: unknown column (the columns of units.csv are: code, name, level, kind,"
		    " parent_code, valid_from, valid_to, border, difficult, population)",
		    "units.csv:1: kind: required column is missing",
		    "orgs.csv:1: the file is empty: it needs a header row");
}

static void a_second_row_of_a_key_on_the_same_day__is_reported_on_its_line(void **state)
{
	struct fx *f = *state;

	assert_int_equal(import(f, (folder){
		UNITS_HEAD
		"01,Tỉnh Thử,province,tỉnh,,,,0,0,\n"
		"001,Huyện Một,district,huyện,01,,2020-01-01,0,0,\n"
		"001,Huyện Một,district,huyện,01,,,0,0,\n",           /* 4 */
		INSTS_HEAD
		"S1,Trường,school,001,,\n"
		"S1,Trường,school,001,2016-01-01,\n",                /* 3 */
		NULL, NULL, NULL }), COSO_EINVALID);
	EXPECT_DIAG(f,
		    "units.csv:4: valid_from: another row of 001 starts on the same day",
		    "institutions.csv:3: code: 'S1' appears on more than one row");
}

/*
 * A record that the CSV reader cannot parse (a quote inside an unquoted
 * field, an unterminated quote, invalid UTF-8, a field too long) is reported
 * as FILE:LINE: like every other problem (it once read "units.csv: line 3:").
 */
static void a_malformed_record__is_reported_as_file_line(void **state)
{
	struct fx *f = *state;

	assert_int_equal(import(f, (folder){
		UNITS_HEAD
		"01,Tỉnh Thử,province,tỉnh,,,,0,0,\n"
		"001,Huyện \"Một\",district,huyện,01,,,0,0,\n",       /* 3 */
		NULL, NULL, NULL, NULL }), COSO_EINVALID);
	assert_int_equal(f->diag.total, 1);
	if (strncmp(f->diag.msgs[0], "units.csv:3: ", strlen("units.csv:3: ")) != 0)
		fail_msg("got '%s', expected it to start with 'units.csv:3: '", f->diag.msgs[0]);
}

/* ---- problems of the whole registry ------------------------------------------------- */

static void whole_registry_problems__get_the_line_of_their_row(void **state)
{
	struct fx *f = *state;

	assert_int_equal(import(f, (folder){
		UNITS_HEAD
		"01,Tỉnh Thử,province,tỉnh,,,,0,0,\n"                 /* 2 */
		"001,Huyện Một,district,huyện,01,,2019-01-01,0,0,\n"  /* 3 */
		"00001,\"Xã\nMột\",commune,xã,001,,,1,1,1200\n"       /* 4-5 */
		"001,Huyện Một,district,huyện,01,2019-06-01,,0,0,\n"  /* 6: a gap */
		"00001-01,Bản Một,village,bản,00001,,,0,1,\n",        /* 7 */
		base_insts,
		ORGS_HEAD
		"OP,Đảng bộ tỉnh,committee,0,,01,,,\n"                /* 2 */
		"OC,Đảng bộ xã Một,committee,1,OX,00001,,,\n"         /* 3: no OX */
		"CV,Chi bộ bản Một,cell,0,OC,00001-01,,,\n"           /* 4 */
		"CS,Chi bộ trường Một,cell,0,OC,,S1,2016-01-10,\n",   /* 5: before S1 */
		MEMBERS_HEAD
		"M1,Lò Văn A,male,1980-01-01,Thái,2010-01-01,2011-01-01,,\n"  /* 2 */
		"M2,Lò Thị B,female,1990-01-01,Thái,2017-05-22,,,\n"          /* 3 */
		"M3,Lò Thị C,female,1990-01-01,Thái,2017-05-22,,,\n",         /* 4: no period */
		PERIODS_HEAD
		"M1,2010-01-01,2012-01-01,CV,00001-01\n"              /* 2 */
		"M2,2017-06-01,,CS,00001-01\n"                        /* 3: after admission */
		"M1,2013-01-01,,CV,\n" }),                            /* 4: a gap */
		COSO_EINVALID);
	EXPECT_DIAG(f,
		    "units.csv:6: valid_from: leaves a gap after the previous row of unit 001, which ends 2019-01-01",
		    "orgs.csv:3: parent_code: organization OX does not exist",
		    "orgs.csv:5: site_institution: institution S1 does not exist for the whole period from 2016-01-10 on"
		    " (it exists from 2016-09-01 on)",
		    "members.csv:4: id: member M3 has no period in member_periods.csv",
		    "member_periods.csv:3: valid_from: the first period of member M2 starts after the admission"
		    " (admitted_on 2017-05-22)",
		    "member_periods.csv:4: valid_from: no period of member M1 covers from 2012-01-01 to 2013-01-01,"
		    " while the member is active (from 2010-01-01 on)");
}

static void a_stored_row_broken_by_a_later_import__is_reported_without_a_line(void **state)
{
	struct fx *f = *state;

	IMPORT_OK(f, BASE);
	/* close the village in 2015: the school, the cell and both periods
	 * that stand in it are stored rows this import makes wrong */
	assert_int_equal(import(f, (folder){
		UNITS_HEAD "00001-01,Bản Một,village,bản,00001,,2015-01-01,0,1,\n",
		NULL, NULL, NULL, NULL }), COSO_EINVALID);
	EXPECT_DIAG(f,
		    "institutions.csv: unit_code: stored row S1: unit 00001-01 does not exist for the whole period"
		    " from 2016-09-01 on (it exists until 2015-01-01)",
		    "orgs.csv: site_unit: stored row CV: unit 00001-01 does not exist for the whole period always"
		    " (it exists until 2015-01-01)",
		    "member_periods.csv: residence_code: stored row M1 from 2010-01-01: unit 00001-01 does not exist"
		    " for the whole period from 2010-01-01 on (it exists until 2015-01-01)",
		    "member_periods.csv: residence_code: stored row M2 from 2017-05-22: unit 00001-01 does not exist"
		    " for the whole period from 2017-05-22 on (it exists until 2015-01-01)");
}

static void a_row_of_this_import_and_a_stored_row__are_told_apart(void **state)
{
	struct fx *f = *state;

	IMPORT_OK(f, BASE);
	/* A new cell in a village that does not exist (a row of this import:
	 * it gets its line); the school cell CS closed in 2018, which strands
	 * M2's stored period. member_periods.csv is present but names only M1,
	 * so M2's period is a stored row: no line, even though the file is
	 * there. */
	assert_int_equal(import(f, (folder){
		NULL, NULL,
		ORGS_HEAD "CX,Chi bộ X,cell,0,OC,00009-01,,,\n"
			  "CS,Chi bộ trường Một,cell,0,OC,,S1,2017-01-10,2018-01-01\n",
		NULL,
		PERIODS_HEAD "M1,2010-01-01,,CX,00001-01\n" }), COSO_EINVALID);
	EXPECT_DIAG(f,
		    "orgs.csv:2: site_unit: unit 00009-01 does not exist",
		    "member_periods.csv: org_code: stored row M2 from 2017-05-22: organization CS does not exist for"
		    " the whole period from 2017-05-22 on (it exists from 2017-01-10 to 2018-01-01)");
}

/* ---- all or nothing -------------------------------------------------------------------- */

static void a_failed_import__leaves_the_registry_as_it_was(void **state)
{
	struct fx *f = *state;
	char *before, *after;
	int rows[COSO_FILE_MAX];

	/* a failed first import leaves the registry empty */
	assert_int_equal(import(f, (folder){ base_units, base_insts, base_orgs, base_members,
					     PERIODS_HEAD "M1,2010-01-01,,CV,00001-01\n" }),
			 COSO_EINVALID); /* M2 has no period */
	count_rows(f->st, rows);
	for (int i = 0; i < COSO_FILE_MAX; i++)
		assert_int_equal(rows[i], 0);

	IMPORT_OK(f, BASE);
	before = snapshot(f);
	count_rows(f->st, rows);
	assert_int_equal(rows[COSO_FILE_UNITS], 4);
	assert_int_equal(rows[COSO_FILE_MEMBER_PERIODS], 2);

	/* a problem found while reading: good rows of other files are not kept */
	assert_int_equal(import(f, (folder){
		UNITS_HEAD "00001,Xã Một mới,commune,xã,001,,,1,1,1300\n"
			   "00001-02,Bản Hai,village,bản,00001,,,0,0,\n",
		NULL, NULL,
		MEMBERS_HEAD "M1,Lò Văn A,male,1980-01-01,Thái,2010-01-01,2009-01-01,,\n",
		NULL }), COSO_EINVALID);
	after = snapshot(f);
	assert_string_equal(after, before);
	free(after);

	/* a problem of the whole registry */
	assert_int_equal(import(f, (folder){
		UNITS_HEAD "00001,Xã Một mới,commune,xã,001,,,1,1,1300\n"
			   "00001-02,Bản Hai,village,bản,00001,,,0,0,\n",
		NULL,
		ORGS_HEAD "CV2,Chi bộ bản Hai,cell,0,OC,00001-02,,,\n",
		MEMBERS_HEAD "M3,Lò Văn C,male,1980-01-01,Thái,2012-01-01,,,\n",
		PERIODS_HEAD "M1,2010-01-01,,CV9,00001-01\n" }), COSO_EINVALID);
	after = snapshot(f);
	assert_string_equal(after, before);
	free(after);
	free(before);
}

/* ---- bounded diagnostics ----------------------------------------------------------------- */

static void problems_beyond_the_limit__are_counted_not_kept(void **state)
{
	struct fx *f = *state;
	size_t cap = 64 + 1200 * 64, len;
	char *units = malloc(cap);

	assert_non_null(units);
	len = (size_t)snprintf(units, cap, "%s", UNITS_HEAD "01,Tỉnh,province,tỉnh,,,,0,0,\n");
	for (int i = 1; i <= 1200; i++)
		len += (size_t)snprintf(units + len, cap - len, "V%04d,Bản,village,bản,01,,,0,0,-%d\n", i, i);
	assert_int_equal(import(f, (folder){ units, NULL, NULL, NULL, NULL }), COSO_EINVALID);
	free(units);
	assert_int_equal(f->diag.total, 1200);
	assert_int_equal(f->diag.n, COSO_DIAG_MAX);
	assert_string_equal(f->diag.msgs[0], "units.csv:3: population: '-1' is not a whole number");
	assert_string_equal(f->diag.msgs[COSO_DIAG_MAX - 1],
			    "units.csv:1002: population: '-1000' is not a whole number");
	assert_non_null(strstr(coso_error_last(), "1200 problem(s)"));
}

static void whole_registry_problems_beyond_the_limit__are_counted_not_kept(void **state)
{
	struct fx *f = *state;
	size_t cap = 64 + 1200 * 64, len;
	char *units = malloc(cap);

	assert_non_null(units);
	/* 1200 districts without a parent: each row is fine on its own */
	len = (size_t)snprintf(units, cap, "%s", UNITS_HEAD "01,Tỉnh,province,tỉnh,,,,0,0,\n");
	for (int i = 1; i <= 1200; i++)
		len += (size_t)snprintf(units + len, cap - len, "D%04d,Huyện,district,huyện,,,,0,0,\n", i);
	assert_int_equal(import(f, (folder){ units, NULL, NULL, NULL, NULL }), COSO_EINVALID);
	free(units);
	assert_int_equal(f->diag.total, 1200);
	assert_int_equal(f->diag.n, COSO_DIAG_MAX);
	assert_string_equal(f->diag.msgs[0],
			    "units.csv:3: parent_code: required for a district (only a province has no parent)");
	for (size_t i = 0; i < f->diag.n; i++)
		assert_true(strncmp(f->diag.msgs[i], "units.csv:", 10) == 0);
}

/* ---- folders ------------------------------------------------------------------------------- */

static void a_folder_without_registry_files__is_an_error(void **state)
{
	struct fx *f = *state;
	char missing[200];

	assert_int_equal(import(f, (folder){ NULL, NULL, NULL, NULL, NULL }), COSO_EINVALID);
	assert_non_null(strstr(coso_error_last(), "no registry file"));
	assert_int_equal(f->diag.total, 0);

	snprintf(missing, sizeof(missing), "%s/nowhere", f->dir);
	assert_int_equal(coso_import_dir(f->st, missing, &f->diag, NULL, NULL), COSO_ENOTFOUND);
	assert_non_null(strstr(coso_error_last(), "not a folder"));
}

/*
 * A regression test (see test_store.c,
 * load__replaces_a_key_again_in_every_later_transaction): importing the same
 * folder again and again through one open store, as the HTTP server will,
 * changes nothing.
 */
static void importing_a_folder_again_and_again_through_one_store__changes_nothing(void **state)
{
	struct fx *f = *state;
	char *first, *now;

	IMPORT_OK(f, BASE);
	first = snapshot(f);
	for (int round = 2; round <= 3; round++) {
		int rc = import(f, (folder){ BASE });

		if (rc != 0) {
			dump_diag(f);
			free(first);
			fail_msg("import number %d failed: %s", round, coso_error_last());
		}
		now = snapshot(f);
		assert_string_equal(now, first);
		free(now);
	}
	free(first);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(import__accepts_a_bom_crlf_and_columns_in_any_order),
		T(import__reads_only_the_files_present),
		T(row_problems__are_reported_as_file_line_column),
		T(a_quoted_line_break__does_not_shift_the_lines_of_the_next_records),
		T(a_malformed_header__is_reported_on_line_1),
		T(a_second_row_of_a_key_on_the_same_day__is_reported_on_its_line),
		T(a_malformed_record__is_reported_as_file_line),
		T(whole_registry_problems__get_the_line_of_their_row),
		T(a_stored_row_broken_by_a_later_import__is_reported_without_a_line),
		T(a_row_of_this_import_and_a_stored_row__are_told_apart),
		T(a_failed_import__leaves_the_registry_as_it_was),
		T(problems_beyond_the_limit__are_counted_not_kept),
		T(whole_registry_problems_beyond_the_limit__are_counted_not_kept),
		T(a_folder_without_registry_files__is_an_error),
		T(importing_a_folder_again_and_again_through_one_store__changes_nothing),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
