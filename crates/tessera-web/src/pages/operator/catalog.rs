//! The catalog (A1) in the console: the products with their policy, a product created; one
//! product's editions in rank order, its sizes with their limits and its modules, each
//! added with a form. The catalog use cases of the operator JSON routes, unchanged.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tessera_api::{CreateProduct, ErrorCode, NewEntry, NewSize};
use tessera_server::AppState;
use tessera_server::actors::Operator;
use tessera_server::catalog::products;
use tessera_server::error::ApiError;
use tessera_server::extract::ApiQuery;
use tessera_store::ProductRecord;

use crate::error::FormRefusal;
use crate::form::{Field, FormCard, Kind, PageForm};
use crate::i18n::Tr;
use crate::pages::users::at_field;
use crate::view::{Chrome, Ctx, DoneQuery};

const PATH: &str = "/operator/catalog";

/// One product of the list.
pub struct ProductRow {
    pub code: String,
    pub name: String,
    /// Its editions, lowest first.
    pub editions: String,
    pub sizes: usize,
    pub modules: usize,
    pub policy: String,
}

#[derive(Template)]
#[template(path = "operator/catalog.html")]
struct CatalogPage {
    chrome: Chrome,
    products: Vec<ProductRow>,
    form: FormCard,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct NewProductPost {
    code: String,
    name: String,
    grace_days: String,
    max_transfers: String,
}

/// `GET /operator/catalog`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
) -> Result<Html<String>, ApiError> {
    Ok(Html(
        list_page(&state, &ctx, &op, NewProductPost::default(), None).await?,
    ))
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    op: &Operator,
    typed: NewProductPost,
    refusal: Option<FormRefusal>,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let products = products::products(state, op).await?;
    let mut fields = vec![
        Field::new(tr, "code", "op-product-code", Kind::Text)
            .required()
            .code()
            .auto("off")
            .hint(tr, "op-code-hint")
            .with_value(typed.code),
        Field::new(tr, "name", "op-product-name", Kind::Text)
            .required()
            .auto("off")
            .with_value(typed.name),
        Field::new(tr, "grace_days", "op-product-grace-days", Kind::Number)
            .optional()
            .hint(tr, "op-product-grace-days-hint")
            .with_value(typed.grace_days),
        Field::new(
            tr,
            "max_transfers",
            "op-product-max-transfers",
            Kind::Number,
        )
        .optional()
        .hint(tr, "op-product-max-transfers-hint")
        .with_value(typed.max_transfers),
    ];
    let error = refusal.and_then(|r| at_field(&mut fields, r));
    let page = CatalogPage {
        chrome: Chrome::operator(ctx, op, PATH),
        products: products.iter().map(|p| product_row(tr, p)).collect(),
        form: FormCard {
            id: "new-product".into(),
            title: tr.t("op-product-new"),
            help: None,
            action: "/operator/catalog".into(),
            submit: tr.t("op-product-create"),
            fields,
            error,
            wide: true,
        },
    };
    Ok(page.render().map_err(anyhow::Error::from)?)
}

fn product_row(tr: Tr, p: &ProductRecord) -> ProductRow {
    let mut editions: Vec<_> = p.editions.iter().collect();
    editions.sort_by_key(|e| e.rank);
    ProductRow {
        code: p.code.clone(),
        name: p.name.clone(),
        editions: editions
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
            .join(" < "),
        sizes: p.sizes.len(),
        modules: p.modules.len(),
        policy: policy(tr, p),
    }
}

fn policy(tr: Tr, p: &ProductRecord) -> String {
    tr.numbers(
        "op-product-policy",
        &[
            ("grace", i64::from(p.policy.grace_days)),
            ("transfers", i64::from(p.policy.max_transfers)),
        ],
    )
}

/// A number typed into `field`, or None when left empty.
fn number(field: &str, typed: &str) -> Result<Option<u32>, ApiError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    typed
        .parse()
        .map(Some)
        .map_err(|_| ApiError::invalid(ErrorCode::InvalidCount, field, "a whole number, 0 or more"))
}

/// `POST /operator/catalog`: the product created, on to its page; refused, the list again
/// with what was typed and why at its field.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    PageForm(post): PageForm<NewProductPost>,
) -> Result<Response, ApiError> {
    let created = async {
        let req = CreateProduct {
            code: post.code.clone(),
            name: post.name.clone(),
            editions: Vec::new(),
            sizes: Vec::new(),
            modules: Vec::new(),
            grace_days: number("grace_days", &post.grace_days)?,
            max_transfers: number("max_transfers", &post.max_transfers)?,
        };
        products::create_product(&state, &op, &req).await
    }
    .await;
    let refused = match created {
        Ok(p) => return Ok(Redirect::to(&format!("{PATH}/{}", p.code)).into_response()),
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let html = list_page(&state, &ctx, &op, post, Some(refusal.clone())).await?;
    Ok(refusal.respond(html))
}

/// Which of the product page's forms a post was, for showing its refusal there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Edition,
    Size,
    Module,
}

