//! The server's settings. The binary layers them: defaults → TOML file → `TESSERA_*`
//! environment variables → command-line flags.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP server listens on.
    pub listen: SocketAddr,
    /// Where the SQLite database and the signing keys live.
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL instead of SQLite in the data directory.
    pub database_url: Option<String>,
    /// PostgreSQL: the connections this instance keeps to the database at most.
    #[serde(default = "default_database_connections")]
    pub database_connections: u32,
    /// Password for the `admin` operator created on first start; generated and printed once
    /// when absent.
    pub admin_password: Option<String>,
    /// How long an operator's bearer token stays valid.
    pub session_hours: u32,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// `text` or `json` log lines.
    pub log_format: String,
    /// Requests per minute allowed on the public client routes; 0 turns a limit off.
    pub rate_limits: RateLimits,
    /// Days the operations log keeps (accounts may have their own number).
    #[serde(default = "default_log_days")]
    pub operations_log_days: u32,
    /// Days the answer of an applied sync batch is kept for a replay (G6); the daily purge
    /// removes older ones.
    #[serde(default = "default_batch_days")]
    pub sync_batch_days: u32,
    /// Scheduled jobs (mail delivery, purges, billing).
    #[serde(default)]
    pub jobs: JobsConfig,
    /// The mail server outgoing mail goes through; without a host, mail stays queued.
    #[serde(default)]
    pub smtp: SmtpConfig,
    /// The seller on invoices, VAT rates, and the payment provider's shared secret (E2).
    #[serde(default)]
    pub billing: BillingConfig,
    /// Timeouts and caps that keep slow or greedy clients from holding the server.
    #[serde(default)]
    pub connections: ConnectionLimits,
    /// The web application's settings.
    #[serde(default)]
    pub web: WebConfig,
    /// Webhook deliveries (X7).
    #[serde(default)]
    pub webhooks: WebhooksConfig,
}

/// Webhook deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebhooksConfig {
    /// Endpoints may be plain `http://` on a loopback address (tests, a receiver on the
    /// same machine); otherwise they are https.
    pub allow_http_loopback: bool,
    /// How long one delivery may take, connection included, in seconds.
    pub timeout_secs: u64,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        WebhooksConfig {
            allow_http_loopback: false,
            timeout_secs: 10,
        }
    }
}

/// The web application (served at `/` beside the API).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebConfig {
    /// The address people open, e.g. `https://licenses.vendor.example`. When it is https,
    /// session cookies are marked `Secure` (set it for deployments behind TLS).
    pub public_url: Option<String>,
}

impl WebConfig {
    /// Whether cookies travel over https only.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"))
    }
}

/// How long a client may take and how many connections it may hold (see docs/operations.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConnectionLimits {
    /// Seconds a client has to send a request's head (method, path, headers); the same time
    /// closes a kept-alive connection that sends nothing.
    pub header_timeout_secs: u64,
    /// Seconds a request may take from its head to the answer, body included: a body
    /// trickled in slower gets 408.
    pub request_timeout_secs: u64,
    /// Connections open at once, in all; more are closed as they arrive.
    pub max_connections: usize,
    /// Connections open at once from one client (an IPv4 address, an IPv6 /64); 0: no cap
    /// (behind a reverse proxy, where every connection comes from the proxy).
    pub max_connections_per_client: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_timeout_secs: 10,
            request_timeout_secs: 60,
            max_connections: 10_000,
            max_connections_per_client: 256,
        }
    }
}

fn default_log_days() -> u32 {
    90
}

fn default_database_connections() -> u32 {
    tessera_store::POSTGRES_CONNECTIONS
}

