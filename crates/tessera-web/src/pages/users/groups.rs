//! One group (seed 001's "Rechteverwaltung" of a group): its rights as switches (see
//! [`super::rights`]), its members among the account's users and its sites' users, its
//! name; a group created (from the overview), renamed, removed.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use tessera_api::{GroupDetails, GroupMembers, GroupName, NewGroup};
use tessera_server::AppState;
use tessera_server::actors::{Holds, PortalUser, right};
use tessera_server::error::{ApiError, not_found};
use tessera_server::extract::{ApiPath, ApiQuery};
use tessera_server::rights::{self as user_cases, groups as group_cases, site_users};

use super::{DoneQuery, PATH, Typed, at_field, done, notice, page as overview};
use crate::error::FormRefusal;
use crate::form::{Field, Kind};
use crate::view::{Chrome, Ctx};

/// Someone who may be in the group, ticked when they are.
pub struct MemberChoice {
    pub id: i64,
    pub username: String,
    /// The site of a site user.
    pub site: Option<String>,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage {
    chrome: Chrome,
    id: i64,
    name: String,
    notice: Option<String>,
    /// Each right's row, rendered as htmx swaps it.
    rights: Vec<String>,
    users: Vec<MemberChoice>,
    site_users: Vec<MemberChoice>,
    rename: Vec<Field>,
    /// A refusal of the new name that names no field.
    rename_error: Option<String>,
}

/// The group's page.
pub(crate) fn url(id: i64) -> String {
    format!("{PATH}/groups/{id}")
}

/// The account's group `id`, `GROUP_NOT_FOUND` when it has none such.
pub(crate) async fn find(
    state: &AppState,
    who: &Holds<right::ManageUsers>,
    id: i64,
) -> Result<GroupDetails, ApiError> {
    group_cases::groups(state, who)
        .await?
        .groups
        .into_iter()
        .find(|g| g.id == id)
        .ok_or_else(|| not_found("group"))
}

/// `GET /users/groups/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DoneQuery>,
) -> Result<Html<String>, ApiError> {
    let who = me.holds_account_wide::<right::ManageUsers>()?;
    let shown = notice(ctx.tr, &q.done);
    Ok(Html(page(&state, &ctx, &me, &who, id, shown, None).await?))
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    me: &PortalUser,
    who: &Holds<right::ManageUsers>,
    id: i64,
    notice: Option<String>,
    renamed: Option<(String, FormRefusal)>,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let group = find(state, who, id).await?;
    let everyone = user_cases::users(state, who).await?.users;
    let at_sites = site_users::account_site_users(state, who).await?;
    let (typed, refusal) = match renamed {
        Some((typed, refusal)) => (typed, Some(refusal)),
        None => (group.name.clone(), None),
    };
    let mut rename = vec![
        Field::new(tr, "name", "users-group-name", Kind::Text)
            .required()
            .auto("off")
            .with_value(typed),
    ];
    let rename_error = refusal.and_then(|r| at_field(&mut rename, r));
    let view = GroupPage {
        chrome: Chrome::signed_in(ctx, me, PATH),
        id,
        notice,
        rights: super::rights::rows(ctx, id, &group.rights)?,
        users: everyone
            .into_iter()
            .map(|u| MemberChoice {
                checked: group.users.iter().any(|m| m.id == u.id),
                id: u.id,
                username: u.username,
                site: None,
            })
            .collect(),
        site_users: at_sites
            .into_iter()
            .map(|u| MemberChoice {
                checked: group.site_users.iter().any(|m| m.id == u.id),
                id: u.id,
                username: u.username,
                site: Some(u.site_id),
            })
            .collect(),
        name: group.name,
        rename,
        rename_error,
    };
    Ok(view.render().map_err(anyhow::Error::from)?)
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct NamePost {
    name: String,
}

/// `POST /users/groups`: created without rights, on to its page to switch them on; refused,
/// the overview with the name as typed and the reason at it.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
    Form(post): Form<NamePost>,
) -> Result<Response, ApiError> {
    let who = me.holds_account_wide::<right::ManageUsers>()?;
    let req = NewGroup {
        name: post.name.clone(),
        rights: Vec::new(),
    };
    let refused = match group_cases::add_group(&state, &who, &req).await {
        Ok(group) => return Ok(done(&url(group.id), "group-created", "rights")),
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let typed = Typed {
        group_name: post.name,
        group_refusal: Some(refusal.clone()),
        ..Typed::default()
    };
    let html = overview(&state, &ctx, &me, &who, None, typed).await?;
    Ok(refusal.respond(html))
}

/// `POST /users/groups/{id}/name`: renamed, back to its page; refused, its page with the
/// name as typed and the reason at it.
pub async fn rename(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
    ApiPath(id): ApiPath<i64>,
    Form(post): Form<NamePost>,
) -> Result<Response, ApiError> {
    let who = me.holds_account_wide::<right::ManageUsers>()?;
    let req = GroupName {
        name: post.name.clone(),
    };
    let refused = match group_cases::rename_group(&state, &who, id, &req).await {
        Ok(()) => return Ok(done(&url(id), "group-renamed", "settings")),
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let renamed = Some((post.name, refusal.clone()));
    let html = page(&state, &ctx, &me, &who, id, None, renamed).await?;
    Ok(refusal.respond(html))
}

/// `POST /users/groups/{id}/delete`: removed with its rights and memberships (its members
/// stay, with their other groups' rights), back to the overview.
pub async fn remove(
    State(state): State<AppState>,
    me: PortalUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let who = me.holds_account_wide::<right::ManageUsers>()?;
    group_cases::remove_group(&state, &who, id).await?;
    Ok(done(PATH, "group-removed", "groups"))
}

/// The members ticked: the account's users and its sites' users.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct MembersPost {
    users: Vec<i64>,
    site_users: Vec<i64>,
}

/// `POST /users/groups/{id}/members`: the group holds exactly the ones ticked, back to its
/// page.
pub async fn members(
    State(state): State<AppState>,
    me: PortalUser,
    ApiPath(id): ApiPath<i64>,
    Form(post): Form<MembersPost>,
) -> Result<Response, ApiError> {
    let who = me.holds_account_wide::<right::ManageUsers>()?;
    let req = GroupMembers {
        user_ids: post.users,
        site_user_ids: Some(post.site_users),
    };
    group_cases::set_members(&state, &who, id, &req).await?;
    Ok(done(&url(id), "members-saved", "members"))
}
