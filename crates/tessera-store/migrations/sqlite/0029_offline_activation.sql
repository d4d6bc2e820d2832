-- Offline activation by file (X1): each product's offline policy, and the requests answered
-- by file. A request's nonce is answered once: again for the same machine (the stored
-- answer, verbatim), never for another one.
ALTER TABLE products ADD COLUMN offline_policy TEXT NOT NULL DEFAULT 'none';
ALTER TABLE products ADD COLUMN offline_check_days BIGINT;
CREATE TABLE offline_requests (
    nonce        TEXT    PRIMARY KEY,
    fingerprint  TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    site_id      BIGINT  NOT NULL REFERENCES sites(id),
    response     TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX offline_requests_site ON offline_requests (site_id);
