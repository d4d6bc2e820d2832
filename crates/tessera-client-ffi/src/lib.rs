//! `tessera-client` behind a C ABI (`include/tessera_client.h`), for products written in C,
//! C++, Delphi or C#. Every function is a thin call into [`tessera_client::Client`].
//!
//! Conventions (docs/client.md):
//! - Functions returning `int32_t` return `TESSERA_OK` (0) or `TESSERA_ERROR` (-1); after
//!   an error `tessera_last_error_code` gives the stable code (`ALL_SERVERS_FAILED`, …) and
//!   `tessera_last_error_message` the text, for the calling thread.
//! - Ownership: `tessera_open` returns a handle the caller frees once with `tessera_close`.
//!   Strings passed in are borrowed for the call only. A `char *` returned by the library
//!   (`tessera_modules`) is the caller's, freed with `tessera_string_free`. Everything else
//!   is written into the caller's memory (`TesseraStatus`, error buffers).
//! - A handle may be used from several threads at once; `tessera_close` must not race with
//!   other calls on the same handle.
//! - No panic crosses the boundary: each call runs under `catch_unwind` (code `PANIC`).
//! - Cloud sync (`sync.rs`): records, findings, outcomes and reports cross as JSON text; the
//!   host's callbacks are C function pointers with a context pointer.

mod guard;
mod sync;
mod types;

use std::ffi::{CString, c_char};
use std::sync::{Arc, Mutex};

use tessera_client::TrustStore;
use tessera_client::{AccountRef, Background, Client, ClientConfig, MachineId, ServerList};

use crate::guard::{FfiError, copy_out, guard, invalid_argument, optional_str_arg, str_arg};
pub use crate::sync::*;
pub use crate::types::*;

/// An open client: the library's `Client` and, once started, its background thread.
pub struct TesseraClient {
    client: Arc<Client>,
    background: Mutex<Option<Background>>,
}

/// The handle behind a pointer, or an error for NULL.
///
/// # Safety
/// `p` is NULL or a live pointer from `tessera_open`.
pub(crate) unsafe fn handle<'a>(p: *const TesseraClient) -> Result<&'a TesseraClient, FfiError> {
    // SAFETY: the caller's contract.
    unsafe { p.as_ref() }.ok_or_else(|| invalid_argument("the client handle is NULL"))
}

fn client_config(cfg: &TesseraConfig) -> Result<ClientConfig, FfiError> {
    // SAFETY: the caller's contract on TesseraConfig's strings.
    let (servers, keys, salt, state, machine) = unsafe {
        (
            str_arg(cfg.servers, "servers")?,
            str_arg(cfg.public_keys_json, "public_keys_json")?,
            str_arg(cfg.vendor_salt, "vendor_salt")?,
            str_arg(cfg.state_path, "state_path")?,
            optional_str_arg(cfg.machine_id, "machine_id")?,
        )
    };
    let servers = ServerList::new(
        servers
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty()),
    )?;
    let mut out = ClientConfig::new(servers, TrustStore::from_published_json(keys)?, salt, state);
    if let Some(id) = machine {
        out.machine_id = MachineId::Explicit(id.to_owned());
    }
    Ok(out)
}

/// Opens the client: computes the fingerprint and loads (and verifies) the state file.
/// Returns NULL on error (`STATE_TAMPERED`, `CONFIG_INVALID`, …).
///
/// # Safety
/// `config` is NULL or points to a `TesseraConfig` whose strings are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_open(config: *const TesseraConfig) -> *mut TesseraClient {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's contract.
        let cfg = unsafe { config.as_ref() }.ok_or_else(|| invalid_argument("config is NULL"))?;
        let client = Client::open(client_config(cfg)?)?;
        Ok(Box::into_raw(Box::new(TesseraClient {
            client: Arc::new(client),
            background: Mutex::new(None),
        })))
    })
}

/// Stops the background thread if any and frees the handle. NULL is ignored.
///
/// # Safety
/// `client` is NULL or a pointer from `tessera_open` not yet closed; it is invalid after.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_close(client: *mut TesseraClient) {
    guard((), || {
        if !client.is_null() {
            // SAFETY: from Box::into_raw in tessera_open, closed once by contract.
            drop(unsafe { Box::from_raw(client) });
        }
        Ok(())
    })
}

/// Activates this machine with the account's email and a product key (C1).
///
/// # Safety
/// `client` from `tessera_open`; the strings NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_activate(
    client: *const TesseraClient,
    email: *const c_char,
    product_key: *const c_char,
) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        let (h, email, key) = unsafe {
            (
                handle(client)?,
                str_arg(email, "email")?,
                str_arg(product_key, "product_key")?,
            )
        };
        h.client
            .activate(AccountRef::Email(email.to_owned()), key)?;
        Ok(TESSERA_OK)
    })
}

