//! Webhooks (X7 in docs/requirements.md): business events delivered to the vendor's own
//! systems (an ERP, a CRM) as signed HTTP posts. Which recorded actions are events, the
//! rules of an endpoint's address, the retry schedule, and how a delivery is signed (the
//! `signed_header` scheme, the same the payment provider uses towards Tessera).

use jiff::{SignedDuration, Timestamp};

/// The events a webhook can carry: the audit log's action names, which every change writes
/// in its own transaction (so an event exists exactly when its change committed).
pub const EVENTS: [&str; 19] = [
    "account.registered",
    "site.activated",
    "site.deactivated",
    "site.transferred",
    "site.suspended",
    "site.resumed",
    "site.expired",
    "key.revoked",
    "subscription.trial",
    "order.paid",
    "subscription.renewed",
    "subscription.expired",
    "subscription.state",
    "service.on",
    "service.off",
    "payment.unapplied",
    "release.published",
    "release.withdrawn",
    "release.restored",
];

/// Whether the recorded action `action` is an event webhooks carry.
pub fn is_event(action: &str) -> bool {
    EVENTS.contains(&action)
}

/// An endpoint's subscription: event names, or `*` for every event.
pub fn parse_events(events: &[String]) -> Result<Vec<String>, String> {
    if events.is_empty() {
        return Err("name at least one event, or * for every event".into());
    }
    let mut out: Vec<String> = Vec::new();
    for e in events {
        let e = e.trim();
        if e != "*" && !is_event(e) {
            return Err(format!(
                "'{e}' is not an event; the events are {}",
                EVENTS.join(", ")
            ));
        }
        if !out.iter().any(|o| o == e) {
            out.push(e.to_owned());
        }
    }
    Ok(out)
}

/// Whether an endpoint subscribed to `events` gets `event`.
pub fn wants(events: &[String], event: &str) -> bool {
    events.iter().any(|e| e == "*" || e == event)
}

/// An endpoint's address: `https://…`; plain `http` only to a loopback host and only when
/// the server allows it (tests, a receiver on the same machine).
pub fn endpoint_url(input: &str, allow_http_loopback: bool) -> Result<String, String> {
    let text = input.trim();
    let url = url::Url::parse(text).map_err(|e| format!("'{text}' is not a URL: {e}"))?;
    let loopback = matches!(url.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback())
        || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback())
        || url.host_str() == Some("localhost");
    if !url.username().is_empty() || url.password().is_some() {
        return Err("an endpoint address carries no user or password".into());
    }
    match url.scheme() {
        "https" => Ok(url.to_string()),
        "http" if loopback && allow_http_loopback => Ok(url.to_string()),
        _ => Err("an endpoint address starts with https://".into()),
    }
}

/// The first retry comes after this…
pub const FIRST_RETRY: SignedDuration = SignedDuration::from_secs(30);
/// …then each waits twice as long, up to this.
pub const MAX_RETRY: SignedDuration = SignedDuration::from_hours(1);
/// A delivery still failing this long after its event is given up (`failed`); it can be
/// sent again by hand. Until then later events of the same subject wait behind it, so a
/// receiver sees each subject's events in order.
pub const GIVE_UP_AFTER: SignedDuration = SignedDuration::from_hours(72);

/// What becomes of a delivery after a failed attempt, its `attempts`-th, at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    RetryAt(Timestamp),
    GiveUp,
}

pub fn after_failure(attempts: u32, event_at: Timestamp, now: Timestamp) -> AfterFailure {
    if now.duration_since(event_at) >= GIVE_UP_AFTER {
        return AfterFailure::GiveUp;
    }
    AfterFailure::RetryAt(now + crate::schedule::backoff(attempts, FIRST_RETRY, MAX_RETRY))
}

/// The `Tessera-Signature` header of a delivery of `body` sent at `at`.
pub fn signature(secret: &str, at: Timestamp, body: &[u8]) -> String {
    crate::signed_header::sign(secret.as_bytes(), at.as_second(), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn an_endpoint_names_events_it_wants() {
        let all = parse_events(&["*".into()]).unwrap();
        assert!(wants(&all, "site.activated"));
        let some = parse_events(&["site.activated".into(), " site.activated ".into()]).unwrap();
        assert_eq!(some, ["site.activated"]);
        assert!(!wants(&some, "order.paid"));
        assert!(parse_events(&["site.exploded".into()]).is_err());
        assert!(parse_events(&[]).is_err());
    }

    #[test]
    fn endpoints_are_https_unless_loopback_is_allowed() {
        assert!(endpoint_url("https://erp.vendor.example/hooks", false).is_ok());
        assert!(endpoint_url("http://127.0.0.1:9000/hooks", false).is_err());
        assert!(endpoint_url("http://127.0.0.1:9000/hooks", true).is_ok());
        assert!(endpoint_url("http://[::1]:9000/hooks", true).is_ok());
        assert!(endpoint_url("http://erp.vendor.example/hooks", true).is_err());
        assert!(endpoint_url("https://user:pw@erp.vendor.example/", false).is_err());
        assert!(endpoint_url("ftp://erp.vendor.example/", true).is_err());
    }

    #[test]
    fn retries_double_then_stop_after_three_days() {
        let event = at("2026-12-01T00:00:00Z");
        let now = at("2026-12-01T00:10:00Z");
        assert_eq!(
            after_failure(1, event, now),
            AfterFailure::RetryAt(now + FIRST_RETRY)
        );
        assert_eq!(
            after_failure(3, event, now),
            AfterFailure::RetryAt(now + SignedDuration::from_secs(120))
        );
        assert_eq!(
            after_failure(30, event, now),
            AfterFailure::RetryAt(now + MAX_RETRY)
        );
        assert_eq!(
            after_failure(40, event, at("2026-12-04T00:00:00Z")),
            AfterFailure::GiveUp
        );
    }

    #[test]
    fn a_delivery_is_signed_over_its_timestamp_and_body() {
        let body = br#"{"id":1}"#;
        let sent = at("2026-12-01T00:00:00Z");
        let header = signature("whsec", sent, body);
        assert!(header.starts_with(&format!("t={},v1=", sent.as_second())));
        assert_eq!(
            crate::signed_header::verify(b"whsec", &header, body, sent),
            Ok(())
        );
    }
}
