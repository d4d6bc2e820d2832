//! Cloud data sync behind the C ABI (docs/client.md, "Cloud sync from C"). Records, findings,
//! outcomes and reports cross the boundary as UTF-8 JSON text: the host's data is JSON
//! already, and JSON keeps the structs out of the ABI so fields can be added.
//!
//! The host's callbacks are plain C function pointers with a context pointer the library
//! passes back untouched; they run on the calling thread, before the call returns.

use std::ffi::{CString, c_char, c_void};

use serde::Deserialize;
use serde_json::Value;
use tessera_client::sync::PulledRecord;
use tessera_client::{Change, Finding, LocalRecord, PreCheck, Pushed, SyncHost, VendorCheck};

use crate::guard::{FfiError, guard, invalid_argument, optional_str_arg, str_arg};
use crate::{TESSERA_ERROR, TESSERA_OK, TesseraClient, handle};

/// `tessera_activate_cloud`'s flag: exchange the codes without the data check.
pub const TESSERA_SKIP_CHECK: u32 = 1;

/// The host's callback: `json` is a JSON array (pulled records for `apply`, outcomes for
/// `pushed`), valid during the call only. Return 0 once the host has taken it (for
/// `apply`: written to its data durably); anything else stops the call with `HOST_FAILED`
/// and the page or batch comes again next time.
pub type TesseraSyncCallback =
    Option<unsafe extern "C" fn(ctx: *mut c_void, json: *const c_char) -> i32>;

/// A vendor check's finding as the host passes it in.
#[derive(Deserialize)]
struct VendorFinding {
    #[serde(default)]
    collection: String,
    #[serde(default)]
    id: String,
    #[serde(default = "vendor_problem")]
    problem: String,
    message: String,
}

fn vendor_problem() -> String {
    "vendor_check".into()
}

fn parse<T: for<'de> Deserialize<'de>>(json: &str, name: &str) -> Result<T, FfiError> {
    serde_json::from_str(json).map_err(|e| invalid_argument(format!("{name}: {e}")))
}

fn to_c_string(json: String) -> Result<*mut c_char, FfiError> {
    CString::new(json)
        .map(CString::into_raw)
        .map_err(|_| invalid_argument("a NUL in the answer"))
}

/// Writes `value` as JSON into `*out` when `out` is not NULL (the caller frees it).
///
/// # Safety
/// `out` is NULL or points to a writable `char *`.
unsafe fn report_out<T: serde::Serialize>(
    out: *mut *mut c_char,
    value: &T,
) -> Result<(), FfiError> {
    if !out.is_null() {
        let json = serde_json::to_string(value).map_err(|e| invalid_argument(e.to_string()))?;
        let s = to_c_string(json)?;
        // SAFETY: non-NULL and writable by contract.
        unsafe { out.write(s) };
    }
    Ok(())
}

/// The host's records and findings, from the JSON text it passed.
///
/// # Safety
/// Both pointers NULL or NUL-terminated.
unsafe fn check_input(
    records_json: *const c_char,
    vendor_findings_json: *const c_char,
) -> Result<(Vec<LocalRecord>, Vec<Finding>), FfiError> {
    // SAFETY: the caller's contract.
    let (records, findings) = unsafe {
        (
            optional_str_arg(records_json, "records_json")?,
            optional_str_arg(vendor_findings_json, "vendor_findings_json")?,
        )
    };
    let records: Vec<LocalRecord> = records.map_or(Ok(Vec::new()), |j| parse(j, "records_json"))?;
    let findings: Vec<VendorFinding> =
        findings.map_or(Ok(Vec::new()), |j| parse(j, "vendor_findings_json"))?;
    let findings = findings
        .into_iter()
        .map(|f| Finding::vendor(f.collection, f.id, f.problem, f.message))
        .collect();
    Ok((records, findings))
}

/// The host's own findings, as a vendor check.
struct Given(Vec<Finding>);

impl VendorCheck for Given {
    fn check(&self, _: &[LocalRecord]) -> Vec<Finding> {
        self.0.clone()
    }
}

