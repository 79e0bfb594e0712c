/*
 * import.c: the interchange format's reader (docs/FORMAT.md).
 *
 * Two passes of checks. Reading a file checks each row on its own (columns,
 * dates that exist, periods that end after they start, known values, flags);
 * the rows that pass are loaded into the open transaction. If no row failed,
 * the store then checks the registry as a whole (contiguous rows, references
 * that exist at the time, parents, cycles, member periods). Problems of the
 * second pass name a row by its key; the files are read once more, only then,
 * to find the line of each. Any problem rolls the whole import back.
 */
#include "core/import.h"
#include "core/register.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "db/store_api.h"
#include "db/store_audit.h"
#include "util/csv.h"
#include "util/error.h"
#include "util/timing.h"

/* Column names per file, as FORMAT.md gives them. */
enum { U_CODE, U_NAME, U_LEVEL, U_KIND, U_PARENT, U_FROM, U_TO, U_BORDER, U_DIFFICULT, U_POPULATION, U_N };
static const coso_column unit_cols[U_N] = {
	{ "code", true }, { "name", true }, { "level", true }, { "kind", true },
	{ "parent_code", false }, { "valid_from", false }, { "valid_to", false },
	{ "border", false }, { "difficult", false }, { "population", false },
};

enum { I_CODE, I_NAME, I_KIND, I_UNIT, I_FROM, I_TO, I_N };
static const coso_column inst_cols[I_N] = {
	{ "code", true }, { "name", true }, { "kind", true }, { "unit_code", true },
	{ "valid_from", false }, { "valid_to", false },
};

enum { O_CODE, O_NAME, O_KIND, O_GRASSROOTS, O_PARENT, O_SITE_UNIT, O_SITE_INST, O_FROM, O_TO, O_N };
static const coso_column org_cols[O_N] = {
	{ "code", true }, { "name", true }, { "kind", true }, { "grassroots", true },
	{ "parent_code", false }, { "site_unit", false }, { "site_institution", false },
	{ "valid_from", false }, { "valid_to", false },
};

enum { M_ID, M_NAME, M_GENDER, M_BIRTH, M_ETHNICITY, M_ADMITTED, M_OFFICIAL, M_ENDED, M_REASON, M_N };
static const coso_column member_cols[M_N] = {
	{ "id", true }, { "full_name", true }, { "gender", true }, { "birth_date", true },
	{ "ethnicity", true }, { "admitted_on", true }, { "official_on", false },
	{ "ended_on", false }, { "end_reason", false },
};

enum { P_MEMBER, P_FROM, P_TO, P_ORG, P_RESIDENCE, P_N };
static const coso_column period_cols[P_N] = {
	{ "member_id", true }, { "valid_from", true }, { "valid_to", false },
	{ "org_code", true }, { "residence_code", false },
};

/* The registry's five files; then come the registers' (core/register.h). */
static const struct filespec {
	const coso_column *cols;
	int ncols;
	int key_col;  /* the row's key */
	int from_col; /* its valid_from, -1 when the key is unique by itself */
} files[COSO_FILE_MAX] = {
	[COSO_FILE_UNITS] = { unit_cols, U_N, U_CODE, U_FROM },
	[COSO_FILE_INSTITUTIONS] = { inst_cols, I_N, I_CODE, -1 },
	[COSO_FILE_ORGS] = { org_cols, O_N, O_CODE, O_FROM },
	[COSO_FILE_MEMBERS] = { member_cols, M_N, M_ID, -1 },
	[COSO_FILE_MEMBER_PERIODS] = { period_cols, P_N, P_MEMBER, P_FROM },
};

/* File f of an import: 0 .. COSO_FILE_MAX-1 the registry's, then each
 * register file in coso_register_files order. */
static const coso_register_file *reg_of(int f)
{
	return f >= COSO_FILE_MAX ? coso_register_files[f - COSO_FILE_MAX] : NULL;
}

static struct filespec spec_of(int f)
{
	const coso_register_file *reg = reg_of(f);

	if (!reg)
		return files[f];
	return (struct filespec){ reg->cols, reg->ncols, reg->key_col, reg->from_col };
}

int coso_import_file_count(void)
{
	return COSO_FILE_MAX + coso_register_count();
}

