//! What the stories assert about answers: a success's body, an error's status and code, a
//! typed call's refusal; and waiting for what happens over the network.

use std::time::{Duration, Instant};

use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;
use tessera_api::ErrorBody;
use tessera_api_client::ApiError;

/// Polls until `probe` gives a value, for at most 10 s: for what must happen over the
/// network (a mail reaching the sink, a change reaching another instance).
pub async fn until<T>(what: &str, mut probe: impl AsyncFnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// The body of a success of the given status, parsed.
pub async fn ok<T: DeserializeOwned>(resp: Response, status: StatusCode) -> T {
    let got = resp.status();
    let text = resp.text().await.unwrap();
    assert_eq!(got, status, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("body does not parse ({e}): {text}"))
}

/// Asserts an error response with the status and stable code; returns its body.
pub async fn error(resp: Response, status: StatusCode, code: &str) -> ErrorBody {
    let got = resp.status();
    let text = resp.text().await.unwrap();
    assert_eq!(got, status, "unexpected status; body: {text}");
    let body: ErrorBody =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not an error body ({e}): {text}"));
    assert_eq!(body.code, code, "unexpected code; body: {text}");
    body
}

/// Asserts that a typed call failed with the status and stable code; returns the error body.
#[track_caller]
pub fn refused<T: std::fmt::Debug>(
    result: Result<T, ApiError>,
    status: StatusCode,
    code: &str,
) -> ErrorBody {
    match result {
        Err(ApiError::Api { status: got, body }) => {
            assert_eq!(got, status, "unexpected status; body: {body:?}");
            assert_eq!(body.code, code, "unexpected code; body: {body:?}");
            body
        }
        other => panic!("expected {status} {code}, got {other:?}"),
    }
}
