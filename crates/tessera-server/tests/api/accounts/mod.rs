//! Customer accounts over HTTP (B1–B4): registration, further keys, portal sessions, password
//! reset by emailed token, isolation between accounts, and the operators' view of accounts.

use jiff::SignedDuration;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use tessera_api::{Account, AccountPage, KeyHistory, KeyInfo, LoginResponse, Site, SiteList};
use tessera_core::ProductKey;

use crate::fixtures::*;
// The registration tests change and break the body field by field: they send it as JSON.
use crate::fixtures::registration_json as registration;
use crate::harness::*;

both_backends!(
    an_unknown_key_learns_nothing_about_taken_names,
    registration_stores_account_key_and_mail,
    refused_registrations_store_nothing,
    swiss_british_and_us_vat_numbers_are_accepted,
    duplicates_are_refused_and_leave_the_key_free,
    an_account_adds_further_keys,
    portal_sessions_sign_in_out_and_expire,
    password_reset_by_emailed_token,
    accounts_see_only_their_own_sites,
    operators_list_search_and_open_accounts,
);

const REGISTER: &str = "/api/v1/accounts";
const NEW_PASSWORD: &str = "a brand new passphrase";
/// Further valid partite IVA, besides [`IT_VATS`].
const MORE_VATS: [&str; 4] = ["00000030007", "00000040006", "00000050005", "00000060004"];

// ---------------------------------------------------------------------------------------------
// Helpers

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

/// The reseller block of the standard registration body.
fn reseller() -> Value {
    registration("x", "x@example.com", IT_VATS[0], "")["reseller"].clone()
}

/// `key` with its first symbol changed: the check symbol no longer matches.
fn mistyped(key: &str) -> String {
    let mut chars: Vec<char> = key.chars().collect();
    chars[0] = if chars[0] == '2' { '3' } else { '2' };
    chars.into_iter().collect()
}

/// A well-formed key (its check symbol fits) that was never issued.
fn never_issued() -> String {
    ProductKey::generate(&mut rand::rngs::OsRng).to_string()
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// POST /api/v1/accounts without any token, as a visitor registers.
async fn post_registration(app: &TestApp, body: &Value) -> Response {
    app.call(Method::POST, REGISTER, Some(body), None).await
}

async fn registered(app: &TestApp, body: &Value) -> Account {
    ok(post_registration(app, body).await, StatusCode::CREATED).await
}

async fn key_status(app: &TestApp, key: &str) -> String {
    let info: KeyInfo = ok(
        app.get(&format!("/api/v1/keys/{key}")).await,
        StatusCode::OK,
    )
    .await;
    info.status
}

async fn key_actions(app: &TestApp, key: &str) -> Vec<String> {
    let history: KeyHistory = ok(
        app.get(&format!("/api/v1/keys/{key}/history")).await,
        StatusCode::OK,
    )
    .await;
    history.events.into_iter().map(|e| e.action).collect()
}

/// Account ids the operators' list shows for `query` (appended to the path as is).
async fn listed(app: &TestApp, query: &str) -> Vec<i64> {
    let page: AccountPage = ok(
        app.get(&format!("/api/v1/accounts{query}")).await,
        StatusCode::OK,
    )
    .await;
    page.accounts.iter().map(|a| a.id).collect()
}

async fn portal_login(app: &TestApp, login: &str, password: &str) -> Response {
    let body = json!({"username": login, "password": password});
    app.call(Method::POST, "/api/v1/account/login", Some(&body), None)
        .await
}

/// GET /api/v1/account with `token`.
async fn me(app: &TestApp, token: &str) -> Response {
    app.call(Method::GET, "/api/v1/account", None, Some(token))
        .await
}

async fn add_key(app: &TestApp, key: &str, reseller: Value, token: Option<&str>) -> Response {
    let body = json!({"product_key": key, "reseller": reseller});
    app.call(Method::POST, "/api/v1/account/keys", Some(&body), token)
        .await
}

async fn request_reset(app: &TestApp, email: &str) -> Response {
    let body = json!({"email": email});
    app.call(
        Method::POST,
        "/api/v1/account/password-reset",
        Some(&body),
        None,
    )
    .await
}

async fn confirm_reset(app: &TestApp, token: &str, password: &str) -> Response {
    let body = json!({"token": token, "password": password});
    app.call(
        Method::POST,
        "/api/v1/account/password-reset/confirm",
        Some(&body),
        None,
    )
    .await
}

/// The tokens of the password-reset mails sent to `email`, oldest first: the mail shows the
/// token alone on a line indented by four spaces.
async fn reset_tokens(app: &TestApp, email: &str) -> Vec<String> {
    app.store
        .mail_to(email)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == "password.reset")
        .map(|m| {
            m.body
                .lines()
                .find_map(|l| l.strip_prefix("    "))
                .map(|t| t.trim().to_owned())
                .unwrap_or_else(|| panic!("no token in the reset mail: {}", m.body))
        })
        .collect()
}

