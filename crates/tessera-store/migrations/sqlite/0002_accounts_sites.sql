-- Customer accounts, their sessions and password resets; installations (sites) bound to
-- machines; the mail outbox. Free-form profile data is JSON text; what is looked up or
-- unique has its own column.

ALTER TABLE products ADD COLUMN grace_days BIGINT NOT NULL DEFAULT 10;
ALTER TABLE products ADD COLUMN max_transfers BIGINT NOT NULL DEFAULT 0;

CREATE TABLE accounts (
    id                  INTEGER PRIMARY KEY,
    username            TEXT    NOT NULL UNIQUE,
    email               TEXT    NOT NULL UNIQUE,
    password_hash       TEXT    NOT NULL,
    company_name        TEXT    NOT NULL,
    -- company_name lower-cased by Tessera (full Unicode), for prefix search
    company_search      TEXT    NOT NULL,
    country             TEXT    NOT NULL,
    vat_number          TEXT    NOT NULL UNIQUE,
    profile             TEXT    NOT NULL,
    privacy_accepted_at BIGINT  NOT NULL,
    privacy_ip          TEXT    NOT NULL,
    newsletter          BOOLEAN NOT NULL,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL
);

CREATE TABLE account_sessions (
    token_hash  TEXT    PRIMARY KEY,
    account_id  BIGINT  NOT NULL REFERENCES accounts(id),
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);

CREATE TABLE password_resets (
    token_hash  TEXT    PRIMARY KEY,
    account_id  BIGINT  NOT NULL REFERENCES accounts(id),
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);

ALTER TABLE product_keys ADD COLUMN account_id BIGINT REFERENCES accounts(id);
ALTER TABLE product_keys ADD COLUMN reseller TEXT;
ALTER TABLE product_keys ADD COLUMN registered_at BIGINT;
CREATE INDEX product_keys_account ON product_keys (account_id);

CREATE TABLE sites (
    id                INTEGER PRIMARY KEY,
    public_id         TEXT    NOT NULL UNIQUE,
    account_id        BIGINT  NOT NULL REFERENCES accounts(id),
    key_id            BIGINT  NOT NULL UNIQUE REFERENCES product_keys(id),
    status            TEXT    NOT NULL,
    label             TEXT    NOT NULL,
    fingerprint       TEXT,
    token_hash        TEXT    UNIQUE,
    transfers         BIGINT  NOT NULL DEFAULT 0,
    expires_at        BIGINT,
    data              TEXT,
    activated_at      BIGINT,
    deactivated_at    BIGINT,
    last_validated_at BIGINT,
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL
);
CREATE INDEX sites_account ON sites (account_id, id);

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL,
    to_addr    TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    sent_at    BIGINT
);
