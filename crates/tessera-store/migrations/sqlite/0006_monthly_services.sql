-- Per-site monthly services (F1–F3): the vendor's catalog of services, the stretches during
-- which a service was on at a site, and the invoice lines the monthly billing job writes.

CREATE TABLE services (
    id           INTEGER PRIMARY KEY,
    code         TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    -- price per month in the currency's minor unit (cents)
    monthly_price BIGINT NOT NULL,
    currency     TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL
);

-- One row per stretch during which a service was on at a site; off_on NULL: still on.
-- Dates are calendar days (YYYY-MM-DD) in the jobs' time zone.
CREATE TABLE site_services (
    id          INTEGER PRIMARY KEY,
    site_id     BIGINT  NOT NULL REFERENCES sites(id),
    service_id  BIGINT  NOT NULL REFERENCES services(id),
    on_date     TEXT    NOT NULL,
    off_date    TEXT,
    on_at       BIGINT  NOT NULL,
    off_at      BIGINT
);
-- at most one open stretch per site and service
CREATE UNIQUE INDEX site_services_open ON site_services (site_id, service_id) WHERE off_date IS NULL;

-- What the billing job charged: one line per account, site, service and month, written
-- once (the unique key makes a second run of the same month a no-op).
CREATE TABLE invoice_lines (
    id          INTEGER PRIMARY KEY,
    account_id  BIGINT  NOT NULL REFERENCES accounts(id),
    site_id     BIGINT  NOT NULL REFERENCES sites(id),
    service_id  BIGINT  NOT NULL REFERENCES services(id),
    month       TEXT    NOT NULL,
    amount      BIGINT  NOT NULL,
    currency    TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    UNIQUE (site_id, service_id, month)
);
CREATE INDEX invoice_lines_account ON invoice_lines (account_id, month);
