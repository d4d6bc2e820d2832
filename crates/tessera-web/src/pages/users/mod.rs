//! Users, groups and rights (F5; seed 001's "Benutzerverwaltung": the groups' overview, the
//! "Rechteverwaltung" of each group with a switch per right, its members): the account's
//! groups with their rights and members, a group created, renamed and removed, its rights
//! switched one at a time, its members chosen among the account's users and its sites'
//! users; the account's users added (username, password twice, groups), disabled and
//! enabled again (htmx swaps the user's row), and removed.
//!
//! Every page and action takes the proof of an account-wide `users.manage`, which the use
//! cases ask for: the menu shows the way here only with it, and anyone else is refused 403
//! (a site user too, whatever its groups hold).

pub mod groups;
pub mod rights;

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use tessera_api::{ErrorCode, GroupDetails, NewUser, User};
use tessera_core::password::MIN_PASSWORD_CHARS;
use tessera_core::rights::Right;
use tessera_server::actors::{Holds, PortalUser, right};
use tessera_server::error::ApiError;
use tessera_server::extract::{ApiPath, ApiQuery};
use tessera_server::rights::groups as group_cases;
use tessera_server::{AppState, forms, rights as user_cases};

use crate::error::FormRefusal;
use crate::form::{Field, Kind, mark};
use crate::i18n::Tr;
use crate::view::{Chrome, Ctx, DoneQuery, when};

/// The page the menu's "Users" opens.
pub const PATH: &str = "/users";

/// One group of the overview: its rights and how many are in it.
pub struct GroupRow {
    pub id: i64,
    pub name: String,
    /// The names of the rights it holds, in the reader's words.
    pub rights: Vec<String>,
    pub members: String,
}

// A user's row and a group one may tick look the same here as on a site's page.
pub use crate::pages::site::users::{GroupChoice, UserRow};

/// One of the account's users, and what htmx swaps when it is disabled or enabled: its row
/// with its state and the actions on it.
#[derive(Template)]
#[template(path = "partials/user_row.html")]
pub struct AccountUserRow {
    tr: Tr,
    csrf: String,
    row: UserRow,
    /// "Disabled since …" while the user may not sign in; None while it may.
    disabled_since: Option<String>,
    /// Where its button posts: `/users/{id}/disable`, or `…/enable` while it is disabled.
    switch_action: String,
    /// "Disable NAME" or "Enable NAME", for a screen reader.
    switch_label: String,
    /// What a click just did.
    notice: Option<String>,
}

impl AccountUserRow {
    fn of(state: &AppState, ctx: &Ctx, groups: &[GroupDetails], u: User) -> AccountUserRow {
        let tr = ctx.tr;
        let disabled_since = u.disabled_at.as_deref().map(|at| {
            let at = when(Some(at), &state.zone).unwrap_or_else(|| at.to_owned());
            tr.with("users-user-disabled-since", &[("when", &at)])
        });
        let (switch, label) = match disabled_since {
            Some(_) => ("enable", "users-user-enable-named"),
            None => ("disable", "users-user-disable-named"),
        };
        AccountUserRow {
            tr,
            csrf: ctx.csrf.clone().unwrap_or_default(),
            switch_action: format!("{PATH}/{}/{switch}", u.id),
            switch_label: tr.with(label, &[("name", &u.username)]),
            disabled_since,
            row: UserRow {
                groups: groups_of(tr, groups, u.id),
                remove_label: tr.with("users-user-remove-named", &[("name", &u.username)]),
                id: u.id,
                username: u.username,
                web_user: None,
            },
            notice: None,
        }
    }

    fn html(&self) -> Result<String, ApiError> {
        Ok(self.render().map_err(anyhow::Error::from)?)
    }
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    notice: Option<String>,
    groups: Vec<GroupRow>,
    group_fields: Vec<Field>,
    /// A refusal of the new group that names no field.
    group_error: Option<String>,
    /// Each user's row, rendered (the partial htmx swaps).
    users: Vec<String>,
    user_fields: Vec<Field>,
    user_groups: Vec<GroupChoice>,
    /// A refusal of the new user that names no field.
    user_error: Option<String>,
}

