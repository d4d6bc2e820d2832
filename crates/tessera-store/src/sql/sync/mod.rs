//! The SQL of cloud data sync, and the pieces every sync transaction shares: the account's
//! locked sync row, a record, the holders of unique values, writing a version.

pub(crate) mod collections;
pub(crate) mod conflicts;
pub(crate) mod lease;
pub(crate) mod push;
pub(crate) mod read;
pub(crate) mod web_users;

use jiff::Timestamp;
use serde_json::{Map, Value};
use tessera_core::sync::{Collection, Current, FieldName, Holder, Lease};

use super::{Conn, Db, row_lock};
use crate::sync::{data_text, parse_data};
use crate::{Result, StoreError, from_micros, to_micros};

/// Rows per multi-row statement: well under the bound parameters either database takes.
pub(crate) const ROWS: usize = 200;

/// The sync row of `account_id`, locked until the transaction ends (`FOR UPDATE` on
/// PostgreSQL; SQLite's writer is alone), so the account's writes take their versions one
/// after another: its last version and lease, then the `extra` columns (whose parameters,
/// from `$2`, are `binds`). The row is made first when the account has none. Locking reads
/// the row without writing a new version of it (the upsert this was before wrote one per
/// push, which the next pushes' look-ups then stepped over).
pub(crate) async fn lock_account_row<T>(
    conn: &mut Conn,
    account_id: i64,
    extra: &str,
    binds: &[&str],
) -> Result<T>
where
    T: for<'r> sqlx::FromRow<'r, <Db as sqlx::Database>::Row> + Send + Unpin,
{
    let sql = format!(
        "SELECT last_version, lease_site, lease_started_at, lease_expires_at{extra} \
         FROM sync_accounts WHERE account_id = $1{}",
        row_lock(" FOR UPDATE")
    );
    for _ in 0..2 {
        let mut q = sqlx::query_as::<_, T>(&sql).bind(account_id);
        for value in binds {
            q = q.bind(*value);
        }
        if let Some(row) = q.fetch_optional(&mut *conn).await? {
            return Ok(row);
        }
        sqlx::query(
            "INSERT INTO sync_accounts (account_id) VALUES ($1) ON CONFLICT (account_id) DO NOTHING",
        )
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    }
    Err(StoreError::Corrupt(format!(
        "the sync row of account {account_id} is gone"
    )))
}

/// The account's sync row, locked until the transaction ends: its last version and lease.
pub(crate) async fn lock_account(conn: &mut Conn, account_id: i64) -> Result<(i64, Option<Lease>)> {
    let (last, site, started, expires): read::AccountRow =
        lock_account_row(conn, account_id, "", &[]).await?;
    Ok((last, lease_of(site, started, expires)?))
}

pub(crate) fn lease_of(
    site: Option<String>,
    started: Option<i64>,
    expires: Option<i64>,
) -> Result<Option<Lease>> {
    Ok(match (site, started, expires) {
        (Some(site), Some(started), Some(expires)) => Some(Lease {
            site,
            started_at: from_micros(started)?,
            expires_at: from_micros(expires)?,
        }),
        _ => None,
    })
}

pub(crate) async fn set_last_version(conn: &mut Conn, account_id: i64, version: i64) -> Result<()> {
    sqlx::query("UPDATE sync_accounts SET last_version = $1 WHERE account_id = $2")
        .bind(version)
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Where a record is: account, collection row, owner ('' or the owning site), record id.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'a> {
    pub account_id: i64,
    pub collection_id: i64,
    pub owner: &'a str,
    pub record_id: &'a str,
}

/// The record at `at` as the cloud holds it, with the site whose change made it.
pub(crate) async fn current(conn: &mut Conn, at: At<'_>) -> Result<Option<(Current, String)>> {
    let row: Option<(i64, Option<String>, String)> = sqlx::query_as(
        "SELECT version, data, origin_site FROM sync_records \
         WHERE account_id = $1 AND collection_id = $2 AND owner = $3 AND record_id = $4",
    )
    .bind(at.account_id)
    .bind(at.collection_id)
    .bind(at.owner)
    .bind(at.record_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(version, data, origin)| {
        Ok((
            Current {
                version,
                data: parse_data(data)?,
            },
            origin,
        ))
    })
    .transpose()
}

