//! Activation by file (X1): the account's superadmin (`/offline`), or an operator for any
//! account (`/operator/offline`, as `tessera offline answer`), uploads the request file a
//! site without internet wrote and downloads the response file to carry back, through the
//! API's use case `activation::offline::answer`. A deactivation file releases the
//! installation and has nothing to download. The form works without script (the request
//! is pasted into the text box); with script, choosing the file fills the box.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use tessera_core::offline::RequestKind;
use tessera_server::AppState;
use tessera_server::activation::offline::{self, Answered, Answerer};
use tessera_server::actors::{Operator, Superadmin};
use tessera_server::error::ApiError;
use tessera_server::extract::ApiPath;
use tessera_server::oplog::OpNote;

use crate::form::{PageForm, Refusal, Summary, Values, value};
use crate::view::{Chrome, Ctx};

/// The answer the page shows, with its download link (none for a deactivation).
pub struct AnsweredView {
    pub site_id: String,
    pub message: String,
    pub download: Option<String>,
    pub file_name: String,
}

#[derive(Template)]
#[template(path = "offline.html")]
struct OfflinePage {
    chrome: Chrome,
    /// Where the form posts; the response files are under `{path}/responses/`.
    path: &'static str,
    summary: Option<Summary>,
    request: String,
    answered: Option<AnsweredView>,
}

const CUSTOMER_PATH: &str = "/offline";
const OPERATOR_PATH: &str = "/operator/offline";

/// Who answers, at which address: the account's superadmin, or an operator.
struct Desk {
    chrome: Chrome,
    path: &'static str,
    by: Answerer,
}

impl Desk {
    fn customer(ctx: &Ctx, me: &Superadmin) -> Desk {
        Desk {
            chrome: Chrome::signed_in(ctx, me, CUSTOMER_PATH),
            path: CUSTOMER_PATH,
            by: customer(me),
        }
    }

    /// The console's menu marks the catalog, where a product's activation by file is set.
    fn operator(ctx: &Ctx, op: &Operator) -> Desk {
        Desk {
            chrome: Chrome::operator(ctx, op, "/operator/catalog"),
            path: OPERATOR_PATH,
            by: operator(op),
        }
    }

    fn page(
        self,
        ctx: &Ctx,
        request: String,
        refusal: Option<&Refusal>,
        answered: Option<&Answered>,
    ) -> Result<Html<String>, ApiError> {
        let tr = ctx.tr;
        let answered = answered.map(|a| {
            let key = match (a.kind, a.repeated) {
                (RequestKind::Deactivation, _) => "offline-answered-deactivation",
                (_, true) => "offline-answered-again",
                (RequestKind::Activation, false) => "offline-answered-activation",
                (RequestKind::Revalidation, false) => "offline-answered-revalidation",
            };
            AnsweredView {
                site_id: a.site_id.clone(),
                message: tr.with(key, &[("site", &a.site_id)]),
                download: (a.kind != RequestKind::Deactivation)
                    .then(|| format!("{}/responses/{}", self.path, a.nonce)),
                file_name: file_name(&a.site_id),
            }
        });
        let page = OfflinePage {
            chrome: self.chrome,
            path: self.path,
            summary: Summary::of(refusal, []),
            request,
            answered,
        };
        Ok(Html(page.render().map_err(anyhow::Error::from)?))
    }

    /// Answers the pasted (or chosen) request file; the page then offers the response file.
    /// A refusal shows the form again with the reason.
    async fn answer(
        self,
        state: &AppState,
        ctx: &Ctx,
        values: &Values,
    ) -> Result<(Response, Option<Answered>), ApiError> {
        let request = value(values, "request");
        match offline::answer(state, &self.by, request.trim().as_bytes()).await {
            Ok(answered) => {
                let page = self.page(ctx, String::new(), None, Some(&answered))?;
                Ok((page.into_response(), Some(answered)))
            }
            Err(e) => {
                let refusal = Refusal::of(ctx.tr, e)?;
                let page = self.page(ctx, request, Some(&refusal), None)?;
                Ok((refusal.respond(page), None))
            }
        }
    }
}

fn customer(me: &Superadmin) -> Answerer {
    Answerer::Account {
        id: me.id,
        actor: me.actor(),
    }
}

fn operator(op: &Operator) -> Answerer {
    Answerer::Operator(op.actor())
}

/// The response file of request `nonce`, as a download, if `by` may see it.
async fn response_file(state: &AppState, by: &Answerer, nonce: &str) -> Result<Response, ApiError> {
    let answered = offline::stored_answer(state, by, nonce).await?;
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

fn file_name(site_id: &str) -> String {
    format!("tessera-response-{site_id}.json")
}

/// `GET /offline`.
pub async fn form(ctx: Ctx, me: Superadmin) -> Result<Html<String>, ApiError> {
    Desk::customer(&ctx, &me).page(&ctx, String::new(), None, None)
}

/// `POST /offline`: put on record under the site it answered for, as the API's answer is.
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Superadmin,
    note: OpNote,
    PageForm(values): PageForm<Values>,
) -> Result<Response, ApiError> {
    let desk = Desk::customer(&ctx, &me);
    let (response, answered) = desk.answer(&state, &ctx, &values).await?;
    if let Some(a) = answered {
        note.site(&a.site_id);
    }
    Ok(response)
}

/// `GET /offline/responses/{nonce}`: the response file, as a download.
pub async fn download(
    State(state): State<AppState>,
    me: Superadmin,
    ApiPath(nonce): ApiPath<String>,
) -> Result<Response, ApiError> {
    response_file(&state, &customer(&me), &nonce).await
}

/// `GET /operator/offline`.
pub async fn operator_form(ctx: Ctx, op: Operator) -> Result<Html<String>, ApiError> {
    Desk::operator(&ctx, &op).page(&ctx, String::new(), None, None)
}

/// `POST /operator/offline`: any account's request, put on record under its account and site.
pub async fn operator_answer(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    PageForm(values): PageForm<Values>,
) -> Result<Response, ApiError> {
    let desk = Desk::operator(&ctx, &op);
    let (response, answered) = desk.answer(&state, &ctx, &values).await?;
    if let Some(a) = answered {
        op.note.account(a.account_id);
        op.note.site(&a.site_id);
    }
    Ok(response)
}

/// `GET /operator/offline/responses/{nonce}`.
pub async fn operator_download(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(nonce): ApiPath<String>,
) -> Result<Response, ApiError> {
    response_file(&state, &operator(&op), &nonce).await
}
