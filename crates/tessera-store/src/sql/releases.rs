//! Releases' SQL (X6).

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::Actor;
use tessera_core::release::{Minimum, Version};

use super::audit::audit;
use super::{Conn, Pools, announce, row_lock};
use crate::changes::EVERYTHING_CHANGED;
use crate::error::duplicate_as;
use crate::releases::{
    NewRelease, ProductReleases, RELEASE_SELECT, ReleaseRecord, ReleaseRow, newest_first, version,
};
use crate::{Result, StoreError, to_micros};

pub(crate) async fn publish(
    db: &Pools,
    new: &NewRelease,
    actor: &Actor,
    now: Timestamp,
) -> Result<ReleaseRecord> {
    let mut tx = db.begin().await?;
    let product_id = locked_product(&mut tx, &new.product).await?;
    // One release per version, whatever its build: `1.2.11+fix` after a withdrawn `1.2.11`
    // would be the same version to every client, so it is refused as the same.
    if stored_version(&mut tx, product_id, &new.version)
        .await?
        .is_some()
    {
        return Err(StoreError::Conflict(ErrorCode::ReleaseExists));
    }
    for edition in &new.editions {
        let known: Option<i64> =
            sqlx::query_scalar("SELECT id FROM editions WHERE product_id = $1 AND code = $2")
                .bind(product_id)
                .bind(edition)
                .fetch_optional(&mut *tx)
                .await?;
        known.ok_or(StoreError::NotFound("edition"))?;
    }
    let editions = serde_json::to_string(&new.editions).expect("codes serialize");
    sqlx::query(
        "INSERT INTO releases (product_id, version, channel, notes, url, sha256, editions, \
         published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(product_id)
    .bind(new.version.to_string())
    .bind(&new.channel)
    .bind(&new.notes)
    .bind(&new.url)
    .bind(&new.sha256)
    .bind(&editions)
    .bind(to_micros(now))
    .execute(&mut *tx)
    .await
    .map_err(StoreError::from)
    .map_err(duplicate_as(ErrorCode::ReleaseExists))?;
    audit(
        &mut tx,
        now,
        actor,
        "release.published",
        "product",
        &new.product,
        Some(format!("{} ({})", new.version, new.channel)),
    )
    .await?;
    // Licences and validations of every account name the newest release.
    announce(&mut tx, EVERYTHING_CHANGED).await?;
    tx.commit().await?;
    Ok(ReleaseRecord {
        product: new.product.clone(),
        version: new.version.clone(),
        channel: new.channel.clone(),
        notes: new.notes.clone(),
        url: new.url.clone(),
        sha256: new.sha256.clone(),
        editions: new.editions.clone(),
        published_at: now,
        withdrawn: None,
    })
}

/// Withdraws the release (`withdrawal`: Some(reason)) or offers it again (None). Only a
/// change of state is recorded: a retry keeps the first withdrawal's time and reason.
pub(crate) async fn set_withdrawn(
    db: &Pools,
    product: &str,
    version: &Version,
    withdrawal: Option<&str>,
    actor: &Actor,
    now: Timestamp,
) -> Result<ReleaseRecord> {
    let mut tx = db.begin().await?;
    let product_id = locked_product(&mut tx, product).await?;
    // As published, whatever build the caller wrote or left out.
    let text = stored_version(&mut tx, product_id, version)
        .await?
        .ok_or(StoreError::NotFound("release"))?;
    let changed = match withdrawal {
        Some(reason) => sqlx::query(
            "UPDATE releases SET withdrawn_at = $1, withdrawn_reason = $2 \
             WHERE product_id = $3 AND version = $4 AND withdrawn_at IS NULL",
        )
        .bind(to_micros(now))
        .bind(reason),
        None => sqlx::query(
            "UPDATE releases SET withdrawn_at = NULL, withdrawn_reason = NULL \
             WHERE product_id = $1 AND version = $2 AND withdrawn_at IS NOT NULL",
        ),
    }
    .bind(product_id)
    .bind(&text)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    let row: ReleaseRow = sqlx::query_as(&format!(
        "{RELEASE_SELECT} WHERE r.product_id = $1 AND r.version = $2"
    ))
    .bind(product_id)
    .bind(&text)
    .fetch_one(&mut *tx)
    .await?;
    if changed {
        let (action, detail) = match withdrawal {
            Some("") => ("release.withdrawn", version.to_string()),
            Some(reason) => ("release.withdrawn", format!("{version}: {reason}")),
            None => ("release.restored", version.to_string()),
        };
        audit(
            &mut tx,
            now,
            actor,
            action,
            "product",
            product,
            Some(detail),
        )
        .await?;
        // Licences and validations of every account name the newest release offered now.
        announce(&mut tx, EVERYTHING_CHANGED).await?;
    }
    tx.commit().await?;
    row.into_record()
}

/// The product's id, its row locked to the end of the transaction on PostgreSQL (SQLite's
/// write transactions run one at a time): two publishes of one version under different
/// builds, or a publish and a withdrawal, cannot both pass the look-up of what is there.
async fn locked_product(conn: &mut Conn, code: &str) -> Result<i64> {
    let lock = row_lock(" FOR UPDATE");
    sqlx::query_scalar(&format!("SELECT id FROM products WHERE code = $1{lock}"))
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("product"))
}

