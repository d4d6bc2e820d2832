//! A product's releases in the console (X6): the list, newest first, with the minimum
//! versions (the program's, and the one it needs to connect to the cloud); a release
//! published, withdrawn and each minimum set with forms. The use cases of the
//! operator JSON routes (`catalog::releases`), unchanged.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tessera_api::{NewRelease, ReleaseList};
use tessera_core::release::Minimum;
use tessera_server::AppState;
use tessera_server::actors::Operator;
use tessera_server::catalog::releases;
use tessera_server::error::ApiError;
use tessera_server::extract::ApiQuery;

use crate::error::FormRefusal;
use crate::form::{Field, FormCard, Kind, PageForm};
use crate::i18n::Tr;
use crate::pages::cloud::day;
use crate::pages::users::at_field;
use crate::view::{Chrome, Ctx, DoneQuery};

const PATH: &str = "/operator/catalog";

pub struct ReleaseRow {
    pub version: String,
    pub channel: String,
    pub editions: String,
    pub date: String,
    pub url: String,
    pub sha256: String,
    pub notes: String,
    /// "Withdrawn on …: why", for a withdrawn release; None: offered, with its withdraw form.
    pub withdrawn: Option<String>,
    /// Where its withdraw form posts.
    pub withdraw: String,
    /// The refusal of a withdrawal of this release just tried, and the reason typed.
    pub error: Option<String>,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "operator/releases.html")]
