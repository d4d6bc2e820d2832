//! The SQL of conflicts (G3): listing them with both sides, and settling one under the
//! account's lock as new versions every site pulls.

use jiff::Timestamp;
use sqlx::Row;
use tessera_api::ErrorCode;
use tessera_core::Actor;
use tessera_core::sync::{Keep, decide_settlement};

use super::super::audit::audit;
use super::super::{Conn, Pools};
use super::{At, current, holders, lock_account, set_last_version, write_version};
use crate::sync::{ConflictRecord, parse_data};
use crate::{Result, StoreError, from_micros, to_micros};

/// Conflicts of the account (of `site`, when given; open only, when asked; one, by id).
pub(crate) async fn list<'e, E>(
    db: E,
    account_id: i64,
    site: Option<&str>,
    open_only: bool,
    id: Option<i64>,
) -> Result<Vec<ConflictRecord>>
where
    E: sqlx::Executor<'e, Database = super::super::Db>,
{
    // The cloud's side of an open conflict is the record as it is now.
    let sql = format!(
        "SELECT x.id, c.name, x.kind, x.field, x.value, x.site_id, x.record_id, x.site_record_id, \
                x.base_version, x.cloud_version, x.cloud_data, x.site_data, x.created_at, \
                x.resolved_at, x.resolution, \
                x.resolved_by, x.resolved_version, r.version, r.data, x.collection_id, x.owner \
         FROM sync_conflicts x JOIN sync_collections c ON c.id = x.collection_id \
         LEFT JOIN sync_records r ON r.account_id = x.account_id \
           AND r.collection_id = x.collection_id AND r.owner = x.owner \
           AND r.record_id = x.record_id \
         WHERE x.account_id = $1 AND ($2 = '' OR x.site_id = $2) {} {} ORDER BY x.id LIMIT 500",
        if open_only {
            "AND x.resolved_at IS NULL"
        } else {
            ""
        },
        if id.is_some() { "AND x.id = $3" } else { "" },
    );
    let rows = sqlx::query(&sql)
        .bind(account_id)
        .bind(site.unwrap_or(""))
        .bind(id.unwrap_or(0))
        .fetch_all(db)
        .await?;
    rows.iter().map(from_row).collect()
}

fn from_row(row: &<super::super::Db as sqlx::Database>::Row) -> Result<ConflictRecord> {
    let open = row.try_get::<Option<i64>, _>(13)?.is_none();
    let (cloud_version, cloud_data) = if open {
        (
            row.try_get::<Option<i64>, _>(17)?,
            row.try_get::<Option<String>, _>(18)?,
        )
    } else {
        (
            Some(row.try_get::<i64, _>(9)?),
            row.try_get::<Option<String>, _>(10)?,
        )
    };
    Ok(ConflictRecord {
        id: row.try_get(0)?,
        collection: row.try_get(1)?,
        kind: row.try_get(2)?,
        field: row.try_get(3)?,
        value: row.try_get(4)?,
        site_id: row.try_get(5)?,
        record_id: row.try_get(6)?,
        site_record_id: row.try_get(7)?,
        base_version: row.try_get(8)?,
        cloud_version,
        cloud_data: parse_data(cloud_data)?,
        site_data: parse_data(row.try_get(11)?)?,
        created_at: from_micros(row.try_get(12)?)?,
        resolved_at: row
            .try_get::<Option<i64>, _>(13)?
            .map(from_micros)
            .transpose()?,
        resolution: row.try_get(14)?,
        resolved_by: row.try_get(15)?,
        resolved_version: row.try_get(16)?,
    })
}

/// Settles conflict `id`: the decision becomes the cloud record's next version, and for an
/// identifier conflict the site's record id gets a tombstone (every site then holds the one
/// record under the cloud's id).
pub(crate) async fn resolve(
    db: &Pools,
    account_id: i64,
    site: Option<&str>,
    id: i64,
    keep: Keep,
    actor: &Actor,
    now: Timestamp,
) -> Result<ConflictRecord> {
    let mut tx = db.begin().await?;
    let (mut version, _) = lock_account(&mut tx, account_id).await?;
    let conflict = list(&mut *tx, account_id, site, false, Some(id))
        .await?
        .pop()
        .ok_or(StoreError::NotFound("conflict"))?;
    if conflict.resolved_at.is_some() {
        return Err(StoreError::Conflict(ErrorCode::ConflictResolved));
    }
    let (collection_id, owner): (i64, String) =
        sqlx::query_as("SELECT collection_id, owner FROM sync_conflicts WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    let collection = collection_by_id(&mut tx, collection_id).await?;
    let at = At {
        account_id,
        collection_id,
        owner: &owner,
        record_id: &conflict.record_id,
    };
    let cloud = current(&mut tx, at).await?;
    let resolution = keep.as_str();
    let identifier = conflict.kind == "identifier" && conflict.site_record_id != conflict.record_id;
    let chosen = keep.chosen(
        cloud.as_ref().and_then(|(c, _)| c.data.as_ref()),
        conflict.site_data.as_ref(),
    );
    let except = [
        conflict.record_id.as_str(),
        conflict.site_record_id.as_str(),
    ];
    let taken = match &chosen {
        Some(data) => holders(&mut tx, at, &collection, data, &except).await?,
        None => Vec::new(),
    };
    let settled = decide_settlement(&collection, chosen, identifier, &taken).map_err(|e| {
        StoreError::Refused {
            code: ErrorCode::from(&e),
            message: e.to_string(),
        }
    })?;
    let origin = match (&keep, &cloud) {
        (Keep::Cloud, Some((_, origin))) => origin.clone(),
        _ => conflict.site_id.clone(),
    };
    if settled.drop_site_record {
        version += 1;
        let site_at = At {
            record_id: &conflict.site_record_id,
            ..at
        };
        write_version(
            &mut tx,
            site_at,
            &collection,
            version,
            None,
            &conflict.site_id,
            now,
        )
        .await?;
    }
    version += 1;
    write_version(
        &mut tx,
        at,
        &collection,
        version,
        settled.data.as_ref(),
        &origin,
        now,
    )
    .await?;
    set_last_version(&mut tx, account_id, version).await?;
    sqlx::query(
        "UPDATE sync_conflicts SET resolved_at = $1, resolution = $2, resolved_by = $3, \
           resolved_version = $4, cloud_version = $5, cloud_data = $6 WHERE id = $7",
    )
    .bind(to_micros(now))
    .bind(resolution)
    .bind(actor.to_string())
    .bind(version)
    .bind(cloud.as_ref().map_or(0, |(c, _)| c.version))
    .bind(crate::sync::data_text(
        cloud.as_ref().and_then(|(c, _)| c.data.as_ref()),
    ))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let detail = Some(format!("keep {resolution}, version {version}"));
    audit(
        &mut tx,
        now,
        actor,
        "sync.conflict.resolved",
        "conflict",
        id,
        detail,
    )
    .await?;
    let done = list(&mut *tx, account_id, site, false, Some(id))
        .await?
        .pop()
        .ok_or(StoreError::NotFound("conflict"))?;
    tx.commit().await?;
    Ok(done)
}

async fn collection_by_id(conn: &mut Conn, id: i64) -> Result<tessera_core::sync::Collection> {
    let row: super::collections::Row = sqlx::query_as(&format!(
        "SELECT {} FROM sync_collections c WHERE c.id = $1",
        super::collections::COLUMNS
    ))
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(super::collections::record(row)?.collection)
}