fn deactivate_path(site_id: &str) -> String {
    format!("/api/v1/account/sites/{site_id}/deactivate")
}

// ---------------------------------------------------------------------------------------------
// B1: registration

async fn registration_stores_account_key_and_mail(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    let key = &keys[0];
    app.clock.advance(SignedDuration::from_mins(5));
    let mut body = registration("Jack.White", "Jack@Example.com", IT_VATS[0], key);
    body["email_confirm"] = json!(" jack@example.COM ");

    let raw: Value = ok(post_registration(&app, &body).await, StatusCode::CREATED).await;
    assert!(
        raw.get("password").is_none() && raw.get("password_hash").is_none(),
        "no password in the answer: {raw}"
    );
    let account: Account = serde_json::from_value(raw).unwrap();
    assert_eq!(account.username, "jack.white");
    assert_eq!(account.email, "jack@example.com");
    // The company and contact as sent, the VAT number with its country prefix.
    assert_eq!(
        serde_json::to_value(&account.company).unwrap(),
        with(&body["company"], "/vat_number", json!("IT00743110157"))
    );
    assert_eq!(
        serde_json::to_value(&account.contact).unwrap(),
        body["contact"]
    );
    // Privacy acceptance with the time and the client's address.
    assert_eq!(account.privacy_accepted_at, "2026-11-23T09:05:00Z");
    assert_eq!(account.privacy_ip, "127.0.0.1");
    assert_eq!(account.created_at, "2026-11-23T09:05:00Z");
    assert!(account.newsletter);

    // One installation slot for the key, not yet bound to a machine.
    assert_eq!(account.installations.len(), 1);
    let site = &account.installations[0];
    assert!(!site.site_id.is_empty());
    assert_eq!(site.account_id, account.id);
    assert_eq!(
        (
            site.status.as_str(),
            site.key_status.as_str(),
            site.product_key.as_str()
        ),
        ("registered", "registered", key.as_str())
    );
    assert_eq!(
        (
            site.product.as_str(),
            site.edition.as_str(),
            site.size.as_str()
        ),
        ("fleet", "std", "s10")
    );
    assert_eq!(
        site.label,
        format!("Installation …{}", &key[key.len() - 4..])
    );
    assert_eq!(
        (
            site.fingerprint.as_deref(),
            site.activated_at.as_deref(),
            site.transfers
        ),
        (None, None, 0)
    );

    // The key is registered, and its history says by whom, when and to which site.
    assert_eq!(key_status(&app, key).await, "registered");
    let history: KeyHistory = ok(
        app.get(&format!("/api/v1/keys/{key}/history")).await,
        StatusCode::OK,
    )
    .await;
    let last = history.events.last().expect("events");
    assert_eq!(
        (
            last.action.as_str(),
            last.actor.as_str(),
            last.at.as_str(),
            last.detail.clone()
        ),
        (
            "key.registered",
            "account:jack.white",
            "2026-11-23T09:05:00Z",
            Some(format!("account {}, site {}", account.id, site.site_id))
        )
    );

    // The confirmation mail waits in the outbox.
    let mails = app.store.mail_to("jack@example.com").await.unwrap();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert_eq!(mail.kind, "account.registered");
    assert_eq!(mail.to, "jack@example.com");
    assert!(!mail.subject.is_empty());
    assert!(mail.body.contains("jack.white"), "{}", mail.body);
    assert!(mail.body.contains(key.as_str()), "{}", mail.body);
    assert_eq!(mail.created_at.to_string(), "2026-11-23T09:05:00Z");
    assert!(mail.sent_at.is_none());

    // Operators see the same account.
    let seen: Account = ok(
        app.get(&format!("/api/v1/accounts/{}", account.id)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            seen.username.as_str(),
            seen.company.vat_number.as_str(),
            seen.installations.len()
        ),
        ("jack.white", "IT00743110157", 1)
    );
    assert_eq!(seen.installations[0].site_id, site.site_id);
}

