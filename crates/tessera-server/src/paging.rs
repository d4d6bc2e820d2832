//! Listings come in pages: a size of 1 to 500 (100 by default) and a cursor for the next.

use tessera_api::ErrorCode;

use crate::error::ApiError;

/// A listing's page size: 1–500, default 100.
pub fn page_limit(limit: Option<u32>) -> Result<u32, ApiError> {
    let limit = limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid(
            ErrorCode::InvalidLimit,
            "limit",
            "limit must be 1 to 500",
        ));
    }
    Ok(limit)
}

/// A free-text filter: None when absent or blank, refused (422 `INVALID_QUERY`) over `max`
/// characters, so no filter grows into a pattern the database chokes on.
pub fn text_filter<'a>(
    field: &str,
    value: Option<&'a str>,
    max: usize,
) -> Result<Option<&'a str>, ApiError> {
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > max {
        return Err(ApiError::invalid(
            ErrorCode::InvalidQuery,
            field,
            format!("{field} has at most {max} characters"),
        ));
    }
    Ok(Some(value))
}

/// The cursor for the next page: the last id when the page came back full.
pub fn next_after<T>(page: &[T], limit: u32, id: impl Fn(&T) -> i64) -> Option<i64> {
    (page.len() == limit as usize)
        .then(|| page.last().map(id))
        .flatten()
}
