//! Installations' SQL: reading an account's sites, the operators' changes, site data, and
//! the validation log's flush (activation is `activation`).

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::{Actor, SiteStatus};

use super::audit::audit;
use super::{Pools, announce};
use crate::releases::{RELEASE_SELECT, ReleaseRow};
use crate::sites::{MODULES_SQL, RELEASES_OF_ACCOUNT, SITE_SELECT, SiteRow};
use crate::{Result, StoreError, to_micros};

/// Every installation of the account, the modules of their products (product id, code)
/// and their products' releases.
pub(crate) async fn account_sites(
    db: &Pools,
    account_id: i64,
) -> Result<(Vec<SiteRow>, Vec<(i64, String)>, Vec<ReleaseRow>)> {
    let rows = sqlx::query_as::<_, SiteRow>(&format!(
        "{SITE_SELECT} WHERE s.account_id = $1 ORDER BY s.id"
    ))
    .bind(account_id)
    .fetch_all(db.read())
    .await?;
    let modules = sqlx::query_as(MODULES_SQL)
        .bind(account_id)
        .fetch_all(db.read())
        .await?;
    let releases = sqlx::query_as(&format!("{RELEASE_SELECT} {RELEASES_OF_ACCOUNT}"))
        .bind(account_id)
        .fetch_all(db.read())
        .await?;
    Ok((rows, modules, releases))
}

/// The account an installation belongs to.
pub(crate) async fn site_account(db: &Pools, public_id: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT account_id FROM sites WHERE public_id = $1")
            .bind(public_id)
            .fetch_optional(db.read())
            .await?,
    )
}

/// Suspends or resumes an installation; its account.
pub(crate) async fn set_site_suspended(
    db: &Pools,
    public_id: &str,
    suspended: bool,
    actor: &Actor,
    now: Timestamp,
) -> Result<i64> {
    let now_us = to_micros(now);
    let mut tx = db.begin().await?;
    let (site_id, account_id, status): (i64, i64, String) =
        sqlx::query_as("SELECT id, account_id, status FROM sites WHERE public_id = $1")
            .bind(public_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("site"))?;
    let is_suspended = status == SiteStatus::Suspended.as_str();
    if is_suspended == suspended {
        return Err(StoreError::Conflict(if suspended {
            ErrorCode::SiteAlreadySuspended
        } else {
            ErrorCode::SiteNotSuspended
        }));
    }
    let sql = if suspended {
        "UPDATE sites SET status = 'suspended', updated_at = $2 WHERE id = $1"
    } else {
        "UPDATE sites SET status = CASE WHEN fingerprint IS NOT NULL THEN 'active' \
         WHEN activated_at IS NOT NULL THEN 'deactivated' ELSE 'registered' END, \
         updated_at = $2 WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(site_id)
        .bind(now_us)
        .execute(&mut *tx)
        .await?;
    let action = if suspended {
        "site.suspended"
    } else {
        "site.resumed"
    };
    audit(&mut tx, now, actor, action, "site", public_id, None).await?;
    announce(&mut tx, &account_id.to_string()).await?;
    tx.commit().await?;
    Ok(account_id)
}

/// Marks the installation `site_id` as licensed by file (a revalidation answered by file),
/// while it is still active on `fingerprint`, in one statement; its account, or None when
/// it no longer is (released or moved meanwhile).
pub(crate) async fn mark_by_file(
    db: &Pools,
    site_id: i64,
    fingerprint: &str,
    now: Timestamp,
) -> Result<Option<i64>> {
    let mut tx = db.begin().await?;
    let account_id: Option<i64> = sqlx::query_scalar(
        "UPDATE sites SET by_file = TRUE, updated_at = $3 \
         WHERE id = $1 AND status = 'active' AND fingerprint = $2 RETURNING account_id",
    )
    .bind(site_id)
    .bind(fingerprint)
    .bind(to_micros(now))
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(account_id) = account_id {
        announce(&mut tx, &account_id.to_string()).await?;
    }
    tx.commit().await?;
    Ok(account_id)
}

/// Sets or clears an installation's expiry; its account.
pub(crate) async fn set_site_expiry(
    db: &Pools,
    public_id: &str,
    expires_at: Option<Timestamp>,
    actor: &Actor,
    now: Timestamp,
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let account_id: i64 = sqlx::query_scalar(
        "UPDATE sites SET expires_at = $2, updated_at = $3 WHERE public_id = $1 \
         RETURNING account_id",
    )
    .bind(public_id)
    .bind(expires_at.map(to_micros))
    .bind(to_micros(now))
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound("site"))?;
    let detail = Some(expires_at.map_or("never".to_owned(), |t| t.to_string()));
    audit(
        &mut tx,
        now,
        actor,
        "site.expiry_set",
        "site",
        public_id,
        detail,
    )
    .await?;
    announce(&mut tx, &account_id.to_string()).await?;
    tx.commit().await?;
    Ok(account_id)
}

