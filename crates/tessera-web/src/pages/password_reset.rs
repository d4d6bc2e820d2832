//! A forgotten password (B3): the account's email address, then the mailed code with the
//! new password typed twice. The API's use cases (`accounts::request_reset`,
//! `accounts::confirm_reset`) do the work; the page after the address is the same whether
//! or not an account has it, so nobody learns which addresses are registered.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use tessera_core::account::confirm_password;
use tessera_server::AppState;
use tessera_server::accounts;
use tessera_server::error::ApiError;
use tessera_server::extract::ClientIp;

use crate::form::{Field, Kind, PageForm, Refusal, Summary, Values, value};
use crate::i18n::Tr;
use crate::view::{Chrome, Ctx};

#[derive(Template)]
#[template(path = "password_reset.html")]
struct EmailPage {
    chrome: Chrome,
    summary: Option<Summary>,
    fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "password_reset_code.html")]
struct CodePage {
    chrome: Chrome,
    /// "If … belongs to an account, a code was mailed", right after asking.
    sent: Option<String>,
    summary: Option<Summary>,
    fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "password_reset_done.html")]
struct DonePage {
    chrome: Chrome,
}

fn render(page: impl Template) -> Result<Html<String>, ApiError> {
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

fn email_page(
    ctx: &Ctx,
    values: &Values,
    refusal: Option<&Refusal>,
) -> Result<Html<String>, ApiError> {
    let fields = vec![
        Field::new(ctx.tr, "email", "reset-email", Kind::Email)
            .required()
            .auto("email")
            .fill(values, refusal),
    ];
    render(EmailPage {
        chrome: Chrome::public(ctx),
        summary: Summary::of(refusal, &fields),
        fields,
    })
}

fn code_fields(tr: Tr) -> Vec<Field> {
    let mut fields = vec![
        Field::new(tr, "token", "reset-code", Kind::Text)
            .required()
            .auto("one-time-code")
            .code(),
    ];
    fields.extend(new_password_fields(tr));
    fields
}

/// A new password typed twice (`password`, `password_confirm`): the reset's and a web
/// user's invitation's.
pub(crate) fn new_password_fields(tr: Tr) -> [Field; 2] {
    [
        Field::new(tr, "password", "reset-new-password", Kind::Password)
            .required()
            .auto("new-password")
            .hint(tr, "register-password-hint"),
        Field::new(
            tr,
            "password_confirm",
            "reset-new-password-confirm",
            Kind::Password,
        )
        .required()
        .auto("new-password"),
    ]
}

fn code_page(
    ctx: &Ctx,
    sent: Option<String>,
    values: &Values,
    refusal: Option<&Refusal>,
) -> Result<Html<String>, ApiError> {
    let fields: Vec<Field> = code_fields(ctx.tr)
        .into_iter()
        .map(|f| f.fill(values, refusal))
        .collect();
    render(CodePage {
        chrome: Chrome::public(ctx),
        sent,
        summary: Summary::of(refusal, &fields),
        fields,
    })
}

/// `GET /password-reset`: the account's email address.
pub async fn form(ctx: Ctx) -> Result<Html<String>, ApiError> {
    email_page(&ctx, &Values::new(), None)
}

/// `POST /password-reset`: mails a code when an account has the address, and says the same
/// either way; then asks for the code and the new password.
pub async fn request(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    PageForm(values): PageForm<Values>,
) -> Result<Response, ApiError> {
    let email = value(&values, "email");
    match accounts::request_reset(&state, ip, &email).await {
        Ok(()) => {
            let minutes = accounts::RESET_VALID.as_mins().to_string();
            let sent = ctx.tr.with(
                "reset-sent",
                &[("email", email.trim()), ("minutes", &minutes)],
            );
            Ok(code_page(&ctx, Some(sent), &Values::new(), None)?.into_response())
        }
        Err(e) => {
            let refusal = Refusal::of(ctx.tr, e)?;
            Ok(refusal.respond(email_page(&ctx, &values, Some(&refusal))?))
        }
    }
}

/// `GET /password-reset/confirm`: the code form, for a reader who comes back with the mail.
pub async fn code_form(ctx: Ctx) -> Result<Html<String>, ApiError> {
    code_page(&ctx, None, &Values::new(), None)
}

/// `POST /password-reset/confirm`: the new password, typed twice alike, set with the code;
/// every session of the account ends.
pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    PageForm(values): PageForm<Values>,
) -> Result<Response, ApiError> {
    let password = value(&values, "password");
    // The API takes the password once; the page has it typed twice (the domain's rule).
    let attempt = match confirm_password(
        "password_confirm",
        &password,
        &value(&values, "password_confirm"),
    ) {
        Err(mismatch) => Err(ApiError::from(mismatch)),
        Ok(()) => accounts::confirm_reset(&state, ip, &value(&values, "token"), &password).await,
    };
    match attempt {
        Ok(()) => Ok(render(DonePage {
            chrome: Chrome::public(&ctx),
        })?
        .into_response()),
        Err(e) => {
            let refusal = Refusal::of(ctx.tr, e)?;
            Ok(refusal.respond(code_page(&ctx, None, &values, Some(&refusal))?))
        }
    }
}
