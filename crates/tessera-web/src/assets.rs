//! The pages' static files, compiled into the binary: htmx, uPlot, our stylesheet and
//! script. Each is served under a name carrying a hash of its content
//! (`/assets/app.3f9a1c2e.css`), so browsers may keep it for a year and a new release is
//! fetched at once. Nothing comes from a CDN.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// One file: its plain name (what templates ask for), its hashed name, its bytes and type.
pub struct Asset {
    pub name: &'static str,
    pub hashed: String,
    pub bytes: &'static [u8],
    pub content_type: &'static str,
}

macro_rules! files {
    ($($name:literal => $path:literal, $type:literal;)*) => {
        [$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/static/", $path)) as &[u8], $type)),*]
    };
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    files! {
        "htmx.js" => "htmx-2.0.11.min.js", "text/javascript";
        "uplot.js" => "uplot-1.6.32.min.js", "text/javascript";
        "uplot.css" => "uplot-1.6.32.min.css", "text/css";
        "app.css" => "app.css", "text/css";
        "app.js" => "app.js", "text/javascript";
        "logo.svg" => "logo.svg", "image/svg+xml";
    }
    .into_iter()
    .map(|(name, bytes, content_type)| {
        let digest = hex(&Sha256::digest(bytes)[..4]);
        let (stem, ext) = name
            .rsplit_once('.')
            .expect("asset names have an extension");
        Asset {
            name,
            hashed: format!("{stem}.{digest}.{ext}"),
            bytes,
            content_type,
        }
    })
    .collect()
});

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The URL of the asset `name` (`app.css` → `/assets/app.3f9a1c2e.css`).
///
/// # Panics
/// On a name that is not an asset: templates name them literally, and the page tests render
/// every template.
pub fn url(name: &str) -> String {
    let asset = ASSETS
        .iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no asset {name}"));
    format!("/assets/{}", asset.hashed)
}

/// `GET /assets/{file}`: the file by its hashed name, cached for a year; 404 otherwise.
pub async fn serve(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.hashed == file) {
        Some(asset) => (
            [
                (header::CONTENT_TYPE, asset.content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            asset.bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A brace lost in a merge turns every rule after it into part of the block before it
    /// (it happened: the users' styles applied only on paper).
    #[test]
    fn the_stylesheet_closes_every_block_it_opens() {
        let css = std::str::from_utf8(include_bytes!("../static/app.css")).unwrap();
        let mut depth = 0i32;
        let mut rest = css;
        while let Some(start) = rest.find("/*") {
            let (before, after) = rest.split_at(start);
            depth += before.matches('{').count() as i32 - before.matches('}').count() as i32;
            assert!(depth >= 0, "a '}}' closes nothing before: {:.80}", after);
            rest = &after[after.find("*/").expect("every comment ends") + 2..];
        }
        depth += rest.matches('{').count() as i32 - rest.matches('}').count() as i32;
        assert_eq!(depth, 0, "blocks left open at the end of app.css");
    }

    #[test]
    fn hashed_names_follow_the_content() {
        let css = url("app.css");
        assert!(
            css.starts_with("/assets/app.") && css.ends_with(".css"),
            "{css}"
        );
        let digest = hex(&Sha256::digest(include_bytes!("../static/app.css"))[..4]);
        assert_eq!(css, format!("/assets/app.{digest}.css"));
        let names: std::collections::BTreeSet<_> = ASSETS.iter().map(|a| &a.hashed).collect();
        assert_eq!(names.len(), ASSETS.len(), "two assets share a name");
    }
}
