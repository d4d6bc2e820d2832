//! Subscriptions' SQL, by idea as in `crate::subscriptions`: reading them here, the trial,
//! enabling sites, the sites' cloud access, operators' state changes, and the expiry job.

pub(crate) mod access;
pub(crate) mod enablement;
pub(crate) mod expiry;
pub(crate) mod state;
pub(crate) mod trial;

use jiff::Timestamp;
use tessera_core::Actor;

pub(crate) use super::{Conn, Pools, audit, outbox, row_lock};
use crate::Result;
use crate::subscriptions::{SUBSCRIPTION_SELECT, SubscriptionRow};
use audit::audit;

/// The account's subscription to `service`.
pub(crate) async fn subscription(
    db: &Pools,
    account_id: i64,
    service: &str,
) -> Result<Option<SubscriptionRow>> {
    let sql = format!("{SUBSCRIPTION_SELECT} WHERE s.account_id = $1 AND s.service = $2");
    Ok(sqlx::query_as::<_, SubscriptionRow>(&sql)
        .bind(account_id)
        .bind(service)
        .fetch_optional(db.read())
        .await?)
}

/// Subscriptions by id; one account's when given.
pub(crate) async fn subscriptions(
    db: &Pools,
    account_id: Option<i64>,
) -> Result<Vec<SubscriptionRow>> {
    let sql =
        format!("{SUBSCRIPTION_SELECT} WHERE ($1 IS NULL OR s.account_id = $1) ORDER BY s.id");
    Ok(sqlx::query_as::<_, SubscriptionRow>(&sql)
        .bind(account_id)
        .fetch_all(db.read())
        .await?)
}

/// Inside a transaction: drops the enabled sites of subscription `sub` that a new term does
/// not keep (E3: sites are dropped only when a term starts), on record for `why`.
pub(crate) async fn drop_unkept(
    conn: &mut Conn,
    sub: i64,
    keep: Option<&[String]>,
    seats: u32,
    actor: &Actor,
    why: &str,
    now: Timestamp,
) -> Result<()> {
    let enabled: Vec<String> = sqlx::query_scalar(
        "SELECT st.public_id FROM cloud_sites c JOIN sites st ON st.id = c.site_id \
         WHERE c.subscription_id = $1 ORDER BY c.enabled_at, c.site_id",
    )
    .bind(sub)
    .fetch_all(&mut *conn)
    .await?;
    for public_id in tessera_core::subscription::sites_to_drop(&enabled, keep, seats) {
        sqlx::query(
            "DELETE FROM cloud_sites WHERE site_id = (SELECT id FROM sites WHERE public_id = $1)",
        )
        .bind(public_id)
        .execute(&mut *conn)
        .await?;
        let detail = Some(why.to_owned());
        audit(
            conn,
            now,
            actor,
            "cloud.site_dropped",
            "site",
            public_id,
            detail,
        )
        .await?;
    }
    Ok(())
}
