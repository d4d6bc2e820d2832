-- Why an operator set a subscription's state (blocked, maintenance, deleted, resumed):
-- shown to the customer beside the state. NULL when none was given.
ALTER TABLE subscriptions ADD COLUMN state_note TEXT;
