-- Releases of a product (X6): a semantic version, its channel, notes, where it is downloaded
-- and its SHA-256, the editions it is for (JSON array of codes; [] for every edition). The
-- product's minimum supported version goes into every licence and validation.
CREATE TABLE releases (
    id           INTEGER PRIMARY KEY,
    product_id   BIGINT  NOT NULL REFERENCES products(id),
    version      TEXT    NOT NULL,
    channel      TEXT    NOT NULL,
    notes        TEXT    NOT NULL,
    url          TEXT    NOT NULL,
    sha256       TEXT,
    editions     TEXT    NOT NULL,
    published_at BIGINT  NOT NULL,
    UNIQUE (product_id, version)
);
ALTER TABLE products ADD COLUMN minimum_version TEXT;
