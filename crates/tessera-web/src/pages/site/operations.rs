//! The site's recent operations on its sheet (I1), with the right `operations.view`; the
//! whole log, filtered and paged, is a page of its own (`/operations?site=…`).

use tessera_server::AppState;
use tessera_server::actors::{Holds, PortalUser, right};
use tessera_server::error::ApiError;
use tessera_server::operations::{self, OperationQuery};

use crate::i18n::Tr;
use crate::view::when;

/// How many of the site's latest operations the sheet shows.
const RECENT_OPERATIONS: u32 = 20;

/// One entry of the site's recent operations.
#[derive(Debug, Clone)]
pub struct OperationRow {
    pub at: String,
    pub actor: String,
    pub operation: String,
    pub outcome: String,
    pub outcome_label: String,
    pub code: String,
}

/// The site's latest operations, newest first (the log's own page filters and pages them).
pub(crate) async fn recent(
    state: &AppState,
    tr: Tr,
    who: &Holds<right::ViewOperationsLog, PortalUser>,
    site_id: &str,
) -> Result<Vec<OperationRow>, ApiError> {
    let q = OperationQuery {
        site: Some(site_id.to_owned()),
        limit: Some(RECENT_OPERATIONS),
        ..OperationQuery::default()
    };
    let page = operations::own_log(state, who, &q).await?;
    Ok(page
        .operations
        .into_iter()
        .map(|o| OperationRow {
            at: when(Some(&o.at), &state.zone).unwrap_or_else(|| o.at.clone()),
            outcome_label: tr.t(&format!("site-op-{}", o.outcome)),
            actor: o.actor,
            operation: o.operation,
            outcome: o.outcome,
            code: o.code.unwrap_or_default(),
        })
        .collect())
}
