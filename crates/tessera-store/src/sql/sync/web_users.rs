//! Web users from synced data (H2), inside the transaction that writes a record: a record
//! that is a web user gets a site user at the site it came from (no usable password until
//! its invitation code is used: the code is mailed, kept hashed); renamed, its site user
//! follows; unmarked or deleted, its site user is removed (sessions and rights with it).

use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use tessera_core::sync::Collection;

use super::super::Conn;
use super::super::outbox::{enqueue_mail, recipient};
use super::At;
use crate::outbox::Mail;
use crate::site_users::NO_PASSWORD_YET;
use crate::{Result, to_micros};

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
    let wanted = data.and_then(|d| collection.web_user(d));
    let existing: Option<(i64, i64, String)> = sqlx::query_as(
        "SELECT u.id, u.site_id, u.username FROM sync_web_users w \
         JOIN site_users u ON u.id = w.site_user_id \
         WHERE w.account_id = $1 AND w.collection_id = $2 AND w.owner = $3 AND w.record_id = $4",
    )
    .bind(at.account_id)
    .bind(at.collection_id)
    .bind(at.owner)
    .bind(at.record_id)
    .fetch_optional(&mut *conn)
    .await?;
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
            let code = new_code();
            sqlx::query(
                "INSERT INTO site_user_invitations (token_hash, site_user_id, created_at, \
                 expires_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(code_hash(&code))
            .bind(id)
            .bind(to_micros(now))
            .bind(to_micros(now + INVITATION_VALID))
            .execute(&mut *conn)
            .await?;
            let site_code: Option<String> =
                sqlx::query_scalar("SELECT site_code FROM cloud_sites WHERE site_id = $1")
                    .bind(site_row)
                    .fetch_optional(&mut *conn)
                    .await?;
            let account = recipient(conn, at.account_id).await?;
            let to_user = user.email.is_some();
            let mail = Mail {
                kind: "site_user.invitation",
                language: account.language,
                to: user.email.unwrap_or(account.email),
                context: json!({
                    "username": user.username,
                    "site": label,
                    "site_code": site_code.unwrap_or_default(),
                    "code": code,
                    "valid_days": INVITATION_VALID.as_hours() / 24,
                    "to_user": to_user,
                    "account": account.username,
                }),
            };
            enqueue_mail(conn, now, &mail).await
        }
    }
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
