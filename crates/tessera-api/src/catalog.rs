use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An edition or module as an operator enters it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewEntry {
    /// Machine name: a-z, 0-9, '-', '_' (upper case is folded).
    #[schema(example = "professional")]
    pub code: String,
    #[schema(example = "Professional")]
    pub name: String,
}

/// A size tier as an operator enters it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewSize {
    #[schema(example = "s5")]
    pub code: String,
    #[schema(example = "Up to 5 drivers")]
    pub name: String,
    /// Named integer limits, e.g. `{"drivers": 5, "vehicles": 5, "users": 10}`.
    #[serde(default)]
    pub limits: BTreeMap<String, u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreateProduct {
    #[schema(example = "fuelmaster")]
    pub code: String,
    #[schema(example = "FuelMaster")]
    pub name: String,
    /// In ascending order: the first is the lowest edition.
    #[serde(default)]
    pub editions: Vec<NewEntry>,
    #[serde(default)]
    pub sizes: Vec<NewSize>,
    #[serde(default)]
    pub modules: Vec<NewEntry>,
    /// Days a site may run without a successful validation before it locks (D2). Default 10.
    #[serde(default)]
    #[schema(example = 10)]
    pub grace_days: Option<u32>,
    /// Moves to another machine allowed without deactivating first (C2). Default 0:
    /// a key must be deactivated before it is activated on another machine.
    #[serde(default)]
    #[schema(example = 0)]
    pub max_transfers: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Edition {
    pub code: String,
    pub name: String,
    /// Position in the edition order, 1 = lowest.
    pub rank: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Size {
    pub code: String,
    pub name: String,
    pub limits: BTreeMap<String, u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Module {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Product {
    pub code: String,
    pub name: String,
    pub editions: Vec<Edition>,
    pub sizes: Vec<Size>,
    pub modules: Vec<Module>,
    pub grace_days: u32,
    pub max_transfers: u32,
    /// Offline activation by file (X1): `none`, `periodic` or `perpetual`.
    #[schema(example = "periodic")]
    pub offline_policy: String,
    /// Days between revalidations by file, for `periodic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 90)]
    pub offline_check_days: Option<u32>,
    pub created_at: String,
}

/// A product's offline policy (X1): whether its sites may activate by file, and how often
/// a licence answered by file must be renewed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct SetOfflinePolicy {
    /// `none` (request files are refused), `periodic` (renew within `offline_check_days`)
    /// or `perpetual` (never renew).
    #[schema(example = "periodic")]
    pub offline_policy: String,
    /// 1 to 3650, for `periodic` only.
    #[serde(default)]
    #[schema(example = 90)]
    pub offline_check_days: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProductList {
    pub products: Vec<Product>,
}
