/*
 * registers.c: every register file of the interchange format beyond the
 * registry's five (core/register.h), in the order an import loads them: a
 * file comes after the files it refers to. A module adds its files here.
 */
#include "core/register.h"
#include "core/party.h" /* party */

const coso_register_file *const coso_register_files[] = {
	&coso_register_candidates, /* party */
	&coso_register_reviews,    /* party */
	&coso_register_transfers,  /* party */
	&coso_register_ratings,    /* party */
	&coso_register_badges,     /* party */
	NULL,
};

int coso_register_count(void)
{
	int n = 0;

	while (coso_register_files[n])
		n++;
	return n;
}
