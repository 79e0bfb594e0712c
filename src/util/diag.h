/*
 * diag.h: a bounded list of problems found in input, for all-or-nothing
 * imports. Each problem reads `FILE:LINE: column: what is wrong`. At most
 * COSO_DIAG_MAX problems are kept; the rest are counted, so a file with a
 * million bad lines cannot exhaust memory.
 */
#ifndef COSO_UTIL_DIAG_H
#define COSO_UTIL_DIAG_H

#include <stddef.h>
#include <stdio.h>

#define COSO_DIAG_MAX 1000

typedef struct coso_diag {
	char **msgs;
	size_t n;       /* kept */
	size_t total;   /* found, kept or not */
	size_t cap;
} coso_diag;

#define COSO_DIAG_INIT { NULL, 0, 0, 0 }

/* Adds `FILE:LINE: column: message`. line <= 0 omits the line; an empty or
 * NULL column omits it. Out of memory only loses the message (counted). */
void coso_diag_add(coso_diag *d, const char *file, long line, const char *column,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Writes the kept messages to fp, one a line, then "... and N more problems
 * not shown" when some were only counted. Accepts NULL (writes nothing). */
void coso_diag_print(const coso_diag *d, FILE *fp);

/* Frees the messages; the struct may be reused after. Accepts NULL. */
void coso_diag_clear(coso_diag *d);

#endif