const char *coso_import_file_name(int f)
{
	const coso_register_file *reg = reg_of(f);

	return reg ? reg->name : coso_file_name((coso_file)f);
}

static const char *const institution_kinds[] = {
	"school", "health_station", "agency", "enterprise", "armed_forces", "other", NULL
};
static const char *const org_kinds[] = { "committee", "cell", NULL };
static const char *const genders[] = { "male", "female", NULL };
static const char *const end_reasons[] = { "died", "expelled", "removed", "left", "transferred_out", NULL };

/* ---- one row per file ------------------------------------------------------ */

static int load_unit(coso_store *st, coso_row *r)
{
	coso_unit_row u;
	const char *level;

	u.code = coso_row_code(r, U_CODE, true);
	u.name = coso_row_text(r, U_NAME);
	level = coso_row_field(r, U_LEVEL);
	u.level = coso_level_parse(level);
	if (!*level)
		coso_row_problem(r, U_LEVEL, "is required");
	else if (u.level == COSO_LEVEL_NONE)
		coso_row_problem(r, U_LEVEL, "'%s' is not one of: province, district, commune, village", level);
	u.kind = coso_row_text(r, U_KIND);
	u.parent_code = coso_row_code(r, U_PARENT, false);
	u.valid_from = coso_row_date(r, U_FROM, false, COSO_DAY_MIN);
	u.valid_to = coso_row_date(r, U_TO, false, COSO_DAY_MAX);
	coso_row_period(r, u.valid_from, u.valid_to, U_TO);
	u.border = coso_row_flag(r, U_BORDER, false);
	u.difficult = coso_row_flag(r, U_DIFFICULT, false);
	u.population = coso_row_count(r, U_POPULATION);
	if (u.parent_code && u.code && strcmp(u.parent_code, u.code) == 0)
		coso_row_problem(r, U_PARENT, "a unit cannot be its own parent");
	if (r->row_errors)
		return 0;
	return coso_store_add_unit(st, &u);
}

static int load_institution(coso_store *st, coso_row *r)
{
	coso_institution_row i;

	i.code = coso_row_code(r, I_CODE, true);
	i.name = coso_row_text(r, I_NAME);
	i.kind = coso_row_enum(r, I_KIND, institution_kinds);
	i.unit_code = coso_row_code(r, I_UNIT, true);
	i.valid_from = coso_row_date(r, I_FROM, false, COSO_DAY_MIN);
	i.valid_to = coso_row_date(r, I_TO, false, COSO_DAY_MAX);
	coso_row_period(r, i.valid_from, i.valid_to, I_TO);
	if (r->row_errors)
		return 0;
	return coso_store_add_institution(st, &i);
}

static int load_org(coso_store *st, coso_row *r)
{
	coso_org_row o;

	o.code = coso_row_code(r, O_CODE, true);
	o.name = coso_row_text(r, O_NAME);
	o.kind = coso_row_enum(r, O_KIND, org_kinds);
	o.grassroots = coso_row_flag(r, O_GRASSROOTS, true);
	o.parent_code = coso_row_code(r, O_PARENT, false);
	o.site_unit = coso_row_code(r, O_SITE_UNIT, false);
	o.site_institution = coso_row_code(r, O_SITE_INST, false);
	o.valid_from = coso_row_date(r, O_FROM, false, COSO_DAY_MIN);
	o.valid_to = coso_row_date(r, O_TO, false, COSO_DAY_MAX);
	coso_row_period(r, o.valid_from, o.valid_to, O_TO);
	if (!o.site_unit && !o.site_institution)
		coso_row_problem(r, O_SITE_UNIT, "an organization sits in a unit or an institution: give site_unit or site_institution");
	else if (o.site_unit && o.site_institution)
		coso_row_problem(r, O_SITE_INST, "give site_unit or site_institution, not both");
	if (o.parent_code && o.code && strcmp(o.parent_code, o.code) == 0)
		coso_row_problem(r, O_PARENT, "an organization cannot be its own parent");
	if (r->row_errors)
		return 0;
	return coso_store_add_org(st, &o);
}

