//! A web user's invitation (H2): a site's software marked one of its users "web user", the
//! cloud mailed an invitation code; here the code and the new password typed twice set it
//! (the API's use case `rights::site_users::accept_invitation`), then the user signs in as
//! a site user with the site code.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use tessera_api::AcceptInvitation;
use tessera_core::account::confirm_password;
use tessera_server::AppState;
use tessera_server::error::ApiError;
use tessera_server::rights::site_users;

use crate::form::{Field, Kind, PageForm, Refusal, Summary, Values, value};
use crate::pages::password_reset::new_password_fields;
use crate::view::{Chrome, Ctx};

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    chrome: Chrome,
    summary: Option<Summary>,
    fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "invitation_done.html")]
struct DonePage {
    chrome: Chrome,
    username: String,
}

fn page(ctx: &Ctx, values: &Values, refusal: Option<&Refusal>) -> Result<Html<String>, ApiError> {
    let tr = ctx.tr;
    let code = Field::new(tr, "code", "invitation-code", Kind::Text)
        .required()
        .auto("one-time-code")
        .code();
    let fields: Vec<Field> = std::iter::once(code)
        .chain(new_password_fields(tr))
        .map(|f| f.fill(values, refusal))
        .collect();
    let page = InvitationPage {
        chrome: Chrome::public(ctx),
        summary: Summary::of(refusal, &fields),
        fields,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

/// `GET /invitation`.
pub async fn form(ctx: Ctx) -> Result<Html<String>, ApiError> {
    page(&ctx, &Values::new(), None)
}

/// `POST /invitation`: the password, typed twice alike, set with the code.
pub async fn accept(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(values): PageForm<Values>,
) -> Result<Response, ApiError> {
    let password = value(&values, "password");
    let attempt = match confirm_password(
        "password_confirm",
        &password,
        &value(&values, "password_confirm"),
    ) {
        Err(mismatch) => Err(ApiError::from(mismatch)),
        Ok(()) => {
            let req = AcceptInvitation {
                code: value(&values, "code"),
                password,
            };
            site_users::accept_invitation(&state, &req).await
        }
    };
    match attempt {
        Ok(accepted) => {
            let done = DonePage {
                chrome: Chrome::public(&ctx),
                username: accepted.username,
            };
            Ok(Html(done.render().map_err(anyhow::Error::from)?).into_response())
        }
        Err(e) => {
            let refusal = Refusal::of(ctx.tr, e)?;
            Ok(refusal.respond(page(&ctx, &values, Some(&refusal))?))
        }
    }
}
