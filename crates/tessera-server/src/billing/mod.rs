//! Money (E2, F2): amounts as people read them (money.rs) and the invoice document
//! (invoice.rs, rendered from invoice.html).

pub mod invoice;
pub mod money;