static int load_member(coso_store *st, coso_row *r)
{
	coso_member_row m;
	const char *reason;
	char a[COSO_DATE_BUFSZ], b[COSO_DATE_BUFSZ];

	m.id = coso_row_code(r, M_ID, true);
	m.full_name = coso_row_text(r, M_NAME);
	m.gender = coso_row_enum(r, M_GENDER, genders);
	m.birth_date = coso_row_date(r, M_BIRTH, true, COSO_DAY_MIN);
	m.ethnicity = coso_row_text(r, M_ETHNICITY);
	m.admitted_on = coso_row_date(r, M_ADMITTED, true, COSO_DAY_MIN);
	m.official_on = coso_row_date(r, M_OFFICIAL, false, COSO_DAY_MAX);
	m.ended_on = coso_row_date(r, M_ENDED, false, COSO_DAY_MAX);
	reason = coso_row_field(r, M_REASON);
	m.end_reason = *reason ? reason : NULL;
	if (m.end_reason && !coso_one_of(reason, end_reasons)) {
		char list[160];

		coso_list_of(list, sizeof(list), end_reasons);
		coso_row_problem(r, M_REASON, "'%s' is not one of: %s", reason, list);
	}
	if (m.end_reason && m.ended_on == COSO_DAY_MAX && !*coso_row_field(r, M_ENDED))
		coso_row_problem(r, M_ENDED, "is required when end_reason is given");
	if (!m.end_reason && *coso_row_field(r, M_ENDED))
		coso_row_problem(r, M_REASON, "is required when ended_on is given");
	if (m.admitted_on != COSO_DAY_MIN) {
		coso_date_format(a, m.admitted_on);
		if (m.official_on != COSO_DAY_MAX && m.official_on < m.admitted_on)
			coso_row_problem(r, M_OFFICIAL, "%s is before admitted_on (%s)", coso_date_format(b, m.official_on), a);
		if (m.ended_on != COSO_DAY_MAX && m.ended_on < m.admitted_on)
			coso_row_problem(r, M_ENDED, "%s is before admitted_on (%s)", coso_date_format(b, m.ended_on), a);
		if (m.birth_date != COSO_DAY_MIN && m.birth_date >= m.admitted_on)
			coso_row_problem(r, M_BIRTH, "%s is not before admitted_on (%s)", coso_date_format(b, m.birth_date), a);
	}
	if (r->row_errors)
		return 0;
	return coso_store_add_member(st, &m);
}

static int load_period(coso_store *st, coso_row *r)
{
	coso_period_row p;

	p.member_id = coso_row_code(r, P_MEMBER, true);
	p.valid_from = coso_row_date(r, P_FROM, true, COSO_DAY_MIN);
	p.valid_to = coso_row_date(r, P_TO, false, COSO_DAY_MAX);
	coso_row_period(r, p.valid_from, p.valid_to, P_TO);
	p.org_code = coso_row_code(r, P_ORG, true);
	p.residence_code = coso_row_code(r, P_RESIDENCE, false);
	if (r->row_errors)
		return 0;
	return coso_store_add_period(st, &p);
}

typedef int (*load_fn)(coso_store *, coso_row *);
static const load_fn loaders[COSO_FILE_MAX] = {
	load_unit, load_institution, load_org, load_member, load_period,
};

/* ---- files ------------------------------------------------------------------ */

static int path_of(char *buf, size_t n, const char *dir, int f)
{
	int w = snprintf(buf, n, "%s/%s", dir, coso_import_file_name(f));

	if (w < 0 || (size_t)w >= n)
		return coso_error_set(COSO_EINVALID, "%s: path too long", dir);
	return 0;
}

static void show_progress(FILE *out, const char *fname, long long rows, long long done, long long size)
{
	if (!out)
		return;
	fprintf(out, "\r  %s: %lld rows, %d%%", fname, rows, size > 0 ? (int)(done * 100 / size) : 100);
	fflush(out);
}

/* Reads one file into the store. Returns 0, or negative on a fatal error
 * (I/O, database); row problems go to diag. */
