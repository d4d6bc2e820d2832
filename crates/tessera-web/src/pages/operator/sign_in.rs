//! The console's sign-in and sign-out, over the operators' sign-in use case (the same
//! throttling as `POST /api/v1/auth/login`).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use tessera_api::LoginRequest;
use tessera_server::AppState;
use tessera_server::error::ApiError;
use tessera_server::extract::ClientIp;
use tessera_server::oplog::OpNote;
use tessera_server::sessions;
use tessera_store::SessionKind;

use crate::form::PageForm;
use crate::pages::sign_in::{refusal_text, refused_response};
use crate::security::{OPERATOR_COOKIE, operator_cookie, operator_removal};
use crate::view::{Chrome, Ctx};

/// The console's start.
pub const HOME: &str = "/operator/fleet";

#[derive(Template)]
#[template(path = "operator/sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    next: String,
    login: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct SignInQuery {
    next: Option<String>,
}

/// Where to go after signing in: a console path, else the console's start.
fn console_next(next: Option<&str>) -> String {
    match next {
        Some(p) if crate::security::is_operator_path(p) && !p.contains('\\') => p.to_owned(),
        _ => HOME.to_owned(),
    }
}

/// `GET /operator/sign-in`.
pub async fn form(ctx: Ctx, Query(q): Query<SignInQuery>) -> Result<Html<String>, ApiError> {
    page(&ctx, console_next(q.next.as_deref()), "", None)
}

fn page(
    ctx: &Ctx,
    next: String,
    login: &str,
    error: Option<String>,
) -> Result<Html<String>, ApiError> {
    let page = SignInPage {
        chrome: Chrome::operator_anonymous(ctx),
        next,
        login: login.to_owned(),
        error,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// `POST /operator/sign-in`: opens the operator's session; a refusal shows the form again.
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    note: OpNote,
    jar: CookieJar,
    PageForm(f): PageForm<SignInForm>,
) -> Result<Response, ApiError> {
    let req = LoginRequest {
        username: f.login.clone(),
        password: f.password,
        language: None,
    };
    let next = console_next(f.next.as_deref());
    match sessions::operator_sign_in(&state, ip, &note, req).await {
        Ok(session) => {
            let jar = jar.add(operator_cookie(&state, session.token));
            Ok((jar, Redirect::to(&next)).into_response())
        }
        Err(ApiError::Internal(e)) => Err(ApiError::Internal(e)),
        Err(refused) => {
            let text = refusal_text(&ctx.tr, &refused);
            let html = page(&ctx, next, &f.login, Some(text))?;
            Ok(refused_response(&refused, html))
        }
    }
}

/// `POST /operator/sign-out`: ends the operator's session and forgets its cookie.
pub async fn sign_out(State(state): State<AppState>, jar: CookieJar) -> Result<Response, ApiError> {
    if let Some(token) = jar.get(OPERATOR_COOKIE).map(|c| c.value().to_owned()) {
        sessions::end_session(&state, SessionKind::Operator, Some(&token)).await?;
    }
    Ok((
        jar.remove(operator_removal()),
        Redirect::to("/operator/sign-in"),
    )
        .into_response())
}
