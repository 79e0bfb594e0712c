/*
 * import.h: reading a registry folder in the interchange format into the
 * store, all or nothing.
 */
#ifndef COSO_CORE_IMPORT_H
#define COSO_CORE_IMPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/registry.h"
#include "db/store.h"
#include "util/diag.h"

/* The files an import knows: the registry's five (coso_file), then every
 * register's (core/register.h). */
#define COSO_IMPORT_FILES_MAX 48
int coso_import_file_count(void);
const char *coso_import_file_name(int f);

typedef struct coso_import_stats {
	long long rows[COSO_IMPORT_FILES_MAX];  /* per file, by coso_import_file_name index */
	bool present[COSO_IMPORT_FILES_MAX];
} coso_import_stats;

/* Imports the files of `dir` that are present (at least one must be) in one
 * transaction. Every row of a file replaces the stored rows of its key (a
 * unit's or organization's code, an institution's code, a member's id, or for
 * member_periods.csv all periods of that member; a register file says its
 * key); then the whole registry is checked, then each register. On any problem nothing is stored, every problem found is added to
 * `diag` as `FILE:LINE: column: what is wrong`, and COSO_EINVALID is
 * returned. `progress`, when not NULL, receives a progress line (with \r)
 * as large files are read. Returns 0 on success. */
int coso_import_dir(coso_store *st, const char *dir, coso_diag *diag,
		    coso_import_stats *stats, FILE *progress);

#endif