static int import_file(coso_store *st, const char *path, int f, coso_diag *diag,
		       long long *rows, FILE *progress, char digest[COSO_SHA256_HEX], long long *bytes)
{
	const char *fname = coso_import_file_name(f);
	const coso_register_file *reg = reg_of(f);
	struct filespec spec = spec_of(f);
	coso_row r = { 0 };
	coso_digest_job *job = NULL;
	struct stat sb;
	long long size = 0;
	FILE *fp = fopen(path, "rb");
	int rc, drc;

	*rows = 0;
	if (!fp)
		return coso_error_set(COSO_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fileno(fp), &sb) == 0)
		size = (long long)sb.st_size;
	if (size < 4 * 1024 * 1024)
		progress = NULL;
	/* the audit entry's digest: of the bytes of this open file, read once
	 * more by a thread of its own while the rows are read here */
	if ((rc = coso_audit_digest_start(&job, fileno(fp))) < 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", coso_error_last());
		fclose(fp);
		return coso_error_set(rc, "%s: %s", path, msg);
	}
	rc = coso_row_open(&r, fp, fname, spec.cols, spec.ncols, diag);
	if (rc <= 0)
		goto done;
	if (!reg)
		rc = coso_store_load_begin(st, (coso_file)f);
	else if (reg->begin)
		rc = reg->begin(st);
	if (rc < 0)
		goto done;
	for (;;) {
		rc = coso_csv_next(r.csv);
		if (rc == 0)
			break;
		if (rc < 0) {
			/* A malformed record: the reader cannot resync, so stop this file. */
			coso_diag_add(diag, fname, coso_csv_error_line(r.csv), NULL, "%s", coso_csv_error_text(r.csv));
			rc = 0;
			break;
		}
		r.line = coso_csv_line(r.csv);
		r.row_errors = 0;
		if (coso_csv_nfields(r.csv) != r.nheader) {
			char a[32], b[32];

			snprintf(a, sizeof(a), "%zu", coso_csv_nfields(r.csv));
			snprintf(b, sizeof(b), "%zu", r.nheader);
			coso_row_problem(&r, -1, "the row has %s fields, the header %s", a, b);
			continue;
		}
		rc = reg ? reg->load(st, &r) : loaders[f](st, &r);
		if (rc == COSO_ECONFLICT) {
			const char *key = coso_row_field(&r, spec.key_col);

			if (spec.from_col >= 0)
				coso_row_problem(&r, spec.from_col, "another row of %s starts on the same day", key);
			else
				coso_row_problem(&r, spec.key_col, "'%s' appears on more than one row", key);
			rc = 0;
		}
		if (rc < 0)
			goto done;
		(*rows)++;
		if (progress && (*rows & 0xffff) == 0)
			show_progress(progress, fname, *rows, coso_csv_offset(r.csv), size);
	}
	if (progress) {
		show_progress(progress, fname, *rows, size, size);
		fputc('\n', progress);
	}
	if (!reg)
		rc = coso_store_load_end(st);
	else
		rc = reg->end ? reg->end(st) : 0;
done:
	coso_csv_free(r.csv);
	if ((drc = coso_audit_digest_finish(job, digest, bytes)) < 0 && rc >= 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", coso_error_last());
		rc = coso_error_set(drc, "%s: %s", path, msg);
	}
	fclose(fp);
	return rc;
}

/* ---- whole-registry problems, with their lines ---------------------------- */

struct found {
	int file;
	char *key;
	coso_day from;
	char *column;
	char *message;
	bool touched;
	long line;
};

struct found_list {
	struct found *v;
	size_t n, cap;
	size_t dropped;
};

static void collect_problem(void *ctx, const coso_problem *p)
{
	struct found_list *l = ctx;
	struct found *f;

	if (l->n >= COSO_DIAG_MAX) {
		l->dropped++;
		return;
	}
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 32;
		struct found *nv = realloc(l->v, ncap * sizeof(*nv));

		if (!nv) {
			l->dropped++;
			return;
		}
		l->v = nv;
		l->cap = ncap;
	}
	f = &l->v[l->n];
	f->file = p->file;
	f->key = strdup(p->key);
	f->from = p->valid_from;
	f->column = strdup(p->column);
	f->message = strdup(p->message);
	f->touched = p->touched;
	f->line = 0;
	if (!f->key || !f->column || !f->message) {
		free(f->key);
		free(f->column);
		free(f->message);
		l->dropped++;
		return;
	}
	l->n++;
}

