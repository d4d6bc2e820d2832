-- The monthly services' invoice lines become numbered invoices (F2), in the same gap-free
-- yearly sequence as the cloud's: an invoice now has an order (a cloud payment) or none (a
-- month of services, its lines pointing at it).
ALTER TABLE invoices ALTER COLUMN order_id DROP NOT NULL;

-- The invoice a line was issued on; NULL until the billing job issues it.
ALTER TABLE invoice_lines ADD COLUMN invoice_id BIGINT REFERENCES invoices(id);
CREATE INDEX invoice_lines_uninvoiced ON invoice_lines (account_id, month) WHERE invoice_id IS NULL;
