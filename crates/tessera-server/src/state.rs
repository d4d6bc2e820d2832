//! What every handler can reach.

use std::sync::Arc;

use tessera_core::Clock;
use tessera_store::Store;

use crate::config::Config;
use crate::login_throttle::LoginThrottle;
use crate::mail::Templates;
use crate::mail::smtp::SmtpSender;
use crate::rate_limit::RateLimiters;
use crate::signing::Keyring;
use crate::signing::batch::BatchSigner;
use crate::validation_log::ValidationLog;

/// A handle on [`Shared`]: axum clones the state for every request, so it is one `Arc`.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub keyring: Arc<Keyring>,
    pub login_throttle: Arc<LoginThrottle>,
    pub limits: Arc<RateLimiters>,
    pub validations: Arc<ValidationLog>,
    /// Signs validation responses, many under one signature.
    pub validation_signer: Arc<BatchSigner>,
    pub config: Arc<Config>,
    pub metrics: metrics_exporter_prometheus::PrometheusHandle,
    /// The text of every mail, in each language.
    pub mail: Templates,
    /// The zone calendar days are counted in (service switches, monthly billing).
    pub zone: jiff::tz::TimeZone,
    /// The mail server; None when none is configured (mail stays queued).
    pub smtp: Option<SmtpSender>,
}