/* A register's problem: the file is the register's, and a problem of a file
 * this import did not read is about a stored row. */
struct reg_check {
	struct found_list *found;
	int file;
	bool present;
};

static void collect_reg_problem(void *ctx, const coso_problem *p)
{
	struct reg_check *c = ctx;
	coso_problem q = *p;

	q.file = c->file;
	q.touched = c->present;
	collect_problem(c->found, &q);
}

static int cmp_found_key(const void *a, const void *b)
{
	const struct found *x = a, *y = b;
	int c;

	if (x->file != y->file)
		return (int)x->file - (int)y->file;
	c = strcmp(x->key, y->key);
	if (c)
		return c;
	return (x->from > y->from) - (x->from < y->from);
}

static int cmp_found_line(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	if (x->file != y->file)
		return (int)x->file - (int)y->file;
	if (x->line != y->line)
		return (x->line > y->line) - (x->line < y->line);
	return strcmp(x->message, y->message);
}

/* Reads `path` again and sets the line of every problem of file f. */
static void find_lines(struct found_list *l, const char *path, int f)
{
	const struct filespec sp = spec_of(f), *spec = &sp;
	coso_row r;
	coso_diag scratch = COSO_DIAG_INIT;
	FILE *fp = fopen(path, "rb");

	if (!fp)
		return;
	if (coso_row_open(&r, fp, coso_import_file_name(f), spec->cols, spec->ncols, &scratch) > 0) {
		while (coso_csv_next(r.csv) > 0) {
			struct found probe = { .file = f };
			struct found *hit;
			char key[COSO_CSV_MAX_FIELD + 1];

			r.line = coso_csv_line(r.csv);
			snprintf(key, sizeof(key), "%s", coso_row_field(&r, spec->key_col));
			probe.key = key;
			probe.from = COSO_DAY_MIN;
			if (spec->from_col >= 0) {
				const char *s = coso_row_field(&r, spec->from_col);

				if (*s && coso_date_parse(&probe.from, s, strlen(s)) < 0)
					continue;
			}
			hit = bsearch(&probe, l->v, l->n, sizeof(*l->v), cmp_found_key);
			if (!hit)
				continue;
			/* several problems may share a row: mark them all */
			while (hit > l->v && cmp_found_key(hit - 1, &probe) == 0)
				hit--;
			for (; hit < l->v + l->n && cmp_found_key(hit, &probe) == 0; hit++)
				if (hit->line == 0)
					hit->line = r.line;
		}
	}
	coso_csv_free(r.csv);
	coso_diag_clear(&scratch);
	fclose(fp);
}

static void report_found(struct found_list *l, const char *dir, const bool *present, coso_diag *diag)
{
	int nfiles = coso_import_file_count();
	char path[4096];

	qsort(l->v, l->n, sizeof(*l->v), cmp_found_key);
	for (int f = 0; f < nfiles; f++) {
		bool any = false;

		for (size_t i = 0; i < l->n; i++)
			any |= l->v[i].file == f && l->v[i].touched;
		if (any && present[f] && path_of(path, sizeof(path), dir, f) == 0)
			find_lines(l, path, f);
	}
	qsort(l->v, l->n, sizeof(*l->v), cmp_found_line);
	for (size_t i = 0; i < l->n; i++) {
		struct found *p = &l->v[i];

		if (p->line > 0) {
			coso_diag_add(diag, coso_import_file_name(p->file), p->line, p->column, "%s", p->message);
		} else {
			char a[COSO_DATE_BUFSZ];
			const char *from = p->from > COSO_DAY_MIN ? coso_date_format(a, p->from) : NULL;

			/* a stored row that this import made wrong */
			coso_diag_add(diag, coso_import_file_name(p->file), 0, p->column,
				      "stored row %s%s%s: %s", p->key, from ? " from " : "", from ? from : "",
				      p->message);
		}
	}
	for (size_t i = 0; i < l->dropped; i++)
		coso_diag_add(diag, "registry", 0, NULL, "more problems");
}

static void free_found(struct found_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].column);
		free(l->v[i].message);
	}
	free(l->v);
}