/// The installation (public id) and account a bound site token belongs to.
pub(crate) async fn site_for_token(db: &Pools, token_hash: &str) -> Result<Option<(String, i64)>> {
    Ok(
        sqlx::query_as("SELECT public_id, account_id FROM sites WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(db.read())
            .await?,
    )
}

/// Stores the site data and label while `token_hash` is the site's token; its account.
pub(crate) async fn set_site_data(
    db: &Pools,
    public_id: &str,
    token_hash: &str,
    data: &str,
    label: &str,
    now: Timestamp,
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let account_id: i64 = sqlx::query_scalar(
        "UPDATE sites SET data = $2, label = $3, updated_at = $4 \
         WHERE public_id = $1 AND token_hash = $5 RETURNING account_id",
    )
    .bind(public_id)
    .bind(data)
    .bind(label)
    .bind(to_micros(now))
    .bind(token_hash)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound("site"))?;
    let actor = Actor::Site(public_id.to_owned());
    audit(
        &mut tx,
        now,
        actor,
        "site.data_updated",
        "site",
        public_id,
        None,
    )
    .await?;
    announce(&mut tx, &account_id.to_string()).await?;
    tx.commit().await?;
    Ok(account_id)
}

/// The account changes its site's identification data ("Änderung der Kenndaten" in seed
/// 000): data and label, audited with who did it; another account's site is not found.
pub(crate) async fn change_site_data(
    db: &Pools,
    public_id: &str,
    account_id: i64,
    data: &str,
    label: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let changed = sqlx::query(
        "UPDATE sites SET data = $3, label = $4, updated_at = $5 \
         WHERE public_id = $1 AND account_id = $2",
    )
    .bind(public_id)
    .bind(account_id)
    .bind(data)
    .bind(label)
    .bind(to_micros(now))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(StoreError::NotFound("site"));
    }
    let detail = Some(format!("now {label}"));
    audit(
        &mut tx,
        now,
        actor,
        "site.data_changed",
        "site",
        public_id,
        detail,
    )
    .await?;
    announce(&mut tx, &account_id.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

/// Rows per statement of a flush of validations.
const FLUSH_ROWS: usize = 500;

/// How far a site's recorded last validation may lag behind its latest, in microseconds: a
/// site that validates several times a second has its row written once a second, not at
/// every flush (each write is a new version of the site's row, which its readers then step
/// over). A second is finer than anything that shows the time.
const LAST_VALIDATION_STEP_MICROS: i64 = 1_000_000;

/// Records the latest successful validation of each site, in one transaction.
pub(crate) async fn record_validations(
    db: &Pools,
    latest: &[(i64, Timestamp)],
    counts: &[(i64, u64)],
    day: &str,
) -> Result<()> {
    let mut tx = db.begin().await?;
    super::stats::add_validations(&mut tx, day, counts).await?;
    // One statement for a few hundred sites: a statement each held SQLite's one writer (and
    // a PostgreSQL connection) for thousands of round trips a second under load, and the
    // sync's pushes queued behind them (docs/benchmarks.md, "Cloud sync").
    for chunk in latest.chunks(FLUSH_ROWS) {
        let mut q =
            sqlx::QueryBuilder::new("UPDATE sites SET last_validated_at = v.column2 FROM (");
        q.push_values(chunk, |mut row, (site_id, at)| {
            row.push_bind(*site_id).push_bind(to_micros(*at));
        });
        q.push(
            ") AS v WHERE sites.id = v.column1 \
             AND (sites.last_validated_at IS NULL \
                  OR sites.last_validated_at <= v.column2 - ",
        );
        q.push(LAST_VALIDATION_STEP_MICROS).push(")");
        q.build().persistent(false).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn last_validations(db: &Pools, account_id: i64) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT public_id, last_validated_at FROM sites \
         WHERE account_id = $1 AND last_validated_at IS NOT NULL",
    )
    .bind(account_id)
    .fetch_all(db.read())
    .await?)
}

pub(crate) async fn last_validation(db: &Pools, public_id: &str) -> Result<Option<i64>> {
    let at: Option<Option<i64>> =
        sqlx::query_scalar("SELECT last_validated_at FROM sites WHERE public_id = $1")
            .bind(public_id)
            .fetch_optional(db.read())
            .await?;
    Ok(at.flatten())
}

pub(crate) async fn note_site_expiries(db: &Pools, now: Timestamp) -> Result<Vec<String>> {
    let mut tx = db.begin().await?;
    // The condition and the change are one statement: of two instances, one writes each.
    let ran_out: Vec<(String, i64)> = sqlx::query_as(
        "UPDATE sites SET expiry_noted_at = expires_at \
         WHERE expires_at IS NOT NULL AND expires_at <= $1 \
           AND (expiry_noted_at IS NULL OR expiry_noted_at <> expires_at) \
         RETURNING public_id, expires_at",
    )
    .bind(to_micros(now))
    .fetch_all(&mut *tx)
    .await?;
    for (site, expired_at) in &ran_out {
        let detail = Some(format!("expired {}", crate::from_micros(*expired_at)?));
        audit(
            &mut tx,
            now,
            Actor::System,
            "site.expired",
            "site",
            site,
            detail,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ran_out.into_iter().map(|(site, _)| site).collect())
}
