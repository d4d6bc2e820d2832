//! A3: a key's history tells everything that happened to it — its batch, and the
//! installation it was registered as: activated, moved to another machine, released — and
//! nothing of another key's installation.

use tessera_testkit::fixtures::IT_VATS;
use tessera_testkit::scenarios::{activate, fp, product_with_keys, register};

use super::*;

both_backends!(a_keys_history_holds_its_installations_events,);

async fn a_keys_history_holds_its_installations_events(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 1).await;
    let mine = register(&app, "rossi", "rossi@example.com", IT_VATS[0], &keys[0]).await;
    register(&app, "bianchi", "bianchi@example.com", IT_VATS[1], &keys[1]).await;
    let site = mine.installations[0].site_id.clone();

    let first = activate(&app, "rossi@example.com", &keys[0], &fp('a')).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let other = activate(&app, "bianchi@example.com", &keys[1], &fp('c')).await;
    assert_eq!(other.status(), StatusCode::CREATED);
    let moved = activate(&app, "rossi@example.com", &keys[0], &fp('b')).await;
    assert!(moved.status().is_success(), "{}", moved.status());
    app.api().deactivate_site(&site).await.unwrap();

    let history = app.api().key_history(&keys[0]).await.unwrap();
    let site_events: Vec<(&str, Option<&str>)> = history
        .events
        .iter()
        .filter(|e| e.action.starts_with("site."))
        .map(|e| (e.action.as_str(), e.detail.as_deref()))
        .collect();
    let fingerprint = |c: char| format!("fingerprint {}…", &fp(c)[..12]);
    let (a, b) = (fingerprint('a'), fingerprint('b'));
    assert!(
        site_events.ends_with(&[
            ("site.activated", Some(a.as_str())),
            ("site.transferred", Some(b.as_str())),
            ("site.deactivated", None),
        ]),
        "{site_events:?}"
    );
    assert!(
        !history
            .events
            .iter()
            .any(|e| e.detail.as_deref() == Some(fingerprint('c').as_str())),
        "another key's activation is not in this key's history"
    );
    let actions: Vec<&str> = history.events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions[..2],
        ["batch.created", "batch.filled"],
        "{actions:?}"
    );
}
