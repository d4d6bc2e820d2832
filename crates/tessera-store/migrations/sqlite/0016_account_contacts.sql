-- Further contacts of an account ("add a new contact to your account" in the seed's portal):
-- besides the contact person of the registration, whom the account's superadmin adds,
-- lists and removes.
CREATE TABLE account_contacts (
    id          INTEGER PRIMARY KEY,
    account_id  BIGINT  NOT NULL REFERENCES accounts(id),
    first_name  TEXT    NOT NULL,
    last_name   TEXT    NOT NULL,
    email       TEXT    NOT NULL,
    mobile      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE INDEX account_contacts_by_account ON account_contacts (account_id, id);
