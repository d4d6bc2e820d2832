//! What one pushed change does (G3, G6): applied as a new version, already so, a conflict to
//! be decided by a person, or refused. The store loads the record as the cloud holds it and
//! the records holding the change's unique values, asks [`decide_change`], and writes what
//! it says — all in the push's one transaction, change after change.

use serde_json::{Map, Value};

use super::collection::{Collection, FieldName};

/// A record as the cloud holds it: its version and data, or a tombstone.
#[derive(Debug, Clone, PartialEq)]
pub struct Current {
    pub version: i64,
    /// None: deleted (a tombstone).
    pub data: Option<Map<String, Value>>,
}

/// What a site sends for a record.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Upsert(Map<String, Value>),
    Delete,
}

/// Another live record of the same collection and scope that holds one of the change's
/// unique values.
#[derive(Debug, Clone, PartialEq)]
pub struct Holder {
    pub field: FieldName,
    pub value: String,
    pub record_id: String,
    pub version: i64,
    pub data: Map<String, Value>,
}

/// Why two sides disagree.
#[derive(Debug, Clone, PartialEq)]
pub enum ConflictKind {
    /// The site changed the record from an older version than the cloud's, and the data
    /// differs: the cloud's side is the record itself.
    Version,
    /// In a first sync, another record holds the same identifier with other data (seed 000:
    /// a driver's iButton known to the cloud from another site): the cloud's side is that
    /// record.
    Identifier(Holder),
}

/// Why a change is refused (the rest of the batch still counts).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeRefused {
    #[error("required field {0} is missing or blank")]
    RequiredMissing(String),
    #[error("{field} {value:?} is already record {record_id}'s")]
    UniqueTaken {
        field: String,
        value: String,
        record_id: String,
    },
    #[error("base version {base} is newer than the record's version {current}")]
    BaseVersionUnknown { base: i64, current: i64 },
}

/// The decision on one change.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Written as the next version.
    Apply,
    /// The cloud already holds exactly this: no new version.
    Unchanged,
    /// In a first sync, another record holds the same identifier with the same data: the
    /// site's record is that one (its client takes the cloud's id); nothing is written.
    SameAs(String),
    /// Left for a person to decide; nothing is written but the conflict.
    Conflict(ConflictKind),
    Refused(ChangeRefused),
}

/// Decides one change to a record of `collection` based on version `base_version` (0: the
/// site never had a version of it), given the cloud's `current` record and the `holders` of
/// its unique values (other live records). `first_sync`: the site is running its exclusive
/// first sync, where an identifier held by another record is a conflict to decide rather
/// than a refusal.
pub fn decide_change(
    collection: &Collection,
    current: Option<&Current>,
    base_version: i64,
    change: &Change,
    holders: &[Holder],
    first_sync: bool,
) -> Decision {
    if let Change::Upsert(data) = change
        && let Some(field) = collection.missing_required(data)
    {
        return Decision::Refused(ChangeRefused::RequiredMissing(field.to_string()));
    }
    let current_version = current.map_or(0, |c| c.version);
    if base_version > current_version || base_version < 0 {
        return Decision::Refused(ChangeRefused::BaseVersionUnknown {
            base: base_version,
            current: current_version,
        });
    }
    let current_data = current.and_then(|c| c.data.as_ref());
    let same = match change {
        Change::Upsert(data) => current_data == Some(data),
        Change::Delete => current_data.is_none(),
    };
    if same {
        return Decision::Unchanged;
    }
    if base_version < current_version {
        return Decision::Conflict(ConflictKind::Version);
    }
    let Change::Upsert(data) = change else {
        return Decision::Apply;
    };
    match holders.first() {
        None => Decision::Apply,
        Some(h) if first_sync && current.is_none() && &h.data == data => {
            Decision::SameAs(h.record_id.clone())
        }
        Some(h) if first_sync => Decision::Conflict(ConflictKind::Identifier(h.clone())),
        Some(h) => Decision::Refused(ChangeRefused::UniqueTaken {
            field: h.field.to_string(),
            value: h.value.clone(),
            record_id: h.record_id.clone(),
        }),
    }
}

