//! Activation by file (X1): the account's superadmin uploads the request file a site
//! without internet wrote and downloads the response file to carry back, through the API's
//! use case `activation::offline::answer`. The form works without script (the request is
//! pasted into the text box); with script, choosing the file fills the box.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use tessera_core::offline::RequestKind;
use tessera_server::AppState;
use tessera_server::activation::offline::{self, Answered, Answerer};
use tessera_server::actors::Superadmin;
use tessera_server::error::ApiError;
use tessera_server::extract::ApiPath;

use crate::form::{PageForm, Refusal, Summary, Values, value};
use crate::view::{Chrome, Ctx};

/// The answer the page shows, with its download link.
pub struct AnsweredView {
    pub site_id: String,
    pub message: String,
    pub download: String,
    pub file_name: String,
}

#[derive(Template)]
#[template(path = "offline.html")]
struct OfflinePage {
    chrome: Chrome,
    summary: Option<Summary>,
    request: String,
    answered: Option<AnsweredView>,
}

fn by(me: &Superadmin) -> Answerer {
    Answerer::Account {
        id: me.id,
        actor: me.actor(),
    }
}

fn file_name(site_id: &str) -> String {
    format!("tessera-response-{site_id}.json")
}

fn page(
    ctx: &Ctx,
    me: &Superadmin,
    request: String,
    refusal: Option<&Refusal>,
    answered: Option<&Answered>,
) -> Result<Html<String>, ApiError> {
    let tr = ctx.tr;
    let answered = answered.map(|a| {
        let key = match (a.kind, a.repeated) {
            (_, true) => "offline-answered-again",
            (RequestKind::Activation, false) => "offline-answered-activation",
            (RequestKind::Revalidation, false) => "offline-answered-revalidation",
        };
        AnsweredView {
            site_id: a.site_id.clone(),
            message: tr.with(key, &[("site", &a.site_id)]),
            download: format!("/offline/responses/{}", a.nonce),
            file_name: file_name(&a.site_id),
        }
    });
    let page = OfflinePage {
        chrome: Chrome::signed_in(ctx, me, "/offline"),
        summary: Summary::of(refusal, []),
        request,
        answered,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

/// `GET /offline`.
pub async fn form(ctx: Ctx, me: Superadmin) -> Result<Html<String>, ApiError> {
    page(&ctx, &me, String::new(), None, None)
}

/// `POST /offline`: answers the pasted (or chosen) request file; the page then offers the
/// response file. A refusal shows the form again with the reason.
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Superadmin,
    PageForm(values): PageForm<Values>,
) -> Result<Response, ApiError> {
    let request = value(&values, "request");
    match offline::answer(&state, &by(&me), request.trim().as_bytes()).await {
        Ok(answered) => Ok(page(&ctx, &me, String::new(), None, Some(&answered))?.into_response()),
        Err(e) => {
            let refusal = Refusal::of(ctx.tr, e)?;
            Ok(refusal.respond(page(&ctx, &me, request, Some(&refusal), None)?))
        }
    }
}

/// `GET /offline/responses/{nonce}`: the response file, as a download.
pub async fn download(
    State(state): State<AppState>,
    me: Superadmin,
    ApiPath(nonce): ApiPath<String>,
) -> Result<Response, ApiError> {
    let answered = offline::stored_answer(&state, &by(&me), &nonce).await?;
    let disposition = format!("attachment; filename=\"{}\"", file_name(&answered.site_id));
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        answered.response,
    )
        .into_response())
}
