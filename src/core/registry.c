/* registry.c: names of the registry's enumerations. */
#include "core/registry.h"

#include <string.h>

static const char *const level_names[COSO_LEVEL_MAX] = {
	[COSO_LEVEL_PROVINCE] = "province",
	[COSO_LEVEL_DISTRICT] = "district",
	[COSO_LEVEL_COMMUNE] = "commune",
	[COSO_LEVEL_VILLAGE] = "village",
};

const char *coso_level_name(coso_level level)
{
	if (level <= COSO_LEVEL_NONE || level >= COSO_LEVEL_MAX)
		return NULL;
	return level_names[level];
}

coso_level coso_level_parse(const char *s)
{
	for (int l = COSO_LEVEL_PROVINCE; l < COSO_LEVEL_MAX; l++)
		if (strcmp(s, level_names[l]) == 0)
			return (coso_level)l;
	return COSO_LEVEL_NONE;
}

static const char *const file_names[COSO_FILE_MAX] = {
	[COSO_FILE_UNITS] = "units.csv",
	[COSO_FILE_INSTITUTIONS] = "institutions.csv",
	[COSO_FILE_ORGS] = "orgs.csv",
	[COSO_FILE_MEMBERS] = "members.csv",
	[COSO_FILE_MEMBER_PERIODS] = "member_periods.csv",
};

const char *coso_file_name(coso_file f)
{
	return (f >= 0 && f < COSO_FILE_MAX) ? file_names[f] : "?";
}
