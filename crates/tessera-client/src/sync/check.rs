//! The data check before the cloud (E7): the collection rules over the host's records, run
//! here (`tessera_core::sync::check_data`, the server's own function) over all of them at
//! once; the vendor's own checks; the server's dry run (`POST /api/v1/site/sync/check`, up
//! to 5 000 records a call), which adds what only the cloud knows (a unique value another
//! site already put there). Every offending record is named.

use std::collections::BTreeSet;

use serde::Serialize;
use tessera_api::{CheckReport, CheckRequest, CollectionDecl};
use tessera_core::sync::{Candidate, CloudKeys, Collection, NewCollection, check_data};

use super::LocalRecord;
use crate::client::{Client, lock};
use crate::errors::{ClientError, Result};
use crate::transport::MAX_SYNC_BODY;

/// The server's limit per dry run.
const CHECK_CHUNK: usize = 5000;

/// Who found a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingSource {
    /// The product's collection rules (required fields, unique values, known collections).
    Rules,
    /// The account's data in the cloud (a unique value held by another site's record).
    Cloud,
    /// A check of the vendor's software.
    Vendor,
}

/// One offending record (or, for a vendor check about the site as a whole, none: empty
/// `collection` and `id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub source: FindingSource,
    pub collection: String,
    pub id: String,
    /// `unknown_collection`, `missing_field`, `duplicate`, `held_in_cloud`,
    /// `invalid_record`, or the vendor's own word.
    pub problem: String,
    pub field: Option<String>,
    pub value: Option<String>,
    /// The other record holding the value (`duplicate`, `held_in_cloud`).
    pub other_id: Option<String>,
    /// For people: names the record.
    pub message: String,
}

impl Finding {
    /// A vendor check's finding about one record.
    pub fn vendor(
        collection: impl Into<String>,
        id: impl Into<String>,
        problem: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            source: FindingSource::Vendor,
            collection: collection.into(),
            id: id.into(),
            problem: problem.into(),
            field: None,
            value: None,
            other_id: None,
            message: message.into(),
        }
    }

    fn key(&self) -> (String, String, String, Option<String>, Option<String>) {
        (
            self.collection.clone(),
            self.id.clone(),
            self.problem.clone(),
            self.field.clone(),
            self.other_id.clone(),
        )
    }
}

/// A check the vendor's software adds (seed 000: every dispenser set up for vehicle
/// identification; the sync service running). Any `Fn(&[LocalRecord]) -> Vec<Finding>`
/// is one.
pub trait VendorCheck {
    fn check(&self, records: &[LocalRecord]) -> Vec<Finding>;
}

impl<F: Fn(&[LocalRecord]) -> Vec<Finding>> VendorCheck for F {
    fn check(&self, records: &[LocalRecord]) -> Vec<Finding> {
        self(records)
    }
}

/// What `activate_cloud` checks first.
pub enum PreCheck<'a> {
    /// The host's records and the vendor's checks: any finding blocks the exchange.
    Run {
        records: &'a [LocalRecord],
        checks: &'a [&'a dyn VendorCheck],
    },
    /// No check (the host ran it already, or a person chose to go on).
    Skip,
}

impl std::fmt::Debug for PreCheck<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PreCheck::Run { records, checks } => f
                .debug_struct("Run")
                .field("records", &records.len())
                .field("checks", &checks.len())
                .finish(),
            PreCheck::Skip => f.write_str("Skip"),
        }
    }
}

fn declared(decls: &[CollectionDecl]) -> Vec<Collection> {
    decls
        .iter()
        .filter_map(|d| {
            Collection::declare(&NewCollection {
                name: &d.name,
                scope: &d.scope,
                unique: &d.unique,
                required: &d.required,
                web_user_field: d.web_user_field.as_deref(),
                web_user_email_field: d.web_user_email_field.as_deref(),
            })
            .ok()
        })
        .collect()
}

fn rule_finding(f: tessera_core::sync::Finding) -> Finding {
    Finding {
        source: FindingSource::Rules,
        ..server_finding(tessera_api::CheckFinding::from(f))
    }
}

