//! The SQL of a push (G3, G6): one transaction under the account's lock — the batch's
//! earlier answer if it was sent before, else each change decided by
//! `tessera_core::sync::decide_change` in the order sent, and the answer kept for a replay.
//!
//! The records a batch names and the holders of the unique values its data carries are read
//! up front, a few statements for the whole batch ([`Batch::load`]); the changes are then
//! decided one after the other against that picture as the earlier changes of the batch
//! left it, and what they wrote goes to the database at the end in multi-row statements
//! ([`Batch::write`]). A statement per change and table made a batch of 500 cost about
//! 2 000 round trips to the database (docs/benchmarks.md, "Cloud sync").

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use serde_json::{Map, Value};
use tessera_api::{ChangeOutcome, ErrorCode, PushAnswer};
use tessera_core::sync::{
    Change, Collection, ConflictKind, Current, Decision, FieldName, Holder, PushMode, PushRefused,
    Scope, decide_change, lease::push_mode,
};

use super::super::script::Script;
use super::super::{BATCH_KEPT_BEFORE, Conn, Db, Pools, commit_after, row_lock};
use super::web_users::{NewWebUser, create, follow_linked, links};
use super::{At, ROWS, groups, lease_of, lock_account_row, push_union};
use crate::sync::{CollectionRecord, PushChangeIn, PushIn, PushResult, data_text, parse_data};
use crate::{Result, StoreError, to_micros};

pub(crate) async fn push(db: &Pools, p: &PushIn<'_>, now: Timestamp) -> Result<PushResult> {
    // The account's lock, the answer kept if the batch was sent before, the site's standing
    // and its collections: one statement, on SQLite with the BEGIN. (On PostgreSQL all but
    // the account's row may be seen as they were before the lock was waited for: a copy of
    // the batch committed meanwhile is found at the end, below; the site's own first sync
    // finished meanwhile is not, and the push is refused with FIRST_SYNC_REQUIRED, to be
    // sent again. The client sends neither at the same time as a push.)
    let (mut tx, rows): (_, Vec<Locked>) = db.begin_with(|q| locked(q, p)).await?;
    let (last, site, started, expires, hash, answer, first_synced, collections) = match rows.first()
    {
        Some(row) => (
            row.last_version,
            row.lease_site.clone(),
            row.lease_started_at,
            row.lease_expires_at,
            row.request_hash.clone(),
            row.answer.clone(),
            row.first_synced_at.is_some(),
            collections_by_name(rows.into_iter().map(|r| r.collection))?,
        ),
        // The account's first push (it has no sync row yet), or a product without
        // collections: the lock, then the rest.
        None => {
            let (last, site, started, expires, hash, answer): LockedForBatch = lock_account_row(
                &mut tx,
                p.account_id,
                ", (SELECT request_hash FROM sync_batches \
                              WHERE site_id = $2 AND batch_id = $3), \
                           (SELECT answer FROM sync_batches WHERE site_id = $2 AND batch_id = $3)",
                &[p.site_id, p.batch_id],
            )
            .await?;
            let (first_synced, collections) = site_and_collections(&mut tx, p.site_id).await?;
            (
                last,
                site,
                started,
                expires,
                hash,
                answer,
                first_synced,
                collections,
            )
        }
    };
    if let (Some(hash), Some(answer)) = (hash, answer) {
        return replayed(p, &hash, &answer);
    }
    let lease = lease_of(site, started, expires)?;
    let mode = match push_mode(lease.as_ref(), p.site_id, first_synced, now) {
        Ok(mode) => mode,
        Err(PushRefused::Busy(busy)) => return Ok(PushResult::Busy(busy)),
        Err(PushRefused::FirstSyncRequired) => return Ok(PushResult::FirstSyncRequired),
    };
    let mut batch = Batch::load(&mut tx, p, &collections).await?;
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
                one(&mut tx, p, c, change, first, &mut version, &mut batch, now).await?
            }
        };
        outcomes.push(outcome);
    }
    // The batch's writes, its new last version, its answer and the COMMIT go together
    // (`Script`).
    let mut script = Script::default();
    batch
        .write(&mut tx, &mut script, p, &collections, now)
        .await?;
    if version != last {
        script
            .fixed("UPDATE sync_accounts SET last_version = ")
            .push_bind(version)
            .push(" WHERE account_id = ")
            .push_bind(p.account_id);
    }
    let answer = PushAnswer {
        batch_id: p.batch_id.to_owned(),
        replayed: false,
        outcomes,
    };
    let text = serde_json::to_string(&answer)
        .map_err(|e| StoreError::Corrupt(format!("batch answer: {e}")))?;
    let q = script.fixed(
        "INSERT INTO sync_batches (site_id, batch_id, account_id, request_hash, answer, \
           created_at) VALUES (",
    );
    q.separated(", ")
        .push_bind(p.site_id)
        .push_bind(p.batch_id)
        .push_bind(p.account_id)
        .push_bind(p.request_hash)
        .push_bind(text)
        .push_bind(to_micros(now));
    q.push(")").push(BATCH_KEPT_BEFORE);
    if !commit_after(tx, script).await? {
        // The same batch id, sent again while this push waited for the lock, was applied
        // first: this push changed nothing and answers as its replay.
        let (hash, answer): (String, String) = sqlx::query_as(
            "SELECT request_hash, answer FROM sync_batches WHERE site_id = $1 AND batch_id = $2",
        )
        .bind(p.site_id)
        .bind(p.batch_id)
        .fetch_one(&mut *db.write().await?)
        .await?;
        return replayed(p, &hash, &answer);
    }
    if !batch.written.is_empty() {
        // The batch is committed: statistics that could not be made now are no reason to
        // answer it with an error (the next push tries again).
        if let Err(e) = db
            .analyzed(last < ANALYZE_AT && version >= ANALYZE_AT)
            .await
        {
            tracing::warn!(error = %e, "giving the sync tables planner statistics");
        }
    }
    Ok(PushResult::Done(answer))
}

