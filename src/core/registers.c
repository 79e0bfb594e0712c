/*
 * registers.c: every register file of the interchange format beyond the
 * registry's five (core/register.h), in the order an import loads them: a
 * file comes after the files it refers to. A module adds its files here.
 */
#include "core/register.h"
/* plans */
#include "core/plans.h"

/* cadres */
#include "core/cadres.h"
/* end cadres */

const coso_register_file *const coso_register_files[] = {
	/* cadres: people before the files that name them */
	&coso_cadre_people_file,
	&coso_cadre_positions_file,
	&coso_cadre_training_file,
	&coso_cadre_rotations_file,
	&coso_cadre_standards_file,
	/* end cadres */
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
