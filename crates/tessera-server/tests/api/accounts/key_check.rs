//! B1: the public "check product key" step before the registration form. It says whether a
//! key can be registered and nothing else, and counts as a key lookup.

use tessera_api::KeyCheck;
use tessera_server::Config;
use tessera_server::config::RateLimits;

use super::*;

both_backends!(
    key_check_answers_only_whether_a_key_is_free,
    key_checks_are_limited_like_key_lookups with two_lookups_per_key,
);

async fn key_check_answers_only_whether_a_key_is_free(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 3, 0).await;
    let (fresh, revoked, taken) = (&keys[0], &keys[1], &keys[2]);
    let reason = RevokeKey {
        reason: "refunded".into(),
    };
    app.api().revoke_key(revoked, &reason).await.unwrap();
    register(&app, "bob", "bob@example.com", IT_VATS[1], taken).await;
    let anonymous = app.api_as(None);

    // A free key, however it is typed, answers with its canonical form and nothing more.
    let retyped = fresh.replace('-', "").to_lowercase();
    let check = anonymous.check_key(&retyped).await.unwrap();
    assert_eq!(
        check,
        KeyCheck {
            product_key: fresh.clone(),
            registrable: true,
        }
    );
    let raw: Value = ok(
        app.send(
            Method::POST,
            "/api/v1/accounts/key-check",
            &serde_json::json!({ "product_key": fresh }),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let members: Vec<&String> = raw.as_object().unwrap().keys().collect();
    assert_eq!(members, ["product_key", "registrable"], "{raw}");

    // Unknown, revoked and another account's keys: one and the same answer.
    let mut answers = Vec::new();
    for key in [never_issued(), revoked.clone(), taken.clone()] {
        let e = refused(
            anonymous.check_key(&key).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        );
        answers.push((e.code, e.message, e.field));
    }
    assert_eq!(answers[0].2.as_deref(), Some("product_key"));
    assert_eq!(answers[0], answers[1], "unknown vs revoked");
    assert_eq!(answers[0], answers[2], "unknown vs registered elsewhere");

    // Mistyped keys are refused for what is wrong with them, naming the field.
    for (typed, code) in [
        (mistyped(fresh), "KEY_CHECKSUM_INVALID"),
        ("ABC".to_owned(), "KEY_FORMAT_INVALID"),
    ] {
        let e = refused(
            anonymous.check_key(&typed).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        );
        assert_eq!(e.field.as_deref(), Some("product_key"));
    }

    // Checking changes nothing: the key is still free, and registers.
    assert_eq!(key_status(&app, fresh).await, "issued");
    register(&app, "jack", "jack@example.com", IT_VATS[0], fresh).await;
    refused(
        anonymous.check_key(fresh).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_INVALID",
    );
}

fn two_lookups_per_key(config: &mut Config) {
    config.rate_limits = RateLimits {
        key_lookups_per_ip: 5,
        key_lookups_per_key: 2,
        ..RateLimits::off()
    };
}

async fn key_checks_are_limited_like_key_lookups(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 0).await;
    let anonymous = app.api_as(None);
    // Two a minute per key, however it is typed.
    anonymous.check_key(&keys[0]).await.unwrap();
    anonymous.check_key(&keys[0].to_lowercase()).await.unwrap();
    refused(
        anonymous.check_key(&keys[0]).await,
        StatusCode::TOO_MANY_REQUESTS,
        "TOO_MANY_REQUESTS",
    );
    // Another key has its own allowance; the address has five in all, refused ones too.
    anonymous.check_key(&keys[1]).await.unwrap();
    refused(
        anonymous.check_key(&never_issued()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_INVALID",
    );
    refused(
        anonymous.check_key(&keys[1]).await,
        StatusCode::TOO_MANY_REQUESTS,
        "TOO_MANY_REQUESTS",
    );
}
