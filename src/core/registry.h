/*
 * registry.h: the records of the registry, as the rest of coso sees them.
 *
 * These mirror the interchange format of docs/FORMAT.md (a copy of the
 * contract): one struct per CSV row. Periods are half-open day ranges
 * [valid_from, valid_to) with COSO_DAY_MIN / COSO_DAY_MAX for open ends.
 * Optional end dates (official_on, ended_on) use COSO_DAY_MAX for "none".
 * Strings are borrowed: a struct never owns its text.
 */
#ifndef COSO_CORE_REGISTRY_H
#define COSO_CORE_REGISTRY_H

#include "util/date.h"

typedef enum coso_level {
	COSO_LEVEL_NONE = 0,
	COSO_LEVEL_PROVINCE = 1,
	COSO_LEVEL_DISTRICT = 2,
	COSO_LEVEL_COMMUNE = 3,
	COSO_LEVEL_VILLAGE = 4,
	COSO_LEVEL_MAX
} coso_level;

/* "province" ... "village"; NULL for an unknown value. */
const char *coso_level_name(coso_level level);
/* The level named by s (exact, lower case), or COSO_LEVEL_NONE. */
coso_level coso_level_parse(const char *s);

typedef struct coso_unit_row {
	const char *code;
	const char *name;
	coso_level level;
	const char *kind;
	const char *parent_code; /* NULL: none */
	coso_day valid_from, valid_to;
	int border, difficult;   /* 0 or 1 */
	long long population;    /* -1: not given */
} coso_unit_row;

typedef struct coso_institution_row {
	const char *code;
	const char *name;
	const char *kind; /* school, health_station, agency, enterprise, armed_forces, other */
	const char *unit_code;
	coso_day valid_from, valid_to;
} coso_institution_row;

typedef struct coso_org_row {
	const char *code;
	const char *name;
	const char *kind;        /* committee or cell */
	int grassroots;          /* 0 or 1 */
	const char *parent_code; /* NULL: the top one */
	const char *site_unit;   /* exactly one of the two sites is set */
	const char *site_institution;
	coso_day valid_from, valid_to;
} coso_org_row;

typedef struct coso_member_row {
	const char *id;
	const char *full_name;
	const char *gender;      /* male or female */
	coso_day birth_date;
	const char *ethnicity;
	coso_day admitted_on;
	coso_day official_on;    /* COSO_DAY_MAX: still probationary */
	coso_day ended_on;       /* COSO_DAY_MAX: still in the registry */
	const char *end_reason;  /* NULL iff ended_on is COSO_DAY_MAX */
} coso_member_row;

typedef struct coso_period_row {
	const char *member_id;
	coso_day valid_from, valid_to;
	const char *org_code;
	const char *residence_code; /* NULL: not given */
} coso_period_row;

/* The five files of the interchange format, in the order they are loaded. */
typedef enum coso_file {
	COSO_FILE_UNITS = 0,
	COSO_FILE_INSTITUTIONS,
	COSO_FILE_ORGS,
	COSO_FILE_MEMBERS,
	COSO_FILE_MEMBER_PERIODS,
	COSO_FILE_MAX
} coso_file;

/* "units.csv" ... "member_periods.csv". */
const char *coso_file_name(coso_file f);

#endif