/// What a refused form post shows again: what was typed (never a password) and why not.
#[derive(Default)]
struct Typed {
    group_name: String,
    group_refusal: Option<FormRefusal>,
    username: String,
    user_groups: Vec<i64>,
    user_refusal: Option<FormRefusal>,
}

/// `GET /users`: the groups' overview and the users.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
    ApiQuery(q): ApiQuery<DoneQuery>,
) -> Result<Html<String>, ApiError> {
    let who = me.holds_account_wide::<right::ManageUsers>()?;
    let notice = notice(ctx.tr, &q.done);
    Ok(Html(
        page(&state, &ctx, &me, &who, notice, Typed::default()).await?,
    ))
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    me: &PortalUser,
    who: &Holds<right::ManageUsers>,
    notice: Option<String>,
    typed: Typed,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let groups = group_cases::groups(state, who).await?.groups;
    let users = user_cases::users(state, who).await?.users;
    let users = users
        .into_iter()
        .map(|u| AccountUserRow::of(state, ctx, &groups, u).html())
        .collect::<Result<_, _>>()?;
    let mut group_fields = vec![
        Field::new(tr, "name", "users-group-name", Kind::Text)
            .required()
            .auto("off")
            .with_value(typed.group_name),
    ];
    let group_error = typed
        .group_refusal
        .and_then(|r| at_field(&mut group_fields, r));
    let mut user_fields = vec![
        Field::new(tr, "username", "users-username", Kind::Text)
            .required()
            .auto("off")
            .with_value(typed.username),
        Field::new(tr, "password", "users-password", Kind::Password)
            .required()
            .auto("new-password")
            .hint_text(tr.count("users-password-hint", MIN_PASSWORD_CHARS as i64)),
        Field::new(
            tr,
            "password_confirm",
            "users-password-confirm",
            Kind::Password,
        )
        .required()
        .auto("new-password"),
    ];
    let user_error = typed
        .user_refusal
        .and_then(|r| at_field(&mut user_fields, r));
    let view = UsersPage {
        chrome: Chrome::signed_in(ctx, me, PATH),
        notice,
        user_groups: groups
            .iter()
            .map(|g| GroupChoice {
                id: g.id,
                name: g.name.clone(),
                checked: typed.user_groups.contains(&g.id),
            })
            .collect(),
        groups: groups.iter().map(|g| group_row(tr, g)).collect(),
        group_fields,
        group_error,
        users,
        user_fields,
        user_error,
    };
    Ok(view.render().map_err(anyhow::Error::from)?)
}

fn group_row(tr: Tr, g: &GroupDetails) -> GroupRow {
    GroupRow {
        id: g.id,
        name: g.name.clone(),
        rights: Right::ALL
            .into_iter()
            .filter(|r| g.rights.iter().any(|held| held == r.name()))
            .map(|r| rights::label(tr, r))
            .collect(),
        members: tr.count(
            "users-group-members",
            (g.users.len() + g.site_users.len()) as i64,
        ),
    }
}

/// The names of the groups user `id` is in, or that it is in none.
fn groups_of(tr: Tr, groups: &[GroupDetails], id: i64) -> String {
    let names: Vec<&str> = groups
        .iter()
        .filter(|g| g.users.iter().any(|u| u.id == id))
        .map(|g| g.name.as_str())
        .collect();
    if names.is_empty() {
        tr.t("users-user-groups-none")
    } else {
        names.join(", ")
    }
}

