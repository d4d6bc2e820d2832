-- The monthly services' invoice lines become numbered invoices (F2), in the same gap-free
-- yearly sequence as the cloud's: an invoice now has an order (a cloud payment) or none (a
-- month of services, its lines pointing at it). SQLite cannot drop a NOT NULL, so the table
-- is rebuilt; nothing refers to it yet.
CREATE TABLE invoices_new (
    id         INTEGER PRIMARY KEY,
    number     TEXT    NOT NULL UNIQUE,
    year       BIGINT  NOT NULL,
    seq        BIGINT  NOT NULL,
    order_id   BIGINT  UNIQUE REFERENCES orders(id),
    account_id BIGINT  NOT NULL REFERENCES accounts(id),
    issued_at  BIGINT  NOT NULL,
    document   TEXT    NOT NULL,
    UNIQUE (year, seq)
);
INSERT INTO invoices_new (id, number, year, seq, order_id, account_id, issued_at, document)
    SELECT id, number, year, seq, order_id, account_id, issued_at, document FROM invoices;
DROP TABLE invoices;
ALTER TABLE invoices_new RENAME TO invoices;
CREATE INDEX invoices_account ON invoices (account_id, id);

-- The invoice a line was issued on; NULL until the billing job issues it.
ALTER TABLE invoice_lines ADD COLUMN invoice_id BIGINT REFERENCES invoices(id);
CREATE INDEX invoice_lines_uninvoiced ON invoice_lines (account_id, month) WHERE invoice_id IS NULL;