/// Activates with the account's VAT number; `installation` (a site id) may be NULL unless the
/// account has several installations (`INSTALLATION_CHOICE_REQUIRED`).
///
/// # Safety
/// `client` from `tessera_open`; the strings NUL-terminated (`installation` may be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_activate_vat(
    client: *const TesseraClient,
    vat_number: *const c_char,
    installation: *const c_char,
    product_key: *const c_char,
) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        let (h, vat, inst, key) = unsafe {
            (
                handle(client)?,
                str_arg(vat_number, "vat_number")?,
                optional_str_arg(installation, "installation")?,
                str_arg(product_key, "product_key")?,
            )
        };
        let account = AccountRef::VatNumber {
            vat_number: vat.to_owned(),
            installation: inst.map(str::to_owned),
        };
        h.client.activate(account, key)?;
        Ok(TESSERA_OK)
    })
}

/// Validates now against the servers (primary, then backups). A signed refusal (revoked,
/// suspended, …) is not an error: it returns `TESSERA_OK` and the status is then locked.
///
/// # Safety
/// `client` from `tessera_open`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_validate(client: *const TesseraClient) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        unsafe { handle(client)? }.client.validate_now()?;
        Ok(TESSERA_OK)
    })
}

/// Fills `out` with the status: memory only, no I/O, call it as often as needed.
///
/// # Safety
/// `client` from `tessera_open`; `out` points to a writable `TesseraStatus`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_status(
    client: *const TesseraClient,
    out: *mut TesseraStatus,
) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        let h = unsafe { handle(client)? };
        if out.is_null() {
            return Err(invalid_argument("out is NULL"));
        }
        let status = TesseraStatus::from_status(&h.client.status());
        // SAFETY: non-NULL, writable by contract; `write` drops nothing there.
        unsafe { out.write(status) };
        Ok(TESSERA_OK)
    })
}

/// 1 when the product may run with module `code`, 0 when not, -1 on error.
///
/// # Safety
/// `client` from `tessera_open`; `code` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_has_module(
    client: *const TesseraClient,
    code: *const c_char,
) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        let (h, code) = unsafe { (handle(client)?, str_arg(code, "code")?) };
        Ok(i32::from(h.client.status().has_module(code)))
    })
}

/// The named limit of the size tier (`users`, `drivers`, …) while the product may run;
/// -1 when there is none (or on error).
///
/// # Safety
/// `client` from `tessera_open`; `name` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_limit(client: *const TesseraClient, name: *const c_char) -> i64 {
    guard(-1, || {
        // SAFETY: the caller's contract.
        let (h, name) = unsafe { (handle(client)?, str_arg(name, "name")?) };
        Ok(h.client.status().limit(name).map_or(-1, i64::from))
    })
}

/// The licensed modules, comma-separated ("" when none or locked). The caller owns the
/// string and frees it with `tessera_string_free`. NULL on error.
///
/// # Safety
/// `client` from `tessera_open`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_modules(client: *const TesseraClient) -> *mut c_char {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's contract.
        let status = unsafe { handle(client)? }.client.status();
        let modules = match &status.entitlement {
            Some(e) if status.may_run() => e.modules.join(","),
            _ => String::new(),
        };
        let owned = CString::new(modules).map_err(|_| invalid_argument("a NUL in a module"))?;
        Ok(owned.into_raw())
    })
}

/// Whether this program, at version `running` (a semantic version, `1.2.9`), must be
/// updated (X6): 1 when it is below the product's minimum version, which is then written
/// into `buf` (`len` bytes, NUL-terminated, as `tessera_last_error_message` does) for the
/// host to show ("version 1.2.11 or later is needed"); 0 when not (or the server named no
/// minimum); -1 on error (`VERSION_INVALID` for a `running` that is no semantic version).
///
/// # Safety
/// `client` from `tessera_open`; `running` NUL-terminated; `buf` NULL or `len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_update_required(
    client: *const TesseraClient,
    running: *const c_char,
    buf: *mut c_char,
    len: usize,
) -> i32 {
    // SAFETY: the caller's contract.
    unsafe { below_minimum(client, running, buf, len, |e| e.minimum_version.as_deref()) }
}