/// What a push reads under the account's lock: the account's sync row (last version,
/// lease), the batch's request hash and answer if it was sent before, when the pushing site
/// finished its first sync, and one of its product's collections (a row each).
#[derive(sqlx::FromRow)]
struct Locked {
    last_version: i64,
    lease_site: Option<String>,
    lease_started_at: Option<i64>,
    lease_expires_at: Option<i64>,
    request_hash: Option<String>,
    answer: Option<String>,
    first_synced_at: Option<i64>,
    #[sqlx(flatten)]
    collection: super::collections::Row,
}

/// The statement of [`Locked`]: the account's row joined to the site's collections, locked
/// alone (`FOR UPDATE OF a` on PostgreSQL). No row when the account has no sync row yet or
/// the product no collection.
fn locked<'a>(q: &mut sqlx::QueryBuilder<'a, Db>, p: &PushIn<'a>) {
    q.push(
        "SELECT a.last_version, a.lease_site, a.lease_started_at, a.lease_expires_at, \
           (SELECT request_hash FROM sync_batches WHERE site_id = ",
    )
    .push_bind(p.site_id)
    .push(" AND batch_id = ")
    .push_bind(p.batch_id)
    .push(") AS request_hash, (SELECT answer FROM sync_batches WHERE site_id = ")
    .push_bind(p.site_id)
    .push(" AND batch_id = ")
    .push_bind(p.batch_id)
    .push(") AS answer, (SELECT first_synced_at FROM sync_sites WHERE site_id = ")
    .push_bind(p.site_id)
    .push(") AS first_synced_at, ")
    .push(super::collections::COLUMNS)
    .push(" FROM sync_accounts a, ")
    .push(super::collections::SITE_COLLECTIONS)
    .push(" WHERE s.public_id = ")
    .push_bind(p.site_id)
    .push(" AND a.account_id = ")
    .push_bind(p.account_id)
    .push(row_lock(" FOR UPDATE OF a"));
}

/// A collection's row (`collections::COLUMNS`) and when the pushing site finished its
/// first sync.
#[derive(sqlx::FromRow)]
struct CollectionAndSite {
    #[sqlx(flatten)]
    collection: super::collections::Row,
    first_synced_at: Option<i64>,
}

