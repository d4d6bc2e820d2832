//! A typed client of Tessera's HTTP API, for the `tessera` command line and the tests: one
//! method per route, taking the request types of `tessera-api` and returning its response
//! types. Each method checks the success status its route documents; any other answer is an
//! [`ApiError`], which carries the server's [`ErrorBody`] (status and stable code) when the
//! server sent one.
//!
//! Async over reqwest, so tests running on tokio call it directly; blocking callers (the
//! command line) drive it with a current-thread runtime.
#![forbid(unsafe_code)]

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tessera_api::*;

/// What went wrong with a call.
#[derive(Debug)]
pub enum ApiError {
    /// The server refused, with its error body.
    Api { status: StatusCode, body: ErrorBody },
    /// The server answered a status the route does not promise, or an error without an
    /// error body.
    Unexpected {
        status: StatusCode,
        expected: Option<StatusCode>,
        text: String,
    },
    /// A success whose body is not the route's response type.
    Decode {
        status: StatusCode,
        error: serde_json::Error,
        text: String,
    },
    /// No answer: connection refused, timeout, a broken connection.
    Transport(reqwest::Error),
}

impl ApiError {
    /// The status the server answered, if it answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ApiError::Api { status, .. }
            | ApiError::Unexpected { status, .. }
            | ApiError::Decode { status, .. } => Some(*status),
            ApiError::Transport(e) => e.status(),
        }
    }

    /// The server's error body, if it sent one.
    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            ApiError::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The server's stable error code, if it sent one.
    pub fn code(&self) -> Option<&str> {
        self.body().map(|b| b.code.as_str())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Api { status, body } => write!(
                f,
                "{} {}: {}{}",
                status.as_u16(),
                body.code,
                body.message,
                body.field
                    .as_ref()
                    .map(|field| format!(" (field {field})"))
                    .unwrap_or_default()
            ),
            ApiError::Unexpected {
                status,
                expected: Some(expected),
                text,
            } => write!(f, "server answered {status}, not {expected}: {text}"),
            ApiError::Unexpected { status, .. } => write!(f, "server answered {status}"),
            ApiError::Decode { error, .. } => write!(f, "reading the server's answer: {error}"),
            ApiError::Transport(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ApiError::Decode { error, .. } => Some(error),
            ApiError::Transport(e) => Some(e),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for ApiError {
    fn from(e: reqwest::Error) -> Self {
        ApiError::Transport(e)
    }
}

pub type Result<T> = std::result::Result<T, ApiError>;

/// A client of one server, with or without a bearer token (an operator's, an account's, a
/// site user's or a site's).
#[derive(Clone, Debug)]
pub struct ApiClient {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
pub fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const CREATED: Option<StatusCode> = Some(StatusCode::CREATED);
const OK: Option<StatusCode> = Some(StatusCode::OK);
const ACCEPTED: Option<StatusCode> = Some(StatusCode::ACCEPTED);
const NO_CONTENT: Option<StatusCode> = Some(StatusCode::NO_CONTENT);

/// The answer's text when its status is `expect` (any success when None); otherwise the
/// server's error body, or the answer as it came.
fn checked(
    status: StatusCode,
    text: String,
    expect: Option<StatusCode>,
) -> Result<(StatusCode, String)> {
    let fine = match expect {
        Some(expected) => status == expected,
        None => status.is_success(),
    };
    if fine {
        return Ok((status, text));
    }
    if !status.is_success()
        && let Ok(body) = serde_json::from_str::<ErrorBody>(&text)
    {
        return Err(ApiError::Api { status, body });
    }
    Err(ApiError::Unexpected {
        status,
        expected: expect,
        text,
    })
}

impl ApiClient {
    /// A client of the server at `base` (`http://host:port`), without a token; requests time
    /// out after 300 s (a big key batch takes a while).
    pub fn new(base: &str) -> ApiClient {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(300))
            .build()
            .expect("a reqwest client without TLS builds");
        ApiClient::with_http(base, http)
    }

    /// A client sharing `http`'s connection pool.
    pub fn with_http(base: &str, http: reqwest::Client) -> ApiClient {
        ApiClient {
            http,
            base: base.trim_end_matches('/').to_owned(),
            token: None,
        }
    }

    /// The same client sending `token` as bearer.
    pub fn with_token(&self, token: impl Into<String>) -> ApiClient {
        ApiClient {
            token: Some(token.into()),
            ..self.clone()
        }
    }

    /// The same client without a token.
    pub fn anonymous(&self) -> ApiClient {
        ApiClient {
            token: None,
            ..self.clone()
        }
    }

    pub fn set_token(&mut self, token: Option<String>) {
        self.token = token;
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        req
    }

    /// Sends a request and reads its answer as text, checking the status: `expect`, or any
    /// success when None.
    async fn text(
        &self,
        req: reqwest::RequestBuilder,
        expect: Option<StatusCode>,
    ) -> Result<(StatusCode, String)> {
        let resp = req.send().await?;
        let status = resp.status();
        let text = resp.text().await?;
        checked(status, text, expect)
    }

    async fn json<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
        expect: Option<StatusCode>,
    ) -> Result<T> {
        let (status, text) = self.text(req, expect).await?;
        // An empty body (204) reads as null: `()` and `Option` accept it.
        let json = if text.is_empty() { "null" } else { &text };
        serde_json::from_str(json).map_err(|error| ApiError::Decode {
            status,
            error,
            text,
        })
    }

    // ---------------------------------------------------------------------------------------
    // Any route, for what has no method yet (and the load generator's set-up).

    /// GET `path`; any success status.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.json(self.request(Method::GET, path), None).await
    }

    /// POST `body` as JSON to `path`; any success status.
    pub async fn post<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T> {
        self.json(self.request(Method::POST, path).json(body), None)
            .await
    }

    /// PUT `body` as JSON to `path`; any success status.
    pub async fn put<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T> {
        self.json(self.request(Method::PUT, path).json(body), None)
            .await
    }

    /// GET `path` as text (CSV exports, invoices); any success status.
    pub async fn get_text(&self, path: &str) -> Result<String> {
        let (_, text) = self.text(self.request(Method::GET, path), None).await?;
        Ok(text)
    }

    /// GET `path` as text like [`ApiClient::get_text`], calling `progress` with the bytes
    /// received so far and the length the server announced, if it did, as they arrive (a
    /// long export's progress bar).
    pub async fn get_text_with_progress(
        &self,
        path: &str,
        mut progress: impl FnMut(u64, Option<u64>),
    ) -> Result<String> {
        let mut resp = self.request(Method::GET, path).send().await?;
        let status = resp.status();
        let total = resp.content_length();
        let mut bytes = Vec::new();
        while let Some(chunk) = resp.chunk().await? {
            bytes.extend_from_slice(&chunk);
            progress(bytes.len() as u64, total);
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (_, text) = checked(status, text, None)?;
        Ok(text)
    }

    async fn get_as<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.json(self.request(Method::GET, path), OK).await
    }

    async fn send_as<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
        expect: Option<StatusCode>,
    ) -> Result<T> {
        self.json(self.request(method, path).json(body), expect)
            .await
    }

    /// A POST whose route takes no body: `{}` is sent, as the command line always has.
    async fn act<T: DeserializeOwned>(&self, path: &str, expect: Option<StatusCode>) -> Result<T> {
        self.send_as(Method::POST, path, &serde_json::json!({}), expect)
            .await
    }

    // ---------------------------------------------------------------------------------------
    // Operators: sign-in

    /// POST /api/v1/auth/login (200).
    pub async fn login(&self, req: &LoginRequest) -> Result<LoginResponse> {
        self.send_as(Method::POST, "/api/v1/auth/login", req, OK)
            .await
    }

    /// POST /api/v1/auth/logout (204).
    pub async fn logout(&self) -> Result<()> {
        self.act("/api/v1/auth/logout", NO_CONTENT).await
    }

    /// GET /api/v1/auth/me (200).
    pub async fn me(&self) -> Result<WhoAmI> {
        self.get_as("/api/v1/auth/me").await
    }

    // ---------------------------------------------------------------------------------------
    // Catalog and keys

    /// POST /api/v1/products (201).
    pub async fn create_product(&self, req: &CreateProduct) -> Result<Product> {
        self.send_as(Method::POST, "/api/v1/products", req, CREATED)
            .await
    }

    /// GET /api/v1/products (200).
    pub async fn products(&self) -> Result<ProductList> {
        self.get_as("/api/v1/products").await
    }

    /// GET /api/v1/products/{product} (200).
    pub async fn product(&self, code: &str) -> Result<Product> {
        self.get_as(&format!("/api/v1/products/{code}")).await
    }

    /// POST /api/v1/products/{product}/editions (201).
    pub async fn add_edition(&self, product: &str, req: &NewEntry) -> Result<Product> {
        let path = format!("/api/v1/products/{product}/editions");
        self.send_as(Method::POST, &path, req, CREATED).await
    }

    /// POST /api/v1/products/{product}/sizes (201).
    pub async fn add_size(&self, product: &str, req: &NewSize) -> Result<Product> {
        let path = format!("/api/v1/products/{product}/sizes");
        self.send_as(Method::POST, &path, req, CREATED).await
    }

    /// POST /api/v1/products/{product}/modules (201).
    pub async fn add_module(&self, product: &str, req: &NewEntry) -> Result<Product> {
        let path = format!("/api/v1/products/{product}/modules");
        self.send_as(Method::POST, &path, req, CREATED).await
    }

    /// POST /api/v1/products/{code}/releases (201).
    pub async fn publish_release(&self, product: &str, req: &NewRelease) -> Result<Release> {
        let path = format!("/api/v1/products/{product}/releases");
        self.send_as(Method::POST, &path, req, CREATED).await
    }

    /// POST /api/v1/products/{code}/releases/{version}/withdraw (200).
    pub async fn withdraw_release(
        &self,
        product: &str,
        version: &str,
        reason: &str,
    ) -> Result<Release> {
        let path = format!("/api/v1/products/{product}/releases/{version}/withdraw");
        let req = WithdrawRelease {
            reason: reason.to_owned(),
        };
        self.send_as(Method::POST, &path, &req, OK).await
    }

    /// POST /api/v1/products/{code}/releases/{version}/restore (200).
    pub async fn restore_release(&self, product: &str, version: &str) -> Result<Release> {
        let path = format!("/api/v1/products/{product}/releases/{version}/restore");
        self.send_as(Method::POST, &path, &serde_json::json!({}), OK)
            .await
    }

    /// GET /api/v1/products/{code}/releases (200).
    pub async fn releases(&self, product: &str) -> Result<ReleaseList> {
        self.get_as(&format!("/api/v1/products/{product}/releases"))
            .await
    }

    /// PUT /api/v1/products/{code}/minimum-version (200).
    pub async fn set_minimum_version(
        &self,
        product: &str,
        minimum: Option<&str>,
    ) -> Result<ReleaseList> {
        let path = format!("/api/v1/products/{product}/minimum-version");
        let req = SetMinimumVersion {
            minimum_version: minimum.map(str::to_owned),
        };
        self.send_as(Method::PUT, &path, &req, OK).await
    }

    /// PUT /api/v1/products/{code}/cloud-minimum-version (200).
    pub async fn set_cloud_minimum_version(
        &self,
        product: &str,
        minimum: Option<&str>,
    ) -> Result<ReleaseList> {
        let path = format!("/api/v1/products/{product}/cloud-minimum-version");
        let req = SetCloudMinimumVersion {
            cloud_minimum_version: minimum.map(str::to_owned),
        };
        self.send_as(Method::PUT, &path, &req, OK).await
    }

    /// PUT /api/v1/products/{product}/offline-policy (200, X1).
    pub async fn set_offline_policy(
        &self,
        product: &str,
        req: &SetOfflinePolicy,
    ) -> Result<Product> {
        let path = format!("/api/v1/products/{product}/offline-policy");
        self.send_as(Method::PUT, &path, req, OK).await
    }

    /// GET /api/v1/account/downloads (200).
    pub async fn downloads(&self) -> Result<Downloads> {
        self.get_as("/api/v1/account/downloads").await
    }

    /// POST /api/v1/webhooks (201).
    pub async fn create_webhook(&self, req: &NewWebhook) -> Result<Webhook> {
        self.send_as(Method::POST, "/api/v1/webhooks", req, CREATED)
            .await
    }

    /// GET /api/v1/webhooks (200).
    pub async fn webhooks(&self) -> Result<WebhookList> {
        self.get_as("/api/v1/webhooks").await
    }

    /// DELETE /api/v1/webhooks/{id} (204).
    pub async fn delete_webhook(&self, id: i64) -> Result<()> {
        let path = format!("/api/v1/webhooks/{id}");
        self.json(self.request(Method::DELETE, &path), NO_CONTENT)
            .await
    }

    /// GET /api/v1/webhooks/{id}/deliveries (200).
    pub async fn webhook_deliveries(&self, id: i64) -> Result<WebhookDeliveryList> {
        self.get_as(&format!("/api/v1/webhooks/{id}/deliveries"))
            .await
    }

    /// POST /api/v1/webhook-deliveries/{id}/replay (200).
    pub async fn replay_webhook_delivery(&self, id: i64) -> Result<WebhookDelivery> {
        let path = format!("/api/v1/webhook-deliveries/{id}/replay");
        self.send_as(Method::POST, &path, &serde_json::json!({}), OK)
            .await
    }

    /// POST /api/v1/key-batches (201).
    pub async fn create_batch(&self, req: &CreateBatch) -> Result<Batch> {
        self.send_as(Method::POST, "/api/v1/key-batches", req, CREATED)
            .await
    }

    /// POST /api/v1/key-batches/{id}/fill (200).
    pub async fn fill_batch(&self, id: i64, req: &FillBatch) -> Result<Batch> {
        let path = format!("/api/v1/key-batches/{id}/fill");
        self.send_as(Method::POST, &path, req, OK).await
    }

    /// GET /api/v1/key-batches (200).
    pub async fn batches(&self) -> Result<BatchList> {
        self.get_as("/api/v1/key-batches").await
    }

    /// GET /api/v1/key-batches/{id} (200).
    pub async fn batch(&self, id: i64) -> Result<Batch> {
        self.get_as(&format!("/api/v1/key-batches/{id}")).await
    }

    /// GET /api/v1/key-batches/{id}/keys?after=…&limit=… (200).
    pub async fn batch_keys(&self, id: i64, after: Option<i64>, limit: u32) -> Result<KeyPage> {
        let after = after.map(|a| format!("&after={a}")).unwrap_or_default();
        self.get_as(&format!(
            "/api/v1/key-batches/{id}/keys?limit={limit}{after}"
        ))
        .await
    }

    /// GET /api/v1/key-batches/{id}/keys.csv (200), as text.
    pub async fn batch_csv(&self, id: i64) -> Result<String> {
        let path = format!("/api/v1/key-batches/{id}/keys.csv");
        let (_, text) = self.text(self.request(Method::GET, &path), OK).await?;
        Ok(text)
    }

    /// POST /api/v1/keys/import (200) with the CSV file `csv`; a file with refused lines
    /// (422 `IMPORT_REFUSED`) answers its report too, with `code` set and nothing written.
    pub async fn import_keys(
        &self,
        csv: Vec<u8>,
        file: Option<&str>,
        dry_run: bool,
    ) -> Result<KeyImport> {
        let mut req = self
            .request(Method::POST, "/api/v1/keys/import")
            .header(reqwest::header::CONTENT_TYPE, "text/csv")
            .query(&[("dry_run", dry_run)])
            .body(csv);
        if let Some(name) = file {
            req = req.query(&[("file", name)]);
        }
        let resp = req.send().await?;
        let status = resp.status();
        let text = resp.text().await?;
        if status == StatusCode::UNPROCESSABLE_ENTITY
            && let Ok(report) = serde_json::from_str::<KeyImport>(&text)
        {
            return Ok(report);
        }
        let (status, text) = checked(status, text, OK)?;
        serde_json::from_str(&text).map_err(|error| ApiError::Decode {
            status,
            error,
            text,
        })
    }

    /// GET /api/v1/products/{product}/key-format (200).
    pub async fn key_format(&self, product: &str) -> Result<KeyFormatSetting> {
        self.get_as(&format!("/api/v1/products/{product}/key-format"))
            .await
    }

    /// PUT /api/v1/products/{product}/key-format (200); None clears it.
    pub async fn set_key_format(
        &self,
        product: &str,
        pattern: Option<&str>,
    ) -> Result<KeyFormatSetting> {
        let path = format!("/api/v1/products/{product}/key-format");
        let req = KeyFormatSetting {
            pattern: pattern.map(str::to_owned),
        };
        self.send_as(Method::PUT, &path, &req, OK).await
    }

    /// GET /api/v1/keys/{key} (200).
    pub async fn key(&self, key: &str) -> Result<KeyInfo> {
        self.get_as(&format!("/api/v1/keys/{key}")).await
    }

    /// POST /api/v1/keys/{key}/revoke (200).
    pub async fn revoke_key(&self, key: &str, req: &RevokeKey) -> Result<KeyInfo> {
        let path = format!("/api/v1/keys/{key}/revoke");
        self.send_as(Method::POST, &path, req, OK).await
    }

    /// POST /api/v1/keys/{key}/edition (200).
    pub async fn change_edition(&self, key: &str, req: &ChangeEdition) -> Result<KeyInfo> {
        let path = format!("/api/v1/keys/{key}/edition");
        self.send_as(Method::POST, &path, req, OK).await
    }

    /// GET /api/v1/keys/{key}/history (200).
    pub async fn key_history(&self, key: &str) -> Result<KeyHistory> {
        self.get_as(&format!("/api/v1/keys/{key}/history")).await
    }

    // ---------------------------------------------------------------------------------------
    // Accounts (operators' view)

    /// POST /api/v1/accounts (201): registration, no token needed.
    pub async fn register(&self, req: &Registration) -> Result<Account> {
        self.send_as(Method::POST, "/api/v1/accounts", req, CREATED)
            .await
    }

    /// POST /api/v1/accounts/key-check (200): whether a key can be registered, no token
    /// needed; a key that cannot is `422 KEY_INVALID`.
    pub async fn check_key(&self, product_key: &str) -> Result<KeyCheck> {
        let body = KeyCheckRequest {
            product_key: product_key.to_owned(),
        };
        self.send_as(Method::POST, "/api/v1/accounts/key-check", &body, OK)
            .await
    }

    /// GET /api/v1/accounts?after=…&limit=…&q=… (200).
    pub async fn accounts(
        &self,
        search: Option<&str>,
        after: i64,
        limit: u32,
    ) -> Result<AccountPage> {
        let mut path = format!("/api/v1/accounts?after={after}&limit={limit}");
        if let Some(q) = search {
            path.push_str(&format!("&q={}", encode_query(q)));
        }
        self.get_as(&path).await
    }

    /// GET /api/v1/accounts/{id} (200).
    pub async fn account(&self, id: i64) -> Result<Account> {
        self.get_as(&format!("/api/v1/accounts/{id}")).await
    }

    /// PUT /api/v1/accounts/{id}/log-retention (204).
    pub async fn set_log_retention(&self, id: i64, req: &SetLogRetention) -> Result<()> {
        let path = format!("/api/v1/accounts/{id}/log-retention");
        self.send_as(Method::PUT, &path, req, NO_CONTENT).await
    }

    // ---------------------------------------------------------------------------------------
    // Sites (operators' view) and signing keys

    /// GET /api/v1/sites/{site_id} (200).
    pub async fn site(&self, site_id: &str) -> Result<Site> {
        self.get_as(&format!("/api/v1/sites/{site_id}")).await
    }

    /// POST /api/v1/sites/{site_id}/suspend (200).
    pub async fn suspend_site(&self, site_id: &str) -> Result<Site> {
        self.act(&format!("/api/v1/sites/{site_id}/suspend"), OK)
            .await
    }

    /// POST /api/v1/sites/{site_id}/resume (200).
    pub async fn resume_site(&self, site_id: &str) -> Result<Site> {
        self.act(&format!("/api/v1/sites/{site_id}/resume"), OK)
            .await
    }

    /// POST /api/v1/sites/{site_id}/deactivate (200).
    pub async fn deactivate_site(&self, site_id: &str) -> Result<Site> {
        self.act(&format!("/api/v1/sites/{site_id}/deactivate"), OK)
            .await
    }

    /// PUT /api/v1/sites/{site_id}/expiry (200).
    pub async fn set_site_expiry(&self, site_id: &str, req: &SetExpiry) -> Result<Site> {
        let path = format!("/api/v1/sites/{site_id}/expiry");
        self.send_as(Method::PUT, &path, req, OK).await
    }

    /// GET /api/v1/sites/{site_id}/technical (200).
    pub async fn site_technical(&self, site_id: &str) -> Result<SiteTechnicalData> {
        self.get_as(&format!("/api/v1/sites/{site_id}/technical"))
            .await
    }

    /// GET /api/v1/public-keys (200), no token needed.
    pub async fn public_keys(&self) -> Result<PublicKeys> {
        self.get_as("/api/v1/public-keys").await
    }

    /// POST /api/v1/signing-keys/rotate (201).
    pub async fn rotate_signing_key(&self) -> Result<PublicKeyInfo> {
        self.act("/api/v1/signing-keys/rotate", CREATED).await
    }

    /// POST /api/v1/signing-keys/{key_id}/retire (200).
    pub async fn retire_signing_key(&self, key_id: &str) -> Result<PublicKeyInfo> {
        self.act(&format!("/api/v1/signing-keys/{key_id}/retire"), OK)
            .await
    }

    // ---------------------------------------------------------------------------------------
    // The client software: activation and validation

    /// POST /api/v1/activations (201).
    pub async fn activate(&self, req: &ActivationRequest) -> Result<ActivationResponse> {
        self.send_as(Method::POST, "/api/v1/activations", req, CREATED)
            .await
    }

    /// PUT /api/v1/site/data (200), with the site's token.
    pub async fn put_site_data(&self, req: &SiteData) -> Result<Site> {
        self.send_as(Method::PUT, "/api/v1/site/data", req, OK)
            .await
    }

    /// POST /api/v1/site/deactivate (200), with the site's token: releases this machine.
    pub async fn deactivate_this_site(&self) -> Result<Site> {
        self.act("/api/v1/site/deactivate", OK).await
    }

    /// POST /api/v1/validations (200): the signed validation document.
    pub async fn validate(&self, req: &ValidationRequest) -> Result<SignedDocument> {
        self.send_as(Method::POST, "/api/v1/validations", req, OK)
            .await
    }

    // ---------------------------------------------------------------------------------------
    // The customer portal (account token)

    /// POST /api/v1/account/login (200).
    pub async fn account_login(&self, req: &LoginRequest) -> Result<LoginResponse> {
        self.send_as(Method::POST, "/api/v1/account/login", req, OK)
            .await
    }

    /// POST /api/v1/account/logout (204).
    pub async fn account_logout(&self) -> Result<()> {
        self.act("/api/v1/account/logout", NO_CONTENT).await
    }

    /// GET /api/v1/account (200).
    pub async fn own_account(&self) -> Result<Account> {
        self.get_as("/api/v1/account").await
    }

    /// PUT /api/v1/account/sites/{site_id}/data (200): the account changes a site's
    /// identification data.
    pub async fn change_site_data(&self, site_id: &str, req: &SiteData) -> Result<Site> {
        let path = format!("/api/v1/account/sites/{site_id}/data");
        self.send_as(Method::PUT, &path, req, OK).await
    }

    /// PUT /api/v1/account/profile (200): the superadmin changes the company and contact
    /// data.
    pub async fn update_profile(&self, req: &ProfileUpdate) -> Result<Account> {
        self.send_as(Method::PUT, "/api/v1/account/profile", req, OK)
            .await
    }

    /// PUT /api/v1/account/language (200): the language of the account's mail.
    pub async fn set_account_language(&self, language: &str) -> Result<Account> {
        let body = LanguageChoice {
            language: language.to_owned(),
        };
        self.send_as(Method::PUT, "/api/v1/account/language", &body, OK)
            .await
    }

    /// GET /api/v1/account/contacts (200).
    pub async fn account_contacts(&self) -> Result<AccountContactList> {
        self.get_as("/api/v1/account/contacts").await
    }

    /// POST /api/v1/account/contacts (201).
    pub async fn add_account_contact(&self, req: &NewAccountContact) -> Result<AccountContact> {
        self.send_as(Method::POST, "/api/v1/account/contacts", req, CREATED)
            .await
    }

    /// DELETE /api/v1/account/contacts/{id} (204).
    pub async fn remove_account_contact(&self, id: i64) -> Result<()> {
        let path = format!("/api/v1/account/contacts/{id}");
        self.json(self.request(Method::DELETE, &path), NO_CONTENT)
            .await
    }

    /// POST /api/v1/account/keys (201).
    pub async fn add_key(&self, req: &AddKey) -> Result<Account> {
        self.send_as(Method::POST, "/api/v1/account/keys", req, CREATED)
            .await
    }

    /// GET /api/v1/account/sites (200).
    pub async fn own_sites(&self) -> Result<SiteList> {
        self.get_as("/api/v1/account/sites").await
    }

    /// POST /api/v1/account/offline/answers: the account's superadmin answers a request
    /// file (X1). The response file's bytes, and whether the answer is new (201) rather
    /// than the earlier answer to the same request (200).
    pub async fn answer_own_offline_request(&self, request_file: &[u8]) -> Result<(bool, String)> {
        self.offline_answer("/api/v1/account/offline/answers", request_file)
            .await
    }

    /// POST /api/v1/offline/answers: an operator answers a request file (X1), as
    /// [`ApiClient::answer_own_offline_request`].
    pub async fn answer_offline_request(&self, request_file: &[u8]) -> Result<(bool, String)> {
        self.offline_answer("/api/v1/offline/answers", request_file)
            .await
    }

    /// The request file is sent as it is, never re-serialized: the server checks its digest.
    async fn offline_answer(&self, path: &str, request_file: &[u8]) -> Result<(bool, String)> {
        let req = self
            .request(Method::POST, path)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(request_file.to_vec());
        let (status, text) = self.text(req, None).await?;
        Ok((status == StatusCode::CREATED, text))
    }

    /// POST /api/v1/account/sites/{site_id}/deactivate (200).
    pub async fn deactivate_own_site(&self, site_id: &str) -> Result<Site> {
        self.act(&format!("/api/v1/account/sites/{site_id}/deactivate"), OK)
            .await
    }

    /// GET /api/v1/account/sites/{site_id}/technical (200).
    pub async fn own_technical(&self, site_id: &str) -> Result<SiteTechnicalData> {
        self.get_as(&format!("/api/v1/account/sites/{site_id}/technical"))
            .await
    }

    /// PUT /api/v1/account/sites/{site_id}/technical (200).
    pub async fn set_own_technical(
        &self,
        site_id: &str,
        req: &SiteTechnicalData,
    ) -> Result<SiteTechnicalData> {
        let path = format!("/api/v1/account/sites/{site_id}/technical");
        self.send_as(Method::PUT, &path, req, OK).await
    }

    /// GET /api/v1/account/operations?… (200); `query` is the query string with its `?`, or
    /// empty.
    pub async fn own_operations(&self, query: &str) -> Result<OperationPage> {
        self.get_as(&format!("/api/v1/account/operations{query}"))
            .await
    }

    /// POST /api/v1/account/password-reset (202).
    pub async fn request_password_reset(&self, req: &PasswordResetRequest) -> Result<()> {
        self.send_as(
            Method::POST,
            "/api/v1/account/password-reset",
            req,
            ACCEPTED,
        )
        .await
    }

    /// POST /api/v1/account/password-reset/confirm (204).
    pub async fn confirm_password_reset(&self, req: &PasswordResetConfirm) -> Result<()> {
        let path = "/api/v1/account/password-reset/confirm";
        self.send_as(Method::POST, path, req, NO_CONTENT).await
    }

    // ---------------------------------------------------------------------------------------
    // An account's users, groups and rights; site users

    /// POST /api/v1/account/users (201).
    pub async fn create_user(&self, req: &NewUser) -> Result<User> {
        self.send_as(Method::POST, "/api/v1/account/users", req, CREATED)
            .await
    }

    /// POST /api/v1/account/groups (201).
    pub async fn create_group(&self, req: &NewGroup) -> Result<Group> {
        self.send_as(Method::POST, "/api/v1/account/groups", req, CREATED)
            .await
    }

    /// GET /api/v1/account/users (200): the account's users by name.
    pub async fn users(&self) -> Result<UserList> {
        self.get_as("/api/v1/account/users").await
    }

    /// PUT /api/v1/account/groups/{id}/name (204).
    pub async fn rename_group(&self, id: i64, req: &GroupName) -> Result<()> {
        let path = format!("/api/v1/account/groups/{id}/name");
        self.send_as(Method::PUT, &path, req, NO_CONTENT).await
    }

    /// GET /api/v1/account/site-users (200): the users of all the account's sites.
    pub async fn account_site_users(&self) -> Result<SiteUserList> {
        self.get_as("/api/v1/account/site-users").await
    }

    /// GET /api/v1/account/groups (200): the groups with their rights and members.
    pub async fn groups(&self) -> Result<GroupList> {
        self.get_as("/api/v1/account/groups").await
    }

    /// PUT /api/v1/account/groups/{id}/rights (200): the group holds exactly these rights.
    pub async fn set_group_rights(&self, id: i64, req: &GroupRights) -> Result<Group> {
        let path = format!("/api/v1/account/groups/{id}/rights");
        self.send_as(Method::PUT, &path, req, OK).await
    }

    /// DELETE /api/v1/account/groups/{id} (204).
    pub async fn delete_group(&self, id: i64) -> Result<()> {
        let path = format!("/api/v1/account/groups/{id}");
        self.json(self.request(Method::DELETE, &path), NO_CONTENT)
            .await
    }

    /// DELETE /api/v1/account/users/{id} (204): the user's sessions end with it.
    pub async fn delete_user(&self, id: i64) -> Result<()> {
        let path = format!("/api/v1/account/users/{id}");
        self.json(self.request(Method::DELETE, &path), NO_CONTENT)
            .await
    }

    /// POST /api/v1/account/users/{id}/disable (200): the user as it now is.
    pub async fn disable_user(&self, id: i64) -> Result<User> {
        self.act(&format!("/api/v1/account/users/{id}/disable"), OK)
            .await
    }

    /// POST /api/v1/account/users/{id}/enable (200): the user as it now is.
    pub async fn enable_user(&self, id: i64) -> Result<User> {
        self.act(&format!("/api/v1/account/users/{id}/enable"), OK)
            .await
    }

    /// PUT /api/v1/account/groups/{id}/members (204).
    pub async fn set_group_members(&self, id: i64, req: &GroupMembers) -> Result<()> {
        let path = format!("/api/v1/account/groups/{id}/members");
        self.send_as(Method::PUT, &path, req, NO_CONTENT).await
    }

    /// POST /api/v1/account/sites/{site_id}/users (201).
    pub async fn create_site_user(&self, site_id: &str, req: &NewSiteUser) -> Result<SiteUser> {
        let path = format!("/api/v1/account/sites/{site_id}/users");
        self.send_as(Method::POST, &path, req, CREATED).await
    }

    /// GET /api/v1/account/sites/{site_id}/users (200).
    pub async fn site_users(&self, site_id: &str) -> Result<SiteUserList> {
        self.get_as(&format!("/api/v1/account/sites/{site_id}/users"))
            .await
    }

    /// POST /api/v1/account/sites/{site_id}/users/{id}/invitation (200).
    pub async fn reinvite_site_user(&self, site_id: &str, id: i64) -> Result<InvitationSent> {
        self.act(
            &format!("/api/v1/account/sites/{site_id}/users/{id}/invitation"),
            OK,
        )
        .await
    }

    /// DELETE /api/v1/account/sites/{site_id}/users/{id} (204).
    pub async fn delete_site_user(&self, site_id: &str, id: i64) -> Result<()> {
        let path = format!("/api/v1/account/sites/{site_id}/users/{id}");
        self.json(self.request(Method::DELETE, &path), NO_CONTENT)
            .await
    }

    /// POST /api/v1/account/users/login (200).
    pub async fn user_login(&self, req: &LoginRequest) -> Result<LoginResponse> {
        self.send_as(Method::POST, "/api/v1/account/users/login", req, OK)
            .await
    }

    /// POST /api/v1/site/invitation (200): a web user's password set with its code (H2).
    pub async fn accept_invitation(&self, req: &AcceptInvitation) -> Result<InvitationAccepted> {
        self.send_as(Method::POST, "/api/v1/site/invitation", req, OK)
            .await
    }

    /// POST /api/v1/site/login (200).
    pub async fn site_login(&self, req: &SiteLoginRequest) -> Result<LoginResponse> {
        self.send_as(Method::POST, "/api/v1/site/login", req, OK)
            .await
    }

    /// GET /api/v1/account/ui (200): what the portal shows the signed-in user.
    pub async fn portal_ui(&self) -> Result<PortalView> {
        self.get_as("/api/v1/account/ui").await
    }

    // ---------------------------------------------------------------------------------------
    // Monthly services

    /// POST /api/v1/services (201).
    pub async fn create_service(&self, req: &NewService) -> Result<Service> {
        self.send_as(Method::POST, "/api/v1/services", req, CREATED)
            .await
    }

    /// GET /api/v1/services (200).
    pub async fn services(&self) -> Result<ServiceList> {
        self.get_as("/api/v1/services").await
    }

    /// GET /api/v1/account/sites/{site_id}/services (200).
    pub async fn site_services(&self, site_id: &str) -> Result<SiteServices> {
        self.get_as(&format!("/api/v1/account/sites/{site_id}/services"))
            .await
    }

    /// POST /api/v1/account/sites/{site_id}/services/{code}/activate (200).
    pub async fn switch_service_on(&self, site_id: &str, code: &str) -> Result<SiteServices> {
        let path = format!("/api/v1/account/sites/{site_id}/services/{code}/activate");
        self.act(&path, OK).await
    }

    /// POST /api/v1/account/sites/{site_id}/services/{code}/deactivate (200).
    pub async fn switch_service_off(&self, site_id: &str, code: &str) -> Result<SiteServices> {
        let path = format!("/api/v1/account/sites/{site_id}/services/{code}/deactivate");
        self.act(&path, OK).await
    }

    /// GET /api/v1/invoice-lines?… (200); `query` is the query string with its `?`, or empty.
    pub async fn invoice_lines(&self, query: &str) -> Result<InvoiceLines> {
        self.get_as(&format!("/api/v1/invoice-lines{query}")).await
    }

    /// GET /api/v1/account/invoice-lines?… (200); `query` is the query string with its `?`,
    /// or empty.
    pub async fn own_invoice_lines(&self, query: &str) -> Result<InvoiceLines> {
        self.get_as(&format!("/api/v1/account/invoice-lines{query}"))
            .await
    }

    // ---------------------------------------------------------------------------------------
    // The cloud

    /// POST /api/v1/plans (201).
    pub async fn create_plan(&self, req: &NewPlan) -> Result<Plan> {
        self.send_as(Method::POST, "/api/v1/plans", req, CREATED)
            .await
    }

    /// GET /api/v1/account/cloud (200).
    pub async fn cloud(&self) -> Result<CloudOverview> {
        self.get_as("/api/v1/account/cloud").await
    }

    /// POST /api/v1/account/cloud/trial (201).
    pub async fn start_trial(&self, req: &StartTrial) -> Result<Subscription> {
        self.send_as(Method::POST, "/api/v1/account/cloud/trial", req, CREATED)
            .await
    }

    /// POST /api/v1/account/cloud/sites (200).
    pub async fn enable_sites(&self, req: &EnableSites) -> Result<CloudOverview> {
        self.send_as(Method::POST, "/api/v1/account/cloud/sites", req, OK)
            .await
    }

    /// POST /api/v1/cloud/activate (200).
    pub async fn cloud_activate(&self, req: &CloudActivation) -> Result<CloudToken> {
        self.send_as(Method::POST, "/api/v1/cloud/activate", req, OK)
            .await
    }

    /// POST /api/v1/account/cloud/orders (201).
    pub async fn create_order(&self, req: &NewOrder) -> Result<Order> {
        self.send_as(Method::POST, "/api/v1/account/cloud/orders", req, CREATED)
            .await
    }

    /// GET /api/v1/plans (200), no token needed.
    pub async fn plans(&self) -> Result<PlanList> {
        self.get_as("/api/v1/plans").await
    }

    /// GET /api/v1/subscriptions (200).
    pub async fn subscriptions(&self) -> Result<SubscriptionList> {
        self.subscriptions_of(None).await
    }

    /// GET /api/v1/subscriptions?account=… (200): one account's, or all.
    pub async fn subscriptions_of(&self, account: Option<i64>) -> Result<SubscriptionList> {
        let query = account.map(|a| format!("?account={a}")).unwrap_or_default();
        self.get_as(&format!("/api/v1/subscriptions{query}")).await
    }

    /// POST /api/v1/subscriptions/{id}/state (200).
    pub async fn set_subscription_state(
        &self,
        id: i64,
        req: &SetSubscriptionState,
    ) -> Result<Subscription> {
        let path = format!("/api/v1/subscriptions/{id}/state");
        self.send_as(Method::POST, &path, req, OK).await
    }

    /// DELETE /api/v1/account/cloud/sites/{site_id} (204).
    pub async fn disable_site(&self, site_id: &str) -> Result<()> {
        let path = format!("/api/v1/account/cloud/sites/{site_id}");
        self.json(self.request(Method::DELETE, &path), NO_CONTENT)
            .await
    }

    /// POST /api/v1/account/cloud/sites/{site_id}/codes (202): the site's activation data
    /// mailed again, with a new activation code.
    pub async fn resend_site_codes(&self, site_id: &str) -> Result<()> {
        let path = format!("/api/v1/account/cloud/sites/{site_id}/codes");
        self.json(self.request(Method::POST, &path), ACCEPTED).await
    }

    /// GET /api/v1/cloud/status (200), with the cloud token.
    pub async fn cloud_status(&self) -> Result<CloudStanding> {
        self.get_as("/api/v1/cloud/status").await
    }

    /// GET /api/v1/account/cloud/orders/{order_id} (200).
    pub async fn order(&self, order_id: &str) -> Result<Order> {
        self.get_as(&format!("/api/v1/account/cloud/orders/{order_id}"))
            .await
    }

    /// GET /api/v1/account/cloud/orders (200): the account's orders, newest first.
    pub async fn orders(&self) -> Result<OrderList> {
        self.get_as("/api/v1/account/cloud/orders").await
    }

    /// POST /api/v1/account/cloud/orders/{order_id}/cancel (200): the order, cancelled.
    pub async fn cancel_order(&self, order_id: &str) -> Result<Order> {
        let path = format!("/api/v1/account/cloud/orders/{order_id}/cancel");
        self.json(self.request(Method::POST, &path), OK).await
    }

    /// GET /api/v1/account/invoices (200).
    pub async fn own_invoices(&self) -> Result<InvoiceList> {
        self.get_as("/api/v1/account/invoices").await
    }

    /// GET /api/v1/invoices (200).
    pub async fn invoices(&self) -> Result<InvoiceList> {
        self.invoices_of(None).await
    }

    /// GET /api/v1/invoices?account=… (200): one account's, or all.
    pub async fn invoices_of(&self, account: Option<i64>) -> Result<InvoiceList> {
        let query = account.map(|a| format!("?account={a}")).unwrap_or_default();
        self.get_as(&format!("/api/v1/invoices{query}")).await
    }

    /// GET /api/v1/invoices/{number} (200): the printable page, as HTML.
    pub async fn invoice_page(&self, number: &str) -> Result<String> {
        let path = format!("/api/v1/invoices/{}", encode_query(number));
        let (_, html) = self.text(self.request(Method::GET, &path), OK).await?;
        Ok(html)
    }

    /// GET /api/v1/orders (200): every account's orders, newest first, `limit` a page
    /// placed before `before`.
    pub async fn all_orders(&self, before: Option<i64>, limit: Option<u32>) -> Result<OrderList> {
        let mut query = Vec::new();
        if let Some(before) = before {
            query.push(format!("before={before}"));
        }
        if let Some(limit) = limit {
            query.push(format!("limit={limit}"));
        }
        self.get_as(&format!("/api/v1/orders?{}", query.join("&")))
            .await
    }

    /// GET /api/v1/payments/unapplied (200).
    pub async fn unapplied_payments(&self) -> Result<UnappliedPayments> {
        self.get_as("/api/v1/payments/unapplied").await
    }

    // ---------------------------------------------------------------------------------------
    // Operations

    /// GET /api/v1/fleet?… (200): the fleet dashboard; `query` is the query string with its
    /// `?`, or empty.
    pub async fn fleet(&self, query: &str) -> Result<Fleet> {
        self.get_as(&format!("/api/v1/fleet{query}")).await
    }

    /// GET /api/v1/outbox?… (200); `query` is the query string with its `?`, or empty.
    pub async fn outbox(&self, query: &str) -> Result<OutboxPage> {
        self.get_as(&format!("/api/v1/outbox{query}")).await
    }

    /// GET /api/v1/jobs?job=… (200).
    pub async fn jobs(&self, job: Option<&str>) -> Result<JobRuns> {
        let query = job.map(|j| format!("?job={}", encode_query(j)));
        self.get_as(&format!("/api/v1/jobs{}", query.unwrap_or_default()))
            .await
    }

    /// GET /api/v1/jobs?… (200); `query` is the query string with its `?`, or empty.
    pub async fn job_runs(&self, query: &str) -> Result<JobRuns> {
        self.get_as(&format!("/api/v1/jobs{query}")).await
    }

    /// POST /api/v1/jobs/{name}/run (200): the run, once it has finished.
    pub async fn run_job(&self, name: &str) -> Result<JobRun> {
        self.act(&format!("/api/v1/jobs/{name}/run"), OK).await
    }

    /// GET /api/v1/operations?… (200); `query` is the query string with its `?`, or empty.
    pub async fn operations(&self, query: &str) -> Result<OperationPage> {
        self.get_as(&format!("/api/v1/operations{query}")).await
    }

    // ---------------------------------------------------------------------------------------
    // Cloud data sync

    /// GET /api/v1/products/{code}/sync-collections (200).
    pub async fn sync_collections(&self, product: &str) -> Result<CollectionList> {
        self.get_as(&format!("/api/v1/products/{product}/sync-collections"))
            .await
    }

    /// POST /api/v1/products/{code}/sync-collections (200): declares or replaces one.
    pub async fn declare_collection(
        &self,
        product: &str,
        req: &CollectionDecl,
    ) -> Result<CollectionDecl> {
        let path = format!("/api/v1/products/{product}/sync-collections");
        self.send_as(Method::POST, &path, req, OK).await
    }

    /// GET /api/v1/cloud/sync/collections (200), with the cloud token.
    pub async fn site_sync_collections(&self) -> Result<CollectionList> {
        self.get_as("/api/v1/cloud/sync/collections").await
    }

    /// POST /api/v1/cloud/sync/first-sync/start (200), with the cloud token.
    pub async fn start_first_sync(&self, client_time: &str) -> Result<FirstSyncLease> {
        let body = ClientTime {
            client_time: client_time.to_owned(),
        };
        self.send_as(
            Method::POST,
            "/api/v1/cloud/sync/first-sync/start",
            &body,
            OK,
        )
        .await
    }

    /// POST /api/v1/cloud/sync/first-sync/renew (200), with the cloud token.
    pub async fn renew_first_sync(&self, client_time: &str) -> Result<FirstSyncLease> {
        let body = ClientTime {
            client_time: client_time.to_owned(),
        };
        self.send_as(
            Method::POST,
            "/api/v1/cloud/sync/first-sync/renew",
            &body,
            OK,
        )
        .await
    }

    /// POST /api/v1/cloud/sync/first-sync/finish (204), with the cloud token.
    pub async fn finish_first_sync(&self, client_time: &str) -> Result<()> {
        let body = ClientTime {
            client_time: client_time.to_owned(),
        };
        let path = "/api/v1/cloud/sync/first-sync/finish";
        self.send_as(Method::POST, path, &body, NO_CONTENT).await
    }

    /// POST /api/v1/cloud/sync/push (200), with the cloud token.
    pub async fn push_changes(&self, req: &PushRequest) -> Result<PushAnswer> {
        self.send_as(Method::POST, "/api/v1/cloud/sync/push", req, OK)
            .await
    }

    /// GET /api/v1/cloud/sync/pull (200), with the cloud token.
    pub async fn pull_changes(
        &self,
        cursor: i64,
        limit: u32,
        client_time: &str,
    ) -> Result<PullPage> {
        let path = format!(
            "/api/v1/cloud/sync/pull?cursor={cursor}&limit={limit}&client_time={}",
            encode_query(client_time)
        );
        self.get_as(&path).await
    }

    /// GET /api/v1/cloud/sync/status (200), with the cloud token.
    pub async fn sync_status(&self, client_time: Option<&str>) -> Result<SyncStatus> {
        let query = client_time
            .map(|t| format!("?client_time={}", encode_query(t)))
            .unwrap_or_default();
        self.get_as(&format!("/api/v1/cloud/sync/status{query}"))
            .await
    }

    /// POST /api/v1/site/sync/check (200), with the site token.
    pub async fn check_sync_data(&self, req: &CheckRequest) -> Result<CheckReport> {
        self.send_as(Method::POST, "/api/v1/site/sync/check", req, OK)
            .await
    }

    /// GET /api/v1/account/sync/conflicts (200); `all`: settled ones too.
    pub async fn sync_conflicts(&self, all: bool) -> Result<ConflictList> {
        self.get_as(&format!("/api/v1/account/sync/conflicts?all={all}"))
            .await
    }

    /// POST /api/v1/account/sync/conflicts/{id}/resolve (200).
    pub async fn resolve_conflict(&self, id: i64, req: &ResolveConflict) -> Result<SyncConflict> {
        let path = format!("/api/v1/account/sync/conflicts/{id}/resolve");
        self.send_as(Method::POST, &path, req, OK).await
    }

    /// GET /api/v1/operations/export?… (200): the log as CSV, `progress` called as it
    /// arrives (see [`ApiClient::get_text_with_progress`]); `query` is the query string with
    /// its `?`, or empty.
    pub async fn operations_csv(
        &self,
        query: &str,
        progress: impl FnMut(u64, Option<u64>),
    ) -> Result<String> {
        self.get_text_with_progress(&format!("/api/v1/operations/export{query}"), progress)
            .await
    }

    /// Any JSON value from a GET, for what the tests look at loosely.
    pub async fn get_value(&self, path: &str) -> Result<Value> {
        self.get(path).await
    }
}
