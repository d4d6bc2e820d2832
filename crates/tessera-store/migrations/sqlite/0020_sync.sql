-- Cloud data sync (G1–G6, docs/sync.md). Collections are declared per product; records are
-- kept per account, each change given the next version of the account's one sequence
-- (`sync_accounts.last_version`, read and written under the account row's lock, so two
-- pushes never give two changes one version and versions commit in order); the unique
-- values of live records are indexed in `sync_unique`, whose primary key is the unique
-- rule itself. `owner` is '' for account-scoped records and the owning site's public id for
-- site-scoped ones. Instants are BIGINT microseconds (UTC).

CREATE TABLE sync_collections (
    id              INTEGER PRIMARY KEY,
    product_id      BIGINT  NOT NULL REFERENCES products(id),
    name            TEXT    NOT NULL,
    scope           TEXT    NOT NULL,
    unique_fields   TEXT    NOT NULL,
    required_fields TEXT    NOT NULL,
    web_user_field  TEXT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    UNIQUE (product_id, name)
);

CREATE TABLE sync_accounts (
    account_id       BIGINT  PRIMARY KEY REFERENCES accounts(id),
    last_version     BIGINT  NOT NULL DEFAULT 0,
    lease_site       TEXT,
    lease_started_at BIGINT,
    lease_expires_at BIGINT
);

CREATE TABLE sync_sites (
    site_id         TEXT    PRIMARY KEY REFERENCES sites(public_id),
    account_id      BIGINT  NOT NULL REFERENCES accounts(id),
    first_synced_at BIGINT,
    pulled_to       BIGINT  NOT NULL DEFAULT 0,
    last_pull_at    BIGINT,
    last_push_at    BIGINT
);

CREATE TABLE sync_records (
    account_id    BIGINT  NOT NULL REFERENCES accounts(id),
    collection_id BIGINT  NOT NULL REFERENCES sync_collections(id),
    owner         TEXT    NOT NULL,
    record_id     TEXT    NOT NULL,
    version       BIGINT  NOT NULL,
    data          TEXT,
    origin_site   TEXT    NOT NULL,
    updated_at    BIGINT  NOT NULL,
    PRIMARY KEY (account_id, collection_id, owner, record_id)
);
CREATE UNIQUE INDEX sync_records_version ON sync_records (account_id, version);
CREATE INDEX sync_records_pull ON sync_records (account_id, owner, version);

CREATE TABLE sync_unique (
    account_id    BIGINT  NOT NULL,
    collection_id BIGINT  NOT NULL,
    owner         TEXT    NOT NULL,
    field         TEXT    NOT NULL,
    value         TEXT    NOT NULL,
    record_id     TEXT    NOT NULL,
    PRIMARY KEY (account_id, collection_id, owner, field, value)
);
CREATE INDEX sync_unique_record ON sync_unique (account_id, collection_id, owner, record_id);

CREATE TABLE sync_batches (
    site_id      TEXT    NOT NULL,
    batch_id     TEXT    NOT NULL,
    account_id   BIGINT  NOT NULL REFERENCES accounts(id),
    request_hash TEXT    NOT NULL,
    answer       TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (site_id, batch_id)
);

CREATE TABLE sync_conflicts (
    id               INTEGER PRIMARY KEY,
    account_id       BIGINT  NOT NULL REFERENCES accounts(id),
    collection_id    BIGINT  NOT NULL REFERENCES sync_collections(id),
    owner            TEXT    NOT NULL,
    record_id        TEXT    NOT NULL,
    site_id          TEXT    NOT NULL,
    site_record_id   TEXT    NOT NULL,
    kind             TEXT    NOT NULL,
    field            TEXT,
    value            TEXT,
    base_version     BIGINT  NOT NULL,
    cloud_version    BIGINT  NOT NULL,
    cloud_data       TEXT,
    site_data        TEXT,
    created_at       BIGINT  NOT NULL,
    resolved_at      BIGINT,
    resolution       TEXT,
    resolved_by      TEXT,
    resolved_version BIGINT
);
CREATE INDEX sync_conflicts_account ON sync_conflicts (account_id, id);
