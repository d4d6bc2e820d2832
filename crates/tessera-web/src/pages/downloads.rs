//! The download centre (X6): what the reader's licences may download — for each product the
//! account holds keys of, its releases for those editions, newest first, with the minimum
//! supported version — through the API's use case `catalog::releases::downloads` (a site's
//! user: its site's product and edition).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use tessera_server::AppState;
use tessera_server::actors::PortalUser;
use tessera_server::catalog::releases;
use tessera_server::error::ApiError;

use crate::pages::cloud::{day, html};
use crate::view::{Chrome, Ctx};

/// One release as the page shows it.
pub struct ReleaseRow {
    pub version: String,
    /// The channel when it is not `stable`.
    pub channel: Option<String>,
    pub date: String,
    pub notes: String,
    pub url: String,
    pub sha256: Option<String>,
    /// The newest stable release of the product.
    pub latest: bool,
}

pub struct ProductDownloads {
    pub name: String,
    pub code: String,
    pub minimum: Option<String>,
    /// The version needed to connect to the cloud.
    pub cloud_minimum: Option<String>,
    pub releases: Vec<ReleaseRow>,
}

#[derive(Template)]
#[template(path = "downloads.html")]
struct DownloadsPage {
    chrome: Chrome,
    products: Vec<ProductDownloads>,
}

/// `GET /downloads`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
) -> Result<Response, ApiError> {
    let found = releases::downloads(&state, &me).await?;
    let products = found
        .products
        .into_iter()
        .map(|p| ProductDownloads {
            name: p.product_name,
            code: p.product,
            minimum: p.minimum_version,
            cloud_minimum: p.cloud_minimum_version,
            releases: p
                .releases
                .into_iter()
                .map(|r| ReleaseRow {
                    date: day(&r.published_at, &state.zone),
                    channel: (r.channel != "stable").then_some(r.channel),
                    latest: p.latest_version.as_ref() == Some(&r.version),
                    version: r.version,
                    notes: r.notes,
                    url: r.url,
                    sha256: r.sha256,
                })
                .collect(),
        })
        .collect();
    let page = DownloadsPage {
        chrome: Chrome::signed_in(&ctx, &me, "/downloads"),
        products,
    };
    Ok(html(&page)?.into_response())
}
