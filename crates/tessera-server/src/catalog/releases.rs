//! Releases of a product as use cases (X6): operators publish them and set the product's
//! minimum supported version; an account reads what its licences may download.

use tessera_api::{Downloads, ErrorCode, NewRelease, Release, ReleaseList};
use tessera_core::release::{self, Minimum, Published, STABLE, Version, download_url, sha256_hex};
use tessera_core::{Code, account::optional_text};
use tessera_store::{ProductReleases, ReleaseRecord};

use crate::actors::{Operator, PortalUser};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// `text` as a version, or `VERSION_INVALID` about `field`.
pub(crate) fn version(field: &str, text: &str) -> ApiResult<Version> {
    Version::parse(text).map_err(|e| ApiError::invalid(ErrorCode::VersionInvalid, field, e))
}

pub fn to_api(r: ReleaseRecord) -> Release {
    Release {
        product: r.product,
        version: r.version.to_string(),
        channel: r.channel,
        notes: r.notes,
        url: r.url,
        sha256: r.sha256,
        editions: r.editions,
        published_at: r.published_at.to_string(),
        withdrawn_at: r.withdrawn.as_ref().map(|w| w.at.to_string()),
        withdrawn_reason: r.withdrawn.map(|w| w.reason),
    }
}

pub fn to_list(p: ProductReleases) -> ReleaseList {
    let published: Vec<Published<'_>> = p
        .releases
        .iter()
        .map(|r| Published {
            version: &r.version,
            channel: &r.channel,
            editions: &r.editions,
            withdrawn: r.withdrawn.is_some(),
        })
        .collect();
    let latest_version = release::newest_stable(&published).map(ToString::to_string);
    ReleaseList {
        latest_version,
        product: p.product,
        product_name: p.product_name,
        minimum_version: p.minimum_version.map(|v| v.to_string()),
        cloud_minimum_version: p.cloud_minimum_version.map(|v| v.to_string()),
        releases: p.releases.into_iter().map(to_api).collect(),
    }
}

/// Publishes a release of `product`, each field checked (X6).
pub async fn publish(
    app: &AppState,
    op: &Operator,
    product: &str,
    req: &NewRelease,
) -> ApiResult<Release> {
    let channel = match req.channel.as_deref().map(str::trim) {
        None | Some("") => STABLE.to_owned(),
        Some(c) => Code::parse(c)
            .map_err(|e| ApiError::invalid(ErrorCode::InvalidCode, "channel", e))?
            .as_str()
            .to_owned(),
    };
    let editions = req
        .editions
        .iter()
        .enumerate()
        .map(|(i, e)| {
            Code::parse(e)
                .map(|c| c.as_str().to_owned())
                .map_err(|err| {
                    ApiError::invalid(ErrorCode::InvalidCode, &format!("editions[{i}]"), err)
                })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let new = tessera_store::NewRelease {
        product: product.trim().to_ascii_lowercase(),
        version: version("version", &req.version)?,
        channel,
        notes: optional_text("notes", &req.notes, 10_000)?.unwrap_or_default(),
        url: download_url(&req.url)
            .map_err(|e| ApiError::invalid(ErrorCode::DownloadUrlInvalid, "url", e))?,
        sha256: req
            .sha256
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(sha256_hex)
            .transpose()
            .map_err(|e| ApiError::invalid(ErrorCode::ChecksumInvalid, "sha256", e))?,
        editions,
    };
    let published = app
        .store
        .publish_release(&new, &op.actor(), app.clock.now())
        .await?;
    tracing::info!(product = %published.product, version = %published.version, "release published");
    Ok(to_api(published))
}

/// Withdraws the product's release `version` (X6): kept on the operators' list with when
/// and why, no longer a licence's latest nor in any account's downloads. A second
/// withdrawal answers the first one.
pub async fn withdraw(
    app: &AppState,
    op: &Operator,
    product: &str,
    version_text: &str,
    reason: &str,
) -> ApiResult<Release> {
    let version = version("version", version_text)?;
    let reason = optional_text("reason", reason, 1_000)?.unwrap_or_default();
    let withdrawn = app
        .store
        .withdraw_release(
            &product.trim().to_ascii_lowercase(),
            &version,
            &reason,
            &op.actor(),
            app.clock.now(),
        )
        .await?;
    tracing::info!(product = %withdrawn.product, version = %withdrawn.version, "release withdrawn");
    Ok(to_api(withdrawn))
}

/// Offers the product's withdrawn release `version` again (X6): a withdrawal by mistake.
pub async fn restore(
    app: &AppState,
    op: &Operator,
    product: &str,
    version_text: &str,
) -> ApiResult<Release> {
    let version = version("version", version_text)?;
    let restored = app
        .store
        .restore_release(
            &product.trim().to_ascii_lowercase(),
            &version,
            &op.actor(),
            app.clock.now(),
        )
        .await?;
    tracing::info!(product = %restored.product, version = %restored.version, "release offered again");
    Ok(to_api(restored))
}

/// The product's releases, newest first, and its minimum version.
pub async fn list(app: &AppState, product: &str) -> ApiResult<ReleaseList> {
    Ok(to_list(
        app.store
            .product_releases(&product.trim().to_ascii_lowercase())
            .await?,
    ))
}

/// Sets or clears one of the product's minimum versions (X6): the program's, or the one it
/// needs to connect to the cloud.
pub async fn set_minimum(
    app: &AppState,
    op: &Operator,
    product: &str,
    which: Minimum,
    minimum: Option<&str>,
) -> ApiResult<ReleaseList> {
    let minimum = minimum
        .filter(|m| !m.trim().is_empty())
        .map(|m| version(which.field(), m))
        .transpose()?;
    let product = product.trim().to_ascii_lowercase();
    app.store
        .set_minimum_version(
            &product,
            which,
            minimum.as_ref(),
            &op.actor(),
            app.clock.now(),
        )
        .await?;
    list(app, &product).await
}

/// What the reader's account may download: the releases of the products it holds keys of,
/// for their editions (a site's user: its site's).
pub async fn downloads(app: &AppState, me: &PortalUser) -> ApiResult<Downloads> {
    let products = app.store.account_downloads(me.id, me.site()).await?;
    Ok(Downloads {
        products: products.into_iter().map(to_list).collect(),
    })
}
