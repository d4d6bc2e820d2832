//! B1: refused registrations store nothing.
// Raw JSON only where a Registration cannot say the body: members missing or of the wrong type.

use serde_json::json;

use super::*;

/// A copy of `base` changed by `change`.
fn changed(base: &Registration, change: impl FnOnce(&mut Registration)) -> Registration {
    let mut body = base.clone();
    change(&mut body);
    body
}

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
    let both_emails = |e: &str| {
        changed(&base, |r| {
            r.email = e.into();
            r.email_confirm = e.into();
        })
    };
    let cases: Vec<(Registration, &str, &str)> = vec![
        (
            changed(&base, |r| r.email_confirm = "jack@example.org".into()),
            "EMAIL_MISMATCH",
            "email_confirm",
        ),
        (both_emails("jack@localhost"), "EMAIL_INVALID", "email"),
        // The password typed twice: exactly, a letter's case counts.
        (
            changed(&base, |r| r.password_confirm = PASSWORD.to_uppercase()),
            "PASSWORD_MISMATCH",
            "password_confirm",
        ),
        (
            changed(&base, |r| r.password_confirm = String::new()),
            "PASSWORD_MISMATCH",
            "password_confirm",
        ),
        (
            changed(&base, |r| r.company.fax = Some("fax me".into())),
            "PHONE_INVALID",
            "company.fax",
        ),
        (
            changed(&base, |r| r.company.company_email = Some("office".into())),
            "EMAIL_INVALID",
            "company.company_email",
        ),
        (both_emails("jack"), "EMAIL_INVALID", "email"),
        (
            changed(&base, |r| r.password = "too short".into()),
            "PASSWORD_TOO_SHORT",
            "password",
        ),
        (
            changed(&base, |r| r.username = "jack white".into()),
            "USERNAME_INVALID",
            "username",
        ),
        (
            changed(&base, |r| r.username = "jw".into()),
            "USERNAME_INVALID",
            "username",
        ),
        (
            changed(&base, |r| r.company.city = "  ".into()),
            "FIELD_REQUIRED",
            "company.city",
        ),
        (
            changed(&base, |r| r.company.name = "".into()),
            "FIELD_REQUIRED",
            "company.name",
        ),
        (
            changed(&base, |r| r.company.country = "ITA".into()),
            "COUNTRY_INVALID",
            "company.country",
        ),
        (
            changed(&base, |r| r.company.vat_number = "IT123".into()),
            "VAT_NUMBER_INVALID",
            "company.vat_number",
        ),
        // A wrong check digit.
        (
            changed(&base, |r| r.company.vat_number = "00743110158".into()),
            "VAT_NUMBER_INVALID",
            "company.vat_number",
        ),
        // A German VAT number for an Italian company.
        (
            changed(&base, |r| r.company.vat_number = "DE136695976".into()),
            "VAT_COUNTRY_MISMATCH",
            "company.vat_number",
        ),
        (
            changed(&base, |r| r.company.country = "JP".into()),
            "VAT_COUNTRY_UNSUPPORTED",
            "company.vat_number",
        ),
        (
            changed(&base, |r| r.contact.mobile = "call me".into()),
            "PHONE_INVALID",
            "contact.mobile",
        ),
        (
            changed(&base, |r| r.contact.phone = "+39 12".into()),
            "PHONE_INVALID",
            "contact.phone",
        ),
        (
            changed(&base, |r| r.contact.last_name = "".into()),
            "FIELD_REQUIRED",
            "contact.last_name",
        ),
        (
            changed(&base, |r| r.reseller.city = "".into()),
            "FIELD_REQUIRED",
            "reseller.city",
        ),
        (
            changed(&base, |r| r.privacy_accepted = false),
            "PRIVACY_NOT_ACCEPTED",
            "privacy_accepted",
        ),
        (
            changed(&base, |r| r.product_key = mistyped(fresh)),
            "KEY_CHECKSUM_INVALID",
            "product_key",
        ),
        (
            changed(&base, |r| r.product_key = "ABC".into()),
            "KEY_FORMAT_INVALID",
            "product_key",
        ),
    ];
    for (body, code, field) in cases {
        let e = refused(
            app.api_as(None).register(&body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        );
        assert_eq!(e.field.as_deref(), Some(field), "{code}: {}", e.message);
    }
    let raw = registration_json("jack", "jack@example.com", IT_VATS[0], fresh);
    let malformed: Vec<(Value, &str, &str)> = vec![
        // Missing or mistyped JSON members name the member.
        (
            without(&raw, "/product_key"),
            "INVALID_FIELD",
            "product_key",
        ),
        // The confirmation is required: a client that does not send it is refused.
        (
            without(&raw, "/password_confirm"),
            "INVALID_FIELD",
            "password_confirm",
        ),
        (
            without(&raw, "/company/city"),
            "INVALID_FIELD",
            "company.city",
        ),
        (
            with(&raw, "/company/tanks", json!(-1)),
            "INVALID_FIELD",
            "company.tanks",
        ),
        (
            with(&raw, "/privacy_accepted", json!("yes")),
            "INVALID_FIELD",
            "privacy_accepted",
        ),
    ];
    for (body, code, field) in malformed {
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
        let e = refused(
            app.api_as(None)
                .register(&changed(&base, |r| r.product_key = key.clone()))
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        );
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
    refused(
        app.api_as(None)
            .register(&changed(&base, |r| r.company.name = "x".repeat(300 * 1024)))
            .await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "BODY_TOO_LARGE",
    );

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
    let jack = registered(&app, &base).await;
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
