//! The site's users (H1): who signs in with the site's code, their groups, a user added
//! with a username, a password and groups, a user removed (its sessions end at once).
//! The use cases take the proof of an account-wide `users.manage`: a site user never
//! manages users, whatever its groups hold.

use axum::extract::State;
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use tessera_api::NewSiteUser;
use tessera_core::password::MIN_PASSWORD_CHARS;
use tessera_server::AppState;
use tessera_server::actors::{Holds, PortalUser, right};
use tessera_server::error::ApiError;
use tessera_server::extract::ApiPath;
use tessera_server::rights::{groups, site_users};

use super::Shown;
use crate::error::FormRefusal;
use crate::form::{Field, Kind, mark};
use crate::view::Ctx;

/// The users section of the sheet.
pub struct Section {
    pub users: Vec<UserRow>,
    /// The new user's fields.
    pub fields: Vec<Field>,
    pub groups: Vec<GroupChoice>,
    /// A refusal that names no field.
    pub error: Option<String>,
}

pub struct UserRow {
    pub id: i64,
    pub username: String,
    /// Its groups' names.
    pub groups: String,
    /// "Remove NAME", for a screen reader.
    pub remove_label: String,
    /// A site user made from synced data (H2): its invitation can be mailed again.
    pub web_user: Option<WebUser>,
}

pub struct WebUser {
    /// Its invitation is not used yet: it cannot sign in.
    pub pending: bool,
    /// "Mail NAME's invitation again", for a screen reader.
    pub reinvite_label: String,
}

/// A group the new user may join.
pub struct GroupChoice {
    pub id: i64,
    pub name: String,
    pub checked: bool,
}

/// A refused new user, shown again as typed (but the password).
pub struct NewUserForm {
    username: String,
    groups: Vec<i64>,
    refusal: FormRefusal,
}

pub(crate) async fn section(
    state: &AppState,
    ctx: &Ctx,
    who: &Holds<right::ManageUsers>,
    site_id: &str,
    typed: Option<NewUserForm>,
) -> Result<Section, ApiError> {
    let tr = ctx.tr;
    let users = site_users::site_users(state, who, site_id).await?;
    let groups = groups::groups(state, who).await?.groups;
    let name_of = |id: &i64| {
        groups
            .iter()
            .find(|g| g.id == *id)
            .map(|g| g.name.clone())
            .unwrap_or_default()
    };
    let users = users
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            groups: u.groups.iter().map(name_of).collect::<Vec<_>>().join(", "),
            remove_label: tr.with("site-user-remove-named", &[("name", &u.username)]),
            web_user: u.web_user.then(|| WebUser {
                pending: u.invitation_pending(),
                reinvite_label: tr.with("site-user-reinvite-named", &[("name", &u.username)]),
            }),
            username: u.username,
        })
        .collect();
    let (username, picked) = typed
        .as_ref()
        .map(|t| (t.username.clone(), t.groups.clone()))
        .unwrap_or_default();
    let mut fields = vec![
        Field::new(tr, "username", "site-user-username", Kind::Text)
            .required()
            .auto("off")
            .with_value(username),
        Field::new(tr, "password", "password", Kind::Password)
            .required()
            .auto("new-password")
            .hint_text(tr.count("site-user-password-hint", MIN_PASSWORD_CHARS as i64)),
    ];
    let mut error = None;
    if let Some(refusal) = typed.map(|t| t.refusal) {
        let at_field =
            (refusal.field.as_deref()).is_some_and(|f| mark(&mut fields, f, &refusal.message));
        if !at_field {
            error = Some(refusal.message);
        }
    }
    Ok(Section {
        users,
        fields,
        groups: groups
            .iter()
            .map(|g| GroupChoice {
                id: g.id,
                name: g.name.clone(),
                checked: picked.contains(&g.id),
            })
            .collect(),
        error,
    })
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct NewUserPost {
    username: String,
    password: String,
    groups: Vec<i64>,
}

/// `POST /sites/{site_id}/users`: added, back to the sheet; refused, the sheet with the
/// form as typed and the reason at its field.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
    ApiPath(site_id): ApiPath<String>,
    Form(post): Form<NewUserPost>,
) -> Result<Response, ApiError> {
    let who = me.holds_account_wide::<right::ManageUsers>()?;
    let req = NewSiteUser {
        username: post.username.clone(),
        password: post.password,
        groups: post.groups.clone(),
    };
    let refused = match site_users::add_site_user(&state, &who, site_id.clone(), &req).await {
        Ok(_) => return Ok(super::done(&site_id, "user-added", "users")),
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let shown = Shown {
        new_user: Some(NewUserForm {
            username: post.username,
            groups: post.groups,
            refusal: refusal.clone(),
        }),
        ..Shown::default()
    };
    let html = super::sheet(&state, &ctx, &me, &site_id, shown).await?;
    Ok(refusal.respond(html))
}

/// `POST /sites/{site_id}/users/{id}/invitation`: a web user's invitation mailed again
/// (H2), back to the sheet.
pub async fn reinvite(
    State(state): State<AppState>,
    me: PortalUser,
    ApiPath((site_id, id)): ApiPath<(String, i64)>,
) -> Result<Response, ApiError> {
    let who = me.holds_account_wide::<right::ManageUsers>()?;
    site_users::reinvite(&state, &who, &site_id, id).await?;
    Ok(super::done(&site_id, "user-invited", "users"))
}

/// `POST /sites/{site_id}/users/{id}/delete`: the user removed, back to the sheet.
pub async fn remove(
    State(state): State<AppState>,
    me: PortalUser,
    ApiPath((site_id, id)): ApiPath<(String, i64)>,
) -> Result<Response, ApiError> {
    let who = me.holds_account_wide::<right::ManageUsers>()?;
    site_users::remove_site_user(&state, &who, &site_id, id).await?;
    Ok(super::done(&site_id, "user-removed", "users"))
}
