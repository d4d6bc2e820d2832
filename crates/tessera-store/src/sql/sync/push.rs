//! The SQL of a push (G3, G6): one transaction under the account's lock — the batch's
//! earlier answer if it was sent before, else each change loaded, decided by
//! `tessera_core::sync::decide_change` and written, and the answer kept for a replay.

use std::collections::HashMap;

use jiff::Timestamp;
use serde_json::{Map, Value};
use tessera_api::{ChangeOutcome, ErrorCode, PushAnswer};
use tessera_core::sync::{
    Change, ConflictKind, Current, Decision, PushMode, PushRefused, Scope, decide_change,
    lease::push_mode,
};

use super::super::{Conn, Pools};
use super::lease::site_row;
use super::{At, current, holders, lock_account, set_last_version, write_version};
use crate::sync::{CollectionRecord, PushChangeIn, PushIn, PushResult, data_text};
use crate::{Result, StoreError, to_micros};

pub(crate) async fn push(db: &Pools, p: &PushIn<'_>, now: Timestamp) -> Result<PushResult> {
    let mut tx = db.begin().await?;
    let (last, lease) = lock_account(&mut tx, p.account_id).await?;
    let earlier: Option<(String, String)> = sqlx::query_as(
        "SELECT request_hash, answer FROM sync_batches WHERE site_id = $1 AND batch_id = $2",
    )
    .bind(p.site_id)
    .bind(p.batch_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((hash, answer)) = earlier {
        if hash != p.request_hash {
            return Ok(PushResult::BatchIdReused);
        }
        let mut answer: PushAnswer = serde_json::from_str(&answer)
            .map_err(|e| StoreError::Corrupt(format!("batch answer: {e}")))?;
        answer.replayed = true;
        return Ok(PushResult::Done(answer));
    }
    let first_synced: Option<Option<i64>> =
        sqlx::query_scalar("SELECT first_synced_at FROM sync_sites WHERE site_id = $1")
            .bind(p.site_id)
            .fetch_optional(&mut *tx)
            .await?;
    let first_synced = first_synced.flatten().is_some();
    let mode = match push_mode(lease.as_ref(), p.site_id, first_synced, now) {
        Ok(mode) => mode,
        Err(PushRefused::Busy(busy)) => return Ok(PushResult::Busy(busy)),
        Err(PushRefused::FirstSyncRequired) => return Ok(PushResult::FirstSyncRequired),
    };
    let collections: HashMap<String, CollectionRecord> =
        super::collections::of_site(&mut tx, p.site_id)
            .await?
            .into_iter()
            .map(|c| (c.collection.name.to_string(), c))
            .collect();
    let mut version = last;
    let mut outcomes = Vec::with_capacity(p.changes.len());
    for change in p.changes {
        let outcome = match collections.get(&change.collection) {
            None => refused(
                change,
                ErrorCode::CollectionNotFound,
                None,
                "no such collection",
            ),
            Some(c) => {
                let first = mode == PushMode::FirstSync;
                one(&mut tx, p, c, change, first, &mut version, now).await?
            }
        };
        outcomes.push(outcome);
    }
    set_last_version(&mut tx, p.account_id, version).await?;
    site_row(&mut tx, p.account_id, p.site_id).await?;
    sqlx::query("UPDATE sync_sites SET last_push_at = $1 WHERE site_id = $2")
        .bind(to_micros(now))
        .bind(p.site_id)
        .execute(&mut *tx)
        .await?;
    let answer = PushAnswer {
        batch_id: p.batch_id.to_owned(),
        replayed: false,
        outcomes,
    };
    let text = serde_json::to_string(&answer)
        .map_err(|e| StoreError::Corrupt(format!("batch answer: {e}")))?;
    sqlx::query(
        "INSERT INTO sync_batches (site_id, batch_id, account_id, request_hash, answer, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(p.site_id)
    .bind(p.batch_id)
    .bind(p.account_id)
    .bind(p.request_hash)
    .bind(text)
    .bind(to_micros(now))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(PushResult::Done(answer))
}

fn outcome(change: &PushChangeIn, what: &str) -> ChangeOutcome {
    ChangeOutcome {
        collection: change.collection.clone(),
        id: change.id.to_string(),
        outcome: what.to_owned(),
        version: None,
        same_as: None,
        conflict_id: None,
        code: None,
        message: None,
    }
}

fn refused(
    change: &PushChangeIn,
    code: ErrorCode,
    version: Option<i64>,
    message: impl ToString,
) -> ChangeOutcome {
    ChangeOutcome {
        version,
        code: Some(code.as_str().to_owned()),
        message: Some(message.to_string()),
        ..outcome(change, "refused")
    }
}

/// Loads, decides and writes one change.
async fn one(
    conn: &mut Conn,
    p: &PushIn<'_>,
    c: &CollectionRecord,
    change: &PushChangeIn,
    first_sync: bool,
    version: &mut i64,
    now: Timestamp,
) -> Result<ChangeOutcome> {
    let owner = match c.collection.scope {
        Scope::Account => "",
        Scope::Site => p.site_id,
    };
    let at = At {
        account_id: p.account_id,
        collection_id: c.id,
        owner,
        record_id: change.id.as_str(),
    };
    let now_held = current(conn, at).await?;
    let cur = now_held.as_ref().map(|(c, _)| c);
    let found = match &change.change {
        Change::Upsert(data) => holders(conn, at, &c.collection, data, &[at.record_id]).await?,
        Change::Delete => Vec::new(),
    };
    let decision = decide_change(
        &c.collection,
        cur,
        change.base_version,
        &change.change,
        &found,
        first_sync,
    );
    let cur_version = cur.map(|c| c.version);
    Ok(match decision {
        Decision::Apply => {
            *version += 1;
            let data = match &change.change {
                Change::Upsert(data) => Some(data),
                Change::Delete => None,
            };
            write_version(conn, at, &c.collection, *version, data, p.site_id, now).await?;
            ChangeOutcome {
                version: Some(*version),
                ..outcome(change, "applied")
            }
        }
        Decision::Unchanged => ChangeOutcome {
            version: cur_version,
            ..outcome(change, "unchanged")
        },
        Decision::SameAs(id) => {
            let holder = found.iter().find(|h| h.record_id == id).map(|h| h.version);
            ChangeOutcome {
                version: holder,
                same_as: Some(id),
                ..outcome(change, "same_as")
            }
        }
        Decision::Conflict(kind) => {
            let id = record_conflict(conn, p, at, change, cur, kind, now).await?;
            ChangeOutcome {
                version: cur_version,
                conflict_id: Some(id),
                ..outcome(change, "conflict")
            }
        }
        Decision::Refused(why) => refused(change, ErrorCode::from(&why), cur_version, why),
    })
}

/// Records a conflict, or brings the open one of the same records and site up to date.
#[allow(clippy::too_many_arguments)]
async fn record_conflict(
    conn: &mut Conn,
    p: &PushIn<'_>,
    at: At<'_>,
    change: &PushChangeIn,
    cur: Option<&Current>,
    kind: ConflictKind,
    now: Timestamp,
) -> Result<i64> {
    let site_data: Option<&Map<String, Value>> = match &change.change {
        Change::Upsert(data) => Some(data),
        Change::Delete => None,
    };
    let (kind, field, value, cloud_id, cloud_version, cloud_data) = match &kind {
        ConflictKind::Version => (
            "version",
            None,
            None,
            at.record_id.to_owned(),
            cur.map_or(0, |c| c.version),
            cur.and_then(|c| c.data.clone()),
        ),
        ConflictKind::Identifier(h) => (
            "identifier",
            Some(h.field.to_string()),
            Some(h.value.clone()),
            h.record_id.clone(),
            h.version,
            Some(h.data.clone()),
        ),
    };
    let open: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM sync_conflicts WHERE account_id = $1 AND collection_id = $2 \
           AND owner = $3 AND record_id = $4 AND site_id = $5 AND site_record_id = $6 \
           AND resolved_at IS NULL",
    )
    .bind(at.account_id)
    .bind(at.collection_id)
    .bind(at.owner)
    .bind(&cloud_id)
    .bind(p.site_id)
    .bind(at.record_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = open {
        sqlx::query(
            "UPDATE sync_conflicts SET base_version = $1, cloud_version = $2, cloud_data = $3, \
               site_data = $4 WHERE id = $5",
        )
        .bind(change.base_version)
        .bind(cloud_version)
        .bind(data_text(cloud_data.as_ref()))
        .bind(data_text(site_data))
        .bind(id)
        .execute(&mut *conn)
        .await?;
        return Ok(id);
    }
    let id = sqlx::query_scalar(
        "INSERT INTO sync_conflicts (account_id, collection_id, owner, record_id, site_id, \
           site_record_id, kind, field, value, base_version, cloud_version, cloud_data, \
           site_data, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(at.account_id)
    .bind(at.collection_id)
    .bind(at.owner)
    .bind(&cloud_id)
    .bind(p.site_id)
    .bind(at.record_id)
    .bind(kind)
    .bind(field)
    .bind(value)
    .bind(change.base_version)
    .bind(cloud_version)
    .bind(data_text(cloud_data.as_ref()))
    .bind(data_text(site_data))
    .bind(to_micros(now))
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Forgets the kept answers of batches applied before `before`. Returns how many.
pub(crate) async fn purge_batches(db: &Pools, before: Timestamp) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM sync_batches WHERE created_at < $1")
            .bind(to_micros(before))
            .execute(db.write())
            .await?
            .rows_affected(),
    )
}