/// Whether the site ran its first sync, and its product's collections by name: one
/// statement, read under the account's lock (the site's row is made when it starts its
/// first sync; a site that never did has none).
async fn site_and_collections(
    conn: &mut Conn,
    site_id: &str,
) -> Result<(bool, HashMap<String, CollectionRecord>)> {
    let rows: Vec<CollectionAndSite> = sqlx::query_as(&format!(
        "SELECT {}, (SELECT first_synced_at FROM sync_sites WHERE site_id = $1) \
           AS first_synced_at FROM {} WHERE s.public_id = $1",
        super::collections::COLUMNS,
        super::collections::SITE_COLLECTIONS,
    ))
    .bind(site_id)
    .fetch_all(&mut *conn)
    .await?;
    let first_synced = match rows.first() {
        Some(row) => row.first_synced_at,
        // A product without collections: every change is refused, but the site's standing
        // still decides the answer.
        None => sqlx::query_scalar::<_, Option<i64>>(
            "SELECT first_synced_at FROM sync_sites WHERE site_id = $1",
        )
        .bind(site_id)
        .fetch_optional(&mut *conn)
        .await?
        .flatten(),
    };
    let collections = collections_by_name(rows.into_iter().map(|r| r.collection))?;
    Ok((first_synced.is_some(), collections))
}

fn collections_by_name(
    rows: impl Iterator<Item = super::collections::Row>,
) -> Result<HashMap<String, CollectionRecord>> {
    let mut collections = HashMap::new();
    for row in rows {
        let c = super::collections::record(row)?;
        collections.insert(c.collection.name.to_string(), c);
    }
    Ok(collections)
}

/// Last version, lease site, start and expiry; request hash and answer of the batch if
/// it was sent before.
type LockedForBatch = (
    i64,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// The answer kept for the batch, marked as a replay; a batch id sent before with other
/// changes is refused.
fn replayed(p: &PushIn<'_>, hash: &str, answer: &str) -> Result<PushResult> {
    if hash != p.request_hash {
        return Ok(PushResult::BatchIdReused);
    }
    let mut answer: PushAnswer = serde_json::from_str(answer)
        .map_err(|e| StoreError::Corrupt(format!("batch answer: {e}")))?;
    answer.replayed = true;
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

/// Decides one change against the batch's picture of the cloud and notes what it writes.
#[allow(clippy::too_many_arguments)]
async fn one(
    conn: &mut Conn,
    p: &PushIn<'_>,
    c: &CollectionRecord,
    change: &PushChangeIn,
    first_sync: bool,
    version: &mut i64,
    batch: &mut Batch,
    now: Timestamp,
) -> Result<ChangeOutcome> {
    let at = At {
        account_id: p.account_id,
        collection_id: c.id,
        owner: owner_of(c, p.site_id),
        record_id: change.id.as_str(),
    };
    let cur = batch.current(at).cloned();
    let found = match &change.change {
        Change::Upsert(data) => batch.holders(at, &c.collection, data),
        Change::Delete => Vec::new(),
    };
    let decision = decide_change(
        &c.collection,
        cur.as_ref(),
        change.base_version,
        &change.change,
        &found,
        first_sync,
    );
    let cur_version = cur.as_ref().map(|c| c.version);
    Ok(match decision {
        Decision::Apply => {
            *version += 1;
            let data = match &change.change {
                Change::Upsert(data) => Some(data.clone()),
                Change::Delete => None,
            };
            batch.write_version(at, &c.collection, *version, data);
            ChangeOutcome {
                version: Some(*version),
                ..outcome(change, "applied")
            }
        }
        Decision::Unchanged => ChangeOutcome {
            // A record the cloud never held (a deletion of it) is at version 0, the base of a
            // new record: every unchanged outcome names the version to base the next on.
            version: Some(cur_version.unwrap_or(0)),
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
            let id = record_conflict(conn, p, at, change, cur.as_ref(), kind, now).await?;
            ChangeOutcome {
                version: cur_version,
                conflict_id: Some(id),
                ..outcome(change, "conflict")
            }
        }
        Decision::Refused(why) => refused(change, ErrorCode::from(&why), cur_version, why),
    })
}

/// '' for an account-scoped collection, the pushing site for a site-scoped one.
fn owner_of<'a>(c: &CollectionRecord, site_id: &'a str) -> &'a str {
    match c.collection.scope {
        Scope::Account => "",
        Scope::Site => site_id,
    }
}

/// A record's place: collection row, owner, record id (the account is the push's).
type RecordKey = (i64, String, String);
/// A unique value's place: collection row, owner, field, value.
type UniqueKey = (i64, String, String, String);
/// A unique value's place (collection row, owner, field, value) and its holder's id,
/// version and data; a record's, with field and value ''.
type HolderRow = (i64, String, String, String, String, i64, Option<String>);

