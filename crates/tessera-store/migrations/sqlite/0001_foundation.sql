-- Foundation: operators, catalog, key batches, keys, audit. SQLite deployments keep the
-- signing keys in files in the data directory, so there is no signing_keys table here.
-- Instants are BIGINT microseconds since the Unix epoch (UTC) in both backends.

CREATE TABLE operators (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL
);

CREATE TABLE operator_sessions (
    token_hash  TEXT    PRIMARY KEY,
    operator_id BIGINT  NOT NULL REFERENCES operators(id),
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);

CREATE TABLE products (
    id         INTEGER PRIMARY KEY,
    code       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);

CREATE TABLE editions (
    id         INTEGER PRIMARY KEY,
    product_id BIGINT  NOT NULL REFERENCES products(id),
    code       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    rank       BIGINT  NOT NULL,
    UNIQUE (product_id, code),
    UNIQUE (product_id, rank)
);

CREATE TABLE sizes (
    id         INTEGER PRIMARY KEY,
    product_id BIGINT  NOT NULL REFERENCES products(id),
    code       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    limits     TEXT    NOT NULL,
    UNIQUE (product_id, code)
);

CREATE TABLE modules (
    id         INTEGER PRIMARY KEY,
    product_id BIGINT  NOT NULL REFERENCES products(id),
    code       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    UNIQUE (product_id, code)
);

CREATE TABLE key_batches (
    id         INTEGER PRIMARY KEY,
    product_id BIGINT  NOT NULL REFERENCES products(id),
    edition_id BIGINT  NOT NULL REFERENCES editions(id),
    size_id    BIGINT  NOT NULL REFERENCES sizes(id),
    requested  BIGINT  NOT NULL CHECK (requested > 0),
    generated  BIGINT  NOT NULL DEFAULT 0 CHECK (generated <= requested),
    note       TEXT,
    created_by TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);

CREATE TABLE product_keys (
    id         INTEGER PRIMARY KEY,
    key        TEXT    NOT NULL UNIQUE,
    batch_id   BIGINT  NOT NULL REFERENCES key_batches(id),
    edition_id BIGINT  NOT NULL REFERENCES editions(id),
    size_id    BIGINT  NOT NULL REFERENCES sizes(id),
    status     TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);
CREATE INDEX product_keys_batch ON product_keys (batch_id, id);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           BIGINT  NOT NULL,
    actor        TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    subject_type TEXT    NOT NULL,
    subject_id   TEXT    NOT NULL,
    detail       TEXT
);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id, id);
