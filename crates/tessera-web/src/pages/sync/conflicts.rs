//! `/sync/conflicts`: the open conflicts (or all, with `?all=1`), and settling one.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value;
use tessera_api::{ConflictSide, ResolveConflict, SyncConflict};
use tessera_server::AppState;
use tessera_server::actors::{Holds, PortalUser, right};
use tessera_server::error::ApiError;
use tessera_server::sync::conflicts;

use crate::error::FormRefusal;
use crate::form::PageForm;
use crate::view::{Chrome, Ctx, when};

pub const PATH: &str = "/sync/conflicts";

/// One side of a conflict as the page shows it: its record id and fields.
pub struct SideView {
    pub record_id: String,
    pub deleted: bool,
    /// (field, value as text), in the record's order.
    pub fields: Vec<(String, String)>,
}

impl SideView {
    fn of(side: &ConflictSide) -> SideView {
        let fields = match &side.data {
            Some(Value::Object(map)) => map
                .iter()
                .map(|(k, v)| {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), text)
                })
                .collect(),
            _ => Vec::new(),
        };
        SideView {
            record_id: side.record_id.clone(),
            deleted: side.deleted,
            fields,
        }
    }
}

/// One conflict as the page shows it.
pub struct ConflictView {
    pub id: i64,
    /// "drivers: ibutton IB-7" or "drivers: changed meanwhile".
    pub title: String,
    pub site_id: String,
    pub found: String,
    pub cloud: SideView,
    pub site: SideView,
    /// The site's data as editable JSON (what "edit" starts from).
    pub edit: String,
    pub resolved: Option<String>,
    /// A refusal of this conflict's last form post.
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "sync_conflicts.html")]
struct ConflictsPage {
    chrome: Chrome,
    notice: Option<String>,
    all: bool,
    conflicts: Vec<ConflictView>,
}

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    all: Option<String>,
    #[serde(default)]
    done: String,
}

/// `GET /sync/conflicts[?all=1]`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ResolveSyncConflicts, PortalUser>,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, ApiError> {
    let all = q.all.as_deref().is_some_and(|a| !a.is_empty() && a != "0");
    let notice = (q.done == "resolved").then(|| ctx.tr.t("sync-done-resolved"));
    Ok(Html(page(&state, &ctx, &me, all, notice, None).await?))
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    me: &Holds<right::ResolveSyncConflicts, PortalUser>,
    all: bool,
    notice: Option<String>,
    refused: Option<(i64, String, String)>,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let found = conflicts::list(state, me, all).await?.conflicts;
    let views = found
        .iter()
        .map(|c| {
            let mut view = view(tr, c, &state.zone);
            if let Some((id, typed, error)) = &refused
                && *id == c.id
            {
                view.edit = typed.clone();
                view.error = Some(error.clone());
            }
            view
        })
        .collect();
    let page = ConflictsPage {
        chrome: Chrome::signed_in(ctx, me, PATH),
        notice,
        all,
        conflicts: views,
    };
    Ok(page.render().map_err(anyhow::Error::from)?)
}

fn view(tr: crate::i18n::Tr, c: &SyncConflict, zone: &jiff::tz::TimeZone) -> ConflictView {
    let title = match (&c.field, &c.value) {
        (Some(field), Some(value)) => tr.with(
            "sync-conflict-identifier",
            &[
                ("collection", &c.collection),
                ("field", field),
                ("value", value),
            ],
        ),
        _ => tr.with("sync-conflict-version", &[("collection", &c.collection)]),
    };
    let edit = c
        .site
        .data
        .as_ref()
        .or(c.cloud.data.as_ref())
        .and_then(|d| serde_json::to_string_pretty(d).ok())
        .unwrap_or_default();
    ConflictView {
        id: c.id,
        title,
        site_id: c.site_id.clone(),
        found: when(Some(&c.created_at), zone).unwrap_or_default(),
        cloud: SideView::of(&c.cloud),
        site: SideView::of(&c.site),
        edit,
        resolved: c.resolved_at.as_ref().map(|at| {
            tr.with(
                "sync-resolved-as",
                &[
                    (
                        "how",
                        &tr.t(&format!(
                            "sync-keep-{}",
                            c.resolution.as_deref().unwrap_or("edit")
                        )),
                    ),
                    ("who", c.resolved_by.as_deref().unwrap_or("")),
                    ("when", &when(Some(at), zone).unwrap_or_default()),
                ],
            )
        }),
        error: None,
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ResolvePost {
    keep: String,
    /// The edited record, JSON (for `keep=edit`).
    data: String,
}

/// `POST /sync/conflicts/{id}/resolve`: settled, back to the list; refused, the list with
/// why at that conflict and the edit as typed.
pub async fn resolve(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::ResolveSyncConflicts, PortalUser>,
    Path(id): Path<i64>,
    PageForm(post): PageForm<ResolvePost>,
) -> Result<Response, ApiError> {
    let data = if post.keep == "edit" {
        match serde_json::from_str::<Value>(&post.data) {
            Ok(v) => Some(v),
            Err(_) => {
                let html = page(
                    &state,
                    &ctx,
                    &me,
                    false,
                    None,
                    Some((id, post.data.clone(), ctx.tr.t("sync-edit-not-json"))),
                )
                .await?;
                let refusal = FormRefusal {
                    code: tessera_api::ErrorCode::RecordInvalid,
                    status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    field: Some("data".into()),
                    message: String::new(),
                };
                return Ok(refusal.respond(html));
            }
        }
    } else {
        None
    };
    let req = ResolveConflict {
        keep: post.keep.clone(),
        data,
    };
    let refused = match conflicts::resolve(&state, &me, id, req).await {
        Ok(_) => return Ok(Redirect::to(&format!("{PATH}?done=resolved")).into_response()),
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let html = page(
        &state,
        &ctx,
        &me,
        false,
        None,
        Some((id, post.data, refusal.message.clone())),
    )
    .await?;
    Ok(refusal.respond(html))
}
