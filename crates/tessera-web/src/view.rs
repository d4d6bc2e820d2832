//! What every page shows around its content (the layout's "chrome"): the language, the
//! asset URLs, the CSRF token htmx sends, who is signed in and the menu of what they may
//! open. Pages build it from [`Ctx`], the extractor of what the request says about the
//! reader.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use tessera_core::Language;
use tessera_core::rights::Right;
use tessera_server::AppState;
use tessera_server::actors::{AccountUser, Login, Operator};

use crate::i18n::Tr;
use crate::security::{csrf_token, session_token};

/// The reader: language and, when signed in, the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub tr: Tr,
    pub csrf: Option<String>,
    /// The path asked for, for "come back here after signing in".
    pub path: String,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let cookies = CookieJar::from_headers(&parts.headers);
        Ok(Ctx {
            tr: Tr::of(&parts.headers, &cookies),
            csrf: session_token(&parts.headers, parts.uri.path())
                .as_deref()
                .map(csrf_token),
            path: parts.uri.path().to_owned(),
        })
    }
}

/// One menu entry.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// The layout's data.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub tr: Tr,
    pub csrf: String,
    /// Where the brand in the header leads: the customers' start, or the console's.
    pub home: &'static str,
    /// Where the header's sign-out form posts.
    pub sign_out: &'static str,
    /// Who is signed in, as the header shows it.
    pub who: Option<String>,
    pub nav: Vec<NavItem>,
    pub languages: Vec<(&'static str, &'static str, bool)>,
    pub css: String,
    pub js: String,
    pub htmx: String,
    pub logo: String,
}

impl Chrome {
    /// The chrome of a page nobody is signed in to (sign-in, registration, errors).
    pub fn anonymous(tr: Tr) -> Chrome {
        Chrome {
            tr,
            csrf: String::new(),
            home: "/",
            sign_out: "/sign-out",
            who: None,
            nav: Vec::new(),
            languages: Language::ALL
                .iter()
                .map(|l| (l.code(), native_name(*l), *l == tr.0))
                .collect(),
            css: crate::assets::url("app.css"),
            js: crate::assets::url("app.js"),
            htmx: crate::assets::url("htmx.js"),
            logo: crate::assets::url("logo.svg"),
        }
    }

    /// The chrome of a signed-in page: the menu holds what `me` may open, `current` marked.
    pub fn signed_in(ctx: &Ctx, me: &AccountUser, current: &str) -> Chrome {
        let tr = ctx.tr;
        // More entries join as their pages come; each shown only with its right, and the
        // account-wide ones (`true`) never to a site user, who sees one site only: a site
        // user's groups may hold the right, but its use cases refuse a site user all the same.
        let whole_account = !matches!(me.login, Login::SiteUser { .. });
        let entries: [(&'static str, &str, Option<Right>, bool); 7] = [
            ("/sites", "nav-sites", None, false),
            ("/cloud", "nav-cloud", None, true),
            ("/invoices", "nav-invoices", Some(Right::ViewInvoices), true),
            (
                "/operations",
                "nav-operations",
                Some(Right::ViewOperationsLog),
                false,
            ),
            ("/users", "nav-users", Some(Right::ManageUsers), true),
            (
                "/sync/conflicts",
                "nav-conflicts",
                Some(Right::ResolveSyncConflicts),
                false,
            ),
            ("/downloads", "nav-downloads", None, false),
        ];
        let mut nav: Vec<NavItem> = entries
            .into_iter()
            .filter(|(_, _, right, _)| right.is_none_or(|r| me.rights.contains(&r)))
            .filter(|(_, _, _, account_wide)| whole_account || !account_wide)
            .map(|(href, key, _, _)| NavItem {
                href,
                label: tr.t(key),
                current: href == current,
            })
            .collect();
        // Activation by file is the account's superadmin's alone (X1).
        if me.login == Login::Superadmin {
            nav.push(NavItem {
                href: "/offline",
                label: tr.t("nav-offline"),
                current: current == "/offline",
            });
        }
        let who = match &me.login {
            Login::SiteUser { site, .. } => format!("{} · {site}", me.username),
            _ => me.username.clone(),
        };
        Chrome {
            csrf: ctx.csrf.clone().unwrap_or_default(),
            who: Some(who),
            nav,
            ..Chrome::anonymous(tr)
        }
    }

    /// The chrome of an operator console page (`/operator/…`): the console's menu, `current`
    /// marked, and its own sign-out.
    pub fn operator(ctx: &Ctx, me: &Operator, current: &str) -> Chrome {
        let entries: [(&'static str, &str); 10] = [
            ("/operator/fleet", "op-nav-fleet"),
            ("/operator/customers", "op-nav-customers"),
            ("/operator/subscriptions", "op-nav-subscriptions"),
            ("/operator/money", "op-nav-money"),
            ("/operator/keys", "op-nav-keys"),
            ("/operator/catalog", "op-nav-catalog"),
            ("/operator/plans", "op-nav-plans"),
            ("/operator/signing-keys", "op-nav-signing"),
            ("/operator/operations", "op-nav-operations"),
            ("/operator/webhooks", "op-nav-webhooks"),
        ];
        Chrome {
            csrf: ctx.csrf.clone().unwrap_or_default(),
            who: Some(me.username.clone()),
            nav: entries
                .into_iter()
                .map(|(href, key)| NavItem {
                    href,
                    label: ctx.tr.t(key),
                    current: current.starts_with(href),
                })
                .collect(),
            ..Chrome::operator_anonymous(ctx)
        }
    }

    /// The chrome of the console's sign-in page.
    pub fn operator_anonymous(ctx: &Ctx) -> Chrome {
        Chrome {
            csrf: ctx.csrf.clone().unwrap_or_default(),
            home: "/operator",
            sign_out: "/operator/sign-out",
            ..Chrome::anonymous(ctx.tr)
        }
    }

    /// The chrome of a page anyone may open (registration, password reset): anonymous, but
    /// with the session's CSRF token when the reader happens to be signed in, for its forms.
    pub fn public(ctx: &Ctx) -> Chrome {
        Chrome {
            csrf: ctx.csrf.clone().unwrap_or_default(),
            ..Chrome::anonymous(ctx.tr)
        }
    }

    /// `{"X-CSRF-Token": "…"}` for the layout's `hx-headers`.
    pub fn hx_headers(&self) -> String {
        format!("{{\"X-CSRF-Token\": \"{}\"}}", self.csrf)
    }
}

/// A language's name in itself, for the language picker.
pub fn native_name(l: Language) -> &'static str {
    match l {
        Language::En => "English",
        Language::De => "Deutsch",
        Language::It => "Italiano",
    }
}

/// An instant as the reader's day and time (the server's time zone), to the minute.
pub fn when(rfc3339: Option<&str>, zone: &jiff::tz::TimeZone) -> Option<String> {
    let t: jiff::Timestamp = rfc3339?.parse().ok()?;
    Some(
        t.to_zoned(zone.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
    )
}

/// The query of a page a form post redirects to: `?done=…` says what was just done, for the
/// page's notice.
#[derive(Debug, serde::Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    pub done: String,
}

/// Each of `values` with its label, the message `{prefix}-{value}`: a filter's or a
/// select's choices.
pub fn labelled<const N: usize>(
    tr: Tr,
    prefix: &str,
    values: [&'static str; N],
) -> Vec<(&'static str, String)> {
    values
        .into_iter()
        .map(|v| (v, tr.t(&format!("{prefix}-{v}"))))
        .collect()
}
