//! Collections (G1): what a product's client syncs, declared by the vendor in the catalog.
//! A collection has a name, a scope (`account`: master data every site of the account
//! shares; `site`: data that belongs to the site that wrote it), the fields that must be
//! unique within the scope, the fields a record must have, and optionally the field that
//! marks a record as a "web user" (H2). Records are JSON objects; the rules look at their
//! top-level fields only.

use std::fmt;

use serde_json::{Map, Value};

use crate::catalog::Code;

/// At most this many unique or required fields per collection.
pub const MAX_FIELDS: usize = 32;
/// A record's data, as JSON text, is at most this long.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

/// Whose a collection's records are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Master data shared by every site of the account (drivers, vehicles, users).
    Account,
    /// Data of the site that wrote it (transactions); other sites never see it.
    Site,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Account => "account",
            Scope::Site => "site",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        match s.trim() {
            "account" => Some(Scope::Account),
            "site" => Some(Scope::Site),
            _ => None,
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name of a top-level field of a record: 1–64 of `A-Z a-z 0-9 _`, not starting with a
/// digit (the names programs use for their columns).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldName(String);

impl FieldName {
    pub fn parse(s: &str) -> Result<FieldName, CollectionError> {
        let s = s.trim();
        let ok = !s.is_empty()
            && s.len() <= 64
            && !s.as_bytes()[0].is_ascii_digit()
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if ok {
            Ok(FieldName(s.to_owned()))
        } else {
            Err(CollectionError::FieldName(s.chars().take(80).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FieldName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A collection as the vendor declares it, before its rules are checked.
#[derive(Debug, Clone, Default)]
pub struct NewCollection<'a> {
    pub name: &'a str,
    pub scope: &'a str,
    pub unique: &'a [String],
    pub required: &'a [String],
    pub web_user_field: Option<&'a str>,
    pub web_user_email_field: Option<&'a str>,
}

/// A declared collection; a value of it is always valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    pub name: Code,
    pub scope: Scope,
    /// Unique within the scope: no two live records hold the same value.
    pub unique: Vec<FieldName>,
    /// Present, not null and not blank in every live record.
    pub required: Vec<FieldName>,
    /// A record whose field of this name is `true` is a web user (H2); its login name is
    /// its first unique field.
    pub web_user_field: Option<FieldName>,
    /// Where a web user's mail address is, for the invitation to set a password.
    pub web_user_email_field: Option<FieldName>,
}

/// What a web user's record says of it (H2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebUser {
    /// The login name: the record's first unique field, as a username (lower case).
    pub username: String,
    /// The record's mail address, when the collection names one and it looks like one.
    pub email: Option<String>,
}

/// Why a declaration is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CollectionError {
    #[error("a collection name is 1 to 64 of a-z, 0-9, '-' and '_'")]
    Name,
    #[error("the scope is `account` or `site`")]
    Scope,
    #[error(
        "{0:?} is not a field name (1 to 64 of A-Z, a-z, 0-9 and '_', not starting with a digit)"
    )]
    FieldName(String),
    #[error("field {0} is named twice")]
    Repeated(String),
    #[error("at most 32 unique and 32 required fields")]
    TooMany,
    #[error("a web-user field needs a unique field: the first one is the web user's login name")]
    WebUserWithoutName,
    #[error(
        "collection {0} holds records: its scope and unique fields can no longer change \
         (required fields and the web-user field can)"
    )]
    InUse(String),
}

impl Collection {
    /// Checks a declaration: a valid name and scope, valid field names, none twice.
    pub fn declare(new: &NewCollection<'_>) -> Result<Collection, CollectionError> {
        let name = Code::parse(new.name).map_err(|_| CollectionError::Name)?;
        let scope = Scope::parse(new.scope).ok_or(CollectionError::Scope)?;
        let fields = |names: &[String]| -> Result<Vec<FieldName>, CollectionError> {
            if names.len() > MAX_FIELDS {
                return Err(CollectionError::TooMany);
            }
            let mut out: Vec<FieldName> = Vec::with_capacity(names.len());
            for name in names {
                let field = FieldName::parse(name)?;
                if out.contains(&field) {
                    return Err(CollectionError::Repeated(field.0));
                }
                out.push(field);
            }
            Ok(out)
        };
        let collection = Collection {
            name,
            scope,
            unique: fields(new.unique)?,
            required: fields(new.required)?,
            web_user_field: new.web_user_field.map(FieldName::parse).transpose()?,
            web_user_email_field: new.web_user_email_field.map(FieldName::parse).transpose()?,
        };
        if collection.web_user_field.is_some() && collection.unique.is_empty() {
            return Err(CollectionError::WebUserWithoutName);
        }
        Ok(collection)
    }