fn server_finding(f: tessera_api::CheckFinding) -> Finding {
    let source = if f.problem == "held_in_cloud" {
        FindingSource::Cloud
    } else {
        FindingSource::Rules
    };
    Finding {
        source,
        collection: f.collection,
        id: f.id,
        problem: f.problem,
        field: f.field,
        value: f.value,
        other_id: f.other_id,
        message: f.message,
    }
}

/// Splits `records` into calls of at most `max` records and about `max_bytes` of JSON
/// (the server's body limit), at least one record each.
fn chunks<'a>(
    records: &'a [&'a LocalRecord],
    max: usize,
    max_bytes: usize,
) -> Vec<&'a [&'a LocalRecord]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, r) in records.iter().enumerate() {
        let size = serde_json::to_string(&r.data).map_or(0, |s| s.len())
            + r.collection.len()
            + r.id.len()
            + 48;
        if i > start && (i - start == max || bytes + size > max_bytes) {
            out.push(&records[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < records.len() {
        out.push(&records[start..]);
    }
    out
}

impl Client {
    /// The data check (E7) over the host's `records`: the collection rules here over all of
    /// them (when the collections are known: [`crate::sync::SyncConfig::collections`], or
    /// fetched at the code exchange), each of `checks`, and the server's dry run with the
    /// site's license token. Every finding, each naming its record; none means the data
    /// may go to the cloud. Needs an activated license (the dry run's token).
    pub fn check_data(
        &self,
        records: &[LocalRecord],
        checks: &[&dyn VendorCheck],
    ) -> Result<Vec<Finding>> {
        let site_token = self.site_token()?;
        let mut found = Vec::new();
        // A record whose data is not a JSON object would make the server refuse the call.
        let (objects, others): (Vec<&LocalRecord>, Vec<&LocalRecord>) =
            records.iter().partition(|r| r.data.is_object());
        for r in others {
            found.push(Finding {
                source: FindingSource::Rules,
                collection: r.collection.clone(),
                id: r.id.clone(),
                problem: "invalid_record".into(),
                field: None,
                value: None,
                other_id: None,
                message: format!("{} {}: a record is a JSON object", r.collection, r.id),
            });
        }
        let collections = self.known_collections()?;
        if !collections.is_empty() {
            let rules = declared(&collections);
            let candidates: Vec<Candidate<'_>> = objects
                .iter()
                .filter_map(|r| {
                    Some(Candidate {
                        collection: r.collection.trim(),
                        id: &r.id,
                        data: r.data.as_object()?,
                    })
                })
                .collect();
            found.extend(
                check_data(&rules, &candidates, &CloudKeys::new())
                    .into_iter()
                    .map(rule_finding),
            );
        }
        for check in checks {
            for mut f in check.check(records) {
                f.source = FindingSource::Vendor;
                found.push(f);
            }
        }
        let preferred = lock(&self.preferred).clone();
        for chunk in chunks(&objects, CHECK_CHUNK, self.cfg.sync.batch_bytes) {
            let req = CheckRequest {
                records: chunk.iter().map(|r| (*r).clone()).collect(),
            };
            let (_, report) = self.each_server(preferred.as_deref(), |server| {
                self.transport.post_limited::<_, CheckReport>(
                    server,
                    "/api/v1/site/sync/check",
                    &req,
                    Some(&site_token),
                    MAX_SYNC_BODY,
                )
            })?;
            found.extend(report.findings.into_iter().map(server_finding));
        }
        let mut seen = BTreeSet::new();
        found.retain(|f| seen.insert(f.key()));
        Ok(found)
    }

    /// Runs the check `pre` asks for; any finding is [`ClientError::DataCheckFailed`].
    pub(crate) fn pre_check(&self, pre: PreCheck<'_>) -> Result<()> {
        let PreCheck::Run { records, checks } = pre else {
            return Ok(());
        };
        let found = self.check_data(records, checks)?;
        if found.is_empty() {
            Ok(())
        } else {
            Err(ClientError::DataCheckFailed(found))
        }
    }
}
