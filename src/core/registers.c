/*
 * registers.c: every register file of the interchange format beyond the
 * registry's five (core/register.h), in the order an import loads them: a
 * file comes after the files it refers to. A module adds its files here.
 */
#include "core/register.h"
/* services */
#include "core/services.h"

const coso_register_file *const coso_register_files[] = {
	/* services (docs/SERVICES.md) */
	&coso_svc_procedures_file,
	&coso_svc_cases_file,
	&coso_svc_events_file,
	&coso_svc_receptions_file,
	&coso_svc_voters_file,
	NULL,
};

int coso_register_count(void)
{
	int n = 0;

	while (coso_register_files[n])
		n++;
	return n;
}
