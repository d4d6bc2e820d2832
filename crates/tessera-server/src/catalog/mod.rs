//! What operators sell, as use cases: the products with their editions, size tiers and
//! modules (A1), and the cloud service's plans and the subscriptions accounts hold (E1–E4).
//! The JSON routes are routes/products.rs and routes/plans.rs.

pub mod plans;
pub mod products;
pub mod releases;
