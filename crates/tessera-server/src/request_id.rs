//! Request ids: the client's own `x-request-id` when it is a plain token (up to 64 of
//! `A-Z a-z 0-9 . _ : -`), otherwise ours. The id goes into the logs, the operations log and
//! its CSV export, so a client must not put arbitrary text there.

use axum::extract::Request;
use axum::http::HeaderValue;
use tower_http::request_id::{MakeRequestId, RequestId};

const HEADER: &str = "x-request-id";

/// Longest request id taken from a client.
pub const MAX_LEN: usize = 64;

/// Is `value` a request id we keep as the client sent it?
pub fn acceptable(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    (1..=MAX_LEN).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"._:-".contains(b))
}

/// Drops the client's request id(s) unless there is exactly one and it is acceptable, so
/// that [`Sequential`] gives the request one of ours.
pub fn drop_unacceptable(mut request: Request) -> Request {
    let mut sent = request.headers().get_all(HEADER).iter();
    let keep = matches!((sent.next(), sent.next()), (Some(v), None) if acceptable(v));
    if !keep {
        request.headers_mut().remove(HEADER);
    }
    request
}

/// Our request ids: a random per-process prefix and a counter (`3f9a1c02-17`). Unique enough
/// to find a request in the logs, and unlike a UUID per request it costs no system call.
#[derive(Clone)]
pub struct Sequential {
    prefix: std::sync::Arc<str>,
    next: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Sequential {
    pub fn new() -> Self {
        use rand::RngCore;
        let prefix = format!("{:08x}", rand::rngs::OsRng.next_u32());
        Sequential {
            prefix: prefix.into(),
            next: Default::default(),
        }
    }
}

impl Default for Sequential {
    fn default() -> Self {
        Sequential::new()
    }
}

impl MakeRequestId for Sequential {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n:x}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_tokens_are_kept() {
        let ok = |s: &str| acceptable(&HeaderValue::from_str(s).unwrap());
        assert!(ok("3f9a1c02-17"));
        assert!(ok("req.2026:Ab_9"));
        assert!(ok(&"a".repeat(64)));
        assert!(!ok(&"a".repeat(65)));
        assert!(!ok(""));
        assert!(!ok("=HYPERLINK(\"http://evil\",\"x\")"));
        assert!(!ok("a b"));
        assert!(!ok("+1"));
        assert!(!ok("@SUM(1)"));
    }
}