/// How a person settles a conflict (G3).
#[derive(Debug, Clone, PartialEq)]
pub enum Keep {
    /// The cloud's side as it is now.
    Cloud,
    /// The site's side.
    Site,
    /// Data the person edited.
    Edit(Map<String, Value>),
}

/// What settling a conflict writes: the cloud record's next version (None: a tombstone),
/// and, when the site's record had another id (an identifier conflict), a tombstone for
/// that id, so every site drops its copy and keeps the cloud's record.
#[derive(Debug, Clone, PartialEq)]
pub struct Settlement {
    pub data: Option<Map<String, Value>>,
    pub drop_site_record: bool,
}

impl Keep {
    /// The data this decision keeps: the cloud's record as it is now (`cloud_now`, None:
    /// deleted), the site's side (None: the site deleted it), or the edit.
    pub fn chosen(
        &self,
        cloud_now: Option<&Map<String, Value>>,
        site: Option<&Map<String, Value>>,
    ) -> Option<Map<String, Value>> {
        match self {
            Keep::Cloud => cloud_now.cloned(),
            Keep::Site => site.cloned(),
            Keep::Edit(data) => Some(data.clone()),
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Keep::Cloud => "cloud",
            Keep::Site => "site",
            Keep::Edit(_) => "edit",
        }
    }
}

