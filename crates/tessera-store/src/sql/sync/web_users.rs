//! Web users from synced data (H2), inside the transaction that writes a record: a record
//! that is a web user gets a site user at the site it came from (no usable password until
//! its invitation code is used: the code is mailed, kept hashed); renamed, its site user
//! follows; unmarked or deleted, its site user is removed (sessions and rights with it).

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use tessera_core::sync::Collection;

use super::super::Conn;
use super::super::outbox::{enqueue_mail, recipient};
use super::{At, push_union};
use crate::outbox::Mail;
use crate::site_users::NO_PASSWORD_YET;
use crate::{Result, StoreError, to_micros};
use tessera_api::ErrorCode;

/// How long an invitation code works.
pub(crate) const INVITATION_VALID: SignedDuration = SignedDuration::from_hours(24 * 7);

/// The symbols of an invitation code (no 0/O, 1/I/L): 20 of them, about 99 bits.
const SYMBOLS: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

fn new_code() -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..20)
        .map(|i| {
            let c = SYMBOLS[rng.gen_range(0..SYMBOLS.len())] as char;
            if i > 0 && i % 5 == 0 {
                format!("-{c}")
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// An invitation code as it is kept and looked up: upper case, without dashes or spaces,
/// SHA-256, hex.
pub(crate) fn code_hash(code: &str) -> String {
    let normalized: String = code
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hex::encode(Sha256::digest(normalized.as_bytes()))
}

/// A web user's site user: its row, its site's row, its name.
pub(crate) type Linked = (i64, i64, String);

/// The site users the `records` (collection row and owner, then record id; sorted) of the
/// account are linked to, in one statement.
pub(crate) async fn links(
    conn: &mut Conn,
    account_id: i64,
    records: &[((i64, &str, &str), &str)],
) -> Result<HashMap<(i64, String, String), Linked>> {
    let mut found = HashMap::new();
    for chunk in records.chunks(200) {
        let mut q = sqlx::QueryBuilder::new("");
        push_union(
            &mut q,
            chunk,
            "SELECT w.collection_id, w.owner, w.record_id, u.id, u.site_id, u.username \
             FROM sync_web_users w JOIN site_users u ON u.id = w.site_user_id",
            "w.record_id",
            |q, &(c, o, _)| {
                q.push("w.account_id = ").push_bind(account_id);
                q.push(" AND w.collection_id = ").push_bind(c);
                q.push(" AND w.owner = ").push_bind(o);
            },
        );
        let rows: Vec<(i64, String, String, i64, i64, String)> = q
            .build_query_as()
            .persistent(false)
            .fetch_all(&mut *conn)
            .await?;
        for (c, o, id, user, site, name) in rows {
            found.insert((c, o, id), (user, site, name));
        }
    }
    Ok(found)
}

/// Brings the site user of the record at `at` in line with its new `data` (None: deleted).
pub(crate) async fn follow(
    conn: &mut Conn,
    at: At<'_>,
    collection: &Collection,
    data: Option<&Map<String, Value>>,
    origin_site: &str,
    now: Timestamp,
) -> Result<()> {
    if collection.web_user_field.is_none() {
        return Ok(());
    }
    let record = [((at.collection_id, at.owner, ""), at.record_id)];
    let linked = links(conn, at.account_id, &record)
        .await?
        .into_values()
        .next();
    follow_linked(conn, at, collection, data, origin_site, linked, now).await
}

/// [`follow`], the record's site user (if it has one) read already.
pub(crate) async fn follow_linked(
    conn: &mut Conn,
    at: At<'_>,
    collection: &Collection,
    data: Option<&Map<String, Value>>,
    origin_site: &str,
    existing: Option<Linked>,
    now: Timestamp,
) -> Result<()> {
    if collection.web_user_field.is_none() {
        return Ok(());
    }
    let wanted = data.and_then(|d| collection.web_user(d));
    match (wanted, existing) {
        (None, None) => Ok(()),
        (None, Some((id, _, _))) => {
            // No longer a web user: the site user goes, with its sessions, groups and
            // invitation (its link too, by cascade).
            sqlx::query("DELETE FROM site_user_sessions WHERE site_user_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            sqlx::query("DELETE FROM site_users WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }
        (Some(user), Some((id, site_row, name))) => {
            if user.username != name && !taken(conn, site_row, &user.username).await? {
                sqlx::query("UPDATE site_users SET username = $1 WHERE id = $2")
                    .bind(&user.username)
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(())
        }
        (Some(user), None) => {
            let site: Option<(i64, String)> = sqlx::query_as(
                "SELECT id, label FROM sites WHERE public_id = $1 AND account_id = $2",
            )
            .bind(origin_site)
            .bind(at.account_id)
            .fetch_optional(&mut *conn)
            .await?;
            let Some((site_row, label)) = site else {
                return Ok(());
            };
            if taken(conn, site_row, &user.username).await? {
                // A site user of that name exists (made in the portal): it is left alone;
                // the record gets no web access of its own.
                tracing::warn!(site = origin_site, "a web user's name is taken at its site");
                return Ok(());
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO site_users (site_id, username, password_hash, created_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(site_row)
            .bind(&user.username)
            .bind(NO_PASSWORD_YET)
            .bind(to_micros(now))
            .fetch_one(&mut *conn)
            .await?;
            sqlx::query(
                "INSERT INTO sync_web_users (account_id, collection_id, owner, record_id, \
                 site_user_id) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(at.account_id)
            .bind(at.collection_id)
            .bind(at.owner)
            .bind(at.record_id)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            let invited = Invited {
                site_user_id: id,
                site_row,
                site_label: &label,
                username: &user.username,
                email: user.email,
            };
            invite(conn, at.account_id, invited, now).await.map(|_| ())
        }
    }
}

/// A web user an invitation is mailed for.
struct Invited<'a> {
    site_user_id: i64,
    site_row: i64,
    site_label: &'a str,
    username: &'a str,
    /// The record's mail address; without one the account's superadmin gets the mail.
    email: Option<String>,
}

/// Makes an invitation code for the site user (valid [`INVITATION_VALID`], kept hashed) and
/// mails it with the site code; the address it went to.
async fn invite(
    conn: &mut Conn,
    account_id: i64,
    user: Invited<'_>,
    now: Timestamp,
) -> Result<String> {
    let code = new_code();
    sqlx::query(
        "INSERT INTO site_user_invitations (token_hash, site_user_id, created_at, \
         expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(code_hash(&code))
    .bind(user.site_user_id)
    .bind(to_micros(now))
    .bind(to_micros(now + INVITATION_VALID))
    .execute(&mut *conn)
    .await?;
    let site_code: Option<String> =
        sqlx::query_scalar("SELECT site_code FROM cloud_sites WHERE site_id = $1")
            .bind(user.site_row)
            .fetch_optional(&mut *conn)
            .await?;
    let account = recipient(conn, account_id).await?;
    let to_user = user.email.is_some();
    let to = user.email.unwrap_or(account.email);
    let mail = Mail {
        kind: "site_user.invitation",
        language: account.language,
        to: to.clone(),
        context: json!({
            "username": user.username,
            "site": user.site_label,
            "site_code": site_code.unwrap_or_default(),
            "code": code,
            "valid_days": INVITATION_VALID.as_hours() / 24,
            "to_user": to_user,
            "account": account.username,
        }),
    };
    enqueue_mail(conn, now, &mail).await?;
    Ok(to)
}

/// A site user with its site (row id, label) and, for a web user, the record it came from.
type WebUserRow = (
    i64,
    String,
    i64,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// Mails the web user `user_id` of the account's site `site_id` a new invitation: the codes
/// it had stop working, and using the new one sets its password (a forgotten one too). The
/// address it went to; `USER_NOT_FOUND` for a user of another account or site,
/// `NOT_A_WEB_USER` for one made in the portal (its password is the superadmin's to set).
pub(crate) async fn reinvite(
    db: &super::super::Pools,
    account_id: i64,
    site_id: &str,
    user_id: i64,
    now: Timestamp,
) -> Result<String> {
    let mut tx = db.begin().await?;
    let found: Option<WebUserRow> = sqlx::query_as(
        "SELECT s.id, s.label, u.id, u.username, w.collection_id, w.owner, w.record_id \
             FROM site_users u JOIN sites s ON s.id = u.site_id \
             LEFT JOIN sync_web_users w ON w.site_user_id = u.id \
             WHERE u.id = $1 AND s.public_id = $2 AND s.account_id = $3",
    )
    .bind(user_id)
    .bind(site_id)
    .bind(account_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((site_row, label, id, username, collection_id, owner, record_id)) = found else {
        return Err(StoreError::NotFound("user"));
    };
    let (Some(collection_id), Some(owner), Some(record_id)) = (collection_id, owner, record_id)
    else {
        return Err(StoreError::Conflict(ErrorCode::NotAWebUser));
    };
    let row: Option<super::collections::Row> = sqlx::query_as(&format!(
        "SELECT {} FROM sync_collections c WHERE c.id = $1",
        super::collections::COLUMNS
    ))
    .bind(collection_id)
    .fetch_optional(&mut *tx)
    .await?;
    let collection = row
        .map(super::collections::record)
        .transpose()?
        .ok_or(StoreError::NotFound("collection"))?
        .collection;
    let data: Option<Option<String>> = sqlx::query_scalar(
        "SELECT data FROM sync_records \
         WHERE account_id = $1 AND collection_id = $2 AND owner = $3 AND record_id = $4",
    )
    .bind(account_id)
    .bind(collection_id)
    .bind(&owner)
    .bind(&record_id)
    .fetch_optional(&mut *tx)
    .await?;
    let data: Option<Map<String, Value>> = data
        .flatten()
        .map(|d| serde_json::from_str(&d))
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("record data: {e}")))?;
    let email = data
        .as_ref()
        .and_then(|d| collection.web_user(d))
        .and_then(|w| w.email);
    sqlx::query("DELETE FROM site_user_invitations WHERE site_user_id = $1 AND used_at IS NULL")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let invited = Invited {
        site_user_id: id,
        site_row,
        site_label: &label,
        username: &username,
        email,
    };
    let to = invite(&mut tx, account_id, invited, now).await?;
    tx.commit().await?;
    Ok(to)
}

async fn taken(conn: &mut Conn, site_row: i64, username: &str) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM site_users WHERE site_id = $1 AND username = $2")
            .bind(site_row)
            .bind(username)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

/// Uses an invitation code: the site user it was made for gets `password_hash`. None for a
/// code that is unknown, used or expired. Two uses at once: one wins.
pub(crate) async fn accept(
    db: &super::super::Pools,
    code: &str,
    password_hash: &str,
    now: Timestamp,
) -> Result<Option<(i64, String, String)>> {
    let mut tx = db.begin().await?;
    let user: Option<i64> = sqlx::query_scalar(
        "UPDATE site_user_invitations SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING site_user_id",
    )
    .bind(to_micros(now))
    .bind(code_hash(code))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(user) = user else {
        return Ok(None);
    };
    sqlx::query("UPDATE site_users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    let who: (i64, String, String) = sqlx::query_as(
        "SELECT s.account_id, s.public_id, u.username FROM site_users u \
         JOIN sites s ON s.id = u.site_id WHERE u.id = $1",
    )
    .bind(user)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(who))
}
