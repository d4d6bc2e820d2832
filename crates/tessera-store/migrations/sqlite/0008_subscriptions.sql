-- Cloud-service subscriptions (E1–E6): the plans operators sell, one subscription per
-- account and service (its trial, purchases and renewals), the sites enabled in it with
-- their codes, orders awaiting payment, payments, gap-free invoices and the reminders sent.

CREATE TABLE plans (
    id            INTEGER PRIMARY KEY,
    code          TEXT    NOT NULL UNIQUE,
    -- what the plan gives access to, e.g. cloud; an account has one subscription per service
    service       TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    article_code  TEXT    NOT NULL,
    -- per site and term, in the currency's minor unit
    price         BIGINT  NOT NULL,
    currency      TEXT    NOT NULL,
    period_months BIGINT  NOT NULL,
    trial_months  BIGINT  NOT NULL,
    trial_sites   BIGINT  NOT NULL,
    product_id    BIGINT  NOT NULL REFERENCES products(id),
    created_at    BIGINT  NOT NULL
);

-- The editions and sizes a plan covers.
CREATE TABLE plan_bundles (
    plan_id    BIGINT NOT NULL REFERENCES plans(id),
    edition_id BIGINT NOT NULL REFERENCES editions(id),
    size_id    BIGINT NOT NULL REFERENCES sizes(id),
    PRIMARY KEY (plan_id, edition_id, size_id)
);

-- One row per account and service, never deleted (state 'deleted' instead): starting the
-- trial inserts it, so the unique key grants one trial, and none once a purchase made it.
CREATE TABLE subscriptions (
    id               INTEGER PRIMARY KEY,
    account_id       BIGINT  NOT NULL REFERENCES accounts(id),
    service          TEXT    NOT NULL,
    plan_id          BIGINT  NOT NULL REFERENCES plans(id),
    state            TEXT    NOT NULL,
    seats            BIGINT  NOT NULL,
    -- the bundle, fixed by the first site enabled
    edition_id       BIGINT  REFERENCES editions(id),
    size_id          BIGINT  REFERENCES sizes(id),
    trial_started_at BIGINT,
    purchased_at     BIGINT,
    starts_at        BIGINT  NOT NULL,
    expires_at       BIGINT  NOT NULL,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    UNIQUE (account_id, service)
);
CREATE INDEX subscriptions_expiry ON subscriptions (expires_at);

-- Sites enabled in a subscription; the activation code is kept as a hash, the site code
-- (which names the site at sign-in) as typed.
CREATE TABLE cloud_sites (
    subscription_id      BIGINT  NOT NULL REFERENCES subscriptions(id),
    site_id              BIGINT  NOT NULL UNIQUE REFERENCES sites(id),
    enabled_at           BIGINT  NOT NULL,
    activation_code_hash TEXT    NOT NULL,
    site_code            TEXT    NOT NULL UNIQUE,
    token_hash           TEXT    UNIQUE,
    claimed_at           BIGINT,
    PRIMARY KEY (subscription_id, site_id)
);

CREATE TABLE orders (
    id             INTEGER PRIMARY KEY,
    public_id      TEXT    NOT NULL UNIQUE,
    account_id     BIGINT  NOT NULL REFERENCES accounts(id),
    plan_id        BIGINT  NOT NULL REFERENCES plans(id),
    -- purchase or renewal
    kind           TEXT    NOT NULL,
    quantity       BIGINT  NOT NULL,
    -- JSON array of the site ids kept at renewal; NULL keeps the earliest enabled
    keep_sites     TEXT,
    -- JSON: the invoicing data as given
    billing        TEXT    NOT NULL,
    net            BIGINT  NOT NULL,
    vat            BIGINT  NOT NULL,
    vat_rate_bp    BIGINT  NOT NULL,
    vat_treatment  TEXT    NOT NULL,
    total          BIGINT  NOT NULL,
    currency       TEXT    NOT NULL,
    -- awaiting_payment, paid
    status         TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    paid_at        BIGINT
);
CREATE INDEX orders_account ON orders (account_id, id);

-- A payment is recorded once per provider id (a replayed callback finds it).
CREATE TABLE payments (
    id          INTEGER PRIMARY KEY,
    provider_id TEXT    NOT NULL UNIQUE,
    order_id    BIGINT  NOT NULL UNIQUE REFERENCES orders(id),
    amount      BIGINT  NOT NULL,
    currency    TEXT    NOT NULL,
    received_at BIGINT  NOT NULL
);

-- The last invoice number given per year; taken in the paying transaction, so a rollback
-- gives the number back and the sequence has no gaps.
CREATE TABLE invoice_sequences (
    year BIGINT PRIMARY KEY,
    last BIGINT NOT NULL
);

-- Issued invoices; document is the JSON of everything the invoice shows, frozen at issue.
CREATE TABLE invoices (
    id         INTEGER PRIMARY KEY,
    number     TEXT    NOT NULL UNIQUE,
    year       BIGINT  NOT NULL,
    seq        BIGINT  NOT NULL,
    order_id   BIGINT  NOT NULL UNIQUE REFERENCES orders(id),
    account_id BIGINT  NOT NULL REFERENCES accounts(id),
    issued_at  BIGINT  NOT NULL,
    document   TEXT    NOT NULL,
    UNIQUE (year, seq)
);
CREATE INDEX invoices_account ON invoices (account_id, id);

-- Each reminder once per subscription and expiry date.
CREATE TABLE subscription_reminders (
    subscription_id BIGINT NOT NULL REFERENCES subscriptions(id),
    expires_at      BIGINT NOT NULL,
    kind            TEXT   NOT NULL,
    sent_at         BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, expires_at, kind)
);
