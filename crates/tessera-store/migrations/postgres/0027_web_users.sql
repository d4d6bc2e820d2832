-- Web users from synced data (H2): a collection may say where a web user's mail address is;
-- each record that is a web user is linked to the site user made for it (removed with it),
-- whose password is set with a mailed invitation code (kept hashed, used once).
ALTER TABLE sync_collections ADD COLUMN web_user_email_field TEXT;
CREATE TABLE sync_web_users (
    account_id    BIGINT  NOT NULL REFERENCES accounts(id),
    collection_id BIGINT  NOT NULL REFERENCES sync_collections(id),
    owner         TEXT    NOT NULL,
    record_id     TEXT    NOT NULL,
    site_user_id  BIGINT  NOT NULL UNIQUE REFERENCES site_users(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, collection_id, owner, record_id)
);
CREATE TABLE site_user_invitations (
    token_hash    TEXT    PRIMARY KEY,
    site_user_id  BIGINT  NOT NULL REFERENCES site_users(id) ON DELETE CASCADE,
    created_at    BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL,
    used_at       BIGINT
);
CREATE INDEX site_user_invitations_user ON site_user_invitations (site_user_id);