/// Whether this program, at version `running`, is below the version the product needs to
/// connect to the cloud (seed 000: 1.2.11): 1, with that version written into `buf` as
/// `tessera_update_required` does; 0 when not (or none is set); -1 on error
/// (`VERSION_INVALID`). The program runs on either way; below it, `tessera_activate_cloud`
/// is refused (`UPDATE_REQUIRED`).
///
/// # Safety
/// `client` from `tessera_open`; `running` NUL-terminated; `buf` NULL or `len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_cloud_update_required(
    client: *const TesseraClient,
    running: *const c_char,
    buf: *mut c_char,
    len: usize,
) -> i32 {
    // SAFETY: the caller's contract.
    unsafe {
        below_minimum(client, running, buf, len, |e| {
            e.cloud_minimum_version.as_deref()
        })
    }
}

/// 1 with the minimum `pick` finds in the entitlement written into `buf` when `running` is
/// below it, 0 when not (or there is none), -1 on error (`VERSION_INVALID`).
///
/// # Safety
/// `client` from `tessera_open`; `running` NUL-terminated; `buf` NULL or `len` writable bytes.
unsafe fn below_minimum(
    client: *const TesseraClient,
    running: *const c_char,
    buf: *mut c_char,
    len: usize,
    pick: fn(&tessera_client::Entitlement) -> Option<&str>,
) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        let (h, running) = unsafe { (handle(client)?, str_arg(running, "running")?) };
        let running = tessera_client::Version::parse(running).map_err(|e| FfiError {
            code: "VERSION_INVALID",
            message: e.to_string(),
        })?;
        let status = h.client.status();
        let minimum = status
            .entitlement
            .as_deref()
            .and_then(pick)
            .and_then(|m| tessera_client::Version::parse(m).ok());
        match minimum.filter(|m| running < *m) {
            Some(m) => {
                // SAFETY: the caller's contract on `buf`.
                unsafe { copy_out(&m.to_string(), buf, len) };
                Ok(1)
            }
            None => Ok(0),
        }
    })
}

/// Says the program's own version (a semantic version, `1.2.11`), once per handle, right
/// after `tessera_open`: `tessera_activate_cloud` sends it, and a product that needs a
/// minimum version for the cloud refuses a program below it, or one that did not say its
/// version (`UPDATE_REQUIRED`). OK, or ERROR with `CONFIG_INVALID` for a text that is not a
/// version or another version than the one already said.
///
/// # Safety
/// `client` from `tessera_open`; `version` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_set_product_version(
    client: *const TesseraClient,
    version: *const c_char,
) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        let (h, version) = unsafe { (handle(client)?, str_arg(version, "version")?) };
        h.client.set_product_version(version)?;
        Ok(TESSERA_OK)
    })
}

/// The request file's text as an owned C string (freed with `tessera_string_free`).
fn request_text(bytes: Vec<u8>) -> Result<*mut c_char, FfiError> {
    let owned = CString::new(bytes).map_err(|_| invalid_argument("a NUL in the request"))?;
    Ok(owned.into_raw())
}

/// Activation by file (X1, docs/offline.md): writes an activation request for this machine,
/// naming the account by email, and keeps it as the pending request. Returns the request
/// file's text (JSON) to save and carry to the vendor; the caller frees it with
/// `tessera_string_free`. NULL on error.
///
/// # Safety
/// `client` from `tessera_open`; the strings NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_offline_request(
    client: *const TesseraClient,
    email: *const c_char,
    product_key: *const c_char,
) -> *mut c_char {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's contract.
        let (h, email, key) = unsafe {
            (
                handle(client)?,
                str_arg(email, "email")?,
                str_arg(product_key, "product_key")?,
            )
        };
        let bytes = h
            .client
            .offline_activation_request(AccountRef::Email(email.to_owned()), key)?;
        request_text(bytes)
    })
}

/// Activation by file naming the account by VAT number; `installation` (a site id) may be
/// NULL unless the account has several installations of the product. As
/// `tessera_offline_request`.
///
/// # Safety
/// `client` from `tessera_open`; the strings NUL-terminated (`installation` may be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_offline_request_vat(
    client: *const TesseraClient,
    vat_number: *const c_char,
    installation: *const c_char,
    product_key: *const c_char,
) -> *mut c_char {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's contract.
        let (h, vat, inst, key) = unsafe {
            (
                handle(client)?,
                str_arg(vat_number, "vat_number")?,
                optional_str_arg(installation, "installation")?,
                str_arg(product_key, "product_key")?,
            )
        };
        let account = AccountRef::VatNumber {
            vat_number: vat.to_owned(),
            installation: inst.map(str::to_owned),
        };
        request_text(h.client.offline_activation_request(account, key)?)
    })
}

