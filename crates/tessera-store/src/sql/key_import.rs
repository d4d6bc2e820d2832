//! The SQL of key formats and key imports.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use tessera_api::ErrorCode;
use tessera_core::key_format::KeyFormat;
use tessera_core::key_import::{self, Held, ImportLine, LineRefusal, Outcome};
use tessera_core::{Actor, KeyStatus};

use super::accounts::{KeySlot, register_key};
use super::audit::audit;
use super::keys::insert_keys;
use super::{Conn, Pools, announce};
use crate::changes::EVERYTHING_CHANGED;
use crate::key_import::{ImportResult, LineResult};
use crate::keys::INSERT_ROWS;
use crate::{Result, StoreError, to_micros};

pub(crate) async fn key_formats(db: &Pools) -> Result<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT code, key_format FROM products WHERE key_format IS NOT NULL")
            .fetch_all(db.read())
            .await?,
    )
}

pub(crate) async fn set_key_format(
    db: &Pools,
    product: &str,
    format: Option<&KeyFormat>,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let pattern = format.map(KeyFormat::pattern);
    let done = sqlx::query("UPDATE products SET key_format = $1 WHERE code = $2")
        .bind(pattern)
        .bind(product)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("product"));
    }
    let detail = Some(pattern.unwrap_or("none").to_owned());
    audit(
        &mut tx,
        now,
        actor,
        "product.key_format",
        "product",
        product,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The ids of every product's editions and sizes, by codes.
struct Catalog {
    /// Each product's key format, if it states one.
    products: HashMap<String, Option<KeyFormat>>,
    editions: HashMap<(String, String), (i64, i64)>,
    sizes: HashMap<(String, String), i64>,
}

async fn catalog(conn: &mut Conn) -> Result<Catalog> {
    let products: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT code, key_format FROM products")
            .fetch_all(&mut *conn)
            .await?;
    let products = products
        .into_iter()
        .map(|(code, pattern)| {
            let format = pattern
                .map(|p| KeyFormat::parse(&p))
                .transpose()
                .map_err(|e| StoreError::Corrupt(format!("key format of {code}: {e}")))?;
            Ok((code, format))
        })
        .collect::<Result<_>>()?;
    let editions: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT p.code, e.code, p.id, e.id FROM editions e JOIN products p ON p.id = e.product_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let sizes: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT p.code, s.code, s.id FROM sizes s JOIN products p ON p.id = s.product_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(Catalog {
        products,
        editions: editions
            .into_iter()
            .map(|(p, e, pid, eid)| ((p, e), (pid, eid)))
            .collect(),
        sizes: sizes.into_iter().map(|(p, s, id)| ((p, s), id)).collect(),
    })
}

/// `SELECT … WHERE column IN (values)`, in chunks of bound values.
async fn rows_in<T>(conn: &mut Conn, select: &str, values: &[&str]) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, <super::Db as sqlx::Database>::Row> + Send + Unpin,
{
    let mut rows = Vec::with_capacity(values.len());
    for chunk in values.chunks(INSERT_ROWS) {
        let mut query = sqlx::QueryBuilder::new(select);
        query.push(" IN (");
        let mut list = query.separated(", ");
        for value in chunk {
            list.push_bind(*value);
        }
        query.push(")");
        rows.extend(
            query
                .build_query_as::<T>()
                .persistent(false)
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok(rows)
}

/// The keys of `lines` Tessera holds, by compact key.
async fn held(conn: &mut Conn, lines: &[ImportLine]) -> Result<HashMap<String, Held>> {
    let keys: Vec<&str> = lines.iter().map(|l| l.key.compact()).collect();
    let rows: Vec<(String, String, String, String, String, Option<i64>)> = rows_in(
        conn,
        "SELECT k.key, p.code, e.code, s.code, k.status, k.account_id FROM product_keys k \
         JOIN editions e ON e.id = k.edition_id JOIN products p ON p.id = e.product_id \
         JOIN sizes s ON s.id = k.size_id WHERE k.key",
        &keys,
    )
    .await?;
    rows.into_iter()
        .map(|(key, product, edition, size, status, account)| {
            let status: KeyStatus = status.parse().map_err(StoreError::Corrupt)?;
            let held = Held {
                product,
                edition,
                size,
                status,
                account,
            };
            Ok((key, held))
        })
        .collect()
}

/// The accounts the lines name, by email.
async fn customers(conn: &mut Conn, lines: &[ImportLine]) -> Result<HashMap<String, i64>> {
    let mut emails: Vec<&str> = lines.iter().filter_map(|l| l.customer.as_deref()).collect();
    emails.sort_unstable();
    emails.dedup();
    let rows: Vec<(String, i64)> =
        rows_in(conn, "SELECT email, id FROM accounts WHERE email", &emails).await?;
    Ok(rows.into_iter().collect())
}

/// Every line's outcome beside what `conn` sees.
async fn judge_all(conn: &mut Conn, lines: &[ImportLine]) -> Result<(Catalog, Vec<LineResult>)> {
    let catalog = catalog(conn).await?;
    let held = held(conn, lines).await?;
    let customers = customers(conn, lines).await?;
    let results = lines
        .iter()
        .map(|line| {
            let outcome = known_to_catalog(&catalog, line).and_then(|()| {
                let customer = match &line.customer {
                    Some(email) => Some(
                        *customers
                            .get(email)
                            .ok_or_else(|| LineRefusal::CustomerUnknown(email.clone()))?,
                    ),
                    None => None,
                };
                key_import::judge(line, customer, held.get(line.key.compact()))
            });
            LineResult {
                line: line.line,
                key: line.key,
                outcome,
            }
        })
        .collect();
    Ok((catalog, results))
}

/// Whether the line's product, edition and size exist and its key has the product's spelling.
fn known_to_catalog(catalog: &Catalog, line: &ImportLine) -> std::result::Result<(), LineRefusal> {
    let product = line.product.clone();
    let Some(format) = catalog.products.get(&product) else {
        return Err(LineRefusal::ProductUnknown(product));
    };
    if !catalog
        .editions
        .contains_key(&(product.clone(), line.edition.clone()))
    {
        return Err(LineRefusal::EditionUnknown(line.edition.clone()));
    }
    if !catalog.sizes.contains_key(&(product, line.size.clone())) {
        return Err(LineRefusal::SizeUnknown(line.size.clone()));
    }
    key_import::spelling_ok(&line.key, format.as_ref())
}

pub(crate) async fn import(
    db: &Pools,
    lines: &[ImportLine],
    write: bool,
    note: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<ImportResult> {
    if !write {
        let mut conn = db.read().acquire().await?;
        let (_, results) = judge_all(&mut conn, lines).await?;
        return Ok(ImportResult {
            lines: results,
            written: false,
            batches: Vec::new(),
        });
    }
    let mut tx = db.begin().await?;
    let (catalog, results) = judge_all(&mut tx, lines).await?;
    if results.iter().any(|r| r.outcome.is_err()) {
        return Ok(ImportResult {
            lines: results,
            written: false,
            batches: Vec::new(),
        });
    }
    let batches = add_new_keys(&mut tx, &catalog, lines, &results, note, actor, now).await?;
    let mut registered = false;
    for (line, result) in lines.iter().zip(&results) {
        if matches!(
            result.outcome,
            Ok(Outcome::New { register: true } | Outcome::Register)
        ) {
            let email = line
                .customer
                .as_deref()
                .expect("a registration names its customer");
            let account: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
                .bind(email)
                .fetch_one(&mut *tx)
                .await?;
            let site_id = tessera_core::site::new_site_id();
            let slot = KeySlot {
                key: &line.key,
                reseller: None,
                label: line.site.as_deref(),
                site_public_id: &site_id,
            };
            register_key(&mut tx, account, &slot, actor, now).await?;
            registered = true;
        }
    }
    if registered {
        announce(&mut tx, EVERYTHING_CHANGED).await?;
    }
    tx.commit().await?;
    Ok(ImportResult {
        lines: results,
        written: true,
        batches,
    })
}

/// Inserts the new keys, a batch per product, edition and size; the batches' ids.
async fn add_new_keys(
    conn: &mut Conn,
    catalog: &Catalog,
    lines: &[ImportLine],
    results: &[LineResult],
    note: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<Vec<i64>> {
    let now_us = to_micros(now);
    let mut groups: BTreeMap<(i64, i64, i64), Vec<&str>> = BTreeMap::new();
    for (line, result) in lines.iter().zip(results) {
        if let Ok(Outcome::New { .. }) = result.outcome {
            let (product_id, edition_id) =
                catalog.editions[&(line.product.clone(), line.edition.clone())];
            let size_id = catalog.sizes[&(line.product.clone(), line.size.clone())];
            groups
                .entry((product_id, edition_id, size_id))
                .or_default()
                .push(line.key.compact());
        }
    }
    let mut batches = Vec::with_capacity(groups.len());
    for ((product_id, edition_id, size_id), keys) in groups {
        let count = keys.len() as i64;
        let batch_id: i64 = sqlx::query_scalar(
            "INSERT INTO key_batches (product_id, edition_id, size_id, requested, generated, \
             note, created_by, created_at) VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING id",
        )
        .bind(product_id)
        .bind(edition_id)
        .bind(size_id)
        .bind(count)
        .bind(note)
        .bind(actor.to_string())
        .bind(now_us)
        .fetch_one(&mut *conn)
        .await?;
        let inserted = insert_keys(conn, batch_id, edition_id, size_id, &keys, now_us).await?;
        if inserted != keys.len() as u64 {
            // Another import added some of these keys after they were judged new.
            return Err(StoreError::Conflict(ErrorCode::KeyExists));
        }
        let detail = Some(format!("{count} keys imported: {note}"));
        audit(conn, now, actor, "keys.imported", "batch", batch_id, detail).await?;
        batches.push(batch_id);
    }
    Ok(batches)
}