/// Decides a conflict's settlement from the [`Keep::chosen`] data: it must still be valid
/// (required fields) and its identifiers free (`holders`: live records other than the two
/// sides that hold one of its unique values). `identifier`: the sides are two records.
pub fn decide_settlement(
    collection: &Collection,
    chosen: Option<Map<String, Value>>,
    identifier: bool,
    holders: &[Holder],
) -> Result<Settlement, ChangeRefused> {
    if let Some(data) = &chosen {
        if let Some(field) = collection.missing_required(data) {
            return Err(ChangeRefused::RequiredMissing(field.to_string()));
        }
        if let Some(h) = holders.first() {
            return Err(ChangeRefused::UniqueTaken {
                field: h.field.to_string(),
                value: h.value.clone(),
                record_id: h.record_id.clone(),
            });
        }
    }
    Ok(Settlement {
        data: chosen,
        drop_site_record: identifier,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sync::collection::{NewCollection, record_data};

    fn drivers() -> Collection {
        Collection::declare(&NewCollection {
            name: "drivers",
            scope: "account",
            unique: &["ibutton".to_owned()],
            required: &["name".to_owned()],
            web_user_field: None,
            web_user_email_field: None,
        })
        .unwrap()
    }

    fn data(v: Value) -> Map<String, Value> {
        record_data(v).unwrap()
    }

    fn cur(version: i64, v: Value) -> Current {
        Current {
            version,
            data: Some(data(v)),
        }
    }

    fn holder(id: &str, v: Value) -> Holder {
        Holder {
            field: FieldName::parse("ibutton").unwrap(),
            value: "A1".into(),
            record_id: id.into(),
            version: 3,
            data: data(v),
        }
    }

    #[test]
    fn a_change_on_the_current_version_applies() {
        let d = drivers();
        let anna = Change::Upsert(data(json!({"name": "Anna", "ibutton": "A1"})));
        assert_eq!(
            decide_change(&d, None, 0, &anna, &[], false),
            Decision::Apply
        );
        let old = cur(4, json!({"name": "Ann", "ibutton": "A1"}));
        assert_eq!(
            decide_change(&d, Some(&old), 4, &anna, &[], false),
            Decision::Apply
        );
        assert_eq!(
            decide_change(&d, Some(&old), 4, &Change::Delete, &[], false),
            Decision::Apply
        );
    }

    #[test]
    fn an_older_base_with_other_data_is_a_conflict_the_same_data_is_nothing() {
        let d = drivers();
        let now = cur(7, json!({"name": "Anna", "ibutton": "A1"}));
        let same = Change::Upsert(data(json!({"name": "Anna", "ibutton": "A1"})));
        let other = Change::Upsert(data(json!({"name": "Anne", "ibutton": "A1"})));
        assert_eq!(
            decide_change(&d, Some(&now), 3, &same, &[], false),
            Decision::Unchanged
        );
        assert_eq!(
            decide_change(&d, Some(&now), 3, &other, &[], false),
            Decision::Conflict(ConflictKind::Version)
        );
        assert_eq!(
            decide_change(&d, Some(&now), 3, &Change::Delete, &[], false),
            Decision::Conflict(ConflictKind::Version)
        );
        let gone = Current {
            version: 8,
            data: None,
        };
        assert_eq!(
            decide_change(&d, Some(&gone), 2, &Change::Delete, &[], false),
            Decision::Unchanged
        );
        assert_eq!(
            decide_change(&d, None, 0, &Change::Delete, &[], false),
            Decision::Unchanged
        );
    }

    #[test]
    fn refusals_name_what_is_wrong() {
        let d = drivers();
        let nameless = Change::Upsert(data(json!({"ibutton": "A1"})));
        assert_eq!(
            decide_change(&d, None, 0, &nameless, &[], false),
            Decision::Refused(ChangeRefused::RequiredMissing("name".into()))
        );
        let anna = Change::Upsert(data(json!({"name": "Anna", "ibutton": "A1"})));
        assert_eq!(
            decide_change(&d, None, 5, &anna, &[], false),
            Decision::Refused(ChangeRefused::BaseVersionUnknown {
                base: 5,
                current: 0
            })
        );
        let bob = holder("d-9", json!({"name": "Bob", "ibutton": "A1"}));
        assert_eq!(
            decide_change(&d, None, 0, &anna, std::slice::from_ref(&bob), false),
            Decision::Refused(ChangeRefused::UniqueTaken {
                field: "ibutton".into(),
                value: "A1".into(),
                record_id: "d-9".into()
            })
        );
    }

    #[test]
    fn in_a_first_sync_a_taken_identifier_is_a_conflict_or_the_same_record() {
        let d = drivers();
        let anna = Change::Upsert(data(json!({"name": "Anna", "ibutton": "A1"})));
        let bob = holder("d-9", json!({"name": "Bob", "ibutton": "A1"}));
        assert_eq!(
            decide_change(&d, None, 0, &anna, std::slice::from_ref(&bob), true),
            Decision::Conflict(ConflictKind::Identifier(bob))
        );
        let twin = holder("d-9", json!({"name": "Anna", "ibutton": "A1"}));
        assert_eq!(
            decide_change(&d, None, 0, &anna, &[twin], true),
            Decision::SameAs("d-9".into())
        );
    }

    #[test]
    fn a_settlement_keeps_a_side_or_an_edit_still_valid() {
        let d = drivers();
        let cloud = data(json!({"name": "Bob", "ibutton": "A1"}));
        let site = data(json!({"name": "Anna", "ibutton": "A1"}));
        let chosen = Keep::Site.chosen(Some(&cloud), Some(&site));
        assert_eq!(
            decide_settlement(&d, chosen, true, &[]),
            Ok(Settlement {
                data: Some(site.clone()),
                drop_site_record: true
            })
        );
        assert_eq!(
            Keep::Cloud.chosen(Some(&cloud), Some(&site)),
            Some(cloud.clone())
        );
        assert_eq!(Keep::Site.chosen(Some(&cloud), None), None);
        let bad = data(json!({"ibutton": "A1"}));
        assert_eq!(
            decide_settlement(&d, Keep::Edit(bad).chosen(None, None), false, &[]),
            Err(ChangeRefused::RequiredMissing("name".into()))
        );
        let taken = holder("d-3", json!({"name": "Carl", "ibutton": "A1"}));
        assert!(decide_settlement(&d, Some(site), false, &[taken]).is_err());
        let deleted = decide_settlement(&d, None, false, &[]).unwrap();
        assert_eq!(deleted.data, None);
    }
}
