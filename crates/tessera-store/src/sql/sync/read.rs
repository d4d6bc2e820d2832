//! The SQL of what sites read: pull by cursor (G4, G6), a site's standing (G5), and the
//! holders of unique values for the data check (E7).

use tessera_core::sync::CloudKeys;

use super::super::Pools;
use super::lease_of;
use crate::sync::{AccountSyncState, PulledPage, PulledRow, SiteSyncState, parse_data};
use crate::{Result, from_micros, to_micros};

/// The account's last version, then a record's collection name, id, version, data and
/// origin; all but the first NULL when no record follows the cursor.
type PullRow = (
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
);
/// Last version, lease site, lease start, lease expiry.
pub(crate) type AccountRow = (i64, Option<String>, Option<i64>, Option<i64>);

/// A page of what `site_id` may see after `cursor`: the account's records (owner '') and
/// its own (owner = the site), each read by its own index range and merged, so a page reads
/// no more than `limit` rows of each whatever other sites hold.
///
/// One statement (every site pulls every few seconds), which also reads the account's newest
/// version, in the same snapshot as the records: versions commit in the order they are given
/// (each write locks the account's row), so every version up to it is in the page's reach. A
/// last page then moves the cursor up to it even when the newest versions are other sites'
/// site data, which this site never sees: otherwise its cursor would stay behind them and its
/// status say `downloading` for ever. The page's first row carries the version alone when no
/// record follows the cursor; a record of another product's collection (the account may have
/// several) has no collection name and is counted but not sent.
pub(crate) async fn pull(
    db: &Pools,
    account_id: i64,
    site_id: &str,
    cursor: i64,
    limit: u32,
) -> Result<PulledPage> {
    let take = i64::from(limit) + 1;
    let one_owner = "SELECT collection_id, record_id, version, data, origin_site \
                     FROM sync_records WHERE account_id = $1 AND owner = {owner} AND version > $2 \
                     ORDER BY version LIMIT $4";
    let sql = format!(
        "SELECT a.last_version, c.name, r.record_id, r.version, r.data, r.origin_site \
         FROM (SELECT 1 AS one) o \
         LEFT JOIN sync_accounts a ON a.account_id = $1 \
         LEFT JOIN (SELECT * FROM ({}) shared UNION ALL SELECT * FROM ({}) own \
                    ORDER BY version LIMIT $4) r ON 1 = 1 \
         LEFT JOIN sync_collections c ON c.id = r.collection_id AND c.product_id = \
           (SELECT b.product_id FROM sites s JOIN product_keys k ON k.id = s.key_id \
            JOIN key_batches b ON b.id = k.batch_id WHERE s.public_id = $3) \
         ORDER BY r.version",
        one_owner.replace("{owner}", "''"),
        one_owner.replace("{owner}", "$3"),
    );
    let rows: Vec<PullRow> = sqlx::query_as(&sql)
        .bind(account_id)
        .bind(cursor)
        .bind(site_id)
        .bind(take)
        .fetch_all(db.read())
        .await?;
    let last = rows.first().and_then(|r| r.0).unwrap_or(0);
    let rows: Vec<&PullRow> = rows.iter().filter(|r| r.3.is_some()).collect();
    let more = rows.len() as i64 > i64::from(limit);
    let rows = &rows[..rows.len().min(limit as usize)];
    let mut next_cursor = rows.last().and_then(|r| r.3).unwrap_or(cursor);
    if !more {
        next_cursor = next_cursor.max(last);
    }
    let mut records = Vec::with_capacity(rows.len());
    for (_, collection, record_id, version, data, origin_site) in rows.iter().copied().cloned() {
        // Records of collections of another product of the account are not this site's.
        let (Some(collection), Some(record_id), Some(version), Some(origin_site)) =
            (collection, record_id, version, origin_site)
        else {
            continue;
        };
        records.push(PulledRow {
            collection,
            record_id,
            version,
            data: parse_data(data)?,
            origin_site,
        });
    }
    Ok(PulledPage {
        records,
        next_cursor,
        more,
    })
}