impl Part {
    fn name(self) -> &'static str {
        match self {
            Part::Edition => "edition",
            Part::Size => "size",
            Part::Module => "module",
        }
    }
}

/// A refused post of the product page, shown again as typed at its form.
enum Typed {
    Part(Part, EntryPost, FormRefusal),
    Offline(OfflinePost, FormRefusal),
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct OfflinePost {
    offline_policy: String,
    offline_check_days: String,
}

/// One size with its limits in words.
pub struct SizeRow {
    pub code: String,
    pub name: String,
    pub limits: String,
}

#[derive(Template)]
#[template(path = "operator/product.html")]
struct ProductPage {
    chrome: Chrome,
    notice: Option<String>,
    product: ProductRecord,
    policy: String,
    sizes: Vec<SizeRow>,
    forms: Vec<FormCard>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct EntryPost {
    code: String,
    name: String,
    /// A size's limits, `drivers=5, users=10`.
    limits: String,
}

/// `GET /operator/catalog/{code}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<DoneQuery>,
) -> Result<Html<String>, ApiError> {
    let product = products::product(&state, &op, &code).await?;
    let notice = ["edition", "size", "module", "offline"]
        .contains(&q.done.as_str())
        .then(|| ctx.tr.t(&format!("op-done-{}", q.done)));
    Ok(Html(product_page(&ctx, &op, product, notice, None)?))
}

fn product_page(
    ctx: &Ctx,
    op: &Operator,
    product: ProductRecord,
    notice: Option<String>,
    typed: Option<Typed>,
) -> Result<String, ApiError> {
    let tr = ctx.tr;
    let mut forms: Vec<FormCard> = [Part::Edition, Part::Size, Part::Module]
        .into_iter()
        .map(|part| {
            let (post, refusal) = match &typed {
                Some(Typed::Part(p, post, refusal)) if *p == part => {
                    (Some(post), Some(refusal.clone()))
                }
                _ => (None, None),
            };
            part_form(tr, &product.code, part, post, refusal)
        })
        .collect();
    let offline = match typed {
        Some(Typed::Offline(post, refusal)) => (post, Some(refusal)),
        _ => (offline_post(&product.policy.offline), None),
    };
    forms.push(offline_form(tr, &product.code, offline.0, offline.1));
    let page = ProductPage {
        chrome: Chrome::operator(ctx, op, PATH),
        notice,
        policy: policy(tr, &product),
        sizes: product
            .sizes
            .iter()
            .map(|s| SizeRow {
                code: s.code.clone(),
                name: s.name.clone(),
                limits: s
                    .limits
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join(" · "),
            })
            .collect(),
        product,
        forms,
    };
    Ok(page.render().map_err(anyhow::Error::from)?)
}

fn part_form(
    tr: Tr,
    product: &str,
    part: Part,
    post: Option<&EntryPost>,
    refusal: Option<FormRefusal>,
) -> FormCard {
    let typed = |f: fn(&EntryPost) -> &String| post.map(|p| f(p).clone()).unwrap_or_default();
    let mut fields = vec![
        Field::new(tr, "code", "op-entry-code", Kind::Text)
            .required()
            .code()
            .auto("off")
            .with_value(typed(|p| &p.code)),
        Field::new(tr, "name", "op-entry-name", Kind::Text)
            .required()
            .auto("off")
            .with_value(typed(|p| &p.name)),
    ];
    if part == Part::Size {
        fields.push(
            Field::new(tr, "limits", "op-size-limits", Kind::Text)
                .optional()
                .code()
                .auto("off")
                .hint(tr, "op-size-limits-hint")
                .with_value(typed(|p| &p.limits)),
        );
    }
    for field in &mut fields {
        field.id = format!("{}-{}", part.name(), field.id);
    }
    let error = refusal.and_then(|r| at_field(&mut fields, r));
    FormCard {
        id: format!("add-{}", part.name()),
        title: tr.t(&format!("op-add-{}", part.name())),
        help: None,
        action: format!("{PATH}/{product}/{}s", part.name()),
        fields,
        error,
        submit: tr.t("op-add"),
        wide: false,
    }
}

/// The product's offline policy as its form shows it.
fn offline_post(policy: &tessera_core::offline::OfflinePolicy) -> OfflinePost {
    use tessera_core::offline::OfflinePolicy;
    let (name, days) = match policy {
        OfflinePolicy::None => ("none", String::new()),
        OfflinePolicy::Periodic { check_days } => ("periodic", check_days.to_string()),
        OfflinePolicy::Perpetual => ("perpetual", String::new()),
    };
    OfflinePost {
        offline_policy: name.to_owned(),
        offline_check_days: days,
    }
}

/// Whether and how the product's sites activate by file (X1).
fn offline_form(
    tr: Tr,
    product: &str,
    post: OfflinePost,
    refusal: Option<FormRefusal>,
) -> FormCard {
    let choices = ["none", "periodic", "perpetual"]
        .into_iter()
        .map(|p| (p.to_owned(), tr.t(&format!("op-offline-{p}"))))
        .collect();
    let mut fields = vec![
        Field::new(tr, "offline_policy", "op-offline-policy", Kind::Select)
            .required()
            .choices(choices)
            .with_value(post.offline_policy),
        Field::new(tr, "offline_check_days", "op-offline-days", Kind::Number)
            .optional()
            .hint(tr, "op-offline-days-hint")
            .with_value(post.offline_check_days),
    ];
    let error = refusal.and_then(|r| at_field(&mut fields, r));
    FormCard {
        id: "add-offline".into(),
        title: tr.t("op-offline-title"),
        help: None,
        action: format!("{PATH}/{product}/offline-policy"),
        fields,
        error,
        submit: tr.t("op-offline-submit"),
        wide: false,
    }
}

/// `POST /operator/catalog/{code}/offline-policy`.
pub async fn set_offline_policy(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(code): Path<String>,
    PageForm(post): PageForm<OfflinePost>,
) -> Result<Response, ApiError> {
    let days = number("offline_check_days", &post.offline_check_days);
    let set = match days {
        Ok(days) => {
            let req = tessera_api::SetOfflinePolicy {
                offline_policy: post.offline_policy.clone(),
                offline_check_days: days,
            };
            tessera_server::activation::offline::set_policy(&state, &op, &code, &req).await
        }
        Err(e) => Err(e),
    };
    let shown = |r| Typed::Offline(post, r);
    answered(
        &state,
        &ctx,
        &op,
        &code,
        set,
        ("offline", "add-offline"),
        shown,
    )
    .await
}

/// A product form's answer: back to the product's page saying `done` at `anchor` when it was
/// saved; the page again with the refusal at its form (as typed); any other failure an error
/// page.
async fn answered(
    state: &AppState,
    ctx: &Ctx,
    op: &Operator,
    code: &str,
    saved: Result<ProductRecord, ApiError>,
    (done, anchor): (&str, &str),
    typed: impl FnOnce(FormRefusal) -> Typed,
) -> Result<Response, ApiError> {
    let refused = match saved {
        Ok(p) => {
            let to = format!("{PATH}/{}?done={done}#{anchor}", p.code);
            return Ok(Redirect::to(&to).into_response());
        }
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let product = products::product(state, op, code).await?;
    let html = product_page(ctx, op, product, None, Some(typed(refusal.clone())))?;
    Ok(refusal.respond(html))
}

/// `drivers=5, users=10` as limits; refused naming the field `limits`.
fn limits(typed: &str) -> Result<std::collections::BTreeMap<String, u32>, ApiError> {
    let refused = || {
        ApiError::invalid(
            ErrorCode::FieldInvalid,
            "limits",
            "limits are written name=number, separated by commas",
        )
    };
    typed
        .split([',', '\n'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let (name, value) = item.split_once('=').ok_or_else(refused)?;
            let value = value.trim().parse().map_err(|_| refused())?;
            Ok((name.trim().to_owned(), value))
        })
        .collect()
}

/// `POST /operator/catalog/{code}/editions|sizes|modules`.
async fn add(
    state: AppState,
    ctx: Ctx,
    op: Operator,
    code: String,
    part: Part,
    post: EntryPost,
) -> Result<Response, ApiError> {
    let entry = NewEntry {
        code: post.code.clone(),
        name: post.name.clone(),
    };
    let added = match part {
        Part::Edition => products::add_edition(&state, &op, &code, &entry).await,
        Part::Module => products::add_module(&state, &op, &code, &entry).await,
        Part::Size => match limits(&post.limits) {
            Ok(limits) => {
                let size = NewSize {
                    code: entry.code,
                    name: entry.name,
                    limits,
                };
                products::add_size(&state, &op, &code, &size).await
            }
            Err(e) => Err(e),
        },
    };
    let anchor = format!("{}s", part.name());
    let shown = |r| Typed::Part(part, post, r);
    answered(
        &state,
        &ctx,
        &op,
        &code,
        added,
        (part.name(), &anchor),
        shown,
    )
    .await
}

pub async fn add_edition(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(code): Path<String>,
    PageForm(post): PageForm<EntryPost>,
) -> Result<Response, ApiError> {
    add(state, ctx, op, code, Part::Edition, post).await
}

pub async fn add_size(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(code): Path<String>,
    PageForm(post): PageForm<EntryPost>,
) -> Result<Response, ApiError> {
    add(state, ctx, op, code, Part::Size, post).await
}

pub async fn add_module(
    State(state): State<AppState>,
    ctx: Ctx,
    op: Operator,
    Path(code): Path<String>,
    PageForm(post): PageForm<EntryPost>,
) -> Result<Response, ApiError> {
    add(state, ctx, op, code, Part::Module, post).await
}