/// The data check (E7) without exchanging anything: the collection rules over
/// `records_json` (a JSON array of `{"collection", "id", "data"}`; NULL for none), the
/// host's own check results `vendor_findings_json` (a JSON array of `{"collection", "id",
/// "problem", "message"}`; NULL for none) and the server's dry run. Returns the findings as a
/// JSON array (`[]` when the data may go to the cloud), the caller's to free with
/// `tessera_string_free`; NULL on error.
///
/// # Safety
/// `client` from `tessera_open`; the strings NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_check_data(
    client: *const TesseraClient,
    records_json: *const c_char,
    vendor_findings_json: *const c_char,
) -> *mut c_char {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's contract.
        let (h, (records, given)) = unsafe {
            (
                handle(client)?,
                check_input(records_json, vendor_findings_json)?,
            )
        };
        let given = Given(given);
        let found = h.client.check_data(&records, &[&given])?;
        to_c_string(serde_json::to_string(&found).map_err(|e| invalid_argument(e.to_string()))?)
    })
}

/// Connects the site to the cloud: the data check over `records_json` and
/// `vendor_findings_json` (as `tessera_check_data`) — any finding fails with
/// `DATA_CHECK_FAILED`, the message naming each offending record — then the exchange of the
/// mailed codes for the cloud token, kept in the state file. `flags`: 0, or
/// `TESSERA_SKIP_CHECK` to exchange without the check.
///
/// # Safety
/// `client` from `tessera_open`; the codes NUL-terminated; the JSON strings NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_activate_cloud(
    client: *const TesseraClient,
    activation_code: *const c_char,
    site_code: *const c_char,
    records_json: *const c_char,
    vendor_findings_json: *const c_char,
    flags: u32,
) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        let (h, activation, site, (records, given)) = unsafe {
            (
                handle(client)?,
                str_arg(activation_code, "activation_code")?,
                str_arg(site_code, "site_code")?,
                check_input(records_json, vendor_findings_json)?,
            )
        };
        let given = Given(given);
        let checks: [&dyn VendorCheck; 1] = [&given];
        let pre = if flags & TESSERA_SKIP_CHECK != 0 {
            PreCheck::Skip
        } else {
            PreCheck::Run {
                records: &records,
                checks: &checks,
            }
        };
        h.client.activate_cloud(activation, site, pre)?;
        Ok(TESSERA_OK)
    })
}

/// 1 when the site holds a cloud token (its codes were exchanged), 0 when not, -1 on error.
///
/// # Safety
/// `client` from `tessera_open`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_cloud_activated(client: *const TesseraClient) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        Ok(i32::from(
            unsafe { handle(client)? }.client.cloud_activated(),
        ))
    })
}

/// Records a change of the host's data in the durable outbox: on disk when this returns,
/// so it survives the program being killed, and sent by the next `tessera_push`.
/// `data_json` is the whole record (a JSON object), or NULL to delete it; `base_version` the
/// version the change was made from (0 for a record the cloud never gave).
///
/// # Safety
/// `client` from `tessera_open`; the strings NUL-terminated (`data_json` may be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_record(
    client: *const TesseraClient,
    collection: *const c_char,
    id: *const c_char,
    base_version: i64,
    data_json: *const c_char,
) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        let (h, collection, id, data) = unsafe {
            (
                handle(client)?,
                str_arg(collection, "collection")?,
                str_arg(id, "id")?,
                optional_str_arg(data_json, "data_json")?,
            )
        };
        let change = match data {
            Some(json) => Change::upsert(
                collection,
                id,
                base_version,
                parse::<Value>(json, "data_json")?,
            ),
            None => Change::delete(collection, id, base_version),
        };
        h.client.record(change)?;
        Ok(TESSERA_OK)
    })
}

