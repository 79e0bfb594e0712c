/*
 * export.h: writing the registry out in the interchange format.
 */
#ifndef COSO_CORE_EXPORT_H
#define COSO_CORE_EXPORT_H

#include "db/store.h"

/* Writes the five files of the format and every register's files
 * (core/register.h) into `dir` (created when missing).
 * Each file is written to a temporary name and renamed into place, so a
 * failed export never leaves a half-written file behind. Returns 0 or a
 * negative coso_rc with a message in the error slot. */
int coso_export_dir(coso_store *st, const char *dir);

#endif
