//! The SQL of enabling sites in a subscription.

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::Actor;
use tessera_core::cloud::{Bundle, Choice, decide_enablement};

use super::audit::audit;
use super::outbox::{enqueue_mail, recipient};
use super::{Conn, Pools, row_lock};
use crate::error::duplicate_as;
use crate::subscriptions::enablement::{CLOUD_SITE_SELECT, CloudSiteRow};
use crate::subscriptions::{SUBSCRIPTION_SELECT, SubscriptionRecord, SubscriptionRow};
use crate::{CloudSiteRecord, IssuedCodes, Result, StoreError, mails, to_micros};

/// The account's installations of the products `service` is sold for.
pub(crate) async fn cloud_sites(
    db: &Pools,
    account_id: i64,
    service: &str,
) -> Result<Vec<CloudSiteRow>> {
    let sql = format!("{CLOUD_SITE_SELECT} ORDER BY e.rank, z.code, st.id");
    Ok(sqlx::query_as::<_, CloudSiteRow>(&sql)
        .bind(account_id)
        .bind(service)
        .fetch_all(db.read())
        .await?)
}

/// What enabling a selection decides on, read under the subscription's row lock.
struct Selection {
    sub: SubscriptionRecord,
    rows: Vec<CloudSiteRow>,
    enabled: u32,
    covered: Vec<Bundle>,
}

/// Reads the subscription (locked), the chosen sites, how many are enabled and the bundles
/// the plan covers.
async fn load_selection(
    conn: &mut Conn,
    account_id: i64,
    service: &str,
    codes: &[IssuedCodes],
) -> Result<Selection> {
    let lock = row_lock(" FOR UPDATE OF s");
    let sub_sql = format!("{SUBSCRIPTION_SELECT} WHERE s.account_id = $1 AND s.service = $2{lock}");
    let sub: SubscriptionRecord = sqlx::query_as::<_, SubscriptionRow>(&sub_sql)
        .bind(account_id)
        .bind(service)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("subscription"))?
        .try_into()?;
    let site_sql = format!("{CLOUD_SITE_SELECT} AND st.public_id = $3");
    let mut rows = Vec::with_capacity(codes.len());
    for c in codes {
        let row = sqlx::query_as::<_, CloudSiteRow>(&site_sql)
            .bind(account_id)
            .bind(service)
            .bind(&c.site_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound("site"))?;
        rows.push(row);
    }
    let enabled: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM cloud_sites WHERE subscription_id = $1")
            .bind(sub.id)
            .fetch_one(&mut *conn)
            .await?;
    let covered: Vec<(String, String)> = sqlx::query_as(
        "SELECT e.code, z.code FROM plan_bundles b \
         JOIN editions e ON e.id = b.edition_id JOIN sizes z ON z.id = b.size_id \
         WHERE b.plan_id = (SELECT plan_id FROM subscriptions WHERE id = $1)",
    )
    .bind(sub.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Selection {
        sub,
        rows,
        enabled: u32::try_from(enabled).unwrap_or(u32::MAX),
        covered: covered
            .into_iter()
            .map(|(edition, size)| Bundle { edition, size })
            .collect(),
    })
}

/// Enables the sites `codes` name, all or nothing (see `Store::enable_cloud_sites`): load,
/// let `tessera_core::cloud::decide_enablement` decide, write.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn enable_cloud_sites(
    db: &Pools,
    account_id: i64,
    service: &str,
    service_name: &str,
    codes: &[IssuedCodes],
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let Selection {
        sub,
        rows,
        enabled,
        covered,
    } = load_selection(&mut tx, account_id, service, codes).await?;
    let sites: Vec<CloudSiteRecord> = rows
        .iter()
        .map(CloudSiteRow::record)
        .collect::<Result<_>>()?;
    let mut chosen = Vec::with_capacity(rows.len());
    for (row, site) in rows.iter().zip(&sites) {
        chosen.push(Choice {
            site_id: &site.site_id,
            bundle: site.bundle.clone(),
            enabled: site.enabled_at.is_some(),
            license: row.license(now)?,
            has_email: site.email.is_some(),
        });
    }
    decide_enablement(
        sub.state_at(now),
        sub.bundle.as_ref(),
        &covered,
        sub.seats,
        enabled,
        &chosen,
    )
    .map_err(|e| StoreError::refused(&e))?;
    if sub.bundle.is_none()
        && let Some(first) = rows.first()
    {
        sqlx::query(
            "UPDATE subscriptions SET edition_id = $1, size_id = $2, updated_at = $3 \
             WHERE id = $4",
        )
        .bind(first.edition_id)
        .bind(first.size_id)
        .bind(to_micros(now))
        .bind(sub.id)
        .execute(&mut *tx)
        .await?;
    }
    let account = recipient(&mut tx, account_id).await?;
    for ((row, site), c) in rows.iter().zip(&sites).zip(codes) {
        sqlx::query(
            "INSERT INTO cloud_sites (subscription_id, site_id, enabled_at, \
             activation_code_hash, site_code) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(sub.id)
        .bind(row.id)
        .bind(to_micros(now))
        .bind(&c.activation_code_hash)
        .bind(&c.site_code)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)
        .map_err(duplicate_as(ErrorCode::SiteAlreadyEnabled))?;
        sqlx::query("DELETE FROM deleted_cloud_sites WHERE site_id = $1")
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
        let mail = mails::cloud_site_codes(&account, service_name, site, c);
        enqueue_mail(&mut tx, now, &mail).await?;
        let action = "cloud.site_enabled";
        let detail = Some(service.to_owned());
        audit(&mut tx, now, actor, action, "site", &site.site_id, detail).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Gives an enabled site of the account a new activation code and queues its activation
/// data again to its representative (see `Store::resend_cloud_codes`).
pub(crate) async fn resend_cloud_codes(
    db: &Pools,
    account_id: i64,
    (service, service_name): (&str, &str),
    codes: &IssuedCodes,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let sql = format!("{CLOUD_SITE_SELECT} AND st.public_id = $3");
    let row = sqlx::query_as::<_, CloudSiteRow>(&sql)
        .bind(account_id)
        .bind(service)
        .bind(&codes.site_id)
        .fetch_optional(&mut *tx)
        .await?
        .filter(|r| r.enabled_at.is_some())
        .ok_or(StoreError::NotFound("site"))?;
    let site = row.record()?;
    if site.email.is_none() {
        return Err(StoreError::Conflict(ErrorCode::SiteEmailMissing));
    }
    let site_code: String = sqlx::query_scalar(
        "UPDATE cloud_sites SET activation_code_hash = $1 WHERE site_id = $2 \
         RETURNING site_code",
    )
    .bind(&codes.activation_code_hash)
    .bind(row.id)
    .fetch_one(&mut *tx)
    .await?;
    let sent = IssuedCodes {
        site_code,
        ..codes.clone()
    };
    let account = recipient(&mut tx, account_id).await?;
    let mail = mails::cloud_site_codes_again(&account, service_name, &site, &sent);
    enqueue_mail(&mut tx, now, &mail).await?;
    let detail = Some(service.to_owned());
    audit(
        &mut tx,
        now,
        actor,
        "cloud.codes_resent",
        "site",
        &site.site_id,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