/// Sends the site data after activation (C1): `site_data_json` is the JSON body of
/// `PUT /api/v1/site/data` (company, address, representative, whose email receives the
/// site's cloud codes).
///
/// # Safety
/// `client` from `tessera_open`; `site_data_json` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_send_site_data(
    client: *const TesseraClient,
    site_data_json: *const c_char,
) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        let (h, json) = unsafe { (handle(client)?, str_arg(site_data_json, "site_data_json")?) };
        h.client.send_site_data(&parse(json, "site_data_json")?)?;
        Ok(TESSERA_OK)
    })
}

/// The host's callbacks as a [`SyncHost`].
struct CallbackHost {
    apply: TesseraSyncCallback,
    pushed: TesseraSyncCallback,
    ctx: *mut c_void,
}

impl CallbackHost {
    fn call(&self, f: TesseraSyncCallback, json: String) -> Result<(), String> {
        let Some(f) = f else {
            return Ok(());
        };
        let text = CString::new(json).map_err(|_| "a NUL in the JSON".to_owned())?;
        // SAFETY: a function pointer and context the host gave for this call.
        match unsafe { f(self.ctx, text.as_ptr()) } {
            0 => Ok(()),
            rc => Err(format!("the program's callback returned {rc}")),
        }
    }
}

impl SyncHost for CallbackHost {
    fn apply(&mut self, records: &[PulledRecord]) -> Result<(), String> {
        if self.apply.is_none() {
            return Err("no apply callback: pulled data needs somewhere to go".into());
        }
        self.call(
            self.apply,
            serde_json::to_string(records).map_err(|e| e.to_string())?,
        )
    }

    fn pushed(&mut self, results: &[Pushed]) -> Result<(), String> {
        self.call(
            self.pushed,
            serde_json::to_string(results).map_err(|e| e.to_string())?,
        )
    }
}

/// Sends the outbox to the cloud, batch after batch (a batch interrupted by a crash or a
/// lost answer goes again under its id, and the cloud changes nothing twice). `pushed`
/// (may be NULL) gets each batch's outcomes: a JSON array of
/// `{"change": {"collection", "id", "base_version", "data"}, "outcome": "applied" |
/// "unchanged" | "same_as" | "conflict" | "refused", "version", "cloud_id", "conflict_id",
/// "code", "message"}`. `report_json` (may be NULL) receives the report, the caller's to
/// free with `tessera_string_free`.
///
/// # Safety
/// `client` from `tessera_open`; `report_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_push(
    client: *const TesseraClient,
    pushed: TesseraSyncCallback,
    ctx: *mut c_void,
    report_json: *mut *mut c_char,
) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        let h = unsafe { handle(client)? };
        let mut host = CallbackHost {
            apply: None,
            pushed,
            ctx,
        };
        let report = h.client.push(&mut host)?;
        // SAFETY: the caller's contract.
        unsafe { report_out(report_json, &report)? };
        Ok(TESSERA_OK)
    })
}

/// What a pull-like call runs.
enum Pull {
    Pull,
    Restore,
}

/// # Safety
/// As for the callers.
unsafe fn pull_with(
    client: *const TesseraClient,
    apply: TesseraSyncCallback,
    ctx: *mut c_void,
    report_json: *mut *mut c_char,
    which: Pull,
) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        let h = unsafe { handle(client)? };
        if apply.is_none() {
            return Err(invalid_argument("apply is NULL"));
        }
        let mut host = CallbackHost {
            apply,
            pushed: None,
            ctx,
        };
        let report = match which {
            Pull::Pull => h.client.pull(&mut host)?,
            Pull::Restore => h.client.restore(&mut host)?,
        };
        // SAFETY: the caller's contract.
        unsafe { report_out(report_json, &report)? };
        Ok(TESSERA_OK)
    })
}

/// Pulls the cloud's changes after the saved cursor, page after page: `apply` gets each
/// page, a JSON array of `{"collection", "id", "version", "data", "deleted",
/// "origin_site"}`, and the cursor moves past it only once `apply` returned 0.
///
/// # Safety
/// `client` from `tessera_open`; `apply` not NULL; `report_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_pull(
    client: *const TesseraClient,
    apply: TesseraSyncCallback,
    ctx: *mut c_void,
    report_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: forwarded contract.
    unsafe { pull_with(client, apply, ctx, report_json, Pull::Pull) }
}

