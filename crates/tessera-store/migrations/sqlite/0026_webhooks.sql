-- Webhooks (X7). An event is written by `audit` in the same transaction as the change it
-- reports (an event exists exactly when its change committed); the webhooks job fans each
-- out to the endpoints that want it, one delivery per endpoint and event (a unique pair:
-- never twice), and sends the deliveries with retries, each subject's in order.
CREATE TABLE webhook_endpoints (
    id          INTEGER PRIMARY KEY,
    url         TEXT    NOT NULL,
    -- The HMAC key of the signatures (the receiver holds it too; shown once).
    secret      TEXT    NOT NULL,
    -- JSON array of event names; ["*"] for every event.
    events      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    deleted_at  BIGINT
);
CREATE TABLE webhook_events (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    fanned_out  BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX webhook_events_waiting ON webhook_events (fanned_out, id);
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    endpoint_id     BIGINT  NOT NULL REFERENCES webhook_endpoints(id),
    event_id        BIGINT  NOT NULL REFERENCES webhook_events(id),
    subject         TEXT    NOT NULL,
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    claimed_until   BIGINT,
    last_status     BIGINT,
    last_error      TEXT,
    last_attempt_at BIGINT,
    delivered_at    BIGINT,
    failed_at       BIGINT,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_open ON webhook_deliveries (delivered_at, failed_at, next_attempt_at);
CREATE INDEX webhook_deliveries_subject ON webhook_deliveries (endpoint_id, subject, id);
