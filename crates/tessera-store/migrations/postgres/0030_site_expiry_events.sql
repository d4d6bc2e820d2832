-- A licence that runs out by its date is a webhook event (X7, `site.expired`): the expiry
-- job writes it once per expiry date and notes which date it wrote it for here. Licences
-- that ran out before this migration are noted as told already.
ALTER TABLE sites ADD COLUMN expiry_noted_at BIGINT;
UPDATE sites SET expiry_noted_at = expires_at
 WHERE expires_at IS NOT NULL
   AND expires_at <= (EXTRACT(EPOCH FROM now()) * 1000000)::BIGINT;
