//! The SQL of the first-sync lease (G2): one per account, on the account's sync row.

use jiff::Timestamp;
use tessera_core::Actor;
use tessera_core::sync::{AnotherSiteSyncing, Lease, LeaseLost, lease};

use super::super::audit::audit;
use super::super::{Conn, Pools};
use super::lock_account;
use crate::{Result, to_micros};

async fn set_lease(conn: &mut Conn, account_id: i64, lease: Option<&Lease>) -> Result<()> {
    sqlx::query(
        "UPDATE sync_accounts SET lease_site = $1, lease_started_at = $2, lease_expires_at = $3 \
         WHERE account_id = $4",
    )
    .bind(lease.map(|l| l.site.clone()))
    .bind(lease.map(|l| to_micros(l.started_at)))
    .bind(lease.map(|l| to_micros(l.expires_at)))
    .bind(account_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Makes sure `site_id` has its sync row.
pub(crate) async fn site_row(conn: &mut Conn, account_id: i64, site_id: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_sites (site_id, account_id) VALUES ($1, $2) \
         ON CONFLICT (site_id) DO NOTHING",
    )
    .bind(site_id)
    .bind(account_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn start(
    db: &Pools,
    account_id: i64,
    site_id: &str,
    now: Timestamp,
) -> Result<std::result::Result<(Lease, i64), AnotherSiteSyncing>> {
    let mut tx = db.begin().await?;
    let (last, current) = lock_account(&mut tx, account_id).await?;
    let granted = match lease::decide_start(current.as_ref(), site_id, now) {
        Ok(granted) => granted,
        Err(busy) => return Ok(Err(busy)),
    };
    set_lease(&mut tx, account_id, Some(&granted)).await?;
    site_row(&mut tx, account_id, site_id).await?;
    let actor = Actor::Site(site_id.to_owned());
    audit(
        &mut tx,
        now,
        actor,
        "sync.first_sync.started",
        "site",
        site_id,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok((granted, last)))
}

pub(crate) async fn renew(
    db: &Pools,
    account_id: i64,
    site_id: &str,
    now: Timestamp,
) -> Result<std::result::Result<Lease, LeaseLost>> {
    let mut tx = db.begin().await?;
    let (_, current) = lock_account(&mut tx, account_id).await?;
    let renewed = match lease::decide_renew(current.as_ref(), site_id, now) {
        Ok(renewed) => renewed,
        Err(lost) => return Ok(Err(lost)),
    };
    set_lease(&mut tx, account_id, Some(&renewed)).await?;
    tx.commit().await?;
    Ok(Ok(renewed))
}

pub(crate) async fn finish(
    db: &Pools,
    account_id: i64,
    site_id: &str,
    now: Timestamp,
) -> Result<std::result::Result<(), LeaseLost>> {
    let mut tx = db.begin().await?;
    let (_, current) = lock_account(&mut tx, account_id).await?;
    if let Err(lost) = lease::decide_finish(current.as_ref(), site_id, now) {
        return Ok(Err(lost));
    }
    set_lease(&mut tx, account_id, None).await?;
    site_row(&mut tx, account_id, site_id).await?;
    sqlx::query("UPDATE sync_sites SET first_synced_at = $1 WHERE site_id = $2")
        .bind(to_micros(now))
        .bind(site_id)
        .execute(&mut *tx)
        .await?;
    let actor = Actor::Site(site_id.to_owned());
    audit(
        &mut tx,
        now,
        actor,
        "sync.first_sync.finished",
        "site",
        site_id,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}