/// The text of the product's release of `version` as it was published (its build, if any,
/// included), when there is one.
async fn stored_version(
    conn: &mut Conn,
    product_id: i64,
    version: &Version,
) -> Result<Option<String>> {
    let texts: Vec<String> =
        sqlx::query_scalar("SELECT version FROM releases WHERE product_id = $1")
            .bind(product_id)
            .fetch_all(&mut *conn)
            .await?;
    for text in texts {
        if crate::releases::version(&text)?.same_version(version) {
            return Ok(Some(text));
        }
    }
    Ok(None)
}

pub(crate) async fn set_minimum(
    db: &Pools,
    product: &str,
    which: Minimum,
    minimum: Option<&Version>,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let text = minimum.map(ToString::to_string);
    // The column's name is one of two constants, never input.
    let field = which.field();
    let done = sqlx::query(&format!("UPDATE products SET {field} = $1 WHERE code = $2"))
        .bind(&text)
        .bind(product)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("product"));
    }
    audit(
        &mut tx,
        now,
        actor,
        &format!("product.{field}"),
        "product",
        product,
        Some(text.unwrap_or_else(|| "none".into())),
    )
    .await?;
    announce(&mut tx, EVERYTHING_CHANGED).await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn of_product(db: &Pools, product: &str) -> Result<ProductReleases> {
    let found: Option<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT id, name, minimum_version, cloud_minimum_version FROM products WHERE code = $1",
    )
    .bind(product)
    .fetch_optional(db.read())
    .await?;
    let (id, name, minimum, cloud_minimum) = found.ok_or(StoreError::NotFound("product"))?;
    let rows: Vec<ReleaseRow> =
        sqlx::query_as(&format!("{RELEASE_SELECT} WHERE r.product_id = $1"))
            .bind(id)
            .fetch_all(db.read())
            .await?;
    let mut releases = rows
        .into_iter()
        .map(ReleaseRow::into_record)
        .collect::<Result<Vec<_>>>()?;
    newest_first(&mut releases);
    Ok(ProductReleases {
        product: product.to_owned(),
        product_name: name,
        minimum_version: minimum.as_deref().map(version).transpose()?,
        cloud_minimum_version: cloud_minimum.as_deref().map(version).transpose()?,
        releases,
    })
}

/// A product and edition the account holds a key of: the product's id, code, name and
/// minimum versions (the program's, the cloud's), and the edition's code.
type HeldEdition = (i64, String, String, Option<String>, Option<String>, String);

pub(crate) async fn of_account(
    db: &Pools,
    account_id: i64,
    site: Option<&str>,
) -> Result<Vec<ProductReleases>> {
    // The products and editions of the keys the account holds (the site's key alone).
    let held: Vec<HeldEdition> = sqlx::query_as(
        "SELECT DISTINCT p.id, p.code, p.name, p.minimum_version, p.cloud_minimum_version, \
         e.code \
         FROM product_keys k JOIN editions e ON e.id = k.edition_id \
         JOIN products p ON p.id = e.product_id \
         WHERE k.account_id = $1 AND k.status <> 'revoked' \
         AND ($2 IS NULL OR k.id IN (SELECT key_id FROM sites WHERE public_id = $2)) \
         ORDER BY p.code, e.code",
    )
    .bind(account_id)
    .bind(site)
    .fetch_all(db.read())
    .await?;
    let mut out: Vec<(i64, ProductReleases, Vec<String>)> = Vec::new();
    for (id, code, name, minimum, cloud_minimum, edition) in held {
        match out.last_mut() {
            Some((last, _, editions)) if *last == id => editions.push(edition),
            _ => out.push((
                id,
                ProductReleases {
                    product: code,
                    product_name: name,
                    minimum_version: minimum.as_deref().map(version).transpose()?,
                    cloud_minimum_version: cloud_minimum.as_deref().map(version).transpose()?,
                    releases: Vec::new(),
                },
                vec![edition],
            )),
        }
    }
    for (id, product, editions) in &mut out {
        let rows: Vec<ReleaseRow> =
            sqlx::query_as(&format!("{RELEASE_SELECT} WHERE r.product_id = $1"))
                .bind(*id)
                .fetch_all(db.read())
                .await?;
        let mut releases = Vec::new();
        for row in rows {
            let r = row.into_record()?;
            if editions.iter().any(|e| r.published().for_edition(e)) {
                releases.push(r);
            }
        }
        newest_first(&mut releases);
        product.releases = releases;
    }
    Ok(out.into_iter().map(|(_, p, _)| p).collect())
}
