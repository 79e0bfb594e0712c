/*
 * timing.h: with COSO_TIMING set, the phases of long work (an import, the
 * search data's fill) print their wall and CPU time on stderr, for the
 * benchmarks (bench/import.sh, docs/PERFORMANCE.md).
 */
#ifndef COSO_UTIL_TIMING_H
#define COSO_UTIL_TIMING_H

typedef struct coso_phase {
	double wall, cpu;
} coso_phase;

/* Now: the start of a phase. */
coso_phase coso_phase_start(void);
/* Prints "timing: WHAT  wall s  (cpu s)" for the phase since *since when
 * COSO_TIMING is set, and starts the next phase (*since = now). */
void coso_phase_done(const char *what, coso_phase *since);

#endif
