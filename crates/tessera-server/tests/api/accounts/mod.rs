//! Customer accounts over HTTP (B1–B4): registration, further keys, portal sessions, password
//! reset by emailed token, isolation between accounts, and the operators' view of accounts.

use jiff::SignedDuration;
use reqwest::{Method, Response, StatusCode};
use serde::Serialize;
use serde_json::Value;
use tessera_api::{
    Account, AccountPage, AddKey, KeyHistory, KeyInfo, LoginRequest, LoginResponse,
    PasswordResetConfirm, PasswordResetRequest, Registration, ResellerData, RevokeKey, Site,
    SiteList,
};
use tessera_core::ProductKey;

use crate::fixtures::*;
use crate::harness::*;

const REGISTER: &str = "/api/v1/accounts";
const NEW_PASSWORD: &str = "a brand new passphrase";
/// Further valid partite IVA, besides [`IT_VATS`].
const MORE_VATS: [&str; 4] = ["00000030007", "00000040006", "00000050005", "00000060004"];

// Helpers

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

/// POST /api/v1/accounts without any token, as a visitor registers: a [`Registration`], or
/// raw JSON in the stories that break it.
async fn post_registration<B: Serialize + ?Sized>(app: &TestApp, body: &B) -> Response {
    app.send(Method::POST, REGISTER, body, None).await
}

async fn registered(app: &TestApp, body: &Registration) -> Account {
    app.api_as(None).register(body).await.unwrap()
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
    let body = LoginRequest {
        username: login.into(),
        password: password.into(),
        language: None,
    };
    app.send(Method::POST, "/api/v1/account/login", &body, None)
        .await
}

/// GET /api/v1/account with `token`.
async fn me(app: &TestApp, token: &str) -> Response {
    app.call(Method::GET, "/api/v1/account", None, Some(token))
        .await
}

async fn add_key(
    app: &TestApp,
    key: &str,
    reseller: ResellerData,
    token: Option<&str>,
) -> Response {
    let body = AddKey {
        product_key: key.into(),
        reseller,
    };
    app.send(Method::POST, "/api/v1/account/keys", &body, token)
        .await
}

async fn request_reset(app: &TestApp, email: &str) -> Response {
    let body = PasswordResetRequest {
        email: email.into(),
    };
    let path = "/api/v1/account/password-reset";
    app.send(Method::POST, path, &body, None).await
}

async fn confirm_reset(app: &TestApp, token: &str, password: &str) -> Response {
    let body = PasswordResetConfirm {
        token: token.into(),
        password: password.into(),
    };
    let path = "/api/v1/account/password-reset/confirm";
    app.send(Method::POST, path, &body, None).await
}

/// The codes of the password-reset mails sent to `email`, oldest first.
async fn reset_tokens(app: &TestApp, email: &str) -> Vec<String> {
    app.reset_codes(email).await
}

fn deactivate_path(site_id: &str) -> String {
    format!("/api/v1/account/sites/{site_id}/deactivate")
}

// The stories, one file per idea.
mod account_data;
mod duplicates;
mod further_keys;
mod isolation;
mod key_check;
mod operators_view;
mod password_reset;
mod refused;
mod registration;
mod regressions;
mod sessions;
mod site_data;
mod vat_numbers;
