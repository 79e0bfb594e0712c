-- bench/sql/asof.sql: the as-of report's figures, in the plainest SQL we could
-- write straight from docs/FORMAT.md ("Definitions (as of a date D, within a
-- scope)"), for the sqlite3 shell on a coso database. It is the baseline of
-- bench/reports.sh, which checks that its numbers equal coso's JSON.
--
-- Parameters (.parameter set): @d the day (days since 1970-01-01, as coso
-- stores dates), @scope a unit code, or NULL for the whole country (the top
-- units are then the children).
--
-- coso's storage: every period is [valid_from, valid_to) in day numbers, open
-- ends are -10000000 / 10000000, so "exists at D" is valid_from <= D < valid_to;
-- an empty official_on / ended_on is 10000000. Levels: 1 province ..
-- 4 village.
--
-- Output, three result sets, one row per child of the scope (child empty:
-- the scope's own rows; the scope's figures are the sum of all rows):
--   villages|child|total|with_org|without_member
--   inst|child|kind|total|with_org
--   members|child|total|probationary

-- The tree as of D: every unit in scope, with the child of the scope it is under.
CREATE TEMP TABLE sub AS
WITH RECURSIVE s (code, level, child) AS (
	SELECT code, level, CASE WHEN @scope IS NULL THEN code END
	FROM unit_row
	WHERE (code = @scope OR (@scope IS NULL AND parent_code IS NULL))
	  AND valid_from <= @d AND @d < valid_to
	UNION ALL
	SELECT u.code, u.level, coalesce(s.child, u.code)
	FROM s JOIN unit_row u ON u.parent_code = s.code AND u.valid_from <= @d AND @d < u.valid_to
)
SELECT * FROM s;

-- Villages: has an organization when one that exists at D sits there; white
-- when no active member's period covering D names it as residence.
SELECT 'villages', coalesce(child, ''), count(*),
	sum(EXISTS (SELECT 1 FROM org_row o
		WHERE o.site_unit = v.code AND o.valid_from <= @d AND @d < o.valid_to)),
	sum(NOT EXISTS (SELECT 1 FROM member_period p JOIN member m ON m.id = p.member_id
		WHERE p.residence_code = v.code AND p.valid_from <= @d AND @d < p.valid_to
		  AND m.admitted_on <= @d AND @d < m.ended_on))
FROM temp.sub v
WHERE v.level = 4
GROUP BY child;

-- Schools and health stations existing at D in a unit in scope; with an
-- organization when one that exists at D sits there.
SELECT 'inst', coalesce(s.child, ''), i.kind, count(*),
	sum(EXISTS (SELECT 1 FROM org_row o
		WHERE o.site_institution = i.code AND o.valid_from <= @d AND @d < o.valid_to))
FROM institution i JOIN temp.sub s ON s.code = i.unit_code
WHERE i.kind IN ('school', 'health_station') AND i.valid_from <= @d AND @d < i.valid_to
GROUP BY s.child, i.kind;

-- Members active at D (admitted_on <= D < ended_on) whose period covering D
-- names an organization in scope: one existing at D whose site is a unit in
-- scope, or an institution existing at D whose unit is in scope.
-- Probationary while D < official_on.
WITH o (code, child) AS (
	SELECT o.code, s.child
	FROM org_row o JOIN temp.sub s ON s.code = o.site_unit
	WHERE o.valid_from <= @d AND @d < o.valid_to
	UNION ALL
	SELECT o.code, s.child
	FROM org_row o
	JOIN institution i ON i.code = o.site_institution AND i.valid_from <= @d AND @d < i.valid_to
	JOIN temp.sub s ON s.code = i.unit_code
	WHERE o.valid_from <= @d AND @d < o.valid_to
)
SELECT 'members', coalesce(o.child, ''), count(*), sum(m.official_on > @d)
FROM o
JOIN member_period p ON p.org_code = o.code AND p.valid_from <= @d AND @d < p.valid_to
JOIN member m ON m.id = p.member_id AND m.admitted_on <= @d AND @d < m.ended_on
GROUP BY o.child;

DROP TABLE temp.sub;
