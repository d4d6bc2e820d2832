//! A product's sync collections in the console (G1, docs/sync.md): what its sites keep in
//! the cloud, each collection's scope, unique and required fields and web-user field; one
//! declared, or its declaration changed (`?edit=NAME` fills the form with it). The use
//! cases of the operator JSON routes (`tessera_server::sync::collections`), unchanged.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tessera_api::{CollectionDecl, CollectionList};
use tessera_server::AppState;
use tessera_server::actors::Operator;
use tessera_server::error::ApiError;
use tessera_server::extract::ApiQuery;
use tessera_server::sync::collections;

use crate::error::FormRefusal;
use crate::form::{Field, FormCard, Kind, PageForm};
use crate::i18n::Tr;
use crate::pages::users::at_field;
use crate::view::{Chrome, Ctx, DoneQuery, labelled};

const PATH: &str = "/operator/catalog";

/// One collection as the list shows it.
pub struct CollectionRow {
    pub name: String,
    pub scope: String,
    pub unique: String,
    pub required: String,
    pub web_user: String,
}

#[derive(Template)]
#[template(path = "operator/collections.html")]
struct CollectionsPage {
    chrome: Chrome,
    notice: Option<String>,
    product: String,
    collections: Vec<CollectionRow>,
    form: FormCard,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct CollectionPost {
    name: String,
    scope: String,
    unique: String,
    required: String,
    web_user_field: String,
    web_user_email_field: String,
}

impl CollectionPost {
    fn of(c: &CollectionDecl) -> CollectionPost {
        CollectionPost {
            name: c.name.clone(),
            scope: c.scope.clone(),
            unique: c.unique.join(", "),
            required: c.required.join(", "),
            web_user_field: c.web_user_field.clone().unwrap_or_default(),
            web_user_email_field: c.web_user_email_field.clone().unwrap_or_default(),
        }
    }

    fn declaration(&self) -> CollectionDecl {
        let list = |typed: &str| {
            typed
                .split([',', ' '])
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let optional = |typed: &str| Some(typed.trim().to_owned()).filter(|t| !t.is_empty());
        CollectionDecl {
            name: self.name.trim().to_owned(),
            scope: self.scope.trim().to_owned(),
            unique: list(&self.unique),
            required: list(&self.required),
            web_user_field: optional(&self.web_user_field),
            web_user_email_field: optional(&self.web_user_email_field),
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    #[serde(flatten)]
    done: DoneQuery,
    /// A collection whose declaration fills the form.
    edit: String,
}

/// `GET /operator/catalog/{code}/collections`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<ShowQuery>,
) -> Result<Html<String>, ApiError> {
    let list = collections::of_product(&state, &code).await?;
    let notice = (q.done.done == "declared").then(|| ctx.tr.t("op-collections-done"));
    let post = list
        .collections
        .iter()
        .find(|c| c.name == q.edit)
        .map(CollectionPost::of)
        .unwrap_or_default();
    Ok(Html(page(&ctx, &op, list, notice, post, None)?))
}

fn page(
    ctx: &Ctx,
    op: &Operator,
    list: CollectionList,
    notice: Option<String>,
    post: CollectionPost,
    refusal: Option<FormRefusal>,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let mut fields = form(tr, post);
    let error = refusal.and_then(|r| at_field(&mut fields, r));
    let action = format!("{PATH}/{}/collections", list.product);
    let page = CollectionsPage {
        chrome: Chrome::operator(ctx, op, PATH),
        notice,
        collections: list
            .collections
            .iter()
            .map(|c| CollectionRow {
                name: c.name.clone(),
                scope: tr.t(&format!("op-collections-scope-{}", c.scope)),
                unique: c.unique.join(", "),
                required: c.required.join(", "),
                web_user: match (&c.web_user_field, &c.web_user_email_field) {
                    (None, _) => String::new(),
                    (Some(f), None) => f.clone(),
                    (Some(f), Some(mail)) => format!("{f} ({mail})"),
                },
            })
            .collect(),
        product: list.product,
        form: FormCard {
            id: "declare".into(),
            title: tr.t("op-collections-declare"),
            help: Some(tr.t("op-collections-declare-help")),
            action,
            submit: tr.t("op-collections-declare-submit"),
            fields,
            error,
            wide: true,
        },
    };
    Ok(page.render().map_err(anyhow::Error::from)?)
}

fn form(tr: Tr, post: CollectionPost) -> Vec<Field> {
    let scopes = labelled(tr, "op-collections-scope", ["account", "site"])
        .into_iter()
        .map(|(v, label)| (v.to_owned(), label))
        .collect();
    // A list of field names, or one, typed as code.
    let names = |name: &'static str, label: &str, value: String| {
        Field::new(tr, name, label, Kind::Text)
            .optional()
            .code()
            .auto("off")
            .with_value(value)
    };
    vec![
        Field::new(tr, "name", "op-collections-name", Kind::Text)
            .required()
            .code()
            .auto("off")
            .hint(tr, "op-collections-name-hint")
            .with_value(post.name),
        Field::new(tr, "scope", "op-collections-scope", Kind::Select)
            .required()
            .choices(scopes)
            .hint(tr, "op-collections-scope-hint")
            .with_value(post.scope),
        names("unique", "op-collections-unique", post.unique)
            .hint(tr, "op-collections-unique-hint"),
        names("required", "op-collections-required", post.required)
            .hint(tr, "op-collections-list-hint"),
        names(
            "web_user_field",
            "op-collections-web-user",
            post.web_user_field,
        )
        .hint(tr, "op-collections-web-user-hint"),
        names(
            "web_user_email_field",
            "op-collections-web-user-email",
            post.web_user_email_field,
        ),
    ]
}

/// `POST /operator/catalog/{code}/collections`: declared (or changed), back to the list;
/// refused, the form again with what was typed and the reason.
pub async fn declare(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(code): Path<String>,
    PageForm(post): PageForm<CollectionPost>,
) -> Result<Response, ApiError> {
    match collections::declare(&state, &op, &code, &post.declaration()).await {
        Ok(_) => {
            let to = format!("{PATH}/{}/collections?done=declared", code.trim());
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            let Some(refusal) = FormRefusal::of(&ctx.tr, &e) else {
                return Err(e);
            };
            let list = collections::of_product(&state, &code).await?;
            let html = page(&ctx, &op, list, None, post, Some(refusal.clone()))?;
            Ok(refusal.respond(html))
        }
    }
}
