/*
 * diag.c: the bounded list of problems found in input. Messages are kept in
 * the order added, up to COSO_DIAG_MAX; every problem is counted in total.
 */
#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for one more message; returns 0, or -1 when out of memory. */
static int diag_reserve(coso_diag *d)
{
	size_t cap;
	char **msgs;

	if (d->n < d->cap)
		return 0;
	cap = d->cap ? d->cap * 2 : 16;
	if (cap > COSO_DIAG_MAX)
		cap = COSO_DIAG_MAX;
	msgs = realloc(d->msgs, cap * sizeof(*msgs));
	if (msgs == NULL)
		return -1;
	d->msgs = msgs;
	d->cap = cap;
	return 0;
}

/*
 * The message is `FILE:LINE: column: message`; a NULL file is written as "-"
 * (standard input, by the usual convention).
 */
void coso_diag_add(coso_diag *d, const char *file, long line, const char *column,
		   const char *fmt, ...)
{
	char prefix[64];
	char *msg = NULL;
	int plen, mlen;
	size_t flen, clen, size, o;
	va_list ap;

	if (d == NULL)
		return;
	d->total++;
	if (d->n >= COSO_DIAG_MAX || diag_reserve(d) < 0)
		return;
	if (file == NULL)
		file = "-";
	if (column == NULL)
		column = "";

	/* ":LINE: " or ": " after the file, "column: " when there is one. */
	if (line > 0)
		plen = snprintf(prefix, sizeof(prefix), ":%ld: ", line);
	else
		plen = snprintf(prefix, sizeof(prefix), ": ");
	va_start(ap, fmt);
	mlen = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (plen < 0 || mlen < 0)
		return;

	flen = strlen(file);
	clen = *column ? strlen(column) + 2 : 0;
	size = flen + (size_t)plen + clen + (size_t)mlen + 1;
	msg = malloc(size);
	if (msg == NULL)
		return;
	o = (size_t)snprintf(msg, size, "%s%s", file, prefix);
	if (clen > 0)
		o += (size_t)snprintf(msg + o, size - o, "%s: ", column);
	va_start(ap, fmt);
	vsnprintf(msg + o, size - o, fmt, ap);
	va_end(ap);
	d->msgs[d->n++] = msg;
}

void coso_diag_clear(coso_diag *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	d->msgs = NULL;
	d->n = 0;
	d->total = 0;
	d->cap = 0;
}

void coso_diag_print(const coso_diag *d, FILE *fp)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n; i++)
		fprintf(fp, "%s\n", d->msgs[i]);
	if (d->total > d->n)
		fprintf(fp, "... and %zu more problem%s not shown\n", d->total - d->n,
			d->total - d->n == 1 ? "" : "s");
}
