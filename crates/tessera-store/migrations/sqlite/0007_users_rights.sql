-- An account's users, their groups, and the rights granted to groups (F5). The account's
-- superadmin (the account's own login) holds every right; users hold their groups' rights.

CREATE TABLE account_users (
    id            INTEGER PRIMARY KEY,
    account_id    BIGINT  NOT NULL REFERENCES accounts(id),
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL
);

CREATE TABLE user_groups (
    id          INTEGER PRIMARY KEY,
    account_id  BIGINT  NOT NULL REFERENCES accounts(id),
    name        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    UNIQUE (account_id, name)
);

CREATE TABLE group_members (
    group_id  BIGINT NOT NULL REFERENCES user_groups(id),
    user_id   BIGINT NOT NULL REFERENCES account_users(id),
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE group_rights (
    group_id  BIGINT NOT NULL REFERENCES user_groups(id),
    name      TEXT   NOT NULL,
    PRIMARY KEY (group_id, name)
);

CREATE TABLE user_sessions (
    token_hash  TEXT    PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES account_users(id),
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