/// The live records, other than those named in `except`, holding one of `data`'s unique
/// values in `at`'s collection and scope.
pub(crate) async fn holders(
    conn: &mut Conn,
    at: At<'_>,
    collection: &Collection,
    data: &Map<String, Value>,
    except: &[&str],
) -> Result<Vec<Holder>> {
    let mut found = Vec::new();
    for (field, value) in collection.unique_keys(data) {
        let row: Option<(String, i64, Option<String>)> = sqlx::query_as(
            "SELECT u.record_id, r.version, r.data FROM sync_unique u JOIN sync_records r \
               ON r.account_id = u.account_id AND r.collection_id = u.collection_id \
              AND r.owner = u.owner AND r.record_id = u.record_id \
             WHERE u.account_id = $1 AND u.collection_id = $2 AND u.owner = $3 \
               AND u.field = $4 AND u.value = $5",
        )
        .bind(at.account_id)
        .bind(at.collection_id)
        .bind(at.owner)
        .bind(field.as_str())
        .bind(&value)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some((record_id, version, Some(data))) = row
            && !except.contains(&record_id.as_str())
        {
            found.push(Holder {
                field: FieldName::clone(&field),
                value,
                record_id,
                version,
                data: parse_data(Some(data))?.unwrap_or_default(),
            });
        }
    }
    Ok(found)
}

/// Writes version `version` of the record at `at` (data, or a tombstone) and its unique
/// values.
pub(crate) async fn write_version(
    conn: &mut Conn,
    at: At<'_>,
    collection: &Collection,
    version: i64,
    data: Option<&Map<String, Value>>,
    origin_site: &str,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_records \
           (account_id, collection_id, owner, record_id, version, data, origin_site, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (account_id, collection_id, owner, record_id) DO UPDATE SET \
           version = excluded.version, data = excluded.data, \
           origin_site = excluded.origin_site, updated_at = excluded.updated_at",
    )
    .bind(at.account_id)
    .bind(at.collection_id)
    .bind(at.owner)
    .bind(at.record_id)
    .bind(version)
    .bind(data_text(data))
    .bind(origin_site)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM sync_unique \
         WHERE account_id = $1 AND collection_id = $2 AND owner = $3 AND record_id = $4",
    )
    .bind(at.account_id)
    .bind(at.collection_id)
    .bind(at.owner)
    .bind(at.record_id)
    .execute(&mut *conn)
    .await?;
    web_users::follow(conn, at, collection, data, origin_site, now).await?;
    for (field, value) in data.map(|d| collection.unique_keys(d)).unwrap_or_default() {
        sqlx::query(
            "INSERT INTO sync_unique (account_id, collection_id, owner, field, value, record_id) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(at.account_id)
        .bind(at.collection_id)
        .bind(at.owner)
        .bind(field.as_str())
        .bind(value)
        .bind(at.record_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// `items` (sorted by group) cut into their groups: a collection and owner, say, and the
/// items of each.
pub(crate) fn groups<G: PartialEq, T>(items: &[(G, T)]) -> impl Iterator<Item = &[(G, T)]> {
    items.chunk_by(|a, b| a.0 == b.0)
}

/// Appends `{select} WHERE {group's condition} AND {column} IN (…)` for each group of
/// `items` (sorted by group), joined by `UNION ALL`: one statement, each of whose parts names
/// every column of its index. (A disjunction of the groups' conditions was one statement
/// too, but SQLite then looked rows up by the account alone and read all of its rows.)
pub(crate) fn push_union<'a, G: PartialEq>(
    q: &mut sqlx::QueryBuilder<'a, Db>,
    items: &[(G, &'a str)],
    select: &str,
    column: &str,
    group: impl Fn(&mut sqlx::QueryBuilder<'a, Db>, &G),
) {
    for (i, these) in groups(items).enumerate() {
        if i > 0 {
            q.push(" UNION ALL ");
        }
        q.push(select).push(" WHERE ");
        group(q, &these[0].0);
        q.push(" AND ").push(column).push(" IN (");
        let mut list = q.separated(", ");
        for (_, item) in these {
            list.push_bind(*item);
        }
        q.push(")");
    }
}