fn default_batch_days() -> u32 {
    90
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JobsConfig {
    /// How often each instance looks for due jobs, in milliseconds.
    pub tick_ms: u64,
    /// The zone daily and monthly jobs keep time in (an IANA name such as `Europe/Rome`).
    pub time_zone: String,
}

impl Default for JobsConfig {
    fn default() -> Self {
        JobsConfig {
            tick_ms: 1000,
            time_zone: "UTC".into(),
        }
    }
}

/// How the connection to the mail server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection, upgraded with STARTTLS (required).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or a test sink.
    None,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmtpConfig {
    /// The mail server's host name; unset: mail is queued and not sent.
    pub host: Option<String>,
    /// Default: 587 for STARTTLS, 465 for TLS, 25 without encryption.
    pub port: Option<u16>,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The sender of every message, e.g. `Tessera <licensing@vendor.example>`.
    pub from: String,
    /// Seconds one conversation with the mail server may take.
    pub timeout_secs: u64,
    /// After a failed attempt a message waits this long, doubling per failure up to
    /// `retry_max_secs`; it is retried until the mail server takes it or refuses it for good.
    pub retry_first_secs: u64,
    pub retry_max_secs: u64,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        SmtpConfig {
            host: None,
            port: None,
            security: SmtpSecurity::Starttls,
            username: None,
            password: None,
            from: "Tessera <tessera@localhost>".into(),
            timeout_secs: 30,
            retry_first_secs: 30,
            retry_max_secs: 3600,
        }
    }
}

impl SmtpConfig {
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        })
    }
}

impl std::fmt::Debug for SmtpConfig {
    /// Never prints the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port())
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("timeout_secs", &self.timeout_secs)
            .field("retry_first_secs", &self.retry_first_secs)
            .field("retry_max_secs", &self.retry_max_secs)
            .finish()
    }
}

/// Selling subscriptions (E2): who sells (printed on every invoice), the VAT rates by
/// country, the secret the payment provider signs its callbacks with, and how long an order
/// waits for its payment. Orders are refused (`BILLING_NOT_CONFIGURED`) until the seller's
/// name and country are set, and callbacks (`PAYMENTS_NOT_CONFIGURED`) until the secret is.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BillingConfig {
    pub seller_name: Option<String>,
    /// Address lines as printed.
    pub seller_address: Vec<String>,
    /// ISO 3166-1 alpha-2, e.g. `IT`.
    pub seller_country: Option<String>,
    pub seller_vat_number: Option<String>,
    /// Standard VAT rate per country in basis points (`IT = 2200` is 22 %): the seller's
    /// country for domestic sales, and each EU country consumers buy from.
    pub vat_rates: std::collections::BTreeMap<String, u32>,
    /// Shared with the payment provider; signs `Tessera-Signature` (HMAC-SHA256).
    pub payment_secret: Option<String>,
    /// Hours an order waits for its payment (1 to 8760); then it expires, and a payment
    /// arriving later is kept for a refund. Each order keeps the deadline it was placed
    /// with.
    pub order_expiry_hours: u32,
    /// Where the web application sends a customer to pay an order: the payment provider's
    /// page as a URL template, `{order}`, `{amount}` (the total in the currency's decimals,
    /// `366.00`) and `{currency}` filled in. The provider confirms with the signed callback.
    pub checkout_url: Option<String>,
    /// The built-in test payment provider at `/test-payments/{order}`: pays or declines an
    /// order with a correctly signed confirmation. For trying the shop out and for tests;
    /// never on in production (anyone who may order could then pay without paying).
    pub test_payments: bool,
}

impl Default for BillingConfig {
    fn default() -> Self {
        BillingConfig {
            seller_name: None,
            seller_address: Vec::new(),
            seller_country: None,
            seller_vat_number: None,
            vat_rates: std::collections::BTreeMap::new(),
            payment_secret: None,
            order_expiry_hours: 72,
            checkout_url: None,
            test_payments: false,
        }
    }
}

