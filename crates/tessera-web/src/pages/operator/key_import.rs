//! Keys sold under an earlier system (X5) in the console: each product's key format, set
//! with a form; a CSV file chosen (our script reads it into the box) or pasted, checked or
//! imported, and the answer — counts, the batches made, every refused line. The use cases of
//! the operator JSON routes (`keys::import`), unchanged. The box posts with the page's form,
//! so it holds what a form may (the server's body limit); larger files go through
//! `tessera keys import`.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tessera_api::{KeyImport, RefusedLine};
use tessera_server::AppState;
use tessera_server::actors::Operator;
use tessera_server::catalog::products;
use tessera_server::error::ApiError;
use tessera_server::extract::ApiQuery;
use tessera_server::keys::import;

use crate::error::FormRefusal;
use crate::form::{Field, Kind, PageForm};
use crate::i18n::Tr;
use crate::pages::users::at_field;
use crate::view::{Chrome, Ctx, DoneQuery};

const PATH: &str = "/operator/keys/import";

/// A product and the spelling of its imported keys.
pub struct FormatRow {
    pub code: String,
    pub name: String,
    pub pattern: String,
}

/// What an import (or a check) answered, as the page shows it.
pub struct Outcome {
    pub summary: String,
    pub written: bool,
    pub batches: Vec<i64>,
    pub refused: Vec<RefusedLine>,
}

#[derive(Template)]
#[template(path = "operator/key_import.html")]
struct ImportPage {
    chrome: Chrome,
    notice: Option<String>,
    formats: Vec<FormatRow>,
    format_fields: Vec<Field>,
    format_error: Option<String>,
    import_fields: Vec<Field>,
    import_error: Option<String>,
    outcome: Option<Outcome>,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct FormatPost {
    product: String,
    pattern: String,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct ImportPost {
    csv: String,
    dry_run: String,
}

/// What the page shows besides the stored state: a post brought back, and how it went.
#[derive(Default)]
struct Shown {
    format: FormatPost,
    format_refusal: Option<FormRefusal>,
    import: ImportPost,
    import_refusal: Option<FormRefusal>,
    outcome: Option<Outcome>,
    notice: Option<String>,
}

/// `GET /operator/keys/import`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    ApiQuery(q): ApiQuery<DoneQuery>,
) -> Result<Html<String>, ApiError> {
    let shown = Shown {
        notice: (q.done == "format").then(|| ctx.tr.t("op-import-format-done")),
        ..Shown::default()
    };
    Ok(Html(page(&state, &ctx, &op, shown).await?))
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    op: &Operator,
    shown: Shown,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let mut stated = import::formats(state, op).await?;
    let formats: Vec<FormatRow> = products::products(state, op)
        .await?
        .into_iter()
        .map(|p| FormatRow {
            pattern: stated
                .remove(&p.code)
                .map(|f| f.pattern().to_owned())
                .unwrap_or_default(),
            code: p.code,
            name: p.name,
        })
        .collect();
    let choices = formats
        .iter()
        .map(|f| (f.code.clone(), f.name.clone()))
        .collect();
    let mut format_fields = vec![
        Field::new(tr, "product", "op-import-product", Kind::Select)
            .required()
            .choices(choices)
            .with_value(shown.format.product),
        Field::new(tr, "pattern", "op-import-pattern", Kind::Text)
            .optional()
            .code()
            .auto("off")
            .hint(tr, "op-import-pattern-hint")
            .with_value(shown.format.pattern),
    ];
    for field in &mut format_fields {
        field.id = format!("format-{}", field.id);
    }
    let format_error = shown
        .format_refusal
        .and_then(|r| at_field(&mut format_fields, r));
    let mut import_fields = vec![
        Field::new(tr, "csv", "op-import-csv", Kind::TextArea)
            .required()
            .code()
            .hint(tr, "op-import-csv-hint")
            .with_value(shown.import.csv),
        Field::new(tr, "dry_run", "op-import-dry-run", Kind::Checkbox)
            .with_value(shown.import.dry_run),
    ];
    let import_error = shown
        .import_refusal
        .and_then(|r| at_field(&mut import_fields, r));
    let page = ImportPage {
        chrome: Chrome::operator(ctx, op, super::batches::PATH),
        notice: shown.notice,
        formats,
        format_fields,
        format_error,
        import_fields,
        import_error,
        outcome: shown.outcome,
    };
    Ok(page.render().map_err(anyhow::Error::from)?)
}

/// `POST /operator/keys/import/format`: an empty pattern clears it.
pub async fn set_format(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    PageForm(post): PageForm<FormatPost>,
) -> Result<Response, ApiError> {
    let pattern = Some(post.pattern.trim()).filter(|p| !p.is_empty());
    match import::set_format(&state, &op, &post.product, pattern).await {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?done=format")).into_response()),
        Err(e) => {
            let Some(refusal) = FormRefusal::of(&ctx.tr, &e) else {
                return Err(e);
            };
            let shown = Shown {
                format: post,
                format_refusal: Some(refusal.clone()),
                ..Shown::default()
            };
            Ok(refusal.respond(page(&state, &ctx, &op, shown).await?))
        }
    }
}

/// `POST /operator/keys/import`: the file in the box checked (`dry_run`) or imported.
pub async fn run(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    PageForm(post): PageForm<ImportPost>,
) -> Result<Response, ApiError> {
    let dry_run = !post.dry_run.is_empty();
    match import::import(&state, &op, None, post.csv.as_bytes(), dry_run).await {
        Ok(report) => {
            let refused = report.code.is_some() && !dry_run;
            let outcome = outcome(ctx.tr, report);
            let shown = Shown {
                // Shown again to be mended when lines were refused or it was only checked.
                import: if outcome.written {
                    ImportPost::default()
                } else {
                    post
                },
                outcome: Some(outcome),
                ..Shown::default()
            };
            let html = page(&state, &ctx, &op, shown).await?;
            if refused {
                let mut response =
                    (axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response();
                response
                    .extensions_mut()
                    .insert(tessera_api::ErrorCode::ImportRefused);
                return Ok(response);
            }
            Ok(Html(html).into_response())
        }
        Err(e) => {
            let Some(refusal) = FormRefusal::of(&ctx.tr, &e) else {
                return Err(e);
            };
            let refusal = FormRefusal {
                field: refusal.field.or(Some("csv".to_owned())),
                ..refusal
            };
            let shown = Shown {
                import: post,
                import_refusal: Some(refusal.clone()),
                ..Shown::default()
            };
            Ok(refusal.respond(page(&state, &ctx, &op, shown).await?))
        }
    }
}

fn outcome(tr: Tr, report: KeyImport) -> Outcome {
    let counts = [
        ("lines", i64::from(report.lines)),
        ("new", i64::from(report.new)),
        ("unchanged", i64::from(report.unchanged)),
        ("registered", i64::from(report.registered)),
        ("refused", report.refused.len() as i64),
    ];
    let key = if report.written {
        "op-import-done"
    } else if report.refused.is_empty() {
        "op-import-checked"
    } else {
        "op-import-refused"
    };
    Outcome {
        summary: tr.numbers(key, &counts),
        written: report.written,
        batches: report.batches,
        refused: report.refused,
    }
}
