/*
 * export.c: the interchange format's writer (docs/FORMAT.md). Writes the
 * five files with the columns in the order FORMAT.md lists them, then every
 * register's files (core/register.h); RFC 4180 quoting where a field needs
 * it, LF line ends, no byte-order mark.
 */
#include "core/export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/register.h"
#include "util/error.h"

struct out {
	FILE *fp;
};

static int write_unit(void *ctx, const coso_unit_row *r)
{
	FILE *fp = ((struct out *)ctx)->fp;

	coso_csv_put(fp, r->code, false);
	coso_csv_put(fp, r->name, false);
	coso_csv_put(fp, coso_level_name(r->level), false);
	coso_csv_put(fp, r->kind, false);
	coso_csv_put(fp, r->parent_code, false);
	coso_csv_put_date(fp, r->valid_from, false);
	coso_csv_put_date(fp, r->valid_to, false);
	coso_csv_put_int(fp, r->border, false);
	coso_csv_put_int(fp, r->difficult, false);
	if (r->population >= 0)
		coso_csv_put_int(fp, r->population, true);
	else
		coso_csv_put(fp, NULL, true);
	return 0;
}

static int write_institution(void *ctx, const coso_institution_row *r)
{
	FILE *fp = ((struct out *)ctx)->fp;

	coso_csv_put(fp, r->code, false);
	coso_csv_put(fp, r->name, false);
	coso_csv_put(fp, r->kind, false);
	coso_csv_put(fp, r->unit_code, false);
	coso_csv_put_date(fp, r->valid_from, false);
	coso_csv_put_date(fp, r->valid_to, true);
	return 0;
}

static int write_org(void *ctx, const coso_org_row *r)
{
	FILE *fp = ((struct out *)ctx)->fp;

	coso_csv_put(fp, r->code, false);
	coso_csv_put(fp, r->name, false);
	coso_csv_put(fp, r->kind, false);
	coso_csv_put_int(fp, r->grassroots, false);
	coso_csv_put(fp, r->parent_code, false);
	coso_csv_put(fp, r->site_unit, false);
	coso_csv_put(fp, r->site_institution, false);
	coso_csv_put_date(fp, r->valid_from, false);
	coso_csv_put_date(fp, r->valid_to, true);
	return 0;
}

static int write_member(void *ctx, const coso_member_row *r)
{
	FILE *fp = ((struct out *)ctx)->fp;

	coso_csv_put(fp, r->id, false);
	coso_csv_put(fp, r->full_name, false);
	coso_csv_put(fp, r->gender, false);
	coso_csv_put_date(fp, r->birth_date, false);
	coso_csv_put(fp, r->ethnicity, false);
	coso_csv_put_date(fp, r->admitted_on, false);
	coso_csv_put_date(fp, r->official_on, false);
	coso_csv_put_date(fp, r->ended_on, false);
	coso_csv_put(fp, r->end_reason, true);
	return 0;
}

static int write_period(void *ctx, const coso_period_row *r)
{
	FILE *fp = ((struct out *)ctx)->fp;

	coso_csv_put(fp, r->member_id, false);
	coso_csv_put_date(fp, r->valid_from, false);
	coso_csv_put_date(fp, r->valid_to, false);
	coso_csv_put(fp, r->org_code, false);
	coso_csv_put(fp, r->residence_code, true);
	return 0;
}

static const char *const headers[COSO_FILE_MAX] = {
	"code,name,level,kind,parent_code,valid_from,valid_to,border,difficult,population\n",
	"code,name,kind,unit_code,valid_from,valid_to\n",
	"code,name,kind,grassroots,parent_code,site_unit,site_institution,valid_from,valid_to\n",
	"id,full_name,gender,birth_date,ethnicity,admitted_on,official_on,ended_on,end_reason\n",
	"member_id,valid_from,valid_to,org_code,residence_code\n",
};

/* The rows of registry file f, or of register file reg. */
static int write_rows(coso_store *st, FILE *fp, int f, const coso_register_file *reg)
{
	if (reg) {
		for (int c = 0; c < reg->ncols; c++)
			coso_csv_put(fp, reg->cols[c].name, c == reg->ncols - 1);
		return reg->export_rows(st, fp);
	}
	struct out o = { fp };

	fputs(headers[f], fp);
	switch ((coso_file)f) {
	case COSO_FILE_UNITS: return coso_store_each_unit(st, write_unit, &o);
	case COSO_FILE_INSTITUTIONS: return coso_store_each_institution(st, write_institution, &o);
	case COSO_FILE_ORGS: return coso_store_each_org(st, write_org, &o);
	case COSO_FILE_MEMBERS: return coso_store_each_member(st, write_member, &o);
	default: return coso_store_each_period(st, write_period, &o);
	}
}

static int write_file(coso_store *st, const char *dir, int f, const coso_register_file *reg)
{
	char path[4096], tmp[4200];
	const char *name = reg ? reg->name : coso_file_name((coso_file)f);
	FILE *fp;
	int rc;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return coso_error_set(COSO_EINVALID, "%s: path too long", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fp = fopen(tmp, "wb");
	if (!fp)
		return coso_error_set(COSO_EIO, "%s: cannot write: %s", tmp, strerror(errno));
	rc = write_rows(st, fp, f, reg);
	if (ferror(fp) && rc == 0)
		rc = coso_error_set(COSO_EIO, "%s: write failed", tmp);
	if (fclose(fp) != 0 && rc == 0)
		rc = coso_error_set(COSO_EIO, "%s: write failed: %s", tmp, strerror(errno));
	if (rc == 0 && rename(tmp, path) != 0)
		rc = coso_error_set(COSO_EIO, "%s: cannot rename into place: %s", path, strerror(errno));
	if (rc != 0)
		remove(tmp);
	return rc;
}

int coso_export_dir(coso_store *st, const char *dir)
{
	struct stat sb;
	int rc;

	if (stat(dir, &sb) != 0) {
		if (mkdir(dir, 0777) != 0)
			return coso_error_set(COSO_EIO, "%s: cannot create the folder: %s", dir, strerror(errno));
	} else if (!S_ISDIR(sb.st_mode)) {
		return coso_error_set(COSO_EINVALID, "%s: not a folder", dir);
	}
	/* One read transaction, so the files show one state of the registry. */
	if ((rc = coso_store_begin_read(st)) < 0)
		return rc;
	for (int f = 0; f < COSO_FILE_MAX && rc == 0; f++)
		rc = write_file(st, dir, f, NULL);
	for (int i = 0; i < coso_register_count() && rc == 0; i++)
		rc = write_file(st, dir, 0, coso_register_files[i]);
	coso_store_end_read(st);
	return rc;
}