/// Puts a refusal at the field it is about; its text when that is none of `fields`. A
/// name taken is about the name, though the use case names no field for a conflict.
pub(crate) fn at_field(fields: &mut [Field], refusal: FormRefusal) -> Option<String> {
    let field = refusal.field.as_deref().or(match refusal.code {
        ErrorCode::UsernameTaken => Some("username"),
        ErrorCode::GroupExists => Some("name"),
        _ => None,
    });
    let placed = field.is_some_and(|f| mark(fields, f, &refusal.message));
    (!placed).then_some(refusal.message)
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct NewUserPost {
    username: String,
    password: String,
    password_confirm: String,
    groups: Vec<i64>,
}

/// `POST /users`: added (in the groups ticked), back to the page; refused, the page with
/// what was typed and the reason at its field.
pub async fn create_user(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
    Form(post): Form<NewUserPost>,
) -> Result<Response, ApiError> {
    let who = me.holds_account_wide::<right::ManageUsers>()?;
    let req = NewUser {
        username: post.username.clone(),
        password: post.password.clone(),
        groups: post.groups.clone(),
    };
    // The password typed twice is the form's own check (the server's rule for it), before
    // the use case's.
    let added = match forms::password_twice("password", &post.password, &post.password_confirm) {
        Ok(_) => user_cases::add_user(&state, &who, &req).await.map(drop),
        Err(e) => Err(e),
    };
    let refused = match added {
        Ok(()) => return Ok(done(PATH, "user-added", "users")),
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let typed = Typed {
        username: post.username,
        user_groups: post.groups,
        user_refusal: Some(refusal.clone()),
        ..Typed::default()
    };
    let html = page(&state, &ctx, &me, &who, None, typed).await?;
    Ok(refusal.respond(html))
}

/// `POST /users/{id}/delete`: the user removed (its sessions end at once), back to the page.
pub async fn remove_user(
    State(state): State<AppState>,
    me: PortalUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let who = me.holds_account_wide::<right::ManageUsers>()?;
    user_cases::remove_user(&state, &who, id).await?;
    Ok(done(PATH, "user-removed", "users"))
}

/// `POST /users/{id}/disable`: the user disabled (its sessions end at once, its sign-in is
/// refused); its row as it now stands (htmx) or back to the page.
pub async fn disable_user(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    switch_user(&state, &ctx, me, &headers, id, true).await
}

/// `POST /users/{id}/enable`: the user enabled again; its row (htmx) or back to the page.
pub async fn enable_user(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    switch_user(&state, &ctx, me, &headers, id, false).await
}

async fn switch_user(
    state: &AppState,
    ctx: &Ctx,
    me: PortalUser,
    headers: &HeaderMap,
    id: i64,
    disable: bool,
) -> Result<Response, ApiError> {
    let who = me.holds_account_wide::<right::ManageUsers>()?;
    let (user, what) = if disable {
        (
            user_cases::disable_user(state, &who, id).await?,
            "user-disabled",
        )
    } else {
        (
            user_cases::enable_user(state, &who, id).await?,
            "user-enabled",
        )
    };
    if !headers.contains_key("hx-request") {
        return Ok(done(PATH, what, &format!("user-{id}")));
    }
    let groups = group_cases::groups(state, &who).await?.groups;
    let mut row = AccountUserRow::of(state, ctx, &groups, user);
    row.notice = Some(ctx.tr.t(&format!("users-done-{what}")));
    Ok(Html(row.html()?).into_response())
}

/// Back to `path` after a form post (303), saying `what` was done, at its `section`.
pub(crate) fn done(path: &str, what: &str, section: &str) -> Response {
    Redirect::to(&format!("{path}?done={what}#{section}")).into_response()
}

/// The reader's words for what was just done; None for anything else.
pub(crate) fn notice(tr: Tr, done: &str) -> Option<String> {
    let known = [
        "user-added",
        "user-removed",
        "user-disabled",
        "user-enabled",
        "group-created",
        "group-renamed",
        "group-removed",
        "members-saved",
        "right-on",
        "right-off",
    ];
    known
        .contains(&done)
        .then(|| tr.t(&format!("users-done-{done}")))
}
