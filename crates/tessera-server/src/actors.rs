//! Who acts, and what they may do: the acting parties as types, each an extractor, so a
//! route or use case that takes an [`Operator`] cannot be reached without a valid operator
//! token. Rights are proofs: a use case that needs a right takes a [`Holds`] of it, which
//! only [`AccountUser::holds`] (or the `Holds` extractor) makes after checking it, so
//! forgetting the check does not compile. A site user reaches only its own site: the
//! [`OwnSite`] a site use case takes comes only from [`PortalUser::site_scope`].

use std::collections::BTreeSet;
use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tessera_core::Actor;
use tessera_core::rights::Right;
use tessera_store::{GroupMember, SessionKind, SiteScope};

use crate::error::ApiError;
use crate::extract::{bearer_token, token_hash};
use crate::state::AppState;

/// A signed-in operator (vendor staff).
#[derive(Debug, Clone)]
pub struct Operator {
    pub id: i64,
    pub username: String,
    /// The operations-log note of this request, for the account an action concerns.
    pub note: crate::oplog::OpNote,
}

impl Operator {
    pub fn actor(&self) -> Actor {
        Actor::Operator(self.username.clone())
    }
}

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let id = session(parts, state, SessionKind::Operator).await?;
        let operator = state
            .store
            .operator(id)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        let note = crate::oplog::OpNote::of(parts);
        note.actor(format!("operator:{}", operator.username));
        Ok(Operator {
            id: operator.id,
            username: operator.username,
            note,
        })
    }
}

/// The principal of the bearer token's live session of `kind`, or 401.
async fn session(parts: &Parts, state: &AppState, kind: SessionKind) -> Result<i64, ApiError> {
    let token = bearer_token(&parts.headers).ok_or(ApiError::Unauthenticated)?;
    state
        .store
        .session_principal(kind, &token_hash(token), state.clock.now())
        .await?
        .ok_or(ApiError::Unauthenticated)
}

/// How someone signed in to an account's portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    /// The account's own login: every right.
    Superadmin,
    /// One of the account's users (F5), by id.
    User(i64),
    /// A user of one site (H1), by id, and that site's public id: sees that site only.
    SiteUser { id: i64, site: String },
}

/// Someone signed in to an account's portal: its superadmin (every right) or one of its users
/// (the rights of the user's groups, F5). Site users are not let in here: routes that serve
/// one site take [`PortalUser`].
#[derive(Debug, Clone)]
pub struct AccountUser {
    /// The account.
    pub id: i64,
    /// The name signed in with: the account's username, or the user's.
    pub username: String,
    pub login: Login,
    pub rights: BTreeSet<Right>,
}

impl AccountUser {
    pub fn actor(&self) -> Actor {
        match &self.login {
            Login::Superadmin => Actor::Account(self.username.clone()),
            Login::User(_) => Actor::User(self.username.clone()),
            Login::SiteUser { site, .. } => Actor::SiteUser {
                site: site.clone(),
                username: self.username.clone(),
            },
        }
    }

    /// The session kind of this login (for logout).
    pub fn session_kind(&self) -> SessionKind {
        match self.login {
            Login::Superadmin => SessionKind::Account,
            Login::User(_) => SessionKind::User,
            Login::SiteUser { .. } => SessionKind::SiteUser,
        }
    }
}

impl FromRequestParts<AppState> for AccountUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        portal_login(parts, state, false).await
    }
}

/// Someone signed in to an account's portal, site users included: for the routes that
/// serve one site (its sheet, services, technician, operations). A site user reaches its
/// own site only; [`PortalUser::scope`] answers 404 for any other, as for another account's.
#[derive(Debug, Clone)]
pub struct PortalUser(pub AccountUser, crate::oplog::OpNote);

impl std::ops::Deref for PortalUser {
    type Target = AccountUser;

    fn deref(&self) -> &AccountUser {
        &self.0
    }
}