/// What a batch looks up: its group (collection row, owner, and the field of a unique value
/// or '' for a record) and the record id or the value.
type Looked<'a> = ((i64, &'a str, &'a str), &'a str);

/// An account's version past which the planner's statistics are refreshed once (on
/// PostgreSQL; [`Pools::analyzed`]): by then a first sync has pushed a few batches and has
/// far more to push.
const ANALYZE_AT: i64 = 5_000;

/// The part of the cloud a batch works on: the records it names and the holders of the
/// unique values its data carries, read before its changes are decided and kept up to
/// date by them, and what they wrote, for [`Batch::write`].
struct Batch {
    /// Each record the batch names as the cloud holds it (None: never held), then as the
    /// batch's applied changes left it.
    records: HashMap<RecordKey, Option<Current>>,
    /// The records of `records` the database held before the batch: their unique values
    /// are in `sync_unique`.
    held_before: HashSet<RecordKey>,
    /// The live holder of each unique value the batch's data carries, as the database had
    /// it: record id, version, data.
    holders: HashMap<UniqueKey, (String, Current)>,
    /// The unique values the batch's applied changes took (the record) or let go (None).
    taken: HashMap<UniqueKey, Option<String>>,
    /// The records applied changes wrote, in the order first written.
    written: Vec<RecordKey>,
}

