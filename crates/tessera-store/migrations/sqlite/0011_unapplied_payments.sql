-- Validly signed payment callbacks that could not be applied (amount or currency not the
-- order's, an order paid already or unknown, a deleted subscription…): the provider has the
-- money, so the vendor needs the list to refund or apply by hand. Once per provider id.
CREATE TABLE unapplied_payments (
    id           INTEGER PRIMARY KEY,
    provider_id  TEXT    NOT NULL UNIQUE,
    order_ref    TEXT    NOT NULL,
    amount       BIGINT  NOT NULL,
    currency     TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    received_at  BIGINT  NOT NULL
);
