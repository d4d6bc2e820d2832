//! Keys sold under an earlier system (X5): each product's key format, and importing a file of
//! keys in one transaction — every line judged against what is held, nothing written unless
//! every line is accepted.

use std::collections::HashMap;

use jiff::Timestamp;
use tessera_core::key_format::KeyFormat;
use tessera_core::key_import::{ImportLine, LineRefusal, Outcome};
use tessera_core::{Actor, ProductKey};

use crate::{Result, Store, StoreError};

/// One line's fate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineResult {
    pub line: u64,
    pub key: ProductKey,
    pub outcome: std::result::Result<Outcome, LineRefusal>,
}

/// What an import found and, when `written`, did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportResult {
    pub lines: Vec<LineResult>,
    pub written: bool,
    /// The batches the new keys went into, one per product, edition and size.
    pub batches: Vec<i64>,
}

impl ImportResult {
    pub fn refused(&self) -> impl Iterator<Item = (&LineResult, &LineRefusal)> {
        self.lines.iter().filter_map(|l| match &l.outcome {
            Err(refusal) => Some((l, refusal)),
            Ok(_) => None,
        })
    }

    /// Lines with each outcome: new keys, unchanged keys, keys registered to a customer.
    pub fn counts(&self) -> (u32, u32, u32) {
        let (mut new, mut unchanged, mut registered) = (0, 0, 0);
        for line in &self.lines {
            match line.outcome {
                Ok(Outcome::New { register }) => {
                    new += 1;
                    registered += u32::from(register);
                }
                Ok(Outcome::Unchanged) => unchanged += 1,
                Ok(Outcome::Register) => registered += 1,
                Err(_) => {}
            }
        }
        (new, unchanged, registered)
    }
}

impl Store {
    /// Judges every line against the keys and accounts held, inside one transaction, and —
    /// when `write` and no line is refused — adds the new keys (a batch per product, edition
    /// and size, noted `note`) and registers keys to the customers the lines name. On
    /// PostgreSQL a key another import added meanwhile fails the whole import with
    /// `KEY_EXISTS`; judged again, that line is unchanged.
    #[tracing::instrument(level = "debug", skip_all, fields(lines = lines.len(), write = write))]
    pub async fn import_keys(
        &self,
        lines: &[ImportLine],
        write: bool,
        note: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ImportResult> {
        let result = on_backend!(self, |db| sql::key_import::import(
            db, lines, write, note, actor, now
        ))?;
        if result.written && result.counts().2 > 0 {
            self.cache.clear();
        }
        Ok(result)
    }

    /// Each product's key format, by product code; products without one are left out.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn key_formats(&self) -> Result<HashMap<String, KeyFormat>> {
        let rows = on_backend!(self, |db| sql::key_import::key_formats(db))?;
        rows.into_iter()
            .map(|(product, pattern)| {
                KeyFormat::parse(&pattern)
                    .map(|f| (product, f))
                    .map_err(|e| StoreError::Corrupt(format!("key format: {e}")))
            })
            .collect()
    }

    /// Sets (or, with None, clears) the key format of `product`; audited.
    #[tracing::instrument(level = "debug", skip_all, fields(product = product))]
    pub async fn set_key_format(
        &self,
        product: &str,
        format: Option<&KeyFormat>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        on_backend!(self, |db| sql::key_import::set_key_format(
            db, product, format, actor, now
        ))
    }
}
