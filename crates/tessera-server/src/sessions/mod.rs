//! Signing in and out (B3, H1) for every kind of principal: operators, accounts'
//! superadmins, account users (F5) and site users (H1) sign in with a password checked with
//! argon2, throttled per account and client network (crate::login_throttle), and get a
//! bearer token; signing out ends the token's session. The JSON routes are routes/auth.rs,
//! routes/portal.rs, routes/users.rs and routes/site_users.rs.

use std::net::IpAddr;
use std::sync::LazyLock;

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::SignedDuration;
use rand::RngCore;
use rand::rngs::OsRng;
use tessera_api::{ErrorCode, LoginRequest, LoginResponse, SiteLoginRequest, WhoAmI};
use tessera_core::cloud::normalize_code;
use tessera_core::{Language, Password};
use tessera_store::SessionKind;

use crate::actors::{Operator, site_standing};
use crate::error::{ApiError, ApiResult};
use crate::extract::token_hash;
use crate::oplog::OpNote;
use crate::state::AppState;
use tessera_store::NO_PASSWORD_YET;

/// Hashes a password with argon2 and a fresh salt, off the async workers.
pub async fn hash_password(password: Password) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await
    .context("password hashing task")?
}

/// A hash no password matches, verified when the username is unknown so that an unknown
/// user takes as long to refuse as a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(b"no password matches this", &salt)
        .expect("hash")
        .to_string()
});

async fn verify_password(password: String, hash: Option<String>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        // No user, or one without a password yet: checked against the dummy all the same,
        // so that either takes as long as a wrong password.
        let known = hash.as_deref().is_some_and(|h| h != NO_PASSWORD_YET);
        let hash = hash
            .filter(|h| h != NO_PASSWORD_YET)
            .unwrap_or_else(|| DUMMY_HASH.clone());
        let parsed = PasswordHash::new(&hash).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await
    .context("password verification task")?
}

/// A new bearer token: 32 random bytes, base64url.
pub fn new_token() -> String {
    let mut raw = [0u8; 32];
    OsRng.fill_bytes(&mut raw);
    URL_SAFE_NO_PAD.encode(raw)
}

/// Who a login name found: the session's principal, its password hash, and how the
/// operations log names it.
pub struct Principal {
    pub id: i64,
    pub password_hash: String,
    /// `operator:NAME`, `account:NAME`, `user:NAME`.
    pub actor: String,
    pub account_id: Option<i64>,
    /// A disabled user (F5): refused `USER_DISABLED`, but only once its password matched,
    /// so that only someone who knows the password learns it.
    pub disabled: bool,
}

/// Password sign-in shared by every kind of principal: throttled per account (or unknown
/// login name) and client network, the password checked with argon2 (against a dummy hash when the name is unknown, so
/// both take as long), then a session of `kind` with a fresh token; the operation goes on
/// record as the one who signed in.
pub async fn sign_in<F, Fut>(
    state: &AppState,
    kind: SessionKind,
    ip: IpAddr,
    login: &str,
    password: String,
    note: &OpNote,
    find: F,
) -> ApiResult<LoginResponse>
where
    F: FnOnce(AppState) -> Fut,
    Fut: std::future::Future<Output = ApiResult<Option<Principal>>>,
{
    let now = state.clock.now();
    let found = find(state.clone()).await?;
    // Failures count against the account whatever name it was reached by (username or
    // email); an unknown name counts on its own.
    let throttle_key = match &found {
        Some(p) => format!("{kind:?}#{}", p.id),
        None => format!("{kind:?}:{}", login.to_lowercase()),
    };
    state
        .login_throttle
        .begin_attempt(&throttle_key, ip, now)
        .map_err(|t| ApiError::Throttled {
            retry_after_secs: t.retry_after_secs,
        })?;
    let ok = verify_password(password, found.as_ref().map(|p| p.password_hash.clone())).await?;
    let Some(principal) = found.filter(|_| ok) else {
        // No login name in the log: people type their password into that field.
        tracing::info!(%ip, ?kind, "login refused");
        return Err(ApiError::Unauthenticated);
    };
    state.login_throttle.succeeded(&throttle_key, ip);
    note.actor(principal.actor);
    if let Some(account) = principal.account_id {
        note.account(account);
    }
    if principal.disabled {
        tracing::info!(%ip, ?kind, "login refused: disabled");
        return Err(ErrorCode::UserDisabled.into());
    }
    let id = principal.id;
    state.store.purge_expired_sessions(kind, now).await?;
    let token = new_token();
    let expires_at = now + SignedDuration::from_hours(i64::from(state.config.session_hours));
    state
        .store
        .create_session(kind, id, &token_hash(&token), now, expires_at)
        .await?;
    Ok(LoginResponse {
        token,
        token_type: "Bearer".into(),
        expires_at: expires_at.to_string(),
    })
}

/// Signs an operator (vendor staff) in by username and password.
pub async fn operator_sign_in(
    app: &AppState,
    ip: IpAddr,
    note: &OpNote,
    req: LoginRequest,
) -> ApiResult<LoginResponse> {
    let username = req.username.trim().to_owned();
    let lookup = username.clone();
    let response = sign_in(
        app,
        SessionKind::Operator,
        ip,
        &username,
        req.password,
        note,
        |s| async move {
            Ok(s.store
                .operator_by_username(&lookup)
                .await?
                .map(|o| Principal {
                    id: o.id,
                    password_hash: o.password_hash,
                    actor: format!("operator:{}", o.username),
                    account_id: None,
                    disabled: false,
                }))
        },
    )
    .await?;
    tracing::info!(username = %req.username.trim(), %ip, "operator signed in");
    Ok(response)
}

