-- A renewal paid before the running term ends (E3) starts at that term's end: its plan, seats
-- and kept sites wait here until then, and the hourly expiry job applies them. The expiry is
-- extended at payment.
ALTER TABLE subscriptions ADD COLUMN next_starts_at BIGINT;
ALTER TABLE subscriptions ADD COLUMN next_plan_id BIGINT REFERENCES plans(id);
ALTER TABLE subscriptions ADD COLUMN next_seats BIGINT;
-- JSON list of the sites' public ids; NULL keeps the earliest enabled, up to next_seats.
ALTER TABLE subscriptions ADD COLUMN next_keep TEXT;
