//! B1: refused registrations store nothing.
// Raw JSON here: the cases break the registration member by member, some into shapes the
// typed Registration cannot hold (a member missing, a number below zero, a string for a bool).

use serde_json::json;

use super::*;
use crate::fixtures::registration_json as registration;

both_backends!(refused_registrations_store_nothing,);

async fn refused_registrations_store_nothing(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 3, 0).await;
    let (fresh, revoked, taken) = (&keys[0], &keys[1], &keys[2]);
    let reason = RevokeKey {
        reason: "refunded".into(),
    };
    app.api().revoke_key(revoked, &reason).await.unwrap();
    let bob = register(&app, "bob", "bob@example.com", IT_VATS[1], taken).await;
    let bob_id = bob.id;

    let base = registration("jack", "jack@example.com", IT_VATS[0], fresh);
    let both_emails = |e: &str| with(&with(&base, "/email", json!(e)), "/email_confirm", json!(e));
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            with(&base, "/email_confirm", json!("jack@example.org")),
            "EMAIL_MISMATCH",
            "email_confirm",
        ),
        (both_emails("jack@localhost"), "EMAIL_INVALID", "email"),
        (both_emails("jack"), "EMAIL_INVALID", "email"),
        (
            with(&base, "/password", json!("too short")),
            "PASSWORD_TOO_SHORT",
            "password",
        ),
        (
            with(&base, "/username", json!("jack white")),
            "USERNAME_INVALID",
            "username",
        ),
        (
            with(&base, "/username", json!("jw")),
            "USERNAME_INVALID",
            "username",
        ),
        (
            with(&base, "/company/city", json!("  ")),
            "FIELD_REQUIRED",
            "company.city",
        ),
        (
            with(&base, "/company/name", json!("")),
            "FIELD_REQUIRED",
            "company.name",
        ),
        (
            with(&base, "/company/country", json!("ITA")),
            "COUNTRY_INVALID",
            "company.country",
        ),
        (
            with(&base, "/company/vat_number", json!("IT123")),
            "VAT_NUMBER_INVALID",
            "company.vat_number",
        ),
        // A wrong check digit.
        (
            with(&base, "/company/vat_number", json!("00743110158")),
            "VAT_NUMBER_INVALID",
            "company.vat_number",
        ),
        // A German VAT number for an Italian company.
        (
            with(&base, "/company/vat_number", json!("DE136695976")),
            "VAT_COUNTRY_MISMATCH",
            "company.vat_number",
        ),
        (
            with(&base, "/company/country", json!("JP")),
            "VAT_COUNTRY_UNSUPPORTED",
            "company.vat_number",
        ),
        (
            with(&base, "/contact/mobile", json!("call me")),
            "PHONE_INVALID",
            "contact.mobile",
        ),
        (
            with(&base, "/contact/phone", json!("+39 12")),
            "PHONE_INVALID",
            "contact.phone",
        ),
        (
            with(&base, "/contact/last_name", json!("")),
            "FIELD_REQUIRED",
            "contact.last_name",
        ),
        (
            with(&base, "/reseller/city", json!("")),
            "FIELD_REQUIRED",
            "reseller.city",
        ),
        (
            with(&base, "/privacy_accepted", json!(false)),
            "PRIVACY_NOT_ACCEPTED",
            "privacy_accepted",
        ),
        (
            with(&base, "/product_key", json!(mistyped(fresh))),
            "KEY_CHECKSUM_INVALID",
            "product_key",
        ),
        (
            with(&base, "/product_key", json!("ABC")),
            "KEY_FORMAT_INVALID",
            "product_key",
        ),
        // Missing or mistyped JSON members name the member.
        (
            without(&base, "/product_key"),
            "INVALID_FIELD",
            "product_key",
        ),
        (
            without(&base, "/company/city"),
            "INVALID_FIELD",
            "company.city",
        ),
        (
            with(&base, "/company/tanks", json!(-1)),
            "INVALID_FIELD",
            "company.tanks",
        ),
        (
            with(&base, "/privacy_accepted", json!("yes")),
            "INVALID_FIELD",
            "privacy_accepted",
        ),
    ];
    for (body, code, field) in cases {
        let e = error(
            post_registration(&app, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(e.field.as_deref(), Some(field), "{code}: {}", e.message);
    }

    // Unknown, revoked and registered keys get one and the same answer.
    let mut answers = Vec::new();
    for key in [never_issued(), revoked.clone(), taken.clone()] {
        let e = error(
            post_registration(&app, &with(&base, "/product_key", json!(key))).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await;
        answers.push((e.code, e.message, e.field));
    }
    assert_eq!(answers[0].2.as_deref(), Some("product_key"));
    assert_eq!(answers[0], answers[1], "unknown vs revoked");
    assert_eq!(answers[0], answers[2], "unknown vs registered elsewhere");

    // Not JSON, and too much of it.
    error(
        app.post_raw(REGISTER, "{\"username\": \"jack\", ").await,
        StatusCode::BAD_REQUEST,
        "MALFORMED_JSON",
    )
    .await;
    error(
        post_registration(
            &app,
            &with(&base, "/company/name", json!("x".repeat(300 * 1024))),
        )
        .await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "BODY_TOO_LARGE",
    )
    .await;

    // Nothing of all that was stored: no account, no mail, keys as they were.
    assert_eq!(listed(&app, "").await, [bob_id]);
    assert!(
        app.store
            .mail_to("jack@example.com")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(key_status(&app, fresh).await, "issued");
    assert!(
        !key_actions(&app, fresh)
            .await
            .iter()
            .any(|a| a == "key.registered")
    );
    assert_eq!(key_status(&app, revoked).await, "revoked");
    let bob_now: Account = ok(
        app.get(&format!("/api/v1/accounts/{bob_id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(bob_now.installations.len(), 1);
    assert_eq!(&bob_now.installations[0].product_key, taken);

    // The corrected form registers with the same key.
    let corrected = crate::fixtures::registration("jack", "jack@example.com", IT_VATS[0], fresh);
    let jack = registered(&app, &corrected).await;
    assert_eq!(&jack.installations[0].product_key, fresh);
    assert_eq!(listed(&app, "").await, [bob_id, jack.id]);
}

/// A copy of `base` with the member at the JSON pointer set to `value`.
fn with(base: &Value, pointer: &str, value: Value) -> Value {
    let mut body = base.clone();
    *body
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in the body")) = value;
    body
}

/// A copy of `base` without the member at the JSON pointer.
fn without(base: &Value, pointer: &str) -> Value {
    let mut body = base.clone();
    let (parent, name) = pointer.rsplit_once('/').unwrap();
    body.pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .and_then(|o| o.remove(name))
        .unwrap_or_else(|| panic!("no {pointer} in the body"));
    body
}
