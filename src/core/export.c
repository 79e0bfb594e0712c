/*
 * export.c: the interchange format's writer (docs/FORMAT.md). Writes the
 * five files with the columns in the order FORMAT.md lists them, RFC 4180
 * quoting where a field needs it, LF line ends, no byte-order mark.
 */
#include "core/export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/error.h"

struct out {
	FILE *fp;
};

/* Writes one field, quoted when it holds a comma, quote, line break or
 * spaces at its ends; `last` ends the record. */
static void put_field(FILE *fp, const char *s, bool last)
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

static void put_date(FILE *fp, coso_day d, bool last)
{
	char buf[COSO_DATE_BUFSZ];

	put_field(fp, coso_date_format(buf, d), last);
}

static void put_int(FILE *fp, long long v, bool last)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	put_field(fp, buf, last);
}

static int write_unit(void *ctx, const coso_unit_row *r)
{
	FILE *fp = ((struct out *)ctx)->fp;

	put_field(fp, r->code, false);
	put_field(fp, r->name, false);
	put_field(fp, coso_level_name(r->level), false);
	put_field(fp, r->kind, false);
	put_field(fp, r->parent_code, false);
	put_date(fp, r->valid_from, false);
	put_date(fp, r->valid_to, false);
	put_int(fp, r->border, false);
	put_int(fp, r->difficult, false);
	if (r->population >= 0)
		put_int(fp, r->population, true);
	else
		put_field(fp, NULL, true);
	return 0;
}

static int write_institution(void *ctx, const coso_institution_row *r)
{
	FILE *fp = ((struct out *)ctx)->fp;

	put_field(fp, r->code, false);
	put_field(fp, r->name, false);
	put_field(fp, r->kind, false);
	put_field(fp, r->unit_code, false);
	put_date(fp, r->valid_from, false);
	put_date(fp, r->valid_to, true);
	return 0;
}

static int write_org(void *ctx, const coso_org_row *r)
{
	FILE *fp = ((struct out *)ctx)->fp;

	put_field(fp, r->code, false);
	put_field(fp, r->name, false);
	put_field(fp, r->kind, false);
	put_int(fp, r->grassroots, false);
	put_field(fp, r->parent_code, false);
	put_field(fp, r->site_unit, false);
	put_field(fp, r->site_institution, false);
	put_date(fp, r->valid_from, false);
	put_date(fp, r->valid_to, true);
	return 0;
}

static int write_member(void *ctx, const coso_member_row *r)
{
	FILE *fp = ((struct out *)ctx)->fp;

	put_field(fp, r->id, false);
	put_field(fp, r->full_name, false);
	put_field(fp, r->gender, false);
	put_date(fp, r->birth_date, false);
	put_field(fp, r->ethnicity, false);
	put_date(fp, r->admitted_on, false);
	put_date(fp, r->official_on, false);
	put_date(fp, r->ended_on, false);
	put_field(fp, r->end_reason, true);
	return 0;
}

static int write_period(void *ctx, const coso_period_row *r)
{
	FILE *fp = ((struct out *)ctx)->fp;

	put_field(fp, r->member_id, false);
	put_date(fp, r->valid_from, false);
	put_date(fp, r->valid_to, false);
	put_field(fp, r->org_code, false);
	put_field(fp, r->residence_code, true);
	return 0;
}

static const char *const headers[COSO_FILE_MAX] = {
	"code,name,level,kind,parent_code,valid_from,valid_to,border,difficult,population\n",
	"code,name,kind,unit_code,valid_from,valid_to\n",
	"code,name,kind,grassroots,parent_code,site_unit,site_institution,valid_from,valid_to\n",
	"id,full_name,gender,birth_date,ethnicity,admitted_on,official_on,ended_on,end_reason\n",
	"member_id,valid_from,valid_to,org_code,residence_code\n",
};

static int write_file(coso_store *st, const char *dir, coso_file f)
{
	char path[4096], tmp[4200];
	struct out o = { NULL };
	int rc;

	if (snprintf(path, sizeof(path), "%s/%s", dir, coso_file_name(f)) >= (int)sizeof(path))
		return coso_error_set(COSO_EINVALID, "%s: path too long", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	o.fp = fopen(tmp, "wb");
	if (!o.fp)
		return coso_error_set(COSO_EIO, "%s: cannot write: %s", tmp, strerror(errno));
	fputs(headers[f], o.fp);
	switch (f) {
	case COSO_FILE_UNITS: rc = coso_store_each_unit(st, write_unit, &o); break;
	case COSO_FILE_INSTITUTIONS: rc = coso_store_each_institution(st, write_institution, &o); break;
	case COSO_FILE_ORGS: rc = coso_store_each_org(st, write_org, &o); break;
	case COSO_FILE_MEMBERS: rc = coso_store_each_member(st, write_member, &o); break;
	default: rc = coso_store_each_period(st, write_period, &o); break;
	}
	if (ferror(o.fp) && rc == 0)
		rc = coso_error_set(COSO_EIO, "%s: write failed", tmp);
	if (fclose(o.fp) != 0 && rc == 0)
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
	/* One read transaction, so the five files show one state of the registry. */
	if ((rc = coso_store_begin_read(st)) < 0)
		return rc;
	for (int f = 0; f < COSO_FILE_MAX && rc == 0; f++)
		rc = write_file(st, dir, (coso_file)f);
	coso_store_end_read(st);
	return rc;
}