    /// Whether `self` may replace the declaration `old`: once the collection holds records
    /// its scope and unique fields are fixed (the stored records and their unique index
    /// were made under them).
    pub fn may_replace(&self, old: &Collection, has_records: bool) -> Result<(), CollectionError> {
        let mut unique_old = old.unique.clone();
        let mut unique_new = self.unique.clone();
        unique_old.sort();
        unique_new.sort();
        if has_records && (old.scope != self.scope || unique_old != unique_new) {
            return Err(CollectionError::InUse(old.name.to_string()));
        }
        Ok(())
    }

    /// The first required field that `data` lacks (missing, null, or blank text).
    pub fn missing_required(&self, data: &Map<String, Value>) -> Option<&FieldName> {
        self.required
            .iter()
            .find(|f| data.get(f.as_str()).and_then(key_text).is_none())
    }

    /// The unique fields `data` holds a value for, with the value as it is indexed.
    pub fn unique_keys(&self, data: &Map<String, Value>) -> Vec<(FieldName, String)> {
        self.unique
            .iter()
            .filter_map(|f| Some((f.clone(), key_text(data.get(f.as_str())?)?)))
            .collect()
    }

    /// Whether `data` marks a web user (H2).
    pub fn is_web_user(&self, data: &Map<String, Value>) -> bool {
        self.web_user_field
            .as_ref()
            .is_some_and(|f| data.get(f.as_str()) == Some(&Value::Bool(true)))
    }

    /// The web user `data` describes (H2): marked, with a login name that is a valid
    /// username; None otherwise (a record that is not, or no longer, a web user).
    pub fn web_user(&self, data: &Map<String, Value>) -> Option<WebUser> {
        if !self.is_web_user(data) {
            return None;
        }
        let name = data.get(self.unique.first()?.as_str())?.as_str()?;
        let username = crate::account::Username::parse("username", name).ok()?;
        let email = self
            .web_user_email_field
            .as_ref()
            .and_then(|f| data.get(f.as_str())?.as_str())
            .and_then(|e| crate::account::Email::parse("email", e).ok())
            .map(|e| e.as_str().to_owned());
        Some(WebUser {
            username: username.as_str().to_owned(),
            email,
        })
    }
}

/// A field's value as the unique index and the required rule see it: text as it is (blank
/// text is no value), other values as their JSON text, null as no value.
pub fn key_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// A record's id, chosen by the client: 1–128 characters, none a control character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("a record id is 1 to 128 characters, none a control character")]
    Id,
    #[error("a record's data is a JSON object")]
    NotObject,
    #[error("a record's data is at most 64 KiB of JSON")]
    TooLarge,
}

