//! Selling the cloud service (E2–E3) and the money it takes: placing an order (orders.rs),
//! the payment provider's confirmation (payments.rs), the invoice document (invoice.rs,
//! rendered from invoice.html) and amounts as people read them (money.rs).

pub mod invoice;
pub mod money;
pub mod orders;
pub mod payments;
