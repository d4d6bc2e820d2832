//! Found as bugs by these tests and fixed since.

use super::*;

both_backends!(
    a_password_reset_ends_the_other_reset_tokens,
    failed_portal_logins_count_per_account_not_per_typed_name,
    search_finds_company_names_with_non_ascii_capitals,
    an_unknown_key_learns_nothing_about_taken_names,
);

/// A reset ends every session; it should end the account's other reset tokens too, or an
/// older token (a second request, a leaked mail) resets the new password again for an hour.
async fn a_password_reset_ends_the_other_reset_tokens(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    for _ in 0..2 {
        let resp = request_reset(&app, "jack@example.com").await;
        assert_eq!(resp.status(), StatusCode::ACCEPTED);
    }
    let tokens = reset_tokens(&app, "jack@example.com").await;
    let resp = confirm_reset(&app, &tokens[1], NEW_PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    error(
        confirm_reset(&app, &tokens[0], "the attacker's passphrase").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "RESET_TOKEN_INVALID",
    )
    .await;
    ok::<LoginResponse>(
        portal_login(&app, "jack", NEW_PASSWORD).await,
        StatusCode::OK,
    )
    .await;
}

/// Five failures lock an account for the window (`ACCOUNT_FAILURES`), whichever of its two
/// login names was typed.
async fn failed_portal_logins_count_per_account_not_per_typed_name(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    for _ in 0..5 {
        error(
            portal_login(&app, "jack", "wrong password guess").await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
        )
        .await;
    }
    error(
        portal_login(&app, "jack", "wrong password guess").await,
        StatusCode::TOO_MANY_REQUESTS,
        "TOO_MANY_REQUESTS",
    )
    .await;
    error(
        portal_login(&app, "jack@example.com", "wrong password guess").await,
        StatusCode::TOO_MANY_REQUESTS,
        "TOO_MANY_REQUESTS",
    )
    .await;
}

/// Company names starting with Ö, É, Å… are found by what the operator types.
async fn search_finds_company_names_with_non_ascii_capitals(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    let mut body = registration("oeko", "oeko@example.at", "ATU13585627", &keys[0]);
    body.company.country = "AT".into();
    body.company.name = "Österreich Logistik GmbH".into();
    let account = registered(&app, &body).await;
    for q in ["Österreich", "österreich", "ÖSTERREICH"] {
        assert_eq!(
            listed(&app, &format!("?q={}", encode(q))).await,
            [account.id],
            "q={q:?}"
        );
    }
}

/// Without a key that can be registered, nobody learns what is taken: a well-formed key that
/// does not exist gets KEY_INVALID even when the username, email and VAT number belong to an
/// account.
async fn an_unknown_key_learns_nothing_about_taken_names(app: TestApp) {
    let keys = product_with_keys(&app, "probe", 1, 0).await;
    register(
        &app,
        "probe.owner",
        "probe@example.com",
        IT_VATS[3],
        &keys[0],
    )
    .await;
    let unknown = ProductKey::generate(&mut rand::rngs::OsRng).to_string();
    let probe = registration("probe.owner", "probe@example.com", IT_VATS[3], &unknown);
    let resp = post_registration(&app, &probe).await;
    error(resp, StatusCode::UNPROCESSABLE_ENTITY, "KEY_INVALID").await;
}
