//! The overview's extras of an account's sites, a query each.

use super::Pools;
use crate::Result;
use crate::overview::AccountExtras;

pub(crate) async fn account_extras(
    db: &Pools,
    account_id: i64,
    since: i64,
) -> Result<AccountExtras> {
    let services_on: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.public_id, v.code FROM site_services ss \
         JOIN sites s ON s.id = ss.site_id JOIN services v ON v.id = ss.service_id \
         WHERE s.account_id = $1 AND ss.off_date IS NULL ORDER BY s.public_id, v.code",
    )
    .bind(account_id)
    .fetch_all(db.read())
    .await?;
    let enabled: Vec<(String, i64)> = sqlx::query_as(
        "SELECT s.public_id, c.subscription_id FROM cloud_sites c \
         JOIN sites s ON s.id = c.site_id WHERE s.account_id = $1",
    )
    .bind(account_id)
    .fetch_all(db.read())
    .await?;
    let refused_payments: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM unapplied_payments u JOIN orders o ON o.public_id = u.order_ref \
         WHERE o.account_id = $1 AND u.received_at >= $2",
    )
    .bind(account_id)
    .bind(since)
    .fetch_one(db.read())
    .await?;
    Ok(AccountExtras {
        services_on,
        enabled,
        refused_payments,
    })
}
