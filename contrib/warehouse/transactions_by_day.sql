-- salesfocus: transactions summed per account and day, in the warehouse.
--
-- Reads the view sf_transactions (write it for your engine: README.md in
-- this folder), one row per invoice line as the CRM exports it:
--   transaction_id  text, may be NULL or ''  (duplicates are removed here)
--   account_id      text
--   date            DATE (or 'YYYY-MM-DD' text)
--   amount          DECIMAL, in the row's currency
--   margin          DECIMAL, NULL when the export gives none
--   currency        text, NULL or '' for the report currency
--   line            integer: the row's place in the export (the first of
--                   two rows with one transaction_id is kept, as salesfocus
--                   keeps the first)
-- Writes one row per account, day, currency and margin kind, with the
-- columns salesfocus reads as a transactions file (docs/scale.md):
--   account_id, date, currency, amount, margin, purchases
-- Set the report currency ([run] currency) in params below: rows in another
-- currency stay one per transaction, so that salesfocus converts each one
-- and rounds it as it would have.
--
-- Dialect-neutral SQL: the subset DuckDB, Spark SQL, BigQuery and SQLite
-- share (tests/e2e/warehouse_sqlite.sh runs it on SQLite).
WITH params AS (
    SELECT 'GBP' AS report_currency
),
ranked AS (
    SELECT t.transaction_id, t.account_id, t.date, t.amount, t.margin, t.currency, t.line,
           ROW_NUMBER() OVER (PARTITION BY t.transaction_id ORDER BY t.line) AS nth
    FROM sf_transactions t
),
kept AS (
    SELECT r.account_id, r.date, r.amount, r.margin, r.line,
           COALESCE(r.currency, '') AS currency,
           CASE WHEN r.margin IS NULL THEN 1 ELSE 0 END AS no_margin
    FROM ranked r
    WHERE r.transaction_id IS NULL OR r.transaction_id = '' OR r.nth = 1
),
keyed AS (
    SELECT k.account_id, k.date, k.amount, k.margin, k.currency, k.no_margin,
           CASE WHEN k.currency = '' OR k.currency = p.report_currency THEN -1 ELSE k.line END AS alone
    FROM kept k CROSS JOIN params p
)
SELECT account_id,
       date,
       currency,
       SUM(amount) AS amount,
       SUM(margin) AS margin,
       CASE WHEN COUNT(*) = 1 THEN NULL
            ELSE SUM(CASE WHEN amount > 0 THEN 1 ELSE 0 END) END AS purchases
FROM keyed
GROUP BY account_id, date, currency, no_margin, alone
ORDER BY account_id, date, currency, amount;
