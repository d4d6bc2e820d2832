//! What every handler can reach.

use std::sync::Arc;

use tessera_core::Clock;
use tessera_store::Store;

use crate::config::Config;
use crate::login_throttle::LoginThrottle;
use crate::rate_limit::RateLimiters;
use crate::signing::Keyring;
use crate::validation_log::ValidationLog;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub keyring: Arc<Keyring>,
    pub login_throttle: Arc<LoginThrottle>,
    pub limits: Arc<RateLimiters>,
    pub validations: Arc<ValidationLog>,
    pub config: Arc<Config>,
    pub metrics: metrics_exporter_prometheus::PrometheusHandle,
}