impl RecordId {
    pub fn parse(s: &str) -> Result<RecordId, RecordError> {
        let ok =
            !s.trim().is_empty() && s.chars().count() <= 128 && !s.chars().any(char::is_control);
        if ok {
            Ok(RecordId(s.to_owned()))
        } else {
            Err(RecordError::Id)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A record's data: a JSON object of at most [`MAX_RECORD_BYTES`].
pub fn record_data(value: Value) -> Result<Map<String, Value>, RecordError> {
    let Value::Object(map) = value else {
        return Err(RecordError::NotObject);
    };
    let len = serde_json::to_string(&map)
        .map(|s| s.len())
        .unwrap_or(usize::MAX);
    if len > MAX_RECORD_BYTES {
        return Err(RecordError::TooLarge);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// The seed's vehicles: unique iButton, required plate.
    pub(crate) fn vehicles() -> Collection {
        Collection::declare(&NewCollection {
            name: "vehicles",
            scope: "account",
            unique: &strings(&["ibutton"]),
            required: &strings(&["plate"]),
            web_user_field: None,
            web_user_email_field: None,
        })
        .unwrap()
    }

    fn obj(v: Value) -> Map<String, Value> {
        record_data(v).unwrap()
    }

    #[test]
    fn declarations_are_checked() {
        let bad = |n: NewCollection<'_>| Collection::declare(&n).unwrap_err();
        let twice = strings(&["nick", "nick"]);
        let digit = strings(&["1st"]);
        assert_eq!(
            bad(NewCollection {
                name: "Users!",
                scope: "account",
                ..Default::default()
            }),
            CollectionError::Name
        );
        assert_eq!(
            bad(NewCollection {
                name: "users",
                scope: "global",
                ..Default::default()
            }),
            CollectionError::Scope
        );
        assert_eq!(
            bad(NewCollection {
                name: "users",
                scope: "site",
                unique: &twice,
                ..Default::default()
            }),
            CollectionError::Repeated("nick".into())
        );
        assert!(matches!(
            bad(NewCollection {
                name: "users",
                scope: "site",
                required: &digit,
                ..Default::default()
            }),
            CollectionError::FieldName(_)
        ));
        let users = Collection::declare(&NewCollection {
            name: "Users",
            scope: "account",
            unique: &strings(&["nickname"]),
            required: &strings(&["nickname"]),
            web_user_field: Some("web_user"),
            web_user_email_field: Some("email"),
        })
        .unwrap();
        assert_eq!(users.name.as_str(), "users");
        assert!(users.is_web_user(&obj(json!({"nickname": "ann", "web_user": true}))));
        assert!(!users.is_web_user(&obj(json!({"nickname": "ann", "web_user": "yes"}))));
        // The web user: its first unique field as a username, its mail when it is one.
        let ann = obj(json!({"nickname": " Ann ", "web_user": true, "email": "Ann@Example.com"}));
        assert_eq!(
            users.web_user(&ann),
            Some(WebUser {
                username: "ann".into(),
                email: Some("ann@example.com".into())
            })
        );
        let no_mail = obj(json!({"nickname": "bob", "web_user": true, "email": "not mail"}));
        assert_eq!(users.web_user(&no_mail).unwrap().email, None);
        assert_eq!(users.web_user(&obj(json!({"nickname": "bob"}))), None);
        let bad_name = obj(json!({"nickname": "a b", "web_user": true}));
        assert_eq!(users.web_user(&bad_name), None, "no valid username");
        // A web-user field needs a login name.
        assert_eq!(
            Collection::declare(&NewCollection {
                name: "people",
                scope: "account",
                web_user_field: Some("web_user"),
                ..Default::default()
            }),
            Err(CollectionError::WebUserWithoutName)
        );
    }

    #[test]
    fn scope_and_unique_fields_are_fixed_once_records_exist() {
        let old = vehicles();
        let mut new = old.clone();
        new.required.clear();
        assert_eq!(new.may_replace(&old, true), Ok(()));
        new.unique.clear();
        assert!(new.may_replace(&old, true).is_err());
        assert_eq!(new.may_replace(&old, false), Ok(()));
        let mut site = old.clone();
        site.scope = Scope::Site;
        assert!(site.may_replace(&old, true).is_err());
    }

    #[test]
    fn blank_and_null_are_no_value() {
        let v = vehicles();
        assert_eq!(
            v.missing_required(&obj(json!({"plate": "  "})))
                .map(FieldName::as_str),
            Some("plate")
        );
        assert_eq!(
            v.missing_required(&obj(json!({"plate": null})))
                .map(FieldName::as_str),
            Some("plate")
        );
        assert_eq!(v.missing_required(&obj(json!({"plate": "MO 123"}))), None);
        assert!(v.unique_keys(&obj(json!({"ibutton": ""}))).is_empty());
        assert_eq!(
            v.unique_keys(&obj(json!({"ibutton": 42}))),
            vec![(FieldName::parse("ibutton").unwrap(), "42".to_owned())]
        );
    }

    #[test]
    fn records_are_objects_with_sane_ids() {
        assert_eq!(record_data(json!([1])), Err(RecordError::NotObject));
        assert_eq!(
            record_data(json!({"x": "y".repeat(MAX_RECORD_BYTES)})),
            Err(RecordError::TooLarge)
        );
        assert!(RecordId::parse("drv-1").is_ok());
        assert_eq!(RecordId::parse(" "), Err(RecordError::Id));
        assert_eq!(RecordId::parse("a\u{0}b"), Err(RecordError::Id));
        assert_eq!(RecordId::parse(&"x".repeat(129)), Err(RecordError::Id));
    }
}