/// Pulls everything from the beginning: a reinstalled site gets back every record it may
/// see. As `tessera_pull` otherwise.
///
/// # Safety
/// As for `tessera_pull`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_restore(
    client: *const TesseraClient,
    apply: TesseraSyncCallback,
    ctx: *mut c_void,
    report_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: forwarded contract.
    unsafe { pull_with(client, apply, ctx, report_json, Pull::Restore) }
}

/// The site's first sync, exclusive within the account: waits out another site's
/// (`ANOTHER_SITE_SYNCING`, retrying after the server's Retry-After, up to 10 minutes),
/// pulls through `apply`, pushes the outbox (record the local data first) through `pushed`
/// (may be NULL), renewing the lease, and finishes.
///
/// # Safety
/// `client` from `tessera_open`; `apply` not NULL; `report_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_first_sync(
    client: *const TesseraClient,
    apply: TesseraSyncCallback,
    pushed: TesseraSyncCallback,
    ctx: *mut c_void,
    report_json: *mut *mut c_char,
) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        let h = unsafe { handle(client)? };
        if apply.is_none() {
            return Err(invalid_argument("apply is NULL"));
        }
        let mut host = CallbackHost { apply, pushed, ctx };
        let report = h.client.first_sync(&mut host)?;
        // SAFETY: the caller's contract.
        unsafe { report_out(report_json, &report)? };
        Ok(TESSERA_OK)
    })
}

/// The sync status as JSON: `{"state": "off" | "idle" | "uploading" | "downloading" |
/// "conflicts_pending" | "error", "reason", "message", "retry_after_secs", "site_id",
/// "first_synced", "open_conflicts", "conflicts", "outbox_pending", "cursor",
/// "latest_version"}` (reason e.g. `CLOCK_MISMATCH`, `ANOTHER_SITE_SYNCING`,
/// `SUBSCRIPTION_EXPIRED`, `SERVER_UNREACHABLE`). The caller's to free with
/// `tessera_string_free`; NULL on error (a local file problem only).
///
/// # Safety
/// `client` from `tessera_open`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_sync_status(client: *const TesseraClient) -> *mut c_char {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's contract.
        let status = unsafe { handle(client)? }.client.sync_status()?;
        to_c_string(serde_json::to_string(&status).map_err(|e| invalid_argument(e.to_string()))?)
    })
}

/// The outbox as JSON: `{"pending": N, "batch": null | {"batch_id", "changes": [{"collection",
/// "id", "base_version", "data"}…]}}`. `batch` is what the last push sent without an answer
/// it could take, sent again under the same id at the next push; when the cloud refuses it
/// as a whole, push after push, `tessera_take_back_batch` takes it out. The caller's to
/// free with `tessera_string_free`; NULL on error (a local file problem only).
///
/// # Safety
/// `client` from `tessera_open`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_outbox_batch(client: *const TesseraClient) -> *mut c_char {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's contract.
        let client = &unsafe { handle(client)? }.client;
        let outbox = serde_json::json!({
            "pending": client.outbox_pending()?,
            "batch": client.outbox_batch()?,
        });
        to_c_string(outbox.to_string())
    })
}

/// Takes the batch `batch_id` (from `tessera_outbox_batch`) out of the outbox unsent and
/// returns its changes as a JSON array (as in `tessera_outbox_batch`), for the program to
/// keep, fix, or record again those it still wants. NULL on error: `BATCH_NOT_OPEN` when
/// the outbox holds no batch of that id. The caller's to free with `tessera_string_free`.
///
/// # Safety
/// `client` from `tessera_open`; `batch_id` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_take_back_batch(
    client: *const TesseraClient,
    batch_id: *const c_char,
) -> *mut c_char {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's contract.
        let (h, batch_id) = unsafe { (handle(client)?, str_arg(batch_id, "batch_id")?) };
        let changes = h.client.take_back_batch(batch_id)?;
        to_c_string(serde_json::to_string(&changes).map_err(|e| invalid_argument(e.to_string()))?)
    })
}
