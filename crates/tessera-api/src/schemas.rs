//! Schemas of fields whose type is text on the wire but whose values are a fixed list.

use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
use utoipa::openapi::{Array, Object};

fn one_of(values: impl IntoIterator<Item = &'static str>) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
        .build()
}

/// The states an operator may set a subscription to.
pub fn subscription_state_choice() -> Object {
    one_of(["active", "maintenance", "blocked", "deleted"])
}

/// Where an order stands.
pub fn order_statuses() -> Object {
    one_of(tessera_core::order::OrderStatus::ALL.map(|s| s.as_str()))
}

/// Right names, as a list.
pub fn right_names() -> Array {
    let names = tessera_core::rights::Right::ALL.map(|r| r.name());
    ArrayBuilder::new().items(one_of(names)).build()
}