impl BillingConfig {
    /// Who sells, as invoices print it.
    pub fn seller(&self) -> tessera_store::Seller {
        tessera_store::Seller {
            name: self.seller_name.clone().unwrap_or_default(),
            address: self.seller_address.clone(),
            country: self.seller_country.clone().unwrap_or_default(),
            vat_number: self.seller_vat_number.clone(),
        }
    }

    /// Country codes upper-cased and checked (`it` and `IT` are one country: compared raw, a
    /// lower-case seller country made every domestic sale look like an export), rates at most
    /// 100 %, an order's wait for its payment 1 hour to a year (0 would expire every order
    /// as it is placed).
    pub fn normalized(mut self) -> anyhow::Result<Self> {
        anyhow::ensure!(
            (1..=8760).contains(&self.order_expiry_hours),
            "billing.order_expiry_hours must be 1 to 8760, not {}",
            self.order_expiry_hours
        );
        fn country(what: &str, code: &str) -> anyhow::Result<String> {
            let code = code.trim().to_ascii_uppercase();
            anyhow::ensure!(
                code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()),
                "billing.{what}: {code:?} is not a two-letter country code"
            );
            Ok(code)
        }
        self.seller_country = self
            .seller_country
            .as_deref()
            .map(|c| country("seller_country", c))
            .transpose()?;
        let mut rates = std::collections::BTreeMap::new();
        for (code, bp) in &self.vat_rates {
            anyhow::ensure!(
                *bp <= 10_000,
                "billing.vat_rates.{code}: {bp} basis points is more than 100 %"
            );
            anyhow::ensure!(
                rates.insert(country("vat_rates", code)?, *bp).is_none(),
                "billing.vat_rates names {code} twice"
            );
        }
        self.vat_rates = rates;
        if let Some(url) = &self.checkout_url {
            let url = url.trim();
            let http = ["https://", "http://"].iter().any(|p| {
                url.get(..p.len())
                    .is_some_and(|s| s.eq_ignore_ascii_case(p))
            });
            anyhow::ensure!(
                http && url.contains("{order}"),
                "billing.checkout_url must be an http(s) URL naming {{order}}, not {url:?}"
            );
            self.checkout_url = Some(url.to_owned());
        }
        Ok(self)
    }
}

impl std::fmt::Debug for BillingConfig {
    /// Never prints the payment secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BillingConfig")
            .field("seller_name", &self.seller_name)
            .field("seller_address", &self.seller_address)
            .field("seller_country", &self.seller_country)
            .field("seller_vat_number", &self.seller_vat_number)
            .field("vat_rates", &self.vat_rates)
            .field(
                "payment_secret",
                &self.payment_secret.as_ref().map(|_| "***"),
            )
            .field("order_expiry_hours", &self.order_expiry_hours)
            .field("checkout_url", &self.checkout_url)
            .field("test_payments", &self.test_payments)
            .finish()
    }
}

/// Per-minute limits on what unauthenticated callers can do with product keys and sites
/// (each a token bucket: the full minute's allowance may come as a burst).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimits {
    /// Registration and "add key" requests per client IP (each looks a key up).
    pub key_lookups_per_ip: u32,
    /// Lookups of one product key, from anywhere.
    pub key_lookups_per_key: u32,
    /// Activation requests per client IP.
    pub activations_per_ip: u32,
    /// Activation requests naming one product key.
    pub activations_per_key: u32,
    /// Validation requests per client IP (a fleet behind one NAT shares it).
    pub validations_per_ip: u32,
    /// Validation requests for one installation.
    pub validations_per_site: u32,
    /// Attempts to exchange cloud activation codes per client IP, and naming one site code.
    pub cloud_codes_per_ip: u32,
    pub cloud_codes_per_site_code: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            key_lookups_per_ip: 20,
            key_lookups_per_key: 10,
            activations_per_ip: 30,
            activations_per_key: 10,
            validations_per_ip: 600,
            validations_per_site: 20,
            cloud_codes_per_ip: 10,
            cloud_codes_per_site_code: 5,
        }
    }
}

