//! The data check before cloud activation (E7), as a dry run: a site's records checked
//! against its collections' rules and against the account's cloud data, each offending
//! record named. The vendor's own checks (dispensers set up for vehicle identification, the
//! sync service running) are the client's; these are the ones the declarations make.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::collection::{Collection, Scope, key_text};

/// One record of the site's local data.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate<'a> {
    pub collection: &'a str,
    pub id: &'a str,
    pub data: &'a Map<String, Value>,
}

/// What is wrong with a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The product declares no such collection.
    UnknownCollection,
    /// A required field is missing or blank (seed 000: a user without a nickname).
    MissingField { field: String },
    /// Another of the site's records holds the same unique value (two drivers, one iButton).
    Duplicate {
        field: String,
        value: String,
        other_id: String,
    },
    /// A record in the cloud (from another site) holds the same unique value under another
    /// id: the first sync will ask which to keep, unless the data is the same.
    HeldInCloud {
        field: String,
        value: String,
        cloud_id: String,
    },
}

/// One offending record and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub collection: String,
    pub id: String,
    pub problem: Problem,
}

/// The cloud's holders of unique values, by (collection, field, value): the record id. Only
/// account-scoped values are shared with other sites.
pub type CloudKeys = BTreeMap<(String, String, String), String>;

/// Checks `records` against `collections` and the cloud's `cloud` keys; every finding, in
/// the order of the records.
pub fn check_data(
    collections: &[Collection],
    records: &[Candidate<'_>],
    cloud: &CloudKeys,
) -> Vec<Finding> {
    let mut seen: BTreeMap<(&str, String, String), &str> = BTreeMap::new();
    let mut found = Vec::new();
    for r in records {
        let mut report = |problem| {
            found.push(Finding {
                collection: r.collection.to_owned(),
                id: r.id.to_owned(),
                problem,
            })
        };
        let Some(c) = collections.iter().find(|c| c.name.as_str() == r.collection) else {
            report(Problem::UnknownCollection);
            continue;
        };
        for field in &c.required {
            if r.data.get(field.as_str()).and_then(key_text).is_none() {
                report(Problem::MissingField {
                    field: field.to_string(),
                });
            }
        }
        for (field, value) in c.unique_keys(r.data) {
            let key = (r.collection, field.to_string(), value.clone());
            match seen.get(&key) {
                Some(other) if *other != r.id => report(Problem::Duplicate {
                    field: field.to_string(),
                    value: value.clone(),
                    other_id: (*other).to_owned(),
                }),
                _ => {
                    seen.insert(key, r.id);
                }
            }
            if c.scope == Scope::Account {
                let cloud_key = (r.collection.to_owned(), field.to_string(), value.clone());
                if let Some(cloud_id) = cloud.get(&cloud_key).filter(|id| *id != r.id) {
                    report(Problem::HeldInCloud {
                        field: field.to_string(),
                        value,
                        cloud_id: cloud_id.clone(),
                    });
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sync::collection::{NewCollection, record_data};

    fn fuel() -> Vec<Collection> {
        let one = |name, scope, unique: &[&str], required: &[&str]| {
            let unique: Vec<String> = unique.iter().map(|s| s.to_string()).collect();
            let required: Vec<String> = required.iter().map(|s| s.to_string()).collect();
            Collection::declare(&NewCollection {
                name,
                scope,
                unique: &unique,
                required: &required,
                web_user_field: None,
                web_user_email_field: None,
            })
            .unwrap()
        };
        vec![
            one("drivers", "account", &["ibutton"], &["ibutton", "name"]),
            one("users", "account", &["nickname"], &["nickname"]),
            one("transactions", "site", &["number"], &[]),
        ]
    }

    #[test]
    fn each_offending_record_is_named() {
        let d1 = record_data(json!({"ibutton": "A1", "name": "Anna"})).unwrap();
        let d2 = record_data(json!({"ibutton": "A1", "name": "Bob"})).unwrap();
        let d3 = record_data(json!({"ibutton": "C3"})).unwrap();
        let u1 = record_data(json!({"nickname": ""})).unwrap();
        let t1 = record_data(json!({"number": 7})).unwrap();
        let x = record_data(json!({})).unwrap();
        let records = [
            Candidate {
                collection: "drivers",
                id: "d1",
                data: &d1,
            },
            Candidate {
                collection: "drivers",
                id: "d2",
                data: &d2,
            },
            Candidate {
                collection: "drivers",
                id: "d3",
                data: &d3,
            },
            Candidate {
                collection: "users",
                id: "u1",
                data: &u1,
            },
            Candidate {
                collection: "transactions",
                id: "t1",
                data: &t1,
            },
            Candidate {
                collection: "dispensers",
                id: "p1",
                data: &x,
            },
        ];
        let cloud: CloudKeys = [
            (
                ("drivers".into(), "ibutton".into(), "C3".into()),
                "cloud-7".to_owned(),
            ),
            (
                ("transactions".into(), "number".into(), "7".into()),
                "other".to_owned(),
            ),
        ]
        .into();
        let found = check_data(&fuel(), &records, &cloud);
        let named: Vec<(&str, &Problem)> =
            found.iter().map(|f| (f.id.as_str(), &f.problem)).collect();
        assert_eq!(
            named,
            vec![
                (
                    "d2",
                    &Problem::Duplicate {
                        field: "ibutton".into(),
                        value: "A1".into(),
                        other_id: "d1".into()
                    }
                ),
                (
                    "d3",
                    &Problem::MissingField {
                        field: "name".into()
                    }
                ),
                (
                    "d3",
                    &Problem::HeldInCloud {
                        field: "ibutton".into(),
                        value: "C3".into(),
                        cloud_id: "cloud-7".into()
                    }
                ),
                (
                    "u1",
                    &Problem::MissingField {
                        field: "nickname".into()
                    }
                ),
                ("p1", &Problem::UnknownCollection),
            ]
        );
    }
}
