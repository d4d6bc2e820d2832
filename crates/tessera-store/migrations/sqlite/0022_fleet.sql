-- The operators' fleet dashboard reads every figure from the database, aggregated there:
--
-- * the fleet's daily figures, summed over accounts as they are written (the same
--   transactions that write `daily_counts`), so a year's chart reads 366 rows a metric
--   instead of summing a row per account and day on every view;
-- * sites by licence state with the key they hold (active sites by product and edition),
--   and by state with the instant their last check (or activation) counts from (overdue and
--   locked sites), each an index range instead of a scan of every site;
-- * an invoice's total and currency as columns (they were only in the document's JSON), with
--   the instant of issue indexed, for revenue per month and currency;
-- * trials by the instant they started; failed and erring mail in the outbox.
CREATE TABLE fleet_daily_counts (
    day    TEXT   NOT NULL,
    metric TEXT   NOT NULL,
    value  BIGINT NOT NULL,
    PRIMARY KEY (metric, day)
);
INSERT INTO fleet_daily_counts (day, metric, value)
    SELECT day, metric, SUM(value) FROM daily_counts GROUP BY day, metric;

CREATE INDEX sites_status_key ON sites (status, key_id);
CREATE INDEX sites_status_checked ON sites (status, COALESCE(last_validated_at, activated_at));

ALTER TABLE invoices ADD COLUMN total BIGINT NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN currency TEXT NOT NULL DEFAULT '';
UPDATE invoices SET total = json_extract(document, '$.total'),
                    currency = json_extract(document, '$.currency');
CREATE INDEX invoices_issued ON invoices (issued_at);

CREATE INDEX subscriptions_trial ON subscriptions (trial_started_at) WHERE trial_started_at IS NOT NULL;
CREATE INDEX outbox_failed ON outbox (failed_at) WHERE failed_at IS NOT NULL;
CREATE INDEX outbox_errors ON outbox (id) WHERE last_error IS NOT NULL;