impl PortalUser {
    /// The site this login may see, or None when it sees every site of its account.
    pub fn site(&self) -> Option<&str> {
        match &self.0.login {
            Login::SiteUser { site, .. } => Some(site),
            _ => None,
        }
    }

    /// The scope to look `site_id` up in; `SITE_NOT_FOUND` for a site user's other sites
    /// (and the refusal goes on the record of the site it tried).
    pub fn scope(&self, site_id: &str) -> Result<SiteScope<'static>, ApiError> {
        self.site_scope(site_id).map(|own| own.scope)
    }

    /// `site_id` as a site this login may act on; `SITE_NOT_FOUND` for a site user's other
    /// sites (and the refusal goes on the record of the site it tried).
    pub fn site_scope(&self, site_id: &str) -> Result<OwnSite, ApiError> {
        match self.site() {
            Some(mine) if mine != site_id => {
                self.1.site(site_id);
                Err(crate::error::not_found("site"))
            }
            _ => Ok(OwnSite {
                site_id: site_id.to_owned(),
                scope: SiteScope::Account(self.0.id),
            }),
        }
    }
}

impl FromRequestParts<AppState> for PortalUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let me = portal_login(parts, state, true).await?;
        Ok(PortalUser(me, crate::oplog::OpNote::of(parts)))
    }
}

/// The account's own login, its superadmin: the only one who changes the account's data and
/// contacts. Anyone else signed in to the portal is refused `403 SUPERADMIN_REQUIRED`.
#[derive(Debug, Clone)]
pub struct Superadmin(AccountUser);

impl std::ops::Deref for Superadmin {
    type Target = AccountUser;

    fn deref(&self) -> &AccountUser {
        &self.0
    }
}

impl FromRequestParts<AppState> for Superadmin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let me = portal_login(parts, state, true).await?;
        if me.login != Login::Superadmin {
            return Err(tessera_api::ErrorCode::SuperadminRequired.into());
        }
        Ok(Superadmin(me))
    }
}

/// Refuses a site user whose site may not use the cloud now (E4, E6): `SUBSCRIPTION_EXPIRED`,
/// `SUBSCRIPTION_BLOCKED`, `SUBSCRIPTION_MAINTENANCE`, `SUBSCRIPTION_DELETED` (its codes are
/// remembered after the deletion), the site's own license refusals,
/// `CLOUD_LICENSE_MISMATCH`; 401 when the code names no enabled site any more.
pub async fn site_standing(state: &AppState, code: &str) -> Result<(), ApiError> {
    let access = state
        .store
        .cloud_access_by_code(code)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    crate::error::cloud_standing(&access, state.clock.now())
}

/// The portal login whose bearer token the request carries: the superadmin, an account
/// user, or (when `site_users`) a site user.
async fn portal_login(
    parts: &Parts,
    state: &AppState,
    site_users: bool,
) -> Result<AccountUser, ApiError> {
    let token = bearer_token(&parts.headers).ok_or(ApiError::Unauthenticated)?;
    let hash = token_hash(token);
    let now = state.clock.now();
    let store = &state.store;
    let session = |kind| store.session_principal(kind, &hash, now);
    let rights_of = |names: Vec<String>| names.iter().filter_map(|n| Right::parse(n)).collect();
    let me = if let Some(id) = session(SessionKind::Account).await? {
        let account = store.account(id).await?.ok_or(ApiError::Unauthenticated)?;
        AccountUser {
            id: account.id,
            username: account.username,
            login: Login::Superadmin,
            rights: Right::ALL.into_iter().collect(),
        }
    } else if let Some(id) = session(SessionKind::User).await? {
        // Disabling a user ends its sessions; one opened by a sign-in that passed its check
        // as the user was being disabled is refused here all the same.
        let user = store
            .user(id)
            .await?
            .filter(|u| u.disabled_at.is_none())
            .ok_or(ApiError::Unauthenticated)?;
        AccountUser {
            id: user.account_id,
            username: user.username,
            login: Login::User(user.id),
            rights: rights_of(store.member_rights(GroupMember::User(user.id)).await?),
        }
    } else if site_users && let Some(id) = session(SessionKind::SiteUser).await? {
        // Gone with its site's cloud enablement, even mid-session; refused (403, with the
        // reason) while the subscription or the site's license does not allow the cloud.
        let user = store
            .site_user(id)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        let code = user.site_code.as_deref().ok_or(ApiError::Unauthenticated)?;
        site_standing(state, code).await?;
        AccountUser {
            id: user.account_id,
            username: user.username,
            login: Login::SiteUser {
                id: user.id,
                site: user.site_id,
            },
            rights: rights_of(store.member_rights(GroupMember::SiteUser(user.id)).await?),
        }
    } else {
        return Err(ApiError::Unauthenticated);
    };
    let note = crate::oplog::OpNote::of(parts);
    note.actor(me.actor().to_string());
    note.account(me.id);
    if let Login::SiteUser { site, .. } = &me.login {
        note.site(site);
    }
    Ok(me)
}

