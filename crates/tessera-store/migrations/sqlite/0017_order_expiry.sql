-- An order waits for its payment until expires_at (placed + billing.order_expiry_hours, fixed
-- when it is placed); the account may cancel it before. Its status is now awaiting_payment,
-- paid, cancelled or expired: an order still awaiting payment at expires_at has expired even
-- before the hourly expiry job writes it down.
--
-- Orders placed before this migration get the default wait of 72 hours; one still awaiting
-- payment counts it from the upgrade, so no payment under way is refused by the upgrade
-- itself. (SQLite adds a NOT NULL column only with a default; every insert sets it.)
ALTER TABLE orders ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
UPDATE orders SET expires_at = 259200000000 + CASE
    WHEN status = 'awaiting_payment'
        THEN MAX(created_at, CAST(strftime('%s', 'now') AS INTEGER) * 1000000)
    ELSE created_at
END;
-- What the expiry job looks for.
CREATE INDEX orders_awaiting_payment ON orders (expires_at) WHERE status = 'awaiting_payment';
