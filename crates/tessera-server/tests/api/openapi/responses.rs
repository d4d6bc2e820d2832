//! Answers match the document: every 409 of an activation — the list to choose from and the
//! plain conflicts — has what the documented schema requires.

use reqwest::StatusCode;

use super::*;
use crate::fixtures::{IT_VATS, activate, fp, product_with_keys, register};
use crate::harness::*;

both_backends!(activation_conflicts_have_what_the_document_requires);

/// The properties the document's 409 of `POST /api/v1/activations` requires.
fn required_of_conflict(doc: &Value) -> Vec<String> {
    let schema = &doc["paths"]["/api/v1/activations"]["post"]["responses"]["409"]["content"]["application/json"]
        ["schema"];
    let schema = resolve(doc, schema);
    schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect()
}

async fn activation_conflicts_have_what_the_document_requires(app: TestApp) {
    let required = required_of_conflict(&document());
    let keys = product_with_keys(&app, "crm", 1, 0).await;
    register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    let first = activate(&app, "jack@example.com", &keys[0], &fp('a')).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    // Another machine, no transfers allowed: KEY_ALREADY_ACTIVATED.
    let conflict = activate(&app, "jack@example.com", &keys[0], &fp('b')).await;
    assert_eq!(conflict.status(), StatusCode::CONFLICT);
    let body: Value = conflict.json().await.unwrap();
    assert_eq!(body["code"], "KEY_ALREADY_ACTIVATED");
    for name in &required {
        assert!(
            body.get(name).is_some(),
            "{name} required by the document, not in {body}"
        );
    }
}
