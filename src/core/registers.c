/*
 * registers.c: every register file of the interchange format beyond the
 * registry's five (core/register.h), in the order an import loads them: a
 * file comes after the files it refers to. A module adds its files here.
 */
#include "core/register.h"

#include "core/cadres.h"   /* docs/CADRES.md */
#include "core/party.h"    /* docs/PARTY.md */
#include "core/plans.h"    /* docs/PLANS.md */
#include "core/services.h" /* docs/SERVICES.md */

const coso_register_file *const coso_register_files[] = {
	/* cadres: people before the files that name them */
	&coso_cadre_people_file,
	&coso_cadre_positions_file,
	&coso_cadre_training_file,
	&coso_cadre_rotations_file,
	&coso_cadre_standards_file,
	/* plans: resolutions, then their targets */
	&coso_resolutions_file,
	&coso_targets_file,
	/* services: the catalogue, the cases, their events, reception, voters */
	&coso_svc_procedures_file,
	&coso_svc_cases_file,
	&coso_svc_events_file,
	&coso_svc_receptions_file,
	&coso_svc_voters_file,
	/* party: candidates, probation reviews, transfers, ratings, badges */
	&coso_register_candidates,
	&coso_register_reviews,
	&coso_register_transfers,
	&coso_register_ratings,
	&coso_register_badges,
	NULL,
};

int coso_register_count(void)
{
	int n = 0;

	while (coso_register_files[n])
		n++;
	return n;
}
