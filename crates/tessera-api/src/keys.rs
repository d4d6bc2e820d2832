use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreateBatch {
    pub product: String,
    pub edition: String,
    pub size: String,
    /// How many keys the batch will hold (1 to 1 000 000). Keys are made by `fill` calls.
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub count: u32,
    /// Free text: reseller, order number …
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FillBatch {
    /// How many more keys to generate in this call (at most 50 000 and what the batch lacks).
    #[schema(minimum = 1)]
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Batch {
    pub id: i64,
    pub product: String,
    pub edition: String,
    pub size: String,
    /// Keys ordered.
    pub requested: u32,
    /// Keys made so far; the batch is complete when it equals `requested`.
    pub generated: u32,
    /// `generating` or `complete`.
    pub status: String,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BatchList {
    pub batches: Vec<Batch>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct KeyInfo {
    /// Grouped form: `XXXX-XXXX-XXXX-XXXX`.
    pub key: String,
    pub batch_id: i64,
    pub product: String,
    pub edition: String,
    pub size: String,
    /// issued, registered, activated or revoked.
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct KeyPage {
    pub keys: Vec<KeyInfo>,
    /// Pass as `after` to get the next page; absent on the last page.
    pub next_after: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RevokeKey {
    /// Why the key is revoked; kept in the key's history.
    pub reason: String,
}

/// One recorded change: who did what, when.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    pub at: String,
    /// `operator:<username>` or `system`.
    pub actor: String,
    /// e.g. `batch.created`, `key.revoked`.
    pub action: String,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct KeyHistory {
    pub key: String,
    pub events: Vec<AuditEntry>,
}

/// A product's key format for imported keys (X5): a regular expression over the compact key
/// (upper case, no dashes or spaces), matched whole and blind to case; null for none.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct KeyFormatSetting {
    #[schema(example = "U[0-9A-F]{15}")]
    pub pattern: Option<String>,
}

/// What an import of keys found and did. When lines were refused (and it was no dry run) the
/// answer is a 422 with `code` `IMPORT_REFUSED` and nothing was written; a dry run answers 200
/// either way.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct KeyImport {
    /// `IMPORT_REFUSED` when lines were refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The file's name as given, if it was.
    pub file: Option<String>,
    /// Lines below the header.
    pub lines: u32,
    /// Keys Tessera did not hold.
    pub new: u32,
    /// Keys held already as the line says.
    pub unchanged: u32,
    /// Keys registered to the customer the line names.
    pub registered: u32,
    /// Whether anything was written (false for a dry run and when a line was refused).
    pub written: bool,
    pub dry_run: bool,
    /// The batches the new keys went into, one per product, edition and size.
    pub batches: Vec<i64>,
    /// Every refused line, in file order.
    pub refused: Vec<RefusedLine>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct RefusedLine {
    /// The line in the file; the header is line 1.
    pub line: u64,
    /// The key as the line spells it.
    pub key: String,
    /// Why, for programs: e.g. `KEY_EXISTS`, `KEY_FORMAT_MISMATCH`, `ACCOUNT_NOT_FOUND`.
    pub code: String,
    /// Why, in words.
    pub message: String,
}

/// A CSV file of keys, sent as the body as it is (`text/csv`, UTF-8; docs/key-import.md).
#[derive(Debug, Clone, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct KeyFile(pub Vec<u8>);
