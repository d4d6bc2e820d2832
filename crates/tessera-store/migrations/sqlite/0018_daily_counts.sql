-- The overview's charts (H3) read daily figures per account instead of scanning logs on
-- every page view: successful validations per day (added up as the validation times are
-- written), and the sites in each licence state (written by the hourly `stats` job; the
-- day's last run stands). `day` is the calendar day (YYYY-MM-DD) in the jobs' time zone.
CREATE TABLE daily_counts (
    account_id  BIGINT  NOT NULL REFERENCES accounts(id),
    day         TEXT    NOT NULL,
    metric      TEXT    NOT NULL,
    value       BIGINT  NOT NULL,
    PRIMARY KEY (account_id, metric, day)
);
