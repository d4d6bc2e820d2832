//! Products with editions, size tiers and modules (A1), and their bad inputs.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use tessera_api::{CreateProduct, NewEntry, NewSize};

use crate::harness::*;

mod bad_input;
mod lifecycle;
mod tokens;

/// An edition or module.
fn entry(code: &str, name: &str) -> NewEntry {
    NewEntry {
        code: code.into(),
        name: name.into(),
    }
}

/// A size tier with its named limits.
fn size(code: &str, name: &str, limits: &[(&str, u32)]) -> NewSize {
    let limits: BTreeMap<String, u32> = limits.iter().map(|&(k, v)| (k.to_owned(), v)).collect();
    NewSize {
        code: code.into(),
        name: name.into(),
        limits,
    }
}

/// A product of just a code and a name.
fn bare(code: &str, name: &str) -> CreateProduct {
    CreateProduct {
        code: code.into(),
        name: name.into(),
        editions: vec![],
        sizes: vec![],
        modules: vec![],
        grace_days: None,
        max_transfers: None,
    }
}

/// FuelMaster: editions standard < professional, size s5 (5 drivers, 5 vehicles, 10 users),
/// module cloud.
pub fn fuel_product() -> CreateProduct {
    CreateProduct {
        editions: vec![
            entry("standard", "Standard"),
            entry("professional", "Professional"),
        ],
        sizes: vec![size(
            "s5",
            "Up to 5",
            &[("drivers", 5), ("vehicles", 5), ("users", 10)],
        )],
        modules: vec![entry("cloud", "Cloud")],
        ..bare("fuelmaster", "FuelMaster")
    }
}
