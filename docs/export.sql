-- The report's totals from a `fairpanel export` (format fairpanel-export/1), in SQL any engine
-- runs (tested with DuckDB: .ci/duckdb_check.py loads each table's CSV as a view of its name).
-- Export with the same --from and --to as the report: the rows are the period's already.
-- Each query is named by the line `-- name: NAME` before it and returns one value.

-- name: decisions
-- Decisions taken in the period that were not later corrected.
SELECT count(*) FROM decisions WHERE NOT corrected_later;

-- name: children
-- Children with such a decision (a case reference is its panel's own).
SELECT count(DISTINCT panel_id || '/' || "case") FROM decisions WHERE NOT corrected_later;

-- name: placements
-- Placements made and not corrected (school, AP and specialist places, managed moves,
-- reintegrations).
SELECT count(*) FROM placements;

-- name: school_places
-- Fair Access school places per school, summed (the fair-share tally of the period).
SELECT coalesce(sum(placed), 0) FROM schools;

-- name: allocation_children
SELECT count(school_days_to_allocation) FROM clocks;

-- name: allocation_median
-- Nearest rank: the smallest value with at least half of them at or below it.
WITH v AS (
  SELECT school_days_to_allocation AS d,
         row_number() OVER (ORDER BY school_days_to_allocation) AS rn,
         count(*) OVER () AS n
  FROM clocks WHERE school_days_to_allocation IS NOT NULL)
SELECT d FROM v WHERE rn = greatest(1, CAST(ceil(0.5 * n) AS BIGINT));

-- name: allocation_p90
WITH v AS (
  SELECT school_days_to_allocation AS d,
         row_number() OVER (ORDER BY school_days_to_allocation) AS rn,
         count(*) OVER () AS n
  FROM clocks WHERE school_days_to_allocation IS NOT NULL)
SELECT d FROM v WHERE rn = greatest(1, CAST(ceil(0.9 * n) AS BIGINT));

-- name: allocation_over_aim
SELECT count(*) FROM clocks WHERE school_days_to_allocation > aim;

-- name: still_waiting
SELECT count(*) FROM clocks WHERE still_waiting;

-- name: overdue
SELECT count(*) FROM clocks WHERE overdue;

-- name: placed_more_than_once
SELECT count(*) FROM (
  SELECT panel_id, "case" FROM placements GROUP BY panel_id, "case" HAVING count(*) > 1);

-- name: directions_requested
SELECT count(*) FROM decisions
WHERE NOT corrected_later AND outcome = 'refused_escalate_direction';

-- name: superseded
SELECT count(*) FROM decisions WHERE corrects_entry IS NOT NULL;
