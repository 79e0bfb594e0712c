/*
 * timing.c: phase timings for benchmarks (util/timing.h).
 */
#include "util/timing.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

coso_phase coso_phase_start(void)
{
	struct timespec w, c;

	clock_gettime(CLOCK_MONOTONIC, &w);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
	return (coso_phase){ (double)w.tv_sec + (double)w.tv_nsec / 1e9, (double)c.tv_sec + (double)c.tv_nsec / 1e9 };
}

void coso_phase_done(const char *what, coso_phase *since)
{
	coso_phase now = coso_phase_start();

	if (getenv("COSO_TIMING"))
		fprintf(stderr, "timing: %-20s %8.3f s  (cpu %8.3f s)\n", what, now.wall - since->wall,
			now.cpu - since->cpu);
	*since = now;
}
