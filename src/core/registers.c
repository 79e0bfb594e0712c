/*
 * registers.c: every register file of the interchange format beyond the
 * registry's five (core/register.h), in the order an import loads them: a
 * file comes after the files it refers to. A module adds its files here.
 */
#include "core/register.h"
/* plans */
#include "core/plans.h"

const coso_register_file *const coso_register_files[] = {
	/* plans: resolutions, then their targets */
	&coso_resolutions_file,
	&coso_targets_file,
	NULL,
};

int coso_register_count(void)
{
	int n = 0;

	while (coso_register_files[n])
		n++;
	return n;
}
