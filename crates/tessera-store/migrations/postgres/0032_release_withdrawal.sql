-- A release the vendor withdrew (X6; a broken build): kept on record with when and why, but
-- no longer a licence's latest nor in any account's downloads. Its version stays taken.
ALTER TABLE releases ADD COLUMN withdrawn_at BIGINT;
ALTER TABLE releases ADD COLUMN withdrawn_reason TEXT;