/// Signs an account's superadmin in to the portal by username or email and password (B3).
pub async fn account_sign_in(
    app: &AppState,
    ip: IpAddr,
    note: &OpNote,
    req: LoginRequest,
) -> ApiResult<LoginResponse> {
    let login = req.username.trim().to_lowercase();
    let language = req
        .language
        .as_deref()
        .map(|code| Language::parse("language", code))
        .transpose()?;
    let lookup = login.clone();
    let response = sign_in(
        app,
        SessionKind::Account,
        ip,
        &login,
        req.password,
        note,
        |s| async move {
            Ok(s.store.account_by_login(&lookup).await?.map(|a| Principal {
                id: a.id,
                password_hash: a.password_hash,
                // On record by its username, whichever of its names was typed.
                actor: format!("account:{}", a.username),
                account_id: Some(a.id),
                disabled: false,
            }))
        },
    )
    .await?;
    if let Some(language) = language
        && let Some(account) = app.store.account_by_login(&login).await?
    {
        let actor = tessera_core::Actor::Account(account.username.clone());
        crate::accounts::remember_language(app, account.id, language, &actor).await?;
    }
    Ok(response)
}

/// Signs one of an account's users (F5) in to the portal by username and password; a
/// disabled user is refused `USER_DISABLED` after its password matched.
pub async fn user_sign_in(
    app: &AppState,
    ip: IpAddr,
    note: &OpNote,
    req: LoginRequest,
) -> ApiResult<LoginResponse> {
    let username = req.username.trim().to_lowercase();
    let lookup = username.clone();
    sign_in(
        app,
        SessionKind::User,
        ip,
        &username,
        req.password,
        note,
        |s| async move {
            Ok(s.store.user_by_username(&lookup).await?.map(|u| Principal {
                id: u.id,
                password_hash: u.password_hash,
                actor: format!("user:{}", u.username),
                account_id: Some(u.account_id),
                disabled: u.disabled_at.is_some(),
            }))
        },
    )
    .await
}

/// Signs in on the portal's first tab (H1): the account's superadmin by username or email,
/// else one of the account's users by username. Gives the kind of session opened.
pub async fn portal_sign_in(
    app: &AppState,
    ip: IpAddr,
    note: &OpNote,
    req: LoginRequest,
) -> ApiResult<(SessionKind, LoginResponse)> {
    let login = req.username.trim().to_lowercase();
    // Both paths check a password (a dummy hash for unknown names): as slow either way.
    if app.store.account_by_login(&login).await?.is_some() {
        let response = account_sign_in(app, ip, note, req).await?;
        Ok((SessionKind::Account, response))
    } else {
        let response = user_sign_in(app, ip, note, req).await?;
        Ok((SessionKind::User, response))
    }
}

/// Signs a user of one site (H1) in by username, password and the site's code; refused
/// (after the password, so only someone who knows all three learns why) while the site may
/// not use the cloud (E4, E6).
pub async fn site_user_sign_in(
    app: &AppState,
    ip: IpAddr,
    note: &OpNote,
    req: SiteLoginRequest,
) -> ApiResult<LoginResponse> {
    let username = req.username.trim().to_lowercase();
    let site_code = normalize_code(&req.site_code);
    // Throttled per name at that site: every site has its "admin".
    let login = format!("{username}@{site_code}");
    let site_note = note.clone();
    let code = site_code.clone();
    let response = sign_in(
        app,
        SessionKind::SiteUser,
        ip,
        &login,
        req.password,
        note,
        |s| async move {
            if site_code.is_empty() || site_code.len() > 32 || username.len() > 64 {
                return Ok(None);
            }
            let found = s.store.site_user_for_login(&site_code, &username).await?;
            Ok(found.map(|u| {
                // A refused attempt on a known user's site goes on that site's record too.
                site_note.site(&u.site_id);
                Principal {
                    id: u.id,
                    actor: tessera_core::Actor::SiteUser {
                        site: u.site_id,
                        username: u.username,
                    }
                    .to_string(),
                    password_hash: u.password_hash,
                    account_id: Some(u.account_id),
                    disabled: false,
                }
            }))
        },
    )
    .await?;
    // Only someone who knows all three learns why the site is closed to them.
    if let Err(refused) = site_standing(app, &code).await {
        app.store
            .delete_session(SessionKind::SiteUser, &token_hash(&response.token))
            .await?;
        return Err(refused);
    }
    Ok(response)
}

/// Ends the session of `kind` that `token` (the bearer token in use, if any) opened: every
/// sign-out.
pub async fn end_session(app: &AppState, kind: SessionKind, token: Option<&str>) -> ApiResult<()> {
    if let Some(token) = token {
        app.store.delete_session(kind, &token_hash(token)).await?;
    }
    Ok(())
}

/// Who a signed-in operator is.
pub fn who_am_i(op: Operator) -> WhoAmI {
    WhoAmI {
        username: op.username,
        kind: "operator".into(),
    }
}
