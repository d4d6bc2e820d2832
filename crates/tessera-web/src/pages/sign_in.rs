//! Signing in and out (H1), with the seed's two tabs: the account (its superadmin by
//! username or email, or one of its users) and a site's user (username, password and the
//! site's code). The same sign-in use cases as the API, so the same throttling: after
//! repeated failures the page says how long to wait. The language picker lives here too;
//! the superadmin signing in makes the page's language that of the account's mail.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;
use tessera_api::{ErrorBody, LoginRequest, SiteLoginRequest};
use tessera_core::Language;
use tessera_server::AppState;
use tessera_server::error::ApiError;
use tessera_server::extract::ClientIp;
use tessera_server::oplog::OpNote;
use tessera_server::sessions;
use tessera_store::SessionKind;

use crate::error::{message, safe_next};
use crate::form::PageForm;
use crate::i18n::{LANG_COOKIE, Tr};
use crate::security::{SESSION_COOKIE, session_cookie, session_removal};
use crate::view::{Chrome, Ctx};

/// Which tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Tab {
    #[default]
    Account,
    Site,
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    tab: Tab,
    next: String,
    login: String,
    site_code: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct SignInQuery {
    #[serde(default)]
    tab: Tab,
    next: Option<String>,
}

/// `GET /sign-in`.
pub async fn form(ctx: Ctx, Query(q): Query<SignInQuery>) -> Result<Html<String>, ApiError> {
    page(&ctx, q.tab, safe_next(q.next.as_deref()), "", "", None)
}

fn page(
    ctx: &Ctx,
    tab: Tab,
    next: String,
    login: &str,
    site_code: &str,
    error: Option<String>,
) -> Result<Html<String>, ApiError> {
    let page = SignInPage {
        chrome: Chrome {
            // Signed in already (another account, say): the form needs the session's token.
            csrf: ctx.csrf.clone().unwrap_or_default(),
            ..Chrome::anonymous(ctx.tr)
        },
        tab,
        next,
        login: login.to_owned(),
        site_code: site_code.to_owned(),
        error,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    tab: Tab,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    site_code: String,
    next: Option<String>,
}

/// `POST /sign-in`: opens the session and goes on to where the reader wanted to be; a
/// refusal shows the form again with why (never which of the fields was wrong).
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    note: OpNote,
    jar: CookieJar,
    PageForm(f): PageForm<SignInForm>,
) -> Result<Response, ApiError> {
    let attempt = match f.tab {
        Tab::Account => {
            let req = LoginRequest {
                username: f.login.clone(),
                password: f.password,
                // The superadmin's mail follows the language the portal is read in.
                language: Some(ctx.tr.code().to_owned()),
            };
            sessions::portal_sign_in(&state, ip, &note, req)
                .await
                .map(|(_, r)| r)
        }
        Tab::Site => {
            let req = SiteLoginRequest {
                username: f.login.clone(),
                password: f.password,
                site_code: f.site_code.clone(),
            };
            sessions::site_user_sign_in(&state, ip, &note, req).await
        }
    };
    let next = safe_next(f.next.as_deref());
    match attempt {
        Ok(session) => {
            let jar = jar.add(session_cookie(&state, session.token));
            Ok((jar, Redirect::to(&next)).into_response())
        }
        Err(ApiError::Internal(e)) => Err(ApiError::Internal(e)),
        Err(refused) => {
            let text = refusal_text(&ctx.tr, &refused);
            let html = page(&ctx, f.tab, next, &f.login, &f.site_code, Some(text))?;
            Ok(refused_response(&refused, html))
        }
    }
}

/// What a refused sign-in says: the throttle's wait, "not right" for a wrong name or
/// password (never which of them), else the code's text.
pub(crate) fn refusal_text(tr: &Tr, refused: &ApiError) -> String {
    match refused {
        ApiError::Throttled { retry_after_secs } => tr.with(
            "sign-in-throttled",
            &[("secs", &retry_after_secs.to_string())],
        ),
        _ if refused.status() == StatusCode::UNAUTHORIZED => tr.t("sign-in-refused"),
        _ => message(tr, &ErrorBody::new(refused.code(), refused.to_string())),
    }
}

/// The form shown again after a refused sign-in: the refusal's status and code, and how
/// long to wait (`Retry-After`) when throttled.
pub(crate) fn refused_response(refused: &ApiError, html: Html<String>) -> Response {
    let mut response = (refused.status(), html).into_response();
    response.extensions_mut().insert(refused.code());
    if let ApiError::Throttled { retry_after_secs } = refused {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
    }
    response
}

/// `POST /sign-out`: ends the session, whichever kind it is, and forgets the cookie.
pub async fn sign_out(State(state): State<AppState>, jar: CookieJar) -> Result<Response, ApiError> {
    if let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) {
        for kind in [
            SessionKind::Account,
            SessionKind::User,
            SessionKind::SiteUser,
        ] {
            sessions::end_session(&state, kind, Some(&token)).await?;
        }
    }
    Ok((jar.remove(session_removal()), Redirect::to("/sign-in")).into_response())
}

#[derive(Deserialize)]
pub struct LanguageQuery {
    set: String,
    next: Option<String>,
}

/// `GET /language?set=de`: remembers the language (a year) and goes back.
pub async fn language(jar: CookieJar, Query(q): Query<LanguageQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    let Ok(lang) = Language::parse("set", &q.set) else {
        return Redirect::to(&next).into_response();
    };
    let cookie = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::days(365))
        .build();
    (jar.add(cookie), Redirect::to(&next)).into_response()
}