struct ReleasesPage {
    chrome: Chrome,
    notice: Option<String>,
    /// A refusal that belongs to no form or row on the page.
    error: Option<String>,
    product: String,
    product_name: String,
    minimum: Option<String>,
    cloud_minimum: Option<String>,
    releases: Vec<ReleaseRow>,
    forms: Vec<FormCard>,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct ReleasePost {
    version: String,
    channel: String,
    url: String,
    sha256: String,
    editions: String,
    notes: String,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct MinimumPost {
    /// The program's minimum, from its form.
    minimum_version: String,
    /// The cloud's minimum, from its form.
    cloud_minimum_version: String,
}

impl MinimumPost {
    fn value(&self, which: Minimum) -> &str {
        match which {
            Minimum::Program => &self.minimum_version,
            Minimum::Cloud => &self.cloud_minimum_version,
        }
    }
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct WithdrawPost {
    reason: String,
}

/// What a refused post brings back to the page.
enum Typed {
    Release(ReleasePost, FormRefusal),
    Minimum(Minimum, MinimumPost, FormRefusal),
    /// The version whose withdrawal was refused, and what was typed.
    Withdraw(String, WithdrawPost, FormRefusal),
}

/// `GET /operator/catalog/{code}/releases`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<DoneQuery>,
) -> Result<Html<String>, ApiError> {
    let list = releases::list(&state, &code).await?;
    let notice = [
        "published",
        "minimum",
        "cloud-minimum",
        "withdrawn",
        "restored",
    ]
    .contains(&q.done.as_str())
    .then(|| ctx.tr.t(&format!("op-releases-done-{}", q.done)));
    Ok(Html(page(&ctx, &op, &state, list, notice, None)?))
}

fn page(
    ctx: &Ctx,
    op: &Operator,
    state: &AppState,
    list: ReleaseList,
    notice: Option<String>,
    typed: Option<Typed>,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let (release_typed, minimum_typed, withdraw_refused) = match typed {
        Some(Typed::Release(p, r)) => (Some((p, r)), None, None),
        Some(Typed::Minimum(which, p, r)) => (None, Some((which, p, r)), None),
        Some(Typed::Withdraw(version, post, r)) => (None, None, Some((version, post, r.message))),
        None => (None, None, None),
    };
    let typed_for = |which: Minimum| {
        minimum_typed
            .clone()
            .filter(|(w, _, _)| *w == which)
            .map(|(_, p, r)| (p, r))
    };
    let forms = vec![
        release_form(tr, &list.product, release_typed),
        minimum_form(tr, &list, Minimum::Program, typed_for(Minimum::Program)),
        minimum_form(tr, &list, Minimum::Cloud, typed_for(Minimum::Cloud)),
    ];
    // A refusal for a version the list does not hold (an address typed by hand) is shown
    // above the list, not lost.
    let error = withdraw_refused
        .as_ref()
        .filter(|(v, _, _)| !list.releases.iter().any(|r| r.version == *v))
        .map(|(_, _, message)| message.clone());
    let page = ReleasesPage {
        chrome: Chrome::operator(ctx, op, PATH),
        notice,
        error,
        minimum: list.minimum_version.clone(),
        cloud_minimum: list.cloud_minimum_version.clone(),
        releases: list
            .releases
            .into_iter()
            .map(|r| ReleaseRow {
                withdrawn: r.withdrawn_at.as_ref().map(|at| {
                    let on = day(at, &state.zone);
                    match r.withdrawn_reason.as_deref() {
                        None | Some("") => {
                            tr.with("op-release-withdrawn-on", &[("date", on.as_str())])
                        }
                        Some(reason) => tr.with(
                            "op-release-withdrawn-because",
                            &[("date", on.as_str()), ("reason", reason)],
                        ),
                    }
                }),
                withdraw: format!("{PATH}/{}/releases/{}/withdraw", r.product, r.version),
                error: withdraw_refused
                    .as_ref()
                    .filter(|(v, _, _)| *v == r.version)
                    .map(|(_, _, message)| message.clone()),
                reason: withdraw_refused
                    .as_ref()
                    .filter(|(v, _, _)| *v == r.version)
                    .map(|(_, post, _)| post.reason.clone())
                    .unwrap_or_default(),
                date: day(&r.published_at, &state.zone),
                editions: if r.editions.is_empty() {
                    tr.t("op-releases-every-edition")
                } else {
                    r.editions.join(", ")
                },
                sha256: r.sha256.unwrap_or_default(),
                version: r.version,
                channel: r.channel,
                url: r.url,
                notes: r.notes,
            })
            .collect(),
        product: list.product,
        product_name: list.product_name,
        forms,
    };
    Ok(page.render().map_err(anyhow::Error::from)?)
}

fn release_form(tr: Tr, product: &str, typed: Option<(ReleasePost, FormRefusal)>) -> FormCard {
    let (post, refusal) = match typed {
        Some((p, r)) => (p, Some(r)),
        None => (ReleasePost::default(), None),
    };
    let mut fields = vec![
        Field::new(tr, "version", "op-release-version", Kind::Text)
            .required()
            .code()
            .auto("off")
            .hint(tr, "op-release-version-hint")
            .with_value(post.version),
        Field::new(tr, "channel", "op-release-channel", Kind::Text)
            .optional()
            .code()
            .auto("off")
            .hint(tr, "op-release-channel-hint")
            .with_value(post.channel),
        Field::new(tr, "url", "op-release-url", Kind::Text)
            .required()
            .auto("off")
            .with_value(post.url),
        Field::new(tr, "sha256", "op-release-sha256", Kind::Text)
            .optional()
            .code()
            .auto("off")
            .with_value(post.sha256),
        Field::new(tr, "editions", "op-release-editions", Kind::Text)
            .optional()
            .code()
            .auto("off")
            .hint(tr, "op-release-editions-hint")
            .with_value(post.editions),
        Field::new(tr, "notes", "op-release-notes", Kind::TextArea)
            .optional()
            .with_value(post.notes),
    ];
    for field in &mut fields {
        field.id = format!("release-{}", field.id);
    }
    let error = refusal.and_then(|r| at_field(&mut fields, r));
    FormCard {
        id: "publish".into(),
        title: tr.t("op-release-publish"),
        help: None,
        action: format!("{PATH}/{product}/releases"),
        submit: tr.t("op-release-publish-submit"),
        fields,
        error,
        wide: false,
    }
}

/// The form that sets one of the product's minimum versions: the program's (`minimum`) or
/// the cloud's (`cloud-minimum`), each posting to its own address.
fn minimum_form(
    tr: Tr,
    list: &ReleaseList,
    which: Minimum,
    typed: Option<(MinimumPost, FormRefusal)>,
) -> FormCard {
    let (now, key) = match which {
        Minimum::Program => (&list.minimum_version, "minimum"),
        Minimum::Cloud => (&list.cloud_minimum_version, "cloud-minimum"),
    };
    let (value, refusal) = match typed {
        Some((p, r)) => (p.value(which).to_owned(), Some(r)),
        None => (now.clone().unwrap_or_default(), None),
    };
    let mut fields = vec![
        Field::new(tr, which.field(), &format!("op-release-{key}"), Kind::Text)
            .optional()
            .code()
            .auto("off")
            .hint(tr, &format!("op-release-{key}-hint"))
            .with_value(value),
    ];
    let error = refusal.and_then(|r| at_field(&mut fields, r));
    FormCard {
        id: key.into(),
        title: tr.t(&format!("op-release-{key}-title")),
        help: None,
        action: format!("{PATH}/{}/{key}-version", list.product),
        submit: tr.t("op-release-minimum-submit"),
        fields,
        error,
        wide: false,
    }
}

/// A refusal shown at its form, or the error page for any other.
async fn refused(
    state: &AppState,
    ctx: &Ctx,
    op: &Operator,
    code: &str,
    e: ApiError,
    typed: impl FnOnce(FormRefusal) -> Typed,
) -> Result<Response, ApiError> {
    let Some(refusal) = FormRefusal::of(&ctx.tr, &e) else {
        return Err(e);
    };
    let list = releases::list(state, code).await?;
    let html = page(ctx, op, state, list, None, Some(typed(refusal.clone())))?;
    Ok(refusal.respond(html))
}

/// `POST /operator/catalog/{code}/releases`.
pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(code): Path<String>,
    PageForm(post): PageForm<ReleasePost>,
) -> Result<Response, ApiError> {
    let req = NewRelease {
        version: post.version.clone(),
        channel: Some(post.channel.clone()),
        notes: post.notes.clone(),
        url: post.url.clone(),
        sha256: Some(post.sha256.clone()),
        editions: post
            .editions
            .split([',', ' '])
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    match releases::publish(&state, &op, &code, &req).await {
        Ok(r) => Ok(
            Redirect::to(&format!("{PATH}/{}/releases?done=published", r.product)).into_response(),
        ),
        Err(e) => refused(&state, &ctx, &op, &code, e, |r| Typed::Release(post, r)).await,
    }
}

/// `POST /operator/catalog/{code}/releases/{version}/withdraw`.
pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path((code, version)): Path<(String, String)>,
    PageForm(post): PageForm<WithdrawPost>,
) -> Result<Response, ApiError> {
    match releases::withdraw(&state, &op, &code, &version, &post.reason).await {
        Ok(r) => Ok(
            Redirect::to(&format!("{PATH}/{}/releases?done=withdrawn", r.product)).into_response(),
        ),
        Err(e) => {
            refused(&state, &ctx, &op, &code, e, |r| {
                Typed::Withdraw(version, post, r)
            })
            .await
        }
    }
}

/// `POST /operator/catalog/{code}/releases/{version}/restore`: offered again.
pub async fn restore(
    State(state): State<AppState>,
    op: Operator,
    Path((code, version)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let r = releases::restore(&state, &op, &code, &version).await?;
    Ok(Redirect::to(&format!("{PATH}/{}/releases?done=restored", r.product)).into_response())
}

/// `POST /operator/catalog/{code}/minimum-version`: empty clears it.
pub async fn set_minimum(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(code): Path<String>,
    PageForm(post): PageForm<MinimumPost>,
) -> Result<Response, ApiError> {
    set(state, ctx, op, code, Minimum::Program, post).await
}

/// `POST /operator/catalog/{code}/cloud-minimum-version`: empty clears it.
pub async fn set_cloud_minimum(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(code): Path<String>,
    PageForm(post): PageForm<MinimumPost>,
) -> Result<Response, ApiError> {
    set(state, ctx, op, code, Minimum::Cloud, post).await
}

/// Sets the minimum `which` to what `post` holds for it, then back to the list; a refusal at
/// its form.
async fn set(
    state: AppState,
    ctx: Ctx,
    op: Operator,
    code: String,
    which: Minimum,
    post: MinimumPost,
) -> Result<Response, ApiError> {
    match releases::set_minimum(&state, &op, &code, which, Some(post.value(which))).await {
        Ok(list) => {
            let done = match which {
                Minimum::Program => "minimum",
                Minimum::Cloud => "cloud-minimum",
            };
            let to = format!("{PATH}/{}/releases?done={done}", list.product);
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            refused(&state, &ctx, &op, &code, e, |r| {
                Typed::Minimum(which, post, r)
            })
            .await
        }
    }
}
