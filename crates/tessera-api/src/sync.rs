//! Cloud data sync (G1–G6, E7, H2; docs/sync.md): the collections a product syncs, the
//! first-sync lease, push and pull, the data check, the status, and conflicts.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// A collection a product's client syncs, as the vendor declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CollectionDecl {
    /// 1–64 of a-z, 0-9, '-' and '_'.
    #[schema(example = "drivers")]
    pub name: String,
    /// `account` (master data shared by every site of the account) or `site` (data of the
    /// site that wrote it).
    #[schema(example = "account")]
    pub scope: String,
    /// Top-level fields no two live records of the scope share (blank or null: no value).
    #[serde(default)]
    #[schema(example = json!(["ibutton"]))]
    pub unique: Vec<String>,
    /// Top-level fields every live record has, not null and not blank.
    #[serde(default)]
    #[schema(example = json!(["ibutton", "name"]))]
    pub required: Vec<String>,
    /// A record whose field of this name is `true` is a web user (H2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "web_user")]
    pub web_user_field: Option<String>,
    /// Where a web user's mail address is: its invitation to set a password goes there
    /// (else to the account's superadmin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "email")]
    pub web_user_email_field: Option<String>,
}

/// A product's collections.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CollectionList {
    pub product: String,
    pub collections: Vec<CollectionDecl>,
}

/// The client's clock, sent with every sync call that changes something: more than 5
/// minutes off the server's is refused with `CLOCK_MISMATCH`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClientTime {
    /// RFC 3339.
    #[schema(example = "2026-05-04T12:00:00Z")]
    pub client_time: String,
}

/// The account's first-sync lease, held by this site.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FirstSyncLease {
    pub site_id: String,
    pub started_at: String,
    /// Renew before this (`POST …/first-sync/renew`), or another site may take it.
    pub expires_at: String,
    /// The newest version in the cloud when the lease was granted: pull up to it before
    /// pushing, so the changes carry the versions they are based on.
    pub latest_version: i64,
}

/// One change of a push: `data` (the whole record) or `deleted: true`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PushChange {
    #[schema(example = "drivers")]
    pub collection: String,
    /// The record's id, chosen by the client: 1–128 characters.
    #[schema(example = "drv-17")]
    pub id: String,
    /// The version of the record this change was made from; 0 for a record the site never
    /// had from the cloud.
    #[serde(default)]
    #[schema(minimum = 0)]
    pub base_version: i64,
    /// The record: a JSON object of at most 64 KiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
    #[serde(default)]
    pub deleted: bool,
}

/// A batch of changes, applied in one transaction. Sending the same `batch_id` again (after
/// a timeout, a crash, a lost answer) gives the first answer and changes nothing.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PushRequest {
    /// Chosen by the client: 1–128 characters, unique per site.
    #[schema(example = "0f5c2a1e-batch-0001")]
    pub batch_id: String,
    /// RFC 3339.
    #[schema(example = "2026-05-04T12:00:00Z")]
    pub client_time: String,
    /// 1 to 500 changes, applied in this order.
    pub changes: Vec<PushChange>,
}

/// What became of one change: `applied` (with its new version), `unchanged` (the cloud held
/// exactly this), `same_as` (a first sync found the same record under the cloud's id
/// `same_as`: take that id), `conflict` (left for a person: `conflict_id`), `refused` (with
/// `code` and `message`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChangeOutcome {
    pub collection: String,
    pub id: String,
    #[schema(example = "applied")]
    pub outcome: String,
    /// The record's version in the cloud now (none for a refused change of a record the
    /// cloud does not hold).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The answer to a push: one outcome per change, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PushAnswer {
    pub batch_id: String,
    /// This answer was given before: the batch was sent again and nothing changed now.
    pub replayed: bool,
    pub outcomes: Vec<ChangeOutcome>,
}

/// One record as a pull gives it: its latest version, data or tombstone, and the site whose
/// change made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PulledRecord {
    pub collection: String,
    pub id: String,
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
    pub deleted: bool,
    pub origin_site: String,
}