/// Commits how far sites pulled, one row each, in one statement; a row never goes back to an
/// earlier pull than it holds (another instance may have written a later one).
pub(crate) async fn record_pulls(
    db: &Pools,
    pulls: &[(String, crate::sync::pull_log::Pulled)],
) -> Result<()> {
    for chunk in pulls.chunks(crate::keys::INSERT_ROWS / 4) {
        let mut q = sqlx::QueryBuilder::new(
            "INSERT INTO sync_sites (site_id, account_id, pulled_to, last_pull_at) ",
        );
        q.push_values(chunk, |mut row, (site, p)| {
            row.push_bind(site.as_str())
                .push_bind(p.account_id)
                .push_bind(p.cursor)
                .push_bind(to_micros(p.at));
        });
        q.push(
            " ON CONFLICT (site_id) DO UPDATE SET pulled_to = excluded.pulled_to, \
             last_pull_at = excluded.last_pull_at \
             WHERE sync_sites.last_pull_at IS NULL \
                OR sync_sites.last_pull_at <= excluded.last_pull_at",
        );
        q.build()
            .persistent(false)
            .execute(&mut *db.write().await?)
            .await?;
    }
    Ok(())
}

/// Where every site of the account stands (four queries, whatever the number of sites).
pub(crate) async fn account_state(db: &Pools, account_id: i64) -> Result<AccountSyncState> {
    let mut conn = db.read().acquire().await?;
    let account: Option<AccountRow> = sqlx::query_as(
        "SELECT last_version, lease_site, lease_started_at, lease_expires_at \
         FROM sync_accounts WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (latest_version, lease) = match account {
        Some((last, site, started, expires)) => (last, lease_of(site, started, expires)?),
        None => (0, None),
    };
    let connected: Vec<String> = sqlx::query_scalar(
        "SELECT st.public_id FROM cloud_sites c JOIN subscriptions s ON s.id = c.subscription_id \
         JOIN sites st ON st.id = c.site_id \
         WHERE s.account_id = $1 AND c.token_hash IS NOT NULL",
    )
    .bind(account_id)
    .fetch_all(&mut *conn)
    .await?;
    let progress: Vec<(String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT site_id, first_synced_at, pulled_to FROM sync_sites WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_all(&mut *conn)
    .await?;
    let open: Vec<(String, i64)> = sqlx::query_as(
        "SELECT site_id, COUNT(*) FROM sync_conflicts \
         WHERE account_id = $1 AND resolved_at IS NULL GROUP BY site_id",
    )
    .bind(account_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(AccountSyncState {
        latest_version,
        lease,
        connected: connected.into_iter().collect(),
        progress: progress
            .into_iter()
            .map(|(site, first, pulled)| Ok((site, (first.map(from_micros).transpose()?, pulled))))
            .collect::<Result<_>>()?,
        open_conflicts: open
            .into_iter()
            .map(|(site, n)| (site, u64::try_from(n).unwrap_or(0)))
            .collect(),
    })
}

/// Where `site_id`'s sync stands.
pub(crate) async fn site_state(
    db: &Pools,
    account_id: i64,
    site_id: &str,
) -> Result<SiteSyncState> {
    let mut conn = db.read().acquire().await?;
    let account: Option<AccountRow> = sqlx::query_as(
        "SELECT last_version, lease_site, lease_started_at, lease_expires_at \
         FROM sync_accounts WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (latest_version, lease) = match account {
        Some((last, site, started, expires)) => (last, lease_of(site, started, expires)?),
        None => (0, None),
    };
    let site: Option<(Option<i64>, i64)> =
        sqlx::query_as("SELECT first_synced_at, pulled_to FROM sync_sites WHERE site_id = $1")
            .bind(site_id)
            .fetch_optional(&mut *conn)
            .await?;
    let (first_synced_at, pulled_to) = site.unwrap_or((None, 0));
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sync_conflicts \
         WHERE account_id = $1 AND site_id = $2 AND resolved_at IS NULL",
    )
    .bind(account_id)
    .bind(site_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(SiteSyncState {
        first_synced_at: first_synced_at.map(from_micros).transpose()?,
        pulled_to,
        latest_version,
        lease,
        open_conflicts: u64::try_from(open).unwrap_or(0),
    })
}

/// The account-scoped records holding each of `keys` (collection id, name, field, value).
pub(crate) async fn key_holders(
    db: &Pools,
    account_id: i64,
    keys: &[(i64, String, String, String)],
) -> Result<CloudKeys> {
    let mut conn = db.read().acquire().await?;
    let mut found = CloudKeys::new();
    for (collection_id, name, field, value) in keys {
        let holder: Option<String> = sqlx::query_scalar(
            "SELECT record_id FROM sync_unique WHERE account_id = $1 AND collection_id = $2 \
               AND owner = '' AND field = $3 AND value = $4",
        )
        .bind(account_id)
        .bind(collection_id)
        .bind(field)
        .bind(value)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(record_id) = holder {
            found.insert((name.clone(), field.clone(), value.clone()), record_id);
        }
    }
    Ok(found)
}
