//! A further product key for the account (B2, seed 000's "Add licence"): the key with the
//! reseller it was bought from, through the API's use case `accounts::add_key`. Only who may
//! manage the account's sites gets the form (the `Holds` extractor refuses anyone else with
//! 403 `RIGHT_REQUIRED`, and the sites page shows the way here only to them).

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use tessera_api::AddKey;
use tessera_server::AppState;
use tessera_server::accounts;
use tessera_server::actors::{AccountUser, Holds, right};
use tessera_server::error::ApiError;
use tessera_server::extract::ClientIp;

use crate::form::{PageForm, Refusal, Section, Summary, Values, value};
use crate::pages::register::{KeyHelp, key_field, reseller, reseller_fields};
use crate::view::{Chrome, Ctx};

#[derive(Template)]
#[template(path = "keys_new.html")]
struct NewKeyPage {
    chrome: Chrome,
    key_help: KeyHelp,
    summary: Option<Summary>,
    sections: Vec<Section>,
}

/// Whether `me` is shown the way to add a key: the right, on a login of the whole account.
pub fn may_add_keys(me: &AccountUser) -> bool {
    me.rights
        .contains(&tessera_core::rights::Right::ManageSites)
        && !matches!(me.login, tessera_server::actors::Login::SiteUser { .. })
}

fn page(
    ctx: &Ctx,
    me: &AccountUser,
    values: &Values,
    refusal: Option<&Refusal>,
) -> Result<Html<String>, ApiError> {
    let tr = ctx.tr;
    let sections: Vec<Section> = [
        Section::new(tr, "keys-section-key", vec![key_field(tr)]),
        Section::new(tr, "keys-section-reseller", reseller_fields(tr))
            .intro(tr.t("register-section-reseller-intro")),
    ]
    .into_iter()
    .map(|s| Section {
        fields: s
            .fields
            .into_iter()
            .map(|f| f.fill(values, refusal))
            .collect(),
        ..s
    })
    .collect();
    let page = NewKeyPage {
        chrome: Chrome::signed_in(ctx, me, "/sites"),
        key_help: KeyHelp::new(tr),
        summary: Summary::of(refusal, sections.iter().flat_map(|s| &s.fields)),
        sections,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

/// `GET /account/keys/new`.
pub async fn form(ctx: Ctx, me: Holds<right::ManageSites>) -> Result<Html<String>, ApiError> {
    page(&ctx, &me, &Values::new(), None)
}

/// `POST /account/keys`: the key is registered to the account (its installation joins the
/// sites, which the reader is taken to); a refusal shows the form again as typed.
pub async fn add(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    me: Holds<right::ManageSites>,
    PageForm(values): PageForm<Values>,
) -> Result<Response, ApiError> {
    let req = AddKey {
        product_key: value(&values, "product_key"),
        reseller: reseller(&values),
    };
    match accounts::add_key(&state, ip, &me, &req).await {
        Ok(_) => Ok(Redirect::to("/sites").into_response()),
        Err(e) => {
            let refusal = Refusal::of(ctx.tr, e)?;
            Ok(refusal.respond(page(&ctx, &me, &values, Some(&refusal))?))
        }
    }
}
