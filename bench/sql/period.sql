-- bench/sql/period.sql: the period report's figures, in the plainest SQL we
-- could write straight from docs/FORMAT.md, for the sqlite3 shell on a coso
-- database. The baseline of bench/reports.sh, which checks its numbers
-- against coso's JSON.
--
-- Parameters (.parameter set): @from, @to the period's first and last day
-- (both included; days since 1970-01-01), @scope a unit code or NULL for the
-- whole country. See asof.sql for how coso stores periods.
--
-- Output, one row per figure: admissions|total|N, admissions|commune_level|N,
-- founded|CATEGORY|N, dissolved|CATEGORY|N (CATEGORY: village, school,
-- health_station, other; missing rows are 0).

-- Every event of the period, with its day and the unit where it happened:
--  'a' an admission: on admitted_on, by the organization of the period
--      covering that day, where that organization sits on that day;
--  'f' a founding: an organization's first row's valid_from, where it sits
--      on its first day;
--  'd' a dissolution: its last row's valid_to, where it sits on its last day
--      (valid_to - 1).
-- The unit of an organization sitting in an institution is the institution's
-- unit (the institution as it is that day).
CREATE TEMP TABLE ev AS
SELECT 'a' AS ev, m.id AS id, m.admitted_on AS day, p.org_code AS org,
	coalesce(o.site_unit, i.unit_code) AS unit, NULL AS cat
FROM member m
JOIN member_period p ON p.member_id = m.id AND p.valid_from <= m.admitted_on AND m.admitted_on < p.valid_to
JOIN org_row o ON o.code = p.org_code AND o.valid_from <= m.admitted_on AND m.admitted_on < o.valid_to
LEFT JOIN institution i ON i.code = o.site_institution
	AND i.valid_from <= m.admitted_on AND m.admitted_on < i.valid_to
WHERE m.admitted_on BETWEEN @from AND @to
UNION ALL
SELECT x.ev, x.code, x.day, x.code, coalesce(x.site_unit, i.unit_code),
	CASE
	WHEN x.site_unit IS NOT NULL THEN
		CASE WHEN (SELECT u.level FROM unit_row u WHERE u.code = x.site_unit
			AND u.valid_from <= x.day AND x.day < u.valid_to) = 4 THEN 'village' ELSE 'other' END
	WHEN i.kind IN ('school', 'health_station') THEN i.kind
	ELSE 'other' END
FROM (
	SELECT 'f' AS ev, o.code, o.valid_from AS day, o.site_unit, o.site_institution
	FROM org_row o
	WHERE o.valid_from BETWEEN @from AND @to
	  AND o.valid_from = (SELECT min(valid_from) FROM org_row e WHERE e.code = o.code)
	UNION ALL
	SELECT 'd', o.code, o.valid_to - 1, o.site_unit, o.site_institution
	FROM org_row o
	WHERE o.valid_to BETWEEN @from AND @to
	  AND o.valid_to = (SELECT max(valid_to) FROM org_row e WHERE e.code = o.code)
) x
LEFT JOIN institution i ON i.code = x.site_institution AND i.valid_from <= x.day AND x.day < i.valid_to;

-- In scope: the scope is the event's unit or one of its ancestors on the
-- event's day (walk up the tree of that day). Whole country: every event.
CREATE TEMP TABLE inscope AS
WITH RECURSIVE up (ev, id, day, cur) AS (
	SELECT ev, id, day, unit FROM temp.ev WHERE @scope IS NOT NULL
	UNION ALL
	SELECT up.ev, up.id, up.day, u.parent_code
	FROM up JOIN unit_row u ON u.code = up.cur AND u.valid_from <= up.day AND up.day < u.valid_to
	WHERE up.cur <> @scope AND u.parent_code IS NOT NULL
)
SELECT e.* FROM temp.ev e WHERE @scope IS NULL
UNION ALL
SELECT e.* FROM temp.ev e JOIN (SELECT DISTINCT ev, id FROM up WHERE cur = @scope) k USING (ev, id);

-- Commune level: the admitting organization's nearest grassroots organization
-- (itself or an ancestor, on that day) sits in a unit of level commune (3).
WITH RECURSIVE gr (id, day, code, grassroots, site_unit) AS (
	SELECT e.id, e.day, o.code, o.grassroots, o.site_unit
	FROM temp.inscope e JOIN org_row o ON o.code = e.org AND o.valid_from <= e.day AND e.day < o.valid_to
	WHERE e.ev = 'a'
	UNION ALL
	SELECT gr.id, gr.day, p.code, p.grassroots, p.site_unit
	FROM gr
	JOIN org_row o ON o.code = gr.code AND o.valid_from <= gr.day AND gr.day < o.valid_to
	JOIN org_row p ON p.code = o.parent_code AND p.valid_from <= gr.day AND gr.day < p.valid_to
	WHERE gr.grassroots = 0
)
SELECT 'admissions', 'commune_level', count(*)
FROM gr JOIN unit_row u ON u.code = gr.site_unit AND u.valid_from <= gr.day AND gr.day < u.valid_to
WHERE gr.grassroots = 1 AND u.level = 3
UNION ALL
SELECT 'admissions', 'total', count(*) FROM temp.inscope WHERE ev = 'a'
UNION ALL
SELECT CASE ev WHEN 'f' THEN 'founded' ELSE 'dissolved' END, cat, count(*)
FROM temp.inscope WHERE ev IN ('f', 'd') GROUP BY ev, cat;

DROP TABLE temp.inscope;
DROP TABLE temp.ev;