impl RateLimits {
    /// Every limit off (benchmarks, tests that are not about limits).
    pub fn off() -> Self {
        RateLimits {
            key_lookups_per_ip: 0,
            key_lookups_per_key: 0,
            activations_per_ip: 0,
            activations_per_key: 0,
            validations_per_ip: 0,
            validations_per_site: 0,
            cloud_codes_per_ip: 0,
            cloud_codes_per_site_code: 0,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("tessera-data"),
            database_url: None,
            database_connections: default_database_connections(),
            admin_password: None,
            session_hours: 12,
            max_body_bytes: 256 * 1024,
            log_format: "text".into(),
            rate_limits: RateLimits::default(),
            operations_log_days: default_log_days(),
            sync_batch_days: default_batch_days(),
            jobs: JobsConfig::default(),
            smtp: SmtpConfig::default(),
            billing: BillingConfig::default(),
            connections: ConnectionLimits::default(),
            web: WebConfig::default(),
            webhooks: WebhooksConfig::default(),
        }
    }
}

impl std::fmt::Debug for Config {
    /// Never prints the admin password or the database URL's password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(tessera_store::redact_url),
            )
            .field("database_connections", &self.database_connections)
            .field(
                "admin_password",
                &self.admin_password.as_ref().map(|_| "***"),
            )
            .field("session_hours", &self.session_hours)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("log_format", &self.log_format)
            .field("rate_limits", &self.rate_limits)
            .field("operations_log_days", &self.operations_log_days)
            .field("sync_batch_days", &self.sync_batch_days)
            .field("jobs", &self.jobs)
            .field("smtp", &self.smtp)
            .field("billing", &self.billing)
            .field("connections", &self.connections)
            .field("web", &self.web)
            .field("webhooks", &self.webhooks)
            .finish()
    }
}

/// `tessera config example`: every setting, commented, with its default.
pub const EXAMPLE_TOML: &str = r#"# Tessera configuration. Every setting can also be given as an environment variable
# (TESSERA_<NAME>, e.g. TESSERA_LISTEN) or a command-line flag; flags win over the
# environment, which wins over this file, which wins over the defaults shown here.
# Secrets can be read from a file: TESSERA_ADMIN_PASSWORD_FILE=/run/secrets/admin.

# Address the HTTP server listens on.
listen = "127.0.0.1:8080"

# Directory for the SQLite database (tessera.db) and the signing keys (signing-keys/).
data_dir = "tessera-data"

# Use PostgreSQL instead of SQLite, for several Tessera instances sharing one database.
# database_url = "postgres://tessera:secret@127.0.0.1:5432/tessera"

# PostgreSQL: the connections this instance keeps to the database at most (2-1000), the one
# that hears other instances' changes among them. All instances together must stay below the
# database's max_connections (100 unless set otherwise; docs/operations.md).
database_connections = 16

# Password of the `admin` operator created on the first start with an empty database.
# Without it a password is generated and printed once.
# admin_password = "change me, at least 12 characters"

# Hours an operator's bearer token stays valid.
session_hours = 12

# Largest request body accepted, in bytes.
max_body_bytes = 262144

# Log format: "text" or "json".
log_format = "text"

# Days the operations log keeps; an operator may set another number per account. Older
# entries are removed by the daily purge job.
operations_log_days = 90

# Days a sync batch's answer is kept, so that a site sending the batch again (after a lost
# answer or a crash) gets it instead of the batch being applied again. The daily purge job
# removes older ones; a batch sent after that is applied again, and changes the cloud holds
# already come back `unchanged`.
sync_batch_days = 90