/// A page of changes after a cursor, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PullPage {
    pub records: Vec<PulledRecord>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: i64,
    /// More changes follow `next_cursor`.
    pub more: bool,
}

/// A local record to check before activation (E7).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CheckRecord {
    pub collection: String,
    pub id: String,
    #[schema(value_type = Object)]
    pub data: Value,
}

/// The site's local data, checked as a dry run: nothing is stored.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CheckRequest {
    /// At most 5000 records a call.
    pub records: Vec<CheckRecord>,
}

/// One offending record: `problem` is `unknown_collection`, `missing_field`, `duplicate`
/// (another local record, `other_id`, holds `value`) or `held_in_cloud` (a cloud record of
/// another site, `other_id`, holds it: the first sync will ask which to keep).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CheckFinding {
    pub collection: String,
    pub id: String,
    #[schema(example = "duplicate")]
    pub problem: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_id: Option<String>,
    pub message: String,
}

/// A finding of the collection rules (`tessera_core::sync::check_data`) as the wire and
/// people read it: the server's dry run and the client's own check say it the same way.
impl From<tessera_core::sync::Finding> for CheckFinding {
    fn from(f: tessera_core::sync::Finding) -> CheckFinding {
        use tessera_core::sync::Problem;
        let at = format!("{} {}", f.collection, f.id);
        let (problem, field, value, other_id, message) = match f.problem {
            Problem::UnknownCollection => (
                "unknown_collection",
                None,
                None,
                None,
                format!("{at}: the product syncs no collection {:?}", f.collection),
            ),
            Problem::MissingField { field } => {
                let message = format!("{at}: {field} is missing or blank");
                ("missing_field", Some(field), None, None, message)
            }
            Problem::Duplicate {
                field,
                value,
                other_id,
            } => {
                let message = format!("{at}: {field} {value:?} is also {other_id}'s");
                (
                    "duplicate",
                    Some(field),
                    Some(value),
                    Some(other_id),
                    message,
                )
            }
            Problem::HeldInCloud {
                field,
                value,
                cloud_id,
            } => {
                let message =
                    format!("{at}: {field} {value:?} is record {cloud_id}'s in the cloud");
                (
                    "held_in_cloud",
                    Some(field),
                    Some(value),
                    Some(cloud_id),
                    message,
                )
            }
        };
        CheckFinding {
            collection: f.collection,
            id: f.id,
            problem: problem.to_owned(),
            field,
            value,
            other_id,
            message,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CheckReport {
    /// No finding: the data may go to the cloud.
    pub ok: bool,
    pub findings: Vec<CheckFinding>,
}

/// A site's sync status (G5): `off`, `idle`, `uploading`, `downloading`,
/// `conflicts_pending` or `error` with the `reason` code and its message
/// (`SUBSCRIPTION_EXPIRED`, `ANOTHER_SITE_SYNCING`, `CLOCK_MISMATCH`, …).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SyncStatus {
    pub site_id: String,
    #[schema(example = "idle")]
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// With `ANOTHER_SITE_SYNCING`: when to try again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
    /// The site has finished a first sync.
    pub first_synced: bool,
    /// The site the account's live first-sync lease is held by, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_site: Option<String>,
    pub open_conflicts: u64,
    /// The cursor the site last pulled to, and the newest version in the cloud.
    pub pulled_to: i64,
    pub latest_version: i64,
}

/// One side of a conflict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ConflictSide {
    pub record_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
    pub deleted: bool,
}

/// A conflict (G3): the cloud's record and the site's, and how it was settled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SyncConflict {
    pub id: i64,
    pub collection: String,
    /// `version` (the site changed an older version) or `identifier` (in a first sync,
    /// another record holds the same `field` value).
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The site whose change conflicted.
    pub site_id: String,
    pub cloud: ConflictSide,
    pub site: ConflictSide,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<String>,
    /// `cloud`, `site` or `edit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<String>,
    /// The version the decision was written as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ConflictList {
    pub conflicts: Vec<SyncConflict>,
}

/// How to settle a conflict: `keep` is `cloud`, `site` or `edit` (with `data`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResolveConflict {
    #[schema(example = "site")]
    pub keep: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
}
