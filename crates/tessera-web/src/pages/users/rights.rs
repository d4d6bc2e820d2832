//! A group's rights as switches (seed 001: "setzen Sie den Schalter … auf ON"): one row per
//! right with what it opens in the reader's language, ON or OFF. A switch posts the one
//! right's new state; the page reads the group's rights, changes that one and hands the
//! whole set to the use case the API's `PUT …/groups/{id}/rights` calls. htmx swaps the
//! row; without htmx the post goes back to the group's page.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use tessera_api::GroupRights;
use tessera_core::rights::Right;
use tessera_server::AppState;
use tessera_server::actors::{PortalUser, right};
use tessera_server::error::ApiError;
use tessera_server::extract::ApiPath;
use tessera_server::rights::groups as group_cases;

use super::done;
use super::groups::{find, url};
use crate::i18n::Tr;
use crate::view::Ctx;

/// A right's id in the catalog and the page: its name with `-` for `.`.
fn key(r: Right) -> String {
    r.name().replace('.', "-")
}

/// A right's short name in the reader's words.
pub(crate) fn label(tr: Tr, r: Right) -> String {
    tr.t(&format!("right-{}", key(r)))
}

/// One right of the group, and what htmx swaps.
#[derive(Template)]
#[template(path = "partials/group_right.html")]
pub struct RightRow {
    tr: Tr,
    csrf: String,
    action: String,
    /// `sites-operations-view`: the row's id and its texts' ids.
    key: String,
    /// The wire name, `sites.operations.view`.
    name: &'static str,
    label: String,
    help: String,
    on: bool,
    /// What a switch just did.
    notice: Option<String>,
}

impl RightRow {
    fn of(ctx: &Ctx, group: i64, r: Right, on: bool) -> RightRow {
        let tr = ctx.tr;
        RightRow {
            tr,
            csrf: ctx.csrf.clone().unwrap_or_default(),
            action: format!("{}/rights/{}", url(group), r.name()),
            key: key(r),
            name: r.name(),
            label: label(tr, r),
            help: tr.t(&format!("right-{}-help", key(r))),
            on,
            notice: None,
        }
    }

    fn html(&self) -> Result<String, ApiError> {
        Ok(self.render().map_err(anyhow::Error::from)?)
    }
}

/// Every right's row for group `group`, which holds `held`.
pub(crate) fn rows(ctx: &Ctx, group: i64, held: &[String]) -> Result<Vec<String>, ApiError> {
    Right::ALL
        .into_iter()
        .map(|r| RightRow::of(ctx, group, r, held.iter().any(|h| h == r.name())).html())
        .collect()
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct SwitchPost {
    /// `yes` to switch on, anything else off.
    on: String,
}

/// `POST /users/groups/{id}/rights/{right}`: the right switched on or off for the group
/// (its members hold the new rights from their next request); the row as it stands (htmx)
/// or the group's page.
pub async fn switch(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
    headers: HeaderMap,
    ApiPath((id, name)): ApiPath<(i64, String)>,
    Form(post): Form<SwitchPost>,
) -> Result<Response, ApiError> {
    let who = me.holds_account_wide::<right::ManageUsers>()?;
    // The path names the right: one that is none is a page that is not there (and so not
    // a refusal htmx would swap into the row).
    let r = Right::parse(&name).ok_or_else(|| tessera_server::error::not_found("right"))?;
    let group = find(&state, &who, id).await?;
    let on = post.on == "yes";
    let mut rights: Vec<String> = (group.rights.into_iter())
        .filter(|held| held != r.name())
        .collect();
    if on {
        rights.push(r.name().to_owned());
    }
    let after = group_cases::set_rights(&state, &who, id, &GroupRights { rights }).await?;
    let what = if on { "right-on" } else { "right-off" };
    if !headers.contains_key("hx-request") {
        return Ok(done(&url(id), what, &format!("right-{}", key(r))));
    }
    let now_on = after.rights.iter().any(|held| held == r.name());
    let mut row = RightRow::of(&ctx, id, r, now_on);
    row.notice = Some(ctx.tr.t(&format!("users-done-{what}")));
    Ok(Html(row.html()?).into_response())
}

#[cfg(test)]
mod tests {
    use tessera_core::Language;

    use super::*;

    #[test]
    fn every_right_has_a_name_and_what_it_opens_in_every_language() {
        for lang in Language::ALL {
            let tr = Tr(lang);
            for r in Right::ALL {
                for k in [
                    format!("right-{}", key(r)),
                    format!("right-{}-help", key(r)),
                ] {
                    assert!(tr.has(&k), "{lang:?}: {k}");
                }
            }
        }
    }
}
