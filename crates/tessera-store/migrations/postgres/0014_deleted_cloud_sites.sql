-- The cloud enablements of a deleted subscription (E4): the sites are released (their
-- cloud_sites rows go), but their codes and tokens are remembered here, so that a client or
-- a site user still holding them is told SUBSCRIPTION_DELETED rather than a bare 401. A site
-- enabled again (in another account's subscription) leaves this table.
CREATE TABLE deleted_cloud_sites (
    site_id              BIGINT  PRIMARY KEY REFERENCES sites(id),
    subscription_id      BIGINT  NOT NULL REFERENCES subscriptions(id),
    activation_code_hash TEXT    NOT NULL,
    site_code            TEXT    NOT NULL,
    token_hash           TEXT,
    deleted_at           BIGINT  NOT NULL
);
CREATE INDEX deleted_cloud_sites_code ON deleted_cloud_sites (site_code);
CREATE INDEX deleted_cloud_sites_token ON deleted_cloud_sites (token_hash);
