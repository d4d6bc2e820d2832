-- An account's user (F5) can be disabled and enabled again by the superadmin or a user with
-- users.manage: it keeps its name, groups and history but cannot sign in, and its sessions
-- end as it is disabled. disabled_at is when it was disabled; NULL while it may sign in.
ALTER TABLE account_users ADD COLUMN disabled_at BIGINT;