async fn refused_registrations_store_nothing(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 3, 0).await;
    let (fresh, revoked, taken) = (&keys[0], &keys[1], &keys[2]);
    ok::<KeyInfo>(
        app.post(
            &format!("/api/v1/keys/{revoked}/revoke"),
            &json!({"reason": "refunded"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
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
    let jack = registered(&app, &base).await;
    assert_eq!(&jack.installations[0].product_key, fresh);
    assert_eq!(listed(&app, "").await, [bob_id, jack.id]);
}

async fn swiss_british_and_us_vat_numbers_are_accepted(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 3, 0).await;
    let mut ch = registration(
        "swiss",
        "swiss@example.ch",
        "CHE-116.281.710 MWST",
        &keys[0],
    );
    ch["company"]["country"] = json!("CH");
    // A mistyped UID is refused first.
    let e = error(
        post_registration(
            &app,
            &with(&ch, "/company/vat_number", json!("CHE-116.281.711")),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VAT_NUMBER_INVALID",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("company.vat_number"));

    let mut gb = registration("brit", "brit@example.co.uk", "GB 980 7806 84", &keys[1]);
    gb["company"]["country"] = json!("GB");
    let mut us = registration("yank", "yank@example.us", "94-2404110", &keys[2]);
    us["company"]["country"] = json!("us");

    let mut ids = Vec::new();
    for (body, country, vat, key) in [
        (ch, "CH", "CHE116281710", &keys[0]),
        (gb, "GB", "GB980780684", &keys[1]),
        (us, "US", "US942404110", &keys[2]),
    ] {
        let account = registered(&app, &body).await;
        assert_eq!(
            (
                account.company.country.as_str(),
                account.company.vat_number.as_str()
            ),
            (country, vat)
        );
        assert_eq!(account.installations.len(), 1);
        assert_eq!(&account.installations[0].product_key, key);
        ids.push(account.id);
    }
    let page: AccountPage = ok(app.get("/api/v1/accounts").await, StatusCode::OK).await;
    let vats: Vec<_> = page
        .accounts
        .iter()
        .map(|a| (a.id, a.country.as_str(), a.vat_number.as_str()))
        .collect();
    assert_eq!(
        vats,
        [
            (ids[0], "CH", "CHE116281710"),
            (ids[1], "GB", "GB980780684"),
            (ids[2], "US", "US942404110"),
        ]
    );
}

async fn duplicates_are_refused_and_leave_the_key_free(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 5, 0).await;
    let jack = register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    let spare = &keys[1];
    let cases = [
        (
            registration("JACK", "other@example.com", IT_VATS[1], spare),
            "USERNAME_TAKEN",
        ),
        (
            registration("other", "Jack@EXAMPLE.com", IT_VATS[1], spare),
            "EMAIL_TAKEN",
        ),
        (
            registration("other", "other@example.com", IT_VATS[0], spare),
            "VAT_NUMBER_TAKEN",
        ),
        // The same VAT number typed differently.
        (
            registration("other", "other@example.com", "it 007-431-101 57", spare),
            "VAT_NUMBER_TAKEN",
        ),
    ];
    for (body, code) in cases {
        error(
            post_registration(&app, &body).await,
            StatusCode::CONFLICT,
            code,
        )
        .await;
    }
    // The refused attempts left the key free and sent no mail.
    assert_eq!(key_status(&app, spare).await, "issued");
    assert!(
        app.store
            .mail_to("other@example.com")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(listed(&app, "").await, [jack.id]);
    let other = registered(
        &app,
        &registration("other", "other@example.com", IT_VATS[1], spare),
    )
    .await;
    assert_eq!(&other.installations[0].product_key, spare);
    assert_eq!(
        app.store.mail_to("other@example.com").await.unwrap().len(),
        1
    );

    // Two registrations racing for one key: exactly one gets it.
    let racer1 = registration("racer1", "racer1@example.com", MORE_VATS[0], &keys[2]);
    let racer2 = registration("racer2", "racer2@example.com", MORE_VATS[1], &keys[2]);
    let (a, b) = tokio::join!(
        post_registration(&app, &racer1),
        post_registration(&app, &racer2)
    );
    let (winner, loser) = if a.status() == StatusCode::CREATED {
        (a, b)
    } else {
        (b, a)
    };
    ok::<Account>(winner, StatusCode::CREATED).await;
    error(loser, StatusCode::UNPROCESSABLE_ENTITY, "KEY_INVALID").await;
    // Two racing for one username: exactly one gets it, and the other's key stays free.
    let twin1 = registration("twin", "twin1@example.com", MORE_VATS[2], &keys[3]);
    let twin2 = registration("twin", "twin2@example.com", MORE_VATS[3], &keys[4]);
    let (a, b) = tokio::join!(
        post_registration(&app, &twin1),
        post_registration(&app, &twin2)
    );
    let (a_won, b_won) = (
        a.status() == StatusCode::CREATED,
        b.status() == StatusCode::CREATED,
    );
    let (winner, loser, loser_key) = if a_won {
        (a, b, &keys[4])
    } else {
        (b, a, &keys[3])
    };
    assert!(a_won != b_won, "exactly one wins");
    ok::<Account>(winner, StatusCode::CREATED).await;
    error(loser, StatusCode::CONFLICT, "USERNAME_TAKEN").await;
    assert_eq!(key_status(&app, loser_key).await, "issued");
    assert_eq!(listed(&app, "").await.len(), 4);
}

// ---------------------------------------------------------------------------------------------
// B2: further keys

async fn an_account_adds_further_keys(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 4, 0).await;
    let jack = register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    let bob = register(&app, "bob", "bob@example.com", IT_VATS[1], &keys[2]).await;
    let token = account_login(&app, "jack").await;

    // Without a token, or with an operator's: not signed in to the portal.
    for t in [None, Some(app.token())] {
        error(
            add_key(&app, &keys[1], reseller(), t).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
        )
        .await;
    }
    // Refused input names its field and uses up nothing.
    let e = error(
        add_key(
            &app,
            &keys[1],
            with(&reseller(), "/city", json!(" ")),
            Some(&token),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "FIELD_REQUIRED",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("reseller.city"));
    let e = error(
        add_key(&app, &mistyped(&keys[1]), reseller(), Some(&token)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "KEY_CHECKSUM_INVALID",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("product_key"));
    let e = error(
        app.call(
            Method::POST,
            "/api/v1/account/keys",
            Some(&json!({"product_key": keys[1]})),
            Some(&token),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_FIELD",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("reseller"));
    assert_eq!(key_status(&app, &keys[1]).await, "issued");

    // Typed in lower case without dashes.
    let typed = keys[1].to_lowercase().replace('-', "");
    let account: Account = ok(
        add_key(&app, &typed, reseller(), Some(&token)).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(account.id, jack.id);
    let mut held: Vec<_> = account
        .installations
        .iter()
        .map(|s| {
            (
                s.product_key.clone(),
                s.status.clone(),
                s.key_status.clone(),
            )
        })
        .collect();
    held.sort();
    let mut want = vec![
        (keys[0].clone(), "registered".into(), "registered".into()),
        (keys[1].clone(), "registered".into(), "registered".into()),
    ];
    want.sort();
    assert_eq!(held, want);
    assert_ne!(
        account.installations[0].site_id,
        account.installations[1].site_id
    );
    assert_eq!(key_status(&app, &keys[1]).await, "registered");
    let history: KeyHistory = ok(
        app.get(&format!("/api/v1/keys/{}/history", keys[1])).await,
        StatusCode::OK,
    )
    .await;
    let last = history.events.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("key.registered", "account:jack")
    );

    // Another account's key, the same key again, a revoked or an unknown key: one answer.
    ok::<KeyInfo>(
        app.post(
            &format!("/api/v1/keys/{}/revoke", keys[3]),
            &json!({"reason": "refunded"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let mut answers = Vec::new();
    for key in [
        keys[2].clone(),
        keys[1].clone(),
        keys[3].clone(),
        never_issued(),
    ] {
        let e = error(
            add_key(&app, &key, reseller(), Some(&token)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "KEY_INVALID",
        )
        .await;
        answers.push((e.message, e.field));
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");

    // Bob keeps his key; Jack has his two.
    let bob_now: Account = ok(
        app.get(&format!("/api/v1/accounts/{}", bob.id)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(bob_now.installations.len(), 1);
    assert_eq!(bob_now.installations[0].product_key, keys[2]);
    let jack_now: Account = ok(me(&app, &token).await, StatusCode::OK).await;
    assert_eq!(jack_now.installations.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// B3: sessions and password reset

async fn portal_sessions_sign_in_out_and_expire(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;

    let by_name: LoginResponse =
        ok(portal_login(&app, " Jack ", PASSWORD).await, StatusCode::OK).await;
    assert_eq!(by_name.token_type, "Bearer");
    assert_eq!(by_name.expires_at, "2026-11-23T21:00:00Z");
    let by_email: LoginResponse = ok(
        portal_login(&app, "JACK@example.com", PASSWORD).await,
        StatusCode::OK,
    )
    .await;
    assert_ne!(by_name.token, by_email.token);

    for (login, password) in [
        ("jack", "not the password at all"),
        ("jack@example.com", "not the password at all"),
        ("nobody", PASSWORD),
    ] {
        error(
            portal_login(&app, login, password).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
        )
        .await;
    }
    // The operator's password does not open the portal.
    error(
        portal_login(&app, "admin", ADMIN_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;

    let account: Account = ok(me(&app, &by_name.token).await, StatusCode::OK).await;
    assert_eq!(
        (account.username.as_str(), account.installations.len()),
        ("jack", 1)
    );
    let resp = app.call(Method::GET, "/api/v1/account", None, None).await;
    assert_eq!(resp.headers()["www-authenticate"], "Bearer");
    error(resp, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
    error(
        me(&app, "not-a-token").await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;

    // Logout ends that session only.
    error(
        app.call(Method::POST, "/api/v1/account/logout", None, None)
            .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    let resp = app
        .call(
            Method::POST,
            "/api/v1/account/logout",
            None,
            Some(&by_name.token),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    error(
        me(&app, &by_name.token).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    ok::<Account>(me(&app, &by_email.token).await, StatusCode::OK).await;

    // Sessions last `session_hours` (12) and not a second longer.
    app.clock
        .advance(SignedDuration::from_hours(12) - SignedDuration::from_secs(1));
    ok::<Account>(me(&app, &by_email.token).await, StatusCode::OK).await;
    app.clock.advance(SignedDuration::from_secs(1));
    error(
        me(&app, &by_email.token).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    // Signing in again gives a working session.
    let again = account_login(&app, "jack").await;
    ok::<Account>(me(&app, &again).await, StatusCode::OK).await;
}

async fn password_reset_by_emailed_token(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 1, 0).await;
    register(&app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    let old_session = account_login(&app, "jack").await;

    // Known or not, the answer is the same; only a known address gets mail.
    let resp = request_reset(&app, " JACK@example.com ").await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let resp = request_reset(&app, "nobody@example.com").await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert!(
        app.store
            .mail_to("nobody@example.com")
            .await
            .unwrap()
            .is_empty()
    );
    let e = error(
        request_reset(&app, "not an address").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "EMAIL_INVALID",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("email"));
    let kinds: Vec<_> = app
        .store
        .mail_to("jack@example.com")
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.kind)
        .collect();
    assert_eq!(kinds, ["account.registered", "password.reset"]);
    let token = reset_tokens(&app, "jack@example.com").await.remove(0);
    assert!(token.len() >= 32, "{token}");

    // A weak new password is refused and does not use up the token.
    let e = error(
        confirm_reset(&app, &token, "short").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "PASSWORD_TOO_SHORT",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("password"));
    ok::<Account>(me(&app, &old_session).await, StatusCode::OK).await;

    let resp = confirm_reset(&app, &token, NEW_PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    error(
        portal_login(&app, "jack", PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    ok::<LoginResponse>(
        portal_login(&app, "jack", NEW_PASSWORD).await,
        StatusCode::OK,
    )
    .await;
    // Every session that existed before the reset has ended.
    error(
        me(&app, &old_session).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;

    // The token works once; a made-up one never.
    for t in [token.as_str(), "made-up-token"] {
        let e = error(
            confirm_reset(&app, t, "yet another passphrase").await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "RESET_TOKEN_INVALID",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some("token"));
    }

    // Two uses of one token at once: one sets the password, the other is refused.
    let resp = request_reset(&app, "jack@example.com").await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let racing = reset_tokens(&app, "jack@example.com").await.remove(1);
    let (a, b) = tokio::join!(
        confirm_reset(&app, &racing, "first racing passphrase"),
        confirm_reset(&app, &racing, "second racing passphrase"),
    );
    let winner = match (a.status(), b.status()) {
        (StatusCode::NO_CONTENT, _) => {
            error(b, StatusCode::UNPROCESSABLE_ENTITY, "RESET_TOKEN_INVALID").await;
            "first racing passphrase"
        }
        _ => {
            assert_eq!(b.status(), StatusCode::NO_CONTENT);
            error(a, StatusCode::UNPROCESSABLE_ENTITY, "RESET_TOKEN_INVALID").await;
            "second racing passphrase"
        }
    };
    ok::<LoginResponse>(portal_login(&app, "jack", winner).await, StatusCode::OK).await;

    // A token older than an hour is refused.
    let resp = request_reset(&app, "jack@example.com").await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let tokens = reset_tokens(&app, "jack@example.com").await;
    assert_eq!(tokens.len(), 3);
    assert_ne!(tokens[1], tokens[2]);
    app.clock.advance(SignedDuration::from_hours(2));
    error(
        confirm_reset(&app, &tokens[2], "yet another passphrase").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "RESET_TOKEN_INVALID",
    )
    .await;
    // The password set before stays.
    ok::<LoginResponse>(portal_login(&app, "jack", winner).await, StatusCode::OK).await;
}

// ---------------------------------------------------------------------------------------------
// B4 and access: each account sees only its own

async fn accounts_see_only_their_own_sites(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 0).await;
    let a = registered(
        &app,
        &registration("jack", "jack@example.com", IT_VATS[0], &keys[0]),
    )
    .await;
    let b = registered(
        &app,
        &registration("bob", "bob@example.com", IT_VATS[1], &keys[1]),
    )
    .await;
    let (a_site, b_site) = (&a.installations[0].site_id, &b.installations[0].site_id);
    let a_token = account_login(&app, "jack").await;
    let b_token = account_login(&app, "bob").await;

    // B's installation runs on a machine.
    ok::<Value>(
        activate(&app, "bob@example.com", &keys[1], &fp('b')).await,
        StatusCode::CREATED,
    )
    .await;

    // To A, B's site does not exist: the same answer as for a made-up id.
    let foreign = error(
        app.call(Method::POST, &deactivate_path(b_site), None, Some(&a_token))
            .await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    )
    .await;
    let made_up = error(
        app.call(
            Method::POST,
            &deactivate_path("no-such-site"),
            None,
            Some(&a_token),
        )
        .await,
        StatusCode::NOT_FOUND,
        "SITE_NOT_FOUND",
    )
    .await;
    assert_eq!(foreign.message, made_up.message);

    // A's views list A's installation only.
    let a_view: Account = ok(me(&app, &a_token).await, StatusCode::OK).await;
    assert_eq!(a_view.id, a.id);
    let ids: Vec<_> = a_view.installations.iter().map(|s| &s.site_id).collect();
    assert_eq!(ids, [a_site]);
    let a_sites: SiteList = ok(
        app.call(Method::GET, "/api/v1/account/sites", None, Some(&a_token))
            .await,
        StatusCode::OK,
    )
    .await;
    let ids: Vec<_> = a_sites.sites.iter().map(|s| &s.site_id).collect();
    assert_eq!(ids, [a_site]);

    // B's site is untouched, and B can release it.
    let b_view: Account = ok(me(&app, &b_token).await, StatusCode::OK).await;
    assert_eq!(b_view.installations.len(), 1);
    assert_eq!(b_view.installations[0].status, "active");
    let released: Site = ok(
        app.call(Method::POST, &deactivate_path(b_site), None, Some(&b_token))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (released.site_id.as_str(), released.status.as_str()),
        (b_site.as_str(), "deactivated")
    );
    // A's own site was never activated.
    error(
        app.call(Method::POST, &deactivate_path(a_site), None, Some(&a_token))
            .await,
        StatusCode::CONFLICT,
        "SITE_NOT_ACTIVE",
    )
    .await;

    // An account token does not open operator routes ...
    for path in [
        "/api/v1/accounts".to_owned(),
        format!("/api/v1/accounts/{}", b.id),
        "/api/v1/auth/me".to_owned(),
        format!("/api/v1/keys/{}", keys[0]),
    ] {
        error(
            app.call(Method::GET, &path, None, Some(&a_token)).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
        )
        .await;
    }
    // ... and the operator's token does not open the portal.
    error(
        app.get("/api/v1/account").await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    error(
        app.call(
            Method::GET,
            "/api/v1/account/sites",
            None,
            Some(app.token()),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
    error(
        app.call(
            Method::POST,
            &deactivate_path(a_site),
            None,
            Some(app.token()),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// Operators' view

async fn operators_list_search_and_open_accounts(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 2, 0).await;
    let a = registered(
        &app,
        &registration("jack", "jack@example.com", IT_VATS[0], &keys[0]),
    )
    .await;
    let mut bianchi = registration("bob", "bob@example.org", IT_VATS[1], &keys[1]);
    bianchi["company"]["name"] = json!("Bianchi Logistica S.p.A.");
    app.clock.advance(SignedDuration::from_mins(1));
    let b = registered(&app, &bianchi).await;

    let page: AccountPage = ok(app.get("/api/v1/accounts").await, StatusCode::OK).await;
    assert_eq!(page.next_after, None);
    let summaries: Vec<_> = page
        .accounts
        .iter()
        .map(|s| {
            (
                s.id,
                s.username.as_str(),
                s.email.as_str(),
                s.company_name.as_str(),
                s.country.as_str(),
                s.vat_number.as_str(),
                s.created_at.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summaries,
        [
            (
                a.id,
                "jack",
                "jack@example.com",
                "Rossi Trasporti S.r.l.",
                "IT",
                "IT00743110157",
                "2026-11-23T09:00:00Z"
            ),
            (
                b.id,
                "bob",
                "bob@example.org",
                "Bianchi Logistica S.p.A.",
                "IT",
                "IT01234567897",
                "2026-11-23T09:01:00Z"
            ),
        ]
    );

    // Pages of one, followed through next_after.
    let first: AccountPage = ok(app.get("/api/v1/accounts?limit=1").await, StatusCode::OK).await;
    assert_eq!(first.accounts.len(), 1);
    assert_eq!(first.next_after, Some(a.id));
    let mut seen = vec![first.accounts[0].id];
    let mut after = first.next_after;
    let mut pages = 1;
    while let Some(next) = after {
        let page: AccountPage = ok(
            app.get(&format!("/api/v1/accounts?limit=1&after={next}"))
                .await,
            StatusCode::OK,
        )
        .await;
        assert!(page.accounts.len() <= 1);
        seen.extend(page.accounts.iter().map(|s| s.id));
        after = page.next_after;
        pages += 1;
        assert!(pages <= 3, "paging does not end");
    }
    assert_eq!(seen, [a.id, b.id]);

    // Search: the start of company name, VAT number, email or username, case-blind.
    for (q, want) in [
        ("bianchi", vec![b.id]),
        ("ROSSI TRASPORTI", vec![a.id]),
        ("IT0074", vec![a.id]),
        ("it01234", vec![b.id]),
        ("IT0", vec![a.id, b.id]),
        ("bob@", vec![b.id]),
        ("jack@example.com", vec![a.id]),
        ("JAC", vec![a.id]),
        ("example", vec![]),
        ("%", vec![]),
        ("_", vec![]),
        ("  ", vec![a.id, b.id]),
    ] {
        assert_eq!(
            listed(&app, &format!("?q={}", encode(q))).await,
            want,
            "q={q:?}"
        );
    }
    assert_eq!(listed(&app, "?q=IT0&limit=1").await, [a.id]);
    assert_eq!(
        listed(&app, &format!("?q=IT0&after={}", a.id)).await,
        [b.id]
    );
    for limit in [0, 501] {
        let e = error(
            app.get(&format!("/api/v1/accounts?limit={limit}")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_LIMIT",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some("limit"));
    }

    // One account, with its installations.
    let one: Account = ok(
        app.get(&format!("/api/v1/accounts/{}", a.id)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (one.id, one.username.as_str(), one.email.as_str()),
        (a.id, "jack", "jack@example.com")
    );
    assert_eq!(one.company, a.company);
    assert_eq!(one.contact, a.contact);
    assert_eq!(one.installations.len(), 1);
    assert_eq!(one.installations[0].product_key, keys[0]);
    assert_eq!(one.installations[0].site_id, a.installations[0].site_id);
    error(
        app.get("/api/v1/accounts/999999").await,
        StatusCode::NOT_FOUND,
        "ACCOUNT_NOT_FOUND",
    )
    .await;
    error(
        app.get("/api/v1/accounts/abc").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_PATH",
    )
    .await;

    // Operators only.
    for path in [
        "/api/v1/accounts".to_owned(),
        format!("/api/v1/accounts/{}", a.id),
    ] {
        error(
            app.anonymous_get(&path).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
        )
        .await;
    }
}

// ---------------------------------------------------------------------------------------------
// Found as bugs by these tests and fixed since.
both_backends!(
    a_password_reset_ends_the_other_reset_tokens,
    failed_portal_logins_count_per_account_not_per_typed_name,
    search_finds_company_names_with_non_ascii_capitals,
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
    body["company"]["country"] = json!("AT");
    body["company"]["name"] = json!("Österreich Logistik GmbH");
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
    let resp = app
        .call(
            Method::POST,
            "/api/v1/accounts",
            Some(&registration(
                "probe.owner",
                "probe@example.com",
                IT_VATS[3],
                &unknown,
            )),
            None,
        )
        .await;
    error(resp, StatusCode::UNPROCESSABLE_ENTITY, "KEY_INVALID").await;
}
