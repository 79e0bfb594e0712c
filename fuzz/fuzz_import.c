/*
 * fuzz_import.c: an import (core/import.h) of any five files.
 *
 * The input is cut at each byte 0xFF (never valid in UTF-8, so never part
 * of a valid file) into up to five sections: units.csv, institutions.csv,
 * orgs.csv, members.csv, member_periods.csv, in that order. A non-empty
 * section is written as its file into a fresh folder (under /dev/shm when
 * possible), an empty one leaves its file out; sections after the fifth are
 * ignored. The folder is imported into a fresh in-memory database.
 *
 * Checked: the import succeeds or fails with COSO_EINVALID and at least one
 * problem named FILE:LINE (or "registry"); a registry it accepts is exported,
 * imported into another fresh database and exported again, and both exports
 * are the same bytes (what coso accepts it can give back and take again).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/export.h"
#include "core/import.h"
#include "db/store.h"
#include "fuzz.h"
#include "util/error.h"

#define SEPARATOR 0xFF

static char dir_in[600], dir_out1[600], dir_out2[600];

static void setup(void)
{
	const char *tmp = fuzz_tmpdir();

	if (dir_in[0])
		return;
	snprintf(dir_in, sizeof(dir_in), "%s/in", tmp);
	snprintf(dir_out1, sizeof(dir_out1), "%s/out1", tmp);
	snprintf(dir_out2, sizeof(dir_out2), "%s/out2", tmp);
	FUZZ_CHECK(mkdir(dir_in, 0700) == 0);
}

/* Imports dir into a fresh in-memory store; returns the rc, *st the store
 * (the caller closes it) and *diag the problems. */
static int import_fresh(const char *dir, coso_store **st, coso_diag *diag)
{
	bool created = false;

	*st = NULL;
	FUZZ_CHECK(coso_store_open(st, ":memory:", COSO_STORE_CREATE, &created) == 0);
	return coso_import_dir(*st, dir, diag, NULL, NULL);
}

/* Whether a problem starts with the name of a file of the format (or
 * "registry") and a colon. */
static bool names_a_file(const char *msg)
{
	if (strncmp(msg, "registry:", 9) == 0)
		return true;
	for (int f = 0; f < COSO_FILE_MAX; f++) {
		const char *name = coso_file_name((coso_file)f);
		size_t n = strlen(name);

		if (strncmp(msg, name, n) == 0 && msg[n] == ':')
			return true;
	}
	return false;
}

/* Whether the files of the two folders are the same bytes. */
static bool same_files(const char *a, const char *b)
{
	for (int f = 0; f < COSO_FILE_MAX; f++) {
		char pa[700], pb[700];
		FILE *fa, *fb;
		bool same = true;
		int ca, cb;

		snprintf(pa, sizeof(pa), "%s/%s", a, coso_file_name((coso_file)f));
		snprintf(pb, sizeof(pb), "%s/%s", b, coso_file_name((coso_file)f));
		fa = fopen(pa, "rb");
		fb = fopen(pb, "rb");
		if (!fa || !fb) {
			same = !fa && !fb;
		} else {
			do {
				ca = getc(fa);
				cb = getc(fb);
			} while (ca == cb && ca != EOF);
			same = ca == cb;
		}
		if (fa)
			fclose(fa);
		if (fb)
			fclose(fb);
		if (!same) {
			fprintf(stderr, "fuzz_import: %s differs after export, import, export\n", pb);
			return false;
		}
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	coso_diag diag = COSO_DIAG_INIT, diag2 = COSO_DIAG_INIT;
	coso_store *st = NULL, *st2 = NULL;
	const uint8_t *p = data, *end = data + size;
	int nfiles = 0, rc;

	setup();
	fuzz_empty_dir(dir_in);
	for (int f = 0; f < COSO_FILE_MAX && p <= end; f++) {
		const uint8_t *sep = p < end ? memchr(p, SEPARATOR, (size_t)(end - p)) : NULL;
		const uint8_t *stop = sep ? sep : end;

		if (stop > p) {
			char path[700];

			snprintf(path, sizeof(path), "%s/%s", dir_in, coso_file_name((coso_file)f));
			FUZZ_CHECK(fuzz_write_file(path, p, (size_t)(stop - p)) == 0);
			nfiles++;
		}
		if (!sep)
			break;
		p = sep + 1;
	}

	rc = import_fresh(dir_in, &st, &diag);
	FUZZ_CHECK(rc == 0 || rc == COSO_EINVALID);
	if (rc < 0) {
		FUZZ_CHECK(*coso_error_last() != '\0');
		if (nfiles > 0) {
			FUZZ_CHECK(diag.total > 0);
			for (size_t i = 0; i < diag.n; i++)
				FUZZ_CHECK(names_a_file(diag.msgs[i]));
		}
		goto done;
	}
	FUZZ_CHECK(nfiles > 0 && diag.total == 0);

	/* accepted: export, import into a fresh database, export again */
	fuzz_empty_dir(dir_out1);
	fuzz_empty_dir(dir_out2);
	if (coso_export_dir(st, dir_out1) != 0) {
		fprintf(stderr, "fuzz_import: export failed: %s\n", coso_error_last());
		FUZZ_CHECK(!"an accepted registry exports");
	}
	rc = import_fresh(dir_out1, &st2, &diag2);
	if (rc != 0) {
		coso_diag_print(&diag2, stderr);
		fprintf(stderr, "fuzz_import: %s\n", coso_error_last());
		FUZZ_CHECK(!"the export of an accepted registry imports");
	}
	FUZZ_CHECK(coso_export_dir(st2, dir_out2) == 0);
	FUZZ_CHECK(same_files(dir_out1, dir_out2));
done:
	coso_store_close(st);
	coso_store_close(st2);
	coso_diag_clear(&diag);
	coso_diag_clear(&diag2);
	return 0;
}
