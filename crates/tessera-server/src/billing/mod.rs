//! Selling the cloud service (E2–E3) and the money it takes: placing an order (orders.rs),
//! the payment provider's confirmation (payments.rs) and the invoice's printable page
//! (invoice.rs, rendered from invoice.html). Amounts as people read them are
//! `tessera_core::money`.

pub mod invoice;
pub mod orders;
pub mod payments;
