//! The catalog (A1): products with ordered editions, size tiers (named limits) and modules.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

/// A short machine name for a product, edition, size tier, module or limit: 1–64 characters
/// of `a-z 0-9 - _`, starting with a letter or digit. Upper case input is folded to lower case.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Code(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("a code must not be empty")]
    Empty,
    #[error("a code has at most 64 characters")]
    TooLong,
    #[error("a code may only contain a-z, 0-9, '-' and '_' and must start with a letter or digit")]
    Symbol,
}

impl Code {
    pub fn parse(s: &str) -> Result<Self, CodeError> {
        let s = s.trim().to_ascii_lowercase();
        if s.is_empty() {
            return Err(CodeError::Empty);
        }
        if s.len() > 64 {
            return Err(CodeError::TooLong);
        }
        let first_ok = s.as_bytes()[0].is_ascii_alphanumeric();
        let all_ok = s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if !first_ok || !all_ok {
            return Err(CodeError::Symbol);
        }
        Ok(Code(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Code::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

/// Named integer limits of a size tier, e.g. `drivers: 5, vehicles: 5, users: 10`.
pub type Limits = BTreeMap<Code, u32>;

/// A display name: 1–200 characters after trimming, on one line (no line break, tab or
/// other control character).
pub fn check_name(name: &str) -> Result<&str, ProductRuleError> {
    let trimmed = name.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 200 || trimmed.chars().any(char::is_control)
    {
        return Err(ProductRuleError::Name);
    }
    Ok(trimmed)
}

/// What the catalog rules refuse in a product definition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProductRuleError {
    #[error("a name has 1 to 200 characters, on one line")]
    Name,
    #[error("{kind} '{code}' appears twice")]
    Duplicate { kind: &'static str, code: Code },
    #[error("grace_days must be 1 to 365")]
    GraceDays,
    #[error("max_transfers must be 0 to 1000")]
    MaxTransfers,
}

/// How a product's licenses behave at sites (C2, D2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LicensePolicy {
    /// Days a client may run without a successful validation before it locks (D2).
    pub grace_days: u32,
    /// Moves to another machine allowed without deactivating first (0: deactivate first).
    pub max_transfers: u32,
    /// Whether and how sites may activate and validate by file (X1).
    pub offline: crate::offline::OfflinePolicy,
}

impl Default for LicensePolicy {
    fn default() -> Self {
        LicensePolicy {
            grace_days: 10,
            max_transfers: 0,
            offline: crate::offline::OfflinePolicy::None,
        }
    }
}

impl LicensePolicy {
    pub fn check(&self) -> Result<(), ProductRuleError> {
        if !(1..=365).contains(&self.grace_days) {
            return Err(ProductRuleError::GraceDays);
        }
        if self.max_transfers > 1000 {
            return Err(ProductRuleError::MaxTransfers);
        }
        Ok(())
    }
}

/// One named entry of a product: an edition, a size tier or a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub code: Code,
    pub name: String,
}

/// A product as an operator defines it. Editions are in ascending order (Standard < … < Ultimate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProduct {
    pub code: Code,
    pub name: String,
    pub editions: Vec<Entry>,
    pub sizes: Vec<(Entry, Limits)>,
    pub modules: Vec<Entry>,
    pub policy: LicensePolicy,
}

impl NewProduct {
    /// Checks names and that no code repeats within editions, sizes or modules.
    pub fn check(&self) -> Result<(), ProductRuleError> {
        check_name(&self.name)?;
        self.policy.check()?;
        no_repeats("edition", self.editions.iter())?;
        no_repeats("size", self.sizes.iter().map(|(e, _)| e))?;
        no_repeats("module", self.modules.iter())?;
        Ok(())
    }
}

fn no_repeats<'a>(
    kind: &'static str,
    entries: impl Iterator<Item = &'a Entry>,
) -> Result<(), ProductRuleError> {
    let mut seen = HashSet::new();
    for e in entries {
        check_name(&e.name)?;
        if !seen.insert(&e.code) {
            return Err(ProductRuleError::Duplicate {
                kind,
                code: e.code.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(code: &str) -> Entry {
        Entry {
            code: Code::parse(code).unwrap(),
            name: code.to_uppercase(),
        }
    }

    #[test]
    fn codes_fold_case_and_refuse_odd_symbols() {
        assert_eq!(Code::parse(" Pro ").unwrap().as_str(), "pro");
        assert_eq!(Code::parse(""), Err(CodeError::Empty));
        assert_eq!(Code::parse("-x"), Err(CodeError::Symbol));
        assert_eq!(Code::parse("a b"), Err(CodeError::Symbol));
        assert_eq!(Code::parse(&"a".repeat(65)), Err(CodeError::TooLong));
    }

    #[test]
    fn repeated_edition_is_refused() {
        let p = NewProduct {
            code: Code::parse("fuel").unwrap(),
            name: "Fuel".into(),
            editions: vec![entry("standard"), entry("pro"), entry("standard")],
            sizes: vec![],
            modules: vec![],
            policy: LicensePolicy::default(),
        };
        assert_eq!(
            p.check(),
            Err(ProductRuleError::Duplicate {
                kind: "edition",
                code: Code::parse("standard").unwrap()
            })
        );
    }

    #[test]
    fn blank_name_is_refused() {
        let p = NewProduct {
            code: Code::parse("fuel").unwrap(),
            name: "  ".into(),
            editions: vec![],
            sizes: vec![],
            modules: vec![],
            policy: LicensePolicy::default(),
        };
        assert_eq!(p.check(), Err(ProductRuleError::Name));
    }
}
