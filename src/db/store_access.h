/*
 * store_access.h: the SQL fragments that limit the reads of store_api.c to
 * a user's scope (db/store_auth.h, coso_store_set_access). Internal to
 * src/db. They read the temporary tables that store_auth.c fills for the
 * connection: access_unit and access_org (the visible units and
 * organizations, by code), access_root (the roots of the scope) and
 * access_day (the day the scope is decided on). A query adds them only when
 * st->access_limited is set.
 */
#ifndef COSO_DB_STORE_ACCESS_H
#define COSO_DB_STORE_ACCESS_H

/* " AND <unit code expression> is visible" */
#define COSO_ACCESS_UNIT(code) " AND " code " IN (SELECT code FROM temp.access_unit)"

/* " AND <organization code expression> is visible" */
#define COSO_ACCESS_ORG(code) " AND " code " IN (SELECT code FROM temp.access_org)"

/* " AND member <id expression> is visible": the organization of the member's
 * period covering the scope's day, else the last before it, else the first. */
#define COSO_ACCESS_MEMBER(id) \
	" AND coalesce((SELECT av.org_code FROM member_period av WHERE av.member_id = " id \
	" AND av.valid_from <= (SELECT today FROM temp.access_day) ORDER BY av.valid_from DESC LIMIT 1)," \
	" (SELECT av.org_code FROM member_period av WHERE av.member_id = " id " ORDER BY av.valid_from LIMIT 1))" \
	" IN (SELECT code FROM temp.access_org)"

/* The top of a tree for a limited reader: a visible unit (organization)
 * whose parent is not visible. */
#define COSO_ACCESS_UNIT_TOP(parent) " AND (" parent " IS NULL OR " parent " NOT IN (SELECT code FROM temp.access_unit))"
#define COSO_ACCESS_ORG_TOP(parent) " AND (" parent " IS NULL OR " parent " NOT IN (SELECT code FROM temp.access_org))"

#endif
