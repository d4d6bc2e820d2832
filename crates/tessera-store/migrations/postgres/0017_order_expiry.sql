-- An order waits for its payment until expires_at (placed + billing.order_expiry_hours, fixed
-- when it is placed); the account may cancel it before. Its status is now awaiting_payment,
-- paid, cancelled or expired: an order still awaiting payment at expires_at has expired even
-- before the hourly expiry job writes it down.
--
-- Orders placed before this migration get the default wait of 72 hours; one still awaiting
-- payment counts it from the upgrade, so no payment under way is refused by the upgrade
-- itself.
ALTER TABLE orders ADD COLUMN expires_at BIGINT;
UPDATE orders SET expires_at = 259200000000 + CASE
    WHEN status = 'awaiting_payment'
        THEN GREATEST(created_at, (EXTRACT(EPOCH FROM now()) * 1000000)::BIGINT)
    ELSE created_at
END;
ALTER TABLE orders ALTER COLUMN expires_at SET NOT NULL;
-- What the expiry job looks for.
CREATE INDEX orders_awaiting_payment ON orders (expires_at) WHERE status = 'awaiting_payment';