/// The client software of an installation, by the site token its activation returned.
#[derive(Debug, Clone)]
pub struct SiteClient {
    pub site_id: String,
    pub account_id: i64,
    /// SHA-256 of the token, for changes that must still hold it when they commit.
    pub token_hash: String,
}

impl FromRequestParts<AppState> for SiteClient {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let hash = token_hash(token);
        let (site_id, account_id) = state
            .store
            .site_for_token(&hash)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        let note = crate::oplog::OpNote::of(parts);
        note.actor(format!("site:{site_id}"));
        note.site(&site_id);
        note.account(account_id);
        Ok(SiteClient {
            site_id,
            account_id,
            token_hash: hash,
        })
    }
}

/// A site's client in the cloud, by the cloud token its code exchange returned, while the
/// site may use the cloud: 401 for an unknown token, 403 with the reason otherwise
/// ([`crate::cloud::standing`]).
#[derive(Debug, Clone)]
pub struct CloudClient(pub tessera_store::CloudAccess);

impl FromRequestParts<AppState> for CloudClient {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let access = state
            .store
            .cloud_access(&token_hash(token))
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        let note = crate::oplog::OpNote::of(parts);
        note.actor(format!("site:{}", access.site_id));
        note.site(&access.site_id);
        note.account(access.account_id);
        crate::error::cloud_standing(&access, state.clock.now())?;
        Ok(CloudClient(access))
    }
}

/// A right as a type, so a use case can ask for proof of exactly that right.
pub trait RightKind {
    const RIGHT: Right;
}

/// What a [`Holds`] proves: one right ([`RightKind`]) or a pair of them, `(A, B)`, for an
/// action that needs both.
pub trait Rights {
    /// The first of these rights that `held` lacks, if any.
    fn missing(held: &BTreeSet<Right>) -> Option<Right>;
}

impl<R: RightKind> Rights for R {
    fn missing(held: &BTreeSet<Right>) -> Option<Right> {
        (!held.contains(&R::RIGHT)).then_some(R::RIGHT)
    }
}

impl<A: RightKind, B: RightKind> Rights for (A, B) {
    fn missing(held: &BTreeSet<Right>) -> Option<Right> {
        <A as Rights>::missing(held).or_else(|| <B as Rights>::missing(held))
    }
}

/// The rights as types (F5), one per [`Right`].
pub mod right {
    use super::{Right, RightKind};

    /// Show the station sheet's operations-management tab: the site's services (seed 001).
    pub struct OperationsTab;
    /// Read the operations log.
    pub struct ViewOperationsLog;
    /// Approve actions with follow-up costs.
    pub struct ApproveCosts;
    /// Edit a site's technician and equipment.
    pub struct EditTechnical;
    /// See the invoices and invoice lines.
    pub struct ViewInvoices;
    /// Add keys, release installations, enable sites for the cloud.
    pub struct ManageSites;
    /// Users, groups, rights and site users.
    pub struct ManageUsers;
    /// Settle the cloud sync's conflicts.
    pub struct ResolveSyncConflicts;

