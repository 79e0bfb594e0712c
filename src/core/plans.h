/*
 * plans.h: the indicators a resolution's targets are written over, and the
 * register files resolutions.csv and targets.csv (docs/PLANS.md).
 */
#ifndef COSO_CORE_PLANS_H
#define COSO_CORE_PLANS_H

#include <stdbool.h>

#include "core/register.h"
#include "db/store.h"

/* What an indicator measures: a flow counted over a span (admissions,
 * foundings), a stock read on a day (villages without a cell), or a share
 * of a total read on a day (villages with a cell among all villages). */
typedef enum { COSO_IND_NONE, COSO_IND_FLOW, COSO_IND_STOCK, COSO_IND_SHARE } coso_ind_type;

typedef struct coso_indicator {
	const char *name;  /* as in targets.csv */
	coso_ind_type type;
	const char *label; /* in Vietnamese, for reports */
} coso_indicator;

/* Every indicator, NULL-name terminated. */
extern const coso_indicator coso_indicators[];
/* The indicator called name, or NULL. */
const coso_indicator *coso_indicator_find(const char *name);

/* A flow indicator from a frame event (db/store_plans.h): 1 when the event
 * counts for it. */
bool coso_indicator_counts_event(const char *name, char ev, int cat);
/* A stock indicator's value from figures, or a share's part (*whole gets
 * the total; NULL allowed). */
long long coso_indicator_value(const char *name, const coso_figures *f, long long *whole);

/* The register files (core/registers.c lists them). */
extern const coso_register_file coso_resolutions_file;
extern const coso_register_file coso_targets_file;

#endif