impl Batch {
    /// Reads the records `p`'s changes name and the holders of their unique values: one
    /// statement for both, at most [`ROWS`] record ids and [`ROWS`] values each.
    async fn load(
        conn: &mut Conn,
        p: &PushIn<'_>,
        collections: &HashMap<String, CollectionRecord>,
    ) -> Result<Batch> {
        let mut ids: Vec<Looked<'_>> = Vec::new();
        let mut values: Vec<((i64, &str, String), String)> = Vec::new();
        for change in p.changes {
            let Some(c) = collections.get(&change.collection) else {
                continue;
            };
            let owner = owner_of(c, p.site_id);
            ids.push(((c.id, owner, ""), change.id.as_str()));
            if let Change::Upsert(data) = &change.change {
                for (field, value) in c.collection.unique_keys(data) {
                    values.push(((c.id, owner, field.to_string()), value));
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        values.sort_unstable();
        values.dedup();
        let mut batch = Batch {
            records: ids
                .iter()
                .map(|((c, o, _), id)| ((*c, (*o).to_owned(), (*id).to_owned()), None))
                .collect(),
            held_before: HashSet::new(),
            holders: HashMap::new(),
            taken: HashMap::new(),
            written: Vec::new(),
        };
        let values: Vec<Looked<'_>> = values
            .iter()
            .map(|((c, o, f), v)| ((*c, *o, f.as_str()), v.as_str()))
            .collect();
        let (mut ids, mut values) = (ids.chunks(ROWS), values.chunks(ROWS));
        loop {
            let (ids, values) = (ids.next(), values.next());
            if ids.is_none() && values.is_none() {
                break;
            }
            let rows = Self::read(conn, p.account_id, ids, values).await?;
            for (collection_id, owner, field, value, record_id, version, data) in rows {
                let state = Current {
                    version,
                    data: parse_data(data)?,
                };
                if field.is_empty() {
                    let key = (collection_id, owner, record_id);
                    batch.held_before.insert(key.clone());
                    batch.records.insert(key, Some(state));
                } else {
                    batch
                        .holders
                        .insert((collection_id, owner, field, value), (record_id, state));
                }
            }
        }
        Ok(batch)
    }

    /// The records `ids` names (field and value '') and the holders of the unique values
    /// `values` names, in one statement: its parts, one per collection (and field), joined
    /// by `UNION ALL`.
    async fn read(
        conn: &mut Conn,
        account_id: i64,
        ids: Option<&[Looked<'_>]>,
        values: Option<&[Looked<'_>]>,
    ) -> Result<Vec<HolderRow>> {
        let mut q = sqlx::QueryBuilder::new("");
        if let Some(ids) = ids {
            push_union(
                &mut q,
                ids,
                "SELECT collection_id, owner, '' AS field, '' AS value, record_id, version, \
                   data FROM sync_records",
                "record_id",
                |q, &(c, o, _)| {
                    q.push("account_id = ").push_bind(account_id);
                    q.push(" AND collection_id = ").push_bind(c);
                    q.push(" AND owner = ").push_bind(o);
                },
            );
        }
        if let Some(values) = values {
            if ids.is_some() {
                q.push(" UNION ALL ");
            }
            push_union(
                &mut q,
                values,
                "SELECT u.collection_id, u.owner, u.field, u.value, u.record_id, r.version, \
                   r.data FROM sync_unique u \
                 JOIN sync_records r ON r.account_id = u.account_id \
                  AND r.collection_id = u.collection_id AND r.owner = u.owner \
                  AND r.record_id = u.record_id",
                "u.value",
                |q, &(c, o, f)| {
                    q.push("u.account_id = ").push_bind(account_id);
                    q.push(" AND u.collection_id = ").push_bind(c);
                    q.push(" AND u.owner = ").push_bind(o);
                    q.push(" AND u.field = ").push_bind(f);
                },
            );
        }
        Ok(q.build_query_as()
            .persistent(super::super::KEEP_BUILT)
            .fetch_all(&mut *conn)
            .await?)
    }

    /// The record at `at` as the cloud holds it after the batch's earlier changes.
    fn current(&self, at: At<'_>) -> Option<&Current> {
        let key = (
            at.collection_id,
            at.owner.to_owned(),
            at.record_id.to_owned(),
        );
        self.records.get(&key).and_then(Option::as_ref)
    }

    /// The live records other than `at`'s own holding one of `data`'s unique values, after
    /// the batch's earlier changes.
    fn holders(
        &self,
        at: At<'_>,
        collection: &Collection,
        data: &Map<String, Value>,
    ) -> Vec<Holder> {
        let mut found = Vec::new();
        for (field, value) in collection.unique_keys(data) {
            let key = (
                at.collection_id,
                at.owner.to_owned(),
                field.to_string(),
                value.clone(),
            );
            let held = match self.taken.get(&key) {
                Some(taken) => taken.as_deref().map(|id| {
                    let state = self
                        .records
                        .get(&(at.collection_id, at.owner.to_owned(), id.to_owned()))
                        .cloned()
                        .flatten();
                    (id.to_owned(), state)
                }),
                None => self.holders.get(&key).map(|(id, db)| {
                    // A holder the batch also names is as the batch left it.
                    let key = (at.collection_id, at.owner.to_owned(), id.clone());
                    let state = match self.records.get(&key) {
                        Some(state) => state.clone(),
                        None => Some(db.clone()),
                    };
                    (id.clone(), state)
                }),
            };
            let Some((record_id, Some(state))) = held else {
                continue;
            };
            let Some(data) = state.data else {
                continue;
            };
            if record_id != at.record_id {
                found.push(Holder {
                    field: FieldName::clone(&field),
                    value,
                    record_id,
                    version: state.version,
                    data,
                });
            }
        }
        found
    }

    /// Version `version` of the record at `at` (data, or a tombstone), with its unique
    /// values: the old ones let go, the new ones taken.
    fn write_version(
        &mut self,
        at: At<'_>,
        collection: &Collection,
        version: i64,
        data: Option<Map<String, Value>>,
    ) {
        let owner = at.owner.to_owned();
        let key = (at.collection_id, owner.clone(), at.record_id.to_owned());
        let unique = |d: &Map<String, Value>| {
            collection
                .unique_keys(d)
                .into_iter()
                .map(|(f, v)| (at.collection_id, owner.clone(), f.to_string(), v))
                .collect::<Vec<_>>()
        };
        if let Some(Some(Current {
            data: Some(old), ..
        })) = self.records.get(&key)
        {
            for k in unique(old) {
                self.taken.insert(k, None);
            }
        }
        if let Some(new) = &data {
            for k in unique(new) {
                self.taken.insert(k, Some(at.record_id.to_owned()));
            }
        }
        if !self.written.contains(&key) {
            self.written.push(key.clone());
        }
        self.records.insert(key, Some(Current { version, data }));
    }

    /// Writes the records the batch's changes wrote, in their last state, and their unique
    /// values: the unique values of those the database held are deleted first, then every
    /// live one's inserted, so a value one record let go and another took is moved. A
    /// statement for each, at most [`ROWS`] rows each, whatever collections they are in.
    async fn write<'a>(
        &'a self,
        conn: &mut Conn,
        script: &mut Script<'a>,
        p: &PushIn<'a>,
        collections: &HashMap<String, CollectionRecord>,
        now: Timestamp,
    ) -> Result<()> {
        let mut before: Vec<((i64, &str, &str), &str)> = self
            .written
            .iter()
            .filter(|k| self.held_before.contains(*k))
            .map(|(c, o, id)| ((*c, o.as_str(), ""), id.as_str()))
            .collect();
        before.sort_unstable();
        for group in groups(&before) {
            let &((collection_id, owner, _), _) = &group[0];
            for chunk in group.chunks(ROWS) {
                let q = script.statement("DELETE FROM sync_unique WHERE account_id = ");
                q.push_bind(p.account_id)
                    .push(" AND collection_id = ")
                    .push_bind(collection_id)
                    .push(" AND owner = ")
                    .push_bind(owner)
                    .push(" AND record_id IN (");
                let mut list = q.separated(", ");
                for (_, id) in chunk {
                    list.push_bind(*id);
                }
                q.push(")");
            }
        }
        for chunk in self.written.chunks(ROWS) {
            let q = script.statement(
                "INSERT INTO sync_records (account_id, collection_id, owner, record_id, \
                   version, data, origin_site, updated_at) ",
            );
            q.push_values(chunk, |mut row, key| {
                let state = self.records.get(key).cloned().flatten();
                let (version, data) = state.map_or((0, None), |s| (s.version, s.data));
                row.push_bind(p.account_id)
                    .push_bind(key.0)
                    .push_bind(key.1.as_str())
                    .push_bind(key.2.as_str())
                    .push_bind(version)
                    .push_bind(data_text(data.as_ref()))
                    .push_bind(p.site_id)
                    .push_bind(to_micros(now));
            });
            q.push(
                " ON CONFLICT (account_id, collection_id, owner, record_id) DO UPDATE SET \
                   version = excluded.version, data = excluded.data, \
                   origin_site = excluded.origin_site, updated_at = excluded.updated_at",
            );
        }
        let taken: Vec<(&UniqueKey, &str)> = self
            .taken
            .iter()
            .filter_map(|(key, holder)| holder.as_deref().map(|id| (key, id)))
            .collect();
        for chunk in taken.chunks(ROWS) {
            let q = script.statement(
                "INSERT INTO sync_unique (account_id, collection_id, owner, field, value, \
                   record_id) ",
            );
            q.push_values(chunk, |mut row, ((c, o, field, value), id)| {
                row.push_bind(p.account_id)
                    .push_bind(*c)
                    .push_bind(o.as_str())
                    .push_bind(field.as_str())
                    .push_bind(value.as_str())
                    .push_bind(*id);
            });
        }
        // Web users (H2) follow their records, in the same transaction: the site users the
        // records are linked to read in one statement; a record whose site user must be
        // renamed or removed costs a statement or two, and the new web users are made
        // after those, together (so a name let go in the batch is free for them).
        let web: Vec<((i64, &str, &str), &str)> = self
            .written
            .iter()
            .filter(|(c, _, _)| {
                collections
                    .values()
                    .any(|r| r.id == *c && r.collection.web_user_field.is_some())
            })
            .map(|(c, o, id)| ((*c, o.as_str(), ""), id.as_str()))
            .collect();
        if web.is_empty() {
            return Ok(());
        }
        // What they read must see the records written.
        script.run(conn).await?;
        let mut links = links(conn, p.account_id, &web).await?;
        let mut new = Vec::new();
        for &((collection_id, owner, _), record_id) in &web {
            let Some(c) = collections.values().find(|c| c.id == collection_id) else {
                continue;
            };
            let key = (collection_id, owner.to_owned(), record_id.to_owned());
            let data = self
                .records
                .get(&key)
                .cloned()
                .flatten()
                .and_then(|s| s.data);
            let linked = links.remove(&key);
            if let Some(user) = follow_linked(conn, &c.collection, data.as_ref(), linked).await? {
                let at = At {
                    account_id: p.account_id,
                    collection_id,
                    owner,
                    record_id,
                };
                new.push(NewWebUser { at, user });
            }
        }
        create(conn, p.account_id, p.site_id, &new, now).await
    }
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
            .execute(&mut *db.write().await?)
            .await?
            .rows_affected(),
    )
}
