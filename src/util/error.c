/* error.c: the thread-local last-error slot. */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char error_msg[1024];

int coso_error_set(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(error_msg, sizeof(error_msg), fmt, ap);
	va_end(ap);
	return rc;
}

const char *coso_error_last(void)
{
	return error_msg;
}

void coso_error_clear(void)
{
	error_msg[0] = '\0';
}
