//! Blocking JSON over HTTP(S) with short timeouts (ureq, rustls). Every failure becomes a
//! specific [`ClientError`] naming the server; nothing here panics on what a server sends.

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tessera_api::{ErrorBody, InstallationChoice};

use crate::errors::{ClientError, Result};

/// The most a Tessera answer may weigh; a bigger one is not Tessera's.
const MAX_BODY: u64 = 1024 * 1024;

/// The most a sync answer may weigh: a pull page of 500 records of up to 64 KiB each.
pub(crate) const MAX_SYNC_BODY: u64 = 40 * 1024 * 1024;

/// How long to wait for a server before trying the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// To open the connection (3 s).
    pub connect: Duration,
    /// For the whole exchange, connection included (8 s).
    pub overall: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(3),
            overall: Duration::from_secs(8),
        }
    }
}

const JSON: &str = "application/json";

/// A request body as compact JSON. (ureq's `send_json` writes it pretty-printed: a data
/// check of 166 KB became more than the server's 256 KiB limit.)
fn compact<B: Serialize>(server: &str, body: &B) -> Result<Vec<u8>> {
    serde_json::to_vec(body).map_err(|e| transport(server, ureq::Error::Json(e)))
}

#[derive(Debug, Clone)]
pub(crate) struct Transport {
    agent: ureq::Agent,
}

impl Transport {
    pub(crate) fn new(timeouts: Timeouts) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(timeouts.connect))
            .timeout_global(Some(timeouts.overall))
            .max_redirects(0)
            .user_agent(concat!("tessera-client/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Transport { agent }
    }

    pub(crate) fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        server: &str,
        path: &str,
        body: &B,
        bearer: Option<&str>,
    ) -> Result<T> {
        self.post_limited(server, path, body, bearer, MAX_BODY)
    }

    /// A POST whose answer may weigh up to `limit` bytes (sync answers are bigger).
    pub(crate) fn post_limited<B: Serialize, T: DeserializeOwned>(
        &self,
        server: &str,
        path: &str,
        body: &B,
        bearer: Option<&str>,
        limit: u64,
    ) -> Result<T> {
        let mut req = self.agent.post(format!("{server}{path}"));
        if let Some(token) = bearer {
            req = req.header("Authorization", &format!("Bearer {token}"));
        }
        let resp = req
            .header("Content-Type", JSON)
            .send(&compact(server, body)?[..])
            .map_err(|e| transport(server, e))?;
        decode(server, resp, limit)
    }

    pub(crate) fn put<B: Serialize, T: DeserializeOwned>(
        &self,
        server: &str,
        path: &str,
        body: &B,
        bearer: &str,
    ) -> Result<T> {
        let resp = self
            .agent
            .put(format!("{server}{path}"))
            .header("Authorization", &format!("Bearer {bearer}"))
            .header("Content-Type", JSON)
            .send(&compact(server, body)?[..])
            .map_err(|e| transport(server, e))?;
        decode(server, resp, MAX_BODY)
    }

    pub(crate) fn get<T: DeserializeOwned>(&self, server: &str, path: &str) -> Result<T> {
        self.get_limited(server, path, None, MAX_BODY)
    }

    /// A GET with an optional bearer token whose answer may weigh up to `limit` bytes.
    pub(crate) fn get_limited<T: DeserializeOwned>(
        &self,
        server: &str,
        path: &str,
        bearer: Option<&str>,
        limit: u64,
    ) -> Result<T> {
        let mut req = self.agent.get(format!("{server}{path}"));
        if let Some(token) = bearer {
            req = req.header("Authorization", &format!("Bearer {token}"));
        }
        let resp = req.call().map_err(|e| transport(server, e))?;
        decode(server, resp, limit)
    }
}

fn decode<T: DeserializeOwned>(
    server: &str,
    mut resp: ureq::http::Response<ureq::Body>,
    limit: u64,
) -> Result<T> {
    let status = resp.status().as_u16();
    // `409 ANOTHER_SITE_SYNCING` and 429 say when to come back.
    let retry_after_secs = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let bytes = resp
        .body_mut()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|e| match transport(server, e) {
            // It did answer: an answer that breaks off or overflows is a bad one.
            ClientError::Unreachable { server, detail } => ClientError::BadResponse {
                server,
                detail: format!("the answer broke off: {detail}"),
            },
            other => other,
        })?;
    if status == 204 && bytes.is_empty() {
        // No content (a first sync's finish): read as JSON null, which `()` accepts.
        return serde_json::from_slice(b"null").map_err(|e| ClientError::BadResponse {
            server: server.to_owned(),
            detail: format!("status 204 where an answer was expected: {e}"),
        });
    }
    if (200..300).contains(&status) {
        return serde_json::from_slice(&bytes).map_err(|e| ClientError::BadResponse {
            server: server.to_owned(),
            detail: format!("status {status}, body is not the expected JSON: {e}"),
        });
    }
    if status == 409
        && let Ok(choice) = serde_json::from_slice::<InstallationChoice>(&bytes)
        && choice.code == tessera_api::ErrorCode::InstallationChoiceRequired.as_str()
    {
        return Err(ClientError::InstallationChoiceRequired(
            choice.installations,
        ));
    }
    match serde_json::from_slice::<ErrorBody>(&bytes) {
        Ok(e) => Err(ClientError::Refused {
            server: server.to_owned(),
            status,
            code: e.code,
            message: e.message,
            retry_after_secs,
        }),
        Err(_) => Err(ClientError::BadResponse {
            server: server.to_owned(),
            detail: format!("status {status} without a Tessera error body"),
        }),
    }
}

/// Sorts a ureq failure into "did not answer", "too slow" and "answered nonsense".
fn transport(server: &str, e: ureq::Error) -> ClientError {
    let server = server.to_owned();
    match e {
        ureq::Error::Timeout(_) => ClientError::Timeout { server },
        ureq::Error::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) =>
        {
            ClientError::Timeout { server }
        }
        ureq::Error::Io(io) => ClientError::Unreachable {
            server,
            detail: io.to_string(),
        },
        e @ (ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::Tls(_)
        | ureq::Error::Rustls(_)
        | ureq::Error::BadUri(_)) => ClientError::Unreachable {
            server,
            detail: e.to_string(),
        },
        other => ClientError::BadResponse {
            server,
            detail: other.to_string(),
        },
    }
}
