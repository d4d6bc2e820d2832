//! Tessera's domain: the types and rules of licensing, with no I/O and no async.
//!
//! Storage, HTTP and the client are thin layers that parse input into these types, call the
//! rules and store the results.
#![forbid(unsafe_code)]

pub mod account;
pub mod actor;
pub mod alarms;
pub mod catalog;
pub mod clock;
pub mod cloud;
pub mod equipment;
pub mod fingerprint;
pub mod fleet;
pub mod key_batch;
pub mod key_format;
pub mod key_import;
pub mod key_status;
pub mod language;
pub mod license;
pub mod merkle;
pub mod money;
pub mod monthly;
pub mod offline;
pub mod order;
pub mod password;
pub mod payment;
pub mod product_key;
pub mod release;
pub mod rights;
pub mod schedule;
pub mod signed_header;
pub mod site;
pub mod subscription;
pub mod sync;
pub mod throttle;
pub mod vat;
pub mod webhook;

pub use account::{Email, FieldError, FieldRule, Username};
pub use actor::Actor;
pub use catalog::{Code, CodeError, LicensePolicy, Limits, NewProduct, ProductRuleError};
pub use clock::{Clock, ManualClock, SystemClock};
pub use fingerprint::{Fingerprint, Nonce, ProofError};
pub use key_batch::{BatchProgress, MAX_BATCH_SIZE};
pub use key_status::{KeyStatus, TransitionError};
pub use language::Language;
pub use license::{DocumentKind, SignedDocument, VerifyError};
pub use offline::OfflinePolicy;
pub use password::{Password, PasswordError};
pub use product_key::{KeyError, ProductKey};
pub use schedule::{Cadence, CadenceError, Period};
pub use site::{
    Activation, ActivationRefused, LicenseRefusal, LicenseState, SiteBinding, SiteStatus,
    TransferPolicy, decide_activation, license_in_force, license_state,
};
pub use throttle::{Backoff, BackoffPolicy, SlidingWindow, Throttled};