int coso_import_dir(coso_store *st, const char *dir, coso_diag *diag,
		    coso_import_stats *stats, FILE *progress)
{
	struct found_list found = { 0 };
	coso_import_stats local;
	char path[4096], digests[COSO_IMPORT_FILES_MAX][COSO_SHA256_HEX];
	long long bytes[COSO_IMPORT_FILES_MAX] = { 0 };
	coso_audit_file audit[COSO_IMPORT_FILES_MAX];
	size_t naudit = 0;
	size_t before = diag->total;
	coso_phase t;
	int rc, nfiles = coso_import_file_count(), npresent = 0;
	struct stat sb;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (nfiles > COSO_IMPORT_FILES_MAX)
		return coso_error_set(COSO_EINVALID, "%d register files: raise COSO_IMPORT_FILES_MAX", nfiles);
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return coso_error_set(COSO_ENOTFOUND, "not a folder");
	for (int f = 0; f < nfiles; f++) {
		if ((rc = path_of(path, sizeof(path), dir, f)) < 0)
			return rc;
		stats->present[f] = stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
		npresent += stats->present[f];
	}
	if (npresent == 0) {
		char list[1024];
		size_t used = 0;

		list[0] = '\0';
		for (int f = 0; f < nfiles && used < sizeof(list); f++) {
			int w = snprintf(list + used, sizeof(list) - used, "%s%s", f ? ", " : "", coso_import_file_name(f));

			if (w < 0)
				break;
			used += (size_t)w;
		}
		return coso_error_set(COSO_EINVALID, "no registry file (%s)", list);
	}
	if ((rc = coso_store_begin(st)) < 0)
		return rc;
	if ((rc = coso_store_audit_import_begin(st)) < 0)
		goto fail;
	t = coso_phase_start();
	for (int f = 0; f < nfiles; f++) {
		if (!stats->present[f])
			continue;
		path_of(path, sizeof(path), dir, f);
		if ((rc = import_file(st, path, f, diag, &stats->rows[f], progress, digests[f],
				       &bytes[f])) < 0)
			goto fail;
		coso_phase_done(coso_import_file_name(f), &t);
	}
	if (diag->total > before) {
		rc = coso_error_set(COSO_EINVALID, "%zu problem(s): nothing was imported", diag->total - before);
		goto fail;
	}
	rc = coso_store_validate(st, collect_problem, &found);
	coso_phase_done("checks", &t);
	if (rc < 0)
		goto fail;
	if (found.n > 0 || found.dropped > 0) {
		report_found(&found, dir, stats->present, diag);
		rc = coso_error_set(COSO_EINVALID, "%zu problem(s): nothing was imported", diag->total - before);
		goto fail;
	}
	/* each register as a whole, now that the registry is right */
	for (int f = COSO_FILE_MAX; f < nfiles; f++) {
		const coso_register_file *reg = reg_of(f);
		struct reg_check rcx = { &found, f, stats->present[f] };

		if (reg->check && (rc = reg->check(st, collect_reg_problem, &rcx)) < 0)
			goto fail;
	}
	coso_phase_done("registers", &t);
	if (found.n > 0 || found.dropped > 0) {
		report_found(&found, dir, stats->present, diag);
		rc = coso_error_set(COSO_EINVALID, "%zu problem(s): nothing was imported", diag->total - before);
		goto fail;
	}
	free_found(&found);
	if ((rc = coso_store_refresh_summaries(st)) < 0)
		goto fail;
	coso_phase_done("counts", &t);
	if ((rc = coso_store_refresh_search(st)) < 0)
		goto fail;
	coso_phase_done("search", &t);
	/* one audit entry for the import, in its transaction: the files' digests */
	for (int f = 0; f < nfiles; f++)
		if (stats->present[f])
			audit[naudit++] = (coso_audit_file){ coso_import_file_name(f), digests[f], bytes[f], stats->rows[f] };
	if ((rc = coso_store_audit_import_end(st, dir, audit, naudit)) < 0)
		goto fail;
	rc = coso_store_commit(st);
	coso_phase_done("commit", &t);
	return rc;
fail:
	free_found(&found);
	coso_store_rollback(st);
	return rc;
}
