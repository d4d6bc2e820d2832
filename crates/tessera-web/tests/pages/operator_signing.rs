//! Signing keys in the console (C3): a rotation makes a new key sign while the old one
//! still verifies; retiring asks for the warning to be confirmed, never retires the active
//! key, and then the key is retired for verifiers too.

use reqwest::StatusCode;
use tessera_testkit::{Backend, spawn_app};

use crate::operator::operator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_rotates_and_retires_a_signing_key_after_reading_the_warning() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let first = app.api().public_keys().await.unwrap().keys;
    assert_eq!(first.len(), 1);
    let old = first[0].key_id.clone();
    let mut v = operator(&app).await;
    let page = v.get("/operator/signing-keys").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(
        page.text
            .contains(&format!("data-signing-key=\"{old}\" data-active=\"true\""))
    );
    assert!(
        !page.text.contains("/retire\""),
        "the active key cannot be retired"
    );
    let csrf = page.hidden("csrf").unwrap();

    let rotated = v
        .post("/operator/signing-keys/rotate", &[("csrf", &csrf)])
        .await;
    assert_eq!(rotated.location(), "/operator/signing-keys?done=rotated");
    let keys = app.api().public_keys().await.unwrap().keys;
    assert_eq!(keys.len(), 2);
    let new = keys.iter().find(|k| k.active).unwrap().key_id.clone();
    assert_ne!(new, old);
    let page = v.get("/operator/signing-keys?done=rotated").await;
    assert!(page.text.contains("A new key signs from now on."));
    assert!(
        page.text
            .contains("clients stop trusting everything it signed"),
        "the warning"
    );

    let retire = format!("/operator/signing-keys/{old}/retire");
    let unconfirmed = v.post(&retire, &[("csrf", &csrf)]).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unconfirmed.text.contains("Tick the box"),
        "{}",
        unconfirmed.text
    );
    assert!(
        app.api()
            .public_keys()
            .await
            .unwrap()
            .keys
            .iter()
            .all(|k| k.retired_at.is_none())
    );
    let active = v
        .post(
            &format!("/operator/signing-keys/{new}/retire"),
            &[("csrf", &csrf), ("understood", "yes")],
        )
        .await;
    assert_eq!(active.status, StatusCode::CONFLICT, "{}", active.text);

    let retired = v
        .post(&retire, &[("csrf", &csrf), ("understood", "yes")])
        .await;
    assert_eq!(retired.location(), "/operator/signing-keys?done=retired");
    let keys = app.api().public_keys().await.unwrap().keys;
    let old_key = keys.iter().find(|k| k.key_id == old).unwrap();
    assert!(old_key.retired_at.is_some());
    let page = v.get("/operator/signing-keys").await;
    assert!(
        !page.text.contains(&format!("{old}/retire")),
        "retired once"
    );
}
