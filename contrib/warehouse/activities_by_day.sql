-- salesfocus: activities counted per account, day, type, owner and outcome,
-- in the warehouse.
--
-- Reads the view sf_activities (write it for your engine: README.md in this
-- folder), one row per call, email, visit or meeting:
--   account_id    text
--   date          DATE (or 'YYYY-MM-DD' text)
--   type          text as the CRM gives it (salesfocus maps it: [activity_types])
--   owner         text, NULL or '' for the account's owner
--   outcome       text as the CRM gives it ([outcomes]), may be NULL
--   duration_min  integer, NULL when not recorded
-- Writes the columns salesfocus reads as an activities file (docs/scale.md):
--   account_id, date, type, owner, outcome, duration_min, count
-- duration_min is the sum of the durations the rows give (those > 0); the
-- rows without one are counted apart, with duration_min empty, so that
-- salesfocus gives them its [durations] default, as it would have one by one.
--
-- Dialect-neutral SQL: the subset DuckDB, Spark SQL, BigQuery and SQLite
-- share (tests/e2e/warehouse_sqlite.sh runs it on SQLite).
WITH keyed AS (
    SELECT a.account_id, a.date, a.type, a.owner, a.outcome,
           CASE WHEN a.duration_min > 0 THEN a.duration_min END AS minutes,
           CASE WHEN a.duration_min > 0 THEN 0 ELSE 1 END AS no_duration
    FROM sf_activities a
)
SELECT account_id,
       date,
       type,
       owner,
       outcome,
       SUM(minutes) AS duration_min,
       COUNT(*) AS count
FROM keyed
GROUP BY account_id, date, type, owner, outcome, no_duration
ORDER BY account_id, date, type, owner, outcome, count;