# Requests per minute the public client routes accept; 0 turns a limit off. Over a limit
# the answer is 429 with Retry-After. Environment: TESSERA_RATE_LIMITS__<NAME>.
[rate_limits]
# Registrations and "add key" requests per client IP, and lookups of one product key.
key_lookups_per_ip = 20
key_lookups_per_key = 10
# Activation requests per client IP, and naming one product key.
activations_per_ip = 30
activations_per_key = 10
# Validation requests per client IP (a fleet behind one NAT shares it), and per site.
validations_per_ip = 600
validations_per_site = 20
# Attempts to exchange the emailed cloud codes per client IP, and naming one site code.
cloud_codes_per_ip = 10
cloud_codes_per_site_code = 5

# Scheduled jobs (mail delivery, purges, billing). Each run is claimed once per period in the
# database, so several instances sharing PostgreSQL never run a job twice.
[jobs]
# How often each instance looks for due jobs, in milliseconds.
tick_ms = 1000
# The zone daily and monthly jobs keep time in (IANA name, e.g. "Europe/Rome").
time_zone = "UTC"

# The mail server. Without a host, mail is queued in the database and sent once one is set.
# Environment: TESSERA_SMTP__<NAME>, e.g. TESSERA_SMTP__PASSWORD.
[smtp]
# host = "smtp.vendor.example"
# port = 587                    # default: 587 starttls, 465 tls, 25 none
security = "starttls"           # "starttls", "tls" or "none" (local relay only)
# username = "tessera"
# password = "secret"
from = "Tessera <tessera@localhost>"
timeout_secs = 30
# A failed attempt is retried after retry_first_secs, doubling up to retry_max_secs, until
# the server takes the message or refuses it for good.
retry_first_secs = 30
retry_max_secs = 3600

# Selling cloud subscriptions. Orders are refused until seller_name and seller_country are
# set; payment callbacks until payment_secret is (TESSERA_BILLING__PAYMENT_SECRET_FILE reads
# it from a file). VAT rates are basis points: 2200 is 22 %. The seller's country rate
# applies at home; EU consumers pay their own country's rate; EU businesses with a VAT
# number get reverse charge; customers outside the EU pay none.
[billing]
# seller_name = "Vendor S.p.A."
seller_address = []             # e.g. ["Via Roma 1", "42100 Reggio Emilia", "Italy"]
# seller_country = "IT"
# seller_vat_number = "IT00743110157"
# payment_secret = "shared with the payment provider"
# Hours an order waits for its payment (1 to 8760). Past it the order has expired: it can no
# longer be paid or cancelled, and a payment arriving later waits in the unapplied payments
# for a refund. The hourly expiry job writes the expiry down.
order_expiry_hours = 72
# The payment provider's page the web application sends a customer to when paying an order,
# with {order}, {amount} (the total in the currency's decimals, e.g. 366.00) and {currency}
# filled in. The provider confirms the payment at /api/v1/payments/callback.
# checkout_url = "https://pay.provider.example/checkout?ref={order}&amount={amount}&currency={currency}"
# The built-in test provider (/test-payments/<order>) pays any order without money: for
# trying the shop and for tests only. NEVER on in production.
test_payments = false

[billing.vat_rates]
# IT = 2200
# DE = 1900

# Slow or greedy clients. A client gets header_timeout_secs to send a request's head and
# request_timeout_secs for the whole request (408 after that); connections beyond the caps
# are closed at once, with a warning in the log. Behind a reverse proxy every connection
# comes from the proxy: set max_connections_per_client = 0 there and cap at the proxy.
[connections]
header_timeout_secs = 10
request_timeout_secs = 60
max_connections = 10000
max_connections_per_client = 256

# The web application, served at / beside the API.
[web]
# The address people open. When it is https, session cookies are marked Secure: set it
# whenever Tessera is served behind TLS.
# public_url = "https://licenses.vendor.example"

[webhooks]
# Endpoints are https; plain http only to a loopback address, and only when this is true.
allow_http_loopback = false
# Seconds one delivery may take, connection included.
timeout_secs = 10
"#;