    /// Switching a service on or off: it happens on the operations tab and has follow-up
    /// costs, so it needs both rights (seed 001).
    pub type SwitchServices = (OperationsTab, ApproveCosts);

    impl RightKind for OperationsTab {
        const RIGHT: Right = Right::OperationsTab;
    }
    impl RightKind for ViewOperationsLog {
        const RIGHT: Right = Right::ViewOperationsLog;
    }
    impl RightKind for ApproveCosts {
        const RIGHT: Right = Right::ApproveCosts;
    }
    impl RightKind for EditTechnical {
        const RIGHT: Right = Right::EditTechnical;
    }
    impl RightKind for ViewInvoices {
        const RIGHT: Right = Right::ViewInvoices;
    }
    impl RightKind for ManageSites {
        const RIGHT: Right = Right::ManageSites;
    }
    impl RightKind for ManageUsers {
        const RIGHT: Right = Right::ManageUsers;
    }
    impl RightKind for ResolveSyncConflicts {
        const RIGHT: Right = Right::ResolveSyncConflicts;
    }
}

/// Proof that the login `U` (an [`AccountUser`], or a [`PortalUser`] for the routes that
/// serve one site) holds the rights `R` (one, or a pair). Made only by checking them; as an
/// extractor it answers 403 `RIGHT_REQUIRED`, naming the first one missing.
pub struct Holds<R, U = AccountUser> {
    who: U,
    right: PhantomData<fn() -> R>,
}

impl<R, U> std::ops::Deref for Holds<R, U> {
    type Target = U;

    fn deref(&self) -> &U {
        &self.who
    }
}

impl<A, B, U: Clone> Holds<(A, B), U> {
    /// The proof of the first of the pair, for a use case that needs only that one.
    pub fn first(&self) -> Holds<A, U> {
        Holds {
            who: self.who.clone(),
            right: PhantomData,
        }
    }
}

impl AccountUser {
    /// Proof that this user holds `R`, or 403 `RIGHT_REQUIRED` naming it.
    pub fn holds<R: Rights>(self) -> Result<Holds<R>, ApiError> {
        check::<R>(&self)?;
        Ok(Holds {
            who: self,
            right: PhantomData,
        })
    }
}

impl PortalUser {
    /// Proof that this user holds `R`, or 403 `RIGHT_REQUIRED` naming it.
    pub fn holds<R: Rights>(self) -> Result<Holds<R, PortalUser>, ApiError> {
        check::<R>(&self.0)?;
        Ok(Holds {
            who: self,
            right: PhantomData,
        })
    }

    /// Proof that this login holds `R` account-wide, for the account's own actions offered
    /// on a page that serves one site (its data, its users, its cloud codes): the use cases
    /// take an [`AccountUser`]'s proof, which a site user never gives, whatever its groups'
    /// rights. A site user is refused 403 `RIGHT_REQUIRED` naming the first of `R`, as is
    /// anyone else without it.
    pub fn holds_account_wide<R: Rights>(&self) -> Result<Holds<R>, ApiError> {
        if self.site().is_some()
            && let Some(right) = R::missing(&BTreeSet::new())
        {
            return Err(ApiError::Forbidden(right));
        }
        self.0.clone().holds()
    }
}

fn check<R: Rights>(user: &AccountUser) -> Result<(), ApiError> {
    match R::missing(&user.rights) {
        None => Ok(()),
        Some(right) => Err(ApiError::Forbidden(right)),
    }
}

impl<R: Rights> FromRequestParts<AppState> for Holds<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        AccountUser::from_request_parts(parts, state).await?.holds()
    }
}

impl<R: Rights> FromRequestParts<AppState> for Holds<R, PortalUser> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        PortalUser::from_request_parts(parts, state).await?.holds()
    }
}

/// One site of the account a portal login may act on: its own site for a site user, any
/// of the account's for the others. Made only by [`PortalUser::site_scope`].
#[derive(Debug, Clone)]
pub struct OwnSite {
    pub site_id: String,
    pub scope: SiteScope<'static>,
}
