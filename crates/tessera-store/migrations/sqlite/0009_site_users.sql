-- Site users (H1): people at one installation who sign in with username + password + the
-- site code the cloud enablement mailed. Names are unique per site, not globally: every
-- station has its "admin". They hold the rights of the account's groups they belong to.

CREATE TABLE site_users (
    id            INTEGER PRIMARY KEY,
    site_id       BIGINT  NOT NULL REFERENCES sites(id),
    username      TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    UNIQUE (site_id, username)
);

CREATE TABLE site_user_groups (
    group_id      BIGINT NOT NULL REFERENCES user_groups(id),
    site_user_id  BIGINT NOT NULL REFERENCES site_users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, site_user_id)
);

CREATE TABLE site_user_sessions (
    token_hash    TEXT    PRIMARY KEY,
    site_user_id  BIGINT  NOT NULL REFERENCES site_users(id) ON DELETE CASCADE,
    created_at    BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL
);

-- Rights and sessions are looked up by site user on each of its requests.
CREATE INDEX site_user_groups_by_user ON site_user_groups (site_user_id);
CREATE INDEX site_user_sessions_by_user ON site_user_sessions (site_user_id);