#[cfg(test)]
mod tests {
    #[test]
    fn billing_countries_are_upper_cased_and_checked() {
        let billing = BillingConfig {
            seller_country: Some(" it".into()),
            vat_rates: [("de".to_owned(), 1900), ("IT".to_owned(), 2200)].into(),
            ..BillingConfig::default()
        }
        .normalized()
        .unwrap();
        assert_eq!(billing.seller_country.as_deref(), Some("IT"));
        assert_eq!(
            billing.vat_rates,
            [("DE".to_owned(), 1900), ("IT".to_owned(), 2200)].into()
        );
        let twice = BillingConfig {
            vat_rates: [("it".to_owned(), 2200), ("IT".to_owned(), 2200)].into(),
            ..BillingConfig::default()
        };
        assert!(twice.normalized().is_err());
        for bad in ["ITA", "I1", ""] {
            let config = BillingConfig {
                seller_country: Some(bad.into()),
                ..BillingConfig::default()
            };
            assert!(config.normalized().is_err(), "{bad}");
        }
        let over = BillingConfig {
            vat_rates: [("IT".to_owned(), 10_001)].into(),
            ..BillingConfig::default()
        };
        assert!(over.normalized().is_err());
    }

    #[test]
    fn an_order_waits_an_hour_to_a_year_for_its_payment() {
        for hours in [1, 72, 8760] {
            let config = BillingConfig {
                order_expiry_hours: hours,
                ..BillingConfig::default()
            };
            assert_eq!(config.normalized().unwrap().order_expiry_hours, hours);
        }
        for hours in [0, 8761] {
            let config = BillingConfig {
                order_expiry_hours: hours,
                ..BillingConfig::default()
            };
            let err = config.normalized().unwrap_err().to_string();
            assert!(err.contains("billing.order_expiry_hours"), "{err}");
        }
    }

    #[test]
    fn the_checkout_url_is_an_http_url_naming_the_order() {
        for good in [
            "https://pay.example/c?o={order}&a={amount}&c={currency}",
            " HTTP://localhost:9000/{order} ",
        ] {
            let config = BillingConfig {
                checkout_url: Some(good.into()),
                ..BillingConfig::default()
            };
            let url = config.normalized().unwrap().checkout_url.unwrap();
            assert_eq!(url, good.trim());
        }
        for bad in [
            "https://pay.example/c",
            "javascript:alert('{order}')",
            "/pay/{order}",
        ] {
            let config = BillingConfig {
                checkout_url: Some(bad.into()),
                ..BillingConfig::default()
            };
            let err = config.normalized().unwrap_err().to_string();
            assert!(err.contains("billing.checkout_url"), "{err}");
        }
    }

    use super::*;

    #[test]
    fn example_parses_to_the_defaults() {
        let parsed: Config = toml_parse(EXAMPLE_TOML);
        let defaults = Config::default();
        assert_eq!(parsed.listen, defaults.listen);
        assert_eq!(parsed.data_dir, defaults.data_dir);
        assert_eq!(parsed.session_hours, defaults.session_hours);
        assert_eq!(parsed.max_body_bytes, defaults.max_body_bytes);
        assert_eq!(parsed.log_format, defaults.log_format);
        assert_eq!(parsed.rate_limits, defaults.rate_limits);
        assert_eq!(parsed.jobs, defaults.jobs);
        assert_eq!(parsed.operations_log_days, defaults.operations_log_days);
        assert_eq!(parsed.sync_batch_days, defaults.sync_batch_days);
        assert_eq!(parsed.smtp, defaults.smtp);
        assert_eq!(parsed.billing, defaults.billing);
        assert_eq!(parsed.connections, defaults.connections);
        assert_eq!(parsed.webhooks, defaults.webhooks);
        assert_eq!(parsed.database_connections, defaults.database_connections);
        assert!(parsed.database_url.is_none() && parsed.admin_password.is_none());
    }

    fn toml_parse(s: &str) -> Config {
        toml::from_str(s).expect("example is a valid config")
    }
}
