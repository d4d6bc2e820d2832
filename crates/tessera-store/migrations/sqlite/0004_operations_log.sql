-- The operations log (I1, I2): one row per state-changing request, refused ones included,
-- kept for a number of days (a global setting, overridable per account).

CREATE TABLE operations_log (
    id          INTEGER PRIMARY KEY,
    at          BIGINT  NOT NULL,
    -- the account the operation concerned, when known (the caller's, or the site's)
    account_id  BIGINT,
    -- operator:NAME, account:NAME, site:ID, anonymous
    actor       TEXT    NOT NULL,
    -- method and route pattern: POST /api/v1/sites/{site_id}/suspend
    operation   TEXT    NOT NULL,
    site_id     TEXT,
    status      BIGINT  NOT NULL,
    -- ok (2xx/3xx), refused (4xx), failed (5xx)
    outcome     TEXT    NOT NULL,
    -- the error code of a refused or failed operation
    code        TEXT,
    request_id  TEXT    NOT NULL,
    ip          TEXT
);
CREATE INDEX operations_log_at ON operations_log (at);
CREATE INDEX operations_log_account ON operations_log (account_id, at);

-- days of operations log kept for this account; NULL: the global setting
ALTER TABLE accounts ADD COLUMN log_retention_days BIGINT;