/// Renewal by file of a licence got by file (a periodic offline licence): writes the
/// revalidation request and keeps it as the pending one. As `tessera_offline_request`.
///
/// # Safety
/// `client` from `tessera_open`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_offline_revalidation_request(
    client: *const TesseraClient,
) -> *mut c_char {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's contract.
        let h = unsafe { handle(client)? };
        request_text(h.client.offline_revalidation_request()?)
    })
}

/// Gives up the licence this machine got by file (docs/offline.md, "Moving a machine
/// licensed by file"): writes the deactivation request, signed with the machine's key, and
/// **deletes the licence** here in the same call; asked again, the same file. Its JSON text,
/// the caller's (free with `tessera_string_free`); NULL on error (`MACHINE_KEY_UNKNOWN`,
/// `OFFLINE_ACTIVATION_REQUIRED`, `NOT_ACTIVATED`, … in `tessera_last_error_code`).
///
/// # Safety
/// `client` from `tessera_open`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_offline_deactivation_request(
    client: *const TesseraClient,
) -> *mut c_char {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's contract.
        let h = unsafe { handle(client)? };
        request_text(h.client.offline_deactivation_request()?)
    })
}

/// Imports the response file's text (`response`, NUL-terminated JSON): its licence must
/// verify, be this machine's and answer the pending request. `TESSERA_OK`, or
/// `TESSERA_ERROR` with the code (`OFFLINE_RESPONSE_INVALID`, `LICENSE_WRONG_MACHINE`,
/// `OFFLINE_RESPONSE_NOT_PENDING`, …) in `tessera_last_error_code`.
///
/// # Safety
/// `client` from `tessera_open`; `response` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_offline_import(
    client: *const TesseraClient,
    response: *const c_char,
) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        let (h, response) = unsafe { (handle(client)?, str_arg(response, "response")?) };
        h.client.import_offline_response(response.as_bytes())?;
        Ok(TESSERA_OK)
    })
}

/// Frees a string the library returned. NULL is ignored.
///
/// # Safety
/// `s` is NULL or a string from this library not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_string_free(s: *mut c_char) {
    guard((), || {
        if !s.is_null() {
            // SAFETY: from CString::into_raw in this library, freed once by contract.
            drop(unsafe { CString::from_raw(s) });
        }
        Ok(())
    })
}

/// Makes `url` (one of the configured servers) the first to try, and saves the choice.
///
/// # Safety
/// `client` from `tessera_open`; `url` NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_select_server(
    client: *const TesseraClient,
    url: *const c_char,
) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        let (h, url) = unsafe { (handle(client)?, str_arg(url, "url")?) };
        h.client.select_server(url)?;
        Ok(TESSERA_OK)
    })
}

/// Starts the library's thread that validates at start-up and daily (D1); `tessera_status`
/// then reflects each outcome. Starting it twice is harmless; `tessera_close` stops it.
///
/// # Safety
/// `client` from `tessera_open`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_start_background(client: *const TesseraClient) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        let h = unsafe { handle(client)? };
        let mut slot = h.background.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            *slot = Some(h.client.spawn_background(|_| {}));
        }
        Ok(TESSERA_OK)
    })
}

/// Releases this machine's activation on the server, then deletes the local state.
///
/// # Safety
/// `client` from `tessera_open`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_deactivate(client: *const TesseraClient) -> i32 {
    guard(TESSERA_ERROR, || {
        // SAFETY: the caller's contract.
        unsafe { handle(client)? }.client.deactivate()?;
        Ok(TESSERA_OK)
    })
}

/// Copies the calling thread's last error code (`ALL_SERVERS_FAILED`, `INVALID_ARGUMENT`,
/// `PANIC`, …; "" when the last call succeeded) into `buf` of `len` bytes, NUL-terminated.
/// Returns the length the code needs without the NUL (truncated when ≥ `len`).
///
/// # Safety
/// `buf` is NULL or points to `len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_last_error_code(buf: *mut c_char, len: usize) -> usize {
    let code = guard::with_last_error(|e| e.map_or("", |e| e.code)).unwrap_or("");
    // SAFETY: the caller's contract.
    unsafe { copy_out(code, buf, len) }
}

/// Copies the calling thread's last error message into `buf`, as
/// `tessera_last_error_code` does.
///
/// # Safety
/// `buf` is NULL or points to `len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tessera_last_error_message(buf: *mut c_char, len: usize) -> usize {
    let message = guard::with_last_error(|e| e.map(|e| e.message.clone()))
        .flatten()
        .unwrap_or_default();
    // SAFETY: the caller's contract.
    unsafe { copy_out(&message, buf, len) }
}
